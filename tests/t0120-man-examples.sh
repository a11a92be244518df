#!/bin/sh
test_description='the EXAMPLES of the man pages work'
. "$(dirname "$0")/test-lib.sh"

# Every ".Dl" command line in the EXAMPLES section of every man page is
# either run here, against a small archive made with the stock tar, zstd
# and gzip, with its real output checked, or skipped with the reason.  A
# new or changed example that this script does not know fails the last
# test, so that the pages cannot show a command nobody ran.
#
# Run (ldgrep(1)): the week of alice in acme-corp, the request file, the
# tenant with the owned account alice, --explain, -c --ip, --raw --event,
# -l --cid, -j 4 -p, the chained ldgrep, --stats.
# Run (others): ld-scope(5)'s request with --ip, ld-record(5)'s chained
# ldgrep, logdive(7)'s -j 4 --scope into a file, ld-formats(5)'s format
# file (taken from the page itself) with --list-formats and a search.
# Skipped: ldgrep --since 7d over /var/log/gitlab, which depends on the
# clock and on this machine's logs.

MAN_DIRECTORY=$SRC_DIRECTORY/man

for t in tar zstd gzip; do
	if ! command -v $t >/dev/null 2>&1; then
		test_skip 'man page examples' "$t is not installed"
		test_done
	fi
done

# demdoc — mdoc escapes as a reader of the page would type them.
demdoc() {
	sed -e 's/\\-/-/g' -e "s/\\\\(aq/'/g" -e 's/\\(dq/"/g' -e 's/\\&//g' \
	    -e 's/\\e/\\/g'
}

# The foundation's pages; every other tool's page runs its own examples in
# that tool's tests.
for page in "$MAN_DIRECTORY"/ldgrep.1 "$MAN_DIRECTORY"/ld-formats.5 \
    "$MAN_DIRECTORY"/ld-scope.5 "$MAN_DIRECTORY"/ld-record.5 \
    "$MAN_DIRECTORY"/logdive.7; do
	sed -n '/^\.Sh EXAMPLES/,/^\.Sh /p' "$page" | sed -n 's/^\.Dl //p' | demdoc
done | sort -u >examples
: >tested

# run_example — runs $cmd in the fixture directory: stdout in out, stderr
# in err, the exit status in status.
run_example() {
	grep -Fqx -- "$cmd" "$TRASH_DIRECTORY/examples" || {
		echo "not an example of the man pages: $cmd" >&2
		return 1
	}
	(cd "$TRASH_DIRECTORY/fixture" && sh -c "$cmd") >out 2>err
	echo $? >status
}

# provenance <out — "src:line" of each record.
provenance() {
	sed 's/^{"ts":[^,]*,"src":"\([^"]*\)","line":\([0-9]*\),.*/\1:\2/'
}

example() {
	printf '%s\n' "$cmd" >>tested
	test_expect_success "example: $cmd" "$1"
}

skip_example() {
	printf '%s\n' "$cmd" >>tested
	test_skip "example: $cmd" "$1"
}

D16=archive/2026-11-16
D20=archive/2026-11-20
RAILS=var/log/gitlab/gitlab-rails

