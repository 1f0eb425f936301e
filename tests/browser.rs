//! End-to-end tests in headless Chromium: the example handbook, built under
//! a `base_url` with a path, served by a plain static server, used as a
//! person would.

mod harness;

use std::path::Path;

use fantoccini::Locator;
use harness::{Browser, StaticServer};

/// The example handbook built with `base_url: /handbook/`, served at that path.
fn example_site() -> (tempfile::TempDir, StaticServer) {
    let tmp = tempfile::tempdir().expect("temp dir");
    let root = tmp.path().join("handbook");
    let repo = Path::new(env!("CARGO_MANIFEST_DIR"));
    std::fs::create_dir_all(&root).expect("mkdir");
    harness::copy_tree(&repo.join("content"), &root.join("content"));
    let config = std::fs::read_to_string(repo.join("handbook.yaml")).expect("example config");
    let config = config.replace("base_url: /", "base_url: /handbook/");
    std::fs::write(root.join("handbook.yaml"), config).expect("write config");
    let out = tmp.path().join("public");
    harness::build(&root, &out);
    let server = StaticServer::start(out, "/handbook/");
    (tmp, server)
}

#[tokio::test(flavor = "multi_thread")]
async fn navigation_breadcrumbs_and_toc_work_under_a_base_path() {
    let Some(browser) = Browser::start().await else {
        return;
    };
    let (_tmp, server) = example_site();
    let c = &browser.client;

    c.goto(&server.base).await.expect("open home");
    // Top navigation leads to a section, which lists its pages.
    c.find(Locator::LinkText("Experts"))
        .await
        .expect("nav link")
        .click()
        .await
        .expect("click");
    let url = c.current_url().await.expect("url");
    assert_eq!(url.path(), "/handbook/experts/");
    let h1 = c
        .find(Locator::Css("h1"))
        .await
        .expect("h1")
        .text()
        .await
        .expect("text");
    assert_eq!(h1, "Experts");

    // A card leads to a profile; its photo loads.
    c.find(Locator::LinkText("Aino Virtanen"))
        .await
        .expect("card")
        .click()
        .await
        .expect("click");
    assert_eq!(
        c.current_url().await.expect("url").path(),
        "/handbook/experts/aino-virtanen/"
    );
    let loaded = c
        .execute("const i = document.querySelector('img'); return !!i && i.complete && i.naturalWidth > 0;", vec![])
        .await
        .expect("script");
    assert_eq!(loaded, serde_json::Value::Bool(true), "the photo loads");

    // Breadcrumbs go back up.
    c.find(Locator::Css("nav.breadcrumbs a[href='/handbook/experts/']"))
        .await
        .expect("breadcrumb to Experts")
        .click()
        .await
        .expect("click");
    assert_eq!(
        c.current_url().await.expect("url").path(),
        "/handbook/experts/"
    );

    // The table of contents jumps to a heading with a Finnish anchor.
    c.goto(&format!("{}plan/", server.base))
        .await
        .expect("open plan");
    c.find(Locator::Css("aside.toc a[href='#näkyvyys-ja-tavoitteet']"))
        .await
        .expect("toc entry")
        .click()
        .await
        .expect("click");
    let hash = c
        .execute("return decodeURIComponent(location.hash)", vec![])
        .await
        .expect("hash");
    assert_eq!(hash, serde_json::json!("#näkyvyys-ja-tavoitteet"));
    browser.close().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn every_link_and_asset_of_every_page_resolves() {
    let Some(browser) = Browser::start().await else {
        return;
    };
    let (_tmp, server) = example_site();
    let c = &browser.client;
    c.goto(&server.base).await.expect("open home");
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
    let result = c.execute_async(script, vec![]).await.expect("crawl");
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
async fn visible_experts(c: &fantoccini::Client) -> Vec<String> {
    let mut names = Vec::new();
    for card in c
        .find_all(Locator::Css("[data-directory-list] > li"))
        .await
        .expect("cards")
    {
        if card.is_displayed().await.expect("displayed?") {
            let link = card
                .find(Locator::Css(".card-title a"))
                .await
                .expect("name link");
            names.push(link.text().await.expect("name").trim().to_string());
        }
    }
    names.sort();
    names
}

/// Waits (up to five seconds) until the visible cards are `expected`, and
/// fails with what is shown otherwise.
async fn assert_visible(c: &fantoccini::Client, expected: &[String], what: &str) {
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(5);
    loop {
        let shown = visible_experts(c).await;
        if shown == expected {
            return;
        }
        if std::time::Instant::now() > deadline {
            panic!("{what}: the directory shows {shown:?}, expected {expected:?}");
        }
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    }
}

/// The value of the select `#filter-KEY`.
async fn select_value(c: &fantoccini::Client, key: &str) -> String {
    c.find(Locator::Css(&format!("#filter-{key}")))
        .await
        .expect("filter select")
        .prop("value")
        .await
        .expect("value")
        .unwrap_or_default()
}

/// The text of the directory's live status line.
async fn status_text(c: &fantoccini::Client) -> String {
    let status = c
        .find(Locator::Css("[data-directory-status]"))
        .await
        .expect("status line");
    assert_eq!(
        status.attr("aria-live").await.expect("attr").as_deref(),
        Some("polite"),
        "the count is announced politely"
    );
    status.text().await.expect("text")
}

/// Presses and releases one key in whatever has the focus.
async fn press(c: &fantoccini::Client, key: fantoccini::key::Key) {
    use fantoccini::actions::{InputSource, KeyAction, KeyActions};
    let k: char = key.into();
    let actions = KeyActions::new("keyboard".into())
        .then(KeyAction::Down { value: k })
        .then(KeyAction::Up { value: k });
    c.perform_actions(actions).await.expect("key press");
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
    let c = &browser.client;
    c.goto(&format!("{}experts/", server.base))
        .await
        .expect("open the directory");

    let everyone = listed_names(&experts, |_| true);
    assert_visible(c, &everyone, "before filtering").await;
    let total = everyone.len();
    assert_eq!(status_text(c).await, format!("{total} experts"));

    let topic_only = listed_names(&experts, |e| e.has_topic(TOPIC));
    let expected = listed_names(&experts, |e| {
        e.has_topic(TOPIC) && e.available_for.iter().any(|a| a == AVAILABLE)
    });
    assert!(
        !expected.is_empty() && expected.len() < topic_only.len(),
        "the example content no longer makes this a test of combined filters"
    );

    c.find(Locator::Css("#filter-topic"))
        .await
        .expect("topic filter")
        .select_by_value(TOPIC)
        .await
        .expect("choose a topic");
    assert_visible(c, &topic_only, "topic chosen").await;
    c.find(Locator::Css("#filter-available"))
        .await
        .expect("availability filter")
        .select_by_value(AVAILABLE)
        .await
        .expect("choose an availability");
    assert_visible(c, &expected, "topic and availability chosen").await;
    assert_eq!(
        status_text(c).await,
        format!("{} of {total} experts", expected.len())
    );

    let url = c.current_url().await.expect("url");
    assert_eq!(url.path(), "/handbook/experts/");
    assert_eq!(
        url.query(),
        Some(format!("topic={TOPIC}&available={AVAILABLE}").as_str()),
        "the filters are in the URL, empty ones left out"
    );

    // Clearing the filters shows everyone again and empties the query.
    c.find(Locator::Css("form [data-filter-clear]"))
        .await
        .expect("clear button")
        .click()
        .await
        .expect("clear");
    assert_visible(c, &everyone, "filters cleared").await;
    assert_eq!(select_value(c, "topic").await, "");
    assert_eq!(c.current_url().await.expect("url").query(), None);
    browser.close().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn a_shared_directory_url_shows_the_same_view() {
    let Some(browser) = Browser::start().await else {
        return;
    };
    let (_tmp, server) = example_site();
    let experts = example_experts();
    let c = &browser.client;
    c.goto(&format!(
        "{}experts/?topic={TOPIC}&available={AVAILABLE}",
        server.base
    ))
    .await
    .expect("open a filtered directory");

    let expected = listed_names(&experts, |e| {
        e.has_topic(TOPIC) && e.available_for.iter().any(|a| a == AVAILABLE)
    });
    assert_visible(c, &expected, "opened from a shared URL").await;
    assert_eq!(select_value(c, "topic").await, TOPIC);
    assert_eq!(select_value(c, "available").await, AVAILABLE);
    assert_eq!(select_value(c, "team").await, "");
    let total = listed_names(&experts, |_| true).len();
    assert_eq!(
        status_text(c).await,
        format!("{} of {total} experts", expected.len())
    );

    // A value no option has (an old link) is dropped, not applied.
    c.goto(&format!("{}experts/?topic=no-such-topic", server.base))
        .await
        .expect("open with an unknown topic");
    assert_visible(c, &listed_names(&experts, |_| true), "unknown topic").await;
    assert_eq!(select_value(c, "topic").await, "");
    browser.close().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn without_javascript_the_directory_lists_every_listed_expert() {
    let Some(browser) = Browser::start_without_js().await else {
        return;
    };
    let (_tmp, server) = example_site();
    let experts = example_experts();
    let c = &browser.client;
    // Even a filtered URL shows everyone: nothing is hidden without the script.
    c.goto(&format!("{}experts/?topic={TOPIC}", server.base))
        .await
        .expect("open the directory");
    let submit_shown = c
        .find(Locator::Css("[data-filter-apply]"))
        .await
        .expect("the form's submit button")
        .is_displayed()
        .await
        .expect("displayed?");
    // The script hides the submit button (changes apply at once); here it shows.
    assert!(
        submit_shown,
        "the directory script ran: JavaScript is not off in this session"
    );

    let everyone = listed_names(&experts, |_| true);
    assert_eq!(visible_experts(c).await, everyone);
    // The filters are still a plain GET form to the directory.
    let form = c
        .find(Locator::Css("form[data-directory-filters]"))
        .await
        .expect("filter form");
    assert_eq!(
        form.attr("method").await.expect("attr").as_deref(),
        Some("get")
    );
    assert_eq!(
        form.attr("action").await.expect("attr").as_deref(),
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
    let c = &browser.client;
    c.goto(&format!("{}experts/", server.base))
        .await
        .expect("open the directory");

    // Tab from the top of the page until the topic filter has the focus.
    let mut presses = 0;
    loop {
        press(c, Key::Tab).await;
        presses += 1;
        let id = c
            .active_element()
            .await
            .expect("focused element")
            .attr("id")
            .await
            .expect("id");
        if id.as_deref() == Some("filter-topic") {
            break;
        }
        assert!(presses < 80, "Tab never reached the topic filter");
    }

    // Arrow down picks the first topic; the list follows at once.
    press(c, Key::Down).await;
    let first = c
        .find(Locator::Css("#filter-topic option:nth-child(2)"))
        .await
        .expect("first topic")
        .attr("value")
        .await
        .expect("value")
        .expect("a value");
    assert_eq!(select_value(c, "topic").await, first);
    assert_visible(
        c,
        &listed_names(&experts, |e| e.has_topic(&first)),
        "first topic chosen with the keyboard",
    )
    .await;

    // And the next one.
    press(c, Key::Down).await;
    let second = select_value(c, "topic").await;
    assert_ne!(second, first);
    assert_visible(
        c,
        &listed_names(&experts, |e| e.has_topic(&second)),
        "second topic chosen with the keyboard",
    )
    .await;
    let url = c.current_url().await.expect("url");
    assert_eq!(url.query(), Some(format!("topic={second}").as_str()));
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
    let c = &browser.client;

    // The directory: no card, no mention, and filter options (with their
    // counts) made of listed experts only.
    c.goto(&format!("{}experts/", server.base))
        .await
        .expect("open the directory");
    let html = c.source().await.expect("source");
    for e in &unlisted {
        assert!(!html.contains(&e.title), "{} is on the directory", e.title);
    }
    assert!(!html.contains("tuomas-lehtinen"));
    let mut shown: Vec<(String, String)> = Vec::new();
    for option in c
        .find_all(Locator::Css("#filter-topic option"))
        .await
        .expect("topic options")
    {
        let value = option
            .attr("value")
            .await
            .expect("attr")
            .unwrap_or_default();
        if value.is_empty() {
            continue;
        }
        let text = option.text().await.expect("text");
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
    for option in c
        .find_all(Locator::Css("[data-directory-filters] option"))
        .await
        .expect("options")
    {
        let text = option.text().await.expect("text");
        assert!(!text.contains("Tuomas"), "an option reads {text:?}");
    }
    let engineering = c
        .find(Locator::Css("#filter-team option[value='engineering']"))
        .await
        .expect("team option")
        .text()
        .await
        .expect("text");
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
    c.goto(&pages[0]).await.expect("open the topics page");
    for link in c
        .find_all(Locator::Css(".topic-list a"))
        .await
        .expect("topic links")
    {
        let href = link.prop("href").await.expect("href").expect("a link");
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
    let found = c
        .execute_async(
            script,
            vec![serde_json::json!(pages), serde_json::json!(needles)],
        )
        .await
        .expect("fetch the topic pages");
    assert_eq!(
        found,
        serde_json::json!([]),
        "the unlisted expert is listed"
    );
    browser.close().await;
}
