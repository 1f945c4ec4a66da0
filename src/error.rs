//! Typed failures and the one place that maps them to exit codes.

use std::fmt;

/// Documented exit codes (README "Exit codes"); keep the two in step.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Exit {
    Ok = 0,
    Other = 1,
    Usage = 2,
    Credentials = 3,
    Server = 4,
    Store = 5,
}

/// A failure whose kind decides the exit code. Messages are lowercase, say
/// what failed and why, and name the next step; they never hold a secret.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// Bad flags, bad config, an operation the API does not offer.
    #[error("{0}")]
    Usage(String),
    /// The server rejected the credentials, or there are none to use.
    #[error("{0}")]
    Credentials(String),
    /// The server failed or answered something we cannot use; or the network did.
    #[error("{0}")]
    Server(String),
    /// The keychain or the token file could not be used.
    #[error("{0}")]
    Store(String),
}

impl Error {
    pub fn usage(msg: impl fmt::Display) -> Self {
        Self::Usage(msg.to_string())
    }
    pub fn credentials(msg: impl fmt::Display) -> Self {
        Self::Credentials(msg.to_string())
    }
    pub fn server(msg: impl fmt::Display) -> Self {
        Self::Server(msg.to_string())
    }
    pub fn store(msg: impl fmt::Display) -> Self {
        Self::Store(msg.to_string())
    }

    pub fn exit(&self) -> Exit {
        match self {
            Self::Usage(_) => Exit::Usage,
            Self::Credentials(_) => Exit::Credentials,
            Self::Server(_) => Exit::Server,
            Self::Store(_) => Exit::Store,
        }
    }
}

/// The exit code for any error: the first typed [`Error`] in the chain
/// decides, anything else is 1.
pub fn exit_code(err: &anyhow::Error) -> Exit {
    err.chain()
        .find_map(|e| e.downcast_ref::<Error>())
        .map_or(Exit::Other, Error::exit)
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
    }
}
