//! Parsing one page file: UTF-8, front matter, kind, typed fields.

use std::collections::BTreeMap;
use std::path::PathBuf;

use serde::de::{DeserializeOwned, IgnoredAny};

use super::kinds::{self, Common, Kind, KindData};
use super::{Page, Source};
use crate::config::{MAX_TITLE, Site as Config};
use crate::diag::{Diagnostic, suggest};
use crate::yaml;

/// The longest topic or tag, in characters. Each topic gets a page in a
/// folder named after it, and a folder name has at most 255 bytes: 60
/// characters of up to four bytes each fit, and no topic needs more.
const MAX_TOPIC: usize = 60;

/// An error if `value` (the field `key`, shown on the page's card) is
/// longer than [`MAX_TITLE`]: a card is repeated on a page per topic the
/// page names, so a long field times many tags made output quadratic in
/// the file (10,000 tags x a 100 kB description: 1 GB).
fn check_card_field(src: &Source, key: &str, value: Option<&str>, errors: &mut Vec<Diagnostic>) {
    let chars = value.map_or(0, |v| v.chars().count());
    if chars > MAX_TITLE {
        errors.push(
            src.error_at_key(
                key,
                None,
                format!("`{key}` is {chars} characters long; at most {MAX_TITLE} are allowed"),
            )
            .hint("shorten it: it is shown on every card of the page; put the rest in the body"),
        );
    }
}

/// An error for each of `names` (the `key` list) too long to name a topic.
fn check_topic_names(src: &Source, key: &str, names: &[String], errors: &mut Vec<Diagnostic>) {
    for name in names {
        let chars = name.trim().chars().count();
        if chars > MAX_TOPIC {
            let what = if key == "tags" { "tag" } else { "topic" };
            errors.push(
                src.error_at_key(
                    key,
                    Some(name),
                    format!(
                        "the {what} is {chars} characters long; at most {MAX_TOPIC} are allowed"
                    ),
                )
                .hint(format!(
                    "a {what} names a topic, which gets a page named after it: shorten it"
                )),
            );
        }
    }
}

/// Parses the page at `rel` (relative to `content/`, `/`-separated).
/// `shown` is the path used in messages.
pub(crate) fn parse_page(
    rel: &str,
    shown: PathBuf,
    bytes: Vec<u8>,
    config: &Config,
) -> Result<Page, Vec<Diagnostic>> {
    let src = read_source(shown, bytes)?;
    let fm_text = src.fm_text();

    // The keys first: a syntax error or a non-mapping stops here, once.
    let keys: BTreeMap<String, IgnoredAny> = if fm_text.trim().is_empty() {
        BTreeMap::new()
    } else {
        yaml::from_str(fm_text).map_err(|e| yaml_error(&src, e))?
    };
    let common: Common = parse_or_default(fm_text).map_err(|e| yaml_error(&src, e))?;

    let is_section = rel == "_index.md" || rel.ends_with("/_index.md");
    let mut errors = super::trust::control_chars(&src);
    let title = title(&src, &common, &keys, &mut errors);
    let kind = kind(&src, &common, rel, config, &mut errors);
    if let Some(kind) = kind {
        check_fields(&src, &keys, kind, &mut errors);
    }
    let data = match typed_data(kind, fm_text, config) {
        Ok(d) => d,
        Err(e) => {
            errors.extend(yaml_error(&src, e));
            KindData::Page
        }
    };
    errors.extend(super::trust::urls(&src, &data));
    check_lengths(&src, &common, &data, &mut errors);
    if let KindData::Expert(e) = &data {
        check_activity(&src, &e.activity, &mut errors);
    }
    if !errors.is_empty() {
        return Err(errors);
    }
    let id = rel.strip_suffix(".md").unwrap_or(rel).to_string();
    Ok(Page {
        id,
        path: rel.to_string(),
        is_section,
        // A misspelt kind is an error above: the page is never built.
        kind: kind.unwrap_or(Kind::Page),
        title,
        common,
        data,
        src,
    })
}

