#!/bin/sh
# Prints a Homebrew formula for a release from its SHA256SUMS:
#   scripts/homebrew.sh dist/SHA256SUMS > tokenctl.rb
# The version is the one the tarball names carry (all must agree). Fails,
# naming it, when a tarball the formula needs is not listed.
set -eu

REPO_URL="https://github.com/tokenctl/tokenctl"
sums="${1:?usage: scripts/homebrew.sh SHA256SUMS}"
[ -r "$sums" ] || { echo "error: cannot read $sums" >&2; exit 1; }

version="$(sed -n 's/^[0-9a-f]\{64\} [ *]tokenctl-\(.*\)-x86_64-apple-darwin\.tar\.gz$/\1/p' "$sums" | head -n1)"
[ -n "$version" ] || { echo "error: $sums lists no tokenctl-VERSION-x86_64-apple-darwin.tar.gz" >&2; exit 1; }

# entry TARGET: the url and sha256 lines of that target's tarball.
entry() {
  file="tokenctl-$version-$1.tar.gz"
  sha="$(awk -v f="$file" '$2 == f || $2 == "*" f { print $1; exit }' "$sums")"
  if [ -z "$sha" ]; then
    echo "error: $sums has no line for $file" >&2
    exit 1
  fi
  printf '      url "%s/releases/download/v%s/%s"\n      sha256 "%s"\n' "$REPO_URL" "$version" "$file" "$sha"
}

mac_arm="$(entry aarch64-apple-darwin)"
mac_intel="$(entry x86_64-apple-darwin)"
linux_arm="$(entry aarch64-unknown-linux-gnu)"
linux_intel="$(entry x86_64-unknown-linux-gnu)"

cat <<RUBY
class Tokenctl < Formula
  desc "Credential helper for Run:ai and GBDS token APIs"
  homepage "$REPO_URL"
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
