//! `scripts/dist.sh`: what the tarball, the .deb and the .rpm hold, their
//! metadata, the glibc floor and hardening of the binary, SHA256SUMS, and
//! the Homebrew formula made from it.
// Unix only: scripts/dist.sh's Linux packages, built and inspected with Linux tools.

use crate::ship;

use std::collections::BTreeSet;
use std::process::Command;

use ship::{VERSION, dist, man_pages, stdout, tool};

/// What both packages install besides the docs, as the packages name them.
fn installed_files(zsh_dir: &str) -> BTreeSet<String> {
    let mut files: BTreeSet<String> = man_pages()
        .into_iter()
        .map(|p| format!("/usr/share/man/man1/{p}.gz"))
        .collect();
    files.extend(
        [
            "/usr/bin/tokenctl",
            "/usr/share/bash-completion/completions/tokenctl",
            "/usr/share/fish/vendor_completions.d/tokenctl.fish",
            "/usr/share/doc/tokenctl/README.md",
        ]
        .map(String::from),
    );
    files.insert(format!("{zsh_dir}/_tokenctl"));
    // README's guides, where its relative links find them.
    files.extend(
        doc_pages()
            .iter()
            .map(|p| format!("/usr/share/doc/tokenctl/{p}")),
    );
    files
}

/// docs/*.md, as `docs/NAME.md`.
fn doc_pages() -> BTreeSet<String> {
    std::fs::read_dir(ship::root().join("docs"))
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.ends_with(".md"))
        .map(|n| format!("docs/{n}"))
        .collect()
}

#[test]
#[ignore = "full tier: needs the release tools (zig, cargo-zigbuild, cargo-deb, cargo-generate-rpm, rpm)"]
fn deb_lists_exactly_the_expected_files_and_metadata() {
    let d = dist();
    let mut want = installed_files("/usr/share/zsh/vendor-completions");
    for doc in ["copyright", "LICENSE-MIT", "LICENSE-APACHE"] {
        want.insert(format!("/usr/share/doc/tokenctl/{doc}"));
    }
    assert_eq!(ship::deb_files(&d.deb), want);
    assert!(man_pages().len() > 5, "man pages: {:?}", man_pages());

    let listing = stdout(Command::new(tool("dpkg-deb")).arg("-c").arg(&d.deb));
    let bin = listing
        .lines()
        .find(|l| l.ends_with("./usr/bin/tokenctl"))
        .unwrap();
    assert!(bin.starts_with("-rwxr-xr-x 0/0 "), "{bin}");

    let field = |name: &str| {
        stdout(
            Command::new(tool("dpkg-deb"))
                .arg("-f")
                .arg(&d.deb)
                .arg(name),
        )
        .trim()
        .to_string()
    };
    assert_eq!(field("Package"), "tokenctl");
    assert_eq!(field("Version"), format!("{VERSION}-1"));
    assert_eq!(field("Architecture"), ship::deb_arch());
    // The glibc floor only. apt installs Recommends by default: on a server
    // that must be the CA store alone (the kernel keyring holds the tokens
    // there); the desktop keychains are suggestions.
    assert_eq!(field("Depends"), "libc6 (>= 2.28)");
    assert_eq!(field("Recommends"), "ca-certificates");
    assert_eq!(
        field("Suggests"),
        "gnome-keyring | keepassxc | kwalletmanager"
    );
    // From Cargo.toml's homepage (else repository); unset there, none here.
    assert_eq!(field("Homepage"), ship::homepage().unwrap_or_default());
    assert!(
        field("Description").starts_with("Credential helper for Run:ai and GBDS token APIs"),
        "{}",
        field("Description")
    );
    let description = field("Description");
    let synopsis = description.lines().next().unwrap();
    assert!(
        synopsis.len() < 80,
        "synopsis over 79 characters: {synopsis}"
    );
    assert!(description.lines().count() > 2, "no extended description");
    assert_eq!(field("Pre-Depends"), "");
    let copyright = stdout(
        Command::new("sh")
            .arg("-c")
            .arg("dpkg-deb --fsys-tarfile \"$1\" | tar -xOf - ./usr/share/doc/tokenctl/copyright")
            .arg("sh")
            .arg(&d.deb),
    );
    assert!(copyright.contains("MIT OR Apache-2.0"), "{copyright}");
}

