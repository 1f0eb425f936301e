//! `esiin serve`: the editor's loop. Builds the site into memory, serves it
//! (`http.rs`), watches the sources and rebuilds on every save, and tells
//! the open pages to reload (or shows the errors over them).
//!
//! Every rebuild runs the whole pipeline into memory: the served site is,
//! by construction, what `esiin build` would write. The pipeline's caches
//! (thumbnails) keep the unchanged parts cheap.

pub mod http;
mod links;
mod stall;
pub mod state;

use std::collections::{HashMap, HashSet};
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex, Once, OnceLock, Weak};
use std::time::{Duration, Instant};

use notify::RecursiveMode;
use notify_debouncer_full::{DebounceEventResult, new_debouncer};

use crate::diag::Diagnostic;
use crate::pipeline;
use crate::write::Memory;
use state::Live;

/// How long a file must be quiet before the debouncer reports it: an
/// editor's atomic save (write a temp file, rename it over, maybe a backup)
/// takes well under this and becomes one event.
const DEBOUNCE: Duration = Duration::from_millis(10);

/// How long the whole handbook must be quiet before a rebuild starts. The
/// debouncer reports each path once *that path* is quiet, so a `git
/// checkout` that writes files for longer than [`DEBOUNCE`] arrives as a
/// stream of reports (one per tick, a quarter of the debounce); they are
/// gathered until none came for this long (four ticks), then rebuilt
/// once.
const SETTLE: Duration = Duration::from_millis(10);

#[derive(Clone)]
pub struct Options {
    pub root: PathBuf,
    pub drafts: bool,
}

/// What one build did, for the terminal line.
pub struct Outcome {
    pub took: Duration,
    pub changed: usize,
    pub errors: Vec<Diagnostic>,
    /// The warnings of a successful build (empty when it failed: a failed
    /// build reports only its errors, and the served site keeps its own).
    pub warnings: Vec<Diagnostic>,
}

/// Builds the site into memory at the dev server's root and publishes it
/// (or its errors) to `live`.
pub fn rebuild(opts: &Options, live: &Arc<Live>) -> Outcome {
    rebuild_cached(opts, live, &mut pipeline::Cache::default())
}

/// [`rebuild_cached`] after `changes`: when the watcher saw only page
/// files written in place, the build reads those again instead of walking
/// the handbook (see `pipeline::Cache::edited_only`); otherwise it is
/// [`rebuild_cached`].
pub fn rebuild_changed(
    opts: &Options,
    live: &Arc<Live>,
    cache: &mut pipeline::Cache,
    changes: &Changes,
) -> Outcome {
    if changes.edits_only && !changes.paths.is_empty() {
        cache.edited_only(changes.paths.clone());
    }
    rebuild_cached(opts, live, cache)
}

/// [`rebuild`], reusing what the previous build parsed and rendered.
pub fn rebuild_cached(opts: &Options, live: &Arc<Live>, cache: &mut pipeline::Cache) -> Outcome {
    let start = Instant::now();
    let _yield = SearchYields::begin();
    let build = pipeline::Options {
        root: opts.root.clone(),
        output: None,
        drafts: opts.drafts,
        base_url: Some("/".into()),
        write_cache: true,
    };
    let sink = Memory::default();
    let mut run = || pipeline::build_into_cached(&build, &sink, cache);
    let built = match rebuild_pool() {
        Some(pool) => pool.install(run),
        None => run(),
    };
    match built {
        Ok(report) => {
            if std::env::var_os("ESIIN_TIMINGS").is_some() {
                let stages: Vec<String> = report
                    .timings
                    .iter()
                    .map(|(s, d)| format!("{s} {:.1} ms", d.as_secs_f64() * 1000.0))
                    .collect();
                eprintln!("  {}", stages.join(", "));
            }
            let publishing = Instant::now();
            update_search(live, report.search);
            live.set_warnings(&report.warnings);
            let changed = live.publish(sink.into_files()).len();
            if std::env::var_os("ESIIN_TIMINGS").is_some() {
                eprintln!(
                    "  publish {:.1} ms",
                    publishing.elapsed().as_secs_f64() * 1000.0
                );
            }
            Outcome {
                took: start.elapsed(),
                changed,
                errors: Vec::new(),
                warnings: report.warnings,
            }
        }
        Err(errors) => {
            live.fail(&errors);
            Outcome {
                took: start.elapsed(),
                changed: 0,
                errors,
                warnings: Vec::new(),
            }
        }
    }
}

