//! What one build keeps for the next, and how it is keyed.
//!
//! On disk, in `.esiin-cache/` (a cache: deleting it is always safe):
//! photo thumbnails (`render::images::ThumbCache`), poster PNGs
//! (`render::poster::PngCache`), the last search index
//! (`search::cache`) and the last build's highlighted code blocks
//! (`render::highlight_cache`, one checked file). Each entry is one file
//! named by a key of everything
//! it was made from, written through [`write_atomic`], so a reader (another
//! thread, a parallel build, the next build after a crash) never finds half
//! a file under its final name.
//!
//! In memory, between the rebuilds of `serve`: [`Memo`] (values made from
//! files, by the files' stamps) and the incremental engine's maps in
//! `pipeline::incremental`.
//!
//! Keys are hashes of `#[derive(Hash)]` values by a [`hasher`] (XXH3): its
//! output is specified, so a key is the same in every run of the same
//! binary (std's `RandomState` is seeded per process, and `Debug` text is
//! neither meant to be stable nor cheap to build).

use std::collections::HashMap;
use std::io;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, SystemTime};

pub use xxhash_rust::xxh3::Xxh3 as StableHasher;

/// A hasher whose output is the same in every run: for keys of entries
/// that outlive the process, and for keys built up field by field.
pub(crate) fn hasher() -> StableHasher {
    StableHasher::new()
}

/// Writes `bytes` as the entry `name` of the cache folder `dir` (made if
/// missing): into a temporary file beside it first, then renamed into
/// place. The temporary name holds the process id and a counter, so that
/// threads and processes writing the same entry at once never share one;
/// a failed write leaves no temporary file behind. Callers treat an error
/// as "not cached": a read-only checkout or a full disk makes the next
/// build slower, never wrong.
pub(crate) fn write_atomic(dir: &Path, name: &str, bytes: &[u8]) -> io::Result<()> {
    /// Tells apart the temporary files of the threads of one process.
    static NEXT: AtomicU64 = AtomicU64::new(0);
    std::fs::create_dir_all(dir)?;
    let tmp = dir.join(format!(
        ".{name}.{}-{}.tmp",
        std::process::id(),
        NEXT.fetch_add(1, Ordering::Relaxed)
    ));
    let written = std::fs::write(&tmp, bytes).and_then(|()| std::fs::rename(&tmp, dir.join(name)));
    if written.is_err() {
        let _ = std::fs::remove_file(&tmp);
    }
    written
}

/// A file modified this close to the moment it was read may have changed
/// again within the same tick of the file system's clock, keeping its
/// modification time and (same-length edit) its size: such a file is read
/// again rather than trusted (git's "racy" check). Coarse clocks (some
/// network and VM mounts, HFS+) tick in seconds.
const RACY: Duration = Duration::from_secs(2);

/// A file's modification time and size: what the cache compares.
pub(crate) type Stamp = (SystemTime, u64);

/// Whether a file modified at `mtime` and read at `read_at` had settled:
/// modified long enough before the read ([`RACY`]) that a later change
/// cannot share its timestamp. A file that had not settled is read again
/// even when its stamp looks the same (git's "racy clean" rule).
fn settled(mtime: SystemTime, read_at: SystemTime) -> bool {
    read_at.duration_since(mtime).is_ok_and(|age| age > RACY)
}

/// Values made from files, kept between builds (`serve`) by each file's
/// stamp: a file whose stamp is the one its value was made at, and that
/// had [`settled`] then, is not read again.
pub(crate) struct Memo<T> {
    map: HashMap<PathBuf, (Stamp, bool, T)>,
}

impl<T> Default for Memo<T> {
    fn default() -> Self {
        Memo {
            map: HashMap::new(),
        }
    }
}

impl<T: Clone> Memo<T> {
    /// The value kept for `path`, if `now` (its stamp) is the one it was
    /// made at.
    pub(crate) fn get(&self, path: &Path, now: Option<Stamp>) -> Option<T> {
        let (then, settled, value) = self.map.get(path)?;
        (now == Some(*then) && *settled).then(|| value.clone())
    }

    /// Keeps exactly `made` for the next build: each file's path, its
    /// stamp taken before it was read, and its value; `read_at` is when
    /// the reading started.
    pub(crate) fn replace(
        &mut self,
        made: impl IntoIterator<Item = (PathBuf, Stamp, T)>,
        read_at: SystemTime,
    ) {
        self.map = made
            .into_iter()
            .map(|(path, stamp, value)| (path, (stamp, settled(stamp.0, read_at), value)))
            .collect();
    }

    /// The value kept for `path` without looking at the file, if it had
    /// settled when it was made: for a caller that knows the file has not
    /// been written since (`serve`, told by the watcher which files were).
    pub(crate) fn settled(&self, path: &Path) -> Option<T> {
        let (_, settled, value) = self.map.get(path)?;
        settled.then(|| value.clone())
    }

    /// Keeps `value` for `path`, made from the file at `stamp` (taken
    /// before it was read, which started at `read_at`), the other entries
    /// as they are: [`Memo::replace`] for one file.
    pub(crate) fn update(
        &mut self,
        path: PathBuf,
        stamp: Option<Stamp>,
        value: T,
        read_at: SystemTime,
    ) {
        match stamp {
            Some(stamp) => {
                self.map
                    .insert(path, (stamp, settled(stamp.0, read_at), value));
            }
            None => {
                self.map.remove(&path);
            }
        }
    }
}

/// The stamp of the file at `path`, if it can be read.
pub(crate) fn stamp(path: &Path) -> Option<Stamp> {
    let meta = std::fs::metadata(path).ok()?;
    Some((meta.modified().ok()?, meta.len()))
}

#[cfg(test)]
mod tests {
    use std::hash::{Hash, Hasher};

    use super::*;

    /// The stable key of `value`, as the caches build theirs (field by
    /// field into a [`hasher`]).
    fn key<T: Hash + ?Sized>(value: &T) -> u64 {
        let mut h = hasher();
        value.hash(&mut h);
        h.finish()
    }

    #[test]
    fn an_entry_is_written_whole_and_leaves_no_temporary_file() {
        let dir = tempfile::tempdir().expect("a temp dir");
        let sub = dir.path().join("made");
        write_atomic(&sub, "a.bin", b"first").expect("written");
        write_atomic(&sub, "a.bin", b"second").expect("replaced");
        assert_eq!(std::fs::read(sub.join("a.bin")).expect("read"), b"second");
        assert_eq!(std::fs::read_dir(&sub).expect("listed").count(), 1);
    }

    #[test]
    fn keys_are_stable() {
        #[derive(Hash)]
        struct K<'a> {
            name: &'a str,
            size: u32,
        }
        let k = K { name: "a", size: 1 };
        assert_eq!(key(&k), key(&K { name: "a", size: 1 }));
        assert_ne!(key(&k), key(&K { name: "a", size: 2 }));
    }
}
