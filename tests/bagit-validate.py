#!/usr/bin/env python3
"""bagit-validate.py BAG -- an independent BagIt 1.0 validator for the tests.

Written from RFC 8493 alone; it shares no code or assumptions with
ldbundle.  It checks what section 3 calls a complete and valid bag:
bagit.txt (2.1.1), the payload directory (2.1.2), payload manifests (2.1.3),
tag manifests (2.2.1), bag-info.txt (2.2.2) including Payload-Oxum, that
every payload file is in every payload manifest and every listed file
exists, and every checksum.  It never follows a link nor reads outside the
bag.  Prints one line per problem; exits 0 when valid, 1 when not.
"""
import hashlib
import os
import re
import stat
import sys

problems = []


def problem(msg):
    problems.append(msg)


def decode(path):
    # RFC 8493 2.1.3: CR, LF and % are percent-encoded in manifest paths.
    return re.sub(r"%0[dD]|%0[aA]|%25",
                  lambda m: {"%0d": "\r", "%0a": "\n", "%25": "%"}[m.group(0).lower()],
                  path)


def safe(bag, rel):
    """Is rel a path inside bag with no link on the way?"""
    if rel.startswith("/") or "\\" in rel:
        return False
    parts = rel.split("/")
    if any(p in ("", ".", "..") for p in parts):
        return False
    cur = bag
    for p in parts:
        cur = os.path.join(cur, p)
        try:
            if stat.S_ISLNK(os.lstat(cur).st_mode):
                return False
        except FileNotFoundError:
            return True  # missing is reported elsewhere
    return True


def walk(bag, top):
    found = {}
    for root, dirs, files in os.walk(os.path.join(bag, top), followlinks=False):
        for name in dirs + files:
            full = os.path.join(root, name)
            rel = os.path.relpath(full, bag).replace(os.sep, "/")
            st = os.lstat(full)
            if stat.S_ISLNK(st.st_mode):
                problem("%s: link in bag" % rel)
            elif stat.S_ISREG(st.st_mode):
                found[rel] = st.st_size
    return found


def read_manifest(bag, name, alg):
    entries = {}
    with open(os.path.join(bag, name), "rb") as f:
        text = f.read().decode("utf-8")
    size = hashlib.new(alg).digest_size * 2
    for n, line in enumerate(text.splitlines(), 1):
        m = re.match(r"^([0-9a-fA-F]+)[ \t]+(.+)$", line)
        if not m or len(m.group(1)) != size:
            problem("%s:%d: malformed line" % (name, n))
            continue
        path = decode(m.group(2))
        if not safe(bag, path):
            problem("%s:%d: unsafe path %r" % (name, n, path))
            continue
        if path in entries:
            problem("%s:%d: %s listed twice" % (name, n, path))
        entries[path] = m.group(1).lower()
    return entries


def digest(bag, rel, alg):
    h = hashlib.new(alg)
    with open(os.path.join(bag, rel), "rb") as f:
        for block in iter(lambda: f.read(1 << 16), b""):
            h.update(block)
    return h.hexdigest()


def main():
    if len(sys.argv) != 2:
        sys.stderr.write("usage: bagit-validate.py BAG\n")
        return 2
    bag = sys.argv[1]

    # 2.1.1 bagit.txt
    try:
        with open(os.path.join(bag, "bagit.txt"), "rb") as f:
            raw = f.read()
    except OSError:
        problem("bagit.txt: missing")
        raw = b""
    if raw.startswith(b"\xef\xbb\xbf"):
        problem("bagit.txt: byte order mark")
    lines = raw.decode("utf-8", "replace").splitlines()
    if raw and (len(lines) != 2
                or not re.match(r"^BagIt-Version: [0-9]+\.[0-9]+$", lines[0])
                or lines[1] != "Tag-File-Character-Encoding: UTF-8"):
        problem("bagit.txt: not the two required lines")

    # 2.1.2 payload directory
    if not os.path.isdir(os.path.join(bag, "data")) or \
            os.path.islink(os.path.join(bag, "data")):
        problem("data/: missing")
        payload = {}
    else:
        payload = walk(bag, "data")

    top = sorted(os.listdir(bag))
    manifests = [n for n in top if re.match(r"^manifest-[a-z0-9]+\.txt$", n)]
    tagmanifests = [n for n in top if re.match(r"^tagmanifest-[a-z0-9]+\.txt$", n)]
    if not manifests:
        problem("no payload manifest")

    # 2.1.3 payload manifests: complete both ways, checksums right
    for name in manifests:
        alg = name[len("manifest-"):-len(".txt")]
        if alg not in hashlib.algorithms_available:
            problem("%s: unknown algorithm" % name)
            continue
        entries = read_manifest(bag, name, alg)
        for rel in payload:
            if rel not in entries:
                problem("%s: not in %s" % (rel, name))
        for rel, want in sorted(entries.items()):
            if not rel.startswith("data/"):
                problem("%s: %s is not a payload file" % (name, rel))
            elif rel not in payload:
                problem("%s: in %s but missing" % (rel, name))
            elif digest(bag, rel, alg) != want:
                problem("%s: %s mismatch" % (rel, alg))

    # 2.2.1 tag manifests: no payload files, listed files exist and match
    for name in tagmanifests:
        alg = name[len("tagmanifest-"):-len(".txt")]
        entries = read_manifest(bag, name, alg)
        for rel, want in sorted(entries.items()):
            full = os.path.join(bag, rel)
            if rel.startswith("data/"):
                problem("%s: lists payload file %s" % (name, rel))
            elif not os.path.isfile(full):
                problem("%s: in %s but missing" % (rel, name))
            elif digest(bag, rel, alg) != want:
                problem("%s: %s mismatch" % (rel, alg))

    # 2.2.2 bag-info.txt: labels, and Payload-Oxum against the payload
    info = os.path.join(bag, "bag-info.txt")
    if os.path.isfile(info):
        with open(info, encoding="utf-8") as f:
            for n, line in enumerate(f.read().splitlines(), 1):
                if line[:1] in (" ", "\t"):
                    continue
                m = re.match(r"^([^:\s][^:]*):\s*(.*)$", line)
                if not m:
                    problem("bag-info.txt:%d: not a label" % n)
                elif m.group(1) == "Payload-Oxum":
                    want = "%d.%d" % (sum(payload.values()), len(payload))
                    if m.group(2) != want:
                        problem("bag-info.txt: Payload-Oxum %s, payload is %s"
                                % (m.group(2), want))

    for p in problems:
        print("bagit-validate: " + p)
    if not problems:
        print("bagit-validate: %s is valid" % bag)
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
