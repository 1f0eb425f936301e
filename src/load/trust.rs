//! Front matter that would publish something the editor did not mean:
//! URLs with a scheme that runs script (`javascript:`, `data:`, …) and
//! control characters hidden in text. Both are errors at the value, found
//! per file while loading, so that nothing downstream sees them.

use std::collections::HashMap;

use super::Source;
use super::kinds::KindData;
use crate::diag::Diagnostic;
use crate::yaml;

/// Every front-matter URL that reaches an `href` or `src` in the theme:
/// channels, a photo, activity, materials, session links and a guidelines
/// image.
pub(super) fn urls(src: &Source, data: &KindData) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    let mut check = |key: &str, value: &str| {
        if let Err(r) = crate::url::check(value) {
            let (offset, len) = locate_value(src, key, value);
            out.push(
                Diagnostic::error(r.message())
                    .in_file(&src.rel)
                    .at_offset(&src.text, offset, len)
                    .hint(crate::url::HINT),
            );
        }
    };
    match data {
        KindData::Expert(e) => {
            for (name, value) in &e.channels.0 {
                check(name, value);
            }
            if let Some(photo) = &e.photo {
                check("photo", photo);
            }
            // Located from one scan of the file: a profile may list
            // thousands of items.
            let mut places = ValuePlaces::new(src, "url");
            for item in &e.activity {
                if let Err(r) = crate::url::check(&item.url) {
                    let (offset, len) = places.next_value(&item.url);
                    out.push(
                        Diagnostic::error(r.message())
                            .in_file(&src.rel)
                            .at_offset_in(&src.text, src.lines(), offset, len)
                            .hint(crate::url::HINT),
                    );
                }
            }
        }
        KindData::Module(m) => {
            for material in &m.materials {
                check("url", &material.url);
            }
            for s in &m.sessions {
                for (key, value) in [("online_url", &s.online_url), ("signup_url", &s.signup_url)] {
                    if let Some(v) = value {
                        check(key, v);
                    }
                }
            }
        }
        KindData::Guidelines(g) => {
            if let Some(image) = &g.image {
                check("image", image);
            }
        }
        KindData::Page | KindData::Section | KindData::Plan(_) | KindData::Path(_) => {}
    }
    out
}

/// Where `value` of `key` is written: on a line of that key (the first
/// `key:` may belong to another item of a list that has the same value
/// under another key). A value written with escapes (`"java\tscript:…"`)
/// is not in the text as it was parsed: it is found by its part before
/// the first escape. Else as [`Source::locate`] finds it (a value on
/// lines of its own).
fn locate_value(src: &Source, key: &str, value: &str) -> (usize, usize) {
    let head = value
        .find(|c: char| c.is_control() || c == '\\' || c == '"')
        .map_or(value, |i| &value[..i]);
    let escaped = format!("{head}\\");
    let candidates = [(value, value.len()), (escaped.as_str(), head.len())];
    for (needle, len) in candidates.into_iter().filter(|(n, _)| n.trim().len() >= 3) {
        if let Some(at) = on_key_line(src, key, needle) {
            return (at, len);
        }
    }
    // Inside a flow mapping (`- {date: …, url: /a}`): after `key:` on any line.
    let fm = src.fm_text();
    let mut from = 0;
    while let Some(i) = fm[from..].find(&format!("{key}:")).map(|i| from + i) {
        let after = i + key.len() + 1;
        let rest = &fm[after..];
        let value_at = after + (rest.len() - rest.trim_start_matches([' ', '"', '\'']).len());
        if !value.is_empty() && fm[value_at..].starts_with(value) {
            return (src.fm.start + value_at, value.len());
        }
        from = after;
    }
    src.locate(key, Some(value))
}

/// The offset of `needle` after the colon of the first front-matter line
/// that sets `key` and holds it.
fn on_key_line(src: &Source, key: &str, needle: &str) -> Option<usize> {
    let mut pos = src.fm.start;
    for line in src.fm_text().split_inclusive('\n') {
        let trimmed = line.trim_start().trim_start_matches("- ");
        let after_key = trimmed
            .strip_prefix(key)
            .and_then(|rest| rest.trim_start().strip_prefix(':'));
        if let Some(rest) = after_key
            && let Some(i) = rest.find(needle)
        {
            return Some(pos + line.len() - rest.len() + i);
        }
        pos += line.len();
    }
    None
}

