//! Raw HTML in Markdown, made harmless (`markdown.raw_html: sanitized`,
//! the default): a `<script>` or an `<img onerror>` in one page body would
//! otherwise run for every reader of the intranet.
//!
//! The sanitizer is ammonia (html5ever's parser, so it reads the HTML the
//! way a browser does). It runs over a page's whole rendered body, once,
//! and only when the Markdown had raw HTML in it: inline HTML arrives in
//! pieces (`<kbd>`, text, `</kbd>`; a `<details>` block, Markdown, its
//! `</details>` block) that only make sense together, and a page without
//! raw HTML (most of them) pays nothing. So the allow-list below also
//! holds everything esiin's own Markdown rendering writes: heading anchors,
//! alerts, highlighted code, table alignment, task-list checkboxes.

use std::borrow::Cow;
use std::collections::HashSet;
use std::sync::OnceLock;

use ammonia::{Builder, UrlRelative};

/// The sanitizer, configured once per process.
fn builder() -> &'static Builder<'static> {
    static BUILDER: OnceLock<Builder<'static>> = OnceLock::new();
    BUILDER.get_or_init(|| {
        let mut b = Builder::default();
        // Ammonia's default tags are the harmless ones editors use
        // (`details`, `summary`, `kbd`, `sup`, `br`, tables, `img`, …);
        // `input` is for task lists (checkbox only, below).
        b.add_tags(["input"])
            .add_generic_attributes(["id", "class", "role", "aria-hidden", "tabindex"])
            .add_tag_attributes("th", ["style"])
            .add_tag_attributes("td", ["style"])
            .add_tag_attributes("pre", ["data-lang"])
            .add_tag_attributes("input", ["disabled", "checked"])
            .add_tag_attribute_values("input", "type", ["checkbox"])
            .filter_style_properties(HashSet::from(["text-align"]))
            .url_schemes(crate::url::ALLOWED.iter().copied().collect())
            .url_relative(UrlRelative::PassThrough)
            .link_rel(Some("noopener noreferrer"))
            .attribute_filter(filter_url);
        b
    })
}

/// A second look at URL attributes with esiin's own rule ([`crate::url`]),
/// and images only from the web or the site.
fn filter_url<'u>(element: &str, attribute: &str, value: &'u str) -> Option<Cow<'u, str>> {
    let allowed = match (element, attribute) {
        ("img", "src") => crate::url::image_allowed(value),
        (_, "href" | "src" | "cite") => crate::url::check(value).is_ok(),
        _ => true,
    };
    allowed.then_some(Cow::Borrowed(value))
}

/// `html` with everything that could run script removed.
pub(crate) fn clean(html: &str) -> String {
    builder().clean(html).to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn out(html: &str) -> String {
        clean(html)
    }

    #[test]
    fn scripts_and_handlers_go() {
        assert_eq!(out("<p>a<script>alert(1)</script>b</p>"), "<p>ab</p>");
        assert_eq!(out("<img src=x onerror=alert(1)>"), "<img src=\"x\">");
        assert_eq!(
            out("<a href=\"java\tscript:alert(1)\">x</a>"),
            "<a rel=\"noopener noreferrer\">x</a>"
        );
        assert_eq!(
            out("<img src=\"data:image/svg+xml,<svg onload=alert(1)>\">"),
            "<img>"
        );
        assert_eq!(out("<iframe src=https://example.com></iframe>"), "");
        assert_eq!(
            out("<style>body{}</style><p style=\"color:red\">x</p>"),
            "<p>x</p>"
        );
    }

    #[test]
    fn what_editors_and_esiin_write_stays() {
        for html in [
            "<details><summary>More</summary>\n<p>text</p>\n</details>",
            "<p><kbd>Ctrl</kbd>+<kbd>C</kbd>, x<sup>2</sup><br></p>",
            "<h2 id=\"a\">A<a class=\"heading-anchor\" href=\"#a\" aria-hidden=\"true\" tabindex=\"-1\" rel=\"noopener noreferrer\">#</a></h2>",
            "<div class=\"alert alert-note\" role=\"note\"><p class=\"alert-title\">Note</p></div>",
            "<pre class=\"code\" data-lang=\"rust\" tabindex=\"0\"><code><span class=\"hl-source\">fn</span>\n</code></pre>",
            "<ul><li><input disabled=\"\" type=\"checkbox\" checked=\"\">\ndone</li></ul>",
            "<img src=\"https://example.com/a.png\" alt=\"A\">",
            "<a href=\"mailto:a@example.com\" rel=\"noopener noreferrer\">a</a>",
        ] {
            assert_eq!(out(html), html);
        }
    }

    #[test]
    fn table_alignment_stays_other_styles_go() {
        assert_eq!(
            out(
                "<table><tr><th style=\"text-align: left; background: url(x)\">a</th></tr></table>"
            ),
            "<table><tbody><tr><th style=\"text-align:left\">a</th></tr></tbody></table>"
        );
    }

    #[test]
    fn mailto_is_a_link_not_an_image() {
        assert_eq!(out("<img src=\"mailto:a@example.com\">"), "<img>");
        assert_eq!(out("<input type=\"text\">"), "<input>");
    }
}
