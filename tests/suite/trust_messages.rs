//! Issue #10, rule 9: every message is located and says what to write
//! instead. Each test builds the good fixture, breaks one thing the way an
//! editor would, and asserts the exact first line (`file:line:col:
//! message`), the caret, the `help:` line, the exit status, and that the
//! previous output was left byte for byte. (Every run of the binary also
//! checks that each diagnostic it prints has a `help:` line:
//! `support::assert_every_diagnostic_has_a_hint`.)

use crate::support;

use support::{Handbook, Run, assert_same_files, broken as fails, snapshot};

/// Asserts that stderr shows `line` (a source line, as in the snippet
/// `N | text`) and under it a caret of `carets` characters starting at
/// column `col`.
fn assert_caret(run: &Run, line: &str, col: usize, carets: usize) {
    let lines: Vec<&str> = run.stderr.lines().collect();
    let Some(i) = lines.iter().position(|l| l.ends_with(line)) else {
        panic!("no snippet line {line:?}\n{}", run.stderr);
    };
    let text_at = lines[i].len() - line.len();
    let want = format!("{}{}", " ".repeat(col - 1), "^".repeat(carets));
    let under = lines
        .get(i + 1)
        .map_or("", |l| l.get(text_at..).unwrap_or(""));
    assert_eq!(under.trim_end(), want, "the caret\n{}", run.stderr);
}

#[test]
fn a_key_written_twice_is_reported_at_its_second_place() {
    let run = fails(|hb| {
        hb.edit(
            "content/experts/aino-virtanen.md",
            "weight: 10\n",
            // Nested keys at other indentations are not the duplicate.
            "extra:\n  since: 2017\n  desk: B4\n  spoken:\n    - fi\ntopics: [go]\nweight: 10\n",
        )
    });
    run.assert_error(
        "content/experts/aino-virtanen.md:20:1: `topics` is written twice",
        Some("keep one `topics:` and merge the values into it"),
    );
    assert_caret(&run, "topics: [go]", 1, 6);
    assert_eq!(run.error_count(), 1, "{}", run.stderr);
    crate::assert_diagnostics!(run);
}

#[test]
fn a_key_written_twice_in_handbook_yaml_is_located_too() {
    let run = fails(|hb| {
        let text = hb.read("handbook.yaml");
        hb.write("handbook.yaml", format!("{text}language: fi\n"));
    });
    run.assert_error(
        "handbook.yaml:5:1: `language` is written twice",
        Some("keep one `language:` and merge the values into it"),
    );
    crate::assert_diagnostics!(run);
}

#[test]
fn a_negative_duration_is_explained_at_the_value() {
    let run = fails(|hb| {
        hb.edit(
            "content/training/basics.md",
            "duration: 3h",
            "duration: -180",
        )
    });
    run.assert_error(
        "content/training/basics.md:5:11: invalid duration `-180`: \
         `duration` is a number of minutes, 0 or more",
        Some("write minutes (`90`) or text like `2h`, `90min`, `1h 30min`"),
    );
    assert_caret(&run, "duration: -180", 11, 4);
    crate::assert_diagnostics!(run);
}

#[test]
fn a_duration_of_the_wrong_type_is_explained_at_the_value() {
    let run = fails(|hb| {
        hb.edit(
            "content/training/basics.md",
            "duration: 3h",
            "duration: 1.5",
        )
    });
    run.assert_error(
        "content/training/basics.md:5:11: invalid duration `1.5`: \
         `duration` is a whole number of minutes",
        Some("write minutes (`90`) or text like `2h`, `90min`, `1h 30min`"),
    );
    crate::assert_diagnostics!(run);
}

#[test]
fn a_byte_order_mark_in_handbook_yaml_is_harmless() {
    let hb = Handbook::fixture("basic");
    hb.build_ok();
    let before = snapshot(&hb.public());
    let text = hb.read("handbook.yaml");
    hb.write("handbook.yaml", format!("\u{feff}{text}"));
    let run = hb.build_ok();
    assert!(!run.stderr.contains("error"), "{}", run.stderr);
    // The settings were read, not skipped: the same site as without it.
    assert_same_files(
        &before,
        &snapshot(&hb.public()),
        "a byte-order mark changed the site",
    );
}

#[test]
fn a_missing_include_names_the_template_file_and_line() {
    let run = fails(|hb| {
        hb.write(
            "templates/page.html",
            "<p>{{ page.title }}</p>\n<aside>{% include \"sidebar.html\" %}</aside>\n",
        )
    });
    run.assert_error(
        "templates/page.html:2:19: template error: unknown template `sidebar.html`",
        Some(
            "create `templates/sidebar.html` in the handbook, or name one of the theme's templates",
        ),
    );
    assert_caret(
        &run,
        "<aside>{% include \"sidebar.html\" %}</aside>",
        19,
        14,
    );
    crate::assert_diagnostics!(run);
}

#[test]
fn an_unknown_filter_names_the_template_file_and_line() {
    let run = fails(|hb| {
        hb.write(
            "templates/page.html",
            "<p>\n{{ page.title | uppper }}\n{{ page.title | shout }}</p>\n",
        )
    });
    run.assert_error(
        "templates/page.html:2:17: template error: unknown filter `uppper`",
        Some("did you mean `upper`?"),
    );
    // Both unknown filters at once, each at its place.
    run.assert_error(
        "templates/page.html:3:17: template error: unknown filter `shout`",
        None,
    );
    assert_eq!(run.error_count(), 2, "{}", run.stderr);
    crate::assert_diagnostics!(run);
}

