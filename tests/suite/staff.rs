//! What staff expect beyond finding an expert (issue #14), in the built
//! HTML: contact actions on a profile, team pages, "recently updated" on
//! the home page, plan tolerance and sparkline axes, the Finnish UI and
//! the favicon. (Filter counts and the colour-scheme switch, which need
//! JavaScript, are in `tests/suite/browser.rs`.)

use crate::support;

use support::{Handbook, attr_values, between, broken, hrefs};

const CHAT: &str =
    "chat:\n  name: Teams\n  url: \"https://teams.microsoft.com/l/chat/0/0?users={email}\"\n";

#[test]
fn a_profile_has_e_mail_and_chat_actions() {
    let hb = Handbook::fixture("basic");
    // Without `chat:` a profile offers e-mail only.
    hb.build_ok();
    let page = hb.page("experts/aino-virtanen/index.html");
    let actions = between(
        &page,
        "<ul role=\"list\" class=\"profile-actions\"",
        "</ul>",
    );
    assert!(
        attr_values(actions, "href") == ["mailto:aino.virtanen@example.com"],
        "{actions}"
    );
    assert!(actions.contains("Send e-mail"));

    // With it, a chat link, the address percent-encoded into `{email}`: a
    // `+` in it cannot become a space in the chat's query.
    let yaml = hb.read("handbook.yaml");
    hb.write("handbook.yaml", format!("{yaml}{CHAT}"));
    hb.edit(
        "content/experts/aino-virtanen.md",
        "email: aino.virtanen@example.com",
        "email: aino+hb@example.com",
    );
    hb.build_ok();
    let page = hb.page("experts/aino-virtanen/index.html");
    let actions = between(
        &page,
        "<ul role=\"list\" class=\"profile-actions\"",
        "</ul>",
    );
    assert_eq!(
        attr_values(actions, "href"),
        [
            "mailto:aino+hb@example.com",
            "https://teams.microsoft.com/l/chat/0/0?users=aino%2Bhb%40example.com"
        ],
        "{actions}"
    );
    assert!(actions.contains("Chat on Teams"), "{actions}");
    // The screen reader hears whom: "Chat on Teams: Aino Virtanen".
    assert!(actions.contains("<span class=\"visually-hidden\">: Aino Virtanen</span>"));
}

#[test]
fn a_chat_url_that_runs_script_is_an_error_in_handbook_yaml() {
    let run = broken(|hb| {
        let yaml = hb.read("handbook.yaml");
        hb.write(
            "handbook.yaml",
            format!("{yaml}chat:\n  name: Teams\n  url: \"javascript:alert('{{email}}')\"\n"),
        );
    });
    run.assert_error(
        "handbook.yaml:7:9: `javascript:` links are not allowed here",
        Some(
            "write an `https:`, `http:`, `mailto:`, `tel:` or `webcal:` URL, or a relative link (`../page.md`, `/path/`, `#heading`)",
        ),
    );
    assert_eq!(run.error_count(), 1, "{}", run.stderr);
    crate::assert_diagnostics!(run);
}

#[test]
fn a_chat_url_that_starts_with_the_address_is_an_error() {
    let run = broken(|hb| {
        let yaml = hb.read("handbook.yaml");
        hb.write(
            "handbook.yaml",
            format!("{yaml}chat: {{name: Teams, url: '{{email}}'}}\n"),
        );
    });
    run.assert_error(
        "handbook.yaml:5:27: `url` must not start with `{email}`",
        Some(
            "start it with the chat's address, e.g. `https://teams.microsoft.com/l/chat/0/0?users={email}`",
        ),
    );
    assert_eq!(run.error_count(), 1, "{}", run.stderr);
    crate::assert_diagnostics!(run);
}

