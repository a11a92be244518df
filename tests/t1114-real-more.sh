#!/bin/sh
test_description='real GitLab lines of troubleshooting pages: scopes, time windows and the timeline'
. "$(dirname "$0")/test-lib.sh"

# The lines are in tests/fixtures/real (see SOURCES.md): Gitaly's monorepo
# example, the SAML sign-in of audit_json.log, Git over HTTP's 401 and 403,
# KAS and the agent for Kubernetes.  A query must find exactly the lines
# the documentation says they are about.
. "$TEST_DIRECTORY/lib-real.sh"

# none QUERY...: no line, and exit status 1.
none() {
	test_status 1 ldgrep "$@" real >out 2>/dev/null &&
	test_line_count = 0 out
}

test_expect_success 'Gitaly: the user of user-N, the username, the client and the call' '
	echo gitaly/current:9 >expect &&
	for q in "--user ctx_ckottke" "--user CTX_CKOTTKE" "--user 14857500" \
	    "--ip 108.163.136.48" "--ip 108.163.136.0/24" \
	    "--cid 20HCB3DAEPLV08UGNIYT9HJ4JW" "--event PostReceivePack"; do
		hits $q >actual &&
		test_cmp expect actual || { echo "for $q"; return 1; }
	done &&
	none --user user-14857500
'

test_expect_success 'Gitaly: a project five segments deep, by its path and its top namespace' '
	echo gitaly/current:9 >expect &&
	hits --project r2414/revenir/development/machinelearning/protein-ddg >actual &&
	test_cmp expect actual &&
	hits --ns r2414 >actual &&
	test_cmp expect actual &&
	hits --ns r2414/revenir/development >actual &&
	test_cmp expect actual &&
	none --ns revenir &&
	none --project r2414/revenir/development/machinelearning &&
	echo gitaly/current:10 >expect &&
	hits --project root/gitlab-workhorse >actual &&
	test_cmp expect actual
'

test_expect_success 'audit_json.log: the username of meta.user, not the display name' '
	hits --user root >actual &&
	test_grep "^gitlab-rails/audit_json.log:2\$" actual &&
	test_grep "^gitlab-rails/audit_json.log:3\$" actual &&
	echo gitlab-rails/audit_json.log:6 >expect &&
	hits --user bbtest >actual &&
	test_cmp expect actual &&
	hits --user 16 >actual &&
	test_cmp expect actual
'

test_expect_success 'audit_json.log: a user'"'"'s or a group'"'"'s entity path is a namespace, never a project' '
	none --project bbtest &&
	none --project group1 &&
	echo gitlab-rails/audit_json.log:6 >expect &&
	hits --ns bbtest >actual &&
	test_cmp expect actual &&
	printf "%s\n" gitlab-rails/audit_json.log:7 \
	    gitlab-rails/service_measurement.log:1 >expect &&
	hits --ns group1 >actual &&
	test_cmp expect actual &&
	echo gitlab-rails/audit_json.log:7 >expect &&
	hits --user "BB Test" >actual &&
	test_cmp expect actual
'

test_expect_success 'audit_json.log: the address the event names before the request'"'"'s' '
	printf "%s\n" gitlab-rails/audit_json.log:6 gitlab-rails/audit_json.log:7 >expect &&
	hits --ip 45.87.213.198 >actual &&
	test_cmp expect actual &&
	none --ip 45.87.213.206
'

test_expect_success 'Git over HTTP: the 401 before the 200 has no user, the ban shares its correlation id' '
	printf "%s\n" gitlab-rails/production_json.log:9 \
	    gitlab-rails/production_json.log:10 >expect &&
	hits --user root --project group/project >actual &&
	test_cmp expect actual &&
	printf "%s\n" gitlab-rails/auth_json.log:1 gitlab-rails/auth_json.log:2 \
	    gitlab-rails/auth_json.log:3 gitlab-rails/production_json.log:10 >expect &&
	hits --cid 01GYDSAKAN2SPZPAMJNRWW5H8S >actual &&
	test_cmp expect actual &&
	echo gitlab-rails/production_json.log:8 >expect &&
	hits --cid 01GYB98MBM28T981DJDGAD98WZ >actual &&
	test_cmp expect actual
'

test_expect_success 'a request file: a tenant and a user' '
	cat >request.json <<-\JSON &&
	{"case": "SIRT-1", "namespaces": ["group"], "users": ["root"]}
	JSON
	printf "%s\n" gitlab-rails/production_json.log:9 \
	    gitlab-rails/production_json.log:10 >expect &&
	hits --scope request.json >actual &&
	test_cmp expect actual
'

