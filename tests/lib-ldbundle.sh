# lib-ldbundle.sh — fixtures shared by the tests/t6*-ldbundle-*.sh scripts.
# Source it after test-lib.sh.  All times are fixed so bags are identical.

SOURCE_DATE_EPOCH=1795341600	# 2026-11-22T10:00:00Z
export SOURCE_DATE_EPOCH
VALIDATE="python3 $TEST_DIRECTORY/bagit-validate.py"

# make_fixtures — request.json, redaction.json, records.jsonl and the
# archives the records name, in the current directory.
make_fixtures() {
	mkdir -p archive/2026-11-16 &&
	printf 'pretend this is a tar.zst\n' >archive/2026-11-16/web-01.tar.zst &&
	printf 'audit lines\n' >archive/audit.log &&
	cat >request.json <<-\REQ &&
	{"case":"SIRT-1234","tenant":"acme-corp","profile":"support","namespaces":["acme-corp"],"projects":[],"users":["alice"],"events":[],"ips":[],"since":"2026-11-14T00:00:00Z","until":"2026-11-21T00:00:00Z","requested_at":"2026-11-22T09:00:00Z"}
	REQ
	cat >records.jsonl <<-\REC &&
	{"ts":"2026-11-16T02:13:12.250Z","src":"archive/2026-11-16/web-01.tar.zst!var/log/gitlab/gitlab-rails/production_json.log","line":1234,"fmt":"gitlab.rails","ns":"acme-corp","project":"acme-corp/web","user":"alice","user_id":"42","ip":"1.2.3.4","event":"Projects::BlobController#show","cid":"LOt9hgi1TV4","ev":{"method":"GET","path":"/acme-corp/web/blob/main/README","status":200,"time":"2026-11-16T02:13:12.250Z","meta.user":"alice","meta.user_id":42,"remote_ip":"1.2.3.4","controller":"Projects::BlobController","action":"show","correlation_id":"LOt9hgi1TV4","meta.project":"acme-corp/web","meta.root_namespace":"acme-corp"}}
	{"ts":"2026-11-16T02:14:00Z","src":"archive/2026-11-16/web-01.tar.zst!var/log/gitlab/gitlab-rails/production_json.log","line":1240,"fmt":"gitlab.rails","ns":"acme-corp","project":"acme-corp/web","user":"alice","event":"Projects::BlobController#show","ev":{"method":"GET","path":"/acme-corp/web/blob/main/README","status":200,"time":"2026-11-16T02:14:00Z","meta.user":"alice","controller":"Projects::BlobController","action":"show","meta.project":"acme-corp/web"}}
	{"ts":"2026-11-17T09:30:00.5Z","src":"archive/audit.log","line":7,"fmt":"gitlab.audit","ns":"acme-corp","project":"acme-corp","user":"alice","ip":"1.2.3.4","event":"user_logged_in","ev":{"time":"2026-11-17T09:30:00.5Z","event_name":"user_logged_in","author_name":"alice","entity_path":"acme-corp","ip_address":"1.2.3.4","note":"a, \"quoted\"\nvalue"}}
	{"ts":"2026-11-19T23:59:59.999999Z","src":"archive/audit.log","line":9,"fmt":"gitlab.audit","ns":"acme-corp","project":"acme-corp","user":"alice","event":"personal_access_token_created","ev":{"time":"2026-11-19T23:59:59.999999Z","event_name":"personal_access_token_created","author_name":"alice","entity_path":"acme-corp"}}
	{"ts":null,"src":"gone/old.log","line":3,"fmt":"gitlab.audit","ns":"acme-corp","project":"acme-corp","event":"user_logged_in","ev":{"event_name":"user_logged_in","entity_path":"acme-corp","time":"unparsable time"}}
	REC
	# the records are what ldgrep makes of real-shaped events (ldredact
	# derives the canonical fields again from "ev"), and the legal
	# profile changes none of them: the report is bound to the records
	# as they are
	ldredact -p legal --scope request.json --report redaction.json \
		records.jsonl >redacted.jsonl &&
	test_cmp records.jsonl redacted.jsonl
}

# make_bag [NAME] — a bag from the fixtures.
make_bag() {
	ldbundle create -o "${1:-CASE.bag}" --scope request.json \
		--report redaction.json records.jsonl
}

# make_approved_bag — the fixtures, keys, keyring and CASE.bag, approved by
# Sam Security and Lee Legal and ready under approvers.txt.
make_approved_bag() {
	make_fixtures && make_keys && make_keyring && make_bag &&
	ldbundle approve CASE.bag --reviewer "Sam Security" --role security \
	    --key sec.pem &&
	ldbundle approve CASE.bag --reviewer "Lee Legal" --role legal \
	    --key legal.pem &&
	ldbundle verify --ready --keyring approvers.txt -q CASE.bag
}

# make_keys — Ed25519 keys sec.pem, legal.pem and their public halves.
make_keys() {
	for k in sec legal other; do
		openssl genpkey -algorithm ed25519 -out $k.pem 2>/dev/null &&
		openssl pkey -in $k.pem -pubout -out $k.pub.pem || return 1
	done
}

# keyline ROLE PUB.pem NAME — one line of a keyring of approvers: the
# base64 DER key is the PEM file without its armour.
keyline() {
	printf '%s %s %s\n' "$1" "$(grep -v -- ----- "$2" | tr -d '\n')" "$3"
}

# make_keyring [FILE] — approvers.txt: sec.pem is Sam Security's key for
# security, legal.pem Lee Legal's for legal (make_keys first).
make_keyring() {
	{
		echo "# approvers of the test organisation" &&
		keyline security sec.pub.pem "Sam Security" &&
		keyline legal legal.pub.pem "Lee Legal"
	} >"${1:-approvers.txt}"
}

# flip FILE [OFFSET] — change one byte (the middle one by default).
flip() {
	python3 - "$1" "${2:-}" <<-\PY
	import sys
	p = sys.argv[1]
	b = bytearray(open(p, "rb").read())
	i = int(sys.argv[2]) if sys.argv[2] else len(b) // 2
	b[i] ^= 0x01
	open(p, "wb").write(b)
	PY
}

# rehash BAG — recompute the manifests and Payload-Oxum with coreutils,
# as someone would who changed the payload and wants the bag to look whole.
rehash() {
	(cd "$1" &&
	 for a in sha256 sha512; do
		find data -type f | sort | xargs ${a}sum >manifest-$a.txt || exit 1
	 done &&
	 sed -i "s/^Payload-Oxum: .*/Payload-Oxum: $(cat data/* | wc -c | tr -d " ").$(ls data | wc -l | tr -d " ")/" bag-info.txt) &&
	retag "$1"
}

# retag BAG — recompute only the tag manifests, as someone would who edited
# a payload manifest by hand.
retag() {
	(cd "$1" &&
	 for a in sha256 sha512; do
		${a}sum bag-info.txt bagit.txt manifest-sha256.txt manifest-sha512.txt >tagmanifest-$a.txt || exit 1
	 done)
}
