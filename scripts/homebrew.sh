#!/bin/sh
# Prints a Homebrew formula for a release from its SHA256SUMS:
#   scripts/homebrew.sh dist/SHA256SUMS URL > tokenctl.rb
# URL is where the release's files can be downloaded (the directory holding
# the tarballs): the release workflow gives its own repository's release.
# No address is built in. The formula's homepage is Cargo.toml's `homepage`
# (else `repository`), left out while it is unset.
# The version is the one the tarball names carry (all must agree). Fails,
# naming it, when a tarball the formula needs is not listed.
set -eu

usage() {
  echo "usage: scripts/homebrew.sh SHA256SUMS URL  (URL: where the release's tarballs are, e.g. https://releases.example.com/tokenctl/v0.1.0)" >&2
  exit 2
}
[ $# -eq 2 ] || usage
sums="$1"
base="${2%/}"
case "$base" in
  https://*) ;;
  *)
    echo "error: $base: give an https:// URL (Homebrew downloads the tarballs from it)" >&2
    exit 2
    ;;
esac
[ -r "$sums" ] || {
  echo "error: cannot read $sums" >&2
  exit 1
}

# Cargo.toml's [package] homepage, else repository: the one place the
# project's address is kept.
manifest="$(dirname "$0")/../Cargo.toml"
package_url() {
  sed -n '/^\[package\]/,/^\[/ s/^'"$1"' *= *"\(.*\)"$/\1/p' "$manifest" | head -n1
}
homepage="$(package_url homepage)"
[ -n "$homepage" ] || homepage="$(package_url repository)"

version="$(sed -n 's/^[0-9a-f]\{64\} [ *]tokenctl-\(.*\)-x86_64-apple-darwin\.tar\.gz$/\1/p' "$sums" | head -n1)"
[ -n "$version" ] || {
  echo "error: $sums lists no tokenctl-VERSION-x86_64-apple-darwin.tar.gz" >&2
  exit 1
}

# entry TARGET: the url and sha256 lines of that target's tarball.
entry() {
  file="tokenctl-$version-$1.tar.gz"
  sha="$(awk -v f="$file" '$2 == f || $2 == "*" f { print $1; exit }' "$sums")"
  if [ -z "$sha" ]; then
    echo "error: $sums has no line for $file" >&2
    exit 1
  fi
  printf '      url "%s/%s"\n      sha256 "%s"\n' "$base" "$file" "$sha"
}

mac_arm="$(entry aarch64-apple-darwin)"
mac_intel="$(entry x86_64-apple-darwin)"
linux_arm="$(entry aarch64-unknown-linux-gnu)"
linux_intel="$(entry x86_64-unknown-linux-gnu)"
if [ -n "$homepage" ]; then
  homepage_line="
  homepage \"$homepage\""
else
  homepage_line=""
fi

cat <<RUBY
class Tokenctl < Formula
  desc "Credential helper for Run:ai and GBDS token APIs"$homepage_line
  version "$version"
  license any_of: ["MIT", "Apache-2.0"]

  on_macos do
    on_arm do
$mac_arm
    end
    on_intel do
$mac_intel
    end
  end

  on_linux do
    on_arm do
$linux_arm
    end
    on_intel do
$linux_intel
    end
  end

  def install
    bin.install "tokenctl"
    man1.install Dir["man/*.1"]
    bash_completion.install "completions/tokenctl.bash" => "tokenctl"
    zsh_completion.install "completions/_tokenctl"
    fish_completion.install "completions/tokenctl.fish"
  end

  test do
    assert_match version.to_s, shell_output("#{bin}/tokenctl --version")
  end
end
RUBY
