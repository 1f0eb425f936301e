//! Themes: the default theme compiled into the binary, a named theme from
//! `themes/NAME/`, and the handbook's own `templates/`, layered file by
//! file. A later layer replaces a file of the same name, so a handbook can
//! override one template (mdBook's habit) without copying the theme.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use crate::diag::Diagnostic;

mod embedded {
    include!(concat!(env!("OUT_DIR"), "/theme_files.rs"));
}

/// Where a theme file came from, for messages.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Origin {
    BuiltIn,
    Disk(PathBuf),
}

impl Origin {
    /// The path shown in messages: relative to the handbook root, or
    /// `(built-in theme)/…`.
    pub fn shown(&self, rel: &str) -> PathBuf {
        match self {
            Origin::BuiltIn => PathBuf::from("(built-in theme)").join(rel),
            Origin::Disk(p) => p.clone(),
        }
    }
}

#[derive(Debug, Clone)]
pub struct File {
    pub bytes: Vec<u8>,
    pub origin: Origin,
}

/// The layered theme: `templates/…`, `static/…` and `strings/…` files.
#[derive(Debug, Default)]
pub struct Theme {
    pub files: BTreeMap<String, File>,
}

impl Theme {
    /// Layers the built-in theme, `themes/NAME/` and the handbook's
    /// `templates/` under `root`.
    pub fn load(root: &Path, name: &str, diags: &mut Vec<Diagnostic>) -> Theme {
        let mut theme = Theme::default();
        for (rel, bytes) in embedded::FILES {
            theme.files.insert(
                rel.to_string(),
                File {
                    bytes: bytes.to_vec(),
                    origin: Origin::BuiltIn,
                },
            );
        }
        let theme_dir = root.join("themes").join(name);
        if name != "default" && !theme_dir.is_dir() {
            diags.push(
                Diagnostic::error(format!("the theme `{name}` does not exist"))
                    .in_file(crate::config::FILE)
                    .at(
                        &std::fs::read_to_string(root.join(crate::config::FILE)).unwrap_or_default(),
                        crate::config::key_pos(
                            &std::fs::read_to_string(root.join(crate::config::FILE)).unwrap_or_default(),
                            "theme",
                        ),
                    )
                    .hint(format!("create `themes/{name}/templates/`, or remove `theme:` to use the built-in theme")),
            );
        }
        theme.overlay(root, &theme_dir, "", diags);
        theme.overlay(root, &root.join("templates"), "templates/", diags);
        theme
    }

    fn overlay(&mut self, root: &Path, dir: &Path, prefix: &str, diags: &mut Vec<Diagnostic>) {
        let mut found = Vec::new();
        crate::load::walk(root, dir, diags, |rel, abs| found.push((rel, abs)));
        for (rel, abs) in found {
            let shown = crate::diag::display_path(root, &abs);
            match std::fs::read(&abs) {
                Ok(bytes) => {
                    let origin = Origin::Disk(shown);
                    self.files
                        .insert(format!("{prefix}{rel}"), File { bytes, origin });
                }
                Err(e) => diags.push(
                    Diagnostic::error(format!("cannot read the file: {e}"))
                        .in_file(shown)
                        .hint("make it readable by the user running esiin, or remove it"),
                ),
            }
        }
    }

    /// Files under `dir/` (`templates`, `static`), with names relative to it.
    pub fn under<'a>(&'a self, dir: &'a str) -> impl Iterator<Item = (&'a str, &'a File)> + 'a {
        let prefix = format!("{dir}/");
        self.files
            .iter()
            .filter_map(move |(k, v)| k.strip_prefix(prefix.as_str()).map(|rel| (rel, v)))
    }
}
