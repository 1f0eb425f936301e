//! Where a build may write, and what it must not overwrite: the output
//! guard ([`check_output`]), the clashes of copied files with generated
//! ones ([`clashes`]), and the errors of writing.

use std::collections::{HashMap, HashSet};
use std::path::{Path, PathBuf};

use super::{Build, failed};
use crate::diag::{self, Diagnostic};
use crate::resolve::{PageId, Site};
use crate::{config, write};

/// The error of a file that could not be written into the output.
pub(super) fn cannot_write(rel: &str, e: std::io::Error) -> Diagnostic {
    Diagnostic::error(format!("cannot write `{rel}` into the output: {e}"))
        .hint("check that the output folder is writable and the disk is not full")
}

/// The errors of a build that could not write its output folder.
pub(super) fn write_error(
    mut diags: Vec<Diagnostic>,
    output: &Path,
    e: std::io::Error,
) -> Vec<Diagnostic> {
    diags.push(
        Diagnostic::error(format!(
            "cannot write the site to `{}`: {e}",
            output.display()
        ))
        .hint("check that the output folder and its parent are writable and the disk is not full"),
    );
    failed(diags)
}

/// Refuses an output folder that would overwrite or mix with sources, or
/// that is not esiin's to replace: a build replaces its output whole, so
/// an existing folder must be empty or hold [`write::MARKER`], and a link
/// is refused rather than followed (its target may be anything).
pub(super) fn check_output(root: &Path, out: &Path) -> Result<PathBuf, Vec<Diagnostic>> {
    let root_abs = normalize(&absolute(root));
    let out_abs = normalize_but_last(&absolute(out));
    let refuse = |why: &str| {
        refusal(
            out,
            why,
            "choose an output folder of its own, e.g. `--output public`",
        )
    };
    if root_abs.starts_with(&out_abs) {
        return refuse("it holds the handbook");
    }
    for src in ["content", "static", "templates", "themes", ".git"] {
        if out_abs.starts_with(root_abs.join(src)) {
            return refuse(&format!("it is inside `{src}/`, which holds sources"));
        }
    }
    let Ok(meta) = std::fs::symlink_metadata(&out_abs) else {
        return Ok(out_abs);
    };
    if meta.is_symlink() {
        return refusal(
            out,
            "it is a symbolic link, and esiin does not replace a folder elsewhere",
            "give the folder itself as `--output`, or remove the link",
        );
    }
    if !meta.is_dir() {
        return refuse("it is a file");
    }
    for marker in [config::FILE, "content", ".git", "Cargo.toml"] {
        if out_abs.join(marker).exists() {
            return refuse(&format!(
                "it holds `{marker}`: it looks like sources, not a built site"
            ));
        }
    }
    match write::replaceable(&out_abs) {
        Ok(true) => Ok(out_abs),
        Ok(false) => Err(vec![
            Diagnostic::error(format!(
                "`{}` is not a folder esiin wrote: a build would delete its files",
                out.display()
            ))
            .hint(format!(
                "give `--output` a new or empty folder; if an earlier esiin built it, \
                 delete it once yourself (builds now leave `{}` in their output)",
                write::MARKER
            )),
        ]),
        Err(e) => refuse(&format!("it cannot be read: {e}")),
    }
}

fn refusal(out: &Path, why: &str, hint: &str) -> Result<PathBuf, Vec<Diagnostic>> {
    Err(vec![
        Diagnostic::error(format!(
            "refusing to write the site to `{}`: {why}",
            out.display()
        ))
        .hint(hint),
    ])
}

fn absolute(p: &Path) -> PathBuf {
    if p.is_absolute() {
        p.to_path_buf()
    } else {
        std::env::current_dir().unwrap_or_default().join(p)
    }
}

/// [`normalize`], except that a last component that is a link is kept as
/// the link: the output folder is checked (and refused) as itself.
fn normalize_but_last(p: &Path) -> PathBuf {
    match (p.parent(), p.components().next_back()) {
        (Some(parent), Some(std::path::Component::Normal(name))) => normalize(parent).join(name),
        _ => normalize(p),
    }
}

/// Resolves `.` and `..` and symlinks of the part that exists.
fn normalize(p: &Path) -> PathBuf {
    let mut existing = p.to_path_buf();
    let mut rest = Vec::new();
    while !existing.exists() {
        match (existing.parent(), existing.file_name()) {
            (Some(parent), Some(name)) => {
                rest.push(name.to_os_string());
                existing = parent.to_path_buf();
            }
            _ => break,
        }
    }
    let mut out = existing.canonicalize().unwrap_or(existing);
    for name in rest.into_iter().rev() {
        if name == ".." {
            out.pop();
        } else if name != "." {
            out.push(name);
        }
    }
    out
}