/// The warnings the terminal has shown, so that each rebuild prints only
/// the new ones: a stale page or an expertise gap printed on every save
/// would bury the line that says what the save did.
#[derive(Default)]
pub struct WarningLog {
    /// The last good build's warnings, by their rendered text (a warning
    /// whose place moved is a new one: its `file:line:col` is new).
    shown: HashSet<String>,
}

/// What changed in the warnings with one build (see [`WarningLog::update`]).
pub struct WarningNews<'a> {
    /// The warnings not in the previous good build, to print.
    pub new: Vec<&'a Diagnostic>,
    /// How many warnings the build has.
    pub total: usize,
    /// How many of the previous build's warnings are gone.
    pub gone: usize,
}

impl WarningLog {
    /// Takes the warnings of a successful build and tells what is new.
    pub fn update<'a>(&mut self, warnings: &'a [Diagnostic]) -> WarningNews<'a> {
        let now: Vec<(String, &Diagnostic)> =
            warnings.iter().map(|d| (d.render(false), d)).collect();
        let texts: HashSet<String> = now.iter().map(|(t, _)| t.clone()).collect();
        let gone = self.shown.difference(&texts).count();
        let new = now
            .iter()
            .filter(|(t, _)| !self.shown.contains(t))
            .map(|(_, d)| *d)
            .collect();
        self.shown = texts;
        WarningNews {
            new,
            total: warnings.len(),
            gone,
        }
    }
}

impl WarningNews<'_> {
    /// The count for the rebuild's line (`2 warnings, as before`), or
    /// `None` when there were none before and are none now.
    pub fn summary(&self) -> Option<String> {
        let n = |k: usize| format!("{k} warning{}", if k == 1 { "" } else { "s" });
        let (new, total, gone) = (self.new.len(), self.total, self.gone);
        Some(match () {
            _ if total == 0 && gone == 0 => return None,
            _ if total == 0 => "no warnings left".to_string(),
            _ if new == 0 && gone == 0 => format!("{}, as before", n(total)),
            _ if new == 0 => format!("{} ({gone} fixed)", n(total)),
            _ if new == total => n(total),
            _ => format!("{} ({new} new)", n(total)),
        })
    }
}

/// The threads rebuilds run on, apart from rayon's global pool, where the
/// search index is built (Pagefind parses its documents there, from a
/// thread of its own that esiin cannot hand a pool). Sharing one pool, a
/// rebuild's tasks would queue behind the index's thousands; apart, the
/// index's threads run at a lower priority (`search_pool`) and a save is
/// rebuilt at once. `None` if the threads cannot be started: rebuilds
/// then share the global pool.
fn rebuild_pool() -> Option<&'static rayon::ThreadPool> {
    static POOL: OnceLock<Option<rayon::ThreadPool>> = OnceLock::new();
    POOL.get_or_init(|| {
        rayon::ThreadPoolBuilder::new()
            .thread_name(|i| format!("esiin-rebuild-{i}"))
            .build()
            .ok()
    })
    .as_ref()
}

/// Makes rayon's global pool the search index's: its threads at a lower
/// priority. Once, before the first index; if the global pool was already
/// started (a library user's own rayon work), it stays as it is.
fn search_pool() {
    static ONCE: Once = Once::new();
    ONCE.call_once(|| {
        let _ = rayon::ThreadPoolBuilder::new()
            .thread_name(|i| format!("esiin-search-{i}"))
            .start_handler(|_| lower_priority())
            .build_global();
    });
}

