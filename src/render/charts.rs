//! The plan's charts, drawn at build time as inline SVG: a bullet graph per
//! goal (qualitative bands, the latest actual as a bar, the target as a
//! line, where a straight line from baseline to target says we should be
//! by now) and a sparkline of its actuals.
//!
//! Inline SVG rather than a chart library in the browser: the intranet may
//! have no internet, the plan must print (two A4 pages) and read without
//! JavaScript, and the numbers are known at build time. The charts are
//! decoration for sighted readers (`aria-hidden`); the template puts the
//! same numbers beside them as a table, which is the accessible equivalent.
//! Colours come from CSS classes, so the theme decides them (and dark mode).

use std::fmt::Write as _;

use jiff::civil::Date;

use crate::load::kinds::{Actual, Direction, Goal};
use crate::resolve::stale::{is_stale_data, latest};

/// How a goal is doing.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub(crate) enum Status {
    /// The target is reached.
    Reached,
    /// At or ahead of the straight line from baseline to target.
    OnTrack,
    Behind,
    /// No actuals yet.
    NoData,
}

/// What the plan page shows of a goal besides its own fields.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Assessment {
    /// Progress from baseline to target of the latest actual, in percent
    /// (negative when it moved the wrong way, over 100 past the target).
    pub progress: Option<f64>,
    /// Where the straight line from baseline (period start) to target
    /// (`due`) is at the latest actual's date.
    pub expected: Option<f64>,
    pub status: Status,
    /// The latest actual is older than the plan's `stale_after_days`.
    pub stale: bool,
}

fn days(a: Date, b: Date) -> f64 {
    a.until((jiff::Unit::Day, b))
        .map_or(0.0, |span| f64::from(span.get_days()))
}

/// The default of a plan's `tolerance_percent`.
pub(crate) const DEFAULT_TOLERANCE_PERCENT: f64 = 2.0;

/// Judges a goal: progress, where it should be, on track or behind, stale.
/// Within `tolerance_percent` of the distance from baseline to target
/// behind the expected line is still on track: a figure read to one
/// decimal a day after the line passed it is not news.
pub(crate) fn assess(
    goal: &Goal,
    start: Option<Date>,
    today: Date,
    stale_after_days: u32,
    tolerance_percent: f64,
) -> Assessment {
    let Some(last) = latest(goal) else {
        return Assessment {
            progress: None,
            expected: None,
            status: Status::NoData,
            stale: false,
        };
    };
    let span = goal.target - goal.baseline;
    let progress = (span != 0.0).then(|| (last.value - goal.baseline) / span * 100.0);
    let expected = match (start, goal.due) {
        (Some(start), Some(due)) if due.0 > start => {
            let t = (days(start, last.date.0) / days(start, due.0)).clamp(0.0, 1.0);
            Some(goal.baseline + span * t)
        }
        _ => None,
    };
    let ahead = |value: f64, mark: f64| match goal.direction {
        Direction::Increase => value >= mark,
        Direction::Decrease => value <= mark,
    };
    let margin = span.abs() * tolerance_percent.max(0.0) / 100.0;
    let near = |value: f64, mark: f64| match goal.direction {
        Direction::Increase => value >= mark - margin,
        Direction::Decrease => value <= mark + margin,
    };
    let status = if ahead(last.value, goal.target) {
        Status::Reached
    } else {
        match expected {
            Some(e) if near(last.value, e) => Status::OnTrack,
            Some(_) => Status::Behind,
            // Without a period or a due date there is no line to be on:
            // judge by the direction of travel since the baseline.
            None if ahead(last.value, goal.baseline) => Status::OnTrack,
            None => Status::Behind,
        }
    };
    Assessment {
        progress,
        expected,
        status,
        stale: is_stale_data(last.date.0, today, stale_after_days),
    }
}

