//! A handbook copied from `tests/fixtures/` (or the example handbook) into
//! a temp folder of its own, the real `esiin` binary run on it, and what
//! the run printed.

use std::path::{Path, PathBuf};
use std::process::Command;

use super::files::{TempDir, assert_same_files, copy_tree, snapshot};

/// "Today" for every run: 2026-06-15 12:00 UTC. Sessions before it are
/// past, `review_by` dates before it are stale.
pub const SOURCE_DATE_EPOCH: &str = "1781524800";

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
    esiin_on(cwd, args, SOURCE_DATE_EPOCH)
}

/// [`esiin_in`] with "today" at `epoch` (seconds) instead of the suite's
/// day.
pub fn esiin_on(cwd: &Path, args: &[&str], epoch: &str) -> Run {
    let out = Command::new(env!("CARGO_BIN_EXE_esiin"))
        .args(args)
        .current_dir(cwd)
        .env("NO_COLOR", "1")
        .env("SOURCE_DATE_EPOCH", epoch)
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

/// `text` (what esiin printed) with what changes from run to run replaced,
/// so that a snapshot of it changes only when a message does: the temp
/// folder of a test (`/tmp/esiin-test-PID-N-NAME` → `[TMP]`) and the time
/// a build took (`… in 1.2s` → `… in [TIME]`).
pub fn redact(text: &str) -> String {
    let temp = std::env::temp_dir();
    let prefix = format!(
        "{}/esiin-test-",
        temp.display().to_string().trim_end_matches('/')
    );
    let mut out = String::with_capacity(text.len());
    for line in text.split_inclusive('\n') {
        let (body, end) = match line.strip_suffix('\n') {
            Some(body) => (body, "\n"),
            None => (line, ""),
        };
        let mut body = body.to_string();
        while let Some(at) = body.find(&prefix) {
            // The folder's own name ends at the next `/`, quote or space.
            let rest = &body[at + prefix.len()..];
            let len = rest
                .find(|c: char| c == '/' || c == '`' || c == '\'' || c == '"' || c.is_whitespace())
                .unwrap_or(rest.len());
            body.replace_range(at..at + prefix.len() + len, "[TMP]");
        }
        if body.starts_with("built ")
            && let Some(at) = body.rfind(" in ")
        {
            body.replace_range(at + 4.., "[TIME]");
        }
        out.push_str(&body);
        out.push_str(end);
    }
    out
}

/// Asserts that a [`Run`]'s whole stderr, [`redact`]ed, is the snapshot
/// reviewed in `tests/suite/snapshots/` (named after the test, or the
/// name given first), so that a change in a message's wording, location,
/// snippet or hint is a diff to review rather than a change no test
/// notices. A missing or different snapshot fails the test; see the
/// README's testing section for how to review one.
#[macro_export]
macro_rules! assert_diagnostics {
    // Bound to `stderr` first: insta writes the expression into the
    // snapshot's header, and `stderr` says what the snapshot is of.
    ($run:expr) => {{
        let stderr = $crate::support::handbook::redact(&$run.stderr);
        insta::assert_snapshot!(stderr)
    }};
    ($name:expr, $run:expr) => {{
        let stderr = $crate::support::handbook::redact(&$run.stderr);
        insta::assert_snapshot!($name, stderr)
    }};
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
        copy_tree(&src, &hb.root);
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

/// Builds `root` with the real binary into `out` and panics with its
/// diagnostics if that fails. Today is the real day: the browser tests of
/// the example compare what the site says is upcoming with the browser's
/// clock.
pub fn build(root: &Path, out: &Path) {
    build_on(root, out, None);
}

/// [`build`], on the day `epoch` (seconds) when given: for a test whose
/// figures must not move with the calendar (the search query set: a
/// session that passes changes what a page says).
pub fn build_on(root: &Path, out: &Path, epoch: Option<&str>) {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_esiin"));
    if let Some(epoch) = epoch {
        cmd.env("SOURCE_DATE_EPOCH", epoch);
    }
    let status = cmd
        .args(["build", "--root"])
        .arg(root)
        .arg("--output")
        .arg(out)
        .env("NO_COLOR", "1")
        .output()
        .expect("run esiin");
    assert!(
        status.status.success(),
        "esiin build failed:\n{}",
        String::from_utf8_lossy(&status.stderr)
    );
}

/// A copy of the example handbook (`content/`, `data/` and `handbook.yaml`) in a
/// temp dir, at `TMP/handbook`; `base_url`, when given, replaces the
/// example's `/`.
pub fn example_handbook(base_url: Option<&str>) -> (TempDir, PathBuf) {
    let tmp = TempDir::new("example");
    let root = tmp.path().join("handbook");
    let repo = Path::new(env!("CARGO_MANIFEST_DIR"));
    std::fs::create_dir_all(&root).expect("mkdir");
    copy_tree(&repo.join("content"), &root.join("content"));
    // The CSV files the plan's goals read.
    copy_tree(&repo.join("data"), &root.join("data"));
    let config = std::fs::read_to_string(repo.join("handbook.yaml")).expect("example config");
    let config = match base_url {
        // The example publishes at an origin; a test serves it under `base`.
        Some(base) => config
            .lines()
            .map(|l| match l.starts_with("base_url:") {
                true => format!("base_url: {base}\n"),
                false => format!("{l}\n"),
            })
            .collect(),
        None => config,
    };
    std::fs::write(root.join("handbook.yaml"), config).expect("write config");
    (tmp, root)
}
