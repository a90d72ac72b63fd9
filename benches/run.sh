#!/usr/bin/env bash
# Benchmark: twelve against ripgrep running the same patterns over the same files.
#   benches/run.sh [DIR]     DIR defaults to a generated 100,000-file tree (benches/gen_tree.py)
# Env: RUNS (default 5), TREE_FILES, TREE_MB (generator size). Needs rg, hyperfine and GNU time
# (Debian: apt-get install ripgrep hyperfine time). Prints a Markdown table for the README.
set -euo pipefail
cd "$(dirname "$0")/.."
runs=${RUNS:-5}
tree=${1:-${TMPDIR:-/tmp}/twelve-bench-tree}
for tool in rg hyperfine /usr/bin/time python3; do
  command -v "$tool" >/dev/null || { echo "missing $tool (apt-get install ripgrep hyperfine time)" >&2; exit 2; }
done
if [ ! -d "$tree" ]; then
  python3 benches/gen_tree.py "$tree" --files "${TREE_FILES:-100000}" --mb "${TREE_MB:-1000}"
fi
cargo build --release --quiet
twelve=target/release/twelve
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
"$twelve" rules --export-patterns > "$work/patterns"
# The same files for rg: hidden files too, and twelve's default excluded folders.
excludes=()
for dir in node_modules bower_components jspm_packages vendor target dist build out .venv venv \
  __pycache__ .tox .mypy_cache .pytest_cache .ruff_cache .next .nuxt .svelte-kit .parcel-cache \
  .cache coverage .gradle .idea .terraform .bundle .git; do
  excludes+=(-g "!$dir")
done
t2="$twelve check $tree --format json --fail-on never"
t1="$t2 --threads 1"
rgc="rg -U -c --hidden ${excludes[*]} -f $work/patterns $tree"
hyperfine --warmup 1 --runs "$runs" --ignore-failure --export-json "$work/times.json" \
  -n "twelve (2 threads)" "$t2 > /dev/null" -n "twelve (1 thread)" "$t1 > /dev/null" \
  -n "ripgrep" "$rgc > /dev/null" >&2
peak() { /usr/bin/time -f %M "$@" 2>&1 >/dev/null | tail -1; }
m_twelve=$(peak $t2)
m_rg=$(peak $rgc)
$t2 > "$work/report.json"
python3 - "$work/times.json" "$work/report.json" "$tree" "$m_twelve" "$m_rg" <<'PY'
import json, os, sys
times = {r["command"]: r for r in json.load(open(sys.argv[1]))["results"]}
report = json.load(open(sys.argv[2]))
tree, m_twelve, m_rg = sys.argv[3], int(sys.argv[4]), int(sys.argv[5])
t2, t1, rg = times["twelve (2 threads)"], times["twelve (1 thread)"], times["ripgrep"]
def cell(r):
    cpu = r["user"] + r["system"]
    return f"{r['median']:.2f} s | {cpu:.2f} s"
print(f"tree: {tree} ({report['summary']['files_scanned']} files scanned), {len(t2['times'])} runs, median wall, mean CPU")
print("| command | wall (median) | CPU (user+sys) | peak memory |")
print("|---|---|---|---|")
print(f"| twelve, 2 threads | {cell(t2)} | {m_twelve // 1024} MB |")
print(f"| twelve, 1 thread | {cell(t1)} | |")
print(f"| ripgrep, same patterns (`rg -U -f`) | {cell(rg)} | {m_rg // 1024} MB |")
print(f"\ntwelve / ripgrep wall: {t2['median'] / rg['median']:.2f}x; speedup 1 -> 2 threads: {t1['median'] / t2['median']:.2f}x")
expected = os.path.join(tree, ".bench-expected.json")
if os.path.exists(expected):
    want = json.load(open(expected))["findings"]
    got = {}
    for f in report["findings"]:
        if f["rule"] in want:
            got[f["rule"]] = got.get(f["rule"], 0) + 1
    status = "ok" if got == want else "MISMATCH"
    print(f"planted violations: expected {sum(want.values())}, found {sum(got.values())} ({status})")
    if got != want:
        print(f"  expected {want}\n  found    {got}")
        sys.exit(1)
PY