/// Brings the served search index up to date with a build's `job` (`None`:
/// the handbook has no search, or the build wrote it). The index is built
/// on a thread of its own, after the pages are served, because the index
/// builder starts from scratch and takes seconds on a large handbook: the
/// editor sees a save at once and the search a moment later. One build at
/// a time; when several saves come during one, only the latest is built.
fn update_search(live: &Arc<Live>, job: Option<pipeline::SearchJob>) {
    let mut state = live.search.lock().unwrap_or_else(|e| e.into_inner());
    state.asked += 1;
    let Some(job) = job else {
        state.next = None;
        let had = !state.files.is_empty();
        drop(state);
        if had {
            live.publish_search(HashMap::new(), None);
        }
        return;
    };
    // A newer job replaces one not started yet; the worker picks it up.
    state.next = Some(job);
    if state.running {
        return;
    }
    state.running = true;
    drop(state);
    search_pool();
    let worker = live.clone();
    let asked = state_asked(live);
    let spawned = std::thread::Builder::new()
        .name("esiin-search".into())
        .spawn(move || {
            lower_priority();
            search_worker(&worker, asked);
        });
    if spawned.is_err() {
        let mut state = live.search.lock().unwrap_or_else(|e| e.into_inner());
        state.running = false;
        state.next = None;
    }
}

/// How many builds have asked for an index so far.
fn state_asked(live: &Live) -> u64 {
    live.search.lock().unwrap_or_else(|e| e.into_inner()).asked
}

/// Builds the search indexes asked for by [`update_search`], one at a
/// time, until none is due: only the newest site's. `seen` is the count of
/// builds that had asked when the worker was started.
fn search_worker(live: &Live, mut seen: u64) {
    loop {
        // Start when the saves pause, [`SEARCH_QUIET`] without a new ask:
        // while the editor keeps saving, each index would be stale before
        // it is done, and would only take CPU from the next rebuild.
        std::thread::sleep(SEARCH_QUIET);
        let mut state = live.search.lock().unwrap_or_else(|e| e.into_inner());
        if state.asked != seen && state.next.is_some() {
            seen = state.asked;
            continue;
        }
        let Some(job) = state.next.take() else {
            state.running = false;
            return;
        };
        let (built, asked) = (state.built, state.asked);
        seen = asked;
        drop(state);
        // Fingerprinted here, not in the rebuild: it hashes every body.
        let print = job.fingerprint();
        if built == Some(print) {
            continue;
        }
        // A save while it hashed: its own job is due; this one is skipped
        // (the index builder cannot be stopped once started).
        if state_asked(live) != asked {
            continue;
        }
        match job.run() {
            // Served unless a newer build asked for another index since.
            Ok(files) => {
                let stale = live.search.lock().unwrap_or_else(|e| e.into_inner()).asked != asked;
                if !stale {
                    live.publish_search(
                        files
                            .into_iter()
                            .map(|(path, bytes)| (path, Arc::from(bytes)))
                            .collect(),
                        Some(print),
                    );
                }
            }
            // The last index stays served.
            Err(e) => eprintln!("{}", e.render(false)),
        }
    }
}

/// Makes the search index's threads (every thread at the priority
/// [`lower_priority`] gives) yield the CPU to a rebuild while it lives:
/// they run only on a CPU nothing else wants (`SCHED_IDLE`) until it is
/// dropped. The lowered priority alone still left them a tenth of a core
/// beside each of the rebuild's threads (the index of the save before is
/// often still being built when the next save comes); idle, a rebuild
/// runs as if no index were being built. No lock is shared: the index
/// takes the search state's lock only to pick up its job and to publish.
struct SearchYields;

impl SearchYields {
    fn begin() -> SearchYields {
        search_threads_idle(true);
        SearchYields
    }
}

impl Drop for SearchYields {
    fn drop(&mut self) {
        search_threads_idle(false);
    }
}

