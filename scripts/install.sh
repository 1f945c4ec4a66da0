#!/bin/sh
# Installs tokenctl from its release artifacts, for the current user (no sudo).
# tokenctl has no public release location: the source is named, either a
# release mirror your organisation hosts (install.sh is published beside
# the artifacts) or a directory of `scripts/dist.sh` output:
#
#   curl -fsSL https://releases.example.com/tokenctl/install.sh | sh -s -- --from https://releases.example.com/tokenctl
#   ./scripts/dist.sh && sh scripts/install.sh --from target/dist
#
# Takes SHA256SUMS and the tarball for this OS and CPU from there, refuses a
# tarball whose checksum does not match or is not listed, then installs
#   the binary      PREFIX/bin/tokenctl             (PREFIX: ~/.local, or --prefix DIR)
#   man pages       DATA/man/man1/                  (DATA: $XDG_DATA_HOME or ~/.local/share;
#   bash completion DATA/bash-completion/completions/tokenctl    PREFIX/share with --prefix)
#   zsh completion  DATA/zsh/site-functions/_tokenctl
#   fish completion DATA/fish/vendor_completions.d/tokenctl.fish
# and records what it wrote in DATA/tokenctl/installed-files, for
# --uninstall. Running it again replaces the same files.
#
# A prefix may be shared with other users: every file is written under a
# fresh name and renamed into place, a directory below the prefix that is a
# symbolic link is refused, and --uninstall removes only the files this
# installer writes, by their own names, never through a link.
#
# Options: --from URL|DIR, --prefix DIR, --version VERSION (default: the
# newest the source lists), --no-bashrc, --uninstall, --help. Pass them through a pipe
# with `sh -s -- --from URL`.
set -eu

say() { printf 'tokenctl install: %s\n' "$*" >&2; }
die() {
  printf 'tokenctl install: error: %s\n' "$*" >&2
  exit 1
}
# A usage error: exit 2 (docs/exit-codes.md).
usage_error() {
  printf 'tokenctl install: error: %s\n' "$*" >&2
  exit 2
}

usage() {
  cat <<'EOF'
usage: install.sh --from URL|DIR [--prefix DIR] [--version VERSION]
       install.sh --uninstall [--prefix DIR]

Installs tokenctl for this user: the binary to ~/.local/bin (DIR/bin with
--prefix), man pages and shell completions under ~/.local/share (DIR/share).
Takes the release from the source you name and refuses a file that its
SHA256SUMS does not vouch for. Safe to run again.
  --from URL|DIR     where the release is: the address of a release mirror
                     your organisation hosts (the directory holding
                     SHA256SUMS and the tarballs), or a directory of
                     scripts/dist.sh output (target/dist); default:
                     $TOKENCTL_INSTALL_URL
  --prefix DIR       install under DIR instead of ~/.local
  --version VERSION  a given release instead of the newest
  --uninstall        remove what an earlier run installed (same --prefix)
  --no-bashrc        without the bash-completion package, do not add the
                     line that loads tokenctl's bash completion to ~/.bashrc
EOF
}

no_source() {
  cat >&2 <<'EOF'
tokenctl install: error: no source given: tokenctl has no public release location, so name where its release is, with --from (or TOKENCTL_INSTALL_URL):
  a release mirror your organisation hosts:
    curl -fsSL https://releases.example.com/tokenctl/install.sh | sh -s -- --from https://releases.example.com/tokenctl
  or artifacts built from a checkout of the source:
    ./scripts/dist.sh && sh scripts/install.sh --from target/dist
EOF
  exit 2
}

prefix=""
prefix_given=""
from="${TOKENCTL_INSTALL_URL:-}"
version="${TOKENCTL_VERSION:-}"
uninstall=0
bashrc=1
while [ $# -gt 0 ]; do
  case "$1" in
    --from)
      [ $# -ge 2 ] || usage_error "--from needs a URL or a directory, e.g. --from target/dist"
      from="$2"
      shift 2
      ;;
    --from=*)
      from="${1#--from=}"
      shift
      ;;
    --prefix)
      [ $# -ge 2 ] || usage_error "--prefix needs a directory"
      prefix="$2"
      shift 2
      ;;
    --prefix=*)
      prefix="${1#--prefix=}"
      shift
      ;;
    --version)
      [ $# -ge 2 ] || usage_error "--version needs a version, e.g. --version 0.1.0"
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
    --no-bashrc)
      bashrc=0
      shift
      ;;
    -h | --help)
      usage
      exit 0
      ;;
    *) usage_error "unknown option '$1' (see --help)" ;;
  esac
done
version="${version#v}"