#[test]
#[ignore = "full tier: needs the release tools (zig, cargo-zigbuild, cargo-deb, cargo-generate-rpm, rpm)"]
fn rpm_lists_exactly_the_expected_files_and_metadata() {
    let d = dist();
    let mut want = installed_files("/usr/share/zsh/site-functions");
    for lic in ["LICENSE-MIT", "LICENSE-APACHE"] {
        want.insert(format!("/usr/share/licenses/tokenctl/{lic}"));
    }
    let rpm = tool("rpm");
    let files: BTreeSet<String> = stdout(Command::new(&rpm).arg("-qlp").arg(&d.rpm))
        .lines()
        .map(String::from)
        .collect();
    assert_eq!(files, want);

    let q = |fmt: &str| stdout(Command::new(&rpm).args(["-qp", "--qf", fmt]).arg(&d.rpm));
    assert_eq!(q("%{NAME} %{VERSION} %{RELEASE} %{ARCH}"), {
        format!("tokenctl {VERSION} 1 {}", std::env::consts::ARCH)
    });
    assert_eq!(q("%{LICENSE}"), "MIT OR Apache-2.0");
    assert_eq!(
        q("%{URL}"),
        ship::homepage().unwrap_or_else(|| "(none)".into())
    );
    assert!(q("%{SUMMARY}").starts_with("Credential helper"));
    let modes = stdout(Command::new(&rpm).args(["-qp", "--dump"]).arg(&d.rpm));
    let bin = modes
        .lines()
        .find(|l| l.starts_with("/usr/bin/tokenctl "))
        .unwrap();
    // path size mtime digest mode owner group ...
    assert_eq!(bin.split_whitespace().nth(4), Some("0100755"), "{bin}");

    let requires: BTreeSet<String> =
        stdout(Command::new(&rpm).args(["-qp", "--requires"]).arg(&d.rpm))
            .lines()
            .filter(|l| !l.starts_with("rpmlib("))
            .map(String::from)
            .collect();
    // The glibc floor is the only library; the rpm crate behind
    // cargo-generate-rpm adds /bin/sh to every package it writes.
    assert_eq!(
        requires,
        BTreeSet::from(["glibc >= 2.28".to_string(), "/bin/sh".to_string()])
    );
    // xz: RHEL 8's rpm reads it (zstd payloads need a newer rpm).
    assert_eq!(q("%{PAYLOADCOMPRESSOR}"), "xz");
    // dnf installs weak dependencies by default too: the same split as the .deb.
    let recommends = stdout(Command::new(&rpm).args(["-qp", "--recommends"]).arg(&d.rpm));
    assert_eq!(recommends, "ca-certificates\n");
    let suggests = stdout(Command::new(&rpm).args(["-qp", "--suggests"]).arg(&d.rpm));
    assert_eq!(suggests, "gnome-keyring\n");
}

#[test]
#[ignore = "full tier: needs the release tools (zig, cargo-zigbuild, cargo-deb, cargo-generate-rpm, rpm)"]
fn the_binary_needs_glibc_2_28_at_most_and_keeps_pie_and_relro() {
    let d = dist();
    let symbols = stdout(Command::new(tool("objdump")).arg("-T").arg(&d.binary));
    let newest = glibc_versions(&symbols)
        .into_iter()
        .max()
        .expect("GLIBC_ symbols");
    eprintln!("newest GLIBC_ symbol: {}.{}", newest.0, newest.1);
    assert!(newest <= (2, 28), "needs GLIBC_{}.{}", newest.0, newest.1);

    let readelf = tool("readelf");
    let header = stdout(Command::new(&readelf).arg("-hW").arg(&d.binary));
    assert!(
        header.contains("DYN (Position-Independent Executable file)")
            || header.contains("Type:                              DYN"),
        "not PIE:\n{header}"
    );
    let segments = stdout(Command::new(&readelf).arg("-lW").arg(&d.binary));
    assert!(segments.contains("GNU_RELRO"), "no RELRO:\n{segments}");
    let dynamic = stdout(Command::new(&readelf).arg("-dW").arg(&d.binary));
    assert!(
        dynamic.contains("BIND_NOW") || dynamic.contains("Flags: NOW"),
        "RELRO is partial (no BIND_NOW):\n{dynamic}"
    );
    assert!(dynamic.contains("PIE"), "no PIE flag:\n{dynamic}");
    // Everything it links is glibc's (the libc6 package): the Depends line.
    for lib in dynamic.lines().filter(|l| l.contains("(NEEDED)")) {
        let name = lib.rsplit('[').next().unwrap().trim_end_matches(']');
        assert!(
            [
                "libc.so.6",
                "libm.so.6",
                "libpthread.so.0",
                "libdl.so.2",
                "librt.so.1",
                "ld-linux-x86-64.so.2",
                "ld-linux-aarch64.so.1"
            ]
            .contains(&name),
            "links {name}, which libc6 does not ship"
        );
    }
}

