//! Symlinked source folders, for the watcher of `esiin serve`.
//!
//! A folder linked into the sources (`content/guide -> ../shared-guide`)
//! is read by every build through its link, so its files are sources too.
//! The watcher watches the folder through the link (the kernel watches the
//! target; events are named under the link, where `relevant` accepts
//! them). That happens by itself for the links that exist when `serve`
//! starts, but not for a link made while serving (a new symlink is not a
//! folder to the watcher, so nothing under it is watched), nor again once
//! the target folder is replaced (a `git checkout`, a copy over it): edits
//! there went unseen until an unrelated save. [`Links`] keeps the links
//! and says which to watch again when.
//!
//! Only links that resolve inside the handbook root are watched this way:
//! one that leaves the root is not a source (`load` refuses it).

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

/// The symlinked folders under the source folders whose targets are inside
/// the root, by target.
#[derive(Debug, Default)]
pub(super) struct Links {
    /// The canonical root.
    root: PathBuf,
    /// Canonical target → the links (absolute paths under `root`) to it.
    by_target: BTreeMap<PathBuf, BTreeSet<PathBuf>>,
}

impl Links {
    /// Finds the links under `dirs` (absolute) of the canonical `root`,
    /// links inside linked folders included; a link loop is not followed
    /// round (walkdir reports it, and `load` makes it an error).
    pub(super) fn scan(root: &Path, dirs: &[PathBuf]) -> Links {
        let mut links = Links {
            root: root.to_path_buf(),
            by_target: BTreeMap::new(),
        };
        for dir in dirs {
            let entries = walkdir::WalkDir::new(dir).follow_links(true).into_iter();
            for entry in entries.filter_map(Result::ok) {
                if entry.path_is_symlink() && entry.file_type().is_dir() {
                    links.add(entry.path());
                }
            }
        }
        links
    }

    /// Every link, to watch when the watcher starts.
    pub(super) fn all(&self) -> Vec<PathBuf> {
        self.by_target.values().flatten().cloned().collect()
    }

    /// What a change at `path` (absolute) means for the links: the links to
    /// watch (again). `path` is a new link to a folder inside the root, or
    /// the target of known links made anew (its old watch went with the
    /// folder it watched).
    pub(super) fn changed(&mut self, path: &Path) -> Vec<PathBuf> {
        if self.add(path) {
            return vec![path.to_path_buf()];
        }
        let Some(links) = self.by_target.get_mut(path) else {
            return Vec::new();
        };
        // Links removed since are forgotten.
        links.retain(|link| link.is_symlink());
        links.iter().cloned().collect()
    }

    /// Records `path` if it is a symlink to a folder inside the root;
    /// whether it is. Not the root itself (a loop, which `load` reports;
    /// watched, the caches serve writes would trigger rebuilds) nor a
    /// folder under a dot folder (`.esiin-cache/`, `.git/`), which is never
    /// a source.
    fn add(&mut self, path: &Path) -> bool {
        if !path.is_symlink() {
            return false;
        }
        let Ok(target) = std::fs::canonicalize(path) else {
            return false;
        };
        let Ok(inside) = target.strip_prefix(&self.root) else {
            return false;
        };
        let hidden = inside
            .components()
            .any(|c| c.as_os_str().to_string_lossy().starts_with('.'));
        if !target.is_dir() || inside.as_os_str().is_empty() || hidden {
            return false;
        }
        self.by_target
            .entry(target)
            .or_default()
            .insert(path.to_path_buf());
        true
    }
}

#[cfg(all(test, unix))]
mod tests {
    use super::*;
    use std::os::unix::fs::symlink;

    fn tree() -> (tempfile::TempDir, PathBuf) {
        let tmp = tempfile::tempdir().expect("temp dir");
        let root = std::fs::canonicalize(tmp.path()).expect("canonical");
        std::fs::create_dir_all(root.join("content/guide")).expect("mkdir");
        std::fs::create_dir_all(root.join("shared-guide/deeper")).expect("mkdir");
        (tmp, root)
    }

    #[test]
    fn links_inside_the_root_are_found_and_others_not() {
        let (_tmp, root) = tree();
        let outside = tempfile::tempdir().expect("temp dir");
        symlink("../shared-guide", root.join("content/guide-link")).expect("link");
        symlink(outside.path(), root.join("content/outside")).expect("link");
        symlink("../nowhere", root.join("content/dangling")).expect("link");
        symlink("..", root.join("content/loop")).expect("link");
        std::fs::create_dir_all(root.join(".esiin-cache/x")).expect("mkdir");
        symlink("../.esiin-cache/x", root.join("content/cache")).expect("link");
        std::fs::write(root.join("shared-guide/a.md"), "").expect("write");
        symlink("../shared-guide/a.md", root.join("content/a.md")).expect("link");
        // A link inside a linked folder is found through it.
        symlink("../../content/guide", root.join("shared-guide/deeper/back")).expect("link");
        let links = Links::scan(&root, &[root.join("content")]);
        assert_eq!(
            links.all(),
            [
                root.join("content/guide-link/deeper/back"),
                root.join("content/guide-link"),
            ]
        );
    }

    #[test]
    fn a_new_link_and_a_target_made_anew_are_to_be_watched() {
        let (_tmp, root) = tree();
        let mut links = Links::scan(&root, &[root.join("content")]);
        assert!(links.all().is_empty());
        let link = root.join("content/guide-link");
        symlink("../shared-guide", &link).expect("link");
        assert_eq!(links.changed(&link), std::slice::from_ref(&link));
        let target = root.join("shared-guide");
        std::fs::remove_dir_all(&target).expect("remove");
        std::fs::create_dir(&target).expect("mkdir");
        assert_eq!(links.changed(&target), std::slice::from_ref(&link));
        // Unrelated paths, and a removed link, ask for nothing.
        assert!(links.changed(&root.join("content/guide")).is_empty());
        std::fs::remove_file(&link).expect("unlink");
        assert!(links.changed(&target).is_empty());
    }
}
