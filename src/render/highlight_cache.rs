//! Highlighted code blocks kept between builds, in
//! `.esiin-cache/highlight/blocks.bin`.
//!
//! Highlighting is most of the Markdown stage of a handbook with code
//! (about 27 µs a line, see `docs/performance.md`), yet a block's HTML
//! depends only on its language and its text (and on the grammars and
//! esiin that made it): most builds highlight exactly the blocks the last
//! one did. So each block's HTML is kept under a key of all of that
//! ([`key`]), the file is read once when the first block is met (a
//! handbook without code never reads it), and after a successful build it
//! holds exactly the blocks that build used: what is no longer used is
//! dropped, so the file never grows beyond the handbook's own code.
//!
//! A one-off build holds each block once, in the body that uses it: a
//! block of the last build leaves the cache's memory when used, a new one
//! is written into the new file when made, and the new file copies the
//! last build's blocks from the old one, entry by entry.
//!
//! `serve` keeps one [`Highlights`] for its whole run (in the pipeline's
//! `Cache`): the file is read by the first build only, later builds find
//! the last build's entries in memory, and the file is written again only
//! when the set of blocks changed.
//!
//! The file: a magic line, then each entry as its key (a little-endian
//! `u128`), a `u32` length and the HTML, and last an XXH3-64 of all that
//! precedes it. A file that does not check out whole is ignored (every
//! block is highlighted again): a cache can make a build slower, never
//! wrong.

use std::collections::{HashMap, HashSet};
use std::hash::Hash;
use std::io::{self, Write};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex, OnceLock};

use xxhash_rust::xxh3::{Xxh3, xxh3_64};

/// A block's key: see [`key`]. 128 bits, so that two blocks of a
/// handbook never share one by chance.
pub(crate) type Key = u128;

const MAGIC: &[u8] = b"esiin highlighted blocks 1\n";
const FILE: &str = "blocks.bin";

/// The HTML of a block is kept only up to this size (about 1,800 lines of
/// code at the ~550 bytes a highlighted line takes). The file is read
/// whole into memory by every build, so one pasted log or data dump would
/// cost every later build its size in time and memory; such a block is
/// highlighted again instead.
const MAX_ENTRY: usize = 1 << 20;

/// The file holds at most this much HTML: the blocks first used (in page
/// order) up to it. The heavy 10,000-page handbook of issue #15 needs
/// 84 MB; past four times that, reading the file (and holding it during
/// the Markdown stage) would cost more memory than the highlighting saves
/// time.
const MAX_TOTAL: usize = 320 << 20;

/// What a block's highlighted HTML depends on besides its language and
/// text (and the class prefix): esiin (which writes the HTML) and the versions of syntect and
/// two-face (the grammars), read from `Cargo.lock` by `build.rs`. A
/// dependency update changes every key, so no block highlighted by other
/// grammars is ever reused.
const IDENTITY: &str = concat!(
    env!("CARGO_PKG_VERSION"),
    " syntect ",
    env!("ESIIN_SYNTECT_VERSION"),
    " two-face ",
    env!("ESIIN_TWO_FACE_VERSION"),
);

/// The key of `code` highlighted as `lang`.
pub(crate) fn key(lang: &str, code: &str) -> Key {
    let mut h = Xxh3::new();
    (IDENTITY, super::highlight::CLASS_PREFIX, lang, code).hash(&mut h);
    h.digest128()
}

/// The highlighted blocks of the last build and of this one.
pub(crate) struct Highlights {
    dir: PathBuf,
    /// Whether the file may be written (`check` only reads it).
    write: bool,
    /// Whether a block of the last build leaves memory once used: in a
    /// one-off build its HTML is then held only by the body that used it,
    /// not twice, and a new file copies it from the old one on disk.
    once: bool,
    /// The last build's blocks: read from the file when the first block is
    /// looked up, or left in memory by the last build (`serve`).
    old: OnceLock<Old>,
    /// Blocks highlighted by this build that `old` did not have.
    fresh: Mutex<Fresh>,
    /// Whether a build kept in memory (`serve`) has written the file. Its
    /// later builds do not: a save that changes a code block would rewrite
    /// the whole file (84 MB on the heavy 10,000-page handbook of issue
    /// #15) inside the editor's loop. The blocks made since are highlighted
    /// again by the next one-off build, which writes the file.
    written: bool,
}

