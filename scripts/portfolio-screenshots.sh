#!/usr/bin/env bash
# Screenshots of `twelve portfolio` on the fixture apps, in headless Chromium (Debian's
# `chromium`): the matrix and a drill-down, at desktop and phone widths. The README's
# picture is docs/portfolio.png, made by this script.
#   scripts/portfolio-screenshots.sh [OUT_DIR]     (default: target/portfolio-screenshots)
set -euo pipefail
cd "$(dirname "$0")/.."
out="${1:-target/portfolio-screenshots}"
mkdir -p "$out/reports"
cargo build --quiet
twelve="${CARGO_TARGET_DIR:-target}/debug/twelve"
for app in fixtures/*/; do
  name="$(basename "$app")"
  [ "$name" = odd-files ] && continue
  "$twelve" check "$app" --format json --repository "fixtures/$name" --output "$out/reports/$name.json" >/dev/null || true
done
"$twelve" portfolio "$out/reports" --output "$out/portfolio.html"
shot() { # width height file url
  timeout 60 chromium --headless --no-sandbox --disable-gpu --hide-scrollbars \
    --window-size="$1,$2" --screenshot="$3" "$4" 2>/dev/null
}
page="file://$(realpath "$out/portfolio.html")"
shot 1280 1000 "$out/matrix-desktop.png" "$page"
shot 390 1400 "$out/matrix-phone.png" "$page"
# A drill-down: one app's page (`twelve check --format html`, the portfolio's templates
# with the drill-down open; headless screenshots cannot scroll to an anchor).
"$twelve" check fixtures/flask-violations --format html --repository fixtures/flask-violations \
  --output "$out/flask-violations.html" >/dev/null || true
app="file://$(realpath "$out/flask-violations.html")"
shot 1280 1600 "$out/drill-down-desktop.png" "$app"
shot 390 2400 "$out/drill-down-phone.png" "$app"
mkdir -p docs
cp "$out/matrix-desktop.png" docs/portfolio.png
echo "screenshots in $out; docs/portfolio.png updated"
