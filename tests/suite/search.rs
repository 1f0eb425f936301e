//! The search index `esiin build` writes (`search/`): what is in it, what
//! never is, and the box every page gets.

use crate::support;

use std::io::Read;

use support::{Handbook, snapshot};

/// What Pagefind keeps per page (a fragment): its URL, text and meta.
#[derive(Debug, serde::Deserialize)]
struct Fragment {
    url: String,
    content: String,
    meta: std::collections::BTreeMap<String, String>,
}

/// A page's own URL from the one Pagefind stores, `/SLOT/HEX/` (see
/// `src/search/bundle.rs`), as `search.js` decodes it.
fn own_url(pagefind_url: &str) -> String {
    let hex: String = pagefind_url
        .split('/')
        .filter(|s| !s.is_empty())
        .skip(1)
        .collect();
    let bytes: Vec<u8> = (0..hex.len())
        .step_by(2)
        .map(|i| u8::from_str_radix(&hex[i..i + 2], 16).expect("hexadecimal"))
        .collect();
    String::from_utf8(bytes).expect("a UTF-8 URL")
}

/// Every fragment of the built index, with the page's own URL. Pagefind's
/// files are gzip of `pagefind_dcd` followed by the data.
fn fragments(hb: &Handbook) -> Vec<Fragment> {
    let files = snapshot(&hb.public().join("search/fragment"));
    assert!(!files.is_empty(), "no fragments written");
    files
        .values()
        .map(|gz| {
            let mut text = String::new();
            flate2::read::GzDecoder::new(&gz[..])
                .read_to_string(&mut text)
                .expect("a gzip fragment");
            let json = text
                .strip_prefix("pagefind_dcd")
                .expect("Pagefind's marker");
            let mut f: Fragment = serde_json::from_str(json).expect("a fragment");
            f.url = own_url(&f.url);
            f
        })
        .collect()
}

