//! tokenctl: a credential helper for the Run:ai and GBDS token APIs.

pub mod api;
pub mod cache;
pub mod cli;
pub mod commands;
pub mod config;
pub mod error;
pub mod kube;
pub mod lock;
pub mod output;
pub mod prompt;
pub mod renew;
pub mod secret;
pub mod shell;
pub mod sso;
pub mod store;
pub mod token;
pub mod ui;

/// A panic message can quote values that were being handled (a token, a
/// response body): print only where it happened.
fn install_panic_hook() {
    std::panic::set_hook(Box::new(|info| {
        let place = info
            .location()
            .map(|l| format!(" at {}:{}", l.file(), l.line()))
            .unwrap_or_default();
        eprintln!(
            "error: tokenctl hit a bug{place}; details are withheld because they could contain secrets. Please report it with the command you ran (without secrets)."
        );
    }));
}

/// Runs the command line and returns the process exit code.
pub fn main() -> i32 {
    install_panic_hook();
    // `TOKENCTL_COMPLETE=bash tokenctl` prints the dynamic completion script;
    // the shell then calls back the same way for each TAB. Exits when it did.
    clap_complete::CompleteEnv::with_factory(cli::command)
        .var(shell::COMPLETE_VAR)
        .complete();
    // Help and version go to stdout with 0; usage errors to stderr with 2.
    let cli = match cli::parse() {
        Ok(cli) => cli,
        Err(code) => return code,
    };
    match commands::run(cli) {
        Ok(()) => error::Exit::Ok as i32,
        Err(err) => {
            ui::error(format!("{err:#}"));
            error::exit_code(&err) as i32
        }
    }
}
