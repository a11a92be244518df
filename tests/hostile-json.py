#!/usr/bin/env python3
"""hostile-json.py -- hostile but valid JSON lines, and Python's json as the
oracle of what logdive must make of them (tests/t0950-hostile-json.sh).

  hostile-json.py gen SEED N LOG ORACLE
      write N seeded lines to LOG (the first with a UTF-8 byte order mark)
      and to ORACLE, per line, what Python's json module reads in it: null
      when it refuses the line or it is not an object, else the canonical
      fields (user, user_id, ns, project, ip) by the rules of the "json"
      format, the last of a duplicate key winning
  hostile-json.py gen-deep SEED LOG ORACLE
      the same for lines nested 2049, 5000 and 100000 deep (past jansson's
      bound and Python's recursion limit; valid JSON all the same) in
      arrays, objects and both, before and after the canonical keys, and
      for deep lines with a grammar error in the deep part
  hostile-json.py check KIND ORACLE OUT [ARG [LOG]]
      compare a tool's output OUT with the oracle; prints every difference
      and exits 1 when there is one.  KIND is
        grep   ldgrep records for scope ARG ("user=alice"): exactly the lines
               of the oracle in that scope, each "ev" the bytes of its line
               in LOG
        cut    ldcut -f line,fmt,user,user_id,ns,project,ip: every line, its
               fields as the oracle says (all null for refused lines)
        redact ldredact -p legal --tenant ARG records: exactly the lines in
               the tenant, each readable by Python
        stats  ldgrep --stats messages: malformed = the lines refused

Lone surrogates, which Python keeps in a str, are U+FFFD in logdive's
values (as invalid UTF-8 is); the oracle maps them so before comparing.  A real number's text as a
canonical field is jansson's (%.17g), not Python's: user ids are written
as integers only, of any size.
"""
import json
import random
import re
import sys

USERS = ["alice", "bob", "carol", "dave"]
PROJECTS = ["acme/web", "acme/api", "globex/core", "initech/tps"]
IPS = ["10.0.0.1", "10.0.0.2", "192.0.2.7", "198.51.100.9"]
BOM = "\ufeff"


def no_surrogates(s):
    return re.sub("[\ud800-\udfff]", "\ufffd", s)


def refuse_constant(name):
    raise ValueError("not JSON: " + name)


def oracle_load(text):
    """The object Python reads in text (RFC 8259: no NaN nor Infinity),
    or None."""
    try:
        v = json.loads(text, parse_constant=refuse_constant)
    except (ValueError, RecursionError):
        return None
    return v if isinstance(v, dict) else None


# ---- writing JSON the hostile way ----

def esc_char(c, rnd):
    """c as JSON text, escaped one way or another, or not at all."""
    o = ord(c)
    if c == '"' or c == "\\":
        return "\\" + c
    if c == "/" and rnd.random() < 0.5:
        return "\\/"
    if o < 0x20:
        return "\\u%04x" % o
    if rnd.random() < 0.05:
        if o >= 0x10000:
            o -= 0x10000
            return "\\u%04X\\u%04x" % (0xD800 + (o >> 10), 0xDC00 + (o & 0x3FF))
        if 0xD800 <= o < 0xE000:
            return "\\u%04x" % o
        return ("\\u%04x" if rnd.random() < 0.5 else "\\u%04X") % o
    if 0xD800 <= o < 0xE000:
        return "\\u%04x" % o	# a lone surrogate can only be an escape
    return c


def jstr(s, rnd, plain=False):
    if plain:
        return json.dumps(s, ensure_ascii=False)
    return '"' + "".join(esc_char(c, rnd) for c in s) + '"'


def ws(rnd):
    if rnd.random() < 0.7:
        return ""
    return "".join(rnd.choice(" \t\r ") for _ in range(rnd.randint(1, 3)))


