#!/usr/bin/env bash
# Benchmark: twelve's start-up, and twelve against ripgrep over the same files of two trees.
#   benches/run.sh [DIR...]   DIRs default to a generated 100,000-file tree (benches/gen_tree.py)
#                             and, when REAL_TREE names one, a tree of real apps (benches/real_tree.sh)
# Env: RUNS (default 5), STARTUP_RUNS (default 30), TREE_FILES, TREE_MB (generator size),
# REAL_TREE (a folder made by benches/real_tree.sh). Needs rg, hyperfine and GNU time
# (Debian: apt-get install ripgrep hyperfine time). Prints Markdown tables for the README.
#
# Per tree: twelve on 2 threads and on 1, twelve with its rule set doubled (every pattern
# rule copied under a new id, built here only), ripgrep running twelve's exported patterns,
# and ripgrep searching one absent literal (the cost of reading the files: the read floor).
set -euo pipefail
cd "$(dirname "$0")/.."
runs=${RUNS:-5}
startup_runs=${STARTUP_RUNS:-30}
for tool in rg hyperfine /usr/bin/time python3; do
  command -v "$tool" >/dev/null || { echo "missing $tool (apt-get install ripgrep hyperfine time)" >&2; exit 2; }
done
trees=("$@")
if [ ${#trees[@]} -eq 0 ]; then
  generated=${TMPDIR:-/tmp}/twelve-bench-tree
  if [ ! -d "$generated" ]; then
    python3 benches/gen_tree.py "$generated" --files "${TREE_FILES:-100000}" --mb "${TREE_MB:-1000}"
  fi
  trees=("$generated")
  [ -n "${REAL_TREE:-}" ] && trees+=("$REAL_TREE")
fi
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
target=$(realpath -m "${CARGO_TARGET_DIR:-target}")
cargo build --release --quiet
cp "$target/release/twelve" "$work/twelve"
# The doubled rule set: a copy of the crate whose every pattern rule has a twin `<id>-copy`,
# built in a folder of its own (sharing the target folder would mix the two crates' build
# script outputs); it stays there, so the next run rebuilds only the crate.
doubled=$target/bench-doubled
rm -rf "$doubled/crate" && mkdir -p "$doubled/crate"
cp -r Cargo.toml Cargo.lock build.rs src rules "$doubled/crate/"
grep -rl '^\[\[patterns\]\]' "$doubled/crate/rules" | while read -r file; do
  id=$(basename "$file" .toml)
  sed "s/^id = \"$id\"/id = \"$id-copy\"/" "$file" > "$(dirname "$file")/$id-copy.toml"
done
CARGO_TARGET_DIR=$doubled/target cargo build --release --quiet --manifest-path "$doubled/crate/Cargo.toml"
cp "$doubled/target/release/twelve" "$work/twelve-doubled"
twelve=$work/twelve
"$twelve" rules --export-patterns > "$work/patterns"
# The same files for rg: hidden files too, and twelve's default excluded folders.
excludes=()
for dir in node_modules bower_components jspm_packages vendor target dist build out .venv venv \
  __pycache__ .tox .mypy_cache .pytest_cache .ruff_cache .next .nuxt .svelte-kit .parcel-cache \
  .cache coverage .gradle .idea .terraform .bundle .git; do
  excludes+=(-g "!$dir")
done
peak() { /usr/bin/time -f %M "$@" 2>&1 >/dev/null | tail -1; }

# Start-up: what pre-commit pays on every commit.
small=fixtures/express-clean
uptime >&2
hyperfine -N --warmup 3 --runs "$startup_runs" --ignore-failure --export-json "$work/startup.json" \
  -n "twelve rules" "$twelve rules" \
  -n "twelve check (small app)" "$twelve check $small --format json --fail-on never" >&2
python3 - "$work/startup.json" "$small" <<'PY'
import json, sys
times = {r["command"]: r for r in json.load(open(sys.argv[1]))["results"]}
print(f"start-up ({len(times['twelve rules']['times'])} runs, median wall)\n")
print("| command | wall (median) | target |")
print("|---|---|---|")
print(f"| `twelve rules` | {times['twelve rules']['median'] * 1000:.1f} ms | < 10 ms |")
print(f"| `twelve check {sys.argv[2]}` | {times['twelve check (small app)']['median'] * 1000:.1f} ms | < 30 ms |")
PY

for tree in "${trees[@]}"; do
  t2="$twelve check $tree --format json --fail-on never"
  t1="$t2 --threads 1"
  td="$work/twelve-doubled check $tree --format json --fail-on never"
  rgc="rg -U -c --hidden ${excludes[*]} -f $work/patterns $tree"
  floor="rg -c --hidden ${excludes[*]} -F zqxjkvbwpyqq $tree"
  hyperfine --warmup 1 --runs "$runs" --ignore-failure --export-json "$work/times.json" \
    -n "twelve (2 threads)" "$t2 > /dev/null" -n "twelve (1 thread)" "$t1 > /dev/null" \
    -n "twelve, doubled rules" "$td > /dev/null" \
    -n "ripgrep" "$rgc > /dev/null" -n "read floor" "$floor > /dev/null" >&2
  m_twelve=$(peak $t2)
  m_rg=$(peak $rgc)
  $t2 > "$work/report.json"
  $td > "$work/report-doubled.json"
  echo
  python3 - "$work/times.json" "$work/report.json" "$work/report-doubled.json" "$tree" "$m_twelve" "$m_rg" <<'PY'
import json, os, sys
times = {r["command"]: r for r in json.load(open(sys.argv[1]))["results"]}
report, doubled = json.load(open(sys.argv[2])), json.load(open(sys.argv[3]))
tree, m_twelve, m_rg = sys.argv[4], int(sys.argv[5]), int(sys.argv[6])
t2, t1, td = times["twelve (2 threads)"], times["twelve (1 thread)"], times["twelve, doubled rules"]
rg, floor = times["ripgrep"], times["read floor"]
def cell(r):
    cpu = r["user"] + r["system"]
    return f"{r['median']:.2f} s | {cpu:.2f} s"
print(f"tree: {tree} ({report['summary']['files_scanned']} files scanned), {len(t2['times'])} runs, median wall, mean CPU\n")
print("| command | wall (median) | CPU (user+sys) | peak memory |")
print("|---|---|---|---|")
print(f"| twelve, 2 threads | {cell(t2)} | {m_twelve // 1024} MB |")
print(f"| twelve, 1 thread | {cell(t1)} | |")
print(f"| twelve, rule set doubled, 2 threads | {cell(td)} | |")
print(f"| ripgrep, same patterns (`rg -U -f`) | {cell(rg)} | {m_rg // 1024} MB |")
print(f"| ripgrep, one absent literal (read floor) | {cell(floor)} | |")
print()
# CPU ratios too: on a shared machine, wall time also measures the neighbours.
cpu = lambda r: r["user"] + r["system"]
ratio = lambda a, b: f"{a['median'] / b['median']:.2f}x wall, {cpu(a) / cpu(b):.2f}x CPU"
print(f"- twelve / ripgrep same patterns: {ratio(t2, rg)} (target <= 0.7x)")
print(f"- twelve / read floor: {ratio(t2, floor)} (target <= 2x)")
print(f"- rule set doubled: {100 * (td['median'] / t2['median'] - 1):+.0f}% wall, {100 * (cpu(td) / cpu(t2) - 1):+.0f}% CPU (target < 25%)")
print(f"- speedup 1 -> 2 threads: {t1['median'] / t2['median']:.2f}x; peak memory {m_twelve // 1024} MB (target < 100 MB)")
rules = lambda r: sorted(f["rule"] for f in r["findings"])
copies = sorted(f["rule"][:-5] for f in doubled["findings"] if f["rule"].endswith("-copy"))
originals = [r for r in rules(doubled) if not r.endswith("-copy")]
status = "ok" if originals == rules(report) else "MISMATCH"
print(f"- doubled rule set: {len(originals)} findings of the rules ({status}), {len(copies)} of their pattern-rule copies")
expected = os.path.join(tree, ".bench-expected.json")
if os.path.exists(expected):
    want = json.load(open(expected))["findings"]
    got = {}
    for f in report["findings"]:
        if f["rule"] in want:
            got[f["rule"]] = got.get(f["rule"], 0) + 1
    status = "ok" if got == want else "MISMATCH"
    print(f"- planted violations: expected {sum(want.values())}, found {sum(got.values())} ({status})")
    if got != want:
        print(f"  expected {want}\n  found    {got}")
        sys.exit(1)
PY
  echo
done
