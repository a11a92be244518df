#!/bin/sh
test_description='ldindex: every value the exact parse derives is in its block'
. "$(dirname "$0")/test-lib.sh"

# The index is built from the parser's fast path (no tree, a line indexed
# again from the one before); the check parses every line again with a
# jansson tree and asks, for each value a scope can name that matches the
# line (every namespace prefix, project, user, user id, event, address,
# correlation id with --cids) and for its time, whether the line's block
# may hold it.  One "no" is a dive that would miss the line.
# (tests/unit/index.c, "superset" mode.)

superset() {
	"$LD_BUILD/tests/index.t" superset "$@" >tap.out 2>&1
	st=$?
	cat tap.out
	! grep "^not ok" tap.out >/dev/null && test $st = 0
}

test_expect_success 'an ldgen corpus: archives, members, every kind of log' '
	ldgen -s 3 --size 2 -o gen >/dev/null &&
	superset $(find gen/archive -type f | sort)
'

test_expect_success 'a many-tenant month (ldgen --saas)' '
	ldgen -s 5 --saas --size 2 -o saas >/dev/null &&
	superset $(find saas/archive -type f | sort)
'

test_expect_success 'the real lines of tests/fixtures/real' '
	superset $(find "$SRC_DIRECTORY/tests/fixtures/real" -type f \
	    ! -name "*.md" ! -name "*.tsv" | sort)
'

# line NS USER IP — a rails line of one shape, so that the lines around
# the odd ones are indexed again from the line before.
line() {
	printf '{"method":"GET","path":"/%s/p/-/x","controller":"C","action":"show","time":"2026-11-16T02:%02d:00.000Z","remote_ip":"%s","user_id":%d,"meta.user":"%s","meta.project":"%s/p","meta.root_namespace":"%s","duration_s":0.1}\n' \
	    "$1" $((n % 60)) "$3" $((n + 1)) "$2" "$1" "$1"
	n=$((n + 1))
}

test_expect_success 'hostile lines between runs of one shape' '
	mkdir -p odd && n=0 && {
		i=0
		while [ $i -lt 30 ]; do
			line tenant-$i user-$i 10.0.$i.1 || return 1
			i=$((i + 1))
		done
		line "be\\u0074a" "B\\u006fb" 10.1.0.1
		line "sl\\/ash" carol 10.1.0.2
		line "Mixed-CASE" "Upper.User" "[2001:DB8::7]:443"
		line tenant-x "quo\\\"te" "2001:db8:0:0:0:0:0:8"
		line "esc\\u00e9" "\\u00fcser" "10.1.0.3:8080"
		line tenant-y dave "::ffff:10.1.0.4"
		printf "%s\n" \
		    "{\"controller\":\"C\",\"action\":\"show\",\"time\":\"2026-11-16T03:00:00Z\",\"meta.root_n\\\\u0061mespace\":\"gamma\",\"meta.user\":\"erin\"}" \
		    "{\"controller\":\"C\",\"action\":\"show\",\"time\":\"2026-11-16T03:00:01Z\",\"meta.root_namespace\":\"delta\",\"meta.root_namespace\":\"epsilon\",\"meta.user\":\"frank\"}" \
		    "{\"controller\":\"C\",\"action\":\"show\",\"time\":\"2026-11-16T03:00:02Z\",\"meta\":{\"root_namespace\":\"zeta\",\"user\":\"grace\"}}" \
		    "{\"controller\":\"C\",\"action\":\"show\",\"time\":\"2026-11-16T03:00:03Z\",\"meta\":{\"root_namespace\":\"inner\"},\"meta.root_namespace\":\"outer\",\"x\":{\"meta.root_namespace\":\"deeper\"}}" \
		    "{\"controller\":\"C\",\"action\":\"show\",\"time\":\"2026-11-16T03:00:04+02:00\",\"meta.project\":\"a/b\",\"meta.project\":\"c/d\",\"user_id\":\"12\",\"remote_ip\":\"10.9.0.1, 10.9.0.2\"}" \
		    "{\"controller\":\"C\",\"action\":\"show\",\"time\":\"2026-11-16T03:00:05.123456789Z\",\"meta.user\":null,\"username\":\"fallback\",\"user_id\":1e3,\"remote_ip\":\"not-an-ip\"}" \
		    "{\"controller\":\"C\" , \"action\" : \"sh\\u006fw\" ,\"time\":\"2026-11-16T03:00:06Z\",\"meta.root_namespace\":\"spaced\"}" \
		    "{\"controller\":\"C\",\"action\":\"show\",\"time\":\"2026-11-16T03:00:07Z\",\"params\":[{\"key\":\"project_path\",\"value\":\"kw/proj\"}]}" \
		    "{\"controller\":\"C\",\"action\":\"show\",\"time\":\"2026-11-16T03:00:08Z\",\"meta.root_namespace\":\"bad-utf8-$(printf "\\377")\"}" \
		    "{not json but braces \"meta.root_namespace\":\"fake\"}" \
		    "{\"controller\":\"C\",\"action\":\"show\",\"time\":\"2026-11-16T03:00:09Z\",\"meta.root_namespace\":\"trunc"
		i=0
		while [ $i -lt 20 ]; do
			line tenant-z$i user-z$i 10.2.0.$i || return 1
			i=$((i + 1))
		done
	} >odd/production_json.log &&
	printf "%s\n" \
	    "{\"method\":\"GET\",\"path\":\"/api/v4/projects/eta%2Fsub%2Fproj\",\"route\":\"/api/:version/projects/:id\",\"time\":\"2026-11-16T04:00:00Z\",\"remote_ip\":\"10.3.0.1\"}" \
	    "{\"method\":\"GET\",\"path\":\"/api/v4/projects/ETA%2fsub\",\"route\":\"/api/:version/projects/:id\",\"time\":\"2026-11-16T04:00:01Z\",\"remote_ip\":\"10.3.0.2\"}" \
	    >odd/api_json.log &&
	printf "%s\n" \
	    "192.0.2.9 - - [16/Nov/2026:05:00:00 +0000] \"GET /theta/web/-/tree HTTP/1.1\" 200 12 \"-\" \"curl\"" \
	    "{\"GET /kappa/app.git/git-upload-pack HTTP/1.1\" 200 9 \"-\" \"git\"" \
	    >odd/gitlab_access.log &&
	superset odd/production_json.log odd/api_json.log odd/gitlab_access.log &&
	grep "production_json.log (cids 0): $(wc -l <odd/production_json.log | tr -d " ") lines" tap.out
