//! End-to-end tests in headless Chromium: the example handbook, built under
//! a `base_url` with a path, served by a plain static server, used as a
//! person would.

use crate::support;

use std::path::Path;

use support::browser::{Browser, ElementExt, eventually, example_site};

#[tokio::test(flavor = "multi_thread")]
async fn navigation_breadcrumbs_and_toc_work_under_a_base_path() {
    let Some(browser) = Browser::start().await else {
        return;
    };
    let (_tmp, server) = example_site();
    let b = &browser;

    b.open(&server.base).await;
    // Top navigation leads to a section, which lists its pages.
    b.click_link("Experts").await;
    assert_eq!(b.path().await, "/handbook/experts/");
    assert_eq!(b.text("h1").await, "Experts");

    // A card leads to a profile; its photo loads.
    b.click_link("Aino Virtanen").await;
    assert_eq!(b.path().await, "/handbook/experts/aino-virtanen/");
    let loaded = b
        .run("const i = document.querySelector('img'); return !!i && i.complete && i.naturalWidth > 0;", vec![])
        .await;
    assert_eq!(loaded, serde_json::Value::Bool(true), "the photo loads");

    // Breadcrumbs go back up.
    b.click("nav.breadcrumbs a[href='/handbook/experts/']")
        .await;
    assert_eq!(b.path().await, "/handbook/experts/");

    // The table of contents jumps to a heading with a Finnish anchor.
    b.open(&format!("{}plan/", server.base)).await;
    b.click("aside.toc a[href='#näkyvyys-ja-tavoitteet']").await;
    let hash = b
        .run("return decodeURIComponent(location.hash)", vec![])
        .await;
    assert_eq!(hash, serde_json::json!("#näkyvyys-ja-tavoitteet"));
    browser.close().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn every_link_and_asset_of_every_page_resolves() {
    let Some(browser) = Browser::start().await else {
        return;
    };
    let (_tmp, server) = example_site();
    let b = &browser;
    b.open(&server.base).await;
    // Crawl the site from the browser: every same-origin link, stylesheet
    // and image must answer 200, and every stylesheet must parse.
    let script = r#"
        const done = arguments[arguments.length - 1];
        (async () => {
          const seen = new Set(), queue = [location.href], broken = [];
          while (queue.length) {
            const url = queue.shift();
            if (seen.has(url)) continue;
            seen.add(url);
            const res = await fetch(url);
            if (!res.ok) { broken.push(url); continue; }
            if (!(res.headers.get('content-type') || '').startsWith('text/html')) continue;
            const doc = new DOMParser().parseFromString(await res.text(), 'text/html');
            const refs = [...doc.querySelectorAll('a[href], link[href], img[src]')]
              .map(e => new URL(e.getAttribute('href') || e.getAttribute('src'), url));
            for (const r of refs) {
              if (r.origin !== location.origin) continue;
              if (!r.pathname.startsWith('/handbook/')) { broken.push(r.href + ' (outside base path, from ' + url + ')'); continue; }
              r.hash = '';
              queue.push(r.href);
            }
          }
          done({pages: seen.size, broken});
        })();
    "#;
    let result = b.run_async(script, vec![]).await;
    let broken = result["broken"].as_array().expect("list");
    assert!(broken.is_empty(), "broken links: {broken:?}");
    assert!(
        result["pages"].as_u64().unwrap_or(0) > 30,
        "crawled {result}"
    );
    browser.close().await;
}

// ---------------------------------------------------------------------------
// The expert directory: filters, the URL, no JavaScript, the keyboard, and
// the unlisted expert.

/// An expert of the example handbook as its front matter says.
#[derive(serde::Deserialize)]
struct Expert {
    title: String,
    #[serde(default)]
    team: Option<String>,
    #[serde(default)]
    topics: Vec<String>,
    #[serde(default)]
    available_for: Vec<String>,
    #[serde(default)]
    visibility: Option<String>,
    #[serde(default)]
    draft: bool,
}

impl Expert {
    fn listed(&self) -> bool {
        !self.draft && self.visibility.as_deref() != Some("unlisted")
    }

    fn has_topic(&self, slug: &str) -> bool {
        self.topics.iter().any(|t| topic_slug(t) == slug)
    }
}

/// A topic as the directory's `?topic=` value names it (`public speaking`
/// → `public-speaking`), for the topics of the example handbook.
fn topic_slug(topic: &str) -> String {
    topic
        .to_lowercase()
        .split_whitespace()
        .collect::<Vec<_>>()
        .join("-")
}

/// Every expert of the example handbook (`content/experts/*.md`).
fn example_experts() -> Vec<Expert> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("content/experts");
    let mut experts = Vec::new();
    for entry in std::fs::read_dir(&dir).expect("content/experts") {
        let path = entry.expect("readable folder").path();
        if path.extension().and_then(|e| e.to_str()) != Some("md")
            || path.file_stem().and_then(|s| s.to_str()) == Some("_index")
        {
            continue;
        }
        let text = std::fs::read_to_string(&path).expect("readable profile");
        let front = text
            .strip_prefix("---\n")
            .and_then(|rest| rest.split_once("\n---"))
            .map(|(front, _)| front)
            .unwrap_or_else(|| panic!("{} has no front matter", path.display()));
        let expert: Expert =
            serde_yaml::from_str(front).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
        experts.push(expert);
    }
    experts
}

