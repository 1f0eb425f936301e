//! The search stage: what the site's search finds, and the index the
//! browser queries.
//!
//! Two steps with a clean seam between them, so that `serve` can cache the
//! expensive one:
//! 1. [`records`] — cheap and pure: one [`Record`] per searchable page
//!    (published, not a draft, not an unlisted expert), with the text to
//!    find it by and how much each part weighs.
//! 2. [`bundle`] — runs the index builder (Pagefind's library) over the
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

use std::hash::Hash;

use rayon::prelude::*;

use crate::load::kinds::KindData;
use crate::render::context::RenderState;
use crate::resolve::Site;

pub use bundle::bundle;

/// Where the search files go, under the output root.
pub const DIR: &str = "search/";

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

/// The records of every searchable page, in page order. Drafts never (even
/// in a `--drafts` build), unlisted experts never, and nothing on another
/// page's record that names an unlisted expert (a module's trainers).
pub fn records(site: &Site, state: &RenderState, strings: &serde_json::Value) -> Vec<Record> {
    // In parallel: on a large handbook this runs on every `serve` rebuild.
    (0..site.pages.len())
        .into_par_iter()
        .filter_map(|i| record(site, state, strings, i))
        .collect()
}

/// The record of page `i`, if it is searchable (see [`records`]). It
/// depends on the site's structure, the UI strings and the page's own
/// rendered body only, so `serve` keeps it while those stay the same.
pub fn record(
    site: &Site,
    state: &RenderState,
    strings: &serde_json::Value,
    i: usize,
) -> Option<Record> {
    let label = |key: &str| strings.get(key).and_then(|v| v.as_str());
    let listed_names = |ids: &[usize]| -> Vec<String> {
        ids.iter()
            .filter(|&&t| site.is_listed_expert(t))
            .map(|&t| site.pages[t].title.clone())
            .collect()
    };
    {
        let p = &site.pages[i];
        if p.common.draft {
            return None;
        }
        let mut boosted = Vec::new();
        let mut lead: Vec<String> = Vec::new();
        let push = |b: &mut Vec<(u8, String)>, w: u8, items: &[String]| {
            let text = items.join(" · ");
            if !text.trim().is_empty() {
                b.push((w, text));
            }
        };
        let kind = match &p.data {
            KindData::Expert(e) => {
                if !site.is_listed_expert(i) {
                    return None;
                }
                push(&mut boosted, W_TOPIC, &e.topics);
                push(&mut boosted, W_ASK, &e.ask_me_about);
                let details: Vec<String> = [&e.role, &e.team, &e.location]
                    .into_iter()
                    .flatten()
                    .cloned()
                    .collect();
                push(&mut boosted, W_DETAIL, &details);
                "expert"
            }
            KindData::Module(m) => {
                push(&mut boosted, W_NAMES, &listed_names(&site.refs[i].trainers));
                if let Some(f) = m.format {
                    let key = format!("format_{}", f.name().replace('-', "_"));
                    let mut names = vec![f.name().to_string()];
                    names.extend(label(&key).map(str::to_string));
                    push(&mut boosted, W_NAMES, &names);
                }
                lead.extend(m.summary.iter().cloned());
                lead.extend(m.audience.iter().cloned());
                lead.extend(m.objectives.iter().cloned());
                "module"
            }
            KindData::Path(path) => {
                lead.extend(path.audience.iter().cloned());
                lead.extend(path.steps.iter().filter_map(|s| s.note.clone()));
                "path"
            }
            KindData::Plan(plan) => {
                push(
                    &mut boosted,
                    W_DETAIL,
                    &listed_names(&site.refs[i].plan_owners),
                );
                lead.extend(plan.goals.iter().map(|g| g.title.clone()));
                "page"
            }
            KindData::Guidelines(g) => {
                for r in &g.rules {
                    lead.extend(r.do_.iter().chain(&r.dont).cloned());
                }
                lead.extend(g.alt.iter().cloned());
                "page"
            }
            KindData::Page | KindData::Section => "page",
        };
        push(&mut boosted, W_TAG, &p.common.tags);
        // The description says what the page is about, in a sentence.
        if let Some(d) = &p.common.description {
            push(&mut boosted, W_DESCRIPTION, std::slice::from_ref(d));
        }
        if let Some(owner) = site.refs[i].owner {
            push(&mut boosted, W_DETAIL, &listed_names(&[owner]));
        }
        Some(Record {
            // Rooted: Pagefind reads an empty URL (home) as "no URL".
            url: format!("/{}", crate::text::encode_path(&site.urls[i])),
            title: p.title.clone(),
            kind,
            boosted,
            lead,
            body: state
                .rendered
                .get(i)
                .map(|r| r.html.clone())
                .unwrap_or_default(),
        })
    }
}

/// A fingerprint of the records: [`bundle`] gives the same files for the
/// same fingerprint, so a caller may keep them by it.
pub fn fingerprint<R: Hash>(records: &[R]) -> u64 {
    use std::hash::Hasher;
    let mut h = xxhash_rust::xxh3::Xxh3::new();
    records.hash(&mut h);
    h.finish()
}
