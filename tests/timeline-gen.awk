# timeline-gen.awk — logs for the ldcut/ldtimeline tests and benchmark,
# until testdata's generator lands.  Writes, under directory dir:
#   production_json.log  GitLab rails requests, in random time order
#   audit_events.log     streamed audit events
#   audit_json.log       the same audit events as GitLab writes them
#                        (same id, a few ms later), every third one
#   gitlab_access.log    nginx lines (CLF times)
#   rotated.log.1        a copy of some rails lines (duplicates)
# and counts.txt with the number of lines and of expected duplicates.
#
#   awk -v dir=DIR -v n=1000 -v seed=1 -f timeline-gen.awk
function pad(x, w) { return sprintf("%0" w "d", x) }
function iso(t, ms,    d) {
	# t: seconds since 2026-11-01T00:00:00Z, inside November 2026
	d = int(t / 86400) + 1
	return sprintf("2026-11-%02dT%02d:%02d:%02d.%03dZ", d,
	    int(t % 86400 / 3600), int(t % 3600 / 60), t % 60, ms)
}
function clf(t) {
	return sprintf("%02d/Nov/2026:%02d:%02d:%02d +0000", int(t / 86400) + 1,
	    int(t % 86400 / 3600), int(t % 3600 / 60), t % 60)
}
BEGIN {
	srand(seed + 0)
	if (n == "") n = 1000
	split("alice bob carol dave", users, " ")
	split("acme-corp globex initech", nss, " ")
	split("user_logged_in personal_access_token_created member_created repository_git_operation", evs, " ")
	rails = dir "/production_json.log"
	stream = dir "/audit_events.log"
	audit = dir "/audit_json.log"
	nginx = dir "/gitlab_access.log"
	rot = dir "/rotated.log.1"
	lines = 0; dups = 0
	for (i = 1; i <= n; i++) {
		t = int(rand() * 29 * 86400)
		ms = int(rand() * 1000)
		u = users[1 + int(rand() * 4)]
		ns = nss[1 + int(rand() * 3)]
		k = rand()
		if (k < 0.6) {
			line = sprintf("{\"method\":\"GET\",\"path\":\"/%s/web/-/issues/%d\",\"controller\":\"Projects::IssuesController\",\"action\":\"show\",\"status\":200,\"time\":\"%s\",\"remote_ip\":\"10.0.%d.%d\",\"user_id\":%d,\"username\":\"%s\",\"correlation_id\":\"c%010d\",\"meta.user\":\"%s\",\"meta.project\":\"%s/web\",\"meta.root_namespace\":\"%s\",\"seq\":%d}",
			    ns, i, iso(t, ms), i % 256, i % 200, i % 97, u, i, u, ns, ns, i)
			print line > rails
			lines++
			if (rand() < 0.05) {
				print line > rot
				lines++; dups++
			}
		} else if (k < 0.8) {
			ev = evs[1 + int(rand() * 4)]
			printf("{\"id\":\"%d\",\"author_id\":%d,\"entity_id\":7,\"entity_type\":\"Project\",\"details\":{\"author_name\":\"%s\",\"custom_message\":{\"action\":\"%s\"}},\"ip_address\":\"192.168.0.%d\",\"author_name\":\"%s\",\"entity_path\":\"%s/web\",\"created_at\":\"%s\",\"target_type\":\"Project\",\"event_type\":\"%s\"}\n",
			    i, i % 50, u, ev, i % 250, u, ns, iso(t, ms), ev) > stream
			lines++
			if (i % 3 == 0) {
				printf("{\"severity\":\"INFO\",\"time\":\"%s\",\"id\":%d,\"author_id\":%d,\"entity_id\":7,\"entity_type\":\"Project\",\"author_name\":\"%s\",\"entity_path\":\"%s/web\",\"created_at\":\"%s\",\"event_name\":\"%s\"}\n",
				    iso(t, (ms + 3) % 1000), i, i % 50, u, ns, iso(t, ms), ev) > audit
				lines++
				if (ms + 3 < 1000) dups++; else dups++
			}
		} else {
			printf("10.1.%d.%d - %s [%s] \"GET /%s/web/-/merge_requests/%d HTTP/1.1\" 200 %d \"-\" \"curl/8\" -\n",
			    i % 256, i % 100, u, clf(t), ns, i, i % 5000) > nginx
			lines++
		}
	}
	print lines, dups > (dir "/counts.txt")
}
