//! The command line, as clap types only. Behaviour lives in `commands`.

use std::path::PathBuf;

use clap::{ArgAction, ArgGroup, Args, Parser, Subcommand, ValueEnum};
use clap_complete::engine::ArgValueCandidates;

use crate::config::{ApiKind, ServerUrl, StoreKind, WebUrl};
use crate::output::OutputFormat;
use crate::ui::ColorWhen;

#[derive(Debug, Parser)]
#[command(
    name = "tokenctl",
    version,
    about = "Log in to Run:ai and GBDS token APIs, keep the tokens in the OS keychain, print them for shells and kubectl",
    after_help = EXIT_CODES,
    after_long_help = ROOT_EXAMPLES,
    propagate_version = true
)]
pub struct Cli {
    #[command(flatten)]
    pub global: GlobalArgs,
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Clone, Args)]
pub struct GlobalArgs {
    /// Profile to use: a named server, API and identity from the config file
    #[arg(
        long,
        short = 'p',
        global = true,
        env = "TOKENCTL_PROFILE",
        default_value = "default",
        value_name = "NAME",
        add = ArgValueCandidates::new(crate::shell::profile_candidates)
    )]
    pub profile: String,

    /// Config file [default: $XDG_CONFIG_HOME/tokenctl/config.toml]
    #[arg(long, global = true, env = "TOKENCTL_CONFIG", value_name = "FILE")]
    pub config: Option<PathBuf>,

    /// Where tokens are kept [default: the profile's `store`, else keychain]
    #[arg(long, global = true, env = "TOKENCTL_STORE", value_enum)]
    pub store: Option<StoreKind>,

    /// What to print on stdout [default: token for `token`; nothing for the other commands]
    #[arg(short = 'o', long, global = true, env = "TOKENCTL_OUTPUT", value_enum)]
    pub output: Option<OutputFormat>,

    /// Variable name for `-o env`
    #[arg(
        long,
        global = true,
        env = "TOKENCTL_ENV_VAR",
        default_value = "TOKENCTL_TOKEN",
        value_name = "NAME"
    )]
    pub env_var: String,

    /// Include the refresh token in `-o json` [default: off]
    #[arg(long, global = true, env = "TOKENCTL_SHOW_REFRESH_TOKEN")]
    pub show_refresh_token: bool,

    /// More detail on stderr: -v for requests, timings and decisions, -vv for more (secrets stay redacted)
    /// [default: progress and results only]
    #[arg(short, long, global = true, action = ArgAction::Count)]
    pub verbose: u8,

    /// Connect timeout for server requests [default: the profile's `connect_timeout`, else 10s]
    #[arg(long, global = true, env = "TOKENCTL_CONNECT_TIMEOUT", value_parser = parse_duration, value_name = "DURATION")]
    pub connect_timeout: Option<std::time::Duration>,

    /// Whole-request timeout for server requests [default: the profile's `request_timeout`, else 30s]
    #[arg(long, global = true, env = "TOKENCTL_TIMEOUT", value_parser = parse_duration, value_name = "DURATION")]
    pub timeout: Option<std::time::Duration>,

    /// Longest wait for one keychain call (a locked keychain waiting for an unlock prompt fails with exit 5 after this)
    #[arg(long, global = true, env = "TOKENCTL_KEYCHAIN_TIMEOUT", default_value = "5s", value_parser = parse_duration, value_name = "DURATION")]
    pub keychain_timeout: std::time::Duration,

    /// Print nothing on stderr but errors; stdout still has what was asked for [default: off]
    #[arg(
        short,
        long,
        global = true,
        env = "TOKENCTL_QUIET",
        conflicts_with = "verbose"
    )]
    pub quiet: bool,

    /// Colour and symbols on stderr: auto uses them only on a terminal and honours NO_COLOR
    #[arg(
        long,
        global = true,
        env = "TOKENCTL_COLOR",
        value_enum,
        default_value = "auto",
        value_name = "WHEN"
    )]
    pub color: ColorWhen,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Log in with a user name and password, an external token, or SSO in a browser, and store the tokens
    #[command(after_long_help = LOGIN_EXAMPLES)]
    Login(LoginArgs),
    /// Renew the stored tokens now (Run:ai refresh token, GBDS TOKEN grant)
    #[command(after_long_help = REFRESH_EXAMPLES)]
    Refresh(RefreshArgs),
    /// Exchange an authorization code from the identity provider for tokens
    #[command(after_long_help = EXCHANGE_EXAMPLES)]
    ExchangeCode(ExchangeCodeArgs),
    /// Get an application token with a client id and secret
    #[command(after_long_help = APP_TOKEN_EXAMPLES)]
    AppToken(AppTokenArgs),
    /// Print the access token, renewing it first when it is about to expire
    #[command(after_long_help = TOKEN_EXAMPLES)]
    Token(TokenArgs),
    /// kubectl exec-credential plugin: `token -o exec-credential`
    #[command(after_long_help = KUBECTL_CREDENTIAL_EXAMPLES)]
    KubectlCredential(TokenArgs),
    /// Print (or --write) a kubeconfig user that runs tokenctl as its credential plugin
    #[command(after_long_help = KUBECONFIG_EXAMPLES)]
    Kubeconfig(KubeconfigArgs),
    /// Delete stored tokens
    #[command(after_long_help = LOGOUT_EXAMPLES)]
    Logout(LogoutArgs),
    /// Show profiles, their servers and token expiry (never a token)
    #[command(after_long_help = STATUS_EXAMPLES)]
    Status(StatusArgs),
    /// Check the config, the token store, the server, the clock and kubectl; one line each with a fix
    #[command(after_long_help = DOCTOR_EXAMPLES)]
    Doctor(DoctorArgs),
    /// Write completion scripts or man pages (for packagers; the copies in the repository come from here)
    #[command(hide = true, after_long_help = GENERATE_EXAMPLES)]
    Generate(GenerateArgs),
}

