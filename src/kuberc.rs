//! kubectl's user preferences (kuberc) and its credential plugin policy:
//! whether kubectl 1.35 and later will run tokenctl as a kubeconfig's exec
//! plugin, and the lines that let it. Read by `doctor` and `kubeconfig`,
//! never on the hot path.
//!
//! What kubectl does, as documented (kubernetes.io "kuberc") and in its
//! source (staging/src/k8s.io/kubectl/pkg/kuberc):
//!
//! - the file is `$KUBERC` when set (`off` turns kuberc off, as does
//!   `KUBECTL_KUBERC=false`), else `~/.kube/kuberc`. A missing default file
//!   is nothing; a default file it cannot use is warned about and ignored; a
//!   file named by `$KUBERC` that it cannot use fails every command.
//! - the file may hold several YAML documents; the first one that is a
//!   `kubectl.config.k8s.io` `Preference` is used.
//! - `credentialPluginPolicy`: unset or `AllowAll` runs any plugin,
//!   `DenyAll` none, `Allowlist` those `credentialPluginAllowlist` allows. An
//!   allowlist with another policy, an `Allowlist` policy without entries,
//!   or an entry without a name are configuration errors: no plugin runs.
//! - an entry `name: N` allows the kubeconfig's command `C` when `N == C`,
//!   or when both resolve (Go's `exec.LookPath`) to the same path. Newer
//!   kubectl spells the field `command`; both are read here.

use std::path::{Path, PathBuf};

use saphyr::{LoadableYamlNode, Yaml};

use crate::env::EnvVars;
use crate::text::server_text;

/// A kuberc larger than this is not read (kubectl's are a few lines).
const MAX_SIZE: u64 = 1024 * 1024;

const GROUP: &str = "kubectl.config.k8s.io";
/// The versions kubectl decodes; only v1beta1 carries the policy.
const VERSIONS: [&str; 2] = ["v1alpha1", "v1beta1"];

/// Keys people write for the policy fields that kubectl does not read.
const MISSPELLED: [(&str, &str); 4] = [
    ("credPluginAllowlist", "credentialPluginAllowlist"),
    ("credPluginPolicy", "credentialPluginPolicy"),
    ("credentialPluginAllowList", "credentialPluginAllowlist"),
    ("credentialPluginAllowed", "credentialPluginAllowlist"),
];

/// The kuberc kubectl would read, as far as the plugin policy goes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Kuberc {
    /// kuberc is turned off (which variable says so).
    Off(&'static str),
    /// No file at the default place.
    Missing(PathBuf),
    /// A file kubectl cannot use. `explicit`: named by `$KUBERC`, so every
    /// kubectl command fails; otherwise kubectl warns and ignores it.
    Broken {
        path: PathBuf,
        explicit: bool,
        why: String,
    },
    /// The `Preference` document kubectl uses.
    Found { path: PathBuf, policy: Policy },
}

/// The plugin policy of a `Preference` document.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Policy {
    /// `credentialPluginPolicy` as written; `None` when unset or empty.
    pub policy: Option<String>,
    /// `credentialPluginAllowlist`; `None` when unset.
    pub allowlist: Option<Vec<Entry>>,
    /// A misspelled key kubectl ignores, and the one it reads.
    pub misspelled: Option<(&'static str, &'static str)>,
}

/// One allowlist entry.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Entry {
    pub name: Option<String>,
}

/// What kubectl would do with a plugin.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Verdict {
    /// It runs; why, for people.
    Runs(String),
    /// It does not: why, and what to add to which file.
    Blocked { why: String, fix: Fix },
    /// kubectl warns about the file and ignores it (the plugin runs).
    Ignored(String),
    /// kubectl fails before it gets to the plugin.
    Fails(String),
}

/// The lines that let the plugin run.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Fix {
    pub path: PathBuf,
    /// Add an entry to an allowlist that is there (else set both fields).
    pub append: bool,
    pub command: String,
}

