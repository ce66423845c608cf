import json, os, subprocess, sys, collections
P = sys.argv[1]; ROOT = '/work/corpus/bbolt'; MOD = 'go.etcd.io/bbolt'
syms = ['DB.Begin', 'DB.Update', 'DB.View', 'Options', 'Open', 'Tx.Commit', 'Tx.Bucket', 'Bucket.Put', 'Bucket.Get', 'Cursor.Seek', 'Tx.CreateBucketIfNotExists', 'Compact']
full = [f'{MOD}.{s}' for s in syms]
o = subprocess.run([os.environ.get('GOREF', 'goref'), ROOT, MOD] + full, capture_output=True, text=True).stdout
files = set(); oracle = collections.defaultdict(set)
for line in o.splitlines():
    a, b = line.split('\t')
    if a == 'FILES': files.add(b)
    else: oracle[a].add(b)
T = collections.Counter()
print(f"{'symbol':32} {'oracle':>6} {'pr':>4} {'pr_tp':>5} {'pr_inf':>6} {'grep':>5} {'g_tp':>5}")
for s, f in zip(syms, full):
    out = subprocess.run([P, 'refs', f, '--repo', ROOT, '--format', 'json'], capture_output=True, text=True)
    hits = json.loads(out.stdout)['hits'] if out.returncode == 0 else []
    pr = {f"{h['file']}:{h['line']}" for h in hits if h['file'] in files}
    inf = {f"{h['file']}:{h['line']}" for h in hits if h['file'] in files and h['inferred']}
    name = s.split('.')[-1]
    g = subprocess.run(['grep', '-rnw', '--include=*.go', name, '.'], cwd=ROOT, capture_output=True, text=True).stdout
    gs = set()
    for l in g.splitlines():
        p, n = l.split(':')[:2]; p = p[2:]
        if p in files: gs.add(f'{p}:{n}')
    orc = oracle[f]
    T['o'] += len(orc); T['p'] += len(pr); T['ptp'] += len(pr & orc); T['g'] += len(gs); T['gtp'] += len(gs & orc); T['inf'] += len(inf)
    print(f"{s:32} {len(orc):6} {len(pr):4} {len(pr&orc):5} {len(inf):6} {len(gs):5} {len(gs&orc):5}")
    if '-v' in sys.argv:
        for x in sorted(pr - orc): print('   extra', x)
        for x in sorted(orc - pr): print('   miss ', x)
print(f"planrecon: precision={T['ptp']/T['p']:.3f} recall={T['ptp']/T['o']:.3f}  (inferred hits {T['inf']})")
print(f"grep -w:   precision={T['gtp']/T['g']:.3f} recall={T['gtp']/T['o']:.3f}")
