//! The one place that parses YAML.
//!
//! serde_yaml is archived upstream; we use its maintained continuation
//! (`yaml_serde`, renamed to `serde_yaml` in Cargo.toml). Keeping every call
//! behind this module means a future swap is a one-line change, and it is
//! where YAML errors are turned into located, human messages.

use serde::de::DeserializeOwned;

use crate::diag::{Pos, suggest};

pub use serde_yaml::Value;

/// A YAML error, located relative to the start of the YAML text, with what
/// to write instead (always: an editor told only what is wrong still has
/// to guess the fix).
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct YamlError {
    pub pos: Option<Pos>,
    /// How many characters from `pos` the caret marks (at least 1).
    pub len: usize,
    pub message: String,
    pub hint: String,
}

/// Parses `text` into `T`, turning serde's messages into ones that say what
/// to write instead.
pub(crate) fn from_str<T: DeserializeOwned>(text: &str) -> Result<T, YamlError> {
    serde_yaml::from_str(text).map_err(|e| {
        let pos = e.location().map(|l| Pos {
            line: l.line(),
            col: l.column(),
        });
        if let Some(err) = misaligned(text, &e.to_string(), pos) {
            return err;
        }
        let (message, hint) = humanize(&e.to_string());
        let mut err = YamlError {
            pos,
            len: 1,
            message,
            hint,
        };
        if let Some(key) = key_named(&err.message, "unknown field `") {
            err.len = key.chars().count();
        }
        relocate_duplicate(text, &mut err);
        locate_reader_error(text, &mut err);
        // "… not the number `-1`": the caret marks the whole value.
        if let Some((_, found)) = err.message.rsplit_once(", not ")
            && (found.starts_with("the ") || found.starts_with('`'))
        {
            let value = found
                .trim_start_matches("the number ")
                .trim_start_matches("the text ");
            err.len = value.trim_matches(['`', '"']).chars().count().max(1);
        }
        if err.pos.is_none() && err.message.contains("more than one document") {
            err.pos = second_document(text);
            err.len = 3;
        }
        err
    })
}

/// The word after `prefix` up to the next backtick, when `message` has it.
fn key_named<'m>(message: &'m str, prefix: &str) -> Option<&'m str> {
    let rest = &message[message.find(prefix)? + prefix.len()..];
    Some(&rest[..rest.find('`')?])
}

/// serde reports a key written twice at the start of the mapping that
/// holds it (the first key, not the culprit). Moves the error to the
/// second time the key is written in that mapping: the lines from the
/// mapping's start that are indented as its first key, up to the first
/// line indented less.
fn relocate_duplicate(text: &str, err: &mut YamlError) {
    let Some(pos) = err.pos else { return };
    let Some(key) = key_named(&err.message, "`").filter(|_| err.message.contains("twice")) else {
        return;
    };
    let indent = pos.col.saturating_sub(1);
    let mut seen = 0;
    let first = pos.line.saturating_sub(1);
    for (i, line) in text.lines().enumerate().skip(first) {
        let content = line.trim_start();
        let at = line.chars().count() - content.chars().count();
        let at_key = if i == first {
            line.chars().skip(indent).collect::<String>()
        } else if content.is_empty() || content.starts_with('#') {
            continue;
        } else if at < indent {
            return;
        } else if at == indent {
            content.to_string()
        } else {
            continue;
        };
        let unquoted = at_key.trim_start_matches(['"', '\'']);
        let quotes = at_key.len() - unquoted.len();
        let is_key = unquoted.strip_prefix(key).is_some_and(|rest| {
            rest.trim_start_matches(['"', '\''])
                .trim_start()
                .starts_with(':')
        });
        if is_key {
            seen += 1;
            if seen == 2 {
                err.pos = Some(Pos {
                    line: i + 1,
                    col: indent + 1 + quotes,
                });
                err.len = key.chars().count();
                return;
            }
        }
    }
}

/// libyaml's reader (bad characters) reports "… at position N", a byte
/// offset, with no line: turns it into a position.
fn locate_reader_error(text: &str, err: &mut YamlError) {
    let Some((message, offset)) = err.message.rsplit_once(" at position ") else {
        return;
    };
    let Ok(offset) = offset.parse::<usize>() else {
        return;
    };
    err.pos = Some(Pos::of_offset(text, offset));
    err.message = message.to_string();
}

