/*
 * jsonx.h — small JSON helpers over jansson and over raw JSON text.
 */
#ifndef LD_JSONX_H
#define LD_JSONX_H

#include <jansson.h>
#include <stddef.h>

#include "ld.h"

/*
 * Look up a path in a JSON object.  GitLab writes flattened keys that
 * contain dots ("meta.user") as well as nested objects ("details" →
 * "author_name"), so "a.b.c" is resolved by trying the whole remaining path
 * as one key first, then every split at a dot from the left.  Returns a
 * borrowed reference (owned by obj), or NULL when absent.
 */
json_t *ld_json_path(json_t *obj, const char *path);

/*
 * The text of a scalar: strings as they are (decoded), integers and reals
 * in decimal, booleans as true/false.  Appends to b and returns 1; returns 0
 * (appending nothing) for null, objects, arrays and NULL.
 */
int ld_json_text(json_t *v, struct ld_buf *b);

/*
 * Scan raw JSON text: find the value of top-level key `key` in the object
 * text s (n bytes).  On success returns 1 and sets vs and vn to the value's
 * bytes exactly as written (for a string, quotes included).  Returns 0 when
 * the key is absent and -1 when s is not a well-formed object as far as it
 * was read.  Does not allocate.
 */
int ld_json_raw_member(const char *s, size_t n, const char *key,
    const char **vs, size_t *vn);

#endif
