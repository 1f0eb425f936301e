//! Scale (issue #10, rule 5): no input makes a build cost more than its
//! size times a constant. An expert with 10,000 topics and a page with
//! 10,000 tags build, into output that grows linearly; warnings on one long
//! line stay short; a title too long to repeat on every page is refused.
//!
//! No timings are asserted (machines differ); sizes are, since the
//! quadratic steps were quadratic in what they kept and wrote.

use crate::support::{Handbook, broken, snapshot};

/// Every byte under `dir`.
fn total_size(dir: &std::path::Path) -> u64 {
    snapshot(dir).values().map(|v| v.len() as u64).sum()
}

#[test]
fn ten_thousand_topics_and_ten_thousand_tags_build_in_linear_space() {
    let hb = Handbook::empty("wide");
    esiin::testgen::generate_wide(&hb.root, 10_000, 10_000).expect("generate the handbook");
    let run = hb.build_ok();
    hb.assert_no_staging_left();

    // A page per topic and per tag: 20,000 pages of about 5.5 kB each
    // (the theme's page around a card). With the expert's whole topic list
    // in every card it was 10,000 pages x 10,000 topics.
    let size = total_size(&hb.public());
    assert!(size < 20_000 * 8_000, "the output is {size} bytes");

    // The card on a topic page shows five topics and the count of the rest.
    let topic = hb.page("experts/topics/topic-9999/index.html");
    assert!(topic.contains("+9995 more"), "{topic}");
    assert!(!topic.contains(">topic 5<"), "{topic}");
    // The expert's own page has every topic.
    let profile = hb.page("experts/wide/index.html");
    assert!(profile.contains("topic 9999"));

    // One warning per uncovered tag, each a few lines.
    assert!(run.stderr.contains(
        "warning: content/guide/wide.md:10004:5: expertise gap: no listed expert covers `tag 9999` (1 page names it)"
    ), "{}", &run.stderr[..2000.min(run.stderr.len())]);
    assert!(
        run.stderr.len() < 10_000 * 500,
        "{} bytes of warnings",
        run.stderr.len()
    );
}

#[test]
fn warnings_on_one_long_line_show_only_its_neighbourhood() {
    let hb = Handbook::fixture("basic");
    let tags: Vec<String> = (0..2_000).map(|k| format!("t{k}")).collect();
    let list = tags.join(", ");
    hb.write(
        "content/guide/tagged.md",
        format!("---\ntitle: Tagged\ntags: [{list}]\n---\nBody.\n"),
    );
    let run = hb.build_ok();
    let col = "tags: [".len() + tags[..1_500].iter().map(|t| t.len() + 2).sum::<usize>() + 1;
    let want = format!(
        "warning: content/guide/tagged.md:3:{col}: expertise gap: no listed expert covers `t1500` (1 page names it)"
    );
    assert!(run.stderr.contains(&want), "no line\n  {want}");
    // The snippet under it marks `t1500` in a window of the line.
    let after = &run.stderr[run.stderr.find(&want).unwrap_or(0)..];
    let snippet: Vec<&str> = after.lines().take(6).collect();
    let source = snippet
        .iter()
        .find(|l| l.contains("t1499, t1500, t1501"))
        .copied();
    let caret = snippet.iter().find(|l| l.contains("^^^^^")).copied();
    // Columns in characters: the snippet starts with `…`.
    let column = |line: &str, pattern: &str| line.find(pattern).map(|i| line[..i].chars().count());
    match (source, caret) {
        (Some(source), Some(caret)) => {
            assert_eq!(
                column(source, "t1500"),
                column(caret, "^"),
                "{}",
                snippet.join("\n")
            );
        }
        _ => panic!("no snippet with a caret:\n{}", snippet.join("\n")),
    }
    // Every line of the output is short, however long the source line.
    let longest = run.stderr.lines().map(str::len).max().unwrap_or(0);
    assert!(longest < 400, "a line of {longest} bytes");
}

#[test]
fn a_title_over_a_thousand_characters_is_an_error() {
    broken(|hb| {
        let title = "Ä".repeat(1_001);
        hb.write(
            "content/guide/long.md",
            format!("---\ndescription: Long.\ntitle: {title}\n---\nBody.\n"),
        );
    })
    .assert_error(
        "content/guide/long.md:3:1: the title is 1001 characters long; at most 1000 are allowed",
        Some("shorten the title; put the rest in `description:` or the body"),
    );
}

#[test]
fn a_site_title_over_a_thousand_characters_is_an_error() {
    broken(|hb| {
        hb.edit(
            "handbook.yaml",
            "title: Test Handbook",
            &format!("title: {}", "x".repeat(5_000)),
        );
    })
    .assert_error(
        "handbook.yaml:1:1: the title is 5000 characters long; at most 1000 are allowed",
        Some("shorten the site title"),
    );
}

#[test]
fn a_tag_too_long_to_name_a_folder_is_an_error() {
    broken(|hb| {
        let tag = "a".repeat(300);
        hb.edit(
            "content/guide/writing.md",
            "tags: [writing]",
            &format!("tags: [writing, {tag}]"),
        );
    })
    .assert_error(
        "content/guide/writing.md:5:17: the tag is 300 characters long; at most 60 are allowed",
        Some("a tag names a topic, which gets a page named after it: shorten it"),
    );
}

#[test]
fn a_description_over_a_thousand_characters_is_an_error() {
    broken(|hb| {
        hb.edit(
            "content/guide/writing.md",
            "description: From idea to published post.",
            &format!("description: {}", "word ".repeat(300)),
        );
    })
    .assert_error(
        "content/guide/writing.md:3:1: `description` is 1499 characters long; at most 1000 are allowed",
        Some("shorten it: it is shown on every card of the page; put the rest in the body"),
    );
}