/// Where a second YAML document starts: the first `---` or `...` line
/// after the first document has content (serde_yaml gives no position).
fn second_document(text: &str) -> Option<Pos> {
    let mut content = false;
    for (i, line) in text.lines().enumerate() {
        let marker = ["---", "..."].iter().any(|m| {
            line.strip_prefix(m)
                .is_some_and(|rest| rest.trim().is_empty() || rest.starts_with(' '))
        });
        if marker && content {
            return Some(Pos {
                line: i + 1,
                col: 1,
            });
        }
        let trimmed = line.trim();
        content |= !marker
            && !trimmed.is_empty()
            && !trimmed.starts_with('#')
            && !trimmed.starts_with('%');
    }
    None
}

/// The fallback hint, for a message we have no better advice for.
const CHECK_VALUE: &str = "check this value against the field's description in SPEC.md";

/// The hint for YAML that does not parse.
const SYNTAX: &str = "check the indentation, and quote text that contains `: `, `#` or starts with `@`, `*`, `&`, `!`, `%`, `[` or `{`";

/// Turns serde/libyaml wording into ours: drops the trailing position (we
/// show it ourselves), replaces "expected one of" lists with the nearest
/// candidate, names Rust types in an editor's words, and always gives a
/// hint.
fn humanize(raw: &str) -> (String, String) {
    let message = match raw.find(" at line ") {
        Some(i) => raw[..i].to_string(),
        None => raw.to_string(),
    };
    if let Some(said) = unknown_variant(&message) {
        return said;
    }
    if let Some(said) = unknown_field(&message) {
        return said;
    }
    if let Some(key) = key_named(&message, "duplicate field `") {
        return (
            format!("`{key}` is written twice"),
            format!("keep one `{key}:` and merge the values into it"),
        );
    }
    if let Some(rest) = message
        .split_once("duplicate entry with key \"")
        .map(|(_, r)| r)
        && let Some((key, _)) = rest.split_once('"')
    {
        return (
            format!("`{key}` is written twice"),
            format!("keep one `{key}:` and merge the values into it"),
        );
    }
    // Our own types' messages say what to write after ": write " (see
    // `load::kinds`): that part is the hint.
    if let Some((what, how)) = message.split_once(": write ") {
        return (without_named_path(what).to_string(), format!("write {how}"));
    }
    if message.contains("missing field") {
        return (message, "add the field".to_string());
    }
    if message.starts_with("did not find expected")
        || message.starts_with("mapping values are not allowed")
        || message.starts_with("found ")
        || message.starts_with("while ")
        || message.starts_with("control characters are not allowed")
        || message.starts_with("invalid ") && message.contains("escape")
    {
        return (format!("invalid YAML: {message}"), SYNTAX.to_string());
    }
    if message.contains("more than one document") {
        return (
            "the YAML holds more than one document (a line that is only `---` inside it)"
                .to_string(),
            "remove the `---` line, or quote it if it is part of a value".to_string(),
        );
    }
    if message.contains("recursion limit exceeded") {
        return (
            "the YAML is nested too deeply".to_string(),
            "write flatter YAML: lists and mappings nest a few levels at most".to_string(),
        );
    }
    if message.contains("repetition limit exceeded") {
        return (
            "the YAML repeats values through aliases (`*name`) too many times".to_string(),
            "write the values out instead of repeating them with anchors (`&name`) and aliases"
                .to_string(),
        );
    }
    if message.contains("unknown anchor") {
        return (
            "an alias (`*name`) names no anchor (`&name`) written before it".to_string(),
            "quote the text if the `*` is meant literally, or write `&name` on the value it repeats"
                .to_string(),
        );
    }
    if message.contains("invalid type:") || message.contains("invalid value:") {
        return expected_type(&message);
    }
    (message, CHECK_VALUE.to_string())
}

/// "unknown field `topcis`, expected one of …": the nearest field as the
/// hint, else the list.
fn unknown_field(message: &str) -> Option<(String, String)> {
    let start = message.find("unknown field `")?;
    let rest = &message[start + "unknown field `".len()..];
    let end = rest.find('`')?;
    let word = &rest[..end];
    let candidates = backticked(&rest[end + 1..]);
    let short = format!("{}unknown field `{word}`", &message[..start]);
    let hint = match suggest(word, candidates.iter().copied()) {
        Some(best) => format!("did you mean `{best}`?"),
        None if candidates.is_empty() => "remove it".to_string(),
        None => format!("expected one of: {}", candidates.join(", ")),
    };
    Some((short, hint))
}

