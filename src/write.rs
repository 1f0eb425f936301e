//! Stage 4, *write*: the site goes to a fresh folder beside the output and
//! is swapped in only when complete, so a failed or interrupted build never
//! leaves a half-written site, and the previous output stays whole.
//!
//! Every path written is checked to stay inside that folder: page URLs,
//! aliases and asset names come from user input.

use std::collections::HashMap;
use std::ffi::OsStr;
use std::io;
use std::path::{Component, Path, PathBuf};
use std::sync::{Arc, Mutex};

/// Where a build puts its files: a staging folder on disk (`build`),
/// memory (`serve`), or nowhere (`check`). Shared by the threads that
/// render pages.
pub trait Sink: Sync {
    /// Writes `bytes` at `rel`, a `/`-separated path from user input that
    /// the sink must keep inside its folder.
    fn write(&self, rel: &str, bytes: &[u8]) -> io::Result<()>;

    /// Copies the file at `from` to `rel`.
    fn copy(&self, from: &Path, rel: &str) -> io::Result<()> {
        let bytes = crate::files::read_regular(from, None)?;
        self.write(rel, &bytes)
    }

    /// Writes bytes the caller keeps too (a page reused from the previous
    /// build): a sink in memory shares them instead of copying.
    fn write_shared(&self, rel: &str, bytes: &Arc<[u8]>) -> io::Result<()> {
        self.write(rel, bytes)
    }
    /// Whether what is written is thrown away (`check`): work whose only
    /// result is files, such as the search index, can be skipped.
    fn discards(&self) -> bool {
        false
    }
}

/// `rel` as a relative path of normal components only, or `None` if it
/// would climb out (`..`), be absolute after its leading `/`, or be empty.
pub fn safe_rel(rel: &str) -> Option<&Path> {
    let path = Path::new(rel.trim_start_matches('/'));
    let ok = path.components().next().is_some()
        && path.components().all(|c| matches!(c, Component::Normal(_)));
    ok.then_some(path)
}

fn outside(rel: &str) -> io::Error {
    io::Error::new(
        io::ErrorKind::InvalidInput,
        format!("`{rel}` is outside the output folder"),
    )
}

/// A sink that passes every write on to another and remembers its path:
/// what the build generated, for the static files and page assets to be
/// checked against before they are copied (one must never silently
/// replace a page).
pub(crate) struct Recording<'a> {
    inner: &'a dyn Sink,
    paths: Mutex<Vec<String>>,
}

impl<'a> Recording<'a> {
    pub(crate) fn new(inner: &'a dyn Sink) -> Self {
        Recording {
            inner,
            paths: Mutex::new(Vec::new()),
        }
    }

    /// The `/`-separated paths written so far (`plan/index.html`).
    pub(crate) fn paths(&self) -> std::collections::HashSet<String> {
        let paths = self.paths.lock().unwrap_or_else(|e| e.into_inner());
        paths.iter().cloned().collect()
    }

    fn record(&self, rel: &str) {
        if let Some(path) = safe_rel(rel) {
            let key: Vec<_> = path
                .components()
                .map(|c| c.as_os_str().to_string_lossy())
                .collect();
            let mut paths = self.paths.lock().unwrap_or_else(|e| e.into_inner());
            paths.push(key.join("/"));
        }
    }
}

impl Sink for Recording<'_> {
    fn write(&self, rel: &str, bytes: &[u8]) -> io::Result<()> {
        self.record(rel);
        self.inner.write(rel, bytes)
    }

    fn copy(&self, from: &Path, rel: &str) -> io::Result<()> {
        self.record(rel);
        self.inner.copy(from, rel)
    }

    fn write_shared(&self, rel: &str, bytes: &Arc<[u8]>) -> io::Result<()> {
        self.record(rel);
        self.inner.write_shared(rel, bytes)
    }

    fn discards(&self) -> bool {
        self.inner.discards()
    }
}

/// Copies the regular file `from` to `to` with its permissions, as
/// `fs::copy` does, but refuses what is no longer a regular file when it is
/// opened (a FIFO swapped in after the walk would block `fs::copy`).
fn copy_regular(from: &Path, to: &Path) -> io::Result<()> {
    let (mut src, meta) = crate::files::open_regular(from)?;
    let mut dst = std::fs::File::create(to)?;
    // `io::copy` between files uses the kernel's copy where it can.
    io::copy(&mut src, &mut dst)?;
    dst.set_permissions(meta.permissions())
}

/// Writes nothing: `esiin check`.
pub(crate) struct Discard;