# tidy DIR: DIR without `.`, `..` and doubled slashes, worked out from the
# name alone (as `cd` does), so a directory has one spelling whether it
# exists yet or not: the manifest an install writes names the files the
# way --uninstall looks for them.
tidy() {
  out=""
  rest="${1#/}"
  while [ -n "$rest" ]; do
    part="${rest%%/*}"
    case "$rest" in
      */*) rest="${rest#*/}" ;;
      *) rest="" ;;
    esac
    case "$part" in
      "" | .) ;;
      ..) out="${out%/*}" ;;
      *) out="$out/$part" ;;
    esac
  done
  printf '%s\n' "${out:-/}"
}

# Roots are the user's choice and may be symbolic links; no directory below
# a root may be (dir_ok). With --prefix DIR the root is DIR, which may be
# shared with other users; by default the roots are ~/.local/bin and the
# data directory, the user's own.
if [ -n "$prefix" ]; then
  case "$prefix" in
    /*) ;;
    *) prefix="$(pwd)/$prefix" ;;
  esac
  prefix="$(tidy "$prefix")"
  prefix_given=" --prefix $prefix"
  bin_root="$prefix"
  bin_rel=bin
  data_root="$prefix"
  data_rel=share
else
  [ -n "${HOME:-}" ] || usage_error "HOME is not set; pass --prefix DIR"
  prefix="$(tidy "$HOME/.local")"
  bin_root="$prefix/bin"
  bin_rel=""
  case "${XDG_DATA_HOME:-}" in
    /*) data_root="$(tidy "$XDG_DATA_HOME")" ;;
    *) data_root="$prefix/share" ;; # unset, or relative (which XDG says to ignore)
  esac
  data_rel=""
fi
bindir="$bin_root${bin_rel:+/$bin_rel}"
data="$data_root${data_rel:+/$data_rel}"
mandir="$data/man/man1"
bashdir="$data/bash-completion/completions"
zshdir="$data/zsh/site-functions"
fishdir="$data/fish/vendor_completions.d"
recorddir="$data/tokenctl"
manifest="$recorddir/installed-files"

# sub REL: REL below the data root.
sub() { printf '%s%s\n' "${data_rel:+$data_rel/}" "$1"; }

# dir_ok ROOT REL: every directory from ROOT down to ROOT/REL that exists
# is a directory and not a symbolic link (which another user of a shared
# prefix could have planted to send the files elsewhere). Otherwise prints
# what is wrong with the first one and fails.
dir_ok() {
  path="$1"
  rest="$2"
  while [ -n "$rest" ]; do
    part="${rest%%/*}"
    case "$rest" in
      */*) rest="${rest#*/}" ;;
      *) rest="" ;;
    esac
    [ -n "$part" ] || continue
    path="$path/$part"
    if [ -L "$path" ]; then
      printf '%s is a symbolic link\n' "$path"
      return 1
    fi
    if [ ! -e "$path" ]; then
      return 0
    fi
    if [ ! -d "$path" ]; then
      printf '%s is not a directory\n' "$path"
      return 1
    fi
  done
  return 0
}

# each_dir CMD: CMD ROOT REL for each directory the install writes into.
each_dir() {
  "$1" "$bin_root" "$bin_rel"
  "$1" "$data_root" "$(sub man/man1)"
  "$1" "$data_root" "$(sub bash-completion/completions)"
  "$1" "$data_root" "$(sub zsh/site-functions)"
  "$1" "$data_root" "$(sub fish/vendor_completions.d)"
  "$1" "$data_root" "$(sub tokenctl)"
}

check_dir() {
  why="$(dir_ok "$1" "$2")" ||
    die "$why: refusing to install through it (in a directory others can write to, it may have been planted to send the files elsewhere); remove it, or install with --prefix into a directory only you can write to"
}

# make_dir ROOT REL: ROOT (made if missing), then each directory down to
# ROOT/REL, made one at a time, none a link.
make_dir() {
  mkdir -p -- "$1" || die "cannot create the directory $1"
  path="$1"
  rest="$2"
  while [ -n "$rest" ]; do
    part="${rest%%/*}"
    case "$rest" in
      */*) rest="${rest#*/}" ;;
      *) rest="" ;;
    esac
    [ -n "$part" ] || continue
    path="$path/$part"
    if [ ! -d "$path" ] && [ ! -L "$path" ]; then
      mkdir -- "$path" || die "cannot create the directory $path"
    fi
    if [ -L "$path" ] || [ ! -d "$path" ]; then
      die "$path is a symbolic link or not a directory: refusing to install through it"
    fi
  done
}

