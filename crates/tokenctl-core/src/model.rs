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
    /// NVIDIA Run:ai, the newest token endpoint the server has: a login
    /// tries `/api/v2/token` first and falls back to `/api/v1/token` on a
    /// server older than 2.24; the profile remembers which one answered
    /// ([`TokenEndpoint`]). Profiles saved before tokenctl knew v2 say
    /// `runai` too and mean v1.
    #[serde(rename = "runai")]
    Runai,
    /// Run:ai's `POST /api/v1/token` only (2.19 to 3.0; deprecated in 3.0).
    #[serde(rename = "runai-v1")]
    RunaiV1,
    /// Run:ai's standard OAuth2 endpoint only (`POST /api/v2/token`,
    /// form-encoded; control plane 2.24 and later). `runai-oauth2` is its
    /// earlier name.
    #[serde(rename = "runai-v2", alias = "runai-oauth2")]
    RunaiV2,
    /// Run:ai 2.19 (`POST /api/v1/token`; the deprecated exchange, refresh
    /// and app-token endpoints on opt-in or when that grant is missing).
    #[serde(rename = "runai-2.19")]
    Runai219,
    /// Griaule GBDS 4.7 (`POST /tokens`).
    #[serde(rename = "gbds")]
    Gbds,
}

impl ApiKind {
    /// The name used in the config file and on the command line.
    pub fn name(self) -> &'static str {
        match self {
            Self::Runai => "runai",
            Self::RunaiV1 => "runai-v1",
            Self::RunaiV2 => "runai-v2",
            Self::Runai219 => "runai-2.19",
            Self::Gbds => "gbds",
        }
    }

    /// A short description for people.
    pub fn describe(self) -> &'static str {
        match self {
            Self::Runai => "Run:ai (the newest token endpoint the server has)",
            Self::RunaiV1 => "Run:ai /api/v1/token",
            Self::RunaiV2 => "Run:ai /api/v2/token",
            Self::Runai219 => "Run:ai 2.19",
            Self::Gbds => "GBDS 4.7",
        }
    }

    /// The one Run:ai endpoint this API is pinned to; `None` for `runai`
    /// (chosen per server) and GBDS.
    pub fn pinned_endpoint(self) -> Option<TokenEndpoint> {
        match self {
            Self::RunaiV1 | Self::Runai219 => Some(TokenEndpoint::V1),
            Self::RunaiV2 => Some(TokenEndpoint::V2),
            Self::Runai | Self::Gbds => None,
        }
    }
}

impl fmt::Display for ApiKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// Which of Run:ai's two token endpoints: stored in a `runai` profile
/// (`token_endpoint`) once a login found out which one the server speaks.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum TokenEndpoint {
    /// `POST /api/v1/token` (JSON, camelCase; deprecated in 3.0).
    #[serde(rename = "v1")]
    V1,
    /// `POST /api/v2/token` (form-encoded OAuth2; 2.24 and later).
    #[serde(rename = "v2")]
    V2,
}

impl TokenEndpoint {
    /// The name used in the config file.
    pub fn name(self) -> &'static str {
        match self {
            Self::V1 => "v1",
            Self::V2 => "v2",
        }
    }

    /// The endpoint's path on the server.
    pub fn path(self) -> &'static str {
        match self {
            Self::V1 => "/api/v1/token",
            Self::V2 => "/api/v2/token",
        }
    }

    /// The API pinned to this endpoint, as recorded with the tokens it gave.
    pub fn api(self) -> ApiKind {
        match self {
            Self::V1 => ApiKind::RunaiV1,
            Self::V2 => ApiKind::RunaiV2,
        }
    }
}

impl fmt::Display for TokenEndpoint {
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
    /// GitHub Actions' OIDC token of the running job.
    GithubActions,
    /// The named environment variable.
    Env(String),
    /// The file at that path, read at each use.
    File(PathBuf),
}

impl ExternalSource {
    /// Reads `github-actions`, `env:NAME` or `file:PATH`.
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
    fn api_names_are_the_stored_strings_and_the_old_name_still_loads() {
        for api in [
            ApiKind::Runai,
            ApiKind::RunaiV1,
            ApiKind::RunaiV2,
            ApiKind::Runai219,
            ApiKind::Gbds,
        ] {
            let json = serde_json::to_string(&api).unwrap();
            assert_eq!(json, format!("\"{}\"", api.name()));
            assert_eq!(serde_json::from_str::<ApiKind>(&json).unwrap(), api);
        }
        assert_eq!(
            serde_json::from_str::<ApiKind>("\"runai-oauth2\"").unwrap(),
            ApiKind::RunaiV2
        );
        assert_eq!(ApiKind::Runai.pinned_endpoint(), None);
        assert_eq!(ApiKind::Runai219.pinned_endpoint(), Some(TokenEndpoint::V1));
        for e in [TokenEndpoint::V1, TokenEndpoint::V2] {
            assert_eq!(e.api().pinned_endpoint(), Some(e));
            assert_eq!(serde_json::to_string(&e).unwrap(), format!("\"{e}\""));
        }
    }

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
