#!/bin/sh
# Installs tokenctl from its release artifacts, for the current user (no sudo):
#
#   curl -fsSL https://github.com/tokenctl/tokenctl/releases/latest/download/install.sh | sh
#
# Downloads SHA256SUMS and the tarball for this OS and CPU from
# $TOKENCTL_INSTALL_URL (default: the latest GitHub release), refuses a
# tarball whose checksum does not match or is not listed, then installs
#   the binary      PREFIX/bin/tokenctl             (PREFIX: ~/.local, or --prefix DIR)
#   man pages       DATA/man/man1/                  (DATA: $XDG_DATA_HOME or ~/.local/share;
#   bash completion DATA/bash-completion/completions/tokenctl    PREFIX/share with --prefix)
#   zsh completion  DATA/zsh/site-functions/_tokenctl
#   fish completion DATA/fish/vendor_completions.d/tokenctl.fish
# and records what it wrote, for --uninstall. Running it again replaces the
# same files.
#
# Options: --prefix DIR, --version VERSION (default: the newest), --uninstall,
# --help. Pass them through a pipe with `sh -s -- --prefix DIR`.
set -eu

REPO_URL="https://github.com/tokenctl/tokenctl"

say() { printf 'tokenctl install: %s\n' "$*" >&2; }
die() {
  printf 'tokenctl install: error: %s\n' "$*" >&2
  exit 1
}

usage() {
  cat <<'EOF'
usage: install.sh [--prefix DIR] [--version VERSION] [--uninstall]

Installs tokenctl for this user: the binary to ~/.local/bin (DIR/bin with
--prefix), man pages and shell completions under ~/.local/share (DIR/share).
Downloads from $TOKENCTL_INSTALL_URL (default: the GitHub release) and
refuses a file that SHA256SUMS does not vouch for. Safe to run again.
  --prefix DIR       install under DIR instead of ~/.local
  --version VERSION  a given release instead of the newest
  --uninstall        remove what an earlier run installed (same --prefix)
EOF
}

prefix=""
prefix_given=""
version="${TOKENCTL_VERSION:-}"
uninstall=0
while [ $# -gt 0 ]; do
  case "$1" in
    --prefix)
      [ $# -ge 2 ] || die "--prefix needs a directory"
      prefix="$2"
      shift 2
      ;;
    --prefix=*)
      prefix="${1#--prefix=}"
      shift
      ;;
    --version)
      [ $# -ge 2 ] || die "--version needs a version, e.g. --version 0.1.0"
      version="$2"
      shift 2
      ;;
    --version=*)
      version="${1#--version=}"
      shift
      ;;
    --uninstall)
      uninstall=1
      shift
      ;;
    -h | --help)
      usage
      exit 0
      ;;
    *) die "unknown option '$1' (see --help)" ;;
  esac
done
version="${version#v}"