/// Every `GLIBC_X.Y[.Z]` version in `objdump -T` output, as (X, Y).
/// The release binary ignores the test suite's variables: a clock moved two
/// hours on (`TOKENCTL_TEST_CLOCK`) does not make its hour-long token look
/// expired, and `TOKENCTL_TEST_PANIC` does not panic it. The debug build,
/// told the same, renews: the variable does reach it.
#[test]
#[ignore = "full tier: needs the release tools (zig, cargo-zigbuild, cargo-deb, cargo-generate-rpm, rpm)"]
fn the_release_binary_ignores_the_test_clock_and_panic() {
    use crate::common::fixtures::Login;
    use crate::common::{Env, FakeServer, Output, Store};
    let d = dist();
    let env = Env::new(Store::File);
    let clock = env.path("clock");
    // The fake reads the same clock: what it issues on the moved clock is
    // fresh there. No file yet: not moved while logging in.
    let fake = FakeServer::start_with(tokenctl_fake_server::Config {
        clock: Some(clock.clone()),
        ..Default::default()
    });
    Login::runai(&fake.url()).ok(&env);
    std::fs::write(&clock, "7200").unwrap();
    fake.reset_counts();
    let release = Output::of(
        env.program(&d.binary)
            .env("TOKENCTL_TEST_CLOCK", &clock)
            .env("TOKENCTL_TEST_PANIC", "1")
            .arg("token"),
    );
    assert_eq!(release.code, 0, "{release}");
    assert_eq!(fake.count("grant:refresh_token"), 0, "{:?}", fake.counts());
    let debug = Output::of(env.cmd().env("TOKENCTL_TEST_CLOCK", &clock).arg("token"));
    assert_eq!(debug.code, 0, "{debug}");
    assert_eq!(fake.count("grant:refresh_token"), 1, "{:?}", fake.counts());
}

fn glibc_versions(text: &str) -> Vec<(u32, u32)> {
    text.split(|c: char| c.is_whitespace() || c == '(' || c == ')')
        .filter_map(|w| w.strip_prefix("GLIBC_"))
        .filter_map(|v| {
            let mut parts = v.split('.').map(|p| p.parse::<u32>());
            Some((parts.next()?.ok()?, parts.next()?.ok()?))
        })
        .collect()
}

#[test]
fn glibc_versions_are_read_from_objdump_lines() {
    let sample = "0000000000000000      DF *UND*	0000000000000000 (GLIBC_2.34) __libc_start_main\n\
                  0000000000000000      DF *UND*	0000000000000000  GLIBC_2.2.5 write\n\
                  0000000000000000  w   D  *UND*	0000000000000000  GLIBC_PRIVATE x\n";
    assert_eq!(glibc_versions(sample), vec![(2, 34), (2, 2)]);
}

