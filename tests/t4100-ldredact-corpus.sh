#!/bin/sh
# t4100-ldredact-corpus: the planted scenario of ldgen's corpus, after a
# scoped ldgrep and the support profile.  The checks read the output with
# python3 (independent of the library): every planted value is looked for
# in the raw text and in every decoded JSON string (escapes and
# percent-encoding undone, any case), every in-scope event must still be
# there, and pseudonyms must be consistent across records and sources.
test_description='ldredact: the planted corpus leaves nothing behind'
. "$(dirname "$0")/test-lib.sh"

if ! command -v python3 >/dev/null 2>&1; then
	test_skip 'planted corpus' 'no python3'
	test_done
fi

test_expect_success 'setup: the corpus, a scoped grep, the support redaction' '
	ldgen -o corpus &&
	printf "case-key-for-the-corpus-test-0123456789\n" >case.key &&
	test_must_fail --status=2 ldgrep --scope corpus/request.json \
	    corpus/archive >grep.out 2>grep.err &&
	test_grep "truncated" grep.err &&
	test -s grep.out &&
	ldredact -p support --scope corpus/request.json -k case.key \
	    --report rep.json <grep.out >out 2>red.err
'

cat >check.py <<\PY
import ipaddress, json, re, sys, urllib.parse

def strings(v):
	"""Every string of a JSON value, names included; JSON inside a
	string is read too."""
	if isinstance(v, dict):
		for k, x in v.items():
			yield k
			yield from strings(x)
	elif isinstance(v, list):
		for x in v:
			yield from strings(x)
	elif isinstance(v, str):
		yield v
		t = v.strip()
		if t[:1] in "{[":
			try:
				yield from strings(json.loads(t))
			except ValueError:
				pass

def decoded(s):
	"""s with percent-encoding and \\uXXXX undone, repeatedly."""
	for _ in range(4):
		t = urllib.parse.unquote(s)
		t = re.sub(r"\\u([0-9a-fA-F]{4})", lambda m: chr(int(m.group(1), 16)), t)
		if t == s:
			break
		s = t
	return s

def texts(path):
	"""The raw lines of a JSON lines file and every decoded string."""
	out = []
	for line in open(path, encoding="utf-8"):
		out.append(line)
		out.extend(decoded(s) for s in strings(json.loads(line)))
	return out

def leak():
	planted = json.load(open("corpus/planted.json"))
	ips = set(ipaddress.ip_address(v) for v in planted["ips"])
	bad = []
	for t in texts("out"):
		low = t.lower()
		for kind, vals in planted.items():
			for v in vals:
				forms = [v, urllib.parse.quote(v, safe=""),
				    urllib.parse.quote(urllib.parse.quote(v, safe=""), safe=""),
				    json.dumps(v, ensure_ascii=True)[1:-1].replace("@", "\\u0040")]
				for f in forms:
					f = f.lower()
					if kind in ("users", "other_tenants"):
						hit = re.search(r"(?<![a-z0-9])" + re.escape(f) + r"(?![a-z0-9])", low)
					else:
						hit = f in low
					if hit:
						bad.append((kind, v, t[:200]))
						break
		# Addresses in any spelling (expanded, upper case, ...).
		for tok in re.findall(r"[0-9A-Fa-f:.]{2,}", t):
			try:
				a = ipaddress.ip_address(tok.strip(".:"))
			except ValueError:
				continue
			if a in ips or getattr(a, "ipv4_mapped", None) in ips:
				bad.append(("ips", tok, t[:200]))
	for b in bad:
		print("leak:", b)
	sys.exit(1 if bad else 0)

def scope():
	key = set()
	for line in open("corpus/answer-key.jsonl"):
		j = json.loads(line)
		key.add((j["src"], j["line"]))
	rep = json.load(open("rep.json"))
	dropped = set((d["src"].replace("corpus/", "", 1), d["line"])
	    for d in rep["dropped_records"])
	got = []
	for line in open("out"):
		j = json.loads(line)
		got.append((j["src"].replace("corpus/", "", 1), j["line"]))
	ok = True
	if len(got) != len(set(got)):
		print("duplicate records in the output"); ok = False
	if not dropped <= key:
		print("dropped records that are not in the answer key:", dropped - key); ok = False
	if set(got) != key - dropped:
		print("missing:", sorted(key - dropped - set(got)))
		print("extra:", sorted(set(got) - key))
		ok = False
	if len(got) != len(key) - len(dropped):
		print("count", len(got), "want", len(key) - len(dropped)); ok = False
	sys.exit(0 if ok else 1)

