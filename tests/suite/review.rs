//! Review in merge requests: `check --format github` (workflow commands)
//! and `--format gitlab` (a Code Quality report) located where the human
//! diagnostics are; the CI files of `docs/ci.md` parse and run commands
//! esiin accepts; `check --stale`, the editors' report by owner.

use std::collections::{BTreeSet, HashSet};
use std::path::Path;

use serde_json::Value;

use crate::support::handbook::esiin_in;
use crate::support::{Handbook, Run};

/// The basic fixture with one warning (a page past its `review_by`).
fn one_warning() -> Handbook {
    let hb = Handbook::fixture("basic");
    hb.edit(
        "content/guide/writing.md",
        "tags: [writing]\n",
        "tags: [writing]\nreview_by: 2026-05-01\n",
    );
    hb
}

/// [`one_warning`] and an error (an unknown field). A failed check
/// reports its errors only, as a failed build does.
fn add_error(hb: &Handbook) {
    hb.edit("content/experts/aino-virtanen.md", "topics:", "topcis:");
}

/// `(severity, file, line, col)` of each diagnostic of a human run: its
/// first line is `error: FILE:LINE:COL: message`.
fn human_places(run: &Run) -> BTreeSet<(String, String, usize, usize)> {
    run.stderr
        .lines()
        .filter_map(|l| {
            let (level, rest) = l
                .strip_prefix("error: ")
                .map(|r| ("error", r))
                .or_else(|| l.strip_prefix("warning: ").map(|r| ("warning", r)))?;
            let mut parts = rest.splitn(4, ':');
            let file = parts.next()?.to_string();
            let line = parts.next()?.parse().ok()?;
            let col = parts.next()?.parse().ok()?;
            Some((level.to_string(), file, line, col))
        })
        .collect()
}

/// Undoes a workflow command's escaping (`%25`, `%0D`, `%0A`, and in
/// properties `%3A`, `%2C`).
fn unescape(s: &str) -> String {
    s.replace("%0A", "\n")
        .replace("%0D", "\r")
        .replace("%3A", ":")
        .replace("%2C", ",")
        .replace("%25", "%")
}

/// A workflow command: `::LEVEL k=v,k=v::message`, unescaped.
#[derive(Debug)]
struct Command {
    level: String,
    props: Vec<(String, String)>,
    message: String,
}

impl Command {
    fn parse(line: &str) -> Command {
        let rest = line
            .strip_prefix("::")
            .unwrap_or_else(|| panic!("not a workflow command: {line}"));
        let (head, message) = rest
            .split_once("::")
            .unwrap_or_else(|| panic!("no `::` before the message: {line}"));
        let (level, props) = head.split_once(' ').unwrap_or((head, ""));
        let props = props
            .split(',')
            .filter(|p| !p.is_empty())
            .map(|p| {
                let (k, v) = p.split_once('=').expect("a property is k=v");
                (k.to_string(), unescape(v))
            })
            .collect();
        Command {
            level: level.to_string(),
            props,
            message: unescape(message),
        }
    }

    fn prop(&self, key: &str) -> Option<&str> {
        self.props
            .iter()
            .find(|(k, _)| k == key)
            .map(|(_, v)| v.as_str())
    }

    fn num(&self, key: &str) -> usize {
        self.prop(key)
            .and_then(|v| v.parse().ok())
            .unwrap_or_else(|| panic!("no number `{key}` in {self:?}"))
    }
}

fn commands(run: &Run) -> Vec<Command> {
    run.stdout.lines().map(Command::parse).collect()
}

/// Runs `check` for people and `check --format github` on `hb`, asserts
/// that both exit with `status` and that the annotations are where the
/// diagnostics are; returns the annotations.
fn github_matches_human(hb: &Handbook, status: i32) -> Vec<Command> {
    let human = hb.esiin(&["check"]);
    assert_eq!(human.code, Some(status), "{}", human.stderr);
    let want = human_places(&human);
    assert_eq!(want.len(), 1, "one diagnostic:\n{}", human.stderr);
    let run = hb.esiin(&["check", "--format", "github"]);
    assert_eq!(run.code, Some(status), "{}", run.stderr);
    let cmds = commands(&run);
    let got: BTreeSet<_> = cmds
        .iter()
        .map(|c| {
            let file = c.prop("file").expect("a file").to_string();
            (c.level.clone(), file, c.num("line"), c.num("col"))
        })
        .collect();
    assert_eq!(got, want, "{}", run.stdout);
    for c in &cmds {
        assert_eq!(c.prop("title"), Some("esiin"), "{c:?}");
        assert!(c.num("endColumn") >= c.num("col"), "{c:?}");
        // The hint comes with the message, on its own line.
        assert!(c.message.contains("\nhelp: "), "{c:?}");
    }
    cmds
}

