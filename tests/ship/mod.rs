//! Shared by the release-artifact tests (tests/dist.rs, deb_chroot.rs,
//! install.rs): `scripts/dist.sh` runs once per suite run, whichever test
//! asks first; the others wait on a lock and reuse what it built. A run is
//! reused while its inputs (sources, manifests, man pages, completions,
//! scripts, the commit) are the same, so a second suite run on an unchanged
//! tree builds nothing.
#![allow(dead_code)]

use std::collections::BTreeSet;
use std::hash::{DefaultHasher, Hash, Hasher};
use std::path::{Path, PathBuf};
use std::process::{Command, Output};
use std::time::Instant;

pub const VERSION: &str = env!("CARGO_PKG_VERSION");

pub fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// This machine's Linux target, as the artifact names carry it.
pub fn target() -> String {
    format!("{}-unknown-linux-gnu", std::env::consts::ARCH)
}

/// The Debian architecture of this machine.
pub fn deb_arch() -> &'static str {
    match std::env::consts::ARCH {
        "x86_64" => "amd64",
        "aarch64" => "arm64",
        other => panic!("no Debian architecture known for {other}"),
    }
}

pub struct Dist {
    pub dir: PathBuf,
    pub tarball: PathBuf,
    pub deb: PathBuf,
    pub rpm: PathBuf,
    /// The binary the packages hold, as built.
    pub binary: PathBuf,
}

impl Dist {
    /// Every artifact's file name, SHA256SUMS aside.
    pub fn artifacts(&self) -> BTreeSet<String> {
        [&self.tarball, &self.deb, &self.rpm]
            .iter()
            .map(|p| p.file_name().unwrap().to_string_lossy().into_owned())
            .collect()
    }
}

/// The artifacts of `scripts/dist.sh` for this machine, built now if the
/// last build was of other inputs.
pub fn dist() -> Dist {
    let root = root();
    let target = target();
    let dir = root.join("target/dist");
    let dist = Dist {
        tarball: dir.join(format!("tokenctl-{VERSION}-{target}.tar.gz")),
        deb: dir.join(format!("tokenctl_{VERSION}-1_{}.deb", deb_arch())),
        rpm: dir.join(format!(
            "tokenctl-{VERSION}-1.{}.rpm",
            std::env::consts::ARCH
        )),
        binary: root.join(format!("target/{target}/release/tokenctl")),
        dir,
    };
    std::fs::create_dir_all(root.join("target")).unwrap();
    let lock = std::fs::File::create(root.join("target/dist-test.lock")).unwrap();
    lock.lock().expect("lock target/dist-test.lock");
    let key = inputs_key(&root);
    let key_file = root.join("target/dist-test.key");
    let fresh = std::fs::read_to_string(&key_file).is_ok_and(|k| k == key)
        && [&dist.tarball, &dist.deb, &dist.rpm, &dist.binary]
            .iter()
            .all(|p| p.exists())
        && dist.dir.join("SHA256SUMS").exists();
    if !fresh {
        let _ = std::fs::remove_file(&key_file);
        let started = Instant::now();
        let out = clean_cargo_env(Command::new("scripts/dist.sh").current_dir(&root))
            .output()
            .expect("run scripts/dist.sh");
        assert!(
            out.status.success(),
            "scripts/dist.sh failed ({}); run ./scripts/test.sh, which installs its tools\n{}",
            out.status,
            text(&out)
        );
        eprintln!("scripts/dist.sh took {:.0?}", started.elapsed());
        std::fs::write(&key_file, &key).unwrap();
    }
    for p in [&dist.tarball, &dist.deb, &dist.rpm, &dist.binary] {
        assert!(p.exists(), "scripts/dist.sh did not make {}", p.display());
    }
    dist
}

/// A command that runs cargo again: without the package variables `cargo
/// test` gives this process (CARGO_PKG_*, CARGO_MANIFEST_DIR, ...). Build
/// scripts such as ring's rerun when those change, which would rebuild the
/// release binary and then the test build. Settings (CARGO_HOME,
/// CARGO_TARGET_DIR, CARGO_BUILD_*) stay.
pub fn clean_cargo_env(cmd: &mut Command) -> &mut Command {
    for (name, _) in std::env::vars_os() {
        let name = name.to_string_lossy();
        if name.starts_with("CARGO_PKG_")
            || name.starts_with("CARGO_MANIFEST_")
            || name.starts_with("CARGO_BIN_EXE_")
            || matches!(
                name.as_ref(),
                "CARGO_CRATE_NAME"
                    | "CARGO_BIN_NAME"
                    | "CARGO_PRIMARY_PACKAGE"
                    | "CARGO_TARGET_TMPDIR"
                    | "CARGO_RUSTC_CURRENT_DIR"
                    | "OUT_DIR"
            )
        {
            cmd.env_remove(name.as_ref());
        }
    }
    cmd
}

