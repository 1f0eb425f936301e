//! The template context of a page (documented in `docs/templates.md`).
//!
//! Each page gets a small context built from borrowed site data: only what
//! its own template shows (its lists, its references), never the whole site.
//! Cloning the site into every render is a known cost in other generators.

use std::collections::HashMap;

use serde::Serialize;

use crate::config::Language;
use crate::load::kinds::{self, Date, KindData, MONTHS_EN};
use crate::resolve::index::SessionRef;
use crate::resolve::{Material, Site};
use crate::text::encode_path;

use super::markdown::{Rendered, TocEntry};

/// What rendering has produced so far, that contexts read: every page's
/// rendered body (summaries, TOC), the photo thumbnails, and the build's
/// notion of now.
pub struct RenderState {
    pub rendered: Vec<std::sync::Arc<Rendered>>,
    pub photos: HashMap<usize, Photos>,
    /// The generated posters of guidelines pages.
    pub posters: HashMap<usize, PosterCtx>,
    pub now: jiff::Timestamp,
    pub build_date: String,
}

thread_local! {
    /// The pages whose rendered summary the context being built has read
    /// (see [`reading_summaries`]); `None` when nobody is recording.
    static SUMMARY_READS: std::cell::RefCell<Option<Vec<usize>>> =
        const { std::cell::RefCell::new(None) };
}

/// Runs `build` (which builds one page's context on this thread) and
/// returns, with its result, every other page whose rendered summary it
/// read. A page's context depends on its own front matter and body, on the
/// site's structure (everything in front matter), and on the summaries of
/// the pages it lists: these reads are the one dependency on *another
/// page's body*, so they are recorded where they happen ([`Site::page_ref`])
/// rather than predicted. `serve` uses them to re-render, after a body
/// edit, exactly the pages that show that body.
pub fn reading_summaries<R>(build: impl FnOnce() -> R) -> (R, Vec<usize>) {
    SUMMARY_READS.with(|r| *r.borrow_mut() = Some(Vec::new()));
    let result = build();
    let mut reads = SUMMARY_READS
        .with(|r| r.borrow_mut().take())
        .unwrap_or_default();
    reads.sort_unstable();
    reads.dedup();
    (result, reads)
}

fn note_summary_read(page: usize) {
    SUMMARY_READS.with(|r| {
        if let Some(reads) = r.borrow_mut().as_mut() {
            reads.push(page);
        }
    });
}

/// An image with its size, for `width`/`height` attributes.
#[derive(Serialize, Clone, Debug)]
pub struct Img {
    pub url: String,
    pub width: u32,
    pub height: u32,
}

/// An expert's photo at the sizes the theme shows: a card thumbnail and the
/// profile picture.
#[derive(Clone, Debug)]
pub struct Photos {
    pub card: Img,
    pub profile: Img,
}

#[derive(Serialize)]
pub struct TopicLink<'a> {
    pub name: &'a str,
    pub slug: String,
    pub url: String,
}

#[derive(Serialize)]
pub struct SiteCtx<'a> {
    pub title: &'a str,
    pub base_url: &'a str,
    pub language: &'a str,
    pub home_url: String,
    pub static_url: &'a str,
    pub build_date: String,
    pub drafts: bool,
    /// `search` from `handbook.yaml`: the theme shows the search box.
    pub search: bool,
    pub nav: Vec<NavItem<'a>>,
}

#[derive(Serialize)]
pub struct NavItem<'a> {
    pub title: &'a str,
    pub url: String,
    pub active: bool,
}

/// A link to another page, as lists and references show it.
#[derive(Serialize)]
pub struct Ref<'a> {
    pub id: &'a str,
    pub title: &'a str,
    pub url: String,
    pub kind: &'static str,
    pub description: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub role: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub team: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub summary: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub initials: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub photo_url: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub photo: Option<Img>,
    /// An expert's first [`CARD_TOPICS`] topics: what a card shows.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub topics: Option<Vec<TopicLink<'a>>>,
    /// How many topics the expert names in all, for a "+N more" chip.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub topic_count: Option<usize>,
    pub draft: bool,
}

/// The most topics a reference to an expert carries. A card shows a few
/// and "+N more"; the full list is on the expert's own page. Bounded
/// because an expert is referenced from a page per topic they name: with
/// the whole list in every reference, an expert with N topics cost N × N
/// links (10,000 topics: 100 million, more memory than a machine has).
pub const CARD_TOPICS: usize = 5;

#[derive(Serialize)]
pub struct DateCtx {
    pub iso: String,
    pub text: String,
}

#[derive(Serialize)]
pub struct Crumb<'a> {
    pub title: &'a str,
    pub url: String,
}

