//! `esiin new [KIND] PATH`: a new page with every field of its kind, each
//! with a comment saying what it takes, written from the field reference
//! ([`crate::load::reference`]) so that the file and the reference cannot
//! disagree. Values are written only where any handbook builds with them
//! (the title, empty lists, `false`); the rest are commented examples, so
//! that a new file never names an expert or a page that does not exist.

use std::io::Write;
use std::path::{Component, Path, PathBuf};

use crate::config::{self, Kind};
use crate::diag::Diagnostic;
use crate::load::reference::{self, Field, Ty};

/// What `new` wrote.
#[derive(Debug)]
pub struct Created {
    /// The file, relative to the handbook root (`content/experts/mari.md`).
    pub file: PathBuf,
    /// The kind's name (`expert`).
    pub kind: &'static str,
}

/// Writes a new page at `path` (under `content/`, with or without
/// `content/` and `.md`) in the handbook at `root`, of kind `kind` (by
/// name), else of its folder's kind. Never overwrites a file.
pub fn create(root: &Path, kind: Option<&str>, path: &str) -> Result<Created, Vec<Diagnostic>> {
    let rel = content_path(path).map_err(|d| vec![d])?;
    let config = config::load(root)?;
    let rel_str = rel.to_string_lossy().replace('\\', "/");
    let folder = rel_str.rfind('/').map_or("", |i| &rel_str[..i]);
    let folder_kind = config.folder_kind(folder);
    let is_index = rel.file_name().is_some_and(|n| n == "_index.md");
    let kind = match kind {
        Some(name) => Kind::from_name(name).ok_or_else(|| vec![unknown_kind(name)])?,
        // A section's own page has a page's fields, whatever its folder.
        None if is_index => Kind::Page,
        None => folder_kind.ok_or_else(|| vec![no_kind(&rel_str, &config)])?,
    };
    if is_index && kind != Kind::Page {
        return Err(vec![
            Diagnostic::error(format!(
                "`{rel_str}` is a section's own page, which cannot be of kind `{kind}`"
            ))
            .hint(format!(
                "give the {kind} a file of its own, e.g. `{folder}/new-{kind}.md`, or write `esiin new page {rel_str}`"
            )),
        ]);
    }
    let title = title_of(&rel);
    // `kind:` is written only when the folder does not give the kind.
    let set_kind = !is_index && folder_kind.unwrap_or(Kind::Page) != kind;
    let text = page_text(kind, &title, set_kind);
    let file = Path::new("content").join(&rel);
    write_new(root, &file, &text)?;
    Ok(Created {
        file,
        kind: kind.name(),
    })
}

fn unknown_kind(name: &str) -> Diagnostic {
    Diagnostic::error(format!("unknown kind `{name}`")).hint(format!(
        "write one of: {} (e.g. `esiin new expert experts/mari-oksanen`)",
        Kind::NAMES.join(", ")
    ))
}

fn no_kind(rel: &str, config: &config::Site) -> Diagnostic {
    let folders: Vec<String> = config
        .kinds
        .iter()
        .map(|(folder, kind)| format!("`{folder}/` holds {kind}s"))
        .collect();
    Diagnostic::error(format!(
        "the folder of `{rel}` does not say what kind of page it is"
    ))
    .hint(format!(
        "write the kind first, one of: {} (e.g. `esiin new page {rel}`); {}",
        Kind::NAMES.join(", "),
        folders.join(", ")
    ))
}

/// `path` as a file under `content/`: `content/` taken off, `.md` added;
/// an absolute path or one that leaves the folder is refused.
fn content_path(path: &str) -> Result<PathBuf, Diagnostic> {
    let p = Path::new(path);
    let outside = || {
        Diagnostic::error(format!("`{path}` is outside the content folder"))
            .hint("give a path inside `content/`, e.g. `experts/mari-oksanen`")
    };
    let mut rel = PathBuf::new();
    for c in p.components() {
        match c {
            Component::Normal(part) => rel.push(part),
            Component::CurDir => {}
            Component::ParentDir | Component::RootDir | Component::Prefix(_) => {
                return Err(outside());
            }
        }
    }
    if let Ok(rest) = rel.strip_prefix("content") {
        rel = rest.to_path_buf();
    }
    if rel.as_os_str().is_empty() || path.ends_with('/') || path.ends_with('\\') {
        return Err(Diagnostic::error(format!("`{path}` names no file"))
            .hint("end the path with the new page's name, e.g. `experts/mari-oksanen`"));
    }
    if rel.extension().is_none_or(|e| e != "md") {
        let mut name = rel.file_name().unwrap_or_default().to_os_string();
        name.push(".md");
        rel.set_file_name(name);
    }
    Ok(rel)
}

