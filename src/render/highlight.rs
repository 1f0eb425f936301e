//! Code highlighting with syntect, as CSS classes (`hl-…`), so one light and
//! one dark stylesheet colour every page and the HTML stays theme-free.
//!
//! Loading a syntax set costs tens of milliseconds, so it is loaded once per
//! process, lazily: a handbook without code blocks never pays for it. The
//! colour themes are loaded the same way, in `code_themes`.

use std::sync::OnceLock;

use syntect::highlighting::{Color, Theme};
use syntect::html::{ClassStyle, ClassedHTMLGenerator, css_for_theme_with_class_style};
use syntect::parsing::SyntaxSet;
use syntect::util::LinesWithEndings;

/// The prefix of every class the highlighter writes.
pub(crate) const CLASS_PREFIX: &str = "hl-";
const STYLE: ClassStyle = ClassStyle::SpacedPrefixed {
    prefix: CLASS_PREFIX,
};
pub(crate) const DEFAULT_LIGHT: &str = "InspiredGitHub";
pub(crate) const DEFAULT_DARK: &str = "base16-ocean.dark";

/// The backgrounds the stylesheets are shown on: `--code-bg` of the
/// default theme's `theme.css`, light and dark (a test checks that they
/// agree). Not the syntect theme's own background, which `pre` never has.
pub(crate) const CODE_BG_LIGHT: Color = opaque(0xf3, 0xf5, 0xf8);
pub(crate) const CODE_BG_DARK: Color = opaque(0x11, 0x18, 0x20);

/// WCAG 2 AA asks 4.5:1 of text; a little more, so that a checker's own
/// rounding never puts a token just under it.
const MIN_CONTRAST: f64 = 4.55;

const fn opaque(r: u8, g: u8, b: u8) -> Color {
    Color { r, g, b, a: 0xFF }
}

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

/// The stylesheet for theme `name` (validated by the config loader), shown
/// on `background`: every token colour is made readable on it.
pub(crate) fn css(name: &str, background: Color) -> String {
    crate::code_themes::get(name)
        .map(|t| readable(t, background))
        .and_then(|t| css_for_theme_with_class_style(&t, STYLE).ok())
        .unwrap_or_default()
}

/// `theme` with each foreground colour moved just far enough towards black
/// or white to meet [`MIN_CONTRAST`] on the background it is drawn on (its
/// scope's own, else `background`). Themes are made for their own
/// background, and several of syntect's fall under 4.5:1 even there
/// (InspiredGitHub's comments, 2.7:1).
fn readable(theme: &Theme, background: Color) -> Theme {
    let mut theme = theme.clone();
    theme.settings.background = Some(background);
    theme.settings.foreground = theme
        .settings
        .foreground
        .map(|fg| contrasting(fg, background));
    for item in &mut theme.scopes {
        let bg = item
            .style
            .background
            .map_or(background, |c| opaque(c.r, c.g, c.b));
        item.style.foreground = item.style.foreground.map(|fg| contrasting(fg, bg));
    }
    theme
}

/// `fg` (as shown: opaque), or the first mix of it with black or white
/// (whichever contrasts more with `bg`) that is readable on `bg`.
fn contrasting(fg: Color, bg: Color) -> Color {
    let (black, white) = (opaque(0, 0, 0), opaque(0xFF, 0xFF, 0xFF));
    let toward = if contrast(black, bg) >= contrast(white, bg) {
        black
    } else {
        white
    };
    let mix = |a: u8, b: u8, t: f64| (f64::from(a) * (1.0 - t) + f64::from(b) * t).round() as u8;
    // Black or white itself has at least 4.58:1 on any background.
    (0..=100)
        .map(|step| {
            let t = f64::from(step) / 100.0;
            opaque(
                mix(fg.r, toward.r, t),
                mix(fg.g, toward.g, t),
                mix(fg.b, toward.b, t),
            )
        })
        .find(|c| contrast(*c, bg) >= MIN_CONTRAST)
        .unwrap_or(toward)
}

/// WCAG 2's relative luminance of an sRGB colour.
fn luminance(c: Color) -> f64 {
    let channel = |v: u8| {
        let v = f64::from(v) / 255.0;
        if v <= 0.04045 {
            v / 12.92
        } else {
            ((v + 0.055) / 1.055).powf(2.4)
        }
    };
    0.2126 * channel(c.r) + 0.7152 * channel(c.g) + 0.0722 * channel(c.b)
}

