#!/bin/sh
test_description='ldgrep: owned accounts, account-level events, --explain'
. "$(dirname "$0")/test-lib.sh"

# t1030/*.log are hand-written in the shapes of GitLab's audit_json.log and
# production_json.log (REFERENCE.md): the events of the User alice (entity
# User, entity_path the user name, no group or project), her sign-in and
# 2FA change in production_json.log without a namespace, her actions in
# another tenant (evil-corp), someone else in her personal namespace, and
# decoys (bob, malice, alice2, mallory in evil-corp, one event after the
# window).

# where FILE — "name:line" of every record, one line.
where() {
	sed 's/.*"src":"\([a-z_]*\)\.log","line":\([0-9]*\),.*/\1:\2/' "$1" |
		tr '\n' ' '
}

test_expect_success 'setup' '
	cp "$TEST_DIRECTORY"/t1030/*.log . &&
	cat >req.json <<-\JSON
	{"case":"SIRT-9","tenant":"acme-corp","profile":"support",
	 "namespaces":["acme-corp"],"users":["alice"],"accounts":["alice"],
	 "since":"2026-11-14T00:00:00Z","until":"2026-11-21T00:00:00Z",
	 "requested_at":"2026-11-21T09:00:00Z"}
	JSON
'

test_expect_success 'tenant and user alone never find the account-level events' '
	ldgrep --ns acme-corp --user alice audit_json.log production_json.log >out &&
	test "$(where out)" = "production_json:3 "
'

test_expect_success 'an owned account: every event by it or about it, anywhere' '
	ldgrep --account alice audit_json.log production_json.log >out &&
	test "$(where out)" = "audit_json:1 audit_json:2 audit_json:3 audit_json:4 audit_json:5 audit_json:6 audit_json:9 audit_json:13 production_json:1 production_json:2 production_json:3 production_json:4 production_json:5 "
'

test_expect_success 'tenant OR owned account: the union, users still filter the tenant' '
	ldgrep --ns acme-corp --account alice audit_json.log production_json.log >out &&
	test "$(where out)" = "audit_json:1 audit_json:2 audit_json:3 audit_json:4 audit_json:5 audit_json:6 audit_json:7 audit_json:9 audit_json:13 production_json:1 production_json:2 production_json:3 production_json:4 production_json:5 " &&
	ldgrep --ns acme-corp --user bob --account alice audit_json.log >out &&
	test "$(where out)" = "audit_json:1 audit_json:2 audit_json:3 audit_json:4 audit_json:5 audit_json:6 audit_json:7 audit_json:9 audit_json:13 "
'

test_expect_success 'window, event types and IPs bind the owned accounts too' '
	ldgrep --scope req.json audit_json.log production_json.log >out &&
	test "$(where out)" = "audit_json:1 audit_json:2 audit_json:3 audit_json:4 audit_json:5 audit_json:6 audit_json:9 production_json:1 production_json:2 production_json:3 production_json:4 production_json:5 " &&
	ldgrep --scope req.json --event "*two_factor*" --event "*#destroy" \
		audit_json.log production_json.log >out &&
	test "$(where out)" = "audit_json:3 production_json:2 " &&
	ldgrep --scope req.json --ip 10.20.0.0/16 audit_json.log >out &&
	test "$(where out)" = "audit_json:9 "
'

test_expect_success 'own_accounts is the same field as accounts' '
	sed "s/\"accounts\"/\"own_accounts\"/" req.json >old.json &&
	ldgrep --scope old.json audit_json.log production_json.log >old &&
	ldgrep --scope req.json audit_json.log production_json.log >new &&
	test_cmp new old
'

test_expect_success 'accounts match by whole name, any case, or by id' '
	ldgrep --account ALICE --event add_ssh_key audit_json.log >out &&
	test "$(where out)" = "audit_json:5 audit_json:13 " &&
	ldgrep --account 4712 audit_json.log >out &&
	test "$(where out)" = "audit_json:7 audit_json:8 "
'

test_expect_success 'the same answer with threads, raw and through a pipe' '
	ldgrep --scope req.json audit_json.log production_json.log >one &&
	ldgrep -j 2 --scope req.json audit_json.log production_json.log >two &&
	test_cmp one two &&
	cat audit_json.log | ldgrep --scope req.json --raw --format gitlab.audit >raw &&
	test_line_count = 7 raw &&
	ldgrep --scope req.json one >again &&
	test "$(wc -l <again)" -eq "$(wc -l <one)"
'

test_expect_success 'an account is a name, not a path' '
	test_must_fail --status=2 ldgrep --account acme-corp/web audit_json.log 2>err &&
	test_grep "account acme-corp/web: an account is a user name" err
'

test_expect_success '--explain prints the scope as a predicate and exits 0' '
	ldgrep --scope req.json --explain >out &&
	cat >expect <<-\EOF &&
	request: case SIRT-9, tenant acme-corp, profile support
	in scope: an event when
	    time >= 2026-11-14T00:00:00Z and time < 2026-11-21T00:00:00Z  (a valid time is needed)
	and (
	      the tenant'"'"'s events:
	          ns or project within acme-corp
	      and user (name, any case, or id) is alice
	   or
	      the owned accounts'"'"' own events, wherever they happened:
	          by: user (name, any case, or id) is alice
	      or  about: ns or project within alice
	    )
	EOF
	test_cmp expect out
'

test_expect_success '--explain without accounts, and without any scope' '
	ldgrep --explain --ns acme-corp --event "user_*" --ip 203.0.113.0/24 >out &&
	cat >expect <<-\EOF &&
	request: case (none), tenant (none), profile (none)
	in scope: an event when
	    event matches user_*
	and ip in 203.0.113.0/24
	and ns or project within acme-corp
	EOF
	test_cmp expect out &&
	ldgrep --explain >out &&
	test_grep "every event (nothing is constrained)" out
'

test_expect_success '--explain still refuses a request out of its bounds' '
	sed "s/2026-11-14T00/2026-11-10T00/" req.json >long.json &&
	test_must_fail --status=2 ldgrep --scope long.json --explain >out 2>err &&
	test_grep "at most 7 days" err &&
	test_line_count = 0 out
'

test_done
