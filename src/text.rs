//! Small text transformations every stage may use: heading slugs, HTML and
//! XML escaping, URL path encoding and percent-decoding.
//!
//! This module is a leaf: it uses only `std` and external crates, never
//! another module of esiin, so anything may depend on it without forming a
//! cycle.

/// The anchor GitHub and GitLab give a heading: lowercase; letters (any
/// script, `ä`, `ö`, `å` included), digits, `-` and `_` kept; spaces become
/// `-`; everything else dropped.
pub(crate) fn slugify(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.trim().chars() {
        if c.is_alphanumeric() || c == '-' || c == '_' {
            out.extend(c.to_lowercase());
        } else if c == ' ' {
            out.push('-');
        }
    }
    out
}

/// Escapes text for HTML content or an attribute (`&`, `<`, `>`, `"`, `'`
/// as `&#39;`), as pulldown-cmark escapes what it writes.
pub(crate) fn escape_html(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    // Writing into a `String` cannot fail.
    pulldown_cmark_escape::escape_html(&mut out, s).ok();
    out
}

/// Escapes text for XML content or an attribute: as [`escape_html`], but
/// `'` as `&apos;` (SVG is XML, which has that entity).
pub(crate) fn escape_xml(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            c => out.push(c),
        }
    }
    out
}

/// Percent-encodes what may not stand raw in a URL path (spaces, quotes, …);
/// non-ASCII letters are kept, as browsers accept them.
pub(crate) fn encode_path(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        if c.is_ascii() && !(c.is_ascii_alphanumeric() || "-._~/!$&'()*+,;=:@".contains(c)) {
            out.push_str(&format!("%{:02X}", c as u32));
        } else {
            out.push(c);
        }
    }
    out
}

/// Percent-encodes all but RFC 3986's unreserved characters, for a value
/// put into a URL (an address in a chat link's query or path), so that
/// `+`, `&` or `#` in it cannot change what the URL says.
pub(crate) fn encode_component(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for b in s.bytes() {
        if b.is_ascii_alphanumeric() || b"-._~".contains(&b) {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

/// Decodes `%XX` escapes leniently, for links an editor wrote: a `%` not
/// followed by two hex digits stays as written (`100%`), and a result that
/// is not UTF-8 leaves the whole text as it was.
pub fn percent_decode(s: &str) -> String {
    match decode_bytes(s, true) {
        Some(bytes) => String::from_utf8(bytes).unwrap_or_else(|_| s.to_string()),
        None => s.to_string(),
    }
}

/// Decodes `%XX` escapes once, strictly, for request paths: `None` for a
/// `%` not followed by two hex digits, or a result that is not UTF-8.
pub(crate) fn percent_decode_strict(s: &str) -> Option<String> {
    String::from_utf8(decode_bytes(s, false)?).ok()
}

/// The bytes `s` spells with its `%XX` escapes decoded. A malformed escape
/// is kept as written when `lenient`, else it makes the whole text `None`.
fn decode_bytes(s: &str, lenient: bool) -> Option<Vec<u8>> {
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' {
            let hex = |at: usize| bytes.get(at).and_then(|&b| (b as char).to_digit(16));
            match (hex(i + 1), hex(i + 2)) {
                // Two hex digits: at most 0xFF, so the cast keeps every bit.
                (Some(high), Some(low)) => {
                    out.push((high * 16 + low) as u8);
                    i += 3;
                    continue;
                }
                _ if !lenient => return None,
                _ => {}
            }
        }
        out.push(bytes[i]);
        i += 1;
    }
    Some(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn anchors_follow_github() {
        assert_eq!(slugify("Näkyvyys ja tavoitteet"), "näkyvyys-ja-tavoitteet");
        assert_eq!(slugify("What's new? (2026)"), "whats-new-2026");
        assert_eq!(slugify("snake_case & kebab-case"), "snake_case--kebab-case");
        assert_eq!(slugify("Åbo – Turku"), "åbo--turku");
    }

    #[test]
    fn paths_are_encoded() {
        assert_eq!(encode_path("/a b/ä\"/"), "/a%20b/ä%22/");
    }

    #[test]
    fn escapes_differ_only_in_the_apostrophe() {
        assert_eq!(
            escape_html("<a href=\"x\">'&'</a>"),
            "&lt;a href=&quot;x&quot;&gt;&#39;&amp;&#39;&lt;/a&gt;"
        );
        assert_eq!(escape_xml("<'&'>"), "&lt;&apos;&amp;&apos;&gt;");
    }

    #[test]
    fn decodes_percent_escapes() {
        assert_eq!(percent_decode("n%C3%A4kyvyys"), "näkyvyys");
        assert_eq!(percent_decode("100%"), "100%");
        assert_eq!(percent_decode("%zz%4"), "%zz%4");
        assert_eq!(percent_decode("%FF%41"), "%FF%41");
    }

    #[test]
    fn strict_decoding_refuses_malformed_escapes() {
        assert_eq!(percent_decode_strict("/a%20b").as_deref(), Some("/a b"));
        assert_eq!(percent_decode_strict("/100%"), None);
        assert_eq!(percent_decode_strict("/%4"), None);
        assert_eq!(percent_decode_strict("/%zz"), None);
        assert_eq!(percent_decode_strict("/%FF"), None);
    }
}