#[derive(Serialize)]
pub struct PageCtx<'a> {
    pub id: &'a str,
    pub kind: &'static str,
    pub title: &'a str,
    pub description: Option<&'a str>,
    pub url: String,
    pub date: Option<DateCtx>,
    pub updated: Option<DateCtx>,
    pub review_by: Option<DateCtx>,
    pub stale: bool,
    pub draft: bool,
    pub tags: &'a [String],
    pub owner: Option<Ref<'a>>,
    pub edit_url: Option<String>,
    pub content: tera::Value,
    pub toc: &'a [TocEntry],
    pub breadcrumbs: Vec<Crumb<'a>>,
    pub extra: Option<&'a serde_json::Value>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub section: Option<SectionCtx<'a>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub expert: Option<ExpertCtx<'a>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub module: Option<ModuleCtx<'a>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub plan: Option<PlanCtx<'a>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub guidelines: Option<GuidelinesCtx<'a>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub path: Option<PathCtx<'a>>,
    /// The onboarding paths this page is a step of.
    pub in_paths: Vec<InPath<'a>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub directory: Option<super::listings::DirectoryCtx<'a>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub catalogue: Option<super::listings::CatalogueCtx<'a>>,
}

#[derive(Serialize)]
pub struct SectionCtx<'a> {
    pub pages: Vec<Ref<'a>>,
    pub subsections: Vec<Ref<'a>>,
}

#[derive(Serialize)]
pub struct Channel<'a> {
    pub name: &'a str,
    pub label: String,
    pub url: String,
    pub handle: &'a str,
}

#[derive(Serialize)]
pub struct ExpertCtx<'a> {
    pub role: Option<&'a str>,
    pub team: Option<&'a str>,
    pub photo_url: Option<String>,
    pub photo: Option<Img>,
    pub initials: String,
    pub email: Option<&'a str>,
    pub location: Option<&'a str>,
    pub languages: &'a [String],
    pub topics: Vec<TopicLink<'a>>,
    pub ask_me_about: &'a [String],
    pub available_for: &'a [kinds::Availability],
    pub channels: Vec<Channel<'a>>,
    pub unlisted: bool,
    /// Modules the expert trains, each with its next session.
    pub trains: Vec<ModuleSummary<'a>>,
    /// Their upcoming sessions, across modules, in date order.
    pub sessions: Vec<SessionRow<'a>>,
    /// Pages they own.
    pub owns: Vec<Ref<'a>>,
    /// Onboarding paths that include their profile or a page they own.
    pub paths: Vec<Ref<'a>>,
}

/// A module with what a list of modules shows.
#[derive(Serialize)]
pub struct ModuleSummary<'a> {
    pub module: Ref<'a>,
    pub format: Option<&'static str>,
    pub duration: Option<DurationCtx>,
    pub audience: Option<&'a str>,
    pub trainers: Vec<Ref<'a>>,
    pub next_session: Option<SessionCtx<'a>>,
}

/// A session with its module, for lists across modules.
#[derive(Serialize)]
pub struct SessionRow<'a> {
    pub module: Ref<'a>,
    pub session: SessionCtx<'a>,
}

#[derive(Serialize)]
pub struct DurationCtx {
    pub minutes: u32,
    pub text: String,
}

#[derive(Serialize)]
pub struct MaterialCtx<'a> {
    pub title: &'a str,
    pub url: String,
}

#[derive(Serialize)]
pub struct SessionTime {
    pub iso: String,
    pub date_text: String,
    pub time_text: String,
}

#[derive(Serialize)]
pub struct SessionCtx<'a> {
    pub start: SessionTime,
    pub end: Option<SessionTime>,
    pub timezone: &'a str,
    pub location: Option<&'a str>,
    pub online_url: Option<&'a str>,
    pub signup_url: Option<&'a str>,
    pub seats: Option<u32>,
    pub past: bool,
    pub cancelled: bool,
    /// Date and time range on one line, as the page's language writes it:
    /// `Thu 24 September 2026, 09:00–12:00`, `to 24.9.2026 klo 9.00–12.00`.
    pub when_text: String,
    /// This session's own calendar file (what "Add to calendar" beside it
    /// downloads).
    pub ics_url: String,
}

#[derive(Serialize)]
pub struct ModuleCtx<'a> {
    pub summary: Option<&'a str>,
    pub format: Option<&'static str>,
    pub duration: Option<DurationCtx>,
    pub audience: Option<&'a str>,
    pub level: Option<&'a str>,
    pub objectives: &'a [String],
    pub prerequisites: Vec<Ref<'a>>,
    pub trainers: Vec<Ref<'a>>,
    pub materials: Vec<MaterialCtx<'a>>,
    pub sessions: Vec<SessionCtx<'a>>,
    pub next_session: Option<SessionCtx<'a>>,
    /// Every module to take before this one, first things first
    /// (prerequisites of prerequisites included).
    pub path_before: Vec<Ref<'a>>,
    /// Modules that list this one as a prerequisite.
    pub leads_to: Vec<Ref<'a>>,
    /// The feed of this module's upcoming sessions, to download.
    pub ics_url: String,
    /// The same feed to subscribe to, when `base_url` has an origin.
    pub webcal_url: Option<String>,
}

