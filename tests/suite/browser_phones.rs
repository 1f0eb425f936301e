//! Phones and the header in headless Chromium: no page scrolls sideways
//! on a phone, the top navigation folds into a menu button there, the
//! directory's filters are in view on a laptop, and the header search
//! stays in the header's row on wide screens.

use crate::support;

use std::time::{Duration, Instant};

use fantoccini::key::Key;

use support::browser::{Browser, eventually, example_site};

/// Sizes the window so that the page's viewport is `width` × `height` CSS
/// pixels (the window's frame, if any, is added on top), and waits until
/// the page has been laid out at that width.
async fn viewport(b: &Browser, width: u32, height: u32) {
    let mut w = width;
    let mut h = height;
    for _ in 0..3 {
        b.client
            .set_window_size(w, h)
            .await
            .unwrap_or_else(|e| panic!("cannot size the window to {w}×{h}: {e}"));
        let inner = b
            .run("return [window.innerWidth, window.innerHeight];", vec![])
            .await;
        let (iw, ih) = (
            inner[0].as_u64().unwrap_or(0) as u32,
            inner[1].as_u64().unwrap_or(0) as u32,
        );
        if iw == width && ih == height {
            return;
        }
        w = (w + width).saturating_sub(iw);
        h = (h + height).saturating_sub(ih);
    }
}

/// Every kind of page of the example handbook, under the site's base.
const PAGE_KINDS: &[(&str, &str)] = &[
    ("home", ""),
    ("section", "guide/"),
    ("page", "guide/finding-your-channel/"),
    ("expert profile", "experts/aino-virtanen/"),
    ("directory", "experts/"),
    ("module catalogue", "training/"),
    ("module", "training/first-blog-post/"),
    ("plan", "plan/"),
    ("guidelines", "guidelines/"),
    ("onboarding section", "onboarding/"),
    ("onboarding path", "onboarding/new-hire/"),
    ("topics", "experts/topics/"),
    ("topic", "experts/topics/rust/"),
    ("expertise gaps", "experts/gaps/"),
    ("not found", "no-such-page/"),
];

/// What sticks out sideways: the page's scroll width against the width
/// the page is laid out in (`clientWidth`, which leaves out a classic
/// scroll bar, so this is stricter than the window's width), and every
/// element reaching past either edge that is not inside an element
/// scrolling (or clipping) on its own, such as a wide table's wrapper.
const OVERFLOW: &str = r#"
    const root = document.documentElement, width = root.clientWidth;
    const ownScroll = (el) => {
      for (let p = el.parentElement; p && p !== document.body && p !== root; p = p.parentElement) {
        if (['auto', 'scroll', 'hidden', 'clip'].includes(getComputedStyle(p).overflowX)) return true;
      }
      return false;
    };
    const out = [];
    for (const el of document.body.querySelectorAll('*')) {
      const r = el.getBoundingClientRect();
      if (r.width === 0 || (r.right <= width + 0.5 && r.left >= -0.5) || ownScroll(el)) continue;
      out.push(`${el.tagName.toLowerCase()}.${[...el.classList].join('.')} ${Math.round(r.left)}..${Math.round(r.right)}`);
    }
    return { scroll: root.scrollWidth, width, out: out.slice(0, 10) };
"#;

/// Fails naming the page and what sticks out when `what` scrolls sideways.
async fn assert_no_sideways_scroll(b: &Browser, what: &str) {
    let v = b.run(OVERFLOW, vec![]).await;
    let scroll = v["scroll"].as_u64().unwrap_or(u64::MAX);
    let width = v["width"].as_u64().unwrap_or(0);
    let out = v["out"].as_array().map(Vec::len).unwrap_or(1);
    assert!(
        scroll <= width && out == 0,
        "{what} scrolls sideways: {v} at {}",
        b.url().await
    );
}

