//! The output folder is esiin's alone (issue #10, rules 6 and 7): a build
//! replaces only a folder it wrote (it holds `.esiin-output`) or an empty
//! or absent one, never a link's target; the staging folders of killed
//! builds are cleaned up; and no copied file (`static/`, a page's asset)
//! silently replaces a page or another generated file.

use crate::support;

use std::path::Path;
use support::{Handbook, Run, assert_same_files, snapshot};

/// Builds into `out` (a path relative to the handbook or absolute).
fn build_into(hb: &Handbook, out: &Path) -> Run {
    hb.esiin(&["build", "--output", out.to_str().expect("a UTF-8 path")])
}

#[test]
fn an_unrelated_folder_is_refused_and_left_whole() {
    let hb = Handbook::fixture("basic");
    let docs = hb.outer().join("docs");
    hb.write("../docs/notes.txt", "my notes");
    hb.write("../docs/deep/report.md", "# Report");
    let before = snapshot(hb.outer());
    let run = build_into(&hb, &docs);
    run.assert_failed();
    run.assert_error(
        &format!(
            "`{}` is not a folder esiin wrote: a build would delete its files",
            docs.display()
        ),
        Some(
            "give `--output` a new or empty folder; if an earlier esiin built it, \
             delete it once yourself (builds now leave `.esiin-output` in their output)",
        ),
    );
    assert_same_files(&before, &snapshot(hb.outer()), "a refused build wrote");
    crate::assert_diagnostics!(run);
}

#[test]
fn an_empty_or_absent_folder_is_accepted() {
    let hb = Handbook::fixture("basic");
    let empty = hb.outer().join("empty");
    std::fs::create_dir(&empty).expect("an empty folder");
    build_into(&hb, &empty).assert_ok();
    assert!(empty.join("index.html").is_file());
    let absent = hb.outer().join("new/site");
    build_into(&hb, &absent).assert_ok();
    assert!(absent.join("index.html").is_file());
}

#[test]
fn a_build_replaces_its_own_output() {
    let hb = Handbook::fixture("basic");
    hb.build_ok();
    assert!(hb.public().join(".esiin-output").is_file());
    hb.write("public/stray.txt", "left from an old build");
    hb.build_ok();
    assert!(!hb.public().join("stray.txt").exists());
    assert!(hb.public().join(".esiin-output").is_file());
    hb.assert_no_staging_left();
}

#[cfg(unix)]
#[test]
fn a_linked_output_is_refused_and_its_target_left_whole() {
    let hb = Handbook::fixture("basic");
    let elsewhere = hb.outer().join("elsewhere");
    // Even a folder esiin wrote, reached through a link, is not replaced:
    // the link would be left pointing at what esiin moved away.
    build_into(&hb, &elsewhere).assert_ok();
    hb.write("../elsewhere/mine.txt", "mine");
    std::os::unix::fs::symlink(&elsewhere, hb.public()).expect("a link");
    let before = snapshot(hb.outer());
    let run = hb.esiin(&["build"]);
    run.assert_failed();
    run.assert_error(
        &format!(
            "refusing to write the site to `{}`: it is a symbolic link, \
             and esiin does not replace a folder elsewhere",
            hb.public().display()
        ),
        Some("give the folder itself as `--output`, or remove the link"),
    );
    assert_same_files(&before, &snapshot(hb.outer()), "a refused build wrote");
    assert!(hb.public().is_symlink());
    hb.assert_no_staging_left();
    crate::assert_diagnostics!(run);
}

/// A process id that no longer runs: a child that has exited and been
/// waited for.
fn dead_pid() -> u32 {
    let mut child = std::process::Command::new("true")
        .spawn()
        .expect("run `true`");
    let pid = child.id();
    child.wait().expect("wait for `true`");
    pid
}

