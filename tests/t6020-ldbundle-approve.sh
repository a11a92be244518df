#!/bin/sh
test_description='ldbundle approve and verify --ready: signed, four-eyes approvals'
. "$(dirname "$0")/test-lib.sh"
. "$TEST_DIRECTORY/lib-ldbundle.sh"

test_expect_success 'setup' '
	make_fixtures && make_keys && make_keyring && make_bag
'

test_expect_success 'a fresh bag is valid but not ready' '
	ldbundle verify -q CASE.bag &&
	test_must_fail --status=1 ldbundle verify --ready --keyring approvers.txt CASE.bag 2>err &&
	cat >expect <<-\EOF &&
	ldbundle: CASE.bag: not ready: no valid security approval by a trusted key
	ldbundle: CASE.bag: not ready: no valid legal approval by a trusted key
	ldbundle: CASE.bag: 2 problems
	EOF
	test_cmp expect err
'

test_expect_success 'approve as security' '
	ldbundle approve CASE.bag --reviewer "Sam Security" --role security --key sec.pem >out &&
	echo "CASE.bag: approved for security by Sam Security (approvals/security-sam-security)" >expect &&
	test_cmp expect out &&
	(cd CASE.bag/approvals && find . -type f | sort) >actual &&
	printf "./security-sam-security/approval.sig\n./security-sam-security/approval.txt\n./security-sam-security/signer.pub.pem\n" >expect &&
	test_cmp expect actual
'

test_expect_success 'the approval says who, role, when and what' '
	tm=$(sha256sum <CASE.bag/tagmanifest-sha256.txt | cut -d" " -f1) &&
	fp=$(openssl pkey -pubin -in sec.pub.pem -outform DER | sha256sum | cut -d" " -f1) &&
	cat >expect <<-EOF &&
	Approval-Version: 1
	Case: SIRT-1234
	Role: security
	Reviewer: Sam Security
	Approved-At: 2026-11-22T10:00:00Z
	Tag-Manifest: tagmanifest-sha256.txt
	Tag-Manifest-SHA256: $tm
	Signer-Key-SHA256: $fp
	EOF
	test_cmp expect CASE.bag/approvals/security-sam-security/approval.txt &&
	test_cmp sec.pub.pem CASE.bag/approvals/security-sam-security/signer.pub.pem
'

test_expect_success 'the signature verifies with stock openssl pkeyutl' '
	d=CASE.bag/approvals/security-sam-security &&
	openssl pkeyutl -verify -pubin -inkey $d/signer.pub.pem -rawin \
		-in $d/approval.txt -sigfile $d/approval.sig >out &&
	test_grep "Signature Verified Successfully" out &&
	openssl pkeyutl -verify -pubin -inkey sec.pub.pem -rawin \
		-in $d/approval.txt -sigfile $d/approval.sig &&
	test_must_fail openssl pkeyutl -verify -pubin -inkey legal.pub.pem -rawin \
		-in $d/approval.txt -sigfile $d/approval.sig
'

test_expect_success 'an approval is not a tag file: the bag stays valid for BagIt' '
	ldbundle verify -q CASE.bag &&
	$VALIDATE CASE.bag
'

test_expect_success 'one approval is not enough for --ready' '
	ldbundle verify CASE.bag >out &&
	test_grep "^CASE.bag: valid bag, .* octets, approvals not checked (no --keyring)$" out &&
	ldbundle verify --keyring approvers.txt CASE.bag >out &&
	test_grep "^CASE.bag: valid bag, .* octets, not ready (verify --ready says why)$" out &&
	test_must_fail --status=1 ldbundle verify --ready --keyring approvers.txt CASE.bag 2>err &&
	cat >expect <<-\EOF &&
	ldbundle: CASE.bag: not ready: no valid legal approval by a trusted key
	ldbundle: CASE.bag: 1 problem
	EOF
	test_cmp expect err
'

