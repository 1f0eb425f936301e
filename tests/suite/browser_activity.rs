//! Activity in headless Chromium (issue #16), on the example handbook: the
//! share kit on an expert's own profile (the exact campaign-tagged links
//! for an item on the company's domain, none for an item elsewhere, each
//! opening in a new tab), and "Recently shared" on the home page, newest
//! first, without the unlisted expert's work.

use crate::support;

use support::browser::{Browser, example_site};

/// The `href`s of the elements `css` selects, in order.
async fn hrefs(b: &Browser, css: &str) -> Vec<String> {
    let found = b
        .run(
            "return [...document.querySelectorAll(arguments[0])].map(a => a.getAttribute('href'));",
            vec![serde_json::json!(css)],
        )
        .await;
    found
        .as_array()
        .cloned()
        .unwrap_or_default()
        .iter()
        .map(|v| v.as_str().unwrap_or_default().to_string())
        .collect()
}

/// The share links of Hanna Salminen's items: the company's own post has
/// LinkedIn (the one sharing channel she lists) and e-mail, the shared
/// address tagged; her LinkedIn article (another domain) has none.
#[tokio::test(flavor = "multi_thread")]
async fn the_share_kit_links_are_the_tagged_urls() {
    let Some(browser) = Browser::start().await else {
        return;
    };
    let (_tmp, server) = example_site();
    let b = &browser;
    b.open(&format!("{}experts/hanna-salminen/", server.base))
        .await;
    let items = b
        .run(
            "return [...document.querySelectorAll('.profile-activity .activity-item')].map(li =>
               [li.querySelector('.activity-title a').textContent, li.querySelectorAll('.share-link').length]);",
            vec![],
        )
        .await;
    assert_eq!(
        items,
        serde_json::json!([
            ["How we built the expert handbook (video)", 0],
            ["Kuulas-podcast: Markkinointi ja asiantuntijuus", 2],
            ["Employer branding that engineers don't hate", 0],
            ["Asiantuntijat esiin: miksi brändi rakentuu ihmisistä", 2],
        ])
    );
    let post = ".profile-activity .activity-item:nth-child(4)";
    let tagged = |source: &str| {
        format!(
            "https%3A%2F%2Fkuulas.example%2Fblogi%2Fasiantuntijat-esiin%3Futm_source%3D{source}\
             %26utm_medium%3Dsocial%26utm_campaign%3Dexpert-visibility%26utm_content%3Dhanna-salminen"
        )
    };
    let title = "Asiantuntijat%20esiin%3A%20miksi%20br%C3%A4ndi%20rakentuu%20ihmisist%C3%A4";
    assert_eq!(
        hrefs(b, &format!("{post} .share-link")).await,
        [
            format!(
                "https://www.linkedin.com/sharing/share-offsite/?url={}",
                tagged("linkedin")
            ),
            format!("mailto:?subject={title}&body={}", tagged("email")),
        ]
    );
    // Folded under "Share" until the expert opens it; then each link is
    // shown, opening in a new tab without handing it the profile.
    assert!(!b.shown(&format!("{post} .share-link")).await);
    b.click(&format!("{post} .activity-share summary")).await;
    assert!(b.shown(&format!("{post} .share-linkedin")).await);
    assert_eq!(
        b.attr(&format!("{post} .share-linkedin"), "target")
            .await
            .as_deref(),
        Some("_blank")
    );
    assert_eq!(
        b.attr(&format!("{post} .share-linkedin"), "rel")
            .await
            .as_deref(),
        Some("noopener")
    );
    // Named for a screen reader too: "Share on LinkedIn (opens in a new tab)".
    let label = b.text(&format!("{post} .share-linkedin")).await;
    assert!(label.starts_with("Share on LinkedIn"), "{label}");
    // The home page and a team page show the work, never the kit.
    b.open(&server.base).await;
    assert!(!b.has(".share-link").await);
    b.open(&format!("{}experts/teams/marketing/", server.base))
        .await;
    assert!(b.has(".team-shared .activity-item").await);
    assert!(!b.has(".share-link").await);
    browser.close().await;
}

/// "Recently shared" on the home page: eight items, newest first, each
/// linking its expert; not the unlisted Tuomas's work.
#[tokio::test(flavor = "multi_thread")]
async fn recently_shared_is_newest_first() {
    let Some(browser) = Browser::start().await else {
        return;
    };
    let (_tmp, server) = example_site();
    let b = &browser;
    b.open(&server.base).await;
    let rows = b
        .run(
            "return [...document.querySelectorAll('.home-shared .activity-item')].map(li =>
               [li.querySelector('time').getAttribute('datetime'),
                li.querySelector('.activity-title a').textContent,
                li.querySelector('.activity-expert a').textContent]);",
            vec![],
        )
        .await;
    let rows = rows.as_array().cloned().unwrap_or_default();
    assert_eq!(rows.len(), 8, "{rows:?}");
    let dates: Vec<&str> = rows.iter().map(|r| r[0].as_str().unwrap_or("")).collect();
    let mut sorted = dates.clone();
    sorted.sort_by(|a, b| b.cmp(a));
    assert_eq!(dates, sorted, "not newest first");
    assert_eq!(
        rows[0],
        serde_json::json!([
            "2026-11-25",
            "Myyjän ja asiantuntijan yhteispeli",
            "Petri Niemi"
        ])
    );
    let page = b.source().await;
    assert!(
        !page.contains("Postgres-indeksit"),
        "the unlisted expert's work is shown"
    );
    // The feed is linked from the list and from the page head.
    assert_eq!(
        hrefs(b, "link[rel=alternate][type='application/atom+xml']").await,
        ["/handbook/activity.xml"]
    );
    assert_eq!(
        hrefs(b, ".home-shared .listing-more a").await,
        ["/handbook/activity.xml"]
    );
    browser.close().await;
}
