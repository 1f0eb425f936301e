//! Issue #10, rules 1 and 2: nothing from outside the handbook is
//! published (symlinks must stay inside the root), and only regular files
//! are read (a FIFO or a device is an error, not a hang or an allocation).
//! Each case breaks a built handbook, then runs `build` and `check`, each
//! killed after [`TIMEOUT`] so that a regression fails rather than hangs,
//! and proves the previous output was left whole.

use std::os::unix::fs::symlink;
use std::path::Path;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use crate::support::serve::Serve;
use crate::support::{Handbook, Run, SOURCE_DATE_EPOCH, assert_same_files, snapshot};

/// Longer than any build of the fixture takes on a loaded machine.
const TIMEOUT: Duration = Duration::from_secs(20);

/// `esiin ARGS --root ROOT`, killed (and the test failed) after [`TIMEOUT`].
fn esiin_bounded(hb: &Handbook, args: &[&str]) -> Run {
    let name = args.join("-");
    let out = hb.outer().join(format!("{name}.stdout"));
    let err = hb.outer().join(format!("{name}.stderr"));
    let file = |p: &Path| std::fs::File::create(p).expect("an output file");
    let mut child = Command::new(env!("CARGO_BIN_EXE_esiin"))
        .args(args)
        .arg("--root")
        .arg(&hb.root)
        .current_dir(&hb.root)
        .env("NO_COLOR", "1")
        .env("SOURCE_DATE_EPOCH", SOURCE_DATE_EPOCH)
        .env_remove("RUST_BACKTRACE")
        .stdin(Stdio::null())
        .stdout(file(&out))
        .stderr(file(&err))
        .spawn()
        .expect("run esiin");
    let start = Instant::now();
    let status = loop {
        if let Some(status) = child.try_wait().expect("wait for esiin") {
            break status;
        }
        if start.elapsed() > TIMEOUT {
            let _ = child.kill();
            let _ = child.wait();
            panic!("esiin {args:?} did not finish in {TIMEOUT:?}");
        }
        std::thread::sleep(Duration::from_millis(20));
    };
    let read =
        |p: &Path| String::from_utf8_lossy(&std::fs::read(p).unwrap_or_default()).into_owned();
    Run {
        code: status.code(),
        stdout: read(&out),
        stderr: read(&err),
    }
}

/// Builds the basic fixture, applies `breakage` (which returns the first
/// line of the error it should cause), and asserts that `build` and
/// `check` both fail with exactly that error and `hint`, leaving `public/`
/// byte-identical and no staging folder.
fn refused(breakage: impl FnOnce(&Handbook) -> String, hint: &str) {
    let hb = Handbook::fixture("basic");
    hb.build_ok();
    let before = snapshot(&hb.public());
    let first = breakage(&hb);
    for command in ["build", "check"] {
        let run = esiin_bounded(&hb, &[command]);
        run.assert_failed().assert_error(&first, Some(hint));
        assert_eq!(run.error_count(), 1, "{command}: one error\n{}", run.stderr);
        assert_same_files(&before, &snapshot(&hb.public()), command);
        hb.assert_no_staging_left();
    }
}

const COPY_FILE: &str = "copy the file into the handbook instead of linking to it";
const COPY_FOLDER: &str = "copy the folder into the handbook instead of linking to it";
const SPECIAL: &str =
    "only regular files and folders are read: replace it with a regular file, or remove it";

fn link(target: impl AsRef<Path>, hb: &Handbook, rel: &str) {
    let at = hb.path(rel);
    if let Some(parent) = at.parent() {
        std::fs::create_dir_all(parent).expect("the link's folder");
    }
    symlink(target, at).expect("make the symlink");
}

fn mkfifo(hb: &Handbook, rel: &str) {
    let made = Command::new("mkfifo")
        .arg(hb.path(rel))
        .status()
        .expect("run mkfifo");
    assert!(made.success(), "mkfifo {rel}");
}

/// A file outside the handbook root (beside it, in the test's temp
/// folder), with its canonical path as the error shows it.
fn outside_file(hb: &Handbook, name: &str, text: &str) -> String {
    let path = hb.outer().join(name);
    std::fs::write(&path, text).expect("write a file outside the root");
    canonical(&path)
}

fn canonical(path: &Path) -> String {
    path.canonicalize()
        .expect("canonical")
        .display()
        .to_string()
}

fn outside_error(at: &str, to: &str) -> String {
    format!("{at}: symlink points outside the handbook (to {to})")
}