impl Sink for Discard {
    fn write(&self, rel: &str, _: &[u8]) -> io::Result<()> {
        safe_rel(rel).map(|_| ()).ok_or_else(|| outside(rel))
    }

    fn copy(&self, _: &Path, rel: &str) -> io::Result<()> {
        self.write(rel, &[])
    }

    fn discards(&self) -> bool {
        true
    }
}

/// The site in memory, by `/`-separated path: what `serve` serves.
#[derive(Default)]
pub struct Memory {
    /// In the order written; a later write of a path wins. A list rather
    /// than a map under the lock: the parallel writers only push.
    files: Mutex<Vec<(String, Arc<[u8]>)>>,
}

impl Memory {
    pub fn into_files(self) -> HashMap<String, Arc<[u8]>> {
        self.files
            .into_inner()
            .unwrap_or_else(|e| e.into_inner())
            .into_iter()
            .collect()
    }
}

impl Sink for Memory {
    fn write(&self, rel: &str, bytes: &[u8]) -> io::Result<()> {
        self.write_shared(rel, &Arc::from(bytes))
    }

    fn write_shared(&self, rel: &str, bytes: &Arc<[u8]>) -> io::Result<()> {
        let path = safe_rel(rel).ok_or_else(|| outside(rel))?;
        let key = path.to_string_lossy().replace('\\', "/");
        let mut files = self.files.lock().unwrap_or_else(|e| e.into_inner());
        files.push((key, bytes.clone()));
        Ok(())
    }
}

/// The file every built output holds: `build` replaces only a folder that
/// has it (or an empty one), so an `--output` pointing at someone's
/// documents is refused instead of deleted.
pub const MARKER: &str = ".esiin-output";

/// What the marker says, for whoever finds it. The same in every build,
/// so that builds stay reproducible.
const MARKER_TEXT: &str = "This folder was written by esiin (esiin build), \
which replaces it whole on the next build.\n";

/// Whether `dir` may be replaced by a build: it holds the marker or
/// nothing at all. Anything else may be someone's files.
pub(crate) fn replaceable(dir: &Path) -> io::Result<bool> {
    let marked = std::fs::symlink_metadata(dir.join(MARKER)).is_ok_and(|m| m.is_file());
    Ok(marked || std::fs::read_dir(dir)?.next().is_none())
}

/// The staging folder's name for the output `name` and the process `pid`;
/// the output it replaces is moved to the same name with `.old` appended.
fn staging_name(name: &str, pid: u32) -> String {
    format!("{}{pid}", staging_prefix(name))
}

fn staging_prefix(name: &str) -> String {
    format!(".{name}.esiin-new-")
}

/// The process id in a staging or old-output name of the output `name`
/// (`.public.esiin-new-123`, `.public.esiin-new-123.old`).
fn staging_pid(name: &str, entry: &str) -> Option<u32> {
    let rest = entry.strip_prefix(&staging_prefix(name))?;
    let digits = rest.strip_suffix(".old").unwrap_or(rest);
    digits
        .bytes()
        .all(|b| b.is_ascii_digit())
        .then(|| digits.parse().ok())
        .flatten()
}

/// Whether the process `pid` may still be running. Only Linux answers
/// (`/proc/PID`); elsewhere, and where `/proc` is not mounted, every
/// process counts as running, so no build's folder is ever taken from it.
fn may_run(pid: u32) -> bool {
    if !cfg!(target_os = "linux") || !Path::new("/proc/self").exists() {
        return true;
    }
    pid == std::process::id() || Path::new("/proc").join(pid.to_string()).exists()
}

/// Removes the staging and old-output folders that builds of `name` in
/// `parent` left when they were killed: those of processes no longer
/// running. A folder of a running build, and anything that is not a plain
/// folder (a link), is left alone. Best effort: a folder that cannot be
/// removed stays for the next build.
fn remove_leftovers(parent: &Path, name: &str) {
    let Ok(entries) = std::fs::read_dir(parent) else {
        return;
    };
    for entry in entries.filter_map(Result::ok) {
        let file_name = entry.file_name();
        let Some(pid) = file_name.to_str().and_then(|n| staging_pid(name, n)) else {
            continue;
        };
        let is_dir = entry.file_type().is_ok_and(|t| t.is_dir());
        if is_dir && !may_run(pid) {
            let _ = std::fs::remove_dir_all(entry.path());
        }
    }
}

