//! Cross-process locks: one per profile (every token write), one per config
//! file (every config write). OS file locks, so a killed holder never
//! leaves a stale lock behind.

use std::fs::{File, OpenOptions, TryLockError};
use std::path::{Path, PathBuf};
use std::sync::mpsc;
use std::time::{Duration, Instant};

use crate::error::Error;
use crate::paths;
use crate::report;

/// Held while writing; released on drop or when the process dies.
#[derive(Debug)]
pub struct Lock {
    _file: File,
}

/// Where profile locks live: `$XDG_RUNTIME_DIR/tokenctl/locks` when that is
/// safe to use, else the state directory's `tokenctl/locks`.
pub fn lock_dir() -> Result<PathBuf, Error> {
    match paths::runtime_subdir("locks") {
        Ok(dir) => Ok(dir),
        Err((place, why)) => {
            if why != paths::Unsafe::Missing {
                report::verbose(format!(
                    "not using {} for locks: {why}; using the state directory",
                    crate::text::shown(&place)
                ));
            }
            paths::state_subdir("locks").map_err(|e| {
                Error::store(format!("cannot set up the renewal lock: {e}"))
                    .with_hint("set XDG_STATE_HOME to a directory of yours")
            })
        }
    }
}

/// The lock every token write of `profile` takes.
pub fn profile_lock(profile: &str, wait: Duration) -> Result<Lock, Error> {
    let path = lock_dir()?.join(format!("{profile}.lock"));
    acquire(&path, wait, &format!("profile `{profile}`"))
}

/// The lock every write of the config file at `config` takes; it lives
/// beside the file, so two tokenctls on one config always meet.
pub fn config_lock(config: &Path, wait: Duration) -> Result<Lock, Error> {
    let name = config
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| "config".into());
    let path = config.with_file_name(format!(".{name}.lock"));
    acquire(
        &path,
        wait,
        &format!("config file {}", crate::text::shown(config)),
    )
}

fn acquire(path: &Path, wait: Duration, what: &str) -> Result<Lock, Error> {
    let fail = |e: std::io::Error| {
        Error::store(format!(
            "cannot use the lock {}: {e}",
            crate::text::shown(path)
        ))
        .with_hint("remove it if it is not a regular file of yours, then try again")
    };
    let mut opts = OpenOptions::new();
    opts.create(true).truncate(false).write(true);
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::mode(&mut opts, 0o600);
    let file = paths::open_private(path, &mut opts).map_err(fail)?;
    match file.try_lock() {
        Ok(()) => return Ok(Lock { _file: file }),
        Err(TryLockError::WouldBlock) => {}
        Err(TryLockError::Error(e)) => return Err(fail(e)),
    }
    report::verbose(format!("waiting for another tokenctl writing {what}"));
    // Block in a helper thread so the OS hands the lock over the moment it
    // is released (no polling delay), while this thread keeps the time
    // limit. The clone shares the open file description, hence the lock.
    let started = Instant::now();
    let waiter = file.try_clone().map_err(fail)?;
    let (tx, rx) = mpsc::channel();
    std::thread::spawn(move || {
        let _ = tx.send(waiter.lock());
    });
    match rx.recv_timeout(wait) {
        Ok(Ok(())) => {
            report::trace(format!(
                "lock for {what} taken after {} ms",
                started.elapsed().as_millis()
            ));
            Ok(Lock { _file: file })
        }
        Ok(Err(e)) => Err(fail(e)),
        Err(_) => Err(Error::store(format!(
            "gave up after {} waiting for another tokenctl writing {what} (lock {})",
            humantime::format_duration(wait),
            crate::text::shown(path)
        ))
        .with_hint("if none is running, try again; raise the wait with --lock-timeout")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn second_holder_waits_then_times_out() {
        let tmp = tempfile::tempdir().unwrap();
        let path = tmp.path().join("p.lock");
        let first = acquire(&path, Duration::from_secs(1), "p").unwrap();
        let err = acquire(&path, Duration::from_millis(100), "p").unwrap_err();
        assert!(err.to_string().contains("gave up after 100ms"), "{err}");
        assert_eq!(err.code(), crate::error::Exit::Store);
        drop(first);
        acquire(&path, Duration::from_millis(100), "p").unwrap();
    }

    #[test]
    fn handed_over_when_released() {
        let tmp = tempfile::tempdir().unwrap();
        let path = tmp.path().join("p.lock");
        let first = acquire(&path, Duration::from_secs(1), "p").unwrap();
        let p2 = path.clone();
        let waiter = std::thread::spawn(move || acquire(&p2, Duration::from_secs(10), "p").is_ok());
        std::thread::sleep(Duration::from_millis(100));
        drop(first);
        assert!(waiter.join().unwrap());
    }

    #[cfg(unix)]
    #[test]
    fn refuses_a_planted_symlink() {
        let tmp = tempfile::tempdir().unwrap();
        let victim = tmp.path().join("victim");
        std::fs::write(&victim, "keep").unwrap();
        let path = tmp.path().join("p.lock");
        std::os::unix::fs::symlink(&victim, &path).unwrap();
        let err = acquire(&path, Duration::from_millis(100), "p").unwrap_err();
        assert_eq!(err.code(), crate::error::Exit::Store);
        assert_eq!(std::fs::read_to_string(&victim).unwrap(), "keep");
    }

    #[test]
    fn config_lock_sits_beside_the_config() {
        let tmp = tempfile::tempdir().unwrap();
        let cfg = tmp.path().join("config.toml");
        let _l = config_lock(&cfg, Duration::from_millis(100)).unwrap();
        assert!(tmp.path().join(".config.toml.lock").is_file());
        assert!(config_lock(&cfg, Duration::from_millis(50)).is_err());
    }
}
