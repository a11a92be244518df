#!/bin/sh
test_description='real GitLab log lines: every expected field, by file name and on stdin'
. "$(dirname "$0")/test-lib.sh"

# The fixtures are real lines (tests/fixtures/real/SOURCES.md), and
# expected.tsv says what each of them holds.  Every file is read four ways:
# by ldcut and by ldgrep (which reads without a JSON tree) under its own
# name, and both again on standard input, where only content can decide.
REAL="$TEST_DIRECTORY/fixtures/real"
FIELDS=src,line,fmt,ts,ns,project,user,user_id,ip,event,cid

# The options a file is read with: syslog has no year and no zone, and
# application.log and GitLab Shell's text lines no zone (see SOURCES.md).
opts() {
	case $1 in
	syslog/*) echo "--year 2014 --tz-assume -07:00" ;;
	*/application.log | gitlab-shell/*) echo "--tz-assume UTC" ;;
	esac
}

files() { sed 1d "$REAL/expected.tsv" | cut -f1 | uniq; }

expect_for() {
	awk -F '\t' -v f="$1" 'NR > 1 && $1 == f' "$REAL/expected.tsv"
}

# The expected rows with the source name replaced, for standard input.
expect_stdin() {
	expect_for "$1" | awk -F '\t' 'BEGIN { OFS = "\t" } { $1 = "-"; print }'
}

test_expect_success 'at least 150 real lines, every one in expected.tsv' '
	(cd "$REAL" && find . -type f ! -name "*.md" ! -name "*.tsv" |
	    sed "s|^\./||" | sort) >have &&
	files | sort >want &&
	test_cmp want have &&
	n=0 &&
	for f in $(files); do
		n=$((n + $(wc -l <"$REAL/$f"))) &&
		expect_for "$f" | cut -f2 >rows &&
		seq 1 "$(wc -l <"$REAL/$f")" >all &&
		test_cmp all rows || return 1
	done &&
	test "$n" -ge 150 &&
	test "$n" -eq "$(sed 1d "$REAL/expected.tsv" | wc -l)"
'

test_expect_success 'every family the issue names has its lines' '
	for f in production_json.log production.log api_json.log \
	    application.log application_json.log integrations_json.log \
	    git_json.log audit_json.log auth_json.log features_json.log \
	    ci_resource_groups_json.log graphql_json.log web_hooks.log \
	    elasticsearch.log exceptions_json.log service_measurement.log \
	    geo.log update_mirror_service_json.log performance_bar_json.log \
	    kubernetes.log product_usage_data.log; do
		test -s "$REAL/gitlab-rails/$f" || { echo "no $f"; return 1; }
	done &&
	for f in sidekiq/current sidekiq/sidekiq.log gitlab-shell/gitlab-shell.log \
	    gitaly/current praefect/current gitlab-workhorse/current \
	    gitlab-pages/current gitlab-rails/sidekiq.log \
	    gitlab-kas/current puma/puma_stdout.log registry/current \
	    nginx/gitlab_access.log syslog/syslog audit-events/audit_events.jsonl \
	    gitlab-agent/agentk.log; do
		test -s "$REAL/$f" || { echo "no $f"; return 1; }
	done
'

test_expect_success 'ldcut by file name: every expected field' '
	for f in $(files); do
		expect_for "$f" >expect &&
		(cd "$REAL" && ldcut $(opts "$f") -f $FIELDS -o tsv --no-header \
		    "$f") >actual 2>err &&
		test_cmp expect actual || { echo "in $f"; return 1; }
	done
'

test_expect_success 'ldgrep by file name, read back by ldcut: every expected field' '
	for f in $(files); do
		expect_for "$f" >expect &&
		(cd "$REAL" && ldgrep $(opts "$f") "$f") >records 2>err &&
		ldcut -f $FIELDS -o tsv --no-header records >actual &&
		test_cmp expect actual || { echo "in $f"; return 1; }
	done
'

test_expect_success 'on standard input: the same format and the same fields' '
	for f in $(files); do
		expect_stdin "$f" >expect &&
		ldcut $(opts "$f") -f $FIELDS -o tsv --no-header - \
		    <"$REAL/$f" >actual 2>err &&
		test_cmp expect actual &&
		ldgrep $(opts "$f") <"$REAL/$f" >records 2>err &&
		ldcut -f $FIELDS -o tsv --no-header records >actual &&
		test_cmp expect actual || { echo "in $f"; return 1; }
	done
'

test_expect_success 'a proxy chain gives its client, and the chain stays in the event' '
	ldgrep --ip 81.2.69.144 "$REAL/gitlab-rails/api_json.log" >out &&
	test_line_count = 3 out &&
	grep -c "\"remote_ip\":\"81.2.69.144, 127.0.0.1\"" out >n &&
	echo 3 >three &&
	test_cmp three n
'

test_expect_success 'a syslog time without --tz-assume is a bad time, said once' '
	ldgrep --year 2014 --stats "$REAL/syslog/syslog" >out 2>err &&
	test_grep "6 times without a zone not read: give the zone they were written in with --tz-assume ZONE" err &&
	test "$(grep -c "without a zone" err)" = 1 &&
	test "$(grep -c "\"ts\":null" out)" = 6 &&
	ldgrep --year 2014 --stats --tz-assume UTC "$REAL/syslog/syslog" >out 2>err &&
	! grep "without a zone" err &&
	test "$(grep -c "\"ts\":null" out)" = 0
'

test_expect_success 'ldcut prints the marks of a guessed year and an assumed zone' '
	printf "%s\n" "2014-06-26T06:33:46Z	guessed	assumed" \
	    "2014-06-26T13:33:46Z		" \
	    "2014-06-26T06:33:46Z	guessed	assumed" >expect &&
	sed -n "2p;5p;10p" "$REAL/syslog/syslog" >three.log &&
	ldcut --year 2014 --tz-assume +00:00 -f ts,ts_year,ts_zone -o tsv \
	    --no-header three.log >actual &&
	test_cmp expect actual &&
	ldgrep --year 2014 --tz-assume UTC three.log >records &&
	test "$(grep -c "\"ts_year\":\"guessed\",\"ts_zone\":\"assumed\"" records)" = 2 &&
	ldcut -f ts,ts_year,ts_zone -o tsv --no-header records >actual &&
	test_cmp expect actual
'

test_expect_success 'a format file may name the zone its times are in' '
	cat >myapp.json <<-\JSON &&
	{"name":"myapp","type":"regex","files":["*myapp*"],
	 "pattern":"^(?<time>\\S+ \\S+) (?<msg>.*)$",
	 "time":{"fields":["time"],"parse":"rfc3339","zone":"+02:00"},
	 "fields":{"event":["msg"]}}
	JSON
	echo "2026-11-16 02:13:12 login" >myapp.log &&
	ldcut --format-file myapp.json -f ts,ts_zone,event -o tsv --no-header \
	    myapp.log >actual &&
	printf "2026-11-16T00:13:12Z\tassumed\tlogin\n" >expect &&
	test_cmp expect actual &&
	ldcut --format-file myapp.json --tz-assume -01:00 -f ts -o tsv \
	    --no-header myapp.log >actual &&
	echo 2026-11-16T03:13:12Z >expect &&
	test_cmp expect actual
'

test_expect_success '--tz-assume refuses what is not a zone' '
	test_must_fail ldgrep --tz-assume Mars/Olympus "$REAL/syslog/syslog" 2>err &&
	test_grep "tz-assume" err
'

test_done
