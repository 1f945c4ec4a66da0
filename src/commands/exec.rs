//! `tokenctl exec -- COMMAND [ARGS...]`: run a command with a fresh token in
//! its environment and in a file that stays fresh while it runs.
//!
//! The child gets the first token in `--env-var` and the path of a 0600
//! file in `TOKENCTL_TOKEN_FILE`; a thread renews through the repository
//! before `--min-valid` and replaces the file atomically, so a long job that
//! re-reads the file never holds an expired token. The variable keeps the
//! first token: a process's environment cannot be changed from outside.
//!
//! Signals: INT, TERM and HUP are blocked in every tokenctl thread and taken
//! by one thread with `sigwait`, which forwards them to the child. A handler
//! could not do that safely: it may run while the child is being reaped,
//! and then `kill` could reach a recycled pid. The thread forwards under the
//! same mutex the main thread takes before reaping, so it never does.
//! A signal tokenctl was started ignoring (`nohup`) stays ignored until the
//! command runs; the command inherits the disposition, as from any parent.

use std::fs;
use std::os::unix::process::ExitStatusExt;
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

const FORWARDED: [libc::c_int; 3] = [libc::SIGINT, libc::SIGTERM, libc::SIGHUP];

/// How long a failed renewal waits before the next try, at most.
const MAX_RETRY: Duration = Duration::from_secs(30);

