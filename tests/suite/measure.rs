//! Plan goals measured from the handbook (issue #16): the figures of
//! `tests/fixtures/measure/` counted by hand and compared with the built
//! plan page, month by month; the month boundary of the build day in the
//! handbook's time zone; and every error of a goal's `source` and of a
//! CSV file, located, the previous output left whole.
//!
//! The fixture, counted by hand (today 2026-06-15, Europe/Helsinki):
//!
//! | expert | team | items (date, channel) |
//! |---|---|---|
//! | anna-sales | Sales | 01-01 linkedin, 03-31 blog |
//! | bruno-hidden (unlisted) | Engineering | 01-31 linkedin, 02-01 github |
//! | carla-marketing | Marketing | 01-15 linkedin, 02-10 linkedin |
//! | dana-draft (draft) | Sales | 01-10, 02-10, 04-10: never counted |
//! | eero-sales | "  sales " | 02-28 podcast, 05-31 LinkedIn, 06-01 linkedin |
//! | frans-quiet | Engineering | none |
//!
//! Outside marketing: anna, bruno, eero, frans (4 profiles; dana is a draft).

use crate::support::{self, Handbook, Run, SOURCE_DATE_EPOCH, between, broken, esiin_on};

/// The rows of goal `id`'s table of monthly figures: (month, figure),
/// the month in progress marked `so far`.
fn months(html: &str, id: &str) -> Vec<(String, String)> {
    let goal = between(html, &format!("id=\"goal-{id}\""), "</li>");
    let table = between(goal, "<table class=\"goal-month-figures\">", "</table>");
    table
        .split("<tr")
        .filter(|row| row.contains("datetime=\""))
        .filter_map(|row| {
            let iso = row
                .split("datetime=\"")
                .nth(1)?
                .split('"')
                .next()?
                .to_string();
            let value = row.split("<td>").nth(1)?.split("</td>").next()?.to_string();
            let so_far = if row.contains("goal-month-so-far") {
                " so far"
            } else {
                ""
            };
            Some((format!("{iso}{so_far}"), value))
        })
        .collect()
}

/// `(month, figure)` pairs, for comparing with [`months`].
fn rows(pairs: &[(&str, &str)]) -> Vec<(String, String)> {
    pairs
        .iter()
        .map(|(m, v)| (m.to_string(), v.to_string()))
        .collect()
}

/// The text of goal `id`'s `Latest` figure.
fn latest(html: &str, id: &str) -> String {
    let goal = between(html, &format!("id=\"goal-{id}\""), "</li>");
    between(goal, "latest-value\">", "</span>")
        .trim_start_matches("latest-value\">")
        .trim_end_matches("</span>")
        .to_string()
}

/// `esiin build` at `epoch` (seconds) instead of the suite's day.
fn build_at(hb: &Handbook, epoch: &str, extra: &[&str]) -> Run {
    let root = hb.root.to_str().expect("a UTF-8 temp path");
    let mut args = vec!["build"];
    args.extend(extra);
    args.extend(["--root", root]);
    let run = esiin_on(&hb.root, &args, epoch);
    run.assert_ok();
    run
}