impl Fix {
    /// The YAML to put in the file, one line each.
    pub fn lines(&self) -> Vec<String> {
        let entry = format!("- name: {}", yaml_scalar(&self.command));
        if self.append {
            vec![entry]
        } else {
            vec![
                "credentialPluginPolicy: Allowlist".to_string(),
                "credentialPluginAllowlist:".to_string(),
                entry,
            ]
        }
    }

    /// The same on one line (YAML flow style), for one-line reports.
    pub fn one_line(&self) -> String {
        let path = crate::text::shown(&self.path);
        let name = yaml_scalar(&self.command);
        if self.append {
            format!("add `- name: {name}` under `credentialPluginAllowlist:` in {path}")
        } else {
            format!(
                "in {path} set `credentialPluginPolicy: Allowlist` and `credentialPluginAllowlist: [{{name: {name}}}]` (the policy fields sit at the top level of the Preference document)"
            )
        }
    }
}

/// A YAML scalar for `text`: plain when that reads back the same, else
/// double-quoted (a JSON string is a valid YAML one).
fn yaml_scalar(text: &str) -> String {
    let plain = !text.is_empty()
        && text
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'/' | b'.' | b'_' | b'-' | b'+'))
        && !text.starts_with('-');
    if plain {
        text.to_string()
    } else {
        serde_json::to_string(text).expect("a string serializes")
    }
}

/// The kuberc kubectl would read in this environment.
pub fn load() -> Kuberc {
    let var = |name: &str| std::env::var_os(name).filter(|v| !v.is_empty());
    // kubectl's feature gate: `false` turns kuberc off.
    if var(EnvVars::KUBECTL_KUBERC).is_some_and(|v| v == "false") {
        return Kuberc::Off("KUBECTL_KUBERC=false");
    }
    // The variable naming the file (`off`: no kuberc).
    match var(EnvVars::KUBERC) {
        Some(v) if v == "off" => Kuberc::Off("KUBERC=off"),
        Some(v) => load_file(Path::new(&v), true),
        None => match dirs::home_dir() {
            Some(home) => load_file(&home.join(".kube").join("kuberc"), false),
            None => Kuberc::Off("no home directory"),
        },
    }
}

/// Reads `path` as kubectl would.
pub fn load_file(path: &Path, explicit: bool) -> Kuberc {
    let broken = |why: String| Kuberc::Broken {
        path: path.to_path_buf(),
        explicit,
        why,
    };
    let bytes = match read_limited(path) {
        Ok(b) => b,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound && !explicit => {
            return Kuberc::Missing(path.to_path_buf());
        }
        Err(e) => return broken(format!("cannot read it: {e}")),
    };
    let Ok(text) = String::from_utf8(bytes) else {
        return broken("it is not UTF-8 text".into());
    };
    let docs = match Yaml::load_from_str(&text) {
        Ok(docs) => docs,
        Err(e) => {
            return broken(format!(
                "it is not valid YAML: {}",
                server_text(&e.to_string(), &[])
            ));
        }
    };
    let mut attempted = 0;
    for doc in &docs {
        if doc.is_null() {
            continue;
        }
        attempted += 1;
        if let Some(policy) = preference(doc) {
            return Kuberc::Found {
                path: path.to_path_buf(),
                policy,
            };
        }
    }
    if attempted == 0 {
        // An empty file: no preferences, nothing wrong.
        return Kuberc::Found {
            path: path.to_path_buf(),
            policy: Policy::default(),
        };
    }
    broken(format!(
        "it has no document kubectl reads (`apiVersion: {GROUP}/v1beta1`, `kind: Preference`, fields of the right types)"
    ))
}

