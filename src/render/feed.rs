//! The Atom 1.0 feed of "Recently shared" (`activity.xml` at the site
//! root, RFC 4287): the items of `Site::shared_activity` (listed, non-draft
//! experts, up to the build day, newest first), so a reader can follow the
//! company's experts' work without visiting the handbook.
//!
//! Absolute addresses: an entry's `link` is the item's own URL, absolute
//! by validation (`load/page.rs`). The feed's `self` and `alternate` links
//! and each author's `uri` (the profile) are absolute when `base_url` has
//! an origin. Without one (and in `serve`, which puts the site at its own
//! root) they are references from the site root (`/handbook/experts/mari/`),
//! which RFC 4287 allows and a reader resolves against the address it
//! fetched the feed from: right for a feed read from the site, the only
//! place it is published. No warning: every handbook published at a path
//! (`base_url: /`, the default and `esiin init`'s) would get one on every
//! build for a feed that works; the README's "Activity" section says to
//! write a full `base_url` for readers that copy entries elsewhere. The ids
//! do not depend on the origin (`urn:uuid:` made from what names the feed
//! or the entry), so moving the site or adding an origin later does not
//! make readers show every item again.

use std::fmt::Write as _;

use crate::resolve::Site;
use crate::resolve::activity::Shared;
use crate::text::{encode_path, escape_xml};

use super::strings::{Strings, fill};

/// How many items the feed carries: the newest, as feeds do; the profiles
/// hold the rest.
const FEED_ITEMS: usize = 50;

/// The feed to write, `(site-relative path, Atom XML)`, when the site has
/// one (`Site::activity_feed`).
pub(crate) fn activity_feed(site: &Site, strings: &Strings) -> Option<(String, String)> {
    let rel = site.activity_feed.clone()?;
    let items = site.shared_activity(site.listed_experts(), FEED_ITEMS);
    let config = &site.config;
    // A site-relative URL, absolute when the site has an origin.
    let address = |rel: &str| {
        let path = encode_path(&config.url(rel));
        match &config.origin {
            Some(origin) => format!("{origin}{path}"),
            None => path,
        }
    };
    let self_url = address(&rel);
    // The site's title and path name the feed (an origin may come later).
    let feed_id = uuid(&["feed", &config.raw.title, &config.base_path]);
    let title = fill(&strings.activity_feed_title, &[("site", &config.raw.title)]);
    let updated = items.first().map_or_else(
        || midnight(site, site.today),
        |s| midnight(site, s.item.date.0),
    );
    let mut out = String::new();
    // Writing into a `String` cannot fail.
    let _ = write!(
        out,
        "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n\
         <feed xmlns=\"http://www.w3.org/2005/Atom\" xml:lang=\"{lang}\">\n\
         \x20 <id>{id}</id>\n\
         \x20 <title>{title}</title>\n\
         \x20 <updated>{updated}</updated>\n\
         \x20 <link rel=\"self\" type=\"application/atom+xml\" href=\"{self_url}\"/>\n\
         \x20 <link rel=\"alternate\" type=\"text/html\" href=\"{home}\"/>\n\
         \x20 <generator>esiin</generator>\n",
        lang = config.raw.language.code(),
        id = escape_xml(&feed_id),
        title = escape_xml(&title),
        self_url = escape_xml(&self_url),
        home = escape_xml(&address(&site.node(site.home).url)),
    );
    for (k, s) in items.iter().enumerate() {
        entry(&mut out, site, strings, &items[..k], *s, &address);
    }
    out.push_str("</feed>\n");
    Some((rel, out))
}

/// One `<entry>`: `before` are the entries written before it (an id made
/// twice, the same expert and URL, is told apart by a count).
fn entry(
    out: &mut String,
    site: &Site,
    strings: &Strings,
    before: &[Shared<'_>],
    s: Shared<'_>,
    address: &dyn Fn(&str) -> String,
) {
    let expert = site.page(s.expert);
    let repeat = before
        .iter()
        .filter(|b| b.expert == s.expert && b.item.url == s.item.url)
        .count()
        .to_string();
    let id = uuid(&["entry", expert.stem(), &s.item.url, &repeat]);
    let kind = serde_json::to_value(s.item.kind)
        .ok()
        .and_then(|v| v.as_str().map(str::to_string))
        .unwrap_or_default();
    let _ = write!(
        out,
        "  <entry>\n\
         \x20   <id>{id}</id>\n\
         \x20   <title>{title}</title>\n\
         \x20   <updated>{updated}</updated>\n\
         \x20   <link rel=\"alternate\" href=\"{url}\"/>\n\
         \x20   <author><name>{name}</name><uri>{profile}</uri></author>\n\
         \x20   <category term=\"{kind}\" label=\"{label}\"/>\n\
         \x20 </entry>\n",
        title = escape_xml(&s.item.title),
        updated = midnight(site, s.item.date.0),
        url = escape_xml(s.item.url.trim()),
        name = escape_xml(&expert.title),
        profile = escape_xml(&address(&site.node(s.expert).url)),
        label = escape_xml(strings.activity_type(s.item.kind)),
    );
}

/// `date` at 00:00 in the handbook's time zone, RFC 3339 (`2026-05-20T00:00:00+03:00`).
fn midnight(site: &Site, date: jiff::civil::Date) -> String {
    match date.to_zoned_datetime(site.config.tz.clone()) {
        Ok(z) => z.strftime("%Y-%m-%dT%H:%M:%S%:z").to_string(),
        Err(_) => format!("{date}T00:00:00Z"),
    }
}

/// A `urn:uuid:` made from `parts` (xxh3-128, shaped as a version 8
/// UUID): the same parts give the same id in every build.
fn uuid(parts: &[&str]) -> String {
    let h = xxhash_rust::xxh3::xxh3_128(parts.join("\u{0}").as_bytes());
    let h = (h & !(0xF << 76) | (0x8 << 76)) & !(0x3 << 62) | (0x2 << 62);
    let x = format!("{h:032x}");
    format!(
        "urn:uuid:{}-{}-{}-{}-{}",
        &x[..8],
        &x[8..12],
        &x[12..16],
        &x[16..20],
        &x[20..]
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn uuids_are_stable_and_shaped() {
        let a = uuid(&["entry", "mari", "https://x.example/a", "0"]);
        assert_eq!(a, uuid(&["entry", "mari", "https://x.example/a", "0"]));
        assert_ne!(a, uuid(&["entry", "aino", "https://x.example/a", "0"]));
        assert_eq!(a.len(), "urn:uuid:".len() + 36);
        let hex = &a["urn:uuid:".len()..];
        assert_eq!(&hex[14..15], "8", "{a}");
        assert!(matches!(&hex[19..20], "8" | "9" | "a" | "b"), "{a}");
    }
}
