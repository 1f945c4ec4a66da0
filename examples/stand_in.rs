//! What the integration tests run in place of a user's program, the same on
//! Unix and Windows (where there is no `sh` to write it in): the command
//! under `tokenctl exec`. Not an example to follow: tests/common finds it
//! (`common::stand_in`).
//!
//! `stand_in STEP...` runs the steps in order:
//!
//! - `exit CODE`: exits with CODE; what follows is the command's own
//!   arguments, unread.
//! - `touch FILE`: creates FILE.
//! - `env-to FILE`: writes the environment to FILE, `NAME=VALUE` a line.
//! - `token-file-to FILE`: copies the file `$TOKENCTL_TOKEN_FILE` names.
//! - `inspect DIR`: `env-to DIR/env`, `token-file-to DIR/token`, and (Unix)
//!   the token file's mode, in octal, to DIR/mode.
//! - `reads LOG N`: for N seconds, every second, appends `SECONDS TOKEN`
//!   (the Unix time and what `$TOKENCTL_TOKEN_FILE` holds) to LOG. On a
//!   clock the test moves (`TOKENCTL_TEST_CLOCK`, read as tokenctl reads
//!   it) the N seconds are the moved clock's, and it reads every 10 ms.
//! - `say-token-file`: prints `$TOKENCTL_TOKEN_FILE` on stdout.
//! - `wait-stdin`: reads stdin to its end.
//! - `on-ctrl-break CODE` (Windows): from now on a Ctrl-Break or Ctrl-C
//!   from the console ends it with CODE.
//! - `ready`: prints `ready` and the token file's path on stdout.
//! - `sleep SECONDS`.
//! - `browse DIR URL`: the user at a browser, for `$BROWSER` (tokenctl adds
//!   the URL): opens tokenctl's start URL, signs in on the fake provider's
//!   page (or cancels), follows the redirect back to tokenctl with the
//!   start cookie; `TEST_BROWSER_MODE` and the files it leaves in DIR are
//!   tests/common's `BROWSER_SCRIPT`'s, whose steps it takes. Two more
//!   modes: `twice` opens the start URL twice (DIR/first: the status and
//!   the redirect; DIR/second: the page), `forge-only` sends nothing but a
//!   forged callback (DIR/browser.forged: the page).
//!
//! Each file is written whole under a temporary name and renamed, so a test
//! polling for it never reads half of one.

use std::io::{Read, Write};
use std::path::{Path, PathBuf};
use std::time::Duration;

fn main() {
    let mut args = std::env::args().skip(1);
    while let Some(step) = args.next() {
        let mut arg = || {
            args.next()
                .unwrap_or_else(|| fail(&format!("`{step}` needs an argument")))
        };
        match step.as_str() {
            "exit" => std::process::exit(number(&arg())),
            "touch" => write(&PathBuf::from(arg()), ""),
            "env-to" => write(&PathBuf::from(arg()), &environment()),
            "token-file-to" => write(&PathBuf::from(arg()), &token_file()),
            "inspect" => {
                let dir = PathBuf::from(arg());
                write(&dir.join("env"), &environment());
                write(&dir.join("token"), &token_file());
                #[cfg(unix)]
                {
                    use std::os::unix::fs::PermissionsExt;
                    let meta = std::fs::metadata(token_file_path()).unwrap();
                    write(
                        &dir.join("mode"),
                        &format!("{:o}", meta.permissions().mode() & 0o7777),
                    );
                }
            }
            "reads" => {
                let log = PathBuf::from(arg());
                let end = now() + number(&arg()) as u64;
                let pause = if tokenctl::token::clock_is_moved() {
                    Duration::from_millis(10)
                } else {
                    Duration::from_secs(1)
                };
                while now() < end {
                    // The time after the read: the token was read by then.
                    let token = token_file();
                    let line = format!("{} {token}\n", now());
                    let mut f = std::fs::OpenOptions::new()
                        .create(true)
                        .append(true)
                        .open(&log)
                        .unwrap();
                    f.write_all(line.as_bytes()).unwrap();
                    drop(f);
                    std::thread::sleep(pause);
                }
            }
            "say-token-file" => {
                let mut out = std::io::stdout().lock();
                writeln!(out, "{}", token_file_path().display()).unwrap();
                out.flush().unwrap();
            }
            "wait-stdin" => {
                let mut sink = Vec::new();
                std::io::stdin().read_to_end(&mut sink).unwrap();
            }
            "on-ctrl-break" => {
                let code = number(&arg());
                #[cfg(windows)]
                console::exit_on_ctrl_break(code);
                #[cfg(not(windows))]
                fail(&format!("on-ctrl-break {code}: a Windows console's event"));
            }
            "ready" => {
                let mut out = std::io::stdout().lock();
                writeln!(out, "ready {}", token_file_path().display()).unwrap();
                out.flush().unwrap();
            }
            "sleep" => std::thread::sleep(Duration::from_secs(number(&arg()) as u64)),
            "browse" => {
                let dir = PathBuf::from(arg());
                let url = arg();
                if let Err(e) = browse(&dir, &url) {
                    fail(&format!("browse: {e}"));
                }
            }
            other => fail(&format!("unknown step `{other}`")),
        }
    }
}

