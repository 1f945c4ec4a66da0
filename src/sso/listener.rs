//! The loopback end of a browser login: a tiny HTTP/1.1 server with two
//! pages. `GET /start/<nonce>` (the URL the browser is opened on; valid
//! once) sets a login cookie and redirects to the identity provider, so
//! neither the authorization URL nor its `state` is ever in a process's
//! argv. `GET /callback?code=..&state=..` is taken only from the browser
//! that holds the cookie and sends the right state; anything else is
//! answered with an error page and the wait goes on.
//!
//! It listens on 127.0.0.1 (and ::1 on the same port when the machine has
//! it, since browsers may resolve `localhost` to either), never on a
//! routable address. Where the kernel tells who owns the connecting socket
//! (Linux), other users' connections are closed unread, whatever they ask:
//! the start URL is in the browser's argv, and they must not race the
//! browser to it, nor take a slot from it. Each connection is read on its
//! own task, with a time limit, and at most [`MAX_CONNECTIONS`] at once
//! (the oldest is dropped for a new one), so idle connections cannot hold
//! up the real request.

use std::collections::{HashMap, VecDeque};
use std::io::{self, Write};
use std::net::{Ipv4Addr, Ipv6Addr, TcpListener};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Duration;

use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::sync::mpsc;
use tokio::task::AbortHandle;
use url::Url;

use super::{CALLBACK_PATH, peer, same_secret};
use crate::error::Error;
use crate::secret::Secret;
use crate::ui;

/// A request head larger than this is not a browser's callback.
const MAX_HEAD: usize = 16 * 1024;
/// How long one connection may take to send its request.
const READ_TIMEOUT: Duration = Duration::from_secs(10);
/// Connections served at once; a browser opens a handful.
pub const MAX_CONNECTIONS: usize = 16;
/// Where the browser is sent first.
pub const START_PATH: &str = "/start/";

/// Sockets bound and listening; nothing is accepted until [`Listener::wait`].
pub struct Listener {
    v4: TcpListener,
    v6: Option<TcpListener>,
    port: u16,
    /// The path secret of the start URL.
    nonce: Secret,
    /// The login cookie's value, set by the start page.
    cookie: Secret,
}

/// What the identity provider sent back with our `state`.
#[derive(Debug)]
pub enum Reply {
    Code(Secret),
    /// `error` / `error_description` from the provider (the user cancelled,
    /// the client is not allowed, ...).
    Refused {
        error: String,
        description: Option<String>,
    },
}

/// The accepted callback; the browser waits on `conn` for the final page.
#[derive(Debug)]
pub struct Callback {
    pub reply: Reply,
    conn: std::net::TcpStream,
}

/// What a request to the listener did.
enum Event {
    Started,
    Ignored(&'static str),
    Final(Reply, std::net::TcpStream),
}

/// What every connection's task needs to answer.
struct Login {
    nonce: Secret,
    cookie_name: String,
    cookie: Secret,
    /// The identity provider's URL, with `state`.
    auth_url: Secret,
    state: Secret,
    started: AtomicBool,
}

fn try_bind(port: u16) -> io::Result<(TcpListener, Option<TcpListener>, u16)> {
    let v4 = TcpListener::bind((Ipv4Addr::LOCALHOST, port))?;
    let port = v4.local_addr()?.port();
    let v6 = match TcpListener::bind((Ipv6Addr::LOCALHOST, port)) {
        Ok(l) => Some(l),
        // Someone else answers for localhost on this port over IPv6: a
        // browser could reach them instead of us.
        Err(e) if e.kind() == io::ErrorKind::AddrInUse => return Err(e),
        // No IPv6 loopback here; IPv4 is enough.
        Err(_) => None,
    };
    Ok((v4, v6, port))
}

fn cannot_listen(port: u16, e: io::Error) -> Error {
    Error::server(format!(
        "cannot listen on 127.0.0.1:{port} for the browser's callback: {e}; pass --callback-port 0 for any free port, or use --remote-browser"
    ))
}

impl Listener {
    /// Listens on `wanted` (0 = any free port). When `wanted` is taken (by a
    /// concurrent browser login, say) it takes a free port instead and
    /// returns the taken one, for the caller to say so.
    pub fn bind(wanted: u16) -> Result<(Self, Option<u16>), Error> {
        let listener = |(v4, v6, port)| -> Result<Self, Error> {
            Ok(Listener {
                v4,
                v6,
                port,
                nonce: crate::random::secret(32)?,
                cookie: crate::random::secret(32)?,
            })
        };
        let mut busy = None;
        if wanted != 0 {
            match try_bind(wanted) {
                Ok(l) => return Ok((listener(l)?, None)),
                Err(e) if e.kind() == io::ErrorKind::AddrInUse => busy = Some(wanted),
                Err(e) => return Err(cannot_listen(wanted, e)),
            }
        }
        // A free IPv4 port may be taken on ::1; a few tries find one free on both.
        let mut last = None;
        for _ in 0..10 {
            match try_bind(0) {
                Ok(l) => return Ok((listener(l)?, busy)),
                Err(e) if e.kind() == io::ErrorKind::AddrInUse => last = Some(e),
                Err(e) => return Err(cannot_listen(0, e)),
            }
        }
        Err(cannot_listen(
            0,
            last.unwrap_or_else(|| io::Error::other("no free port")),
        ))
    }

