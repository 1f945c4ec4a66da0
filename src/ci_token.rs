//! Where a CI job's own identity token comes from, for
//! `login --external-token-from`: GitHub Actions' token request, an
//! environment variable (GitLab `id_tokens`), or a projected token file.
//! The profile remembers the source, never the token: renewal reads a fresh
//! one and exchanges it again.

use std::fmt;
use std::io::Read;
use std::path::PathBuf;
use std::time::Duration;

use serde::{Deserialize, Serialize};

use crate::error::Error;
use crate::secret::Secret;

/// GitHub Actions sets these when the job has `permissions: id-token: write`.
pub const GITHUB_URL_ENV: &str = "ACTIONS_ID_TOKEN_REQUEST_URL";
pub const GITHUB_TOKEN_ENV: &str = "ACTIONS_ID_TOKEN_REQUEST_TOKEN";

const CONNECT_TIMEOUT: Duration = Duration::from_secs(10);
const REQUEST_TIMEOUT: Duration = Duration::from_secs(30);
/// An identity token is a few KiB; anything much larger is not one.
const MAX_TOKEN_BYTES: u64 = 64 * 1024;

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
        let bad =
            || format!("invalid token source `{s}`: use github-actions, env:NAME or file:PATH");
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
                    "cannot resolve the token file {}: {e}",
                    p.display()
                ))
            }),
            other => Ok(other),
        }
    }

    /// A fresh external token from this source. Never logged, never shown.
    pub fn read(&self, audience: Option<&str>) -> Result<Secret, Error> {
        match self {
            Self::GithubActions => github_actions(audience),
            Self::Env(name) => {
                let value = std::env::var_os(name).ok_or_else(|| {
                    Error::usage(format!("${name} is not set, so there is no external token to exchange"))
                        .with_hint(format!(
                            "in GitLab CI, declare it under the job's `id_tokens:` (`{name}: {{aud: ...}}`); elsewhere, export the identity token as ${name}"
                        ))
                })?;
                let value = value
                    .into_string()
                    .map_err(|_| Error::usage(format!("${name} is not valid UTF-8")))?;
                checked(value.trim(), &format!("${name}"))
            }
            Self::File(path) => {
                let mut raw = zeroize::Zeroizing::new(Vec::new());
                std::fs::File::open(path)
                    .and_then(|f| f.take(MAX_TOKEN_BYTES + 1).read_to_end(&mut raw))
                    .map_err(|e| {
                        Error::usage(format!(
                            "cannot read the token file {}: {e}",
                            path.display()
                        ))
                        .with_hint("check the path given to --external-token-from file:PATH")
                    })?;
                let shown = path.display().to_string();
                if raw.len() as u64 > MAX_TOKEN_BYTES {
                    return Err(Error::usage(format!(
                        "the token file {shown} is larger than 64 KiB: it does not hold one token"
                    )));
                }
                let text = std::str::from_utf8(&raw).map_err(|_| {
                    Error::usage(format!("the token file {shown} is not UTF-8 text"))
                })?;
                checked(text.trim(), &shown)
            }
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

/// A token is one non-empty run of visible ASCII: no spaces, line breaks or
/// control characters that would end up in a request or a terminal.
fn checked(token: &str, from: &str) -> Result<Secret, Error> {
    if token.is_empty() {
        return Err(Error::usage(format!(
            "{from} is empty: there is no external token to exchange"
        )));
    }
    if !token.bytes().all(|b| b.is_ascii_graphic()) {
        return Err(Error::usage(format!(
            "{from} does not hold a token (it has spaces, control or non-ASCII characters)"
        )));
    }
    Ok(Secret::new(token))
}

fn github_env(name: &str) -> Result<String, Error> {
    std::env::var(name)
        .ok()
        .filter(|v| !v.is_empty())
        .ok_or_else(|| {
            Error::usage(format!(
                "${name} is not set: GitHub Actions sets it only for jobs allowed to request an identity token"
            ))
            .with_hint("add `permissions: id-token: write` to the workflow or job")
        })
}

/// The request URL may be plain http only on loopback (a test double).
fn github_url(audience: Option<&str>) -> Result<url::Url, Error> {
    let raw = github_env(GITHUB_URL_ENV)?;
    let mut url = url::Url::parse(&raw)
        .map_err(|e| Error::usage(format!("${GITHUB_URL_ENV} is not a URL: {e}")))?;
    let loopback = match url.host() {
        Some(url::Host::Ipv4(ip)) => ip.is_loopback(),
        Some(url::Host::Ipv6(ip)) => ip.is_loopback(),
        Some(url::Host::Domain(d)) => d == "localhost",
        None => false,
    };
    if url.scheme() != "https" && !(url.scheme() == "http" && loopback) {
        return Err(Error::usage(format!(
            "refusing ${GITHUB_URL_ENV} {}: the request token must travel over https",
            crate::api::redact_url(&url)
        )));
    }
    if let Some(aud) = audience {
        url.query_pairs_mut().append_pair("audience", aud);
    }
    Ok(url)
}

#[derive(Deserialize)]
struct GithubAnswer {
    value: Option<String>,
}

/// `GET $ACTIONS_ID_TOKEN_REQUEST_URL[&audience=..]` with the request token
/// as bearer; the answer is `{"value": "<jwt>"}`.
fn github_actions(audience: Option<&str>) -> Result<Secret, Error> {
    let url = github_url(audience)?;
    let bearer = Secret::new(github_env(GITHUB_TOKEN_ENV)?);
    let shown = crate::api::redact_url(&url);
    let _ = rustls::crypto::ring::default_provider().install_default();
    let client = reqwest::Client::builder()
        .user_agent(concat!("tokenctl/", env!("CARGO_PKG_VERSION")))
        // A redirect would carry the request token somewhere else.
        .redirect(reqwest::redirect::Policy::none())
        .connect_timeout(CONNECT_TIMEOUT)
        .timeout(REQUEST_TIMEOUT)
        .build()
        .map_err(|e| Error::server(format!("cannot set up HTTPS: {e}")))?;
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .map_err(|e| Error::server(format!("cannot start the network runtime: {e}")))?;
    crate::ui::verbose(format!("requesting the job's identity token: GET {shown}"));
    let result = runtime.block_on(async {
        let mut resp = client
            .get(url.clone())
            .header(reqwest::header::ACCEPT, "application/json")
            .bearer_auth(bearer.expose())
            .send()
            .await?;
        let status = resp.status().as_u16();
        let mut body = zeroize::Zeroizing::new(Vec::new());
        while let Some(chunk) = resp.chunk().await? {
            body.extend_from_slice(&chunk);
            if body.len() as u64 > MAX_TOKEN_BYTES {
                break;
            }
        }
        Ok::<_, reqwest::Error>((status, body))
    });
    // reqwest's errors name the URL, which is redacted above; say it ourselves.
    let (status, body) = result.map_err(|e| {
        let why = if e.is_timeout() {
            "timed out".to_string()
        } else if e.is_connect() {
            "could not connect".to_string()
        } else {
            "the request failed".to_string()
        };
        Error::server(format!(
            "requesting the job's identity token from GitHub Actions failed: {why} ({shown})"
        ))
        .with_hint("retry the job; if it persists, check GitHub's status page")
    })?;
    match status {
        200 => {}
        401 | 403 => {
            return Err(Error::credentials(format!(
                "GitHub Actions refused the identity token request (HTTP {status}) at {shown}"
            ))
            .with_hint(
                "the job needs `permissions: id-token: write`, and the request token is valid only while the job runs",
            ));
        }
        _ => {
            return Err(Error::server(format!(
                "GitHub Actions answered the identity token request with HTTP {status} ({shown})"
            ))
            .with_hint("retry the job"));
        }
    }
    if body.len() as u64 > MAX_TOKEN_BYTES {
        return Err(Error::server(format!(
            "GitHub Actions' identity token answer is larger than 64 KiB ({shown})"
        )));
    }
    let answer: GithubAnswer = serde_json::from_slice(&body).map_err(|_| {
        Error::server(format!(
            "GitHub Actions' identity token answer is not the expected JSON `{{\"value\": ...}}` ({shown})"
        ))
    })?;
    let value = zeroize::Zeroizing::new(answer.value.unwrap_or_default());
    checked(&value, "GitHub Actions' identity token answer")
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

    #[test]
    fn tokens_are_visible_ascii() {
        assert!(checked("eyJ.abc.def", "x").is_ok());
        for bad in ["", "a b", "a\nb", "a\u{7f}", "é"] {
            assert!(checked(bad, "x").is_err(), "{bad:?}");
        }
    }
}
