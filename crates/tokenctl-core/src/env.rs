//! Every environment variable tokenctl reads or sets, named once, each with
//! its doc line. clap's `env =` attributes, every reader in the code and
//! the reference in docs/environment.md (`tokenctl generate env`) take
//! the names from here, so a variable is renamed, added or documented in
//! one place. No clap and nothing printed: the core library owns this.

/// The variables' names. Use `EnvVars::TOKENCTL_PROFILE`, never a literal.
pub struct EnvVars;

/// Who reads or sets a variable, which decides where it is documented.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Group {
    /// tokenctl's own: an option's value, a secret, or what `exec` sets.
    Own,
    /// Read by scripts/install.sh, not by tokenctl.
    Installer,
    /// Another program's variable tokenctl reads (or sets for a child).
    Foreign,
    /// Set by build.rs at compile time (CONTRIBUTING.md's, not the user's).
    Build,
    /// Only for the test suite (CONTRIBUTING.md's, not the user's).
    Test,
}

/// One variable: its name, what it does (the doc lines joined), its group.
#[derive(Debug, Clone, Copy)]
pub struct EnvVar {
    pub name: &'static str,
    pub doc: &'static str,
    pub group: Group,
}

impl EnvVar {
    /// The doc lines as one paragraph.
    pub fn doc_text(&self) -> String {
        self.doc
            .lines()
            .map(str::trim)
            .filter(|l| !l.is_empty())
            .collect::<Vec<_>>()
            .join(" ")
    }
}

/// `a == b`, in a const context.
const fn same(a: &str, b: &str) -> bool {
    let (a, b) = (a.as_bytes(), b.as_bytes());
    if a.len() != b.len() {
        return false;
    }
    let mut i = 0;
    while i < a.len() {
        if a[i] != b[i] {
            return false;
        }
        i += 1;
    }
    true
}

