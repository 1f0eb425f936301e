//! The good path: `esiin build` on a complete handbook
//! (`tests/fixtures/basic`), asserting on the site it writes.

use crate::support;

use std::collections::BTreeSet;

use support::{Handbook, attr_values, between, hrefs, snapshot};

const BASE: &str = "/handbook/";

/// Builds the basic fixture into `ROOT/public`.
fn built() -> Handbook {
    let hb = Handbook::fixture("basic");
    hb.build_ok();
    hb
}

/// Every HTML file of the site the basic fixture builds, by where SPEC.md
/// says it goes.
const PAGES: &[&str] = &[
    "404.html",
    "index.html",
    "plan/index.html",
    "guidelines/index.html",
    "experts/index.html",
    "experts/aino-virtanen/index.html",
    "experts/mari-oksanen/index.html",
    "experts/tuomas-lehtinen/index.html",
    "training/index.html",
    "training/basics/index.html",
    "training/advanced/index.html",
    // `onboarding/` has no `_index.md`: a section page is made for it.
    "onboarding/index.html",
    "onboarding/new-hire/index.html",
    "guide/index.html",
    "guide/writing/index.html",
    "guide/channels/index.html",
    // `linkedin.md` has `slug: li`.
    "guide/channels/li/index.html",
    "guide/channels/mastodon/index.html",
    // The aliases of `mastodon.md`.
    "old/mastodon/index.html",
    "old/fediverse/index.html",
    // Generated: the topic index, a page per topic of listed experts and
    // tags (the unlisted expert's `data pipelines` has none), the gaps.
    "experts/topics/index.html",
    "experts/topics/kubernetes/index.html",
    "experts/topics/public-sector-procurement/index.html",
    "experts/topics/rust/index.html",
    "experts/topics/tendering/index.html",
    "experts/topics/writing/index.html",
    "experts/gaps/index.html",
    // The team index and a page per team of listed experts (not the
    // unlisted expert's Data).
    "experts/teams/index.html",
    "experts/teams/platform/index.html",
    "experts/teams/sales/index.html",
];

#[test]
fn every_page_is_at_its_url() {
    let hb = built();
    let files = snapshot(&hb.public());
    let html: BTreeSet<&str> = files
        .keys()
        .map(String::as_str)
        .filter(|f| f.ends_with(".html"))
        .collect();
    let want: BTreeSet<&str> = PAGES.iter().copied().collect();
    assert_eq!(html, want, "the site's HTML files");
    // A page knows its own URL, with the base path.
    for (file, url) in [
        ("plan/index.html", "/handbook/plan/"),
        (
            "guide/channels/li/index.html",
            "/handbook/guide/channels/li/",
        ),
        ("guide/channels/index.html", "/handbook/guide/channels/"),
        (
            "experts/aino-virtanen/index.html",
            "/handbook/experts/aino-virtanen/",
        ),
    ] {
        let page = hb.page(file);
        assert!(
            page.contains(&format!("<link rel=\"canonical\" href=\"{url}\">")),
            "{file} is not at {url}"
        );
    }
    let build = hb.esiin(&["build"]);
    build.assert_ok();
    assert!(build.stderr.contains("built "), "{}", build.stderr);
}

#[test]
fn a_sections_slug_moves_its_pages() {
    let hb = Handbook::fixture("basic");
    hb.edit(
        "content/guide/channels/_index.md",
        "title: Channels\n",
        "title: Channels\nslug: ch\n",
    );
    hb.build_ok();
    assert!(hb.public().join("guide/ch/index.html").is_file());
    assert!(hb.public().join("guide/ch/li/index.html").is_file());
    assert!(hb.public().join("guide/ch/mastodon/index.html").is_file());
    assert!(!hb.public().join("guide/channels").exists());
    assert!(hrefs(&hb.page("guide/index.html")).contains(&"/handbook/guide/ch/".to_string()));
}

