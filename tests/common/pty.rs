//! The one pty driver: tokenctl on a real pseudo-terminal (util-linux
//! `script`), driven as a person would: wait for something on the screen,
//! then type. Every test that needs a terminal uses it (tests/headless.rs,
//! tests/recover.rs, tests/terminal.rs, tests/shell.rs, tests/exec.rs).

use std::io::{Read, Write};
use std::path::Path;
use std::process::{Child, ChildStdin, Stdio};
use std::sync::mpsc;
use std::time::{Duration, Instant};

use super::fixtures::browser_script;
use super::{Env, Output};

/// How long after a prompt shows a person starts typing (see `type_line`).
pub const TYPING_DELAY: Duration = Duration::from_millis(500);

pub struct Pty {
    child: Child,
    stdin: Option<ChildStdin>,
    rx: mpsc::Receiver<String>,
    /// Everything the terminal showed so far (stdout and stderr together).
    pub screen: String,
}

impl Pty {
    /// `tokenctl args...` in `env`'s hermetic environment plus `extra_env`
    /// (`TERM` is `dumb` unless `extra_env` says otherwise). The terminal's
    /// shell execs tokenctl, so tokenctl itself is the terminal's foreground
    /// process, as when a person types the command.
    pub fn spawn(env: &Env, args: &[&str], extra_env: &[(&str, &str)]) -> Self {
        Self::spawn_with(env, None, args, extra_env, |_| {})
    }

    /// [`Pty::spawn`] of `bin` (default: the built tokenctl), with `configure` applied to the command last (run
    /// it as another user, drop an environment variable).
    pub fn spawn_with(
        env: &Env,
        bin: Option<&Path>,
        args: &[&str],
        extra_env: &[(&str, &str)],
        configure: impl FnOnce(&mut std::process::Command),
    ) -> Self {
        let script = ["/usr/bin/script", "/bin/script"]
            .into_iter()
            .find(|p| Path::new(p).is_file())
            .expect("terminal tests need `script` (Debian package bsdutils)");
        let bin = bin.map_or_else(
            || assert_cmd::cargo::cargo_bin("tokenctl"),
            Path::to_path_buf,
        );
        let line = std::iter::once(bin.to_string_lossy().into_owned())
            .chain(args.iter().map(|a| a.to_string()))
            .map(|a| format!("'{}'", a.replace('\'', r"'\''")))
            .collect::<Vec<_>>()
            .join(" ");
        let line = format!("exec {line}");
        let mut cmd = std::process::Command::new(script);
        cmd.env_clear();
        for (k, v) in env.std_cmd(&[]).get_envs() {
            if let Some(v) = v {
                cmd.env(k, v);
            }
        }
        cmd.env("TERM", "dumb").args(["-qec", &line, "/dev/null"]);
        for (k, v) in extra_env {
            cmd.env(k, v);
        }
        configure(&mut cmd);
        let mut child = cmd
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        let mut out = child.stdout.take().unwrap();
        let (tx, rx) = mpsc::channel();
        std::thread::spawn(move || {
            let mut buf = [0u8; 4096];
            while let Ok(n) = out.read(&mut buf) {
                if n == 0
                    || tx
                        .send(String::from_utf8_lossy(&buf[..n]).into_owned())
                        .is_err()
                {
                    break;
                }
            }
        });
        Pty {
            stdin: child.stdin.take(),
            child,
            rx,
            screen: String::new(),
        }
    }

    /// Waits until the screen shows `needle`; returns the screen so far.
    pub fn wait_for(&mut self, needle: &str, secs: u64) -> String {
        let deadline = Instant::now() + Duration::from_secs(secs);
        while !self.screen.contains(needle) {
            let left = deadline.saturating_duration_since(Instant::now());
            match self.rx.recv_timeout(left) {
                Ok(text) => self.screen.push_str(&text),
                Err(_) => panic!(
                    "the terminal did not show {needle:?} within {secs}s; it showed:\n{}",
                    self.screen
                ),
            }
        }
        self.screen.clone()
    }

