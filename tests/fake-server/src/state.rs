//! Shared server state: configuration, token registries, counters, the
//! request log and the current fault. One mutex guards it all; it is never
//! held across an `.await`, so contention is a non-issue for a test server.

use std::collections::{BTreeMap, HashMap};
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::{SystemTime, UNIX_EPOCH};

use serde::Serialize;
use serde_json::json;

use crate::authorize::Authorization;
use crate::faults::Fault;
use crate::jwt;

pub const DEFAULT_USERNAME: &str = "alice";
pub const DEFAULT_PASSWORD: &str = "wonderland";
pub const DEFAULT_CLIENT_ID: &str = "ci-bot";
pub const DEFAULT_CLIENT_SECRET: &str = "ci-bot-secret";
pub const DEFAULT_APP_NAME: &str = "ci-bot";
pub const DEFAULT_EXTERNAL_TOKEN: &str = "ext-idp-token";
pub const DEFAULT_GBDS_USER: &str = "operator";
pub const DEFAULT_GBDS_PASSWORD: &str = "gbds-pass";
pub const DEFAULT_ACCESS_TOKEN_LIFETIME_SECS: i64 = 3600;
pub const DEFAULT_GBDS_TOKEN_LIFETIME_MS: i64 = 30 * 60 * 1000;

/// Start-up configuration. Lifetimes and rotation can also be changed at run
/// time through [`FakeState`] / `FakeServer`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Config {
    /// "2.23" (default), "2.19", "2.24" or "3.0"; changeable at run time
    /// ([`FakeState::set_runai_version`]). 2.19 rejects `client_credentials`
    /// and `external_token_exchange` as unknown grant types; 2.24 and later
    /// serve the OAuth2 endpoint `/api/v2/token` (older ones answer 404
    /// there), 3.0 adds `external_token_exchange` to it and drops
    /// `app_token` from `/api/v1/token`.
    pub runai_version: String,
    /// Lifetime of access and id tokens; negative issues already-expired tokens.
    pub access_token_lifetime_secs: i64,
    /// Access and id tokens claim to have been issued this long ago (`iat`),
    /// so a test can hand out an hour-long token with 30 s left.
    pub issued_secs_ago: i64,
    pub gbds_token_lifetime_ms: i64,
    pub rotate_refresh_tokens: bool,
    pub username: String,
    pub password: String,
    /// Serves as `appID` (app_token), `clientID` (client_credentials) and
    /// `id` (legacy apptoken).
    pub client_id: String,
    pub client_secret: String,
    /// The `name` the legacy apptoken endpoint expects.
    pub app_name: String,
    pub external_token: String,
    pub gbds_user: String,
    pub gbds_password: String,
    /// The OIDC client the authorization endpoint accepts.
    pub oidc_client_id: String,
    /// The authorization endpoint skips its login form and redirects at once,
    /// as for a user who already has a session (headless browser tests).
    pub auto_approve: bool,
    /// Redeem `exchange_token` codes at a real OpenID Connect provider.
    pub oidc_redeem: Option<crate::oidc_redeem::OidcRedeem>,
    /// The test's clock: a file holding the seconds it has moved time on
    /// (what tokenctl reads from `TOKENCTL_TEST_CLOCK`), re-read at each
    /// use. Tokens are issued and judged by that time.
    pub clock: Option<std::path::PathBuf>,
}

