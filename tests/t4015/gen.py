#!/usr/bin/env python3
"""gen.py SEED N — seeded request windows for t4015, one case a line:

    VERDICT<TAB>REQUEST<TAB>LINES

VERDICT is "ok" or "refused"; REQUEST a request file of tenant acme-corp
under profile support or sirt whose since, until and requested_at are
written in RFC 3339 with random offsets (-12:00 to +14:00, half and
quarter hours, "-00:00"), 'T', 't' or a space, "Z" or "z", fractions of
0 to 9 digits and trailing zeros, and a leap second "23:59:60" wherever
the time before it is a :59; the windows lie around the profile's bound
(7 or 31 days) to the nanosecond, across offsets that change as DST does,
empty or reversed.  The expected verdict is worked out here on integer
nanoseconds.  LINES, for an accepted request, are four production_json
lines, k-b0 one nanosecond before since, k-b1 at since, k-b2 one
nanosecond before until and k-b3 at until, joined by "|", their times
written the same ways: only k-b1 and k-b2 are in the window.  Every
value is made up.
"""
import json
import random
import sys

NS = 10**9
DAY = 86400 * NS
EPOCH_2026 = 1767225600          # 2026-01-01T00:00:00Z
LATEST = 1793491200              # 2026-11-01T00:00:00Z: long before "now"
OFFSETS = [0, 60, 120, 330, 345, 525, 570, 600, 765, 840, -60, -180, -210,
           -240, -300, -420, -570, -720]


def days_from_civil(y, m, d):
    y -= m <= 2
    era = y // 400
    yoe = y - era * 400
    doy = (153 * (m + (-3 if m > 2 else 9)) + 2) // 5 + d - 1
    doe = yoe * 365 + yoe // 4 - yoe // 100 + doy
    return era * 146097 + doe - 719468


def civil(days):
    z = days + 719468
    era = z // 146097
    doe = z - era * 146097
    yoe = (doe - doe // 1460 + doe // 36524 - doe // 146096) // 365
    y = yoe + era * 400
    doy = doe - (365 * yoe + yoe // 4 - yoe // 100)
    mp = (5 * doy + 2) // 153
    d = doy - (153 * mp + 2) // 5 + 1
    m = mp + (3 if mp < 10 else -9)
    return y + (m <= 2), m, d


def write(rng, ns):
    """The instant ns in one of RFC 3339's shapes."""
    off = rng.choice(OFFSETS)
    secs, frac = divmod(ns, NS)
    leap = False
    # 23:59:60 (or any :60) names the second after a :59
    if frac == 0 and rng.random() < 0.5:
        local = secs - 1 + off * 60
        if local % 60 == 59:
            secs -= 1
            leap = True
    local = secs + off * 60
    days, rest = divmod(local, 86400)
    y, m, d = civil(days)
    h, rest = divmod(rest, 3600)
    mi, s = divmod(rest, 60)
    if leap:
        s = 60
    sep = rng.choice("TTTt ")
    text = "%04d-%02d-%02d%s%02d:%02d:%02d" % (y, m, d, sep, h, mi, s)
    digits = "%09d" % frac
    if frac:
        digits = digits.rstrip("0")
        text += "." + digits + "0" * rng.choice([0, 0, 1, 3])
    elif rng.random() < 0.2:
        text += "." + "0" * rng.randint(1, 9)
    if off == 0 and rng.random() < 0.6:
        text += rng.choice("Zz")
    elif off == 0:
        text += rng.choice(["+00:00", "-00:00"])
    else:
        sign = "+" if off > 0 else "-"
        text += "%s%02d:%02d" % (sign, abs(off) // 60, abs(off) % 60)
    return text


def main():
    seed, n = int(sys.argv[1]), int(sys.argv[2])
    rng = random.Random(seed)
    for i in range(n):
        profile = rng.choice(["support", "sirt"])
        bound = (7 if profile == "support" else 31) * DAY
        since = rng.randrange(EPOCH_2026, LATEST - 40 * 86400) * NS
        if rng.random() < 0.5:
            since -= since % (60 * NS)          # on a minute: leap seconds
        if rng.random() < 0.5:
            since += rng.randrange(NS)
        span = bound + rng.choice([0, 0, -1, 1, -NS, NS, 3600 * NS,
                                   -3600 * NS, 1800 * NS, DAY, -DAY])
        if rng.random() < 0.1:
            span = rng.choice([0, -1, -DAY])    # empty or reversed
        until = since + span
        requested = until + rng.choice([0, 1, NS, DAY, 3 * DAY])
        late = rng.random() < 0.1
        if late:
            requested = until - rng.choice([1, NS, DAY])
        ok = 0 < span <= bound and not late
        req = {"case": "C-4015-%d-%d" % (seed, i), "tenant": "acme-corp",
               "profile": profile, "namespaces": ["acme-corp"],
               "since": write(rng, since), "until": write(rng, until),
               "requested_at": write(rng, requested)}
        lines = ""
        if ok:
            rows = []
            for k, t in enumerate([since - 1, since, until - 1, until]):
                rows.append(json.dumps({
                    "method": "GET", "path": "/acme-corp/web",
                    "controller": "ProjectsController", "action": "show",
                    "status": 200, "time": write(rng, t),
                    "meta.project": "acme-corp/web",
                    "meta.root_namespace": "acme-corp",
                    "correlation_id": "k-b%d" % k},
                    separators=(",", ":")))
            lines = "|".join(rows)
        print("%s\t%s\t%s" % ("ok" if ok else "refused",
                              json.dumps(req, separators=(",", ":")), lines))


if __name__ == "__main__":
    main()