    /// The first line on the screen containing `needle` (waits for it).
    pub fn line_with(&mut self, needle: &str, secs: u64) -> String {
        self.wait_for(needle, secs);
        loop {
            // The whole line: wait for its end too.
            let at = self.screen.find(needle).unwrap();
            if let Some(end) = self.screen[at..].find('\n') {
                let start = self.screen[..at].rfind('\n').map_or(0, |i| i + 1);
                return self.screen[start..at + end].trim().to_string();
            }
            if let Ok(text) = self.rx.recv_timeout(Duration::from_secs(5)) {
                self.screen.push_str(&text);
            }
        }
    }

    /// Types a line, as at the keyboard, half a second after the call: a
    /// password prompt is printed before echo is switched off, and typing
    /// the moment it shows would race that (the terminal would echo).
    pub fn type_line(&mut self, text: &str) {
        std::thread::sleep(TYPING_DELAY);
        self.send(format!("{text}\n").as_bytes())
            .expect("the terminal is still open to type into");
    }

    /// Types a line half a second after the call without waiting for a
    /// prompt, as a person typing ahead would; a terminal that has already
    /// closed (tokenctl ended without asking) takes nothing, and that is
    /// no error.
    pub fn type_ahead(&mut self, text: &str) {
        std::thread::sleep(TYPING_DELAY);
        let _ = self.send(format!("{text}\n").as_bytes());
    }

    /// Sends `bytes` to the terminal at once (a ^C is `b"\x03"`).
    pub fn send(&mut self, bytes: &[u8]) -> std::io::Result<()> {
        let stdin = self.stdin.as_mut().expect("the terminal is open");
        stdin.write_all(bytes)?;
        stdin.flush()
    }

    /// Waits (up to 60 s) for tokenctl to end; the screen is the stdout.
    pub fn finish(mut self) -> Output {
        let deadline = Instant::now() + Duration::from_secs(60);
        let status = loop {
            if let Some(status) = self.child.try_wait().unwrap() {
                break status;
            }
            if Instant::now() > deadline {
                let _ = self.child.kill();
                panic!("tokenctl did not end within 60s; screen:\n{}", self.screen);
            }
            while let Ok(text) = self.rx.try_recv() {
                self.screen.push_str(&text);
            }
            std::thread::sleep(Duration::from_millis(20));
        };
        drop(self.stdin.take());
        // The reader ends at EOF once `script` is gone.
        while let Ok(text) = self.rx.recv_timeout(Duration::from_secs(5)) {
            self.screen.push_str(&text);
        }
        let mut stderr = String::new();
        if let Some(mut e) = self.child.stderr.take() {
            let _ = e.read_to_string(&mut stderr);
        }
        Output {
            code: status.code().unwrap_or(-1),
            stdout: self.screen,
            stderr,
        }
    }
}

/// A directory with an `xdg-open` that only records that it ran, to put in
/// front of PATH: a test can then tell whether tokenctl tried to open a
/// browser. Returns (dir, marker file).
pub fn recording_opener(env: &Env) -> (std::path::PathBuf, std::path::PathBuf) {
    let dir = env.path("opener-bin");
    std::fs::create_dir_all(&dir).unwrap();
    let marker = env.path("opener-ran");
    let script = dir.join("xdg-open");
    super::executable::write_executable(
        &script,
        format!(
            "#!/bin/sh\nprintf '%s\\n' \"$1\" >> '{}'\n",
            marker.display()
        ),
    );
    (dir, marker)
}

/// PATH with `dir` in front.
pub fn path_with(dir: &Path) -> String {
    format!(
        "{}:{}",
        dir.display(),
        std::env::var("PATH").unwrap_or_default()
    )
}

/// Runs the curl stand-in browser (tests/common BROWSER_SCRIPT) on `url`
/// from `env`'s browser directory; returns where the login page sent it.
pub fn curl_browser(env: &Env, url: &str) -> String {
    let script = browser_script(env);
    let status = std::process::Command::new(&script)
        .arg(url)
        .status()
        .unwrap();
    assert!(status.success(), "the browser script failed");
    std::fs::read_to_string(env.path("browser/browser.location"))
        .unwrap()
        .trim()
        .to_string()
}