#[test]
fn github_annotations_are_where_the_human_diagnostics_are() {
    // A warning: annotated, exit status 0.
    let hb = one_warning();
    let cmds = github_matches_human(&hb, 0);
    assert_eq!(cmds[0].level, "warning");
    assert!(
        cmds[0]
            .message
            .starts_with("the page was due for review on 2026-05-01"),
        "{cmds:?}"
    );
    // An error: exit status 1 (a failed check, like a failed build,
    // reports its errors only).
    add_error(&hb);
    let cmds = github_matches_human(&hb, 1);
    let error = &cmds[0];
    assert_eq!(error.level, "error");
    assert!(
        error.message.starts_with(
            "unknown field `topcis` for a page of kind `expert`\nhelp: did you mean `topics`?"
        ),
        "{error:?}"
    );
    // `topcis` is six characters, marked from column 1.
    assert_eq!(error.num("endColumn"), 6);
    let run = hb.esiin(&["check", "--format", "github"]);
    assert!(
        run.stderr.contains("check failed: 1 error"),
        "{}",
        run.stderr
    );
}

/// The files the annotations of a run are on.
fn annotated_files(run: &Run) -> Vec<String> {
    commands(run)
        .iter()
        .filter_map(|c| c.prop("file").map(str::to_string))
        .collect()
}

#[test]
fn github_paths_are_relative_to_where_esiin_runs() {
    let hb = one_warning();
    // From the folder above the handbook: the path says `handbook/…`.
    let run = esiin_in(
        hb.outer(),
        &["check", "--format", "github", "--root", "handbook"],
    );
    run.assert_ok();
    assert_eq!(
        annotated_files(&run),
        ["handbook/content/guide/writing.md"],
        "{}",
        run.stdout
    );
    // From inside the handbook, with a root through `..`: relative to
    // where esiin runs all the same.
    let run = esiin_in(
        &hb.path("content/guide"),
        &["check", "--format", "github", "--root", "../.."],
    );
    run.assert_ok();
    assert_eq!(annotated_files(&run), ["writing.md"], "{}", run.stdout);
}

#[test]
fn github_escapes_percent_newlines_commas_and_colons() {
    let hb = Handbook::fixture("basic");
    // A file name with `,` and `:` (a property), a field with `%` and a
    // hint on a second line (data).
    hb.write(
        "content/guide/a,b:c.md",
        "---\ntitle: Odd name\nto%pics: [x]\n---\n\nText.\n",
    );
    let run = hb.esiin(&["check", "--format", "github"]);
    run.assert_failed();
    let raw = run
        .stdout
        .lines()
        .find(|l| l.contains("to%25pics"))
        .unwrap_or_else(|| panic!("no line with the escaped field:\n{}", run.stdout));
    assert!(
        raw.starts_with("::error file=content/guide/a%2Cb%3Ac.md,line=3,col=1,"),
        "{raw}"
    );
    assert!(raw.contains("%0Ahelp: "), "{raw}");
    assert!(!raw.contains("to%pics"), "{raw}");
    let cmd = Command::parse(raw);
    assert_eq!(cmd.prop("file"), Some("content/guide/a,b:c.md"));
    assert!(
        cmd.message
            .starts_with("unknown field `to%pics` for a page of kind `page`\nhelp: "),
        "{cmd:?}"
    );
    // Every line is one command: the escaping kept them whole.
    assert!(
        run.stdout.lines().all(|l| l.starts_with("::")),
        "{}",
        run.stdout
    );
}

/// The Code Quality report of a run: a JSON array.
fn code_quality(run: &Run) -> Vec<Value> {
    let v: Value = serde_json::from_str(&run.stdout)
        .unwrap_or_else(|e| panic!("not JSON ({e}):\n{}", run.stdout));
    v.as_array().expect("an array").clone()
}