/// The file's text (UTF-8, a byte-order mark dropped) with its front
/// matter split from its body.
fn read_source(shown: PathBuf, bytes: Vec<u8>) -> Result<Source, Vec<Diagnostic>> {
    let text = match String::from_utf8(bytes) {
        Ok(t) => t,
        Err(e) => {
            let valid = e.utf8_error().valid_up_to();
            let lossy = String::from_utf8_lossy(e.as_bytes()).into_owned();
            return Err(vec![
                Diagnostic::error("the file is not valid UTF-8")
                    .in_file(&shown)
                    .at_offset(&lossy, valid, 1)
                    .hint(
                        "save the file as UTF-8 (in most editors: \"Save with encoding\" → UTF-8)",
                    ),
            ]);
        }
    };
    let text = match text.strip_prefix('\u{feff}') {
        Some(t) => t.to_string(),
        None => text,
    };
    let (fm, body) = split_front_matter(&text).map_err(|(offset, msg, hint)| {
        vec![
            Diagnostic::error(msg)
                .in_file(&shown)
                .at_offset(&text, offset, 3)
                .hint(hint),
        ]
    })?;
    Ok(Source {
        rel: shown,
        text,
        fm,
        body,
        places: Default::default(),
    })
}

/// A YAML error in the front matter of `src`, at its place in the file.
fn yaml_error(src: &Source, e: yaml::YamlError) -> Vec<Diagnostic> {
    let value = invalid_value(&e.message).map(str::to_owned);
    let mut d = Diagnostic::error(e.message).in_file(&src.rel).hint(e.hint);
    if let Some(pos) = e.pos {
        let pos = crate::diag::Pos {
            line: pos.line + src.fm_line() - 1,
            col: pos.col,
        };
        // A value our own types reject (`invalid date `2026-13-01``) is
        // located by the YAML parser at the start of the mapping that
        // holds it: point at the value itself, the first time it is
        // written from there on.
        let from = offset_of(&src.text, pos).min(src.fm.end);
        match value.and_then(|v| {
            src.text[from..src.fm.end]
                .find(&v)
                .map(|i| (from + i, v.len()))
        }) {
            Some((offset, len)) => d = d.at_offset(&src.text, offset, len),
            None => d = d.at(&src.text, pos).with_len(e.len),
        }
    } else {
        d = d.at_offset(&src.text, src.fm.start, 1);
    }
    vec![d]
}

/// The page's title, trimmed; missing or too long is an error.
fn title(
    src: &Source,
    common: &Common,
    keys: &BTreeMap<String, IgnoredAny>,
    errors: &mut Vec<Diagnostic>,
) -> String {
    let title = match &common.title {
        Some(t) if !t.trim().is_empty() => t.trim().to_string(),
        _ => {
            let (offset, len) = if keys.contains_key("title") {
                src.locate("title", None)
            } else {
                (0, 3)
            };
            errors.push(
                Diagnostic::error("the page has no title")
                    .in_file(&src.rel)
                    .at_offset(&src.text, offset, len)
                    .hint("add `title: …` to the front matter"),
            );
            String::new()
        }
    };
    let title_chars = title.chars().count();
    if title_chars > MAX_TITLE {
        errors.push(
            src.error_at_key(
                "title",
                None,
                format!(
                    "the title is {title_chars} characters long; at most {MAX_TITLE} are allowed"
                ),
            )
            .hint("shorten the title; put the rest in `description:` or the body"),
        );
    }
    title
}

/// The page's kind: `kind:`, else its folder's (`Section` for every
/// `_index.md`). `None` for a misspelt kind, which is one error: the fields
/// cannot be judged against a kind nobody meant, so they are not checked
/// until it is fixed.
fn kind(
    src: &Source,
    common: &Common,
    rel: &str,
    config: &Config,
    errors: &mut Vec<Diagnostic>,
) -> Option<Kind> {
    let is_section = rel == "_index.md" || rel.ends_with("/_index.md");
    let kind = match common.kind.as_deref() {
        Some(name) => match Kind::from_name(name) {
            Some(k) => k,
            None => {
                let hint = match suggest(name, Kind::NAMES.iter().copied()) {
                    Some(best) => format!("did you mean `{best}`?"),
                    None => format!("write one of: {}", Kind::NAMES.join(", ")),
                };
                errors.push(
                    src.error_at_key("kind", Some(name), format!("unknown kind `{name}`"))
                        .hint(hint),
                );
                return None;
            }
        },
        None if is_section => Kind::Section,
        None => {
            let dir = rel.rfind('/').map_or("", |i| &rel[..i]);
            config.folder_kind(dir).unwrap_or(Kind::Page)
        }
    };
    if !is_section {
        return Some(kind);
    }
    if !matches!(kind, Kind::Section | Kind::Page) {
        errors.push(
            src.error_at_key(
                "kind",
                None,
                format!("a section's `_index.md` cannot be of kind `{kind}`"),
            )
            .hint("remove `kind:`, or move the content to a page of its own in this folder"),
        );
    }
    Some(Kind::Section)
}

