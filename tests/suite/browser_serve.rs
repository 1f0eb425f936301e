//! The editor's loop in a real browser: `esiin serve` on a copy of the
//! example handbook, a page open in headless Chromium, and the page's
//! source edited, broken and fixed on disk.

use crate::common;
use crate::harness;

use std::time::{Duration, Instant};

use common::serve::Serve;
use harness::Browser;

/// Everything the page shows, the error overlay's shadow root included.
const PAGE_TEXT: &str = r#"
    const parts = [document.body.innerText];
    for (const el of document.querySelectorAll('*')) {
      if (el.shadowRoot) parts.push(el.shadowRoot.textContent);
    }
    return parts.join('\n');
"#;

async fn wait_for(c: &fantoccini::Client, what: &str, pred: impl Fn(&str) -> bool) -> String {
    let deadline = Instant::now() + Duration::from_secs(20);
    loop {
        let text = c
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
    let (_tmp, root) = harness::example_handbook(None);
    let serve = Serve::start(&root);
    let c = &browser.client;
    c.goto(&format!("{}guide/how-we-measure/", serve.url))
        .await
        .expect("open the page");
    wait_for(c, "the page", |t| t.contains("How we measure")).await;

    // A save: the open page shows it without anyone touching it.
    let file = root.join("content/guide/how-we-measure.md");
    let original = std::fs::read_to_string(&file).expect("the page's source");
    std::fs::write(
        &file,
        format!("{original}\nA paragraph saved a moment ago.\n"),
    )
    .expect("save");
    wait_for(c, "the saved paragraph", |t| {
        t.contains("A paragraph saved a moment ago.")
    })
    .await;

    // A broken save: the overlay names the file and the line; the last
    // good page stays under it.
    let broken = original.replacen("title:", "titel:", 1);
    std::fs::write(&file, &broken).expect("save a broken file");
    let text = wait_for(c, "the error overlay", |t| {
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
    wait_for(c, "the overlay to go", |t| {
        !t.contains("how-we-measure.md:2:1") && !t.contains("A paragraph saved a moment ago.")
    })
    .await;
    browser.close().await;
}
