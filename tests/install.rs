//! `scripts/install.sh`, run by /bin/sh (dash on Debian: POSIX sh) against
//! a real HTTP server on loopback (python3 -m http.server) that serves the
//! artifacts of `scripts/dist.sh`: it installs into a temporary prefix and
//! the binary it installed works; it is safe to run twice and uninstalls;
//! a tampered tarball, a missing checksum line, an unsupported `uname`, no
//! curl or wget and an unreachable URL are each refused with a clear
//! message and nothing installed.
// Unix only: scripts/install.sh is the Unix installer (Windows gets the zip).
#![cfg(unix)]

mod ship;

use std::io::{BufRead, BufReader};
use std::os::unix::fs::PermissionsExt;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Output, Stdio};

use ship::{VERSION, dist, man_pages, text, tool};

/// A static file server over `dir` on 127.0.0.1, stopped on drop.
struct Server {
    child: Child,
    url: String,
}

impl Server {
    fn serve(dir: &Path) -> Self {
        let mut child = Command::new(tool("python3"))
            .args([
                "-u",
                "-m",
                "http.server",
                "--bind",
                "127.0.0.1",
                "0",
                "--directory",
            ])
            .arg(dir)
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .expect("start python3 -m http.server");
        let mut line = String::new();
        BufReader::new(child.stdout.take().unwrap())
            .read_line(&mut line)
            .unwrap();
        // "Serving HTTP on 127.0.0.1 port 41234 (http://127.0.0.1:41234/) ..."
        let port = line
            .split_whitespace()
            .skip_while(|w| *w != "port")
            .nth(1)
            .unwrap_or_else(|| panic!("no port in {line:?}"));
        Server {
            child,
            url: format!("http://127.0.0.1:{port}"),
        }
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// A directory holding what a release holds: the artifacts and SHA256SUMS.
fn release_copy() -> tempfile::TempDir {
    let d = dist();
    let dir = tempfile::tempdir().unwrap();
    for name in d
        .artifacts()
        .iter()
        .chain(["SHA256SUMS".to_string()].iter())
    {
        std::fs::copy(d.dir.join(name), dir.path().join(name)).unwrap();
    }
    dir
}

fn tarball_name() -> String {
    format!("tokenctl-{VERSION}-{}.tar.gz", ship::target())
}

/// A home directory for one run, with PATH as given.
struct Run {
    home: tempfile::TempDir,
}

impl Run {
    fn new() -> Self {
        Run {
            home: tempfile::tempdir().unwrap(),
        }
    }

    fn install(&self, url: &str, path: &str, args: &[&str]) -> Output {
        Command::new("/bin/sh")
            .arg(ship::root().join("scripts/install.sh"))
            .args(args)
            .env_clear()
            .env("HOME", self.home.path())
            .env("PATH", path)
            .env("TOKENCTL_INSTALL_URL", url)
            .stdin(Stdio::null())
            .output()
            .unwrap()
    }

    /// Every file under the home directory, relative to it.
    fn files(&self) -> Vec<String> {
        let mut out = Vec::new();
        walk(self.home.path(), self.home.path(), &mut out);
        out.sort();
        out
    }
}

fn walk(base: &Path, dir: &Path, out: &mut Vec<String>) {
    for e in std::fs::read_dir(dir).unwrap().flatten() {
        let p = e.path();
        if p.is_dir() {
            walk(base, &p, out);
        } else {
            out.push(p.strip_prefix(base).unwrap().to_string_lossy().into_owned());
        }
    }
}

fn host_path() -> String {
    std::env::var("PATH").unwrap()
}

fn refused(out: &Output, needle: &str) -> String {
    let err = String::from_utf8_lossy(&out.stderr).into_owned();
    assert!(!out.status.success(), "not refused:\n{}", text(out));
    assert!(err.contains(needle), "no `{needle}` in:\n{err}");
    err
}

/// Expected layout under PREFIX, as install.sh documents it.
fn expected_files(prefix: &str) -> Vec<String> {
    let mut want: Vec<String> = man_pages()
        .into_iter()
        .map(|p| format!("{prefix}share/man/man1/{p}"))
        .collect();
    want.extend(
        [
            "bin/tokenctl",
            "share/bash-completion/completions/tokenctl",
            "share/zsh/site-functions/_tokenctl",
            "share/fish/vendor_completions.d/tokenctl.fish",
            "share/tokenctl/installed-files",
        ]
        .map(|f| format!("{prefix}{f}")),
    );
    want.sort();
    want
}

#[test]
fn installs_into_a_prefix_runs_twice_and_uninstalls() {
    let release = release_copy();
    let server = Server::serve(release.path());
    let run = Run::new();
    let prefix = run.home.path().join("opt/tokenctl");
    let prefix_s = prefix.to_str().unwrap();
    let out = run.install(&server.url, &host_path(), &["--prefix", prefix_s]);
    assert!(out.status.success(), "{}", text(&out));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains(&format!("installed tokenctl {VERSION} (commit")),
        "{err}"
    );
    // Not on PATH: it says what to add.
    assert!(
        err.contains(&format!("export PATH=\"{prefix_s}/bin:$PATH\"")),
        "{err}"
    );
    assert_eq!(run.files(), expected_files("opt/tokenctl/"));

    let bin = prefix.join("bin/tokenctl");
    assert_eq!(
        std::fs::metadata(&bin).unwrap().permissions().mode() & 0o777,
        0o755
    );
    let version = ship::stdout(Command::new(&bin).arg("--version"));
    assert!(
        version.starts_with(&format!("tokenctl {VERSION} (commit ")),
        "{version}"
    );
    let json = ship::stdout(Command::new(&bin).args(["version", "-o", "json"]));
    assert!(
        json.contains(&format!("\"target\": \"{}\"", ship::target())),
        "{json}"
    );

    // Again: the same files, replaced, nothing added.
    let out = run.install(&server.url, &host_path(), &["--prefix", prefix_s]);
    assert!(out.status.success(), "{}", text(&out));
    assert_eq!(run.files(), expected_files("opt/tokenctl/"));

    let out = run.install(
        &server.url,
        &host_path(),
        &["--uninstall", "--prefix", prefix_s],
    );
    assert!(out.status.success(), "{}", text(&out));
    assert!(run.files().is_empty(), "left: {:?}", run.files());
    let out = run.install(
        &server.url,
        &host_path(),
        &["--uninstall", "--prefix", prefix_s],
    );
    assert!(String::from_utf8_lossy(&out.stderr).contains("nothing to remove"));
}

#[test]
fn default_is_the_users_local_dirs_and_a_given_version() {
    let release = release_copy();
    let server = Server::serve(release.path());
    let run = Run::new();
    let bin_dir = run.home.path().join(".local/bin");
    // Already on PATH: no advice about it.
    let path = format!("{}:{}", bin_dir.display(), host_path());
    let out = run.install(&server.url, &path, &["--version", VERSION]);
    assert!(out.status.success(), "{}", text(&out));
    assert!(!String::from_utf8_lossy(&out.stderr).contains("export PATH"));
    assert_eq!(run.files(), expected_files(".local/"));
    let out = run.install(&server.url, &path, &["--uninstall"]);
    assert!(out.status.success(), "{}", text(&out));
    assert!(run.files().is_empty(), "left: {:?}", run.files());
}

#[test]
fn a_tampered_tarball_is_refused_and_nothing_installed() {
    let release = release_copy();
    let tarball = release.path().join(tarball_name());
    let mut bytes = std::fs::read(&tarball).unwrap();
    let mid = bytes.len() / 2;
    bytes[mid] ^= 0x01;
    std::fs::write(&tarball, bytes).unwrap();
    let server = Server::serve(release.path());
    let run = Run::new();
    let out = run.install(&server.url, &host_path(), &[]);
    refused(&out, &format!("checksum mismatch for {}", tarball_name()));
    refused(&out, "nothing installed");
    assert!(run.files().is_empty(), "installed: {:?}", run.files());
}

#[test]
fn a_missing_checksum_line_is_refused_and_nothing_installed() {
    let release = release_copy();
    let sums = release.path().join("SHA256SUMS");
    let kept: String = std::fs::read_to_string(&sums)
        .unwrap()
        .lines()
        .filter(|l| !l.ends_with(&tarball_name()))
        .map(|l| format!("{l}\n"))
        .collect();
    std::fs::write(&sums, kept).unwrap();
    let server = Server::serve(release.path());
    let run = Run::new();
    // The version named: the tarball is there, its line is not.
    let out = run.install(&server.url, &host_path(), &["--version", VERSION]);
    refused(
        &out,
        &format!("SHA256SUMS has no line for {}", tarball_name()),
    );
    refused(&out, "refusing to install a file that cannot be verified");
    // The newest: no build listed for this machine.
    let out = run.install(&server.url, &host_path(), &[]);
    refused(
        &out,
        &format!("lists no tokenctl build for {}", ship::target()),
    );
    assert!(run.files().is_empty(), "installed: {:?}", run.files());
}

/// A directory with a fake `uname` answering `-s` and `-m` as given.
fn fake_uname(dir: &Path, os: &str, cpu: &str) -> PathBuf {
    let bin = dir.join("fakebin");
    std::fs::create_dir_all(&bin).unwrap();
    let script = bin.join("uname");
    std::fs::write(
        &script,
        format!(
            "#!/bin/sh\ncase \"$1\" in -s) echo {os} ;; -m) echo {cpu} ;; *) echo {os} ;; esac\n"
        ),
    )
    .unwrap();
    std::fs::set_permissions(&script, std::fs::Permissions::from_mode(0o755)).unwrap();
    bin
}

#[test]
fn an_unsupported_platform_is_refused_and_nothing_installed() {
    let release = release_copy();
    let server = Server::serve(release.path());
    for (os, cpu) in [
        ("SunOS", "x86_64"),
        ("Linux", "riscv64"),
        ("FreeBSD", "amd64"),
    ] {
        let run = Run::new();
        let bin = fake_uname(run.home.path(), os, cpu);
        let path = format!("{}:{}", bin.display(), host_path());
        let out = run.install(&server.url, &path, &[]);
        let err = refused(&out, &format!("unsupported platform: {os} {cpu}"));
        assert!(err.contains("cargo install --locked tokenctl"), "{err}");
        assert_eq!(run.files(), ["fakebin/uname"], "installed something");
    }
}

#[test]
fn no_curl_or_wget_is_refused_with_what_to_install() {
    let run = Run::new();
    // A PATH with what install.sh uses, but no downloader.
    let bin = run.home.path().join("bin-without-curl");
    std::fs::create_dir(&bin).unwrap();
    for t in [
        "uname",
        "mktemp",
        "rm",
        "awk",
        "sha256sum",
        "cut",
        "mkdir",
        "cp",
        "mv",
        "chmod",
        "gzip",
        "tar",
        "ldd",
        "grep",
    ] {
        if let Some(p) = which(t) {
            std::os::unix::fs::symlink(p, bin.join(t)).unwrap();
        }
    }
    let out = run.install("http://127.0.0.1:9", bin.to_str().unwrap(), &[]);
    refused(&out, "neither curl nor wget found: install one of them");
    assert!(
        run.files()
            .iter()
            .all(|f| f.starts_with("bin-without-curl/"))
    );
}

#[test]
fn an_unreachable_url_is_refused_and_nothing_installed() {
    // A port nothing listens on: bound, then closed.
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let run = Run::new();
    let url = format!("http://127.0.0.1:{port}/releases");
    let out = run.install(&url, &host_path(), &[]);
    refused(&out, &format!("cannot download {url}/SHA256SUMS"));
    assert!(run.files().is_empty(), "installed: {:?}", run.files());
}

fn which(name: &str) -> Option<PathBuf> {
    std::env::split_paths(&std::env::var_os("PATH")?)
        .map(|d| d.join(name))
        .find(|p| p.is_file())
}

/// A prefix in a directory others can write to (another local user planted
/// names there): nothing is written through a planted symlink, whether it
/// stands at a name the installer writes first or at the final name.
#[test]
fn planted_symlinks_in_the_prefix_are_never_written_through() {
    let release = release_copy();
    let server = Server::serve(release.path());
    let run = Run::new();
    let prefix = run.home.path().join("shared");
    let bin = prefix.join("bin");
    std::fs::create_dir_all(&bin).unwrap();
    let victim = run.home.path().join("victim");
    std::fs::write(&victim, "precious").unwrap();
    for name in [".tokenctl.new", ".tokenctl.tmp", "tokenctl"] {
        std::os::unix::fs::symlink(&victim, bin.join(name)).unwrap();
    }
    let out = run.install(
        &server.url,
        &host_path(),
        &["--prefix", prefix.to_str().unwrap()],
    );
    assert!(out.status.success(), "{}", text(&out));
    assert_eq!(
        std::fs::read_to_string(&victim).unwrap(),
        "precious",
        "written through a planted symlink"
    );
    let installed = bin.join("tokenctl");
    assert!(
        !std::fs::symlink_metadata(&installed)
            .unwrap()
            .file_type()
            .is_symlink(),
        "the binary replaced the planted link"
    );
    assert!(ship::stdout(Command::new(&installed).arg("--version")).starts_with("tokenctl "));
}
