//! The incremental engine: what a build keeps for the next one (`serve`),
//! and the keys that say when it may be reused.
//!
//! What `serve` re-renders after an edit, and why:
//! - A source file is parsed again only when its stamp (modification time,
//!   size) changed (`load::Cache`). `content/` is walked again, and every
//!   page's stamp taken, unless the watcher saw only page files written in
//!   place ([`Cache::edited_only`]): then the last walk's list stands, the
//!   edited files are re-`stat`ed, checked as a walk would (a regular file
//!   through no link, or the walk runs after all) and read again, and the
//!   other pages' parses are reused without a look (`load::load_cached`).
//! - `resolve` runs again only when [`resolve_key`] changed: the
//!   configuration, the drafts flag, the day, the folders and files, or any
//!   page's path or front matter. A body edit reuses the resolved site, with
//!   the pages as loaded now swapped in ([`Resolved::with_pages`]).
//! - A page's Markdown is rendered again when its text or the
//!   [`links_epoch`] changed (where every page is, drafts, files, the base
//!   path, the language, the alert titles, raw HTML): adding, moving or removing a page
//!   renders every body again ([`Cache::bodies`]).
//! - A page's HTML is rendered again unless [`LastRender::unchanged`] says
//!   its context is the one it had: the same [`structure_key`] (everything
//!   the contexts read but the bodies), its own body, and the summaries of
//!   the pages its context read (listings show them) — and its template's
//!   fingerprint (its text, those it uses, the UI strings) is the same.
//!   Failing that, its context is built and fingerprinted
//!   ([`fingerprint`]); the same fingerprint and template reuse the HTML.
//!   So a body edit re-renders that page and, if its summary changed, the
//!   pages that list it; a front-matter edit re-renders the pages whose
//!   context changed; a template edit, the pages of that template.
//! - The generated pages (topics, gaps) are reused while the structure, the
//!   templates and the summaries they read are the same.
//! - A page's search record is kept while the structure, the templates and
//!   its body are the same; the index is built again only for other
//!   records (`search::SearchJob`, with its disk cache).
//! - Highlighted code blocks are read from `.esiin-cache/highlight/` by
//!   the first build only, then kept in memory ([`Cache`]'s `highlights`,
//!   see `render::highlight_cache`); the file is written again only when
//!   the set of blocks changed.
//! - Photos and copied files are read again only when their stamp changed
//!   (`cache::Memo`); posters are rasterised only for a new SVG (disk).
//! - Always redone, being cheap or a verdict: anchors, calendars,
//!   redirects, the not-found page, clashes, and writing the theme's files
//!   (shared with the last build's bytes when equal, see `assets`).
//!
//! Why like this: every entry is keyed by all it depends on, never by what
//! the watcher said changed, so a cached build is the same as a fresh one
//! by construction; `tests/suite/serve_diff.rs` checks that it is. The one
//! exception is the walk above, which believes the watcher when it says
//! that nothing but page files were written: any other event (a file made,
//! removed or renamed, a folder, a link, a rescan) walks as before.

use std::collections::HashMap;
use std::hash::{Hash, Hasher};
use std::sync::Arc;

use rayon::prelude::*;

use crate::cache::Memo;
use crate::diag::Diagnostic;
use crate::load::Loaded;
use crate::render::highlight_cache::{Highlights, Pending};
use crate::render::markdown;
use crate::render::strings::Strings;
use crate::render::view::RenderState;
use crate::resolve::{self, PageId, Site};
use crate::{config, load};

