//! Bad input: every test builds the good fixture, breaks one thing, builds
//! again and asserts that the build fails with status 1, names the file,
//! line and column with a message and a hint, and leaves the previous
//! output exactly as it was.

use crate::support;

use support::{Handbook, Run, assert_same_files, broken, snapshot};

/// Asserts the run reported exactly one error: the one the test is about,
/// not others that follow from it.
fn only_one(run: &Run) {
    assert!(
        run.stderr.contains("build failed: 1 error;"),
        "expected exactly one error\n{}",
        run.stderr
    );
}

#[test]
fn broken_yaml_indentation() {
    let run = broken(|hb| {
        hb.edit(
            "content/experts/aino-virtanen.md",
            "  - Running Kubernetes in production\n",
            "  - Running Kubernetes in production\n - Rust\n",
        )
    });
    run.assert_error(
        "content/experts/aino-virtanen.md:10:2: misaligned line: the list item `- Rust` is \
         indented 1 space, but the list item `- Running Kubernetes in …` above it is indented 2 spaces",
        Some("indent it like the list item `- Running Kubernetes in …`, with 2 spaces: `  - Rust`"),
    );
    assert!(
        run.stderr.contains("10 |  - Rust"),
        "the snippet shows the line:\n{}",
        run.stderr
    );
    only_one(&run);
    crate::assert_diagnostics!(run);
}

#[test]
fn unknown_front_matter_field() {
    let run = broken(|hb| hb.edit("content/experts/aino-virtanen.md", "topics:", "topcis:"));
    run.assert_error(
        "content/experts/aino-virtanen.md:7:1: unknown field `topcis` for a page of kind `expert`",
        Some("did you mean `topics`?"),
    );
    assert!(
        run.stderr.contains("7 | topcis: [rust, kubernetes]"),
        "{}",
        run.stderr
    );
    assert!(
        run.stderr.contains("^^^^^^"),
        "the caret marks the field:\n{}",
        run.stderr
    );
    // The page's other references are not reported as broken because of it.
    only_one(&run);
    crate::assert_diagnostics!(run);
}

#[test]
fn a_field_of_another_kind() {
    let run = broken(|hb| {
        hb.edit(
            "content/guide/writing.md",
            "tags: [writing]\n",
            "tags: [writing]\nsessions: []\n",
        )
    });
    run.assert_error(
        "content/guide/writing.md:6:1: unknown field `sessions` for a page of kind `page`",
        Some("`sessions` is a field of kind `module`; set `kind: module` or remove the field"),
    );
    only_one(&run);
    crate::assert_diagnostics!(run);
}

#[test]
fn unknown_handbook_yaml_key() {
    let run = broken(|hb| hb.edit("handbook.yaml", "timezone:", "timezon:"));
    run.assert_error(
        "handbook.yaml:4:1: unknown field `timezon`",
        Some("did you mean `timezone`?"),
    );
    assert!(
        run.stderr.contains("4 | timezon: Europe/Helsinki"),
        "{}",
        run.stderr
    );
    assert!(
        run.stderr.contains("  | ^^^^^^^\n"),
        "the caret marks the key:\n{}",
        run.stderr
    );
    only_one(&run);
    crate::assert_diagnostics!(run);
}

#[test]
fn unknown_time_zone() {
    let run = broken(|hb| hb.edit("handbook.yaml", "Europe/Helsinki", "Europe/Helsingfors"));
    run.assert_error(
        "handbook.yaml:4:1: unknown time zone `Europe/Helsingfors`",
        Some("write an IANA time zone name, e.g. `Europe/Helsinki` or `UTC`"),
    );
    crate::assert_diagnostics!(run);
}

#[test]
fn missing_title() {
    let run = broken(|hb| {
        hb.edit(
            "content/guide/channels/linkedin.md",
            "title: LinkedIn\n",
            "",
        )
    });
    run.assert_error(
        "content/guide/channels/linkedin.md:1:1: the page has no title",
        Some("add `title: …` to the front matter"),
    );
    only_one(&run);
    crate::assert_diagnostics!(run);
}

