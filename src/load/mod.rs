//! Stage 1, *load*: walk `content/`, read every page, split and type its
//! front matter. Everything here is per file, so it runs in parallel; what
//! needs the whole handbook (ids, links, references) is left to
//! [`crate::resolve`].

pub(crate) mod git;
pub mod kinds;
pub mod page;
pub mod reference;
pub(crate) mod trust;

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use rayon::prelude::*;

use crate::cache::{Memo, Stamp, stamp};
use crate::config::Site as Config;
use crate::diag::Diagnostic;
// What may be read lives below `config` (which reads `handbook.yaml` by
// the same rules); named here too, where the walks are.
use crate::files::Class;
pub(crate) use crate::files::{Fence, READ_LIMIT, read_regular};
pub(crate) use kinds::{Common, Kind, KindData};
pub(crate) use page::parse_page;

/// A page's source file and where its parts are.
#[derive(Debug, Clone)]
pub(crate) struct Source {
    /// Path relative to the handbook root (`content/experts/mari.md`), for messages.
    pub rel: PathBuf,
    pub text: String,
    /// Byte range of the YAML between the `---` lines.
    pub fm: std::ops::Range<usize>,
    /// Byte offset where the Markdown body starts.
    pub body: usize,
    /// Where keys, values and lines are, found on the first diagnostic.
    pub places: std::sync::OnceLock<Places>,
}

/// Where things are written in a page's source, found in one pass: a page
/// with many diagnostics (one per item of a list of thousands) locates
/// each by a lookup rather than by searching the front matter again, which
/// made such a page quadratic in its list.
#[derive(Debug, Clone, Default)]
pub(crate) struct Places {
    lines: crate::diag::Lines,
    /// Key → offset (in the front matter) of the first line that writes it.
    keys: HashMap<String, usize>,
    /// The same for lines that write the key with an empty value.
    empty_keys: HashMap<String, usize>,
    /// A scalar as written (a list item, a value after `key:`, an entry of
    /// a flow list `[a, b]`) → its offsets, ascending.
    items: HashMap<String, Vec<usize>>,
}

impl Places {
    fn new(src: &Source) -> Places {
        let mut places = Places {
            lines: crate::diag::Lines::new(&src.text),
            ..Places::default()
        };
        let mut pos = 0;
        for line in src.fm_text().split_inclusive('\n') {
            places.add_line(line, pos);
            pos += line.len();
        }
        places
    }

    /// Records the key and the values of `line`, which starts at `pos`.
    fn add_line(&mut self, line: &str, pos: usize) {
        let trimmed = line.trim_start().trim_start_matches("- ");
        let at = pos + (line.len() - trimmed.len());
        // As `Source::locate` matches keys: the text before the first `:`.
        let value_at = match trimmed.split_once(':') {
            Some((key, after)) if !key.trim_end().is_empty() => {
                let key = key.trim_end();
                self.keys.entry(key.to_string()).or_insert(at);
                if matches!(after.trim(), "" | "''" | "\"\"") {
                    self.empty_keys.entry(key.to_string()).or_insert(at);
                }
                // Only `key: value` has a value here; `https://…` does not.
                if !(after.starts_with(' ') || after.trim().is_empty()) {
                    return self.add_value(trimmed, at);
                }
                at + trimmed.len() - after.len()
            }
            _ => at,
        };
        let rest = &line[value_at - pos..];
        self.add_value(rest, value_at);
    }

    /// Records the scalars of `value` (a flow list or map is split at its
    /// brackets and commas: values written so are quoted when they hold
    /// one), which starts at `pos`.
    fn add_value(&mut self, value: &str, pos: usize) {
        let flow = value.trim_start().starts_with(['[', '{']);
        if !flow {
            return self.add_item(value, pos);
        }
        let mut start = 0;
        for (i, c) in value.char_indices().chain([(value.len(), ',')]) {
            if !(c == ',' || "[]{}".contains(c)) {
                continue;
            }
            let mut piece = &value[start..i];
            let mut at = pos + start;
            // `{title: Guide}`: the value after a key of a flow map.
            if let Some((_, v)) = piece.split_once(": ") {
                at += piece.len() - v.len();
                piece = v;
            }
            self.add_item(piece, at);
            start = i + c.len_utf8();
        }
    }

