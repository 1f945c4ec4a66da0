//! Where tokenctl keeps its cache and locks, and the rules that make a
//! directory or file safe to use when someone else can reach it.
//!
//! `$XDG_RUNTIME_DIR` is per-user and memory-backed when a login manager
//! made it, but containers, WSL and `su` can leave it pointing at a shared
//! or another user's directory. So it is used only when it, and each
//! `tokenctl` directory below it, is a real directory (not a symlink) owned
//! by this user that nobody else can write. Otherwise the cache is skipped
//! and locks go under the state directory.

use std::fs::{self, File, OpenOptions};
use std::io;
use std::path::{Path, PathBuf};

/// Why a directory was not used.
// Ownership and mode are checked on Unix only (Windows: the profile's ACLs).
#[cfg_attr(not(unix), allow(dead_code))]
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Unsafe {
    Missing,
    Symlink,
    NotADirectory,
    OwnedBy(u32),
    WritableByOthers(u32),
    Io(String),
}

impl std::fmt::Display for Unsafe {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Self::Missing => f.write_str("it does not exist"),
            Self::Symlink => f.write_str("it is a symbolic link"),
            Self::NotADirectory => f.write_str("it is not a directory"),
            Self::OwnedBy(uid) => write!(f, "it belongs to uid {uid}, not to you"),
            Self::WritableByOthers(mode) => {
                write!(f, "its mode {mode:o} lets other users write to it")
            }
            Self::Io(e) => f.write_str(e),
        }
    }
}

#[cfg(unix)]
fn my_uid() -> u32 {
    // SAFETY: geteuid has no preconditions and cannot fail.
    unsafe { libc::geteuid() }
}

/// Checks a directory without following a final symlink: ours, a real
/// directory, not writable by group or others.
pub fn check_dir(path: &Path) -> Result<(), Unsafe> {
    let meta = match fs::symlink_metadata(path) {
        Ok(m) => m,
        Err(e) if e.kind() == io::ErrorKind::NotFound => return Err(Unsafe::Missing),
        Err(e) => return Err(Unsafe::Io(e.to_string())),
    };
    if meta.file_type().is_symlink() {
        return Err(Unsafe::Symlink);
    }
    if !meta.is_dir() {
        return Err(Unsafe::NotADirectory);
    }
    #[cfg(unix)]
    {
        use std::os::unix::fs::MetadataExt;
        if meta.uid() != my_uid() {
            return Err(Unsafe::OwnedBy(meta.uid()));
        }
        let mode = meta.mode() & 0o7777;
        // The sticky bit does not help: others could still create names here.
        if mode & 0o022 != 0 {
            return Err(Unsafe::WritableByOthers(mode));
        }
    }
    Ok(())
}

/// Creates `path` (one level) as a private directory, or checks the one
/// there; tightens a directory of ours that others can read into.
pub fn private_subdir(path: &Path) -> Result<(), Unsafe> {
    // The common case on the hot path: already there and private (one lstat).
    if let Ok(meta) = fs::symlink_metadata(path)
        && meta.is_dir()
        && !meta.file_type().is_symlink()
    {
        #[cfg(unix)]
        {
            use std::os::unix::fs::MetadataExt;
            if meta.uid() == my_uid() && meta.mode() & 0o077 == 0 {
                return Ok(());
            }
        }
    }
    #[cfg_attr(not(unix), allow(unused_mut))]
    let mut builder = fs::DirBuilder::new();
    #[cfg(unix)]
    std::os::unix::fs::DirBuilderExt::mode(&mut builder, 0o700);
    match builder.create(path) {
        Ok(()) => {}
        Err(e) if e.kind() == io::ErrorKind::AlreadyExists => {}
        Err(e) => return Err(Unsafe::Io(e.to_string())),
    }
    check_dir(path)?;
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = fs::symlink_metadata(path)
            .map_err(|e| Unsafe::Io(e.to_string()))?
            .permissions()
            .mode();
        if mode & 0o077 != 0 {
            // Checked above to be ours and not a symlink: safe to chmod.
            fs::set_permissions(path, fs::Permissions::from_mode(0o700))
                .map_err(|e| Unsafe::Io(e.to_string()))?;
        }
    }
    Ok(())
}