/// Where to log in; given once, remembered in the profile.
#[derive(Debug, Clone, Args)]
pub struct ServerArgs {
    /// Server base URL, e.g. https://acme.run.ai or http://10.0.0.5:8085/gbds/v2; saved in the profile
    /// [default: the profile's]
    #[arg(long, env = "TOKENCTL_SERVER", value_parser = ServerUrl::parse, value_name = "URL")]
    pub server: Option<ServerUrl>,

    /// API the server speaks; saved in the profile [default: runai]
    #[arg(long, env = "TOKENCTL_API", value_enum)]
    pub api: Option<ApiKind>,

    /// Allow plain http:// to a non-loopback server (GBDS); saved in the profile [default: the profile's, else off]
    #[arg(long, env = "TOKENCTL_ALLOW_HTTP")]
    pub allow_http: bool,

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
    #[arg(long, value_parser = WebUrl::parse, value_name = "URL", requires = "sso")]
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
    #[arg(long, value_parser = WebUrl::parse, value_name = "URI", requires = "remote_browser")]
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

    /// Grant to use [default: client_credentials; on runai-2.19 the 2.19 app token endpoint]
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

    /// When renewal is impossible, prompt for the password on the terminal instead of failing
    /// [default: the profile's `interactive`, else off]
    #[arg(long, env = "TOKENCTL_INTERACTIVE")]
    pub interactive: bool,

    /// ExecCredential apiVersion when kubectl does not say it in $KUBERNETES_EXEC_INFO
    #[arg(long, value_enum, default_value = "v1", value_name = "VERSION")]
    pub api_version: ExecApiVersion,

    #[command(flatten)]
    pub lock: LockArgs,
}

/// `client.authentication.k8s.io` versions kubectl speaks.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ExecApiVersion {
    /// client.authentication.k8s.io/v1 (kubectl 1.22+)
    #[value(name = "v1", alias = "client.authentication.k8s.io/v1")]
    V1,
    /// client.authentication.k8s.io/v1beta1
    #[value(name = "v1beta1", alias = "client.authentication.k8s.io/v1beta1")]
    V1beta1,
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
    #[arg(long, value_enum, default_value = "v1", value_name = "VERSION")]
    pub api_version: ExecApiVersion,

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