#[test]
fn empty_title() {
    let run = broken(|hb| {
        hb.edit(
            "content/guide/channels/linkedin.md",
            "title: LinkedIn",
            "title: \"  \"",
        )
    });
    run.assert_error(
        "content/guide/channels/linkedin.md:2:1: the page has no title",
        Some("add `title: …` to the front matter"),
    );
    crate::assert_diagnostics!(run);
}

#[test]
fn no_front_matter() {
    let run = broken(|hb| hb.write("content/guide/readme.md", "# Just Markdown\n"));
    run.assert_error(
        "content/guide/readme.md:1:1: the page has no front matter",
        Some("start the file with a `---` line, then `title: …`, then another `---` line"),
    );
    crate::assert_diagnostics!(run);
}

#[test]
fn unknown_kind() {
    let run = broken(|hb| {
        hb.edit(
            "content/guide/channels/linkedin.md",
            "title: LinkedIn\n",
            "title: LinkedIn\nkind: expret\n",
        )
    });
    run.assert_error(
        "content/guide/channels/linkedin.md:3:7: unknown kind `expret`",
        Some("did you mean `expert`?"),
    );
    only_one(&run);
    crate::assert_diagnostics!(run);
}

#[test]
fn invalid_date() {
    let run = broken(|hb| {
        hb.edit(
            "content/guide/writing.md",
            "tags: [writing]\n",
            "tags: [writing]\ndate: 2026-13-01\n",
        )
    });
    run.assert_error(
        "content/guide/writing.md:6:7: invalid date `2026-13-01`",
        Some("write it as YYYY-MM-DD, e.g. 2026-03-31"),
    );
    only_one(&run);
    crate::assert_diagnostics!(run);
}

#[test]
fn invalid_session_date_time() {
    let run = broken(|hb| {
        hb.edit(
            "content/training/basics.md",
            "start: 2026-03-12T09:00:00+02:00",
            "start: 2026-13-12T09:00:00+02:00",
        )
    });
    run.assert_error(
        "content/training/basics.md:23:12: sessions[1]: invalid date-time `2026-13-12T09:00:00+02:00`: there is no month 13",
        Some("write a date that is in the calendar, e.g. 2026-12-31"),
    );
    only_one(&run);
    crate::assert_diagnostics!(run);
}

#[test]
fn trainer_names_a_missing_expert() {
    let run = broken(|hb| {
        hb.edit(
            "content/training/basics.md",
            "trainers: [aino-virtanen]",
            "trainers: [aino-virtanen, nobody]",
        )
    });
    run.assert_error(
        "content/training/basics.md:11:27: `trainers` names no expert `nobody`",
        Some("name an existing expert by its file name without `.md`"),
    );
    only_one(&run);
    crate::assert_diagnostics!(run);
}

#[test]
fn owner_names_a_missing_expert() {
    let run = broken(|hb| {
        hb.edit(
            "content/guide/writing.md",
            "owner: mari-oksanen",
            "owner: mari-oksane",
        )
    });
    run.assert_error(
        "content/guide/writing.md:4:8: `owner` names no expert `mari-oksane`",
        Some("did you mean `mari-oksanen`?"),
    );
    only_one(&run);
    crate::assert_diagnostics!(run);
}

#[test]
fn plan_owner_names_a_missing_expert() {
    let run = broken(|hb| {
        hb.edit(
            "content/plan.md",
            "owners: [aino-virtanen, mari-oksanen]",
            "owners: [aino-virtanen, mari]",
        )
    });
    run.assert_error(
        "content/plan.md:9:25: `owners` names no expert `mari`",
        Some("did you mean `mari-oksanen`?"),
    );
    only_one(&run);
    crate::assert_diagnostics!(run);
}

#[test]
fn a_trainer_that_is_not_an_expert() {
    let run = broken(|hb| {
        hb.edit(
            "content/training/basics.md",
            "trainers: [aino-virtanen]",
            "trainers: [advanced]",
        )
    });
    run.assert_error(
        "content/training/basics.md:11:12: `trainers` names no expert `advanced`",
        None,
    );
    crate::assert_diagnostics!(run);
}

