#!/usr/bin/env bash
# Packs a built twelve for one target as the release attaches it, and as the action
# downloads it: OUTDIR/twelve-TARGET.tar.gz (.zip on Windows), the binary at the top
# with the licences and README, and OUTDIR/twelve-TARGET.tar.gz.sha256 in
# `sha256sum --check` format.
# Usage: dist/package.sh TARGET BINARY OUTDIR
set -euo pipefail
target="$1" binary="$2" out="$3"
root="$(cd "$(dirname "$0")/.." && pwd)"
stage="$(mktemp -d)"
trap 'rm -rf "$stage"' EXIT
cp "$binary" "$stage/"
cp "$root/LICENSE-MIT" "$root/LICENSE-APACHE" "$root/README.md" "$stage/"
mkdir -p "$out"
out="$(cd "$out" && pwd)"
case "$target" in
  *windows*)
    archive="twelve-$target.zip"
    (cd "$stage" && 7z a -tzip -bso0 "$out/$archive" ./*)
    ;;
  *)
    archive="twelve-$target.tar.gz"
    tar -C "$stage" -czf "$out/$archive" .
    ;;
esac
cd "$out"
if command -v sha256sum > /dev/null; then
  sha256sum "$archive" > "$archive.sha256"
else
  shasum -a 256 "$archive" > "$archive.sha256"
fi
echo "$out/$archive"
