//! The shape of the site: which pages are published (drafts out, a page
//! for every folder), each page's URL, and the section tree with the
//! navigation.

use std::collections::{HashMap, HashSet};
use std::path::PathBuf;
use std::sync::Arc;

use crate::config::Site as Config;
use crate::diag::Diagnostic;
use crate::load::kinds::{Common, KindData, Visibility};
use crate::load::{Kind, Page, Source};

use super::{PageId, Site};

/// The pages to publish, sorted by path, and the paths of the drafts left
/// out. Every folder is a section; one without `_index.md` gets a list
/// page titled after the folder, so URLs and breadcrumbs never dead-end.
pub(super) fn published_pages(
    all: Vec<Arc<Page>>,
    dirs: Vec<String>,
    include_drafts: bool,
    config: &Config,
) -> (Vec<Arc<Page>>, HashSet<String>) {
    let mut drafts = HashSet::new();
    let mut pages: Vec<Arc<Page>> = Vec::with_capacity(all.len());
    for p in all {
        if p.common.draft && !include_drafts {
            drafts.insert(p.path.clone());
        } else {
            pages.push(p);
        }
    }
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
            pages.push(Arc::new(implicit_section(&dir, &path, config)));
        }
    }
    pages.sort_by(|a, b| a.path.cmp(&b.path));
    (pages, drafts)
}

/// The page of a folder without `_index.md`, titled after the folder.
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

/// Each page's URL relative to the base path, reporting two pages at one
/// URL. A folder's URL is its parent's plus its segment (the folder name,
/// or its `_index.md`'s `slug`), so a section's slug moves its pages with
/// it.
pub(super) fn urls(
    pages: &[Arc<Page>],
    config: &Config,
    diags: &mut Vec<Diagnostic>,
) -> Vec<String> {
    let mut seg_of_dir: HashMap<&str, String> = HashMap::new();
    for p in pages {
        let seg = segment(p, diags);
        if p.is_section {
            seg_of_dir.insert(p.dir(), seg);
        }
    }
    let urls: Vec<String> = pages
        .iter()
        .map(|p| {
            if p.is_section {
                dir_url(&seg_of_dir, p.dir())
            } else {
                let seg = p
                    .common
                    .slug
                    .clone()
                    .unwrap_or_else(|| p.stem().to_string());
                format!("{}{}/", dir_url(&seg_of_dir, p.dir()), seg)
            }
        })
        .collect();
    check_url_collisions(pages, &urls, config, diags);
    urls
}

/// The URL of folder `dir`: the segment of each folder on the way down.
fn dir_url(seg_of_dir: &HashMap<&str, String>, dir: &str) -> String {
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
}

/// Two pages at one URL: an error at each of them.
fn check_url_collisions(
    pages: &[Arc<Page>],
    urls: &[String],
    config: &Config,
    diags: &mut Vec<Diagnostic>,
) {
    let mut seen: HashMap<&str, usize> = HashMap::new();
    for (i, url) in urls.iter().enumerate() {
        let Some(&first) = seen.get(url.as_str()) else {
            seen.insert(url, i);
            continue;
        };
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
    }
}

/// How a page is listed in its section.
enum Listed {
    Subsection,
    Page,
    /// Only given its parent (breadcrumbs): an unlisted expert.
    Not,
}

impl Site {
    /// The section tree (each page's parent, each section's pages and
    /// subsections, by weight then title), the home page and the
    /// navigation.
    pub(super) fn build_tree(&mut self) {
        let home = self
            .pages()
            .find(|(_, p)| p.is_section && p.dir().is_empty())
            .map_or(PageId::new(0), |(id, _)| id);
        self.home = home;
        for (id, s, listed) in self.placements() {
            self.nodes[id.index()].parent = Some(s);
            let section = &mut self.nodes[s.index()];
            match listed {
                Listed::Subsection => section.subsections.push(id),
                Listed::Page => section.children.push(id),
                Listed::Not => {}
            }
        }
        for i in 0..self.nodes.len() {
            let mut children = std::mem::take(&mut self.nodes[i].children);
            let mut subsections = std::mem::take(&mut self.nodes[i].subsections);
            self.order(&mut children);
            self.order(&mut subsections);
            self.nodes[i].children = children;
            self.nodes[i].subsections = subsections;
        }
        // The navigation: the home page's sections and pages (`plan.md`,
        // `guidelines.md` at the top are as important as any section).
        let home = self.node(self.home);
        let mut nav: Vec<PageId> = home
            .subsections
            .iter()
            .chain(&home.children)
            .copied()
            .collect();
        self.order(&mut nav);
        self.nav = nav;
    }

    /// Where each page goes: its section, and how it is listed there.
    fn placements(&self) -> Vec<(PageId, PageId, Listed)> {
        let section_of_dir: HashMap<&str, PageId> = self
            .pages()
            .filter(|(_, p)| p.is_section)
            .map(|(id, p)| (p.dir(), id))
            .collect();
        self.pages()
            .filter_map(|(id, p)| {
                let dir = p.dir();
                let parent_dir = if p.is_section {
                    if dir.is_empty() {
                        return None;
                    }
                    dir.rfind('/').map_or("", |j| &dir[..j])
                } else {
                    dir
                };
                let &s = section_of_dir.get(parent_dir)?;
                // An unlisted expert keeps a profile page, but is left
                // out of the directory (SPEC.md, `visibility`).
                let unlisted =
                    matches!(&p.data, KindData::Expert(e) if e.visibility == Visibility::Unlisted);
                let listed = if p.is_section {
                    Listed::Subsection
                } else if unlisted {
                    Listed::Not
                } else {
                    Listed::Page
                };
                Some((id, s, listed))
            })
            .collect()
    }

    /// Sorts pages as lists show them: by weight, then title, then path.
    fn order(&self, list: &mut [PageId]) {
        list.sort_by(|&a, &b| {
            let (pa, pb) = (self.page(a), self.page(b));
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
    }
}
