//! Stage 2, *resolve*: turn the loaded pages into one site model. Assigns
//! every page its URL, builds the section tree, and resolves every
//! cross-reference (owners, trainers, prerequisites, path steps, materials,
//! aliases) to an index into `pages`, or reports where it is broken.
//!
//! After this stage nothing downstream looks a page up by name: a broken
//! reference cannot reach the renderer.

pub mod index;
pub mod links;
mod sessions;

use std::collections::{HashMap, HashSet};
use std::path::PathBuf;

use jiff::civil;

use crate::config::Site as Config;
use crate::diag::{Diagnostic, suggest};
use crate::load::kinds::{Common, KindData, Visibility};
use crate::load::{Kind, Loaded, Page, Source};
pub use links::{LinkError, Target};

/// The whole handbook, resolved.
#[derive(Debug)]
pub struct Site {
    pub config: Config,
    pub root: PathBuf,
    /// Published pages (drafts only with `--drafts`), sorted by path.
    pub pages: Vec<std::sync::Arc<Page>>,
    /// Each page's URL relative to the base path: `experts/mari/`, `""` for home.
    pub urls: Vec<String>,
    /// `experts/mari.md` → page.
    pub by_path: HashMap<String, usize>,
    /// Paths of drafts left out, to explain links to them.
    pub drafts: HashSet<String>,
    /// Files under `content/` that are not pages.
    pub assets: HashSet<String>,
    /// For each page: the section it is listed in (`None` for home).
    pub parent: Vec<Option<usize>>,
    /// For sections: their pages, by weight then title.
    pub children: Vec<Vec<usize>>,
    /// For sections: their subsections, by weight then title.
    pub subsections: Vec<Vec<usize>>,
    /// Resolved front-matter references of each page.
    pub refs: Vec<Refs>,
    /// Old URLs (relative to the base path) that redirect to a page.
    pub aliases: Vec<(String, usize)>,
    /// The home page.
    pub home: usize,
    /// Top-level sections, in navigation order.
    pub nav: Vec<usize>,
    pub today: civil::Date,
    pub include_drafts: bool,
    /// Experts and modules by file stem and by id, for references.
    named: HashMap<(Kind, String), Vec<usize>>,
    /// Topics, back-references and sessions (see `index.rs`).
    pub index: index::Index,
    /// The section of the experts folder (the directory), if any.
    pub experts_section: Option<usize>,
    /// The section of the training folder (the catalogue), if any.
    pub training_section: Option<usize>,
}

/// A page's front-matter references, resolved to page indices.
#[derive(Debug, Clone, Default)]
pub struct Refs {
    pub owner: Option<usize>,
    pub trainers: Vec<usize>,
    pub prerequisites: Vec<usize>,
    pub plan_owners: Vec<usize>,
    pub steps: Vec<usize>,
    pub materials: Vec<Material>,
}

#[derive(Debug, Clone)]
pub enum Material {
    External(String),
    Page(usize, Option<String>),
    Asset(String),
    SiteUrl(String),
}

/// An `#anchor` to check once every page's headings are known.
#[derive(Debug, Clone)]
pub struct PendingAnchor {
    pub target: usize,
    pub anchor: String,
    /// The error to report when the anchor does not exist.
    pub error: Diagnostic,
}