# ours FILE: FILE is one of the names this installer writes, spelled as it
# writes them (no `..`, no other directory, no odd characters).
ours() {
  case "$1" in
    "$bindir/tokenctl" | "$bashdir/tokenctl" | "$zshdir/_tokenctl" | "$fishdir/tokenctl.fish" | "$mandir/tokenctl.1")
      return 0
      ;;
    "$mandir"/tokenctl-*.1)
      page="${1#"$mandir"/}"
      case "$page" in
        *[!a-z0-9.-]* | *..*) return 1 ;;
      esac
      return 0
      ;;
  esac
  return 1
}

# --- bash completion without the bash-completion package ---------------
# bash itself never reads DATA/bash-completion/completions: the
# bash-completion package does, when a completion is first asked for.
# Without that package, one line in ~/.bashrc (guarded, added once, marked,
# removed again by --uninstall) loads tokenctl's script; --no-bashrc leaves
# ~/.bashrc alone and prints the line instead. An existing ~/.bashrc only:
# none is created.
bashrc_mark="# tokenctl completion: added by install.sh, removed by install.sh --uninstall"
bashrc_file="${HOME:-}/.bashrc"
bashrc_line() {
  # shellcheck disable=SC2016 # ${BASH_VERSION-} is for bash to expand, in ~/.bashrc
  printf '[ -n "${BASH_VERSION-}" ] && [ -r %s ] && . %s %s\n' \
    "'$bashdir/tokenctl'" "'$bashdir/tokenctl'" "$bashrc_mark"
}
has_bash_completion() {
  for f in /usr/share/bash-completion/bash_completion /etc/bash_completion \
    /usr/local/share/bash-completion/bash_completion /usr/local/etc/profile.d/bash_completion.sh \
    /opt/homebrew/etc/profile.d/bash_completion.sh /opt/local/share/bash-completion/bash_completion; do
    [ -r "$f" ] && return 0
  done
  return 1
}
bashrc_setup() {
  has_bash_completion && return 0
  case "$bashdir" in
    *"'"*)
      say "bash: no bash-completion package here, and $bashdir has a quote in it: source $bashdir/tokenctl from ~/.bashrc yourself"
      return 0
      ;;
  esac
  line="$(bashrc_line)"
  if [ "$bashrc" = 0 ] || [ -z "${HOME:-}" ] || [ ! -f "$bashrc_file" ] || [ ! -O "$bashrc_file" ]; then
    say "bash: no bash-completion package here; for completion, add this line to ~/.bashrc (or install bash-completion):"
    say "  $line"
    return 0
  fi
  if grep -qxF -- "$line" "$bashrc_file"; then
    say "bash: ~/.bashrc already loads tokenctl's completion"
    return 0
  fi
  # A file that does not end in a newline gets one first.
  if [ -s "$bashrc_file" ] && [ -n "$(tail -c 1 "$bashrc_file")" ]; then
    printf '\n' >>"$bashrc_file" || die "cannot write $bashrc_file"
  fi
  printf '%s\n' "$line" >>"$bashrc_file" || die "cannot write $bashrc_file"
  say "bash: no bash-completion package here, so ~/.bashrc now loads tokenctl's completion (one marked line; --no-bashrc skips it, --uninstall removes it); open a new shell to use it"
}
# Removes this install's line (only it: another prefix's stays); the file
# is rewritten in place, so a ~/.bashrc that is a link to dotfiles stays one.
bashrc_remove() {
  [ -n "${HOME:-}" ] && [ -f "$bashrc_file" ] && [ -O "$bashrc_file" ] || return 0
  line="$(bashrc_line)"
  grep -qxF -- "$line" "$bashrc_file" || return 0
  kept="$(mktemp 2>/dev/null || mktemp -t tokenctl)" || die "cannot create a temporary file"
  grep -vxF -- "$line" "$bashrc_file" >"$kept" || true
  cat -- "$kept" >"$bashrc_file" || {
    rm -f -- "$kept"
    die "cannot rewrite $bashrc_file: remove the line ending in \"$bashrc_mark\" yourself"
  }
  rm -f -- "$kept"
  say "removed the line that loaded tokenctl's completion from ~/.bashrc"
}
# --- end of bash completion ---------------------------------------------

