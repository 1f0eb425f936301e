//! Nothing a handbook writes runs script in a reader's browser: every URL
//! that reaches an `href` or `src` has an allowed scheme (front matter,
//! `handbook.yaml`, Markdown), raw HTML in Markdown is sanitized unless
//! `markdown.raw_html: trusted`, and control characters in front matter
//! are errors.
//!
//! Each hostile family is written the ways that get past a naive check:
//! `javascript:`, `JaVaScRiPt:`, leading spaces, a tab inside the scheme
//! (browsers remove it), `data:text/html,…` and `vbscript:`. Every error
//! is asserted at its `file:line:col` with the hint, and the previous
//! output must be left exactly as it was.

use crate::support;

use support::{Handbook, Run, broken, hrefs};

const HINT: &str = "write an `https:`, `http:`, `mailto:`, `tel:` or `webcal:` URL, \
                    or a relative link (`../page.md`, `/path/`, `#heading`)";

/// Asserts one error per `(line:col, scheme)` in `file`, with the hint,
/// and no other errors.
fn assert_rejected(run: &Run, file: &str, at: &[(&str, &str)]) {
    for (pos, scheme) in at {
        run.assert_error(
            &format!("{file}:{pos}: `{scheme}:` links are not allowed here"),
            Some(HINT),
        );
    }
    assert_eq!(run.error_count(), at.len(), "{}", run.stderr);
}

/// The six ways of writing a script URL, as YAML values.
const YAML_VALUES: [&str; 6] = [
    "javascript:alert(1)",
    "JaVaScRiPt:alert(2)",
    "'   javascript:alert(3)'",
    "\"java\\tscript:alert(4)\"",
    "'data:text/html,<script>alert(5)</script>'",
    "vbscript:msgbox(6)",
];

const NAMES: [&str; 6] = ["linkedin", "x", "website", "youtube", "wiki", "bluesky"];

#[test]
fn channel_values() {
    let run = broken(|hb| {
        let channels: String = NAMES
            .iter()
            .zip(YAML_VALUES)
            .map(|(name, value)| format!("  {name}: {value}\n"))
            .collect();
        hb.edit(
            "content/experts/aino-virtanen.md",
            "  blog: https://aino.example.com/\n",
            &format!("  blog: https://aino.example.com/\n{channels}"),
        );
    });
    let at: Vec<(String, &str)> = NAMES
        .iter()
        .zip(YAML_VALUES)
        .enumerate()
        .map(|(i, (name, v))| {
            let col = value_col(&format!("  {name}: "), v);
            (format!("{}:{col}", 15 + i), scheme(v))
        })
        .collect();
    let at: Vec<(&str, &str)> = at.iter().map(|(p, s)| (p.as_str(), *s)).collect();
    assert_rejected(&run, "content/experts/aino-virtanen.md", &at);
    crate::assert_diagnostics!(run);
}

#[test]
fn material_urls() {
    let run = broken(|hb| {
        let materials: String = YAML_VALUES
            .iter()
            .enumerate()
            .map(|(i, v)| format!("  - title: M{i}\n    url: {v}\n"))
            .collect();
        hb.edit(
            "content/training/basics.md",
            "materials:\n",
            &format!("materials:\n{materials}"),
        );
    });
    assert_rejected(
        &run,
        "content/training/basics.md",
        &[
            ("14:10", "javascript"),
            ("16:10", "javascript"),
            ("18:11", "javascript"),
            ("20:11", "javascript"),
            ("22:11", "data"),
            ("24:10", "vbscript"),
        ],
    );
    crate::assert_diagnostics!(run);
}