#[test]
fn monthly_figures_equal_a_hand_count() {
    let hb = Handbook::fixture("measure");
    let run = hb.build_ok();
    assert!(!run.stderr.contains("warning"), "{}", run.stderr);
    let plan = hb.page("plan/index.html");
    // 100 × (people outside marketing with an item) / 4 profiles.
    assert_eq!(
        months(&plan, "sharing"),
        rows(&[
            ("2026-01", "50"),        // anna 01-01, bruno (unlisted) 01-31
            ("2026-02", "50"),        // bruno 02-01, eero 02-28
            ("2026-03", "25"),        // anna 03-31
            ("2026-04", "0"),         // only the draft
            ("2026-05", "25"),        // eero 05-31
            ("2026-06 so far", "25"), // eero 06-01
        ])
    );
    // The month in progress is not an actual: the latest is May's.
    assert_eq!(latest(&plan, "sharing"), "25");
    assert!(
        plan.contains(
            "share of experts outside marketing with at least one shared item a month (4 profiles)"
        ),
        "{plan}"
    );
    // People with a LinkedIn item, every team (5 profiles, `LinkedIn`
    // matched as `linkedin`).
    assert_eq!(
        months(&plan, "linkedin-people"),
        rows(&[
            ("2026-01", "3"), // anna, bruno, carla
            ("2026-02", "1"), // carla
            ("2026-03", "0"),
            ("2026-04", "0"),
            ("2026-05", "1"), // eero
            ("2026-06 so far", "1"),
        ])
    );
    // Over `staff: 8`, one decimal.
    assert_eq!(
        months(&plan, "sharing-of-staff"),
        rows(&[
            ("2026-01", "25"),
            ("2026-02", "25"),
            ("2026-03", "12.5"),
            ("2026-04", "0"),
            ("2026-05", "12.5"),
            ("2026-06 so far", "12.5"),
        ])
    );
    assert!(plan.contains("(of 8 staff)"), "{plan}");
    // Items outside marketing on the channels listed.
    assert_eq!(
        months(&plan, "items"),
        rows(&[
            ("2026-01", "2"), // anna, bruno
            ("2026-02", "2"), // bruno github, eero podcast
            ("2026-03", "1"),
            ("2026-04", "0"),
            ("2026-05", "1"),
            ("2026-06 so far", "1"),
        ])
    );
    // The unlisted expert counts, but nothing of theirs is shown.
    for page in ["plan/index.html", "index.html", "experts/index.html"] {
        let html = hb.page(page);
        assert!(
            !html.contains("Unlisted secret"),
            "{page} shows an unlisted item"
        );
        assert!(!html.contains("Bruno"), "{page} names the unlisted expert");
    }
}

#[test]
fn drafts_never_count_even_when_built() {
    let hb = Handbook::fixture("measure");
    build_at(&hb, SOURCE_DATE_EPOCH, &["--drafts"]);
    let plan = hb.page("plan/index.html");
    assert_eq!(months(&plan, "sharing")[3], ("2026-04".into(), "0".into()));
    assert!(plan.contains("(4 profiles)"), "{plan}");
}

#[test]
fn the_build_day_is_taken_in_the_handbooks_time_zone() {
    // 2026-05-31 22:30 UTC is 1 June 01:30 in Helsinki: May is over.
    let epoch = "1780266600";
    let hb = Handbook::fixture("measure");
    build_at(&hb, epoch, &[]);
    let plan = hb.page("plan/index.html");
    let got = months(&plan, "sharing");
    assert_eq!(got[4], ("2026-05".into(), "25".into()));
    assert_eq!(got[5], ("2026-06 so far".into(), "25".into()));
    assert_eq!(got.len(), 6);

    // In UTC it is still 31 May: May is the month in progress.
    hb.edit("handbook.yaml", "Europe/Helsinki", "UTC");
    build_at(&hb, epoch, &[]);
    let got = months(&hb.page("plan/index.html"), "sharing");
    assert_eq!(got.len(), 5);
    assert_eq!(got[4], ("2026-05 so far".into(), "25".into()));
}

#[test]
fn csv_figures_are_read_with_commas_spaces_and_days() {
    let hb = Handbook::fixture("measure");
    hb.build_ok();
    let plan = hb.page("plan/index.html");
    assert_eq!(
        months(&plan, "visitors"),
        rows(&[
            ("2026-01", "1310"),
            ("2026-02", "1480"),
            ("2026-03", "1690.5"),
            ("2026-04-15", "1850"),
        ])
    );
    assert!(
        plan.contains("From <a href=\"https://git.example.com/kuulas/handbook/blob/main/data/visitors.csv\"><code>data/visitors.csv</code></a> (column visitors)"),
        "{plan}"
    );
}

