//! Checks of the whole site once references resolve: aliases, pages past
//! their review date, and pages or aliases on a URL that esiin writes
//! itself (a generated page, a calendar file, the activity feed).

use std::collections::{HashMap, HashSet};

use crate::diag::Diagnostic;
use crate::load::Kind;

use super::{PageId, Site, links};

impl Site {
    /// Where the generated expert pages go: under the experts section, or
    /// the root when the handbook has none.
    pub(crate) fn experts_base(&self) -> &str {
        self.experts_section
            .map_or("", |s| self.node(s).url.as_str())
    }

    // The URLs of the pages esiin generates are made here and nowhere
    // else: `generated_urls` reserves them (a content page on one is an
    // error), the listings write the pages there and every link to them
    // uses them. The calendar files' are beside the sessions index
    // (`module_feed`, `all_sessions_feed`, `session_file`).

    /// The topic index, site-relative: `experts/topics/`.
    pub(crate) fn topics_url(&self) -> String {
        format!("{}topics/", self.experts_base())
    }

    /// The page of the topic whose slug is `slug`, site-relative:
    /// `experts/topics/rust/`.
    pub(crate) fn topic_url(&self, slug: &str) -> String {
        format!("{}topics/{slug}/", self.experts_base())
    }

    /// The team index, site-relative: `experts/teams/`.
    pub(crate) fn teams_url(&self) -> String {
        format!("{}teams/", self.experts_base())
    }

    /// The page of the team whose slug is `slug`, site-relative:
    /// `experts/teams/sales/`.
    pub(crate) fn team_url(&self, slug: &str) -> String {
        format!("{}teams/{slug}/", self.experts_base())
    }

    /// The expertise gaps page, site-relative: `experts/gaps/`.
    pub(crate) fn gaps_url(&self) -> String {
        format!("{}gaps/", self.experts_base())
    }

    /// The site-relative URLs of the pages esiin generates (topic pages,
    /// the topic index, team pages, the team index, the gaps page).
    fn generated_urls(&self) -> Vec<String> {
        if !self.pages().any(|(_, p)| p.kind == Kind::Expert) {
            return Vec::new();
        }
        let mut urls = vec![self.topics_url(), self.teams_url(), self.gaps_url()];
        urls.extend(self.index.topics.iter().map(|t| self.topic_url(&t.slug)));
        urls.extend(self.index.teams.iter().map(|t| self.team_url(&t.slug)));
        urls
    }

    /// A content page or alias at the URL of a generated page, or at or
    /// under a calendar file, is an error: one of them would silently
    /// replace the other (or need a folder where the other is a file).
    pub(super) fn check_generated_urls(&self, diags: &mut Vec<Diagnostic>) {
        self.check_calendar_urls(diags);
        self.check_generated_page_urls(diags);
    }

    /// Pages and aliases at or under a calendar file or the activity feed
    /// (`activity.xml`, made in `activity.rs`).
    fn check_calendar_urls(&self, diags: &mut Vec<Diagnostic>) {
        let mut calendars: HashMap<String, &str> = self
            .calendar_files()
            .into_iter()
            .map(|f| (f, "the calendar file"))
            .collect();
        if let Some(feed) = self.activity_feed.clone() {
            calendars.insert(feed, "the activity feed");
        }
        // The calendar file at `url` or at one of its parent folders: a
        // lookup per folder level, not a scan of every calendar file per
        // page (quadratic in a handbook of many modules and pages).
        let on_calendar = |url: &str| {
            let url = url.trim_start_matches('/').trim_end_matches('/');
            url.match_indices('/')
                .map(|(i, _)| &url[..i])
                .chain([url])
                .find_map(|prefix| calendars.get_key_value(prefix))
        };
        for (_, node) in self.nodes() {
            let url = &node.url;
            if let Some((c, what)) = on_calendar(url) {
                let p = &node.page;
                let message = format!(
                    "the page is at `{}`, where esiin writes {what} `{}`",
                    self.config.url(url),
                    self.config.url(c)
                );
                let hint = "rename the file or give it another `slug`";
                // At its `slug` when it has one; else its file name is the cause.
                diags.push(match &p.common.slug {
                    Some(slug) => p.src.error_at_key("slug", Some(slug), message).hint(hint),
                    None => Diagnostic::error(message).in_file(&p.src.rel).hint(hint),
                });
            }
        }
        for (alias, i) in &self.aliases {
            if let Some((c, what)) = on_calendar(alias) {
                diags.push(
                    self.page(*i)
                        .src
                        .error_at_key(
                            "aliases",
                            Some(alias),
                            format!(
                                "the alias `/{}` would replace {what} `{}`",
                                alias.trim_start_matches('/'),
                                self.config.url(c)
                            ),
                        )
                        .hint("remove the alias"),
                );
            }
        }
    }