#[test]
fn session_links() {
    let run = broken(|hb| {
        let sessions: String = YAML_VALUES
            .iter()
            .zip(YAML_VALUES.iter().rev())
            .enumerate()
            .map(|(i, (online, signup))| {
                format!(
                    "  - start: 2026-11-0{d}T09:00:00+02:00\n    online_url: {online}\n    signup_url: {signup}\n",
                    d = i + 1
                )
            })
            .collect();
        hb.edit(
            "content/training/advanced.md",
            "sessions:\n",
            &format!("sessions:\n{sessions}"),
        );
    });
    let mut at = Vec::new();
    for i in 0..6 {
        let (online, signup) = (YAML_VALUES[i], YAML_VALUES[5 - i]);
        let line = 13 + 3 * i;
        at.push((
            format!("{line}:{}", value_col("    online_url: ", online)),
            scheme(online),
        ));
        at.push((
            format!("{}:{}", line + 1, value_col("    signup_url: ", signup)),
            scheme(signup),
        ));
    }
    let at: Vec<(&str, &str)> = at.iter().map(|(p, s)| (p.as_str(), *s)).collect();
    assert_rejected(&run, "content/training/advanced.md", &at);
    crate::assert_diagnostics!(run);
}

/// The column where a YAML value written after `prefix` starts: inside
/// its quotes, where the parsed text begins.
fn value_col(prefix: &str, value: &str) -> usize {
    prefix.len() + 1 + usize::from(value.starts_with(['\'', '"']))
}

/// The scheme each of [`YAML_VALUES`] is rejected for.
fn scheme(value: &str) -> &'static str {
    if value.contains("data:") {
        "data"
    } else if value.contains("vbscript:") {
        "vbscript"
    } else {
        "javascript"
    }
}

#[test]
fn photo_and_guidelines_image() {
    let run = broken(|hb| {
        hb.edit(
            "content/experts/aino-virtanen.md",
            "photo: aino-virtanen.png",
            "photo: ' JaVaScRiPt:alert(1)'",
        );
        hb.edit(
            "content/guidelines.md",
            "kind: guidelines\n",
            "kind: guidelines\nimage: data:image/svg+xml,<svg/onload=alert(1)>\nalt: A poster\n",
        );
    });
    run.assert_error(
        "content/experts/aino-virtanen.md:5:9: `javascript:` links are not allowed here",
        Some(HINT),
    );
    run.assert_error(
        "content/guidelines.md:4:8: `data:` links are not allowed here",
        Some(HINT),
    );
    // Not also "the guidelines have no rules" for the stand-in that
    // replaces the page with errors.
    assert_eq!(run.error_count(), 2, "{}", run.stderr);
    crate::assert_diagnostics!(run);
}

#[test]
fn markdown_inline_links() {
    let run = broken(|hb| {
        hb.edit(
            "content/guide/writing.md",
            "## Example\n",
            "[a](javascript:alert(1))\n\
             [b](JaVaScRiPt:alert(2))\n\
             [c](<   javascript:alert(3)>)\n\
             [d](<java\tscript:alert(4)>)\n\
             [e](data:text/html,<b>5</b>)\n\
             [f](vbscript:msgbox(6))\n\n## Example\n",
        );
    });
    assert_rejected(
        &run,
        "content/guide/writing.md",
        &[
            ("14:5", "javascript"),
            ("15:5", "javascript"),
            ("16:6", "javascript"),
            ("17:6", "javascript"),
            ("18:5", "data"),
            ("19:5", "vbscript"),
        ],
    );
    crate::assert_diagnostics!(run);
}

#[test]
fn markdown_reference_definitions_autolinks_and_images() {
    let run = broken(|hb| {
        hb.edit(
            "content/guide/writing.md",
            "## Example\n",
            "[a][one] [b][] <JaVaScRiPt:alert(3)> ![c](data:image/svg+xml,x) <vbscript:x>\n\n\
             [one]: javascript:alert(1)\n\
             [b]: <  java\tscript:alert(2)>\n\n## Example\n",
        );
    });
    assert_rejected(
        &run,
        "content/guide/writing.md",
        &[
            // A reference link's URL is reported at its definition.
            ("16:8", "javascript"),
            ("17:7", "javascript"),
            ("14:17", "javascript"),
            ("14:43", "data"),
            ("14:66", "vbscript"),
        ],
    );
    crate::assert_diagnostics!(run);
}