#[derive(Serialize)]
pub struct PeriodCtx {
    pub start: DateCtx,
    pub end: DateCtx,
}

/// A number from front matter, shown as an integer when it is whole
/// (`31`, not `31.0`).
#[derive(Clone, Copy)]
pub struct Num(pub f64);

impl Serialize for Num {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        if self.0.fract() == 0.0 && self.0.abs() < 9.0e15 {
            s.serialize_i64(self.0 as i64)
        } else {
            s.serialize_f64(self.0)
        }
    }
}

#[derive(Serialize)]
pub struct ActualCtx {
    pub date: DateCtx,
    pub value: Num,
}

#[derive(Serialize)]
pub struct GoalCtx<'a> {
    pub id: &'a str,
    pub title: &'a str,
    pub metric: Option<&'a str>,
    pub unit: Option<&'a str>,
    pub baseline: Num,
    pub target: Num,
    pub due: Option<DateCtx>,
    pub direction: kinds::Direction,
    pub actuals: Vec<ActualCtx>,
    pub latest: Option<ActualCtx>,
    /// Percent of the way from baseline to target, rounded.
    pub progress: Option<i64>,
    /// Where a straight line from baseline to target is at the latest
    /// actual's date.
    pub expected: Option<Num>,
    /// `reached`, `on_track`, `behind` or `no_data`.
    pub status: super::charts::Status,
    /// The latest actual is older than the plan's `stale_after_days`.
    pub stale_data: bool,
    /// Inline SVG (safe HTML), decorative: the table is the text equivalent.
    pub bullet_svg: tera::Value,
    pub sparkline_svg: tera::Value,
}

#[derive(Serialize)]
pub struct PlanCtx<'a> {
    pub stale_after_days: u32,
    pub period: Option<PeriodCtx>,
    pub owners: Vec<Ref<'a>>,
    pub goals: Vec<GoalCtx<'a>>,
}

#[derive(Serialize)]
pub struct GuidelinesCtx<'a> {
    pub rules: &'a [kinds::Rule],
    pub image_url: Option<String>,
    pub alt: Option<&'a str>,
    /// The poster esiin made from the rules (absent when the page gives its
    /// own `image`).
    pub poster: Option<&'a PosterCtx>,
}

/// The one-image guidelines: an A4 SVG (text as text) and a 300 dpi PNG.
#[derive(Serialize, Clone, Debug)]
pub struct PosterCtx {
    pub svg_url: String,
    pub png_url: String,
    pub width: u32,
    pub height: u32,
    /// A summary of the poster for people who cannot see it.
    pub alt: String,
}

#[derive(Serialize)]
pub struct StepCtx<'a> {
    pub number: usize,
    pub page: Ref<'a>,
    pub minutes: Option<u32>,
    pub note: Option<&'a str>,
}

#[derive(Serialize)]
pub struct PathCtx<'a> {
    pub audience: Option<&'a str>,
    pub total: DurationCtx,
    pub steps: Vec<StepCtx<'a>>,
    /// Where the browser keeps the new hire's progress (`localStorage`).
    pub storage_key: String,
}

/// A page's place in an onboarding path that includes it: a page may be a
/// step of several paths, and shows each.
#[derive(Serialize)]
pub struct InPath<'a> {
    pub path: Ref<'a>,
    /// 1-based.
    pub number: usize,
    pub total: usize,
    pub prev: Option<Ref<'a>>,
    pub next: Option<Ref<'a>>,
    pub storage_key: String,
    /// The ids of every step's page, in order (what progress is kept by).
    pub step_ids: Vec<&'a str>,
    /// Minutes of every step, in order (for the time left).
    pub step_minutes: Vec<u32>,
}

/// The key under which a path's progress is kept in the browser: the
/// path's id, so two handbooks on one host do not share progress only if
/// their base paths differ too.
fn storage_key(site: &Site, path: usize) -> String {
    format!(
        "esiin:{}:path:{}",
        site.config.base_path, site.pages[path].id
    )
}

const WEEKDAYS_EN: [&str; 7] = ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"];
const WEEKDAYS_FI: [&str; 7] = ["ma", "ti", "ke", "to", "pe", "la", "su"];

