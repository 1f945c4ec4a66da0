//! Everything tokenctl prints on stdout, in one place.

use serde::Serialize;

use crate::api::parse;
use crate::config::KubeToken;
use crate::error::Error;
use crate::text;
use crate::token::{self, TokenSet};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum OutputFormat {
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

impl OutputFormat {
    /// The `-o` value that selects it.
    pub fn name(self) -> &'static str {
        match self {
            Self::Token => "token",
            Self::Header => "header",
            Self::Env => "env",
            Self::Json => "json",
            Self::ExecCredential => "exec-credential",
        }
    }
}

/// What a token rendering needs besides the tokens.
pub struct TokenView<'a> {
    pub profile: &'a str,
    pub env_var: &'a str,
    pub show_refresh_token: bool,
    /// Full `client.authentication.k8s.io/...` apiVersion for `exec-credential`.
    pub exec_api_version: &'a str,
    /// The token `exec-credential` carries.
    pub kube_token: KubeToken,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct ExecCredential<'a> {
    api_version: &'a str,
    kind: &'static str,
    status: ExecStatus<'a>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct ExecStatus<'a> {
    token: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    expiration_timestamp: Option<String>,
}

#[derive(Serialize)]
struct TokenJson<'a> {
    profile: &'a str,
    token_type: &'static str,
    access_token: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    id_token: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    refresh_token: Option<&'a str>,
    expires_at: Option<String>,
}

/// The text for stdout, newline included. Tokens are checked again here:
/// one from a hand-edited store must not put a control character (or a
/// second header line) on stdout either.
pub fn render_tokens(
    format: OutputFormat,
    view: &TokenView<'_>,
    tokens: &TokenSet,
) -> Result<String, Error> {
    check_printable(view.profile, tokens)?;
    let access = tokens.access_token.expose();
    Ok(match format {
        OutputFormat::Token => format!("{access}\n"),
        OutputFormat::Header => format!("Authorization: Bearer {access}\n"),
        OutputFormat::Env => {
            check_env_var(view.env_var)?;
            format!("export {}={}\n", view.env_var, shell_quote(access))
        }
        OutputFormat::Json => {
            let json = TokenJson {
                profile: view.profile,
                token_type: "Bearer",
                access_token: access,
                id_token: tokens.id_token.as_ref().map(|t| t.expose()),
                refresh_token: tokens
                    .refresh_token
                    .as_ref()
                    .filter(|_| view.show_refresh_token)
                    .map(|t| t.expose()),
                expires_at: tokens.expires_at.map(token::rfc3339),
            };
            let mut text = serde_json::to_string_pretty(&json).expect("json serializes");
            text.push('\n');
            text
        }
        OutputFormat::ExecCredential => {
            let (token, expires_at) = kube_token(view, tokens)?;
            let cred = ExecCredential {
                api_version: view.exec_api_version,
                kind: "ExecCredential",
                status: ExecStatus {
                    token,
                    expiration_timestamp: expires_at.map(token::rfc3339),
                },
            };
            let mut text = serde_json::to_string(&cred).expect("json serializes");
            text.push('\n');
            text
        }
    })
}

/// The token kubectl gets and when kubectl must ask again: for the id
/// token, whichever of its own `exp` and the access token's expiry is first.
fn kube_token<'t>(
    view: &TokenView<'_>,
    tokens: &'t TokenSet,
) -> Result<(&'t str, Option<u64>), Error> {
    match view.kube_token {
        KubeToken::Access => Ok((tokens.access_token.expose(), tokens.expires_at)),
        KubeToken::Id => {
            let id = tokens.id_token.as_ref().ok_or_else(|| {
                Error::credentials(format!(
                    "profile `{}` has no id token to give kubectl (kube_token = id)",
                    text::printable(view.profile)
                ))
                .with_hint("log in with a password or in the browser (SSO), which yield an id token (service-account and access-key tokens have none), or use --kube-token access")
            })?;
            let id_exp = token::jwt_expiry(id.expose());
            let expires = match (id_exp, tokens.expires_at) {
                (Some(a), Some(b)) => Some(a.min(b)),
                (a, b) => a.or(b),
            };
            Ok((id.expose(), expires))
        }
    }
}

