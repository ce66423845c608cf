#!/usr/bin/env bash
# Whole-process benchmarks of planrecon, side by side with `ctags -R`.
#
# Usage: scripts/bench.sh [--sizes "1 10 100"] [--runs N] [--quick] [REPO...]
#
# Generates a deterministic synthetic Go + Rust corpus of each size (MB) in a
# work directory outside the repository ($BENCH_DIR, default
# ${XDG_CACHE_HOME:-~/.cache}/planrecon-bench), then times on each corpus and
# on every REPO given:
#   parse-only  planrecon --parse-only (parse every file, discard the trees)
#   cold        an empty extraction cache (parse, extract, write the cache, render)
#   no-cache    --no-cache (parse, extract, render)
#   warm        an unchanged tree with a full cache
#   -j1 / -j2   --no-cache with one and two worker threads
#   report      the Markdown report (the main job), --no-cache and warm; it
#               also reads test files (construction sites, calls), so it is
#               compared with parse-all: --parse-only --include-tests
#   ctags       ctags -R on the same tree (when ctags is installed)
# and the peak RSS of a --no-cache run (/usr/bin/time). Medians of hyperfine
# runs; installs hyperfine from Debian's packages when it is missing.
set -euo pipefail

sizes="1 10 100"
runs=5
repos=()
while [ $# -gt 0 ]; do
    case "$1" in
    --sizes) sizes="$2"; shift 2 ;;
    --runs) runs="$2"; shift 2 ;;
    --quick) sizes="1 10"; runs=3; shift ;;
    -h | --help) sed -n '2,18p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) repos+=("$(cd "$1" && pwd)"); shift ;;
    esac
done

