//! `tokenctl exec -- COMMAND [ARGS...]`: run a command with a fresh token in
//! its environment and in a file that stays fresh while it runs.
//!
//! The child gets the first token in `--env-var` and the path of a private
//! file in `TOKENCTL_TOKEN_FILE` (0600 on Unix; on Windows under the
//! profile's local application data, whose ACL admits the user and the
//! system alone); a thread renews through the repository before
//! `--min-valid` and replaces the file atomically, so a long job that
//! re-reads the file never holds an expired token. The variable keeps the
//! first token: a process's environment cannot be changed from outside.
//!
//! Interruptions are the platform's: `unix` forwards signals to the child,
//! `windows` lets the console's Ctrl-C reach the child alone.

use std::fs;
use std::path::{Path, PathBuf};
use std::process::ExitStatus;
use std::sync::mpsc::{self, RecvTimeoutError};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use anyhow::Result;

use super::Ctx;
use crate::cli::ExecArgs;
use crate::env::EnvVars;
use crate::error::Error;
use crate::repo::{DEFAULT_MIN_VALID, TokenRepo};
use crate::secret::Secret;
use crate::token::{self, TokenSet};
use crate::{atomic, child, output, paths, ui};

#[cfg(unix)]
mod unix;
#[cfg(unix)]
use unix as sys;
#[cfg(windows)]
mod windows;
#[cfg(windows)]
use windows as sys;

/// How long a failed renewal waits before the next try, at most.
const MAX_RETRY: Duration = Duration::from_secs(30);

/// Runs the command; `Ok` holds the exit code tokenctl ends with: the
/// command's (`sys::exit_code`), 127 when it cannot be found, 126 when it
/// cannot be started.
pub fn run(ctx: &Ctx, args: ExecArgs) -> Result<i32> {
    let name = ctx.profile_name().to_string();
    // The profiles whose `exec` this runs under, `:`-separated (profile
    // names never contain `:`).
    let outer = std::env::var(EnvVars::TOKENCTL_EXEC_PROFILE).unwrap_or_default();
    if outer.split(':').any(|p| p == name) {
        return Err(Error::usage(format!(
            "already inside `tokenctl exec` for profile `{name}` (${} says so): a nested exec would start a second renewer for the same token",
            EnvVars::TOKENCTL_EXEC_PROFILE
        ))
        .with_hint(format!(
            "use the token the outer exec provides: ${} or the file in ${}",
            ctx.global.env_var,
            EnvVars::TOKENCTL_TOKEN_FILE
        ))
        .into());
    }
    if let Some(format) = ctx.global.output {
        return Err(Error::usage(format!(
            "`exec` prints nothing on stdout (it is the command's), so `-o {}` does not apply",
            format.name()
        ))
        .with_hint("drop -o; the command gets the token in its environment")
        .into());
    }
    let env_var = ctx.global.env_var.clone();
    output::check_env_var(&env_var)?;
    if [EnvVars::TOKENCTL_TOKEN_FILE, EnvVars::TOKENCTL_EXEC_PROFILE].contains(&env_var.as_str()) {
        return Err(Error::usage(format!(
            "--env-var {env_var} is a variable `exec` sets itself"
        ))
        .with_hint("pick another name")
        .into());
    }
    #[cfg(not(unix))]
    if args.runai_config.is_some() {
        return Err(Error::usage(
            "`exec --runai-config` needs a Unix system, as `runai-config` does",
        )
        .with_hint(format!(
            "drop --runai-config; the command gets the token in %{env_var}% and, kept fresh, in the file %{}% names",
            EnvVars::TOKENCTL_TOKEN_FILE
        ))
        .into());
    }
    let profile = ctx.profile()?;
    let min_valid = args
        .min_valid
        .or(profile.min_valid.map(|d| d.0))
        .unwrap_or(DEFAULT_MIN_VALID);

    // Before any thread exists (on Unix every thread tokenctl starts
    // inherits the signal mask set here).
    let phase = Arc::new(Mutex::new(Phase::Starting));
    let token_file: Arc<Mutex<Option<TokenFile>>> = Arc::new(Mutex::new(None));
    sys::start(&phase, &token_file)?;

    let repo = ctx.repo(profile.clone(), args.lock.lock_timeout);
    let tokens = repo.fresh(min_valid, None)?;
    #[cfg(unix)]
    let runai = match &args.runai_config {
        Some(dir) => Some(super::runai_config::ExecRunaiConfig::start(
            ctx, dir, &tokens,
        )?),
        None => None,
    };
    let dir = exec_dir()?;
    let file = TokenFile::create(&dir, &tokens.access_token)?;
    let file_path = file.path.clone();
    ui::verbose(format!("token file {}", crate::text::shown(&file_path)));
    *token_file.lock().expect("not poisoned") = Some(file);

    let nested = if outer.is_empty() {
        name.clone()
    } else {
        format!("{outer}:{name}")
    };
    let program = &args.command[0];
    let mut cmd = child::command(program);
    cmd.args(&args.command[1..])
        .env(&env_var, tokens.access_token.expose())
        .env(EnvVars::TOKENCTL_TOKEN_FILE, &file_path)
        .env(EnvVars::TOKENCTL_EXEC_PROFILE, &nested);
    #[cfg(unix)]
    if let Some(runai) = &runai {
        cmd.env(EnvVars::RUNAI_CLI_CONFIG_PATH, runai.path());
    }
    sys::prepare(&mut cmd);

    // Spawned under the phase lock: a signal (a console event) that
    // arrives meanwhile is either handled before (abort) or after, never
    // lost.
    let mut child = {
        let mut phase = phase.lock().expect("not poisoned");
        match cmd.spawn() {
            Ok(child) => {
                *phase = Phase::Running(child.id());
                child
            }
            Err(e) => {
                drop(phase);
                remove_file(&token_file);
                let code = if e.kind() == std::io::ErrorKind::NotFound {
                    127
                } else {
                    126
                };
                // The shell's codes, not one of tokenctl's: the message
                // goes out here, the code up to `main`.
                ui::error(format!("cannot run `{}`: {e}", crate::text::shown(program)));
                return Ok(code);
            }
        }
    };

    // The renewer runs here (the repository stays on this thread); a
    // second thread waits for the child. It removes the file the moment
    // the child is gone; a renewal in flight here finishes first (a
    // rotated refresh token must be stored) and then finds no file.
    let (done, exited) = mpsc::channel();
    {
        let phase = Arc::clone(&phase);
        let token_file = Arc::clone(&token_file);
        std::thread::spawn(move || {
            let status = sys::wait(&mut child, &phase);
            remove_file(&token_file);
            let _ = done.send(status);
        });
    }
    let after_renewal = |_tokens: &TokenSet| {
        #[cfg(unix)]
        if let Some(runai) = &runai {
            runai.renewed(_tokens);
        }
    };
    let status = keep_fresh(
        &repo,
        tokens,
        min_valid,
        &token_file,
        &exited,
        &after_renewal,
    )?;
    Ok(sys::exit_code(status))
}

