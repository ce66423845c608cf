#!/usr/bin/env python3
"""Which facts of real recon / architecture sections does a planrecon report
hold with a correct citation, and how many o200k tokens does it spend?

usage: scripts/report-eval/score.py [--planrecon BIN] [--repos DIR] [--ids ID,...]
                                    [--section recon|all] [--extra ARG ...]
                                    [--list-missing] [--json OUT]

For every document of docs.json it runs `planrecon CHECKOUT --no-cache
[--section S] EXTRA...` on the tree the document described and checks each
record of facts/ID.tsv (kind, name, parent, file, line; see README.md):

  declarations (type, field, method, func, var, const, macro, flag): held when
      one line of the report names it (a code span whose last `.`/`::`
      segment, or the flag without its dashes, is the name) and carries a
      citation `file:a-b` of the fact's file with a <= line <= b; or when a
      fenced block headed `// file:a-b` covers the line and holds the name
      (on that very line when the block is contiguous);
  package: a line names the directory (`dir`, `dir/`, a path or crate name
      ending in it, or a Rust module path whose last segment is the
      directory's) and cites a file under it;
  file: the report cites a line of it or names it in a code span;
  site, test (call, construction and test sites): a line names the symbol and
      cites, or names, the site's file.

Prints per-document and overall held fractions, by kind, and the report's
tokens (tiktoken o200k_base; the encoding file is taken from the tiktoken-rs
crate in ~/.cargo when tiktoken cannot download it).
"""

import argparse
import glob
import hashlib
import json
import os
import re
import shutil
import subprocess
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
CITE = re.compile(r"([A-Za-z0-9_./+-]+\.[A-Za-z0-9]+):(\d+)(?:-(\d+))?")
SPAN = re.compile(r"(`+)\s?(.+?)\s?\1")
BLOCK_HEAD = re.compile(r"^\s*//\s*([A-Za-z0-9_./+-]+\.[A-Za-z0-9]+):(\d+)-(\d+)\s*$")
REL = re.compile(r"`(?P<cfile>[A-Za-z0-9_./+-]+\.[A-Za-z0-9]+):\d+(?:-\d+)?`"
                 r"|`(?P<name>[^`\s]+)`:(?P<n>\d+)"
                 r"|`(?P<path>[A-Za-z0-9_./+-]+\.(?:go|rs|ya?ml|json|toml))`")
DECL_KINDS = {"type", "field", "method", "func", "var", "const", "macro", "flag", "variant"}


def encoder():
    import tiktoken
    url = "https://openaipublic.blob.core.windows.net/encodings/o200k_base.tiktoken"
    cache = os.environ.setdefault("TIKTOKEN_CACHE_DIR", os.path.expanduser("~/.cache/tiktoken"))
    target = os.path.join(cache, hashlib.sha1(url.encode()).hexdigest())
    if not os.path.exists(target):
        found = glob.glob(os.path.expanduser("~/.cargo/registry/src/*/tiktoken-rs-*/assets/o200k_base.tiktoken"))
        if found:
            os.makedirs(cache, exist_ok=True)
            shutil.copy(found[0], target)
    return tiktoken.get_encoding("o200k_base")


def load_facts(fid):
    facts = []
    for raw in open(os.path.join(HERE, "facts", fid + ".tsv")):
        raw = raw.rstrip("\n")
        if not raw or raw.startswith("#"):
            continue
        kind, name, parent, file, line = raw.split("\t")[:5]
        facts.append({"kind": kind, "name": name, "parent": None if parent == "-" else parent,
                      "file": file, "line": None if line == "-" else int(line)})
    return facts


class Report:
    """The report as lines: code spans and citations per line, fenced blocks."""

    def __init__(self, text):
        self.text = text
        self.lines = []  # (spans, words, cites)
        self.blocks = []  # (file, a, b, [lines])
        fence, block = None, None
        for line in text.splitlines():
            s = line.strip()
            if fence:
                if s.startswith(fence) and s.strip("`") == "":
                    fence = None
                    if block:
                        self.blocks.append(block)
                    block = None
                    continue
                if block is None:
                    m = BLOCK_HEAD.match(line)
                    block = (m.group(1), int(m.group(2)), int(m.group(3)), []) if m else None
                    if block:
                        continue
                else:
                    block[3].append(line)
                continue
            if s.startswith("```"):
                fence = s[: len(s) - len(s.lstrip("`"))]
                block = None
                continue
            spans = [m.group(2) for m in SPAN.finditer(line)]
            cites = [(m.group(1), int(m.group(2)), int(m.group(3) or m.group(2))) for m in CITE.finditer(line)]
            self.lines.append((spans, set(re.findall(r"[A-Za-z_][A-Za-z0-9_-]*", line)), cites))
            # Line-relative citations: `Name`:N is line N of the file named
            # last before it on the same line (a path span or a citation).
            current = None
            for m in REL.finditer(line):
                if m.group("path"):
                    current = m.group("path")
                elif m.group("cfile"):
                    current = m.group("cfile")
                elif current and m.group("name"):
                    self.lines.append(([m.group("name")], set(), [(current, int(m.group("n")), int(m.group("n")))]))


def names_in(spans, name, flag=False):
    for sp in spans:
        t = sp.strip()
        if flag:
            t = t.lstrip("-")
            if t == name.lstrip("-") or t.split(",")[0].split(" ")[0].lstrip("-") == name.lstrip("-"):
                return True
            continue
        t = re.sub(r"\(.*$", "", t).strip().rstrip("!").lstrip("*&")
        last = re.split(r"\.|::", t)[-1] if t else t
        if last == name or t == name:
            return True
        # `type Name struct`, `pub fn name(` in a signature span
        if re.search(r"(^|[\s(*&:.])" + re.escape(name) + r"($|[\s(\[<{:!])", sp):
            return True
    return False


