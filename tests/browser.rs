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