#[test]
fn every_generated_url_has_the_base_path() {
    let hb = built();
    let mut checked = 0;
    for (file, bytes) in snapshot(&hb.public()) {
        if !file.ends_with(".html") {
            continue;
        }
        let html = String::from_utf8(bytes).expect("UTF-8 HTML");
        let mut urls = attr_values(&html, "href");
        urls.extend(attr_values(&html, "src"));
        urls.extend(
            attr_values(&html, "content")
                .into_iter()
                .filter_map(|c| c.split_once("url=").map(|(_, u)| u.to_string())),
        );
        for url in urls {
            if url.starts_with('/') && !url.starts_with("//") {
                assert!(
                    url.starts_with(BASE),
                    "{file}: `{url}` does not start with {BASE}"
                );
                checked += 1;
            }
        }
        assert!(!html.contains(".md\""), "{file} still links a `.md` file");
    }
    assert!(checked > 100, "only {checked} root-relative URLs found");
}

#[test]
fn markdown_links_become_urls() {
    let hb = built();
    let writing = hb.page("guide/writing/index.html");
    let links = hrefs(&writing);
    for want in [
        "/handbook/plan/",
        "/handbook/plan/#näkyvyys-ja-tavoitteet",
        "/handbook/training/basics/",
        "#example",
    ] {
        assert!(
            links.iter().any(|l| l == want),
            "no link to {want} in {links:#?}"
        );
    }
    assert!(attr_values(&writing, "src").contains(&"/handbook/guide/diagram.png".to_string()));
    let home = hrefs(&hb.page("index.html"));
    for want in [
        "/handbook/plan/",
        "/handbook/guidelines/",
        "/handbook/experts/",
    ] {
        assert!(
            home.iter().any(|l| l == want),
            "no link to {want} on the home page"
        );
    }
    // A material that is a page link keeps its anchor.
    let basics = hrefs(&hb.page("training/basics/index.html"));
    assert!(
        basics
            .iter()
            .any(|l| l == "/handbook/plan/#näkyvyys-ja-tavoitteet"),
        "{basics:#?}"
    );
}

#[test]
fn headings_get_github_anchors() {
    let hb = built();
    let plan = hb.page("plan/index.html");
    assert!(plan.contains("id=\"näkyvyys-ja-tavoitteet\""), "{plan}");
    assert!(plan.contains("id=\"how-we-measure\""));
    let writing = hb.page("guide/writing/index.html");
    assert!(writing.contains("id=\"example\""));
    assert!(
        writing.contains("id=\"example-1\""),
        "a repeated heading gets `-1`"
    );
    let ids: Vec<String> = attr_values(&writing, "id");
    for link in hrefs(&writing) {
        if let Some(anchor) = link.strip_prefix('#') {
            assert!(
                ids.iter().any(|i| i == anchor),
                "`#{anchor}` has no element on the page"
            );
        }
    }
}

#[test]
fn markdown_extensions_render() {
    let hb = built();
    let writing = hb.page("guide/writing/index.html");
    assert!(writing.contains("<table>"), "table");
    assert!(writing.contains("<td>Blog</td>"), "table cell");
    assert!(writing.contains("footnote"), "footnote");
    assert!(writing.contains("type=\"checkbox\""), "task list");
    assert!(writing.contains("alert-note"), "`> [!NOTE]` alert");
    assert!(writing.contains("Ask an editor to read it first."));
    assert!(!writing.contains("[!NOTE]"));
}

#[test]
fn code_is_highlighted_with_classes() {
    let hb = built();
    let writing = hb.page("guide/writing/index.html");
    assert!(
        writing.contains("class=\"hl-"),
        "no `hl-` classes in the code block"
    );
    assert!(
        !writing.contains("style=\"color"),
        "highlighting must use classes, not inline styles"
    );
    for css in ["highlight-light.css", "highlight-dark.css"] {
        let text = hb.page(css);
        assert!(text.contains(".hl-"), "{css} has no `.hl-` rules");
        assert!(
            writing.contains(&format!("href=\"/handbook/{css}\"")),
            "the page does not load {css}"
        );
    }
}

