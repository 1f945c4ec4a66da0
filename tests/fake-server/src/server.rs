//! `FakeServer`: the router served on loopback by a private tokio runtime on
//! a background thread, so it works from sync tests and async tests alike.

use std::collections::BTreeMap;
use std::io;
use std::net::SocketAddr;
use std::thread::JoinHandle;

use axum::Router;
use hyper_util::rt::{TokioExecutor, TokioIo};
use hyper_util::server::conn::auto;
use hyper_util::service::TowerToHyperService;
use tokio::net::TcpListener;
use tokio::sync::oneshot;
use tokio_rustls::TlsAcceptor;

use crate::faults::Fault;
use crate::gbds::BASE_PATH;
use crate::state::{Config, FakeState, Recorded, SharedState};
use crate::{router, tls};

/// A running fake server. Dropping it stops the server (open connections,
/// including ones parked by [`Fault::Hang`], are cut).
pub struct FakeServer {
    state: SharedState,
    addr: SocketAddr,
    url: String,
    ca_pem: Option<String>,
    shutdown: Option<oneshot::Sender<()>>,
    thread: Option<JoinHandle<()>>,
}

impl FakeServer {
    /// Default config, plain HTTP on 127.0.0.1, a free port.
    pub fn start() -> Self {
        Self::start_with(Config::default())
    }

    /// Plain HTTP on 127.0.0.1, a free port. Returns once listening.
    pub fn start_with(config: Config) -> Self {
        Self::bind(config, 0, false).expect("fake server failed to start")
    }

    /// HTTPS with a fresh self-signed certificate for 127.0.0.1 and localhost.
    pub fn start_https(config: Config) -> Self {
        Self::bind(config, 0, true).expect("fake server failed to start")
    }

    /// Serve the standard routes on 127.0.0.1:`port` (0 = any free port).
    pub fn bind(config: Config, port: u16, https: bool) -> io::Result<Self> {
        Self::bind_with(config, port, https, router)
    }

    /// Like [`FakeServer::bind`], with a caller-built router (e.g.
    /// [`crate::router_with`] plus extra routes) over the server's state.
    pub fn bind_with(
        config: Config,
        port: u16,
        https: bool,
        make_router: impl FnOnce(SharedState) -> Router,
    ) -> io::Result<Self> {
        // Bind synchronously so the port is known and accepting on return.
        let listener = std::net::TcpListener::bind(("127.0.0.1", port))?;
        listener.set_nonblocking(true)?;
        let addr = listener.local_addr()?;
        let scheme = if https { "https" } else { "http" };
        let url = format!("{scheme}://127.0.0.1:{}", addr.port());
        let (acceptor, ca_pem) = if https {
            let material = tls::self_signed()?;
            (Some(material.acceptor), Some(material.cert_pem))
        } else {
            (None, None)
        };
        let state = FakeState::new(config, url.clone());
        let app = make_router(state.clone());
        let runtime = tokio::runtime::Builder::new_multi_thread()
            .worker_threads(2)
            .thread_name("fake-server-worker")
            .enable_all()
            .build()?;
        let (shutdown, stop) = oneshot::channel::<()>();
        let thread = std::thread::Builder::new()
            .name(format!("fake-server-{}", addr.port()))
            .spawn(move || {
                runtime.block_on(async move {
                    let listener = match TcpListener::from_std(listener) {
                        Ok(l) => l,
                        Err(e) => {
                            eprintln!("fake server: cannot register listener: {e}");
                            return;
                        }
                    };
                    tokio::select! {
                        _ = stop => {}
                        _ = accept_loop(listener, acceptor, app) => {}
                    }
                });
                // Do not wait for connection tasks: a hung one never finishes.
                runtime.shutdown_background();
            })?;
        Ok(FakeServer {
            state,
            addr,
            url,
            ca_pem,
            shutdown: Some(shutdown),
            thread: Some(thread),
        })
    }

    /// The shared state, e.g. to share the token registry with another fake.
    pub fn state(&self) -> SharedState {
        self.state.clone()
    }

    /// PEM of the self-signed certificate (HTTPS servers only).
    pub fn ca_pem(&self) -> Option<String> {
        self.ca_pem.clone()
    }

    /// `http://127.0.0.1:PORT` or `https://127.0.0.1:PORT`, no trailing slash.
    pub fn url(&self) -> String {
        self.url.clone()
    }

    /// `url()` + `/gbds/v2`.
    pub fn gbds_url(&self) -> String {
        format!("{}{BASE_PATH}", self.url)
    }

