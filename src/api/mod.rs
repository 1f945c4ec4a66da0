//! The vendors' token APIs over HTTP: one client, one request path, and the
//! shared rules for reading answers. Vendor shapes live in `runai` and `gbds`.

pub mod ci;
mod clusters;
mod gbds;
mod http;
mod oauth2;
mod probe;
mod runai;

pub mod parse;
pub use clusters::{Cluster, check_uuid};
pub use http::{DEFAULT_CONNECT_TIMEOUT, DEFAULT_REQUEST_TIMEOUT, USER_AGENT};
pub use probe::{Endpoint, EndpointProbe, Probe, ProbeFailure, token_path};

use std::cell::Cell;
use std::time::{Duration, Instant};

use reqwest::Method;
use url::Url;

use crate::config::{Profile, ServerUrl};
use crate::error::Error;
use crate::grant::GrantKind;
use crate::model::{ApiKind, TokenEndpoint};
use crate::secret::Secret;
use crate::settings::Settings;
use crate::text::{redact_url, server_text};
use crate::token::{Source, TokenSet};
use crate::ui;
use http::{Http, is_loopback};

/// Attempts per request, the first included.
const MAX_ATTEMPTS: u32 = 3;
/// No retry starts later than this after the first attempt began (and none
/// past the request timeout).
const RETRY_BUDGET: Duration = Duration::from_secs(45);
/// The longest single wait, even when `Retry-After` asks for more.
const MAX_RETRY_WAIT: Duration = Duration::from_secs(10);
/// `Retry-After` values are capped here when read, so no sum can overflow.
const MAX_RETRY_AFTER: Duration = Duration::from_secs(24 * 60 * 60);

/// A way to get tokens. Which endpoint serves it depends on the profile's API.
#[derive(Debug)]
pub enum Grant {
    Password {
        username: String,
        password: Secret,
    },
    RefreshToken(Secret),
    ExchangeCode {
        code: Secret,
        redirect_uri: String,
        /// The OIDC client the code was issued to (`clientID`); the server
        /// redeems the code as that client.
        client_id: String,
    },
    ExternalToken(Secret),
    ClientCredentials {
        client_id: String,
        secret: Secret,
    },
    AppToken {
        app_id: String,
        secret: Secret,
    },
    /// Run:ai 2.19 `POST /v1/k8s/auth/oauth/apptoken`.
    LegacyAppToken {
        id: String,
        name: String,
        secret: Secret,
    },
    /// GBDS `TOKEN`: renew a still-valid token.
    GbdsToken(Secret),
}

impl Grant {
    /// The grant's name in messages (as `/api/v2/token` names it, where it has it).
    fn name(&self) -> &'static str {
        match self {
            Self::Password { .. } => "password",
            Self::RefreshToken(_) => "refresh_token",
            Self::ExchangeCode { .. } => "authorization_code",
            Self::ExternalToken(_) => "external_token_exchange",
            Self::ClientCredentials { .. } => "client_credentials",
            Self::AppToken { .. } => "app_token",
            Self::LegacyAppToken { .. } => "2.19 apptoken",
            Self::GbdsToken(_) => "GBDS TOKEN",
        }
    }
}

/// A client for one profile's server.
pub struct Api {
    http: Http,
    server: ServerUrl,
    kind: ApiKind,
    /// `runai`: which endpoint to send grants to, or find out.
    route: Route,
    /// `/api/v2/token` answered this 404/405 during this client's detection.
    v2_absent: Cell<Option<u16>>,
    principal: Option<String>,
    /// Run:ai 2.19: go straight to the deprecated endpoints.
    legacy_endpoints: bool,
}

/// Where a `runai` profile's grants go.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Route {
    /// A login: `/api/v2/token` first; a 404/405 there (a server before
    /// 2.24) sends the grant to `/api/v1/token`.
    Detect,
    /// The endpoint a login found; never probed again.
    Known(TokenEndpoint),
}

/// One request, described without secrets in the parts that get logged.
struct Call<'a> {
    what: &'a str,
    method: Method,
    path: &'a str,
    /// Query parameters; values are redacted in logs and messages.
    query: &'a [(&'a str, &'a str)],
    body: Option<Vec<u8>>,
    /// The body is `application/x-www-form-urlencoded`, not JSON.
    form: bool,
    /// May this request be sent twice? Not for single-use credentials
    /// (refresh tokens that rotate, authorization codes).
    idempotent: bool,
    /// The secrets this request carries, scrubbed from anything the answer
    /// makes us show (a server or proxy may echo the request).
    secrets: Vec<&'a str>,
}

