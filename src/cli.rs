//! The command line, as clap types only. Behaviour lives in `commands`.

use std::io::IsTerminal;
use std::path::PathBuf;

use clap::builder::{EnumValueParser, TypedValueParser};
use clap::{
    ArgAction, ArgGroup, Args, CommandFactory, FromArgMatches, Parser, Subcommand, ValueEnum,
};
use clap_complete::engine::ArgValueCandidates;

use crate::config::{ApiKind, KubeToken, ServerUrl, StoreKind, WebUrl};
use crate::kube::ExecApiVersion;
use crate::output::OutputFormat;
use crate::ui::ColorWhen;

#[derive(Debug, Parser)]
#[command(
    name = "tokenctl",
    version = VERSION_LINE,
    about = "Log in to Run:ai and GBDS token APIs, keep the tokens in the OS keychain, print them for shells and kubectl",
    after_help = ROOT_SHORT_AFTER,
    after_long_help = ROOT_LONG_AFTER,
    propagate_version = true
)]
pub struct Cli {
    #[command(flatten)]
    pub global: GlobalArgs,
    #[command(subcommand)]
    pub command: Command,
}

/// Options every command takes. Under their own heading in `--help`, after
/// the command's own options, and left out of `-h` to keep it short.
#[derive(Debug, Clone, Args)]
#[command(next_help_heading = "Global options")]
pub struct GlobalArgs {
    /// Profile to use: a named server, API and identity from the config file
    #[arg(
        long,
        short = 'p',
        global = true,
        hide_short_help = true,
        env = "TOKENCTL_PROFILE",
        default_value = "default",
        value_name = "NAME",
        add = ArgValueCandidates::new(crate::shell::profile_candidates)
    )]
    pub profile: String,

    /// Config file [default: $XDG_CONFIG_HOME/tokenctl/config.toml]
    #[arg(
        long,
        global = true,
        hide_short_help = true,
        env = "TOKENCTL_CONFIG",
        value_name = "FILE"
    )]
    pub config: Option<PathBuf>,

    /// Where tokens are kept [default: the profile's `store`, else keychain]
    #[arg(
        long,
        global = true,
        hide_short_help = true,
        env = "TOKENCTL_STORE",
        value_parser = EnumValueParser::<StoreArg>::new().map(StoreKind::from)
    )]
    pub store: Option<StoreKind>,

    /// What to print on stdout [default: token for `token`; nothing for the other commands].
    /// From the environment it applies to `token` only, and as `json` to `status` and `doctor`
    #[arg(
        short = 'o',
        long,
        global = true,
        hide_short_help = true,
        env = "TOKENCTL_OUTPUT",
        value_parser = EnumValueParser::<OutputArg>::new().map(OutputFormat::from)
    )]
    pub output: Option<OutputFormat>,

    /// Variable name for `-o env`, and the variable `exec` gives the command the token in
    #[arg(
        long,
        global = true,
        hide_short_help = true,
        env = "TOKENCTL_ENV_VAR",
        default_value = "TOKENCTL_TOKEN",
        value_name = "NAME"
    )]
    pub env_var: String,

    /// Include the refresh token in `-o json` [default: off]
    #[arg(
        long,
        global = true,
        hide_short_help = true,
        env = "TOKENCTL_SHOW_REFRESH_TOKEN"
    )]
    pub show_refresh_token: bool,

    /// More detail on stderr: -v for requests, timings and decisions, -vv for more (secrets stay redacted)
    /// [default: progress and results only]
    #[arg(short, long, global = true,
        hide_short_help = true, action = ArgAction::Count)]
    pub verbose: u8,

    /// Connect timeout for server requests [default: the profile's `connect_timeout`, else 10s]
    #[arg(long, global = true,
        hide_short_help = true, env = "TOKENCTL_CONNECT_TIMEOUT", value_parser = parse_duration, value_name = "DURATION")]
    pub connect_timeout: Option<std::time::Duration>,

    /// Timeout of a whole server request, retries and their waits included [default: the profile's `request_timeout`, else 30s]
    #[arg(long, global = true,
        hide_short_help = true, env = "TOKENCTL_TIMEOUT", value_parser = parse_duration, value_name = "DURATION")]
    pub timeout: Option<std::time::Duration>,

    /// Longest wait for one keychain call (a locked keychain waiting for an unlock prompt fails with exit 5 after this)
    #[arg(long, global = true, hide_short_help = true, env = "TOKENCTL_KEYCHAIN_TIMEOUT", default_value = "5s", value_parser = parse_duration, value_name = "DURATION")]
    pub keychain_timeout: std::time::Duration,

    /// Print nothing on stderr but errors; stdout still has what was asked for [default: off]
    #[arg(
        short,
        long,
        global = true,
        hide_short_help = true,
        env = "TOKENCTL_QUIET",
        conflicts_with = "verbose"
    )]
    pub quiet: bool,

    /// Colour and symbols on stderr: auto uses them only on a terminal and honours NO_COLOR
    #[arg(
        long,
        global = true,
        hide_short_help = true,
        env = "TOKENCTL_COLOR",
        value_parser = EnumValueParser::<ColorArg>::new().map(ColorWhen::from),
        default_value = "auto",
        value_name = "WHEN"
    )]
    pub color: ColorWhen,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Log in with a user name and password, an external token, or SSO in a browser, and store the tokens
    Login(LoginArgs),
    /// Renew the stored tokens now (Run:ai refresh token, GBDS TOKEN grant)
    Refresh(RefreshArgs),
    /// Exchange an authorization code from the identity provider for tokens
    ExchangeCode(ExchangeCodeArgs),
    /// Get an application token with a client id and secret
    AppToken(AppTokenArgs),
    /// Print the access token, renewing it first when it is about to expire
    Token(TokenArgs),
    /// kubectl exec-credential plugin: `token -o exec-credential`
    KubectlCredential(TokenArgs),
    /// Print (or --write) a kubeconfig user that runs tokenctl as its credential plugin
    Kubeconfig(KubeconfigArgs),
    /// Delete stored tokens
    Logout(LogoutArgs),
    /// Show profiles, their servers and token expiry (never a token)
    Status(StatusArgs),
    /// Run a command with a fresh token in its environment and in a file kept fresh while it runs
    #[command(after_long_help = EXEC_NOTE, override_usage = "tokenctl exec [OPTIONS] [--] COMMAND [ARGS]...")]
    Exec(ExecArgs),
    /// Check the config, the token store, the server, the clock and kubectl; one line each with a fix
    #[command(after_long_help = DOCTOR_NOTE)]
    Doctor(DoctorArgs),
    /// Write completion scripts or man pages (for packagers; the copies in the repository come from here)
    #[command(hide = true)]
    Generate(GenerateArgs),
    /// Print the version, the commit, the target, the token stores compiled in and the build date (-o json for bug reports)
    Version(VersionArgs),
}

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

