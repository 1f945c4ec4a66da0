//! The .deb in a clean Debian 11 (bullseye, glibc 2.31) root made by
//! debootstrap: it installs, `tokenctl --version`, `man tokenctl` and bash
//! completion work, a login and `token` against the fake server on loopback
//! (the chroot shares the host's network) work, and `dpkg -r` leaves none of
//! its files behind. The root is made once and kept as a tarball in the
//! cache (TOKENCTL_TEST_CACHE, else ~/.cache/tokenctl-test), named after
//! the release, architecture and package set. Needs root (chroot, mount).
// Unix only: a .deb in a Debian root (debootstrap, chroot).

use crate::ship;

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};

use ship::{VERSION, dist, run, stdout, text, tool};
use tokenctl_fake_server::FakeServer;

const SUITE: &str = "bullseye";
const MIRROR: &str = "http://deb.debian.org/debian";
/// What the root has besides minbase: man for `man tokenctl`, the
/// bash-completion framework the package's completion plugs into, and the
/// CA certificates every Debian but a minimal container has (the package
/// recommends them: tokenctl's HTTP client does not start without a CA
/// store, even for an http:// server).
const INCLUDE: &str = "man-db,bash-completion,ca-certificates";

fn cache_dir() -> PathBuf {
    std::env::var_os("TOKENCTL_TEST_CACHE")
        .map(PathBuf::from)
        .unwrap_or_else(|| {
            PathBuf::from(std::env::var_os("HOME").expect("HOME")).join(".cache/tokenctl-test")
        })
}

/// The cached root tarball, made now when missing.
fn debian_root_tarball() -> PathBuf {
    let cache = cache_dir();
    std::fs::create_dir_all(&cache).unwrap();
    // Named after what is in it: another package set is another root.
    let tarball = cache.join(format!(
        "debian-{SUITE}-{}-minbase+{}.tar",
        ship::deb_arch(),
        INCLUDE.replace(',', "+")
    ));
    let lock = std::fs::File::create(cache.join("debootstrap.lock")).unwrap();
    lock.lock().unwrap();
    if tarball.exists() {
        return tarball;
    }
    let debootstrap = tool("debootstrap");
    let work = tempfile::tempdir_in(&cache).unwrap();
    let root = work.path().join("root");
    let started = std::time::Instant::now();
    run(Command::new(debootstrap)
        .args(["--variant=minbase", &format!("--include={INCLUDE}"), SUITE])
        .arg(&root)
        .arg(MIRROR)
        .stdout(Stdio::null()));
    let partial = tarball.with_extension("tar.partial");
    run(Command::new("tar")
        .arg("-C")
        .arg(&root)
        .args(["--numeric-owner", "-cf"])
        .arg(&partial)
        .arg("."));
    std::fs::rename(&partial, &tarball).unwrap();
    // Roots of other package sets are stale now.
    for e in std::fs::read_dir(&cache).unwrap().flatten() {
        let name = e.file_name().to_string_lossy().into_owned();
        if name.starts_with("debian-") && name.ends_with(".tar") && e.path() != tarball {
            let _ = std::fs::remove_file(e.path());
        }
    }
    eprintln!("debootstrap {SUITE} took {:.0?}", started.elapsed());
    tarball
}

/// An unpacked root with /proc mounted; unmounted and removed on drop.
struct Chroot {
    dir: tempfile::TempDir,
    proc_mounted: bool,
}

impl Chroot {
    fn new() -> Self {
        let tarball = debian_root_tarball();
        let dir = tempfile::tempdir_in(ship::root().join("target")).unwrap();
        run(Command::new("tar")
            .arg("-C")
            .arg(dir.path())
            .args(["--numeric-owner", "-xf"])
            .arg(&tarball));
        let mut c = Chroot {
            dir,
            proc_mounted: false,
        };
        run(Command::new("mount")
            .args(["-t", "proc", "proc"])
            .arg(c.path().join("proc")));
        c.proc_mounted = true;
        c
    }

