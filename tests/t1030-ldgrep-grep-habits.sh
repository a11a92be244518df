#!/bin/sh
test_description='ldgrep takes grep'"'"'s flags with grep'"'"'s meaning'
. "$(dirname "$0")/test-lib.sh"

# Without a scope every line is in scope, so ldgrep --raw must print what
# grep prints for the same flags: grep is the expectation, run on the same
# hand-written file.  The lines mix GitLab JSON and text that no format
# parses, as a real log directory does.
cat >app.log <<'EOF'
{"time":"2026-11-16T02:13:12.250Z","method":"GET","path":"/acme-corp/web","status":200,"username":"alice","remote_ip":"1.2.3.4","meta.project":"acme-corp/web","meta.root_namespace":"acme-corp"}
{"time":"2026-11-16T02:13:13.000Z","method":"GET","path":"/acme-corp/web/-/jobs","status":500,"username":"bob","remote_ip":"1.2.3.4","meta.project":"acme-corp/web","meta.root_namespace":"acme-corp"}
Sidekiq worker restarted a.c
{"time":"2026-11-16T02:13:14.000Z","method":"POST","path":"/other/y","status":200,"username":"alice","remote_ip":"5.6.7.8","meta.project":"other/y","meta.root_namespace":"other"}
abc is not it
{"time":"2026-11-16T02:13:15.000Z","method":"GET","path":"/acme-corp/web/tree","status":404,"username":"carol","remote_ip":"1.2.3.4","meta.project":"acme-corp/web","meta.root_namespace":"acme-corp"}
{"time":"2026-11-16T02:13:16.000Z","method":"GET","path":"/acme-corp/webhooks","status":200,"username":"alice","remote_ip":"1.2.3.4","meta.project":"acme-corp/webhooks","meta.root_namespace":"acme-corp"}
bob logged out
EOF
printf 'nothing to see\n' >quiet.log

# same 'grep flags' 'ldgrep flags' — ldgrep --raw prints what grep does.
same() {
	eval "grep $1 app.log" >expect
	eval "ldgrep --raw $2 app.log" >actual &&
	test_cmp expect actual
}

test_expect_success '-e is repeatable and the patterns are ORed' '
	same "-e carol -e restarted" "-e carol -e restarted" &&
	test_line_count = 2 actual
'

test_expect_success '-F takes the pattern as a string' '
	same "-F -e a.c" "-F -e a.c" &&
	test_line_count = 1 actual &&
	ldgrep --raw -e a.c app.log >re &&
	test_line_count = 2 re
'

test_expect_success '-v prints the lines the pattern does not match' '
	same "-v -e acme-corp" "-v -e acme-corp" &&
	test_line_count = 4 actual
'

test_expect_success '-v inverts the pattern, not the scope' '
	ldgrep --raw --ns acme-corp -v -e "\"status\":200" app.log >actual &&
	grep "acme-corp" app.log | grep -v "\"status\":200" >expect &&
	test_cmp expect actual
'

test_expect_success '-w matches whole words only' '
	same "-w -e web" "-w -e web" &&
	test_line_count = 3 actual &&
	! grep -q webhooks actual
'

test_expect_success '-i ignores case' '
	same "-i -e SIDEKIQ" "-i -e SIDEKIQ" &&
	test_line_count = 1 actual
'

test_expect_success '-m stops after NUM matching lines' '
	same "-m 2 -e alice" "-m 2 -e alice" &&
	test_line_count = 2 actual &&
	ldgrep -m 1 --user alice app.log >recs &&
	test_line_count = 1 recs
'

test_expect_success '-o prints only the matched parts' '
	same "-o -E -e \"status\\\":[0-9]+\" -e bob" "-o -e \"status\\\":[0-9]+\" -e bob" &&
	test_line_count = 7 actual &&
	same "-o -n -H -e bob" "-o -n -H -e bob"
'

test_expect_success '-n and -H prefix the line number and the source' '
	same "-n -e carol" "-n -e carol" &&
	same "-H -n -e carol" "-H -n -e carol" &&
	grep -q "^app.log:6:{" actual &&
	same "-h -e carol" "-H -h -e carol"
'

test_expect_success '-A, -B and -C print context as grep does, with -- between groups' '
	same "-n -A 1 -e restarted -e carol" "-n -A 1 -e restarted -e carol" &&
	same "-n -B 2 -e \"logged out\" -e POST" "-n -B 2 -e \"logged out\" -e POST" &&
	same "-n -C 1 -e restarted -e webhooks" "-n -C 1 -e restarted -e webhooks" &&
	grep -qx -- -- actual &&
	same "-C 1 -e alice" "-C 1 -e alice"
