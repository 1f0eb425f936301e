//! "Last updated" from git: for every page, the time and author of the
//! last commit that touched its file, read in one pass over history.
//!
//! One `git log --name-only -z` process walks history newest first; the
//! first commit that names a file is the last one that touched it, so the
//! walk stops (and the process is killed) as soon as every page has one.
//! Merge commits list no files (git's default), so a change made on a
//! branch is dated by the commit that made it, not by the merge.
//!
//! Everything here falls back silently to "no dates": no `git` binary, a
//! folder outside any repository, a repository without commits, a shallow
//! clone (every file would carry the boundary commit's date), a page not
//! committed yet. Git is run so that nothing of a user's setup changes
//! what it prints or makes it run anything: an explicit format, no pager,
//! no signatures, no mailmap, no external diff or textconv, no optional
//! locks, and the variables that would point it at another repository
//! removed. Paths from history are only compared with the pages found by
//! the walk, never opened.
//!
//! `serve` keeps the dates in [`Cache`] and reads history again only when
//! the repository's HEAD, refs, reflog or index changed ([`head_key`]), or
//! when a page appeared that the last read, stopped early, did not look for.

use std::collections::{HashMap, HashSet};
use std::hash::{Hash, Hasher};
use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::sync::Arc;

/// The last commit that touched a file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Commit {
    /// Committer time, in seconds since the Unix epoch: the order
    /// `git log` walks in, so the date shown is the newest.
    pub time: i64,
    /// The author's name, as written in the commit.
    pub author: Arc<str>,
}

impl Commit {
    /// The commit's day in the handbook's time zone.
    pub(crate) fn date(&self, tz: &jiff::tz::TimeZone) -> Option<jiff::civil::Date> {
        let at = jiff::Timestamp::from_second(self.time).ok()?;
        Some(at.to_zoned_datetime(tz.clone()).date())
    }
}

/// The last commit of every page file git knows, by path under
/// `content/` (`experts/mari.md`, as `Page::path`).
#[derive(Debug, Default)]
pub(crate) struct Dates {
    /// Changes whenever what was read may differ (for the resolve key).
    pub key: u64,
    by_path: HashMap<String, Commit>,
}

impl Dates {
    pub(crate) fn get(&self, path: &str) -> Option<&Commit> {
        self.by_path.get(path)
    }

    pub(crate) fn len(&self) -> usize {
        self.by_path.len()
    }
}

/// What a build keeps for the next (`serve`).
#[derive(Default)]
pub(crate) struct Cache {
    /// The repository, looked for once per cache (`Some(None)`: none that
    /// can be used).
    repo: Option<Option<Repo>>,
    /// [`head_key`] when `dates` was read.
    head: u64,
    dates: Arc<Dates>,
    /// Whether that read went through the whole history (else it stopped
    /// once every page then present had its commit).
    complete: bool,
}

/// Where the repository's own files are.
#[derive(Debug, Clone)]
struct Repo {
    git_dir: PathBuf,
    common_dir: PathBuf,
}

/// The dates of `pages` (paths under `content/`), from the repository
/// that holds `root`; reused from `cache` when the repository did not
/// change and every page was looked for.
pub(crate) fn dates(root: &Path, pages: &[&str], cache: &mut Cache) -> Arc<Dates> {
    let repo = cache.repo.get_or_insert_with(|| discover(root));
    let Some(repo) = repo else {
        return Arc::default();
    };
    let head = head_key(repo);
    let looked_for = |p: &&str| cache.dates.by_path.contains_key(*p);
    if head == cache.head && (cache.complete || pages.iter().all(looked_for)) {
        return cache.dates.clone();
    }
    let (by_path, complete) = read_log(root, pages).unwrap_or_default();
    // With one HEAD, a read is a prefix of one stream of commits, and the
    // map only grows along it: its length tells two reads apart.
    let mut h = crate::cache::hasher();
    (head, by_path.len()).hash(&mut h);
    cache.head = head;
    cache.complete = complete;
    cache.dates = Arc::new(Dates {
        key: h.finish(),
        by_path,
    });
    cache.dates.clone()
}

