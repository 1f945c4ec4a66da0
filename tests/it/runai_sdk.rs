//! The Run:ai CLI's configuration directory (`runai-config`, `exec
//! --runai-config`) and the official Python SDK, runapy 1.224.0, running
//! for real against the fake: its `CLIv2Config` reads what tokenctl wrote,
//! and the recipe of docs/runapy.md gives its client tokens from tokenctl,
//! renewed past their expiry.
//!
//! runapy comes from scripts/test.sh's venv; without it these tests fail
//! and say how to install it.
// Unix only: `runai-config` writes the directory with Unix's openat family
// (on Windows exec refuses --runai-config: tests/exec.rs).

use crate::common;

use std::os::unix::fs::{MetadataExt, PermissionsExt};
use std::path::{Path, PathBuf};
use std::process::Command;

use common::fixtures::Login;
use common::{Env, FakeServer, Output, Store};
use serde_json::{Value, json};
use tokenctl_fake_server::Config;
use tokenctl_fake_server::resources::{DEFAULT_CLUSTER_UUID, cluster_json};

const RUNAPY: &str = "1.224.0";

/// Python for a script on the test's moved clock (`Env::with_moved_clock`):
/// `now()` and `advance(secs)` read and move the same file tokenctl and the
/// fake read, and runapy's token refresher (which asks
/// `datetime.datetime.now(timezone.utc)`) sees the moved time too. No
/// script sleeps until a token expires.
const MOVED_CLOCK: &str = r#"
import datetime as _datetime, os as _os, time as _time
import runai.token_refresher as _refresher

_CLOCK = _os.environ["TOKENCTL_TEST_CLOCK"]

def moved():
    with open(_CLOCK) as f:
        return int(f.read().strip())

def now():
    return _time.time() + moved()

def advance(secs):
    # Under another name, then renamed: a reader never sees half a number.
    with open(_CLOCK + ".py", "w") as f:
        f.write(str(moved() + secs))
    _os.replace(_CLOCK + ".py", _CLOCK)

class _MovedDateTime(_datetime.datetime):
    @classmethod
    def now(cls, tz=None):
        return _datetime.datetime.now(tz) + _datetime.timedelta(seconds=moved())

class _MovedDateTimeModule:
    datetime = _MovedDateTime
    timezone = _datetime.timezone

_refresher.datetime = _MovedDateTimeModule
"#;

/// A Python that has runapy 1.224.0: scripts/test.sh's venv, else `python3`.
fn python() -> PathBuf {
    let cache = std::env::var_os("TOKENCTL_TEST_CACHE")
        .map(PathBuf::from)
        .or_else(|| {
            std::env::var_os("XDG_CACHE_HOME")
                .map(PathBuf::from)
                .or_else(|| std::env::var_os("HOME").map(|h| PathBuf::from(h).join(".cache")))
                .map(|c| c.join("tokenctl-test"))
        });
    let mut tried = Vec::new();
    let candidates = cache
        .map(|c| c.join("venv/bin/python3"))
        .into_iter()
        .chain([PathBuf::from("python3")]);
    for candidate in candidates {
        let version = Command::new(&candidate)
            .args(["-c", "import runai; print(runai.__version__)"])
            .output();
        match version {
            Ok(o) if String::from_utf8_lossy(&o.stdout).trim() == RUNAPY => return candidate,
            Ok(o) => tried.push(format!(
                "{}: {}",
                candidate.display(),
                String::from_utf8_lossy(&o.stderr)
                    .lines()
                    .last()
                    .unwrap_or("another runapy")
            )),
            Err(e) => tried.push(format!("{}: {e}", candidate.display())),
        }
    }
    panic!(
        "these tests run the Run:ai Python SDK runapy {RUNAPY}: run ./scripts/test.sh (it installs it into $TOKENCTL_TEST_CACHE/venv) or `pip install runapy=={RUNAPY}`; tried {tried:?}"
    )
}

