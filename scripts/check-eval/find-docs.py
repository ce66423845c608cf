#!/usr/bin/env python3
"""List the Markdown documents in a repository's history that cite source lines.

usage: find-docs.py GIT_DIR [--min N]

For every Markdown file git log knows, takes the commit that last touched it
(or every commit with --all-versions) and counts the strings `path.go:N` /
`path.rs:N` / `lines N-M` whose file name exists in the tree at that commit.
Prints `count<TAB>commit<TAB>date<TAB>path`, most citations first. This is how
candidate documents were found; the citations themselves are verified by hand.
"""
import re
import subprocess
import sys

CITE = re.compile(r"([A-Za-z0-9_./-]+\.(?:go|rs)):(\d+)")
PROSE = re.compile(r"\b[Ll]ines? ~?\d+")


def git(gd, *args):
    return subprocess.run(["git", "--git-dir", gd, *args], capture_output=True,
                          text=True, errors="replace").stdout


def main():
    gd = sys.argv[1]
    minimum = int(sys.argv[sys.argv.index("--min") + 1]) if "--min" in sys.argv else 5
    docs = sorted(set(l for l in git(gd, "log", "--format=", "--name-only", "--", "*.md").splitlines() if l))
    rows = []
    for doc in docs:
        log = git(gd, "log", "-1", "--format=%H %as", "--diff-filter=AM", "--", doc).split()
        if not log:
            continue
        commit, date = log
        text = git(gd, "show", f"{commit}:{doc}")
        names = set(p.rsplit("/", 1)[-1] for p in git(gd, "ls-tree", "-r", "--name-only", commit).splitlines())
        n = sum(1 for m in CITE.finditer(text) if m.group(1).rsplit("/", 1)[-1] in names)
        n += len(PROSE.findall(text))
        if n >= minimum:
            rows.append((n, commit[:12], date, doc))
    for r in sorted(rows, key=lambda r: (-r[0], r[3])):
        print(*r, sep="\t")


if __name__ == "__main__":
    main()