/// Where the child stands, for the signal thread (on Windows, the console
/// handler).
enum Phase {
    /// No child yet: a signal ends tokenctl, as it would without exec.
    Starting,
    /// The child's pid (on Unix, where signals are forwarded to).
    Running(u32),
    /// Exited (maybe not reaped yet): its pid may be reused, signals are dropped.
    Finished,
}

/// The runtime directory's `tokenctl/exec` when it is safe, else the state
/// directory's.
#[cfg(unix)]
fn exec_dir() -> Result<PathBuf, Error> {
    match paths::runtime_subdir("exec") {
        Ok(dir) => Ok(dir),
        Err((path, why)) => {
            ui::verbose(format!(
                "not using {} for the token file ({why}); using the state directory",
                crate::text::shown(&path)
            ));
            paths::state_subdir("exec").map_err(|e| {
                Error::store(format!("cannot create a directory for the token file: {e}"))
                    .with_hint("set XDG_RUNTIME_DIR to a private directory of yours")
            })
        }
    }
}

/// The state directory's `tokenctl\exec` (under `%LOCALAPPDATA%`): Windows
/// has no runtime directory, and the profile's ACL keeps others out.
#[cfg(windows)]
fn exec_dir() -> Result<PathBuf, Error> {
    paths::state_subdir("exec").map_err(|e| {
        Error::store(format!("cannot create a directory for the token file: {e}"))
            .with_hint("check that %LOCALAPPDATA% names a directory of yours")
    })
}

fn remove_file(token_file: &Mutex<Option<TokenFile>>) {
    if let Some(file) = token_file.lock().expect("not poisoned").take() {
        file.remove();
    }
}

/// The file the child reads: the access token alone, no newline (like a
/// Kubernetes projected token), private, one per exec.
struct TokenFile {
    path: PathBuf,
}

impl TokenFile {
    fn create(dir: &Path, token: &Secret) -> Result<Self, Error> {
        let unique = crate::random::hex(8)
            .map_err(|e| Error::store(format!("no randomness for the token file's name: {e}")))?;
        let path = dir.join(format!("token-{}-{unique}", std::process::id()));
        atomic::replace(&path, token.expose().as_bytes(), TOKEN_FILE_WRITE).map_err(|e| {
            Error::store(format!(
                "cannot create the token file {}: {e}",
                crate::text::shown(&path)
            ))
        })?;
        Ok(Self { path })
    }

    /// A reader sees the old token or the new one, never half of one. (On
    /// Windows a child reading it at that moment may hold it: the rename
    /// waits, see crate::atomic.)
    fn replace(&self, token: &Secret) -> std::io::Result<()> {
        atomic::replace(&self.path, token.expose().as_bytes(), TOKEN_FILE_WRITE)
    }

