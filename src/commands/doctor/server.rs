//! The server (one credential-free request) and the clock against its Date.

use std::time::SystemTime;

use super::{Report, Status};
use crate::api::{self, Api, Endpoint};
use crate::config::Profile;
use crate::grant::GrantKind;
use crate::model::{ApiKind, TokenEndpoint};
use crate::repo::{command_for, relogin_command};
use crate::settings::Settings;

/// Beyond this, tokens look valid or expired at the wrong times.
pub const MAX_SKEW_SECS: i64 = 60;

/// `grant`: the one the stored tokens came from (see `store::check`).
pub(super) fn check(
    name: &str,
    profile: &Profile,
    grant: Option<GrantKind>,
    settings: &Settings,
    report: &mut Report,
) {
    let p = Some(name);
    let skip_clock = |report: &mut Report| {
        report.add(
            "clock",
            p,
            Status::Skip,
            "not checked: no answer from the server",
            None,
        )
    };
    if let Err(e) = api::check_transport(&profile.server, profile.allow_http) {
        report.add("server", p, Status::Fail, e.to_string(), None);
        skip_clock(report);
        return;
    }
    // Why there is no answer, and whether TLS (not the network) was the reason.
    let api = Api::new(profile, settings).map_err(|e| (e.to_string(), false));
    let probe = api.as_ref().map_err(Clone::clone).and_then(|a| {
        a.probe().map_err(|f| {
            let why = if f.tls {
                format!("TLS with {} failed: {}", f.url, f.why)
            } else if f.timeout {
                format!("{} did not answer in time: {}", f.url, f.why)
            } else {
                format!("cannot reach {}: {}", f.url, f.why)
            };
            (why, f.tls)
        })
    });
    let probe = match probe {
        Ok(probe) => probe,
        Err((why, tls)) => {
            let fix = if tls {
                "the server's certificate is not trusted here (expired, self-signed, wrong host name, or a TLS-inspecting proxy): fix the certificate or add its CA to the system trust store"
            } else {
                "check the server URL (`tokenctl status` shows it; `login --server URL` changes it), that the server is up, and your network, VPN or proxy"
            };
            report.add("server", p, Status::Fail, why, Some(fix.into()));
            skip_clock(report);
            return;
        }
    };
    let tls = if probe.url.starts_with("https:") {
        ", TLS certificate valid"
    } else {
        ""
    };
    let (status, endpoints, fix) = match &api {
        Ok(api) => endpoints(name, profile, grant, api),
        Err(_) => (Status::Ok, String::new(), None),
    };
    report.add(
        "server",
        p,
        status,
        format!(
            "{} answered HTTP {} in {} ms{tls} (no credentials sent){endpoints}",
            probe.url,
            probe.status,
            probe.elapsed.as_millis()
        ),
        fix,
    );
    match probe.date.as_deref().map(httpdate::parse_http_date) {
        None => report.add(
            "clock",
            p,
            Status::Warn,
            "the server sent no Date header, so clock skew cannot be measured",
            None,
        ),
        Some(Err(_)) => report.add(
            "clock",
            p,
            Status::Warn,
            "the server's Date header cannot be parsed, so clock skew cannot be measured",
            None,
        ),
        Some(Ok(server)) => {
            let skew = skew_secs(server, probe.received);
            if skew.abs() <= MAX_SKEW_SECS {
                report.add(
                    "clock",
                    p,
                    Status::Ok,
                    format!("within {}s of the server's clock", skew.abs()),
                    None,
                );
            } else {
                let dir = if skew > 0 { "behind" } else { "ahead of" };
                report.add(
                    "clock",
                    p,
                    Status::Fail,
                    format!(
                        "this machine's clock is {}s {dir} the server's (its Date header); tokens will look fresh or expired at the wrong times",
                        skew.abs()
                    ),
                    Some(
                        "synchronise the system clock (e.g. `sudo timedatectl set-ntp true`; in WSL `sudo hwclock -s`)"
                            .into(),
                    ),
                );
            }
        }
    }
}

