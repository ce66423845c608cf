#!/usr/bin/env python3
"""Sizes of the report on the evaluation's repositories: o200k tokens and
bytes of the Recon appendix (`--section recon`) and of the whole report, with
the source lines planrecon read (from the report's Scope line).

usage: scripts/report-eval/sizes.py [--planrecon BIN] [--repos DIR] [CHECKOUT ...]

Without CHECKOUTs: one tree per repository of docs.json (the first listed).
"""

import argparse
import json
import os
import re
import subprocess
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from score import HERE, encoder  # noqa: E402


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--planrecon", default=os.path.join(HERE, "..", "..", "target", "release", "planrecon"))
    ap.add_argument("--repos", default="/work/repos")
    ap.add_argument("--extra", action="append", default=[])
    ap.add_argument("checkouts", nargs="*")
    a = ap.parse_args()
    enc = encoder()
    cos = a.checkouts
    if not cos:
        seen = set()
        for d in json.load(open(os.path.join(HERE, "docs.json"))):
            cos.append(d["checkout"]) if d["repo"] not in seen else None
            seen.add(d["repo"])
    print("| tree | files | lines | recon tokens | recon KB | report tokens | report KB |")
    print("|---|---:|---:|---:|---:|---:|---:|")
    for co in cos:
        root = os.path.join(a.repos, co)
        row = [co]
        for section in ["recon", "all"]:
            args = [a.planrecon, root, "--no-cache"] + (["--section", section] if section != "all" else []) + a.extra
            out = subprocess.run(args, capture_output=True, text=True)
            if out.returncode != 0:
                raise SystemExit("planrecon failed on %s: %s" % (root, out.stderr.strip()[:300]))
            text = out.stdout
            if section == "recon":
                m = re.search(r"(\d+) files, (\d+) lines read", text)
                row += [m.group(1) if m else "?", m.group(2) if m else "?"]
            row += [str(len(enc.encode(text, disallowed_special=()))), "%.0f" % (len(text.encode()) / 1024)]
        print("| " + " | ".join(row) + " |")


if __name__ == "__main__":
    sys.exit(main())
