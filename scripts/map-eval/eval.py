#!/usr/bin/env python3
"""How many of the symbols real plans cite does a map of N tokens hold, with
their line? planrecon `--budget N` against aider's repository map.

usage: scripts/map-eval/eval.py SET [SET ...] [--planrecon PATH] [--budget N ...]
                                [--no-aider] [--json OUT] [--per-plan]

SET is NAME=GIT_DIR: scripts/map-eval/sets/NAME.tsv lists the plans (commit,
path; made by collect.py) and GIT_DIR is the fetched repository they come
from. For every plan:

- the tree is the plan's commit (the tree its author saw), extracted with
  `git archive` under /work/repos/map-eval/NAME-COMMIT (reused when present);
- its cited symbols are the backticked names (`Name`, `Type.Method`,
  `pkg.Name`, `Type::name`, `Name()`) that name a declaration of planrecon's
  inventory of that tree (tests excluded; a name with several declarations
  counts once, held when any of them is held); its cited files are the
  repository files it names (`path/file.go`, `path/file.rs:12`);
- planrecon is run with `--budget N`, and with one `--focus` per cited file
  in one call; a symbol is held when the Markdown carries its citation
  `path:line` with the name on that line or the next three (ranked entries and
  frozen blocks alike); a run that exits non-zero holds nothing;
- aider's map (aider_map.py) is built from the same source files at the same
  real o200k size, without focus and with the cited files as
  `mentioned_fnames`; a symbol is held when its declaration line is printed
  under its file (aider prints no line numbers: holding the line's text is
  counted as holding the line).

Prints one table per repository and one over all, and the planrecon/aider
ratios. Needs aider-chat==0.86.2 (pip); runs offline.
"""

import argparse
import json
import os
import re
import subprocess
import sys
import tarfile
import io

HERE = os.path.dirname(os.path.abspath(__file__))
REPOS = "/work/repos/map-eval"
TICK = re.compile(r"`([^`\n]{1,120})`")
IDENT = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*(?:(?:\.|::)[A-Za-z_][A-Za-z0-9_]*)*$")
PATH = re.compile(r"(?<![A-Za-z0-9_./-])([A-Za-z0-9_.-]+(?:/[A-Za-z0-9_.-]+)*\.(?:go|rs))\b")


def read_set(name):
    rows = []
    with open(os.path.join(HERE, "sets", name + ".tsv"), encoding="utf-8") as f:
        for line in f:
            if line.startswith("#") or not line.strip():
                continue
            commit, doc = line.rstrip("\n").split("\t")
            rows.append((commit, doc))
    return rows


def checkout(name, git_dir, commit):
    root = os.path.join(REPOS, f"{name}-{commit[:12]}")
    if not os.path.isdir(root):
        tmp = root + ".tmp"
        os.makedirs(tmp, exist_ok=True)
        data = subprocess.run(["git", "--git-dir", git_dir, "archive", commit],
                              capture_output=True, check=True).stdout
        with tarfile.open(fileobj=io.BytesIO(data)) as t:
            t.extractall(tmp, filter="data")
        os.rename(tmp, root)
    return root


def planrecon(binary, root, args):
    out = subprocess.run([binary, root] + args, capture_output=True, text=True)
    return out.returncode, out.stdout, out.stderr.strip()


def targets(text, inv):
    """Cited symbols: label -> declarations [(file, line, name)]."""
    by_name, by_qual = {}, {}
    for it in inv["items"]:
        d = (it["file"], it["line"], it["name"])
        if it.get("parent"):
            by_qual.setdefault(it["parent"] + "." + it["name"], []).append(d)
        else:
            by_name.setdefault(it["name"], []).append(d)
    pkg_names = {p["name"] for p in inv["packages"]} | {
        p["path"].rsplit("/", 1)[-1].rsplit("::", 1)[-1] for p in inv["packages"]}
    found = {}
    for m in TICK.finditer(text):
        tok = re.sub(r"\(.*$", "", m.group(1).strip())
        tok = re.sub(r"^(?:func|fn|type|struct|trait|enum|interface|impl|const|var|static|mod|pub)\s+", "", tok)
        tok = tok.lstrip("*&")
        if not IDENT.match(tok):
            continue
        parts = re.split(r"\.|::", tok)
        if len(parts) >= 2:
            q = ".".join(parts[-2:])
            if q in by_qual:
                found[q] = by_qual[q]
            elif parts[-2] in pkg_names and parts[-1] in by_name:
                found[parts[-1]] = by_name[parts[-1]]
        elif tok in by_name:
            found[tok] = by_name[tok]
    return found


def cited_files(text, files):
    out = set()
    for p in PATH.findall(text):
        p = p.lstrip("./")
        if p in files:
            out.add(p)
            continue
        if "/" in p:
            hits = [f for f in files if f.endswith("/" + p)]
            if len(hits) == 1:
                out.add(hits[0])
    return sorted(out)


def held_planrecon(md, decls):
    lines = md.splitlines()
    for file, line, name in decls:
        pat = re.compile(re.escape(f"{file}:{line}") + r"(?![0-9])")
        for i, l in enumerate(lines):
            if pat.search(l) and any(name in x for x in lines[i:i + 4]):
                return True
    return False