/// `mari-oksanen.md` → `Mari Oksanen`; a section's `_index.md` is named
/// after its folder.
fn title_of(rel: &Path) -> String {
    let stem = match rel.file_stem().and_then(|s| s.to_str()) {
        Some("_index") => rel
            .parent()
            .and_then(|p| p.file_name())
            .and_then(|s| s.to_str())
            .unwrap_or("Home"),
        Some(stem) => stem,
        None => "New page",
    };
    let words: Vec<String> = stem
        .split(['-', '_', ' '])
        .filter(|w| !w.is_empty())
        .map(|w| {
            let mut chars = w.chars();
            chars
                .next()
                .map_or(String::new(), |c| c.to_uppercase().chain(chars).collect())
        })
        .collect();
    if words.is_empty() {
        "New page".into()
    } else {
        words.join(" ")
    }
}

/// Writes `text` to `root/file`, creating its folders inside `content/`;
/// refuses a file that exists and folders that lead out of `content/`.
fn write_new(root: &Path, file: &Path, text: &str) -> Result<(), Vec<Diagnostic>> {
    let shown = file.display().to_string();
    let content = root.join("content");
    let Ok(content_real) = content.canonicalize() else {
        return Err(vec![
            Diagnostic::error(format!("there is no `content/` folder in `{}`", root.display()))
                .hint("run esiin in the handbook's folder or pass `--root DIR`; `esiin init` makes a new handbook"),
        ]);
    };
    let target = root.join(file);
    // A folder that exists may be a link: what it leads to must be inside.
    let mut existing = target.parent().unwrap_or(&content).to_path_buf();
    while !existing.exists() {
        if !existing.pop() {
            break;
        }
    }
    if !existing
        .canonicalize()
        .is_ok_and(|real| real.starts_with(&content_real))
    {
        return Err(vec![
            Diagnostic::error(format!("`{shown}` leads outside the content folder"))
                .hint("a folder on the way is a link out of `content/`: choose another folder"),
        ]);
    }
    let io_error = |e: std::io::Error| {
        vec![
            Diagnostic::error(format!("cannot write `{shown}`: {e}"))
                .hint("check that you may write to the folder"),
        ]
    };
    if let Some(parent) = target.parent() {
        std::fs::create_dir_all(parent).map_err(io_error)?;
    }
    let mut out = match std::fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .open(&target)
    {
        Ok(f) => f,
        Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => {
            return Err(vec![
                Diagnostic::error(format!("`{shown}` already exists; it was left as it was"))
                    .hint("choose another name, or edit the file that is there"),
            ]);
        }
        Err(e) => return Err(io_error(e)),
    };
    out.write_all(text.as_bytes()).map_err(io_error)
}

/// Where the comments start, so that they line up.
const COMMENT_COLUMN: usize = 34;

/// The new file: front matter with every field of the kind, and a body.
fn page_text(kind: Kind, title: &str, set_kind: bool) -> String {
    let mut out = String::from("---\n");
    out.push_str(&format!(
        "# A new page of kind `{kind}`. Every field it may have is below, with what it takes.\n\
         # Lines starting with `#` are comments: remove the `# ` to use a field.\n\
         # All fields explained: `esiin fields {kind}`.\n"
    ));
    for field in reference::COMMON {
        let line = match field.name {
            "title" => Some(format!("title: {}", yaml_text(title))),
            "kind" if set_kind => Some(format!("kind: {kind}")),
            "kind" => {
                out.push_str(&commented(&format!("kind: {kind}"), field));
                continue;
            }
            _ => None,
        };
        match line {
            Some(line) => out.push_str(&with_comment(&line, &about(field))),
            None => push_field(&mut out, field, false),
        }
    }
    let needed = kind == Kind::Guidelines;
    for field in reference::of(kind).fields {
        push_field(&mut out, field, needed && field.name == "rules");
    }
    out.push_str("---\n\n");
    out.push_str(body(kind));
    out
}