/// Resolves `loaded` into a [`Site`]. Returns the anchors of front-matter
/// references to check after rendering.
pub fn resolve(
    root: PathBuf,
    config: Config,
    loaded: Loaded,
    include_drafts: bool,
    today: civil::Date,
) -> (Site, Vec<PendingAnchor>, Vec<Diagnostic>) {
    let mut diags = Vec::new();
    let Loaded {
        pages: all,
        assets,
        dirs,
    } = loaded;
    let mut drafts = HashSet::new();
    let mut pages: Vec<std::sync::Arc<Page>> = Vec::with_capacity(all.len());
    for p in all {
        if p.common.draft && !include_drafts {
            drafts.insert(p.path.clone());
        } else {
            pages.push(p);
        }
    }
    // Every folder is a section; one without `_index.md` gets a list page
    // titled after the folder, so URLs and breadcrumbs never dead-end.
    let have: HashSet<String> = pages
        .iter()
        .filter(|p| p.is_section)
        .map(|p| p.path.clone())
        .collect();
    for dir in std::iter::once(String::new()).chain(dirs) {
        let path = if dir.is_empty() {
            "_index.md".to_string()
        } else {
            format!("{dir}/_index.md")
        };
        if !have.contains(&path) && !drafts.contains(&path) {
            pages.push(std::sync::Arc::new(implicit_section(&dir, &path, &config)));
        }
    }
    pages.sort_by(|a, b| a.path.cmp(&b.path));
    let by_path: HashMap<String, usize> = pages
        .iter()
        .enumerate()
        .map(|(i, p)| (p.path.clone(), i))
        .collect();

    // URLs: a folder's URL is its parent's plus its segment (the folder
    // name, or its `_index.md`'s `slug`), so a section's slug moves its
    // pages with it.
    let mut seg_of_dir: HashMap<&str, String> = HashMap::new();
    for p in &pages {
        let seg = segment(p, &mut diags);
        if p.is_section {
            seg_of_dir.insert(p.dir(), seg);
        }
    }
    let dir_url = |dir: &str| -> String {
        let mut url = String::new();
        let mut end = 0;
        for (i, _) in dir
            .match_indices('/')
            .chain(std::iter::once((dir.len(), "")))
        {
            if dir.is_empty() {
                break;
            }
            let prefix = &dir[..i];
            let seg = seg_of_dir
                .get(prefix)
                .cloned()
                .unwrap_or_else(|| dir[end..i].trim_start_matches('/').to_string());
            url.push_str(&seg);
            url.push('/');
            end = i;
        }
        url
    };
    let urls: Vec<String> = pages
        .iter()
        .map(|p| {
            if p.is_section {
                dir_url(p.dir())
            } else {
                let seg = p
                    .common
                    .slug
                    .clone()
                    .unwrap_or_else(|| p.stem().to_string());
                format!("{}{}/", dir_url(p.dir()), seg)
            }
        })
        .collect();
    let mut seen: HashMap<&str, usize> = HashMap::new();
    for (i, url) in urls.iter().enumerate() {
        if let Some(&first) = seen.get(url.as_str()) {
            let shown = config.url(url);
            for (a, b) in [(i, first), (first, i)] {
                let message = format!(
                    "two pages are at the URL `{shown}`: this one and `{}`",
                    pages[b].src.rel.display()
                );
                // A page moved there by its `slug` is located at the slug,
                // another at its title (the first line an editor would change).
                let hint = "rename one of the files, or give one a different `slug`";
                diags.push(match &pages[a].common.slug {
                    Some(slug) => pages[a]
                        .src
                        .error_at_key("slug", Some(slug), message)
                        .hint(hint),
                    None => pages[a].src.error_at_key("title", None, message).hint(hint),
                });
            }
        } else {
            seen.insert(url, i);
        }
    }

    // The section tree.
    let section_of_dir: HashMap<&str, usize> = pages
        .iter()
        .enumerate()
        .filter(|(_, p)| p.is_section)
        .map(|(i, p)| (p.dir(), i))
        .collect();
    let mut parent = vec![None; pages.len()];
    let mut children = vec![Vec::new(); pages.len()];
    let mut subsections = vec![Vec::new(); pages.len()];
    for (i, p) in pages.iter().enumerate() {
        let dir = p.dir();
        let parent_dir = if p.is_section {
            if dir.is_empty() {
                continue;
            }
            dir.rfind('/').map_or("", |j| &dir[..j])
        } else {
            dir
        };
        if let Some(&s) = section_of_dir.get(parent_dir) {
            parent[i] = Some(s);
            if p.is_section {
                subsections[s].push(i)
            } else if !matches!(&p.data, KindData::Expert(e) if e.visibility == Visibility::Unlisted)
            {
                // An unlisted expert keeps a profile page, but is left
                // out of the directory (SPEC.md, `visibility`).
                children[s].push(i)
            }
        }
    }
    let order = |list: &mut Vec<usize>| {
        list.sort_by(|&a, &b| {
            let (pa, pb) = (&pages[a], &pages[b]);
            (
                pa.common.weight.unwrap_or(0),
                pa.title.to_lowercase(),
                &pa.path,
            )
                .cmp(&(
                    pb.common.weight.unwrap_or(0),
                    pb.title.to_lowercase(),
                    &pb.path,
                ))
        })
    };
    children.iter_mut().for_each(order);
    subsections.iter_mut().for_each(order);
    let home = section_of_dir.get("").copied().unwrap_or(0);
    // The navigation: the home page's sections and pages (`plan.md`,
    // `guidelines.md` at the top are as important as any section).
    let mut nav: Vec<usize> = subsections[home]
        .iter()
        .chain(&children[home])
        .copied()
        .collect();
    order(&mut nav);

    let mut site = Site {
        config,
        root,
        pages,
        urls,
        by_path,
        drafts,
        assets: assets.into_iter().collect(),
        parent,
        children,
        subsections,
        refs: Vec::new(),
        aliases: Vec::new(),
        home,
        nav,
        today,
        include_drafts,
        named: HashMap::new(),
        index: index::Index::default(),
        experts_section: None,
        training_section: None,
    };
    for (i, p) in site.pages.iter().enumerate() {
        if matches!(p.kind, Kind::Expert | Kind::Module) {
            site.named
                .entry((p.kind, p.stem().to_string()))
                .or_default()
                .push(i);
            if p.id != p.stem() {
                site.named
                    .entry((p.kind, p.id.clone()))
                    .or_default()
                    .push(i);
            }
        }
    }
    let mut pending = Vec::new();
    site.refs = (0..site.pages.len())
        .map(|i| site.page_refs(i, &mut pending, &mut diags))
        .collect();
    site.check_prerequisite_cycles(&mut diags);
    site.warn_stale(&mut diags);
    site.check_sessions(&mut diags);
    site.aliases = site.collect_aliases(&mut diags);
    site.index = site.build_index(&mut diags);
    let section_of_kind = |kind: Kind| {
        (0..site.pages.len()).find(|&i| {
            let p = &site.pages[i];
            p.is_section && !p.dir().is_empty() && site.config.kinds.get(p.dir()) == Some(&kind)
        })
    };
    site.experts_section = section_of_kind(Kind::Expert);
    site.training_section = section_of_kind(Kind::Module);
    site.check_generated_urls(&mut diags);
    site.check_session_files(&mut diags);
    (site, pending, diags)
}

