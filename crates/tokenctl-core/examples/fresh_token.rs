//! A fresh access token for a tokenctl profile, the way a program embedding
//! the library gets one: `fresh_token [PROFILE [CONFIG_FILE]]` prints the
//! token of PROFILE (default: `default`) in CONFIG_FILE (default:
//! tokenctl's config.toml), renewed first when it has under a minute left.
//! Log in once with `tokenctl login`; the token is read from, and a renewed
//! one written back to, the store that login chose.

use std::io::Write;
use std::path::PathBuf;

use tokenctl_core::{Config, DEFAULT_MIN_VALID, Error, Settings, TokenRepo};

fn fresh_token(profile: &str, config: Option<PathBuf>) -> Result<String, Error> {
    let config = Config::load(config.as_deref())?;
    let repo = TokenRepo::open(&config, profile, Settings::default())?;
    let tokens = repo.fresh(DEFAULT_MIN_VALID, None)?;
    Ok(tokens.access_token.expose().to_string())
}

fn main() -> std::process::ExitCode {
    let mut args = std::env::args().skip(1);
    let profile = args.next().unwrap_or_else(|| "default".to_string());
    match fresh_token(&profile, args.next().map(PathBuf::from)) {
        Ok(token) => {
            let _ = writeln!(std::io::stdout(), "{token}");
            std::process::ExitCode::SUCCESS
        }
        Err(e) => {
            let _ = writeln!(std::io::stderr(), "error: {e}");
            std::process::ExitCode::from(e.code() as u8)
        }
    }
}