pub fn date_text(d: jiff::civil::Date, lang: Language) -> String {
    match lang {
        Language::En => format!(
            "{} {} {}",
            d.day(),
            MONTHS_EN[d.month() as usize - 1],
            d.year()
        ),
        Language::Fi => format!("{}.{}.{}", d.day(), d.month(), d.year()),
    }
}

pub fn date_ctx(d: Date, lang: Language) -> DateCtx {
    DateCtx {
        iso: d.0.to_string(),
        text: date_text(d.0, lang),
    }
}

pub fn duration_text(minutes: u32) -> String {
    match (minutes / 60, minutes % 60) {
        (0, m) => format!("{m} min"),
        (h, 0) => format!("{h} h"),
        (h, m) => format!("{h} h {m} min"),
    }
}

fn session_time(t: jiff::Timestamp, tz: &jiff::tz::TimeZone, lang: Language) -> SessionTime {
    let z = t.to_zoned_datetime(tz.clone());
    let wd = z.weekday().to_monday_zero_offset() as usize;
    let (date_text, time_text) = match lang {
        Language::En => (
            format!("{} {}", WEEKDAYS_EN[wd], date_text(z.date(), lang)),
            format!("{:02}:{:02}", z.hour(), z.minute()),
        ),
        Language::Fi => (
            format!("{} {}", WEEKDAYS_FI[wd], date_text(z.date(), lang)),
            format!("{}.{:02}", z.hour(), z.minute()),
        ),
    };
    SessionTime {
        iso: z.strftime("%Y-%m-%dT%H:%M:%S%:z").to_string(),
        date_text,
        time_text,
    }
}

/// A session's date and times on one line. Finnish writes the time after
/// `klo` (`ke 10.6.2027 klo 9.00–12.00`); English after a comma.
fn when_text(start: &SessionTime, end: Option<&SessionTime>, lang: Language) -> String {
    let range = match end {
        Some(e) => format!("{}–{}", start.time_text, e.time_text),
        None => start.time_text.clone(),
    };
    match lang {
        Language::En => format!("{}, {range}", start.date_text),
        Language::Fi => format!("{} klo {range}", start.date_text),
    }
}

/// The label of a channel, and its URL when the value is a handle.
pub fn channel(name: &str, value: &str) -> (String, String) {
    let v = value.trim();
    let label = match name {
        "linkedin" => "LinkedIn",
        "blog" => "Blog",
        "github" => "GitHub",
        "gitlab" => "GitLab",
        "x" | "twitter" => "X",
        "mastodon" => "Mastodon",
        "bluesky" => "Bluesky",
        "youtube" => "YouTube",
        "website" => "Website",
        "stackoverflow" => "Stack Overflow",
        "instagram" => "Instagram",
        "threads" => "Threads",
        "podcast" => "Podcast",
        other => other,
    };
    let label = if label == name {
        let s = name.replace(['_', '-'], " ");
        let mut chars = s.chars();
        chars
            .next()
            .map_or(String::new(), |c| c.to_uppercase().chain(chars).collect())
    } else {
        label.to_string()
    };
    if crate::resolve::links::is_external(v) {
        return (label, v.to_string());
    }
    let handle = v.trim_start_matches('@');
    let url = match name {
        "github" => format!("https://github.com/{handle}"),
        "gitlab" => format!("https://gitlab.com/{handle}"),
        "x" | "twitter" => format!("https://x.com/{handle}"),
        "linkedin" => format!("https://www.linkedin.com/in/{handle}"),
        "bluesky" => format!("https://bsky.app/profile/{handle}"),
        "youtube" => format!("https://www.youtube.com/@{handle}"),
        "instagram" => format!("https://www.instagram.com/{handle}"),
        "stackoverflow" => format!("https://stackoverflow.com/users/{handle}"),
        "mastodon" => match handle.split_once('@') {
            Some((user, host)) => format!("https://{host}/@{user}"),
            None => format!("https://{handle}"),
        },
        _ if v.contains('.') && !v.contains(' ') => format!("https://{v}"),
        _ => String::new(),
    };
    (label, url)
}

/// An expert's channels as links with their labels, in the order written.
pub fn channel_links(channels: &kinds::Channels) -> Vec<Channel<'_>> {
    channels
        .0
        .iter()
        .map(|(name, value)| {
            let (label, url) = channel(name, value);
            Channel {
                name,
                label,
                url,
                handle: value,
            }
        })
        .collect()
}

fn initials(name: &str) -> String {
    name.split_whitespace()
        .filter_map(|w| w.chars().next())
        .filter(|c| c.is_alphabetic())
        .take(2)
        .flat_map(char::to_uppercase)
        .collect()
}

