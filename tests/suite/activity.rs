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
    // Not even on the unlisted expert's own profile.
    let tuomas = hb.page("experts/tuomas-lehtinen/index.html");
    assert!(!tuomas.contains("Hidden pipelines"), "{tuomas}");
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

const ATOM: &str = "http://www.w3.org/2005/Atom";

/// The text of `node`'s child `name` in the Atom namespace.
fn child<'a>(node: roxmltree::Node<'a, 'a>, name: &str) -> roxmltree::Node<'a, 'a> {
    node.children()
        .find(|c| c.has_tag_name((ATOM, name)))
        .unwrap_or_else(|| panic!("no <{name}> in <{}>", node.tag_name().name()))
}

fn text<'a>(node: roxmltree::Node<'a, 'a>, name: &str) -> &'a str {
    child(node, name).text().unwrap_or("")
}

#[test]
fn the_activity_feed_is_valid_atom_with_absolute_urls() {
    let hb = shared_handbook();
    hb.build_ok();
    let xml = hb.read("public/activity.xml");
    let doc = roxmltree::Document::parse(&xml).unwrap_or_else(|e| panic!("{e}\n{xml}"));
    let feed = doc.root_element();
    assert!(feed.has_tag_name((ATOM, "feed")), "{xml}");
    assert!(text(feed, "id").starts_with("urn:uuid:"), "{xml}");
    assert_eq!(text(feed, "title"), "Test Handbook: recently shared");
    // The newest entry's day.
    assert_eq!(text(feed, "updated"), "2026-05-20T00:00:00+03:00");
    let links: Vec<(&str, &str)> = feed
        .children()
        .filter(|c| c.has_tag_name((ATOM, "link")))
        .map(|l| {
            (
                l.attribute("rel").unwrap_or(""),
                l.attribute("href").unwrap_or(""),
            )
        })
        .collect();
    assert_eq!(
        links,
        [
            ("self", "https://intra.example.com/handbook/activity.xml"),
            ("alternate", "https://intra.example.com/handbook/")
        ]
    );
    let entries: Vec<_> = feed
        .children()
        .filter(|c| c.has_tag_name((ATOM, "entry")))
        .collect();
    // Newest first; not the upcoming talk, the unlisted expert's or the draft's.
    let titles: Vec<&str> = entries.iter().map(|e| text(*e, "title")).collect();
    assert_eq!(
        titles,
        ["Queues & <locks>", "Winning tenders", "Ops notes"],
        "{xml}"
    );
    assert!(
        xml.contains("<title>Queues &amp; &lt;locks&gt;</title>"),
        "{xml}"
    );
    let first = entries[0];
    assert_eq!(
        child(first, "link").attribute("href"),
        Some("https://aino.example.com/queues?a=1&b=2")
    );
    assert_eq!(text(first, "updated"), "2026-05-20T00:00:00+03:00");
    let author = child(first, "author");
    assert_eq!(text(author, "name"), "Aino Virtanen");
    assert_eq!(
        text(author, "uri"),
        "https://intra.example.com/handbook/experts/aino-virtanen/"
    );
    assert_eq!(child(first, "category").attribute("term"), Some("article"));
    // Every id is an absolute IRI, each its own, and the same next build.
    let ids: Vec<&str> = entries.iter().map(|e| text(*e, "id")).collect();
    assert!(ids.iter().all(|i| i.starts_with("urn:uuid:")), "{ids:?}");
    let mut unique = ids.clone();
    unique.sort();
    unique.dedup();
    assert_eq!(unique.len(), ids.len());
    hb.build_ok();
    assert_eq!(hb.read("public/activity.xml"), xml);
    for hidden in [
        "Hidden pipelines",
        "Tuomas",
        "Draft work",
        "Dora",
        "Rust in production",
    ] {
        assert!(!xml.contains(hidden), "{hidden} in the feed");
    }
}

#[test]
fn without_an_origin_the_feed_links_the_site_from_its_root() {
    let hb = shared_handbook();
    hb.edit(
        "handbook.yaml",
        "base_url: https://intra.example.com/handbook/",
        "base_url: /handbook/",
    );
    let run = hb.build_ok();
    assert!(!run.stderr.contains("warning"), "{}", run.stderr);
    let xml = hb.read("public/activity.xml");
    let doc = roxmltree::Document::parse(&xml).unwrap_or_else(|e| panic!("{e}\n{xml}"));
    let feed = doc.root_element();
    assert!(text(feed, "id").starts_with("urn:uuid:"), "{xml}");
    assert!(
        xml.contains(
            "<link rel=\"self\" type=\"application/atom+xml\" href=\"/handbook/activity.xml\"/>"
        ),
        "{xml}"
    );
    assert!(
        xml.contains("<uri>/handbook/experts/aino-virtanen/</uri>"),
        "{xml}"
    );
    // The entries' links are the items' own, absolute.
    assert!(xml.contains("<link rel=\"alternate\" href=\"https://aino.example.com/ops\"/>"));
}

#[test]
fn a_page_at_the_feed_url_is_an_error() {
    let run = broken(|hb| {
        hb.write(
            "content/activity.xml.md",
            "---\ntitle: Feed\nslug: activity.xml\n---\n",
        )
    });
    crate::assert_diagnostics!(run);
}

