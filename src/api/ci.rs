//! Where a CI job's own identity token comes from, for
//! `login --external-token-from`: GitHub Actions' token request, an
//! environment variable (GitLab `id_tokens`), or a projected token file.
//! The profile remembers the source ([`ExternalSource`]), never the token:
//! renewal reads a fresh one and exchanges it again. GitHub's request goes
//! through the one HTTP client ([`Http`]) like every other request.

use std::io::Read;

use serde::Deserialize;

use super::http::{Http, read_limited};
use crate::config::Profile;
use crate::env::EnvVars;
use crate::error::Error;
use crate::model::ExternalSource;
use crate::secret::Secret;
use crate::settings::Settings;
use crate::text::redact_url;

/// An identity token is a few KiB; anything much larger is not one.
const MAX_TOKEN_BYTES: u64 = 64 * 1024;

/// A fresh external token from `source`. Never logged, never shown.
pub fn read(
    source: &ExternalSource,
    audience: Option<&str>,
    profile: &Profile,
    settings: &Settings,
) -> Result<Secret, Error> {
    match source {
        ExternalSource::GithubActions => github_actions(audience, profile, settings),
        ExternalSource::Env(name) => {
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
        ExternalSource::File(path) => {
            let mut raw = zeroize::Zeroizing::new(Vec::new());
            std::fs::File::open(path)
                .and_then(|f| f.take(MAX_TOKEN_BYTES + 1).read_to_end(&mut raw))
                .map_err(|e| {
                    Error::usage(format!(
                        "cannot read the token file {}: {e}",
                        crate::text::shown(path)
                    ))
                    .with_hint("check the path given to --external-token-from file:PATH")
                })?;
            let shown = crate::text::shown(path);
            if raw.len() as u64 > MAX_TOKEN_BYTES {
                return Err(Error::usage(format!(
                    "the token file {shown} is larger than 64 KiB: it does not hold one token"
                )));
            }
            let text = std::str::from_utf8(&raw)
                .map_err(|_| Error::usage(format!("the token file {shown} is not UTF-8 text")))?;
            checked(text.trim(), &shown)
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
    // GitHub Actions sets it (and the token) when the job has
    // `permissions: id-token: write`.
    let raw = github_env(EnvVars::ACTIONS_ID_TOKEN_REQUEST_URL)?;
    let mut url = url::Url::parse(&raw).map_err(|e| {
        Error::usage(format!(
            "${} is not a URL: {e}",
            EnvVars::ACTIONS_ID_TOKEN_REQUEST_URL
        ))
    })?;
    let loopback = match url.host() {
        Some(url::Host::Ipv4(ip)) => ip.is_loopback(),
        Some(url::Host::Ipv6(ip)) => ip.is_loopback(),
        Some(url::Host::Domain(d)) => d == "localhost",
        None => false,
    };
    if url.scheme() != "https" && !(url.scheme() == "http" && loopback) {
        return Err(Error::usage(format!(
            "refusing ${} {}: the request token must travel over https",
            EnvVars::ACTIONS_ID_TOKEN_REQUEST_URL,
            redact_url(&url)
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
fn github_actions(
    audience: Option<&str>,
    profile: &Profile,
    settings: &Settings,
) -> Result<Secret, Error> {
    let url = github_url(audience)?;
    let bearer = Secret::new(github_env(EnvVars::ACTIONS_ID_TOKEN_REQUEST_TOKEN)?);
    let shown = redact_url(&url);
    // The same client as every other request: the profile's CA options and
    // TLS checks, proxy rules, timeouts, no redirects, the body cap.
    let http = Http::new(profile, settings, &url, &shown)?;
    crate::ui::verbose(format!("requesting the job's identity token: GET {shown}"));
    let result = http.runtime.block_on(async {
        let resp = http
            .client
            .get(url.clone())
            .header(reqwest::header::ACCEPT, "application/json")
            .bearer_auth(bearer.expose())
            .send()
            .await?;
        let status = resp.status().as_u16();
        let body = read_limited(resp).await?.map(zeroize::Zeroizing::new);
        Ok::<_, reqwest::Error>((status, body))
    });
    // reqwest's errors name the URL, which is redacted above; say it ourselves.
    let (status, body) = result.map_err(|e| {
        let tls = super::is_tls_error(&e);
        let why = if tls {
            "TLS failed"
        } else if e.is_timeout() {
            "timed out"
        } else if e.is_connect() {
            "could not connect"
        } else {
            "the request failed"
        };
        let err = Error::server(format!(
            "requesting the job's identity token from GitHub Actions failed: {why} ({shown})"
        ));
        if tls {
            err.with_hint("if a proxy or private CA sits in front of the token service, pass --ca-file PEM (saved in the profile as ca_file)")
        } else {
            err.with_hint("retry the job; if it persists, check GitHub's status page")
        }
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
    let Some(body) = body.filter(|b| b.len() as u64 <= MAX_TOKEN_BYTES) else {
        return Err(Error::server(format!(
            "GitHub Actions' identity token answer is larger than 64 KiB ({shown})"
        )));
    };
    let answer: GithubAnswer = serde_json::from_slice(&body).map_err(|_| {
        Error::server(format!(
            "GitHub Actions' identity token answer is not the expected JSON `{{\"value\": ...}}` ({shown})"
        ))
        .with_hint("retry the job; if it persists, check GitHub's status page")
    })?;
    // A missing, empty or malformed value is the server's fault as much as
    // an answer that is no JSON: exit 4 for each, not the local input's 2.
    let value = zeroize::Zeroizing::new(answer.value.unwrap_or_default());
    checked(&value, "GitHub Actions' identity token answer").map_err(|e| {
        Error::server(format!("{} ({shown})", e.message()))
            .with_hint("retry the job; if it persists, check GitHub's status page")
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tokens_are_visible_ascii() {
        assert!(checked("eyJ.abc.def", "x").is_ok());
        for bad in ["", "a b", "a\nb", "a\u{7f}", "é"] {
            assert!(checked(bad, "x").is_err(), "{bad:?}");
        }
    }
}