def number(rnd, ints=False):
    k = rnd.randrange(9)
    if ints and k in (2, 3):
        return rnd.choice(["-0", "0", "-1"])
    if k == 0:
        return str(rnd.randint(-2**63, 2**63 - 1))
    if k == 1:
        return str(rnd.choice([1, -1]) * rnd.randint(2**63, 10**40))
    if k == 2:
        return rnd.choice(["1e999", "-1e999", "1E+400", "-2.5e308", "1e-999",
                           "4.9e-324", "1.7976931348623157e308", "-0",
                           "-0.0", "0e0"])
    if k == 3:
        return "%d.%de%s%d" % (rnd.randint(0, 99), rnd.randint(0, 999),
                                rnd.choice(["", "+", "-"]), rnd.randint(0, 400))
    if k == 4:
        return "9223372036854775807" if rnd.random() < 0.5 else \
            "-9223372036854775808"
    if k == 5:
        return "9223372036854775808" if rnd.random() < 0.5 else \
            "-9223372036854775809"
    if k == 6:
        return "1" + "0" * rnd.randint(19, 400)
    return str(rnd.randint(-1000, 1000))


def noise_string(rnd):
    parts = []
    for _ in range(rnd.randint(0, 6)):
        k = rnd.randrange(8)
        if k == 0:
            parts.append(chr(rnd.randint(0xDC00, 0xDFFF)))	# lone low
        elif k == 1:
            parts.append(chr(rnd.randint(0xD800, 0xDBFF)))	# lone high
        elif k == 2:
            parts.append(chr(rnd.randint(0x10000, 0x10FFFF)))	# a pair
        elif k == 3:
            parts.append("\x00")
        elif k == 4:
            parts.append(rnd.choice(["é", "日本", "\u2028", "/", "\\", '"']))
        else:
            parts.append(rnd.choice(["x", "hello", "a b", "tab\t", "nl\n"]))
    return "".join(parts)


def value(rnd, depth):
    k = rnd.randrange(10)
    if k < 3:
        return jstr(noise_string(rnd), rnd)
    if k < 6:
        return number(rnd)
    if k == 6:
        return rnd.choice(["true", "false", "null"])
    if k == 7 and depth < 6:
        return "[" + ws(rnd) + ("," + ws(rnd)).join(
            value(rnd, depth + 1) + ws(rnd)
            for _ in range(rnd.randint(0, 3))) + "]"
    if k == 8 and depth < 6:
        return "{" + ws(rnd) + ("," + ws(rnd)).join(
            jstr(noise_string(rnd) or "k", rnd) + ws(rnd) + ":" + ws(rnd) +
            value(rnd, depth + 1) + ws(rnd)
            for _ in range(rnd.randint(0, 3))) + "}"
    if k == 9:
        d = rnd.randint(20, 200)	# deep, under every parser's bound
        return "[" * d + number(rnd) + "]" * d
    return '"x"'


def noise_key(rnd, i):
    k = rnd.randrange(6)
    if k == 0:
        return "x%d%s" % (i, chr(rnd.randint(0xDC00, 0xDFFF)))
    if k == 1:
        return "x%d\x00" % i
    if k == 2:
        return "x%d%s" % (i, chr(rnd.randint(0x10000, 0x10FFFF)))
    return "x%d" % i


def member(k, v, rnd, plain_key=False):
    return ws(rnd) + jstr(k, rnd, plain_key) + ws(rnd) + ":" + ws(rnd) + v + ws(rnd)


def good_line(rnd):
    """An object with canonical fields, escaped, duplicated, mixed with
    noise: valid JSON under RFC 8259."""
    members = [member("time", jstr("2026-11-16T02:13:%02dZ" % rnd.randrange(60), rnd), rnd)]
    fields = [("meta.user", lambda: jstr(rnd.choice(USERS) + rnd.choice(["", "", "", "\udc80"]), rnd)),
              ("meta.project", lambda: jstr(rnd.choice(PROJECTS), rnd)),
              ("remote_ip", lambda: jstr(rnd.choice(IPS), rnd)),
              ("meta.user_id", lambda: number(rnd, True) if rnd.random() < 0.8 else jstr(str(rnd.randint(1, 99)), rnd))]
    for name, make in fields:
        if rnd.random() < 0.15:
            continue
        for _ in range(rnd.choice([1, 1, 1, 2])):	# duplicates: the last wins
            members.append(member(name, make(), rnd))
    for i in range(rnd.randint(0, 5)):
        members.append(member(noise_key(rnd, i), value(rnd, 0), rnd))
    head = members[:1]
    rest = members[1:]
    rnd.shuffle(rest)
    return "{" + ",".join(head + rest) + "}"