#[test]
fn a_team_has_a_page_with_its_experts_training_and_channels() {
    let hb = Handbook::fixture("basic");
    hb.build_ok();
    let page = hb.page("experts/teams/platform/index.html");
    let main = between(&page, "<main", "</main>");
    let links = hrefs(main);
    assert!(main.contains("<h1>Platform</h1>"), "{main}");
    // Its expert, the module she trains, and her channels, each a link to
    // the directory filtered to the team and the channel.
    assert!(
        links.contains(&"/handbook/experts/aino-virtanen/".to_string()),
        "{links:?}"
    );
    assert!(
        links.contains(&"/handbook/training/basics/".to_string()),
        "{links:?}"
    );
    for channel in ["github", "mastodon", "blog"] {
        let url = format!("/handbook/experts/?team=platform&amp;channel={channel}");
        assert!(links.contains(&url), "no {url} in {links:?}");
    }
    assert!(
        links.contains(&"/handbook/experts/teams/".to_string()),
        "all teams"
    );

    // The team index lists the teams of listed experts only: Data is the
    // unlisted expert's team.
    let index = hb.page("experts/teams/index.html");
    let index_links = hrefs(between(&index, "<main", "</main>"));
    assert!(index_links.contains(&"/handbook/experts/teams/platform/".to_string()));
    assert!(index_links.contains(&"/handbook/experts/teams/sales/".to_string()));
    assert!(
        !index.contains("Data"),
        "an unlisted expert's team is listed"
    );
    assert!(!hb.public().join("experts/teams/data").exists());

    // Linked from the profile and from the directory (cards, matrix, tiles).
    let profile = hb.page("experts/aino-virtanen/index.html");
    assert!(profile.contains(r#"<a href="/handbook/experts/teams/platform/">Platform</a>"#));
    let directory = hb.page("experts/index.html");
    let directory_links = hrefs(&directory);
    assert!(
        directory_links
            .iter()
            .filter(|l| *l == "/handbook/experts/teams/platform/")
            .count()
            >= 2,
        "the card and the matrix row link the team"
    );
    assert!(directory_links.contains(&"/handbook/experts/teams/".to_string()));
}

#[test]
fn a_page_on_a_team_page_url_is_an_error() {
    let run = broken(|hb| {
        hb.write(
            "content/experts/teams/sales.md",
            "---\ntitle: Our sales team\nkind: page\n---\n\nHello.\n",
        );
    });
    run.assert_error(
        "content/experts/teams/sales.md: the page is at `/handbook/experts/teams/sales/`, where esiin writes a generated page (topics, teams and expertise gaps)",
        Some("rename the file or give it another `slug`"),
    );
}

#[test]
fn the_home_page_lists_the_recently_updated_pages_newest_first() {
    let hb = Handbook::fixture("basic");
    // Dates written in front matter (the fixture is not a git repository).
    let dated = [
        ("content/guide/writing.md", "2026-05-01"),
        ("content/training/basics.md", "2026-06-01"),
        ("content/experts/aino-virtanen.md", "2026-04-01"),
        // The unlisted expert stays out of every list, however new.
        ("content/experts/tuomas-lehtinen.md", "2026-06-10"),
    ];
    for (file, date) in dated {
        let text = hb.read(file);
        let text = text.replacen("---\n", &format!("---\nupdated: {date}\n"), 1);
        hb.write(file, text);
    }
    hb.build_ok();
    let home = hb.page("index.html");
    let recent = between(
        &home,
        "<section class=\"listing home-recent\"",
        "</section>",
    );
    assert_eq!(
        hrefs(recent),
        [
            "/handbook/training/basics/",
            "/handbook/guide/writing/",
            "/handbook/experts/aino-virtanen/"
        ],
        "{recent}"
    );
    assert!(
        recent.contains(r#"<time datetime="2026-06-01">1 June 2026</time>"#),
        "{recent}"
    );
    assert!(!recent.contains("Tuomas"));
    // The home page loads the path script, for "continue where you left off".
    assert!(home.contains("path.js"));
    assert!(home.contains("data-path-continue"));
}

/// The plan page's goal `id`: its status class and its sparkline block.
fn goal_of<'a>(page: &'a str, id: &str) -> &'a str {
    between(page, &format!("id=\"goal-{id}\""), "</li>")
}

#[test]
fn a_goal_within_the_tolerance_of_the_line_is_on_track() {
    let hb = Handbook::fixture("basic");
    // From 20 to 30 over 2026: on 2 July the line is at 25.0. 24.9 is a
    // tenth behind, within 2 % of the range (0.2): on track.
    let goal = "  - id: near\n    title: Near the line\n    baseline: 20\n    target: 30\n    due: 2026-12-31\n    actuals:\n      - {date: 2026-03-01, value: 21.5}\n      - {date: 2026-07-02, value: 24.9}\n";
    hb.edit("content/plan.md", "goals:\n", &format!("goals:\n{goal}"));
    hb.build_ok();
    let page = hb.page("plan/index.html");
    assert!(
        page.contains("id=\"goal-near\""),
        "goal ids changed: {page}"
    );
    let near = goal_of(&page, "near");
    assert!(near.contains("status-on_track"), "{near}");
    // The sparkline fills its column and says what it spans: the highest
    // and lowest value, the period's first and last day.
    assert!(near.contains("preserveAspectRatio=\"none\""), "{near}");
    assert!(
        near.contains(
            r#"<p class="spark-axis" aria-hidden="true"><span>30</span><span>20</span></p>"#
        ),
        "{near}"
    );
    assert!(
        near.contains(r#"<span>1 January 2026</span><span>31 December 2026</span>"#),
        "{near}"
    );

    // With no tolerance, the same figure is behind.
    hb.edit(
        "content/plan.md",
        "goals:\n",
        "tolerance_percent: 0\ngoals:\n",
    );
    hb.build_ok();
    let page = hb.page("plan/index.html");
    assert!(goal_of(&page, "near").contains("status-behind"));
}

#[test]
fn every_page_links_the_theme_favicon() {
    let hb = Handbook::fixture("basic");
    hb.build_ok();
    let svg = hb.read("public/favicon.svg");
    assert!(svg.starts_with("<svg") && svg.contains("viewBox"), "{svg}");
    for page in [
        "index.html",
        "experts/index.html",
        "experts/teams/index.html",
        "404.html",
    ] {
        let html = hb.page(page);
        let head = between(&html, "<head>", "</head>");
        assert!(
            head.contains(r#"<link rel="icon" href="/handbook/favicon.svg" type="image/svg+xml">"#),
            "{page}: {head}"
        );
    }
}

#[test]
fn a_finnish_handbook_names_channels_and_the_time_zone_in_finnish() {
    let hb = Handbook::fixture("basic");
    hb.edit("handbook.yaml", "language: en", "language: fi");
    hb.build_ok();
    let aino = hb.page("experts/aino-virtanen/index.html");
    assert!(
        aino.contains(r#"<span class="channel-label">Blogi</span>"#),
        "the blog channel"
    );
    // Brands keep their names.
    assert!(aino.contains(r#"<span class="channel-label">GitHub</span>"#));
    let directory = hb.page("experts/index.html");
    assert!(
        directory.contains(r#"data-label="Blogi">Blogi (1)</option>"#),
        "the channel filter"
    );
    // The time zone under a session table, and a session's tooltip.
    let module = hb.page("training/basics/index.html");
    assert!(
        module.contains("Kellonajat: Suomen aika."),
        "the time zone note"
    );
    assert!(!module.contains("Europe/Helsinki"), "an untranslated zone");

    // English keeps the IANA name, which says exactly where.
    hb.edit("handbook.yaml", "language: fi", "language: en");
    hb.build_ok();
    let module = hb.page("training/basics/index.html");
    assert!(module.contains("Times are in the Europe/Helsinki time zone."));
}
