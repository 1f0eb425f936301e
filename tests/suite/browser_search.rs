//! Search in headless Chromium: the example handbook built under a
//! `base_url` with a path, served by a plain static server, searched as a
//! person would — typing, with the keyboard only.

use crate::support;

use std::time::{Duration, Instant};

use fantoccini::key::Key;
use support::browser::{Browser, StaticServer, example_site};

/// A result as shown: title, kind label, link, section line, excerpt HTML.
#[derive(Debug, serde::Deserialize)]
struct Hit {
    title: String,
    kind: String,
    href: String,
    section: String,
    excerpt: String,
}

/// Types `query` into the search box (replacing what is there) and
/// returns the results once the list has settled for this query.
async fn search(b: &Browser, query: &str) -> (String, Vec<Hit>) {
    b.element("#site-search-input")
        .await
        .clear()
        .await
        .expect("clear the search box");
    b.type_into("#site-search-input", query).await;
    let deadline = Instant::now() + Duration::from_secs(15);
    let mut last = String::new();
    loop {
        let v = b
            .run(
                r#"const panel = document.querySelector('.site-search-panel');
                const status = document.querySelector('.site-search-status').textContent;
                const hits = [...document.querySelectorAll('.site-search-results a')].map(a => ({
                  title: a.querySelector('.site-search-title').textContent,
                  kind: a.querySelector('.site-search-kind').textContent,
                  href: a.getAttribute('href'),
                  section: a.querySelector('.site-search-section')?.textContent ?? '',
                  excerpt: a.querySelector('.site-search-excerpt').innerHTML,
                }));
                return { open: !panel.hidden, status, hits };"#,
                vec![],
            )
            .await;
        let key = v.to_string();
        // Settled: open, and the same twice in a row (typing is debounced).
        if v["open"] == serde_json::Value::Bool(true) && key == last {
            let status = v["status"].as_str().unwrap_or_default().to_string();
            let hits = serde_json::from_value(v["hits"].clone()).expect("hits");
            return (status, hits);
        }
        assert!(
            Instant::now() < deadline,
            "no results settled for {query:?}: {key}"
        );
        last = key;
        tokio::time::sleep(Duration::from_millis(300)).await;
    }
}

fn hrefs(hits: &[Hit]) -> Vec<&str> {
    hits.iter().map(|h| h.href.as_str()).collect()
}

