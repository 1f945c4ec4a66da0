//! The configuration directory the Run:ai CLI v2 and the Python SDK
//! (runapy) read: `~/.runai/`, or `$RUNAI_CLI_CONFIG_PATH`. runapy's
//! `CLIv2Config(DIR).load()` takes `accessToken` from `authentication.json`
//! (the JWT in URL-safe base64, padding optional) and `control_plane.url`
//! and `cluster.uuid` from `config.json`.
//!
//! Writing it is a trust boundary: the directory may have been made by
//! someone else, or hold a link another user planted. So the directory is
//! opened once and every file is reached through that handle: it must be
//! ours and writable by nobody else; no file is read or replaced through a
//! symbolic link; each file is written beside its target (0600) and renamed
//! over it, so a reader sees the old file or the new one, never half.
//!
//! `config.json` keeps every key it had, unknown ones included, each value
//! byte for byte (JSON numbers too big for a double stay exact); only the
//! two keys runapy reads are set. `authentication.json` is replaced: it
//! holds the access token tokenctl renews, and a refresh token left there
//! from another login would belong to another session.

use std::ffi::OsStr;
use std::fs::File;
use std::io::Read;
use std::os::fd::OwnedFd;
use std::path::{Path, PathBuf};

use base64::Engine;
use serde::de::{MapAccess, Visitor};
use serde::ser::SerializeMap;
use serde::{Deserialize, Deserializer, Serialize, Serializer};
use serde_json::value::RawValue;

use crate::atomic::{self, Dir};
use crate::error::Error;
use crate::secret::Secret;

pub const AUTH_FILE: &str = "authentication.json";
pub const CONFIG_FILE: &str = "config.json";

/// Larger `config.json` files are refused, not read: the CLI's is a few
/// hundred bytes.
const MAX_CONFIG: u64 = 4 * 1024 * 1024;

/// `~/.runai`, the readers' default.
pub fn default_dir() -> Option<PathBuf> {
    dirs::home_dir().map(|home| home.join(".runai"))
}

/// The access token as runapy decodes it: URL-safe base64 of the JWT.
/// Without padding: runapy appends `==` itself before decoding.
pub fn encode_token(token: &Secret) -> Secret {
    Secret::new(base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(token.expose()))
}

/// A JSON object whose keys keep their order and whose values keep their
/// text: what `config.json` held, to be written back with two keys set.
#[derive(Debug, Default)]
pub struct Object(Vec<(String, Box<RawValue>)>);

impl Object {
    fn get(&self, key: &str) -> Option<&RawValue> {
        self.0.iter().find(|(k, _)| k == key).map(|(_, v)| &**v)
    }

    fn set(&mut self, key: &str, value: Box<RawValue>) {
        match self.0.iter_mut().find(|(k, _)| k == key) {
            Some((_, v)) => *v = value,
            None => self.0.push((key.to_string(), value)),
        }
    }
}

impl<'de> Deserialize<'de> for Object {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct Keys;
        impl<'de> Visitor<'de> for Keys {
            type Value = Object;
            fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str("a JSON object")
            }
            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Object, A::Error> {
                let mut object = Object::default();
                // A repeated key keeps its first place and its last value,
                // as JSON readers that keep the last one see it.
                while let Some((key, value)) = map.next_entry::<String, Box<RawValue>>()? {
                    object.set(&key, value);
                }
                Ok(object)
            }
        }
        d.deserialize_map(Keys)
    }
}

impl Serialize for Object {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let mut map = s.serialize_map(Some(self.0.len()))?;
        for (k, v) in &self.0 {
            map.serialize_entry(k, v)?;
        }
        map.end()
    }
}

/// What `config.json` says, as read.
#[derive(Debug, Default)]
pub struct ConfigJson {
    top: Object,
}

impl ConfigJson {
    /// Reads `text` (the file's bytes as UTF-8). Empty is an empty object.
    pub fn parse(text: &str, shown: &Path) -> Result<Self, Error> {
        if text.trim().is_empty() {
            return Ok(Self::default());
        }
        let bad = |why: String| {
            Error::usage(format!(
                "{} is not a JSON object tokenctl can merge into: {why}",
                crate::text::shown(shown)
            ))
            .with_hint("fix it or move it away; tokenctl left it as it is")
        };
        let top: Object = serde_json::from_str(text).map_err(|e| {
            // Position and category only: the parser's text may quote the file.
            bad(format!(
                "{} at line {}, column {}",
                match e.classify() {
                    serde_json::error::Category::Data => "not an object",
                    serde_json::error::Category::Eof => "it ends early",
                    _ => "invalid JSON",
                },
                e.line(),
                e.column()
            ))
        })?;
        for key in ["control_plane", "cluster"] {
            section(&top, key).map_err(&bad)?;
        }
        Ok(Self { top })
    }

