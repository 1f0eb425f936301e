//! Contexts of the pages that list across the handbook: the expert
//! directory (with its filters and the team × channel matrix), the training
//! catalogue, and the pages esiin generates — one per topic, the topic
//! index and the expertise gaps (the team pages are in `teams.rs`).
//!
//! Unlisted experts are left out here by construction: every list starts
//! from `Site::is_listed_expert` or from the topic index, which only holds
//! listed experts.

use std::collections::{BTreeMap, BTreeSet};

use serde::Serialize;

use super::calendars::calendar_links;
use super::strings::Strings;
use super::teams::{TeamCtx, TeamEntry};
use super::view::{Channel, Crumb, ModuleSummary, Pages, Ref, SessionRow, channel, channel_links};
use crate::load::Kind;
use crate::load::kinds::{Expert, KindData};
use crate::resolve::PageId;
use crate::resolve::index::{SessionRef, Team, Topic, team_slug, topic_slug};
use crate::text::{encode_path, slugify};

/// One option of a directory filter.
#[derive(Serialize)]
pub(crate) struct FilterOption {
    pub value: String,
    pub label: String,
    pub count: usize,
}

/// A directory filter: `key` is the URL parameter (`?topic=rust`).
#[derive(Serialize)]
pub(crate) struct Filter {
    pub key: &'static str,
    pub options: Vec<FilterOption>,
}

/// An expert's card in the directory: a reference plus what the card
/// shows and the values the filters match (space-separated slugs, for
/// `data-*` attributes).
#[derive(Serialize)]
pub(crate) struct Card<'a> {
    pub expert: Ref<'a>,
    pub channels: Vec<Channel<'a>>,
    pub available_for: Vec<&'static str>,
    pub languages: &'a [String],
    pub filter: BTreeMap<&'static str, String>,
}

#[derive(Serialize)]
pub(crate) struct MatrixRow<'a> {
    pub team: &'a str,
    /// Listed experts of the team on each channel.
    pub counts: Vec<usize>,
    /// Listed experts of the team.
    pub total: usize,
}

/// How many listed experts of each team use each channel.
#[derive(Serialize)]
pub(crate) struct Matrix<'a> {
    pub channels: Vec<Channel<'a>>,
    pub rows: Vec<MatrixRow<'a>>,
    pub totals: Vec<usize>,
}

#[derive(Serialize)]
pub(crate) struct DirectoryCtx<'a> {
    pub experts: Vec<Card<'a>>,
    pub filters: Vec<Filter>,
    pub matrix: Matrix<'a>,
    pub topics_url: String,
    pub gaps_url: String,
    pub gaps: usize,
    /// The team index, and team name → its page, for the cards and the matrix.
    pub teams_url: String,
    pub team_urls: BTreeMap<&'a str, String>,
}

#[derive(Serialize)]
pub(crate) struct FormatGroup<'a> {
    pub format: &'static str,
    pub modules: Vec<ModuleSummary<'a>>,
}

#[derive(Serialize)]
pub(crate) struct CatalogueCtx<'a> {
    pub groups: Vec<FormatGroup<'a>>,
    pub upcoming: Vec<SessionRow<'a>>,
    pub past: Vec<SessionRow<'a>>,
    /// The feed of every upcoming session, to download.
    pub ics_url: String,
    /// The same feed to subscribe to, when `base_url` has an origin.
    pub webcal_url: Option<String>,
}

#[derive(Serialize)]
pub(crate) struct TopicCtx<'a> {
    pub name: &'a str,
    pub slug: &'a str,
    pub experts: Vec<Ref<'a>>,
    pub modules: Vec<Ref<'a>>,
    pub pages: Vec<Ref<'a>>,
    pub plans: Vec<Ref<'a>>,
}

#[derive(Serialize)]
pub(crate) struct TopicEntry<'a> {
    pub name: &'a str,
    pub url: String,
    pub experts: usize,
    pub modules: usize,
    pub pages: usize,
}

