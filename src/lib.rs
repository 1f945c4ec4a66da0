//! tokenctl: a credential helper for the Run:ai and GBDS token APIs.

// The library (crates/tokenctl-core): API clients, stores, the token
// repository. Re-exported under the names the binary's modules use
// (`crate::config`, ...); public only what the fuzz targets, the benchmark
// and the man-page generator reach.
pub use tokenctl_core::{api, config, grant, model, settings, text, token};
use tokenctl_core::{atomic, claims, lock, paths, random, repo, secret, store};

// The binary: command line, commands, and everything printed.
mod child;
pub mod cli;
mod commands;
mod hygiene;
mod kube;
mod kuberc;
pub mod output;
mod prompt;
#[cfg(unix)]
mod runai_config;
pub mod shell;
mod sso;
mod ui;

/// The library's variable names, and the build facts of this binary.
pub mod env {
    pub use tokenctl_core::env::*;

    /// What build.rs recorded (`cargo:rustc-env`): `env!` takes only a literal,
    /// so the values are read here, beside their names.
    pub mod build {
        /// [`super::EnvVars::TOKENCTL_BUILD_COMMIT`]'s value.
        pub const COMMIT: &str = env!("TOKENCTL_BUILD_COMMIT");
        /// [`super::EnvVars::TOKENCTL_BUILD_COMMIT_SHORT`]'s value.
        pub const COMMIT_SHORT: &str = env!("TOKENCTL_BUILD_COMMIT_SHORT");
        /// [`super::EnvVars::TOKENCTL_BUILD_TARGET`]'s value.
        pub const TARGET: &str = env!("TOKENCTL_BUILD_TARGET");
        /// [`super::EnvVars::TOKENCTL_BUILD_DATE`]'s value.
        pub const DATE: &str = env!("TOKENCTL_BUILD_DATE");
        /// `--version`'s line: the version and the commit it was built from.
        pub const VERSION_LINE: &str = concat!(
            env!("CARGO_PKG_VERSION"),
            " (commit ",
            env!("TOKENCTL_BUILD_COMMIT_SHORT"),
            ")"
        );
    }
}

/// The library's error types, and the one place that maps any error to
/// an exit code.
mod error {
    pub use tokenctl_core::error::*;

    /// The exit code for any error: the first typed [`Error`] in the chain
    /// decides, anything else is 1.
    pub fn exit_code(err: &anyhow::Error) -> Exit {
        err.chain()
            .find_map(|e| e.downcast_ref::<Error>())
            .map_or(Exit::Other, Error::code)
    }

    #[cfg(test)]
    mod tests {
        use super::*;
        use anyhow::Context;

        #[test]
        fn typed_error_decides_exit_code_through_context() {
            let err = Err::<(), _>(Error::store("keychain locked"))
                .context("saving the token")
                .unwrap_err();
            assert_eq!(exit_code(&err), Exit::Store);
            assert_eq!(exit_code(&anyhow::anyhow!("plain")), Exit::Other);
            for (e, code) in [
                (Error::usage("u"), 2),
                (Error::credentials("c"), 3),
                (Error::server("s"), 4),
                (Error::store("t"), 5),
            ] {
                assert_eq!(exit_code(&anyhow::Error::new(e)) as i32, code);
            }
        }
    }
}

/// What std's start-up would have done before `main` (src/main.rs has its
/// own): standard streams that exist, SIGPIPE ignored.
pub fn start() {
    hygiene::process_start();
}

/// Runs the command line and returns the process exit code.
pub fn main() -> i32 {
    hygiene::init();
    tokenctl_core::report::set_reporter(&ui::Stderr);
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
