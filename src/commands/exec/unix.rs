//! Signals on Unix: INT, TERM and HUP are blocked in every tokenctl thread
//! and taken by one thread with `sigwait`, which forwards them to the
//! child. A handler could not do that safely: it may run while the child is
//! being reaped, and then `kill` could reach a recycled pid. The thread
//! forwards under the same mutex the main thread takes before reaping, so
//! it never does. A signal tokenctl was started ignoring (`nohup`) stays
//! ignored until the command runs; the command inherits the disposition,
//! as from any parent.

use std::os::unix::process::ExitStatusExt;
use std::process::{Command, ExitStatus};
use std::sync::{Arc, Mutex};

use super::{Phase, TokenFile, remove_file};
use crate::error::Error;
use crate::ui;

const FORWARDED: [libc::c_int; 3] = [libc::SIGINT, libc::SIGTERM, libc::SIGHUP];

/// Blocks the forwarded signals (before any thread exists, so every thread
/// tokenctl starts inherits the mask) and starts the one thread that takes
/// them.
pub(super) fn start(
    phase: &Arc<Mutex<Phase>>,
    token_file: &Arc<Mutex<Option<TokenFile>>>,
) -> Result<(), Error> {
    let ignored = ignored_at_start();
    block_forwarded()?;
    spawn_signal_thread(Arc::clone(phase), Arc::clone(token_file), ignored)
}

/// The mask survives exec: without this the command could never be
/// interrupted or terminated.
pub(super) fn prepare(cmd: &mut Command) {
    let set = forwarded_set();
    // SAFETY: only pthread_sigmask, which is async-signal-safe, between
    // fork and exec, on a set built before the fork.
    unsafe {
        std::os::unix::process::CommandExt::pre_exec(cmd, move || {
            match libc::pthread_sigmask(libc::SIG_UNBLOCK, &set, std::ptr::null_mut()) {
                0 => Ok(()),
                rc => Err(std::io::Error::from_raw_os_error(rc)),
            }
        });
    }
}

/// The shell's convention: the child's code, or 128 + the signal that killed it.
pub(super) fn exit_code(status: ExitStatus) -> i32 {
    match (status.code(), status.signal()) {
        (Some(code), _) => code,
        (None, Some(sig)) => 128 + sig,
        (None, None) => 1,
    }
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
                        unsafe { libc::kill(pid as libc::pid_t, sig) };
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
pub(super) fn wait(
    child: &mut std::process::Child,
    phase: &Mutex<Phase>,
) -> std::io::Result<ExitStatus> {
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn exit_codes_follow_the_shell() {
        assert_eq!(exit_code(ExitStatus::from_raw(3 << 8)), 3);
        assert_eq!(exit_code(ExitStatus::from_raw(libc::SIGKILL)), 137);
        assert_eq!(exit_code(ExitStatus::from_raw(libc::SIGTERM)), 143);
    }
}