    fn add_item(&mut self, piece: &str, pos: usize) {
        let lead = piece.len() - piece.trim_start().len();
        let mut item = piece.trim();
        let mut at = pos + lead;
        for q in ['\'', '"'] {
            if item.len() >= 2 && item.starts_with(q) && item.ends_with(q) {
                item = &item[1..item.len() - 1];
                at += 1;
            }
        }
        if !item.is_empty() {
            self.items.entry(item.to_string()).or_default().push(at);
        }
    }

    /// The first offset at or after `from` where `value` is written as a
    /// whole item.
    fn item(&self, value: &str, from: usize) -> Option<usize> {
        let at = self.items.get(value)?;
        at.get(at.partition_point(|&a| a < from)).copied()
    }
}

impl Source {
    /// The 1-based line of the file where the front matter's YAML starts.
    pub(crate) fn fm_line(&self) -> usize {
        self.text[..self.fm.start].matches('\n').count() + 1
    }

    pub(crate) fn fm_text(&self) -> &str {
        &self.text[self.fm.clone()]
    }

    pub(crate) fn body_text(&self) -> &str {
        &self.text[self.body..]
    }

    /// A diagnostic at the line where front-matter `key` is written, or at
    /// the line of `value` after it when given (for list items).
    pub(crate) fn error_at_key(
        &self,
        key: &str,
        value: Option<&str>,
        message: String,
    ) -> Diagnostic {
        let (offset, len) = self.locate(key, value);
        Diagnostic::error(message).in_file(&self.rel).at_offset_in(
            &self.text,
            self.lines(),
            offset,
            len,
        )
    }

    fn places(&self) -> &Places {
        self.places.get_or_init(|| Places::new(self))
    }

    /// The line starts of the file, for [`Diagnostic::at_offset_in`]:
    /// what a loop that reports many diagnostics in one page locates by.
    pub(crate) fn lines(&self) -> &crate::diag::Lines {
        &self.places().lines
    }

    /// Byte offset and length of `value` (or `key`) in the front matter:
    /// the first line that writes `key` (with an empty value when `value`
    /// is `""`), then `value` where it is first written after it.
    pub(crate) fn locate(&self, key: &str, value: Option<&str>) -> (usize, usize) {
        let places = self.places();
        let key_at = if value == Some("") {
            places.empty_keys.get(key)
        } else {
            places.keys.get(key)
        };
        let Some(&key_at) = key_at else {
            return (self.fm.start, 0);
        };
        if let Some(value) = value.filter(|v| !v.is_empty()) {
            // Written as an item of its own, found by a lookup; else (a
            // value inside a longer one) searched for.
            let found = places
                .item(value, key_at)
                .or_else(|| find_value(&self.fm_text()[key_at..], value).map(|i| key_at + i));
            if let Some(i) = found {
                return (self.fm.start + i, value.len());
            }
        }
        (self.fm.start + key_at, key.len())
    }
}

/// Where `value` is written as a whole YAML value in `text`, not inside a
/// longer one (`aino` in `[aino-virtanen, aino]`); else where it first
/// occurs.
fn find_value(text: &str, value: &str) -> Option<usize> {
    let starts = |c: Option<char>| c.is_none_or(|c| c.is_whitespace() || "[{,:'\"".contains(c));
    let ends = |c: Option<char>| c.is_none_or(|c| c.is_whitespace() || "]},'\"".contains(c));
    let mut first = None;
    for (i, _) in text.match_indices(value) {
        first.get_or_insert(i);
        if starts(text[..i].chars().next_back()) && ends(text[i + value.len()..].chars().next()) {
            return Some(i);
        }
    }
    first
}

/// One `.md` file of `content/`, typed.
#[derive(Debug, Clone)]
pub(crate) struct Page {
    /// Path under `content/` without `.md`: `experts/mari-oksanen`, `training/_index`.
    pub id: String,
    /// Path under `content/` with `.md`, `/`-separated.
    pub path: String,
    pub is_section: bool,
    pub kind: Kind,
    pub title: String,
    pub common: Common,
    pub data: KindData,
    pub src: Source,
}