/// What a build keeps for the next one (`serve`); see the module's
/// documentation for what each part saves.
#[derive(Default)]
pub struct Cache {
    /// Whether to keep anything for a next build: a one-off build keeps
    /// nothing, so it never holds the whole site's HTML in memory.
    pub(super) keep: bool,
    pub(super) load: load::Cache,
    /// Page path → its rendered body and what it was rendered from.
    pub(super) markdown: HashMap<String, Body>,
    /// Output path → (fingerprint of the template context, templates,
    /// the HTML). A page whose context and templates did not change is
    /// the same HTML: it is reused instead of rendered.
    pub(super) pages: HashMap<String, (u64, u64, Arc<[u8]>)>,
    /// What the last page rendering was made from, to re-render after a
    /// body edit only the pages that show that body.
    pub(super) last: Option<LastRender>,
    /// The last resolved site (see [`Resolved`]).
    pub(super) resolved: Option<Resolved>,
    /// Static files and page assets as last copied.
    pub(super) copies: Copies,
    /// Photo thumbnails as last made.
    pub(super) thumbs: ThumbMemo,
    /// The highlighted code blocks of the last build (read from
    /// `.esiin-cache/` by the first build that meets a block).
    pub(super) highlights: Option<Highlights>,
    /// The page files alone written since the last build, if the watcher
    /// says so (see [`Cache::edited_only`]); taken by the next build.
    pub(super) edited: Option<Vec<std::path::PathBuf>>,
}

/// A page's rendered Markdown as kept for the next build: the hash of the
/// page's text and the links epoch it was rendered at, and the page as
/// loaded then. The same page (the same allocation: the load cache gave
/// it back, its file unchanged) has the same text, whose hash is then not
/// taken again: on the heavy handbook, hashing every page's text (66 MB)
/// was most of a body edit's Markdown step.
pub(super) struct Body {
    text: u64,
    epoch: u64,
    page: Arc<load::Page>,
    rendered: Arc<markdown::Rendered>,
}

/// Files copied into the output by the last build (`serve`): by source
/// path, a file whose stamp is unchanged is not read again.
#[derive(Default)]
pub(super) struct Copies {
    pub(super) files: Memo<Arc<[u8]>>,
    /// The theme's static files as last written, by output path: bytes
    /// that are the same again are written as the same allocation.
    pub(super) theme: HashMap<String, Arc<[u8]>>,
}

/// Thumbnails made by the last build (`serve`), by photo: a photo whose
/// stamp is unchanged is not read again.
pub(super) type ThumbMemo = Memo<Vec<crate::render::images::Thumb>>;

/// The dependency graph of the last page rendering: the structure it was
/// made from (see [`structure_key`]), the rendered body of each page, and
/// for each page the other pages whose summaries its context read. With
/// the same structure, a page whose body and read summaries are what they
/// were has the same context, so its HTML is reused without building the
/// context at all: a body edit on a 10,000-page handbook builds a handful
/// of contexts instead of 10,000.
pub(super) struct LastRender {
    pub(super) structure: u64,
    /// The fingerprint of all templates, which the generated pages were
    /// rendered with.
    pub(super) templates: u64,
    pub(super) bodies: Vec<Arc<markdown::Rendered>>,
    /// By page (`PageId::index`): the pages whose summaries its context
    /// read.
    pub(super) reads: Vec<Vec<PageId>>,
    /// Each page's search record (`None`: not searchable), when the
    /// handbook has search.
    pub(super) records: Vec<Option<Arc<crate::search::Record>>>,
    /// The generated pages (topics, gaps): the summaries they read and
    /// their files, when all of them rendered.
    pub(super) generated: Option<(Vec<PageId>, Vec<OutFile>)>,
}

impl LastRender {
    /// Whether `page`'s rendered body is the one the last rendering had
    /// (the same allocation: the Markdown cache gave it back).
    pub(super) fn same_body(&self, page: PageId, rendered: &[Arc<markdown::Rendered>]) -> bool {
        self.bodies
            .get(page.index())
            .zip(rendered.get(page.index()))
            .is_some_and(|(a, b)| Arc::ptr_eq(a, b))
    }

    /// Whether the summaries of `pages` are what they were.
    pub(super) fn summaries_unchanged(
        &self,
        pages: &[PageId],
        rendered: &[Arc<markdown::Rendered>],
    ) -> bool {
        pages.iter().all(|&page| {
            self.same_body(page, rendered)
                || self
                    .bodies
                    .get(page.index())
                    .zip(rendered.get(page.index()))
                    .is_some_and(|(a, b)| a.summary == b.summary)
        })
    }

    /// Whether `page`'s context is the one it had in the last rendering.
    pub(super) fn unchanged(&self, page: PageId, rendered: &[Arc<markdown::Rendered>]) -> bool {
        self.same_body(page, rendered)
            && self
                .reads
                .get(page.index())
                .is_some_and(|r| self.summaries_unchanged(r, rendered))
    }
}

