#!/bin/sh
test_description='formats and transforms on hand-written lines of families with no real line at hand'
. "$(dirname "$0")/test-lib.sh"

# These lines are written by hand, in the shapes GitLab's documentation and
# sources give, for what tests/fixtures/real has no real line of (see its
# SOURCES.md).  Each is read by name and on standard input.
FIELDS=fmt,ts,ns,project,user,user_id,ip,event

# check FILE 'expected row' [ldcut options] — by name and on stdin.
check() {
	f=$1 want=$2
	shift 2
	printf "%s\n" "$want" >expect &&
	ldcut "$@" -f $FIELDS -o tsv --no-header "$f" >actual &&
	test_cmp expect actual &&
	ldcut "$@" -f $FIELDS -o tsv --no-header - <"$f" >actual &&
	test_cmp expect actual
}

test_expect_success 'NGINX: a remote_user with spaces, the project from the path' '
	mkdir -p nginx &&
	echo "203.0.113.7 - John Q Public [25/Oct/2024:14:48:00 +0200] \"GET /acme-corp/web/-/merge_requests/1 HTTP/1.1\" 200 512 \"-\" \"curl/8.4.0\"" >nginx/gitlab_access.log &&
	check nginx/gitlab_access.log "nginx.access	2024-10-25T12:48:00Z	acme-corp	acme-corp/web	John Q Public		203.0.113.7	GET"
'

test_expect_success 'NGINX: the tenant of an API call from its referer' '
	echo "2001:db8::7 - - [25/Oct/2024:14:48:00 +0000] \"POST /api/graphql HTTP/1.1\" 200 77 \"https://gitlab.example.com/acme-corp/sub/web/-/issues/3\" \"Mozilla/5.0\"" >nginx/gitlab_access.log &&
	check nginx/gitlab_access.log "nginx.access	2024-10-25T14:48:00Z	acme-corp	acme-corp/sub/web			2001:db8::7	POST"
'

test_expect_success 'NGINX error log: local time, zone assumed' '
	echo "2024/05/16 14:53:09 [error] 1234#0: *5 open() \"/var/opt/gitlab/nginx/www/favicon.ico\" failed (2: No such file or directory), client: 203.0.113.7, server: gitlab.example.com, request: \"GET /acme-corp/web.git/info/refs HTTP/1.1\"" >nginx/gitlab_error.log &&
	check nginx/gitlab_error.log "nginx.error	2024-05-16T12:53:09Z	acme-corp	acme-corp/web			203.0.113.7	error" --tz-assume +02:00 &&
	ldcut -f ts -o tsv --no-header nginx/gitlab_error.log >actual 2>err &&
	echo >expect &&
	test_cmp expect actual &&
	test_grep "1 time without a zone" err
'

test_expect_success 'Sidekiq: the job a wrapper runs is the event' '
	mkdir -p sidekiq &&
	echo "{\"severity\":\"INFO\",\"time\":\"2024-05-31T14:34:02.607Z\",\"class\":\"ActiveJob::QueueAdapters::SidekiqAdapter::JobWrapper\",\"wrapped\":\"ActionMailer::MailDeliveryJob\",\"queue\":\"mailers\",\"jid\":\"e279aa6409ac33031a314822\",\"meta.user\":\"alice\",\"meta.user_id\":42,\"meta.project\":\"acme-corp/web\",\"meta.root_namespace\":\"acme-corp\",\"job_status\":\"done\"}" >sidekiq/current &&
	check sidekiq/current "gitlab.sidekiq	2024-05-31T14:34:02.607Z	acme-corp	acme-corp/web	alice	42		ActionMailer::MailDeliveryJob"
'

test_expect_success 'exceptions: fields nested in extra.sidekiq and user' '
	mkdir -p gitlab-rails &&
	echo "{\"severity\":\"ERROR\",\"time\":\"2024-05-31T14:34:02.607Z\",\"exception.class\":\"Gitlab::Git::CommandError\",\"extra.sidekiq\":{\"class\":\"RepositoryImportWorker\",\"meta.project\":\"acme-corp/web\",\"meta.user\":\"alice\",\"meta.user_id\":42,\"meta.remote_ip\":\"203.0.113.9, 10.0.0.1\"}}" >gitlab-rails/exceptions_json.log &&
	check gitlab-rails/exceptions_json.log "gitlab.exceptions	2024-05-31T14:34:02.607Z	acme-corp	acme-corp/web	alice	42	203.0.113.9	Gitlab::Git::CommandError"