#[test]
fn a_name_inside_a_longer_one_is_located_where_it_stands() {
    let run = broken(|hb| {
        hb.edit(
            "content/training/basics.md",
            "trainers: [aino-virtanen]",
            "trainers: [aino-virtanen, aino]",
        )
    });
    run.assert_error(
        "content/training/basics.md:11:27: `trainers` names no expert `aino`",
        Some("did you mean `aino-virtanen`?"),
    );
    only_one(&run);
    crate::assert_diagnostics!(run);
}

#[test]
fn path_step_with_no_page() {
    let run = broken(|hb| {
        hb.edit(
            "content/onboarding/new-hire.md",
            "page: ../guidelines.md",
            "page: ''",
        )
    });
    run.assert_error(
        "content/onboarding/new-hire.md:8:5: no page is named",
        Some("write a page's id (`guide/finding-your-channel`) or its `.md` path"),
    );
    only_one(&run);
    crate::assert_diagnostics!(run);
}

#[test]
fn missing_prerequisite_module() {
    let run = broken(|hb| {
        hb.edit(
            "content/training/advanced.md",
            "prerequisites: [basics]",
            "prerequisites: [basic]",
        )
    });
    run.assert_error(
        "content/training/advanced.md:6:17: `prerequisites` names no module `basic`",
        Some("did you mean `basics`?"),
    );
    only_one(&run);
    crate::assert_diagnostics!(run);
}

#[test]
fn prerequisite_cycle() {
    let run = broken(|hb| {
        hb.edit(
            "content/training/basics.md",
            "trainers:",
            "prerequisites: [advanced]\ntrainers:",
        )
    });
    run.assert_error(
        "content/training/basics.md:11:17: prerequisites form a cycle: advanced → basics → advanced",
        Some("remove one of these prerequisites so the modules can be taken in some order"),
    );
    only_one(&run);
    crate::assert_diagnostics!(run);
}

#[test]
fn module_is_its_own_prerequisite() {
    let run = broken(|hb| {
        hb.edit(
            "content/training/advanced.md",
            "prerequisites: [basics]",
            "prerequisites: [advanced]",
        )
    });
    run.assert_error(
        "content/training/advanced.md:6:17: a module cannot be its own prerequisite",
        Some("remove it from `prerequisites`"),
    );
    only_one(&run);
    crate::assert_diagnostics!(run);
}

#[test]
fn broken_relative_link() {
    let run = broken(|hb| {
        hb.edit(
            "content/guide/writing.md",
            "[plan](../plan.md)",
            "[plan](../plans.md)",
        )
    });
    run.assert_error(
        "content/guide/writing.md:8:23: the link `../plans.md` points to `content/plans.md`, which does not exist",
        Some("did you mean `@/plan.md`?"),
    );
    assert!(
        run.stderr.contains("^^^^^^^^^^^"),
        "the caret marks the link:\n{}",
        run.stderr
    );
    only_one(&run);
    crate::assert_diagnostics!(run);
}

#[test]
fn broken_content_root_link() {
    let run = broken(|hb| {
        hb.edit(
            "content/guide/writing.md",
            "(@/training/basics.md)",
            "(@/training/basic.md)",
        )
    });
    run.assert_error(
        "content/guide/writing.md:10:10: the link `@/training/basic.md` points to `content/training/basic.md`, which does not exist",
        Some("did you mean `@/training/basics.md`?"),
    );
    only_one(&run);
    crate::assert_diagnostics!(run);
}

#[test]
fn link_to_a_missing_anchor() {
    let run = broken(|hb| {
        hb.edit(
            "content/guide/writing.md",
            "(../plan.md#näkyvyys-ja-tavoitteet)",
            "(../plan.md#nakyvyys-ja-tavoitteet)",
        )
    });
    run.assert_error(
        "content/guide/writing.md:9:13: the link `../plan.md#nakyvyys-ja-tavoitteet` points to a heading `content/plan.md` does not have",
        Some("did you mean `#näkyvyys-ja-tavoitteet`?"),
    );
    only_one(&run);
    crate::assert_diagnostics!(run);
}

#[test]
fn link_to_a_missing_anchor_on_the_same_page() {
    let run = broken(|hb| hb.edit("content/guide/writing.md", "(#example)", "(#exmaple)"));
    run.assert_error(
        "content/guide/writing.md:10:58: the link `#exmaple` points to a heading this page does not have",
        Some("did you mean `#example`?"),
    );
    only_one(&run);
    crate::assert_diagnostics!(run);
}

