//! `tokenctl login --browser` and `--remote-browser`: SSO through the
//! identity provider's login page, then the profile's code exchange
//! (`exchange_token`, or the 2.19 `GET /v1/k8s/auth/token/exchange`).

use std::io::IsTerminal;

use anyhow::Result;

use super::Ctx;
use crate::api::{self, Api, Grant};
use crate::cli::{LoginArgs, SsoArgs};
use crate::config::Profile;
use crate::env::EnvVars;
use crate::error::{Error, Kind};
use crate::lock::Lock;
use crate::model::ApiKind;
use crate::prompt::{self, SecretSource};
use crate::repo::TokenRepo;
use crate::secret::Secret;
use crate::settings::Settings;
use crate::sso::listener::{Callback, Listener, Reply};
use crate::sso::{self, AuthRequest, opener};
use crate::token::{self, TokenSet};
use crate::ui;

/// What both modes share up to the URL.
struct Prepared {
    profile: Profile,
    state: Secret,
    settings: Settings,
}

fn prepare(ctx: &Ctx, args: &LoginArgs) -> Result<Prepared, Error> {
    let mut profile = ctx.profile_for_update(&args.server)?;
    if profile.api == ApiKind::Gbds {
        return Err(Error::usage(
            "GBDS has no SSO login; log in with `tokenctl login` (user name and password)",
        ));
    }
    apply(&mut profile, &args.sso);
    // An SSO login is not renewed from a CI token source.
    profile.external_token_from = None;
    profile.audience = None;
    // Open the store first: a login whose tokens we cannot keep is wasted.
    ctx.open_store(&profile)?;
    api::check_transport(&profile.server, profile.allow_http)?;
    sso::check_auth_url(&sso::auth_url(&profile), profile.allow_http)?;
    let state = crate::random::secret(32)?;
    Ok(Prepared {
        profile,
        state,
        settings: ctx.settings,
    })
}

/// Flags that describe the tenant go into the profile (saved on success).
fn apply(profile: &mut Profile, sso: &SsoArgs) {
    if let Some(u) = &sso.auth_url {
        profile.auth_url = Some(u.clone());
    }
    if let Some(c) = &sso.oidc_client_id {
        profile.oidc_client_id = Some(c.clone());
    }
    if let Some(s) = &sso.scope {
        profile.oidc_scope = Some(s.clone());
    }
    if let Some(p) = sso.callback_port {
        profile.callback_port = Some(p);
    }
    if let Some(u) = &sso.remote_redirect_uri {
        profile.remote_redirect_uri = Some(u.clone());
    }
}

impl Prepared {
    fn url(&self, redirect_uri: &str, login_hint: Option<&str>) -> url::Url {
        AuthRequest {
            auth_url: sso::auth_url(&self.profile),
            client_id: sso::client_id(&self.profile),
            redirect_uri,
            scope: sso::scope(&self.profile),
            state: &self.state,
            login_hint,
        }
        .url()
    }

    /// Exchanges the code with the profile's API and stores the tokens like
    /// any login. Returns who logged in, for the browser page.
    fn exchange_and_store(
        mut self,
        ctx: &Ctx,
        code: Secret,
        redirect_uri: String,
        again: &str,
    ) -> Result<String, anyhow::Error> {
        let tokens = self.exchange(code, redirect_uri, again)?;
        if let Some(user) = token::user_name(&tokens) {
            self.profile.username = Some(user);
        }
        let done = describe(&self.profile);
        let who = self.profile.username.clone();
        let repo = ctx.repo(self.profile, super::STORE_LOCK_WAIT);
        ctx.finish(&repo, &tokens, "logged in to", who)?;
        Ok(done)
    }

