//! `tokenctl kubeconfig`.

use clap::Args;

use super::values::{defaults, exec_api_version, kube_token};
use crate::config::KubeToken;
use crate::env::EnvVars;
use crate::kube::ExecApiVersion;

#[derive(Debug, Args)]
pub struct KubeconfigArgs {
    /// kubeconfig user name [default: tokenctl-<profile>]
    #[arg(long, value_name = "NAME")]
    pub user: Option<String>,

    /// Also bind this cluster to the user in a context named <user>@<cluster> [default: none: no context]
    #[arg(long, value_name = "NAME")]
    pub cluster: Option<String>,

    /// Write the entry with `kubectl config` (honours $KUBECONFIG) instead of printing it [default: off]
    #[arg(long)]
    pub write: bool,

    /// ExecCredential apiVersion for the entry
    #[arg(long, value_parser = exec_api_version(), default_value = defaults::API_VERSION, value_name = "VERSION")]
    pub api_version: ExecApiVersion,

    /// Token the entry gives kubectl: `id` adds `--kube-token id` to its exec args
    /// [default: the profile's `kube_token`, else access]
    #[arg(long, env = EnvVars::TOKENCTL_KUBE_TOKEN, value_parser = kube_token(), value_name = "WHICH")]
    pub kube_token: Option<KubeToken>,

    /// The command kubectl runs [default: this tokenctl's absolute path]
    #[arg(long, value_name = "PATH")]
    pub command: Option<String>,

    /// The kubectl used by --write
    #[arg(
        long,
        env = EnvVars::TOKENCTL_KUBECTL,
        default_value = "kubectl",
        value_name = "PATH"
    )]
    pub kubectl: String,
}