impl Page {
    /// The folder of the page under `content/` (`experts`), `""` at the root.
    pub(crate) fn dir(&self) -> &str {
        self.path.rfind('/').map_or("", |i| &self.path[..i])
    }

    /// The file name without `.md`.
    pub(crate) fn stem(&self) -> &str {
        let file = self.path.rsplit('/').next().unwrap_or(&self.path);
        file.strip_suffix(".md").unwrap_or(file)
    }
}

/// What `load` found under `content/`.
#[derive(Debug, Default)]
pub(crate) struct Loaded {
    /// Shared, so a cached build hands on a page without copying its text.
    pub pages: Vec<std::sync::Arc<Page>>,
    /// Files that are not pages (images beside pages, …), relative to `content/`.
    pub assets: Vec<String>,
    /// Every folder under `content/` (relative, `/`-separated), root excluded.
    pub dirs: Vec<String>,
    /// The last commit of each page file, when the handbook is in git
    /// (and `git_dates` is on).
    pub git: std::sync::Arc<git::Dates>,
}

/// Files editors and tools leave beside the real ones; never content.
pub(crate) fn is_ignored(name: &str) -> bool {
    name.starts_with('.')
        || name.starts_with('#')
        || name.ends_with('~')
        || name.ends_with(".swp")
        || name.ends_with(".swx")
        || name.ends_with(".tmp")
        || name.ends_with(".bak")
}

/// Walks `dir` (following symlinks, reporting loops), calling back with each
/// file's path relative to `dir`. Returns the folders seen. Entries the
/// [`Fence`] refuses (special files, symlinks leaving the root) are errors
/// and are not descended into.
pub(crate) fn walk(
    fence: &Fence,
    dir: &Path,
    diags: &mut Vec<Diagnostic>,
    mut on_file: impl FnMut(String, PathBuf),
) -> Vec<String> {
    let mut dirs = Vec::new();
    if !dir.is_dir() {
        return dirs;
    }
    let mut walker = walkdir::WalkDir::new(dir)
        .follow_links(true)
        .sort_by_file_name()
        .into_iter()
        .filter_entry(|e| e.depth() == 0 || !is_ignored(&e.file_name().to_string_lossy()));
    while let Some(entry) = walker.next() {
        let entry = match entry {
            Ok(e) => e,
            Err(e) => {
                diags.push(walk_error(fence, &e));
                continue;
            }
        };
        let class = match fence.classify(&entry) {
            Ok(class) => class,
            Err(d) => {
                if entry.file_type().is_dir() {
                    walker.skip_current_dir();
                }
                diags.push(d);
                continue;
            }
        };
        let Ok(rel) = entry.path().strip_prefix(dir) else {
            continue;
        };
        let Some(rel_str) = rel.to_str() else {
            diags.push(
                Diagnostic::error("the file name is not valid UTF-8")
                    .in_file(crate::diag::display_path(fence.root(), entry.path()))
                    .hint("rename the file"),
            );
            continue;
        };
        let rel_str = rel_str.replace('\\', "/");
        match class {
            Class::Dir if entry.depth() > 0 => dirs.push(rel_str),
            Class::Dir => {}
            Class::File => on_file(rel_str, entry.into_path()),
        }
    }
    dirs
}

/// A walk's error at its path: a symlink loop, or an entry that could
/// not be read (a dangling link). A "loop" whose link leaves the root (to
/// `/`, which walkdir can take for an ancestor) is reported as leaving it.
fn walk_error(fence: &Fence, e: &walkdir::Error) -> Diagnostic {
    let root = fence.root();
    let at = e
        .path()
        .map(|p| crate::diag::display_path(root, p))
        .unwrap_or_default();
    if let Some(ancestor) = e.loop_ancestor() {
        if let Some(Err(outside)) = e.path().map(|p| fence.check_target(p, true)) {
            return outside;
        }
        Diagnostic::error(format!(
            "symlink loop: this link points back to `{}`",
            crate::diag::display_path(root, ancestor).display()
        ))
        .in_file(at)
        .hint("remove the link or point it outside its own folder")
    } else if let Some(Err(dangling)) = e
        .path()
        .filter(|p| {
            p.symlink_metadata()
                .is_ok_and(|m| m.file_type().is_symlink())
        })
        .map(|p| fence.check_target(p, false))
    {
        // A link whose target is missing (or unreadable): say so in the
        // link's terms rather than walkdir's.
        dangling
    } else {
        Diagnostic::error(format!("cannot read: {e}"))
            .in_file(at)
            .hint("make it readable by the user running esiin, or remove it")
    }
}