/// A whole answer, read up to [`MAX_BODY`].
struct Answer {
    status: u16,
    body: Vec<u8>,
    /// The URL with query values replaced, safe to show.
    url: String,
    retry_after: Option<Duration>,
    location: Option<String>,
    content_type: Option<String>,
    /// Local time the answer arrived (Unix seconds): the base of lifetimes.
    received: u64,
}

impl Answer {
    fn success(&self) -> bool {
        (200..300).contains(&self.status)
    }

    /// An answer that is not a success, as the right kind of error:
    /// 400/401/403/422 are the credentials whatever the body (a gateway's
    /// 401 has none); 404/405 a wrong server URL or API; anything else the
    /// server's failure. `vendor` names the API in messages.
    fn rejected(&self, vendor: &str, call: &Call<'_>) -> Error {
        let (what, secrets) = (call.what, &call.secrets[..]);
        if (300..400).contains(&self.status) {
            let location = self
                .location
                .as_deref()
                .map(|l| server_text(l, secrets))
                .unwrap_or_else(|| "(no location)".into());
            return Error::server(format!(
                "{} answered HTTP {} redirecting to {location}: tokenctl does not follow redirects from token endpoints, so credentials never go to another place; if the server moved, log in again with its new --server URL",
                self.url, self.status,
            ));
        }
        let body = parse::error_body(&self.body, secrets);
        let shown = body.describe();
        let mut msg = if body.documented() {
            let mut tag = format!("HTTP {}", self.status);
            if let Some(code) = body.extra_code(self.status) {
                tag.push_str(&format!(", code {code}"));
            }
            format!("{vendor} rejected the {what}: {shown} [{tag}]")
        } else {
            format!(
                "unexpected answer from {} (HTTP {}): {shown}",
                self.url, self.status
            )
        };
        if body.gbds_code() == Some("EXPIRED_TOKEN") {
            msg.push_str("; the GBDS token expired, so it can no longer be renewed");
        }
        match self.status {
            400 | 401 | 403 | 422 => Error::credentials(msg),
            404 | 405 => Error::server(format!(
                "{msg}; the server has no such token endpoint: check --server (the API's base URL, e.g. https://<tenant>.run.ai, or http://<host>:8085/gbds/v2 for GBDS) and --api (runai, runai-v1, runai-v2, runai-2.19 or gbds; `tokenctl doctor` tells which endpoints the server answers)"
            )),
            408 | 429 | 503 => {
                let wait = match self.retry_after {
                    Some(d) if d > MAX_RETRY_WAIT => format!(
                        "; the server asks to wait {} (Retry-After), longer than tokenctl waits: try again later",
                        show_wait(d)
                    ),
                    _ => "; the server is busy or limiting requests: try again later".into(),
                };
                Error::server(format!("{msg}{wait}"))
            }
            _ => Error::server(msg),
        }
    }

    /// A 2xx body that is not what the API documents. Never shown: a
    /// success body may hold a token (even a bare one in text/plain).
    fn malformed(&self, why: impl std::fmt::Display) -> Error {
        let kind = self
            .content_type
            .as_deref()
            .and_then(|ct| ct.split(';').next())
            .map(|ct| server_text(ct, &[]))
            .filter(|ct| !ct.is_empty())
            .map(|ct| format!("{ct} "))
            .unwrap_or_default();
        Error::server(format!(
            "unexpected answer from {} (HTTP {}): {why}: {kind}body of {} bytes not shown, as a success answer may hold a token; check that --server and --api match the server (a proxy's login page answers like this too)",
            self.url,
            self.status,
            self.body.len()
        ))
    }
}

/// A Retry-After wait for people.
fn show_wait(d: Duration) -> String {
    if d >= MAX_RETRY_AFTER {
        "a day or more".into()
    } else {
        format!("{}s", d.as_secs())
    }
}

