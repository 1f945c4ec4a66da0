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
//!   characters removed and whitespace folded, and is cut at [`MAX_SHOWN`]
//!   characters. JSON error bodies show only their documented message
//!   fields; other JSON is never shown (it may hold a token).

use serde::Deserialize;
use serde_json::Value;

use crate::secret::Secret;
use crate::token::{self, Source, TokenSet};

const DAY: u64 = 24 * 60 * 60;
/// Expiry instants further in the future than this are not believed.
pub const FUTURE_LIMIT: u64 = 10 * 365 * DAY;
/// The longest lifetime believed.
pub const MAX_LIFETIME: u64 = FUTURE_LIMIT;
/// Two expiry sources further apart than this are reported at `-v`.
pub const DISAGREEMENT: u64 = 60;
/// Characters of server text shown at most, per field.
pub const MAX_SHOWN: usize = 200;

/// The tokens of a Run:ai answer; the access token is never empty.
#[derive(Debug)]
pub struct Tokens {
    pub access: Secret,
    pub id: Option<Secret>,
    pub refresh: Option<Secret>,
    pub expiry: Expiry,
}

/// When a token expires, as far as the answer can be believed.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Expiry {
    /// Unix seconds.
    pub expires_at: Option<u64>,
    /// Seconds the token was issued for (see [`TokenSet::lifetime`]).
    pub lifetime: Option<u64>,
    /// What was used and what was ignored, for `-v`.
    pub notes: Vec<String>,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct TokenResponse {
    access_token: Option<Secret>,
    id_token: Option<Secret>,
    refresh_token: Option<Secret>,
    /// 2.24: lifetime in seconds. Any JSON, judged by [`runai_expiry`].
    #[serde(default)]
    expires_in: Option<Value>,
}

