/*
 * cliscope.c — scope flags and request files on the command line.
 */
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "cliscope.h"
#include "format/ldtime.h"

static const char *since_arg, *until_arg;

/* The flag of a scope option key, for messages. */
static const char *
scope_flag(int key)
{
	static const struct cli_opt o[] = { CLI_SCOPE_OPTS };

	for (size_t i = 0; i < sizeof(o) / sizeof(o[0]); i++)
		if (o[i].key == key)
			return o[i].name;
	return "scope";
}

int
cli_scope_opt(struct ld_scope *s, int key, const char *arg)
{
	struct ld_err err;
	const char *field = NULL;

	switch (key) {
	case OPT_SCOPE:
		if (ld_scope_load(s, arg, &err) < 0)
			cli_die(2, "%s", err.msg);
		return 1;
	case OPT_NS: field = "namespaces"; break;
	case OPT_PROJECT: field = "projects"; break;
	case OPT_USER: field = "users"; break;
	case OPT_ACCOUNT: field = "accounts"; break;
	case OPT_EVENT: field = "events"; break;
	case OPT_IP: field = "ips"; break;
	case OPT_CID: field = "cids"; break;
	case OPT_SINCE: since_arg = arg; return 1;
	case OPT_UNTIL: until_arg = arg; return 1;
	case OPT_PROFILE:
		ld_scope_set_profile(s, arg);
		return 1;
	default:
		return 0;
	}
	if (ld_scope_add(s, field, arg, &err) < 0)
		cli_bad_value("--%s: %s", scope_flag(key), err.msg);
	return 1;
}

static void
bound(const char *opt, const char *arg, int64_t now, int *has, int64_t *ns)
{
	struct ld_err err;
	int64_t v;

	if (arg == NULL)
		return;
	if (ld_time_parse_bound(arg, now, &v, &err) < 0)
		cli_bad_value("--%s: %s", opt, err.msg);
	/* Flags and the request file combine with AND: the narrower wins. */
	if (*has && ((opt[0] == 's' && v < *ns) || (opt[0] == 'u' && v > *ns)))
		return;
	*has = 1;
	*ns = v;
}

void
cli_scope_finish(struct ld_scope *s)
{
	struct ld_err err;
	struct timespec ts;
	int64_t now;

	clock_gettime(CLOCK_REALTIME, &ts);
	now = s->has_requested ? s->requested_at :
	    (int64_t)ts.tv_sec * LD_NS_PER_SEC + ts.tv_nsec;
	bound("since", since_arg, now, &s->has_since, &s->since);
	bound("until", until_arg, now, &s->has_until, &s->until);
	if (ld_scope_finish(s, &err) < 0 || ld_scope_check_clock(s,
	    (int64_t)ts.tv_sec * LD_NS_PER_SEC + ts.tv_nsec, &err) < 0)
		cli_die(2, "request refused: %s", err.msg);
}
