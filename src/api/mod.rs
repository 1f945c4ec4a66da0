//! The vendors' token APIs over HTTP: one client, one request path, and the
//! shared rules for reading answers. Vendor shapes live in `runai` and `gbds`.

mod gbds;
mod probe;
mod runai;

pub use probe::{Probe, ProbeFailure};

use std::net::IpAddr;
use std::time::{Duration, Instant};

use reqwest::Method;
use url::Url;

use crate::config::{ApiKind, Profile, ServerUrl};
use crate::error::Error;
use crate::secret::Secret;
use crate::token::TokenSet;
use crate::ui;

pub const USER_AGENT: &str = concat!("tokenctl/", env!("CARGO_PKG_VERSION"));

/// Largest answer body read; a token answer is a few KiB.
const MAX_BODY: usize = 1024 * 1024;
const CONNECT_TIMEOUT: Duration = Duration::from_secs(10);
const REQUEST_TIMEOUT: Duration = Duration::from_secs(30);

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

/// A client for one profile's server.
pub struct Api {
    client: reqwest::Client,
    runtime: tokio::runtime::Runtime,
    server: ServerUrl,
    kind: ApiKind,
    principal: Option<String>,
}

/// One request, described without secrets in the parts that get logged.
struct Call<'a> {
    what: &'a str,
    method: Method,
    path: &'a str,
    /// Query parameters; values are redacted in logs and messages.
    query: &'a [(&'a str, &'a str)],
    body: Option<Vec<u8>>,
}

/// A whole answer, read up to [`MAX_BODY`].
struct Answer {
    status: u16,
    body: Vec<u8>,
    /// The URL with query values replaced, safe to show.
    url: String,
}

impl Answer {
    fn success(&self) -> bool {
        (200..300).contains(&self.status)
    }

    /// For answers we cannot use: the status and the start of the body.
    /// Only for error statuses; a 2xx body may hold a token.
    fn unexpected(&self) -> Error {
        let text = String::from_utf8_lossy(&self.body);
        let excerpt: String = text.chars().take(200).collect();
        let excerpt = excerpt.split_whitespace().collect::<Vec<_>>().join(" ");
        let excerpt = if excerpt.is_empty() {
            "(empty body)".to_string()
        } else {
            excerpt
        };
        Error::server(format!(
            "unexpected answer from {} (HTTP {}): {excerpt}",
            self.url, self.status
        ))
    }

    /// A 2xx body that is not what the API documents. The body is not shown:
    /// it may hold a token.
    fn malformed(&self, why: impl std::fmt::Display) -> Error {
        Error::server(format!(
            "unexpected answer from {} (HTTP {}): {why} (body of {} bytes not shown, it may hold a token); check that --server and --api match the server",
            self.url,
            self.status,
            self.body.len()
        ))
    }
}

impl Api {
    pub fn new(profile: &Profile) -> Result<Self, Error> {
        check_transport(&profile.server, profile.allow_http)?;
        // One process-wide TLS provider; a second install attempt is harmless.
        let _ = rustls::crypto::ring::default_provider().install_default();
        let client = reqwest::Client::builder()
            .user_agent(USER_AGENT)
            // Token endpoints never redirect; following one could carry a password elsewhere.
            .redirect(reqwest::redirect::Policy::none())
            .connect_timeout(CONNECT_TIMEOUT)
            .timeout(REQUEST_TIMEOUT)
            .build()
            .map_err(|e| Error::server(format!("cannot set up HTTPS: {}", error_chain(&e))))?;
        let runtime = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .map_err(|e| Error::server(format!("cannot start the network runtime: {e}")))?;
        Ok(Self {
            client,
            runtime,
            server: profile.server.clone(),
            kind: profile.api,
            principal: Some(profile.principal().to_string()).filter(|p| p != "-"),
        })
    }

    pub fn server(&self) -> &ServerUrl {
        &self.server
    }

