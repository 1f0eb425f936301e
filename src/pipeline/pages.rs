//! Pages: the theme and templates they render with, their Markdown, the
//! template of each, the page pass (rendered in parallel, or reused from
//! the last build), the generated pages, redirects and the not-found page;
//! and the search records made from them.

use std::collections::{HashMap, HashSet};
use std::path::PathBuf;
use std::sync::Arc;

use rayon::prelude::*;

use super::Build;
use super::incremental::{self, Kept, LastRender, OutFile, PageOutcome, structure_key};
use super::output::cannot_write;
use crate::diag::{self, Diagnostic};
use crate::load::{self, Kind};
use crate::render::markdown;
use crate::render::strings::Strings;
use crate::render::templates::Templates;
use crate::render::theme::Theme;
use crate::render::view::{Pages, RenderState, reading_summaries};
use crate::resolve::{PageId, PendingAnchor, Site};
use crate::search::{Record, SearchJob};
use crate::write::Sink;
use crate::{config, search};

/// What the pages render with besides the site: the theme, the handbook's
/// static files (walked with the theme, copied last), the UI strings and
/// the templates (`None` when they do not parse).
pub(super) struct Inputs {
    pub(super) theme: Theme,
    pub(super) statics: Vec<(String, PathBuf)>,
    pub(super) strings: Strings,
    pub(super) templates: Option<Templates>,
}

impl Inputs {
    pub(super) fn load(
        fence: &load::Fence,
        config: &config::Site,
        diags: &mut Vec<Diagnostic>,
    ) -> Inputs {
        let theme = Theme::load(fence, &config.raw.theme, diags);
        let mut statics = Vec::new();
        load::walk(fence, &fence.root().join("static"), diags, |rel, abs| {
            statics.push((rel, abs))
        });
        let strings = Strings::load(&theme, config.raw.language, diags);
        let templates = match Templates::load(&theme, &strings) {
            Ok(t) => Some(t),
            Err(mut d) => {
                diags.append(&mut d);
                None
            }
        };
        Inputs {
            theme,
            statics,
            strings,
            templates,
        }
    }
}

/// The anchors that name no heading of their target, to be checked
/// against the ids of its final HTML, and which pages those targets are.
pub(super) struct Anchors {
    unresolved: Vec<PendingAnchor>,
    needs_ids: Vec<bool>,
}

/// What the last build left that this one may reuse (see
/// `incremental`), and each page's template fingerprint.
pub(super) struct Reuse {
    /// The fingerprint of all templates.
    templates_key: u64,
    /// The fingerprint of what each page's template renders with: a page
    /// is rendered again when its own template (or one it uses) changed,
    /// not when any did.
    page_templates: Vec<u64>,
    structure: Option<u64>,
    last: Option<LastRender>,
    /// The last build's pages: output path → (context fingerprint,
    /// template fingerprint, HTML).
    previous: HashMap<String, (u64, u64, Arc<[u8]>)>,
}