'

test_expect_success 'GitLab Shell: the SSH command names the project' '
	mkdir -p gitlab-shell &&
	echo "{\"env\":{\"GitProtocolVersion\":\"\",\"IsSSHConnection\":true,\"OriginalCommand\":\"git-upload-pack '"'"'/acme-corp/web.git'"'"'\",\"RemoteAddr\":\"[2001:db8::1]:51234\"},\"level\":\"info\",\"msg\":\"gitlab-shell: main: executing command\",\"time\":\"2024-05-16T14:53:09Z\"}" >gitlab-shell/gitlab-shell.log &&
	check gitlab-shell/gitlab-shell.log "gitlab.go	2024-05-16T14:53:09Z	acme-corp	acme-corp/web			2001:db8::1	gitlab-shell: main: executing command"
'

test_expect_success 'GitLab Shell: a deploy key'"'"'s GL_ID is no user id' '
	printf "%s\n" \
	    "{\"env\":{\"GL_ID\":\"key-5\",\"OriginalCommand\":\"git-upload-pack '"'"'acme-corp/web.git'"'"'\"},\"gl_project_path\":\"acme-corp/web\",\"level\":\"info\",\"msg\":\"executing git command\",\"time\":\"2024-05-16T14:53:09Z\"}" \
	    "{\"env\":{\"GL_ID\":\"user-5\",\"OriginalCommand\":\"git-upload-pack '"'"'acme-corp/web.git'"'"'\"},\"gl_project_path\":\"acme-corp/web\",\"level\":\"info\",\"msg\":\"executing git command\",\"time\":\"2024-05-16T14:53:09Z\"}" \
	    >gitlab-shell/gitlab-shell.log &&
	printf "%s\n" "gitlab.shell	2024-05-16T14:53:09Z	acme-corp	acme-corp/web				executing git command" \
	    "gitlab.shell	2024-05-16T14:53:09Z	acme-corp	acme-corp/web		5		executing git command" >expect &&
	ldcut -f $FIELDS -o tsv --no-header gitlab-shell/gitlab-shell.log >actual &&
	test_cmp expect actual &&
	ldcut -f $FIELDS -o tsv --no-header - <gitlab-shell/gitlab-shell.log >actual &&
	test_cmp expect actual
'

test_expect_success 'GitLab Shell text log (before 12.5): local time' '
	echo "I, [2015-02-13T06:17:00.671315 #9291]  INFO -- : Adding project root/example.git at </var/opt/gitlab/git-data/repositories/root/dcdcdcdcd.git>." >gitlab-shell/gitlab-shell.log &&
	check gitlab-shell/gitlab-shell.log "gitlab.shell_text	2015-02-13T06:17:00.671315Z	root	root/example				" --tz-assume UTC
'

test_expect_success 'registry: address, project and user of a request' '
	mkdir -p registry &&
	echo "time=\"2024-05-16T14:53:09.98Z\" level=info msg=\"response completed\" go.version=go1.21 http.request.host=registry.example.com http.request.method=GET http.request.remoteaddr=\"203.0.113.7:51234\" http.request.uri=\"/v2/acme-corp/web/manifests/latest\" auth.user.name=alice http.response.status=200" >registry/current &&
	check registry/current "gitlab.registry	2024-05-16T14:53:09.98Z	acme-corp	acme-corp/web	alice		203.0.113.7	response completed"
'

