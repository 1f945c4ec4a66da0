//! `tokenctl exchange-code`.

use clap::Args;

use super::login::ServerArgs;
use crate::env::EnvVars;

#[derive(Debug, Args)]
pub struct ExchangeCodeArgs {
    #[command(flatten)]
    pub server: ServerArgs,

    /// Authorization code from the identity provider's redirect (single use) [default: none: required unless --code-stdin]
    #[arg(
        long,
        env = EnvVars::TOKENCTL_CODE,
        hide_env_values = true,
        required_unless_present = "code_stdin",
        // Codes are base64url and may start with `-`.
        allow_hyphen_values = true
    )]
    pub code: Option<String>,

    /// Read the authorization code from stdin [default: off]
    #[arg(long, conflicts_with = "code")]
    pub code_stdin: bool,

    /// The redirect URI the code was issued for [default: none: required]
    #[arg(long, env = EnvVars::TOKENCTL_REDIRECT_URI, value_name = "URI")]
    pub redirect_uri: String,

    /// OIDC client the code was issued to (`client_id` of the login page's URL); saved in the profile [default: the profile's `oidc_client_id`, else runai-cli]
    #[arg(long, value_name = "ID")]
    pub oidc_client_id: Option<String>,
}