impl Build<'_> {
    /// Collects the errors of the rendered bodies and checks their anchors
    /// against the headings now; those that name none are checked against
    /// the ids of their target's final HTML once the pages are rendered
    /// (on every build: serve's caches hold HTML, not this verdict, so a
    /// changed target page is judged again).
    pub(super) fn anchors(
        &mut self,
        pending: &[PendingAnchor],
        rendered: &[Arc<markdown::Rendered>],
    ) -> Anchors {
        for r in rendered {
            self.diags.extend(r.errors.iter().cloned());
        }
        let headings: Vec<&HashSet<String>> = rendered.iter().map(|r| &r.anchors).collect();
        let unresolved = markdown::unresolved(
            pending
                .iter()
                .chain(rendered.iter().flat_map(|r| &r.pending)),
            &headings,
        );
        let mut needs_ids = vec![false; self.site.len()];
        for p in &unresolved {
            needs_ids[p.target.index()] = true;
        }
        Anchors {
            unresolved,
            needs_ids,
        }
    }

    /// The template of each page, in page order.
    pub(super) fn template_names(&mut self, templates: &Templates) -> Vec<String> {
        self.site
            .ids()
            .map(|i| template_for(self.site, i, templates, &mut self.diags))
            .collect()
    }

    /// What of the last build can be reused: with the same structure, its
    /// dependency graph; its pages' HTML in any case (a page whose context
    /// fingerprint is the same).
    pub(super) fn reuse(
        &mut self,
        templates: &Templates,
        names: &[String],
        state: &RenderState,
    ) -> Reuse {
        let templates_key = templates.fingerprint();
        let mut by_template: HashMap<&str, u64> = HashMap::new();
        let page_templates = names
            .iter()
            .map(|name| {
                *by_template
                    .entry(name)
                    .or_insert_with(|| templates.fingerprint_of(name))
            })
            .collect();
        let structure = self.key.map(|k| structure_key(k, self.site, state, names));
        let pages = self.site.len();
        let last = self
            .cache
            .last
            .take()
            .filter(|l| Some(l.structure) == structure && l.bodies.len() == pages);
        Reuse {
            templates_key,
            page_templates,
            structure,
            last,
            previous: std::mem::take(&mut self.cache.pages),
        }
    }

    /// Each page's search record (`None`: not searchable), when the
    /// handbook has search and the build writes files (`check` makes no
    /// index). A page's record is kept while the structure, the templates
    /// and its body are what they were.
    pub(super) fn search_records(
        &self,
        reuse: &Reuse,
        state: &RenderState,
    ) -> Option<Vec<Option<Arc<Record>>>> {
        let site = self.site;
        let wanted = site.config.raw.search
            && !self.sink.discards()
            && !self.diags.iter().any(Diagnostic::is_error);
        wanted.then(|| {
            let kept = reuse
                .last
                .as_ref()
                .filter(|l| l.templates == reuse.templates_key && l.records.len() == site.len());
            let strings = &self.inputs.strings;
            (0..site.len())
                .into_par_iter()
                .map(|i| match kept {
                    Some(l) if l.same_body(PageId::new(i), &state.rendered) => l.records[i].clone(),
                    _ => search::record(site, state, strings, PageId::new(i)).map(Arc::new),
                })
                .collect()
        })
    }

    /// The search index: a one-off build makes it on a thread of its own
    /// while the pages render (the index builder works mostly on one core,
    /// the pages keep the others busy); a build that keeps its work
    /// (`serve`) returns the job to its caller, which runs it off the edit
    /// loop (see [`SearchJob`]).
    pub(super) fn start_search(
        &self,
        records: Option<&[Option<Arc<Record>>]>,
    ) -> (Option<SearchJob>, Option<SearchThread>) {
        let job = records.map(|recs| {
            SearchJob::new(
                recs.iter().flatten().cloned().collect(),
                self.site.config.raw.language.code(),
                self.opts.root.join(".esiin-cache").join("search"),
                self.opts.write_cache,
            )
        });
        match job {
            Some(job) if !self.cache.keep => (None, Some(std::thread::spawn(move || job.run()))),
            job => (job, None),
        }
    }

    /// Writes the index the search thread built.
    pub(super) fn join_search(&mut self, thread: SearchThread) {
        match thread.join() {
            Ok(Ok(search_files)) => {
                for (rel, bytes) in &search_files {
                    let written = self.sink.write(rel, bytes).map_err(|e| cannot_write(rel, e));
                    self.wrote(written);
                }
            }
            Ok(Err(d)) => self.diags.push(d),
            Err(_) => self.diags.push(
                Diagnostic::error("the search index builder failed unexpectedly").hint(
                    "turn the search index off with `search: false` in handbook.yaml to build without it, and report this to the maintainers of esiin",
                ),
            ),
        }
    }

    /// Renders (or reuses) and writes every page in parallel, then checks
    /// the anchors left for the final HTML. Returns the summaries each
    /// page's context read.
    pub(super) fn pages(
        &mut self,
        reuse: &Reuse,
        state: &RenderState,
        templates: &Templates,
        names: &[String],
        anchors: &Anchors,
    ) -> Vec<Vec<PageId>> {
        let pass = PagePass {
            site: self.site,
            sink: self.sink,
            state,
            templates,
            names,
            reuse,
            keep: self.cache.keep,
        };
        let results: Vec<_> = (0..self.site.len())
            .into_par_iter()
            .map(|i| {
                let (err, kept, reads, html) = pass.render(i);
                // Only the pages an unresolved anchor points to are scanned.
                let ids = html
                    .filter(|_| anchors.needs_ids[i])
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
                && self.cache.keep
            {
                let template = reuse.page_templates[i];
                self.cache.pages.insert(rel, (print, template, html));
            }
        }
        self.diags.extend(once_per_place(render_errors));
        let headings: Vec<&HashSet<String>> = state.rendered.iter().map(|r| &r.anchors).collect();
        let unresolved = &anchors.unresolved;
        self.diags
            .extend(markdown::check_anchors(unresolved, &headings, &ids));
        all_reads
    }

    /// The pages without a source (topics, the topic index, expertise
    /// gaps), and what the next build needs to reuse this one's work.
    /// With the same structure and the same summaries of the pages they
    /// list, the generated pages are what they were: reused without
    /// building them.
    pub(super) fn generated(
        &mut self,
        reuse: Reuse,
        state: &RenderState,
        templates: &Templates,
        records: Option<Vec<Option<Arc<Record>>>>,
        reads: Vec<Vec<PageId>>,
    ) {
        let reused = reuse
            .last
            .as_ref()
            .filter(|l| l.templates == reuse.templates_key)
            .and_then(|l| {
                let (reads, files) = l.generated.as_ref()?;
                l.summaries_unchanged(reads, &state.rendered)
                    .then(|| (reads.clone(), files.clone()))
            });
        let (generated_reads, generated_files, errors) = match reused {
            Some((reads, files)) => {
                let errors: Vec<Diagnostic> = files
                    .iter()
                    .filter_map(|(rel, html)| self.write_shared(rel, html).err())
                    .collect();
                (reads, files, errors)
            }
            None => self.render_generated(state, templates),
        };
        self.files += generated_files.len();
        if let Some(structure) = reuse.structure {
            self.cache.last = Some(LastRender {
                structure,
                templates: reuse.templates_key,
                records: records.unwrap_or_default(),
                bodies: state.rendered.clone(),
                reads,
                // Kept only when all of them rendered.
                generated: errors
                    .is_empty()
                    .then_some((generated_reads, generated_files)),
            });
        }
        self.diags.extend(once_per_place(errors));
    }

    /// Renders and writes the generated pages: the summaries they read,
    /// their files, and the errors of those that failed.
    fn render_generated(
        &self,
        state: &RenderState,
        templates: &Templates,
    ) -> (Vec<PageId>, Vec<OutFile>, Vec<Diagnostic>) {
        let site = self.site;
        let (generated, reads) =
            reading_summaries(|| Pages::new(site, state).generated_pages(&self.inputs.strings));
        let nav_page = site.experts_section.unwrap_or(site.home);
        let rendered: Vec<Result<OutFile, Diagnostic>> = generated
            .par_iter()
            .filter(|g| templates.exists(g.template))
            .map(|g| {
                let mut ctx = tera::Context::new();
                ctx.insert("site", &Pages::new(site, state).site_ctx(nav_page));
                ctx.insert("page", &g.page);
                let what = format!("the generated page `{}`", site.config.url(&g.url));
                let html: Arc<[u8]> =
                    Arc::from(templates.render(g.template, &ctx, &what)?.into_bytes());
                let rel = format!("{}index.html", g.url);
                self.write_shared(&rel, &html)?;
                Ok((rel, html))
            })
            .collect();
        let mut files = Vec::new();
        let mut errors = Vec::new();
        for r in rendered {
            match r {
                Ok(file) => files.push(file),
                Err(d) => errors.push(d),
            }
        }
        (reads, files, errors)
    }

    /// Calendars: one per module with sessions, one for all sessions; and
    /// the Atom feed of "Recently shared" (`activity.xml`). Made again by
    /// every build (`serve` too: an activity edit is in the next feed).
    pub(super) fn calendars(&mut self) {
        let strings = &self.inputs.strings;
        let mut files = crate::render::calendars::calendars(self.site, strings, self.now);
        files.extend(crate::render::feed::activity_feed(self.site, strings));
        for (rel, text) in files {
            let written = self.emit(&rel, text.as_bytes());
            self.wrote(written);
        }
    }

    /// A redirect page for every alias.
    pub(super) fn redirects(&mut self, templates: &Templates, state: &RenderState) {
        let site = self.site;
        let pages = Pages::new(site, state);
        for (alias, target) in &site.aliases {
            let mut ctx = tera::Context::new();
            ctx.insert("site", &pages.site_ctx(*target));
            let url = crate::text::encode_path(&site.url(*target));
            let permalink = site.config.origin.as_ref().map(|o| format!("{o}{url}"));
            ctx.insert(
                "page",
                &serde_json::json!({ "title": site.page(*target).title, "url": url, "permalink": permalink }),
            );
            let path = if alias.ends_with('/') {
                format!("{alias}index.html")
            } else {
                alias.clone()
            };
            let written = templates
                .render(
                    "redirect.html",
                    &ctx,
                    &format!("the redirect from `{alias}`"),
                )
                .and_then(|html| self.emit(&path, html.as_bytes()));
            self.wrote(written);
        }
    }

    /// `404.html`, when the theme has a template for it.
    pub(super) fn not_found(&mut self, templates: &Templates, state: &RenderState) {
        if !templates.exists("404.html") {
            return;
        }
        let site = self.site;
        let mut ctx = tera::Context::new();
        ctx.insert("site", &Pages::new(site, state).site_ctx(site.home));
        let title = &self.inputs.strings.not_found_title;
        ctx.insert(
            "page",
            &serde_json::json!({ "title": title, "url": site.url(site.home), "toc": [], "breadcrumbs": [] }),
        );
        let written = templates
            .render("404.html", &ctx, "the not-found page")
            .and_then(|html| self.emit("404.html", html.as_bytes()));
        self.wrote(written);
    }

    /// Writes `bytes` at `rel`.
    pub(super) fn emit(&self, rel: &str, bytes: &[u8]) -> Result<(), Diagnostic> {
        self.sink
            .write(rel, bytes)
            .map_err(|e| cannot_write(rel, e))
    }

    /// Writes bytes that are kept too (a sink in memory shares them).
    pub(super) fn write_shared(&self, rel: &str, bytes: &Arc<[u8]>) -> Result<(), Diagnostic> {
        self.sink
            .write_shared(rel, bytes)
            .map_err(|e| cannot_write(rel, e))
    }
}

