//! `tokenctl kubeconfig`: a kubeconfig user wired to this profile.

use crate::text::{shell_word, shown};
use anyhow::{Context, Result};

use super::Ctx;
use crate::cli::KubeconfigArgs;
use crate::config::KubeToken;
use crate::error::Error;
use crate::kube;
use crate::kuberc::{self, Verdict};
use crate::output;
use crate::ui;

pub fn run(ctx: &Ctx, args: KubeconfigArgs) -> Result<()> {
    let profile = ctx.profile()?;
    let kube_token = args.kube_token.or(profile.kube_token).unwrap_or_default();
    let user = args
        .user
        .unwrap_or_else(|| format!("tokenctl-{}", ctx.profile_name()));
    let command = match args.command {
        Some(c) => c,
        None => std::env::current_exe()
            .and_then(|p| p.canonicalize())
            .context("cannot find tokenctl's own path; pass --command PATH")?
            .to_string_lossy()
            .into_owned(),
    };
    // The profile is always named: a TOKENCTL_PROFILE in some shell must not
    // change which identity kubectl gets.
    // A value that looks like a flag (`-x`) is joined with `=`: as a word
    // of its own clap would take it for a flag.
    let option = |args: &mut Vec<String>, flag: &str, value: String| {
        if value.starts_with('-') {
            args.push(format!("{flag}={value}"));
        } else {
            args.extend([flag.to_string(), value]);
        }
    };
    let mut exec_args = Vec::new();
    option(&mut exec_args, "--profile", ctx.profile_name().to_string());
    if let Some(config) = &ctx.global.config {
        option(
            &mut exec_args,
            "--config",
            config.to_string_lossy().into_owned(),
        );
    }
    exec_args.push("kubectl-credential".into());
    // Recorded in the entry, so kubectl gets the id token even if the
    // profile's setting changes later.
    if kube_token == KubeToken::Id {
        exec_args.extend(["--kube-token".into(), KubeToken::Id.name().into()]);
    }
    let api_version = kube::api_version(args.api_version);
    let context = args.cluster.as_ref().map(|c| format!("{user}@{c}"));

    if !args.write {
        output::print(&yaml(
            &user,
            &command,
            &exec_args,
            api_version,
            args.cluster.as_deref(),
            context.as_deref(),
        ))?;
        note_kuberc(&command);
        return Ok(());
    }

    // A context naming a cluster the kubeconfig lacks would send kubectl to
    // localhost:8080: refuse before writing anything.
    if let Some(cluster) = &args.cluster {
        let view = KubeView::read(&args.kubectl)?;
        if !view.clusters.contains(cluster) {
            let known = if view.clusters.is_empty() {
                "it defines no clusters".to_string()
            } else {
                let names: Vec<String> = view.clusters.iter().map(shown).collect();
                format!("it has {}", names.join(", "))
            };
            return Err(Error::usage(format!(
                "the kubeconfig has no cluster `{}` ({known}); {}; then run this again",
                shown(cluster),
                KubeView::add_cluster_hint(cluster)
            ))
            .into());
        }
    }

    // `interactiveMode` is required by v1 and optional (IfAvailable) in
    // v1beta1; kubectl before 1.30 cannot write it, so use v1beta1 there.
    let interactive_flag = supports_interactive_mode(&args.kubectl);
    let api_version = if api_version == kube::V1 && !interactive_flag {
        ui::info(format!(
            "{} cannot set interactiveMode, which ExecCredential v1 requires; writing {} instead (tokenctl speaks both)",
            shown(&args.kubectl),
            kube::V1BETA1
        ));
        kube::V1BETA1
    } else {
        api_version
    };
    let mut set = vec![
        "config".to_string(),
        "set-credentials".into(),
        user.clone(),
        format!("--exec-command={command}"),
        format!("--exec-api-version={api_version}"),
    ];
    set.extend(exec_args.iter().map(|a| format!("--exec-arg={a}")));
    if interactive_flag {
        set.push("--exec-interactive-mode=IfAvailable".into());
    }
    kubectl(&args.kubectl, &set)?;
    if let (Some(cluster), Some(context)) = (&args.cluster, &context) {
        kubectl(
            &args.kubectl,
            &[
                "config".into(),
                "set-context".into(),
                context.clone(),
                format!("--cluster={cluster}"),
                format!("--user={user}"),
            ],
        )?;
        ui::success(format!(
            "wrote kubeconfig user `{}` and context `{}`; try: kubectl --context {} get pods",
            shown(&user),
            shown(context),
            shell_word(context)
        ));
    } else {
        ui::success(format!(
            "wrote kubeconfig user `{}`; try: kubectl --user {} get pods",
            shown(&user),
            shell_word(&user)
        ));
    }
    note_kuberc(&command);
    Ok(())
}