/// The names of the listed experts that `keep` accepts, sorted.
fn listed_names(experts: &[Expert], keep: impl Fn(&Expert) -> bool) -> Vec<String> {
    let mut names: Vec<String> = experts
        .iter()
        .filter(|e| e.listed() && keep(e))
        .map(|e| e.title.clone())
        .collect();
    names.sort();
    names
}

/// The names on the directory cards the reader can see, sorted.
async fn visible_experts(b: &Browser) -> Vec<String> {
    let mut names = Vec::new();
    for card in b.elements("[data-directory-list] > li").await {
        if card.shown().await {
            let name = card.child(".card-title a").await.read_text().await;
            names.push(name.trim().to_string());
        }
    }
    names.sort();
    names
}

/// Waits (up to five seconds) until the visible cards are `expected`, and
/// fails with what is shown otherwise.
async fn assert_visible(b: &Browser, expected: &[String], what: &str) {
    eventually(
        async || visible_experts(b).await,
        |shown| shown == expected,
        |shown| format!("{what}: the directory shows {shown:?}, expected {expected:?}"),
    )
    .await;
}

/// The value of the select `#filter-KEY`.
async fn select_value(b: &Browser, key: &str) -> String {
    b.prop(&format!("#filter-{key}"), "value")
        .await
        .unwrap_or_default()
}

/// The text of the directory's live status line.
async fn status_text(b: &Browser) -> String {
    const STATUS: &str = "[data-directory-status]";
    assert_eq!(
        b.attr(STATUS, "aria-live").await.as_deref(),
        Some("polite"),
        "the count is announced politely"
    );
    b.text(STATUS).await
}

/// The topic and availability the filter tests choose: a topic two listed
/// experts share, and an availability only one of them offers, so that the
/// filters must combine (AND) to give the expected set.
const TOPIC: &str = "public-speaking";
const AVAILABLE: &str = "podcasts";