/// The thread that builds the search index of a one-off build.
pub(super) type SearchThread = std::thread::JoinHandle<Result<Vec<(String, Vec<u8>)>, Diagnostic>>;

/// What the parallel page pass shares: one page is rendered (or reused)
/// by [`PagePass::render`].
struct PagePass<'p> {
    site: &'p Site,
    sink: &'p dyn Sink,
    state: &'p RenderState,
    templates: &'p Templates,
    names: &'p [String],
    reuse: &'p Reuse,
    /// Whether the build keeps its work for the next (`serve`).
    keep: bool,
}

impl PagePass<'_> {
    /// Renders page `i` and writes it, or writes the HTML of the last build
    /// when its context is the same.
    fn render(&self, i: usize) -> PageOutcome {
        let site = self.site;
        let reuse = self.reuse;
        let id = PageId::new(i);
        let rel = format!("{}index.html", site.node(id).url);
        let write = |html: &Arc<[u8]>| {
            self.sink
                .write_shared(&rel, html)
                .map_err(|e| cannot_write(&rel, e))
                .err()
        };
        let template = reuse.page_templates[i];
        // The same structure, body and read summaries: the same context, so
        // the same HTML, without building the context.
        if let Some(last) = &reuse.last
            && last.unchanged(id, &self.state.rendered)
            && let Some((print, t, html)) = reuse.previous.get(&rel)
            && *t == template
        {
            let reads = last.reads[i].clone();
            let err = write(html);
            let kept: Kept = (rel, *print, html.clone());
            return (err, Some(kept), reads, Some(html.clone()));
        }
        let pages = Pages::new(site, self.state);
        let ((site_ctx, page_ctx), reads) =
            reading_summaries(|| (pages.site_ctx(id), pages.page_ctx(id)));
        // Only a build that keeps its work for the next needs fingerprints.
        let print = if self.keep {
            incremental::fingerprint(&[&site_ctx, &page_ctx, &self.names[i]])
        } else {
            None
        };
        if let (Some(print), Some((p, t, html))) = (print, reuse.previous.get(&rel))
            && *p == print
            && *t == template
        {
            let err = write(html);
            let kept: Kept = (rel, print, html.clone());
            return (err, Some(kept), reads, Some(html.clone()));
        }
        let mut ctx = tera::Context::new();
        ctx.insert("site", &site_ctx);
        ctx.insert("page", &page_ctx);
        let what = format!("`{}`", site.page(id).src.rel.display());
        let html: Arc<[u8]> = match self.templates.render(&self.names[i], &ctx, &what) {
            Ok(h) => Arc::from(h.into_bytes()),
            Err(d) => return (Some(d), None, reads, None),
        };
        // A one-off build lets each page's HTML go once written.
        let err = write(&html);
        let kept = print.filter(|_| self.keep).map(|p| (rel, p, html.clone()));
        (err, kept, reads, Some(html))
    }
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

/// The template that renders page `i`.
fn template_for(
    site: &Site,
    i: PageId,
    templates: &Templates,
    diags: &mut Vec<Diagnostic>,
) -> String {
    let p = site.page(i);
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