/// `$XDG_RUNTIME_DIR/tokenctl/<leaf>` when every step of it is safe; the
/// reason otherwise.
pub fn runtime_subdir(leaf: &str) -> Result<PathBuf, (PathBuf, Unsafe)> {
    let Some(runtime) = dirs::runtime_dir() else {
        return Err((PathBuf::from("$XDG_RUNTIME_DIR"), Unsafe::Missing));
    };
    check_dir(&runtime).map_err(|why| (runtime.clone(), why))?;
    let ours = runtime.join("tokenctl");
    private_subdir(&ours).map_err(|why| (ours.clone(), why))?;
    let dir = ours.join(leaf);
    private_subdir(&dir).map_err(|why| (dir.clone(), why))?;
    Ok(dir)
}

/// The base of tokenctl's configuration: `$XDG_CONFIG_HOME` (`~/.config`),
/// on macOS `~/Library/Application Support`, on Windows `%APPDATA%`.
pub fn config_home() -> Option<PathBuf> {
    windows_env("APPDATA").or_else(dirs::config_dir)
}

/// The base of tokenctl's state (the file store, locks): `$XDG_STATE_HOME`
/// (`~/.local/state`), else the local data directory; on Windows
/// `%LOCALAPPDATA%`.
pub fn state_home() -> Option<PathBuf> {
    windows_env("LOCALAPPDATA")
        .or_else(dirs::state_dir)
        .or_else(dirs::data_local_dir)
}

/// On Windows the profile's folders as the environment names them, when it
/// names them by an absolute path (Windows sets both at log-on): like
/// `XDG_*` on Unix, they can be moved per process. The known-folder API
/// (what `dirs` asks) ignores the environment.
fn windows_env(name: &str) -> Option<PathBuf> {
    #[cfg(windows)]
    {
        std::env::var_os(name)
            .map(PathBuf::from)
            .filter(|p| p.is_absolute())
    }
    #[cfg(not(windows))]
    {
        let _ = name;
        None
    }
}

/// The state directory's `tokenctl/<leaf>`, created private (parents as needed).
pub fn state_subdir(leaf: &str) -> Result<PathBuf, String> {
    let base = state_home()
        .ok_or("cannot find a state directory for this user: set XDG_STATE_HOME or HOME")?;
    let ours = base.join("tokenctl");
    fs::create_dir_all(&base)
        .map_err(|e| format!("cannot create {}: {e}", crate::text::shown(&base)))?;
    private_subdir(&ours)
        .map_err(|why| format!("cannot use {}: {why}", crate::text::shown(&ours)))?;
    let dir = ours.join(leaf);
    private_subdir(&dir)
        .map_err(|why| format!("cannot use {}: {why}", crate::text::shown(&dir)))?;
    Ok(dir)
}

/// Opens a file without following a symlink in its last component and
/// without blocking on a FIFO, then insists on a regular file of ours.
pub fn open_private(path: &Path, opts: &mut OpenOptions) -> io::Result<File> {
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        opts.custom_flags(libc::O_NOFOLLOW | libc::O_NONBLOCK | libc::O_CLOEXEC);
    }
    let file = opts.open(path)?;
    let meta = file.metadata()?;
    if !meta.is_file() {
        return Err(io::Error::other(format!(
            "{} is not a regular file",
            crate::text::shown(path)
        )));
    }
    #[cfg(unix)]
    {
        use std::os::unix::fs::MetadataExt;
        if meta.uid() != my_uid() {
            return Err(io::Error::other(format!(
                "{} belongs to uid {}, not to you",
                crate::text::shown(path),
                meta.uid()
            )));
        }
        // O_NONBLOCK was only for the open; regular-file I/O ignores it,
        // but clear it so nothing downstream is surprised.
        use std::os::fd::AsRawFd;
        // SAFETY: fcntl on a file descriptor we own.
        unsafe {
            let fd = file.as_raw_fd();
            let flags = libc::fcntl(fd, libc::F_GETFL);
            if flags >= 0 {
                libc::fcntl(fd, libc::F_SETFL, flags & !libc::O_NONBLOCK);
            }
        }
    }
    Ok(file)
}

