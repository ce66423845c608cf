#!/usr/bin/env python3
"""`planrecon refs` over many declarations of a repository, for `cmp` against another binary.

Usage: refs_outputs.py BIN OUT REPO [--max N]

Takes every non-test declaration whose full-path symbol is unique (the symbols of
scripts/refs-eval/score.py), every k-th of them when there are more than N (default 800),
and writes `refs --format json --include-tests` for them, 100 symbols a call, to OUT (a call
that refuses a symbol, unknown or ambiguous, is split in halves until the refused ones stand alone).
A resolver change meant to be behaviour-preserving must leave OUT byte-identical.
"""
import collections, os, subprocess, sys

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "refs-eval"))
import score  # noqa: E402

bin_, out, repo = sys.argv[1:4]
cap = int(sys.argv[sys.argv.index("--max") + 1]) if "--max" in sys.argv else 800
decls = score.declarations(score.inventory(bin_, repo))
counts = collections.Counter(d["symbol"] for d in decls)
symbols = sorted({d["symbol"] for d in decls if counts[d["symbol"]] == 1 and d["name"] != "_"
                  and not d["name"].isdigit()})
step = max(1, len(symbols) // cap)
symbols = symbols[::step]


def refs(batch, f):
    p = subprocess.run([bin_, "refs", *batch, "--repo", repo, "--format", "json",
                        "--include-tests"], capture_output=True, text=True)
    if p.returncode != 0 and len(batch) > 1:
        half = len(batch) // 2
        refs(batch[:half], f)
        refs(batch[half:], f)
        return
    f.write(f"## {batch[0]} rc={p.returncode}\n{p.stdout}{p.stderr}\n")


with open(out, "w") as f:
    for i in range(0, len(symbols), 100):
        refs(symbols[i:i + 100], f)
print(f"{len(symbols)} symbols -> {out}")
