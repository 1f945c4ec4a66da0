//! The one place HTTP clients are built. Every request tokenctl sends (the
//! token APIs, doctor's probes, a CI job's identity token) goes through a
//! client from [`Http::new`], so all share the profile's CA options and TLS
//! checks, the proxy rules (never for loopback), the timeouts (the command
//! line's win), the redirect policy (none), the body cap and the user agent.

use std::net::IpAddr;
use std::time::Duration;

use url::Url;

use crate::config::Profile;
use crate::error::Error;
use crate::settings::Settings;
use crate::ui;

pub const USER_AGENT: &str = concat!("tokenctl/", env!("CARGO_PKG_VERSION"));

/// Largest answer body read; a token answer is a few KiB.
pub const MAX_BODY: usize = 1024 * 1024;
pub const DEFAULT_CONNECT_TIMEOUT: Duration = Duration::from_secs(10);
pub const DEFAULT_REQUEST_TIMEOUT: Duration = Duration::from_secs(30);

/// A client and the runtime that drives it, with the limits it was built with.
pub struct Http {
    pub client: reqwest::Client,
    pub runtime: tokio::runtime::Runtime,
    pub connect_timeout: Duration,
    pub request_timeout: Duration,
}

impl Http {
    /// A client with `profile`'s transport settings for requests to
    /// `target` (`shown` names it in the TLS warning); the timeouts in
    /// `settings` win over the profile's.
    pub fn new(
        profile: &Profile,
        settings: &Settings,
        target: &Url,
        shown: &str,
    ) -> Result<Self, Error> {
        let connect_timeout = settings
            .connect_timeout
            .or(profile.connect_timeout.map(|d| d.0))
            .unwrap_or(DEFAULT_CONNECT_TIMEOUT);
        let request_timeout = settings
            .request_timeout
            .or(profile.request_timeout.map(|d| d.0))
            .unwrap_or(DEFAULT_REQUEST_TIMEOUT);
        // One process-wide TLS provider; a second install attempt is harmless.
        let _ = rustls::crypto::ring::default_provider().install_default();
        let loopback = is_loopback(target);
        let insecure = profile.insecure_skip_tls_verify;
        let builder = || {
            let builder = reqwest::Client::builder()
                .user_agent(USER_AGENT)
                // Token endpoints never redirect; following one could carry a
                // password (or a CI's request token) elsewhere.
                .redirect(reqwest::redirect::Policy::none())
                .connect_timeout(connect_timeout)
                .timeout(request_timeout)
                .danger_accept_invalid_certs(insecure);
            // A proxy from the environment must never see what is meant for
            // this machine: a loopback http login would hand it the password.
            if loopback {
                builder.no_proxy()
            } else {
                builder
            }
        };
        let ca = match &profile.ca_file {
            Some(path) => read_ca_file(path)?,
            None => Vec::new(),
        };
        if insecure {
            ui::warn(format!(
                "TLS certificate checks are OFF for {shown} (insecure_skip_tls_verify in the profile): anyone on the network path can read your credentials; use ca_file instead"
            ));
        }
        let client = build(builder, ca, target, shown)?;
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

/// The client, trusting the system's CA store plus `ca`. A machine with no
/// CA store (a slim container without ca-certificates) still gets a client
/// for plain http (no certificate is ever checked), and for https one that
/// trusts only `ca` when there is one; else the error names both ways out.
fn build(
    builder: impl Fn() -> reqwest::ClientBuilder,
    ca: Vec<reqwest::Certificate>,
    target: &Url,
    shown: &str,
) -> Result<reqwest::Client, Error> {
    if target.scheme() == "http" {
        // TLS is never used: no redirects are followed, and a proxy for an
        // http URL is spoken to in plain text too.
        return builder().tls_certs_only(ca).build().map_err(setup_error);
    }
    let has_ca = !ca.is_empty();
    match builder().tls_certs_merge(ca.clone()).build() {
        Ok(client) => Ok(client),
        Err(e) if no_ca_store(&e) && has_ca => {
            ui::verbose(format!(
                "this machine has no CA certificates; trusting only the ca_file for {shown}"
            ));
            builder().tls_certs_only(ca).build().map_err(setup_error)
        }
        Err(e) if no_ca_store(&e) => Err(Error::server(format!(
            "cannot check {shown}'s certificate: this machine has no CA certificates (no system trust store)"
        ))
        .with_hint("install the CA bundle (Debian/Ubuntu: apt install ca-certificates; RHEL: dnf install ca-certificates), or pass --ca-file PEM with the server's CA")),
        Err(e) => Err(setup_error(e)),
    }
}

fn setup_error(e: reqwest::Error) -> Error {
    Error::server(format!("cannot set up HTTPS: {}", super::error_chain(&e)))
}

/// The platform verifier's "No CA certificates were loaded from the system".
fn no_ca_store(e: &reqwest::Error) -> bool {
    super::error_chain(e).contains("No CA certificates")
}

fn read_ca_file(path: &std::path::Path) -> Result<Vec<reqwest::Certificate>, Error> {
    let pem = std::fs::read(path).map_err(|e| {
        Error::usage(format!(
            "cannot read ca_file {}: {e}; fix the path (profile key `ca_file` or --ca-file)",
            crate::text::shown(path)
        ))
    })?;
    let certs = reqwest::Certificate::from_pem_bundle(&pem).map_err(|_| {
        Error::usage(format!(
            "ca_file {} is not a PEM certificate bundle",
            crate::text::shown(path)
        ))
    })?;
    if certs.is_empty() {
        return Err(Error::usage(format!(
            "ca_file {} holds no PEM certificate",
            crate::text::shown(path)
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