impl Default for Config {
    fn default() -> Self {
        Config {
            runai_version: "2.23".to_string(),
            access_token_lifetime_secs: DEFAULT_ACCESS_TOKEN_LIFETIME_SECS,
            issued_secs_ago: 0,
            gbds_token_lifetime_ms: DEFAULT_GBDS_TOKEN_LIFETIME_MS,
            rotate_refresh_tokens: true,
            username: DEFAULT_USERNAME.to_string(),
            password: DEFAULT_PASSWORD.to_string(),
            client_id: DEFAULT_CLIENT_ID.to_string(),
            client_secret: DEFAULT_CLIENT_SECRET.to_string(),
            app_name: DEFAULT_APP_NAME.to_string(),
            external_token: DEFAULT_EXTERNAL_TOKEN.to_string(),
            gbds_user: DEFAULT_GBDS_USER.to_string(),
            gbds_password: DEFAULT_GBDS_PASSWORD.to_string(),
            oidc_client_id: crate::authorize::DEFAULT_OIDC_CLIENT_ID.to_string(),
            auto_approve: false,
            oidc_redeem: None,
            clock: None,
        }
    }
}

impl Config {
    /// True when the server plays Run:ai 2.19 (no client_credentials, no
    /// external_token_exchange).
    pub fn is_runai_219(&self) -> bool {
        self.runai_version.trim() == "2.19"
    }

    /// (major, minor) of `runai_version`; unparseable parts count as 0.
    pub fn runai_version_number(&self) -> (u32, u32) {
        let mut parts = self.runai_version.trim().split('.');
        let major: u32 = parts.next().and_then(|p| p.parse().ok()).unwrap_or(0);
        let minor: u32 = parts.next().and_then(|p| p.parse().ok()).unwrap_or(0);
        (major, minor)
    }

    /// True when the server has `/api/v2/token` (2.24 and later).
    pub fn has_oauth2(&self) -> bool {
        self.runai_version_number() >= (2, 24)
    }

    /// True when `/api/v2/token` takes `external_token_exchange` (3.0).
    pub fn has_oauth2_token_exchange(&self) -> bool {
        self.runai_version_number() >= (3, 0)
    }

    /// True when `/api/v1/token` still takes `app_token` (before 3.0).
    pub fn has_app_token_grant(&self) -> bool {
        self.runai_version_number() < (3, 0)
    }
}

/// One API request as the server received it (control endpoints are not
/// recorded).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Recorded {
    pub method: String,
    pub path: String,
    /// The raw query string, without the `?`.
    pub query: Option<String>,
    /// All request headers, names lower-cased, in arrival order.
    pub headers: Vec<(String, String)>,
    /// The body, decoded lossily as UTF-8.
    pub body: String,
}

impl Recorded {
    /// First value of a header (case-insensitive name).
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(n, _)| n.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }
}

/// The three tokens a user grant returns.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TokenSet {
    pub access_token: String,
    pub id_token: String,
    pub refresh_token: String,
}

impl TokenSet {
    /// The camelCase Run:ai `TokenResponse`.
    pub fn to_json(&self) -> serde_json::Value {
        json!({
            "accessToken": self.access_token,
            "idToken": self.id_token,
            "refreshToken": self.refresh_token,
        })
    }
}

/// Why an authorization code was refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CodeError {
    Unknown,
    RedirectMismatch,
}

/// What the server knows about a GBDS token.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum GbdsTokenStatus {
    Valid,
    Expired,
    Unknown,
}

/// A freshly issued GBDS token.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GbdsToken {
    pub token: String,
    pub expiration_time_ms: i64,
    pub ttl_ms: i64,
}

#[derive(Debug)]
struct ActiveFault {
    fault: Fault,
    /// None = until cleared.
    remaining: Option<usize>,
}

#[derive(Debug)]
struct Inner {
    config: Config,
    /// access/id token -> exp (epoch seconds)
    access_tokens: HashMap<String, i64>,
    /// refresh token -> subject
    refresh_tokens: HashMap<String, String>,
    /// authorization code -> redirect URI it was issued for
    codes: HashMap<String, String>,
    /// GBDS token -> expirationTime (epoch ms)
    gbds_tokens: HashMap<String, i64>,
    counts: BTreeMap<String, usize>,
    requests: Vec<Recorded>,
    authorizations: Vec<Authorization>,
    fault: Option<ActiveFault>,
    date_offset_secs: i64,
}

