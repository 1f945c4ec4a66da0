//! Profiles in `config.toml`: where to log in and as whom, never a secret.

use std::collections::BTreeMap;
use std::fmt;
use std::fs;
use std::path::{Path, PathBuf};

use serde::{Deserialize, Deserializer, Serialize};

use crate::atomic;
use crate::error::Error;
use crate::model::{ApiKind, StoreKind, TokenEndpoint};

mod edit;

/// The profile used when none is named (`--profile`'s default).
pub const DEFAULT_PROFILE: &str = "default";

/// Which token kubectl gets in the ExecCredential.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum KubeToken {
    /// The access token.
    #[default]
    Access,
    /// The id token, for clusters whose API server validates OIDC id tokens.
    Id,
}

impl KubeToken {
    pub fn name(self) -> &'static str {
        match self {
            Self::Access => "access",
            Self::Id => "id",
        }
    }
}

/// A server base URL, checked when read: http(s), a host, no query.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(transparent)]
pub struct ServerUrl(String);

/// `text` with the password of every `scheme://user:password@` in it
/// replaced by `***`, for messages that quote a URL the user gave. Textual,
/// so it works on URLs that do not parse and inside TOML excerpts; a path
/// holding `@` may be over-redacted, never under.
pub fn redact_userinfo(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(i) = rest.find("://") {
        let (head, tail) = rest.split_at(i + 3);
        out.push_str(head);
        // The URL ends at whitespace or a quote (TOML strings, backticks).
        let end = tail
            .find(|c: char| c.is_whitespace() || matches!(c, '"' | '\'' | '`' | '<' | '>'))
            .unwrap_or(tail.len());
        let (url, after) = tail.split_at(end);
        match url
            .rfind('@')
            .and_then(|at| url[..at].find(':').map(|c| (c, at)))
        {
            Some((colon, at)) => {
                out.push_str(&url[..=colon]);
                out.push_str("***");
                out.push_str(&url[at..]);
            }
            None => out.push_str(url),
        }
        rest = after;
    }
    out.push_str(rest);
    out
}

impl ServerUrl {
    /// Errors never quote a password from `input`.
    pub fn parse(input: &str) -> Result<Self, String> {
        Self::parse_raw(input).map_err(|e| redact_userinfo(&e))
    }

    fn parse_raw(input: &str) -> Result<Self, String> {
        // The input escaped, bounded and without a password, formatted only
        // when it is wrong (the config's URLs are parsed on every call).
        Self::check(input)
            .map_err(|why| format!("invalid server URL `{}`: {why}", shown_url(input)))
    }

