//! Fuzzes a whole handbook: `handbook.yaml` and a few files under
//! `content/`, run through the real pipeline the way `esiin check` runs it
//! (load → resolve → render, nothing kept), with its diagnostics rendered
//! as `check` prints them. libFuzzer reports panics, and hangs under
//! `-timeout`; the target itself fails when a build publishes a byte of a
//! file from outside the handbook.
//!
//! The input is `handbook.yaml`'s text, then for each file of `content/`
//! (at most [`MAX_FILES`]) a NUL byte, its path on one line and its bytes:
//!
//! ```text
//! title: T␀experts/a.md⏎---⏎title: A⏎---⏎Body␀b.md⏎…
//! ```
//!
//! A NUL separates because YAML and Markdown have no use for it, so the
//! mutator rarely splits a file by accident, and the seeds in
//! `fuzz/corpus/handbook/` stay readable.

#![no_main]

use std::io;
use std::path::{Path, PathBuf};
use std::sync::{Mutex, OnceLock};

use esiin::pipeline::{self, Options};
use esiin::write::{Sink, safe_rel};
use libfuzzer_sys::fuzz_target;

const MAX_FILES: usize = 4;

/// Written into every file beside the handbook: output that holds it came
/// from outside the handbook (unless the input itself holds it).
const CANARY: &str = "ESIIN-FUZZ-CANARY-outside-the-handbook";

/// A handbook's first line that builds with `--drafts` (a YAML comment,
/// so the configuration means the same either way).
const DRAFTS: &[u8] = b"#drafts";

/// The process's folder: the handbook the inputs are written into, and
/// beside it files that a build must not publish.
struct Dirs {
    work: PathBuf,
    root: PathBuf,
}

fn dirs() -> &'static Dirs {
    static DIRS: OnceLock<Dirs> = OnceLock::new();
    DIRS.get_or_init(|| {
        // A fixed "today": a crash found one day reproduces the next
        // (stale pages and past sessions depend on it). Set before the
        // first build starts any thread.
        // SAFETY: libFuzzer calls the target from one thread, and no other
        // thread of this process exists yet.
        unsafe { std::env::set_var("SOURCE_DATE_EPOCH", "1780000000") };
        let work = std::env::temp_dir().join(format!("esiin-fuzz-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&work);
        let canary_page = format!("---\ntitle: {CANARY}\n---\n{CANARY}\n");
        // What `..`, a theme name, a static folder or an asset path could
        // reach if it escaped the handbook root.
        for (rel, text) in [
            ("canary.txt", CANARY.to_string()),
            ("canary.md", canary_page.clone()),
            ("static/canary.txt", CANARY.to_string()),
            ("content/canary.md", canary_page.clone()),
            ("themes/canary/static/canary.txt", CANARY.to_string()),
        ] {
            let path = work.join(rel);
            std::fs::create_dir_all(path.parent().expect("a file in a folder"))
                .expect("the fuzz folder can be made");
            std::fs::write(&path, text).expect("the fuzz folder can be written");
        }
        let root = work.join("handbook");
        std::fs::create_dir_all(&root).expect("the fuzz handbook can be made");
        Dirs { work, root }
    })
}

/// A path under `content/` made of the mutator's line: only plain names
/// (no `..`, no absolute paths: the input must not write outside the
/// handbook), at most three folders deep.
fn content_path(line: &[u8], i: usize) -> PathBuf {
    let line = String::from_utf8_lossy(line);
    let parts: Vec<String> = line
        .split('/')
        .map(|s| {
            s.chars()
                .filter(|c| c.is_alphanumeric() || matches!(c, '.' | '_' | '-' | ' '))
                .take(40)
                .collect::<String>()
        })
        .filter(|s| !s.is_empty() && s != "." && s != "..")
        .take(4)
        .collect();
    if parts.is_empty() {
        PathBuf::from(format!("page{i}.md"))
    } else {
        parts.iter().collect()
    }
}

/// Writes the handbook of `data` over the last one.
fn write_handbook(root: &Path, data: &[u8]) {
    let mut parts = data.split(|&b| b == 0);
    let config = parts.next().unwrap_or_default();
    let content = root.join("content");
    let _ = std::fs::remove_dir_all(&content);
    std::fs::create_dir_all(&content).expect("the fuzz handbook can be written");
    std::fs::write(root.join("handbook.yaml"), config).expect("the fuzz handbook can be written");
    for (i, part) in parts.take(MAX_FILES).enumerate() {
        let (line, bytes) = match part.iter().position(|&b| b == b'\n') {
            Some(n) => (&part[..n], &part[n + 1..]),
            None => (part, &[][..]),
        };
        let path = content.join(content_path(line, i));
        // A name that is already a folder (`a` and `a/b.md`) is skipped.
        if let Some(parent) = path.parent()
            && std::fs::create_dir_all(parent).is_ok()
        {
            let _ = std::fs::write(&path, bytes);
        }
    }
}

/// A sink that keeps only the names of files holding [`CANARY`]. It says
/// it discards, as `check`'s does, so the search index is skipped.
#[derive(Default)]
struct Leaks(Mutex<Vec<String>>);

impl Sink for Leaks {
    fn write(&self, rel: &str, bytes: &[u8]) -> io::Result<()> {
        if safe_rel(rel).is_none() {
            return Err(io::Error::new(io::ErrorKind::InvalidInput, "outside"));
        }
        if bytes.windows(CANARY.len()).any(|w| w == CANARY.as_bytes()) {
            let mut leaks = self.0.lock().unwrap_or_else(|e| e.into_inner());
            leaks.push(rel.to_string());
        }
        Ok(())
    }

    fn discards(&self) -> bool {
        true
    }
}

fuzz_target!(|data: &[u8]| {
    let dirs = dirs();
    write_handbook(&dirs.root, data);
    let opts = Options {
        root: dirs.root.clone(),
        output: None,
        drafts: data.starts_with(DRAFTS),
        base_url: None,
        write_cache: false,
    };
    let sink = Leaks::default();
    let diags = match pipeline::build_into(&opts, &sink) {
        Ok(report) => report.warnings,
        Err(diags) => diags,
    };
    // What `check` prints, in both formats: rendering locates each
    // diagnostic in its file's text, which a bad offset would panic on.
    for d in &diags {
        std::hint::black_box(d.render(false));
        std::hint::black_box(d.to_json());
    }
    let leaks = sink.0.into_inner().unwrap_or_else(|e| e.into_inner());
    let own = data.windows(CANARY.len()).any(|w| w == CANARY.as_bytes());
    if !leaks.is_empty() && !own {
        panic!(
            "published a file from outside the handbook ({}): {leaks:?}",
            dirs.work.display()
        );
    }
});