#[tokio::test(flavor = "multi_thread")]
async fn finnish_and_english_words_find_the_right_page_and_expert_first() {
    let Some(browser) = Browser::start().await else {
        return;
    };
    let (_tmp, server) = example_site();
    let b = &browser;
    b.open(&format!("{}guide/", server.base)).await;

    // A Finnish inflected form that is nowhere in the handbook finds the
    // training pages (koulutus, koulutukset, koulutuksessa, …) on this
    // `language: en` handbook, with the matched words marked.
    let (_, hits) = search(b, "koulutuksista").await;
    assert!(
        hits.first()
            .is_some_and(|h| h.href.starts_with("/handbook/training/")),
        "{hits:#?}"
    );
    assert!(hrefs(&hits).contains(&"/handbook/training/"), "{hits:#?}");
    assert!(hits[0].excerpt.contains("<mark>"), "{hits:#?}");
    // A match inside a section links to its heading, and says which.
    let (_, hits) = search(b, "koulutukseen").await;
    let first = &hits[0];
    assert_eq!(
        first.href, "/handbook/training/first-blog-post/#ennen-koulutukseen-tuloa",
        "{hits:#?}"
    );
    assert!(
        first.section.contains("Ennen koulutukseen tuloa"),
        "{first:?}"
    );

    // English stemming: `presenting` finds the presentation training first.
    let (_, hits) = search(b, "presenting").await;
    assert_eq!(
        hits[0].href, "/handbook/training/presentation-training/",
        "{hits:#?}"
    );
    assert_eq!(hits[0].kind, "Training");
    assert_eq!(hits[0].title, "Presentation training");

    // Experts by topic rank above pages that merely mention the word.
    let (status, hits) = search(b, "rust").await;
    assert_eq!(status, "4 results");
    let kinds: Vec<&str> = hits.iter().map(|h| h.kind.as_str()).collect();
    assert_eq!(kinds[..2], ["Expert", "Expert"], "{hits:#?}");
    assert!(kinds[2..].iter().all(|k| *k != "Expert"), "{hits:#?}");
    let (_, hits) = search(b, "on-call").await;
    assert_eq!(hits[0].href, "/handbook/experts/jukka-maki/", "{hits:#?}");
    // An expert's excerpt starts at the topics, not inside the name.
    let (_, hits) = search(b, "kubernetes").await;
    assert_eq!(hits[0].href, "/handbook/experts/jukka-maki/", "{hits:#?}");
    assert!(
        hits[0].excerpt.starts_with("<mark>kubernetes</mark>"),
        "{hits:#?}"
    );

    // Never the unlisted expert (Tuomas Lehtinen), never a draft (Podcast
    // ideas), whatever words of theirs are typed.
    for q in [
        "tuomas",
        "lehtinen",
        "accessibility",
        "keyboard navigation",
        "podcast ideas",
        "work in progress",
    ] {
        let (_, hits) = search(b, q).await;
        for h in &hits {
            assert!(
                !h.href.contains("tuomas") && !h.href.contains("podcast-ideas"),
                "{q:?} found {h:?}"
            );
        }
    }
    // ä is not a: `sää` matches no `saa…` word.
    let (_, hits) = search(b, "sää").await;
    assert!(
        hits.iter()
            .all(|h| !h.excerpt.to_lowercase().contains("<mark>saa")),
        "{hits:#?}"
    );
    browser.close().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn search_works_with_the_keyboard_only() {
    let Some(browser) = Browser::start().await else {
        return;
    };
    let (_tmp, server) = example_site();
    let b = &browser;
    b.open(&format!("{}plan/", server.base)).await;
    let active = || {
        b.run(
            "const a = document.activeElement; return a.id || a.getAttribute('href') || a.tagName;",
            vec![],
        )
    };
    // `/` jumps to the search box.
    b.type_into("body", "/").await;
    assert_eq!(active().await, "site-search-input");
    let (_, hits) = search(b, "kubernetes").await;
    assert_eq!(hits[0].href, "/handbook/experts/jukka-maki/", "{hits:#?}");
    // ↓ into the results, ↓ ↑ between them, Esc back to the box.
    b.type_into("#site-search-input", &Key::Down.to_string())
        .await;
    assert_eq!(active().await, "/handbook/experts/jukka-maki/");
    b.focused()
        .await
        .send_keys(&Key::Escape.to_string())
        .await
        .expect("press Escape");
    assert_eq!(active().await, "site-search-input");
    b.type_into("#site-search-input", &Key::Down.to_string())
        .await;
    // Enter follows the result, under the base path.
    b.focused()
        .await
        .send_keys(&Key::Enter.to_string())
        .await
        .expect("press Enter");
    let deadline = Instant::now() + Duration::from_secs(10);
    while b.path().await != "/handbook/experts/jukka-maki/" {
        assert!(Instant::now() < deadline, "Enter did not open the result");
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    browser.close().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn without_javascript_the_box_is_not_shown() {
    let Some(browser) = Browser::start_without_js().await else {
        return;
    };
    let (_tmp, server) = example_site();
    let b = &browser;
    b.open(&server.base).await;
    let shown = b.shown("#site-search").await;
    assert!(!shown, "a search box that cannot work is hidden");
    let note = b.text(".site-search-nojs").await;
    assert_eq!(note, "Search needs JavaScript.");
    browser.close().await;
}

/// Bytes a query transfers on a large handbook (the issue's benchmark):
/// `ESIIN_SEARCH_SITE=/dev/shm/h10k-out ESIIN_SEARCH_PREFIX=/handbook/
/// cargo test --test suite measure_bytes -- --ignored --nocapture`. Prints, for
/// each query in a fresh page, every search file loaded and the total.
#[tokio::test(flavor = "multi_thread")]
#[ignore = "a measurement on a built benchmark handbook"]
async fn measure_bytes_per_query() {
    let Ok(site) = std::env::var("ESIIN_SEARCH_SITE") else {
        eprintln!("set ESIIN_SEARCH_SITE to a built handbook");
        return;
    };
    let prefix: &'static str = std::env::var("ESIIN_SEARCH_PREFIX")
        .map(|p| &*Box::leak(p.into_boxed_str()))
        .unwrap_or("/");
    let Some(browser) = Browser::start().await else {
        return;
    };
    let server = StaticServer::start(site.into(), prefix);
    let b = &browser;
    let queries = std::env::var("ESIIN_SEARCH_QUERIES")
        .unwrap_or_else(|_| "kubernetes,koulutukseen,presenting,public speaking".into());
    for q in queries.split(',') {
        b.open(&server.base).await;
        let (status, _) = search(b, q).await;
        let v = b
            .run(
                r#"return performance.getEntriesByType('resource')
                  .filter(e => e.name.includes('/search/'))
                  .map(e => [e.name.replace(/^.*\/search\//, ''), e.encodedBodySize]);"#,
                vec![],
            )
            .await;
        let files: Vec<(String, u64)> = serde_json::from_value(v).expect("entries");
        let total: u64 = files.iter().map(|f| f.1).sum();
        eprintln!(
            "query {q:?} ({status}): {total} bytes in {} files",
            files.len()
        );
        for (name, size) in &files {
            eprintln!("    {size:>8}  {name}");
        }
    }
    browser.close().await;
}

/// `esiin serve` serves the search too, and rebuilds it (after the pages,
/// on a thread of its own) when a save changes what it finds.
#[tokio::test(flavor = "multi_thread")]
async fn search_works_from_serve_and_follows_saves() {
    let Some(browser) = Browser::start().await else {
        return;
    };
    let (_tmp, root) = support::example_handbook(None);
    let serve = support::serve::Serve::start(&root);
    // serve builds the index after the pages: wait for the first one.
    serve.wait_for_search_index(Duration::from_secs(60));
    let b = &browser;
    b.open(&format!("{}guide/", serve.url)).await;
    let (_, hits) = search(b, "presenting").await;
    assert_eq!(
        hits[0].href, "/training/presentation-training/",
        "{hits:#?}"
    );

    // A word no page has yet, saved at the end of one (in its last
    // section): found once the index caught up.
    let page = root.join("content/training/presentation-training.md");
    let text = std::fs::read_to_string(&page).expect("read the page");
    std::fs::write(&page, format!("{text}\nBring your kazoovalaatikko.\n")).expect("save");
    let deadline = Instant::now() + Duration::from_secs(60);
    loop {
        b.open(&format!("{}guide/", serve.url)).await;
        let (_, hits) = search(b, "kazoovalaatikko").await;
        if hits
            .first()
            .is_some_and(|h| h.href.starts_with("/training/presentation-training/#"))
        {
            break;
        }
        assert!(
            Instant::now() < deadline,
            "the saved word was never found: {hits:#?}\n{}",
            serve.log().join("\n")
        );
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
}
