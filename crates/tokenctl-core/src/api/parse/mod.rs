//! Pure parsers for the vendors' answers: bytes in, typed values or a reason
//! out. Kept free of I/O so the fuzz targets can drive them directly.
//!
//! This is the one place where a server's answer is validated; nothing
//! downstream meets an impossible value. The rules:
//!
//! - **Tokens.** The access token must be an RFC 6750 `b64token` (letters,
//!   digits, `-._~+/`, then `=` padding); id and refresh tokens must be
//!   visible ASCII without whitespace. Empty optional tokens count as absent.
//!   Anything else refuses the whole answer (the token is never shown).
//! - **Times.** An expiry instant (JWT `exp`, GBDS `expirationTime`) is
//!   believed from the Unix epoch to ten years after the moment the answer
//!   arrived ([`FUTURE_LIMIT`]): one in the past is an expired token, never an
//!   unknown expiry, however long ago; a lifetime
//!   (`expiresIn`, GBDS `ttl`, or an `expirationTime` too small to be an
//!   instant) between 0 and ten years ([`MAX_LIFETIME`]). Outside that the
//!   value is ignored, with a note for `-v`, and the expiry may end unknown.
//!   Floats are rounded down; arithmetic saturates.
//! - **Which expiry.** A lifetime beats an instant: the lifetime plus the
//!   receive time is on the local clock, immune to clock skew. Run:ai:
//!   `expiresIn`, else the JWT `exp`. GBDS: `ttl`, else `expirationTime` read
//!   as a duration when it is at most ten years of milliseconds, else as
//!   epoch milliseconds. When two sources disagree by more than a minute the
//!   note says so.
//! - **Server text.** Anything shown from a body has the request's secrets
//!   replaced by `***` (also in JSON-, HTML- and URL-escaped form), control
//!   characters removed and whitespace folded, and is cut at `MAX_SHOWN`
//!   characters. JSON error bodies show only their documented message
//!   fields; other JSON is never shown (it may hold a token).

mod gbds;
mod runai;

pub use gbds::{GbdsToken, gbds_expiry, gbds_token};
pub use runai::{Tokens, oauth2_tokens, runai_expiry, runai_legacy_app_token, runai_tokens};

use serde_json::Value;

use crate::secret::Secret;
use crate::text::server_text;
use crate::token;

const DAY: u64 = 24 * 60 * 60;

/// Expiry instants further in the future than this are not believed.
pub const FUTURE_LIMIT: u64 = 10 * 365 * DAY;

/// The longest lifetime believed.
pub const MAX_LIFETIME: u64 = FUTURE_LIMIT;

/// Two expiry sources further apart than this are reported at `-v`.
pub const DISAGREEMENT: u64 = 60;

/// When a token expires, as far as the answer can be believed.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Expiry {
    /// Unix seconds.
    pub expires_at: Option<u64>,
    /// Seconds the token was issued for (see [`TokenSet::lifetime`](crate::token::TokenSet::lifetime)).
    pub lifetime: Option<u64>,
    /// What was used and what was ignored, for `-v`.
    pub notes: Vec<String>,
}

/// Why JSON did not parse, without serde's quote of the offending value
/// (a success body may hold a token).
fn json_error(e: &serde_json::Error) -> String {
    use serde_json::error::Category;
    let what = match e.classify() {
        Category::Syntax | Category::Eof | Category::Io => "malformed JSON",
        Category::Data => "JSON of another shape",
    };
    format!("{what} at line {} column {}", e.line(), e.column())
}

fn non_empty(s: Option<Secret>) -> Option<Secret> {
    s.filter(|t| !t.is_empty())
}

/// RFC 6750 `b64token`: `1*( ALPHA / DIGIT / "-" / "." / "_" / "~" / "+" / "/" ) *"="`.
/// What may follow `Authorization: Bearer `, so no header or terminal
/// injection can ride on it.
pub fn is_bearer_token(token: &str) -> bool {
    let head = token.trim_end_matches('=');
    !head.is_empty()
        && head
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b"-._~+/".contains(&b))
}

/// Visible ASCII, no whitespace, not empty: for id and refresh tokens.
pub fn is_visible_token(token: &str) -> bool {
    !token.is_empty() && token.bytes().all(|b| b.is_ascii_graphic())
}