/// Asserts that every finding of `report` has the report's fields, and
/// that their places and severities are the human diagnostics'.
fn gitlab_matches_human(hb: &Handbook, report: &[Value]) {
    let human = human_places(&hb.esiin(&["check"]));
    let mut places = BTreeSet::new();
    for f in report {
        for key in ["description", "check_name", "fingerprint", "severity"] {
            assert!(
                f[key].as_str().is_some_and(|s| !s.is_empty()),
                "{key} in {f}"
            );
        }
        let path = f["location"]["path"].as_str().expect("a path").to_string();
        let line = f["location"]["lines"]["begin"].as_u64().expect("a line") as usize;
        let level = match f["severity"].as_str() {
            Some("major") => "error",
            Some("minor") => "warning",
            other => panic!("severity {other:?}"),
        };
        places.insert((level.to_string(), path, line));
    }
    let human: BTreeSet<_> = human.into_iter().map(|(s, f, l, _)| (s, f, l)).collect();
    assert_eq!(places, human);
}

#[test]
fn gitlab_code_quality_report() {
    // A warning: `minor`, exit status 0.
    let hb = one_warning();
    let run = hb.esiin(&["check", "--format", "gitlab"]);
    run.assert_ok();
    let report = code_quality(&run);
    assert_eq!(report.len(), 1, "{}", run.stdout);
    assert_eq!(report[0]["severity"], "minor");
    gitlab_matches_human(&hb, &report);
    let warning_print = report[0]["fingerprint"].clone();

    // An error: `major`, exit status 1.
    add_error(&hb);
    let run = hb.esiin(&["check", "--format", "gitlab"]);
    run.assert_failed();
    let report = code_quality(&run);
    assert_eq!(report.len(), 1, "{}", run.stdout);
    gitlab_matches_human(&hb, &report);
    let error = &report[0];
    assert_eq!(error["severity"], "major");
    assert_eq!(
        error["check_name"],
        "esiin/unknown-field-for-a-page-of-kind"
    );
    let description = error["description"].as_str().unwrap_or_default();
    assert!(
        description.contains("did you mean `topics`?"),
        "{description}"
    );
    assert_ne!(error["fingerprint"], warning_print);

    // The same problem after a line was added above it: the same
    // fingerprint (GitLab shows it as old, not new).
    hb.edit(
        "content/experts/aino-virtanen.md",
        "role:",
        "description: Rust.\nrole:",
    );
    let moved = code_quality(&hb.esiin(&["check", "--format", "gitlab"]));
    assert_eq!(moved[0]["fingerprint"], error["fingerprint"]);
    assert_eq!(moved[0]["location"]["lines"]["begin"], 8);

    // A clean handbook: `[]`.
    hb.edit("content/experts/aino-virtanen.md", "topcis:", "topics:");
    hb.edit("content/guide/writing.md", "review_by: 2026-05-01\n", "");
    let run = hb.esiin(&["check", "--format", "gitlab"]);
    run.assert_ok();
    assert_eq!(code_quality(&run), Vec::<Value>::new());
}

#[test]
fn gitlab_fingerprints_of_alike_problems_differ() {
    let hb = Handbook::fixture("basic");
    // Two identical problems in one file: one message, one path.
    hb.write(
        "content/guide/twice.md",
        "---\ntitle: Twice\n---\n\nA [link](missing.md) and [again](missing.md).\n",
    );
    let run = hb.esiin(&["check", "--format", "gitlab"]);
    run.assert_failed();
    let report = code_quality(&run);
    let prints: HashSet<&str> = report
        .iter()
        .filter_map(|f| f["fingerprint"].as_str())
        .collect();
    assert_eq!(prints.len(), report.len(), "{}", run.stdout);
    let descriptions: Vec<&str> = report
        .iter()
        .filter_map(|f| f["description"].as_str())
        .collect();
    let unique: HashSet<&&str> = descriptions.iter().collect();
    assert!(
        unique.len() < descriptions.len(),
        "two alike problems: {descriptions:#?}"
    );
}