    /// `control_plane.url`, when it is a string.
    pub fn control_plane_url(&self) -> Option<String> {
        self.string_at("control_plane", "url")
    }

    /// `cluster.uuid`, when it is a string.
    pub fn cluster_uuid(&self) -> Option<String> {
        self.string_at("cluster", "uuid")
    }

    fn string_at(&self, section_key: &str, key: &str) -> Option<String> {
        let object = section(&self.top, section_key).ok()??;
        serde_json::from_str(object.get(key)?.get()).ok()
    }

    /// The file with `control_plane.url` and `cluster.uuid` set, every
    /// other key as it was; pretty-printed, ending in a newline.
    pub fn merged(&self, url: &str, cluster_uuid: &str) -> String {
        let mut top = Object(
            self.top
                .0
                .iter()
                .map(|(k, v)| (k.clone(), v.clone()))
                .collect(),
        );
        for (section_key, key, value) in [
            ("control_plane", "url", url),
            ("cluster", "uuid", cluster_uuid),
        ] {
            // Checked in `parse`: an object, null or absent.
            let mut object = section(&self.top, section_key)
                .ok()
                .flatten()
                .unwrap_or_default();
            object.set(key, raw(&value));
            top.set(section_key, raw(&object));
        }
        let tree = Node::object(&top).expect("values parsed once parse again");
        let mut text = serde_json::to_string_pretty(&tree).expect("JSON values serialize");
        text.push('\n');
        text
    }
}

/// A JSON value as a tree of objects and arrays whose leaves keep their
/// text, so the whole file is indented anew while every number and string
/// stays as it was written.
enum Node {
    Object(Vec<(String, Node)>),
    Array(Vec<Node>),
    Leaf(Box<RawValue>),
}

impl Node {
    fn object(object: &Object) -> Result<Self, serde_json::Error> {
        let entries = object
            .0
            .iter()
            .map(|(k, v)| Ok((k.clone(), Self::of(v)?)))
            .collect::<Result<_, serde_json::Error>>()?;
        Ok(Self::Object(entries))
    }

    fn of(raw: &RawValue) -> Result<Self, serde_json::Error> {
        match raw.get().as_bytes().first() {
            Some(b'{') => Self::object(&serde_json::from_str(raw.get())?),
            Some(b'[') => {
                let items: Vec<Box<RawValue>> = serde_json::from_str(raw.get())?;
                let nodes = items
                    .iter()
                    .map(|i| Self::of(i))
                    .collect::<Result<_, _>>()?;
                Ok(Self::Array(nodes))
            }
            _ => Ok(Self::Leaf(raw.to_owned())),
        }
    }
}

impl Serialize for Node {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        match self {
            Self::Object(entries) => {
                let mut map = s.serialize_map(Some(entries.len()))?;
                for (k, v) in entries {
                    map.serialize_entry(k, v)?;
                }
                map.end()
            }
            Self::Array(items) => s.collect_seq(items),
            Self::Leaf(raw) => raw.serialize(s),
        }
    }
}

fn raw(value: &impl Serialize) -> Box<RawValue> {
    RawValue::from_string(serde_json::to_string(value).expect("JSON values serialize"))
        .expect("serde_json writes valid JSON")
}

/// `top[key]` as an object: `None` when absent or null, an error when it is
/// something else (it would have to be thrown away to set a key in it).
fn section(top: &Object, key: &str) -> Result<Option<Object>, String> {
    let Some(value) = top.get(key) else {
        return Ok(None);
    };
    if value.get() == "null" {
        return Ok(None);
    }
    serde_json::from_str(value.get())
        .map(Some)
        .map_err(|_| format!("its `{key}` is not an object"))
}

/// The directory, opened: every file operation goes through this handle.
#[derive(Debug)]
pub struct RunaiDir {
    dir: Dir,
}

