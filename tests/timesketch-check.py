#!/usr/bin/env python3
# timesketch-check.py jsonl|csv FILE — check a Timesketch import file
# against Timesketch's documented rules (see REFERENCE.md): every row has
# message, datetime (ISO 8601 with an offset), timestamp (µs since the
# epoch, UTC) and timestamp_desc, none empty, and datetime and timestamp
# name the same instant.  Prints the first offence and exits 1.
import calendar, csv, json, re, sys

DT = re.compile(r'^(\d{4})-(\d\d)-(\d\d)T(\d\d):(\d\d):(\d\d)(?:\.(\d{1,9}))?'
                r'(Z|[+-]\d\d:\d\d)$')

def check(row, where):
    for f in ("message", "datetime", "timestamp", "timestamp_desc"):
        if f not in row or row[f] in ("", None):
            sys.exit("%s: missing or empty %s" % (where, f))
    m = DT.match(row["datetime"])
    if not m:
        sys.exit("%s: datetime %r is not ISO 8601 with an offset" %
                 (where, row["datetime"]))
    y, mo, d, h, mi, s = (int(x) for x in m.groups()[:6])
    frac = (m.group(7) or "").ljust(9, "0")
    z = m.group(8)
    off = 0 if z == "Z" else (int(z[1:3]) * 3600 + int(z[4:6]) * 60) * \
        (-1 if z[0] == "-" else 1)
    ns = (calendar.timegm((y, mo, d, h, mi, s)) - off) * 10**9 + int(frac)
    if int(row["timestamp"]) != ns // 1000:
        sys.exit("%s: timestamp %s disagrees with datetime %s (%d)" %
                 (where, row["timestamp"], row["datetime"], ns // 1000))

kind, path = sys.argv[1], sys.argv[2]
n = 0
with open(path, newline="") as f:
    if kind == "jsonl":
        for i, line in enumerate(f, 1):
            check(json.loads(line), "line %d" % i)
            n += 1
    else:
        for i, row in enumerate(csv.DictReader(f), 2):
            check(row, "row %d" % i)
            n += 1
print(n)