/// A bullet graph, 300×40 units, scaled by CSS to its container.
pub(crate) fn bullet(goal: &Goal, a: &Assessment) -> String {
    const W: f64 = 300.0;
    const H: f64 = 40.0;
    let last = latest(goal).map(|x| x.value);
    let mut hi = goal.baseline.max(goal.target);
    let mut lo = goal.baseline.min(goal.target);
    if let Some(v) = last {
        hi = hi.max(v);
        lo = lo.min(v);
    }
    // Room beyond the target, and zero as the origin when all values are
    // positive, so bar lengths mean what they look like.
    lo = lo.min(0.0);
    hi += (hi - lo) * 0.08;
    if hi <= lo {
        hi = lo + 1.0;
    }
    let x = |v: f64| ((v - lo) / (hi - lo) * W).clamp(0.0, W);
    let mut svg = String::new();
    let _ = write!(
        svg,
        r#"<svg class="bullet" viewBox="0 0 {W} {H}" preserveAspectRatio="none" aria-hidden="true" focusable="false" xmlns="http://www.w3.org/2000/svg">"#
    );
    // Qualitative bands between baseline and target: a third, two thirds,
    // the rest (for `decrease` the bands run the other way).
    let (b, t) = (goal.baseline, goal.target);
    let stops = [lo, b, b + (t - b) / 3.0, b + (t - b) * 2.0 / 3.0, t, hi];
    let mut xs: Vec<f64> = stops.iter().map(|&v| x(v)).collect();
    xs.sort_by(f64::total_cmp);
    for (k, pair) in xs.windows(2).enumerate() {
        let width = pair[1] - pair[0];
        if width > 0.0 {
            let band = if goal.direction == Direction::Decrease {
                4 - k.min(4)
            } else {
                k.min(4)
            };
            let _ = write!(
                svg,
                r#"<rect class="bullet-band bullet-band-{band}" x="{:.2}" y="0" width="{:.2}" height="{H}"/>"#,
                pair[0], width
            );
        }
    }
    if let Some(v) = last {
        let (x0, x1) = (x(b.min(v)), x(b.max(v)));
        let _ = write!(
            svg,
            r#"<rect class="bullet-bar bullet-{}" x="{:.2}" y="14" width="{:.2}" height="12"/>"#,
            match a.status {
                Status::Behind => "behind",
                _ => "ok",
            },
            x0,
            (x1 - x0).max(1.5)
        );
    }
    if let Some(e) = a.expected {
        let _ = write!(
            svg,
            r#"<line class="bullet-expected" x1="{0:.2}" x2="{0:.2}" y1="10" y2="30"/>"#,
            x(e)
        );
    }
    let _ = write!(
        svg,
        r#"<line class="bullet-baseline" x1="{0:.2}" x2="{0:.2}" y1="6" y2="34"/><line class="bullet-target" x1="{1:.2}" x2="{1:.2}" y1="4" y2="36"/></svg>"#,
        x(b),
        x(t)
    );
    svg
}

/// The lowest and highest value a goal's sparkline spans (its actuals,
/// baseline and target): the axis values the plan page writes beside it.
pub(crate) fn spark_range(goal: &Goal) -> (f64, f64) {
    goal.actuals
        .iter()
        .map(|a| a.value)
        .chain([goal.baseline, goal.target])
        .fold((f64::MAX, f64::MIN), |(lo, hi), v| (lo.min(v), hi.max(v)))
}

