//! A generator of large, valid handbooks for benchmarks and tests.
//!
//! The mix follows what a real expertise handbook holds: mostly ordinary
//! pages in nested sections, a share of expert profiles and training
//! modules (with trainers, prerequisites and sessions), onboarding paths,
//! one plan and one set of guidelines. Pages link each other with relative
//! and `@/` links and `#anchors`, carry tables and code blocks, so every
//! stage of the pipeline does its real work. Deterministic: the same `n`
//! gives the same files.

use std::fmt::Write as _;
use std::io;
use std::path::{Path, PathBuf};

/// A small deterministic pseudo-random sequence (no dependency needed).
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n.max(1) as u64) as usize
    }
}

const TOPICS: &[&str] = &[
    "rust",
    "kubernetes",
    "accessibility",
    "data engineering",
    "b2b sales",
    "content strategy",
    "leadership",
    "public sector",
    "security",
    "design systems",
    "machine learning",
    "podcasting",
    "public speaking",
    "linkedin",
    "open source",
    "testing",
    "cloud costs",
    "hiring",
];
const TEAMS: &[&str] = &["Engineering", "Sales", "Marketing", "Management", "Design"];
const WORDS: &[&str] = &[
    "asiantuntija",
    "näkyvyys",
    "koulutus",
    "expert",
    "visibility",
    "channel",
    "audience",
    "talk",
    "blog",
    "post",
    "community",
    "meetup",
    "customer",
    "story",
    "practice",
    "example",
    "share",
    "write",
    "measure",
    "goal",
    "team",
    "learn",
    "present",
    "curate",
    "coach",
];

fn sentence(rng: &mut Rng, words: usize) -> String {
    let mut s = String::new();
    for i in 0..words {
        if i > 0 {
            s.push(' ');
        }
        s.push_str(WORDS[rng.below(WORDS.len())]);
    }
    if let Some(first) = s.get(..1) {
        let upper = first.to_uppercase();
        s.replace_range(..1, &upper);
    }
    s.push('.');
    s
}

/// Top-level sections: what the navigation shows.
const AREAS: usize = 6;

fn section_dir(s: usize) -> String {
    format!("area-{}/section-{s}", s % AREAS)
}

/// Writes a handbook of about `n` pages into `dir` (which must be empty or
/// absent).
pub fn generate(dir: &Path, n: usize) -> io::Result<()> {
    generate_with(dir, n, None)
}

/// Like [`generate`], with `experts` expert profiles (instead of one page in
/// twenty), each with a photo of about the size a phone or a photographer
/// delivers when `photos` is set: what the directory costs at scale.
pub fn generate_experts(dir: &Path, n: usize, experts: usize, photos: bool) -> io::Result<()> {
    generate_with(dir, n, Some((experts, photos)))
}

/// A small handbook with one crowded expert and one crowded page: the
/// expert `experts/wide.md` names `topics` topics and the page
/// `guide/wide.md` has `tags` tags (none of which an expert covers, so each
/// is an expertise gap). A second expert shares the expert's first topics,
/// so topic pages list two people. What the build costs per topic or tag,
/// with nothing else to hide it: a step that is quadratic in one page's
/// list shows here.
pub fn generate_wide(dir: &Path, topics: usize, tags: usize) -> io::Result<()> {
    let content = dir.join("content");
    std::fs::create_dir_all(content.join("experts"))?;
    std::fs::create_dir_all(content.join("guide"))?;
    std::fs::write(
        dir.join("handbook.yaml"),
        "title: Wide handbook\nbase_url: https://intra.example.com/handbook/\n",
    )?;
    std::fs::write(
        content.join("_index.md"),
        "---\ntitle: Home\n---\nWelcome.\n",
    )?;
    std::fs::write(
        content.join("experts/_index.md"),
        "---\ntitle: Experts\n---\n",
    )?;
    std::fs::write(content.join("guide/_index.md"), "---\ntitle: Guide\n---\n")?;
    let list = |prefix: &str, n: usize| -> String {
        (0..n).map(|k| format!("  - {prefix} {k}\n")).collect()
    };
    std::fs::write(
        content.join("experts/wide.md"),
        format!(
            "---\ntitle: Wide Expert\nrole: Consultant\nteam: Engineering\ntopics:\n{}---\nKnows a lot.\n",
            list("topic", topics)
        ),
    )?;
    std::fs::write(
        content.join("experts/narrow.md"),
        "---\ntitle: Narrow Expert\ntopics: [topic 0, topic 1, topic 2]\n---\nKnows a little.\n",
    )?;
    std::fs::write(
        content.join("guide/wide.md"),
        format!(
            "---\ntitle: Wide page\nowner: wide\ntags:\n{}---\nAbout many things.\n",
            list("tag", tags)
        ),
    )?;
    Ok(())
}

