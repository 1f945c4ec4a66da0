//! `GET /api/v1/clusters`: the tenant's clusters, for `runai-config` to
//! find the one cluster a Run:ai CLI or SDK configuration names.

use std::time::Instant;

use serde_json::Value;

use super::{Api, error_chain, http, network_error, parse, redact_url};
use crate::error::Error;
use crate::report;
use crate::secret::Secret;
use crate::text::server_text;

pub const CLUSTERS_PATH: &str = "/api/v1/clusters";

/// Clusters read at most: a tenant has a handful; a list past this is not
/// one a person picks from.
const MAX_CLUSTERS: usize = 1000;

/// One listed cluster. Both strings came from the server: `uuid` is checked
/// ([`check_uuid`]), `name` is cleaned for showing.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Cluster {
    pub uuid: String,
    pub name: Option<String>,
}

/// A cluster UUID as Run:ai writes it: hex digits and hyphens. Anything
/// else would end up in a config file and in the URLs other tools build.
pub fn check_uuid(uuid: &str) -> Result<(), String> {
    let ok =
        (1..=64).contains(&uuid.len()) && uuid.bytes().all(|b| b.is_ascii_hexdigit() || b == b'-');
    if ok {
        Ok(())
    } else {
        Err(format!(
            "`{}` is not a cluster UUID (hex digits and hyphens, such as 7b3e1f2a-9c4d-4e8f-a1b2-3c4d5e6f7a8b)",
            server_text(uuid, &[])
        ))
    }
}

impl Api {
    /// The clusters the bearer `token` may see.
    pub fn clusters(&self, token: &Secret) -> Result<Vec<Cluster>, Error> {
        let url = self.url(CLUSTERS_PATH, &[]);
        let shown = redact_url(&url);
        let req = self
            .http
            .client
            .get(url)
            .header(reqwest::header::ACCEPT, "application/json")
            .bearer_auth(token.expose());
        let started = Instant::now();
        let result = {
            let _spinner = report::progress(format!("listing the clusters at {}", self.server));
            self.http.runtime.block_on(async {
                let resp = req.send().await?;
                let status = resp.status().as_u16();
                let body = http::read_limited(resp).await?;
                Ok::<_, reqwest::Error>((status, body))
            })
        };
        let (status, body) = match result {
            Ok(answer) => answer,
            Err(e) => {
                report::verbose(format!(
                    "GET {shown} -> failed after {} ms: {}",
                    started.elapsed().as_millis(),
                    error_chain(&e)
                ));
                return Err(network_error("listing the clusters", &shown, &e, self));
            }
        };
        report::verbose(format!(
            "GET {shown} -> {status} ({} ms)",
            started.elapsed().as_millis()
        ));
        let Some(body) = body else {
            return Err(Error::server(format!(
                "the cluster list from {shown} (HTTP {status}) is larger than {} KiB",
                http::MAX_BODY / 1024
            ))
            .with_hint(PASS_UUID));
        };
        if (200..300).contains(&status) {
            return parse_clusters(&body).map_err(|why| {
                // Not shown: a proxy could echo the request, bearer included.
                Error::server(format!(
                    "unexpected answer from {shown} (HTTP {status}): {why}; body of {} bytes not shown",
                    body.len()
                ))
                .with_hint(PASS_UUID)
            });
        }
        let said = parse::error_body(&body, &[token.expose()]).describe();
        let msg = format!("listing the clusters at {shown} failed: {said} [HTTP {status}]");
        Err(match status {
            401 => Error::credentials(format!("{msg}: the server refused the token"))
                .with_hint("log in again (`tokenctl [--profile NAME] login`), then run this again"),
            403 => Error::credentials(format!(
                "{msg}: this identity may not list the tenant's clusters"
            ))
            .with_hint(PASS_UUID),
            404 | 405 => Error::server(format!(
                "{msg}: the server has no cluster list (is --server the Run:ai control plane?)"
            ))
            .with_hint(PASS_UUID),
            _ => Error::server(msg).with_hint(PASS_UUID),
        })
    }
}

const PASS_UUID: &str =
    "pass --cluster-uuid UUID (the Run:ai UI shows it under Clusters) to skip the lookup";

/// The documented answer: an array of clusters, each with a `uuid` and a
/// `name`. Another shape is an error, never a guess.
fn parse_clusters(body: &[u8]) -> Result<Vec<Cluster>, String> {
    let value: Value =
        serde_json::from_slice(body).map_err(|_| "not a JSON list of clusters".to_string())?;
    let items = value
        .as_array()
        .ok_or_else(|| "not a JSON list of clusters".to_string())?;
    if items.len() > MAX_CLUSTERS {
        return Err(format!("a list of {} clusters", items.len()));
    }
    items
        .iter()
        .enumerate()
        .map(|(i, item)| {
            let uuid = item
                .get("uuid")
                .and_then(Value::as_str)
                .ok_or_else(|| format!("cluster {} has no `uuid` string", i + 1))?;
            check_uuid(uuid).map_err(|e| format!("cluster {}: {e}", i + 1))?;
            let name = item
                .get("name")
                .and_then(Value::as_str)
                .map(|n| server_text(n, &[]))
                .filter(|n| !n.is_empty());
            Ok(Cluster {
                uuid: uuid.to_string(),
                name,
            })
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn uuids_are_hex_and_hyphens() {
        assert!(check_uuid("7b3e1f2a-9c4d-4e8f-a1b2-3c4d5e6f7a8b").is_ok());
        assert!(check_uuid("ABCDEF01").is_ok());
        for bad in [
            "",
            "x",
            "u-1",
            "../etc",
            "a b",
            "a\u{1b}[31m",
            &"a".repeat(65),
        ] {
            let err = check_uuid(bad).unwrap_err();
            assert!(!err.contains('\u{1b}'), "{err:?}");
        }
    }

    #[test]
    fn the_list_is_read_strictly() {
        let ok = parse_clusters(
            br#"[{"uuid":"aa-bb","name":"a\u001b[31mred","tenantId":1},{"uuid":"cc"}]"#,
        )
        .unwrap();
        assert_eq!(
            ok,
            [
                Cluster {
                    uuid: "aa-bb".into(),
                    name: Some("a[31mred".into())
                },
                Cluster {
                    uuid: "cc".into(),
                    name: None
                }
            ]
        );
        assert_eq!(parse_clusters(b"[]").unwrap(), []);
        for bad in [
            &b"{\"clusters\":[]}"[..],
            b"<html>",
            b"[{\"name\":\"x\"}]",
            b"[{\"uuid\":7}]",
            b"[{\"uuid\":\"not a uuid\"}]",
        ] {
            assert!(parse_clusters(bad).is_err(), "{bad:?}");
        }
        let many = format!("[{}]", vec![r#"{"uuid":"aa"}"#; MAX_CLUSTERS + 1].join(","));
        assert!(parse_clusters(many.as_bytes()).is_err());
    }
}
