//! Resolving what a page links to: Markdown links, and front-matter fields
//! that name pages. Links are written as *source paths* (`../plan.md`,
//! `@/training/presenting.md#dates`) so they also work in a git host's
//! preview; here they become the target's URL, or an error.

use std::path::Path;

use super::{PageId, Site};
use crate::text::percent_decode;

/// What a link points at.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Target {
    /// Another site (a scheme such as `https:`/`mailto:`, or `//host`): left alone.
    External,
    /// A page of the handbook, with an optional `#anchor`.
    Page {
        page: PageId,
        anchor: Option<String>,
    },
    /// A file under `content/` that is copied to the output (an image, a PDF).
    Asset { path: String },
    /// A root-relative site URL written by hand (`/training/`): made to
    /// respect `base_url`, but not checked.
    SiteUrl { url: String },
}

/// Why a link does not resolve.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct LinkError {
    pub message: String,
    pub hint: String,
}

/// Whether `href` starts with a URL scheme (`https:`, `mailto:`, `tel:`).
pub(crate) fn is_external(href: &str) -> bool {
    if href.starts_with("//") {
        return true;
    }
    match href.find(':') {
        Some(i) => {
            let scheme = &href[..i];
            !scheme.is_empty()
                && scheme.starts_with(|c: char| c.is_ascii_alphabetic())
                && scheme
                    .chars()
                    .all(|c| c.is_ascii_alphanumeric() || matches!(c, '+' | '-' | '.'))
                && !href[..i].contains('/')
        }
        None => false,
    }
}

/// Joins `rel` onto folder `dir` (both relative to `content/`), resolving
/// `.` and `..`. `None` when the path climbs out of `content/`.
pub(crate) fn join(dir: &str, rel: &str) -> Option<String> {
    let mut parts: Vec<&str> = dir.split('/').filter(|s| !s.is_empty()).collect();
    for seg in rel.split('/') {
        match seg {
            "" | "." => {}
            ".." => {
                parts.pop()?;
            }
            s => parts.push(s),
        }
    }
    Some(parts.join("/"))
}

/// The part of the site that rewriting the links of a page body reads, as
/// Zola's `RenderContext { permalinks }`: where pages and files are, and
/// which pages are drafts. Markdown rendering sees the site only through it
/// (`render::markdown::RenderContext`), so what a rendered body depends on
/// is this list (serve's Markdown cache keys on all of it: the links epoch).
pub(crate) trait Links {
    /// Resolves `href`, written in page `from`.
    fn resolve(&self, from: PageId, href: &str) -> Result<Target, LinkError>;
    /// The URL of page `page`, under the base path, not yet percent-encoded.
    fn page_url(&self, page: PageId) -> String;
    /// The URL of `rel`, a path of the site, under the base path, not yet
    /// percent-encoded.
    fn site_url(&self, rel: &str) -> String;
    /// The source file of page `page`, relative to the root, for messages.
    fn source_path(&self, page: PageId) -> &Path;
}

impl Links for Site {
    fn resolve(&self, from: PageId, href: &str) -> Result<Target, LinkError> {
        self.resolve_link(from, href)
    }

    fn page_url(&self, page: PageId) -> String {
        self.url(page)
    }

    fn site_url(&self, rel: &str) -> String {
        self.config.url(rel)
    }

    fn source_path(&self, page: PageId) -> &Path {
        &self.page(page).src.rel
    }
}

/// The hint of a link to a missing heading (in Markdown or front matter)
/// until `render::markdown::check_anchors`, which knows the target's ids,
/// replaces it with a better one.
pub(crate) const ANCHOR_HINT: &str = "link to a heading the page has";

impl Site {
    /// Resolves `href`, written in the page at index `from`: a relative
    /// path is taken from that page's folder under `content/`.
    pub(crate) fn resolve_link(&self, from: PageId, href: &str) -> Result<Target, LinkError> {
        if is_external(href) {
            return Ok(Target::External);
        }
        let (path, anchor) = match href.find('#') {
            Some(i) => (&href[..i], Some(&href[i + 1..])),
            None => (href, None),
        };
        let path = path.split('?').next().unwrap_or(path);
        let anchor = anchor.map(percent_decode);
        if path.is_empty() {
            return Ok(Target::Page { page: from, anchor });
        }
        let path = percent_decode(path);
        let joined = if let Some(abs) = path.strip_prefix("@/") {
            join("", abs)
        } else if path.starts_with('/') {
            return Ok(Target::SiteUrl {
                url: self.config.url(&path),
            });
        } else {
            join(self.page(from).dir(), &path)
        };
        let Some(joined) = joined else {
            return Err(LinkError {
                message: format!("the link `{href}` points outside `content/`"),
                hint: "link pages by their path inside `content/`, e.g. `@/guide/page.md`".into(),
            });
        };
        self.target_of(&joined, href).map(|page| match page {
            Some(page) => Target::Page { page, anchor },
            None => Target::Asset { path: joined },
        })
    }

