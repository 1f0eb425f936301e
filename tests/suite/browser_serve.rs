//! The editor's loop in a real browser: `esiin serve` on a copy of the
//! example handbook, a page open in headless Chromium, and the page's
//! source edited, broken and fixed on disk.

use crate::support;

use std::time::{Duration, Instant};

use support::browser::Browser;
use support::serve::Serve;

/// Everything the page shows, the error overlay's shadow root included.
const PAGE_TEXT: &str = r#"
    const parts = [document.body.innerText];
    for (const el of document.querySelectorAll('*')) {
      if (el.shadowRoot) parts.push(el.shadowRoot.textContent);
    }
    return parts.join('\n');
"#;

async fn wait_for(b: &Browser, what: &str, pred: impl Fn(&str) -> bool) -> String {
    let deadline = Instant::now() + Duration::from_secs(20);
    loop {
        // Read without failing: the page may be reloading.
        let text = b
            .client
            .execute(PAGE_TEXT, vec![])
            .await
            .ok()
            .and_then(|v| v.as_str().map(str::to_string))
            .unwrap_or_default();
        if pred(&text) {
            return text;
        }
        assert!(
            Instant::now() < deadline,
            "timed out waiting for {what}; the page says:\n{text}"
        );
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn a_save_shows_in_the_open_page_and_errors_show_over_it_until_fixed() {
    let Some(browser) = Browser::start().await else {
        return;
    };
    let (_tmp, root) = support::example_handbook(None);
    let serve = Serve::start(&root);
    let b = &browser;
    b.open(&format!("{}guide/how-we-measure/", serve.url)).await;
    wait_for(b, "the page", |t| t.contains("How we measure")).await;

    // A save: the open page shows it without anyone touching it.
    let file = root.join("content/guide/how-we-measure.md");
    let original = std::fs::read_to_string(&file).expect("the page's source");
    std::fs::write(
        &file,
        format!("{original}\nA paragraph saved a moment ago.\n"),
    )
    .expect("save");
    wait_for(b, "the saved paragraph", |t| {
        t.contains("A paragraph saved a moment ago.")
    })
    .await;

    // A broken save: the overlay names the file and the line; the last
    // good page stays under it.
    let broken = original.replacen("title:", "titel:", 1);
    std::fs::write(&file, &broken).expect("save a broken file");
    let text = wait_for(b, "the error overlay", |t| {
        t.contains("content/guide/how-we-measure.md:2:1")
    })
    .await;
    assert!(text.contains("unknown field `titel`"), "{text}");
    assert!(text.contains("did you mean `title`?"), "{text}");
    assert!(
        text.contains("A paragraph saved a moment ago."),
        "the last good page stays"
    );

    // Fixed: the overlay goes away.
    std::fs::write(&file, &original).expect("fix the file");
    wait_for(b, "the overlay to go", |t| {
        !t.contains("how-we-measure.md:2:1") && !t.contains("A paragraph saved a moment ago.")
    })
    .await;
    browser.close().await;
}

/// The Content-Security-Policy violations the page has had since it
/// started loading (the Reporting API keeps them for a late observer), as
/// `directive blocked-url at source:line` lines.
async fn csp_violations(b: &Browser) -> Vec<String> {
    let script = r#"
        const done = arguments[arguments.length - 1];
        const line = (r) => `${r.body.effectiveDirective} ${r.body.blockedURL} at ${r.body.sourceFile}:${r.body.lineNumber}`;
        const seen = [];
        const observer = new ReportingObserver(
          (reports) => { for (const r of reports) seen.push(line(r)); },
          { types: ["csp-violation"], buffered: true },
        );
        observer.observe();
        // Reports are handed over asynchronously: give them a moment.
        setTimeout(() => {
          for (const r of observer.takeRecords()) seen.push(line(r));
          done(seen);
        }, 300);
    "#;
    let value = b.run_async(script, vec![]).await;
    serde_json::from_value(value).expect("a list of reports")
}

/// Waits for the page to have loaded and its deferred scripts to have run.
async fn loaded(b: &Browser) {
    let deadline = Instant::now() + Duration::from_secs(20);
    while b
        .client
        .execute("return document.readyState", vec![])
        .await
        .ok()
        .and_then(|v| v.as_str().map(str::to_string))
        .as_deref()
        != Some("complete")
    {
        assert!(Instant::now() < deadline, "the page never finished loading");
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn the_served_site_breaks_no_content_security_policy_and_still_reloads() {
    let Some(browser) = Browser::start().await else {
        return;
    };
    let (_tmp, root) = support::example_handbook(None);
    // A control: a page with an inline script, an inline handler and a
    // `javascript:` link, which the policy must block, and report (so no
    // report means none blocked).
    std::fs::create_dir_all(root.join("static")).expect("mkdir");
    std::fs::write(
        root.join("static/csp-probe.html"),
        "<!doctype html><html><head><title>probe</title></head><body>\
         <script>document.title = 'inline ran';</script>\
         <img src=\"/nothing.png\" onerror=\"document.title = 'handler ran'\">\
         <a id=\"js\" href=\"javascript:document.title = 'link ran'\">a link</a>\
         </body></html>",
    )
    .expect("write the probe");
    let serve = Serve::start(&root);
    let b = &browser;

    b.open(&format!("{}csp-probe.html", serve.url)).await;
    loaded(b).await;
    let probe = csp_violations(b).await;
    assert!(
        probe
            .iter()
            .any(|v| v.starts_with("script-src-elem inline")),
        "the inline script is reported: {probe:?}"
    );
    assert!(
        probe
            .iter()
            .any(|v| v.starts_with("script-src-attr inline")),
        "the inline handler is reported: {probe:?}"
    );
    b.click("#js").await;
    // Whether the blocked `javascript:` navigation is also *reported*
    // depends on the Chromium version (156 does, Debian bookworm's 148
    // does not); that it did not run is what matters, and is asserted
    // below once the reports had their moment.
    let _ = csp_violations(b).await;
    assert_eq!(b.title().await, "probe", "nothing inline ran");

    // Every kind of page: home, listings, an expert, a module, a path, the
    // plan, the guidelines, the generated topic and gaps pages, an alias
    // (a redirect page with an inline style) and the 404 page.
    for path in [
        "",
        "experts/",
        "experts/mari-oksanen/",
        "training/",
        "training/presentation-training/",
        "onboarding/new-hire/",
        "plan/",
        "guidelines/",
        "guide/channels/",
        "experts/topics/",
        "experts/gaps/",
        "old/channels/",
        "no/such/page/",
    ] {
        b.open(&format!("{}{path}", serve.url)).await;
        loaded(b).await;
        let violations = csp_violations(b).await;
        assert!(violations.is_empty(), "/{path}: {violations:?}");
        if path == "old/channels/" {
            // The alias's `<meta http-equiv="refresh">` went through.
            assert_eq!(b.path().await, "/guide/channels/");
        }
    }

    // The search, which compiles Pagefind's WebAssembly core.
    serve.wait_for_search_index(Duration::from_secs(60));
    b.open(&format!("{}guide/", serve.url)).await;
    loaded(b).await;
    b.type_into("#site-search-input", "presenting").await;
    wait_until_results(b).await;
    let violations = csp_violations(b).await;
    assert!(violations.is_empty(), "searching: {violations:?}");

    // The live reload still connects and reloads under the policy.
    b.open(&format!("{}guide/how-we-measure/", serve.url)).await;
    wait_for(b, "the page", |t| t.contains("How we measure")).await;
    let file = root.join("content/guide/how-we-measure.md");
    let original = std::fs::read_to_string(&file).expect("the page's source");
    std::fs::write(&file, format!("{original}\nSaved under the policy.\n")).expect("save");
    wait_for(b, "the saved paragraph", |t| {
        t.contains("Saved under the policy.")
    })
    .await;
    let violations = csp_violations(b).await;
    assert!(violations.is_empty(), "after a reload: {violations:?}");

    // The error overlay (styled by a `<style>` in its shadow root).
    std::fs::write(&file, original.replacen("title:", "titel:", 1)).expect("break it");
    wait_for(b, "the error overlay", |t| {
        t.contains("unknown field `titel`")
    })
    .await;
    let violations = csp_violations(b).await;
    assert!(violations.is_empty(), "the error overlay: {violations:?}");
    std::fs::write(&file, &original).expect("fix it");
    browser.close().await;
}

/// Waits until the search panel lists at least one result.
async fn wait_until_results(b: &Browser) {
    let deadline = Instant::now() + Duration::from_secs(20);
    loop {
        let count = b
            .client
            .execute(
                "return document.querySelectorAll('.site-search-results a').length",
                vec![],
            )
            .await
            .ok()
            .and_then(|v| v.as_u64())
            .unwrap_or(0);
        if count > 0 {
            return;
        }
        assert!(Instant::now() < deadline, "the search found nothing");
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

/// The warnings panel of `live.js` as the page has it: `null` before any
/// warning, else whether it shows, its title, its list's text, how many
/// elements that text made (none: it is inserted as text), and how its
/// title is announced.
const WARNINGS_PANEL: &str = r#"
    const host = document.querySelector('esiin-warnings');
    if (!host) return null;
    const root = host.shadowRoot;
    const title = root.querySelector('h2');
    return {
      shown: getComputedStyle(host).display !== 'none',
      title: title.textContent,
      text: root.querySelector('.list').textContent,
      markup: root.querySelectorAll('.list i, .list b').length,
      live: title.getAttribute('aria-live'),
    };
"#;

async fn wait_for_panel(
    b: &Browser,
    what: &str,
    pred: impl Fn(&serde_json::Value) -> bool,
) -> serde_json::Value {
    let deadline = Instant::now() + Duration::from_secs(20);
    loop {
        let panel = b
            .client
            .execute(WARNINGS_PANEL, vec![])
            .await
            .unwrap_or(serde_json::Value::Null);
        if pred(&panel) {
            return panel;
        }
        assert!(
            Instant::now() < deadline,
            "timed out waiting for {what}; the warnings panel: {panel}"
        );
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

fn shown(panel: &serde_json::Value) -> bool {
    panel["shown"] == true
}

/// Whether the error overlay's panel is on top wherever it is: at its
/// corners and centre, the page's topmost element is the overlay.
const OVERLAY_ON_TOP: &str = r#"
    const host = document.querySelector('esiin-error-overlay');
    if (!host) return false;
    const r = host.shadowRoot.querySelector('.panel').getBoundingClientRect();
    const points = [
      [r.left + 2, r.top + 2], [r.right - 2, r.top + 2],
      [r.left + 2, r.bottom - 2], [r.right - 2, r.bottom - 2],
      [(r.left + r.right) / 2, (r.top + r.bottom) / 2],
    ];
    return points.every(([x, y]) => document.elementFromPoint(x, y) === host);
"#;

#[tokio::test(flavor = "multi_thread")]
async fn warnings_show_in_a_panel_that_stays_closed_until_they_change() {
    let Some(browser) = Browser::start().await else {
        return;
    };
    let (_tmp, root) = support::example_handbook(None);
    let serve = Serve::start(&root);
    let b = &browser;
    b.open(&format!("{}training/", serve.url)).await;

    // The example's warning from the start: a plan goal's topic no one covers.
    let panel = wait_for_panel(b, "the start's warning", shown).await;
    assert_eq!(panel["title"], "The handbook has 1 warning", "{panel}");
    let text = panel["text"].as_str().unwrap_or_default();
    assert!(
        text.contains("content/plan.md:24:14")
            && text.contains("expertise gap: no listed expert covers `SEO`")
            && text.contains("Hint: add `SEO` to the `topics` of an expert"),
        "{panel}"
    );
    assert_eq!(panel["live"], "polite", "announced politely");

    // Closed from the keyboard; still closed after a reload.
    // Focus the close button.
    b.run(
        "document.querySelector('esiin-warnings').shadowRoot.querySelector('button').focus()",
        vec![],
    )
    .await;
    b.press(fantoccini::key::Key::Enter).await;
    wait_for_panel(b, "the panel to close", |p| p["shown"] == false).await;
    b.reload().await;
    loaded(b).await;
    tokio::time::sleep(Duration::from_millis(500)).await;
    let panel = b.run(WARNINGS_PANEL, vec![]).await;
    assert!(!shown(&panel), "closed stays closed: {panel}");

    // A new warning, saved while serving: the panel is back, with both,
    // and the tag's markup shown as text.
    let file = root.join("content/training/first-blog-post.md");
    let original = std::fs::read_to_string(&file).expect("the module's source");
    let tagged = original.replacen(
        "tags: [blogging, copywriting]",
        r#"tags: [blogging, copywriting, "<i>quantum</i> knitting"]"#,
        1,
    );
    assert_ne!(tagged, original, "the module has the tags line");
    std::fs::write(&file, &tagged).expect("save");
    let panel = wait_for_panel(b, "the new warning", |p| {
        shown(p) && p["title"] == "The handbook has 2 warnings"
    })
    .await;
    let text = panel["text"].as_str().unwrap_or_default();
    assert!(
        text.contains("content/training/first-blog-post.md:")
            && text.contains("no listed expert covers `<i>quantum</i> knitting`"),
        "{panel}"
    );
    assert_eq!(panel["markup"], 0, "inserted as text: {panel}");

    // Escape closes it too.
    // Focus the list.
    b.run(
        "document.querySelector('esiin-warnings').shadowRoot.querySelector('.list').focus()",
        vec![],
    )
    .await;
    b.press(fantoccini::key::Key::Escape).await;
    wait_for_panel(b, "Escape to close the panel", |p| p["shown"] == false).await;

    // The error overlay still works, and no warning covers it.
    let module = std::fs::read_to_string(&file).expect("the module's source");
    std::fs::write(&file, module.replacen("title:", "titel:", 1)).expect("break it");
    wait_for(b, "the error overlay", |t| {
        t.contains("unknown field `titel`")
    })
    .await;
    std::fs::write(&file, &original).expect("fix it, dropping the tag");
    wait_for(b, "the overlay to go", |t| {
        !t.contains("unknown field `titel`")
    })
    .await;
    let panel = wait_for_panel(b, "the one warning again", |p| {
        shown(p) && p["title"] == "The handbook has 1 warning"
    })
    .await;
    assert!(
        !panel["text"]
            .as_str()
            .unwrap_or_default()
            .contains("quantum")
    );

    // With both showing, the overlay is on top.
    std::fs::write(&file, original.replacen("title:", "titel:", 1)).expect("break it");
    wait_for(b, "the error overlay", |t| {
        t.contains("unknown field `titel`")
    })
    .await;
    let on_top = b.run(OVERLAY_ON_TOP, vec![]).await;
    assert_eq!(on_top, true, "the warnings panel covers the error overlay");
    let panel = b.run(WARNINGS_PANEL, vec![]).await;
    assert!(shown(&panel), "a failed build keeps the warnings: {panel}");
    browser.close().await;
}