#[test]
fn drafts_are_left_out_unless_asked_for() {
    let hb = built();
    assert!(!hb.public().join("guide/podcast-ideas").exists());
    assert!(!hb.public().join("events").exists());
    for file in PAGES {
        let page = hb.page(file);
        assert!(
            !page.contains("Podcast ideas"),
            "{file} mentions the draft page"
        );
        assert!(
            !page.contains("/handbook/events/"),
            "{file} links the draft section"
        );
    }

    let run = hb.esiin(&["build", "--drafts"]);
    run.assert_ok();
    assert!(hb.public().join("guide/podcast-ideas/index.html").is_file());
    assert!(hb.public().join("events/index.html").is_file());
    assert!(
        hb.page("guide/index.html").contains("Podcast ideas"),
        "the section lists the draft"
    );
    let home = hrefs(&hb.page("index.html"));
    assert!(
        home.iter().any(|l| l == "/handbook/events/"),
        "the nav has the draft section"
    );
}

#[test]
fn aliases_redirect_to_their_page() {
    let hb = built();
    for alias in ["old/mastodon/index.html", "old/fediverse/index.html"] {
        let page = hb.page(alias);
        assert!(
            page.contains(
                "http-equiv=\"refresh\" content=\"0; url=/handbook/guide/channels/mastodon/\""
            ),
            "{alias}:\n{page}"
        );
        assert!(hrefs(&page).contains(&"/handbook/guide/channels/mastodon/".to_string()));
    }
}

#[test]
fn static_files_and_page_assets_are_copied() {
    let hb = built();
    let files = snapshot(&hb.public());
    for (src, out) in [
        ("static/downloads/checklist.txt", "downloads/checklist.txt"),
        (
            "content/experts/aino-virtanen.png",
            "experts/aino-virtanen.png",
        ),
        ("content/guide/diagram.png", "guide/diagram.png"),
    ] {
        let want = std::fs::read(hb.path(src)).unwrap();
        assert_eq!(files.get(out), Some(&want), "{out} is not a copy of {src}");
    }
    assert!(
        files.contains_key("theme.css"),
        "the theme's static files are copied"
    );
}

#[test]
fn expert_page_shows_the_profile() {
    let hb = built();
    let aino = hb.page("experts/aino-virtanen/index.html");
    for text in [
        "Aino Virtanen",
        "Lead Developer",
        "Platform",
        "rust",
        "kubernetes",
        "Running Kubernetes in production",
    ] {
        assert!(aino.contains(text), "the profile lacks {text:?}");
    }
    // The profile shows a thumbnail made from the photo beside the page.
    assert!(
        attr_values(&aino, "src").contains(&"/handbook/experts/aino-virtanen.320.jpg".to_string()),
        "{:?}",
        attr_values(&aino, "src")
    );
    assert!(
        hb.public().join("experts/aino-virtanen.png").is_file(),
        "the original is copied"
    );
    let links = hrefs(&aino);
    for url in [
        "https://github.com/aino",
        "https://example.social/@aino",
        "https://aino.example.com/",
        "mailto:aino.virtanen@example.com",
    ] {
        assert!(links.iter().any(|l| l == url), "no channel link {url}");
    }
}

#[test]
fn expert_topics_are_links() {
    let hb = built();
    let aino = hb.page("experts/aino-virtanen/index.html");
    let topic_links: Vec<String> = hrefs(&aino)
        .into_iter()
        .filter(|h| h.contains("rust"))
        .collect();
    assert!(
        !topic_links.is_empty(),
        "the topic `rust` does not link anywhere"
    );
}

#[test]
fn unlisted_experts_keep_a_profile_but_leave_the_directory() {
    let hb = built();
    let tuomas = hb.page("experts/tuomas-lehtinen/index.html");
    assert!(tuomas.contains("Tuomas Lehtinen"));
    let directory = hrefs(&hb.page("experts/index.html"));
    assert!(
        directory
            .iter()
            .any(|l| l == "/handbook/experts/aino-virtanen/")
    );
    assert!(
        !directory
            .iter()
            .any(|l| l == "/handbook/experts/tuomas-lehtinen/"),
        "the unlisted expert is in the directory"
    );
    // References to an unlisted expert still resolve.
    let advanced = hrefs(&hb.page("training/advanced/index.html"));
    assert!(
        advanced
            .iter()
            .any(|l| l == "/handbook/experts/tuomas-lehtinen/")
    );
}