/// Which token endpoints answered, which `--api` fits and which endpoint
/// the profile uses: ok when that one answers; a warning (with the login to
/// run) when it is absent, or when it is the deprecated `/api/v1/token` on
/// a server that has `/api/v2/token`.
fn endpoints(
    name: &str,
    profile: &Profile,
    grant: Option<GrantKind>,
    api: &Api,
) -> (Status, String, Option<String>) {
    let probes = &api.probe_endpoints();
    let shown: Vec<String> = probes
        .iter()
        .map(|e| match e.state {
            Endpoint::Answers(s) => format!("{} answers ({s})", e.path),
            Endpoint::Absent(s) => format!("{} absent ({s})", e.path),
            Endpoint::Unclear(s) => format!("{} unclear ({s})", e.path),
            Endpoint::Unreachable => format!("{} no answer", e.path),
        })
        .collect();
    let mut fits: Vec<&str> = Vec::new();
    for e in probes
        .iter()
        .filter(|e| matches!(e.state, Endpoint::Answers(_)))
    {
        let names: &[&str] = match e.api {
            ApiKind::RunaiV2 => &["runai", "runai-v2"],
            ApiKind::RunaiV1 => &["runai", "runai-v1", "runai-2.19"],
            other => &[other.name()],
        };
        for n in names {
            if !fits.contains(n) {
                fits.push(n);
            }
        }
    }
    let fit = if fits.is_empty() {
        "no known token endpoint answers".to_string()
    } else {
        format!("--api {} fits", fits.join(" or "))
    };
    let mine = api::token_path(profile);
    let uses = crate::commands::status::endpoint(profile, None)
        .map(|e| format!("; this profile uses {e}"))
        .unwrap_or_default();
    let detail = format!("; token endpoints: {}; {fit}{uses}", shown.join(", "));
    let state = |path: &str| probes.iter().find(|e| e.path == path).map(|e| e.state);
    let login = |rest: &str| command_for(name, rest);
    if matches!(state(mine), Some(Endpoint::Absent(_))) {
        let fix = if fits.is_empty() {
            "check the server URL: it should be the API's base URL (e.g. https://<tenant>.run.ai, or http://<host>:8085/gbds/v2 for GBDS)".to_string()
        } else if profile.api == ApiKind::Runai {
            format!(
                "this profile sends to {mine}, which the server lacks: run `{}` again (with your usual options); a login finds the endpoint the server has",
                login("login")
            )
        } else {
            format!(
                "this profile's API ({}) sends to {mine}, which the server lacks: run `{}` (with your usual options)",
                profile.api,
                login(&format!("login --api {}", fits[0]))
            )
        };
        return (Status::Warn, detail, Some(fix));
    }
    let v2 = TokenEndpoint::V2.path();
    let deprecated = profile.endpoint() == Some(TokenEndpoint::V1)
        && matches!(state(v2), Some(Endpoint::Answers(_)));
    // A login with an external token on a server whose v2 lacks that
    // grant (before 3.0) lands on v1, and a new one would again: then v1
    // is no fault. Once v2 takes it, a new login moves the profile.
    let external = profile.api == ApiKind::Runai
        && profile.token_endpoint == Some(TokenEndpoint::V1)
        && grant == Some(GrantKind::ExternalToken);
    if deprecated && external {
        match api.v2_takes(GrantKind::ExternalToken) {
            Some(false) => {
                let why = format!(
                    "; external tokens go to {mine}: the server's {v2} does not take external_token_exchange (Run:ai before 3.0)"
                );
                return (Status::Ok, format!("{detail}{why}"), None);
            }
            Some(true) => {
                let fix = format!(
                    "this profile uses the deprecated {mine} (Run:ai 3.0), and the server's {v2} now takes external tokens: run `{}` again (with your usual options) to move to it",
                    relogin_command(name, profile, grant)
                );
                return (Status::Warn, detail, Some(fix));
            }
            None => {}
        }
    }
    if deprecated {
        let fix = match profile.api {
            ApiKind::Runai => format!(
                "this profile uses the deprecated {mine} (Run:ai 3.0), but the server has {v2}: run `{}` again (with your usual options) to move to it; a login with an external token stays on {mine} while the server's {v2} lacks external_token_exchange (before 3.0)",
                login("login")
            ),
            pinned => format!(
                "this profile's API ({pinned}) uses the deprecated {mine} (Run:ai 3.0), but the server has {v2}: run `{}` (with your usual options) to use it",
                login("login --api runai")
            ),
        };
        return (Status::Warn, detail, Some(fix));
    }
    (Status::Ok, detail, None)
}

/// Server time minus local time, in whole seconds (positive: server ahead).
fn skew_secs(server: SystemTime, local: SystemTime) -> i64 {
    match server.duration_since(local) {
        Ok(ahead) => ahead.as_secs() as i64,
        Err(behind) => -(behind.duration().as_secs() as i64),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn skew_sign() {
        let now = SystemTime::now();
        let later = now + std::time::Duration::from_secs(3600);
        assert_eq!(skew_secs(later, now), 3600);
        assert_eq!(skew_secs(now, later), -3600);
    }
}
