//! Tokens that were never valid (issue 17): an `exp` that is a real instant
//! in the past, or a lifetime of 0, is an expired token, whatever the API.
//! No command prints one; each exits 4 with the clock hint, and a login
//! keeps what it got (a rotated refresh token) before it says so.

use crate::common;

use common::fixtures::Login;
use common::{Env, FakeServer, Fault, Output, Store};
use tokenctl_fake_server::Config;
use tokenctl_fake_server::faults::TokenAnswer;

/// One API kind: how to start its server and log in to it.
#[derive(Clone, Copy, Debug)]
enum Kind {
    /// `runai` against a 3.0 server: the login finds `/api/v2/token`.
    Runai,
    RunaiV1,
    Runai219,
    Oauth2,
    Gbds,
}

const KINDS: [Kind; 5] = [
    Kind::Runai,
    Kind::RunaiV1,
    Kind::Runai219,
    Kind::Oauth2,
    Kind::Gbds,
];

/// How the token is dead.
#[derive(Clone, Copy, Debug)]
enum Dead {
    /// An expiry instant long past (JWT `exp: 1000`; GBDS `expirationTime`
    /// as epoch milliseconds in 2001).
    PastInstant,
    /// Issued for 0 seconds (`expiresIn`, `expires_in`, GBDS `ttl`).
    ZeroLifetime,
}

impl Kind {
    fn server(self) -> FakeServer {
        let version = match self {
            Kind::Runai => "3.0",
            Kind::RunaiV1 | Kind::Gbds => "2.23",
            Kind::Runai219 => "2.19",
            Kind::Oauth2 => "2.24",
        };
        FakeServer::start_with(Config {
            runai_version: version.into(),
            ..Config::default()
        })
    }

    fn login(self, env: &Env, fake: &FakeServer) -> Output {
        let (runai, gbds) = (fake.url(), fake.gbds_url());
        match self {
            Kind::Runai => Login::runai(&runai).args(&["--api", "runai"]),
            Kind::RunaiV1 => Login::runai(&runai).args(&["--api", "runai-v1"]),
            Kind::Runai219 => Login::runai(&runai).args(&["--api", "runai-2.19"]),
            Kind::Oauth2 => Login::runai(&runai).args(&["--api", "runai-oauth2"]),
            Kind::Gbds => Login::gbds(&gbds),
        }
        .run(env)
    }