/// Where to log in; given once, remembered in the profile.
#[derive(Debug, Clone, Args)]
pub struct ServerArgs {
    /// Server base URL, e.g. https://acme.run.ai or http://10.0.0.5:8085/gbds/v2; saved in the profile
    /// [default: the profile's]
    #[arg(long, env = "TOKENCTL_SERVER", value_parser = UrlParser(ServerUrl::parse), value_name = "URL")]
    pub server: Option<ServerUrl>,

    /// API the server speaks; saved in the profile [default: runai]
    #[arg(long, env = "TOKENCTL_API", value_parser = EnumValueParser::<ApiArg>::new().map(ApiKind::from))]
    pub api: Option<ApiKind>,

    /// Allow plain http:// to a non-loopback server (GBDS); saved in the profile [default: the profile's, else off]
    #[arg(long, env = "TOKENCTL_ALLOW_HTTP")]
    pub allow_http: bool,

    /// Run:ai 2.19: use the deprecated refresh, code-exchange and app-token endpoints (the refresh token and code travel in URLs there); saved in the profile
    /// [default: the profile's `legacy_endpoints`, else off: `/api/v1/token`, falling back after a 404/405]
    #[arg(long, env = "TOKENCTL_LEGACY_ENDPOINTS")]
    pub legacy_endpoints: bool,