#[test]
fn the_build_environment_is_not_published() {
    refused(
        |hb| {
            link("/proc/self/environ", hb, "content/guide/env.txt");
            outside_error("content/guide/env.txt", "/proc/self/environ")
        },
        COPY_FILE,
    );
}

#[test]
fn a_system_file_is_not_published() {
    refused(
        |hb| {
            link("/etc/passwd", hb, "content/guide/passwd.txt");
            outside_error("content/guide/passwd.txt", "/etc/passwd")
        },
        COPY_FILE,
    );
}

#[test]
fn a_folder_outside_the_root_is_not_published() {
    refused(
        |hb| {
            let secret = hb.outer().join("secret");
            std::fs::create_dir_all(&secret).expect("a folder");
            std::fs::write(secret.join("key.txt"), "secret").expect("a file");
            // Relative: the message shows where it resolves.
            link("../../../secret", hb, "content/guide/outside");
            outside_error("content/guide/outside", &canonical(&secret))
        },
        COPY_FOLDER,
    );
}

#[test]
fn a_page_outside_the_root_is_not_rendered() {
    refused(
        |hb| {
            let page = outside_file(hb, "secret.md", "---\ntitle: Secret\n---\nSalaisuus.\n");
            link(&page, hb, "content/guide/secret.md");
            outside_error("content/guide/secret.md", &page)
        },
        COPY_FILE,
    );
}

#[test]
fn a_static_file_outside_the_root_is_not_copied() {
    refused(
        |hb| {
            link("/etc/passwd", hb, "static/passwd");
            outside_error("static/passwd", "/etc/passwd")
        },
        COPY_FILE,
    );
}

#[test]
fn a_static_folder_outside_the_root_is_not_copied() {
    refused(
        |hb| {
            let elsewhere = hb.outer().join("elsewhere");
            std::fs::rename(hb.path("static"), &elsewhere).expect("move static/ out");
            link(&elsewhere, hb, "static");
            outside_error("static", &canonical(&elsewhere))
        },
        COPY_FOLDER,
    );
}

#[test]
fn a_template_outside_the_root_is_not_read() {
    refused(
        |hb| {
            let template = outside_file(hb, "page.html", "{{ now() }}");
            link(&template, hb, "templates/page.html");
            outside_error("templates/page.html", &template)
        },
        COPY_FILE,
    );
}

#[test]
fn a_theme_file_outside_the_root_is_not_read() {
    refused(
        |hb| {
            hb.edit(
                "handbook.yaml",
                "language: en\n",
                "language: en\ntheme: mine\n",
            );
            link("/etc/passwd", hb, "themes/mine/static/passwd.txt");
            outside_error("themes/mine/static/passwd.txt", "/etc/passwd")
        },
        COPY_FILE,
    );
}

#[test]
fn dev_zero_as_a_page_is_refused() {
    refused(
        |hb| {
            link("/dev/zero", hb, "content/guide/zero.md");
            "content/guide/zero.md: a link to a character device (/dev/zero), not a regular file"
                .into()
        },
        SPECIAL,
    );
}

#[test]
fn dev_zero_as_an_asset_is_refused() {
    refused(
        |hb| {
            link("/dev/zero", hb, "content/guide/zero.bin");
            "content/guide/zero.bin: a link to a character device (/dev/zero), not a regular file"
                .into()
        },
        SPECIAL,
    );
}

#[test]
fn a_fifo_as_a_page_is_refused() {
    refused(
        |hb| {
            mkfifo(hb, "content/guide/pipe.md");
            "content/guide/pipe.md: a named pipe (FIFO), not a regular file".into()
        },
        SPECIAL,
    );
}

#[test]
fn a_fifo_as_an_asset_is_refused() {
    refused(
        |hb| {
            mkfifo(hb, "content/guide/p.txt");
            "content/guide/p.txt: a named pipe (FIFO), not a regular file".into()
        },
        SPECIAL,
    );
}

#[test]
fn a_fifo_as_a_template_is_refused() {
    refused(
        |hb| {
            std::fs::create_dir_all(hb.path("templates")).expect("templates/");
            mkfifo(hb, "templates/page.html");
            "templates/page.html: a named pipe (FIFO), not a regular file".into()
        },
        SPECIAL,
    );
}

#[test]
fn a_fifo_as_the_configuration_is_refused() {
    refused(
        |hb| {
            hb.remove("handbook.yaml");
            mkfifo(hb, "handbook.yaml");
            "handbook.yaml: a named pipe (FIFO), not a regular file".into()
        },
        SPECIAL,
    );
}

