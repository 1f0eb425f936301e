//! Indexes over the resolved site that several pages show: topics (who
//! knows what), back-references (what an expert trains, owns, appears in),
//! modules that build on a module, and every session in date order.
//!
//! Built once after references resolve, so every page that shows one of
//! these reads the same answer, and a page never scans the whole site.

use std::collections::{BTreeMap, HashMap};

use crate::diag::Diagnostic;
use crate::load::Kind;
use crate::load::kinds::KindData;
use crate::text::slugify;

use super::{PageId, Site};

/// One topic: an expert's `topics` entry, or a module's or page's `tags`,
/// matched case-insensitively (`Rust`, `rust` and ` rust ` are one topic).
#[derive(Debug, Clone, Default)]
pub(crate) struct Topic {
    /// The spelling used most often.
    pub name: String,
    /// URL segment and filter value: `data-engineering`.
    pub slug: String,
    /// Listed experts who name it, by title.
    pub experts: Vec<PageId>,
    /// Modules tagged with it.
    pub modules: Vec<PageId>,
    /// Other pages tagged with it.
    pub pages: Vec<PageId>,
    /// Plan pages whose goals name it.
    pub plans: Vec<PageId>,
}

/// One team: the `team` of listed experts, matched as the directory's team
/// filter matches it (`Sales` and `sales` are one team).
#[derive(Debug, Clone, Default)]
pub(crate) struct Team {
    /// The first spelling, by expert title.
    pub name: String,
    /// URL segment and the directory's `?team=` value: `customer-success`.
    pub slug: String,
    /// Its listed experts, by title.
    pub experts: Vec<PageId>,
}

/// The slug of a team, as the directory's team filter writes it.
pub(crate) fn team_slug(name: &str) -> String {
    slugify(&name.trim().to_lowercase())
}

/// A session of a module.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct SessionRef {
    pub module: PageId,
    /// The session's position in the module's `sessions`.
    pub index: usize,
}

#[derive(Debug, Default)]
pub(crate) struct Index {
    /// Topics by slug order.
    pub topics: Vec<Topic>,
    pub topic_by_slug: HashMap<String, usize>,
    /// Expert → modules they train.
    pub trains: HashMap<PageId, Vec<PageId>>,
    /// Expert → pages they own.
    pub owns: HashMap<PageId, Vec<PageId>>,
    /// Expert → onboarding paths that include their profile or a page they own.
    pub paths: HashMap<PageId, Vec<PageId>>,
    /// Page → (path, 0-based position) for every path that has it as a step.
    pub in_paths: HashMap<PageId, Vec<(PageId, usize)>>,
    /// Module → modules that list it as a prerequisite.
    pub leads_to: HashMap<PageId, Vec<PageId>>,
    /// Every session, by start time.
    pub sessions: Vec<SessionRef>,
    /// Teams of listed experts, by slug.
    pub teams: Vec<Team>,
}

/// The spelling of a topic used most often; among equals, the one with
/// capitals (a name like `Kubernetes` or `GraphQL`), then the first.
fn most_used_spelling(counts: &BTreeMap<String, usize>) -> String {
    counts
        .iter()
        .max_by(|a, b| {
            a.1.cmp(b.1)
                .then_with(|| {
                    a.0.chars()
                        .any(char::is_uppercase)
                        .cmp(&b.0.chars().any(char::is_uppercase))
                })
                .then_with(|| b.0.cmp(a.0))
        })
        .map(|(s, _)| s.clone())
        .unwrap_or_default()
}

/// The key two spellings of a topic share.
pub(crate) fn topic_slug(name: &str) -> String {
    let lower = name
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
        .to_lowercase();
    slugify(&lower.replace('_', "-"))
}

impl Index {
    /// Topics no listed expert covers.
    pub(crate) fn gaps(&self) -> impl Iterator<Item = &Topic> {
        self.topics.iter().filter(|t| t.experts.is_empty())
    }
}

/// The file name of a feed of upcoming sessions (a module's, all
/// modules'): the one place it is written, like the other generated URLs
/// (`module_feed`, `all_sessions_feed`, `session_file` below; the
/// generated pages' in `checks.rs`).
const FEED_FILE: &str = "calendar.ics";

