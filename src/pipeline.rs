//! The build, end to end: load → resolve → render → write. `build` and
//! `check` are this with and without the last stage.

use std::collections::{HashMap, HashSet};
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::{Duration, Instant};

use rayon::prelude::*;

use crate::diag::{self, Diagnostic};
use crate::load::Kind;
use crate::render::context::{Img, Photos, PosterCtx, RenderState, reading_summaries};
use crate::render::images::ThumbCache;
use crate::render::poster::PngCache;
use crate::render::templates::Templates;
use crate::render::theme::Theme;
use crate::render::{highlight, markdown};
use crate::resolve::Site;
use crate::write::{Discard, Sink, Staging};
use crate::{config, load, resolve, write};

#[derive(Debug, Clone)]
pub struct Options {
    pub root: PathBuf,
    /// Where to write; `None` checks only.
    pub output: Option<PathBuf>,
    pub drafts: bool,
    /// Serve at another `base_url` than the handbook's (`serve` serves at
    /// the root of its own address).
    pub base_url: Option<String>,
    /// Keep thumbnails and posters in `.esiin-cache/` for the next build
    /// (`check` reads the cache but writes nothing).
    pub write_cache: bool,
}

/// What a successful build did.
#[derive(Debug, Default)]
pub struct Report {
    pub pages: usize,
    pub files: usize,
    /// Warnings (errors stop the build).
    pub warnings: Vec<Diagnostic>,
    pub timings: Vec<(&'static str, Duration)>,
    /// The search index still to build, when the build left it to the
    /// caller (a build that keeps its work: `serve`). `None` when the
    /// handbook has no search, or the build wrote the index itself.
    pub search: Option<SearchJob>,
}

/// The search index of a build, to be built by [`SearchJob::run`]. It takes
/// seconds on a large handbook (the index builder starts from scratch), so
/// `serve` runs it after the pages are served rather than in the editor's
/// loop; the records are what it depends on, so the same records need no
/// new index, in this process or the next (`search::cache`).
#[derive(Debug)]
pub struct SearchJob {
    pub records: Vec<Arc<crate::search::Record>>,
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
    /// A fingerprint of the index this job builds: the records, the
    /// language and the versions of esiin and of the index builder.
    pub fn fingerprint(&self) -> u64 {
        *self.fingerprint.get_or_init(|| {
            use std::hash::{Hash, Hasher};
            let mut h = xxhash_rust::xxh3::Xxh3::new();
            env!("CARGO_PKG_VERSION").hash(&mut h);
            PAGEFIND_VERSION.hash(&mut h);
            self.language.hash(&mut h);
            crate::search::fingerprint(&self.records).hash(&mut h);
            h.finish()
        })
    }