/// Says on stderr when kubectl's kuberc would keep kubectl from running
/// `command`, with the lines that let it.
fn note_kuberc(command: &str) {
    match kuberc::verdict(&kuberc::load(), command) {
        Verdict::Runs(why) => ui::verbose(format!("kuberc: {why}")),
        Verdict::Ignored(why) => ui::warn(format!("kuberc: {why}")),
        Verdict::Fails(why) => ui::warn(format!("kuberc: {why}")),
        Verdict::Blocked { why, fix } => {
            let lines: Vec<String> = fix.lines().iter().map(|l| format!("  {l}")).collect();
            let what = if fix.append {
                format!(
                    "add this entry under `credentialPluginAllowlist:` in {}",
                    crate::text::shown(&fix.path)
                )
            } else {
                format!(
                    "put these lines at the top level of {}, in place of any credentialPluginPolicy and credentialPluginAllowlist there",
                    crate::text::shown(&fix.path)
                )
            };
            ui::warn(format!(
                "kubectl 1.35 and later will not run {command} for this entry: {why}\n{what}:\n{}",
                lines.join("\n")
            ));
        }
    }
}

fn supports_interactive_mode(kubectl: &str) -> bool {
    crate::child::command(kubectl)
        .args(["config", "set-credentials", "--help"])
        .output()
        .is_ok_and(|o| String::from_utf8_lossy(&o.stdout).contains("--exec-interactive-mode"))
}

fn kubectl(kubectl: &str, args: &[String]) -> Result<()> {
    let shown_args: Vec<String> = args.iter().map(shown).collect();
    ui::verbose(format!(
        "running {} {}",
        shown(kubectl),
        shown_args.join(" ")
    ));
    // kubectl's chatter ("User ... set.") is for people: stderr, not
    // stdout, and nowhere with -q.
    let chatter = if ui::level() == 0 {
        std::process::Stdio::null()
    } else {
        std::io::stderr().into()
    };
    let status = crate::child::command(kubectl)
        .args(args)
        .stdout(chatter)
        .status()
        .map_err(|e| {
            Error::usage(format!(
                "cannot run `{}`: {e}; install kubectl or pass --kubectl PATH",
                shown(kubectl)
            ))
        })?;
    if !status.success() {
        return Err(Error::usage(format!(
            "`{} {}` failed ({status}); without --write, `tokenctl kubeconfig` prints the entry to add to the kubeconfig by hand",
            shown(kubectl),
            shown_args.join(" ")
        ))
        .into());
    }
    Ok(())
}

/// What `kubectl config view -o json` says about the kubeconfig kubectl
/// reads: its exec users, cluster names and contexts.
#[derive(Debug, Default)]
pub(super) struct KubeView {
    pub users: Vec<ExecUser>,
    pub clusters: Vec<String>,
    pub contexts: Vec<KubeContext>,
}

/// A kubeconfig user that runs an exec credential plugin.
#[derive(Debug)]
pub(super) struct ExecUser {
    pub name: String,
    pub command: String,
    pub args: Vec<String>,
}

#[derive(Debug)]
pub(super) struct KubeContext {
    pub name: String,
    pub cluster: String,
    pub user: String,
}

