//! The editor's loop of `esiin serve`, timed: save one page of a generated
//! handbook (`esiin::testgen`) → the watcher sees it → the site is rebuilt
//! → the reload message for that page is sent. Targets (issue 5): median
//! ≤ 100 ms for a body edit and ≤ 300 ms for an expert's front-matter edit
//! on 10,000 pages.
//!
//! In process, as `esiin serve` runs it minus the HTTP server: a `Live`, a
//! first build, then `serve::watch` whose callback rebuilds (keeping a
//! `pipeline::Cache` from build to build, as `esiin serve` does) and
//! signals; the reload message is observed on `Live::subscribe`, the way
//! the open pages' websocket gets it. Only save → reload is timed
//! (`iter_custom`). The callback hands the watcher's [`Changes`] to the
//! rebuild (`serve::rebuild_changed`), as `esiin serve` does: a body edit
//! re-reads the saved page without walking the handbook.
//! `ESIIN_BENCH_WALK=1` walks it on every rebuild anyway
//! (`serve::rebuild_cached`, as before #15), and `ESIIN_BENCH_FULL=1`
//! rebuilds from scratch every time (`serve::rebuild`), for comparison.
//!
//! - `serve/body_edit/1k`, `serve/body_edit/10k`: a paragraph of a page's
//!   body, alternating between two versions so every save changes it.
//! - `serve/expert_edit/1k`, `serve/expert_edit/10k`: an expert's `role`.
//! - `serve/body_edit/10k_heavy`: the body edit on the heavy handbook of
//!   issue #15 (`testgen::Weight::HEAVY`: 66 MB of Markdown, 10,000 code
//!   blocks; target ≤ 100 ms median).
//! - `memory` (only when asked: `cargo bench --bench serve -- memory`):
//!   1,000 body edits, printing the resident memory every 100, to see that
//!   it stays flat. `ESIIN_BENCH_MEMORY_PAGES` (default 10000) and
//!   `ESIIN_BENCH_MEMORY_EDITS` (default 1000) change its size.
//!
//! Handbooks go to `ESIIN_BENCH_DIR`, else the system temp dir; a tmpfs
//! measures esiin rather than the disk:
//! `ESIIN_BENCH_DIR=/dev/shm cargo bench --bench serve -- --sample-size 10`
//! (`-- 1k` for the quick variant only). Saved pages are restored at the
//! end.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::mpsc::{Receiver, RecvTimeoutError, channel};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use criterion::{Criterion, SamplingMode};
use esiin::pipeline::Cache;
use esiin::serve::state::{Event, Live};
use esiin::serve::{self, Changes, Options, Outcome};
use tokio::sync::broadcast;

// As the `esiin` binary: its allocator is part of what is measured.
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

/// Longest a save may take to show up before the benchmark fails.
const TIMEOUT: Duration = Duration::from_secs(60);

/// A generated handbook of `pages` pages, light or of the heavy weight of
/// issue #15 (`testgen::Weight::HEAVY`).
fn handbook(pages: usize, heavy: bool) -> PathBuf {
    let base = std::env::var_os("ESIIN_BENCH_DIR").map_or_else(std::env::temp_dir, PathBuf::from);
    // Not the `build` benchmark's folder: this one is edited.
    let weight = if heavy { "-heavy" } else { "" };
    let dir = base.join(format!("esiin-bench-serve-{pages}{weight}"));
    if !dir.join("content").is_dir() {
        let _ = std::fs::remove_dir_all(&dir);
        if heavy {
            esiin::testgen::generate_weighted(&dir, pages, esiin::testgen::Weight::HEAVY)
        } else {
            esiin::testgen::generate(&dir, pages)
        }
        .expect("the bench dir is writable");
    }
    dir
}

/// What `esiin serve` does on each change: a rebuild that reuses what the
/// previous one parsed and rendered (or, with `ESIIN_BENCH_FULL`, one from
/// scratch).
struct Rebuild {
    opts: Options,
    cache: Mutex<Cache>,
    full: bool,
    /// Walk the handbook on every rebuild, as before the watcher's paths
    /// were handed to the build (`ESIIN_BENCH_WALK`), for comparison.
    walk: bool,
}

impl Rebuild {
    fn run(&self, live: &Arc<Live>, changes: &Changes) -> Outcome {
        if self.full {
            serve::rebuild(&self.opts, live)
        } else {
            let mut cache = self.cache.lock().unwrap_or_else(|e| e.into_inner());
            if self.walk {
                serve::rebuild_cached(&self.opts, live, &mut cache)
            } else {
                serve::rebuild_changed(&self.opts, live, &mut cache, changes)
            }
        }
    }
}

