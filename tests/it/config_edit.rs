//! `config.toml` is the user's file: `login` edits its own profile's keys
//! in place and leaves every other byte as it was (comments, blank lines,
//! order, CRLF line ends, a missing final newline, the other profiles);
//! `logout` does not touch it. A file tokenctl cannot read is refused, not
//! rewritten.

use crate::common;

use common::fixtures::{Login, PASSWORD};
use common::{Env, FakeServer, Store};

/// A hand-written config: CRLF line ends, comments everywhere, blank lines,
/// keys in an order of the user's choosing, a setting tokenctl no longer
/// uses (`pkce`), three profiles, and no newline at the end.
fn hand_written(url: &str) -> String {
    [
        "# My tokenctl profiles (hand-edited, Windows line ends)",
        "",
        "",
        "[profiles.staging]   # the test cluster",
        "username = \"alice\"",
        "# the server, spelled my way:",
        &format!("server   =   \"{url}/\"    # keep this comment"),
        "api = \"runai\"",
        "pkce = false",
        "store = \"file\"",
        "min_valid = \"2m\"  # renew early",
        "",
        "  # a comment between profiles, indented",
        "",
        "[profiles.prod]",
        "api = 'runai'",
        "server = \"https://prod.example.com\"",
        "username = \"bob\"",
        "store = \"file\"",
        "",
        "[ profiles . \"gbds-lab\" ]",
        "server = \"http://10.0.0.5:8085/gbds/v2\"",
        "api = \"gbds\"",
        "allow_http = true",
        "store = \"file\"   # last line, no newline after it",
    ]
    .join("\r\n")
}

fn read(env: &Env) -> String {
    String::from_utf8(std::fs::read(env.config_path()).unwrap()).unwrap()
}

#[test]
fn login_and_logout_keep_every_other_byte() {
    let env = Env::new(Store::File);
    let fake = FakeServer::start();
    let url = fake.url();
    let original = hand_written(&url);
    std::fs::create_dir_all(env.config_path().parent().unwrap()).unwrap();
    std::fs::write(env.config_path(), &original).unwrap();

    // A new profile: appended, in the file's own line ends, the file still
    // without a final newline; not one byte before it changes.
    Login::runai(&url).global(&["--profile", "new"]).ok(&env);
    let after_new = read(&env);
    let added = format!(
        "\r\n\r\n[profiles.new]\r\nserver = \"{url}\"\r\napi = \"runai\"\r\ntoken_endpoint = \"v1\"\r\nusername = \"alice\"\r\nstore = \"file\""
    );
    assert_eq!(after_new, format!("{original}{added}"));

    // A re-login of an existing profile at the same server spelled another
    // way, with --allow-http: its `server` value changes (its comment
    // stays), `allow_http` is added after its last key, the dropped `pkce`
    // line goes; everything else stays.
    let localhost = url.replace("127.0.0.1", "localhost");
    Login::runai(&localhost)
        .global(&["--profile", "staging"])
        .args(&["--allow-http"])
        .ok(&env);
    let expected = after_new
        .replace(
            &format!("server   =   \"{url}/\"    # keep this comment"),
            &format!("server   =   \"{localhost}\"    # keep this comment"),
        )
        .replace("pkce = false\r\n", "")
        .replace(
            "min_valid = \"2m\"  # renew early\r\n",
            "min_valid = \"2m\"  # renew early\r\ntoken_endpoint = \"v1\"\r\nallow_http = true\r\n",
        );
    assert_ne!(expected, after_new, "the expectation changes something");
    assert_eq!(read(&env), expected);
    env.ok(&["--profile", "staging", "token"], "");

    // The same login again changes nothing at all.
    Login::runai(&localhost)
        .global(&["--profile", "staging"])
        .args(&["--allow-http"])
        .ok(&env);
    assert_eq!(read(&env), expected);

    // Logging out of other profiles leaves the file as it is.
    env.ok(&["--profile", "prod", "logout"], "");
    env.ok(&["--profile", "new", "logout"], "");
    assert_eq!(read(&env), expected);
    env.ok(&["logout", "--all"], "");
    assert_eq!(read(&env), expected);
}

#[test]
fn a_file_with_lf_and_a_final_newline_keeps_them() {
    let env = Env::new(Store::File);
    let fake = FakeServer::start();
    let url = fake.url();
    let original = "# mine\n\n[profiles.default]\nserver = \"https://old.example.com\" # was\napi = \"runai\"\nusername = \"alice\"\nstore = \"file\"\n\n# end of file\n";
    std::fs::create_dir_all(env.config_path().parent().unwrap()).unwrap();
    std::fs::write(env.config_path(), original).unwrap();
    env.login(&url);
    // A 2.23 server: the login found no /api/v2/token and remembers v1.
    let relogged = original
        .replace(
            "\"https://old.example.com\" # was",
            &format!("\"{url}\" # was"),
        )
        .replace(
            "store = \"file\"\n",
            "store = \"file\"\ntoken_endpoint = \"v1\"\n",
        );
    assert_eq!(read(&env), relogged);
    Login::runai(&url).global(&["--profile", "second"]).ok(&env);
    assert_eq!(
        read(&env),
        format!(
            "{}\n[profiles.second]\nserver = \"{url}\"\napi = \"runai\"\ntoken_endpoint = \"v1\"\nusername = \"alice\"\nstore = \"file\"\n",
            relogged
        )
    );
}

/// A config tokenctl cannot read (a value of the wrong type, a key it does
/// not know, broken TOML): `login` says which line and what to do, exits 2,
/// stores nothing and leaves the file exactly as it was.
#[test]
fn a_config_it_cannot_read_is_refused_not_rewritten() {
    let fake = FakeServer::start();
    let url = fake.url();
    for (bad, needle) in [
        (
            "[profiles.other]\r\nserver = \"https://a.example.com\"\r\napi = \"runai\"\r\nmin_valid = 120\r\n",
            "line 4",
        ),
        (
            "# from a newer tokenctl\n[profiles.other]\nserver = \"https://a.example.com\"\napi = \"runai\"\nsome_new_key = \"x\"\n",
            "unknown field `some_new_key`",
        ),
        ("[profiles.other\nserver = \"x\"\n", "line 1"),
    ] {
        let env = Env::new(Store::File);
        std::fs::create_dir_all(env.config_path().parent().unwrap()).unwrap();
        std::fs::write(env.config_path(), bad).unwrap();
        let out = env.run(
            &Login::runai(&url).global(&["--profile", "new"]).argv(),
            PASSWORD,
        );
        assert_eq!(out.code, 2, "{out}");
        assert!(out.stderr.contains(needle), "{out}");
        assert_eq!(read(&env), bad, "the file changed");
        assert!(!env.token_file("new").exists(), "a token was stored");
        assert!(fake.requests().is_empty(), "a password was sent");
    }
}
