//! `esiin init`: a new handbook with one page of every kind, in English or
//! Finnish, that builds with no errors and no warnings.
//!
//! The starter files are real files beside this one (`en/`, `fi/`), so
//! they can be read and reviewed as an editor will see them; they are
//! embedded in the binary and filled in at init: `{{TITLE}}` (as written,
//! for Markdown), `{{TITLE_YAML}}` (a quoted YAML string), `{{TIMEZONE}}`,
//! and `{{DATE}}`, `{{DATE+N}}`, `{{DATE-N}}` (today, or N days from it, in
//! the handbook's time zone). Dates are relative to today so that the
//! starter's session is upcoming and its `review_by` dates and plan
//! figures are current whenever init runs.
//!
//! Nothing is overwritten: init writes only into a folder that is empty
//! (or holds only `.git`, as a freshly cloned repository does), creates
//! each file new, and removes what it wrote if a write fails.

use std::io::Write;
use std::path::{Path, PathBuf};

use jiff::civil::Date;

use crate::diag::Diagnostic;

/// The language of a new handbook: of its pages, its README and its
/// `language:`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Language {
    En,
    Fi,
}

/// What to write where.
#[derive(Debug, Clone)]
pub struct Options {
    /// The handbook's folder: created if missing, else it must be empty.
    pub dir: PathBuf,
    pub language: Language,
    /// The handbook's title (default: "Expertise handbook" or
    /// "Osaamiskäsikirja").
    pub title: Option<String>,
}

/// What init wrote.
#[derive(Debug)]
pub struct Written {
    /// The files, relative to the folder, in the order written.
    pub files: Vec<&'static str>,
    /// The path (under `content/`) to give `esiin new expert` in the
    /// handbook's experts folder.
    pub new_expert: &'static str,
}

/// A starter file: its path in the new handbook and its text.
type Starter = (&'static str, &'static str);

/// The starter files of a language, embedded from `src/init/LANG/` under
/// the same paths (`.gitignore` is kept as `gitignore`, which git would
/// otherwise read as this repository's own).
macro_rules! starter {
    ($lang:literal: $($path:literal),* $(,)?) => {
        &[
            $(($path, include_str!(concat!($lang, "/", $path))),)*
            (".gitignore", include_str!(concat!($lang, "/gitignore"))),
        ]
    };
}

const EN: &[Starter] = starter!("en":
    "handbook.yaml",
    "README.md",
    "content/_index.md",
    "content/about.md",
    "content/experts/_index.md",
    "content/experts/alex-morgan.md",
    "content/training/_index.md",
    "content/training/presenting-your-work.md",
    "content/plan.md",
    "content/guidelines.md",
    "content/onboarding/_index.md",
    "content/onboarding/first-weeks.md",
);

const FI: &[Starter] = starter!("fi":
    "handbook.yaml",
    "README.md",
    "content/_index.md",
    "content/tietoa.md",
    "content/asiantuntijat/_index.md",
    "content/asiantuntijat/aino-virtanen.md",
    "content/koulutukset/_index.md",
    "content/koulutukset/esiintymisen-perusteet.md",
    "content/suunnitelma.md",
    "content/pelisaannot.md",
    "content/perehdytys/_index.md",
    "content/perehdytys/ensimmaiset-viikot.md",
);

impl Language {
    fn starter(self) -> &'static [Starter] {
        match self {
            Language::En => EN,
            Language::Fi => FI,
        }
    }

    fn default_title(self) -> &'static str {
        match self {
            Language::En => "Expertise handbook",
            Language::Fi => "Osaamiskäsikirja",
        }
    }

    /// Where `esiin new expert` would put a new colleague's profile.
    fn new_expert(self) -> &'static str {
        match self {
            Language::En => "experts/firstname-lastname",
            Language::Fi => "asiantuntijat/etunimi-sukunimi",
        }
    }

    /// The time zone when the system's has no name: where a Finnish
    /// handbook's readers most likely are; UTC (the configuration's
    /// default) otherwise.
    fn fallback_zone(self) -> &'static str {
        match self {
            Language::En => "UTC",
            Language::Fi => "Europe/Helsinki",
        }
    }
}

/// What the placeholders of the starter files are filled with.
struct Values {
    title: String,
    timezone: String,
    today: Date,
}