/// One file's load result, as kept between builds.
type Loaded1 = Result<std::sync::Arc<Page>, (Vec<Diagnostic>, Option<std::sync::Arc<Page>>)>;

/// Pages parsed by an earlier build, by file, with the modification time
/// and size they were parsed at: `serve` re-reads only what changed. A
/// page's parse depends on the folder kinds and the time zone (sessions
/// in local time) of the configuration too, so the cache belongs to one
/// configuration (`key`).
#[derive(Default)]
pub(crate) struct Cache {
    key: u64,
    files: Memo<Loaded1>,
    /// The dates from git, read again only when the repository changed.
    git: git::Cache,
    /// The last walk of `content/`, for a build that needs none (see
    /// [`load_cached`]'s `edited`).
    walked: Option<Walked>,
}

/// Whether `root` can be a handbook at all: a folder with `handbook.yaml`
/// or `content/`. Run before a build, so that `esiin build` in the wrong
/// folder says so once (rather than "there is no `content/` folder") and
/// points at `esiin init`.
pub fn check_root(root: &Path) -> Result<(), Diagnostic> {
    // Named as the editor would find it: `.` means nothing in a message.
    let shown = std::path::absolute(root).unwrap_or_else(|_| root.to_path_buf());
    let shown = shown.display();
    let here = root == Path::new(".");
    let init = if here {
        "`esiin init`".to_string()
    } else {
        format!("`esiin init {}`", root.display())
    };
    match std::fs::metadata(root) {
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
            Err(Diagnostic::error(format!("there is no folder `{shown}`")).hint(format!(
                "pass `--root` with the handbook's folder, or run {init} to start a new handbook there"
            )))
        }
        Err(e) => Err(Diagnostic::error(format!("cannot read `{shown}`: {e}"))
            .hint("pass `--root` with a handbook folder you can read")),
        Ok(meta) if !meta.is_dir() => Err(Diagnostic::error(format!(
            "`{shown}` is a file, not a handbook folder"
        ))
        .hint("pass `--root` with the handbook's folder")),
        Ok(_) if !root.join(crate::config::FILE).exists() && !root.join("content").exists() => {
            Err(Diagnostic::error(format!(
                "`{shown}` is not a handbook folder: it has no `handbook.yaml` and no `content/`"
            ))
            .hint(format!(
                "run {init} to start a new handbook {}, or pass `--root` with the folder of an existing one",
                if here { "here" } else { "there" }
            )))
        }
        Ok(_) => Ok(()),
    }
}