def bad_line(rnd):
    """What RFC 8259 refuses (and Python with it), or JSON that is not an
    object."""
    g = good_line(rnd)
    k = rnd.randrange(12)
    if k == 0:
        return g[:-1] + ",}"				# trailing comma
    if k == 1:
        return g.replace('"time"', "time", 1)		# bare key
    if k == 2:
        return g[:-1] + ',"n":NaN}'
    if k == 3:
        return g[:-1] + ',"n":Infinity}'
    if k == 4:
        return g[:-1] + ',"s":"a\x01b"}'		# raw control character
    if k == 5:
        return g[:-1] + ',"s":"\\x41"}'			# no such escape
    if k == 6:
        return g[:-1] + ',"n":012}'			# leading zero
    if k == 7:
        return g[:-1] + ',"s":"\\ud8"}'			# short escape
    if k == 8:
        return "\f" + g					# not JSON white space
    if k == 9:
        return BOM + g					# a BOM inside a source
    if k == 10:
        return "[" + g + "]"				# JSON, not an object
    return g[: rnd.randrange(1, len(g))]		# cut short


def canon(obj):
    """The canonical fields the "json" format takes from obj."""
    def s(v):
        if isinstance(v, bool):
            return "true" if v else "false"
        if isinstance(v, (int, str)):
            return no_surrogates(str(v))
        return None
    user = s(obj.get("meta.user")) if isinstance(obj.get("meta.user"), str) else None
    uid = obj.get("meta.user_id")
    if isinstance(uid, bool) or not isinstance(uid, (int, str)) or \
            not re.fullmatch(r"-?[0-9]+", str(uid)):
        uid = None
    else:
        uid = str(uid)
    project = obj.get("meta.project")
    project = no_surrogates(project) if isinstance(project, str) else None
    ns = project.split("/")[0] if project else None
    ip = obj.get("remote_ip")
    ip = ip if isinstance(ip, str) else None
    return {"user": user or None, "user_id": uid, "ns": ns or None,
            "project": project or None, "ip": ip}


def gen(seed, n, log, oracle):
    rnd = random.Random(int(seed))
    lines, facts = [], []
    for i in range(int(n)):
        text = bad_line(rnd) if rnd.random() < 0.2 else good_line(rnd)
        if i == 0:
            text = BOM + good_line(rnd)
        lines.append(text)
        obj = oracle_load(text[1:] if i == 0 else text)
        facts.append(canon(obj) if obj is not None else None)
    with open(log, "w", encoding="utf-8", errors="surrogatepass", newline="") as f:
        for t in lines:
            f.write(t + "\n")
    with open(oracle, "w") as f:
        json.dump(facts, f)


def deep_value(rnd, d, kind, inner):
    """inner nested d deep in arrays, objects or both (alternating)."""
    opens, closes = [], []
    for i in range(d):
        if kind == "array" or (kind == "mixed" and i % 2 == 0):
            opens.append("[")
            closes.append("]")
        else:
            opens.append('{"k":')
            closes.append("}")
    return "".join(opens) + inner + "".join(reversed(closes))


DEEP_BAD = [
    ("array", "[1,]"),		# trailing comma
    ("object", '{"a" 1}'),		# no colon
    ("mixed", "NaN"),
    ("array", '"\\x41"'),		# no such escape
    ("object", "[1}"),		# closed by the wrong bracket
    ("mixed", "012"),		# leading zero
]


def gen_deep(seed, log, oracle):
    """Lines nested past jansson's bound (2048) and Python's (its
    recursion limit), which the grammar accepts, the deep member before
    or after the canonical keys; and deep lines with a grammar error
    inside the deep part.  Python reads the line without the deep member:
    the canonical fields are never in it."""
    rnd = random.Random(int(seed))
    lines, facts = [], []
    for d in (2049, 5000, 100000):
        for kind in ("array", "object", "mixed"):
            for where in ("before", "after"):
                g = good_line(rnd)
                inner = rnd.choice([number(rnd), jstr(noise_string(rnd), rnd), "[]", "{}"])
                m = member("deep", deep_value(rnd, d, kind, inner), rnd)
                text = "{" + m + "," + g[1:] if where == "before" else g[:-1] + "," + m + "}"
                lines.append(text)
                obj = oracle_load(g)
                facts.append(canon(obj) if obj is not None else None)
    for d in (2049, 5000):
        for kind, inner in DEEP_BAD:
            g = good_line(rnd)
            lines.append(g[:-1] + "," + member("deep", deep_value(rnd, d, kind, inner), rnd) + "}")
            facts.append(None)
    g = good_line(rnd)				# one bracket short
    lines.append(g[:-1] + ',"deep":' + deep_value(rnd, 3000, "array", "1")[:-1] + "}")
    facts.append(None)
    with open(log, "w", encoding="utf-8", errors="surrogatepass", newline="") as f:
        for t in lines:
            f.write(t + "\n")
    with open(oracle, "w") as f:
        json.dump(facts, f)


