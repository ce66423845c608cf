#!/usr/bin/env python3
"""Which commit did a document's author see? For each commit that touched DOC
(and each one's parent), count the `path:N` citations whose cited lines
(N..N+3) contain a backticked name from the same Markdown line.

usage: fit.py GIT_DIR DOC
"""
import re
import subprocess
import sys

CITE = re.compile(r"([A-Za-z0-9_./-]+\.(?:go|rs)):(\d+)")
TICK = re.compile(r"`([A-Za-z_][A-Za-z0-9_]*)")


def git(gd, *a):
    return subprocess.run(["git", "--git-dir", gd, *a], capture_output=True, text=True, errors="replace").stdout


def main():
    gd, doc = sys.argv[1:3]
    commits = git(gd, "log", "--format=%H %as", "--", doc).split("\n")
    files_cache = {}
    for entry in [c for c in commits if c][:6]:
        c, date = entry.split()
        text = git(gd, "show", f"{c}:{doc}")
        for rev in (c, c + "^"):
            tree = files_cache.setdefault(rev, git(gd, "ls-tree", "-r", "--name-only", rev).split("\n"))
            hit = total = 0
            for line in text.split("\n"):
                names = [n for n in TICK.findall(line)]
                for m in CITE.finditer(line):
                    p = m.group(1).lstrip("/")
                    cands = [f for f in tree if f == p or f.endswith("/" + p)]
                    if len(cands) != 1 or not names:
                        continue
                    src = git(gd, "show", f"{rev}:{cands[0]}").split("\n")
                    n = int(m.group(2))
                    total += 1
                    window = "\n".join(src[n - 1:n + 3])
                    if any(name in window for name in names):
                        hit += 1
            print(f"{rev[:12]:13} {date} doc@{c[:10]} {hit}/{total}")


if __name__ == "__main__":
    main()
