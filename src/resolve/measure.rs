//! Plan goals measured from the handbook itself (SPEC.md, "Activity and
//! measurement"): a goal with a `source` gets its `actuals` computed here,
//! once, in `resolve`, so the status, the charts, *stale data* and
//! `check --stale` read one list and need not know where it came from.
//!
//! - `source: {activity: …}`: for each calendar month from the plan's
//!   `period.start` (else the month of the first item counted) to the
//!   last month before the build day's, counted from every expert's
//!   `activity`. An item has a date only, so its month is its date's
//!   month; "calendar months in `timezone`" is the build day, taken in
//!   the handbook's time zone (`Site::today`), deciding which month is in
//!   progress. That month is *so far*: shown beside the figures, never an
//!   actual (half a month would read as *behind*, and a figure dated the
//!   month's end would be in the future). Months after `period.end` are
//!   not counted. Unlisted experts count (their items are never shown);
//!   drafts never do, even with `--drafts`.
//! - `source: {csv: PATH, …}`: the rows of a CSV export (`csv_source.rs`),
//!   read before `resolve` ([`Sources`]) so `serve` keys the resolved site
//!   by the file's bytes.

use std::collections::{BTreeMap, HashMap, HashSet};
use std::hash::{Hash, Hasher};
use std::sync::Arc;

use jiff::civil;

use super::csv_source;
use super::index::team_slug;
use super::{PageId, Site};
use crate::diag::Diagnostic;
use crate::files::Fence;
use crate::load::kinds::{
    Activity, ActivitySource, Actual, Date, Goal, KindData, Measure, SourceKind, Window,
};
use crate::load::{Loaded, Page};

/// The CSV files plans read, by path as written in `csv:`: their text,
/// or why it could not be read.
#[derive(Debug, Default)]
pub(crate) struct Sources {
    files: BTreeMap<String, Result<Arc<str>, csv_source::ReadFailure>>,
}

impl Sources {
    /// Reads every CSV file a plan goal of `loaded` names, through `fence`.
    pub(crate) fn read(fence: &Fence, loaded: &Loaded) -> Sources {
        let mut files = BTreeMap::new();
        for p in &loaded.pages {
            let KindData::Plan(plan) = &p.data else {
                continue;
            };
            for g in &plan.goals {
                if let Some(SourceKind::Csv(rel)) = g.source.as_ref().and_then(|s| s.kind())
                    && !files.contains_key(rel)
                {
                    let text = csv_source::read(fence, rel).map(Arc::from);
                    files.insert(rel.to_string(), text);
                }
            }
        }
        Sources { files }
    }

    /// `key` (what the site is resolved from) with the files' bytes:
    /// `serve` resolves again when a CSV file changed.
    pub(crate) fn key(&self, key: u64) -> u64 {
        let mut h = crate::cache::hasher();
        key.hash(&mut h);
        self.files.hash(&mut h);
        h.finish()
    }
}

/// Where a measured goal's figures come from, for the plan page.
#[derive(Debug, Clone)]
pub(crate) enum Origin {
    Activity {
        measure: Measure,
        /// The teams left out, as written.
        exclude_teams: Vec<String>,
        channels: Vec<String>,
        /// The share's denominator: `staff`, or the profiles counted.
        denominator: usize,
        /// Whether `staff` gave the denominator.
        staff: bool,
    },
    Csv {
        path: String,
        column: String,
    },
}

/// A goal's computed figures.
#[derive(Debug, Clone)]
pub(crate) struct Measured {
    /// The goal's position in the plan's `goals`.
    pub goal: usize,
    /// What became its `actuals`.
    pub actuals: Vec<Actual>,
    /// The month in progress (activity only), counted so far.
    pub so_far: Option<Actual>,
    pub origin: Origin,
}

/// One expert profile as counted: its team's slug and its items.
#[derive(Debug, Clone)]
pub(crate) struct Profile<'a> {
    pub team: Option<String>,
    pub activity: &'a [Activity],
}

