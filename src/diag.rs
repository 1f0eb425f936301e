//! Diagnostics: every problem esiin finds in a handbook, with where it is.
//!
//! The pipeline never prints; it collects [`Diagnostic`]s so that a build
//! reports *all* of its errors together (an editor fixing a handbook wants the
//! full list, not one error per run). Rendering for people happens in one
//! place, [`Diagnostic::render`], and for machines in [`Diagnostic::to_json`].

use std::fmt;
use std::path::{Path, PathBuf};

use annotate_snippets::{AnnotationKind, Group, Level, Renderer, Snippet};

/// A position in a source file: 1-based line and column (in characters).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub struct Pos {
    pub line: usize,
    pub col: usize,
}

impl Pos {
    pub(crate) const START: Pos = Pos { line: 1, col: 1 };

    /// The position of byte offset `offset` in `text`.
    pub(crate) fn of_offset(text: &str, offset: usize) -> Pos {
        let offset = floor_char_boundary(text, offset.min(text.len()));
        let before = &text[..offset];
        let line = before.matches('\n').count() + 1;
        let line_start = before.rfind('\n').map_or(0, |i| i + 1);
        let col = text[line_start..offset].chars().count() + 1;
        Pos { line, col }
    }
}

/// Bytes of a long line kept on each side of a diagnostic's position.
const LINE_CONTEXT: usize = 120;

/// Where the lines of a text start, and how many characters precede every
/// [`Lines::BLOCK`] bytes: a position is found by a binary search and a
/// count of at most one block, so that locating many diagnostics in one
/// file is linear in the file, not in the file times the diagnostics.
#[derive(Debug, Clone, Default)]
pub(crate) struct Lines {
    starts: Vec<usize>,
    /// Characters before byte `k * BLOCK`.
    chars_before: Vec<usize>,
}

impl Lines {
    const BLOCK: usize = 1024;

    pub(crate) fn new(text: &str) -> Lines {
        let starts = std::iter::once(0)
            .chain(text.match_indices('\n').map(|(i, _)| i + 1))
            .collect();
        let mut chars_before = vec![0];
        for block in text.as_bytes().chunks(Self::BLOCK) {
            let last = chars_before.last().copied().unwrap_or(0);
            chars_before.push(last + count_chars(block));
        }
        Lines {
            starts,
            chars_before,
        }
    }

    /// The 0-based line that byte `offset` is on.
    fn line_of(&self, offset: usize) -> usize {
        self.starts
            .partition_point(|&s| s <= offset)
            .saturating_sub(1)
    }

    /// Byte range of line `line`, without its line break.
    fn span(&self, text: &str, line: usize) -> (usize, usize) {
        let start = self.starts.get(line).copied().unwrap_or(text.len());
        let stop = self
            .starts
            .get(line + 1)
            .map_or(text.len(), |&next| next - 1);
        let stop = if text[..stop].ends_with('\r') {
            stop - 1
        } else {
            stop
        };
        (start, stop.max(start))
    }

    /// Characters between byte `from` and byte `to` (char boundaries).
    fn chars(&self, text: &str, from: usize, to: usize) -> usize {
        self.chars_to(text, to) - self.chars_to(text, from)
    }

    fn chars_to(&self, text: &str, to: usize) -> usize {
        let block = to / Self::BLOCK;
        let before = self.chars_before.get(block).copied().unwrap_or(0);
        before + count_chars(&text.as_bytes()[block * Self::BLOCK..to])
    }
}

/// Characters in UTF-8 `bytes` (that may start or end inside one): the
/// bytes that are not continuation bytes.
fn count_chars(bytes: &[u8]) -> usize {
    bytes.iter().filter(|&&b| (b & 0xC0) != 0x80).count()
}