/// A hash of everything the page contexts read except the rendered
/// bodies: what the site model was resolved from (`resolved`, the key of
/// [`resolve_key`]: the configuration, every page's path and front matter,
/// the folders and files, the day), which sessions are past, the photos and
/// posters, and which template each page uses (each page's HTML is also
/// keyed by what its template renders with, see
/// `Templates::fingerprint_of`). When it is unchanged, the site model is
/// the same up to the pages' bodies.
pub(super) fn structure_key(
    resolved: u64,
    site: &Site,
    state: &RenderState,
    names: &[String],
) -> u64 {
    use crate::load::kinds::KindData;
    let mut h = crate::cache::hasher();
    resolved.hash(&mut h);
    state.build_date.hash(&mut h);
    names.hash(&mut h);
    for (_, p) in site.pages() {
        if let KindData::Module(m) = &p.data {
            for s in &m.sessions {
                (s.end.unwrap_or(s.start).0 < state.now).hash(&mut h);
            }
        }
    }
    // In page order: the maps' own order differs from run to run.
    let mut photos: Vec<_> = state.photos.iter().collect();
    photos.sort_by_key(|(i, _)| **i);
    for (i, p) in photos {
        i.hash(&mut h);
        for img in [&p.card, &p.profile] {
            (&img.url, img.width, img.height).hash(&mut h);
        }
    }
    let mut posters: Vec<_> = state.posters.iter().collect();
    posters.sort_by_key(|(i, _)| **i);
    for (i, p) in posters {
        (i, &p.svg_url, &p.png_url, p.width, p.height, &p.alt).hash(&mut h);
    }
    h.finish()
}

impl Cache {
    /// A cache that keeps each build's work for the next (`serve`).
    pub fn reusable() -> Cache {
        Cache {
            keep: true,
            ..Cache::default()
        }
    }

    /// Tells the next build that, since the last one, only the files
    /// `paths` (relative to the root) were written, each in place: no file
    /// was made, removed or renamed, no folder or link changed. `serve`'s
    /// watcher says so of a burst of saves; the build then reads those
    /// files again instead of walking `content/` (`load::load_cached`,
    /// which walks anyway when a path is not a page file it knows). Only
    /// the next build believes it: a build that started without it walks.
    pub fn edited_only(&mut self, paths: Vec<std::path::PathBuf>) {
        self.edited = Some(paths);
    }

    /// Every page's rendered Markdown, in page order: reused where the
    /// page's text and the links epoch are what they were, and kept for the
    /// next build when this cache keeps anything.
    pub(super) fn bodies(
        &mut self,
        site: &Site,
        strings: &Strings,
        opts: &super::Options,
    ) -> Vec<Arc<markdown::Rendered>> {
        let epoch = links_epoch(site, strings);
        let dir = opts.root.join(".esiin-cache").join("highlight");
        if !self
            .highlights
            .as_ref()
            .is_some_and(|h| h.is_for(&dir, opts.write_cache))
        {
            self.highlights = Some(Highlights::new(dir, opts.write_cache, !self.keep));
        }
        let highlights = self.highlights.as_ref();
        let previous = &self.markdown;
        let (texts, rendered): (Vec<u64>, Vec<Arc<markdown::Rendered>>) = (0..site.len())
            .into_par_iter()
            .map(|i| {
                let i = PageId::new(i);
                let node = site.node(i);
                let p = &*node.page;
                let kept = previous.get(&p.path);
                let text = match kept {
                    Some(b) if Arc::ptr_eq(&b.page, &node.page) => b.text,
                    _ => xxhash_rust::xxh3::xxh3_64(p.src.text.as_bytes()),
                };
                let r = match kept {
                    Some(b) if b.text == text && b.epoch == epoch => b.rendered.clone(),
                    _ => {
                        let mut cx =
                            markdown::RenderContext::new(i, &p.src, &site.config, strings, site);
                        cx.highlights = highlights;
                        Arc::new(markdown::render(&cx))
                    }
                };
                (text, r)
            })
            .unzip();
        if self.keep {
            // Updated in place: after an edit, nearly every entry stays.
            for (((_, node), text), r) in site.nodes().zip(texts).zip(&rendered) {
                let body = || Body {
                    text,
                    epoch,
                    page: node.page.clone(),
                    rendered: r.clone(),
                };
                match self.markdown.get_mut(&node.page.path) {
                    Some(entry) => {
                        if !Arc::ptr_eq(&entry.rendered, r)
                            || !Arc::ptr_eq(&entry.page, &node.page)
                            || entry.text != text
                            || entry.epoch != epoch
                        {
                            *entry = body();
                        }
                    }
                    None => {
                        self.markdown.insert(node.page.path.clone(), body());
                    }
                }
            }
            if self.markdown.len() != site.len() {
                self.markdown
                    .retain(|path, _| site.by_path.contains_key(path));
            }
        }
        rendered
    }

