#!/bin/sh
test_description='misuse is said in one line with a hint, by the tool, before any work'
. "$(dirname "$0")/test-lib.sh"

cat >app.log <<'EOF'
{"time":"2026-11-16T02:13:12.250Z","method":"GET","path":"/acme-corp/web","status":200,"username":"alice","remote_ip":"1.2.3.4","meta.project":"acme-corp/web","meta.root_namespace":"acme-corp"}
EOF
echo '{"tenant":"acme-corp"}' >scope.json

q="'"

# misuse TOOL 'what' ARGS... — exit 2, the first line of stderr is
# "TOOL: what", the second the hint, and nothing else.
misuse() {
	tool=$1 what=$2
	shift 2
	test_status 2 "$tool" "$@" </dev/null >out 2>err &&
	test_must_fail test -s out &&
	printf "%s\n" "$tool: $what" "try ${q}$tool --help${q}" >expect &&
	test_cmp expect err
}

for tool in ldgrep ldcut ldredact ldtimeline ldsh; do
	test_expect_success "$tool: an unknown option is named, in one line" "
		misuse $tool \"unknown option '--no-such'\" --no-such &&
		misuse $tool \"unknown option '-%'\" -%
	"
done

test_expect_success 'a missing argument names the option and the argument' '
	misuse ldgrep "option ${q}--regexp${q} needs an argument PATTERN" --regexp &&
	misuse ldgrep "option ${q}-e${q} needs an argument PATTERN" -e &&
	misuse ldtimeline "option ${q}--svg${q} needs an argument FILE" --svg &&
	misuse ldredact "option ${q}--report${q} needs an argument FILE" app.log --report
'

test_expect_success 'a flag given a value it does not take is named' '
	misuse ldgrep "option ${q}--raw${q} takes no argument" --raw=yes
'

test_expect_success 'a bad value names the option, then the hint' '
	misuse ldgrep "--threads: ${q}0${q} is not a number from 1 to 64" -j 0 app.log &&
	misuse ldgrep "--color: ${q}sometimes${q} is not auto, always or never" --color=sometimes app.log &&
	misuse ldgrep "--ip: 10.0.0.0/99: not an IP address or CIDR block" --ip 10.0.0.0/99 app.log &&
	test_status 2 ldgrep -e "(" app.log 2>err &&
	grep -q "^ldgrep: --regexp: pattern .(. at offset 1: missing closing parenthesis$" err &&
	grep -q "^try .ldgrep --help.$" err
'

test_expect_success 'ldbundle: every message starts with ldbundle, then the subcommand' '
	test_status 2 ldbundle create --no-such 2>err &&
	printf "%s\n" "ldbundle: create: unknown option ${q}--no-such${q}" \
	    "try ${q}ldbundle create --help${q}" >expect &&
	test_cmp expect err &&
	test_status 2 ldbundle verify -o 2>err &&
	grep -q "^ldbundle: verify: unknown option ${q}-o${q}$" err &&
	test_status 2 ldbundle export -o 2>err &&
	grep -q "^ldbundle: export: option ${q}-o${q} needs an argument$" err &&
	test_status 2 ldbundle nosuch 2>err &&
	printf "%s\n" "ldbundle: nosuch: unknown command" "try ${q}ldbundle --help${q}" >expect &&
	test_cmp expect err
'

test_expect_success 'a request file that is not there is said so, without a line -1' '
	test_status 2 ldgrep --scope nosuch.json app.log 2>err &&
	echo "ldgrep: nosuch.json: No such file or directory" >expect &&
	test_cmp expect err
'

test_expect_success 'a bad scope value names its flag' '
	test_status 2 ldgrep --ip 10.0.0.0/99 app.log 2>err &&
	grep -q "^ldgrep: --ip: 10.0.0.0/99: " err &&
	test_status 2 ldgrep --since 2026-13-45 app.log 2>err &&
	grep -q "^ldgrep: --since: 2026-13-45" err
'

test_expect_success 'ldredact checks --report and -o before writing a record' '
	test_status 2 ldredact --profile support --scope scope.json \
	    --report nodir/r.json app.log >out 2>err &&
	test_must_fail test -s out &&
	grep -q "^ldredact: --report: nodir/r.json: directory nodir: " err &&
	test_status 2 ldredact --profile support --scope scope.json \
	    -o nodir/x.jsonl app.log >out 2>err &&
	grep -q "^ldredact: --output: nodir/x.jsonl: directory nodir: " err &&
	mkdir adir &&
	test_status 2 ldredact --profile support --scope scope.json \
	    --report adir app.log >out 2>err &&
	test_must_fail test -s out &&
	grep -q "^ldredact: --report: adir: is a directory" err
'

test_expect_success 'ldtimeline checks --svg before drawing anything' '
	test_status 2 ldtimeline --histogram hour --svg nodir/h.svg app.log >out 2>err &&
	test_must_fail test -s out &&
	grep -q "^ldtimeline: --svg: nodir/h.svg: directory nodir: " err
'

test_expect_success 'a directory that cannot be written is refused before the work' '
	mkdir ro && chmod 555 ro &&
	if test -w ro; then
		echo "# running as a user who writes anywhere: skipped" >&2
	else
		test_status 2 ldtimeline --svg ro/h.svg app.log >out 2>err &&
		test_must_fail test -s out &&
		grep -q "^ldtimeline: --svg: ro/h.svg: cannot write in directory ro" err
	fi
'

test_expect_success 'ldbundle create checks -o before reading a source' '
	test_status 2 ldbundle create -o nodir/bag --scope scope.json app.log 2>err &&
	grep -q "^ldbundle: create: -o: nodir/bag: directory nodir: " err &&
	test_must_fail test -e nodir
'

test_expect_success 'ldgen --help says what each option does' '
	ldgen --help >out &&
	for o in "-o, --output DIR" "-s, --seed N" "--days N" "--start DATE" \
	    "--size MB" "--truth" "--help" "--version"; do
		grep -q -- "^ *$o  *[[:alpha:]]" out || { echo "no help for $o" >&2; return 1; }
	done &&
	test_status 2 ldgen --no-such 2>err &&
	printf "%s\n" "ldgen: unknown option ${q}--no-such${q}" "try ${q}ldgen --help${q}" >expect &&
	test_cmp expect err
'

test_done