/// The recipe module of docs/runapy.md (its `# tokenctl_runapy.py` block)
/// written into `dir`, so the tests run exactly what the page shows.
fn write_recipe(dir: &Path) {
    let page =
        std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("docs/runapy.md"))
            .unwrap();
    let start = page
        .find("```python\n# tokenctl_runapy.py\n")
        .expect("docs/runapy.md has the tokenctl_runapy.py block");
    let body = &page[start + "```python\n".len()..];
    let end = body.find("\n```").unwrap();
    std::fs::write(dir.join("tokenctl_runapy.py"), &body[..=end]).unwrap();
}

/// Runs `script` (Python, with `sys.argv[1:]` = `args`) in `env`, tokenctl
/// first on PATH and the recipe importable; its stdout parsed as JSON.
fn run_python(env: &Env, script: &str, args: &[&str]) -> Value {
    let out = python_cmd(env, &[])
        .arg("-c")
        .arg(script)
        .args(args)
        .output()
        .unwrap();
    let out = Output::from(out);
    assert_eq!(out.code, 0, "python failed:\n{out}");
    serde_json::from_str(out.stdout.trim()).unwrap_or_else(|e| panic!("{e}:\n{out}"))
}

fn python_cmd(env: &Env, wrap: &[&str]) -> Command {
    let module_dir = env.path("py");
    std::fs::create_dir_all(&module_dir).unwrap();
    write_recipe(&module_dir);
    let bin = assert_cmd::cargo::cargo_bin("tokenctl");
    let path = format!(
        "{}:{}",
        bin.parent().unwrap().display(),
        std::env::var("PATH").unwrap_or_default()
    );
    let python = python();
    let mut cmd = if wrap.is_empty() {
        Command::new(&python)
    } else {
        let mut c = Command::new(&bin);
        c.args(wrap).arg(&python);
        c
    };
    cmd.env_clear();
    for (k, v) in env.cmd().get_envs() {
        if let Some(v) = v {
            cmd.env(k, v);
        }
    }
    cmd.env("PATH", path)
        .env("PYTHONPATH", &module_dir)
        .env("PYTHONDONTWRITEBYTECODE", "1");
    cmd
}

/// The bearer of each `GET /api/v1/clusters` runapy sent, in order.
fn cluster_bearers(server: &FakeServer) -> Vec<String> {
    server
        .requests()
        .iter()
        .filter(|r| r.method == "GET" && r.path == "/api/v1/clusters")
        .filter(|r| {
            r.header("user-agent")
                .is_some_and(|ua| ua.starts_with("runai-api-client-python/"))
        })
        .map(|r| {
            r.header("authorization")
                .and_then(|a| a.strip_prefix("Bearer "))
                .unwrap_or("")
                .to_string()
        })
        .collect()
}

fn mode(path: &Path) -> u32 {
    std::fs::symlink_metadata(path)
        .unwrap()
        .permissions()
        .mode()
        & 0o7777
}