    /// Also trust the CA certificates in this PEM file (a corporate CA); saved in the profile
    /// [default: the profile's `ca_file`, else only the platform's trust store]
    #[arg(long, env = "TOKENCTL_CA_FILE", value_name = "PEM")]
    pub ca_file: Option<PathBuf>,
}

#[derive(Debug, Args)]
#[command(group(ArgGroup::new("sso").args(["browser", "remote_browser"])))]
pub struct LoginArgs {
    #[command(flatten)]
    pub server: ServerArgs,

    /// User name [default: the profile's; prompted on a terminal]; with --browser, a hint for the login page
    #[arg(long, short = 'u', env = "TOKENCTL_USERNAME", value_name = "USER")]
    pub username: Option<String>,

    /// Read the password from stdin [default: off: $TOKENCTL_PASSWORD, else a prompt]
    #[arg(long, conflicts_with_all = ["external_token_stdin", "browser", "remote_browser"])]
    pub password_stdin: bool,

    /// Log in with a token from an external identity provider, read from stdin (Run:ai 2.23 `external_token_exchange`)
    /// [default: off: log in with a password]
    #[arg(long, conflicts_with_all = ["browser", "remote_browser"])]
    pub external_token_stdin: bool,

    /// CI: exchange the job's identity token from SOURCE (github-actions, env:NAME, file:PATH); saved in the
    /// profile, and read again at each renewal, so no secret is stored [default: off]
    #[arg(long, env = "TOKENCTL_EXTERNAL_TOKEN_FROM", value_name = "SOURCE", value_parser = crate::ci_token::ExternalSource::parse,
          conflicts_with_all = ["browser", "remote_browser", "external_token_stdin", "password_stdin"])]
    pub external_token_from: Option<crate::ci_token::ExternalSource>,

    /// With --external-token-from github-actions: the audience (`aud`) to ask for; saved in the profile
    /// [default: the profile's, else GitHub's default]
    #[arg(
        long,
        env = "TOKENCTL_AUDIENCE",
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

#[derive(Debug, Args)]
pub struct RefreshArgs {
    /// Read the refresh token from stdin instead of the store
    /// [default: off: $TOKENCTL_REFRESH_TOKEN, else the stored one]
    #[arg(long)]
    pub refresh_token_stdin: bool,

    #[command(flatten)]
    pub lock: LockArgs,
}

#[derive(Debug, Clone, Args)]
pub struct LockArgs {
    /// How long to wait for another tokenctl that is renewing the same profile
    #[arg(long, env = "TOKENCTL_LOCK_TIMEOUT", default_value = "30s", value_parser = parse_duration, value_name = "DURATION")]
    pub lock_timeout: std::time::Duration,
}

fn parse_duration(s: &str) -> Result<std::time::Duration, String> {
    crate::config::HumanDuration::parse(s).map(|d| d.0)
}

#[derive(Debug, Args)]
pub struct ExchangeCodeArgs {
    #[command(flatten)]
    pub server: ServerArgs,

    /// Authorization code from the identity provider's redirect (single use) [default: none: required unless --code-stdin]
    #[arg(
        long,
        env = "TOKENCTL_CODE",
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
    #[arg(long, env = "TOKENCTL_REDIRECT_URI", value_name = "URI")]
    pub redirect_uri: String,

    /// OIDC client the code was issued to (`client_id` of the login page's URL); saved in the profile [default: the profile's `oidc_client_id`, else runai-cli]
    #[arg(long, value_name = "ID")]
    pub oidc_client_id: Option<String>,
}

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

#[derive(Debug, Args)]
pub struct TokenArgs {
    /// Renew first when the token has less than this left [default: the profile's `min_valid`, else 60s]
    #[arg(long, env = "TOKENCTL_MIN_VALID", value_parser = parse_duration, value_name = "DURATION")]
    pub min_valid: Option<std::time::Duration>,

    /// When renewal is impossible and a person is at the terminal, log in again the way the profile was
    /// created (password prompt, browser login, external token source) instead of failing
    /// [default: the profile's `interactive`, else off]
    #[arg(long, env = "TOKENCTL_INTERACTIVE")]
    pub interactive: bool,

