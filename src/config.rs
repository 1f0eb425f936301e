//! `handbook.yaml`: the site configuration (SPEC.md, "handbook.yaml").
//!
//! Every key has a default, so a folder with only `content/` builds. Unknown
//! keys are errors that name the key and suggest the nearest known one.

use std::collections::BTreeMap;
use std::fmt;
use std::path::Path;

use serde::{Deserialize, Serialize};

use crate::diag::{Diagnostic, Pos};
use crate::files::ReadError;
use crate::yaml;

pub(crate) const FILE: &str = "handbook.yaml";

/// The longest title (a page's or `handbook.yaml`'s), in characters. A
/// title is repeated on every page that lists or links it (cards,
/// breadcrumbs, navigation, the search index): a 10 MB title cost 1.2 GB.
/// A thousand characters is more than any heading needs.
pub(crate) const MAX_TITLE: usize = 1_000;

/// The content kinds of SPEC.md. `Section` is the kind of every `_index.md`.
///
/// Defined here, below `load`, because `handbook.yaml` maps folders to
/// kinds (`kinds:`); `load::kinds` knows each kind's fields.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Deserialize, Serialize)]
#[serde(rename_all = "lowercase")]
pub(crate) enum Kind {
    Page,
    Expert,
    Module,
    Plan,
    Guidelines,
    Path,
    #[serde(skip_deserializing)]
    Section,
}

impl Kind {
    /// The kinds a page may name (`kind:`) or a folder be given.
    pub(crate) const NAMES: &[&str] = &["page", "expert", "module", "plan", "guidelines", "path"];

    /// The kind's name as written in front matter and messages.
    pub(crate) fn name(self) -> &'static str {
        match self {
            Kind::Page => "page",
            Kind::Expert => "expert",
            Kind::Module => "module",
            Kind::Plan => "plan",
            Kind::Guidelines => "guidelines",
            Kind::Path => "path",
            Kind::Section => "section",
        }
    }

    /// The kind a page may name, by its name (not `section`).
    pub(crate) fn from_name(name: &str) -> Option<Kind> {
        Some(match name {
            "page" => Kind::Page,
            "expert" => Kind::Expert,
            "module" => Kind::Module,
            "plan" => Kind::Plan,
            "guidelines" => Kind::Guidelines,
            "path" => Kind::Path,
            _ => return None,
        })
    }
}

impl fmt::Display for Kind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

#[derive(Debug, Clone, Hash, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub(crate) struct Config {
    pub title: String,
    pub base_url: String,
    pub language: Language,
    pub theme: String,
    pub repository: Option<Repository>,
    pub kinds: BTreeMap<String, Kind>,
    pub timezone: String,
    pub search: bool,
    pub highlight_theme: Option<String>,
    pub markdown: Markdown,
    /// "Last updated" from the last commit that touched a page, when the
    /// page has no `updated:` (see `load::git`).
    pub git_dates: bool,
    /// The chat a profile links to (`chat: {name: Teams, url: "…{email}"}`).
    pub chat: Option<Chat>,
    /// The share kit of activity on the company's own domains
    /// (`share: {domains: [kuulas.example], campaign: expert-visibility}`).
    pub share: Option<Share>,
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
            markdown: Markdown::default(),
            git_dates: true,
            chat: None,
            share: None,
        }
    }
}

/// `markdown:` in `handbook.yaml`.
#[derive(Debug, Clone, Copy, Default, Hash, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub(crate) struct Markdown {
    pub raw_html: RawHtml,
}

/// What becomes of raw HTML written in Markdown.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash, Deserialize)]
#[serde(rename_all = "lowercase")]
pub(crate) enum RawHtml {
    /// Through a sanitizer: a `<script>` in a page body would otherwise run
    /// for every reader (GitHub sanitizes, Hugo drops raw HTML by default).
    #[default]
    #[serde(alias = "sanitize")]
    Sanitized,
    /// As written, for handbooks whose every editor may publish script.
    Trusted,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Deserialize, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub(crate) enum Language {
    En,
    Fi,
}

impl Language {
    pub(crate) fn code(self) -> &'static str {
        match self {
            Language::En => "en",
            Language::Fi => "fi",
        }
    }
}

#[derive(Debug, Clone, Hash, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct Repository {
    pub url: Option<String>,
    pub branch: Option<String>,
    pub edit_url: Option<String>,
}

