//! `status --claims`: who the stored tokens say the user is, never the
//! tokens, and nothing a terminal would act on.

use crate::common;

use common::{Env, FakeServer, Store};
use serde_json::{Value, json};
use tokenctl_fake_server::jwt;

fn stored(env: &Env, which: &str) -> String {
    let record: Value =
        serde_json::from_str(&std::fs::read_to_string(env.token_file("default")).unwrap()).unwrap();
    record["tokens"][which].as_str().unwrap().to_string()
}

/// No token, and no part of one (the signature is the part no claim repeats).
fn assert_no_token(text: &str, tokens: &[&str]) {
    for token in tokens {
        assert!(!text.contains(token), "a token was printed:\n{text}");
        let sig = token.rsplit('.').next().unwrap();
        assert!(!text.contains(sig), "a signature was printed:\n{text}");
    }
}

/// Each line with runs of spaces made one, so tests do not pin the alignment.
fn squeeze(text: &str) -> String {
    text.lines()
        .map(|l| {
            l.split(' ')
                .filter(|w| !w.is_empty())
                .collect::<Vec<_>>()
                .join(" ")
        })
        .collect::<Vec<_>>()
        .join("\n")
        + "\n"
}

#[test]
fn claims_say_who_the_token_names() {
    let env = Env::new(Store::File);
    let fake = FakeServer::start();
    env.login(&fake.url());
    let access = stored(&env, "access_token");
    let id = stored(&env, "id_token");
    let exp = common::jwt_claims(&access)["exp"].as_u64().unwrap();
    let issuer = common::jwt_claims(&access)["iss"]
        .as_str()
        .unwrap()
        .to_string();

    let out = env.ok(&["status", "--claims"], "");
    assert_no_token(&out.stdout, &[&access, &id]);
    let text = squeeze(&out.stdout);
    for want in [
        "access token claims:".to_string(),
        "id token claims:".to_string(),
        format!("issuer: {issuer}"),
        "subject: alice".to_string(),
        "user: alice".to_string(),
        "audience: runai".to_string(),
        format!(
            "expires: {}",
            humantime::format_rfc3339_seconds(
                std::time::UNIX_EPOCH + std::time::Duration::from_secs(exp)
            )
        ),
    ] {
        assert!(text.contains(&want), "missing `{want}`:\n{out}");
    }

    let out = env.ok(&["status", "--claims", "-o", "json"], "");
    assert_no_token(&out.stdout, &[&access, &id]);
    let json: Value = serde_json::from_str(&out.stdout).unwrap();
    let claims = &json[0]["claims"];
    assert_eq!(claims[0]["token"], "access");
    assert_eq!(claims[0]["opaque"], false);
    assert_eq!(claims[0]["username"], "alice");
    assert_eq!(claims[0]["subject"], "alice");
    assert_eq!(claims[0]["issuer"], issuer.as_str());
    assert_eq!(claims[0]["audience"], json!(["runai"]));
    assert_eq!(claims[1]["token"], "id");

    // Only when asked.
    let out = env.ok(&["status", "-o", "json"], "");
    assert!(
        serde_json::from_str::<Value>(&out.stdout).unwrap()[0]
            .get("claims")
            .is_none()
    );
    let out = env.ok(&["status"], "");
    assert!(!out.stdout.contains("claims"), "{out}");
}

/// A server (or anyone who can write the store) controls the claims: escape
/// sequences and newlines in them are shown escaped (`\u{1b}`, `\n`), so no
/// line is forged and nothing reaches the terminal raw; groups and roles
/// shown. (They were dropped silently before issue 24.)
#[test]
fn control_characters_in_claims_are_escaped() {
    let env = Env::new(Store::File);
    let fake = FakeServer::start();
    env.login(&fake.url());
    let crafted = jwt::encode(&json!({
        "iss": "https://idp\u{1b}[2J.example",
        "sub": "eve",
        "preferred_username": "eve\u{1b}]0;owned\u{7}\nroot: yes",
        "email": "eve@example.com\r",
        "exp": 4_000_000_000u64,
        "groups": ["/ml\u{1b}[31m", "/ops"],
        "realm_access": {"roles": ["researcher"]},
        "resource_access": {"runai": {"roles": ["admin"]}}
    }));
    env.edit_record("default", |r| {
        r["tokens"]["access_token"] = crafted.clone().into();
    });
    let out = env.ok(&["status", "--claims"], "");
    assert_no_token(&out.stdout, &[&crafted]);
    assert!(
        !out.stdout.chars().any(|c| c.is_control() && c != '\n'),
        "a control character reached the terminal:\n{:?}",
        out.stdout
    );
    let text = squeeze(&out.stdout);
    assert!(
        text.contains(r"user: eve\u{1b}]0;owned\u{7}\nroot: yes"),
        "{out}"
    );
    assert!(!out.stdout.contains("\nroot: yes"), "no forged line");
    assert!(
        text.contains("issuer: https://idp\\u{1b}[2J.example\n"),
        "{out}"
    );
    assert!(text.contains("groups: /ml\\u{1b}[31m, /ops\n"), "{out}");
    assert!(text.contains("roles: researcher, runai:admin\n"), "{out}");
    assert!(text.contains("expires: 2096-10-02T07:06:40Z"), "{out}");
    let out = env.ok(&["status", "--claims", "-o", "json"], "");
    let json: Value = serde_json::from_str(&out.stdout).unwrap();
    assert_eq!(
        json[0]["claims"][0]["username"],
        r"eve\u{1b}]0;owned\u{7}\nroot: yes"
    );
    assert_eq!(json[0]["claims"][0]["email"], r"eve@example.com\r");
}

#[test]
fn opaque_tokens_have_no_claims() {
    let env = Env::new(Store::File);
    let fake = FakeServer::start();
    env.login(&fake.url());
    env.edit_record("default", |r| {
        r["tokens"]["access_token"] = "opaque-token-value".into();
    });
    let out = env.ok(&["status", "--claims"], "");
    assert!(
        out.stdout
            .contains("access token: opaque token (no claims)"),
        "{out}"
    );
    assert!(!out.stdout.contains("opaque-token-value"));
    let out = env.ok(&["status", "--claims", "-o", "json"], "");
    let json: Value = serde_json::from_str(&out.stdout).unwrap();
    assert_eq!(
        json[0]["claims"][0],
        json!({"token": "access", "opaque": true})
    );
}