    fn check(input: &str) -> Result<Self, String> {
        let url = url::Url::parse(input.trim())
            .map_err(|e| format!("{e}; use a URL such as https://<tenant>.run.ai"))?;
        if !matches!(url.scheme(), "http" | "https") {
            return Err("the scheme must be https (or http for a local or GBDS server)".into());
        }
        if url.host_str().is_none_or(str::is_empty) {
            return Err("it has no host name".into());
        }
        if url.query().is_some() || url.fragment().is_some() {
            return Err("drop the `?` or `#` part; give only the base URL".into());
        }
        if !url.username().is_empty() || url.password().is_some() {
            return Err(
                "it must not carry a user name or password; use --username and a password prompt instead"
                    .into(),
            );
        }
        Ok(Self(url.as_str().trim_end_matches('/').to_string()))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    pub fn url(&self) -> url::Url {
        url::Url::parse(&self.0).expect("validated when constructed")
    }
}

impl fmt::Display for ServerUrl {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl<'de> Deserialize<'de> for ServerUrl {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let raw = String::deserialize(d)?;
        ServerUrl::parse(&raw).map_err(serde::de::Error::custom)
    }
}

/// One named profile.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Profile {
    pub server: ServerUrl,
    pub api: ApiKind,
    /// `api = "runai"`: the Run:ai token endpoint the last login found
    /// (`v2`: `/api/v2/token`; `v1`: `/api/v1/token`, servers before 2.24),
    /// where renewals go without asking the server again. Written by every
    /// login; absent in profiles saved before tokenctl knew v2, which are v1.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub token_endpoint: Option<TokenEndpoint>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub username: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub client_id: Option<String>,
    /// Run:ai 2.19 legacy app token `name`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub app_name: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub store: Option<StoreKind>,
    /// Plain `http://` to a non-loopback host (GBDS documents one).
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub allow_http: bool,
    /// Run:ai 2.19: use the deprecated refresh, exchange and app-token
    /// endpoints, for control planes whose `/api/v1/token` lacks those grants.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub legacy_endpoints: bool,
    /// The token `kubectl-credential` sends [default: access].
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub kube_token: Option<KubeToken>,
    /// `tokenctl token` renews when the token has less than this left.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub min_valid: Option<HumanDuration>,
    /// May `tokenctl token` prompt for a password when renewal is impossible?
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub interactive: Option<bool>,
    /// Extra trusted CA certificates (PEM), e.g. a corporate CA.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ca_file: Option<std::path::PathBuf>,
    /// Turns TLS certificate checks off. Only settable here, never by a flag,
    /// and warned about on every use.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub insecure_skip_tls_verify: bool,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub connect_timeout: Option<HumanDuration>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub request_timeout: Option<HumanDuration>,
    /// Keep the access token (only) in a memory-backed per-user cache so
    /// `tokenctl token` skips the keychain [default: on for keychain profiles].
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cache: Option<bool>,
    /// Browser login: the identity provider's authorization endpoint
    /// [default: `<server origin>/auth/realms/runai/protocol/openid-connect/auth`].
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub auth_url: Option<WebUrl>,
    /// Browser login: the OIDC client [default: `runai-cli`]. Not `client_id`,
    /// which is the Run:ai application of `app-token`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub oidc_client_id: Option<String>,
    /// Browser login: scopes [default: `openid offline_access`].
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub oidc_scope: Option<String>,
    /// Browser login: loopback port of the callback [default: 43121; 0 = any free port].
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub callback_port: Option<u16>,
    /// Removed setting, read so that old files still load, warned about by
    /// [`Config::load`] and dropped the next time its profile is saved.
    #[serde(default, rename = "pkce", skip_serializing)]
    pub removed_pkce: Option<bool>,
    /// Browser login: how long to wait for the browser [default: 180s].
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub browser_timeout: Option<HumanDuration>,
    /// Remote-browser login: where the provider sends the code for the user
    /// to copy [default: `<server origin>/oauth-code`].
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub remote_redirect_uri: Option<WebUrl>,
    /// CI login: where `login --external-token-from` reads the external
    /// token (`github-actions`, `env:NAME`, `file:PATH`); renewal reads a
    /// fresh one from there. The token itself is never saved.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub external_token_from: Option<crate::model::ExternalSource>,
    /// CI login: the audience asked of GitHub Actions for that token.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub audience: Option<String>,
}

/// An http(s) URL of a web page (authorization endpoint, redirect URI),
/// checked when read: a host, no user info, no fragment.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(transparent)]
pub struct WebUrl(String);

impl WebUrl {
    /// Errors never quote a password from `input`.
    pub fn parse(input: &str) -> Result<Self, String> {
        Self::parse_raw(input).map_err(|e| redact_userinfo(&e))
    }

    fn parse_raw(input: &str) -> Result<Self, String> {
        Self::check(input).map_err(|why| format!("invalid URL `{}`: {why}", shown_url(input)))
    }

    fn check(input: &str) -> Result<Self, String> {
        let url =
            url::Url::parse(input.trim()).map_err(|e| format!("{e}; give a full https:// URL"))?;
        if !matches!(url.scheme(), "http" | "https") {
            return Err("the scheme must be https".into());
        }
        if url.host_str().is_none_or(str::is_empty) {
            return Err("it has no host name".into());
        }
        if url.fragment().is_some() {
            return Err("drop the `#` part".into());
        }
        if !url.username().is_empty() || url.password().is_some() {
            return Err("it must not carry a user name or password".into());
        }
        Ok(Self(url.to_string()))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    pub fn url(&self) -> url::Url {
        url::Url::parse(&self.0).expect("validated when constructed")
    }
}

impl fmt::Display for WebUrl {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl<'de> Deserialize<'de> for WebUrl {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let raw = String::deserialize(d)?;
        WebUrl::parse(&raw).map_err(serde::de::Error::custom)
    }
}

/// A duration written for people: `90s`, `2m`, `1h 30m`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct HumanDuration(pub std::time::Duration);

impl HumanDuration {
    pub fn parse(input: &str) -> Result<Self, String> {
        humantime::parse_duration(input.trim())
            .map(Self)
            .map_err(|e| {
                format!(
                    "invalid duration `{}`: {}; write it like 90s, 2m or 1h 30m",
                    crate::text::shown(input),
                    crate::text::shown(e.to_string())
                )
            })
    }
}

impl Serialize for HumanDuration {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&humantime::format_duration(self.0).to_string())
    }
}

