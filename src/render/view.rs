//! What the page contexts share: the site as the renderer reads it
//! ([`Pages`], the resolved model with what rendering has produced so far),
//! the small view structs that several contexts show (a reference to a
//! page, a session, a module's summary, a breadcrumb, a channel), and how
//! dates, times, durations and channels are written.
//!
//! Both `context.rs` (a page's own context) and `listings.rs` (the pages
//! that list across the handbook) build on this module; it depends on
//! neither.

use std::collections::HashMap;

use serde::Serialize;

use crate::config::Language;
use crate::load::kinds::{self, Date, KindData, MONTHS_EN};
use crate::resolve::index::{SessionRef, topic_slug};
use crate::resolve::{PageId, Site, Target};

use super::markdown::Rendered;
use crate::text::encode_path;

/// What rendering has produced so far, that contexts read: every page's
/// rendered body (summaries, TOC), the photo thumbnails, and the build's
/// notion of now.
pub(crate) struct RenderState {
    /// Each page's rendered body, at its [`PageId::index`].
    pub rendered: Vec<std::sync::Arc<Rendered>>,
    pub photos: HashMap<PageId, Photos>,
    /// The generated posters of guidelines pages.
    pub posters: HashMap<PageId, PosterCtx>,
    pub now: jiff::Timestamp,
    pub build_date: String,
}

thread_local! {
    /// The pages whose rendered summary the context being built has read
    /// (see [`reading_summaries`]); `None` when nobody is recording.
    static SUMMARY_READS: std::cell::RefCell<Option<Vec<PageId>>> =
        const { std::cell::RefCell::new(None) };
}

/// Runs `build` (which builds one page's context on this thread) and
/// returns, with its result, every other page whose rendered summary it
/// read (sorted, each once). A page's context depends on its own front
/// matter and body, on the site's structure (everything in front matter),
/// and on the summaries of the pages it lists: these reads are the one
/// dependency on *another page's body*, so they are recorded where they
/// happen ([`Pages::page_ref`]) rather than predicted. `serve` uses them to re-render, after a body
/// edit, exactly the pages that show that body.
pub(crate) fn reading_summaries<R>(build: impl FnOnce() -> R) -> (R, Vec<PageId>) {
    SUMMARY_READS.with(|r| *r.borrow_mut() = Some(Vec::new()));
    let result = build();
    let mut reads = SUMMARY_READS
        .with(|r| r.borrow_mut().take())
        .unwrap_or_default();
    reads.sort_unstable();
    reads.dedup();
    (result, reads)
}

/// Records, when [`reading_summaries`] is recording, that the context being
/// built read the rendered summary of page `page`.
fn note_summary_read(page: PageId) {
    SUMMARY_READS.with(|r| {
        if let Some(reads) = r.borrow_mut().as_mut() {
            reads.push(page);
        }
    });
}

/// An image with its size, for `width`/`height` attributes.
#[derive(Serialize, Clone, Debug)]
pub(crate) struct Img {
    pub url: String,
    pub width: u32,
    pub height: u32,
}

/// An expert's photo at the sizes the theme shows: a card thumbnail and the
/// profile picture.
#[derive(Clone, Debug)]
pub(crate) struct Photos {
    pub card: Img,
    pub profile: Img,
}

#[derive(Serialize)]
pub(crate) struct TopicLink<'a> {
    pub name: &'a str,
    pub slug: String,
    pub url: String,
}

/// A link to another page, as lists and references show it.
#[derive(Serialize)]
pub(crate) struct Ref<'a> {
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
const CARD_TOPICS: usize = 5;

#[derive(Serialize)]
pub(crate) struct DateCtx {
    pub iso: String,
    pub text: String,
}

#[derive(Serialize)]
pub(crate) struct Crumb<'a> {
    pub title: &'a str,
    pub url: String,
}

#[derive(Serialize)]
pub(crate) struct Channel<'a> {
    pub name: &'a str,
    pub label: String,
    pub url: String,
    pub handle: &'a str,
}

/// A module with what a list of modules shows.
#[derive(Serialize)]
pub(crate) struct ModuleSummary<'a> {
    pub module: Ref<'a>,
    pub format: Option<&'static str>,
    pub duration: Option<DurationCtx>,
    pub audience: Option<&'a str>,
    pub trainers: Vec<Ref<'a>>,
    pub next_session: Option<SessionCtx<'a>>,
}

/// A session with its module, for lists across modules.
#[derive(Serialize)]
pub(crate) struct SessionRow<'a> {
    pub module: Ref<'a>,
    pub session: SessionCtx<'a>,
}

