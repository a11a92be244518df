#!/bin/sh
# bench/demo.sh — a whole log-dive on generated logs, step by step.
#
#   sh bench/demo.sh [BUILD]	(what "make demo" runs, after building)
#
# Generates two weeks of archived GitLab-style logs with a planted incident
# into demo/ (kept and re-used on later runs), makes a case key and two
# reviewer keys, and runs the dive of logdive(7): ldgrep with the request
# file, ldredact with the support profile, ldtimeline, ldbundle create,
# approval by security and by legal, and verify --ready.  The request names
# alice as an owned account of acme-corp, so her account-level events (the
# attacker's sign-in, 2FA disabled, token, SSH key) and her fork into
# another tenant's namespace are in scope; the attack chain is shown in
# time order from the bag.  It ends with where the bag is and what a
# reviewer sees.  Exit status 0 when the bag is ready.
set -eu
here=$(cd "$(dirname "$0")/.." && pwd)
build=$(cd "${1:-$here/build}" && pwd)
PATH="$build/bin:$PATH"
export PATH
LD_FORMATS="${LD_FORMATS:-$here/lib/format/formats}"
export LD_FORMATS
demo=$here/demo
case_id=SIRT-4711

bold= off=
if [ -t 1 ] && [ -z "${NO_COLOR:-}" ]; then
	bold=$(printf '\033[1m') off=$(printf '\033[0m')
fi

step() {
	printf '\n%s== %s%s\n' "$bold" "$1" "$off"
	shift
	for line in "$@"; do printf '   %s\n' "$line"; done
}
run() {
	printf '   $ %s\n' "$*"
}
die() {
	echo "demo: $*" >&2
	exit 2
}

command -v openssl >/dev/null 2>&1 ||
	die "needs the openssl command (Debian: apt-get install openssl)"
[ -x "$build/bin/ldbundle" ] || die "$build/bin: not built (run make)"
mkdir -p "$demo"
cd "$demo"

step "1. Example logs" \
	"ldgen writes 14 days of archived logs of 7 hosts (tar.zst, gz, zst)," \
	"a customer request (request.json) and an answer key.  One archive is" \
	"truncated on purpose, as real archives sometimes are."
if [ -f corpus/request.json ]; then
	echo "   re-using demo/corpus"
else
	run ldgen -o corpus
	ldgen -o corpus >/dev/null
fi
echo "   $(find corpus/archive -type f | wc -l | tr -d ' ') files," \
	"$(du -sh corpus/archive | cut -f1) compressed"
echo "   request: $(cat corpus/request.json)"

step "2. Keys" \
	"A per-case key for the pseudonyms of ldredact, and an Ed25519 key for" \
	"each reviewer.  Made once; in a real case each reviewer holds their own."
[ -f case.key ] || openssl rand -hex 32 >case.key
for who in security legal; do
	[ -f "$who.pem" ] ||
		openssl genpkey -algorithm ed25519 -out "$who.pem" 2>/dev/null
done
chmod 600 case.key security.pem legal.pem
# The keyring of approvers: the organisation's list of who may approve in
# which role, with their public keys (one line each; see ldbundle(1)).
{
	echo "# approvers of the demo organisation"
	printf 'security %s Sam Security\n' \
		"$(openssl pkey -in security.pem -pubout | grep -v -- -----)"
	printf 'legal %s Lee Legal\n' \
		"$(openssl pkey -in legal.pem -pubout | grep -v -- -----)"
} >approvers.txt
echo "   case.key, security.pem, legal.pem, approvers.txt" \
	"(keyring SHA-256 $(sha256sum <approvers.txt | cut -c1-16)...)"

step "3. Find: ldgrep --scope request.json" \
	"Streams every archive without unpacking it to disk, and keeps the" \
	"events of the request's tenant and user, OR of its owned account" \
	"alice wherever they happened (sign-ins, 2FA, tokens and keys are" \
	"events of the User, without a group or project), in the time window." \
	"A damaged archive is reported, everything before the damage is still" \
	"read, and the exit status (2) says that something was not read."
run ldgrep --scope request.json --explain
(cd corpus && ldgrep --scope request.json --explain) | sed 's/^/   | /'
run ldgrep --scope request.json archive '>' found.jsonl
st=0
(cd corpus && ldgrep --scope request.json archive) \
	>found.jsonl 2>grep.err || st=$?
sed 's/^/   | /' grep.err
echo "   exit status $st; $(wc -l <found.jsonl | tr -d ' ') events found" \
	"($(wc -l <corpus/answer-key.jsonl | tr -d ' ') in the answer key)"
[ "$st" -le 2 ] && [ -s found.jsonl ] || die "ldgrep failed"

