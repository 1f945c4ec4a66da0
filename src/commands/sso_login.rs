//! `tokenctl login --browser` and `--remote-browser`: SSO through the
//! identity provider's login page, then the profile's code exchange
//! (`exchange_token`, or the 2.19 `GET /v1/k8s/auth/token/exchange`).

use std::io::IsTerminal;

use anyhow::Result;

use super::Ctx;
use crate::api::{self, Api, Grant};
use crate::cli::{LoginArgs, SsoArgs};
use crate::config::{ApiKind, Profile};
use crate::error::{Error, Kind};
use crate::prompt::{self, SecretSource};
use crate::secret::Secret;
use crate::sso::listener::{Listener, Reply};
use crate::sso::{self, AuthRequest, opener};
use crate::token;
use crate::ui;

/// What both modes share up to the URL.
struct Prepared {
    profile: Profile,
    state: Secret,
}

fn prepare(ctx: &Ctx, args: &LoginArgs) -> Result<Prepared, Error> {
    let mut profile = ctx.profile_for_update(&args.server)?;
    if profile.api == ApiKind::Gbds {
        return Err(Error::usage(
            "GBDS has no SSO login; log in with `tokenctl login` (user name and password)",
        ));
    }
    apply(&mut profile, &args.sso);
    // Open the store first: a login whose tokens we cannot keep is wasted.
    ctx.open_store(&profile)?;
    api::check_transport(&profile.server, profile.allow_http)?;
    sso::check_auth_url(&sso::auth_url(&profile), profile.allow_http)?;
    let state = sso::random_string(32)?;
    Ok(Prepared { profile, state })
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
        // The client the code was issued to: the server redeems it as that
        // client, and a provider refuses a code redeemed by another.
        let client_id = sso::client_id(&self.profile).to_string();
        let grant = Grant::ExchangeCode {
            code,
            redirect_uri,
            client_id: client_id.clone(),
        };
        let tokens = Api::new(&self.profile)?.request(&grant).map_err(|e| {
            if e.is(Kind::Credentials) {
                e.or_hint(format!(
                    "{}: check the profile's `oidc_client_id` (--oidc-client-id) against the client the identity provider has registered for this server, then run `{again}`",
                    sso::exchange_refused_hint(&client_id)
                ))
            } else {
                e
            }
        })?;
        if let Some(user) = token::user_name(&tokens) {
            self.profile.username = Some(user);
        }
        let done = describe(&self.profile);
        let who = self.profile.username.clone();
        let repo = ctx.repo(self.profile, super::STORE_LOCK_WAIT);
        ctx.finish(&repo, &tokens, "logged in to", who)?;
        Ok(done)
    }
}

fn describe(profile: &Profile) -> String {
    match &profile.username {
        Some(u) => format!("Logged in to {} as {u}.", profile.server),
        None => format!("Logged in to {}.", profile.server),
    }
}

/// Provider-supplied text for the terminal: no control characters, bounded.
fn clean(s: &str) -> String {
    s.chars()
        .map(|c| if c.is_control() { ' ' } else { c })
        .take(300)
        .collect()
}

/// Printed even with `-q`: without it there is no login.
fn show_url(url: &str, lead: &str) {
    eprintln!("{lead}\n\n    {url}\n");
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
    let wanted = profile.callback_port.unwrap_or(sso::DEFAULT_CALLBACK_PORT);
    let (listener, busy) = Listener::bind(wanted)?;
    if let Some(busy) = busy {
        ui::warn(format!(
            "port {busy} is in use (another `tokenctl login --browser`, or another program), so this login listens on port {} instead; if the login page rejects that redirect URI, wait for the other login to finish or free port {busy}",
            listener.port()
        ));
    }
    let redirect_uri = listener.redirect_uri();
    let timeout = args
        .sso
        .browser_timeout
        .or(profile.browser_timeout.map(|d| d.0))
        .unwrap_or(sso::DEFAULT_TIMEOUT);
    let hint = args.username.as_deref().or(profile.username.as_deref());
    let url = prepared.url(&redirect_uri, hint);
    // The browser gets the start URL, which redirects to `url`: the
    // authorization URL and its `state` never appear in any argv, where
    // other local users could read them.
    let start_url = listener.start_url();
    ui::verbose(format!(
        "listening on 127.0.0.1:{} for {redirect_uri}",
        listener.port()
    ));
    let waiting = humantime::format_duration(timeout);
    let lead = if args.sso.no_open {
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
    if !args.sso.no_open {
        match opener::open(start_url.expose()) {
            Ok(what) => ui::verbose(format!("started the browser with `{what}`")),
            Err(why) => ui::warn(format!(
                "could not start a browser: {why}; open the URL above yourself"
            )),
        }
    }

    let Some(callback) = listener.wait(&url, &prepared.state, timeout)? else {
        return Err(Error::credentials(format!(
            "timed out after {}: no login came back from the browser to {redirect_uri}; run `{again}` and finish the login page in time (--browser-timeout allows longer), or use --remote-browser on a machine without a browser",
            humantime::format_duration(timeout)
        ))
        .into());
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
            ))
            .into());
        }
    };
    ui::verbose("got the authorization code; exchanging it");
    match prepared.exchange_and_store(ctx, code, redirect_uri, &again) {
        Ok(done) => {
            callback.respond(
                true,
                &format!("{done} You may close this tab and return to the terminal."),
            );
            Ok(())
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

pub fn remote(ctx: &Ctx, args: LoginArgs) -> Result<()> {
    let again = ctx.command("login --remote-browser");
    let prepared = prepare(ctx, &args)?;
    let redirect_uri = sso::remote_redirect_uri(&prepared.profile);
    let hint = args
        .username
        .as_deref()
        .or(prepared.profile.username.as_deref());
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
        env: "TOKENCTL_CODE",
        from_stdin: args.sso.code_stdin,
        prompt: "Code (or the whole URL of the page; input hidden): ".into(),
    };
    // Piped input is the code, as with --code-stdin, but an empty pipe
    // must not be blamed on a flag that was not given.
    let piped = !args.sso.code_stdin
        && std::env::var_os("TOKENCTL_CODE").is_none()
        && !std::io::stdin().is_terminal();
    let pasted = if piped {
        prompt::read_piped_secret(&source)?
    } else {
        prompt::read_secret(&source)?
    };
    let code = sso::code_from_paste(&pasted, &prepared.state)?;
    prepared.exchange_and_store(ctx, code, redirect_uri, &again)?;
    Ok(())
}
