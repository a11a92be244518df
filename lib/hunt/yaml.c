/*
 * yaml.c — YAML text to a small tree, with libyaml's event parser.
 *
 * Sigma needs maps, sequences and scalars; a tree of those with the line
 * of each node is all the rule compiler reads.  Anchors and aliases are
 * refused: a rule that points into itself is not something a reviewer
 * should have to untangle, and it keeps a hostile file from expanding.
 */
#include <stdlib.h>
#include <string.h>
#include <yaml.h>

#include "hunt/huntint.h"

#define MAX_DEPTH 64
#define MAX_NODES 200000

static void
node_free(struct ynode *y)
{
	if (y == NULL)
		return;
	for (size_t i = 0; i < y->n; i++)
		node_free(y->kid[i]);
	free(y->kid);
	free(y->s);
	free(y);
}

void
yaml_docs_free(struct ynode **docs, size_t n)
{
	for (size_t i = 0; i < n; i++)
		node_free(docs[i]);
	free(docs);
}

static void
add_kid(struct ynode *p, struct ynode *k)
{
	p->kid = ld_xrealloc(p->kid, (p->n + 1) * sizeof(*p->kid));
	p->kid[p->n++] = k;
}

int
yaml_load(const char *name, const char *text, size_t n, struct ynode ***docs,
    size_t *ndocs, struct ld_err *err)
{
	yaml_parser_t ps;
	yaml_event_t ev;
	struct ynode *stack[MAX_DEPTH + 1], *y;
	int depth = 0, rc = -1, done = 0;
	size_t nodes = 0;

	*docs = NULL;
	*ndocs = 0;
	if (!yaml_parser_initialize(&ps))
		return ld_err_set(err, "%s: cannot set up the YAML parser", name);
	yaml_parser_set_input_string(&ps, (const unsigned char *)text, n);
	while (!done) {
		if (!yaml_parser_parse(&ps, &ev)) {
			ld_err_set(err, "%s:%zu: YAML: %s", name,
			    (size_t)ps.problem_mark.line + 1,
			    ps.problem ? ps.problem : "syntax error");
			goto out;
		}
		y = NULL;
		switch (ev.type) {
		case YAML_STREAM_END_EVENT:
			done = 1;
			break;
		case YAML_ALIAS_EVENT:
			ld_err_set(err, "%s:%zu: YAML alias: not supported", name,
			    (size_t)ev.start_mark.line + 1);
			yaml_event_delete(&ev);
			goto out;
		case YAML_SCALAR_EVENT:
		case YAML_SEQUENCE_START_EVENT:
		case YAML_MAPPING_START_EVENT: {
			const unsigned char *anchor =
			    ev.type == YAML_SCALAR_EVENT ? ev.data.scalar.anchor :
			    ev.type == YAML_MAPPING_START_EVENT ?
			    ev.data.mapping_start.anchor :
			    ev.data.sequence_start.anchor;

			if (anchor != NULL) {
				ld_err_set(err, "%s:%zu: YAML anchor &%s: not "
				    "supported", name,
				    (size_t)ev.start_mark.line + 1, anchor);
				yaml_event_delete(&ev);
				goto out;
			}
			if (++nodes > MAX_NODES) {
				ld_err_set(err, "%s:%zu: more than %d YAML nodes",
				    name, (size_t)ev.start_mark.line + 1,
				    MAX_NODES);
				yaml_event_delete(&ev);
				goto out;
			}
			y = ld_xcalloc(1, sizeof(*y));
			y->line = (size_t)ev.start_mark.line + 1;
			if (ev.type == YAML_SCALAR_EVENT) {
				y->type = Y_SCALAR;
				y->s = ld_xstrndup((const char *)ev.data.scalar.value,
				    ev.data.scalar.length);
				y->plain = ev.data.scalar.style ==
				    YAML_PLAIN_SCALAR_STYLE;
			} else
				y->type = ev.type == YAML_MAPPING_START_EVENT ?
				    Y_MAP : Y_SEQ;
			if (depth == 0) {
				*docs = ld_xrealloc(*docs, (*ndocs + 1) *
				    sizeof(**docs));
				(*docs)[(*ndocs)++] = y;
			} else if (stack[depth - 1]->type == Y_MAP &&
			    stack[depth - 1]->n % 2 == 0 && y->type != Y_SCALAR) {
				/* A key that is a list or a map ("? - x"): no
				 * reader of a rule expects one. */
				ld_err_set(err, "%s:%zu: a mapping key must be a "
				    "single value", name, y->line);
				node_free(y);
				yaml_event_delete(&ev);
				goto out;
			} else
				add_kid(stack[depth - 1], y);
			if (y->type != Y_SCALAR) {
				if (depth >= MAX_DEPTH) {
					ld_err_set(err, "%s:%zu: YAML nested more "
					    "than %d deep", name, y->line,
					    MAX_DEPTH);
					yaml_event_delete(&ev);
					goto out;
				}
				stack[depth++] = y;
			}
			break;
		}
		case YAML_SEQUENCE_END_EVENT:
		case YAML_MAPPING_END_EVENT:
			if (depth > 0)
				depth--;
			break;
		default:
			break;
		}
		yaml_event_delete(&ev);
	}
	rc = 0;
out:
	yaml_parser_delete(&ps);
	if (rc < 0) {
		yaml_docs_free(*docs, *ndocs);
		*docs = NULL;
		*ndocs = 0;
	}
	return rc;
}

struct ynode *
yaml_get(const struct ynode *m, const char *k)
{
	if (m == NULL || m->type != Y_MAP)
		return NULL;
	for (size_t i = 0; i + 1 < m->n; i += 2)
		if (m->kid[i]->type == Y_SCALAR && strcmp(m->kid[i]->s, k) == 0)
			return m->kid[i + 1];
	return NULL;
}

int
yaml_is_null(const struct ynode *v)
{
	return v->type == Y_SCALAR && v->plain && (v->s[0] == '\0' ||
	    strcmp(v->s, "~") == 0 || strcmp(v->s, "null") == 0 ||
	    strcmp(v->s, "Null") == 0 || strcmp(v->s, "NULL") == 0);
}
