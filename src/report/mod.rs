//! `check`'s output for machines other than a terminal: GitHub Actions
//! workflow commands (`--format github`, annotations on the lines of a
//! pull request) and GitLab's Code Quality report (`--format gitlab`,
//! findings in the merge-request widget), beside `human`
//! ([`Diagnostic::render`]) and `json` ([`Diagnostic::to_json`]). Also the
//! editors' report of `check --stale` ([`stale::Review`]) in each format.
//!
//! A leaf, like `diag`: it formats, `main.rs` prints.

pub mod stale;

use std::path::{Component, Path, PathBuf};

use crate::diag::{Diagnostic, Severity};
use stale::Review;

/// How paths are shown to a CI system: relative to the current folder
/// when the file is under it (Actions and GitLab resolve annotations
/// against the checkout, where the job runs), `/`-separated.
#[derive(Debug, Clone)]
pub struct Paths {
    /// The handbook root, absolute.
    root: PathBuf,
    /// The current folder, absolute (`None` when it cannot be read).
    cwd: Option<PathBuf>,
}

impl Paths {
    /// Paths of the handbook at `root` (as given to `--root`), seen from
    /// the current folder.
    pub fn new(root: &Path) -> Paths {
        let cwd = std::env::current_dir().ok();
        Paths::from_parts(root, cwd)
    }

    fn from_parts(root: &Path, cwd: Option<PathBuf>) -> Paths {
        // Canonical, so that a root given through `..` or a symlinked
        // folder still lies under the (canonical) current folder.
        let canonical = |p: &Path| std::fs::canonicalize(p).unwrap_or_else(|_| lexical(p));
        let cwd = cwd.map(|c| canonical(&c));
        let absolute = match &cwd {
            Some(c) => c.join(root),
            None => root.to_path_buf(),
        };
        Paths {
            root: canonical(&absolute),
            cwd,
        }
    }

    /// `file` (relative to the handbook root, as diagnostics hold it) as
    /// CI should see it; `None` for no file (an empty path is the root
    /// itself, which no annotation can point at).
    pub fn shown(&self, file: Option<&Path>) -> Option<String> {
        let file = file.filter(|f| !f.as_os_str().is_empty())?;
        Some(self.relative(&self.root.join(file)))
    }

    /// The handbook root as CI should see it (`.` when it is the current
    /// folder): where a finding without a file is put in a Code Quality
    /// report, which requires a path.
    pub fn root_shown(&self) -> String {
        self.relative(&self.root)
    }

    fn relative(&self, path: &Path) -> String {
        let path = lexical(path);
        let rel = self
            .cwd
            .as_deref()
            .and_then(|c| path.strip_prefix(c).ok())
            .unwrap_or(&path);
        let parts: Vec<String> = rel
            .components()
            .map(|c| match c {
                Component::RootDir => String::new(),
                other => other.as_os_str().to_string_lossy().into_owned(),
            })
            .collect();
        match parts.join("/") {
            s if s.is_empty() => ".".to_string(),
            // A root component became "": `/a/b` is written `/a/b`.
            s => s,
        }
    }
}

/// `path` with `.` and `name/..` taken out, without asking the file
/// system (the path may not exist).
fn lexical(path: &Path) -> PathBuf {
    let mut out = PathBuf::new();
    for c in path.components() {
        match c {
            Component::CurDir => {}
            Component::ParentDir
                if matches!(out.components().next_back(), Some(Component::Normal(_))) =>
            {
                out.pop();
            }
            other => out.push(other.as_os_str()),
        }
    }
    out
}

/// Text of a workflow command's message (after `::`), escaped as the
/// Actions runner reads it back.
fn escape_data(s: &str) -> String {
    s.replace('%', "%25")
        .replace('\r', "%0D")
        .replace('\n', "%0A")
}

/// A workflow command's property value (`file=…`), where `:` and `,`
/// would end it.
fn escape_property(s: &str) -> String {
    escape_data(s).replace(':', "%3A").replace(',', "%2C")
}

/// The message and, on a line of its own, what to write instead.
fn message_with_hint(d: &Diagnostic) -> String {
    match &d.hint {
        Some(hint) => format!("{}\nhelp: {hint}", d.message),
        None => d.message.clone(),
    }
}

