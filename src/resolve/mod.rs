//! Stage 2, *resolve*: turn the loaded pages into one site model. Assigns
//! every page its URL, builds the section tree, and resolves every
//! cross-reference (owners, trainers, prerequisites, path steps, materials,
//! aliases) to a [`PageId`], or reports where it is broken.
//!
//! After this stage nothing downstream looks a page up by name: a broken
//! reference cannot reach the renderer.
//!
//! The steps, in the order [`resolve`] runs them, each in its own file:
//! `tree.rs` (drafts out, implicit sections, URLs, the section tree and the
//! navigation), `refs.rs` (front-matter references and their checks),
//! `checks.rs` (aliases, stale pages, URLs esiin writes itself),
//! `sessions.rs` (session times), `index.rs` (topics, back-references,
//! sessions in date order, calendar files), `activity.rs` (experts' shared
//! work: the one selection the lists and the feed show). `links.rs` resolves a link
//! written as a source path, for this stage and for Markdown; `stale.rs`
//! judges what is out of date and makes `check --stale`'s report;
//! `measure.rs` computes the figures of goals measured from the experts'
//! activity or a CSV file (`csv_source.rs`) into their `actuals`.

pub(crate) mod activity;
mod checks;
mod csv_source;
pub mod index;
pub mod links;
pub(crate) mod measure;
mod refs;
mod sessions;
pub(crate) mod stale;
mod tree;

use std::collections::{HashMap, HashSet};
use std::path::PathBuf;
use std::sync::Arc;

use jiff::civil;

use crate::config::Site as Config;
use crate::diag::Diagnostic;
use crate::load::kinds::{KindData, Visibility};
use crate::load::{Kind, Loaded, Page};
pub(crate) use links::Target;

/// A page of a resolved [`Site`]: its position in the site's pages (sorted
/// by path). Only meaningful for the site that gave it out.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub(crate) struct PageId(u32);

impl PageId {
    /// The page at position `index` of the site's pages (as [`Site::ids`]
    /// counts them). For per-page tables kept beside the site, such as the
    /// rendered bodies.
    pub(crate) fn new(index: usize) -> PageId {
        // A page is read into memory whole: a handbook cannot hold four
        // billion of them.
        PageId(index as u32)
    }

    /// The page's position in the site's pages, to index per-page tables.
    pub(crate) fn index(self) -> usize {
        self.0 as usize
    }
}

/// One resolved page: the page as loaded, and where it sits in the site.
#[derive(Debug, Clone)]
pub(crate) struct Node {
    pub page: Arc<Page>,
    /// The URL relative to the base path: `experts/mari/`, `""` for home.
    pub url: String,
    /// The section it is listed in (`None` for home).
    pub parent: Option<PageId>,
    /// For sections: their pages, by weight then title.
    pub children: Vec<PageId>,
    /// For sections: their subsections, by weight then title.
    pub subsections: Vec<PageId>,
    /// Its front-matter references, resolved.
    pub refs: Refs,
}

/// The whole handbook, resolved.
#[derive(Debug)]
pub(crate) struct Site {
    pub config: Config,
    pub root: PathBuf,
    /// Published pages (drafts only with `--drafts`), sorted by path; a
    /// [`PageId`] is a position here.
    nodes: Vec<Node>,
    /// `experts/mari.md` → page.
    pub by_path: HashMap<String, PageId>,
    /// Paths of drafts left out, to explain links to them.
    pub drafts: HashSet<String>,
    /// Files under `content/` that are not pages.
    pub assets: HashSet<String>,
    /// Old URLs (relative to the base path) that redirect to a page.
    pub aliases: Vec<(String, PageId)>,
    /// The home page.
    pub home: PageId,
    /// Top-level sections, in navigation order.
    pub nav: Vec<PageId>,
    pub today: civil::Date,
    pub include_drafts: bool,
    /// Experts and modules by file stem and by id, for references.
    named: HashMap<(Kind, String), Vec<PageId>>,
    /// Topics, back-references and sessions (see `index.rs`).
    pub index: index::Index,
    /// The section of the experts folder (the directory), if any.
    pub experts_section: Option<PageId>,
    /// The section of the training folder (the catalogue), if any.
    pub training_section: Option<PageId>,
    /// The activity feed, site-relative (`activity.xml`), when the site
    /// writes one (see `activity.rs`); found once, as every page's head
    /// links it.
    pub activity_feed: Option<String>,
    /// The last commit of each page file, for pages without `updated:`.
    pub git: std::sync::Arc<crate::load::git::Dates>,
    /// By plan page path: its goals measured from the handbook, whose
    /// figures are the goals' `actuals` (see `measure.rs`).
    measured: HashMap<String, Vec<measure::Measured>>,
}

/// A page's front-matter references, resolved.
#[derive(Debug, Clone, Default)]
pub(crate) struct Refs {
    pub owner: Option<PageId>,
    pub trainers: Vec<PageId>,
    pub prerequisites: Vec<PageId>,
    pub plan_owners: Vec<PageId>,
    pub steps: Vec<PageId>,
    pub materials: Vec<Material>,
}