impl Site {
    pub fn page_ref<'a>(&'a self, i: usize, state: &'a RenderState) -> Ref<'a> {
        let summaries = &state.rendered;
        let p = &self.pages[i];
        let (role, team, summary) = match &p.data {
            KindData::Expert(e) => (e.role.as_deref(), e.team.as_deref(), None),
            KindData::Module(m) => (None, None, m.summary.as_deref()),
            _ => (None, None, None),
        };
        let expert = match &p.data {
            KindData::Expert(e) => Some(e),
            _ => None,
        };
        let description = p.common.description.as_deref().or(summary).or_else(|| {
            note_summary_read(i);
            summaries
                .get(i)
                .map(|r| r.summary.as_str())
                .filter(|s| !s.is_empty())
        });
        Ref {
            id: &p.id,
            title: &p.title,
            url: encode_path(&self.url(i)),
            kind: p.kind.name(),
            description,
            role,
            team,
            summary,
            initials: expert.map(|_| initials(&p.title)),
            photo_url: expert
                .and_then(|e| e.photo.as_deref())
                .and_then(|f| self.asset_url(i, f)),
            photo: state.photos.get(&i).map(|p| p.card.clone()),
            topics: expert.map(|e| self.topic_links(&e.topics[..e.topics.len().min(CARD_TOPICS)])),
            topic_count: expert.map(|e| e.topics.len()),
            draft: p.common.draft,
        }
    }

    fn asset_url(&self, page: usize, file: &str) -> Option<String> {
        match self.resolve_link(page, file).ok()? {
            crate::resolve::Target::Asset { path } => Some(encode_path(&self.config.url(&path))),
            crate::resolve::Target::External => Some(file.to_string()),
            crate::resolve::Target::SiteUrl { url } => Some(url),
            crate::resolve::Target::Page { .. } => None,
        }
    }

