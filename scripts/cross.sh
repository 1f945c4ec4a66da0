#!/usr/bin/env bash
# tokenctl on the platforms this machine does not run natively (issue 26),
# proven here: Windows under Wine, macOS type-checked, Linux arm64 under
# qemu, and the static (musl) Linux builds in an empty root.
#
#   scripts/cross.sh setup           install what the legs need (idempotent)
#   scripts/cross.sh test LEG...     run legs: windows macos linux-arm64
#                                    linux-static, or all
#   scripts/cross.sh build TARGET    release binary for TARGET (dist.sh);
#                                    prints its path
#   scripts/cross.sh callgrind       the cached `token -o exec-credential`
#                                    of the static build beside the glibc
#                                    build's, in instructions
#   scripts/cross.sh toolchain       the rustc version the std source is for
#   scripts/cross.sh counts          the integration tests Linux runs, and
#                                    which of them Windows runs, ignores or
#                                    compiles out
#
# The standard library for other targets: rustup has only this machine's,
# so each build compiles std from source (-Zbuild-std), the source being
# Debian's rust-src of exactly the installed rustc's version (fetched with
# apt into the cache, not installed), enabled on the stable compiler by
# RUSTC_BOOTSTRAP=1 and pointed at by __CARGO_TESTS_ONLY_SRC_ROOT. Linkers:
# Debian's mingw-w64 for Windows, zig (PyPI ziglang, via cargo-zigbuild)
# for Linux and macOS. Everything comes from Debian, PyPI and crates.io.
#
# Cache: $TOKENCTL_TEST_CACHE (default ~/.cache/tokenctl-test)/cross holds
# the std source, the Wine prefix and a private apt index. Build output:
# target/cross (TOKENCTL_CROSS_TARGET_DIR), apart from the host's target/,
# whose builds it would otherwise invalidate.
set -euo pipefail
cd "$(dirname "$0")/.."
repo=$PWD

cache=${TOKENCTL_TEST_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/tokenctl-test}
cross=$cache/cross
venv=$cache/venv
target_dir=${TOKENCTL_CROSS_TARGET_DIR:-$repo/target/cross}

# --- Pins. zig and cargo-zigbuild: scripts/tool-versions, as dist.sh and
# test.sh read them (plain NAME=value).
# shellcheck source=/dev/null
. scripts/tool-versions
zig_pins=("ziglang==$ZIGLANG_VERSION" "cargo-zigbuild==$CARGO_ZIGBUILD_VERSION")
# Debian's rust-src for rustc 1.95.0 (trixie-backports; Debian 13's key is
# in Debian 12's debian-archive-keyring). Move it with the toolchain.
rust_src_version=1.95.0+dfsg1-2~bpo13+1
rust_src_suite=trixie-backports
# Debian 12 packages: linkers, Wine, qemu, the arm64 glibc for qemu.
apt_packages=(gcc-mingw-w64-x86-64 wine wine64 qemu-user libc6-arm64-cross
  libgcc-s1-arm64-cross valgrind file binutils)
glibc_floor=2.28
arm64_sysroot=/usr/aarch64-linux-gnu

die() {
  echo "error: $*" >&2
  exit 1
}
say() { echo "cross: $*" >&2; }

as_root() {
  if [ "$(id -u)" = 0 ]; then "$@"; elif command -v sudo >/dev/null; then sudo "$@"; else
    die "run as root (or with sudo) to install: ${*: -1}"
  fi
}

rustc_version() { rustc --version | awk '{print $2}'; }

# --- setup