#[test]
#[cfg_attr(
    not(windows),
    ignore = "full tier: needs runapy 1.224.0 (the Run:ai Python SDK)"
)]
fn cliv2_config_reads_what_runai_config_wrote_and_a_call_carries_it() {
    let server = FakeServer::start();
    let env = Env::new(Store::File);
    env.login(&server.url());
    let dir = env.path("work/.runai");
    let out = env.ok(
        &["runai-config", "--write", "--dir", dir.to_str().unwrap()],
        "",
    );
    assert!(
        out.stdout.is_empty(),
        "--write prints nothing on stdout:\n{out}"
    );
    assert!(out.stderr.contains(DEFAULT_CLUSTER_UUID), "{out}");
    assert_eq!(mode(&dir), 0o700);
    assert_eq!(mode(&dir.join("config.json")), 0o600);
    assert_eq!(mode(&dir.join("authentication.json")), 0o600);
    let token = env.ok(&["token"], "").stdout.trim().to_string();
    assert!(!out.stderr.contains(&token), "no token in messages:\n{out}");

    server.reset_counts();
    let seen = run_python(
        &env,
        r#"
import json, sys
from runai.api import ClustersApi
from runai.api_client import ApiClient
from runai.cliv2_config_loader import CLIv2Config
from runai.configuration import Configuration
from tokenctl_runapy import RunaiConfigApiClient

cli = CLIv2Config(sys.argv[1])
cli.load()
RunaiConfigApiClient.path = sys.argv[1]
client = RunaiConfigApiClient(Configuration(runai_base_url=cli.control_plane_url, retry_enabled=False))
listed = ClustersApi(client).get_clusters()
# What the recipe avoids: a bearer_token client still asks /api/v1/token for app_token.
try:
    ApiClient(Configuration(bearer_token=cli.token, runai_base_url=cli.control_plane_url, retry_enabled=False))
    bearer_client = "built"
except Exception as e:
    bearer_client = type(e).__name__
print(json.dumps({"token": cli.token, "url": cli.control_plane_url, "cluster": cli.cluster_uuid,
                  "status": listed.status_code, "listed": listed.data, "bearer_client": bearer_client}))
"#,
        &[dir.to_str().unwrap()],
    );
    assert_eq!(seen["token"], token.as_str());
    assert_eq!(seen["url"], server.url().as_str());
    assert_eq!(seen["cluster"], DEFAULT_CLUSTER_UUID);
    assert_eq!(seen["status"], 200);
    assert_eq!(seen["listed"][0]["uuid"], DEFAULT_CLUSTER_UUID);
    assert_eq!(cluster_bearers(&server), [token.as_str()]);
    assert_eq!(seen["bearer_client"], "ValueError", "{seen}");
    assert_eq!(server.count("grant:app_token"), 1, "{:?}", server.counts());
}

#[test]
#[cfg_attr(
    not(windows),
    ignore = "full tier: needs runapy 1.224.0 (the Run:ai Python SDK)"
)]
fn the_recipe_client_renews_through_tokenctl_after_the_token_expired() {
    // Five-second tokens: the second call comes after the first token died
    // (on the test's clock, moved past the token's end).
    let env = Env::with_moved_clock(Store::File);
    let server = FakeServer::start_with(Config {
        access_token_lifetime_secs: 5,
        clock: Some(env.clock().file().to_path_buf()),
        ..Config::default()
    });
    env.login(&server.url());
    server.reset_counts();
    let script = format!(
        "{MOVED_CLOCK}{}",
        r#"
import json, sys
from runai.api import ClustersApi
from runai.configuration import Configuration
from tokenctl_runapy import TokenctlApiClient

client = TokenctlApiClient(Configuration(runai_base_url=sys.argv[1], token_refresh_margin=1, retry_enabled=False))
first = client._token
ClustersApi(client).get_clusters()
exp = client.token_refresher._token_expiry
advance(int(exp - now()) + 2)
second_at = now()
ClustersApi(client).get_clusters()
print(json.dumps({"first": first, "exp": exp, "second_at": second_at, "second": client._token}))
"#
    );
    let seen = run_python(&env, &script, &[&server.url()]);
    let (first, second) = (
        seen["first"].as_str().unwrap(),
        seen["second"].as_str().unwrap(),
    );
    assert_ne!(first, second, "the second call used a renewed token");
    assert!(seen["second_at"].as_f64().unwrap() > seen["exp"].as_f64().unwrap());
    // Each call carried the token of its time, and the fake accepted both
    // (runapy raises on a 401: the script would have failed).
    assert_eq!(cluster_bearers(&server), [first, second]);
    assert!(
        !server.is_valid_access_token(first),
        "the first token expired"
    );
    // Renewed by tokenctl with the refresh token; runapy's own grant never sent.
    assert_eq!(server.count("grant:app_token"), 0, "{:?}", server.counts());
    assert!(
        server.count("grant:refresh_token") >= 1,
        "{:?}",
        server.counts()
    );
    assert_eq!(env.ok(&["token"], "").stdout.trim(), second);
}