/// The same token rules as answers get (`api::parse`), for stored tokens.
fn check_printable(profile: &str, tokens: &TokenSet) -> Result<(), Error> {
    let refresh = tokens.refresh_token.as_ref();
    parse::check_tokens(&tokens.access_token, tokens.id_token.as_ref(), refresh).map_err(|why| {
        Error::store(format!(
            "the stored tokens of profile `{}` are not usable: {why}; log out and log in again",
            text::printable(profile)
        ))
    })
}

pub fn check_env_var(name: &str) -> Result<(), Error> {
    let mut chars = name.chars();
    let ok = chars
        .next()
        .is_some_and(|c| c.is_ascii_alphabetic() || c == '_')
        && chars.all(|c| c.is_ascii_alphanumeric() || c == '_');
    if ok {
        Ok(())
    } else {
        Err(Error::usage(format!(
            "invalid --env-var `{}`: use letters, digits and `_`, not starting with a digit",
            crate::text::shown(name)
        )))
    }
}

/// POSIX single quotes; a `'` inside becomes `'\''`.
fn shell_quote(value: &str) -> String {
    format!("'{}'", value.replace('\'', r"'\''"))
}

/// One profile as `status` shows it. Never holds a token.
#[derive(Debug, Serialize)]
pub struct ProfileStatus {
    pub profile: String,
    pub current: bool,
    pub server: String,
    pub api: String,
    /// Run:ai: the token endpoint the profile's grants go to, and why.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub endpoint: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub user: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub client_id: Option<String>,
    pub store: String,
    pub logged_in: bool,
    /// Not logged in although a login was stored: why the store lost it.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub lost: Option<String>,
    pub expires_at: Option<String>,
    pub seconds_left: Option<i64>,
    pub can_renew: bool,
    /// How a silent renewal would work ("refresh token", "saved client secret", ...).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub renew_with: Option<String>,
    /// When it cannot renew silently: the command that gets new tokens.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub renew_by: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub problem: Option<String>,
    /// `--claims`: what the stored access and id tokens say, decoded.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub claims: Option<Vec<crate::claims::Claims>>,
}

pub fn render_status(
    format: Option<OutputFormat>,
    entries: &[ProfileStatus],
) -> Result<String, Error> {
    let cleaned: Vec<ProfileStatus> = entries.iter().map(ProfileStatus::printable).collect();
    let entries = &cleaned[..];
    match format {
        Some(OutputFormat::Json) => {
            let mut text = serde_json::to_string_pretty(entries).expect("json serializes");
            text.push('\n');
            Ok(text)
        }
        None => Ok(entries
            .iter()
            .map(status_text)
            .collect::<Vec<_>>()
            .join("\n")),
        Some(other) => Err(Error::usage(format!(
            "`status` prints text or `-o json`, not `-o {}`",
            other.name()
        ))),
    }
}

impl ProfileStatus {
    /// A copy with control characters removed from every text (a stored
    /// record or config can be edited by hand); the names the config gives
    /// (user, client) escaped and bounded as every value from outside is.
    fn printable(&self) -> ProfileStatus {
        let text = |s: &String| text::printable(s);
        let value = |s: &String| text::shown(s);
        ProfileStatus {
            profile: text(&self.profile),
            current: self.current,
            server: text(&self.server),
            api: text(&self.api),
            endpoint: self.endpoint.as_ref().map(text),
            user: self.user.as_ref().map(value),
            client_id: self.client_id.as_ref().map(value),
            store: text(&self.store),
            logged_in: self.logged_in,
            lost: self.lost.clone(),
            expires_at: self.expires_at.as_ref().map(text),
            seconds_left: self.seconds_left,
            can_renew: self.can_renew,
            renew_with: self.renew_with.as_ref().map(text),
            renew_by: self.renew_by.as_ref().map(text),
            // Claims are cleaned when decoded (`claims::decode`).
            claims: self.claims.clone(),
            problem: self.problem.as_ref().map(text),
        }
    }
}

