#!/usr/bin/env bash
# Release artifacts, into target/dist/:
#   tokenctl-VERSION-TARGET.tar.gz   binary, man pages, completions, licences, README, docs
#   tokenctl_VERSION-1_ARCH.deb      (cargo-deb)           } Linux targets only
#   tokenctl-VERSION-1.ARCH.rpm      (cargo-generate-rpm)  }
#   SHA256SUMS                       over all of them
#
# Usage: scripts/dist.sh [TARGET]   (default: this machine's, e.g.
# x86_64-unknown-linux-gnu; also aarch64-unknown-linux-gnu, and on a Mac
# {aarch64,x86_64}-apple-darwin, which make the tarball only).
#        scripts/dist.sh all        (Linux x86_64: every platform built here,
# see "Other platforms" below)
#
# Linux binaries link against glibc 2.28 (RHEL 8, Debian 10, Ubuntu 20.04)
# whatever the build machine has: `cargo zigbuild` links with zig's bundled
# glibc stubs of the version named after the target (TARGET.2.28), with
# the Rust toolchain that is installed (rustup's target for TARGET must be
# there). Needs cargo-zigbuild and zig (PyPI `cargo-zigbuild`, `ziglang`),
# cargo-deb, cargo-generate-rpm, at the versions in scripts/tool-versions;
# names every one missing, with the commands that install it, before it
# builds anything. ./scripts/test.sh installs them.
set -euo pipefail
cd "$(dirname "$0")/.."
# The tools' versions as tested (not followed by shellcheck: plain NAME=value).
# shellcheck source=/dev/null
. scripts/tool-versions

GLIBC_FLOOR=2.28
arch=$(uname -m | sed 's/^arm64$/aarch64/; s/^amd64$/x86_64/')
case "$(uname -s)" in
  Darwin) host="$arch-apple-darwin" ;;
  *) host="$arch-unknown-linux-gnu" ;;
esac
target=${1:-$host}
version=$(sed -n 's/^version = "\(.*\)"$/\1/p' Cargo.toml | head -n1)
[ -n "$version" ] || { echo "error: no version in Cargo.toml" >&2; exit 1; }

# --- Other platforms (issue 26), built on Linux x86_64 by scripts/cross.sh
# (std from source; zig or mingw-w64 links; `scripts/cross.sh setup` first):
#   tokenctl-VERSION-aarch64-unknown-linux-gnu.tar.gz, its .deb and .rpm
#   tokenctl-VERSION-{x86_64,aarch64}-unknown-linux-musl.tar.gz   static
#   tokenctl-VERSION-x86_64-pc-windows-gnu.zip                     Windows
# `all` makes this machine's artifacts, then these, with one SHA256SUMS;
# TOKENCTL_DIST_ADD=1 adds a target's artifacts to target/dist instead of
# starting afresh.
cross_targets="aarch64-unknown-linux-gnu x86_64-unknown-linux-musl aarch64-unknown-linux-musl x86_64-pc-windows-gnu"
if [ "$target" = all ]; then
  [ "$host" = x86_64-unknown-linux-gnu ] || { echo "error: scripts/dist.sh all runs on Linux x86_64" >&2; exit 2; }
  "$0" "$host"
  for t in $cross_targets; do TOKENCTL_DIST_ADD=1 "$0" "$t"; done
  exit 0
fi
cross=0
case " $cross_targets " in
  *" $target "*) [ "$target" = "$host" ] || cross=1 ;;
esac
# The Windows zip: the tarball's directory, entries in name order with the
# commit's time, so the same commit gives the same bytes.
pack_zip() {
  python3 - "$stage" "$name" "$dist/$name.zip" "$mtime" <<'PY'
import os, sys, time, zipfile
stage, name, out, mtime = sys.argv[1], sys.argv[2], sys.argv[3], int(sys.argv[4])
stamp = time.gmtime(max(mtime, 315532800))[:6]  # zip dates start in 1980
files = sorted(os.path.relpath(os.path.join(d, f), stage)
               for d, _, fs in os.walk(os.path.join(stage, name)) for f in fs)
with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as z:
    for rel in files:
        info = zipfile.ZipInfo(rel.replace(os.sep, "/"), stamp)
        info.compress_type = zipfile.ZIP_DEFLATED
        info.external_attr = (0o755 if rel.endswith(".exe") else 0o644) << 16
        with open(os.path.join(stage, rel), "rb") as f:
            z.writestr(info, f.read())
PY
}
# --- end of other platforms

case "$target" in
  *-linux-gnu) linux=1 ;;
  *-apple-darwin) linux=0 ;;
  *-linux-musl | *-windows-gnu) linux=0 ;; # tarball or zip only (cross=1)
  *) echo "error: scripts/dist.sh makes Linux (gnu) and macOS artifacts, not $target" >&2; exit 2 ;;
esac

# The PyPI tools live in a virtual environment (Debian 12's Python is
# externally managed: a plain `pip install` is refused). scripts/test.sh
# makes this one; it is used when it is there.
venv="${TOKENCTL_TEST_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/tokenctl-test}/venv"
if [ -x "$venv/bin/cargo-zigbuild" ]; then
  export PATH="$venv/bin:$PATH"
fi

