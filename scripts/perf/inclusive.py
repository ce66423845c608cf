#!/usr/bin/env python3
"""Inclusive share of perf samples per function name pattern.

Usage: inclusive.py PERF_SCRIPT_OUTPUT PATTERN...  (perf script -F comm,tid,ip,sym)
A sample counts once for each pattern that any frame of its stack contains.
"""
import sys,re,collections
samples=[];cur=[]
for line in open(sys.argv[1]):
    line=line.rstrip('\n')
    if not line.strip():
        if cur: samples.append(cur); cur=[]
        continue
    if line.startswith('\t') or line.startswith(' '):
        parts=line.strip().split(' ',1)
        if len(parts)==2: cur.append(parts[1])
    else:
        pass
if cur: samples.append(cur)
N=len(samples)
pats=sys.argv[2:]
inc=collections.Counter()
for s in samples:
    seen=set()
    for f in s:
        for p in pats:
            if p in f and p not in seen:
                seen.add(p); inc[p]+=1
print("samples",N)
for p in pats: print(f"{100*inc[p]/N:6.1f}% {p}")
