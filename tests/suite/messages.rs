//! Messages in an editor's words (issue #11): each bad input an editor
//! writes gets what is wrong and what to write, not the parser's wording
//! (`expected f64`, `unknown variant`, `did not find expected key`), and
//! a failed build leaves the previous output whole. Links may also name
//! any id the target page's HTML carries, not only its headings.

use crate::support;

use support::{Handbook, Run, broken};

fn only_one(run: &Run) {
    assert_eq!(run.error_count(), 1, "{}", run.stderr);
}

#[test]
fn a_number_is_asked_for_with_examples() {
    let run = broken(|hb| hb.edit("content/plan.md", "baseline: 1200", "baseline: twelve"));
    run.assert_error(
        "content/plan.md:15:15: `goals[0].baseline` must be a number, not the text \"twelve\"",
        Some("write a number, like 12 or 4.5"),
    );
    only_one(&run);
    crate::assert_diagnostics!(run);
}

#[test]
fn an_unknown_format_lists_the_formats() {
    let run = broken(|hb| {
        hb.edit(
            "content/training/advanced.md",
            "format: clinic",
            "format: webinar",
        )
    });
    run.assert_error(
        "content/training/advanced.md:4:9: `format` must be one of: workshop, clinic, \
         coaching, talk, self-study, not `webinar`",
        Some("write one of: workshop, clinic, coaching, talk, self-study"),
    );
    assert!(
        run.stderr
            .contains("format: webinar\n  |         ^^^^^^^\n")
    );
    only_one(&run);
    crate::assert_diagnostics!(run);
}

#[test]
fn a_misspelt_format_gets_the_nearest() {
    let run = broken(|hb| {
        hb.edit(
            "content/training/advanced.md",
            "format: clinic",
            "format: workshp",
        )
    });
    run.assert_error(
        "content/training/advanced.md:4:9: `format` must be one of: workshop, clinic, \
         coaching, talk, self-study, not `workshp`",
        Some("did you mean `workshop`?"),
    );
    crate::assert_diagnostics!(run);
}

#[test]
fn a_negative_count_asks_for_a_whole_number() {
    let run = broken(|hb| hb.edit("content/training/basics.md", "seats: 10", "seats: -1"));
    run.assert_error(
        "content/training/basics.md:22:12: `sessions[0].seats` must be a whole number, 0 or \
         more, not the number `-1`",
        Some("write a whole number, 0 or more, such as `10`"),
    );
    crate::assert_diagnostics!(run);
}

#[test]
fn a_field_indented_too_little_names_what_it_should_line_up_with() {
    let run = broken(|hb| {
        hb.edit(
            "content/training/basics.md",
            "    location: Tampere, room Näsi",
            "   location: Tampere, room Näsi",
        )
    });
    run.assert_error(
        "content/training/basics.md:20:4: misaligned line: `location:` is indented 3 spaces, \
         but `end:` above it is indented 4 spaces",
        Some("indent it like `end:`, with 4 spaces: `    location: Tampere, room Näsi`"),
    );
    only_one(&run);
    crate::assert_diagnostics!(run);
}

#[test]
fn a_list_item_indented_too_little_names_the_item_above() {
    let run = broken(|hb| {
        hb.edit(
            "content/training/basics.md",
            "  - start: 2026-03-12T09:00:00+02:00",
            " - start: 2026-03-12T09:00:00+02:00",
        )
    });
    run.assert_error(
        "content/training/basics.md:23:2: misaligned line: `- start:` is indented 1 space, \
         but `- start:` above it is indented 2 spaces",
        Some("indent it like `- start:`, with 2 spaces: `  - start: 2026-03-12T09:00:00+02:00`"),
    );
    crate::assert_diagnostics!(run);
}

#[test]
fn a_field_indented_too_much_names_what_it_should_line_up_with() {
    let run = broken(|hb| {
        hb.edit(
            "content/training/basics.md",
            "    seats: 8",
            "     seats: 8",
        )
    });
    run.assert_error(
        "content/training/basics.md:26:6: misaligned line: `seats:` is indented 5 spaces, \
         but `location:` above it is indented 4 spaces",
        Some("indent it like `location:`, with 4 spaces: `    seats: 8`"),
    );
    crate::assert_diagnostics!(run);
}

#[test]
fn a_field_without_its_colon_is_shown_with_one() {
    let run = broken(|hb| {
        hb.edit(
            "content/training/basics.md",
            "level: Beginner",
            "level Beginner",
        )
    });
    run.assert_error(
        "content/training/basics.md:7:1: `level Beginner` has no `:` after the field name",
        Some("write a colon and a space after the field name: `level: Beginner`"),
    );
    only_one(&run);
    crate::assert_diagnostics!(run);
}

