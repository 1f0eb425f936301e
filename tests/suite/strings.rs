//! A theme's UI strings file (`themes/NAME/strings/<language>.yaml`) must
//! name every key of the default theme's, and no other: a missing or
//! unknown key is a build error at the file, whose hint gives the default
//! theme's line to copy. Each test leaves the previous output whole.

use std::path::Path;

use crate::support;

use support::broken;

/// Where the basic fixture's strings are overridden: the `default` theme
/// folder of the handbook layers over the built-in theme.
const STRINGS: &str = "themes/default/strings/en.yaml";

/// The built-in English strings, as the source tree has them.
fn built_in() -> String {
    std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join(STRINGS))
        .expect("the built-in strings")
}

#[test]
fn a_missing_ui_string_names_the_keys_and_their_default_lines() {
    let run = broken(|hb| {
        let text = built_in()
            .replace("sign_up: \"Sign up\"\n", "")
            .replace("topics_title: \"Topics\"\n", "");
        hb.write(STRINGS, text);
    });
    run.assert_error(
        &format!("{STRINGS}: missing UI strings `sign_up` and `topics_title`"),
        Some("add them; the default theme has:"),
    );
    assert!(
        run.stderr.contains("sign_up: \"Sign up\"")
            && run.stderr.contains("topics_title: \"Topics\""),
        "the hint quotes the default lines:\n{}",
        run.stderr
    );
    assert_eq!(run.error_count(), 1, "{}", run.stderr);
    crate::assert_diagnostics!(run);
}

#[test]
fn an_unknown_ui_string_is_located_with_the_nearest_key() {
    let run = broken(|hb| {
        let text = built_in().replace("topics_title: ", "topics_titel: ");
        hb.write(STRINGS, text);
    });
    let line = built_in()
        .lines()
        .position(|l| l.starts_with("topics_title:"))
        .expect("the key is in the file")
        + 1;
    run.assert_error(
        &format!("{STRINGS}:{line}:1: unknown UI string `topics_titel`"),
        Some("did you mean `topics_title`? The default theme has:"),
    );
    assert!(
        run.stderr.contains("^^^^^^^^^^^^\n"),
        "the caret marks the key:\n{}",
        run.stderr
    );
    // The key it should have been is missing too, and said so.
    run.assert_error(
        &format!("{STRINGS}: missing UI string `topics_title`"),
        Some("add it; the default theme has:"),
    );
    assert_eq!(run.error_count(), 2, "{}", run.stderr);
    crate::assert_diagnostics!(run);
}
