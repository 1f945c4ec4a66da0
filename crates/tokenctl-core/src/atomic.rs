//! The one way tokenctl replaces a file: the config, token records, `exec`'s
//! token file, the Run:ai CLI's config directory, generated files. Readers,
//! and a crash, see the old content or the new, never half.
//!
//! Every write makes a temporary file beside the target, under an
//! unpredictable name ([`crate::random::temp_name`]) and exclusively (never
//! an existing file, never through a planted link); sets its mode on the
//! open file before any data is written; writes; renames it over the
//! target; and on any failure removes it. On Unix the directory is opened
//! once and the temporary file, the rename and the clean-up all go through
//! that handle, so a directory swapped in meanwhile cannot redirect them.
//!
//! What truly differs between the writers is a parameter ([`How`]):
//! - `mode`: tokens and credentials are [`Mode::Private`], exactly 0600
//!   whatever the umask; the config keeps the mode the user gave it
//!   ([`Mode::Keep`]).
//! - `links`: a symbolic link at the config's path is the user's (dotfile
//!   managers link config files), so the config is written to the link's
//!   target and the link kept ([`Links::Follow`]). The stores and `exec`
//!   write into directories of tokenctl's own, where a link is never
//!   followed: the rename replaces the link itself ([`Links::Replace`]).
//!   The Run:ai directory can be shared and refuses a link outright: it
//!   checks the target between writing and renaming, through [`Temp`].
//! - `durable`: the file and then the directory are flushed to disk, so a
//!   crash after the call keeps the new content and the rename. `exec`'s
//!   token file lives only as long as its command, in the memory-backed
//!   runtime directory, and skips that.

use std::ffi::{OsStr, OsString};
use std::fs::File;
use std::io::{self, Write};
use std::path::{Path, PathBuf};

/// The new file's permission bits.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mode {
    /// 0600 on Unix, whatever the umask; for anything holding a secret.
    Private,
    /// The replaced file's mode; a new file gets the umask's default.
    Keep,
}

/// What a symbolic link at the target's path means.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Links {
    /// The link's target is replaced and the link kept.
    Follow,
    /// The link itself is replaced; what it pointed to is never touched.
    Replace,
}

/// How one file is replaced (see the module's text for who needs what).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct How {
    pub mode: Mode,
    pub links: Links,
    /// fsync the file before the rename and the directory after it.
    pub durable: bool,
}

impl How {
    /// Token records and credentials.
    pub const PRIVATE: How = How {
        mode: Mode::Private,
        links: Links::Replace,
        durable: true,
    };
}

/// Replaces the file at `path` with `bytes`.
pub fn replace(path: &Path, bytes: &[u8], how: How) -> io::Result<()> {
    let target = match how.links {
        Links::Follow => resolve_link(path)?,
        Links::Replace => path.to_path_buf(),
    };
    let name = target
        .file_name()
        .ok_or_else(|| io::Error::new(io::ErrorKind::InvalidInput, "it names no file"))?;
    let dir = Dir::open(parent(&target))?;
    replace_at(&dir, name, bytes, how)
}

/// Replaces the file `name` in `dir` with `bytes`; `how.links` is not
/// looked at: a link at `name` is replaced.
pub fn replace_at(dir: &Dir, name: &OsStr, bytes: &[u8], how: How) -> io::Result<()> {
    let mut tmp = Temp::new(dir, name, how.mode)?;
    tmp.write_all(bytes)?;
    tmp.commit(how.durable)
}

/// The directory of `path`, `.` for a bare name.
fn parent(path: &Path) -> &Path {
    path.parent()
        .filter(|d| !d.as_os_str().is_empty())
        .unwrap_or(Path::new("."))
}

/// `path`, or the file a symbolic link there points to.
fn resolve_link(path: &Path) -> io::Result<PathBuf> {
    match std::fs::symlink_metadata(path) {
        Ok(m) if m.file_type().is_symlink() => std::fs::canonicalize(path).map_err(|e| {
            io::Error::new(
                e.kind(),
                format!("it is a symbolic link whose target cannot be resolved ({e})"),
            )
        }),
        _ => Ok(path.to_path_buf()),
    }
}

/// A temporary file beside a target, renamed over it by [`Temp::commit`];
/// dropped uncommitted (an error on the way), it is removed. For a writer
/// that checks the target between writing and renaming; others call
/// [`replace`] or [`replace_at`].
pub struct Temp<'d> {
    dir: &'d Dir,
    target: OsString,
    name: OsString,
    file: File,
    synced: bool,
    committed: bool,
}

