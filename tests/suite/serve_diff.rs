//! The differential test of `esiin serve`: random sequences of edits
//! (bodies, front matter, new, deleted and renamed pages, whole folders,
//! template overrides, static files, the site's title, broken then fixed
//! files, drafts) are applied to a copy of `tests/fixtures/basic` while the
//! real `esiin serve` watches it. After each sequence, once the server has
//! settled, what it serves (`/__esiin/manifest`: every file's hash) must be
//! exactly what a clean build of the same files gives; when the clean build
//! fails, the server must report as many errors and keep serving the last
//! good site.
//!
//! Seeded: the seed is printed, and `ESIIN_DIFF_SEED=N` replays the same
//! edits (the timing of the watcher is the machine's own, so a failure that
//! depends on it may need a few runs). `ESIIN_DIFF_SEQUENCES=N` runs longer
//! (default 20). `ESIIN_KEEP_TEST_DIRS=1` keeps the handbook to look at.

use crate::support;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::sync::Once;
use std::time::{Duration, Instant};

use esiin::pipeline::{self, Options};
use esiin::serve::http::LIVE_SCRIPT_TAG;
use esiin::write::Memory;
use support::serve::Serve;
use support::{Handbook, SOURCE_DATE_EPOCH};
use xxhash_rust::xxh3::xxh3_64;

/// The shortest time without a new build after which the server counts as
/// settled (longer when its rebuilds are slow: see [`Serve::settle`]).
const QUIET: Duration = Duration::from_millis(300);
/// How long a sequence's edits may take to reach the server at all.
const NO_REBUILD: Duration = Duration::from_secs(5);
/// How long the server may take to settle before the test gives up.
const SETTLE_TIMEOUT: Duration = Duration::from_secs(30);

/// "Today" is the same in the server and in the clean builds of this
/// process: both read `SOURCE_DATE_EPOCH` (`pipeline::now`).
fn fix_today() {
    static ONCE: Once = Once::new();
    ONCE.call_once(|| {
        // SAFETY: set once, before this test binary's tests start any thread
        // of their own or read the environment (every test calls this
        // first, and `Once` makes the others wait until it is done); the
        // value is the one every other test gives the binary.
        unsafe { std::env::set_var("SOURCE_DATE_EPOCH", SOURCE_DATE_EPOCH) };
    });
}

/// xorshift64*: small, seeded, good enough to choose edits.
struct Rng(u64);

impl Rng {
    fn new(seed: u64) -> Rng {
        Rng(seed.max(1))
    }
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_f491_4f6c_dd1d)
    }
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n.max(1) as u64) as usize
    }
    fn range(&mut self, lo: usize, hi: usize) -> usize {
        lo + self.below(hi - lo + 1)
    }
    fn percent(&mut self, p: usize) -> bool {
        self.below(100) < p
    }
    fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.below(items.len())]
    }
}

/// What the server says it serves.
#[derive(Debug, Clone)]
struct Manifest {
    generation: u64,
    errors: u64,
    /// The search index is still being built for the served pages.
    search_pending: bool,
    files: BTreeMap<String, String>,
}

/// What `serve_diff` asks of the server beyond the shared helper.
impl Serve {
    fn manifest(&self) -> Manifest {
        let (status, body) = self.get("/__esiin/manifest");
        assert_eq!(status, 200, "{}", String::from_utf8_lossy(&body));
        let json: serde_json::Value = serde_json::from_slice(&body).expect("JSON");
        Manifest {
            generation: json["generation"].as_u64().expect("generation"),
            errors: json["errors"].as_u64().expect("errors"),
            search_pending: json["search_pending"].as_bool().expect("search_pending"),
            files: json["files"]
                .as_object()
                .expect("files")
                .iter()
                .map(|(k, v)| (k.clone(), v.as_str().expect("a hash").to_string()))
                .collect(),
        }
    }