'

# Flat lines (no escape, no object or array: read by their shape, not
# parsed, format.h) of every kind the shape reader must tell apart or
# give up on, between runs of one shape; "superset" also checks that the
# index is the one parsing every line gives.
flat() {
	printf '{"controller":"C","action":"show","time":"2026-11-16T06:%02d:00Z",%s}\n' \
	    $((n % 60)) "$1"
	n=$((n + 1))
}

test_expect_success 'flat lines: shapes alike but for a key, odd values, spaces, limits' '
	mkdir -p flat && n=0 && {
		i=0
		while [ $i -lt 10 ]; do
			flat "\"meta.user\":\"u$i\",\"meta.root_namespace\":\"t$i\"" || return 1
			i=$((i + 1))
		done
		# the same lengths and types, another key: not the same shape
		flat "\"meta.uxer\":\"notuser\",\"meta.root_namespace\":\"t20\""
		flat "\"meta.user\":\"u21\",\"meta.root_nXmespace\":\"notns\""
		flat "\"meta.user\":\"\",\"username\":\"fallback-user\",\"meta.root_namespace\":\"t22\""
		flat "\"meta.user\":null,\"username\":\"null-user\",\"meta.root_namespace\":null,\"meta.project\":\"t23/p\""
		flat "\"user_id\":1.5,\"meta.user\":\"real-id\""
		flat "\"user_id\":-0,\"meta.user\":\"minus-zero\""
		flat "\"user_id\":0,\"meta.user\":\"zero\""
		flat "\"user_id\":123456789012345678,\"meta.user\":\"eighteen\""
		flat "\"user_id\":1234567890123456789,\"meta.user\":\"nineteen\""
		flat "\"user_id\":true,\"meta.user\":\"truth\""
		flat "\"user_id\":\"42\",\"meta.user\":\"string-id\""
		flat "\"meta.user\":\"dup1\",\"meta.user\":\"dup2\",\"meta.root_namespace\":\"t24\""
		flat "\"meta.user\":\"DEL$(printf "\\177")x\",\"remote_ip\":\"10.5.0.1\""
		flat "\"remote_ip\":\"2001:db8::1\",\"meta.user\":\"v6\""
		flat "\"remote_ip\":\"10.5.0.2:8080\",\"path\":\"/t25/p/-/x\""
		printf "%s\n" \
		    "{ \"controller\" : \"C\" , \"action\" : \"show\" , \"time\" : \"2026-11-16T07:00:00Z\" , \"meta.root_namespace\" : \"spaced-ns\" }" \
		    "  {\"controller\":\"C\",\"action\":\"show\",\"time\":\"2026-11-16T07:00:01Z\",\"meta.root_namespace\":\"lead-space\"}  " \
		    "{\"controller\":\"C\",\"action\":\"show\",\"time\":\"2026-11-16T07:00:02Z\",\"meta.root_namespace\":\"t26\",\"user_id\":007}" \
		    "{\"controller\":\"C\",\"action\":\"show\",\"time\":1763276403,\"meta.root_namespace\":\"epoch-time\"}" \
		    "{\"controller\":\"C\",\"action\":\"show\",\"time\":\"2026-11-16T07:00:04Z\",\"meta.root_namespace\":\"t27\"" \
		    "{\"controller\":\"C\",\"action\":\"show\",\"time\":\"2026-11-16T07:00:05Z\",\"meta.root_namespace\":\"t28\"}x" \
		    "{\"controller\":\"C\",\"action\":\"show\",\"time\":\"2026-11-16T07:00:06Z\",\"meta.root_namespace\":\"t29\",}" \
		    "{}" \
		    "{\"action\":\"show\",\"time\":\"2026-11-16T07:00:07Z\",\"meta.root_namespace\":\"no-controller\"}"
		# more members than a flat line holds, and keys longer than a
		# shape keeps
		printf "{\"controller\":\"C\",\"action\":\"show\",\"time\":\"2026-11-16T07:01:00Z\",\"meta.root_namespace\":\"many\""
		i=0
		while [ $i -lt 130 ]; do printf ",\"k%d\":%d" $i $i; i=$((i + 1)); done
		printf "}\n"
		printf "{\"controller\":\"C\",\"action\":\"show\",\"time\":\"2026-11-16T07:02:00Z\",\"meta.root_namespace\":\"longkeys\""
		i=0
		while [ $i -lt 40 ]; do printf ",\"%0120d\":%d" $i $i; i=$((i + 1)); done
		printf "}\n"
		i=0
		while [ $i -lt 10 ]; do
			flat "\"meta.user\":\"w$i\",\"meta.root_namespace\":\"s$i\"" || return 1
			i=$((i + 1))
		done
	} >flat/production_json.log &&
	superset flat/production_json.log &&
	grep "production_json.log (cids 0): the same index" tap.out &&
	ldindex -o fidx flat/production_json.log &&
	: >found &&
	for q in "--user notuser" "--user fallback-user" "--user null-user" \
	    "--user real-id" "--user minus-zero" "--user eighteen" \
	    "--user nineteen" "--user truth" "--user string-id" "--user dup1" \
	    "--user dup2" "--user v6" "--user w9" "--ns t20" "--ns notns" \
	    "--ns t22" "--ns t23" "--ns t24" "--ns t25" "--ns spaced-ns" \
	    "--ns lead-space" "--ns epoch-time" "--ns many" "--ns longkeys" \
	    "--ns s9" "--user 42" "--user 0" "--ip 10.5.0.2"; do
		ldgrep --no-index $q flat/production_json.log >want
		st1=$?
		ldgrep --index fidx $q flat/production_json.log >got
		st2=$?
		test $st1 = $st2 && test $st1 -le 1 && test_cmp want got &&
		cat want >>found || return 1
	done &&
	# not a vacuous comparison: most of them find their line
	test $(wc -l <found) -ge 20
