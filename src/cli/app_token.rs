//! `tokenctl app-token`.

use clap::Args;
use clap::ValueEnum;

use super::login::ServerArgs;

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum AppGrant {
    /// `client_credentials` with clientID/clientSecret (Run:ai 2.23)
    #[value(name = "client_credentials")]
    ClientCredentials,
    /// `app_token` with appID/appSecret on /api/v1/token (deprecated in 2.23)
    #[value(name = "app_token")]
    AppToken,
}

#[derive(Debug, Args)]
pub struct AppTokenArgs {
    #[command(flatten)]
    pub server: ServerArgs,

    /// Application (client) id [default: the profile's]; saved in the profile
    #[arg(long, env = "TOKENCTL_CLIENT_ID", value_name = "ID")]
    pub client_id: Option<String>,

    /// Read the client secret from stdin [default: off: $TOKENCTL_CLIENT_SECRET, else a prompt]
    #[arg(long)]
    pub client_secret_stdin: bool,

    /// Grant to use [default: client_credentials; on runai-2.19 its app_token grant (the deprecated endpoint with --legacy-endpoints)]
    #[arg(long, env = "TOKENCTL_GRANT", value_enum)]
    pub grant: Option<AppGrant>,

    /// Application name, required by the Run:ai 2.19 app token endpoint; saved in the profile
    /// [default: the profile's]
    #[arg(long, env = "TOKENCTL_APP_NAME", value_name = "NAME")]
    pub app_name: Option<String>,

    /// Keep the client secret in the OS keychain so `tokenctl token` can renew the app token [default: off]
    #[arg(long)]
    pub save_secret: bool,
}
