/*
 * bagtimeline.c — data/timeline.csv when no prepared timeline is given.
 *
 * INTERIM: bag_write_timeline() is a minimal Timesketch CSV writer so that
 * every bag has a timeline.  At integration it is to be replaced by the
 * shared timeline writer of the library (the one ldtimeline uses), and this
 * file removed.
 *
 * Timesketch needs message, datetime (ISO 8601 with an offset) and
 * timestamp_desc; timestamp is microseconds since the epoch.  Both times are
 * written from the same microsecond count so they always agree.  Records
 * without a time cannot be placed on a timeline and are left out (the
 * summary counts them).  Fields are quoted per RFC 4180.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "bagint.h"

static const char *const canon[] = {
	"ns", "project", "user", "user_id", "ip", "event", "cid",
};
#define NCANON (sizeof(canon) / sizeof(canon[0]))

struct bag_timeline {
	FILE *fp;
	char *path;
};

struct bag_timeline *
bag_timeline_open(int dirfd, const char *path, struct ld_err *err)
{
	struct bag_timeline *t;
	size_t i;

	if ((t = calloc(1, sizeof(*t))) == NULL ||
	    (t->path = strdup(path)) == NULL) {
		free(t);
		bag_err(err, "out of memory");
		return NULL;
	}
	if ((t->fp = bag_fopen_new(dirfd, path, err)) == NULL) {
		free(t->path);
		free(t);
		return NULL;
	}
	fputs("message,datetime,timestamp,timestamp_desc", t->fp);
	for (i = 0; i < NCANON; i++)
		fprintf(t->fp, ",%s", canon[i]);
	fputs(",src,line\r\n", t->fp);
	return t;
}

/* field - a record's value as text: strings as they are, numbers printed,
 * anything else (null, missing) empty.  buf is used for numbers. */
static const char *
field(json_t *rec, const char *key, char *buf, size_t len)
{
	json_t *v = json_object_get(rec, key);

	if (json_is_string(v))
		return json_string_value(v);
	if (json_is_integer(v)) {
		snprintf(buf, len, "%" JSON_INTEGER_FORMAT, json_integer_value(v));
		return buf;
	}
	return "";
}

/* message - "event by user in project", from what the record knows. */
static char *
message(json_t *rec)
{
	const char *ev = json_string_value(json_object_get(rec, "event"));
	const char *user = json_string_value(json_object_get(rec, "user"));
	const char *proj = json_string_value(json_object_get(rec, "project"));
	const char *ns = json_string_value(json_object_get(rec, "ns"));
	const char *fmt = json_string_value(json_object_get(rec, "fmt"));

	if (proj == NULL)
		proj = ns;
	return bag_printf("%s%s%s%s%s", ev ? ev : fmt ? fmt : "event",
	    user ? " by " : "", user ? user : "",
	    proj ? " in " : "", proj ? proj : "");
}

/*
 * bag_write_timeline - append rec to the timeline.  Returns 0 (also for a
 * record without a usable time, which is skipped) or -1 on a write error
 * or out of memory.
 */
int
bag_write_timeline(struct bag_timeline *t, json_t *rec)
{
	const char *ts = json_string_value(json_object_get(rec, "ts"));
	char dt[64], num[32], buf[32];
	int64_t ns, us, sec;
	struct tm tm;
	time_t tt;
	char *msg;
	size_t i;

	if (ts == NULL || ld_bag_parse_time(ts, &ns) == -1)
		return 0;
	/* floor division, so that times before 1970 stay ordered */
	us = ns >= 0 ? ns / 1000 : -((-ns + 999) / 1000);
	sec = us >= 0 ? us / 1000000 : -((-us + 999999) / 1000000);
	tt = (time_t)sec;
	gmtime_r(&tt, &tm);
	strftime(dt, sizeof(dt), "%Y-%m-%dT%H:%M:%S", &tm);
	snprintf(dt + strlen(dt), sizeof(dt) - strlen(dt), ".%06lld+00:00",
	    (long long)(us - sec * 1000000));
	snprintf(num, sizeof(num), "%" PRId64, us);
	if ((msg = message(rec)) == NULL)
		return -1;
	ld_bag_csv_field(t->fp, msg);
	free(msg);
	fprintf(t->fp, ",%s,%s,Event Recorded", dt, num);
	for (i = 0; i < NCANON; i++) {
		putc(',', t->fp);
		ld_bag_csv_field(t->fp, field(rec, canon[i], buf, sizeof(buf)));
	}
	putc(',', t->fp);
	ld_bag_csv_field(t->fp, field(rec, "src", buf, sizeof(buf)));
	putc(',', t->fp);
	ld_bag_csv_field(t->fp, field(rec, "line", buf, sizeof(buf)));
	fputs("\r\n", t->fp);
	return ferror(t->fp) ? -1 : 0;
}

/* bag_timeline_close - finish and free t.  Returns 0 or -1 with err set
 * (err may be NULL when the bag is being thrown away). */
int
bag_timeline_close(struct bag_timeline *t, struct ld_err *err)
{
	int rc;

	if (t == NULL)
		return 0;
	rc = bag_fclose(t->fp, t->path, err);
	free(t->path);
	free(t);
	return rc;
}