/// `git`, in `root`, with nothing of the caller's environment that would
/// point it at another repository or make it run a pager or a hook.
fn git(root: &Path) -> Command {
    let mut cmd = Command::new("git");
    for var in [
        "GIT_DIR",
        "GIT_WORK_TREE",
        "GIT_COMMON_DIR",
        "GIT_INDEX_FILE",
        "GIT_OBJECT_DIRECTORY",
        "GIT_ALTERNATE_OBJECT_DIRECTORIES",
        "GIT_NAMESPACE",
        "GIT_PAGER",
        "GIT_EXTERNAL_DIFF",
        "GIT_CONFIG_PARAMETERS",
        "GIT_CONFIG_COUNT",
    ] {
        cmd.env_remove(var);
    }
    cmd.arg("-C")
        .arg(root)
        .args(["--no-pager", "--no-optional-locks"])
        .args([
            "-c",
            "core.fsmonitor=false",
            "-c",
            "log.showSignature=false",
        ])
        .args(["-c", "core.quotePath=false", "-c", "diff.relative=false"])
        .stdin(Stdio::null())
        .stderr(Stdio::null());
    cmd
}

/// The repository holding `root`, unless there is none, `git` cannot be
/// run, or the clone is shallow.
fn discover(root: &Path) -> Option<Repo> {
    let out = git(root)
        .args(["rev-parse", "--is-shallow-repository", "--absolute-git-dir"])
        .arg("--git-common-dir")
        .output()
        .ok()?;
    if !out.status.success() {
        return None;
    }
    let text = String::from_utf8(out.stdout).ok()?;
    let mut lines = text.lines();
    if lines.next()? != "false" {
        return None;
    }
    let git_dir = PathBuf::from(lines.next()?);
    // Relative to `root` when relative.
    let common_dir = root.join(lines.next()?);
    Some(Repo {
        git_dir,
        common_dir,
    })
}

/// A key that changes when a commit is made, checked out, pulled or
/// rewritten: the stamps (modification time, size) of HEAD, the branch it
/// names, the packed refs, the reflog and the index, and what HEAD says.
/// Only looked at, never parsed beyond HEAD's one line.
fn head_key(repo: &Repo) -> u64 {
    let mut h = crate::cache::hasher();
    let head = repo.git_dir.join("HEAD");
    let text = crate::files::read_regular(&head, Some(4096)).unwrap_or_default();
    text.hash(&mut h);
    let mut files = vec![
        head,
        repo.git_dir.join("index"),
        repo.git_dir.join("logs/HEAD"),
        repo.common_dir.join("packed-refs"),
        repo.common_dir.join("shallow"),
    ];
    if let Some(name) = std::str::from_utf8(&text)
        .ok()
        .and_then(|t| t.trim().strip_prefix("ref: "))
        .filter(|n| n.starts_with("refs/") && !n.contains(".."))
    {
        files.push(repo.common_dir.join(name));
    }
    for f in files {
        crate::cache::stamp(&f).hash(&mut h);
    }
    h.finish()
}

/// Reads history newest first until every one of `pages` has its last
/// commit, or history ends (then `true`: every page file git knows is in
/// the map). `None` when git fails.
fn read_log(root: &Path, pages: &[&str]) -> Option<(HashMap<String, Commit>, bool)> {
    let mut child = git(root)
        .args(["log", "--no-show-signature", "--no-mailmap", "--no-color"])
        .args(["--no-ext-diff", "--no-textconv", "--no-renames", "--root"])
        .args(["--name-only", "-z", "--relative", "--format=%x1f%ct%x1f%an"])
        .args(["HEAD", "--", "content"])
        .stdout(Stdio::piped())
        .spawn()
        .ok()?;
    let stdout = child.stdout.take()?;
    let read = parse_log(BufReader::new(stdout), pages);
    // Stopped early: the rest of history is not wanted.
    if !read.complete {
        let _ = child.kill();
    }
    let status = child.wait().ok()?;
    if read.complete && !status.success() {
        return None;
    }
    Some((read.by_path, read.complete))
}

/// What [`parse_log`] read.
#[derive(Debug, Default)]
struct LogRead {
    by_path: HashMap<String, Commit>,
    complete: bool,
}

