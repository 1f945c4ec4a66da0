//! `tokenctl doctor`'s look at a server: one GET of the base URL with no
//! credentials at all, through the same client (TLS settings) as the grants.

use std::time::{Duration, Instant, SystemTime};

use super::{Api, error_chain, redact_url};
use crate::ui;

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
        let req = self.client.get(url);
        let started = Instant::now();
        let result = {
            let _spinner = ui::spinner(format!("checking {shown}"));
            self.runtime.block_on(async {
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
                ui::verbose(format!(
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
                ui::verbose(format!(
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