/// A sparkline of the actuals over the plan period, 120×32 units stretched
/// to its column (`preserveAspectRatio="none"`; strokes keep their width):
/// the plan line (baseline at the start to target at `due`) dashed, the
/// actuals as a line, the latest as a dot (a round-capped zero-length
/// line, which stays round however the chart is stretched).
pub(crate) fn sparkline(goal: &Goal, start: Option<Date>) -> String {
    const W: f64 = 120.0;
    const H: f64 = 32.0;
    const PAD: f64 = 3.0;
    let mut actuals: Vec<&Actual> = goal.actuals.iter().collect();
    actuals.sort_by_key(|a| a.date);
    let first = start
        .or_else(|| actuals.first().map(|a| a.date.0))
        .unwrap_or(Date::constant(2000, 1, 1));
    let end = goal
        .due
        .map(|d| d.0)
        .into_iter()
        .chain(actuals.last().map(|a| a.date.0))
        .max()
        .unwrap_or(first);
    let total = days(first, end).max(1.0);
    let (lo, hi) = spark_range(goal);
    let range = if hi > lo { hi - lo } else { 1.0 };
    let x = |d: Date| PAD + (days(first, d) / total).clamp(0.0, 1.0) * (W - 2.0 * PAD);
    let y = |v: f64| H - PAD - (v - lo) / range * (H - 2.0 * PAD);
    let mut svg = format!(
        r#"<svg class="sparkline" viewBox="0 0 {W} {H}" preserveAspectRatio="none" aria-hidden="true" focusable="false" xmlns="http://www.w3.org/2000/svg">"#
    );
    if let Some(due) = goal.due {
        let _ = write!(
            svg,
            r#"<line class="spark-plan" x1="{:.2}" y1="{:.2}" x2="{:.2}" y2="{:.2}"/>"#,
            x(first),
            y(goal.baseline),
            x(due.0),
            y(goal.target)
        );
    }
    if !actuals.is_empty() {
        let mut points = format!("{:.2},{:.2}", x(first), y(goal.baseline));
        for a in &actuals {
            let _ = write!(points, " {:.2},{:.2}", x(a.date.0), y(a.value));
        }
        let _ = write!(svg, r#"<polyline class="spark-line" points="{points}"/>"#);
        if let Some(last) = actuals.last() {
            let _ = write!(
                svg,
                r#"<line class="spark-last" x1="{0:.2}" y1="{1:.2}" x2="{0:.2}" y2="{1:.2}"/>"#,
                x(last.date.0),
                y(last.value)
            );
        }
    }
    svg.push_str("</svg>");
    svg
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::load::kinds::Date as D;

    fn goal(
        direction: Direction,
        baseline: f64,
        target: f64,
        actuals: &[(i16, i8, i8, f64)],
    ) -> Goal {
        Goal {
            id: "g".into(),
            title: "Goal".into(),
            metric: None,
            unit: None,
            baseline,
            target,
            due: Some(D(Date::constant(2026, 12, 31))),
            direction,
            actuals: actuals
                .iter()
                .map(|&(y, m, d, value)| Actual {
                    date: D(Date::constant(y, m, d)),
                    value,
                })
                .collect(),
            topics: Vec::new(),
            source: None,
        }
    }

    const START: Date = Date::constant(2026, 1, 1);
    const TODAY: Date = Date::constant(2026, 7, 15);

    #[test]
    fn a_goal_within_the_tolerance_of_the_line_is_on_track() {
        // From 20 to 30 over the period: 0.1 below the line (26.5 against
        // 26.6) is on track with the default 2 % (a margin of 0.2), behind
        // with none.
        let probe = goal(Direction::Increase, 20.0, 30.0, &[(2026, 7, 1, 25.0)]);
        let e = assess(&probe, Some(START), TODAY, 45, 0.0)
            .expected
            .expect("a line");
        let g = goal(Direction::Increase, 20.0, 30.0, &[(2026, 7, 1, e - 0.1)]);
        let a = assess(&g, Some(START), TODAY, 45, DEFAULT_TOLERANCE_PERCENT);
        assert_eq!(a.status, Status::OnTrack, "expected {e}");
        assert_eq!(
            assess(&g, Some(START), TODAY, 45, 0.0).status,
            Status::Behind
        );
        // Well behind stays behind.
        let far = goal(Direction::Increase, 20.0, 30.0, &[(2026, 7, 1, 21.0)]);
        assert_eq!(
            assess(&far, Some(START), TODAY, 45, DEFAULT_TOLERANCE_PERCENT).status,
            Status::Behind
        );
        // Decrease: above the line by less than the margin is on track.
        let down = goal(Direction::Decrease, 30.0, 20.0, &[(2026, 7, 1, 23.0)]);
        let e = assess(&down, Some(START), TODAY, 45, 0.0)
            .expected
            .expect("a line");
        let near = goal(Direction::Decrease, 30.0, 20.0, &[(2026, 7, 1, e + 0.15)]);
        assert_eq!(
            assess(&near, Some(START), TODAY, 45, DEFAULT_TOLERANCE_PERCENT).status,
            Status::OnTrack
        );
        assert_eq!(
            assess(&near, Some(START), TODAY, 45, 0.0).status,
            Status::Behind
        );
    }

    #[test]
    fn on_track_against_a_straight_line() {
        // Half way through the year, half way from 10 to 30 is 20.
        let g = goal(Direction::Increase, 10.0, 30.0, &[(2026, 7, 1, 21.0)]);
        let a = assess(&g, Some(START), TODAY, 45, 0.0);
        assert_eq!(a.status, Status::OnTrack);
        assert!((a.progress.unwrap() - 55.0).abs() < 1e-9);
        let e = a.expected.unwrap();
        assert!((19.5..20.5).contains(&e), "{e}");
        let behind = goal(Direction::Increase, 10.0, 30.0, &[(2026, 7, 1, 15.0)]);
        assert_eq!(
            assess(&behind, Some(START), TODAY, 45, 0.0).status,
            Status::Behind
        );
    }

    #[test]
    fn decreasing_goals_work_too() {
        // From 21 days down to 7: by July, about 14 is on the line.
        let g = goal(Direction::Decrease, 21.0, 7.0, &[(2026, 7, 1, 12.0)]);
        let a = assess(&g, Some(START), TODAY, 45, 0.0);
        assert_eq!(a.status, Status::OnTrack);
        assert!((a.progress.unwrap() - 64.28).abs() < 0.1);
        let behind = goal(Direction::Decrease, 21.0, 7.0, &[(2026, 7, 1, 19.0)]);
        assert_eq!(
            assess(&behind, Some(START), TODAY, 45, 0.0).status,
            Status::Behind
        );
        let done = goal(Direction::Decrease, 21.0, 7.0, &[(2026, 7, 1, 6.0)]);
        assert_eq!(
            assess(&done, Some(START), TODAY, 45, 0.0).status,
            Status::Reached
        );
    }

    #[test]
    fn old_data_is_stale_and_no_data_is_said() {
        let g = goal(Direction::Increase, 10.0, 30.0, &[(2026, 3, 31, 15.0)]);
        assert!(assess(&g, Some(START), TODAY, 45, 0.0).stale);
        assert!(!assess(&g, Some(START), TODAY, 200, 0.0).stale);
        let none = goal(Direction::Increase, 10.0, 30.0, &[]);
        assert_eq!(
            assess(&none, Some(START), TODAY, 45, 0.0).status,
            Status::NoData
        );
    }

    #[test]
    fn charts_are_svg_with_their_parts() {
        let g = goal(
            Direction::Increase,
            10.0,
            30.0,
            &[(2026, 3, 31, 15.0), (2026, 6, 30, 21.0)],
        );
        let a = assess(&g, Some(START), TODAY, 45, 0.0);
        let b = bullet(&g, &a);
        assert!(b.starts_with("<svg") && b.ends_with("</svg>"));
        for part in [
            "bullet-band",
            "bullet-bar",
            "bullet-target",
            "bullet-baseline",
            "bullet-expected",
        ] {
            assert!(b.contains(part), "{part}: {b}");
        }
        let s = sparkline(&g, Some(START));
        assert!(s.contains("spark-line") && s.contains("spark-plan") && s.contains("spark-last"));
        assert!(!s.contains("NaN") && !b.contains("NaN"));
    }

    #[test]
    fn degenerate_goals_draw_without_nan() {
        let g = goal(Direction::Increase, 5.0, 5.0, &[(2026, 1, 1, 5.0)]);
        let a = assess(&g, None, TODAY, 45, 0.0);
        assert!(!bullet(&g, &a).contains("NaN"));
        assert!(!sparkline(&g, None).contains("NaN"));
    }
}