#[test]
#[ignore = "full tier: needs the release tools (zig, cargo-zigbuild, cargo-deb, cargo-generate-rpm, rpm)"]
fn tarball_holds_binary_man_pages_completions_licences_readme_and_docs() {
    let d = dist();
    let top = format!("tokenctl-{VERSION}-{}", ship::target());
    let listing = stdout(Command::new("tar").arg("-tzvf").arg(&d.tarball));
    let files: BTreeSet<String> = listing
        .lines()
        .filter(|l| !l.starts_with('d'))
        .map(|l| l.split_whitespace().last().unwrap().to_string())
        .collect();
    let mut want: BTreeSet<String> = ["tokenctl", "README.md", "LICENSE-MIT", "LICENSE-APACHE"]
        .iter()
        .map(|f| format!("{top}/{f}"))
        .collect();
    want.extend(man_pages().iter().map(|p| format!("{top}/man/{p}")));
    want.extend(doc_pages().iter().map(|p| format!("{top}/{p}")));
    for c in std::fs::read_dir(ship::root().join("completions")).unwrap() {
        let c = c.unwrap().file_name();
        want.insert(format!("{top}/completions/{}", c.to_string_lossy()));
    }
    assert_eq!(files, want);
    let bin = listing
        .lines()
        .find(|l| l.ends_with(&format!("{top}/tokenctl")))
        .unwrap();
    assert!(bin.starts_with("-rwxr-xr-x 0/0 "), "{bin}");
}

#[test]
#[ignore = "full tier: needs the release tools (zig, cargo-zigbuild, cargo-deb, cargo-generate-rpm, rpm)"]
fn sha256sums_cover_every_artifact_and_match() {
    let d = dist();
    let sums = std::fs::read_to_string(d.dir.join("SHA256SUMS")).unwrap();
    let named: BTreeSet<String> = sums
        .lines()
        .map(|l| l.split_whitespace().nth(1).unwrap().to_string())
        .collect();
    assert_eq!(named, d.artifacts());
    let check = stdout(
        Command::new(tool("sha256sum"))
            .args(["-c", "SHA256SUMS"])
            .current_dir(&d.dir),
    );
    assert_eq!(check.matches(": OK").count(), 3, "{check}");
}

#[test]
#[ignore = "full tier: needs the release tools (zig, cargo-zigbuild, cargo-deb, cargo-generate-rpm, rpm)"]
fn homebrew_formula_is_made_from_the_checksums() {
    let d = dist();
    let tmp = tempfile::tempdir().unwrap();
    let real = std::fs::read_to_string(d.dir.join("SHA256SUMS")).unwrap();
    let mut sums = real.clone();
    let fake = |n: u8| format!("{:02x}", n).repeat(32);
    for (i, t) in [
        "aarch64-apple-darwin",
        "x86_64-apple-darwin",
        "aarch64-unknown-linux-gnu",
        "x86_64-unknown-linux-gnu",
    ]
    .iter()
    .enumerate()
    {
        if !real.contains(&format!("-{t}.tar.gz")) {
            sums.push_str(&format!(
                "{}  tokenctl-{VERSION}-{t}.tar.gz\n",
                fake(i as u8 + 1)
            ));
        }
    }
    let path = tmp.path().join("SHA256SUMS");
    std::fs::write(&path, &sums).unwrap();
    // Where the release's files are: given by the caller (the release
    // workflow names its own repository's release), never built in.
    let base = format!("https://releases.example.com/tokenctl/v{VERSION}");
    let formula = stdout(
        Command::new(ship::root().join("scripts/homebrew.sh"))
            .arg(&path)
            .arg(format!("{base}/")),
    );
    assert!(
        formula.contains(&format!("version \"{VERSION}\"")),
        "{formula}"
    );
    for line in sums.lines() {
        let (sha, file) = line.split_once("  ").unwrap();
        if !file.ends_with(".tar.gz") {
            continue;
        }
        let url = format!("{base}/{file}");
        let at = formula
            .find(&format!("url \"{url}\""))
            .unwrap_or_else(|| panic!("no {url}:\n{formula}"));
        let next = formula[at..].lines().nth(1).unwrap().trim();
        assert_eq!(next, format!("sha256 \"{sha}\""));
    }
    assert!(formula.contains("bin.install \"tokenctl\""));
    // Every URL in it is one of those, or Cargo.toml's homepage.
    match ship::homepage() {
        Some(home) => assert!(
            formula.contains(&format!("homepage \"{home}\"")),
            "{formula}"
        ),
        None => assert!(!formula.contains("homepage"), "{formula}"),
    }
    for (i, _) in formula.match_indices("https://") {
        let url = &formula[i..];
        assert!(
            url.starts_with(&base) || ship::homepage().is_some_and(|h| url.starts_with(&h)),
            "a URL from elsewhere: {}",
            url.lines().next().unwrap()
        );
    }

    // Without the URL: a usage error that says what to give.
    let out = Command::new(ship::root().join("scripts/homebrew.sh"))
        .arg(&path)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2), "{}", ship::text(&out));
    assert!(
        String::from_utf8_lossy(&out.stderr).contains("usage: scripts/homebrew.sh SHA256SUMS URL"),
        "{}",
        ship::text(&out)
    );

    // A tarball missing from the list fails, naming it.
    let without: String = sums
        .lines()
        .filter(|l| !l.contains("aarch64-apple-darwin"))
        .map(|l| format!("{l}\n"))
        .collect();
    std::fs::write(&path, without).unwrap();
    let out = Command::new(ship::root().join("scripts/homebrew.sh"))
        .arg(&path)
        .arg(&base)
        .output()
        .unwrap();
    assert!(!out.status.success());
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains(&format!(
            "no line for tokenctl-{VERSION}-aarch64-apple-darwin.tar.gz"
        )),
        "{err}"
    );
}