fn implicit_section(dir: &str, path: &str, config: &Config) -> Page {
    let name = dir.rsplit('/').next().unwrap_or(dir);
    let title = if dir.is_empty() {
        config.raw.title.clone()
    } else {
        let mut t = name.replace(['-', '_'], " ");
        if let Some(first) = t.chars().next() {
            t.replace_range(..first.len_utf8(), &first.to_uppercase().to_string());
        }
        t
    };
    Page {
        id: path.trim_end_matches(".md").to_string(),
        path: path.to_string(),
        is_section: true,
        kind: Kind::Section,
        title,
        common: Common::default(),
        data: KindData::Section,
        src: Source {
            rel: PathBuf::from("content").join(dir),
            text: String::new(),
            fm: 0..0,
            body: 0,
            places: Default::default(),
        },
    }
}

/// The URL segment of a page (or a section's folder), checking `slug`.
fn segment(p: &Page, diags: &mut Vec<Diagnostic>) -> String {
    let default = if p.is_section {
        p.dir().rsplit('/').next().unwrap_or("").to_string()
    } else {
        p.stem().to_string()
    };
    match &p.common.slug {
        Some(slug) => {
            let bad = slug.is_empty()
                || slug == "."
                || slug == ".."
                || slug.contains(['/', '\\', '?', '#', '%'])
                || slug.chars().any(char::is_control)
                || slug.starts_with('.');
            if bad || (p.is_section && p.dir().is_empty()) {
                let msg = if bad {
                    format!("invalid slug `{slug}`")
                } else {
                    "the home page cannot have a slug".to_string()
                };
                diags.push(
                    p.src
                        .error_at_key("slug", Some(slug), msg)
                        .hint("a slug is one URL segment, e.g. `our-plan`: no `/`, `?`, `#`, `%` or leading `.`"),
                );
                default
            } else {
                slug.clone()
            }
        }
        None => default,
    }
}

