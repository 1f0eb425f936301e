//! An expert's activity (issue #16): what is checked in `activity:`, what
//! the profile, the home page and the team pages show of it, the Atom feed
//! `activity.xml`, and the share kit of `handbook.yaml`'s `share:`.

use crate::support;

use support::{Handbook, broken};

/// Aino's front matter with `activity` appended (`items` as YAML list
/// lines, indented by two).
fn with_activity(hb: &Handbook, rel: &str, items: &str) {
    hb.edit(rel, "\n---\n", &format!("\nactivity:\n{items}---\n"));
}

const AINO: &str = "content/experts/aino-virtanen.md";

#[test]
fn an_activity_url_must_be_a_full_web_address() {
    let run = broken(|hb| {
        with_activity(
            hb,
            AINO,
            "  - {date: 2026-03-01, title: Ops notes, url: /blog/ops-notes, type: post}\n",
        )
    });
    run.assert_error(
        "content/experts/aino-virtanen.md:17:47: the activity's `url` `/blog/ops-notes` is not a full web address",
        None,
    );
    assert_eq!(run.error_count(), 1, "{}", run.stderr);
    crate::assert_diagnostics!(run);
}

#[test]
fn an_empty_channel_is_an_error_and_an_unlisted_one_is_fine() {
    let run = broken(|hb| {
        with_activity(
            hb,
            AINO,
            "  - date: 2026-03-01\n    title: Ops notes\n    url: https://aino.example.com/ops\n    channel: \"\"\n  - date: 2026-04-01\n    title: A meetup talk\n    url: https://meetup.example/talk\n    channel: meetup\n",
        )
    });
    assert_eq!(run.error_count(), 1, "{}", run.stderr);
    crate::assert_diagnostics!(run);
}

#[test]
fn the_same_url_twice_on_a_profile_is_a_warning() {
    let hb = Handbook::fixture("basic");
    with_activity(
        &hb,
        AINO,
        "  - date: 2026-03-01\n    title: Ops notes\n    url: https://aino.example.com/ops\n  - date: 2026-04-01\n    title: Ops notes, again\n    url: https://aino.example.com/ops\n",
    );
    let run = hb.build_ok();
    crate::assert_diagnostics!(run);
}