impl<'d> Temp<'d> {
    /// Creates the temporary file for `target` in `dir`, with its mode set.
    pub fn new(dir: &'d Dir, target: &OsStr, mode: Mode) -> io::Result<Self> {
        let keep = match mode {
            Mode::Private => None,
            Mode::Keep => dir.mode_of(target),
        };
        let (name, file) = loop {
            let name = OsString::from(crate::random::temp_name(&target.to_string_lossy())?);
            match dir.create_new(&name, mode) {
                Ok(file) => break (name, file),
                // Someone's file of that name: another name, never theirs.
                Err(e) if e.kind() == io::ErrorKind::AlreadyExists => continue,
                Err(e) => return Err(e),
            }
        };
        let tmp = Self {
            dir,
            target: target.to_os_string(),
            name,
            file,
            synced: false,
            committed: false,
        };
        // Before any byte is written: nobody may read along.
        match (mode, keep) {
            (Mode::Private, _) => set_private(&tmp.file)?,
            (Mode::Keep, Some(perm)) => tmp.file.set_permissions(perm)?,
            (Mode::Keep, None) => {}
        }
        Ok(tmp)
    }

    pub fn write_all(&mut self, bytes: &[u8]) -> io::Result<()> {
        self.file.write_all(bytes)
    }

    /// Flushes the data to disk now rather than in [`Temp::commit`]: for a
    /// writer that checks the target after the slow part, just before the
    /// rename.
    pub fn sync(&mut self) -> io::Result<()> {
        self.file.sync_all()?;
        self.synced = true;
        Ok(())
    }

    /// Renames the file over its target: with `durable`, the data is on
    /// disk before and the rename after.
    pub fn commit(mut self, durable: bool) -> io::Result<()> {
        if durable && !self.synced {
            self.sync()?;
        }
        self.dir.rename(&self.name, &self.target)?;
        self.committed = true;
        if durable {
            self.dir.sync();
        }
        Ok(())
    }
}

impl Drop for Temp<'_> {
    fn drop(&mut self) {
        if !self.committed {
            let _ = self.dir.unlink(&self.name);
        }
    }
}

#[cfg(unix)]
fn set_private(file: &File) -> io::Result<()> {
    use std::os::unix::fs::PermissionsExt;
    // Created 0600; the umask may have taken bits, never added any.
    file.set_permissions(std::fs::Permissions::from_mode(0o600))
}

#[cfg(not(unix))]
fn set_private(_: &File) -> io::Result<()> {
    // The file inherits the directory's access list: the user's own.
    Ok(())
}

pub use imp::Dir;
#[cfg(unix)]
pub use imp::fstat;

#[cfg(unix)]
mod imp {
    use std::ffi::{CString, OsStr};
    use std::fs::File;
    use std::io;
    use std::os::fd::{AsRawFd, FromRawFd, OwnedFd};
    use std::os::unix::ffi::OsStrExt;
    use std::path::{Path, PathBuf};

    /// A directory, opened once: files in it are reached through the handle.
    #[derive(Debug)]
    pub struct Dir {
        path: PathBuf,
        fd: OwnedFd,
    }

    impl Dir {
        /// Opens the directory at `path` (links on the way followed).
        pub fn open(path: &Path) -> io::Result<Self> {
            Self::open_with(path, 0)
        }

        /// Opens the directory at `path`, refusing a link as its last part.
        pub fn open_no_link(path: &Path) -> io::Result<Self> {
            Self::open_with(path, libc::O_NOFOLLOW)
        }

        fn open_with(path: &Path, flags: libc::c_int) -> io::Result<Self> {
            let fd = open_at(
                None,
                path.as_os_str(),
                libc::O_RDONLY | libc::O_DIRECTORY | flags,
                0,
            )?;
            Ok(Self {
                path: path.to_path_buf(),
                fd,
            })
        }

        /// The path it was opened at.
        pub fn path(&self) -> &Path {
            &self.path
        }

        /// The directory itself (`fstat`).
        pub fn stat(&self) -> io::Result<libc::stat> {
            fstat(&self.fd)
        }

