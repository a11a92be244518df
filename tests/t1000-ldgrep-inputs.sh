#!/bin/sh
test_description='ldgrep reads plain, compressed and archived sources alike'
. "$(dirname "$0")/test-lib.sh"

mkdir -p root/var/log/gitlab/gitlab-rails root/var/log/gitlab/nginx
cat >root/var/log/gitlab/gitlab-rails/production_json.log <<'JSON'
{"method":"GET","path":"/acme-corp/web/blob/master/README","controller":"Projects::BlobController","action":"show","status":200,"time":"2026-11-16T02:13:12.250Z","remote_ip":"1.2.3.4","user_id":42,"username":"alice","meta.user":"alice","meta.project":"acme-corp/web","meta.root_namespace":"acme-corp","correlation_id":"LOt9hgi1TV4"}
{"method":"GET","path":"/acme-corporation/x","controller":"Projects::TreeController","action":"show","status":200,"time":"2026-11-16T02:14:00.000Z","remote_ip":"5.6.7.8","user_id":7,"username":"bob","meta.user":"bob","meta.project":"acme-corporation/x","meta.root_namespace":"acme-corporation"}
Traceback (most recent call last): acme-corp alice
{"method":"POST","path":"/acme-corp/web/-/settings","controller":"Projects::SettingsController","action":"update","status":302,"time":"2026-11-17T09:00:00.001Z","remote_ip":"2001:db8::5","user_id":43,"username":"alice2","meta.user":"alice2","meta.project":"ACME-Corp/web","meta.root_namespace":"ACME-Corp"}
JSON
printf '%s\r\n' \
  '1.2.3.4 - alice [16/Nov/2026:02:15:00 +0000] "GET /acme-corp/web.git/info/refs?service=git-upload-pack HTTP/1.1" 200 123 "-" "git/2.40" -' \
  '9.9.9.9 - - [16/Nov/2026:02:16:00 +0000] "GET /users/sign_in HTTP/1.1" 200 5 "-" "curl" -' \
  >root/var/log/gitlab/nginx/gitlab_access.log

test_expect_success 'set up every container kind' '
	(cd root && tar -cf ../host.tar var) &&
	zstd -q -c host.tar >host.tar.zst &&
	gzip -c host.tar >host.tgz &&
	cp root/var/log/gitlab/gitlab-rails/production_json.log production_json.log &&
	zstd -q -c production_json.log >production_json.log.zst &&
	gzip -c production_json.log >production_json.log.gz &&
	xz -c production_json.log >production_json.log.xz 2>/dev/null || cp production_json.log.gz production_json.log.xz
'

test_expect_success 'a plain file: records with provenance and canonical fields' '
	ldgrep --ns acme-corp production_json.log >out &&
	test_line_count = 2 out &&
	head -n 1 out | grep -q "^{\"ts\":\"2026-11-16T02:13:12.250Z\",\"src\":\"production_json.log\",\"line\":1,\"fmt\":\"gitlab.rails\",\"ns\":\"acme-corp\",\"project\":\"acme-corp/web\",\"user\":\"alice\",\"user_id\":\"42\",\"ip\":\"1.2.3.4\"" &&
	sed -n 2p out | grep -q "\"line\":4,"
'

test_expect_success 'the event is kept byte for byte' '
	ldgrep --ns acme-corp --user alice production_json.log >out &&
	sed -n 1p production_json.log >expect &&
	sed "s/.*,\"ev\"://; s/}\$//" out >actual &&
	test_cmp expect actual
'

test_expect_success 'zstd, gzip and xz files give the same records under their own names' '
	ldgrep --ns acme-corp production_json.log >plain &&
	for f in production_json.log.zst production_json.log.gz production_json.log.xz; do
		ldgrep --ns acme-corp $f >out.$f &&
		sed "s/\"src\":\"[^\"]*\"/\"src\":\"X\"/" out.$f >a &&
		sed "s/\"src\":\"[^\"]*\"/\"src\":\"X\"/" plain >b &&
		test_cmp b a &&
		grep -q "\"src\":\"$f\"" out.$f || return 1
	done
'

test_expect_success 'tar, tar.zst and tgz members are named path!member' '
	tar -tf host.tar | grep "\.log\$" >members &&
	test_line_count = 2 members &&
	for f in host.tar host.tar.zst host.tgz; do
		ldgrep --ns acme-corp --raw -l $f >list &&
		sed "s|^|$f!|" members >expect &&
		test_cmp expect list || return 1
	done