/// The blocks this build highlighted.
#[derive(Default)]
struct Fresh {
    /// Their HTML, kept in memory (`serve`).
    html: HashMap<Key, Arc<str>>,
    /// A one-off build's new file, begun at its first new block: each is
    /// written into it when made, so only its body holds it. `None` once
    /// writing failed.
    spill: Option<Option<Spill>>,
    /// The blocks written into `spill`, and their bytes.
    spilled: HashSet<Key>,
    total: usize,
}

/// A new file being written.
struct Spill {
    pending: Pending,
    out: Checked<io::BufWriter<std::fs::File>>,
}

/// The blocks of the last build.
#[derive(Default)]
struct Old {
    /// Each block's length, by key: what the file holds.
    lens: HashMap<Key, usize>,
    /// The blocks' HTML not yet taken (every block, unless `once`).
    html: Mutex<HashMap<Key, Arc<str>>>,
}

impl From<HashMap<Key, Arc<str>>> for Old {
    fn from(html: HashMap<Key, Arc<str>>) -> Old {
        Old {
            lens: html.iter().map(|(k, h)| (*k, h.len())).collect(),
            html: Mutex::new(html),
        }
    }
}

impl Highlights {
    /// The cache in `dir` (`.esiin-cache/highlight`), not read yet; `once`
    /// for a one-off build (see the field).
    pub(crate) fn new(dir: PathBuf, write: bool, once: bool) -> Highlights {
        Highlights {
            dir,
            write,
            once,
            old: OnceLock::new(),
            fresh: Mutex::new(Fresh::default()),
            written: false,
        }
    }

    /// Whether this is the cache of `dir`, writing as `write` says.
    pub(crate) fn is_for(&self, dir: &Path, write: bool) -> bool {
        self.dir == dir && self.write == write
    }

    /// `code` highlighted as `lang`, and the key it is kept under (`None`
    /// when too large to keep); `None` for a language syntect does not
    /// know.
    pub(crate) fn highlight(&self, code: &str, lang: &str) -> Option<(Option<Key>, Arc<str>)> {
        let key = key(lang, code);
        let old = self
            .old
            .get_or_init(|| Old::from(read(&self.dir.join(FILE))));
        if let Ok(mut html) = old.html.lock() {
            let hit = if self.once {
                html.remove(&key)
            } else {
                html.get(&key).cloned()
            };
            if let Some(html) = hit {
                return Some((Some(key), html));
            }
        }
        if let Ok(fresh) = self.fresh.lock()
            && let Some(html) = fresh.html.get(&key)
        {
            return Some((Some(key), html.clone()));
        }
        let html: Arc<str> = super::highlight::highlight(code, lang)?.into();
        if html.len() > MAX_ENTRY {
            return Some((None, html));
        }
        if let Ok(mut fresh) = self.fresh.lock() {
            match (self.once, self.write) {
                (false, _) => _ = fresh.html.insert(key, html.clone()),
                (true, true) => self.spill(&mut fresh, key, &html),
                // `check`: nothing is written, so nothing is kept.
                (true, false) => {}
            }
        }
        Some((Some(key), html))
    }

    /// Writes the new block `key` into this build's new file (begun if
    /// need be), up to [`MAX_TOTAL`].
    fn spill(&self, fresh: &mut Fresh, key: Key, html: &str) {
        if fresh.spilled.contains(&key) || fresh.total + html.len() > MAX_TOTAL {
            return;
        }
        let spill = fresh.spill.get_or_insert_with(|| self.begin());
        let written = spill
            .as_mut()
            .is_some_and(|s| encode_entry(&mut s.out, key, html).is_ok());
        if written {
            fresh.spilled.insert(key);
            fresh.total += html.len();
        } else {
            // Dropped: the temporary file goes with its guard.
            *spill = None;
        }
    }