here="$(cd "$(dirname "$0")/.." && pwd)"
work="${BENCH_DIR:-${XDG_CACHE_HOME:-$HOME/.cache}/planrecon-bench}"
case "$work/" in "$here"/*) echo "bench.sh: BENCH_DIR must be outside the repository" >&2; exit 2 ;; esac
mkdir -p "$work"

if ! command -v hyperfine >/dev/null; then
    echo "bench.sh: installing hyperfine (Debian package)" >&2
    if [ "$(id -u)" = 0 ]; then apt-get update -qq && apt-get install -y -qq hyperfine >/dev/null
    else sudo apt-get update -qq && sudo apt-get install -y -qq hyperfine >/dev/null; fi
fi
have_ctags=0
if command -v ctags >/dev/null && ctags --version 2>/dev/null | grep -q Universal; then have_ctags=1; fi
timecmd=/usr/bin/time
[ -x "$timecmd" ] || timecmd=""

(cd "$here" && cargo build --release --quiet)
bin="$here/target/release/planrecon"

# gen_corpus DIR MB: half Go (one module, packages of 20 files), half Rust (one
# crate, flat modules), ~11 KB files of structs, interfaces/traits, generics,
# methods, consts and bodies with loops and branches. Same bytes every time.
gen_corpus() {
    local dir="$1" mb="$2"
    if [ -f "$dir/.complete" ]; then return; fi
    rm -rf "$dir"
    mkdir -p "$dir/go" "$dir/rs/src"
    printf 'module example.com/synthetic\n\ngo 1.22\n' >"$dir/go/go.mod"
    printf '[package]\nname = "synthetic"\nversion = "0.1.0"\nedition = "2021"\n' >"$dir/rs/Cargo.toml"
    awk -v dir="$dir" -v target=$((mb * 1024 * 1024)) '
    function go_file(f,   j, pkg) {
        pkg = "pkg" int(f / 20)
        emit(sprintf("// Package %s is synthetic benchmark code (file %d).\npackage %s\n\nimport (\n\t\"errors\"\n\t\"fmt\"\n)\n\n", pkg, f, pkg))
        emit(sprintf("// ErrNotFound%d is returned when a record is missing.\nvar ErrNotFound%d = errors.New(\"not found\")\n\n", f, f))
        emit(sprintf("const (\n\t// Limit%d bounds every record.\n\tLimit%d = %d * 3\n\tmode%d   = \"m\"\n)\n\n", f, f, f, f))
        emit(sprintf("// Shape%d is anything with an area.\ntype Shape%d interface {\n\tArea() float64\n\tName() string\n\tfmt.Stringer\n}\n\n", f, f))
        for (j = 0; j < 12; j++) {
            emit(sprintf("// Record%d_%d holds one record.\ntype Record%d_%d[T any] struct {\n\tID    int\n\tName  string\n\tItems []T\n\tnext  *Record%d_%d[T]\n}\n\n", f, j, f, j, f, j))
            emit(sprintf("// NewRecord%d_%d builds a record.\nfunc NewRecord%d_%d[T any](id int, name string) *Record%d_%d[T] {\n\tr := &Record%d_%d[T]{ID: id, Name: name}\n\tfor i := 0; i < id; i++ {\n\t\tif i%%2 == 0 {\n\t\t\tr.Name = fmt.Sprintf(\"%%s-%%d\", r.Name, i)\n\t\t} else {\n\t\t\tr.ID += i * %d\n\t\t}\n\t}\n\treturn r\n}\n\n", f, j, f, j, f, j, f, j, j))
            emit(sprintf("// Len reports the number of items.\nfunc (r *Record%d_%d[T]) Len() int {\n\tn := 0\n\tfor range r.Items {\n\t\tn++\n\t}\n\tswitch {\n\tcase n > Limit%d:\n\t\treturn Limit%d\n\tdefault:\n\t\treturn n\n\t}\n}\n\n", f, j, f, f))
        }
        close(path)
    }
    function rs_file(f,   j) {
        emit(sprintf("//! Module m%d: synthetic benchmark code.\n\nuse std::collections::BTreeMap;\nuse std::fmt;\n\n", f))
        emit(sprintf("/// Limit of module %d.\npub const LIMIT_%d: usize = %d * 3;\n\n", f, f, f))
        emit(sprintf("/// Anything with an area.\npub trait Shape%d {\n    /// The area.\n    fn area(&self) -> f64;\n    fn name(&self) -> String {\n        String::from(\"shape\")\n    }\n}\n\n", f))
        for (j = 0; j < 10; j++) {
            emit(sprintf("/// Record %d of module %d.\n#[derive(Debug, Clone)]\npub struct Record%d_%d<T> {\n    pub id: usize,\n    pub name: String,\n    items: Vec<T>,\n    index: BTreeMap<String, usize>,\n}\n\n", j, f, f, j))
            emit(sprintf("/// States of record %d.\npub enum State%d_%d {\n    Idle,\n    Busy(u32),\n    Done { code: i32 },\n}\n\n", j, f, j))
            emit(sprintf("impl<T: Clone> Record%d_%d<T> {\n    /// Builds a record.\n    pub fn new(id: usize, name: &str) -> Self {\n        let mut r = Self { id, name: name.to_string(), items: Vec::new(), index: BTreeMap::new() };\n        for i in 0..id {\n            if i %% 2 == 0 {\n                r.name.push_str(&format!(\"-{i}\"));\n            } else {\n                r.id += i * %d;\n            }\n        }\n        r\n    }\n\n    pub(crate) fn len(&self) -> usize {\n        let mut n = 0;\n        for _ in &self.items {\n            n += 1;\n        }\n        n.min(LIMIT_%d)\n    }\n}\n\n", f, j, j, f))
            emit(sprintf("impl<T> fmt::Display for Record%d_%d<T> {\n    fn fmt(&self, f: &mut fmt::Formatter<'"'"'_>) -> fmt::Result {\n        write!(f, \"{}:{}\", self.id, self.name)\n    }\n}\n\n", f, j))
        }
        close(path)
    }
    # Every byte goes through emit, which counts it (ASCII: length is bytes).
    function emit(text) { printf "%s", text > path; total += length(text) }
    BEGIN {
        half = target / 2; total = 0
        for (f = 0; total < half; f++) {
            if (f % 20 == 0) system("mkdir -p \"" dir "/go/pkg" int(f / 20) "\"")
            path = dir "/go/pkg" int(f / 20) "/file" f ".go"; go_file(f)
        }
        total = 0; lib = dir "/rs/src/lib.rs"
        printf "//! Synthetic benchmark crate.\n\n" > lib
        for (f = 0; total < half; f++) {
            path = dir "/rs/src/m" f ".rs"; rs_file(f)
            printf "pub mod m%d;\n", f > lib
        }
        close(lib)
    }'
    touch "$dir/.complete"
}

# median_of CSV: the median seconds of a hyperfine CSV export.
median_of() { if [ -s "$1" ]; then awk -F, 'NR == 2 { printf "%.3f", $4 }' "$1"; else echo "-"; fi; }
# cpu_of CSV: mean user + system seconds (steadier than wall time on a busy machine).
cpu_of() { if [ -s "$1" ]; then awk -F, 'NR == 2 { printf "%.3f", $5 + $6 }' "$1"; else echo "-"; fi; }

hf() { # hf CSV [hyperfine options...] COMMAND: median into CSV (removed on failure)
    local csv="$1"; shift
    hyperfine --style none --runs "$runs" --export-csv "$csv" "$@" >/dev/null 2>&1 || rm -f "$csv"
}

rss_kb() { # peak RSS in KB of one run of the command
    if [ -z "$timecmd" ]; then echo "-"; return; fi
    "$timecmd" -f '%M' "$@" 2>&1 >/dev/null | tail -1
}

trees=()
for mb in $sizes; do
    gen_corpus "$work/corpus-${mb}mb" "$mb"
    trees+=("$work/corpus-${mb}mb")
done
trees+=("${repos[@]}")

printf '| tree | MB | lines | parse-only s | cold s | no-cache s | warm s | ctags s | -j1 s | -j2 s | cold/parse | cold/parse CPU | -j1/-j2 | cold/warm | warm/ctags | cold s/MB | peak RSS MB | parse-all s | report no-cache s | report warm s | report/parse-all | report warm/ctags | report RSS MB |\n'
printf '|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|\n'
for t in "${trees[@]}"; do
    name="$(basename "$t")"
    bytes=$(find "$t" \( -name '*.go' -o -name '*.rs' \) -type f -not -path '*/vendor/*' -not -path '*/target/*' -print0 | xargs -0 cat | wc -c)
    lines=$(find "$t" \( -name '*.go' -o -name '*.rs' \) -type f -not -path '*/vendor/*' -not -path '*/target/*' -print0 | xargs -0 cat | wc -l)
    mbs=$(awk -v b="$bytes" 'BEGIN { printf "%.1f", b / 1048576 }')
    cache="$work/cache-$name"
    out="$work/csv-$name"
    mkdir -p "$out"
    hf "$out/parse.csv" --warmup 1 "$bin $t --parse-only --no-cache"
    hf "$out/cold.csv" --prepare "rm -rf $cache" "$bin $t --format json --cache-dir $cache"
    hf "$out/nocache.csv" --warmup 1 "$bin $t --format json --no-cache"
    hf "$out/warm.csv" --warmup 2 "$bin $t --format json --cache-dir $cache"
    hf "$out/j1.csv" --warmup 1 "$bin $t --format json --no-cache --threads 1"
    hf "$out/j2.csv" --warmup 1 "$bin $t --format json --no-cache --threads 2"
    hf "$out/parseall.csv" --warmup 1 "$bin $t --parse-only --include-tests --no-cache"
    hf "$out/report.csv" --warmup 1 "$bin $t --no-cache"
    hf "$out/reportwarm.csv" --warmup 2 "$bin $t --cache-dir $cache"
    ctags_s="-"
    if [ "$have_ctags" = 1 ]; then
        hf "$out/ctags.csv" --warmup 1 "ctags -R -f - $t"
        ctags_s=$(median_of "$out/ctags.csv")
    fi
    parse_s=$(median_of "$out/parse.csv"); cold_s=$(median_of "$out/cold.csv")
    nocache_s=$(median_of "$out/nocache.csv"); warm_s=$(median_of "$out/warm.csv")
    j1_s=$(median_of "$out/j1.csv"); j2_s=$(median_of "$out/j2.csv")
    parseall_s=$(median_of "$out/parseall.csv"); report_s=$(median_of "$out/report.csv")
    reportwarm_s=$(median_of "$out/reportwarm.csv")
    rss=$(rss_kb "$bin" "$t" --format json --no-cache)
    report_rss=$(rss_kb "$bin" "$t" --no-cache)
    to_mb() { awk -v k="$1" 'BEGIN { if (k ~ /^[0-9]+$/) printf "%.0f", k / 1024; else print "-" }'; }
    rss_mb=$(to_mb "$rss"); report_rss_mb=$(to_mb "$report_rss")
    ratio() { awk -v a="$1" -v b="$2" 'BEGIN { if (b + 0 > 0 && a + 0 > 0) printf "%.2f", a / b; else print "-" }'; }
    printf '| %s | %s | %s | %s | %s | %s | %s | %s | %s | %s | %s | %s | %s | %s | %s | %s | %s | %s | %s | %s | %s | %s | %s |\n' \
        "$name" "$mbs" "$lines" "$parse_s" "$cold_s" "$nocache_s" "$warm_s" "$ctags_s" "$j1_s" "$j2_s" \
        "$(ratio "$cold_s" "$parse_s")" "$(ratio "$(cpu_of "$out/cold.csv")" "$(cpu_of "$out/parse.csv")")" \
        "$(ratio "$j1_s" "$j2_s")" "$(ratio "$cold_s" "$warm_s")" \
        "$(ratio "$warm_s" "$ctags_s")" "$(ratio "$cold_s" "$mbs")" "$rss_mb" \
        "$parseall_s" "$report_s" "$reportwarm_s" "$(ratio "$report_s" "$parseall_s")" \
        "$(ratio "$reportwarm_s" "$ctags_s")" "$report_rss_mb"
done