#[test]
fn material_url_with_a_missing_anchor() {
    let run = broken(|hb| {
        hb.edit(
            "content/training/basics.md",
            "../plan.md#näkyvyys-ja-tavoitteet",
            "../plan.md#goals-2027",
        )
    });
    run.assert_error(
        "content/training/basics.md:16:10: `../plan.md#goals-2027`: `content/plan.md` has no heading `#goals-2027`",
        Some("did you mean `#goals-title`?"),
    );
    only_one(&run);
    crate::assert_diagnostics!(run);
}

#[test]
fn material_url_to_a_missing_page() {
    let run = broken(|hb| {
        hb.edit(
            "content/training/advanced.md",
            "url: basics.md",
            "url: basic.md",
        )
    });
    run.assert_error(
        "content/training/advanced.md:10:10: the link `basic.md` points to `content/training/basic.md`, which does not exist",
        Some("did you mean `basics.md`?"),
    );
    only_one(&run);
    crate::assert_diagnostics!(run);
}

#[test]
fn path_step_to_a_missing_page() {
    let run = broken(|hb| {
        hb.edit(
            "content/onboarding/new-hire.md",
            "page: training/basics",
            "page: training/basic",
        )
    });
    run.assert_error(
        "content/onboarding/new-hire.md:10:11: no page has the id `training/basic`",
        Some("did you mean `training/basics`?"),
    );
    only_one(&run);
    crate::assert_diagnostics!(run);
}

#[test]
fn path_step_to_a_missing_relative_page() {
    let run = broken(|hb| {
        hb.edit(
            "content/onboarding/new-hire.md",
            "page: ../guidelines.md",
            "page: ../guideline.md",
        )
    });
    run.assert_error(
        "content/onboarding/new-hire.md:8:11: the link `../guideline.md` points to `content/guideline.md`, which does not exist",
        Some("did you mean `@/guidelines.md`?"),
    );
    only_one(&run);
    crate::assert_diagnostics!(run);
}

#[test]
fn link_to_a_draft() {
    let run = broken(|hb| {
        hb.edit(
            "content/guide/writing.md",
            "The same heading again.",
            "The same heading again. See [ideas](podcast-ideas.md).",
        )
    });
    run.assert_error(
        "content/guide/writing.md:36:37: the link `podcast-ideas.md` points to a draft (`content/guide/podcast-ideas.md`)",
        Some("publish the page (remove `draft: true`), remove the link, or build with `--drafts`"),
    );
    only_one(&run);
    crate::assert_diagnostics!(run);
}

#[test]
fn link_to_a_draft_builds_with_drafts() {
    let hb = Handbook::fixture("basic");
    hb.edit(
        "content/guide/writing.md",
        "The same heading again.",
        "The same heading again. See [ideas](podcast-ideas.md).",
    );
    hb.esiin(&["build", "--drafts"]).assert_ok();
    assert!(
        hb.page("guide/writing/index.html")
            .contains("href=\"/handbook/guide/podcast-ideas/\"")
    );
}

#[test]
fn path_step_to_a_draft() {
    let run = broken(|hb| {
        hb.edit(
            "content/onboarding/new-hire.md",
            "page: training/basics",
            "page: guide/podcast-ideas",
        )
    });
    run.assert_error(
        "content/onboarding/new-hire.md:10:11: `guide/podcast-ideas` is a draft",
        Some("publish the page (remove `draft: true`), or build with `--drafts`"),
    );
    only_one(&run);
    crate::assert_diagnostics!(run);
}

#[test]
fn invalid_utf8_in_a_page() {
    let run = broken(|hb| {
        let mut bytes = std::fs::read(hb.path("content/guide/channels/linkedin.md")).unwrap();
        bytes.extend_from_slice(b"\nPost \xff once.\n");
        hb.write("content/guide/channels/linkedin.md", bytes);
    });
    run.assert_error(
        "content/guide/channels/linkedin.md:8:6: the file is not valid UTF-8",
        Some("save the file as UTF-8 (in most editors: \"Save with encoding\" → UTF-8)"),
    );
    only_one(&run);
    crate::assert_diagnostics!(run);
}