#[test]
fn module_page_shows_sessions_in_the_handbook_time_zone() {
    let hb = built();
    let basics = hb.page("training/basics/index.html");
    for text in [
        "Presentation basics",
        "One story, one number",
        "Shape a talk around one story",
        "Tampere, room Näsi",
    ] {
        assert!(basics.contains(text), "the module page lacks {text:?}");
    }
    // Written as 06:00Z, shown at 09:00 in Helsinki (summer time, +03:00).
    assert!(
        basics.contains("2026-09-24T09:00:00+03:00"),
        "the session is not in Europe/Helsinki"
    );
    assert!(basics.contains("09:00") && basics.contains("12:00"));
    assert!(basics.contains("Europe/Helsinki"));
    assert!(!basics.contains("06:00"), "a session time is shown in UTC");
    // Sessions are in start order; the March one is past (today is 2026-06-15).
    let table = between(&basics, "id=\"sessions\"", "</table>");
    let march = table
        .find("2026-03-12T09:00:00+02:00")
        .expect("the March session");
    let september = table
        .find("2026-09-24T09:00:00+03:00")
        .expect("the September session");
    assert!(march < september, "sessions are not in start order");
    let past_row = between(&basics, "2026-03-12T09:00:00+02:00", "</tr>");
    assert!(
        !past_row.contains("https://forms"),
        "a past session offers sign-up"
    );
    assert!(basics.contains("is-past"), "the past session is not marked");
    let links = hrefs(&basics);
    assert!(
        links
            .iter()
            .any(|l| l == "https://forms.example.com/basics-2026-09"),
        "no sign-up link"
    );
    assert!(
        links
            .iter()
            .any(|l| l == "/handbook/experts/aino-virtanen/"),
        "no trainer link"
    );
    assert!(
        links.iter().any(|l| l == "https://example.com/slides"),
        "no material link"
    );

    let advanced = hb.page("training/advanced/index.html");
    let links = hrefs(&advanced);
    assert!(
        links.iter().any(|l| l == "/handbook/training/basics/"),
        "no prerequisite link"
    );
    assert!(
        links.iter().any(|l| l == "/handbook/experts/mari-oksanen/"),
        "no trainer link"
    );
    assert!(
        links
            .iter()
            .any(|l| l == "https://meet.example.com/advanced"),
        "no online link"
    );
    assert!(advanced.contains("2026-10-01T13:00:00+03:00"));
}

#[test]
fn plan_page_shows_goals_and_owners() {
    let hb = built();
    let plan = hb.page("plan/index.html");
    for text in [
        "Visibility plan 2026",
        "More people read our experts",
        "Unique visitors to the blog in a month",
        "Drafts do not wait in a queue",
        "1 January 2026",
        "31 December 2026",
        "Our experts should be easy to find.",
    ] {
        assert!(plan.contains(text), "the plan lacks {text:?}");
    }
    let links = hrefs(&plan);
    assert!(
        links
            .iter()
            .any(|l| l == "/handbook/experts/aino-virtanen/")
    );
    assert!(links.iter().any(|l| l == "/handbook/experts/mari-oksanen/"));
}

#[test]
fn plan_numbers_are_shown_as_written() {
    let hb = built();
    let plan = hb.page("plan/index.html");
    assert!(
        !plan.contains("1200.0"),
        "the baseline 1200 is shown as 1200.0"
    );
    assert!(plan.contains("1200") && plan.contains("3000") && plan.contains("1480"));
}

#[test]
fn review_dates_are_judged_against_source_date_epoch() {
    // Today is 2026-06-15 (support::SOURCE_DATE_EPOCH).
    let hb = Handbook::fixture("basic");
    hb.edit(
        "content/guide/writing.md",
        "tags: [writing]\n",
        "tags: [writing]\nreview_by: 2026-06-14\n",
    );
    hb.edit(
        "content/guide/channels/linkedin.md",
        "slug: li\n",
        "slug: li\nreview_by: 2026-06-15\n",
    );
    hb.build_ok();
    let stale = hb.page("guide/writing/index.html");
    let fresh = hb.page("guide/channels/li/index.html");
    assert!(
        stale.contains("notice-stale"),
        "a page past its review date is not stale"
    );
    assert!(stale.contains("14 June 2026"));
    assert!(!fresh.contains("notice-stale"), "a page due today is stale");
    assert!(fresh.contains("15 June 2026"));
}