impl Site {
    pub fn url(&self, page: usize) -> String {
        self.config.url(&self.urls[page])
    }

    pub fn is_listed_expert(&self, page: usize) -> bool {
        matches!(&self.pages[page].data, KindData::Expert(e) if e.visibility == Visibility::Listed)
    }

    /// Looks up an expert or a module by id (`experts/mari`) or file stem.
    pub(crate) fn find_kind(&self, kind: Kind, name: &str) -> Result<usize, String> {
        let name = name.trim().trim_end_matches(".md");
        let found = self.named.get(&(kind, name.to_string()));
        match found.map_or(&[][..], Vec::as_slice) {
            [one] => Ok(*one),
            [] => {
                let names = self
                    .pages
                    .iter()
                    .filter(|p| p.kind == kind)
                    .map(|p| p.stem());
                let hint = match suggest(name, names) {
                    Some(best) => format!("did you mean `{best}`?"),
                    None => format!("name an existing {kind} by its file name without `.md`"),
                };
                let draft = self
                    .drafts
                    .iter()
                    .any(|d| d.trim_end_matches(".md").rsplit('/').next() == Some(name));
                Err(if draft {
                    format!(
                        "`{name}` is a draft: publish it (remove `draft: true`) or build with `--drafts`"
                    )
                } else {
                    hint
                })
            }
            many => Err(format!(
                "`{name}` is ambiguous: write the full id, one of {}",
                many.iter()
                    .map(|&i| format!("`{}`", self.pages[i].id))
                    .collect::<Vec<_>>()
                    .join(", ")
            )),
        }
    }

