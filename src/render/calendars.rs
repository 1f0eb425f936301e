//! The calendar files a build writes, assembled from the sessions of the
//! modules: a file per session (past ones too, so a link kept from an
//! earlier visit still works), and two feeds of upcoming sessions only — a
//! module's (`training/<module>/calendar.ics`) and all modules'
//! (`training/calendar.ics`) — so a subscription does not fill a calendar
//! with sessions that are over. Cancelled sessions stay in the feeds as
//! `STATUS:CANCELLED` until they are past, so calendars that hold them
//! learn of it.
//!
//! Where the files go is decided in `resolve` (`Site::calendar_files`,
//! checked against pages and aliases there); the iCalendar text itself is
//! written by `ics.rs`.

use std::collections::HashMap;

use crate::load::kinds::KindData;
use crate::resolve::index::SessionRef;
use crate::resolve::{PageId, Site};

use super::ics::{Event, calendar, uid};
use super::strings::{Strings, fill};
use crate::text::encode_path;

/// What every calendar of one build shares.
struct Calendars<'a> {
    site: &'a Site,
    /// The labels of the events' descriptions.
    strings: &'a Strings,
    now: jiff::Timestamp,
    /// `DTSTAMP`: the build's day, so the same handbook gives the same files.
    stamp: jiff::Timestamp,
}

/// The calendars to write: `(site-relative path, iCalendar text)`.
pub(crate) fn calendars(
    site: &Site,
    strings: &Strings,
    now: jiff::Timestamp,
) -> Vec<(String, String)> {
    let stamp = site
        .today
        .to_zoned_datetime(jiff::tz::TimeZone::UTC)
        .map_or(now, |z| z.timestamp());
    let c = Calendars {
        site,
        strings,
        now,
        stamp,
    };
    let mut out = c.session_files();
    out.extend(c.module_feeds());
    out.extend(c.all_sessions_feed());
    out
}

/// The download and subscribe links of a calendar file: the path under
/// `base_url`, and a `webcal:` URL when `base_url` has an origin (a
/// subscription needs a whole address).
pub(crate) fn calendar_links(site: &Site, rel: &str) -> (String, Option<String>) {
    let url = encode_path(&site.config.url(rel));
    let webcal = site.config.origin.as_deref().and_then(|o| {
        let host = o
            .strip_prefix("https://")
            .or_else(|| o.strip_prefix("http://"))?;
        Some(format!("webcal://{host}{url}"))
    });
    (url, webcal)
}

impl<'a> Calendars<'a> {
    /// A calendar named `name` holding `events`.
    fn calendar(&self, name: &str, events: &[Event<'_>]) -> String {
        let config = &self.site.config;
        calendar(name, &config.raw.timezone, &config.tz, self.stamp, events)
    }

    /// Whether session `r` has not ended.
    fn upcoming(&self, r: SessionRef) -> bool {
        self.site
            .session(r)
            .is_some_and(|s| crate::resolve::stale::is_upcoming(s, self.now))
    }

    /// The upcoming sessions among `refs`, as events.
    fn upcoming_events(&self, refs: &[SessionRef]) -> Vec<Event<'a>> {
        refs.iter()
            .filter(|&&r| self.upcoming(r))
            .filter_map(|&r| session_event(self.site, self.strings, r))
            .collect()
    }

    /// A file per session, past or not.
    fn session_files(&self) -> Vec<(String, String)> {
        let site = self.site;
        let mut out = Vec::new();
        for &r in &site.index.sessions {
            let event = session_event(site, self.strings, r);
            if let (Some(path), Some(e)) = (site.session_file(r), event) {
                let name = site.page(r.module).title.as_str();
                out.push((path, self.calendar(name, &[e])));
            }
        }
        out
    }

    /// A feed per module with sessions.
    fn module_feeds(&self) -> Vec<(String, String)> {
        let site = self.site;
        // Each module's sessions, in the index's date order, grouped in one
        // pass: a scan of every session per module is quadratic in a
        // handbook of many modules.
        let mut by_module: HashMap<PageId, Vec<SessionRef>> = HashMap::new();
        for &r in &site.index.sessions {
            by_module.entry(r.module).or_default().push(r);
        }
        let mut out = Vec::new();
        for (i, p) in site.pages() {
            match &p.data {
                KindData::Module(m) if !m.sessions.is_empty() => {}
                _ => continue,
            }
            let mine = self.upcoming_events(by_module.get(&i).map_or(&[][..], Vec::as_slice));
            out.push((site.module_feed(i), self.calendar(&p.title, &mine)));
        }
        out
    }

    /// The feed of all modules' sessions, when there are any.
    fn all_sessions_feed(&self) -> Option<(String, String)> {
        let site = self.site;
        if site.index.sessions.is_empty() {
            return None;
        }
        let all = self.upcoming_events(&site.index.sessions);
        let name = match site.training_section {
            Some(t) => format!("{} – {}", site.config.raw.title, site.page(t).title),
            None => site.config.raw.title.clone(),
        };
        Some((site.all_sessions_feed(), self.calendar(&name, &all)))
    }
}

/// One session as a calendar event. Its `URL:` is the module page's
/// absolute address, and left out when `base_url` has no origin
/// (`base_url: /`): a calendar program has no page to resolve a
/// relative URL against, and guessing a host would link elsewhere.
fn session_event<'a>(site: &'a Site, strings: &Strings, r: SessionRef) -> Option<Event<'a>> {
    let s = site.session(r)?;
    let p = site.page(r.module);
    let KindData::Module(m) = &p.data else {
        return None;
    };
    let host = site
        .config
        .origin
        .as_deref()
        .and_then(|o| o.split("://").nth(1))
        .unwrap_or("esiin.invalid");
    let url = site
        .config
        .origin
        .as_deref()
        .map(|o| format!("{o}{}", encode_path(&site.url(r.module))));
    let mut description = m.summary.clone().unwrap_or_default();
    if let Some(signup) = s.signup_url.as_ref().filter(|_| !s.cancelled) {
        description.push_str("\n\n");
        description.push_str(&fill(&strings.calendar_sign_up, &[("url", signup)]));
    }
    if let Some(online) = &s.online_url {
        description.push('\n');
        description.push_str(&fill(&strings.calendar_online, &[("url", online)]));
    }
    let session_id =
        s.id.clone()
            .unwrap_or_else(|| s.start.0.strftime("%Y%m%dT%H%M%SZ").to_string());
    Some(Event {
        uid: uid(&p.id, &session_id, host),
        start: s.start.0,
        end: s.end.map(|e| e.0),
        summary: &p.title,
        description: Some(description.trim().to_string()).filter(|d| !d.is_empty()),
        location: s.location.clone().or_else(|| s.online_url.clone()),
        url,
        cancelled: s.cancelled,
    })
}
