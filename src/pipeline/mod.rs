//! The build, end to end: load → resolve → render → write. `build` and
//! `check` are this with and without the last stage.
//!
//! [`build_into_cached`] loads and resolves; [`Build::run`] is the rest,
//! step by step, each step a method of [`Build`] in the file of its kind:
//! `pages.rs` (Markdown, pages, generated pages, redirects), `assets.rs`
//! (photos, posters, copied files), `output.rs` (the output guard and the
//! clashes of copied files), `incremental.rs` (what `serve` keeps between
//! builds, and what it re-renders after an edit).

mod assets;
mod incremental;
mod output;
mod pages;

use std::path::PathBuf;
use std::time::{Duration, Instant};

use crate::diag::{self, Diagnostic};
use crate::render::view::RenderState;
use crate::report::stale::Review;
use crate::resolve::{self, Site};
use crate::write::{self, Discard, Sink, Staging};
use crate::{config, load};

pub use crate::search::SearchJob;
pub use incremental::Cache;

use incremental::{Resolved, resolve_key};
use output::{check_output, write_error};
use pages::Inputs;

/// How to build: from where, into where, with what.
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

/// The instant the build treats as now (stale pages, past and upcoming
/// sessions): `SOURCE_DATE_EPOCH` when set (reproducible builds), else now.
pub(crate) fn now() -> jiff::Timestamp {
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
    // Before the output is looked at: the wrong folder is the one error.
    load::check_root(&opts.root).map_err(|d| vec![d])?;
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

/// Runs the pipeline, writing every file of the site into `sink`. Pages
/// are rendered and written in the same parallel pass: no site-sized
/// buffer of HTML, and disk writes overlap rendering.
pub fn build_into(opts: &Options, sink: &dyn Sink) -> Result<Report, Vec<Diagnostic>> {
    build_into_cached(opts, sink, &mut Cache::default())
}

/// `check --stale`: everything `check` does, and the editors' report of
/// what is out of date (see `resolve/stale.rs`), made at the build's now
/// whenever the handbook resolves, also when it has errors (`None` when
/// it does not get that far: `handbook.yaml` is broken).
pub fn check_stale(opts: &Options) -> (Result<Report, Vec<Diagnostic>>, Option<Review>) {
    let mut review = None;
    let result = build_inspecting(opts, &Discard, &mut Cache::default(), &mut |site, now| {
        review = Some(site.review(now));
    });
    (result, review)
}

/// [`build_into`], reusing and updating `cache`.
pub(crate) fn build_into_cached(
    opts: &Options,
    sink: &dyn Sink,
    cache: &mut Cache,
) -> Result<Report, Vec<Diagnostic>> {
    build_inspecting(opts, sink, cache, &mut |_, _| {})
}

/// [`build_into_cached`], handing the resolved site and the build's now
/// to `inspect` before it renders.
fn build_inspecting(
    opts: &Options,
    sink: &dyn Sink,
    cache: &mut Cache,
    inspect: &mut dyn FnMut(&Site, jiff::Timestamp),
) -> Result<Report, Vec<Diagnostic>> {
    // Everything the build writes is recorded, for the static files and
    // page assets to be checked against before they are copied.
    let recording = write::Recording::new(sink);
    let mut timer = Timer::start();
    // The watcher's word holds for this build only, however it ends.
    let edited = cache.edited.take();
    let root = opts.root.as_path();
    let mut config = config::load(root)?;
    if let Some(base) = &opts.base_url {
        config.override_base_url(base);
    }
    let mut diags = Vec::new();
    // Every walk judges symlinks against the same canonical root.
    let fence = load::Fence::new(root);
    let (loaded, mut d) = load::load_cached(&fence, &config, &mut cache.load, edited.as_deref());
    diags.append(&mut d);
    timer.lap("load");
    let inputs = Inputs::load(&fence, &config, &mut diags);
    timer.lap("theme");

    let now = now();
    let today = now.to_zoned_datetime(config.tz.clone()).date();
    // The CSV files plan goals read: their bytes are part of the key.
    let sources = resolve::measure::Sources::read(&fence, &loaded);
    let key = cache
        .keep
        .then(|| sources.key(resolve_key(&config, &loaded, opts.drafts, today)));
    let (site, pending, resolve_diags) = match cache.resolved.take() {
        Some(r) if Some(r.key) == key => r.with_pages(loaded),
        _ => resolve::resolve(
            root.to_path_buf(),
            config,
            loaded,
            &sources,
            opts.drafts,
            today,
        ),
    };
    diags.extend(resolve_diags.iter().cloned());
    timer.lap("resolve");
    inspect(&site, now);

    let build = Build {
        opts,
        sink: &recording,
        site: &site,
        inputs,
        diags,
        cache: &mut *cache,
        key,
        now,
        build_date: today.to_string(),
        timer,
        files: 0,
    };
    // The steps only borrow the site: however they end (an early return is
    // a failed build), it goes back to the cache for the next build.
    let result = build.run(&pending);
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

/// A build after `resolve`: what its steps share. Each step is a method
/// that adds its errors to `diags` and its file count to `files`.
struct Build<'a> {
    opts: &'a Options,
    /// The output, recording what is written (see [`output::clashes`]).
    sink: &'a write::Recording<'a>,
    site: &'a Site,
    inputs: Inputs,
    diags: Vec<Diagnostic>,
    cache: &'a mut Cache,
    /// The key of what the site was resolved from, when the cache keeps
    /// anything (see [`incremental::resolve_key`]).
    key: Option<u64>,
    now: jiff::Timestamp,
    build_date: String,
    timer: Timer,
    /// Files written, but the pages.
    files: usize,
}

impl Build<'_> {
    /// The steps after `resolve`, in order, each timed under its name.
    fn run(mut self, pending: &[resolve::PendingAnchor]) -> Result<Report, Vec<Diagnostic>> {
        let bodies = self
            .cache
            .bodies(self.site, &self.inputs.strings, self.opts);
        let highlights = self.cache.keep_highlights(&bodies);
        let anchors = self.anchors(pending, &bodies);
        self.timer.lap("markdown");

        let Some(templates) = self.inputs.templates.take() else {
            return Err(failed(self.diags));
        };
        let names = self.template_names(&templates);
        self.stop_on_errors()?;
        let (photos, thumbs) = self.thumbnails();
        self.timer.lap("photos");
        self.stop_on_errors()?;
        let (posters, poster_files) = self.posters();
        self.timer.lap("posters");
        self.stop_on_errors()?;

        let state = RenderState {
            rendered: bodies,
            photos,
            posters,
            now: self.now,
            build_date: self.build_date.clone(),
        };
        let reuse = self.reuse(&templates, &names, &state);
        let records = self.search_records(&reuse, &state);
        let (search, search_thread) = self.start_search(records.as_deref());
        let reads = self.pages(&reuse, &state, &templates, &names, &anchors);
        self.timer.lap("pages");
        self.generated(reuse, &state, &templates, records, reads);
        self.timer.lap("generated");

        self.write_images(&thumbs, &poster_files);
        self.calendars();
        self.redirects(&templates, &state);
        self.not_found(&templates, &state);
        self.timer.lap("other pages");
        if let Some(thread) = search_thread {
            self.join_search(thread);
            self.timer.lap("search");
        }
        self.check_clashes();
        self.stop_on_errors()?;
        self.copy()?;
        // Only a successful build replaces the highlighted blocks: a failed
        // one may have left out pages whose blocks the next build needs.
        if let Some(file) = highlights {
            file.commit();
        }
        self.timer.lap("copy");
        Ok(Report {
            pages: self.site.len(),
            files: self.site.len() + self.files,
            warnings: finish(self.diags),
            timings: self.timer.timings,
            search,
        })
    }

    /// Ends the build when a step found errors.
    fn stop_on_errors(&mut self) -> Result<(), Vec<Diagnostic>> {
        if self.diags.iter().any(Diagnostic::is_error) {
            return Err(failed(std::mem::take(&mut self.diags)));
        }
        Ok(())
    }

    /// Counts a file written, or keeps the error of writing it.
    fn wrote(&mut self, written: Result<(), Diagnostic>) {
        match written {
            Ok(()) => self.files += 1,
            Err(d) => self.diags.push(d),
        }
    }
}

/// The time each step took, in order.
struct Timer {
    clock: Instant,
    timings: Vec<(&'static str, Duration)>,
}

impl Timer {
    fn start() -> Timer {
        Timer {
            clock: Instant::now(),
            timings: Vec::new(),
        }
    }

    /// Ends the step `name` and starts the next.
    fn lap(&mut self, name: &'static str) {
        self.timings.push((name, self.clock.elapsed()));
        self.clock = Instant::now();
    }
}

/// The diagnostics of a failed build: its errors only. Warnings are
/// computed from a handbook that did not load whole (a page with an error
/// stands in with empty fields), so they would be noise, and some wrong;
/// they return with the next build that succeeds.
fn failed(mut diags: Vec<Diagnostic>) -> Vec<Diagnostic> {
    diags.retain(Diagnostic::is_error);
    finish(diags)
}

/// The diagnostics in the order they are shown, each once.
fn finish(mut diags: Vec<Diagnostic>) -> Vec<Diagnostic> {
    diag::sort(&mut diags);
    diags.dedup();
    diags
}