def pseudo():
	inp = {}
	for line in open("grep.out"):
		j = json.loads(line)
		inp[(j["src"], j["line"])] = j
	keys = {"ip": ("ip", "remote_ip", "meta.remote_ip", "ip_address"),
	    "user": ("user", "username", "meta.user", "author_name")}
	seen = {}
	srcs = {}
	for line in open("out"):
		o = json.loads(line)
		i = inp[(o["src"], o["line"])]
		for kind, names in keys.items():
			for n in names:
				for a, b in ((i, o), (i["ev"], o["ev"])):
					if not isinstance(a.get(n), str) or n not in b:
						continue
					v = a[n]
					if kind == "ip":
						v = str(ipaddress.ip_address(v))
					else:
						v = v.lower()
					seen.setdefault((kind, v), set()).add(b[n])
					srcs.setdefault((kind, v), set()).add(o["src"])
	ok = True
	for (kind, v), ps in seen.items():
		if len(ps) != 1 or not re.fullmatch(kind + r"-[0-9a-f]{12}", next(iter(ps))):
			print("not one pseudonym:", kind, v, ps); ok = False
	pseudos = [next(iter(ps)) for ps in seen.values()]
	if len(pseudos) != len(set(pseudos)):
		print("two values share a pseudonym"); ok = False
	planted = json.load(open("corpus/planted.json"))
	for v in planted["ips"]:
		k = ("ip", str(ipaddress.ip_address(v)))
		if k in seen and len(srcs[k]) < 2 and v == planted["ips"][0]:
			print("planted address seen in one source only:", v); ok = False
	if not any(len(s) > 1 for s in srcs.values()):
		print("no value spans two sources: the check proves nothing"); ok = False
	sys.exit(0 if ok else 1)

def report():
	rep = json.load(open("rep.json"))
	r = rep["records"]
	nin = sum(1 for _ in open("grep.out"))
	nout = sum(1 for _ in open("out"))
	ok = r["read"] == nin and r["kept"] == nout and \
	    r["read"] == r["kept"] + r["dropped"] and \
	    r["dropped"] == sum(rep["dropped"].values()) and \
	    r["dropped"] == len(rep["dropped_records"]) and \
	    rep["output"]["records"] == nout and rep["input"]["lines"] == nin
	if not ok:
		print("counts do not add up:", r, rep["dropped"], nin, nout)
	text = open("rep.json").read().lower()
	planted = json.load(open("corpus/planted.json"))
	for kind, vals in planted.items():
		for v in vals:
			if re.search(r"(?<![a-z0-9])" + re.escape(v.lower()) + r"(?![a-z0-9])", text):
				print("report names", kind, v); ok = False
	sys.exit(0 if ok else 1)

globals()[sys.argv[1]]()
PY

test_expect_success 'no planted value survives, in any form' '
	python3 check.py leak
'

test_expect_success 'every in-scope event is there, less the dropped ones the report lists' '
	python3 check.py scope
'

test_expect_success 'the same address or user has one pseudonym across records and sources' '
	python3 check.py pseudo
'

test_expect_success 'the report adds up and names no planted value' '
	python3 check.py report
'

test_expect_success 'what could not be read is said on stderr; nothing repaired is dropped' '
	n=$(python3 -c "import json; print(sum(1 for d in json.load(open(\"rep.json\"))[\"dropped_records\"] if d[\"reason\"] in (\"malformed\", \"utf8\", \"match-limit\")))") &&
	test "$(grep -c "dropped" red.err)" -eq "$n" &&
	python3 -c "import json; exit(json.load(open(\"rep.json\"))[\"dropped\"][\"utf8\"])" &&
	grep "\"utf8\":\"repaired\"" grep.out >repaired.in &&
	grep "\"utf8\":\"repaired\"" out >repaired.out &&
	test_line_count -ge 1 repaired.in &&
	test "$(wc -l <repaired.out)" -eq "$(wc -l <repaired.in)"
'

test_expect_success 'a second run gives the same bytes, report and all' '
	ldredact -p support --scope corpus/request.json -k case.key \
	    --report rep2.json <grep.out >out2 2>red2.err &&
	cmp out out2 &&
	cmp rep.json rep2.json &&
	cmp red.err red2.err
'

test_done
