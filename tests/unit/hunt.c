/*
 * Unit tests of lib/hunt: correlation groups (corr.c), loading rules
 * (rules.c, sigma.c, yaml.c), and a stress of the loader with mangled
 * rule texts that must be refused or loaded, never crash.
 */
#include <stdlib.h>
#include <string.h>

#include "format/ldtime.h"
#include "hunt/corr.h"
#include "hunt/hunt.h"
#include "tap.h"

#define S LD_NS_PER_SEC

static void
test_event_count(void)
{
	struct corr *c = corr_new(CORR_EVENT_COUNT, 3, 600 * S, 1);
	int f = 0;

	f |= corr_event(c, 0, 0 * S, "alice", 5, "", 0);
	f |= corr_event(c, 0, 100 * S, "alice", 5, "", 0);
	ok(!f, "two events of three do not fire");
	f = corr_event(c, 0, 200 * S, "bob", 3, "", 0);
	ok(!f, "another group counts apart");
	ok(corr_event(c, 0, 300 * S, "alice", 5, "", 0), "the third within the span fires");
	ok(!corr_event(c, 0, 301 * S, "alice", 5, "", 0), "then the group starts over");
	ok(!corr_event(c, 0, 1000 * S, "alice", 5, "", 0) &&
	    !corr_event(c, 0, 1700 * S, "alice", 5, "", 0) &&
	    !corr_event(c, 0, 2400 * S, "alice", 5, "", 0),
	    "three events further apart than the span do not fire");
	corr_free(c);
}

static void
test_bounded(void)
{
	struct corr *c = corr_new(CORR_EVENT_COUNT, 100, 60 * S, 1);
	char key[32];
	size_t most = 0;

	/* A million users, one event each, one a second: at most about two
	 * spans' worth of groups are ever held. */
	for (int i = 0; i < 1000000; i++) {
		int n = snprintf(key, sizeof(key), "u%d", i);

		corr_expire(c, (int64_t)i * S);
		corr_event(c, 0, (int64_t)i * S, key, (size_t)n, "", 0);
		if (corr_groups(c) > most)
			most = corr_groups(c);
	}
	ok(most <= 130, "groups held stay within two timespans (%zu)", most);
	corr_free(c);
}

static void
test_value_count(void)
{
	struct corr *c = corr_new(CORR_VALUE_COUNT, 3, 3600 * S, 1);

	ok(!corr_event(c, 0, 0, "bob", 3, "1.1.1.1", 7) &&
	    !corr_event(c, 0, 10 * S, "bob", 3, "1.1.1.1", 7) &&
	    !corr_event(c, 0, 20 * S, "bob", 3, "2.2.2.2", 7),
	    "two distinct values do not fire, however often");
	ok(corr_event(c, 0, 30 * S, "bob", 3, "3.3.3.3", 7), "the third value fires");
	ok(!corr_event(c, 0, 7200 * S, "bob", 3, "4.4.4.4", 7) &&
	    !corr_event(c, 0, 7201 * S, "bob", 3, "5.5.5.5", 7),
	    "values older than the span are forgotten");
	corr_free(c);
}

static void
test_ordered(void)
{
	struct corr *c = corr_new(CORR_TEMPORAL_ORDERED, 1, 3600 * S, 3);

	ok(!corr_event(c, 1, 0, "a", 1, "", 0) && !corr_event(c, 2, 10 * S, "a", 1, "", 0),
	    "later steps without the first do not fire");
	ok(!corr_event(c, 0, 20 * S, "a", 1, "", 0) && !corr_event(c, 2, 30 * S, "a", 1, "", 0),
	    "a skipped step does not fire");
	ok(corr_event(c, 1, 40 * S, "a", 1, "", 0) == 0 &&
	    corr_event(c, 2, 50 * S, "a", 1, "", 0) == 1, "steps in order fire");
	ok(corr_event(c, 2, 60 * S, "a", 1, "", 0) == 1,
	    "a later last step within the span fires again");
	ok(corr_event(c, 2, 20 * S + 3601 * S, "a", 1, "", 0) == 0,
	    "not once the first step is older than the span");
	corr_free(c);
	c = corr_new(CORR_TEMPORAL, 1, 60 * S, 2);
	ok(!corr_event(c, 1, 0, "a", 1, "", 0) && corr_event(c, 0, 30 * S, "a", 1, "", 0),
	    "temporal: both in any order fire");
	corr_free(c);
}

