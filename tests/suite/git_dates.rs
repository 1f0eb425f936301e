//! "Last updated" from git: a repository made in the test, with commits at
//! chosen dates by chosen authors; `updated:` wins; what is not committed,
//! a shallow clone, a folder outside git and `git_dates: false` show no
//! date from git, with no error and no warning.

use std::path::Path;
use std::process::Command;

use crate::support::Handbook;

/// Whether `git` can be run. Without it the tests are skipped, except on
/// CI, where a missing `git` is a broken setup.
fn have_git() -> bool {
    let found = Command::new("git").arg("--version").output().is_ok();
    assert!(
        found || std::env::var_os("CI").is_none(),
        "git is missing on CI"
    );
    if !found {
        println!("skipped: no git");
    }
    found
}

/// Runs `git ARGS` in `dir` as `author` at `date` (RFC 3339), with no
/// global or system configuration of the machine running the tests.
fn git(dir: &Path, args: &[&str], author: &str, date: &str) {
    let out = Command::new("git")
        .current_dir(dir)
        .args([
            "-c",
            "user.email=editor@example.com",
            "-c",
            "commit.gpgsign=false",
        ])
        .args(["-c", "init.defaultBranch=main"])
        .args(args)
        .env("GIT_CONFIG_GLOBAL", "/dev/null")
        .env("GIT_CONFIG_NOSYSTEM", "1")
        .env("GIT_AUTHOR_NAME", author)
        .env("GIT_COMMITTER_NAME", author)
        .env("GIT_AUTHOR_DATE", date)
        .env("GIT_COMMITTER_DATE", date)
        .env_remove("GIT_DIR")
        .env_remove("GIT_WORK_TREE")
        .output()
        .expect("run git");
    assert!(
        out.status.success(),
        "git {args:?} failed:\n{}",
        String::from_utf8_lossy(&out.stderr)
    );
}

fn page(title: &str, extra: &str) -> String {
    format!("---\ntitle: {title}\n{extra}---\n\nText.\n")
}

/// A handbook in a subfolder (`handbook/`) of a repository: `a.md` last
/// committed by Aino on 1 March 2026, `b.md` and `c.md` by Mari on 20 May
/// (`c.md` has `updated: 2026-01-02`), `new.md` not committed.
fn committed(config: &str) -> Handbook {
    let hb = Handbook::empty("git-dates");
    hb.write("handbook.yaml", format!("title: Käsikirja\n{config}"));
    hb.write("content/_index.md", page("Koti", ""));
    hb.write("content/a.md", page("A", ""));
    hb.write("content/b.md", page("B", ""));
    hb.write("content/c.md", page("C", "updated: 2026-01-02\n"));
    hb.write("content/other.txt", "not a page");
    let repo = hb.outer();
    git(
        repo,
        &["init", "-q"],
        "Aino Virtanen",
        "2026-03-01T10:00:00Z",
    );
    git(repo, &["add", "."], "Aino Virtanen", "2026-03-01T10:00:00Z");
    let first = ["commit", "-q", "-m", "first"];
    git(repo, &first, "Aino Virtanen", "2026-03-01T10:00:00Z");
    hb.edit("content/b.md", "Text.", "More text.");
    hb.edit("content/c.md", "Text.", "More text.");
    // A file outside the handbook, in the same commit: not read.
    std::fs::write(repo.join("outside.md"), "x").expect("write");
    git(repo, &["add", "."], "Mari Oksanen", "2026-05-20T12:00:00Z");
    let second = ["commit", "-q", "-m", "second"];
    git(repo, &second, "Mari Oksanen", "2026-05-20T12:00:00Z");
    hb.write("content/new.md", page("New", ""));
    hb
}

/// The "Last updated" line of a built page, or `None`.
fn updated(hb: &Handbook, page: &str) -> Option<String> {
    let html = hb.page(page);
    let at = html
        .find("<dt>Last updated</dt>")
        .or(html.find("<dt>Päivitetty</dt>"))?;
    let end = html[at..].find("</div>").map_or(html.len(), |e| at + e);
    Some(html[at..end].to_string())
}

/// A build that succeeds with nothing on stderr: no error, no warning.
fn build_quietly(hb: &Handbook) {
    let run = hb.build_ok();
    assert!(
        !run.stderr.contains("warning") && !run.stderr.contains("error"),
        "{}",
        run.stderr
    );
}

