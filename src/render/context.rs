//! The template context of a page (documented in `docs/templates.md`).
//!
//! Each page gets a small context built from borrowed site data: only what
//! its own template shows (its lists, its references), never the whole site.
//! Cloning the site into every render is a known cost in other generators.
//!
//! [`Pages::page_ctx`] builds the fields every page has, then its kind's
//! part (`expert_ctx`, `module_ctx`, ...); a section that is the expert
//! directory or the training catalogue also gets its listing, from
//! `listings.rs`. What contexts share lives in `view.rs`.

use serde::Serialize;

use crate::load::kinds::{self, KindData};
use crate::resolve::{Material, PageId, stale};

use super::calendars::calendar_links;
use super::markdown::TocEntry;
use super::view::{
    Channel, Crumb, DateCtx, DurationCtx, Img, ModuleSummary, Num, Pages, PosterCtx, Ref,
    SessionCtx, SessionRow, TopicLink, channel_links, date_ctx, duration_ctx, initials,
    storage_key,
};
use crate::text::encode_path;

#[derive(Serialize)]
pub(crate) struct SiteCtx<'a> {
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
    /// The Atom feed of "Recently shared" (`activity.xml`), under the
    /// base path, when the site writes one.
    pub activity_feed: Option<String>,
}

#[derive(Serialize)]
pub(crate) struct NavItem<'a> {
    pub title: &'a str,
    pub url: String,
    pub active: bool,
}

#[derive(Serialize)]
pub(crate) struct PageCtx<'a> {
    pub id: &'a str,
    pub kind: &'static str,
    pub title: &'a str,
    pub description: Option<&'a str>,
    pub url: String,
    pub date: Option<DateCtx>,
    pub updated: Option<DateCtx>,
    /// The author of the last commit that touched the page, when
    /// `updated` comes from git rather than the front matter.
    pub updated_by: Option<&'a str>,
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
    /// The home page's "recently updated" and "continue" parts.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub home: Option<super::home::HomeCtx<'a>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub catalogue: Option<super::listings::CatalogueCtx<'a>>,
}

#[derive(Serialize)]
pub(crate) struct SectionCtx<'a> {
    pub pages: Vec<Ref<'a>>,
    pub subsections: Vec<Ref<'a>>,
}

#[derive(Serialize)]
pub(crate) struct ExpertCtx<'a> {
    pub role: Option<&'a str>,
    pub team: Option<&'a str>,
    /// Their team's page (generated, see `render/teams.rs`).
    pub team_url: Option<String>,
    pub photo_url: Option<String>,
    pub photo: Option<Img>,
    pub initials: String,
    pub email: Option<&'a str>,
    /// The chat link of `handbook.yaml`'s `chat:` for their address.
    pub chat: Option<ChatLink<'a>>,
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
    /// "Recent work": their own public work, newest first.
    pub activity: Vec<super::activity::ActivityCtx<'a>>,
    /// Whether an item has share links (the note on what they carry).
    pub share_note: bool,
}

#[derive(Serialize)]
pub(crate) struct ChatLink<'a> {
    pub name: &'a str,
    pub url: String,
}

#[derive(Serialize)]
pub(crate) struct MaterialCtx<'a> {
    pub title: &'a str,
    pub url: String,
}

#[derive(Serialize)]
pub(crate) struct ModuleCtx<'a> {
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
pub(crate) struct PeriodCtx {
    pub start: DateCtx,
    pub end: DateCtx,
}

#[derive(Serialize)]
pub(crate) struct ActualCtx {
    pub date: DateCtx,
    pub value: Num,
}

#[derive(Serialize)]
pub(crate) struct GoalCtx<'a> {
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
    /// The sparkline's axis: the lowest and highest value it spans.
    pub spark_min: Num,
    pub spark_max: Num,
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
    /// Where the figures come from, when measured from the handbook.
    pub source: Option<super::measured::SourceCtx>,
}

#[derive(Serialize)]
pub(crate) struct PlanCtx<'a> {
    pub stale_after_days: u32,
    pub period: Option<PeriodCtx>,
    pub owners: Vec<Ref<'a>>,
    pub goals: Vec<GoalCtx<'a>>,
}

#[derive(Serialize)]
pub(crate) struct GuidelinesCtx<'a> {
    pub rules: &'a [kinds::Rule],
    pub image_url: Option<String>,
    pub alt: Option<&'a str>,
    /// The poster esiin made from the rules (absent when the page gives its
    /// own `image`).
    pub poster: Option<&'a PosterCtx>,
}

