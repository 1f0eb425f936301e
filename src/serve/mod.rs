//! `esiin serve`: the editor's loop. Builds the site into memory, serves it
//! (`http.rs`), watches the sources and rebuilds on every save, and tells
//! the open pages to reload (or shows the errors over them).
//!
//! Every rebuild runs the whole pipeline into memory: the served site is,
//! by construction, what `esiin build` would write. The pipeline's caches
//! (thumbnails) keep the unchanged parts cheap.

pub mod http;
pub mod state;

use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex, Weak};
use std::time::{Duration, Instant};

use notify::RecursiveMode;
use notify_debouncer_full::{DebounceEventResult, new_debouncer};

use crate::diag::Diagnostic;
use crate::pipeline;
use crate::write::Memory;
use state::Live;

/// How long the watcher waits for more events before rebuilding: an
/// editor's atomic save (write a temp file, rename it over) or a `git
/// checkout` of many files arrives as a burst that becomes one rebuild.
const DEBOUNCE: Duration = Duration::from_millis(40);

pub struct Options {
    pub root: PathBuf,
    pub drafts: bool,
}

/// What one build did, for the terminal line.
pub struct Outcome {
    pub took: Duration,
    pub changed: usize,
    pub errors: Vec<Diagnostic>,
}

/// Builds the site into memory at the dev server's root and publishes it
/// (or its errors) to `live`.
pub fn rebuild(opts: &Options, live: &Live) -> Outcome {
    rebuild_cached(opts, live, &mut pipeline::Cache::default())
}

/// [`rebuild`], reusing what the previous build parsed and rendered.
pub fn rebuild_cached(opts: &Options, live: &Live, cache: &mut pipeline::Cache) -> Outcome {
    let start = Instant::now();
    let build = pipeline::Options {
        root: opts.root.clone(),
        output: None,
        drafts: opts.drafts,
        base_url: Some("/".into()),
        write_cache: true,
    };
    let sink = Memory::default();
    match pipeline::build_into_cached(&build, &sink, cache) {
        Ok(report) => {
            if std::env::var_os("ESIIN_TIMINGS").is_some() {
                let stages: Vec<String> = report
                    .timings
                    .iter()
                    .map(|(s, d)| format!("{s} {:.1} ms", d.as_secs_f64() * 1000.0))
                    .collect();
                eprintln!("  {}", stages.join(", "));
            }
            let changed = live.publish(sink.into_files()).len();
            Outcome {
                took: start.elapsed(),
                changed,
                errors: Vec::new(),
            }
        }
        Err(errors) => {
            live.fail(&errors);
            Outcome {
                took: start.elapsed(),
                changed: 0,
                errors,
            }
        }
    }
}

/// Whether a changed path can affect the site: sources, not the output,
/// caches, editor swap files or version control.
pub fn relevant(root: &Path, path: &Path) -> bool {
    let Ok(rel) = path.strip_prefix(root) else {
        return false;
    };
    let mut parts = rel.components().map(|c| c.as_os_str().to_string_lossy());
    let Some(first) = parts.next() else {
        return false;
    };
    let top_ok = SOURCE_DIRS.contains(&first.as_ref()) || first == crate::config::FILE;
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    top_ok
        && !crate::load::is_ignored(&name)
        && !rel
            .components()
            .any(|c| c.as_os_str().to_string_lossy().starts_with('.'))
}

/// Watches the handbook's sources; calls `on_change` with the relevant
/// changed paths of each debounced burst. Returns the watcher, which
/// watches as long as it lives.
pub fn watch(
    root: &Path,
    on_change: impl Fn(Vec<PathBuf>) + Send + 'static,
) -> notify::Result<Watcher> {
    type Debouncer = notify_debouncer_full::Debouncer<
        notify::RecommendedWatcher,
        notify_debouncer_full::RecommendedCache,
    >;
    // The callback adds watches for source folders created while serving,
    // so it needs the debouncer it belongs to: a weak handle, set once the
    // debouncer exists (a strong one would keep it alive forever).
    let handle: Arc<Mutex<Option<Debouncer>>> = Arc::new(Mutex::new(None));
    let weak: Weak<Mutex<Option<Debouncer>>> = Arc::downgrade(&handle);
    let root_owned = root.to_path_buf();
    let debouncer = new_debouncer(DEBOUNCE, None, move |result: DebounceEventResult| {
        let Ok(events) = result else { return };
        // Only what changes a file's contents or existence: reading the
        // sources (every build does) raises access events, and a build
        // must not trigger the next one.
        let mut paths: Vec<PathBuf> = events
            .iter()
            .filter(|e| {
                use notify::EventKind::{Any, Create, Modify, Other, Remove};
                use notify::event::ModifyKind;
                match e.kind {
                    Create(_) | Remove(_) | Any | Other => true,
                    Modify(ModifyKind::Metadata(_)) => false,
                    Modify(_) => true,
                    _ => false,
                }
            })
            .flat_map(|e| e.paths.iter().cloned())
            .filter(|p| relevant(&root_owned, p))
            .collect();
        paths.sort();
        paths.dedup();
        // A source folder that appeared (`templates/` made after the
        // start): watch it from now on. The rebuild this burst triggers
        // reads it whole, so files made in it before the watch are not
        // missed.
        for path in &paths {
            if path.parent() == Some(root_owned.as_path())
                && path.is_dir()
                && let Some(strong) = weak.upgrade()
                && let Some(d) = strong.lock().unwrap_or_else(|e| e.into_inner()).as_mut()
            {
                let _ = d.watch(path, RecursiveMode::Recursive);
            }
        }
        if !paths.is_empty() {
            on_change(paths);
        }
    })?;
    let mut slot = handle.lock().unwrap_or_else(|e| e.into_inner());
    let debouncer = slot.insert(debouncer);
    // The folders recursively; the root itself only for `handbook.yaml`
    // and for folders created after the start.
    for dir in SOURCE_DIRS {
        let path = root.join(dir);
        if path.is_dir() {
            debouncer.watch(&path, RecursiveMode::Recursive)?;
        }
    }
    debouncer.watch(root, RecursiveMode::NonRecursive)?;
    drop(slot);
    Ok(Watcher { _debouncer: handle })
}

/// The folders of a handbook that hold sources.
const SOURCE_DIRS: [&str; 4] = ["content", "static", "templates", "themes"];

/// Watches as long as it lives.
pub struct Watcher {
    _debouncer: Arc<
        Mutex<
            Option<
                notify_debouncer_full::Debouncer<
                    notify::RecommendedWatcher,
                    notify_debouncer_full::RecommendedCache,
                >,
            >,
        >,
    >,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_sources_are_relevant() {
        let root = Path::new("/h");
        assert!(relevant(root, Path::new("/h/content/a.md")));
        assert!(relevant(root, Path::new("/h/handbook.yaml")));
        assert!(relevant(root, Path::new("/h/themes/x/templates/page.html")));
        assert!(!relevant(root, Path::new("/h/public/index.html")));
        assert!(!relevant(root, Path::new("/h/.esiin-cache/thumbs/x.jpg")));
        assert!(!relevant(root, Path::new("/h/content/.a.md.swp")));
        assert!(!relevant(root, Path::new("/h/content/a.md~")));
        assert!(!relevant(root, Path::new("/h/content/.git/x")));
        assert!(!relevant(root, Path::new("/elsewhere/content/a.md")));
    }
}
