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
    generate_with(dir, n, None, None)
}

/// How heavy the plain pages are, when not today's light ones (about 260
/// words and a code block in five pages, ~2 KB): `words` words of prose a
/// page, in paragraphs under headings, and `code_rate` code blocks a page
/// on average (fractional: 0.5 is one page in two), each 5–25 lines of
/// rust, python, yaml, bash or json.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Weight {
    /// Words of prose on each plain page.
    pub words: usize,
    /// Code blocks a plain page, on average.
    pub code_rate: f64,
}

impl Weight {
    /// The handbook measured in issue #15: at 10,000 pages about 66 MB of
    /// Markdown (~6.5 KB a page) and about 10,000 code blocks.
    pub const HEAVY: Weight = Weight {
        words: HEAVY_WORDS,
        code_rate: HEAVY_CODE_RATE,
    };
}

/// The heavy preset's words a page and code blocks a page: tuned so that
/// 10,000 pages (of which ~9,300 plain) make ~66 MB and ~10,000 blocks.
const HEAVY_WORDS: usize = 830;
const HEAVY_CODE_RATE: f64 = 1.08;

/// Like [`generate`], with plain pages of the given weight.
pub fn generate_weighted(dir: &Path, n: usize, weight: Weight) -> io::Result<()> {
    generate_with(dir, n, None, Some(weight))
}

/// What `esiin generate` writes: `experts` experts (with photos if
/// `photos`), plain pages of `weight` if given, else today's light ones.
pub fn generate_custom(
    dir: &Path,
    n: usize,
    experts: usize,
    photos: bool,
    weight: Option<Weight>,
) -> io::Result<()> {
    generate_with(dir, n, Some((experts, photos)), weight)
}

