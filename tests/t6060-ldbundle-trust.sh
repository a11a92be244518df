#!/bin/sh
test_description='ldbundle: every way around the approvals of issue 15 fails, with a clear message'
. "$(dirname "$0")/test-lib.sh"
. "$TEST_DIRECTORY/lib-ldbundle.sh"

test_expect_success 'setup: a bag approved by the keyring'"'"'s approvers' '
	make_approved_bag
'

test_expect_success '--ready without a keyring is refused' '
	test_must_fail --status=2 ldbundle verify --ready CASE.bag 2>err &&
	echo "ldbundle: CASE.bag: --ready needs --keyring FILE, the approvers trusted for each role" >expect &&
	test_cmp expect err
'

test_expect_success 'edited, re-hashed, re-signed by two fresh keys: not ready' '
	# a bag made again of edited records (one edited in place, and
	# hashed again, is refused by its redaction report and its pages:
	# t6090)
	sed "s/LOt9hgi1TV4/FORGED00000/g" records.jsonl >forged.jsonl &&
	ldbundle create -o forged.bag --scope request.json forged.jsonl &&
	$VALIDATE forged.bag &&
	for k in f1 f2; do
		openssl genpkey -algorithm ed25519 -out $k.pem 2>/dev/null || return 1
	done &&
	ldbundle approve forged.bag --reviewer "Sam Security" --role security --key f1.pem &&
	ldbundle approve forged.bag --reviewer "Lee Legal" --role legal --key f2.pem &&
	ldbundle verify -q forged.bag &&
	test_must_fail --status=1 ldbundle verify --ready --keyring approvers.txt forged.bag 2>err &&
	test_grep "^ldbundle: forged.bag/approvals/security-sam-security: signed by a key that is not in the keyring of trusted approvers" err &&
	test_grep "^ldbundle: forged.bag/approvals/legal-lee-legal: signed by a key that is not in the keyring" err &&
	test_grep "^ldbundle: forged.bag: not ready: no valid security approval by a trusted key$" err &&
	test_grep "^ldbundle: forged.bag: not ready: no valid legal approval by a trusted key$" err
'

test_expect_success 'a key counts only for the role the keyring gives it' '
	cp -R CASE.bag swap.bag && rm -rf swap.bag/approvals &&
	ldbundle approve swap.bag --reviewer "Lee Legal" --role security --key legal.pem &&
	ldbundle approve swap.bag --reviewer "Sam Security" --role legal --key sec.pem &&
	test_must_fail --status=1 ldbundle verify --ready --keyring approvers.txt swap.bag 2>err &&
	test_grep "swap.bag/approvals/security-lee-legal: signed as security with the key of Lee Legal, whom the keyring trusts for legal only" err &&
	test_grep "swap.bag/approvals/legal-sam-security: signed as legal with the key of Sam Security, whom the keyring trusts for security only" err
'

test_expect_success 'a trusted key signing under another name does not count' '
	cp -R CASE.bag name.bag && rm -rf name.bag/approvals &&
	ldbundle approve name.bag --reviewer "Eve" --role security --key sec.pem &&
	ldbundle approve name.bag --reviewer "Lee Legal" --role legal --key legal.pem &&
	test_must_fail --status=1 ldbundle verify --ready --keyring approvers.txt name.bag 2>err &&
	test_grep "name.bag/approvals/security-eve: signed with the key of Sam Security, but names Eve as the reviewer" err
'

test_expect_success 'the keyring fingerprint is shown and is sha256sum of the file' '
	ldbundle verify --ready --keyring approvers.txt CASE.bag >out &&
	echo "keyring approvers.txt: SHA-256 $(sha256sum approvers.txt | cut -d" " -f1)" >expect &&
	sed -n 2p out >actual && test_cmp expect actual
'

test_expect_success 'the whole check with stock openssl and coreutils' '
	d=CASE.bag/approvals/legal-lee-legal &&
	# the key the keyring trusts for legal, as PEM
	{ echo "-----BEGIN PUBLIC KEY-----" &&
	  awk "\$1 == \"legal\" { print \$2 }" approvers.txt &&
	  echo "-----END PUBLIC KEY-----"; } >trusted-legal.pem &&
	openssl pkeyutl -verify -pubin -inkey trusted-legal.pem -rawin \
		-in $d/approval.txt -sigfile $d/approval.sig &&
	grep "^Tag-Manifest-SHA256: $(sha256sum <CASE.bag/tagmanifest-sha256.txt | cut -d" " -f1)$" $d/approval.txt &&
	(cd CASE.bag && sha256sum -c --quiet tagmanifest-sha256.txt && sha256sum -c --quiet manifest-sha256.txt)
'

test_expect_success 'a bad keyring is trouble, with file and line' '
	printf "security notbase64! Sam\n" >bad.txt &&
	test_must_fail --status=2 ldbundle verify --ready --keyring bad.txt CASE.bag 2>err &&
	echo "ldbundle: bad.txt:1: key is not base64 of a DER public key" >expect &&
	test_cmp expect err &&
	keyline boss sec.pub.pem Sam >bad.txt &&
	test_must_fail --status=2 ldbundle verify --ready --keyring bad.txt CASE.bag 2>err &&
	echo "ldbundle: bad.txt:1: role must be security or legal" >expect &&
	test_cmp expect err