setup_apt() {
  local missing=() p
  for p in "${apt_packages[@]}"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
  done
  if ((${#missing[@]})); then
    say "installing Debian packages: ${missing[*]}"
    as_root apt-get update -qq
    as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
  fi
}

setup_zig() {
  if [ ! -x "$venv/bin/cargo-zigbuild" ] || ! "$venv/bin/python3" -c 'import ziglang' 2>/dev/null; then
    say "installing ${zig_pins[*]} (PyPI, into $venv)"
    python3 -m venv "$venv"
    "$venv/bin/python3" -m pip install -q --disable-pip-version-check --only-binary :all: "${zig_pins[@]}"
  fi
}

# The Debian mirror this machine's apt uses (so no host is named here).
debian_mirror() {
  local m=${TOKENCTL_DEBIAN_MIRROR:-}
  if [ -z "$m" ] && [ -f /etc/apt/sources.list.d/debian.sources ]; then
    m=$(sed -n 's/^URIs: *\([^ ]*\).*/\1/p' /etc/apt/sources.list.d/debian.sources | grep -v security | head -n1)
  fi
  if [ -z "$m" ] && [ -f /etc/apt/sources.list ]; then
    m=$(awk '$1 == "deb" && $0 !~ /security/ { for (i = 2; i <= NF; i++) if ($i ~ /^https?:/) { print $i; exit } }' /etc/apt/sources.list)
  fi
  [ -n "$m" ] || die "cannot find the Debian mirror in apt's sources; set TOKENCTL_DEBIAN_MIRROR"
  echo "${m%/}"
}

rust_src_dir() { echo "$cross/rust-src-$(rustc_version)"; }

# rust-src from a private apt index (its own sources, lists and cache under
# the cache dir): nothing is installed and the system's apt is untouched.
setup_rust_src() {
  local want dir apt_dir
  want=$(rustc_version)
  dir=$(rust_src_dir)
  [ -f "$dir/.complete" ] && return
  case "$rust_src_version" in
    "$want"+*) ;;
    *) die "rustc is $want but scripts/cross.sh pins Debian's rust-src $rust_src_version: set rust_src_version to Debian's rust-src for $want" ;;
  esac
  apt_dir=$cross/apt
  mkdir -p "$apt_dir/lists/partial" "$apt_dir/archives/partial" "$apt_dir/debs"
  echo "deb [signed-by=/usr/share/keyrings/debian-archive-keyring.gpg] $(debian_mirror) $rust_src_suite main" >"$apt_dir/sources.list"
  local apt=(-o "Dir::State=$apt_dir" -o "Dir::State::Lists=$apt_dir/lists" -o "Dir::Cache=$apt_dir"
    -o "Dir::Etc::SourceList=$apt_dir/sources.list" -o "Dir::Etc::SourceParts=/nonexistent"
    -o "Dir::State::status=/dev/null" -o "APT::Architectures::=amd64" -o "Debug::NoLocking=1"
    -o "APT::Sandbox::User=root")
  say "fetching Debian's rust-src $rust_src_version ($rust_src_suite) into $dir"
  apt-get "${apt[@]}" -qq update
  (cd "$apt_dir/debs" && apt-get "${apt[@]}" -qq download "rust-src=$rust_src_version")
  rm -rf "$dir" && mkdir -p "$dir"
  dpkg-deb --fsys-tarfile "$apt_dir"/debs/rust-src_*_all.deb |
    tar -x -C "$dir" --strip-components=4 "./usr/src/rustc-$want/library" "./usr/src/rustc-$want/src/version"
  rm -f "$apt_dir/debs"/*.deb
  check_rust_src
  touch "$dir/.complete"
}

# The std source must be the compiler's own version: build-std of another
# version's library fails in obscure ways, or worse, does not.
check_rust_src() {
  local dir want got
  dir=$(rust_src_dir)
  want=$(rustc_version)
  [ -f "$dir/src/version" ] || die "no std source for rustc $want in $dir: run scripts/cross.sh setup"
  got=$(cat "$dir/src/version")
  [ "$got" = "$want" ] || die "the std source in $dir is $got, but rustc is $want ($(rustc --version)); rerun scripts/cross.sh setup"
}

wine_prefix=$cross/wine-prefix
setup_wine() {
  local shim=$cross/wine-shim/bcryptprimitives.dll src=scripts/wine/bcryptprimitives.c
  if [ ! -f "$shim" ] || [ "$src" -nt "$shim" ]; then
    mkdir -p "$(dirname "$shim")"
    x86_64-w64-mingw32-gcc -O2 -shared -s -o "$shim" "$src" -ladvapi32
  fi
  if [ ! -f "$wine_prefix/system.reg" ]; then
    say "creating the Wine prefix $wine_prefix"
    wine_env
    wineboot -i >/dev/null 2>&1 || true
    wineserver -w
    [ -f "$wine_prefix/system.reg" ] || die "wineboot did not create $wine_prefix"
  fi
  cmp -s "$shim" "$wine_prefix/drive_c/windows/system32/bcryptprimitives.dll" ||
    cp "$shim" "$wine_prefix/drive_c/windows/system32/bcryptprimitives.dll"
}

wine_env() {
  # No Mono or Gecko installers (dialogs nobody can answer), no debug noise.
  export WINEPREFIX=$wine_prefix WINEDEBUG=-all WINEDLLOVERRIDES="mscoree,mshtml="
}

cmd_setup() {
  setup_apt
  setup_zig
  setup_rust_src
  setup_wine
  say "setup done"
}

# --- building

# Cargo for another target: std from source, output under target/cross.
# Debug builds (the Windows tests) without debug info: a panic still names
# its file and line, and the test binaries link in a fraction of the time
# and space; no incremental caches: a cross build is built once per
# change, and they only take disk.
xcargo() {
  check_rust_src
  RUSTC_BOOTSTRAP=1 __CARGO_TESTS_ONLY_SRC_ROOT="$(rust_src_dir)/library" \
    CARGO_TARGET_DIR="$target_dir" CARGO_PROFILE_DEV_DEBUG=0 CARGO_INCREMENTAL=0 PATH="$venv/bin:$PATH" "$@"
}
build_std=("-Zbuild-std=std,panic_abort")

# TARGET as cargo-zigbuild names it: glibc targets carry the floor.
zig_target() {
  case "$1" in
    *-linux-gnu) echo "$1.$glibc_floor" ;;
    *) echo "$1" ;;
  esac
}

# The release binary for TARGET, built the way the release ships it.
build_release() {
  local target=$1
  case "$target" in
    *-windows-gnu)
      xcargo cargo build "${build_std[@]}" --release --locked --bin tokenctl --target "$target" >&2
      echo "$target_dir/$target/release/tokenctl.exe"
      ;;
    *-linux-gnu | *-linux-musl)
      # musl: rustc would link the C start-up files rustup ships for the
      # target (rcrt1.o, ...), which a std built from source lacks; zig
      # has its own musl and adds them.
      local musl_flags=()
      case "$target" in
        *-linux-musl) musl_flags=(--config "target.$target.rustflags=[\"-C\", \"link-self-contained=no\"]") ;;
      esac
      xcargo cargo-zigbuild zigbuild "${build_std[@]}" "${musl_flags[@]}" --release --locked --bin tokenctl \
        --target "$(zig_target "$target")" >&2
      echo "$target_dir/$target/release/tokenctl"
      ;;
    *) die "scripts/cross.sh builds Windows (gnu) and Linux (gnu, musl) targets, not $target" ;;
  esac
}

# Host cargo (the smoke suite), with none of the cross settings.
host_cargo() { env -u RUSTC_BOOTSTRAP -u __CARGO_TESTS_ONLY_SRC_ROOT cargo "$@"; }

# The smoke suite (tests/it/cross_smoke.rs) against BIN; the rest of the
# environment says how it runs (TOKENCTL_TEST_RUNNER, TOKENCTL_TEST_CHROOT).
smoke() {
  TOKENCTL_TEST_BIN=$1 host_cargo test --locked --test it cross_smoke::
}

# Newest glibc symbol version BIN needs.
glibc_needed() {
  objdump -T "$1" | grep -o 'GLIBC_[0-9.]*' | sed 's/GLIBC_//' | sort -uV | tail -n1
}

version_le() { [ "$(printf '%s\n%s\n' "$1" "$2" | sort -V | head -n1)" = "$1" ]; }

# --- legs

leg_windows() {
  local t=x86_64-pc-windows-gnu
  command -v wine >/dev/null || die "no wine: run scripts/cross.sh setup"
  setup_wine
  wine_env
  say "windows: clippy -D warnings ($t, all targets)"
  xcargo cargo clippy "${build_std[@]}" --locked --target "$t" --all-targets -- -D warnings
  say "windows: unit and integration tests under Wine"
  local log
  log=$(mktemp)
  if CARGO_TARGET_X86_64_PC_WINDOWS_GNU_RUNNER=wine \
    xcargo cargo test "${build_std[@]}" --locked --target "$t" --no-fail-fast 2>&1 | tee "$log"; then
    rm -f "$log"
    return 0
  fi
  # Wine 8 on a loaded machine now and then fails a process start (Windows
  # error 1359) or a Credential Manager write (1018) that Windows does not;
  # the whole run is repeated once, loudly, and must then pass entirely.
  say "windows: FAILED under Wine, running every test once more; these failed the first time:"
  grep -E '^test .* FAILED$' "$log" >&2 || true
  rm -f "$log"
  CARGO_TARGET_X86_64_PC_WINDOWS_GNU_RUNNER=wine \
    xcargo cargo test "${build_std[@]}" --locked --target "$t" --no-fail-fast
}

leg_macos() {
  local t
  for t in aarch64-apple-darwin x86_64-apple-darwin; do
    # No Apple SDK here, so no link: clippy type-checks everything,
    # tests included, with warnings as errors.
    say "macos: clippy -D warnings ($t, all targets)"
    xcargo cargo-zigbuild clippy "${build_std[@]}" --locked --target "$t" --all-targets -- -D warnings
  done
}

leg_linux_arm64() {
  local bin need
  bin=$(build_release aarch64-unknown-linux-gnu)
  file -b "$bin" | grep -q 'ARM aarch64' || die "$bin is not an arm64 binary: $(file -b "$bin")"
  need=$(glibc_needed "$bin")
  version_le "$need" "$glibc_floor" || die "$bin needs glibc $need, above the floor $glibc_floor"
  say "linux-arm64: $bin needs glibc $need; smoke suite under qemu-aarch64"
  [ -e "$arm64_sysroot/lib/ld-linux-aarch64.so.1" ] || die "no arm64 glibc in $arm64_sysroot: run scripts/cross.sh setup"
  TOKENCTL_TEST_RUNNER="qemu-aarch64 -L $arm64_sysroot" smoke "$bin"
}

# Static: no interpreter, nothing needed, whatever `file` calls it
# (static-pie: position-independent, for ASLR).
check_static() {
  local desc
  desc=$(file -b "$1")
  case "$desc" in
    *"statically linked"* | *"static-pie linked"*) ;;
    *) die "$1 is not static: $desc" ;;
  esac
  if readelf -d "$1" 2>/dev/null | grep -q NEEDED || readelf -l "$1" | grep -q INTERP; then
    die "$1 asks for a dynamic loader or libraries"
  fi
  say "static: $desc"
}

leg_linux_static() {
  local x86 arm empty
  x86=$(build_release x86_64-unknown-linux-musl)
  check_static "$x86"
  [ "$(id -u)" = 0 ] || die "the linux-static leg runs the binary in a chroot: run it as root"
  say "linux-static: x86_64 smoke suite, alone in an empty root"
  TOKENCTL_TEST_CHROOT=1 smoke "$x86"
  arm=$(build_release aarch64-unknown-linux-musl)
  check_static "$arm"
  # qemu's -L an empty directory: the binary finds no library, needs none.
  empty=$(mktemp -d)
  say "linux-static: arm64 smoke suite under qemu-aarch64, no sysroot"
  TOKENCTL_TEST_RUNNER="qemu-aarch64 -L $empty" smoke "$arm" || {
    rmdir "$empty"
    return 1
  }
  rmdir "$empty"
}

cmd_test() {
  (($#)) || die "usage: scripts/cross.sh test LEG... (windows macos linux-arm64 linux-static all)"
  local legs=("$@") leg start
  [ "$1" = all ] && legs=(windows macos linux-arm64 linux-static)
  for leg in "${legs[@]}"; do
    start=$(date +%s)
    case "$leg" in
      windows) leg_windows ;;
      macos) leg_macos ;;
      linux-arm64) leg_linux_arm64 ;;
      linux-static) leg_linux_static ;;
      *) die "unknown leg $leg: windows, macos, linux-arm64, linux-static or all" ;;
    esac
    say "leg $leg passed in $(($(date +%s) - start)) s"
  done
}

# --- callgrind: static (musl) beside glibc on the hot path

cmd_callgrind() {
  command -v valgrind >/dev/null || die "no valgrind: run scripts/cross.sh setup"
  local musl gnu work fake_log port pid
  musl=$(build_release x86_64-unknown-linux-musl)
  # The glibc build as scripts/dist.sh makes it.
  PATH="$venv/bin:$PATH" host_cargo zigbuild --release --locked --bin tokenctl \
    --target "x86_64-unknown-linux-gnu.$glibc_floor" >&2
  gnu=$repo/target/x86_64-unknown-linux-gnu/release/tokenctl
  host_cargo build --locked -q -p tokenctl-fake-server >&2
  work=$(mktemp -d)
  fake_log=$work/fake.log
  target/debug/tokenctl-fake-server >"$fake_log" 2>&1 &
  pid=$!
  # shellcheck disable=SC2064
  trap "kill $pid 2>/dev/null; rm -rf '$work'" EXIT
  for _ in $(seq 100); do grep -q 'listening on' "$fake_log" && break; sleep 0.1; done
  port=$(sed -n 's#.*listening on http://127.0.0.1:\([0-9]*\).*#\1#p' "$fake_log")
  [ -n "$port" ] || die "the fake server did not start: $(cat "$fake_log")"
  local name bin home ir
  for name in glibc musl; do
    bin=$gnu
    [ "$name" = musl ] && bin=$musl
    home=$work/$name
    mkdir -p "$home/runtime" && chmod 700 "$home/runtime"
    run() {
      env -i HOME="$home" XDG_RUNTIME_DIR="$home/runtime" TOKENCTL_STORE=file "$@"
    }
    printf wonderland | run "$bin" login --server "http://127.0.0.1:$port" -u alice --password-stdin 2>/dev/null
    run "$bin" token -o exec-credential >/dev/null # warm the cache
    ir=$(run valgrind --tool=callgrind --callgrind-out-file=/dev/null "$bin" token -o exec-credential 2>&1 >/dev/null |
      sed -n 's/.*Collected : *\([0-9]*\).*/\1/p')
    printf '%s\t%s instructions\t%s\n' "$name" "$ir" "$bin"
  done
}

# --- counts: the integration tests Linux runs, and what Windows does with
# each (runs it, ignores it, or compiles it out), from the test binaries'
# own lists (libtest's --list, and --list --ignored). Every test the
# Windows leg runs passes when `test windows` does. Why a test does not run
# on Windows is said where it is cfg(unix) or ignored.

cmd_counts() {
  local work t=x86_64-pc-windows-gnu
  command -v wine >/dev/null || die "no wine: run scripts/cross.sh setup"
  setup_wine
  wine_env
  work=$(mktemp -d)
  # shellcheck disable=SC2064
  trap "rm -rf '$work'" EXIT
  say "counts: building the Linux and Windows test binaries"
  host_cargo test --locked --tests --no-run --message-format=json >"$work/linux.json"
  xcargo cargo test "${build_std[@]}" --locked --target "$t" --tests --no-run \
    --message-format=json >"$work/windows.json"
  python3 - "$work" <<'EOF'
import json, subprocess, sys
from collections import defaultdict

work = sys.argv[1]

def tests(platform, runner):
    """{target::name: ignored?} for every integration test binary cargo built."""
    found = {}
    for line in open(f"{work}/{platform}.json"):
        msg = json.loads(line)
        if msg.get("reason") != "compiler-artifact" or msg["target"]["kind"] != ["test"]:
            continue
        exe = msg["executable"]
        if not exe:
            continue
        for ignored in (False, True):
            args = runner + [exe, "--list", "--format", "terse"] + (["--ignored"] if ignored else [])
            out = subprocess.run(args, capture_output=True, text=True, check=True).stdout
            for line in out.splitlines():
                if line.endswith(": test"):
                    found[msg["target"]["name"] + "::" + line[: -len(": test")]] = ignored
    return found

linux = tests("linux", [])
windows = tests("windows", ["wine"])
on_linux = {n for n, ign in linux.items() if not ign}
runs = {n for n in on_linux if windows.get(n) is False}
ignored = {n for n in on_linux if windows.get(n) is True}
out = on_linux - set(windows)
only_windows = {n for n in windows if n not in linux}

def listing(title, names):
    print(f"\n{title}: {len(names)}")
    by_target = defaultdict(list)
    for n in sorted(names):
        target, test = n.split("::", 1)
        by_target[target].append(test)
    for target, tests in by_target.items():
        print(f"  {target} ({len(tests)}): " + ", ".join(tests))

listing("ignored on Windows", ignored)
listing("compiled out on Windows (cfg(unix))", out)
listing("Windows only", only_windows)
print()
print(f"integration tests Linux runs:    {len(on_linux)} ({len(linux) - len(on_linux)} more ignored there)")
print(f"of these, Windows runs:          {len(runs)} ({100 * len(runs) / max(len(on_linux), 1):.1f}%)")
print(f"          Windows ignores:       {len(ignored)}")
print(f"          Windows compiles out:  {len(out)}")
print(f"tests only Windows has:          {len(only_windows)} (not counted above)")
EOF
}

case "${1:-}" in
  setup) cmd_setup ;;
  test)
    shift
    cmd_test "$@"
    ;;
  build)
    [ $# = 2 ] || die "usage: scripts/cross.sh build TARGET"
    check_rust_src
    build_release "$2"
    ;;
  callgrind) cmd_callgrind ;;
  counts) cmd_counts ;;
  # The rustc the std source is pinned for (the release workflow installs it).
  toolchain) echo "${rust_src_version%%+*}" ;;
  *) die "usage: scripts/cross.sh setup | test LEG... | build TARGET | callgrind | counts | toolchain" ;;
esac