    /// The code exchange with the profile's API.
    fn exchange(&self, code: Secret, redirect_uri: String, again: &str) -> Result<TokenSet, Error> {
        // The client the code was issued to: the server redeems it as that
        // client, and a provider refuses a code redeemed by another.
        let client_id = sso::client_id(&self.profile).to_string();
        let grant = Grant::ExchangeCode {
            code,
            redirect_uri,
            client_id: client_id.clone(),
        };
        Api::for_login(&self.profile, &self.settings)?.request(&grant).map_err(|e| {
            if e.is(Kind::Credentials) {
                e.or_hint(format!(
                    "{}: check the profile's `oidc_client_id` (--oidc-client-id) against the client the identity provider has registered for this server, then run `{again}`",
                    sso::exchange_refused_hint(&client_id)
                ))
            } else {
                e
            }
        })
    }
}

fn describe(profile: &Profile) -> String {
    match &profile.username {
        Some(u) => format!("Logged in to {} as {u}.", profile.server),
        None => format!("Logged in to {}.", profile.server),
    }
}

/// Provider-supplied text for the terminal: escaped and bounded.
fn clean(s: &str) -> String {
    crate::text::shown(s)
}

/// Printed even with `-q`: without it there is no login.
fn show_url(url: &str, lead: &str) {
    eprintln!("{lead}\n\n    {url}\n");
}

/// Why no browser can be opened on this machine, when none can.
#[derive(Debug, Clone, PartialEq, Eq)]
enum NoDisplay {
    /// An SSH session; the host the client connected to, for `ssh -L`.
    Ssh { host: Option<String> },
    /// No X11 or Wayland display.
    Headless,
}

/// An explicit `$BROWSER` (a terminal browser, a script) is trusted; else
/// an SSH session, or on Linux and the BSDs no display, means no browser.
fn no_display(var: impl Fn(&str) -> Option<String>) -> Option<NoDisplay> {
    let set = |name: &str| var(name).is_some_and(|v| !v.trim().is_empty());
    if set(EnvVars::BROWSER) {
        return None;
    }
    if let Some(conn) = var(EnvVars::SSH_CONNECTION).filter(|v| !v.trim().is_empty()) {
        // "client_ip client_port server_ip server_port"
        let host = conn.split_whitespace().nth(2).map(str::to_string);
        return Some(NoDisplay::Ssh { host });
    }
    let x11_world = cfg!(all(unix, not(target_os = "macos")));
    (x11_world && !set(EnvVars::DISPLAY) && !set(EnvVars::WAYLAND_DISPLAY))
        .then_some(NoDisplay::Headless)
}

fn env_var(name: &str) -> Option<String> {
    std::env::var(name).ok()
}

/// `ssh -L PORT:127.0.0.1:PORT user@host`, run on the laptop, makes the
/// laptop's browser reach this machine's loopback listener.
fn ssh_forward(port: u16, host: Option<&str>, user: Option<&str>) -> String {
    let host = host.unwrap_or("HOST");
    let user = user
        .filter(|u| !u.is_empty())
        .map(|u| format!("{u}@"))
        .unwrap_or_default();
    // Both come from the environment ($USER, $SSH_CONNECTION): one shell
    // word, escaped, whatever they hold.
    let to = crate::text::shell_word(&format!("{user}{host}"));
    format!("ssh -L {port}:127.0.0.1:{port} {to}")
}

/// Says, in one line, that this login uses the remote-browser flow and
/// why; over SSH, also how the loopback flow would work from the laptop.
fn announce_switch(why: &NoDisplay, port: u16, port_flag: bool, again: &str) {
    match why {
        NoDisplay::Ssh { host } => {
            eprintln!(
                "No browser can be opened in this SSH session: logging in with --remote-browser instead (open the URL on any machine, paste the code here)."
            );
            let user = env_var(EnvVars::USER);
            let flag = if port_flag {
                format!(" --callback-port {port}")
            } else {
                String::new()
            };
            eprintln!(
                "To use your laptop's browser with the loopback flow instead, reconnect from the laptop with `{}` and run `{again} --no-open{flag}` in that session.",
                ssh_forward(port, host.as_deref(), user.as_deref())
            );
        }
        NoDisplay::Headless => eprintln!(
            "No display to open a browser on (DISPLAY and WAYLAND_DISPLAY are unset): logging in with --remote-browser instead (open the URL on any machine, paste the code here)."
        ),
    }
}