    /// Keeps exactly the blocks of `used` (this build's, in page order),
    /// up to [`MAX_TOTAL`]: in memory when `in_memory` (`serve`), and, when
    /// they are not the set the file holds, in a new file written beside
    /// it, which [`Pending::commit`] puts in place once the build has
    /// succeeded.
    pub(crate) fn keep_only(
        &mut self,
        used: impl IntoIterator<Item = Key>,
        in_memory: bool,
    ) -> Option<Pending> {
        let loaded = self.old.get().is_some();
        let old = self.old.take().unwrap_or_default();
        let in_old = old.html.into_inner().ok()?;
        let Fresh {
            html: fresh,
            spill,
            spilled,
            total: spilled_bytes,
        } = std::mem::take(self.fresh.get_mut().ok()?);
        if let Some(spill) = spill {
            // A one-off build: its new blocks are on disk already.
            let used = used.into_iter().filter(|k| !spilled.contains(k));
            return finish_spill(spill?, &old.lens, used, spilled_bytes);
        }
        let (mut seen, mut total) = (HashSet::new(), 0);
        let (mut kept, mut on_disk) = (Vec::new(), HashSet::new());
        for key in used {
            let html = fresh.get(&key).or_else(|| in_old.get(&key));
            let Some(len) = html
                .map(|h| h.len())
                .or_else(|| old.lens.get(&key).copied())
            else {
                continue;
            };
            if seen.contains(&key) || total + len > MAX_TOTAL {
                continue;
            }
            seen.insert(key);
            total += len;
            match html {
                Some(html) => kept.push((key, html.clone())),
                // Taken by the body that used it (`once`).
                None => _ = on_disk.insert(key),
            }
        }
        let new = |k: &Key| !old.lens.contains_key(k);
        // Not loaded: no block was looked up, so the file (if any) holds
        // only blocks this build did not use.
        let changed = seen.iter().any(new) || seen.len() != old.lens.len() || !loaded;
        drop((in_old, fresh));
        let pending = if changed && self.write && !(in_memory && self.written) {
            self.written = in_memory;
            self.write_beside(&kept, &on_disk)
        } else {
            None
        };
        if in_memory {
            self.old = OnceLock::from(Old::from(kept.into_iter().collect::<HashMap<_, _>>()));
        }
        pending
    }

    /// Writes `kept` and the blocks `on_disk` of the current file into a
    /// temporary file beside it (nothing to keep removes it at commit).
    /// Best effort: an error is no cache.
    fn write_beside(&self, kept: &[(Key, Arc<str>)], on_disk: &HashSet<Key>) -> Option<Pending> {
        let dest = self.dir.join(FILE);
        if kept.is_empty() && on_disk.is_empty() {
            return dest.exists().then_some(Pending { tmp: None, dest });
        }
        let mut spill = self.begin()?;
        for (key, html) in kept {
            encode_entry(&mut spill.out, *key, html).ok()?;
        }
        copy_and_finish(spill, on_disk)
    }

    /// A new file beside the cache file, its magic written.
    fn begin(&self) -> Option<Spill> {
        /// Tells apart the temporary files of the builds of one process.
        static NEXT: AtomicU64 = AtomicU64::new(0);
        std::fs::create_dir_all(&self.dir).ok()?;
        let tmp = self.dir.join(format!(
            ".{FILE}.{}-{}.tmp",
            std::process::id(),
            NEXT.fetch_add(1, Ordering::Relaxed)
        ));
        // The guard removes the temporary file if writing fails.
        let pending = Pending {
            tmp: Some(tmp),
            dest: self.dir.join(FILE),
        };
        let file = std::fs::File::create(pending.tmp.as_ref()?).ok()?;
        let mut out = Checked {
            out: io::BufWriter::with_capacity(1 << 16, file),
            hash: Xxh3::new(),
        };
        out.write_all(MAGIC).ok()?;
        Some(Spill { pending, out })
    }
}

/// A one-off build's new file, its new blocks written: adds the blocks of
/// the last build that `used` names (up to [`MAX_TOTAL`] with the
/// `spilled` bytes already written), copied from the old file.
fn finish_spill(
    spill: Spill,
    lens: &HashMap<Key, usize>,
    used: impl Iterator<Item = Key>,
    mut total: usize,
) -> Option<Pending> {
    let mut on_disk = HashSet::new();
    for key in used {
        if let Some(&len) = lens.get(&key)
            && total + len <= MAX_TOTAL
            && on_disk.insert(key)
        {
            total += len;
        }
    }
    copy_and_finish(spill, &on_disk)
}

