#!/usr/bin/env python3
"""Help verify one citation by hand: what the cited lines held at the plan's
commit, and where git's diff carries them at the later commit.

usage: inspect.py GIT_DIR OLD NEW PATH START [END]

Prints the cited lines at OLD (two lines of context above), whether PATH exists
at NEW (else files at NEW with the same base name), where each cited line goes
through the OLD..NEW diff of that file (difflib over the two versions: `=N`
unchanged at N, `~` edited or deleted), and the lines at NEW holding the same
text. The verdict is the reader's; this only shows the evidence.
"""
import difflib
import subprocess
import sys


def show(gd, rev, path):
    r = subprocess.run(["git", "--git-dir", gd, "show", f"{rev}:{path}"], capture_output=True)
    return None if r.returncode else r.stdout.decode("utf-8", "replace").split("\n")


def line_map(old, new):
    """old 1-based line -> new 1-based line for lines the diff keeps."""
    m = {}
    sm = difflib.SequenceMatcher(None, old, new, autojunk=False)
    for tag, i1, i2, j1, j2 in sm.get_opcodes():
        if tag == "equal":
            for k in range(i2 - i1):
                m[i1 + k + 1] = j1 + k + 1
    return m


def main():
    args = [a for a in sys.argv[1:] if a != "--brief"]
    brief = "--brief" in sys.argv
    gd, old_rev, new_rev, path, start = args[:5]
    start = int(start)
    end = int(args[5]) if len(args) > 5 else start
    old = show(gd, old_rev, path)
    if old is None:
        print(f"!! {path} absent at {old_rev}")
        return
    print(f"-- {path}:{start}-{end} at {old_rev[:10]} ({len(old)} lines)")
    shown = [start, start + 1, end] if brief else range(max(1, start - 2), min(len(old), end) + 1)
    for n in sorted(set(k for k in shown if 0 < k <= min(len(old), end))):
        print(f"{'>' if n >= start else ' '}{n:5} {old[n - 1][:110]}")
    new = show(gd, new_rev, path)
    if new is None:
        base = path.rsplit("/", 1)[-1]
        files = subprocess.run(["git", "--git-dir", gd, "ls-tree", "-r", "--name-only", new_rev],
                               capture_output=True, text=True).stdout.split()
        print(f"!! absent at {new_rev[:10]}; same base name: {[f for f in files if f.endswith('/' + base) or f == base]}")
        return
    m = line_map(old, new)
    marks = " ".join(f"{n}={m[n]}" if n in m else f"{n}~" for n in range(start, end + 1))
    if brief:
        kept = [n for n in range(start, end + 1) if n in m]
        marks = f"{len(kept)}/{end - start + 1} kept; " + " ".join(
            f"{n}={m[n]}" if n in m else f"{n}~" for n in sorted({start, start + 1, end}) if n <= end)
    print(f"-- through the diff: {marks}")
    text = old[start - 1].strip()
    same = [i + 1 for i, l in enumerate(new) if l.strip() == text and text]
    print(f"-- start text at {new_rev[:10]}: {same[:8]}{' ...' if len(same) > 8 else ''}")
    if start in m and m[start] != start:
        j = m[start]
        shown = [j, j + 1] if brief else range(max(1, j - 1), min(len(new), j + (end - start)) + 1)
        for n in shown:
            if n <= len(new):
                print(f" {n:5} {new[n - 1][:110]}")


if __name__ == "__main__":
    main()