/// `$BROWSER=none`: print the URL, open nothing (as `--no-open`).
fn browser_disabled() -> bool {
    env_var(EnvVars::BROWSER).is_some_and(|b| b.trim() == "none")
}

/// How one loopback login waits.
struct Wait {
    timeout: std::time::Duration,
    no_open: bool,
    hint: Option<String>,
}

/// The loopback flow up to the code: listen, print (and open) the start
/// URL, wait for the browser. Returns the callback to answer, the code and
/// the redirect URI it was issued for.
fn loopback_code(
    prepared: &Prepared,
    wait: &Wait,
    again: &str,
) -> Result<(Callback, Secret, String), Error> {
    let profile = &prepared.profile;
    let wanted = profile.callback_port.unwrap_or(sso::DEFAULT_CALLBACK_PORT);
    let (listener, busy) = Listener::bind(wanted)?;
    if let Some(busy) = busy {
        ui::warn(format!(
            "port {busy} is in use (another `tokenctl login --browser`, or another program), so this login listens on port {} instead; if the login page rejects that redirect URI, wait for the other login to finish or free port {busy}",
            listener.port()
        ));
    }
    let redirect_uri = listener.redirect_uri();
    let url = prepared.url(&redirect_uri, wait.hint.as_deref());
    // The browser gets the start URL, which redirects to `url`: the
    // authorization URL and its `state` never appear in any argv, where
    // other local users could read them.
    let start_url = listener.start_url();
    ui::verbose(format!(
        "listening on 127.0.0.1:{} for {redirect_uri}",
        listener.port()
    ));
    let waiting = humantime::format_duration(wait.timeout);
    let lead = if wait.no_open {
        format!(
            "Open this URL in a browser on this machine to log in to {} (waiting {waiting}):",
            profile.server
        )
    } else {
        format!(
            "Log in to {} in your browser. If it does not open, open this URL (waiting {waiting}):",
            profile.server
        )
    };
    show_url(start_url.expose(), &lead);
    if wait.no_open {
        if let Some(NoDisplay::Ssh { host }) = no_display(env_var) {
            let user = env_var(EnvVars::USER);
            eprintln!(
                "Over SSH, forward the port from your laptop first (`{}`), then open the URL there.\n",
                ssh_forward(listener.port(), host.as_deref(), user.as_deref())
            );
        }
    } else {
        match opener::open(start_url.expose()) {
            Ok(what) => ui::verbose(format!(
                "started the browser with `{}`",
                crate::text::shown(what)
            )),
            Err(why) => ui::warn(format!(
                "could not start a browser: {why}; open the URL above yourself"
            )),
        }
    }

    let Some(callback) = listener.wait(&url, &prepared.state, wait.timeout)? else {
        return Err(Error::credentials(format!(
            "timed out after {waiting}: no login came back from the browser to {redirect_uri}; run `{again}` and finish the login page in time (--browser-timeout allows longer), or use --remote-browser on a machine without a browser"
        )));
    };
    let code = match &callback.reply {
        Reply::Code(code) => code.clone(),
        Reply::Refused { error, description } => {
            let why = match description {
                Some(d) => format!("{} ({})", clean(error), clean(d)),
                None => clean(error),
            };
            callback.respond(
                false,
                &format!("The identity provider refused the login: {why}. You may close this tab."),
            );
            return Err(Error::credentials(format!(
                "the identity provider refused the login: {why}; run `{again}` to try again"
            )));
        }
    };
    ui::verbose("got the authorization code; exchanging it");
    Ok((callback, code, redirect_uri))
}

