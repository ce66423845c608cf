#!/usr/bin/env bash
# Every output a speed change must leave byte-identical, for `cmp` against
# another binary's.
#
# Usage: scripts/perf/outputs.sh BIN OUTDIR REPO...
#   then: for f in OLD/*; do cmp -s "$f" NEW/"${f##*/}" || echo "DIFF $f"; done
#
# Per REPO: the report, --format json, --budget 8000 (Markdown and JSON)
# and --threads 1 with --no-cache, then the report cold and warm, the JSON
# warm and --budget 8000 warm with a fresh --cache-dir (outside the
# repository, removed afterwards).
set -euo pipefail
bin="$1"; out="$2"; shift 2
mkdir -p "$out"
for p in "$@"; do
    r="$(basename "$p")"
    "$bin" "$p" --no-cache >"$out/$r.report" 2>/dev/null
    "$bin" "$p" --no-cache --format json >"$out/$r.json" 2>/dev/null
    "$bin" "$p" --no-cache --budget 8000 >"$out/$r.budget" 2>/dev/null
    "$bin" "$p" --no-cache --budget 8000 --format json >"$out/$r.budgetjson" 2>/dev/null
    "$bin" "$p" --no-cache --threads 1 >"$out/$r.t1" 2>/dev/null
    c="$(mktemp -d)"
    "$bin" "$p" --cache-dir "$c" >"$out/$r.cold" 2>/dev/null
    "$bin" "$p" --cache-dir "$c" >"$out/$r.warm" 2>/dev/null
    "$bin" "$p" --cache-dir "$c" --format json >"$out/$r.warmjson" 2>/dev/null
    "$bin" "$p" --cache-dir "$c" --budget 8000 >"$out/$r.warmbudget" 2>/dev/null
    rm -rf "$c"
done