fn fail(why: &str) -> ! {
    eprintln!("stand_in: {why}");
    std::process::exit(99)
}

fn number(text: &str) -> i32 {
    text.parse()
        .unwrap_or_else(|e| fail(&format!("`{text}` is not a number: {e}")))
}

fn now() -> u64 {
    tokenctl::token::now()
}

fn environment() -> String {
    std::env::vars_os()
        .map(|(k, v)| format!("{}={}\n", k.to_string_lossy(), v.to_string_lossy()))
        .collect()
}

fn token_file_path() -> PathBuf {
    std::env::var_os(tokenctl::env::EnvVars::TOKENCTL_TOKEN_FILE)
        .map(PathBuf::from)
        .unwrap_or_else(|| fail("no $TOKENCTL_TOKEN_FILE"))
}

/// Read as most programs read a file: on Windows the C runtime (Python's
/// `open`, `type`) does not let others delete or replace it meanwhile,
/// unlike std's default.
fn token_file() -> String {
    let mut opts = std::fs::OpenOptions::new();
    opts.read(true);
    #[cfg(windows)]
    {
        use std::os::windows::fs::OpenOptionsExt;
        const FILE_SHARE_READ: u32 = 1;
        const FILE_SHARE_WRITE: u32 = 2;
        opts.share_mode(FILE_SHARE_READ | FILE_SHARE_WRITE);
    }
    let mut text = String::new();
    opts.open(token_file_path())
        .and_then(|mut f| f.read_to_string(&mut text))
        .unwrap_or_else(|e| fail(&e.to_string()));
    text
}

fn write(path: &Path, text: &str) {
    let tmp = path.with_extension("stand-in-tmp");
    std::fs::write(&tmp, text).unwrap_or_else(|e| fail(&format!("{}: {e}", tmp.display())));
    std::fs::rename(&tmp, path).unwrap_or_else(|e| fail(&format!("{}: {e}", path.display())));
}

#[cfg(windows)]
mod console {
    use std::sync::atomic::{AtomicI32, Ordering};

    use windows_sys::Win32::System::Console::SetConsoleCtrlHandler;

    static CODE: AtomicI32 = AtomicI32::new(0);

    unsafe extern "system" fn on_event(_event: u32) -> windows_sys::core::BOOL {
        std::process::exit(CODE.load(Ordering::SeqCst))
    }

    pub fn exit_on_ctrl_break(code: i32) {
        CODE.store(code, Ordering::SeqCst);
        // SAFETY: a handler with the signature the system calls, living as
        // long as the process.
        if unsafe { SetConsoleCtrlHandler(Some(on_event), 1) } == 0 {
            super::fail(&std::io::Error::last_os_error().to_string());
        }
    }
}