test_expect_success 'Praefect and mail_room lines have formats of their own' '
	mkdir -p praefect mailroom &&
	echo "{\"level\":\"info\",\"msg\":\"repository scheduled for replication\",\"relative_path\":\"@hashed/ab/cd/abcd.git\",\"time\":\"2024-05-16T14:53:09.981Z\",\"virtual_storage\":\"default\"}" >praefect/current &&
	check praefect/current "gitlab.praefect	2024-05-16T14:53:09.981Z						repository scheduled for replication" &&
	echo "{\"severity\":\"INFO\",\"time\":\"2024-05-16T14:53:09.981Z\",\"context\":{\"email\":\"incoming@example.com\",\"name\":\"inbox\"},\"action\":\"Getting new messages\",\"unread\":{\"count\":0,\"ids\":[]}}" >mailroom/current &&
	check mailroom/current "gitlab.mail_room	2024-05-16T14:53:09.981Z						Getting new messages" &&
	echo "{\"correlation_id\":\"01HY0V77JMHWQ0662QKC9EAXHM\",\"grpc.method\":\"PostUploadPackWithSidechannel\",\"grpc.request.glProjectPath\":\"acme-corp/web\",\"level\":\"info\",\"msg\":\"finished unary call with code OK\",\"remote_ip\":\"203.0.113.9\",\"time\":\"2024-05-16T14:53:09.981Z\",\"virtual_storage\":\"default\"}" >praefect/current &&
	check praefect/current "gitlab.praefect	2024-05-16T14:53:09.981Z	acme-corp	acme-corp/web			203.0.113.9	PostUploadPackWithSidechannel"
'

test_expect_success 'Pages access lines (pages_https) are Pages'"'"', their path no project' '
	mkdir -p gitlab-pages &&
	echo "{\"correlation_id\":\"01HY0V77JMHWQ0662QKC9EAXHM\",\"duration_ms\":3,\"host\":\"acme-corp.pages.example.com\",\"level\":\"info\",\"method\":\"GET\",\"msg\":\"access\",\"pages_host\":\"acme-corp.pages.example.com\",\"pages_https\":true,\"pages_project_id\":7,\"proto\":\"HTTP/1.1\",\"referrer\":\"\",\"remote_addr\":\"203.0.113.7:51234\",\"remote_ip\":\"203.0.113.7\",\"status\":200,\"system\":\"http\",\"time\":\"2024-05-16T14:53:09Z\",\"uri\":\"/web/index.html\",\"user_agent\":\"curl/8.4.0\",\"written_bytes\":512}" >gitlab-pages/current &&
	check gitlab-pages/current "gitlab.pages	2024-05-16T14:53:09Z					203.0.113.7	access"
'

test_expect_success 'llm.log: the AI event and its user' '
	mkdir -p gitlab-rails &&
	echo "{\"severity\":\"INFO\",\"time\":\"2024-05-16T14:53:09.981Z\",\"correlation_id\":\"01HY0V77JMHWQ0662QKC9EAXHM\",\"meta.caller_id\":\"Llm::CompletionWorker\",\"meta.user\":\"alice\",\"meta.project\":\"acme-corp/web\",\"meta.root_namespace\":\"acme-corp\",\"message\":\"Performing request to AI Gateway\",\"klass\":\"Gitlab::Llm::AiGateway::Client\",\"event_name\":\"performing_request\",\"ai_component\":\"abstraction_layer\",\"user_id\":42}" >gitlab-rails/llm.log &&
	check gitlab-rails/llm.log "gitlab.llm	2024-05-16T14:53:09.981Z	acme-corp	acme-corp/web	alice	42		performing_request"
'

test_expect_success 'KAS: a module'"'"'s line names the project it concerns' '
	mkdir -p gitlab-kas &&
	echo "{\"level\":\"info\",\"time\":\"2024-05-16T14:53:09.985Z\",\"msg\":\"Synced\",\"mod_name\":\"gitops\",\"agent_id\":12,\"project_id\":\"acme-corp/infra/manifests\",\"correlation_id\":\"01HY0V77JMHWQ0662QKC9EAXHM\"}" >gitlab-kas/current &&
	check gitlab-kas/current "gitlab.kas	2024-05-16T14:53:09.985Z	acme-corp	acme-corp/infra/manifests				Synced"
'

test_expect_success 'application.log since 15.x: an ISO time in UTC, no zone to assume' '
	echo "2024-05-10T17:49:45.825Z: User \"alice\" (alice@example.com) was created" >gitlab-rails/application.log &&
	check gitlab-rails/application.log "gitlab.application_text	2024-05-10T17:49:45.825Z			alice			"
'