/// serde's "format: unknown variant `webinar`, expected one of `workshop`,
/// …" says it in an editor's words: "`format` must be one of: workshop, …,
/// not `webinar`", with the nearest value as the hint, else the list.
fn unknown_variant(message: &str) -> Option<(String, String)> {
    let start = message.find("unknown variant `")?;
    let rest = &message[start + "unknown variant `".len()..];
    let end = rest.find('`')?;
    let word = &rest[..end];
    let candidates = backticked(&rest[end + 1..]);
    let subject = match message[..start].trim_end_matches([' ', ':']) {
        "" => "the value".to_string(),
        path => format!("`{path}`"),
    };
    let list = candidates.join(", ");
    let hint = match suggest(word, candidates.iter().copied()) {
        Some(best) => format!("did you mean `{best}`?"),
        None => format!("write one of: {list}"),
    };
    Some((
        format!("{subject} must be one of: {list}, not `{word}`"),
        hint,
    ))
}

/// libyaml's messages for a line indented unlike the lines it belongs with.
const MISALIGNED: [&str; 3] = [
    "did not find expected '-' indicator",
    "did not find expected key",
    "mapping values are not allowed in this context",
];

/// An indentation slip, said as what is misaligned with what, at the
/// line that is off, with the line as it should be written. `None` when
/// the error is not one (or the lines above give nothing to align with):
/// then the generic syntax hint applies.
fn misaligned(text: &str, raw: &str, pos: Option<Pos>) -> Option<YamlError> {
    if raw.starts_with("could not find expected ':'") {
        return missing_colon(text, raw);
    }
    if !MISALIGNED.iter().any(|m| raw.starts_with(m)) {
        return None;
    }
    let lines: Vec<&str> = text.lines().collect();
    let at = pos?.line.checked_sub(1)?;
    let (indent, content) = split_indent(lines.get(at)?);
    let item = content.starts_with("- ");
    // A list item lines up with the list item above it; a field with the
    // nearest field above it.
    let (target, other) = lines[..at].iter().rev().find_map(|line| {
        let (ind, c) = split_indent(line);
        match c.strip_prefix("- ") {
            Some(_) if item => Some((ind, name(c))),
            _ if item => None,
            Some(rest) => key_of(rest).map(|k| (ind + 2, format!("`{k}:`"))),
            None => key_of(c).map(|k| (ind, format!("`{k}:`"))),
        }
    })?;
    if target == indent {
        return None;
    }
    let this = name(content);
    Some(YamlError {
        pos: Some(Pos {
            line: at + 1,
            col: indent + 1,
        }),
        len: content.chars().count().max(1),
        message: format!(
            "misaligned line: {this} is {}, but {other} above it is {}",
            spaces(indent),
            spaces(target)
        ),
        hint: format!(
            "indent it like {other}, with {target} spaces: `{}{content}`",
            " ".repeat(target)
        ),
    })
}

/// "could not find expected ':' …, while scanning a simple key at line L
/// column C": a line that starts like a field but has no colon
/// (`level Beginner`). libyaml reports the line after; the key's own
/// position is in the context.
fn missing_colon(text: &str, raw: &str) -> Option<YamlError> {
    let (_, at) = raw.split_once("while scanning a simple key at line ")?;
    let (line, col) = at.split_once(" column ")?;
    let line: usize = line.trim().parse().ok()?;
    let col: usize = col.trim().parse().ok()?;
    let (_, content) = split_indent(text.lines().nth(line.checked_sub(1)?)?);
    let fixed = match content.split_once(' ') {
        Some((key, value)) => format!("{key}: {}", value.trim_start()),
        None => format!("{content}: …"),
    };
    Some(YamlError {
        pos: Some(Pos { line, col }),
        len: content.chars().count().max(1),
        message: format!("`{content}` has no `:` after the field name"),
        hint: format!("write a colon and a space after the field name: `{fixed}`"),
    })
}

/// A line's indentation (in spaces) and the rest, trailing spaces dropped.
fn split_indent(line: &str) -> (usize, &str) {
    let content = line.trim_start_matches(' ');
    (line.len() - content.len(), content.trim_end())
}