    pub fn port(&self) -> u16 {
        self.port
    }

    /// `http://localhost:<port>/callback`.
    pub fn redirect_uri(&self) -> String {
        format!("http://localhost:{}{CALLBACK_PATH}", self.port)
    }

    /// `http://localhost:<port>/start/<nonce>`: what the browser is opened
    /// on. The same host as the redirect URI, or the browser would not send
    /// the cookie back with the callback.
    pub fn start_url(&self) -> Secret {
        Secret::new(format!(
            "http://localhost:{}{START_PATH}{}",
            self.port,
            self.nonce.expose()
        ))
    }

    /// Serves until the browser that opened the start URL comes back with
    /// `state` (a code or a refusal), or `timeout` passes (`Ok(None)`).
    /// The start URL redirects to `auth_url`. Other requests are answered
    /// with an error page and ignored: they are not this login's.
    pub fn wait(
        self,
        auth_url: &Url,
        state: &Secret,
        timeout: Duration,
    ) -> Result<Option<Callback>, Error> {
        let runtime = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .map_err(|e| Error::server(format!("cannot start the callback listener: {e}")))?;
        let port = self.port;
        let login = Arc::new(Login {
            nonce: self.nonce,
            // Cookies are per host, not per port: one name per listener
            // keeps concurrent logins apart.
            cookie_name: format!("tokenctl_login_{port}"),
            cookie: self.cookie,
            auth_url: Secret::new(auth_url.as_str()),
            state: state.clone(),
            started: AtomicBool::new(false),
        });
        runtime
            .block_on(async move {
                let register = |l: TcpListener| {
                    l.set_nonblocking(true)?;
                    tokio::net::TcpListener::from_std(l)
                };
                let v4 = register(self.v4)?;
                let v6 = self.v6.map(register).transpose()?;
                let (tx, mut rx) = mpsc::unbounded_channel();
                let sleep = tokio::time::sleep(timeout);
                tokio::pin!(sleep);
                let mut open: VecDeque<AbortHandle> = VecDeque::new();
                let mut warned = false;
                // Only this user's connections get a slot. Counted, another
                // user's would push the browser's out (the oldest goes for a
                // new one), even before its request was read: they are closed
                // unread, and so are those closed at the other end before we
                // got to them. The owners of a batch come from one read of
                // the kernel's table.
                let mut admit = |batch: Vec<(tokio::net::TcpStream, std::net::SocketAddr)>| {
                    let Some((_, first)) = batch.first() else {
                        return;
                    };
                    let table = peer::Table::read(*first);
                    let me = peer::own_uid();
                    for (s, from) in batch {
                        let owner = match (s.local_addr(), me) {
                            (Ok(local), Some(_)) => table.owner(local, from),
                            _ => peer::Owner::Unknown,
                        };
                        match owner {
                            peer::Owner::User(them) if Some(them) != me => {
                                if !std::mem::replace(&mut warned, true) {
                                    ui::warn("refused a connection to the callback from a program of another user on this machine (and will refuse any more); still waiting for this login's callback");
                                }
                                continue;
                            }
                            peer::Owner::Closed => {
                                ui::trace(format!("a connection from {from} was closed before it was read"));
                                continue;
                            }
                            _ => {}
                        }
                        open.retain(|h| !h.is_finished());
                        if open.len() >= MAX_CONNECTIONS
                            && let Some(oldest) = open.pop_front()
                        {
                            oldest.abort();
                        }
                        open.push_back(tokio::spawn(serve(s, login.clone(), tx.clone())).abort_handle());
                    }
                };
                loop {
                    tokio::select! {
                        _ = &mut sleep => return Ok(None),
                        Some(event) = rx.recv() => match event {
                            Event::Started => ui::verbose("the browser opened the login link; it is on its way to the identity provider"),
                            Event::Ignored(why) => ui::warn(format!(
                                "ignored a request to the callback: {why}; still waiting for this login's callback"
                            )),
                            Event::Final(reply, conn) => return Ok(Some(Callback { reply, conn })),
                        },
                        Ok(first) = v4.accept() => admit(pending(&v4, first)),
                        Ok(first) = accept_opt(v6.as_ref()) => {
                            if let Some(v6) = v6.as_ref() {
                                admit(pending(v6, first));
                            }
                        }
                    }
                }
            })
            .map_err(|e: io::Error| cannot_listen(port, e))
    }
}

impl Callback {
    /// Answers the browser with the outcome and closes the connection.
    pub fn respond(self, ok: bool, message: &str) {
        let (status, title) = if ok {
            (200, "Login complete")
        } else {
            (400, "Login failed")
        };
        let mut conn = self.conn;
        let _ = conn.set_nonblocking(false);
        let _ = conn.set_write_timeout(Some(Duration::from_secs(5)));
        // The browser may have gone; the terminal has the outcome anyway.
        let _ = conn.write_all(&page(status, title, message));
        let _ = conn.flush();
    }
}

/// A request line and headers.
struct Head {
    method: String,
    target: String,
    headers: Vec<(String, String)>,
}

impl Head {
    fn cookie(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .filter(|(n, _)| n.eq_ignore_ascii_case("cookie"))
            .flat_map(|(_, v)| v.split(';'))
            .filter_map(|pair| pair.trim().split_once('='))
            .find(|(n, _)| *n == name)
            .map(|(_, v)| v)
    }
}

/// Answers one connection of this user's.
async fn serve(
    mut stream: tokio::net::TcpStream,
    login: Arc<Login>,
    tx: mpsc::UnboundedSender<Event>,
) {
    let head = match tokio::time::timeout(READ_TIMEOUT, read_head(&mut stream)).await {
        Ok(Ok(Some(head))) => head,
        _ => return,
    };
    let answer = |status, title, message: &str| page(status, title, message);
    let url = Url::parse("http://localhost")
        .ok()
        .and_then(|base| base.join(&head.target).ok());
    let reply = match (head.method.as_str(), url) {
        ("GET", Some(url)) if url.path().starts_with(START_PATH) => {
            let nonce = &url.path()[START_PATH.len()..];
            if !same_secret(nonce, login.nonce.expose()) {
                answer(404, "Not found", "Nothing here.")
            } else if login.started.swap(true, Ordering::SeqCst) {
                let _ = tx.send(Event::Ignored(
                    "the login link was opened a second time (a reload, or another program that read it)",
                ));
                answer(
                    400,
                    "Login link already used",
                    "This login link works once and was already opened. Start the login again from the terminal.",
                )
            } else {
                let _ = tx.send(Event::Started);
                start(&login)
            }
        }
        ("GET", Some(url)) if url.path() == CALLBACK_PATH => {
            let q: HashMap<String, String> = url.query_pairs().into_owned().collect();
            let cookie_ok = head
                .cookie(&login.cookie_name)
                .is_some_and(|c| same_secret(c, login.cookie.expose()));
            let state_ok = q
                .get("state")
                .is_some_and(|s| same_secret(s, login.state.expose()));
            if !cookie_ok {
                let _ = tx.send(Event::Ignored(
                    "it did not come from the browser that opened the login link (no login cookie): a forged request, or another browser",
                ));
                answer(
                    400,
                    "Login failed",
                    "This browser did not start the login waiting in your terminal. Open the link the terminal printed in this browser, or start the login again.",
                )
            } else if !state_ok {
                let _ = tx.send(Event::Ignored(
                    "its state does not match this login's (a tab from an older login, or a forged request)",
                ));
                answer(
                    400,
                    "Login failed",
                    "State mismatch: this response does not belong to the login waiting in your terminal. Start the login again from the terminal.",
                )
            } else if let Some(code) = q.get("code").filter(|c| !c.is_empty()) {
                return finish(stream, Reply::Code(Secret::new(code.clone())), &tx);
            } else if let Some(error) = q.get("error") {
                let reply = Reply::Refused {
                    error: error.clone(),
                    description: q.get("error_description").cloned(),
                };
                return finish(stream, reply, &tx);
            } else {
                let _ = tx.send(Event::Ignored("it carried neither a code nor an error"));
                answer(
                    400,
                    "Login failed",
                    "The callback carried neither a code nor an error.",
                )
            }
        }
        ("GET", Some(_)) => answer(404, "Not found", "Nothing here."),
        _ => answer(405, "Not allowed", "Only GET is served here."),
    };
    let _ = stream.write_all(&reply).await;
    let _ = stream.shutdown().await;
}

/// The start page: set the login cookie, send the browser to the provider.
fn start(login: &Login) -> Vec<u8> {
    format!(
        "HTTP/1.1 302 Found\r\nLocation: {location}\r\nSet-Cookie: {name}={value}; Path=/; HttpOnly; SameSite=Lax\r\nContent-Length: 0\r\nCache-Control: no-store\r\nReferrer-Policy: no-referrer\r\nConnection: close\r\n\r\n",
        location = login.auth_url.expose(),
        name = login.cookie_name,
        value = login.cookie.expose(),
    )
    .into_bytes()
}

/// `first` and the connections already waiting behind it (at most 255).
fn pending(
    listener: &tokio::net::TcpListener,
    first: (tokio::net::TcpStream, std::net::SocketAddr),
) -> Vec<(tokio::net::TcpStream, std::net::SocketAddr)> {
    let mut batch = vec![first];
    // Polled without a waker of its own: the loop's next accept() waits.
    let mut cx = std::task::Context::from_waker(std::task::Waker::noop());
    while batch.len() < 256 {
        match listener.poll_accept(&mut cx) {
            std::task::Poll::Ready(Ok(next)) => batch.push(next),
            _ => break,
        }
    }
    batch
}

async fn accept_opt(
    l: Option<&tokio::net::TcpListener>,
) -> io::Result<(tokio::net::TcpStream, std::net::SocketAddr)> {
    match l {
        Some(l) => l.accept().await,
        None => std::future::pending().await,
    }
}

/// Hands the connection to the waiting login, which answers it.
fn finish(stream: tokio::net::TcpStream, reply: Reply, tx: &mpsc::UnboundedSender<Event>) {
    if let Ok(conn) = stream.into_std() {
        let _ = tx.send(Event::Final(reply, conn));
    }
}

/// The request line and headers of an HTTP/1.x request, once the whole
/// head is in.
async fn read_head(stream: &mut tokio::net::TcpStream) -> io::Result<Option<Head>> {
    let mut buf = Vec::with_capacity(1024);
    let mut chunk = [0u8; 2048];
    loop {
        let n = stream.read(&mut chunk).await?;
        if n == 0 {
            return Ok(None);
        }
        buf.extend_from_slice(&chunk[..n]);
        if let Some(end) = buf.windows(4).position(|w| w == b"\r\n\r\n") {
            return Ok(parse_head(&buf[..end]));
        }
        if buf.len() > MAX_HEAD {
            return Ok(None);
        }
    }
}

fn parse_head(raw: &[u8]) -> Option<Head> {
    let text = std::str::from_utf8(raw).ok()?;
    let mut lines = text.split("\r\n");
    let mut request = lines.next()?.split(' ');
    let (method, target) = (request.next()?, request.next()?);
    let headers = lines
        .filter_map(|l| l.split_once(':'))
        .map(|(n, v)| (n.trim().to_string(), v.trim().to_string()))
        .collect();
    Some(Head {
        method: method.to_string(),
        target: target.to_string(),
        headers,
    })
}

/// A complete HTTP response with a small HTML page.
fn page(status: u16, title: &str, message: &str) -> Vec<u8> {
    let reason = match status {
        200 => "OK",
        404 => "Not Found",
        405 => "Method Not Allowed",
        _ => "Bad Request",
    };
    let body = format!(
        "<!doctype html>\n<html><head><meta charset=\"utf-8\"><title>tokenctl: {title}</title></head>\n<body style=\"font-family: sans-serif; margin: 3em\"><h1>{title}</h1>\n<p id=\"message\">{message}</p></body></html>\n",
        title = escape(title),
        message = escape(message)
    );
    let mut out = format!(
        "HTTP/1.1 {status} {reason}\r\nContent-Type: text/html; charset=utf-8\r\nContent-Length: {}\r\nCache-Control: no-store\r\nReferrer-Policy: no-referrer\r\nX-Content-Type-Options: nosniff\r\nConnection: close\r\n\r\n",
        body.len()
    )
    .into_bytes();
    out.extend_from_slice(body.as_bytes());
    out
}

/// Provider error texts end up in the page: keep them text.
fn escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Read;
    use std::net::TcpStream;
    use std::time::Instant;

