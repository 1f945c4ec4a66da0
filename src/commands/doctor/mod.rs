//! `tokenctl doctor`: checks the setup and reports one line per check with
//! a fix. Never sends a credential anywhere. One module per area: the config
//! file, the token store and login, the server and clock, kubectl.

mod config;
mod kube;
mod server;
mod store;

use std::io::IsTerminal;

use anyhow::{Result, anyhow};
use serde::Serialize;

use super::Ctx;
use crate::cli::{DoctorArgs, GlobalArgs};
use crate::error::Error;
use crate::output::{self, OutputFormat};
use crate::ui::{self, ColorWhen};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Status {
    Ok,
    /// Advice; does not fail the run.
    Warn,
    Fail,
    /// Not checked because an earlier check failed.
    Skip,
}

#[derive(Debug, Serialize)]
pub struct Check {
    pub check: &'static str,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub profile: Option<String>,
    pub status: Status,
    pub detail: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub fix: Option<String>,
}

#[derive(Default, Serialize)]
struct Report {
    ok: bool,
    checks: Vec<Check>,
}

impl Report {
    fn add(
        &mut self,
        check: &'static str,
        profile: Option<&str>,
        status: Status,
        detail: impl Into<String>,
        fix: Option<String>,
    ) {
        self.checks.push(Check {
            check,
            profile: profile.map(str::to_string),
            status,
            detail: one_line(&detail.into()),
            fix: fix.map(|f| one_line(&f)),
        });
    }

    fn count(&self, status: Status) -> usize {
        self.checks.iter().filter(|c| c.status == status).count()
    }

    /// The closing line: what passed, and what did not, in so many words.
    fn summary(&self) -> String {
        let total = self.checks.len();
        let (fail, warn, skip) = (
            self.count(Status::Fail),
            self.count(Status::Warn),
            self.count(Status::Skip),
        );
        if fail + warn + skip == 0 {
            return format!("all {total} checks passed");
        }
        let mut rest = String::new();
        if warn > 0 {
            rest.push_str(&format!(", {warn} with advice (`warn`)"));
        }
        if skip > 0 {
            rest.push_str(&format!(", {skip} skipped"));
        }
        if fail > 0 {
            format!("{fail} of {total} checks failed{rest}")
        } else {
            let ok = self.count(Status::Ok);
            format!("{ok} of {total} checks passed{rest}")
        }
    }
}

pub fn run(global: &GlobalArgs, args: DoctorArgs) -> Result<()> {
    if !matches!(global.output, None | Some(OutputFormat::Json)) {
        return Err(Error::usage("`doctor` prints text or `-o json`").into());
    }
    let mut report = Report::default();
    let loaded = config::check(global, args.all, &mut report);
    store::check_runtime_dir(&mut report);
    let kubeconfig = kube::check_kubectl(&args.kubectl, &mut report);
    kube::check_kuberc(kubeconfig.as_ref(), &mut report);
    if let Some((config, names)) = loaded {
        for name in names {
            // Each profile is checked as the commands would see it.
            let ctx = Ctx {
                global: GlobalArgs {
                    profile: name,
                    ..global.clone()
                },
                config: config.clone(),
                exec_info: None,
                settings: super::settings(global),
            };
            let profile = ctx.profile().expect("checked to exist");
            let grant = store::check(&ctx, profile, &mut report);
            server::check(
                ctx.profile_name(),
                profile,
                grant,
                &ctx.settings,
                &mut report,
            );
            if let Some(view) = &kubeconfig {
                kube::check_kubeconfig(ctx.profile_name(), view, &mut report);
            }
        }
    }
    let failed = report.count(Status::Fail);
    report.ok = failed == 0;
    let text = match global.output {
        Some(_) => {
            let mut text = serde_json::to_string_pretty(&report).expect("json serializes");
            text.push('\n');
            text
        }
        None => render_text(&report.checks, global.color),
    };
    output::print(&text)?;
    let summary = report.summary();
    if failed > 0 {
        // Exit 1: the documented "something failed" code, not a typed one.
        Err(anyhow!("{summary}; see the fix on each `fail` line"))
    } else if report.count(Status::Warn) > 0 {
        ui::warn(format!("{summary}; nothing failed"));
        Ok(())
    } else {
        ui::success(summary);
        Ok(())
    }
}

/// Error messages can span lines (TOML shows the offending line): one line
/// per check, so drop the source excerpt and join the rest.
fn one_line(text: &str) -> String {
    text.lines()
        .map(str::trim)
        .filter(|l| {
            !l.is_empty()
                && !l.starts_with('|')
                && !l
                    .split_once(" |")
                    .is_some_and(|(n, _)| n.chars().all(|c| c.is_ascii_digit()))
        })
        .collect::<Vec<_>>()
        .join(" ")
}

fn render_text(checks: &[Check], color: ColorWhen) -> String {
    let terminal = std::io::stdout().is_terminal();
    let colour = match color {
        ColorWhen::Always => true,
        ColorWhen::Never => false,
        ColorWhen::Auto => ui::use_color_auto(terminal),
    };
    // The check column is as wide as its longest name, so the details line up.
    let width = checks
        .iter()
        .map(|c| c.check.chars().count())
        .max()
        .unwrap_or(0);
    let mut out = String::new();
    for c in checks {
        let (word, symbol, style) = match c.status {
            Status::Ok => ("ok", "✓", ui::GREEN),
            Status::Warn => ("warn", "!", ui::YELLOW),
            Status::Fail => ("fail", "✗", ui::RED),
            Status::Skip => ("skip", "-", anstyle::Style::new().dimmed()),
        };
        let mark = if terminal {
            format!("{symbol} {word:<4}")
        } else {
            format!("{word:<4}")
        };
        let mark = if colour {
            format!("{style}{mark}{style:#}")
        } else {
            mark
        };
        let profile = c
            .profile
            .as_deref()
            .map(|p| format!("[{p}] "))
            .unwrap_or_default();
        let fix = c
            .fix
            .as_deref()
            .map(|f| format!("; fix: {f}"))
            .unwrap_or_default();
        out.push_str(&format!(
            "{mark}  {:<width$}  {profile}{}{fix}\n",
            c.check, c.detail
        ));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn one_line_drops_the_toml_excerpt() {
        let text = "invalid config file /x:\nTOML parse error at line 4, column 1\n  |\n4 | sever = \"x\"\n  | ^^^^^\nunknown field `sever`\nfix that line";
        assert_eq!(
            one_line(text),
            "invalid config file /x: TOML parse error at line 4, column 1 unknown field `sever` fix that line"
        );
    }

    #[test]
    fn summary_says_passed_only_when_every_check_is_ok() {
        let mut report = Report::default();
        report.add("a", None, Status::Ok, "", None);
        assert_eq!(report.summary(), "all 1 checks passed");
        report.add("b", None, Status::Warn, "", None);
        assert_eq!(
            report.summary(),
            "1 of 2 checks passed, 1 with advice (`warn`)"
        );
        report.add("c", None, Status::Fail, "", None);
        report.add("d", None, Status::Skip, "", None);
        assert_eq!(
            report.summary(),
            "1 of 4 checks failed, 1 with advice (`warn`), 1 skipped"
        );
    }
}
