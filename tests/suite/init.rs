//! `esiin init`: the starter handbook builds and checks clean in both
//! languages, with one page of every kind; a folder that is not empty is
//! refused with nothing changed. Also the first-run messages (`build`,
//! `check` and `serve` where there is no handbook) and the help line of
//! every flag of every command.

use std::path::Path;
use std::time::Duration;

use crate::support::files::TempDir;
use crate::support::handbook::esiin_in;
use crate::support::serve::Serve;
use crate::support::{Handbook, Run, assert_same_files, snapshot};

/// Today for every run is `SOURCE_DATE_EPOCH` (2026-06-15): the starter's
/// session is four weeks ahead.
const SESSION_DAY: &str = "20260713";

/// `esiin init ARGS` run in a temp folder of its own, which is returned.
fn init(name: &str, args: &[&str]) -> (TempDir, Run) {
    let tmp = TempDir::new(name);
    let mut all = vec!["init"];
    all.extend(args);
    let run = esiin_in(tmp.path(), &all);
    (tmp, run)
}

/// Builds and checks `root`; both must succeed without a warning.
fn build_clean(root: &Path) {
    let root_arg = root.to_str().expect("a UTF-8 temp path");
    for command in ["build", "check"] {
        let run = esiin_in(root, &[command, "--root", root_arg]);
        run.assert_ok();
        // `warning:` and `error:` start a diagnostic; "no errors" is fine.
        for word in ["warning:", "error:"] {
            assert!(
                !run.stderr.contains(word),
                "`esiin {command}` of the starter printed a {word}:\n{}",
                run.stderr
            );
        }
    }
}

fn read(path: &Path) -> String {
    std::fs::read_to_string(path).unwrap_or_else(|e| panic!("read {}: {e}", path.display()))
}

/// Every path under `dir`, folders too (`snapshot` has files only), so
/// that an empty folder made and left behind is seen.
fn tree(dir: &Path) -> Vec<String> {
    let mut out = Vec::new();
    for entry in walkdir::WalkDir::new(dir).sort_by_file_name() {
        let entry = entry.expect("a folder entry");
        out.push(entry.path().display().to_string());
    }
    out
}

#[test]
fn the_english_starter_builds_clean_with_a_page_of_every_kind() {
    let (tmp, run) = init("init-en", &["hb"]);
    run.assert_ok();
    for line in [
        "  handbook.yaml",
        "  content/experts/alex-morgan.md",
        "  .gitignore",
        "  cd hb",
    ] {
        assert!(
            run.stdout.lines().any(|l| l.starts_with(line)),
            "no line {line:?}:\n{}",
            run.stdout
        );
    }
    assert!(run.stdout.contains("esiin serve"), "{}", run.stdout);
    assert!(
        run.stdout
            .contains("esiin new expert experts/firstname-lastname"),
        "{}",
        run.stdout
    );
    let root = tmp.path().join("hb");
    assert_eq!(read(&root.join(".gitignore")), "public/\n.esiin-cache/\n");
    assert!(read(&root.join("handbook.yaml")).contains("title: \"Expertise handbook\""));
    build_clean(&root);
    let public = root.join("public");
    for page in [
        "index.html",
        "about/index.html",
        "experts/alex-morgan/index.html",
        "training/presenting-your-work/index.html",
        "plan/index.html",
        "guidelines/index.html",
        "guidelines/guidelines.png",
        "onboarding/first-weeks/index.html",
    ] {
        assert!(public.join(page).is_file(), "public/{page} is missing");
    }
    assert!(read(&public.join("index.html")).contains("<html lang=\"en\""));
    let module = read(&public.join("training/presenting-your-work/index.html"));
    assert!(module.contains("is-upcoming"), "no upcoming session");
    let feed = read(&public.join("training/presenting-your-work/calendar.ics"));
    assert!(
        feed.contains("BEGIN:VEVENT") && feed.contains(SESSION_DAY),
        "the module's calendar has no session on {SESSION_DAY}:\n{feed}"
    );
    let path = read(&public.join("onboarding/first-weeks/index.html"));
    for step in [
        "/about/",
        "/plan/",
        "/guidelines/",
        "/experts/",
        "/training/presenting-your-work/",
    ] {
        assert!(
            path.contains(&format!("href=\"{step}\"")),
            "the path has no step {step}"
        );
    }
}

