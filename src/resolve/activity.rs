//! Experts' own public work (`activity:`, SPEC.md "Activity and
//! measurement") as the site shows it: which items are shared, in which
//! order, and where the Atom feed of them is written.
//!
//! One selection serves the home page's and the team pages' "Recently
//! shared" and the feed (`render/feed.rs`), so the three cannot disagree on
//! who is shown: listed, non-draft experts only (an unlisted expert's items
//! are counted by plan goals, computed from `Expert.activity` in
//! `stale.rs`, but never shown), items dated up to the build day (an item
//! dated later is an announced talk: the profile shows it as upcoming,
//! the lists and the feed wait for its day), newest first. Never ranked or
//! grouped by person or by count: the handbook shows the work, not a
//! leaderboard.

use std::collections::HashMap;

use crate::diag::Diagnostic;
use crate::load::kinds::KindData;

use super::Site;

impl Site {
    /// The same URL twice on one profile is a warning: one of the two is
    /// most likely a copy whose URL was not changed, and it would be
    /// shown and counted twice.
    pub(super) fn warn_activity(&self, diags: &mut Vec<Diagnostic>) {
        for (_, p) in self.pages() {
            let KindData::Expert(e) = &p.data else {
                continue;
            };
            let mut seen: HashMap<&str, usize> = HashMap::new();
            for (k, item) in e.activity.iter().enumerate() {
                let Some(&first) = seen.get(item.url.trim()) else {
                    seen.insert(item.url.trim(), k);
                    continue;
                };
                let nth = e.activity[..k].iter().filter(|a| a.url == item.url).count();
                let (offset, len) = super::index::nth_key(&p.src, "url", &item.url, nth);
                diags.push(
                    Diagnostic::warning(format!(
                        "activity items {} and {} have the same `url`",
                        first + 1,
                        k + 1
                    ))
                    .in_file(&p.src.rel)
                    .at_offset(&p.src.text, offset, len)
                    .hint("remove the copy, or give it the address of its own work"),
                );
            }
        }
    }
}
