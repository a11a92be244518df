#!/bin/sh
test_description='ldindex: what a line holds is in its block, however it is written'
. "$(dirname "$0")/test-lib.sh"

# Lines of one shape in a run (the builder then indexes each line from
# the one before), with the values a scope asks for written in every way
# the matcher reads them: JSON escapes in values and keys, a key given
# twice, a nested object for a dotted path, %2F in an API path, letters
# in another case, an IPv6 address with a port, and nginx text lines.
# For each scope the dive must print what the full scan prints, and find
# something; a value no line holds must skip every source.

# same ARGS... — ldgrep with the index and without: the same bytes, not
# empty.
same() {
	ldgrep --no-index "$@" logs >plain.out 2>plain.err
	ldgrep --index idx "$@" logs >ix.out 2>ix.err
	test_cmp plain.out ix.out && test -s ix.out
}

# line NS USER IP — a rails line of the run's shape.
line() {
	printf '{"method":"GET","path":"/%s/p/-/x","controller":"C","action":"show","time":"2026-11-16T02:%02d:00.000Z","remote_ip":"%s","user_id":%d,"meta.user":"%s","meta.project":"%s/p","meta.root_namespace":"%s","duration_s":0.1}\n' \
	    "$1" $((n % 60)) "$3" $((n + 1)) "$2" "$1" "$1"
	n=$((n + 1))
}

test_expect_success 'set up: runs of one shape, odd lines in the middle' '
	mkdir -p logs && n=0 &&
	{
		i=0
		while [ $i -lt 40 ]; do
			line tenant-$i user-$i 10.0.$i.1 || return 1
			i=$((i + 1))
		done
		line "be\\u0074a" "B\\u006fb" 10.1.0.1
		line "sl\\/ash" carol 10.1.0.2
		line tenant-x "quo\\\"te" "[2001:db8::7]:443"
		line tenant-y dave 10.1.0.3
		printf "{\"method\":\"GET\",\"path\":\"/q\",\"controller\":\"C\",\"action\":\"show\",\"time\":\"2026-11-16T03:00:00Z\",\"meta.root_n\\\\u0061mespace\":\"gamma\",\"meta.user\":\"erin\"}\n"
		printf "{\"controller\":\"C\",\"action\":\"show\",\"time\":\"2026-11-16T03:00:01Z\",\"meta.root_namespace\":\"delta\",\"meta.root_namespace\":\"epsilon\",\"meta.user\":\"frank\"}\n"
		printf "{\"controller\":\"C\",\"action\":\"show\",\"time\":\"2026-11-16T03:00:02Z\",\"meta\":{\"root_namespace\":\"zeta\",\"user\":\"grace\"}}\n"
		printf "{\"controller\":\"C\",\"action\":\"show\",\"time\":\"2026-11-16T03:00:03Z\",\"meta\":{\"root_namespace\":\"zeta2\",\"user\":\"heidi\"}}\n"
		line IOTA Ivan 10.1.0.4
		i=0
		while [ $i -lt 20 ]; do
			line tenant-z$i user-z$i 10.2.0.$i || return 1
			i=$((i + 1))
		done
	} >logs/production_json.log &&
	printf "%s\n" \
	    "{\"method\":\"GET\",\"path\":\"/api/v4/projects/eta%2Fsub%2Fproj\",\"route\":\"/api/:version/projects/:id\",\"time\":\"2026-11-16T04:00:00Z\",\"remote_ip\":\"10.3.0.1\"}" \
	    "{\"method\":\"GET\",\"path\":\"/api/v4/projects/1\",\"route\":\"/api/:version/projects/:id\",\"time\":\"2026-11-16T04:00:01Z\",\"remote_ip\":\"10.3.0.2\"}" \
	    >logs/api_json.log &&
	printf "%s\n" \
	    "192.0.2.9 - - [16/Nov/2026:05:00:00 +0000] \"GET /theta/web/-/tree HTTP/1.1\" 200 12 \"-\" \"curl\"" \
	    "192.0.2.10 - kim [16/Nov/2026:05:00:01 +0000] \"POST /kappa/app.git/git-upload-pack HTTP/1.1\" 200 9 \"-\" \"git\"" \
	    >logs/gitlab_access.log &&
	ldindex -o idx logs
'

test_expect_success 'escaped values: the decoded text is indexed' '
	same --ns beta && same --user bob && same --ns sl/ash &&
	same --user "quo\"te" && same --project beta/p
'

test_expect_success 'an escaped key, a key given twice, a nested object' '
	same --ns gamma && same --ns epsilon && same --ns zeta && same --ns zeta2 &&
	same --user grace
'

test_expect_success 'the line after the odd ones, in any case' '
	same --ns iota && same --ns tenant-y && same --user IVAN &&
	same --ns tenant-z7 && same --ip 10.2.0.7 && same --user 52
'

test_expect_success 'addresses: IPv6 with a port, networks' '
	same --ip 2001:db8::7 && same --ip 2001:db8::/48 && same --ip 10.1.0.0/16
'

test_expect_success 'an API path with %2F, nginx text lines' '
	same --ns eta && same --project eta/sub/proj && same --ns theta &&
	same --ns kappa && same --user kim && same --ip 192.0.2.9
'

test_expect_success 'a value no line holds: every source skipped' '
	test_status 1 ldgrep --index idx --stats --ns nobody-here logs \
	    >out 2>stats &&
	total=$(cat logs/* | wc -l | tr -d " ") &&
	test_grep "skipped by the index	$total of $total lines" stats &&
	test_status 1 ldgrep --index idx --ns delta logs >out &&
	test_status 1 ldgrep --no-index --ns delta logs >out
'

test_done