static void
test_load(void)
{
	static const char good[] =
	    "title: t\nid: x\nlevel: high\ntags: [attack.t1110]\n"
	    "logsource: {product: gitlab, service: audit}\n"
	    "detection:\n  s:\n    event: a\n  condition: s\n";
	struct ld_rules *rs = ld_rules_new();
	struct ld_err err;
	const struct ld_rule_info *ri;

	ok(ld_rules_load_text(rs, "good.yml", good, sizeof(good) - 1, &err) == 0 &&
	    ld_rules_finish(rs, &err) == 0, "a rule loads");
	ri = ld_rules_info(rs, 0);
	ok(ri && ri->level == LD_LEVEL_HIGH && ri->ntags == 1 &&
	    strcmp(ri->tags[0], "attack.t1110") == 0, "its level and tags");
	ld_rules_free(rs);
	rs = ld_rules_new();
	ok(ld_rules_load_text(rs, "bad.yml", "title: t\nlogsource: {product: gitlab}\n"
	    "detection:\n  s:\n    event|wide: a\n  condition: s\n", 73, &err) < 0,
	    "a modifier outside the subset is refused");
	is_str(err.msg, "bad.yml:5: modifier 'wide' is not supported",
	    "with the file, line and construct");
	ok(ld_rules_load_text(rs, "y.yml", "a: [b\n", 6, &err) < 0 &&
	    strncmp(err.msg, "y.yml:", 6) == 0, "bad YAML is refused with its place");
	ld_rules_free(rs);
	ok(ld_level_parse("critical") == LD_LEVEL_CRITICAL && ld_level_parse("x") < 0 &&
	    strcmp(ld_level_name(LD_LEVEL_LOW), "low") == 0, "levels by name");
}

/* Mangled texts (bytes cut, changed, repeated) are refused or loaded. */
static void
test_mangled(void)
{
	static const char base[] =
	    "title: t\nid: m\nname: base\nlevel: low\n"
	    "logsource: {product: gitlab}\n"
	    "detection:\n  sel_a:\n    event|startswith: [login_, auth]\n"
	    "    ip|cidr: 10.0.0.0/8\n  sel_b:\n    - user|re: '^a.*'\n"
	    "    - path|endswith: .env\n  condition: 1 of sel_* and not (sel_a and sel_b)\n"
	    "---\ntitle: c\ncorrelation:\n  type: value_count\n  rules: [base]\n"
	    "  group-by: [user]\n  timespan: 5m\n  condition: {field: ip, gte: 2}\n";
	char buf[sizeof(base) * 2];
	unsigned seed = 17, loaded = 0, refused = 0;

	for (int i = 0; i < 3000; i++) {
		struct ld_rules *rs = ld_rules_new();
		struct ld_err err;
		size_t n = sizeof(base) - 1;

		memcpy(buf, base, n);
		for (int k = 0; k < 1 + i % 4; k++) {
			size_t at;

			seed = seed * 1103515245 + 12345;
			at = n ? (seed >> 8) % n : 0;
			switch ((seed >> 4) % 3) {
			case 0: buf[at] = "{}[]:-|*'\"\n #&!%"[(seed >> 16) % 16]; break;
			case 1: n = at; break;
			case 2: if (n + 8 < sizeof(buf)) { memmove(buf + at + 8, buf + at, n - at); n += 8; } break;
			}
		}
		if (ld_rules_load_text(rs, "m.yml", buf, n, &err) == 0 &&
		    ld_rules_finish(rs, &err) == 0)
			loaded++;
		else
			refused++;
		ld_rules_free(rs);
	}
	ok(loaded + refused == 3000 && refused > 0,
	    "3000 mangled rules: %u loaded, %u refused, none crashed", loaded, refused);
}

int
main(void)
{
	test_event_count();
	test_bounded();
	test_value_count();
	test_ordered();
	test_load();
	test_mangled();
	return tap_done();
}