    /// The page (or, `None`, the asset) at `joined` under `content/`.
    fn target_of(&self, joined: &str, href: &str) -> Result<Option<PageId>, LinkError> {
        if joined.ends_with(".md") {
            if let Some(&i) = self.by_path.get(joined) {
                return Ok(Some(i));
            }
            return Err(self.missing_page(joined, href));
        }
        // A folder: its section.
        let as_section = if joined.is_empty() {
            "_index.md".to_string()
        } else {
            format!("{}/_index.md", joined.trim_end_matches('/'))
        };
        if let Some(&i) = self.by_path.get(&as_section) {
            return Ok(Some(i));
        }
        if self.assets.contains(joined) {
            return Ok(None);
        }
        Err(LinkError {
            message: format!(
                "the link `{href}` points to `content/{joined}`, which does not exist"
            ),
            hint: "link a page by its `.md` file, or put the file beside the page".into(),
        })
    }

    fn missing_page(&self, joined: &str, href: &str) -> LinkError {
        if self.drafts.contains(joined) {
            return LinkError {
                message: format!("the link `{href}` points to a draft (`content/{joined}`)"),
                hint: "publish the page (remove `draft: true`), remove the link, or build with `--drafts`".into(),
            };
        }
        let hint = match crate::diag::suggest(joined, self.by_path.keys().map(String::as_str)) {
            Some(best) => format!("did you mean `{}`?", relative_hint(joined, href, best)),
            None => "check the file name; links are paths of `.md` files, relative to this page or `@/` from `content/`".into(),
        };
        LinkError {
            message: format!(
                "the link `{href}` points to `content/{joined}`, which does not exist"
            ),
            hint,
        }
    }

    /// Resolves a front-matter reference to a page: an id
    /// (`guide/finding-your-channel`, `experts` for a section) or a path
    /// relative to the page (`../plan.md`).
    pub(super) fn resolve_page_ref(
        &self,
        from: PageId,
        r: &str,
    ) -> Result<(PageId, Option<String>), LinkError> {
        let (path, anchor) = match r.find('#') {
            Some(i) => (&r[..i], Some(r[i + 1..].to_string())),
            None => (r, None),
        };
        if path.trim().is_empty() {
            // Empty, or only an `#anchor`: that would be the page itself.
            return Err(LinkError {
                message: match r.trim() {
                    "" => "no page is named".into(),
                    r => format!("`{r}` names no page"),
                },
                hint: "write a page's id (`guide/finding-your-channel`) or its `.md` path".into(),
            });
        }
        let id_like = !path.ends_with(".md") && !path.starts_with("@/") && !path.starts_with('.');
        if id_like {
            let id = path.trim_matches('/');
            for candidate in [format!("{id}.md"), format!("{id}/_index.md")] {
                if let Some(&i) = self.by_path.get(&candidate) {
                    return Ok((i, anchor));
                }
            }
            // Experts and modules are also named by their file stem.
            for kind in [crate::load::Kind::Expert, crate::load::Kind::Module] {
                if let Ok(i) = self.find_kind(kind, id) {
                    return Ok((i, anchor));
                }
            }
        }
        match self.resolve_link(from, r) {
            Ok(Target::Page { page, anchor }) => Ok((page, anchor)),
            Ok(_) => Err(LinkError {
                message: format!("`{r}` is not a page of the handbook"),
                hint: "name a page by its id (`guide/finding-your-channel`) or its `.md` path"
                    .into(),
            }),
            // Not a path relative to the page either: say so as an id.
            Err(_) if id_like => Err(self.missing_id(path.trim_matches('/'))),
            Err(e) => Err(e),
        }
    }

    /// Why a reference written as an id (`guide/finding-your-channel`)
    /// names no page.
    fn missing_id(&self, id: &str) -> LinkError {
        if [format!("{id}.md"), format!("{id}/_index.md")]
            .iter()
            .any(|p| self.drafts.contains(p))
        {
            return LinkError {
                message: format!("`{id}` is a draft"),
                hint: "publish the page (remove `draft: true`), or build with `--drafts`".into(),
            };
        }
        let ids = self.by_path.keys().map(|p| {
            p.strip_suffix("/_index.md")
                .or_else(|| p.strip_suffix(".md"))
                .unwrap_or(p)
        });
        let hint = match crate::diag::suggest(id, ids) {
            Some(best) => format!("did you mean `{best}`?"),
            None => "name a page by its path under `content/` without `.md` \
                     (`guide/finding-your-channel`), or by its `.md` path relative to this page"
                .into(),
        };
        LinkError {
            message: format!("no page has the id `{id}`"),
            hint,
        }
    }
}

/// Rewrites a suggestion (a path under `content/`) in the style the user
/// wrote: a bare file name as a file name, any other path in full from
/// `@/`.
fn relative_hint(_joined: &str, href: &str, best: &str) -> String {
    if href.starts_with("@/") || href.contains("..") || href.contains('/') {
        format!("@/{best}")
    } else {
        best.rsplit('/').next().unwrap_or(best).to_string()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn externals() {
        assert!(is_external("https://example.com"));
        assert!(is_external("mailto:a@b.c"));
        assert!(is_external("//cdn.example.com/x"));
        assert!(!is_external("../plan.md"));
        assert!(!is_external("a/b:c.md"));
        assert!(!is_external("#top"));
    }

    #[test]
    fn joins_relative_paths() {
        assert_eq!(join("guide", "../plan.md").as_deref(), Some("plan.md"));
        assert_eq!(join("guide/x", "./a.md").as_deref(), Some("guide/x/a.md"));
        assert_eq!(join("", "../a.md"), None);
    }
}
