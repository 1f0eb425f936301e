//! Contexts of the pages that list across the handbook: the expert
//! directory (with its filters and the team × channel matrix), the training
//! catalogue, and the pages esiin generates — one per topic, the topic
//! index and the expertise gaps.
//!
//! Unlisted experts are left out here by construction: every list starts
//! from `Site::is_listed_expert` or from the topic index, which only holds
//! listed experts.

use std::collections::{BTreeMap, BTreeSet};

use serde::Serialize;

use super::context::{
    Channel, Crumb, ModuleSummary, Ref, RenderState, SessionRow, channel, channel_links,
};
use crate::load::Kind;
use crate::load::kinds::KindData;
use crate::resolve::Site;
use crate::resolve::index::SessionRef;
use crate::text::{encode_path, slugify};

/// One option of a directory filter.
#[derive(Serialize)]
pub struct FilterOption {
    pub value: String,
    pub label: String,
    pub count: usize,
}

/// A directory filter: `key` is the URL parameter (`?topic=rust`).
#[derive(Serialize)]
pub struct Filter {
    pub key: &'static str,
    pub options: Vec<FilterOption>,
}

/// An expert's card in the directory: a reference plus what the card
/// shows and the values the filters match (space-separated slugs, for
/// `data-*` attributes).
#[derive(Serialize)]
pub struct Card<'a> {
    pub expert: Ref<'a>,
    pub channels: Vec<Channel<'a>>,
    pub available_for: Vec<&'static str>,
    pub languages: &'a [String],
    pub filter: BTreeMap<&'static str, String>,
}

#[derive(Serialize)]
pub struct MatrixRow<'a> {
    pub team: &'a str,
    /// Listed experts of the team on each channel.
    pub counts: Vec<usize>,
    /// Listed experts of the team.
    pub total: usize,
}

/// How many listed experts of each team use each channel.
#[derive(Serialize)]
pub struct Matrix<'a> {
    pub channels: Vec<Channel<'a>>,
    pub rows: Vec<MatrixRow<'a>>,
    pub totals: Vec<usize>,
}

#[derive(Serialize)]
pub struct DirectoryCtx<'a> {
    pub experts: Vec<Card<'a>>,
    pub filters: Vec<Filter>,
    pub matrix: Matrix<'a>,
    pub topics_url: String,
    pub gaps_url: String,
    pub gaps: usize,
}

#[derive(Serialize)]
pub struct FormatGroup<'a> {
    pub format: &'static str,
    pub modules: Vec<ModuleSummary<'a>>,
}

#[derive(Serialize)]
pub struct CatalogueCtx<'a> {
    pub groups: Vec<FormatGroup<'a>>,
    pub upcoming: Vec<SessionRow<'a>>,
    pub past: Vec<SessionRow<'a>>,
    /// The feed of every upcoming session, to download.
    pub ics_url: String,
    /// The same feed to subscribe to, when `base_url` has an origin.
    pub webcal_url: Option<String>,
}

#[derive(Serialize)]
pub struct TopicCtx<'a> {
    pub name: &'a str,
    pub slug: &'a str,
    pub experts: Vec<Ref<'a>>,
    pub modules: Vec<Ref<'a>>,
    pub pages: Vec<Ref<'a>>,
    pub plans: Vec<Ref<'a>>,
}

#[derive(Serialize)]
pub struct TopicEntry<'a> {
    pub name: &'a str,
    pub url: String,
    pub experts: usize,
    pub modules: usize,
    pub pages: usize,
}

#[derive(Serialize)]
pub struct GapCtx<'a> {
    pub name: &'a str,
    pub url: String,
    /// Modules, pages and plans that name the topic.
    pub named_by: Vec<Ref<'a>>,
}

/// The `page` of a generated page: the fields every template reads, plus
/// the page's own list.
#[derive(Serialize)]
pub struct GeneratedPage<'a> {
    pub id: String,
    pub kind: &'static str,
    pub title: String,
    pub description: Option<String>,
    pub url: String,
    pub breadcrumbs: Vec<Crumb<'a>>,
    pub toc: [(); 0],
    pub tags: [(); 0],
    pub content: &'static str,
    pub draft: bool,
    pub stale: bool,
    /// The directory, the topic index and the gaps page, to link between them.
    pub directory_url: String,
    pub topics_url: String,
    pub gaps_url: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub topic: Option<TopicCtx<'a>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub topics: Option<Vec<TopicEntry<'a>>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub gaps: Option<Vec<GapCtx<'a>>>,
}