    /// Keeps the highlighted blocks `bodies` use, and no other, for the
    /// next build: in memory when this cache keeps anything (`serve`), on
    /// disk through the returned file once the build has succeeded. A
    /// one-off build lets them go here, before the pages are rendered.
    pub(super) fn keep_highlights(
        &mut self,
        bodies: &[Arc<markdown::Rendered>],
    ) -> Option<Pending> {
        let used = bodies.iter().flat_map(|b| b.code_keys.iter().copied());
        let keep = self.keep;
        self.highlights.as_mut()?.keep_only(used, keep)
    }
}

/// A file of the output: its path and bytes.
pub(super) type OutFile = (String, Arc<[u8]>);

/// A page rendered (or reused) this build, kept for the next: its output
/// path, context fingerprint and HTML.
pub(super) type Kept = (String, u64, Arc<[u8]>);

/// What rendering one page gave: its error, what to keep for the next
/// build, the summaries its context read, and its HTML (for its ids).
pub(super) type PageOutcome = (
    Option<Diagnostic>,
    Option<Kept>,
    Vec<PageId>,
    Option<Arc<[u8]>>,
);

/// A `Write` that hashes what is written: fingerprints a context by
/// serialising it, without building the text.
pub(super) struct HashWriter(xxhash_rust::xxh3::Xxh3);

