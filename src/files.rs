//! What may be read from a handbook's folders: the one rule every walker
//! (`content/`, `static/`, `templates/`, `themes/NAME/`) applies to each
//! entry, so that `build`, `check` and `serve` refuse exactly the same
//! ones.
//!
//! Only regular files and folders inside the handbook root are read. A
//! symlink is followed only when its target, canonicalised, stays inside
//! the root: otherwise `ln -s /etc/passwd content/p.txt` would publish
//! the server's files. Anything else (a named pipe, a device, a socket)
//! is refused before it is opened: reading a FIFO blocks forever and
//! `/dev/zero` never ends. Files are opened without blocking and checked
//! again on the open handle, so an entry swapped for a FIFO after the walk
//! still cannot hang a build, and pages are read through a bounded reader,
//! so a file that grows while read cannot allocate past the limit.

use std::fs::FileType;
use std::io::Read;
use std::path::{Path, PathBuf};

use crate::diag::Diagnostic;

/// The largest page or template read, in bytes (8 MiB): far above any
/// hand-written page, far below what would strain a build's memory.
pub(crate) const READ_LIMIT: u64 = 8 * 1024 * 1024;

/// The handbook root as given (to show paths relative to it) and
/// canonicalised once (to judge symlink targets against).
#[derive(Debug, Clone)]
pub(crate) struct Fence {
    root: PathBuf,
    canonical: PathBuf,
}

/// A walked entry that may be read.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Class {
    Dir,
    File,
}

impl Fence {
    /// A root that cannot be canonicalised (it does not exist) is taken as
    /// given: its walks find nothing, so nothing is judged against it.
    pub(crate) fn new(root: &Path) -> Fence {
        let canonical = std::fs::canonicalize(root).unwrap_or_else(|_| root.to_path_buf());
        Fence {
            root: root.to_path_buf(),
            canonical,
        }
    }

    /// The root as given.
    pub(crate) fn root(&self) -> &Path {
        &self.root
    }

    /// The root with every symlink resolved: a path whose canonical form
    /// is this joined with the path as walked went through no link.
    pub(crate) fn canonical(&self) -> &Path {
        &self.canonical
    }

    fn shown(&self, path: &Path) -> PathBuf {
        crate::diag::display_path(&self.root, path)
    }

    /// Whether `entry` (from a walk that follows symlinks, so its type is
    /// its target's) may be read, or the error at its path.
    pub(crate) fn classify(&self, entry: &walkdir::DirEntry) -> Result<Class, Diagnostic> {
        let kind = entry.file_type();
        let link = entry.path_is_symlink();
        if !kind.is_dir() && !kind.is_file() {
            return Err(self.special(entry.path(), kind, link));
        }
        if link {
            self.check_target(entry.path(), kind.is_dir())?;
        }
        Ok(if kind.is_dir() {
            Class::Dir
        } else {
            Class::File
        })
    }

    /// The symlink at `path` must resolve inside the root. Only symlinks
    /// are resolved: an entry reached through folders the walk already
    /// judged is inside the root by construction.
    pub(crate) fn check_target(&self, path: &Path, is_dir: bool) -> Result<(), Diagnostic> {
        let target = std::fs::canonicalize(path).map_err(|e| {
            let d = if e.kind() == std::io::ErrorKind::NotFound {
                let to = std::fs::read_link(path).unwrap_or_default();
                Diagnostic::error(format!(
                    "symlink points to `{}`, which does not exist",
                    to.display()
                ))
                .hint("point the link at a file inside the handbook, or remove it")
            } else {
                Diagnostic::error(format!("cannot follow the symlink: {e}")).hint(
                    "make the link's target readable by the user running esiin, or remove the link",
                )
            };
            d.in_file(self.shown(path))
        })?;
        if target.starts_with(&self.canonical) {
            return Ok(());
        }
        let what = if is_dir { "folder" } else { "file" };
        Err(Diagnostic::error(format!(
            "symlink points outside the handbook (to {})",
            link_text(path, &target).display()
        ))
        .in_file(self.shown(path))
        .hint(format!(
            "copy the {what} into the handbook instead of linking to it"
        )))
    }

    fn special(&self, path: &Path, kind: FileType, link: bool) -> Diagnostic {
        let message = if link {
            let target = std::fs::canonicalize(path).unwrap_or_default();
            format!(
                "a link to {} ({}), not a regular file",
                kind_name(kind),
                link_text(path, &target).display()
            )
        } else {
            format!("{}, not a regular file", kind_name(kind))
        };
        Diagnostic::error(message)
            .in_file(self.shown(path))
            .hint(SPECIAL_HINT)
    }
}

const SPECIAL_HINT: &str =
    "only regular files and folders are read: replace it with a regular file, or remove it";

/// What a link names, as its author wrote it when that is an absolute path
/// (`/proc/self/environ`, recognisable), else where it resolves (a relative
/// `../../../etc/passwd` says less than `/etc/passwd`).
fn link_text(path: &Path, target: &Path) -> PathBuf {
    match std::fs::read_link(path) {
        Ok(written) if written.is_absolute() => written,
        _ => target.to_path_buf(),
    }
}

