//! Finding the expert and joining the training, in the built HTML: the
//! directory, topic pages, expertise gaps, back-references on profiles, the
//! catalogue and the module pages. (The filters' behaviour in a browser is
//! in `tests/suite/browser.rs`.)

use crate::support;

use support::{Handbook, attr_values, between, hrefs};

fn built() -> Handbook {
    let hb = Handbook::fixture("basic");
    hb.build_ok();
    hb
}

/// The `<main>` of a page, where its own content is.
fn main_of(html: &str) -> &str {
    between(html, "<main", "</main>")
}

#[test]
fn the_directory_has_a_card_per_listed_expert_with_filter_data() {
    let hb = Handbook::fixture("basic");
    hb.edit(
        "content/experts/aino-virtanen.md",
        "topics:",
        "languages: [Finnish, English]\ntopics:",
    );
    hb.build_ok();
    let page = hb.page("experts/index.html");
    let main = main_of(&page);
    assert!(main.contains("Aino Virtanen") && main.contains("Mari Oksanen"));
    // The unlisted expert is nowhere on it, nor in the filters' options.
    assert!(!page.contains("Tuomas"), "the unlisted expert is listed");
    assert!(!page.contains("data-pipelines") && !page.contains("data pipelines"));
    // Cards carry what the filters match, as slugs.
    assert!(main.contains(r#"data-topic="kubernetes rust""#), "{main}");
    assert!(main.contains(r#"data-topic="public-sector-procurement tendering writing""#));
    assert!(main.contains(r#"data-team="platform""#));
    assert!(main.contains(r#"data-available="talks mentoring""#));
    // The filters: a GET form with one select per filter.
    for name in ["topic", "team", "channel", "available", "language"] {
        assert!(
            main.contains(&format!(r#"name="{name}""#)),
            "no {name} filter"
        );
    }
    assert!(main.contains(r#"<option value="rust" data-label="rust">rust (1)</option>"#));
    assert!(main.contains(r#"data-language="finnish english""#));
    // Without JavaScript every card shows: none is hidden in the HTML.
    let cards: Vec<&str> = main
        .split('<')
        .filter(|tag| tag.contains("data-topic="))
        .map(|tag| tag.split('>').next().unwrap_or(tag))
        .collect();
    assert_eq!(cards.len(), 2, "{cards:?}");
    assert!(
        cards
            .iter()
            .all(|t| !t.contains(" hidden") && !t.contains("display:none")),
        "{cards:?}"
    );
    assert!(page.contains("directory.js"));
}

#[test]
fn the_directory_counts_where_experts_live() {
    let hb = built();
    let page = hb.page("experts/index.html");
    // Team × channel: Aino (Platform) has GitHub, Mastodon and a blog; Mari
    // (Sales) has LinkedIn.
    let table = between(&page, "<table", "</table>");
    for text in ["Platform", "Sales", "GitHub", "LinkedIn", "Mastodon"] {
        assert!(table.contains(text), "the matrix lacks {text}");
    }
}

#[test]
fn photos_become_thumbnails_with_a_size_and_others_get_initials() {
    let hb = built();
    let page = hb.page("experts/index.html");
    let main = main_of(&page);
    assert!(
        main.contains("/handbook/experts/aino-virtanen.160.jpg"),
        "{main}"
    );
    let img = between(main, "aino-virtanen.160.jpg", ">");
    assert!(img.contains("width=") && img.contains("height="), "{img}");
    assert!(hb.public().join("experts/aino-virtanen.160.jpg").is_file());
    assert!(hb.public().join("experts/aino-virtanen.320.jpg").is_file());
    // Mari has no photo: her initials, not a broken image.
    assert!(main.contains(">MO<"), "no initials avatar for Mari");
}

#[test]
fn topics_are_matched_case_insensitively_and_have_a_page_each() {
    let hb = Handbook::fixture("basic");
    // `Rust` and ` rust ` are the topic `rust`.
    hb.edit(
        "content/experts/mari-oksanen.md",
        "tendering, Writing]",
        "tendering, Writing, Rust ]",
    );
    hb.build_ok();
    let rust = hb.page("experts/topics/rust/index.html");
    let main = main_of(&rust);
    assert!(
        main.contains("Aino Virtanen") && main.contains("Mari Oksanen"),
        "{main}"
    );
    assert!(!hb.public().join("experts/topics/Rust").exists());
    let index = hb.page("experts/topics/index.html");
    assert_eq!(
        index.matches("/handbook/experts/topics/rust/").count(),
        1,
        "one topic"
    );
    // Profiles link their topics.
    let aino = hb.page("experts/aino-virtanen/index.html");
    assert!(hrefs(&aino).contains(&"/handbook/experts/topics/rust/".to_string()));
}

#[test]
fn a_topic_page_lists_experts_modules_and_pages_tagged_with_it() {
    let hb = Handbook::fixture("basic");
    hb.edit(
        "content/training/basics.md",
        "level: Beginner\n",
        "level: Beginner\ntags: [Kubernetes]\n",
    );
    hb.edit(
        "content/guide/writing.md",
        "tags: [writing]",
        "tags: [writing, kubernetes]",
    );
    hb.build_ok();
    let page = hb.page("experts/topics/kubernetes/index.html");
    let links = hrefs(main_of(&page));
    for url in [
        "/handbook/experts/aino-virtanen/",
        "/handbook/training/basics/",
        "/handbook/guide/writing/",
    ] {
        assert!(
            links.contains(&url.to_string()),
            "no link to {url}: {links:?}"
        );
    }
    assert!(!page.contains("Tuomas"));
}

#[test]
fn expertise_gaps_have_a_page_and_a_warning() {
    let hb = Handbook::fixture("basic");
    hb.edit(
        "content/training/basics.md",
        "level: Beginner\n",
        "level: Beginner\ntags: [video editing]\n",
    );
    let run = hb.build_ok();
    assert!(
        run.stderr.contains(
            "warning: content/training/basics.md:8:8: expertise gap: no listed expert covers `video editing` (1 page names it)"
        ),
        "{}",
        run.stderr
    );
    assert!(
        run.stderr
            .contains("help: add `video editing` to the `topics` of an expert who knows it")
    );
    let gaps = hb.page("experts/gaps/index.html");
    let main = main_of(&gaps);
    assert!(main.contains("video editing"), "{main}");
    assert!(hrefs(main).contains(&"/handbook/training/basics/".to_string()));
    // The unlisted expert's topic does not close a gap: they are not listed.
    hb.edit(
        "content/training/basics.md",
        "tags: [video editing]",
        "tags: [data pipelines]",
    );
    let run = hb.build_ok();
    assert!(
        run.stderr
            .contains("no listed expert covers `data pipelines`"),
        "{}",
        run.stderr
    );
}

#[test]
fn a_profile_shows_what_the_expert_trains_owns_and_appears_in() {
    let hb = built();
    let aino = hb.page("experts/aino-virtanen/index.html");
    let main = main_of(&aino);
    let links = hrefs(main);
    // Trains `basics` (with its next session, 24 Sep 2026, after "today"
    // 15 Jun 2026), owns the plan, appears in the new-hire path.
    assert!(
        links.contains(&"/handbook/training/basics/".to_string()),
        "{links:?}"
    );
    assert!(main.contains("24 September 2026"), "no next session");
    assert!(
        !main.contains("12 March 2026"),
        "a past session is listed as upcoming"
    );
    assert!(links.contains(&"/handbook/plan/".to_string()), "owned page");
    assert!(
        links.contains(&"/handbook/onboarding/new-hire/".to_string()),
        "path"
    );
}

#[test]
fn the_catalogue_groups_modules_and_lists_sessions_by_date() {
    let hb = built();
    let page = hb.page("training/index.html");
    let main = main_of(&page);
    // Grouped by format: the workshop before the clinic.
    let workshop = main.find("Presentation basics").expect("the workshop");
    let clinic = main.find("Advanced presenting").expect("the clinic");
    assert!(workshop < clinic);
    // Upcoming sessions in date order, then the past one in the archive.
    let upcoming = between(main, "Upcoming", "<details");
    let sep = upcoming
        .find("24 September 2026")
        .expect("basics' next session");
    let oct = upcoming.find("1 October 2026").expect("advanced's session");
    assert!(sep < oct, "upcoming sessions in date order");
    assert!(!upcoming.contains("12 March 2026"));
    let archive = between(main, "<details", "</details>");
    assert!(archive.contains("12 March 2026"));
    // Add to calendar.
    assert!(hrefs(main).contains(&"/handbook/training/calendar.ics".to_string()));
}

#[test]
fn a_module_shows_what_to_take_first_and_what_builds_on_it() {
    let hb = built();
    let advanced = hb.page("training/advanced/index.html");
    let main = main_of(&advanced);
    assert!(hrefs(main).contains(&"/handbook/training/basics/".to_string()));
    assert!(hrefs(main).contains(&"/handbook/training/advanced/calendar.ics".to_string()));
    let basics = hb.page("training/basics/index.html");
    assert!(
        hrefs(main_of(&basics)).contains(&"/handbook/training/advanced/".to_string()),
        "builds on this"
    );
}

#[test]
fn the_path_before_a_module_is_in_an_order_it_can_be_taken() {
    let hb = Handbook::fixture("basic");
    // expert-track needs advanced, which needs basics: basics comes first.
    hb.write(
        "content/training/expert-track.md",
        "---\ntitle: Expert track\nprerequisites: [advanced]\n---\nLast.\n",
    );
    hb.build_ok();
    let page = hb.page("training/expert-track/index.html");
    let main = main_of(&page);
    let basics = main
        .find("/handbook/training/basics/")
        .expect("basics in the path");
    let advanced = main
        .find("/handbook/training/advanced/")
        .expect("advanced in the path");
    assert!(basics < advanced, "basics before advanced");
}

#[test]
fn channels_are_links_with_labels_and_icons() {
    let hb = built();
    let aino = hb.page("experts/aino-virtanen/index.html");
    for url in ["https://github.com/aino", "https://example.social/@aino"] {
        assert!(hrefs(&aino).contains(&url.to_string()), "{url}");
    }
    assert!(main_of(&aino).contains("<svg"), "channel icons");
    // No icon or font is fetched from another host.
    for src in attr_values(&aino, "src") {
        assert!(src.starts_with("/handbook/"), "{src}");
    }
}
