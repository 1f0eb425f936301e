//! Experts' own public work as pages show it: "Recent work" on a profile
//! (every item, upcoming ones marked), and "Recently shared" on the home
//! page and on each team page (the selection of `resolve/activity.rs`:
//! listed, non-draft experts, up to the build day, newest first, never
//! ranked by person).

use serde::Serialize;

use super::share::{self, ShareLink};
use super::view::{DateCtx, Pages, channel, date_ctx};
use crate::load::kinds::{Activity, ActivityType, Expert, Visibility};
use crate::resolve::PageId;
use crate::resolve::activity::Shared;
use crate::text::encode_path;

/// How many items "Recently shared" lists on the home page and on a team
/// page: a glimpse that changes as people share, not an archive (the
/// profiles and the feed hold everything).
pub(crate) const RECENTLY_SHARED: usize = 8;

/// One activity item as a page shows it.
#[derive(Serialize)]
pub(crate) struct ActivityCtx<'a> {
    /// Localized as the site writes dates.
    pub date: DateCtx,
    pub title: &'a str,
    /// The item's own address (checked at load: a full `http(s)` URL).
    pub url: &'a str,
    /// `post`, `talk`, …: the badge, labelled by `t.activity_<type>`.
    #[serde(rename = "type")]
    pub kind: ActivityType,
    pub channel: Option<ActivityChannel<'a>>,
    /// Dated after the build day: an announced talk.
    pub upcoming: bool,
    /// Whose it is, in lists across experts.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub expert: Option<ExpertLink<'a>>,
    /// The share kit, on the expert's own profile only, for an item on
    /// one of the company's domains (`render/share.rs`).
    pub share: Vec<ShareLink>,
}

/// Where an item was published: the name as written (for the theme's
/// `channel_<name>` label) and the built-in label.
#[derive(Serialize)]
pub(crate) struct ActivityChannel<'a> {
    pub name: &'a str,
    pub label: String,
}

/// The expert an item in a shared list belongs to.
#[derive(Serialize)]
pub(crate) struct ExpertLink<'a> {
    pub title: &'a str,
    pub url: String,
}

impl<'a> Pages<'a> {
    /// `item` for a page; `expert` names whose it is, in lists across
    /// experts.
    fn activity_ctx(self, item: &'a Activity, expert: Option<PageId>) -> ActivityCtx<'a> {
        let site = self.site;
        ActivityCtx {
            date: date_ctx(item.date, site.config.raw.language),
            title: &item.title,
            url: &item.url,
            kind: item.kind,
            channel: item
                .channel
                .as_deref()
                .map(str::trim)
                .map(|name| ActivityChannel {
                    name,
                    label: channel(name, "").0,
                }),
            upcoming: site.is_upcoming(item),
            expert: expert.map(|i| ExpertLink {
                title: &site.page(i).title,
                url: encode_path(&site.url(i)),
            }),
            share: Vec::new(),
        }
    }

    /// A profile's "Recent work": all of the expert's items, newest first
    /// (so the upcoming ones lead, marked), each on a company domain with
    /// its share links.
    /// An unlisted expert's profile shows none: their items are counted by
    /// plan goals but never shown (SPEC.md, "Activity and measurement").
    pub(crate) fn recent_work(self, i: PageId, e: &'a Expert) -> Vec<ActivityCtx<'a>> {
        let site = self.site;
        if e.visibility == Visibility::Unlisted {
            return Vec::new();
        }
        let mut items: Vec<&'a Activity> = e.activity.iter().collect();
        items.sort_by(|a, b| b.date.cmp(&a.date).then_with(|| a.title.cmp(&b.title)));
        let id = site.page(i).stem();
        items
            .into_iter()
            .map(|item| {
                let mut ctx = self.activity_ctx(item, None);
                if let Some(kit) = &site.config.raw.share
                    && share::on_company_domain(kit, &item.url)
                {
                    ctx.share = share::links(kit, &item.url, &item.title, id, &e.channels.0);
                }
                ctx
            })
            .collect()
    }

    /// "Recently shared" of `experts` (the site's listed experts, or a
    /// team's): see `Site::shared_activity`.
    pub(crate) fn recently_shared(
        self,
        experts: impl IntoIterator<Item = PageId>,
    ) -> Vec<ActivityCtx<'a>> {
        self.site
            .shared_activity(experts, RECENTLY_SHARED)
            .into_iter()
            .map(|Shared { expert, item }| self.activity_ctx(item, Some(expert)))
            .collect()
    }
}