    /// Waits until the server has built what is on disk: its generation
    /// has moved past `before` and then stayed put for longer than a
    /// rebuild takes (twice the slowest rebuild in its log plus the
    /// debounce, at least [`QUIET`]), so that no burst is still pending,
    /// and the search index is built for the served pages. `None` when
    /// nothing was rebuilt at all within [`NO_REBUILD`].
    fn settle(&self, before: u64) -> Option<Manifest> {
        let start = Instant::now();
        let mut last = self.manifest();
        let mut since = Instant::now();
        loop {
            std::thread::sleep(Duration::from_millis(15));
            let now = self.manifest();
            if now.generation != last.generation {
                since = Instant::now();
            }
            last = now;
            let quiet = QUIET.max(self.slowest_rebuild() * 2 + Duration::from_millis(100));
            if last.generation > before && since.elapsed() >= quiet && !last.search_pending {
                return Some(last);
            }
            if last.generation == before && start.elapsed() >= NO_REBUILD {
                return None;
            }
            assert!(
                start.elapsed() < SETTLE_TIMEOUT,
                "the server did not settle in {SETTLE_TIMEOUT:?}\n{}",
                self.log().join("\n")
            );
        }
    }

    /// The longest rebuild the server has logged (`… in N ms`).
    fn slowest_rebuild(&self) -> Duration {
        let ms = self
            .log()
            .iter()
            .filter_map(|l| {
                let rest = &l[l.find(" in ")? + 4..];
                rest.split(' ').next()?.parse::<u64>().ok()
            })
            .max()
            .unwrap_or(0);
        Duration::from_millis(ms)
    }
}

/// A file's hash as the manifest gives it.
fn hash(bytes: &[u8]) -> String {
    format!("{:016x}", xxh3_64(bytes))
}

/// What the server is compared with: the site of a clean build of `root`
/// into memory, as `serve` builds it (drafts shown, at the root of the
/// server), or the build's errors (the first line of each, as `esiin`
/// prints it: `error: content/a.md:2:1: …`).
fn clean_build(root: &Path) -> Result<BTreeMap<String, Vec<u8>>, Vec<String>> {
    let opts = Options {
        root: root.to_path_buf(),
        output: None,
        drafts: true,
        base_url: Some("/".into()),
        write_cache: false,
    };
    let sink = Memory::default();
    match pipeline::build_into(&opts, &sink) {
        Ok(_) => Ok(sink
            .into_files()
            .into_iter()
            .map(|(path, bytes)| (path, bytes.to_vec()))
            .collect()),
        Err(diags) => Err(diags
            .iter()
            .map(|d| {
                d.render(false)
                    .lines()
                    .next()
                    .unwrap_or_default()
                    .to_string()
            })
            .collect()),
    }
}

/// The files the manifest lists: all but dotfiles, which are never served.
fn served_paths(site: &BTreeMap<String, Vec<u8>>) -> BTreeMap<String, String> {
    site.iter()
        .filter(|(p, _)| !p.split('/').any(|s| s.starts_with('.')))
        .map(|(p, b)| (p.clone(), hash(b)))
        .collect()
}

/// Pages that are link targets: never deleted, renamed nor made drafts.
const STABLE_TARGETS: &[&str] = &[
    "plan.md",
    "guidelines.md",
    "training/basics.md",
    "experts/aino-virtanen.md",
];
/// Files broken by an unknown field, then fixed (never deleted).
const BREAKABLE: &[&str] = &[
    "content/experts/aino-virtanen.md",
    "content/experts/mari-oksanen.md",
    "content/training/basics.md",
    "content/guide/_index.md",
    "content/plan.md",
    "handbook.yaml",
];
const EXPERTS: &[&str] = &[
    "content/experts/aino-virtanen.md",
    "content/experts/mari-oksanen.md",
    "content/experts/tuomas-lehtinen.md",
];
const TOPICS: &[&str] = &[
    "rust",
    "kubernetes",
    "writing",
    "tendering",
    "data pipelines",
    "public speaking",
    "podcasting",
];
/// Where new and renamed pages go; `notes/` comes and goes as a whole.
const FOLDERS: &[&str] = &["guide", "guide/channels", "notes"];
const BROKEN_LINE: &str = "colour: blue\n";
const TEMPLATE: &str = "templates/page.html";
/// In the pages the test adds.
const BY_THE_TEST: &str = "Written by the test";