/// Removes what is at `path`, if anything: a folder with its contents, a
/// file, or a link (never what the link points to).
fn remove_any(path: &Path) -> io::Result<()> {
    match std::fs::symlink_metadata(path) {
        Ok(m) if m.is_dir() => std::fs::remove_dir_all(path),
        Ok(_) => std::fs::remove_file(path),
        Err(e) if e.kind() == io::ErrorKind::NotFound => Ok(()),
        Err(e) => Err(e),
    }
}

/// A folder being filled, to be swapped in for `target`.
pub(crate) struct Staging {
    pub dir: PathBuf,
    target: PathBuf,
}

impl Staging {
    pub(crate) fn new(target: &Path) -> io::Result<Staging> {
        let parent = target
            .parent()
            .filter(|p| !p.as_os_str().is_empty())
            .unwrap_or(Path::new("."));
        std::fs::create_dir_all(parent)?;
        let name = target
            .file_name()
            .map(OsStr::to_string_lossy)
            .unwrap_or("public".into());
        remove_leftovers(parent, &name);
        let dir = parent.join(staging_name(&name, std::process::id()));
        remove_any(&dir)?;
        std::fs::create_dir_all(&dir)?;
        Ok(Staging {
            dir,
            target: target.to_path_buf(),
        })
    }

    /// The path of `rel` (a `/`-separated path from user input) inside the
    /// staging folder, or `None` if it would leave it.
    pub(crate) fn path(&self, rel: &str) -> Option<PathBuf> {
        let rel = Path::new(rel.trim_start_matches('/'));
        if rel.components().any(|c| !matches!(c, Component::Normal(_))) {
            return None;
        }
        Some(self.dir.join(rel))
    }

    /// Marks the staging folder as esiin's and replaces the target with it.
    /// The old output is moved aside first and removed after the new one is
    /// in place.
    pub(crate) fn commit(self) -> io::Result<()> {
        std::fs::write(self.dir.join(MARKER), MARKER_TEXT)?;
        let old = self.dir.with_file_name(format!(
            "{}.old",
            self.dir
                .file_name()
                .map(|n| n.to_string_lossy().into_owned())
                .unwrap_or_default()
        ));
        // An old output of a process that had this one's id and was killed
        // mid-swap: renaming onto it would fail.
        remove_any(&old)?;
        let had_old = std::fs::symlink_metadata(&self.target).is_ok();
        if had_old {
            std::fs::rename(&self.target, &old)?;
        }
        if let Err(e) = std::fs::rename(&self.dir, &self.target) {
            if had_old {
                let _ = std::fs::rename(&old, &self.target);
            }
            return Err(e);
        }
        if had_old {
            let _ = std::fs::remove_dir_all(&old);
        }
        Ok(())
    }

    pub(crate) fn abort(self) {
        let _ = std::fs::remove_dir_all(&self.dir);
    }
}

impl Sink for Staging {
    fn write(&self, rel: &str, bytes: &[u8]) -> io::Result<()> {
        let path = self.path(rel).ok_or_else(|| outside(rel))?;
        if let Some(parent) = path.parent() {
            std::fs::create_dir_all(parent)?;
        }
        std::fs::write(path, bytes)
    }