    fn remove(self) {
        if let Err(e) = fs::remove_file(&self.path)
            && e.kind() != std::io::ErrorKind::NotFound
        {
            ui::warn(format!(
                "could not remove the token file {}: {e}",
                crate::text::shown(&self.path)
            ));
        }
    }
}

/// The token file is private and lives in a directory of tokenctl's own
/// (a link there is replaced, not followed). It lives only as long as the
/// command, mostly in the memory-backed runtime directory: not flushed to
/// disk.
const TOKEN_FILE_WRITE: atomic::How = atomic::How {
    durable: false,
    ..atomic::How::PRIVATE
};

/// When `tokens` should be renewed: when the time left reaches the
/// repository's margin, so the command can rely on `--min-valid` left (or,
/// for tokens that never live longer than that, half their lifetime).
/// `None` when the expiry is unknown: there is nothing to judge.
fn renew_at(tokens: &TokenSet, min_valid: Duration) -> Option<u64> {
    let exp = tokens.expires_at?;
    Some(exp.saturating_sub(crate::repo::margin(tokens, min_valid)))
}

/// The renewer: sleeps until the token is due, renews through the
/// repository (under the profile lock, so it cooperates with every other
/// tokenctl) and replaces the file, then calls `after_renewal` with the new
/// tokens. Returns the child's status once it ended.
fn keep_fresh(
    repo: &TokenRepo,
    mut current: TokenSet,
    min_valid: Duration,
    token_file: &Mutex<Option<TokenFile>>,
    exited: &mpsc::Receiver<std::io::Result<ExitStatus>>,
    after_renewal: &dyn Fn(&TokenSet),
) -> Result<ExitStatus> {
    let mut retry = Duration::from_secs(1);
    let mut due = renew_at(&current, min_valid);
    loop {
        let mut wait = match due {
            Some(at) => Duration::from_secs(at.saturating_sub(token::now())),
            // Unknown expiry: the repository would never renew it either.
            None => Duration::MAX,
        };
        if token::clock_is_moved() {
            // A test moves the clock faster than the system's: look often.
            wait = wait.min(Duration::from_millis(20));
        }
        match exited.recv_timeout(wait) {
            Err(RecvTimeoutError::Timeout) => {}
            Ok(status) => {
                return status.map_err(|e| anyhow::anyhow!("waiting for the command failed: {e}"));
            }
            Err(RecvTimeoutError::Disconnected) => {
                return Err(anyhow::anyhow!("lost track of the command"));
            }
        }
        if due.is_some_and(|at| token::now() < at) {
            continue;
        }
        match repo.fresh(min_valid, None) {
            Ok(tokens) if tokens.access_token != current.access_token => {
                // Held while writing: the waiter cannot remove it meanwhile.
                let guard = token_file.lock().expect("not poisoned");
                let written = match guard.as_ref() {
                    Some(file) => file.replace(&tokens.access_token).map_err(|e| {
                        ui::warn(format!(
                            "could not replace the token file {}: {e}; retrying in {}s",
                            crate::text::shown(&file.path),
                            retry.as_secs()
                        ))
                    }),
                    None => Ok(()),
                };
                drop(guard);
                after_renewal(&tokens);
                if written.is_ok() {
                    ui::verbose(format!(
                        "token file renewed: {}",
                        crate::repo::describe_expiry(&tokens)
                    ));
                    current = tokens;
                    retry = Duration::from_secs(1);
                    due = renew_at(&current, min_valid);
                } else {
                    // The file still holds the old token (on Windows a
                    // reader may hold it open): the stored token is fresh,
                    // so the next round writes it without a renewal.
                    due = Some(token::now() + retry.as_secs());
                    retry = (retry * 2).min(MAX_RETRY);
                }
            }
            Ok(_) => {
                // Not renewed yet (another tokenctl's fresh token, clock
                // rounding): look again shortly.
                due = Some(token::now() + 1);
            }
            Err(e) => {
                ui::warn(format!(
                    "could not renew the token for the running command: {e}; retrying in {}s",
                    retry.as_secs()
                ));
                due = Some(token::now() + retry.as_secs());
                retry = (retry * 2).min(MAX_RETRY);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn tokens(obtained: u64, expires: Option<u64>) -> TokenSet {
        crate::token::sample(obtained, expires)
    }

    #[test]
    fn renewal_is_due_within_the_repository_margin() {
        let min = Duration::from_secs(60);
        // An hour: 60 s before expiry.
        assert_eq!(renew_at(&tokens(0, Some(3600)), min), Some(3540));
        // 30 s: at half its life, as the repository would.
        assert_eq!(renew_at(&tokens(1000, Some(1030)), min), Some(1015));
        assert_eq!(renew_at(&tokens(0, Some(60)), min), Some(30));
        // 100 s: with 60 s left, not at half its life (50 s left would
        // break the floor the command relies on).
        assert_eq!(renew_at(&tokens(0, Some(100)), min), Some(40));
        assert_eq!(renew_at(&tokens(0, Some(61)), min), Some(1));
        assert_eq!(renew_at(&tokens(0, None), min), None);
    }
}