#[test]
fn pages_show_their_last_commits_date_and_author() {
    if !have_git() {
        return;
    }
    let hb = committed("");
    build_quietly(&hb);
    let a = updated(&hb, "a/index.html").expect("a has a date from git");
    assert!(a.contains(r#"datetime="2026-03-01""#), "{a}");
    assert!(a.contains(">1 March 2026</time>"), "{a}");
    assert!(a.contains("Aino Virtanen"), "{a}");
    assert!(a.contains(r#"title="The day of the last commit"#), "{a}");
    let b = updated(&hb, "b/index.html").expect("b has a date from git");
    assert!(b.contains(r#"datetime="2026-05-20""#), "{b}");
    assert!(
        b.contains("· <span class=\"updated-by\">Mari Oksanen</span>"),
        "{b}"
    );
}

#[test]
fn updated_in_front_matter_wins_over_git() {
    if !have_git() {
        return;
    }
    let hb = committed("");
    build_quietly(&hb);
    let c = updated(&hb, "c/index.html").expect("c has its own date");
    assert!(c.contains(r#"datetime="2026-01-02""#), "{c}");
    assert!(!c.contains("Mari Oksanen") && !c.contains("title="), "{c}");
}

#[test]
fn a_page_not_committed_yet_has_no_date_from_git() {
    if !have_git() {
        return;
    }
    let hb = committed("");
    build_quietly(&hb);
    assert_eq!(updated(&hb, "new/index.html"), None);
}

#[test]
fn git_dates_false_turns_them_off() {
    if !have_git() {
        return;
    }
    let hb = committed("git_dates: false\n");
    build_quietly(&hb);
    assert_eq!(updated(&hb, "a/index.html"), None);
    let c = updated(&hb, "c/index.html").expect("c keeps its own date");
    assert!(c.contains(r#"datetime="2026-01-02""#), "{c}");
}

#[test]
fn a_finnish_handbook_writes_the_date_in_finnish() {
    if !have_git() {
        return;
    }
    let hb = committed("language: fi\ntimezone: Europe/Helsinki\n");
    build_quietly(&hb);
    let a = updated(&hb, "a/index.html").expect("a has a date from git");
    assert!(a.contains(">1.3.2026</time>"), "{a}");
    assert!(
        a.contains(r#"title="Päivä, jolloin sivua viimeksi muutettiin"#),
        "{a}"
    );
    assert!(a.contains("Aino Virtanen"), "{a}");
}

#[test]
fn a_shallow_clone_falls_back_silently() {
    if !have_git() {
        return;
    }
    let hb = committed("");
    // Cloned into the new handbook's temp folder, emptied first: its
    // `handbook/` is then the clone's.
    let shallow = Handbook::empty("git-dates-shallow");
    std::fs::remove_dir(&shallow.root).expect("an empty folder");
    let url = format!("file://{}", hb.outer().display());
    let args = ["clone", "-q", "--depth", "1", &url, "."];
    git(
        shallow.outer(),
        &args,
        "Aino Virtanen",
        "2026-06-01T00:00:00Z",
    );
    build_quietly(&shallow);
    // Committed in the boundary commit, but the dates of a shallow clone
    // are not the pages' own.
    assert_eq!(updated(&shallow, "a/index.html"), None);
    assert_eq!(updated(&shallow, "b/index.html"), None);
}

#[test]
fn a_folder_outside_git_falls_back_silently() {
    if !have_git() {
        return;
    }
    let hb = Handbook::empty("no-git");
    hb.write("content/_index.md", page("Home", ""));
    hb.write("content/a.md", page("A", ""));
    hb.write("content/c.md", page("C", "updated: 2026-01-02\n"));
    build_quietly(&hb);
    assert_eq!(updated(&hb, "a/index.html"), None);
    assert!(updated(&hb, "c/index.html").is_some());
}

#[test]
fn a_change_merged_from_a_branch_has_the_date_it_was_made() {
    if !have_git() {
        return;
    }
    let hb = committed("");
    let repo = hb.outer();
    let at = |args: &[&str], who: &str, date: &str| git(repo, args, who, date);
    at(
        &["checkout", "-q", "-b", "side"],
        "Sofia Niemi",
        "2026-05-21T09:00:00Z",
    );
    hb.edit("content/a.md", "Text.", "Side text.");
    at(
        &["commit", "-q", "-am", "on a branch"],
        "Sofia Niemi",
        "2026-05-21T09:00:00Z",
    );
    at(
        &["checkout", "-q", "main"],
        "Sofia Niemi",
        "2026-05-22T09:00:00Z",
    );
    hb.edit("content/b.md", "More text.", "Main text.");
    at(
        &["commit", "-q", "-am", "on main"],
        "Jussi Laine",
        "2026-05-22T09:00:00Z",
    );
    let merge = ["merge", "-q", "--no-ff", "--no-edit", "side"];
    at(&merge, "Merja Merge", "2026-06-01T09:00:00Z");
    build_quietly(&hb);
    let a = updated(&hb, "a/index.html").expect("a has a date from git");
    assert!(a.contains(r#"datetime="2026-05-21""#), "{a}");
    assert!(a.contains("Sofia Niemi") && !a.contains("Merja"), "{a}");
    let b = updated(&hb, "b/index.html").expect("b has a date from git");
    assert!(b.contains(r#"datetime="2026-05-22""#), "{b}");
}