/// 2.19 `AppTokenResponse`: snake_case, both required.
#[derive(Deserialize)]
struct LegacyAppTokenResponse {
    access_token: Secret,
    id_token: Secret,
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

/// Run:ai `TokenResponse` (`/api/v1/token`, and 2.19's exchange and refresh),
/// received at `now` (Unix seconds).
pub fn runai_tokens(body: &[u8], now: u64) -> Result<Tokens, String> {
    let resp: TokenResponse = serde_json::from_slice(body)
        .map_err(|e| format!("not a Run:ai TokenResponse ({})", json_error(&e)))?;
    let access = non_empty(resp.access_token).ok_or("the answer has no accessToken")?;
    let id = non_empty(resp.id_token);
    let refresh = non_empty(resp.refresh_token);
    check_tokens(&access, id.as_ref(), refresh.as_ref())?;
    let expiry = runai_expiry(access.expose(), resp.expires_in.as_ref(), now);
    Ok(Tokens {
        access,
        id,
        refresh,
        expiry,
    })
}

/// RFC 6749 token answer (Run:ai `POST /api/v2/token`): snake_case;
/// `token_type` and `scope` are not needed.
#[derive(Deserialize)]
struct OAuth2TokenResponse {
    access_token: Option<Secret>,
    id_token: Option<Secret>,
    refresh_token: Option<Secret>,
    /// Lifetime in seconds. Any JSON, judged by [`runai_expiry`].
    #[serde(default)]
    expires_in: Option<Value>,
}

/// Run:ai's OAuth2 answer (`/api/v2/token`), received at `now`.
pub fn oauth2_tokens(body: &[u8], now: u64) -> Result<Tokens, String> {
    let resp: OAuth2TokenResponse = serde_json::from_slice(body)
        .map_err(|e| format!("not an OAuth2 token answer ({})", json_error(&e)))?;
    let access = non_empty(resp.access_token).ok_or("the answer has no access_token")?;
    let id = non_empty(resp.id_token);
    let refresh = non_empty(resp.refresh_token);
    check_tokens(&access, id.as_ref(), refresh.as_ref())?;
    let expiry = runai_expiry(access.expose(), resp.expires_in.as_ref(), now);
    Ok(Tokens {
        access,
        id,
        refresh,
        expiry,
    })
}

/// Run:ai 2.19 `AppTokenResponse`.
pub fn runai_legacy_app_token(body: &[u8], now: u64) -> Result<Tokens, String> {
    let resp: LegacyAppTokenResponse = serde_json::from_slice(body)
        .map_err(|e| format!("not a Run:ai AppTokenResponse ({})", json_error(&e)))?;
    let access = non_empty(Some(resp.access_token)).ok_or("the answer's access_token is empty")?;
    let id = non_empty(Some(resp.id_token));
    check_tokens(&access, id.as_ref(), None)?;
    let expiry = runai_expiry(access.expose(), None, now);
    Ok(Tokens {
        access,
        id,
        refresh: None,
        expiry,
    })
}

impl Tokens {
    pub fn into_token_set(self, source: Source, now: u64) -> TokenSet {
        TokenSet {
            access_token: self.access,
            id_token: self.id,
            refresh_token: self.refresh,
            app_secret: None,
            expires_at: self.expiry.expires_at,
            obtained_at: now,
            source,
            lifetime: self.expiry.lifetime,
        }
    }
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

/// A Run:ai expiry: `expiresIn` (seconds after receipt) when usable, else
/// the access token's JWT `exp`. Lifetime: `expiresIn`, else `exp - iat`,
/// else the time left at receipt.
pub fn runai_expiry(access: &str, expires_in: Option<&Value>, now: u64) -> Expiry {
    let mut notes = Vec::new();
    let claims = token::jwt_claims(access);
    let claim = |name: &str| claims.as_ref().and_then(|c| field(c.get(name)));
    let exp = claim("exp").and_then(|v| {
        let t = token::json_seconds(v).and_then(|t| plausible_instant(t, now));
        if t.is_none() {
            notes.push(format!(
                "ignoring the token's JWT exp claim ({}): not a time between 1970 and ten years from now",
                shown_value(v)
            ));
        }
        t
    });
    let iat = claim("iat").and_then(token::json_seconds);
    let expires_in = field(expires_in).and_then(|v| {
        let d = token::json_seconds(v).and_then(plausible_lifetime);
        if d.is_none() {
            notes.push(format!(
                "ignoring expiresIn ({}): not a lifetime between 0 and ten years in seconds",
                shown_value(v)
            ));
        }
        d
    });
    let (expires_at, lifetime) = if let Some(d) = expires_in {
        let at = now.saturating_add(d);
        notes.push(format!("token expiry from expiresIn: {d}s after receipt"));
        notes.extend(exp.and_then(|e| differ_note("the JWT exp claim", e, at, "expiresIn")));
        (Some(at), Some(d))
    } else if let Some(e) = exp {
        let issued = iat
            .and_then(|i| plausible_lifetime(i128::from(e) - i))
            .map(|d| (d, "exp - iat"))
            .unwrap_or((e.saturating_sub(now), "time left at receipt"));
        notes.push(format!(
            "token expiry from the JWT exp claim: {} (lifetime {}s, {})",
            token::rfc3339(e),
            issued.0,
            issued.1
        ));
        (Some(e), Some(issued.0))
    } else {
        notes.push(
            "token expiry unknown: the answer has no usable expiresIn and the token no usable JWT exp"
                .into(),
        );
        (None, None)
    };
    Expiry {
        expires_at,
        lifetime,
        notes,
    }
}

/// GBDS `CreateTokenResponse` data.
#[derive(Debug)]
pub struct GbdsToken {
    pub token: Secret,
    pub expiry: Expiry,
}

#[derive(Deserialize)]
struct GbdsEnvelope {
    data: GbdsData,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct GbdsData {
    token: Option<Secret>,
    /// Any JSON, judged by [`gbds_expiry`].
    #[serde(default)]
    expiration_time: Option<Value>,
    #[serde(default)]
    ttl: Option<Value>,
}

/// GBDS `CreateTokenResponse`, received at `now` (Unix seconds).
pub fn gbds_token(body: &[u8], now: u64) -> Result<GbdsToken, String> {
    let env: GbdsEnvelope = serde_json::from_slice(body)
        .map_err(|e| format!("not a GBDS CreateTokenResponse ({})", json_error(&e)))?;
    let token = non_empty(env.data.token).ok_or("the answer has no data.token")?;
    check_tokens(&token, None, None)?;
    let expiry = gbds_expiry(
        env.data.expiration_time.as_ref(),
        env.data.ttl.as_ref(),
        now,
    );
    Ok(GbdsToken { token, expiry })
}

impl GbdsToken {
    pub fn into_token_set(self, source: Source, now: u64) -> TokenSet {
        TokenSet {
            access_token: self.token,
            id_token: None,
            refresh_token: None,
            app_secret: None,
            expires_at: self.expiry.expires_at,
            obtained_at: now,
            source,
            lifetime: self.expiry.lifetime,
        }
    }
}

/// What a GBDS `expirationTime` (milliseconds) can mean.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum GbdsTime {
    /// Small enough to be a lifetime (at most ten years): seconds.
    Duration(u64),
    /// A plausible epoch instant: Unix seconds.
    Epoch(u64),
}

fn gbds_time(ms: i128, now: u64) -> Option<GbdsTime> {
    // The two ranges cannot overlap: ten years of milliseconds is 1980 as an epoch.
    if let Some(d) = (ms >= 0).then_some(ms / 1000).and_then(plausible_lifetime) {
        return Some(GbdsTime::Duration(d));
    }
    plausible_instant(ms.div_euclid(1000), now).map(GbdsTime::Epoch)
}

/// A GBDS expiry: `ttl` when usable, else `expirationTime` as a duration or
/// an epoch instant, whichever it can be. Milliseconds are rounded down.
pub fn gbds_expiry(expiration: Option<&Value>, ttl: Option<&Value>, now: u64) -> Expiry {
    let mut notes = Vec::new();
    let ttl = field(ttl).and_then(|v| {
        let d = token::json_seconds(v)
            .filter(|ms| *ms >= 0)
            .and_then(|ms| plausible_lifetime(ms / 1000));
        if d.is_none() {
            notes.push(format!(
                "ignoring ttl ({}): not a lifetime between 0 and ten years in milliseconds",
                shown_value(v)
            ));
        }
        d
    });
    let time = field(expiration).and_then(|v| {
        let t = token::json_seconds(v).and_then(|ms| gbds_time(ms, now));
        if t.is_none() {
            notes.push(format!(
                "ignoring expirationTime ({}): neither a lifetime of at most ten years nor a time between 1970 and ten years from now, in milliseconds",
                shown_value(v)
            ));
        }
        t
    });
    let time_at = |t: GbdsTime| match t {
        GbdsTime::Duration(d) => now.saturating_add(d),
        GbdsTime::Epoch(at) => at,
    };
    let (expires_at, lifetime) = match (ttl, time) {
        (Some(d), time) => {
            let at = now.saturating_add(d);
            notes.push(format!("token expiry from ttl: {d}s after receipt"));
            notes.extend(time.and_then(|t| differ_note("expirationTime", time_at(t), at, "ttl")));
            (Some(at), Some(d))
        }
        (None, Some(GbdsTime::Duration(d))) => {
            notes.push(format!(
                "token expiry from expirationTime read as a duration ({d}s after receipt): it is too small to be an epoch time"
            ));
            (Some(now.saturating_add(d)), Some(d))
        }
        (None, Some(GbdsTime::Epoch(at))) => {
            notes.push(format!(
                "token expiry from expirationTime read as epoch milliseconds: {}",
                token::rfc3339(at)
            ));
            (Some(at), Some(at.saturating_sub(now)))
        }
        (None, None) => {
            notes.push(
                "token expiry unknown: the answer has no usable ttl or expirationTime".into(),
            );
            (None, None)
        }
    };
    Expiry {
        expires_at,
        lifetime,
        notes,
    }
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

/// Server text fit for a message: the request's secrets scrubbed, control
/// characters removed, whitespace folded, at most [`MAX_SHOWN`] characters.
pub fn server_text(text: &str, secrets: &[&str]) -> String {
    // Scrub before and after cleaning: removing a control character could
    // join the halves of a secret.
    let clean = scrub(&printable(&scrub(text, secrets)), secrets);
    let mut chars = clean.chars();
    let cut: String = chars.by_ref().take(MAX_SHOWN).collect();
    if chars.next().is_some() {
        format!("{cut}...")
    } else {
        cut
    }
}

/// Characters a terminal could act on: C0, DEL, C1, and the Unicode
/// controls that reorder or hide text.
fn is_unsafe_char(c: char) -> bool {
    c.is_control()
        || matches!(c, '\u{200B}'..='\u{200F}' | '\u{2028}'..='\u{202E}' | '\u{2060}'..='\u{206F}' | '\u{FEFF}')
}

/// Whether `text` holds a character a terminal could act on.
pub fn has_unsafe_chars(text: &str) -> bool {
    text.chars().any(is_unsafe_char)
}

/// Removes control characters and folds whitespace runs into one space.
pub fn printable(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut space = false;
    for c in text.chars() {
        if c.is_whitespace() {
            space = true;
        } else if !is_unsafe_char(c) {
            if space && !out.is_empty() {
                out.push(' ');
            }
            space = false;
            out.push(c);
        }
    }
    out
}

/// Replaces each secret, and its JSON-, HTML- and URL-escaped forms, by `***`.
pub fn scrub(text: &str, secrets: &[&str]) -> String {
    let mut out = text.to_string();
    for secret in secrets.iter().filter(|s| !s.is_empty()) {
        let json = serde_json::to_string(secret).expect("a string serializes");
        let json = &json[1..json.len() - 1];
        let url: String = url::form_urlencoded::byte_serialize(secret.as_bytes()).collect();
        let path = url.replace('+', "%20");
        for form in [
            secret.to_string(),
            json.to_string(),
            html_escape(secret),
            html_escape(json),
            url,
            path,
        ] {
            // Every form of a non-empty secret is non-empty.
            out = out.replace(&form, "***");
        }
    }
    out
}

fn html_escape(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
        .replace('\'', "&#39;")
}

#[cfg(test)]
mod tests {
    use super::*;
    use base64::Engine;
    use base64::engine::general_purpose::URL_SAFE_NO_PAD;
    use serde_json::json;

    const NOW: u64 = 1_700_000_000;

    fn jwt(payload: &str) -> String {
        format!(
            "{}.{}.sig",
            URL_SAFE_NO_PAD.encode(r#"{"alg":"RS256"}"#),
            URL_SAFE_NO_PAD.encode(payload)
        )
    }

    #[test]
    fn the_documented_limits() {
        assert_eq!(FUTURE_LIMIT, 315_360_000, "ten years of 365 days");
        assert_eq!(MAX_LIFETIME, FUTURE_LIMIT);
        assert_eq!(DISAGREEMENT, 60);
        assert_eq!(MAX_SHOWN, 200);
    }

    #[test]
    fn runai_shapes() {
        let t = runai_tokens(
            br#"{"accessToken":"a","idToken":"","refreshToken":"r"}"#,
            NOW,
        )
        .unwrap();
        assert_eq!(t.access.expose(), "a");
        assert!(t.id.is_none());
        assert_eq!(t.refresh.unwrap().expose(), "r");
        assert!(runai_tokens(br#"{"accessToken":""}"#, NOW).is_err());
        assert!(runai_tokens(br#"{"accessToken":5}"#, NOW).is_err());
        assert!(runai_tokens(b"<html>", NOW).is_err());
        assert!(
            runai_legacy_app_token(br#"{"access_token":"a"}"#, NOW).is_err(),
            "id_token is required"
        );
        let t = runai_legacy_app_token(br#"{"access_token":"a","id_token":"i"}"#, NOW).unwrap();
        assert_eq!(t.id.unwrap().expose(), "i");
        assert!(t.refresh.is_none());
        assert!(runai_legacy_app_token(br#"{"access_token":"","id_token":"i"}"#, NOW).is_err());
        assert!(runai_legacy_app_token(br#"{"access_token":"a b","id_token":"i"}"#, NOW).is_err());
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
    fn jwt_expiry_within_the_window() {
        let e = runai_expiry(
            &jwt(&format!(r#"{{"exp":{},"iat":{}}}"#, NOW + 600, NOW - 60)),
            None,
            NOW,
        );
        assert_eq!(e.expires_at, Some(NOW + 600));
        assert_eq!(e.lifetime, Some(660), "exp - iat");
        assert!(e.notes[0].contains("JWT exp"), "{:?}", e.notes);
        // No iat: the time left at receipt.
        let e = runai_expiry(&jwt(&format!(r#"{{"exp":{}}}"#, NOW + 30)), None, NOW);
        assert_eq!((e.expires_at, e.lifetime), (Some(NOW + 30), Some(30)));
        // iat after exp: not a lifetime.
        let e = runai_expiry(
            &jwt(&format!(r#"{{"exp":{},"iat":{}}}"#, NOW + 30, NOW + 90)),
            None,
            NOW,
        );
        assert_eq!(e.lifetime, Some(30));
        // Already expired when issued, but plausible: kept, so callers can tell.
        let e = runai_expiry(&jwt(&format!(r#"{{"exp":{}}}"#, NOW - 10)), None, NOW);
        assert_eq!((e.expires_at, e.lifetime), (Some(NOW - 10), Some(0)));
        // The window's edges are inside: the epoch itself is a real, past
        // instant (an expired token), not an unknown expiry.
        for past in [0, 1000, NOW - 10 * 365 * 24 * 3600] {
            let e = runai_expiry(&jwt(&format!(r#"{{"exp":{past}}}"#)), None, NOW);
            assert_eq!((e.expires_at, e.lifetime), (Some(past), Some(0)), "{past}");
        }
        let e = runai_expiry(
            &jwt(&format!(r#"{{"exp":{}}}"#, NOW + FUTURE_LIMIT)),
            None,
            NOW,
        );
        assert_eq!(e.expires_at, Some(NOW + FUTURE_LIMIT));
        let e = runai_expiry(&jwt(&format!(r#"{{"exp":{}.75}}"#, NOW + 5)), None, NOW);
        assert_eq!(e.expires_at, Some(NOW + 5), "floats round down");
    }

    #[test]
    fn implausible_jwt_exp_is_unknown_with_a_note() {
        for exp in [
            "18446744073709551615".to_string(),
            "9223372036854775807".into(),
            "-9223372036854775808".into(),
            "1e30".into(),
            "1e300".into(),
            "-1".into(),
            "-0.5".into(),
            "\"soon\"".into(),
            (NOW + FUTURE_LIMIT + 1).to_string(),
        ] {
            let e = runai_expiry(&jwt(&format!(r#"{{"exp":{exp}}}"#)), None, NOW);
            assert_eq!((e.expires_at, e.lifetime), (None, None), "{exp}");
            assert!(
                e.notes
                    .iter()
                    .any(|n| n.contains("ignoring the token's JWT exp")),
                "{exp}: {:?}",
                e.notes
            );
            assert!(
                e.notes.iter().any(|n| n.contains("expiry unknown")),
                "{exp}"
            );
        }
        let e = runai_expiry("opaque", None, NOW);
        assert_eq!(e.expires_at, None);
        assert_eq!(e.notes.len(), 1, "{:?}", e.notes);
    }

    #[test]
    fn expires_in_wins_and_is_cross_checked() {
        let opaque = runai_expiry("opaque", Some(&json!(3600)), NOW);
        assert_eq!(
            (opaque.expires_at, opaque.lifetime),
            (Some(NOW + 3600), Some(3600))
        );
        assert!(opaque.notes[0].contains("expiresIn"), "{:?}", opaque.notes);
        let agree = runai_expiry(
            &jwt(&format!(r#"{{"exp":{}}}"#, NOW + 3600 + DISAGREEMENT)),
            Some(&json!(3600)),
            NOW,
        );
        assert_eq!(agree.expires_at, Some(NOW + 3600));
        assert_eq!(
            agree.notes.len(),
            1,
            "within a minute: no note {:?}",
            agree.notes
        );
        let differ = runai_expiry(
            &jwt(&format!(r#"{{"exp":{}}}"#, NOW + 600)),
            Some(&json!(3600)),
            NOW,
        );
        assert_eq!(differ.expires_at, Some(NOW + 3600));
        assert!(
            differ.notes[1].contains("3000s earlier than expiresIn"),
            "{:?}",
            differ.notes
        );
        let later = runai_expiry(
            &jwt(&format!(r#"{{"exp":{}}}"#, NOW + 3600 + DISAGREEMENT + 1)),
            Some(&json!(3600)),
            NOW,
        );
        assert!(later.notes[1].contains("61s later"), "{:?}", later.notes);
        assert_eq!(
            runai_expiry("o", Some(&json!(0)), NOW).expires_at,
            Some(NOW)
        );
        assert_eq!(
            runai_expiry("o", Some(&json!(29.9)), NOW).lifetime,
            Some(29)
        );
        assert_eq!(
            runai_expiry("o", Some(&json!(MAX_LIFETIME)), NOW).lifetime,
            Some(MAX_LIFETIME)
        );
        assert_eq!(runai_expiry("o", Some(&json!(null)), NOW).notes.len(), 1);
        for bad in [
            json!(-1),
            json!(MAX_LIFETIME + 1),
            json!(u64::MAX),
            json!(1e300),
            json!("3600"),
        ] {
            let e = runai_expiry("o", Some(&bad), NOW);
            assert_eq!(e.expires_at, None, "{bad}");
            assert!(
                e.notes[0].contains("ignoring expiresIn"),
                "{bad}: {:?}",
                e.notes
            );
        }
        // A bad expiresIn falls back to the JWT.
        let e = runai_expiry(
            &jwt(&format!(r#"{{"exp":{}}}"#, NOW + 60)),
            Some(&json!(-5)),
            NOW,
        );
        assert_eq!(e.expires_at, Some(NOW + 60));
        let t = runai_tokens(br#"{"accessToken":"opaque","expiresIn":300}"#, NOW).unwrap();
        let set = t.into_token_set(source(), NOW);
        assert_eq!(
            (set.expires_at, set.lifetime, set.obtained_at),
            (Some(NOW + 300), Some(300), NOW)
        );
        assert!(
            runai_tokens(br#"{"accessToken":"opaque","expiresIn":"x"}"#, NOW).is_ok(),
            "a bad type only loses the expiry"
        );
    }

    fn source() -> Source {
        Source {
            api: crate::config::ApiKind::Runai,
            grant: crate::grant::GrantKind::Password,
            server: "https://x".into(),
            principal: None,
        }
    }

    fn gbds(e: Value, ttl: Value) -> Expiry {
        gbds_expiry(Some(&e), Some(&ttl), NOW)
    }

    #[test]
    fn notes_show_numbers_and_only_the_type_of_anything_else() {
        assert_eq!(shown_value(&json!(-1)), "-1");
        assert_eq!(shown_value(&json!(1e300)), "1e+300");
        assert_eq!(shown_value(&json!("eyJtoken")), "a string");
        assert_eq!(shown_value(&json!(true)), "a boolean");
        assert_eq!(shown_value(&json!([1])), "an array");
        assert_eq!(shown_value(&json!({"a": 1})), "an object");
        assert_eq!(shown_value(&Value::Null), "null");
        let e = runai_expiry("o", Some(&json!("eyJtoken")), NOW);
        assert_eq!(
            e.notes[0],
            "ignoring expiresIn (a string): not a lifetime between 0 and ten years in seconds"
        );
    }

    #[test]
    fn gbds_shapes() {
        let t = gbds_token(
            br#"{"data":{"token":"t","expirationTime":1700000005000,"ttl":5000}}"#,
            NOW,
        )
        .unwrap();
        assert_eq!(t.expiry.expires_at, Some(NOW + 5));
        let set = t.into_token_set(source(), NOW);
        assert_eq!((set.expires_at, set.lifetime), (Some(NOW + 5), Some(5)));
        assert!(set.id_token.is_none() && set.refresh_token.is_none());
        let t = gbds_token(br#"{"data":{"token":"t","ttl":2000}}"#, NOW).unwrap();
        assert_eq!(t.expiry.expires_at, Some(NOW + 2));
        let t = gbds_token(br#"{"data":{"token":"t","ttl":-1}}"#, NOW).unwrap();
        assert_eq!(t.expiry.expires_at, None);
        assert!(gbds_token(br#"{"data":{}}"#, NOW).is_err());
        assert!(gbds_token(br#"{"data":{"token":""}}"#, NOW).is_err());
        assert!(
            gbds_token(
                br#"{"data":{"token":"t","ttl":1e300,"expirationTime":18446744073709551615}}"#,
                NOW
            )
            .is_ok()
        );
    }

    #[test]
    fn gbds_duration_or_epoch() {
        // A duration in expirationTime (no ttl): not "expired 56 years ago".
        let e = gbds_expiry(Some(&json!(1_800_000)), None, NOW);
        assert_eq!((e.expires_at, e.lifetime), (Some(NOW + 1800), Some(1800)));
        assert!(e.notes[0].contains("as a duration"), "{:?}", e.notes);
        let e = gbds_expiry(Some(&json!((NOW + 1800) * 1000 + 999)), None, NOW);
        assert_eq!((e.expires_at, e.lifetime), (Some(NOW + 1800), Some(1800)));
        assert!(e.notes[0].contains("epoch"), "{:?}", e.notes);
        // Both the same duration.
        let e = gbds(json!(1_800_000), json!(1_800_000));
        assert_eq!(e.expires_at, Some(NOW + 1800));
        assert_eq!(e.notes.len(), 1, "{:?}", e.notes);
        // ttl wins over a disagreeing epoch, and says so.
        let e = gbds(json!((NOW + 7200) * 1000), json!(1_800_000));
        assert_eq!(e.expires_at, Some(NOW + 1800));
        assert!(e.notes[1].contains("5400s later than ttl"), "{:?}", e.notes);
        // Edges: ten years of ms is a duration; just beyond, an epoch
        // instant in 1980: long expired, never unknown.
        let e = gbds_expiry(Some(&json!(MAX_LIFETIME * 1000)), None, NOW);
        assert_eq!(e.lifetime, Some(MAX_LIFETIME));
        let e = gbds_expiry(Some(&json!(MAX_LIFETIME * 1000 + 1000)), None, NOW);
        assert_eq!(e.expires_at, Some(MAX_LIFETIME + 1));
        assert_eq!(e.lifetime, Some(0));
        let e = gbds_expiry(Some(&json!(0)), None, NOW);
        assert_eq!(e.expires_at, Some(NOW), "0 is a zero lifetime");
        // An already expired epoch instant stays expired.
        let e = gbds_expiry(Some(&json!((NOW - 1) * 1000)), Some(&json!(-1000)), NOW);
        assert_eq!((e.expires_at, e.lifetime), (Some(NOW - 1), Some(0)));
        assert!(e.notes[0].contains("ignoring ttl"), "{:?}", e.notes);
    }

    #[test]
    fn gbds_hostile_times_are_unknown() {
        for (e, ttl) in [
            (json!(i64::MAX), json!(i64::MAX)),
            (json!(u64::MAX), json!(u64::MAX)),
            (json!(1e300), json!(1e30)),
            (json!(-1), json!(-1)),
            (json!(i64::MIN), json!(i64::MIN)),
            (json!("x"), json!(true)),
            (
                json!((NOW + FUTURE_LIMIT + 1) * 1000),
                json!(MAX_LIFETIME * 1000 + 1000),
            ),
        ] {
            let x = gbds(e.clone(), ttl.clone());
            assert_eq!((x.expires_at, x.lifetime), (None, None), "{e} {ttl}");
            assert_eq!(x.notes.len(), 3, "{:?}", x.notes);
        }
        // A hostile expirationTime does not spoil a good ttl.
        let x = gbds(json!(u64::MAX), json!(60_000));
        assert_eq!(x.expires_at, Some(NOW + 60));
        let x = gbds_expiry(None, None, NOW);
        assert_eq!(x.expires_at, None);
        assert_eq!(x.notes.len(), 1);
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
        // HTML- and URL-escaped echoes.
        for echo in [
            "pw=a%26b%3Cc&x",
            "pw=a&amp;b&lt;c",
            "pw a&b<c",
            "pw=a%26b%3Cc",
        ] {
            let shown = server_text(echo, &["a&b<c"]);
            assert!(
                !shown.contains("b<c") && !shown.contains("b%3Cc") && !shown.contains("&lt;c"),
                "{echo}: {shown}"
            );
        }
        // A secret split by a control character is still found.
        assert_eq!(server_text("x pass\u{0}word y", &["password"]), "x *** y");
        assert_eq!(
            server_text("a\u{202E}b\u{200B}c\u{7f}d\u{9b}e", &[]),
            "abcde"
        );
        assert!(has_unsafe_chars("a\u{202E}b") && has_unsafe_chars("\u{1b}"));
        assert!(has_unsafe_chars("\u{2066}") && has_unsafe_chars("\u{feff}"));
        assert!(!has_unsafe_chars("plain text, é ü ∑"));
        assert_eq!(server_text("  a \t\r\n b  ", &[]), "a b");
        assert_eq!(
            server_text("abc", &[""]),
            "abc",
            "an empty secret scrubs nothing"
        );
        let long = "x".repeat(MAX_SHOWN + 1);
        assert_eq!(
            server_text(&long, &[]),
            format!("{}...", "x".repeat(MAX_SHOWN))
        );
        assert_eq!(
            server_text(&"y".repeat(MAX_SHOWN), &[]),
            "y".repeat(MAX_SHOWN)
        );
        assert_eq!(scrub("a b a", &["a b"]), "*** a");
        assert_eq!(
            scrub(r#"x S3cret\"PW y"#, &["S3cret\"PW"]),
            "x *** y",
            "JSON-escaped"
        );
        assert_eq!(
            scrub("x S3cret&quot;PW y", &["S3cret\"PW"]),
            "x *** y",
            "HTML-escaped"
        );
        assert_eq!(
            scrub("x S3cret%22PW y", &["S3cret\"PW"]),
            "x *** y",
            "URL-encoded"
        );
        assert_eq!(scrub("x+y x%20y", &["x y"]), "*** ***");
    }
}
