#!/usr/bin/env bash
# Step 3 of the action, when no release was used: `cargo install` the action's own
# checkout unless the cache restored the binary; `built=true` asks the last step to
# save the cache, even when the scan fails the job.
set -euo pipefail
root="$HOME/.twelve-action/cargo"
if [ "${CACHE_HIT:-}" != true ] || [ ! -x "$root/bin/twelve" ]; then
  cargo install --locked --path "$GITHUB_ACTION_PATH" --root "$root"
  echo "built=true" >> "$GITHUB_OUTPUT"
fi
echo "$root/bin" >> "$GITHUB_PATH"