impl<'de> Deserialize<'de> for HumanDuration {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let raw = String::deserialize(d)?;
        HumanDuration::parse(&raw).map_err(serde::de::Error::custom)
    }
}

impl Profile {
    pub fn new(server: ServerUrl, api: ApiKind) -> Self {
        Self {
            server,
            api,
            token_endpoint: None,
            username: None,
            client_id: None,
            app_name: None,
            store: None,
            allow_http: false,
            legacy_endpoints: false,
            kube_token: None,
            min_valid: None,
            interactive: None,
            ca_file: None,
            insecure_skip_tls_verify: false,
            connect_timeout: None,
            request_timeout: None,
            cache: None,
            auth_url: None,
            oidc_client_id: None,
            oidc_scope: None,
            callback_port: None,
            removed_pkce: None,
            browser_timeout: None,
            remote_redirect_uri: None,
            external_token_from: None,
            audience: None,
        }
    }

    /// The Run:ai token endpoint this profile's tokens come from: the pinned
    /// one, else (`runai`) the one its login found, else v1 (a profile from
    /// before tokenctl knew v2). `None` for GBDS.
    pub fn endpoint(&self) -> Option<TokenEndpoint> {
        match self.api {
            ApiKind::Runai => Some(self.token_endpoint.unwrap_or(TokenEndpoint::V1)),
            other => other.pinned_endpoint(),
        }
    }

    /// Who the stored tokens belong to: part of the store key, so a profile
    /// pointed at another user never reads the previous user's tokens.
    pub fn principal(&self) -> &str {
        self.username
            .as_deref()
            .or(self.client_id.as_deref())
            .unwrap_or("-")
    }
}

/// The whole file.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ConfigFile {
    #[serde(default)]
    pub profiles: BTreeMap<String, Profile>,
}

/// The loaded config and where it lives.
#[derive(Debug, Clone)]
pub struct Config {
    pub path: PathBuf,
    pub file: ConfigFile,
}

pub fn default_path() -> Option<PathBuf> {
    crate::paths::config_home().map(|d| d.join("tokenctl").join("config.toml"))
}

impl Config {
    /// Reads the config; a missing file is an empty config.
    pub fn load(path: Option<&Path>) -> Result<Self, Error> {
        let path = match path {
            Some(p) => p.to_path_buf(),
            None => default_path().ok_or_else(|| {
                Error::usage("cannot find a config directory for this user: set TOKENCTL_CONFIG or pass --config FILE")
            })?,
        };
        let text = match fs::read_to_string(&path) {
            Ok(text) => text,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
                return Ok(Self {
                    path,
                    file: ConfigFile::default(),
                });
            }
            Err(e) => {
                return Err(Error::usage(format!(
                    "cannot read config file {}: {e}; fix its permissions or point --config elsewhere",
                    crate::text::shown(&path)
                )));
            }
        };
        let file = parse(&text).map_err(|msg| {
            Error::usage(format!(
                "invalid config file {}:\n{msg}",
                crate::text::shown(&path)
            ))
            .with_hint("fix that line (every key is in tokenctl's docs/configuration.md), or remove the profile and run `tokenctl login --server URL` to write it again")
        })?;
        for name in file.profiles.keys() {
            check_profile_name(name).map_err(|msg| {
                Error::usage(format!(
                    "invalid config file {}: {msg}",
                    crate::text::shown(&path)
                ))
            })?;
        }
        if let Some(msg) = removed_pkce_warning(&file, &path) {
            static ONCE: std::sync::Once = std::sync::Once::new();
            ONCE.call_once(|| crate::ui::warn(msg));
        }
        Ok(Self { path, file })
    }

    pub fn profile(&self, name: &str) -> Option<&Profile> {
        self.file.profiles.get(name)
    }

    /// Sets (or, with `None`, removes) one profile in the file at `path`:
    /// under the config lock, re-read, change that profile's keys only, in
    /// place (the user's comments, layout and other profiles keep their
    /// bytes: [`edit`]), write atomically. Concurrent commands that change
    /// other profiles all keep their change; a symlinked config is written
    /// through to its target. Returns the profile as it was before, read
    /// under the lock.
    pub fn set_profile(
        path: &Path,
        name: &str,
        profile: Option<&Profile>,
    ) -> Result<Option<Profile>, Error> {
        let fail = |e: std::io::Error| {
            Error::usage(format!(
                "cannot write config file {}: {e}",
                crate::text::shown(path)
            ))
            .with_hint("check the directory's permissions or use --config FILE")
        };
        let dir = path
            .parent()
            .filter(|d| !d.as_os_str().is_empty())
            .unwrap_or(Path::new("."));
        create_config_dir(dir).map_err(fail)?;
        let _lock = crate::lock::config_lock(path, CONFIG_LOCK_WAIT)?;
        // Checked first: a file tokenctl cannot read is refused, not rewritten.
        let current = Self::load(Some(path))?;
        let text = match fs::read_to_string(path) {
            Ok(text) => text,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => String::new(),
            Err(e) => return Err(fail(e)),
        };
        let changed = |why: &str| {
            Error::usage(format!(
                "cannot update config file {}: {why}",
                crate::text::shown(path)
            ))
            .with_hint("run the command again; if it fails again, edit the file by hand (every key is in tokenctl's docs/configuration.md)")
        };
        // What the edit starts from is the text just read, which must be
        // what was checked (another editor may have saved in between).
        if parse(&text).ok().as_ref() != Some(&current.file) {
            return Err(changed("it changed while tokenctl was reading it"));
        }
        let previous = current.file.profiles.get(name).cloned();
        if previous.as_ref() == profile {
            return Ok(previous);
        }
        let new_text =
            edit::set_profile(&text, name, previous.as_ref(), profile).map_err(|e| changed(&e))?;
        // The edit must mean exactly this profile changed; else nothing is written.
        let mut expected = current.file.clone();
        match profile {
            Some(p) => {
                let mut p = p.clone();
                p.removed_pkce = None;
                expected.profiles.insert(name.to_string(), p);
            }
            None => {
                expected.profiles.remove(name);
            }
        }
        if parse(&new_text).ok() != Some(expected) {
            return Err(changed(
                "an in-place edit of its layout would change more than this profile",
            ));
        }
        atomic::replace(path, new_text.as_bytes(), CONFIG_WRITE).map_err(fail)?;
        Ok(previous)
    }
}