#[derive(Serialize)]
pub(crate) struct GapCtx<'a> {
    pub name: &'a str,
    pub url: String,
    /// Modules, pages and plans that name the topic.
    pub named_by: Vec<Ref<'a>>,
}

/// The `page` of a generated page: the fields every template reads, plus
/// the page's own list.
#[derive(Serialize)]
pub(crate) struct GeneratedPage<'a> {
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
    pub teams_url: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub topic: Option<TopicCtx<'a>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub team: Option<TeamCtx<'a>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub teams: Option<Vec<TeamEntry<'a>>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub topics: Option<Vec<TopicEntry<'a>>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub gaps: Option<Vec<GapCtx<'a>>>,
}

/// A page esiin writes that has no source file.
pub(crate) struct Generated<'a> {
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

/// The directory's filters and matrix, counted card by card.
#[derive(Default)]
struct Tally<'a> {
    /// Filter key → value → (label, how many experts).
    options: BTreeMap<&'static str, BTreeMap<String, (String, usize)>>,
    /// Team → channel → how many experts.
    matrix: BTreeMap<&'a str, BTreeMap<&'a str, usize>>,
    /// Team → how many experts.
    people: BTreeMap<&'a str, usize>,
    /// Every channel some expert uses.
    channels: BTreeSet<&'a str>,
}

impl<'a> Tally<'a> {
    /// One more expert with `value` for filter `key` (shown as `label`).
    fn count(&mut self, key: &'static str, value: String, label: &str) {
        let e = self
            .options
            .entry(key)
            .or_default()
            .entry(value)
            .or_insert_with(|| (label.to_string(), 0));
        e.1 += 1;
    }

    /// The filters, each option by label.
    fn filters(&mut self) -> Vec<Filter> {
        ["topic", "team", "channel", "available", "language"]
            .into_iter()
            .map(|key| {
                let mut opts: Vec<FilterOption> = self
                    .options
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
            .collect()
    }

    /// The team × channel matrix.
    fn matrix(&self) -> Matrix<'a> {
        let channel_list: Vec<&str> = self.channels.iter().copied().collect();
        let rows: Vec<MatrixRow> = self
            .matrix
            .iter()
            .map(|(&team, per)| {
                let counts: Vec<usize> = channel_list
                    .iter()
                    .map(|c| per.get(c).copied().unwrap_or(0))
                    .collect();
                MatrixRow {
                    team,
                    total: self.people.get(team).copied().unwrap_or(0),
                    counts,
                }
            })
            .collect();
        let totals = (0..channel_list.len())
            .map(|k| rows.iter().map(|r| r.counts[k]).sum())
            .collect();
        Matrix {
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
        }
    }
}

impl<'a> Pages<'a> {
    /// Listed experts at or below the folder of section `section`, by title.
    fn listed_experts_under(self, section: PageId) -> Vec<PageId> {
        let site = self.site;
        let prefix = folder_prefix(site.page(section).dir());
        let mut out: Vec<PageId> = site
            .pages()
            .filter(|&(i, p)| site.is_listed_expert(i) && p.path.starts_with(&prefix))
            .map(|(i, _)| i)
            .collect();
        out.sort_by_key(|&i| site.page(i).title.to_lowercase());
        out
    }

    /// The expert directory of section `section`: a card per listed expert,
    /// the filters, the team × channel matrix, links to topics and gaps.
    pub(crate) fn directory_ctx(self, section: PageId) -> DirectoryCtx<'a> {
        let site = self.site;
        let mut tally = Tally::default();
        let cards = self
            .listed_experts_under(section)
            .into_iter()
            .filter_map(|i| match &site.page(i).data {
                KindData::Expert(e) => Some(self.card(i, e, &mut tally)),
                _ => None,
            })
            .collect();
        DirectoryCtx {
            experts: cards,
            filters: tally.filters(),
            matrix: tally.matrix(),
            topics_url: encode_path(&site.config.url(&site.topics_url())),
            gaps_url: encode_path(&site.config.url(&site.gaps_url())),
            gaps: site.index.gaps().count(),
            teams_url: encode_path(&site.config.url(&site.teams_url())),
            team_urls: self.team_urls(),
        }
    }