        /// `name` in it (`fstatat`), a link at `name` itself when not `follow`.
        pub fn stat_at(&self, name: &OsStr, follow: bool) -> io::Result<libc::stat> {
            let c = cstr(name)?;
            let flags = if follow { 0 } else { libc::AT_SYMLINK_NOFOLLOW };
            let mut st = std::mem::MaybeUninit::<libc::stat>::uninit();
            // SAFETY: a descriptor we own, a NUL-terminated name and room
            // for the result, which is read only when the call succeeded.
            let rc =
                unsafe { libc::fstatat(self.fd.as_raw_fd(), c.as_ptr(), st.as_mut_ptr(), flags) };
            if rc != 0 {
                return Err(io::Error::last_os_error());
            }
            // SAFETY: fstatat succeeded, so it filled the struct.
            Ok(unsafe { st.assume_init() })
        }

        /// Opens `name` in it (`openat`), close-on-exec.
        pub fn open_file(
            &self,
            name: &OsStr,
            flags: libc::c_int,
            mode: libc::mode_t,
        ) -> io::Result<OwnedFd> {
            open_at(Some(&self.fd), name, flags, mode)
        }

        pub(super) fn mode_of(&self, name: &OsStr) -> Option<std::fs::Permissions> {
            use std::os::unix::fs::PermissionsExt;
            let st = self.stat_at(name, true).ok()?;
            // st_mode is u16 on macOS, u32 on Linux.
            #[allow(clippy::useless_conversion)]
            let mode = u32::from(st.st_mode);
            Some(std::fs::Permissions::from_mode(mode & 0o7777))
        }

        /// A new file (never an existing one, never through a link): 0600,
        /// or with `Keep` what the umask leaves of 0666, as any new file.
        pub(super) fn create_new(&self, name: &OsStr, mode: super::Mode) -> io::Result<File> {
            let bits = match mode {
                super::Mode::Private => 0o600,
                super::Mode::Keep => 0o666,
            };
            let fd = self.open_file(
                name,
                libc::O_WRONLY | libc::O_CREAT | libc::O_EXCL | libc::O_NOFOLLOW,
                bits,
            )?;
            Ok(File::from(fd))
        }

        pub(super) fn rename(&self, from: &OsStr, to: &OsStr) -> io::Result<()> {
            let (from, to) = (cstr(from)?, cstr(to)?);
            let fd = self.fd.as_raw_fd();
            // SAFETY: a descriptor we own and NUL-terminated names.
            if unsafe { libc::renameat(fd, from.as_ptr(), fd, to.as_ptr()) } != 0 {
                return Err(io::Error::last_os_error());
            }
            Ok(())
        }

        pub(super) fn unlink(&self, name: &OsStr) -> io::Result<()> {
            let c = cstr(name)?;
            // SAFETY: a descriptor we own and a NUL-terminated name.
            if unsafe { libc::unlinkat(self.fd.as_raw_fd(), c.as_ptr(), 0) } != 0 {
                return Err(io::Error::last_os_error());
            }
            Ok(())
        }

        /// Flushes the directory (its entries: a rename) to disk. Best
        /// effort: some file systems refuse to sync a directory, and the
        /// data itself is already on disk then.
        pub(super) fn sync(&self) {
            // SAFETY: fsync on a descriptor we own.
            unsafe { libc::fsync(self.fd.as_raw_fd()) };
        }
    }

    fn cstr(name: &OsStr) -> io::Result<CString> {
        CString::new(name.as_bytes()).map_err(|_| io::Error::other("the path holds a NUL byte"))
    }

    /// `openat` (or `open` without a directory), close-on-exec.
    fn open_at(
        dir: Option<&OwnedFd>,
        path: &OsStr,
        flags: libc::c_int,
        mode: libc::mode_t,
    ) -> io::Result<OwnedFd> {
        let c = cstr(path)?;
        let at = dir.map_or(libc::AT_FDCWD, AsRawFd::as_raw_fd);
        // SAFETY: a NUL-terminated path and a descriptor we own (or
        // AT_FDCWD); the result is checked before use.
        let fd = unsafe {
            libc::openat(
                at,
                c.as_ptr(),
                flags | libc::O_CLOEXEC,
                libc::c_uint::from(mode),
            )
        };
        if fd < 0 {
            return Err(io::Error::last_os_error());
        }
        // SAFETY: a fresh descriptor that nothing else owns.
        Ok(unsafe { OwnedFd::from_raw_fd(fd) })
    }

    /// `fstat` of a descriptor.
    pub fn fstat(fd: &OwnedFd) -> io::Result<libc::stat> {
        let mut st = std::mem::MaybeUninit::<libc::stat>::uninit();
        // SAFETY: a descriptor we own and room for the result, which is
        // read only when the call succeeded.
        if unsafe { libc::fstat(fd.as_raw_fd(), st.as_mut_ptr()) } != 0 {
            return Err(io::Error::last_os_error());
        }
        // SAFETY: fstat succeeded, so it filled the struct.
        Ok(unsafe { st.assume_init() })
    }
}