fn floor_char_boundary(text: &str, mut offset: usize) -> usize {
    while !text.is_char_boundary(offset) {
        offset -= 1;
    }
    offset
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Severity {
    Error,
    Warning,
}

/// One problem, located in a file (relative to the handbook root) when it
/// has a place.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Diagnostic {
    pub severity: Severity,
    /// Path relative to the handbook root, as the user would type it.
    pub file: Option<PathBuf>,
    pub pos: Option<Pos>,
    /// Length of the offending text in characters (for the caret), at least 1.
    pub len: usize,
    /// The source line the position is on, for the snippet: around the
    /// position only when the line is long (see [`LINE_CONTEXT`]).
    pub line_text: Option<String>,
    /// Characters of the line left out before `line_text` begins (its
    /// leading `…` stands for them): the caret is at `pos.col - 1 -
    /// line_skip` in `line_text`.
    pub line_skip: usize,
    pub message: String,
    /// What to write instead.
    pub hint: Option<String>,
}

impl Diagnostic {
    pub fn error(message: impl Into<String>) -> Self {
        Diagnostic {
            severity: Severity::Error,
            file: None,
            pos: None,
            len: 1,
            line_text: None,
            line_skip: 0,
            message: message.into(),
            hint: None,
        }
    }

    pub(crate) fn warning(message: impl Into<String>) -> Self {
        Diagnostic {
            severity: Severity::Warning,
            ..Diagnostic::error(message)
        }
    }

    pub fn in_file(mut self, file: impl Into<PathBuf>) -> Self {
        self.file = Some(file.into());
        self
    }

    /// Locates the diagnostic at `pos` in `text` (the whole file), keeping
    /// the line for the snippet.
    pub fn at(mut self, text: &str, pos: Pos) -> Self {
        self.pos = Some(pos);
        let Some(line) = text.lines().nth(pos.line - 1) else {
            self.line_text = None;
            return self;
        };
        let at = line
            .char_indices()
            .nth(pos.col.saturating_sub(1))
            .map_or(line.len(), |(i, _)| i);
        let len = self.len;
        self.keep_line(line, at, pos.col.saturating_sub(1), len)
    }

    /// Locates the diagnostic at byte `offset` of `text`, marking `len` bytes.
    pub(crate) fn at_offset(self, text: &str, offset: usize, len: usize) -> Self {
        self.at_offset_in(text, &Lines::new(text), offset, len)
    }

    /// [`Diagnostic::at_offset`] with the line starts of `text` found
    /// beforehand: many diagnostics in one file (one per item of a long
    /// list) each cost the length of their own line, not of the file.
    pub(crate) fn at_offset_in(
        mut self,
        text: &str,
        lines: &Lines,
        offset: usize,
        len: usize,
    ) -> Self {
        let offset = floor_char_boundary(text, offset.min(text.len()));
        let end = floor_char_boundary(text, (offset + len).min(text.len()));
        let line = lines.line_of(offset);
        let (start, stop) = lines.span(text, line);
        let col = lines.chars(text, start, offset);
        let pos = Pos {
            line: line + 1,
            col: col + 1,
        };
        self.pos = Some(pos);
        let chars = text[offset..end].chars().take_while(|c| *c != '\n').count();
        self.len = chars.max(1);
        // An offset on a line break (`\r` of `\r\n`) is at the line's end.
        let at = (offset - start).min(stop - start);
        self.keep_line(&text[start..stop], at, col, chars)
    }

    /// Keeps `line` for the snippet, where the diagnostic is at byte `at`
    /// (character `col`) and marks `len` characters; of a long line only
    /// [`LINE_CONTEXT`] bytes each side, so that a thousand diagnostics on
    /// one long line do not each keep a copy of all of it.
    fn keep_line(mut self, line: &str, at: usize, col: usize, len: usize) -> Self {
        let mark_end = line[at..]
            .char_indices()
            .nth(len)
            .map_or(line.len(), |(i, _)| at + i);
        let from = floor_char_boundary(line, at.saturating_sub(LINE_CONTEXT));
        let to = floor_char_boundary(line, (mark_end + LINE_CONTEXT).min(line.len()));
        let mut kept = String::with_capacity(to - from + 8);
        self.line_skip = 0;
        if from > 0 {
            kept.push('…');
            // The `…` takes the place of one of the characters left out.
            self.line_skip = col - line[from..at].chars().count() - 1;
        }
        kept.push_str(&line[from..to]);
        if to < line.len() {
            kept.push('…');
        }
        self.line_text = Some(kept);
        self
    }

