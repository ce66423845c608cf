#!/usr/bin/env python3
"""Score `planrecon refs` against a compiler-grade reference lister, line by line.

    score.py sample --repo REPO --planrecon BIN -o SET.json [--n 120] [--seed 15]
    score.py run --set SET.json --oracle REFS.jsonl [--unresolved U.tsv] [--skip-files F.txt]
                 --planrecon BIN [--list N] [--json OUT] [--with-imports]

`sample` draws declarations from the JSON inventory (tests excluded: the targets are
non-test declarations) with a fixed seed, stratified by kind (types, functions, methods,
fields, variants / interface methods), and keeps only those whose full path names one
declaration. The set file is the evaluation set: baseline and new binaries are scored on the
same declarations.

`run` asks `planrecon refs --format json --include-tests` for every declaration of the set and
compares the (file, line) pairs of its hits with the oracle's uses of that declaration
(`go-refs -tests`, `ra-refs`; both read tests): precision and recall of `exact` hits, and
separately of `inferred` ones, per declaration kind, with the misses broken down by the
oracle's use kind. Neither counted as a miss nor as a false hit (the oracle cannot know them):
lines where the oracle left a name equal to the symbol's unresolved (`--unresolved`), files
the oracle never analyzed (`--skip-files`: one path per line), and Rust `macro_rules!`
bodies (ra-refs does not walk them). Use-tree names (`import` records) are left out unless
`--with-imports`: `refs` lists uses, not `use` lines. Python 3, stdlib only.
"""
import argparse
import collections
import json
import random
import re
import subprocess
import sys

KINDS = {
    "go": {
        "type": ("struct", "interface", "type"),
        "func": ("func",),
        "method": ("method",),
        "field": ("field",),
        "interface_method": ("interface_method",),
    },
    "rust": {
        "type": ("struct", "enum", "trait", "type", "union"),
        "func": ("fn",),
        "method": ("method",),
        "field": ("field",),
        "variant": ("variant",),
    },
}
LOC = re.compile(r"^(.+):(\d+):(\d+)$")
# Per-repository quota of each stratum (the rest is filled from the others).
QUOTA = {"type": 25, "func": 25, "method": 35, "field": 25, "interface_method": 10, "variant": 10}


def stratum(lang, kind):
    for s, ks in KINDS[lang].items():
        if kind in ks:
            return s
    return None


def inventory(planrecon, repo):
    out = subprocess.run([planrecon, repo, "--format", "json", "--no-cache"],
                         capture_output=True, text=True, check=True).stdout
    return json.loads(out)


def declarations(inv):
    """Every non-test declaration with the full-path symbol `refs` takes for it."""
    out = []
    for it in inv["items"]:
        if it.get("test"):
            continue
        lang = it["language"]
        sep = "." if lang == "go" else "::"
        path = [it["package"]] + list(it.get("namespace") or [])
        parent = it.get("parent")
        if parent:
            path.append(base_name(parent))
        owner = path + [it["name"]]
        out.append({"lang": lang, "kind": it["kind"], "name": it["name"], "parent": parent,
                    "trait_impl": it.get("trait_impl"), "file": it["file"], "line": it["line"],
                    "symbol": sep.join(owner), "path": owner})
        for m in it.get("members") or []:
            if m["kind"] not in ("field", "variant", "interface_method"):
                continue
            out.append({"lang": lang, "kind": m["kind"], "name": m["name"], "parent": it["name"],
                        "trait_impl": None, "file": it["file"], "line": m["line"],
                        "symbol": sep.join(owner + [m["name"]]), "path": owner + [m["name"]]})
    return out


def base_name(t):
    t = t.strip().lstrip("*&").strip()
    for p in ("mut ", "dyn "):
        if t.startswith(p):
            t = t[len(p):]
    for c in "<[(":
        t = t.split(c)[0]
    return t.split("::")[-1].split(".")[-1].strip()


