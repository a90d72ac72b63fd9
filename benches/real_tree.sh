#!/usr/bin/env bash
# Exports the trees listed in benches/real-repos.txt side by side into OUT, one folder per
# repository, for the benchmark's second tree.
#   benches/real_tree.sh OUT
# Env: MIRROR, a folder of bare clones named owner+name (or owner+name/repo); a repository
# missing there is cloned (bare) from GitHub into it.
set -euo pipefail
out=${1:?usage: benches/real_tree.sh OUT}
mirror=${MIRROR:-${TMPDIR:-/tmp}/twelve-bench-mirror}
list="$(dirname "$0")/real-repos.txt"
mkdir -p "$out" "$mirror"
grep -v '^#' "$list" | while read -r repo commit; do
  [ -n "$repo" ] || continue
  git_dir="$mirror/${repo/\//+}"
  [ -d "$git_dir/repo" ] && git_dir="$git_dir/repo"
  if [ ! -d "$git_dir" ]; then
    git clone --quiet --bare "https://github.com/$repo" "$git_dir"
  fi
  dest="$out/${repo/\//+}"
  rm -rf "$dest" && mkdir -p "$dest"
  # Not `git archive`: a mirror may lack its largest blobs (images, data); they are skipped.
  python3 - "$git_dir" "$commit" "$dest" <<'PY'
import os, subprocess, sys
git_dir, commit, dest = sys.argv[1:]
tree = subprocess.run(["git", "-C", git_dir, "ls-tree", "-r", "-z", commit],
                      check=True, capture_output=True).stdout.split(b"\0")
blobs = [(e.split(b"\t", 1)[0].split()[2], e.split(b"\t", 1)[1])
         for e in tree if e and e.split()[1] == b"blob" and not e.startswith(b"120000")]
cat = subprocess.Popen(["git", "-C", git_dir, "cat-file", "--batch"],
                       stdin=subprocess.PIPE, stdout=subprocess.PIPE)
for oid, path in blobs:
    cat.stdin.write(oid + b"\n")
    cat.stdin.flush()
    header = cat.stdout.readline().split()
    if header[1] == b"missing":
        continue
    data = cat.stdout.read(int(header[2]))
    cat.stdout.read(1)
    target = os.path.join(dest.encode(), path)
    os.makedirs(os.path.dirname(target), exist_ok=True)
    with open(target, "wb") as f:
        f.write(data)
PY
done
