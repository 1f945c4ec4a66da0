//! What the integration tests run in place of a user's program, the same on
//! Unix and Windows (where there is no `sh` to write it in): the command
//! under `tokenctl exec`. Not an example to follow: tests/common finds it
//! (`common::stand_in`).
//!
//! `stand_in STEP...` runs the steps in order:
//!
//! - `exit CODE`: exits with CODE; what follows is the command's own
//!   arguments, unread.
//! - `touch FILE`: creates FILE.
//! - `env-to FILE`: writes the environment to FILE, `NAME=VALUE` a line.
//! - `token-file-to FILE`: copies the file `$TOKENCTL_TOKEN_FILE` names.
//! - `inspect DIR`: `env-to DIR/env`, `token-file-to DIR/token`, and (Unix)
//!   the token file's mode, in octal, to DIR/mode.
//! - `reads LOG N`: N times, a second apart, appends `SECONDS TOKEN` (the
//!   Unix time and what `$TOKENCTL_TOKEN_FILE` holds) to LOG.
//! - `say-token-file`: prints `$TOKENCTL_TOKEN_FILE` on stdout.
//! - `wait-stdin`: reads stdin to its end.
//! - `on-ctrl-break CODE` (Windows): from now on a Ctrl-Break or Ctrl-C
//!   from the console ends it with CODE.
//! - `ready`: prints `ready` and the token file's path on stdout.
//! - `sleep SECONDS`.
//!
//! Each file is written whole under a temporary name and renamed, so a test
//! polling for it never reads half of one.

use std::io::{Read, Write};
use std::path::{Path, PathBuf};
use std::time::{Duration, SystemTime, UNIX_EPOCH};

fn main() {
    let mut args = std::env::args().skip(1);
    while let Some(step) = args.next() {
        let mut arg = || {
            args.next()
                .unwrap_or_else(|| fail(&format!("`{step}` needs an argument")))
        };
        match step.as_str() {
            "exit" => std::process::exit(number(&arg())),
            "touch" => write(&PathBuf::from(arg()), ""),
            "env-to" => write(&PathBuf::from(arg()), &environment()),
            "token-file-to" => write(&PathBuf::from(arg()), &token_file()),
            "inspect" => {
                let dir = PathBuf::from(arg());
                write(&dir.join("env"), &environment());
                write(&dir.join("token"), &token_file());
                #[cfg(unix)]
                {
                    use std::os::unix::fs::PermissionsExt;
                    let meta = std::fs::metadata(token_file_path()).unwrap();
                    write(
                        &dir.join("mode"),
                        &format!("{:o}", meta.permissions().mode() & 0o7777),
                    );
                }
            }
            "reads" => {
                let log = PathBuf::from(arg());
                for _ in 0..number(&arg()) {
                    let line = format!("{} {}\n", now(), token_file());
                    let mut f = std::fs::OpenOptions::new()
                        .create(true)
                        .append(true)
                        .open(&log)
                        .unwrap();
                    f.write_all(line.as_bytes()).unwrap();
                    drop(f);
                    std::thread::sleep(Duration::from_secs(1));
                }
            }
            "say-token-file" => {
                let mut out = std::io::stdout().lock();
                writeln!(out, "{}", token_file_path().display()).unwrap();
                out.flush().unwrap();
            }
            "wait-stdin" => {
                let mut sink = Vec::new();
                std::io::stdin().read_to_end(&mut sink).unwrap();
            }
            "on-ctrl-break" => {
                let code = number(&arg());
                #[cfg(windows)]
                console::exit_on_ctrl_break(code);
                #[cfg(not(windows))]
                fail(&format!("on-ctrl-break {code}: a Windows console's event"));
            }
            "ready" => {
                let mut out = std::io::stdout().lock();
                writeln!(out, "ready {}", token_file_path().display()).unwrap();
                out.flush().unwrap();
            }
            "sleep" => std::thread::sleep(Duration::from_secs(number(&arg()) as u64)),
            other => fail(&format!("unknown step `{other}`")),
        }
    }
}

fn fail(why: &str) -> ! {
    eprintln!("stand_in: {why}");
    std::process::exit(99)
}

fn number(text: &str) -> i32 {
    text.parse()
        .unwrap_or_else(|e| fail(&format!("`{text}` is not a number: {e}")))
}

fn now() -> u64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .unwrap()
        .as_secs()
}

fn environment() -> String {
    std::env::vars_os()
        .map(|(k, v)| format!("{}={}\n", k.to_string_lossy(), v.to_string_lossy()))
        .collect()
}

fn token_file_path() -> PathBuf {
    std::env::var_os(tokenctl::env::EnvVars::TOKENCTL_TOKEN_FILE)
        .map(PathBuf::from)
        .unwrap_or_else(|| fail("no $TOKENCTL_TOKEN_FILE"))
}

/// Read as most programs read a file: on Windows the C runtime (Python's
/// `open`, `type`) does not let others delete or replace it meanwhile,
/// unlike std's default.
fn token_file() -> String {
    let mut opts = std::fs::OpenOptions::new();
    opts.read(true);
    #[cfg(windows)]
    {
        use std::os::windows::fs::OpenOptionsExt;
        const FILE_SHARE_READ: u32 = 1;
        const FILE_SHARE_WRITE: u32 = 2;
        opts.share_mode(FILE_SHARE_READ | FILE_SHARE_WRITE);
    }
    let mut text = String::new();
    opts.open(token_file_path())
        .and_then(|mut f| f.read_to_string(&mut text))
        .unwrap_or_else(|e| fail(&e.to_string()));
    text
}

fn write(path: &Path, text: &str) {
    let tmp = path.with_extension("stand-in-tmp");
    std::fs::write(&tmp, text).unwrap_or_else(|e| fail(&format!("{}: {e}", tmp.display())));
    std::fs::rename(&tmp, path).unwrap_or_else(|e| fail(&format!("{}: {e}", path.display())));
}

#[cfg(windows)]
mod console {
    use std::sync::atomic::{AtomicI32, Ordering};

    use windows_sys::Win32::System::Console::SetConsoleCtrlHandler;

    static CODE: AtomicI32 = AtomicI32::new(0);

    unsafe extern "system" fn on_event(_event: u32) -> windows_sys::core::BOOL {
        std::process::exit(CODE.load(Ordering::SeqCst))
    }

    pub fn exit_on_ctrl_break(code: i32) {
        CODE.store(code, Ordering::SeqCst);
        // SAFETY: a handler with the signature the system calls, living as
        // long as the process.
        if unsafe { SetConsoleCtrlHandler(Some(on_event), 1) } == 0 {
            super::fail(&std::io::Error::last_os_error().to_string());
        }
    }
}
