//! One renewal at a time per profile, across processes: an OS file lock.

use std::fs::{self, File, TryLockError};
use std::path::PathBuf;
use std::sync::mpsc;
use std::time::{Duration, Instant};

use crate::error::Error;
use crate::ui;

/// Held while renewing; the OS releases it when the process dies, so a
/// killed tokenctl never leaves a stale lock behind.
pub struct ProfileLock {
    _file: File,
}

/// `$XDG_RUNTIME_DIR/tokenctl/locks` (per-user, memory-backed) when there is
/// one, else the state directory.
pub fn lock_dir() -> Option<PathBuf> {
    dirs::runtime_dir()
        .or_else(dirs::state_dir)
        .or_else(dirs::data_local_dir)
        .map(|d| d.join("tokenctl").join("locks"))
}

impl ProfileLock {
    pub fn acquire(profile: &str, wait: Duration) -> Result<Self, Error> {
        let dir = lock_dir().ok_or_else(|| {
            Error::store("cannot find a runtime or state directory for the renewal lock: set XDG_RUNTIME_DIR or HOME")
        })?;
        let mut builder = fs::DirBuilder::new();
        builder.recursive(true);
        #[cfg(unix)]
        std::os::unix::fs::DirBuilderExt::mode(&mut builder, 0o700);
        let path = dir.join(format!("{profile}.lock"));
        let fail = |e: std::io::Error| {
            Error::store(format!(
                "cannot use the renewal lock {}: {e}",
                path.display()
            ))
        };
        builder.create(&dir).map_err(fail)?;
        let file = fs::OpenOptions::new()
            .create(true)
            .truncate(false)
            .write(true)
            .open(&path)
            .map_err(fail)?;
        match file.try_lock() {
            Ok(()) => return Ok(Self { _file: file }),
            Err(TryLockError::WouldBlock) => {}
            Err(TryLockError::Error(e)) => return Err(fail(e)),
        }
        ui::verbose(format!(
            "waiting for another tokenctl renewing profile `{profile}`"
        ));
        // Block in a helper thread so the OS hands the lock over the moment
        // it is released (no polling delay), while this thread keeps the
        // time limit. The clone shares the open file, hence the lock.
        let started = Instant::now();
        let waiter = file.try_clone().map_err(fail)?;
        let (tx, rx) = mpsc::channel();
        std::thread::spawn(move || {
            let _ = tx.send(waiter.lock());
        });
        match rx.recv_timeout(wait) {
            Ok(Ok(())) => {
                ui::trace(format!(
                    "renewal lock for `{profile}` taken after {} ms",
                    started.elapsed().as_millis()
                ));
                Ok(Self { _file: file })
            }
            Ok(Err(e)) => Err(fail(e)),
            Err(_) => Err(Error::store(format!(
                "gave up after {}s waiting for another tokenctl to finish renewing profile `{profile}` (lock {}); if none is running, try again",
                wait.as_secs(),
                path.display()
            ))),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn second_holder_waits_then_times_out() {
        let tmp = tempfile::tempdir().unwrap();
        // SAFETY: this test binary sets XDG_RUNTIME_DIR only here; no other
        // test reads it concurrently.
        unsafe { std::env::set_var("XDG_RUNTIME_DIR", tmp.path()) };
        let first = ProfileLock::acquire("p", Duration::from_secs(1)).unwrap();
        let err = ProfileLock::acquire("p", Duration::from_millis(100))
            .err()
            .unwrap();
        assert!(err.to_string().contains("gave up after"), "{err}");
        drop(first);
        ProfileLock::acquire("p", Duration::from_millis(100)).unwrap();
    }
}