impl Api {
    /// A client for calls other than a login: a `runai` profile's grants go
    /// to the endpoint its login found (v1 for a profile saved before
    /// tokenctl knew v2), never probing.
    pub fn new(profile: &Profile, settings: &Settings) -> Result<Self, Error> {
        check_transport(&profile.server, profile.allow_http)?;
        let http = Http::new(
            profile,
            settings,
            &profile.server.url(),
            &profile.server.to_string(),
        )?;
        Ok(Self {
            http,
            server: profile.server.clone(),
            kind: profile.api,
            route: Route::Known(profile.endpoint().unwrap_or(TokenEndpoint::V1)),
            v2_absent: Cell::new(None),
            principal: Some(profile.principal().to_string()).filter(|p| p != "-"),
            legacy_endpoints: profile.legacy_endpoints,
        })
    }

    /// A client for a login: a `runai` profile finds out anew which
    /// endpoint the server speaks (the tokens' `source.api` says which).
    pub fn for_login(profile: &Profile, settings: &Settings) -> Result<Self, Error> {
        let mut api = Self::new(profile, settings)?;
        if api.kind == ApiKind::Runai {
            api.route = Route::Detect;
        }
        Ok(api)
    }

    /// The same client sending a `runai` profile's grants to `endpoint`
    /// (where the tokens being renewed came from).
    pub fn at(mut self, endpoint: TokenEndpoint) -> Self {
        if self.kind == ApiKind::Runai {
            self.route = Route::Known(endpoint);
        }
        self
    }

    pub fn server(&self) -> &ServerUrl {
        &self.server
    }

    /// Where a token set from this client came from: for a `runai`
    /// profile, the API of the endpoint that answered (`runai-v1` or
    /// `runai-v2`), so a renewal goes back there.
    fn source(&self, endpoint: Option<TokenEndpoint>, grant: GrantKind) -> Source {
        let api = match (self.kind, endpoint) {
            (ApiKind::Runai, Some(e)) => e.api(),
            (kind, _) => kind,
        };
        Source {
            api,
            grant,
            server: self.server.to_string(),
            principal: self.principal.clone(),
        }
    }

    /// Runs a grant against the endpoint the profile's API uses for it.
    pub fn request(&self, grant: &Grant) -> Result<TokenSet, Error> {
        match self.kind {
            ApiKind::RunaiV1 | ApiKind::Runai219 => runai::request(self, grant),
            ApiKind::RunaiV2 => match oauth2::request(self, grant, oauth2::Fallback::Never)? {
                oauth2::Outcome::Tokens(t) => Ok(t),
                oauth2::Outcome::Lacks(_) => unreachable!("no fallback asked for"),
            },
            ApiKind::Runai => self.request_newest(grant),
            ApiKind::Gbds => gbds::request(self, grant),
        }
    }

    /// `runai`: `/api/v2/token` unless the profile is known to speak v1 or
    /// v2 lacks the grant; during a login a 404/405 there (a server before
    /// 2.24) falls back to `/api/v1/token`, and at any time an
    /// `unsupported_grant_type` does for that grant (the server did not
    /// act on it, so nothing single-use was spent).
    fn request_newest(&self, grant: &Grant) -> Result<TokenSet, Error> {
        let v1 = TokenEndpoint::V1.path();
        let route = self.route;
        if route == Route::Known(TokenEndpoint::V1) {
            return runai::request(self, grant);
        }
        if !oauth2::takes(grant) {
            ui::verbose(format!(
                "{} has no {} grant: sending it to {v1}",
                TokenEndpoint::V2.path(),
                grant.name()
            ));
            return runai::request(self, grant);
        }
        let fallback = match route {
            Route::Detect => oauth2::Fallback::EndpointOrGrant,
            Route::Known(_) => oauth2::Fallback::Grant,
        };
        match oauth2::request(self, grant, fallback)? {
            oauth2::Outcome::Tokens(t) => Ok(t),
            oauth2::Outcome::Lacks(oauth2::Lack::Endpoint(status)) => {
                ui::verbose(format!(
                    "{} answered HTTP {status}: the server is older than Run:ai 2.24; using {v1} (the profile remembers it)",
                    TokenEndpoint::V2.path()
                ));
                self.v2_absent.set(Some(status));
                runai::request(self, grant)
            }
            oauth2::Outcome::Lacks(oauth2::Lack::Grant) => {
                ui::verbose(format!(
                    "{} does not take the {} grant here (unsupported_grant_type): sending it to {v1}",
                    TokenEndpoint::V2.path(),
                    grant.name()
                ));
                runai::request(self, grant)
            }
        }
    }

