//! The one place HTTP clients are built. Every request tokenctl sends (the
//! token APIs, doctor's probes, a CI job's identity token) goes through a
//! client from [`Http::new`], so all share the profile's CA options and TLS
//! checks, the proxy rules (never for loopback), the timeouts (the command
//! line's win), the redirect policy (none), the body cap and the user agent.

use std::net::IpAddr;
use std::sync::OnceLock;
use std::time::Duration;

use url::Url;

use crate::config::Profile;
use crate::error::Error;
use crate::ui;

pub const USER_AGENT: &str = concat!("tokenctl/", env!("CARGO_PKG_VERSION"));

/// Largest answer body read; a token answer is a few KiB.
pub const MAX_BODY: usize = 1024 * 1024;
pub const DEFAULT_CONNECT_TIMEOUT: Duration = Duration::from_secs(10);
pub const DEFAULT_REQUEST_TIMEOUT: Duration = Duration::from_secs(30);

/// Timeouts given on the command line; they win over the profile's.
#[derive(Debug, Clone, Copy, Default)]
pub struct NetOverrides {
    pub connect_timeout: Option<Duration>,
    pub request_timeout: Option<Duration>,
}

static OVERRIDES: OnceLock<NetOverrides> = OnceLock::new();

/// Set once at start-up from the global flags.
pub fn set_overrides(overrides: NetOverrides) {
    let _ = OVERRIDES.set(overrides);
}

/// A client and the runtime that drives it, with the limits it was built with.
pub struct Http {
    pub client: reqwest::Client,
    pub runtime: tokio::runtime::Runtime,
    pub connect_timeout: Duration,
    pub request_timeout: Duration,
}

impl Http {
    /// A client with `profile`'s transport settings for requests to
    /// `target` (`shown` names it in the TLS warning).
    pub fn new(profile: &Profile, target: &Url, shown: &str) -> Result<Self, Error> {
        let overrides = OVERRIDES.get().copied().unwrap_or_default();
        let connect_timeout = overrides
            .connect_timeout
            .or(profile.connect_timeout.map(|d| d.0))
            .unwrap_or(DEFAULT_CONNECT_TIMEOUT);
        let request_timeout = overrides
            .request_timeout
            .or(profile.request_timeout.map(|d| d.0))
            .unwrap_or(DEFAULT_REQUEST_TIMEOUT);
        // One process-wide TLS provider; a second install attempt is harmless.
        let _ = rustls::crypto::ring::default_provider().install_default();
        let mut builder = reqwest::Client::builder()
            .user_agent(USER_AGENT)
            // Token endpoints never redirect; following one could carry a
            // password (or a CI's request token) elsewhere.
            .redirect(reqwest::redirect::Policy::none())
            .connect_timeout(connect_timeout)
            .timeout(request_timeout);
        // A proxy from the environment must never see what is meant for this
        // machine: a loopback http login would hand it the password.
        if is_loopback(target) {
            builder = builder.no_proxy();
        }
        if let Some(path) = &profile.ca_file {
            builder = builder.tls_certs_merge(read_ca_file(path)?);
        }
        if profile.insecure_skip_tls_verify {
            ui::warn(format!(
                "TLS certificate checks are OFF for {shown} (insecure_skip_tls_verify in the profile): anyone on the network path can read your credentials; use ca_file instead"
            ));
            builder = builder.danger_accept_invalid_certs(true);
        }
        let client = builder.build().map_err(|e| {
            Error::server(format!("cannot set up HTTPS: {}", super::error_chain(&e)))
        })?;
        let runtime = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .map_err(|e| Error::server(format!("cannot start the network runtime: {e}")))?;
        Ok(Self {
            client,
            runtime,
            connect_timeout,
            request_timeout,
        })
    }
}

fn read_ca_file(path: &std::path::Path) -> Result<Vec<reqwest::Certificate>, Error> {
    let pem = std::fs::read(path).map_err(|e| {
        Error::usage(format!(
            "cannot read ca_file {}: {e}; fix the path (profile key `ca_file` or --ca-file)",
            path.display()
        ))
    })?;
    let certs = reqwest::Certificate::from_pem_bundle(&pem).map_err(|_| {
        Error::usage(format!(
            "ca_file {} is not a PEM certificate bundle",
            path.display()
        ))
    })?;
    if certs.is_empty() {
        return Err(Error::usage(format!(
            "ca_file {} holds no PEM certificate",
            path.display()
        )));
    }
    Ok(certs)
}

/// Reads the body, giving up past [`MAX_BODY`] (returns `None`).
pub async fn read_limited(mut resp: reqwest::Response) -> Result<Option<Vec<u8>>, reqwest::Error> {
    let mut body = Vec::new();
    while let Some(chunk) = resp.chunk().await? {
        if body.len() + chunk.len() > MAX_BODY {
            return Ok(None);
        }
        body.extend_from_slice(&chunk);
    }
    Ok(Some(body))
}

pub fn is_loopback(url: &Url) -> bool {
    match url.host() {
        Some(url::Host::Domain(d)) => d.eq_ignore_ascii_case("localhost"),
        Some(url::Host::Ipv4(ip)) => IpAddr::V4(ip).is_loopback(),
        Some(url::Host::Ipv6(ip)) => IpAddr::V6(ip).is_loopback(),
        None => false,
    }
}
