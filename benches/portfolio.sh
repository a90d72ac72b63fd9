#!/usr/bin/env bash
# Benchmark: `twelve portfolio` merging N generated reports (copies of the fixture apps'
# check reports under other repository names) into HTML and JSON.
#   benches/portfolio.sh [N]     (default 1000). Needs python3 and GNU time.
set -euo pipefail
cd "$(dirname "$0")/.."
n=${1:-1000}
cargo build --release --quiet
twelve="${CARGO_TARGET_DIR:-target}/release/twelve"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
mkdir -p "$work/fixtures" "$work/reports"
for app in fixtures/*/; do
  name=$(basename "$app")
  "$twelve" check "$app" --format json --repository "fixtures/$name" --output "$work/fixtures/$name.json" >/dev/null || true
done
python3 - "$work" "$n" <<'PY'
import glob, json, sys
work, n = sys.argv[1], int(sys.argv[2])
texts = [json.load(open(f)) for f in sorted(glob.glob(f"{work}/fixtures/*.json"))]
for i in range(n):
    report = dict(texts[i % len(texts)], repository={"name": f"org/app-{i:04}", "commit": None})
    json.dump(report, open(f"{work}/reports/app-{i:04}.json", "w"))
PY
for format in html json; do
  /usr/bin/time -f "$n reports -> $format: %e s, %M KB peak" \
    "$twelve" portfolio "$work/reports" --format "$format" --output "$work/portfolio.$format" 2>&1 | grep reports
  echo "  size: $(du -h "$work/portfolio.$format" | cut -f1)"
done