/// Where the values of one key are written, for checks that locate many
/// of them (an expert's activity URLs: a profile may list thousands, and
/// one search per value would be quadratic in the file). The file is
/// scanned once, at the first question ([`value_lines`]).
pub(crate) struct ValuePlaces<'s> {
    src: &'s Source,
    key: &'static str,
    lines: Option<HashMap<&'s str, Vec<usize>>>,
    /// By value: how many of its places [`ValuePlaces::next_value`] gave.
    given: HashMap<String, usize>,
}

impl<'s> ValuePlaces<'s> {
    pub(crate) fn new(src: &'s Source, key: &'static str) -> ValuePlaces<'s> {
        ValuePlaces {
            src,
            key,
            lines: None,
            given: HashMap::new(),
        }
    }

    /// The offset of the `n`-th (from 0) `key:` whose value is `value`
    /// (trimmed), in the order written.
    pub(crate) fn key_at(&mut self, value: &str, n: usize) -> Option<usize> {
        let (src, key) = (self.src, self.key);
        let lines = self.lines.get_or_insert_with(|| value_lines(src, key));
        lines.get(value.trim()).and_then(|l| l.get(n)).copied()
    }

    /// Where `value` is written, as `(offset, len)`: at its next place not
    /// given yet (the items that share a value are asked in the order
    /// written), else where [`locate_value`] finds it.
    pub(crate) fn next_value(&mut self, value: &str) -> (usize, usize) {
        let v = value.trim();
        let n = self.given.entry(v.to_string()).or_default();
        let nth = *n;
        *n += 1;
        let text = &self.src.text;
        match self.key_at(v, nth) {
            Some(at) => (at + text[at..].find(v).unwrap_or(0), v.len()),
            None => locate_value(self.src, self.key, value),
        }
    }
}

/// Where each `key: VALUE` of the front matter is written (the key), by
/// value (quotes taken off), in the order written: on lines of their own,
/// as list items (`- key:`) and inside flow mappings (`- {key: VALUE, …}`).
fn value_lines<'s>(src: &'s Source, key: &str) -> HashMap<&'s str, Vec<usize>> {
    let mut out: HashMap<&str, Vec<usize>> = HashMap::new();
    let pattern = format!("{key}:");
    let mut pos = src.fm.start;
    for line in src.fm_text().split_inclusive('\n') {
        for (i, _) in line.match_indices(&pattern) {
            let before = line[..i].trim_end_matches([' ', '\t']);
            if !(before.is_empty() || before.ends_with(['{', ',', '-'])) {
                continue;
            }
            // Inside `{…}` a value ends at `,` or `}`; on its own line, at the end.
            let in_flow = line[..i].matches('{').count() > line[..i].matches('}').count();
            let rest = line[i + pattern.len()..].trim_start();
            let value = match rest.chars().next() {
                Some(q @ ('"' | '\'')) => rest[1..].split(q).next().unwrap_or(""),
                _ if in_flow => rest.split([',', '}']).next().unwrap_or("").trim(),
                _ => rest.trim(),
            };
            out.entry(value).or_default().push(pos + i);
        }
        pos += line.len();
    }
    out
}

/// Whether `c` may stand in front-matter text: anything but control
/// characters, of which tab and line feed are the ones text has.
fn allowed_char(c: char) -> bool {
    !c.is_control() || c == '\t' || c == '\n'
}