/// tests/common's `BROWSER_SCRIPT`, step by step, with reqwest in curl's
/// place (no redirects followed; the start cookie kept by hand).
fn browse(dir: &Path, url: &str) -> Result<(), String> {
    if let Some(log) = std::env::var_os("TEST_BROWSER_ARGV_LOG") {
        let argv: Vec<String> = std::env::args().collect();
        let mut f = std::fs::OpenOptions::new()
            .create(true)
            .append(true)
            .open(log)
            .map_err(|e| e.to_string())?;
        writeln!(f, "{}", argv.join(" ")).map_err(|e| e.to_string())?;
    }
    let mode = std::env::var("TEST_BROWSER_MODE").unwrap_or_else(|_| "login".into());
    write(&dir.join("browser.url"), &format!("{url}\n"));
    if mode == "none" {
        return Ok(());
    }
    if mode == "twice" || mode == "forge-only" {
        return rt_block_on(async {
            let client = client()?;
            if mode == "twice" {
                let first = client.get(url).send().await.map_err(|e| e.to_string())?;
                let status = first.status().as_u16();
                let to = location(&first).unwrap_or_default();
                write(&dir.join("first"), &format!("{status} {to}\n"));
                let second = client.get(url).send().await.map_err(|e| e.to_string())?;
                write(
                    &dir.join("second"),
                    &second.text().await.map_err(|e| e.to_string())?,
                );
            } else {
                let forged = reqwest::Url::parse(url)
                    .and_then(|u| u.join("/callback?code=stolen&state=forged"))
                    .map_err(|e| e.to_string())?;
                let page = client.get(forged).send().await.map_err(|e| e.to_string())?;
                write(
                    &dir.join("browser.forged"),
                    &page.text().await.map_err(|e| e.to_string())?,
                );
            }
            Ok(())
        });
    }
    let client = client()?;
    rt_block_on(async {
        let get = |url: String, cookie: Option<String>| {
            let mut req = client.get(&url);
            if let Some(c) = cookie {
                req = req.header("cookie", c);
            }
            async move { req.send().await.map_err(|e| format!("{url}: {e}")) }
        };
        let start = get(url.to_string(), None).await?;
        // Name=value of each cookie set (the start cookie), as a jar sends them.
        let cookie = start
            .headers()
            .get_all("set-cookie")
            .iter()
            .filter_map(|v| v.to_str().ok())
            .filter_map(|v| v.split(';').next())
            .collect::<Vec<_>>()
            .join("; ");
        let cookie = (!cookie.is_empty()).then_some(cookie);
        // Given the provider's URL itself (a remote-browser login), no redirect.
        let idp = location(&start).unwrap_or_else(|| url.to_string());
        write(&dir.join("browser.idp"), &format!("{idp}\n"));
        let page = get(idp.clone(), None)
            .await?
            .text()
            .await
            .map_err(|e| e.to_string())?;
        let Some(action) = form_action(&page) else {
            write(&dir.join("browser.noform"), &page);
            return Err("no form on the provider's page".into());
        };
        let origin = reqwest::Url::parse(&idp).map_err(|e| e.to_string())?;
        let target = origin.join(&action).map_err(|e| e.to_string())?;
        let password =
            std::env::var("TEST_BROWSER_PASSWORD").unwrap_or_else(|_| "wonderland".into());
        let form: Vec<(&str, &str)> = if mode == "deny" {
            vec![("action", "deny")]
        } else {
            vec![
                ("username", "alice"),
                ("password", &password),
                ("action", "login"),
            ]
        };
        let body = form
            .iter()
            .map(|(k, v)| format!("{k}={v}"))
            .collect::<Vec<_>>()
            .join("&");
        let answer = client
            .post(target)
            .header("content-type", "application/x-www-form-urlencoded")
            .body(body)
            .send()
            .await
            .map_err(|e| e.to_string())?;
        let back = location(&answer).unwrap_or_default();
        write(&dir.join("browser.location"), &format!("{back}\n"));
        let forged = match mode.as_str() {
            "forge-state" => Some((replace_param(&back, "state", "forged"), cookie.clone())),
            // Another local user who knows the state, on their own connection.
            "forge-nocookie" => Some((replace_param(&back, "code", "attackers-code"), None)),
            _ => None,
        };
        if let Some((url, cookie)) = forged {
            let text = get(url, cookie)
                .await?
                .text()
                .await
                .map_err(|e| e.to_string())?;
            write(&dir.join("browser.forged"), &text);
        }
        let text = get(back, cookie)
            .await?
            .text()
            .await
            .map_err(|e| e.to_string())?;
        write(&dir.join("browser.page"), &text);
        Ok(())
    })
}

/// A client as curl is: no redirects followed, no cookies kept.
fn client() -> Result<reqwest::Client, String> {
    let _ = rustls::crypto::ring::default_provider().install_default();
    reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .timeout(Duration::from_secs(60))
        .build()
        .map_err(|e| e.to_string())
}

fn rt_block_on<T>(work: impl std::future::Future<Output = Result<T, String>>) -> Result<T, String> {
    tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .map_err(|e| e.to_string())?
        .block_on(work)
}

fn location(response: &reqwest::Response) -> Option<String> {
    let to = response.headers().get("location")?.to_str().ok()?;
    // Relative to the URL asked, as curl's redirect_url is.
    response.url().join(to).ok().map(String::from)
}

/// The first form's `action`, `&amp;` decoded.
fn form_action(page: &str) -> Option<String> {
    let form = &page[page.find("<form")?..];
    let form = &form[..form.find('>')?];
    let rest = &form[form.find("action=\"")? + "action=\"".len()..];
    Some(rest[..rest.find('"')?].replace("&amp;", "&"))
}

/// `url` with query parameter `name`'s value replaced.
fn replace_param(url: &str, name: &str, value: &str) -> String {
    let Ok(mut parsed) = reqwest::Url::parse(url) else {
        return url.to_string();
    };
    let pairs: Vec<(String, String)> = parsed
        .query_pairs()
        .map(|(k, v)| {
            let v = if k == name {
                value.to_string()
            } else {
                v.into_owned()
            };
            (k.into_owned(), v)
        })
        .collect();
    parsed.query_pairs_mut().clear().extend_pairs(pairs);
    parsed.into()
}