/// A module's material, resolved: where its link goes.
#[derive(Debug, Clone)]
pub(crate) enum Material {
    External(String),
    Page(PageId, Option<String>),
    Asset(String),
    SiteUrl(String),
}

/// An `#anchor` to check once every page's headings are known.
#[derive(Debug, Clone)]
pub(crate) struct PendingAnchor {
    pub target: PageId,
    pub anchor: String,
    /// The error to report when the anchor does not exist.
    pub error: Diagnostic,
}

/// Resolves `loaded` into a [`Site`]. Returns the anchors of front-matter
/// references to check after rendering.
pub(crate) fn resolve(
    root: PathBuf,
    config: Config,
    loaded: Loaded,
    sources: &measure::Sources,
    include_drafts: bool,
    today: civil::Date,
) -> (Site, Vec<PendingAnchor>, Vec<Diagnostic>) {
    let mut diags = Vec::new();
    let Loaded {
        pages: all,
        assets,
        dirs,
        git,
    } = loaded;
    let (pages, drafts) = tree::published_pages(all, dirs, include_drafts, &config);
    let urls = tree::urls(&pages, &config, &mut diags);
    let mut site = Site {
        config,
        root,
        by_path: HashMap::new(),
        drafts,
        assets: assets.into_iter().collect(),
        aliases: Vec::new(),
        home: PageId(0),
        nav: Vec::new(),
        today,
        include_drafts,
        named: HashMap::new(),
        index: index::Index::default(),
        experts_section: None,
        training_section: None,
        activity_feed: None,
        git,
        measured: HashMap::new(),
        nodes: pages
            .into_iter()
            .zip(urls)
            .map(|(page, url)| Node {
                page,
                url,
                parent: None,
                children: Vec::new(),
                subsections: Vec::new(),
                refs: Refs::default(),
            })
            .collect(),
    };
    site.by_path = site.pages().map(|(id, p)| (p.path.clone(), id)).collect();
    site.build_tree();
    // Before anything reads a goal's figures (`warn_stale` does not, the
    // report and the pages do): from here on they are its `actuals`.
    site.measure_goals(sources, &mut diags);
    site.name_experts_and_modules();
    let pending = site.resolve_refs(&mut diags);
    site.check_prerequisite_cycles(&mut diags);
    site.warn_stale(&mut diags);
    site.check_sessions(&mut diags);
    site.aliases = site.collect_aliases(&mut diags);
    site.index = site.build_index(&mut diags);
    site.experts_section = site.section_of_kind(Kind::Expert);
    site.training_section = site.section_of_kind(Kind::Module);
    site.activity_feed = site.find_activity_feed();
    site.check_generated_urls(&mut diags);
    site.check_session_files(&mut diags);
    site.warn_activity(&mut diags);
    (site, pending, diags)
}

impl Site {
    /// How many pages the site has.
    pub(crate) fn len(&self) -> usize {
        self.nodes.len()
    }

    /// Every page's id, in path order.
    pub(crate) fn ids(
        &self,
    ) -> impl DoubleEndedIterator<Item = PageId> + ExactSizeIterator + Clone {
        (0..self.nodes.len()).map(PageId::new)
    }

    /// Every page with its id, in path order.
    pub(crate) fn pages(&self) -> impl Iterator<Item = (PageId, &Page)> {
        self.nodes
            .iter()
            .enumerate()
            .map(|(i, n)| (PageId::new(i), &*n.page))
    }

    /// Every resolved page with its id, in path order.
    pub(crate) fn nodes(&self) -> impl Iterator<Item = (PageId, &Node)> {
        self.nodes
            .iter()
            .enumerate()
            .map(|(i, n)| (PageId::new(i), n))
    }

    /// The page as loaded.
    pub(crate) fn page(&self, id: PageId) -> &Page {
        &self.nodes[id.index()].page
    }

    /// The page with where it sits in the site.
    pub(crate) fn node(&self, id: PageId) -> &Node {
        &self.nodes[id.index()]
    }

    /// Puts a freshly loaded copy of a page in place of the one at its path,
    /// keeping everything resolved about it. Only for a page whose front
    /// matter is unchanged (its body may differ): `serve` reuses a resolved
    /// site this way when an edit changed bodies only. Returns whether the
    /// site has a page at that path.
    pub(crate) fn swap_page(&mut self, page: Arc<Page>) -> bool {
        let page = self.with_measured(&page).unwrap_or(page);
        match self.by_path.get(&page.path) {
            Some(&id) => {
                self.nodes[id.index()].page = page;
                true
            }
            None => false,
        }
    }

    /// The page's URL under the base path.
    pub(crate) fn url(&self, page: PageId) -> String {
        self.config.url(&self.node(page).url)
    }

    pub(crate) fn is_listed_expert(&self, page: PageId) -> bool {
        matches!(&self.page(page).data, KindData::Expert(e) if e.visibility == Visibility::Listed)
    }

    /// The section of a top-level folder whose pages are of `kind`
    /// (`experts/`, `training/`), if any.
    fn section_of_kind(&self, kind: Kind) -> Option<PageId> {
        self.pages().find_map(|(id, p)| {
            (p.is_section && !p.dir().is_empty() && self.config.kinds.get(p.dir()) == Some(&kind))
                .then_some(id)
        })
    }
}
