//! Messages for people: always on stderr, never on stdout.

use std::sync::atomic::{AtomicU8, Ordering};

static LEVEL: AtomicU8 = AtomicU8::new(1);

/// 0 = quiet (errors only), 1 = normal, 2 = -v, 3 = -vv.
pub fn set_level(quiet: bool, verbose: u8) {
    let level = if quiet { 0 } else { 1 + verbose.min(2) };
    LEVEL.store(level, Ordering::Relaxed);
}

pub fn level() -> u8 {
    LEVEL.load(Ordering::Relaxed)
}

/// A normal progress or result message.
pub fn info(msg: impl AsRef<str>) {
    if level() >= 1 {
        eprintln!("{}", msg.as_ref());
    }
}

/// Shown even with `-q`: something the user should act on.
pub fn warn(msg: impl AsRef<str>) {
    eprintln!("warning: {}", msg.as_ref());
}

/// `-v`: request lines, decisions.
pub fn verbose(msg: impl AsRef<str>) {
    if level() >= 2 {
        eprintln!("tokenctl: {}", msg.as_ref());
    }
}

/// `-vv`: more detail (still redacted).
pub fn trace(msg: impl AsRef<str>) {
    if level() >= 3 {
        eprintln!("tokenctl: {}", msg.as_ref());
    }
}