/// Loads every page under `root/content`, reusing the parse of every file
/// whose modification time and size are what they were in `cache`, and
/// updating `cache`.
///
/// `edited` is what the watcher saw of `serve`'s next build: only these
/// files (relative to the root) were written, in place. When each is a
/// page the last walk found and still a regular file reached through no
/// link ([`edited_pages`]), the walk is not done again: its list of files
/// stands, only the edited ones (and any not settled at their last read)
/// are looked at, and the others' parses are taken without a `stat` —
/// on 10,000 pages the walk and the `stat`s were most of a body edit's
/// rebuild. Anything else (`None`, or a path that is not such a page)
/// walks as every build does, and the walk judges it.
// Long: the walk or the last one, the parse beside git's history, and the
// cache updated for both cases read best as one sequence.
pub(crate) fn load_cached(
    fence: &Fence,
    config: &Config,
    cache: &mut Cache,
    edited: Option<&[PathBuf]>,
) -> (Loaded, Vec<Diagnostic>) {
    let root = fence.root();
    let key = parse_key(config);
    if cache.key != key {
        cache.files = Memo::default();
        cache.key = key;
        cache.walked = None;
    }
    let edited = match (&cache.walked, edited) {
        (Some(walked), Some(paths)) => edited_pages(fence, walked, paths),
        _ => None,
    };
    let walked = match cache.walked.take() {
        Some(walked) if edited.is_some() => walked,
        _ => walk_content(fence),
    };
    let mut diags = walked.diags.clone();
    let md = &walked.md;
    // A page with errors is replaced by a stand-in (see `page::stand_in`),
    // so that its errors are reported once, not again at every reference.
    let read_at = std::time::SystemTime::now();
    let files = &cache.files;
    let edited_ref = edited.as_ref();
    // Per file: its result, and its stamp when it was looked at (`None`:
    // taken from the cache unlooked, the watcher saw no write to it).
    let parse = || -> Vec<(Option<Option<Stamp>>, Loaded1)> {
        md.par_iter()
            .map(|(rel, abs)| {
                let unwritten = edited_ref.is_some_and(|e| !e.contains(abs));
                if let Some(kept) = unwritten.then(|| files.settled(abs)).flatten() {
                    return (None, kept);
                }
                let now = stamp(abs);
                let result = files
                    .get(abs, now)
                    .unwrap_or_else(|| parse_file(rel, abs, config));
                (Some(now), result)
            })
            .collect()
    };
    // History is read beside the parse: git works in its own process
    // while the pages are parsed.
    let (results, git) = if config.raw.git_dates {
        let pages: Vec<&str> = md.iter().map(|(rel, _)| rel.as_str()).collect();
        let git_cache = &mut cache.git;
        std::thread::scope(|s| {
            let dates = s.spawn(|| git::dates(root, &pages, git_cache));
            let results = parse();
            (results, dates.join().unwrap_or_default())
        })
    } else {
        (parse(), std::sync::Arc::default())
    };
    let mut kept = Vec::with_capacity(results.len());
    let mut pages = Vec::with_capacity(results.len());
    for ((_, abs), (looked, r)) in md.iter().zip(results) {
        match &r {
            Ok(p) => pages.push(p.clone()),
            Err((d, stand_in)) => {
                diags.extend(d.iter().cloned());
                pages.extend(stand_in.iter().cloned());
            }
        }
        match looked {
            // Only what was looked at changes in the cache.
            Some(now) if edited.is_some() => cache.files.update(abs.clone(), now, r, read_at),
            Some(Some(stamp)) => kept.push((abs.clone(), stamp, r)),
            _ => {}
        }
    }
    if edited.is_none() {
        cache.files.replace(kept, read_at);
    }
    let loaded = Loaded {
        pages,
        assets: walked.assets.clone(),
        dirs: walked.dirs.clone(),
        git,
    };
    cache.walked = Some(walked);
    (loaded, diags)
}

/// A walk of `content/`: its page files (relative to `content/`, and as
/// the walk named them), its other files, its folders and what it
/// refused. Kept by [`Cache`] for the builds that need no walk.
#[derive(Default)]
struct Walked {
    md: Vec<(String, PathBuf)>,
    assets: Vec<String>,
    dirs: Vec<String>,
    diags: Vec<Diagnostic>,
}

/// Walks `content/` (see [`walk`]).
fn walk_content(fence: &Fence) -> Walked {
    let root = fence.root();
    let content = root.join("content");
    let mut w = Walked::default();
    let (mut md, mut assets) = (Vec::new(), Vec::new());
    w.dirs = walk(fence, &content, &mut w.diags, |rel, abs| {
        if rel.ends_with(".md") {
            md.push((rel, abs));
        } else {
            assets.push(rel);
        }
    });
    (w.md, w.assets) = (md, assets);
    if !content.is_dir() {
        w.diags.push(
            Diagnostic::error("there is no `content/` folder").hint(format!(
                "create `content/_index.md` in `{}`, or pass `--root` pointing at the handbook",
                root.display()
            )),
        );
    }
    w
}

