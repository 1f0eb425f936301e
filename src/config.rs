//! `handbook.yaml`: the site configuration (SPEC.md, "handbook.yaml").
//!
//! Every key has a default, so a folder with only `content/` builds. Unknown
//! keys are errors that name the key and suggest the nearest known one.

use std::collections::BTreeMap;
use std::path::Path;

use serde::Deserialize;

use crate::diag::{Diagnostic, Pos};
use crate::load::kinds::Kind;
use crate::yaml;

pub const FILE: &str = "handbook.yaml";

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct Config {
    pub title: String,
    pub base_url: String,
    pub language: Language,
    pub theme: String,
    pub repository: Option<Repository>,
    pub kinds: BTreeMap<String, Kind>,
    pub timezone: String,
    pub search: bool,
    pub highlight_theme: Option<String>,
}

impl Default for Config {
    fn default() -> Self {
        Config {
            title: "Handbook".into(),
            base_url: "/".into(),
            language: Language::En,
            theme: "default".into(),
            repository: None,
            kinds: BTreeMap::new(),
            timezone: "UTC".into(),
            search: true,
            highlight_theme: None,
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Language {
    En,
    Fi,
}

impl Language {
    pub fn code(self) -> &'static str {
        match self {
            Language::En => "en",
            Language::Fi => "fi",
        }
    }
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Repository {
    pub url: Option<String>,
    pub branch: Option<String>,
    pub edit_url: Option<String>,
}

/// The configuration after validation, with derived values.
#[derive(Debug, Clone)]
pub struct Site {
    pub raw: Config,
    /// The path part of `base_url`, starting and ending with `/`.
    pub base_path: String,
    /// `scheme://host` of `base_url`, if it has one.
    pub origin: Option<String>,
    pub tz: jiff::tz::TimeZone,
    /// Folder (relative to `content/`) → kind, defaults merged with `kinds`.
    pub kinds: BTreeMap<String, Kind>,
}

impl Site {
    /// Serves the site at `base` instead of its `base_url` (`serve` puts
    /// the site at the root of its own address).
    pub fn override_base_url(&mut self, base: &str) {
        if let Some((origin, path)) = split_base_url(base) {
            self.origin = origin;
            self.base_path = path;
        }
    }

    /// The kind a page gets from its folder: the nearest ancestor folder
    /// named in `kinds`.
    pub fn folder_kind(&self, folder: &str) -> Option<Kind> {
        let mut f = folder;
        loop {
            if let Some(k) = self.kinds.get(f) {
                return Some(*k);
            }
            match f.rfind('/') {
                Some(i) => f = &f[..i],
                None => return None,
            }
        }
    }

    /// A site-relative URL (`experts/mari/`) made absolute with the base path.
    pub fn url(&self, rel: &str) -> String {
        format!("{}{}", self.base_path, rel.trim_start_matches('/'))
    }
}

/// Loads and validates `handbook.yaml` under `root` (absent: defaults).
pub fn load(root: &Path) -> Result<Site, Vec<Diagnostic>> {
    let path = root.join(FILE);
    let text = match std::fs::read(&path) {
        Ok(bytes) => match String::from_utf8(bytes) {
            Ok(t) => t,
            Err(e) => {
                let valid = e.utf8_error().valid_up_to();
                let text = String::from_utf8_lossy(e.as_bytes()).into_owned();
                return Err(vec![
                    Diagnostic::error("the file is not valid UTF-8")
                        .in_file(FILE)
                        .at_offset(&text, valid, 1)
                        .hint("save the file as UTF-8"),
                ]);
            }
        },
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => String::new(),
        Err(e) => {
            return Err(vec![
                Diagnostic::error(format!("cannot read the file: {e}")).in_file(FILE),
            ]);
        }
    };
    from_text(&text)
}

pub fn from_text(text: &str) -> Result<Site, Vec<Diagnostic>> {
    let raw: Config = if text.trim().is_empty() {
        Config::default()
    } else {
        yaml::from_str(text).map_err(|e| {
            // The caret marks a whole unknown key, not its first letter.
            let key_len = e
                .message
                .strip_prefix("unknown field `")
                .and_then(|rest| rest.find('`'))
                .unwrap_or(1);
            let mut d = Diagnostic::error(e.message).in_file(FILE);
            if let Some(pos) = e.pos {
                d = d.at(text, pos).with_len(key_len);
            }
            if let Some(h) = e.hint {
                d = d.hint(h);
            }
            vec![d]
        })?
    };
    let mut errors = Vec::new();
    let key_error = |key: &str, message: String, hint: &str| {
        let pos = key_pos(text, key);
        Diagnostic::error(message)
            .in_file(FILE)
            .at(text, pos)
            .with_len(key.len())
            .hint(hint)
    };

    let tz = match jiff::tz::TimeZone::get(&raw.timezone) {
        Ok(tz) => tz,
        Err(_) => {
            errors.push(key_error(
                "timezone",
                format!("unknown time zone `{}`", raw.timezone),
                "write an IANA time zone name, e.g. `Europe/Helsinki` or `UTC`",
            ));
            jiff::tz::TimeZone::UTC
        }
    };
    let (origin, base_path) = match split_base_url(&raw.base_url) {
        Some(parts) => parts,
        None => {
            errors.push(key_error(
                "base_url",
                format!("invalid base_url `{}`", raw.base_url),
                "write a path (`/handbook/`) or a full URL (`https://intra.example.com/handbook/`)",
            ));
            (None, "/".to_string())
        }
    };
    let title_chars = raw.title.chars().count();
    if title_chars > crate::load::page::MAX_TITLE {
        // The site title is on every page: bounded as a page's title is.
        errors.push(key_error(
            "title",
            format!(
                "the title is {title_chars} characters long; at most {} are allowed",
                crate::load::page::MAX_TITLE
            ),
            "shorten the site title",
        ));
    }
    if raw.theme.is_empty() || raw.theme.contains(['/', '\\']) || raw.theme.starts_with('.') {
        errors.push(key_error(
            "theme",
            format!("invalid theme name `{}`", raw.theme),
            "write the name of a folder under `themes/`, or `default`",
        ));
    }
    if let Some(name) = &raw.highlight_theme
        && !crate::render::highlight::theme_exists(name)
    {
        let names = crate::render::highlight::theme_names();
        let hint = match crate::diag::suggest(name, names.iter().map(String::as_str)) {
            Some(best) => format!("did you mean `{best}`?"),
            None => format!("known themes: {}", names.join(", ")),
        };
        errors.push(key_error(
            "highlight_theme",
            format!("unknown highlight theme `{name}`"),
            &hint,
        ));
    }
    let mut kinds: BTreeMap<String, Kind> = [
        ("experts", Kind::Expert),
        ("training", Kind::Module),
        ("onboarding", Kind::Path),
    ]
    .into_iter()
    .map(|(f, k)| (f.to_string(), k))
    .collect();
    for (folder, kind) in &raw.kinds {
        kinds.insert(folder.trim_matches('/').to_string(), *kind);
    }
    if !errors.is_empty() {
        return Err(errors);
    }
    Ok(Site {
        raw,
        base_path,
        origin,
        tz,
        kinds,
    })
}

/// Splits `base_url` into an optional origin and a path that starts and
/// ends with `/`.
fn split_base_url(url: &str) -> Option<(Option<String>, String)> {
    let url = url.trim();
    let (origin, path) = if let Some(i) = url.find("://") {
        let scheme = &url[..i];
        if scheme.is_empty()
            || !scheme
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || c == '+')
        {
            return None;
        }
        let after = &url[i + 3..];
        let host_end = after.find('/').unwrap_or(after.len());
        if host_end == 0 {
            return None;
        }
        (
            Some(format!("{scheme}://{}", &after[..host_end])),
            &after[host_end..],
        )
    } else if url.starts_with('/') || url.is_empty() {
        (None, url)
    } else {
        return None;
    };
    if path.contains(['?', '#', ' ', '\\']) || path.split('/').any(|s| s == "..") {
        return None;
    }
    let mut path = path.trim_matches('/').to_string();
    path = if path.is_empty() {
        "/".into()
    } else {
        format!("/{path}/")
    };
    Some((origin, path))
}

/// Where a top-level key is written in a YAML text (the start if absent).
pub fn key_pos(text: &str, key: &str) -> Pos {
    for (i, line) in text.lines().enumerate() {
        if let Some(rest) = line.strip_prefix(key)
            && rest.trim_start().starts_with(':')
        {
            return Pos {
                line: i + 1,
                col: 1,
            };
        }
    }
    Pos::START
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn base_url_with_a_path() {
        assert_eq!(
            split_base_url("https://intra.example.com/handbook"),
            Some((
                Some("https://intra.example.com".into()),
                "/handbook/".into()
            ))
        );
        assert_eq!(split_base_url("/"), Some((None, "/".into())));
        assert_eq!(split_base_url(""), Some((None, "/".into())));
        assert_eq!(split_base_url("/a/b/"), Some((None, "/a/b/".into())));
        assert_eq!(split_base_url("handbook"), None);
        assert_eq!(split_base_url("/a/../b"), None);
    }

    #[test]
    fn unknown_key_is_located_and_suggested() {
        let err = from_text("title: X\ntimezon: UTC\n").unwrap_err();
        let out = err[0].render(false);
        assert!(
            out.contains("handbook.yaml:2:1: unknown field `timezon`"),
            "{out}"
        );
        assert!(out.contains("did you mean `timezone`?"), "{out}");
    }

    #[test]
    fn bad_time_zone_is_an_error() {
        let err = from_text("timezone: Europe/Helsingfors\n").unwrap_err();
        assert!(err[0].message.contains("unknown time zone"));
    }

    #[test]
    fn folder_kinds_are_inherited() {
        let site = from_text("kinds: {blog: module}\n").unwrap();
        assert_eq!(site.folder_kind("experts"), Some(Kind::Expert));
        assert_eq!(site.folder_kind("experts/eng"), Some(Kind::Expert));
        assert_eq!(site.folder_kind("blog"), Some(Kind::Module));
        assert_eq!(site.folder_kind("guide"), None);
    }
}