    fn page_refs(
        &self,
        i: usize,
        pending: &mut Vec<PendingAnchor>,
        diags: &mut Vec<Diagnostic>,
    ) -> Refs {
        let p = &self.pages[i];
        let mut refs = Refs::default();
        let find = |kind: Kind, key: &str, name: &str, diags: &mut Vec<Diagnostic>| match self
            .find_kind(kind, name)
        {
            Ok(j) => Some(j),
            Err(hint) => {
                diags.push(
                    p.src
                        .error_at_key(key, Some(name), format!("`{key}` names no {kind} `{name}`"))
                        .hint(hint),
                );
                None
            }
        };
        if let Some(owner) = &p.common.owner {
            refs.owner = find(Kind::Expert, "owner", owner, diags);
        }
        let mut page_ref = |key: &str, r: &str, diags: &mut Vec<Diagnostic>| -> Option<usize> {
            match self.resolve_page_ref(i, r) {
                Ok((j, anchor)) => {
                    if let Some(anchor) = anchor.filter(|a| !a.is_empty()) {
                        pending.push(PendingAnchor {
                            target: j,
                            error: p
                                .src
                                .error_at_key(
                                    key,
                                    Some(r),
                                    format!(
                                        "`{r}`: `{}` has no heading `#{anchor}`",
                                        self.pages[j].src.rel.display()
                                    ),
                                )
                                .hint(links::ANCHOR_HINT),
                            anchor,
                        });
                    }
                    Some(j)
                }
                Err(e) => {
                    diags.push(p.src.error_at_key(key, Some(r), e.message).hint(e.hint));
                    None
                }
            }
        };
        match &p.data {
            KindData::Module(m) => {
                for t in &m.trainers {
                    refs.trainers
                        .extend(find(Kind::Expert, "trainers", t, diags));
                }
                for t in &m.prerequisites {
                    if let Some(j) = find(Kind::Module, "prerequisites", t, diags) {
                        if j == i {
                            diags.push(
                                p.src
                                    .error_at_key(
                                        "prerequisites",
                                        Some(t),
                                        "a module cannot be its own prerequisite".into(),
                                    )
                                    .hint("remove it from `prerequisites`"),
                            );
                        } else {
                            refs.prerequisites.push(j);
                        }
                    }
                }
                for m in &m.materials {
                    let url = m.url.trim();
                    if links::is_external(url) {
                        refs.materials.push(Material::External(url.to_string()));
                        continue;
                    }
                    match self.resolve_link(i, url) {
                        Ok(Target::Page { page, anchor }) => {
                            if let Some(anchor) = anchor.clone().filter(|a| !a.is_empty()) {
                                pending.push(PendingAnchor {
                                    target: page,
                                    error: p
                                        .src
                                        .error_at_key(
                                            "url",
                                            Some(url),
                                            format!(
                                                "`{url}`: `{}` has no heading `#{anchor}`",
                                                self.pages[page].src.rel.display()
                                            ),
                                        )
                                        .hint(links::ANCHOR_HINT),
                                    anchor,
                                });
                            }
                            refs.materials.push(Material::Page(page, anchor))
                        }
                        Ok(Target::Asset { path }) => refs.materials.push(Material::Asset(path)),
                        Ok(Target::SiteUrl { url }) => refs.materials.push(Material::SiteUrl(url)),
                        Ok(Target::External) => refs.materials.push(Material::External(url.into())),
                        Err(e) => {
                            diags.push(p.src.error_at_key("url", Some(url), e.message).hint(e.hint))
                        }
                    }
                }
            }
            KindData::Plan(plan) => {
                for o in &plan.owners {
                    refs.plan_owners
                        .extend(find(Kind::Expert, "owners", o, diags));
                }
                let mut ids = HashSet::new();
                for g in &plan.goals {
                    if !ids.insert(g.id.as_str()) {
                        diags.push(
                            p.src
                                .error_at_key(
                                    "id",
                                    Some(&g.id),
                                    format!("two goals have the id `{}`", g.id),
                                )
                                .hint("give every goal its own `id`"),
                        );
                    }
                }
                if let Some(period) = &plan.period
                    && period.end < period.start
                {
                    diags.push(
                        p.src
                            .error_at_key(
                                "period",
                                None,
                                "the plan's period ends before it starts".into(),
                            )
                            .hint("`period.start` must be on or before `period.end`"),
                    );
                }
            }
            KindData::Path(path) => {
                for s in &path.steps {
                    refs.steps.extend(page_ref("page", &s.page, diags));
                }
            }
            KindData::Guidelines(g) => {
                if g.image.is_some() != g.alt.is_some() {
                    diags.push(
                        p.src
                            .error_at_key(if g.image.is_some() { "image" } else { "alt" }, None, "`image` and `alt` go together".into())
                            .hint("describe the picture in `alt:` for people who cannot see it, or remove `image`"),
                    );
                }
                if let Some(img) = &g.image {
                    match self.resolve_link(i, img) {
                        Ok(Target::Asset { .. } | Target::External | Target::SiteUrl { .. }) => {}
                        Ok(Target::Page { .. }) => diags.push(
                            p.src
                                .error_at_key(
                                    "image",
                                    Some(img),
                                    format!("`{img}` is a page, not an image"),
                                )
                                .hint("name an image file beside the page"),
                        ),
                        Err(e) => diags.push(
                            p.src
                                .error_at_key("image", Some(img), e.message)
                                .hint(e.hint),
                        ),
                    }
                }
                // A stand-in for a page with front-matter errors (no title
                // of its own, see `load::page::stand_in`) has no rules:
                // its own errors are reported already.
                let stand_in = p.common.title.is_none();
                if g.rules.is_empty() && g.image.is_none() && !stand_in {
                    diags.push(
                        p.src
                            .error_at_key("rules", None, "the guidelines have no rules".into())
                            .hint("add `rules:` with items `{do: …, dont: …}`, or `image:` and `alt:`"),
                    );
                }
                for r in &g.rules {
                    if r.do_.is_none() && r.dont.is_none() {
                        diags.push(
                            p.src
                                .error_at_key(
                                    "rules",
                                    None,
                                    "a rule has neither `do` nor `dont`".into(),
                                )
                                .hint("write `- do: …` and/or `dont: …`"),
                        );
                    }
                }
            }
            KindData::Expert(e) => {
                if let Some(photo) = &e.photo {
                    match self.resolve_link(i, photo) {
                        Ok(Target::Asset { .. } | Target::External) => {}
                        Ok(_) => diags.push(
                            p.src
                                .error_at_key(
                                    "photo",
                                    Some(photo),
                                    format!("`{photo}` is not an image file"),
                                )
                                .hint("name an image file beside the page, e.g. `photo: mari.jpg`"),
                        ),
                        Err(_) => diags.push(
                            p.src
                                .error_at_key(
                                    "photo",
                                    Some(photo),
                                    format!("the photo `{photo}` does not exist"),
                                )
                                .hint("put the image beside the page and give its file name"),
                        ),
                    }
                }
            }
            _ => {}
        }
        refs
    }

