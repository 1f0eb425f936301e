//! Tera templates: parsed once per build from the layered theme, rendered
//! in parallel (a `Tera` is `Sync`).

use std::collections::HashMap;
use std::path::PathBuf;

use tera::{Context, Tera};

use super::theme::Theme;
use crate::diag::{Diagnostic, Pos};

pub struct Templates {
    pub tera: Tera,
    /// Template name → the file it came from and its text, for messages.
    sources: HashMap<String, (PathBuf, String)>,
    /// A hash of the UI strings (the global `t`): every template reads
    /// them, so they are part of what the templates render.
    strings: u64,
}

impl Templates {
    /// Parses every `templates/*.html` of the theme. `strings` become the
    /// global `t` variable.
    pub fn load(theme: &Theme, strings: &serde_json::Value) -> Result<Templates, Vec<Diagnostic>> {
        let mut sources = HashMap::new();
        let mut list = Vec::new();
        let mut errors = Vec::new();
        for (name, file) in theme.under("templates") {
            let shown = file.origin.shown(&format!("templates/{name}"));
            match std::str::from_utf8(&file.bytes) {
                Ok(text) => {
                    list.push((name.to_string(), text.to_string()));
                    sources.insert(name.to_string(), (shown, text.to_string()));
                }
                Err(_) => errors.push(
                    Diagnostic::error("the template is not valid UTF-8")
                        .in_file(shown)
                        .hint("save the file as UTF-8"),
                ),
            }
        }
        if !errors.is_empty() {
            return Err(errors);
        }
        let mut tera = Tera::default();
        tera.autoescape_on([".html", ".htm", ".xml", ".svg"]);
        let strings_hash = serde_json::to_vec(strings)
            .map(|bytes| xxhash_rust::xxh3::xxh3_64(&bytes))
            .unwrap_or_default();
        let mut t = Templates {
            tera,
            sources,
            strings: strings_hash,
        };
        if let Err(e) = t.tera.add_raw_templates(list) {
            return Err(vec![t.error(&e, None)]);
        }
        t.tera.global_context().insert("t", strings);
        Ok(t)
    }

    /// A fingerprint of every template's text and of the UI strings (and
    /// so of what any of them would render): a page rendered with other
    /// templates or strings is rendered again.
    pub fn fingerprint(&self) -> u64 {
        let mut names: Vec<&str> = self.sources.keys().map(String::as_str).collect();
        names.sort_unstable();
        self.hash_sources(&names)
    }

    /// A hash of the UI strings and of the templates `names` (sorted):
    /// each name with its text.
    fn hash_sources(&self, names: &[&str]) -> u64 {
        let mut h = xxhash_rust::xxh3::Xxh3::new();
        h.update(&self.strings.to_le_bytes());
        for name in names {
            h.update(name.as_bytes());
            h.update(&[0]);
            if let Some((_, text)) = self.sources.get(*name) {
                h.update(text.as_bytes());
            }
            h.update(&[0]);
        }
        h.digest()
    }

    /// A fingerprint of what template `name` renders with: its own text,
    /// every template it extends, includes or imports (transitively), and
    /// the UI strings. A page is rendered again when this changes, so
    /// editing `expert.html` re-renders the experts, not every page. When a
    /// template names another with anything but a string literal, which
    /// one it uses is unknown, and the fingerprint is that of all of them.
    pub fn fingerprint_of(&self, name: &str) -> u64 {
        let mut seen: Vec<&str> = Vec::new();
        let mut todo = vec![name];
        while let Some(next) = todo.pop() {
            if seen.contains(&next) {
                continue;
            }
            seen.push(next);
            let Some((_, text)) = self.sources.get(next) else {
                continue;
            };
            match referenced_templates(text) {
                Some(names) => todo.extend(names),
                None => return self.fingerprint(),
            }
        }
        seen.sort_unstable();
        self.hash_sources(&seen)
    }

    pub fn exists(&self, name: &str) -> bool {
        self.tera.contains_template(name)
    }

    /// Renders template `name` for `what` (the content page, or what is
    /// being written, named in the error if the template fails on it).
    pub fn render(&self, name: &str, ctx: &Context, what: &str) -> Result<String, Diagnostic> {
        self.tera
            .render(name, ctx)
            .map_err(|e| self.error(&e, Some((name, what))))
    }

    /// Turns a Tera error into a located diagnostic.
    fn error(&self, e: &tera::Error, rendering: Option<(&str, &str)>) -> Diagnostic {
        use tera::ErrorKind;
        match e.kind() {
            ErrorKind::SyntaxError(r) | ErrorKind::RenderingError(r) => {
                let what = if matches!(e.kind(), ErrorKind::SyntaxError(_)) {
                    "template syntax error"
                } else {
                    "template error"
                };
                let mut d = Diagnostic::error(format!("{what}: {}", r.message()));
                if let Some((shown, text)) = self.sources.get(r.filename()) {
                    let span = r.span();
                    d = d.in_file(shown).at(
                        text,
                        Pos {
                            line: span.start_line.max(1),
                            col: span.start_col + 1,
                        },
                    );
                    if span.start_line == span.end_line {
                        d = d.with_len(span.end_col.saturating_sub(span.start_col));
                    }
                }
                d.hint(match rendering {
                    Some((_, what)) => format!(
                        "while rendering {what}; check the template against docs/templates.md"
                    ),
                    None => "fix the template; the syntax is Tera 2's".to_string(),
                })
            }
            other => {
                let mut d = Diagnostic::error(format!("template error: {other}"));
                if let Some((name, _)) = rendering
                    && let Some((shown, _)) = self.sources.get(name)
                {
                    d = d.in_file(shown);
                }
                d
            }
        }
    }
}
/// The templates a template's text names in `extends`, `include` and
/// `import` tags; `None` when one of them is not a string literal.
fn referenced_templates(text: &str) -> Option<Vec<&str>> {
    let mut out = Vec::new();
    let mut rest = text;
    while let Some(start) = rest.find("{%") {
        let tag = &rest[start + 2..];
        let end = tag.find("%}").unwrap_or(tag.len());
        let inner = tag[..end].trim_start_matches(['-', '+']).trim_start();
        rest = &tag[end..];
        let Some((word, arg)) = inner.split_once(char::is_whitespace) else {
            continue;
        };
        if !matches!(word, "extends" | "include" | "import") {
            continue;
        }
        let arg = arg.trim_start();
        let quote = arg
            .chars()
            .next()
            .filter(|c| matches!(c, '"' | '\'' | '`'))?;
        let name = &arg[1..];
        out.push(&name[..name.find(quote)?]);
    }
    Some(out)
}

#[cfg(test)]
mod tests {
    use super::referenced_templates;

    #[test]
    fn finds_the_templates_a_template_names() {
        let text = r#"{% extends "base.html" %}{%- include 'partials/card.html' -%}
            {% import "macros.html" as m %}{% if x %}{{ y }}{% endif %}"#;
        assert_eq!(
            referenced_templates(text),
            Some(vec!["base.html", "partials/card.html", "macros.html"])
        );
        // A name that is not a literal: any template may be the one.
        assert_eq!(referenced_templates("{% include name %}"), None);
    }
}