#[test]
fn the_finnish_starter_builds_clean_in_finnish() {
    let (tmp, run) = init("init-fi", &["kasikirja", "--language", "fi"]);
    run.assert_ok();
    assert!(
        run.stdout
            .contains("esiin new expert asiantuntijat/etunimi-sukunimi"),
        "{}",
        run.stdout
    );
    let root = tmp.path().join("kasikirja");
    let config = read(&root.join("handbook.yaml"));
    assert!(config.contains("\nlanguage: fi\n"), "{config}");
    assert!(config.contains("title: \"Osaamiskäsikirja\""), "{config}");
    assert!(read(&root.join("README.md")).starts_with("# Osaamiskäsikirja\n"));
    build_clean(&root);
    let public = root.join("public");
    for page in [
        "tietoa/index.html",
        "asiantuntijat/aino-virtanen/index.html",
        "koulutukset/esiintymisen-perusteet/index.html",
        "suunnitelma/index.html",
        "pelisaannot/index.html",
        "perehdytys/ensimmaiset-viikot/index.html",
    ] {
        let html = read(&public.join(page));
        assert!(html.contains("<html lang=\"fi\""), "{page} is not lang=fi");
    }
    let feed = read(&public.join("koulutukset/esiintymisen-perusteet/calendar.ics"));
    assert!(feed.contains(SESSION_DAY), "{feed}");
}

#[test]
fn the_title_given_lands_in_the_site_and_the_readme() {
    let title = "Kuulas: \"osaajat\" esiin";
    let (tmp, run) = init("init-title", &["hb", "--title", title]);
    run.assert_ok();
    let root = tmp.path().join("hb");
    assert!(read(&root.join("README.md")).starts_with(&format!("# {title}\n")));
    build_clean(&root);
    let home = read(&root.join("public/index.html"));
    assert!(
        home.contains("Kuulas: &quot;osaajat&quot; esiin"),
        "the title is not in the site:\n{home}"
    );
}

#[test]
fn init_in_the_current_folder_says_no_cd() {
    let tmp = TempDir::new("init-here");
    let run = esiin_in(tmp.path(), &["init"]);
    run.assert_ok();
    assert!(!run.stdout.contains("cd "), "{}", run.stdout);
    assert!(tmp.path().join("content/plan.md").is_file());
}

#[test]
fn a_folder_that_is_not_empty_is_refused_and_left_as_it_was() {
    let tmp = TempDir::new("init-full");
    let dir = tmp.path().join("notes");
    std::fs::create_dir_all(dir.join("drafts")).expect("mkdir");
    std::fs::write(dir.join("todo.txt"), "call Aino\n").expect("write");
    std::fs::write(dir.join("drafts/plan.md"), "# Plan\n").expect("write");
    let (files, folders) = (snapshot(&dir), tree(&dir));
    let run = esiin_in(tmp.path(), &["init", "notes", "--language", "fi"]);
    run.assert_failed();
    run.assert_error(
        "the folder `notes` is not empty (it has `drafts` and `todo.txt`); nothing was written",
        Some(
            "run `esiin init NEW-FOLDER` to start the handbook in a new folder, or empty this one first",
        ),
    );
    assert_eq!(run.stdout, "");
    assert_same_files(&files, &snapshot(&dir), "a refused init changed the folder");
    assert_eq!(folders, tree(&dir), "a refused init changed the folders");
    crate::assert_diagnostics!(run);
}

#[test]
fn a_fresh_clone_with_only_git_is_a_fine_place() {
    let tmp = TempDir::new("init-git");
    std::fs::create_dir_all(tmp.path().join(".git")).expect("mkdir");
    let run = esiin_in(tmp.path(), &["init"]);
    run.assert_ok();
    assert!(tmp.path().join("handbook.yaml").is_file());
}

#[test]
fn a_file_in_the_way_and_an_empty_title_are_refused() {
    let tmp = TempDir::new("init-file");
    std::fs::write(tmp.path().join("hb"), "").expect("write");
    let run = esiin_in(tmp.path(), &["init", "hb"]);
    run.assert_failed();
    run.assert_error("`hb` is a file, not a folder", None);
    let run = esiin_in(tmp.path(), &["init", "new", "--title", " "]);
    run.assert_failed();
    run.assert_error("the title given to `--title` is empty", None);
    assert!(
        !tmp.path().join("new").exists(),
        "a refused init made the folder"
    );
}

/// `build`, `check` and `serve` in a folder with no handbook: one error,
/// with no empty location, pointing at `esiin init`; and `build` says
/// nothing of a previous output there was none of.
#[test]
fn no_handbook_here_is_said_once_with_the_way_out() {
    let tmp = TempDir::new("first-run");
    for command in ["build", "check", "serve"] {
        let run = esiin_in(tmp.path(), &[command]);
        run.assert_failed();
        run.assert_error(
            &format!(
                "`{}` is not a handbook folder: it has no `handbook.yaml` and no `content/`",
                tmp.path().display()
            ),
            Some(
                "run `esiin init` to start a new handbook here, or pass `--root` with the folder of an existing one",
            ),
        );
        assert_eq!(run.error_count(), 1, "{}", run.stderr);
        assert!(!run.stderr.contains("error: :"), "{}", run.stderr);
        assert!(!run.stderr.contains("previous output"), "{}", run.stderr);
        assert!(!run.stderr.contains("serving"), "{}", run.stderr);
        assert_eq!(
            tree(tmp.path()).len(),
            1,
            "`{command}` wrote into the folder"
        );
        if command == "build" {
            crate::assert_diagnostics!(run);
        }
    }
    let run = esiin_in(tmp.path(), &["build", "--root", "elsewhere"]);
    run.assert_failed();
    run.assert_error(
        &format!("there is no folder `{}`", tmp.path().join("elsewhere").display()),
        Some(
            "pass `--root` with the handbook's folder, or run `esiin init elsewhere` to start a new handbook there",
        ),
    );
}

