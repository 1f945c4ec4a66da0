//! Ctrl-C and Ctrl-Break on Windows: the console sends them to every
//! process attached to it, the command included, so there is nothing to
//! forward. While the command runs tokenctl only must not die of them
//! first: its handler answers "handled" and the command decides; tokenctl
//! then ends with the command's code (as `cargo run` does). Before the
//! command starts they end tokenctl as they would without exec, and so does
//! the console closing (or the user logging off) at any time; the token
//! file is removed first.
//!
//! A handler function, not `SetConsoleCtrlHandler(NULL, TRUE)`: the latter
//! is inherited, and the command could not be interrupted either.

use std::process::{Child, Command, ExitStatus};
use std::sync::{Arc, Mutex, OnceLock, PoisonError};

use windows_sys::Win32::System::Console::{CTRL_BREAK_EVENT, CTRL_C_EVENT, SetConsoleCtrlHandler};
use windows_sys::core::BOOL;

use super::{Phase, TokenFile, remove_file};
use crate::error::Error;
use crate::ui;

/// What a process ended by Ctrl-C exits with (`STATUS_CONTROL_C_EXIT`).
const CONTROL_C_EXIT: u32 = 0xC000_013A;

/// What the handler, which runs on a thread the system starts, needs.
struct Shared {
    phase: Arc<Mutex<Phase>>,
    token_file: Arc<Mutex<Option<TokenFile>>>,
}

static SHARED: OnceLock<Shared> = OnceLock::new();

pub(super) fn start(
    phase: &Arc<Mutex<Phase>>,
    token_file: &Arc<Mutex<Option<TokenFile>>>,
) -> Result<(), Error> {
    let shared = Shared {
        phase: Arc::clone(phase),
        token_file: Arc::clone(token_file),
    };
    if SHARED.set(shared).is_err() {
        return Err(Error::usage("`exec` runs one command per tokenctl"));
    }
    // SAFETY: a handler with the signature the system calls, living as
    // long as the process.
    if unsafe { SetConsoleCtrlHandler(Some(on_console_event), 1) } == 0 {
        return Err(Error::usage(format!(
            "cannot handle Ctrl-C for the command: {}",
            std::io::Error::last_os_error()
        )));
    }
    Ok(())
}

/// Runs on a thread of its own; TRUE (1) ends the event's handling here,
/// the process going on.
unsafe extern "system" fn on_console_event(event: u32) -> BOOL {
    let Some(shared) = SHARED.get() else {
        return 0;
    };
    // Held to the end: the main thread cannot start the command meanwhile.
    let phase = shared.phase.lock().unwrap_or_else(PoisonError::into_inner);
    match (&*phase, event) {
        (Phase::Running(pid), CTRL_C_EVENT | CTRL_BREAK_EVENT) => {
            ui::trace(format!(
                "console event {event}: the command (pid {pid}) got it too; waiting for it"
            ));
            1
        }
        (Phase::Finished, CTRL_C_EVENT | CTRL_BREAK_EVENT) => 1,
        _ => {
            remove_file(&shared.token_file);
            std::process::exit(CONTROL_C_EXIT as i32);
        }
    }
}

/// The command runs in tokenctl's console and process group, where the
/// console's events reach it.
pub(super) fn prepare(_cmd: &mut Command) {}

/// The child's handle keeps its pid from being reused until it is dropped,
/// so there is no window to guard against here.
pub(super) fn wait(child: &mut Child, phase: &Mutex<Phase>) -> std::io::Result<ExitStatus> {
    let status = child.wait();
    *phase.lock().expect("not poisoned") = Phase::Finished;
    status
}

/// The command's own code, whatever it is (an NTSTATUS for a crash or a
/// Ctrl-C, 1 for `taskkill /f`).
pub(super) fn exit_code(status: ExitStatus) -> i32 {
    status.code().unwrap_or(1)
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::os::windows::process::ExitStatusExt;

    #[test]
    fn the_commands_code_is_ours_whole() {
        assert_eq!(exit_code(ExitStatus::from_raw(3)), 3);
        // Given to ExitProcess as the same 32 bits.
        assert_eq!(
            exit_code(ExitStatus::from_raw(CONTROL_C_EXIT)) as u32,
            CONTROL_C_EXIT
        );
    }
}