    /// ExecCredential apiVersion when kubectl does not say it in $KUBERNETES_EXEC_INFO
    #[arg(long, value_parser = exec_api_version(), default_value = "v1", value_name = "VERSION")]
    pub api_version: ExecApiVersion,

    /// Token kubectl gets with -o exec-credential: `access`, or `id` for clusters whose API server validates id tokens
    /// [default: the profile's `kube_token`, else access]
    #[arg(long, env = "TOKENCTL_KUBE_TOKEN", value_parser = kube_token(), value_name = "WHICH")]
    pub kube_token: Option<KubeToken>,

    #[command(flatten)]
    pub lock: LockArgs,
}

/// Which token kubectl gets.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum KubeTokenArg {
    /// The access token
    Access,
    /// The id token (OIDC), for API servers that validate id tokens
    Id,
}

fn kube_token() -> impl TypedValueParser<Value = KubeToken> {
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

fn exec_api_version() -> impl TypedValueParser<Value = ExecApiVersion> {
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
    /// NVIDIA Run:ai 2.23 (`POST /api/v1/token`).
    #[value(name = "runai")]
    Runai,
    /// Run:ai 2.19 (`POST /api/v1/token`; deprecated endpoints with --legacy-endpoints).
    #[value(name = "runai-2.19")]
    Runai219,
    /// Griaule GBDS 4.7 (`POST /tokens`).
    #[value(name = "gbds")]
    Gbds,
    /// Run:ai's OAuth2 endpoint (`POST /api/v2/token`, form-encoded; 2.24 and later).
    #[value(name = "runai-oauth2")]
    RunaiOauth2,
}

impl From<ApiArg> for ApiKind {
    fn from(v: ApiArg) -> Self {
        match v {
            ApiArg::Runai => ApiKind::Runai,
            ApiArg::Runai219 => ApiKind::Runai219,
            ApiArg::Gbds => ApiKind::Gbds,
            ApiArg::RunaiOauth2 => ApiKind::RunaiOauth2,
        }
    }
}

/// Where token sets are kept.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum StoreArg {
    /// The OS keychain (Secret Service, macOS Keychain, Windows Credential Manager).
    Keychain,
    /// A 0600 JSON file per profile under the user's state directory.
    File,
}

impl From<StoreArg> for StoreKind {
    fn from(v: StoreArg) -> Self {
        match v {
            StoreArg::Keychain => StoreKind::Keychain,
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
    #[arg(long, value_parser = exec_api_version(), default_value = "v1", value_name = "VERSION")]
    pub api_version: ExecApiVersion,

    /// Token the entry gives kubectl: `id` adds `--kube-token id` to its exec args
    /// [default: the profile's `kube_token`, else access]
    #[arg(long, env = "TOKENCTL_KUBE_TOKEN", value_parser = kube_token(), value_name = "WHICH")]
    pub kube_token: Option<KubeToken>,

    /// The command kubectl runs [default: this tokenctl's absolute path]
    #[arg(long, value_name = "PATH")]
    pub command: Option<String>,

    /// The kubectl used by --write
    #[arg(
        long,
        env = "TOKENCTL_KUBECTL",
        default_value = "kubectl",
        value_name = "PATH"
    )]
    pub kubectl: String,
}

#[derive(Debug, Args)]
pub struct LogoutArgs {
    /// Remove the stored tokens of every profile [default: off: only the selected profile]
    #[arg(long)]
    pub all: bool,

    #[command(flatten)]
    pub lock: LockArgs,
}

#[derive(Debug, Args)]
pub struct StatusArgs {
    /// Show every profile, not only the selected one [default: off]
    #[arg(long)]
    pub all: bool,

    /// Also show what the stored access and id tokens say: issuer, subject, audience, expiry, user, email, groups and roles
    /// (decoded, not verified; never the token) [default: off]
    #[arg(long, env = "TOKENCTL_CLAIMS")]
    pub claims: bool,
}

#[derive(Debug, Args)]
pub struct ExecArgs {
    /// Renew the token (and rewrite the file) when it has less than this left [default: the profile's `min_valid`, else 60s]
    #[arg(long, env = "TOKENCTL_MIN_VALID", value_parser = parse_duration, value_name = "DURATION")]
    pub min_valid: Option<std::time::Duration>,