fn read_limited(path: &Path) -> std::io::Result<Vec<u8>> {
    use std::io::Read;
    let file = std::fs::File::open(path)?;
    if !file.metadata()?.is_file() {
        return Err(std::io::Error::other("it is not a regular file"));
    }
    let mut bytes = Vec::new();
    file.take(MAX_SIZE + 1).read_to_end(&mut bytes)?;
    if bytes.len() as u64 > MAX_SIZE {
        return Err(std::io::Error::other(format!(
            "it is larger than {} KiB",
            MAX_SIZE / 1024
        )));
    }
    Ok(bytes)
}

/// The policy of a document kubectl would take as its `Preference`; `None`
/// for any other document (another kind, a version or field types it
/// cannot decode: kubectl skips those).
fn preference(doc: &Yaml) -> Option<Policy> {
    let api_version = doc.as_mapping_get("apiVersion")?.as_str()?;
    let (group, version) = api_version.split_once('/')?;
    if group != GROUP || !VERSIONS.contains(&version) {
        return None;
    }
    if doc.as_mapping_get("kind")?.as_str()? != "Preference" {
        return None;
    }
    let mut policy = Policy {
        misspelled: MISSPELLED
            .iter()
            .find(|(wrong, _)| doc.as_mapping_get(wrong).is_some())
            .copied(),
        ..Policy::default()
    };
    if version != "v1beta1" {
        return Some(policy);
    }
    policy.policy = match doc.as_mapping_get("credentialPluginPolicy") {
        None => None,
        Some(v) if v.is_null() => None,
        Some(v) => Some(v.as_str()?.to_string()).filter(|p| !p.is_empty()),
    };
    policy.allowlist = match doc.as_mapping_get("credentialPluginAllowlist") {
        None => None,
        Some(v) if v.is_null() => None,
        Some(v) => {
            let entries = v
                .as_vec()?
                .iter()
                .map(|e| {
                    if e.is_null() {
                        return Some(Entry { name: None });
                    }
                    let field = |key: &str| -> Option<Option<String>> {
                        match e.as_mapping_get(key) {
                            None => Some(None),
                            Some(v) if v.is_null() => Some(None),
                            Some(v) => Some(Some(v.as_str()?.to_string())),
                        }
                    };
                    e.as_mapping()?;
                    let name = field("name")?.or(field("command")?);
                    Some(Entry {
                        name: name.filter(|n| !n.is_empty()),
                    })
                })
                .collect::<Option<Vec<_>>>()?;
            Some(entries)
        }
    };
    Some(policy)
}

