//! The search job of a build: the records of its searchable pages, turned
//! into the index by [`SearchJob::run`], read back from `search::cache`
//! when the same records were indexed before.
//!
//! `esiin build` runs it on a thread of its own while the pages render;
//! `serve` runs it after the pages are published, off the edit loop.

use std::path::{Path, PathBuf};
use std::sync::Arc;

use crate::diag::Diagnostic;

/// The search index of a build, to be built by [`SearchJob::run`]. It takes
/// seconds on a large handbook (the index builder starts from scratch), so
/// `serve` runs it after the pages are served rather than in the editor's
/// loop; the records are what it depends on, so the same records need no
/// new index, in this process or the next (`search::cache`).
#[derive(Debug)]
pub struct SearchJob {
    pub records: Vec<Arc<super::Record>>,
    pub language: &'static str,
    /// `.esiin-cache/search/`: the last index built, and where the index
    /// builder lays out its documents.
    pub cache_dir: PathBuf,
    /// Store the index built in `cache_dir` for the next build.
    pub write_cache: bool,
    /// [`SearchJob::fingerprint`], hashed once: `serve` asks for it before
    /// it runs the job, and the run looks the cache up by it.
    fingerprint: std::sync::OnceLock<u64>,
}

/// The version of the index builder, which is part of every index's
/// fingerprint (`Cargo.lock` pins it; a unit test keeps the two equal).
const PAGEFIND_VERSION: &str = "1.6.0";

impl SearchJob {
    /// The job of indexing `records` in `language`, with the cache in
    /// `cache_dir` (written only with `write_cache`).
    pub(crate) fn new(
        records: Vec<Arc<super::Record>>,
        language: &'static str,
        cache_dir: PathBuf,
        write_cache: bool,
    ) -> SearchJob {
        SearchJob {
            records,
            language,
            cache_dir,
            write_cache,
            fingerprint: std::sync::OnceLock::new(),
        }
    }

    /// A fingerprint of the index this job builds: the records, the
    /// language and the versions of esiin and of the index builder.
    pub(crate) fn fingerprint(&self) -> u64 {
        *self.fingerprint.get_or_init(|| {
            use std::hash::{Hash, Hasher};
            let mut h = crate::cache::hasher();
            env!("CARGO_PKG_VERSION").hash(&mut h);
            PAGEFIND_VERSION.hash(&mut h);
            // What `bundle` makes of the records beyond Pagefind (the form
            // keys): an index of an older layout is never read back.
            "forms-1".hash(&mut h);
            self.language.hash(&mut h);
            super::fingerprint(&self.records).hash(&mut h);
            h.finish()
        })
    }

    /// The index: its files, as paths under the output root. Read back
    /// from the cache when the last index built had the same fingerprint.
    pub(crate) fn run(&self) -> Result<Vec<(String, Vec<u8>)>, Diagnostic> {
        let key = self.fingerprint();
        if let Some(files) = super::cache::read(&self.cache_dir, key) {
            return Ok(files);
        }
        // The documents go beside the cache; where the cache is not to be
        // written, or cannot be (a read-only checkout), into the system's
        // temporary folder.
        let work = if self.write_cache && writable(&self.cache_dir) {
            self.cache_dir.clone()
        } else {
            std::env::temp_dir()
        };
        let files = super::bundle(&self.records, self.language, &work)?;
        if self.write_cache {
            super::cache::write(&self.cache_dir, key, &files);
        }
        Ok(files)
    }
}

/// Whether files can be made in `dir` (made if missing): tried, since
/// permissions alone do not tell (a read-only mount, a full disk).
fn writable(dir: &Path) -> bool {
    let probe = dir.join(format!(".probe-{}", std::process::id()));
    let made = std::fs::create_dir_all(dir).is_ok() && std::fs::write(&probe, b"").is_ok();
    let _ = std::fs::remove_file(&probe);
    made
}

#[cfg(test)]
mod tests {
    #[test]
    fn the_index_builder_version_in_fingerprints_is_the_locked_one() {
        let lock = include_str!("../../Cargo.lock");
        let locked = lock
            .split("[[package]]")
            .find(|p| p.contains("\nname = \"pagefind\"\n"))
            .and_then(|p| p.split("\nversion = \"").nth(1))
            .and_then(|v| v.split('"').next());
        assert_eq!(
            locked,
            Some(super::PAGEFIND_VERSION),
            "update PAGEFIND_VERSION with the pagefind crate"
        );
    }
}