/// Like [`generate`], with `experts` expert profiles (instead of one page in
/// twenty), each with a photo of about the size a phone or a photographer
/// delivers when `photos` is set: what the directory costs at scale.
pub fn generate_experts(dir: &Path, n: usize, experts: usize, photos: bool) -> io::Result<()> {
    generate_with(dir, n, Some((experts, photos)), None)
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

fn generate_with(
    dir: &Path,
    n: usize,
    experts_photos: Option<(usize, bool)>,
    weight: Option<Weight>,
) -> io::Result<()> {
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
        weight,
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
    /// Heavy plain pages, if set; else today's light ones (unchanged, so
    /// the benchmarks on them stay comparable).
    weight: Option<Weight>,
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
            if let Some(weight) = self.weight {
                let text = heavy_page(&mut self.rng, p, weight, pages, sections, experts);
                self.write(&format!("{}.md", page_path(p, sections)), &text)?;
                continue;
            }
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

/// More words for heavy pages: a handbook's vocabulary is thousands of
/// forms, not 25, and the search index's size and cost grow with it.
/// Finnish words (the base form, the stem the case endings go on) take
/// case endings, so the forms are many more.
const HEAVY_WORDS_FI: &[(&str, &str)] = &[
    ("asiantuntija", "asiantuntija"),
    ("näkyvyys", "näkyvyyde"),
    ("koulutus", "koulutukse"),
    ("asiakas", "asiakkaa"),
    ("tiimi", "tiimi"),
    ("projekti", "projekti"),
    ("palvelu", "palvelu"),
    ("kehitys", "kehitykse"),
    ("tavoite", "tavoittee"),
    ("tapahtuma", "tapahtuma"),
    ("puhuja", "puhuja"),
    ("kirjoitus", "kirjoitukse"),
    ("yhteisö", "yhteisö"),
    ("työkalu", "työkalu"),
    ("menetelmä", "menetelmä"),
    ("laatu", "laadu"),
    ("testaus", "testaukse"),
    ("julkaisu", "julkaisu"),
    ("suunnitelma", "suunnitelma"),
    ("kokemus", "kokemukse"),
    ("osaaminen", "osaamise"),
    ("esitys", "esitykse"),
    ("pilvi", "pilve"),
    ("tietoturva", "tietoturva"),
    ("saavutettavuus", "saavutettavuude"),
    ("käyttäjä", "käyttäjä"),
    ("ohjelmisto", "ohjelmisto"),
    ("arkkitehtuuri", "arkkitehtuuri"),
    ("mittari", "mittari"),
    ("sopimus", "sopimukse"),
    ("myynti", "myynni"),
    ("johtaminen", "johtamise"),
];
/// Case endings with back vowels; words with front vowels only take them
/// with `a` as `ä` (vowel harmony).
const HEAVY_ENDINGS_FI: &[&str] = &["n", "lla", "lle", "ssa", "sta", "ksi", "na", "ni"];
const HEAVY_WORDS_EN: &[&str] = &[
    "the",
    "and",
    "of",
    "to",
    "a",
    "in",
    "is",
    "for",
    "with",
    "on",
    "that",
    "we",
    "our",
    "this",
    "it",
    "be",
    "as",
    "by",
    "can",
    "when",
    "how",
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
    "deployment",
    "pipeline",
    "review",
    "release",
    "incident",
    "latency",
    "budget",
    "contract",
    "workshop",
    "mentoring",
    "onboarding",
    "roadmap",
    "feedback",
    "retrospective",
    "backlog",
    "estimate",
    "migration",
    "database",
    "cluster",
    "container",
    "service",
    "interface",
    "component",
    "accessibility",
    "keyboard",
    "contrast",
    "heading",
    "summary",
    "reference",
    "checklist",
    "template",
    "glossary",
];
/// Identifiers for code: ASCII, as most code is.
const CODE_WORDS: &[&str] = &[
    "config", "user", "page", "index", "token", "count", "item", "result", "cache", "client",
    "server", "request", "handler", "path", "name", "value", "total", "limit", "retry", "timeout",
    "expert", "topic",
];
const LANGUAGES: &[&str] = &["rust", "python", "yaml", "bash", "json"];

/// A word of heavy prose: English and Finnish mixed, common words far more
/// often than rare ones (a rough Zipf: an index below a random bound).
fn heavy_word(rng: &mut Rng, out: &mut String) {
    let zipf = |rng: &mut Rng, len: usize| {
        let bound = rng.below(len) + 1;
        rng.below(bound)
    };
    if rng.below(3) == 0 {
        let (base, stem) = HEAVY_WORDS_FI[zipf(rng, HEAVY_WORDS_FI.len())];
        let ending = rng.below(HEAVY_ENDINGS_FI.len() + 2);
        match HEAVY_ENDINGS_FI.get(ending) {
            None => out.push_str(base),
            Some(ending) => {
                out.push_str(stem);
                if stem.contains(['a', 'o', 'u']) {
                    out.push_str(ending);
                } else {
                    out.push_str(&ending.replace('a', "ä"));
                }
            }
        }
    } else {
        out.push_str(HEAVY_WORDS_EN[zipf(rng, HEAVY_WORDS_EN.len())]);
    }
}

/// A paragraph of `words` words in sentences of 6–18 words.
fn paragraph(rng: &mut Rng, words: usize, out: &mut String) {
    let (mut left, mut capital) = (words, true);
    while left > 0 {
        let n = (6 + rng.below(13)).min(left);
        let start = out.len();
        for i in 0..n {
            if i > 0 {
                out.push(' ');
            }
            heavy_word(rng, out);
        }
        // Capitalise the sentence's first letter (ASCII or not).
        if capital && let Some(c) = out[start..].chars().next() {
            let upper: String = c.to_uppercase().collect();
            out.replace_range(start..start + c.len_utf8(), &upper);
        }
        // One clause in eight goes on after a comma, in lower case.
        capital = rng.below(8) != 0;
        out.push_str(if capital { ". " } else { ", " });
        left -= n;
    }
    out.truncate(out.trim_end_matches([' ', ',']).len());
    if !out.ends_with('.') {
        out.push('.');
    }
    out.push_str("\n\n");
}

/// A fenced code block of 5–25 lines in one of [`LANGUAGES`].
fn code_block(rng: &mut Rng, out: &mut String) {
    let lang = LANGUAGES[rng.below(LANGUAGES.len())];
    let lines = 5 + rng.below(21);
    let w = |rng: &mut Rng| CODE_WORDS[rng.below(CODE_WORDS.len())];
    let _ = writeln!(out, "```{lang}");
    let (a, n) = (w(rng), rng.below(1000));
    let _ = match lang {
        "rust" => writeln!(out, "fn {a}_{n}(input: &str) -> usize {{"),
        "python" => writeln!(out, "def {a}_{n}(items):"),
        "yaml" => writeln!(out, "{a}:"),
        "bash" => writeln!(out, "set -euo pipefail"),
        _ => writeln!(out, "{{"),
    };
    for i in 2..lines {
        let (a, b, n) = (w(rng), w(rng), rng.below(1000));
        let _ = match (lang, i % 3) {
            ("rust", 0) => writeln!(out, "    let {a} = input.len() * {n};"),
            ("rust", 1) => writeln!(out, "    println!(\"{a} {{}}\", {b});"),
            ("rust", _) => writeln!(out, "    // {a}: {b} {n}"),
            ("python", 0) => writeln!(out, "    {a} = [x * {n} for x in items]"),
            ("python", 1) => writeln!(out, "    print(\"{a}\", {b})"),
            ("python", _) => writeln!(out, "    # {a} {b}"),
            ("yaml", 0) => writeln!(out, "  {a}: {n}"),
            ("yaml", 1) => writeln!(out, "  {a}_{b}: \"{b}\""),
            ("yaml", _) => writeln!(out, "  - {a}"),
            ("bash", 0) => writeln!(out, "{a}_dir=\"/srv/{b}/{n}\""),
            ("bash", 1) => writeln!(out, "grep -r \"{a}\" \"${b}_dir\" | wc -l"),
            ("bash", _) => writeln!(out, "echo \"{a} {n}\""),
            _ => writeln!(out, "  \"{a}_{i}\": {n},"),
        };
    }
    let _ = match lang {
        "rust" => writeln!(out, "}}"),
        "python" => writeln!(out, "    return items"),
        "yaml" => writeln!(out, "  done: true"),
        "bash" => writeln!(out, "exit 0"),
        _ => writeln!(out, "  \"end\": true\n}}"),
    };
    out.push_str("```\n\n");
}

/// A heavy plain page: the light page's front matter, links and table,
/// then `weight.words` words in paragraphs of 40–120 words, a heading
/// every two or three, and this page's share of code blocks among them.
fn heavy_page(
    rng: &mut Rng,
    p: usize,
    weight: Weight,
    pages: usize,
    sections: usize,
    experts: usize,
) -> String {
    // Blocks so that the first p pages hold p × rate, rounded down: the
    // rate holds exactly over any run of pages, fractional or not.
    let rate = weight.code_rate.max(0.0);
    let mut blocks = ((p + 1) as f64 * rate) as usize - (p as f64 * rate) as usize;
    let mut body = String::new();
    let target = rng.below(pages);
    let _ = writeln!(
        body,
        "See [a related page](@/{}.md#usage), [the plan](@/plan.md) and [an expert](@/experts/expert-{}.md).\n",
        page_path(target, sections),
        rng.below(experts)
    );
    let _ = writeln!(
        body,
        "## Details\n\n| Key | Value |\n|---|---|\n| a | {p} |\n| b | {target} |\n"
    );
    let (mut left, mut k) = (weight.words, 0);
    while left > 0 {
        // After the intro the `#usage` other pages link to, then a heading
        // every three paragraphs.
        if k == 1 {
            body.push_str("## Usage\n\n");
        } else if k > 0 && k % 3 == 0 {
            let _ = writeln!(body, "## Notes {k}\n");
        }
        let n = (40 + rng.below(81)).min(left);
        paragraph(rng, n, &mut body);
        left -= n;
        k += 1;
        if blocks > 0 && (left == 0 || rng.below(3) == 0) {
            code_block(rng, &mut body);
            blocks -= 1;
        }
    }
    if k < 2 {
        body.push_str("## Usage\n\n");
    }
    for _ in 0..blocks {
        code_block(rng, &mut body);
    }
    format!(
        "---\ntitle: Page {p}\ndescription: {}\nweight: {}\nowner: expert-{}\ntags: [{}]\n---\n{body}",
        sentence(rng, 10),
        p % 13,
        p % experts,
        TOPICS[p % TOPICS.len()],
    )
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

#[cfg(test)]
mod tests {
    use super::*;

    /// Every file under `dir` as (`/`-separated relative path, bytes),
    /// sorted by path.
    fn files(dir: &Path) -> Vec<(String, Vec<u8>)> {
        let mut names = Vec::new();
        list_files(dir, Path::new(""), &mut names).expect("the handbook is readable");
        names.sort();
        names
            .into_iter()
            .map(|n| {
                let bytes = std::fs::read(dir.join(&n)).expect("a listed file");
                (n, bytes)
            })
            .collect()
    }

    /// The light default is what it was before weights existed: the same
    /// files, byte for byte (FNV-1a over paths and contents, and the total,
    /// recorded from the generator before the change), so the benchmarks on
    /// it stay comparable with earlier runs.
    #[test]
    fn default_output_is_unchanged() {
        let dir = tempfile::tempdir().expect("temp dir");
        generate(dir.path(), 200).expect("generate");
        let files = files(dir.path());
        let mut hash: u64 = 0xcbf2_9ce4_8422_2325;
        let mut bytes = 0;
        for (name, data) in &files {
            bytes += data.len();
            for b in name.bytes().chain(data.iter().copied()) {
                hash = (hash ^ u64::from(b)).wrapping_mul(0x100_0000_01b3);
            }
        }
        assert_eq!((files.len(), bytes), (215, 432_250));
        assert_eq!(hash, 0x89e9_93c7_53d5_cf7a);
    }

    /// Words and code blocks of the plain pages (`area-*/…/page-*.md`):
    /// (pages, prose words, code blocks, code block lines).
    fn plain_page_weight(dir: &Path) -> (usize, usize, usize, usize) {
        let (mut pages, mut words, mut blocks, mut lines) = (0, 0, 0, 0);
        for (name, data) in files(dir) {
            let file = name.rsplit('/').next().unwrap_or("");
            if !name.starts_with("content/area-") || !file.starts_with("page-") {
                continue;
            }
            pages += 1;
            let text = String::from_utf8(data).expect("UTF-8 pages");
            let body = text.splitn(3, "---\n").nth(2).unwrap_or("");
            let mut in_code = false;
            for line in body.lines() {
                if line.starts_with("```") {
                    if !in_code {
                        blocks += 1;
                    }
                    in_code = !in_code;
                } else if in_code {
                    lines += 1;
                } else if !line.starts_with(['#', '|', '-']) && !line.starts_with("See [") {
                    words += line.split_whitespace().count();
                }
            }
        }
        (pages, words, blocks, lines)
    }

    #[test]
    fn heavy_pages_have_the_asked_words_and_code_rate() {
        for weight in [
            Weight::HEAVY,
            Weight {
                words: 300,
                code_rate: 0.5,
            },
            Weight {
                words: 1500,
                code_rate: 2.0,
            },
        ] {
            let dir = tempfile::tempdir().expect("temp dir");
            generate_weighted(dir.path(), 200, weight).expect("generate");
            let (pages, words, blocks, lines) = plain_page_weight(dir.path());
            assert!(pages > 150, "{pages} plain pages");
            let per_page = words as f64 / pages as f64;
            let rate = blocks as f64 / pages as f64;
            let near = |got: f64, want: f64| (got - want).abs() <= want * 0.2;
            assert!(
                near(per_page, weight.words as f64),
                "{per_page} words a page for {weight:?}"
            );
            assert!(
                near(rate, weight.code_rate),
                "{rate} blocks a page for {weight:?}"
            );
            let per_block = lines as f64 / blocks as f64;
            assert!(
                (5.0..=25.0).contains(&per_block),
                "{per_block} lines a block"
            );
        }
    }

    /// The same weight gives the same files: benchmarks compare like with like.
    #[test]
    fn heavy_output_is_deterministic() {
        let weight = Weight {
            words: 200,
            code_rate: 0.7,
        };
        let (a, b) = (tempfile::tempdir(), tempfile::tempdir());
        let (a, b) = (a.expect("temp dir"), b.expect("temp dir"));
        generate_weighted(a.path(), 60, weight).expect("generate");
        generate_weighted(b.path(), 60, weight).expect("generate");
        assert!(files(a.path()) == files(b.path()));
    }
}