/// Unknown top-level fields, with the nearest known one or the kind the
/// field belongs to.
fn check_fields(
    src: &Source,
    keys: &BTreeMap<String, IgnoredAny>,
    kind: Kind,
    errors: &mut Vec<Diagnostic>,
) {
    let common_fields = crate::yaml::field_names::<Common>();
    let kind_fields = kind.fields();
    for key in keys.keys() {
        if common_fields.contains(&key.as_str()) || kind_fields.contains(&key.as_str()) {
            continue;
        }
        let owner = [
            Kind::Expert,
            Kind::Module,
            Kind::Plan,
            Kind::Guidelines,
            Kind::Path,
        ]
        .into_iter()
        .find(|k| k.fields().contains(&key.as_str()));
        let what = if kind == Kind::Section {
            "a section".to_string()
        } else {
            format!("a page of kind `{kind}`")
        };
        // A field another kind has (`team` on a plain page) is that
        // kind's, not a misspelling of the nearest name (`template`).
        let hint = match (
            owner,
            suggest(key, common_fields.iter().chain(kind_fields).copied()),
        ) {
            (Some(k), _) => {
                format!("`{key}` is a field of kind `{k}`; set `kind: {k}` or remove the field")
            }
            (None, Some(best)) => format!("did you mean `{best}`?"),
            (None, None) => "put custom data under `extra:`".to_string(),
        };
        errors.push(
            src.error_at_key(key, None, format!("unknown field `{key}` for {what}"))
                .hint(hint),
        );
    }
}

/// The kind's own fields, typed (a misspelt kind, `None`, has none);
/// sessions are placed in the handbook's time zone.
fn typed_data(
    kind: Option<Kind>,
    fm_text: &str,
    config: &Config,
) -> Result<KindData, yaml::YamlError> {
    match kind {
        None | Some(Kind::Page) => Ok(KindData::Page),
        Some(Kind::Section) => Ok(KindData::Section),
        Some(Kind::Expert) => {
            parse_or_default::<kinds::Expert>(fm_text).map(|d| KindData::Expert(Box::new(d)))
        }
        Some(Kind::Module) => parse_or_default::<kinds::Module>(fm_text).map(|mut d| {
            d.place_sessions(&config.tz);
            KindData::Module(Box::new(d))
        }),
        Some(Kind::Plan) => {
            parse_or_default::<kinds::Plan>(fm_text).map(|d| KindData::Plan(Box::new(d)))
        }
        Some(Kind::Guidelines) => parse_or_default::<kinds::Guidelines>(fm_text)
            .map(|d| KindData::Guidelines(Box::new(d))),
        Some(Kind::Path) => {
            parse_or_default::<kinds::Path>(fm_text).map(|d| KindData::Path(Box::new(d)))
        }
    }
}

/// Topics and tags that would make folder names too long, and card fields
/// that would be repeated too often at their length.
fn check_lengths(src: &Source, common: &Common, data: &KindData, errors: &mut Vec<Diagnostic>) {
    check_topic_names(src, "tags", &common.tags, errors);
    check_card_field(src, "description", common.description.as_deref(), errors);
    match data {
        KindData::Expert(e) => {
            check_topic_names(src, "topics", &e.topics, errors);
            check_card_field(src, "role", e.role.as_deref(), errors);
            check_card_field(src, "team", e.team.as_deref(), errors);
        }
        KindData::Module(m) => check_card_field(src, "summary", m.summary.as_deref(), errors),
        KindData::Plan(plan) => {
            for goal in &plan.goals {
                check_topic_names(src, "topics", &goal.topics, errors);
            }
        }
        _ => {}
    }
}

/// An expert's activity items: each `url` a full `http(s)` address (the
/// feed and the share links are read outside the handbook, where a
/// relative link leads nowhere), a title, and a `channel` that is not
/// blank. A channel the expert does not list in `channels` is fine (a
/// talk at a meetup); a URL written twice is a warning, in `resolve`.
fn check_activity(src: &Source, items: &[kinds::Activity], errors: &mut Vec<Diagnostic>) {
    // Where each `url:` is written, found in one scan: a file of many bad
    // items is not one search per item.
    let mut places = super::trust::ValuePlaces::new(src, "url");
    for item in items {
        // A scheme off the allow-list is already reported (`trust::urls`).
        if crate::url::check(&item.url).is_ok() && crate::url::http_host(&item.url).is_none() {
            let (offset, len) = places.next_value(&item.url);
            errors.push(
                Diagnostic::error(format!(
                    "the activity's `url` `{}` is not a full web address",
                    item.url
                ))
                .in_file(&src.rel)
                .at_offset_in(&src.text, src.lines(), offset, len)
                .hint("write where the work is published, starting with `https://`, e.g. `https://kuulas.example/blog/data-contracts`: the feed and share links are opened outside the handbook"),
            );
        }
        if item.title.trim().is_empty() {
            errors.push(
                src.error_at_key("title", Some(""), "the activity's `title` is empty".into())
                    .hint("write the title of the post, talk or episode"),
            );
        }
        if item.channel.as_deref().is_some_and(|c| c.trim().is_empty()) {
            errors.push(
                src.error_at_key("channel", Some(""), "the activity's `channel` is empty".into())
                    .hint("name where it was published, as in `channels` (`linkedin`, `blog`, `meetup`), or remove `channel`"),
            );
        }
    }
}