    #[command(flatten)]
    pub lock: LockArgs,

    /// The command and its arguments, after `--`
    #[arg(
        required = true,
        num_args = 1..,
        trailing_var_arg = true,
        allow_hyphen_values = true,
        value_name = "COMMAND"
    )]
    pub command: Vec<std::ffi::OsString>,
}

#[derive(Debug, Args)]
pub struct DoctorArgs {
    /// Check every profile, not only the selected one [default: off]
    #[arg(long)]
    pub all: bool,

    /// The kubectl to look for and ask about the kubeconfig
    #[arg(
        long,
        env = "TOKENCTL_KUBECTL",
        default_value = "kubectl",
        value_name = "PATH"
    )]
    pub kubectl: String,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum GenerateWhat {
    /// bash, zsh, fish, PowerShell and elvish completion scripts
    Completions,
    /// tokenctl.1 and one page per subcommand
    Man,
}

#[derive(Debug, Args)]
pub struct GenerateArgs {
    /// What to write
    #[arg(value_enum)]
    pub what: GenerateWhat,

    /// Directory to write into (created if missing) [default: none: required]
    #[arg(long, value_name = "DIR")]
    pub dir: PathBuf,
}

// --- version (issue 18): `--version`, `-v --version` and `tokenctl version`.

/// `tokenctl --version`: the version and the commit it was built from (build.rs).
const VERSION_LINE: &str = concat!(
    env!("CARGO_PKG_VERSION"),
    " (commit ",
    env!("TOKENCTL_BUILD_COMMIT_SHORT"),
    ")"
);

#[derive(Debug, Args)]
pub struct VersionArgs {}

/// `-v --version` (any `-v`): the long form, as `tokenctl version` prints it.
fn verbose_version(args: &[std::ffi::OsString]) -> bool {
    let rest = args
        .iter()
        .take_while(|a| a.to_str() != Some("--"))
        .filter(|a| !matches!(a.to_str(), Some("-V" | "--version")));
    command()
        .ignore_errors(true)
        .try_get_matches_from(rest)
        .is_ok_and(|m| m.get_count("verbose") > 0)
}

// --- end of version

const ROOT_SHORT_AFTER: &str = "Global options and examples: --help; a command's own: tokenctl COMMAND --help.

Exit codes: 0 ok, 1 other failure, 2 usage or config, 3 credentials rejected or login needed, 4 server or network failure, 5 keychain or store failure.";

const ROOT_LONG_AFTER: &str = "Exit codes: 0 ok, 1 other failure, 2 usage or config, 3 credentials rejected or login needed, 4 server or network failure, 5 keychain or store failure.

Shell completion: source completions/tokenctl.bash, or `source <(TOKENCTL_COMPLETE=bash tokenctl)` to complete profile names too.";

const EXEC_NOTE: &str = "The command gets the access token in $TOKENCTL_TOKEN (--env-var) and the path of a 0600 file holding it in $TOKENCTL_TOKEN_FILE. tokenctl renews the token before --min-valid while the command runs and replaces the file atomically; the variable keeps the first token, so long jobs should re-read the file. INT, TERM and HUP are passed on to the command; tokenctl exits with its status (128+signal when a signal killed it; 127 when it cannot be found) and removes the file.";

const DOCTOR_NOTE: &str = "Each line is `ok`, `warn` (advice; does not fail) or `fail`. Exit 0 when nothing fails, 1 otherwise.";

