//! Which grant produced a token set, and the one table of which API offers
//! which grant. Stored in every record, so the serde names are the strings
//! earlier versions wrote.

use std::fmt;

use serde::{Deserialize, Serialize};

use crate::model::ApiKind;

/// The grant (or legacy endpoint) a token set came from; decides how it is renewed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum GrantKind {
    #[serde(rename = "password")]
    Password,
    #[serde(rename = "refresh_token")]
    RefreshToken,
    #[serde(rename = "exchange_token")]
    ExchangeToken,
    #[serde(rename = "external_token_exchange")]
    ExternalToken,
    #[serde(rename = "client_credentials")]
    ClientCredentials,
    /// The 2.19 client's name for client credentials; gone from 3.0.
    #[serde(rename = "app_token")]
    AppToken,
    /// OAuth2 `authorization_code` (`/api/v2/token`): browser login and
    /// `exchange-code` where the profile speaks v2.
    #[serde(rename = "authorization_code")]
    AuthorizationCode,
    /// Run:ai 2.19 `POST /v1/k8s/auth/oauth/apptoken`.
    #[serde(rename = "legacy_apptoken")]
    LegacyAppToken,
    /// Run:ai 2.19 `POST /v1/k8s/auth/oauth/tokens/refresh`.
    #[serde(rename = "legacy_refresh")]
    LegacyRefresh,
    /// Run:ai 2.19 `GET /v1/k8s/auth/token/exchange`.
    #[serde(rename = "legacy_exchange")]
    LegacyExchange,
    /// GBDS `CREDENTIALS`.
    #[serde(rename = "CREDENTIALS")]
    GbdsCredentials,
    /// GBDS `TOKEN`.
    #[serde(rename = "TOKEN")]
    GbdsToken,
    /// The memory cache (never stored in a record).
    #[serde(rename = "cache")]
    Cache,
    /// Written by a newer tokenctl: loads, but cannot be renewed here.
    #[serde(other)]
    Unknown,
}

impl GrantKind {
    /// The name as stored and as the API spells it.
    pub fn name(self) -> &'static str {
        match self {
            Self::Password => "password",
            Self::RefreshToken => "refresh_token",
            Self::ExchangeToken => "exchange_token",
            Self::ExternalToken => "external_token_exchange",
            Self::ClientCredentials => "client_credentials",
            Self::AppToken => "app_token",
            Self::AuthorizationCode => "authorization_code",
            Self::LegacyAppToken => "legacy_apptoken",
            Self::LegacyRefresh => "legacy_refresh",
            Self::LegacyExchange => "legacy_exchange",
            Self::GbdsCredentials => "CREDENTIALS",
            Self::GbdsToken => "TOKEN",
            Self::Cache => "cache",
            Self::Unknown => "unknown",
        }
    }

    /// Machine logins (service accounts, access keys, 2.19 applications) are
    /// renewed by running their grant again with the client secret.
    pub fn is_app(self) -> bool {
        matches!(
            self,
            Self::ClientCredentials | Self::AppToken | Self::LegacyAppToken
        )
    }

    /// Whether `api` offers this grant. The one table; commands ask it
    /// before prompting for a secret. `runai` offers what either of its
    /// endpoints does (a grant one lacks goes to the other).
    pub fn offered_by(self, api: ApiKind) -> bool {
        use ApiKind::*;
        match self {
            Self::Password => true,
            Self::RefreshToken => matches!(api, Runai | RunaiV1 | RunaiV2 | Runai219),
            Self::ExternalToken | Self::ClientCredentials => {
                matches!(api, Runai | RunaiV1 | RunaiV2)
            }
            Self::ExchangeToken | Self::AppToken => matches!(api, Runai | RunaiV1 | Runai219),
            Self::AuthorizationCode => matches!(api, Runai | RunaiV2),
            Self::LegacyAppToken | Self::LegacyRefresh | Self::LegacyExchange => api == Runai219,
            Self::GbdsCredentials | Self::GbdsToken => api == Gbds,
            Self::Cache | Self::Unknown => false,
        }
    }

    /// Whether Run:ai's `/api/v2/token` has this grant (3.0; 2.24 lacks
    /// `external_token_exchange` and answers `unsupported_grant_type`).
    pub fn on_v2(self) -> bool {
        matches!(
            self,
            Self::Password
                | Self::RefreshToken
                | Self::ClientCredentials
                | Self::AuthorizationCode
                | Self::ExternalToken
        )
    }
}

impl fmt::Display for GrantKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const ALL: [GrantKind; 14] = [
        GrantKind::Password,
        GrantKind::RefreshToken,
        GrantKind::ExchangeToken,
        GrantKind::ExternalToken,
        GrantKind::ClientCredentials,
        GrantKind::AppToken,
        GrantKind::AuthorizationCode,
        GrantKind::LegacyAppToken,
        GrantKind::LegacyRefresh,
        GrantKind::LegacyExchange,
        GrantKind::GbdsCredentials,
        GrantKind::GbdsToken,
        GrantKind::Cache,
        GrantKind::Unknown,
    ];

    #[test]
    fn serde_names_are_the_stored_strings() {
        for g in ALL {
            let json = serde_json::to_string(&g).unwrap();
            if g != GrantKind::Unknown {
                assert_eq!(json, format!("\"{}\"", g.name()));
                assert_eq!(serde_json::from_str::<GrantKind>(&json).unwrap(), g);
            }
        }
        // A grant a newer tokenctl wrote still loads.
        assert_eq!(
            serde_json::from_str::<GrantKind>("\"device_code\"").unwrap(),
            GrantKind::Unknown
        );
    }

    #[test]
    fn app_grants() {
        let apps: Vec<_> = ALL.into_iter().filter(|g| g.is_app()).collect();
        assert_eq!(
            apps,
            [
                GrantKind::ClientCredentials,
                GrantKind::AppToken,
                GrantKind::LegacyAppToken
            ]
        );
    }

    #[test]
    fn table_of_grants_per_api() {
        let offered = |api| -> Vec<&str> {
            ALL.into_iter()
                .filter(|g| g.offered_by(api))
                .map(GrantKind::name)
                .collect()
        };
        assert_eq!(
            offered(ApiKind::Runai),
            [
                "password",
                "refresh_token",
                "exchange_token",
                "external_token_exchange",
                "client_credentials",
                "app_token",
                "authorization_code"
            ]
        );
        assert_eq!(
            offered(ApiKind::RunaiV1),
            [
                "password",
                "refresh_token",
                "exchange_token",
                "external_token_exchange",
                "client_credentials",
                "app_token"
            ]
        );
        assert_eq!(
            offered(ApiKind::Runai219),
            [
                "password",
                "refresh_token",
                "exchange_token",
                "app_token",
                "legacy_apptoken",
                "legacy_refresh",
                "legacy_exchange"
            ]
        );
        assert_eq!(offered(ApiKind::Gbds), ["password", "CREDENTIALS", "TOKEN"]);
        assert_eq!(
            offered(ApiKind::RunaiV2),
            [
                "password",
                "refresh_token",
                "external_token_exchange",
                "client_credentials",
                "authorization_code"
            ]
        );
        // What v2 takes is what a v2 profile offers.
        for g in ALL {
            assert_eq!(g.on_v2(), g.offered_by(ApiKind::RunaiV2), "{g}");
        }
    }
}
