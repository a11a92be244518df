# lib-attack.sh — the harness of the attack corpora on ldredact (t4010,
# t4011): each corpus is DIR/attack.log, one application_json line of
# tenant acme-corp per case with its own correlation id, and
# DIR/canaries, "CID PROFILES VALUE" a line: under which profiles (s, c,
# l) VALUE must not come through in that record.
#
#	ATTACK_DIR=t4011 ATTACK_CASE=C-14b
#	. "$TEST_DIRECTORY/lib-attack.sh"
#
# adds the setup and one test a profile (support, customer, legal): no
# record lost or dropped, no canary through; the outputs are left in
# PROFILE.out and the reports in PROFILE.rep for the tests that follow.
# DIR/dropped, when there is one, lists the correlation ids of records
# that name another tenant as well as acme-corp (a root namespace of one,
# a project of the other): they are dropped as another tenant's (see
# t4015), and must be gone whole.

test_expect_success 'setup' '
	printf "case-key-for-the-tests-0123456789\n" >case.key &&
	cp "$TEST_DIRECTORY/$ATTACK_DIR/attack.log" \
	    "$TEST_DIRECTORY/$ATTACK_DIR/canaries" . &&
	if test -f "$TEST_DIRECTORY/$ATTACK_DIR/dropped"
	then
		cp "$TEST_DIRECTORY/$ATTACK_DIR/dropped" .
	else
		: >dropped
	fi &&
	printf "{\"case\":\"%s\",\"tenant\":\"acme-corp\",\"namespaces\":[\"acme-corp\"],\"own_accounts\":[\"alice\"]}\n" \
	    "$ATTACK_CASE" >req.json
'

# leaks PROFILE-LETTER OUT — every canary of the profile is gone from its
# record, and the record is there
leaks() {
	while read -r cid prof val; do
		case $prof in *$1*) ;; *) continue ;; esac
		if grep -qx "$cid" dropped
		then
			! grep -F "\"correlation_id\":\"$cid\"" "$2" ||
			{ echo "record $cid not dropped" >&2; return 1; }
			continue
		fi
		line=$(grep -F "\"correlation_id\":\"$cid\"" "$2") ||
		{ echo "record $cid lost" >&2; return 1; }
		case $line in *"$val"*)
			echo "$cid: leaked: $val" >&2; return 1 ;;
		esac
	done <canaries
}

for p in support customer legal; do
	test_expect_success "$p: no record lost, no canary through" '
		k= && { test $p = legal || k="-k case.key"; } &&
		ldredact -p $p $k --scope req.json --report $p.rep attack.log >$p.out &&
		test_line_count = $(($(wc -l <attack.log) - $(wc -l <dropped))) $p.out &&
		grep "\"dropped\": $(wc -l <dropped)," $p.rep &&
		leaks $(echo $p | cut -c1) $p.out
	'
done
