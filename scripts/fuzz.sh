#!/usr/bin/env bash
# Runs every fuzz target for a bounded time (default 60 s each; first
# argument overrides; further arguments name the targets to run, default
# all of `cargo fuzz list`, answer_render among them: answer bytes through
# parse, the stored record and every renderer). Not part of CI. Needs
# cargo-fuzz (`cargo install cargo-fuzz`); RUSTC_BOOTSTRAP lets the stable
# toolchain accept the sanitizer flags cargo-fuzz passes. Prints the inputs
# each target ran.
set -euo pipefail
cd "$(dirname "$0")/.."
seconds="${1:-60}"
shift || true
command -v cargo-fuzz >/dev/null || cargo install cargo-fuzz --locked
export RUSTC_BOOTSTRAP=1
targets=("$@")
[ ${#targets[@]} -gt 0 ] || mapfile -t targets < <(cargo fuzz list)
summary=()
for target in "${targets[@]}"; do
  echo "== $target (${seconds}s)"
  log=$(mktemp)
  cargo fuzz run "$target" -- -max_total_time="$seconds" -rss_limit_mb=2048 2>&1 | tee "$log"
  runs=$(sed -n 's/^Done \([0-9]*\) runs.*/\1/p' "$log" | tail -n1)
  rm -f "$log"
  summary+=("$target: ${runs:-?} inputs")
done
printf '%s\n' "${summary[@]}"
echo "all fuzz targets ran ${seconds}s each with no crash"
