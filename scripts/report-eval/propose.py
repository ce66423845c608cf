#!/usr/bin/env python3
"""Propose candidate fact records for one evaluation document (a first draft
that a person then checks and corrects by hand; see README.md).

usage: scripts/report-eval/propose.py ID [--repos /work/repos] [--oracle DIR]

Reads the document section named in docs.json from the repository's mirror
(git show DOC_COMMIT:DOC_PATH), and the declarations of the tree it described
from a compiler-grade lister (go/ast or syn, /work/shared/oracles, JSON Lines
in --oracle DIR/CHECKOUT.jsonl, made with `run-oracle.sh CHECKOUT OUT --tests`).
Prints one JSON record per candidate:

  {"kind", "name", "file", "line", "parent", "doc_line", "note"}

Candidates: backticked identifiers that name a declaration (the one in a file
the same document line cites wins; else the non-test one; several left is
noted "ambiguous"), backticked paths that exist in the tree (package or file),
`--flags` whose string literal occurs in a non-test source file, and
`path:line` citations whose line holds a backticked name of the same line.
Nothing it prints is a fact until a person has checked it against the tree.
"""

import argparse
import json
import os
import re
import subprocess
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
TICK = re.compile(r"`([^`\n]{1,120})`|\*\*([A-Za-z_][\w.:]*)\*\*")
CITE = re.compile(r"([A-Za-z0-9_./-]+\.(?:go|rs|ya?ml|json|toml)):(\d+)(?:-(\d+))?")
PATHLIKE = re.compile(r"^[A-Za-z0-9_.-]+(?:/[A-Za-z0-9_.-]*)*$")
FLAG = re.compile(r"(?<![\w-])--([a-z][a-z0-9-]+)")


def section(text, heading):
    if not heading:
        return text
    lines = text.splitlines()
    out, on, level = [], False, 0
    for l in lines:
        if l.strip() == heading.strip():
            on, level = True, len(heading) - len(heading.lstrip("#"))
            out.append(l)
            continue
        if on and l.startswith("#"):
            lv = len(l) - len(l.lstrip("#"))
            if lv <= level:
                break
        if on:
            out.append(l)
    return "\n".join(out)


def load_doc(d):
    mirror = "/work/.mirror/" + d["repo"].replace("/", "+") + "/repo"
    text = subprocess.run(["git", "--git-dir=" + mirror, "show", d["doc_commit"] + ":" + d["doc_path"]],
                          capture_output=True, text=True, check=True).stdout
    return section(text, d.get("section"))


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("id")
    ap.add_argument("--repos", default="/work/repos")
    ap.add_argument("--oracle", default="/tmp/ev/oracle")
    a = ap.parse_args()
    docs = {d["id"]: d for d in json.load(open(os.path.join(HERE, "docs.json")))}
    d = docs[a.id]
    root = os.path.join(a.repos, d["checkout"])
    decls = [json.loads(l) for l in open(os.path.join(a.oracle, d["checkout"] + ".jsonl"))]
    by_name = {}
    for r in decls:
        by_name.setdefault(r["name"], []).append(r)
    files = set(subprocess.run(["git", "-C", root, "ls-files"], capture_output=True, text=True).stdout.split())
    dirs = {os.path.dirname(f) for f in files}
    dirs |= {p for f in files for p in [f.rsplit("/", k)[0] for k in range(1, f.count("/") + 1)]}
    text = load_doc(d)
    seen = set()

    line_seen = set()

    def emit(rec):
        key = (rec["kind"], rec["name"], rec.get("file"), rec.get("line"))
        line_seen.add(key)
        if key in seen:
            return
        seen.add(key)
        print(json.dumps(rec))

    for n, line in enumerate(text.splitlines(), 1):
        line_seen.clear()
        cited = {m.group(1) for m in CITE.finditer(line)}
        for m in TICK.finditer(line):
            tok = (m.group(1) or m.group(2)).strip()
            if tok.startswith("--"):
                continue
            bare = re.sub(r"\(.*$", "", tok).strip().lstrip("*&")
            bare = re.sub(r"[!]$", "", bare)
            path = tok.rstrip("/").lstrip("./")
            if PATHLIKE.match(path) and (path in files or path in dirs) and ("/" in path or "." in path or path in dirs):
                kind = "file" if path in files else "package"
                emit({"kind": kind, "name": path, "file": path, "line": None, "doc_line": n})
                continue
            if re.search(r"\.(go|rs|ya?ml|json|toml)$", path):
                hits = sorted(f for f in files if f.endswith("/" + path) or f == path)
                if hits:
                    emit({"kind": "file", "name": path, "file": hits[0], "line": None, "doc_line": n,
                          "note": "ambiguous" if len(hits) > 1 else ""})
                continue
            parts = re.split(r"\.|::", bare)
            parts = [p for p in parts if p]
            if not parts or not re.match(r"^[A-Za-z_]\w*$", parts[-1]):
                continue
            name = parts[-1]
            parent = parts[-2] if len(parts) >= 2 else None
            cands = by_name.get(name, [])
            if parent:
                narrowed = [c for c in cands if c.get("parent") == parent]
                cands = narrowed or cands
            if cited:
                near = [c for c in cands if any(c["file"].endswith(f) for f in cited)]
                cands = near or cands
            if len(cands) > 1:
                prod = [c for c in cands if not re.search(r"(_test\.go|/tests?/)", c["file"])]
                cands = prod or cands
            if not cands:
                continue
            c = cands[0]
            kind = {"struct": "type", "interface": "type", "trait": "type", "enum": "type", "union": "type",
                    "type": "type", "interface_method": "method", "fn": "func"}.get(c["kind"], c["kind"])
            emit({"kind": kind, "name": name, "parent": c.get("parent"), "file": c["file"], "line": c["line"],
                  "doc_line": n, "note": "ambiguous %d" % len(cands) if len(cands) > 1 else ""})
        for m in FLAG.finditer(line):
            flag = m.group(1)
            out = subprocess.run(["git", "-C", root, "grep", "-n", "-F", '"%s"' % flag, "--", "*.go", "*.rs",
                                  ":!*_test.go", ":!**/tests/**"], capture_output=True, text=True).stdout
            hits = [h.split(":", 2) for h in out.splitlines()]
            # A registration call before a read (`Changed("x")`, `GetString("x")`).
            reg = re.compile(r"\.(?:String|Int|Uint|Float|Bool|Duration|Var|StringSlice|StringArray|Count)\w*\(|Arg::new|long\(|#\[arg|\bflag\.")
            hits.sort(key=lambda h: 0 if reg.search(h[2]) else 1)
            if hits:
                emit({"kind": "flag", "name": "--" + flag, "file": hits[0][0], "line": int(hits[0][1]),
                      "doc_line": n, "note": "%d literal sites" % len(hits) if len(hits) > 1 else ""})
        named_files = {r[2] for r in line_seen if r[3] is not None}
        for m in CITE.finditer(line):
            if any(f == m.group(1) or f.endswith("/" + m.group(1)) for f in named_files):
                continue
            emit({"kind": "cite", "name": "", "file": m.group(1), "line": int(m.group(2)), "doc_line": n,
                  "note": line.strip()[:140]})


if __name__ == "__main__":
    sys.exit(main())