impl RunaiDir {
    /// Creates the directory (0700, parents as needed) when it is missing,
    /// then opens it ([`RunaiDir::open_existing`]).
    pub fn create(path: &Path) -> Result<Self, Error> {
        if std::fs::symlink_metadata(path).is_err() {
            if let Some(parent) = path.parent().filter(|p| !p.as_os_str().is_empty()) {
                std::fs::create_dir_all(parent).map_err(|e| {
                    Error::store(format!("cannot create {}: {e}", crate::text::shown(parent)))
                })?;
            }
            let mut builder = std::fs::DirBuilder::new();
            std::os::unix::fs::DirBuilderExt::mode(&mut builder, 0o700);
            match builder.create(path) {
                Ok(()) => {}
                Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => {}
                Err(e) => {
                    return Err(Error::store(format!(
                        "cannot create {}: {e}",
                        crate::text::shown(path)
                    )));
                }
            }
        }
        Self::open_existing(path)?.ok_or_else(|| {
            Error::usage(format!(
                "cannot use {}: it does not exist (a symbolic link to nothing?)",
                crate::text::shown(path)
            ))
            .with_hint("remove the link or pass --dir with another directory")
        })
    }

    /// Opens the directory at `path` (symbolic links on the way resolved),
    /// `None` when there is none. It must be ours and writable by nobody else.
    pub fn open_existing(path: &Path) -> Result<Option<Self>, Error> {
        let resolved = match std::fs::canonicalize(path) {
            Ok(p) => p,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(None),
            Err(e) => {
                return Err(Error::store(format!(
                    "cannot use {}: {e}",
                    crate::text::shown(path)
                )));
            }
        };
        let dir = Dir::open_no_link(&resolved)
            .map_err(|e| Error::store(format!("cannot open {}: {e}", crate::text::shown(path))))?;
        let meta = dir
            .stat()
            .map_err(|e| Error::store(format!("cannot read {}: {e}", crate::text::shown(path))))?;
        // SAFETY: geteuid has no preconditions.
        let me = unsafe { libc::geteuid() };
        if meta.st_uid != me {
            return Err(Error::usage(format!(
                "{} belongs to uid {}, not to you: tokenctl writes credentials only into a directory of yours",
                crate::text::shown(&resolved),
                meta.st_uid
            ))
            .with_hint("pass --dir with a directory of your own"));
        }
        if meta.st_mode & 0o022 != 0 {
            return Err(Error::usage(format!(
                "{} can be written by other users (mode {:o}): they could replace the files tokenctl writes",
                crate::text::shown(&resolved),
                meta.st_mode & 0o7777
            ))
            .with_hint(format!("run `chmod go-w {}`", crate::text::shown(&resolved))));
        }
        Ok(Some(Self { dir }))
    }

    /// The directory, symbolic links resolved.
    pub fn path(&self) -> &Path {
        self.dir.path()
    }

    fn shown(&self, name: &str) -> PathBuf {
        self.path().join(name)
    }

    /// `config.json` as it is now (an empty one when there is none).
    pub fn read_config(&self) -> Result<ConfigJson, Error> {
        let shown = self.shown(CONFIG_FILE);
        let fd = match self.dir.open_file(
            OsStr::new(CONFIG_FILE),
            libc::O_RDONLY | libc::O_NOFOLLOW | libc::O_NONBLOCK,
            0,
        ) {
            Ok(fd) => fd,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(ConfigJson::default()),
            Err(e) if e.raw_os_error() == Some(libc::ELOOP) => {
                return Err(link_refused(&shown));
            }
            Err(e) => {
                return Err(Error::store(format!(
                    "cannot read {}: {e}",
                    crate::text::shown(&shown)
                )));
            }
        };
        check_file(&fd, &shown)?;
        let mut text = String::new();
        let read = File::from(fd)
            .take(MAX_CONFIG + 1)
            .read_to_string(&mut text);
        match read {
            Ok(n) if n as u64 > MAX_CONFIG => Err(Error::usage(format!(
                "{} is larger than {} MiB; it is not a Run:ai CLI config",
                crate::text::shown(&shown),
                MAX_CONFIG / 1024 / 1024
            ))
            .with_hint("move it away; tokenctl left it as it is")),
            Ok(_) => ConfigJson::parse(&text, &shown),
            Err(e) if e.kind() == std::io::ErrorKind::InvalidData => Err(Error::usage(format!(
                "{} is not UTF-8 text, so not JSON",
                crate::text::shown(&shown)
            ))
            .with_hint("fix it or move it away; tokenctl left it as it is")),
            Err(e) => Err(Error::store(format!(
                "cannot read {}: {e}",
                crate::text::shown(&shown)
            ))),
        }
    }

    /// Writes both files: `config.json` merged into `existing`, then
    /// `authentication.json` with `token`.
    pub fn write(
        &self,
        existing: &ConfigJson,
        url: &str,
        cluster_uuid: &str,
        token: &Secret,
    ) -> Result<(), Error> {
        // Both targets checked first, so a refusal writes neither.
        for name in [CONFIG_FILE, AUTH_FILE] {
            self.check_target(name, &self.shown(name))?;
        }
        self.replace(CONFIG_FILE, existing.merged(url, cluster_uuid).as_bytes())?;
        self.write_token(token)
    }