/// Control characters in any front-matter string (a key or a value), e.g.
/// a NUL written as `"\0"`: invisible in the editor, they would reach the
/// page, the search index and calendars as they are.
pub(super) fn control_chars(src: &Source) -> Vec<Diagnostic> {
    let fm = src.fm_text();
    // YAML only makes control characters from escapes in double-quoted
    // text (it rejects them written raw, but look for those too): without
    // a backslash there is nothing to parse again.
    if !fm.contains('\\') && fm.chars().all(|c| allowed_char(c) || c == '\r') {
        return Vec::new();
    }
    let Ok(value) = yaml::from_str::<yaml::Value>(fm) else {
        return Vec::new();
    };
    let mut found = Vec::new();
    walk(&value, None, &mut found);
    found
        .into_iter()
        .map(|(key, c)| {
            let (offset, len) = locate(src, key.as_deref());
            Diagnostic::error(format!(
                "the text has a control character (U+{:04X}) in it",
                c as u32
            ))
            .in_file(&src.rel)
            .at_offset(&src.text, offset, len)
            .hint("remove it: write the text without escapes like `\\0`, `\\x07` or `\\u0000` (tabs and line breaks are fine)")
        })
        .collect()
}

/// Collects the first control character of every string under `value`,
/// with the nearest mapping key above it.
fn walk(value: &yaml::Value, key: Option<&str>, found: &mut Vec<(Option<String>, char)>) {
    let text = |s: &str, key: Option<&str>, found: &mut Vec<_>| {
        if let Some(c) = s.chars().find(|c| !allowed_char(*c)) {
            found.push((key.map(str::to_owned), c));
        }
    };
    match value {
        yaml::Value::String(s) => text(s, key, found),
        yaml::Value::Sequence(items) => {
            for item in items {
                walk(item, key, found);
            }
        }
        yaml::Value::Mapping(map) => {
            for (k, v) in map {
                let name = k.as_str();
                if let Some(name) = name {
                    text(name, key, found);
                }
                walk(v, name.or(key), found);
            }
        }
        yaml::Value::Tagged(t) => walk(&t.value, key, found),
        yaml::Value::Null | yaml::Value::Bool(_) | yaml::Value::Number(_) => {}
    }
}

/// Where the control character under `key` is written: the first escape
/// (or raw control character) from the key on; the key when there is none.
fn locate(src: &Source, key: Option<&str>) -> (usize, usize) {
    let (from, key_len) = match key {
        Some(k) => src.locate(k, None),
        None => (src.fm.start, 1),
    };
    let rest = &src.text[from..src.fm.end];
    let hit = rest
        .char_indices()
        .find(|&(_, c)| c == '\\' || (!allowed_char(c) && c != '\r'));
    match hit {
        Some((i, '\\')) => {
            let len = match rest[i + 1..].chars().next() {
                Some('x') => 4,
                Some('u') => 6,
                Some('U') => 10,
                _ => 2,
            };
            (from + i, len)
        }
        Some((i, c)) => (from + i, c.len_utf8()),
        None => (from, key_len),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn source(fm: &str) -> Source {
        let text = format!("---\n{fm}---\nbody\n");
        Source {
            rel: "content/a.md".into(),
            fm: 4..4 + fm.len(),
            body: 4 + fm.len() + 4,
            text,
            places: Default::default(),
        }
    }

    #[test]
    fn an_escaped_nul_is_found_at_its_escape() {
        let src = source("title: \"A\\0B\"\ntags: [x]\n");
        let errs = control_chars(&src);
        assert_eq!(errs.len(), 1, "{errs:?}");
        assert_eq!(errs[0].pos, Some(crate::diag::Pos { line: 2, col: 10 }));
        assert_eq!(errs[0].len, 2);
        assert!(errs[0].message.contains("U+0000"), "{errs:?}");
    }

    #[test]
    fn nested_values_and_unicode_escapes_are_found() {
        let src = source("title: A\nsessions:\n  - location: \"Room\\u0007\"\n");
        let errs = control_chars(&src);
        assert_eq!(errs.len(), 1, "{errs:?}");
        assert_eq!(errs[0].pos, Some(crate::diag::Pos { line: 4, col: 20 }));
        assert_eq!(errs[0].len, 6);
    }

    #[test]
    fn tabs_line_breaks_and_plain_backslashes_pass() {
        for fm in [
            "title: \"a\\tb\\nc\"\n",
            "title: C:\\path\\to\n",
            "title: 'x\\0'\n",
        ] {
            assert!(control_chars(&source(fm)).is_empty(), "{fm}");
        }
    }
}