    fn fault(self, dead: Dead) -> Fault {
        match (self, dead) {
            (Kind::Gbds, Dead::PastInstant) => Fault::GbdsToken {
                expiration_time: Some("1000000000000".into()),
                ttl: None,
                token: None,
            },
            (Kind::Gbds, Dead::ZeroLifetime) => Fault::GbdsToken {
                expiration_time: None,
                ttl: Some("0".into()),
                token: None,
            },
            (_, Dead::PastInstant) => Fault::RunaiToken(TokenAnswer {
                claims: Some(r#"{"exp":1000,"iat":null}"#.into()),
                ..Default::default()
            }),
            (_, Dead::ZeroLifetime) => Fault::RunaiToken(TokenAnswer {
                expires_in: Some("0".into()),
                ..Default::default()
            }),
        }
    }

    /// Whether the login's answer carries a refresh token to keep.
    fn refreshable(self) -> bool {
        !matches!(self, Kind::Gbds)
    }
}

/// After a dead GBDS token is stored there is nothing to renew with: GBDS
/// renews only valid tokens, so the answer is "log in" (exit 3), still with
/// nothing printed. The other APIs renew and get a dead token again.
fn assert_unusable(kind: Kind, what: &str, out: &Output) {
    if matches!(kind, Kind::Gbds) {
        assert_eq!(out.code, 3, "{what}: exit 3, log in again:\n{out}");
        assert!(out.stdout.is_empty(), "{what}: nothing on stdout:\n{out}");
        assert!(out.stderr.contains("tokenctl login"), "{what}:\n{out}");
    } else {
        assert_dead(what, out);
    }
}

fn assert_dead(what: &str, out: &Output) {
    assert_eq!(out.code, 4, "{what}: exit 4 for an expired token:\n{out}");
    assert!(out.stdout.is_empty(), "{what}: nothing on stdout:\n{out}");
    assert!(
        out.stderr.contains("already expired") && out.stderr.contains("clock"),
        "{what}: says the token is expired and names the clock:\n{out}"
    );
}

/// The server keeps issuing dead tokens: no command ever prints one.
#[test]
fn no_command_prints_a_token_that_was_never_valid() {
    for kind in KINDS {
        for dead in [Dead::PastInstant, Dead::ZeroLifetime] {
            let case = format!("{kind:?} {dead:?}");
            let env = Env::new(Store::File);
            let fake = kind.server();
            fake.set_fault(kind.fault(dead), None);
            assert_dead(&format!("{case}: login"), &kind.login(&env, &fake));
            // `login && tokenctl token` stops at login; and whatever was
            // stored is never printed either.
            for args in [
                &["token"][..],
                &["token", "-o", "exec-credential"],
                &["kubectl-credential"],
                &["refresh"],
            ] {
                let out = env.run(args, "");
                assert_unusable(kind, &format!("{case}: {}", args.join(" ")), &out);
            }
            // `exec` is Unix only (Windows: exit 2, "needs a Unix system").
            #[cfg(unix)]
            {
                let out = env.run(&["exec", "--", "sh", "-c", "echo child-ran"], "");
                assert_unusable(kind, &format!("{case}: exec"), &out);
                assert!(!out.stdout.contains("child-ran"), "{case}: {out}");
            }
            let out = env.run(&["status"], "");
            assert!(
                out.stdout.contains("expired") && !out.stdout.contains("expiry unknown"),
                "{case}: status calls it expired, not unknown:\n{out}"
            );
        }
    }
}

/// A dead token from one answer only: login says so, but keeps the rotated
/// refresh token, so the next call renews from it.
#[test]
fn a_login_that_got_a_dead_token_keeps_its_refresh_token() {
    for kind in KINDS.into_iter().filter(|k| k.refreshable()) {
        for dead in [Dead::PastInstant, Dead::ZeroLifetime] {
            let case = format!("{kind:?} {dead:?}");
            let env = Env::new(Store::File);
            let fake = kind.server();
            fake.set_fault(kind.fault(dead), Some(1));
            assert_dead(&format!("{case}: login"), &kind.login(&env, &fake));
            let out = env.run(&["token"], "");
            assert_eq!(
                out.code, 0,
                "{case}: renewed from the kept refresh token:\n{out}"
            );
            assert!(
                fake.is_valid_access_token(out.stdout.trim()),
                "{case}: a token the server issued: {out}"
            );
        }
    }
}

/// Renewal that gets a dead token, after a good login: `refresh`, `token`,
/// `kubectl-credential` and `exec` each exit 4 and print nothing.
#[test]
fn renewal_that_gets_a_dead_token_prints_nothing() {
    for kind in KINDS {
        for dead in [Dead::PastInstant, Dead::ZeroLifetime] {
            let case = format!("{kind:?} {dead:?}");
            let env = Env::new(Store::File);
            let fake = kind.server();
            let out = kind.login(&env, &fake);
            assert_eq!(out.code, 0, "{case}: {out}");
            fake.set_fault(kind.fault(dead), None);
            assert_dead(&format!("{case}: refresh"), &env.run(&["refresh"], ""));
            for args in [&["token"][..], &["kubectl-credential"]] {
                let out = env.run(args, "");
                assert_unusable(kind, &format!("{case}: {}", args.join(" ")), &out);
            }
            #[cfg(unix)]
            {
                let out = env.run(&["exec", "--", "sh", "-c", "echo child-ran"], "");
                assert_unusable(kind, &format!("{case}: exec"), &out);
                assert!(!out.stdout.contains("child-ran"), "{case}: {out}");
            }
        }
    }
}
