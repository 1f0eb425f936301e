//! What the plan page shows of a goal measured from the handbook (see
//! `resolve/measure.rs`): where its figures come from, and the figure of
//! each month, the month in progress marked *so far*. The words are the
//! theme's (`source_*`, `measure_*` strings); this gives the template the
//! facts to fill them with.

use serde::Serialize;

use super::view::{DateCtx, Num, date_ctx};
use crate::config::Language;
use crate::load::Page;
use crate::load::kinds::{Actual, MONTHS_EN, Measure};
use crate::resolve::Site;
use crate::resolve::measure::Origin;

/// A measured goal's source, for `plan.html`.
#[derive(Serialize)]
pub(crate) struct SourceCtx {
    /// `activity` or `csv`.
    pub kind: &'static str,
    /// The `measure_*` string to say what is counted: `share_of_staff`,
    /// `people` or `items`, with `_outside` when teams are left out.
    pub measure: String,
    /// The excluded teams as written, joined with commas.
    pub teams: String,
    /// The channels counted, joined with commas (empty: all).
    pub channels: String,
    /// The share's denominator (profiles, or `staff`).
    pub denominator: usize,
    /// Whether `staff:` gave the denominator.
    pub staff: bool,
    /// The CSV file, as written in `csv:`, and its column of figures.
    pub file: String,
    pub column: String,
    /// The file in the repository (`repository.url`), when known.
    pub file_url: Option<String>,
    /// The figures, oldest first.
    pub months: Vec<MonthCtx>,
    /// The month in progress, counted so far.
    pub so_far: Option<MonthCtx>,
}

/// One figure of a measured goal: its month (or day, from a CSV) and value.
#[derive(Serialize)]
pub(crate) struct MonthCtx {
    /// `2026-10` for a month's figure, `2026-10-15` for a day's.
    pub iso: String,
    pub text: String,
    pub value: Num,
}

/// A figure dated `a.date`: a month when it is the month's last day (or,
/// for the month in progress, `so_far`), else the day.
fn month_ctx(a: &Actual, so_far: bool, lang: Language) -> MonthCtx {
    let d = a.date.0;
    let (iso, text) = if so_far || d == d.last_of_month() {
        let name = MONTHS_EN[usize::from(d.month().unsigned_abs()).saturating_sub(1) % 12];
        let text = match lang {
            Language::En => format!("{name} {}", d.year()),
            Language::Fi => format!("{}/{}", d.month(), d.year()),
        };
        (d.strftime("%Y-%m").to_string(), text)
    } else {
        // A day, written as the site writes every date.
        let DateCtx { iso, text } = date_ctx(a.date, lang);
        (iso, text)
    };
    MonthCtx {
        iso,
        text,
        value: Num(a.value),
    }
}

/// The source of goal `goal` (its position) of the plan `page`, when it
/// is measured.
pub(crate) fn source_ctx(site: &Site, page: &Page, goal: usize) -> Option<SourceCtx> {
    let m = site.measured(page, goal)?;
    let lang = site.config.raw.language;
    let mut ctx = SourceCtx {
        kind: "activity",
        measure: String::new(),
        teams: String::new(),
        channels: String::new(),
        denominator: 0,
        staff: false,
        file: String::new(),
        column: String::new(),
        file_url: None,
        months: m
            .actuals
            .iter()
            .map(|a| month_ctx(a, false, lang))
            .collect(),
        so_far: m.so_far.as_ref().map(|a| month_ctx(a, true, lang)),
    };
    match &m.origin {
        Origin::Activity {
            measure,
            exclude_teams,
            channels,
            denominator,
            staff,
        } => {
            let name = match measure {
                Measure::ShareOfStaff => "share_of_staff",
                Measure::People => "people",
                Measure::Items => "items",
            };
            let outside = if exclude_teams.is_empty() {
                ""
            } else {
                "_outside"
            };
            ctx.measure = format!("{name}{outside}");
            ctx.teams = exclude_teams.join(", ");
            ctx.channels = channels.join(", ");
            ctx.denominator = *denominator;
            ctx.staff = *staff;
        }
        Origin::Csv { path, column } => {
            ctx.kind = "csv";
            ctx.file.clone_from(path);
            ctx.column.clone_from(column);
            ctx.file_url = site.config.raw.repository.as_ref().and_then(|r| {
                let base = r.url.as_deref()?.trim_end_matches('/');
                let branch = r.branch.as_deref().unwrap_or("main");
                // GitLab's file view is under `/-/` (its edit links say so);
                // GitHub's, Gitea's and Forgejo's are not.
                let gitlab = r.edit_url.as_deref().is_some_and(|e| e.contains("/-/"));
                let url = format!(
                    "{base}/{}blob/{}/{}",
                    if gitlab { "-/" } else { "" },
                    crate::text::encode_path(branch),
                    crate::text::encode_path(path)
                );
                crate::url::check(&url).is_ok().then_some(url)
            });
        }
    }
    Some(ctx)
}
