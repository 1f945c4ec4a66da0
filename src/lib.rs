//! tokenctl: a credential helper for the Run:ai and GBDS token APIs.

// Public only what the fuzz targets, the benchmark and the man-page
// generator reach; everything else is crate-private so dead code shows.
pub mod api;
mod cache;
mod child;
mod ci_token;
mod claims;
pub mod cli;
mod commands;
pub mod config;
mod error;
mod grant;
mod kube;
mod lock;
mod output;
mod paths;
mod prompt;
mod repo;
mod secret;
pub mod shell;
mod sso;
mod store;
pub mod token;
mod ui;

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
