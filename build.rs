//! Build facts for `tokenctl --version`: the commit, the target and the
//! build date, as `TOKENCTL_BUILD_*` compile-time variables.
//!
//! Reruns only when what it reads changes: the git HEAD and the one ref it
//! points to (not the whole ref store, which other worktrees and fetches
//! touch), and the variables below. Without those `rerun-if` lines cargo
//! would rerun it, and rebuild the crate, whenever any file in the package
//! changed.

use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

fn main() {
    println!("cargo:rerun-if-changed=build.rs");
    // A commit given from outside (a source tarball built by a packager).
    // Not named like an output: `cargo run` and `cargo test` put the
    // outputs in their children's environment, and a cargo build started
    // there (the demo's, the dist tests') would see the input change and
    // rebuild, and the next plain build again.
    println!("cargo:rerun-if-env-changed=TOKENCTL_GIT_COMMIT");
    // Reproducible builds: the date comes from here when set.
    println!("cargo:rerun-if-env-changed=SOURCE_DATE_EPOCH");

    let dir = PathBuf::from(std::env::var_os("CARGO_MANIFEST_DIR").expect("set by cargo"));
    let commit = std::env::var("TOKENCTL_GIT_COMMIT")
        .ok()
        .filter(|c| !c.trim().is_empty())
        .or_else(|| packaged_commit(&dir))
        .or_else(|| git_commit(&dir))
        .unwrap_or_else(|| "unknown".to_string());
    let commit = commit.trim();
    println!("cargo:rustc-env=TOKENCTL_BUILD_COMMIT={commit}");
    let short: String = commit.chars().take(12).collect();
    println!("cargo:rustc-env=TOKENCTL_BUILD_COMMIT_SHORT={short}");

    let target = std::env::var("TARGET").expect("set by cargo");
    println!("cargo:rustc-env=TOKENCTL_BUILD_TARGET={target}");

    let when = std::env::var("SOURCE_DATE_EPOCH")
        .ok()
        .and_then(|s| s.trim().parse::<u64>().ok())
        .map(|secs| UNIX_EPOCH + Duration::from_secs(secs))
        .unwrap_or_else(SystemTime::now);
    println!(
        "cargo:rustc-env=TOKENCTL_BUILD_DATE={}",
        humantime::format_rfc3339_seconds(when)
    );
}

/// The commit `cargo package` recorded (a crates.io download has no .git).
fn packaged_commit(dir: &Path) -> Option<String> {
    let path = dir.join(".cargo_vcs_info.json");
    let text = std::fs::read_to_string(&path).ok()?;
    println!("cargo:rerun-if-changed={}", path.display());
    let after = text.split("\"sha1\"").nth(1)?;
    let sha: String = after
        .trim_start_matches(|c: char| c == ':' || c == '"' || c.is_whitespace())
        .chars()
        .take_while(char::is_ascii_hexdigit)
        .collect();
    (sha.len() >= 7).then_some(sha)
}

/// HEAD of the checkout this package is the top of; `None` outside git, and
/// for a package unpacked inside somebody else's repository.
fn git_commit(dir: &Path) -> Option<String> {
    let top = git(dir, &["rev-parse", "--show-toplevel"])?;
    if std::fs::canonicalize(&top).ok()? != std::fs::canonicalize(dir).ok()? {
        return None;
    }
    let commit = git(dir, &["rev-parse", "HEAD"])?;
    // HEAD names a branch (`ref: refs/heads/x`) or, detached, a commit. A new
    // commit on the branch rewrites that one ref file, or packed-refs.
    let head = PathBuf::from(git(dir, &["rev-parse", "--git-path", "HEAD"])?);
    watch(dir, &head);
    if let Some(branch) = git(dir, &["symbolic-ref", "-q", "HEAD"]) {
        let loose = PathBuf::from(git(dir, &["rev-parse", "--git-path", &branch])?);
        if loose.exists() {
            watch(dir, &loose);
        } else if let Some(parent) = loose.parent().filter(|p| p.exists()) {
            // Packed only: the next commit creates the loose file here.
            watch(dir, parent);
        }
        let packed = PathBuf::from(git(dir, &["rev-parse", "--git-path", "packed-refs"])?);
        if packed.exists() {
            watch(dir, &packed);
        }
    }
    Some(commit)
}

/// Reruns when `path` changes. Only paths that exist: cargo reruns on every
/// build for one that does not.
fn watch(dir: &Path, path: &Path) {
    let path = if path.is_absolute() {
        path.to_path_buf()
    } else {
        dir.join(path)
    };
    println!("cargo:rerun-if-changed={}", path.display());
}

fn git(dir: &Path, args: &[&str]) -> Option<String> {
    let out = Command::new("git")
        .args(args)
        .current_dir(dir)
        .output()
        .ok()?;
    if !out.status.success() {
        return None;
    }
    let text = String::from_utf8(out.stdout).ok()?;
    let text = text.trim();
    (!text.is_empty()).then(|| text.to_string())
}