test_expect_success 'set up an archive like a real one' '
	mkdir -p fixture/$D16 fixture/$D20 src16/$RAILS src20/$RAILS &&
	cat >src16/$RAILS/production_json.log <<-\EOF &&
	{"method":"GET","path":"/acme-corp/web/-/blob/main/README.md","format":"html","controller":"Projects::BlobController","action":"show","status":200,"time":"2026-11-16T02:13:12.250Z","remote_ip":"203.0.113.7","user_id":42,"username":"alice","correlation_id":"LOt9hgi1TV4","meta.user":"alice","meta.project":"acme-corp/web","meta.root_namespace":"acme-corp"}
	{"method":"GET","path":"/acme-corporation/api","format":"html","controller":"ProjectsController","action":"show","status":200,"time":"2026-11-16T03:00:00.000Z","remote_ip":"198.51.100.9","user_id":7,"username":"bob","correlation_id":"01GYDSAKAN2SPZPAMJNRWW5H8S","meta.user":"bob","meta.project":"acme-corporation/api","meta.root_namespace":"acme-corporation"}
	{"method":"POST","path":"/acme-corp/web/-/merge_requests","format":"html","controller":"Projects::MergeRequestsController","action":"create","status":500,"time":"2026-11-16T04:00:00.000Z","remote_ip":"198.51.100.20","user_id":9,"username":"carol","correlation_id":"f9UCZHqhuP7","meta.user":"carol","meta.project":"acme-corp/web","meta.root_namespace":"acme-corp"}
	EOF
	cat >src16/$RAILS/audit_json.log <<-\EOF &&
	{"severity":"INFO","time":"2026-11-16T02:20:00.123Z","author_id":42,"entity_id":5,"entity_type":"Group","entity_path":"acme-corp","author_name":"alice","target_details":"ci-token","event_name":"personal_access_token_created","ip_address":"203.0.113.7","correlation_id":"LOt9hgi1TV4"}
	EOF
	cat >src20/$RAILS/production_json.log <<-\EOF &&
	{"method":"POST","path":"/acme-corp/web/-/settings","format":"html","controller":"Projects::SettingsController","action":"update","status":302,"time":"2026-11-20T10:00:00.000Z","remote_ip":"2001:db8::5","user_id":42,"username":"alice","correlation_id":"3823a1550b64417f9c9ed8ee0f48087e","meta.user":"alice","meta.project":"acme-corp/web","meta.root_namespace":"acme-corp"}
	{"method":"GET","path":"/acme-corp/web","format":"html","controller":"ProjectsController","action":"show","status":200,"time":"2026-11-21T00:00:00.000Z","remote_ip":"2001:db8::5","user_id":42,"username":"alice","correlation_id":"1c6bd5ae0c1e4d0f9d6d3c0b5f3a2e11","meta.user":"alice","meta.project":"acme-corp/web","meta.root_namespace":"acme-corp"}
	EOF
	cat >access.log <<-\EOF &&
	203.0.113.7 - - [16/Nov/2026:02:13:12 +0000] "GET /acme-corp/web.git/info/refs?service=git-upload-pack HTTP/1.1" 200 123 "-" "git/2.43.0" -
	198.51.100.9 - - [16/Nov/2026:03:00:00 +0000] "GET /api/v4/projects/acme-corporation%2Fapi HTTP/1.1" 200 55 "-" "curl/8.0" -
	EOF
	tar -C src16 -cf - $RAILS/production_json.log $RAILS/audit_json.log |
		zstd -q -o fixture/$D16/web-01.tar.zst &&
	tar -C src20 -cf - $RAILS/production_json.log |
		zstd -q -o fixture/$D20/web-01.tar.zst &&
	gzip -c access.log >fixture/$D16/gitlab_access.log.gz &&
	cat >fixture/request.json <<-\EOF &&
	{"case":"SIRT-1234","tenant":"acme-corp","profile":"support",
	 "namespaces":["acme-corp"],"users":["alice"],
	 "events":["user_logged_in","personal_access_token_*"],
	 "since":"2026-11-14T00:00:00Z","until":"2026-11-21T00:00:00Z",
	 "requested_at":"2026-11-21T00:00:00Z"}
	EOF
	test_line_count -ge 9 examples
'

A16=$D16/web-01.tar.zst!$RAILS
A20=$D20/web-01.tar.zst!$RAILS

cmd='ldgrep --ns acme-corp --user alice --since 2026-11-14 --until 2026-11-21 archive/'
example '
	run_example &&
	echo 0 >expect && test_cmp expect status &&
	provenance <out >actual &&
	printf "%s\n" "$A16/production_json.log:1" "$A16/audit_json.log:1" \
	    "$A20/production_json.log:1" >expect &&
	test_cmp expect actual &&
	test_grep "\"ts\":\"2026-11-16T02:20:00.123Z\".*\"fmt\":\"gitlab.audit\",\"ns\":\"acme-corp\",\"user\":\"alice\",\"user_id\":\"42\",\"ip\":\"203.0.113.7\",\"event\":\"personal_access_token_created\"" out &&
	test ! -s err
'

cmd='ldgrep --scope request.json archive/'
example '
	run_example &&
	echo 0 >expect && test_cmp expect status &&
	provenance <out >actual &&
	echo "$A16/audit_json.log:1" >expect &&
	test_cmp expect actual
'

cmd='ldgrep --ns acme-corp --account alice --since 2026-11-14 --until 2026-11-21 archive/'
example '
	run_example &&
	echo 0 >expect && test_cmp expect status &&
	provenance <out >actual &&
	printf "%s\n" "$D16/gitlab_access.log.gz:1" "$A16/production_json.log:1" \
	    "$A16/production_json.log:3" "$A16/audit_json.log:1" \
	    "$A20/production_json.log:1" >expect &&
	test_cmp expect actual
'

cmd='ldgrep --scope request.json --account alice --explain'
example '
	run_example &&
	echo 0 >expect && test_cmp expect status &&
	test_grep "^request: case SIRT-1234, tenant acme-corp, profile support$" out &&
	test_grep "^and event matches user_logged_in or personal_access_token_\*$" out &&
	test_grep "^          by: user (name, any case, or id) is alice$" out &&
	test_grep "^      or  about: ns or project within alice$" out &&
	test ! -s err
'

cmd='ldgrep --scope request.json --explain'
example '
	run_example &&
	echo 0 >expect && test_cmp expect status &&
	cat >expect <<-\EOF &&
	request: case SIRT-1234, tenant acme-corp, profile support
	in scope: an event when
	    time >= 2026-11-14T00:00:00Z and time < 2026-11-21T00:00:00Z  (a valid time is needed)
	and event matches user_logged_in or personal_access_token_*
	and ns or project within acme-corp
	and user (name, any case, or id) is alice
	EOF
	test_cmp expect out
'