    /// Pages and aliases at the URL of a generated page.
    fn check_generated_page_urls(&self, diags: &mut Vec<Diagnostic>) {
        let generated: HashSet<String> = self.generated_urls().into_iter().collect();
        for (_, node) in self.nodes() {
            let url = &node.url;
            if generated.contains(url) {
                diags.push(
                    Diagnostic::error(format!(
                        "the page is at `{}`, where esiin writes a generated page (topics, teams and expertise gaps)",
                        self.config.url(url)
                    ))
                    .in_file(&node.page.src.rel)
                    .hint("rename the file or give it another `slug`"),
                );
            }
        }
        for (alias, i) in &self.aliases {
            if generated.contains(alias) {
                diags.push(
                    self.page(*i)
                        .src
                        .error_at_key(
                            "aliases",
                            None,
                            format!("the alias `{alias}` is the URL of a generated page"),
                        )
                        .hint("remove the alias"),
                );
            }
        }
    }

    /// A page past its `review_by` date still builds (it is marked stale on
    /// the page), but the editor running the build is told.
    pub(super) fn warn_stale(&self, diags: &mut Vec<Diagnostic>) {
        for (_, p) in self.pages() {
            if let Some(date) = self.review_overdue(p) {
                let shown = date.to_string();
                let owner = p
                    .common
                    .owner
                    .as_deref()
                    .map_or(String::new(), |o| format!(" with its owner `{o}`"));
                diags.push(
                    p.src
                        .error_at_key(
                            "review_by",
                            Some(&shown),
                            format!(
                                "the page was due for review on {shown}; it is shown as out of date"
                            ),
                        )
                        .hint(format!(
                            "review the page{owner}, then move `review_by` to a future date"
                        ))
                        .into_warning(),
                );
            }
        }
    }

    /// The aliases of every page, normalised (no base path, no leading
    /// `/`, a folder's with a trailing `/`), reporting those that are no
    /// URL of this site or are taken.
    pub(super) fn collect_aliases(&self, diags: &mut Vec<Diagnostic>) -> Vec<(String, PageId)> {
        let taken: HashSet<&str> = self.nodes().map(|(_, n)| n.url.as_str()).collect();
        let mut seen = HashSet::new();
        let mut out = Vec::new();
        for (i, p) in self.pages() {
            for alias in &p.common.aliases {
                let mut a = alias.trim();
                // An alias may be written with the base path or without.
                if let Some(rest) = a.strip_prefix(self.config.base_path.as_str()) {
                    a = rest;
                }
                let a = a.trim_start_matches('/');
                let bad = a.is_empty()
                    || a.split('/')
                        .any(|s| s == ".." || s == "." || s.starts_with('.'))
                    || a.contains(['?', '#', '\\', '%'])
                    || links::is_external(a);
                if bad {
                    diags.push(
                        p.src
                            .error_at_key(
                                "aliases",
                                Some(alias),
                                format!("invalid alias `{alias}`"),
                            )
                            .hint("write an old URL path of this site, e.g. `/old/channels/`"),
                    );
                    continue;
                }
                let norm =
                    if a.ends_with('/') || a.rsplit('/').next().is_some_and(|s| !s.contains('.')) {
                        format!("{}/", a.trim_end_matches('/'))
                    } else {
                        a.to_string()
                    };
                if taken.contains(norm.as_str()) || !seen.insert(norm.clone()) {
                    diags.push(
                        p.src
                            .error_at_key("aliases", Some(alias), format!("the alias `{alias}` is already the URL of a page or another alias"))
                            .hint("remove the alias"),
                    );
                    continue;
                }
                out.push((norm, i));
            }
        }
        out
    }
}