/// `chat:` in `handbook.yaml`: the chat every profile links to, the
/// expert's address put in place of `{email}` (percent-encoded).
#[derive(Debug, Clone, Hash, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct Chat {
    /// What the link says: "Chat on Teams".
    pub name: String,
    pub url: String,
}

/// `share:` in `handbook.yaml`: an activity item on one of `domains` (or a
/// subdomain) gets share links on the expert's profile whose address
/// carries `utm_campaign=<campaign>` (see `render/share.rs`).
#[derive(Debug, Clone, Hash, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct Share {
    /// The company's own domains: `kuulas.example`.
    pub domains: Vec<String>,
    /// The campaign the company's analytics reads the referrals under.
    pub campaign: String,
}

impl Chat {
    /// The chat link for `email`.
    pub(crate) fn link(&self, email: &str) -> String {
        self.url
            .replace("{email}", &crate::text::encode_component(email))
    }
}

/// The configuration after validation, with derived values.
#[derive(Debug, Clone)]
pub(crate) struct Site {
    pub raw: Config,
    /// The path part of `base_url`, starting and ending with `/`.
    pub base_path: String,
    /// `scheme://host` of `base_url`, if it has one.
    pub origin: Option<String>,
    pub tz: jiff::tz::TimeZone,
    /// Folder (relative to `content/`) → kind, defaults merged with `kinds`.
    pub kinds: BTreeMap<String, Kind>,
}

/// Hashed for the keys of what is made from the configuration (the
/// resolved site in `serve`). The time zone is hashed by its name: it is
/// looked up from `raw.timezone` (or is UTC when that is unknown, an
/// error), in the same database for the whole run, and `TimeZone` has no
/// `Hash` of its own.
impl std::hash::Hash for Site {
    fn hash<H: std::hash::Hasher>(&self, state: &mut H) {
        let Site {
            raw,
            base_path,
            origin,
            tz,
            kinds,
        } = self;
        (raw, base_path, origin, tz.iana_name(), kinds).hash(state);
    }
}

impl Site {
    /// Serves the site at `base` instead of its `base_url` (`serve` puts
    /// the site at the root of its own address).
    pub(crate) fn override_base_url(&mut self, base: &str) {
        if let Some((origin, path)) = split_base_url(base) {
            self.origin = origin;
            self.base_path = path;
        }
    }

