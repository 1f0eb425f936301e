//! Full-build benchmarks on generated handbooks (`esiin::testgen`).
//!
//! `check` runs load → resolve → render without writing; `build` adds the
//! atomic write. Handbooks and output go to `ESIIN_BENCH_DIR`, else the
//! system temp dir: on a slow disk the write stage measures the disk, not
//! esiin, so point it at a tmpfs (`ESIIN_BENCH_DIR=/dev/shm cargo bench`)
//! to measure esiin.

use std::path::PathBuf;

use criterion::{Criterion, criterion_group, criterion_main};
use esiin::pipeline::{Options, build};

fn handbook(pages: usize) -> PathBuf {
    let base = std::env::var_os("ESIIN_BENCH_DIR").map_or_else(std::env::temp_dir, PathBuf::from);
    let dir = base.join(format!("esiin-bench-{pages}"));
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
            base_url: None,
            write_cache: true,
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
