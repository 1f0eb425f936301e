//! What the builder and the web server share: the last good site, the
//! errors of the last build, the warnings of the last good one, and a
//! channel to the open pages.
//!
//! The builder publishes; the server only reads. A failed build replaces
//! the errors but never the site, so the last good site stays served while
//! the overlay shows what is wrong. It keeps the warnings too: they belong
//! to the site still served (a failed build reports only its errors).

use std::collections::HashMap;
use std::sync::{Arc, RwLock};

use serde::Serialize;
use tokio::sync::broadcast;

use crate::diag::Diagnostic;

/// The site's files by `/`-separated path (`experts/index.html`).
pub(crate) type Files = Arc<HashMap<String, Arc<[u8]>>>;

/// A message to the open pages (sent as JSON over the websocket).
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum Event {
    /// These files changed. A page reloads if its own file is among them;
    /// when every changed file is a stylesheet, pages swap their
    /// stylesheets instead of reloading.
    Reload { paths: Vec<String>, css_only: bool },
    /// The last build failed: show these errors over the page.
    Errors { errors: Vec<ErrorView> },
    /// The last build succeeded: remove any error overlay.
    Ok,
    /// The warnings of the served site changed (sent then, and to every
    /// page that connects while there are some): show them in the
    /// warnings panel, or remove it when the list is empty.
    Warnings { warnings: Vec<ErrorView> },
}

/// A diagnostic as the error overlay or the warnings panel shows it.
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct ErrorView {
    /// `content/a.md:3:1`, or empty when the error has no place.
    pub location: String,
    pub message: String,
    pub hint: Option<String>,
    /// The source line, for context.
    pub line: Option<String>,
}

impl From<&Diagnostic> for ErrorView {
    fn from(d: &Diagnostic) -> Self {
        ErrorView {
            location: d.location().unwrap_or_default(),
            message: d.message.clone(),
            hint: d.hint.clone(),
            line: d.line_text.clone(),
        }
    }
}

/// Shared between the builder thread and the server's tasks.
pub struct Live {
    /// How many builds (successful or not) and search indexes have been
    /// published: tests and benchmarks wait for it to move.
    generation: std::sync::atomic::AtomicU64,
    files: RwLock<Files>,
    errors: RwLock<Vec<ErrorView>>,
    warnings: RwLock<Vec<ErrorView>>,
    events: broadcast::Sender<Event>,
    /// The search index, built apart from the pages (see
    /// `serve::update_search`).
    pub(super) search: std::sync::Mutex<SearchState>,
}

/// The served search index and the builds of it under way.
#[derive(Default)]
pub(super) struct SearchState {
    /// The files of the last index built, served with every site.
    pub files: Files,
    /// The fingerprint of `files`.
    pub built: Option<u64>,
    /// Counts the builds that asked for an index (or for none): a finished
    /// index is served only if no build asked since it started.
    pub asked: u64,
    /// Whether a thread is building an index.
    pub running: bool,
    /// The next index to build once the running one is done: only the
    /// latest is kept.
    pub next: Option<crate::pipeline::SearchJob>,
}

impl Default for Live {
    fn default() -> Self {
        Live {
            generation: std::sync::atomic::AtomicU64::new(0),
            files: RwLock::new(Arc::new(HashMap::new())),
            errors: RwLock::new(Vec::new()),
            warnings: RwLock::new(Vec::new()),
            events: broadcast::channel(64).0,
            search: Default::default(),
        }
    }
}

impl Live {
    /// The current site (cheap: an `Arc`).
    pub fn files(&self) -> Files {
        self.files.read().unwrap_or_else(|e| e.into_inner()).clone()
    }

    /// The errors of the last build (empty when it succeeded).
    pub fn errors(&self) -> Vec<ErrorView> {
        self.errors
            .read()
            .unwrap_or_else(|e| e.into_inner())
            .clone()
    }

    /// The warnings of the last successful build.
    pub(crate) fn warnings(&self) -> Vec<ErrorView> {
        self.warnings
            .read()
            .unwrap_or_else(|e| e.into_inner())
            .clone()
    }

