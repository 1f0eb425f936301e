//! The watcher of `esiin serve`, run the way the README runs it: from
//! inside the handbook folder, without `--root`.

use crate::common;

use std::time::{Duration, Instant};

use common::Handbook;
use common::serve::Serve;

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