/// Writes a new handbook into `opts.dir`. Refuses a folder that is not
/// empty, and writes nothing then.
pub fn init(opts: &Options) -> Result<Written, Vec<Diagnostic>> {
    let title = opts
        .title
        .clone()
        .unwrap_or_else(|| opts.language.default_title().to_string());
    check_title(&title).map_err(|d| vec![d])?;
    let timezone = system_zone().unwrap_or_else(|| opts.language.fallback_zone().to_string());
    let tz = jiff::tz::TimeZone::get(&timezone).unwrap_or(jiff::tz::TimeZone::UTC);
    let values = Values {
        title,
        timezone,
        today: crate::pipeline::now().to_zoned_datetime(tz).date(),
    };
    let files: Vec<(&'static str, String)> = opts
        .language
        .starter()
        .iter()
        .map(|(path, text)| (*path, fill(text, &values)))
        .collect();
    // The configuration written must load: a title the build would
    // refuse is refused here, before anything is written.
    if let Some((_, config)) = files.iter().find(|(p, _)| *p == crate::config::FILE) {
        crate::config::from_text(config)?;
    }
    let created = prepare(&opts.dir).map_err(|d| vec![d])?;
    let mut done = Done {
        dir: &opts.dir,
        created_dir: created,
        files: Vec::new(),
        folders: Vec::new(),
    };
    for (path, text) in &files {
        if let Err(d) = done.write(path, text) {
            done.undo();
            return Err(vec![d]);
        }
    }
    Ok(Written {
        files: done.files.iter().map(|(p, _)| *p).collect(),
        new_expert: opts.language.new_expert(),
    })
}

/// The system's time zone, by its IANA name, if it has one esiin knows.
fn system_zone() -> Option<String> {
    let tz = jiff::tz::TimeZone::system();
    let name = tz.iana_name()?;
    jiff::tz::TimeZone::get(name).ok()?;
    Some(name.to_string())
}

/// A title the site can show: not blank, no control characters, not
/// longer than a page title may be.
fn check_title(title: &str) -> Result<(), Diagnostic> {
    let problem = if title.trim().is_empty() {
        "the title given to `--title` is empty".to_string()
    } else if title.chars().any(char::is_control) {
        "the title given to `--title` contains a control character".to_string()
    } else if title.chars().count() > crate::config::MAX_TITLE {
        format!(
            "the title given to `--title` is {} characters long; at most {} are allowed",
            title.chars().count(),
            crate::config::MAX_TITLE
        )
    } else {
        return Ok(());
    };
    Err(Diagnostic::error(problem)
        .hint("give the handbook a short name on one line, e.g. `--title \"Expertise handbook\"`"))
}

/// Makes sure `dir` is an empty folder, creating it if it is missing.
/// Returns whether it was created.
fn prepare(dir: &Path) -> Result<bool, Diagnostic> {
    // `.` means nothing in a message: the current folder is named.
    let shown = match dir == Path::new(".") {
        true => std::path::absolute(dir).unwrap_or_else(|_| dir.to_path_buf()),
        false => dir.to_path_buf(),
    };
    let shown = shown.display();
    match std::fs::metadata(dir) {
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
            return std::fs::create_dir_all(dir).map(|()| true).map_err(|e| {
                Diagnostic::error(format!("cannot create the folder `{shown}`: {e}"))
                    .hint("choose a folder you can write in, e.g. `esiin init my-handbook`")
            });
        }
        Err(e) => {
            return Err(
                Diagnostic::error(format!("cannot read the folder `{shown}`: {e}"))
                    .hint("choose a folder you can read and write in"),
            );
        }
        Ok(meta) if !meta.is_dir() => {
            return Err(
                Diagnostic::error(format!("`{shown}` is a file, not a folder")).hint(
                    "give `esiin init` the name of a new folder, e.g. `esiin init my-handbook`",
                ),
            );
        }
        Ok(_) => {}
    }
    let taken = entries(dir).map_err(|e| {
        Diagnostic::error(format!("cannot read the folder `{shown}`: {e}"))
            .hint("choose a folder you can read and write in")
    })?;
    if taken.is_empty() {
        return Ok(false);
    }
    Err(Diagnostic::error(format!(
        "the folder `{shown}` is not empty (it has {}); nothing was written",
        listing(&taken)
    ))
    .hint("run `esiin init NEW-FOLDER` to start the handbook in a new folder, or empty this one first"))
}

/// The names in `dir`, sorted, but `.git`: a repository just cloned or
/// made with `git init` is a good place for a new handbook.
fn entries(dir: &Path) -> std::io::Result<Vec<String>> {
    let mut names = Vec::new();
    for entry in std::fs::read_dir(dir)? {
        let name = entry?.file_name().to_string_lossy().into_owned();
        if name != ".git" {
            names.push(name);
        }
    }
    names.sort();
    Ok(names)
}