#[test]
fn edit_url_and_repository_url() {
    let run = broken(|hb| {
        let yaml = hb.read("handbook.yaml");
        hb.write(
            "handbook.yaml",
            format!(
                "{yaml}repository:\n  url: \" JaVaScRiPt:alert(1)\"\n  edit_url: 'java\tscript:alert(document.domain)//{{path}}'\n"
            ),
        );
    });
    assert_rejected(
        &run,
        "handbook.yaml",
        &[("6:9", "javascript"), ("7:14", "javascript")],
    );
    crate::assert_diagnostics!(run);
}

#[test]
fn edit_url_that_starts_with_the_path() {
    let run = broken(|hb| {
        let yaml = hb.read("handbook.yaml");
        hb.write(
            "handbook.yaml",
            format!("{yaml}repository: {{edit_url: '{{path}}'}}\n"),
        );
    });
    run.assert_error(
        "handbook.yaml:5:25: `edit_url` must not start with `{path}`",
        Some(
            "start it with the repository's address, e.g. `https://git.example.com/edit/main/content/{path}`",
        ),
    );
    assert_eq!(run.error_count(), 1, "{}", run.stderr);
    crate::assert_diagnostics!(run);
}

#[test]
fn nul_in_a_title_and_a_control_character_in_a_session() {
    let run = broken(|hb| {
        hb.edit(
            "content/training/basics.md",
            "title: Presentation basics",
            "title: \"Presentation\\0 basics\"",
        );
        hb.edit(
            "content/training/basics.md",
            "location: Tampere, room Näsi",
            "location: \"Tampere, room N\\u0007äsi\"",
        );
    });
    run.assert_error(
        "content/training/basics.md:2:21: the text has a control character (U+0000) in it",
        Some(
            "remove it: write the text without escapes like `\\0`, `\\x07` or `\\u0000` (tabs and line breaks are fine)",
        ),
    );
    run.assert_error(
        "content/training/basics.md:20:31: the text has a control character (U+0007) in it",
        None,
    );
    assert_eq!(run.error_count(), 2, "{}", run.stderr);
    crate::assert_diagnostics!(run);
}

#[test]
fn allowed_urls_still_work() {
    let hb = Handbook::fixture("basic");
    hb.edit(
        "content/experts/aino-virtanen.md",
        "  blog: https://aino.example.com/\n",
        "  blog: https://aino.example.com/\n  phone: 'tel:+358401234567'\n  wiki: HTTPS://wiki.example.com/aino\n",
    );
    hb.edit(
        "content/training/basics.md",
        "    url: https://example.com/slides\n",
        "    url: https://example.com/slides\n  - title: Calendar\n    url: webcal://cal.example.com/training.ics\n  - title: Ask\n    url: mailto:training@example.com\n",
    );
    hb.edit(
        "content/guide/writing.md",
        "## Example\n",
        "[s](https://example.com/a:b) [m](mailto:a@example.com) [t](tel:+358401234567) \
         [w](webcal://cal.example.com/x.ics) [r](/training/) [h](#example) <https://auto.example.com>\n\n## Example\n",
    );
    hb.build_ok();
    let profile = hrefs(&hb.page("experts/aino-virtanen/index.html"));
    for want in ["tel:+358401234567", "HTTPS://wiki.example.com/aino"] {
        assert!(profile.iter().any(|h| h == want), "{want}: {profile:?}");
    }
    let module = hrefs(&hb.page("training/basics/index.html"));
    for want in [
        "webcal://cal.example.com/training.ics",
        "mailto:training@example.com",
    ] {
        assert!(module.iter().any(|h| h == want), "{want}: {module:?}");
    }
    let page = hrefs(&hb.page("guide/writing/index.html"));
    for want in [
        "https://example.com/a:b",
        "mailto:a@example.com",
        "tel:+358401234567",
        "webcal://cal.example.com/x.ics",
        "/handbook/training/",
        "#example",
        "https://auto.example.com",
    ] {
        assert!(page.iter().any(|h| h == want), "{want}: {page:?}");
    }
}

