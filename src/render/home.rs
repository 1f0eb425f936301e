//! The home page's own parts: "Recently updated" (the pages with the
//! newest `updated:` or git date) and "Continue where you left off" (each
//! onboarding path with its steps, which `static/path.js` shows only to a
//! reader who has started the path, pointing at the next unticked step).

use serde::Serialize;

use super::view::{DateCtx, Pages, Ref, date_ctx};
use crate::load::Kind;
use crate::load::kinds::{self, KindData};
use crate::resolve::PageId;

/// How many pages "Recently updated" lists.
const RECENT: usize = 5;

#[derive(Serialize)]
pub(crate) struct HomeCtx<'a> {
    /// Newest first; pages without a date are left out.
    pub recent: Vec<RecentPage<'a>>,
    /// Every onboarding path with steps, by title.
    pub paths: Vec<ContinuePath<'a>>,
    /// "Recently shared": the newest activity of listed experts.
    pub shared: Vec<super::activity::ActivityCtx<'a>>,
}

#[derive(Serialize)]
pub(crate) struct RecentPage<'a> {
    pub page: Ref<'a>,
    pub updated: DateCtx,
}

#[derive(Serialize)]
pub(crate) struct ContinuePath<'a> {
    pub path: Ref<'a>,
    /// Where `path.js` keeps the reader's progress (as on the path page).
    pub storage_key: String,
    pub steps: Vec<Ref<'a>>,
}

impl<'a> Pages<'a> {
    /// Page `i`'s "last updated" day: `updated:`, else its last commit's.
    pub(crate) fn updated_date(self, i: PageId) -> Option<kinds::Date> {
        let site = self.site;
        let p = site.page(i);
        p.common.updated.or_else(|| {
            site.git
                .get(&p.path)
                .and_then(|c| c.date(&site.config.tz))
                .map(kinds::Date)
        })
    }

    /// The home page's parts (the page `site.home`).
    pub(crate) fn home_ctx(self) -> HomeCtx<'a> {
        let site = self.site;
        let lang = site.config.raw.language;
        // Content pages a reader would open: not sections (their lists
        // change with their pages), not the home page, and no unlisted
        // expert (they stay out of every list).
        let mut dated: Vec<(kinds::Date, PageId)> = site
            .pages()
            .filter(|&(i, p)| {
                i != site.home
                    && !p.is_section
                    && (p.kind != Kind::Expert || site.is_listed_expert(i))
            })
            .filter_map(|(i, _)| self.updated_date(i).map(|d| (d, i)))
            .collect();
        dated.sort_by(|a, b| {
            b.0.cmp(&a.0)
                .then_with(|| site.page(a.1).title.cmp(&site.page(b.1).title))
        });
        let recent = dated
            .into_iter()
            .take(RECENT)
            .map(|(d, i)| RecentPage {
                page: self.page_ref(i),
                updated: date_ctx(d, lang),
            })
            .collect();
        let mut paths: Vec<ContinuePath<'a>> = site
            .pages()
            .filter(|(_, p)| matches!(&p.data, KindData::Path(path) if !path.steps.is_empty()))
            .map(|(i, _)| ContinuePath {
                path: self.page_ref(i),
                storage_key: super::view::storage_key(site, i),
                steps: self.page_refs(&site.node(i).refs.steps),
            })
            .collect();
        paths.sort_by(|a, b| a.path.title.cmp(b.path.title));
        HomeCtx {
            recent,
            paths,
            shared: self.recently_shared(site.listed_experts()),
        }
    }
}
