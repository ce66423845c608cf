#!/usr/bin/env bash
# The ratios issue 15 sets targets for, per tree, as paired farm-bench runs
# (A B A B ..., median of the pairwise ratios; wall and CPU):
#   report / parse-all       planrecon REPO --no-cache  vs  --parse-only --include-tests
#                            --parse-data (every file the report parses: sources, tests
#                            and the YAML/JSON/TOML files whose keys it lists)
#   report cold / parse-all  the report with a fresh, empty --cache-dir (it writes
#                            the cache) vs the same parse-all run
#   JSON / parse-only        --no-cache --format json  vs  --parse-only
#
# Usage: scripts/perf/ratios.sh BIN [-n RUNS] REPO...
# The cold runs' cache directories are made under $TMPDIR (outside the repository)
# by a wrapper that execs planrecon, and removed at the end.
set -euo pipefail
bin="$(realpath "$1")"; shift
runs=5
if [ "${1:-}" = "-n" ]; then runs="$2"; shift 2; fi
command -v farm-bench >/dev/null || { echo "ratios.sh: needs farm-bench" >&2; exit 2; }
scratch="$(mktemp -d)"
trap 'rm -rf "$scratch"' EXIT
cold="$scratch/cold.sh"
printf '#!/usr/bin/env bash\nd="$(mktemp -d -p %q)"\nexec %q "$1" --cache-dir "$d"\n' \
    "$scratch" "$bin" >"$cold"
chmod +x "$cold"

pair() { # LABEL BASELINE -- COMMAND...
    local label="$1" base="$2"; shift 3
    farm-bench -n "$runs" --warmup 1 --timeout 600 --vs "$base" -- "$@" 2>&1 |
        awk -v l="$label" '/^A\/B (wall|cpu) / { r[$1" "$2] = $4 } END { printf "  %-26s wall %s  cpu %s\n", l, r["A/B wall"], r["A/B cpu"] }'
}

for repo in "$@"; do
    repo="$(realpath "$repo")"
    echo "$(basename "$repo")"
    pair "report / parse-all" "$bin $repo --parse-only --include-tests --parse-data" -- "$bin" "$repo" --no-cache
    pair "report cold / parse-all" "$bin $repo --parse-only --include-tests --parse-data" -- "$cold" "$repo"
    pair "JSON / parse-only" "$bin $repo --parse-only" -- "$bin" "$repo" --no-cache --format json
done
