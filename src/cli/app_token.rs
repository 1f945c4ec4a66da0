//! `tokenctl app-token`: the 2.19 client's name for what Run:ai now calls
//! service accounts and access keys (`login --access-key`).

use clap::Args;
use clap::ValueEnum;

use super::login::ServerArgs;
use crate::env::EnvVars;

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum AppGrant {
    /// `client_credentials`: a service account or access key (Run:ai 2.23 and later)
    #[value(name = "client_credentials")]
    ClientCredentials,
    /// `app_token` with appID/appSecret on /api/v1/token (deprecated in 2.23, gone in 3.0)
    #[value(name = "app_token")]
    AppToken,
}

#[derive(Debug, Args)]
pub struct AppTokenArgs {
    #[command(flatten)]
    pub server: ServerArgs,

    /// The service account's or access key's client ID (an "application" before 3.0) [default: the profile's];
    /// saved in the profile
    #[arg(long, env = EnvVars::TOKENCTL_CLIENT_ID, value_name = "ID")]
    pub client_id: Option<String>,

    /// Read the client secret from stdin [default: off: $TOKENCTL_CLIENT_SECRET, else a prompt]
    #[arg(long, visible_alias = "secret-stdin", conflicts_with = "secret_file")]
    pub client_secret_stdin: bool,

    /// Read the client secret from this file (its first line) [default: off: $TOKENCTL_CLIENT_SECRET, else a prompt]
    #[arg(long, value_name = "FILE")]
    pub secret_file: Option<std::path::PathBuf>,

    /// Grant to use [default: client_credentials; on runai-2.19 its app_token grant (the deprecated endpoint with --legacy-endpoints)]
    #[arg(long, env = EnvVars::TOKENCTL_GRANT, value_enum)]
    pub grant: Option<AppGrant>,

    /// Application name, required by the Run:ai 2.19 app token endpoint; saved in the profile
    /// [default: the profile's]
    #[arg(long, env = EnvVars::TOKENCTL_APP_NAME, value_name = "NAME")]
    pub app_name: Option<String>,

    /// Keep the client secret in the OS keychain so `tokenctl token` can renew the token (`login --access-key` always does) [default: off]
    #[arg(long)]
    pub save_secret: bool,
}