/// A photo-like JPEG: smooth colour with grain, so it compresses like a
/// photograph rather than a flat test card.
fn photo(seed: u64, side: u32) -> io::Result<Vec<u8>> {
    let mut rng = Rng(seed | 1);
    let (r0, g0, b0) = (
        (seed % 200) as u8 + 30,
        ((seed / 7) % 200) as u8 + 30,
        ((seed / 49) % 200) as u8 + 30,
    );
    let img = image::RgbImage::from_fn(side, side, |x, y| {
        let noise = (rng.next() % 24) as u8;
        let fx = (x * 60 / side) as u8;
        let fy = (y * 60 / side) as u8;
        image::Rgb([
            r0.saturating_add(fx).saturating_add(noise),
            g0.saturating_add(fy).saturating_add(noise),
            b0.saturating_add(noise),
        ])
    });
    let mut out = std::io::Cursor::new(Vec::new());
    img.write_to(&mut out, image::ImageFormat::Jpeg)
        .map_err(io::Error::other)?;
    Ok(out.into_inner())
}

fn generate_with(dir: &Path, n: usize, experts_photos: Option<(usize, bool)>) -> io::Result<()> {
    let content = dir.join("content");
    std::fs::create_dir_all(&content)?;
    std::fs::write(
        dir.join("handbook.yaml"),
        "title: Generated handbook\nbase_url: https://intra.example.com/handbook/\nlanguage: fi\ntimezone: Europe/Helsinki\n",
    )?;
    let experts = experts_photos.map_or((n / 20).max(3), |(e, _)| e.max(3));
    let modules = (n / 50).max(2);
    let paths = (n / 500).max(1);
    let pages = n.saturating_sub(experts + modules + paths + 2);
    let mut g = Generator {
        content,
        rng: Rng(0x9e37_79b9_7f4a_7c15),
        experts,
        photos: experts_photos.is_some_and(|(_, p)| p),
        modules,
        paths,
        pages,
        sections: (pages / 40).max(1),
    };
    // In this order: every page's text draws from the one random sequence.
    g.write("_index.md", "---\ntitle: Koti\n---\nTervetuloa.\n")?;
    g.experts()?;
    g.modules()?;
    g.sections()?;
    g.pages()?;
    g.paths()?;
    g.plan_and_guidelines()
}

/// A handbook being generated: where, how many of each kind, and the
/// random sequence its texts are drawn from.
struct Generator {
    content: PathBuf,
    rng: Rng,
    experts: usize,
    photos: bool,
    modules: usize,
    paths: usize,
    pages: usize,
    sections: usize,
}

impl Generator {
    /// Writes `text` at `rel` under `content/`, creating its folder.
    fn write(&self, rel: &str, text: &str) -> io::Result<()> {
        let path = self.content.join(rel);
        if let Some(parent) = path.parent() {
            std::fs::create_dir_all(parent)?;
        }
        std::fs::write(path, text)
    }

