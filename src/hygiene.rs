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
    if std::env::var_os("TOKENCTL_TEST_PANIC").is_some() {
        // Debug builds only: lets the test suite check the panic path.
        panic!("TOKENCTL_TEST_PANIC is set");
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

/// Best effort: a failure leaves the process as it was, which is no worse.
fn disable_core_dumps() {
    #[cfg(unix)]
    {
        let none = libc::rlimit {
            rlim_cur: 0,
            rlim_max: 0,
        };
        // SAFETY: setrlimit reads a valid rlimit struct we own.
        unsafe {
            libc::setrlimit(libc::RLIMIT_CORE, &none);
        }
    }
    #[cfg(any(target_os = "linux", target_os = "android"))]
    // SAFETY: prctl with PR_SET_DUMPABLE takes plain integer arguments.
    unsafe {
        libc::prctl(libc::PR_SET_DUMPABLE, 0, 0, 0, 0);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn core_dumps_are_off() {
        // Only lowers limits of the test process itself; harmless.
        disable_core_dumps();
        let mut limit = libc::rlimit {
            rlim_cur: 1,
            rlim_max: 1,
        };
        // SAFETY: getrlimit writes into a valid struct we own.
        assert_eq!(unsafe { libc::getrlimit(libc::RLIMIT_CORE, &mut limit) }, 0);
        assert_eq!((limit.rlim_cur, limit.rlim_max), (0, 0));
        #[cfg(target_os = "linux")]
        // SAFETY: PR_GET_DUMPABLE takes no pointer.
        assert_eq!(unsafe { libc::prctl(libc::PR_GET_DUMPABLE, 0, 0, 0, 0) }, 0);
    }
}