#[test]
fn guidelines_page_has_the_rules_as_text() {
    let hb = built();
    let page = hb.page("guidelines/index.html");
    for rule in [
        "Share what you learned this week",
        "Name a customer without their permission",
        "Link to the handbook when you are asked",
        "Argue with trolls",
    ] {
        assert!(page.contains(rule), "the guidelines lack {rule:?}");
    }
}

#[test]
fn guidelines_image_is_written_beside_the_page() {
    let hb = built();
    let svg = hb.page("guidelines/guidelines.svg");
    assert!(svg.contains("<svg") && svg.contains("Argue with trolls"));
    let png = std::fs::read(hb.public().join("guidelines/guidelines.png")).expect("guidelines.png");
    assert!(png.starts_with(b"\x89PNG"));
    // Print resolution: A4 at 300 dpi.
    let (w, h) =
        image::image_dimensions(hb.public().join("guidelines/guidelines.png")).expect("a PNG");
    assert!(w >= 2480 && h >= 3508, "{w}x{h}");
    // Every rule is on the poster, as text.
    let page = hb.page("guidelines/index.html");
    for rule in between(&page, "<ul class=\"rules-list\"", "</ul>")
        .split("<p>")
        .skip(1)
    {
        let text = rule
            .split("</span>")
            .nth(1)
            .unwrap_or("")
            .split("</p>")
            .next()
            .unwrap_or("");
        let words = text.split_whitespace().next().unwrap_or("");
        assert!(svg.contains(words), "the poster lacks {text:?}");
    }
    // The page shows the poster, described, and links both files.
    let links = hrefs(&page);
    assert!(links.contains(&"/handbook/guidelines/guidelines.png".to_string()));
    assert!(links.contains(&"/handbook/guidelines/guidelines.svg".to_string()));
    let img = between(
        &page,
        "<img src=\"/handbook/guidelines/guidelines.png\"",
        ">",
    );
    assert!(img.contains("alt=\"") && img.contains("rules."), "{img}");
}

#[test]
fn a_designers_image_replaces_the_poster() {
    let hb = Handbook::fixture("basic");
    hb.write(
        "content/poster.png",
        std::fs::read(hb.root.join("content/experts/aino-virtanen.png")).expect("a PNG"),
    );
    hb.edit(
        "content/guidelines.md",
        "kind: guidelines\n",
        "kind: guidelines\nimage: poster.png\nalt: Our rules, drawn.\n",
    );
    hb.build_ok();
    assert!(!hb.public().join("guidelines/guidelines.png").exists());
    let page = hb.page("guidelines/index.html");
    assert!(page.contains("alt=\"Our rules, drawn.\""), "{page}");
}

#[test]
fn path_page_lists_its_steps_in_order() {
    let hb = built();
    let page = hb.page("onboarding/new-hire/index.html");
    let steps = [
        "/handbook/plan/",
        "/handbook/guidelines/",
        "/handbook/training/basics/",
        "/handbook/experts/aino-virtanen/",
    ];
    // After the title: the navigation above it may link the same pages.
    let body = &page[page.find("<h1").expect("a title")..];
    let mut order: Vec<String> = hrefs(body)
        .into_iter()
        .filter(|h| steps.contains(&h.as_str()))
        .collect();
    order.dedup();
    assert_eq!(order, steps, "the steps' links, in order");
    assert!(page.contains("Read why we do this."), "a step's note");
    assert!(page.contains("Visibility plan 2026") && page.contains("Presentation basics"));
}

#[test]
fn sections_list_their_pages_and_subsections() {
    let hb = built();
    let guide = hrefs(&hb.page("guide/index.html"));
    assert!(guide.iter().any(|l| l == "/handbook/guide/writing/"));
    assert!(guide.iter().any(|l| l == "/handbook/guide/channels/"));
    let channels = hrefs(&hb.page("guide/channels/index.html"));
    assert!(channels.iter().any(|l| l == "/handbook/guide/channels/li/"));
    assert!(
        channels
            .iter()
            .any(|l| l == "/handbook/guide/channels/mastodon/")
    );
    // Breadcrumbs lead from home down to the parent.
    let li = hrefs(&hb.page("guide/channels/li/index.html"));
    for crumb in [
        "/handbook/",
        "/handbook/guide/",
        "/handbook/guide/channels/",
    ] {
        assert!(li.iter().any(|l| l == crumb), "no breadcrumb {crumb}");
    }
    // Top-level sections are in the navigation of every page.
    let plan = hrefs(&hb.page("plan/index.html"));
    for nav in [
        "/handbook/experts/",
        "/handbook/training/",
        "/handbook/guide/",
        "/handbook/onboarding/",
    ] {
        assert!(plan.iter().any(|l| l == nav), "no nav link {nav}");
    }
}