/// Parses `git log --name-only -z --format=%x1f%ct%x1f%an` output: each
/// commit is a NUL-terminated header `\x1fTIME\x1fAUTHOR`, then, when it
/// names files (merges name none), a newline and the paths, each
/// NUL-terminated. Every path starts with `content/` (the pathspec), so
/// none can be taken for a header. Stops once every one of `pages` is
/// found.
fn parse_log(input: impl BufRead, pages: &[&str]) -> LogRead {
    let wanted: HashSet<&str> = pages.iter().copied().collect();
    let mut found = 0;
    let mut read = LogRead::default();
    let mut commit: Option<Commit> = None;
    for token in input.split(0) {
        let Ok(token) = token else {
            return read;
        };
        if let Some(header) = token.strip_prefix(b"\x1f") {
            commit = parse_header(header);
            continue;
        }
        let path = token.strip_prefix(b"\n").unwrap_or(&token);
        let (Some(commit), Some(page)) = (&commit, page_path(path)) else {
            continue;
        };
        if read.by_path.contains_key(page) {
            continue;
        }
        read.by_path.insert(page.to_string(), commit.clone());
        if wanted.contains(page) {
            found += 1;
            if found == wanted.len() {
                return read;
            }
        }
    }
    read.complete = true;
    read
}

/// `TIME\x1fAUTHOR` (after the leading `\x1f`).
fn parse_header(header: &[u8]) -> Option<Commit> {
    let at = header.iter().position(|&b| b == 0x1f)?;
    let time = std::str::from_utf8(&header[..at]).ok()?.parse().ok()?;
    let author = String::from_utf8_lossy(&header[at + 1..]);
    Some(Commit {
        time,
        author: author.trim().into(),
    })
}

