//! `esiin new [KIND] PATH`: a new page with every field of its kind,
//! commented, that builds; never overwrites, never writes outside
//! `content/`.

use crate::support::{Handbook, Run, snapshot};

/// The field names `esiin fields KIND` lists (its own, the common ones
/// and its records').
fn reference_names(hb: &Handbook, kind: &str) -> Vec<String> {
    let run = hb.esiin(&["fields", kind]);
    run.assert_ok();
    run.stdout
        .lines()
        .filter_map(|l| l.strip_prefix("| `")?.split_once("` |"))
        .map(|(name, _)| name.to_string())
        .collect()
}

fn warnings(run: &Run) -> usize {
    run.stderr
        .lines()
        .filter(|l| l.starts_with("warning: "))
        .count()
}

#[test]
fn a_new_page_of_every_kind_has_every_field_and_builds_clean() {
    let cases = [
        (
            &["new", "expert", "experts/liisa-korhonen"][..],
            "content/experts/liisa-korhonen.md",
        ),
        (
            &["new", "module", "training/storytelling"][..],
            "content/training/storytelling.md",
        ),
        (
            &["new", "page", "guide/meetups"][..],
            "content/guide/meetups.md",
        ),
        (&["new", "plan", "plan-2027"][..], "content/plan-2027.md"),
        (
            &["new", "guidelines", "guide/guidelines-2027"][..],
            "content/guide/guidelines-2027.md",
        ),
        (
            &["new", "path", "onboarding/managers"][..],
            "content/onboarding/managers.md",
        ),
    ];
    for (args, file) in cases {
        let hb = Handbook::fixture("basic");
        let before = warnings(&hb.build_ok());
        let run = hb.esiin(args);
        run.assert_ok();
        assert!(
            run.stderr
                .contains(&format!("wrote {}", hb.path(file).display())),
            "{}",
            run.stderr
        );
        assert!(run.stderr.contains("esiin serve"), "{}", run.stderr);
        let text = hb.read(file);
        for name in reference_names(&hb, args[1]) {
            assert!(
                text.contains(&format!(" {name}:")) || text.contains(&format!("\n{name}:")),
                "{file} has no field `{name}`:\n{text}"
            );
        }
        let build = hb.esiin(&["build"]);
        build.assert_ok();
        assert_eq!(build.error_count(), 0, "{}", build.stderr);
        assert_eq!(
            warnings(&build),
            before,
            "`esiin {}` added warnings:\n{}\n--- {file}\n{text}",
            args.join(" "),
            build.stderr
        );
    }
}

#[test]
fn the_kind_comes_from_the_folder_and_the_title_from_the_file_name() {
    let hb = Handbook::fixture("basic");
    hb.esiin(&["new", "experts/liisa-korhonen"]).assert_ok();
    let text = hb.read("content/experts/liisa-korhonen.md");
    assert!(text.contains("\ntitle: Liisa Korhonen "), "{text}");
    // The folder gives the kind: `kind:` stays a comment.
    assert!(!text.contains("\nkind:"), "{text}");
    assert!(text.contains("\n# kind: expert "), "{text}");
    assert!(text.contains("\n# role: "), "{text}");
    hb.build_ok();
    // Built as an expert: listed in the directory.
    assert!(hb.page("experts/index.html").contains("Liisa Korhonen"));
}

#[test]
fn a_kind_other_than_the_folders_is_written_out() {
    let hb = Handbook::fixture("basic");
    hb.esiin(&["new", "module", "guide/workshop"]).assert_ok();
    let text = hb.read("content/guide/workshop.md");
    assert!(text.contains("\nkind: module "), "{text}");
    hb.build_ok();
}