/// The key of a `key: value` (or `key:`) line, when it is one.
fn key_of(content: &str) -> Option<&str> {
    let (key, rest) = content.split_once(':')?;
    let plain = !key.is_empty()
        && key
            .chars()
            .all(|c| c.is_alphanumeric() || matches!(c, '_' | '-' | ' '));
    (plain && (rest.is_empty() || rest.starts_with(' '))).then_some(key)
}

/// How a line is named in a message: `` `location:` ``, `` `- start:` ``,
/// or the list item itself, shortened.
fn name(content: &str) -> String {
    match content.strip_prefix("- ").map(key_of) {
        Some(Some(key)) => format!("`- {key}:`"),
        Some(None) => {
            let short: String = content.chars().take(24).collect();
            let more = if short.len() < content.len() {
                "…"
            } else {
                ""
            };
            format!("the list item `{short}{more}`")
        }
        None => match key_of(content) {
            Some(key) => format!("`{key}:`"),
            None => "this line".to_string(),
        },
    }
}

/// "not indented", "indented 1 space", "indented 4 spaces".
fn spaces(n: usize) -> String {
    match n {
        0 => "not indented".to_string(),
        1 => "indented 1 space".to_string(),
        n => format!("indented {n} spaces"),
    }
}

/// serde's "title: invalid type: sequence, expected a string" names Rust
/// types; says it in an editor's words: "`title` must be text, not a
/// list", and what to write.
fn expected_type(message: &str) -> (String, String) {
    let at = message
        .find("invalid type: ")
        .or_else(|| message.find("invalid value: "));
    let (path, rest) = match at {
        Some(i) => (
            message[..i].trim_end_matches(' ').trim_end_matches(':'),
            &message[i..],
        ),
        None => ("", message),
    };
    let Some((found, expected)) = rest.split_once(", expected ") else {
        return (message.to_string(), CHECK_VALUE.to_string());
    };
    let found = found
        .trim_start_matches("invalid type: ")
        .trim_start_matches("invalid value: ");
    let found = match found.split_once(' ') {
        _ if found == "sequence" => "a list".to_string(),
        _ if found == "map" => "a mapping".to_string(),
        _ if found == "unit value" => "nothing".to_string(),
        Some(("string", text)) => format!("the text {text}"),
        Some(("integer" | "floating", n)) => {
            format!("the number {}", n.trim_start_matches("point "))
        }
        Some(("boolean", b)) => b.to_string(),
        _ => found.to_string(),
    };
    let (short, long) = type_words(expected);
    let subject = match path {
        "" => "the YAML".to_string(),
        path => format!("`{path}`"),
    };
    (
        format!("{subject} must be {short}, not {found}"),
        format!("write {long}"),
    )
}

/// What serde's `expected` (a Rust type, or a visitor's own words) means
/// to an editor: briefly, for the message, and with an example, for the
/// hint.
fn type_words(expected: &str) -> (&str, &str) {
    match expected {
        "u8" | "u16" | "u32" | "u64" | "usize" => (
            "a whole number, 0 or more",
            "a whole number, 0 or more, such as `10`",
        ),
        "i8" | "i16" | "i32" | "i64" | "isize" => {
            ("a whole number", "a whole number, such as `10`")
        }
        "f32" | "f64" => ("a number", "a number, like 12 or 4.5"),
        "a boolean" => ("`true` or `false`", "`true` or `false`"),
        "a string" | "a character" => (
            "text",
            "text; quote it if it contains `: ` or starts with a special character",
        ),
        "a sequence" => ("a list", "a list: `[a, b]`, or one `- item` per line"),
        e if e.starts_with("struct ") || e.starts_with("a map") => (
            "a mapping",
            "a mapping: `key: value` lines, indented under this one",
        ),
        other => (other, other),
    }
}

/// serde_yaml puts the path of the value before the message
/// (`duration: invalid duration …`); drops it when it is one field that
/// the message names itself (`` `duration` is … ``).
fn without_named_path(message: &str) -> &str {
    match message.split_once(": ") {
        Some((path, rest))
            if path.chars().all(|c| c.is_alphanumeric() || c == '_')
                && rest.contains(&format!("`{path}`")) =>
        {
            rest
        }
        _ => message,
    }
}

fn backticked(s: &str) -> Vec<&str> {
    s.split('`').skip(1).step_by(2).collect()
}