step "4. Redact: ldredact -p support" \
	"Fail-closed redaction for a support answer: secrets masked, user names," \
	"e-mail and IP addresses replaced by keyed pseudonyms (the same value," \
	"the same pseudonym within the case), lines that cannot be checked" \
	"dropped.  The report counts per rule, never the values."
run ldredact -p support --scope request.json -k case.key \
	--report redaction.json found.jsonl '>' redacted.jsonl
(cd corpus && ldredact -p support --scope request.json -k ../case.key \
	--report ../redaction.json ../found.jsonl) >redacted.jsonl 2>redact.err ||
	{ cat redact.err >&2; die "ldredact failed"; }
sed 's/^/   | /' redact.err
echo "   $(wc -l <redacted.jsonl | tr -d ' ') events kept"

step "5. Order: ldtimeline" \
	"Merges the events into one UTC time order and drops duplicates (the" \
	"same audit event streamed and logged, the same line in two files)."
run ldtimeline --stats redacted.jsonl '>' timeline.jsonl
ldtimeline --stats redacted.jsonl >timeline.jsonl 2>timeline.err ||
	{ cat timeline.err >&2; die "ldtimeline failed"; }
grep -E "stats: (read|duplicates|written) " timeline.err | sed 's/^/   | /'
ldtimeline --histogram day --split none timeline.jsonl | sed 's/^/   /'

step "6. Bundle: ldbundle create" \
	"A BagIt bag: the events, a Timesketch timeline, the request, the" \
	"redaction report, the provenance of every source with its SHA-256," \
	"a summary for reviewers, and manifests that pin every byte."
run ldbundle create --force -o $case_id.bag --scope request.json \
	--report redaction.json timeline.jsonl
(cd corpus && ldbundle create --force -o ../$case_id.bag \
	--scope request.json --report ../redaction.json ../timeline.jsonl)
find $case_id.bag -type f | sort | sed 's/^/   /'

step "6b. The attack chain, from the bag, in time order" \
	"The account-level events of alice, the downloads, the fork into" \
	"another tenant's namespace (a pseudonym: the customer learns that" \
	"alice forked out, not to whom), user names and addresses pseudonymised."
chain='login_failed|SessionsController#create|authenticated_with_password'
chain="$chain|two_factor|TwoFactorAuths|personal_access_token_created|add_ssh_key"
chain="$chain|repository/archive|RawController|git_upload_pack|[Ff]ork"
run ldcut -o tsv --no-header -f ts,event,project,user,ip \
	$case_id.bag/data/events.jsonl '|' grep -E "'$chain'"
ldcut -o tsv --no-header -f ts,event,project,user,ip \
	$case_id.bag/data/events.jsonl >chain.tsv
grep -E "$chain" chain.tsv | sed -n '1,40p' | sed 's/^/   | /'
for want in SessionsController#create user_disable_two_factor \
    personal_access_token_created add_ssh_key RawController CreateFork; do
	grep -q "$want" chain.tsv || die "the bag lacks $want"
done

step "7. Approve: security, then legal" \
	"Each reviewer signs the bag's tag manifest with Ed25519; the signature" \
	"checks with the stock openssl command too (see ldbundle(1))."
run ldbundle approve $case_id.bag --role security --reviewer "'Sam Security'" \
	--key security.pem
ldbundle approve --force $case_id.bag --role security \
	--reviewer "Sam Security" --key security.pem | sed 's/^/   /'
run ldbundle approve $case_id.bag --role legal --reviewer "'Lee Legal'" \
	--key legal.pem
ldbundle approve --force $case_id.bag --role legal \
	--reviewer "Lee Legal" --key legal.pem | sed 's/^/   /'

step "8. Verify: ldbundle verify --ready --keyring approvers.txt" \
	"Structure, Payload-Oxum, every checksum, every signature, and both" \
	"approvals by keys the keyring trusts for their roles: the bag may be" \
	"handed over."
run ldbundle verify --ready --keyring approvers.txt $case_id.bag
ldbundle verify --ready --keyring approvers.txt $case_id.bag | sed 's/^/   /'
run ldbundle export --force --keyring approvers.txt $case_id.bag -o $case_id.tar.zst
ldbundle export --force --keyring approvers.txt $case_id.bag -o $case_id.tar.zst
ldbundle verify --ready --keyring approvers.txt $case_id.tar.zst | sed 's/^/   /'

step "9. Review: ldbundle review" \
	"What a reviewer reads in the terminal; review.html is the same page" \
	"with the chart and the approvals, for a browser."
ldbundle review --keyring approvers.txt --html review.html $case_id.bag
ldbundle review --keyring approvers.txt $case_id.bag | sed 's/^/   | /'
ldbundle gap $case_id.bag >audit-gap.md
echo "   audit gap: $demo/audit-gap.md"

step "Done" \
	"bag:     $demo/$case_id.bag" \
	"archive: $demo/$case_id.tar.zst" \
	"summary: $demo/review.html"