impl std::io::Write for HashWriter {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.0.update(buf);
        Ok(buf.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

/// The fingerprint of what a template is given.
pub(super) fn fingerprint(parts: &[&dyn erased::Serialize]) -> Option<u64> {
    let mut w = HashWriter(crate::cache::hasher());
    for part in parts {
        part.to_writer(&mut w).ok()?;
    }
    Some(w.0.digest())
}

/// `serde::Serialize` is not object safe; this is just enough of it to
/// fingerprint a list of differently typed values.
mod erased {
    pub(crate) trait Serialize {
        fn to_writer(&self, w: &mut super::HashWriter) -> serde_json::Result<()>;
    }
    impl<T: serde::Serialize> Serialize for T {
        fn to_writer(&self, w: &mut super::HashWriter) -> serde_json::Result<()> {
            serde_json::to_writer(w, self)
        }
    }
}

/// Everything a page's rendered Markdown depends on besides its own text:
/// where every page is (links become URLs), which pages are drafts and
/// which files exist (links to them are errors or not), the base path and
/// the alert titles (UI strings), and whether raw HTML is sanitized. When
/// any of it changes, every body is
/// rendered again; edits that change none of it (the common case) re-render
/// only the edited page.
pub(super) fn links_epoch(site: &Site, strings: &Strings) -> u64 {
    let mut h = crate::cache::hasher();
    site.config.base_path.hash(&mut h);
    site.config.raw.language.code().hash(&mut h);
    for title in [
        &strings.alert_note,
        &strings.alert_tip,
        &strings.alert_important,
        &strings.alert_warning,
        &strings.alert_caution,
    ] {
        title.hash(&mut h);
    }
    site.config.raw.markdown.raw_html.hash(&mut h);
    for (_, node) in site.nodes() {
        node.page.path.hash(&mut h);
        node.url.hash(&mut h);
    }
    let mut drafts: Vec<&String> = site.drafts.iter().collect();
    drafts.sort();
    drafts.hash(&mut h);
    let mut assets: Vec<&String> = site.assets.iter().collect();
    assets.sort();
    assets.hash(&mut h);
    h.finish()
}

/// A resolved site kept for the next build, with the key of what it was
/// resolved from.
pub(super) struct Resolved {
    pub(super) key: u64,
    pub(super) site: Site,
    pub(super) pending: Vec<resolve::PendingAnchor>,
    pub(super) diags: Vec<Diagnostic>,
}

impl Resolved {
    /// The site, its pending anchors and diagnostics, with the pages as
    /// loaded now: the same front matter resolves to the same site, so only
    /// the pages (their bodies) are swapped in.
    pub(super) fn with_pages(
        mut self,
        loaded: Loaded,
    ) -> (Site, Vec<resolve::PendingAnchor>, Vec<Diagnostic>) {
        for page in loaded.pages {
            self.site.swap_page(page);
        }
        // The same key: the same history read.
        self.site.git = loaded.git;
        (self.site, self.pending, self.diags)
    }
}

/// A hash of everything `resolve` reads: the configuration, the drafts
/// flag, the day, the folders and files, every page's path and front
/// matter (not its body, which `resolve` never reads), and the dates read
/// from git (which the site carries to the pages' contexts).
pub(super) fn resolve_key(
    config: &config::Site,
    loaded: &load::Loaded,
    drafts: bool,
    today: jiff::civil::Date,
) -> u64 {
    let mut h = crate::cache::hasher();
    config.hash(&mut h);
    (drafts, today).hash(&mut h);
    loaded.assets.hash(&mut h);
    loaded.dirs.hash(&mut h);
    loaded.git.key.hash(&mut h);
    for p in &loaded.pages {
        p.src.rel.hash(&mut h);
        p.path.hash(&mut h);
        p.src.fm.start.hash(&mut h);
        p.src.text.get(p.src.fm.clone()).hash(&mut h);
        p.src.text.is_empty().hash(&mut h);
    }
    h.finish()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// `serve`'s builds share one cache: the first reads the highlighted
    /// blocks from `.esiin-cache/`, the later ones find them in memory.
    /// Shown by removing the file after the first build: a rebuild after
    /// an edit of a page with code neither reads it nor writes it again
    /// (its blocks are the ones it had), where a fresh cache writes it.
    #[test]
    fn serve_reads_the_highlighted_blocks_once() {
        let dir = tempfile::tempdir().expect("a temp dir");
        let root = dir.path().join("hb");
        crate::testgen::generate(&root, 30).expect("generated");
        let opts = super::super::Options {
            root: root.clone(),
            output: None,
            drafts: false,
            base_url: Some("/".into()),
            write_cache: true,
        };
        let build = |cache: &mut Cache| {
            let sink = crate::write::Memory::default();
            super::super::build_into_cached(&opts, &sink, cache).expect("a valid handbook");
        };
        let file = root.join(".esiin-cache/highlight/blocks.bin");
        let mut cache = Cache::reusable();
        build(&mut cache);
        assert!(file.is_file(), "the first build keeps its blocks");
        std::fs::remove_file(&file).expect("removed");

        let page = walkdir::WalkDir::new(root.join("content"))
            .into_iter()
            .flatten()
            .map(|e| e.into_path())
            .find(|p| std::fs::read_to_string(p).is_ok_and(|t| t.contains("```rust")))
            .expect("a page with a Rust block");
        let text = std::fs::read_to_string(&page).expect("read");
        std::fs::write(&page, format!("{text}\nOne more paragraph.\n")).expect("edited");
        build(&mut cache);
        assert!(!file.exists(), "the second build read or wrote the file");

        // A changed block is not written either: the editor's loop never
        // rewrites the whole file (`Highlights::written`).
        std::fs::write(&page, text.replacen("```rust\n", "```rust\n// edited\n", 1))
            .expect("edited");
        build(&mut cache);
        assert!(!file.exists(), "a later serve build rewrote the file");

        build(&mut Cache::reusable());
        assert!(file.is_file(), "a new cache writes the file again");
    }
}