if [ "$uninstall" = 1 ]; then
  removed=0
  ignored=0
  left=""
  listed="$(mktemp 2>/dev/null || mktemp -t tokenctl)"
  trap 'rm -f "$listed"' EXIT
  trap 'exit 130' INT TERM HUP
  # Which files: those the manifest lists (a file, not a link, in a
  # directory that is no link), else the names an install writes.
  manifest_used=0
  if why="$(dir_ok "$data_root" "$(sub tokenctl)")"; then
    if [ -f "$manifest" ] && [ ! -L "$manifest" ]; then
      manifest_used=1
    fi
  else
    left="$left
  $why"
  fi
  if [ "$manifest_used" = 1 ]; then
    cat -- "$manifest" >"$listed"
  else
    for file in "$bindir/tokenctl" "$mandir"/tokenctl.1 "$mandir"/tokenctl-*.1 "$bashdir/tokenctl" \
      "$zshdir/_tokenctl" "$fishdir/tokenctl.fish"; do
      if [ -e "$file" ] || [ -L "$file" ]; then
        printf '%s\n' "$file"
      fi
    done >"$listed"
  fi
  while IFS= read -r file; do
    if ! ours "$file"; then
      ignored=$((ignored + 1))
      continue
    fi
    dir="${file%/*}"
    if [ "$dir" = "$bindir" ]; then
      why="$(dir_ok "$bin_root" "$bin_rel")" || why="${why:-?}"
    else
      why="$(dir_ok "$data_root" "${dir#"$data_root"/}")" || why="${why:-?}"
    fi
    if [ -n "$why" ]; then
      case "$left" in
        *"$why"*) ;;
        *) left="$left
  $why" ;;
      esac
      continue
    fi
    if [ -L "$file" ] || [ -f "$file" ]; then
      rm -f -- "$file"
      removed=$((removed + 1))
    elif [ -e "$file" ]; then
      left="$left
  $file is not a file"
    fi
  done <"$listed"
  if [ "$ignored" != 0 ]; then
    say "ignored $ignored lines of $manifest: they name no file this installer writes under $prefix"
  fi
  if [ -n "$left" ]; then
    say "removed $removed files; left in place (nothing is removed through a symbolic link):$left"
    die "uninstall incomplete: check what is listed above, remove it or put it right, and run --uninstall again"
  fi
  if [ "$manifest_used" = 1 ] || [ -L "$manifest" ]; then
    rm -f -- "$manifest"
  fi
  rmdir -- "$recorddir" 2>/dev/null || true
  bashrc_remove
  if [ "$removed" = 0 ]; then
    say "nothing to remove: no tokenctl installed under $prefix"
  else
    say "removed tokenctl ($removed files) from $prefix"
  fi
  exit 0
fi

[ -n "$from" ] || no_source

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
  die "unsupported platform: $os $cpu (release builds exist for Linux and macOS on x86_64 and aarch64, and Windows x86_64 as a zip); build it from a checkout of its source with \`cargo install --locked --path .\`"
fi
# --- Linux: the glibc build needs glibc 2.28 or later; where glibc is older
# (RHEL 7: 2.17) or absent (musl: Alpine, many containers) the static build
# (unknown-linux-musl), which needs nothing from the system (issue 26).
glibc_floor=2.28
glibc_version() {
  v="$(getconf GNU_LIBC_VERSION 2>/dev/null | awk '$1 == "glibc" { print $2 }')"
  if [ -z "$v" ] && command -v ldd >/dev/null 2>&1; then
    # awk only (no head): the installer needs as few tools as it can.
    v="$(ldd --version 2>&1 | awk 'NR == 1 && tolower($0) ~ /glibc|gnu libc/ { print $NF }')"
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

case "$from" in
  *://*)
    base="${from%/}"
    get="download"
    case "$base" in
      http://*)
        host="${base#*://}"
        host="${host%%/*}"
        case "${host%:*}" in
          127.0.0.1 | localhost | "[::1]") ;;
          *) say "warning: $base is plain http: anyone on the network path can replace both SHA256SUMS and the tarball; use https" ;;
        esac
        ;;
    esac
    if command -v curl >/dev/null 2>&1; then
      fetch() { curl -fsSL --retry 2 --connect-timeout 10 -o "$2" "$base/$1"; }
    elif command -v wget >/dev/null 2>&1; then
      fetch() { wget -q -T 10 -t 2 -O "$2" "$base/$1"; }
    else
      die "neither curl nor wget found: install one of them (e.g. \`apt install curl\`, \`dnf install curl\`) and run this again"
    fi
    ;;
  *)
    case "$from" in
      /*) base="$from" ;;
      *) base="$(pwd)/$from" ;;
    esac
    base="${base%/}"
    [ -d "$base" ] || die "--from $from: no such directory; give the address of a release mirror (https://...) or a directory of scripts/dist.sh output such as target/dist"
    get="read"
    fetch() { [ -f "$base/$1" ] && cp -- "$base/$1" "$2"; }
    ;;
esac

if command -v sha256sum >/dev/null 2>&1; then
  sha256() { sha256sum "$1" | cut -d' ' -f1; }
elif command -v shasum >/dev/null 2>&1; then
  sha256() { shasum -a 256 "$1" | cut -d' ' -f1; }
elif command -v openssl >/dev/null 2>&1; then
  sha256() { openssl dgst -sha256 -r "$1" | cut -d' ' -f1; }
else
  die "no sha256sum, shasum or openssl found to verify the download; install coreutils"
fi

tmp="$(mktemp -d 2>/dev/null || mktemp -d -t tokenctl)"
trap 'rm -rf "$tmp"' EXIT
trap 'exit 130' INT TERM HUP

fetch SHA256SUMS "$tmp/SHA256SUMS" ||
  die "cannot $get $base/SHA256SUMS: check the address and your network (--from, TOKENCTL_INSTALL_URL, proxy settings)"

# The artifact's name: given by the version, else the one SHA256SUMS lists.
if [ -n "$version" ]; then
  artifact="tokenctl-$version-$target.tar.gz"
else
  artifact="$(awk -v t="-$target.tar.gz" '{ f = $2; sub(/^\*/, "", f) }
    substr(f, 1, 9) == "tokenctl-" && length(f) > length(t) && substr(f, length(f) - length(t) + 1) == t { print f; exit }' "$tmp/SHA256SUMS")"
  [ -n "$artifact" ] ||
    die "$base/SHA256SUMS lists no tokenctl build for $target; nothing installed"