    /// The index: its files, as paths under the output root. Read back
    /// from the cache when the last index built had the same fingerprint.
    pub fn run(&self) -> Result<Vec<(String, Vec<u8>)>, Diagnostic> {
        let key = self.fingerprint();
        if let Some(files) = crate::search::cache::read(&self.cache_dir, key) {
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
        let files = crate::search::bundle(&self.records, self.language, &work)?;
        if self.write_cache {
            crate::search::cache::write(&self.cache_dir, key, &files);
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

/// The instant the build treats as now (stale pages, past and upcoming
/// sessions): `SOURCE_DATE_EPOCH` when set (reproducible builds), else now.
pub fn now() -> jiff::Timestamp {
    std::env::var("SOURCE_DATE_EPOCH")
        .ok()
        .and_then(|s| s.trim().parse::<i64>().ok())
        .and_then(|s| jiff::Timestamp::from_second(s).ok())
        .unwrap_or_else(jiff::Timestamp::now)
}

/// Runs the pipeline: into a staging folder swapped in for `opts.output`
/// when the build succeeds, or nowhere (`check`) without an output. On
/// failure returns every error found.
pub fn build(opts: &Options) -> Result<Report, Vec<Diagnostic>> {
    let Some(out) = &opts.output else {
        return build_into(opts, &Discard);
    };
    let output = check_output(&opts.root, out)?;
    let staging = Staging::new(&output).map_err(|e| write_error(Vec::new(), &output, e))?;
    match build_into(opts, &staging) {
        Ok(report) => match staging.commit() {
            Ok(()) => Ok(report),
            Err(e) => Err(write_error(Vec::new(), &output, e)),
        },
        Err(diags) => {
            staging.abort();
            Err(diags)
        }
    }
}

/// What a build keeps for the next one (`serve`): parsed pages by file and
/// rendered Markdown by page. Each entry is keyed by everything its result
/// depends on, so a cached build is the same as a fresh one by
/// construction; `tests/suite/serve_diff.rs` checks that it is.
#[derive(Default)]
pub struct Cache {
    /// Whether to keep anything for a next build: a one-off build keeps
    /// nothing, so it never holds the whole site's HTML in memory.
    keep: bool,
    load: load::Cache,
    /// Page path → (hash of its text, links epoch, rendered body).
    markdown: HashMap<String, (u64, u64, Arc<markdown::Rendered>)>,
    /// Output path → (fingerprint of the template context, templates,
    /// the HTML). A page whose context and templates did not change is
    /// the same HTML: it is reused instead of rendered.
    pages: HashMap<String, (u64, u64, std::sync::Arc<[u8]>)>,
    /// What the last page rendering was made from, to re-render after a
    /// body edit only the pages that show that body.
    last: Option<LastRender>,
    /// The last resolved site (see [`Resolved`]).
    resolved: Option<Resolved>,
    /// Static files and page assets as last copied.
    copies: Copies,
    /// Photo thumbnails as last made.
    thumbs: ThumbMemo,
}

/// The dependency graph of the last page rendering: the structure it was
/// made from (see [`structure_key`]), the rendered body of each page, and
/// for each page the other pages whose summaries its context read. With
/// the same structure, a page whose body and read summaries are what they
/// were has the same context, so its HTML is reused without building the
/// context at all: a body edit on a 10,000-page handbook builds a handful
/// of contexts instead of 10,000.
struct LastRender {
    structure: u64,
    /// The fingerprint of all templates, which the generated pages were
    /// rendered with.
    templates: u64,
    bodies: Vec<Arc<markdown::Rendered>>,
    reads: Vec<Vec<usize>>,
    /// Each page's search record (`None`: not searchable), when the
    /// handbook has search.
    records: Vec<Option<Arc<crate::search::Record>>>,
    /// The generated pages (topics, gaps): the summaries they read and
    /// their files, when all of them rendered.
    generated: Option<(Vec<usize>, Vec<OutFile>)>,
}

impl LastRender {
    fn same_body(&self, j: usize, rendered: &[Arc<markdown::Rendered>]) -> bool {
        self.bodies
            .get(j)
            .zip(rendered.get(j))
            .is_some_and(|(a, b)| Arc::ptr_eq(a, b))
    }

    /// Whether the summaries of `pages` are what they were.
    fn summaries_unchanged(&self, pages: &[usize], rendered: &[Arc<markdown::Rendered>]) -> bool {
        pages.iter().all(|&j| {
            self.same_body(j, rendered)
                || self
                    .bodies
                    .get(j)
                    .zip(rendered.get(j))
                    .is_some_and(|(a, b)| a.summary == b.summary)
        })
    }

    /// Whether page `i`'s context is the one it had in the last rendering.
    fn unchanged(&self, i: usize, rendered: &[Arc<markdown::Rendered>]) -> bool {
        self.same_body(i, rendered)
            && self
                .reads
                .get(i)
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
fn structure_key(resolved: u64, site: &Site, state: &RenderState, names: &[String]) -> u64 {
    use crate::load::kinds::KindData;
    use std::hash::{Hash, Hasher};
    let mut h = xxhash_rust::xxh3::Xxh3::new();
    resolved.hash(&mut h);
    state.build_date.hash(&mut h);
    names.hash(&mut h);
    for p in &site.pages {
        if let KindData::Module(m) = &p.data {
            for s in &m.sessions {
                (s.end.unwrap_or(s.start).0 < state.now).hash(&mut h);
            }
        }
    }
    let mut photos: Vec<_> = state.photos.iter().collect();
    photos.sort_by_key(|(i, _)| **i);
    let mut posters: Vec<_> = state.posters.iter().collect();
    posters.sort_by_key(|(i, _)| **i);
    format!("{photos:?}{posters:?}").hash(&mut h);
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
}

/// A file of the output: its path and bytes.
type OutFile = (String, Arc<[u8]>);

/// A page rendered (or reused) this build, kept for the next: its output
/// path, context fingerprint and HTML.
type Kept = (String, u64, Arc<[u8]>);

/// What rendering one page gave: its error, what to keep for the next
/// build, the summaries its context read, and its HTML (for its ids).
type PageOutcome = (
    Option<Diagnostic>,
    Option<Kept>,
    Vec<usize>,
    Option<Arc<[u8]>>,
);

/// A `Write` that hashes what is written: fingerprints a context by
/// serialising it, without building the text.
struct HashWriter(xxhash_rust::xxh3::Xxh3);

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
fn fingerprint(parts: &[&dyn erased::Serialize]) -> Option<u64> {
    let mut w = HashWriter(xxhash_rust::xxh3::Xxh3::new());
    for part in parts {
        part.to_writer(&mut w).ok()?;
    }
    Some(w.0.digest())
}

/// `serde::Serialize` is not object safe; this is just enough of it to
/// fingerprint a list of differently typed values.
mod erased {
    pub trait Serialize {
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
/// the language (alert titles), and whether raw HTML is sanitized. When
/// any of it changes, every body is
/// rendered again; edits that change none of it (the common case) re-render
/// only the edited page.
fn links_epoch(site: &Site) -> u64 {
    use std::hash::{Hash, Hasher};
    let mut h = xxhash_rust::xxh3::Xxh3::new();
    site.config.base_path.hash(&mut h);
    site.config.raw.language.code().hash(&mut h);
    site.config.raw.markdown.raw_html.hash(&mut h);
    for (p, url) in site.pages.iter().zip(&site.urls) {
        p.path.hash(&mut h);
        url.hash(&mut h);
    }
    let mut drafts: Vec<&String> = site.drafts.iter().collect();
    drafts.sort();
    drafts.hash(&mut h);
    let mut assets: Vec<&String> = site.assets.iter().collect();
    assets.sort();
    assets.hash(&mut h);
    h.finish()
}

/// Runs the pipeline, writing every file of the site into `sink`. Pages
/// are rendered and written in the same parallel pass: no site-sized
/// buffer of HTML, and disk writes overlap rendering.
pub fn build_into(opts: &Options, sink: &dyn Sink) -> Result<Report, Vec<Diagnostic>> {
    build_into_cached(opts, sink, &mut Cache::default())
}

/// [`build_into`], reusing and updating `cache`.
pub fn build_into_cached(
    opts: &Options,
    sink: &dyn Sink,
    cache: &mut Cache,
) -> Result<Report, Vec<Diagnostic>> {
    // Everything the build writes is recorded, for the static files and
    // page assets to be checked against before they are copied.
    let recording = write::Recording::new(sink);
    let sink: &dyn Sink = &recording;
    let mut timings = Vec::new();
    let mut clock = Instant::now();
    let mut lap = |name: &'static str, timings: &mut Vec<(&'static str, Duration)>| {
        timings.push((name, clock.elapsed()));
        clock = Instant::now();
    };
    let root = opts.root.as_path();
    let mut config = config::load(root)?;
    if let Some(base) = &opts.base_url {
        config.override_base_url(base);
    }

    let mut diags = Vec::new();
    // Every walk judges symlinks against the same canonical root.
    let fence = load::Fence::new(root);
    let (loaded, mut d) = load::load_cached(&fence, &config, &mut cache.load);
    diags.append(&mut d);
    lap("load", &mut timings);
    let theme = Theme::load(&fence, &config.raw.theme, &mut diags);
    let mut statics = Vec::new();
    load::walk(&fence, &root.join("static"), &mut diags, |rel, abs| {
        statics.push((rel, abs))
    });
    let strings = load_strings(&theme, config.raw.language, &mut diags);
    let templates = match Templates::load(&theme, &strings) {
        Ok(t) => Some(t),
        Err(mut d) => {
            diags.append(&mut d);
            None
        }
    };
    lap("theme", &mut timings);

    let now = now();
    let today = now.to_zoned_datetime(config.tz.clone()).date();
    let key = cache
        .keep
        .then(|| resolve_key(&config, &loaded, opts.drafts, today));
    let (site, pending, resolve_diags) = match cache.resolved.take() {
        Some(r) if Some(r.key) == key => r.with_pages(loaded),
        _ => resolve::resolve(root.to_path_buf(), config, loaded, opts.drafts, today),
    };
    diags.extend(resolve_diags.iter().cloned());
    lap("resolve", &mut timings);
    // The rest of the build borrows the site; it runs in a closure so that
    // however it ends (its early returns are failed builds), the site is
    // handed to the cache afterwards for the next build to reuse.
    let rest = || -> Result<Report, Vec<Diagnostic>> {
        let epoch = links_epoch(&site);
        let previous = &cache.markdown;
        let (texts, rendered): (Vec<u64>, Vec<Arc<markdown::Rendered>>) = (0..site.pages.len())
            .into_par_iter()
            .map(|i| {
                let p = &site.pages[i];
                let text = xxhash_rust::xxh3::xxh3_64(p.src.text.as_bytes());
                let r = match previous.get(&p.path) {
                    Some((t, e, r)) if *t == text && *e == epoch => r.clone(),
                    _ => Arc::new(markdown::render(&markdown::RenderContext::new(
                        i,
                        &p.src,
                        &site.config,
                        &site,
                    ))),
                };
                (text, r)
            })
            .unzip();
        if cache.keep {
            // Updated in place: after an edit, nearly every entry stays.
            for ((p, text), r) in site.pages.iter().zip(texts).zip(&rendered) {
                match cache.markdown.get_mut(&p.path) {
                    Some(entry) => {
                        if !Arc::ptr_eq(&entry.2, r) || entry.0 != text || entry.1 != epoch {
                            *entry = (text, epoch, r.clone());
                        }
                    }
                    None => {
                        cache
                            .markdown
                            .insert(p.path.clone(), (text, epoch, r.clone()));
                    }
                }
            }
            if cache.markdown.len() != site.pages.len() {
                cache
                    .markdown
                    .retain(|path, _| site.by_path.contains_key(path));
            }
        }
        for r in &rendered {
            diags.extend(r.errors.iter().cloned());
        }
        // Anchors are checked against the headings now, and those that name
        // none against the ids of their target's final HTML once the pages
        // are rendered (on every build: serve's caches hold HTML, not this
        // verdict, so a changed target page is judged again).
        let unresolved = {
            let headings: Vec<&HashSet<String>> = rendered.iter().map(|r| &r.anchors).collect();
            markdown::unresolved(
                pending
                    .iter()
                    .chain(rendered.iter().flat_map(|r| &r.pending)),
                &headings,
            )
        };
        let mut needs_ids = vec![false; site.pages.len()];
        for p in &unresolved {
            needs_ids[p.target] = true;
        }
        lap("markdown", &mut timings);

        let Some(templates) = templates else {
            return Err(failed(diags));
        };
        let names: Vec<String> = (0..site.pages.len())
            .map(|i| template_for(&site, i, &templates, &mut diags))
            .collect();
        if diags.iter().any(Diagnostic::is_error) {
            return Err(failed(diags));
        }

        let cache_dir = root.join(".esiin-cache").join("thumbs");
        let thumb_cache = if opts.write_cache {
            ThumbCache::new(cache_dir)
        } else {
            ThumbCache::read_only(cache_dir)
        };
        let (photos, thumbs, mut d) =
            thumbnails(&site, &thumb_cache, cache.keep.then_some(&mut cache.thumbs));
        diags.append(&mut d);
        lap("photos", &mut timings);
        if diags.iter().any(Diagnostic::is_error) {
            return Err(failed(diags));
        }
        let poster_cache = PngCache {
            dir: &root.join(".esiin-cache").join("posters"),
            read_only: !opts.write_cache,
        };
        let (posters, poster_files, mut d) = posters(&site, &strings, &poster_cache);
        diags.append(&mut d);
        lap("posters", &mut timings);
        if diags.iter().any(Diagnostic::is_error) {
            return Err(failed(diags));
        }
        let state = RenderState {
            rendered,
            photos,
            posters,
            now,
            build_date: today.to_string(),
        };
        let build_date = &state.build_date;
        let emit = |rel: &str, bytes: &[u8]| -> Result<(), Diagnostic> {
            sink.write(rel, bytes).map_err(|e| {
                Diagnostic::error(format!("cannot write `{rel}` into the output: {e}"))
                    .hint("check that the output folder is writable and the disk is not full")
            })
        };
        let write_shared = |rel: &str, bytes: &Arc<[u8]>| -> Result<(), Diagnostic> {
            sink.write_shared(rel, bytes).map_err(|e| {
                Diagnostic::error(format!("cannot write `{rel}` into the output: {e}"))
                    .hint("check that the output folder is writable and the disk is not full")
            })
        };
        // Pages whose context and templates are what they were in the previous
        // build (`serve`) are reused: the same input renders the same HTML.
        let templates_key = templates.fingerprint();
        // What each template renders with: a page is rendered again when
        // its own template (or one it uses) changed, not when any did.
        let mut by_template: HashMap<&str, u64> = HashMap::new();
        for name in &names {
            if !by_template.contains_key(name.as_str()) {
                by_template.insert(name, templates.fingerprint_of(name));
            }
        }
        let page_template = |i: usize| {
            by_template
                .get(names[i].as_str())
                .copied()
                .unwrap_or(templates_key)
        };
        let previous = std::mem::take(&mut cache.pages);
        let keep = cache.keep;
        let structure = key.map(|k| structure_key(k, &site, &state, &names));
        let last = cache
            .last
            .take()
            .filter(|l| Some(l.structure) == structure && l.bodies.len() == site.pages.len());
        // The search index: a one-off build makes it on a thread of its own
        // while the pages render (the index builder works mostly on one
        // core, the pages keep the others busy); a build that keeps its
        // work (`serve`) leaves it to the caller, which builds it off the
        // edit loop (see `SearchJob`). A page's record is kept while the
        // structure, the strings and its body are what they were. `check`
        // writes nothing, so it makes no index.
        let page_records: Option<Vec<Option<Arc<crate::search::Record>>>> =
            (site.config.raw.search && !sink.discards() && !diags.iter().any(Diagnostic::is_error))
                .then(|| {
                    let kept = last.as_ref().filter(|l| {
                        l.templates == templates_key && l.records.len() == site.pages.len()
                    });
                    (0..site.pages.len())
                        .into_par_iter()
                        .map(|i| match kept {
                            Some(l) if l.same_body(i, &state.rendered) => l.records[i].clone(),
                            _ => crate::search::record(&site, &state, &strings, i).map(Arc::new),
                        })
                        .collect()
                });
        let search = page_records.as_ref().map(|recs| SearchJob {
            records: recs.iter().flatten().cloned().collect(),
            language: site.config.raw.language.code(),
            cache_dir: root.join(".esiin-cache").join("search"),
            write_cache: opts.write_cache,
            fingerprint: std::sync::OnceLock::new(),
        });
        let (search_job, search_thread) = match search {
            Some(job) if !cache.keep => (None, Some(std::thread::spawn(move || job.run()))),
            job => (job, None),
        };
        let render_page = |i: usize| -> PageOutcome {
            let rel = format!("{}index.html", site.urls[i]);
            let write = |html: &Arc<[u8]>| write_shared(&rel, html).err();
            // The same structure, body and read summaries: the same
            // context, so the same HTML, without building the context.
            if let Some(last) = &last
                && last.unchanged(i, &state.rendered)
                && let Some((print, t, html)) = previous.get(&rel)
                && *t == page_template(i)
            {
                let reads = last.reads[i].clone();
                return (
                    write(html),
                    Some((rel, *print, html.clone())),
                    reads,
                    Some(html.clone()),
                );
            }
            let ((site_ctx, page_ctx), reads) =
                reading_summaries(|| (site.site_ctx(i, build_date), site.page_ctx(i, &state)));
            // Only a build that keeps its work for the next needs fingerprints.
            let print = if keep {
                fingerprint(&[&site_ctx, &page_ctx, &names[i]])
            } else {
                None
            };
            if let (Some(print), Some((p, t, html))) = (print, previous.get(&rel))
                && *p == print
                && *t == page_template(i)
            {
                return (
                    write(html),
                    Some((rel, print, html.clone())),
                    reads,
                    Some(html.clone()),
                );
            }
            let mut ctx = tera::Context::new();
            ctx.insert("site", &site_ctx);
            ctx.insert("page", &page_ctx);
            let what = format!("`{}`", site.pages[i].src.rel.display());
            let html: Arc<[u8]> = match templates.render(&names[i], &ctx, &what) {
                Ok(h) => Arc::from(h.into_bytes()),
                Err(d) => return (Some(d), None, reads, None),
            };
            // A one-off build lets each page's HTML go once written.
            (
                write(&html),
                print.filter(|_| keep).map(|p| (rel, p, html.clone())),
                reads,
                Some(html),
            )
        };
        let results: Vec<_> = (0..site.pages.len())
            .into_par_iter()
            .map(|i| {
                let (err, kept, reads, html) = render_page(i);
                // Only the pages an unresolved anchor points to are scanned.
                let ids = html
                    .filter(|_| needs_ids[i])
                    .map(|h| markdown::html_ids(&h));
                (err, kept, reads, ids)
            })
            .collect();
        let mut render_errors = Vec::new();
        let mut all_reads = Vec::with_capacity(results.len());
        let mut ids = Vec::with_capacity(results.len());
        for (i, (err, kept, reads, page_ids)) in results.into_iter().enumerate() {
            render_errors.extend(err);
            all_reads.push(reads);
            ids.push(page_ids);
            if let Some((rel, print, html)) = kept
                && cache.keep
            {
                cache.pages.insert(rel, (print, page_template(i), html));
            }
        }
        diags.extend(once_per_place(render_errors));
        let headings: Vec<&HashSet<String>> = state.rendered.iter().map(|r| &r.anchors).collect();
        diags.extend(markdown::check_anchors(&unresolved, &headings, &ids));
        let mut files = site.pages.len();
        lap("pages", &mut timings);

        // Pages without a source: topics, the topic index, expertise gaps.
        // With the same structure and the same summaries of the pages they
        // list, they are what they were: reused without building them.
        let reused = last
            .as_ref()
            .filter(|l| l.templates == templates_key)
            .and_then(|l| {
                let (reads, files) = l.generated.as_ref()?;
                l.summaries_unchanged(reads, &state.rendered)
                    .then(|| (reads.clone(), files.clone()))
            });
        let (generated_reads, generated_files, gen_errors) = match reused {
            Some((reads, gen_files)) => {
                let errors: Vec<Diagnostic> = gen_files
                    .iter()
                    .filter_map(|(rel, html)| write_shared(rel, html).err())
                    .collect();
                (reads, gen_files, errors)
            }
            None => {
                let (generated, reads) =
                    reading_summaries(|| site.generated_pages(&state, &strings));
                let nav_page = site.experts_section.unwrap_or(site.home);
                let rendered: Vec<Result<OutFile, Diagnostic>> = generated
                    .par_iter()
                    .filter(|g| templates.exists(g.template))
                    .map(|g| {
                        let mut ctx = tera::Context::new();
                        ctx.insert("site", &site.site_ctx(nav_page, build_date));
                        ctx.insert("page", &g.page);
                        let what = format!("the generated page `{}`", site.config.url(&g.url));
                        let html: Arc<[u8]> =
                            Arc::from(templates.render(g.template, &ctx, &what)?.into_bytes());
                        let rel = format!("{}index.html", g.url);
                        write_shared(&rel, &html)?;
                        Ok((rel, html))
                    })
                    .collect();
                let mut gen_files = Vec::new();
                let mut errors = Vec::new();
                for r in rendered {
                    match r {
                        Ok(file) => gen_files.push(file),
                        Err(d) => errors.push(d),
                    }
                }
                (reads, gen_files, errors)
            }
        };
        files += generated_files.len();
        if let Some(structure) = structure {
            cache.last = Some(LastRender {
                structure,
                templates: templates_key,
                records: page_records.unwrap_or_default(),
                bodies: state.rendered.clone(),
                reads: all_reads,
                // Kept only when all of them rendered.
                generated: gen_errors
                    .is_empty()
                    .then_some((generated_reads, generated_files)),
            });
        }
        diags.extend(once_per_place(gen_errors));
        lap("generated", &mut timings);

        for (rel, bytes) in &thumbs {
            match write_shared(rel, bytes) {
                Ok(()) => files += 1,
                Err(d) => diags.push(d),
            }
        }
        for (rel, bytes) in &poster_files {
            match emit(rel, bytes) {
                Ok(()) => files += 1,
                Err(d) => diags.push(d),
            }
        }

        // Calendars: one per module with sessions, one for all sessions.
        for (rel, ics) in site.calendars(now) {
            match emit(&rel, ics.as_bytes()) {
                Ok(()) => files += 1,
                Err(d) => diags.push(d),
            }
        }
        for (alias, target) in &site.aliases {
            let mut ctx = tera::Context::new();
            ctx.insert("site", &site.site_ctx(*target, build_date));
            let url = markdown::encode_path(&site.url(*target));
            let permalink = site.config.origin.as_ref().map(|o| format!("{o}{url}"));
            ctx.insert(
            "page",
            &serde_json::json!({ "title": site.pages[*target].title, "url": url, "permalink": permalink }),
        );
            let path = if alias.ends_with('/') {
                format!("{alias}index.html")
            } else {
                alias.clone()
            };
            match templates
                .render(
                    "redirect.html",
                    &ctx,
                    &format!("the redirect from `{alias}`"),
                )
                .and_then(|html| emit(&path, html.as_bytes()))
            {
                Ok(()) => files += 1,
                Err(d) => diags.push(d),
            }
        }
        if templates.exists("404.html") {
            let mut ctx = tera::Context::new();
            ctx.insert("site", &site.site_ctx(site.home, build_date));
            let title = strings
                .get("not_found_title")
                .and_then(|v| v.as_str())
                .unwrap_or("Page not found");
            ctx.insert(
            "page",
            &serde_json::json!({ "title": title, "url": site.url(site.home), "toc": [], "breadcrumbs": [] }),
        );
            match templates
                .render("404.html", &ctx, "the not-found page")
                .and_then(|html| emit("404.html", html.as_bytes()))
            {
                Ok(()) => files += 1,
                Err(d) => diags.push(d),
            }
        }
        lap("other pages", &mut timings);
        if let Some(thread) = search_thread {
            match thread.join() {
                Ok(Ok(search_files)) => {
                    for (rel, bytes) in &search_files {
                        match emit(rel, bytes) {
                            Ok(()) => files += 1,
                            Err(d) => diags.push(d),
                        }
                    }
                }
                Ok(Err(d)) => diags.push(d),
                Err(_) => diags.push(
                    Diagnostic::error("the search index builder failed unexpectedly").hint(
                        "turn the search index off with `search: false` in handbook.yaml to build without it, and report this to the maintainers of esiin",
                    ),
                ),
            }
            lap("search", &mut timings);
        }
        diags.extend(clashes(&site, &statics, &recording.paths()));
        if diags.iter().any(Diagnostic::is_error) {
            return Err(failed(diags));
        }

        let mut report = Report {
            pages: site.pages.len(),
            files,
            warnings: Vec::new(),
            timings: Vec::new(),
            search: search_job,
        };
        match copy_files(
            &site,
            &theme,
            statics,
            sink,
            cache.keep.then_some(&mut cache.copies),
        ) {
            Ok(n) => report.files += n,
            Err(e) => {
                diags.push(
                    Diagnostic::error(format!("cannot copy the site's files: {e}"))
                        .hint("check that `static/` is readable, the output folder writable and the disk not full"),
                );
                return Err(failed(diags));
            }
        }
        lap("copy", &mut timings);
        report.warnings = finish(diags);
        report.timings = timings;
        Ok(report)
    };
    let result = rest();
    if let Some(key) = key {
        cache.resolved = Some(Resolved {
            key,
            site,
            pending,
            diags: resolve_diags,
        });
    }
    result
}

/// A resolved site kept for the next build, with the key of what it was
/// resolved from.
struct Resolved {
    key: u64,
    site: Site,
    pending: Vec<resolve::PendingAnchor>,
    diags: Vec<Diagnostic>,
}

impl Resolved {
    /// The site, its pending anchors and diagnostics, with the pages as
    /// loaded now: the same front matter resolves to the same site, so only
    /// the pages (their bodies) are swapped in.
    fn with_pages(
        mut self,
        loaded: load::Loaded,
    ) -> (Site, Vec<resolve::PendingAnchor>, Vec<Diagnostic>) {
        for page in loaded.pages {
            if let Some(&i) = self.site.by_path.get(&page.path) {
                self.site.pages[i] = page;
            }
        }
        (self.site, self.pending, self.diags)
    }
}

/// A hash of everything `resolve` reads: the configuration, the drafts
/// flag, the day, the folders and files, and every page's path and front
/// matter (not its body, which `resolve` never reads).
fn resolve_key(
    config: &config::Site,
    loaded: &load::Loaded,
    drafts: bool,
    today: jiff::civil::Date,
) -> u64 {
    use std::hash::{Hash, Hasher};
    let mut h = xxhash_rust::xxh3::Xxh3::new();
    format!("{config:?}").hash(&mut h);
    (drafts, today).hash(&mut h);
    loaded.assets.hash(&mut h);
    loaded.dirs.hash(&mut h);
    for p in &loaded.pages {
        p.src.rel.hash(&mut h);
        p.path.hash(&mut h);
        p.src.fm.start.hash(&mut h);
        p.src.text.get(p.src.fm.clone()).hash(&mut h);
        p.src.text.is_empty().hash(&mut h);
    }
    h.finish()
}

/// Thumbnail sizes in pixels: the directory card and the profile (each
/// twice the CSS size, for high-density screens).
const CARD_PX: u32 = 160;
const PROFILE_PX: u32 = 320;

type Thumbs = (HashMap<usize, Photos>, Vec<OutFile>, Vec<Diagnostic>);

/// Thumbnails made by the last build (`serve`), by photo: a photo whose
/// stamp is unchanged is not read again.
type ThumbMemo = load::ByStamp<Vec<crate::render::images::Thumb>>;

/// Resizes every expert's photo (in parallel, through the cache), returning
/// the images for contexts, the files to write, and located errors for
/// photos that cannot be read.
fn thumbnails(site: &Site, cache: &ThumbCache, memo: Option<&mut ThumbMemo>) -> Thumbs {
    use crate::load::kinds::KindData;
    use crate::resolve::Target;
    let jobs: Vec<(usize, String, String)> = site
        .pages
        .iter()
        .enumerate()
        .filter_map(|(i, p)| match &p.data {
            KindData::Expert(e) => {
                let photo = e.photo.as_deref()?;
                match site.resolve_link(i, photo) {
                    Ok(Target::Asset { path }) => Some((i, photo.to_string(), path)),
                    _ => None,
                }
            }
            _ => None,
        })
        .collect();
    let kept = memo.as_deref();
    let read_at = std::time::SystemTime::now();
    let results: Vec<_> = jobs
        .par_iter()
        .map(|(i, written, path)| {
            let src = site.root.join("content").join(path);
            let stamp = kept.and_then(|_| load::stamp(&src));
            let result = match kept.and_then(|k| k.get(&src, stamp)) {
                Some(thumbs) => Ok(thumbs),
                None => cache.squares(&src, &[CARD_PX, PROFILE_PX]),
            };
            (*i, written, path, src, stamp, result)
        })
        .collect();
    if let Some(memo) = memo {
        let made = results.iter().filter_map(|(_, _, _, src, stamp, result)| {
            Some((src.clone(), (*stamp)?, result.as_ref().ok()?.clone()))
        });
        memo.replace(made, read_at);
    }
    let mut photos = HashMap::new();
    let mut files = Vec::new();
    let mut diags = Vec::new();
    for (i, written, path, _, _, result) in results {
        match result {
            Ok(thumbs) => {
                let stem = path.rsplit_once('.').map_or(path.as_str(), |(s, _)| s);
                let mut imgs = thumbs
                    .into_iter()
                    .zip([CARD_PX, PROFILE_PX])
                    .map(|(t, px)| {
                        let rel = format!("{stem}.{px}.{}", t.ext);
                        let img = Img {
                            url: markdown::encode_path(&site.config.url(&rel)),
                            width: t.width,
                            height: t.height,
                        };
                        files.push((rel, t.bytes));
                        img
                    });
                if let (Some(card), Some(profile)) = (imgs.next(), imgs.next()) {
                    photos.insert(i, Photos { card, profile });
                }
            }
            Err(e) => diags.push(
                site.pages[i]
                    .src
                    .error_at_key("photo", Some(written), e.to_string())
                    .hint(e.hint()),
            ),
        }
    }
    (photos, files, diags)
}

type Posters = (
    HashMap<usize, PosterCtx>,
    Vec<(String, Vec<u8>)>,
    Vec<Diagnostic>,
);

/// Makes the one-image poster of every guidelines page that does not bring
/// its own `image`: `guidelines.svg` and `guidelines.png` beside the page.
fn posters(site: &Site, strings: &serde_json::Value, cache: &PngCache) -> Posters {
    use crate::load::kinds::KindData;
    use crate::render::poster::{PosterText, render_cached};
    let label = |key: &str, default: &'static str| -> String {
        strings
            .get(key)
            .and_then(|v| v.as_str())
            .unwrap_or(default)
            .to_string()
    };
    let (do_label, dont_label) = (label("do", "Do"), label("dont", "Don't"));
    let jobs: Vec<(usize, &crate::load::kinds::Guidelines)> = (0..site.pages.len())
        .filter_map(|i| match &site.pages[i].data {
            KindData::Guidelines(g) if g.image.is_none() && !g.rules.is_empty() => Some((i, &**g)),
            _ => None,
        })
        .collect();
    let results: Vec<_> = jobs
        .par_iter()
        .map(|&(i, g)| {
            let text = PosterText {
                title: &site.config.raw.title,
                heading: &site.pages[i].title,
                do_label: &do_label,
                dont_label: &dont_label,
            };
            (i, g, render_cached(&text, &g.rules, Some(cache)))
        })
        .collect();
    let mut ctx = HashMap::new();
    let mut files = Vec::new();
    let mut diags = Vec::new();
    for (i, g, result) in results {
        let p = &site.pages[i];
        match result {
            Ok(poster) => {
                let base = &site.urls[i];
                let url =
                    |file: &str| markdown::encode_path(&site.config.url(&format!("{base}{file}")));
                ctx.insert(
                    i,
                    PosterCtx {
                        svg_url: url("guidelines.svg"),
                        png_url: url("guidelines.png"),
                        width: poster.width,
                        height: poster.height,
                        alt: poster_alt(&p.title, &g.rules, &do_label, &dont_label),
                    },
                );
                files.push((format!("{base}guidelines.svg"), poster.svg.into_bytes()));
                files.push((format!("{base}guidelines.png"), poster.png));
            }
            Err(e) => diags.push(
                p.src
                    .error_at_key("rules", None, e.to_string())
                    .hint(e.hint()),
            ),
        }
    }
    (ctx, files, diags)
}

/// The poster's alt text: what it says, in one breath.
fn poster_alt(
    title: &str,
    rules: &[crate::load::kinds::Rule],
    do_label: &str,
    dont_label: &str,
) -> String {
    let dos: Vec<&str> = rules.iter().filter_map(|r| r.do_.as_deref()).collect();
    let donts: Vec<&str> = rules.iter().filter_map(|r| r.dont.as_deref()).collect();
    let mut alt = format!("{title}, {} rules.", rules.len());
    if !dos.is_empty() {
        alt.push_str(&format!(" {do_label}: {}.", dos.join("; ")));
    }
    if !donts.is_empty() {
        alt.push_str(&format!(" {dont_label}: {}.", donts.join("; ")));
    }
    alt
}

/// A template that fails on every page is one error: keep the first
/// diagnostic of each template position and say how many more pages it hit.
fn once_per_place(mut errors: Vec<Diagnostic>) -> Vec<Diagnostic> {
    diag::sort(&mut errors);
    let mut out: Vec<(Diagnostic, usize)> = Vec::new();
    for d in errors {
        match out.last_mut() {
            Some((first, n))
                if first.file == d.file && first.pos == d.pos && first.message == d.message =>
            {
                *n += 1
            }
            _ => out.push((d, 0)),
        }
    }
    out.into_iter()
        .map(|(d, more)| match more {
            0 => d,
            n => {
                let hint = d.hint.clone().unwrap_or_default();
                let s = if n == 1 { "" } else { "s" };
                d.hint(format!("{hint} (and {n} other page{s})"))
            }
        })
        .collect()
}

fn write_error(mut diags: Vec<Diagnostic>, output: &Path, e: std::io::Error) -> Vec<Diagnostic> {
    diags.push(
        Diagnostic::error(format!(
            "cannot write the site to `{}`: {e}",
            output.display()
        ))
        .hint("check that the output folder and its parent are writable and the disk is not full"),
    );
    failed(diags)
}

/// The diagnostics of a failed build: its errors only. Warnings are
/// computed from a handbook that did not load whole (a page with an error
/// stands in with empty fields), so they would be noise, and some wrong;
/// they return with the next build that succeeds.
fn failed(mut diags: Vec<Diagnostic>) -> Vec<Diagnostic> {
    diags.retain(Diagnostic::is_error);
    finish(diags)
}

fn finish(mut diags: Vec<Diagnostic>) -> Vec<Diagnostic> {
    diag::sort(&mut diags);
    diags.dedup();
    diags
}

/// The template that renders page `i`.
fn template_for(
    site: &Site,
    i: usize,
    templates: &Templates,
    diags: &mut Vec<Diagnostic>,
) -> String {
    let p = &site.pages[i];
    if let Some(name) = &p.common.template {
        if templates.exists(name) {
            return name.clone();
        }
        let names: Vec<&str> = templates.tera.get_template_names().collect();
        let hint = match diag::suggest(name, names.iter().copied()) {
            Some(best) => format!("did you mean `{best}`?"),
            None => "put the template in the handbook's `templates/` folder".to_string(),
        };
        diags.push(
            p.src
                .error_at_key(
                    "template",
                    Some(name),
                    format!("there is no template `{name}`"),
                )
                .hint(hint),
        );
    }
    let name = match p.kind {
        Kind::Section if i == site.home => "index.html",
        Kind::Section if site.experts_section == Some(i) => "directory.html",
        Kind::Section if site.training_section == Some(i) => "catalogue.html",
        Kind::Section => "section.html",
        Kind::Expert => "expert.html",
        Kind::Module => "module.html",
        Kind::Plan => "plan.html",
        Kind::Guidelines => "guidelines.html",
        Kind::Path => "path.html",
        Kind::Page => "page.html",
    };
    if templates.exists(name) {
        name.to_string()
    } else if p.is_section && templates.exists("section.html") {
        "section.html".into()
    } else {
        "page.html".into()
    }
}

/// The UI strings of the theme in `language`.
fn load_strings(
    theme: &Theme,
    language: config::Language,
    diags: &mut Vec<Diagnostic>,
) -> serde_json::Value {
    let name = format!("strings/{}.yaml", language.code());
    let Some(file) = theme.files.get(&name) else {
        return serde_json::Value::Object(Default::default());
    };
    let shown = file.origin.shown(&name);
    let text = String::from_utf8_lossy(&file.bytes);
    match crate::yaml::from_str::<serde_json::Value>(&text) {
        Ok(v) => v,
        Err(e) => {
            let mut d = Diagnostic::error(e.message).in_file(shown).hint(e.hint);
            if let Some(pos) = e.pos {
                d = d.at(&text, pos);
            }
            diags.push(d);
            serde_json::Value::Object(Default::default())
        }
    }
}

/// Refuses an output folder that would overwrite or mix with sources, or
/// that is not esiin's to replace: a build replaces its output whole, so
/// an existing folder must be empty or hold [`write::MARKER`], and a link
/// is refused rather than followed (its target may be anything).
fn check_output(root: &Path, out: &Path) -> Result<PathBuf, Vec<Diagnostic>> {
    let root_abs = normalize(&absolute(root));
    let out_abs = normalize_but_last(&absolute(out));
    let refuse = |why: &str| {
        refusal(
            out,
            why,
            "choose an output folder of its own, e.g. `--output public`",
        )
    };
    if root_abs.starts_with(&out_abs) {
        return refuse("it holds the handbook");
    }
    for src in ["content", "static", "templates", "themes", ".git"] {
        if out_abs.starts_with(root_abs.join(src)) {
            return refuse(&format!("it is inside `{src}/`, which holds sources"));
        }
    }
    let Ok(meta) = std::fs::symlink_metadata(&out_abs) else {
        return Ok(out_abs);
    };
    if meta.is_symlink() {
        return refusal(
            out,
            "it is a symbolic link, and esiin does not replace a folder elsewhere",
            "give the folder itself as `--output`, or remove the link",
        );
    }
    if !meta.is_dir() {
        return refuse("it is a file");
    }
    for marker in [config::FILE, "content", ".git", "Cargo.toml"] {
        if out_abs.join(marker).exists() {
            return refuse(&format!(
                "it holds `{marker}`: it looks like sources, not a built site"
            ));
        }
    }
    match write::replaceable(&out_abs) {
        Ok(true) => Ok(out_abs),
        Ok(false) => Err(vec![
            Diagnostic::error(format!(
                "`{}` is not a folder esiin wrote: a build would delete its files",
                out.display()
            ))
            .hint(format!(
                "give `--output` a new or empty folder; if an earlier esiin built it, \
                 delete it once yourself (builds now leave `{}` in their output)",
                write::MARKER
            )),
        ]),
        Err(e) => refuse(&format!("it cannot be read: {e}")),
    }
}

fn refusal(out: &Path, why: &str, hint: &str) -> Result<PathBuf, Vec<Diagnostic>> {
    Err(vec![
        Diagnostic::error(format!(
            "refusing to write the site to `{}`: {why}",
            out.display()
        ))
        .hint(hint),
    ])
}

fn absolute(p: &Path) -> PathBuf {
    if p.is_absolute() {
        p.to_path_buf()
    } else {
        std::env::current_dir().unwrap_or_default().join(p)
    }
}

/// [`normalize`], except that a last component that is a link is kept as
/// the link: the output folder is checked (and refused) as itself.
fn normalize_but_last(p: &Path) -> PathBuf {
    match (p.parent(), p.components().next_back()) {
        (Some(parent), Some(std::path::Component::Normal(name))) => normalize(parent).join(name),
        _ => normalize(p),
    }
}

/// Resolves `.` and `..` and symlinks of the part that exists.
fn normalize(p: &Path) -> PathBuf {
    let mut existing = p.to_path_buf();
    let mut rest = Vec::new();
    while !existing.exists() {
        match (existing.parent(), existing.file_name()) {
            (Some(parent), Some(name)) => {
                rest.push(name.to_os_string());
                existing = parent.to_path_buf();
            }
            _ => break,
        }
    }
    let mut out = existing.canonicalize().unwrap_or(existing);
    for name in rest.into_iter().rev() {
        if name == ".." {
            out.pop();
        } else if name != "." {
            out.push(name);
        }
    }
    out
}

/// The static files and page assets that would land where the build wrote
/// a page or another file (`static/plan/index.html` over the page of
/// `content/plan.md`), where it needs a folder or a file of its own, or on
/// each other: copied last, they would replace it without a word. With
/// search on, `search/` is the index's (`serve` builds it later, `check`
/// not at all, so its files are not among those `written`).
fn clashes(
    site: &Site,
    statics: &[(String, PathBuf)],
    written: &HashSet<String>,
) -> Vec<Diagnostic> {
    let folders: HashSet<&str> = written
        .iter()
        .flat_map(|p| p.match_indices('/').map(|(i, _)| &p[..i]))
        .collect();
    let mut assets: Vec<&String> = site.assets.iter().collect();
    assets.sort();
    let copies = statics
        .iter()
        .map(|(rel, abs)| (rel.as_str(), diag::display_path(&site.root, abs)))
        .chain(
            assets
                .into_iter()
                .map(|a| (a.as_str(), Path::new("content").join(a))),
        );
    let mut seen: HashMap<&str, PathBuf> = HashMap::new();
    let mut diags = Vec::new();
    for (rel, shown) in copies {
        let what = if let Some(first) = seen.get(rel) {
            Some(format!("`{}`, copied to the same place", first.display()))
        } else if site.config.raw.search && rel.starts_with(crate::search::DIR) {
            Some(format!(
                "the search index esiin writes in `/{}`",
                crate::search::DIR
            ))
        } else {
            clash_with_written(site, rel, written, &folders)
        };
        match what {
            Some(what) => diags.push(
                Diagnostic::error(format!("copied to `/{rel}`, it would replace {what}"))
                .in_file(&shown)
                .hint("move or rename this file: a copied file must not stand in for what esiin generates (to change a page, edit its source or its template in `templates/`)"),
            ),
            None => {
                seen.insert(rel, shown);
            }
        }
    }
    diags
}

/// What among the `written` files the copy to `rel` would replace: the
/// same path, a folder of written files, or a written file where `rel`
/// needs a folder.
fn clash_with_written(
    site: &Site,
    rel: &str,
    written: &HashSet<String>,
    folders: &HashSet<&str>,
) -> Option<String> {
    if written.contains(rel) {
        return Some(written_by(site, rel));
    }
    if folders.contains(rel) {
        // Named by its page when it is one, else by its first file.
        let page = format!("{rel}/index.html");
        let inside = format!("{rel}/");
        let first = Some(&page)
            .filter(|p| written.contains(*p))
            .or_else(|| written.iter().filter(|p| p.starts_with(&inside)).min())?;
        return Some(format!("the folder of {}", written_by(site, first)));
    }
    rel.match_indices('/')
        .map(|(i, _)| &rel[..i])
        .find(|prefix| written.contains(*prefix))
        .map(|file| written_by(site, file))
}

/// Who writes the output file `rel`: a page (by its source), an alias's
/// redirect, or esiin itself (generated pages, calendars, the index…).
fn written_by(site: &Site, rel: &str) -> String {
    // Site URLs and aliases are kept without the leading `/`.
    let page_url = rel.strip_suffix("index.html");
    let source = |i: usize| site.pages[i].src.rel.display().to_string();
    if let Some(i) = page_url.and_then(|u| site.urls.iter().position(|p| p == u)) {
        return format!("the page of `{}`", source(i));
    }
    let alias = site.aliases.iter().find(|(a, _)| {
        let a = a.trim_start_matches('/');
        a == rel || Some(a) == page_url
    });
    match alias {
        Some((a, target)) => format!(
            "the redirect from `/{}` (an alias of `{}`)",
            a.trim_start_matches('/'),
            source(*target)
        ),
        None => "a file esiin generates".to_string(),
    }
}

/// Copies the theme's and the handbook's static files and the assets beside
/// pages into the sink, and writes the highlighting stylesheets. Returns
/// how many files it wrote.
fn copy_files(
    site: &Site,
    theme: &Theme,
    statics: Vec<(String, PathBuf)>,
    sink: &dyn Sink,
    kept: Option<&mut Copies>,
) -> std::io::Result<usize> {
    let mut count = 0;
    // Theme files first, then the handbook's `static/` over them.
    for (rel, file) in theme.under("static") {
        sink.write(rel, &file.bytes)?;
        count += 1;
    }
    let chosen = site.config.raw.highlight_theme.as_deref();
    let light = chosen.unwrap_or(highlight::DEFAULT_LIGHT);
    let dark = chosen.unwrap_or(highlight::DEFAULT_DARK);
    sink.write("highlight-light.css", highlight::css(light).as_bytes())?;
    sink.write("highlight-dark.css", highlight::css(dark).as_bytes())?;
    count += 2;
    let copies: Vec<(String, PathBuf)> = statics
        .into_iter()
        .chain(
            site.assets
                .iter()
                .map(|a| (a.clone(), site.root.join("content").join(a))),
        )
        .collect();
    count += copies.len();
    let Some(kept) = kept else {
        copies
            .par_iter()
            .try_for_each(|(rel, abs)| sink.copy(abs, rel))?;
        return Ok(count);
    };
    // `serve`: a file whose stamp is what it was is not read again (a
    // handbook's photos and attachments can be hundreds of megabytes).
    let read_at = std::time::SystemTime::now();
    let read: Vec<(PathBuf, Option<load::Stamp>, Arc<[u8]>)> = copies
        .par_iter()
        .map(|(rel, abs)| {
            let now = load::stamp(abs);
            let bytes = match kept.get(abs, now) {
                Some(bytes) => bytes,
                // Not blocking: a FIFO swapped in since the walk must
                // not stall `serve`'s rebuilds.
                None => Arc::from(load::read_regular(abs, None)?),
            };
            sink.write_shared(rel, &bytes)?;
            Ok((abs.clone(), now, bytes))
        })
        .collect::<std::io::Result<_>>()?;
    let made = read
        .into_iter()
        .filter_map(|(abs, now, bytes)| Some((abs, now?, bytes)));
    kept.replace(made, read_at);
    Ok(count)
}

/// Files copied into the output by the last build (`serve`), by source
/// path: a file whose stamp is unchanged is not read again.
type Copies = load::ByStamp<Arc<[u8]>>;

#[cfg(test)]
mod tests {
    #[test]
    fn the_index_builder_version_in_fingerprints_is_the_locked_one() {
        let lock = include_str!("../Cargo.lock");
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
