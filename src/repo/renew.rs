//! How a token set is renewed: which grant, with which credential. Depends
//! on the profile and the API client only, never on a command.

use crate::api::{Api, Grant};
use crate::config::Profile;
use crate::error::{Error, Kind};
use crate::grant::GrantKind;
use crate::model::{ApiKind, ExternalSource, StoreKind, TokenEndpoint};
use crate::secret::Secret;
use crate::token::{self, TokenSet};
use crate::ui;

use super::TokenRepo;
use crate::env::EnvVars;

/// A service account's or access key's client secret at renewal time,
/// when the store keeps none.
fn env_client_secret() -> Option<Secret> {
    std::env::var(EnvVars::TOKENCTL_CLIENT_SECRET)
        .ok()
        .filter(|s| !s.is_empty())
        .map(Secret::new)
}

/// Whether tokenctl could renew these tokens without asking anyone, and with what.
pub fn can_renew_silently(profile: &Profile, tokens: &TokenSet, now: u64) -> Option<&'static str> {
    if tokens.source.grant == GrantKind::ExternalToken && profile.external_token_from.is_some() {
        return Some("a fresh external token from the profile's `external_token_from`");
    }
    if tokens.source.grant.is_app() {
        return if tokens.app_secret.is_some() {
            Some("saved client secret")
        } else if env_client_secret().is_some() {
            Some("client secret from $TOKENCTL_CLIENT_SECRET")
        } else {
            None
        };
    }
    match profile.api {
        ApiKind::Gbds => {
            (!tokens.is_expired(now)).then_some("GBDS TOKEN grant, while the token is valid")
        }
        ApiKind::Runai | ApiKind::RunaiV1 | ApiKind::RunaiV2 | ApiKind::Runai219 => {
            tokens.refresh_token.is_some().then_some("refresh token")
        }
    }
}

/// The command that gets a profile's tokens again the way it first got them.
pub fn relogin_command(profile_name: &str, profile: &Profile, grant: Option<GrantKind>) -> String {
    let access_key;
    let rest = match grant {
        Some(GrantKind::ClientCredentials) => {
            access_key = format!(
                "login --access-key {}",
                profile.client_id.as_deref().unwrap_or("ID")
            );
            &access_key
        }
        Some(g) if g.is_app() => "app-token",
        Some(
            GrantKind::ExchangeToken | GrantKind::LegacyExchange | GrantKind::AuthorizationCode,
        ) => "login --browser",
        Some(GrantKind::ExternalToken) => "login --external-token-stdin",
        _ => "login",
    };
    super::command_for(profile_name, rest)
}

/// Where a Run:ai profile renews (`None`: GBDS). A `runai` profile: the
/// endpoint its tokens came from (their `source.api`), else the one its
/// login found; a record and profile saved before tokenctl knew v2 say
/// neither and are v1. Never probed: a v1 refresh token sent to v2 may be
/// refused as `invalid_grant`, and a refused refresh token is forgotten.
pub fn renewal_endpoint(profile: &Profile, current: Option<&TokenSet>) -> Option<TokenEndpoint> {
    current
        .and_then(|c| c.source.api.pinned_endpoint())
        .or_else(|| profile.endpoint())
}

impl TokenRepo {
    /// One renewal request, whatever kind the tokens need. The caller holds
    /// the lock and saves the result. Keeps the refresh token, id token and
    /// saved secret when the answer omits them.
    pub(super) fn renew(
        &self,
        current: Option<&TokenSet>,
        refresh_override: Option<Secret>,
    ) -> Result<TokenSet, Error> {
        // A CI login renews from its source when the refresh token is
        // missing or refused: no refresh token or secret is ever needed.
        let from_source = current
            .filter(|c| c.source.grant == GrantKind::ExternalToken && refresh_override.is_none())
            .and(self.profile.external_token_from.as_ref());
        let Some(source) = from_source else {
            return self.renew_with_grant(current, refresh_override);
        };
        if current.is_some_and(|c| c.refresh_token.is_some()) {
            match self.renew_with_grant(current, None) {
                Err(e) if e.is(Kind::Credentials) => ui::verbose(format!(
                    "refresh refused; exchanging a fresh external token from {}",
                    crate::text::shown(source.to_string())
                )),
                other => return other,
            }
        }
        self.exchange_external(source)
    }

