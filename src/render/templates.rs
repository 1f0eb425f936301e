//! Tera templates: parsed once per build from the layered theme, rendered
//! in parallel (a `Tera` is `Sync`).

use std::collections::HashMap;
use std::path::PathBuf;

use tera::{Context, Tera};

use super::strings::Strings;
use super::theme::Theme;
use crate::diag::{Diagnostic, Pos, suggest};

pub(crate) struct Templates {
    pub tera: Tera,
    /// Template name → the file it came from and its text, for messages.
    sources: HashMap<String, (PathBuf, String)>,
    /// A hash of the UI strings (the global `t`): every template reads
    /// them, so they are part of what the templates render.
    strings: u64,
}

impl Templates {
    /// Parses every `templates/*.html` of the theme. `strings` become the
    /// global `t` variable, serialized here once for every page.
    pub(crate) fn load(theme: &Theme, strings: &Strings) -> Result<Templates, Vec<Diagnostic>> {
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
            return Err(t.errors(&e, None));
        }
        t.tera.global_context().insert("t", strings);
        Ok(t)
    }

    /// A fingerprint of every template's text and of the UI strings (and
    /// so of what any of them would render): a page rendered with other
    /// templates or strings is rendered again.
    pub(crate) fn fingerprint(&self) -> u64 {
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
    pub(crate) fn fingerprint_of(&self, name: &str) -> u64 {
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

    pub(crate) fn exists(&self, name: &str) -> bool {
        self.tera.contains_template(name)
    }

    /// Renders template `name` for `what` (the content page, or what is
    /// being written, named in the error if the template fails on it).
    pub(crate) fn render(
        &self,
        name: &str,
        ctx: &Context,
        what: &str,
    ) -> Result<String, Diagnostic> {
        self.tera.render(name, ctx).map_err(|e| {
            // A render stops at its first error: Tera reports one.
            let mut all = self.errors(&e, Some((name, what))).into_iter();
            all.next().unwrap_or_else(|| {
                Diagnostic::error(format!("template error: {e}"))
                    .hint("check the template against docs/templates.md")
            })
        })
    }

    /// Turns a Tera error into located diagnostics: each in the file of
    /// the template it is about, at Tera's line and column where it gives
    /// them (else at the tag it is about), with a hint. Several when Tera
    /// joined the reports of its reference checks (unknown filters,
    /// includes, …) into one message.
    fn errors(&self, e: &tera::Error, rendering: Option<(&str, &str)>) -> Vec<Diagnostic> {
        use tera::ErrorKind;
        let context = |hint: String| match rendering {
            Some((_, what)) => format!("while rendering {what}; {hint}"),
            None => hint,
        };
        match e.kind() {
            ErrorKind::SyntaxError(r) | ErrorKind::RenderingError(r) => {
                let syntax = matches!(e.kind(), ErrorKind::SyntaxError(_));
                vec![self.report_error(syntax, r, rendering)]
            }
            ErrorKind::Msg(text) if text.starts_with("error: ") => text
                .split("\n\nerror: ")
                .map(|report| {
                    self.report_to_diagnostic(report.trim_start_matches("error: "), rendering)
                })
                .collect(),
            ErrorKind::CircularExtend {
                tpl,
                inheritance_chain,
            } => vec![self.circular_extend(tpl, inheritance_chain)],
            ErrorKind::CircularInclude { tpl, include_chain } => {
                let next = include_chain.get(1).map_or(tpl.as_str(), String::as_str);
                vec![
                    self.at_tag(
                        Diagnostic::error(format!(
                            "template `{tpl}` includes itself: {}",
                            include_chain.join(" → ")
                        ))
                        .hint("remove one of the `{% include %}` tags that form the loop"),
                        tpl,
                        "include",
                        next,
                    ),
                ]
            }
            ErrorKind::MissingParent { current, parent } => {
                vec![
                    self.at_tag(
                        Diagnostic::error(format!(
                            "template `{current}` extends `{parent}`, which does not exist"
                        ))
                        .hint(missing_template_hint(parent, &self.names())),
                        current,
                        "extends",
                        parent,
                    ),
                ]
            }
            ErrorKind::TemplateNotFound(name) => vec![
                self.in_rendered(
                    Diagnostic::error(format!("there is no template `{name}`"))
                        .hint(context(missing_template_hint(name, &self.names()))),
                    rendering,
                ),
            ],
            other => vec![self.in_rendered(
                Diagnostic::error(format!("template error: {other}")).hint(context(
                    "check the template against docs/templates.md".into(),
                )),
                rendering,
            )],
        }
    }

    /// A syntax or rendering error, at Tera's line and column in its
    /// template; the hint names what was being rendered, if anything.
    fn report_error(
        &self,
        syntax: bool,
        r: &tera::ReportError,
        rendering: Option<(&str, &str)>,
    ) -> Diagnostic {
        let what = if syntax {
            "template syntax error"
        } else {
            "template error"
        };
        let span = r.span();
        let pos = Pos {
            line: span.start_line.max(1),
            col: span.start_col + 1,
        };
        let len =
            (span.start_line == span.end_line).then(|| span.end_col.saturating_sub(span.start_col));
        let hint = match rendering {
            Some((_, what)) => {
                format!("while rendering {what}; check the template against docs/templates.md")
            }
            None => hint_for(r.message(), &self.names()),
        };
        self.at_pos(
            Diagnostic::error(format!("{what}: {}", r.message())).hint(hint),
            r.filename(),
            pos,
            len,
        )
    }

    /// Template `tpl` extends itself through `chain`: an error at the
    /// `extends` tag of `tpl`.
    fn circular_extend(&self, tpl: &str, chain: &[String]) -> Diagnostic {
        let parent = chain.first().map_or(tpl, String::as_str);
        let chain = std::iter::once(tpl)
            .chain(chain.iter().map(String::as_str))
            .collect::<Vec<_>>()
            .join(" → ");
        self.at_tag(
            Diagnostic::error(format!("template `{tpl}` extends itself: {chain}")).hint(
                "make one of them extend another template, such as `base.html`; a file in \
                 `templates/` replaces the theme's file of the same name, so it cannot extend it",
            ),
            tpl,
            "extends",
            parent,
        )
    }

    fn names(&self) -> Vec<&str> {
        let mut names: Vec<&str> = self.sources.keys().map(String::as_str).collect();
        names.sort_unstable();
        names
    }

    /// One of the reports Tera joins into a message, rustc style:
    /// `MESSAGE\n --> NAME:LINE:COL\n …`.
    fn report_to_diagnostic(&self, report: &str, rendering: Option<(&str, &str)>) -> Diagnostic {
        let message = report.lines().next().unwrap_or_default().trim();
        // Tera writes "Unknown filter"; after our "template error: ", lower case.
        let mut chars = message.chars();
        let first = chars.next().map(|c| c.to_ascii_lowercase());
        let shown: String = first.into_iter().chain(chars).collect();
        let d = Diagnostic::error(format!("template error: {shown}"))
            .hint(hint_for(message, &self.names()));
        let place = report.lines().find_map(|l| {
            let (name, rest) = l.trim_start().strip_prefix("--> ")?.split_once(':')?;
            let (line, col) = rest.split_once(':')?;
            Some((name, line.parse().ok()?, col.parse().ok()?))
        });
        match place {
            Some((name, line, col)) => {
                // Tera's own underline, `^^^`, is as long as what it marks.
                let carets = report.lines().map(|l| l.matches('^').count()).max();
                self.at_pos(d, name, Pos { line, col }, carets.filter(|n| *n > 0))
            }
            None => self.in_rendered(d, rendering),
        }
    }

    /// `d` located at `pos` in template `name`, marking `len` characters.
    fn at_pos(&self, d: Diagnostic, name: &str, pos: Pos, len: Option<usize>) -> Diagnostic {
        let Some((shown, text)) = self.sources.get(name) else {
            return d;
        };
        let d = d.in_file(shown).at(text, pos);
        match len {
            Some(len) => d.with_len(len),
            None => d,
        }
    }

    /// `d` located in template `name` at the first `{% tag … %}` whose
    /// argument names `arg` (else at the first `tag`, else the file).
    fn at_tag(&self, d: Diagnostic, name: &str, tag: &str, arg: &str) -> Diagnostic {
        let Some((shown, text)) = self.sources.get(name) else {
            return d;
        };
        let d = d.in_file(shown);
        let tags = text.match_indices(tag).map(|(i, _)| i);
        let with_arg = tags.clone().find_map(|i| {
            let end = text[i..].find("%}").map_or(text.len(), |e| i + e);
            text[i..end].find(arg).map(|j| (i + j, arg.len()))
        });
        match with_arg.or_else(|| tags.clone().next().map(|i| (i, tag.len()))) {
            Some((offset, len)) => d.at_offset(text, offset, len),
            None => d,
        }
    }

    /// `d` in the file of the template being rendered, when there is one.
    fn in_rendered(&self, d: Diagnostic, rendering: Option<(&str, &str)>) -> Diagnostic {
        match rendering.and_then(|(name, _)| self.sources.get(name)) {
            Some((shown, _)) => d.in_file(shown),
            None => d,
        }
    }
}

/// Tera 2's built-in filters, for suggestions (`uper` → `upper`).
const FILTERS: &[&str] = &[
    "abs",
    "capitalize",
    "default",
    "escape",
    "escape_html",
    "escape_xml",
    "first",
    "float",
    "get",
    "group_by",
    "indent",
    "int",
    "join",
    "keys",
    "last",
    "length",
    "lower",
    "newlines_to_br",
    "nth",
    "pairs",
    "pluralize",
    "replace",
    "reverse",
    "round",
    "safe",
    "sort",
    "split",
    "str",
    "title",
    "trim",
    "trim_end",
    "trim_start",
    "truncate",
    "unique",
    "upper",
    "values",
    "wordcount",
];

/// The first word of `message` between backticks.
fn backticked(message: &str) -> Option<&str> {
    message.split('`').nth(1).filter(|w| !w.is_empty())
}

/// What to write instead, for one of Tera's messages about a template.
fn hint_for(message: &str, templates: &[&str]) -> String {
    let word = backticked(message).unwrap_or_default();
    if message.starts_with("Unknown filter") {
        match suggest(word, FILTERS.iter().copied()) {
            Some(best) => format!("did you mean `{best}`?"),
            None => format!(
                "remove `| {word}`, or use one of Tera's filters: {}",
                FILTERS.join(", ")
            ),
        }
    } else if message.starts_with("Unknown template") {
        missing_template_hint(word, templates)
    } else if message.starts_with("Unknown test") {
        "use one of Tera's tests (`defined`, `string`, `number`, …), or remove it".to_string()
    } else if message.starts_with("Unknown function") {
        "esiin adds no functions to Tera's (`range`, `throw`): compute the value with filters, or remove the call".to_string()
    } else if message.starts_with("Block") {
        "rename the block to one that the template it extends defines, or remove it".to_string()
    } else {
        "fix the template; the syntax is Tera 2's".to_string()
    }
}

/// The hint for a template that names one that does not exist.
fn missing_template_hint(name: &str, templates: &[&str]) -> String {
    match suggest(name, templates.iter().copied()) {
        Some(best) => format!("did you mean `{best}`?"),
        None => format!(
            "create `templates/{name}` in the handbook, or name one of the theme's templates"
        ),
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
    use super::{Templates, Theme};
    use crate::diag::Pos;
    use crate::render::theme::{File, Origin};

    /// Templates from `(name, text)` pairs, as if in the handbook's
    /// `templates/`; their errors.
    fn load_errors(files: &[(&str, &str)]) -> Vec<crate::diag::Diagnostic> {
        let mut theme = Theme::default();
        for (name, text) in files {
            theme.files.insert(
                format!("templates/{name}"),
                File {
                    bytes: text.as_bytes().to_vec().into(),
                    origin: Origin::Disk(format!("templates/{name}").into()),
                },
            );
        }
        match Templates::load(&theme, &crate::render::strings::Strings::default()) {
            Ok(_) => Vec::new(),
            Err(errors) => errors,
        }
    }

    /// Tera joins the reports of its reference checks into one message;
    /// each becomes a diagnostic at its place. (A Tera upgrade that changes
    /// the report's layout fails here.)
    #[test]
    fn each_of_teras_joined_reports_is_located() {
        let errs = load_errors(&[(
            "page.html",
            "<p>\n{{ x | uper }}\n{% include \"nope.html\" %}\n",
        )]);
        let got: Vec<_> = errs
            .iter()
            .map(|d| (d.location(), d.message.as_str(), d.len, d.hint.as_deref()))
            .collect();
        assert_eq!(
            got,
            [
                (
                    Some("templates/page.html:2:8".to_string()),
                    "template error: unknown filter `uper`",
                    4,
                    Some("did you mean `upper`?")
                ),
                (
                    Some("templates/page.html:3:12".to_string()),
                    "template error: unknown template `nope.html`",
                    11,
                    Some(
                        "create `templates/nope.html` in the handbook, or name one of the theme's templates"
                    )
                ),
            ]
        );
    }

    #[test]
    fn a_loop_of_extends_is_located_at_the_tag() {
        let errs = load_errors(&[
            ("a.html", "{% extends \"b.html\" %}"),
            ("b.html", "{% extends \"a.html\" %}"),
        ]);
        assert_eq!(errs.len(), 1, "{errs:?}");
        assert_eq!(errs[0].pos, Some(Pos { line: 1, col: 13 }), "{errs:?}");
        assert!(
            errs[0].message.contains("a.html → b.html → a.html"),
            "{errs:?}"
        );
    }

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