/// A page esiin writes that has no source file.
pub struct Generated<'a> {
    /// Site-relative URL (`experts/topics/rust/`).
    pub url: String,
    pub template: &'static str,
    pub page: GeneratedPage<'a>,
}

fn availability_name(a: crate::load::kinds::Availability) -> &'static str {
    use crate::load::kinds::Availability::*;
    match a {
        Talks => "talks",
        Mentoring => "mentoring",
        Writing => "writing",
        Podcasts => "podcasts",
        Interviews => "interviews",
        Reviews => "reviews",
    }
}

impl Site {
    /// Listed experts at or below the folder of section `section`, by title.
    fn listed_experts_under(&self, section: usize) -> Vec<usize> {
        let dir = self.pages[section].dir();
        let prefix = if dir.is_empty() {
            String::new()
        } else {
            format!("{dir}/")
        };
        let mut out: Vec<usize> = (0..self.pages.len())
            .filter(|&i| self.is_listed_expert(i) && self.pages[i].path.starts_with(&prefix))
            .collect();
        out.sort_by_key(|&i| self.pages[i].title.to_lowercase());
        out
    }

    pub fn directory_ctx<'a>(&'a self, section: usize, state: &'a RenderState) -> DirectoryCtx<'a> {
        let experts = self.listed_experts_under(section);
        let mut options: BTreeMap<&'static str, BTreeMap<String, (String, usize)>> =
            BTreeMap::new();
        let mut count = |key: &'static str, value: String, label: &str| {
            let e = options
                .entry(key)
                .or_default()
                .entry(value)
                .or_insert_with(|| (label.to_string(), 0));
            e.1 += 1;
        };
        let mut cards = Vec::new();
        // team → channel → count, and team → people
        let mut matrix: BTreeMap<&str, BTreeMap<&str, usize>> = BTreeMap::new();
        let mut people: BTreeMap<&str, usize> = BTreeMap::new();
        let mut all_channels: BTreeSet<&str> = BTreeSet::new();
        for &i in &experts {
            let KindData::Expert(e) = &self.pages[i].data else {
                continue;
            };
            let mut filter = BTreeMap::new();
            let topics: BTreeSet<String> = e
                .topics
                .iter()
                .map(|t| crate::resolve::index::topic_slug(t))
                .collect();
            for t in &topics {
                let label = self
                    .index
                    .topic_by_slug
                    .get(t)
                    .map_or(t.as_str(), |&k| self.index.topics[k].name.as_str());
                count("topic", t.clone(), label);
            }
            filter.insert("topic", topics.into_iter().collect::<Vec<_>>().join(" "));
            let team = e.team.as_deref().unwrap_or("");
            *people
                .entry(if team.is_empty() { "–" } else { team })
                .or_default() += 1;
            if !team.is_empty() {
                count("team", slugify(&team.to_lowercase()), team);
                filter.insert("team", slugify(&team.to_lowercase()));
            }
            let channels = channel_links(&e.channels);
            for c in &channels {
                count("channel", c.name.to_string(), &c.label);
                all_channels.insert(c.name);
                *matrix
                    .entry(if team.is_empty() { "–" } else { team })
                    .or_default()
                    .entry(c.name)
                    .or_default() += 1;
            }
            if channels.is_empty() {
                matrix
                    .entry(if team.is_empty() { "–" } else { team })
                    .or_default();
            }
            filter.insert(
                "channel",
                channels
                    .iter()
                    .map(|c| c.name)
                    .collect::<Vec<_>>()
                    .join(" "),
            );
            let available: Vec<&'static str> = e
                .available_for
                .iter()
                .map(|a| availability_name(*a))
                .collect();
            for a in &available {
                count("available", a.to_string(), a);
            }
            filter.insert("available", available.join(" "));
            let languages: Vec<String> = e
                .languages
                .iter()
                .map(|l| slugify(&l.to_lowercase()))
                .collect();
            for (l, shown) in languages.iter().zip(&e.languages) {
                count("language", l.clone(), shown);
            }
            filter.insert("language", languages.join(" "));
            cards.push(Card {
                expert: self.page_ref(i, state),
                channels,
                available_for: available,
                languages: &e.languages,
                filter,
            });
        }
        let filters = ["topic", "team", "channel", "available", "language"]
            .into_iter()
            .map(|key| {
                let mut opts: Vec<FilterOption> = options
                    .remove(key)
                    .unwrap_or_default()
                    .into_iter()
                    .map(|(value, (label, count))| FilterOption {
                        value,
                        label,
                        count,
                    })
                    .collect();
                opts.sort_by_key(|o| o.label.to_lowercase());
                Filter { key, options: opts }
            })
            .collect();
        let channel_list: Vec<&str> = all_channels.into_iter().collect();
        let rows: Vec<MatrixRow> = matrix
            .iter()
            .map(|(team, per)| {
                let counts: Vec<usize> = channel_list
                    .iter()
                    .map(|c| per.get(c).copied().unwrap_or(0))
                    .collect();
                MatrixRow {
                    team,
                    total: people.get(team).copied().unwrap_or(0),
                    counts,
                }
            })
            .collect();
        let totals = (0..channel_list.len())
            .map(|k| rows.iter().map(|r| r.counts[k]).sum())
            .collect();
        let base = self.experts_base();
        DirectoryCtx {
            experts: cards,
            filters,
            matrix: Matrix {
                channels: channel_list
                    .iter()
                    .map(|c| Channel {
                        name: c,
                        label: channel(c, "").0,
                        url: String::new(),
                        handle: "",
                    })
                    .collect(),
                rows,
                totals,
            },
            topics_url: encode_path(&self.config.url(&format!("{base}topics/"))),
            gaps_url: encode_path(&self.config.url(&format!("{base}gaps/"))),
            gaps: self.index.gaps().count(),
        }
    }

    pub fn catalogue_ctx<'a>(&'a self, section: usize, state: &'a RenderState) -> CatalogueCtx<'a> {
        let dir = self.pages[section].dir();
        let prefix = if dir.is_empty() {
            String::new()
        } else {
            format!("{dir}/")
        };
        let mut modules: Vec<usize> = (0..self.pages.len())
            .filter(|&i| {
                self.pages[i].kind == Kind::Module && self.pages[i].path.starts_with(&prefix)
            })
            .collect();
        modules.sort_by_key(|&i| {
            (
                self.pages[i].common.weight.unwrap_or(0),
                self.pages[i].title.to_lowercase(),
            )
        });
        let mut groups: Vec<FormatGroup> = Vec::new();
        let order = ["workshop", "clinic", "coaching", "talk", "self-study", ""];
        for format in order {
            let list: Vec<ModuleSummary> = modules
                .iter()
                .filter(|&&m| match &self.pages[m].data {
                    KindData::Module(x) => x.format.map_or("", |f| f.name()) == format,
                    _ => false,
                })
                .map(|&m| self.module_summary(m, state))
                .collect();
            if !list.is_empty() {
                groups.push(FormatGroup {
                    format,
                    modules: list,
                });
            }
        }
        // A set: a catalogue of many modules would otherwise scan them all
        // for every session.
        let in_section: std::collections::HashSet<usize> = modules.iter().copied().collect();
        let mine = |s: &crate::resolve::index::SessionRef| in_section.contains(&s.module);
        let mut past = self.session_rows(
            self.index.sessions.iter().copied().filter(mine),
            state,
            false,
        );
        past.reverse();
        let (ics_url, webcal_url) = self.calendar_links(&self.all_sessions_feed());
        CatalogueCtx {
            groups,
            upcoming: self.session_rows(
                self.index.sessions.iter().copied().filter(mine),
                state,
                true,
            ),
            past,
            ics_url,
            webcal_url,
        }
    }

    fn crumbs_to<'a>(&'a self, last: Option<(&'a str, String)>) -> Vec<Crumb<'a>> {
        let mut crumbs = Vec::new();
        let mut up = self.experts_section.or(Some(self.home));
        let mut chain = Vec::new();
        while let Some(s) = up {
            chain.push(s);
            up = self.parent[s];
        }
        for s in chain.into_iter().rev() {
            crumbs.push(Crumb {
                title: &self.pages[s].title,
                url: encode_path(&self.url(s)),
            });
        }
        if let Some((title, url)) = last {
            crumbs.push(Crumb { title, url });
        }
        crumbs
    }

    /// The pages esiin writes besides the content: the topic index, a page
    /// per topic, and the expertise gaps.
    pub fn generated_pages<'a>(
        &'a self,
        state: &'a RenderState,
        t: &'a serde_json::Value,
    ) -> Vec<Generated<'a>> {
        let text = |key: &str, default: &'static str| -> &'a str {
            t.get(key).and_then(|v| v.as_str()).unwrap_or(default)
        };
        let base = self.experts_base();
        let topics_url = format!("{base}topics/");
        let gaps_url = format!("{base}gaps/");
        let topics_title: &'a str = text("topics_title", "Topics");
        let refs = |list: &[usize]| {
            list.iter()
                .map(|&i| self.page_ref(i, state))
                .collect::<Vec<_>>()
        };
        let page = |id: String,
                    kind: &'static str,
                    title: String,
                    description: Option<String>,
                    url: &str,
                    crumbs| GeneratedPage {
            id,
            kind,
            title,
            description,
            url: encode_path(&self.config.url(url)),
            breadcrumbs: crumbs,
            toc: [],
            tags: [],
            content: "",
            draft: false,
            stale: false,
            directory_url: encode_path(&self.url(self.experts_section.unwrap_or(self.home))),
            topics_url: encode_path(&self.config.url(&topics_url)),
            gaps_url: encode_path(&self.config.url(&gaps_url)),
            topic: None,
            topics: None,
            gaps: None,
        };
        let mut out = Vec::new();
        // A handbook without experts has no one to find by topic.
        if !self.pages.iter().any(|p| p.kind == Kind::Expert) {
            return out;
        }
        let mut index_page = page(
            "topics".into(),
            "topics",
            topics_title.to_string(),
            Some(
                text(
                    "topics_description",
                    "Every topic our experts know, and the training and pages about it.",
                )
                .to_string(),
            ),
            &topics_url,
            self.crumbs_to(None),
        );
        index_page.topics = Some(
            self.index
                .topics
                .iter()
                .filter(|t| !t.experts.is_empty())
                .map(|t| TopicEntry {
                    name: &t.name,
                    url: encode_path(&self.config.url(&format!("{topics_url}{}/", t.slug))),
                    experts: t.experts.len(),
                    modules: t.modules.len(),
                    pages: t.pages.len(),
                })
                .collect(),
        );
        out.push(Generated {
            url: topics_url.clone(),
            template: "topics.html",
            page: index_page,
        });
        for topic in &self.index.topics {
            let url = format!("{topics_url}{}/", topic.slug);
            let mut p = page(
                format!("topics/{}", topic.slug),
                "topic",
                topic.name.clone(),
                None,
                &url,
                self.crumbs_to(Some((
                    topics_title,
                    encode_path(&self.config.url(&topics_url)),
                ))),
            );
            p.topic = Some(TopicCtx {
                name: &topic.name,
                slug: &topic.slug,
                experts: refs(&topic.experts),
                modules: refs(&topic.modules),
                pages: refs(&topic.pages),
                plans: refs(&topic.plans),
            });
            out.push(Generated {
                url,
                template: "topic.html",
                page: p,
            });
        }
        let mut gaps = page(
            "gaps".into(),
            "gaps",
            text("gaps_title", "Expertise gaps").to_string(),
            Some(
                text(
                    "gaps_description",
                    "Topics that training, pages or the plan name, but no listed expert covers yet.",
                )
                .to_string(),
            ),
            &gaps_url,
            self.crumbs_to(None),
        );
        gaps.gaps = Some(
            self.index
                .gaps()
                .map(|t| {
                    let mut named: Vec<usize> = t
                        .modules
                        .iter()
                        .chain(&t.pages)
                        .chain(&t.plans)
                        .copied()
                        .collect();
                    named.sort_unstable();
                    named.dedup();
                    GapCtx {
                        name: &t.name,
                        url: encode_path(&self.config.url(&format!("{topics_url}{}/", t.slug))),
                        named_by: refs(&named),
                    }
                })
                .collect(),
        );
        out.push(Generated {
            url: gaps_url,
            template: "gaps.html",
            page: gaps,
        });
        out
    }
}