#[test]
fn two_pages_at_one_url() {
    let run = broken(|hb| {
        hb.write(
            "content/guide/channels/li.md",
            "---\ntitle: Li\n---\n\nAnother page.\n",
        )
    });
    run.assert_error(
        "content/guide/channels/linkedin.md:3:7: two pages are at the URL `/handbook/guide/channels/li/`: \
         this one and `content/guide/channels/li.md`",
        Some("rename one of the files, or give one a different `slug`"),
    );
    run.assert_error(
        "content/guide/channels/li.md:2:1: two pages are at the URL `/handbook/guide/channels/li/`: \
         this one and `content/guide/channels/linkedin.md`",
        Some("rename one of the files, or give one a different `slug`"),
    );
    crate::assert_diagnostics!(run);
}

#[test]
fn an_alias_that_is_a_page() {
    let run = broken(|hb| {
        hb.edit(
            "content/guide/channels/mastodon.md",
            "aliases: [/old/mastodon/,",
            "aliases: [/guide/writing/,",
        )
    });
    run.assert_error(
        "content/guide/channels/mastodon.md:3:11: the alias `/guide/writing/` is already the URL of a page or another alias",
        Some("remove the alias"),
    );
    crate::assert_diagnostics!(run);
}

#[test]
#[cfg(unix)]
fn symlink_loop_in_content() {
    let run = broken(|hb| std::os::unix::fs::symlink("..", hb.path("content/guide/loop")).unwrap());
    run.assert_error(
        "content/guide/loop: symlink loop: this link points back to `content`",
        Some("remove the link or point it outside its own folder"),
    );
    only_one(&run);
    crate::assert_diagnostics!(run);
}

#[test]
fn missing_photo() {
    let run = broken(|hb| {
        hb.edit(
            "content/experts/aino-virtanen.md",
            "photo: aino-virtanen.png",
            "photo: aino.png",
        )
    });
    run.assert_error(
        "content/experts/aino-virtanen.md:5:8: the photo `aino.png` does not exist",
        Some("put the image beside the page and give its file name"),
    );
    only_one(&run);
    crate::assert_diagnostics!(run);
}

#[test]
fn too_many_guideline_rules_for_one_poster() {
    let rules: String = (1..=40)
        .map(|n| format!("  - do: Rule number {n} of far too many\n"))
        .collect();
    let run = broken(|hb| {
        hb.write(
            "content/guidelines.md",
            format!("---\ntitle: Social-media guidelines\nkind: guidelines\nrules:\n{rules}---\nToo many.\n"),
        )
    });
    let line = run
        .stderr
        .lines()
        .find(|l| l.starts_with("error: content/guidelines.md:4:1: "))
        .unwrap_or_else(|| panic!("no error at `rules:`:\n{}", run.stderr));
    assert!(line.contains("40"), "{line}");
    assert!(run.stderr.contains("= help: keep "), "{}", run.stderr);
    only_one(&run);
    crate::assert_diagnostics!(run);
}

#[test]
fn photo_that_is_not_an_image() {
    let run = broken(|hb| hb.write("content/experts/aino-virtanen.png", "not a picture at all"));
    let line = run
        .stderr
        .lines()
        .find(|l| {
            l.starts_with(
                "error: content/experts/aino-virtanen.md:5:8: the photo cannot be decoded",
            )
        })
        .unwrap_or_else(|| panic!("no located photo error:\n{}", run.stderr));
    assert!(line.contains("not"), "{line}");
    assert!(run.stderr.contains("help: "), "{}", run.stderr);
    only_one(&run);
    crate::assert_diagnostics!(run);
}

#[test]
fn photo_saved_as_heic() {
    let mut heic = vec![0, 0, 0, 24];
    heic.extend_from_slice(b"ftypheic");
    heic.extend_from_slice(&[0; 32]);
    let run = broken(|hb| hb.write("content/experts/aino-virtanen.png", heic));
    assert!(
        run.stderr
            .contains("content/experts/aino-virtanen.md:5:8: ")
            && run.stderr.contains("HEIC"),
        "{}",
        run.stderr
    );
    only_one(&run);
    crate::assert_diagnostics!(run);
}

