//! kubectl's side of the exec-credential protocol.

use serde::Deserialize;

use crate::env::EnvVars;
use crate::error::Error;
use crate::text::shown;

/// `client.authentication.k8s.io` versions kubectl speaks.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ExecApiVersion {
    V1,
    V1beta1,
}

pub const V1: &str = "client.authentication.k8s.io/v1";
pub const V1BETA1: &str = "client.authentication.k8s.io/v1beta1";

pub fn api_version(v: ExecApiVersion) -> &'static str {
    match v {
        ExecApiVersion::V1 => V1,
        ExecApiVersion::V1beta1 => V1BETA1,
    }
}

/// What kubectl tells its plugin in `KUBERNETES_EXEC_INFO`.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ExecInfo {
    pub api_version: Option<&'static str>,
    /// `spec.interactive`: false means nobody can answer a prompt.
    pub interactive: Option<bool>,
}

#[derive(Deserialize)]
struct Raw {
    #[serde(rename = "apiVersion")]
    api_version: Option<String>,
    spec: Option<RawSpec>,
}

#[derive(Deserialize)]
struct RawSpec {
    interactive: Option<bool>,
}

impl ExecInfo {
    /// From the environment; `None` when not run by kubectl.
    pub fn from_env() -> Result<Option<Self>, Error> {
        match std::env::var(EnvVars::KUBERNETES_EXEC_INFO) {
            Ok(text) if !text.trim().is_empty() => Self::parse(&text).map(Some),
            _ => Ok(None),
        }
    }

    pub fn parse(text: &str) -> Result<Self, Error> {
        // serde's errors quote the offending string: escaped and bounded.
        let raw: Raw = serde_json::from_str(text).map_err(|e| {
            Error::usage(format!(
                "KUBERNETES_EXEC_INFO is not the JSON kubectl sends ({}); unset it when running tokenctl by hand",
                shown(e.to_string())
            ))
        })?;
        let api_version = match raw.api_version.as_deref() {
            None => None,
            Some(V1) => Some(V1),
            Some(V1BETA1) => Some(V1BETA1),
            Some(other) => {
                return Err(Error::usage(format!(
                    "kubectl asked for ExecCredential apiVersion `{}`; tokenctl speaks {V1} and {V1BETA1}: set one of them as `apiVersion` in the kubeconfig user's exec section",
                    shown(other)
                )));
            }
        };
        Ok(Self {
            api_version,
            interactive: raw.spec.and_then(|s| s.interactive),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_exec_info() {
        let info = ExecInfo::parse(
            r#"{"kind":"ExecCredential","apiVersion":"client.authentication.k8s.io/v1beta1","spec":{"interactive":false}}"#,
        )
        .unwrap();
        assert_eq!(
            info,
            ExecInfo {
                api_version: Some(V1BETA1),
                interactive: Some(false)
            }
        );
        assert!(ExecInfo::parse(r#"{"apiVersion":"client.authentication.k8s.io/v2"}"#).is_err());
        assert!(ExecInfo::parse("not json").is_err());
        let huge = format!(
            r#"{{"apiVersion":"{}\u001b]0;x\u202e"}}"#,
            "v".repeat(120_000)
        );
        let err = ExecInfo::parse(&huge).unwrap_err().to_string();
        assert!(err.len() < 1000, "{}", err.len());
        assert!(err.contains(r"vvv\u{1b}]0;x\u{202e}`"), "{err}");
        let err = ExecInfo::parse(r#"{"spec": "\u2028"}"#)
            .unwrap_err()
            .to_string();
        assert!(!crate::text::has_unsafe_chars(&err), "{err}");
    }
}
