#!/usr/bin/env python3
"""Round trip: planrecon's own output, checked at the commit it names.

usage: roundtrip.py PLANRECON REPO:SYMBOL... [--keep DIR]

For each repository (a clean git checkout) writes, outside it, the Markdown
report, the `--budget 8000` map and `refs SYMBOL` text, then runs
`check FILE --repo REPO --format json` on each (no --since: the output is true of
HEAD) and `check --fix` on a copy. Every citation must be `ok` and --fix must
change 0 bytes. Prints per output: citations, ok, the other statuses, bytes
--fix changed.
"""
import json
import os
import subprocess
import sys
import tempfile
from collections import Counter


def run(cmd, **kw):
    return subprocess.run(cmd, capture_output=True, text=True, **kw)


def main():
    args = sys.argv[1:]
    if len(args) < 2:
        sys.exit(__doc__)
    binary, targets = args[0], [a for a in args[1:] if ":" in a]
    bad = 0
    for target in targets:
        repo, symbol = target.rsplit(":", 1)
        name = os.path.basename(repo.rstrip("/"))
        commit = run(["git", "-C", repo, "rev-parse", "--short", "HEAD"]).stdout.strip()
        with tempfile.TemporaryDirectory() as tmp:
            outputs = {
                "report": [binary, repo, "--no-cache"],
                "map": [binary, repo, "--budget", "8000", "--no-cache"],
                "refs": [binary, "refs", symbol, "--repo", repo],
            }
            for kind, cmd in outputs.items():
                out = run(cmd)
                if out.returncode != 0:
                    print(f"{name}@{commit} {kind}: `{' '.join(cmd)}` exit {out.returncode}: {out.stderr.strip()[:200]}")
                    bad += 1
                    continue
                path = os.path.join(tmp, f"{name}-{kind}.md")
                open(path, "w").write(out.stdout)
                chk = run([binary, "check", path, "--repo", repo, "--format", "json"])
                if chk.returncode not in (0, 1):
                    print(f"{name}@{commit} {kind}: check exit {chk.returncode}: {chk.stderr.strip()[:200]}")
                    bad += 1
                    continue
                findings = [f for p in json.loads(chk.stdout)["plans"] for f in p["findings"]]
                statuses = Counter(f["status"] for f in findings)
                copy = path + ".fix.md"
                open(copy, "w").write(out.stdout)
                run([binary, "check", copy, "--repo", repo, "--fix"])
                after = open(copy).read()
                changed = sum(a != b for a, b in zip(after, out.stdout)) + abs(len(after) - len(out.stdout))
                changed_lines = sum(a != b for a, b in zip(after.split("\n"), out.stdout.split("\n")))
                others = ", ".join(f"{k} {v}" for k, v in sorted(statuses.items()) if k != "ok")
                print(f"{name}@{commit} {kind}: {len(findings)} citations, {statuses['ok']} ok"
                      f"{'; ' + others if others else ''}; --fix changed {changed_lines} lines")
                if statuses["ok"] != len(findings) or changed:
                    bad += 1
                    for f in [f for f in findings if f["status"] != "ok"][:3]:
                        print(f"    line {f['line']}: {f['status']} {f['citation']} ({f.get('symbol')}): {f.get('detail', '')[:120]}")
    sys.exit(1 if bad else 0)


if __name__ == "__main__":
    main()
