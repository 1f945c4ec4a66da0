//! The loopback end of a browser login: a tiny HTTP/1.1 server that waits
//! for one `GET /callback?code=..&state=..` and nothing else.
//!
//! It listens on 127.0.0.1 (and ::1 on the same port when the machine has
//! it, since browsers may resolve `localhost` to either), never on a
//! routable address. Each connection is read on its own task, so a
//! browser's idle pre-connections cannot hold up the real request.

use std::collections::HashMap;
use std::io::{self, Write};
use std::net::{Ipv4Addr, Ipv6Addr, TcpListener};
use std::sync::Arc;
use std::time::Duration;

use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::sync::mpsc;
use url::Url;

use super::{CALLBACK_PATH, same_secret};
use crate::error::Error;
use crate::secret::Secret;
use crate::ui;

/// A request head larger than this is not a browser's callback.
const MAX_HEAD: usize = 16 * 1024;
/// How long one connection may take to send its request.
const READ_TIMEOUT: Duration = Duration::from_secs(10);

/// Sockets bound and listening; nothing is accepted until [`Listener::wait`].
pub struct Listener {
    v4: TcpListener,
    v6: Option<TcpListener>,
    port: u16,
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

/// Why a request to the listener was answered but not used.
enum Event {
    Ignored(&'static str),
    Final(Reply, std::net::TcpStream),
}

fn try_bind(port: u16) -> io::Result<Listener> {
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
    Ok(Listener { v4, v6, port })
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
        let mut busy = None;
        if wanted != 0 {
            match try_bind(wanted) {
                Ok(l) => return Ok((l, None)),
                Err(e) if e.kind() == io::ErrorKind::AddrInUse => busy = Some(wanted),
                Err(e) => return Err(cannot_listen(wanted, e)),
            }
        }
        // A free IPv4 port may be taken on ::1; a few tries find one free on both.
        let mut last = None;
        for _ in 0..10 {
            match try_bind(0) {
                Ok(l) => return Ok((l, busy)),
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

    /// Serves until a callback carries `state` (a code or a refusal), or
    /// `timeout` passes (`Ok(None)`). Callbacks with another state are
    /// answered with an error page and ignored: they are not this login's.
    pub fn wait(self, state: &Secret, timeout: Duration) -> Result<Option<Callback>, Error> {
        let runtime = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .map_err(|e| Error::server(format!("cannot start the callback listener: {e}")))?;
        let state = Arc::new(state.clone());
        let port = self.port;
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
                loop {
                    tokio::select! {
                        _ = &mut sleep => return Ok(None),
                        Some(event) = rx.recv() => match event {
                            Event::Ignored(why) => ui::warn(format!(
                                "ignored a request to the callback: {why}; still waiting for this login's callback"
                            )),
                            Event::Final(reply, conn) => return Ok(Some(Callback { reply, conn })),
                        },
                        Ok((s, _)) = v4.accept() => {
                            tokio::spawn(serve(s, state.clone(), tx.clone()));
                        }
                        Ok((s, _)) = accept_opt(v6.as_ref()) => {
                            tokio::spawn(serve(s, state.clone(), tx.clone()));
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

async fn serve(
    mut stream: tokio::net::TcpStream,
    state: Arc<Secret>,
    tx: mpsc::UnboundedSender<Event>,
) {
    let head = match tokio::time::timeout(READ_TIMEOUT, read_head(&mut stream)).await {
        Ok(Ok(Some(head))) => head,
        _ => return,
    };
    let mut parts = head.split(' ');
    let (method, target) = (parts.next().unwrap_or(""), parts.next().unwrap_or(""));
    let answer = |status, title, message: &str| page(status, title, message);
    let url = Url::parse("http://localhost")
        .ok()
        .and_then(|base| base.join(target).ok());
    let reply = match (method, url) {
        ("GET", Some(url)) if url.path() == CALLBACK_PATH => {
            let q: HashMap<String, String> = url.query_pairs().into_owned().collect();
            let state_ok = q
                .get("state")
                .is_some_and(|s| same_secret(s, state.expose()));
            if !state_ok {
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

/// The request line of an HTTP/1.x request, once the whole head is in.
async fn read_head(stream: &mut tokio::net::TcpStream) -> io::Result<Option<String>> {
    let mut buf = Vec::with_capacity(1024);
    let mut chunk = [0u8; 2048];
    loop {
        let n = stream.read(&mut chunk).await?;
        if n == 0 {
            return Ok(None);
        }
        buf.extend_from_slice(&chunk[..n]);
        if buf.windows(4).any(|w| w == b"\r\n\r\n") {
            let line_end = buf.iter().position(|&b| b == b'\r').unwrap_or(buf.len());
            return Ok(String::from_utf8(buf[..line_end].to_vec()).ok());
        }
        if buf.len() > MAX_HEAD {
            return Ok(None);
        }
    }
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

    fn get(port: u16, target: &str) -> String {
        let mut s = TcpStream::connect(("127.0.0.1", port)).unwrap();
        write!(s, "GET {target} HTTP/1.1\r\nHost: localhost\r\n\r\n").unwrap();
        let mut out = String::new();
        s.read_to_string(&mut out).unwrap();
        out
    }

    #[test]
    fn ignores_wrong_state_then_takes_the_right_one() {
        let (listener, busy) = Listener::bind(0).unwrap();
        assert_eq!(busy, None);
        let port = listener.port();
        let state = Secret::new("good");
        let browser = std::thread::spawn(move || {
            // An idle pre-connection must not block the others.
            let _idle = TcpStream::connect(("127.0.0.1", port)).unwrap();
            let favicon = get(port, "/favicon.ico");
            let forged = get(port, "/callback?code=c1&state=bad");
            let real = get(port, "/callback?code=c2&state=good");
            (favicon, forged, real)
        });
        let cb = listener
            .wait(&state, Duration::from_secs(20))
            .unwrap()
            .expect("a callback");
        match &cb.reply {
            Reply::Code(c) => assert_eq!(c.expose(), "c2"),
            other => panic!("{other:?}"),
        }
        cb.respond(true, "Logged in <b>.");
        let (favicon, forged, real) = browser.join().unwrap();
        assert!(favicon.starts_with("HTTP/1.1 404"), "{favicon}");
        assert!(
            forged.starts_with("HTTP/1.1 400") && forged.contains("State mismatch"),
            "{forged}"
        );
        assert!(
            real.starts_with("HTTP/1.1 200") && real.contains("Logged in &lt;b&gt;."),
            "{real}"
        );
    }

    #[test]
    fn provider_error_and_timeout() {
        let (listener, _) = Listener::bind(0).unwrap();
        let port = listener.port();
        let t = std::thread::spawn(move || {
            get(
                port,
                "/callback?error=access_denied&error_description=no%20way&state=s",
            )
        });
        let cb = listener
            .wait(&Secret::new("s"), Duration::from_secs(20))
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
        let started = std::time::Instant::now();
        assert!(
            listener
                .wait(&Secret::new("s"), Duration::from_millis(200))
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
    }
}
