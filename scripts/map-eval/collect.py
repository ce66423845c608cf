#!/usr/bin/env python3
"""Pick the plans of a public repository that the map evaluation reads.

usage: scripts/map-eval/collect.py NAME GIT_DIR --docs GLOB [--docs GLOB ...]
                                   [--count N] [--exclude REGEX]

Lists every Markdown document matching a --docs glob (git pathspec glob, e.g.
'docs/plans/*.md') in the order its first version was committed, and keeps
--count of them spread evenly over that history (the first, the last, and
evenly spaced ones between: no hand picking). Each kept plan is paired with
the commit that added it: the tree its author saw.

Writes scripts/map-eval/sets/NAME.tsv (commit, doc path; one plan a line) and
prints it. The plans themselves are read from GIT_DIR at evaluation time and
never copied here.
"""

import argparse
import os
import re
import subprocess
import sys

HERE = os.path.dirname(os.path.abspath(__file__))


def added_docs(git_dir, globs, exclude):
    """(commit, path) of each matching document's first version, oldest first."""
    out = subprocess.run(
        ["git", "--git-dir", git_dir, "log", "--reverse", "--diff-filter=A",
         "--format=C %H", "--name-only", "--"] + [f":(glob){g}" for g in globs],
        capture_output=True, text=True, check=True).stdout
    seen, rows, commit = set(), [], None
    for line in out.splitlines():
        if line.startswith("C "):
            commit = line[2:].strip()
        elif line.strip() and line not in seen:
            if exclude and re.search(exclude, line):
                continue
            seen.add(line)
            rows.append((commit, line))
    return rows


def spread(rows, n):
    if n >= len(rows):
        return rows
    if n == 1:
        return [rows[-1]]
    return [rows[round(i * (len(rows) - 1) / (n - 1))] for i in range(n)]


def main():
    ap = argparse.ArgumentParser(description=__doc__,
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("name")
    ap.add_argument("git_dir")
    ap.add_argument("--docs", action="append", required=True)
    ap.add_argument("--count", type=int, default=16)
    ap.add_argument("--exclude", default=None)
    a = ap.parse_args()
    rows = spread(added_docs(a.git_dir, a.docs, a.exclude), a.count)
    if not rows:
        print("no document matches", file=sys.stderr)
        return 1
    path = os.path.join(HERE, "sets", a.name + ".tsv")
    with open(path, "w", encoding="utf-8") as f:
        f.write(f"# made by: scripts/map-eval/collect.py {a.name} GIT_DIR "
                + " ".join(f"--docs '{g}'" for g in a.docs)
                + f" --count {a.count}"
                + (f" --exclude '{a.exclude}'" if a.exclude else "") + "\n")
        for commit, doc in rows:
            f.write(f"{commit}\t{doc}\n")
    print(open(path, encoding="utf-8").read(), end="")
    return 0


if __name__ == "__main__":
    sys.exit(main())