/// WCAG 2's contrast ratio of two colours (1 to 21).
fn contrast(a: Color, b: Color) -> f64 {
    let (la, lb) = (luminance(a), luminance(b));
    (la.max(lb) + 0.05) / (la.min(lb) + 0.05)
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
        assert!(css(DEFAULT_LIGHT, CODE_BG_LIGHT).contains(".hl-"));
        assert!(css(DEFAULT_DARK, CODE_BG_DARK).contains(".hl-"));
    }

    /// `#rrggbb` (or `#rrggbbaa`, alpha ignored as the browser shows it
    /// here: syntect writes opaque colours) as a colour.
    fn parse_hex(hex: &str) -> Color {
        let hex = hex.trim().trim_start_matches('#').trim_end_matches(';');
        let byte = |i: usize| u8::from_str_radix(&hex[i..i + 2], 16).unwrap();
        opaque(byte(0), byte(2), byte(4))
    }

    /// Each rule of a stylesheet syntect wrote: its selector, `color` and
    /// `background-color`.
    fn rules(css: &str) -> Vec<(String, Option<Color>, Option<Color>)> {
        let mut out = Vec::new();
        for block in css.split('}') {
            let Some((selector, body)) = block.split_once('{') else {
                continue;
            };
            let value = |prop: &str| {
                body.lines()
                    .find_map(|l| l.trim().strip_prefix(prop))
                    .map(parse_hex)
            };
            out.push((
                selector.trim().to_string(),
                value("color:"),
                value("background-color:"),
            ));
        }
        out
    }

    /// Every token colour of every theme a handbook may choose, in the
    /// light and the dark stylesheet, meets WCAG AA (4.5:1) on the code
    /// background it is shown on, read back from the CSS esiin writes.
    #[test]
    fn every_token_colour_of_every_theme_meets_4_5_to_1() {
        let mut failures = Vec::new();
        for name in crate::code_themes::names() {
            for (scheme, page_bg) in [("light", CODE_BG_LIGHT), ("dark", CODE_BG_DARK)] {
                let css = css(&name, page_bg);
                let rules = rules(&css);
                assert!(rules.len() > 5, "{name}: {css}");
                for (selector, fg, bg) in rules {
                    let Some(fg) = fg else { continue };
                    let ratio = contrast(fg, bg.unwrap_or(page_bg));
                    if ratio < 4.5 {
                        failures.push(format!("{name} ({scheme}) {selector}: {ratio:.2}:1"));
                    }
                }
            }
        }
        assert!(failures.is_empty(), "{failures:#?}");
    }

    #[test]
    fn contrast_is_wcag_s_ratio_and_readable_colours_change_little() {
        let white = opaque(0xFF, 0xFF, 0xFF);
        assert!((contrast(opaque(0, 0, 0), white) - 21.0).abs() < 1e-9);
        // The figures, as axe-core reported them.
        let green = parse_hex("#63a35c");
        assert!((contrast(green, CODE_BG_LIGHT) - 2.77).abs() < 0.01);
        assert!((contrast(parse_hex("#bf616a"), CODE_BG_DARK) - 4.36).abs() < 0.01);
        // Made darker on light, lighter on dark, and no further than needed.
        let fixed = contrasting(green, CODE_BG_LIGHT);
        assert!(fixed.g < green.g && contrast(fixed, CODE_BG_LIGHT) < 4.8);
        let red = parse_hex("#bf616a");
        let fixed = contrasting(red, CODE_BG_DARK);
        assert!(fixed.r > red.r && contrast(fixed, CODE_BG_DARK) < 4.8);
        // A colour already readable stays as it is.
        let text = parse_hex("#323232");
        assert_eq!(contrasting(text, CODE_BG_LIGHT), text);
    }

    /// The backgrounds above are `--code-bg` of the default theme: the
    /// light one first, the dark one in the dark scheme's rules.
    #[test]
    fn code_backgrounds_are_the_theme_css_ones() {
        let theme = include_str!("../../themes/default/static/theme.css");
        let values: Vec<Color> = theme
            .lines()
            .filter_map(|l| l.trim().strip_prefix("--code-bg:"))
            .map(parse_hex)
            .collect();
        assert_eq!(values.first(), Some(&CODE_BG_LIGHT), "{values:?}");
        assert!(values.contains(&CODE_BG_DARK), "{values:?}");
        assert!(
            values
                .iter()
                .all(|v| [CODE_BG_LIGHT, CODE_BG_DARK].contains(v)),
            "theme.css has a --code-bg the highlight stylesheets are not made for: {values:?}"
        );
    }
}