    /// `external_token_exchange` again with a token just read from the
    /// profile's source. The external token is not kept.
    pub fn exchange_external(&self, source: &ExternalSource) -> Result<TokenSet, Error> {
        let again = self.command(&format!(
            "login --external-token-from {}",
            crate::text::shell_word(&source.to_string())
        ));
        let external = crate::api::ci::read(
            source,
            self.profile.audience.as_deref(),
            &self.profile,
            &self.settings,
        )
        .map_err(|e| e.or_hint(format!("fix the token source, then run `{again}`")))?;
        ui::verbose(format!(
            "exchanging a fresh external token from {}",
            crate::text::shown(source.to_string())
        ));
        Api::new(&self.profile, &self.settings)?
            .request(&Grant::ExternalToken(external))
            .map_err(|e| {
                if e.is(Kind::Credentials) {
                    e.or_hint(format!(
                        "the server refused the token from {}: check that Run:ai trusts this CI's issuer and audience, then run `{again}`",
                        crate::text::shown(source.to_string())
                    ))
                } else {
                    e
                }
            })
    }

    fn renew_with_grant(
        &self,
        current: Option<&TokenSet>,
        refresh_override: Option<Secret>,
    ) -> Result<TokenSet, Error> {
        let profile = &self.profile;
        let origin = current.map(|c| c.source.grant);
        let again = relogin_command(&self.name, profile, origin);
        let login_again = |e: Error| {
            if e.is(Kind::Credentials) {
                e.with_hint(format!("run `{again}` to log in again"))
            } else {
                e
            }
        };
        let mut api = Api::new(profile, &self.settings)?;
        if let Some(endpoint) = renewal_endpoint(profile, current) {
            api = api.at(endpoint);
        }

        if let Some(cur) = current.filter(|c| c.source.grant.is_app() && refresh_override.is_none())
        {
            return self.renew_app_token(&api, cur);
        }
        if let Some(cur) = current.filter(|c| c.source.grant == GrantKind::Unknown) {
            let _ = cur;
            return Err(Error::credentials(format!(
                "the stored token of profile `{}` was made by a newer tokenctl with a grant this one cannot renew",
                self.name
            ))
            .with_hint(format!("run `{again}`, or update tokenctl")));
        }

        let mut fresh = match profile.api {
            ApiKind::Gbds => {
                let cur = current.ok_or_else(|| self.not_logged_in())?;
                if cur.is_expired(token::now()) {
                    return Err(Error::credentials(format!(
                        "the GBDS token of profile `{}` expired at {}; GBDS renews only valid tokens",
                        self.name,
                        cur.expires_at.map(token::rfc3339).unwrap_or_default()
                    ))
                    .with_hint(format!("run `{again}`")));
                }
                api.request(&Grant::GbdsToken(cur.access_token.clone()))
                    .map_err(login_again)?
            }
            ApiKind::Runai | ApiKind::RunaiV1 | ApiKind::RunaiV2 | ApiKind::Runai219 => {
                let sent = refresh_override
                    .clone()
                    .or_else(|| current.and_then(|c| c.refresh_token.clone()))
                    .ok_or_else(|| {
                        Error::credentials(format!(
                            "no refresh token stored for profile `{}`, so the token cannot be renewed",
                            self.name
                        ))
                        .with_hint(format!("run `{again}`"))
                    })?;
                match api.request(&Grant::RefreshToken(sent.clone())) {
                    Ok(t) => t,
                    Err(e) if e.is(Kind::Credentials) && refresh_override.is_none() => {
                        // A tokenctl that does not share our lock (another
                        // version, another machine with the same keychain)
                        // may have rotated the refresh token under us.
                        let newer = self
                            .load()?
                            .and_then(|s| s.refresh_token)
                            .filter(|rt| *rt != sent);
                        let Some(newer) = newer else {
                            self.forget_refresh_token(current);
                            return Err(login_again(e));
                        };
                        ui::verbose(
                            "refresh rejected, but the store holds a newer refresh token: retrying once with it",
                        );
                        match api.request(&Grant::RefreshToken(newer.clone())) {
                            Ok(mut t) => {
                                t.refresh_token = t.refresh_token.or(Some(newer));
                                t
                            }
                            Err(e) => {
                                if e.is(Kind::Credentials) {
                                    self.forget_refresh_token(self.load()?.as_ref());
                                }
                                return Err(login_again(e));
                            }
                        }
                    }
                    Err(e) => return Err(login_again(e)),
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
        // A refresh keeps the grant the profile logged in with, so a later
        // re-login (and its hint) uses the same method.
        if let Some(login) = current.map(|c| c.source.grant).filter(|g| {
            !matches!(
                g,
                GrantKind::RefreshToken | GrantKind::LegacyRefresh | GrantKind::Unknown
            )
        }) && matches!(
            fresh.source.grant,
            GrantKind::RefreshToken | GrantKind::LegacyRefresh
        ) && profile.api != ApiKind::Gbds
        {
            fresh.source.grant = login;
        }
        Ok(fresh)
    }

    /// The server refused the stored refresh token (expired, revoked, used):
    /// drop it so no later call sends it again, keeping the profile and the
    /// access token while it lasts. The caller holds the lock.
    fn forget_refresh_token(&self, current: Option<&TokenSet>) {
        let Some(cur) = current.filter(|c| c.refresh_token.is_some()) else {
            return;
        };
        let mut kept = cur.clone();
        kept.refresh_token = None;
        match self.store().and_then(|s| s.save(&self.key, &kept)) {
            Ok(()) => ui::verbose("removed the refresh token the server refused"),
            Err(e) => ui::verbose(format!("could not remove the refused refresh token: {e}")),
        }
    }

    fn renew_app_token(&self, api: &Api, cur: &TokenSet) -> Result<TokenSet, Error> {
        let again = relogin_command(&self.name, &self.profile, Some(cur.source.grant));
        let (secret, saved) = match (&cur.app_secret, env_client_secret()) {
            (Some(s), _) => (s.clone(), true),
            (None, Some(env)) => (env, false),
            (None, None) => {
                let hint = if self.store_kind() == StoreKind::File {
                    format!(
                        "set {} where tokenctl runs (the file store keeps no secrets), or run `{again}` again",
                        EnvVars::TOKENCTL_CLIENT_SECRET
                    )
                } else if cur.source.grant == GrantKind::ClientCredentials {
                    format!(
                        "run `{again}` again (it keeps the secret in the keychain, so renewals need nothing), or set {} where tokenctl runs",
                        EnvVars::TOKENCTL_CLIENT_SECRET
                    )
                } else {
                    format!(
                        "run `{again}` again with --save-secret, or set {} where tokenctl runs",
                        EnvVars::TOKENCTL_CLIENT_SECRET
                    )
                };
                return Err(Error::credentials(format!(
                    "the token of profile `{}` (client {}) cannot be renewed: no saved client secret",
                    self.name,
                    self.profile.client_id.as_deref().unwrap_or("-")
                ))
                .with_hint(hint));
            }
        };
        let client_id = self.profile.client_id.clone().ok_or_else(|| {
            Error::usage(format!("profile `{}` has no client_id", self.name))
                .with_hint(format!("run `{}`", self.command("login --access-key ID")))
        })?;
        let grant = match cur.source.grant {
            GrantKind::AppToken => Grant::AppToken {
                app_id: client_id,
                secret: secret.clone(),
            },
            GrantKind::LegacyAppToken => Grant::LegacyAppToken {
                id: client_id,
                name: self.profile.app_name.clone().unwrap_or_default(),
                secret: secret.clone(),
            },
            _ => Grant::ClientCredentials {
                client_id,
                secret: secret.clone(),
            },
        };
        let mut fresh = api.request(&grant).map_err(|e| {
            if e.is(Kind::Credentials) {
                // A hint from the API (app_token gone in 3.0) says more.
                e.or_hint(format!("check the client secret, then run `{again}`"))
            } else {
                e
            }
        })?;
        if saved {
            fresh.app_secret = Some(secret);
        }
        Ok(fresh)
    }
}