const EXIT_CODES: &str = "Exit codes: 0 ok, 1 other failure, 2 usage or config, 3 credentials rejected or login needed, 4 server or network failure, 5 keychain or store failure.";

const ROOT_EXAMPLES: &str = "Examples:
  tokenctl login --server https://acme.run.ai --username alice
  curl -H \"$(tokenctl token -o header)\" https://acme.run.ai/api/v1/projects
  tokenctl --profile prod kubeconfig --write --cluster prod-cluster
  tokenctl status --all
  tokenctl doctor

Exit codes: 0 ok, 1 other failure, 2 usage or config, 3 credentials rejected or login needed, 4 server or network failure, 5 keychain or store failure.

Shell completion: source completions/tokenctl.bash, or `source <(TOKENCTL_COMPLETE=bash tokenctl)` to complete profile names too.";

const LOGIN_EXAMPLES: &str = "Examples:
  tokenctl login --server https://acme.run.ai --username alice
  printf %s \"$PASSWORD\" | tokenctl login --password-stdin
  tokenctl --profile gbds login --api gbds --server http://10.0.0.5:8085/gbds/v2 --allow-http -u operator
  idp-token | tokenctl login --external-token-stdin
  tokenctl login --server https://acme.run.ai --browser          # SSO: opens the login page
  tokenctl login --remote-browser                                # SSO over SSH: paste the code";

const REFRESH_EXAMPLES: &str = "Examples:
  tokenctl refresh
  tokenctl --profile prod refresh -o json";

const EXCHANGE_EXAMPLES: &str = "Examples:
  tokenctl exchange-code --code \"$CODE\" --redirect-uri http://localhost:43121/callback
  printf %s \"$CODE\" | tokenctl exchange-code --code-stdin --redirect-uri https://acme.run.ai/oauth-code";

const APP_TOKEN_EXAMPLES: &str = "Examples:
  TOKENCTL_CLIENT_SECRET=... tokenctl --profile ci app-token --server https://acme.run.ai --client-id ci-bot -o token
  tokenctl --profile old app-token --api runai-2.19 --client-id ci-bot --app-name ci-bot --client-secret-stdin";

const TOKEN_EXAMPLES: &str = "Examples:
  export TOKEN=$(tokenctl token)
  curl -H \"$(tokenctl token -o header)\" https://acme.run.ai/api/v1/projects
  eval \"$(tokenctl token -o env --env-var RUNAI_TOKEN)\"
  tokenctl token --min-valid 10m        # renew unless at least 10 minutes are left";

const KUBECTL_CREDENTIAL_EXAMPLES: &str = "Examples (kubectl runs this; see `tokenctl kubeconfig`):
  tokenctl --profile prod kubectl-credential
  KUBERNETES_EXEC_INFO='{\"apiVersion\":\"client.authentication.k8s.io/v1beta1\",\"spec\":{\"interactive\":false}}' tokenctl kubectl-credential";

const KUBECONFIG_EXAMPLES: &str = "Examples:
  tokenctl --profile prod kubeconfig                       # print a users: entry
  tokenctl --profile prod kubeconfig --write --cluster prod-cluster
  kubectl --user tokenctl-prod get pods";

const LOGOUT_EXAMPLES: &str = "Examples:
  tokenctl logout
  tokenctl logout --all";

const STATUS_EXAMPLES: &str = "Examples:
  tokenctl status
  tokenctl status --all -o json";

const DOCTOR_EXAMPLES: &str = "Examples:
  tokenctl doctor
  tokenctl --profile prod doctor -o json
  tokenctl doctor --all || echo 'see the fix on each failing line'

Each line is `ok`, `warn` (advice; does not fail) or `fail`. Exit 0 when nothing fails, 1 otherwise.";

const GENERATE_EXAMPLES: &str = "Examples:
  tokenctl generate completions --dir completions
  tokenctl generate man --dir man";

#[cfg(test)]
mod tests {
    use super::*;

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