fi
case "$artifact" in
  */* | .*) die "$base/SHA256SUMS names an odd file; nothing installed" ;;
esac
expected="$(awk -v f="$artifact" '$2 == f || $2 == "*" f { print $1; exit }' "$tmp/SHA256SUMS")"
[ -n "$expected" ] ||
  die "$base/SHA256SUMS has no line for $artifact: refusing to install a file that cannot be verified; nothing installed"

say "${get}ing $base/$artifact"
fetch "$artifact" "$tmp/$artifact" || die "cannot $get $base/$artifact"
actual="$(sha256 "$tmp/$artifact")"
[ "$actual" = "$expected" ] ||
  die "checksum mismatch for $artifact: SHA256SUMS says $expected, the file is $actual; refusing to install it (nothing installed)"

mkdir "$tmp/x"
(cd "$tmp/x" && gzip -dc "../$artifact" | tar -xf -) || die "cannot unpack $artifact"
src="$tmp/x/${artifact%.tar.gz}"
[ -f "$src/tokenctl" ] || die "$artifact holds no tokenctl binary"

# Every directory checked before anything is written, then made.
each_dir check_dir
each_dir make_dir

# Replaces each file by a rename, so a running tokenctl keeps its copy and
# an interrupted install leaves either the old file or the new one.
installed=""
# The new file gets a fresh name of its own (mktemp creates it exclusively),
# so a name planted in a shared prefix is never written through; the rename
# replaces a planted link at the final name instead of following it.
put() { # put SRC DIR NAME MODE
  dest="$2/$3"
  if [ -d "$dest" ] && [ ! -L "$dest" ]; then
    die "$dest is a directory: remove it and run this again"
  fi
  new="$(mktemp "$2/.$3.XXXXXX")" || die "cannot create a file in $2"
  cat "$1" >"$new" || {
    rm -f "$new"
    die "cannot write $new"
  }
  chmod "$4" "$new"
  # mv onto a link to a directory would move into that directory: the link
  # goes first, and the result is checked.
  if [ -L "$dest" ]; then
    rm -f -- "$dest"
  fi
  mv -f -- "$new" "$dest"
  if [ -L "$dest" ] || [ ! -f "$dest" ]; then
    die "$dest was replaced while installing (another user of this directory?); nothing more installed"
  fi
  installed="$installed$dest
"
}
put "$src/tokenctl" "$bindir" tokenctl 755
for page in "$src"/man/*.1; do
  [ -f "$page" ] && put "$page" "$mandir" "$(basename "$page")" 644
done
put "$src/completions/tokenctl.bash" "$bashdir" tokenctl 644
put "$src/completions/_tokenctl" "$zshdir" _tokenctl 644
put "$src/completions/tokenctl.fish" "$fishdir" tokenctl.fish 644
printf '%s' "$installed" >"$tmp/installed-files"
put "$tmp/installed-files" "$recorddir" installed-files 644

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
bashrc_setup
say "zsh: add \`fpath+=($zshdir)\` before compinit for completion"
say "remove it again with: sh install.sh --uninstall$prefix_given"