    /// Replaces `authentication.json` with one holding `token`.
    pub fn write_token(&self, token: &Secret) -> Result<(), Error> {
        #[derive(Serialize)]
        struct Authentication<'a> {
            #[serde(rename = "accessToken")]
            access_token: &'a str,
        }
        let encoded = encode_token(token);
        let text = Secret::new(
            serde_json::to_string_pretty(&Authentication {
                access_token: encoded.expose(),
            })
            .expect("JSON values serialize")
                + "\n",
        );
        self.replace(AUTH_FILE, text.expose().as_bytes())
    }

    /// Writes `bytes` to a new 0600 file beside `name` and renames it over,
    /// checking just before the rename that what is there may be replaced.
    fn replace(&self, name: &str, bytes: &[u8]) -> Result<(), Error> {
        let shown = self.shown(name);
        let failed = |e: std::io::Error| {
            Error::store(format!("cannot write {}: {e}", crate::text::shown(&shown)))
        };
        let mut tmp = atomic::Temp::new(&self.dir, OsStr::new(name), atomic::Mode::Private)
            .map_err(failed)?;
        tmp.write_all(bytes).map_err(failed)?;
        tmp.sync().map_err(failed)?;
        self.check_target(name, &shown)?;
        tmp.commit(true).map_err(failed)
    }

    /// What is at `name` now may be replaced: nothing, or a regular file of
    /// ours. A link or a directory is left alone.
    fn check_target(&self, name: &str, shown: &Path) -> Result<(), Error> {
        let st = match self.dir.stat_at(OsStr::new(name), false) {
            Ok(st) => st,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(()),
            Err(e) => {
                return Err(Error::store(format!(
                    "cannot look at {}: {e}",
                    crate::text::shown(shown)
                )));
            }
        };
        match st.st_mode & libc::S_IFMT {
            libc::S_IFLNK => Err(link_refused(shown)),
            libc::S_IFREG => owned(st.st_uid, shown),
            _ => Err(Error::usage(format!(
                "{} is not a regular file; tokenctl does not replace it",
                crate::text::shown(shown)
            ))
            .with_hint("move it away, then run this again")),
        }
    }
}

fn link_refused(shown: &Path) -> Error {
    Error::usage(format!(
        "{} is a symbolic link; tokenctl neither reads nor writes credentials through links",
        crate::text::shown(shown)
    ))
    .with_hint("remove the link (after checking where it points), then run this again")
}

fn owned(uid: libc::uid_t, shown: &Path) -> Result<(), Error> {
    // SAFETY: geteuid has no preconditions.
    if uid == unsafe { libc::geteuid() } {
        return Ok(());
    }
    Err(Error::usage(format!(
        "{} belongs to uid {uid}, not to you; tokenctl does not use it",
        crate::text::shown(shown)
    ))
    .with_hint("move it away, then run this again"))
}

