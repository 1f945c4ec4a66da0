//! kubectl, and the kubeconfig users and contexts wired to each profile.

use std::path::{Path, PathBuf};

use super::{Report, Status};
use crate::commands::kubeconfig::{ExecUser, KubeView};
use crate::env::EnvVars;
use crate::kuberc::{self, Verdict};

fn find_program(program: &str) -> Option<PathBuf> {
    let path = Path::new(program);
    if path.components().count() > 1 {
        return path.is_file().then(|| path.to_path_buf());
    }
    std::env::split_paths(&std::env::var_os(EnvVars::PATH)?)
        .map(|d| d.join(program))
        .find(|p| p.is_file())
}

/// The kubectl line; what kubectl reads from the kubeconfig when it runs.
pub(super) fn check_kubectl(kubectl: &str, report: &mut Report) -> Option<KubeView> {
    let Some(path) = find_program(kubectl) else {
        report.add(
            "kubectl",
            None,
            Status::Warn,
            format!(
                "`{}` not found on PATH; needed only to use tokenctl from kubectl",
                crate::text::shown(kubectl)
            ),
            Some("install kubectl, or pass --kubectl PATH (TOKENCTL_KUBECTL)".into()),
        );
        return None;
    };
    let out = crate::child::command(&path).args(KubeView::ARGS).output();
    let out = match out {
        Ok(o) if o.status.success() => o,
        Ok(o) => {
            report.add(
                "kubectl",
                None,
                Status::Fail,
                format!(
                    "`{} config view` failed: {}",
                    crate::text::shown(&path),
                    String::from_utf8_lossy(&o.stderr).trim()
                ),
                Some("fix the kubeconfig kubectl reads ($KUBECONFIG, else ~/.kube/config)".into()),
            );
            return None;
        }
        Err(e) => {
            report.add(
                "kubectl",
                None,
                Status::Fail,
                format!("cannot run {}: {e}", crate::text::shown(&path)),
                Some("reinstall kubectl, or pass --kubectl PATH".into()),
            );
            return None;
        }
    };
    let view = KubeView::parse(&String::from_utf8_lossy(&out.stdout));
    report.add(
        "kubectl",
        None,
        Status::Ok,
        format!(
            "{} found; its kubeconfig has {} exec user(s)",
            crate::text::shown(&path),
            view.users.len()
        ),
        None,
    );
    Some(view)
}

/// Whether an exec user runs `tokenctl --profile <name> ... kubectl-credential`.
fn runs_profile(user: &ExecUser, name: &str) -> bool {
    let named = user
        .args
        .windows(2)
        .any(|w| matches!(w[0].as_str(), "--profile" | "-p") && w[1] == name)
        || user.args.iter().any(|a| *a == format!("--profile={name}"));
    named && user.args.iter().any(|a| a == "kubectl-credential")
}

pub(super) fn check_kubeconfig(name: &str, view: &KubeView, report: &mut Report) {
    let p = Some(name);
    let fix = format!(
        "run `tokenctl {} kubeconfig --write [--cluster NAME]`",
        crate::repo::profile_flag(name)
    );
    let wired: Vec<&ExecUser> = view
        .users
        .iter()
        .filter(|u| runs_profile(u, name))
        .collect();
    if wired.is_empty() {
        report.add(
            "kubeconfig",
            p,
            Status::Warn,
            format!(
                "no kubeconfig user runs `tokenctl {} kubectl-credential`",
                crate::repo::profile_flag(name)
            ),
            Some(fix),
        );
        return;
    }
    if let Some(broken) = wired.iter().find(|u| find_program(&u.command).is_none()) {
        report.add(
            "kubeconfig",
            p,
            Status::Fail,
            format!(
                "kubeconfig user `{}` runs `{}`, which does not exist",
                broken.name, broken.command
            ),
            Some(fix),
        );
        return;
    }
    // A context whose cluster is missing sends kubectl to localhost:8080.
    let dangling = view
        .contexts
        .iter()
        .find(|c| wired.iter().any(|u| u.name == c.user) && !view.clusters.contains(&c.cluster));
    if let Some(context) = dangling {
        report.add(
            "kubeconfig",
            p,
            Status::Fail,
            format!(
                "context `{}` names cluster `{}`, which the kubeconfig does not define: kubectl would talk to localhost:8080",
                context.name, context.cluster
            ),
            Some(KubeView::add_cluster_hint(&context.cluster)),
        );
        return;
    }
    let names: Vec<&str> = wired.iter().map(|u| u.name.as_str()).collect();
    report.add(
        "kubeconfig",
        p,
        Status::Ok,
        format!(
            "kubeconfig user(s) {} run tokenctl for this profile",
            names.join(", ")
        ),
        None,
    );
}