    /// Expert `i`'s card, counted into the filters and the matrix.
    fn card(self, i: PageId, e: &'a Expert, tally: &mut Tally<'a>) -> Card<'a> {
        let mut filter = BTreeMap::new();
        filter.insert("topic", self.topic_filter(e, tally));
        let team = e.team.as_deref().unwrap_or("");
        let row = if team.is_empty() { "–" } else { team };
        *tally.people.entry(row).or_default() += 1;
        if !team.is_empty() {
            tally.count("team", team_slug(team), team);
            filter.insert("team", team_slug(team));
        }
        let channels = channel_links(&e.channels);
        for c in &channels {
            tally.count("channel", c.name.to_string(), &c.label);
            tally.channels.insert(c.name);
            *tally
                .matrix
                .entry(row)
                .or_default()
                .entry(c.name)
                .or_default() += 1;
        }
        if channels.is_empty() {
            tally.matrix.entry(row).or_default();
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
            tally.count("available", a.to_string(), a);
        }
        filter.insert("available", available.join(" "));
        let languages: Vec<String> = e
            .languages
            .iter()
            .map(|l| slugify(&l.to_lowercase()))
            .collect();
        for (l, shown) in languages.iter().zip(&e.languages) {
            tally.count("language", l.clone(), shown);
        }
        filter.insert("language", languages.join(" "));
        Card {
            expert: self.page_ref(i),
            channels,
            available_for: available,
            languages: &e.languages,
            filter,
        }
    }

    /// The slugs of an expert's topics for the topic filter, counted.
    fn topic_filter(self, e: &Expert, tally: &mut Tally<'a>) -> String {
        let index = &self.site.index;
        let topics: BTreeSet<String> = e.topics.iter().map(|t| topic_slug(t)).collect();
        for t in &topics {
            let label = index
                .topic_by_slug
                .get(t)
                .map_or(t.as_str(), |&k| index.topics[k].name.as_str());
            tally.count("topic", t.clone(), label);
        }
        topics.into_iter().collect::<Vec<_>>().join(" ")
    }

    /// The training catalogue of section `section`: its modules grouped by
    /// format, and their upcoming and past sessions.
    pub(crate) fn catalogue_ctx(self, section: PageId) -> CatalogueCtx<'a> {
        let site = self.site;
        let prefix = folder_prefix(site.page(section).dir());
        let mut modules: Vec<PageId> = site
            .pages()
            .filter(|(_, p)| p.kind == Kind::Module && p.path.starts_with(&prefix))
            .map(|(i, _)| i)
            .collect();
        modules.sort_by_key(|&i| {
            let p = site.page(i);
            (p.common.weight.unwrap_or(0), p.title.to_lowercase())
        });
        // A set: a catalogue of many modules would otherwise scan them all
        // for every session.
        let in_section: std::collections::HashSet<PageId> = modules.iter().copied().collect();
        let mine = |s: &SessionRef| in_section.contains(&s.module);
        let mut past = self.session_rows(site.index.sessions.iter().copied().filter(mine), false);
        past.reverse();
        let (ics_url, webcal_url) = calendar_links(site, &site.all_sessions_feed());
        CatalogueCtx {
            groups: self.format_groups(&modules),
            upcoming: self.session_rows(site.index.sessions.iter().copied().filter(mine), true),
            past,
            ics_url,
            webcal_url,
        }
    }

    /// `modules` grouped by format, in the catalogue's order of formats.
    fn format_groups(self, modules: &[PageId]) -> Vec<FormatGroup<'a>> {
        let mut groups: Vec<FormatGroup> = Vec::new();
        let order = ["workshop", "clinic", "coaching", "talk", "self-study", ""];
        for format in order {
            let list: Vec<ModuleSummary> = modules
                .iter()
                .filter(|&&m| match &self.site.page(m).data {
                    KindData::Module(x) => x.format.map_or("", |f| f.name()) == format,
                    _ => false,
                })
                .map(|&m| self.module_summary(m))
                .collect();
            if !list.is_empty() {
                groups.push(FormatGroup {
                    format,
                    modules: list,
                });
            }
        }
        groups
    }

    /// The breadcrumbs of a generated page: down to the directory, then
    /// `last` when given.
    pub(super) fn generated_crumbs(self, last: Option<(&'a str, String)>) -> Vec<Crumb<'a>> {
        let site = self.site;
        let mut crumbs = self.crumbs_to(site.experts_section.or(Some(site.home)));
        if let Some((title, url)) = last {
            crumbs.push(Crumb { title, url });
        }
        crumbs
    }

    /// The pages esiin writes besides the content: the topic index, a page
    /// per topic, and the expertise gaps. `t` holds the theme's UI strings.
    pub(crate) fn generated_pages(self, t: &'a Strings) -> Vec<Generated<'a>> {
        // A handbook without experts has no one to find by topic.
        if !self.site.pages().any(|(_, p)| p.kind == Kind::Expert) {
            return Vec::new();
        }
        let g = GeneratedUrls::new(self, t);
        let mut out = vec![self.topic_index(&g)];
        out.extend(
            self.site
                .index
                .topics
                .iter()
                .map(|topic| self.topic_page(&g, topic)),
        );
        out.push(self.gaps_page(&g));
        out.push(self.team_index(&g));
        out.extend(
            self.site
                .index
                .teams
                .iter()
                .map(|team| self.team_page(&g, team)),
        );
        out
    }

    /// The `page` of a generated page, without its own list.
    pub(super) fn generated_page(
        self,
        g: &GeneratedUrls<'a>,
        id: String,
        kind: &'static str,
        title: String,
        url: &str,
        breadcrumbs: Vec<Crumb<'a>>,
    ) -> GeneratedPage<'a> {
        let site = self.site;
        GeneratedPage {
            id,
            kind,
            title,
            description: None,
            url: encode_path(&site.config.url(url)),
            breadcrumbs,
            toc: [],
            tags: [],
            content: "",
            draft: false,
            stale: false,
            directory_url: encode_path(&site.url(site.experts_section.unwrap_or(site.home))),
            topics_url: encode_path(&site.config.url(&g.topics)),
            gaps_url: encode_path(&site.config.url(&g.gaps)),
            teams_url: encode_path(&site.config.url(&site.teams_url())),
            topic: None,
            team: None,
            teams: None,
            topics: None,
            gaps: None,
        }
    }

    /// The topic index: every topic some listed expert covers.
    fn topic_index(self, g: &GeneratedUrls<'a>) -> Generated<'a> {
        let site = self.site;
        let description = &g.strings.topics_description;
        let mut page = self.generated_page(
            g,
            "topics".into(),
            "topics",
            g.strings.topics_title.clone(),
            &g.topics,
            self.generated_crumbs(None),
        );
        page.description = Some(description.to_string());
        page.topics = Some(
            site.index
                .topics
                .iter()
                .filter(|t| !t.experts.is_empty())
                .map(|t| TopicEntry {
                    name: &t.name,
                    url: g.topic_url(t),
                    experts: t.experts.len(),
                    modules: t.modules.len(),
                    pages: t.pages.len(),
                })
                .collect(),
        );
        Generated {
            url: g.topics.clone(),
            template: "topics.html",
            page,
        }
    }

    /// A topic's page: its experts, modules, pages and plans.
    fn topic_page(self, g: &GeneratedUrls<'a>, topic: &'a Topic) -> Generated<'a> {
        let url = self.site.topic_url(&topic.slug);
        let crumb = (
            g.strings.topics_title.as_str(),
            encode_path(&self.site.config.url(&g.topics)),
        );
        let mut page = self.generated_page(
            g,
            format!("topics/{}", topic.slug),
            "topic",
            topic.name.clone(),
            &url,
            self.generated_crumbs(Some(crumb)),
        );
        page.topic = Some(TopicCtx {
            name: &topic.name,
            slug: &topic.slug,
            experts: self.page_refs(&topic.experts),
            modules: self.page_refs(&topic.modules),
            pages: self.page_refs(&topic.pages),
            plans: self.page_refs(&topic.plans),
        });
        Generated {
            url,
            template: "topic.html",
            page,
        }
    }

    /// The expertise gaps: topics no listed expert covers, with the pages
    /// that name them.
    fn gaps_page(self, g: &GeneratedUrls<'a>) -> Generated<'a> {
        let description = &g.strings.gaps_description;
        let mut page = self.generated_page(
            g,
            "gaps".into(),
            "gaps",
            g.strings.gaps_title.clone(),
            &g.gaps,
            self.generated_crumbs(None),
        );
        page.description = Some(description.to_string());
        page.gaps = Some(
            self.site
                .index
                .gaps()
                .map(|t| {
                    let mut named: Vec<PageId> = t
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
                        url: g.topic_url(t),
                        named_by: self.page_refs(&named),
                    }
                })
                .collect(),
        );
        Generated {
            url: g.gaps.clone(),
            template: "gaps.html",
            page,
        }
    }
}

/// The team pages (`render/teams.rs` has what they show).
impl<'a> Pages<'a> {
    /// The team index: every team of listed experts.
    pub(super) fn team_index(self, g: &GeneratedUrls<'a>) -> Generated<'a> {
        let site = self.site;
        let url = site.teams_url();
        let mut page = self.generated_page(
            g,
            "teams".into(),
            "teams",
            g.strings.teams_title.clone(),
            &url,
            self.generated_crumbs(None),
        );
        page.description = Some(g.strings.teams_description.clone());
        page.teams = Some(
            site.index
                .teams
                .iter()
                .map(|t| TeamEntry {
                    name: &t.name,
                    url: encode_path(&site.config.url(&site.team_url(&t.slug))),
                    experts: t.experts.len(),
                    modules: self.team_modules(t).len(),
                })
                .collect(),
        );
        Generated {
            url,
            template: "teams.html",
            page,
        }
    }

    /// A team's page: its experts, what they train, where they share.
    pub(super) fn team_page(self, g: &GeneratedUrls<'a>, team: &'a Team) -> Generated<'a> {
        let site = self.site;
        let url = site.team_url(&team.slug);
        let crumb = (
            g.strings.teams_title.as_str(),
            encode_path(&site.config.url(&site.teams_url())),
        );
        let mut page = self.generated_page(
            g,
            format!("teams/{}", team.slug),
            "team",
            team.name.clone(),
            &url,
            self.generated_crumbs(Some(crumb)),
        );
        page.team = Some(TeamCtx {
            name: &team.name,
            slug: &team.slug,
            experts: self.page_refs(&team.experts),
            modules: self.page_refs(&self.team_modules(team)),
            channels: self.team_channels(team),
            shared: self.recently_shared(team.experts.iter().copied()),
        });
        Generated {
            url,
            template: "team.html",
            page,
        }
    }
}

/// Where the generated pages go (site-relative), and their UI strings.
pub(super) struct GeneratedUrls<'a> {
    pub(super) pages: Pages<'a>,
    pub(super) strings: &'a Strings,
    /// `experts/topics/`.
    topics: String,
    /// `experts/gaps/`.
    gaps: String,
}

impl<'a> GeneratedUrls<'a> {
    fn new(pages: Pages<'a>, strings: &'a Strings) -> GeneratedUrls<'a> {
        GeneratedUrls {
            pages,
            strings,
            topics: pages.site.topics_url(),
            gaps: pages.site.gaps_url(),
        }
    }

    /// The URL of a topic's page, under the base path.
    fn topic_url(&self, t: &Topic) -> String {
        let site = self.pages.site;
        encode_path(&site.config.url(&site.topic_url(&t.slug)))
    }
}

/// `dir/`, the prefix of the paths of the pages in folder `dir` (`""` for
/// the root).
fn folder_prefix(dir: &str) -> String {
    if dir.is_empty() {
        String::new()
    } else {
        format!("{dir}/")
    }
}
