#!/usr/bin/env python3
"""layers.py - check lib/'s layering (see lib/README.md).

  layers.py includes LIBDIR      every include follows the layer order
  layers.py calls LIBDIR OBJDIR  no two object files call each other round a loop
  layers.py order LIBDIR         print the layer order

Prints one line per violation and exits 1 if there is any."""
import os, re, subprocess, sys

def order(lib):
    for line in open(os.path.join(lib, "README.md")):
        m = re.match(r"\s*layers:\s*(.*)", line)
        if m:
            return m.group(1).split()
    sys.exit("layers.py: no 'layers:' line in lib/README.md")

def includes(lib):
    lay = order(lib)
    rank = {n: i for i, n in enumerate(lay)}
    bad = 0
    for sub in sorted(os.listdir(lib)):
        d = os.path.join(lib, sub)
        if not os.path.isdir(d) or sub in ("format/formats",):
            continue
        srcs = [f for f in sorted(os.listdir(d)) if f.endswith((".c", ".h"))]
        if srcs and sub not in rank:
            print(f"lib/{sub}: a subsystem not in the layer order")
            bad += 1
            continue
        for f in srcs:
            for no, line in enumerate(open(os.path.join(d, f)), 1):
                m = re.match(r'\s*#\s*include\s+"([^"]+)"', line)
                if not m:
                    continue
                inc = m.group(1)
                if "/" not in inc:
                    print(f"lib/{sub}/{f}:{no}: include \"{inc}\" without its subsystem")
                    bad += 1
                    continue
                to = inc.split("/")[0]
                if to not in rank:
                    print(f"lib/{sub}/{f}:{no}: \"{inc}\" is in no known subsystem")
                    bad += 1
                elif rank[to] > rank[sub]:
                    print(f"lib/{sub}/{f}:{no}: {sub} includes \"{inc}\" of {to}, a layer above it")
                    bad += 1
    return bad

def calls(lib, obj):
    defs, uses = {}, {}
    objs = []
    for root, _, files in os.walk(obj):
        objs += [os.path.join(root, f) for f in files if f.endswith(".o")]
    for o in sorted(objs):
        name = os.path.relpath(o, obj)
        out = subprocess.run(["nm", o], capture_output=True, text=True,
                             check=True).stdout
        uses[name] = set()
        for line in out.splitlines():
            p = line.split()
            if len(p) == 3 and p[1] in "TDBR":
                defs[p[2]] = name
            elif len(p) == 2 and p[0] == "U":
                uses[name].add(p[1])
    g = {n: sorted({defs[s] for s in u if s in defs and defs[s] != n})
         for n, u in uses.items()}
    # Tarjan's strongly connected components
    index, low, stack, on, comps, i = {}, {}, [], set(), [], [0]
    def visit(v):
        index[v] = low[v] = i[0]; i[0] += 1
        stack.append(v); on.add(v)
        for w in g[v]:
            if w not in index:
                visit(w); low[v] = min(low[v], low[w])
            elif w in on:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            c = []
            while True:
                w = stack.pop(); on.discard(w); c.append(w)
                if w == v:
                    break
            if len(c) > 1:
                comps.append(sorted(c))
    sys.setrecursionlimit(10000)
    for v in sorted(g):
        if v not in index:
            visit(v)
    for c in comps:
        print("call loop: " + " <-> ".join(c))
    return len(comps)

if __name__ == "__main__":
    cmd = sys.argv[1]
    if cmd == "order":
        print(" ".join(order(sys.argv[2])))
        sys.exit(0)
    n = includes(sys.argv[2]) if cmd == "includes" else calls(sys.argv[2], sys.argv[3])
    sys.exit(1 if n else 0)
