/*
 * recset.c — unit tests of lib/core/recset.c (the record set ldredact puts
 * in its report) and lib/core/runlog.c (the run history of a dive).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <jansson.h>

#include "core/digest.h"
#include "core/ld.h"
#include "core/recset.h"
#include "core/runlog.h"
#include "tap.h"

/* rec - the i-th test record of a run. */
static size_t
rec(char *buf, size_t len, int run, int i)
{
	return (size_t)snprintf(buf, len, "{\"ts\":\"2026-11-16T02:13:%02dZ\","
	    "\"src\":\"run%d\",\"line\":%d,\"ev\":{\"n\":%d}}", i % 60, run, i,
	    i * 7);
}

/* roundtrip - the set as the report carries it, read back. */
static struct ld_recset *
roundtrip(struct ld_recset *s, uint64_t *bits)
{
	struct ld_err err;
	json_t *j;
	char *t = ld_recset_export(s);
	struct ld_recset *r;

	j = json_loads(t, 0, NULL);
	free(t);
	*bits = (uint64_t)json_integer_value(json_object_get(j, "bits"));
	r = ld_recset_import(json_string_value(json_object_get(j, "type")),
	    (uint64_t)json_integer_value(json_object_get(j, "records")), *bits,
	    json_string_value(json_object_get(j, "data")), &err);
	json_decref(j);
	return r;
}

static void
test_recset(void)
{
	struct ld_recset *s = ld_recset_new(), *r;
	struct ld_err err;
	char b[256];
	uint64_t bits;
	size_t n;
	int i, miss = 0, fp = 0;

	for (i = 0; i < 3000; i++) {
		n = rec(b, sizeof(b), 1, i);
		ld_recset_add(s, b, n);
	}
	is_int((int)ld_recset_count(s), 3000, "3000 records counted");
	r = roundtrip(s, &bits);
	ok(r != NULL, "the exported set imports again");
	ok(bits >= 16 * 3000 && bits < 2 * 16 * 4096 && (bits & (bits - 1)) == 0,
	    "folded to a power of two with 16 bits a record (%llu bits)",
	    (unsigned long long)bits);
	for (i = 0; i < 3000; i++) {
		n = rec(b, sizeof(b), 1, i);
		if (!ld_recset_has(r, b, n) || !ld_recset_has(s, b, n))
			miss++;
	}
	is_int(miss, 0, "no record added is missing, folded or imported");
	for (i = 0; i < 20000; i++) {
		n = rec(b, sizeof(b), 2, i);
		fp += ld_recset_has(r, b, n);
	}
	ok(fp < 100, "records of another run: %d of 20000 pass (under 0.5%%)",
	    fp);
	ld_recset_free(r);
	ld_recset_free(s);

	s = ld_recset_new();
	r = roundtrip(s, &bits);
	is_int((int)bits, 512, "an empty set exports 512 bits");
	n = rec(b, sizeof(b), 1, 1);
	ok(r && !ld_recset_has(r, b, n), "nothing is in an empty set");
	ld_recset_free(r);
	ld_recset_free(s);

	ok(ld_recset_import("bloom-other", 1, 512, "", &err) == NULL &&
	    strstr(err.msg, "type") != NULL, "an unknown type is refused: %s",
	    err.msg);
	ok(ld_recset_import(LD_RECSET_TYPE, 1, 1000, "", &err) == NULL,
	    "a size that is not a power of two is refused: %s", err.msg);
	ok(ld_recset_import(LD_RECSET_TYPE, 1, 512, "AAAA", &err) == NULL,
	    "too little data is refused: %s", err.msg);
}

static void
test_runlog(void)
{
	char path[] = "/tmp/ld-unit-runlog.XXXXXX", hex[LD_DIGEST_HEXMAX];
	char *argv[] = { "/usr/bin/ldtool", "-x", "a \"b\"", NULL };
	struct ld_runlog *rl;
	struct ld_err err;
	json_t *j, *o;
	FILE *fp, *out;
	char line[4096];
	int fd;

	unsetenv(LD_RUNLOG_ENV);
	ok(ld_runlog_start("ldtool", 3, argv) == NULL,
	    "without LD_RUNLOG there is no run history");
	ok(ld_runlog_out(NULL, stdout, "-") == stdout &&
	    ld_runlog_finish(NULL, 0, &err) == 0, "and nothing happens");

	if ((fd = mkstemp(path)) == -1)
		return;
	close(fd);
	setenv(LD_RUNLOG_ENV, path, 1);
	rl = ld_runlog_start("ldtool", 3, argv);
	fp = tmpfile();
	out = ld_runlog_out(rl, fp, "-");
	fputs("hello\n", out);
	ld_runlog_input(rl, "in.jsonl", "ab", 3);
	ok(ld_runlog_finish(rl, 1, &err) == 0, "a step is appended");
	ld_sha256_hex("hello\n", 6, hex);
	rewind(fp);
	ok(fgets(line, sizeof(line), fp) && strcmp(line, "hello\n") == 0,
	    "what passed the digest reached the stream");
	fclose(fp);
	fp = fopen(path, "r");
	j = fp && fgets(line, sizeof(line), fp) ? json_loads(line, 0, NULL) : NULL;
	ok(j != NULL, "the line is JSON");
	is_str(json_string_value(json_object_get(j, "tool")), "ldtool",
	    "tool");
	is_str(json_string_value(json_array_get(json_object_get(j, "argv"), 0)),
	    "ldtool", "argv without the directory");
	is_str(json_string_value(json_array_get(json_object_get(j, "argv"), 2)),
	    "a \"b\"", "argv quoted");
	o = json_array_get(json_object_get(j, "outputs"), 0);
	is_str(json_string_value(json_object_get(o, "sha256")), hex,
	    "the output's SHA-256");
	is_int((int)json_integer_value(json_object_get(o, "bytes")), 6,
	    "the output's size");
	is_int((int)json_integer_value(json_object_get(j, "status")), 1,
	    "the exit status");
	json_decref(j);
	if (fp)
		fclose(fp);
	unlink(path);
	unsetenv(LD_RUNLOG_ENV);
}

int
main(void)
{
	test_recset();
	test_runlog();
	return tap_done();
}
