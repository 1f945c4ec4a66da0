//! Injected failures: what a flaky backend or a misbehaving proxy in front of
//! it can do to a client.

use std::time::Duration;

use axum::body::Body;
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::Response;
use serde::Deserialize;
use serde_json::json;

/// A failure to inject into API responses (control endpoints are exempt).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Fault {
    /// Answer with exactly this status, body and (optional) content type.
    Status {
        status: u16,
        body: String,
        content_type: Option<String>,
    },
    /// 503 in the API's own error shape, with an optional `Retry-After`.
    ServiceUnavailable { retry_after: Option<u64> },
    /// Sleep, then answer normally.
    Slow(Duration),
    /// An HTML error page, as a reverse proxy would send.
    Html(u16),
    /// An empty body with this status.
    Empty(u16),
    /// Success status, body cut off mid-JSON.
    MalformedJson,
    /// Success status, body that is not valid UTF-8.
    NonUtf8,
    /// Success status, JSON without any token (`{}` / GBDS `{"data":{}}`).
    NoAccessToken,
    /// Success status, a JSON body of exactly this many bytes.
    Huge(usize),
    /// A redirect to `location`.
    Redirect { status: u16, location: String },
    /// Accept the request and never answer.
    Hang,
}

/// Which API family a request belongs to, so faults speak its dialect.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ApiKind {
    Runai,
    Gbds,
}

impl ApiKind {
    pub fn for_path(path: &str) -> Self {
        if path.starts_with("/gbds/") {
            ApiKind::Gbds
        } else {
            ApiKind::Runai
        }
    }

    fn success(self) -> StatusCode {
        match self {
            ApiKind::Runai => StatusCode::OK,
            ApiKind::Gbds => StatusCode::CREATED,
        }
    }
}

/// The JSON form accepted by `POST /__fake/fault`, e.g.
/// `{"kind":"slow","ms":1500,"times":2}` or `{"kind":"html","status":502}`.
#[derive(Debug, Deserialize)]
pub struct FaultRequest {
    #[serde(flatten)]
    fault: FaultWire,
    /// Number of requests to affect; absent = until cleared.
    #[serde(default)]
    pub times: Option<usize>,
}

#[derive(Debug, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
enum FaultWire {
    Status {
        status: u16,
        #[serde(default)]
        body: String,
        #[serde(default)]
        content_type: Option<String>,
    },
    ServiceUnavailable {
        #[serde(default)]
        retry_after: Option<u64>,
    },
    Slow {
        ms: u64,
    },
    Html {
        status: u16,
    },
    Empty {
        status: u16,
    },
    MalformedJson,
    NonUtf8,
    NoAccessToken,
    Huge {
        bytes: usize,
    },
    Redirect {
        status: u16,
        location: String,
    },
    Hang,
}

impl FaultRequest {
    pub fn fault(&self) -> Fault {
        match &self.fault {
            FaultWire::Status {
                status,
                body,
                content_type,
            } => Fault::Status {
                status: *status,
                body: body.clone(),
                content_type: content_type.clone(),
            },
            FaultWire::ServiceUnavailable { retry_after } => Fault::ServiceUnavailable {
                retry_after: *retry_after,
            },
            FaultWire::Slow { ms } => Fault::Slow(Duration::from_millis(*ms)),
            FaultWire::Html { status } => Fault::Html(*status),
            FaultWire::Empty { status } => Fault::Empty(*status),
            FaultWire::MalformedJson => Fault::MalformedJson,
            FaultWire::NonUtf8 => Fault::NonUtf8,
            FaultWire::NoAccessToken => Fault::NoAccessToken,
            FaultWire::Huge { bytes } => Fault::Huge(*bytes),
            FaultWire::Redirect { status, location } => Fault::Redirect {
                status: *status,
                location: location.clone(),
            },
            FaultWire::Hang => Fault::Hang,
        }
    }
}

/// Parse the control-endpoint JSON into a fault and its repeat count.
pub fn parse_fault_json(text: &str) -> Result<(Fault, Option<usize>), serde_json::Error> {
    let req: FaultRequest = serde_json::from_str(text)?;
    Ok((req.fault(), req.times))
}

fn status(code: u16) -> StatusCode {
    StatusCode::from_u16(code).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR)
}

fn respond(status: StatusCode, content_type: Option<&str>, body: impl Into<Body>) -> Response {
    let mut resp = Response::new(body.into());
    *resp.status_mut() = status;
    if let Some(ct) = content_type.and_then(|ct| HeaderValue::from_str(ct).ok()) {
        resp.headers_mut().insert(header::CONTENT_TYPE, ct);
    }
    resp
}

const JSON: Option<&str> = Some("application/json");