/// How long a config write waits for another one.
const CONFIG_LOCK_WAIT: std::time::Duration = std::time::Duration::from_secs(30);

/// How the config is written (crate::atomic): it keeps the mode the user
/// gave it, and a symbolic link at its path (a dotfile manager's) is
/// written through to its target and kept.
const CONFIG_WRITE: atomic::How = atomic::How {
    mode: atomic::Mode::Keep,
    links: atomic::Links::Follow,
    durable: true,
};

/// `pkce = true` used to add a PKCE challenge to browser logins. Run:ai's
/// code exchange cannot carry the verifier, so a provider that enforces PKCE
/// refused every such login; the key is now read and ignored.
fn removed_pkce_warning(file: &ConfigFile, path: &Path) -> Option<String> {
    let names: Vec<&str> = file
        .profiles
        .iter()
        .filter(|(_, p)| p.removed_pkce == Some(true))
        .map(|(n, _)| n.as_str())
        .collect();
    (!names.is_empty()).then(|| {
        format!(
            "ignoring `pkce = true` in {} (profile {}): Run:ai's code exchange has no field for a PKCE verifier, so an identity provider that enforces PKCE would refuse the code; delete the line (tokenctl drops it the next time it saves the profile)",
            crate::text::shown(path),
            names.join(", ")
        )
    })
}

/// Parses config text; the error names the line and says what is wrong.
pub fn parse(text: &str) -> Result<ConfigFile, String> {
    // The error quotes the offending line, which may hold a URL's password
    // and anything a terminal would act on: each line redacted, escaped
    // and bounded.
    toml::from_str(text).map_err(|e| {
        e.to_string()
            .trim_end()
            .lines()
            .map(|line| crate::text::shown(redact_userinfo(line)))
            .collect::<Vec<_>>()
            .join("\n")
    })
}

/// A URL given by the user, for a message: its password hidden, escaped
/// and bounded.
fn shown_url(input: &str) -> String {
    crate::text::shown(redact_userinfo(input))
}

/// Profile names become file names and keychain keys: keep them plain.
pub fn check_profile_name(name: &str) -> Result<(), String> {
    let ok = !name.is_empty()
        && name.len() <= 64
        && name
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || "._-".contains(c))
        && !name.starts_with('.');
    if ok {
        Ok(())
    } else {
        Err(format!(
            "invalid profile name `{}`: use up to 64 letters, digits, `.`, `_` or `-`, not starting with `.`",
            crate::text::shown(name)
        ))
    }
}