/// The handbook being edited, and what the test knows about it.
struct World {
    root: PathBuf,
    rng: Rng,
    /// `content/`-relative pages nothing links to: free to delete, rename
    /// or make drafts.
    removable: Vec<String>,
    /// Files with [`BROKEN_LINE`] in them.
    broken: Vec<String>,
    /// A counter for names and markers, so every edit changes something.
    n: usize,
    /// Whether this sequence only edits bodies: the edits `serve` answers
    /// by re-rendering just the pages that show the edited bodies.
    bodies_only: bool,
}

impl World {
    fn new(root: PathBuf, seed: u64) -> World {
        World {
            root,
            rng: Rng::new(seed),
            removable: [
                "guide/channels/linkedin.md",
                "guide/channels/mastodon.md",
                "guide/writing.md",
                "guide/podcast-ideas.md",
                "training/advanced.md",
            ]
            .map(String::from)
            .into(),
            broken: Vec::new(),
            bodies_only: false,
            n: 0,
        }
    }

    fn path(&self, rel: &str) -> PathBuf {
        self.root.join(rel)
    }

    fn read(&self, rel: &str) -> String {
        std::fs::read_to_string(self.path(rel)).unwrap_or_else(|e| panic!("read {rel}: {e}"))
    }

    /// Saves `text` at `rel` as a plain write, or as an editor's atomic
    /// save (a hidden temp file renamed over it). Says which.
    fn save(&mut self, rel: &str, text: &str) -> &'static str {
        let path = self.path(rel);
        if let Some(parent) = path.parent() {
            std::fs::create_dir_all(parent).expect("create the folder");
        }
        if self.rng.percent(50) {
            let name = path.file_name().expect("a file name").to_string_lossy();
            let tmp = path.with_file_name(format!(".{name}.esiin-diff"));
            std::fs::write(&tmp, text).expect("write the temp file");
            std::fs::rename(&tmp, &path).expect("rename it over");
            " (atomic save)"
        } else {
            std::fs::write(&path, text).expect("write the file");
            ""
        }
    }

    /// Every page under `content/`, `content/`-relative.
    fn pages(&self) -> Vec<String> {
        let mut out = Vec::new();
        for entry in walk(&self.path("content")) {
            let rel = entry
                .strip_prefix(self.path("content"))
                .expect("under content")
                .to_string_lossy()
                .replace('\\', "/");
            if rel.ends_with(".md") {
                out.push(rel);
            }
        }
        out.sort();
        out
    }

    /// Replaces the first top-level front-matter line that starts with
    /// `key:` in `text` (which must have one).
    fn set_line(text: &str, key: &str, line: &str) -> String {
        let prefix = format!("{key}:");
        let mut done = false;
        let mut out = String::new();
        for l in text.split_inclusive('\n') {
            if !done && l.starts_with(&prefix) {
                out.push_str(line);
                out.push('\n');
                done = true;
            } else {
                out.push_str(l);
            }
        }
        assert!(done, "no `{key}:` line in\n{text}");
        out
    }

    /// `text` with `line` added as the first front-matter line.
    fn insert_line(text: &str, line: &str) -> String {
        match text.strip_prefix("---\n") {
            Some(rest) => format!("---\n{line}{rest}"),
            None => format!("{line}{text}"),
        }
    }

    /// Applies one random edit and describes it.
    // Long: one match over the kinds of edit, a few lines each, kept in one
    // function so that their odds (`below(18)` and the guards) read in one
    // place; the arms draw from `rng` in a fixed order, so a seed replays
    // the same edits.
    fn edit(&mut self) -> String {
        self.n += 1;
        let n = self.n;
        // Fix what is broken more often than not.
        if !self.bodies_only && !self.broken.is_empty() && self.rng.percent(50) {
            let rel = self.broken.swap_remove(self.rng.below(self.broken.len()));
            let text = self.read(&rel).replacen(BROKEN_LINE, "", 1);
            let how = self.save(&rel, &text);
            return format!("fix {rel}{how}");
        }
        loop {
            let kind = if self.bodies_only {
                *self.rng.pick(&[0, 15])
            } else {
                self.rng.below(18)
            };
            match kind {
                0 | 1 => {
                    let pages = self.pages();
                    let rel = format!("content/{}", self.rng.pick(&pages));
                    let text = format!("{}\nParagraph {n} added by the test.\n", self.read(&rel));
                    let how = self.save(&rel, &text);
                    return format!("append a paragraph to {rel}{how}");
                }
                2 => {
                    let pages = self.pages();
                    let rel = format!("content/{}", self.rng.pick(&pages));
                    let text =
                        Self::set_line(&self.read(&rel), "title", &format!("title: Title {n}"));
                    let how = self.save(&rel, &text);
                    return format!("retitle {rel} to `Title {n}`{how}");
                }
                3 | 4 => {
                    let rel = *self.rng.pick(EXPERTS);
                    let text = self.read(rel);
                    let (text, what) = if self.rng.percent(50) {
                        let line = format!("role: Role {n}");
                        (Self::set_line(&text, "role", &line), line)
                    } else {
                        let mut topics: Vec<&str> = Vec::new();
                        for _ in 0..self.rng.range(1, 3) {
                            let t = *self.rng.pick(TOPICS);
                            if !topics.contains(&t) {
                                topics.push(t);
                            }
                        }
                        let line = format!("topics: [{}]", topics.join(", "));
                        (Self::set_line(&text, "topics", &line), line)
                    };
                    let how = self.save(rel, &text);
                    return format!("set `{what}` in {rel}{how}");
                }
                5 | 6 => {
                    let folder = *self.rng.pick(FOLDERS);
                    let page = format!("{folder}/new-{n}.md");
                    let target = *self.rng.pick(STABLE_TARGETS);
                    let text = format!(
                        "---\ntitle: New page {n}\n---\n\n{BY_THE_TEST}; see [this](@/{target}).\n"
                    );
                    let rel = format!("content/{page}");
                    let how = self.save(&rel, &text);
                    self.removable.push(page);
                    return format!("add {rel} linking to {target}{how}");
                }
                7 if !self.removable.is_empty() => {
                    let page = self
                        .removable
                        .swap_remove(self.rng.below(self.removable.len()));
                    let rel = format!("content/{page}");
                    std::fs::remove_file(self.path(&rel)).expect("delete a page");
                    return format!("delete {rel}");
                }
                8 if !self.removable.is_empty() => {
                    let i = self.rng.below(self.removable.len());
                    // The fixture's pages stay in their folder: their
                    // relative links and their kind (a module in
                    // `training/`) depend on it. The test's own go anywhere.
                    let from = &self.removable[i];
                    let folder = if self.read(&format!("content/{from}")).contains(BY_THE_TEST) {
                        self.rng.pick(FOLDERS).to_string()
                    } else {
                        from.rsplit_once('/').map_or("", |(f, _)| f).to_string()
                    };
                    let to = format!("{folder}/renamed-{n}.md");
                    let from = std::mem::replace(&mut self.removable[i], to.clone());
                    let to_path = self.path(&format!("content/{to}"));
                    std::fs::create_dir_all(to_path.parent().expect("a folder")).expect("mkdir");
                    std::fs::rename(self.path(&format!("content/{from}")), &to_path)
                        .expect("rename a page");
                    return format!("mv content/{from} content/{to}");
                }
                9 if self.path("content/notes").is_dir() && self.rng.percent(50) => {
                    std::fs::remove_dir_all(self.path("content/notes")).expect("rm -r notes");
                    self.removable.retain(|p| !p.starts_with("notes/"));
                    return "rm -r content/notes".into();
                }
                10 => {
                    let exists = self.path(TEMPLATE).is_file();
                    if exists && self.rng.percent(40) {
                        // The folder too, at times: made again later, it
                        // must be watched again.
                        if self.rng.percent(50) {
                            std::fs::remove_dir_all(self.path("templates")).expect("rm -r");
                            return "rm -r templates".into();
                        }
                        std::fs::remove_file(self.path(TEMPLATE)).expect("delete the template");
                        return format!("delete {TEMPLATE}");
                    }
                    let text = format!(
                        "{{% extends \"base.html\" %}}\n{{% block head %}}<meta name=\"esiin-diff\" content=\"{n}\">{{% endblock head %}}\n"
                    );
                    let how = self.save(TEMPLATE, &text);
                    let verb = if exists { "modify" } else { "create" };
                    return format!("{verb} {TEMPLATE} with marker {n}{how}");
                }
                11 if self.broken.len() < 2 && self.rng.percent(50) => {
                    let candidates: Vec<&str> = BREAKABLE
                        .iter()
                        .copied()
                        .filter(|r| !self.broken.iter().any(|b| b == r))
                        .collect();
                    let rel = *self.rng.pick(&candidates);
                    let text = self.read(rel);
                    let text = if rel == "handbook.yaml" {
                        format!("{text}{BROKEN_LINE}")
                    } else {
                        Self::insert_line(&text, BROKEN_LINE)
                    };
                    let how = self.save(rel, &text);
                    self.broken.push(rel.to_string());
                    return format!("break {rel} with an unknown field{how}");
                }
                12 if !self.removable.is_empty() => {
                    let rel = format!("content/{}", self.rng.pick(&self.removable));
                    let text = self.read(&rel);
                    let (text, what) = if text.contains("\ndraft: true\n") {
                        (text.replacen("\ndraft: true\n", "\n", 1), "not a draft")
                    } else {
                        (Self::insert_line(&text, "draft: true\n"), "a draft")
                    };
                    let how = self.save(&rel, &text);
                    return format!("make {rel} {what}{how}");
                }
                13 => {
                    let text = Self::set_line(
                        &self.read("handbook.yaml"),
                        "title",
                        &format!("title: Handbook {n}"),
                    );
                    let how = self.save("handbook.yaml", &text);
                    return format!("retitle the handbook to `Handbook {n}`{how}");
                }
                14 => {
                    if self.path("static").is_dir() && self.rng.percent(15) {
                        std::fs::remove_dir_all(self.path("static")).expect("rm -r static");
                        return "rm -r static".into();
                    }
                    let rel = if self.rng.percent(50) {
                        "static/downloads/checklist.txt".to_string()
                    } else {
                        format!("static/extra-{}.txt", self.rng.below(3))
                    };
                    let how = self.save(&rel, &format!("Static file, version {n}.\n"));
                    return format!("write {rel}{how}");
                }
                15 => {
                    // A new first paragraph: the page's summary, which the
                    // lists showing the page (sections, paths) read when
                    // it has no `description`.
                    let pages: Vec<String> = self
                        .pages()
                        .into_iter()
                        .filter(|p| {
                            !self
                                .read(&format!("content/{p}"))
                                .contains("\ndescription:")
                        })
                        .collect();
                    if pages.is_empty() {
                        continue;
                    }
                    let rel = format!("content/{}", self.rng.pick(&pages));
                    let text = self.read(&rel);
                    let at = text.match_indices("---\n").nth(1).map_or(0, |(i, _)| i + 4);
                    let text = format!(
                        "{}\nA new first paragraph {n}.\n\n{}",
                        &text[..at],
                        &text[at..]
                    );
                    let how = self.save(&rel, &text);
                    return format!("prepend a paragraph to {rel}{how}");
                }
                16 => {
                    // The theme's UI strings, overridden by the handbook:
                    // every page shows them.
                    let rel = "themes/default/strings/en.yaml";
                    if self.path(rel).is_file() && self.rng.percent(30) {
                        std::fs::remove_file(self.path(rel)).expect("delete the strings");
                        return format!("delete {rel}");
                    }
                    let builtin =
                        std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join(rel))
                            .expect("the built-in strings");
                    let text = builtin.replacen(
                        "skip_to_content: \"Skip to content\"",
                        &format!("skip_to_content: \"Skip to content {n}\""),
                        1,
                    );
                    let how = self.save(rel, &text);
                    return format!("override {rel} with marker {n}{how}");
                }
                17 => {
                    // A new photo under the same name: the thumbnails
                    // `serve` keeps by the photo's stamp must follow.
                    let rel = "content/experts/aino-virtanen.png";
                    let shade = (n * 37 % 256) as u8;
                    let photo = image::RgbImage::from_pixel(48, 48, image::Rgb([shade, 90, 160]));
                    let mut bytes = Vec::new();
                    photo
                        .write_to(
                            &mut std::io::Cursor::new(&mut bytes),
                            image::ImageFormat::Png,
                        )
                        .expect("encode a PNG");
                    std::fs::write(self.path(rel), bytes).expect("write the photo");
                    return format!("repaint {rel} with shade {shade}");
                }
                _ => continue,
            }
        }
    }
}

