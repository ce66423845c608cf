#!/usr/bin/env python3
"""Does the budgeted map hold what plans actually cite?

usage: scripts/eval-map.py REPO [--docs GLOB ...] [--budget N ...] [--max-docs N]
                           [--planrecon PATH]

For every Markdown document under REPO matching --docs (default: docs/**/*.md,
specs/**/*.md, design/**/*.md), the symbols it cites are the backticked names
(`Name`, `Type.Method`, `pkg.Name`) that name a declaration of the repository's
inventory. For each budget the script measures the fraction of those cited
symbols that appear in the map's selection (`--format json --budget N`):

  ranked        PageRank map, no focus (one map for all documents)
  ranked+focus  PageRank map with --focus on the packages the document cites
                (by `path:line` citations or cited symbols)
  baseline      the first declarations in path order (hidden --path-order)

and prints a table (micro-averaged over all cited symbols). The ranked map must
beat the baseline clearly. Needs Python 3 only; planrecon does the counting.
"""

import argparse
import glob
import json
import os
import re
import subprocess
import sys

CITE = re.compile(r"([A-Za-z0-9_./-]+\.(?:go|rs)):\d+")
TICK = re.compile(r"`([^`\n]{1,80})`")
IDENT = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*(?:(?:\.|::)[A-Za-z_][A-Za-z0-9_]*)*$")


def run_json(planrecon, repo, args):
    out = subprocess.run([planrecon, repo, "--format", "json"] + args,
                         capture_output=True, text=True)
    if out.returncode != 0:
        raise RuntimeError(out.stderr.strip())
    return json.loads(out.stdout)


def key(item):
    return (item["parent"] + "." + item["name"]) if item.get("parent") else item["name"]


def cited_symbols(text, names, qualified):
    found = set()
    for m in TICK.finditer(text):
        tok = m.group(1).strip()
        tok = re.sub(r"\(.*$", "", tok)  # `Run()` -> Run
        if not IDENT.match(tok):
            continue
        parts = re.split(r"\.|::", tok)
        if len(parts) >= 2 and ".".join(parts[-2:]) in qualified:
            found.add(".".join(parts[-2:]))
        elif parts[-1] in names:
            found.add(parts[-1])
    return found


def present(symbols, selection):
    keys = set()
    for it in selection["items"]:
        keys.add(it["name"])
        keys.add(key(it))
    return {s for s in symbols if s in keys}


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("repo")
    ap.add_argument("--docs", action="append", default=[])
    ap.add_argument("--budget", action="append", type=int, default=[])
    ap.add_argument("--max-docs", type=int, default=40)
    ap.add_argument("--planrecon", default=os.path.join(os.path.dirname(__file__), "..", "target", "release", "planrecon"))
    a = ap.parse_args()
    budgets = a.budget or [2000, 8000]
    globs = a.docs or ["docs/**/*.md", "specs/**/*.md", "design/**/*.md"]

    inv = run_json(a.planrecon, a.repo, [])
    names = {i["name"] for i in inv["items"]}
    qualified = {key(i) for i in inv["items"] if i.get("parent")}
    pkg_of_file = {}
    for p in inv["packages"]:
        for f in p["files"]:
            pkg_of_file[f] = p["path"]
    pkg_of_name = {}
    for i in inv["items"]:
        pkg_of_name.setdefault(i["name"], set()).add(i["package"])

    docs = sorted({d for g in globs for d in glob.glob(os.path.join(a.repo, g), recursive=True)})
    rows = []
    for d in docs:
        text = open(d, encoding="utf-8", errors="replace").read()
        syms = cited_symbols(text, names, qualified)
        if not syms:
            continue
        pkgs = {pkg_of_file[f] for f in CITE.findall(text) if f in pkg_of_file}
        if not pkgs:
            for s in syms:
                pkgs |= pkg_of_name.get(s.split(".")[-1], set())
        rows.append((os.path.relpath(d, a.repo), syms, sorted(pkgs)))
    rows = rows[: a.max_docs]
    if not rows:
        print("no document cites a declaration of this repository", file=sys.stderr)
        return 1

    total = sum(len(s) for _, s, _ in rows)
    print(f"{len(rows)} documents citing {total} symbols ({len(inv['items'])} declarations in the inventory)")
    print()
    print("| budget | ranked | ranked+focus | baseline (path order) |")
    print("|---:|---:|---:|---:|")
    for b in budgets:
        ranked = run_json(a.planrecon, a.repo, ["--budget", str(b)])
        base = run_json(a.planrecon, a.repo, ["--budget", str(b), "--path-order"])
        hit_r = hit_b = hit_f = 0
        for _, syms, pkgs in rows:
            hit_r += len(present(syms, ranked))
            hit_b += len(present(syms, base))
            args = ["--budget", str(b)]
            for p in pkgs[:8]:
                args += ["--focus", p]
            try:
                focused = run_json(a.planrecon, a.repo, args) if pkgs else ranked
            except RuntimeError:
                focused = ranked
            hit_f += len(present(syms, focused))
        print(f"| {b} | {hit_r / total:.1%} | {hit_f / total:.1%} | {hit_b / total:.1%} |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