    pub fn site_ctx(&self, page: usize, build_date: &str) -> SiteCtx<'_> {
        let mut top = Some(page);
        while let Some(t) = top {
            match self.parent[t] {
                Some(p) if p != self.home => top = Some(p),
                _ => break,
            }
        }
        SiteCtx {
            title: &self.config.raw.title,
            base_url: &self.config.base_path,
            language: self.config.raw.language.code(),
            home_url: encode_path(&self.url(self.home)),
            static_url: &self.config.base_path,
            build_date: build_date.to_string(),
            drafts: self.include_drafts,
            search: self.config.raw.search,
            nav: self
                .nav
                .iter()
                .map(|&n| NavItem {
                    title: &self.pages[n].title,
                    url: encode_path(&self.url(n)),
                    active: top == Some(n),
                })
                .collect(),
        }
    }

    /// Links to the topic pages of `names` (listed experts' topics have one).
    pub fn topic_links<'a>(&'a self, names: &'a [String]) -> Vec<TopicLink<'a>> {
        let base = self.experts_base();
        names
            .iter()
            .map(|n| {
                let slug = crate::resolve::index::topic_slug(n);
                let url = if self.index.topic_by_slug.contains_key(&slug) {
                    encode_path(&self.config.url(&format!("{base}topics/{slug}/")))
                } else {
                    String::new()
                };
                TopicLink {
                    name: n.trim(),
                    slug,
                    url,
                }
            })
            .collect()
    }

    /// A session for templates.
    pub fn session_ctx(&self, r: SessionRef, now: jiff::Timestamp) -> Option<SessionCtx<'_>> {
        let s = self.session(r)?;
        let lang = self.config.raw.language;
        let tz = &self.config.tz;
        let start = session_time(s.start.0, tz, lang);
        let end = s.end.map(|e| session_time(e.0, tz, lang));
        let ics = self.session_file(r).unwrap_or_default();
        Some(SessionCtx {
            when_text: when_text(&start, end.as_ref(), lang),
            start,
            end,
            timezone: &self.config.raw.timezone,
            location: s.location.as_deref(),
            online_url: s.online_url.as_deref(),
            signup_url: s.signup_url.as_deref(),
            seats: s.seats,
            past: s.end.unwrap_or(s.start).0 < now,
            cancelled: s.cancelled,
            ics_url: encode_path(&self.config.url(&ics)),
        })
    }

    /// The next session of module `m` that has not ended and is not
    /// cancelled.
    pub fn next_session(&self, m: usize, now: jiff::Timestamp) -> Option<SessionCtx<'_>> {
        self.module_sessions(m)
            .into_iter()
            .find(|&r| {
                self.session(r)
                    .is_some_and(|s| !s.cancelled && s.end.unwrap_or(s.start).0 >= now)
            })
            .and_then(|r| self.session_ctx(r, now))
    }

    /// The sessions of module `m`, in start order.
    fn module_sessions(&self, m: usize) -> Vec<SessionRef> {
        let KindData::Module(module) = &self.pages[m].data else {
            return Vec::new();
        };
        let mut refs: Vec<SessionRef> = (0..module.sessions.len())
            .map(|index| SessionRef { module: m, index })
            .collect();
        refs.sort_by_key(|&r| self.session(r).map(|s| s.start));
        refs
    }

    pub fn module_summary<'a>(&'a self, m: usize, state: &'a RenderState) -> ModuleSummary<'a> {
        let module = match &self.pages[m].data {
            KindData::Module(x) => Some(x),
            _ => None,
        };
        ModuleSummary {
            module: self.page_ref(m, state),
            format: module.and_then(|x| x.format).map(kinds::Format::name),
            duration: module.and_then(|x| x.duration).map(|d| DurationCtx {
                minutes: d.0,
                text: duration_text(d.0),
            }),
            audience: module.and_then(|x| x.audience.as_deref()),
            trainers: self.refs[m]
                .trainers
                .iter()
                .map(|&t| self.page_ref(t, state))
                .collect(),
            next_session: self.next_session(m, state.now),
        }
    }

    /// Upcoming sessions (not yet ended) among `sessions`, as rows.
    pub fn session_rows<'a>(
        &'a self,
        sessions: impl Iterator<Item = SessionRef>,
        state: &'a RenderState,
        upcoming: bool,
    ) -> Vec<SessionRow<'a>> {
        sessions
            .filter_map(|r| {
                let s = self.session(r)?;
                let past = s.end.unwrap_or(s.start).0 < state.now;
                (past != upcoming).then_some(())?;
                Some(SessionRow {
                    module: self.page_ref(r.module, state),
                    session: self.session_ctx(r, state.now)?,
                })
            })
            .collect()
    }

    /// Every transitive prerequisite of module `m`, in an order they can be
    /// taken (each after its own prerequisites).
    pub fn path_before(&self, m: usize) -> Vec<usize> {
        fn visit(site: &Site, m: usize, seen: &mut Vec<bool>, out: &mut Vec<usize>) {
            for &p in &site.refs[m].prerequisites {
                if !seen[p] {
                    seen[p] = true;
                    visit(site, p, seen, out);
                    out.push(p);
                }
            }
        }
        let mut seen = vec![false; self.pages.len()];
        seen[m] = true;
        let mut out = Vec::new();
        visit(self, m, &mut seen, &mut out);
        out
    }

    /// Page `i`'s place in every onboarding path that has it as a step.
    pub fn in_paths<'a>(&'a self, i: usize, state: &'a RenderState) -> Vec<InPath<'a>> {
        let Some(list) = self.index.in_paths.get(&i) else {
            return Vec::new();
        };
        list.iter()
            .map(|&(path, k)| {
                let steps = &self.refs[path].steps;
                let minutes = match &self.pages[path].data {
                    KindData::Path(p) => p.steps.iter().map(|s| s.minutes.unwrap_or(0)).collect(),
                    _ => Vec::new(),
                };
                InPath {
                    path: self.page_ref(path, state),
                    number: k + 1,
                    total: steps.len(),
                    prev: k.checked_sub(1).map(|p| self.page_ref(steps[p], state)),
                    next: steps.get(k + 1).map(|&n| self.page_ref(n, state)),
                    storage_key: storage_key(self, path),
                    step_ids: steps.iter().map(|&s| self.pages[s].id.as_str()).collect(),
                    step_minutes: minutes,
                }
            })
            .collect()
    }

    pub fn page_ctx<'a>(&'a self, i: usize, state: &'a RenderState) -> PageCtx<'a> {
        let rendered = &state.rendered;
        let p = &self.pages[i];
        let lang = self.config.raw.language;
        let refs = &self.refs[i];
        let list = |ids: &[usize]| {
            ids.iter()
                .map(|&j| self.page_ref(j, state))
                .collect::<Vec<_>>()
        };
        let mut breadcrumbs = Vec::new();
        let mut up = self.parent[i];
        while let Some(s) = up {
            breadcrumbs.push(Crumb {
                title: &self.pages[s].title,
                url: encode_path(&self.url(s)),
            });
            up = self.parent[s];
        }
        breadcrumbs.reverse();
        let edit_url = self.config.raw.repository.as_ref().and_then(|r| {
            let tpl = r.edit_url.as_ref()?;
            if p.src.text.is_empty() {
                return None;
            }
            Some(tpl.replace("{path}", &p.path))
        });
        let mut ctx = PageCtx {
            id: &p.id,
            kind: p.kind.name(),
            title: &p.title,
            description: p.common.description.as_deref(),
            url: encode_path(&self.url(i)),
            date: p.common.date.map(|d| date_ctx(d, lang)),
            updated: p.common.updated.map(|d| date_ctx(d, lang)),
            review_by: p.common.review_by.map(|d| date_ctx(d, lang)),
            stale: p.common.review_by.is_some_and(|d| d.0 < self.today),
            draft: p.common.draft,
            tags: &p.common.tags,
            owner: refs.owner.map(|o| self.page_ref(o, state)),
            edit_url,
            content: tera::Value::safe_string(&rendered[i].html),
            toc: &rendered[i].toc,
            breadcrumbs,
            extra: p.common.extra.as_ref(),
            section: None,
            expert: None,
            module: None,
            plan: None,
            guidelines: None,
            path: None,
            in_paths: self.in_paths(i, state),
            directory: None,
            catalogue: None,
        };
        match &p.data {
            KindData::Section | KindData::Page if p.is_section => {
                ctx.section = Some(SectionCtx {
                    pages: list(&self.children[i]),
                    subsections: list(&self.subsections[i]),
                });
                if self.experts_section == Some(i) {
                    ctx.directory = Some(self.directory_ctx(i, state));
                }
                if self.training_section == Some(i) {
                    ctx.catalogue = Some(self.catalogue_ctx(i, state));
                }
            }
            KindData::Section | KindData::Page => {}
            KindData::Expert(e) => {
                ctx.expert = Some(ExpertCtx {
                    role: e.role.as_deref(),
                    team: e.team.as_deref(),
                    photo_url: e.photo.as_deref().and_then(|f| self.asset_url(i, f)),
                    photo: state.photos.get(&i).map(|p| p.profile.clone()),
                    initials: initials(&p.title),
                    email: e.email.as_deref(),
                    location: e.location.as_deref(),
                    languages: &e.languages,
                    topics: self.topic_links(&e.topics),
                    ask_me_about: &e.ask_me_about,
                    available_for: &e.available_for,
                    channels: channel_links(&e.channels),
                    unlisted: e.visibility == kinds::Visibility::Unlisted,
                    trains: self
                        .index
                        .trains
                        .get(&i)
                        .map_or(&[][..], Vec::as_slice)
                        .iter()
                        .map(|&m| self.module_summary(m, state))
                        .collect(),
                    sessions: {
                        let mine = self.index.trains.get(&i);
                        self.session_rows(
                            self.index
                                .sessions
                                .iter()
                                .copied()
                                .filter(|s| mine.is_some_and(|m| m.contains(&s.module))),
                            state,
                            true,
                        )
                    },
                    owns: list(self.index.owns.get(&i).map_or(&[][..], Vec::as_slice)),
                    paths: list(self.index.paths.get(&i).map_or(&[][..], Vec::as_slice)),
                })
            }
            KindData::Module(m) => {
                let now = state.now;
                let (ics_url, webcal_url) = self.calendar_links(&self.module_feed(i));
                ctx.module = Some(ModuleCtx {
                    summary: m.summary.as_deref(),
                    format: m.format.map(kinds::Format::name),
                    duration: m.duration.map(|d| DurationCtx {
                        minutes: d.0,
                        text: duration_text(d.0),
                    }),
                    audience: m.audience.as_deref(),
                    level: m.level.as_deref(),
                    objectives: &m.objectives,
                    prerequisites: list(&refs.prerequisites),
                    trainers: list(&refs.trainers),
                    materials: m
                        .materials
                        .iter()
                        .zip(&refs.materials)
                        .map(|(mat, r)| MaterialCtx {
                            title: &mat.title,
                            url: match r {
                                Material::External(u) | Material::SiteUrl(u) => u.clone(),
                                Material::Asset(path) => encode_path(&self.config.url(path)),
                                Material::Page(j, anchor) => {
                                    let mut u = encode_path(&self.url(*j));
                                    if let Some(a) = anchor.as_deref().filter(|a| !a.is_empty()) {
                                        u.push('#');
                                        u.push_str(&encode_path(a));
                                    }
                                    u
                                }
                            },
                        })
                        .collect(),
                    sessions: self
                        .module_sessions(i)
                        .into_iter()
                        .filter_map(|r| self.session_ctx(r, now))
                        .collect(),
                    next_session: self.next_session(i, now),
                    path_before: list(&self.path_before(i)),
                    leads_to: list(self.index.leads_to.get(&i).map_or(&[][..], Vec::as_slice)),
                    ics_url,
                    webcal_url,
                })
            }
            KindData::Plan(plan) => {
                ctx.plan = Some(PlanCtx {
                    stale_after_days: plan.stale_after_days.unwrap_or(45),
                    period: plan.period.as_ref().map(|pr| PeriodCtx {
                        start: date_ctx(pr.start, lang),
                        end: date_ctx(pr.end, lang),
                    }),
                    owners: list(&refs.plan_owners),
                    goals: plan
                        .goals
                        .iter()
                        .map(|g| {
                            let mut actuals: Vec<&kinds::Actual> = g.actuals.iter().collect();
                            actuals.sort_by_key(|a| a.date);
                            let actual = |a: &kinds::Actual| ActualCtx {
                                date: date_ctx(a.date, lang),
                                value: Num(a.value),
                            };
                            let start = plan.period.as_ref().map(|p| p.start.0);
                            let stale_after = plan.stale_after_days.unwrap_or(45);
                            let a = super::charts::assess(g, start, self.today, stale_after);
                            GoalCtx {
                                progress: a.progress.map(|p| p.round() as i64),
                                expected: a.expected.map(|e| Num((e * 10.0).round() / 10.0)),
                                status: a.status,
                                stale_data: a.stale,
                                bullet_svg: tera::Value::safe_string(&super::charts::bullet(g, &a)),
                                sparkline_svg: tera::Value::safe_string(&super::charts::sparkline(
                                    g, start,
                                )),
                                id: &g.id,
                                title: &g.title,
                                metric: g.metric.as_deref(),
                                unit: g.unit.as_deref(),
                                baseline: Num(g.baseline),
                                target: Num(g.target),
                                due: g.due.map(|d| date_ctx(d, lang)),
                                direction: g.direction,
                                latest: actuals.last().map(|a| actual(a)),
                                actuals: actuals.into_iter().map(actual).collect(),
                            }
                        })
                        .collect(),
                })
            }
            KindData::Guidelines(g) => {
                ctx.guidelines = Some(GuidelinesCtx {
                    rules: &g.rules,
                    image_url: g.image.as_deref().and_then(|f| self.asset_url(i, f)),
                    alt: g.alt.as_deref(),
                    poster: state.posters.get(&i),
                })
            }
            KindData::Path(path) => {
                let steps: Vec<StepCtx> = path
                    .steps
                    .iter()
                    .zip(&refs.steps)
                    .enumerate()
                    .map(|(n, (s, &j))| StepCtx {
                        number: n + 1,
                        page: self.page_ref(j, state),
                        minutes: s.minutes,
                        note: s.note.as_deref(),
                    })
                    .collect();
                // Saturating: each step's minutes fit a u32, their sum need not.
                let total = path
                    .steps
                    .iter()
                    .filter_map(|s| s.minutes)
                    .fold(0u32, u32::saturating_add);
                ctx.path = Some(PathCtx {
                    audience: path.audience.as_deref(),
                    total: DurationCtx {
                        minutes: total,
                        text: duration_text(total),
                    },
                    steps,
                    storage_key: storage_key(self, i),
                })
            }
        }
        ctx
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_session_is_written_on_one_line_in_the_page_language() {
        let tz = jiff::tz::TimeZone::get("Europe/Helsinki").expect("tzdb");
        let start: jiff::Timestamp = "2027-06-10T06:00:00Z".parse().expect("a time");
        let end: jiff::Timestamp = "2027-06-10T09:00:00Z".parse().expect("a time");
        let line = |lang| {
            let (s, e) = (session_time(start, &tz, lang), session_time(end, &tz, lang));
            (when_text(&s, Some(&e), lang), when_text(&s, None, lang))
        };
        assert_eq!(
            line(Language::Fi),
            (
                "to 10.6.2027 klo 9.00–12.00".to_string(),
                "to 10.6.2027 klo 9.00".to_string()
            )
        );
        assert_eq!(line(Language::En).0, "Thu 10 June 2027, 09:00–12:00");
    }

    #[test]
    fn handles_become_urls() {
        assert_eq!(channel("github", "aino").1, "https://github.com/aino");
        assert_eq!(
            channel("mastodon", "@aino@example.social").1,
            "https://example.social/@aino"
        );
        assert_eq!(
            channel("linkedin", "https://www.linkedin.com/in/x").1,
            "https://www.linkedin.com/in/x"
        );
        assert_eq!(channel("stackoverflow", "123").0, "Stack Overflow");
        assert_eq!(
            channel("company_wiki", "wiki.example.com/a").0,
            "Company wiki"
        );
    }

    #[test]
    fn dates_in_both_languages() {
        let d = jiff::civil::date(2026, 3, 12);
        assert_eq!(date_text(d, Language::En), "12 March 2026");
        assert_eq!(date_text(d, Language::Fi), "12.3.2026");
        assert_eq!(duration_text(90), "1 h 30 min");
        assert_eq!(duration_text(120), "2 h");
        assert_eq!(duration_text(45), "45 min");
    }

    #[test]
    fn initials_of_names() {
        assert_eq!(initials("Aino Virtanen"), "AV");
        assert_eq!(initials("Ääni Öljy Kolmas"), "ÄÖ");
    }
}