/// What kubectl would do with a kubeconfig whose exec command is `command`.
pub fn verdict(kuberc: &Kuberc, command: &str) -> Verdict {
    let (path, policy) = match kuberc {
        Kuberc::Off(why) => return Verdict::Runs(format!("kuberc is off ({why})")),
        Kuberc::Missing(path) => {
            return Verdict::Runs(format!("no kuberc at {}", crate::text::shown(path)));
        }
        Kuberc::Broken {
            path,
            explicit: true,
            why,
        } => {
            return Verdict::Fails(format!(
                "kubectl refuses to run with {}={}: {why}",
                EnvVars::KUBERC,
                crate::text::shown(path)
            ));
        }
        Kuberc::Broken { path, why, .. } => {
            return Verdict::Ignored(format!(
                "kubectl ignores {} with a warning: {why}",
                crate::text::shown(path)
            ));
        }
        Kuberc::Found { path, policy } => (path, policy),
    };
    let shown = crate::text::shown(path);
    let fix = |append: bool| Fix {
        path: path.clone(),
        append,
        command: command.to_string(),
    };
    let hint = policy
        .misspelled
        .map(|(wrong, right)| {
            format!(" (it has `{wrong}`, which kubectl does not read: the key is `{right}`)")
        })
        .unwrap_or_default();
    let blocked = |why: String, append: bool| Verdict::Blocked {
        why: format!("{shown}: {why}{hint}"),
        fix: fix(append),
    };
    match (policy.policy.as_deref(), &policy.allowlist) {
        (None | Some("AllowAll"), None) => Verdict::Runs(format!(
            "{shown} lets kubectl run any credential plugin (credentialPluginPolicy {})",
            policy.policy.as_deref().unwrap_or("unset")
        )),
        (None | Some("AllowAll" | "DenyAll"), Some(_)) => blocked(
            "credentialPluginAllowlist is set but credentialPluginPolicy is not Allowlist, a configuration error: kubectl runs no plugin".into(),
            false,
        ),
        (Some("DenyAll"), None) => blocked(
            "credentialPluginPolicy is DenyAll: kubectl runs no credential plugin".into(),
            false,
        ),
        (Some("Allowlist"), None) => blocked(
            "credentialPluginPolicy is Allowlist without a credentialPluginAllowlist: kubectl runs no plugin".into(),
            false,
        ),
        (Some("Allowlist"), Some(entries)) if entries.is_empty() => blocked(
            "credentialPluginAllowlist is empty: kubectl runs no plugin".into(),
            true,
        ),
        (Some("Allowlist"), Some(entries)) if entries.iter().any(|e| e.name.is_none()) => blocked(
            "an entry of credentialPluginAllowlist has no name, a configuration error: kubectl runs no plugin".into(),
            true,
        ),
        (Some("Allowlist"), Some(entries)) => {
            let path_var = std::env::var_os(EnvVars::PATH).unwrap_or_default();
            match entries
                .iter()
                .filter_map(|e| e.name.as_deref())
                .find(|name| allows(name, command, &path_var))
            {
                Some(name) => Verdict::Runs(format!(
                    "{shown} allows it (credentialPluginAllowlist entry `{}`)",
                    server_text(name, &[])
                )),
                None => blocked(
                    format!(
                        "credentialPluginAllowlist has no entry for {}",
                        server_text(command, &[])
                    ),
                    true,
                ),
            }
        }
        (Some(other), _) => blocked(
            format!(
                "credentialPluginPolicy `{}` is none of AllowAll, DenyAll, Allowlist: kubectl runs no plugin",
                server_text(other, &[])
            ),
            false,
        ),
    }
}

/// An allowlist entry `name` allows `command`: the same text, or the same
/// program once both are resolved the way Go's `exec.LookPath` does.
pub fn allows(name: &str, command: &str, path_var: &std::ffi::OsStr) -> bool {
    if name == command {
        return true;
    }
    match (look_path(name, path_var), look_path(command, path_var)) {
        (Some(a), Some(b)) => a == b,
        _ => false,
    }
}

/// Go's `exec.LookPath`: a name with a slash is itself when it is an
/// executable file; a bare name is the first executable `DIR/name` of
/// `$PATH`, and only in an absolute directory (Go refuses `.` and relative
/// ones). No symbolic link is resolved.
fn look_path(name: &str, path_var: &std::ffi::OsStr) -> Option<PathBuf> {
    if name.is_empty() {
        return None;
    }
    if name.contains('/') {
        let path = PathBuf::from(name);
        return executable(&path).then_some(path);
    }
    std::env::split_paths(path_var)
        .map(|dir| {
            if dir.as_os_str().is_empty() {
                PathBuf::from(".")
            } else {
                dir
            }
        })
        .map(|dir| dir.join(name))
        .find(|candidate| executable(candidate))
        .filter(|found| found.is_absolute())
        .map(|found| clean(&found))
}

#[cfg(unix)]
fn executable(path: &Path) -> bool {
    use std::os::unix::fs::PermissionsExt;
    std::fs::metadata(path).is_ok_and(|m| m.is_file() && m.permissions().mode() & 0o111 != 0)
}

/// Windows has no execute bit: a file is a program. (Go's `LookPath` there
/// also tries each `%PATHEXT%` extension, which this does not: an entry
/// and a command name the same program here when they name the same file.)
#[cfg(not(unix))]
fn executable(path: &Path) -> bool {
    std::fs::metadata(path).is_ok_and(|m| m.is_file())
}

