//! `scripts/install.sh` picks the static (musl) build where the glibc build
//! cannot run: glibc older than the floor (2.28; RHEL 7 has 2.17) or no
//! glibc at all (musl: Alpine, many containers). The machine is described
//! to the installer by stand-ins for `uname`, `getconf` and `ldd` first on
//! PATH; the release it installs from is one made here (a gnu and a musl
//! tarball whose `tokenctl` says which it is, and their SHA256SUMS), served
//! over real HTTP on loopback (`common::static_server`).
// Unix only: scripts/install.sh is the Unix installer.

use crate::common::executable;
use crate::common::static_server::StaticServer;

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

const VERSION: &str = env!("CARGO_PKG_VERSION");

fn write_exec(path: &Path, body: &str) {
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    executable::write_executable(path, body);
}

/// A release directory: a tarball per libc (its `tokenctl` prints which)
/// and SHA256SUMS over those listed in `listed`.
fn release(dir: &Path, listed: &[&str]) {
    let stage = tempfile::tempdir().unwrap();
    for libc in ["gnu", "musl"] {
        let name = format!("tokenctl-{VERSION}-x86_64-unknown-linux-{libc}");
        let root = stage.path().join(&name);
        write_exec(
            &root.join("tokenctl"),
            &format!("#!/bin/sh\necho 'tokenctl {VERSION} ({libc} build)'\n"),
        );
        std::fs::create_dir_all(root.join("man")).unwrap();
        std::fs::write(root.join("man/tokenctl.1"), ".TH TOKENCTL 1\n").unwrap();
        for c in ["tokenctl.bash", "_tokenctl", "tokenctl.fish"] {
            let path = root.join("completions").join(c);
            std::fs::create_dir_all(path.parent().unwrap()).unwrap();
            std::fs::write(path, "# completion\n").unwrap();
        }
        let status = Command::new("tar")
            .arg("-czf")
            .arg(dir.join(format!("{name}.tar.gz")))
            .arg("-C")
            .arg(stage.path())
            .arg(&name)
            .status()
            .unwrap();
        assert!(status.success());
    }
    let names: Vec<String> = listed
        .iter()
        .map(|libc| format!("tokenctl-{VERSION}-x86_64-unknown-linux-{libc}.tar.gz"))
        .collect();
    let out = Command::new("sha256sum")
        .args(&names)
        .current_dir(dir)
        .output()
        .unwrap();
    assert!(out.status.success());
    std::fs::write(dir.join("SHA256SUMS"), out.stdout).unwrap();
}

/// The machine as the installer sees it: Linux x86_64, and what `getconf
/// GNU_LIBC_VERSION` and `ldd --version` say (`None`: they fail, as
/// getconf does on musl).
struct Machine {
    dir: tempfile::TempDir,
}

impl Machine {
    fn new(getconf: Option<&str>, ldd: Option<&str>) -> Self {
        let dir = tempfile::tempdir().unwrap();
        let bin = dir.path().join("bin");
        write_exec(
            &bin.join("uname"),
            "#!/bin/sh\ncase \"$1\" in -s) echo Linux ;; -m) echo x86_64 ;; *) echo Linux ;; esac\n",
        );
        let say = |text: Option<&str>| match text {
            Some(t) => format!("#!/bin/sh\nprintf '%s\\n' '{t}'\n"),
            None => "#!/bin/sh\necho 'not available' >&2\nexit 1\n".to_string(),
        };
        write_exec(&bin.join("getconf"), &say(getconf));
        write_exec(&bin.join("ldd"), &say(ldd));
        Machine { dir }
    }

    fn prefix(&self) -> PathBuf {
        self.dir.path().join("prefix")
    }

    fn install(&self, url: &str) -> Output {
        let path = format!(
            "{}:{}",
            self.dir.path().join("bin").display(),
            std::env::var("PATH").unwrap_or_default()
        );
        Command::new("sh")
            .arg(Path::new(env!("CARGO_MANIFEST_DIR")).join("scripts/install.sh"))
            .arg("--prefix")
            .arg(self.prefix())
            .env("PATH", path)
            .env("HOME", self.dir.path())
            .env("TOKENCTL_INSTALL_URL", url)
            .env_remove("XDG_DATA_HOME")
            .output()
            .unwrap()
    }