    /// When `/api/v1/token` is missing too after `/api/v2/token` was: the
    /// URL is not a Run:ai API's base URL.
    fn both_absent(&self, e: Error, status: u16) -> Error {
        match self.v2_absent.get() {
            Some(v2) if matches!(status, 404 | 405) => e.with_hint(format!(
                "{} answered HTTP {v2} too, so {} is probably not the Run:ai API's base URL: check --server (`tokenctl doctor` lists the token endpoints it answers)",
                TokenEndpoint::V2.path(),
                self.server
            )),
            _ => e,
        }
    }

    fn url(&self, path: &str, query: &[(&str, &str)]) -> Url {
        let mut url = Url::parse(&format!("{}{path}", self.server.as_str()))
            .expect("server URL plus an absolute path is a URL");
        if !query.is_empty() {
            url.query_pairs_mut().extend_pairs(query);
        }
        url
    }

    /// Sends with retries: connection failures, timeouts and 408/429/502/503/504
    /// are tried again (up to [`MAX_ATTEMPTS`], backing off with jitter,
    /// honouring `Retry-After` within [`RETRY_BUDGET`]); other statuses never.
    ///
    /// A request that is not idempotent (a refresh token that the server
    /// rotates, a single-use authorization code) is retried only when the
    /// connection was never made, so the request surely did not reach the
    /// server. Had it arrived, the server may have spent the old refresh token
    /// and answered with a new one we never saw; sending the old one again
    /// would then be rejected and the new one lost, logging the user out.
    fn send(&self, call: &Call<'_>) -> Result<Answer, Error> {
        let url = self.url(call.path, call.query);
        let shown = redact_url(&url);
        let first = Instant::now();
        // `--timeout` bounds the whole request, retries and waits included.
        let deadline = first + self.http.request_timeout;
        let mut attempt = 1;
        loop {
            let left = deadline.saturating_duration_since(Instant::now());
            let outcome = self.send_once(call, &url, &shown, left);
            let wait = match &outcome {
                Ok(answer) if matches!(answer.status, 408 | 429 | 502..=504) && call.idempotent => {
                    Some(answer.retry_after.unwrap_or_else(|| backoff(attempt)))
                }
                Err(failure) if failure.retryable(call.idempotent) => Some(backoff(attempt)),
                _ => None,
            };
            let Some(wait) = wait else {
                return outcome.map_err(|f| f.into_error(call, &shown, self));
            };
            let after_wait = first.elapsed().saturating_add(wait);
            let too_late = after_wait > RETRY_BUDGET || wait > MAX_RETRY_WAIT;
            // No attempt starts at or past the deadline: it would have no time.
            let out_of_time = first + after_wait >= deadline;
            if attempt >= MAX_ATTEMPTS || too_late || out_of_time {
                if too_late || out_of_time {
                    ui::verbose(format!(
                        "not retrying: waiting {} would exceed the {}",
                        show_wait(wait),
                        if out_of_time {
                            "request timeout (--timeout)"
                        } else {
                            "retry budget"
                        }
                    ));
                }
                return outcome.map_err(|f| f.into_error(call, &shown, self));
            }
            ui::verbose(format!(
                "retrying {} {shown} in {} ms (attempt {} of {MAX_ATTEMPTS})",
                call.method,
                wait.as_millis(),
                attempt + 1
            ));
            std::thread::sleep(wait);
            attempt += 1;
        }
    }

