#!/usr/bin/env python3
"""How often planrecon's syntax-error line is the compiler's.

Takes real source files of a repository, breaks each once (deletes one
bracket, comma, semicolon, colon or `=` chosen by a seeded random generator),
and compares the first error line the compiler's parser reports (`gofmt -e`
for Go, `rustc --crate-type lib` for Rust) with the first syntax-error line
planrecon reports for the same file. Files the mutation leaves valid are
skipped. Nobody tuned the ground truth: it is the toolchains' own parsers.

    scripts/syntax-lines.py REPO --lang go|rust [--files 60] [--seed 19]
                            [--bin target/debug/planrecon] [--bin OTHER ...]

Prints, per binary: cases, exact line matches, within one line, mean |delta|.
Nothing is written inside REPO (each broken file is copied to a temp dir).
"""

import argparse
import json
import os
import random
import re
import subprocess
import sys
import tempfile

TARGETS = "(){}[],;:="


def files_of(repo, lang):
    ext = ".go" if lang == "go" else ".rs"
    out = []
    for root, dirs, names in os.walk(repo):
        dirs[:] = sorted(d for d in dirs if not d.startswith(".") and d not in ("vendor", "target", "testdata"))
        for n in sorted(names):
            if n.endswith(ext) and not n.endswith("_test.go"):
                out.append(os.path.join(root, n))
    return out


def compiler_line(lang, path, tmp):
    if lang == "go":
        r = subprocess.run(["gofmt", "-e", path], capture_output=True, text=True)
        m = re.search(r":(\d+):(\d+): ", r.stderr)
    else:
        r = subprocess.run(
            ["rustc", "--edition", "2021", "--crate-type", "lib", "--emit=metadata",
             "-o", os.path.join(tmp, "out.rmeta"), path],
            capture_output=True, text=True)
        first = r.stderr.split("\nerror")[0] if r.stderr.startswith("error") else ""
        m = re.search(r"--> [^\n]*:(\d+):(\d+)", first)
        # Only parse errors count: resolution errors mean the file parsed.
        if m and not re.match(r"error(\[E\d+\])?: (mismatched|unclosed|expected|unexpected|this file contains|missing|invalid|unterminated|found)", r.stderr):
            return None
    return int(m.group(1)) if m else None


def planrecon_line(binary, root):
    r = subprocess.run([binary, root, "--format", "json", "--no-cache"], capture_output=True, text=True)
    if r.returncode != 0:
        return None
    lines = [d["line"] for d in json.loads(r.stdout)["diagnostics"]
             if "syntax error" in d["message"] and d["line"]]
    return min(lines) if lines else None


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("repo")
    ap.add_argument("--lang", required=True, choices=["go", "rust"])
    ap.add_argument("--files", type=int, default=60)
    ap.add_argument("--seed", type=int, default=19)
    ap.add_argument("--bin", action="append", required=True)
    ap.add_argument("--verbose", action="store_true", help="print each case that differs")
    a = ap.parse_args()
    rng = random.Random(a.seed)
    files = files_of(a.repo, a.lang)
    rng.shuffle(files)
    results = {b: [] for b in a.bin}
    cases = 0
    for f in files:
        if cases >= a.files:
            break
        text = open(f, encoding="utf-8", errors="replace").read()
        spots = [i for i, c in enumerate(text) if c in TARGETS]
        if not spots:
            continue
        at = rng.choice(spots)
        broken = text[:at] + text[at + 1:]
        with tempfile.TemporaryDirectory() as tmp:
            name = "a.go" if a.lang == "go" else "lib.rs"
            root = os.path.join(tmp, "repo")
            src = os.path.join(root, name if a.lang == "go" else "src/" + name)
            os.makedirs(os.path.dirname(src))
            with open(src, "w", encoding="utf-8") as out:
                out.write(broken)
            if a.lang == "go":
                open(os.path.join(root, "go.mod"), "w").write("module example.com/m\n")
            else:
                open(os.path.join(root, "Cargo.toml"), "w").write('[package]\nname = "m"\nversion = "0.1.0"\n')
            want = compiler_line(a.lang, src, tmp)
            if want is None:
                continue
            cases += 1
            got = [planrecon_line(b, root) for b in a.bin]
            for b, g in zip(a.bin, got):
                results[b].append((want, g))
            if a.verbose and any(g != want for g in got):
                line = broken.count("\n", 0, at) + 1
                print(f"{os.path.relpath(f, a.repo)}: deleted {text[at]!r} at line {line}; "
                      f"compiler {want}, planrecon {got}")
    for b, rs in results.items():
        got = [(w, g) for w, g in rs if g is not None]
        exact = sum(1 for w, g in got if w == g)
        near = sum(1 for w, g in got if abs(w - g) <= 1)
        mean = sum(abs(w - g) for w, g in got) / len(got) if got else float("nan")
        print(f"{b}: {len(rs)} cases, {len(rs) - len(got)} without a syntax error, "
              f"exact line {exact} ({exact / max(len(rs), 1):.0%}), within one line {near} "
              f"({near / max(len(rs), 1):.0%}), mean |delta| {mean:.2f}")


if __name__ == "__main__":
    sys.exit(main())
