//! Code highlighting with syntect, as CSS classes (`hl-…`), so one light and
//! one dark stylesheet colour every page and the HTML stays theme-free.
//!
//! Loading a syntax set costs tens of milliseconds, so it is loaded once per
//! process, lazily: a handbook without code blocks never pays for it. The
//! colour themes are loaded the same way, in `code_themes`.

use std::sync::OnceLock;

use syntect::html::{ClassStyle, ClassedHTMLGenerator, css_for_theme_with_class_style};
use syntect::parsing::SyntaxSet;
use syntect::util::LinesWithEndings;

const STYLE: ClassStyle = ClassStyle::SpacedPrefixed { prefix: "hl-" };
pub(crate) const DEFAULT_LIGHT: &str = "InspiredGitHub";
pub(crate) const DEFAULT_DARK: &str = "base16-ocean.dark";

fn syntaxes() -> &'static SyntaxSet {
    static SET: OnceLock<SyntaxSet> = OnceLock::new();
    // two-face's set is a superset of syntect's defaults (TOML, Dockerfile,
    // TypeScript, …), as bat ships it.
    SET.get_or_init(two_face::syntax::extra_newlines)
}

/// Highlights `code` written in `lang` (a fence's info string: a name or an
/// extension). Returns `None` for languages syntect does not know, which
/// are then shown as plain, escaped text.
pub(crate) fn highlight(code: &str, lang: &str) -> Option<String> {
    let set = syntaxes();
    let syntax = set
        .find_syntax_by_token(lang)
        .or_else(|| set.find_syntax_by_extension(lang))?;
    let mut generator = ClassedHTMLGenerator::new_with_class_style(syntax, set, STYLE);
    for line in LinesWithEndings::from(code) {
        generator
            .parse_html_for_line_which_includes_newline(line)
            .ok()?;
    }
    Some(generator.finalize())
}

/// The stylesheet for theme `name` (validated by the config loader).
pub(crate) fn css(name: &str) -> String {
    crate::code_themes::get(name)
        .and_then(|t| css_for_theme_with_class_style(t, STYLE).ok())
        .unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn highlights_known_languages_with_classes() {
        let html = highlight("fn main() {}\n", "rust").unwrap();
        assert!(html.contains("class=\"hl-"), "{html}");
        assert!(highlight("x", "no-such-language").is_none());
    }

    #[test]
    fn default_themes_exist_and_make_css() {
        assert!(css(DEFAULT_LIGHT).contains(".hl-"));
        assert!(css(DEFAULT_DARK).contains(".hl-"));
    }
}