#[test]
#[cfg_attr(
    not(windows),
    ignore = "full tier: needs runapy 1.224.0 (the Run:ai Python SDK)"
)]
fn exec_keeps_the_runai_config_fresh_for_the_sdk() {
    // Five-second tokens, renewed by exec two seconds before they expire:
    // before runapy (margin 1 s) asks for the next one. The script moves
    // the test's clock past exec's renewal, waits for the directory to
    // change, then past the first token's end.
    let env = Env::with_moved_clock(Store::File);
    let server = FakeServer::start_with(Config {
        access_token_lifetime_secs: 5,
        clock: Some(env.clock().file().to_path_buf()),
        ..Config::default()
    });
    env.login(&server.url());
    let dir = env.path("notebook/.runai");
    server.reset_counts();
    let script = format!(
        "{MOVED_CLOCK}{}",
        r#"
import json, os, time
from runai.api import ClustersApi
from runai.cliv2_config_loader import CLIv2Config
from runai.configuration import Configuration
from tokenctl_runapy import RunaiConfigApiClient

auth = os.path.join(os.environ["RUNAI_CLI_CONFIG_PATH"], "authentication.json")
def stored():
    with open(auth) as f:
        return json.load(f)["accessToken"]

cli = CLIv2Config(os.environ["RUNAI_CLI_CONFIG_PATH"])
cli.load()
client = RunaiConfigApiClient(Configuration(runai_base_url=cli.control_plane_url, token_refresh_margin=1, retry_enabled=False))
first = client._token
ClustersApi(client).get_clusters()
exp = client.token_refresher._token_expiry
before = stored()
# Under 2 s left: exec's renewal is due; the clock stands still until the
# directory holds the new token (a minute of real time at most).
advance(int(exp - now()) - 1)
waited = time.time()
while stored() == before:
    if time.time() - waited > 60:
        raise SystemExit("exec did not renew the directory with %.1f s left" % (exp - now()))
    time.sleep(0.02)
advance(2)
ClustersApi(client).get_clusters()
print(json.dumps({"dir": os.environ["RUNAI_CLI_CONFIG_PATH"], "first": first, "second": client._token}))
"#
    );
    let out = python_cmd(
        &env,
        &[
            "exec",
            "--runai-config",
            dir.to_str().unwrap(),
            "--min-valid",
            "2s",
            "--",
        ],
    )
    .arg("-c")
    .arg(&script)
    .output()
    .unwrap();
    let out = Output::from(out);
    assert_eq!(out.code, 0, "{out}");
    let seen: Value = serde_json::from_str(out.stdout.trim()).unwrap();
    let (first, second) = (
        seen["first"].as_str().unwrap(),
        seen["second"].as_str().unwrap(),
    );
    assert_eq!(
        seen["dir"],
        std::fs::canonicalize(&dir).unwrap().to_str().unwrap()
    );
    assert_ne!(first, second, "exec renewed the token in the directory");
    assert_eq!(cluster_bearers(&server), [first, second]);
    // exec looked the cluster up once, before the command started.
    assert_eq!(server.count("GET /api/v1/clusters"), 3);
    assert_eq!(server.count("grant:app_token"), 0);
    // The directory holds a token exec renewed, in runapy's encoding.
    let auth: Value =
        serde_json::from_str(&std::fs::read_to_string(dir.join("authentication.json")).unwrap())
            .unwrap();
    use base64::Engine;
    let stored = base64::engine::general_purpose::URL_SAFE_NO_PAD
        .decode(auth["accessToken"].as_str().unwrap())
        .unwrap();
    let stored = String::from_utf8(stored).unwrap();
    assert!(
        stored == second || server.count("grant:refresh_token") >= 2,
        "{stored}"
    );
    assert_ne!(stored, first);
}

/// `runai-config --write --dir DIR` plus `more`.
fn write(env: &Env, dir: &Path, more: &[&str]) -> Output {
    let mut args = vec!["runai-config", "--write", "--dir", dir.to_str().unwrap()];
    args.extend_from_slice(more);
    env.run(&args, "")
}