impl Build<'_> {
    /// Checks the static files and page assets against what the build
    /// wrote, before they are copied.
    pub(super) fn check_clashes(&mut self) {
        let written = self.sink.paths();
        let clashes = clashes(self.site, &self.inputs.statics, &written);
        self.diags.extend(clashes);
    }
}

/// The static files and page assets that would land where the build wrote
/// a page or another file (`static/plan/index.html` over the page of
/// `content/plan.md`), where it needs a folder or a file of its own, or on
/// each other: copied last, they would replace it without a word. With
/// search on, `search/` is the index's (`serve` builds it later, `check`
/// not at all, so its files are not among those `written`).
pub(super) fn clashes(
    site: &Site,
    statics: &[(String, PathBuf)],
    written: &HashSet<String>,
) -> Vec<Diagnostic> {
    let folders: HashSet<&str> = written
        .iter()
        .flat_map(|p| p.match_indices('/').map(|(i, _)| &p[..i]))
        .collect();
    let mut assets: Vec<&String> = site.assets.iter().collect();
    assets.sort();
    let copies = statics
        .iter()
        .map(|(rel, abs)| (rel.as_str(), diag::display_path(&site.root, abs)))
        .chain(
            assets
                .into_iter()
                .map(|a| (a.as_str(), Path::new("content").join(a))),
        );
    let mut seen: HashMap<&str, PathBuf> = HashMap::new();
    let mut diags = Vec::new();
    for (rel, shown) in copies {
        let what = if let Some(first) = seen.get(rel) {
            Some(format!("`{}`, copied to the same place", first.display()))
        } else if site.config.raw.search && rel.starts_with(crate::search::DIR) {
            Some(format!(
                "the search index esiin writes in `/{}`",
                crate::search::DIR
            ))
        } else {
            clash_with_written(site, rel, written, &folders)
        };
        match what {
            Some(what) => diags.push(
                Diagnostic::error(format!("copied to `/{rel}`, it would replace {what}"))
                .in_file(&shown)
                .hint("move or rename this file: a copied file must not stand in for what esiin generates (to change a page, edit its source or its template in `templates/`)"),
            ),
            None => {
                seen.insert(rel, shown);
            }
        }
    }
    diags
}

/// What among the `written` files the copy to `rel` would replace: the
/// same path, a folder of written files, or a written file where `rel`
/// needs a folder.
fn clash_with_written(
    site: &Site,
    rel: &str,
    written: &HashSet<String>,
    folders: &HashSet<&str>,
) -> Option<String> {
    if written.contains(rel) {
        return Some(written_by(site, rel));
    }
    if folders.contains(rel) {
        // Named by its page when it is one, else by its first file.
        let page = format!("{rel}/index.html");
        let inside = format!("{rel}/");
        let first = Some(&page)
            .filter(|p| written.contains(*p))
            .or_else(|| written.iter().filter(|p| p.starts_with(&inside)).min())?;
        return Some(format!("the folder of {}", written_by(site, first)));
    }
    rel.match_indices('/')
        .map(|(i, _)| &rel[..i])
        .find(|prefix| written.contains(*prefix))
        .map(|file| written_by(site, file))
}

/// Who writes the output file `rel`: a page (by its source), an alias's
/// redirect, or esiin itself (generated pages, calendars, the index…).
fn written_by(site: &Site, rel: &str) -> String {
    // Site URLs and aliases are kept without the leading `/`.
    let page_url = rel.strip_suffix("index.html");
    let source = |i: PageId| site.page(i).src.rel.display().to_string();
    if let Some(i) = page_url.and_then(|u| site.nodes().find(|(_, n)| n.url == u).map(|(i, _)| i)) {
        return format!("the page of `{}`", source(i));
    }
    let alias = site.aliases.iter().find(|(a, _)| {
        let a = a.trim_start_matches('/');
        a == rel || Some(a) == page_url
    });
    match alias {
        Some((a, target)) => format!(
            "the redirect from `/{}` (an alias of `{}`)",
            a.trim_start_matches('/'),
            source(*target)
        ),
        None => "a file esiin generates".to_string(),
    }
}