#[derive(Serialize)]
pub(crate) struct StepCtx<'a> {
    pub number: usize,
    pub page: Ref<'a>,
    pub minutes: Option<u32>,
    pub note: Option<&'a str>,
}

#[derive(Serialize)]
pub(crate) struct PathCtx<'a> {
    pub audience: Option<&'a str>,
    pub total: DurationCtx,
    pub steps: Vec<StepCtx<'a>>,
    /// Where the browser keeps the new hire's progress (`localStorage`).
    pub storage_key: String,
}

/// A page's place in an onboarding path that includes it: a page may be a
/// step of several paths, and shows each.
#[derive(Serialize)]
pub(crate) struct InPath<'a> {
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

impl<'a> Pages<'a> {
    /// The `site` of page `page`'s context: the handbook's settings and the
    /// navigation, with the top-level entry that holds the page marked.
    pub(crate) fn site_ctx(self, page: PageId) -> SiteCtx<'a> {
        let site = self.site;
        let mut top = Some(page);
        while let Some(t) = top {
            match site.node(t).parent {
                Some(p) if p != site.home => top = Some(p),
                _ => break,
            }
        }
        SiteCtx {
            title: &site.config.raw.title,
            base_url: &site.config.base_path,
            language: site.config.raw.language.code(),
            home_url: encode_path(&site.url(site.home)),
            static_url: &site.config.base_path,
            build_date: self.state.build_date.clone(),
            drafts: site.include_drafts,
            search: site.config.raw.search,
            nav: site
                .nav
                .iter()
                .map(|&n| NavItem {
                    title: &site.page(n).title,
                    url: encode_path(&site.url(n)),
                    active: top == Some(n),
                })
                .collect(),
            activity_feed: site
                .activity_feed
                .as_deref()
                .map(|f| encode_path(&site.config.url(f))),
        }
    }

    /// Page `i`'s place in every onboarding path that has it as a step.
    pub(crate) fn in_paths(self, i: PageId) -> Vec<InPath<'a>> {
        let site = self.site;
        let Some(list) = site.index.in_paths.get(&i) else {
            return Vec::new();
        };
        list.iter()
            .map(|&(path, k)| {
                let steps = &site.node(path).refs.steps;
                let minutes = match &site.page(path).data {
                    KindData::Path(p) => p.steps.iter().map(|s| s.minutes.unwrap_or(0)).collect(),
                    _ => Vec::new(),
                };
                InPath {
                    path: self.page_ref(path),
                    number: k + 1,
                    total: steps.len(),
                    prev: k.checked_sub(1).map(|p| self.page_ref(steps[p])),
                    next: steps.get(k + 1).map(|&n| self.page_ref(n)),
                    storage_key: storage_key(site, path),
                    step_ids: steps.iter().map(|&s| site.page(s).id.as_str()).collect(),
                    step_minutes: minutes,
                }
            })
            .collect()
    }

    /// The `page` of page `i`'s context: what every page has, then its
    /// kind's part.
    pub(crate) fn page_ctx(self, i: PageId) -> PageCtx<'a> {
        let site = self.site;
        let node = site.node(i);
        let p = &*node.page;
        let lang = site.config.raw.language;
        let rendered = &self.state.rendered[i.index()];
        let edit_url = site.config.raw.repository.as_ref().and_then(|r| {
            let tpl = r.edit_url.as_ref()?;
            if p.src.text.is_empty() {
                return None;
            }
            Some(tpl.replace("{path}", &p.path))
        });
        // `updated:` as written wins over git.
        let git = match p.common.updated {
            None => site.git.get(&p.path),
            Some(_) => None,
        };
        let mut ctx = PageCtx {
            id: &p.id,
            kind: p.kind.name(),
            title: &p.title,
            description: p.common.description.as_deref(),
            url: encode_path(&site.url(i)),
            date: p.common.date.map(|d| date_ctx(d, lang)),
            updated: p
                .common
                .updated
                .or_else(|| git.and_then(|c| c.date(&site.config.tz)).map(kinds::Date))
                .map(|d| date_ctx(d, lang)),
            updated_by: git.map(|c| &*c.author),
            review_by: p.common.review_by.map(|d| date_ctx(d, lang)),
            stale: site.review_overdue(p).is_some(),
            draft: p.common.draft,
            tags: &p.common.tags,
            owner: node.refs.owner.map(|o| self.page_ref(o)),
            edit_url,
            content: tera::Value::safe_string(&rendered.html),
            toc: &rendered.toc,
            breadcrumbs: self.crumbs_to(node.parent),
            extra: p.common.extra.as_ref(),
            section: None,
            expert: None,
            module: None,
            plan: None,
            guidelines: None,
            path: None,
            in_paths: self.in_paths(i),
            directory: None,
            catalogue: None,
            home: (i == site.home).then(|| self.home_ctx()),
        };
        match &p.data {
            KindData::Section | KindData::Page if p.is_section => self.section_parts(i, &mut ctx),
            KindData::Section | KindData::Page => {}
            KindData::Expert(e) => ctx.expert = Some(self.expert_ctx(i, e)),
            KindData::Module(m) => ctx.module = Some(self.module_ctx(i, m)),
            KindData::Plan(plan) => ctx.plan = Some(self.plan_ctx(i, plan)),
            KindData::Guidelines(g) => {
                ctx.guidelines = Some(GuidelinesCtx {
                    rules: &g.rules,
                    image_url: g.image.as_deref().and_then(|f| self.asset_url(i, f)),
                    alt: g.alt.as_deref(),
                    poster: self.state.posters.get(&i),
                })
            }
            KindData::Path(path) => ctx.path = Some(self.path_ctx(i, path)),
        }
        ctx
    }

    /// A section's part: its pages and subsections, and the directory or
    /// the catalogue when it is the experts' or the training section.
    fn section_parts(self, i: PageId, ctx: &mut PageCtx<'a>) {
        let site = self.site;
        let node = site.node(i);
        ctx.section = Some(SectionCtx {
            pages: self.page_refs(&node.children),
            subsections: self.page_refs(&node.subsections),
        });
        if site.experts_section == Some(i) {
            ctx.directory = Some(self.directory_ctx(i));
        }
        if site.training_section == Some(i) {
            ctx.catalogue = Some(self.catalogue_ctx(i));
        }
    }

    /// An expert's part: their profile, what they train, own and appear in.
    fn expert_ctx(self, i: PageId, e: &'a kinds::Expert) -> ExpertCtx<'a> {
        let site = self.site;
        let activity = self.recent_work(i, e);
        let index = &site.index;
        let trains = index.trains.get(&i).map_or(&[][..], Vec::as_slice);
        ExpertCtx {
            role: e.role.as_deref(),
            team: e.team.as_deref(),
            team_url: self.team_page_url(e.team.as_deref()),
            photo_url: e.photo.as_deref().and_then(|f| self.asset_url(i, f)),
            photo: self.state.photos.get(&i).map(|p| p.profile.clone()),
            initials: initials(&site.page(i).title),
            email: e.email.as_deref(),
            chat: site
                .config
                .raw
                .chat
                .as_ref()
                .zip(e.email.as_deref())
                .map(|(c, email)| ChatLink {
                    name: &c.name,
                    url: c.link(email),
                }),
            location: e.location.as_deref(),
            languages: &e.languages,
            topics: self.topic_links(&e.topics),
            ask_me_about: &e.ask_me_about,
            available_for: &e.available_for,
            channels: channel_links(&e.channels),
            unlisted: e.visibility == kinds::Visibility::Unlisted,
            trains: trains.iter().map(|&m| self.module_summary(m)).collect(),
            sessions: {
                let mine = index.trains.get(&i);
                self.session_rows(
                    index
                        .sessions
                        .iter()
                        .copied()
                        .filter(|s| mine.is_some_and(|m| m.contains(&s.module))),
                    true,
                )
            },
            owns: self.page_refs(index.owns.get(&i).map_or(&[][..], Vec::as_slice)),
            paths: self.page_refs(index.paths.get(&i).map_or(&[][..], Vec::as_slice)),
            share_note: activity.iter().any(|a| !a.share.is_empty()),
            activity,
        }
    }

    /// A module's part: its details, references, sessions and feed.
    fn module_ctx(self, i: PageId, m: &'a kinds::Module) -> ModuleCtx<'a> {
        let site = self.site;
        let refs = &site.node(i).refs;
        let (ics_url, webcal_url) = calendar_links(site, &site.module_feed(i));
        ModuleCtx {
            summary: m.summary.as_deref(),
            format: m.format.map(kinds::Format::name),
            duration: m.duration.map(|d| duration_ctx(d.0)),
            audience: m.audience.as_deref(),
            level: m.level.as_deref(),
            objectives: &m.objectives,
            prerequisites: self.page_refs(&refs.prerequisites),
            trainers: self.page_refs(&refs.trainers),
            materials: m
                .materials
                .iter()
                .zip(&refs.materials)
                .map(|(mat, r)| MaterialCtx {
                    title: &mat.title,
                    url: self.material_url(r),
                })
                .collect(),
            sessions: self
                .module_sessions(i)
                .into_iter()
                .filter_map(|r| self.session_ctx(r))
                .collect(),
            next_session: self.next_session(i),
            path_before: self.page_refs(&site.path_before(i)),
            leads_to: self.page_refs(site.index.leads_to.get(&i).map_or(&[][..], Vec::as_slice)),
            ics_url,
            webcal_url,
        }
    }

    /// Where a module's material links to.
    fn material_url(self, r: &Material) -> String {
        match r {
            Material::External(u) | Material::SiteUrl(u) => u.clone(),
            Material::Asset(path) => encode_path(&self.site.config.url(path)),
            Material::Page(j, anchor) => {
                let mut u = encode_path(&self.site.url(*j));
                if let Some(a) = anchor.as_deref().filter(|a| !a.is_empty()) {
                    u.push('#');
                    u.push_str(&encode_path(a));
                }
                u
            }
        }
    }

    /// A plan's part: its period, owners, and each goal judged.
    fn plan_ctx(self, i: PageId, plan: &'a kinds::Plan) -> PlanCtx<'a> {
        let lang = self.site.config.raw.language;
        PlanCtx {
            stale_after_days: stale::stale_after_days(plan),
            period: plan.period.as_ref().map(|pr| PeriodCtx {
                start: date_ctx(pr.start, lang),
                end: date_ctx(pr.end, lang),
            }),
            owners: self.page_refs(&self.site.node(i).refs.plan_owners),
            goals: plan
                .goals
                .iter()
                .enumerate()
                .map(|(n, g)| {
                    let mut ctx = self.goal_ctx(plan, g);
                    ctx.source = super::measured::source_ctx(self.site, self.site.page(i), n);
                    ctx
                })
                .collect(),
        }
    }

    /// A goal of `plan`: its numbers, its status against a straight line
    /// from baseline to target, and its charts.
    fn goal_ctx(self, plan: &'a kinds::Plan, g: &'a kinds::Goal) -> GoalCtx<'a> {
        let lang = self.site.config.raw.language;
        let mut actuals: Vec<&kinds::Actual> = g.actuals.iter().collect();
        actuals.sort_by_key(|a| a.date);
        let actual = |a: &kinds::Actual| ActualCtx {
            date: date_ctx(a.date, lang),
            value: Num(a.value),
        };
        let start = plan.period.as_ref().map(|p| p.start.0);
        let stale_after = stale::stale_after_days(plan);
        let tolerance = plan
            .tolerance_percent
            .unwrap_or(super::charts::DEFAULT_TOLERANCE_PERCENT);
        let a = super::charts::assess(g, start, self.site.today, stale_after, tolerance);
        GoalCtx {
            progress: a.progress.map(|p| p.round() as i64),
            expected: a.expected.map(|e| Num((e * 10.0).round() / 10.0)),
            status: a.status,
            stale_data: a.stale,
            bullet_svg: tera::Value::safe_string(&super::charts::bullet(g, &a)),
            sparkline_svg: tera::Value::safe_string(&super::charts::sparkline(g, start)),
            spark_min: Num(super::charts::spark_range(g).0),
            spark_max: Num(super::charts::spark_range(g).1),
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
            source: None,
        }
    }

    /// An onboarding path's part: its steps and their total time.
    fn path_ctx(self, i: PageId, path: &'a kinds::Path) -> PathCtx<'a> {
        let steps: Vec<StepCtx> = path
            .steps
            .iter()
            .zip(&self.site.node(i).refs.steps)
            .enumerate()
            .map(|(n, (s, &j))| StepCtx {
                number: n + 1,
                page: self.page_ref(j),
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
        PathCtx {
            audience: path.audience.as_deref(),
            total: duration_ctx(total),
            steps,
            storage_key: storage_key(self.site, i),
        }
    }
}