/// The nice value [`lower_priority`] gives the search index's threads.
const SEARCH_NICE: libc::c_int = 10;

/// Puts every thread of the process at [`SEARCH_NICE`] or lower (the search
/// index's, and the threads they started) in `SCHED_IDLE`, or back in the
/// normal policy, which keeps their nice value. Only on Linux, where
/// `/proc/self/task` names the threads.
fn search_threads_idle(idle: bool) {
    #[cfg(target_os = "linux")]
    {
        let Ok(tasks) = std::fs::read_dir("/proc/self/task") else {
            return;
        };
        let policy = if idle {
            libc::SCHED_IDLE
        } else {
            libc::SCHED_OTHER
        };
        let param = libc::sched_param { sched_priority: 0 };
        for task in tasks.flatten() {
            let Some(tid) = task.file_name().to_str().and_then(|t| t.parse().ok()) else {
                continue;
            };
            // SAFETY: getpriority and sched_setscheduler only read their
            // arguments (`param` lives across the call); a thread that
            // ended in between is an error (ESRCH) that changes nothing.
            // getpriority's -1 on error is below SEARCH_NICE: skipped.
            unsafe {
                if libc::getpriority(libc::PRIO_PROCESS, tid as libc::id_t) >= SEARCH_NICE {
                    libc::sched_setscheduler(tid, policy, &param);
                }
            }
        }
    }
    #[cfg(not(target_os = "linux"))]
    let _ = idle;
}

/// How long the saves must pause before the search index is rebuilt.
const SEARCH_QUIET: Duration = Duration::from_millis(300);

/// Lowers the calling thread's priority (and its children's: Pagefind's
/// own threads), so that the search index, which takes seconds on a large
/// handbook, never slows the rebuild of the next save. Also run by every
/// thread of the global pool (`search_pool`).
fn lower_priority() {
    #[cfg(target_os = "linux")]
    // SAFETY: setpriority only reads its integer arguments; on Linux,
    // PRIO_PROCESS with 0 is the calling thread, so it changes nothing
    // else of the process. A failure leaves the priority as it was.
    unsafe {
        libc::setpriority(libc::PRIO_PROCESS, 0, SEARCH_NICE);
    }
}