/// Copies the blocks `on_disk` of the current file into the new one
/// (checked whole; a file changed since it was read gives no new file),
/// then writes its checksum.
fn copy_and_finish(mut spill: Spill, on_disk: &HashSet<Key>) -> Option<Pending> {
    if !on_disk.is_empty() {
        let copied = copy_from(&spill.pending.dest, on_disk, &mut spill.out).ok()?;
        (copied == on_disk.len()).then_some(())?;
    }
    let digest = spill.out.hash.digest().to_le_bytes();
    spill.out.out.write_all(&digest).ok()?;
    spill.out.out.into_inner().ok()?.sync_all().ok()?;
    Some(spill.pending)
}

/// A new cache file written beside the old one: put in place by
/// [`Pending::commit`] when the build succeeded, removed when it is
/// dropped uncommitted (a failed build keeps the last good file).
pub(crate) struct Pending {
    /// The new file; `None` removes the old one (no block was used).
    tmp: Option<PathBuf>,
    dest: PathBuf,
}

impl Pending {
    /// Puts the new file in place (a rename: a reader sees the old file or
    /// the new one, whole).
    pub(crate) fn commit(mut self) {
        match self.tmp.take() {
            Some(tmp) => {
                if std::fs::rename(&tmp, &self.dest).is_err() {
                    let _ = std::fs::remove_file(&tmp);
                }
            }
            None => {
                let _ = std::fs::remove_file(&self.dest);
            }
        }
    }
}

impl Drop for Pending {
    fn drop(&mut self) {
        if let Some(tmp) = &self.tmp {
            let _ = std::fs::remove_file(tmp);
        }
    }
}

/// A writer that hashes what it writes (the file's checksum, without
/// holding the file in memory).
struct Checked<W> {
    out: W,
    hash: Xxh3,
}

impl<W: Write> Write for Checked<W> {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        let n = self.out.write(buf)?;
        self.hash.update(&buf[..n]);
        Ok(n)
    }
    fn flush(&mut self) -> io::Result<()> {
        self.out.flush()
    }
}

/// One entry of the file: key, length, HTML.
fn encode_entry(out: &mut impl Write, key: Key, html: &str) -> io::Result<()> {
    let len = u32::try_from(html.len()).map_err(io::Error::other)?;
    out.write_all(&key.to_le_bytes())?;
    out.write_all(&len.to_le_bytes())?;
    out.write_all(html.as_bytes())
}

/// Copies the entries of `want` from the file at `path` into `out` (whose
/// magic is written), reading it entry by entry and checking it whole on
/// the way. Returns how many were copied.
fn copy_from(path: &Path, want: &HashSet<Key>, out: &mut impl Write) -> io::Result<usize> {
    use std::io::Read;
    let damaged = || io::Error::new(io::ErrorKind::InvalidData, "damaged");
    let file = std::fs::File::open(path)?;
    let size = usize::try_from(file.metadata()?.len()).map_err(io::Error::other)?;
    let body = size.checked_sub(8).ok_or_else(damaged)?;
    let mut r = io::BufReader::with_capacity(1 << 16, file);
    let mut hash = Xxh3::new();
    let mut magic = vec![0; MAGIC.len()];
    r.read_exact(&mut magic)?;
    hash.update(&magic);
    if magic != MAGIC {
        return Err(damaged());
    }
    let (mut at, mut copied, mut html) = (MAGIC.len(), 0, Vec::new());
    while at < body {
        let (mut key, mut len) = ([0; 16], [0; 4]);
        r.read_exact(&mut key)?;
        r.read_exact(&mut len)?;
        let n = usize::try_from(u32::from_le_bytes(len)).map_err(io::Error::other)?;
        html.resize(n, 0);
        r.read_exact(&mut html)?;
        for part in [&key[..], &len[..], &html[..]] {
            hash.update(part);
        }
        at += 20 + n;
        if want.contains(&u128::from_le_bytes(key)) {
            for part in [&key[..], &len[..], &html[..]] {
                out.write_all(part)?;
            }
            copied += 1;
        }
    }
    let mut sum = [0; 8];
    r.read_exact(&mut sum)?;
    if at != body || hash.digest().to_le_bytes() != sum {
        return Err(damaged());
    }
    Ok(copied)
}

