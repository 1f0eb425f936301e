//! Session times (issue #11, "Times"): a time without an offset is local
//! time in the handbook's `timezone` (the basic fixture's is
//! `Europe/Helsinki`), daylight saving applied; wrong offsets, skipped
//! hours and sessions over a day are warnings; an end not after its start
//! and a date not in the calendar are errors that leave the output whole.

use crate::support;

use support::{Handbook, Run, assert_same_files, snapshot};

const MODULE: &str = "content/training/times.md";

/// A module whose `sessions:` block is `sessions` (lines from line 6 on).
fn module(sessions: &str) -> String {
    format!(
        "---\ntitle: Times\nsummary: When.\nformat: workshop\nsessions:\n{sessions}---\nBody.\n"
    )
}

fn with_sessions(sessions: &str) -> Handbook {
    let hb = Handbook::fixture("basic");
    hb.write(MODULE, module(sessions));
    hb
}

/// Asserts a warning whose first line is `warning: {first}`, with `hint`.
fn assert_warning(run: &Run, first: &str, hint: &str) {
    let want = format!("warning: {first}");
    assert!(
        run.stderr.lines().any(|l| l == want),
        "stderr has no line\n  {want}\n--- stderr\n{}",
        run.stderr
    );
    let help = format!("= help: {hint}");
    assert!(
        run.stderr.lines().any(|l| l.trim_start() == help),
        "stderr has no line\n  {help}\n--- stderr\n{}",
        run.stderr
    );
}

/// Builds the fixture with a good module, then writes `sessions` into it
/// and asserts that `build` and `check` fail and the output is as it was.
fn broken(sessions: &str) -> Run {
    let hb = with_sessions("  - start: 2027-06-10 09:00\n    end: 2027-06-10 12:00\n");
    hb.build_ok();
    let before = snapshot(&hb.public());
    hb.write(MODULE, module(sessions));
    let run = hb.esiin(&["build"]);
    run.assert_failed();
    assert_same_files(
        &before,
        &snapshot(&hb.public()),
        "a failed build changed the output",
    );
    hb.assert_no_staging_left();
    hb.esiin(&["check"]).assert_failed();
    run
}

const SUMMER_AND_WINTER: &str = "  - start: 2027-06-10 09:00\n    end: 2027-06-10T12:00\n  - start: 2027-01-14T09:00:00\n    end: 2027-01-14 12:00:00\n";

#[test]
fn summer_and_winter_sessions_without_offset_land_at_the_written_hour() {
    let hb = with_sessions(SUMMER_AND_WINTER);
    let run = hb.build_ok();
    assert!(!run.stderr.contains("times.md"), "{}", run.stderr);
    let page = hb.page("training/times/index.html");
    // 09:00 in Helsinki is 06:00 UTC in summer (+03:00), 07:00 in winter.
    for iso in ["2027-06-10T09:00:00+03:00", "2027-01-14T09:00:00+02:00"] {
        assert!(
            page.contains(&format!("datetime=\"{iso}\">09:00<")),
            "{iso}\n{page}"
        );
    }
    let ics = hb.page("training/times/calendar.ics");
    for start in ["20270610T090000", "20270114T090000"] {
        assert!(
            ics.contains(&format!("DTSTART;TZID=Europe/Helsinki:{start}")),
            "{ics}"
        );
    }
    // The same instants written with their offsets give the same calendar,
    // byte for byte (UIDs come from the instant).
    let explicit = with_sessions(
        "  - start: 2027-06-10T06:00:00Z\n    end: 2027-06-10T12:00:00+03:00\n  - start: 2027-01-14T07:00:00Z\n    end: 2027-01-14T12:00:00+02:00\n",
    );
    explicit.build_ok();
    assert_eq!(ics, explicit.page("training/times/calendar.ics"));
}

#[test]
fn an_offset_of_the_wrong_season_is_a_warning_naming_both() {
    let hb =
        with_sessions("  - start: 2027-06-10T09:00:00+02:00\n    end: 2027-06-10T12:00:00+03:00\n");
    let run = hb.esiin(&["check"]);
    run.assert_ok();
    assert_warning(
        &run,
        "content/training/times.md:6:12: `+02:00` is not Helsinki's offset on 10 June 2027 (`+03:00`): the session is at 10:00 local time",
        "drop the offset to mean 09:00 Helsinki time (`2027-06-10 09:00`), or write `+03:00`",
    );
    assert!(
        !run.stderr.contains(":7:"),
        "the right end is not warned about\n{}",
        run.stderr
    );
}

#[test]
fn an_end_before_its_start_is_an_error_at_the_end() {
    let run = broken(
        "  - start: 2027-06-10 09:00\n    end: 2027-06-10 12:00\n  - start: 2027-02-10 13:00\n    end: 2027-02-10 11:00\n",
    );
    run.assert_error(
        "content/training/times.md:9:10: the session ends before it starts: `end` is 11:00 on 10 February 2027, `start` 13:00 on 10 February 2027",
        Some("write an `end` later than `start`; a session that runs past midnight ends on the next day's date"),
    );
    assert_eq!(run.error_count(), 1, "{}", run.stderr);
    crate::assert_diagnostics!(run);
}

#[test]
fn thirty_february_is_said_not_to_exist() {
    let run = broken("  - start: 2027-02-30T13:00:00+02:00\n");
    run.assert_error(
        "content/training/times.md:6:12: sessions[0]: invalid date-time `2027-02-30T13:00:00+02:00`: 30 February 2027 does not exist (February 2027 has 28 days)",
        Some("write a date that is in the calendar, e.g. 2027-02-28"),
    );
    crate::assert_diagnostics!(run);
}

#[test]
fn a_session_over_a_day_and_a_skipped_hour_are_warnings() {
    let hb = with_sessions(
        "  - start: 2027-06-10 09:00\n    end: 2027-06-12 11:00\n  - start: 2027-03-28 03:30\n",
    );
    let run = hb.esiin(&["check"]);
    run.assert_ok();
    assert_warning(
        &run,
        "content/training/times.md:7:10: the session lasts 50 hours, from 09:00 on 10 June 2027 to 11:00 on 12 June 2027",
        "check the dates of `start` and `end`; a course over several days is written as one session per day",
    );
    assert_warning(
        &run,
        "content/training/times.md:8:12: 2027-03-28 03:30 does not exist in Helsinki: the clocks go forward that night (28 March 2027), so the session is at 04:30 local time",
        "write a time that exists, e.g. `2027-03-28 04:30`",
    );
}
