#!/usr/bin/env bash
# The whole test suite: README's test command, and what .ci/run calls.
# Keychain tests start their own private D-Bus session and gnome-keyring per
# test, so they need those programs installed; browser-login tests drive curl
# and a headless Chromium; the man-page test renders with man; kubectl tests
# run every real kubectl found (tests/common: TOKENCTL_TEST_KUBECTL, the gcloud
# SDK's, PATH). This installs whatever is missing (Debian: apt, root or sudo).
set -euo pipefail
cd "$(dirname "$0")/.."

# tool -> Debian package
declare -A need_pkg=(
  [dbus-daemon]=dbus-daemon
  [dbus-send]=dbus-bin
  [gnome-keyring-daemon]=gnome-keyring
  [secret-tool]=libsecret-tools
  [chromium]=chromium
  [curl]=curl
  [man]=man-db
  [groff]=groff-base
)
missing=()
for tool in "${!need_pkg[@]}"; do
  command -v "$tool" >/dev/null 2>&1 || missing+=("${need_pkg[$tool]}")
done
# No kubectl at all: Debian's kubernetes-client (1.20, ExecCredential v1beta1 only).
if [ -z "${TOKENCTL_TEST_KUBECTL:-}" ] && ! command -v kubectl >/dev/null 2>&1 \
  && ! compgen -G '/usr/lib/google-cloud-sdk/bin/kubectl.1.*' >/dev/null; then
  missing+=(kubernetes-client)
fi
if ((${#missing[@]})); then
  echo "installing test dependencies: ${missing[*]}" >&2
  if [ "$(id -u)" = 0 ]; then sudo=""; elif command -v sudo >/dev/null; then sudo="sudo"; else
    echo "error: install these Debian packages first: ${missing[*]}" >&2
    exit 1
  fi
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

exec cargo test --workspace --locked "$@"