#[test]
fn every_page_has_the_search_box_under_the_base_path() {
    let hb = Handbook::fixture("basic");
    hb.build_ok();
    for page in ["index.html", "experts/aino-virtanen/index.html", "404.html"] {
        let html = hb.page(page);
        assert!(
            html.contains(r#"data-base="/handbook/" data-bundle="/handbook/search/""#),
            "{page}"
        );
        assert!(
            html.contains(r#"<script src="/handbook/search.js" defer></script>"#),
            "{page}"
        );
        // Hidden until the script shows it; without JavaScript a note says why.
        assert!(
            html.contains(r#"id="site-search" role="search" hidden"#),
            "{page}"
        );
        assert!(html.contains("<noscript>"), "{page}");
    }
    for file in [
        "search.js",
        "search/pagefind.js",
        "search/pagefind-entry.json",
        "search/wasm.en.pagefind",
    ] {
        assert!(hb.public().join(file).is_file(), "{file} missing");
    }
    let entry = hb.page("search/pagefind-entry.json");
    assert!(entry.contains(r#""en":"#), "{entry}");
}

#[test]
fn the_index_holds_published_pages_with_their_kind() {
    let hb = Handbook::fixture("basic");
    hb.build_ok();
    let frags = fragments(&hb);
    let find = |url: &str| {
        frags
            .iter()
            .find(|f| f.url == url)
            .unwrap_or_else(|| panic!("{url} not indexed: {frags:#?}"))
    };
    let aino = find("/experts/aino-virtanen/");
    assert_eq!(aino.meta["kind"], "expert");
    assert_eq!(aino.meta["title"], "Aino Virtanen");
    assert!(aino.content.contains("rust"), "{aino:?}");
    let advanced = find("/training/advanced/");
    assert_eq!(advanced.meta["kind"], "module");
    // Modules are found by trainer and format.
    assert!(advanced.content.contains("Mari Oksanen"), "{advanced:?}");
    assert!(advanced.content.contains("clinic"), "{advanced:?}");
    assert_eq!(find("/onboarding/new-hire/").meta["kind"], "path");
    assert_eq!(find("/").meta["kind"], "page");
    // A heading's `#` link is not indexed text.
    assert!(frags.iter().all(|f| !f.content.contains('#')), "{frags:#?}");
}

#[test]
fn drafts_and_unlisted_experts_are_never_indexed() {
    let hb = Handbook::fixture("basic");
    // Even a build that shows drafts keeps them out of search.
    for args in [&["build"][..], &["build", "--drafts"]] {
        hb.esiin(args).assert_ok();
        let frags = fragments(&hb);
        for f in &frags {
            assert!(
                !f.url.contains("tuomas-lehtinen")
                    && !f.url.contains("podcast-ideas")
                    && !f.url.starts_with("/events/"),
                "{args:?} indexed {}",
                f.url
            );
            // Not even as a trainer named on a module's record.
            assert!(!f.content.contains("Tuomas"), "{args:?}: {f:?}");
        }
        assert!(frags.iter().any(|f| f.url == "/training/advanced/"));
    }
}

/// The cached index of the last build (`.esiin-cache/search/*.index`).
fn cached_indexes(hb: &Handbook) -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(hb.path(".esiin-cache/search"))
        .map(|dir| {
            dir.flatten()
                .map(|e| e.file_name().to_string_lossy().into_owned())
                .collect()
        })
        .unwrap_or_default();
    names.sort();
    names
}

#[test]
fn the_same_handbook_gives_the_same_index() {
    let hb = Handbook::fixture("basic");
    hb.build_ok();
    let first = snapshot(&hb.public().join("search"));
    // Built again from scratch, not read back from the cache.
    std::fs::remove_dir_all(hb.path(".esiin-cache/search")).expect("cache removed");
    hb.build_ok();
    support::assert_same_files(&first, &snapshot(&hb.public().join("search")), "search/");
}

#[test]
fn an_unchanged_index_is_read_back_and_a_changed_one_rebuilt() {
    let hb = Handbook::fixture("basic");
    hb.build_ok();
    let first = snapshot(&hb.public().join("search"));
    let cached = cached_indexes(&hb);
    assert_eq!(cached.len(), 1, "{cached:?}");
    assert!(cached[0].ends_with(".index"), "{cached:?}");

    // Nothing searchable changed (a static file): the same index, from
    // the cache. A damaged cache is not trusted: the index is built again.
    hb.write("static/notes.txt", "not a page");
    hb.build_ok();
    assert_eq!(cached_indexes(&hb), cached);
    support::assert_same_files(&first, &snapshot(&hb.public().join("search")), "search/");
    let index = hb.path(&format!(".esiin-cache/search/{}", cached[0]));
    let mut bytes = std::fs::read(&index).expect("cached index");
    let mid = bytes.len() / 2;
    bytes[mid] ^= 0x55;
    std::fs::write(&index, bytes).expect("damaged");
    hb.build_ok();
    support::assert_same_files(&first, &snapshot(&hb.public().join("search")), "search/");

    // A body changed: a new index, which finds the new word, replaces the
    // cached one.
    hb.edit(
        "content/guide/writing.md",
        "\n\n",
        "\n\nZyxwordinindex appears here.\n\n",
    );
    hb.build_ok();
    let now = cached_indexes(&hb);
    assert_eq!(now.len(), 1, "{now:?}");
    assert_ne!(now, cached);
    assert!(
        fragments(&hb)
            .iter()
            .any(|f| f.content.contains("Zyxwordinindex")),
        "the new word is not indexed"
    );
    // The working files of the index builder are gone.
    assert!(
        now.iter().all(|n| n.ends_with(".index")),
        "left behind: {now:?}"
    );
}

#[test]
fn search_false_writes_no_index_and_no_box() {
    let hb = Handbook::fixture("basic");
    hb.edit(
        "handbook.yaml",
        "language: en",
        "language: en\nsearch: false",
    );
    hb.build_ok();
    assert!(!hb.public().join("search").exists());
    let html = hb.page("index.html");
    assert!(!html.contains("site-search"), "{html}");
}

#[test]
fn a_finnish_handbook_is_stemmed_in_finnish_with_finnish_labels() {
    let hb = Handbook::fixture("basic");
    hb.edit("handbook.yaml", "language: en", "language: fi");
    hb.build_ok();
    assert!(hb.public().join("search/wasm.fi.pagefind").is_file());
    assert!(!hb.public().join("search/wasm.en.pagefind").exists());
    let html = hb.page("index.html");
    assert!(html.contains(r#"placeholder="Hae""#), "{html}");
    assert!(
        html.contains(r#"data-kind-expert="Asiantuntija""#),
        "{html}"
    );
}