    /// The experts section: every 25th expert unlisted, with photos if
    /// asked for.
    fn experts(&mut self) -> io::Result<()> {
        self.write("experts/_index.md", "---\ntitle: Asiantuntijat\n---\n")?;
        for e in 0..self.experts {
            let rng = &mut self.rng;
            let topics: Vec<&str> = (0..3).map(|_| TOPICS[rng.below(TOPICS.len())]).collect();
            let unlisted = if e % 25 == 24 {
                "visibility: unlisted\n"
            } else {
                ""
            };
            let photo_line = if self.photos {
                std::fs::create_dir_all(self.content.join("experts"))?;
                std::fs::write(
                    self.content.join(format!("experts/expert-{e}.jpg")),
                    photo(e as u64 * 7919 + 1, 1200)?,
                )?;
                format!("photo: expert-{e}.jpg\n")
            } else {
                String::new()
            };
            let text = format!(
                "---\ntitle: Expert {e}\nrole: Consultant\nteam: {}\nlanguages: [Finnish, English]\ntopics: [{}]\nask_me_about: [\"{}\"]\navailable_for: [talks, mentoring]\nchannels:\n  github: expert{e}\n  linkedin: https://www.linkedin.com/in/expert{e}\n{unlisted}{photo_line}---\n{}\n\n## Talks\n\n{}\n",
                TEAMS[e % TEAMS.len()],
                topics.join(", "),
                sentence(&mut self.rng, 4),
                sentence(&mut self.rng, 30),
                sentence(&mut self.rng, 20),
            );
            self.write(&format!("experts/expert-{e}.md"), &text)?;
        }
        Ok(())
    }

    /// The training section: modules with trainers, a session each, and
    /// chains of prerequisites.
    fn modules(&mut self) -> io::Result<()> {
        self.write("training/_index.md", "---\ntitle: Koulutus\n---\n")?;
        let experts = self.experts;
        for m in 0..self.modules {
            let prereq = if m > 0 && m % 3 != 0 {
                format!("prerequisites: [module-{}]\n", m - 1)
            } else {
                String::new()
            };
            let text = format!(
                "---\ntitle: Module {m}\nsummary: {}\nformat: workshop\nduration: 90min\naudience: Everyone\nobjectives: [\"{}\"]\n{prereq}trainers: [expert-{}, expert-{}]\nmaterials:\n  - {{title: Guide, url: \"@/area-0/section-0/page-0.md#usage\"}}\nsessions:\n  - start: 2027-0{}-1{} 09:00\n    end: 2027-0{}-1{} 10:30\n    location: Tampere\n    seats: 12\n---\n{}\n\n## Agenda\n\n{}\n",
                sentence(&mut self.rng, 8),
                sentence(&mut self.rng, 5),
                m % experts,
                (m + 1) % experts,
                1 + m % 9,
                m % 10,
                1 + m % 9,
                m % 10,
                sentence(&mut self.rng, 40),
                sentence(&mut self.rng, 25),
            );
            self.write(&format!("training/module-{m}.md"), &text)?;
        }
        Ok(())
    }

    /// The areas and the sections in them.
    fn sections(&mut self) -> io::Result<()> {
        for a in 0..AREAS {
            let text = format!(
                "---\ntitle: Area {a}\nweight: {a}\n---\n{}\n",
                sentence(&mut self.rng, 12)
            );
            self.write(&format!("area-{a}/_index.md"), &text)?;
        }
        for s in 0..self.sections {
            let text = format!(
                "---\ntitle: Section {s}\nweight: {s}\n---\n{}\n",
                sentence(&mut self.rng, 12)
            );
            self.write(&format!("{}/_index.md", section_dir(s)), &text)?;
        }
        Ok(())
    }

    /// The plain pages, spread over the sections (every seventh one level
    /// deeper), each linking another page's heading, the plan and an
    /// expert.
    fn pages(&mut self) -> io::Result<()> {
        let (pages, sections, experts) = (self.pages, self.sections, self.experts);
        for p in 0..pages {
            let rng = &mut self.rng;
            let mut body = String::new();
            let _ = writeln!(body, "{}\n", sentence(rng, 60));
            let _ = writeln!(body, "## Usage\n\n{}\n", sentence(rng, 80));
            let target = rng.below(pages);
            let _ = writeln!(
                body,
                "See [a related page](@/{}.md#usage), [the plan](@/plan.md) and [an expert](@/experts/expert-{}.md).\n",
                page_path(target, sections),
                rng.below(experts)
            );
            let _ = writeln!(
                body,
                "## Details\n\n| Key | Value |\n|---|---|\n| a | {} |\n| b | {} |\n",
                p, target
            );
            if p % 5 == 0 {
                let _ = writeln!(
                    body,
                    "```rust\nfn main() {{\n    println!(\"{p}\");\n}}\n```\n"
                );
            }
            let _ = writeln!(body, "> [!TIP]\n> {}\n", sentence(rng, 12));
            let _ = writeln!(body, "### Notes\n\n{}\n", sentence(rng, 100));
            let text = format!(
                "---\ntitle: Page {p}\ndescription: {}\nweight: {}\nowner: expert-{}\ntags: [{}]\n---\n{body}",
                sentence(rng, 10),
                p % 13,
                p % experts,
                TOPICS[p % TOPICS.len()],
            );
            self.write(&format!("{}.md", page_path(p, sections)), &text)?;
        }
        Ok(())
    }