/// Declares each variable once: the constant on [`EnvVars`] (with its doc
/// comment) and its entry in [`all`] (with the same text, for the docs).
macro_rules! env_vars {
    ($( $group:ident { $( $(#[doc = $doc:literal])+ $name:ident = $value:literal; )* } )*) => {
        impl EnvVars {
            $( $(
                $(#[doc = $doc])+
                pub const $name: &'static str = $value;
            )* )*
        }

        // Each constant is named as its value, or the build fails.
        $( $(
            const _: () = assert!(
                same(stringify!($name), $value),
                concat!(stringify!($name), " must be named as its value")
            );
        )* )*

        /// Every variable, in the order the reference lists them. Built
        /// by code, not kept as a table of pointers: such a table would
        /// cost every start of the process a relocation per string
        /// (the hot path counts them; only `generate env` needs this).
        // vec![...] of constants would be that table.
        #[allow(clippy::vec_init_then_push)]
        pub fn all() -> Vec<EnvVar> {
            let mut all = Vec::new();
            $( $(
                all.push(EnvVar {
                    name: $value,
                    doc: concat!($($doc, "\n"),+),
                    group: Group::$group,
                });
            )* )*
            all
        }
    };
}

env_vars! {
    Own {
        /// The profile to use: a named server, API and identity from the
        /// config file (default `default`).
        TOKENCTL_PROFILE = "TOKENCTL_PROFILE";
        /// The config file (default `$XDG_CONFIG_HOME/tokenctl/config.toml`).
        TOKENCTL_CONFIG = "TOKENCTL_CONFIG";
        /// Where tokens are kept: `auto`, `keychain`, `kernel` or `file`.
        TOKENCTL_STORE = "TOKENCTL_STORE";
        /// What `token` prints (its `-o`); `status` and `doctor` take it only
        /// when it is `json`; the other commands ignore it.
        TOKENCTL_OUTPUT = "TOKENCTL_OUTPUT";
        /// The variable name of `-o env`'s line and the one `exec` gives the
        /// command the token in (default `TOKENCTL_TOKEN`).
        TOKENCTL_ENV_VAR = "TOKENCTL_ENV_VAR";
        /// Include the refresh token in `-o json`.
        TOKENCTL_SHOW_REFRESH_TOKEN = "TOKENCTL_SHOW_REFRESH_TOKEN";
        /// Connect timeout of server requests (default the profile's
        /// `connect_timeout`, else `10s`).
        TOKENCTL_CONNECT_TIMEOUT = "TOKENCTL_CONNECT_TIMEOUT";
        /// Timeout of a whole server request, retries included (default the
        /// profile's `request_timeout`, else `30s`).
        TOKENCTL_TIMEOUT = "TOKENCTL_TIMEOUT";
        /// The longest wait for one keychain call (default `5s`).
        TOKENCTL_KEYCHAIN_TIMEOUT = "TOKENCTL_KEYCHAIN_TIMEOUT";
        /// Print nothing on stderr but errors.
        TOKENCTL_QUIET = "TOKENCTL_QUIET";
        /// Colour and symbols on stderr: `auto`, `always` or `never`.
        TOKENCTL_COLOR = "TOKENCTL_COLOR";
        /// The server's base URL.
        TOKENCTL_SERVER = "TOKENCTL_SERVER";
        /// The token API the server speaks.
        TOKENCTL_API = "TOKENCTL_API";
        /// Allow plain `http://` to a host other than this machine.
        TOKENCTL_ALLOW_HTTP = "TOKENCTL_ALLOW_HTTP";
        /// Run:ai 2.19: the deprecated refresh, exchange and app-token endpoints.
        TOKENCTL_LEGACY_ENDPOINTS = "TOKENCTL_LEGACY_ENDPOINTS";
        /// Extra trusted CA certificates (PEM).
        TOKENCTL_CA_FILE = "TOKENCTL_CA_FILE";
        /// The user name to log in as.
        TOKENCTL_USERNAME = "TOKENCTL_USERNAME";
        /// The password (instead of `--password-stdin` or the prompt).
        TOKENCTL_PASSWORD = "TOKENCTL_PASSWORD";
        /// Where a CI login reads its external token: `github-actions`,
        /// `env:NAME` or `file:PATH`.
        TOKENCTL_EXTERNAL_TOKEN_FROM = "TOKENCTL_EXTERNAL_TOKEN_FROM";
        /// The audience asked of GitHub Actions for the external token.
        TOKENCTL_AUDIENCE = "TOKENCTL_AUDIENCE";
        /// Not read: an external token comes from `--external-token-stdin` or
        /// `--external-token-from env:NAME`. Removed, like the secret
        /// variables, from the environment of programs tokenctl starts.
        TOKENCTL_EXTERNAL_TOKEN = "TOKENCTL_EXTERNAL_TOKEN";
        /// The client id of a service account or access key.
        TOKENCTL_CLIENT_ID = "TOKENCTL_CLIENT_ID";
        /// The client secret of a service account or access key (instead of
        /// `--secret-file`, `--client-secret-stdin` or the prompt); also
        /// renews their tokens when no secret is kept.
        TOKENCTL_CLIENT_SECRET = "TOKENCTL_CLIENT_SECRET";
        /// The grant `app-token` uses.
        TOKENCTL_GRANT = "TOKENCTL_GRANT";
        /// Run:ai 2.19: the application name of `app-token`.
        TOKENCTL_APP_NAME = "TOKENCTL_APP_NAME";
        /// `refresh`: a refresh token to use instead of the stored one (or
        /// `--refresh-token-stdin`).
        TOKENCTL_REFRESH_TOKEN = "TOKENCTL_REFRESH_TOKEN";
        /// The authorization code to exchange (`exchange-code`, and the
        /// code a remote-browser login asks for).
        TOKENCTL_CODE = "TOKENCTL_CODE";
        /// The redirect URI the authorization code was issued for.
        TOKENCTL_REDIRECT_URI = "TOKENCTL_REDIRECT_URI";
        /// Renew first when the token has less than this left (default the
        /// profile's `min_valid`, else `60s`).
        TOKENCTL_MIN_VALID = "TOKENCTL_MIN_VALID";
        /// Log in again at the terminal when renewal is impossible.
        TOKENCTL_INTERACTIVE = "TOKENCTL_INTERACTIVE";
        /// The token kubectl gets: `access` or `id`.
        TOKENCTL_KUBE_TOKEN = "TOKENCTL_KUBE_TOKEN";
        /// How long to wait for another tokenctl renewing the same profile
        /// (default `30s`).
        TOKENCTL_LOCK_TIMEOUT = "TOKENCTL_LOCK_TIMEOUT";
        /// Also show what the stored tokens say (decoded, never the token).
        TOKENCTL_CLAIMS = "TOKENCTL_CLAIMS";
        /// The kubectl to run.
        TOKENCTL_KUBECTL = "TOKENCTL_KUBECTL";
        /// Set by `exec` for its command: the access token (the name is
        /// `--env-var`'s); the default name of `-o env`'s line. Removed from
        /// the environment of other programs tokenctl starts.
        TOKENCTL_TOKEN = "TOKENCTL_TOKEN";
        /// Set by `exec` for its command: the path of the 0600 file holding
        /// the access token, kept fresh while the command runs.
        TOKENCTL_TOKEN_FILE = "TOKENCTL_TOKEN_FILE";
        /// Set by `exec` for its command: the profiles whose `exec` it runs
        /// under, `:`-separated (a nested `exec` of the same profile is refused).
        TOKENCTL_EXEC_PROFILE = "TOKENCTL_EXEC_PROFILE";
        /// Set by the dynamic completion scripts (`bash`, `zsh`, ...) when
        /// they call tokenctl back; leave it unset otherwise.
        TOKENCTL_COMPLETE = "TOKENCTL_COMPLETE";
    }
    Installer {
        /// `scripts/install.sh`: where to download releases from (`--from`).
        TOKENCTL_INSTALL_URL = "TOKENCTL_INSTALL_URL";
        /// `scripts/install.sh`: the version to install (`--version`).
        TOKENCTL_VERSION = "TOKENCTL_VERSION";
    }
    Foreign {
        /// The proxy for server requests (read by the HTTP client);
        /// never used for a loopback server.
        HTTPS_PROXY = "HTTPS_PROXY";
        /// The proxy for plain-http server requests (read by the HTTP
        /// client); never used for a loopback server.
        HTTP_PROXY = "HTTP_PROXY";
        /// Hosts reached without the proxy (read by the HTTP client).
        NO_PROXY = "NO_PROXY";
        /// Set by kubectl for its credential plugin: the ExecCredential
        /// apiVersion and whether prompting is allowed.
        KUBERNETES_EXEC_INFO = "KUBERNETES_EXEC_INFO";
        /// Not read by tokenctl itself: the kubectl that `kubeconfig
        /// --write` and `doctor` run reads its kubeconfig from there.
        KUBECONFIG = "KUBECONFIG";
        /// The kuberc `doctor` and `kubeconfig` judge, as kubectl reads it
        /// (`off`: none).
        KUBERC = "KUBERC";
        /// kubectl's kuberc feature gate (`false`: no kuberc).
        KUBECTL_KUBERC = "KUBECTL_KUBERC";
        /// The browser `login --browser` starts (`none`: start nothing, as
        /// `--no-open`): commands separated by `:` (`;` on Windows), the
        /// first installed one used, `%s` where the URL goes (else last).
        BROWSER = "BROWSER";
        /// An SSH session: `login --browser` logs in with `--remote-browser`
        /// instead and suggests the `ssh -L` that would let a laptop's
        /// browser reach this machine.
        SSH_CONNECTION = "SSH_CONNECTION";
        /// Whether `login --browser` has a display to open a browser on (X11).
        DISPLAY = "DISPLAY";
        /// Whether `login --browser` has a display to open a browser on (Wayland).
        WAYLAND_DISPLAY = "WAYLAND_DISPLAY";
        /// The user name in the `ssh -L` command `login --browser` suggests.
        USER = "USER";
        /// Set by GitHub Actions: where `--external-token-from
        /// github-actions` requests the job's identity token.
        ACTIONS_ID_TOKEN_REQUEST_URL = "ACTIONS_ID_TOKEN_REQUEST_URL";
        /// Set by GitHub Actions: the bearer for that request.
        ACTIONS_ID_TOKEN_REQUEST_TOKEN = "ACTIONS_ID_TOKEN_REQUEST_TOKEN";
        /// The Run:ai CLI's config directory: `runai-config --dir` (default
        /// `~/.runai`); set by `exec --runai-config` for its command.
        RUNAI_CLI_CONFIG_PATH = "RUNAI_CLI_CONFIG_PATH";
        /// Any non-empty value: no colour with `--color auto`.
        NO_COLOR = "NO_COLOR";
        /// `dumb`: no colour with `--color auto`.
        TERM = "TERM";
        /// The home directory: `~/.runai`, `~/.kube/kuberc`, and the
        /// directories below when their variables are unset.
        HOME = "HOME";
        /// Where the config file lives (`tokenctl/config.toml` below it).
        XDG_CONFIG_HOME = "XDG_CONFIG_HOME";
        /// Where the file store, and the locks when the runtime directory
        /// cannot be used, live.
        XDG_STATE_HOME = "XDG_STATE_HOME";
        /// The per-user runtime directory: the token cache, the renewal
        /// locks and `exec`'s token files, when it is safe to use.
        XDG_RUNTIME_DIR = "XDG_RUNTIME_DIR";
        /// The D-Bus session the Linux keychain (Secret Service) is reached through.
        DBUS_SESSION_BUS_ADDRESS = "DBUS_SESSION_BUS_ADDRESS";
        /// Where programs are looked for: kubectl, the browser, `exec`'s command.
        PATH = "PATH";
        /// Windows: the extensions a `%BROWSER%` program found on `PATH` may
        /// have (as cmd tries them).
        PATHEXT = "PATHEXT";
    }
    Build {
        /// The full commit tokenctl was built from (`tokenctl version`).
        TOKENCTL_BUILD_COMMIT = "TOKENCTL_BUILD_COMMIT";
        /// The short commit in `--version`.
        TOKENCTL_BUILD_COMMIT_SHORT = "TOKENCTL_BUILD_COMMIT_SHORT";
        /// The target triple tokenctl was built for.
        TOKENCTL_BUILD_TARGET = "TOKENCTL_BUILD_TARGET";
        /// The build date.
        TOKENCTL_BUILD_DATE = "TOKENCTL_BUILD_DATE";
    }
    Test {
        /// Debug builds only: panic at start, so the suite can check the
        /// panic path.
        TOKENCTL_TEST_PANIC = "TOKENCTL_TEST_PANIC";
        /// Debug builds only: a file holding the seconds a test has moved
        /// the clock on (re-read at each use), so tests move time instead of
        /// waiting for a token to expire.
        TOKENCTL_TEST_CLOCK = "TOKENCTL_TEST_CLOCK";
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_name_is_its_constant_and_listed_once() {
        let mut seen = std::collections::BTreeSet::new();
        for var in all() {
            assert!(seen.insert(var.name), "{} is listed twice", var.name);
            assert!(!var.doc_text().is_empty(), "{} has no doc line", var.name);
            let own = matches!(
                var.group,
                Group::Own | Group::Installer | Group::Build | Group::Test
            );
            assert_eq!(
                var.name.starts_with("TOKENCTL_"),
                own,
                "{} is in the wrong group",
                var.name
            );
        }
        assert!(
            all()
                .iter()
                .filter(|v| v.group == Group::Build)
                .all(|v| v.name.starts_with("TOKENCTL_BUILD_"))
        );
        assert!(
            all()
                .iter()
                .filter(|v| v.group == Group::Test)
                .all(|v| v.name.starts_with("TOKENCTL_TEST_"))
        );
    }

    /// The installer's variables are the ones scripts/install.sh reads.
    #[test]
    fn installer_variables_are_the_installers() {
        let script = std::fs::read_to_string(
            std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../scripts/install.sh"),
        )
        .unwrap();
        let mut in_script = std::collections::BTreeSet::new();
        for (i, _) in script.match_indices("TOKENCTL_") {
            let name: String = script[i..]
                .chars()
                .take_while(|c| c.is_ascii_uppercase() || c.is_ascii_digit() || *c == '_')
                .collect();
            in_script.insert(name);
        }
        let listed: std::collections::BTreeSet<String> = all()
            .iter()
            .filter(|v| v.group == Group::Installer)
            .map(|v| v.name.to_string())
            .collect();
        assert_eq!(in_script, listed);
    }

    /// Every literal in src/ that is a whole `TOKENCTL_*` name lives in
    /// this module: readers and clap take the constants.
    #[test]
    fn names_are_spelled_only_here() {
        // This crate's code and the binary's (the workspace root's).
        let here = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
        let src = here.join("src");
        let mut stack = vec![src.clone(), here.join("../../src")];
        let mut offenders = Vec::new();
        while let Some(dir) = stack.pop() {
            for entry in std::fs::read_dir(&dir).unwrap() {
                let path = entry.unwrap().path();
                if path.is_dir() {
                    stack.push(path);
                    continue;
                }
                if path.ends_with("env.rs") && path.parent() == Some(src.as_path()) {
                    continue;
                }
                let text = std::fs::read_to_string(&path).unwrap();
                for (i, _) in text.match_indices("\"TOKENCTL_") {
                    // `env!` takes only a literal: the binary's build facts.
                    if text[..i].ends_with("env!(") {
                        continue;
                    }
                    let rest = &text[i + 1..];
                    let name: String = rest
                        .chars()
                        .take_while(|c| c.is_ascii_uppercase() || c.is_ascii_digit() || *c == '_')
                        .collect();
                    if rest[name.len()..].starts_with('"') {
                        offenders.push(format!("{}: {name}", path.display()));
                    }
                }
            }
        }
        assert!(
            offenders.is_empty(),
            "use EnvVars instead of these literals: {offenders:?}"
        );
    }
}