/// Whether kubectl's kuberc lets it run tokenctl: for each command the
/// kubeconfig's tokenctl users run, else for this tokenctl (what
/// `kubeconfig --write` would write). No line when there is no kuberc.
pub(super) fn check_kuberc(view: Option<&KubeView>, report: &mut Report) {
    let mut commands: Vec<&str> = view
        .map(|v| {
            v.users
                .iter()
                .filter(|u| u.args.iter().any(|a| a == "kubectl-credential"))
                .map(|u| u.command.as_str())
                .collect()
        })
        .unwrap_or_default();
    commands.sort_unstable();
    commands.dedup();
    let wired = !commands.is_empty();
    let loaded = kuberc::load();
    // No kuberc (or kuberc off): kubectl runs any plugin, as it always did;
    // not worth a line.
    if matches!(loaded, kuberc::Kuberc::Off(_) | kuberc::Kuberc::Missing(_)) {
        return;
    }
    let own = std::env::current_exe()
        .and_then(|p| p.canonicalize())
        .map(|p| p.to_string_lossy().into_owned())
        .unwrap_or_else(|_| "tokenctl".into());
    if !wired {
        commands.push(&own);
    }
    let verdicts: Vec<(&str, Verdict)> = commands
        .iter()
        .map(|c| (*c, kuberc::verdict(&loaded, c)))
        .collect();
    // The worst one speaks for all.
    let worst = verdicts
        .iter()
        .find(|(_, v)| matches!(v, Verdict::Fails(_)))
        .or_else(|| {
            verdicts
                .iter()
                .find(|(_, v)| matches!(v, Verdict::Blocked { .. }))
        })
        .or_else(|| {
            verdicts
                .iter()
                .find(|(_, v)| matches!(v, Verdict::Ignored(_)))
        })
        .unwrap_or(&verdicts[0]);
    let (command, verdict) = worst;
    match verdict {
        Verdict::Runs(why) => report.add("kuberc", None, Status::Ok, why.clone(), None),
        Verdict::Ignored(why) => report.add(
            "kuberc",
            None,
            Status::Warn,
            why.clone(),
            Some("fix the file or remove it".into()),
        ),
        Verdict::Fails(why) => report.add(
            "kuberc",
            None,
            Status::Fail,
            why.clone(),
            Some(format!(
                "fix the file, or unset {} (or set it to `off`)",
                EnvVars::KUBERC
            )),
        ),
        Verdict::Blocked { why, fix } => {
            let whose = if wired {
                format!("kubectl 1.35 and later will not run {command}, which the kubeconfig uses")
            } else {
                format!("kubectl 1.35 and later would not run {command} from a kubeconfig")
            };
            report.add(
                "kuberc",
                None,
                if wired { Status::Fail } else { Status::Warn },
                format!("{whose}: {why}"),
                Some(fix.one_line()),
            )
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_wired_users() {
        let view = KubeView::parse(
            "C\tprod\nX\tp@prod\tprod\ta\nU\ta\t/bin/tokenctl\t--profile\tprod\tkubectl-credential\nU\tb\t\nU\tc\ttokenctl\t--profile=dev\tkubectl-credential\n",
        );
        assert_eq!(view.clusters, ["prod"]);
        assert_eq!(view.contexts[0].cluster, "prod");
        let users = view.users;
        assert_eq!(users.len(), 2);
        assert!(runs_profile(&users[0], "prod"));
        assert!(!runs_profile(&users[0], "dev"));
        assert!(runs_profile(&users[1], "dev"));
    }
}
