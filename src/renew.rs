//! Keeping tokens fresh: when to renew, how, and only once across processes.

use std::time::Duration;

use crate::api::{Api, Grant};
use crate::commands::Ctx;
use crate::config::{ApiKind, Profile};
use crate::error::Error;
use crate::lock::ProfileLock;
use crate::secret::Secret;
use crate::store::{Store, StoreKey};
use crate::token::{self, TokenSet};
use crate::ui;

pub const DEFAULT_MIN_VALID: Duration = Duration::from_secs(60);
pub const DEFAULT_LOCK_WAIT: Duration = Duration::from_secs(30);

/// Grants that give app tokens: renewed by running the grant again.
pub fn is_app_grant(grant: &str) -> bool {
    matches!(
        grant,
        "client_credentials" | "app_token" | "legacy_apptoken"
    )
}

/// Whether tokenctl could renew these tokens without asking anyone.
pub fn can_renew_silently(profile: &Profile, tokens: &TokenSet, now: u64) -> bool {
    if is_app_grant(&tokens.source.grant) {
        return tokens.app_secret.is_some();
    }
    match profile.api {
        ApiKind::Gbds => !tokens.is_expired(now),
        ApiKind::Runai | ApiKind::Runai219 => tokens.refresh_token.is_some(),
    }
}

/// Renews one profile's tokens.
pub struct Renewer<'a> {
    ctx: &'a Ctx,
    profile: &'a Profile,
    store: &'a Store,
    key: StoreKey,
    lock_wait: Duration,
}

impl<'a> Renewer<'a> {
    pub fn new(ctx: &'a Ctx, profile: &'a Profile, store: &'a Store, lock_wait: Duration) -> Self {
        Self {
            key: ctx.key(profile),
            ctx,
            profile,
            store,
            lock_wait,
        }
    }

    pub fn lock(&self) -> Result<ProfileLock, Error> {
        ProfileLock::acquire(self.ctx.profile_name(), self.lock_wait)
    }

    fn not_logged_in(&self) -> Error {
        Error::credentials(format!(
            "not logged in with profile `{}`: run `{} login`",
            self.ctx.profile_name(),
            self.ctx.cmd_prefix()
        ))
    }

    /// The stored tokens with at least `min_valid` left, renewed first when
    /// needed. N concurrent callers send one renewal: the first takes the
    /// lock and renews; the rest find its result when they get the lock.
    pub fn fresh(&self, min_valid: Duration) -> Result<TokenSet, Error> {
        let current = self
            .store
            .load(&self.key)?
            .ok_or_else(|| self.not_logged_in())?;
        if !self.expiring(&current, min_valid) {
            return Ok(current);
        }
        let _lock = self.lock()?;
        self.fresh_locked(min_valid)
    }

    /// [`Renewer::fresh`] for a caller that already holds the lock: reads
    /// the store again (a sibling may have renewed) and renews if still needed.
    pub fn fresh_locked(&self, min_valid: Duration) -> Result<TokenSet, Error> {
        let current = self
            .store
            .load(&self.key)?
            .ok_or_else(|| self.not_logged_in())?;
        if !self.expiring(&current, min_valid) {
            ui::trace("the stored token is fresh enough");
            return Ok(current);
        }
        let renewed = self.renew(Some(&current), None)?;
        self.store.save(&self.key, &renewed)?;
        ui::verbose(format!(
            "renewed the token: {}",
            crate::commands::describe_expiry(&renewed)
        ));
        Ok(renewed)
    }

    fn expiring(&self, tokens: &TokenSet, min_valid: Duration) -> bool {
        match tokens.seconds_left(token::now()) {
            None => {
                ui::verbose(
                    "the stored token's expiry is unknown, so --min-valid cannot judge it; using it as stored",
                );
                false
            }
            Some(left) if left > min_valid.as_secs() as i64 => {
                ui::trace(format!("token valid for {left}s more; no renewal"));
                false
            }
            Some(left) => {
                ui::verbose(format!(
                    "token has {left}s left (< {}s): renewing",
                    min_valid.as_secs()
                ));
                true
            }
        }
    }