'

test_expect_success '--fast --ready checks the payload the approvals cover' '
	cp -R CASE.bag fast.bag &&
	sed -i "s/alice/eve42/" fast.bag/data/events.jsonl &&
	ldbundle verify --fast -q fast.bag &&
	test_must_fail --status=1 ldbundle verify --fast --ready --keyring approvers.txt fast.bag 2>err &&
	test_grep "^ldbundle: fast.bag/data/events.jsonl: sha256 checksum mismatch" err
'

test_expect_success 'export of an unapproved bag is refused' '
	cp -R CASE.bag un.bag && rm -rf un.bag/approvals/legal-lee-legal &&
	test_must_fail --status=1 ldbundle export --keyring approvers.txt un.bag -o un.tar.zst 2>err &&
	test_grep "^ldbundle: un.bag: not ready: no valid legal approval by a trusted key$" err &&
	test_grep "^ldbundle: un.bag: not exporting a bag that is not approved (--draft packs it marked as not approved)$" err &&
	! test -e un.tar.zst &&
	test_must_fail --status=2 ldbundle export un.bag -o un.tar.zst 2>err &&
	test_grep "without one, export only a --draft" err &&
	! test -e un.tar.zst
'

test_expect_success 'export --draft says so in its name and bag-info, and still validates' '
	ldbundle export --draft un.bag -o un.tar.zst >out &&
	echo "un.bag: draft, not approved, written to un.DRAFT-NOT-APPROVED.tar.zst" >expect &&
	test_cmp expect out &&
	! test -e un.tar.zst &&
	mkdir d && zstd -dc un.DRAFT-NOT-APPROVED.tar.zst | tar -xf - -C d &&
	ls d >actual && echo un.bag-DRAFT-NOT-APPROVED >expect && test_cmp expect actual &&
	test_grep "^Approval-Status: DRAFT, NOT APPROVED$" d/un.bag-DRAFT-NOT-APPROVED/bag-info.txt &&
	! test -e d/un.bag-DRAFT-NOT-APPROVED/approvals &&
	$VALIDATE d/un.bag-DRAFT-NOT-APPROVED &&
	ldbundle verify -q un.DRAFT-NOT-APPROVED.tar.zst &&
	test_must_fail ldbundle verify --ready --keyring approvers.txt un.DRAFT-NOT-APPROVED.tar.zst
'

test_expect_success 'verify of an archive that unpacks to far more than its size stops' '
	mkdir -p bomb && cp -R CASE.bag bomb/CASE.bag &&
	head -c 50000000 /dev/zero >bomb/CASE.bag/data/zeros &&
	tar -cf - -C bomb CASE.bag | zstd -q -19 >bomb.tar.zst &&
	rm -rf bomb && mkdir tmp &&
	test_must_fail --status=1 env TMPDIR="$PWD/tmp" ldbundle verify bomb.tar.zst 2>err &&
	test_grep "^ldbundle: bomb.tar.zst!CASE.bag/data/zeros: unpacking stopped: the archive ([0-9]* bytes) unpacks to more than 200 times its size, the ratio cap" err &&
	test -z "$(ls tmp)" &&
	tar -cf small.tar CASE.bag &&
	test_must_fail --status=1 ldbundle verify --max-size 10K small.tar 2>err &&
	test_grep "unpacks to more than 10240 bytes, the size cap" err &&
	test_must_fail --status=1 ldbundle verify -q --max-ratio 100000 --max-size 1G bomb.tar.zst 2>err &&
	test_grep "^ldbundle: bomb.tar.zst!CASE.bag/data/zeros: not listed in manifest-sha256.txt$" err
'

test_expect_success 'escape sequences in names are never printed raw' '
	cp -R CASE.bag esc.bag &&
	d=esc.bag/approvals/legal-lee-legal &&
	sed -i "s/^Reviewer: .*/Reviewer: Lee $(printf "\033")[2J/" $d/approval.txt &&
	echo x >"esc.bag/data/$(printf "\033")]0;pwned$(printf "\007")" &&
	test_must_fail --status=1 ldbundle verify esc.bag >out 2>err &&
	! grep -q "$(printf "\033")" out err &&
	! grep -q "$(printf "\007")" out err &&
	test_grep "\\\\x1b]0;pwned\\\\x07" err &&
	test_must_fail ldbundle review esc.bag >out 2>err &&
	! grep -q "$(printf "\033")" out err &&
	test_grep "legal by Lee \\\\x1b\[2J at" out
'

test_expect_success 'empty and junk manifests are problems, not crashes' '
	cp -R CASE.bag empty.bag && : >empty.bag/manifest-sha256.txt &&
	: >empty.bag/tagmanifest-sha256.txt &&
	test_must_fail --status=1 ldbundle verify empty.bag 2>err &&
	test_grep "not listed in manifest-sha256.txt" err &&
	mkdir junk.bag && : >junk.bag/manifest-sha256.txt &&
	test_must_fail --status=1 ldbundle verify junk.bag 2>err &&
	test_grep "bagit.txt: missing" err &&
	mkdir void.bag &&
	test_must_fail --status=1 ldbundle verify void.bag 2>err &&
	test_grep "no payload manifest" err
'

test_done