'

test_expect_success 'context lines are marked in ld-records and never counted' '
	ldgrep -C 1 --user carol app.log >recs &&
	test_line_count = 3 recs &&
	sed -n 1p recs | grep -q "\"line\":5,.*\"context\":\"before\",\"ev\":{\"raw\":\"abc is not it\"}}$" &&
	sed -n 2p recs | grep -q "\"line\":6,.*\"user\":\"carol\"" &&
	! sed -n 2p recs | grep -q "\"context\"" &&
	sed -n 3p recs | grep -q "\"line\":7,.*\"context\":\"after\",\"ev\":{" &&
	ldgrep -c -C 1 --user carol app.log >n &&
	echo 1 >one && test_cmp one n
'

test_expect_success 'context stays within its source and the bytes do not depend on -j' '
	cp app.log b.log &&
	ldgrep -j 1 --raw -n -H -B 3 -e "\"username\":\"alice\"" app.log b.log >j1 &&
	ldgrep -j 2 --raw -n -H -B 3 -e "\"username\":\"alice\"" app.log b.log >j2 &&
	test_cmp j1 j2 &&
	for f in app.log b.log; do
		grep -n -H -B 3 -e "\"username\":\"alice\"" $f || return 1
	done >expect &&
	test_cmp expect j1
'

test_expect_success '--color=always marks matches in red and scope values in yellow' '
	ldgrep --raw --color=always --user carol -e 404 app.log >actual &&
	esc=$(printf "\033") &&
	grep -q "${esc}\[01;31m404${esc}\[m" actual &&
	grep -q "\"username\":\"${esc}\[01;33mcarol${esc}\[m\"" actual &&
	sed "s/${esc}\[[0-9;]*m//g" actual >plain &&
	grep carol app.log >expect &&
	test_cmp expect plain
'

test_expect_success '--color=auto and never colour nothing in a pipe; NO_COLOR is honoured' '
	ldgrep --raw --color -e carol app.log >auto &&
	ldgrep --raw --color=never -e carol app.log >never &&
	grep carol app.log >expect &&
	test_cmp expect auto && test_cmp expect never &&
	test_status 2 ldgrep --raw --color=sometimes -e carol app.log 2>err &&
	grep -q "^ldgrep: --color: .sometimes. is not auto, always or never" err
'

test_expect_success '-c prints the sources with matches unless --count-all' '
	ldgrep -c -e carol app.log quiet.log >actual &&
	echo app.log:1 >expect &&
	test_cmp expect actual &&
	ldgrep -c --count-all -e carol app.log quiet.log >actual &&
	printf "app.log:1\nquiet.log:0\n" >expect &&
	test_cmp expect actual &&
	test_status 1 ldgrep -c -e carol quiet.log >actual &&
	echo 0 >expect &&
	test_cmp expect actual
'

test_expect_success '--field keeps its meaning under -p' '
	ldgrep -p "status=404" app.log >a &&
	ldgrep --field "status=404" app.log >b &&
	test_cmp a b &&
	test_line_count = 1 a
'

test_expect_success 'misuse names the option and the problem in one line, then a hint' '
	test_status 2 ldgrep --colour=always app.log 2>err &&
	printf "%s\n" "ldgrep: unknown option '"'"'--colour'"'"'" "try '"'"'ldgrep --help'"'"'" >expect &&
	test_cmp expect err &&
	test_status 2 ldgrep -Z app.log 2>err &&
	sed -n 1p err >first && echo "ldgrep: unknown option '"'"'-Z'"'"'" >expect &&
	test_cmp expect first && test_line_count = 2 err &&
	test_status 2 ldgrep app.log -e 2>err &&
	grep -q "^ldgrep: option .-e. needs an argument" err && test_line_count = 2 err &&
	test_status 2 ldgrep --max-count 2>err &&
	grep -q "^ldgrep: option .--max-count. needs an argument" err &&
	test_status 2 ldgrep --count=3 app.log 2>err &&
	grep -q "^ldgrep: option .--count. takes no argument" err &&
	test_status 2 ldgrep -v app.log 2>err &&
	grep -q "^ldgrep: option .-v. needs a pattern" err &&
	test_status 2 ldgrep -m zero -e x app.log 2>err &&
	grep -q "^ldgrep: --max-count: .zero. is not a number" err
'

test_done