#[cfg(all(test, unix))]
mod tests {
    use super::*;
    use std::os::unix::fs::PermissionsExt;

    #[test]
    fn directory_rules() {
        let tmp = tempfile::tempdir().unwrap();
        let d = tmp.path().join("d");
        assert_eq!(check_dir(&d), Err(Unsafe::Missing));
        private_subdir(&d).unwrap();
        assert_eq!(
            fs::metadata(&d).unwrap().permissions().mode() & 0o777,
            0o700
        );
        // Ours but readable by others: tightened.
        fs::set_permissions(&d, fs::Permissions::from_mode(0o755)).unwrap();
        private_subdir(&d).unwrap();
        assert_eq!(
            fs::metadata(&d).unwrap().permissions().mode() & 0o777,
            0o700
        );
        // World-writable (sticky or not): refused, and left as it is.
        fs::set_permissions(&d, fs::Permissions::from_mode(0o1777)).unwrap();
        assert_eq!(check_dir(&d), Err(Unsafe::WritableByOthers(0o1777)));
        assert!(private_subdir(&d).is_err());
        assert_eq!(
            fs::metadata(&d).unwrap().permissions().mode() & 0o7777,
            0o1777
        );
        // A symlink to a directory of ours is still refused, and its target untouched.
        let target = tmp.path().join("victim");
        fs::create_dir(&target).unwrap();
        fs::set_permissions(&target, fs::Permissions::from_mode(0o755)).unwrap();
        let link = tmp.path().join("link");
        std::os::unix::fs::symlink(&target, &link).unwrap();
        assert_eq!(private_subdir(&link), Err(Unsafe::Symlink));
        assert_eq!(
            fs::metadata(&target).unwrap().permissions().mode() & 0o777,
            0o755
        );
        let file = tmp.path().join("f");
        fs::write(&file, "").unwrap();
        assert_eq!(check_dir(&file), Err(Unsafe::NotADirectory));
    }

    #[test]
    fn reasons_read_as_sentences() {
        assert_eq!(Unsafe::Missing.to_string(), "it does not exist");
        assert_eq!(Unsafe::Symlink.to_string(), "it is a symbolic link");
        assert_eq!(Unsafe::NotADirectory.to_string(), "it is not a directory");
        assert_eq!(
            Unsafe::OwnedBy(65534).to_string(),
            "it belongs to uid 65534, not to you"
        );
        assert_eq!(
            Unsafe::WritableByOthers(0o1777).to_string(),
            "its mode 1777 lets other users write to it"
        );
    }

    #[test]
    fn open_private_refuses_links_and_fifos() {
        let tmp = tempfile::tempdir().unwrap();
        let real = tmp.path().join("real");
        fs::write(&real, "x").unwrap();
        assert!(open_private(&real, OpenOptions::new().read(true)).is_ok());
        let link = tmp.path().join("link");
        std::os::unix::fs::symlink(&real, &link).unwrap();
        assert!(open_private(&link, OpenOptions::new().read(true)).is_err());
        let fifo = tmp.path().join("fifo");
        let c = std::ffi::CString::new(fifo.to_str().unwrap()).unwrap();
        // SAFETY: a valid NUL-terminated path.
        assert_eq!(unsafe { libc::mkfifo(c.as_ptr(), 0o600) }, 0);
        // Returns at once (no writer needed) and is refused.
        let err = open_private(&fifo, OpenOptions::new().read(true)).unwrap_err();
        assert!(err.to_string().contains("not a regular file"), "{err}");
    }
}