#[test]
fn the_cluster_comes_from_the_flag_the_config_or_the_only_one_listed() {
    let server = FakeServer::start();
    let env = Env::new(Store::File);
    env.login(&server.url());
    let dir = env.path(".runai");
    let evil = "prod\u{1b}]8;;http://evil\u{7}\u{1b}[31m";
    server.set_clusters(json!([
        cluster_json("aaaa-1111", evil),
        cluster_json("bbbb-2222", "staging")
    ]));

    // Two clusters: no guess, both named (escaped), nothing written.
    let out = write(&env, &dir, &[]);
    assert_eq!(out.code, 2, "{out}");
    for want in ["aaaa-1111", "bbbb-2222", "staging", "--cluster-uuid"] {
        assert!(out.stderr.contains(want), "{want}:\n{out}");
    }
    assert!(
        !out.stderr.contains('\u{1b}') && !out.stderr.contains('\u{7}'),
        "{:?}",
        out.stderr
    );
    assert!(!dir.exists(), "nothing created");

    // The flag decides; later runs keep what config.json names, unasked.
    let out = write(&env, &dir, &["--cluster-uuid", "bbbb-2222"]);
    assert_eq!(out.code, 0, "{out}");
    server.reset_counts();
    assert_eq!(write(&env, &dir, &[]).code, 0);
    assert_eq!(
        server.count("GET /api/v1/clusters"),
        0,
        "{:?}",
        server.counts()
    );
    let config: Value =
        serde_json::from_str(&std::fs::read_to_string(dir.join("config.json")).unwrap()).unwrap();
    assert_eq!(config["cluster"]["uuid"], "bbbb-2222");

    // A config.json for another control plane: its cluster is not this one's.
    let other = env.path("other");
    std::fs::create_dir(&other).unwrap();
    std::fs::write(
        other.join("config.json"),
        r#"{"control_plane":{"url":"https://elsewhere.run.ai"},"cluster":{"uuid":"cccc"}}"#,
    )
    .unwrap();
    assert_eq!(write(&env, &other, &[]).code, 2);
    server.set_clusters(json!([cluster_json("dddd-4444", "only")]));
    assert_eq!(write(&env, &other, &[]).code, 0);
    let config: Value =
        serde_json::from_str(&std::fs::read_to_string(other.join("config.json")).unwrap()).unwrap();
    assert_eq!(config["cluster"]["uuid"], "dddd-4444");
    assert_eq!(config["control_plane"]["url"], server.url().as_str());

    // None listed; a bad flag; an answer that is not a list.
    server.set_clusters(json!([]));
    let fresh = env.path("fresh");
    let out = write(&env, &fresh, &[]);
    assert_eq!(out.code, 2, "{out}");
    assert!(out.stderr.contains("lists no cluster"), "{out}");
    let out = write(&env, &fresh, &["--cluster-uuid", "../../etc"]);
    assert_eq!(out.code, 2, "{out}");
    assert!(out.stderr.contains("not a cluster UUID"), "{out}");
    let token = env.ok(&["token"], "").stdout.trim().to_string();
    server.set_clusters(json!({"echo": token}));
    let out = write(&env, &fresh, &[]);
    assert_eq!(out.code, 4, "{out}");
    assert!(
        out.stderr.contains("not shown") && !out.stderr.contains(&token),
        "{out}"
    );
    server.set_clusters(json!([{"uuid": "x\u{1b}[2J", "name": "n"}]));
    let out = write(&env, &fresh, &[]);
    assert_eq!(out.code, 4, "{out}");
    assert!(!out.stderr.contains('\u{1b}'), "{:?}", out.stderr);
    assert!(!fresh.join("config.json").exists());
}