/// A stand-in for the page at `rel` whose front matter has errors: its id,
/// kind and URL as far as they can be told without the front matter (a
/// `kind:` line, else the folder's kind), default fields, and its body, so
/// that its headings exist. References and links to the page then resolve,
/// and a typo in one file is one error, not one more at every page that
/// names it. The build fails on the page's own errors all the same.
pub(crate) fn stand_in(rel: &str, shown: PathBuf, bytes: &[u8], config: &Config) -> Page {
    let text = String::from_utf8_lossy(bytes);
    let text = text.strip_prefix('\u{feff}').unwrap_or(&text).to_string();
    let (fm, body) = split_front_matter(&text).unwrap_or((0..0, 0));
    let is_section = rel == "_index.md" || rel.ends_with("/_index.md");
    let dir = rel.rfind('/').map_or("", |i| &rel[..i]);
    let written_kind = text[fm.clone()].lines().find_map(|line| {
        let value = line.strip_prefix("kind:")?.trim().trim_matches(['"', '\'']);
        Kind::from_name(value)
    });
    let kind = if is_section {
        Kind::Section
    } else {
        written_kind
            .or_else(|| config.folder_kind(dir))
            .unwrap_or(Kind::Page)
    };
    let data = match kind {
        Kind::Page => KindData::Page,
        Kind::Section => KindData::Section,
        Kind::Expert => KindData::Expert(Box::default()),
        Kind::Module => KindData::Module(Box::default()),
        Kind::Plan => KindData::Plan(Box::default()),
        Kind::Guidelines => KindData::Guidelines(Box::default()),
        Kind::Path => KindData::Path(Box::default()),
    };
    let id = rel.strip_suffix(".md").unwrap_or(rel).to_string();
    let title = id.rsplit('/').next().unwrap_or(&id).to_string();
    Page {
        id,
        path: rel.to_string(),
        is_section,
        kind,
        title,
        common: Common::default(),
        data,
        src: Source {
            rel: shown,
            text,
            fm,
            body,
            places: Default::default(),
        },
    }
}

/// The value a message like "invalid date `2026-13-01`: …" names.
fn invalid_value(message: &str) -> Option<&str> {
    let rest = &message[message.find("invalid ")?..];
    let start = rest.find('`')? + 1;
    let len = rest[start..].find('`')?;
    Some(&rest[start..start + len]).filter(|v| !v.is_empty())
}

/// The byte offset of `pos` (1-based line and column in characters) in `text`.
fn offset_of(text: &str, pos: crate::diag::Pos) -> usize {
    let line_start: usize = text
        .split_inclusive('\n')
        .take(pos.line.saturating_sub(1))
        .map(str::len)
        .sum();
    let line = &text[line_start.min(text.len())..];
    line_start
        + line
            .char_indices()
            .nth(pos.col.saturating_sub(1))
            .map_or(line.len(), |(i, _)| i)
}

fn parse_or_default<T: DeserializeOwned + Default>(text: &str) -> Result<T, yaml::YamlError> {
    if text.trim().is_empty() {
        Ok(T::default())
    } else {
        yaml::from_str(text)
    }
}