impl KubeView {
    /// `kubectl config view` arguments for what `parse` reads. jsonpath, not
    /// `-o json`: Debian's kubectl 1.20 crashes printing JSON.
    pub const ARGS: [&str; 4] = ["config", "view", "-o", Self::JSONPATH];
    const JSONPATH: &str = concat!(
        r#"jsonpath={range .clusters[*]}{"C\t"}{.name}{"\n"}{end}"#,
        r#"{range .contexts[*]}{"X\t"}{.name}{"\t"}{.context.cluster}{"\t"}{.context.user}{"\n"}{end}"#,
        r#"{range .users[*]}{"U\t"}{.name}{"\t"}{.user.exec.command}{range .user.exec.args[*]}{"\t"}{@}{end}{"\n"}{end}"#,
    );

    /// Runs `kubectl config view` (honours $KUBECONFIG).
    fn read(kubectl: &str) -> Result<Self> {
        let out = crate::child::command(kubectl)
            .args(Self::ARGS)
            .output()
            .map_err(|e| {
                Error::usage(format!(
                    "cannot run `{}`: {e}; install kubectl or pass --kubectl PATH",
                    shown(kubectl)
                ))
            })?;
        if !out.status.success() {
            // Another program's text: cleaned and bounded as a server's is.
            return Err(Error::usage(format!(
                "`{} config view` failed: {}; fix the kubeconfig kubectl reads ($KUBECONFIG, else ~/.kube/config)",
                shown(kubectl),
                crate::text::server_text(&String::from_utf8_lossy(&out.stderr), &[])
            ))
            .into());
        }
        Ok(Self::parse(&String::from_utf8_lossy(&out.stdout)))
    }

    /// Reads the tab-separated lines `ARGS` prints; users without an exec
    /// command are left out.
    pub fn parse(text: &str) -> Self {
        let mut view = Self::default();
        for line in text.lines() {
            let fields: Vec<&str> = line.split('\t').collect();
            match fields.as_slice() {
                ["C", name, ..] => view.clusters.push(name.to_string()),
                ["X", name, cluster, user, ..] => view.contexts.push(KubeContext {
                    name: name.to_string(),
                    cluster: cluster.to_string(),
                    user: user.to_string(),
                }),
                ["U", name, command, args @ ..] if !command.is_empty() => {
                    view.users.push(ExecUser {
                        name: name.to_string(),
                        command: command.to_string(),
                        args: args.iter().map(|a| a.to_string()).collect(),
                    })
                }
                _ => {}
            }
        }
        view
    }

    /// How to add a missing cluster to the kubeconfig.
    pub fn add_cluster_hint(cluster: &str) -> String {
        format!(
            "add the cluster first: `kubectl config set-cluster {} --server=https://API-SERVER:6443 --certificate-authority=CA.pem` (your cluster admin has the URL and CA), or name an existing one with --cluster",
            shell_word(cluster)
        )
    }
}

/// JSON strings are YAML scalars: quoting through serde_json is always safe.
fn q(s: &str) -> String {
    serde_json::to_string(s).expect("a string serializes")
}

fn yaml(
    user: &str,
    command: &str,
    args: &[String],
    api_version: &str,
    cluster: Option<&str>,
    context: Option<&str>,
) -> String {
    let mut out = String::new();
    out.push_str("users:\n");
    out.push_str(&format!("- name: {}\n  user:\n    exec:\n", q(user)));
    out.push_str(&format!("      apiVersion: {}\n", q(api_version)));
    out.push_str(&format!("      command: {}\n", q(command)));
    out.push_str("      args:\n");
    for a in args {
        out.push_str(&format!("      - {}\n", q(a)));
    }
    out.push_str("      interactiveMode: IfAvailable\n      provideClusterInfo: false\n");
    if let (Some(cluster), Some(context)) = (cluster, context) {
        out.push_str("contexts:\n");
        out.push_str(&format!(
            "- name: {}\n  context:\n    cluster: {}\n    user: {}\n",
            q(context),
            q(cluster),
            q(user)
        ));
    }
    out
}