    pub(crate) fn with_len(mut self, len: usize) -> Self {
        self.len = len.max(1);
        self
    }

    /// The same diagnostic as a warning: for helpers that build errors
    /// (`Source::error_at_key`) used for something the build survives.
    pub(crate) fn into_warning(mut self) -> Self {
        self.severity = Severity::Warning;
        self
    }

    pub fn hint(mut self, hint: impl Into<String>) -> Self {
        self.hint = Some(hint.into());
        self
    }

    pub fn is_error(&self) -> bool {
        self.severity == Severity::Error
    }

    /// `file:line:col` (or as much of it as is known).
    pub(crate) fn location(&self) -> Option<String> {
        // An empty path (the handbook root made relative to itself) is no
        // location: shown, it would be an empty `: ` before the message.
        let file = self.file.as_ref()?.display().to_string();
        if file.is_empty() {
            return None;
        }
        Some(match self.pos {
            Some(p) => format!("{file}:{}:{}", p.line, p.col),
            None => file,
        })
    }

    /// Renders for a terminal, rustc style: a first line that is
    /// `file:line:col: message` (so editors and grep can jump to it), the
    /// source line with a caret, and the hint.
    pub fn render(&self, color: bool) -> String {
        let level = match self.severity {
            Severity::Error => Level::ERROR,
            Severity::Warning => Level::WARNING,
        };
        let title = match self.location() {
            Some(loc) => format!("{loc}: {}", self.message),
            None => self.message.clone(),
        };
        let primary = level.primary_title(title.as_str());
        let file = self.file.as_ref().map(|f| f.display().to_string());
        let mut group = match (self.pos, &self.line_text) {
            (Some(pos), Some(line)) => {
                let start: usize = line
                    .char_indices()
                    .nth((pos.col - 1).saturating_sub(self.line_skip))
                    .map_or(line.len(), |(i, _)| i);
                let end = line[start..]
                    .char_indices()
                    .nth(self.len)
                    .map_or(line.len(), |(i, _)| start + i);
                let mut snippet = Snippet::source(line.as_str())
                    .line_start(pos.line)
                    .annotation(AnnotationKind::Primary.span(start..end.max(start)));
                // The snippet's own `--> file:line:col` would count the
                // column from the kept part of a long line: left out then,
                // the first line says where.
                if let Some(file) = file.as_ref().filter(|_| self.line_skip == 0) {
                    snippet = snippet.path(file.as_str());
                }
                primary.element(snippet)
            }
            _ => Group::with_title(primary),
        };
        if let Some(hint) = &self.hint {
            group = group.element(Level::HELP.message(hint.as_str()));
        }
        let report = vec![group];
        let renderer = if color {
            Renderer::styled()
        } else {
            Renderer::plain()
        };
        renderer.render(&report)
    }

    pub fn to_json(&self) -> serde_json::Value {
        serde_json::json!({
            "severity": match self.severity { Severity::Error => "error", Severity::Warning => "warning" },
            "file": self.file.as_ref().map(|f| f.display().to_string()),
            "line": self.pos.map(|p| p.line),
            "column": self.pos.map(|p| p.col),
            "message": self.message,
            "hint": self.hint,
        })
    }
}

impl fmt::Display for Diagnostic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.render(false))
    }
}

/// Sorts diagnostics by file and position, errors of one place first, so
/// that the output of a parallel build is deterministic.
pub(crate) fn sort(diags: &mut [Diagnostic]) {
    diags.sort_by(|a, b| {
        (&a.file, a.pos, a.severity, &a.message).cmp(&(&b.file, b.pos, b.severity, &b.message))
    });
}

/// The nearest of `candidates` to `word`, if it is near enough to be a
/// plausible typo (`topcis` → `topics`).
pub(crate) fn suggest<'a>(
    word: &str,
    candidates: impl IntoIterator<Item = &'a str>,
) -> Option<&'a str> {
    let word_l = word.to_lowercase();
    candidates
        .into_iter()
        .map(|c| {
            let c_l = c.to_lowercase();
            let (a, b) = without_shared_extension(&word_l, &c_l);
            (strsim::jaro_winkler(a, b), c)
        })
        .filter(|(score, _)| *score >= 0.8)
        .max_by(|a, b| a.0.total_cmp(&b.0))
        .map(|(_, c)| c)
}