/// The fixture's plan with its CSV goal's source (`csv: data/visitors.csv,
/// date: month, value: visitors`) replaced by `source`.
fn with_csv_source(hb: &Handbook, source: &str) {
    hb.edit(
        "content/plan.md",
        "source: {csv: data/visitors.csv, date: month, value: visitors}",
        source,
    );
}

/// Builds the measure fixture, breaks it with `breakage`, builds again:
/// the build fails and leaves the output as it was.
fn broken_measure(breakage: impl FnOnce(&Handbook)) -> Run {
    let hb = Handbook::fixture("measure");
    hb.build_ok();
    let before = support::snapshot(&hb.public());
    breakage(&hb);
    let run = hb.esiin(&["build"]);
    run.assert_failed();
    support::assert_same_files(
        &before,
        &support::snapshot(&hb.public()),
        "a failed build changed the output",
    );
    hb.assert_no_staging_left();
    run
}

#[test]
fn csv_missing_file() {
    let run = broken_measure(|hb| {
        with_csv_source(
            hb,
            "source: {csv: data/visitor.csv, date: month, value: visitors}",
        )
    });
    run.assert_error(
        "content/plan.md:45:19: `data/visitor.csv` does not exist",
        Some("write the CSV file's path from the handbook root (`data/blog-visitors.csv`), or add the file"),
    );
    crate::assert_diagnostics!(run);
}

#[test]
fn csv_path_outside_the_handbook() {
    let run = broken_measure(|hb| {
        hb.write("../outside.csv", "month,visitors\n2026-01,1\n");
        with_csv_source(
            hb,
            "source: {csv: ../outside.csv, date: month, value: visitors}",
        )
    });
    crate::assert_diagnostics!(run);
}

#[cfg(unix)]
#[test]
fn csv_symlink_outside_the_handbook() {
    let run = broken_measure(|hb| {
        hb.write("../outside.csv", "month,visitors\n2026-01,1\n");
        std::os::unix::fs::symlink(hb.outer().join("outside.csv"), hb.path("data/link.csv"))
            .expect("a symlink");
        with_csv_source(
            hb,
            "source: {csv: data/link.csv, date: month, value: visitors}",
        )
    });
    assert!(
        run.stderr.contains("symlink points outside the handbook"),
        "{}",
        run.stderr
    );
    crate::assert_diagnostics!(run);
}

#[test]
fn csv_unknown_columns_name_the_header() {
    let run = broken_measure(|hb| {
        with_csv_source(
            hb,
            "source: {csv: data/visitors.csv, date: Month, value: visitor}",
        )
    });
    run.assert_error(
        "data/visitors.csv:1:1: the header row has no column `Month` (its columns: `month`, `visitors`, `notes`)",
        Some("write `date: month` in the goal's `source`, or add a `Month` column to the header row"),
    );
    crate::assert_diagnostics!(run);
}

#[test]
fn csv_bad_cells_are_all_reported_at_their_line_and_column() {
    let run = broken_measure(|hb| {
        hb.write(
            "data/visitors.csv",
            "month,visitors,notes\n2026-01,1310,\n2026-13,1480,\n2026-03,\"1 6x0\",\n2026-01,5,\n",
        )
    });
    run.assert_error(
        "data/visitors.csv:3:1: `2026-13` in column `month` is not a month or a date",
        Some("write the month as `2026-10` (its figure is dated the 31st) or the day as `2026-10-31`"),
    );
    run.assert_error(
        "data/visitors.csv:4:10: `1 6x0` in column `visitors` is not a number",
        Some("write a number: `2790`, `1 234,5` or `1234.5` (no units)"),
    );
    run.assert_error(
        "data/visitors.csv:5:1: a second figure for `2026-01`: line 2 has one already",
        Some("keep one row for each month or day: remove or merge one of them"),
    );
    assert_eq!(run.error_count(), 3, "{}", run.stderr);
    crate::assert_diagnostics!(run);
}

