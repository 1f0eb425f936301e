//! Themes: the default theme compiled into the binary, a named theme from
//! `themes/NAME/`, and the handbook's own `templates/`, layered file by
//! file. A later layer replaces a file of the same name, so a handbook can
//! override one template (mdBook's habit) without copying the theme.

use std::borrow::Cow;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use crate::diag::Diagnostic;
use crate::load::{Fence, READ_LIMIT, read_regular};

mod embedded {
    include!(concat!(env!("OUT_DIR"), "/theme_files.rs"));
}

/// The bytes of the built-in theme's file `rel` (`strings/en.yaml`), as
/// compiled in, whatever a handbook layers over it.
pub fn built_in(rel: &str) -> Option<&'static [u8]> {
    embedded::FILES
        .iter()
        .find(|(name, _)| *name == rel)
        .map(|(_, bytes)| *bytes)
}

/// Where a theme file came from, for messages.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Origin {
    BuiltIn,
    Disk(PathBuf),
}

impl Origin {
    /// The path shown in messages: relative to the handbook root, or
    /// `(built-in theme)/…`.
    pub(crate) fn shown(&self, rel: &str) -> PathBuf {
        match self {
            Origin::BuiltIn => PathBuf::from("(built-in theme)").join(rel),
            Origin::Disk(p) => p.clone(),
        }
    }
}

#[derive(Debug, Clone)]
pub(crate) struct File {
    /// Borrowed from the binary for the built-in theme: a build (every
    /// save in `serve`) copies none of its files, fonts included.
    pub bytes: Cow<'static, [u8]>,
    pub origin: Origin,
}

/// The layered theme: `templates/…`, `static/…` and `strings/…` files.
#[derive(Debug, Default)]
pub(crate) struct Theme {
    pub files: BTreeMap<String, File>,
}

impl Theme {
    /// Layers the built-in theme, `themes/NAME/` and the handbook's
    /// `templates/` under `root`.
    pub(crate) fn load(fence: &Fence, name: &str, diags: &mut Vec<Diagnostic>) -> Theme {
        let root = fence.root();
        let mut theme = Theme::default();
        for (rel, bytes) in embedded::FILES {
            theme.files.insert(
                rel.to_string(),
                File {
                    bytes: Cow::Borrowed(bytes),
                    origin: Origin::BuiltIn,
                },
            );
        }
        let theme_dir = root.join("themes").join(name);
        if name != "default" && !theme_dir.is_dir() {
            // Read as every source is (bounded, regular files only), once.
            let config = read_regular(&root.join(crate::config::FILE), Some(READ_LIMIT))
                .map(|b| String::from_utf8_lossy(&b).into_owned())
                .unwrap_or_default();
            diags.push(
                Diagnostic::error(format!("the theme `{name}` does not exist"))
                    .in_file(crate::config::FILE)
                    .at(&config, crate::config::key_pos(&config, "theme"))
                    .hint(format!("create `themes/{name}/templates/`, or remove `theme:` to use the built-in theme")),
            );
        }
        theme.overlay(fence, &theme_dir, "", diags);
        theme.overlay(fence, &root.join("templates"), "templates/", diags);
        theme
    }

    /// Layers the files under `dir`, named `{prefix}{path under dir}`.
    /// Templates and strings are read up to [`READ_LIMIT`]; static files
    /// (fonts, images) are copied as they are, so they have none.
    fn overlay(&mut self, fence: &Fence, dir: &Path, prefix: &str, diags: &mut Vec<Diagnostic>) {
        let mut found = Vec::new();
        crate::load::walk(fence, dir, diags, |rel, abs| found.push((rel, abs)));
        for (rel, abs) in found {
            let name = format!("{prefix}{rel}");
            let shown = crate::diag::display_path(fence.root(), &abs);
            let limit = (!name.starts_with("static/")).then_some(READ_LIMIT);
            match read_regular(&abs, limit) {
                Ok(bytes) => {
                    let origin = Origin::Disk(shown);
                    let bytes = Cow::Owned(bytes);
                    self.files.insert(name, File { bytes, origin });
                }
                Err(e) => diags.push(e.diagnostic(&shown, "template")),
            }
        }
    }

    /// Files under `dir/` (`templates`, `static`), with names relative to it.
    pub(crate) fn under<'a>(
        &'a self,
        dir: &'a str,
    ) -> impl Iterator<Item = (&'a str, &'a File)> + 'a {
        let prefix = format!("{dir}/");
        self.files
            .iter()
            .filter_map(move |(k, v)| k.strip_prefix(prefix.as_str()).map(|rel| (rel, v)))
    }
}