/// Whether a changed path can affect the site: sources, not the output,
/// caches, editor swap files or version control.
pub(crate) fn relevant(root: &Path, path: &Path) -> bool {
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

/// The debouncer behind a [`Watcher`].
type Debouncer = notify_debouncer_full::Debouncer<
    notify::RecommendedWatcher,
    notify_debouncer_full::RecommendedCache,
>;

/// The debouncer, shared with its own callback (which adds watches for
/// folders made while serving): set once it exists.
type Handle = Arc<Mutex<Option<Debouncer>>>;

/// What the watcher saw in one burst of changes.
#[derive(Debug, Clone, Default)]
pub struct Changes {
    /// The relevant changed paths, sorted, each once, relative to the
    /// root. Empty when the watcher lost track (its event queue overflowed,
    /// or it failed): then anything may have changed.
    pub paths: Vec<PathBuf>,
    /// Whether every change was a write, in place, to a `.md` file under
    /// `content/`: nothing made, removed or renamed, no folder or link
    /// changed, no rescan asked for. Only then may a rebuild skip the walk
    /// (see [`rebuild_changed`]).
    pub edits_only: bool,
}

impl Changes {
    /// Adds a later burst, gathered into the same rebuild.
    fn merge(&mut self, later: Changes) {
        self.edits_only &= later.edits_only;
        self.paths.extend(later.paths);
        self.paths.sort();
        self.paths.dedup();
    }
}

/// Watches the handbook's sources; calls `on_change` with the
/// [`Changes`] of each burst, on a thread of its own, one call at a time.
/// Changes made while `on_change` runs are gathered for the next call.
/// Returns the watcher, which watches as long as it lives.
pub fn watch(root: &Path, on_change: impl Fn(Changes) + Send + 'static) -> notify::Result<Watcher> {
    // Events name absolute, resolved paths: a relative root (`.`, the
    // default) or one through a symlink would match none of them, and
    // every save would go unnoticed.
    let root = &std::fs::canonicalize(root)
        .map_err(|e| notify::Error::io(e).add_path(root.to_path_buf()))?;
    // The callback needs the debouncer it belongs to: a weak handle (a
    // strong one would keep it alive forever).
    let handle: Handle = Arc::new(Mutex::new(None));
    let tx = spawn_rebuilds(on_change)?;
    let weak: Weak<Mutex<Option<Debouncer>>> = Arc::downgrade(&handle);
    let root_owned = root.to_path_buf();
    let source_dirs: Vec<PathBuf> = SOURCE_DIRS.iter().map(|d| root.join(d)).collect();
    let mut links = links::Links::scan(root, &source_dirs);
    let start_links = links.all();
    let debouncer = new_debouncer(DEBOUNCE, None, move |result: DebounceEventResult| {
        let Ok(events) = result else {
            // Events may have been lost: rebuild, walking everything.
            let _ = tx.send(Changes::default());
            return;
        };
        let relinked = relinked(&events, &mut links);
        add_watches(&weak, &relinked);
        let paths = changed_paths(&events, &relinked, &root_owned);
        // A source folder that appeared (`templates/` made after the
        // start): watch it from now on. The rebuild this burst triggers
        // reads it whole, so files made in it before the watch are not
        // missed.
        let appeared: Vec<PathBuf> = paths
            .iter()
            .filter(|p| p.parent() == Some(root_owned.as_path()) && p.is_dir())
            .cloned()
            .collect();
        add_watches(&weak, &appeared);
        // An overflowed queue: whatever happened is unknown.
        let rescan = events.iter().any(|e| e.need_rescan());
        if !paths.is_empty() || rescan {
            let edits_only = !rescan && only_page_edits(&events, &relinked, &root_owned);
            let _ = tx.send(Changes {
                paths: paths
                    .iter()
                    .map(|p| p.strip_prefix(&root_owned).unwrap_or(p).to_path_buf())
                    .collect(),
                edits_only,
            });
        }
    })?;
    let mut slot = handle.lock().unwrap_or_else(|e| e.into_inner());
    let debouncer = slot.insert(debouncer);
    watch_sources(debouncer, root, start_links)?;
    drop(slot);
    Ok(Watcher { _debouncer: handle })
}

/// Starts the thread that calls `on_change` for each burst of changes sent
/// to it, gathering those that arrive within [`SETTLE`] of each other.
fn spawn_rebuilds(
    on_change: impl Fn(Changes) + Send + 'static,
) -> notify::Result<std::sync::mpsc::Sender<Changes>> {
    let (tx, rx) = std::sync::mpsc::channel::<Changes>();
    std::thread::Builder::new()
        .name("esiin-rebuild".into())
        .spawn(move || {
            // Ends when the debouncer, and with it the sender, is dropped.
            while let Ok(mut changes) = rx.recv() {
                while let Ok(more) = rx.recv_timeout(SETTLE) {
                    changes.merge(more);
                }
                on_change(changes);
            }
        })
        .map_err(notify::Error::io)?;
    Ok(tx)
}

/// Symlinked folders made, or whose targets were made anew, in this burst:
/// watched through the link from now on, and rebuilt (what was written
/// there before the watch is read then). Only what makes a path appear:
/// every build opens the linked folders, and an open must not trigger the
/// next build.
fn relinked(
    events: &[notify_debouncer_full::DebouncedEvent],
    links: &mut links::Links,
) -> Vec<PathBuf> {
    events
        .iter()
        .filter(|e| {
            use notify::EventKind::{Create, Modify};
            use notify::event::{ModifyKind, RenameMode};
            matches!(
                e.kind,
                Create(_)
                    | Modify(ModifyKind::Name(
                        RenameMode::To | RenameMode::Both | RenameMode::Any
                    ))
            )
        })
        .flat_map(|e| e.paths.iter())
        .flat_map(|p| links.changed(p))
        .collect()
}

/// The paths of this burst a rebuild should see, sorted, each once: only
/// what changes a file's contents or existence (reading the sources, as
/// every build does, raises access events, and a build must not trigger
/// the next one), and the folders `relinked`.
fn changed_paths(
    events: &[notify_debouncer_full::DebouncedEvent],
    relinked: &[PathBuf],
    root: &Path,
) -> Vec<PathBuf> {
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
        .filter(|p| relevant(root, p))
        .chain(relinked.iter().filter(|p| relevant(root, p)).cloned())
        .collect();
    paths.sort();
    paths.dedup();
    paths
}

/// Whether every event of a burst that [`changed_paths`] keeps is a write
/// of data, in place, to a `.md` file under `content/` (and no folder was
/// `relinked`): what lets the rebuild re-read those files instead of
/// walking (see [`Changes::edits_only`]). Events `changed_paths` ignores
/// (reads, metadata, paths that are not sources) are ignored here too;
/// any other kind, a create, remove or rename above all, is not an edit.
/// The build checks again that each path is a page file it knows, still a
/// regular file through no link (`load::load_cached`).
fn only_page_edits(
    events: &[notify_debouncer_full::DebouncedEvent],
    relinked: &[PathBuf],
    root: &Path,
) -> bool {
    use notify::EventKind::{Access, Modify};
    use notify::event::ModifyKind;
    let page = |p: &Path| {
        p.strip_prefix(root)
            .is_ok_and(|rel| rel.starts_with("content"))
            && p.extension().is_some_and(|e| e == "md")
    };
    relinked.is_empty()
        && events.iter().all(|e| {
            let mut sources = e.paths.iter().filter(|p| relevant(root, p));
            match e.kind {
                _ if e.need_rescan() => false,
                Access(_) | Modify(ModifyKind::Metadata(_)) => true,
                Modify(ModifyKind::Data(_)) => sources.all(|p| page(p)),
                _ => sources.next().is_none(),
            }
        })
}

/// Watches `dirs` recursively through the debouncer, if it still exists.
fn add_watches(weak: &Weak<Mutex<Option<Debouncer>>>, dirs: &[PathBuf]) {
    if dirs.is_empty() {
        return;
    }
    if let Some(strong) = weak.upgrade()
        && let Some(d) = strong.lock().unwrap_or_else(|e| e.into_inner()).as_mut()
    {
        for dir in dirs {
            let _ = d.watch(dir, RecursiveMode::Recursive);
        }
    }
}

/// The first watches: the source folders recursively; the root itself
/// only for `handbook.yaml` and for folders created after the start; and
/// the symlinked folders found at the start.
fn watch_sources(
    debouncer: &mut Debouncer,
    root: &Path,
    start_links: Vec<PathBuf>,
) -> notify::Result<()> {
    for dir in SOURCE_DIRS {
        let path = root.join(dir);
        if path.is_dir() {
            debouncer.watch(&path, RecursiveMode::Recursive)?;
        }
    }
    debouncer.watch(root, RecursiveMode::NonRecursive)?;
    // Watched already through their parents; again, explicitly, so that
    // the watch does not depend on the watcher following links.
    for link in start_links {
        let _ = debouncer.watch(&link, RecursiveMode::Recursive);
    }
    Ok(())
}

/// The folders of a handbook that hold sources; `data/` holds the CSV
/// files plan goals read (`resolve/measure.rs`).
const SOURCE_DIRS: [&str; 5] = ["content", "static", "templates", "themes", "data"];

/// Watches as long as it lives.
pub struct Watcher {
    _debouncer: Handle,
}

#[cfg(test)]
mod tests {
    use super::*;

    fn warning(file: &str) -> Diagnostic {
        Diagnostic::warning("stale").in_file(file).hint("review it")
    }

    #[test]
    fn the_warning_log_prints_new_warnings_once() {
        let mut log = WarningLog::default();
        let (a, b) = (warning("content/a.md"), warning("content/b.md"));
        let first = [a.clone()];
        let news = log.update(&first);
        assert_eq!(news.new.len(), 1);
        assert_eq!(news.summary().as_deref(), Some("1 warning"));
        let news = log.update(&first);
        assert!(news.new.is_empty());
        assert_eq!(news.summary().as_deref(), Some("1 warning, as before"));
        let both = [a, b.clone()];
        let news = log.update(&both);
        assert_eq!(news.new.len(), 1);
        assert_eq!(news.new[0].file, b.file);
        assert_eq!(news.summary().as_deref(), Some("2 warnings (1 new)"));
        let news = log.update(&both[1..]);
        assert_eq!(news.summary().as_deref(), Some("1 warning (1 fixed)"));
        assert_eq!(
            log.update(&[]).summary().as_deref(),
            Some("no warnings left")
        );
        assert_eq!(log.update(&[]).summary(), None);
    }

    #[test]
    fn only_writes_to_pages_are_edits() {
        use notify::event::{AccessKind, CreateKind, DataChange, ModifyKind, RemoveKind};
        use notify::{Event, EventKind};
        use notify_debouncer_full::DebouncedEvent;
        let root = Path::new("/h");
        let event = |kind: EventKind, path: &str| {
            DebouncedEvent::new(
                Event::new(kind).add_path(PathBuf::from(path)),
                std::time::Instant::now(),
            )
        };
        let write = |path: &str| event(EventKind::Modify(ModifyKind::Data(DataChange::Any)), path);
        let edits = |events: &[DebouncedEvent]| only_page_edits(events, &[], root);
        let page = write("/h/content/a/b.md");
        assert!(edits(std::slice::from_ref(&page)));
        // Reads and what is not a source do not count.
        assert!(edits(&[
            page.clone(),
            event(EventKind::Access(AccessKind::Any), "/h/content/c.md"),
            event(EventKind::Create(CreateKind::File), "/h/content/.b.md.swp"),
            event(EventKind::Remove(RemoveKind::File), "/h/public/x.html"),
        ]));
        for other in [
            event(EventKind::Create(CreateKind::File), "/h/content/c.md"),
            event(EventKind::Remove(RemoveKind::File), "/h/content/c.md"),
            event(
                EventKind::Modify(ModifyKind::Name(notify::event::RenameMode::Any)),
                "/h/content/c.md",
            ),
            event(EventKind::Any, "/h/content/c.md"),
            write("/h/content/photo.jpg"),
            write("/h/templates/page.html"),
            write("/h/handbook.yaml"),
        ] {
            assert!(!edits(&[page.clone(), other.clone()]), "{other:?}");
        }
        let rescan = DebouncedEvent::new(
            Event::new(EventKind::Other).set_flag(notify::event::Flag::Rescan),
            std::time::Instant::now(),
        );
        assert!(!edits(&[page.clone(), rescan]));
        assert!(!only_page_edits(
            &[page],
            &[PathBuf::from("/h/content/linked")],
            root
        ));
    }

    #[test]
    fn only_sources_are_relevant() {
        let root = Path::new("/h");
        assert!(relevant(root, Path::new("/h/content/a.md")));
        assert!(relevant(root, Path::new("/h/handbook.yaml")));
        assert!(relevant(root, Path::new("/h/data/blog-visitors.csv")));
        assert!(relevant(root, Path::new("/h/themes/x/templates/page.html")));
        assert!(!relevant(root, Path::new("/h/public/index.html")));
        assert!(!relevant(root, Path::new("/h/.esiin-cache/thumbs/x.jpg")));
        assert!(!relevant(root, Path::new("/h/content/.a.md.swp")));
        assert!(!relevant(root, Path::new("/h/content/a.md~")));
        assert!(!relevant(root, Path::new("/h/content/.git/x")));
        assert!(!relevant(root, Path::new("/elsewhere/content/a.md")));
    }
}
