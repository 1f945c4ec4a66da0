//! Token records as 0600 JSON files in a 0700 directory, written atomically.

use std::fs;
use std::io::ErrorKind;
use std::path::{Path, PathBuf};

use super::{Backend, StoreKey};
use crate::atomic;
use crate::error::Error;
use crate::model::StoreKind;
use crate::paths;
use crate::secret::Secret;

pub struct FileStore {
    dir: PathBuf,
    /// The topmost directory of ours above `dir` (`…/tokenctl`): created
    /// 0700 like `dir`; what is above it is not ours and keeps its mode.
    root: Option<PathBuf>,
}

impl FileStore {
    /// `$XDG_STATE_HOME/tokenctl/tokens` (or the platform's local data dir).
    pub fn open_default() -> Result<Self, Error> {
        let base = crate::paths::state_home().ok_or_else(|| {
            Error::store("cannot find a state directory for this user: set XDG_STATE_HOME or HOME")
        })?;
        let root = base.join("tokenctl");
        Ok(Self {
            dir: root.join("tokens"),
            root: Some(root),
        })
    }

    pub fn at(dir: PathBuf) -> Self {
        Self { dir, root: None }
    }

    pub fn dir(&self) -> &Path {
        &self.dir
    }

    pub fn path(&self, key: &StoreKey) -> PathBuf {
        // Profile names are checked to be plain file names (config::check_profile_name).
        self.dir.join(format!("{}.json", key.profile))
    }

    /// The one rule for the token directory, on every use: created 0700; a
    /// directory of ours that others can enter is tightened back to 0700
    /// (with a warning, since its listing was visible); a symlink, or one
    /// owned by someone else, is refused.
    fn ensure_dir(&self) -> Result<(), Error> {
        let top = self.root.as_deref().unwrap_or(&self.dir);
        if let Some(parent) = top.parent() {
            fs::create_dir_all(parent).map_err(|e| self.dir_error(&e.to_string()))?;
        }
        if let Some(root) = &self.root {
            paths::private_subdir(root).map_err(|why| {
                self.dir_error(&format!("cannot use {}: {why}", crate::text::shown(root)))
            })?;
        }
        self.check_dir(true).map(drop)
    }

    /// [`FileStore::ensure_dir`] without creating: `Ok(false)` when missing.
    fn check_dir(&self, create: bool) -> Result<bool, Error> {
        let before = fs::symlink_metadata(&self.dir).ok();
        if before.is_none() && !create {
            return Ok(false);
        }
        paths::private_subdir(&self.dir).map_err(|why| self.dir_error(&why.to_string()))?;
        #[cfg(unix)]
        if let Some(meta) = before {
            use std::os::unix::fs::PermissionsExt;
            let mode = meta.permissions().mode() & 0o777;
            if mode & 0o077 != 0 {
                crate::ui::warn(format!(
                    "token directory {} had mode {mode:o}; tokenctl set it back to 700",
                    crate::text::shown(&self.dir)
                ));
            }
        }
        Ok(true)
    }

    fn dir_error(&self, why: &str) -> Error {
        Error::store(format!(
            "refusing to use token directory {}: {why}",
            crate::text::shown(&self.dir)
        ))
        .with_hint("remove it (or point XDG_STATE_HOME at a directory of yours) and log in again")
    }

    /// A tokenctl killed between creating its temp file and the rename
    /// leaves the temp behind; sweep ones old enough to belong to no live write.
    fn remove_stale_temps(&self, profile: &str) {
        let target = format!("{profile}.json");
        let Ok(entries) = fs::read_dir(&self.dir) else {
            return;
        };
        for entry in entries.flatten() {
            let name = entry.file_name();
            let name = name.to_string_lossy();
            let old = entry
                .metadata()
                .and_then(|m| m.modified())
                .ok()
                .and_then(|t| t.elapsed().ok())
                .is_some_and(|age| age > std::time::Duration::from_secs(600));
            if crate::random::is_temp_of(&name, &target) && old {
                let _ = fs::remove_file(entry.path());
            }
        }
    }

    fn io_error(&self, action: &str, path: &Path, e: std::io::Error) -> Error {
        Error::store(format!(
            "cannot {action} token file {}: {e}",
            crate::text::shown(path)
        ))
        .with_hint("check that the directory is yours and writable")
    }
}

/// Why a token file or directory is not private to this user.
// Checked on Unix only (Windows: the profile's ACLs).
#[cfg_attr(not(unix), allow(dead_code))]
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum NotPrivate {
    OwnedBy { uid: u32, me: u32 },
    OthersCanRead { mode: u32 },
}

/// The one rule for token files and their directory: owned by this user,
/// nothing for group or others.
#[cfg(unix)]
pub fn not_private(meta: &fs::Metadata) -> Option<NotPrivate> {
    use std::os::unix::fs::MetadataExt;
    // SAFETY: geteuid has no preconditions and cannot fail.
    let me = unsafe { libc::geteuid() };
    if meta.uid() != me {
        return Some(NotPrivate::OwnedBy {
            uid: meta.uid(),
            me,
        });
    }
    let mode = meta.mode() & 0o777;
    (mode & 0o077 != 0).then_some(NotPrivate::OthersCanRead { mode })
}

#[cfg(not(unix))]
pub fn not_private(_: &fs::Metadata) -> Option<NotPrivate> {
    None
}

