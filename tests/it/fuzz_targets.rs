//! The fuzz targets (fuzz/, built by `cargo fuzz`, outside the workspace)
//! still compile against the library: a type that gains a field must not
//! leave them broken until someone next fuzzes.
// Unix only: builds the fuzz crate with the host toolchain.

use std::process::Command;

#[test]
fn the_fuzz_targets_compile() {
    let root = env!("CARGO_MANIFEST_DIR");
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".into());
    let out = Command::new(cargo)
        .args(["check", "--bins", "--quiet", "--manifest-path"])
        .arg(format!("{root}/fuzz/Cargo.toml"))
        .output()
        .expect("cargo runs");
    assert!(
        out.status.success(),
        "cargo check of fuzz/ failed:\n{}",
        String::from_utf8_lossy(&out.stderr)
    );
}