/// Every file under `dir` (none when it does not exist).
fn walk(dir: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    let Ok(entries) = std::fs::read_dir(dir) else {
        return out;
    };
    for entry in entries.flatten() {
        let path = entry.path();
        if path.is_dir() {
            out.extend(walk(&path));
        } else {
            out.push(path);
        }
    }
    out
}

/// `served` against `clean`, one line per path that differs; for a text
/// file, its first differing line as served and as built.
fn differences(
    serve: &Serve,
    served: &BTreeMap<String, String>,
    clean: &BTreeMap<String, Vec<u8>>,
) -> Vec<String> {
    let clean_hashes = served_paths(clean);
    let mut out = Vec::new();
    for (path, h) in &clean_hashes {
        match served.get(path) {
            None => out.push(format!("  missing from serve: {path}")),
            Some(s) if s != h => {
                let (_, body) = serve.get(&format!("/{path}"));
                let served_text = String::from_utf8_lossy(&body).replace(LIVE_SCRIPT_TAG, "");
                let built_text = String::from_utf8_lossy(&clean[path]);
                let first = served_text
                    .lines()
                    .zip(built_text.lines())
                    .find(|(a, b)| a != b)
                    .map(|(a, b)| format!("\n      served: {a}\n      built:  {b}"))
                    .unwrap_or_default();
                out.push(format!("  differs: {path}{first}"));
            }
            Some(_) => {}
        }
    }
    for path in served.keys() {
        if !clean_hashes.contains_key(path) {
            out.push(format!("  only in serve: {path}"));
        }
    }
    out
}

