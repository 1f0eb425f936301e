//! Which URLs may reach an `href` or `src`.
//!
//! A `javascript:` (or `data:`, `vbscript:`) URL in a link runs script for
//! every reader who clicks it, so every URL written in front matter,
//! `handbook.yaml` or Markdown goes through [`check`] before it is
//! published: only an allow-list of schemes, or a relative URL, passes.
//!
//! The scheme is read the way a browser reads it (WHATWG URL parsing):
//! leading and trailing C0 controls and spaces are stripped, tabs and
//! newlines inside are removed, and case does not matter. So
//! ` JaVa\tScript:alert(1)` is `javascript:` here as it is in the browser;
//! checking the text as written would let it through.

/// The schemes a published URL may have; anything else needs none
/// (relative: `../page.md`, `/path/`, `?q`, `#heading`, `//host/path`).
pub(crate) const ALLOWED: &[&str] = &["http", "https", "mailto", "tel", "webcal"];

/// What to write instead of a URL [`check`] rejects.
pub(crate) const HINT: &str = "write an `https:`, `http:`, `mailto:`, `tel:` or `webcal:` URL, \
                        or a relative link (`../page.md`, `/path/`, `#heading`)";

/// A URL whose scheme is not on the allow-list.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Rejected {
    /// The scheme as a browser reads it, lower-cased (`javascript`).
    pub scheme: String,
}

impl Rejected {
    pub(crate) fn message(&self) -> String {
        format!("`{}:` links are not allowed here", self.scheme)
    }
}

/// Whether `url` may be published: no scheme, or an [`ALLOWED`] one.
pub(crate) fn check(url: &str) -> Result<(), Rejected> {
    match scheme(url) {
        Some(s) if !ALLOWED.contains(&s.as_str()) => Err(Rejected { scheme: s }),
        _ => Ok(()),
    }
}

/// The scheme a browser reads in `url`, lower-cased; `None` for a
/// relative URL. Follows the WHATWG URL parser's scheme state: what comes
/// before the first `:` is a scheme when it is an ASCII letter followed by
/// letters, digits, `+`, `-` or `.`.
pub(crate) fn scheme(url: &str) -> Option<String> {
    // C0 controls and space (U+0000..=U+0020) around the URL are stripped.
    let trimmed = url.trim_matches(|c: char| c <= ' ');
    let mut out = String::new();
    for c in trimmed.chars() {
        match c {
            // Removed wherever they are, before parsing.
            '\t' | '\n' | '\r' => {}
            ':' => {
                return out
                    .starts_with(|c: char| c.is_ascii_alphabetic())
                    .then_some(out);
            }
            c if c.is_ascii_alphanumeric() || matches!(c, '+' | '-' | '.') => {
                out.push(c.to_ascii_lowercase());
            }
            _ => return None,
        }
    }
    None
}

/// Whether an image source (`img src`) may be published: relative, or
/// `http`/`https` (an image from `mailto:` means nothing, and `data:`
/// images are where SVG script hides).
pub(crate) fn image_allowed(url: &str) -> bool {
    matches!(scheme(url).as_deref(), None | Some("http" | "https"))
}

/// The host of an absolute `http:` or `https:` URL, lower-cased, without
/// user info or port: what an activity item must have (it is public work,
/// linked from a feed read elsewhere) and what the share kit matches
/// against `share.domains`. `None` for anything else, a relative URL
/// included.
pub(crate) fn http_host(url: &str) -> Option<String> {
    let url = url.trim();
    let scheme = scheme(url)?;
    if scheme != "http" && scheme != "https" {
        return None;
    }
    let rest = url.get(scheme.len() + 1..)?.strip_prefix("//")?;
    let authority = rest.split(['/', '?', '#']).next().unwrap_or("");
    let host_port = authority.rsplit_once('@').map_or(authority, |(_, h)| h);
    let host = if host_port.starts_with('[') {
        host_port.split_inclusive(']').next().unwrap_or(host_port)
    } else {
        host_port.split(':').next().unwrap_or(host_port)
    };
    let host = host.trim_end_matches('.').to_ascii_lowercase();
    (!host.is_empty() && !host.contains(char::is_whitespace)).then_some(host)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rejected(url: &str) -> Option<String> {
        check(url).err().map(|r| r.scheme)
    }

    #[test]
    fn script_schemes_are_rejected_however_written() {
        for url in [
            "javascript:alert(1)",
            "JaVaScRiPt:alert(1)",
            "   javascript:alert(1)",
            "\u{1}\u{0} javascript:alert(1)",
            "java\tscript:alert(1)",
            "java\nscr\ript:alert(1)",
            "javascript:alert(1)\u{0}",
        ] {
            assert_eq!(rejected(url).as_deref(), Some("javascript"), "{url:?}");
        }
        assert_eq!(rejected("data:text/html,<b>").as_deref(), Some("data"));
        assert_eq!(rejected("VBScript:msgbox").as_deref(), Some("vbscript"));
        assert_eq!(rejected("file:///etc/passwd").as_deref(), Some("file"));
    }

    #[test]
    fn allowed_and_relative_urls_pass() {
        for url in [
            "https://example.com/a:b",
            "HTTP://example.com",
            "mailto:a@example.com",
            "tel:+358401234567",
            "webcal://example.com/cal.ics",
            "../plan.md",
            "@/training/presenting.md#dates",
            "/training/",
            "#talks",
            "?q=javascript:x",
            "//cdn.example.com/x.png",
            "a/b:c.md",
            "",
            // Not ASCII whitespace: a browser reads a relative path.
            "\u{a0}javascript:alert(1)",
            "javascript%3Aalert(1)",
        ] {
            assert_eq!(check(url), Ok(()), "{url:?}");
        }
    }

    #[test]
    fn images_only_from_the_web_or_the_site() {
        assert!(image_allowed("photo.jpg"));
        assert!(image_allowed("https://example.com/a.png"));
        assert!(!image_allowed("mailto:a@example.com"));
        assert!(!image_allowed("data:image/svg+xml,<svg onload=alert(1)>"));
    }

    #[test]
    fn http_hosts_are_read_without_port_or_user() {
        assert_eq!(
            http_host("https://Blog.Kuulas.example:8443/a?b#c").as_deref(),
            Some("blog.kuulas.example")
        );
        assert_eq!(
            http_host("http://me@kuulas.example").as_deref(),
            Some("kuulas.example")
        );
        assert_eq!(
            http_host("HTTPS://x.example?q").as_deref(),
            Some("x.example")
        );
        for bad in [
            "/blog/a",
            "//kuulas.example/a",
            "mailto:a@b.example",
            "https:/a",
            "https://",
            "ftp://x.example",
        ] {
            assert_eq!(http_host(bad), None, "{bad}");
        }
    }
}
