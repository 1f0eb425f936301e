//! The search stage: what the site's search finds, and the index the
//! browser queries.
//!
//! Two steps with a clean seam between them, so that `serve` can cache the
//! expensive one:
//! 1. [`record`] — cheap and pure: one [`Record`] per searchable page
//!    (published, not a draft, not an unlisted expert), with the text to
//!    find it by and how much each part weighs.
//! 2. [`bundle`] (through [`SearchJob`], which reads the last index back
//!    from [`cache`] when the records are the same) — runs the index builder (Pagefind's library) over the
//!    records and returns the files to write under `search/`. The same
//!    records give the same bytes.
//!
//! A Finnish company's handbook mixes Finnish and English whatever its
//! `language` says. The index is stemmed in the handbook's `language` (the
//! Snowball stemmer runs in Pagefind's WASM core, in the browser too); the
//! other language is met in `search.js`, which also searches a light,
//! query-only truncation of each word (`koulutukseen` → `koulutu`,
//! `presenting` → `present`) that Pagefind's prefix matching widens to every
//! inflected form. Two complete indexes, one per stemmer, were measured and
//! rejected: on 10,000 pages their fixed cost alone (two WASM cores and two
//! meta files) is 277 KB before the first word is looked up; see
//! docs/search.md.

mod bundle;
pub mod cache;
mod forms;
mod job;

use std::hash::Hash;

use crate::load::kinds::KindData;
use crate::render::strings::Strings;
use crate::render::view::RenderState;
use crate::resolve::{PageId, Site};

pub(crate) use bundle::bundle;
pub use job::SearchJob;

/// Where the search files go, under the output root.
pub(crate) const DIR: &str = "search/";

/// One searchable page.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Record {
    /// The page's URL under the base path (`/experts/mari/`, `/` for
    /// home), percent-encoded as links are. The browser prefixes the base
    /// path, so the index does not depend on `base_url`.
    pub url: String,
    pub title: String,
    /// `page`, `expert`, `module` or `path`: what the result list shows.
    pub kind: &'static str,
    /// Text that names what the page is about, with its weight (1–10; the
    /// body weighs 1 and headings 5–7): an expert's topics and
    /// `ask_me_about`, a module's trainers and format, tags, the
    /// description.
    pub boosted: Vec<(u8, String)>,
    /// Plain text read before the body: a module's summary, a path's
    /// notes, the rules of guidelines.
    pub lead: Vec<String>,
    /// The rendered body (HTML with heading ids, so a match inside a
    /// section links to its heading).
    pub body: std::sync::Arc<str>,
}

/// Weights: an expert's topics must rank the expert above pages that only
/// mention the word, even in a heading (Pagefind weighs `h1` 7, `h2` 6).
const W_TOPIC: u8 = 10;
const W_ASK: u8 = 8;
const W_TAG: u8 = 6;
const W_NAMES: u8 = 5;
const W_DESCRIPTION: u8 = 3;
const W_DETAIL: u8 = 2;

/// The record of page `i`, if it is searchable: drafts never (even in a
/// `--drafts` build), unlisted experts never, and nothing on another page's
/// record that names an unlisted expert (a module's trainers). It depends on the site's structure, the UI strings and the page's own
/// rendered body only, so `serve` keeps it while those stay the same.
pub(crate) fn record(
    site: &Site,
    state: &RenderState,
    strings: &Strings,
    i: PageId,
) -> Option<Record> {
    let node = site.node(i);
    let p = &*node.page;
    if p.common.draft {
        return None;
    }
    let mut fields = Fields::default();
    let kind = kind_fields(site, strings, i, &mut fields)?;
    fields.push(W_TAG, &p.common.tags);
    // The description says what the page is about, in a sentence.
    if let Some(d) = &p.common.description {
        fields.push(W_DESCRIPTION, std::slice::from_ref(d));
    }
    if let Some(owner) = node.refs.owner {
        fields.push(W_DETAIL, &listed_names(site, &[owner]));
    }
    Some(Record {
        // Rooted: Pagefind reads an empty URL (home) as "no URL".
        url: format!("/{}", crate::text::encode_path(&node.url)),
        title: p.title.clone(),
        kind,
        boosted: fields.boosted,
        lead: fields.lead,
        body: state
            .rendered
            .get(i.index())
            .map(|r| r.html.clone())
            .unwrap_or_default(),
    })
}

/// The weighted texts and the lead of a record, gathered field by field.
#[derive(Default)]
struct Fields {
    boosted: Vec<(u8, String)>,
    lead: Vec<String>,
}

impl Fields {
    /// `items`, joined, at weight `w`; nothing when they say nothing.
    fn push(&mut self, w: u8, items: &[String]) {
        let text = items.join(" · ");
        if !text.trim().is_empty() {
            self.boosted.push((w, text));
        }
    }
}

/// The names of the listed experts among `ids`.
fn listed_names(site: &Site, ids: &[PageId]) -> Vec<String> {
    ids.iter()
        .filter(|&&t| site.is_listed_expert(t))
        .map(|&t| site.page(t).title.clone())
        .collect()
}

/// What page `i`'s kind adds to its record, and the kind a result shows;
/// `None` for an unlisted expert, who has no record.
fn kind_fields(
    site: &Site,
    strings: &Strings,
    i: PageId,
    fields: &mut Fields,
) -> Option<&'static str> {
    let refs = &site.node(i).refs;
    Some(match &site.page(i).data {
        KindData::Expert(e) => {
            if !site.is_listed_expert(i) {
                return None;
            }
            fields.push(W_TOPIC, &e.topics);
            fields.push(W_ASK, &e.ask_me_about);
            let details: Vec<String> = [&e.role, &e.team, &e.location]
                .into_iter()
                .flatten()
                .cloned()
                .collect();
            fields.push(W_DETAIL, &details);
            "expert"
        }
        KindData::Module(m) => {
            fields.push(W_NAMES, &listed_names(site, &refs.trainers));
            if let Some(f) = m.format {
                // Found by its name in the front matter and in the UI.
                let names = [f.name().to_string(), strings.format_name(f).to_string()];
                fields.push(W_NAMES, &names);
            }
            let lead = &mut fields.lead;
            lead.extend(m.summary.iter().cloned());
            lead.extend(m.audience.iter().cloned());
            lead.extend(m.objectives.iter().cloned());
            "module"
        }
        KindData::Path(path) => {
            fields.lead.extend(path.audience.iter().cloned());
            fields
                .lead
                .extend(path.steps.iter().filter_map(|s| s.note.clone()));
            "path"
        }
        KindData::Plan(plan) => {
            fields.push(W_DETAIL, &listed_names(site, &refs.plan_owners));
            fields
                .lead
                .extend(plan.goals.iter().map(|g| g.title.clone()));
            "page"
        }
        KindData::Guidelines(g) => {
            for r in &g.rules {
                fields.lead.extend(r.do_.iter().chain(&r.dont).cloned());
            }
            fields.lead.extend(g.alt.iter().cloned());
            "page"
        }
        KindData::Page | KindData::Section => "page",
    })
}

/// A fingerprint of the records: [`bundle`] gives the same files for the
/// same fingerprint, so a caller may keep them by it.
pub(crate) fn fingerprint<R: Hash>(records: &[R]) -> u64 {
    use std::hash::Hasher;
    let mut h = xxhash_rust::xxh3::Xxh3::new();
    records.hash(&mut h);
    h.finish()
}