fn env_number(name: &str) -> Option<u64> {
    let value = std::env::var(name).ok()?;
    Some(
        value
            .trim()
            .parse()
            .unwrap_or_else(|_| panic!("{name} must be a number, not {value:?}")),
    )
}

/// Runs the random sequences on `hb` with `esiin serve` watching it.
fn differential(hb: &Handbook, default_sequences: u64) {
    let seed = env_number("ESIIN_DIFF_SEED").unwrap_or_else(|| {
        std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map_or(1, |d| d.as_nanos() as u64)
    });
    let sequences = env_number("ESIIN_DIFF_SEQUENCES").unwrap_or(default_sequences);
    eprintln!("serve_diff: seed {seed} (ESIIN_DIFF_SEED={seed} replays it), {sequences} sequences");
    let started = Instant::now();
    let serve = Serve::start(&hb.root);
    let mut world = World::new(hb.root.clone(), seed);
    let mut history: Vec<String> = Vec::new();
    serve.wait_for_search_index(SETTLE_TIMEOUT.saturating_sub(started.elapsed()));
    let mut before = serve.manifest();
    let clean = clean_build(&hb.root).expect("the fixture builds");
    assert_eq!(before.errors, 0, "{}", serve.log().join("\n"));
    assert_eq!(before.files, served_paths(&clean), "the first build");
    let (mut matched, mut failing) = (0, 0);

    for seq in 1..=sequences {
        let log_from = serve.log().len();
        let mut edits = Vec::new();
        world.bodies_only = world.rng.percent(30);
        if world.bodies_only {
            edits.push("  (bodies only)".to_string());
        }
        for i in 0..world.rng.range(3, 6) {
            if i > 0 {
                let pause = world.rng.below(81) as u64;
                std::thread::sleep(Duration::from_millis(pause));
                edits.push(format!("  (pause {pause} ms)"));
            }
            edits.push(format!("  {}", world.edit()));
        }
        history.push(format!("sequence {seq}:\n{}", edits.join("\n")));
        eprintln!("{}", history[history.len() - 1]);
        let fail = |what: String| -> ! {
            panic!(
                "sequence {seq} of seed {seed} (ESIIN_DIFF_SEED={seed}): {what}\n\n\
                 --- the edits, every sequence so far\n{}\n\n--- the server's log\n{}",
                history.join("\n"),
                serve.log().join("\n"),
            )
        };
        let Some(after) = serve.settle(before.generation) else {
            fail(format!(
                "the server did not rebuild within {NO_REBUILD:?} of the edits (generation {})",
                before.generation
            ))
        };
        let log: Vec<String> = serve.log().split_off(log_from);
        match clean_build(&hb.root) {
            Ok(site) => {
                matched += 1;
                if after.errors != 0 {
                    fail(format!(
                        "a clean build succeeds, but the server reports {} errors",
                        after.errors
                    ));
                }
                let diff = differences(&serve, &after.files, &site);
                if !diff.is_empty() {
                    fail(format!(
                        "what serve serves differs from a clean build:\n{}",
                        diff.join("\n")
                    ));
                }
                eprintln!(
                    "  → generation {} → {}: the {} files served are a clean build's",
                    before.generation,
                    after.generation,
                    after.files.len()
                );
            }
            Err(errors) => {
                failing += 1;
                eprintln!(
                    "  → generation {} → {}, a clean build fails: {}",
                    before.generation,
                    after.generation,
                    errors.join(" / ")
                );
                // The same errors: as many in the manifest, the same ones
                // in the terminal.
                let printed = last_failure(&log);
                if after.errors != errors.len() as u64 || printed != errors {
                    fail(format!(
                        "a clean build fails with {} errors, the server reports {}:\n\
                         --- a clean build\n{}\n--- the server's last failed rebuild\n{}",
                        errors.len(),
                        after.errors,
                        errors.join("\n"),
                        printed.join("\n")
                    ));
                }
                // The last good site stays: when no rebuild of this
                // sequence succeeded, the site is the one from before.
                let any_ok = log.iter().any(|l| l.contains(": rebuilt in "));
                if !any_ok && after.files != before.files {
                    fail(format!(
                        "every rebuild failed, yet the served site changed:\n{}",
                        differences_between(&before.files, &after.files).join("\n")
                    ));
                }
            }
        }
        before = after;
    }
    eprintln!(
        "serve_diff: {sequences} sequences ({matched} compared with a clean build, \
         {failing} failing as a clean build does) in {:.1} s",
        started.elapsed().as_secs_f64()
    );
}

