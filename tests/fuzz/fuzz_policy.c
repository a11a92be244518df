/*
 * fuzz_policy.c — policy files.
 *
 * A policy is loaded from the bytes; one that loads must give a redactor
 * (with a key and a tenant, whatever it needs) that redacts a fixed set
 * of records without failing, and each record kept is one ld-record line
 * that is valid JSON.  A policy refused has a message naming it.
 */
#include <jansson.h>
#include <string.h>

#include "format/format.h"
#include "fuzz.h"
#include "redact/redact.h"

static const char *const lines[] = {
	"{\"time\":\"2026-11-16T02:13:12.250Z\",\"severity\":\"INFO\",\"meta.user\":\"alice\",\"meta.project\":\"acme-corp/web\",\"remote_ip\":\"203.0.113.9\",\"path\":\"/acme-corp/web?private_token=glpat-abcdefghij0123456789\",\"controller\":\"ProjectsController\",\"action\":\"show\",\"correlation_id\":\"01HX\"}",
	"{\"time\":\"2026-11-16T02:13:13Z\",\"entity_path\":\"other-co/x\",\"author_name\":\"bob\",\"event_name\":\"user_logged_in\",\"details\":{\"custom_message\":\"mail carol@example.com from 10.0.0.1\"}}",
	"203.0.113.9 - - [16/Nov/2026:02:13:12 +0000] \"GET /acme-corp/web HTTP/1.1\" 200 12 \"-\" \"curl/8\"",
	"not a log line at all",
};

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct ld_formats *fs;
	static struct ld_parser *p;
	static const unsigned char key[] =
	    "9f2c41d07be85a36e1c4f09d72b6a85e0d3b7c15a94e26f8b1c07d4e9a3f5062";
	static char *const tenants[] = { "acme-corp" };
	struct ld_redact_conf conf = { .key = key, .keylen = sizeof(key) - 1,
	    .tenants = tenants, .ntenants = 1 };
	struct ld_policy *pol;
	struct ld_redact *rd;
	struct ld_err err;
	/* Kept from one input to the next, as ldredact keeps them from line
	 * to line (ld_rec_clear keeps the memory). */
	static struct ld_rec r;
	static struct ld_buf out;
	json_t *rep;

	if (fs == NULL) {
		if ((fs = ld_formats_load(NULL, NULL, &err)) == NULL)
			abort();
		p = ld_parser_new(fs, 2026);
		/* As ldredact parses: the event's text, never a tree. */
		ld_parser_set_no_tree(p, 1, LD_F_ALL);
	}
	if ((pol = ld_policy_load_text((const char *)data, size, "fuzz.json",
	    &err)) == NULL) {
		FUZZ_CHECK(strstr(err.msg, "fuzz.json") != NULL,
		    "message without the file: %s", err.msg);
		return 0;
	}
	rd = ld_redact_new(pol, &conf, &err);
	FUZZ_CHECK(rd != NULL, "a loaded policy gives no redactor: %s", err.msg);
	for (size_t i = 0; i < sizeof(lines) / sizeof(lines[0]); i++) {
		enum ld_parse_result res = ld_parse_line(p, NULL, "x.log", i + 1,
		    lines[i], strlen(lines[i]), &r);

		ld_rec_complete(p, &r);
		ld_buf_reset(&out);
		if (ld_redact_rec(rd, res, &r, &out) == LD_REDACT_KEEP) {
			json_error_t je;
			json_t *j = json_loadb(out.p, out.len, 0, &je);

			FUZZ_CHECK(j != NULL && json_is_object(j),
			    "kept record is not JSON: %s", out.p);
			json_decref(j);
		}
	}
	rep = ld_redact_report(rd);
	FUZZ_CHECK(rep != NULL, "no report");
	json_decref(rep);
	ld_rec_clear(&r);
	ld_redact_free(rd);
	ld_policy_free(pol);
	return 0;
}
