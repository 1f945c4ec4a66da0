//! The library behind `tokenctl`: clients for the Run:ai and GBDS token
//! APIs, the token stores (OS keychain, kernel keyring, a private file), and
//! one token repository per profile that owns its store, memory cache and
//! lock, renews tokens and writes them back. No command line here and
//! nothing printed: messages go to a [`report::Reporter`] the program
//! installs, failures come back as [`Error`].
//!
//! A fresh token for a profile of `~/.config/tokenctl/config.toml`:
//!
//! ```no_run
//! use tokenctl_core::{Config, Settings, TokenRepo, DEFAULT_MIN_VALID};
//!
//! let config = Config::load(None)?;
//! let repo = TokenRepo::open(&config, "default", Settings::default())?;
//! let tokens = repo.fresh(DEFAULT_MIN_VALID, None)?;
//! let bearer = tokens.access_token.expose();
//! # let _ = bearer;
//! # Ok::<(), tokenctl_core::Error>(())
//! ```
//!
//! `examples/fresh_token.rs` is the same as a program.
#![deny(missing_docs)]

pub mod config;
pub mod error;
pub mod model;
pub mod repo;
pub mod report;
pub mod secret;
pub mod settings;
pub mod token;

// What the tokenctl binary builds on beyond the API above. Public for it,
// hidden from the documentation, and not a stable interface.
#[doc(hidden)]
pub mod api;
#[doc(hidden)]
pub mod atomic;
#[doc(hidden)]
pub mod cache;
#[doc(hidden)]
pub mod claims;
#[doc(hidden)]
pub mod env;
#[doc(hidden)]
pub mod grant;
#[doc(hidden)]
pub mod lock;
#[doc(hidden)]
pub mod paths;
#[doc(hidden)]
pub mod random;
#[doc(hidden)]
pub mod store;
#[doc(hidden)]
pub mod text;

pub use config::{Config, Profile};
pub use error::{Error, Kind};
pub use repo::{DEFAULT_MIN_VALID, TokenRepo};
pub use secret::Secret;
pub use settings::Settings;
pub use token::TokenSet;
