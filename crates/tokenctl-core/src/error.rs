//! Typed failures and the one place that maps them to exit codes.
//!
//! An [`Error`] is a kind (which decides the exit code), a message (what
//! failed and why) and, optionally, a hint (the next step). One renderer
//! joins them, so no caller appends hints to message text by hand and no
//! caller has to parse a message to find its parts.

use std::fmt;

/// Documented exit codes (docs/exit-codes.md; a test below keeps the two in step).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Exit {
    /// Success.
    Ok = 0,
    /// Any other failure.
    Other = 1,
    /// Bad flags, config or input ([`Kind::Usage`]).
    Usage = 2,
    /// No usable credentials ([`Kind::Credentials`]).
    Credentials = 3,
    /// The server or network failed ([`Kind::Server`]).
    Server = 4,
    /// The token store failed ([`Kind::Store`]).
    Store = 5,
    /// A bug: the panic hook prints where, never what, and exits with this
    /// (BSD's EX_SOFTWARE) instead of aborting with a core dump.
    Panic = 70,
}

/// What went wrong, coarsely: decides the exit code.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// Bad flags, bad config, an operation the API does not offer.
    Usage,
    /// The server rejected the credentials, or there are none to use.
    Credentials,
    /// The server failed or answered something we cannot use; or the network did.
    Server,
    /// The keychain or the token file could not be used.
    Store,
}

/// A failure. Messages are lowercase, say what failed and why; the hint
/// names the next step. Neither ever holds a secret.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Error {
    kind: Kind,
    message: String,
    hint: Option<String>,
}

impl Error {
    /// A failure of `kind`; `message` says what failed and why.
    pub fn new(kind: Kind, message: impl fmt::Display) -> Self {
        Self {
            kind,
            message: message.to_string(),
            hint: None,
        }
    }
    /// A [`Kind::Usage`] failure.
    pub fn usage(msg: impl fmt::Display) -> Self {
        Self::new(Kind::Usage, msg)
    }
    /// A [`Kind::Credentials`] failure.
    pub fn credentials(msg: impl fmt::Display) -> Self {
        Self::new(Kind::Credentials, msg)
    }
    /// A [`Kind::Server`] failure.
    pub fn server(msg: impl fmt::Display) -> Self {
        Self::new(Kind::Server, msg)
    }
    /// A [`Kind::Store`] failure.
    pub fn store(msg: impl fmt::Display) -> Self {
        Self::new(Kind::Store, msg)
    }

    /// Sets the next step, replacing a more generic one.
    #[must_use]
    pub fn with_hint(mut self, hint: impl fmt::Display) -> Self {
        self.hint = Some(hint.to_string());
        self
    }

    /// Sets the next step only when there is none yet.
    #[must_use]
    pub fn or_hint(self, hint: impl fmt::Display) -> Self {
        if self.hint.is_some() {
            self
        } else {
            self.with_hint(hint)
        }
    }

    /// What went wrong, coarsely.
    pub fn kind(&self) -> Kind {
        self.kind
    }

    /// Whether this is a failure of `kind`.
    pub fn is(&self, kind: Kind) -> bool {
        self.kind == kind
    }

    /// What failed and why, without the hint.
    pub fn message(&self) -> &str {
        &self.message
    }

    /// The next step, when there is one.
    pub fn hint(&self) -> Option<&str> {
        self.hint.as_deref()
    }

    /// The documented exit code for this failure.
    pub fn code(&self) -> Exit {
        match self.kind {
            Kind::Usage => Exit::Usage,
            Kind::Credentials => Exit::Credentials,
            Kind::Server => Exit::Server,
            Kind::Store => Exit::Store,
        }
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)?;
        if let Some(hint) = &self.hint {
            write!(f, "; {hint}")?;
        }
        Ok(())
    }
}

impl std::error::Error for Error {}

#[cfg(test)]
mod tests {
    use super::*;
    #[test]
    fn hint_is_rendered_once_and_replaceable() {
        let e = Error::credentials("rejected");
        assert_eq!(e.to_string(), "rejected");
        let e = e.with_hint("run `tokenctl login`");
        assert_eq!(e.to_string(), "rejected; run `tokenctl login`");
        assert_eq!(e.hint(), Some("run `tokenctl login`"));
        let kept = e.clone().or_hint("other");
        assert_eq!(kept.hint(), Some("run `tokenctl login`"));
        let replaced = e.with_hint("check the secret");
        assert_eq!(replaced.to_string(), "rejected; check the secret");
        assert_eq!(replaced.message(), "rejected");
        assert!(replaced.is(Kind::Credentials));
        assert!(!replaced.is(Kind::Server));
    }

    /// docs/exit-codes.md lists exactly the codes `Exit` has. A new variant
    /// fails to compile here until it is added to `all`, then fails the
    /// assertion until the page has a row for it.
    #[test]
    fn exit_codes_page_lists_every_exit() {
        let all = [
            Exit::Ok,
            Exit::Other,
            Exit::Usage,
            Exit::Credentials,
            Exit::Server,
            Exit::Store,
            Exit::Panic,
        ];
        for e in all {
            match e {
                Exit::Ok
                | Exit::Other
                | Exit::Usage
                | Exit::Credentials
                | Exit::Server
                | Exit::Store
                | Exit::Panic => {}
            }
        }
        let page = include_str!("../../../docs/exit-codes.md");
        let documented: std::collections::BTreeSet<i32> = page
            .lines()
            .filter_map(|l| l.strip_prefix("| "))
            .filter_map(|l| l.split(' ').next()?.parse().ok())
            .collect();
        let defined: std::collections::BTreeSet<i32> = all.iter().map(|&e| e as i32).collect();
        assert_eq!(documented, defined, "docs/exit-codes.md against `Exit`");
    }
}