test_expect_success 'security and legal by the same key is not enough' '
	cp -R CASE.bag same.bag &&
	ldbundle approve same.bag --reviewer "Sam Security" --role legal --key sec.pem &&
	keyline legal sec.pub.pem "Sam Security" >>approvers-same.txt &&
	cat approvers.txt >>approvers-same.txt &&
	test_must_fail --status=1 ldbundle verify --ready --keyring approvers.txt same.bag 2>err &&
	test_grep "legal-sam-security: signed as legal with the key of Sam Security, whom the keyring trusts for security only" err &&
	test_grep "not ready: no valid legal approval by a trusted key" err &&
	# a keyring that would trust that key for both roles is refused
	test_must_fail --status=2 ldbundle verify --ready --keyring approvers-same.txt same.bag 2>err &&
	test_grep "^ldbundle: approvers-same.txt:3: key listed again (for legal, Sam Security)" err
'

test_expect_success 'security and legal approval make the bag ready' '
	ldbundle approve --role legal --reviewer "Lee Legal" --key legal.pem CASE.bag &&
	ldbundle verify --ready --keyring approvers.txt CASE.bag >out &&
	ks=$(openssl pkey -pubin -in sec.pub.pem -outform DER | sha256sum | cut -d" " -f1) &&
	kl=$(openssl pkey -pubin -in legal.pub.pem -outform DER | sha256sum | cut -d" " -f1) &&
	cat >expect <<-EOF &&
	CASE.bag: valid bag, $(ls CASE.bag/data | wc -l | tr -d " ") payload files, $(cat CASE.bag/data/* | wc -c | tr -d " ") octets, ready
	keyring approvers.txt: SHA-256 $(sha256sum <approvers.txt | cut -d" " -f1)
	approved for legal by Lee Legal at 2026-11-22T10:00:00Z, key SHA-256 $kl: valid, trusted
	approved for security by Sam Security at 2026-11-22T10:00:00Z, key SHA-256 $ks: valid, trusted
	EOF
	test_cmp expect out &&
	ldbundle verify --keyring approvers.txt CASE.bag >out2 &&
	test_cmp expect out2 &&
	$VALIDATE CASE.bag
'

test_expect_success '--trust counts only approvals by trusted keys' '
	ldbundle verify --ready --keyring approvers.txt --trust sec.pub.pem --trust legal.pub.pem -q CASE.bag &&
	test_must_fail --status=1 ldbundle verify --ready --keyring approvers.txt --trust sec.pub.pem CASE.bag 2>err &&
	test_grep "approvals/legal-lee-legal/signer.pub.pem: signed by a key that is not trusted" err &&
	test_grep "not ready: no valid legal approval" err &&
	test_must_fail --status=2 ldbundle verify --trust nope.pem CASE.bag 2>err &&
	test_grep "nope.pem: No such file or directory" err
'

test_expect_success 'a broken signature is found and named' '
	cp -R CASE.bag b.bag && flip b.bag/approvals/legal-lee-legal/approval.sig 5 &&
	test_must_fail --status=1 ldbundle verify b.bag 2>err &&
	cat >expect <<-\EOF &&
	ldbundle: b.bag/approvals/legal-lee-legal/approval.sig: bad signature
	ldbundle: b.bag: 1 problem
	EOF
	test_cmp expect err &&
	test_must_fail ldbundle verify --ready --keyring approvers.txt b.bag 2>err &&
	test_grep "not ready: no valid legal approval" err &&
	d=b.bag/approvals/legal-lee-legal &&
	test_must_fail openssl pkeyutl -verify -pubin -inkey $d/signer.pub.pem -rawin \
		-in $d/approval.txt -sigfile $d/approval.sig
'

test_expect_success 'a changed approval statement is found' '
	rm -rf b.bag && cp -R CASE.bag b.bag &&
	sed -i "s/Reviewer: Lee Legal/Reviewer: Eve Legal/" b.bag/approvals/legal-lee-legal/approval.txt &&
	test_must_fail --status=1 ldbundle verify b.bag 2>err &&
	test_grep "^ldbundle: b.bag/approvals/legal-lee-legal/approval.sig: bad signature$" err
'

test_expect_success 'a swapped key is found' '
	rm -rf b.bag && cp -R CASE.bag b.bag &&
	cp other.pub.pem b.bag/approvals/legal-lee-legal/signer.pub.pem &&
	test_must_fail --status=1 ldbundle verify b.bag 2>err &&
	test_grep "legal-lee-legal/signer.pub.pem: key does not match the statement" err &&
	test_grep "legal-lee-legal/approval.sig: bad signature" err
'

test_expect_success 'a bag re-hashed after approval: approvals no longer hold' '
	rm -rf b.bag && cp -R CASE.bag b.bag &&
	echo "{\"forged\":true}" >>b.bag/data/events.jsonl &&
	(cd b.bag &&
	 for a in sha256 sha512; do
		find data -type f | sort | xargs ${a}sum >manifest-$a.txt || exit 1
	 done &&
	 sed -i "s/^Payload-Oxum: .*/Payload-Oxum: $(cat data/* | wc -c | tr -d " ").7/" bag-info.txt &&
	 for a in sha256 sha512; do
		${a}sum bag-info.txt bagit.txt manifest-sha256.txt manifest-sha512.txt >tagmanifest-$a.txt || exit 1
	 done) &&
	$VALIDATE b.bag &&
	test_must_fail --status=1 ldbundle verify b.bag 2>err &&
	test_grep "approvals/legal-lee-legal/approval.txt: approves another tag manifest: the bag changed after this approval" err &&
	test_grep "approvals/security-sam-security/approval.txt: approves another tag manifest" err
'

test_expect_success 'stray files in approvals/ are problems' '
	rm -rf b.bag && cp -R CASE.bag b.bag &&
	echo x >b.bag/approvals/readme.txt &&
	echo y >b.bag/approvals/legal-lee-legal/extra &&
	test_must_fail --status=1 ldbundle verify b.bag 2>err &&
	test_grep "b.bag/approvals/readme.txt: unexpected file in approvals" err &&
	test_grep "b.bag/approvals/legal-lee-legal/extra: unexpected file in approvals" err
'

test_expect_success 'approval of a bag with problems is refused' '
	rm -rf b.bag && cp -R CASE.bag b.bag && flip b.bag/data/events.jsonl &&
	test_must_fail --status=1 ldbundle approve b.bag --reviewer X --role legal --key other.pem 2>err &&
	test_grep "b.bag/data/events.jsonl: sha256 checksum mismatch" err &&
	test_grep "^ldbundle: b.bag: not approving a bag with problems$" err &&
	! test -e b.bag/approvals/legal-x
'

test_expect_success 'an approval is not replaced without --force' '
	test_must_fail --status=2 ldbundle approve CASE.bag --reviewer "Lee Legal" --role legal --key other.pem 2>err &&
	test_grep "CASE.bag/approvals/legal-lee-legal: already exists (use --force to replace it)" err &&
	ldbundle verify --ready --keyring approvers.txt -q CASE.bag &&
	ldbundle approve --force CASE.bag --reviewer "Lee Legal" --role legal --key other.pem &&
	{ cat approvers.txt && keyline legal other.pub.pem "Lee Legal"; } >approvers-other.txt &&
	ldbundle verify --ready --keyring approvers-other.txt -q CASE.bag &&
	ls -a CASE.bag/approvals >listing && test_grep -v tmp listing
'

test_expect_success 'bad roles, keys and names are refused' '
	test_must_fail --status=2 ldbundle approve CASE.bag --reviewer X --role boss --key sec.pem 2>err &&
	test_grep "boss: role must be security or legal" err &&
	openssl genpkey -algorithm rsa -pkeyopt rsa_keygen_bits:1024 -out rsa.pem 2>/dev/null &&
	test_must_fail --status=2 ldbundle approve CASE.bag --reviewer X --role legal --key rsa.pem 2>err &&
	test_grep "rsa.pem: not an unencrypted Ed25519 private key in PEM form" err &&
	test_must_fail --status=2 ldbundle approve CASE.bag --reviewer "$(printf "a\nb")" --role legal --key sec.pem 2>err &&
	test_grep "reviewer: must be a name of printable characters" err &&
	test_must_fail --status=2 ldbundle approve CASE.bag --role legal --key sec.pem
'

test_done
