//! Plain data types at the bottom of the crate: which API a profile
//! speaks, where its tokens are kept, and where a CI's identity token comes
//! from. They import nothing above `error`, so every layer can use them.

use std::fmt;
use std::path::PathBuf;

use serde::{Deserialize, Serialize};

use crate::error::Error;

/// Which token API a profile speaks.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum ApiKind {
    /// NVIDIA Run:ai 2.23 (`POST /api/v1/token`).
    #[serde(rename = "runai")]
    Runai,
    /// Run:ai 2.19 (`POST /api/v1/token`; the deprecated exchange, refresh
    /// and app-token endpoints on opt-in or when that grant is missing).
    #[serde(rename = "runai-2.19")]
    Runai219,
    /// Griaule GBDS 4.7 (`POST /tokens`).
    #[serde(rename = "gbds")]
    Gbds,
    /// Run:ai's standard OAuth2 endpoint (`POST /api/v2/token`, form-encoded;
    /// control plane 2.24 and later).
    #[serde(rename = "runai-oauth2")]
    RunaiOauth2,
}

impl ApiKind {
    pub fn name(self) -> &'static str {
        match self {
            Self::Runai => "runai",
            Self::Runai219 => "runai-2.19",
            Self::Gbds => "gbds",
            Self::RunaiOauth2 => "runai-oauth2",
        }
    }

    pub fn describe(self) -> &'static str {
        match self {
            Self::Runai => "Run:ai 2.23",
            Self::Runai219 => "Run:ai 2.19",
            Self::Gbds => "GBDS 4.7",
            Self::RunaiOauth2 => "Run:ai OAuth2 (/api/v2/token)",
        }
    }
}

impl fmt::Display for ApiKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// Where token sets are kept.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum StoreKind {
    /// The OS keychain (Secret Service, macOS Keychain, Windows Credential Manager).
    Keychain,
    /// A 0600 JSON file per profile under the user's state directory.
    File,
    /// Linux: the user's persistent keyring in the kernel key retention service.
    Kernel,
    /// The keychain when it answers, else (Linux) the kernel keyring; a
    /// login records the one it picked in the profile.
    Auto,
}

impl fmt::Display for StoreKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Self::Keychain => "keychain",
            Self::File => "file",
            Self::Kernel => "kernel",
            Self::Auto => "auto",
        })
    }
}

/// One source of external tokens, as written after `--external-token-from`
/// and in the profile's `external_token_from`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub enum ExternalSource {
    GithubActions,
    Env(String),
    File(PathBuf),
}

impl ExternalSource {
    pub fn parse(s: &str) -> Result<Self, String> {
        // The value is not repeated: clap's error and the config parser's
        // excerpt show it, escaped.
        let bad = || "not a token source: use github-actions, env:NAME or file:PATH".to_string();
        if s == "github-actions" {
            return Ok(Self::GithubActions);
        }
        if let Some(name) = s.strip_prefix("env:") {
            let ok = !name.is_empty()
                && !name.starts_with(|c: char| c.is_ascii_digit())
                && name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_');
            return if ok {
                Ok(Self::Env(name.to_string()))
            } else {
                Err(bad())
            };
        }
        if let Some(path) = s.strip_prefix("file:").filter(|p| !p.is_empty()) {
            return Ok(Self::File(PathBuf::from(path)));
        }
        Err(bad())
    }

    /// Absolute file paths, so a renewal started elsewhere (kubectl, cron)
    /// reads the same file.
    pub fn absolute(self) -> Result<Self, Error> {
        match self {
            Self::File(p) => std::path::absolute(&p).map(Self::File).map_err(|e| {
                Error::usage(format!(
                    "cannot resolve the token file's path against the current directory: {e}"
                ))
            }),
            other => Ok(other),
        }
    }
}

impl TryFrom<String> for ExternalSource {
    type Error = String;
    fn try_from(s: String) -> Result<Self, String> {
        Self::parse(&s)
    }
}

impl From<ExternalSource> for String {
    fn from(s: ExternalSource) -> String {
        s.to_string()
    }
}

impl fmt::Display for ExternalSource {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::GithubActions => f.write_str("github-actions"),
            Self::Env(name) => write!(f, "env:{name}"),
            Self::File(path) => write!(f, "file:{}", path.display()),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sources_parse_and_print_back() {
        for s in ["github-actions", "env:CI_JOB_JWT_V2", "file:/var/run/token"] {
            assert_eq!(ExternalSource::parse(s).unwrap().to_string(), s);
        }
        for bad in [
            "", "github", "env:", "env:1X", "env:A-B", "file:", "http://x",
        ] {
            assert!(ExternalSource::parse(bad).is_err(), "{bad}");
        }
    }
}