impl Site {
    /// Builds the indexes, and warns about expertise gaps: topics that
    /// modules, pages or plan goals name but no listed expert covers.
    pub(super) fn build_index(&self, diags: &mut Vec<Diagnostic>) -> Index {
        let mut index = Index {
            topics: self.topics(),
            teams: self.teams(),
            ..Index::default()
        };
        for (k, topic) in index.topics.iter().enumerate() {
            index.topic_by_slug.insert(topic.slug.clone(), k);
        }
        self.index_back_references(&mut index);
        self.index_paths(&mut index);
        index
            .sessions
            .sort_by_key(|s| (self.session(*s).map(|x| x.start), s.module, s.index));
        self.warn_gaps(&index, diags);
        index
    }

    /// Every team some listed expert names, by slug, with its experts.
    fn teams(&self) -> Vec<Team> {
        let mut experts: Vec<PageId> = self
            .pages()
            .filter(|&(i, _)| self.is_listed_expert(i))
            .map(|(i, _)| i)
            .collect();
        experts.sort_by_cached_key(|&i| self.page(i).title.to_lowercase());
        let mut teams: BTreeMap<String, Team> = BTreeMap::new();
        for i in experts {
            let KindData::Expert(e) = &self.page(i).data else {
                continue;
            };
            let Some(name) = e.team.as_deref().map(str::trim) else {
                continue;
            };
            let slug = team_slug(name);
            if slug.is_empty() {
                continue;
            }
            let team = teams.entry(slug.clone()).or_insert_with(|| Team {
                name: name.to_string(),
                slug,
                experts: Vec::new(),
            });
            team.experts.push(i);
        }
        teams.into_values().collect()
    }

    /// Every topic, by slug, with the pages that name it.
    fn topics(&self) -> Vec<Topic> {
        // slug → (spelling → count), and the topic's members.
        let mut spellings: BTreeMap<String, BTreeMap<String, usize>> = BTreeMap::new();
        let mut members: BTreeMap<String, Topic> = BTreeMap::new();
        let mut add = |name: &str, f: &mut dyn FnMut(&mut Topic)| {
            let slug = topic_slug(name);
            if slug.is_empty() {
                return;
            }
            *spellings
                .entry(slug.clone())
                .or_default()
                .entry(name.trim().to_string())
                .or_default() += 1;
            f(members.entry(slug).or_default());
        };
        for (i, p) in self.pages() {
            let push = |list: fn(&mut Topic) -> &mut Vec<PageId>| {
                move |t: &mut Topic| {
                    let l = list(t);
                    if l.last() != Some(&i) {
                        l.push(i)
                    }
                }
            };
            match &p.data {
                KindData::Expert(e) if self.is_listed_expert(i) => {
                    for t in &e.topics {
                        add(t, &mut push(|t| &mut t.experts));
                    }
                }
                KindData::Module(_) => {
                    for t in &p.common.tags {
                        add(t, &mut push(|t| &mut t.modules));
                    }
                }
                KindData::Plan(plan) => {
                    for g in &plan.goals {
                        for t in &g.topics {
                            add(t, &mut push(|t| &mut t.plans));
                        }
                    }
                }
                _ => {}
            }
            if !matches!(p.kind, Kind::Expert | Kind::Module) {
                for t in &p.common.tags {
                    add(t, &mut push(|t| &mut t.pages));
                }
            }
        }
        members
            .into_iter()
            .map(|(slug, topic)| {
                let name = most_used_spelling(&spellings[&slug]);
                self.named_topic(topic, name, slug)
            })
            .collect()
    }

    /// `topic` with its name and slug, its lists by title (plans stay in
    /// page order).
    fn named_topic(&self, mut topic: Topic, name: String, slug: String) -> Topic {
        topic.name = name;
        topic.slug = slug;
        let by_title = |a: &PageId, b: &PageId| {
            self.page(*a)
                .title
                .to_lowercase()
                .cmp(&self.page(*b).title.to_lowercase())
        };
        topic.experts.sort_by(by_title);
        topic.modules.sort_by(by_title);
        topic.pages.sort_by(by_title);
        topic
    }

    /// Who trains, owns and leads to what, and every session (unsorted).
    fn index_back_references(&self, index: &mut Index) {
        for (i, node) in self.nodes() {
            let refs = &node.refs;
            for &t in &refs.trainers {
                index.trains.entry(t).or_default().push(i);
            }
            for &m in &refs.prerequisites {
                index.leads_to.entry(m).or_default().push(i);
            }
            if let Some(o) = refs.owner {
                index.owns.entry(o).or_default().push(i);
            }
            if let KindData::Module(m) = &node.page.data {
                for s in 0..m.sessions.len() {
                    index.sessions.push(SessionRef {
                        module: i,
                        index: s,
                    });
                }
            }
        }
    }