test_expect_success 'GitLab Shell text: the repository of a Git command' '
	mkdir -p gitlab-shell &&
	echo "I, [2015-07-24T01:53:48.252534 #31063]  INFO -- : gitlab-shell: executing git command <git-upload-pack /var/opt/gitlab/git-data/repositories/acme-corp/web.git> for user with key key-1." >gitlab-shell/gitlab-shell.log &&
	check gitlab-shell/gitlab-shell.log "gitlab.shell_text	2015-07-24T01:53:48.252534Z	acme-corp	acme-corp/web				" --tz-assume UTC
'

test_expect_success 'Sidekiq 3 to 5 text: the worker of a job line' '
	mkdir -p sidekiq &&
	echo "2016-04-13T06:21:20.022Z 31517 TID-orn4urby0 PostReceive JID-a24af71f96fd129ec47f5d1e INFO: start" >sidekiq/sidekiq.log &&
	check sidekiq/sidekiq.log "gitlab.sidekiq_text	2016-04-13T06:21:20.022Z						PostReceive"
'

test_expect_success 'application_json: the account of a sign-in message, not of a word that ends in username=' '
	printf "%s\n" \
	    "{\"severity\":\"INFO\",\"time\":\"2024-05-31T14:32:44.108Z\",\"message\":\"Failed Login: username=alice ip=203.0.113.7\"}" \
	    "{\"severity\":\"INFO\",\"time\":\"2024-05-31T14:32:44.108Z\",\"message\":\"reset for xusername=bob\"}" \
	    "{\"severity\":\"INFO\",\"time\":\"2024-05-31T14:32:44.108Z\",\"meta.user\":\"root\",\"message\":\"Successful Login: username=root ip=203.0.113.7\"}" \
	    >gitlab-rails/application_json.log &&
	printf "%s\n" "alice" "" "root" >expect &&
	ldcut -f user -o tsv --no-header gitlab-rails/application_json.log >actual &&
	test_cmp expect actual &&
	ldcut -f user -o tsv --no-header - <gitlab-rails/application_json.log >actual &&
	test_cmp expect actual
'

test_expect_success 'placeholders of examples and routes are never names' '
	printf "%s\n" \
	    "{\"time\":\"2024-05-16T14:53:09Z\",\"path\":\"/<namespace>/<project>/-/issues\"}" \
	    "{\"time\":\"2024-05-16T14:53:09Z\",\"path\":\"/acme-corp/{project}/-/issues\"}" \
	    "{\"time\":\"2024-05-16T14:53:09Z\",\"uri\":\"/v2/acme-corp/web/manifests/latest\"}" \
	    >ph.jsonl &&
	printf "%s\n" "json	2024-05-16T14:53:09Z						" \
	    "json	2024-05-16T14:53:09Z	acme-corp					" \
	    "json	2024-05-16T14:53:09Z	acme-corp	acme-corp/web				" >expect &&
	ldcut -f $FIELDS -o tsv --no-header ph.jsonl >actual &&
	test_cmp expect actual
'

test_expect_success 'request paths: groups, API ids, scp remotes, IPv6 with a port' '
	printf "%s\n" \
	    "{\"time\":\"2024-05-16T14:53:09Z\",\"path\":\"/groups/acme-corp/-/group_members\",\"remote_ip\":\"[2001:db8::1]:443\"}" \
	    "{\"time\":\"2024-05-16T14:53:09Z\",\"path\":\"/api/v4/groups/acme-corp%2Fsub/members\",\"remote_ip\":\"[FILTERED]\"}" \
	    "{\"time\":\"2024-05-16T14:53:09Z\",\"path\":\"/api/v4/projects/acme-corp%2Fsub%2Fweb/repository/files\",\"remote_ip\":\"-\"}" \
	    "{\"time\":\"2024-05-16T14:53:09Z\",\"uri\":\"git@gitlab.example.com:acme-corp/web.git\",\"user\":{\"username\":\"alice\",\"id\":\"user-42\"}}" \
	    "{\"time\":\"2024-05-16T14:53:09Z\",\"path\":\"/acme-corp/web.wiki.git/info/refs\",\"user_id\":\"x\"}" \
	    "{\"time\":\"2024-05-16T14:53:09Z\",\"path\":\"/acme-corp/sub/web/blob/main/README.md\",\"remote_ip\":\"x.x.x.x\"}" \
	    >lines.jsonl &&
	printf "%s\n" "json	2024-05-16T14:53:09Z	acme-corp				2001:db8::1	" \
	    "json	2024-05-16T14:53:09Z	acme-corp					" \
	    "json	2024-05-16T14:53:09Z	acme-corp	acme-corp/sub/web				" \
	    "json	2024-05-16T14:53:09Z	acme-corp	acme-corp/web	alice	42		" \
	    "json	2024-05-16T14:53:09Z	acme-corp	acme-corp/web				" \
	    "json	2024-05-16T14:53:09Z	acme-corp	acme-corp/sub/web				" >expect &&
	ldcut -f $FIELDS -o tsv --no-header lines.jsonl >actual &&
	test_cmp expect actual