/// A failed build with no output folder yet says nothing of one.
#[test]
fn a_first_build_that_fails_does_not_mention_a_previous_output() {
    let hb = Handbook::fixture("basic");
    hb.edit("content/plan.md", "title:", "titel:");
    let run = hb.esiin(&["build"]);
    run.assert_failed();
    assert!(
        run.stderr.lines().any(|l| l.starts_with("build failed: ")),
        "{}",
        run.stderr
    );
    assert!(!run.stderr.contains("previous output"), "{}", run.stderr);
    assert!(!hb.public().exists());
}

/// `serve` speaks of the last good site only once there was one.
#[test]
fn serve_promises_a_site_before_the_first_good_build() {
    let hb = Handbook::fixture("basic");
    hb.edit("content/plan.md", "title:", "titel:");
    let serve = Serve::start(&hb.root);
    let line = serve.wait_for_line(Duration::from_secs(30), |l| l.contains("build failed"));
    assert!(
        line.ends_with("the site will be served as soon as the errors are fixed"),
        "{line}"
    );
    hb.edit("content/plan.md", "titel:", "title:");
    serve.wait_for_line(Duration::from_secs(30), |l| l.contains("rebuilt in"));
    hb.edit("content/plan.md", "title:", "titel:");
    let again = |l: &str| l.contains("build failed") && !l.contains("first build");
    let line = serve.wait_for_line(Duration::from_secs(30), again);
    assert!(line.ends_with("still serving the last good site"), "{line}");
}

/// The visible subcommands, from `esiin --help`.
fn subcommands() -> Vec<String> {
    let tmp = TempDir::new("help");
    let run = esiin_in(tmp.path(), &["--help"]);
    run.assert_ok();
    let commands: Vec<String> = run
        .stdout
        .lines()
        .skip_while(|l| !l.starts_with("Commands:"))
        .skip(1)
        .take_while(|l| l.starts_with("  "))
        .filter_map(|l| l.split_whitespace().next())
        .filter(|c| *c != "help")
        .map(str::to_string)
        .collect();
    assert!(commands.len() >= 4, "{}", run.stdout);
    commands
}

/// Every option and argument that `esiin CMD -h` lists carries a
/// description: text beside it other than clap's own `[default: …]`.
/// `-h`, not `--help`: the short help always has one line per entry,
/// while `--help` switches to a multi-line layout once any flag has long help.
#[test]
fn every_flag_of_every_command_has_a_help_line() {
    let tmp = TempDir::new("help-lines");
    let mut missing = Vec::new();
    for command in subcommands() {
        let run = esiin_in(tmp.path(), &[&command, "-h"]);
        run.assert_ok();
        let mut section = "";
        for line in run.stdout.lines() {
            if !line.starts_with(' ') && line.ends_with(':') {
                section = line;
                continue;
            }
            if !matches!(section, "Options:" | "Arguments:") || !line.starts_with("  ") {
                continue;
            }
            let entry = line.trim_start();
            if !(entry.starts_with('-') || entry.starts_with('[') || entry.starts_with('<')) {
                continue; // a description's next line
            }
            if !described(entry) {
                missing.push(format!("esiin {command}: {entry}"));
            }
        }
    }
    assert!(
        missing.is_empty(),
        "options without a help line (add a `///` comment above the field in src/main.rs):\n{}",
        missing.join("\n")
    );
}

/// Whether an entry of clap's help (`--root <ROOT>  The handbook folder
/// [default: .]`) has a description after its name.
fn described(entry: &str) -> bool {
    let Some((_, description)) = entry.split_once("  ") else {
        return false;
    };
    let text = description.trim();
    !text.is_empty() && !text.starts_with("[default:") && !text.starts_with("[possible values:")
}

#[test]
fn the_help_line_check_reads_clap_layout() {
    assert!(described(
        "--root <ROOT>      The handbook folder [default: .]"
    ));
    assert!(described("-h, --help         Print help"));
    assert!(!described("--drafts"));
    assert!(!described("--root <ROOT>      [default: .]"));
    assert!(!described(
        "--language <LANGUAGE>  [default: en] [possible values: en, fi]"
    ));
}
