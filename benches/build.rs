//! Full-build benchmarks on generated handbooks (`esiin::testgen`).
//!
//! - `check`: load → resolve → render, without writing (and without the
//!   search index, which `check` does not make).
//! - `build`: adds the atomic write and the search index, read back from
//!   `.esiin-cache/search/` (nothing searchable changes between runs): a
//!   rebuild after a template edit, or of the same commit.
//! - `build_new_index`: the same, with the cached index removed before
//!   each run, so the index is built: a build after a content edit.
//! - `build_no_search`: `search: false`, for what the index adds.
//! - `wide/topics/10000`, `wide/tags/10000`: one expert with 10,000 topics,
//!   one page with 10,000 tags (`testgen::generate_wide`): a page per
//!   topic, each listing that expert or page, and a warning per tag
//!   (none is covered). Linear, where both were quadratic. The release
//!   binary on tmpfs: 10,000 topics 1.7 s / 148 MB (was killed at 6 GB;
//!   2,000 topics took 4.7 s / 479 MB), 10,000 tags 1.5 s / 166 MB;
//!   criterion (tmpfs, a loaded 2-core machine): 0.91 s and 0.74 s.
//!
//! - `git_dates/read/10000`: the one pass over git history a build makes
//!   for "Last updated" (`load::git`), on the 10,000-page handbook
//!   committed over 300 commits (`testgen::commit_history`): the
//!   repository found, history read until every page has its last commit.
//!   `git_dates/build/10000` is `full/build/10000` on that repository, to
//!   compare with the one without history. Measured (tmpfs, shared 2-core
//!   machine): read 98 ms median when quiet, 137 ms when loaded.
//!
//! - `build_heavy/10000`, `build_heavy_new_index/10000`,
//!   `build_heavy_no_search/10000`: `build`, `build_new_index` and
//!   `build_no_search` on the heavy handbook of issue #15
//!   (`testgen::Weight::HEAVY`: 830 words of prose and 1.08 code blocks in
//!   rust, python, yaml, bash or json a plain page; at 10,000 pages about
//!   66 MB of Markdown and 10,000 code blocks, where the light one is
//!   22 MB and 1,900 blocks), which shows the cost of highlighting and of
//!   indexing that the light one hides.
//! - `build_heavy_no_search_cold/10000`: `build_heavy_no_search` with the
//!   highlighted code blocks (`.esiin-cache/highlight/`) removed before
//!   each run, so every block is highlighted: a first build, or one after
//!   esiin or its grammars changed. Every other case runs with the blocks
//!   of the run before kept (the warm cache: a rebuild, or one after a
//!   prose edit), `build_heavy_no_search/10000` included.
//!
//!   `build_heavy_new_index` removes all of `.esiin-cache/` before each
//!   run: the cold build of CI on a clean clone.
//! - `floor/heavy/10000`: the heavy handbook's Markdown read, turned into
//!   HTML by pulldown-cmark and written, on every core: the floor the
//!   heavy builds are measured against (issue #15: with search ≤ 3×,
//!   without ≤ 2×, index read back ≤ 1.5×).
//! - `build_new_index/100000` (only with `ESIIN_BENCH_LARGE=1`): the light
//!   handbook at 100,000 pages, index built from nothing, to see that a
//!   build scales linearly from 10,000.
//!
//! Handbooks and output go to `ESIIN_BENCH_DIR`, else the system temp dir:
//! on a slow disk the write stage measures the disk, not esiin, so point it
//! at a tmpfs (`ESIIN_BENCH_DIR=/dev/shm cargo bench --bench build`) to
//! measure esiin.

use std::path::{Path, PathBuf};

use criterion::{BatchSize, Criterion, criterion_group, criterion_main};
use esiin::pipeline::{Options, build};
use esiin::testgen::Weight;

// As the `esiin` binary: its allocator is part of what is measured.
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn handbook(pages: usize, search: bool) -> PathBuf {
    weighted_handbook(pages, search, None)
}