'

# Optional template parts ("{entity_type?}:{entity_path}|ifproject", the
# audit formats): without a value a part gives "", not nothing, in flat
# lines read by their shape too.
test_expect_success 'flat audit lines: optional parts absent, null, or there' '
	mkdir -p aud && {
		i=0
		while [ $i -lt 5 ]; do
			printf "{\"severity\":\"INFO\",\"time\":\"2026-11-16T08:0%d:00Z\",\"author_id\":%d,\"author_name\":\"a%d\",\"entity_id\":%d,\"entity_type\":\"Project\",\"entity_path\":\"grp$i/proj$i\",\"meta.user\":\"u$i\"}\n" $i $i $i $i || return 1
			i=$((i + 1))
		done
		# each shape twice: the second line of a shape is the one read
		# by it, not parsed
		printf "%s\n" \
		    "{\"severity\":\"INFO\",\"time\":\"2026-11-16T08:10:00Z\",\"author_id\":7,\"author_name\":\"b\",\"entity_id\":7,\"entity_path\":\"nogrp0/noproj0\",\"meta.user\":\"v0\"}" \
		    "{\"severity\":\"INFO\",\"time\":\"2026-11-16T08:11:00Z\",\"author_id\":8,\"author_name\":\"c\",\"entity_id\":8,\"entity_type\":null,\"entity_path\":\"nullgrp0/nullproj0\",\"meta.user\":\"v00\"}" \
		    "{\"severity\":\"INFO\",\"time\":\"2026-11-16T08:12:00Z\",\"author_id\":9,\"author_name\":\"d\",\"entity_id\":9,\"entity_type\":\"Group\",\"entity_path\":\"onlygroup0\",\"meta.user\":\"v000\"}" \
		    "{\"severity\":\"INFO\",\"time\":\"2026-11-16T08:10:00Z\",\"author_id\":7,\"author_name\":\"b\",\"entity_id\":7,\"entity_path\":\"nogrp/noproj\",\"meta.user\":\"v1\"}" \
		    "{\"severity\":\"INFO\",\"time\":\"2026-11-16T08:11:00Z\",\"author_id\":8,\"author_name\":\"c\",\"entity_id\":8,\"entity_type\":null,\"entity_path\":\"nullgrp/nullproj\",\"meta.user\":\"v2\"}" \
		    "{\"severity\":\"INFO\",\"time\":\"2026-11-16T08:12:00Z\",\"author_id\":9,\"author_name\":\"d\",\"entity_id\":9,\"entity_type\":\"Group\",\"entity_path\":\"onlygroup\",\"meta.user\":\"v3\"}" \
		    "{\"severity\":\"INFO\",\"time\":\"2026-11-16T08:13:00Z\",\"author_id\":10,\"author_name\":\"e\",\"entity_id\":10,\"entity_path\":\"nogrp2/noproj2\",\"meta.user\":\"v4\"}"
	} >aud/audit_json.log &&
	superset aud/audit_json.log &&
	grep "audit_json.log (cids 0): the same index" tap.out &&
	ldindex -o aidx aud/audit_json.log &&
	for p in nogrp/noproj nullgrp/nullproj nogrp2/noproj2 grp4/proj4 onlygroup; do
		ldgrep --no-index --project "$p" aud/audit_json.log >want
		st1=$?
		ldgrep --index aidx --project "$p" aud/audit_json.log >got
		st2=$?
		test $st1 = $st2 && test $st1 -le 1 && test_cmp want got || return 1
	done &&
	ldgrep --index aidx --project nullgrp/nullproj aud/audit_json.log | grep -c "\"v2\"" | grep -qx 1