#[test]
fn the_path_may_name_content_and_md() {
    let hb = Handbook::fixture("basic");
    hb.esiin(&["new", "content/experts/anna-aho.md"])
        .assert_ok();
    hb.esiin(&["new", "experts/eino-aho.md"]).assert_ok();
    hb.esiin(&["new", "page", "guide/new/deeper/notes"])
        .assert_ok();
    for file in [
        "content/experts/anna-aho.md",
        "content/experts/eino-aho.md",
        "content/guide/new/deeper/notes.md",
    ] {
        assert!(hb.path(file).is_file(), "{file} was not written");
    }
    assert!(!hb.path("content/content").exists());
    hb.build_ok();
}

#[test]
fn an_existing_file_is_never_overwritten() {
    let hb = Handbook::fixture("basic");
    let before = snapshot(&hb.path("content"));
    let run = hb.esiin(&["new", "expert", "experts/mari-oksanen"]);
    run.assert_failed();
    run.assert_error(
        "`content/experts/mari-oksanen.md` already exists; it was left as it was",
        Some("choose another name, or edit the file that is there"),
    );
    assert!(before == snapshot(&hb.path("content")), "content/ changed");
    crate::assert_diagnostics!(run);
}

#[test]
fn paths_outside_the_content_folder_are_refused() {
    let hb = Handbook::fixture("basic");
    let before = snapshot(hb.outer());
    for path in ["../outside", "experts/../../outside", "/tmp/esiin-outside"] {
        let run = hb.esiin(&["new", "page", path]);
        run.assert_failed();
        run.assert_error(
            &format!("`{path}` is outside the content folder"),
            Some("give a path inside `content/`, e.g. `experts/mari-oksanen`"),
        );
    }
    assert!(before == snapshot(hb.outer()), "a file was written");
    assert!(!std::path::Path::new("/tmp/esiin-outside.md").exists());
}

#[test]
fn a_folder_without_a_kind_asks_for_one() {
    let hb = Handbook::fixture("basic");
    let run = hb.esiin(&["new", "guide/meetups"]);
    run.assert_failed();
    crate::assert_diagnostics!(run);
    assert!(
        run.stderr.contains(
            "error: the folder of `guide/meetups.md` does not say what kind of page it is"
        ),
        "{}",
        run.stderr
    );
    assert!(
        run.stderr
            .contains("write the kind first, one of: page, expert, module, plan, guidelines, path"),
        "{}",
        run.stderr
    );
    assert!(!hb.path("content/guide/meetups.md").exists());
    let run = hb.esiin(&["new", "person", "experts/x"]);
    run.assert_failed();
    run.assert_error("unknown kind `person`", None);
}

#[test]
fn without_a_content_folder_nothing_is_written() {
    let hb = Handbook::empty("new-empty");
    let run = hb.esiin(&["new", "page", "about"]);
    run.assert_failed();
    assert!(
        run.stderr.contains("there is no `content/` folder"),
        "{}",
        run.stderr
    );
    assert!(!hb.path("content").exists());
}

#[cfg(unix)]
#[test]
fn a_folder_linked_out_of_content_is_refused() {
    let hb = Handbook::fixture("basic");
    let away = hb.outer().join("away");
    std::fs::create_dir_all(&away).expect("mkdir");
    std::os::unix::fs::symlink(&away, hb.path("content/linked")).expect("symlink");
    let run = hb.esiin(&["new", "page", "linked/x"]);
    run.assert_failed();
    run.assert_error(
        "`content/linked/x.md` leads outside the content folder",
        Some("a folder on the way is a link out of `content/`: choose another folder"),
    );
    assert!(std::fs::read_dir(&away).expect("away").next().is_none());
}

#[test]
fn a_sections_own_page_is_a_page() {
    let hb = Handbook::fixture("basic");
    hb.esiin(&["new", "experts/seniors/_index"]).assert_ok();
    let text = hb.read("content/experts/seniors/_index.md");
    assert!(text.contains("\ntitle: Seniors "), "{text}");
    assert!(!text.contains("role:"), "{text}");
    let run = hb.esiin(&["new", "module", "training/advanced/_index"]);
    run.assert_failed();
    run.assert_error(
        "`training/advanced/_index.md` is a section's own page, which cannot be of kind `module`",
        None,
    );
    hb.build_ok();
}
