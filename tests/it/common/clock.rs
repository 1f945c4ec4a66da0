//! A clock the test moves instead of waiting for a token to expire: a file
//! holding the seconds time has been moved on. tokenctl (debug builds, via
//! `TOKENCTL_TEST_CLOCK`), the fake server (`Config::clock`), the stand-in
//! and the Python SDK tests read it at each use.

use std::path::{Path, PathBuf};
use std::time::{Duration, SystemTime, UNIX_EPOCH};

pub struct TestClock {
    file: PathBuf,
}

impl TestClock {
    /// A clock at the system's time, kept in `file`.
    pub fn at(file: PathBuf) -> Self {
        let clock = TestClock { file };
        clock.set(0);
        clock
    }

    pub fn file(&self) -> &Path {
        &self.file
    }

    /// The seconds the clock has been moved on.
    pub fn moved(&self) -> i64 {
        std::fs::read_to_string(&self.file)
            .unwrap()
            .trim()
            .parse()
            .unwrap()
    }

    /// The moved time, in Unix seconds.
    pub fn now(&self) -> u64 {
        let real = SystemTime::now()
            .duration_since(UNIX_EPOCH)
            .unwrap()
            .as_secs();
        real.checked_add_signed(self.moved()).unwrap()
    }

    /// Moves the clock on by `secs`.
    pub fn advance(&self, secs: i64) {
        self.set(self.moved() + secs);
    }

    /// Written under another name and renamed: a reader never sees half a
    /// number (which would read as no move at all).
    fn set(&self, moved: i64) {
        let tmp = self.file.with_extension("new");
        std::fs::write(&tmp, moved.to_string()).unwrap();
        // Windows refuses the rename while a reader has the file open.
        let mut tries = 0;
        while let Err(e) = std::fs::rename(&tmp, &self.file) {
            tries += 1;
            assert!(tries < 200, "moving the test clock: {e}");
            std::thread::sleep(Duration::from_millis(5));
        }
    }
}
