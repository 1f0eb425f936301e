//! Helpers shared by the integration tests: a handbook copied from
//! `tests/fixtures/` into a fresh folder, the real `esiin` binary run on it,
//! and snapshots of folders to compare before and after.

pub mod serve;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::atomic::{AtomicUsize, Ordering};

/// "Today" for every run: 2026-06-15 12:00 UTC. Sessions before it are
/// past, `review_by` dates before it are stale.
pub const SOURCE_DATE_EPOCH: &str = "1781524800";

/// A folder of its own under the system's temp folder, removed on drop
/// (kept when `ESIIN_KEEP_TEST_DIRS` is set, to look at after a failure).
pub struct TempDir {
    path: PathBuf,
}

impl TempDir {
    pub fn new(name: &str) -> TempDir {
        static COUNTER: AtomicUsize = AtomicUsize::new(0);
        let n = COUNTER.fetch_add(1, Ordering::SeqCst);
        let path =
            std::env::temp_dir().join(format!("esiin-test-{}-{n}-{name}", std::process::id()));
        if path.exists() {
            std::fs::remove_dir_all(&path).expect("remove an old temp folder");
        }
        std::fs::create_dir_all(&path).expect("create a temp folder");
        TempDir { path }
    }

    pub fn path(&self) -> &Path {
        &self.path
    }
}

impl Drop for TempDir {
    fn drop(&mut self) {
        if std::env::var_os("ESIIN_KEEP_TEST_DIRS").is_none() {
            let _ = std::fs::remove_dir_all(&self.path);
        }
    }
}

/// What one run of `esiin` did.
#[derive(Debug)]
pub struct Run {
    pub code: Option<i32>,
    pub stdout: String,
    pub stderr: String,
}

impl Run {
    pub fn success(&self) -> bool {
        self.code == Some(0)
    }

    /// Panics with the whole output unless the run exited with status 0.
    pub fn assert_ok(&self) -> &Run {
        assert!(
            self.success(),
            "esiin failed ({:?})\n--- stdout\n{}\n--- stderr\n{}",
            self.code,
            self.stdout,
            self.stderr
        );
        self.assert_no_panic()
    }

    /// Panics unless the run exited with status 1.
    pub fn assert_failed(&self) -> &Run {
        assert_eq!(
            self.code,
            Some(1),
            "expected exit status 1\n--- stdout\n{}\n--- stderr\n{}",
            self.stdout,
            self.stderr
        );
        self.assert_no_panic()
    }

    pub fn assert_no_panic(&self) -> &Run {
        assert!(
            !self.stderr.contains("panicked") && !self.stdout.contains("panicked"),
            "esiin panicked:\n{}",
            self.stderr
        );
        self
    }

    /// Asserts that stderr has a diagnostic whose first line is exactly
    /// `error: {first}` and, when given, a line `help: {hint}`.
    pub fn assert_error(&self, first: &str, hint: Option<&str>) -> &Run {
        let want = format!("error: {first}");
        assert!(
            self.stderr.lines().any(|l| l == want),
            "stderr has no line\n  {want}\n--- stderr\n{}",
            self.stderr
        );
        if let Some(hint) = hint {
            // rustc's layout: `  = help: …` under the snippet.
            let want = format!("= help: {hint}");
            assert!(
                self.stderr.lines().any(|l| l.trim_start() == want),
                "stderr has no line\n  {want}\n--- stderr\n{}",
                self.stderr
            );
        }
        self
    }

    /// The number of diagnostics printed (lines starting with `error: `).
    pub fn error_count(&self) -> usize {
        self.stderr
            .lines()
            .filter(|l| l.starts_with("error: "))
            .count()
    }
}

/// Runs the real `esiin` binary with `args`, in `cwd`, with colours off and
/// a fixed "today".
pub fn esiin_in(cwd: &Path, args: &[&str]) -> Run {
    let out = Command::new(env!("CARGO_BIN_EXE_esiin"))
        .args(args)
        .current_dir(cwd)
        .env("NO_COLOR", "1")
        .env("SOURCE_DATE_EPOCH", SOURCE_DATE_EPOCH)
        .env_remove("RUST_BACKTRACE")
        .output()
        .expect("run esiin");
    let run = Run {
        code: out.status.code(),
        stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
    };
    assert_every_diagnostic_has_a_hint(&run.stderr);
    run
}

