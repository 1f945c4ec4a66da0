//! Messages for people: always on stderr, never on stdout. Colour, symbols
//! and the spinner appear only where a person is watching.

use std::io::{IsTerminal, Write};
use std::sync::atomic::{AtomicBool, AtomicU8, Ordering};
use std::sync::{Arc, Mutex};
use std::thread::JoinHandle;
use std::time::Duration;

use crate::env::EnvVars;
use anstyle::{AnsiColor, Style};

// Process-wide on purpose, unlike the settings passed down as values
// (src/settings.rs): stderr is the process's one stream, every layer that
// speaks writes to it through this module, and the level and colour are
// the binary's output decisions, made once from the global options before
// anything speaks. Code that never sets them (a library's caller, a unit
// test) gets plain text at the normal level.
static LEVEL: AtomicU8 = AtomicU8::new(1);
/// Colour on stderr (resolved from `--color`, `NO_COLOR` and the terminal).
static COLOR: AtomicBool = AtomicBool::new(false);
/// Symbols (✓, ✗) and the spinner: only when stderr is a terminal, or `--color always`.
static DECORATE: AtomicBool = AtomicBool::new(false);
/// Whether a spinner line is drawn now; held while writing so lines never interleave.
static SPINNER_LINE: Mutex<bool> = Mutex::new(false);

/// `--color`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ColorWhen {
    /// Colour and symbols when stderr is a terminal and NO_COLOR is not set
    Auto,
    /// Always, even into a file or pipe
    Always,
    /// Never
    Never,
}

pub const RED: Style = AnsiColor::Red.on_default().bold();
pub const YELLOW: Style = AnsiColor::Yellow.on_default().bold();
pub const GREEN: Style = AnsiColor::Green.on_default().bold();
const DIM: Style = Style::new().dimmed();

/// 0 = quiet (errors only), 1 = normal, 2 = -v, 3 = -vv.
pub fn set_level(quiet: bool, verbose: u8) {
    let level = if quiet { 0 } else { 1 + verbose.min(2) };
    LEVEL.store(level, Ordering::Relaxed);
}

/// Decides colour and symbols for stderr once, from `--color` and the environment.
pub fn set_color(when: ColorWhen) {
    let terminal = std::io::stderr().is_terminal();
    let (color, decorate) = match when {
        ColorWhen::Always => (true, true),
        ColorWhen::Never => (false, terminal),
        ColorWhen::Auto => (use_color_auto(terminal), terminal),
    };
    COLOR.store(color, Ordering::Relaxed);
    DECORATE.store(decorate, Ordering::Relaxed);
}

/// `auto`: a terminal, no `NO_COLOR` (any non-empty value), not a dumb terminal.
pub fn use_color_auto(terminal: bool) -> bool {
    let no_color = std::env::var_os(EnvVars::NO_COLOR).is_some_and(|v| !v.is_empty());
    let dumb = std::env::var_os(EnvVars::TERM).is_some_and(|t| t == "dumb");
    terminal && !no_color && !dumb
}

pub fn level() -> u8 {
    LEVEL.load(Ordering::Relaxed)
}

fn color() -> bool {
    COLOR.load(Ordering::Relaxed)
}

fn decorate() -> bool {
    DECORATE.load(Ordering::Relaxed)
}

/// `text` in `style` when colour is on, else as is.
pub fn paint(style: Style, text: &str) -> String {
    if color() {
        format!("{style}{text}{style:#}")
    } else {
        text.to_string()
    }
}

/// One line on stderr, after clearing a spinner that may be on screen.
fn line(text: &str) {
    let mut drawn = SPINNER_LINE.lock().unwrap_or_else(|e| e.into_inner());
    let mut err = std::io::stderr().lock();
    if *drawn {
        let _ = write!(err, "\r\x1b[2K");
        *drawn = false;
    }
    let _ = writeln!(err, "{text}");
}

/// A message's own text: every value in it went through `text::shown`
/// where it was formatted; this catches one that did not (escaping what
/// is unsafe, keeping the message's line breaks) before it reaches a
/// terminal.
fn body(msg: &str) -> std::borrow::Cow<'_, str> {
    if msg
        .chars()
        .any(|c| c != '\n' && crate::text::is_unsafe_char(c))
    {
        crate::text::shown_text(msg, false).into()
    } else {
        msg.into()
    }
}

/// A normal progress or result message.
pub fn info(msg: impl AsRef<str>) {
    if level() >= 1 {
        line(&body(msg.as_ref()));
    }
}

/// Something that worked (a login, a logout): a ✓ in front on a terminal.
pub fn success(msg: impl AsRef<str>) {
    if level() >= 1 {
        if decorate() {
            line(&format!("{} {}", paint(GREEN, "✓"), body(msg.as_ref())));
        } else {
            line(&body(msg.as_ref()));
        }
    }
}