impl Site {
    /// The calendars to write: `(site-relative path, iCalendar text)`. A
    /// file per session (past ones too, so a link kept from an earlier
    /// visit still works) and two feeds of upcoming sessions only — a
    /// module's and all modules' — so a subscription does not fill a
    /// calendar with sessions that are over. Cancelled sessions stay in
    /// the feeds as `STATUS:CANCELLED` until they are past, so calendars
    /// that hold them learn of it.
    pub fn calendars(&self, now: jiff::Timestamp) -> Vec<(String, String)> {
        use super::ics::{Event, calendar};
        let stamp = self
            .today
            .to_zoned_datetime(jiff::tz::TimeZone::UTC)
            .map_or(now, |z| z.timestamp());
        let tz_name = &self.config.raw.timezone;
        let tz = &self.config.tz;
        let upcoming = |r: &SessionRef| {
            self.session(*r)
                .is_some_and(|s| s.end.unwrap_or(s.start).0 >= now)
        };
        let events = |refs: &mut dyn Iterator<Item = &SessionRef>| -> Vec<Event<'_>> {
            refs.filter_map(|&r| self.session_event(r)).collect()
        };
        let mut out = Vec::new();
        for &r in &self.index.sessions {
            if let (Some(path), Some(e)) = (self.session_file(r), self.session_event(r)) {
                let name = self.pages[r.module].title.as_str();
                out.push((path, calendar(name, tz_name, tz, stamp, &[e])));
            }
        }
        // Each module's sessions, in the index's date order, grouped in one
        // pass: a scan of every session per module is quadratic in a
        // handbook of many modules.
        let mut by_module: std::collections::HashMap<usize, Vec<SessionRef>> =
            std::collections::HashMap::new();
        for &r in &self.index.sessions {
            by_module.entry(r.module).or_default().push(r);
        }
        for (i, p) in self.pages.iter().enumerate() {
            match &p.data {
                KindData::Module(m) if !m.sessions.is_empty() => {}
                _ => continue,
            }
            let mine = events(
                &mut by_module
                    .get(&i)
                    .into_iter()
                    .flatten()
                    .filter(|r| upcoming(r)),
            );
            let text = calendar(&p.title, tz_name, tz, stamp, &mine);
            out.push((self.module_feed(i), text));
        }
        if !self.index.sessions.is_empty() {
            let all = events(&mut self.index.sessions.iter().filter(|r| upcoming(r)));
            let name = match self.training_section {
                Some(t) => format!("{} – {}", self.config.raw.title, self.pages[t].title),
                None => self.config.raw.title.clone(),
            };
            out.push((
                self.all_sessions_feed(),
                calendar(&name, tz_name, tz, stamp, &all),
            ));
        }
        out
    }

    /// One session as a calendar event. Its `URL:` is the module page's
    /// absolute address, and left out when `base_url` has no origin
    /// (`base_url: /`): a calendar program has no page to resolve a
    /// relative URL against, and guessing a host would link elsewhere.
    fn session_event(&self, r: SessionRef) -> Option<super::ics::Event<'_>> {
        let s = self.session(r)?;
        let p = &self.pages[r.module];
        let KindData::Module(m) = &p.data else {
            return None;
        };
        let host = self
            .config
            .origin
            .as_deref()
            .and_then(|o| o.split("://").nth(1))
            .unwrap_or("esiin.invalid");
        let url = self
            .config
            .origin
            .as_deref()
            .map(|o| format!("{o}{}", encode_path(&self.url(r.module))));
        let mut description = m.summary.clone().unwrap_or_default();
        if let Some(signup) = s.signup_url.as_ref().filter(|_| !s.cancelled) {
            description.push_str(&format!("\n\nSign up: {signup}"));
        }
        if let Some(online) = &s.online_url {
            description.push_str(&format!("\nOnline: {online}"));
        }
        let session_id =
            s.id.clone()
                .unwrap_or_else(|| s.start.0.strftime("%Y%m%dT%H%M%SZ").to_string());
        Some(super::ics::Event {
            uid: super::ics::uid(&p.id, &session_id, host),
            start: s.start.0,
            end: s.end.map(|e| e.0),
            summary: &p.title,
            description: Some(description.trim().to_string()).filter(|d| !d.is_empty()),
            location: s.location.clone().or_else(|| s.online_url.clone()),
            url,
            cancelled: s.cancelled,
        })
    }

    /// The download and subscribe links of a calendar file: the path under
    /// `base_url`, and a `webcal:` URL when `base_url` has an origin (a
    /// subscription needs a whole address).
    pub fn calendar_links(&self, rel: &str) -> (String, Option<String>) {
        let url = encode_path(&self.config.url(rel));
        let webcal = self.config.origin.as_deref().and_then(|o| {
            let host = o
                .strip_prefix("https://")
                .or_else(|| o.strip_prefix("http://"))?;
            Some(format!("webcal://{host}{url}"))
        });
        (url, webcal)
    }
}