/// The config file's directory: tokenctl's own (`…/tokenctl`) is created
/// 0700 like its other directories; the ones above it, and a directory
/// named with `--config`, are created with the user's umask or left as
/// they are.
fn create_config_dir(dir: &Path) -> std::io::Result<()> {
    if dir.is_dir() {
        return Ok(());
    }
    if dir.file_name() != Some(std::ffi::OsStr::new("tokenctl")) {
        return fs::create_dir_all(dir);
    }
    if let Some(parent) = dir.parent().filter(|p| !p.as_os_str().is_empty()) {
        fs::create_dir_all(parent)?;
    }
    #[cfg_attr(not(unix), allow(unused_mut))]
    let mut builder = fs::DirBuilder::new();
    #[cfg(unix)]
    std::os::unix::fs::DirBuilderExt::mode(&mut builder, 0o700);
    match builder.create(dir) {
        Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => Ok(()),
        other => other,
    }
}

#[cfg(test)]
mod tests {

    #[test]
    fn userinfo_is_redacted_wherever_it_is_quoted() {
        let r = redact_userinfo;
        assert_eq!(r("https://user:pass@host"), "https://user:***@host");
        assert_eq!(
            r("`https://u:p@h/x` and http://a:b@c"),
            "`https://u:***@h/x` and http://a:***@c"
        );
        assert_eq!(
            r("server = \"https://u:p/w@h\""),
            "server = \"https://u:***@h\""
        );
        assert_eq!(r("https://user@host"), "https://user@host");
        assert_eq!(r("https://host/path"), "https://host/path");
        let err = ServerUrl::parse("https://user:s3cret@host").unwrap_err();
        assert!(
            err.contains("https://user:***@host") && !err.contains("s3cret"),
            "{err}"
        );
        let err = ServerUrl::parse("https://user:s3cret@").unwrap_err();
        assert!(!err.contains("s3cret"), "{err}");
    }

    use super::*;

    #[test]
    fn parses_a_profile() {
        let cfg = parse(
            "[profiles.default]\nserver = \"https://acme.run.ai/\"\napi = \"runai\"\nusername = \"alice\"\n",
        )
        .unwrap();
        let p = &cfg.profiles["default"];
        assert_eq!(p.server.as_str(), "https://acme.run.ai");
        assert_eq!(p.api, ApiKind::Runai);
        assert_eq!(p.principal(), "alice");
    }

    #[test]
    fn unknown_key_names_the_line() {
        let err = parse("[profiles.x]\nserver = \"https://a\"\napi = \"gbds\"\nsever = \"x\"\n")
            .unwrap_err();
        assert!(err.contains("line 4"), "{err}");
        assert!(err.contains("unknown field `sever`"), "{err}");
    }

    #[test]
    fn bad_flavour_and_url_are_explained() {
        let err = parse("[profiles.x]\nserver = \"https://a\"\napi = \"runai-3\"\n").unwrap_err();
        assert!(
            err.contains("line 3") && err.contains("runai-2.19"),
            "{err}"
        );
        let err = parse("[profiles.x]\nserver = \"ftp://a\"\napi = \"gbds\"\n").unwrap_err();
        assert!(
            err.contains("line 2") && err.contains("scheme must be https"),
            "{err}"
        );
    }

    #[test]
    fn durations_in_config() {
        let cfg = parse("[profiles.x]\nserver = \"https://a\"\napi = \"runai\"\nmin_valid = \"2m\"\ninteractive = true\n")
            .unwrap();
        let p = &cfg.profiles["x"];
        assert_eq!(
            p.min_valid,
            Some(HumanDuration(std::time::Duration::from_secs(120)))
        );
        assert_eq!(p.interactive, Some(true));
        let err =
            parse("[profiles.x]\nserver = \"https://a\"\napi = \"runai\"\nmin_valid = \"soon\"\n")
                .unwrap_err();
        assert!(err.contains("line 4") && err.contains("90s"), "{err}");
    }