    fn path(&self) -> &Path {
        self.dir.path()
    }

    /// `cmd` inside the root, with a plain environment.
    fn cmd(&self, cmd: &str) -> Command {
        let mut c = Command::new("chroot");
        c.arg(self.path())
            .args([
                "/usr/bin/env",
                "-i",
                "HOME=/root",
                "PATH=/usr/bin:/bin:/usr/sbin:/sbin",
                "LANG=C.UTF-8",
                "TERM=dumb",
            ])
            .args(["/bin/bash", "-c", cmd]);
        c
    }

    fn sh(&self, cmd: &str) -> String {
        stdout(&mut self.cmd(cmd))
    }

    fn sh_with_stdin(&self, cmd: &str, input: &str) -> Output {
        let mut child = self
            .cmd(cmd)
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        child
            .stdin
            .take()
            .unwrap()
            .write_all(input.as_bytes())
            .unwrap();
        child.wait_with_output().unwrap()
    }
}

impl Drop for Chroot {
    fn drop(&mut self) {
        if self.proc_mounted {
            let _ = Command::new("umount")
                .arg("-l")
                .arg(self.path().join("proc"))
                .status();
        }
    }
}

#[test]
#[ignore = "full tier: needs root and debootstrap (a Debian 11 chroot) and the release tools"]
fn deb_works_on_debian_11_and_dpkg_r_removes_every_file() {
    assert!(
        is_root(),
        "this test needs root (debootstrap, chroot, mount): run ./scripts/test.sh as root, as CI does"
    );
    let d = dist();
    let files = ship::deb_files(&d.deb);
    let root = Chroot::new();
    assert!(
        root.sh("ldd --version | head -n1").contains("2.31"),
        "the root is not Debian 11's glibc 2.31"
    );
    assert!(!root.path().join("usr/bin/tokenctl").exists());
    std::fs::copy(&d.deb, root.path().join("tmp/tokenctl.deb")).unwrap();
    root.sh("dpkg -i /tmp/tokenctl.deb >/dev/null");
    for f in &files {
        assert!(root.path().join(&f[1..]).exists(), "{f} not installed");
    }

    // Starts on glibc 2.31 (the build machine has a newer one).
    let version = root.sh("tokenctl --version");
    assert!(
        version.starts_with(&format!("tokenctl {VERSION} (commit ")),
        "{version}"
    );

    let man = root.sh("MANWIDTH=80 man -P cat tokenctl 2>&1");
    assert!(man.contains("NAME"), "{man}");
    assert!(
        man.contains("Log in to Run:ai and GBDS token APIs"),
        "{man}"
    );
    let man_login = root.sh("MANWIDTH=80 man -P cat tokenctl-login 2>&1");
    assert!(man_login.contains("--password-stdin"), "{man_login}");

    // `tokenctl lo<TAB>`: bash-completion loads the package's script on
    // demand, then bash calls the function it registered, as readline would.
    let completion = root.sh(r#"source /usr/share/bash-completion/bash_completion
__load_completion tokenctl || { echo "no completion loaded" >&2; exit 3; }
fn=$(complete -p tokenctl | sed -n 's/.*-F \([^ ]*\).*/\1/p')
[ -n "$fn" ] || { complete -p tokenctl >&2; exit 4; }
COMP_WORDS=(tokenctl lo); COMP_CWORD=1; COMP_LINE='tokenctl lo'; COMP_POINT=${#COMP_LINE}
COMP_TYPE=9; COMP_KEY=9
"$fn" tokenctl lo tokenctl
printf '%s\n' "${COMPREPLY[@]}""#);
    let mut words: Vec<&str> = completion.split_whitespace().collect();
    words.sort();
    assert_eq!(words, ["login", "logout"], "{completion}");

    // A real login and `token` against the fake server on the host's loopback.
    let fake = FakeServer::start();
    let login = root.sh_with_stdin(
        &format!(
            "tokenctl --store file login --server {} -u alice --password-stdin",
            fake.url()
        ),
        "wonderland",
    );
    assert!(login.status.success(), "{}", text(&login));
    let token = root.sh("tokenctl --store file token");
    assert!(
        fake.is_valid_access_token(token.trim()),
        "`tokenctl token` printed no token the server issued: {token:?}"
    );

    root.sh("dpkg -r tokenctl >/dev/null");
    let left: Vec<&String> = files
        .iter()
        .filter(|f| root.path().join(&f[1..]).exists())
        .collect();
    assert!(left.is_empty(), "dpkg -r left {left:?}");
    assert!(!root.path().join("usr/share/doc/tokenctl").exists());
    let status = root.sh("dpkg-query -W -f='${Status}' tokenctl 2>&1 || true");
    assert!(!status.contains("ok installed"), "{status}");
}

/// At most this many packages are new after `apt install ./tokenctl_….deb`
/// with apt's defaults (Recommends installed): tokenctl itself, and
/// ca-certificates with what it needs on a root without it (openssl,
/// libssl1.1). The desktop keychains as Recommends made it 134 packages
/// (220 MB of desktop) on a server.
const APT_NEW_PACKAGES_BOUND: usize = 4;

/// The .deb installed the way README says, by apt with its defaults, on a
/// server root (minbase, no desktop): apt fetches the package lists from
/// the Debian mirror (network), then plans and installs.
#[test]
#[ignore = "full tier: needs root and debootstrap (a Debian 11 chroot) and the release tools"]
fn apt_install_with_recommends_pulls_no_desktop() {
    assert!(
        is_root(),
        "this test needs root (debootstrap, chroot, mount): run ./scripts/test.sh as root, as CI does"
    );
    let d = dist();
    let root = Chroot::new();
    std::fs::copy(&d.deb, root.path().join("tmp/tokenctl.deb")).unwrap();
    // The chroot resolves names as the host does.
    std::fs::copy("/etc/resolv.conf", root.path().join("etc/resolv.conf")).unwrap();
    root.sh("apt-get update -qq >/dev/null");
    // The plan first: a desktop would be a long download.
    let plan = root.sh("apt-get install -s /tmp/tokenctl.deb");
    let new: Vec<&str> = plan
        .lines()
        .filter_map(|l| l.strip_prefix("Inst "))
        .filter_map(|l| l.split_whitespace().next())
        .collect();
    eprintln!(
        "apt install ./tokenctl.deb (recommends on) adds {} packages: {}",
        new.len(),
        new.join(" ")
    );
    assert!(new.contains(&"tokenctl"), "{plan}");
    assert!(
        new.len() <= APT_NEW_PACKAGES_BOUND,
        "apt would install {} new packages (bound {APT_NEW_PACKAGES_BOUND}): {}",
        new.len(),
        new.join(" ")
    );
    for desktop in ["gnome-keyring", "keepassxc", "kwalletmanager", "dbus-x11"] {
        assert!(!new.contains(&desktop), "{desktop} pulled in: {plan}");
    }
    let installed =
        root.sh("DEBIAN_FRONTEND=noninteractive apt-get install -y -q /tmp/tokenctl.deb 2>&1");
    assert!(
        installed.contains(&format!("{} newly installed", new.len())),
        "{installed}"
    );
    let version = root.sh("tokenctl --version");
    assert!(
        version.starts_with(&format!("tokenctl {VERSION} ")),
        "{version}"
    );
    // Suggested, not installed.
    let suggests = root.sh("dpkg-query -W -f='${Suggests}' tokenctl");
    assert!(suggests.contains("gnome-keyring"), "{suggests}");
}

fn is_root() -> bool {
    // SAFETY: geteuid has no preconditions and cannot fail.
    unsafe { libc::geteuid() == 0 }
}
