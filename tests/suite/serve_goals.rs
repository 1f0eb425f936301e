//! `esiin serve` and goals measured from the handbook (issue #16): a saved
//! CSV row or a saved expert's activity shows on the plan page served,
//! without a restart (the watcher watches `data/`; the CSV's bytes are part
//! of what the resolved site is keyed by, see `resolve/measure.rs`).

use crate::support::Handbook;
use crate::support::serve::Serve;

#[test]
fn a_saved_csv_row_or_activity_item_shows_on_the_plan() {
    let hb = Handbook::fixture("measure");
    let serve = Serve::start(&hb.root);
    let row = |month: &str, value: &str| {
        format!(
            "<time datetime=\"{month}\">{}</time></th><td>{value}</td>",
            month_name(month)
        )
    };
    serve.wait_for_text("/plan/", &row("2026-01", "1310"));

    hb.edit("data/visitors.csv", "2026-01,1310,", "2026-01,1999,");
    serve.wait_for_text("/plan/", &row("2026-01", "1999"));

    // April had only the draft's item: an item of Frans's makes it 25 %.
    hb.write(
        "content/experts/frans-quiet.md",
        "---\ntitle: Frans Quiet\nteam: Engineering\nactivity:\n  - {date: 2026-04-30, title: A talk, url: \"https://example.com/f1\", channel: blog}\n---\n",
    );
    serve.wait_for_text("/plan/", &row("2026-04", "25"));
}

/// The month's name as the English plan page writes it.
fn month_name(month: &str) -> &'static str {
    match month {
        "2026-01" => "January 2026",
        "2026-04" => "April 2026",
        _ => unreachable!("a month this test does not use"),
    }
}

/// A body edit of the plan reuses the resolved site with the page as
/// loaded again swapped in (`Site::swap_page`): its goals keep their
/// measured figures rather than the empty `actuals` written in the file.
#[test]
fn a_body_edit_of_the_plan_keeps_its_measured_figures() {
    let hb = Handbook::fixture("measure");
    let serve = Serve::start(&hb.root);
    let may = "<time datetime=\"2026-05\">May 2026</time></th><td>25</td>";
    serve.wait_for_text("/plan/", may);
    hb.edit(
        "content/plan.md",
        "How we measure.",
        "How we measure, edited.",
    );
    serve.wait_for_text("/plan/", "How we measure, edited.");
    let (_, body) = serve.get("/plan/");
    let html = String::from_utf8_lossy(&body);
    assert!(html.contains(may), "{html}");
    assert!(html.contains("latest-value\">25</span>"), "{html}");
}
