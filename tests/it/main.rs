//! The integration tests, one binary (issue 27): each file of this
//! directory is a module. Tests that need a real component (a Secret
//! Service, Chromium, node, root, kubectl, zig, ...) are ignored in the
//! quick tier (`cargo test`) with the component named, and run by the full
//! tier (`./scripts/test.sh`, `--include-ignored`). tests/fast_path.rs
//! stays a binary of its own: it sets process environment variables, which
//! no other test thread may read meanwhile.

#[macro_use]
mod common;
mod ship;

mod answers;
mod behaviour;
mod browser;
#[cfg(unix)]
mod cache;
mod ci;
mod claims;
#[cfg(unix)]
mod completion;
mod config_edit;
mod cross_smoke;
mod dead_tokens;
#[cfg(unix)]
mod deb_chroot;
#[cfg(unix)]
mod dist;
mod docs;
mod doctor;
mod exec;
mod faults;
#[cfg(unix)]
mod fixtures;
#[cfg(unix)]
mod fuzz_targets;
#[cfg(unix)]
mod headless;
mod hostile_input;
mod http_client;
#[cfg(unix)]
mod install;
#[cfg(unix)]
mod install_static;
#[cfg(target_os = "linux")]
mod kernel;
mod kill;
mod kubectl;
mod kuberc;
#[cfg(unix)]
mod leaks;
#[cfg(target_os = "linux")]
mod login_note;
mod oauth2;
mod operations;
mod output_env;
#[cfg(unix)]
mod playground;
#[cfg(unix)]
mod recover;
mod renewal;
mod repository;
mod requests;
mod runai3;
#[cfg(unix)]
mod runai_sdk;
mod shell;
#[cfg(unix)]
mod sso_oidc;
#[cfg(target_os = "linux")]
mod sso_slots;
#[cfg(unix)]
mod state_dirs;
mod structure;
#[cfg(unix)]
mod terminal;
mod version;
#[cfg(unix)]
mod workflows;