test_expect_success 'the agent: the configuration project of a sync, KAS by its correlation id' '
	echo gitlab-agent/agentk.log:3 >expect &&
	hits --project root/kas-manifest001 >actual &&
	test_cmp expect actual &&
	hits --ns root --event Synced >actual &&
	test_cmp expect actual &&
	echo gitlab-kas/current:9 >expect &&
	hits --cid 01FD7QE35RXXXX8R47WZFBAXTN >actual &&
	test_cmp expect actual &&
	printf "%s\n" gitlab-agent/agentk.log:2 gitlab-agent/agentk.log:7 >expect &&
	hits --event "Reverse tunnel" >actual &&
	test_cmp expect actual
'

test_expect_success 'windows in other zones, and an audit event timed by its created_at' '
	echo gitaly/current:9 >expect &&
	hits --since 2023-10-16T22:40:09+02:00 --until 2023-10-16T22:40:10+02:00 >actual &&
	test_cmp expect actual &&
	echo gitlab-kas/current:8 >expect &&
	hits --since 2020-10-28T23:44:14-05:00 --until 2020-10-28T23:44:15-05:00 >actual &&
	test_cmp expect actual &&
	echo gitlab-rails/audit_json.log:6 >expect &&
	hits --since 2024-08-13T06:05:35.700Z --until 2024-08-13T06:05:35.710Z >actual &&
	test_cmp expect actual
'

test_expect_success 'ldtimeline: the new lines in UTC, in time order' '
	ldtimeline real/gitlab-rails/audit_json.log real/gitaly/current \
	    real/gitlab-rails/kubernetes.log >out &&
	sed -n "s/^{\"ts\":\"\([^\"]*\)\",\"src\":\"real\/\([^\"]*\)\",\"line\":\([0-9]*\),.*/\1 \2:\3/p" out >got &&
	test_line_count = 19 got &&
	sort -c got &&
	test_grep "^2023-10-16T20:40:09.467Z gitaly/current:9\$" got &&
	test_grep "^2024-08-13T05:24:07.769Z gitlab-rails/audit_json.log:7\$" got &&
	test_grep "^2024-08-13T06:05:35.708Z gitlab-rails/audit_json.log:6\$" got &&
	test_grep "^2018-11-23T15:42:11.647Z gitlab-rails/kubernetes.log:2\$" got
'

# Hand-written: a streamed audit event of a group, in the shape of the
# examples of doc/administration/audit_event_streaming/examples.md.
test_expect_success 'a streamed audit event of a group has no project' '
	echo "{\"id\":5,\"author_id\":1,\"entity_id\":24,\"entity_type\":\"Group\",\"details\":{\"author_name\":\"Administrator\",\"target_id\":24,\"target_type\":\"Group\",\"target_details\":\"acme-corp\",\"ip_address\":\"203.0.113.7\",\"entity_path\":\"acme-corp\"},\"ip_address\":\"203.0.113.7\",\"author_name\":\"Administrator\",\"entity_path\":\"acme-corp\",\"target_details\":\"acme-corp\",\"created_at\":\"2024-05-16T14:53:09.123Z\",\"target_type\":\"Group\",\"target_id\":24,\"event_type\":\"group_visibility_level_updated\"}" >audit_events.jsonl &&
	printf "gitlab.audit_stream\tacme-corp\t\tgroup_visibility_level_updated\n" >expect &&
	ldcut -f fmt,ns,project,event -o tsv --no-header audit_events.jsonl >actual &&
	test_cmp expect actual &&
	ldcut -f fmt,ns,project,event -o tsv --no-header - <audit_events.jsonl >actual &&
	test_cmp expect actual &&
	test_status 1 ldgrep --project acme-corp audit_events.jsonl >out &&
	ldgrep --ns acme-corp audit_events.jsonl >out &&
	test_line_count = 1 out
'

test_expect_success 'a format file may use ifproject and an optional path, and is told its mistakes' '
	cat >ent.json <<-\JSON &&
	{"name":"ent","files":["*ent.log"],"detect":{"keys":["path"]},
	 "fields":{"project":["{kind}:{path}|ifproject"],"ns":["path|seg1"]}}
	JSON
	printf "%s\n" "{\"kind\":\"project\",\"path\":\"acme-corp/web\"}" \
	    "{\"kind\":\"Group\",\"path\":\"acme-corp/sub\"}" \
	    "{\"kind\":\"Projects\",\"path\":\"acme-corp/x\"}" \
	    "{\"path\":\"acme-corp/y\"}" >ent.log &&
	printf "%s\n" "acme-corp	acme-corp/web" "acme-corp	" "acme-corp	" "acme-corp	" >expect &&
	ldcut --format-file ent.json -f ns,project -o tsv --no-header ent.log >actual &&
	test_cmp expect actual &&
	ldgrep --format-file ent.json --project acme-corp/web ent.log >out &&
	test_line_count = 1 out &&
	sed "s/{kind}/{kind?}/" ent.json >opt.json &&
	printf "%s\n" "acme-corp	acme-corp/web" "acme-corp	" "acme-corp	" "acme-corp	acme-corp/y" >expect &&
	ldcut --format-file opt.json -f ns,project -o tsv --no-header ent.log >actual &&
	test_cmp expect actual &&
	ldgrep --format-file opt.json --project acme-corp/y ent.log >out &&
	test_line_count = 1 out &&
	sed "s/ifproject/ifprojects/" ent.json >bad.json &&
	test_must_fail ldcut --format-file bad.json -f ns ent.log 2>err &&
	test_grep "ifproject)" err &&
	sed "s/{kind}/{?}/" ent.json >bad.json &&
	test_must_fail ldcut --format-file bad.json -f ns ent.log 2>err &&
	test_grep "empty optional path" err