#[test]
fn a_misspelt_kind_is_one_error() {
    let run = broken(|hb| {
        hb.edit(
            "content/experts/mari-oksanen.md",
            "title:",
            "kind: expret\ntitle:",
        )
    });
    run.assert_error(
        "content/experts/mari-oksanen.md:2:7: unknown kind `expret`",
        Some("did you mean `expert`?"),
    );
    only_one(&run);
    crate::assert_diagnostics!(run);
}

#[test]
fn a_field_of_another_kind_names_that_kind_not_a_near_name() {
    let run = broken(|hb| hb.edit("content/guide/writing.md", "title:", "team: Sales\ntitle:"));
    run.assert_error(
        "content/guide/writing.md:2:1: unknown field `team` for a page of kind `page`",
        Some("`team` is a field of kind `expert`; set `kind: expert` or remove the field"),
    );
    crate::assert_diagnostics!(run);
}

#[test]
fn a_key_written_twice_is_shown_at_its_second_place() {
    let run = broken(|hb| {
        hb.edit(
            "content/training/basics.md",
            "    seats: 10\n",
            "    seats: 10\n    seats: 11\n",
        )
    });
    run.assert_error(
        "content/training/basics.md:23:5: `seats` is written twice",
        Some("keep one `seats:` and merge the values into it"),
    );
    crate::assert_diagnostics!(run);
}

#[test]
fn too_many_alike_rules_are_counted_not_one_blamed() {
    let rule = "Ask before you post a photo taken at the office, at a customer's site or at \
                an event, and check that no screen or badge in it shows a secret";
    let rules: String = (0..14)
        .map(|_| format!("  - do: {rule}\n    dont: {rule}\n"))
        .collect();
    let run = broken(|hb| {
        hb.write(
            "content/guidelines.md",
            format!("---\ntitle: Guidelines\nkind: guidelines\nrules:\n{rules}---\n"),
        )
    });
    run.assert_error(
        "content/guidelines.md:4:1: 14 rules: at most 10 fit on one image (the A4 guidelines \
         poster), even at the smallest readable type size",
        Some(
            "keep 10 rules or fewer: merge related rules, or move the rest into the page's \
             text (a poster is read at a glance)",
        ),
    );
    assert!(!run.stderr.contains("too long"), "{}", run.stderr);
    crate::assert_diagnostics!(run);
}

#[test]
fn one_page_is_one_page() {
    let hb = Handbook::empty("one-page");
    hb.write("content/_index.md", "---\ntitle: Home\n---\nHello.\n");
    let run = hb.build_ok();
    assert!(run.stderr.contains("built 1 page ("), "{}", run.stderr);
    let run = hb.esiin(&["check"]);
    assert!(
        run.stderr.contains("checked 1 page: no errors"),
        "{}",
        run.stderr
    );
}

/// `#sessions` is written by the module template, not by a heading.
const TO_SESSIONS: &str = "See the [sessions](training/basics.md#sessions).";

#[test]
fn a_link_may_target_an_id_the_template_writes() {
    let hb = Handbook::fixture("basic");
    hb.edit(
        "content/plan.md",
        "Monthly, from the blog's statistics.",
        TO_SESSIONS,
    );
    hb.build_ok();
    assert!(
        hb.page("plan/index.html")
            .contains("training/basics/#sessions\""),
        "the link is written"
    );
}

#[test]
fn a_link_to_a_misspelt_template_id_gets_the_nearest() {
    let run = broken(|hb| {
        hb.edit(
            "content/plan.md",
            "Monthly, from the blog's statistics.",
            &TO_SESSIONS.replace("#sessions", "#sesions"),
        )
    });
    run.assert_error(
        "content/plan.md:37:20: the link `training/basics.md#sesions` points to a heading \
         `content/training/basics.md` does not have",
        Some("did you mean `#sessions`?"),
    );
    only_one(&run);
    crate::assert_diagnostics!(run);
}

#[test]
fn a_link_to_a_missing_id_lists_headings_then_ids() {
    let run = broken(|hb| {
        hb.edit(
            "content/guide/writing.md",
            "(../plan.md#näkyvyys-ja-tavoitteet)",
            "(../plan.md#budget-table)",
        )
    });
    run.assert_error(
        "content/guide/writing.md:9:13: the link `../plan.md#budget-table` points to a heading \
         `content/plan.md` does not have",
        Some(
            "its headings are: #how-we-measure, #näkyvyys-ja-tavoitteet; its other ids: \
             #site-search, #site-search-input, #site-search-results, #site-search-status, #site-nav, \
             #main, #in-path-1-title, #in-path-1-progress, #plan-facts-title, #goals-title, \
             #goal-blog-visitors, #goal-blog-visitors-title, #goal-draft-to-published, \
             #goal-draft-to-published-title, #toc-title",
        ),
    );
    only_one(&run);
    crate::assert_diagnostics!(run);
}