def aider_sections(text):
    sec, cur = {}, None
    for l in text.splitlines():
        if l and not l.startswith(("│", "⋮", " ", "\t")) and l.endswith(":"):
            cur = l[:-1]
            sec[cur] = set()
        elif cur is not None:
            s = l.lstrip("│").strip()
            if s and s != "⋮":
                sec[cur].add(s)
    return sec


def held_aider(sections, root, decls, cache):
    for file, line, name in decls:
        if file not in sections:
            continue
        if file not in cache:
            with open(os.path.join(root, file), encoding="utf-8", errors="replace") as f:
                cache[file] = f.read().splitlines()
        src = cache[file]
        if line - 1 < len(src):
            want = src[line - 1][:100].strip()
            if want and want in sections[file]:
                return True
    return False


def main():
    ap = argparse.ArgumentParser(description=__doc__,
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("sets", nargs="+", help="NAME=GIT_DIR")
    ap.add_argument("--planrecon", default=os.path.join(HERE, "..", "..", "target", "release", "planrecon"))
    ap.add_argument("--budget", action="append", type=int, default=[])
    ap.add_argument("--no-aider", action="store_true")
    ap.add_argument("--json", default=None, help="write every measurement here")
    ap.add_argument("--per-plan", action="store_true")
    ap.add_argument("--aider-from", default=None,
                    help="reuse aider's figures from an earlier --json (same sets, same inventory)")
    a = ap.parse_args()
    reuse = {}
    if a.aider_from:
        with open(a.aider_from, encoding="utf-8") as f:
            for r in json.load(f):
                reuse[(r["repo"], r["commit"], r["doc"])] = r["held"]
    budgets = a.budget or [1000, 4000, 8000]
    modes = ["planrecon", "aider", "planrecon+focus", "aider+focus"]
    if a.no_aider:
        modes = ["planrecon", "planrecon+focus"]
    else:
        from aider_map import AiderMap

    results = []
    for spec in a.sets:
        name, git_dir = spec.split("=", 1)
        trees = {}
        for commit, doc in read_set(name):
            root = checkout(name, git_dir, commit)
            if root not in trees:
                rc, out, err = planrecon(a.planrecon, root, ["--format", "json"])
                if rc != 0:
                    print(f"{name}@{commit[:12]}: planrecon failed: {err}", file=sys.stderr)
                    continue
                inv = json.loads(out)
                files = sorted({f for p in inv["packages"] for f in p["files"]})
                trees[root] = {"inv": inv, "files": files, "aider": None, "src": {}}
            t = trees[root]
            text = subprocess.run(["git", "--git-dir", git_dir, "show", f"{commit}:{doc}"],
                                  capture_output=True, text=True, check=True).stdout
            syms = targets(text, t["inv"])
            if not syms:
                continue
            focus = cited_files(text, set(t["files"]))
            row = {"repo": name, "commit": commit, "doc": doc, "symbols": len(syms),
                   "focus_files": focus, "held": {}, "exit2": {}}
            for b in budgets:
                for mode in modes:
                    fargs = [x for f in focus for x in ("--focus", f)] if mode.endswith("+focus") else []
                    if mode.startswith("planrecon"):
                        rc, md, err = planrecon(a.planrecon, root, ["--budget", str(b)] + fargs)
                        held = 0 if rc != 0 else sum(held_planrecon(md, d) for d in syms.values())
                        row["exit2"][f"{mode}@{b}"] = rc != 0
                    elif (name, commit, doc) in reuse:
                        held = reuse[(name, commit, doc)][f"{mode}@{b}"]
                    else:
                        if t["aider"] is None:
                            t["aider"] = AiderMap(root, t["files"])
                        mentioned = focus if mode.endswith("+focus") else ()
                        sec = aider_sections(t["aider"].render(b, mentioned))
                        held = sum(held_aider(sec, root, d, t["src"]) for d in syms.values())
                    row["held"][f"{mode}@{b}"] = held
            results.append(row)
            if a.per_plan:
                print(name, commit[:12], doc, len(syms), len(focus),
                      {k: v for k, v in row["held"].items()}, file=sys.stderr)

    def table(rows, title):
        total = sum(r["symbols"] for r in rows)
        print(f"\n### {title}: {len(rows)} plans, {total} cited symbols\n")
        print("| tokens | " + " | ".join(modes) + (" | ratio | ratio, focus |" if not a.no_aider else " |"))
        print("|---:|" + "---:|" * len(modes) + ("---:|---:|" if not a.no_aider else ""))
        for b in budgets:
            cells = []
            h = {}
            for mode in modes:
                h[mode] = sum(r["held"][f"{mode}@{b}"] for r in rows)
                fails = sum(r["exit2"].get(f"{mode}@{b}", False) for r in rows)
                cells.append(f"{h[mode]}" + (f" ({fails} exit 2)" if fails else ""))
            line = f"| {b} | " + " | ".join(cells) + " |"
            if not a.no_aider:
                ratio = lambda x, y: f"{x / y:.2f}×" if y else "–"
                line += f" {ratio(h['planrecon'], h['aider'])} | {ratio(h['planrecon+focus'], h['aider+focus'])} |"
            print(line)

    for name in dict.fromkeys(r["repo"] for r in results):
        table([r for r in results if r["repo"] == name], name)
    if len({r["repo"] for r in results}) > 1:
        table(results, "all")
    if a.json:
        with open(a.json, "w", encoding="utf-8") as f:
            json.dump(results, f, indent=1)
    return 0


if __name__ == "__main__":
    sys.exit(main())