#[test]
fn unknown_template_with_a_typo() {
    let run = broken(|hb| {
        hb.edit(
            "content/guide/channels/linkedin.md",
            "slug: li\n",
            "slug: li\ntemplate: pgae.html\n",
        )
    });
    run.assert_error(
        "content/guide/channels/linkedin.md:4:11: there is no template `pgae.html`",
        Some("did you mean `page.html`?"),
    );
    only_one(&run);
    crate::assert_diagnostics!(run);
}

#[test]
fn unknown_template() {
    let run = broken(|hb| {
        hb.edit(
            "content/guide/channels/linkedin.md",
            "slug: li\n",
            "slug: li\ntemplate: fancy.html\n",
        )
    });
    run.assert_error(
        "content/guide/channels/linkedin.md:4:11: there is no template `fancy.html`",
        Some("put the template in the handbook's `templates/` folder"),
    );
    only_one(&run);
    crate::assert_diagnostics!(run);
}

#[test]
fn tera_syntax_error_in_a_handbook_template() {
    let run = broken(|hb| {
        hb.write(
            "templates/page.html",
            "{% extends \"base.html\" %}\n{% block content %}\n<p>{{ page.title }</p>\n{% endblock content %}\n",
        )
    });
    run.assert_error(
        "templates/page.html:3:18: template syntax error: Found `}` but expected }}.",
        Some("fix the template; the syntax is Tera 2's"),
    );
    only_one(&run);
    crate::assert_diagnostics!(run);
}

#[test]
fn template_error_while_rendering() {
    // Fails only when rendering, after other pages may have been written to
    // the staging folder: the output must stay as it was all the same.
    let run = broken(|hb| {
        hb.write(
            "templates/page.html",
            "{% extends \"base.html\" %}\n{% block content %}{{ page.extra.audience | upper }}{% endblock content %}\n",
        )
    });
    run.assert_error(
        "templates/page.html:2:23: template error: Invalid type for the value, expected `string` but got `undefined`",
        Some(
            "while rendering `content/guide/channels/linkedin.md`; check the template against docs/templates.md (and 2 other pages)",
        ),
    );
    crate::assert_diagnostics!(run);
}

#[test]
fn several_errors_are_reported_together() {
    let run = broken(|hb| {
        hb.edit("content/experts/aino-virtanen.md", "topics:", "topcis:");
        hb.edit(
            "content/guide/writing.md",
            "[plan](../plan.md)",
            "[plan](../plans.md)",
        );
        hb.edit(
            "content/training/basics.md",
            "trainers: [aino-virtanen]",
            "trainers: [aino-virtanen, nobody]",
        );
    });
    run.assert_error(
        "content/experts/aino-virtanen.md:7:1: unknown field `topcis` for a page of kind `expert`",
        Some("did you mean `topics`?"),
    );
    run.assert_error(
        "content/guide/writing.md:8:23: the link `../plans.md` points to `content/plans.md`, which does not exist",
        Some("did you mean `@/plan.md`?"),
    );
    run.assert_error(
        "content/training/basics.md:11:27: `trainers` names no expert `nobody`",
        None,
    );
    assert_eq!(run.error_count(), 3, "{}", run.stderr);
    let last = run.stderr.trim_end().lines().last().unwrap_or_default();
    assert_eq!(
        last,
        "build failed: 3 errors; the previous output was left as it was"
    );
    crate::assert_diagnostics!(run);
}

#[test]
fn check_json_lists_the_errors() {
    let hb = Handbook::fixture("basic");
    hb.edit("content/experts/aino-virtanen.md", "topics:", "topcis:");
    hb.edit(
        "content/guide/writing.md",
        "[plan](../plan.md)",
        "[plan](../plans.md)",
    );
    let run = hb.esiin(&["check", "--format", "json"]);
    run.assert_failed();
    let value: serde_json::Value = serde_json::from_str(run.stdout.trim()).expect("JSON on stdout");
    assert_eq!(
        value,
        serde_json::json!([
            {
                "severity": "error",
                "file": "content/experts/aino-virtanen.md",
                "line": 7,
                "column": 1,
                "message": "unknown field `topcis` for a page of kind `expert`",
                "hint": "did you mean `topics`?",
            },
            {
                "severity": "error",
                "file": "content/guide/writing.md",
                "line": 8,
                "column": 23,
                "message": "the link `../plans.md` points to `content/plans.md`, which does not exist",
                "hint": "did you mean `@/plan.md`?",
            },
        ])
    );
    assert!(!hb.public().exists());
}