/// A JSON body of exactly `n` bytes (when `n` allows a token field at all).
fn huge_body(kind: ApiKind, n: usize) -> Vec<u8> {
    let (head, tail): (&[u8], &[u8]) = match kind {
        ApiKind::Runai => (br#"{"accessToken":""#, br#""}"#),
        ApiKind::Gbds => (br#"{"data":{"token":""#, br#""}}"#),
    };
    let fixed = head.len() + tail.len();
    if n < fixed {
        // Too small for a token: valid JSON padded with spaces.
        let mut body = b"{}".to_vec();
        body.resize(n.max(2), b' ');
        return body;
    }
    let mut body = Vec::with_capacity(n);
    body.extend_from_slice(head);
    body.resize(n - tail.len(), b'a');
    body.extend_from_slice(tail);
    body
}

/// The canned response for a fault, or None when the request should proceed
/// to its handler (`Slow`, after the sleep the caller does).
pub(crate) fn fault_response(fault: &Fault, kind: ApiKind) -> Option<Response> {
    let ok = kind.success();
    let resp = match fault {
        Fault::Slow(_) | Fault::Hang => return None,
        Fault::Status {
            status: code,
            body,
            content_type,
        } => respond(status(*code), content_type.as_deref(), body.clone()),
        Fault::ServiceUnavailable { retry_after } => {
            let body = match kind {
                ApiKind::Runai => json!({
                    "code": 503,
                    "message": "service unavailable",
                    "details": "the token service is temporarily unavailable",
                }),
                ApiKind::Gbds => json!({
                    "type": "INTERNAL_ERROR",
                    "code": "CREDENTIAL_SERVER_CONNECTION_ERROR",
                    "message": "credential server unavailable",
                    "meta": {},
                }),
            };
            let mut resp = respond(StatusCode::SERVICE_UNAVAILABLE, JSON, body.to_string());
            if let Some(secs) = retry_after {
                resp.headers_mut()
                    .insert(header::RETRY_AFTER, HeaderValue::from(*secs));
            }
            resp
        }
        Fault::Html(code) => {
            let status = status(*code);
            let reason = status.canonical_reason().unwrap_or("Error");
            let page = format!(
                "<!DOCTYPE html>\n<html><head><title>{code} {reason}</title></head>\
                 <body><center><h1>{code} {reason}</h1></center><hr><center>nginx</center></body></html>\n"
            );
            respond(status, Some("text/html; charset=utf-8"), page)
        }
        Fault::Empty(code) => respond(status(*code), None, Body::empty()),
        Fault::MalformedJson => {
            let body = match kind {
                ApiKind::Runai => r#"{"accessToken": "abc"#,
                ApiKind::Gbds => r#"{"data": {"token": "abc"#,
            };
            respond(ok, JSON, body)
        }
        Fault::NonUtf8 => {
            let body: &'static [u8] = match kind {
                ApiKind::Runai => b"{\"accessToken\": \"\xff\xfe\xfd\"}",
                ApiKind::Gbds => b"{\"data\": {\"token\": \"\xff\xfe\xfd\"}}",
            };
            respond(ok, JSON, body)
        }
        Fault::NoAccessToken => {
            let body = match kind {
                ApiKind::Runai => "{}",
                ApiKind::Gbds => r#"{"data":{}}"#,
            };
            respond(ok, JSON, body)
        }
        Fault::Huge(n) => respond(ok, JSON, huge_body(kind, *n)),
        Fault::Redirect {
            status: code,
            location,
        } => {
            let mut resp = respond(status(*code), None, Body::empty());
            if let Ok(loc) = HeaderValue::from_str(location) {
                resp.headers_mut().insert(header::LOCATION, loc);
            }
            resp
        }
    };
    Some(resp)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn huge_body_has_exact_size_and_is_json() {
        for kind in [ApiKind::Runai, ApiKind::Gbds] {
            for n in [0, 1, 5, 18, 19, 1000] {
                let body = huge_body(kind, n);
                assert_eq!(body.len(), n.max(2), "{kind:?} {n}");
                serde_json::from_slice::<serde_json::Value>(&body).unwrap();
            }
        }
    }

    #[test]
    fn parses_wire_faults() {
        let (f, times) = parse_fault_json(r#"{"kind":"slow","ms":250,"times":2}"#).unwrap();
        assert_eq!(f, Fault::Slow(Duration::from_millis(250)));
        assert_eq!(times, Some(2));
        let (f, times) = parse_fault_json(r#"{"kind":"html","status":502}"#).unwrap();
        assert_eq!(f, Fault::Html(502));
        assert_eq!(times, None);
        let (f, _) = parse_fault_json(
            r#"{"kind":"status","status":500,"body":"x","content_type":"text/plain"}"#,
        )
        .unwrap();
        assert_eq!(
            f,
            Fault::Status {
                status: 500,
                body: "x".into(),
                content_type: Some("text/plain".into())
            }
        );
        assert!(parse_fault_json(r#"{"kind":"nope"}"#).is_err());
    }
}