type SplitError = (usize, String, &'static str);

/// Finds the YAML between the opening `---` line and the closing `---` (or
/// `...`) line. Returns the YAML's byte range and where the body starts.
fn split_front_matter(text: &str) -> Result<(std::ops::Range<usize>, usize), SplitError> {
    let first_end = text.find('\n').map_or(text.len(), |i| i + 1);
    if text[..first_end].trim_end() != "---" {
        return Err((
            0,
            "the page has no front matter".to_string(),
            "start the file with a `---` line, then `title: …`, then another `---` line",
        ));
    }
    let mut pos = first_end;
    for line in text[first_end..].split_inclusive('\n') {
        let t = line.trim_end();
        if t == "---" || t == "..." {
            return Ok((first_end..pos, pos + line.len()));
        }
        pos += line.len();
    }
    Err((
        0,
        "the front matter is not closed".to_string(),
        "end the front matter with a line that is only `---`",
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn config() -> Config {
        crate::config::from_text("").unwrap()
    }

    fn parse(rel: &str, text: &str) -> Result<Page, Vec<Diagnostic>> {
        parse_page(
            rel,
            PathBuf::from("content").join(rel),
            text.as_bytes().to_vec(),
            &config(),
        )
    }

    #[test]
    fn splits_front_matter() {
        let t = "---\ntitle: A\n---\nbody\n";
        let (fm, body) = split_front_matter(t).unwrap();
        assert_eq!(&t[fm], "title: A\n");
        assert_eq!(&t[body..], "body\n");
        assert!(split_front_matter("no\n").is_err());
        assert!(split_front_matter("---\ntitle: A\n").is_err());
    }

    #[test]
    fn folder_gives_the_kind() {
        let p = parse("experts/aino.md", "---\ntitle: Aino\ntopics: [rust]\n---\n").unwrap();
        assert_eq!(p.kind, Kind::Expert);
        let KindData::Expert(e) = p.data else {
            panic!()
        };
        assert_eq!(e.topics, ["rust"]);
    }

    #[test]
    fn unknown_field_is_located_in_the_file() {
        let errs = parse("experts/aino.md", "---\ntitle: Aino\ntopcis: [rust]\n---\n").unwrap_err();
        let out = errs[0].render(false);
        assert!(
            out.contains("content/experts/aino.md:3:1: unknown field `topcis`"),
            "{out}"
        );
        assert!(out.contains("did you mean `topics`?"), "{out}");
    }

    #[test]
    fn field_of_another_kind_names_that_kind() {
        let errs = parse("guide/a.md", "---\ntitle: A\nsessions: []\n---\n").unwrap_err();
        assert!(
            errs[0].hint.as_deref().unwrap().contains("kind `module`"),
            "{errs:?}"
        );
    }

    #[test]
    fn nested_errors_carry_file_lines() {
        let text = "---\ntitle: M\nsessions:\n  - start: 2027-13-01T09:00:00+02:00\n---\n";
        let errs = parse("training/m.md", text).unwrap_err();
        assert_eq!(errs[0].pos.unwrap().line, 4, "{errs:?}");
        assert!(errs[0].message.contains("invalid date-time"), "{errs:?}");
    }

    #[test]
    fn invalid_values_are_located_at_the_value() {
        let errs = parse("a.md", "---\ntitle: A\ntags: [x]\ndate: 2026-13-01\n---\n").unwrap_err();
        assert_eq!(
            errs[0].pos,
            Some(crate::diag::Pos { line: 4, col: 7 }),
            "{errs:?}"
        );
        assert_eq!(errs[0].len, 10);
    }

    #[test]
    fn a_stand_in_keeps_the_kind_and_the_body() {
        let text = "---\ntitle: M\ntopcis: [x]\n---\n## Dates\n";
        let p = stand_in(
            "experts/m.md",
            PathBuf::from("content/experts/m.md"),
            text.as_bytes(),
            &config(),
        );
        assert_eq!(p.kind, Kind::Expert);
        assert_eq!(p.id, "experts/m");
        assert_eq!(p.src.body_text(), "## Dates\n");
        let p = stand_in(
            "guide/p.md",
            PathBuf::from("content/guide/p.md"),
            b"---\nkind: plan\n: :\n---\n",
            &config(),
        );
        assert_eq!(p.kind, Kind::Plan);
    }

    #[test]
    fn an_unknown_kind_is_one_error_not_one_per_field() {
        let text = "---\ntitle: M\nkind: expret\nrole: CTO\nteam: Sales\ntopics: [a]\n---\n";
        let errs = parse("experts/m.md", text).unwrap_err();
        assert_eq!(errs.len(), 1, "{errs:?}");
        assert_eq!(errs[0].message, "unknown kind `expret`");
    }

    #[test]
    fn missing_title_and_unknown_kind_are_reported_together() {
        let errs = parse("a.md", "---\nkind: expret\n---\n").unwrap_err();
        assert_eq!(errs.len(), 2, "{errs:?}");
        assert!(errs.iter().any(|e| e.message == "the page has no title"));
        assert!(
            errs.iter()
                .any(|e| e.hint.as_deref() == Some("did you mean `expert`?"))
        );
    }
}
