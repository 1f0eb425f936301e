//! What is out of date, judged once for every place that shows it: a page
//! past its `review_by` (warned in `checks.rs`, marked on the page), a
//! plan goal whose figures are old (the plan page's *stale data*), a
//! session that has ended (calendars, session lists), and from these the
//! editors' report of `check --stale` ([`Site::review`]).

use jiff::civil::Date;
use jiff::{Timestamp, Unit};

use super::{PageId, Site};
use crate::load::kinds::{Actual, Format, Goal, KindData, Module, Plan, Session};
use crate::load::{Kind, Page};
use crate::report::stale::{Finding, Item, Owner, Review};

/// A plan's `stale_after_days` when it sets none: a monthly figure that
/// is a fortnight late.
const STALE_AFTER_DAYS: u32 = 45;

/// Days from `from` to `to` (negative when `to` is earlier).
fn days_between(from: Date, to: Date) -> i64 {
    from.until((Unit::Day, to))
        .map_or(0, |span| i64::from(span.get_days()))
}

/// The plan's `stale_after_days`, or the default.
pub(crate) fn stale_after_days(plan: &Plan) -> u32 {
    plan.stale_after_days.unwrap_or(STALE_AFTER_DAYS)
}

/// The goal's latest actual (by date).
pub(crate) fn latest(goal: &Goal) -> Option<&Actual> {
    goal.actuals.iter().max_by_key(|a| a.date)
}

/// Whether a figure from `latest` is stale on `today`: older than
/// `stale_after_days` days.
pub(crate) fn is_stale_data(latest: Date, today: Date, stale_after_days: u32) -> bool {
    days_between(latest, today) > i64::from(stale_after_days)
}

/// Whether `session` has not ended at `now` (one without an `end` ends
/// when it starts).
pub(crate) fn is_upcoming(session: &Session, now: Timestamp) -> bool {
    session.end.unwrap_or(session.start).0 >= now
}

/// Which pages the report asks an owner of: every page but section pages
/// (`_index.md`, the home page, folders without one), which mostly list
/// their pages, and expert profiles, which their expert keeps.
fn needs_owner(page: &Page) -> bool {
    !page.is_section && page.kind != Kind::Expert
}

impl Site {
    /// The `review_by` date of a page that is past it (on the build's day).
    pub(crate) fn review_overdue(&self, page: &Page) -> Option<Date> {
        page.common
            .review_by
            .map(|d| d.0)
            .filter(|d| *d < self.today)
    }

    /// The editors' report at `now` (the build's now): pages past
    /// `review_by`, pages without an owner, plan goals with stale figures,
    /// modules without upcoming sessions (but `self-study` ones, which
    /// have none by design), grouped by the page's owner.
    pub(crate) fn review(&self, now: Timestamp) -> Review {
        let mut items = Vec::new();
        for (i, p) in self.pages() {
            let owner = self.owner_of(i);
            let mut add = |line: Option<usize>, finding: Finding| {
                let item = Item {
                    file: p.src.rel.to_string_lossy().replace('\\', "/"),
                    line,
                    title: p.title.clone(),
                    finding,
                };
                items.push((owner.clone(), item));
            };
            if let Some(date) = self.review_overdue(p) {
                add(
                    line_of(p, "review_by", None),
                    Finding::ReviewOverdue {
                        review_by: date.to_string(),
                        days: days_between(date, self.today),
                    },
                );
            }
            if needs_owner(p) && p.common.owner.is_none() {
                add(line_of(p, "title", None), Finding::NoOwner);
            }
            match &p.data {
                KindData::Plan(plan) => {
                    for (line, finding) in self.stale_goals(p, plan) {
                        add(line, finding);
                    }
                }
                KindData::Module(m) => {
                    if let Some((line, finding)) = self.no_upcoming_sessions(p, m, now) {
                        add(line, finding);
                    }
                }
                _ => {}
            }
        }
        Review::new(self.today.to_string(), items)
    }

    /// A module (page `p`) without a session that has not ended and is
    /// not cancelled, at its `sessions` (or its title, without any); not
    /// a `self-study` one, which has no sessions by design.
    fn no_upcoming_sessions(
        &self,
        p: &Page,
        m: &Module,
        now: Timestamp,
    ) -> Option<(Option<usize>, Finding)> {
        let held = || m.sessions.iter().filter(|s| !s.cancelled);
        if m.format == Some(Format::SelfStudy) || held().any(|s| is_upcoming(s, now)) {
            return None;
        }
        let tz = &self.config.tz;
        let last = held()
            .map(|s| s.start)
            .max()
            .map(|t| t.0.to_zoned_datetime(tz.clone()).date().to_string());
        let at = if m.sessions.is_empty() {
            "title"
        } else {
            "sessions"
        };
        Some((line_of(p, at, None), Finding::NoUpcomingSessions { last }))
    }

    /// The goals of `plan` (on page `p`) whose latest figure is stale, at
    /// the line of their `id`.
    fn stale_goals(&self, p: &Page, plan: &Plan) -> Vec<(Option<usize>, Finding)> {
        let after = stale_after_days(plan);
        plan.goals
            .iter()
            .filter_map(|g| {
                let last = latest(g)?.date.0;
                is_stale_data(last, self.today, after).then(|| {
                    (
                        line_of(p, "id", Some(&g.id)),
                        Finding::StaleGoal {
                            goal: g.id.clone(),
                            goal_title: g.title.clone(),
                            latest: last.to_string(),
                            days: days_between(last, self.today),
                            stale_after_days: after,
                        },
                    )
                })
            })
            .collect()
    }

    /// The expert who owns page `i`, as the report names them.
    fn owner_of(&self, i: PageId) -> Option<Owner> {
        let o = self.node(i).refs.owner?;
        let expert = self.page(o);
        Some(Owner {
            id: expert.stem().to_string(),
            name: expert.title.clone(),
        })
    }
}

/// The line of the file where front-matter `key` (or `value` after it) is
/// written; `None` for a page with no source (a folder without `_index.md`).
fn line_of(p: &Page, key: &str, value: Option<&str>) -> Option<usize> {
    if p.src.text.is_empty() {
        return None;
    }
    let (offset, _) = p.src.locate(key, value);
    Some(crate::diag::Pos::of_offset(&p.src.text, offset).line)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn data_is_stale_only_past_the_limit() {
        let d = |s: &str| s.parse::<Date>().expect("a date");
        assert!(!is_stale_data(d("2026-05-01"), d("2026-06-15"), 45));
        assert!(is_stale_data(d("2026-04-30"), d("2026-06-15"), 45));
        assert_eq!(days_between(d("2026-06-01"), d("2026-06-15")), 14);
    }
}
