//! Full-build benchmarks on generated handbooks (`esiin::testgen`).
//!
//! `check` runs load → resolve → render without writing; `build` adds the
//! atomic write. Output goes to the system temp dir: on a slow disk, the
//! write stage measures the disk, not esiin (see the closing notes).

use std::path::PathBuf;

use criterion::{Criterion, criterion_group, criterion_main};
use esiin::pipeline::{Options, build};

fn handbook(pages: usize) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("esiin-bench-{pages}"));
    if !dir.join("content").is_dir() {
        let _ = std::fs::remove_dir_all(&dir);
        esiin::testgen::generate(&dir, pages).expect("temp dir is writable");
    }
    dir
}

fn bench(c: &mut Criterion) {
    let mut group = c.benchmark_group("full");
    group.sample_size(10);
    for pages in [1_000, 10_000] {
        let root = handbook(pages);
        let check = Options {
            root: root.clone(),
            output: None,
            drafts: false,
        };
        group.bench_function(format!("check/{pages}"), |b| {
            b.iter(|| build(&check).expect("generated handbooks are valid"))
        });
        let out = Options {
            output: Some(root.join("public")),
            ..check
        };
        group.bench_function(format!("build/{pages}"), |b| {
            b.iter(|| build(&out).expect("generated handbooks are valid"))
        });
    }
    group.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