fn status_text(s: &ProfileStatus) -> String {
    let mut out = format!(
        "{}{}\n",
        s.profile,
        if s.current { " (current)" } else { "" }
    );
    let mut line = |k: &str, v: &str| out.push_str(&format!("  {k:<9} {v}\n"));
    line("server:", &s.server);
    line("api:", &s.api);
    if let Some(endpoint) = &s.endpoint {
        line("endpoint:", endpoint);
    }
    if let Some(user) = &s.user {
        line("user:", user);
    }
    if let Some(id) = &s.client_id {
        line("client:", id);
    }
    line("store:", &s.store);
    let token = if let Some(problem) = &s.problem {
        problem.clone()
    } else if !s.logged_in {
        match &s.lost {
            Some(why) => format!("not logged in ({why})"),
            None => "not logged in".to_string(),
        }
    } else {
        match (&s.expires_at, s.seconds_left) {
            (Some(at), Some(left)) if left > 0 => {
                format!("valid, expires {at} ({})", token::describe_left(left))
            }
            (Some(at), Some(left)) => format!("expired at {at} ({})", token::describe_left(left)),
            _ => "present, expiry unknown".to_string(),
        }
    };
    line("token:", &token);
    if s.logged_in {
        let renewal = match (&s.renew_with, s.can_renew) {
            (Some(how), true) => format!("silent ({how})"),
            (None, true) => "silent".to_string(),
            _ => match &s.renew_by {
                Some(cmd) => format!("needs `{cmd}`"),
                None => "needs a new login".to_string(),
            },
        };
        line("renewal:", &renewal);
    }
    for claims in s.claims.iter().flatten() {
        out.push_str(&claims.text());
    }
    out
}

