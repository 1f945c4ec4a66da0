//! What the library has to say while it works: warnings, the requests it
//! makes, the decisions it takes, and slow steps a person may want to see
//! progress on. The library prints nothing itself; a program that wants the
//! messages installs a [`Reporter`] once, at start, and decides where they
//! go (tokenctl's binary: stderr, filtered by `-q`/`-v`, with a spinner on
//! a terminal). Without one, messages are dropped.
//!
//! Message text never holds a secret; values from outside (server answers,
//! paths) are escaped for a terminal where the message is formatted.

use std::any::Any;
use std::fmt;
use std::sync::OnceLock;

/// How much a message matters to the person running the program.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Level {
    /// Something the user should act on (a file others can read, a store
    /// that fell back to another).
    Warning,
    /// A request made, a decision taken, a timing (tokenctl's `-v`).
    Verbose,
    /// More detail on the same (tokenctl's `-vv`).
    Trace,
}

/// Receives the library's messages. Process-wide: install it with
/// [`set_reporter`] before using the library.
pub trait Reporter: Sync {
    /// Whether messages of `level` are wanted now; the library does not
    /// even format the others. The default: all of them.
    fn enabled(&self, level: Level) -> bool {
        let _ = level;
        true
    }

    /// One message, a line of text without a trailing newline.
    fn message(&self, level: Level, text: &str);

    /// A slow step starts (`what`: "listing the clusters at URL"). The
    /// value returned is dropped when the step ends, whichever way: a
    /// spinner's guard, for instance. The default shows nothing.
    fn progress(&self, what: &str) -> Option<Box<dyn Any + Send>> {
        let _ = what;
        None
    }
}

static REPORTER: OnceLock<&'static dyn Reporter> = OnceLock::new();

/// Installs the process's reporter. Only the first call counts: it returns
/// `false` when one was installed before.
pub fn set_reporter(reporter: &'static dyn Reporter) -> bool {
    REPORTER.set(reporter).is_ok()
}

// Messages are `Display`, formatted only when the reporter wants them: the
// cached `token` call passes one `format_args!` it never renders.
fn send(level: Level, msg: impl fmt::Display) {
    if let Some(reporter) = REPORTER.get()
        && reporter.enabled(level)
    {
        reporter.message(level, &msg.to_string());
    }
}

/// Something the user should act on.
pub(crate) fn warn(msg: impl fmt::Display) {
    send(Level::Warning, msg);
}

/// A request, a decision, a timing.
pub(crate) fn verbose(msg: impl fmt::Display) {
    send(Level::Verbose, msg);
}

/// More detail.
pub(crate) fn trace(msg: impl fmt::Display) {
    send(Level::Trace, msg);
}

/// A slow step; it ends when the value returned is dropped.
pub(crate) fn progress(what: impl AsRef<str>) -> Progress {
    Progress {
        _guard: REPORTER.get().and_then(|r| r.progress(what.as_ref())),
    }
}

/// The reporter's guard for a slow step, held until the step ends.
pub(crate) struct Progress {
    _guard: Option<Box<dyn Any + Send>>,
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::Mutex;
    use std::sync::atomic::{AtomicUsize, Ordering};

    /// Wants warnings only; keeps what it is given.
    struct Recorder(Mutex<Vec<(Level, String)>>);

    impl Reporter for Recorder {
        fn enabled(&self, level: Level) -> bool {
            level == Level::Warning
        }
        fn message(&self, level: Level, text: &str) {
            self.0.lock().unwrap().push((level, text.to_string()));
        }
    }

    /// Counts how often it is rendered.
    struct Counted<'a>(&'a AtomicUsize, &'static str);

    impl fmt::Display for Counted<'_> {
        fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
            self.0.fetch_add(1, Ordering::Relaxed);
            f.write_str(self.1)
        }
    }

    // One test: the reporter is the process's. Other tests of this crate
    // may send it messages meanwhile, so only this test's are looked at.
    #[test]
    fn messages_reach_the_reporter_and_unwanted_ones_are_never_formatted() {
        static RECORDER: Recorder = Recorder(Mutex::new(Vec::new()));
        assert!(set_reporter(&RECORDER));
        assert!(!set_reporter(&RECORDER), "only the first one counts");
        let rendered = AtomicUsize::new(0);
        warn(Counted(&rendered, "report-test: a warning"));
        verbose(Counted(&rendered, "report-test: a request"));
        trace(Counted(&rendered, "report-test: a detail"));
        drop(progress("report-test: a slow step"));
        assert_eq!(rendered.load(Ordering::Relaxed), 1, "only the warning");
        let mine: Vec<(Level, String)> = RECORDER
            .0
            .lock()
            .unwrap()
            .iter()
            .filter(|(_, t)| t.starts_with("report-test:"))
            .cloned()
            .collect();
        assert_eq!(
            mine,
            [(Level::Warning, "report-test: a warning".to_string())]
        );
    }
}
