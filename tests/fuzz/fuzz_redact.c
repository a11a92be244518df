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
 * The policy is compiled once; the redactor is made anew for each input,
 * since it learns names and pseudonyms as it goes: one kept across inputs
 * would make a failure depend on the inputs before it, and its growing
 * memory would make libFuzzer look for a leak after every input.
 */
#include <string.h>

#include "format/format.h"
#include "fuzz.h"
#include "redact/redact.h"

static const char *const planted[] = {
	"glpat-Zq3xT9wVb2Lk8Rm4Np6Y",
	"AKIAZ7QK4LMN2PQRXSTU",
};

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct ld_formats *fs;
	static struct ld_parser *p;
	static struct ld_policy *pol;
	struct ld_redact *rd;
	static const unsigned char key[] =
	    "9f2c41d07be85a36e1c4f09d72b6a85e0d3b7c15a94e26f8b1c07d4e9a3f5062";
	static char *const tenants[] = { "acme-corp" };
	struct ld_redact_conf conf = { .key = key, .keylen = sizeof(key) - 1,
	    .tenants = tenants, .ntenants = 1 };
	struct ld_err err;
	/* Kept from one input to the next, as ldredact keeps them from line
	 * to line (ld_rec_clear keeps the memory). */
	static struct ld_rec r;
	static struct ld_buf line, out, deep;
	enum ld_parse_result res;
	size_t klen;

	if (fs == NULL) {
		if ((fs = ld_formats_load(NULL, NULL, &err)) == NULL ||
		    (pol = ld_policy_load("support", &err)) == NULL) {
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
	ld_buf_reset(&out);
	ld_buf_reset(&deep);
	ld_buf_adds(&line, "{\"time\":\"2026-11-16T02:13:12Z\","
	    "\"meta.project\":\"acme-corp/web\",");
	for (size_t i = 0; i < sizeof(planted) / sizeof(planted[0]); i++) {
		ld_buf_addc(&line, '"');
		ld_buf_add(&line, data + 1, klen);
		ld_buf_addf(&line, "%zu\":\"%s\",", i, planted[i]);
	}
	ld_buf_add(&line, data + 1 + klen, size - 1 - klen);
	if ((rd = ld_redact_new(pol, &conf, &err)) == NULL) {
		fprintf(stderr, "%s\n", err.msg);
		abort();
	}
	res = ld_parse_line(p, NULL, "fuzz.log", 1, line.p, line.len, &r);
	ld_rec_complete(p, &r);
	/* As ldredact does: a line nested too deep for the parser is read
	 * again with the deep part replaced (ld_redact_unnest). */
	if (res == LD_PARSE_MALFORMED &&
	    ld_redact_unnest(rd, line.p, line.len, &deep) == 1) {
		res = ld_parse_line(p, NULL, "fuzz.log", 1, deep.p, deep.len, &r);
		ld_rec_complete(p, &r);
	}
	if (ld_redact_rec(rd, res, &r, &out) == LD_REDACT_KEEP) {
		for (size_t i = 0; i < sizeof(planted) / sizeof(planted[0]); i++)
			/* Unless the input wrote the value itself, glued to
			 * other letters where no detector may see a token. */
			FUZZ_CHECK(memmem(data, size, planted[i] + 6, 8) != NULL ||
			    strstr(out.p, planted[i]) == NULL,
			    "planted %s kept in %s", planted[i], out.p);
	}
	ld_redact_free(rd);
	ld_rec_clear(&r);
	return 0;
}