def held(f, rep):
    kind, name, file, line = f["kind"], f["name"], f["file"], f["line"]
    if kind in DECL_KINDS:
        flag = kind == "flag"
        for spans, words, cites in rep.lines:
            if not names_in(spans, name, flag):
                continue
            if any(c[0] == file and c[1] <= line <= c[2] for c in cites):
                return True
        if not flag:
            for bf, a, b, body in rep.blocks:
                if bf != file or not (a <= line <= b):
                    continue
                if len(body) == b - a + 1:
                    if re.search(r"\b" + re.escape(name) + r"\b", body[line - a]):
                        return True
                elif any(re.search(r"\b" + re.escape(name) + r"\b", l) for l in body):
                    return True
        return False
    if kind == "package":
        d = file.rstrip("/")
        for spans, words, cites in rep.lines:
            last = d.rsplit("/", 1)[-1].replace("-", "_")
            ok = any(sp.rstrip("/") == d or sp.rstrip("/").endswith("/" + d) or sp == d.replace("-", "_")
                     # a Rust module path names its directory (`helix_term::ui` for helix-term/src/ui)
                     or ("::" in sp and sp.rsplit("::", 1)[-1] == last)
                     for sp in spans)
            if ok and any(c[0].startswith(d + "/") for c in cites):
                return True
        return False
    if kind == "file":
        for spans, words, cites in rep.lines:
            if any(c[0] == file for c in cites) or file in spans:
                return True
        return any(bf == file for bf, _, _, _ in rep.blocks)
    if kind in ("site", "test"):
        for spans, words, cites in rep.lines:
            if not names_in(spans, name):
                continue
            if any(c[0] == file for c in cites) or any(sp == file for sp in spans):
                return True
        return False
    raise SystemExit("unknown fact kind %r" % kind)


def dump(planrecon, root):
    """The strawman: every declaration and member, one cited line each."""
    out = subprocess.run([planrecon, root, "--no-cache", "--format", "json"], capture_output=True, text=True)
    if out.returncode != 0:
        raise SystemExit("planrecon failed on %s: %s" % (root, out.stderr.strip()[:400]))
    inv = json.loads(out.stdout)
    lines = []
    for i in inv["items"]:
        name = (i["parent"] + "." if i.get("parent") else "") + i["name"]
        lines.append("- `%s` %s (`%s:%d-%d`)" % (name, i["kind"], i["file"], i["line"], i["end_line"]))
        for m in i.get("members", []):
            lines.append("  - `%s.%s` (`%s:%d`)" % (i["name"], m["name"], i["file"], m["line"]))
    return "\n".join(lines) + "\n"


def run(planrecon, root, section, extra):
    if "--dump" in extra:
        return dump(planrecon, root)
    args = [planrecon, root, "--no-cache"] + (["--section", section] if section != "all" else []) + extra
    out = subprocess.run(args, capture_output=True, text=True)
    if out.returncode != 0:
        raise SystemExit("planrecon failed on %s: %s" % (root, out.stderr.strip()[:400]))
    return out.stdout


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--planrecon", default=os.path.join(HERE, "..", "..", "target", "release", "planrecon"))
    ap.add_argument("--repos", default="/work/repos")
    ap.add_argument("--ids", default="")
    ap.add_argument("--section", default="all", choices=["recon", "all"])
    ap.add_argument("--extra", action="append", default=[])
    ap.add_argument("--list-missing", action="store_true")
    ap.add_argument("--json")
    a = ap.parse_args()
    enc = encoder()
    docs = json.load(open(os.path.join(HERE, "docs.json")))
    if a.ids:
        docs = [d for d in docs if d["id"] in a.ids.split(",")]
    reports = {}
    total = [0, 0]
    by_kind = {}
    rows = []
    for d in docs:
        root = os.path.join(a.repos, d["checkout"])
        if root not in reports:
            text = run(a.planrecon, root, a.section, a.extra)
            reports[root] = (Report(text), len(enc.encode(text, disallowed_special=())))
        rep, tokens = reports[root]
        facts = load_facts(d["id"])
        ok = 0
        missing = []
        for f in facts:
            h = held(f, rep)
            ok += h
            k = by_kind.setdefault(f["kind"], [0, 0])
            k[0] += h
            k[1] += 1
            if not h:
                missing.append(f)
        total[0] += ok
        total[1] += len(facts)
        rows.append({"id": d["id"], "held": ok, "facts": len(facts), "tokens": tokens})
        print("%-26s %3d/%-3d %5.1f%%  report %6d tokens" % (d["id"], ok, len(facts), 100.0 * ok / max(1, len(facts)), tokens))
        if a.list_missing:
            for f in missing:
                print("    missing %-7s %-28s %s:%s" % (f["kind"], (f["parent"] + "." if f["parent"] else "") + f["name"],
                                                      f["file"], f["line"] or ""))
    print("%-26s %3d/%-3d %5.1f%%" % ("all (micro)", total[0], total[1], 100.0 * total[0] / max(1, total[1])))
    print("by kind: " + ", ".join("%s %d/%d" % (k, v[0], v[1]) for k, v in sorted(by_kind.items())))
    if a.json:
        json.dump({"docs": rows, "held": total[0], "facts": total[1],
                   "by_kind": by_kind}, open(a.json, "w"), indent=1)


if __name__ == "__main__":
    sys.exit(main())