/// Writes to stdout. A closed pipe (`tokenctl token | head -c0`) is not an error.
pub fn print(text: &str) -> std::io::Result<()> {
    use std::io::Write;
    let mut out = std::io::stdout().lock();
    match out.write_all(text.as_bytes()).and_then(|()| out.flush()) {
        Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => Ok(()),
        other => other,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::secret::Secret;

    fn tokens() -> TokenSet {
        let mut t = crate::token::sample(0, Some(0));
        t.access_token = Secret::new("a.b-c_d~e+f/g==");
        t.id_token = Some(Secret::new("id"));
        t.refresh_token = Some(Secret::new("ref"));
        t
    }

    fn view(show: bool) -> TokenView<'static> {
        TokenView {
            profile: "p",
            env_var: "TOK",
            show_refresh_token: show,
            exec_api_version: "client.authentication.k8s.io/v1",
            kube_token: KubeToken::Access,
        }
    }

    #[test]
    fn formats() {
        let t = tokens();
        assert_eq!(
            render_tokens(OutputFormat::Token, &view(false), &t).unwrap(),
            "a.b-c_d~e+f/g==\n"
        );
        assert_eq!(
            render_tokens(OutputFormat::Header, &view(false), &t).unwrap(),
            "Authorization: Bearer a.b-c_d~e+f/g==\n"
        );
        assert_eq!(
            render_tokens(OutputFormat::Env, &view(false), &t).unwrap(),
            "export TOK='a.b-c_d~e+f/g=='\n"
        );
        let json: serde_json::Value =
            serde_json::from_str(&render_tokens(OutputFormat::Json, &view(false), &t).unwrap())
                .unwrap();
        assert_eq!(json["access_token"], "a.b-c_d~e+f/g==");
        assert_eq!(json["expires_at"], "1970-01-01T00:00:00Z");
        assert!(json.get("refresh_token").is_none());
        let json: serde_json::Value =
            serde_json::from_str(&render_tokens(OutputFormat::Json, &view(true), &t).unwrap())
                .unwrap();
        assert_eq!(json["refresh_token"], "ref");
    }

    #[test]
    fn exec_credential() {
        let json: serde_json::Value = serde_json::from_str(
            &render_tokens(OutputFormat::ExecCredential, &view(false), &tokens()).unwrap(),
        )
        .unwrap();
        assert_eq!(
            json,
            serde_json::json!({
                "apiVersion": "client.authentication.k8s.io/v1",
                "kind": "ExecCredential",
                "status": {"token": "a.b-c_d~e+f/g==", "expirationTimestamp": "1970-01-01T00:00:00Z"}
            })
        );
        let mut t = tokens();
        t.expires_at = None;
        let json: serde_json::Value = serde_json::from_str(
            &render_tokens(OutputFormat::ExecCredential, &view(false), &t).unwrap(),
        )
        .unwrap();
        assert!(
            json["status"].get("expirationTimestamp").is_none(),
            "omitted when unknown"
        );
    }

    #[test]
    fn quotes_for_the_shell() {
        assert_eq!(shell_quote("acc'ess"), "'acc'\\''ess'");
    }

    #[test]
    fn refuses_stored_tokens_that_are_not_printable() {
        for (field, bad) in [
            ("access", "abc\r\nX-Injected: yes"),
            ("access", "a\u{1b}[31mred"),
            ("access", "a\0b"),
            ("access", "tok en"),
            ("access", ""),
            ("id", "i\nd"),
            ("refresh", "r\u{7f}"),
        ] {
            let mut t = tokens();
            let secret = Some(Secret::new(bad));
            match field {
                "access" => t.access_token = Secret::new(bad),
                "id" => t.id_token = secret,
                _ => t.refresh_token = secret,
            }
            for format in [
                OutputFormat::Token,
                OutputFormat::Header,
                OutputFormat::Env,
                OutputFormat::Json,
                OutputFormat::ExecCredential,
            ] {
                let err = render_tokens(format, &view(true), &t).unwrap_err();
                assert_eq!(err.code(), crate::error::Exit::Store, "{field} {bad:?}");
                let text = err.to_string();
                assert!(text.contains("log in again"), "{text}");
                assert!(bad.is_empty() || !text.contains(bad), "{text}");
            }
        }
    }

    #[test]
    fn far_expiry_renders() {
        let mut t = tokens();
        t.expires_at = Some(u64::MAX);
        let out = render_tokens(OutputFormat::ExecCredential, &view(false), &t).unwrap();
        assert!(out.contains("9999-12-31T23:59:59Z"), "{out}");
        let out = render_tokens(OutputFormat::Json, &view(false), &t).unwrap();
        assert!(out.contains("9999-12-31T23:59:59Z"), "{out}");
    }

    #[test]
    fn status_has_no_control_characters() {
        let s = ProfileStatus {
            profile: "p\u{1b}[2J".into(),
            current: true,
            server: "https://x\r\nerror: fake".into(),
            api: "runai".into(),
            endpoint: Some("/api/v2/token\u{7}".into()),
            user: Some("al\u{9b}ice".into()),
            client_id: Some("c\0".into()),
            store: "file".into(),
            logged_in: true,
            lost: None,
            expires_at: Some("9999-12-31T23:59:59Z".into()),
            seconds_left: Some(i64::MIN),
            can_renew: false,
            renew_with: Some("r\x07".into()),
            renew_by: Some("tokenctl\u{1b}[31m login".into()),
            claims: None,
            problem: Some("bad\u{202e}txt".into()),
        };
        for format in [None, Some(OutputFormat::Json)] {
            let out = render_status(format, std::slice::from_ref(&s)).unwrap();
            let body = out.trim_end_matches('\n');
            assert!(
                !body
                    .chars()
                    .any(|c| c.is_control() && c != '\n' || c == '\u{202e}'),
                "{out:?}"
            );
            // The config's names escaped visibly (in JSON, with JSON's own
            // escaping of the backslash).
            let user = if format.is_some() {
                r"al\\u{9b}ice"
            } else {
                r"al\u{9b}ice"
            };
            assert!(out.contains(user), "{out}");
        }
    }

    #[test]
    fn rejects_bad_env_var() {
        let v = TokenView {
            env_var: "1X; rm",
            ..view(false)
        };
        assert!(render_tokens(OutputFormat::Env, &v, &tokens()).is_err());
    }
}