#[test]
fn serve_writes_the_feed_again_after_an_activity_edit() {
    let hb = shared_handbook();
    let serve = support::serve::Serve::start(&hb.root);
    // `serve` puts the site at its root, without an origin: the profile
    // links are from the root, as in a build without one.
    let xml = serve.wait_for_text("/activity.xml", "<title>Ops notes</title>");
    assert!(xml.contains("<uri>/experts/aino-virtanen/</uri>"), "{xml}");
    hb.edit(AINO, "title: Ops notes,", "title: Ops notes revised,");
    serve.wait_for_text("/activity.xml", "<title>Ops notes revised</title>");
    serve.wait_for_text("/", "Ops notes revised");
    serve.wait_for_text("/experts/teams/platform/", "Ops notes revised");
}

const SHARE: &str = "share:\n  domains: [example.com]\n  campaign: expert-visibility\n";

#[test]
fn the_share_kit_is_on_the_profile_for_company_domains_only() {
    let hb = shared_handbook();
    let yaml = hb.read("handbook.yaml");
    hb.write("handbook.yaml", format!("{yaml}{SHARE}"));
    hb.build_ok();
    let page = hb.page("experts/aino-virtanen/index.html");
    let section = support::between(
        &page,
        "<section class=\"profile-section profile-wide profile-activity\"",
        "</section>",
    );
    // `aino.example.com` is a subdomain of `example.com`; the conference's
    // site is not the company's.
    let item = |title: &str| {
        section
            .split("<li class=\"activity-item")
            .find(|li| li.contains(title))
            .unwrap_or_else(|| panic!("{title}: {section}"))
            .to_string()
    };
    assert!(!item("Rust in production").contains("activity-share"));
    let queues = item("Queues &amp;");
    let hrefs: Vec<String> = support::attr_values(
        support::between(&queues, "<ul role=\"list\" class=\"share-links\">", "</ul>"),
        "href",
    )
    .iter()
    .map(|h| h.replace("&amp;", "&"))
    .collect();
    // The item's own query kept; Aino lists Mastodon (on her instance),
    // not LinkedIn, X or Bluesky; e-mail always.
    let tagged = |s: &str| {
        format!(
            "https%3A%2F%2Faino.example.com%2Fqueues%3Fa%3D1%26b%3D2%26utm_source%3D{s}%26utm_medium%3Dsocial%26utm_campaign%3Dexpert-visibility%26utm_content%3Daino-virtanen"
        )
    };
    let title = "Queues%20%26%20%3Clocks%3E";
    assert_eq!(
        hrefs,
        [
            format!(
                "https://example.social/share?text={title}%20{}",
                tagged("mastodon")
            ),
            format!("mailto:?subject={title}&body={}", tagged("email")),
        ],
        "{queues}"
    );
    assert!(queues.contains("target=\"_blank\" rel=\"noopener\""));
    assert!(queues.contains("Share on Mastodon"), "{queues}");
    assert!(section.contains("class=\"share-note"));
    // Nowhere else: not in "Recently shared", not on another profile.
    assert!(!hb.page("index.html").contains("share-links"));
    assert!(
        !hb.page("experts/teams/platform/index.html")
            .contains("share-links")
    );
    assert!(
        !hb.page("experts/mari-oksanen/index.html")
            .contains("share-links")
    );
}

#[test]
fn a_share_domain_must_be_a_domain_name() {
    let run = broken(|hb| {
        let yaml = hb.read("handbook.yaml");
        hb.write(
            "handbook.yaml",
            format!("{yaml}share:\n  domains: [\"https://kuulas.example/\"]\n  campaign: \"\"\n"),
        );
    });
    assert_eq!(run.error_count(), 2, "{}", run.stderr);
    crate::assert_diagnostics!(run);
}

#[test]
fn the_starter_handbooks_show_activity_and_a_commented_share_kit() {
    for (lang, profile, heading) in [
        ("en", "experts/alex-morgan/index.html", "Recently shared"),
        (
            "fi",
            "asiantuntijat/aino-virtanen/index.html",
            "Viimeksi jaettua",
        ),
    ] {
        let tmp = support::files::TempDir::new("init-activity");
        support::handbook::esiin_in(tmp.path(), &["init", "hb", "--language", lang]).assert_ok();
        let root = tmp.path().join("hb");
        let root_arg = root.to_str().expect("a UTF-8 temp path");
        let run = support::handbook::esiin_in(&root, &["build", "--root", root_arg]);
        run.assert_ok();
        assert!(!run.stderr.contains("warning:"), "{}", run.stderr);
        let read = |rel: &str| std::fs::read_to_string(root.join(rel)).unwrap_or_default();
        assert!(read("handbook.yaml").contains("\n# share:\n#   domains: [example.com]\n"));
        let home = read("public/index.html");
        assert!(home.contains(heading), "{lang}: {home}");
        assert_eq!(
            home.matches("<li class=\"activity-item\">").count(),
            2,
            "{lang}"
        );
        assert_eq!(
            read(&format!("public/{profile}"))
                .matches("<li class=\"activity-item\">")
                .count(),
            2
        );
        assert_eq!(read("public/activity.xml").matches("<entry>").count(), 2);
    }
}