#[test]
fn csv_empty_file() {
    let run = broken_measure(|hb| hb.write("data/visitors.csv", "\n"));
    run.assert_error(
        "data/visitors.csv:1:1: `data/visitors.csv` is empty",
        Some("write a header row naming the columns (`month,visitors`), then a row a month (`2026-10,2790`)"),
    );
    crate::assert_diagnostics!(run);
}

#[test]
fn source_and_actuals_together() {
    let run = broken_measure(|hb| {
        hb.edit(
            "content/plan.md",
            "    source: {activity: {measure: share_of_staff, exclude_teams: [marketing]}}\n",
            "    source: {activity: {measure: share_of_staff, exclude_teams: [marketing]}}\n    actuals:\n      - {date: 2026-01-31, value: 11.8}\n",
        )
    });
    run.assert_error(
        "content/plan.md:14:5: goal `sharing` has both `source` and `actuals`",
        Some("choose one: remove `actuals` to take the figures from `source`, or remove `source` to type them"),
    );
    crate::assert_diagnostics!(run);
}

#[test]
fn staff_must_be_above_zero() {
    let run = broken_measure(|hb| hb.edit("content/plan.md", "staff: 8", "staff: 0"));
    crate::assert_diagnostics!(run);
}

#[test]
fn staff_goes_only_with_share_of_staff() {
    let run = broken_measure(|hb| {
        hb.edit(
            "content/plan.md",
            "measure: share_of_staff, exclude_teams: [Marketing], staff: 8",
            "measure: people, exclude_teams: [Marketing], staff: 8",
        )
    });
    assert!(
        run.stderr.contains(
            "`staff` is the denominator of `share_of_staff`, and this goal counts something else"
        ),
        "{}",
        run.stderr
    );
    assert_eq!(run.error_count(), 1, "{}", run.stderr);
}

#[test]
fn an_unknown_excluded_team_is_a_warning_naming_the_nearest() {
    let hb = Handbook::fixture("measure");
    hb.edit(
        "content/plan.md",
        "exclude_teams: [marketing]",
        "exclude_teams: [Marketting]",
    );
    let run = hb.build_ok();
    assert!(
        run.stderr
            .contains("warning: content/plan.md:14:66: no expert is in the team `Marketting`"),
        "{}",
        run.stderr
    );
    assert!(
        run.stderr.contains("did you mean `Marketing`?"),
        "{}",
        run.stderr
    );
}

/// `broken` builds the basic fixture first: a CSV goal added to its plan
/// fails the same way, the basic output left whole.
#[test]
fn a_csv_error_leaves_the_basic_output_whole() {
    let run = broken(|hb| {
        hb.write("data/v.csv", "month,value\n2026-01,x\n");
        hb.edit(
            "content/plan.md",
            "    actuals:\n      - {date: 2026-01-31, value: 1310}\n      - {date: 2026-02-28, value: 1480}\n",
            "    source: {csv: data/v.csv, date: month}\n",
        )
    });
    run.assert_error(
        "data/v.csv:2:9: `x` in column `value` is not a number",
        Some("write a number: `2790`, `1 234,5` or `1234.5` (no units)"),
    );
}

/// A CSV goal whose last row is old has stale data, in the page and in
/// `check --stale`'s report, as a typed one does.
#[test]
fn an_old_csv_figure_is_stale_data() {
    let hb = Handbook::fixture("measure");
    hb.write(
        "data/visitors.csv",
        "month,visitors\n2026-01,1310\n2026-02,1480\n",
    );
    let run = hb.esiin(&["check", "--stale"]);
    run.assert_ok();
    assert!(
        run.stdout.contains(
            "goal `visitors` (\"Blog visitors\") has stale data: its latest figure is from 2026-02-28, 107 days ago"
        ),
        "{}",
        run.stdout
    );
    // An activity goal's latest figure is last month's: never stale.
    assert!(!run.stdout.contains("goal `sharing`"), "{}", run.stdout);
    hb.build_ok();
    let plan = hb.page("plan/index.html");
    let goal = between(&plan, "id=\"goal-visitors\"", "</li>");
    assert!(goal.contains("goal-stale"), "{goal}");
}