fn full() -> bool {
    env_flag("ESIIN_BENCH_FULL")
}

fn env_flag(name: &str) -> bool {
    std::env::var_os(name).is_some_and(|v| !v.is_empty() && v != "0")
}

/// A handbook being served: the watcher, its rebuild signals, the reload
/// messages.
struct Served {
    root: PathBuf,
    first_build: Duration,
    live: Arc<Live>,
    events: broadcast::Receiver<Event>,
    /// One message per rebuild: how long it took.
    rebuilt: Receiver<Duration>,
    /// The longest rebuild so far, and the last one.
    slowest: Duration,
    last: Duration,
    /// The CPU time of the rebuild threads during the last save.
    last_cpu: Duration,
    _watcher: serve::Watcher,
}

impl Served {
    fn start(pages: usize, heavy: bool) -> Served {
        let root = handbook(pages, heavy);
        let rebuild = Arc::new(Rebuild {
            opts: Options {
                root: root.clone(),
                drafts: true,
            },
            cache: Mutex::new(Cache::reusable()),
            full: full(),
            walk: env_flag("ESIIN_BENCH_WALK"),
        });
        let live = Arc::new(Live::default());
        let first = rebuild.run(&live, &Changes::default());
        assert!(
            first.errors.is_empty(),
            "the generated handbook builds: {:?}",
            first.errors.first().map(|d| &d.message)
        );
        let events = live.subscribe();
        let (tx, rebuilt) = channel();
        let watched = live.clone();
        let watcher = serve::watch(&root, move |changes| {
            let outcome = rebuild.run(&watched, &changes);
            let _ = tx.send(outcome.took);
        })
        .expect("watch the handbook");
        Served {
            root,
            first_build: first.took,
            live,
            events,
            rebuilt,
            slowest: first.took,
            last: first.took,
            last_cpu: Duration::ZERO,
            _watcher: watcher,
        }
    }

    /// Saves `text` at `rel` and waits for the reload message that names
    /// `page` (an output path). Returns the time from the save to it.
    fn save_and_wait(&mut self, rel: &str, text: &str, page: &str) -> Duration {
        // Whatever an earlier save left behind is not this save's answer.
        self.reloaded(page);
        let path = self.root.join(rel);
        let cpu = rebuild_cpu();
        let start = Instant::now();
        std::fs::write(&path, text).expect("save the page");
        loop {
            let left = TIMEOUT.saturating_sub(start.elapsed());
            match self.rebuilt.recv_timeout(left) {
                Ok(took) => {
                    self.slowest = self.slowest.max(took);
                    self.last = took;
                }
                Err(RecvTimeoutError::Timeout) => {
                    panic!("no reload of {page} within {TIMEOUT:?} of saving {rel}")
                }
                Err(RecvTimeoutError::Disconnected) => panic!("the watcher stopped"),
            }
            let errors = self.live.errors();
            assert!(errors.is_empty(), "the edit broke the build: {errors:?}");
            if self.reloaded(page) {
                let took = start.elapsed();
                self.last_cpu = rebuild_cpu().saturating_sub(cpu);
                return took;
            }
        }
    }

    /// Whether a reload message since the last look names `page`.
    fn reloaded(&mut self, page: &str) -> bool {
        let mut seen = false;
        loop {
            match self.events.try_recv() {
                Ok(Event::Reload { paths, .. }) => seen |= paths.iter().any(|p| p == page),
                Ok(_) => {}
                Err(broadcast::error::TryRecvError::Lagged(_)) => {}
                Err(_) => return seen,
            }
        }
    }

    /// Waits until no rebuild has happened for longer than one takes, so
    /// that a trailing rebuild of one save is never taken for the answer
    /// to the next, nor slows it down.
    fn quiet(&mut self) {
        loop {
            let window = Duration::from_millis(100) + self.slowest.mul_f64(1.5);
            match self.rebuilt.recv_timeout(window) {
                Ok(took) => self.slowest = self.slowest.max(took),
                Err(_) => return,
            }
        }
    }
}

/// A file to save again and again, two versions in turn; restored on drop.
struct Edit {
    root: PathBuf,
    rel: String,
    original: String,
    versions: [String; 2],
    /// The page whose reload answers the save.
    page: String,
    next: usize,
}