/// What the artifacts are made of, hashed: a change anywhere means a new build.
fn inputs_key(root: &Path) -> String {
    let mut files = Vec::new();
    for name in [
        "Cargo.toml",
        "Cargo.lock",
        "build.rs",
        "README.md",
        "LICENSE-MIT",
        "LICENSE-APACHE",
        "scripts/dist.sh",
    ] {
        files.push(root.join(name));
    }
    for dir in ["src", "man", "completions", "docs"] {
        walk(&root.join(dir), &mut files);
    }
    files.sort();
    let mut h = DefaultHasher::new();
    for f in &files {
        f.strip_prefix(root).unwrap().hash(&mut h);
        std::fs::read(f).unwrap_or_default().hash(&mut h);
    }
    let head = Command::new("git")
        .args(["rev-parse", "HEAD"])
        .current_dir(root)
        .output()
        .map(|o| o.stdout)
        .unwrap_or_default();
    head.hash(&mut h);
    format!("{:016x}", h.finish())
}

fn walk(dir: &Path, out: &mut Vec<PathBuf>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for e in entries.flatten() {
        let p = e.path();
        if p.is_dir() {
            walk(&p, out);
        } else {
            out.push(p);
        }
    }
}

/// A tool the tests need; missing is a failure that says how to get it.
pub fn tool(name: &str) -> PathBuf {
    let path = std::env::var_os("PATH").unwrap_or_default();
    std::env::split_paths(&path)
        .map(|d| d.join(name))
        .find(|p| p.is_file())
        .unwrap_or_else(|| {
            panic!(
                "`{name}` is not installed: run the suite with ./scripts/test.sh, which installs it"
            )
        })
}

pub fn run(cmd: &mut Command) -> Output {
    let out = cmd.output().unwrap_or_else(|e| panic!("run {cmd:?}: {e}"));
    assert!(
        out.status.success(),
        "{cmd:?} failed: {}\n{}",
        out.status,
        text(&out)
    );
    out
}

pub fn stdout(cmd: &mut Command) -> String {
    String::from_utf8(run(cmd).stdout).unwrap()
}

pub fn text(out: &Output) -> String {
    format!(
        "stdout:\n{}\nstderr:\n{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    )
}

/// The man pages in the repository (`tokenctl.1`, `tokenctl-login.1`, ...).
pub fn man_pages() -> BTreeSet<String> {
    std::fs::read_dir(root().join("man"))
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.ends_with(".1"))
        .collect()
}

/// The files (not directories) a package installs, as absolute paths, from
/// `dpkg-deb -c`.
pub fn deb_files(deb: &Path) -> BTreeSet<String> {
    stdout(Command::new(tool("dpkg-deb")).arg("-c").arg(deb))
        .lines()
        .filter(|l| !l.starts_with('d'))
        .map(|l| {
            let path = l.split_whitespace().nth(5).expect("dpkg-deb -c line");
            path.trim_start_matches('.').to_string()
        })
        .collect()
}

/// Cargo.toml's `homepage`, else its `repository`: the one place the
/// project's address is kept, from which the packages take theirs. None
/// while it has no home of its own.
pub fn homepage() -> Option<String> {
    let manifest: toml::Table = std::fs::read_to_string(root().join("Cargo.toml"))
        .unwrap()
        .parse()
        .unwrap();
    let package = manifest["package"].as_table().unwrap();
    package
        .get("homepage")
        .or(package.get("repository"))
        .and_then(|v| v.as_str())
        .map(String::from)
}

/// The release tools' versions as tested, from scripts/tool-versions (the
/// file scripts/dist.sh and scripts/test.sh read): `NAME` -> version.
pub fn tool_version(name: &str) -> String {
    let text = std::fs::read_to_string(root().join("scripts/tool-versions"))
        .expect("scripts/tool-versions");
    text.lines()
        .find_map(|l| l.strip_prefix(&format!("{name}=")))
        .unwrap_or_else(|| panic!("no {name}= in scripts/tool-versions"))
        .to_string()
}