# ---- checking a tool's output ----

def read_jsonl(path):
    out = []
    with open(path, encoding="utf-8", errors="surrogateescape", newline="\n") as f:
        for t in f:
            t = t.rstrip("\n")
            if not t:
                continue
            try:
                out.append((t, json.loads(t)))
            except RecursionError:
                # an event nested past Python's bound: the record without
                # it ("ev" is last; its text is checked byte for byte)
                r = json.loads(t[:t.index(',"ev":')] + "}")
                r["ev"] = {}
                out.append((t, r))
    return out


def scope_ok(fact, scope):
    k, v = scope.split("=", 1)
    if fact is None or fact[k] is None:
        return False
    if k == "ns":
        return fact[k].lower() == v.lower()
    return fact[k] == v


def check(kind, oracle, out, arg=None, log=None):
    facts = json.load(open(oracle))
    errs = []
    if kind == "grep":
        with open(log, "rb") as f:
            raw = f.read().split(b"\n")
        recs = read_jsonl(out)
        got = sorted(r["line"] for _, r in recs)
        want = [i + 1 for i, f in enumerate(facts) if scope_ok(f, arg)]
        if got != want:
            errs.append("%s: lines %s, want %s" % (arg, got, want))
        for text, r in recs:
            line = raw[r["line"] - 1]
            if r["line"] == 1 and line.startswith(BOM.encode()):
                line = line[3:]
            line = line.strip(b" \t\r")
            if not text.encode("utf-8", "surrogateescape").endswith(b',"ev":' + line + b"}"):
                errs.append("line %d: ev is not the line's bytes" % r["line"])
    elif kind == "cut":
        rows = read_jsonl(out)
        if len(rows) != len(facts):
            errs.append("%d rows for %d lines" % (len(rows), len(facts)))
        for (_, r), f in zip(rows, facts):
            want = dict(f) if f else dict.fromkeys(["user", "user_id", "ns", "project", "ip"])
            want["fmt"] = "json" if f else None
            got = {k: r.get(k) for k in want}
            if got != want:
                errs.append("line %s: %s, want %s" % (r.get("line"), got, want))
    elif kind == "redact":
        recs = read_jsonl(out)
        got = sorted(r["line"] for _, r in recs)
        want = [i + 1 for i, f in enumerate(facts) if scope_ok(f, "ns=" + arg)]
        if got != want:
            errs.append("tenant %s: lines %s, want %s" % (arg, got, want))
        for _, r in recs:
            if not isinstance(r.get("ev"), dict):
                errs.append("line %s: no event" % r.get("line"))
    elif kind == "stats":
        bad = sum(1 for f in facts if f is None)
        m = [t for t in open(out) if "stats: total" in t]
        cols = m[-1].split("\t") if m else []
        if len(cols) < 5 or int(cols[4]) != bad:
            errs.append("malformed: %s, want %d" % (cols[4:5], bad))
    for e in errs[:20]:
        print(e)
    if len(errs) > 20:
        print("... %d differences" % len(errs))
    return 1 if errs else 0


if __name__ == "__main__":
    if len(sys.argv) >= 6 and sys.argv[1] == "gen":
        gen(*sys.argv[2:6])
    elif len(sys.argv) >= 5 and sys.argv[1] == "gen-deep":
        gen_deep(*sys.argv[2:5])
    elif len(sys.argv) >= 5 and sys.argv[1] == "check":
        sys.exit(check(*sys.argv[2:7]))
    else:
        sys.exit(__doc__)
