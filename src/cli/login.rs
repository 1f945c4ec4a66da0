//! `tokenctl login` and the server options it shares with the other logins.

use std::path::PathBuf;

use clap::ArgGroup;
use clap::Args;
use clap::builder::{EnumValueParser, TypedValueParser};

use super::values::{ApiArg, UrlParser, parse_duration};
use crate::config::ServerUrl;
use crate::config::WebUrl;
use crate::env::EnvVars;
use crate::model::ApiKind;

/// Where to log in; given once, remembered in the profile.
#[derive(Debug, Clone, Args)]
pub struct ServerArgs {
    /// Server base URL, e.g. https://acme.run.ai or http://10.0.0.5:8085/gbds/v2; saved in the profile
    /// [default: the profile's]
    #[arg(long, env = EnvVars::TOKENCTL_SERVER, value_parser = UrlParser(ServerUrl::parse), value_name = "URL")]
    pub server: Option<ServerUrl>,

    /// API the server speaks; saved in the profile. `runai` finds the newest Run:ai token endpoint at each
    /// login (/api/v2/token, else /api/v1/token on servers before 2.24) and remembers it [default: runai]
    #[arg(long, env = EnvVars::TOKENCTL_API, value_parser = EnumValueParser::<ApiArg>::new().map(ApiKind::from))]
    pub api: Option<ApiKind>,

    /// Allow plain http:// to a non-loopback server (GBDS); saved in the profile [default: the profile's, else off]
    #[arg(long, env = EnvVars::TOKENCTL_ALLOW_HTTP)]
    pub allow_http: bool,

    /// Run:ai 2.19: use the deprecated refresh, code-exchange and app-token endpoints (the refresh token and code travel in URLs there); saved in the profile
    /// [default: the profile's `legacy_endpoints`, else off: `/api/v1/token`, falling back after a 404/405]
    #[arg(long, env = EnvVars::TOKENCTL_LEGACY_ENDPOINTS)]
    pub legacy_endpoints: bool,

    /// Also trust the CA certificates in this PEM file (a corporate CA); saved in the profile
    /// [default: the profile's `ca_file`, else only the platform's trust store]
    #[arg(long, env = EnvVars::TOKENCTL_CA_FILE, value_name = "PEM")]
    pub ca_file: Option<PathBuf>,
}

#[derive(Debug, Args)]
#[command(group(ArgGroup::new("sso").args(["browser", "remote_browser"])))]
pub struct LoginArgs {
    #[command(flatten)]
    pub server: ServerArgs,

    /// User name [default: the profile's; prompted on a terminal]; with --browser, a hint for the login page
    #[arg(long, short = 'u', env = EnvVars::TOKENCTL_USERNAME, value_name = "USER")]
    pub username: Option<String>,

    /// Read the password from stdin [default: off: $TOKENCTL_PASSWORD, else a prompt]
    #[arg(long, conflicts_with_all = ["external_token_stdin", "browser", "remote_browser"])]
    pub password_stdin: bool,

    /// Log in as a service account or with a user access key: its client ID (Run:ai `client_credentials`). The
    /// secret is kept in the keychain, so tokenctl renews by itself [default: off: log in with a password]
    #[arg(long, visible_alias = "client-id", value_name = "ID",
          conflicts_with_all = ["password_stdin", "external_token_stdin", "external_token_from", "browser", "remote_browser"])]
    pub access_key: Option<String>,

    /// With --access-key: read the secret from this file (its first line)
    /// [default: off: $TOKENCTL_CLIENT_SECRET, else a prompt]
    #[arg(
        long,
        value_name = "FILE",
        requires = "access_key",
        conflicts_with = "client_secret_stdin"
    )]
    pub secret_file: Option<PathBuf>,

    /// With --access-key: read the secret from stdin [default: off: $TOKENCTL_CLIENT_SECRET, else a prompt]
    #[arg(long, visible_alias = "secret-stdin", requires = "access_key")]
    pub client_secret_stdin: bool,

    /// With --access-key: do not keep the secret; renewal then reads $TOKENCTL_CLIENT_SECRET
    /// [default: off: the keychain or kernel keyring keeps it; the file store never does]
    #[arg(long, requires = "access_key")]
    pub no_save_secret: bool,

    /// Log in with a token from an external identity provider, read from stdin (Run:ai `external_token_exchange`)
    /// [default: off: log in with a password]
    #[arg(long, conflicts_with_all = ["browser", "remote_browser"])]
    pub external_token_stdin: bool,

    /// CI: exchange the job's identity token from SOURCE (github-actions, env:NAME, file:PATH); saved in the
    /// profile, and read again at each renewal, so no secret is stored [default: off]
    #[arg(long, env = EnvVars::TOKENCTL_EXTERNAL_TOKEN_FROM, value_name = "SOURCE", value_parser = crate::model::ExternalSource::parse,
          conflicts_with_all = ["browser", "remote_browser", "external_token_stdin", "password_stdin"])]
    pub external_token_from: Option<crate::model::ExternalSource>,

    /// With --external-token-from github-actions: the audience (`aud`) to ask for; saved in the profile
    /// [default: the profile's, else GitHub's default]
    #[arg(
        long,
        env = EnvVars::TOKENCTL_AUDIENCE,
        value_name = "AUD",
        requires = "external_token_from"
    )]
    pub audience: Option<String>,

    /// SSO: log in on the identity provider's page in a browser; the code comes back to a loopback listener [default: off]
    #[arg(long)]
    pub browser: bool,

    /// SSO without a local browser (SSH): print the login URL, then paste the code the page shows [default: off]
    #[arg(long)]
    pub remote_browser: bool,

    #[command(flatten)]
    pub sso: SsoArgs,
}

/// Browser login settings; the ones that describe the tenant are saved in the profile.
#[derive(Debug, Clone, Args)]
pub struct SsoArgs {
    /// Authorization endpoint; saved in the profile [default: <server>/auth/realms/runai/protocol/openid-connect/auth]
    #[arg(long, value_parser = UrlParser(WebUrl::parse), value_name = "URL", requires = "sso")]
    pub auth_url: Option<WebUrl>,

    /// OIDC client of the login page; saved in the profile [default: runai-cli]
    #[arg(long, value_name = "ID", requires = "sso")]
    pub oidc_client_id: Option<String>,

    /// Scopes to ask for; saved in the profile [default: "openid offline_access"]
    #[arg(long, value_name = "SCOPES", requires = "sso")]
    pub scope: Option<String>,

    /// Loopback port for the callback, 0 for any free port; saved in the profile [default: 43121]
    #[arg(long, value_name = "PORT", requires = "browser")]
    pub callback_port: Option<u16>,

    /// How long to wait for the browser [default: the profile's `browser_timeout`, else 180s]
    #[arg(long, value_parser = parse_duration, value_name = "DURATION", requires = "browser")]
    pub browser_timeout: Option<std::time::Duration>,

    /// Do not start a browser; only print the URL to open [default: off]
    #[arg(long, requires = "browser")]
    pub no_open: bool,

    /// Where the provider shows the code to copy; saved in the profile [default: <server>/oauth-code]
    #[arg(long, value_parser = UrlParser(WebUrl::parse), value_name = "URI", requires = "remote_browser")]
    pub remote_redirect_uri: Option<WebUrl>,

    /// Read the code (or the whole redirect URL) from stdin instead of the terminal [default: off]
    #[arg(long, requires = "remote_browser")]
    pub code_stdin: bool,
}
