//! Value parsers and the mirror enums of domain types, converted with `From`.

use clap::ValueEnum;
use clap::builder::EnumValueParser;
use clap::builder::TypedValueParser;

use crate::config::KubeToken;
use crate::kube::ExecApiVersion;
use crate::model::ApiKind;
use crate::model::StoreKind;
use crate::output::OutputFormat;
use crate::ui::ColorWhen;

/// A URL value parser whose error never quotes the input raw: clap's own
/// "invalid value '…'" line would print a password given in the URL.
#[derive(Clone)]
pub struct UrlParser<T>(pub fn(&str) -> Result<T, String>);

impl<T: Clone + Send + Sync + 'static> TypedValueParser for UrlParser<T> {
    type Value = T;

    fn parse_ref(
        &self,
        cmd: &clap::Command,
        arg: Option<&clap::Arg>,
        value: &std::ffi::OsStr,
    ) -> Result<T, clap::Error> {
        let fail = |why: String| {
            let name = arg.map_or_else(|| "URL".to_string(), ToString::to_string);
            clap::Error::raw(
                clap::error::ErrorKind::ValueValidation,
                format!(
                    "invalid value for '{name}': {}\n",
                    crate::config::redact_userinfo(&why)
                ),
            )
            .with_cmd(cmd)
        };
        let text = value
            .to_str()
            .ok_or_else(|| fail("the URL is not valid UTF-8".into()))?;
        (self.0)(text).map_err(fail)
    }
}

/// Defaults of the options the hot path's own parser (fast.rs) fills in
/// without clap: clap's `default_value`s and that parser both take them
/// from here, so the two cannot disagree.
pub mod defaults {
    /// `--profile`.
    pub const PROFILE: &str = crate::config::DEFAULT_PROFILE;
    /// `--env-var`.
    pub const ENV_VAR: &str = crate::env::EnvVars::TOKENCTL_TOKEN;
    /// `--keychain-timeout`: the keychain store's own default.
    pub const KEYCHAIN_TIMEOUT: &str = "5s";
    /// `--lock-timeout`.
    pub const LOCK_TIMEOUT: &str = "30s";
    /// `--api-version` of `token`, `kubectl-credential` and `kubeconfig`.
    pub const API_VERSION: &str = "v1";
    /// `--color`.
    pub const COLOR: &str = "auto";
}

pub(super) fn parse_duration(s: &str) -> Result<std::time::Duration, String> {
    crate::config::HumanDuration::parse(s).map(|d| d.0)
}

/// Which token kubectl gets.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum KubeTokenArg {
    /// The access token
    Access,
    /// The id token (OIDC), for API servers that validate id tokens
    Id,
}

pub(super) fn kube_token() -> impl TypedValueParser<Value = KubeToken> {
    EnumValueParser::<KubeTokenArg>::new().map(|v| match v {
        KubeTokenArg::Access => KubeToken::Access,
        KubeTokenArg::Id => KubeToken::Id,
    })
}

/// `client.authentication.k8s.io` versions kubectl speaks.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ExecApiArg {
    /// client.authentication.k8s.io/v1 (kubectl 1.22+)
    #[value(name = "v1", alias = "client.authentication.k8s.io/v1")]
    V1,
    /// client.authentication.k8s.io/v1beta1
    #[value(name = "v1beta1", alias = "client.authentication.k8s.io/v1beta1")]
    V1beta1,
}

pub(super) fn exec_api_version() -> impl TypedValueParser<Value = ExecApiVersion> {
    EnumValueParser::<ExecApiArg>::new().map(|v| match v {
        ExecApiArg::V1 => ExecApiVersion::V1,
        ExecApiArg::V1beta1 => ExecApiVersion::V1beta1,
    })
}

// The command line's names for domain enums: clap stays in this file, and
// each converts into the type the commands use.

/// Which token API a profile speaks.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ApiArg {
    /// NVIDIA Run:ai, the newest token endpoint the server has: /api/v2/token, else (before 2.24) /api/v1/token.
    #[value(name = "runai")]
    Runai,
    /// Run:ai's /api/v1/token only (2.19 to 3.0; deprecated in 3.0).
    #[value(name = "runai-v1")]
    RunaiV1,
    /// Run:ai's OAuth2 endpoint /api/v2/token only (2.24 and later); `runai-oauth2` is its earlier name.
    #[value(name = "runai-v2", alias = "runai-oauth2")]
    RunaiV2,
    /// Run:ai 2.19 (`POST /api/v1/token`; deprecated endpoints with --legacy-endpoints).
    #[value(name = "runai-2.19")]
    Runai219,
    /// Griaule GBDS 4.7 (`POST /tokens`).
    #[value(name = "gbds")]
    Gbds,
}

impl From<ApiArg> for ApiKind {
    fn from(v: ApiArg) -> Self {
        match v {
            ApiArg::Runai => ApiKind::Runai,
            ApiArg::RunaiV1 => ApiKind::RunaiV1,
            ApiArg::RunaiV2 => ApiKind::RunaiV2,
            ApiArg::Runai219 => ApiKind::Runai219,
            ApiArg::Gbds => ApiKind::Gbds,
        }
    }
}

/// Where token sets are kept.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum StoreArg {
    /// The keychain when it answers within --keychain-timeout, else (Linux) the kernel keyring
    Auto,
    /// The OS keychain (Secret Service, macOS Keychain, Windows Credential Manager).
    Keychain,
    /// Linux: the user's persistent keyring in the kernel (memory only, cleared at reboot)
    Kernel,
    /// A 0600 JSON file per profile under the user's state directory.
    File,
}

impl From<StoreArg> for StoreKind {
    fn from(v: StoreArg) -> Self {
        match v {
            StoreArg::Auto => StoreKind::Auto,
            StoreArg::Keychain => StoreKind::Keychain,
            StoreArg::Kernel => StoreKind::Kernel,
            StoreArg::File => StoreKind::File,
        }
    }
}

/// What `-o` prints.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum OutputArg {
    /// The access token and a newline
    Token,
    /// `Authorization: Bearer <token>`
    Header,
    /// `export TOKENCTL_TOKEN='<token>'` (name set by --env-var)
    Env,
    /// Access token, id token, expiry and profile as JSON
    Json,
    /// A kubectl `ExecCredential` (client.authentication.k8s.io)
    ExecCredential,
}

impl From<OutputArg> for OutputFormat {
    fn from(v: OutputArg) -> Self {
        match v {
            OutputArg::Token => OutputFormat::Token,
            OutputArg::Header => OutputFormat::Header,
            OutputArg::Env => OutputFormat::Env,
            OutputArg::Json => OutputFormat::Json,
            OutputArg::ExecCredential => OutputFormat::ExecCredential,
        }
    }
}

/// When stderr gets colour and symbols.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ColorArg {
    /// Colour and symbols when stderr is a terminal and NO_COLOR is not set
    Auto,
    /// Always, even into a file or pipe
    Always,
    /// Never
    Never,
}

impl From<ColorArg> for ColorWhen {
    fn from(v: ColorArg) -> Self {
        match v {
            ColorArg::Auto => ColorWhen::Auto,
            ColorArg::Always => ColorWhen::Always,
            ColorArg::Never => ColorWhen::Never,
        }
    }
}