cmd='ldgrep -c --ip 203.0.113.0/24 archive/'
example '
	run_example &&
	cat >expect <<-EOF &&
	$D16/gitlab_access.log.gz:1
	$A16/production_json.log:1
	$A16/audit_json.log:1
	EOF
	test_cmp expect out
'

cmd="ldgrep --raw --event 'personal_access_token_*' archive/"
example '
	run_example &&
	test_cmp src16/$RAILS/audit_json.log out
'

cmd='ldgrep -l --cid LOt9hgi1TV4 archive/'
example '
	run_example &&
	printf "%s\n" "$A16/production_json.log" "$A16/audit_json.log" >expect &&
	test_cmp expect out
'

cmd="ldgrep -j 4 --ns acme-corp -p 'status~^5' archive/"
example '
	run_example &&
	provenance <out >actual &&
	echo "$A16/production_json.log:3" >expect &&
	test_cmp expect actual &&
	(cd fixture && ldgrep -j 1 --ns acme-corp -p "status~^5" archive/) >j1 &&
	test_cmp j1 out
'

cmd='ldgrep --ns acme-corp archive/ | ldgrep --user alice --since 2026-11-20'
example '
	run_example &&
	provenance <out >actual &&
	printf "%s\n" "$A20/production_json.log:1" "$A20/production_json.log:2" >expect &&
	test_cmp expect actual
'

cmd='ldgrep --stats --user alice archive/ >/dev/null'
example '
	run_example &&
	echo 0 >expect && test_cmp expect status &&
	test ! -s out &&
	sed "s/^ldgrep: stats: //" err >actual &&
	tab=$(printf "\t") &&
	sed "s/ /$tab/g" >expect <<-EOF &&
	source read skipped parsed malformed badtime matched unreadable
	$D16/gitlab_access.log.gz 2 2 0 0 0 0 0
	$A16/production_json.log 3 2 1 0 0 1 0
	$A16/audit_json.log 1 0 1 0 0 1 0
	$A20/production_json.log 2 0 2 0 0 2 0
	total 8 4 4 0 0 4 0
	EOF
	test_cmp expect actual
'

cmd='ldgrep --since 7d --ns acme-corp /var/log/gitlab'
skip_example 'depends on the clock and on the logs of this machine'

# ld-scope(5)
cmd='ldgrep --scope request.json --ip 203.0.113.7 archive/'
example '
	run_example &&
	provenance <out >actual &&
	echo "$A16/audit_json.log:1" >expect &&
	test_cmp expect actual
'

# ld-record(5)
cmd='ldgrep --ns acme-corp archive/ | ldgrep --user alice'
example '
	run_example &&
	provenance <out >actual &&
	printf "%s\n" "$A16/production_json.log:1" "$A16/audit_json.log:1" \
	    "$A20/production_json.log:1" "$A20/production_json.log:2" >expect &&
	test_cmp expect actual
'

# logdive(7)
cmd='ldgrep -j 4 --scope request.json archive/ > events.jsonl'
example '
	run_example &&
	test ! -s out &&
	provenance <fixture/events.jsonl >actual &&
	echo "$A16/audit_json.log:1" >expect &&
	test_cmp expect actual
'

# ld-formats(5): the format file is the one the page shows.
test_expect_success 'set up the format file of ld-formats(5)' '
	sed -n "/^\.Sh EXAMPLES/,/^\.Sh /p" "$MAN_DIRECTORY/ld-formats.5" |
		sed -n "/^\.Bd -literal/,/^\.Ed/p" | sed "1d;\$d" | demdoc \
		>fixture/myapp.json &&
	test_grep "\"name\": \"myapp\"" fixture/myapp.json &&
	printf "%s\n" "2026-11-16T02:13:12Z alice 203.0.113.7:443 /acme-corp/web push" \
	    "2026-11-16T02:14:00Z - [2001:db8::1]:443 /api/v4/projects/other%2Fweb pull" \
	    >fixture/myapp-1.log
'

cmd='ldgrep --format-file myapp.json --list-formats'
example '
	run_example &&
	test_grep "^myapp  *My application" out &&
	test_grep "^gitlab.rails " out
'

cmd='ldgrep --format-file myapp.json --ns acme-corp myapp-1.log'
example '
	run_example &&
	cat >expect <<-\EOF &&
	{"ts":"2026-11-16T02:13:12Z","src":"myapp-1.log","line":1,"fmt":"myapp","ns":"acme-corp","user":"alice","ip":"203.0.113.7","event":"myapp.push","ev":{"raw":"2026-11-16T02:13:12Z alice 203.0.113.7:443 /acme-corp/web push","time":"2026-11-16T02:13:12Z","user":"alice","addr":"203.0.113.7:443","path":"/acme-corp/web","action":"push"}}
	EOF
	test_cmp expect out
'

test_expect_success 'every example of the man pages was run or skipped here' '
	sort -u tested >tested.sorted &&
	comm -23 examples tested.sorted >untested &&
	test_cmp /dev/null untested
'

test_done