/// The figures of an activity goal.
#[derive(Debug, Clone)]
pub(crate) struct Figures {
    /// One per complete month, dated its last day.
    pub months: Vec<Actual>,
    pub so_far: Option<Actual>,
    /// What a share is of: `staff`, else the profiles counted (outside
    /// the excluded teams).
    pub denominator: usize,
}

/// The first day of the window `d` is in (a calendar month: the only
/// window).
fn window_of(window: Window, d: civil::Date) -> civil::Date {
    match window {
        Window::Month => d.first_of_month(),
    }
}

/// Counts `src` over `profiles` (team slugs already made) for each month
/// from `start` (else the first item's month) to the month before
/// `today`'s, bounded by `end`; the month of `today` is `so_far`.
pub(crate) fn activity_figures(
    src: &ActivitySource,
    profiles: &[Profile<'_>],
    start: Option<civil::Date>,
    end: Option<civil::Date>,
    today: civil::Date,
) -> Figures {
    let month_of = |d| window_of(src.window, d);
    let excluded: HashSet<String> = src.exclude_teams.iter().map(|t| team_slug(t)).collect();
    let channels: HashSet<String> = src
        .channels
        .iter()
        .map(|c| c.trim().to_lowercase())
        .collect();
    let counted: Vec<&Profile> = profiles
        .iter()
        .filter(|p| !p.team.as_ref().is_some_and(|t| excluded.contains(t)))
        .collect();
    // Month → (items, people with one).
    let mut by_month: BTreeMap<civil::Date, (usize, usize)> = BTreeMap::new();
    for p in &counted {
        let mut months = HashSet::new();
        for item in p.activity {
            let channel_ok = channels.is_empty()
                || item
                    .channel
                    .as_deref()
                    .is_some_and(|c| channels.contains(&c.trim().to_lowercase()));
            if channel_ok {
                let m = month_of(item.date.0);
                by_month.entry(m).or_default().0 += 1;
                if months.insert(m) {
                    by_month.entry(m).or_default().1 += 1;
                }
            }
        }
    }
    let denominator = match src.staff {
        Some(n) => usize::try_from(n).unwrap_or(0),
        None => counted.len(),
    };
    let value = |m: civil::Date| {
        let (items, people) = by_month.get(&m).copied().unwrap_or_default();
        match src.measure {
            Measure::Items => items as f64,
            Measure::People => people as f64,
            Measure::ShareOfStaff if denominator == 0 => 0.0,
            // One decimal, as the page shows it.
            Measure::ShareOfStaff => (1000.0 * people as f64 / denominator as f64).round() / 10.0,
        }
    };
    let first = start
        .map(month_of)
        .or_else(|| by_month.keys().next().copied());
    let current = month_of(today);
    let last = end.map(month_of).filter(|e| *e < current);
    let mut months = Vec::new();
    let mut m = first;
    while let Some(month) = m.filter(|m| *m < current && last.is_none_or(|l| *m <= l)) {
        months.push(Actual {
            date: Date(month.last_of_month()),
            value: value(month),
        });
        m = month.checked_add(jiff::Span::new().months(1)).ok();
    }
    let so_far = (last.is_none() && first.is_some_and(|f| f <= current)).then(|| Actual {
        date: Date(today),
        value: value(current),
    });
    Figures {
        months,
        so_far,
        denominator,
    }
}

/// Where `key` of the goal `g` is written in page `p`: after the goal's
/// `id`, then `value` after it when given; the goal's `id` when not found.
fn goal_place(p: &Page, g: &Goal, key: &str, value: Option<&str>) -> (usize, usize) {
    let (id_at, id_len) = p.src.locate("id", Some(&g.id));
    let text = &p.src.text;
    let end = p.src.fm.end.min(text.len());
    let rest = text.get(id_at..end).unwrap_or("");
    let pattern = format!("{key}:");
    let found = rest.match_indices(&pattern).find(|(i, _)| {
        rest[..*i]
            .chars()
            .next_back()
            .is_none_or(|c| c.is_whitespace() || c == '{' || c == ',')
    });
    let Some((k, _)) = found else {
        return (id_at, id_len);
    };
    let key_at = id_at + k;
    if let Some(v) = value.filter(|v| !v.is_empty())
        && let Some(i) = text.get(key_at..end).and_then(|t| t.find(v))
    {
        return (key_at + i, v.len());
    }
    (key_at, key.len())
}

/// A diagnostic at `key` (or `value`) of goal `g` in page `p`.
fn at_goal(p: &Page, g: &Goal, key: &str, value: Option<&str>, d: Diagnostic) -> Diagnostic {
    let (offset, len) = goal_place(p, g, key, value);
    d.in_file(&p.src.rel)
        .at_offset_in(&p.src.text, p.src.lines(), offset, len)
}

/// The expert profiles every activity goal counts: non-draft, listed and
/// unlisted, with their team slugs; and the teams' names as written.
fn profiles(site: &Site) -> (Vec<Profile<'_>>, BTreeMap<String, String>) {
    let mut out = Vec::new();
    let mut teams = BTreeMap::new();
    for (_, p) in site.pages() {
        if let KindData::Expert(e) = &p.data
            && !p.common.draft
        {
            let team = e.team.as_deref().map(str::trim).filter(|t| !t.is_empty());
            if let Some(t) = team {
                teams.entry(team_slug(t)).or_insert_with(|| t.to_string());
            }
            out.push(Profile {
                team: team.map(team_slug),
                activity: &e.activity,
            });
        }
    }
    (out, teams)
}

impl Site {
    /// Computes every measured goal's figures into its `actuals` (see the
    /// module's documentation), keeping what the plan page shows of them
    /// in `self.measured`; errors and warnings go to `diags`.
    pub(super) fn measure_goals(&mut self, sources: &Sources, diags: &mut Vec<Diagnostic>) {
        let measures = |p: &Page| matches!(&p.data, KindData::Plan(plan) if plan.goals.iter().any(|g| g.source.is_some()));
        if !self.pages().any(|(_, p)| measures(p)) {
            return;
        }
        let (profiles, teams) = profiles(self);
        let mut measured: HashMap<String, Vec<Measured>> = HashMap::new();
        for (_, p) in self.pages() {
            let KindData::Plan(plan) = &p.data else {
                continue;
            };
            let period = plan.period.as_ref();
            let (start, end) = (period.map(|pr| pr.start.0), period.map(|pr| pr.end.0));
            for (i, g) in plan.goals.iter().enumerate() {
                let Some(kind) = check_source(p, g, &teams, diags) else {
                    continue;
                };
                let m = match kind {
                    SourceKind::Activity(src) => {
                        let f = activity_figures(src, &profiles, start, end, self.today);
                        Measured {
                            goal: i,
                            actuals: f.months,
                            so_far: f.so_far,
                            origin: Origin::Activity {
                                measure: src.measure,
                                exclude_teams: src.exclude_teams.clone(),
                                channels: src.channels.clone(),
                                denominator: f.denominator,
                                staff: src.staff.is_some(),
                            },
                        }
                    }
                    SourceKind::Csv(rel) => {
                        let Some(actuals) = csv_actuals(p, g, rel, sources, diags) else {
                            continue;
                        };
                        let column = g.source.as_ref().map_or("value", |s| s.value_column());
                        Measured {
                            goal: i,
                            actuals,
                            so_far: None,
                            origin: Origin::Csv {
                                path: rel.to_string(),
                                column: column.to_string(),
                            },
                        }
                    }
                };
                measured.entry(p.path.clone()).or_default().push(m);
            }
        }
        let ids: Vec<PageId> = self.ids().collect();
        self.measured = measured;
        for id in ids {
            let page = self.node(id).page.clone();
            if let Some(applied) = self.with_measured(&page) {
                self.nodes[id.index()].page = applied;
            }
        }
    }

    /// `page` with its measured goals' figures as their `actuals`, when
    /// it has any: for `resolve`, and for `serve`'s body edits, which
    /// swap the page as loaded again into a resolved site.
    pub(super) fn with_measured(&self, page: &Arc<Page>) -> Option<Arc<Page>> {
        let measured = self.measured.get(&page.path)?;
        let mut copy = Page::clone(page);
        if let KindData::Plan(plan) = &mut copy.data {
            for m in measured {
                if let Some(g) = plan.goals.get_mut(m.goal) {
                    g.actuals = m.actuals.clone();
                }
            }
        }
        Some(Arc::new(copy))
    }

    /// The figures of goal `goal` of the plan `page` when measured.
    pub(crate) fn measured(&self, page: &Page, goal: usize) -> Option<&Measured> {
        self.measured
            .get(&page.path)?
            .iter()
            .find(|m| m.goal == goal)
    }
}

/// The goal's source, checked: one of `activity` and `csv`, not with
/// `actuals`, CSV columns only with `csv`, `staff` above zero and only
/// with `share_of_staff`; a team
/// no expert has is a warning. `None`: no source, or a wrong one.
fn check_source<'g>(
    p: &Page,
    g: &'g Goal,
    teams: &BTreeMap<String, String>,
    diags: &mut Vec<Diagnostic>,
) -> Option<SourceKind<'g>> {
    let source = g.source.as_ref()?;
    let mut ok = true;
    let mut error = |key: &str, value: Option<&str>, d: Diagnostic| {
        diags.push(at_goal(p, g, key, value, d));
        ok = false;
    };
    if !g.actuals.is_empty() {
        error("source", None, Diagnostic::error(format!("goal `{}` has both `source` and `actuals`", g.id))
            .hint("choose one: remove `actuals` to take the figures from `source`, or remove `source` to type them"));
    }
    let kind = source.kind();
    match kind {
        None if source.activity.is_some() => error("source", None, Diagnostic::error("`source` has both `activity` and `csv`")
            .hint("choose one: `source: {activity: {measure: share_of_staff}}` or `source: {csv: data/visitors.csv, date: month, value: visitors}`")),
        None => error("source", None, Diagnostic::error("`source` has neither `activity` nor `csv`")
            .hint("write `source: {activity: {measure: share_of_staff}}` or `source: {csv: data/visitors.csv, date: month, value: visitors}`")),
        Some(SourceKind::Activity(a)) => {
            if source.date.is_some() || source.value.is_some() {
                let key = if source.date.is_some() { "date" } else { "value" };
                error(key, None, Diagnostic::error(format!("`{key}` names a CSV column, but this source is `activity`"))
                    .hint(format!("remove `{key}`, or measure from a file: `csv: data/visitors.csv`")));
            }
            if a.staff.is_some() && a.measure != Measure::ShareOfStaff {
                error("staff", None, Diagnostic::error("`staff` is the denominator of `share_of_staff`, and this goal counts something else")
                    .hint("remove `staff`, or write `measure: share_of_staff` to count the share of people"));
            }
            if let Some(n) = a.staff.filter(|n| *n <= 0) {
                error("staff", None, Diagnostic::error(format!("`staff: {n}` is not a number of people"))
                    .hint("write how many people work here, a whole number above zero (`staff: 34`), or remove it to count the profiles"));
            }
            for team in &a.exclude_teams {
                if !teams.contains_key(&team_slug(team)) {
                    let nearest = crate::diag::suggest(team, teams.values().map(String::as_str))
                        .map(|t| format!("did you mean `{t}`? "))
                        .unwrap_or_default();
                    diags.push(at_goal(p, g, "exclude_teams", Some(team), Diagnostic::warning(format!("no expert is in the team `{team}`"))
                        .hint(format!("{nearest}write a team as the experts' `team:` names it"))));
                }
            }
        }
        Some(SourceKind::Csv(_)) => {}
    }
    ok.then_some(kind).flatten()
}