impl Edit {
    fn new(root: &Path, rel: &str, page: &str, change: impl Fn(&str, &str) -> String) -> Edit {
        let original =
            std::fs::read_to_string(root.join(rel)).unwrap_or_else(|e| panic!("read {rel}: {e}"));
        Edit {
            root: root.to_path_buf(),
            rel: rel.to_string(),
            versions: [change(&original, "A"), change(&original, "B")],
            original,
            page: page.to_string(),
            next: 0,
        }
    }

    /// A page's body: a paragraph of its own at the end.
    fn body(root: &Path) -> Edit {
        Edit::new(
            root,
            "content/area-0/section-0/page-0.md",
            "area-0/section-0/page-0/index.html",
            |text, v| format!("{text}\nA paragraph saved in the editor, version {v}.\n"),
        )
    }

    /// An expert's `role`: shown on their page, the directory, the topic
    /// pages and every page that names them.
    fn expert(root: &Path) -> Edit {
        Edit::new(
            root,
            "content/experts/expert-1.md",
            "experts/expert-1/index.html",
            |text, v| {
                assert!(text.contains("\nrole: Consultant\n"), "{text}");
                text.replacen(
                    "\nrole: Consultant\n",
                    &format!("\nrole: Consultant {v}\n"),
                    1,
                )
            },
        )
    }

    /// Saves the next version, timed from the save to its reload message.
    fn save(&mut self, served: &mut Served) -> Duration {
        let text = self.versions[self.next % 2].clone();
        self.next += 1;
        served.save_and_wait(&self.rel, &text, &self.page)
    }

    /// Puts the original back and waits until it is served.
    fn restore(mut self, served: &mut Served) {
        if self.next > 0 {
            let original = std::mem::take(&mut self.original);
            served.save_and_wait(&self.rel, &original, &self.page);
            served.quiet();
            self.original = original;
        }
    }
}

impl Drop for Edit {
    fn drop(&mut self) {
        let _ = std::fs::write(self.root.join(&self.rel), &self.original);
    }
}

/// The served handbooks, started on first use (so a filter that leaves a
/// size out does not build it).
#[derive(Default)]
struct Handbooks(HashMap<(usize, bool), Served>);

impl Handbooks {
    fn get(&mut self, pages: usize, heavy: bool) -> &mut Served {
        self.0.entry((pages, heavy)).or_insert_with(|| {
            let served = Served::start(pages, heavy);
            eprintln!(
                "serve bench: {pages} pages at {}, first build {:.0} ms, {} files; {}",
                served.root.display(),
                served.first_build.as_secs_f64() * 1000.0,
                served.live.files().len(),
                if full() {
                    "every rebuild from scratch (ESIIN_BENCH_FULL)"
                } else {
                    "rebuilds reuse the previous build (as esiin serve)"
                }
            );
            served
        })
    }
}

fn label(pages: usize, heavy: bool) -> String {
    let weight = if heavy { "_heavy" } else { "" };
    format!("{}k{weight}", pages / 1000)
}

fn bench(c: &mut Criterion) {
    let mut handbooks = Handbooks::default();
    let mut group = c.benchmark_group("serve");
    // Seconds per iteration at 10,000 pages: the same number of saves in
    // every sample, and no more warm-up than a few saves.
    group.sampling_mode(SamplingMode::Flat);
    group.warm_up_time(Duration::from_secs(1));
    group.measurement_time(Duration::from_secs(5));
    let body = ("body_edit", Edit::body as fn(&Path) -> Edit);
    let expert = ("expert_edit", Edit::expert as fn(&Path) -> Edit);
    for (pages, heavy, edits) in [
        (1_000, false, &[body, expert][..]),
        (10_000, false, &[body, expert]),
        (10_000, true, &[body]),
    ] {
        for &(name, make) in edits {
            // One edit for every call criterion makes (warm-up, samples).
            let mut edit: Option<Edit> = None;
            let mut times = Vec::new();
            let id = format!("{name}/{}", label(pages, heavy));
            group.bench_function(&id, |b| {
                let served = handbooks.get(pages, heavy);
                let edit = edit.get_or_insert_with(|| make(&served.root));
                b.iter_custom(|iters| {
                    (0..iters)
                        .map(|_| {
                            let took = edit.save(served);
                            times.push((took, served.last, served.last_cpu));
                            served.quiet();
                            took
                        })
                        .sum()
                });
            });
            if let Some(edit) = edit {
                edit.restore(handbooks.get(pages, heavy));
                summary(&id, &times);
            }
        }
    }
    group.finish();
}

