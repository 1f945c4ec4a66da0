//! `tokenctl-fake-server`: the fake token APIs as a standalone process for
//! the demo and benchmarks. Prints `listening on <url>` and serves until
//! killed; drive it through the `/__fake/*` control endpoints.

use std::io::Write;
use std::process::ExitCode;

use tokenctl_fake_server::kube::PLAYGROUND_CLUSTER;
use tokenctl_fake_server::{Config, FakeKubeApi, FakeServer};

const USAGE: &str = "usage: tokenctl-fake-server [--port N] [--https [--ca-out FILE]] \
[--kubeconfig FILE [--kube-port N]] [--lifetime SECS] [--runai-version 2.19|2.23|2.24|3.0] \
[--no-rotation] [--auto-approve]";

use tokenctl_fake_server::control::RUNAI_VERSIONS;

/// `--help`: what a person trying tokenctl against this server needs.
fn help() -> String {
    let c = Config::default();
    format!(
        "tokenctl-fake-server: a fake Run:ai 2.19/2.23/2.24/3.0 and GBDS 4.7 token API on loopback, to try tokenctl without a real server.

{USAGE}

Prints `listening on <url>` and serves until killed (Ctrl-C). With --kubeconfig, a second line
`kube API on <https url> (kubeconfig FILE, cluster playground)`.

Options:
  --port N                  Port on 127.0.0.1 [default: 0, any free port]
  --https                   Serve HTTPS with a self-signed certificate [default: http]
  --ca-out FILE             With --https: write the CA certificate (PEM) there, for tokenctl --ca-file
  --kubeconfig FILE         Also serve a fake Kubernetes API over HTTPS (its own self-signed CA; it answers
                            only a bearer token this server issued) and write a kubeconfig for it there:
                            cluster `playground`, trusting that CA; add the user with
                            `tokenctl kubeconfig --write --cluster playground`
  --kube-port N             With --kubeconfig: the kube API's port [default: 0, any free port]
  --lifetime SECS           Access token lifetime; negative issues expired tokens [default: {lifetime}]
  --runai-version V         2.19, 2.23, 2.24 or 3.0 (2.19 has no client_credentials, no external_token_exchange;
                            2.24 adds the OAuth2 endpoint /api/v2/token, answered 404 before; 3.0 adds
                            external_token_exchange there and drops app_token from /api/v1/token) [default: {runai_version}]
  --no-rotation             Keep refresh tokens across refreshes [default: rotate them]
  --auto-approve            The SSO login page approves at once, as for a signed-in user [default: show a form]
  -h, --help                This help

What it accepts:
  Run:ai user               {user} / {password}    (tokenctl login -u {user})
  Service account/access key client id {client} with secret {secret} (login --access-key); app name {app} (2.19)
  External IdP token        {external}    (login --external-token-stdin)
  GitHub Actions request    GET <url>/__github/token with bearer {gha}: answers the external token
                            (login --external-token-from github-actions)
  SSO (login --browser)     OIDC client {oidc}; the login page takes the Run:ai user
  GBDS user                 {gbds_user} / {gbds_password}    at <url>/gbds/v2 (--api gbds)

Try it (the file store needs no keychain):
  tokenctl-fake-server --port 8080 &
  export TOKENCTL_STORE=file
  printf %s {password} | tokenctl login --server http://127.0.0.1:8080 -u {user} --password-stdin
  curl -H \"$(tokenctl token -o header)\" http://127.0.0.1:8080/api/v1/clusters
  TOKENCTL_CLIENT_SECRET={secret} tokenctl --profile ci login --server http://127.0.0.1:8080 --access-key {client}
  printf %s {gbds_password} | tokenctl --profile gbds login --api gbds --server http://127.0.0.1:8080/gbds/v2 -u {gbds_user} --password-stdin

kubectl against it (kubectl sends exec-plugin tokens over HTTPS only):
  tokenctl-fake-server --port 8080 --kubeconfig ~/playground.kubeconfig &
  export KUBECONFIG=~/playground.kubeconfig
  tokenctl kubeconfig --write --cluster playground
  kubectl --context tokenctl-default@playground get pods

Resources a token is for (bearer checked): GET /api/v1/clusters, GET /api/v1/org-unit/projects.

Control routes (not counted, never faulted): GET /__fake/counts, GET /__fake/requests, POST /__fake/reset,
POST /__fake/lifetime?secs=N, POST /__fake/rotation?on=false, POST /__fake/runai-version?v=3.0, POST /__fake/date-offset?secs=N,
POST /__fake/fault (JSON), DELETE /__fake/fault, POST /__fake/code?redirect_uri=U (an authorization code);
see tests/fake-server/src/control.rs.
",
        lifetime = c.access_token_lifetime_secs,
        runai_version = c.runai_version,
        user = c.username,
        password = c.password,
        client = c.client_id,
        secret = c.client_secret,
        app = c.app_name,
        external = c.external_token,
        gha = tokenctl_fake_server::github::GITHUB_REQUEST_TOKEN,
        oidc = c.oidc_client_id,
        gbds_user = c.gbds_user,
        gbds_password = c.gbds_password,
    )
}

/// What the command line asks for.
enum Parsed {
    Serve(Box<Args>),
    Help,
}

