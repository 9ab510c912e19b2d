#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-or-later
"""stress-check.py FILE: one `blkcrypt-query file -R -J` document of
tests/root/stress.bats, parsed strictly; every file must have a verdict its
kind of file can have on a kernel without blk-crypto (ext4 mounted without
inlinecrypt).  Prints the number of files; exit 1 with the offending record
otherwise."""
import json
import sys

# (type, encryption, key) -> the (dio, reason, crypto) it can have
POSSIBLE = {
    ("file", "none", None): {("yes", None, "none")},
    ("file", "v2", "present"): {("buffered", "no-inlinecrypt", "fs-layer")},
    ("file", "v2", "absent"): {("no", "key-absent", "unknown")},
    # open while its key is removed: still readable, or already gone
    ("file", "v2", "incompletely-removed"): {("buffered", "no-inlinecrypt", "fs-layer"),
                                             ("no", "key-absent", "unknown")},
}
NOT_REGULAR = ("no", "not-regular")


def refuse(const):
    raise ValueError("not JSON: " + const)


def main():
    with open(sys.argv[1], "rb") as f:
        raw = f.read()
    doc = json.loads(raw.decode("utf-8"), parse_constant=refuse)
    if set(doc) != {"files"} or not isinstance(doc["files"], list):
        sys.exit("stress-check: not a file report: keys %s" % sorted(doc))
    for r in doc["files"]:
        kind = (r["type"], r["encryption"], r["key"])
        got = (r["dio"], r["reason"], r["crypto"])
        if r["type"] in ("link", "fifo"):
            ok = got[:2] == NOT_REGULAR
        else:
            ok = got in POSSIBLE.get(kind, set())
        if not ok:
            sys.exit("stress-check: impossible verdict %s for %s: %s" % (got, kind, r["path"]))
    print(len(doc["files"]))


main()
