import json, subprocess, sys, collections, re
P = sys.argv[1]; ROOT = '/work/corpus/ripgrep'
syms = sys.argv[2].split(',')
inv = json.loads(subprocess.run([P, ROOT, '--format', 'json', '--include-tests'], capture_output=True, text=True).stdout)
files = set()
for p in inv['packages']:
    files.update(p['files']); files.update(p['test_files'])
def noise(src):
    s = src.strip()
    return s.startswith('//') or s.startswith('use ') or s.startswith('pub use ') or s.startswith('*')
tot = collections.Counter()
for s in syms:
    out = subprocess.run([P, 'refs', s, '--repo', ROOT, '--format', 'json', '--include-tests'], capture_output=True, text=True)
    if out.returncode != 0:
        print('ERR', s, out.stderr); continue
    j = json.loads(out.stdout)
    decl = j['symbols'][0]['declared_at'].split(':')
    decl_key = f"{decl[0]}:{decl[1].split('-')[0]}"
    hits = j['hits']
    pr = {}
    for h in hits: pr.setdefault(f"{h['file']}:{h['line']}", h)
    segs = s.split('::')
    pat = '::'.join(segs[-2:]) if segs[-1][0].islower() else segs[-1]
    g = subprocess.run(['grep', '-rnw', '-F', '--include=*.rs', pat, '.'], cwd=ROOT, capture_output=True, text=True).stdout
    gs = {}
    for l in g.splitlines():
        p, n, src = l.split(':', 2); p = p[2:]
        if p in files: gs[f'{p}:{n}'] = src
    cand = {k for k, v in gs.items() if not noise(v) and k != decl_key}
    print(f'== {s} [grep -w {pat!r}]: planrecon {len(pr)} (inferred {sum(1 for h in pr.values() if h["inferred"])}), grep {len(gs)}, grep minus comments/use/decl {len(cand)}, both {len(set(pr)&cand)}')
    for k in sorted(cand - set(pr)): print('  GREP-ONLY', k, gs[k].strip()[:120])
    for k in sorted(set(pr) - set(gs)): print('  PR-ONLY  ', k, pr[k]['source'][:120])
    tot['pr'] += len(pr); tot['g'] += len(gs); tot['cand'] += len(cand); tot['both'] += len(set(pr) & cand)
print(tot)