/// One field: a value any handbook builds with, or its example commented.
/// `needed`: the kind does not build without it, so its example is written.
fn push_field(out: &mut String, field: &'static Field, needed: bool) {
    let mut lines = Vec::new();
    reference::example_lines(field, 0, &mut lines);
    if needed {
        for (line, f) in &lines {
            out.push_str(&with_comment(line, &about(f)));
        }
        return;
    }
    match &field.ty {
        Ty::Records(_) => {
            for (line, f) in &lines {
                out.push_str(&commented(line, f));
            }
            out.push_str(&with_comment(
                &format!("{}: []", field.name),
                "none yet: to add one, use the lines above instead",
            ));
        }
        Ty::List(_) => {
            let comment = format!("{} E.g. `{}`", about(field), field.example);
            out.push_str(&with_comment(&format!("{}: []", field.name), &comment));
        }
        Ty::Bool => out.push_str(&with_comment(
            &format!("{}: false", field.name),
            &about(field),
        )),
        _ => {
            for (line, f) in &lines {
                out.push_str(&commented(line, f));
            }
        }
    }
}

/// A field's comment: required or its default, its type, what it is for.
fn about(field: &Field) -> String {
    let ty = field.ty.describe();
    let head = match field.default {
        None => format!("required: {ty}"),
        Some("none") => ty,
        Some(default) => format!("{ty}; default {default}"),
    };
    format!("{head}. {}", field.about)
}

fn commented(line: &str, field: &Field) -> String {
    with_comment(&format!("# {line}"), &about(field))
}

fn with_comment(line: &str, comment: &str) -> String {
    let width = line.chars().count();
    let pad = COMMENT_COLUMN.saturating_sub(width).max(2);
    format!("{line}{:pad$}# {comment}\n", "")
}

/// `text` as a YAML scalar: plain when that reads back as the same text.
fn yaml_text(text: &str) -> String {
    let plain = text
        .chars()
        .all(|c| c.is_alphanumeric() || matches!(c, ' ' | '-' | '.' | '\''))
        && text.chars().next().is_some_and(char::is_alphanumeric);
    if plain {
        text.to_string()
    } else {
        format!("\"{}\"", text.replace('\\', "\\\\").replace('"', "\\\""))
    }
}

fn body(kind: Kind) -> &'static str {
    match kind {
        Kind::Expert => "Write the bio here: what the person does, and what to ask them about.\n",
        Kind::Module => "Describe the module here: what participants do and take away.\n",
        Kind::Plan => "Write the plan here: why, for whom, and how we measure it.\n",
        Kind::Guidelines => "Say here in a few lines why these rules matter.\n",
        Kind::Path => "Go through the steps in order, and tick each one off when it is done.\n",
        Kind::Page | Kind::Section => "Write the page here.\n",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn titles_come_from_file_names() {
        assert_eq!(
            title_of(Path::new("experts/mari-oksanen.md")),
            "Mari Oksanen"
        );
        assert_eq!(title_of(Path::new("guide/_index.md")), "Guide");
        assert_eq!(title_of(Path::new("ämpäri_ja-öljy.md")), "Ämpäri Ja Öljy");
    }

    #[test]
    fn paths_are_taken_under_content() {
        let ok = |p: &str| content_path(p).map(|p| p.display().to_string());
        assert_eq!(ok("experts/mari").unwrap(), "experts/mari.md");
        assert_eq!(ok("experts/mari.md").unwrap(), "experts/mari.md");
        assert_eq!(ok("content/experts/mari.md").unwrap(), "experts/mari.md");
        assert_eq!(ok("./plan").unwrap(), "plan.md");
        assert!(ok("../mari").is_err());
        assert!(ok("experts/../../mari").is_err());
        assert!(ok("/etc/mari").is_err());
        assert!(ok("experts/").is_err());
        assert!(ok("content").is_err());
    }

    #[test]
    fn titles_that_yaml_would_misread_are_quoted() {
        assert_eq!(yaml_text("Mari Oksanen"), "Mari Oksanen");
        assert_eq!(yaml_text("Q&A: \"live\""), "\"Q&A: \\\"live\\\"\"");
    }

    #[test]
    fn every_field_of_the_kind_is_in_the_file() {
        for k in reference::KINDS {
            let text = page_text(k.kind, "X", true);
            for f in reference::COMMON.iter().chain(k.fields) {
                let names: Vec<&str> = std::iter::once(f.name)
                    .chain(
                        f.ty.record()
                            .into_iter()
                            .flat_map(|r| r.fields.iter().map(|f| f.name)),
                    )
                    .collect();
                for name in names {
                    assert!(
                        text.contains(&format!("{name}:")),
                        "{}: no `{name}`\n{text}",
                        k.kind
                    );
                }
            }
        }
    }
}