#[cfg(target_os = "linux")]
#[test]
fn leftovers_of_killed_builds_are_removed_and_live_ones_kept() {
    let hb = Handbook::fixture("basic");
    let dead = [
        format!(".public.esiin-new-{}", dead_pid()),
        ".public.esiin-new-999999999".to_string(),
        ".public.esiin-new-999999998.old".to_string(),
    ];
    let live = format!(".public.esiin-new-{}", std::process::id());
    for name in dead.iter().chain([&live]) {
        hb.write(&format!("{name}/index.html"), "half a site");
    }
    // A link named like a leftover is not esiin's: neither it nor what it
    // points to is touched.
    hb.write("../keep/precious.txt", "precious");
    let link = hb.path(".public.esiin-new-999999997");
    std::os::unix::fs::symlink(hb.outer().join("keep"), &link).expect("a link");
    hb.build_ok();
    for name in &dead {
        assert!(!hb.path(name).exists(), "{name} was left");
    }
    assert!(
        hb.path(&live).join("index.html").is_file(),
        "a live build's folder went"
    );
    assert!(link.is_symlink());
    assert_eq!(hb.read("../keep/precious.txt"), "precious");
}

/// Builds the basic fixture, adds `files`, and asserts the next build
/// fails with `error` (naming both sources) and leaves the output whole.
fn copied_over(files: &[(&str, &str)], error: &str) -> Run {
    let hb = Handbook::fixture("basic");
    hb.build_ok();
    let before = snapshot(&hb.public());
    for (rel, text) in files {
        hb.write(rel, text);
    }
    let run = hb.esiin(&["build"]);
    run.assert_failed();
    run.assert_error(
        error,
        Some(
            "move or rename this file: a copied file must not stand in for what esiin \
             generates (to change a page, edit its source or its template in `templates/`)",
        ),
    );
    assert_same_files(
        &before,
        &snapshot(&hb.public()),
        "a failed build changed the output",
    );
    hb.assert_no_staging_left();
    hb.esiin(&["check"])
        .assert_failed()
        .assert_error(error, None);
    run
}

#[test]
fn a_static_home_page_is_an_error() {
    copied_over(
        &[("static/index.html", "<h1>mine</h1>")],
        "static/index.html: copied to `/index.html`, it would replace the page of `content/_index.md`",
    );
}

#[test]
fn a_static_page_is_an_error() {
    copied_over(
        &[("static/plan/index.html", "<h1>mine</h1>")],
        "static/plan/index.html: copied to `/plan/index.html`, it would replace the page of \
         `content/plan.md`",
    );
}

#[test]
fn a_static_file_over_a_redirect_is_an_error() {
    copied_over(
        &[("static/old/mastodon/index.html", "<h1>mine</h1>")],
        "static/old/mastodon/index.html: copied to `/old/mastodon/index.html`, it would replace \
         the redirect from `/old/mastodon/` (an alias of `content/guide/channels/mastodon.md`)",
    );
}

#[test]
fn a_static_file_over_a_generated_one_is_an_error() {
    copied_over(
        &[("static/404.html", "<h1>mine</h1>")],
        "static/404.html: copied to `/404.html`, it would replace a file esiin generates",
    );
}

#[test]
fn a_static_file_where_a_page_needs_its_folder_is_an_error() {
    copied_over(
        &[("static/plan", "a file")],
        "static/plan: copied to `/plan`, it would replace the folder of the page of `content/plan.md`",
    );
}

#[test]
fn a_static_file_inside_a_page_is_an_error() {
    copied_over(
        &[("static/plan/index.html/x.css", "a file")],
        "static/plan/index.html/x.css: copied to `/plan/index.html/x.css`, it would replace \
         the page of `content/plan.md`",
    );
}

#[test]
fn a_static_file_and_a_page_asset_at_the_same_place_are_an_error() {
    copied_over(
        &[("static/guide/diagram.png", "another picture")],
        "content/guide/diagram.png: copied to `/guide/diagram.png`, it would replace \
         `static/guide/diagram.png`, copied to the same place",
    );
}

#[test]
fn a_static_file_in_the_search_index_is_an_error() {
    copied_over(
        &[("static/search/pagefind.js", "alert(1)")],
        "static/search/pagefind.js: copied to `/search/pagefind.js`, it would replace the search \
         index esiin writes in `/search/`",
    );
}

#[test]
fn static_files_beside_pages_still_build() {
    let hb = Handbook::fixture("basic");
    hb.write("static/plan/chart.svg", "<svg/>");
    hb.write("static/robots.txt", "User-agent: *");
    hb.build_ok();
    assert_eq!(hb.page("plan/chart.svg"), "<svg/>");
    assert!(hb.page("plan/index.html").contains("<html"));
}
