//! tokenctl: a credential helper for the Run:ai and GBDS token APIs.

// Public only what the fuzz targets, the benchmark and the man-page
// generator reach; everything else is crate-private so dead code shows.
pub mod api;
mod atomic;
mod cache;
mod child;
mod claims;
pub mod cli;
mod commands;
pub mod config;
pub mod env;
mod error;
pub mod grant;
mod hygiene;
mod kube;
mod kuberc;
mod lock;
pub mod model;
pub mod output;
mod paths;
mod prompt;
mod random;
mod repo;
#[cfg(unix)]
mod runai_config;
mod secret;
pub mod settings;
pub mod shell;
mod sso;
mod store;
pub mod text;
pub mod token;
mod ui;

/// What std's start-up would have done before `main` (src/main.rs has its
/// own): standard streams that exist, SIGPIPE ignored.
pub fn start() {
    hygiene::process_start();
}

/// Runs the command line and returns the process exit code.
pub fn main() -> i32 {
    hygiene::init();
    // `TOKENCTL_COMPLETE=bash tokenctl` prints the dynamic completion script;
    // the shell then calls back the same way for each TAB. Exits when it did.
    // Not clap's generic `COMPLETE`: an unrelated variable of that name in
    // someone's CI must never change what `tokenctl token` does.
    clap_complete::CompleteEnv::with_factory(cli::command)
        .var(env::EnvVars::TOKENCTL_COMPLETE)
        .complete();
    // The hot path's few arguments are read without building clap's
    // command tree; anything else (help, version, usage errors) is clap's.
    // Help and version go to stdout with 0; usage errors to stderr with 2.
    if let Some(code) = cli::fast::help() {
        return code;
    }
    let cli = match cli::fast::parse().map_or_else(cli::parse, Ok) {
        Ok(cli) => cli,
        Err(code) => return code,
    };
    match commands::run(cli) {
        Ok(code) => code,
        Err(err) => {
            ui::error(format!("{err:#}"));
            error::exit_code(&err) as i32
        }
    }
}