if [ -n "$prefix" ]; then
  case "$prefix" in
    /*) ;;
    *) prefix="$(pwd)/$prefix" ;;
  esac
  prefix_given=" --prefix $prefix"
  data="$prefix/share"
else
  [ -n "${HOME:-}" ] || die "HOME is not set; pass --prefix DIR"
  prefix="$HOME/.local"
  data="${XDG_DATA_HOME:-$HOME/.local/share}"
fi
bindir="$prefix/bin"
mandir="$data/man/man1"
manifest="$data/tokenctl/installed-files"

if [ "$uninstall" = 1 ]; then
  removed=0
  if [ -f "$manifest" ]; then
    while IFS= read -r file; do
      case "$file" in
        "$prefix"/* | "$data"/*) ;;
        *) continue ;; # only what this prefix holds
      esac
      if [ -e "$file" ] || [ -L "$file" ]; then
        rm -f "$file"
        removed=$((removed + 1))
      fi
    done <"$manifest"
    rm -f "$manifest"
    rmdir "$data/tokenctl" 2>/dev/null || true
  elif [ -e "$bindir/tokenctl" ]; then
    # Installed some other way, or the record is gone: the fixed names.
    for file in "$bindir/tokenctl" "$mandir"/tokenctl.1 "$mandir"/tokenctl-*.1 \
      "$data/bash-completion/completions/tokenctl" "$data/zsh/site-functions/_tokenctl" \
      "$data/fish/vendor_completions.d/tokenctl.fish"; do
      if [ -e "$file" ]; then
        rm -f "$file"
        removed=$((removed + 1))
      fi
    done
  fi
  if [ "$removed" = 0 ]; then
    say "nothing to remove: no tokenctl installed under $prefix"
  else
    say "removed tokenctl ($removed files) from $prefix"
  fi
  exit 0
fi

# The machine: the names the release artifacts carry.
os="$(uname -s 2>/dev/null || echo unknown)"
cpu="$(uname -m 2>/dev/null || echo unknown)"
case "$cpu" in
  x86_64 | amd64) arch=x86_64 ;;
  aarch64 | arm64) arch=aarch64 ;;
  *) arch="" ;;
esac
case "$os" in
  Linux) sys=unknown-linux-gnu ;;
  Darwin) sys=apple-darwin ;;
  *) sys="" ;;
esac
if [ -z "$arch" ] || [ -z "$sys" ]; then
  die "unsupported platform: $os $cpu (release builds exist for Linux and macOS on x86_64 and aarch64, and Windows x86_64 as a zip); build from source with \`cargo install --locked tokenctl\`"
fi
# --- Linux: the glibc build needs glibc 2.28 or later; where glibc is older
# (RHEL 7: 2.17) or absent (musl: Alpine, many containers) the static build
# (unknown-linux-musl), which needs nothing from the system (issue 26).
glibc_floor=2.28
glibc_version() {
  v="$(getconf GNU_LIBC_VERSION 2>/dev/null | awk '$1 == "glibc" { print $2 }')"
  if [ -z "$v" ] && command -v ldd >/dev/null 2>&1; then
    v="$(ldd --version 2>&1 | head -n1 | grep -i -e glibc -e 'gnu libc' | awk '{ print $NF }')"
  fi
  printf '%s' "$v"
}
# at_least VERSION FLOOR: dotted numbers compared field by field.
at_least() {
  awk -v a="$1" -v b="$2" 'BEGIN { n = split(a, x, "."); m = split(b, y, ".")
    for (i = 1; i <= (n > m ? n : m); i++) { if (x[i] + 0 != y[i] + 0) exit !(x[i] + 0 > y[i] + 0) }
    exit 0 }'
}
if [ "$sys" = unknown-linux-gnu ]; then
  glibc="$(glibc_version)"
  if [ -z "$glibc" ]; then
    sys=unknown-linux-musl
    say "no glibc found (musl?): installing the static build"
  elif ! at_least "$glibc" "$glibc_floor"; then
    sys=unknown-linux-musl
    say "glibc $glibc is older than $glibc_floor: installing the static build"
  fi
fi
# --- end of the static pick
target="$arch-$sys"

if command -v curl >/dev/null 2>&1; then
  fetch() { curl -fsSL --retry 2 --connect-timeout 10 -o "$2" "$1"; }
elif command -v wget >/dev/null 2>&1; then
  fetch() { wget -q -T 10 -t 2 -O "$2" "$1"; }
else
  die "neither curl nor wget found: install one of them (e.g. \`apt install curl\`, \`dnf install curl\`) and run this again"
fi

if command -v sha256sum >/dev/null 2>&1; then
  sha256() { sha256sum "$1" | cut -d' ' -f1; }
elif command -v shasum >/dev/null 2>&1; then
  sha256() { shasum -a 256 "$1" | cut -d' ' -f1; }
elif command -v openssl >/dev/null 2>&1; then
  sha256() { openssl dgst -sha256 -r "$1" | cut -d' ' -f1; }
else
  die "no sha256sum, shasum or openssl found to verify the download; install coreutils"
fi

if [ -n "${TOKENCTL_INSTALL_URL:-}" ]; then
  base="${TOKENCTL_INSTALL_URL%/}"
elif [ -n "$version" ]; then
  base="$REPO_URL/releases/download/v$version"
else
  base="$REPO_URL/releases/latest/download"
fi

tmp="$(mktemp -d 2>/dev/null || mktemp -d -t tokenctl)"
trap 'rm -rf "$tmp"' EXIT
trap 'exit 130' INT TERM HUP

fetch "$base/SHA256SUMS" "$tmp/SHA256SUMS" ||
  die "cannot download $base/SHA256SUMS: check the address and your network (TOKENCTL_INSTALL_URL, proxy settings)"

# The artifact's name: given by the version, else the one SHA256SUMS lists.
if [ -n "$version" ]; then
  artifact="tokenctl-$version-$target.tar.gz"
else
  artifact="$(awk -v t="-$target.tar.gz" '{ f = $2; sub(/^\*/, "", f) }
    substr(f, 1, 9) == "tokenctl-" && length(f) > length(t) && substr(f, length(f) - length(t) + 1) == t { print f; exit }' "$tmp/SHA256SUMS")"
  [ -n "$artifact" ] ||
    die "$base/SHA256SUMS lists no tokenctl build for $target; nothing installed"
