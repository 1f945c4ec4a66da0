//! `tokenctl doctor`'s look at a server: one GET of the base URL, then an
//! empty POST to each known token endpoint, all with no credentials at all,
//! through the same client (TLS settings) as the grants.

use std::time::{Duration, Instant, SystemTime};

use super::parse::ErrorBody;
use super::{Api, error_chain, redact_url};
use crate::config::Profile;
use crate::grant::GrantKind;
use crate::model::{ApiKind, TokenEndpoint};
use crate::report;

/// The server answered (any HTTP status counts: it is reachable and, for
/// https, its certificate was accepted).
pub struct Probe {
    pub status: u16,
    /// The `Date` header as sent.
    pub date: Option<String>,
    /// Local time when the answer arrived, to compare with `date`.
    pub received: SystemTime,
    pub elapsed: Duration,
    pub url: String,
}

/// No answer: why, and whether TLS (certificate, handshake) was the reason.
pub struct ProbeFailure {
    pub url: String,
    pub tls: bool,
    pub timeout: bool,
    pub why: String,
}

impl Api {
    pub fn probe(&self) -> Result<Probe, ProbeFailure> {
        let url = self.server.url();
        let shown = redact_url(&url);
        // No Authorization, no body: nothing secret leaves the machine.
        let req = self.http.client.get(url);
        let started = Instant::now();
        let result = {
            let _spinner = report::progress(format!("checking {shown}"));
            self.http.runtime.block_on(async {
                let resp = req.send().await?;
                let date = resp
                    .headers()
                    .get(reqwest::header::DATE)
                    .and_then(|v| v.to_str().ok())
                    .map(str::to_string);
                Ok::<_, reqwest::Error>((resp.status().as_u16(), date))
            })
        };
        let elapsed = started.elapsed();
        match result {
            Ok((status, date)) => {
                report::verbose(format!(
                    "GET {shown} -> {status} ({} ms, no credentials sent)",
                    elapsed.as_millis()
                ));
                Ok(Probe {
                    status,
                    date,
                    received: SystemTime::now(),
                    elapsed,
                    url: shown,
                })
            }
            Err(e) => {
                report::verbose(format!(
                    "GET {shown} -> failed after {} ms",
                    elapsed.as_millis()
                ));
                let why = error_chain(&e);
                let lower = why.to_lowercase();
                Err(ProbeFailure {
                    url: shown,
                    tls: ["certificate", "tls", "handshake", "ssl"]
                        .iter()
                        .any(|w| lower.contains(w)),
                    timeout: e.is_timeout(),
                    why,
                })
            }
        }
    }
}

/// What a token endpoint made of an empty POST.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Endpoint {
    /// 400/401/403/415/422: a token endpoint refusing an empty request.
    Answers(u16),
    /// 404/405: no such endpoint here.
    Absent(u16),
    /// Some other status (a gateway, an outage): cannot tell.
    Unclear(u16),
    /// No answer at all.
    Unreachable,
}

/// One token endpoint tokenctl knows, and what the server made of it.
pub struct EndpointProbe {
    pub api: ApiKind,
    pub path: &'static str,
    pub state: Endpoint,
}

/// The token endpoints, the API kinds they belong to, and their body type.
const ENDPOINTS: [(ApiKind, &str, &str); 3] = [
    (
        ApiKind::RunaiV2,
        "/api/v2/token",
        "application/x-www-form-urlencoded",
    ),
    (ApiKind::RunaiV1, "/api/v1/token", "application/json"),
    (ApiKind::Gbds, "/tokens", "application/json"),
];

/// Longest wait per endpoint probe.
const ENDPOINT_PROBE_TIMEOUT: Duration = Duration::from_secs(10);

impl Api {
    /// POSTs an empty body (no credentials, no grant) to each token endpoint
    /// tokenctl knows, to tell which ones the server has.
    pub fn probe_endpoints(&self) -> Vec<EndpointProbe> {
        ENDPOINTS
            .iter()
            .map(|&(api, path, content_type)| {
                let url = self.url(path, &[]);
                let shown = redact_url(&url);
                let req = self
                    .http
                    .client
                    .post(url)
                    .timeout(self.http.request_timeout.min(ENDPOINT_PROBE_TIMEOUT))
                    .header(reqwest::header::CONTENT_TYPE, content_type)
                    .header(reqwest::header::CONTENT_LENGTH, "0")
                    .body(Vec::new());
                let status = self
                    .http
                    .runtime
                    .block_on(async { req.send().await.map(|r| r.status().as_u16()) });
                let state = match status {
                    Ok(s @ (400 | 401 | 403 | 415 | 422)) => Endpoint::Answers(s),
                    Ok(s @ (404 | 405)) => Endpoint::Absent(s),
                    Ok(s) => Endpoint::Unclear(s),
                    Err(_) => Endpoint::Unreachable,
                };
                report::verbose(format!("POST {shown} (empty, no credentials) -> {state:?}"));
                EndpointProbe { api, path, state }
            })
            .collect()
    }
}

impl Api {
    /// Whether `/api/v2/token` takes `grant` (2.24's lacks
    /// `external_token_exchange`, 3.0's has it), asked with a form holding
    /// `grant_type` alone: no credential leaves the machine. `Some(false)`:
    /// RFC 6749's 400 `unsupported_grant_type`; `Some(true)`: another RFC
    /// 6749 error (the grant is known, its fields are missing); `None`:
    /// any other answer, or none.
    pub fn v2_takes(&self, grant: GrantKind) -> Option<bool> {
        let url = self.url(TokenEndpoint::V2.path(), &[]);
        let shown = redact_url(&url);
        let body = url::form_urlencoded::Serializer::new(String::new())
            .append_pair("grant_type", grant.name())
            .finish();
        let req = self
            .http
            .client
            .post(url)
            .timeout(self.http.request_timeout.min(ENDPOINT_PROBE_TIMEOUT))
            .header(
                reqwest::header::CONTENT_TYPE,
                "application/x-www-form-urlencoded",
            )
            .body(body);
        // The status, and the body unless it is past the size limit.
        let answer = self.http.runtime.block_on(async {
            let resp = req.send().await.ok()?;
            let status = resp.status().as_u16();
            let body = super::http::read_limited(resp).await.ok().flatten();
            Some((status, body))
        });
        let takes = match &answer {
            Some((status @ (400 | 401), Some(body))) => match super::parse::error_body(body, &[]) {
                ErrorBody::OAuth { .. } => {
                    Some(!super::oauth2::is_unsupported_grant(*status, body, &[]))
                }
                _ => None,
            },
            _ => None,
        };
        report::verbose(format!(
            "POST {shown} (grant_type={} alone, no credentials) -> {}",
            grant.name(),
            match (&answer, takes) {
                (None, _) => "no answer".to_string(),
                (Some((status, None)), _) => {
                    format!("HTTP {status} with an oversized body: cannot tell")
                }
                (Some((status, _)), None) => format!("HTTP {status}: cannot tell"),
                (Some(_), Some(true)) => "the grant is known here".to_string(),
                (Some(_), Some(false)) => "unsupported_grant_type".to_string(),
            }
        ));
        takes
    }
}

/// The endpoint a profile sends its grants to (a `runai` profile: the one
/// its login found).
pub fn token_path(profile: &Profile) -> &'static str {
    profile.endpoint().map_or("/tokens", |e| e.path())
}
