#!/usr/bin/env bash
# The benchmark suite: builds release, then runs examples/bench.rs, which
# writes bench/RESULTS.md. Needs gnome-keyring, dbus, curl, jq, valgrind
# (callgrind counts instructions) and the gcloud SDK's gke-gcloud-auth-plugin
# (installs the Debian ones if missing; the plugin is looked for at
# /usr/lib/google-cloud-sdk/bin). --before takes an older tokenctl binary and
# adds its figures beside the new ones.
# Usage: bench/run.sh [--runs N] [--out FILE] [--before OLD_TOKENCTL]
set -euo pipefail
cd "$(dirname "$0")/.."
missing=()
for t in /usr/bin/time:time gnome-keyring-daemon:gnome-keyring dbus-daemon:dbus-daemon dbus-send:dbus-bin secret-tool:libsecret-tools curl:curl jq:jq valgrind:valgrind; do
  command -v "${t%%:*}" >/dev/null 2>&1 || missing+=("${t#*:}")
done
if ((${#missing[@]})); then
  sudo=""; [ "$(id -u)" = 0 ] || sudo=sudo
  $sudo apt-get update -qq && DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi
cargo build --release --bin tokenctl
exec cargo run --release --example bench -- "$@"