'

test_expect_success 'detection is by content, not by name' '
	cp host.tar.zst mystery.bin &&
	ldgrep --ns acme-corp -c mystery.bin >out &&
	grep -q "^mystery.bin!var/log/gitlab/gitlab-rails/production_json.log:2\$" out
'

test_expect_success 'CRLF line endings are handled' '
	ldgrep --user alice --raw root/var/log/gitlab/nginx/gitlab_access.log >out &&
	test_line_count = 1 out &&
	! grep -q "$(printf "\r")" out
'

test_expect_success '--raw on ld-records gives back the original log lines' '
	cat production_json.log root/var/log/gitlab/nginx/gitlab_access.log >orig &&
	ldgrep --user alice production_json.log root/var/log/gitlab/nginx/gitlab_access.log >recs &&
	ldgrep --raw --user alice <recs >actual &&
	ldgrep --raw --user alice production_json.log \
	    root/var/log/gitlab/nginx/gitlab_access.log >expect &&
	test_line_count = 2 expect &&
	test_cmp expect actual
'

test_expect_success 'directories are recursed in sorted order' '
	ldgrep --ns acme-corp -l root >out &&
	printf "%s\n" root/var/log/gitlab/gitlab-rails/production_json.log \
	  root/var/log/gitlab/nginx/gitlab_access.log >expect &&
	test_cmp expect out
'

test_expect_success 'standard input is "-"' '
	ldgrep --user alice <production_json.log >out &&
	grep -q "\"src\":\"-\"" out && test_line_count = 1 out
'

test_expect_success 'exit 1 when nothing matches' '
	test_status 1 ldgrep --user nobody production_json.log >out &&
	test_line_count = 0 out
'

test_expect_success 'a missing file is named, the others still searched, exit 2' '
	test_status 2 ldgrep --user alice no-such-file production_json.log >out 2>err &&
	grep -q "^ldgrep: no-such-file: No such file or directory\$" err &&
	test_line_count = 1 out
'

test_expect_success 'a truncated archive: what came before is searched, exit 2' '
	sed -n 1p production_json.log >first &&
	awk -v seed=7 "BEGIN { srand(seed) }
	    NR == 1 { first = \$0 }
	    END { for (i = 0; i < 4000; i++) { print first; s = \"\";
	          for (k = 0; k < 40; k++) s = s sprintf(\"%08x\", int(rand() * 4294967295));
	          print s } }" first >big.log &&
	mkdir -p t2 && cp big.log t2/production_json.log &&
	(cd t2 && tar -cf - production_json.log) | zstd -q >big.tar.zst &&
	size=$(wc -c <big.tar.zst) &&
	head -c $((size / 2)) big.tar.zst >cut.tar.zst &&
	test_status 2 ldgrep --user alice -c cut.tar.zst production_json.log >out 2>err &&
	grep -q "^ldgrep: cut.tar.zst!production_json.log: truncated zstd frame" err &&
	n=$(sed -n "s/^cut.tar.zst!production_json.log://p" out) &&
	test "$n" -gt 100 && test "$n" -lt 4000 &&
	grep -q "^production_json.log:1\$" out
'

test_expect_success 'a corrupt gzip member is reported with its name' '
	gzip -c big.log >big.log.gz &&
	size=$(wc -c <big.log.gz) &&
	head -c $((size / 2)) big.log.gz >cut.log.gz &&
	test_status 2 ldgrep --user alice -c cut.log.gz >out 2>err &&
	grep -q "^ldgrep: cut.log.gz: " err
'

test_expect_success 'output is the same for -j 1, -j 2 and -j 8' '
	mkdir in && cp *.zst *.gz *.tgz *.tar *.log in/ &&
	test_status 2 ldgrep --ns acme-corp -j 1 in >j1 2>e1 &&
	test_status 2 ldgrep --ns acme-corp -j 2 in >j2 2>e2 &&
	test_status 2 ldgrep --ns acme-corp -j 8 in >j8 2>e8 &&
	test -s j1 && test_cmp j1 j2 && test_cmp j1 j8 &&
	test_cmp e1 e2 && test_cmp e1 e8
'

test_expect_success 'an input that is also the output is refused' '
	test_status 2 ldgrep --ns acme-corp in >>in/out.log 2>err &&
	grep -q "^ldgrep: in/out.log: input file is also the output\$" err
'

test_done