/// Opens the search box and types a word many pages have, and waits for
/// the results panel to show its results.
async fn open_search(b: &Browser, what: &str) {
    b.click("#site-search-input").await;
    b.type_into("#site-search-input", "visible").await;
    let deadline = Instant::now() + Duration::from_secs(15);
    loop {
        let shown = b
            .run(
                "const p = document.querySelector('.site-search-panel');
                 return !p.hidden && document.querySelectorAll('.site-search-results a').length > 0;",
                vec![],
            )
            .await;
        if shown == serde_json::Value::Bool(true) {
            return;
        }
        assert!(Instant::now() < deadline, "{what}: no search results shown");
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn no_page_scrolls_sideways_on_a_phone() {
    let Some(browser) = Browser::start().await else {
        return;
    };
    let (_tmp, server) = example_site();
    let b = &browser;
    for width in [320, 360, 390] {
        viewport(b, width, 800).await;
        for (kind, path) in PAGE_KINDS {
            b.open(&format!("{}{path}", server.base)).await;
            assert_no_sideways_scroll(b, &format!("the {kind} at {width} px")).await;
        }
        b.open(&server.base).await;
        let what = format!("the home page with search open at {width} px");
        open_search(b, &what).await;
        assert_no_sideways_scroll(b, &what).await;
        let panel = b
            .run(
                "const r = document.querySelector('.site-search-panel').getBoundingClientRect();
                 return [r.left, r.right, document.documentElement.clientWidth];",
                vec![],
            )
            .await;
        let (left, right, client) = (
            panel[0].as_f64().unwrap_or(-1.0),
            panel[1].as_f64().unwrap_or(f64::MAX),
            panel[2].as_f64().unwrap_or(0.0),
        );
        assert!(
            left >= 0.0 && right <= client,
            "{what}: the results panel is not inside the screen: {panel}"
        );
    }
    browser.close().await;
}

/// The top navigation's links: `[shown, on top at its centre]` for each
/// (on top: what a tap there would reach is the link itself).
const NAV_LINKS: &str = r#"
    return [...document.querySelectorAll('.site-nav a')].map((a) => {
      const r = a.getBoundingClientRect();
      const shown = r.width > 0 && r.height > 0 && getComputedStyle(a).visibility === 'visible';
      const hit = shown && document.elementFromPoint(r.left + r.width / 2, r.top + r.height / 2);
      return { text: a.textContent.trim(), shown, onTop: !!hit && (hit === a || a.contains(hit)) };
    });
"#;

/// The navigation's links as `(text, shown, on top)`.
async fn nav_links(b: &Browser) -> Vec<(String, bool, bool)> {
    let v = b.run(NAV_LINKS, vec![]).await;
    v.as_array()
        .expect("a list of links")
        .iter()
        .map(|l| {
            (
                l["text"].as_str().unwrap_or_default().to_string(),
                l["shown"] == serde_json::Value::Bool(true),
                l["onTop"] == serde_json::Value::Bool(true),
            )
        })
        .collect()
}

/// Whether the focus is on the menu button.
async fn menu_button_focused(b: &Browser) -> bool {
    b.run(
        "return document.activeElement === document.querySelector('.nav-toggle');",
        vec![],
    )
    .await
        == serde_json::Value::Bool(true)
}

#[tokio::test(flavor = "multi_thread")]
async fn on_a_phone_the_navigation_opens_from_a_menu_button() {
    let Some(browser) = Browser::start().await else {
        return;
    };
    let (_tmp, server) = example_site();
    let b = &browser;
    viewport(b, 390, 800).await;
    b.open(&format!("{}guide/", server.base)).await;

    // Folded: a button labelled "Menu", saying it is closed, naming the nav.
    assert!(b.shown(".nav-toggle").await, "no menu button at 390 px");
    assert_eq!(b.text(".nav-toggle").await.trim(), "Menu");
    assert_eq!(
        b.attr(".nav-toggle", "aria-expanded").await.as_deref(),
        Some("false")
    );
    assert_eq!(
        b.attr(".nav-toggle", "aria-controls").await.as_deref(),
        Some("site-nav")
    );
    let folded = nav_links(b).await;
    assert_eq!(folded.len(), 6, "the example's six sections: {folded:?}");
    assert!(folded.iter().all(|(_, shown, _)| !shown), "{folded:?}");

    // Open by tapping: every link shown, and a tap on it reaches it.
    b.click(".nav-toggle").await;
    assert_eq!(
        b.attr(".nav-toggle", "aria-expanded").await.as_deref(),
        Some("true")
    );
    let open = nav_links(b).await;
    assert!(
        open.iter().all(|(_, shown, top)| *shown && *top),
        "{open:?}"
    );

    // Escape closes it and gives the focus back to the button.
    b.run("document.querySelector('.site-nav a').focus();", vec![])
        .await;
    b.press(Key::Escape).await;
    assert_eq!(
        b.attr(".nav-toggle", "aria-expanded").await.as_deref(),
        Some("false")
    );
    assert!(
        menu_button_focused(b).await,
        "Escape leaves the focus on the button"
    );
    assert!(nav_links(b).await.iter().all(|(_, shown, _)| !shown));

    // The keyboard alone: Enter opens it, Tab reaches the first link.
    b.press(Key::Enter).await;
    assert_eq!(
        b.attr(".nav-toggle", "aria-expanded").await.as_deref(),
        Some("true")
    );
    b.press(Key::Tab).await;
    let first = b
        .run("return document.activeElement.textContent.trim();", vec![])
        .await;
    assert_eq!(
        first,
        serde_json::json!(open[0].0),
        "Tab goes into the open menu"
    );
    b.press(Key::Escape).await;
    assert!(menu_button_focused(b).await);

    // Escape in the search box is the search's, and leaves the menu open.
    b.click(".nav-toggle").await;
    b.click("#site-search-input").await;
    b.press(Key::Escape).await;
    assert_eq!(
        b.attr(".nav-toggle", "aria-expanded").await.as_deref(),
        Some("true"),
        "Escape in the search box closed the menu"
    );
    b.click(".nav-toggle").await;

    // A click on a link leads there.
    b.click(".nav-toggle").await;
    b.click_link("Training").await;
    assert_eq!(b.path().await, "/handbook/training/");

    // On a laptop there is no button, and the navigation is all there.
    viewport(b, 1366, 900).await;
    assert!(!b.shown(".nav-toggle").await, "a menu button at 1366 px");
    let wide = nav_links(b).await;
    assert!(
        wide.iter().all(|(_, shown, top)| *shown && *top),
        "{wide:?}"
    );
    browser.close().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn without_javascript_the_navigation_wraps_on_a_phone() {
    let Some(browser) = Browser::start_without_js().await else {
        return;
    };
    let (_tmp, server) = example_site();
    let b = &browser;
    viewport(b, 360, 800).await;
    b.open(&format!("{}guide/", server.base)).await;
    assert!(
        !b.shown(".nav-toggle").await,
        "a button that would do nothing"
    );
    let links = nav_links(b).await;
    assert_eq!(links.len(), 6);
    assert!(
        links.iter().all(|(_, shown, top)| *shown && *top),
        "{links:?}"
    );
    assert_no_sideways_scroll(b, "the section without JavaScript at 360 px").await;
    browser.close().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn the_header_search_shares_the_title_row_from_1024_to_1920_px() {
    let Some(browser) = Browser::start().await else {
        return;
    };
    let (_tmp, server) = example_site();
    let b = &browser;
    b.open(&format!("{}plan/", server.base)).await;
    for width in [1024, 1280, 1920] {
        viewport(b, width, 900).await;
        let v = b
            .run(
                "const rect = (css) => document.querySelector(css).getBoundingClientRect();
                 const title = rect('.site-title'), search = rect('.site-search-input'), nav = rect('.site-nav');
                 return { title: [title.top, title.bottom], search: [search.top, search.bottom], nav: nav.top };",
                vec![],
            )
            .await;
        let num = |x: &serde_json::Value| x.as_f64().unwrap_or(f64::NAN);
        let (title_top, title_bottom) = (num(&v["title"][0]), num(&v["title"][1]));
        let (search_top, search_bottom) = (num(&v["search"][0]), num(&v["search"][1]));
        // One row: the box spans the title's line, centred on it, and the
        // navigation starts below both.
        assert!(
            search_top <= title_top + 0.5
                && search_bottom >= title_bottom - 0.5
                && ((search_top + search_bottom) - (title_top + title_bottom)).abs() <= 4.0
                && num(&v["nav"]) >= search_bottom,
            "at {width} px the search box is not in the title's row: {v}"
        );
    }
    browser.close().await;
}

/// The top of the directory's filter bar, and whether the onboarding box
/// is shown.
async fn directory_top(b: &Browser) -> (f64, bool) {
    let v = b
        .run(
            "const box = document.querySelector('.path-box');
             return [document.querySelector('.filter-bar').getBoundingClientRect().top,
                     !!box && box.getBoundingClientRect().height > 0];",
            vec![],
        )
        .await;
    (
        v[0].as_f64().unwrap_or(f64::MAX),
        v[1] == serde_json::Value::Bool(true),
    )
}

#[tokio::test(flavor = "multi_thread")]
async fn the_directory_filters_are_in_view_on_a_laptop() {
    let Some(browser) = Browser::start().await else {
        return;
    };
    let (_tmp, server) = example_site();
    let b = &browser;
    viewport(b, 1366, 900).await;
    let directory = format!("{}experts/", server.base);

    // A fresh visitor: no onboarding box, the filters well inside the
    // screen, and the section's text (how to add yourself) after the list.
    b.open(&directory).await;
    let (top, boxed) = directory_top(b).await;
    assert!(!boxed, "a fresh visitor gets the onboarding box");
    assert!(top < 900.0, "the filters start at y = {top}");
    let after = b
        .run(
            "const about = document.querySelector('.directory-about');
             const list = document.querySelector('[data-directory-list]');
             return !!about && !!(list.compareDocumentPosition(about) & Node.DOCUMENT_POSITION_FOLLOWING);",
            vec![],
        )
        .await;
    assert_eq!(
        after,
        serde_json::Value::Bool(true),
        "the text comes after the list"
    );

    // Someone following the path (from its page) gets the box, and the
    // filters are still in view.
    b.open(&format!("{}onboarding/new-hire/", server.base))
        .await;
    b.click("ol.steps a[href$='/experts/']").await;
    let (top, boxed) = directory_top(b).await;
    assert!(
        boxed,
        "no onboarding box for a reader who came through the path"
    );
    assert!(top < 900.0, "with the box the filters start at y = {top}");

    // So does someone who has ticked a step off, coming back another day.
    // (The tick is saved by the click's handler, which a loaded machine
    // may run after the click returns: the directory is opened until then.)
    b.click(".path-box [data-step-check]").await;
    eventually(
        async || {
            b.open(&directory).await;
            directory_top(b).await.1
        },
        |boxed| *boxed,
        |_| "no box for a reader who started the path".to_string(),
    )
    .await;
    browser.close().await;
}

/// Each code block of the open page: (whether it scrolls, whether it is a
/// Tab stop).
async fn code_blocks(b: &Browser) -> Vec<(bool, bool)> {
    let v = b
        .run(
            "return Array.from(document.querySelectorAll('pre.code')).map(p =>
               [p.scrollWidth > p.clientWidth + 1 || p.scrollHeight > p.clientHeight + 1,
                p.getAttribute('tabindex') === '0']);",
            vec![],
        )
        .await;
    serde_json::from_value(v).expect("pairs of booleans")
}

/// A code block is a Tab stop exactly when it scrolls (a keyboard must be
/// able to scroll it; one that fits would only lengthen the Tab order), and
/// a narrower window that makes it scroll makes it one again.
#[tokio::test(flavor = "multi_thread")]
async fn a_code_block_is_a_tab_stop_only_when_it_scrolls() {
    let Some(browser) = Browser::start().await else {
        return;
    };
    let (_tmp, server) = example_site();
    let b = &browser;
    for page in ["guide/finding-your-channel/", "guide/how-we-measure/"] {
        b.open(&format!("{}{page}", server.base)).await;
        for width in [1366, 390, 1366] {
            viewport(b, width, 900).await;
            let want_any_fit = width == 1366 && page.contains("finding");
            eventually(
                async || code_blocks(b).await,
                |blocks| {
                    !blocks.is_empty()
                        && blocks.iter().all(|(scrolls, stop)| scrolls == stop)
                        && (!want_any_fit || blocks.iter().any(|(_, stop)| !stop))
                },
                |blocks| format!("{page} at {width} px: (scrolls, Tab stop) {blocks:?}"),
            )
            .await;
        }
    }
    browser.close().await;
}