/// `fancy.html` is no nearer to `plan.html` for both ending in `.html`:
/// names that share an extension are compared without it.
fn without_shared_extension<'s>(a: &'s str, b: &'s str) -> (&'s str, &'s str) {
    match (a.rsplit_once('.'), b.rsplit_once('.')) {
        (Some((stem_a, ext_a)), Some((stem_b, ext_b)))
            if ext_a == ext_b
                && !ext_a.contains('/')
                && !stem_a.is_empty()
                && !stem_b.is_empty() =>
        {
            (stem_a, stem_b)
        }
        _ => (a, b),
    }
}

/// Makes `path` relative to `root` for display.
pub(crate) fn display_path(root: &Path, path: &Path) -> PathBuf {
    path.strip_prefix(root).unwrap_or(path).to_path_buf()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every diagnostic tells the editor what to write instead (its
    /// `help:` line), and a hint-less one added anywhere later must fail a
    /// test even if no test triggers it. So this reads the source: every
    /// `Diagnostic::error(…)`, `Diagnostic::warning(…)` and
    /// `….error_at_key(…)` under `src/` outside `#[cfg(test)]` code must
    /// have `.hint(` in its builder chain: the expression up to the `;`,
    /// `,` or closing bracket that ends it. A hint added in a later
    /// statement does not count (write it into the chain; for a warning,
    /// end the chain with `.into_warning()`). Skipped: `diag.rs`, which
    /// defines the constructors, and the body of `fn error_at_key`, whose
    /// callers are checked instead. `tests/suite/support/handbook.rs`
    /// checks the same on what the integration tests print.
    #[test]
    fn every_diagnostic_has_a_hint() {
        let root = Path::new(env!("CARGO_MANIFEST_DIR"));
        let mut files = Vec::new();
        rust_files(&root.join("src"), &mut files);
        let (mut found, mut missing) = (0, Vec::new());
        for file in files {
            let rel = display_path(root, &file).display().to_string();
            if rel.replace('\\', "/") == "src/diag.rs" {
                continue;
            }
            let text = std::fs::read_to_string(&file).unwrap_or_default();
            let code = &text[..text.find("#[cfg(test)]").unwrap_or(text.len())];
            for (at, chain) in diagnostic_chains(code) {
                found += 1;
                if !chain.contains(".hint(") {
                    let line = code[..at].matches('\n').count() + 1;
                    let first = chain.lines().next().unwrap_or_default();
                    missing.push(format!("  {rel}:{line}: {first}"));
                }
            }
            // A struct literal would get round the constructors.
            for at in struct_literals(code) {
                let line = code[..at].matches('\n').count() + 1;
                missing.push(format!(
                    "  {rel}:{line}: `Diagnostic {{ … }}`: build it with `Diagnostic::error(…)`"
                ));
            }
        }
        // The scan itself works: esiin has dozens of diagnostics.
        assert!(found >= 60, "found only {found} diagnostics under src/");
        assert!(
            missing.is_empty(),
            "{} diagnostic(s) without a hint; add `.hint(\"what to write instead\")` \
             to the builder chain of each:\n{}",
            missing.len(),
            missing.join("\n")
        );
    }

    #[test]
    fn the_hint_scan_reads_builder_chains() {
        let code = r#"
            let a = Diagnostic::error(format!("x (y); {z}")).in_file(f).hint("h");
            diags.push(Diagnostic::warning("a, b").at(t, p));
            // Diagnostic::error("in a comment")
            let c = p.src.error_at_key("k", Some('"'), m.to_string()).hint(x);
            let d = Diagnostic::error(r"raw (").hint(h), other;
            fn error_at_key(&self) -> Diagnostic {
                Diagnostic::error(message).in_file(&self.rel)
            }
        "#;
        let chains: Vec<(bool, &str)> = diagnostic_chains(code)
            .into_iter()
            .map(|(_, c)| (c.contains(".hint("), c))
            .collect();
        assert_eq!(chains.len(), 4, "{chains:#?}");
        assert_eq!(
            chains.iter().map(|c| c.0).collect::<Vec<_>>(),
            [true, false, true, true],
            "{chains:#?}"
        );
        assert!(chains[1].1.ends_with(".at(t, p)"), "{chains:#?}");
    }

    /// Offsets of `Diagnostic { field: … }` struct literals (not the
    /// `-> Diagnostic {` of a function's body).
    fn struct_literals(code: &str) -> Vec<usize> {
        const FIELDS: &[&str] = &[
            "severity",
            "file",
            "pos",
            "len",
            "line_text",
            "message",
            "hint",
            "..",
        ];
        code.match_indices("Diagnostic {")
            .filter(|(at, m)| {
                let after = code[at + m.len()..].trim_start();
                FIELDS.iter().any(|f| {
                    after
                        .strip_prefix(f)
                        .is_some_and(|rest| *f == ".." || rest.starts_with([':', ',', ' ', '\n']))
                })
            })
            .map(|(at, _)| at)
            .collect()
    }

    #[test]
    fn the_hint_scan_finds_struct_literals() {
        let code = "fn f() -> Diagnostic {\n    Diagnostic::error(m)\n}\nlet d = Diagnostic { hint: None, ..x };\n";
        assert_eq!(struct_literals(code).len(), 1);
    }

    fn rust_files(dir: &Path, out: &mut Vec<PathBuf>) {
        let Ok(entries) = std::fs::read_dir(dir) else {
            return;
        };
        for entry in entries.flatten() {
            let path = entry.path();
            if path.is_dir() {
                rust_files(&path, out);
            } else if path.extension().is_some_and(|e| e == "rs") {
                out.push(path);
            }
        }
    }

    /// Each diagnostic expression in `code`: its byte offset and its text
    /// up to the end of its builder chain.
    fn diagnostic_chains(code: &str) -> Vec<(usize, &str)> {
        let mut out = Vec::new();
        for pattern in [
            "Diagnostic::error(",
            "Diagnostic::warning(",
            ".error_at_key(",
        ] {
            for (at, _) in code.match_indices(pattern) {
                let line_start = code[..at].rfind('\n').map_or(0, |i| i + 1);
                let in_comment = code[line_start..at].trim_start().starts_with("//");
                let in_helper = code[..at]
                    .rfind("fn ")
                    .is_some_and(|f| code[f..].starts_with("fn error_at_key("));
                if !in_comment && !in_helper {
                    let open = at + pattern.len() - 1;
                    out.push((at, &code[at..chain_end(code, open)]));
                }
            }
        }
        out.sort_unstable();
        out
    }

    /// Where the expression whose call opens at `open` (a `(`) ends: at
    /// the first `;` or `,` outside brackets, or at a bracket closing one
    /// opened before it. Skips strings, characters and line comments.
    fn chain_end(code: &str, open: usize) -> usize {
        let bytes = code.as_bytes();
        let mut depth = 0usize;
        let mut i = open;
        while i < bytes.len() {
            match bytes[i] {
                b'"' => i = string_end(code, i, 0),
                b'r' if matches!(bytes.get(i + 1), Some(b'"' | b'#'))
                    && !bytes[i - 1].is_ascii_alphanumeric() =>
                {
                    let hashes = code[i + 1..].bytes().take_while(|b| *b == b'#').count();
                    i = string_end(code, i + 1 + hashes, hashes);
                }
                b'\'' if bytes.get(i + 1) == Some(&b'\\') => {
                    i += 2 + code[i + 2..].find('\'').unwrap_or(0);
                }
                b'\'' if bytes.get(i + 2) == Some(&b'\'') => i += 2,
                b'/' if bytes.get(i + 1) == Some(&b'/') => {
                    i += code[i..].find('\n').unwrap_or(code.len() - i);
                }
                b'(' | b'[' | b'{' => depth += 1,
                b')' | b']' | b'}' if depth == 0 => return i,
                b')' | b']' | b'}' => depth -= 1,
                b';' | b',' if depth == 0 => return i,
                _ => {}
            }
            i += 1;
        }
        code.len()
    }

    /// The offset of the closing quote of the string whose opening quote
    /// is at `quote`, raw with `hashes` `#`s when `hashes` > 0.
    fn string_end(code: &str, quote: usize, hashes: usize) -> usize {
        let bytes = code.as_bytes();
        let mut i = quote + 1;
        while i < bytes.len() {
            match bytes[i] {
                b'\\' if hashes == 0 => i += 1,
                b'"' if code[i + 1..]
                    .bytes()
                    .take(hashes)
                    .filter(|b| *b == b'#')
                    .count()
                    == hashes =>
                {
                    return i + hashes;
                }
                _ => {}
            }
            i += 1;
        }
        code.len()
    }

    #[test]
    fn positions_count_lines_and_characters() {
        let text = "ab\nää x\n";
        assert_eq!(Pos::of_offset(text, 0), Pos { line: 1, col: 1 });
        assert_eq!(Pos::of_offset(text, 3), Pos { line: 2, col: 1 });
        // "ää " is 5 bytes, 3 characters.
        assert_eq!(Pos::of_offset(text, 8), Pos { line: 2, col: 4 });
        // An offset inside a character is moved to its start.
        assert_eq!(Pos::of_offset(text, 4), Pos { line: 2, col: 1 });
    }

    #[test]
    fn suggests_near_words_only() {
        let known = ["topics", "title", "team"];
        assert_eq!(suggest("topcis", known), Some("topics"));
        assert_eq!(suggest("zzzz", known), None);
    }

    #[test]
    fn a_shared_extension_does_not_make_names_near() {
        let templates = ["page.html", "plan.html", "base.html", "section.html"];
        assert_eq!(suggest("fancy.html", templates), None);
        assert_eq!(suggest("pgae.html", templates), Some("page.html"));
        assert_eq!(
            suggest("training/basic.md", ["training/basics.md", "plan.md"]),
            Some("training/basics.md")
        );
    }

    #[test]
    fn a_diagnostic_on_a_long_line_keeps_only_its_neighbourhood() {
        let items: Vec<String> = (0..10_000).map(|k| format!("t{k}")).collect();
        let text = format!("---\ntags: [{}]\n---\n", items.join(", "));
        let offset = text.find("t5000,").unwrap();
        let d = Diagnostic::warning("gap").at_offset(&text, offset, 5);
        let pos = Pos::of_offset(&text, offset);
        assert_eq!(d.pos, Some(pos));
        let kept = d.line_text.as_deref().unwrap();
        assert!(
            kept.len() < 2 * LINE_CONTEXT + 20,
            "{} bytes kept",
            kept.len()
        );
        assert!(kept.starts_with('…') && kept.ends_with('…'), "{kept}");
        // The caret is on `t5000` in what is kept.
        let caret = pos.col - 1 - d.line_skip;
        let at: String = kept.chars().skip(caret).take(5).collect();
        assert_eq!(at, "t5000");
        let out = d.render(false);
        assert!(out.lines().all(|l| l.len() < 400), "{out}");
    }

    #[test]
    fn many_positions_in_one_text_agree_with_counting() {
        let text = "ab\nää x\r\n\nlast ö";
        let lines = Lines::new(text);
        for offset in (0..=text.len()).filter(|&o| text.is_char_boundary(o)) {
            let d = Diagnostic::error("x").at_offset_in(text, &lines, offset, 1);
            assert_eq!(d.pos, Some(Pos::of_offset(text, offset)), "offset {offset}");
        }
    }

    #[test]
    fn renders_location_caret_and_hint() {
        let text = "---\ntitle: A\ntopcis: [rust]\n---\n";
        let d = Diagnostic::error("unknown field `topcis`")
            .in_file("content/a.md")
            .at_offset(text, 13, 6)
            .hint("did you mean `topics`?");
        let out = d.render(false);
        assert!(
            out.contains("content/a.md:3:1: unknown field `topcis`"),
            "{out}"
        );
        assert!(out.contains("topcis: [rust]"), "{out}");
        assert!(out.contains("^^^^^^"), "{out}");
        assert!(out.contains("help: did you mean `topics`?"), "{out}");
    }
}