/// Raw HTML editors use, and what an attacker would write, in one page.
const RAW_HTML: &str = "\
<details><summary>Shortcuts</summary>

Copy with <kbd>Ctrl</kbd>+<kbd>C</kbd>, x<sup>2</sup><br>and **Markdown** inside.

<table id=\"keys\" class=\"wide\"><tr><td>a</td></tr></table>

</details>

<script>alert('block')</script>

Inline <img src=x onerror=\"alert('img')\"> and <a href=\"javascript:alert('a')\">a link</a>,
<img src=\"https://example.com/ok.png\" alt=\"ok\"> <span onclick=\"alert('span')\">span</span>.

## Example
";

#[test]
fn raw_html_is_sanitized() {
    let hb = Handbook::fixture("basic");
    hb.edit("content/guide/writing.md", "## Example\n", RAW_HTML);
    hb.build_ok();
    let html = hb.page("guide/writing/index.html");
    let body = support::between(&html, "<details>", "</pre>");
    for gone in ["<script", "alert(", "onerror", "onclick", "javascript:"] {
        assert!(!body.contains(gone), "{gone} is still there:\n{body}");
    }
    for kept in [
        "<details><summary>Shortcuts</summary>",
        "<kbd>Ctrl</kbd>+<kbd>C</kbd>",
        "x<sup>2</sup><br>",
        "<strong>Markdown</strong>",
        "<table id=\"keys\" class=\"wide\">",
        "</details>",
        "<img src=\"x\">",
        "<img src=\"https://example.com/ok.png\" alt=\"ok\">",
        "<span>span</span>",
        // esiin's own markup survives the sanitizer.
        "<h2 id=\"example\">Example<a class=\"heading-anchor\" href=\"#example\"",
        "<pre class=\"code\" data-lang=\"rust\" tabindex=\"0\">",
    ] {
        assert!(body.contains(kept), "{kept} is gone:\n{body}");
    }
    assert!(
        body.contains("<a rel=\"noopener noreferrer\">a link</a>"),
        "the link loses its href:\n{body}"
    );
}

#[test]
fn raw_html_trusted_stays_as_written() {
    let hb = Handbook::fixture("basic");
    hb.edit("content/guide/writing.md", "## Example\n", RAW_HTML);
    let yaml = hb.read("handbook.yaml");
    hb.write(
        "handbook.yaml",
        format!("{yaml}markdown: {{raw_html: trusted}}\n"),
    );
    hb.build_ok();
    let html = hb.page("guide/writing/index.html");
    assert!(html.contains("<script>alert('block')</script>"), "{html}");
    assert!(html.contains("onerror=\"alert('img')\""), "{html}");
}

#[test]
fn a_page_without_raw_html_is_not_touched() {
    let hb = Handbook::fixture("basic");
    hb.build_ok();
    let html = hb.page("guide/writing/index.html");
    // The sanitizer would add `rel` to every link and normalise quotes.
    assert!(!html.contains("noreferrer"), "{html}");
}

#[test]
fn an_unknown_raw_html_value() {
    let run = broken(|hb| {
        let yaml = hb.read("handbook.yaml");
        hb.write(
            "handbook.yaml",
            format!("{yaml}markdown:\n  raw_html: trust\n"),
        );
    });
    assert!(
        run.stderr
            .contains("error: handbook.yaml:6:13: `markdown.raw_html` must be one of: sanitize, sanitized, trusted, not `trust`"),
        "{}",
        run.stderr
    );
    assert_eq!(run.error_count(), 1, "{}", run.stderr);
    crate::assert_diagnostics!(run);
}
