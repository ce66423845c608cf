#!/usr/bin/env bash
# Compare planrecon's inventory of REPO with a compiler-grade lister
# (../shared/oracles: go/ast or syn). Usage: scripts/oracle-check.sh REPO [compare.py args]
set -euo pipefail
repo=$1; shift
here=$(cd "$(dirname "$0")/.." && pwd)
oracles=${ORACLES:-$here/../shared/oracles}
t=$(mktemp -d)
trap 'rm -rf "$t"' EXIT
cargo build --release --quiet --manifest-path "$here/Cargo.toml"
bash "$oracles/run-oracle.sh" "$repo" "$t/oracle.jsonl" >/dev/null
"$here/target/release/planrecon" "$repo" --format json > "$t/planrecon.json"
python3 "$oracles/compare.py" "$t/oracle.jsonl" "$t/planrecon.json" "$@"
