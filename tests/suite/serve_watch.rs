//! The watcher of `esiin serve`, run the way the README runs it: from
//! inside the handbook folder, without `--root`.

use crate::support;

use std::time::{Duration, Instant};

use support::Handbook;
use support::serve::Serve;

/// Longest a save may take to show; generous for a loaded CI machine.
const SHOWS_WITHIN: Duration = Duration::from_secs(20);

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
    serve.wait_for_text("/guide/writing/", "A sentence saved while serving.");
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
    serve.wait_for_text("/guide/burst-39/", "Page 39 of the burst.");
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
    serve.wait_for_text("/guide-link/note/", "Written before serving.");
    shared_note(&hb, "Saved in the linked folder.");
    serve.wait_for_text("/guide-link/note/", "Saved in the linked folder.");
}

#[cfg(unix)]
#[test]
fn edits_in_a_folder_linked_while_serving_show() {
    let hb = Handbook::fixture("basic");
    shared_note(&hb, "Written before the link.");
    let serve = Serve::start(&hb.root);
    link_shared_guide(&hb);
    serve.wait_for_text("/guide-link/note/", "Written before the link.");
    // Before the fix, the link's target was never watched: this edit
    // showed only after some unrelated save.
    shared_note(&hb, "Saved after the link was made.");
    serve.wait_for_text("/guide-link/note/", "Saved after the link was made.");
}

#[cfg(unix)]
#[test]
fn a_linked_folder_made_anew_is_watched_again() {
    let hb = Handbook::fixture("basic");
    shared_note(&hb, "The first folder.");
    link_shared_guide(&hb);
    let serve = Serve::start(&hb.root);
    serve.wait_for_text("/guide-link/note/", "The first folder.");
    // As a `git checkout` or a copy over it does: the folder replaced.
    std::fs::remove_dir_all(hb.path("shared-guide")).expect("remove the folder");
    shared_note(&hb, "The folder made anew.");
    serve.wait_for_text("/guide-link/note/", "The folder made anew.");
    shared_note(&hb, "Saved in the new folder.");
    serve.wait_for_text("/guide-link/note/", "Saved in the new folder.");
}

/// Polls `path` until it is not served.
fn wait_for_gone(serve: &Serve, path: &str) {
    let start = Instant::now();
    while serve.get(path).0 == 200 {
        if start.elapsed() > SHOWS_WITHIN {
            serve.unreachable(&format!("{path} is still served"));
        }
        std::thread::sleep(Duration::from_millis(25));
    }
}

/// An edit alone is rebuilt without walking the handbook (the watcher
/// hands the saved file to the build); a page made or removed in the same
/// burst as an edit must still be seen: such a burst walks.
#[test]
fn a_page_made_and_one_removed_right_after_an_edit_are_seen() {
    let hb = Handbook::fixture("basic");
    let serve = Serve::start(&hb.root);
    hb.edit(
        "content/guide/writing.md",
        "## Example",
        "The first edit.\n\n## Example",
    );
    serve.wait_for_text("/guide/writing/", "The first edit.");
    serve.wait_for_text("/guide/podcast-ideas/", "Not ready yet.");
    hb.edit(
        "content/guide/writing.md",
        "The first edit.",
        "The second edit.",
    );
    hb.write(
        "content/guide/fresh.md",
        "---\ntitle: Fresh\n---\n\nMade right after an edit.\n",
    );
    hb.remove("content/guide/podcast-ideas.md");
    serve.wait_for_text("/guide/fresh/", "Made right after an edit.");
    wait_for_gone(&serve, "/guide/podcast-ideas/");
    serve.wait_for_text("/guide/writing/", "The second edit.");
    // And an edit after them is seen by the next quick rebuild.
    hb.edit("content/guide/fresh.md", "Made right", "Edited right");
    serve.wait_for_text("/guide/fresh/", "Edited right after an edit.");
}

/// A page turned into a symlink to a file outside the handbook, after
/// edits that were rebuilt without a walk, is refused with the error a
/// full build gives, and its target is never served.
#[cfg(unix)]
#[test]
fn a_page_turned_into_a_link_outside_is_refused_as_in_a_build() {
    let hb = Handbook::fixture("basic");
    let outside = hb.outer().join("secret.md");
    std::fs::write(
        &outside,
        "---\ntitle: Secret\n---\n\nNot for the handbook.\n",
    )
    .expect("write a file outside the root");
    let serve = Serve::start(&hb.root);
    for text in ["One edit.", "Another edit."] {
        hb.edit(
            "content/guide/channels/linkedin.md",
            "\n---\n",
            &format!("\n---\n\n{text}\n"),
        );
        serve.wait_for_text("/guide/channels/li/", text);
    }
    hb.remove("content/guide/channels/linkedin.md");
    std::os::unix::fs::symlink(&outside, hb.path("content/guide/channels/linkedin.md"))
        .expect("make the link");
    let built = hb.esiin(&["check"]);
    built.assert_failed();
    let error = built
        .stderr
        .lines()
        .find(|l| l.contains("symlink points outside the handbook"))
        .unwrap_or_else(|| panic!("check names the link: {}", built.stderr))
        .trim()
        .to_string();
    serve.wait_for_line(SHOWS_WITHIN, |l| l.contains(&error));
    let (_, body) = serve.get("/guide/channels/li/");
    assert!(!String::from_utf8_lossy(&body).contains("Not for the handbook."));
    let (_, manifest) = serve.get("/__esiin/manifest");
    let manifest: serde_json::Value = serde_json::from_slice(&manifest).expect("JSON");
    assert_eq!(manifest["errors"], serde_json::json!(1), "{manifest}");
}