/// The `pages`-page handbook, of `weight` if given (else light), with
/// search or without.
fn weighted_handbook(pages: usize, search: bool, weight: Option<Weight>) -> PathBuf {
    let base = std::env::var_os("ESIIN_BENCH_DIR").map_or_else(std::env::temp_dir, PathBuf::from);
    let name = if search { "" } else { "-no-search" };
    let heavy = if weight.is_some() { "-heavy" } else { "" };
    let dir = base.join(format!("esiin-bench-{pages}{heavy}{name}"));
    if !dir.join("content").is_dir() {
        let _ = std::fs::remove_dir_all(&dir);
        match weight {
            Some(weight) => esiin::testgen::generate_weighted(&dir, pages, weight),
            None => esiin::testgen::generate(&dir, pages),
        }
        .expect("temp dir is writable");
        if !search {
            let config = dir.join("handbook.yaml");
            let text = std::fs::read_to_string(&config).expect("generated config");
            std::fs::write(&config, format!("{text}\nsearch: false\n")).expect("config written");
        }
    }
    // An output built before esiin marked its output folders would be
    // refused; it is the benchmark's own, so it goes.
    let public = dir.join("public");
    if !public.join(esiin::write::MARKER).is_file() {
        let _ = std::fs::remove_dir_all(&public);
    }
    dir
}

fn options(root: &Path, output: bool) -> Options {
    Options {
        root: root.to_path_buf(),
        output: output.then(|| root.join("public")),
        drafts: false,
        base_url: None,
        write_cache: true,
    }
}

/// Benchmarks `name`: the build of `out` with `cache` (a folder of
/// `.esiin-cache/`, or all of it) removed before each run, so that what it
/// holds is made again.
fn bench_without(
    group: &mut criterion::BenchmarkGroup<'_, criterion::measurement::WallTime>,
    name: String,
    out: &Options,
    cache: &Path,
) {
    group.bench_function(name, |b| {
        b.iter_batched(
            || {
                let _ = std::fs::remove_dir_all(cache);
            },
            |()| build(out).expect("generated handbooks are valid"),
            BatchSize::PerIteration,
        )
    });
}

fn bench(c: &mut Criterion) {
    let mut group = c.benchmark_group("full");
    group.sample_size(10);
    for pages in [1_000, 10_000] {
        let root = handbook(pages, true);
        let check = options(&root, false);
        group.bench_function(format!("check/{pages}"), |b| {
            b.iter(|| build(&check).expect("generated handbooks are valid"))
        });
        let out = options(&root, true);
        group.bench_function(format!("build/{pages}"), |b| {
            b.iter(|| build(&out).expect("generated handbooks are valid"))
        });
        let cached_index = root.join(".esiin-cache").join("search");
        bench_without(
            &mut group,
            format!("build_new_index/{pages}"),
            &out,
            &cached_index,
        );
        let no_search = options(&handbook(pages, false), true);
        group.bench_function(format!("build_no_search/{pages}"), |b| {
            b.iter(|| build(&no_search).expect("generated handbooks are valid"))
        });
    }
    group.finish();
}

/// The heavy 10,000-page handbook (see the module doc): index read back,
/// index built from nothing, and no search.
fn bench_heavy(c: &mut Criterion) {
    let mut group = c.benchmark_group("full");
    group.sample_size(10);
    let pages = 10_000;
    let out = options(&weighted_handbook(pages, true, Some(Weight::HEAVY)), true);
    group.bench_function(format!("build_heavy/{pages}"), |b| {
        b.iter(|| build(&out).expect("generated handbooks are valid"))
    });
    // The whole cache, not only the index: a cold build, as CI's from a
    // clean clone.
    let cache = out.root.join(".esiin-cache");
    bench_without(
        &mut group,
        format!("build_heavy_new_index/{pages}"),
        &out,
        &cache,
    );
    let no_search = options(&weighted_handbook(pages, false, Some(Weight::HEAVY)), true);
    group.bench_function(format!("build_heavy_no_search/{pages}"), |b| {
        b.iter(|| build(&no_search).expect("generated handbooks are valid"))
    });
    let highlighted = no_search.root.join(".esiin-cache").join("highlight");
    bench_without(
        &mut group,
        format!("build_heavy_no_search_cold/{pages}"),
        &no_search,
        &highlighted,
    );
    group.finish();
}

fn wide_handbook(topics: usize, tags: usize) -> PathBuf {
    let base = std::env::var_os("ESIIN_BENCH_DIR").map_or_else(std::env::temp_dir, PathBuf::from);
    let dir = base.join(format!("esiin-bench-wide-{topics}-{tags}"));
    if !dir.join("content").is_dir() {
        let _ = std::fs::remove_dir_all(&dir);
        esiin::testgen::generate_wide(&dir, topics, tags).expect("temp dir is writable");
    }
    dir
}

