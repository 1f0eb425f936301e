//! The watcher of `esiin serve`, run the way the README runs it: from
//! inside the handbook folder, without `--root`.

use crate::support;

use std::time::{Duration, Instant};

use support::Handbook;
use support::serve::Serve;

/// Longest a save may take to show; generous for a loaded CI machine.
const SHOWS_WITHIN: Duration = Duration::from_secs(20);

/// Polls `path` until its body contains `text`.
fn wait_for_text(serve: &Serve, path: &str, text: &str) {
    let start = Instant::now();
    loop {
        let (status, body) = serve.get(path);
        if status == 200 && String::from_utf8_lossy(&body).contains(text) {
            return;
        }
        if start.elapsed() > SHOWS_WITHIN {
            serve.unreachable(&format!("{path} never showed {text:?}"));
        }
        std::thread::sleep(Duration::from_millis(25));
    }
}

fn rebuilds(serve: &Serve) -> usize {
    serve
        .log()
        .iter()
        .filter(|l| l.contains("rebuilt in"))
        .count()
}

#[test]
fn a_save_shows_when_serving_from_inside_the_handbook() {
    let hb = Handbook::fixture("basic");
    let serve = Serve::start_in(&hb.root);
    hb.edit(
        "content/guide/writing.md",
        "## Example",
        "A sentence saved while serving.\n\n## Example",
    );
    wait_for_text(&serve, "/guide/writing/", "A sentence saved while serving.");
    // The terminal names the file, relative to the handbook.
    serve.wait_for_line(SHOWS_WITHIN, |l| {
        l.contains("content/guide/writing.md") && l.contains("rebuilt in")
    });
}

#[test]
fn a_burst_of_new_files_is_one_rebuild() {
    let hb = Handbook::fixture("basic");
    let serve = Serve::start_in(&hb.root);
    let before = rebuilds(&serve);
    // As a `git checkout` does: many files written one after the other.
    for i in 0..40 {
        hb.write(
            &format!("content/guide/burst-{i}.md"),
            format!("---\ntitle: Burst {i}\n---\n\nPage {i} of the burst.\n"),
        );
    }
    wait_for_text(&serve, "/guide/burst-39/", "Page 39 of the burst.");
    serve.wait_for_line(SHOWS_WITHIN, |l| {
        l.contains("40 files") && l.contains("rebuilt in")
    });
    assert_eq!(rebuilds(&serve), before + 1, "{:#?}", serve.log());
}

/// A page in a folder outside `content/` but inside the handbook root, to
/// be linked in.
fn shared_note(hb: &Handbook, text: &str) {
    hb.write(
        "shared-guide/note.md",
        format!("---\ntitle: Shared note\n---\n\n{text}\n"),
    );
}

#[cfg(unix)]
fn link_shared_guide(hb: &Handbook) {
    std::os::unix::fs::symlink("../shared-guide", hb.path("content/guide-link"))
        .expect("make the link");
}

#[cfg(unix)]
#[test]
fn edits_in_a_linked_folder_show() {
    let hb = Handbook::fixture("basic");
    shared_note(&hb, "Written before serving.");
    link_shared_guide(&hb);
    let serve = Serve::start(&hb.root);
    wait_for_text(&serve, "/guide-link/note/", "Written before serving.");
    shared_note(&hb, "Saved in the linked folder.");
    wait_for_text(&serve, "/guide-link/note/", "Saved in the linked folder.");
}

#[cfg(unix)]
#[test]
fn edits_in_a_folder_linked_while_serving_show() {
    let hb = Handbook::fixture("basic");
    shared_note(&hb, "Written before the link.");
    let serve = Serve::start(&hb.root);
    link_shared_guide(&hb);
    wait_for_text(&serve, "/guide-link/note/", "Written before the link.");
    // Before the fix, the link's target was never watched: this edit
    // showed only after some unrelated save.
    shared_note(&hb, "Saved after the link was made.");
    wait_for_text(
        &serve,
        "/guide-link/note/",
        "Saved after the link was made.",
    );
}

#[cfg(unix)]
#[test]
fn a_linked_folder_made_anew_is_watched_again() {
    let hb = Handbook::fixture("basic");
    shared_note(&hb, "The first folder.");
    link_shared_guide(&hb);
    let serve = Serve::start(&hb.root);
    wait_for_text(&serve, "/guide-link/note/", "The first folder.");
    // As a `git checkout` or a copy over it does: the folder replaced.
    std::fs::remove_dir_all(hb.path("shared-guide")).expect("remove the folder");
    shared_note(&hb, "The folder made anew.");
    wait_for_text(&serve, "/guide-link/note/", "The folder made anew.");
    shared_note(&hb, "Saved in the new folder.");
    wait_for_text(&serve, "/guide-link/note/", "Saved in the new folder.");
}