'

test_expect_success 'a format file uses the new transforms, chained' '
	cat >myapp.json <<-\JSON &&
	{"name":"myapp","type":"regex","files":["*myapp*"],
	 "pattern":"^(?<time>\\S+) (?<who>\\S+) (?<from>[^ ]+(?:, [^ ]+)*) (?<url>\\S+)$",
	 "time":{"fields":["time"],"parse":"rfc3339"},
	 "fields":{"ns":["url|urlproject|seg1"],"project":["url|urlproject"],
	           "user_id":["who|id"],"ip":["from|ip"]}}
	JSON
	echo "2026-11-16T02:13:12Z user-7 198.51.100.4:8080, 10.0.0.1 https://gitlab.example.com/acme-corp/web/-/tree/main" >myapp.log &&
	ldcut --format-file myapp.json -f ns,project,user_id,ip -o tsv --no-header myapp.log >actual &&
	printf "acme-corp\tacme-corp/web\t7\t198.51.100.4\n" >expect &&
	test_cmp expect actual &&
	echo "{\"name\":\"bad\",\"fields\":{\"ip\":[\"a|ip|nope\"]}}" >bad.json &&
	test_must_fail --status=2 ldcut --format-file bad.json -f ip myapp.log 2>err &&
	test_grep "unknown transform \"nope\"" err
'

# A text format's pattern is JIT-compiled on the first line tried on it,
# but still compiled when the file is read: a bad one stops every tool at
# the start, naming the file, as before any line is read.
test_expect_success 'a bad pattern in a format file: tool, file, exit 2, before any line' '
	cat >badrx.json <<-\JSON &&
	{"name":"badrx","type":"regex","files":["*badrx*"],
	 "pattern":"^(?<time>\\S+) (?<who>[a-z+ $"}
	JSON
	for t in ldgrep "ldcut -f ts" ldtimeline; do
		test_must_fail --status=2 $t --format-file badrx.json myapp.log \
		    >out 2>err &&
		t=${t%% *} &&
		test ! -s out &&
		test_grep "^$t: badrx.json: format badrx: pattern at offset [0-9]*: missing terminating \] for character class\$" err ||
		return 1
	done &&
	mkdir fdir &&
	cp badrx.json fdir/ &&
	test_must_fail --status=2 env LD_FORMATS=fdir ldgrep --ns x myapp.log 2>err &&
	test_grep "^ldgrep: fdir/badrx.json: format badrx: pattern at offset" err
'

test_expect_success 'a good text format from a file parses every line, on any thread count' '
	for i in 1 2 3 4 5 6 7 8; do cat myapp.log; done >many-myapp.log &&
	ldgrep -j 1 --format-file myapp.json --ns acme-corp many-myapp.log >one &&
	ldgrep -j 4 --format-file myapp.json --ns acme-corp many-myapp.log >four &&
	test "$(wc -l <one)" = 8 &&
	test_cmp one four
'

test_expect_success 'ld-formats(5) lists every format that comes with logdive, with its fields' '
	ldgrep --list-formats | cut -d" " -f1 >names &&
	test "$(wc -l <names)" -ge 40 &&
	for n in $(cat names); do
		grep -qx ".It Cm $n" "$SRC_DIRECTORY/man/ld-formats.5" ||
		{ echo "$n is not in ld-formats(5)"; return 1; }
	done &&
	sed -n "/^\.It Cm gitlab.llm\$/,/^\.It Cm /p" "$SRC_DIRECTORY/man/ld-formats.5" >llm &&
	test_grep "^\.Cm ts , ns , project , user , user_id , ip , event , cid \.\$" llm
'

test_done