struct Args {
    port: u16,
    https: bool,
    ca_out: Option<String>,
    kubeconfig: Option<String>,
    kube_port: Option<u16>,
    config: Config,
}

fn parse_args(mut args: impl Iterator<Item = String>) -> Result<Parsed, String> {
    let mut parsed = Args {
        port: 0,
        https: false,
        ca_out: None,
        kubeconfig: None,
        kube_port: None,
        config: Config::default(),
    };
    while let Some(arg) = args.next() {
        let mut value = |name: &str| args.next().ok_or_else(|| format!("{name} needs a value"));
        match arg.as_str() {
            "--port" => {
                parsed.port = value("--port")?
                    .parse()
                    .map_err(|_| "--port must be a number 0-65535".to_string())?
            }
            "--https" => parsed.https = true,
            "--kubeconfig" => parsed.kubeconfig = Some(value("--kubeconfig")?),
            "--kube-port" => {
                parsed.kube_port = Some(
                    value("--kube-port")?
                        .parse()
                        .map_err(|_| "--kube-port must be a number 0-65535".to_string())?,
                )
            }
            "--ca-out" => parsed.ca_out = Some(value("--ca-out")?),
            "--lifetime" => {
                parsed.config.access_token_lifetime_secs = value("--lifetime")?
                    .parse()
                    .map_err(|_| "--lifetime must be an integer (seconds)".to_string())?
            }
            "--runai-version" => {
                let v = value("--runai-version")?;
                if !RUNAI_VERSIONS.contains(&v.as_str()) {
                    return Err(format!(
                        "--runai-version must be one of {}",
                        RUNAI_VERSIONS.join(", ")
                    ));
                }
                parsed.config.runai_version = v;
            }
            "--no-rotation" => parsed.config.rotate_refresh_tokens = false,
            "--auto-approve" => parsed.config.auto_approve = true,
            "-h" | "--help" => return Ok(Parsed::Help),
            other => {
                return Err(format!(
                    "unknown argument {other}\n{USAGE}\n(--help says more)"
                ));
            }
        }
    }
    if parsed.ca_out.is_some() && !parsed.https {
        return Err("--ca-out only makes sense with --https".to_string());
    }
    if parsed.kube_port.is_some() && parsed.kubeconfig.is_none() {
        return Err("--kube-port only makes sense with --kubeconfig FILE".to_string());
    }
    Ok(Parsed::Serve(Box::new(parsed)))
}

fn main() -> ExitCode {
    let args = match parse_args(std::env::args().skip(1)) {
        Ok(Parsed::Serve(a)) => *a,
        Ok(Parsed::Help) => {
            print!("{}", help());
            return ExitCode::SUCCESS;
        }
        Err(msg) => {
            eprintln!("{msg}");
            return ExitCode::from(2);
        }
    };
    let server = match FakeServer::bind(args.config, args.port, args.https) {
        Ok(s) => s,
        Err(e) => {
            eprintln!("tokenctl-fake-server: cannot listen: {e}");
            return ExitCode::FAILURE;
        }
    };
    // Write the CA before announcing the URL: readers wait for that line.
    if let (Some(path), Some(pem)) = (&args.ca_out, server.ca_pem())
        && let Err(e) = std::fs::write(path, pem)
    {
        eprintln!("tokenctl-fake-server: cannot write {path}: {e}");
        return ExitCode::FAILURE;
    }
    // The kube API and its kubeconfig, also before the announcement.
    let kube = match &args.kubeconfig {
        None => None,
        Some(path) => {
            let api = match FakeKubeApi::bind(server.state(), args.kube_port.unwrap_or(0)) {
                Ok(api) => api,
                Err(e) => {
                    eprintln!("tokenctl-fake-server: the kube API cannot listen: {e}");
                    return ExitCode::FAILURE;
                }
            };
            if let Err(e) = replace_file(path.as_ref(), &api.kubeconfig(PLAYGROUND_CLUSTER)) {
                eprintln!("tokenctl-fake-server: cannot write {path}: {e}");
                return ExitCode::FAILURE;
            }
            Some((api, path))
        }
    };
    let mut stdout = std::io::stdout();
    let _ = writeln!(stdout, "listening on {}", server.url());
    if let Some((api, path)) = &kube {
        let _ = writeln!(
            stdout,
            "kube API on {} (kubeconfig {path}, cluster {PLAYGROUND_CLUSTER})",
            api.url()
        );
    }
    let _ = stdout.flush();
    loop {
        std::thread::park();
    }
}

/// Writes `text` to a fresh file beside `path`, then renames it over
/// `path`: a link planted at `path` is replaced, never written through.
fn replace_file(path: &std::path::Path, text: &str) -> std::io::Result<()> {
    let name = path
        .file_name()
        .ok_or_else(|| std::io::Error::other("not a file name"))?;
    let mut tmp_name = std::ffi::OsString::from(".");
    tmp_name.push(name);
    tmp_name.push(format!(".{}", std::process::id()));
    let tmp = path.with_file_name(tmp_name);
    let mut file = std::fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .open(&tmp)?;
    let written = file
        .write_all(text.as_bytes())
        .and_then(|()| file.sync_all());
    drop(file);
    written
        .and_then(|()| std::fs::rename(&tmp, path))
        .inspect_err(|_| {
            let _ = std::fs::remove_file(&tmp);
        })
}
