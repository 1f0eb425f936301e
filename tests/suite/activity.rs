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

/// The basic fixture with activity on three experts: Aino (listed,
/// Platform; one item after the build day, 2026-06-15), Mari (listed,
/// Sales), Tuomas (unlisted) and a draft expert, Dora.
fn shared_handbook() -> Handbook {
    let hb = Handbook::fixture("basic");
    with_activity(
        &hb,
        AINO,
        "  - {date: 2026-03-02, title: Ops notes, url: \"https://aino.example.com/ops\", channel: blog, type: post}\n  \
         - {date: 2026-09-01, title: Rust in production, url: \"https://conf.example/rust\", type: talk}\n  \
         - {date: 2026-05-20, title: \"Queues & <locks>\", url: \"https://aino.example.com/queues?a=1&b=2\", channel: mastodon, type: article}\n",
    );
    with_activity(
        &hb,
        "content/experts/mari-oksanen.md",
        "  - {date: 2026-04-10, title: Winning tenders, url: \"https://www.linkedin.com/posts/mari-1\", channel: linkedin, type: post}\n",
    );
    with_activity(
        &hb,
        "content/experts/tuomas-lehtinen.md",
        "  - {date: 2026-06-01, title: Hidden pipelines, url: \"https://tuomas.example/p\", type: post}\n",
    );
    hb.write(
        "content/experts/dora-draft.md",
        "---\ntitle: Dora Draft\nteam: Platform\ndraft: true\nactivity:\n  - {date: 2026-06-10, title: Draft work, url: \"https://dora.example/d\", type: post}\n---\n",
    );
    hb
}

/// The titles of the activity items of `html`, in order.
fn titles(html: &str) -> Vec<String> {
    html.split("<p class=\"activity-title\"><a href=\"")
        .skip(1)
        .filter_map(|s| s.split_once('>').and_then(|(_, r)| r.split_once("</a>")))
        .map(|(t, _)| t.to_string())
        .collect()
}

#[test]
fn a_profile_shows_its_recent_work_newest_first_upcoming_marked() {
    let hb = shared_handbook();
    hb.build_ok();
    let page = hb.page("experts/aino-virtanen/index.html");
    let section = support::between(
        &page,
        "<section class=\"profile-section profile-wide profile-activity\"",
        "</section>",
    );
    assert_eq!(
        titles(section),
        [
            "Rust in production",
            "Queues &amp; &lt;locks&gt;",
            "Ops notes"
        ],
        "{section}"
    );
    assert!(
        section.contains("<h2 id=\"activity-title\">Recent work</h2>"),
        "{section}"
    );
    // The upcoming talk is marked; the date as the site writes dates.
    let first = support::between(section, "<li class=\"activity-item is-upcoming\">", "</li>");
    assert!(first.contains("Upcoming"), "{first}");
    assert!(first.contains("<time datetime=\"2026-09-01\">"), "{first}");
    assert!(section.contains("<span class=\"badge badge-activity badge-article\">Article</span>"));
    assert!(
        section.contains("<span class=\"activity-channel\">Mastodon</span>"),
        "{section}"
    );
    // A profile without activity has no such section.
    let plain = Handbook::fixture("basic");
    plain.build_ok();
    let page = plain.page("experts/aino-virtanen/index.html");
    assert!(!page.contains("profile-activity"), "{page}");
    assert!(!page.contains("Recent work"));
}

#[test]
fn recently_shared_shows_listed_experts_only_newest_first() {
    let hb = shared_handbook();
    hb.build_ok();
    let home = hb.page("index.html");
    let shared = support::between(
        &home,
        "<section class=\"listing home-shared\"",
        "</section>",
    );
    // Not the upcoming talk, not the unlisted expert's, not the draft's.
    assert_eq!(
        titles(shared),
        ["Queues &amp; &lt;locks&gt;", "Winning tenders", "Ops notes"],
        "{shared}"
    );
    assert!(
        shared.contains("<a href=\"/handbook/experts/aino-virtanen/\">Aino Virtanen</a>"),
        "{shared}"
    );
    for hidden in [
        "Hidden pipelines",
        "Tuomas",
        "Draft work",
        "Rust in production",
    ] {
        assert!(!home.contains(hidden), "{hidden} on the home page");
    }
    // A team page: that team's items only.
    let team = hb.page("experts/teams/platform/index.html");
    let shared = support::between(&team, "team-shared", "</section>");
    assert_eq!(
        titles(shared),
        ["Queues &amp; &lt;locks&gt;", "Ops notes"],
        "{shared}"
    );
    let sales = hb.page("experts/teams/sales/index.html");
    assert_eq!(
        titles(support::between(&sales, "team-shared", "</section>")),
        ["Winning tenders"]
    );
    // The page head links the feed.
    assert!(
        home.contains(
            "<link rel=\"alternate\" type=\"application/atom+xml\" href=\"/handbook/activity.xml\""
        ),
        "{home}"
    );
}
