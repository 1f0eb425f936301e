//! Accessibility in headless Chromium: axe-core (the npm package, pinned in
//! `tests/browser-deps/`) run on every page kind of the example handbook,
//! in light and dark, and with search open. The bar is zero violations of
//! WCAG 2.2 AA (axe's `wcag2a`, `wcag2aa`, `wcag21a`, `wcag21aa`,
//! `wcag22aa` rules).

use crate::support;

use std::time::{Duration, Instant};

use fantoccini::wd::TimeoutConfiguration;
use support::browser::{Browser, StaticServer, axe_source, example_site};

/// One page of each kind the example handbook has, under the base path.
const PAGES: &[(&str, &str)] = &[
    ("home", ""),
    ("section", "guide/"),
    ("page", "guide/finding-your-channel/"),
    ("page with highlighted code", "guide/how-we-measure/"),
    ("expert profile", "experts/aino-virtanen/"),
    ("directory", "experts/"),
    ("module catalogue", "training/"),
    ("module", "training/presentation-training/"),
    ("plan", "plan/"),
    ("guidelines", "guidelines/"),
    ("path", "onboarding/new-hire/"),
    ("step of a path", "onboarding/welcome/"),
    ("topics", "experts/topics/"),
    ("a topic", "experts/topics/rust/"),
    ("gaps", "experts/gaps/"),
    ("404", "no-such-page/"),
    (
        "profile with activity and share links",
        "experts/hanna-salminen/",
    ),
    ("team with recently shared", "experts/teams/marketing/"),
];

/// Runs axe on the page as it is now: `axe.min.js` is sent with the
/// script (the page never links it), and what comes back is one line per
/// violation and element: rule, impact, selector, what is wrong.
const RUN_AXE: &str = r#"
const done = arguments[arguments.length - 1];
axe.run(document, {runOnly: {type: 'tag',
    values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa']}})
  .then(r => done(r.violations.flatMap(v => v.nodes.map(n =>
      `${v.id} (${v.impact}) at ${n.target.join(' ')}: ${v.help}; ` +
      (n.failureSummary || '').replace(/\s+/g, ' ')))),
    e => done([`axe failed: ${e}`]));
"#;

/// The violations axe finds on the page open in `b`, each prefixed with
/// `what` (the page and the scheme).
async fn violations(b: &Browser, axe: &str, what: &str) -> Vec<String> {
    let script = format!("{axe}\n{RUN_AXE}");
    let found = b.run_async(&script, vec![]).await;
    let lines = found.as_array().cloned().unwrap_or_default();
    lines
        .iter()
        .map(|v| format!("{what}: {}", v.as_str().unwrap_or_default()))
        .collect()
}

/// Types a query into the header search and waits until its results show.
async fn open_search(b: &Browser, query: &str) {
    b.type_into("#site-search-input", query).await;
    let deadline = Instant::now() + Duration::from_secs(20);
    loop {
        let shown = b
            .run(
                "return !document.querySelector('.site-search-panel').hidden
                   && document.querySelectorAll('.site-search-results a').length > 0;",
                vec![],
            )
            .await;
        if shown == serde_json::Value::Bool(true) {
            return;
        }
        assert!(Instant::now() < deadline, "no search results for {query:?}");
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
}

/// Every page kind, and a page with search open, in one colour scheme.
async fn check_scheme(b: &Browser, server: &StaticServer, axe: &str, scheme: &str) -> Vec<String> {
    // axe takes a few seconds a page on a loaded machine: room to spare.
    let timeouts = TimeoutConfiguration::new(Some(Duration::from_secs(120)), None, None);
    b.client
        .update_timeouts(timeouts)
        .await
        .expect("set the script timeout");
    let dark = b
        .run(
            "return matchMedia('(prefers-color-scheme: dark)').matches;",
            vec![],
        )
        .await;
    assert_eq!(
        dark,
        serde_json::Value::Bool(scheme == "dark"),
        "the browser is not in the {scheme} scheme"
    );
    let mut found = Vec::new();
    for (kind, path) in PAGES {
        b.open(&format!("{}{path}", server.base)).await;
        found.extend(violations(b, axe, &format!("{kind} /{path} ({scheme})")).await);
    }
    b.open(&format!("{}guide/", server.base)).await;
    open_search(b, "koulutus").await;
    found.extend(violations(b, axe, &format!("search open ({scheme})")).await);
    found
}

#[tokio::test(flavor = "multi_thread")]
async fn axe_finds_no_violation_on_any_page_kind_in_light_or_dark() {
    let Some(axe) = axe_source() else {
        return;
    };
    let Some(light) = Browser::start().await else {
        return;
    };
    let (_tmp, server) = example_site();
    // The light session opens a page first, so that its check of the
    // scheme runs in a document.
    light.open(&server.base).await;
    let mut found = check_scheme(&light, &server, &axe, "light").await;
    light.close().await;
    let Some(dark) = Browser::start_dark().await else {
        return;
    };
    dark.open(&server.base).await;
    found.extend(check_scheme(&dark, &server, &axe, "dark").await);
    dark.close().await;
    assert!(
        found.is_empty(),
        "axe-core found {} violations:\n{}",
        found.len(),
        found.join("\n")
    );
}
