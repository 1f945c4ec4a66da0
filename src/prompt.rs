//! Reading secrets and names from stdin, the environment or the terminal.

use std::io::{IsTerminal, Read};
use std::sync::atomic::{AtomicBool, Ordering};

use crate::error::Error;
use crate::secret::Secret;

/// Where one secret may come from, for reading it and for saying how.
pub struct SecretSource<'a> {
    /// "password", "client secret", ...
    pub what: &'a str,
    /// The flag that reads it from stdin, e.g. `--password-stdin`.
    pub stdin_flag: &'a str,
    /// Its environment variable, e.g. `TOKENCTL_PASSWORD`.
    pub env: &'a str,
    /// Whether the stdin flag was given.
    pub from_stdin: bool,
    /// The terminal prompt.
    pub prompt: String,
}

/// stdin when asked, else the environment, else a no-echo prompt on a
/// terminal; without any of them, fail at once rather than hang.
pub fn read_secret(src: &SecretSource<'_>) -> Result<Secret, Error> {
    if src.from_stdin {
        return read_stdin_secret(src);
    }
    if let Some(value) = std::env::var_os(src.env) {
        let value = value.into_string().map_err(|_| {
            Error::usage(format!(
                "${} is not valid UTF-8; set it again or use {}",
                src.env, src.stdin_flag
            ))
        })?;
        if !value.is_empty() {
            return Ok(Secret::new(value));
        }
    }
    if interactive() {
        let value = rpassword::prompt_password(&src.prompt).map_err(|e| {
            Error::usage(format!(
                "cannot read the {} from the terminal: {e}",
                src.what
            ))
        })?;
        let value = Secret::new(value);
        if value.is_empty() {
            return Err(Error::usage(format!("no {} entered", src.what)));
        }
        return Ok(value);
    }
    Err(missing(src))
}

fn missing(src: &SecretSource<'_>) -> Error {
    Error::usage(format!(
        "no {what} given and no terminal to ask on: pipe it into {flag}, set ${env}, or run tokenctl in a terminal to be prompted",
        what = src.what,
        flag = src.stdin_flag,
        env = src.env
    ))
}

fn read_stdin_secret(src: &SecretSource<'_>) -> Result<Secret, Error> {
    read_stdin_text(src)?.ok_or_else(|| {
        Error::usage(format!(
            "{} was given but stdin was empty: pipe the {} in, e.g. `printf %s \"$SECRET\" | tokenctl ... {}`",
            src.stdin_flag, src.what, src.stdin_flag
        ))
    })
}

/// The secret from a stdin that is not a terminal, read without the stdin
/// flag (a pipe is taken as the answer).
pub fn read_piped_secret(src: &SecretSource<'_>) -> Result<Secret, Error> {
    read_stdin_text(src)?.ok_or_else(|| {
        Error::usage(format!(
            "stdin is not a terminal, so the {what} was read from it, but it was empty: pipe the {what} in, set ${env}, or run tokenctl in a terminal to be prompted",
            what = src.what,
            env = src.env
        ))
    })
}

/// stdin up to 64 KiB without the final newline; `None` when empty.
fn read_stdin_text(src: &SecretSource<'_>) -> Result<Option<Secret>, Error> {
    let mut raw = zeroize::Zeroizing::new(Vec::new());
    std::io::stdin()
        .lock()
        .take(64 * 1024)
        .read_to_end(&mut raw)
        .map_err(|e| Error::usage(format!("cannot read the {} from stdin: {e}", src.what)))?;
    let text = std::str::from_utf8(&raw)
        .map_err(|_| Error::usage(format!("the {} on stdin is not UTF-8", src.what)))?;
    // `echo secret |` adds a newline that is not part of the secret.
    let text = text.strip_suffix('\n').unwrap_or(text);
    let text = text.strip_suffix('\r').unwrap_or(text);
    Ok(Some(text).filter(|t| !t.is_empty()).map(Secret::new))
}

/// Process-wide: it says whether this process's terminal may be used, which
/// kubectl decides for the whole run (KUBERNETES_EXEC_INFO).
static FORBIDDEN: AtomicBool = AtomicBool::new(false);

/// Never prompt in this process (kubectl said `interactive: false`).
pub fn forbid() {
    FORBIDDEN.store(true, Ordering::Relaxed);
}

/// kubectl (or whoever ran us) said no person is there to answer.
pub fn forbidden() -> bool {
    FORBIDDEN.load(Ordering::Relaxed)
}

/// A person is there to answer: stdin and stderr are terminals, and whoever
/// ran us did not say otherwise.
pub fn interactive() -> bool {
    !FORBIDDEN.load(Ordering::Relaxed)
        && std::io::stdin().is_terminal()
        && std::io::stderr().is_terminal()
}

/// A visible one-line answer (a user name) from the terminal.
pub fn ask(question: &str) -> Result<Option<String>, Error> {
    if !interactive() {
        return Ok(None);
    }
    eprint!("{question}");
    let mut line = String::new();
    std::io::stdin()
        .read_line(&mut line)
        .map_err(|e| Error::usage(format!("cannot read from the terminal: {e}")))?;
    let line = line.trim().to_string();
    Ok(Some(line).filter(|l| !l.is_empty()))
}
