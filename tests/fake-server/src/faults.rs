//! Injected failures: what a flaky backend or a misbehaving proxy in front of
//! it can do to a client.

use std::time::Duration;

use axum::body::Body;
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::Response;
use serde::Deserialize;
use serde_json::{Map, Value, json};

use crate::state::FakeState;

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
    /// Wait, then apply the inner fault (a slow server that then fails).
    After { delay: Duration, fault: Box<Fault> },
    // ---- hostile servers: answers a client must not trust ----
    /// Run:ai success with a crafted token set (registered, so the tokens
    /// work for later requests where they can); on `/api/v2/token` in the
    /// OAuth2 dialect (`access_token`, `expires_in`).
    RunaiToken(TokenAnswer),
    /// GBDS 201 with crafted expiry fields (raw JSON text each; `None` =
    /// field absent) and, optionally, exactly this token.
    GbdsToken {
        expiration_time: Option<String>,
        ttl: Option<String>,
        token: Option<String>,
    },
    /// Answer `status` echoing the request line, query and body back, as
    /// some servers and proxies do in error pages.
    Echo { status: u16, format: EchoFormat },
    /// 2xx `text/plain` whose body is a bare, valid access token.
    BareToken,
    /// An error status whose JSON body holds a valid token set.
    TokensInError(u16),
    /// The API's own error shape (Run:ai `{code,message,details}` or GBDS
    /// `{type,code,message,meta}`) with any status, optionally `Retry-After`
    /// (raw header value).
    VendorError {
        status: u16,
        message: String,
        details: Option<String>,
        retry_after: Option<String>,
    },
    /// RFC 6749 `{error, error_description}` (Run:ai's OAuth2 endpoint).
    OAuthError {
        status: u16,
        error: String,
        description: Option<String>,
    },
}

/// How [`Fault::Echo`] wraps what it echoes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum EchoFormat {
    /// In the API's own error shape (`message`/`details`, GBDS `message`).
    Json,
    /// In an HTML page, HTML-escaped.
    Html,
    /// As `text/plain`.
    Text,
}

/// A crafted Run:ai token answer ([`Fault::RunaiToken`]).
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
#[serde(default)]
pub struct TokenAnswer {
    /// A JSON object (as text) merged into the access token's claims, e.g.
    /// `{"exp":1e300}`; a `null` value removes the claim.
    pub claims: Option<String>,
    /// An opaque (non-JWT) access token instead of a JWT.
    pub opaque: bool,
    /// Exactly these tokens instead of minted ones (any characters).
    pub access_token: Option<String>,
    pub id_token: Option<String>,
    pub refresh_token: Option<String>,
    /// Raw JSON for `expiresIn` (2.24), e.g. `3600` or `1e300`.
    pub expires_in: Option<String>,
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
    /// Wait this long before applying the fault.
    #[serde(default)]
    pub delay_ms: Option<u64>,
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
    RunaiToken(TokenAnswer),
    GbdsToken {
        #[serde(default)]
        expiration_time: Option<String>,
        #[serde(default)]
        ttl: Option<String>,
        #[serde(default)]
        token: Option<String>,
    },
    Echo {
        status: u16,
        format: EchoFormat,
    },
    BareToken,
    TokensInError {
        status: u16,
    },
    VendorError {
        status: u16,
        message: String,
        #[serde(default)]
        details: Option<String>,
        #[serde(default)]
        retry_after: Option<String>,
    },
    OauthError {
        status: u16,
        error: String,
        #[serde(default)]
        error_description: Option<String>,
    },
}

impl FaultRequest {
    pub fn fault(&self) -> Fault {
        let fault = self.base_fault();
        match self.delay_ms {
            Some(ms) => Fault::After {
                delay: Duration::from_millis(ms),
                fault: Box::new(fault),
            },
            None => fault,
        }
    }