    /// Where the generated expert pages go: under the experts section, or
    /// the root when the handbook has none.
    pub fn experts_base(&self) -> &str {
        self.experts_section.map_or("", |s| self.urls[s].as_str())
    }

    /// The site-relative URLs of the pages esiin generates (topic pages,
    /// the topic index, the gaps page).
    pub fn generated_urls(&self) -> Vec<String> {
        if !self.pages.iter().any(|p| p.kind == Kind::Expert) {
            return Vec::new();
        }
        let base = self.experts_base();
        let mut urls = vec![format!("{base}topics/"), format!("{base}gaps/")];
        urls.extend(
            self.index
                .topics
                .iter()
                .map(|t| format!("{base}topics/{}/", t.slug)),
        );
        urls
    }

    /// A content page or alias at the URL of a generated page, or at or
    /// under a calendar file, is an error: one of them would silently
    /// replace the other (or need a folder where the other is a file).
    fn check_generated_urls(&self, diags: &mut Vec<Diagnostic>) {
        let generated: HashSet<String> = self.generated_urls().into_iter().collect();
        let calendars: HashSet<String> = self.calendar_files().into_iter().collect();
        // The calendar file at `url` or at one of its parent folders: a
        // lookup per folder level, not a scan of every calendar file per
        // page (quadratic in a handbook of many modules and pages).
        let on_calendar = |url: &str| {
            let url = url.trim_start_matches('/').trim_end_matches('/');
            url.match_indices('/')
                .map(|(i, _)| &url[..i])
                .chain([url])
                .find_map(|prefix| calendars.get(prefix))
        };
        for (i, url) in self.urls.iter().enumerate() {
            if let Some(c) = on_calendar(url) {
                let p = &self.pages[i];
                let message = format!(
                    "the page is at `{}`, where esiin writes the calendar file `{}`",
                    self.config.url(url),
                    self.config.url(c)
                );
                let hint = "rename the file or give it another `slug`";
                // At its `slug` when it has one; else its file name is the cause.
                diags.push(match &p.common.slug {
                    Some(slug) => p.src.error_at_key("slug", Some(slug), message).hint(hint),
                    None => Diagnostic::error(message).in_file(&p.src.rel).hint(hint),
                });
            }
        }
        for (alias, i) in &self.aliases {
            if let Some(c) = on_calendar(alias) {
                diags.push(
                    self.pages[*i]
                        .src
                        .error_at_key(
                            "aliases",
                            Some(alias),
                            format!(
                                "the alias `/{}` would replace the calendar file `{}`",
                                alias.trim_start_matches('/'),
                                self.config.url(c)
                            ),
                        )
                        .hint("remove the alias"),
                );
            }
        }
        for (i, url) in self.urls.iter().enumerate() {
            if generated.contains(url) {
                diags.push(
                    Diagnostic::error(format!(
                        "the page is at `{}`, where esiin writes a generated page (topics and expertise gaps)",
                        self.config.url(url)
                    ))
                    .in_file(&self.pages[i].src.rel)
                    .hint("rename the file or give it another `slug`"),
                );
            }
        }
        for (alias, i) in &self.aliases {
            if generated.contains(alias) {
                diags.push(
                    self.pages[*i]
                        .src
                        .error_at_key(
                            "aliases",
                            None,
                            format!("the alias `{alias}` is the URL of a generated page"),
                        )
                        .hint("remove the alias"),
                );
            }
        }
    }