fi
expected="$(awk -v f="$artifact" '$2 == f || $2 == "*" f { print $1; exit }' "$tmp/SHA256SUMS")"
[ -n "$expected" ] ||
  die "$base/SHA256SUMS has no line for $artifact: refusing to install a file that cannot be verified; nothing installed"

say "downloading $base/$artifact"
fetch "$base/$artifact" "$tmp/$artifact" || die "cannot download $base/$artifact"
actual="$(sha256 "$tmp/$artifact")"
[ "$actual" = "$expected" ] ||
  die "checksum mismatch for $artifact: SHA256SUMS says $expected, the download is $actual; refusing to install it (nothing installed)"

mkdir "$tmp/x"
(cd "$tmp/x" && gzip -dc "../$artifact" | tar -xf -) || die "cannot unpack $artifact"
src="$tmp/x/${artifact%.tar.gz}"
[ -f "$src/tokenctl" ] || die "$artifact holds no tokenctl binary"

# Replaces each file by a rename, so a running tokenctl keeps its copy and
# an interrupted install leaves either the old file or the new one.
installed=""
# The new file gets a fresh name of its own (mktemp creates it exclusively),
# so a name planted in a shared prefix is never written through; the rename
# replaces a planted link at the final name instead of following it.
put() { # put SRC DIR NAME MODE
  mkdir -p "$2"
  new="$(mktemp "$2/.$3.XXXXXX")" || die "cannot create a file in $2"
  cat "$1" >"$new" || { rm -f "$new"; die "cannot write $new"; }
  chmod "$4" "$new"
  mv -f "$new" "$2/$3"
  installed="$installed$2/$3
"
}
put "$src/tokenctl" "$bindir" tokenctl 755
for page in "$src"/man/*.1; do
  [ -f "$page" ] && put "$page" "$mandir" "$(basename "$page")" 644
done
put "$src/completions/tokenctl.bash" "$data/bash-completion/completions" tokenctl 644
put "$src/completions/_tokenctl" "$data/zsh/site-functions" _tokenctl 644
put "$src/completions/tokenctl.fish" "$data/fish/vendor_completions.d" tokenctl.fish 644
mkdir -p "$data/tokenctl"
printf '%s' "$installed" >"$manifest"

"$bindir/tokenctl" --version >/dev/null 2>&1 ||
  say "warning: $bindir/tokenctl does not run on this machine (\`$bindir/tokenctl --version\` failed)"
say "installed $("$bindir/tokenctl" --version 2>/dev/null || echo tokenctl) to $bindir/tokenctl"
case ":${PATH:-}:" in
  *":$bindir:"*) ;;
  *)
    say "$bindir is not on PATH; add it, e.g. in ~/.profile or your shell's rc file:"
    say "  export PATH=\"$bindir:\$PATH\""
    ;;
esac
say "zsh: add \`fpath+=($data/zsh/site-functions)\` before compinit for completion"
say "remove it again with: sh install.sh --uninstall$prefix_given"