#[test]
fn the_builtin_theme_builds_a_folder_with_only_content() {
    let hb = Handbook::empty("bare");
    hb.write(
        "content/_index.md",
        "---\ntitle: Bare\n---\n\nSee [a](notes/a.md).\n",
    );
    hb.write(
        "content/notes/a.md",
        "---\ntitle: A note\n---\n\n## Hello\n\nBack [home](../_index.md).\n",
    );
    hb.build_ok();
    let files = snapshot(&hb.public());
    for f in [
        "index.html",
        "notes/index.html",
        "notes/a/index.html",
        "theme.css",
        "404.html",
    ] {
        assert!(files.contains_key(f), "no {f} in {:#?}", files.keys());
    }
    let note = hb.page("notes/a/index.html");
    assert!(note.contains("A note") && note.contains("id=\"hello\""));
    assert!(hrefs(&note).contains(&"/".to_string()));
    assert!(note.contains("href=\"/theme.css\""));
    assert!(hrefs(&hb.page("index.html")).contains(&"/notes/a/".to_string()));
}

#[test]
fn a_handbook_template_overrides_the_theme() {
    let hb = Handbook::fixture("basic");
    hb.write(
        "templates/page.html",
        "{% extends \"base.html\" %}\n{% block content %}<p class=\"custom\">CUSTOM PAGE {{ page.title }}</p>{{ page.content }}{% endblock content %}\n",
    );
    hb.build_ok();
    let writing = hb.page("guide/writing/index.html");
    assert!(
        writing.contains("CUSTOM PAGE Writing your first post"),
        "{writing}"
    );
    assert!(
        writing.contains("id=\"example\""),
        "page.content is still rendered"
    );
    assert!(
        !hb.page("experts/aino-virtanen/index.html")
            .contains("CUSTOM PAGE")
    );
    assert!(!hb.page("guide/index.html").contains("CUSTOM PAGE"));
}

#[test]
fn the_template_field_picks_a_template() {
    let hb = Handbook::fixture("basic");
    hb.write(
        "templates/wide.html",
        "<!DOCTYPE html><p class=\"wide\">WIDE {{ page.title }}</p>{{ page.content }}\n",
    );
    hb.edit(
        "content/guide/channels/linkedin.md",
        "slug: li\n",
        "slug: li\ntemplate: wide.html\n",
    );
    hb.build_ok();
    let li = hb.page("guide/channels/li/index.html");
    assert!(
        li.contains("WIDE LinkedIn") && li.contains("Post once a week."),
        "{li}"
    );
}

#[test]
fn front_matter_text_is_escaped() {
    let hb = Handbook::fixture("basic");
    hb.write(
        "content/guide/xss.md",
        "---\ntitle: \"<script>alert(1)</script>\"\ndescription: \"<b>bold</b> & co\"\ntags: [\"<i>tag</i>\"]\n---\n\nBody.\n",
    );
    hb.build_ok();
    let page = hb.page("guide/xss/index.html");
    assert!(page.contains("&lt;script&gt;alert(1)"), "{page}");
    assert!(page.contains("&lt;b&gt;bold"));
    for (file, bytes) in snapshot(&hb.public()) {
        let text = String::from_utf8_lossy(&bytes);
        assert!(
            !text.contains("<script>alert(1)"),
            "{file} has the title unescaped"
        );
        assert!(
            !text.contains("<b>bold</b>"),
            "{file} has the description unescaped"
        );
        assert!(!text.contains("<i>tag</i>"), "{file} has a tag unescaped");
    }
}

