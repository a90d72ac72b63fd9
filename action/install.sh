#!/usr/bin/env bash
# Step 1 of the action: put `twelve` on PATH. `auto` downloads the release for this
# runner (checking its SHA-256) and asks for a cargo build when there is none;
# `cargo` asks for the build (the next steps restore the cache, build and save it).
set -euo pipefail

say() { echo "twelve action: $*" >&2; }
output() { echo "$1=$2" >> "$GITHUB_OUTPUT"; }

install="${INPUT_INSTALL:-auto}"
case "$install" in
  auto | release | cargo | none) ;;
  *)
    echo "::error title=twelve action::unknown install value; use auto, release, cargo or none"
    say "unknown install value $(printf '%q' "$install"); use auto, release, cargo or none"
    exit 2
    ;;
esac

if [ "$install" = none ]; then
  if ! command -v twelve > /dev/null; then
    echo "::error title=twelve action::install is none but twelve is not on PATH"
    exit 2
  fi
  output build false
  exit 0
fi

# The runner's target triple, as the release workflow names its archives.
target() {
  local os="${RUNNER_OS:-$(uname -s)}" arch="${RUNNER_ARCH:-$(uname -m)}"
  case "$arch" in
    X64 | x86_64 | amd64) arch=x86_64 ;;
    ARM64 | aarch64 | arm64) arch=aarch64 ;;
    *) return 1 ;;
  esac
  case "$os" in
    Linux) echo "$arch-unknown-linux-musl" ;;
    macOS | Darwin) echo "$arch-apple-darwin" ;;
    Windows | MINGW* | MSYS*) [ "$arch" = x86_64 ] && echo "x86_64-pc-windows-msvc" ;;
    *) return 1 ;;
  esac
}

# The release to download: the `version` input, else the action's ref when it is a
# version tag (uses: twelve-lint/twelve@v0.1.0); empty when there is none to match.
release_tag() {
  local version="${INPUT_VERSION:-}" ref="${ACTION_REF:-}"
  if [ "$version" = latest ]; then
    echo latest
  elif [ -n "$version" ]; then
    echo "v${version#v}"
  elif [[ "$ref" =~ ^v[0-9]+\.[0-9]+\.[0-9]+([-+].*)?$ ]]; then
    echo "$ref"
  fi
}

sha256_check() {
  if command -v sha256sum > /dev/null; then
    sha256sum --check --status "$1"
  else
    shasum -a 256 --check --status "$1"
  fi
}

fetch() { curl --fail --silent --show-error --location --retry 2 -o "$2" "$1"; }

verify() {
  if sha256_check "$1.sha256"; then return 0; fi
  say "$1: the SHA-256 does not match $1.sha256; not using it"
  rm -f "$1"
  return 1
}

unpack() {
  case "$1" in
    *.zip) unzip -o -q "$1" ;;
    *) tar -xzf "$1" ;;
  esac && rm -f "$1" "$1.sha256"
}

# Downloads and unpacks the archive for $1 (tag) and $2 (target) into $3; fails on a
# missing asset or a wrong sum.
download() {
  local tag="$1" target="$2" dir="$3" repo base archive
  repo="${ACTION_REPOSITORY:-twelve-lint/twelve}"
  if [ "$tag" = latest ]; then
    base="https://github.com/$repo/releases/latest/download"
  else
    base="https://github.com/$repo/releases/download/$tag"
  fi
  base="${TWELVE_DOWNLOAD_URL:-$base}"
  archive="twelve-$target.tar.gz"
  [[ "$target" == *windows* ]] && archive="twelve-$target.zip"
  mkdir -p "$dir" || return 1
  # Called in a condition, where `set -e` does not apply: the steps are chained.
  (cd "$dir" \
    && fetch "$base/$archive" "$archive" \
    && fetch "$base/$archive.sha256" "$archive.sha256" \
    && verify "$archive" \
    && unpack "$archive")
}

if [ "$install" != cargo ]; then
  tag="$(release_tag)"
  triple="$(target || true)"
  dir="$HOME/.twelve-action/release/${tag:-none}-$triple"
  if [ -n "$tag" ] && [ -n "$triple" ]; then
    if [ -x "$dir/twelve" ] || [ -x "$dir/twelve.exe" ] || download "$tag" "$triple" "$dir"; then
      echo "$dir" >> "$GITHUB_PATH"
      say "using the $tag release for $triple"
      output build false
      exit 0
    fi
    reason="no $tag release archive for $triple could be downloaded and checked"
  elif [ -z "$triple" ]; then
    reason="no release is built for this runner (${RUNNER_OS:-?} ${RUNNER_ARCH:-?})"
  else
    reason="the action's ref ${ACTION_REF:-(none)} is not a version tag and no version is given"
  fi
  if [ "$install" = release ]; then
    echo "::error title=twelve action::install is release but $reason"
    exit 1
  fi
  say "$reason; building with cargo"
fi

sum=$(cd "$GITHUB_ACTION_PATH" && cat Cargo.toml Cargo.lock build.rs $(find src rules -type f | LC_ALL=C sort) | sha256sum | cut -c1-16)
output cache-key "twelve-${RUNNER_OS:-$(uname -s)}-${RUNNER_ARCH:-$(uname -m)}-$sum"
output build true
