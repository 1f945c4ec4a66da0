#!/usr/bin/env bash
# CI on macOS and Windows, where the Linux suite's gnome-keyring and D-Bus do
# not exist: a login, a `token` and a logout against the fake server with
# the platform's real keychain (macOS login keychain, Windows Credential
# Manager). Run after `cargo build --locked --workspace`; TOKENCTL_SMOKE_BIN
# names another tokenctl to test (a release's).
set -euo pipefail
cd "$(dirname "$0")/.."
exe=""
[ -f target/debug/tokenctl.exe ] && exe=.exe
work="$(mktemp -d)"
trap 'kill "$server" 2>/dev/null || true; rm -rf "$work"' EXIT

"target/debug/tokenctl-fake-server$exe" >"$work/server.out" &
server=$!
for _ in $(seq 50); do
  grep -q 'listening on' "$work/server.out" && break
  sleep 0.2
done
url="$(sed -n 's/.*listening on \(http[^ ]*\).*/\1/p' "$work/server.out" | head -n1)"
[ -n "$url" ] || { echo "error: the fake server did not start" >&2; exit 1; }

export TOKENCTL_CONFIG="$work/config.toml" TOKENCTL_STORE=keychain
profile="ci-smoke-$$"
bin="${TOKENCTL_SMOKE_BIN:-target/debug/tokenctl$exe}"
t() { "$bin" --profile "$profile" "$@"; }
t version
printf wonderland | t login --server "$url" -u alice --password-stdin
token="$(t token)"
[ -n "$token" ] || { echo "error: no token from the keychain" >&2; exit 1; }
t status
t logout
if t token >/dev/null 2>&1; then
  echo "error: the token outlived logout" >&2
  exit 1
fi
echo "keychain smoke test passed"
