/*
 * fuzz_scope.c — request files.
 *
 * A request the library accepts under a profile has a window within the
 * profile's bound (7 days for support, 31 for sirt), ending no later than
 * requested_at, and every time in the supported range; a support request
 * stays in one top-level namespace, and no namespace is empty.
 */
#include <string.h>
#include <strings.h>

#include "format/ldtime.h"
#include "fuzz.h"
#include "scope/scope.h"

#define DAY (INT64_C(86400) * LD_NS_PER_SEC)

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct ld_scope s = { 0 };
	struct ld_err err;
	const char *path = fuzz_memfile(data, size);

	if (ld_scope_load(&s, path, &err) < 0) {
		FUZZ_CHECK(strncmp(err.msg, path, strlen(path)) == 0,
		    "message without the file: %s", err.msg);
		goto out;
	}
	if (ld_scope_finish(&s, &err) < 0) {
		FUZZ_CHECK(err.msg[0] != '\0', "no message");
		goto out;
	}
	FUZZ_CHECK(!s.has_since || ld_time_in_range(s.since), "since");
	FUZZ_CHECK(!s.has_until || ld_time_in_range(s.until), "until");
	FUZZ_CHECK(!(s.has_since && s.has_until) || s.since < s.until,
	    "empty window accepted");
	if (s.profile != NULL) {
		int64_t bound = strcmp(s.profile, "support") == 0 ? 7 * DAY :
		    31 * DAY;

		FUZZ_CHECK(strcmp(s.profile, "support") == 0 ||
		    strcmp(s.profile, "sirt") == 0, "profile %s", s.profile);
		FUZZ_CHECK(s.has_since && s.has_until && s.has_requested,
		    "a profile without its window");
		/* Compared without subtracting: the point is that no
		 * arithmetic of the library's wrapped round. */
		FUZZ_CHECK(s.since >= s.until - bound,
		    "window of %lld..%lld accepted under %s",
		    (long long)s.since, (long long)s.until, s.profile);
		FUZZ_CHECK(s.until <= s.requested_at, "until after requested_at");
		/* a support request is never across tenants */
		for (size_t i = 0; strcmp(s.profile, "support") == 0 &&
		    i < s.namespaces.n + s.projects.n; i++) {
			const char *a = s.namespaces.n ? s.namespaces.v[0] :
			    s.projects.v[0];
			const char *b = i < s.namespaces.n ? s.namespaces.v[i] :
			    s.projects.v[i - s.namespaces.n];
			size_t an = strcspn(a, "/");

			FUZZ_CHECK(strcspn(b, "/") == an &&
			    strncasecmp(a, b, an) == 0,
			    "support request across %s and %s", a, b);
		}
	}
	for (size_t i = 0; i < s.namespaces.n; i++)
		FUZZ_CHECK(s.namespaces.v[i][0] != '\0', "an empty namespace");
out:
	ld_scope_free(&s);
	return 0;
}