def cmd_sample(a):
    inv = inventory(a.planrecon, a.repo)
    decls = declarations(inv)
    counts = collections.Counter(d["symbol"] for d in decls)
    # One declaration per symbol, and no `_` or tuple-field names.
    pool = [d for d in decls if counts[d["symbol"]] == 1 and d["name"] != "_"
            and not d["name"].isdigit()]
    langs = collections.Counter(d["lang"] for d in pool)
    lang = a.lang or langs.most_common(1)[0][0]
    pool = [d for d in pool if d["lang"] == lang and stratum(lang, d["kind"])]
    rng = random.Random(a.seed)
    by = collections.defaultdict(list)
    for d in sorted(pool, key=lambda d: (d["file"], d["line"], d["symbol"])):
        by[stratum(lang, d["kind"])].append(d)
    chosen = []
    scale = a.n / sum(QUOTA[s] for s in KINDS[lang])
    for s in KINDS[lang]:
        want = round(QUOTA[s] * scale)
        chosen += rng.sample(by[s], min(want, len(by[s])))
    rest = [d for d in pool if d not in chosen]
    if len(chosen) < a.n:
        chosen += rng.sample(rest, min(a.n - len(chosen), len(rest)))
    chosen.sort(key=lambda d: (d["file"], d["line"], d["symbol"]))
    commit = subprocess.run(["git", "-C", a.repo, "rev-parse", "HEAD"], capture_output=True,
                            text=True).stdout.strip() or None
    with open(a.output, "w") as f:
        json.dump({"repo": a.repo, "commit": commit, "lang": lang, "seed": a.seed,
                   "declarations": chosen}, f, indent=1)
        f.write("\n")
    print(f"{len(chosen)} {lang} declarations of {len(pool)} -> {a.output}: "
          + ", ".join(f"{s}={sum(1 for d in chosen if stratum(lang, d['kind']) == s)}"
                      for s in KINDS[lang]))


def run_refs(planrecon, repo, symbols):
    """symbol -> list of hits, or None when refs refused it (unknown / ambiguous)."""
    out = {}
    def call(batch):
        p = subprocess.run([planrecon, "refs", *batch, "--repo", repo, "--format", "json",
                            "--include-tests"], capture_output=True, text=True)
        if p.returncode != 0:
            return None
        return json.loads(p.stdout)
    for i in range(0, len(symbols), 40):
        batch = symbols[i:i + 40]
        j = call(batch)
        if j is None:
            for s in batch:
                j1 = call([s])
                out[s] = None if j1 is None else j1["hits"]
            continue
        display = {s["symbol"]: s["query"] for s in j["symbols"]}
        for s in batch:
            out[s] = []
        for h in j["hits"]:
            q = display.get(h["symbol"])
            if q is not None:
                out[q].append(h)
    return out


def load_oracle(path):
    recs = []
    with open(path) as f:
        for line in f:
            line = line.strip()
            if line:
                recs.append(json.loads(line))
    return recs


def load_unresolved(path):
    """(file, line) -> set of names the oracle could not resolve there."""
    out = collections.defaultdict(set)
    if not path:
        return out
    with open(path) as f:
        for line in f:
            parts = line.rstrip("\n").split("\t")
            loc = next((m for m in (LOC.match(p) for p in parts) if m), None)
            if loc is None:
                continue
            file, ln = loc.group(1), loc.group(2)
            text = parts[-1]
            for w in "".join(c if c.isalnum() or c == "_" else " " for c in text).split():
                out[(file, int(ln))].add(w)
    return out


MACRO_RULES = re.compile(r"\bmacro_rules!\s*[A-Za-z_][A-Za-z0-9_]*\s*([({\[])")


def macro_rules_ranges(text):
    """(first, last) lines of every `macro_rules!` definition in a Rust source text: the
    bracket after its name matched, skipping comments, strings and char literals."""
    out = []
    close = {"(": ")", "{": "}", "[": "]"}
    for m in MACRO_RULES.finditer(text):
        i, depth = m.start(1), 0
        while i < len(text):
            c = text[i]
            if text.startswith("//", i):
                i = text.find("\n", i)
                if i < 0:
                    break
                continue
            if text.startswith("/*", i):
                i = text.find("*/", i)
                if i < 0:
                    break
                i += 2
                continue
            if c == '"':
                i += 1
                while i < len(text) and text[i] != '"':
                    i += 2 if text[i] == "\\" else 1
            elif c == "'" and re.match(r"'(\\.|[^\\'])'", text[i:i + 4]):
                i = text.index("'", i + 1)
            elif c in close:
                depth += 1
            elif c in ")}]":
                depth -= 1
                if depth == 0:
                    break
            i += 1
        out.append((text.count("\n", 0, m.start()) + 1, text.count("\n", 0, i) + 1))
    return out


