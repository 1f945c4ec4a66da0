//! `tokenctl-fake-server --help` is real help: exit 0, with what the server
//! accepts, so a person can log in against it.

use std::process::Command;

use tokenctl_fake_server::Config;

#[test]
fn help_names_the_flags_and_every_credential_it_accepts() {
    let out = Command::new(env!("CARGO_BIN_EXE_tokenctl-fake-server"))
        .arg("--help")
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0));
    let text = String::from_utf8(out.stdout).unwrap();
    let c = Config::default();
    for want in [
        c.username.as_str(),
        &c.password,
        &c.client_id,
        &c.client_secret,
        &c.external_token,
        &c.gbds_user,
        &c.gbds_password,
        &c.oidc_client_id,
        "--port",
        "--https",
        "--ca-out",
        "--lifetime",
        "--runai-version",
        "--no-rotation",
        "--auto-approve",
        "/gbds/v2",
    ] {
        assert!(text.contains(want), "--help lacks {want}:\n{text}");
    }
    let out = Command::new(env!("CARGO_BIN_EXE_tokenctl-fake-server"))
        .arg("--bogus")
        .output()
        .unwrap();
    assert_eq!(
        out.status.code(),
        Some(2),
        "an unknown flag is a usage error"
    );
}
