#!/usr/bin/env bash
# Step 4 of the action: the text report in the log, the SARIF file, the annotations and
# job summary, and the outputs. The SARIF run's exit code decides the step.
set -euo pipefail

args=(check "$INPUT_PATH")
if [ -n "${INPUT_CONFIG:-}" ]; then args+=(--config "$INPUT_CONFIG"); fi
if [ -n "${INPUT_PLATFORMS:-}" ]; then args+=(--platform "$INPUT_PLATFORMS"); fi
if [ -n "${INPUT_BASELINE:-}" ]; then args+=(--baseline "$INPUT_BASELINE"); fi
if [ -n "${INPUT_DIFF_BASE:-}" ]; then args+=(--diff-base "$INPUT_DIFF_BASE"); fi
# Split on white space only: `read` expands no glob and runs nothing.
read -r -a extra <<< "${INPUT_ARGS:-}"
args+=(${extra[@]+"${extra[@]}"})  # bash 3.2 (macOS) calls an empty array unset
report="${RUNNER_TEMP:-/tmp}/twelve-report.json"

code=0
twelve "${args[@]}" --fail-on "$INPUT_FAIL_ON" --color always --format sarif --output "$INPUT_SARIF_FILE" || code=$?
if [ "$code" -ge 2 ]; then exit "$code"; fi
# Annotations (ranked and capped as GitHub shows them) on stdout, the job summary.
twelve "${args[@]}" --format github --fail-on never
twelve "${args[@]}" --format json --fail-on never --output "$report" --quiet > /dev/null

python3 - "$report" "$INPUT_PLATFORMS" >> "$GITHUB_OUTPUT" <<'PY'
import json, sys
doc = json.load(open(sys.argv[1]))
wanted = {h.strip() for h in sys.argv[2].split(",") if h.strip()}
# `platforms` holds the per-host report (absent when several paths are scanned).
verdicts = {
    p["host"]: p["verdict"]
    for p in doc.get("platforms", [])
    if not wanted or p["host"] in wanted
}
findings = doc["findings"]
print(f"findings={len(findings)}")
print(f"errors={doc['summary']['findings']['error']}")
print(f"verdicts={json.dumps(verdicts, separators=(',', ':'))}")
PY
echo "sarif-file=$INPUT_SARIF_FILE" >> "$GITHUB_OUTPUT"
exit "$code"