    /// Keeps the warnings of a successful build (call it before
    /// [`Live::publish`], so that a page that reloads on the new site
    /// connects to find them). Tells the open pages only when the list
    /// changed: a save that changes nothing about them announces nothing.
    /// Returns whether it changed.
    pub(crate) fn set_warnings(&self, diags: &[Diagnostic]) -> bool {
        let warnings: Vec<ErrorView> = diags
            .iter()
            .filter(|d| !d.is_error())
            .map(ErrorView::from)
            .collect();
        let mut slot = self.warnings.write().unwrap_or_else(|e| e.into_inner());
        if *slot == warnings {
            return false;
        }
        *slot = warnings.clone();
        drop(slot);
        let _ = self.events.send(Event::Warnings { warnings });
        true
    }

    /// The number of publications so far: builds (successful or not) and
    /// search indexes.
    pub(crate) fn generation(&self) -> u64 {
        self.generation.load(std::sync::atomic::Ordering::SeqCst)
    }

    pub fn subscribe(&self) -> broadcast::Receiver<Event> {
        self.events.subscribe()
    }

    /// Publishes a successful build: swaps the site in, clears the errors,
    /// and tells the pages what changed. Returns the changed paths.
    pub fn publish(&self, new: HashMap<String, Arc<[u8]>>) -> Vec<String> {
        let old = self.files();
        let mut changed: Vec<String> = new
            .iter()
            // The same allocation (a page reused from the previous build)
            // is unchanged without comparing its bytes.
            .filter(|(path, bytes)| {
                old.get(*path)
                    .is_none_or(|o| !Arc::ptr_eq(o, bytes) && o != *bytes)
            })
            .map(|(path, _)| path.clone())
            .chain(old.keys().filter(|p| !new.contains_key(*p)).cloned())
            .collect();
        changed.sort();
        *self.files.write().unwrap_or_else(|e| e.into_inner()) = Arc::new(new);
        let had_errors = !self.errors().is_empty();
        self.errors
            .write()
            .unwrap_or_else(|e| e.into_inner())
            .clear();
        if had_errors {
            let _ = self.events.send(Event::Ok);
        }
        if !changed.is_empty() {
            let css_only = changed.iter().all(|p| p.ends_with(".css"));
            let _ = self.events.send(Event::Reload {
                paths: changed.clone(),
                css_only,
            });
        }
        self.generation
            .fetch_add(1, std::sync::atomic::Ordering::SeqCst);
        changed
    }

    /// Whether the served search index is behind the served pages: a
    /// build of it is under way or due.
    pub(crate) fn search_pending(&self) -> bool {
        let search = self.search.lock().unwrap_or_else(|e| e.into_inner());
        search.running || search.next.is_some()
    }

    /// The files of the served search index (kept apart from the pages:
    /// it is built after them).
    pub(crate) fn search_files(&self) -> Files {
        self.search
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .files
            .clone()
    }

    /// The search index file at the request path `path` (`/search/…`).
    pub(crate) fn search_file(&self, path: &str) -> Option<(String, Arc<[u8]>)> {
        let key = path.strip_prefix('/')?;
        let files = self.search_files();
        files.get(key).map(|bytes| (key.to_string(), bytes.clone()))
    }

    /// Swaps in a new search index (replacing the files of the previous
    /// one) without touching the pages, and tells the open pages which
    /// files changed.
    pub(crate) fn publish_search(&self, files: HashMap<String, Arc<[u8]>>, built: Option<u64>) {
        let mut search = self.search.lock().unwrap_or_else(|e| e.into_inner());
        let old = std::mem::replace(&mut search.files, Arc::new(files));
        search.built = built;
        let new = search.files.clone();
        drop(search);
        let mut changed: Vec<String> = new
            .iter()
            .filter(|(path, bytes)| old.get(*path).is_none_or(|o| o != *bytes))
            .map(|(path, _)| path.clone())
            .chain(old.keys().filter(|p| !new.contains_key(*p)).cloned())
            .collect();
        if !changed.is_empty() {
            changed.sort();
            let _ = self.events.send(Event::Reload {
                paths: changed,
                css_only: false,
            });
        }
        self.generation
            .fetch_add(1, std::sync::atomic::Ordering::SeqCst);
    }

