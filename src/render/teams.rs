//! The team pages esiin generates beside the topic pages: one per team of
//! listed experts (`experts/teams/<slug>/`: its experts, the modules they
//! train, the channels where they share) and the team index. Their URLs
//! are made and reserved in `resolve/checks.rs` (`teams_url`, `team_url`).

use std::collections::{BTreeMap, BTreeSet};

use serde::Serialize;

use super::view::{Pages, Ref, channel};
use crate::load::kinds::KindData;
use crate::resolve::PageId;
use crate::resolve::index::Team;
use crate::text::encode_path;

/// A team's page.
#[derive(Serialize)]
pub(crate) struct TeamCtx<'a> {
    pub name: &'a str,
    /// The directory's `?team=` value.
    pub slug: &'a str,
    pub experts: Vec<Ref<'a>>,
    /// The modules its experts train, by title.
    pub modules: Vec<Ref<'a>>,
    /// The channels its experts share on, most used first.
    pub channels: Vec<TeamChannel<'a>>,
    /// "Recently shared": the newest activity of its experts.
    pub shared: Vec<super::activity::ActivityCtx<'a>>,
}

/// A channel and how many of the team's experts use it.
#[derive(Serialize)]
pub(crate) struct TeamChannel<'a> {
    pub name: &'a str,
    pub label: String,
    pub experts: usize,
}

/// A team on the team index.
#[derive(Serialize)]
pub(crate) struct TeamEntry<'a> {
    pub name: &'a str,
    pub url: String,
    pub experts: usize,
    pub modules: usize,
}

impl<'a> Pages<'a> {
    /// The page of the team an expert names, under the base path (`None`
    /// for no team, or one only unlisted experts name).
    pub(crate) fn team_page_url(self, team: Option<&str>) -> Option<String> {
        let slug = crate::resolve::index::team_slug(team?);
        let site = self.site;
        site.index
            .teams
            .iter()
            .any(|t| t.slug == slug)
            .then(|| encode_path(&site.config.url(&site.team_url(&slug))))
    }

    /// Team name (as experts write it) → its page, for the directory.
    pub(crate) fn team_urls(self) -> BTreeMap<&'a str, String> {
        let site = self.site;
        let mut out = BTreeMap::new();
        for (i, p) in site.pages() {
            if let (true, KindData::Expert(e)) = (site.is_listed_expert(i), &p.data)
                && let Some(team) = e.team.as_deref()
                && let Some(url) = self.team_page_url(Some(team))
            {
                out.insert(team, url);
            }
        }
        out
    }

    /// The modules a team's experts train, by title, each once.
    pub(super) fn team_modules(self, team: &Team) -> Vec<PageId> {
        let site = self.site;
        let mut modules: Vec<PageId> = team
            .experts
            .iter()
            .filter_map(|e| site.index.trains.get(e))
            .flatten()
            .copied()
            .collect::<BTreeSet<_>>()
            .into_iter()
            .collect();
        modules.sort_by_cached_key(|&m| site.page(m).title.to_lowercase());
        modules
    }

    /// The channels a team's experts use, most used first, then by label.
    pub(super) fn team_channels(self, team: &Team) -> Vec<TeamChannel<'a>> {
        let mut counts: BTreeMap<&'a str, usize> = BTreeMap::new();
        for &e in &team.experts {
            if let KindData::Expert(x) = &self.site.page(e).data {
                let names: BTreeSet<&'a str> =
                    x.channels.0.iter().map(|(n, _)| n.as_str()).collect();
                for name in names {
                    *counts.entry(name).or_default() += 1;
                }
            }
        }
        let mut out: Vec<TeamChannel<'a>> = counts
            .into_iter()
            .map(|(name, experts)| TeamChannel {
                name,
                label: channel(name, "").0,
                experts,
            })
            .collect();
        out.sort_by(|a, b| {
            b.experts
                .cmp(&a.experts)
                .then_with(|| a.label.cmp(&b.label))
        });
        out
    }
}
