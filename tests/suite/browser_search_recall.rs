//! The search query set (issue #14): queries a reader types — base forms,
//! plurals, cases, possessives, consonant gradation, compounds, typos —
//! each with the page it must find in the top five, run through the
//! site's own search (`search.js` on Pagefind's runtime) in headless
//! Chromium, on the English example handbook (with the Finnish words it
//! holds) and on a Finnish fixture (`tests/fixtures/fi`). The figure is
//! recall@5 per handbook; `--nocapture` prints it and every miss.

use crate::support;

use support::browser::{Browser, StaticServer};
use support::{Handbook, build_on, example_handbook};

/// The English example (`content/`, base `/handbook/`): query → the page
/// it must find, relative to the base path.
const EN: &[(&str, &str)] = &[
    // Base forms and inflections of words on the pages.
    ("visibility", "plan/"),
    ("visible", "training/manager-coaching/"),
    ("visibility plan", "plan/"),
    ("kubernetes", "experts/jukka-maki/"),
    ("observability", "experts/jukka-maki/"),
    ("rust", "experts/aino-virtanen/"),
    ("webassembly", "experts/aino-virtanen/"),
    ("postgresql", "experts/eero-laaksonen/"),
    ("python", "experts/eero-laaksonen/"),
    ("copywriting", "experts/hanna-salminen/"),
    ("podcasts", "experts/hanna-salminen/"),
    ("podcast", "experts/hanna-salminen/"),
    ("negotiation", "experts/petri-niemi/"),
    ("negotiating", "experts/petri-niemi/"),
    ("tendering", "experts/mari-oksanen/"),
    ("tenders", "experts/mari-oksanen/"),
    ("procurement", "experts/mari-oksanen/"),
    ("leadership", "experts/kari-jokinen/"),
    ("coaching", "training/manager-coaching/"),
    ("coach", "training/manager-coaching/"),
    ("managers", "training/manager-coaching/"),
    ("manager's", "training/manager-coaching/"),
    ("presenting", "training/presentation-training/"),
    ("presentations", "training/presentation-training/"),
    ("curation", "training/content-curation/"),
    ("curating", "training/content-curation/"),
    ("curated", "training/content-curation/"),
    ("linkedin", "guide/channels/linkedin/"),
    ("mastodon", "guide/channels/mastodon-and-github/"),
    ("github", "guide/channels/mastodon-and-github/"),
    ("channels", "guide/finding-your-channel/"),
    ("channel", "guide/finding-your-channel/"),
    ("measuring", "guide/how-we-measure/"),
    ("measure", "guide/how-we-measure/"),
    ("guidelines", "guidelines/"),
    ("guideline", "guidelines/"),
    ("onboarding", "onboarding/"),
    ("clinic", "training/social-media-clinic/"),
    ("clinics", "training/social-media-clinic/"),
    ("writing", "guide/writing-your-first-post/"),
    // Typos.
    ("kubernets", "experts/jukka-maki/"),
    ("visibilty", "plan/"),
    ("presentaton", "training/presentation-training/"),
    ("mastadon", "guide/channels/mastodon-and-github/"),
    // The Finnish words of the English example.
    ("näkyvyys", "onboarding/welcome/"),
    ("näkyvyyden", "onboarding/welcome/"),
    ("näkyvyydestä", "onboarding/welcome/"),
    ("pelisäännöt", "onboarding/welcome/"),
    ("pelisääntöjä", "onboarding/welcome/"),
    ("blogikirjoitukset", "training/first-blog-post/"),
];

/// The Finnish fixture (base `/kasikirja/`).
const FI: &[(&str, &str)] = &[
    // Consonant gradation and the -(U)Us / -nen stems.
    ("näkyvyys", "mittaaminen/"),
    ("näkyvyyden", "mittaaminen/"),
    ("näkyvyydestä", "mittaaminen/"),
    ("näkyvyyttä", "mittaaminen/"),
    ("pelisäännöt", "pelisaannot/"),
    ("pelisääntöjä", "pelisaannot/"),
    ("pelisääntöihin", "pelisaannot/"),
    ("pelisäännöistä", "pelisaannot/"),
    ("otsikot", "kirjoittaminen/"),
    ("otsikko", "kirjoittaminen/"),
    ("raportti", "mittaaminen/"),
    ("raportin", "mittaaminen/"),
    ("äänitys", "podcast/"),
    ("äänityksen", "podcast/"),
    ("luonnos", "kirjoittaminen/"),
    ("luonnoksen", "kirjoittaminen/"),
    ("esiintyminen", "koulutukset/esiintymisen-perusteet/"),
    ("esiintymisestä", "koulutukset/esiintymisen-perusteet/"),
    ("tavoite", "suunnitelma/"),
    ("tavoitteet", "suunnitelma/"),
    ("perehdytys", "perehdytys/"),
    ("perehdytyksen", "perehdytys/"),
    // Cases and plurals.
    ("kanava", "kanavat/"),
    ("kanavia", "kanavat/"),
    ("kanavalla", "kanavat/"),
    ("kanavien", "kanavat/"),
    ("podcastit", "podcast/"),
    ("podcastissa", "podcast/"),
    ("mikrofoni", "podcast/"),
    ("mikrofonit", "podcast/"),
    ("haastattelijan", "podcast/"),
    ("messut", "tapahtumat/"),
    ("messuilla", "tapahtumat/"),
    ("messuille", "tapahtumat/"),
    ("tapahtuma", "tapahtumat/"),
    ("tapahtumaan", "tapahtumat/"),
    ("seminaari", "tapahtumat/"),
    ("kysely", "mittaaminen/"),
    ("kyselyt", "mittaaminen/"),
    ("tietoturva", "asiantuntijat/mikko-lahtinen/"),
    ("tietoturvasta", "asiantuntijat/mikko-lahtinen/"),
    ("pilvipalvelut", "asiantuntijat/mikko-lahtinen/"),
    ("puheenvuoro", "koulutukset/esiintymisen-perusteet/"),
    ("puheenvuoroja", "koulutukset/esiintymisen-perusteet/"),
    ("suunnitelmaan", "suunnitelma/"),
    // Possessives.
    ("kanavasi", "kanavat/"),
    ("suunnitelmamme", "suunnitelma/"),
    // Compounds.
    ("somekanava", "kanavat/"),
    ("blogikirjoitus", "kirjoittaminen/"),
    // Typos.
    ("pelisäänöt", "pelisaannot/"),
    ("mikrofni", "podcast/"),
    ("tietoturav", "asiantuntijat/mikko-lahtinen/"),
];