/// The edited files (relative to the root) as `walked` named them, if
/// every one is a page file it found, and is still a regular file whose
/// path goes through no symlink: its canonical path is the root's joined
/// with it. Such a file is read exactly as a walk would read it (the
/// walk accepts a regular file in folders it judged, without looking at
/// its target). Anything else, a file turned into a link or a folder, a
/// file gone, a page in a linked folder, is `None`: the whole walk runs
/// and judges it as in any build.
fn edited_pages(
    fence: &Fence,
    walked: &Walked,
    edited: &[PathBuf],
) -> Option<std::collections::HashSet<PathBuf>> {
    let canonical = fence.canonical().join("content");
    edited
        .iter()
        .map(|path| {
            let rel = path
                .strip_prefix("content")
                .ok()?
                .to_str()?
                .replace('\\', "/");
            let (_, abs) = walked.md.iter().find(|(r, _)| *r == rel)?;
            let meta = std::fs::symlink_metadata(abs).ok()?;
            let through_no_link = std::fs::canonicalize(abs).ok()? == canonical.join(&rel);
            (meta.file_type().is_file() && through_no_link).then(|| abs.clone())
        })
        .collect()
}

/// What every page's parse depends on besides its file: the folders'
/// kinds, and the time zone sessions without an offset are placed in.
fn parse_key(config: &Config) -> u64 {
    let kinds: Vec<String> = config
        .kinds
        .iter()
        .map(|(f, k)| format!("{f}={k}"))
        .chain([format!("timezone={}", config.raw.timezone)])
        .collect();
    xxhash_rust::xxh3::xxh3_64(kinds.join("\n").as_bytes())
}

