//! `tokenctl token` and `tokenctl kubectl-credential`.

use clap::Args;

use super::refresh::LockArgs;
use super::values::{defaults, exec_api_version, kube_token, parse_duration};
use crate::config::KubeToken;
use crate::env::EnvVars;
use crate::kube::ExecApiVersion;

#[derive(Debug, Args)]
pub struct TokenArgs {
    /// Renew first when the token has less than this left [default: the profile's `min_valid`, else 60s]
    #[arg(long, env = EnvVars::TOKENCTL_MIN_VALID, value_parser = parse_duration, value_name = "DURATION")]
    pub min_valid: Option<std::time::Duration>,

    /// When renewal is impossible and a person is at the terminal, log in again the way the profile was
    /// created (password prompt, browser login, external token source) instead of failing
    /// [default: the profile's `interactive`, else off]
    #[arg(long, env = EnvVars::TOKENCTL_INTERACTIVE)]
    pub interactive: bool,

    /// ExecCredential apiVersion when kubectl does not say it in $KUBERNETES_EXEC_INFO
    #[arg(long, value_parser = exec_api_version(), default_value = defaults::API_VERSION, value_name = "VERSION")]
    pub api_version: ExecApiVersion,

    /// Token kubectl gets with -o exec-credential: `access`, or `id` for clusters whose API server validates id tokens
    /// [default: the profile's `kube_token`, else access]
    #[arg(long, env = EnvVars::TOKENCTL_KUBE_TOKEN, value_parser = kube_token(), value_name = "WHICH")]
    pub kube_token: Option<KubeToken>,

    #[command(flatten)]
    pub lock: LockArgs,
}