#[test]
fn a_template_that_extends_itself_names_the_file_and_line() {
    // An override cannot extend the theme's file it replaces.
    let run = fails(|hb| {
        hb.write(
            "templates/page.html",
            "{% extends \"page.html\" %}\n{% block content %}x{% endblock %}\n",
        )
    });
    run.assert_error(
        "templates/page.html:1:13: template `page.html` extends itself: page.html → page.html",
        Some(
            "make one of them extend another template, such as `base.html`; a file in \
             `templates/` replaces the theme's file of the same name, so it cannot extend it",
        ),
    );
    assert_caret(&run, "{% extends \"page.html\" %}", 13, 9);
    crate::assert_diagnostics!(run);
}

#[test]
fn templates_that_extend_each_other_name_the_file_and_line() {
    let run = fails(|hb| {
        hb.write("templates/a.html", "{% extends \"b.html\" %}\n");
        hb.write("templates/b.html", "{% extends \"a.html\" %}\n");
    });
    run.assert_error(
        "templates/a.html:1:13: template `a.html` extends itself: a.html → b.html → a.html",
        None,
    );
    crate::assert_diagnostics!(run);
}

#[test]
fn a_missing_parent_template_is_suggested() {
    let run = fails(|hb| hb.write("templates/page.html", "{% extends \"bse.html\" %}\n"));
    run.assert_error(
        "templates/page.html:1:13: template `page.html` extends `bse.html`, which does not exist",
        Some("did you mean `base.html`?"),
    );
    crate::assert_diagnostics!(run);
}

#[test]
fn a_missing_content_folder_is_said_without_an_empty_location() {
    let hb = Handbook::fixture("basic");
    hb.build_ok();
    let before = snapshot(&hb.public());
    std::fs::rename(hb.path("content"), hb.outer().join("content-moved"))
        .expect("move content/ away");
    let run = hb.esiin(&["build"]);
    run.assert_failed();
    run.assert_error("there is no `content/` folder", None);
    assert!(!run.stderr.contains("error: :"), "{}", run.stderr);
    let help = format!(
        "= help: create `content/_index.md` in `{}`, or pass `--root` pointing at the handbook",
        hb.root.display()
    );
    assert!(
        run.stderr.lines().any(|l| l.trim_start() == help),
        "{}",
        run.stderr
    );
    assert_same_files(
        &before,
        &snapshot(&hb.public()),
        "a failed build changed the output",
    );
    hb.assert_no_staging_left();
    crate::assert_diagnostics!(run);
}

#[test]
fn a_value_of_the_wrong_type_is_named_in_an_editors_words() {
    let run = fails(|hb| hb.edit("content/training/basics.md", "seats: 8", "seats: -1"));
    run.assert_error(
        "content/training/basics.md:26:12: `sessions[1].seats` must be a whole number, 0 or more, \
         not the number `-1`",
        Some("write a whole number, 0 or more, such as `10`"),
    );
    assert_caret(&run, "    seats: -1", 12, 2);
    crate::assert_diagnostics!(run);
}

#[test]
fn a_second_document_in_handbook_yaml_is_located_at_its_marker() {
    let run = fails(|hb| {
        let text = hb.read("handbook.yaml");
        hb.write("handbook.yaml", format!("{text}---\nsearch: false\n"));
    });
    run.assert_error(
        "handbook.yaml:5:1: the YAML holds more than one document (a line that is only `---` inside it)",
        Some("remove the `---` line, or quote it if it is part of a value"),
    );
    crate::assert_diagnostics!(run);
}

#[test]
fn an_image_linking_to_a_missing_heading_is_located() {
    let run = fails(|hb| {
        let text = hb.read("content/guide/writing.md");
        hb.write(
            "content/guide/writing.md",
            format!("{text}\n![chart](../plan.md#nope)\n"),
        );
    });
    run.assert_error(
        "content/guide/writing.md:40:10: the link `../plan.md#nope` points to a heading \
         `content/plan.md` does not have",
        Some(
            "its headings are: #how-we-measure, #näkyvyys-ja-tavoitteet; its other ids: \
             #site-search, #site-search-input, #site-search-results, #site-search-status, #site-nav, \
             #main, #in-path-1-title, #in-path-1-progress, #plan-facts-title, #goals-title, \
             #goal-blog-visitors, #goal-blog-visitors-title, #goal-draft-to-published, \
             #goal-draft-to-published-title, #toc-title",
        ),
    );
    crate::assert_diagnostics!(run);
}

#[test]
fn a_missing_theme_is_located_at_its_key() {
    let run = fails(|hb| {
        let config = hb.read("handbook.yaml");
        hb.write("handbook.yaml", format!("{config}theme: nope\n"));
    });
    run.assert_error(
        "handbook.yaml:5:1: the theme `nope` does not exist",
        Some("create `themes/nope/templates/`, or remove `theme:` to use the built-in theme"),
    );
    crate::assert_diagnostics!(run);
}