    /// The onboarding paths, six pages each.
    fn paths(&mut self) -> io::Result<()> {
        self.write("onboarding/_index.md", "---\ntitle: Perehdytys\n---\n")?;
        for k in 0..self.paths {
            let mut steps = String::new();
            for j in 0..6 {
                let p = (k * 6 + j) % self.pages.max(1);
                let _ = writeln!(
                    steps,
                    "  - {{page: {}, minutes: 15, note: \"Step {j}\"}}",
                    page_path(p, self.sections)
                );
            }
            self.write(
                &format!("onboarding/path-{k}.md"),
                &format!(
                    "---\ntitle: Path {k}\naudience: New hires\nsteps:\n{steps}---\nWelcome.\n"
                ),
            )?;
        }
        Ok(())
    }

    /// The visibility plan (four goals) and the guidelines.
    fn plan_and_guidelines(&self) -> io::Result<()> {
        let mut goals = String::new();
        for (g, name) in ["visitors", "referrals", "contacts", "share"]
            .iter()
            .enumerate()
        {
            let _ = writeln!(
                goals,
                "  - id: {name}\n    title: Goal {g}\n    metric: {name}\n    unit: n\n    baseline: 10\n    target: 100\n    due: 2026-12-31\n    actuals:\n      - {{date: 2026-03-31, value: 30}}\n      - {{date: 2026-06-30, value: 50}}"
            );
        }
        self.write(
            "plan.md",
            &format!(
                "---\ntitle: Plan\nkind: plan\nperiod: {{start: 2026-01-01, end: 2026-12-31}}\nowners: [expert-0]\ngoals:\n{goals}---\n## Näkyvyys ja tavoitteet\n\nText.\n"
            ),
        )?;
        self.write(
            "guidelines.md",
            "---\ntitle: Guidelines\nkind: guidelines\nrules:\n  - {do: Share what you know, dont: Share what you don't}\n  - {do: Be kind}\n---\nWhy.\n",
        )
    }
}

/// Where plain page `p` is, under `content/` and without `.md`: in section
/// `p % sections`, every seventh one in its `sub/` folder.
fn page_path(p: usize, sections: usize) -> String {
    let s = p % sections;
    if p % 7 == 6 {
        format!("{}/sub/page-{p}", section_dir(s))
    } else {
        format!("{}/page-{p}", section_dir(s))
    }
}

/// Commits the handbook generated in `dir` to a new git repository there,
/// with a history like a real one's: the pages arrive over the first third
/// of `commits` commits, and each of the others edits a few dozen pages
/// picked at random; one commit a day from 2025-01-01, by one of a few
/// authors. Each file's last version is the file as it is, so the work
/// tree is clean. One `git fast-import` run, not a process per commit.
pub fn commit_history(dir: &Path, commits: usize) -> io::Result<()> {
    use std::io::Write as _;
    let mut files = Vec::new();
    list_files(dir, Path::new(""), &mut files)?;
    files.sort();
    let touches = history(files.len(), commits.max(2));
    let mut last = vec![0; files.len()];
    for (c, touched) in touches.iter().enumerate() {
        for &f in touched {
            last[f] = c;
        }
    }
    run_git(dir, &["init", "-q"], None)?;
    let mut stream = Vec::new();
    for (c, touched) in touches.iter().enumerate() {
        let author = [
            "Mari Oksanen",
            "Aino Virtanen",
            "Jussi Laine",
            "Sofia Niemi",
        ][c % 4];
        let time = 1_735_689_600 + c as i64 * 86_400 + (c as i64 * 3_607) % 36_000;
        let who = format!("{author} <editor{}@example.com> {time} +0000", c % 4);
        let message = format!("Edit {c}\n");
        let _ = write!(
            stream,
            "commit refs/heads/main\nauthor {who}\ncommitter {who}\ndata {}\n{message}",
            message.len()
        );
        for &f in touched {
            let mut bytes = std::fs::read(dir.join(&files[f]))?;
            if last[f] != c {
                bytes.extend_from_slice(format!("\n<!-- version {c} -->\n").as_bytes());
            }
            let _ = write!(
                stream,
                "M 100644 inline {}\ndata {}\n",
                files[f],
                bytes.len()
            );
            stream.extend_from_slice(&bytes);
            stream.push(b'\n');
        }
    }
    run_git(dir, &["fast-import", "--quiet"], Some(&stream))?;
    // The index as the work tree: `git status` is clean, as in a checkout.
    run_git(dir, &["reset", "-q"], None)
}

