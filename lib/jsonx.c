/*
 * jsonx.c — JSON path lookup and a raw scanner for top-level members.
 */
#include <stdio.h>
#include <string.h>

#include "jsonx.h"

json_t *
ld_json_path(json_t *obj, const char *path)
{
	json_t *v;
	const char *dot;
	char key[256];
	size_t k;

	if (obj == NULL || !json_is_object(obj))
		return NULL;
	if ((v = json_object_get(obj, path)) != NULL)
		return v;
	for (dot = strchr(path, '.'); dot != NULL; dot = strchr(dot + 1, '.')) {
		k = (size_t)(dot - path);
		if (k >= sizeof(key))
			break;
		memcpy(key, path, k);
		key[k] = '\0';
		if ((v = json_object_get(obj, key)) != NULL && json_is_object(v) &&
		    (v = ld_json_path(v, dot + 1)) != NULL)
			return v;
	}
	return NULL;
}

int
ld_json_text(json_t *v, struct ld_buf *b)
{
	if (v == NULL)
		return 0;
	switch (json_typeof(v)) {
	case JSON_STRING:
		ld_buf_add(b, json_string_value(v), json_string_length(v));
		return 1;
	case JSON_INTEGER:
		ld_buf_addf(b, "%" JSON_INTEGER_FORMAT, json_integer_value(v));
		return 1;
	case JSON_REAL:
		ld_buf_addf(b, "%.17g", json_real_value(v));
		return 1;
	case JSON_TRUE:
		ld_buf_adds(b, "true");
		return 1;
	case JSON_FALSE:
		ld_buf_adds(b, "false");
		return 1;
	default:
		return 0;
	}
}

static size_t
skip_ws(const char *s, size_t n, size_t i)
{
	while (i < n && (s[i] == ' ' || s[i] == '\t' || s[i] == '\n' || s[i] == '\r'))
		i++;
	return i;
}

/* Index just past the string starting at s[i] == '"', or 0 on error. */
static size_t
skip_string(const char *s, size_t n, size_t i)
{
	for (i++; i < n; i++) {
		if (s[i] == '\\')
			i++;
		else if (s[i] == '"')
			return i + 1;
	}
	return 0;
}

/* Index just past the value at s[i], or 0 on error. */
static size_t
skip_value(const char *s, size_t n, size_t i)
{
	int depth = 0;

	if (i >= n)
		return 0;
	if (s[i] == '"')
		return skip_string(s, n, i);
	if (s[i] != '{' && s[i] != '[') {
		while (i < n && s[i] != ',' && s[i] != '}' && s[i] != ']' &&
		    s[i] != ' ' && s[i] != '\t' && s[i] != '\r' && s[i] != '\n')
			i++;
		return i;
	}
	for (; i < n; i++) {
		switch (s[i]) {
		case '"':
			if ((i = skip_string(s, n, i)) == 0)
				return 0;
			i--;
			break;
		case '{':
		case '[':
			depth++;
			break;
		case '}':
		case ']':
			if (--depth == 0)
				return i + 1;
			break;
		}
	}
	return 0;
}

int
ld_json_raw_member(const char *s, size_t n, const char *key, const char **vs,
    size_t *vn)
{
	size_t i, ks, ke, ve, klen = strlen(key);

	i = skip_ws(s, n, 0);
	if (i >= n || s[i] != '{')
		return -1;
	i = skip_ws(s, n, i + 1);
	if (i < n && s[i] == '}')
		return 0;
	while (i < n) {
		if (s[i] != '"' || (ke = skip_string(s, n, i)) == 0)
			return -1;
		ks = i + 1;
		i = skip_ws(s, n, ke);
		if (i >= n || s[i] != ':')
			return -1;
		i = skip_ws(s, n, i + 1);
		if ((ve = skip_value(s, n, i)) == 0)
			return -1;
		if (ke - 1 - ks == klen && memcmp(s + ks, key, klen) == 0) {
			*vs = s + i;
			*vn = ve - i;
			return 1;
		}
		i = skip_ws(s, n, ve);
		if (i < n && s[i] == ',')
			i = skip_ws(s, n, i + 1);
		else
			break;
	}
	return i < n && s[i] == '}' ? 0 : -1;
}