/// Answers the browser with how the login ended.
fn finish_page<T>(callback: Callback, done: &str, result: Result<T, anyhow::Error>) -> Result<T> {
    match result {
        Ok(t) => {
            callback.respond(
                true,
                &format!("{done} You may close this tab and return to the terminal."),
            );
            Ok(t)
        }
        Err(e) => {
            callback.respond(
                false,
                &format!("The login failed: {e:#}. See the terminal for the next step."),
            );
            Err(e)
        }
    }
}

pub fn browser(ctx: &Ctx, args: LoginArgs) -> Result<()> {
    let again = ctx.command("login --browser");
    if prompt::forbidden() {
        return Err(Error::usage(format!(
            "browser login needs a person at a browser, and kubectl said this run is not interactive; run `{again}` in a terminal first"
        ))
        .into());
    }
    let prepared = prepare(ctx, &args)?;
    let profile = &prepared.profile;
    let no_open = args.sso.no_open || browser_disabled();
    if !no_open && let Some(why) = no_display(env_var) {
        let port = profile
            .callback_port
            .filter(|p| *p != 0)
            .unwrap_or(sso::DEFAULT_CALLBACK_PORT);
        announce_switch(&why, port, profile.callback_port == Some(0), &again);
        return remote_with(ctx, prepared, &args, &ctx.command("login --remote-browser"));
    }
    let wait = Wait {
        timeout: args
            .sso
            .browser_timeout
            .or(profile.browser_timeout.map(|d| d.0))
            .unwrap_or(sso::DEFAULT_TIMEOUT),
        no_open,
        hint: args.username.clone().or(profile.username.clone()),
    };
    let (callback, code, redirect_uri) = loopback_code(&prepared, &wait, &again)?;
    let done = describe(&prepared.profile);
    let result = prepared.exchange_and_store(ctx, code, redirect_uri, &again);
    // The page names the user the login turned out to be.
    let done = result.as_ref().map_or(done, Clone::clone);
    finish_page(callback, &done, result).map(drop)
}

pub fn remote(ctx: &Ctx, args: LoginArgs) -> Result<()> {
    let again = ctx.command("login --remote-browser");
    let prepared = prepare(ctx, &args)?;
    remote_with(ctx, prepared, &args, &again)
}

fn remote_with(ctx: &Ctx, prepared: Prepared, args: &LoginArgs, again: &str) -> Result<()> {
    let hint = args
        .username
        .as_deref()
        .or(prepared.profile.username.as_deref());
    let (code, redirect_uri) = remote_code(&prepared, hint, args.sso.code_stdin)?;
    prepared.exchange_and_store(ctx, code, redirect_uri, again)?;
    Ok(())
}

/// The remote-browser flow up to the code: print the URL, read the code
/// (or the whole URL) the page shows.
fn remote_code(
    prepared: &Prepared,
    hint: Option<&str>,
    code_stdin: bool,
) -> Result<(Secret, String), Error> {
    let redirect_uri = sso::remote_redirect_uri(&prepared.profile);
    let url = prepared.url(&redirect_uri, hint);
    show_url(
        url.as_str(),
        &format!(
            "Open this URL in a browser on any machine and log in to {}; the page then shows a code to paste here:",
            prepared.profile.server
        ),
    );
    let source = SecretSource {
        what: "authorization code",
        stdin_flag: "--code-stdin",
        env: EnvVars::TOKENCTL_CODE,
        from_stdin: code_stdin,
        prompt: "Code (or the whole URL of the page; input hidden): ".into(),
    };
    // Piped input is the code, as with --code-stdin, but an empty pipe
    // must not be blamed on a flag that was not given.
    let piped = !code_stdin
        && std::env::var_os(EnvVars::TOKENCTL_CODE).is_none()
        && !std::io::stdin().is_terminal();
    let pasted = if piped {
        prompt::read_piped_secret(&source)?
    } else {
        prompt::read_secret(&source)?
    };
    let code = sso::code_from_paste(&pasted, &prepared.state)?;
    Ok((code, redirect_uri))
}

