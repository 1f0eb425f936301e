//! The last search index built, kept in `.esiin-cache/search/` under the
//! fingerprint of everything it was built from.
//!
//! Pagefind starts every index from scratch, and on a large handbook that
//! is most of a build's time; but most builds change nothing searchable (a
//! theme or template edit, a photo, `handbook.yaml`'s title, a rebuild of
//! the same commit, `serve` started on what was last built). Those read
//! the index back instead: one file, checked whole before it is used.
//!
//! The file: a magic line, then each entry as a little-endian `u32` name
//! length, the name, a `u32` length and the bytes, and last an XXH3-64 of
//! all that precedes it. Anything that does not check out is ignored and
//! the index is built again; a cache can make a build slower, never wrong.

use std::path::{Path, PathBuf};

use xxhash_rust::xxh3::xxh3_64;

use super::DIR;

const MAGIC: &[u8] = b"esiin search index 1\n";
const SUFFIX: &str = ".index";
/// The index builder's working folders (`bundle::Documents`), beside the
/// cache.
pub(crate) const WORK_PREFIX: &str = "index-";
/// A working folder this old belongs to a run that was killed: no index
/// takes an hour to build.
const ABANDONED: std::time::Duration = std::time::Duration::from_secs(3600);

fn name(key: u64) -> String {
    format!("{key:016x}{SUFFIX}")
}

fn file(dir: &Path, key: u64) -> PathBuf {
    dir.join(name(key))
}

/// The files of the index stored under `key`, if there is one and it is
/// whole.
pub(crate) fn read(dir: &Path, key: u64) -> Option<Vec<(String, Vec<u8>)>> {
    decode(&std::fs::read(file(dir, key)).ok()?)
}

/// Stores `files` under `key` and removes every other index (only the last
/// one is worth keeping) and abandoned working folders. Best effort, like
/// every cache: a failure costs the next build time, not correctness.
pub(crate) fn write(dir: &Path, key: u64, files: &[(String, Vec<u8>)]) {
    let path = file(dir, key);
    // Written beside, then renamed over: a reader never sees half a file.
    if crate::cache::write_atomic(dir, &name(key), &encode(files)).is_err() {
        return;
    }
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for entry in entries.flatten() {
        let name = entry.file_name();
        let Some(name) = name.to_str() else { continue };
        if name.ends_with(SUFFIX) && entry.path() != path {
            let _ = std::fs::remove_file(entry.path());
        } else if name.starts_with(WORK_PREFIX) && abandoned(&entry) {
            let _ = std::fs::remove_dir_all(entry.path());
        }
    }
}

fn abandoned(entry: &std::fs::DirEntry) -> bool {
    entry
        .metadata()
        .and_then(|m| m.modified())
        .ok()
        .and_then(|t| t.elapsed().ok())
        .is_some_and(|age| age > ABANDONED)
}

fn encode(files: &[(String, Vec<u8>)]) -> Vec<u8> {
    let size: usize = files.iter().map(|(n, b)| 8 + n.len() + b.len()).sum();
    let mut out = Vec::with_capacity(MAGIC.len() + size + 8);
    out.extend_from_slice(MAGIC);
    for (name, bytes) in files {
        for part in [name.as_bytes(), bytes.as_slice()] {
            // An index file is never near 4 GiB: Pagefind splits its index
            // into chunks of kilobytes.
            let len = u32::try_from(part.len()).unwrap_or(u32::MAX);
            out.extend_from_slice(&len.to_le_bytes());
            out.extend_from_slice(part);
        }
    }
    let sum = xxh3_64(&out);
    out.extend_from_slice(&sum.to_le_bytes());
    out
}

fn decode(data: &[u8]) -> Option<Vec<(String, Vec<u8>)>> {
    let (body, sum) = data.split_at_checked(data.len().checked_sub(8)?)?;
    if xxh3_64(body).to_le_bytes() != sum {
        return None;
    }
    let mut rest = body.strip_prefix(MAGIC)?;
    let mut take = || -> Option<&[u8]> {
        let (len, tail) = rest.split_first_chunk::<4>()?;
        let (part, tail) = tail.split_at_checked(u32::from_le_bytes(*len) as usize)?;
        rest = tail;
        Some(part)
    };
    let mut files = Vec::new();
    while let Some(name) = take() {
        let name = std::str::from_utf8(name).ok()?;
        // Only ever files under `search/`, written by `encode`.
        if !name.starts_with(DIR) || name.contains("..") {
            return None;
        }
        files.push((name.to_string(), take()?.to_vec()));
    }
    Some(files)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn files() -> Vec<(String, Vec<u8>)> {
        vec![
            ("search/pagefind.js".into(), b"js".to_vec()),
            ("search/fragment/a.pf_fragment".into(), vec![0, 1, 2, 255]),
            ("search/empty".into(), Vec::new()),
        ]
    }

    #[test]
    fn what_is_written_reads_back_and_replaces_the_last_index() {
        let dir = tempfile::tempdir().expect("a temp dir");
        write(dir.path(), 1, &files());
        assert_eq!(read(dir.path(), 1), Some(files()));
        write(dir.path(), 2, &files()[..1]);
        assert_eq!(read(dir.path(), 1), None, "the older index is removed");
        assert_eq!(read(dir.path(), 2).as_deref(), Some(&files()[..1]));
        assert_eq!(std::fs::read_dir(dir.path()).expect("listed").count(), 1);
    }

    #[test]
    fn working_folders_of_killed_runs_are_removed_and_running_ones_kept() {
        let dir = tempfile::tempdir().expect("a temp dir");
        let old = dir.path().join(format!("{WORK_PREFIX}99-0"));
        let fresh = dir.path().join(format!("{WORK_PREFIX}99-1"));
        for d in [&old, &fresh] {
            std::fs::create_dir_all(d.join("0")).expect("made");
        }
        let two_hours_ago = std::time::SystemTime::now() - 2 * ABANDONED;
        std::fs::File::open(&old)
            .and_then(|f| f.set_modified(two_hours_ago))
            .expect("dated");
        write(dir.path(), 1, &files());
        assert!(!old.exists());
        assert!(fresh.exists());
    }

    #[test]
    fn a_damaged_or_foreign_file_is_ignored() {
        let good = encode(&files());
        assert_eq!(decode(&good), Some(files()));
        for cut in [0, 1, MAGIC.len(), good.len() / 2, good.len() - 1] {
            assert_eq!(decode(&good[..cut]), None, "cut at {cut}");
        }
        let mut flipped = good.clone();
        flipped[MAGIC.len() + 6] ^= 1;
        assert_eq!(decode(&flipped), None);
        // A well-formed file naming a path outside `search/`.
        let outside = encode(&[("../../etc/x".into(), vec![1])]);
        assert_eq!(decode(&outside), None);
    }
}