#[derive(Serialize)]
pub(crate) struct DurationCtx {
    pub minutes: u32,
    pub text: String,
}

#[derive(Serialize)]
pub(crate) struct SessionTime {
    pub iso: String,
    pub date_text: String,
    pub time_text: String,
}

#[derive(Serialize)]
pub(crate) struct SessionCtx<'a> {
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

/// The one-image guidelines: an A4 SVG (text as text) and a 300 dpi PNG.
#[derive(Serialize, Clone, Debug)]
pub(crate) struct PosterCtx {
    pub svg_url: String,
    pub png_url: String,
    pub width: u32,
    pub height: u32,
    /// A summary of the poster for people who cannot see it.
    pub alt: String,
}

const WEEKDAYS_EN: [&str; 7] = ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"];
const WEEKDAYS_FI: [&str; 7] = ["ma", "ti", "ke", "to", "pe", "la", "su"];

fn date_text(d: jiff::civil::Date, lang: Language) -> String {
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

pub(crate) fn date_ctx(d: Date, lang: Language) -> DateCtx {
    DateCtx {
        iso: d.0.to_string(),
        text: date_text(d.0, lang),
    }
}

fn duration_text(minutes: u32) -> String {
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
pub(crate) fn channel(name: &str, value: &str) -> (String, String) {
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
pub(crate) fn channel_links(channels: &kinds::Channels) -> Vec<Channel<'_>> {
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

pub(super) fn initials(name: &str) -> String {
    name.split_whitespace()
        .filter_map(|w| w.chars().next())
        .filter(|c| c.is_alphabetic())
        .take(2)
        .flat_map(char::to_uppercase)
        .collect()
}

/// `minutes` with how the page writes them (`1 h 30 min`).
pub(crate) fn duration_ctx(minutes: u32) -> DurationCtx {
    DurationCtx {
        minutes,
        text: duration_text(minutes),
    }
}

/// The site as the renderer reads it: the resolved model and what rendering
/// has produced so far. Every context is built through it; it is two
/// references, copied freely (into each page's closure on every core).
#[derive(Clone, Copy)]
pub(crate) struct Pages<'a> {
    pub site: &'a Site,
    pub state: &'a RenderState,
}

impl<'a> Pages<'a> {
    pub(crate) fn new(site: &'a Site, state: &'a RenderState) -> Pages<'a> {
        Pages { site, state }
    }

    /// A link to page `i` as lists and references show it. Its description
    /// falls back to the page's rendered summary: that read is recorded
    /// (see [`reading_summaries`]).
    pub(crate) fn page_ref(self, i: PageId) -> Ref<'a> {
        let site = self.site;
        let p = site.page(i);
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
            self.state
                .rendered
                .get(i.index())
                .map(|r| r.summary.as_str())
                .filter(|s| !s.is_empty())
        });
        Ref {
            id: &p.id,
            title: &p.title,
            url: encode_path(&site.url(i)),
            kind: p.kind.name(),
            description,
            role,
            team,
            summary,
            initials: expert.map(|_| initials(&p.title)),
            photo_url: expert
                .and_then(|e| e.photo.as_deref())
                .and_then(|f| self.asset_url(i, f)),
            photo: self.state.photos.get(&i).map(|p| p.card.clone()),
            topics: expert.map(|e| self.topic_links(&e.topics[..e.topics.len().min(CARD_TOPICS)])),
            topic_count: expert.map(|e| e.topics.len()),
            draft: p.common.draft,
        }
    }

    /// References to each of `ids`, in order.
    pub(crate) fn page_refs(self, ids: &[PageId]) -> Vec<Ref<'a>> {
        ids.iter().map(|&j| self.page_ref(j)).collect()
    }

    /// The URL of a file that page `page` names (a photo, an image), or
    /// `None` when it names a page.
    pub(crate) fn asset_url(self, page: PageId, file: &str) -> Option<String> {
        match self.site.resolve_link(page, file).ok()? {
            Target::Asset { path } => Some(encode_path(&self.site.config.url(&path))),
            Target::External => Some(file.to_string()),
            Target::SiteUrl { url } => Some(url),
            Target::Page { .. } => None,
        }
    }

    /// The breadcrumbs down to section `section`, itself included.
    pub(crate) fn crumbs_to(self, section: Option<PageId>) -> Vec<Crumb<'a>> {
        let site = self.site;
        let mut crumbs = Vec::new();
        let mut up = section;
        while let Some(s) = up {
            crumbs.push(Crumb {
                title: &site.page(s).title,
                url: encode_path(&site.url(s)),
            });
            up = site.node(s).parent;
        }
        crumbs.reverse();
        crumbs
    }

    /// Links to the topic pages of `names` (listed experts' topics have one).
    pub(crate) fn topic_links(self, names: &'a [String]) -> Vec<TopicLink<'a>> {
        let site = self.site;
        names
            .iter()
            .map(|n| {
                let slug = topic_slug(n);
                let url = if site.index.topic_by_slug.contains_key(&slug) {
                    encode_path(&site.config.url(&site.topic_url(&slug)))
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
    pub(crate) fn session_ctx(self, r: SessionRef) -> Option<SessionCtx<'a>> {
        let site = self.site;
        let s = site.session(r)?;
        let lang = site.config.raw.language;
        let tz = &site.config.tz;
        let start = session_time(s.start.0, tz, lang);
        let end = s.end.map(|e| session_time(e.0, tz, lang));
        let ics = site.session_file(r).unwrap_or_default();
        Some(SessionCtx {
            when_text: when_text(&start, end.as_ref(), lang),
            start,
            end,
            timezone: &site.config.raw.timezone,
            location: s.location.as_deref(),
            online_url: s.online_url.as_deref(),
            signup_url: s.signup_url.as_deref(),
            seats: s.seats,
            past: s.end.unwrap_or(s.start).0 < self.state.now,
            cancelled: s.cancelled,
            ics_url: encode_path(&site.config.url(&ics)),
        })
    }

    /// The next session of module `m` that has not ended and is not
    /// cancelled.
    pub(crate) fn next_session(self, m: PageId) -> Option<SessionCtx<'a>> {
        let now = self.state.now;
        self.module_sessions(m)
            .into_iter()
            .find(|&r| {
                self.site
                    .session(r)
                    .is_some_and(|s| !s.cancelled && s.end.unwrap_or(s.start).0 >= now)
            })
            .and_then(|r| self.session_ctx(r))
    }

    /// The sessions of module `m`, in start order.
    pub(crate) fn module_sessions(self, m: PageId) -> Vec<SessionRef> {
        let KindData::Module(module) = &self.site.page(m).data else {
            return Vec::new();
        };
        let mut refs: Vec<SessionRef> = (0..module.sessions.len())
            .map(|index| SessionRef { module: m, index })
            .collect();
        refs.sort_by_key(|&r| self.site.session(r).map(|s| s.start));
        refs
    }

    /// Module `m` as a list of modules shows it.
    pub(crate) fn module_summary(self, m: PageId) -> ModuleSummary<'a> {
        let module = match &self.site.page(m).data {
            KindData::Module(x) => Some(x),
            _ => None,
        };
        ModuleSummary {
            module: self.page_ref(m),
            format: module.and_then(|x| x.format).map(kinds::Format::name),
            duration: module.and_then(|x| x.duration).map(|d| duration_ctx(d.0)),
            audience: module.and_then(|x| x.audience.as_deref()),
            trainers: self.page_refs(&self.site.node(m).refs.trainers),
            next_session: self.next_session(m),
        }
    }

    /// The sessions among `sessions` that are upcoming (not yet ended), or
    /// with `upcoming` false those that are past, as rows.
    pub(crate) fn session_rows(
        self,
        sessions: impl Iterator<Item = SessionRef>,
        upcoming: bool,
    ) -> Vec<SessionRow<'a>> {
        sessions
            .filter_map(|r| {
                let s = self.site.session(r)?;
                let past = !crate::resolve::stale::is_upcoming(s, self.state.now);
                (past != upcoming).then_some(())?;
                Some(SessionRow {
                    module: self.page_ref(r.module),
                    session: self.session_ctx(r)?,
                })
            })
            .collect()
    }
}

/// A number from front matter, shown as an integer when it is whole
/// (`31`, not `31.0`).
#[derive(Clone, Copy)]
pub(crate) struct Num(pub f64);

impl Serialize for Num {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        if self.0.fract() == 0.0 && self.0.abs() < 9.0e15 {
            s.serialize_i64(self.0 as i64)
        } else {
            s.serialize_f64(self.0)
        }
    }
}

/// The key under which a path's progress is kept in the browser: the
/// path's id, so two handbooks on one host do not share progress only if
/// their base paths differ too.
pub(crate) fn storage_key(site: &Site, path: PageId) -> String {
    format!(
        "esiin:{}:path:{}",
        site.config.base_path,
        site.page(path).id
    )
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