/// A path from history as a page path under `content/`, if it can be
/// one (UTF-8, a `.md` file).
fn page_path(path: &[u8]) -> Option<&str> {
    let path = std::str::from_utf8(path).ok()?;
    path.strip_prefix("content/").filter(|p| p.ends_with(".md"))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(log: &[u8], pages: &[&str]) -> LogRead {
        parse_log(log, pages)
    }

    fn at(read: &LogRead, path: &str) -> Option<(i64, String)> {
        read.by_path
            .get(path)
            .map(|c| (c.time, c.author.to_string()))
    }

    /// As `git log` prints it: a merge (no files), a commit with two
    /// files, then an older one touching one of them again.
    const LOG: &[u8] = b"\x1f300\x1fMerger\0\
        \x1f200\x1fMari Oksanen\0\ncontent/a.md\0content/b/c.md\0\
        \x1f100\x1fOlder\0\ncontent/a.md\0content/old.md\0";

    #[test]
    fn the_newest_commit_of_each_file_wins() {
        let read = parse(LOG, &["a.md", "b/c.md", "new.md"]);
        assert!(read.complete);
        assert_eq!(at(&read, "a.md"), Some((200, "Mari Oksanen".into())));
        assert_eq!(at(&read, "b/c.md"), Some((200, "Mari Oksanen".into())));
        // Deleted since, but known: a complete read lists it.
        assert_eq!(at(&read, "old.md"), Some((100, "Older".into())));
        assert_eq!(at(&read, "new.md"), None);
    }

    #[test]
    fn a_merge_names_no_files_and_dates_none() {
        let read = parse(LOG, &["a.md"]);
        assert_ne!(at(&read, "a.md").map(|(t, _)| t), Some(300));
    }

    #[test]
    fn reading_stops_once_every_page_is_found() {
        let read = parse(LOG, &["a.md", "b/c.md"]);
        assert!(!read.complete);
        assert_eq!(at(&read, "old.md"), None);
    }

    #[test]
    fn odd_file_names_are_matched_whole() {
        let log = b"\x1f5\x1fA\0\ncontent/we ird\nna\"me.md\0content/\xff.md\0content/x.png\0content/\x1f.md\0";
        let read = parse(log, &["we ird\nna\"me.md", "\x1f.md"]);
        assert_eq!(at(&read, "we ird\nna\"me.md"), Some((5, "A".into())));
        // A path is never a header, even one starting with the separator.
        assert_eq!(at(&read, "\x1f.md"), Some((5, "A".into())));
        assert!(read.by_path.len() == 2, "{:?}", read.by_path);
    }

    #[test]
    fn a_broken_header_dates_nothing_after_it() {
        let log = b"\x1fnot a time\x1fA\0\ncontent/a.md\0\x1f7\x1fB\0\ncontent/b.md\0";
        let read = parse(log, &["a.md", "b.md"]);
        assert_eq!(at(&read, "a.md"), None);
        assert_eq!(at(&read, "b.md"), Some((7, "B".into())));
    }

    #[test]
    fn the_date_is_the_day_in_the_handbooks_time_zone() {
        // 2026-12-03 23:30 UTC is already the 4th in Helsinki.
        let c = Commit {
            time: 1_796_340_600,
            author: "A".into(),
        };
        let utc = jiff::tz::TimeZone::UTC;
        let hki = jiff::tz::TimeZone::get("Europe/Helsinki").unwrap();
        assert_eq!(c.date(&utc).unwrap().to_string(), "2026-12-03");
        assert_eq!(c.date(&hki).unwrap().to_string(), "2026-12-04");
    }

    /// Runs `git ARGS` in `dir` at `date` (seconds), without the machine's
    /// git configuration; `false` when git cannot be run.
    fn run(dir: &Path, args: &[&str], date: &str) -> bool {
        Command::new("git")
            .current_dir(dir)
            .args([
                "-c",
                "user.name=Mari Oksanen",
                "-c",
                "user.email=m@example.com",
            ])
            .args([
                "-c",
                "commit.gpgsign=false",
                "-c",
                "init.defaultBranch=main",
            ])
            .args(args)
            .env("GIT_CONFIG_GLOBAL", "/dev/null")
            .env("GIT_CONFIG_NOSYSTEM", "1")
            .env("GIT_AUTHOR_DATE", format!("@{date} +0000"))
            .env("GIT_COMMITTER_DATE", format!("@{date} +0000"))
            .env_remove("GIT_DIR")
            .env_remove("GIT_WORK_TREE")
            .output()
            .is_ok_and(|o| o.status.success())
    }

    #[test]
    fn serve_reads_history_again_only_when_the_repository_changes() {
        let dir = std::env::temp_dir().join(format!("esiin-git-cache-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(dir.join("content")).unwrap();
        if !run(&dir, &["init", "-q"], "1000000000") {
            assert!(std::env::var_os("CI").is_none(), "git is missing on CI");
            println!("skipped: no git");
            return;
        }
        let page = dir.join("content/a.md");
        let commit = |text: &str, date: &str| {
            std::fs::write(&page, text).unwrap();
            assert!(run(&dir, &["add", "."], date));
            assert!(run(&dir, &["commit", "-q", "-m", "edit"], date));
        };
        commit("one", "1000000000");
        let mut cache = Cache::default();
        let first = dates(&dir, &["a.md"], &mut cache);
        assert_eq!(first.get("a.md").map(|c| c.time), Some(1_000_000_000));
        // Nothing changed: the same read, not another.
        assert!(Arc::ptr_eq(&first, &dates(&dir, &["a.md"], &mut cache)));
        // A new page the first read (stopped early) did not look for: read
        // once more, to the end, then kept.
        let with_new = dates(&dir, &["a.md", "new.md"], &mut cache);
        assert!(!Arc::ptr_eq(&first, &with_new));
        // What it found is what the first read had: the same key, so
        // `serve` re-resolves nothing.
        assert_eq!(first.key, with_new.key);
        let again = dates(&dir, &["a.md", "new.md"], &mut cache);
        assert!(Arc::ptr_eq(&with_new, &again));
        // A commit: read again.
        commit("two", "1100000000");
        let after = dates(&dir, &["a.md", "new.md"], &mut cache);
        assert_eq!(after.get("a.md").map(|c| c.time), Some(1_100_000_000));
        assert_eq!(after.get("new.md"), None);
        assert_ne!(after.key, with_new.key);
        std::fs::remove_dir_all(&dir).unwrap();
    }
}