    /// The kind a page gets from its folder: the nearest ancestor folder
    /// named in `kinds`.
    pub(crate) fn folder_kind(&self, folder: &str) -> Option<Kind> {
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
    pub(crate) fn url(&self, rel: &str) -> String {
        format!("{}{}", self.base_path, rel.trim_start_matches('/'))
    }
}

/// Loads and validates `handbook.yaml` under `root` (absent: defaults).
pub(crate) fn load(root: &Path) -> Result<Site, Vec<Diagnostic>> {
    let path = root.join(FILE);
    // Bounded and non-blocking, as every source file: a FIFO named
    // `handbook.yaml` must not hang `build`, `check` or `serve`.
    let text = match crate::files::read_regular(&path, Some(crate::files::READ_LIMIT)) {
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
        Err(ReadError::Io(e)) if e.kind() == std::io::ErrorKind::NotFound => String::new(),
        Err(e) => return Err(vec![e.diagnostic(Path::new(FILE), "configuration file")]),
    };
    from_text(&text)
}

/// Reads and validates the text of `handbook.yaml`.
pub(crate) fn from_text(text: &str) -> Result<Site, Vec<Diagnostic>> {
    // A byte-order mark (Windows editors write one) is not content; YAML
    // would read it as the start of a second document.
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let raw: Config = if text.trim().is_empty() {
        Config::default()
    } else {
        yaml::from_str(text).map_err(|e| {
            let mut d = Diagnostic::error(e.message).in_file(FILE).hint(e.hint);
            if let Some(pos) = e.pos {
                d = d.at(text, pos).with_len(e.len);
            }
            vec![d]
        })?
    };
    let mut errors = Vec::new();
    let tz = match jiff::tz::TimeZone::get(&raw.timezone) {
        Ok(tz) => tz,
        Err(_) => {
            errors.push(key_error(
                text,
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
                text,
                "base_url",
                format!("invalid base_url `{}`", raw.base_url),
                "write a path (`/handbook/`) or a full URL (`https://intra.example.com/handbook/`)",
            ));
            (None, "/".to_string())
        }
    };
    errors.extend(check_urls(text, &raw));
    check_names(text, &raw, &mut errors);
    check_share(text, &raw, &mut errors);
    if !errors.is_empty() {
        return Err(errors);
    }
    let kinds = folder_kinds(&raw);
    Ok(Site {
        raw,
        base_path,
        origin,
        tz,
        kinds,
    })
}

/// An error at `key` in `text`, the text of `handbook.yaml`.
fn key_error(text: &str, key: &str, message: String, hint: &str) -> Diagnostic {
    let pos = key_pos(text, key);
    Diagnostic::error(message)
        .in_file(FILE)
        .at(text, pos)
        .with_len(key.len())
        .hint(hint)
}

/// The title's length, and the names of the theme and the highlight theme.
fn check_names(text: &str, raw: &Config, errors: &mut Vec<Diagnostic>) {
    let title_chars = raw.title.chars().count();
    if title_chars > MAX_TITLE {
        // The site title is on every page: bounded as a page's title is.
        errors.push(key_error(
            text,
            "title",
            format!(
                "the title is {title_chars} characters long; at most {} are allowed",
                MAX_TITLE
            ),
            "shorten the site title",
        ));
    }
    if raw.theme.is_empty() || raw.theme.contains(['/', '\\']) || raw.theme.starts_with('.') {
        errors.push(key_error(
            text,
            "theme",
            format!("invalid theme name `{}`", raw.theme),
            "write the name of a folder under `themes/`, or `default`",
        ));
    }
    if let Some(name) = &raw.highlight_theme
        && !crate::code_themes::exists(name)
    {
        let names = crate::code_themes::names();
        let hint = match crate::diag::suggest(name, names.iter().map(String::as_str)) {
            Some(best) => format!("did you mean `{best}`?"),
            None => format!("known themes: {}", names.join(", ")),
        };
        errors.push(key_error(
            text,
            "highlight_theme",
            format!("unknown highlight theme `{name}`"),
            &hint,
        ));
    }
}

/// `share:`: at least one domain, each a host name (no scheme, path or
/// space: it is compared with the host of activity URLs), and a campaign.
fn check_share(text: &str, raw: &Config, errors: &mut Vec<Diagnostic>) {
    let Some(share) = &raw.share else {
        return;
    };
    let mut report = |key: &str, value: &str, message: String, hint: &str| {
        let (offset, len) = value_offset(text, "share", key, value);
        errors.push(
            Diagnostic::error(message)
                .in_file(FILE)
                .at_offset(text, offset, len)
                .hint(hint),
        );
    };
    const DOMAIN_HINT: &str = "write the domain the company publishes on, e.g. `domains: [kuulas.example]` (its subdomains are included)";
    if share.domains.is_empty() {
        report(
            "domains",
            "",
            "`share.domains` is empty".into(),
            DOMAIN_HINT,
        );
    }
    for d in &share.domains {
        let host = d.trim();
        let bad = host.is_empty()
            || !host.contains('.')
            || !host
                .chars()
                .all(|c| c.is_alphanumeric() || c == '-' || c == '.');
        if bad {
            report(
                "domains",
                d,
                format!("`{d}` in `share.domains` is not a domain name"),
                DOMAIN_HINT,
            );
        }
    }
    if share.campaign.trim().is_empty() {
        report(
            "campaign",
            "",
            "`share.campaign` is empty".into(),
            "name the campaign your analytics reads the referrals under, e.g. `campaign: expert-visibility`",
        );
    }
}

/// Folder (relative to `content/`) → kind: the defaults, then `kinds:`.
fn folder_kinds(raw: &Config) -> BTreeMap<String, Kind> {
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
    kinds
}

/// The URLs of the configuration that reach an `href`: `repository.url`,
/// `repository.edit_url` and `chat.url`, checked against the allowed
/// schemes ([`crate::url`]). `base_url` is checked by [`split_base_url`].
fn check_urls(text: &str, raw: &Config) -> Vec<Diagnostic> {
    let mut errors = Vec::new();
    let mut report = |parent: &str, key: &str, value: &str, message: String, hint: &str| {
        let (offset, len) = value_offset(text, parent, key, value);
        errors.push(
            Diagnostic::error(message)
                .in_file(FILE)
                .at_offset(text, offset, len)
                .hint(hint),
        );
    };
    if let Some(repo) = &raw.repository {
        if let Some(url) = &repo.url
            && let Err(r) = crate::url::check(url)
        {
            report("repository", "url", url, r.message(), crate::url::HINT);
        }
        if let Some(tpl) = &repo.edit_url
            && let Some((message, hint)) = template_error(tpl, "{path}", "edit_url", EDIT_HINT)
        {
            report("repository", "edit_url", tpl, message, &hint);
        }
    }
    if let Some(chat) = &raw.chat
        && let Some((message, hint)) = template_error(&chat.url, "{email}", "url", CHAT_HINT)
    {
        report("chat", "url", &chat.url, message, &hint);
    }
    errors
}

const EDIT_HINT: &str = "start it with the repository's address, e.g. `https://git.example.com/edit/main/content/{path}`";
const CHAT_HINT: &str =
    "start it with the chat's address, e.g. `https://teams.microsoft.com/l/chat/0/0?users={email}`";

/// What is wrong with a URL template whose `placeholder` is filled in per
/// page or person: a scheme off the allow-list, or a placeholder at the
/// start, which would let the filled-in text choose the scheme (a file
/// named `javascript:alert(1).md` must not become a link that runs).
fn template_error(tpl: &str, placeholder: &str, key: &str, hint: &str) -> Option<(String, String)> {
    if let Err(r) = crate::url::check(&tpl.replace(placeholder, "")) {
        return Some((r.message(), crate::url::HINT.to_string()));
    }
    if crate::url::check(&tpl.replace(placeholder, "javascript:")).is_err() {
        return Some((
            format!("`{key}` must not start with `{placeholder}`"),
            hint.to_string(),
        ));
    }
    None
}

/// Byte offset and length of `value` written after key `key` under
/// `parent:` (the key alone when the value is not found as written,
/// e.g. with escapes; the start of the file when neither is).
fn value_offset(text: &str, parent: &str, key: &str, value: &str) -> (usize, usize) {
    let from = key_pos(text, parent).line - 1;
    let mut pos: usize = text.split_inclusive('\n').take(from).map(str::len).sum();
    let mut key_at = None;
    for line in text[pos..].split_inclusive('\n') {
        // `edit_url: …` on a line of its own, or inside `{…}` on one line.
        if let Some(i) = line.find(value).filter(|_| !value.is_empty())
            && line[..i].contains(key)
        {
            return (pos + i, value.len());
        }
        if key_at.is_none() && line.trim_start().starts_with(key) {
            key_at = Some((pos + line.len() - line.trim_start().len(), key.len()));
        }
        pos += line.len();
    }
    key_at.unwrap_or((0, 1))
}

/// Splits `base_url` into an optional origin and a path that starts and
/// ends with `/`.
fn split_base_url(url: &str) -> Option<(Option<String>, String)> {
    let url = url.trim();
    let (origin, path) = if let Some(i) = url.find("://") {
        // The origin prefixes permalinks and calendar links: a site is
        // served over the web, never from `javascript://`.
        let scheme = &url[..i];
        if !matches!(scheme.to_ascii_lowercase().as_str(), "http" | "https") {
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
pub(crate) fn key_pos(text: &str, key: &str) -> Pos {
    for (i, line) in text.lines().enumerate() {
        let line = line.trim_start_matches('\u{feff}');
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
    fn script_urls_are_rejected_at_their_value() {
        for (value, scheme) in [
            ("javascript:alert(1)//{path}", "javascript"),
            ("JaVaScRiPt:alert(1)//{path}", "javascript"),
            ("'   javascript:alert(1)//{path}'", "javascript"),
            ("\"java\\tscript:alert(1)//{path}\"", "javascript"),
            ("'data:text/html,x{path}'", "data"),
            ("vbscript:msgbox//{path}", "vbscript"),
        ] {
            let text = format!("title: X\nrepository:\n  edit_url: {value}\n");
            let err = from_text(&text).unwrap_err();
            assert_eq!(err.len(), 1, "{value}: {err:?}");
            assert_eq!(
                err[0].message,
                format!("`{scheme}:` links are not allowed here")
            );
            assert_eq!(err[0].pos.map(|p| p.line), Some(3), "{value}");
        }
        let ok = "repository:\n  url: https://git.example.com/hb\n  edit_url: https://git.example.com/hb/edit/main/{path}\n";
        assert!(from_text(ok).is_ok());
    }

    #[test]
    fn base_url_is_served_over_the_web() {
        assert!(from_text("base_url: javascript://x/%0aalert(1)\n").is_err());
        assert!(from_text("base_url: HTTPS://intra.example.com/\n").is_ok());
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