#[test]
fn a_rebuild_replaces_the_output_whole() {
    let hb = built();
    hb.write("public/stray.txt", "left from an old build");
    hb.remove("content/guide/channels/mastodon.md");
    hb.build_ok();
    assert!(
        !hb.public().join("guide/channels/mastodon").exists(),
        "a removed page stays in the output"
    );
    assert!(
        !hb.public().join("old/mastodon").exists(),
        "a removed alias stays in the output"
    );
    assert!(!hb.public().join("stray.txt").exists());
    hb.assert_no_staging_left();
}

#[test]
fn build_writes_where_output_says() {
    let hb = Handbook::fixture("basic");
    let out = hb.outer().join("site");
    hb.esiin(&["build", "--output", out.to_str().unwrap()])
        .assert_ok();
    assert!(out.join("index.html").is_file());
    assert!(!hb.public().exists(), "the default output was written too");
}

#[test]
fn check_writes_nothing() {
    let hb = Handbook::fixture("basic");
    let before = snapshot(hb.outer());
    let run = hb.esiin(&["check"]);
    run.assert_ok();
    assert!(run.stderr.contains("no errors"), "{}", run.stderr);
    support::assert_same_files(&before, &snapshot(hb.outer()), "`esiin check` wrote files");
    assert!(!hb.public().exists());
}

#[test]
fn check_json_prints_an_array() {
    let hb = Handbook::fixture("basic");
    let run = hb.esiin(&["check", "--format", "json"]);
    run.assert_ok();
    let value: serde_json::Value = serde_json::from_str(run.stdout.trim()).expect("JSON on stdout");
    assert_eq!(value, serde_json::json!([]));
}

#[test]
fn builds_are_reproducible() {
    let hb = built();
    let first = snapshot(&hb.public());
    hb.build_ok();
    support::assert_same_files(
        &first,
        &snapshot(&hb.public()),
        "two builds of the same handbook differ",
    );
}

/// Highlighted code blocks are kept in `.esiin-cache/highlight/` between
/// builds: a second build gives the same site (and leaves the file as it
/// was), a damaged file is ignored (the same site again, and the file
/// written whole anew), and a block no longer used leaves the file.
#[test]
fn highlighted_blocks_are_reused_and_a_damaged_cache_is_ignored() {
    let hb = Handbook::fixture("basic");
    let code = "---\ntitle: Code\ndescription: Blocks.\nowner: mari-oksanen\n---\n\n\
        ```python\ndef twice(x):\n    return x * 2  # <doubled>\n```\n\n\
        ```json\n{\"a\": [1, 2], \"b\": \"&\"}\n```\n\n\
        ```no-such-language\n<b>&amp;</b>\n```\n";
    hb.write("content/guide/code.md", code);
    hb.build_ok();
    let first = snapshot(&hb.public());
    let page = hb.page("guide/code/index.html");
    assert!(page.contains("class=\"hl-"), "{page}");
    let cache = hb.path(".esiin-cache/highlight/blocks.bin");
    let bytes = std::fs::read(&cache).expect("the blocks were kept");

    hb.build_ok();
    let again = "a second build, with the blocks kept, differs";
    support::assert_same_files(&first, &snapshot(&hb.public()), again);
    assert_eq!(std::fs::read(&cache).ok(), Some(bytes.clone()), "rewritten");

    for damage in ["flip", "cut"] {
        let mut bad = bytes.clone();
        if damage == "flip" {
            let mid = bad.len() / 2;
            bad[mid] ^= 0x55;
        } else {
            bad.truncate(bad.len() - 5);
        }
        std::fs::write(&cache, &bad).expect("damaged");
        hb.build_ok();
        let what = format!("a build with a damaged cache ({damage}) differs");
        support::assert_same_files(&first, &snapshot(&hb.public()), &what);
        // Written whole again: the same blocks (in the order the threads
        // made them, so the same length).
        let len = std::fs::metadata(&cache).map(|m| m.len()).ok();
        assert_eq!(len, Some(bytes.len() as u64), "{damage}");
    }

    // The JSON block removed: its entry goes.
    hb.edit("content/guide/code.md", "\"a\": [1, 2]", "\"a\": 3");
    hb.build_ok();
    hb.remove("content/guide/code.md");
    hb.build_ok();
    let left = std::fs::read(&cache).expect("the fixture's own block");
    assert!(left.len() < bytes.len(), "{} ≥ {}", left.len(), bytes.len());
}