/// Every `error: …` or `warning: …` that esiin prints has a `= help: …`
/// line before the blank line that ends it: what to write instead. Run on
/// every run of the binary, so that a diagnostic without a hint fails the
/// test that triggers it (`diag::tests::every_diagnostic_has_a_hint`
/// checks the source for the ones no test triggers).
pub fn assert_every_diagnostic_has_a_hint(stderr: &str) {
    let mut open: Option<&str> = None;
    for line in stderr.lines().chain([""]) {
        let starts = line.starts_with("error: ") || line.starts_with("warning: ");
        if let Some(first) = open
            && (starts || line.trim().is_empty())
        {
            panic!("a diagnostic without a `= help:` line:\n  {first}\n--- stderr\n{stderr}");
        }
        if starts {
            open = Some(line);
        } else if line.trim_start().starts_with("= help: ") {
            open = None;
        }
    }
}

/// A handbook in a temp folder of its own.
pub struct Handbook {
    // Declared first: nothing else refers to it, it only has to outlive the test.
    dir: TempDir,
    pub root: PathBuf,
}

impl Handbook {
    /// A copy of `tests/fixtures/{name}`.
    pub fn fixture(name: &str) -> Handbook {
        let hb = Handbook::empty(name);
        let src = Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("tests/fixtures")
            .join(name);
        copy_dir(&src, &hb.root);
        hb
    }

    /// An empty handbook folder (no `content/` yet).
    pub fn empty(name: &str) -> Handbook {
        let dir = TempDir::new(name);
        let root = dir.path().join("handbook");
        std::fs::create_dir_all(&root).expect("create the handbook folder");
        Handbook { dir, root }
    }

    pub fn path(&self, rel: &str) -> PathBuf {
        self.root.join(rel)
    }

    /// The default output folder, `ROOT/public`.
    pub fn public(&self) -> PathBuf {
        self.root.join("public")
    }

    /// Writes (or replaces) the file `rel` under the root.
    pub fn write(&self, rel: &str, contents: impl AsRef<[u8]>) {
        let path = self.path(rel);
        if let Some(parent) = path.parent() {
            std::fs::create_dir_all(parent).expect("create the folder");
        }
        std::fs::write(&path, contents).expect("write the file");
    }

    pub fn read(&self, rel: &str) -> String {
        std::fs::read_to_string(self.path(rel)).unwrap_or_else(|e| panic!("read {rel}: {e}"))
    }

    pub fn remove(&self, rel: &str) {
        std::fs::remove_file(self.path(rel)).unwrap_or_else(|e| panic!("remove {rel}: {e}"));
    }

    /// Replaces the first `from` in file `rel` by `to`; panics if `from` is
    /// not there, so a changed fixture fails loudly rather than silently.
    pub fn edit(&self, rel: &str, from: &str, to: &str) {
        let text = self.read(rel);
        assert!(
            text.contains(from),
            "{rel} does not contain {from:?}:\n{text}"
        );
        self.write(rel, text.replacen(from, to, 1));
    }

    /// Runs esiin with `args`, then `--root ROOT`.
    pub fn esiin(&self, args: &[&str]) -> Run {
        let root = self.root.to_str().expect("a UTF-8 temp path");
        let mut all = args.to_vec();
        all.extend(["--root", root]);
        esiin_in(&self.root, &all)
    }

    /// `esiin build` into `ROOT/public`, which must succeed.
    pub fn build_ok(&self) -> Run {
        let run = self.esiin(&["build"]);
        run.assert_ok();
        run
    }

    /// A file of the built site, as text.
    pub fn page(&self, rel: &str) -> String {
        let path = self.public().join(rel);
        std::fs::read_to_string(&path).unwrap_or_else(|e| {
            panic!(
                "read public/{rel}: {e}\nthe site has:\n{}",
                snapshot(&self.public())
                    .keys()
                    .cloned()
                    .collect::<Vec<_>>()
                    .join("\n")
            )
        })
    }

    /// No staging folder (`.public.esiin-new-PID`) is left beside the
    /// output, whether the build succeeded or failed.
    pub fn assert_no_staging_left(&self) {
        let leftovers: Vec<String> = std::fs::read_dir(&self.root)
            .expect("the handbook folder")
            .filter_map(Result::ok)
            .map(|e| e.file_name().to_string_lossy().into_owned())
            .filter(|n| n.contains(".esiin-new-"))
            .collect();
        assert!(
            leftovers.is_empty(),
            "staging folders left behind: {leftovers:?}"
        );
    }

    /// The temp folder the handbook lives in (its parent).
    pub fn outer(&self) -> &Path {
        self.dir.path()
    }
}

