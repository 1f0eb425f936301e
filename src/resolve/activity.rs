//! Experts' own public work (`activity:`, SPEC.md "Activity and
//! measurement") as the site shows it: which items are shared, in which
//! order, and where the Atom feed of them is written.
//!
//! One selection serves the home page's and the team pages' "Recently
//! shared" and the feed (`render/feed.rs`), so the three cannot disagree on
//! who is shown: listed, non-draft experts only (an unlisted expert's items
//! are counted by plan goals, computed from `Expert.activity` in
//! `measure.rs`, but never shown), items dated up to the build day (an item
//! dated later is an announced talk: the profile shows it as upcoming,
//! the lists and the feed wait for its day), newest first. Never ranked or
//! grouped by person or by count: the handbook shows the work, not a
//! leaderboard.

use std::collections::HashMap;

use crate::diag::Diagnostic;
use crate::load::Kind;
use crate::load::kinds::{Activity, KindData, Visibility};

use super::{PageId, Site};

/// The feed's file name at the site root (reserved in `checks.rs`).
const FEED_FILE: &str = "activity.xml";

/// One shared item and whose it is.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Shared<'a> {
    pub expert: PageId,
    pub item: &'a Activity,
}

impl Site {
    /// The activity feed, site-relative (`activity.xml`), when the site
    /// writes one: whenever it has expert pages, so that a subscription
    /// keeps working while nobody has shared anything yet. Kept in
    /// [`Site::activity_feed`].
    pub(super) fn find_activity_feed(&self) -> Option<String> {
        self.pages()
            .any(|(_, p)| p.kind == Kind::Expert)
            .then(|| FEED_FILE.to_string())
    }

    /// Whether `item` is dated after the build day (an announced talk).
    pub(crate) fn is_upcoming(&self, item: &Activity) -> bool {
        item.date.0 > self.today
    }

    /// The shared items of `experts` (listed and not drafts; the others
    /// are skipped), newest first, at most `limit`. Items of one day are
    /// ordered by title, then URL: never by person.
    pub(crate) fn shared_activity(
        &self,
        experts: impl IntoIterator<Item = PageId>,
        limit: usize,
    ) -> Vec<Shared<'_>> {
        let mut items: Vec<Shared<'_>> = experts
            .into_iter()
            .filter(|&i| !self.page(i).common.draft)
            .filter_map(|i| match &self.page(i).data {
                KindData::Expert(e) if e.visibility == Visibility::Listed => Some((i, e)),
                _ => None,
            })
            .flat_map(|(i, e)| {
                e.activity
                    .iter()
                    .filter(|a| !self.is_upcoming(a))
                    .map(move |item| Shared { expert: i, item })
            })
            .collect();
        items.sort_by(|a, b| {
            b.item
                .date
                .cmp(&a.item.date)
                .then_with(|| a.item.title.cmp(&b.item.title))
                .then_with(|| a.item.url.cmp(&b.item.url))
                .then_with(|| a.expert.cmp(&b.expert))
        });
        items.truncate(limit);
        items
    }

    /// Every listed expert, for the site-wide lists.
    pub(crate) fn listed_experts(&self) -> impl Iterator<Item = PageId> + '_ {
        self.ids().filter(|&i| self.is_listed_expert(i))
    }

    /// The same URL twice on one profile is a warning, once per URL: one
    /// of the two is most likely a copy whose URL was not changed, and it
    /// would be shown and counted twice.
    pub(super) fn warn_activity(&self, diags: &mut Vec<Diagnostic>) {
        for (_, p) in self.pages() {
            let KindData::Expert(e) = &p.data else {
                continue;
            };
            // URL → (first item, items with it so far): one pass, however
            // many copies a hostile file holds.
            let mut seen: HashMap<&str, (usize, usize)> = HashMap::new();
            let mut places = crate::load::trust::ValuePlaces::new(&p.src, "url");
            for (k, item) in e.activity.iter().enumerate() {
                let entry = seen.entry(item.url.trim()).or_insert((k, 0));
                entry.1 += 1;
                let (first, count) = *entry;
                // Once per URL, at its first copy: more copies are the same
                // mistake, and a warning each would bury the others.
                if count != 2 {
                    continue;
                }
                let (offset, len) = match places.key_at(&item.url, count - 1) {
                    Some(at) => (at, "url".len()),
                    None => p.src.locate("url", Some(&item.url)),
                };
                diags.push(
                    Diagnostic::warning(format!(
                        "activity items {} and {} have the same `url`",
                        first + 1,
                        k + 1
                    ))
                    .in_file(&p.src.rel)
                    .at_offset_in(&p.src.text, p.src.lines(), offset, len)
                    .hint("remove the copy, or give it the address of its own work"),
                );
            }
        }
    }
}