/// The shell commands of a CI file: every `script`, `before_script` and
/// `run` string, line by line.
fn shell_lines(yaml: &serde_yaml::Value, out: &mut Vec<String>) {
    match yaml {
        serde_yaml::Value::Mapping(map) => {
            for (k, v) in map {
                let is_shell = matches!(k.as_str(), Some("script" | "before_script" | "run"));
                match v {
                    serde_yaml::Value::String(s) if is_shell => {
                        out.extend(s.lines().map(str::to_string));
                    }
                    serde_yaml::Value::Sequence(items) if is_shell => {
                        out.extend(items.iter().filter_map(|i| i.as_str()).map(str::to_string));
                    }
                    other => shell_lines(other, out),
                }
            }
        }
        serde_yaml::Value::Sequence(items) => {
            for i in items {
                shell_lines(i, out);
            }
        }
        _ => {}
    }
}

/// The arguments of each `esiin` command in a shell line: a word `esiin`
/// where a command starts (first, or after `;`, `|`, `&`, `{`, `(`), up
/// to the next operator or redirection.
fn esiin_commands(line: &str) -> Vec<Vec<String>> {
    let mut spaced = String::new();
    for c in line.chars() {
        if ";|&{}()<>".contains(c) {
            spaced.push_str(&format!(" {c} "));
        } else {
            spaced.push(c);
        }
    }
    let mut out = Vec::new();
    let mut at_start = true;
    let mut current: Option<Vec<String>> = None;
    for word in spaced.split_whitespace() {
        let operator = word.len() == 1 && ";|&{}()<>".contains(word);
        if operator {
            out.extend(current.take());
            at_start = !"<>".contains(word);
            continue;
        }
        match &mut current {
            Some(args) => args.push(word.to_string()),
            None if at_start && word == "esiin" => current = Some(Vec::new()),
            None => {}
        }
        at_start = false;
    }
    out.extend(current);
    out
}

#[test]
fn the_ci_files_parse_and_run_commands_esiin_accepts() {
    let doc = std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("docs/ci.md"))
        .expect("docs/ci.md");
    let blocks: Vec<&str> = doc
        .split("```yaml\n")
        .skip(1)
        .map(|b| b.split("\n```").next().unwrap_or_default())
        .collect();
    assert_eq!(blocks.len(), 2, "a GitLab and a GitHub file");
    let parsed: Vec<serde_yaml::Value> = blocks
        .iter()
        .map(|b| serde_yaml::from_str(b).unwrap_or_else(|e| panic!("{e}\n{b}")))
        .collect();
    let (gitlab, github) = (&parsed[0], &parsed[1]);

    // GitLab: a Code Quality report from merge requests, Pages from `public`.
    assert_eq!(
        gitlab["check"]["artifacts"]["reports"]["codequality"],
        "gl-code-quality.json"
    );
    assert_eq!(gitlab["pages"]["artifacts"]["paths"][0], "public");
    assert!(blocks[0].contains("merge_request_event") && blocks[0].contains(".esiin-cache/"));
    // GitHub: on pull requests and pushes to main, deployed to Pages.
    assert!(github["on"]["pull_request"].is_null() || github["on"]["pull_request"].is_mapping());
    assert_eq!(github["on"]["push"]["branches"][0], "main");
    for action in [
        "actions/upload-pages-artifact@",
        "actions/deploy-pages@",
        "path: .esiin-cache",
    ] {
        assert!(blocks[1].contains(action), "{action}");
    }

    let fixture = Handbook::fixture("basic");
    let root = fixture.root.to_str().expect("a UTF-8 temp path");
    let mut seen = BTreeSet::new();
    for (name, yaml) in [("gitlab", gitlab), ("github", github)] {
        let mut lines = Vec::new();
        shell_lines(yaml, &mut lines);
        let commands: Vec<Vec<String>> = lines.iter().flat_map(|l| esiin_commands(l)).collect();
        assert!(
            commands.iter().any(|c| c.starts_with(&["check".into()]))
                && commands.iter().any(|c| c == &["build"]),
            "{name}: a check and a build in {lines:#?}"
        );
        let format = format!("--format {name}");
        assert!(
            commands.iter().any(|c| c.join(" ").contains(&format)),
            "{name} checks with `{format}`"
        );
        for args in commands {
            let mut run_args: Vec<&str> = args.iter().map(String::as_str).collect();
            if !run_args.contains(&"--root") {
                run_args.extend(["--root", root]);
            }
            let run = esiin_in(&fixture.root, &run_args);
            // 2 is a usage error (an unknown subcommand, flag or value).
            assert!(
                run.success(),
                "`esiin {}` in {name}: {run:?}",
                args.join(" ")
            );
            seen.insert(args.join(" "));
        }
    }
    assert!(seen.len() >= 3, "{seen:?}");
}