/// One workflow command: `::error file=…,line=…::message`.
fn command(level: &str, props: &[(&str, String)], message: &str) -> String {
    let props: Vec<String> = props
        .iter()
        .map(|(k, v)| format!("{k}={}", escape_property(v)))
        .collect();
    format!("::{level} {}::{}", props.join(","), escape_data(message))
}

/// `--format github`: a workflow command per diagnostic (`::error` or
/// `::warning`, at the file, line and columns of the diagnostic), then a
/// `::notice` per finding of the review, when there is one. One per line.
pub fn github(diags: &[Diagnostic], review: Option<&Review>, paths: &Paths) -> String {
    let mut out = String::new();
    for d in diags {
        let level = match d.severity {
            Severity::Error => "error",
            Severity::Warning => "warning",
        };
        let mut props = Vec::new();
        if let Some(file) = paths.shown(d.file.as_deref()) {
            props.push(("file", file));
            if let Some(pos) = d.pos {
                props.push(("line", pos.line.to_string()));
                props.push(("col", pos.col.to_string()));
                // The last column marked, as the caret under it.
                props.push(("endColumn", (pos.col + d.len.max(1) - 1).to_string()));
            }
        }
        props.push(("title", "esiin".to_string()));
        out.push_str(&command(level, &props, &message_with_hint(d)));
        out.push('\n');
    }
    for item in review.into_iter().flat_map(Review::items) {
        let mut props = vec![(
            "file",
            paths.shown(Some(Path::new(&item.file))).unwrap_or_default(),
        )];
        if let Some(line) = item.line {
            props.push(("line", line.to_string()));
        }
        props.push(("title", "esiin review".to_string()));
        let message = format!("{}\nhelp: {}", item.message(), item.hint());
        out.push_str(&command("notice", &props, &message));
        out.push('\n');
    }
    out
}

/// A stable name for the kind of problem `message` reports, for Code
/// Quality's `check_name`: the words of its main clause (before the
/// first `:`, `;` or `(`), without what is quoted in backticks, numbers or
/// punctuation, at most eight: `unknown field `topcis`` is
/// `unknown-field`. Diagnostics carry no code of their own; their
/// messages are reviewed wording (snapshots), so this changes only when
/// a message does.
pub fn check_name(message: &str) -> String {
    let mut words: Vec<String> = Vec::new();
    let mut word = String::new();
    let mut quoted = false;
    for c in message.chars() {
        if c == '`' {
            quoted = !quoted;
        } else if quoted {
            continue;
        } else if matches!(c, ':' | ';' | '(') {
            break;
        } else if c.is_alphabetic() {
            word.extend(c.to_lowercase());
            continue;
        }
        if !word.is_empty() {
            words.push(std::mem::take(&mut word));
        }
    }
    if !word.is_empty() {
        words.push(word);
    }
    words.truncate(8);
    match words.join("-") {
        s if s.is_empty() => "esiin/problem".to_string(),
        s => format!("esiin/{s}"),
    }
}

/// One Code Quality finding, before its fingerprint.
struct Finding {
    description: String,
    check_name: String,
    severity: &'static str,
    path: String,
    line: usize,
}

/// `--format gitlab`: a GitLab Code Quality report, a JSON array of
/// `{description, check_name, fingerprint, severity, location: {path,
/// lines: {begin}}}`: errors `major`, warnings `minor`, the review's
/// findings `info`. A finding without a file is put on the handbook
/// folder (the report requires a path), at line 1.
pub fn gitlab(diags: &[Diagnostic], review: Option<&Review>, paths: &Paths) -> serde_json::Value {
    let mut findings: Vec<Finding> = diags
        .iter()
        .map(|d| Finding {
            description: match &d.hint {
                Some(hint) => format!("{} (help: {hint})", d.message),
                None => d.message.clone(),
            },
            check_name: check_name(&d.message),
            severity: match d.severity {
                Severity::Error => "major",
                Severity::Warning => "minor",
            },
            path: paths
                .shown(d.file.as_deref())
                .unwrap_or_else(|| paths.root_shown()),
            line: d.pos.map_or(1, |p| p.line),
        })
        .collect();
    findings.extend(review.into_iter().flat_map(Review::items).map(|item| {
        Finding {
            description: format!("{} (help: {})", item.message(), item.hint()),
            check_name: format!("esiin/review/{}", item.finding.code()),
            severity: "info",
            path: paths
                .shown(Some(Path::new(&item.file)))
                .unwrap_or_else(|| paths.root_shown()),
            line: item.line.unwrap_or(1),
        }
    }));
    serde_json::Value::Array(fingerprinted(findings))
}