    fn get(port: u16, target: &str, cookie: Option<&str>) -> String {
        let mut s = TcpStream::connect(("127.0.0.1", port)).unwrap();
        let cookie = cookie
            .map(|c| format!("Cookie: other=1; {c}\r\n"))
            .unwrap_or_default();
        write!(
            s,
            "GET {target} HTTP/1.1\r\nHost: localhost:{port}\r\n{cookie}\r\n"
        )
        .unwrap();
        let mut out = String::new();
        s.read_to_string(&mut out).unwrap();
        out
    }

    fn header<'a>(response: &'a str, name: &str) -> Option<&'a str> {
        response
            .split("\r\n\r\n")
            .next()?
            .lines()
            .filter_map(|l| l.split_once(": "))
            .find(|(n, _)| n.eq_ignore_ascii_case(name))
            .map(|(_, v)| v)
    }

    fn idp() -> Url {
        Url::parse("https://idp.example/auth?client_id=runai-cli&state=good").unwrap()
    }

    /// The path of the start URL, and the browser that opens it: the
    /// cookie it got, as a `Cookie` header value.
    fn start_path(listener: &Listener) -> String {
        let url = listener.start_url().expose().to_string();
        url.split_once(&format!(":{}", listener.port()))
            .unwrap()
            .1
            .to_string()
    }

    fn open_start(port: u16, path: &str) -> String {
        let started = get(port, path, None);
        header(&started, "set-cookie")
            .unwrap()
            .split(';')
            .next()
            .unwrap()
            .to_string()
    }

    #[test]
    fn start_sets_the_cookie_and_only_its_browser_may_call_back() {
        let (listener, busy) = Listener::bind(0).unwrap();
        assert_eq!(busy, None);
        let port = listener.port();
        let start_url = listener.start_url().expose().to_string();
        assert!(
            start_url.starts_with(&format!("http://localhost:{port}/start/"))
                && start_url.len() > format!("http://localhost:{port}/start/").len() + 40,
            "{start_url}"
        );
        assert!(!start_url.contains("state"), "{start_url}");
        let path = start_path(&listener);
        let browser = std::thread::spawn(move || {
            // An idle pre-connection must not block the others.
            let _idle = TcpStream::connect(("127.0.0.1", port)).unwrap();
            let favicon = get(port, "/favicon.ico", None);
            let guessed = get(port, "/start/guess", None);
            // Another local user who read `state` somewhere: no cookie.
            let forged = get(port, "/callback?code=c0&state=good", None);
            let started = get(port, &path, None);
            let again = get(port, &path, None);
            let cookie = header(&started, "set-cookie")
                .unwrap()
                .split(';')
                .next()
                .unwrap()
                .to_string();
            let wrong_cookie = get(
                port,
                "/callback?code=c1&state=good",
                Some(&format!("tokenctl_login_{port}=nope")),
            );
            let wrong_state = get(port, "/callback?code=c2&state=bad", Some(&cookie));
            let real = get(port, "/callback?code=c3&state=good", Some(&cookie));
            (
                favicon,
                guessed,
                forged,
                started,
                again,
                wrong_cookie,
                wrong_state,
                real,
            )
        });
        let cb = listener
            .wait(&idp(), &Secret::new("good"), Duration::from_secs(20))
            .unwrap()
            .expect("a callback");
        match &cb.reply {
            Reply::Code(c) => assert_eq!(c.expose(), "c3"),
            other => panic!("{other:?}"),
        }
        cb.respond(true, "Logged in <b>.");
        let (favicon, guessed, forged, started, again, wrong_cookie, wrong_state, real) =
            browser.join().unwrap();
        assert!(favicon.starts_with("HTTP/1.1 404"), "{favicon}");
        assert!(guessed.starts_with("HTTP/1.1 404"), "{guessed}");
        for refused in [&forged, &wrong_cookie] {
            assert!(
                refused.starts_with("HTTP/1.1 400")
                    && refused.contains("This browser did not start the login"),
                "{refused}"
            );
        }
        assert!(started.starts_with("HTTP/1.1 302"), "{started}");
        assert_eq!(header(&started, "location"), Some(idp().as_str()));
        let set_cookie = header(&started, "set-cookie").unwrap();
        assert!(
            set_cookie.starts_with(&format!("tokenctl_login_{port}="))
                && set_cookie.ends_with("; Path=/; HttpOnly; SameSite=Lax"),
            "{set_cookie}"
        );
        assert!(
            again.starts_with("HTTP/1.1 400") && again.contains("already used"),
            "{again}"
        );
        assert!(
            wrong_state.starts_with("HTTP/1.1 400") && wrong_state.contains("State mismatch"),
            "{wrong_state}"
        );
        assert!(
            real.starts_with("HTTP/1.1 200") && real.contains("Logged in &lt;b&gt;."),
            "{real}"
        );
    }

    #[test]
    fn idle_connections_do_not_block_the_login() {
        let (listener, _) = Listener::bind(0).unwrap();
        let port = listener.port();
        let path = start_path(&listener);
        let began = Instant::now();
        let browser = std::thread::spawn(move || {
            // More idle connections than the listener serves at once, some
            // with half a request: they would hold it for READ_TIMEOUT each.
            let mut idle = Vec::new();
            for i in 0..MAX_CONNECTIONS * 2 {
                let mut s = TcpStream::connect(("127.0.0.1", port)).unwrap();
                if i % 2 == 0 {
                    s.write_all(b"GET /callback?code=x").unwrap();
                }
                idle.push(s);
            }
            // The oldest were dropped to make room: the listener keeps at
            // most MAX_CONNECTIONS open, without waiting for READ_TIMEOUT.
            for s in &mut idle[..MAX_CONNECTIONS] {
                s.set_read_timeout(Some(Duration::from_secs(3))).unwrap();
                let mut byte = [0u8; 1];
                // FIN, or RST where the half request was left unread.
                match s.read(&mut byte) {
                    Ok(0) => {}
                    Err(e) if e.kind() == io::ErrorKind::ConnectionReset => {}
                    other => panic!("an idle connection beyond the cap stayed open: {other:?}"),
                }
            }
            let cookie = open_start(port, &path);
            let real = get(port, "/callback?code=c&state=s", Some(&cookie));
            drop(idle);
            real
        });
        let cb = listener
            .wait(&idp(), &Secret::new("s"), Duration::from_secs(20))
            .unwrap()
            .expect("a callback");
        cb.respond(true, "ok");
        assert!(browser.join().unwrap().starts_with("HTTP/1.1 200"));
        assert!(
            began.elapsed() < READ_TIMEOUT / 2,
            "took {:?}",
            began.elapsed()
        );
    }

    #[test]
    fn provider_error_and_timeout() {
        let (listener, _) = Listener::bind(0).unwrap();
        let port = listener.port();
        let path = start_path(&listener);
        let t = std::thread::spawn(move || {
            let cookie = open_start(port, &path);
            get(
                port,
                "/callback?error=access_denied&error_description=no%20way&state=s",
                Some(&cookie),
            )
        });
        let cb = listener
            .wait(&idp(), &Secret::new("s"), Duration::from_secs(20))
            .unwrap()
            .unwrap();
        match &cb.reply {
            Reply::Refused { error, description } => {
                assert_eq!(error, "access_denied");
                assert_eq!(description.as_deref(), Some("no way"));
            }
            other => panic!("{other:?}"),
        }
        cb.respond(false, "refused");
        assert!(t.join().unwrap().contains("refused"));

        let (listener, _) = Listener::bind(0).unwrap();
        let started = Instant::now();
        assert!(
            listener
                .wait(&idp(), &Secret::new("s"), Duration::from_millis(200))
                .unwrap()
                .is_none()
        );
        assert!(started.elapsed() < Duration::from_secs(5));
    }

    #[test]
    fn busy_port_falls_back_and_says_which() {
        let (first, _) = Listener::bind(0).unwrap();
        let (second, busy) = Listener::bind(first.port()).unwrap();
        assert_eq!(busy, Some(first.port()));
        assert_ne!(second.port(), first.port());
        assert_eq!(
            second.redirect_uri(),
            format!("http://localhost:{}/callback", second.port())
        );
        assert_ne!(first.start_url().expose(), second.start_url().expose());
    }

    #[test]
    fn reads_cookies_from_the_head() {
        let head = parse_head(
            b"GET /callback HTTP/1.1\r\nHost: x\r\nCookie: a=1; tokenctl_login_9=v=w\r\ncookie: b=2",
        )
        .unwrap();
        assert_eq!(head.method, "GET");
        assert_eq!(head.cookie("tokenctl_login_9"), Some("v=w"));
        assert_eq!(head.cookie("b"), Some("2"));
        assert_eq!(head.cookie("c"), None);
    }
}
