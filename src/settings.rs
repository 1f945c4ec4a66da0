//! What one run decides for everything below the commands: built once from
//! the global options (or by a program embedding the library) and passed
//! to what builds HTTP clients and opens token stores, instead of being
//! kept in process globals that a library's caller could not set per use.

use std::time::Duration;

/// The longest wait for one keychain call when nobody says otherwise: a
/// keychain waiting for an unlock prompt fails after this, not never.
pub const DEFAULT_KEYCHAIN_TIMEOUT: Duration = Duration::from_secs(5);

/// The run's settings.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Settings {
    /// Connect timeout of server requests; wins over the profile's.
    pub connect_timeout: Option<Duration>,
    /// Timeout of a whole server request, retries included; wins over the
    /// profile's.
    pub request_timeout: Option<Duration>,
    /// The longest wait for one keychain call.
    pub keychain_timeout: Duration,
}

impl Default for Settings {
    /// The profile's timeouts (else the HTTP client's defaults), and
    /// [`DEFAULT_KEYCHAIN_TIMEOUT`].
    fn default() -> Self {
        Self {
            connect_timeout: None,
            request_timeout: None,
            keychain_timeout: DEFAULT_KEYCHAIN_TIMEOUT,
        }
    }
}