#[test]
fn a_page_over_the_limit_is_refused_without_reading_it() {
    refused(
        |hb| {
            // Sparse: 6 GB on the file system's books, no blocks on disk.
            let file = std::fs::File::create(hb.path("content/guide/huge.md")).expect("create");
            file.set_len(6 << 30).expect("a sparse 6 GB file");
            "content/guide/huge.md: the page is larger than 8 MB, the limit".into()
        },
        "split it into several pages",
    );
}

#[test]
fn symlinks_inside_the_root_keep_working() {
    let hb = Handbook::fixture("basic");
    hb.write(
        "shared/note.md",
        "---\ntitle: Shared note\n---\nKept outside `content/`, linked in.\n",
    );
    hb.write("shared/files/handout.txt", "handout");
    link("../../shared/note.md", &hb, "content/guide/note.md");
    link("../../shared/files", &hb, "content/guide/files");
    link("../content/guide/diagram.png", &hb, "static/diagram.png");
    // An absolute link into the root is inside it too.
    link(
        hb.path("shared/files/handout.txt"),
        &hb,
        "static/handout.txt",
    );
    let run = esiin_bounded(&hb, &["build"]);
    run.assert_ok();
    assert!(hb.page("guide/note/index.html").contains("Shared note"));
    assert_eq!(hb.page("guide/files/handout.txt"), "handout");
    assert_eq!(hb.page("handout.txt"), "handout");
    assert_eq!(
        std::fs::read(hb.public().join("diagram.png")).expect("copied"),
        std::fs::read(hb.path("content/guide/diagram.png")).expect("the source"),
    );
}

#[test]
fn a_symlink_loop_is_still_reported_as_a_loop() {
    refused(
        |hb| {
            link("..", hb, "content/guide/loop");
            "content/guide/loop: symlink loop: this link points back to `content`".into()
        },
        "remove the link or point it outside its own folder",
    );
}

#[test]
fn a_dangling_link_is_named_as_one() {
    refused(
        |hb| {
            link("nowhere.md", hb, "content/guide/dangling.md");
            "content/guide/dangling.md: symlink points to `nowhere.md`, which does not exist".into()
        },
        "point the link at a file inside the handbook, or remove it",
    );
}

#[test]
fn a_link_to_the_file_system_root_is_outside_not_a_loop() {
    refused(
        |hb| {
            link("/", hb, "content/slash");
            outside_error("content/slash", "/")
        },
        COPY_FOLDER,
    );
}

#[test]
fn serve_shows_the_error_and_does_not_serve_the_file() {
    let hb = Handbook::fixture("basic");
    link("/etc/passwd", &hb, "content/guide/passwd.txt");
    let serve = Serve::start(&hb.root);
    serve.wait_for_line(TIMEOUT, |l| {
        l.contains("content/guide/passwd.txt: symlink points outside the handbook")
    });
    for path in ["/guide/passwd.txt", "/handbook/guide/passwd.txt"] {
        let (status, body) = serve.get(path);
        assert_ne!(status, 200, "{path}: {}", String::from_utf8_lossy(&body));
        assert!(!String::from_utf8_lossy(&body).contains("root:x:0:0"));
    }
    let (status, manifest) = serve.get("/__esiin/manifest");
    assert_eq!(status, 200);
    let manifest: serde_json::Value = serde_json::from_slice(&manifest).expect("JSON");
    assert_eq!(manifest["errors"], serde_json::json!(1), "{manifest}");
}

#[test]
fn a_fifo_added_while_serving_is_an_error_and_rebuilds_go_on() {
    let hb = Handbook::fixture("basic");
    let serve = Serve::start(&hb.root);
    serve.wait_for_line(TIMEOUT, |l| l.contains("http://"));
    mkfifo(&hb, "content/guide/pipe.md");
    serve.wait_for_line(TIMEOUT, |l| {
        l.contains("content/guide/pipe.md: a named pipe (FIFO), not a regular file")
    });
    // The rebuild did not hang on the pipe: the next save is built.
    hb.remove("content/guide/pipe.md");
    let start = Instant::now();
    loop {
        let (_, manifest) = serve.get("/__esiin/manifest");
        let manifest: serde_json::Value = serde_json::from_slice(&manifest).expect("JSON");
        if manifest["errors"] == serde_json::json!(0) {
            break;
        }
        if start.elapsed() > TIMEOUT {
            serve.unreachable("no good rebuild after the pipe was removed");
        }
        std::thread::sleep(Duration::from_millis(50));
    }
}