#[test]
fn a_refused_or_failing_cluster_list_says_so_without_the_token() {
    let server = FakeServer::start();
    let env = Env::new(Store::File);
    env.login(&server.url());
    let token = env.ok(&["token"], "").stdout.trim().to_string();
    let dir = env.path(".runai");
    for (status, body, code, words) in [
        (
            401,
            format!(r#"{{"code":401,"message":"bad token {token}"}}"#),
            3,
            "refused the token",
        ),
        (
            403,
            r#"{"code":403,"message":"forbidden"}"#.to_string(),
            3,
            "may not list",
        ),
        (404, "<html>nope</html>".to_string(), 4, "no cluster list"),
        (
            500,
            r#"{"code":500,"message":"boom"}"#.to_string(),
            4,
            "boom",
        ),
    ] {
        server.set_fault(
            common::Fault::Status {
                status,
                body,
                content_type: Some("application/json".into()),
            },
            Some(1),
        );
        let out = write(&env, &dir, &[]);
        assert_eq!(out.code, code, "{status}: {out}");
        assert!(out.stderr.contains(words), "{status}: {out}");
        assert!(
            out.stderr.contains("--cluster-uuid") || status == 401,
            "{out}"
        );
        assert!(!out.stderr.contains(&token), "{status}: {out}");
    }
    assert!(!dir.join("authentication.json").exists());
}

#[test]
fn config_json_keeps_its_keys_and_a_broken_one_is_left_alone() {
    let server = FakeServer::start();
    let env = Env::new(Store::File);
    env.login(&server.url());
    let dir = env.path(".runai");
    std::fs::create_dir(&dir).unwrap();
    let original = r#"{"interactive":"enabled","control_plane":{"url":"https://old","auth_url":"https://idp"},"limits":{"big":123456789012345678901234567890,"f":1.50},"unknown":[null,true,"\u00e9"]}"#;
    std::fs::write(dir.join("config.json"), original).unwrap();
    std::fs::write(
        dir.join("authentication.json"),
        r#"{"accessToken":"old","refreshToken":"theirs"}"#,
    )
    .unwrap();
    assert_eq!(write(&env, &dir, &[]).code, 0);
    let text = std::fs::read_to_string(dir.join("config.json")).unwrap();
    let config: Value = serde_json::from_str(&text).unwrap();
    assert_eq!(config["interactive"], "enabled");
    assert_eq!(config["control_plane"]["auth_url"], "https://idp");
    assert_eq!(config["control_plane"]["url"], server.url().as_str());
    assert_eq!(config["cluster"]["uuid"], DEFAULT_CLUSTER_UUID);
    assert_eq!(config["unknown"], json!([null, true, "é"]));
    assert!(
        text.contains("123456789012345678901234567890") && text.contains("1.50"),
        "{text}"
    );
    // authentication.json holds tokenctl's token alone.
    let auth: Value =
        serde_json::from_str(&std::fs::read_to_string(dir.join("authentication.json")).unwrap())
            .unwrap();
    assert_eq!(auth.as_object().unwrap().len(), 1, "{auth}");

    for broken in [
        "{\"control_plane\": ",
        "[1,2]",
        "{\"cluster\": \"x\"}",
        "\u{0}\u{1}",
    ] {
        std::fs::write(dir.join("config.json"), broken).unwrap();
        std::fs::write(dir.join("authentication.json"), "before").unwrap();
        let out = write(&env, &dir, &[]);
        assert_eq!(out.code, 2, "{broken:?}: {out}");
        assert!(out.stderr.contains("left it as it is"), "{out}");
        assert_eq!(
            std::fs::read_to_string(dir.join("config.json")).unwrap(),
            broken
        );
        assert_eq!(
            std::fs::read_to_string(dir.join("authentication.json")).unwrap(),
            "before"
        );
    }
}

#[test]
#[cfg_attr(
    not(windows),
    ignore = "full tier: needs root (makes files of another user)"
)]
fn planted_links_and_other_users_files_are_refused() {
    assert_eq!(
        // SAFETY: geteuid has no preconditions.
        unsafe { libc::geteuid() },
        0,
        "this test makes files of another user (uid 65534): run it as root, as CI does"
    );
    let server = FakeServer::start();
    let env = Env::new(Store::File);
    env.login(&server.url());
    let dir = env.path(".runai");
    std::fs::create_dir(&dir).unwrap();
    std::fs::set_permissions(&dir, std::fs::Permissions::from_mode(0o700)).unwrap();
    let victim = env.path("victim.json");
    std::fs::write(&victim, "{\"mine\":1}").unwrap();
    let nobody = |path: &Path| std::os::unix::fs::lchown(path, Some(65534), Some(65534)).unwrap();

    for name in ["config.json", "authentication.json"] {
        let link = dir.join(name);
        std::os::unix::fs::symlink(&victim, &link).unwrap();
        nobody(&link);
        let out = write(&env, &dir, &[]);
        assert_eq!(out.code, 2, "{name}: {out}");
        assert!(out.stderr.contains("symbolic link"), "{out}");
        assert_eq!(std::fs::read_to_string(&victim).unwrap(), "{\"mine\":1}");
        assert!(
            std::fs::symlink_metadata(&link)
                .unwrap()
                .file_type()
                .is_symlink()
        );
        std::fs::remove_file(&link).unwrap();

        std::fs::write(&link, "{}").unwrap();
        nobody(&link);
        let out = write(&env, &dir, &[]);
        assert_eq!(out.code, 2, "{name}: {out}");
        assert!(out.stderr.contains("uid 65534"), "{out}");
        assert_eq!(std::fs::metadata(&link).unwrap().uid(), 65534);
        std::fs::remove_file(&link).unwrap();
    }

    // A directory of another user, or one others may write to.
    nobody(&dir);
    let out = write(&env, &dir, &[]);
    assert_eq!(out.code, 2, "{out}");
    assert!(out.stderr.contains("uid 65534"), "{out}");
    std::os::unix::fs::lchown(&dir, Some(0), Some(0)).unwrap();
    std::fs::set_permissions(&dir, std::fs::Permissions::from_mode(0o1777)).unwrap();
    let out = write(&env, &dir, &[]);
    assert_eq!(out.code, 2, "{out}");
    assert!(out.stderr.contains("chmod go-w"), "{out}");
    assert_eq!(
        std::fs::read_dir(&dir).unwrap().count(),
        0,
        "nothing written"
    );
    // Through a link to a directory of ours: followed (dotfiles setups).
    std::fs::set_permissions(&dir, std::fs::Permissions::from_mode(0o700)).unwrap();
    let via = env.path("via");
    std::os::unix::fs::symlink(&dir, &via).unwrap();
    assert_eq!(write(&env, &via, &[]).code, 0);
    assert!(dir.join("authentication.json").is_file());
}