    #[test]
    fn browser_login_keys() {
        let cfg = parse(
            "[profiles.x]\nserver = \"https://acme.run.ai\"\napi = \"runai\"\nauth_url = \"https://idp.acme.com/auth/realms/acme/protocol/openid-connect/auth\"\noidc_client_id = \"cli\"\ncallback_port = 0\npkce = true\nbrowser_timeout = \"5m\"\nremote_redirect_uri = \"https://acme.run.ai/oauth-code\"\n",
        )
        .unwrap();
        let p = &cfg.profiles["x"];
        assert_eq!(p.callback_port, Some(0));
        assert_eq!(p.oidc_client_id.as_deref(), Some("cli"));
        assert_eq!(
            p.browser_timeout,
            Some(HumanDuration(std::time::Duration::from_secs(300)))
        );
        let err = parse(
            "[profiles.x]\nserver = \"https://a\"\napi = \"runai\"\nauth_url = \"https://a/#x\"\n",
        )
        .unwrap_err();
        assert!(err.contains("line 4") && err.contains("`#`"), "{err}");
        let err =
            parse("[profiles.x]\nserver = \"https://a\"\napi = \"runai\"\ncallback_port = 70000\n")
                .unwrap_err();
        assert!(err.contains("line 4"), "{err}");
    }

    #[test]
    fn removed_pkce_key_loads_warns_and_is_dropped_on_save() {
        let cfg = parse(
            "[profiles.x]\nserver = \"https://a\"\napi = \"runai\"\npkce = true\n[profiles.y]\nserver = \"https://b\"\napi = \"runai\"\npkce = false\n",
        )
        .unwrap();
        let msg = removed_pkce_warning(&cfg, Path::new("c.toml")).expect("a warning");
        assert!(
            msg.contains("ignoring `pkce = true` in c.toml (profile x)")
                && msg.contains("no field for a PKCE verifier")
                && msg.contains("delete the line"),
            "{msg}"
        );
        let saved = toml::to_string_pretty(&cfg).unwrap();
        assert!(!saved.contains("pkce"), "{saved}");
        let mut off = cfg.clone();
        off.profiles.remove("x");
        assert_eq!(removed_pkce_warning(&off, Path::new("c.toml")), None);
    }

    #[test]
    fn server_url_rules() {
        assert!(ServerUrl::parse("https://u:p@host").is_err());
        assert!(ServerUrl::parse("https://host/?x=1").is_err());
        assert!(ServerUrl::parse("not a url").is_err());
        assert_eq!(
            ServerUrl::parse("http://10.0.0.5:8085/gbds/v2/")
                .unwrap()
                .as_str(),
            "http://10.0.0.5:8085/gbds/v2"
        );
    }

    #[test]
    fn profile_names() {
        assert!(check_profile_name("prod-eu.1").is_ok());
        assert!(check_profile_name("../x").is_err());
        assert!(check_profile_name("").is_err());
        assert!(check_profile_name(".hidden").is_err());
    }

    #[test]
    fn token_endpoint_is_remembered_and_old_runai_profiles_are_v1() {
        let cfg = parse(
            "[profiles.old]\nserver = \"https://a\"\napi = \"runai\"\n[profiles.new]\nserver = \"https://a\"\napi = \"runai\"\ntoken_endpoint = \"v2\"\n[profiles.o2]\nserver = \"https://a\"\napi = \"runai-oauth2\"\n[profiles.g]\nserver = \"https://a\"\napi = \"gbds\"\n",
        )
        .unwrap();
        let p = |n: &str| &cfg.profiles[n];
        assert_eq!(p("old").token_endpoint, None);
        assert_eq!(p("old").endpoint(), Some(TokenEndpoint::V1));
        assert_eq!(p("new").endpoint(), Some(TokenEndpoint::V2));
        assert_eq!(p("o2").api, ApiKind::RunaiV2);
        assert_eq!(p("o2").endpoint(), Some(TokenEndpoint::V2));
        assert_eq!(p("g").endpoint(), None);
        let text = toml::to_string_pretty(&cfg).unwrap();
        assert!(text.contains("token_endpoint = \"v2\""), "{text}");
        assert_eq!(parse(&text).unwrap(), cfg);
        let err = parse(
            "[profiles.x]\nserver = \"https://a\"\napi = \"runai\"\ntoken_endpoint = \"v3\"\n",
        )
        .unwrap_err();
        assert!(err.contains("line 4") && err.contains("v1"), "{err}");
    }

    #[test]
    fn round_trips_through_toml() {
        let mut file = ConfigFile::default();
        let mut p = Profile::new(
            ServerUrl::parse("http://127.0.0.1:9/gbds/v2").unwrap(),
            ApiKind::Gbds,
        );
        p.allow_http = true;
        p.store = Some(StoreKind::File);
        file.profiles.insert("g".into(), p);
        let text = toml::to_string_pretty(&file).unwrap();
        assert_eq!(parse(&text).unwrap(), file);
    }
}