/// Go's `filepath.Clean` for an absolute path: no `.`, `..` resolved
/// lexically, no doubled or trailing slash.
fn clean(path: &Path) -> PathBuf {
    use std::path::Component;
    let mut out = PathBuf::from("/");
    for part in path.components() {
        match part {
            Component::Normal(p) => out.push(p),
            Component::ParentDir => {
                out.pop();
            }
            _ => {}
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(text: &str) -> Kuberc {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("kuberc");
        std::fs::write(&path, text).unwrap();
        match load_file(&path, false) {
            Kuberc::Found { policy, .. } => Kuberc::Found {
                path: "/k".into(),
                policy,
            },
            Kuberc::Broken { why, explicit, .. } => Kuberc::Broken {
                path: "/k".into(),
                explicit,
                why,
            },
            other => other,
        }
    }

    const HEAD: &str = "apiVersion: kubectl.config.k8s.io/v1beta1\nkind: Preference\n";

    fn runs(text: &str, command: &str) -> bool {
        matches!(verdict(&parse(text), command), Verdict::Runs(_))
    }

    #[test]
    fn policies_as_kubectl_applies_them() {
        let cmd = "/opt/bin/tokenctl";
        assert!(runs("", cmd));
        assert!(runs(HEAD, cmd));
        assert!(runs(
            &format!("{HEAD}credentialPluginPolicy: AllowAll\n"),
            cmd
        ));
        assert!(runs(&format!("{HEAD}credentialPluginPolicy: \"\"\n"), cmd));
        assert!(runs(&format!("{HEAD}credentialPluginPolicy: ~\n"), cmd));
        assert!(!runs(
            &format!("{HEAD}credentialPluginPolicy: DenyAll\n"),
            cmd
        ));
        assert!(!runs(
            &format!("{HEAD}credentialPluginPolicy: denyall\n"),
            cmd
        ));
        assert!(!runs(
            &format!("{HEAD}credentialPluginPolicy: Allowlist\n"),
            cmd
        ));
        let list = |entries: &str| {
            format!(
                "{HEAD}credentialPluginPolicy: Allowlist\ncredentialPluginAllowlist:\n{entries}"
            )
        };
        assert!(!runs(&list("[]\n"), cmd));
        assert!(!runs(&list("- name: kubelogin\n"), cmd));
        assert!(runs(
            &list("- name: kubelogin\n- name: /opt/bin/tokenctl\n"),
            cmd
        ));
        assert!(runs(&list("- command: /opt/bin/tokenctl\n"), cmd));
        // An entry without a name spoils the whole list.
        assert!(!runs(&list("- name: /opt/bin/tokenctl\n- {}\n"), cmd));
        assert!(!runs(
            &list("- name: /opt/bin/tokenctl\n- name: \"\"\n"),
            cmd
        ));
        // A list with another policy is a configuration error.
        assert!(!runs(
            &format!("{HEAD}credentialPluginAllowlist:\n- name: /opt/bin/tokenctl\n"),
            cmd
        ));
        // v1alpha1 has no policy; other kinds and versions are skipped.
        assert!(runs(
            "apiVersion: kubectl.config.k8s.io/v1alpha1\nkind: Preference\ncredentialPluginPolicy: DenyAll\n",
            cmd
        ));
        let two = format!(
            "apiVersion: v1\nkind: Config\n---\n{HEAD}credentialPluginPolicy: DenyAll\n---\n{HEAD}\n"
        );
        assert!(!runs(&two, cmd), "the first Preference document counts");
    }

    #[test]
    fn what_kubectl_cannot_read_is_broken() {
        for text in [
            "a: [unclosed\n",
            "apiVersion: v1\nkind: Config\n",
            &format!("{HEAD}credentialPluginPolicy: [DenyAll]\n"),
            &format!("{HEAD}credentialPluginAllowlist: tokenctl\n"),
            &format!("{HEAD}credentialPluginAllowlist:\n- name: [x]\n"),
        ] {
            let k = parse(text);
            assert!(matches!(k, Kuberc::Broken { .. }), "{text}: {k:?}");
            assert!(matches!(verdict(&k, "x"), Verdict::Ignored(_)), "{text}");
        }
        let dir = tempfile::tempdir().unwrap();
        let missing = dir.path().join("nope");
        assert_eq!(load_file(&missing, false), Kuberc::Missing(missing.clone()));
        let k = load_file(&missing, true);
        assert!(matches!(verdict(&k, "x"), Verdict::Fails(_)), "{k:?}");
        std::fs::write(dir.path().join("bin"), [0xff, 0xfe]).unwrap();
        assert!(matches!(
            load_file(&dir.path().join("bin"), false),
            Kuberc::Broken { .. }
        ));
    }

    #[test]
    fn fixes_are_yaml_that_reads_back() {
        for (policy, append) in [
            ("credentialPluginPolicy: DenyAll\n", false),
            (
                "credentialPluginPolicy: Allowlist\ncredentialPluginAllowlist:\n- name: other\n",
                true,
            ),
        ] {
            for command in [
                "/opt/bin/tokenctl",
                "/home/a b/tok:en#ctl",
                "C:\\x\\tokenctl.exe",
            ] {
                let text = format!("{HEAD}{policy}");
                let Verdict::Blocked { fix, .. } = verdict(&parse(&text), command) else {
                    panic!("{text}");
                };
                assert_eq!(fix.append, append);
                let fixed = if append {
                    format!("{text}{}\n", fix.lines().join("\n"))
                } else {
                    format!("{HEAD}{}\n", fix.lines().join("\n"))
                };
                assert!(runs(&fixed, command), "{fixed}");
            }
        }
    }

    #[test]
    fn misspelled_keys_are_named() {
        let text =
            format!("{HEAD}credentialPluginPolicy: Allowlist\ncredPluginAllowlist:\n- name: x\n");
        let Verdict::Blocked { why, .. } = verdict(&parse(&text), "x") else {
            panic!()
        };
        assert!(why.contains("`credentialPluginAllowlist`"), "{why}");
    }

    // Execute bits, symbolic links, `:`-separated PATH: Go's Unix lookup.
    #[cfg(unix)]
    #[test]
    fn names_resolve_like_go_look_path() {
        use std::os::unix::fs::PermissionsExt;
        let dir = tempfile::tempdir().unwrap();
        let bin = dir.path().join("bin");
        std::fs::create_dir(&bin).unwrap();
        let tool = bin.join("tokenctl");
        std::fs::write(&tool, "").unwrap();
        let path_var = std::ffi::OsString::from(format!("/nonexistent:{}/", bin.display()));
        let full = tool.to_str().unwrap();
        // Not executable yet: only the same text matches.
        assert!(allows(full, full, &path_var));
        assert!(!allows("tokenctl", full, &path_var));
        std::fs::set_permissions(&tool, std::fs::Permissions::from_mode(0o755)).unwrap();
        assert!(allows("tokenctl", full, &path_var));
        assert!(allows(full, "tokenctl", &path_var));
        assert!(!allows("kubelogin", full, &path_var));
        // A link is another path: Go does not resolve it.
        let link = dir.path().join("link");
        std::os::unix::fs::symlink(&tool, &link).unwrap();
        assert!(!allows(link.to_str().unwrap(), full, &path_var));
        // A PATH entry relative to the working directory is refused, as Go
        // does, even where it names the same directory.
        let cwd = std::env::current_dir().unwrap();
        let up = "../".repeat(cwd.components().count() - 1);
        let relative = format!("{up}{}", bin.to_str().unwrap().trim_start_matches('/'));
        assert!(std::path::Path::new(&relative).join("tokenctl").is_file());
        assert!(!allows("tokenctl", full, std::ffi::OsStr::new(&relative)));
        assert!(allows("tokenctl", full, bin.as_os_str()));
    }
}