/// Everything the handlers share. Build one with [`FakeState::new`] and hand
/// it to [`crate::router`].
#[derive(Debug)]
pub struct FakeState {
    issuer: String,
    clock: Option<std::path::PathBuf>,
    inner: Mutex<Inner>,
}

/// The axum state type used by every route.
pub type SharedState = Arc<FakeState>;

impl FakeState {
    /// The time tokens are issued and judged by, in Unix seconds: the
    /// system's, moved on by the test's clock file when there is one.
    pub fn now_secs(&self) -> i64 {
        self.now_ms().div_euclid(1000)
    }

    /// [`FakeState::now_secs`] in milliseconds.
    pub fn now_ms(&self) -> i64 {
        let real = SystemTime::now()
            .duration_since(UNIX_EPOCH)
            .map(|d| d.as_millis() as i64)
            .unwrap_or(0);
        let moved: i64 = self
            .clock
            .as_ref()
            .and_then(|f| std::fs::read_to_string(f).ok())
            .and_then(|s| s.trim().parse().ok())
            .unwrap_or(0);
        real.saturating_add(moved.saturating_mul(1000))
    }

    /// `issuer` becomes the `iss` claim of issued JWTs (normally the base URL).
    pub fn new(config: Config, issuer: impl Into<String>) -> SharedState {
        Arc::new(FakeState {
            issuer: issuer.into(),
            clock: config.clock.clone(),
            inner: Mutex::new(Inner {
                config,
                access_tokens: HashMap::new(),
                refresh_tokens: HashMap::new(),
                codes: HashMap::new(),
                gbds_tokens: HashMap::new(),
                counts: BTreeMap::new(),
                requests: Vec::new(),
                authorizations: Vec::new(),
                fault: None,
                date_offset_secs: 0,
            }),
        })
    }