    /// A copy, not a hard link: someone editing the output must never
    /// change a source.
    fn copy(&self, from: &Path, rel: &str) -> io::Result<()> {
        let path = self.path(rel).ok_or_else(|| outside(rel))?;
        if let Some(parent) = path.parent() {
            std::fs::create_dir_all(parent)?;
        }
        copy_regular(from, &path)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn memory_and_discard_refuse_paths_outside() {
        let m = Memory::default();
        assert!(m.write("a/index.html", b"x").is_ok());
        assert!(m.write("/b.css", b"y").is_ok());
        assert!(m.write("../x", b"z").is_err());
        assert!(Discard.write("a/../../x", b"").is_err());
        let files = m.into_files();
        assert_eq!(files.get("a/index.html").map(|b| &b[..]), Some(&b"x"[..]));
        assert!(files.contains_key("b.css"));
    }

    #[test]
    fn paths_cannot_leave_the_folder() {
        let tmp = std::env::temp_dir().join(format!("esiin-write-test-{}", std::process::id()));
        let s = Staging::new(&tmp.join("public")).unwrap();
        assert!(s.path("a/b/index.html").is_some());
        assert!(s.path("/a/index.html").is_some());
        assert!(s.path("../x").is_none());
        assert!(s.path("a/../../x").is_none());
        s.write("a/index.html", b"x").unwrap();
        s.commit().unwrap();
        assert!(tmp.join("public/a/index.html").exists());
        let s = Staging::new(&tmp.join("public")).unwrap();
        s.write("b.html", b"y").unwrap();
        s.commit().unwrap();
        assert!(!tmp.join("public/a/index.html").exists());
        assert!(tmp.join("public/b.html").exists());
        std::fs::remove_dir_all(&tmp).unwrap();
    }

    #[test]
    fn staging_names_give_their_process() {
        assert_eq!(staging_pid("public", ".public.esiin-new-42"), Some(42));
        assert_eq!(staging_pid("public", ".public.esiin-new-42.old"), Some(42));
        assert_eq!(staging_pid("public", ".public.esiin-new-"), None);
        assert_eq!(staging_pid("public", ".public.esiin-new-+4"), None);
        assert_eq!(staging_pid("public", ".public.esiin-new-4x"), None);
        assert_eq!(staging_pid("public", ".site.esiin-new-42"), None);
        assert_eq!(staging_pid("public", ".public.esiin-new-99999999999"), None);
    }

    #[test]
    fn leftovers_of_dead_builds_go_and_others_stay() {
        let tmp = std::env::temp_dir().join(format!("esiin-leftovers-{}", std::process::id()));
        let own = std::process::id();
        let dead = ".public.esiin-new-999999999";
        let kept = [
            format!(".public.esiin-new-{own}"),
            ".site.esiin-new-999999999".to_string(),
            "public".to_string(),
        ];
        for name in kept.iter().map(String::as_str).chain([dead, "x.old"]) {
            std::fs::create_dir_all(tmp.join(name).join("a")).unwrap();
        }
        std::fs::rename(tmp.join("x.old"), tmp.join(format!("{dead}.old"))).unwrap();
        remove_leftovers(&tmp, "public");
        let left = |n: &str| tmp.join(n).exists();
        if cfg!(target_os = "linux") {
            assert!(!left(dead) && !left(&format!("{dead}.old")));
        }
        assert!(kept.iter().all(|n| left(n)));
        std::fs::remove_dir_all(&tmp).unwrap();
    }

    #[test]
    fn only_marked_or_empty_folders_are_replaceable() {
        let tmp = std::env::temp_dir().join(format!("esiin-marker-{}", std::process::id()));
        std::fs::create_dir_all(&tmp).unwrap();
        assert!(replaceable(&tmp).unwrap());
        std::fs::write(tmp.join("notes.txt"), b"mine").unwrap();
        assert!(!replaceable(&tmp).unwrap());
        std::fs::create_dir(tmp.join(MARKER)).unwrap();
        assert!(
            !replaceable(&tmp).unwrap(),
            "a folder named like the marker"
        );
        std::fs::remove_dir(tmp.join(MARKER)).unwrap();
        let s = Staging::new(&tmp.join("public")).unwrap();
        s.commit().unwrap();
        assert!(replaceable(&tmp.join("public")).unwrap());
        std::fs::remove_dir_all(&tmp).unwrap();
    }

    #[cfg(unix)]
    #[test]
    fn a_copy_refuses_a_fifo_put_in_place_of_a_file() {
        use std::os::unix::fs::PermissionsExt;
        let tmp = std::env::temp_dir().join(format!("esiin-copy-test-{}", std::process::id()));
        std::fs::create_dir_all(&tmp).unwrap();
        let file = tmp.join("a.txt");
        std::fs::write(&file, b"bytes").unwrap();
        std::fs::set_permissions(&file, std::fs::Permissions::from_mode(0o640)).unwrap();
        copy_regular(&file, &tmp.join("b.txt")).unwrap();
        assert_eq!(std::fs::read(tmp.join("b.txt")).unwrap(), b"bytes");
        let mode = std::fs::metadata(tmp.join("b.txt"))
            .unwrap()
            .permissions()
            .mode();
        assert_eq!(mode & 0o777, 0o640, "permissions kept, as fs::copy does");
        let fifo = tmp.join("p.txt");
        let made = std::process::Command::new("mkfifo")
            .arg(&fifo)
            .status()
            .unwrap();
        assert!(made.success());
        // `fs::copy` would block until a writer opened the pipe: on a
        // thread, so that a regression fails the test instead of hanging it.
        let (tx, rx) = std::sync::mpsc::channel();
        let (from, to) = (fifo.clone(), tmp.join("c.txt"));
        std::thread::spawn(move || {
            let staged = copy_regular(&from, &to).is_err();
            let _ = tx.send(staged && Memory::default().copy(&from, "c.txt").is_err());
        });
        let refused = rx.recv_timeout(std::time::Duration::from_secs(10));
        assert_eq!(refused, Ok(true), "both copies refuse the pipe at once");
        std::fs::remove_dir_all(&tmp).unwrap();
    }
}