#[test]
fn esiin_commands_are_found_where_commands_start() {
    assert_eq!(
        esiin_commands("esiin check --format gitlab > out.json || { esiin check; exit 1; }"),
        [vec!["check", "--format", "gitlab"], vec!["check"]]
    );
    assert!(esiin_commands("command -v esiin || cargo install esiin").is_empty());
    assert!(esiin_commands("export PATH=\"$PWD/.esiin-bin/bin:$PATH\"").is_empty());
}

/// The basic fixture with one of each finding: a page past `review_by`
/// (Mari's), pages without an owner, a plan goal with old figures (the
/// plan is Aino's), a module with only past sessions (Mari's).
fn stale_handbook() -> Handbook {
    let hb = Handbook::fixture("basic");
    hb.edit(
        "content/guide/writing.md",
        "tags: [writing]\n",
        "tags: [writing]\nreview_by: 2026-05-01\n",
    );
    hb.edit(
        "content/training/advanced.md",
        "format: clinic\n",
        "format: clinic\nowner: mari-oksanen\n",
    );
    hb.edit(
        "content/training/advanced.md",
        "2026-10-01T13:00",
        "2026-04-01T13:00",
    );
    hb.edit(
        "content/training/advanced.md",
        "2026-10-01T14:30",
        "2026-04-01T14:30",
    );
    hb
}

#[test]
fn stale_report_by_owner_for_people() {
    let hb = stale_handbook();
    let run = hb.esiin(&["check", "--stale"]);
    // The report is information: warnings only, status 0.
    run.assert_ok();
    let out = &run.stdout;
    let aino = out.find("\nAino Virtanen (aino-virtanen)\n").expect(out);
    let mari = out.find("\nMari Oksanen (mari-oksanen)\n").expect(out);
    let none = out.find("\nNo owner\n").expect(out);
    assert!(aino < mari && mari < none, "{out}");
    assert!(out.starts_with("review on 2026-06-15: "), "{out}");
    let section = |from: usize, to: usize| &out[from..to];
    let aino_part = section(aino, mari);
    assert!(
        aino_part.contains(
            "content/plan.md:11: goal `blog-visitors` (\"More people read our experts' posts\") has stale data: \
             its latest figure is from 2026-02-28, 107 days ago (stale after 45 days)"
        ),
        "{aino_part}"
    );
    assert!(
        !aino_part.contains("draft-to-published"),
        "a goal without figures is not stale"
    );
    let mari_part = section(mari, none);
    assert!(
        mari_part.contains(
            "content/guide/writing.md:6: \"Writing your first post\" was due for review on 2026-05-01 (45 days ago)"
        ),
        "{mari_part}"
    );
    assert!(
        mari_part.contains(
            "content/training/advanced.md:12: \"Advanced presenting\" has no upcoming sessions (the last was on 2026-04-01)"
        ),
        "{mari_part}"
    );
    let none_part = &out[none..];
    assert!(
        none_part.contains("content/guide/channels/linkedin.md:2: \"LinkedIn\" has no owner"),
        "{none_part}"
    );
    // Expert profiles and section pages need no owner; a module with an
    // upcoming session is not listed for its sessions.
    for line in out.lines() {
        assert!(
            !line.contains("experts/") && !line.contains("_index.md"),
            "{line}"
        );
        assert!(
            !line.contains("basics.md") || line.ends_with("has no owner"),
            "{line}"
        );
    }
    assert!(
        out.contains("content/training/basics.md:2: \"Presentation basics\" has no owner"),
        "{out}"
    );
    // The usual check ran too: the review_by warning, on stderr.
    assert!(
        run.stderr
            .contains("warning: content/guide/writing.md:6:12"),
        "{}",
        run.stderr
    );
}

