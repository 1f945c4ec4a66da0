//! `tokenctl version` (and `tokenctl -v --version`): what this binary is,
//! for bug reports. The build facts come from build.rs.

use anyhow::Result;
use serde::Serialize;

use crate::cli::{GlobalArgs, VersionArgs};
use crate::env::build;
use crate::error::Error;
use crate::output::{self, OutputFormat};

/// A token store compiled into this binary, and what it is on this platform.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct StoreBackend {
    /// The `--store` value.
    pub store: &'static str,
    /// What it uses here.
    pub via: &'static str,
}

/// Every store this binary has, one line each: a new backend is one line.
pub const STORE_BACKENDS: &[StoreBackend] = &[
    #[cfg(all(
        unix,
        not(any(target_os = "macos", target_os = "ios", target_os = "android"))
    ))]
    StoreBackend {
        store: "keychain",
        via: "Secret Service",
    },
    #[cfg(target_os = "macos")]
    StoreBackend {
        store: "keychain",
        via: "macOS login keychain",
    },
    #[cfg(windows)]
    StoreBackend {
        store: "keychain",
        via: "Windows Credential Manager",
    },
    #[cfg(target_os = "linux")]
    StoreBackend {
        store: "kernel",
        via: "the kernel's persistent keyring",
    },
    StoreBackend {
        store: "file",
        via: "0600 JSON files",
    },
];

#[derive(Debug, Serialize)]
struct Info {
    name: &'static str,
    version: &'static str,
    commit: &'static str,
    target: &'static str,
    stores: &'static [StoreBackend],
    build_date: &'static str,
}

const INFO: Info = Info {
    name: env!("CARGO_PKG_NAME"),
    version: env!("CARGO_PKG_VERSION"),
    commit: build::COMMIT,
    target: build::TARGET,
    stores: STORE_BACKENDS,
    build_date: build::DATE,
};

pub fn run(global: &GlobalArgs, _args: VersionArgs) -> Result<()> {
    output::print(&render(global.output)?)?;
    Ok(())
}

fn render(format: Option<OutputFormat>) -> Result<String, Error> {
    match format {
        None => Ok(text(&INFO)),
        Some(OutputFormat::Json) => {
            let mut json = serde_json::to_string_pretty(&INFO).expect("json serializes");
            json.push('\n');
            Ok(json)
        }
        Some(other) => Err(Error::usage(format!(
            "`version` prints text or `-o json`, not `-o {}`",
            other.name()
        ))),
    }
}

fn text(info: &Info) -> String {
    let stores: Vec<String> = info
        .stores
        .iter()
        .map(|b| format!("{} ({})", b.store, b.via))
        .collect();
    format!(
        "{} {}\ncommit: {}\ntarget: {}\nstores: {}\nbuilt:  {}\n",
        info.name,
        info.version,
        info.commit,
        info.target,
        stores.join(", "),
        info.build_date
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn json_names_every_build_fact() {
        let json: serde_json::Value =
            serde_json::from_str(&render(Some(OutputFormat::Json)).unwrap()).unwrap();
        assert_eq!(json["version"], env!("CARGO_PKG_VERSION"));
        assert_eq!(json["target"], build::TARGET);
        let stores: Vec<&str> = json["stores"]
            .as_array()
            .unwrap()
            .iter()
            .map(|s| s["store"].as_str().unwrap())
            .collect();
        assert!(stores.contains(&"keychain") && stores.contains(&"file"));
        // RFC 3339, UTC, to the second.
        let date = json["build_date"].as_str().unwrap();
        assert!(humantime::parse_rfc3339(date).is_ok(), "{date}");
    }

    #[test]
    fn other_formats_are_usage_errors() {
        let err = render(Some(OutputFormat::Token)).unwrap_err();
        assert!(err.to_string().contains("-o json"), "{err}");
    }
}