#[tokio::test(flavor = "multi_thread")]
async fn directory_filters_combine_and_go_into_the_url() {
    let Some(browser) = Browser::start().await else {
        return;
    };
    let (_tmp, server) = example_site();
    let experts = example_experts();
    let b = &browser;
    b.open(&format!("{}experts/", server.base)).await;

    let everyone = listed_names(&experts, |_| true);
    assert_visible(b, &everyone, "before filtering").await;
    let total = everyone.len();
    assert_eq!(status_text(b).await, format!("{total} experts"));

    let topic_only = listed_names(&experts, |e| e.has_topic(TOPIC));
    let expected = listed_names(&experts, |e| {
        e.has_topic(TOPIC) && e.available_for.iter().any(|a| a == AVAILABLE)
    });
    assert!(
        !expected.is_empty() && expected.len() < topic_only.len(),
        "the example content no longer makes this a test of combined filters"
    );

    // "Clear filters" only when a filter is set.
    assert!(
        !b.shown("form [data-filter-clear]").await,
        "nothing to clear yet"
    );
    b.select("#filter-topic", TOPIC).await;
    assert_visible(b, &topic_only, "topic chosen").await;
    assert!(
        b.shown("form [data-filter-clear]").await,
        "a filter to clear"
    );
    b.select("#filter-available", AVAILABLE).await;
    assert_visible(b, &expected, "topic and availability chosen").await;
    assert_eq!(
        status_text(b).await,
        format!("{} of {total} experts", expected.len())
    );

    assert_eq!(b.path().await, "/handbook/experts/");
    assert_eq!(
        b.query().await.as_deref(),
        Some(format!("topic={TOPIC}&available={AVAILABLE}").as_str()),
        "the filters are in the URL, empty ones left out"
    );

    // Clearing the filters shows everyone again and empties the query.
    b.click("form [data-filter-clear]").await;
    assert_visible(b, &everyone, "filters cleared").await;
    assert_eq!(select_value(b, "topic").await, "");
    assert_eq!(b.query().await, None);
    assert!(
        !b.shown("form [data-filter-clear]").await,
        "cleared: nothing to clear"
    );
    browser.close().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn a_shared_directory_url_shows_the_same_view() {
    let Some(browser) = Browser::start().await else {
        return;
    };
    let (_tmp, server) = example_site();
    let experts = example_experts();
    let b = &browser;
    b.open(&format!(
        "{}experts/?topic={TOPIC}&available={AVAILABLE}",
        server.base
    ))
    .await;

    let expected = listed_names(&experts, |e| {
        e.has_topic(TOPIC) && e.available_for.iter().any(|a| a == AVAILABLE)
    });
    assert_visible(b, &expected, "opened from a shared URL").await;
    assert_eq!(select_value(b, "topic").await, TOPIC);
    assert_eq!(select_value(b, "available").await, AVAILABLE);
    assert_eq!(select_value(b, "team").await, "");
    let total = listed_names(&experts, |_| true).len();
    assert_eq!(
        status_text(b).await,
        format!("{} of {total} experts", expected.len())
    );

    // A value no option has (an old link) is dropped, not applied.
    b.open(&format!("{}experts/?topic=no-such-topic", server.base))
        .await;
    assert_visible(b, &listed_names(&experts, |_| true), "unknown topic").await;
    assert_eq!(select_value(b, "topic").await, "");
    browser.close().await;
}

/// The counts the select `#filter-KEY` shows: `{value: n}` from each
/// option's "Label (n)".
async fn option_counts(b: &Browser, key: &str) -> std::collections::BTreeMap<String, usize> {
    let script = "return Array.prototype.map.call(document.querySelectorAll(arguments[0] + ' option'), \
        function (o) { return [o.value, o.text]; });";
    let rows = b
        .run(script, vec![serde_json::json!(format!("#filter-{key}"))])
        .await;
    let mut counts = std::collections::BTreeMap::new();
    for row in rows.as_array().into_iter().flatten() {
        let value = row[0].as_str().unwrap_or_default();
        let text = row[1].as_str().unwrap_or_default();
        if value.is_empty() {
            continue;
        }
        let n = text
            .rsplit_once(" (")
            .and_then(|(_, n)| n.strip_suffix(')'))
            .and_then(|n| n.parse().ok())
            .unwrap_or_else(|| panic!("option {value} shows no count: {text:?}"));
        counts.insert(value.to_string(), n);
    }
    counts
}

#[tokio::test(flavor = "multi_thread")]
async fn filter_counts_follow_the_other_filters() {
    let Some(browser) = Browser::start().await else {
        return;
    };
    let (_tmp, server) = example_site();
    let experts = example_experts();
    let b = &browser;
    b.open(&format!("{}experts/", server.base)).await;
    let everyone = listed_names(&experts, |_| true);
    assert_visible(b, &everyone, "before filtering").await;

    // With no filter, a topic's count is everyone who has it.
    let topics = option_counts(b, "topic").await;
    for (slug, n) in &topics {
        assert_eq!(
            *n,
            listed_names(&experts, |e| e.has_topic(slug)).len(),
            "{slug}"
        );
    }

    // Choosing an availability: each topic counts only those who also offer it,
    // and the chosen select's own counts still ignore its own choice.
    let available_before = option_counts(b, "available").await;
    b.select("#filter-available", AVAILABLE).await;
    let offers = |e: &Expert| e.available_for.iter().any(|a| a == AVAILABLE);
    assert_visible(b, &listed_names(&experts, offers), "availability chosen").await;
    let topics = option_counts(b, "topic").await;
    for (slug, n) in &topics {
        let expected = listed_names(&experts, |e| e.has_topic(slug) && offers(e)).len();
        assert_eq!(*n, expected, "{slug} with {AVAILABLE} chosen");
    }
    assert!(
        topics.values().any(|n| *n == 0),
        "the example content no longer has a topic that a chosen availability empties"
    );
    assert_eq!(option_counts(b, "available").await, available_before);

    // Both chosen: the availability's counts follow the topic.
    b.select("#filter-topic", TOPIC).await;
    let podcasts = option_counts(b, "available").await[AVAILABLE];
    let expected = listed_names(&experts, |e| e.has_topic(TOPIC) && offers(e));
    assert_eq!(podcasts, expected.len());
    assert_visible(b, &expected, "both chosen").await;
    browser.close().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn without_javascript_the_directory_lists_every_listed_expert() {
    let Some(browser) = Browser::start_without_js().await else {
        return;
    };
    let (_tmp, server) = example_site();
    let experts = example_experts();
    let b = &browser;
    // Even a filtered URL shows everyone: nothing is hidden without the script.
    b.open(&format!("{}experts/?topic={TOPIC}", server.base))
        .await;
    let submit_shown = b.shown("[data-filter-apply]").await;
    // The script hides the submit button (changes apply at once); here it shows.
    assert!(
        submit_shown,
        "the directory script ran: JavaScript is not off in this session"
    );

    let everyone = listed_names(&experts, |_| true);
    assert_eq!(visible_experts(b).await, everyone);
    // The filters are still a plain GET form to the directory.
    const FORM: &str = "form[data-directory-filters]";
    assert_eq!(b.attr(FORM, "method").await.as_deref(), Some("get"));
    assert_eq!(
        b.attr(FORM, "action").await.as_deref(),
        Some("/handbook/experts/")
    );
    browser.close().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn the_directory_filters_work_from_the_keyboard() {
    use fantoccini::key::Key;
    let Some(browser) = Browser::start().await else {
        return;
    };
    let (_tmp, server) = example_site();
    let experts = example_experts();
    let b = &browser;
    b.open(&format!("{}experts/", server.base)).await;

    // Tab from the top of the page until the topic filter has the focus.
    let mut presses = 0;
    loop {
        b.press(Key::Tab).await;
        presses += 1;
        let id = b.focused().await.read_attr("id").await;
        if id.as_deref() == Some("filter-topic") {
            break;
        }
        assert!(presses < 80, "Tab never reached the topic filter");
    }

    // Arrow down picks the first topic; the list follows at once.
    b.press(Key::Down).await;
    let first = b
        .attr("#filter-topic option:nth-child(2)", "value")
        .await
        .expect("the first topic has a value");
    assert_eq!(select_value(b, "topic").await, first);
    assert_visible(
        b,
        &listed_names(&experts, |e| e.has_topic(&first)),
        "first topic chosen with the keyboard",
    )
    .await;

    // And the next one.
    b.press(Key::Down).await;
    let second = select_value(b, "topic").await;
    assert_ne!(second, first);
    assert_visible(
        b,
        &listed_names(&experts, |e| e.has_topic(&second)),
        "second topic chosen with the keyboard",
    )
    .await;
    assert_eq!(
        b.query().await.as_deref(),
        Some(format!("topic={second}").as_str())
    );
    browser.close().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn an_unlisted_expert_appears_in_no_list() {
    let Some(browser) = Browser::start().await else {
        return;
    };
    let (_tmp, server) = example_site();
    let experts = example_experts();
    let unlisted: Vec<&Expert> = experts.iter().filter(|e| !e.listed()).collect();
    assert!(
        unlisted.iter().any(|e| e.title == "Tuomas Lehtinen"),
        "the example no longer has the unlisted expert this test is about"
    );
    let b = &browser;

    // The directory: no card, no mention, and filter options (with their
    // counts) made of listed experts only.
    b.open(&format!("{}experts/", server.base)).await;
    let html = b.source().await;
    for e in &unlisted {
        assert!(!html.contains(&e.title), "{} is on the directory", e.title);
    }
    assert!(!html.contains("tuomas-lehtinen"));
    let mut shown: Vec<(String, String)> = Vec::new();
    for option in b.elements("#filter-topic option").await {
        let value = option.read_attr("value").await.unwrap_or_default();
        if value.is_empty() {
            continue;
        }
        let text = option.read_text().await;
        shown.push((value, text));
    }
    let mut expected: Vec<String> = experts
        .iter()
        .filter(|e| e.listed())
        .flat_map(|e| e.topics.iter().map(|t| topic_slug(t)))
        .collect();
    expected.sort();
    expected.dedup();
    let mut values: Vec<String> = shown.iter().map(|(v, _)| v.clone()).collect();
    values.sort();
    assert_eq!(
        values, expected,
        "the topic filter offers listed experts' topics only"
    );
    for (value, text) in &shown {
        let count = experts
            .iter()
            .filter(|e| e.listed() && e.has_topic(value))
            .count();
        assert!(
            text.ends_with(&format!("({count})")),
            "the option {value:?} reads {text:?}, but {count} listed experts have the topic"
        );
    }
    for option in b.elements("[data-directory-filters] option").await {
        let text = option.read_text().await;
        assert!(!text.contains("Tuomas"), "an option reads {text:?}");
    }
    let engineering = b.text("#filter-team option[value='engineering']").await;
    let listed_engineers = experts
        .iter()
        .filter(|e| e.listed() && e.team.as_deref() == Some("Engineering"))
        .count();
    assert_eq!(engineering, format!("Engineering ({listed_engineers})"));

    // The topics page, every topic page it links (and those of the unlisted
    // expert's topics), and the gaps page.
    let mut pages = vec![
        format!("{}experts/topics/", server.base),
        format!("{}experts/gaps/", server.base),
    ];
    for e in &unlisted {
        for t in &e.topics {
            pages.push(format!("{}experts/topics/{}/", server.base, topic_slug(t)));
        }
    }
    b.open(&pages[0]).await;
    for link in b.elements(".topic-list a").await {
        let href = link.read_prop("href").await.expect("a link");
        pages.push(href);
    }
    assert!(
        pages.len() > 20,
        "the topics page lists {} pages",
        pages.len()
    );
    let script = r#"
        const [pages, needles, done] = [arguments[0], arguments[1], arguments[arguments.length - 1]];
        (async () => {
          const found = [];
          for (const url of pages) {
            const res = await fetch(url);
            if (!res.ok) continue; // a topic only unlisted experts have may have no page
            const text = await res.text();
            for (const n of needles) if (text.includes(n)) found.push(url + ' mentions ' + n);
          }
          done(found);
        })();
    "#;
    let needles: Vec<String> = unlisted
        .iter()
        .flat_map(|e| [e.title.clone(), "tuomas-lehtinen".to_string()])
        .collect();
    let found = b
        .run_async(
            script,
            vec![serde_json::json!(pages), serde_json::json!(needles)],
        )
        .await;
    assert_eq!(
        found,
        serde_json::json!([]),
        "the unlisted expert is listed"
    );
    browser.close().await;
}

// ---------------------------------------------------------------------------
// The onboarding path: ticking steps off, the box on each step's page,
// previous / next, the export; and the plan on paper.

/// The example's onboarding path, as its front matter says.
#[derive(serde::Deserialize)]
struct PathFile {
    title: String,
    steps: Vec<PathStep>,
}

#[derive(serde::Deserialize)]
struct PathStep {
    #[serde(default)]
    minutes: Option<u32>,
}

const PATH_URL: &str = "onboarding/new-hire/";

fn example_path() -> PathFile {
    let file = Path::new(env!("CARGO_MANIFEST_DIR")).join("content/onboarding/new-hire.md");
    let text = std::fs::read_to_string(&file).expect("the example path");
    let front = text
        .strip_prefix("---\n")
        .and_then(|rest| rest.split_once("\n---"))
        .map(|(front, _)| front)
        .expect("front matter");
    serde_yaml::from_str(front).expect("a path's front matter")
}

/// A step as the path page lists it: its page id, absolute URL and title.
struct ListedStep {
    id: String,
    url: String,
    title: String,
}

async fn listed_steps(b: &Browser) -> Vec<ListedStep> {
    let mut steps = Vec::new();
    for li in b.elements("ol.steps > li.step").await {
        let link = li.child(".step-title a").await;
        steps.push(ListedStep {
            id: li.read_attr("data-step").await.expect("a page id"),
            url: link.read_prop("href").await.expect("a URL"),
            title: link.read_text().await.trim().to_string(),
        });
    }
    steps
}

/// Waits (up to five seconds) until the element's text starts with
/// `expected`, and fails with what it says otherwise.
async fn assert_text_starts(b: &Browser, css: &str, expected: &str) {
    let read = async || match b.client.find(fantoccini::Locator::Css(css)).await {
        Ok(e) => e.text().await.unwrap_or_default(),
        Err(_) => String::new(),
    };
    eventually(
        read,
        |text| text.starts_with(expected),
        |text| format!("{css} says {text:?}, expected it to start with {expected:?}"),
    )
    .await;
}

#[tokio::test(flavor = "multi_thread")]
async fn a_started_path_says_where_to_continue_on_its_page_and_the_home_page() {
    let Some(browser) = Browser::start().await else {
        return;
    };
    let (_tmp, server) = example_site();
    let b = &browser;
    const HOME_BOX: &str = ".continue-box";
    // Not started: nothing to continue, on the home page or the path page.
    b.open(&server.base).await;
    assert!(
        !b.shown(HOME_BOX).await,
        "continue shown before the path is started"
    );
    b.open(&format!("{}{PATH_URL}", server.base)).await;
    let steps = listed_steps(b).await;
    assert!(
        steps.len() >= 3,
        "the example path is too short for this test"
    );
    assert!(!b.shown("[data-path-continue]").await);

    // Ticking the first and third steps: the next is the second.
    b.click("ol.steps > li.step:nth-child(1) [data-step-check]")
        .await;
    b.click("ol.steps > li.step:nth-child(3) [data-step-check]")
        .await;
    assert_text_starts(b, "[data-path-continue]", "Next step:").await;
    let link = b.element("[data-path-continue] [data-continue-link]").await;
    assert_eq!(link.read_text().await.trim(), steps[1].title);
    assert_eq!(
        link.read_prop("href").await.as_deref(),
        Some(steps[1].url.as_str())
    );

    // The home page says the same, under its heading, as a link.
    b.open(&server.base).await;
    assert!(
        b.shown(HOME_BOX).await,
        "continue not shown on the home page"
    );
    assert_eq!(
        b.text(".continue-box h2").await,
        "Continue where you left off"
    );
    let link = b.element(".continue-box [data-continue-link]").await;
    assert_eq!(link.read_text().await.trim(), steps[1].title);
    assert_eq!(
        link.read_prop("href").await.as_deref(),
        Some(steps[1].url.as_str())
    );

    // Every step ticked: the path is done, nothing to continue.
    b.open(&format!("{}{PATH_URL}", server.base)).await;
    for n in 1..=steps.len() {
        let css = format!("ol.steps > li.step:nth-child({n}) [data-step-check]");
        if !b.checked(&css).await {
            b.click(&css).await;
        }
    }
    assert!(!b.shown("[data-path-continue]").await);
    b.open(&server.base).await;
    assert!(
        !b.shown(HOME_BOX).await,
        "continue shown for a finished path"
    );
    browser.close().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn a_ticked_step_survives_a_reload_and_shows_on_its_own_page() {
    let Some(browser) = Browser::start().await else {
        return;
    };
    let (_tmp, server) = example_site();
    let b = &browser;
    b.open(&format!("{}{PATH_URL}", server.base)).await;
    let steps = listed_steps(b).await;
    let n = steps.len();
    assert_eq!(n, example_path().steps.len());
    assert_text_starts(
        b,
        "[data-path-page] [data-progress-text]",
        &format!("0 of {n} done"),
    )
    .await;

    // Tick the second step.
    let second = "ol.steps > li.step:nth-child(2) [data-step-check]";
    b.click(second).await;
    assert_text_starts(
        b,
        "[data-path-page] [data-progress-text]",
        &format!("1 of {n} done"),
    )
    .await;

    // It is kept under the path's storage key, as a JSON array of page ids.
    let kept = b
        .run(
            "const k = document.querySelector('[data-path-page]').dataset.storageKey; return JSON.parse(localStorage.getItem(k));",
            vec![],
        )
        .await;
    assert_eq!(kept, serde_json::json!([steps[1].id]));

    // A reload keeps it.
    b.reload().await;
    assert!(b.checked(second).await, "the tick is gone after a reload");
    assert!(
        !b.checked("ol.steps > li.step:nth-child(1) [data-step-check]")
            .await
    );
    assert_text_starts(
        b,
        "[data-path-page] [data-progress-text]",
        &format!("1 of {n} done"),
    )
    .await;

    // The step's own page shows it: its checkbox is ticked, the path's
    // progress is the same.
    b.open(&steps[1].url).await;
    let title = b.text(".path-box .path-box-title").await;
    assert!(
        title.contains(&format!("step 2 of {n}")),
        "the box reads {title:?}"
    );
    assert!(
        b.checked(".path-box [data-step-check]").await,
        "Mark this step done is not ticked on the step's page"
    );
    assert_text_starts(
        b,
        ".path-box [data-progress-text]",
        &format!("1 of {n} done"),
    )
    .await;

    // Unticking it there shows on the path page.
    b.click(".path-box [data-step-check]").await;
    assert_text_starts(
        b,
        ".path-box [data-progress-text]",
        &format!("0 of {n} done"),
    )
    .await;
    b.open(&format!("{}{PATH_URL}", server.base)).await;
    assert!(
        !b.checked(second).await,
        "the untick did not reach the path page"
    );
    assert_text_starts(
        b,
        "[data-path-page] [data-progress-text]",
        &format!("0 of {n} done"),
    )
    .await;
    browser.close().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn previous_and_next_lead_through_the_steps_in_order() {
    let Some(browser) = Browser::start().await else {
        return;
    };
    let (_tmp, server) = example_site();
    let b = &browser;
    b.open(&format!("{}{PATH_URL}", server.base)).await;
    let expected: Vec<String> = listed_steps(b).await.into_iter().map(|s| s.url).collect();
    let n = expected.len();
    assert!(n >= 3, "the example path has {n} steps");

    // A reader following the path, from its page (the box shows only to
    // one who follows the path: see browser_phones).
    b.click("ol.steps > li.step:nth-child(1) .step-title a")
        .await;
    assert_eq!(b.url().await, expected[0]);
    assert!(
        !b.has(".path-box a[rel='prev']").await,
        "the first step has a previous step"
    );
    let mut visited = Vec::new();
    loop {
        visited.push(b.url().await);
        let k = visited.len();
        let title = b.text(".path-box .path-box-title").await;
        assert!(
            title.contains(&format!("step {k} of {n}")),
            "page {k} says {title:?}"
        );
        if !b.has(".path-box a[rel='next']").await {
            break;
        }
        assert!(k <= n, "next leads on past the last step");
        b.click(".path-box a[rel='next']").await;
    }
    assert_eq!(visited, expected, "next does not follow the path's steps");

    // The last step has a previous step.
    b.click(".path-box a[rel='prev']").await;
    assert_eq!(b.url().await, expected[n - 2]);
    browser.close().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn without_javascript_the_path_is_a_list_of_links_and_steps_say_where_they_are() {
    let Some(browser) = Browser::start_without_js().await else {
        return;
    };
    let (_tmp, server) = example_site();
    let b = &browser;
    b.open(&format!("{}{PATH_URL}", server.base)).await;
    let steps = listed_steps(b).await;
    assert_eq!(steps.len(), example_path().steps.len());
    // No dead controls: checkboxes, progress and export stay hidden.
    for css in [
        "[data-path-export]",
        "[data-step-check]",
        "[data-progress-bar]",
    ] {
        for e in b.elements(css).await {
            assert!(!e.shown().await, "{css} shows without JavaScript");
        }
    }
    // A step's page: the box with "step N of M" and its links, no checkbox.
    b.open(&steps[1].url).await;
    let text = b.text(".path-box").await;
    assert!(
        text.contains(&format!("step 2 of {}", steps.len())),
        "{text:?}"
    );
    let prev = b.prop(".path-box a[rel='prev']", "href").await;
    assert_eq!(prev.as_deref(), Some(steps[0].url.as_str()));
    let next = b.prop(".path-box a[rel='next']", "href").await;
    assert_eq!(next.as_deref(), Some(steps[2].url.as_str()));
    // The checkbox is in the HTML, hidden.
    assert!(!b.shown(".path-box [data-step-check]").await);
    browser.close().await;
}

/// The Markdown checklist the export should give with only `ticked` (0-based
/// step numbers) done.
fn expected_checklist(path: &PathFile, steps: &[ListedStep], ticked: &[usize]) -> String {
    fn duration(m: u32) -> String {
        match (m / 60, m % 60) {
            (0, m) => format!("{m} min"),
            (h, 0) => format!("{h} h"),
            (h, m) => format!("{h} h {m} min"),
        }
    }
    let left: u32 = path
        .steps
        .iter()
        .enumerate()
        .filter(|(k, _)| !ticked.contains(k))
        .map(|(_, s)| s.minutes.unwrap_or(0))
        .sum();
    let mut out = format!(
        "# {}\n\n{} of {} done · {} left\n\n",
        path.title,
        ticked.len(),
        steps.len(),
        duration(left)
    );
    for (k, (step, listed)) in path.steps.iter().zip(steps).enumerate() {
        let mark = if ticked.contains(&k) { "x" } else { " " };
        let time = step
            .minutes
            .map(|m| format!(" ({m} min)"))
            .unwrap_or_default();
        out.push_str(&format!(
            "- [{mark}] [{}]({}){time}\n",
            listed.title, listed.url
        ));
    }
    out
}

#[tokio::test(flavor = "multi_thread")]
async fn the_export_copies_the_progress_as_a_markdown_checklist() {
    let Some(browser) = Browser::start().await else {
        return;
    };
    let (_tmp, server) = example_site();
    let path = example_path();
    let b = &browser;
    b.open(&format!("{}{PATH_URL}", server.base)).await;
    let steps = listed_steps(b).await;
    b.click("ol.steps > li.step:nth-child(1) [data-step-check]")
        .await;
    let expected = expected_checklist(&path, &steps, &[0]);
    assert!(expected.contains(&format!(
        "- [x] [{}]({}) (10 min)\n",
        steps[0].title, steps[0].url
    )));

    // With a clipboard: what is written to it.
    b.run(
        "window.__copied = null;
         Object.defineProperty(navigator, 'clipboard', {configurable: true, value: {
           writeText: (text) => { window.__copied = text; return Promise.resolve(); }
         }});",
        vec![],
    )
    .await;
    const EXPORT: &str = "[data-path-export]";
    assert!(b.shown(EXPORT).await);
    b.click(EXPORT).await;
    assert_text_starts(b, "[data-export-status]", "Copied").await;
    let copied = b.run("return window.__copied;", vec![]).await;
    assert_eq!(copied.as_str(), Some(expected.as_str()));

    // Without one: the text is shown selected in a textarea instead.
    b.run(
        "Object.defineProperty(navigator, 'clipboard', {configurable: true, value: undefined});",
        vec![],
    )
    .await;
    b.click(EXPORT).await;
    const AREA: &str = "textarea[data-export-text]";
    assert!(b.shown(AREA).await, "the fallback textarea shows");
    assert_eq!(
        b.prop(AREA, "value").await.as_deref(),
        Some(expected.as_str())
    );
    let selected = b
        .run(
            "const a = document.activeElement; return a.matches('textarea[data-export-text]') && a.selectionStart === 0 && a.selectionEnd === a.value.length;",
            vec![],
        )
        .await;
    assert_eq!(
        selected,
        serde_json::Value::Bool(true),
        "the text is not selected"
    );
    browser.close().await;
}

/// How many pages a PDF has: its `/Type /Page` objects (not `/Pages`).
fn pdf_pages(pdf: &[u8]) -> usize {
    let mut count = 0;
    let mut rest = pdf;
    while let Some(at) = find_bytes(rest, b"/Type") {
        rest = &rest[at + 5..];
        let skip = rest.iter().take_while(|b| b.is_ascii_whitespace()).count();
        let after = &rest[skip..];
        if after.starts_with(b"/Page") && !after.get(5).is_some_and(|b| b.is_ascii_alphanumeric()) {
            count += 1;
        }
    }
    count
}

fn find_bytes(hay: &[u8], needle: &[u8]) -> Option<usize> {
    hay.windows(needle.len()).position(|w| w == needle)
}

#[tokio::test(flavor = "multi_thread")]
async fn the_plan_prints_on_at_most_two_a4_pages() {
    use fantoccini::wd::{PrintConfiguration, PrintMargins, PrintSize};
    let Some(browser) = Browser::start().await else {
        return;
    };
    let (tmp, server) = example_site();
    let b = &browser;
    b.open(&format!("{}plan/", server.base)).await;
    let config = PrintConfiguration::builder()
        .size(PrintSize::A4)
        .background(true)
        // The margins of the theme's `@page` rule.
        .margins(PrintMargins {
            top: 1.5,
            bottom: 1.6,
            left: 1.4,
            right: 1.4,
        })
        .shrink_to_fit(false)
        .build()
        .expect("a print configuration");
    let pdf = b.client.print(config).await.expect("print the plan");
    assert!(pdf.starts_with(b"%PDF"), "not a PDF");
    let file = tmp.path().join("plan.pdf");
    std::fs::write(&file, &pdf).expect("save the PDF");
    let pages = pdf_pages(&pdf);
    eprintln!("the plan prints on {pages} A4 pages ({})", file.display());
    assert!(
        (1..=2).contains(&pages),
        "the plan prints on {pages} A4 pages, at most two expected"
    );
    browser.close().await;
}

/// With a path-only `base_url` a `webcal:` URL has no host to name: the
/// page keeps the subscribe link hidden and the theme's script gives it
/// the page's own host.
#[tokio::test(flavor = "multi_thread")]
async fn the_subscribe_link_takes_the_page_host_when_base_url_has_none() {
    let Some(browser) = Browser::start().await else {
        return;
    };
    let (_tmp, server) = example_site();
    let b = &browser;
    let host = server.base.trim_start_matches("http://");
    for (page, feed) in [
        (
            "training/presentation-training/",
            "training/presentation-training/calendar.ics",
        ),
        ("training/", "training/calendar.ics"),
    ] {
        b.open(&format!("{}{page}", server.base)).await;
        const LINK: &str = "a.calendar-subscribe";
        assert_eq!(
            b.attr(LINK, "href").await.as_deref(),
            Some(format!("webcal://{host}{feed}").as_str()),
            "{page}"
        );
        assert!(b.shown(LINK).await, "{page}");
    }
    browser.close().await;
}

// ---------------------------------------------------------------------------
// The colour-scheme switch: three states, remembered, applied before paint.

/// The page's background colour as computed, and the `data-theme` of `<html>`.
async fn scheme_state(b: &Browser) -> (String, Option<String>) {
    let v = b
        .run(
            "return [getComputedStyle(document.body).backgroundColor, document.documentElement.getAttribute('data-theme')];",
            vec![],
        )
        .await;
    (
        v[0].as_str().unwrap_or_default().to_string(),
        v[1].as_str().map(str::to_string),
    )
}

/// Waits (up to five seconds) for the page's background to be `want`.
async fn assert_background(b: &Browser, want: &str, what: &str) {
    eventually(
        async || scheme_state(b).await.0,
        |bg| bg == want,
        |bg| format!("{what}: the background is {bg}, expected {want}"),
    )
    .await;
}

#[tokio::test(flavor = "multi_thread")]
async fn the_colour_scheme_switch_is_remembered_and_works_from_the_keyboard() {
    let Some(browser) = Browser::start().await else {
        return;
    };
    let (_tmp, server) = example_site();
    let b = &browser;
    // theme.css's `--bg`, light and dark.
    const LIGHT: &str = "rgb(246, 247, 249)";
    const DARK: &str = "rgb(14, 19, 24)";
    const SWITCH: &str = "[data-scheme-switch]";
    b.open(&server.base).await;
    assert!(
        b.shown(SWITCH).await,
        "the switch is hidden with JavaScript on"
    );
    assert_eq!(b.attr(SWITCH, "role").await.as_deref(), Some("group"));
    assert_eq!(
        b.attr(SWITCH, "aria-label").await.as_deref(),
        Some("Colour scheme")
    );
    // The headless browser's system scheme is light: auto is light.
    assert_background(b, LIGHT, "auto").await;
    let pressed = |choice: &str| format!("{SWITCH} [data-scheme-choice={choice}]");
    assert_eq!(
        b.attr(&pressed("auto"), "aria-pressed").await.as_deref(),
        Some("true")
    );

    // Dark, by mouse: applied at once, and on the next page before any
    // deferred script runs (the inline script in <head>).
    b.click(&pressed("dark")).await;
    assert_background(b, DARK, "dark chosen").await;
    assert_eq!(
        b.attr(&pressed("dark"), "aria-pressed").await.as_deref(),
        Some("true")
    );
    assert_eq!(
        b.attr(&pressed("auto"), "aria-pressed").await.as_deref(),
        Some("false")
    );
    b.open(&format!("{}experts/", server.base)).await;
    let (bg, theme) = scheme_state(b).await;
    assert_eq!(
        (bg.as_str(), theme.as_deref()),
        (DARK, Some("dark")),
        "after navigating"
    );
    let href = b
        .attr("link[data-scheme=base]", "href")
        .await
        .unwrap_or_default();
    assert!(href.ends_with("theme-dark.css"), "{href}");

    // Light, from the keyboard: focus the button, press Enter.
    b.run(
        "document.querySelector(arguments[0]).focus();",
        vec![serde_json::json!(pressed("light"))],
    )
    .await;
    b.press(fantoccini::key::Key::Enter).await;
    assert_background(b, LIGHT, "light chosen").await;
    assert_eq!(scheme_state(b).await.1.as_deref(), Some("light"));
    b.reload().await;
    assert_background(b, LIGHT, "light after a reload").await;
    assert_eq!(
        b.attr(&pressed("light"), "aria-pressed").await.as_deref(),
        Some("true")
    );

    // Auto forgets the choice: the system's scheme again.
    b.click(&pressed("auto")).await;
    assert_eq!(scheme_state(b).await.1, None);
    let kept = b
        .run("return localStorage.getItem('esiin:color-scheme');", vec![])
        .await;
    assert_eq!(kept, serde_json::Value::Null);
    let href = b
        .attr("link[data-scheme=base]", "href")
        .await
        .unwrap_or_default();
    assert!(href.ends_with("/theme.css"), "{href}");
    browser.close().await;
}
