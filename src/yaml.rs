//! The one place that parses YAML.
//!
//! serde_yaml is archived upstream; we use its maintained continuation
//! (`yaml_serde`, renamed to `serde_yaml` in Cargo.toml). Keeping every call
//! behind this module means a future swap is a one-line change, and it is
//! where YAML errors are turned into located, human messages.

use serde::de::DeserializeOwned;

use crate::diag::{Pos, suggest};

pub use serde_yaml::Value;

/// A YAML error, located relative to the start of the YAML text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct YamlError {
    pub pos: Option<Pos>,
    pub message: String,
    pub hint: Option<String>,
}

/// Parses `text` into `T`, turning serde's messages into ones that say what
/// to write instead.
pub fn from_str<T: DeserializeOwned>(text: &str) -> Result<T, YamlError> {
    serde_yaml::from_str(text).map_err(|e| {
        let pos = e.location().map(|l| Pos {
            line: l.line(),
            col: l.column(),
        });
        let (message, hint) = humanize(&e.to_string());
        YamlError { pos, message, hint }
    })
}

/// Turns serde/libyaml wording into ours: drops the trailing position (we
/// show it ourselves) and replaces "expected one of" lists with the nearest
/// candidate.
pub fn humanize(raw: &str) -> (String, Option<String>) {
    let message = match raw.find(" at line ") {
        Some(i) => raw[..i].to_string(),
        None => raw.to_string(),
    };
    for what in ["unknown field", "unknown variant"] {
        let Some(start) = message.find(&format!("{what} `")) else {
            continue;
        };
        let rest = &message[start + what.len() + 2..];
        let Some(end) = rest.find('`') else { continue };
        let word = &rest[..end];
        let candidates = backticked(&rest[end + 1..]);
        let prefix = &message[..start];
        let short = format!("{prefix}{what} `{word}`");
        let hint = match suggest(word, candidates.iter().copied()) {
            Some(best) => format!("did you mean `{best}`?"),
            None if candidates.is_empty() => "remove it".to_string(),
            None => format!("expected one of: {}", candidates.join(", ")),
        };
        return (short, Some(hint));
    }
    if message.contains("missing field") {
        return (message, Some("add the field".to_string()));
    }
    if message.starts_with("did not find expected")
        || message.starts_with("mapping values are not allowed")
        || message.starts_with("found character that cannot start")
        || message.starts_with("while ")
    {
        let hint = "check the indentation, and quote text that contains `: `, `#` or starts with `@`, `*`, `&`, `!`, `%`, `[` or `{`";
        return (format!("invalid YAML: {message}"), Some(hint.to_string()));
    }
    (message, None)
}

fn backticked(s: &str) -> Vec<&str> {
    s.split('`').skip(1).step_by(2).collect()
}

/// The names of the fields that `T` deserializes, read from its `Deserialize`
/// implementation (serde passes them to `deserialize_struct`). Lets the
/// front-matter checker list and suggest fields without a second, hand-kept
/// list that could drift from the structs.
pub fn field_names<T: DeserializeOwned>() -> &'static [&'static str] {
    use serde::de::{self, Visitor};
    struct Probe(Option<&'static [&'static str]>);
    #[derive(Debug)]
    struct Stop;
    impl std::fmt::Display for Stop {
        fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
            f.write_str("stop")
        }
    }
    impl std::error::Error for Stop {}
    impl de::Error for Stop {
        fn custom<M: std::fmt::Display>(_: M) -> Self {
            Stop
        }
    }
    impl<'de> de::Deserializer<'de> for &mut Probe {
        type Error = Stop;
        fn deserialize_any<V: Visitor<'de>>(self, _: V) -> Result<V::Value, Stop> {
            Err(Stop)
        }
        fn deserialize_struct<V: Visitor<'de>>(
            self,
            _: &'static str,
            fields: &'static [&'static str],
            _: V,
        ) -> Result<V::Value, Stop> {
            self.0 = Some(fields);
            Err(Stop)
        }
        serde::forward_to_deserialize_any! {
            bool i8 i16 i32 i64 i128 u8 u16 u32 u64 u128 f32 f64 char str string
            bytes byte_buf option unit unit_struct newtype_struct seq tuple
            tuple_struct map enum identifier ignored_any
        }
    }
    let mut probe = Probe(None);
    let _ = T::deserialize(&mut probe);
    probe.0.unwrap_or(&[])
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
        assert_eq!(err.hint.as_deref(), Some("did you mean `topics`?"));
        assert_eq!(err.pos, Some(Pos { line: 2, col: 1 }));
    }

    #[test]
    fn field_names_come_from_the_struct() {
        assert_eq!(field_names::<T>(), &["topics", "title"]);
    }

    #[test]
    fn syntax_errors_get_a_hint() {
        let err = from_str::<Value>("title: a: b\n").unwrap_err();
        assert!(err.message.starts_with("invalid YAML"), "{err:?}");
        assert!(err.hint.is_some());
    }
}