/// For each commit, the files it touches: every file once in the first
/// third of the commits (in order), then a random few in each of the rest.
fn history(files: usize, commits: usize) -> Vec<Vec<usize>> {
    let arrivals = (commits / 3).max(1);
    let mut touches = vec![Vec::new(); commits];
    for f in 0..files {
        touches[f * arrivals / files.max(1)].push(f);
    }
    let per_edit = (files / (commits - arrivals).max(1)).max(1);
    let mut rng = Rng(0x2545_f491_4f6c_dd1d);
    for touched in &mut touches[arrivals..] {
        let mut picked: Vec<usize> = (0..per_edit).map(|_| rng.below(files)).collect();
        picked.sort_unstable();
        picked.dedup();
        *touched = picked;
    }
    touches
}

/// Every file under `dir/rel`, as `/`-separated paths relative to `dir`,
/// but the output and hidden files (`.git`, `.esiin-cache`).
fn list_files(dir: &Path, rel: &Path, out: &mut Vec<String>) -> io::Result<()> {
    for entry in std::fs::read_dir(dir.join(rel))? {
        let entry = entry?;
        let name = entry.file_name();
        if name.to_string_lossy().starts_with('.')
            || (rel.as_os_str().is_empty() && name == "public")
        {
            continue;
        }
        let rel = rel.join(entry.file_name());
        if entry.file_type()?.is_dir() {
            list_files(dir, &rel, out)?;
        } else {
            out.push(rel.to_string_lossy().replace('\\', "/"));
        }
    }
    Ok(())
}

/// Runs `git ARGS` in `dir`, without the machine's git configuration,
/// feeding it `input`.
fn run_git(dir: &Path, args: &[&str], input: Option<&[u8]>) -> io::Result<()> {
    use std::io::Write as _;
    use std::process::{Command, Stdio};
    let mut child = Command::new("git")
        .current_dir(dir)
        .args(["-c", "init.defaultBranch=main"])
        .args(args)
        .env("GIT_CONFIG_GLOBAL", "/dev/null")
        .env("GIT_CONFIG_NOSYSTEM", "1")
        .env_remove("GIT_DIR")
        .env_remove("GIT_WORK_TREE")
        .stdin(Stdio::piped())
        .spawn()?;
    if let (Some(mut stdin), Some(input)) = (child.stdin.take(), input) {
        stdin.write_all(input)?;
    }
    let status = child.wait()?;
    if !status.success() {
        return Err(io::Error::other(format!("git {args:?} failed: {status}")));
    }
    Ok(())
}

/// Reads the dates of every page of the handbook at `root` from git, as a
/// build does (the repository found, history read once): how many pages
/// got one. For the `git_dates` benchmark.
pub fn git_dates(root: &Path) -> usize {
    let mut files = Vec::new();
    let _ = list_files(root, Path::new("content"), &mut files);
    let pages: Vec<&str> = files
        .iter()
        .filter_map(|f| f.strip_prefix("content/"))
        .filter(|f| f.ends_with(".md"))
        .collect();
    let mut cache = crate::load::git::Cache::default();
    crate::load::git::dates(root, &pages, &mut cache).len()
}
