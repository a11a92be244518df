/*
 * fuzz_redact.c — the redaction of a record never lets a planted value
 * through.
 *
 * The input is the rest of a JSON object; the target plants a GitLab
 * token, an AWS key id and a private key marker as whole string values
 * under keys the input chooses, in front of it, and redacts the line
 * with the built-in "support" policy.  Whatever the input does around
 * them (duplicate keys, escapes, nesting past what a parser reads, JSON
 * inside strings), a record kept never holds a planted value.
 *
 * The policy is compiled once, the redactor made once and reset before
 * each input (ld_redact_reset): it learns names and pseudonyms as it
 * goes, and one carried from input to input would make a failure depend
 * on the inputs before it.  That the reset forgets all is itself
 * checked: on a share of the inputs (every input under make check) a new
 * redactor redacts the line too, and must write the same bytes and the
 * same report.
 */
#include <string.h>

#include "format/format.h"
#include "fuzz.h"
#include "redact/redact.h"

static const char *const planted[] = {
	"glpat-Zq3xT9wVb2Lk8Rm4Np6Y",
	"AKIAZ7QK4LMN2PQRXSTU",
};

/* Parse the line into r and redact it with rd as ldredact does; the
 * record is in out when kept. */
static enum ld_redact_result
redact_line(struct ld_parser *p, struct ld_redact *rd, const struct ld_buf *line,
    struct ld_rec *r, struct ld_buf *deep, struct ld_buf *out)
{
	enum ld_parse_result res;

	ld_buf_reset(out);
	ld_buf_reset(deep);
	res = ld_parse_line(p, NULL, "fuzz.log", 1, line->p, line->len, r);
	ld_rec_complete(p, r);
	/* As ldredact does: a line nested too deep for the parser is read
	 * again with the deep part replaced (ld_redact_unnest). */
	if (res == LD_PARSE_MALFORMED &&
	    ld_redact_unnest(rd, line->p, line->len, deep) == 1) {
		res = ld_parse_line(p, NULL, "fuzz.log", 1, deep->p, deep->len, r);
		ld_rec_complete(p, r);
	}
	return ld_redact_rec(rd, res, r, out);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct ld_formats *fs;
	static struct ld_parser *p;
	static struct ld_policy *pol;
	static struct ld_redact *rd;
	static const unsigned char key[] =
	    "9f2c41d07be85a36e1c4f09d72b6a85e0d3b7c15a94e26f8b1c07d4e9a3f5062";
	static char *const tenants[] = { "acme-corp" };
	static const struct ld_redact_conf conf = { .key = key,
	    .keylen = sizeof(key) - 1, .tenants = tenants, .ntenants = 1 };
	struct ld_err err;
	/* Kept from one input to the next, as ldredact keeps them from line
	 * to line (ld_rec_clear keeps the memory). */
	static struct ld_rec r;
	static struct ld_buf line, out, deep, out2;
	enum ld_redact_result kept;
	size_t klen;

	if (fs == NULL) {
		if ((fs = ld_formats_load(NULL, NULL, &err)) == NULL ||
		    (pol = ld_policy_load("support", &err)) == NULL ||
		    (rd = ld_redact_new(pol, &conf, &err)) == NULL) {
			fprintf(stderr, "%s\n", err.msg);
			abort();
		}
		p = ld_parser_new(fs, 2026);
		/* As ldredact parses: the event's text, never a tree. */
		ld_parser_set_no_tree(p, 1, LD_F_ALL);
	}
	if (size < 1 || memchr(data, '\n', size) != NULL)
		return 0;
	/* The key of the planted values: up to 8 plain bytes of the input. */
	klen = data[0] % 9;
	if (klen > size - 1)
		klen = size - 1;
	for (size_t i = 1; i <= klen; i++)
		if (data[i] == '"' || data[i] == '\\' || data[i] < 0x20)
			return 0;
	ld_buf_reset(&line);
	ld_buf_adds(&line, "{\"time\":\"2026-11-16T02:13:12Z\","
	    "\"meta.project\":\"acme-corp/web\",");
	for (size_t i = 0; i < sizeof(planted) / sizeof(planted[0]); i++) {
		ld_buf_addc(&line, '"');
		ld_buf_add(&line, data + 1, klen);
		ld_buf_addf(&line, "%zu\":\"%s\",", i, planted[i]);
	}
	ld_buf_add(&line, data + 1 + klen, size - 1 - klen);
	ld_redact_reset(rd);
	kept = redact_line(p, rd, &line, &r, &deep, &out);
	if (kept == LD_REDACT_KEEP) {
		for (size_t i = 0; i < sizeof(planted) / sizeof(planted[0]); i++)
			/* Unless the input wrote the value itself, glued to
			 * other letters where no detector may see a token. */
			FUZZ_CHECK(memmem(data, size, planted[i] + 6, 8) != NULL ||
			    strstr(out.p, planted[i]) == NULL,
			    "planted %s kept in %s", planted[i], out.p);
	}
	/* The reset redactor does what a new one does: same bytes, same
	 * report.  (One input in eight under libFuzzer, by its last byte.) */
	if (fuzz_thorough || data[size - 1] % 8 == 0) {
		struct ld_redact *fresh = ld_redact_new(pol, &conf, &err);
		json_t *ra, *rb;

		if (fresh == NULL)
			abort();
		FUZZ_CHECK(redact_line(p, fresh, &line, &r, &deep, &out2) == kept &&
		    out2.len == out.len &&
		    (out.len == 0 || memcmp(out2.p, out.p, out.len) == 0),
		    "a reset redactor wrote %.*s, a new one %.*s",
		    (int)out.len, out.p, (int)out2.len, out2.p);
		ra = ld_redact_report(rd);
		rb = ld_redact_report(fresh);
		FUZZ_CHECK(json_equal(ra, rb), "a reset redactor reports "
		    "otherwise than a new one");
		json_decref(ra);
		json_decref(rb);
		ld_redact_free(fresh);
	}
	ld_rec_clear(&r);
	return 0;
}