/// A regular file of ours (no FIFO or device hanging the read).
fn check_file(fd: &OwnedFd, shown: &Path) -> Result<(), Error> {
    let meta = atomic::fstat(fd)
        .map_err(|e| Error::store(format!("cannot read {}: {e}", crate::text::shown(shown))))?;
    if meta.st_mode & libc::S_IFMT != libc::S_IFREG {
        return Err(Error::usage(format!(
            "{} is not a regular file; tokenctl does not read it",
            crate::text::shown(shown)
        ))
        .with_hint("move it away, then run this again"));
    }
    owned(meta.st_uid, shown)
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::os::unix::fs::PermissionsExt;

    fn parse(text: &str) -> Result<ConfigJson, Error> {
        ConfigJson::parse(text, Path::new("/x/config.json"))
    }

    #[test]
    fn merging_keeps_every_other_key_and_value() {
        let text = r#"{
  "zeta": {"keep": [1, 2.50, 123456789012345678901234567890]},
  "control_plane": {"url": "https://old.example", "auth_url": "https://idp"},
  "alpha": "x",
  "cluster": null,
  "alpha": "last wins"
}"#;
        let config = parse(text).unwrap();
        assert_eq!(
            config.control_plane_url().as_deref(),
            Some("https://old.example")
        );
        assert_eq!(config.cluster_uuid(), None);
        let out = config.merged("https://acme.run.ai", "aa-bb");
        let v: serde_json::Value = serde_json::from_str(&out).unwrap();
        assert_eq!(v["control_plane"]["url"], "https://acme.run.ai");
        assert_eq!(v["control_plane"]["auth_url"], "https://idp");
        assert_eq!(v["cluster"], serde_json::json!({"uuid": "aa-bb"}));
        assert_eq!(v["alpha"], "last wins");
        // Exactly as written: a double would round the big number.
        assert!(out.contains("    \"keep\": [\n      1,\n      2.50,\n      123456789012345678901234567890\n    ]"), "{out}");
        // Keys keep their order; new ones come last.
        let order: Vec<&str> = ["\"zeta\"", "\"control_plane\"", "\"alpha\"", "\"cluster\""]
            .into_iter()
            .collect();
        let at: Vec<usize> = order.iter().map(|k| out.find(k).unwrap()).collect();
        assert!(at.windows(2).all(|w| w[0] < w[1]), "{out}");
        assert!(out.ends_with("}\n"));
        // Again over its own output: the same.
        let again = parse(&out).unwrap().merged("https://acme.run.ai", "aa-bb");
        assert_eq!(again, out);
    }

    #[test]
    fn what_cannot_be_merged_is_refused_without_quoting_it() {
        for (text, why) in [
            ("{\"a\": trux}", "invalid JSON"),
            ("{\"a\": 1", "ends early"),
            ("[1, 2]", "not an object"),
            ("\"secret-ish\"", "not an object"),
            ("{\"cluster\": \"aa\"}", "`cluster` is not an object"),
            (
                "{\"control_plane\": [1]}",
                "`control_plane` is not an object",
            ),
        ] {
            let err = parse(text).unwrap_err();
            assert!(err.to_string().contains(why), "{text}: {err}");
            assert!(!err.to_string().contains("secret-ish"), "{err}");
            assert!(err.to_string().contains("left it as it is"), "{err}");
        }
        assert_eq!(parse("  \n").unwrap().cluster_uuid(), None);
    }

    #[test]
    fn the_token_is_url_safe_base64_without_padding() {
        let jwt = Secret::new("eyJ>?~.x");
        assert_eq!(encode_token(&jwt).expose(), "ZXlKPj9-Lng");
    }

    #[test]
    fn files_are_private_and_links_are_refused() {
        let tmp = tempfile::tempdir().unwrap();
        let path = tmp.path().join("a/b/.runai");
        let dir = RunaiDir::create(&path).unwrap();
        let mode = |p: &Path| std::fs::metadata(p).unwrap().permissions().mode() & 0o777;
        assert_eq!(mode(&path), 0o700);
        dir.write(&ConfigJson::default(), "https://x", "aa", &Secret::new("t"))
            .unwrap();
        assert_eq!(mode(&path.join(CONFIG_FILE)), 0o600);
        assert_eq!(mode(&path.join(AUTH_FILE)), 0o600);
        // No temporary file is left behind.
        assert_eq!(std::fs::read_dir(&path).unwrap().count(), 2);

        // A link planted where a file goes: refused, its target untouched.
        for name in [CONFIG_FILE, AUTH_FILE] {
            std::fs::write(path.join(name), "{}").unwrap();
        }
        let victim = tmp.path().join("victim");
        std::fs::write(&victim, "{}").unwrap();
        for name in [CONFIG_FILE, AUTH_FILE] {
            std::fs::remove_file(path.join(name)).unwrap();
            std::os::unix::fs::symlink(&victim, path.join(name)).unwrap();
            let dir = RunaiDir::open_existing(&path).unwrap().unwrap();
            let err = match dir.read_config() {
                Err(e) => e,
                Ok(existing) => dir
                    .write(&existing, "https://x", "aa", &Secret::new("t"))
                    .unwrap_err(),
            };
            assert!(err.to_string().contains("symbolic link"), "{err}");
            assert_eq!(std::fs::read_to_string(&victim).unwrap(), "{}");
            // Neither file was written.
            for other in [CONFIG_FILE, AUTH_FILE].into_iter().filter(|n| *n != name) {
                assert_eq!(std::fs::read_to_string(path.join(other)).unwrap(), "{}");
            }
            std::fs::remove_file(path.join(name)).unwrap();
            std::fs::write(path.join(name), "{}").unwrap();
        }

        // A directory others may write to is refused, and left as it is.
        std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o777)).unwrap();
        let err = RunaiDir::open_existing(&path).unwrap_err();
        assert!(err.to_string().contains("chmod go-w"), "{err}");
        assert_eq!(mode(&path), 0o777);
    }
}