/// Form keys that `search.js` must compute exactly as
/// `src/search/forms.rs` does (its unit test holds the same pairs): the
/// index holds the Rust keys, the query the JavaScript ones.
const KEYS: &[(&str, &str)] = &[
    ("näkyvyyden", "näkyv"),
    ("pelisääntöjä", "pelisään"),
    ("otsikot", "otsi"),
    ("esiintymisestä", "esiinym"),
    ("kanavien", "kanav"),
    ("raportin", "rapor"),
    ("suunnitelmamme", "suunitelm"),
    ("luonnoksen", "luon"),
];

/// The pages the site's search lists first for `q` (at most five), as
/// links under the base path without the heading.
///
/// A search that fails (a fetch of an index chunk or a fragment refused on
/// a loaded CI machine rejects the whole search) is tried again, up to
/// three times: this test measures ranking, and a failed fetch would count
/// as a miss and move recall by two points.
async fn top5(b: &Browser, q: &str) -> Vec<String> {
    let mut last = Vec::new();
    for _ in 0..3 {
        let v = b
            .run_async(
                r#"const done = arguments[arguments.length - 1];
                document.getElementById('site-search').esiinSearch(arguments[0], 5)
                  .then(done, e => done(['error: ' + e]));"#,
                vec![q.into()],
            )
            .await;
        let hits: Vec<String> = serde_json::from_value(v).expect("a list of links");
        if !hits.iter().any(|h| h.starts_with("error: ")) {
            return hits
                .into_iter()
                .map(|h| h.split('#').next().unwrap_or_default().to_string())
                .collect();
        }
        eprintln!("search for {q:?} failed, trying again: {hits:?}");
        last = hits;
        tokio::time::sleep(std::time::Duration::from_millis(200)).await;
    }
    last
}

/// Recall@5 of `set` on the site at `base` (`http://…/handbook/`), and
/// the misses with what was found instead. Measured on the theme before
/// the form keys (issue #14): English 82.0% (41 of 50), Finnish 78.8% (41
/// of 52), with `visibility`, `writing`, `otsikko`, `messut` and the
/// gradation forms finding nothing.
async fn recall(b: &Browser, base: &str, prefix: &str, set: &[(&str, &str)]) -> (f64, Vec<String>) {
    b.open(base).await;
    let mut misses = Vec::new();
    for &(q, want) in set {
        let hits = top5(b, q).await;
        let want = format!("{prefix}{want}");
        // Every query here is a word on a page or a form of one: it never
        // finds nothing.
        assert!(!hits.is_empty(), "{q:?} found nothing on {base}");
        if !hits.contains(&want) {
            misses.push(format!("{q:?} → {want} not in {hits:?}"));
        }
    }
    let found = set.len() - misses.len();
    (found as f64 / set.len() as f64, misses)
}

#[tokio::test(flavor = "multi_thread")]
async fn the_query_set_finds_each_page_in_the_top_five() {
    assert!(EN.len() >= 40 && FI.len() >= 40);
    let Some(browser) = Browser::start().await else {
        return;
    };
    // The example on a fixed day (2026-12-05), so that its recall does not
    // move as sessions pass.
    let (_tmp, root) = example_handbook(Some("/handbook/"));
    let out = root.with_file_name("public");
    build_on(&root, &out, Some("1796464800"));
    let server = StaticServer::start(out, "/handbook/");
    let (en, en_misses) = recall(&browser, &server.base, "/handbook/", EN).await;
    for &(word, key) in KEYS {
        let got = browser
            .run(
                "return document.getElementById('site-search').esiinFormKey(arguments[0]);",
                vec![word.into()],
            )
            .await;
        assert_eq!(got, key, "search.js's form key of {word:?}");
    }
    let hb = Handbook::fixture("fi");
    hb.build_ok();
    let fi_server = StaticServer::start(hb.public(), "/kasikirja/");
    let (fi, fi_misses) = recall(&browser, &fi_server.base, "/kasikirja/", FI).await;
    browser.close().await;
    let report = format!(
        "recall@5: English example {:.1}% of {} ({} missed), Finnish fixture {:.1}% of {} ({} missed)\nEnglish misses:\n  {}\nFinnish misses:\n  {}",
        en * 100.0,
        EN.len(),
        en_misses.len(),
        fi * 100.0,
        FI.len(),
        fi_misses.len(),
        en_misses.join("\n  "),
        fi_misses.join("\n  ")
    );
    eprintln!("{report}");
    assert!(en >= 0.95 && fi >= 0.95, "{report}");
}