    pub fn port(&self) -> u16 {
        self.addr.port()
    }

    pub fn addr(&self) -> SocketAddr {
        self.addr
    }

    pub fn issue_code(&self, redirect_uri: &str) -> String {
        self.state.issue_code(redirect_uri)
    }

    pub fn set_access_token_lifetime(&self, secs: i64) {
        self.state.set_access_token_lifetime(secs)
    }

    pub fn set_gbds_token_lifetime_ms(&self, ms: i64) {
        self.state.set_gbds_token_lifetime_ms(ms)
    }

    pub fn set_rotation(&self, on: bool) {
        self.state.set_rotation(on)
    }

    /// Play another Run:ai version ("2.19", "2.23", "2.24", "3.0") from the
    /// next request on.
    pub fn set_runai_version(&self, version: &str) {
        self.state.set_runai_version(version)
    }

    /// Apply `f` to the next `times` API requests (None = until cleared).
    pub fn set_fault(&self, f: Fault, times: Option<usize>) {
        self.state.set_fault(f, times)
    }

    pub fn clear_fault(&self) {
        self.state.clear_fault()
    }

    /// Shift the `Date` header of every response by `secs`.
    pub fn set_date_offset(&self, secs: i64) {
        self.state.set_date_offset(secs)
    }

    pub fn count(&self, key: &str) -> usize {
        self.state.count(key)
    }

    pub fn counts(&self) -> BTreeMap<String, usize> {
        self.state.counts()
    }

    /// Clears counters and the request log.
    pub fn reset_counts(&self) {
        self.state.reset_counts()
    }

    pub fn requests(&self) -> Vec<Recorded> {
        self.state.requests()
    }

    /// Every authorization the fake identity provider completed.
    pub fn authorizations(&self) -> Vec<crate::Authorization> {
        self.state.authorizations()
    }

    /// `url()` + the Keycloak-style authorization path for realm `runai`.
    pub fn auth_url(&self) -> String {
        format!(
            "{}/auth/realms/{}/protocol/openid-connect/auth",
            self.url,
            crate::authorize::DEFAULT_REALM
        )
    }

    pub fn set_auto_approve(&self, on: bool) {
        self.state.set_auto_approve(on)
    }

    pub fn is_valid_access_token(&self, token: &str) -> bool {
        self.state.is_valid_access_token(token)
    }

    /// A valid refresh token for the configured user, minted directly.
    pub fn issue_refresh_token(&self) -> String {
        self.state.issue_refresh_token()
    }

    /// A valid access token for `subject`, minted directly.
    pub fn issue_access_token(&self, subject: &str) -> String {
        self.state.issue_access_token(subject)
    }

    /// A GBDS token living `lifetime_ms` (negative = expired); returns the
    /// token and its expirationTime in epoch ms.
    pub fn issue_gbds_token(&self, lifetime_ms: i64) -> (String, i64) {
        let t = self.state.issue_gbds_token(lifetime_ms);
        (t.token, t.expiration_time_ms)
    }
}

impl Drop for FakeServer {
    fn drop(&mut self) {
        if let Some(tx) = self.shutdown.take() {
            let _ = tx.send(());
        }
        if let Some(thread) = self.thread.take() {
            // Joining frees the port before the next test binds; it is quick
            // because shutdown_background does not wait for connections.
            let _ = thread.join();
        }
    }
}

async fn accept_loop(listener: TcpListener, acceptor: Option<TlsAcceptor>, app: Router) {
    loop {
        let stream = match listener.accept().await {
            Ok((stream, _)) => stream,
            Err(_) => {
                // Typically EMFILE; back off instead of spinning.
                tokio::time::sleep(std::time::Duration::from_millis(20)).await;
                continue;
            }
        };
        let _ = stream.set_nodelay(true);
        let service = TowerToHyperService::new(app.clone());
        let acceptor = acceptor.clone();
        tokio::spawn(async move {
            let builder = auto::Builder::new(TokioExecutor::new());
            match acceptor {
                Some(acceptor) => {
                    // A failed handshake (e.g. client rejects our CA) just ends
                    // the connection.
                    if let Ok(tls) = acceptor.accept(stream).await {
                        let _ = builder.serve_connection(TokioIo::new(tls), service).await;
                    }
                }
                None => {
                    let _ = builder
                        .serve_connection(TokioIo::new(stream), service)
                        .await;
                }
            }
        });
    }
}
