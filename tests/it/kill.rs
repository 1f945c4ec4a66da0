//! SIGKILL at any moment during a refresh leaves the previous token set or
//! the new one: never a broken store.

use crate::common;

use std::hash::{BuildHasher, RandomState};
use std::process::Stdio;
use std::time::Duration;

use common::{Env, FakeServer, Fault, Store};
use serde_json::Value;
use tokenctl_fake_server::Config;

fn random_below(n: u64) -> u64 {
    RandomState::new().hash_one(std::time::Instant::now()) % n
}

#[test]
fn killed_refreshes_never_break_the_store() {
    let env = Env::new(Store::File);
    // Without rotation a refresh killed after the server answered loses
    // nothing server-side, so every round can go on refreshing.
    let fake = FakeServer::start_with(Config {
        rotate_refresh_tokens: false,
        ..Config::default()
    });
    env.login(&fake.url());
    let path = env.token_file("default");
    let mut completed = 0;
    for round in 0..30 {
        fake.set_fault(
            Fault::Slow(Duration::from_millis(random_below(150))),
            Some(1),
        );
        let before = std::fs::read(&path).unwrap();
        let mut child = env
            .std_cmd(&["refresh"])
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        std::thread::sleep(Duration::from_millis(random_below(200)));
        let _ = child.kill();
        let status = child.wait().unwrap();
        if status.success() {
            completed += 1;
        }
        let after = std::fs::read(&path).unwrap();
        let record: Value = serde_json::from_slice(&after)
            .unwrap_or_else(|e| panic!("round {round}: the store does not parse ({e})"));
        let access = record["tokens"]["access_token"]
            .as_str()
            .expect("an access token");
        assert!(
            fake.is_valid_access_token(access),
            "round {round}: the stored token is one the server issued"
        );
        // Either untouched, or a whole new set: a new access token with the
        // (non-rotating) refresh token kept, never a mix or a half record.
        let old: Value = serde_json::from_slice(&before).unwrap();
        assert!(
            after == before
                || (record["tokens"]["access_token"] != old["tokens"]["access_token"]
                    && record["tokens"]["refresh_token"] == old["tokens"]["refresh_token"]
                    && record["tokens"]["refresh_token"].is_string()),
            "round {round}: old or new set"
        );
        env.ok(&["token", "--min-valid", "0s"], "");
    }
    // The loop must have killed some refreshes and let others finish.
    assert!(
        completed < 30,
        "no refresh was ever killed: the test proved nothing"
    );
}
