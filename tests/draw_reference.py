#!/usr/bin/env python3
"""Independent re-implementation of the envgov draw (docs/internals/draw.md), written from the
specification only: it reads a snapshot file and a revealed seed and prints the targets and their
inspectors in the same format as `envgov draw verify` (one line per target:
`seq<TAB>enterprise_id<TAB>category<TAB>inspector ids, comma-separated`).

Usage: draw_reference.py SNAPSHOT SEED_HEX [COMMITMENT_HEX]
Plain lists and linear scans on purpose (no Fenwick tree): a second, different implementation.
"""
import hashlib
import sys


def parse(data):
    lines = data.split(b"\n")
    if lines[0] != b"envgov-draw-snapshot\t1" or lines[-1] != b"":
        raise ValueError("not a snapshot")
    snap = {"strata": [], "pool": [], "roster": [], "recuse": set(), "per_target": 2, "balance": False}
    for raw in lines[1:-1]:
        f = raw.decode("utf-8").split("\t")
        k = f[0]
        if k == "stratum":
            snap["strata"].append((f[1], int(f[3])))
        elif k == "target":
            snap["pool"].append({"id": int(f[1]), "category": f[2], "region": f[3], "weight": int(f[4])})
        elif k == "inspector":
            prefixes = [] if f[2] == "-" else [p for p in f[2].split(",") if p]
            snap["roster"].append({"id": int(f[1]), "prefixes": prefixes})
        elif k == "recuse":
            snap["recuse"].add((int(f[1]), int(f[2])))
        elif k == "inspectors_per_target":
            snap["per_target"] = int(f[1])
        elif k == "balance_load":
            snap["balance"] = f[1] == "1"
    return snap


class Stream:
    def __init__(self, seed, snap_sha):
        self.key = seed + snap_sha
        self.counter = 0
        self.words = []

    def word(self):
        if not self.words:
            block = hashlib.sha256(self.key + self.counter.to_bytes(8, "big")).digest()
            self.counter += 1
            self.words = [int.from_bytes(block[i:i + 8], "big") for i in range(0, 32, 8)]
        return self.words.pop(0)

    def uniform(self, n):
        limit = 2**64 - (2**64 % n)
        while True:
            v = self.word()
            if v < limit:
                return v % n


def replay(snap, seed, snap_sha):
    s = Stream(seed, snap_sha)
    targets = []
    for category, count in snap["strata"]:
        cands = [c for c in snap["pool"] if c["category"] == category and c["weight"] > 0]
        for _ in range(count):
            r = s.uniform(sum(c["weight"] for c in cands))
            acc = 0
            for i, c in enumerate(cands):
                acc += c["weight"]
                if acc > r:
                    targets.append(c)
                    del cands[i]
                    break
    load = {u["id"]: 0 for u in snap["roster"]}
    result = []
    for t in targets:
        eligible = [u for u in snap["roster"]
                    if (u["id"], t["id"]) not in snap["recuse"]
                    and not any(t["region"].startswith(p) for p in u["prefixes"])]
        chosen = []
        for _ in range(snap["per_target"]):
            left = [u for u in eligible if u["id"] not in chosen]
            if snap["balance"] and left:
                least = min(load[u["id"]] for u in left)
                left = [u for u in left if load[u["id"]] == least]
            if not left:
                break
            u = left[s.uniform(len(left))]
            chosen.append(u["id"])
            load[u["id"]] += 1
        result.append((t, chosen))
    return result


def main(argv):
    if len(argv) not in (3, 4):
        print(__doc__, file=sys.stderr)
        return 2
    data = open(argv[1], "rb").read()
    seed = bytes.fromhex(argv[2])
    if len(seed) != 32:
        print("seed must be 64 hex digits", file=sys.stderr)
        return 2
    if len(argv) == 4 and hashlib.sha256(seed).hexdigest() != argv[3].lower():
        print("seed does not match the commitment", file=sys.stderr)
        return 1
    for i, (t, chosen) in enumerate(replay(parse(data), seed, hashlib.sha256(data).digest()), 1):
        print(f"{i}\t{t['id']}\t{t['category']}\t{','.join(map(str, chosen))}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