    /// Publishes a failed build: the site stays, the errors are shown.
    pub fn fail(&self, diags: &[Diagnostic]) {
        let errors: Vec<ErrorView> = diags
            .iter()
            .filter(|d| d.is_error())
            .map(ErrorView::from)
            .collect();
        *self.errors.write().unwrap_or_else(|e| e.into_inner()) = errors.clone();
        let _ = self.events.send(Event::Errors { errors });
        self.generation
            .fetch_add(1, std::sync::atomic::Ordering::SeqCst);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn files(list: &[(&str, &str)]) -> HashMap<String, Arc<[u8]>> {
        list.iter()
            .map(|(p, b)| (p.to_string(), Arc::from(b.as_bytes())))
            .collect()
    }

    #[test]
    fn publishing_reports_what_changed_and_keeps_the_site_on_failure() {
        let live = Live::default();
        let mut rx = live.subscribe();
        live.publish(files(&[("a/index.html", "1"), ("theme.css", "x")]));
        assert!(matches!(rx.try_recv(), Ok(Event::Reload { .. })));
        let changed = live.publish(files(&[("a/index.html", "1"), ("theme.css", "y")]));
        assert_eq!(changed, ["theme.css"]);
        assert_eq!(
            rx.try_recv().ok(),
            Some(Event::Reload {
                paths: vec!["theme.css".into()],
                css_only: true
            })
        );
        live.fail(&[Diagnostic::error("broken").in_file("content/a.md")]);
        assert_eq!(live.errors().len(), 1);
        assert!(
            live.files().contains_key("a/index.html"),
            "the last good site stays"
        );
        assert!(matches!(rx.try_recv(), Ok(Event::Errors { .. })));
        live.publish(files(&[("a/index.html", "2"), ("theme.css", "y")]));
        assert_eq!(rx.try_recv().ok(), Some(Event::Ok));
        assert!(live.errors().is_empty());
    }

    #[test]
    fn warnings_are_announced_when_they_change_and_outlive_a_failed_build() {
        let live = Live::default();
        let mut rx = live.subscribe();
        let stale = Diagnostic::warning("stale")
            .in_file("content/a.md")
            .hint("review it");
        assert!(live.set_warnings(std::slice::from_ref(&stale)));
        let Ok(Event::Warnings { warnings }) = rx.try_recv() else {
            panic!("a warnings event");
        };
        assert_eq!(warnings[0].location, "content/a.md");
        assert_eq!(warnings[0].hint.as_deref(), Some("review it"));
        // The same list again: nothing to tell.
        assert!(!live.set_warnings(&[stale]));
        assert!(rx.try_recv().is_err());
        // A failed build keeps the served site's warnings.
        live.fail(&[Diagnostic::error("broken").in_file("content/b.md")]);
        assert!(matches!(rx.try_recv(), Ok(Event::Errors { .. })));
        assert_eq!(live.warnings().len(), 1);
        // All fixed: an empty list removes the panel.
        assert!(live.set_warnings(&[]));
        assert_eq!(
            rx.try_recv().ok(),
            Some(Event::Warnings { warnings: vec![] })
        );
    }

    #[test]
    fn the_search_index_is_published_apart_from_the_pages() {
        let live = Live::default();
        live.publish(files(&[("a/index.html", "1")]));
        let mut rx = live.subscribe();
        let before = live.generation();
        live.publish_search(
            files(&[("search/a.pf", "x"), ("search/b.pf", "y")]),
            Some(7),
        );
        assert_eq!(live.generation(), before + 1);
        assert!(live.search_file("/search/a.pf").is_some());
        assert!(
            live.search_file("/a/index.html").is_none(),
            "pages are not search files"
        );
        assert!(live.files().contains_key("a/index.html"), "the pages stay");
        assert!(matches!(rx.try_recv(), Ok(Event::Reload { .. })));
        // A later page build keeps the index; a new index replaces it whole.
        live.publish(files(&[("a/index.html", "2")]));
        assert!(live.search_file("/search/b.pf").is_some());
        live.publish_search(files(&[("search/a.pf", "x")]), Some(8));
        assert!(live.search_file("/search/b.pf").is_none());
        assert!(!live.search_pending());
    }
}
