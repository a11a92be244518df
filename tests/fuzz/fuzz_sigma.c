/*
 * fuzz_sigma.c — Sigma rule files for ldhunt (hunt/hunt.h).
 *
 * The bytes are loaded as a rule file.  A file refused has a message that
 * names it; a file loaded has rules with an id, a title and a level, and
 * runs over a fixed set of GitLab lines without failing, each line written
 * being an ld-record (valid JSON) whose "hunt" member comes before "ev".
 * It is picked up by the fuzz branch's Makefile, run.sh and t0160 as they
 * are (tests/fuzz/README).
 */
#include <jansson.h>
#include <string.h>

#include "format/format.h"
#include "fuzz.h"
#include "grep/grep.h"
#include "hunt/hunt.h"
#include "input/src.h"

static const char lines[] =
    "{\"severity\":\"INFO\",\"time\":\"2026-11-14T02:10:01.120Z\",\"id\":1,\"author_id\":4711,\"author_name\":\"alice\",\"entity_type\":\"User\",\"entity_path\":\"alice\",\"ip_address\":\"203.0.113.99\",\"event_name\":\"login_failed_with_standard_authentication\",\"custom_message\":\"Failed to login\"}\n"
    "{\"severity\":\"INFO\",\"time\":\"2026-11-14T02:12:55.402Z\",\"id\":2,\"author_id\":4711,\"author_name\":\"alice\",\"entity_type\":\"User\",\"entity_path\":\"alice\",\"ip_address\":\"2001:db8:4711::66\",\"event_name\":\"user_signed_in_from_unseen_ip\"}\n"
    "{\"method\":\"GET\",\"path\":\"/acme-corp/web/-/raw/main/.env\",\"controller\":\"Projects::RawController\",\"action\":\"show\",\"status\":200,\"time\":\"2026-11-14T02:13:00.000Z\",\"remote_ip\":\"2001:db8:4711::66\",\"username\":\"alice\",\"meta.user\":\"alice\",\"meta.project\":\"acme-corp/web\"}\n"
    "203.0.113.5 - - [14/Nov/2026:02:00:00 +0000] \"GET /search?q=1=select HTTP/1.1\" 200 12 \"-\" \"curl/8.5.0\" -\n"
    "not a log line\n";

static void
run(struct ld_rules *rs, struct ld_formats *fs)
{
	const char *path = fuzz_memfile(lines, sizeof(lines) - 1);
	char *paths[1] = { (char *)path };
	struct ld_scope sc = { 0 };
	struct ld_grep *g = ld_grep_new(fs, &sc);
	struct ld_hunt *h = ld_hunt_new(rs, fs, LD_LEVEL_INFO);
	struct ld_srclist l = { 0 };
	char *buf = NULL;
	size_t n = 0;
	FILE *out = open_memstream(&buf, &n);
	int rc;

	FUZZ_CHECK(out != NULL, "open_memstream");
	ld_hunt_set_memory(h, 1 << 20);
	ld_srclist_expand(&l, paths, 1);
	rc = ld_hunt_run(h, g, &l, out, NULL);
	fclose(out);
	FUZZ_CHECK(rc == 0, "a run over fixed lines failed: %d", rc);
	for (char *p = buf, *e; p && p < buf + n; p = e + 1) {
		json_error_t je;
		json_t *j;
		char *hunt, *ev;

		e = memchr(p, '\n', (size_t)(buf + n - p));
		FUZZ_CHECK(e != NULL, "a line without its newline");
		j = json_loadb(p, (size_t)(e - p), 0, &je);
		FUZZ_CHECK(j != NULL, "not JSON: %s", je.text);
		FUZZ_CHECK(json_is_array(json_object_get(j, "hunt")),
		    "a record without findings");
		json_decref(j);
		hunt = memmem(p, (size_t)(e - p), ",\"hunt\":[", 9);
		ev = memmem(p, (size_t)(e - p), ",\"ev\":", 6);
		FUZZ_CHECK(hunt && ev && hunt < ev, "hunt not before ev");
	}
	free(buf);
	ld_srclist_free(&l);
	ld_hunt_free(h);
	ld_grep_free(g);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct ld_formats *fs;
	struct ld_rules *rs;
	struct ld_err err;
	const struct ld_rule_info *ri;

	if (fs == NULL && (fs = ld_formats_load(NULL, NULL, &err)) == NULL)
		abort();
	rs = ld_rules_new();
	if (ld_rules_load_text(rs, "fuzz.yml", (const char *)data, size,
	    &err) < 0 || ld_rules_finish(rs, &err) < 0) {
		FUZZ_CHECK(strncmp(err.msg, "fuzz.yml", 8) == 0,
		    "message without the file: %s", err.msg);
		ld_rules_free(rs);
		return 0;
	}
	for (size_t i = 0; (ri = ld_rules_info(rs, i)) != NULL; i++)
		FUZZ_CHECK(ri->id && *ri->id && ri->title &&
		    ld_level_name(ri->level)[0] != '?', "rule %zu incomplete", i);
	run(rs, fs);
	ld_rules_free(rs);
	return 0;
}
