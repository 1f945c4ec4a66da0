//! `tokenctl-fake-server`: the fake token APIs as a standalone process for
//! the demo and benchmarks. Prints `listening on <url>` and serves until
//! killed; drive it through the `/__fake/*` control endpoints.

use std::io::Write;
use std::process::ExitCode;

use tokenctl_fake_server::{Config, FakeServer};

const USAGE: &str = "usage: tokenctl-fake-server [--port N] [--https [--ca-out FILE]] \
[--lifetime SECS] [--runai-version 2.19|2.23] [--no-rotation] [--auto-approve]";

struct Args {
    port: u16,
    https: bool,
    ca_out: Option<String>,
    config: Config,
}

fn parse_args(mut args: impl Iterator<Item = String>) -> Result<Args, String> {
    let mut parsed = Args {
        port: 0,
        https: false,
        ca_out: None,
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
            "--ca-out" => parsed.ca_out = Some(value("--ca-out")?),
            "--lifetime" => {
                parsed.config.access_token_lifetime_secs = value("--lifetime")?
                    .parse()
                    .map_err(|_| "--lifetime must be an integer (seconds)".to_string())?
            }
            "--runai-version" => {
                let v = value("--runai-version")?;
                if v != "2.19" && v != "2.23" {
                    return Err("--runai-version must be 2.19 or 2.23".to_string());
                }
                parsed.config.runai_version = v;
            }
            "--no-rotation" => parsed.config.rotate_refresh_tokens = false,
            "--auto-approve" => parsed.config.auto_approve = true,
            "-h" | "--help" => return Err(USAGE.to_string()),
            other => return Err(format!("unknown argument {other}\n{USAGE}")),
        }
    }
    if parsed.ca_out.is_some() && !parsed.https {
        return Err("--ca-out only makes sense with --https".to_string());
    }
    Ok(parsed)
}

fn main() -> ExitCode {
    let args = match parse_args(std::env::args().skip(1)) {
        Ok(a) => a,
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
    let mut stdout = std::io::stdout();
    let _ = writeln!(stdout, "listening on {}", server.url());
    let _ = stdout.flush();
    loop {
        std::thread::park();
    }
}