/// The errors the server printed for the last failed rebuild in `log`:
/// the `error: …` lines before its `build failed` line.
fn last_failure(log: &[String]) -> Vec<String> {
    let Some(end) = log.iter().rposition(|l| l.contains(": build failed in ")) else {
        return Vec::new();
    };
    let mut errors: Vec<String> = log[..end]
        .iter()
        .rev()
        .take_while(|l| !l.starts_with('['))
        .filter(|l| l.starts_with("error: "))
        .cloned()
        .collect();
    errors.reverse();
    errors
}

fn differences_between(a: &BTreeMap<String, String>, b: &BTreeMap<String, String>) -> Vec<String> {
    let mut out = Vec::new();
    for (path, h) in a {
        match b.get(path) {
            None => out.push(format!("  removed: {path}")),
            Some(g) if g != h => out.push(format!("  changed: {path}")),
            Some(_) => {}
        }
    }
    out.extend(
        b.keys()
            .filter(|p| !a.contains_key(*p))
            .map(|p| format!("  added: {p}")),
    );
    out
}

#[test]
fn serve_serves_what_a_clean_build_gives_after_random_edits() {
    fix_today();
    // No `templates/` at the start: the edits make it (and `static/`)
    // while the server runs, remove it whole, and make it again.
    let hb = Handbook::fixture("basic");
    assert!(!hb.path("templates").exists());
    differential(&hb, 20);
}