    /// One renewal request, whatever kind the tokens need. The caller holds
    /// the lock and saves the result. Keeps the refresh token, id token and
    /// saved secret when the answer omits them.
    pub fn renew(
        &self,
        current: Option<&TokenSet>,
        refresh_override: Option<Secret>,
    ) -> Result<TokenSet, Error> {
        let ctx = self.ctx;
        let profile = self.profile;
        let login = format!("{} login", ctx.cmd_prefix());
        let api = Api::new(profile)?;

        if let Some(cur) =
            current.filter(|c| is_app_grant(&c.source.grant) && refresh_override.is_none())
        {
            return self.renew_app_token(&api, cur);
        }

        let mut fresh = match profile.api {
            ApiKind::Gbds => {
                let cur = current.ok_or_else(|| self.not_logged_in())?;
                if cur.is_expired(token::now()) {
                    return Err(Error::credentials(format!(
                        "the GBDS token of profile `{}` expired at {}; GBDS renews only valid tokens: run `{login}`",
                        ctx.profile_name(),
                        cur.expires_at.map(token::rfc3339).unwrap_or_default()
                    )));
                }
                api.request(&Grant::GbdsToken(cur.access_token.clone()))
                    .map_err(|e| login_hint(e, &login))?
            }
            ApiKind::Runai | ApiKind::Runai219 => {
                let sent = refresh_override
                    .clone()
                    .or_else(|| current.and_then(|c| c.refresh_token.clone()))
                    .ok_or_else(|| {
                        Error::credentials(format!(
                            "no refresh token stored for profile `{}`, so the token cannot be renewed: run `{login}`",
                            ctx.profile_name()
                        ))
                    })?;
                match api.request(&Grant::RefreshToken(sent.clone())) {
                    Ok(t) => t,
                    Err(Error::Credentials(msg)) if refresh_override.is_none() => {
                        // A tokenctl that does not share our lock (another
                        // version, another machine with the same keychain)
                        // may have rotated the refresh token under us.
                        let newer = self
                            .store
                            .load(&self.key)?
                            .and_then(|s| s.refresh_token)
                            .filter(|rt| *rt != sent);
                        let Some(newer) = newer else {
                            return Err(login_hint(Error::Credentials(msg), &login));
                        };
                        ui::verbose(
                            "refresh rejected, but the store holds a newer refresh token: retrying once with it",
                        );
                        api.request(&Grant::RefreshToken(newer.clone()))
                            .map_err(|e| login_hint(e, &login))
                            .map(|mut t| {
                                t.refresh_token = t.refresh_token.or(Some(newer));
                                t
                            })?
                    }
                    Err(e) => return Err(login_hint(e, &login)),
                }
            }
        };
        if profile.api != ApiKind::Gbds && fresh.refresh_token.is_none() {
            // Servers that do not rotate may omit the refresh token: keep the one we have.
            fresh.refresh_token =
                refresh_override.or_else(|| current.and_then(|c| c.refresh_token.clone()));
        }
        if fresh.id_token.is_none() {
            fresh.id_token = current.and_then(|c| c.id_token.clone());
        }
        Ok(fresh)
    }

    fn renew_app_token(&self, api: &Api, cur: &TokenSet) -> Result<TokenSet, Error> {
        let ctx = self.ctx;
        let again = format!("{} app-token", ctx.cmd_prefix());
        let (secret, saved) = match (&cur.app_secret, std::env::var("TOKENCTL_CLIENT_SECRET")) {
            (Some(s), _) => (s.clone(), true),
            (None, Ok(env)) if !env.is_empty() => (Secret::new(env), false),
            _ => {
                return Err(Error::credentials(format!(
                    "the app token of profile `{}` cannot be renewed: no saved client secret; run `{again}` again (add --save-secret to let tokenctl renew it, or set TOKENCTL_CLIENT_SECRET)",
                    ctx.profile_name()
                )));
            }
        };
        let client_id = self.profile.client_id.clone().ok_or_else(|| {
            Error::usage(format!(
                "profile `{}` has no client_id: run `{again} --client-id ID`",
                ctx.profile_name()
            ))
        })?;
        let grant = match cur.source.grant.as_str() {
            "app_token" => Grant::AppToken {
                app_id: client_id,
                secret: secret.clone(),
            },
            "legacy_apptoken" => Grant::LegacyAppToken {
                id: client_id,
                name: self.profile.app_name.clone().unwrap_or_default(),
                secret: secret.clone(),
            },
            _ => Grant::ClientCredentials {
                client_id,
                secret: secret.clone(),
            },
        };
        let mut fresh = api.request(&grant).map_err(|e| match e {
            Error::Credentials(msg) => Error::Credentials(format!(
                "{msg}; run `{again}` with the current client secret"
            )),
            other => other,
        })?;
        if saved {
            fresh.app_secret = Some(secret);
        }
        Ok(fresh)
    }
}

/// The server said no: name the login command.
fn login_hint(err: Error, login: &str) -> Error {
    match err {
        Error::Credentials(msg) => {
            Error::Credentials(format!("{msg}; run `{login}` to log in again"))
        }
        other => other,
    }
}