    /// One attempt, given the time `left` of the request's budget.
    fn send_once(
        &self,
        call: &Call<'_>,
        url: &Url,
        shown: &str,
        left: Duration,
    ) -> Result<Answer, Failure> {
        let mut req = self
            .http
            .client
            .request(call.method.clone(), url.clone())
            .timeout(left)
            .header(reqwest::header::ACCEPT, "application/json");
        if let Some(body) = &call.body {
            let kind = if call.form {
                "application/x-www-form-urlencoded"
            } else {
                "application/json"
            };
            req = req
                .header(reqwest::header::CONTENT_TYPE, kind)
                .body(body.clone());
        } else if call.method == Method::POST {
            // Some front ends answer 411 to a POST without a length.
            req = req
                .header(reqwest::header::CONTENT_LENGTH, "0")
                .body(Vec::new());
        }
        let started = Instant::now();
        let spinner = ui::spinner(format!("{} at {}", call.what, self.server));
        let result = self.http.runtime.block_on(async {
            let resp = req.send().await?;
            let status = resp.status().as_u16();
            let retry_after = resp
                .headers()
                .get(reqwest::header::RETRY_AFTER)
                .and_then(|v| v.to_str().ok())
                .and_then(parse_retry_after);
            let content_type = resp
                .headers()
                .get(reqwest::header::CONTENT_TYPE)
                .and_then(|v| v.to_str().ok())
                .map(str::to_string);
            let location = resp
                .headers()
                .get(reqwest::header::LOCATION)
                .and_then(|v| v.to_str().ok())
                .map(|l| {
                    Url::parse(l)
                        .map(|u| redact_url(&u))
                        .unwrap_or_else(|_| l.to_string())
                });
            let body = http::read_limited(resp).await?;
            Ok::<_, reqwest::Error>((status, retry_after, location, content_type, body))
        });
        drop(spinner);
        let elapsed = started.elapsed().as_millis();
        match result {
            Ok((status, retry_after, location, content_type, Some(body))) => {
                ui::verbose(format!(
                    "{} {shown} -> {status} ({elapsed} ms, {} bytes)",
                    call.method,
                    body.len()
                ));
                Ok(Answer {
                    status,
                    body,
                    url: shown.to_string(),
                    retry_after,
                    location,
                    content_type,
                    received: crate::token::now(),
                })
            }
            Ok((status, ..)) => Err(Failure::TooLarge(status)),
            Err(e) => {
                ui::verbose(format!(
                    "{} {shown} -> failed after {elapsed} ms",
                    call.method
                ));
                Err(Failure::Network(e))
            }
        }
    }
}

/// Why one attempt produced no usable answer.
enum Failure {
    Network(reqwest::Error),
    TooLarge(u16),
}

impl Failure {
    fn retryable(&self, idempotent: bool) -> bool {
        match self {
            Failure::TooLarge(_) => false,
            // A certificate the client refuses will not change on retry.
            Failure::Network(e) if is_tls_error(e) => false,
            // Refused, unreachable, connect timeout: nothing reached the server.
            Failure::Network(e) if e.is_connect() => true,
            // Reset or timed out mid-request: the server may have acted on it.
            Failure::Network(e) => idempotent && (e.is_timeout() || e.is_request()),
        }
    }

    fn into_error(self, call: &Call<'_>, shown: &str, api: &Api) -> Error {
        match self {
            Failure::TooLarge(status) => Error::server(format!(
                "the answer from {shown} (HTTP {status}) is larger than {} KiB; check that --server points at the token API",
                http::MAX_BODY / 1024
            )),
            Failure::Network(e) => network_error(call.what, shown, &e, api),
        }
    }
}

/// Exponential backoff from 250 ms with ±50% jitter, so many clients that
/// failed together do not retry together.
fn backoff(attempt: u32) -> Duration {
    let base = 250u64 << (attempt - 1).min(6);
    // Without randomness (never seen), no jitter: still a backoff.
    let jitter = crate::random::u64().unwrap_or(0) % (base + 1);
    Duration::from_millis(base / 2 + jitter)
}

/// `Retry-After`: delay-seconds or an HTTP date, capped at
/// [`MAX_RETRY_AFTER`].
fn parse_retry_after(value: &str) -> Option<Duration> {
    let value = value.trim();
    let wait = if !value.is_empty() && value.bytes().all(|b| b.is_ascii_digit()) {
        // More digits than a u64 holds still means "very long".
        Duration::from_secs(value.parse::<u64>().unwrap_or(u64::MAX))
    } else {
        let when = httpdate::parse_http_date(value).ok()?;
        when.duration_since(std::time::SystemTime::now())
            .unwrap_or_default()
    };
    Some(wait.min(MAX_RETRY_AFTER))
}