#[cfg(not(unix))]
mod imp {
    use std::ffi::OsStr;
    use std::fs::{self, File};
    use std::io;
    use std::path::{Path, PathBuf};
    use std::time::{Duration, Instant};

    /// How long a rename waits for readers to close the file it replaces.
    pub const REPLACE_PATIENCE: Duration = Duration::from_secs(3);

    /// `ERROR_ACCESS_DENIED` (the target is open: legacy rename semantics)
    /// or `ERROR_SHARING_VIOLATION` (a handle on it does not share delete).
    pub(super) fn held_open(e: &io::Error) -> bool {
        matches!(e.raw_os_error(), Some(5 | 32))
    }

    /// A directory, by path: no directory handles here.
    #[derive(Debug)]
    pub struct Dir {
        path: PathBuf,
    }

    impl Dir {
        /// The directory at `path`, which must be one.
        pub fn open(path: &Path) -> io::Result<Self> {
            if !fs::metadata(path)?.is_dir() {
                return Err(io::Error::other("it is not a directory"));
            }
            Ok(Self {
                path: path.to_path_buf(),
            })
        }

        pub(super) fn mode_of(&self, name: &OsStr) -> Option<fs::Permissions> {
            fs::metadata(self.path.join(name))
                .ok()
                .map(|m| m.permissions())
        }

        pub(super) fn create_new(&self, name: &OsStr, _: super::Mode) -> io::Result<File> {
            fs::OpenOptions::new()
                .write(true)
                .create_new(true)
                .open(self.path.join(name))
        }

        /// Windows refuses to replace a file another process has open
        /// unless every handle on it shares delete and the volume has POSIX
        /// rename semantics (NTFS on Windows 10 1607 and later, which std
        /// asks for). A reader not sharing delete (the C runtime's `fopen`,
        /// Python's `open`), a FAT or network volume, or Wine refuse it
        /// while the file is open; readers hold these small files for
        /// moments, so the rename is retried for [`REPLACE_PATIENCE`].
        pub(super) fn rename(&self, from: &OsStr, to: &OsStr) -> io::Result<()> {
            let (from, to) = (self.path.join(from), self.path.join(to));
            let started = Instant::now();
            let mut pause = Duration::from_millis(1);
            loop {
                match fs::rename(&from, &to) {
                    Err(e) if held_open(&e) && started.elapsed() < REPLACE_PATIENCE => {
                        std::thread::sleep(pause);
                        pause = (pause * 2).min(Duration::from_millis(50));
                    }
                    result => return result,
                }
            }
        }

        pub(super) fn unlink(&self, name: &OsStr) -> io::Result<()> {
            fs::remove_file(self.path.join(name))
        }

        /// Directories cannot be flushed here; the file was.
        pub(super) fn sync(&self) {}
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn names(dir: &Path) -> Vec<String> {
        let mut v: Vec<String> = std::fs::read_dir(dir)
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .collect();
        v.sort();
        v
    }

    #[test]
    fn replaces_and_leaves_no_temporary_file() {
        let tmp = tempfile::tempdir().unwrap();
        let path = tmp.path().join("f");
        replace(&path, b"one", How::PRIVATE).unwrap();
        replace(&path, b"two", How::PRIVATE).unwrap();
        assert_eq!(std::fs::read(&path).unwrap(), b"two");
        assert_eq!(names(tmp.path()), ["f"]);
    }

    /// A failed rename (a directory at the target) keeps what was there
    /// and removes the temporary file.
    #[test]
    fn a_failure_removes_the_temporary_file() {
        let tmp = tempfile::tempdir().unwrap();
        let path = tmp.path().join("d");
        std::fs::create_dir(&path).unwrap();
        std::fs::write(path.join("x"), "keep").unwrap();
        assert!(replace(&path, b"new", How::PRIVATE).is_err());
        assert_eq!(names(tmp.path()), ["d"]);
        assert_eq!(std::fs::read(path.join("x")).unwrap(), b"keep");
        // Dropped uncommitted: gone too.
        let dir = Dir::open(tmp.path()).unwrap();
        let mut t = Temp::new(&dir, OsStr::new("f"), Mode::Private).unwrap();
        t.write_all(b"half").unwrap();
        assert_eq!(names(tmp.path()).len(), 2);
        drop(t);
        assert_eq!(names(tmp.path()), ["d"]);
    }