    /// The paths each page is a step of, and the paths each expert appears
    /// in (their profile or a page they own is a step).
    fn index_paths(&self, index: &mut Index) {
        for (i, node) in self.nodes() {
            if node.page.kind != Kind::Path {
                continue;
            }
            for (k, &step) in node.refs.steps.iter().enumerate() {
                index.in_paths.entry(step).or_default().push((i, k));
                let mut experts = Vec::new();
                if self.page(step).kind == Kind::Expert {
                    experts.push(step);
                }
                experts.extend(self.node(step).refs.owner);
                for e in experts {
                    let list = index.paths.entry(e).or_default();
                    if !list.contains(&i) {
                        list.push(i);
                    }
                }
            }
        }
    }

    /// A warning per expertise gap, at the first page that names it.
    fn warn_gaps(&self, index: &Index, diags: &mut Vec<Diagnostic>) {
        for topic in index.gaps() {
            let first = topic
                .modules
                .iter()
                .chain(&topic.pages)
                .chain(&topic.plans)
                .min();
            let Some(&first) = first else { continue };
            let p = self.page(first);
            let (key, value) = if p.kind == Kind::Plan {
                ("topics", topic.name.as_str())
            } else {
                ("tags", topic.name.as_str())
            };
            let named = topic.modules.len() + topic.pages.len() + topic.plans.len();
            diags.push(
                p.src
                    .error_at_key(
                        key,
                        Some(value),
                        format!(
                            "expertise gap: no listed expert covers `{}` ({} page{} name{} it)",
                            topic.name,
                            named,
                            if named == 1 { "" } else { "s" },
                            if named == 1 { "s" } else { "" }
                        ),
                    )
                    .hint(format!(
                        "add `{}` to the `topics` of an expert who knows it; the gaps page lists every gap",
                        topic.name
                    ))
                    .into_warning(),
            );
        }
    }

    pub(crate) fn session(&self, s: SessionRef) -> Option<&crate::load::kinds::Session> {
        match &self.page(s.module).data {
            KindData::Module(m) => m.sessions.get(s.index),
            _ => None,
        }
    }

    /// The feed of a module's upcoming sessions, site-relative.
    pub(crate) fn module_feed(&self, module: PageId) -> String {
        format!("{}{FEED_FILE}", self.node(module).url)
    }

    /// The feed of every upcoming session: in the training section, or at
    /// the root when the handbook has none.
    pub(crate) fn all_sessions_feed(&self) -> String {
        let base = self
            .training_section
            .map_or("", |t| self.node(t).url.as_str());
        format!("{base}{FEED_FILE}")
    }

    /// Every calendar file a build writes, site-relative: a feed per module
    /// with sessions, one for all sessions, one file per session.
    pub(crate) fn calendar_files(&self) -> Vec<String> {
        let mut files = Vec::new();
        for (i, p) in self.pages() {
            if let KindData::Module(m) = &p.data
                && !m.sessions.is_empty()
            {
                files.push(self.module_feed(i));
            }
        }
        if !self.index.sessions.is_empty() {
            files.push(self.all_sessions_feed());
        }
        files.extend(
            self.index
                .sessions
                .iter()
                .filter_map(|&r| self.session_file(r)),
        );
        files
    }

    /// Where the calendar file of one session is written, site-relative:
    /// `training/basics/sessions/<name>.ics` (see [`session_file_name`]).
    pub(crate) fn session_file(&self, s: SessionRef) -> Option<String> {
        let session = self.session(s)?;
        let name = session_file_name(session, &self.config.tz);
        Some(format!("{}sessions/{name}.ics", self.node(s.module).url))
    }