    /// A page past its `review_by` date still builds (it is marked stale on
    /// the page), but the editor running the build is told.
    fn warn_stale(&self, diags: &mut Vec<Diagnostic>) {
        for p in &self.pages {
            if let Some(date) = p.common.review_by
                && date.0 < self.today
            {
                let shown = date.0.to_string();
                let owner = p
                    .common
                    .owner
                    .as_deref()
                    .map_or(String::new(), |o| format!(" with its owner `{o}`"));
                diags.push(
                    p.src
                        .error_at_key(
                            "review_by",
                            Some(&shown),
                            format!(
                                "the page was due for review on {shown}; it is shown as out of date"
                            ),
                        )
                        .hint(format!(
                            "review the page{owner}, then move `review_by` to a future date"
                        ))
                        .into_warning(),
                );
            }
        }
    }

    fn check_prerequisite_cycles(&self, diags: &mut Vec<Diagnostic>) {
        // Colours: 0 unvisited, 1 on the stack, 2 done.
        let mut colour = vec![0u8; self.pages.len()];
        let mut reported = HashSet::new();
        for start in 0..self.pages.len() {
            if colour[start] != 0 || self.refs[start].prerequisites.is_empty() {
                continue;
            }
            let mut stack: Vec<(usize, usize)> = vec![(start, 0)];
            colour[start] = 1;
            while let Some(&mut (node, ref mut next)) = stack.last_mut() {
                if let Some(&dep) = self.refs[node].prerequisites.get(*next) {
                    *next += 1;
                    match colour[dep] {
                        0 => {
                            colour[dep] = 1;
                            stack.push((dep, 0));
                        }
                        1 => {
                            let from = stack.iter().position(|&(n, _)| n == dep).unwrap_or(0);
                            let cycle: Vec<usize> = stack[from..].iter().map(|&(n, _)| n).collect();
                            let mut key: Vec<usize> = cycle.clone();
                            key.sort();
                            if reported.insert(key) {
                                let names: Vec<&str> = cycle
                                    .iter()
                                    .chain(std::iter::once(&dep))
                                    .map(|&n| self.pages[n].stem())
                                    .collect();
                                let p = &self.pages[node];
                                diags.push(
                                    p.src
                                        .error_at_key("prerequisites", Some(self.pages[dep].stem()), format!("prerequisites form a cycle: {}", names.join(" → ")))
                                        .hint("remove one of these prerequisites so the modules can be taken in some order"),
                                );
                            }
                        }
                        _ => {}
                    }
                } else {
                    colour[node] = 2;
                    stack.pop();
                }
            }
        }
    }

    fn collect_aliases(&self, diags: &mut Vec<Diagnostic>) -> Vec<(String, usize)> {
        let taken: HashSet<&str> = self.urls.iter().map(String::as_str).collect();
        let mut seen = HashSet::new();
        let mut out = Vec::new();
        for (i, p) in self.pages.iter().enumerate() {
            for alias in &p.common.aliases {
                let mut a = alias.trim();
                // An alias may be written with the base path or without.
                if let Some(rest) = a.strip_prefix(self.config.base_path.as_str()) {
                    a = rest;
                }
                let a = a.trim_start_matches('/');
                let bad = a.is_empty()
                    || a.split('/')
                        .any(|s| s == ".." || s == "." || s.starts_with('.'))
                    || a.contains(['?', '#', '\\', '%'])
                    || links::is_external(a);
                if bad {
                    diags.push(
                        p.src
                            .error_at_key(
                                "aliases",
                                Some(alias),
                                format!("invalid alias `{alias}`"),
                            )
                            .hint("write an old URL path of this site, e.g. `/old/channels/`"),
                    );
                    continue;
                }
                let norm =
                    if a.ends_with('/') || a.rsplit('/').next().is_some_and(|s| !s.contains('.')) {
                        format!("{}/", a.trim_end_matches('/'))
                    } else {
                        a.to_string()
                    };
                if taken.contains(norm.as_str()) || !seen.insert(norm.clone()) {
                    diags.push(
                        p.src
                            .error_at_key("aliases", Some(alias), format!("the alias `{alias}` is already the URL of a page or another alias"))
                            .hint("remove the alias"),
                    );
                    continue;
                }
                out.push((norm, i));
            }
        }
        out
    }
}