    fn lock(&self) -> MutexGuard<'_, Inner> {
        // A panicking test thread must not wedge the server for the others.
        self.inner.lock().unwrap_or_else(|e| e.into_inner())
    }

    pub fn issuer(&self) -> &str {
        &self.issuer
    }

    /// A snapshot of the current configuration (including run-time changes).
    pub fn config(&self) -> Config {
        self.lock().config.clone()
    }

    pub fn set_access_token_lifetime(&self, secs: i64) {
        self.lock().config.access_token_lifetime_secs = secs;
    }

    pub fn set_gbds_token_lifetime_ms(&self, ms: i64) {
        self.lock().config.gbds_token_lifetime_ms = ms;
    }

    pub fn set_rotation(&self, on: bool) {
        self.lock().config.rotate_refresh_tokens = on;
    }

    /// Play another Run:ai version from the next request on (a server
    /// upgraded or downgraded under its clients).
    pub fn set_runai_version(&self, version: &str) {
        self.lock().config.runai_version = version.to_string();
    }

    // ---- faults and clock ----

    /// Install a fault for the next `times` API requests (None = until cleared).
    pub fn set_fault(&self, fault: Fault, times: Option<usize>) {
        let active = match times {
            Some(0) => None,
            _ => Some(ActiveFault {
                fault,
                remaining: times,
            }),
        };
        self.lock().fault = active;
    }

    pub fn clear_fault(&self) {
        self.lock().fault = None;
    }

    /// The fault that applies to the request being handled, consuming one use.
    pub(crate) fn take_fault(&self) -> Option<Fault> {
        let mut inner = self.lock();
        let active = inner.fault.as_mut()?;
        let fault = active.fault.clone();
        if let Some(n) = active.remaining.as_mut() {
            *n -= 1;
            if *n == 0 {
                inner.fault = None;
            }
        }
        Some(fault)
    }

    pub fn set_date_offset(&self, secs: i64) {
        self.lock().date_offset_secs = secs;
    }

    pub fn date_offset(&self) -> i64 {
        self.lock().date_offset_secs
    }

    // ---- observability ----

    pub(crate) fn record(&self, request: Recorded, keys: &[String]) {
        let mut inner = self.lock();
        inner.requests.push(request);
        for key in keys {
            *inner.counts.entry(key.clone()).or_default() += 1;
        }
    }

    pub fn count(&self, key: &str) -> usize {
        self.lock().counts.get(key).copied().unwrap_or(0)
    }

    pub fn counts(&self) -> BTreeMap<String, usize> {
        self.lock().counts.clone()
    }

    /// Clears both the counters and the request log.
    pub fn reset_counts(&self) {
        let mut inner = self.lock();
        inner.counts.clear();
        inner.requests.clear();
    }

    pub fn requests(&self) -> Vec<Recorded> {
        self.lock().requests.clone()
    }

    pub(crate) fn record_authorization(&self, a: Authorization) {
        self.lock().authorizations.push(a);
    }

    /// Every authorization the authorization endpoint completed, in order.
    pub fn authorizations(&self) -> Vec<Authorization> {
        self.lock().authorizations.clone()
    }

    pub fn set_auto_approve(&self, on: bool) {
        self.lock().config.auto_approve = on;
    }

    // ---- Run:ai tokens ----

    fn mint_jwt(&self, inner: &mut Inner, subject: &str, kind: &str) -> String {
        let now = self.now_secs();
        let iat = now - inner.config.issued_secs_ago;
        let exp = now + inner.config.access_token_lifetime_secs;
        let token = jwt::encode(&json!({
            "iss": self.issuer,
            "sub": subject,
            // Keycloak's user name claim; clients show who logged in.
            "preferred_username": subject,
            "aud": "runai",
            "typ": kind,
            "iat": iat,
            "exp": exp,
            "jti": jwt::random_id(),
        }));
        inner.access_tokens.insert(token.clone(), exp);
        token
    }

    fn mint_refresh(&self, inner: &mut Inner, subject: &str) -> String {
        // Keycloak-style: JWT-shaped, but only the registry decides validity.
        let token = jwt::encode(&json!({
            "iss": self.issuer,
            "sub": subject,
            "typ": "Refresh",
            "iat": self.now_secs(),
            "jti": jwt::random_id(),
        }));
        inner
            .refresh_tokens
            .insert(token.clone(), subject.to_string());
        token
    }

    /// An access token with `extra` claims merged over the usual ones (a
    /// `null` removes a claim). Registered as valid until its `exp` when
    /// that is a whole number, else for the configured lifetime.
    pub fn issue_access_token_with(
        &self,
        subject: &str,
        extra: &serde_json::Map<String, serde_json::Value>,
    ) -> String {
        let mut inner = self.lock();
        let iat = self.now_secs();
        let mut claims = json!({
            "iss": self.issuer,
            "sub": subject,
            "preferred_username": subject,
            "aud": "runai",
            "typ": "Bearer",
            "iat": iat,
            "exp": iat + inner.config.access_token_lifetime_secs,
            "jti": jwt::random_id(),
        });
        let map = claims.as_object_mut().expect("claims are an object");
        for (k, v) in extra {
            if v.is_null() {
                map.remove(k);
            } else {
                map.insert(k.clone(), v.clone());
            }
        }
        let exp = map
            .get("exp")
            .and_then(serde_json::Value::as_i64)
            .unwrap_or(iat + inner.config.access_token_lifetime_secs);
        let token = jwt::encode(&claims);
        inner.access_tokens.insert(token.clone(), exp);
        token
    }

    /// An opaque (non-JWT) access token valid for the configured lifetime.
    pub fn issue_opaque_access_token(&self) -> String {
        let mut inner = self.lock();
        let token = jwt::random_token(32);
        let exp = self.now_secs() + inner.config.access_token_lifetime_secs;
        inner.access_tokens.insert(token.clone(), exp);
        token
    }

    /// An access token alone (app_token / client_credentials grants).
    pub fn issue_access_token(&self, subject: &str) -> String {
        let mut inner = self.lock();
        self.mint_jwt(&mut inner, subject, "Bearer")
    }

    /// An id token alone (legacy apptoken reply).
    pub fn issue_id_token(&self, subject: &str) -> String {
        let mut inner = self.lock();
        self.mint_jwt(&mut inner, subject, "ID")
    }

    /// Access, id and refresh token for a user.
    pub fn issue_token_set(&self, subject: &str) -> TokenSet {
        let mut inner = self.lock();
        TokenSet {
            access_token: self.mint_jwt(&mut inner, subject, "Bearer"),
            id_token: self.mint_jwt(&mut inner, subject, "ID"),
            refresh_token: self.mint_refresh(&mut inner, subject),
        }
    }

    /// A valid refresh token for the configured user.
    pub fn issue_refresh_token(&self) -> String {
        let mut inner = self.lock();
        let user = inner.config.username.clone();
        self.mint_refresh(&mut inner, &user)
    }

    /// Redeem a refresh token. With rotation on, the old token dies and a new
    /// one is issued; with rotation off the same token comes back, still valid.
    pub fn redeem_refresh_token(&self, refresh_token: &str) -> Option<TokenSet> {
        let mut inner = self.lock();
        let subject = inner.refresh_tokens.get(refresh_token)?.clone();
        let refresh = if inner.config.rotate_refresh_tokens {
            inner.refresh_tokens.remove(refresh_token);
            self.mint_refresh(&mut inner, &subject)
        } else {
            refresh_token.to_string()
        };
        Some(TokenSet {
            access_token: self.mint_jwt(&mut inner, &subject, "Bearer"),
            id_token: self.mint_jwt(&mut inner, &subject, "ID"),
            refresh_token: refresh,
        })
    }

    /// True if `token` is an access or id token issued here and not expired.
    pub fn is_valid_access_token(&self, token: &str) -> bool {
        self.lock()
            .access_tokens
            .get(token)
            .is_some_and(|&exp| self.now_secs() < exp)
    }

    /// A single-use authorization code bound to `redirect_uri`.
    pub fn issue_code(&self, redirect_uri: &str) -> String {
        let code = jwt::random_token(24);
        self.lock()
            .codes
            .insert(code.clone(), redirect_uri.to_string());
        code
    }

    /// Any attempt consumes the code, as an OAuth server should on misuse.
    pub fn consume_code(&self, code: &str, redirect_uri: &str) -> Result<(), CodeError> {
        match self.lock().codes.remove(code) {
            None => Err(CodeError::Unknown),
            Some(bound) if bound != redirect_uri => Err(CodeError::RedirectMismatch),
            Some(_) => Ok(()),
        }
    }

    // ---- GBDS tokens ----

    /// Issue a GBDS token living `lifetime_ms` (negative = already expired).
    pub fn issue_gbds_token(&self, lifetime_ms: i64) -> GbdsToken {
        let token = jwt::random_token(32);
        let expiration_time_ms = self.now_ms() + lifetime_ms;
        self.lock()
            .gbds_tokens
            .insert(token.clone(), expiration_time_ms);
        GbdsToken {
            token,
            expiration_time_ms,
            ttl_ms: lifetime_ms,
        }
    }

    /// Issue a GBDS token with the configured lifetime.
    pub fn issue_gbds_token_default(&self) -> GbdsToken {
        let lifetime = self.lock().config.gbds_token_lifetime_ms;
        self.issue_gbds_token(lifetime)
    }

    pub fn gbds_token_status(&self, token: &str) -> GbdsTokenStatus {
        match self.lock().gbds_tokens.get(token) {
            None => GbdsTokenStatus::Unknown,
            Some(&exp) if self.now_ms() >= exp => GbdsTokenStatus::Expired,
            Some(_) => GbdsTokenStatus::Valid,
        }
    }
}