    /// Two sessions of one module that would share a calendar file (the
    /// same `id`, or the same start without one) are an error: one file
    /// would replace the other, and calendars would merge the two events.
    pub(super) fn check_session_files(&self, diags: &mut Vec<Diagnostic>) {
        for (_, p) in self.pages() {
            let KindData::Module(m) = &p.data else {
                continue;
            };
            let mut seen: HashMap<String, usize> = HashMap::new();
            for (k, s) in m.sessions.iter().enumerate() {
                let name = session_file_name(s, &self.config.tz);
                let Some(&first) = seen.get(&name) else {
                    seen.insert(name, k);
                    continue;
                };
                let (key, value) = match &s.id {
                    Some(id) => ("id", id.as_str()),
                    None => ("sessions", ""),
                };
                // The same `id` written before: the lines to skip.
                let nth = m.sessions[..k].iter().filter(|x| x.id == s.id).count();
                let (offset, len) = nth_key(&p.src, key, value, nth);
                diags.push(
                    Diagnostic::error(format!(
                        "sessions {} and {} of this module share the calendar name `{name}`",
                        first + 1,
                        k + 1
                    ))
                    .in_file(&p.src.rel)
                    .at_offset(&p.src.text, offset, len)
                    .hint("give each session its own `id` (letters, digits and `-`), e.g. `id: spring-2027`"),
                );
            }
        }
    }
}

/// Where the `n`th (0-based) `key: value` line of the front matter is,
/// else the last one, else where [`crate::load::Source::locate`] finds
/// the key: a duplicate is reported where it is written, not at the first.
fn nth_key(src: &crate::load::Source, key: &str, value: &str, n: usize) -> (usize, usize) {
    let fm = src.fm_text();
    let mut pos = 0;
    let mut found = Vec::new();
    for line in fm.split_inclusive('\n') {
        let trimmed = line.trim_start().trim_start_matches("- ");
        if let Some(rest) = trimmed.strip_prefix(key)
            && let Some(after) = rest.trim_start().strip_prefix(':')
            && after.trim().trim_matches(['"', '\'']) == value
        {
            found.push(src.fm.start + pos + (line.len() - trimmed.len()));
        }
        pos += line.len();
    }
    match found.get(n).or(found.last()) {
        Some(&at) => (at, key.len()),
        None => src.locate(key, Some(value)),
    }
}

/// A session's calendar file name: its `id` made safe for a path (ASCII
/// letters and digits, `-` for anything else, so no `/` or `..` can leave
/// the module's folder), or its start in local time (`2027-06-10-0900`).
fn session_file_name(s: &crate::load::kinds::Session, tz: &jiff::tz::TimeZone) -> String {
    let from_id = s.id.as_deref().map(|id| {
        let mut name = String::new();
        for c in id.trim().chars() {
            let c = if c.is_ascii_alphanumeric() {
                c.to_ascii_lowercase()
            } else {
                '-'
            };
            if !(c == '-' && (name.is_empty() || name.ends_with('-'))) {
                name.push(c);
            }
        }
        name.trim_end_matches('-').to_string()
    });
    match from_id.filter(|n| !n.is_empty()) {
        Some(name) => name,
        None => s
            .start
            .0
            .to_zoned_datetime(tz.clone())
            .strftime("%Y-%m-%d-%H%M")
            .to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn spellings_of_a_topic_share_a_slug() {
        assert_eq!(topic_slug("Rust"), "rust");
        assert_eq!(topic_slug(" rust "), "rust");
        assert_eq!(topic_slug("Data  Engineering"), "data-engineering");
        assert_eq!(topic_slug("data_engineering"), "data-engineering");
        assert_eq!(topic_slug("Näkyvyys"), "näkyvyys");
    }

    fn session(json: serde_json::Value) -> crate::load::kinds::Session {
        serde_json::from_value(json).expect("a session")
    }

    #[test]
    fn a_session_file_is_named_by_its_id_made_safe_or_its_local_start() {
        let tz = jiff::tz::TimeZone::get("Europe/Helsinki").expect("tzdb");
        let start = "2027-06-10T06:00:00Z";
        let named = |id: &str| {
            session_file_name(&session(serde_json::json!({"id": id, "start": start})), &tz)
        };
        assert_eq!(named("spring-2027"), "spring-2027");
        // Nothing that could leave the module's folder or hide the file.
        assert_eq!(named("../../etc/passwd"), "etc-passwd");
        assert_eq!(named(".hidden"), "hidden");
        assert_eq!(named("Kevät 2027!"), "kev-t-2027");
        // An id with nothing usable falls back to the start, in local time.
        assert_eq!(named("//"), "2027-06-10-0900");
        let unnamed = session(serde_json::json!({"start": start}));
        assert_eq!(session_file_name(&unnamed, &tz), "2027-06-10-0900");
    }
}