/// A file type that is neither a regular file nor a folder, in words.
fn kind_name(kind: FileType) -> &'static str {
    #[cfg(unix)]
    {
        use std::os::unix::fs::FileTypeExt;
        if kind.is_fifo() {
            return "a named pipe (FIFO)";
        }
        if kind.is_char_device() {
            return "a character device";
        }
        if kind.is_block_device() {
            return "a block device";
        }
        if kind.is_socket() {
            return "a socket";
        }
    }
    let _ = kind;
    "a special file"
}

/// Why a file could not be read.
#[derive(Debug)]
pub(crate) enum ReadError {
    Io(std::io::Error),
    /// Not a regular file once opened (it changed since the walk).
    Special(&'static str),
    /// Longer than the limit it was read with.
    TooLarge,
}

impl ReadError {
    /// The error at `shown`, a `what` (`page`, `template`) that was read.
    pub(crate) fn diagnostic(&self, shown: &Path, what: &str) -> Diagnostic {
        let d = match self {
            ReadError::Io(e) => Diagnostic::error(format!("cannot read the file: {e}"))
                .hint("make it readable by the user running esiin, or remove it"),
            ReadError::Special(kind) => {
                Diagnostic::error(format!("{kind}, not a regular file")).hint(SPECIAL_HINT)
            }
            ReadError::TooLarge => Diagnostic::error(format!(
                "the {what} is larger than {} MB, the limit",
                READ_LIMIT / (1024 * 1024)
            ))
            .hint(match what {
                "page" => "split it into several pages".to_string(),
                _ => format!("keep the {what} under the limit"),
            }),
        };
        d.in_file(shown)
    }
}

impl From<ReadError> for std::io::Error {
    fn from(e: ReadError) -> std::io::Error {
        match e {
            ReadError::Io(e) => e,
            ReadError::Special(kind) => {
                std::io::Error::other(format!("{kind}, not a regular file"))
            }
            ReadError::TooLarge => std::io::Error::other("larger than the limit"),
        }
    }
}

/// Reads the regular file at `path`, at most `limit` bytes (an error if
/// there are more). Opened without blocking, so a FIFO put in its place
/// is refused rather than waited on.
pub(crate) fn read_regular(path: &Path, limit: Option<u64>) -> Result<Vec<u8>, ReadError> {
    let (file, meta) = open_regular(path)?;
    let cap = limit.map_or(meta.len(), |l| meta.len().min(l + 1));
    let mut bytes = Vec::with_capacity(usize::try_from(cap).unwrap_or(0));
    match limit {
        Some(limit) => {
            file.take(limit + 1)
                .read_to_end(&mut bytes)
                .map_err(ReadError::Io)?;
            if bytes.len() as u64 > limit {
                return Err(ReadError::TooLarge);
            }
        }
        None => {
            let mut file = file;
            file.read_to_end(&mut bytes).map_err(ReadError::Io)?;
        }
    }
    Ok(bytes)
}

/// Opens the file at `path` for reading if it is a regular file, judged
/// on the open handle (not the path, which may have changed since it was
/// walked); with its metadata.
pub(crate) fn open_regular(path: &Path) -> Result<(std::fs::File, std::fs::Metadata), ReadError> {
    let file = open_nonblocking(path).map_err(ReadError::Io)?;
    let meta = file.metadata().map_err(ReadError::Io)?;
    if !meta.is_file() {
        return Err(ReadError::Special(kind_name(meta.file_type())));
    }
    Ok((file, meta))
}

fn open_nonblocking(path: &Path) -> std::io::Result<std::fs::File> {
    let mut options = std::fs::OpenOptions::new();
    options.read(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        // Opening a FIFO for reading blocks until a writer comes; with
        // O_NONBLOCK it returns at once. Regular files ignore the flag.
        options.custom_flags(libc::O_NONBLOCK);
    }
    options.open(path)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn temp(name: &str) -> PathBuf {
        let dir = std::env::temp_dir().join(format!("esiin-files-{}-{name}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).unwrap();
        dir
    }

    #[test]
    fn a_file_over_the_limit_is_refused_without_reading_it_whole() {
        let dir = temp("limit");
        let path = dir.join("big.md");
        std::fs::write(&path, b"12345").unwrap();
        assert_eq!(read_regular(&path, Some(5)).unwrap(), b"12345");
        assert!(matches!(
            read_regular(&path, Some(4)),
            Err(ReadError::TooLarge)
        ));
        assert_eq!(read_regular(&path, None).unwrap(), b"12345");
        std::fs::remove_dir_all(&dir).unwrap();
    }

    #[cfg(target_os = "linux")]
    #[test]
    fn a_device_is_refused_on_open() {
        assert!(matches!(
            read_regular(Path::new("/dev/zero"), Some(10)),
            Err(ReadError::Special("a character device"))
        ));
    }

    #[cfg(unix)]
    #[test]
    fn a_fifo_is_refused_without_waiting_for_a_writer() {
        let dir = temp("fifo");
        let path = dir.join("pipe.md");
        let made = std::process::Command::new("mkfifo")
            .arg(&path)
            .status()
            .unwrap();
        assert!(made.success());
        assert!(matches!(
            read_regular(&path, Some(10)),
            Err(ReadError::Special("a named pipe (FIFO)"))
        ));
        std::fs::remove_dir_all(&dir).unwrap();
    }
}
