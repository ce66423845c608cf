#!/usr/bin/env python3
"""Score `planrecon check` against the hand-verified citations in citations.jsonl.

usage: score.py PLANRECON [--repos DIR] [--fix] [--list] [--json OUT]

For every (repository, document, commits) group the document is read from the
mirror at the commit that holds it (`git show DOC_COMMIT:DOC`, written to a temp
directory, never into a checkout), and `PLANRECON check PLAN --repo CHECKOUT
--since SINCE --format json` runs against a checkout of LATER (DIR/NAME-<later7>,
cloned from /work/.mirror/OWNER+NAME/repo when absent). With --fix the run also
rewrites the temp copy, and each fix is scored.

A record is matched to the finding on the same plan line whose citation holds
the record's numbers (and file name, when the record has one). Figures:
  statuses right  finding status == expected status (a record no finding matches is wrong)
  moved exact     of the records expected `moved`: status moved and `now` names the expected
                  file and start line (and end line, when the plan cited a range; `alt` is
                  the other accepted form, e.g. from the declaration line, not its doc comment)
  false alarms    records expected `ok` reported anything else (not collected is not an alarm)
  wrong fixes     fixes whose new citation is not the expected one (with --fix)
"""
import json
import os
import re
import subprocess
import sys
import tempfile
from collections import OrderedDict

HERE = os.path.dirname(os.path.abspath(__file__))
NUM = re.compile(r"[0-9]+")


def norm(c):
    """`path:12-12` -> `path:12`; None stays None."""
    if not c:
        return c
    m = re.match(r"^(.*):([0-9]+)-([0-9]+)$", c)
    if m and m.group(2) == m.group(3):
        return f"{m.group(1)}:{m.group(2)}"
    return c


def same_place(rec, now, expected):
    """The finding's `now` names the expected new place: same file and start
    line, and the same end line when the plan cited a range."""
    if not now:
        return False
    ranged = bool(re.search(r"[0-9]+\s*[-–]\s*[0-9…]", rec["cite"]))
    for e in expected:
        if now == e:
            return True
        np, _, nl = now.rpartition(":")
        ep, _, el = e.rpartition(":")
        if np == ep and not ranged and nl.split("-")[0] == el.split("-")[0]:
            return True
    return False


def checkout(repo, later, repos):
    owner, name = repo.split("/")
    path = os.path.join(repos, f"{name}-{later[:7]}")
    if not os.path.isdir(path):
        mirror = f"/work/.mirror/{owner}+{name}/repo"
        subprocess.run(["git", "clone", "-q", "--no-checkout", mirror, path], check=True)
        subprocess.run(["git", "-C", path, "checkout", "-q", later], check=True)
    return path


def match(rec, findings, used):
    nums = NUM.findall(rec["cite"].split(":", 1)[-1] if ":" in rec["cite"] else rec["cite"])
    base = rec["cite"].split(":")[0].rsplit("/", 1)[-1] if ":" in rec["cite"] else None
    for i, f in enumerate(findings):
        if i in used or f.get("line") != rec["line"]:
            continue
        text = f.get("citation", "")
        fnums = NUM.findall(text.split(":", 1)[-1] if ":" in text else text)
        if base and base not in text:
            continue
        if nums and not set(nums) <= set(fnums):
            continue
        used.add(i)
        return f
    return None


def main():
    args = sys.argv[1:]
    if not args:
        sys.exit(__doc__)
    binary = args[0]
    repos = args[args.index("--repos") + 1] if "--repos" in args else "/work/repos"
    fix = "--fix" in args
    records = [json.loads(l) for l in open(os.path.join(HERE, "citations.jsonl")) if l.strip()]
    groups = OrderedDict()
    for r in records:
        groups.setdefault((r["repo"], r["doc"], r["doc_commit"], r["since"], r["later"]), []).append(r)
    tot = dict(n=0, right=0, moved=0, moved_exact=0, ok=0, alarms=0, fixes=0, wrong_fixes=0, uncollected=0)
    listing = []
    for (repo, doc, doc_commit, since, later), recs in groups.items():
        owner, name = repo.split("/")
        mirror = f"/work/.mirror/{owner}+{name}/repo"
        text = subprocess.run(["git", "--git-dir", mirror, "show", f"{doc_commit}:{doc}"],
                              capture_output=True, check=True).stdout
        co = checkout(repo, later, repos)
        with tempfile.TemporaryDirectory() as tmp:
            plan = os.path.join(tmp, os.path.basename(doc))
            open(plan, "wb").write(text)
            cmd = [binary, "check", plan, "--repo", co, "--since", since, "--format", "json"]
            if fix:
                cmd.append("--fix")
            out = subprocess.run(cmd, capture_output=True, text=True)
            if out.returncode not in (0, 1):
                sys.exit(f"{' '.join(cmd)}: exit {out.returncode}: {out.stderr.strip()}")
            data = json.loads(out.stdout)
        findings = [f for p in data.get("plans", []) for f in p.get("findings", [])]
        used = set()
        g = dict(n=0, right=0, moved=0, moved_exact=0, ok=0, alarms=0)
        for rec in recs:
            f = match(rec, findings, used)
            got = f["status"] if f else "uncollected"
            now = norm(f.get("now")) if f else None
            exp_now = {norm(rec.get("now")), norm(rec.get("alt"))} - {None}
            right = got == rec["expect"]
            g["n"] += 1
            g["right"] += right
            tot["uncollected"] += got == "uncollected"
            if rec["expect"] == "moved":
                g["moved"] += 1
                g["moved_exact"] += got == "moved" and same_place(rec, now, exp_now)
            if rec["expect"] == "ok":
                g["ok"] += 1
                g["alarms"] += got not in ("ok", "uncollected")
            if f and f.get("fixed"):
                tot["fixes"] += 1
                if not (rec["expect"] == "moved" and same_place(rec, now, exp_now)):
                    tot["wrong_fixes"] += 1
            if not right or (rec["expect"] == "moved" and not same_place(rec, now, exp_now)):
                listing.append(f"  {doc}:{rec['line']} {rec['cite']!r}: expected {rec['expect']}"
                               f" {rec.get('now') or ''} got {got} {now or ''}"
                               f"{' (' + f.get('detail', '')[:90] + ')' if f else ''}")
        for k in g:
            tot[k] += g[k]
        print(f"{repo} {doc}: {g['right']}/{g['n']} statuses right, {g['moved_exact']}/{g['moved']} "
              f"moved exact, {g['alarms']} false alarms (of {g['ok']} ok)")
    print(f"TOTAL {tot['n']} citations: statuses right {tot['right']}/{tot['n']} = {tot['right'] / tot['n']:.2f}; "
          f"moved exact {tot['moved_exact']}/{tot['moved']} = {tot['moved_exact'] / max(1, tot['moved']):.2f}; "
          f"false alarms {tot['alarms']} (of {tot['ok']} ok; {tot['alarms'] * 75 / tot['n']:.1f} per 75); "
          f"not collected {tot['uncollected']}" + (f"; fixes {tot['fixes']}, wrong {tot['wrong_fixes']}" if fix else ""))
    if "--list" in args:
        print("\n".join(listing))
    if "--json" in args:
        json.dump(tot, open(args[args.index("--json") + 1], "w"), indent=1)


if __name__ == "__main__":
    main()