/// Reads and parses one page file.
fn parse_file(rel: &str, abs: &Path, config: &Config) -> Loaded1 {
    let shown = Path::new("content").join(rel);
    let bytes = read_regular(abs, Some(READ_LIMIT))
        .map_err(|e| (vec![e.diagnostic(&shown, "page")], None))?;
    parse_page(rel, shown.clone(), bytes, config)
        .map(std::sync::Arc::new)
        .map_err(|d| {
            // The error path reads the file again rather than every parse
            // keeping a copy of its bytes.
            let stand_in = read_regular(abs, Some(READ_LIMIT))
                .ok()
                .map(|bytes| std::sync::Arc::new(page::stand_in(rel, shown, &bytes, config)));
            (d, stand_in)
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_same_size_edit_right_after_a_read_is_seen() {
        let root = std::env::temp_dir().join(format!("esiin-racy-{}", std::process::id()));
        let content = root.join("content");
        std::fs::create_dir_all(&content).unwrap();
        let page = content.join("a.md");
        let config = crate::config::from_text("").unwrap();
        let mut cache = Cache::default();
        std::fs::write(&page, "---\ntitle: AAAA\n---\n").unwrap();
        let (first, _) = load_cached(&Fence::new(&root), &config, &mut cache, None);
        // Same length, at once: possibly the same modification time on a
        // coarse clock; the cache must not trust it.
        std::fs::write(&page, "---\ntitle: BBBB\n---\n").unwrap();
        let (second, _) = load_cached(&Fence::new(&root), &config, &mut cache, None);
        std::fs::remove_dir_all(&root).unwrap();
        let title = |l: &Loaded| {
            l.pages
                .iter()
                .find(|p| p.path == "a.md")
                .map(|p| p.title.clone())
        };
        assert_eq!(title(&first).as_deref(), Some("AAAA"));
        assert_eq!(title(&second).as_deref(), Some("BBBB"));
    }

    /// A handbook of two pages in a temp folder, loaded once into `cache`.
    fn two_pages(cache: &mut Cache) -> (tempfile::TempDir, PathBuf, crate::config::Site) {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path().join("hb");
        std::fs::create_dir_all(root.join("content/guide")).unwrap();
        std::fs::write(root.join("content/a.md"), "---\ntitle: A\n---\n\nBody A.\n").unwrap();
        std::fs::write(
            root.join("content/guide/b.md"),
            "---\ntitle: B\n---\n\nBody B.\n",
        )
        .unwrap();
        // Written long ago: their parses are trusted without a look.
        let long_ago = std::time::SystemTime::now() - std::time::Duration::from_secs(3600);
        for page in ["content/a.md", "content/guide/b.md"] {
            let file = std::fs::File::options()
                .write(true)
                .open(root.join(page))
                .unwrap();
            file.set_modified(long_ago).unwrap();
        }
        let config = crate::config::from_text("").unwrap();
        let (_, diags) = load_cached(&Fence::new(&root), &config, cache, None);
        assert!(diags.is_empty(), "{diags:?}");
        (dir, root, config)
    }

    /// What a build told that `edited` alone were written loads, and what
    /// a build with a fresh cache (a full walk) loads: titles and messages.
    fn told_and_fresh(
        root: &Path,
        config: &crate::config::Site,
        cache: &mut Cache,
        edited: &[&str],
    ) -> [(Vec<String>, Vec<String>); 2] {
        let edited: Vec<PathBuf> = edited.iter().map(PathBuf::from).collect();
        let fence = Fence::new(root);
        let seen = |(l, d): (Loaded, Vec<Diagnostic>)| {
            (
                l.pages
                    .iter()
                    .map(|p| format!("{}: {}", p.path, p.title))
                    .collect(),
                d.iter().map(|d| d.render(false)).collect(),
            )
        };
        [
            seen(load_cached(&fence, config, cache, Some(&edited))),
            seen(load_cached(&fence, config, &mut Cache::default(), None)),
        ]
    }

    #[test]
    fn an_edit_the_watcher_names_is_read_without_a_walk() {
        let mut cache = Cache::default();
        let (_dir, root, config) = two_pages(&mut cache);
        std::fs::write(root.join("content/guide/b.md"), "---\ntitle: B2\n---\n").unwrap();
        let [told, fresh] = told_and_fresh(&root, &config, &mut cache, &["content/guide/b.md"]);
        assert_eq!(told, fresh);
        assert_eq!(told.0, ["a.md: A", "guide/b.md: B2"]);
        // A file the watcher did not name is taken as it was: that is what
        // the word of the watcher saves (a build without it would see it).
        std::fs::write(root.join("content/a.md"), "---\ntitle: A2\n---\n").unwrap();
        let edited = [PathBuf::from("content/guide/b.md")];
        let (told, _) = load_cached(&Fence::new(&root), &config, &mut cache, Some(&edited));
        assert_eq!(told.pages[0].title, "A");
    }

    #[cfg(unix)]
    #[test]
    fn a_page_turned_into_a_link_outside_is_refused_as_by_a_walk() {
        let mut cache = Cache::default();
        let (dir, root, config) = two_pages(&mut cache);
        let outside = dir.path().join("secret.md");
        std::fs::write(&outside, "---\ntitle: Secret\n---\n").unwrap();
        let page = root.join("content/guide/b.md");
        std::fs::remove_file(&page).unwrap();
        std::os::unix::fs::symlink(&outside, &page).unwrap();
        let [told, fresh] = told_and_fresh(&root, &config, &mut cache, &["content/guide/b.md"]);
        assert_eq!(told, fresh);
        assert!(told.0.iter().all(|t| !t.contains("Secret")), "{told:?}");
        assert!(
            told.1
                .iter()
                .any(|d| d.contains("symlink points outside the handbook")),
            "{told:?}"
        );
    }

    #[cfg(unix)]
    #[test]
    fn a_page_in_a_folder_turned_into_a_link_is_judged_by_a_walk() {
        let mut cache = Cache::default();
        let (dir, root, config) = two_pages(&mut cache);
        let elsewhere = dir.path().join("elsewhere");
        std::fs::create_dir_all(&elsewhere).unwrap();
        std::fs::write(elsewhere.join("b.md"), "---\ntitle: Secret\n---\n").unwrap();
        std::fs::remove_dir_all(root.join("content/guide")).unwrap();
        std::os::unix::fs::symlink(&elsewhere, root.join("content/guide")).unwrap();
        let [told, fresh] = told_and_fresh(&root, &config, &mut cache, &["content/guide/b.md"]);
        assert_eq!(told, fresh);
        assert!(told.0.iter().all(|t| !t.contains("Secret")), "{told:?}");
    }

    #[test]
    fn a_page_turned_into_a_folder_made_or_gone_is_seen_by_a_walk() {
        let mut cache = Cache::default();
        let (_dir, root, config) = two_pages(&mut cache);
        // Named by the watcher as an edit, yet not a page the walk knew.
        std::fs::write(root.join("content/new.md"), "---\ntitle: New\n---\n").unwrap();
        let [told, fresh] = told_and_fresh(&root, &config, &mut cache, &["content/new.md"]);
        assert_eq!(told, fresh);
        assert_eq!(told.0, ["a.md: A", "guide/b.md: B", "new.md: New"]);
        std::fs::remove_file(root.join("content/a.md")).unwrap();
        std::fs::create_dir_all(root.join("content/a.md")).unwrap();
        let [told, fresh] = told_and_fresh(&root, &config, &mut cache, &["content/a.md"]);
        assert_eq!(told, fresh);
        std::fs::remove_dir_all(root.join("content/a.md")).unwrap();
        let [told, fresh] = told_and_fresh(&root, &config, &mut cache, &["content/a.md"]);
        assert_eq!(told, fresh);
        assert_eq!(told.0, ["guide/b.md: B", "new.md: New"]);
    }

    #[test]
    fn values_are_found_whole() {
        assert_eq!(
            find_value("trainers: [aino-virtanen, aino]\n", "aino"),
            Some(26)
        );
        assert_eq!(find_value("aliases: ['../../x', '/']\n", "/"), Some(22));
        assert_eq!(find_value("- page: guide\n", "guide"), Some(8));
        assert_eq!(find_value("url: ../plan.md#x\n", "plan"), Some(8));
        assert_eq!(find_value("a: b\n", "c"), None);
    }

    fn source(text: &str) -> Source {
        Source {
            rel: "content/p.md".into(),
            text: text.into(),
            fm: 4..text.len() - 4,
            body: text.len(),
            places: Default::default(),
        }
    }

    #[test]
    fn values_are_located_by_lookup_as_by_search() {
        let text = "---\ntitle: A\ntrainers: [aino-virtanen, aino]\ntags:\n  - rust\n  - 'data, ml'\nmaterials:\n  - {title: Guide, url: \"@/guide.md\"}\n  - url: ../plan.md#x\n---\n";
        let src = source(text);
        let at = |key: &str, value: &str| {
            let (offset, len) = src.locate(key, Some(value));
            (
                &text[offset..offset + len],
                crate::diag::Pos::of_offset(text, offset),
            )
        };
        let pos = |line, col| crate::diag::Pos { line, col };
        assert_eq!(at("trainers", "aino"), ("aino", pos(3, 27)));
        assert_eq!(at("tags", "rust"), ("rust", pos(5, 5)));
        assert_eq!(at("tags", "data, ml"), ("data, ml", pos(6, 6)));
        assert_eq!(at("materials", "@/guide.md"), ("@/guide.md", pos(8, 26)));
        // The first line that writes `url` as its key is line 9.
        assert_eq!(at("url", "@/guide.md"), ("url", pos(9, 5)));
        // Inside a longer value: found by the search.
        assert_eq!(at("url", "plan"), ("plan", pos(9, 13)));
        // A value that is not written: the key.
        assert_eq!(at("tags", "go"), ("tags", pos(4, 1)));
        assert_eq!(src.locate("owner", Some("x")), (4, 0));
    }

    #[test]
    fn a_long_list_is_located_item_by_item() {
        let items: String = (0..5_000).map(|k| format!("  - tag {k}\n")).collect();
        let text = format!("---\ntitle: A\ntags:\n{items}---\n");
        let src = source(&text);
        for k in [0, 1, 10, 4_999] {
            let (offset, _) = src.locate("tags", Some(&format!("tag {k}")));
            let pos = crate::diag::Pos::of_offset(&text, offset);
            assert_eq!(
                pos,
                crate::diag::Pos {
                    line: 4 + k,
                    col: 5
                }
            );
        }
    }

    #[test]
    fn an_empty_value_is_located_at_its_key() {
        let text = "---\nsteps:\n  - page: a\n  - page: ''\n---\n";
        let src = Source {
            rel: "content/p.md".into(),
            text: text.into(),
            fm: 4..text.len() - 4,
            body: text.len(),
            places: Default::default(),
        };
        let (offset, _) = src.locate("page", Some(""));
        assert_eq!(
            crate::diag::Pos::of_offset(text, offset),
            crate::diag::Pos { line: 4, col: 5 }
        );
    }
}