/// Examples per subcommand ("" is tokenctl itself), one command per line.
/// They are printed verbatim after clap's help, never through clap's text
/// wrapping, which would split a command at the terminal's width and break
/// copy-paste.
pub const EXAMPLES: &[(&str, &str)] = &[
    (
        "",
        "tokenctl login --server https://acme.run.ai --username alice
curl -H \"$(tokenctl token -o header)\" https://acme.run.ai/api/v1/projects
tokenctl --profile prod kubeconfig --write --cluster prod-cluster
tokenctl status --all
tokenctl doctor",
    ),
    (
        "login",
        "tokenctl login --server https://acme.run.ai --username alice
printf %s \"$PASSWORD\" | tokenctl login --password-stdin
tokenctl --profile gbds login --api gbds --server http://10.0.0.5:8085/gbds/v2 --allow-http -u operator
idp-token | tokenctl login --external-token-stdin
tokenctl --profile ci login --server https://acme.run.ai --external-token-from github-actions --audience runai
tokenctl --profile ci login --server https://acme.run.ai --external-token-from env:RUNAI_ID_TOKEN    # GitLab id_tokens
tokenctl login --server https://acme.run.ai --browser    # SSO: opens the login page
tokenctl login --remote-browser    # SSO over SSH: paste the code",
    ),
    (
        "refresh",
        "tokenctl refresh
tokenctl --profile prod refresh -o json",
    ),
    (
        "exchange-code",
        "tokenctl exchange-code --code \"$CODE\" --redirect-uri http://localhost:43121/callback
printf %s \"$CODE\" | tokenctl exchange-code --code-stdin --redirect-uri https://acme.run.ai/oauth-code",
    ),
    (
        "app-token",
        "TOKENCTL_CLIENT_SECRET=... tokenctl --profile ci app-token --server https://acme.run.ai --client-id ci-bot -o token
tokenctl --profile old app-token --api runai-2.19 --legacy-endpoints --client-id ci-bot --app-name ci-bot --client-secret-stdin",
    ),
    (
        "token",
        "export TOKEN=$(tokenctl token)
curl -H \"$(tokenctl token -o header)\" https://acme.run.ai/api/v1/projects
eval \"$(tokenctl token -o env --env-var RUNAI_TOKEN)\"
tokenctl token --min-valid 10m    # renew unless at least 10 minutes are left
tokenctl token --interactive    # on a terminal: log in again (password, browser) when renewal is impossible",
    ),
    (
        "kubectl-credential",
        "tokenctl --profile prod kubectl-credential    # kubectl runs this; see `tokenctl kubeconfig`
KUBERNETES_EXEC_INFO='{\"apiVersion\":\"client.authentication.k8s.io/v1beta1\",\"spec\":{\"interactive\":false}}' tokenctl kubectl-credential",
    ),
    (
        "kubeconfig",
        "tokenctl --profile prod kubeconfig    # print a users: entry
tokenctl --profile prod kubeconfig --write --cluster prod-cluster
kubectl --user tokenctl-prod get pods",
    ),
    (
        "logout",
        "tokenctl logout
tokenctl logout --all",
    ),
    (
        "status",
        "tokenctl status
tokenctl status --all -o json
tokenctl status --claims    # who the token says you are: user, groups, roles, audience",
    ),
    (
        "exec",
        "tokenctl exec -- python train.py    # reads $TOKENCTL_TOKEN_FILE for each request
tokenctl --profile prod exec --min-valid 5m -- ./long-job.sh
tokenctl exec --env-var RUNAI_TOKEN -- sh -c 'curl -H \"Authorization: Bearer $RUNAI_TOKEN\" https://acme.run.ai/api/v1/projects'",
    ),
    (
        "doctor",
        "tokenctl doctor
tokenctl --profile prod doctor -o json
tokenctl doctor --all || echo 'see the fix on each failing line'",
    ),
    (
        "generate",
        "tokenctl generate completions --dir completions
tokenctl generate man --dir man",
    ),
    (
        "version",
        "tokenctl version
tokenctl version -o json    # for a bug report
tokenctl -v --version",
    ),
];

/// The examples of a subcommand ("" for tokenctl itself).
pub fn examples(name: &str) -> Option<&'static str> {
    EXAMPLES.iter().find(|(n, _)| *n == name).map(|(_, e)| *e)
}

/// The clap command, with what the derive cannot say: each subcommand's `-h`
/// points at `--help` for the global options and examples.
pub fn command() -> clap::Command {
    Cli::command().mut_subcommands(|sub| {
        // Without an own long text, clap would repeat the `-h` hint in `--help`.
        let long = sub.get_after_long_help().cloned().unwrap_or_default();
        sub.after_help("Global options and examples: --help")
            .after_long_help(long)
    })
}