#[test]
#[ignore = "full tier: needs the release tools (zig, cargo-zigbuild, cargo-deb, cargo-generate-rpm, rpm)"]
fn readme_install_names_what_dist_and_install_sh_make() {
    let readme = std::fs::read_to_string(ship::root().join("README.md")).unwrap();
    // The release workflow publishes install.sh beside the artifacts, and
    // the formula for its own repository's release.
    let release =
        std::fs::read_to_string(ship::root().join(".github/workflows/release.yml")).unwrap();
    assert!(release.contains("cp scripts/install.sh dist/"));
    assert!(
        release.contains(
            "./scripts/homebrew.sh dist/SHA256SUMS \"$GITHUB_SERVER_URL/$GITHUB_REPOSITORY/releases/download/$GITHUB_REF_NAME\""
        ),
        "release.yml does not make the formula for its own release"
    );

    let deb = format!("tokenctl_{VERSION}-1_amd64.deb");
    let rpm = format!("tokenctl-{VERSION}-1.x86_64.rpm");
    assert!(
        readme.contains(&format!("apt install ./target/dist/{deb}")),
        "README lacks {deb}"
    );
    assert!(
        readme.contains(&format!("dnf install ./target/dist/{rpm}")),
        "README lacks {rpm}"
    );
    if std::env::consts::ARCH == "x86_64" {
        let d = dist();
        assert_eq!(d.deb.file_name().unwrap().to_str(), Some(deb.as_str()));
        assert_eq!(d.rpm.file_name().unwrap().to_str(), Some(rpm.as_str()));
    }
}

/// A directory of links to the programs named, for a PATH with those only.
fn bin_with(dir: &std::path::Path, programs: &[&str]) -> std::path::PathBuf {
    let bin = dir.join("bin");
    std::fs::create_dir_all(&bin).unwrap();
    for p in programs {
        std::os::unix::fs::symlink(tool(p), bin.join(p)).unwrap();
    }
    bin
}

