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

fn send(level: Level, text: &str) {
    if let Some(reporter) = REPORTER.get() {
        reporter.message(level, text);
    }
}

/// Something the user should act on.
pub(crate) fn warn(msg: impl AsRef<str>) {
    send(Level::Warning, msg.as_ref());
}

/// A request, a decision, a timing.
pub(crate) fn verbose(msg: impl AsRef<str>) {
    send(Level::Verbose, msg.as_ref());
}

/// More detail.
pub(crate) fn trace(msg: impl AsRef<str>) {
    send(Level::Trace, msg.as_ref());
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