/// The figures of a CSV goal `g` of page `p` from `sources`, or its
/// errors in `diags`.
fn csv_actuals(
    p: &Page,
    g: &Goal,
    rel: &str,
    sources: &Sources,
    diags: &mut Vec<Diagnostic>,
) -> Option<Vec<Actual>> {
    let read = sources.files.get(rel)?;
    let text = match read {
        Ok(text) => text,
        Err((message, hint)) => {
            let d = Diagnostic::error(message.clone()).hint(hint.clone());
            diags.push(at_goal(p, g, "csv", Some(rel), d));
            return None;
        }
    };
    let source = g.source.as_ref()?;
    match csv_source::parse(rel, text, source.date_column(), source.value_column()) {
        Ok(actuals) => Some(actuals),
        Err(mut d) => {
            diags.append(&mut d);
            None
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::load::kinds::ActivityType;

    fn item(y: i16, m: i8, d: i8, channel: Option<&str>) -> Activity {
        Activity {
            date: Date(civil::date(y, m, d)),
            title: "t".into(),
            url: "https://example.com/".into(),
            channel: channel.map(str::to_string),
            kind: ActivityType::Post,
        }
    }

    fn source(measure: Measure) -> ActivitySource {
        ActivitySource {
            measure,
            window: Window::Month,
            exclude_teams: vec!["Marketing".into()],
            channels: Vec::new(),
            staff: None,
        }
    }

    fn values(f: &Figures) -> Vec<(String, f64)> {
        f.months
            .iter()
            .map(|a| (a.date.0.to_string(), a.value))
            .collect()
    }

    /// Three profiles outside marketing, one in it: January has the first
    /// day (a) and the last (b, twice), February one item of a marketer
    /// only, March the month in progress.
    #[test]
    fn months_are_counted_by_their_dates() {
        let a = [item(2026, 1, 1, Some("blog"))];
        let b = [
            item(2026, 1, 31, Some("linkedin")),
            item(2026, 1, 31, Some("blog")),
            item(2026, 3, 2, None),
        ];
        let m = [item(2026, 2, 1, Some("blog"))];
        let profiles = [
            Profile {
                team: Some("sales".into()),
                activity: &a,
            },
            Profile {
                team: None,
                activity: &b,
            },
            Profile {
                team: Some("engineering".into()),
                activity: &[],
            },
            Profile {
                team: Some("marketing".into()),
                activity: &m,
            },
        ];
        let start = Some(civil::date(2026, 1, 1));
        let today = civil::date(2026, 3, 15);
        let share = activity_figures(
            &source(Measure::ShareOfStaff),
            &profiles,
            start,
            None,
            today,
        );
        assert_eq!(
            values(&share),
            [("2026-01-31".into(), 66.7), ("2026-02-28".into(), 0.0)]
        );
        assert_eq!(share.so_far.as_ref().map(|a| a.value), Some(33.3));
        assert_eq!(share.denominator, 3);
        let items = activity_figures(&source(Measure::Items), &profiles, start, None, today);
        assert_eq!(items.months[0].value, 3.0);
        let people = activity_figures(&source(Measure::People), &profiles, start, None, today);
        assert_eq!(people.months[0].value, 2.0);

        let mut blog = source(Measure::Items);
        blog.channels = vec!["Blog".into()];
        blog.exclude_teams.clear();
        let f = activity_figures(&blog, &profiles, None, None, today);
        assert_eq!(
            values(&f),
            [("2026-01-31".into(), 2.0), ("2026-02-28".into(), 1.0)]
        );
        assert_eq!(f.so_far.as_ref().map(|a| a.value), Some(0.0));

        let mut staff = source(Measure::ShareOfStaff);
        staff.staff = Some(8);
        let f = activity_figures(&staff, &profiles, start, None, today);
        assert_eq!(f.months[0].value, 25.0);
        assert_eq!(f.denominator, 8);
    }

    #[test]
    fn a_period_that_ended_has_no_month_in_progress() {
        let a = [item(2025, 11, 30, None)];
        let profiles = [Profile {
            team: None,
            activity: &a,
        }];
        let f = activity_figures(
            &source(Measure::Items),
            &profiles,
            Some(civil::date(2025, 11, 1)),
            Some(civil::date(2025, 12, 31)),
            civil::date(2026, 3, 1),
        );
        assert_eq!(
            values(&f),
            [("2025-11-30".into(), 1.0), ("2025-12-31".into(), 0.0)]
        );
        assert!(f.so_far.is_none());
        let none = activity_figures(
            &source(Measure::Items),
            &[],
            None,
            None,
            civil::date(2026, 3, 1),
        );
        assert!(none.months.is_empty() && none.so_far.is_none());
    }
}