'

# Two formats in one block: the same text in the same field and
# alternative of each makes different values (the API log's meta.project
# as written, the audit log's "{entity_type?}:{entity_path}|ifproject"),
# so what a block remembers of a text is its format's: a hostile value in
# one line must not hide another line's project.
test_expect_success 'flat lines of two formats in one block, the same text' '
	mkdir -p two && {
		printf "%s\n" \
		    "{\"severity\":\"INFO\",\"time\":\"2026-11-16T09:00:00Z\",\"author_id\":1,\"entity_type\":\"Project\",\"entity_path\":\"first/proj\"}" \
		    "{\"route\":\"/api/:version/projects\",\"path\":\"/api/v4/projects\",\"time\":\"2026-11-16T09:01:00Z\",\"meta.project\":\"other/one\"}" \
		    "{\"route\":\"/api/:version/projects\",\"path\":\"/api/v4/projects\",\"time\":\"2026-11-16T09:02:00Z\",\"meta.project\":\"Project:acme/hidden\"}" \
		    "{\"severity\":\"INFO\",\"time\":\"2026-11-16T09:03:00Z\",\"author_id\":2,\"entity_type\":\"Project\",\"entity_path\":\"acme/hidden\"}"
	} >two/mixed.log &&
	ldcut -f fmt,project two/mixed.log >fields &&
	grep -c "\"fmt\":\"gitlab.audit\",\"project\":\"acme/hidden\"" fields | grep -qx 1 &&
	grep -c "\"fmt\":\"gitlab.api\",\"project\":\"Project:acme/hidden\"" fields | grep -qx 1 &&
	superset two/mixed.log &&
	grep "mixed.log (cids 0): the same index" tap.out &&
	ldindex -o tidx two/mixed.log &&
	ldgrep --index tidx --project acme/hidden two/mixed.log >got &&
	grep -c "\"line\":4," got | grep -qx 1
'

test_done