/// The error of the probes below: they stop the `Deserialize`
/// implementation as soon as it has said what it expects.
mod stop {
    #[derive(Debug)]
    pub(super) struct Stop;
    impl std::fmt::Display for Stop {
        fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
            f.write_str("stop")
        }
    }
    impl std::error::Error for Stop {}
    impl serde::de::Error for Stop {
        fn custom<M: std::fmt::Display>(_: M) -> Self {
            Stop
        }
    }
}

/// The names of the fields that `T` deserializes, read from its `Deserialize`
/// implementation (serde passes them to `deserialize_struct`). Lets the
/// front-matter checker list and suggest fields without a second, hand-kept
/// list that could drift from the structs.
pub(crate) fn field_names<T: DeserializeOwned>() -> &'static [&'static str] {
    probe::<T>().fields.unwrap_or(&[])
}

/// The names a unit-only enum `T` is written as in YAML, read from its
/// `Deserialize` implementation (serde passes them to `deserialize_enum`,
/// renamed), so that lists of choices (the field reference, hints) are
/// never typed a second time.
pub(crate) fn variant_names<T: DeserializeOwned>() -> &'static [&'static str] {
    probe::<T>().variants.unwrap_or(&[])
}

/// What `T::deserialize` tells a deserializer before it reads anything:
/// a struct's field names or an enum's variant names. The probe then stops
/// the deserialization with an error, which is dropped.
#[derive(Default)]
struct Probe {
    fields: Option<&'static [&'static str]>,
    variants: Option<&'static [&'static str]>,
}

fn probe<T: DeserializeOwned>() -> Probe {
    let mut probe = Probe::default();
    let _ = T::deserialize(&mut probe);
    probe
}