    /// Runs a grant against the endpoint the profile's API uses for it.
    pub fn request(&self, grant: &Grant) -> Result<TokenSet, Error> {
        match self.kind {
            ApiKind::Runai | ApiKind::Runai219 => runai::request(self, grant),
            ApiKind::Gbds => gbds::request(self, grant),
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

    fn send(&self, call: Call<'_>) -> Result<Answer, Error> {
        let url = self.url(call.path, call.query);
        let shown = redact_url(&url);
        let mut req = self.client.request(call.method.clone(), url);
        if let Some(body) = call.body {
            req = req
                .header(reqwest::header::CONTENT_TYPE, "application/json")
                .body(body);
        }
        req = req.header(reqwest::header::ACCEPT, "application/json");
        let started = Instant::now();
        let spinner = ui::spinner(format!("{} at {}", call.what, self.server));
        let result = self.runtime.block_on(async {
            let resp = req.send().await?;
            let status = resp.status().as_u16();
            let body = read_limited(resp).await?;
            Ok::<_, reqwest::Error>((status, body))
        });
        drop(spinner);
        let elapsed = started.elapsed().as_millis();
        match result {
            Ok((status, Some(body))) => {
                ui::verbose(format!(
                    "{} {shown} -> {status} ({elapsed} ms, {} bytes)",
                    call.method,
                    body.len()
                ));
                Ok(Answer {
                    status,
                    body,
                    url: shown,
                })
            }
            Ok((status, None)) => Err(Error::server(format!(
                "the answer from {shown} (HTTP {status}) is larger than {} KiB; check that --server points at the token API",
                MAX_BODY / 1024
            ))),
            Err(e) => {
                ui::verbose(format!(
                    "{} {shown} -> failed after {elapsed} ms",
                    call.method
                ));
                Err(network_error(call.what, &shown, &e))
            }
        }
    }
}

/// Reads the body, giving up past [`MAX_BODY`] (returns `None`).
async fn read_limited(mut resp: reqwest::Response) -> Result<Option<Vec<u8>>, reqwest::Error> {
    let mut body = Vec::new();
    while let Some(chunk) = resp.chunk().await? {
        if body.len() + chunk.len() > MAX_BODY {
            return Ok(None);
        }
        body.extend_from_slice(&chunk);
    }
    Ok(Some(body))
}

fn network_error(what: &str, url: &str, e: &reqwest::Error) -> Error {
    if e.is_timeout() {
        return Error::server(format!(
            "{what} timed out: {url} did not answer within {}s (connect limit {}s); check the server and your network",
            REQUEST_TIMEOUT.as_secs(),
            CONNECT_TIMEOUT.as_secs()
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
fn error_chain(e: &(dyn std::error::Error + 'static)) -> String {
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

/// The URL as safe to show: query values hidden.
pub fn redact_url(url: &Url) -> String {
    let mut shown = url.clone();
    let pairs: Vec<(String, String)> = url
        .query_pairs()
        .map(|(k, _)| (k.into_owned(), "***".into()))
        .collect();
    if pairs.is_empty() {
        shown.set_query(None);
    } else {
        shown.query_pairs_mut().clear().extend_pairs(pairs);
    }
    // query_pairs_mut percent-encodes `*`; show it plainly.
    shown.as_str().replace("%2A%2A%2A", "***")
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

fn is_loopback(url: &Url) -> bool {
    match url.host() {
        Some(url::Host::Domain(d)) => d.eq_ignore_ascii_case("localhost"),
        Some(url::Host::Ipv4(ip)) => IpAddr::V4(ip).is_loopback(),
        Some(url::Host::Ipv6(ip)) => IpAddr::V6(ip).is_loopback(),
        None => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn redacts_query_values() {
        let url =
            Url::parse("https://h/v1/k8s/auth/oauth/tokens/refresh?refresh_token=SECRET").unwrap();
        assert_eq!(
            redact_url(&url),
            "https://h/v1/k8s/auth/oauth/tokens/refresh?refresh_token=***"
        );
        let url = Url::parse("https://h/api/v1/token").unwrap();
        assert_eq!(redact_url(&url), "https://h/api/v1/token");
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
