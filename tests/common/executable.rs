//! Executable files for tests, made so that running one cannot fail with
//! ETXTBSY ("text file busy").
//!
//! A file this process opens for writing stays open in every child that
//! another test thread forks in that instant, until the child execs; exec
//! of the file meanwhile fails with ETXTBSY (seen in CI). So the test
//! process never opens an executable for writing: it writes a plain file
//! and `install`, another process, makes the executable copy.

use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::atomic::{AtomicU64, Ordering};

/// Writes `contents` to `path` as an executable (mode 0755), replacing
/// what is there.
pub fn write_executable(path: &Path, contents: impl AsRef<[u8]>) {
    let plain = staging(path);
    std::fs::write(&plain, contents).unwrap();
    copy_executable(&plain, path);
    std::fs::remove_file(&plain).unwrap();
}

/// Copies `from` to `to` as an executable (mode 0755), replacing what is
/// there.
pub fn copy_executable(from: &Path, to: &Path) {
    let out = Command::new("install")
        .arg("-m")
        .arg("0755")
        .arg("-T")
        .arg(from)
        .arg(to)
        .output()
        .unwrap_or_else(|e| panic!("run install (coreutils): {e}"));
    assert!(
        out.status.success(),
        "install {} {}: {}",
        from.display(),
        to.display(),
        String::from_utf8_lossy(&out.stderr)
    );
}

fn staging(path: &Path) -> PathBuf {
    static NEXT: AtomicU64 = AtomicU64::new(0);
    let name = path.file_name().unwrap().to_string_lossy();
    path.with_file_name(format!(
        ".{name}.plain.{}.{}",
        std::process::id(),
        NEXT.fetch_add(1, Ordering::Relaxed)
    ))
}