/// Checks every token of an answer; the reason never quotes a token.
pub fn check_tokens(
    access: &Secret,
    id: Option<&Secret>,
    refresh: Option<&Secret>,
) -> Result<(), String> {
    if !is_bearer_token(access.expose()) {
        return Err(
            "the access token holds characters a bearer token cannot have (RFC 6750 allows letters, digits, -._~+/ and trailing =; not whitespace, control characters or non-ASCII)"
                .into(),
        );
    }
    for (name, t) in [("id token", id), ("refresh token", refresh)] {
        if t.is_some_and(|t| !is_visible_token(t.expose())) {
            return Err(format!(
                "the {name} holds whitespace, control characters or non-ASCII"
            ));
        }
    }
    Ok(())
}

/// An instant (Unix seconds) believed when received at `now`. Any real
/// instant before now is believed: it says the token is already expired.
fn plausible_instant(t: i128, now: u64) -> Option<u64> {
    let ok = t >= 0 && t <= i128::from(now) + i128::from(FUTURE_LIMIT);
    ok.then_some(t as u64)
}

/// A lifetime in seconds believed.
fn plausible_lifetime(secs: i128) -> Option<u64> {
    (0..=i128::from(MAX_LIFETIME))
        .contains(&secs)
        .then_some(secs as u64)
}

/// A JSON value for a note: short, and only ever a number or a type name.
fn shown_value(v: &Value) -> String {
    match v {
        Value::Number(n) => n.to_string(),
        Value::String(_) => "a string".into(),
        Value::Bool(_) => "a boolean".into(),
        Value::Array(_) => "an array".into(),
        Value::Object(_) => "an object".into(),
        Value::Null => "null".into(),
    }
}

/// A present, non-null field.
fn field(v: Option<&Value>) -> Option<&Value> {
    v.filter(|v| !v.is_null())
}

fn differ_note(what: &str, other: u64, used: u64, which: &str) -> Option<String> {
    let diff = token::seconds_between(used, other);
    (diff.unsigned_abs() > DISAGREEMENT).then(|| {
        format!(
            "{what} says the token expires at {} ({}s {} than {which}); using {which}: the local or the server's clock may be off",
            token::rfc3339(other),
            diff.unsigned_abs(),
            if diff < 0 { "earlier" } else { "later" }
        )
    })
}

/// The readable part of an error answer's body.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ErrorBody {
    /// Run:ai's `{code, message, details}`.
    Runai {
        code: Option<i64>,
        message: String,
        details: Option<String>,
    },
    /// GBDS's `{type, code, message, meta}`.
    Gbds {
        kind: Option<String>,
        code: Option<String>,
        message: Option<String>,
    },
    /// RFC 6749's `{error, error_description}` (Run:ai's OAuth2 endpoint).
    OAuth {
        error: String,
        description: Option<String>,
    },
    /// JSON with none of those fields: never shown, it may hold a token.
    OtherJson {
        len: usize,
    },
    /// Not JSON (a proxy's page, plain text): a cleaned excerpt.
    Text(String),
    NotUtf8 {
        len: usize,
    },
    Empty,
}

/// Reads an error body; every string in the result is fit to show (see the
/// module's rules). `secrets` are the request's own secrets.
pub fn error_body(body: &[u8], secrets: &[&str]) -> ErrorBody {
    let first = body.iter().find(|b| !b.is_ascii_whitespace());
    let Some(first) = first else {
        return ErrorBody::Empty;
    };
    if matches!(first, b'{' | b'[') {
        let value: Option<Value> = serde_json::from_slice(body).ok();
        return value
            .as_ref()
            .and_then(|v| documented_error(v, secrets))
            .unwrap_or(ErrorBody::OtherJson { len: body.len() });
    }
    match std::str::from_utf8(body) {
        Ok(text) => ErrorBody::Text(server_text(text, secrets)),
        Err(_) => ErrorBody::NotUtf8 { len: body.len() },
    }
}

fn documented_error(v: &Value, secrets: &[&str]) -> Option<ErrorBody> {
    let text = |name: &str| {
        v.get(name)
            .and_then(Value::as_str)
            .map(|s| server_text(s, secrets))
            .filter(|s| !s.is_empty())
    };
    if v.get("type").is_some_and(Value::is_string) || v.get("code").is_some_and(Value::is_string) {
        return Some(ErrorBody::Gbds {
            kind: text("type"),
            code: text("code"),
            message: text("message"),
        });
    }
    if let Some(message) = text("message") {
        return Some(ErrorBody::Runai {
            code: v.get("code").and_then(Value::as_i64),
            message,
            details: text("details"),
        });
    }
    text("error").map(|error| ErrorBody::OAuth {
        error,
        description: text("error_description"),
    })
}

impl ErrorBody {
    /// Whether the body came in one of the APIs' documented error shapes.
    pub fn documented(&self) -> bool {
        matches!(
            self,
            ErrorBody::Runai { .. } | ErrorBody::Gbds { .. } | ErrorBody::OAuth { .. }
        )
    }