/// Runs the command; `Ok` holds the exit code tokenctl ends with: the
/// command's ([`exit_code`]), 127 when it cannot be found, 126 when it
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
    let profile = ctx.profile()?;
    let min_valid = args
        .min_valid
        .or(profile.min_valid.map(|d| d.0))
        .unwrap_or(DEFAULT_MIN_VALID);

    // Before any thread exists, so every thread tokenctl starts inherits
    // the mask and only the signal thread takes these signals.
    let ignored = ignored_at_start();
    block_forwarded()?;
    let phase = Arc::new(Mutex::new(Phase::Starting));
    let token_file: Arc<Mutex<Option<TokenFile>>> = Arc::new(Mutex::new(None));
    spawn_signal_thread(Arc::clone(&phase), Arc::clone(&token_file), ignored)?;

    let repo = ctx.repo(profile.clone(), args.lock.lock_timeout);
    let tokens = repo.fresh(min_valid, None)?;
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
    if let Some(runai) = &runai {
        cmd.env(EnvVars::RUNAI_CLI_CONFIG_PATH, runai.path());
    }
    // The mask survives exec: without this the command could never be
    // interrupted or terminated.
    let set = forwarded_set();
    // SAFETY: only pthread_sigmask, which is async-signal-safe, between
    // fork and exec, on a set built before the fork.
    unsafe {
        std::os::unix::process::CommandExt::pre_exec(
            &mut cmd,
            move || match libc::pthread_sigmask(libc::SIG_UNBLOCK, &set, std::ptr::null_mut()) {
                0 => Ok(()),
                rc => Err(std::io::Error::from_raw_os_error(rc)),
            },
        );
    }

    // Spawned under the phase lock: a signal that arrives meanwhile is
    // either handled before (abort) or forwarded after, never lost.
    let mut child = {
        let mut phase = phase.lock().expect("not poisoned");
        match cmd.spawn() {
            Ok(child) => {
                *phase = Phase::Running(child.id() as libc::pid_t);
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
            let status = wait(&mut child, &phase);
            remove_file(&token_file);
            let _ = done.send(status);
        });
    }
    let after_renewal = |tokens: &TokenSet| {
        if let Some(runai) = &runai {
            runai.renewed(tokens);
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
    Ok(exit_code(status))
}

/// The shell's convention: the child's code, or 128 + the signal that killed it.
fn exit_code(status: ExitStatus) -> i32 {
    match (status.code(), status.signal()) {
        (Some(code), _) => code,
        (None, Some(sig)) => 128 + sig,
        (None, None) => 1,
    }
}

/// Where the child stands, for the signal thread.
enum Phase {
    /// No child yet: a signal ends tokenctl, as it would without exec.
    Starting,
    /// Signals go to this pid.
    Running(libc::pid_t),
    /// Exited (maybe not reaped yet): its pid may be reused, signals are dropped.
    Finished,
}

fn forwarded_set() -> libc::sigset_t {
    // SAFETY: sigemptyset initialises the set; sigaddset with valid signals.
    unsafe {
        let mut set = std::mem::zeroed::<libc::sigset_t>();
        libc::sigemptyset(&mut set);
        for sig in FORWARDED {
            libc::sigaddset(&mut set, sig);
        }
        set
    }
}

/// The forwarded signals tokenctl was started ignoring (HUP under
/// `nohup`; INT and QUIT in a shell's background job). Blocking makes the
/// kernel queue them for the signal thread all the same, so it must know
/// not to end tokenctl for one before the command runs.
fn ignored_at_start() -> libc::sigset_t {
    // SAFETY: sigemptyset/sigaddset on a set we own; sigaction with a null
    // new action only reads the current disposition into `old`.
    unsafe {
        let mut set = std::mem::zeroed::<libc::sigset_t>();
        libc::sigemptyset(&mut set);
        for sig in FORWARDED {
            let mut old = std::mem::zeroed::<libc::sigaction>();
            if libc::sigaction(sig, std::ptr::null(), &mut old) == 0
                && old.sa_sigaction == libc::SIG_IGN
            {
                libc::sigaddset(&mut set, sig);
            }
        }
        set
    }
}

fn block_forwarded() -> Result<(), Error> {
    let set = forwarded_set();
    // SAFETY: a valid, initialised set; the old mask is not wanted. The
    // child unblocks them again (see `run`).
    let rc = unsafe { libc::pthread_sigmask(libc::SIG_BLOCK, &set, std::ptr::null_mut()) };
    if rc != 0 {
        return Err(Error::usage(format!(
            "cannot block signals for forwarding: {}",
            std::io::Error::from_raw_os_error(rc)
        )));
    }
    Ok(())
}

/// The signal and whether a process sent it to us alone. A terminal's ^C
/// (or hangup) reaches the whole foreground process group, the child
/// included, so forwarding it too would deliver it twice.
#[cfg(target_os = "linux")]
fn next_signal(set: &libc::sigset_t) -> Option<(libc::c_int, bool)> {
    // SAFETY: siginfo_t is plain C data, for which all-zero bytes are a
    // valid value.
    let mut info = unsafe { std::mem::zeroed::<libc::siginfo_t>() };
    // SAFETY: `set` is an initialised signal set (forwarded_set) and
    // `info` a siginfo_t we own; the kernel only writes into it.
    let sig = unsafe { libc::sigwaitinfo(set, &mut info) };
    (sig > 0).then_some((sig, info.si_code != libc::SI_KERNEL))
}

#[cfg(not(target_os = "linux"))]
fn next_signal(set: &libc::sigset_t) -> Option<(libc::c_int, bool)> {
    let mut sig = 0;
    // SAFETY: a valid set and an int to fill.
    let rc = unsafe { libc::sigwait(set, &mut sig) };
    (rc == 0).then_some((sig, true))
}

fn spawn_signal_thread(
    phase: Arc<Mutex<Phase>>,
    token_file: Arc<Mutex<Option<TokenFile>>>,
    ignored: libc::sigset_t,
) -> Result<(), Error> {
    let set = forwarded_set();
    std::thread::Builder::new()
        .name("signals".into())
        .spawn(move || {
            loop {
                let Some((sig, sent_to_us)) = next_signal(&set) else {
                    continue;
                };
                let phase = phase.lock().expect("not poisoned");
                match *phase {
                    // SAFETY: a set initialised by ignored_at_start.
                    Phase::Starting if unsafe { libc::sigismember(&ignored, sig) } == 1 => {
                        ui::trace(format!(
                            "signal {sig} ignored: tokenctl was started ignoring it"
                        ));
                    }
                    Phase::Starting => {
                        // Held: the main thread cannot start the child now.
                        // What the signal would have done, by hand (it is
                        // blocked): end the process. This thread cannot
                        // return to `main`; the main thread may be in a
                        // renewal that must not outlive the signal.
                        remove_file(&token_file);
                        std::process::exit(128 + sig);
                    }
                    Phase::Running(pid) if sent_to_us => {
                        ui::trace(format!("forwarding signal {sig} to pid {pid}"));
                        // SAFETY: kill on our child, which is not reaped
                        // while we hold the phase lock.
                        unsafe { libc::kill(pid, sig) };
                    }
                    Phase::Running(_) => {
                        ui::trace(format!(
                            "signal {sig} came from the terminal; the command got it too"
                        ));
                    }
                    Phase::Finished => {}
                }
            }
        })
        .map(drop)
        .map_err(|e| Error::usage(format!("cannot start the signal thread: {e}")))
}

/// Waits for the child to exit, marks it finished under the phase lock, and
/// only then reaps it, so the signal thread never signals a reused pid.
fn wait(child: &mut std::process::Child, phase: &Mutex<Phase>) -> std::io::Result<ExitStatus> {
    let pid = child.id() as libc::id_t;
    loop {
        // SAFETY: siginfo_t is plain C data, for which all-zero bytes are a
        // valid value.
        let mut info = unsafe { std::mem::zeroed::<libc::siginfo_t>() };
        // SAFETY: `info` is a siginfo_t we own for the kernel to fill; the
        // pid is our child's, and WNOWAIT leaves it unreaped (Child::wait
        // reaps it below).
        let rc =
            unsafe { libc::waitid(libc::P_PID, pid, &mut info, libc::WEXITED | libc::WNOWAIT) };
        if rc == 0 {
            break;
        }
        let err = std::io::Error::last_os_error();
        if err.kind() != std::io::ErrorKind::Interrupted {
            return Err(err);
        }
    }
    *phase.lock().expect("not poisoned") = Phase::Finished;
    child.wait()
}

/// The runtime directory's `tokenctl/exec` when it is safe, else the state
/// directory's.
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

fn remove_file(token_file: &Mutex<Option<TokenFile>>) {
    if let Some(file) = token_file.lock().expect("not poisoned").take() {
        file.remove();
    }
}

/// The file the child reads: the access token alone, no newline (like a
/// Kubernetes projected token), mode 0600, one per exec.
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

    /// A reader sees the old token or the new one, never half of one.
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
        let wait = match due {
            Some(at) => Duration::from_secs(at.saturating_sub(token::now())),
            // Unknown expiry: the repository would never renew it either.
            None => Duration::MAX,
        };
        match exited.recv_timeout(wait) {
            Err(RecvTimeoutError::Timeout) => {}
            Ok(status) => {
                return status.map_err(|e| anyhow::anyhow!("waiting for the command failed: {e}"));
            }
            Err(RecvTimeoutError::Disconnected) => {
                return Err(anyhow::anyhow!("lost track of the command"));
            }
        }
        match repo.fresh(min_valid, None) {
            Ok(tokens) if tokens.access_token != current.access_token => {
                // Held while writing: the waiter cannot remove it meanwhile.
                let guard = token_file.lock().expect("not poisoned");
                if let Some(file) = guard.as_ref() {
                    match file.replace(&tokens.access_token) {
                        Ok(()) => ui::verbose(format!(
                            "token file renewed: {}",
                            crate::repo::describe_expiry(&tokens)
                        )),
                        Err(e) => ui::warn(format!(
                            "could not replace the token file {}: {e}",
                            crate::text::shown(&file.path)
                        )),
                    }
                }
                drop(guard);
                after_renewal(&tokens);
                current = tokens;
                retry = Duration::from_secs(1);
                due = renew_at(&current, min_valid);
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

    #[test]
    fn exit_codes_follow_the_shell() {
        assert_eq!(exit_code(ExitStatus::from_raw(3 << 8)), 3);
        assert_eq!(exit_code(ExitStatus::from_raw(libc::SIGKILL)), 137);
        assert_eq!(exit_code(ExitStatus::from_raw(libc::SIGTERM)), 143);
    }
}