/// The completion scripts or man pages, as committed in the repository.
pub fn generated(what: GenerateWhat) -> Vec<(String, Vec<u8>)> {
    match what {
        GenerateWhat::Completions => crate::shell::completions(&command()),
        // The plain version: the commit in `--version` would change every page on every commit.
        GenerateWhat::Man => {
            crate::shell::man_pages(&command().version(env!("CARGO_PKG_VERSION")), examples)
        }
    }
}

/// Parses the process's arguments. Help and version are printed here;
/// `Err` carries the exit code then (0 for help, 2 for a usage error).
pub fn parse() -> Result<Cli, i32> {
    parse_from(std::env::args_os())
}

pub fn parse_from<I, T>(args: I) -> Result<Cli, i32>
where
    I: IntoIterator<Item = T>,
    T: Into<std::ffi::OsString> + Clone,
{
    let args: Vec<std::ffi::OsString> = args.into_iter().map(Into::into).collect();
    let err = match command().try_get_matches_from(&args).and_then(|m| {
        let mut cli = Cli::from_arg_matches(&m)?;
        if m.value_source("output") == Some(clap::parser::ValueSource::EnvVariable) {
            cli.global.output = cli
                .global
                .output
                .filter(|f| env_output_fits(&cli.command, *f));
        }
        Ok(cli)
    }) {
        Ok(cli) => return Ok(cli),
        Err(e) => e,
    };
    if err.kind() == clap::error::ErrorKind::DisplayHelp
        && let Some((path, long)) = help_request(&args)
    {
        let color = std::io::stdout().is_terminal() && crate::ui::use_color_auto(true);
        let _ = crate::output::print(&render_help(&path, long, None, color));
        return Err(0);
    }
    if err.kind() == clap::error::ErrorKind::DisplayVersion && verbose_version(&args) {
        return parse_from([args[0].clone(), "version".into()]);
    }
    // Version, or a usage error (stderr, exit 2).
    let _ = err.print();
    Err(err.exit_code())
}

/// Whether `TOKENCTL_OUTPUT` applies to `command`. It is a default for
/// `token`; `status` and `doctor` take it when it is `json`. Everywhere else
/// (and for other formats) it is ignored: a variable set for `token` must
/// neither make `status` fail nor make `refresh` print a token. `-o` on the
/// command line always applies, and fails where it does not fit.
fn env_output_fits(command: &Command, format: OutputFormat) -> bool {
    match command {
        Command::Token(_) => true,
        Command::Status(_) | Command::Doctor(_) => format == OutputFormat::Json,
        _ => false,
    }
}

/// Which (sub)command's help was asked for, and whether long (`--help`,
/// `help CMD`) or short (`-h`). `None` when it cannot be told.
fn help_request(args: &[std::ffi::OsString]) -> Option<(Vec<String>, bool)> {
    let words: Vec<&str> = args
        .iter()
        .skip(1)
        .map(|a| a.to_str())
        .collect::<Option<_>>()?;
    let before_dashes = words.iter().take_while(|w| **w != "--");
    let long = before_dashes.clone().any(|w| *w == "--help");
    let short = before_dashes.clone().any(|w| *w == "-h");
    let root = command();
    if !long && !short {
        // `tokenctl help [COMMAND...]`: long help of the named command.
        let at = words.iter().position(|w| *w == "help")?;
        let path = subcommand_path(&root, words[at + 1..].iter().copied());
        return Some((path, true));
    }
    // Parse the rest leniently to learn which subcommand the flag belongs to.
    let rest = args
        .iter()
        .filter(|a| !matches!(a.to_str(), Some("-h" | "--help")));
    let matches = command()
        .ignore_errors(true)
        .try_get_matches_from(rest)
        .ok()?;
    let mut path = Vec::new();
    let mut m = &matches;
    while let Some((name, sub)) = m.subcommand() {
        path.push(name.to_string());
        m = sub;
    }
    Some((path, long))
}

