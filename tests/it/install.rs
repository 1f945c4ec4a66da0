//! `scripts/install.sh`, run by /bin/sh (dash on Debian: POSIX sh) against
//! a real HTTP server on loopback (`common::static_server`) that serves the
//! artifacts of `scripts/dist.sh`: it installs into a temporary prefix and
//! the binary it installed works; it is safe to run twice and uninstalls;
//! a tampered tarball, a missing checksum line, an unsupported `uname`, no
//! curl or wget and an unreachable URL are each refused with a clear
//! message and nothing installed.
// Unix only: scripts/install.sh is the Unix installer (Windows gets the zip).

use crate::common::static_server::StaticServer;
use crate::ship;

use std::os::unix::fs::PermissionsExt;
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};

use ship::{VERSION, dist, man_pages, text};

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

    /// install.sh with `args`, its source in TOKENCTL_INSTALL_URL.
    fn install(&self, url: &str, path: &str, args: &[&str]) -> Output {
        self.sh(path, &[("TOKENCTL_INSTALL_URL", url)], args)
    }

    /// install.sh with `args` and only HOME, PATH and `env` set. Proxies
    /// that lead nowhere: whatever it would download from elsewhere than
    /// loopback fails instead of reaching the network.
    fn sh(&self, path: &str, env: &[(&str, &str)], args: &[&str]) -> Output {
        let dead = "http://127.0.0.1:9";
        Command::new("/bin/sh")
            .arg(ship::root().join("scripts/install.sh"))
            .args(args)
            .env_clear()
            .env("HOME", self.home.path())
            .env("PATH", path)
            .envs([
                ("http_proxy", dead),
                ("https_proxy", dead),
                ("HTTPS_PROXY", dead),
            ])
            .env("no_proxy", "127.0.0.1,localhost")
            .envs(env.iter().copied())
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
#[ignore = "full tier: needs the release tools (zig, cargo-zigbuild, cargo-deb, cargo-generate-rpm, rpm)"]
fn installs_into_a_prefix_runs_twice_and_uninstalls() {
    let release = release_copy();
    let server = StaticServer::serve(release.path());
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
#[ignore = "full tier: needs the release tools (zig, cargo-zigbuild, cargo-deb, cargo-generate-rpm, rpm)"]
fn default_is_the_users_local_dirs_and_a_given_version() {
    let release = release_copy();
    let server = StaticServer::serve(release.path());
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
#[ignore = "full tier: needs the release tools (zig, cargo-zigbuild, cargo-deb, cargo-generate-rpm, rpm)"]
fn a_tampered_tarball_is_refused_and_nothing_installed() {
    let release = release_copy();
    let tarball = release.path().join(tarball_name());
    let mut bytes = std::fs::read(&tarball).unwrap();
    let mid = bytes.len() / 2;
    bytes[mid] ^= 0x01;
    std::fs::write(&tarball, bytes).unwrap();
    let server = StaticServer::serve(release.path());
    let run = Run::new();
    let out = run.install(&server.url, &host_path(), &[]);
    refused(&out, &format!("checksum mismatch for {}", tarball_name()));
    refused(&out, "nothing installed");
    assert!(run.files().is_empty(), "installed: {:?}", run.files());
}

#[test]
#[ignore = "full tier: needs the release tools (zig, cargo-zigbuild, cargo-deb, cargo-generate-rpm, rpm)"]
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
    let server = StaticServer::serve(release.path());
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
    ship::executable::write_executable(
        &script,
        format!(
            "#!/bin/sh\ncase \"$1\" in -s) echo {os} ;; -m) echo {cpu} ;; *) echo {os} ;; esac\n"
        ),
    );
    bin
}

#[test]
#[ignore = "full tier: needs the release tools (zig, cargo-zigbuild, cargo-deb, cargo-generate-rpm, rpm)"]
fn an_unsupported_platform_is_refused_and_nothing_installed() {
    let release = release_copy();
    let server = StaticServer::serve(release.path());
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
        assert!(err.contains("cargo install --locked --path ."), "{err}");
        assert_eq!(run.files(), ["fakebin/uname"], "installed something");
    }
}

/// A directory in `run`'s home holding links to what install.sh uses, but
/// no downloader (curl, wget).
fn path_without_downloaders(run: &Run) -> PathBuf {
    let bin = run.home.path().join("bin-without-curl");
    std::fs::create_dir(&bin).unwrap();
    for t in [
        "uname",
        "mktemp",
        "rm",
        "rmdir",
        "awk",
        "sha256sum",
        "cut",
        "mkdir",
        "cp",
        "mv",
        "chmod",
        "cat",
        "basename",
        "gzip",
        "tar",
        "ldd",
        "grep",
    ] {
        if let Some(p) = which(t) {
            std::os::unix::fs::symlink(p, bin.join(t)).unwrap();
        }
    }
    bin
}

#[test]
fn no_curl_or_wget_is_refused_with_what_to_install() {
    let run = Run::new();
    let bin = path_without_downloaders(&run);
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
#[ignore = "full tier: needs the release tools (zig, cargo-zigbuild, cargo-deb, cargo-generate-rpm, rpm)"]
fn planted_symlinks_in_the_prefix_are_never_written_through() {
    let release = release_copy();
    let server = StaticServer::serve(release.path());
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

/// Every file and symlink under `dir`, relative to it; links are listed,
/// never followed.
fn entries(dir: &Path) -> Vec<String> {
    fn go(base: &Path, dir: &Path, out: &mut Vec<String>) {
        for e in std::fs::read_dir(dir).unwrap().flatten() {
            let p = e.path();
            let rel = p.strip_prefix(base).unwrap().to_string_lossy().into_owned();
            let t = std::fs::symlink_metadata(&p).unwrap().file_type();
            if t.is_dir() {
                go(base, &p, out);
            } else if t.is_symlink() {
                out.push(format!("{rel} -> link"));
            } else {
                out.push(rel);
            }
        }
    }
    let mut out = Vec::new();
    if dir.exists() {
        go(dir, dir, &mut out);
    }
    out.sort();
    out
}

#[test]
fn without_a_source_it_exits_2_and_shows_how_to_give_one() {
    let run = Run::new();
    for (env, args) in [
        (vec![], vec![]),
        (
            vec![("TOKENCTL_INSTALL_URL", "")],
            vec!["--version", VERSION],
        ),
        (vec![], vec!["--prefix", "/tmp/nowhere-tokenctl-test"]),
    ] {
        let out = run.sh(&host_path(), &env, &args);
        assert_eq!(out.status.code(), Some(2), "{args:?}: {}", text(&out));
        let err = String::from_utf8_lossy(&out.stderr);
        assert!(err.contains("no source given"), "{err}");
        // The two ways: a mirror the organisation hosts, or dist.sh's output.
        assert!(err.contains("| sh -s -- --from https://"), "{err}");
        assert!(err.contains("scripts/dist.sh"), "{err}");
        assert!(err.contains("--from target/dist"), "{err}");
        assert!(err.contains("TOKENCTL_INSTALL_URL"), "{err}");
        assert!(!err.contains("github.com"), "{err}");
        assert!(run.files().is_empty(), "installed: {:?}", run.files());
    }
    // --from without a value is a usage error too.
    let out = run.sh(&host_path(), &[], &["--from"]);
    assert_eq!(out.status.code(), Some(2), "{}", text(&out));
    let out = run.sh(&host_path(), &[], &["--bogus"]);
    assert_eq!(out.status.code(), Some(2), "{}", text(&out));
}

#[test]
#[ignore = "full tier: needs the release tools (zig, cargo-zigbuild, cargo-deb, cargo-generate-rpm, rpm)"]
fn installs_from_a_local_directory_of_dist_output_without_a_downloader() {
    let release = release_copy();
    let run = Run::new();
    let bin = path_without_downloaders(&run);
    let prefix = run.home.path().join("opt");
    let out = run.sh(
        bin.to_str().unwrap(),
        &[],
        &[
            "--from",
            release.path().to_str().unwrap(),
            "--prefix",
            prefix.to_str().unwrap(),
        ],
    );
    assert!(out.status.success(), "{}", text(&out));
    assert_eq!(entries(&prefix), {
        let mut want: Vec<String> = expected_files("")
            .into_iter()
            .filter(|f| !f.starts_with("bin-without-curl/"))
            .collect();
        want.sort();
        want
    });
    let version = ship::stdout(Command::new(prefix.join("bin/tokenctl")).arg("--version"));
    assert!(
        version.starts_with(&format!("tokenctl {VERSION} ")),
        "{version}"
    );

    // The checksums guard a local directory as they guard a download.
    let tarball = release.path().join(tarball_name());
    let mut bytes = std::fs::read(&tarball).unwrap();
    let mid = bytes.len() / 2;
    bytes[mid] ^= 0x01;
    std::fs::write(&tarball, bytes).unwrap();
    let other = run.home.path().join("other");
    let out = run.sh(
        bin.to_str().unwrap(),
        &[],
        &[
            "--from",
            release.path().to_str().unwrap(),
            "--prefix",
            other.to_str().unwrap(),
        ],
    );
    refused(&out, &format!("checksum mismatch for {}", tarball_name()));
    assert!(entries(&other).is_empty(), "{:?}", entries(&other));

    // A directory that is not there is named.
    let out = run.sh(
        bin.to_str().unwrap(),
        &[],
        &["--from", "/nonexistent/tokenctl-dist"],
    );
    refused(&out, "/nonexistent/tokenctl-dist");
}

#[test]
#[ignore = "full tier: needs the release tools (zig, cargo-zigbuild, cargo-deb, cargo-generate-rpm, rpm)"]
fn from_names_the_mirror_and_wins_over_the_variable() {
    let release = release_copy();
    let server = StaticServer::serve(release.path());
    let run = Run::new();
    let prefix = run.home.path().join("opt");
    let out = run.sh(
        &host_path(),
        // A variable left over from elsewhere: --from is what counts.
        &[("TOKENCTL_INSTALL_URL", "http://127.0.0.1:9/stale")],
        &[
            &format!("--from={}/", server.url),
            "--prefix",
            prefix.to_str().unwrap(),
        ],
    );
    assert!(out.status.success(), "{}", text(&out));
    assert!(prefix.join("bin/tokenctl").is_file());
}

/// A prefix other users can write to: the manifest (the record for
/// `--uninstall`) planted as a link to another file is replaced, not written
/// through.
#[test]
#[ignore = "full tier: needs the release tools (zig, cargo-zigbuild, cargo-deb, cargo-generate-rpm, rpm)"]
fn a_planted_manifest_link_is_not_written_through() {
    let release = release_copy();
    let server = StaticServer::serve(release.path());
    let run = Run::new();
    let prefix = run.home.path().join("shared");
    let record_dir = prefix.join("share/tokenctl");
    std::fs::create_dir_all(&record_dir).unwrap();
    let victim = run.home.path().join("victim");
    std::fs::write(&victim, "precious").unwrap();
    let manifest = record_dir.join("installed-files");
    std::os::unix::fs::symlink(&victim, &manifest).unwrap();
    let out = run.install(
        &server.url,
        &host_path(),
        &["--prefix", prefix.to_str().unwrap()],
    );
    assert!(out.status.success(), "{}", text(&out));
    assert_eq!(std::fs::read_to_string(&victim).unwrap(), "precious");
    let meta = std::fs::symlink_metadata(&manifest).unwrap();
    assert!(
        meta.file_type().is_file(),
        "the manifest is a file of its own"
    );
    let listed = std::fs::read_to_string(&manifest).unwrap();
    assert!(
        listed.contains(&format!("{}/bin/tokenctl", prefix.display())),
        "{listed}"
    );
}

/// Each directory the installer writes into, or creates on the way, planted
/// as a link to a directory elsewhere: refused before anything is written,
/// naming the link; nothing lands where it points.
#[test]
#[ignore = "full tier: needs the release tools (zig, cargo-zigbuild, cargo-deb, cargo-generate-rpm, rpm)"]
fn symlinked_directories_in_the_prefix_are_refused() {
    let release = release_copy();
    let server = StaticServer::serve(release.path());
    for rel in [
        "bin",
        "share",
        "share/man",
        "share/man/man1",
        "share/bash-completion",
        "share/bash-completion/completions",
        "share/zsh/site-functions",
        "share/fish/vendor_completions.d",
        "share/tokenctl",
    ] {
        let run = Run::new();
        let prefix = run.home.path().join("shared");
        let link = prefix.join(rel);
        std::fs::create_dir_all(link.parent().unwrap()).unwrap();
        let elsewhere = run.home.path().join("elsewhere");
        std::fs::create_dir(&elsewhere).unwrap();
        std::os::unix::fs::symlink(&elsewhere, &link).unwrap();
        let out = run.install(
            &server.url,
            &host_path(),
            &["--prefix", prefix.to_str().unwrap()],
        );
        let err = refused(&out, &format!("{} is a symbolic link", link.display()));
        assert_eq!(out.status.code(), Some(1), "{rel}: {err}");
        assert!(
            entries(&elsewhere).is_empty(),
            "{rel}: written through the link: {:?}",
            entries(&elsewhere)
        );
        assert_eq!(
            entries(&prefix),
            [format!("{rel} -> link")],
            "{rel}: installed something"
        );
    }
}

/// `--uninstall` with a manifest another user forged in a shared prefix:
/// it removes the files the installer writes, inside the prefix, and
/// nothing else: not `PREFIX/../x`, not an absolute path elsewhere, not a
/// path through `..`, not the user's own files in the prefix, not a
/// directory, not through a directory replaced by a link; names with a
/// newline, glob characters or terminal escapes change nothing and are not
/// echoed.
#[test]
#[ignore = "full tier: needs the release tools (zig, cargo-zigbuild, cargo-deb, cargo-generate-rpm, rpm)"]
fn uninstall_removes_only_what_it_installed_inside_the_prefix() {
    let release = release_copy();
    let server = StaticServer::serve(release.path());
    let run = Run::new();
    let prefix = run.home.path().join("shared");
    let p = prefix.to_str().unwrap().to_string();
    let out = run.install(&server.url, &host_path(), &["--prefix", &p]);
    assert!(out.status.success(), "{}", text(&out));

    let home = run.home.path();
    let outside = home.join("outside");
    std::fs::create_dir(&outside).unwrap();
    let keep = [
        home.join("victim"),
        outside.join("elsewhere"),
        outside.join("through-bin"),
        outside.join("odd\nname"),
        prefix.join("share/man/man1/notes.1"),
        prefix.join("share/mine.txt"),
    ];
    for f in &keep {
        std::fs::write(f, "precious").unwrap();
    }
    // The fish directory replaced by a link to one elsewhere that holds a
    // file of the installed name.
    let fish = prefix.join("share/fish/vendor_completions.d");
    std::fs::remove_dir_all(&fish).unwrap();
    let linked = outside.join("fish");
    std::fs::create_dir(&linked).unwrap();
    std::fs::write(linked.join("tokenctl.fish"), "precious").unwrap();
    std::os::unix::fs::symlink(&linked, &fish).unwrap();

    let manifest = prefix.join("share/tokenctl/installed-files");
    let mut forged = String::new();
    for line in [
        format!("{p}/../victim"),
        outside.join("elsewhere").display().to_string(),
        format!("{p}/bin/../../outside/through-bin"),
        outside.join("odd\nname").display().to_string(),
        format!("{p}/share/man/man1/notes.1"),
        format!("{p}/share/man/man1/*"),
        format!("{p}/share/man/man1/tokenctl-*.1"),
        format!("{p}/share/man/man1/../../mine.txt"),
        format!("{p}/share/mine.txt"),
        format!("{p}/bin"),
        format!("{p}/bin/tokenctl\u{1b}]0;pwned\u{7}"),
        format!("{p}//bin/./tokenctl"),
    ] {
        forged.push_str(&line);
        forged.push('\n');
    }
    forged.push_str(&std::fs::read_to_string(&manifest).unwrap());
    std::fs::write(&manifest, forged).unwrap();

    let out = run.install(&server.url, &host_path(), &["--uninstall", "--prefix", &p]);
    let err = String::from_utf8_lossy(&out.stderr).into_owned();
    for f in &keep {
        assert_eq!(
            std::fs::read_to_string(f).ok().as_deref(),
            Some("precious"),
            "{} removed:\n{err}",
            f.display()
        );
    }
    assert_eq!(
        std::fs::read_to_string(linked.join("tokenctl.fish")).unwrap(),
        "precious",
        "removed through a linked directory:\n{err}"
    );
    assert!(
        std::fs::symlink_metadata(&fish).is_ok(),
        "the link itself is left for its owner to judge"
    );
    // What it did install is gone.
    assert_eq!(
        entries(&prefix),
        [
            "share/fish/vendor_completions.d -> link".to_string(),
            "share/man/man1/notes.1".to_string(),
            "share/mine.txt".to_string(),
            "share/tokenctl/installed-files".to_string(),
        ],
        "{err}"
    );
    // It says what it left and why, and fails.
    assert_eq!(out.status.code(), Some(1), "{}", text(&out));
    assert!(
        err.contains(&format!("{} is a symbolic link", fish.display())),
        "{err}"
    );
    assert!(!err.contains('\u{1b}') && !err.contains("pwned"), "{err:?}");
}

/// Where README.md, CONTRIBUTING.md, docs/, the scripts, Cargo.toml and the workflows send people
/// for tokenctl itself. `github.com/tokenctl/tokenctl` (and its tap, and
/// the `tokenctl` name on crates.io) belong to someone else: no download
/// location the project does not control may appear. The hosts below are
/// documentation placeholders, loopback, and the upstream sources of the
/// tools the workflows install; a host of the project's own, once it has
/// one, is added here and to Cargo.toml's `homepage`/`repository`.
#[test]
fn no_download_location_the_project_does_not_control() {
    let root = ship::root();
    let mut files: Vec<PathBuf> = ["README.md", "CONTRIBUTING.md", "Cargo.toml"]
        .iter()
        .map(|f| root.join(f))
        .collect();
    // Every file below these, subdirectories too (scripts/wine/).
    let mut dirs: Vec<PathBuf> = ["docs", "scripts", ".github/workflows"]
        .iter()
        .map(|d| root.join(d))
        .collect();
    while let Some(dir) = dirs.pop() {
        for e in std::fs::read_dir(&dir).unwrap() {
            let path = e.unwrap().path();
            if path.is_dir() {
                dirs.push(path);
            } else {
                files.push(path);
            }
        }
    }
    let allowed = |host: &str| {
        let host = host.split(':').next().unwrap_or(host);
        matches!(
            host,
            // Loopback and the private and placeholder hosts of the examples.
            "127.0.0.1" | "localhost" | "10.0.0.5" | "API-SERVER" | "host"
            // Upstream tool sources (the workflows' Rust, the Debian 11 root).
            | "sh.rustup.rs" | "deb.debian.org"
        ) || host == "example.com"
            || host.ends_with(".example.com")
            // A Run:ai tenant of the examples (the vendor's domain).
            || host.ends_with(".run.ai")
    };
    let mut bad = Vec::new();
    for f in &files {
        let text = std::fs::read_to_string(f).unwrap();
        for (n, line) in text.lines().enumerate() {
            for (i, _) in line.match_indices("://") {
                let scheme_start = line[..i]
                    .rfind(|c: char| !c.is_ascii_alphanumeric())
                    .map_or(0, |s| s + 1);
                let scheme = &line[scheme_start..i];
                if !matches!(scheme, "http" | "https") {
                    continue;
                }
                let rest = &line[i + 3..];
                let host: String = rest
                    .chars()
                    .take_while(|c| !matches!(c, '/' | ' ' | '"' | '\'' | '`' | ')' | '>' | '<'))
                    .collect();
                let host = host.rsplit('@').next().unwrap_or_default();
                if !host.starts_with(|c: char| c.is_ascii_alphanumeric()) {
                    continue; // a variable or a pattern: the caller's own location
                }
                if !allowed(host) {
                    bad.push(format!(
                        "{}:{}: {}",
                        f.strip_prefix(&root).unwrap().display(),
                        n + 1,
                        line.trim()
                    ));
                }
            }
            for needle in [
                "tokenctl/tap",
                "cargo binstall tokenctl",
                "cargo install --locked tokenctl",
                "cargo install tokenctl",
            ] {
                if line.contains(needle) {
                    bad.push(format!(
                        "{}:{}: {}",
                        f.strip_prefix(&root).unwrap().display(),
                        n + 1,
                        line.trim()
                    ));
                }
            }
        }
    }
    assert!(
        bad.is_empty(),
        "download locations the project does not control:\n{}",
        bad.join("\n")
    );
}

/// README's Install shows the two real paths; both are run here as written,
/// the mirror's placeholder address swapped for a loopback server holding
/// what a release holds (install.sh beside the artifacts).
#[test]
#[ignore = "full tier: needs the release tools (zig, cargo-zigbuild, cargo-deb, cargo-generate-rpm, rpm)"]
fn readme_install_commands_work_as_written() {
    let readme = std::fs::read_to_string(ship::root().join("README.md")).unwrap();
    let install = readme
        .split("\n## Install\n")
        .nth(1)
        .and_then(|s| s.split("\n## ").next())
        .expect("README has an Install section");
    let commands: Vec<&str> = install
        .lines()
        .map(str::trim)
        .filter(|l| l.contains("install.sh") && !l.starts_with('[') && !l.starts_with('`'))
        .collect();
    let mirror = "https://releases.example.com/tokenctl";
    let from_mirror = commands
        .iter()
        .find(|l| l.starts_with("curl ") && l.contains(mirror))
        .unwrap_or_else(|| panic!("no `curl {mirror}/install.sh | sh ...` in:\n{install}"));
    let from_dist = commands
        .iter()
        .find(|l| l.contains("--from target/dist"))
        .unwrap_or_else(|| panic!("no `install.sh --from target/dist` in:\n{install}"));
    assert!(
        install.contains("./scripts/dist.sh"),
        "README's Install does not say how to build the artifacts"
    );

    let release = release_copy();
    std::fs::copy(
        ship::root().join("scripts/install.sh"),
        release.path().join("install.sh"),
    )
    .unwrap();
    let server = StaticServer::serve(release.path());
    for cmd in [
        from_mirror.replace(mirror, &server.url),
        from_dist.to_string(),
    ] {
        let run = Run::new();
        let cmd = cmd.split(" # ").next().unwrap().trim();
        let out = Command::new("/bin/sh")
            .args(["-c", cmd])
            .current_dir(ship::root())
            .env_clear()
            .env("HOME", run.home.path())
            .env("PATH", host_path())
            .env("no_proxy", "127.0.0.1")
            .stdin(Stdio::null())
            .output()
            .unwrap();
        assert!(out.status.success(), "`{cmd}`: {}", text(&out));
        assert_eq!(run.files(), expected_files(".local/"), "`{cmd}`");
    }
}
