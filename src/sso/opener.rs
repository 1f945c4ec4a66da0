//! Starting the user's browser on a URL: `$BROWSER` when set, else the
//! platform's opener (`xdg-open`, macOS `open`, Windows `start`).
//!
//! The URL is passed as one argument (through `"$1"` for `$BROWSER`
//! commands on Unix; on Windows no shell runs them), never spliced into a
//! shell command line. The browser's output
//! goes nowhere: stdout belongs to whoever asked tokenctl for a token.

use std::process::{Command, Stdio};

use crate::env::EnvVars;
use crate::ui;

/// Starts the browser without waiting for it. Returns what was started, or
/// why nothing was (the caller has printed the URL either way).
pub fn open(url: &str) -> Result<String, String> {
    let (mut cmd, shown) = command_for(url)?;
    cmd.stdin(Stdio::null()).stdout(Stdio::null());
    if ui::level() >= 2 {
        cmd.stderr(Stdio::inherit());
    } else {
        cmd.stderr(Stdio::null());
    }
    #[cfg(unix)]
    {
        // Its own process group: Ctrl-C on tokenctl must not kill a
        // browser we started.
        std::os::unix::process::CommandExt::process_group(&mut cmd, 0);
    }
    let mut child = cmd
        .spawn()
        .map_err(|e| format!("cannot start `{shown}`: {e}"))?;
    let name = shown.clone();
    // Reap it, and say so if the opener itself failed (no display, say).
    std::thread::spawn(move || {
        if let Ok(status) = child.wait()
            && !status.success()
        {
            ui::warn(format!(
                "the browser command `{name}` failed ({status}); open the URL above yourself, or use --remote-browser"
            ));
        }
    });
    Ok(shown)
}

#[cfg(unix)]
fn command_for(url: &str) -> Result<(Command, String), String> {
    if let Some(browser) = std::env::var_os(EnvVars::BROWSER).and_then(|b| b.into_string().ok()) {
        // A colon-separated list, first installed entry wins; `%s` marks
        // where the URL goes, else it is the last argument.
        for entry in browser.split(':').map(str::trim).filter(|e| !e.is_empty()) {
            let program = entry.split_whitespace().next().unwrap_or(entry);
            if !installed(program) {
                ui::verbose(format!(
                    "$BROWSER entry `{}` is not installed; skipping",
                    crate::text::shown(entry)
                ));
                continue;
            }
            let script = if entry.contains("%s") {
                entry.replace("%s", "\"$1\"")
            } else {
                format!("{entry} \"$1\"")
            };
            let mut cmd = crate::child::command("sh");
            cmd.arg("-c").arg(script).arg("tokenctl-browser").arg(url);
            // What messages show of it: it comes from the environment.
            return Ok((cmd, crate::text::shown(entry)));
        }
        ui::verbose("no $BROWSER entry is installed; trying the system opener");
    }
    let opener = if cfg!(target_os = "macos") {
        "open"
    } else {
        "xdg-open"
    };
    if !installed(opener) {
        return Err(format!(
            "`{opener}` is not installed and $BROWSER is not set"
        ));
    }
    let mut cmd = crate::child::command(opener);
    cmd.arg(url);
    Ok((cmd, opener.to_string()))
}

#[cfg(windows)]
fn command_for(url: &str) -> Result<(Command, String), String> {
    use std::os::windows::process::CommandExt;
    if let Some(browser) = std::env::var_os(EnvVars::BROWSER).and_then(|b| b.into_string().ok()) {
        // `;`-separated, as Windows separates paths (and Python's
        // webbrowser reads it there); an entry is a program and its
        // arguments split at spaces, `%s` marking where the URL goes, else
        // it is the last argument. Started directly: no shell parses the URL.
        for entry in browser.split(';').map(str::trim).filter(|e| !e.is_empty()) {
            let mut words = entry.split_whitespace();
            let program = words.next().unwrap_or(entry);
            if !installed(program) {
                ui::verbose(format!(
                    "%BROWSER% entry `{}` is not installed; skipping",
                    crate::text::shown(entry)
                ));
                continue;
            }
            let mut cmd = crate::child::command(program);
            let mut placed = false;
            for word in words {
                placed |= word.contains("%s");
                cmd.arg(word.replace("%s", url));
            }
            if !placed {
                cmd.arg(url);
            }
            return Ok((cmd, crate::text::shown(entry)));
        }
        ui::verbose("no %BROWSER% entry is installed; trying `start`");
    }
    // `start` is a cmd built-in; the empty title and the quotes keep `&` in
    // the query from splitting the command. The URL is percent-encoded, so
    // it holds no `"`.
    let mut cmd = crate::child::command("cmd");
    cmd.raw_arg(format!("/D /C start \"\" \"{url}\""));
    Ok((cmd, "start".to_string()))
}

/// A path that exists, or a name found on `%PATH%` (as is, or with one of
/// `%PATHEXT%`'s extensions, as `CreateProcess` and cmd find programs).
#[cfg(windows)]
fn installed(program: &str) -> bool {
    let path = std::path::Path::new(program);
    if path.components().count() > 1 {
        return path.is_file();
    }
    let exts = std::env::var(EnvVars::PATHEXT).unwrap_or_else(|_| ".COM;.EXE;.BAT;.CMD".into());
    std::env::var_os(EnvVars::PATH).is_some_and(|dirs| {
        std::env::split_paths(&dirs).any(|dir| {
            dir.join(program).is_file()
                || exts
                    .split(';')
                    .filter(|e| !e.is_empty())
                    .any(|ext| dir.join(format!("{program}{ext}")).is_file())
        })
    })
}

#[cfg(not(any(unix, windows)))]
fn command_for(_url: &str) -> Result<(Command, String), String> {
    Err("no browser opener known for this platform".to_string())
}

/// A path that exists, or a name found on `$PATH`.
#[cfg(unix)]
fn installed(program: &str) -> bool {
    if program.contains('/') {
        return std::path::Path::new(program).is_file();
    }
    std::env::var_os(EnvVars::PATH)
        .is_some_and(|path| std::env::split_paths(&path).any(|dir| dir.join(program).is_file()))
}