#[test]
fn stale_report_as_json() {
    let hb = stale_handbook();
    let run = hb.esiin(&["check", "--stale", "--format", "json"]);
    run.assert_ok();
    let v: Value = serde_json::from_str(&run.stdout).expect("JSON");
    assert!(
        v["diagnostics"].as_array().is_some_and(|d| d.len() == 1),
        "{v}"
    );
    assert_eq!(v["stale"]["today"], "2026-06-15");
    let groups = v["stale"]["groups"].as_array().expect("groups");
    let owners: Vec<&Value> = groups.iter().map(|g| &g["owner"]).collect();
    assert_eq!(owners[0]["id"], "aino-virtanen");
    assert_eq!(owners[0]["name"], "Aino Virtanen");
    assert_eq!(owners[1]["id"], "mari-oksanen");
    assert!(owners[2].is_null(), "no owner last: {owners:?}");
    let kinds = |g: &Value| -> Vec<String> {
        g["items"]
            .as_array()
            .into_iter()
            .flatten()
            .map(|i| i["kind"].as_str().unwrap_or_default().to_string())
            .collect()
    };
    assert_eq!(kinds(&groups[0]), ["stale_goal"]);
    assert_eq!(
        kinds(&groups[1]),
        ["review_overdue", "no_upcoming_sessions"]
    );
    assert!(
        kinds(&groups[2]).iter().all(|k| k == "no_owner"),
        "{:?}",
        kinds(&groups[2])
    );
    let goal = &groups[0]["items"][0];
    assert_eq!(goal["file"], "content/plan.md");
    assert_eq!(goal["goal"], "blog-visitors");
    assert_eq!(goal["latest"], "2026-02-28");
    assert_eq!(goal["stale_after_days"], 45);
    assert!(
        goal["hint"].as_str().is_some_and(|h| h.contains("actuals")),
        "{goal}"
    );
    let module = &groups[1]["items"][1];
    assert_eq!(module["last"], "2026-04-01");
    let unowned: BTreeSet<&str> = groups[2]["items"]
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|i| i["file"].as_str())
        .collect();
    assert_eq!(
        unowned,
        BTreeSet::from([
            "content/guide/channels/linkedin.md",
            "content/guide/channels/mastodon.md",
            "content/guidelines.md",
            "content/onboarding/new-hire.md",
            "content/training/basics.md",
        ])
    );

    // A `handbook.yaml` that does not load: no report, the same shape.
    hb.write("handbook.yaml", "titel: Broken\n");
    let run = hb.esiin(&["check", "--stale", "--format", "json"]);
    run.assert_failed();
    let v: Value = serde_json::from_str(&run.stdout).expect("JSON");
    assert!(v["stale"].is_null(), "{v}");
    assert_eq!(v["diagnostics"][0]["severity"], "error", "{v}");
}

#[test]
fn stale_report_in_the_ci_formats_and_with_errors() {
    let hb = stale_handbook();
    let run = hb.esiin(&["check", "--stale", "--format", "github"]);
    run.assert_ok();
    let notices: Vec<Command> = commands(&run)
        .into_iter()
        .filter(|c| c.level == "notice")
        .collect();
    assert_eq!(notices.len(), 8, "{}", run.stdout);
    assert!(
        notices
            .iter()
            .any(|c| c.prop("file") == Some("content/plan.md") && c.num("line") == 11)
    );

    let run = hb.esiin(&["check", "--stale", "--format", "gitlab"]);
    run.assert_ok();
    let report = code_quality(&run);
    let info: Vec<&Value> = report.iter().filter(|f| f["severity"] == "info").collect();
    assert_eq!(info.len(), 8);
    assert!(
        info.iter()
            .any(|f| f["check_name"] == "esiin/review/stale_goal")
    );
    let prints: HashSet<&str> = report
        .iter()
        .filter_map(|f| f["fingerprint"].as_str())
        .collect();
    assert_eq!(prints.len(), report.len());

    // With an error: status 1, and the report all the same.
    hb.edit("content/experts/aino-virtanen.md", "topics:", "topcis:");
    let run = hb.esiin(&["check", "--stale"]);
    run.assert_failed();
    assert!(
        run.stdout.contains("\nMari Oksanen (mari-oksanen)\n"),
        "{}",
        run.stdout
    );
}

#[test]
fn check_help_names_the_formats_and_stale() {
    let run = esiin_in(Path::new(env!("CARGO_MANIFEST_DIR")), &["check", "--help"]);
    run.assert_ok();
    for want in [
        "github",
        "gitlab",
        "--stale",
        "Code Quality",
        "workflow commands",
        "by owner",
    ] {
        assert!(run.stdout.contains(want), "{want} in\n{}", run.stdout);
    }
}