/// The findings as JSON, each with a fingerprint: a hash of its check,
/// path and description, and how many identical findings came before it
/// (two alike in one file stay two). Not of the line: GitLab compares
/// fingerprints between the target branch and the merge request, and a
/// finding does not become new because a line was added above it.
fn fingerprinted(findings: Vec<Finding>) -> Vec<serde_json::Value> {
    let mut seen = std::collections::HashMap::new();
    findings
        .into_iter()
        .map(|f| {
            let key = format!("{}\0{}\0{}", f.check_name, f.path, f.description);
            let nth = seen.entry(key.clone()).or_insert(0u32);
            let fingerprint = xxhash_rust::xxh3::xxh3_128(format!("{key}\0{nth}").as_bytes());
            *nth += 1;
            serde_json::json!({
                "description": f.description,
                "check_name": f.check_name,
                "fingerprint": format!("{fingerprint:032x}"),
                "severity": f.severity,
                "location": { "path": f.path, "lines": { "begin": f.line } },
            })
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn workflow_commands_escape_data_and_properties() {
        assert_eq!(escape_data("50% a,b: c\r\nd"), "50%25 a,b: c%0D%0Ad");
        assert_eq!(escape_property("a,b:c%"), "a%2Cb%3Ac%25");
        let cmd = command("error", &[("file", "x,y.md".into())], "a: b");
        assert_eq!(cmd, "::error file=x%2Cy.md::a: b");
    }

    #[test]
    fn check_names_are_the_kind_of_message() {
        assert_eq!(check_name("unknown field `topcis`"), "esiin/unknown-field");
        assert_eq!(
            check_name("cannot read the file: No such file (os error 2)"),
            "esiin/cannot-read-the-file"
        );
        assert_eq!(
            check_name("the page was due for review on 2026-01-01; it is shown as out of date"),
            "esiin/the-page-was-due-for-review-on"
        );
        assert_eq!(check_name("`x`"), "esiin/problem");
    }

    #[test]
    fn paths_are_relative_to_the_current_folder_with_slashes() {
        let paths = Paths {
            root: PathBuf::from("/w/repo/handbook"),
            cwd: Some(PathBuf::from("/w/repo")),
        };
        let shown = paths.shown(Some(Path::new("content/a.md")));
        assert_eq!(shown.as_deref(), Some("handbook/content/a.md"));
        assert_eq!(paths.shown(Some(Path::new(""))), None);
        assert_eq!(paths.root_shown(), "handbook");
        let outside = Paths {
            root: PathBuf::from("/elsewhere"),
            cwd: Some(PathBuf::from("/w/repo")),
        };
        assert_eq!(
            outside.shown(Some(Path::new("a.md"))).as_deref(),
            Some("/elsewhere/a.md")
        );
        assert_eq!(lexical(Path::new("/a/./b/../c")), PathBuf::from("/a/c"));
    }

    #[test]
    fn identical_findings_get_distinct_fingerprints() {
        let d = Diagnostic::error("same").in_file("content/a.md").hint("h");
        let paths = Paths {
            root: PathBuf::from("/r"),
            cwd: Some(PathBuf::from("/r")),
        };
        let report = gitlab(&[d.clone(), d], None, &paths);
        let prints: Vec<&str> = report
            .as_array()
            .into_iter()
            .flatten()
            .filter_map(|f| f["fingerprint"].as_str())
            .collect();
        assert_eq!(prints.len(), 2);
        assert_ne!(prints[0], prints[1]);
    }
}