fn subcommand_path<'a>(root: &clap::Command, words: impl Iterator<Item = &'a str>) -> Vec<String> {
    let mut path = Vec::new();
    let mut cmd = root;
    for w in words {
        match cmd.find_subcommand(w) {
            Some(sub) => {
                path.push(sub.get_name().to_string());
                cmd = sub;
            }
            None => break,
        }
    }
    path
}

/// Help for the subcommand at `path` (empty: tokenctl itself), as `--help`
/// (`long`) or `-h` shows it, at `width` columns (default: the terminal's).
/// Examples follow clap's text verbatim, one command per line.
pub fn render_help(path: &[String], long: bool, width: Option<usize>, color: bool) -> String {
    let mut root = command();
    if let Some(w) = width {
        root = root.term_width(w);
    }
    root.build();
    let mut cmd = &mut root;
    for name in path {
        cmd = cmd
            .find_subcommand_mut(name)
            .expect("help_request names existing subcommands");
    }
    let styled = if long {
        cmd.render_long_help()
    } else {
        cmd.render_help()
    };
    let mut text = if color {
        styled.ansi().to_string()
    } else {
        styled.to_string()
    };
    let name = path.last().map_or("", String::as_str);
    if long && let Some(examples) = examples(name) {
        let heading = if color {
            let s = anstyle::Style::new().bold().underline();
            format!("{s}Examples:{s:#}")
        } else {
            "Examples:".to_string()
        };
        text = text.trim_end().to_string();
        text.push_str(&format!("\n\n{heading}\n"));
        for line in examples.lines() {
            text.push_str(&format!("  {line}\n"));
        }
    } else if !text.ends_with('\n') {
        text.push('\n');
    }
    text
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The mirrors name each domain value as the domain does.
    #[test]
    fn mirrors_convert_to_the_same_names() {
        fn name(v: &impl ValueEnum) -> String {
            v.to_possible_value().unwrap().get_name().to_string()
        }
        for v in ApiArg::value_variants() {
            assert_eq!(ApiKind::from(*v).name(), name(v));
        }
        for v in StoreArg::value_variants() {
            assert_eq!(StoreKind::from(*v).to_string(), name(v));
        }
        for v in OutputArg::value_variants() {
            assert_eq!(OutputFormat::from(*v).name(), name(v));
        }
        let cli = Cli::try_parse_from([
            "tokenctl",
            "--color",
            "never",
            "token",
            "--api-version",
            "v1beta1",
        ])
        .unwrap();
        assert_eq!(cli.global.color, ColorWhen::Never);
        match cli.command {
            Command::Token(args) => assert_eq!(args.api_version, ExecApiVersion::V1beta1),
            other => panic!("{other:?}"),
        }
    }

    /// clap stays in the command-line layer: no other module names it.
    #[test]
    fn only_the_command_line_layer_uses_clap() {
        let src = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
        let mut stack = vec![src.clone()];
        let mut offenders = Vec::new();
        while let Some(dir) = stack.pop() {
            for entry in std::fs::read_dir(&dir).unwrap() {
                let path = entry.unwrap().path();
                if path.is_dir() {
                    stack.push(path);
                    continue;
                }
                let rel = path
                    .strip_prefix(&src)
                    .unwrap()
                    .to_string_lossy()
                    .into_owned();
                if matches!(rel.as_str(), "cli.rs" | "shell.rs" | "lib.rs" | "main.rs") {
                    continue;
                }
                let text = std::fs::read_to_string(&path).unwrap();
                if text.contains("clap::") || text.contains("use clap") {
                    offenders.push(rel);
                }
            }
        }
        assert!(
            offenders.is_empty(),
            "clap outside cli.rs/shell.rs: {offenders:?}"
        );
    }

    #[test]
    fn codes_may_start_with_a_hyphen() {
        let cli = Cli::try_parse_from([
            "tokenctl",
            "exchange-code",
            "--code",
            "-82t6l4Tp",
            "--redirect-uri",
            "http://localhost:43121/callback",
        ])
        .unwrap();
        match cli.command {
            Command::ExchangeCode(args) => assert_eq!(args.code.as_deref(), Some("-82t6l4Tp")),
            other => panic!("{other:?}"),
        }
    }
}