/// `--output` that would overwrite or mix with the sources is refused
/// before anything is written.
fn refused(output: &str, why: &str) {
    let hb = Handbook::fixture("basic");
    hb.write("../other/handbook.yaml", "title: Another handbook\n");
    let before = snapshot(hb.outer());
    let run = hb.esiin(&["build", "--output", output]);
    run.assert_failed();
    run.assert_error(
        &format!("refusing to write the site to `{output}`: {why}"),
        Some("choose an output folder of its own, e.g. `--output public`"),
    );
    assert_same_files(
        &before,
        &snapshot(hb.outer()),
        "a refused build wrote files",
    );
    // Named after the output: every test of a refused output comes here.
    let name = output
        .replace("..", "up")
        .replace('.', "dot")
        .replace('/', "_");
    crate::assert_diagnostics!(format!("refused_output_{name}"), run);
}

#[test]
fn output_is_the_root() {
    refused(".", "it holds the handbook");
}

#[test]
fn output_is_above_the_root() {
    refused("..", "it holds the handbook");
}

#[test]
fn output_is_content() {
    refused("content", "it is inside `content/`, which holds sources");
}

#[test]
fn output_is_inside_content() {
    refused(
        "content/site",
        "it is inside `content/`, which holds sources",
    );
}

#[test]
fn output_is_another_handbook() {
    refused(
        "../other",
        "it holds `handbook.yaml`: it looks like sources, not a built site",
    );
}

#[test]
fn output_is_a_file() {
    refused("handbook.yaml", "it is a file");
}

/// Odd files must give errors (or build), never a panic.
#[test]
fn odd_input_never_panics() {
    let cases: &[(&str, &[u8])] = &[
        ("content/empty.md", b""),
        ("content/dashes.md", b"---\n"),
        ("content/only-fm.md", b"---\n---\n"),
        ("content/list.md", b"---\n- a\n- b\n---\n"),
        ("content/scalar.md", b"---\njust text\n---\n"),
        ("content/title-list.md", b"---\ntitle: [a, b]\n---\n"),
        ("content/bom.md", b"\xef\xbb\xbf---\ntitle: BOM\n---\n"),
        (
            "content/crlf.md",
            b"---\r\ntitle: CRLF\r\n---\r\n\r\n[x](#nope)\r\n",
        ),
        ("content/binary.md", b"\x00\x01\x02\xff\xfe"),
        (
            "content/experts/odd.md",
            b"---\ntitle: Odd\nchannels: [a, b]\nsessions: 3\n---\n",
        ),
        (
            "content/training/odd.md",
            b"---\ntitle: Odd\nsessions: 3\nduration: soon\nformat: lecture\n---\n",
        ),
        (
            "content/onboarding/odd.md",
            b"---\ntitle: Odd\nsteps:\n  - page: ''\n  - page: '#'\n  - page: '@/'\n---\n",
        ),
        (
            "content/slug.md",
            b"---\ntitle: Slug\nslug: ../../etc\naliases: ['../../x', '', '/']\n---\n",
        ),
        (
            "content/links.md",
            b"---\ntitle: Links\n---\n\n[a](../../../x.md) [b](@/) [c](%zz) [d](<>) ![e](../)\n",
        ),
        (
            "content/deep/er/_index.md",
            b"---\ntitle: Deep\nkind: expert\n---\n",
        ),
        (
            "handbook.yaml",
            b"base_url: 'not a url'\nkinds: {guide: nonsense}\n",
        ),
    ];
    for (file, bytes) in cases {
        let hb = Handbook::fixture("basic");
        hb.write(file, bytes);
        let run = hb.esiin(&["build"]);
        assert!(
            run.code == Some(0) || run.code == Some(1),
            "{file}: exit {:?}\n{}",
            run.code,
            run.stderr
        );
        run.assert_no_panic();
        if run.code == Some(1) {
            assert!(
                run.error_count() > 0,
                "{file}: failed without an error:\n{}",
                run.stderr
            );
        }
    }
}