/// Something the user should act on; silenced only by `-q`.
pub fn warn(msg: impl AsRef<str>) {
    if level() >= 1 {
        line(&format!(
            "{} {}",
            paint(YELLOW, "warning:"),
            body(msg.as_ref())
        ));
    }
}

/// The error that ends the command: always shown.
pub fn error(msg: impl AsRef<str>) {
    line(&format!("{} {}", paint(RED, "error:"), body(msg.as_ref())));
}

/// `-v`: request lines, timings, decisions.
pub fn verbose(msg: impl AsRef<str>) {
    if level() >= 2 {
        line(&format!(
            "{} {}",
            paint(DIM, "tokenctl:"),
            body(msg.as_ref())
        ));
    }
}

/// `-vv`: more detail (still redacted).
pub fn trace(msg: impl AsRef<str>) {
    if level() >= 3 {
        line(&format!(
            "{} {}",
            paint(DIM, "tokenctl:"),
            body(msg.as_ref())
        ));
    }
}

/// A spinner on stderr while something slow runs; gone when dropped.
/// Nothing at all unless stderr is a terminal and `-q` is off.
pub struct Spinner {
    stop: Arc<AtomicBool>,
    thread: Option<JoinHandle<()>>,
}

/// Waits shorter than this show no spinner at all.
const SPINNER_DELAY: Duration = Duration::from_millis(250);
const SPINNER_FRAMES: [char; 10] = ['⠋', '⠙', '⠹', '⠸', '⠼', '⠴', '⠦', '⠧', '⠇', '⠏'];

pub fn spinner(msg: impl Into<String>) -> Spinner {
    spinner_on(msg, std::io::stderr().is_terminal())
}

fn spinner_on(msg: impl Into<String>, terminal: bool) -> Spinner {
    let stop = Arc::new(AtomicBool::new(false));
    let thread = (decorate() && level() >= 1 && terminal).then(|| {
        let msg = body(&msg.into()).into_owned();
        let stop = stop.clone();
        std::thread::spawn(move || spin(&msg, &stop))
    });
    Spinner { stop, thread }
}

fn spin(msg: &str, stop: &AtomicBool) {
    let started = std::time::Instant::now();
    let mut frame = 0;
    while !stop.load(Ordering::Relaxed) {
        if started.elapsed() >= SPINNER_DELAY {
            let mut drawn = SPINNER_LINE.lock().unwrap_or_else(|e| e.into_inner());
            let mut err = std::io::stderr().lock();
            let _ = write!(
                err,
                "\r\x1b[2K{} {msg}",
                paint(
                    DIM,
                    &SPINNER_FRAMES[frame % SPINNER_FRAMES.len()].to_string()
                )
            );
            let _ = err.flush();
            *drawn = true;
            frame += 1;
        }
        std::thread::park_timeout(Duration::from_millis(80));
    }
}

impl Drop for Spinner {
    fn drop(&mut self) {
        if let Some(thread) = self.thread.take() {
            self.stop.store(true, Ordering::Relaxed);
            thread.thread().unpark();
            let _ = thread.join();
            let mut drawn = SPINNER_LINE.lock().unwrap_or_else(|e| e.into_inner());
            if *drawn {
                let mut err = std::io::stderr().lock();
                let _ = write!(err, "\r\x1b[2K");
                let _ = err.flush();
                *drawn = false;
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn message_text_reaching_stderr_is_escaped() {
        assert_eq!(body("plain\nlines"), "plain\nlines");
        assert_eq!(
            body("a\rb\u{202e}\nc\u{1b}[2J"),
            "a\\rb\\u{202e}\nc\\u{1b}[2J"
        );
    }

    // One test: the settings are process-wide.
    #[test]
    fn colour_and_spinner_follow_the_settings() {
        COLOR.store(false, Ordering::Relaxed);
        assert_eq!(paint(RED, "error:"), "error:");
        COLOR.store(true, Ordering::Relaxed);
        let painted = paint(RED, "error:");
        assert!(
            painted.starts_with("\x1b[") && painted.contains("error:"),
            "{painted:?}"
        );
        COLOR.store(false, Ordering::Relaxed);

        set_level(false, 0);
        DECORATE.store(true, Ordering::Relaxed);
        assert!(
            spinner_on("waiting", true).thread.is_some(),
            "a terminal gets one"
        );
        assert!(
            spinner_on("waiting", false).thread.is_none(),
            "a pipe does not"
        );
        set_level(true, 0);
        assert!(
            spinner_on("waiting", true).thread.is_none(),
            "-q silences it"
        );
        DECORATE.store(false, Ordering::Relaxed);
        set_level(false, 0);
        assert!(
            spinner_on("waiting", true).thread.is_none(),
            "no symbols, no spinner"
        );
    }
}
