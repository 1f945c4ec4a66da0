//! Crash hygiene: a crash must not leave secrets behind.
//!
//! At start-up core dumps are turned off (`RLIMIT_CORE` 0) and, on Linux,
//! the process is made non-dumpable (`PR_SET_DUMPABLE` 0), as ssh-agent
//! does: a core or a debugger attached by another process of the same user
//! could read the password or tokens from memory. A panic prints no details
//! (its message could quote a secret) and ends the process with
//! [`PANIC_EXIT`] instead of an abort.

/// Exit code of a panic (a bug in tokenctl); EX_SOFTWARE in sysexits.h.
pub const PANIC_EXIT: i32 = crate::error::Exit::Panic as i32;

/// Everything above, once, first thing in `main`.
pub fn init() {
    install_panic_hook();
    disable_core_dumps();
    #[cfg(debug_assertions)]
    if std::env::var_os(crate::env::EnvVars::TOKENCTL_TEST_PANIC).is_some() {
        // Debug builds only: lets the test suite check the panic path.
        panic!("{} is set", crate::env::EnvVars::TOKENCTL_TEST_PANIC);
    }
}

/// A panic message can quote values that were being handled (a token, a
/// response body): print only where it happened, then exit.
fn install_panic_hook() {
    std::panic::set_hook(Box::new(|info| {
        let place = info
            .location()
            .map(|l| format!(" at {}:{}", l.file(), l.line()))
            .unwrap_or_default();
        eprintln!(
            "error: tokenctl hit a bug{place}; details are withheld because they could contain secrets. Please report it with the command you ran (without secrets)."
        );
        // Exit, not abort: no core dump, and a documented exit code. With
        // panic = "abort" the abort would follow this hook.
        std::process::exit(PANIC_EXIT);
    }));
}

/// What std's own start-up does that tokenctl relies on, for the binary's
/// C `main` (src/main.rs): fds 0, 1 and 2 that are closed are opened on
/// /dev/null, so no file tokenctl opens (a token file) can become stdout;
/// and SIGPIPE is ignored, so a closed pipe is an EPIPE error with a
/// message and exit code, not a silent death.
pub fn process_start() {
    #[cfg(unix)]
    {
        let mut fds = [0, 1, 2].map(|fd| libc::pollfd {
            fd,
            events: 0,
            revents: 0,
        });
        // SAFETY: poll reads and writes the three pollfd structs we own;
        // fcntl(F_GETFD) and open take no pointer but a NUL-terminated path
        // literal; signal sets a disposition, no handler of ours.
        unsafe {
            let polled = libc::poll(fds.as_mut_ptr(), 3, 0) >= 0;
            for pfd in fds {
                let closed = if polled {
                    pfd.revents & libc::POLLNVAL != 0
                } else {
                    libc::fcntl(pfd.fd, libc::F_GETFD) == -1
                        && std::io::Error::last_os_error().raw_os_error() == Some(libc::EBADF)
                };
                // The lowest free fd is this one: those below are open.
                if closed && libc::open(c"/dev/null".as_ptr(), libc::O_RDWR) != pfd.fd {
                    libc::abort();
                }
            }
            libc::signal(libc::SIGPIPE, libc::SIG_IGN);
        }
    }
}

/// The core-file limit tokenctl was started with, for its children.
#[cfg(unix)]
static ORIGINAL_CORE_LIMIT: std::sync::OnceLock<libc::rlimit> = std::sync::OnceLock::new();

/// The soft core-file limit tokenctl was started with: children (the job of
/// `exec`, kubectl, a browser) get it back, so their own crashes still dump.
#[cfg(unix)]
pub fn original_core_limit() -> Option<libc::rlimit> {
    ORIGINAL_CORE_LIMIT.get().copied()
}

/// Best effort: a failure leaves the process as it was, which is no worse.
/// Only the soft limit is lowered (the hard one stays, so children can be
/// given theirs back); `PR_SET_DUMPABLE` 0 keeps tokenctl's own core off
/// even if someone raised the soft limit again.
fn disable_core_dumps() {
    #[cfg(unix)]
    {
        let mut limit = libc::rlimit {
            rlim_cur: 0,
            rlim_max: 0,
        };
        // SAFETY: getrlimit writes into, and setrlimit reads, a valid rlimit
        // struct we own.
        unsafe {
            if libc::getrlimit(libc::RLIMIT_CORE, &mut limit) == 0 {
                let _ = ORIGINAL_CORE_LIMIT.set(limit);
            }
            let none = libc::rlimit {
                rlim_cur: 0,
                rlim_max: limit.rlim_max,
            };
            libc::setrlimit(libc::RLIMIT_CORE, &none);
        }
    }
    // SAFETY: prctl with PR_SET_DUMPABLE takes plain integer arguments and
    // changes only this process's dumpable flag.
    #[cfg(any(target_os = "linux", target_os = "android"))]
    unsafe {
        libc::prctl(libc::PR_SET_DUMPABLE, 0, 0, 0, 0);
    }
}

#[cfg(all(test, unix))]
mod tests {
    use super::*;

    #[test]
    fn core_dumps_are_off() {
        let mut before = libc::rlimit {
            rlim_cur: 1,
            rlim_max: 1,
        };
        assert_eq!(
            // SAFETY: getrlimit writes into a valid struct we own.
            unsafe { libc::getrlimit(libc::RLIMIT_CORE, &mut before) },
            0
        );
        // Only lowers the soft limit of the test process itself; harmless.
        disable_core_dumps();
        let mut limit = libc::rlimit {
            rlim_cur: 1,
            rlim_max: 1,
        };
        // SAFETY: getrlimit writes into a valid struct we own.
        assert_eq!(unsafe { libc::getrlimit(libc::RLIMIT_CORE, &mut limit) }, 0);
        assert_eq!((limit.rlim_cur, limit.rlim_max), (0, before.rlim_max));
        let kept = original_core_limit().unwrap();
        assert_eq!(
            (kept.rlim_cur, kept.rlim_max),
            (before.rlim_cur, before.rlim_max)
        );
        // SAFETY: PR_GET_DUMPABLE takes no pointer and changes nothing.
        #[cfg(target_os = "linux")]
        assert_eq!(unsafe { libc::prctl(libc::PR_GET_DUMPABLE, 0, 0, 0, 0) }, 0);
    }
}