#[test]
fn a_source_folder_created_while_serving_is_watched() {
    fix_today();
    let hb = Handbook::fixture("basic");
    assert!(!hb.path("templates").exists());
    let serve = Serve::start(&hb.root);
    let mut generation = serve.manifest().generation;
    for marker in ["created", "modified", "modified again"] {
        hb.write(
            TEMPLATE,
            format!(
                "{{% extends \"base.html\" %}}\n{{% block head %}}<meta name=\"esiin-diff\" content=\"{marker}\">{{% endblock head %}}\n"
            ),
        );
        let after = serve
            .settle(generation)
            .unwrap_or_else(|| panic!("no rebuild after `{TEMPLATE}` was {marker}"));
        generation = after.generation;
        let site = clean_build(&hb.root).expect("the handbook builds");
        let diff = differences(&serve, &after.files, &site);
        assert!(
            diff.is_empty(),
            "after `{TEMPLATE}` was {marker}, serve differs from a clean build:\n{}\n--- log\n{}",
            diff.join("\n"),
            serve.log().join("\n")
        );
    }
}

/// A link to an id that the target page's template writes (`#sessions` on
/// a module) is judged again when the target changes under `serve`, though
/// the linking page is not edited (its Markdown stays cached): the link
/// breaks when the page stops being a module and works again when it is
/// one, as a clean build says each time.
#[test]
fn an_anchor_to_a_template_id_is_judged_again_when_its_target_changes() {
    fix_today();
    let hb = Handbook::fixture("basic");
    let module = "---\ntitle: Solo\n---\nA module by its folder.\n";
    hb.write("content/training/solo.md", module);
    hb.edit(
        "content/plan.md",
        "Monthly, from the blog's statistics.",
        "See the [sessions](training/solo.md#sessions).",
    );
    let serve = Serve::start(&hb.root);
    let mut generation = serve.manifest().generation;
    for (text, errors) in [
        (module.replace("title: Solo", "title: Solo\nkind: page"), 1),
        (module.to_string(), 0),
    ] {
        hb.write("content/training/solo.md", &text);
        let after = serve
            .settle(generation)
            .unwrap_or_else(|| panic!("no rebuild after solo.md was saved"));
        generation = after.generation;
        let clean = clean_build(&hb.root);
        assert_eq!(
            after.errors,
            errors,
            "serve's errors after saving\n{text}\n--- log\n{}",
            serve.log().join("\n")
        );
        assert_eq!(clean.is_err(), errors > 0, "{:?}", clean.as_ref().err());
        if let Ok(site) = clean {
            let diff = differences(&serve, &after.files, &site);
            assert!(diff.is_empty(), "serve differs: {}", diff.join("\n"));
        }
    }
}
