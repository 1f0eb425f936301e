//! Reading built HTML without a parser: attribute values, links, and the
//! part between two markers.

/// Decodes `%XX` escapes (for comparing URLs that may or may not encode
/// non-ASCII letters), as esiin itself does.
pub use esiin::text::percent_decode;

/// The values of every `attr="…"` in `html`, in document order.
pub fn attr_values(html: &str, attr: &str) -> Vec<String> {
    let needle = format!(" {attr}=\"");
    let mut out = Vec::new();
    let mut rest = html;
    while let Some(i) = rest.find(&needle) {
        rest = &rest[i + needle.len()..];
        let end = rest.find('"').unwrap_or(rest.len());
        out.push(rest[..end].to_string());
        rest = &rest[end..];
    }
    out
}

/// The `href`s in `html`, percent-decoded, in document order.
pub fn hrefs(html: &str) -> Vec<String> {
    attr_values(html, "href")
        .iter()
        .map(|h| percent_decode(h))
        .collect()
}

/// The part of `html` from the first `start` to the next `end` after it.
pub fn between<'a>(html: &'a str, start: &str, end: &str) -> &'a str {
    let i = html
        .find(start)
        .unwrap_or_else(|| panic!("no {start:?} in\n{html}"));
    let rest = &html[i..];
    let j = rest.find(end).map_or(rest.len(), |j| j + end.len());
    &rest[..j]
}