/// scripts/dist.sh on a machine without the release tools: one message
/// names every missing one, with commands that work on Debian 12 (no bare
/// `pip install`: the system Python is externally managed) at the versions
/// tested, before anything is built.
#[test]
#[ignore = "full tier: needs the release tools (zig, cargo-zigbuild, cargo-deb, cargo-generate-rpm, rpm)"]
fn dist_sh_names_every_missing_tool_at_once() {
    let tmp = tempfile::tempdir().unwrap();
    let basics = [
        "bash", "env", "uname", "sed", "head", "dirname", "cat", "grep", "date", "python3",
    ];
    let bin = bin_with(tmp.path(), &basics);
    let run = |path: &std::path::Path| {
        Command::new(ship::root().join("scripts/dist.sh"))
            .env_clear()
            .env("PATH", path)
            .env("HOME", tmp.path())
            .env("TOKENCTL_TEST_CACHE", tmp.path().join("cache"))
            .output()
            .unwrap()
    };
    let out = run(&bin);
    let err = String::from_utf8_lossy(&out.stderr).into_owned();
    assert_eq!(out.status.code(), Some(1), "{}", ship::text(&out));
    assert_eq!(
        err.matches("error:").count(),
        1,
        "one message, not one per run:\n{err}"
    );
    for missing in [
        "cargo",
        "cargo-zigbuild",
        "zig",
        "cargo-deb",
        "cargo-generate-rpm",
    ] {
        assert!(
            err.contains(&format!(" {missing},")) || err.contains(&format!(" {missing}\n")),
            "{missing} not named:\n{err}"
        );
    }
    let (zig, zigbuild, deb, rpm) = (
        ship::tool_version("ZIGLANG_VERSION"),
        ship::tool_version("CARGO_ZIGBUILD_VERSION"),
        ship::tool_version("CARGO_DEB_VERSION"),
        ship::tool_version("CARGO_GENERATE_RPM_VERSION"),
    );
    assert!(err.contains("python3 -m venv "), "{err}");
    assert!(
        err.contains(&format!(
            "/bin/pip install ziglang=={zig} cargo-zigbuild=={zigbuild}"
        )),
        "{err}"
    );
    assert!(
        err.contains(&format!(
            "cargo install --locked cargo-deb@{deb} cargo-generate-rpm@{rpm}"
        )),
        "{err}"
    );
    assert!(
        !err.lines()
            .any(|l| l.trim_start().starts_with("pip install")),
        "a bare pip install fails on Debian 12:\n{err}"
    );
    assert!(!err.contains("dist: built"), "it built something:\n{err}");

    // With the Rust and zig tools there, only the packagers are named.
    let tmp2 = tempfile::tempdir().unwrap();
    let mut some: Vec<&str> = basics.to_vec();
    some.extend(["cargo", "rustc", "cargo-zigbuild"]);
    let bin = bin_with(tmp2.path(), &some);
    // zig itself: the binary of the venv's ziglang package.
    let venv = tool("cargo-zigbuild");
    let zig = std::fs::read_dir(venv.parent().unwrap().parent().unwrap().join("lib"))
        .unwrap()
        .map(|e| e.unwrap().path().join("site-packages/ziglang/zig"))
        .find(|p| p.is_file())
        .expect("zig in the venv's ziglang package");
    std::os::unix::fs::symlink(&zig, bin.join("zig")).unwrap();
    let out = run(&bin);
    let err = String::from_utf8_lossy(&out.stderr).into_owned();
    assert_eq!(out.status.code(), Some(1), "{}", ship::text(&out));
    assert!(
        err.contains("cargo-deb") && err.contains("cargo-generate-rpm"),
        "{err}"
    );
    assert!(
        !err.contains("cargo-zigbuild") && !err.contains("venv"),
        "{err}"
    );
}

/// scripts/test.sh installs the release tools at the versions
/// scripts/tool-versions names: one source for both scripts.
#[test]
fn test_sh_and_dist_sh_read_the_same_pins() {
    let test_sh = std::fs::read_to_string(ship::root().join("scripts/test.sh")).unwrap();
    let dist_sh = std::fs::read_to_string(ship::root().join("scripts/dist.sh")).unwrap();
    for script in [&test_sh, &dist_sh] {
        assert!(script.contains(". scripts/tool-versions"), "{script}");
        for name in [
            "ZIGLANG_VERSION",
            "CARGO_ZIGBUILD_VERSION",
            "CARGO_DEB_VERSION",
            "CARGO_GENERATE_RPM_VERSION",
        ] {
            assert!(script.contains(&format!("${name}")), "no ${name}");
        }
    }
    // No version written out beside them.
    for name in [
        "ZIGLANG_VERSION",
        "CARGO_ZIGBUILD_VERSION",
        "CARGO_DEB_VERSION",
        "CARGO_GENERATE_RPM_VERSION",
    ] {
        let pinned = ship::tool_version(name);
        for (script, text) in [("test.sh", &test_sh), ("dist.sh", &dist_sh)] {
            assert!(!text.contains(&pinned), "{script} names {pinned} itself");
        }
    }
}