/// Refuses files others could read or that someone else owns: a token file
/// that leaked once must not be trusted or silently kept in use.
fn check_private(path: &Path, meta: &fs::Metadata) -> Result<(), Error> {
    match not_private(meta) {
        None => Ok(()),
        Some(NotPrivate::OwnedBy { uid, me }) => Err(Error::store(format!(
            "refusing to use token file {}: it is owned by uid {uid}, not you (uid {me})",
            crate::text::shown(path)
        ))
        .with_hint("remove it and log in again")),
        Some(NotPrivate::OthersCanRead { mode }) => Err(Error::store(format!(
            "refusing to use token file {}: its mode {mode:o} lets others read it",
            crate::text::shown(path)
        ))
        .with_hint(format!(
            "run `chmod 600 {}` (and consider the token leaked: log in again)",
            crate::text::shown(path)
        ))),
    }
}

impl Backend for FileStore {
    fn kind(&self) -> StoreKind {
        StoreKind::File
    }

    fn read(&self, key: &StoreKey) -> Result<Option<Secret>, Error> {
        let path = self.path(key);
        if !self.check_dir(false)? {
            return Ok(None);
        }
        // No symlink, no FIFO (which would block): a regular file of ours.
        let mut file = match paths::open_private(&path, fs::OpenOptions::new().read(true)) {
            Ok(f) => f,
            Err(e) if e.kind() == ErrorKind::NotFound => return Ok(None),
            Err(e) => return Err(self.io_error("read", &path, e)),
        };
        let meta = file
            .metadata()
            .map_err(|e| self.io_error("read", &path, e))?;
        check_private(&path, &meta)?;
        let mut bytes = Vec::new();
        std::io::Read::read_to_end(&mut file, &mut bytes)
            .map_err(|e| self.io_error("read", &path, e))?;
        // Non-UTF-8 content is reported by the record parser as unreadable.
        let text = String::from_utf8(bytes).unwrap_or_default();
        Ok(Some(Secret::new(text)))
    }

    fn write(&self, key: &StoreKey, value: &Secret) -> Result<(), Error> {
        let path = self.path(key);
        self.ensure_dir()?;
        // Readers and a crash see the old record or the new one, never half
        // of one; a link planted at the path is replaced, not followed.
        atomic::replace(&path, value.expose().as_bytes(), atomic::How::PRIVATE)
            .map_err(|e| self.io_error("write", &path, e))?;
        self.remove_stale_temps(&key.profile);
        Ok(())
    }

    fn delete(&self, key: &StoreKey) -> Result<bool, Error> {
        let path = self.path(key);
        match fs::remove_file(&path) {
            Ok(()) => Ok(true),
            Err(e) if e.kind() == ErrorKind::NotFound => Ok(false),
            Err(e) => Err(self.io_error("delete", &path, e)),
        }
    }

    fn describe(&self, key: &StoreKey) -> String {
        format!("file {}", crate::text::shown(self.path(key)))
    }

    fn location(&self, key: &StoreKey) -> String {
        self.path(key).display().to_string()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn key() -> StoreKey {
        StoreKey {
            profile: "p".into(),
            server: "s".into(),
            principal: "u".into(),
        }
    }

    #[test]
    fn writes_private_files_atomically() {
        let tmp = tempfile::tempdir().unwrap();
        let store = FileStore::at(tmp.path().join("tokens"));
        store.write(&key(), &Secret::new("one")).unwrap();
        store.write(&key(), &Secret::new("two")).unwrap();
        assert_eq!(store.read(&key()).unwrap().unwrap().expose(), "two");
        let names: Vec<_> = fs::read_dir(store.dir())
            .unwrap()
            .map(|e| e.unwrap().file_name())
            .collect();
        assert_eq!(
            names,
            vec![std::ffi::OsString::from("p.json")],
            "no temp files left"
        );
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let mode = |p: &Path| fs::metadata(p).unwrap().permissions().mode() & 0o777;
            assert_eq!(mode(store.dir()), 0o700);
            assert_eq!(mode(&store.dir().join("p.json")), 0o600);
        }
    }

    #[cfg(unix)]
    #[test]
    fn refuses_readable_files() {
        use std::os::unix::fs::PermissionsExt;
        let tmp = tempfile::tempdir().unwrap();
        let store = FileStore::at(tmp.path().to_path_buf());
        store.write(&key(), &Secret::new("x")).unwrap();
        let path = tmp.path().join("p.json");
        fs::set_permissions(&path, fs::Permissions::from_mode(0o644)).unwrap();
        let err = store.read(&key()).unwrap_err().to_string();
        assert!(err.contains("chmod 600"), "{err}");
    }

    #[test]
    fn failed_write_keeps_old_record_and_leaves_no_temp() {
        let tmp = tempfile::tempdir().unwrap();
        let store = FileStore::at(tmp.path().to_path_buf());
        store.write(&key(), &Secret::new("old")).unwrap();
        // A directory where the record should go makes the rename fail.
        let other = StoreKey {
            profile: "q".into(),
            ..key()
        };
        fs::create_dir(tmp.path().join("q.json")).unwrap();
        fs::write(tmp.path().join("q.json").join("x"), "").unwrap();
        assert!(store.write(&other, &Secret::new("new")).is_err());
        assert_eq!(store.read(&key()).unwrap().unwrap().expose(), "old");
        let temps = fs::read_dir(tmp.path())
            .unwrap()
            .filter(|e| {
                e.as_ref()
                    .unwrap()
                    .file_name()
                    .to_string_lossy()
                    .ends_with(".tmp")
            })
            .count();
        assert_eq!(temps, 0);
    }
}