/// Copies the folder `from` into `to`, recursively.
pub fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).expect("create the folder");
    for entry in std::fs::read_dir(from).unwrap_or_else(|e| panic!("read {}: {e}", from.display()))
    {
        let entry = entry.expect("a folder entry");
        let target = to.join(entry.file_name());
        if entry.file_type().expect("a file type").is_dir() {
            copy_dir(&entry.path(), &target);
        } else {
            std::fs::copy(entry.path(), &target).expect("copy a file");
        }
    }
}

/// Every file under `dir`, as a sorted map from its `/`-separated path
/// relative to `dir` to its bytes. Empty when `dir` does not exist.
pub fn snapshot(dir: &Path) -> BTreeMap<String, Vec<u8>> {
    fn walk(base: &Path, dir: &Path, out: &mut BTreeMap<String, Vec<u8>>) {
        let Ok(entries) = std::fs::read_dir(dir) else {
            return;
        };
        for entry in entries {
            let entry = entry.expect("a folder entry");
            let path = entry.path();
            let kind = entry.file_type().expect("a file type");
            if kind.is_dir() {
                walk(base, &path, out);
            } else {
                let rel = path
                    .strip_prefix(base)
                    .expect("under the base")
                    .to_string_lossy()
                    .replace('\\', "/");
                let bytes = if kind.is_symlink() {
                    format!(
                        "-> {}",
                        std::fs::read_link(&path).expect("a link").display()
                    )
                    .into_bytes()
                } else {
                    std::fs::read(&path).expect("read a file")
                };
                out.insert(rel, bytes);
            }
        }
    }
    let mut out = BTreeMap::new();
    walk(dir, dir, &mut out);
    out
}

/// Asserts two snapshots are equal, naming the files that differ.
pub fn assert_same_files(
    before: &BTreeMap<String, Vec<u8>>,
    after: &BTreeMap<String, Vec<u8>>,
    what: &str,
) {
    if before == after {
        return;
    }
    let mut diff = Vec::new();
    for (k, v) in before {
        match after.get(k) {
            None => diff.push(format!("removed: {k}")),
            Some(w) if w != v => diff.push(format!("changed: {k}")),
            _ => {}
        }
    }
    for k in after.keys() {
        if !before.contains_key(k) {
            diff.push(format!("added: {k}"));
        }
    }
    panic!("{what}:\n{}", diff.join("\n"));
}

/// Decodes `%XX` escapes (for comparing URLs that may or may not encode
/// non-ASCII letters), as esiin itself does.
pub use esiin::resolve::links::percent_decode;

/// The values of every `attr="…"` in `html`, in document order.
pub fn attr_values(html: &str, attr: &str) -> Vec<String> {
    let needle = format!(" {attr}=\"");
    let mut out = Vec::new();
    let mut rest = html;
    while let Some(i) = rest.find(&needle) {
        rest = &rest[i + needle.len()..];
        let end = rest.find('"').unwrap_or(rest.len());
        out.push(rest[..end].to_string());
        rest = &rest[end..];
    }
    out
}

/// The `href`s in `html`, percent-decoded, in document order.
pub fn hrefs(html: &str) -> Vec<String> {
    attr_values(html, "href")
        .iter()
        .map(|h| percent_decode(h))
        .collect()
}

/// The part of `html` from the first `start` to the next `end` after it.
pub fn between<'a>(html: &'a str, start: &str, end: &str) -> &'a str {
    let i = html
        .find(start)
        .unwrap_or_else(|| panic!("no {start:?} in\n{html}"));
    let rest = &html[i..];
    let j = rest.find(end).map_or(rest.len(), |j| j + end.len());
    &rest[..j]
}

/// Builds the basic fixture into `ROOT/public`, applies `breakage`, builds
/// again and checks that the second build failed without touching the
/// output, and that `check` fails too and writes nothing: the shape of
/// every bad-input test. Returns the failed build's run.
pub fn broken(breakage: impl FnOnce(&Handbook)) -> Run {
    let hb = Handbook::fixture("basic");
    hb.build_ok();
    let before = snapshot(&hb.public());
    assert!(before.contains_key("index.html"));
    breakage(&hb);
    let run = hb.esiin(&["build"]);
    run.assert_failed();
    assert!(
        run.stderr
            .contains("the previous output was left as it was"),
        "{}",
        run.stderr
    );
    assert_same_files(
        &before,
        &snapshot(&hb.public()),
        "a failed build changed the output",
    );
    hb.assert_no_staging_left();
    // `check` finds the same errors and writes nothing either.
    let check = hb.esiin(&["check"]);
    check.assert_failed();
    assert_same_files(
        &before,
        &snapshot(&hb.public()),
        "a failed check changed the output",
    );
    run
}