    fn base_fault(&self) -> Fault {
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
            FaultWire::RunaiToken(t) => Fault::RunaiToken(t.clone()),
            FaultWire::GbdsToken {
                expiration_time,
                ttl,
                token,
            } => Fault::GbdsToken {
                expiration_time: expiration_time.clone(),
                ttl: ttl.clone(),
                token: token.clone(),
            },
            FaultWire::Echo { status, format } => Fault::Echo {
                status: *status,
                format: *format,
            },
            FaultWire::BareToken => Fault::BareToken,
            FaultWire::TokensInError { status } => Fault::TokensInError(*status),
            FaultWire::VendorError {
                status,
                message,
                details,
                retry_after,
            } => Fault::VendorError {
                status: *status,
                message: message.clone(),
                details: details.clone(),
                retry_after: retry_after.clone(),
            },
            FaultWire::OauthError {
                status,
                error,
                error_description,
            } => Fault::OAuthError {
                status: *status,
                error: error.clone(),
                description: error_description.clone(),
            },
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

/// Raw JSON text as a value; text that is not JSON becomes a string.
fn raw_json(text: &str) -> Value {
    serde_json::from_str(text).unwrap_or_else(|_| Value::String(text.to_string()))
}

fn html_escape(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

/// The request as a hostile fault may use it.
pub(crate) struct Request<'a> {
    pub method: &'a str,
    /// Path and query.
    pub target: &'a str,
    pub body: &'a [u8],
}

/// The canned response for a fault, or None when the request should proceed
/// to its handler (`Slow`, after the sleep the caller does).
pub(crate) fn fault_response(
    fault: &Fault,
    kind: ApiKind,
    state: &FakeState,
    request: &Request<'_>,
) -> Option<Response> {
    let ok = kind.success();
    let resp = match fault {
        Fault::Slow(_) | Fault::Hang => return None,
        Fault::After { fault, .. } => return fault_response(fault, kind, state, request),
        Fault::RunaiToken(t) => {
            let body = runai_token_answer(t, state);
            // The OAuth2 endpoint answers in RFC 6749's snake_case dialect.
            let body = if request.target.starts_with("/api/v2/token") {
                oauth2_dialect(body)
            } else {
                body
            };
            respond(ok, JSON, body.to_string())
        }
        Fault::GbdsToken {
            expiration_time,
            ttl,
            token,
        } => {
            let minted = state.issue_gbds_token_default();
            let mut data = Map::new();
            data.insert(
                "token".into(),
                Value::String(token.clone().unwrap_or(minted.token)),
            );
            for (name, raw) in [("expirationTime", expiration_time), ("ttl", ttl)] {
                if let Some(raw) = raw {
                    data.insert(name.into(), raw_json(raw));
                }
            }
            respond(ok, JSON, json!({ "data": data }).to_string())
        }
        Fault::Echo {
            status: code,
            format,
        } => {
            let echoed = format!(
                "{} {}\n\n{}",
                request.method,
                request.target,
                String::from_utf8_lossy(request.body)
            );
            match format {
                EchoFormat::Json => {
                    let body = match kind {
                        ApiKind::Runai => json!({
                            "code": code,
                            "message": format!("rejected request {echoed}"),
                            "details": echoed,
                        }),
                        ApiKind::Gbds => json!({
                            "type": "VALIDATION_ERROR",
                            "code": "MALFORMED_JSON",
                            "message": format!("rejected request {echoed}"),
                            "meta": {"request": echoed},
                        }),
                    };
                    respond(status(*code), JSON, body.to_string())
                }
                EchoFormat::Html => respond(
                    status(*code),
                    Some("text/html; charset=utf-8"),
                    format!(
                        "<html><body><h1>Request rejected</h1><pre>{}</pre></body></html>",
                        html_escape(&echoed)
                    ),
                ),
                EchoFormat::Text => respond(status(*code), Some("text/plain"), echoed),
            }
        }
        Fault::BareToken => respond(
            ok,
            Some("text/plain"),
            state.issue_access_token(&state.config().username),
        ),
        Fault::TokensInError(code) => {
            let body = match kind {
                ApiKind::Runai => state.issue_token_set(&state.config().username).to_json(),
                ApiKind::Gbds => crate::gbds::token_json(&state.issue_gbds_token_default()),
            };
            respond(status(*code), JSON, body.to_string())
        }
        Fault::VendorError {
            status: code,
            message,
            details,
            retry_after,
        } => {
            let body = match kind {
                ApiKind::Runai => {
                    let mut b = json!({"code": code, "message": message});
                    if let Some(d) = details {
                        b["details"] = Value::String(d.clone());
                    }
                    b
                }
                ApiKind::Gbds => json!({
                    "type": if *code >= 500 { "INTERNAL_ERROR" } else { "VALIDATION_ERROR" },
                    "code": details.clone().unwrap_or_else(|| "ERROR".into()),
                    "message": message,
                    "meta": {},
                }),
            };
            let mut resp = respond(status(*code), JSON, body.to_string());
            if let Some(v) = retry_after
                .as_deref()
                .and_then(|v| HeaderValue::from_str(v).ok())
            {
                resp.headers_mut().insert(header::RETRY_AFTER, v);
            }
            resp
        }
        Fault::OAuthError {
            status: code,
            error,
            description,
        } => {
            let mut body = json!({"error": error});
            if let Some(d) = description {
                body["error_description"] = Value::String(d.clone());
            }
            respond(status(*code), JSON, body.to_string())
        }
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

/// The body of a [`Fault::RunaiToken`] answer.
fn runai_token_answer(t: &TokenAnswer, state: &FakeState) -> Value {
    let subject = state.config().username;
    let access = match (&t.access_token, t.opaque) {
        (Some(literal), _) => literal.clone(),
        (None, true) => state.issue_opaque_access_token(),
        (None, false) => {
            let extra = t
                .claims
                .as_deref()
                .map(raw_json)
                .and_then(|v| v.as_object().cloned())
                .unwrap_or_default();
            state.issue_access_token_with(&subject, &extra)
        }
    };
    let mut body = json!({
        "accessToken": access,
        "idToken": t.id_token.clone().unwrap_or_else(|| state.issue_id_token(&subject)),
        "refreshToken": t.refresh_token.clone().unwrap_or_else(|| state.issue_refresh_token()),
    });
    if let Some(raw) = &t.expires_in {
        body["expiresIn"] = raw_json(raw);
    }
    body
}

/// A Run:ai camelCase answer as `/api/v2/token` writes it.
fn oauth2_dialect(body: Value) -> Value {
    let mut out = Map::new();
    out.insert("token_type".into(), Value::String("Bearer".into()));
    if let Value::Object(fields) = body {
        for (name, value) in fields {
            let name = match name.as_str() {
                "accessToken" => "access_token",
                "idToken" => "id_token",
                "refreshToken" => "refresh_token",
                "expiresIn" => "expires_in",
                other => other,
            };
            out.insert(name.into(), value);
        }
    }
    Value::Object(out)
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
        let (f, _) = parse_fault_json(
            r#"{"kind":"runai_token","claims":"{\"exp\":1e300}","expires_in":"5"}"#,
        )
        .unwrap();
        assert_eq!(
            f,
            Fault::RunaiToken(TokenAnswer {
                claims: Some(r#"{"exp":1e300}"#.into()),
                expires_in: Some("5".into()),
                ..Default::default()
            })
        );
        let (f, _) = parse_fault_json(
            r#"{"kind":"service_unavailable","retry_after":18446744073709551615,"delay_ms":1100}"#,
        )
        .unwrap();
        assert_eq!(
            f,
            Fault::After {
                delay: Duration::from_millis(1100),
                fault: Box::new(Fault::ServiceUnavailable {
                    retry_after: Some(u64::MAX)
                })
            }
        );
        let (f, _) = parse_fault_json(r#"{"kind":"echo","status":401,"format":"html"}"#).unwrap();
        assert_eq!(
            f,
            Fault::Echo {
                status: 401,
                format: EchoFormat::Html
            }
        );
        let (f, _) = parse_fault_json(
            r#"{"kind":"oauth_error","status":400,"error":"invalid_grant","error_description":"d"}"#,
        )
        .unwrap();
        assert_eq!(
            f,
            Fault::OAuthError {
                status: 400,
                error: "invalid_grant".into(),
                description: Some("d".into())
            }
        );
    }

    #[test]
    fn raw_json_values() {
        assert_eq!(raw_json("1e300"), json!(1e300));
        assert_eq!(raw_json("18446744073709551615"), json!(u64::MAX));
        assert_eq!(raw_json("not json"), json!("not json"));
    }
}