/// `token --interactive` on an SSO profile whose tokens cannot be renewed:
/// the browser login again (or the remote-browser one where no browser can
/// open), stored under the lock the token command holds.
pub(super) fn relogin(ctx: &Ctx, repo: &TokenRepo, lock: &Lock) -> Result<TokenSet, Error> {
    let again = ctx.command("login --browser");
    let profile = repo.profile().clone();
    api::check_transport(&profile.server, profile.allow_http)?;
    sso::check_auth_url(&sso::auth_url(&profile), profile.allow_http)?;
    let prepared = Prepared {
        state: crate::random::secret(32)?,
        profile,
        settings: ctx.settings,
    };
    let hint = prepared.profile.username.clone();
    let no_open = browser_disabled();
    if !no_open && let Some(why) = no_display(env_var) {
        let port = prepared
            .profile
            .callback_port
            .filter(|p| *p != 0)
            .unwrap_or(sso::DEFAULT_CALLBACK_PORT);
        announce_switch(
            &why,
            port,
            prepared.profile.callback_port == Some(0),
            &again,
        );
        let (code, redirect_uri) = remote_code(&prepared, hint.as_deref(), false)?;
        let tokens = prepared.exchange(code, redirect_uri, &again)?;
        repo.replace_locked(lock, &tokens)?;
        return Ok(tokens);
    }
    let wait = Wait {
        timeout: prepared
            .profile
            .browser_timeout
            .map_or(sso::DEFAULT_TIMEOUT, |d| d.0),
        no_open,
        hint,
    };
    let (callback, code, redirect_uri) = loopback_code(&prepared, &wait, &again)?;
    let result = prepared
        .exchange(code, redirect_uri, &again)
        .and_then(|tokens| repo.replace_locked(lock, &tokens).map(|()| tokens))
        .map_err(anyhow::Error::from);
    let done = describe(&prepared.profile);
    finish_page(callback, &done, result).map_err(|e| match e.downcast::<Error>() {
        Ok(e) => e,
        Err(e) => Error::credentials(format!("{e:#}")),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn env<'a>(vars: &'a [(&'a str, &'a str)]) -> impl Fn(&str) -> Option<String> + 'a {
        move |name| {
            vars.iter()
                .find(|(k, _)| *k == name)
                .map(|(_, v)| v.to_string())
        }
    }

    #[test]
    fn ssh_sessions_and_missing_displays_have_no_browser() {
        let ssh = [
            ("SSH_CONNECTION", "10.0.0.9 52100 10.0.0.5 22"),
            ("DISPLAY", ":0"),
        ];
        assert_eq!(
            no_display(env(&ssh)),
            Some(NoDisplay::Ssh {
                host: Some("10.0.0.5".into())
            })
        );
        // An explicit $BROWSER is trusted, even over SSH.
        let chosen = [("SSH_CONNECTION", "a 1 b 2"), ("BROWSER", "w3m")];
        assert_eq!(no_display(env(&chosen)), None);
        assert_eq!(no_display(env(&[("DISPLAY", ":1")])), None);
        assert_eq!(no_display(env(&[("WAYLAND_DISPLAY", "wayland-0")])), None);
        if cfg!(all(unix, not(target_os = "macos"))) {
            assert_eq!(
                no_display(env(&[("DISPLAY", "")])),
                Some(NoDisplay::Headless)
            );
        }
    }

    #[test]
    fn the_forward_command_names_port_user_and_host() {
        assert_eq!(
            ssh_forward(43121, Some("10.0.0.5"), Some("alice")),
            "ssh -L 43121:127.0.0.1:43121 alice@10.0.0.5"
        );
        assert_eq!(
            ssh_forward(8000, Some("::1"), None),
            "ssh -L 8000:127.0.0.1:8000 ::1"
        );
        // From the environment: one shell word, nothing raw.
        assert_eq!(
            ssh_forward(1, Some("h\u{202e}"), Some("a b;$x")),
            r"ssh -L 1:127.0.0.1:1 'a b;$x@h\u{202e}'"
        );
    }
}