/// Every save timed (warm-up included), as one line: criterion reports
/// means, the target is a median. With the rebuild's own time, to tell
/// it from the watcher's (the debounce), and the CPU time of the rebuild
/// threads ([`rebuild_cpu`]).
fn summary(id: &str, times: &[(Duration, Duration, Duration)]) {
    if times.is_empty() {
        return;
    }
    let mut saves: Vec<Duration> = times.iter().map(|t| t.0).collect();
    let mut builds: Vec<Duration> = times.iter().map(|t| t.1).collect();
    let mut cpu: Vec<Duration> = times.iter().map(|t| t.2).collect();
    saves.sort();
    builds.sort();
    cpu.sort();
    let ms = |d: Duration| d.as_secs_f64() * 1000.0;
    let at = |v: &[Duration], q: f64| v[((v.len() - 1) as f64 * q).round() as usize];
    println!(
        "serve/{id}: {} saves, save → reload median {:.1} ms (min {:.1}, p90 {:.1}, max {:.1}); \
         the rebuild alone median {:.1} ms, its CPU time median {:.1} ms",
        saves.len(),
        ms(at(&saves, 0.5)),
        ms(saves[0]),
        ms(at(&saves, 0.9)),
        ms(saves[saves.len() - 1]),
        ms(at(&builds, 0.5)),
        ms(at(&cpu, 0.5)),
    );
}

/// The CPU time the rebuilds have taken so far: the threads that run
/// them (`esiin-rebuild`, the watcher's callback, and `esiin-rebuild-N`,
/// its pool), from `/proc/self/task/*/schedstat` (nanoseconds on a CPU).
/// Unlike the wall clock, not stretched by the search index's threads or
/// by other processes sharing the machine. Zero where `/proc` is missing.
fn rebuild_cpu() -> Duration {
    let Ok(tasks) = std::fs::read_dir("/proc/self/task") else {
        return Duration::ZERO;
    };
    let mut ns = 0u64;
    for task in tasks.flatten() {
        let dir = task.path();
        let comm = std::fs::read_to_string(dir.join("comm")).unwrap_or_default();
        if !comm.starts_with("esiin-rebuild") {
            continue;
        }
        let stat = std::fs::read_to_string(dir.join("schedstat")).unwrap_or_default();
        ns += stat
            .split_whitespace()
            .next()
            .and_then(|v| v.parse::<u64>().ok())
            .unwrap_or(0);
    }
    Duration::from_nanos(ns)
}

/// Resident memory of this process, in MiB (`/proc/self/statm`, 4 KiB
/// pages).
fn rss_mib() -> f64 {
    let statm = std::fs::read_to_string("/proc/self/statm").unwrap_or_default();
    let pages: f64 = statm
        .split_whitespace()
        .nth(1)
        .and_then(|s| s.parse().ok())
        .unwrap_or(0.0);
    pages * 4096.0 / (1024.0 * 1024.0)
}

fn env_usize(name: &str, default: usize) -> usize {
    std::env::var(name)
        .ok()
        .and_then(|v| v.trim().parse().ok())
        .unwrap_or(default)
}

/// Many body edits in a row, the resident memory printed every 100.
fn memory() {
    let pages = env_usize("ESIIN_BENCH_MEMORY_PAGES", 10_000);
    let edits = env_usize("ESIIN_BENCH_MEMORY_EDITS", 1_000);
    let mut served = Served::start(pages, false);
    let mut edit = Edit::body(&served.root);
    println!(
        "memory: {pages} pages, {edits} body edits ({}); after the first build: {:.1} MiB",
        if full() {
            "rebuilds from scratch"
        } else {
            "rebuilds reuse the previous build"
        },
        rss_mib()
    );
    let mut times = Vec::with_capacity(edits);
    let start = Instant::now();
    for i in 1..=edits {
        // No pause between saves (as an editor's autosave): a rebuild that
        // trails one save is simply the next save's.
        times.push(edit.save(&mut served));
        if i % 100 == 0 {
            let mut last: Vec<Duration> = times[i - 100..].to_vec();
            last.sort();
            println!(
                "memory: after {i:>5} edits: {:>7.1} MiB resident (median save → reload of the last 100: {:.0} ms; {:.0} s so far)",
                rss_mib(),
                last[50].as_secs_f64() * 1000.0,
                start.elapsed().as_secs_f64()
            );
        }
    }
    edit.restore(&mut served);
}

fn main() {
    let asked_memory = std::env::args().skip(1).any(|a| a == "memory");
    if asked_memory {
        memory();
        return;
    }
    let mut c = Criterion::default().configure_from_args();
    bench(&mut c);
    c.final_summary();
}