    /// Run:ai's `code` when it differs from the HTTP status.
    pub fn extra_code(&self, status: u16) -> Option<i64> {
        match self {
            ErrorBody::Runai { code, .. } => code.filter(|c| *c != i64::from(status)),
            _ => None,
        }
    }

    /// GBDS's `code` (`EXPIRED_TOKEN`, ...).
    pub fn gbds_code(&self) -> Option<&str> {
        match self {
            ErrorBody::Gbds { code, .. } => code.as_deref(),
            _ => None,
        }
    }

    /// The body for a message.
    pub fn describe(&self) -> String {
        match self {
            ErrorBody::Runai {
                message, details, ..
            } => match details {
                Some(d) => format!("{message} ({d})"),
                None => message.clone(),
            },
            ErrorBody::Gbds {
                kind,
                code,
                message,
            } => {
                let head = [kind, code]
                    .into_iter()
                    .flatten()
                    .map(String::as_str)
                    .collect::<Vec<_>>()
                    .join(" ");
                match message {
                    Some(m) if head.is_empty() => m.clone(),
                    Some(m) => format!("{head}: {m}"),
                    None => head,
                }
            }
            ErrorBody::OAuth { error, description } => match description {
                Some(d) => format!("{error}: {d}"),
                None => error.clone(),
            },
            ErrorBody::OtherJson { len } => format!(
                "a JSON body of {len} bytes without a documented error message (not shown: it may hold a token)"
            ),
            ErrorBody::Text(text) => text.clone(),
            ErrorBody::NotUtf8 { len } => format!("(a body of {len} bytes that is not UTF-8)"),
            ErrorBody::Empty => "(empty body)".into(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    const NOW: u64 = 1_700_000_000;

    #[test]
    fn the_documented_limits() {
        assert_eq!(FUTURE_LIMIT, 315_360_000, "ten years of 365 days");
        assert_eq!(MAX_LIFETIME, FUTURE_LIMIT);
        assert_eq!(DISAGREEMENT, 60);
    }

    #[test]
    fn parse_errors_never_quote_the_body() {
        for body in [
            br#"{"accessToken":{"x":"eyJsecret"}}"#.as_slice(),
            br#"{"accessToken":["eyJsecret"]}"#,
            br#"{"data":"eyJsecret"}"#,
            br#"{"access_token":"a","id_token":7, "x":"eyJsecret"}"#,
            br#"["eyJsecret"]"#,
            br#"{"accessToken":"eyJsecret"#,
        ] {
            let errors = [
                runai_tokens(body, NOW).err(),
                runai_legacy_app_token(body, NOW).err(),
                gbds_token(body, NOW).err(),
            ];
            for e in errors.into_iter().flatten() {
                assert!(!e.contains("eyJ"), "{e}");
                assert!(
                    !e.starts_with("not a") || e.contains("JSON") && e.contains("line 1 column"),
                    "{e}"
                );
            }
        }
        let e = runai_tokens(br#"{"accessToken":"a""#, NOW).unwrap_err();
        assert!(e.contains("malformed JSON"), "{e}");
        let e = runai_tokens(br#"{"accessToken":5}"#, NOW).unwrap_err();
        assert!(e.contains("JSON of another shape"), "{e}");
    }

    #[test]
    fn bearer_token_charset() {
        for ok in ["a", "AZaz09-._~+/", "abc==", "eyJ.eyJ.sig", "x="] {
            assert!(is_bearer_token(ok), "{ok:?}");
        }
        for bad in [
            "",
            "=",
            "==",
            "a=b",
            "a b",
            "a\r\nX-Injected: yes",
            "a\n",
            "\x1b[31m",
            "a\0b",
            "é",
            "a:b",
            "a\"b",
            "a'b",
            "a\tb",
            "a,b",
            "a%b",
            "a\u{7f}",
        ] {
            assert!(!is_bearer_token(bad), "{bad:?}");
        }
        for ok in ["a", "!~", "a:b\"'%"] {
            assert!(is_visible_token(ok), "{ok:?}");
        }
        for bad in ["", " ", "a b", "a\nb", "a\0", "\u{7f}", "é", "a\tb"] {
            assert!(!is_visible_token(bad), "{bad:?}");
        }
    }

    #[test]
    fn bad_tokens_refuse_the_answer_without_quoting_them() {
        for body in [
            json!({"accessToken": "abc\r\nX-Injected: yes"}),
            json!({"accessToken": "\u{1b}[2Jabc"}),
            json!({"accessToken": "a\u{0}b"}),
            json!({"accessToken": "ok", "idToken": "id\nX: y"}),
            json!({"accessToken": "ok", "refreshToken": "r t"}),
        ] {
            let err = runai_tokens(body.to_string().as_bytes(), NOW).unwrap_err();
            assert!(
                !err.contains("Injected") && !err.contains('\u{1b}') && !err.contains(" t\""),
                "{err}"
            );
        }
        let err = runai_tokens(br#"{"accessToken":"ok","idToken":"a b"}"#, NOW).unwrap_err();
        assert!(err.contains("id token"), "{err}");
        let err = runai_tokens(br#"{"accessToken":"ok","refreshToken":"a b"}"#, NOW).unwrap_err();
        assert!(err.contains("refresh token"), "{err}");
        assert!(gbds_token(br#"{"data":{"token":"a\nb"}}"#, NOW).is_err());
    }

    #[test]
    fn error_shapes() {
        assert_eq!(
            error_body(br#"{"code":400,"message":"bad","details":"why"}"#, &[]).describe(),
            "bad (why)"
        );
        let b = error_body(br#"{"code":401,"message":"bad"}"#, &[]);
        assert_eq!(b.describe(), "bad");
        assert_eq!(b.extra_code(400), Some(401));
        assert_eq!(b.extra_code(401), None);
        assert_eq!(b.gbds_code(), None);
        let b = error_body(br#"{"type":"SECURITY_ERROR","code":"EXPIRED_TOKEN"}"#, &[]);
        assert_eq!(b.gbds_code(), Some("EXPIRED_TOKEN"));
        assert_eq!(b.extra_code(401), None);
        assert_eq!(
            error_body(
                br#"{"type":"SECURITY_ERROR","code":"EXPIRED_TOKEN","message":"m","meta":{}}"#,
                &[]
            )
            .describe(),
            "SECURITY_ERROR EXPIRED_TOKEN: m"
        );
        assert_eq!(error_body(br#"{"code":"X"}"#, &[]).describe(), "X");
        assert_eq!(
            error_body(br#"{"type":" ","message":"m"}"#, &[]).describe(),
            "m"
        );
        assert_eq!(
            error_body(br#"{"type":"T","message":"m"}"#, &[]).describe(),
            "T: m"
        );
        assert_eq!(
            error_body(br#"{"type":"T","code":5,"message":"m"}"#, &[]),
            ErrorBody::Gbds {
                kind: Some("T".into()),
                code: None,
                message: Some("m".into())
            }
        );
        assert_eq!(
            error_body(
                br#"{"error":"invalid_grant","error_description":"expired"}"#,
                &[]
            )
            .describe(),
            "invalid_grant: expired"
        );
        assert_eq!(
            error_body(br#"{"error":"invalid_client"}"#, &[]).describe(),
            "invalid_client"
        );
        let tokens = error_body(br#"{"accessToken":"eyJsecret","refreshToken":"r"}"#, &[]);
        assert_eq!(tokens, ErrorBody::OtherJson { len: 46 });
        assert!(!tokens.documented());
        assert!(!tokens.describe().contains("eyJ"));
        assert_eq!(
            error_body(br#"{"accessToken":"eyJ"#, &[]),
            ErrorBody::OtherJson { len: 19 }
        );
        assert_eq!(error_body(br#"[1]"#, &[]), ErrorBody::OtherJson { len: 3 });
        assert_eq!(
            error_body(br#"{"message":5}"#, &[]),
            ErrorBody::OtherJson { len: 13 }
        );
        assert_eq!(error_body(b"  \n", &[]), ErrorBody::Empty);
        assert_eq!(error_body(b"", &[]).describe(), "(empty body)");
        assert_eq!(
            error_body(b"\xff\xfe", &[]).describe(),
            "(a body of 2 bytes that is not UTF-8)"
        );
        let page = error_body(b"<html>\n<b>502</b>\n</html>", &[]);
        assert_eq!(page.describe(), "<html> <b>502</b> </html>");
        assert!(!page.documented());
        assert!(error_body(br#"{"message":"m"}"#, &[]).documented());
    }

    #[test]
    fn server_text_is_clean_and_scrubbed() {
        let body = br#"{"code":401,"message":"\u001b[2J\u001b]0;pwned\u0007fake\nerror: run rm -rf","details":"rejected request {\"password\":\"S3cret\\\"PW\"}"}"#;
        let shown = error_body(body, &["S3cret\"PW"]).describe();
        assert!(!shown.chars().any(|c| c.is_control()), "{shown:?}");
        assert!(!shown.contains("S3cret"), "{shown}");
        assert!(shown.contains("***"), "{shown}");
        assert!(
            shown.contains("fake error: run rm -rf"),
            "one line: {shown}"
        );
    }
}