pub(crate) fn is_tls_error(e: &reqwest::Error) -> bool {
    let mut cur: Option<&(dyn std::error::Error + 'static)> = Some(e);
    while let Some(err) = cur {
        if err.downcast_ref::<rustls::Error>().is_some() {
            return true;
        }
        // io::Error's `source()` skips the error it wraps; look inside it.
        if let Some(inner) = err
            .downcast_ref::<std::io::Error>()
            .and_then(|io| io.get_ref())
            && inner.downcast_ref::<rustls::Error>().is_some()
        {
            return true;
        }
        cur = err.source();
    }
    // Some connectors box the rustls error in ways a downcast cannot see;
    // rustls's own wording is stable enough to recognise.
    let text = error_chain(e);
    text.contains("certificate") || text.contains("HandshakeFailure")
}

fn network_error(what: &str, url: &str, e: &reqwest::Error, api: &Api) -> Error {
    if is_tls_error(e) {
        return Error::server(format!(
            "{what} failed: TLS with {url} failed: {}; if the server uses a private or corporate CA, pass --ca-file PEM (saved in the profile as ca_file)",
            error_chain(e)
        ));
    }
    if e.is_timeout() && e.is_connect() {
        return Error::server(format!(
            "{what} failed: could not connect to {url} within {}s (connect timeout; raise it with --connect-timeout or the profile's connect_timeout); check the server and your network",
            api.http.connect_timeout.as_secs()
        ));
    }
    if e.is_timeout() {
        return Error::server(format!(
            "{what} timed out: {url} did not answer within {}s (request timeout, retries included; raise it with --timeout or the profile's request_timeout)",
            api.http.request_timeout.as_secs()
        ));
    }
    let hint = if e.is_connect() {
        "check the server URL, that the server is up, and your network or proxy"
    } else {
        "try again; if it persists, check the server"
    };
    Error::server(format!(
        "{what} failed: cannot reach {url}: {}; {hint}",
        error_chain(e)
    ))
}

/// The error and its causes, without the URL reqwest would embed (its query
/// may hold a refresh token or code).
pub(crate) fn error_chain(e: &(dyn std::error::Error + 'static)) -> String {
    let mut parts = Vec::new();
    let mut cur: Option<&(dyn std::error::Error + 'static)> = Some(e);
    while let Some(err) = cur {
        let text = match err.downcast_ref::<reqwest::Error>() {
            Some(re) if re.url().is_some() => {
                // Rebuild without the URL; kind words only.
                let kind = if re.is_connect() {
                    "connection failed"
                } else if re.is_timeout() {
                    "timed out"
                } else if re.is_body() || re.is_decode() {
                    "bad response body"
                } else if re.is_request() {
                    "request failed"
                } else {
                    "error"
                };
                kind.to_string()
            }
            _ => err.to_string(),
        };
        if !text.is_empty() && parts.last() != Some(&text) {
            parts.push(text);
        }
        cur = err.source();
    }
    parts.join(": ")
}

/// Plain http only to loopback, or where the profile opted in.
pub fn check_transport(server: &ServerUrl, allow_http: bool) -> Result<(), Error> {
    let url = server.url();
    if url.scheme() != "http" || allow_http || is_loopback(&url) {
        return Ok(());
    }
    Err(Error::usage(format!(
        "refusing plain http:// to {}: passwords and tokens would cross the network unencrypted; use https://, or, if the server only speaks http (GBDS does), pass --allow-http to `tokenctl login` to allow it for this profile",
        url.host_str().unwrap_or("?")
    )))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn retry_after_is_capped() {
        let p = parse_retry_after;
        assert_eq!(p("5"), Some(Duration::from_secs(5)));
        assert_eq!(p(" 0 "), Some(Duration::ZERO));
        assert_eq!(p("18446744073709551615"), Some(MAX_RETRY_AFTER));
        assert_eq!(p("99999999999999999999999"), Some(MAX_RETRY_AFTER));
        assert_eq!(p("86401"), Some(MAX_RETRY_AFTER));
        assert_eq!(p("-1"), None);
        assert_eq!(p(""), None);
        assert_eq!(p("soon"), None);
        assert_eq!(p("Wed, 21 Oct 2015 07:28:00 GMT"), Some(Duration::ZERO));
        assert_eq!(p("Fri, 31 Dec 9999 23:59:59 GMT"), Some(MAX_RETRY_AFTER));
        assert_eq!(show_wait(Duration::from_secs(12)), "12s");
        assert_eq!(show_wait(MAX_RETRY_AFTER), "a day or more");
    }

    #[test]
    fn plain_http_rules() {
        let s = |u: &str| ServerUrl::parse(u).unwrap();
        assert!(check_transport(&s("http://127.0.0.1:8080"), false).is_ok());
        assert!(check_transport(&s("http://localhost:8080"), false).is_ok());
        assert!(check_transport(&s("http://[::1]:8080"), false).is_ok());
        assert!(check_transport(&s("https://example.com"), false).is_ok());
        let err = check_transport(&s("http://10.0.0.5:8085/gbds/v2"), false).unwrap_err();
        assert!(err.to_string().contains("--allow-http"), "{err}");
        assert!(check_transport(&s("http://10.0.0.5:8085/gbds/v2"), true).is_ok());
    }
}