impl<'de> serde::de::Deserializer<'de> for &mut Probe {
    type Error = stop::Stop;
    fn deserialize_any<V: serde::de::Visitor<'de>>(self, _: V) -> Result<V::Value, stop::Stop> {
        Err(stop::Stop)
    }
    fn deserialize_struct<V: serde::de::Visitor<'de>>(
        self,
        _: &'static str,
        fields: &'static [&'static str],
        _: V,
    ) -> Result<V::Value, stop::Stop> {
        self.fields = Some(fields);
        Err(stop::Stop)
    }
    fn deserialize_enum<V: serde::de::Visitor<'de>>(
        self,
        _: &'static str,
        variants: &'static [&'static str],
        _: V,
    ) -> Result<V::Value, stop::Stop> {
        self.variants = Some(variants);
        Err(stop::Stop)
    }
    serde::forward_to_deserialize_any! {
        bool i8 i16 i32 i64 i128 u8 u16 u32 u64 u128 f32 f64 char str string
        bytes byte_buf option unit unit_struct newtype_struct seq tuple
        tuple_struct map identifier ignored_any
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde::Deserialize;

    #[derive(Deserialize, Debug)]
    #[serde(deny_unknown_fields)]
    #[allow(dead_code)]
    struct T {
        topics: Vec<String>,
        title: String,
    }

    #[test]
    fn unknown_field_gets_a_suggestion_and_a_position() {
        let err = from_str::<T>("title: x\ntopcis: []\n").unwrap_err();
        assert_eq!(err.message, "unknown field `topcis`");
        assert_eq!(err.hint, "did you mean `topics`?");
        assert_eq!(err.pos, Some(Pos { line: 2, col: 1 }));
        assert_eq!(err.len, 6);
    }

    #[test]
    fn field_names_come_from_the_struct() {
        assert_eq!(field_names::<T>(), &["topics", "title"]);
    }

    #[test]
    fn variant_names_come_from_the_enum() {
        #[derive(Deserialize)]
        #[serde(rename_all = "kebab-case")]
        #[allow(dead_code)]
        enum E {
            Workshop,
            SelfStudy,
        }
        assert_eq!(variant_names::<E>(), &["workshop", "self-study"]);
        assert!(variant_names::<T>().is_empty());
    }

    #[test]
    fn syntax_errors_get_a_hint() {
        let err = from_str::<Value>("title: a: b\n").unwrap_err();
        assert!(err.message.starts_with("invalid YAML"), "{err:?}");
        assert!(err.hint.contains("indentation"), "{err:?}");
    }

    #[test]
    fn a_key_written_twice_is_located_at_its_second_time() {
        let text = "title: x\ntopics:\n  - a\n\n# more\ntopics: [y]\n";
        let err = from_str::<T>(text).unwrap_err();
        assert_eq!(err.message, "`topics` is written twice");
        assert_eq!(err.pos, Some(Pos { line: 6, col: 1 }), "{err:?}");
        assert_eq!(err.len, 6);
        assert!(err.hint.contains("keep one `topics:`"), "{err:?}");
        // In a nested mapping (a list item), at the item's own indentation.
        let err = from_str::<Value>("a:\n  - b: 1\n    c: 2\n    b: 3\n").unwrap_err();
        assert_eq!(err.message, "`b` is written twice");
        assert_eq!(err.pos, Some(Pos { line: 4, col: 5 }), "{err:?}");
    }

    #[test]
    fn an_indentation_slip_names_what_it_should_line_up_with() {
        let err = from_str::<Value>("a:\n  - b: 1\n    c: 2\n   d: 3\n").unwrap_err();
        assert_eq!(
            err.message,
            "misaligned line: `d:` is indented 3 spaces, but `c:` above it is indented 4 spaces"
        );
        assert_eq!(err.pos, Some(Pos { line: 4, col: 4 }), "{err:?}");
        assert_eq!(err.hint, "indent it like `c:`, with 4 spaces: `    d: 3`");
        // A list item lines up with the item above it.
        let err = from_str::<Value>("a:\n  - b: 1\n    c: 2\n - b: 3\n").unwrap_err();
        assert!(err.hint.ends_with("with 2 spaces: `  - b: 3`"), "{err:?}");
        // A top-level field indented by mistake.
        let err = from_str::<Value>("a: 1\n  b: 2\n").unwrap_err();
        assert!(err.message.contains("`b:` is indented 2 spaces"), "{err:?}");
        assert!(
            err.message.ends_with("`a:` above it is not indented"),
            "{err:?}"
        );
    }

    #[test]
    fn a_missing_colon_is_shown_at_its_line() {
        let err = from_str::<Value>("a: 1\nlevel Beginner\nb: 2\n").unwrap_err();
        assert_eq!(err.pos, Some(Pos { line: 2, col: 1 }), "{err:?}");
        assert_eq!(
            err.hint,
            "write a colon and a space after the field name: `level: Beginner`"
        );
    }

    #[test]
    fn an_unknown_variant_lists_the_values() {
        #[derive(Deserialize, Debug)]
        #[allow(dead_code)]
        #[serde(rename_all = "lowercase")]
        enum F {
            Talk,
            Clinic,
        }
        #[derive(Deserialize, Debug)]
        #[allow(dead_code)]
        struct M {
            format: F,
        }
        let err = from_str::<M>("format: webinar\n").unwrap_err();
        assert_eq!(
            err.message,
            "`format` must be one of: talk, clinic, not `webinar`"
        );
        assert_eq!(err.hint, "write one of: talk, clinic");
        assert_eq!(err.len, 7);
    }

    #[test]
    fn a_control_character_is_located() {
        let err = from_str::<Value>("a: 1\nb: x\u{7}y\n").unwrap_err();
        assert_eq!(err.pos, Some(Pos { line: 2, col: 5 }), "{err:?}");
        assert!(!err.message.contains("position"), "{err:?}");
    }

    #[test]
    fn a_second_document_is_located_at_its_marker() {
        let err = from_str::<Value>("---\n# c\na: 1\n---\nb: 2\n").unwrap_err();
        assert_eq!(err.pos, Some(Pos { line: 4, col: 1 }), "{err:?}");
        assert!(err.hint.contains("remove the `---` line"), "{err:?}");
    }

    #[test]
    fn rust_types_are_named_in_an_editors_words() {
        #[derive(Deserialize, Debug)]
        #[allow(dead_code)]
        struct N {
            seats: u32,
        }
        let err = from_str::<N>("seats: -1\n").unwrap_err();
        assert_eq!(
            err.message,
            "`seats` must be a whole number, 0 or more, not the number `-1`"
        );
        assert_eq!(err.hint, "write a whole number, 0 or more, such as `10`");
        let err = from_str::<T>("title: [a]\ntopics: []\n").unwrap_err();
        assert_eq!(err.message, "`title` must be text, not a list");
        assert!(err.hint.starts_with("write text"), "{err:?}");
        let err = from_str::<T>("- a\n").unwrap_err();
        assert_eq!(err.message, "the YAML must be a mapping, not a list");
    }
}