# Every prerequisite first, all missing ones in one message.
have() { command -v "$1" >/dev/null 2>&1; }
missing=()
pypi=()
crates=()
have cargo || missing+=(cargo)
if [ "$linux" = 1 ]; then
  # cargo-zigbuild runs `zig`, else `python3 -m ziglang`.
  have zig || python3 -c 'import ziglang' >/dev/null 2>&1 || {
    missing+=(zig)
    pypi+=("ziglang==$ZIGLANG_VERSION")
  }
  have cargo-zigbuild || {
    missing+=(cargo-zigbuild)
    pypi+=("cargo-zigbuild==$CARGO_ZIGBUILD_VERSION")
  }
  have cargo-deb || {
    missing+=(cargo-deb)
    crates+=("cargo-deb@$CARGO_DEB_VERSION")
  }
  have cargo-generate-rpm || {
    missing+=(cargo-generate-rpm)
    crates+=("cargo-generate-rpm@$CARGO_GENERATE_RPM_VERSION")
  }
fi
rust_target=""
# Cross targets take std from source (scripts/cross.sh), not from rustup.
if [ "$cross" = 0 ] && have rustup && ! rustup target list --installed 2>/dev/null | grep -qx "$target"; then
  missing+=("the Rust target $target")
  rust_target=1
fi
if ((${#missing[@]})); then
  {
    list="${missing[*]}"
    echo "error: scripts/dist.sh needs what is not installed: ${list// /, }"
    echo "install it, at the versions tested (scripts/tool-versions); these commands work on Debian 12:"
    if ! have cargo; then
      echo "  Rust 1.89 or later, with rustup (Debian 12's own cargo is older)"
    fi
    if [ -n "$rust_target" ]; then
      echo "  rustup target add $target"
    fi
    if ((${#pypi[@]})); then
      echo "  python3 -m venv $venv      (Debian: apt install python3-venv)"
      echo "  $venv/bin/pip install ${pypi[*]}"
      echo "  (dist.sh puts $venv/bin on PATH itself)"
    fi
    if ((${#crates[@]})); then
      echo "  cargo install --locked ${crates[*]}"
    fi
    echo "or run ./scripts/test.sh, which installs them all"
  } >&2
  exit 1
fi

dist=target/dist
stage=target/dist-stage
name="tokenctl-$version-$target"
bin="target/$target/release/tokenctl"
# Archive timestamps: the commit's, so the same commit gives the same bytes.
mtime=$(git log -1 --format=%ct 2>/dev/null || date +%s)

start=$(date +%s)
if [ "$cross" = 1 ]; then
  built=$(scripts/cross.sh build "$target")
  case "$target" in *-windows-*) bin="$bin.exe" ;; esac
  mkdir -p "$(dirname "$bin")" && cp "$built" "$bin"
elif [ "$linux" = 1 ]; then
  cargo zigbuild --release --locked --bin tokenctl --target "$target.$GLIBC_FLOOR"
else
  cargo build --release --locked --bin tokenctl --target "$target"
fi
echo "dist: built $bin in $(($(date +%s) - start)) s" >&2

[ -n "${TOKENCTL_DIST_ADD:-}" ] || rm -rf "$dist"
rm -rf "$stage"
mkdir -p "$dist" "$stage/man" "$stage/$name/man" "$stage/$name/completions" "$stage/$name/docs"

# The tarball: a directory of its own name (cargo binstall's bin-dir).
cp "$bin" "$stage/$name/"
cp man/*.1 "$stage/$name/man/"
cp completions/* "$stage/$name/completions/"
cp README.md LICENSE-MIT LICENSE-APACHE "$stage/$name/"
cp docs/*.md "$stage/$name/docs/"
if [ "$cross" = 1 ] && [ "${target#*-windows-}" != "$target" ]; then
  pack_zip
elif tar --version 2>/dev/null | grep -q 'GNU tar'; then
  tar --sort=name --owner=0 --group=0 --numeric-owner --mtime="@$mtime" \
    -C "$stage" -cf - "$name" | gzip -9n >"$dist/$name.tar.gz"
else
  tar -C "$stage" -cf - "$name" | gzip -9n >"$dist/$name.tar.gz"
fi

if [ "$linux" = 1 ]; then
  # Packages carry gzipped man pages (Debian policy; rpm would gzip them too).
  for page in man/*.1; do
    gzip -9nc "$page" >"$stage/man/$(basename "$page").gz"
    touch -d "@$mtime" "$stage/man/$(basename "$page").gz"
  done
  # Already stripped by the release profile; cargo-deb's strip would need
  # the target's binutils.
  cargo deb --no-build --no-strip --target "$target" --output "$dist/" >/dev/null
  # xz payload: RHEL 8's rpm 4.14 reads it everywhere; zstd needs more.
  cargo generate-rpm --target "$target" --payload-compress xz --output "$dist/"
fi

(
  cd "$dist"
  rm -f SHA256SUMS
  if command -v sha256sum >/dev/null 2>&1; then
    sha256sum -- * >SHA256SUMS.tmp
  else
    shasum -a 256 -- * >SHA256SUMS.tmp
  fi
  mv SHA256SUMS.tmp SHA256SUMS
)
echo "dist: $(cd "$dist" && printf '%s ' *)in $(($(date +%s) - start)) s" >&2