/// "`a`, `b` and 3 more": what a folder holds, briefly.
fn listing(names: &[String]) -> String {
    let shown: Vec<String> = names.iter().take(3).map(|n| format!("`{n}`")).collect();
    match names.len() {
        1 => shown.join(""),
        2 | 3 => format!(
            "{} and {}",
            shown[..shown.len() - 1].join(", "),
            shown[shown.len() - 1]
        ),
        n => format!("{} and {} more", shown.join(", "), n - 3),
    }
}

/// What init has written so far, to undo it when a write fails.
struct Done<'a> {
    dir: &'a Path,
    created_dir: bool,
    files: Vec<(&'static str, PathBuf)>,
    /// The folders created inside `dir`, parents first.
    folders: Vec<PathBuf>,
}

impl Done<'_> {
    /// Writes `text` into the new file `rel` (under `dir`), creating its
    /// folders. `create_new`: a file that appeared meanwhile is never
    /// overwritten.
    fn write(&mut self, rel: &'static str, text: &str) -> Result<(), Diagnostic> {
        let path = self.dir.join(rel);
        let fail = |e: std::io::Error| {
            Diagnostic::error(format!("cannot write `{}`: {e}", path.display())).hint(
                "check that you can write in the folder and the disk has room, then run `esiin init` again",
            )
        };
        if let Some(parent) = Path::new(rel).parent() {
            for folder in parent.ancestors().collect::<Vec<_>>().into_iter().rev() {
                let abs = self.dir.join(folder);
                if folder.as_os_str().is_empty() || abs.is_dir() {
                    continue;
                }
                std::fs::create_dir(&abs).map_err(fail)?;
                self.folders.push(abs);
            }
        }
        let mut file = std::fs::OpenOptions::new()
            .write(true)
            .create_new(true)
            .open(&path)
            .map_err(fail)?;
        // Recorded before writing: a half-written file is removed too.
        self.files.push((rel, path.clone()));
        file.write_all(text.as_bytes()).map_err(fail)
    }

    /// Removes what was written, newest first: the folder is left as it
    /// was found (best effort: the write that failed is what is reported).
    fn undo(self) {
        for (_, path) in self.files.iter().rev() {
            let _ = std::fs::remove_file(path);
        }
        for folder in self.folders.iter().rev() {
            let _ = std::fs::remove_dir(folder);
        }
        if self.created_dir {
            let _ = std::fs::remove_dir(self.dir);
        }
    }
}

/// `text` with its placeholders filled in. A placeholder this does not
/// know is left as written (the tests check that none is left).
fn fill(text: &str, values: &Values) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(open) = rest.find("{{") {
        out.push_str(&rest[..open]);
        let after = &rest[open + 2..];
        let Some(close) = after.find("}}") else {
            rest = &rest[open..];
            break;
        };
        let name = &after[..close];
        match value(name, values) {
            Some(v) => out.push_str(&v),
            None => out.push_str(&rest[open..open + 2 + close + 2]),
        }
        rest = &after[close + 2..];
    }
    out.push_str(rest);
    out
}