#[test]
fn without_write_it_prints_config_json_and_writes_nothing() {
    let server = FakeServer::start();
    let env = Env::new(Store::File);
    env.login(&server.url());
    let token = env.ok(&["token"], "").stdout.trim().to_string();
    // $RUNAI_CLI_CONFIG_PATH names the directory, as for the readers.
    let dir = env.path("elsewhere");
    let out = Output::of(
        env.cmd()
            .args(["runai-config"])
            .env("RUNAI_CLI_CONFIG_PATH", &dir),
    );
    assert_eq!(out.code, 0, "{out}");
    let printed: Value = serde_json::from_str(&out.stdout).unwrap();
    assert_eq!(
        printed,
        json!({"control_plane": {"url": server.url()}, "cluster": {"uuid": DEFAULT_CLUSTER_UUID}})
    );
    assert!(
        out.stderr.contains("elsewhere/authentication.json"),
        "{out}"
    );
    assert!(!out.stdout.contains(&token) && !out.stderr.contains(&token));
    assert!(!dir.exists(), "a dry run creates nothing");

    // The default is ~/.runai.
    let out = env.ok(&["runai-config", "--write"], "");
    assert!(env.path(".runai/config.json").is_file(), "{out}");

    // -o has nothing to apply to; a dangling link is not a directory.
    let out = env.fails(&["-o", "json", "runai-config"], "", 2);
    assert!(out.stderr.contains("-o json"), "{out}");
    let dangling = env.path("dangling");
    std::os::unix::fs::symlink(env.path("nowhere"), &dangling).unwrap();
    let out = env.fails(
        &[
            "runai-config",
            "--write",
            "--dir",
            dangling.to_str().unwrap(),
        ],
        "",
        2,
    );
    assert!(out.stderr.contains("does not exist"), "{out}");
    assert!(!env.path("nowhere").exists());

    // A GBDS profile has no Run:ai CLI.
    Login::gbds(&server.gbds_url())
        .global(&["--profile", "g"])
        .ok(&env);
    let out = env.fails(&["--profile", "g", "runai-config"], "", 2);
    assert!(out.stderr.contains("GBDS"), "{out}");
}