def macro_ranges(repo, files):
    """file -> `macro_rules!` line ranges, for the Rust files among `files`."""
    out = {}
    for f in files:
        if not f.endswith(".rs"):
            continue
        try:
            with open(f"{repo}/{f}", encoding="utf-8", errors="replace") as fh:
                out[f] = macro_rules_ranges(fh.read())
        except OSError:
            out[f] = []
    return out


def cmd_run(a):
    with open(a.set) as f:
        st = json.load(f)
    repo, lang, decls = st["repo"], st["lang"], st["declarations"]
    recs = load_oracle(a.oracle)
    unresolved = load_unresolved(a.unresolved)
    skip = set()
    if a.skip_files:
        with open(a.skip_files) as f:
            skip = {l.strip() for l in f if l.strip()}
    inv = inventory(a.planrecon, repo)
    # Trait methods stand for the methods of the trait's impls (as `refs` documents).
    traits = {(it["package"], it["name"]) for it in inv["items"] if it["kind"] == "trait"}
    impls = collections.defaultdict(list)
    for it in inv["items"]:
        if it["kind"] == "method" and it.get("trait_impl"):
            impls[(base_name(it["trait_impl"]), it["name"])].append((it["file"], it["line"]))
    by_target = collections.defaultdict(list)
    for r in recs:
        t = r["target"]
        by_target[(t["file"], t["line"], t["name"])].append(r)
    src_cache = {}

    def source(file, line):
        if file not in src_cache:
            try:
                with open(f"{repo}/{file}", encoding="utf-8", errors="replace") as f:
                    src_cache[file] = f.read().split("\n")
            except OSError:
                src_cache[file] = []
        lines = src_cache[file]
        return lines[line - 1].strip()[:140] if 0 < line <= len(lines) else ""

    def excluded(d, file, line):
        if file in skip:
            return True
        if d["name"] in unresolved.get((file, line), ()):
            return True
        return any(s <= line <= e for s, e in macros.get(file, ()))

    hits = run_refs(a.planrecon, repo, [d["symbol"] for d in decls])
    files = {r["file"] for r in recs} | {h["file"] for hs in hits.values() if hs for h in hs}
    macros = macro_ranges(repo, sorted(files)) if lang == "rust" else {}
    tot = collections.defaultdict(collections.Counter)
    miss_kinds = collections.Counter()
    listing = []
    per_decl = []
    for d in decls:
        s = stratum(lang, d["kind"])
        keys = [(d["file"], d["line"], d["name"])]
        if lang == "rust" and d["kind"] == "method" and d["parent"] and any(
                p for (p, n) in traits if n == d["parent"]):
            keys += [(f, l, d["name"]) for f, l in impls.get((d["parent"], d["name"]), ())]
        expected = {}
        for k in keys:
            for r in by_target.get(k, ()):
                if r["kind"] == "import" and not a.with_imports:
                    continue
                expected.setdefault((r["file"], r["line"]), r)
        got = hits.get(d["symbol"])
        c = tot[s]
        c["decls"] += 1
        if got is None:
            c["refused"] += 1
            got = []
        exact = {(h["file"], h["line"]) for h in got if not h["inferred"]}
        inferred = {(h["file"], h["line"]) for h in got if h["inferred"]} - exact
        exact = {k for k in exact if k in expected or not excluded(d, *k)}
        inferred = {k for k in inferred if k in expected or not excluded(d, *k)}
        exp = set(expected)
        c["oracle"] += len(exp)
        c["exact"] += len(exact)
        c["exact_tp"] += len(exact & exp)
        c["inferred"] += len(inferred)
        c["inferred_tp"] += len(inferred & exp)
        for k in sorted(exp - exact):
            r = expected[k]
            cat = r["kind"] + (" in_macro" if r.get("in_macro") else "")
            if k in inferred:
                cat += " (inferred)"
            miss_kinds[(s, cat)] += 1
            listing.append(("MISS", s, d["symbol"], k, cat))
        for k in sorted(exact - exp):
            listing.append(("FALSE", s, d["symbol"], k, "exact"))
        for k in sorted(inferred - exp):
            listing.append(("FALSE", s, d["symbol"], k, "inferred"))
        per_decl.append({"symbol": d["symbol"], "kind": d["kind"], "oracle": len(exp),
                         "exact": len(exact), "exact_tp": len(exact & exp),
                         "inferred": len(inferred), "inferred_tp": len(inferred & exp),
                         "refused": hits.get(d["symbol"]) is None})

    def ratio(n, d):
        return n / d if d else float("nan")
    all_c = collections.Counter()
    for c in tot.values():
        all_c.update(c)
    print(f"{repo} ({lang}, {len(decls)} declarations, oracle {a.oracle})")
    print(f"{'kind':<17}{'decls':>6}{'refused':>8}{'oracle':>8}{'exact':>7}{'tp':>6}"
          f"{'prec':>7}{'recall':>7}{'infer':>7}{'i.tp':>6}{'i.prec':>7}{'rec+i':>7}")
    for s, c in sorted(tot.items()) + [("all", all_c)]:
        print(f"{s:<17}{c['decls']:>6}{c['refused']:>8}{c['oracle']:>8}{c['exact']:>7}"
              f"{c['exact_tp']:>6}{ratio(c['exact_tp'], c['exact']):>7.3f}"
              f"{ratio(c['exact_tp'], c['oracle']):>7.3f}{c['inferred']:>7}{c['inferred_tp']:>6}"
              f"{ratio(c['inferred_tp'], c['inferred']):>7.3f}"
              f"{ratio(c['exact_tp'] + c['inferred_tp'], c['oracle']):>7.3f}")
    print("misses by declaration kind and oracle use kind:")
    for (s, cat), n in sorted(miss_kinds.items(), key=lambda x: (-x[1], x[0])):
        print(f"  {n:>5}  {s:<17} {cat}")
    if a.list:
        shown = collections.Counter()
        for tag, s, sym, (file, line), cat in listing:
            shown[tag] += 1
            if shown[tag] <= a.list:
                print(f"{tag:<5} {file}:{line}: [{s} {cat}] {sym}: {source(file, line)}")
    print(f"precision={ratio(all_c['exact_tp'], all_c['exact']):.4f} "
          f"recall={ratio(all_c['exact_tp'], all_c['oracle']):.4f} "
          f"inferred_precision={ratio(all_c['inferred_tp'], all_c['inferred']):.4f} "
          f"decls={all_c['decls']} oracle_uses={all_c['oracle']}")
    if a.json:
        with open(a.json, "w") as f:
            json.dump({"repo": repo, "lang": lang, "totals": {s: dict(c) for s, c in tot.items()},
                       "all": dict(all_c), "declarations": per_decl,
                       "listing": [list(x) for x in listing]}, f, indent=1)


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    sub = ap.add_subparsers(dest="cmd", required=True)
    s = sub.add_parser("sample")
    s.add_argument("--repo", required=True)
    s.add_argument("--planrecon", required=True)
    s.add_argument("--lang", choices=["go", "rust"])
    s.add_argument("--n", type=int, default=120)
    s.add_argument("--seed", type=int, default=15)
    s.add_argument("-o", "--output", required=True)
    r = sub.add_parser("run")
    r.add_argument("--set", required=True)
    r.add_argument("--oracle", required=True)
    r.add_argument("--unresolved")
    r.add_argument("--skip-files")
    r.add_argument("--planrecon", required=True)
    r.add_argument("--list", type=int, default=0)
    r.add_argument("--json")
    r.add_argument("--with-imports", action="store_true")
    a = ap.parse_args()
    {"sample": cmd_sample, "run": cmd_run}[a.cmd](a)


if __name__ == "__main__":
    sys.exit(main())