/// The value of the placeholder `name`.
fn value(name: &str, values: &Values) -> Option<String> {
    match name {
        "TITLE" => return Some(values.title.clone()),
        // A JSON string is a YAML double-quoted scalar: any title is
        // quoted and escaped correctly.
        "TITLE_YAML" => return serde_json::to_string(&values.title).ok(),
        "TIMEZONE" => return Some(values.timezone.clone()),
        "DATE" => return Some(values.today.to_string()),
        _ => {}
    }
    let offset = name.strip_prefix("DATE")?;
    let days: i64 = match offset.strip_prefix('+') {
        Some(n) => n.parse().ok()?,
        None => offset.parse().ok()?,
    };
    let date = values
        .today
        .checked_add(jiff::Span::new().days(days))
        .ok()?;
    Some(date.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn values() -> Values {
        Values {
            title: "Kuulas: \"asiantuntijat\" esiin".into(),
            timezone: "Europe/Helsinki".into(),
            today: jiff::civil::date(2026, 12, 30),
        }
    }

    #[test]
    fn placeholders_are_filled() {
        let v = values();
        assert_eq!(
            fill("{{DATE}} {{DATE+3}} {{DATE-30}} {{TIMEZONE}}", &v),
            "2026-12-30 2027-01-02 2026-11-30 Europe/Helsinki"
        );
        assert_eq!(fill("# {{TITLE}}", &v), "# Kuulas: \"asiantuntijat\" esiin");
        assert_eq!(fill("{{NOPE}} {{", &v), "{{NOPE}} {{");
    }

    #[test]
    fn the_yaml_title_reads_back_as_written() {
        let v = values();
        let site = crate::config::from_text(&fill("title: {{TITLE_YAML}}\n", &v))
            .unwrap_or_else(|e| panic!("{e:?}"));
        assert_eq!(site.raw.title, v.title);
    }

    #[test]
    fn every_placeholder_of_every_starter_file_is_known() {
        for (path, text) in EN.iter().chain(FI) {
            let filled = fill(text, &values());
            assert!(!filled.contains("{{"), "{path} keeps a placeholder");
        }
    }

    /// Both languages write the same kinds of file, and the configuration
    /// names every key `handbook.yaml` takes, so the editor finds each one
    /// explained.
    #[test]
    fn handbook_yaml_names_every_key() {
        use crate::config::{Config, Markdown, Repository};
        use crate::yaml::field_names;
        let keys = field_names::<Config>()
            .iter()
            .chain(field_names::<Markdown>())
            .chain(field_names::<Repository>());
        for lang in [Language::En, Language::Fi] {
            let (_, text) = lang.starter()[0];
            for key in keys.clone() {
                assert!(
                    text.lines().any(|l| l
                        .trim_start_matches(['#', ' '])
                        .starts_with(&format!("{key}:"))),
                    "{lang:?} handbook.yaml does not name `{key}`"
                );
            }
        }
    }

    /// The commented-out keys, uncommented, are a valid configuration: the
    /// examples and defaults the comments give can be taken as they are.
    #[test]
    fn the_commented_keys_are_valid_when_uncommented() {
        for lang in [Language::En, Language::Fi] {
            let (_, text) = lang.starter()[0];
            let uncommented: String = fill(text, &values())
                .lines()
                .map(|l| match l.strip_prefix("# ") {
                    Some(rest) if is_key_line(rest) => rest,
                    _ => l,
                })
                .collect::<Vec<_>>()
                .join("\n");
            let site = crate::config::from_text(&uncommented)
                .unwrap_or_else(|e| panic!("{lang:?}: {e:?}\n{uncommented}"));
            assert!(site.raw.repository.is_some(), "{lang:?}: {uncommented}");
            assert!(site.raw.highlight_theme.is_some(), "{lang:?}");
        }
    }

    /// `key:` or an indented `key:` of a nested map.
    fn is_key_line(line: &str) -> bool {
        let t = line.trim_start();
        t.split_once(':').is_some_and(|(k, _)| {
            !k.is_empty() && k.chars().all(|c| c.is_ascii_lowercase() || c == '_')
        })
    }

    /// A write that fails mid-way is reported, and what was written
    /// before it is removed: the folder is left as it was found.
    #[test]
    fn a_failed_write_undoes_the_others() {
        let tmp = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
        let dir = tmp.path().join("hb");
        std::fs::create_dir(&dir).unwrap_or_else(|e| panic!("{e}"));
        let mut done = Done {
            dir: &dir,
            created_dir: false,
            files: Vec::new(),
            folders: Vec::new(),
        };
        done.write("README.md", "# Hi\n")
            .unwrap_or_else(|d| panic!("{d:?}"));
        done.write("content/experts/_index.md", "---\n")
            .unwrap_or_else(|d| panic!("{d:?}"));
        // A file where a folder must go: the next write fails.
        std::fs::write(dir.join("content/training"), "").unwrap_or_else(|e| panic!("{e}"));
        let err = done
            .write("content/training/a.md", "---\n")
            .expect_err("a file is in the way");
        assert!(err.message.starts_with("cannot write `"), "{}", err.message);
        assert!(
            err.message.contains("content/training/a.md"),
            "{}",
            err.message
        );
        done.undo();
        let left: Vec<_> = walkdir::WalkDir::new(&dir)
            .into_iter()
            .filter_map(Result::ok)
            .map(|e| e.path().strip_prefix(&dir).map(Path::to_path_buf))
            .filter_map(Result::ok)
            .collect();
        // The folder itself, and the file put in the way (not init's).
        assert_eq!(
            left,
            [
                PathBuf::new(),
                PathBuf::from("content"),
                PathBuf::from("content/training")
            ]
        );
    }

    #[test]
    fn a_full_folder_is_listed_briefly() {
        let names = |n: usize| (0..n).map(|i| format!("f{i}")).collect::<Vec<_>>();
        assert_eq!(listing(&names(1)), "`f0`");
        assert_eq!(listing(&names(2)), "`f0` and `f1`");
        assert_eq!(listing(&names(3)), "`f0`, `f1` and `f2`");
        assert_eq!(listing(&names(5)), "`f0`, `f1`, `f2` and 2 more");
    }
}