'

# Hand-written, in the shapes of exceptions_json.log and Workhorse: the
# time as epoch seconds with a fraction, and as epoch milliseconds.
test_expect_success 'a GitLab line timed in epoch seconds or milliseconds is read in UTC' '
	printf "%s\n" "{\"severity\":\"ERROR\",\"time\":1661399872.1377518,\"correlation_id\":\"01GB9JCB7TYNH6F7J7W7NFQTDT\",\"meta.user\":\"root\",\"meta.project\":\"root/gh-import-7316\",\"exception.class\":\"Gitlab::GithubImport::RateLimitError\"}" \
	    "{\"level\":\"info\",\"msg\":\"access\",\"time\":1715871189981,\"uri\":\"/acme-corp/web.git/info/refs?service=git-upload-pack\",\"remote_ip\":\"203.0.113.7\"}" >epoch.log &&
	printf "%s\n" "gitlab.exceptions	2022-08-25T03:57:52.1377518Z	root/gh-import-7316" \
	    "gitlab.workhorse	2024-05-16T14:53:09.981Z	acme-corp/web" >expect &&
	ldcut -f fmt,ts,project -o tsv --no-header - <epoch.log >actual &&
	test_cmp expect actual &&
	ldgrep --since 2024-05-16T16:53:09+02:00 --until 2024-05-16T16:53:10+02:00 epoch.log >out &&
	test_line_count = 1 out
'

# Real lines as GitLab.com's log pipeline stores them, under "json"
# (the field names json.grpc.method, json.username... of the monorepo
# page): nested as they are indexed, and flattened as a Kibana export
# writes them (that one by hand, from production_json.log line 10).
test_expect_success 'a line under json, nested or flattened, keeps its fields' '
	sed -n 9p real/gitaly/current | sed "s/^/{\"type\":\"gitaly\",\"json\":/; s/\$/}/" >es.log &&
	sed -n 1p real/gitlab-workhorse/current | sed "s/^/{\"json\":/; s/\$/}/" >>es.log &&
	echo "{\"json.time\":\"2023-04-19T22:14:25.894Z\",\"json.method\":\"GET\",\"json.path\":\"/group/project.git/info/refs\",\"json.controller\":\"Repositories::GitHttpController\",\"json.action\":\"info_refs\",\"json.status\":403,\"json.remote_ip\":\"203.0.113.7\",\"json.user_id\":1,\"json.username\":\"root\",\"json.correlation_id\":\"01GYDSAKAN2SPZPAMJNRWW5H8S\"}" >>es.log &&
	printf "%s\n" "gitlab.json_wrapped	2023-10-16T20:40:09.467Z	r2414	r2414/revenir/development/machinelearning/protein-ddg	ctx_ckottke	14857500	108.163.136.48	PostReceivePack	20HCB3DAEPLV08UGNIYT9HJ4JW" \
	    "gitlab.json_wrapped	2019-09-17T22:17:19Z	root	root/linux			68.0.116.160	access	LOt9hgi1TV4" \
	    "gitlab.json_wrapped	2023-04-19T22:14:25.894Z	group	group/project	root	1	203.0.113.7	Repositories::GitHttpController#info_refs	01GYDSAKAN2SPZPAMJNRWW5H8S" >expect &&
	ldcut -f fmt,ts,ns,project,user,user_id,ip,event,cid -o tsv --no-header es.log >actual &&
	test_cmp expect actual &&
	ldgrep es.log >records &&
	ldcut -f fmt,ts,ns,project,user,user_id,ip,event,cid -o tsv --no-header records >actual &&
	test_cmp expect actual &&
	ldgrep --user 14857500 --ns r2414 es.log >out &&
	test_line_count = 1 out &&
	ldgrep --ip 68.0.116.0/24 --project root/linux es.log >out &&
	test_line_count = 1 out
'

test_done
