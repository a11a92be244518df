/*
 * bag.c — unit tests of lib/bag/bag.h: manifest paths, the time of the run, and
 * a bag made and checked through the library API alone.
 */
#include <sys/stat.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "bag/bag.h"
#include "tap.h"

static void
test_paths(void)
{
	char *s, *d;

	s = ld_bag_path_encode("data/a%b\r\nc");
	is_str(s, "data/a%25b%0D%0Ac", "encode CR, LF and %%");
	d = ld_bag_path_decode(s);
	is_str(d, "data/a%b\r\nc", "decode undoes encode");
	free(s);
	free(d);
	d = ld_bag_path_decode("data/%0d%0a%41");
	is_str(d, "data/\r\n%41", "decode is case-blind and leaves other escapes");
	free(d);

	ok(ld_bag_path_check("data/events.jsonl") == NULL, "plain path is fine");
	is_str(ld_bag_path_check("../x"), "path leaves the bag", "../x refused");
	is_str(ld_bag_path_check("data/../../x"), "path leaves the bag",
	    "data/../../x refused");
	is_str(ld_bag_path_check("/etc/passwd"), "absolute path", "absolute refused");
	is_str(ld_bag_path_check("data//x"), "empty path component", "empty component");
	is_str(ld_bag_path_check(""), "empty path", "empty path");
	ok(ld_bag_path_check("data/..x") == NULL, "'..x' is a name, not a parent");
}

static void
test_now(void)
{
	struct ld_err e = { "" };

	setenv("SOURCE_DATE_EPOCH", "1795341600", 1);
	is_int(ld_bag_now(&e), 1795341600, "SOURCE_DATE_EPOCH is the time of the run");
	setenv("SOURCE_DATE_EPOCH", "12x", 1);
	is_int(ld_bag_now(&e), -1, "a bad SOURCE_DATE_EPOCH is an error");
	ok(strstr(e.msg, "SOURCE_DATE_EPOCH") != NULL, "and says so: %s", e.msg);
	unsetenv("SOURCE_DATE_EPOCH");
}

static void
test_roundtrip(const char *dir)
{
	static const char recs[] =
	    "{\"ts\":\"2026-11-16T02:13:12.250Z\",\"src\":\"a.log\",\"line\":1,\"ev\":{}}\n"
	    "{\"ts\":null,\"src\":\"b.log\",\"line\":2,\"ev\":{}}\n";
	struct ld_bag_create_opts o = { 0 };
	struct ld_bag_writer *w;
	struct ld_bag_result *res = NULL;
	struct ld_err e = { "" };
	char scope[512], bag[512], path[600];
	char *argv[] = { "ldbundle", NULL };
	FILE *fp;

	snprintf(scope, sizeof(scope), "%s/request.json", dir);
	snprintf(bag, sizeof(bag), "%s/case.bag", dir);
	fp = fopen(scope, "w");
	fputs("{\"case\":\"UNIT-1\",\"tenant\":\"t\"}\n", fp);
	fclose(fp);
	o.out = bag;
	o.scope = scope;
	o.argc = 1;
	o.argv = argv;
	o.now = 1795341600;

	w = ld_bag_writer_new(&o, &e);
	ok(w != NULL, "writer made: %s", e.msg);
	fp = fmemopen((void *)recs, sizeof(recs) - 1, "r");
	is_int(ld_bag_writer_add(w, fp, "recs", &e), 0, "records added: %s", e.msg);
	fclose(fp);
	is_int(ld_bag_writer_commit(w, &e), 0, "committed: %s", e.msg);
	ld_bag_writer_free(w);

	is_int(ld_bag_verify(bag, 0, NULL, &res, &e), 0, "verify ran");
	is_int(res->nproblems, 0, "no problems");
	is_int(res->files, 6, "six payload files (no redaction report)");
	is_str(res->case_id, "UNIT-1", "case id read back");
	ok(!res->ready, "not ready without approvals");
	ld_bag_result_free(res);

	/* a second bag at the same place needs force */
	w = ld_bag_writer_new(&o, &e);
	ok(w == NULL && strstr(e.msg, "already exists"), "no overwrite: %s", e.msg);

	/* break it twice: both problems come back */
	snprintf(path, sizeof(path), "%s/data/extra", bag);
	fp = fopen(path, "w");
	fputs("x", fp);
	fclose(fp);
	snprintf(path, sizeof(path), "%s/data/request.json", bag);
	unlink(path);
	is_int(ld_bag_verify(bag, LD_BAG_READY, NULL, &res, &e), 0, "verify ran");
	ok(res->nproblems >= 4, "every problem listed (%zu)", res->nproblems);
	ok(res->nproblems > 0 && res->problems[res->nproblems - 1].path == NULL &&
	    strstr(res->problems[res->nproblems - 1].what, "not ready"),
	    "and the bag is not ready");
	ld_bag_result_free(res);

	ld_bag_result_free(NULL);
	ld_bag_writer_free(NULL);
	is_int(ld_bag_verify("/nonexistent/bag", 0, NULL, &res, &e), -1,
	    "a missing bag is a hard error");
	ok(res == NULL, "and gives no result");
}

int
main(void)
{
	char dir[] = "/tmp/ld-bag-unit.XXXXXX";
	char cmd[64];

	test_paths();
	test_now();
	if (mkdtemp(dir) == NULL)
		return 1;
	test_roundtrip(dir);
	snprintf(cmd, sizeof(cmd), "rm -rf %s", dir);
	if (system(cmd) != 0)
		ok(0, "cleanup");
	return tap_done();
}