/// The entries of the file at `path`; none if it is missing, too large or
/// damaged.
fn read(path: &Path) -> HashMap<Key, Arc<str>> {
    let too_large = |len: u64| len > (MAX_TOTAL as u64) * 2;
    match std::fs::metadata(path) {
        Ok(meta) if !too_large(meta.len()) => {}
        _ => return HashMap::new(),
    }
    std::fs::read(path)
        .ok()
        .and_then(|bytes| decode(&bytes))
        .unwrap_or_default()
}

/// The entries of a whole file; `None` if anything does not check out.
fn decode(bytes: &[u8]) -> Option<HashMap<Key, Arc<str>>> {
    let (body, sum) = bytes.split_at_checked(bytes.len().checked_sub(8)?)?;
    if xxh3_64(body).to_le_bytes() != sum {
        return None;
    }
    let mut rest = body.strip_prefix(MAGIC)?;
    let mut out = HashMap::new();
    while !rest.is_empty() {
        let (key, after) = rest.split_first_chunk::<16>()?;
        let (len, after) = after.split_first_chunk::<4>()?;
        let len = usize::try_from(u32::from_le_bytes(*len)).ok()?;
        let (html, after) = after.split_at_checked(len)?;
        out.insert(
            u128::from_le_bytes(*key),
            Arc::from(std::str::from_utf8(html).ok()?),
        );
        rest = after;
    }
    Some(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The file's text but its checksum.
    fn encode(out: &mut impl Write, kept: &[(Key, Arc<str>)]) -> io::Result<()> {
        out.write_all(MAGIC)?;
        for (key, html) in kept {
            encode_entry(out, *key, html)?;
        }
        Ok(())
    }

    fn kept() -> Vec<(Key, Arc<str>)> {
        vec![
            (key("rust", "fn a() {}\n"), Arc::from("<span>a</span>")),
            (key("json", "{}\n"), Arc::from("<span>{}</span>")),
        ]
    }

    fn file(kept: &[(Key, Arc<str>)]) -> Vec<u8> {
        let mut out = Checked {
            out: Vec::new(),
            hash: Xxh3::new(),
        };
        encode(&mut out, kept).expect("in memory");
        let digest = out.hash.digest().to_le_bytes();
        let mut bytes = out.out;
        bytes.extend_from_slice(&digest);
        bytes
    }

    #[test]
    fn a_file_reads_back_as_written() {
        let kept = kept();
        let read = decode(&file(&kept)).expect("whole");
        assert_eq!(read.len(), 2);
        for (k, html) in &kept {
            assert_eq!(read.get(k), Some(html));
        }
        assert_eq!(decode(&file(&[])).map(|m| m.len()), Some(0));
    }

    #[test]
    fn a_damaged_file_is_ignored() {
        let bytes = file(&kept());
        for at in [0, MAGIC.len() + 3, MAGIC.len() + 17, bytes.len() - 20] {
            let mut bad = bytes.clone();
            bad[at] ^= 0x20;
            assert!(decode(&bad).is_none(), "flipped byte {at}");
        }
        for len in [0, 7, MAGIC.len(), bytes.len() - 1] {
            assert!(decode(&bytes[..len]).is_none(), "cut at {len}");
        }
        // Checked, but the lengths do not add up: ignored too.
        let mut body = MAGIC.to_vec();
        body.extend_from_slice(&[0; 16]);
        body.extend_from_slice(&100u32.to_le_bytes());
        body.extend_from_slice(&xxh3_64(&body).to_le_bytes());
        assert!(decode(&body).is_none());
    }

    #[test]
    fn keys_tell_languages_and_texts_apart() {
        assert_eq!(key("rust", "x"), key("rust", "x"));
        assert_ne!(key("rust", "x"), key("rust", "y"));
        assert_ne!(key("rust", "x"), key("rs", "x"));
        // The parts are delimited: moving a byte across changes the key.
        assert_ne!(key("ab", "c"), key("a", "bc"));
    }

    #[test]
    fn a_build_keeps_only_the_blocks_it_used() {
        let dir = tempfile::tempdir().expect("a temp dir");
        let cache_dir = dir.path().join("highlight");
        let mut h = Highlights::new(cache_dir.clone(), true, false);
        let (a, html_a) = h.highlight("fn a() {}\n", "rust").expect("rust");
        let (b, _) = h.highlight("{}\n", "json").expect("json");
        assert!(h.highlight("x", "no-such-language").is_none());
        let used = [a, b].into_iter().flatten();
        h.keep_only(used, false)
            .expect("new blocks: written")
            .commit();
        let on_disk = read(&cache_dir.join(FILE));
        assert_eq!(on_disk.len(), 2);
        // The next build reads them back, and, using one, drops the other.
        let mut h = Highlights::new(cache_dir.clone(), true, false);
        let (a2, html_a2) = h.highlight("fn a() {}\n", "rust").expect("rust");
        assert_eq!((a2, &html_a2), (a, &html_a));
        assert!(
            h.fresh.lock().expect("lock").html.is_empty(),
            "from the file"
        );
        h.keep_only(a2, true)
            .expect("one dropped: written")
            .commit();
        assert_eq!(read(&cache_dir.join(FILE)).len(), 1);
        // The same set again (serve: in memory) writes nothing.
        let _ = h.highlight("fn a() {}\n", "rust");
        assert!(h.keep_only(a2, true).is_none());
        // Once serve has written the file, a new block is not written: the
        // editor's loop never rewrites the whole file.
        let (b2, _) = h.highlight("fn b() {}\n", "rust").expect("rust");
        assert!(h.keep_only(a2.into_iter().chain(b2), true).is_none());
        // An uncommitted file (a failed build) leaves no trace.
        let mut h = Highlights::new(cache_dir.clone(), true, false);
        let (c, _) = h.highlight("fn c() {}\n", "rust").expect("rust");
        let pending = h.keep_only(a2.into_iter().chain(c), false);
        drop(pending.expect("a new block: written"));
        assert_eq!(std::fs::read_dir(&cache_dir).expect("dir").count(), 1);
    }

    /// A one-off build lets each block of the last build go once used, and
    /// a new file copies it from the old one.
    #[test]
    fn a_one_off_build_copies_the_blocks_it_let_go() {
        let dir = tempfile::tempdir().expect("a temp dir");
        let cache_dir = dir.path().join("highlight");
        let blocks = [
            ("fn a() {}\n", "rust"),
            ("{}\n", "json"),
            ("x: 1\n", "yaml"),
        ];
        let mut h = Highlights::new(cache_dir.clone(), true, true);
        let first: Vec<_> = blocks.iter().map(|(c, l)| h.highlight(c, l)).collect();
        let keys: Vec<Key> = first.iter().flatten().filter_map(|(k, _)| *k).collect();
        h.keep_only(keys.clone(), false).expect("written").commit();
        // The next build uses two of them (one twice) and a new one.
        let mut h = Highlights::new(cache_dir.clone(), true, true);
        let (a, html_a) = h.highlight(blocks[0].0, blocks[0].1).expect("rust");
        assert_eq!(Some(&html_a), first[0].as_ref().map(|(_, h)| h));
        assert!(h.old.get().expect("read").html.lock().expect("lock").len() == 2);
        let again = h.highlight(blocks[0].0, blocks[0].1).expect("rust");
        assert_eq!(again.1, html_a);
        let (c, _) = h.highlight(blocks[2].0, blocks[2].1).expect("yaml");
        let (d, html_d) = h.highlight("y: 2\n", "yaml").expect("yaml");
        let used = [a, a, c, d].into_iter().flatten();
        h.keep_only(used, false).expect("changed: written").commit();
        let on_disk = read(&cache_dir.join(FILE));
        assert_eq!(on_disk.len(), 3);
        assert_eq!(on_disk.get(&keys[0]), Some(&html_a));
        assert_eq!(on_disk.get(&keys[2]), first[2].as_ref().map(|(_, h)| h));
        assert_eq!(d.and_then(|d| on_disk.get(&d)), Some(&html_d));
    }
}
