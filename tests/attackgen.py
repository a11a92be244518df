# attackgen.py — what the gen.py scripts of the ldredact attack corpora
# (t4012, t4013) share: one JSON log line per case, and the canaries the
# test looks for in each profile's output.
#
#   rec, write = corpus("2026-11-17T04:%02d:%02d.125Z")
#   rec("r001", "scl", "canary", message="...")   # profiles s, c, l
#   write(DIR)                    # DIR/attack.log and DIR/canaries
#
# corpus() also returns the list of canary lines, for a case that needs
# one written by hand.
import json


def corpus(stamp):
    out, can, n = [], [], [0]

    def rec(cid, prof, canaries, raw=None, **kw):
        i = n[0]
        n[0] += 1
        ev = {"severity": "INFO", "time": stamp % (i // 60, i % 60),
              "meta.root_namespace": "acme-corp", "correlation_id": cid}
        ev.update(kw)
        line = json.dumps(ev, separators=(",", ":"), ensure_ascii=False)
        if raw is not None:
            line = line[:-1] + "," + raw + "}"
        out.append(line)
        for c in ([canaries] if isinstance(canaries, str) else canaries):
            can.append("%s %s %s" % (cid, prof, c))

    def write(d):
        with open(d + "/attack.log", "w") as f:
            f.write("\n".join(out) + "\n")
        with open(d + "/canaries", "w") as f:
            f.write("\n".join(can) + "\n")

    return rec, write, can
