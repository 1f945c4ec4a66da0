//! tokenctl: a credential helper for the Run:ai and GBDS token APIs.

pub mod api;
pub mod cache;
pub mod cli;
pub mod commands;
pub mod config;
pub mod error;
pub mod hygiene;
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

use clap::{CommandFactory, Parser};

/// Runs the command line and returns the process exit code.
pub fn main() -> i32 {
    hygiene::init();
    // `TOKENCTL_COMPLETE=bash tokenctl` prints the dynamic completion script;
    // the shell then calls back the same way for each TAB. Exits when it did.
    clap_complete::CompleteEnv::with_factory(cli::Cli::command)
        .var(shell::COMPLETE_VAR)
        .complete();
    let cli = match cli::Cli::try_parse() {
        Ok(cli) => cli,
        Err(e) => {
            // Help and version go to stdout with 0; usage errors to stderr with 2.
            let _ = e.print();
            return e.exit_code();
        }
    };
    match commands::run(cli) {
        Ok(()) => error::Exit::Ok as i32,
        Err(err) => {
            ui::error(format!("{err:#}"));
            error::exit_code(&err) as i32
        }
    }
}