    #[cfg(unix)]
    #[test]
    fn modes_and_links_as_asked() {
        use std::os::unix::fs::PermissionsExt;
        let tmp = tempfile::tempdir().unwrap();
        let mode = |p: &Path| std::fs::metadata(p).unwrap().permissions().mode() & 0o7777;

        // Private: 0600 even over a file that was readable by all.
        let token = tmp.path().join("token");
        std::fs::write(&token, "old").unwrap();
        std::fs::set_permissions(&token, std::fs::Permissions::from_mode(0o644)).unwrap();
        replace(&token, b"new", How::PRIVATE).unwrap();
        assert_eq!(mode(&token), 0o600);

        // Keep, through a link: the target's mode stays, the link stays.
        let real = tmp.path().join("real.toml");
        std::fs::write(&real, "old").unwrap();
        std::fs::set_permissions(&real, std::fs::Permissions::from_mode(0o640)).unwrap();
        let link = tmp.path().join("config.toml");
        std::os::unix::fs::symlink(&real, &link).unwrap();
        let config = How {
            mode: Mode::Keep,
            links: Links::Follow,
            durable: true,
        };
        replace(&link, b"new", config).unwrap();
        assert!(
            std::fs::symlink_metadata(&link)
                .unwrap()
                .file_type()
                .is_symlink()
        );
        assert_eq!(std::fs::read(&real).unwrap(), b"new");
        assert_eq!(mode(&real), 0o640);

        // Replace: the link itself goes, its target is untouched.
        let victim = tmp.path().join("victim");
        std::fs::write(&victim, "keep").unwrap();
        let planted = tmp.path().join("planted");
        std::os::unix::fs::symlink(&victim, &planted).unwrap();
        replace(&planted, b"mine", How::PRIVATE).unwrap();
        assert_eq!(std::fs::read(&victim).unwrap(), b"keep");
        assert!(std::fs::symlink_metadata(&planted).unwrap().is_file());
        assert_eq!(std::fs::read(&planted).unwrap(), b"mine");
    }
}

/// A reader holding the target open while it is replaced (Windows).
#[cfg(all(test, windows))]
mod windows_tests {
    use super::imp::{REPLACE_PATIENCE, held_open};
    use super::*;
    use std::fs::OpenOptions;
    use std::os::windows::fs::OpenOptionsExt;
    use std::time::{Duration, Instant};

    const FILE_SHARE_READ: u32 = 1;
    const FILE_SHARE_WRITE: u32 = 2;

    /// `token` held open by `reader` for `held` while it is replaced: what
    /// it holds after, and how long the replace took.
    fn replace_while_held(
        reader: &mut OpenOptions,
        held: Duration,
    ) -> (io::Result<String>, Duration) {
        let tmp = tempfile::tempdir().unwrap();
        let target = tmp.path().join("token");
        std::fs::write(&target, "old").unwrap();
        let file = reader.read(true).open(&target).unwrap();
        let closer = std::thread::spawn(move || {
            std::thread::sleep(held);
            drop(file);
        });
        let started = Instant::now();
        let result = replace(&target, b"new", How::PRIVATE);
        let took = started.elapsed();
        closer.join().unwrap();
        (
            result.map(|()| std::fs::read_to_string(&target).unwrap()),
            took,
        )
    }

    /// A reader as tokenctl opens a file (std shares read, write and delete).
    #[test]
    fn a_reader_sharing_delete_does_not_make_the_replace_fail() {
        let (got, _) = replace_while_held(&mut OpenOptions::new(), Duration::from_millis(300));
        assert_eq!(got.unwrap(), "new");
    }

    /// A reader as the C runtime's `fopen` or Python's `open` opens a file:
    /// no FILE_SHARE_DELETE, so no Windows lets the file be replaced while
    /// it is open.
    #[test]
    fn a_reader_not_sharing_delete_is_waited_for() {
        let (got, _) = replace_while_held(
            OpenOptions::new().share_mode(FILE_SHARE_READ | FILE_SHARE_WRITE),
            Duration::from_millis(300),
        );
        assert_eq!(got.unwrap(), "new");
    }

    #[test]
    fn a_file_held_open_too_long_is_an_error() {
        let (got, took) = replace_while_held(
            OpenOptions::new().share_mode(FILE_SHARE_READ | FILE_SHARE_WRITE),
            REPLACE_PATIENCE + Duration::from_secs(2),
        );
        let err = got.unwrap_err();
        assert!(held_open(&err), "{err:?}");
        assert!(took >= REPLACE_PATIENCE, "gave up after {took:?}");
    }
}