    /// What the installed `tokenctl` says it is.
    fn installed(&self) -> Option<String> {
        let bin = self.prefix().join("bin/tokenctl");
        bin.exists().then(|| {
            let out = Command::new(&bin).output().unwrap();
            String::from_utf8(out.stdout).unwrap().trim().to_string()
        })
    }
}

fn text(out: &Output) -> String {
    format!(
        "exit {:?}\n--- stdout\n{}\n--- stderr\n{}",
        out.status.code(),
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    )
}

fn served(listed: &[&str]) -> (tempfile::TempDir, StaticServer) {
    let dir = tempfile::tempdir().unwrap();
    release(dir.path(), listed);
    let server = StaticServer::serve(dir.path());
    (dir, server)
}

#[test]
fn glibc_at_the_floor_or_newer_gets_the_glibc_build() {
    let (_dir, server) = served(&["gnu", "musl"]);
    for glibc in ["2.28", "2.36", "3.0"] {
        let m = Machine::new(Some(&format!("glibc {glibc}")), None);
        let out = m.install(&server.url);
        assert!(out.status.success(), "{}", text(&out));
        assert_eq!(
            m.installed().as_deref(),
            Some(format!("tokenctl {VERSION} (gnu build)").as_str()),
            "glibc {glibc}: {}",
            text(&out)
        );
        assert!(!String::from_utf8_lossy(&out.stderr).contains("static build"));
    }
}

#[test]
fn glibc_older_than_the_floor_gets_the_static_build() {
    let (_dir, server) = served(&["gnu", "musl"]);
    for glibc in ["2.17", "2.27", "2.3"] {
        let m = Machine::new(Some(&format!("glibc {glibc}")), None);
        let out = m.install(&server.url);
        assert!(out.status.success(), "{}", text(&out));
        assert_eq!(
            m.installed().as_deref(),
            Some(format!("tokenctl {VERSION} (musl build)").as_str()),
            "glibc {glibc}: {}",
            text(&out)
        );
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert!(
            stderr.contains(&format!(
                "glibc {glibc} is older than 2.28: installing the static build"
            )),
            "{stderr}"
        );
    }
}

#[test]
fn a_glibc_known_only_to_ldd_counts() {
    let (_dir, server) = served(&["gnu", "musl"]);
    // An old getconf without GNU_LIBC_VERSION; ldd's first line names it.
    let m = Machine::new(None, Some("ldd (GNU libc) 2.17"));
    let out = m.install(&server.url);
    assert!(out.status.success(), "{}", text(&out));
    assert_eq!(
        m.installed().as_deref(),
        Some(format!("tokenctl {VERSION} (musl build)").as_str())
    );
    let m = Machine::new(None, Some("ldd (Debian GLIBC 2.36-9+deb12u14) 2.36"));
    let out = m.install(&server.url);
    assert!(out.status.success(), "{}", text(&out));
    assert_eq!(
        m.installed().as_deref(),
        Some(format!("tokenctl {VERSION} (gnu build)").as_str())
    );
}

#[test]
fn musl_systems_get_the_static_build() {
    let (_dir, server) = served(&["gnu", "musl"]);
    let m = Machine::new(None, Some("musl libc (x86_64)"));
    let out = m.install(&server.url);
    assert!(out.status.success(), "{}", text(&out));
    assert_eq!(
        m.installed().as_deref(),
        Some(format!("tokenctl {VERSION} (musl build)").as_str())
    );
    assert!(
        String::from_utf8_lossy(&out.stderr)
            .contains("no glibc found (musl?): installing the static build"),
        "{}",
        text(&out)
    );
}

#[test]
fn no_static_build_in_the_release_is_refused_not_swapped_for_glibc() {
    let (_dir, server) = served(&["gnu"]);
    let m = Machine::new(Some("glibc 2.17"), None);
    let out = m.install(&server.url);
    assert!(!out.status.success(), "{}", text(&out));
    assert!(
        String::from_utf8_lossy(&out.stderr)
            .contains("lists no tokenctl build for x86_64-unknown-linux-musl"),
        "{}",
        text(&out)
    );
    assert_eq!(m.installed(), None, "nothing installed");
}