fn bench_wide(c: &mut Criterion) {
    let mut group = c.benchmark_group("wide");
    group.sample_size(10);
    for (name, topics, tags) in [("topics", 10_000, 0), ("tags", 0, 10_000)] {
        let out = options(&wide_handbook(topics, tags), true);
        group.bench_function(format!("{name}/{}", topics.max(tags)), |b| {
            b.iter(|| build(&out).expect("generated handbooks are valid"))
        });
    }
    group.finish();
}

/// The `pages`-page handbook, in a git repository with `commits` commits.
fn git_handbook(pages: usize, commits: usize) -> PathBuf {
    let base = std::env::var_os("ESIIN_BENCH_DIR").map_or_else(std::env::temp_dir, PathBuf::from);
    let dir = base.join(format!("esiin-bench-{pages}-git-{commits}"));
    if !dir.join(".git").is_dir() {
        let _ = std::fs::remove_dir_all(&dir);
        esiin::testgen::generate(&dir, pages).expect("temp dir is writable");
        esiin::testgen::commit_history(&dir, commits).expect("git can commit the handbook");
    }
    let public = dir.join("public");
    if !public.join(esiin::write::MARKER).is_file() {
        let _ = std::fs::remove_dir_all(&public);
    }
    dir
}

fn bench_git(c: &mut Criterion) {
    let mut group = c.benchmark_group("git_dates");
    group.sample_size(20);
    let root = git_handbook(10_000, 300);
    let dated = esiin::testgen::git_dates(&root);
    assert!(dated > 0, "the pages have dates from git");
    eprintln!("git_dates: {dated} pages dated");
    group.bench_function("read/10000", |b| {
        b.iter(|| esiin::testgen::git_dates(&root))
    });
    group.sample_size(10);
    let out = options(&root, true);
    group.bench_function("build/10000", |b| {
        b.iter(|| build(&out).expect("generated handbooks are valid"))
    });
    group.finish();
}

/// The floor issue #15 measures against: every Markdown file of the heavy
/// handbook read, turned into HTML by pulldown-cmark (no highlighting, no
/// templates) and written, on rayon's pool. What no build of these pages
/// can go below on this machine; the `build_heavy` cases are read as
/// multiples of it.
fn bench_floor(c: &mut Criterion) {
    use rayon::prelude::*;
    let mut group = c.benchmark_group("floor");
    group.sample_size(10);
    let pages = 10_000;
    let root = weighted_handbook(pages, false, Some(Weight::HEAVY));
    let sources: Vec<PathBuf> = walkdir::WalkDir::new(root.join("content"))
        .into_iter()
        .filter_map(Result::ok)
        .filter(|e| e.path().extension().is_some_and(|x| x == "md"))
        .map(walkdir::DirEntry::into_path)
        .collect();
    let out = root.join("floor-out");
    group.bench_function(format!("heavy/{pages}"), |b| {
        b.iter(|| {
            let _ = std::fs::remove_dir_all(&out);
            std::fs::create_dir_all(&out).expect("the bench dir is writable");
            sources.par_iter().enumerate().for_each(|(i, path)| {
                let text = std::fs::read_to_string(path).expect("generated pages are UTF-8");
                let mut html = String::with_capacity(text.len() * 3 / 2);
                pulldown_cmark::html::push_html(&mut html, pulldown_cmark::Parser::new(&text));
                std::fs::write(out.join(format!("{i}.html")), html).expect("written");
            });
        })
    });
    group.finish();
}

/// 100,000 pages (only with `ESIIN_BENCH_LARGE=1`: each run takes about
/// ten times the 10,000-page one, and the handbook is 220 MB): the search
/// index built from nothing, to compare with `build_new_index/10000`.
fn bench_large(c: &mut Criterion) {
    if std::env::var_os("ESIIN_BENCH_LARGE").is_none() {
        return;
    }
    let mut group = c.benchmark_group("full");
    group.sample_size(10);
    let pages = 100_000;
    let out = options(&handbook(pages, true), true);
    let cache = out.root.join(".esiin-cache");
    bench_without(&mut group, format!("build_new_index/{pages}"), &out, &cache);
    group.finish();
}

criterion_group!(
    benches,
    bench,
    bench_floor,
    bench_heavy,
    bench_large,
    bench_wide,
    bench_git
);
criterion_main!(benches);
