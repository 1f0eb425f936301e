//! The training calendars: a `.ics` per session, and feeds of upcoming
//! sessions per module and for all of them, checked against the RFC 5545
//! rules calendar programs rely on; and how sessions show on the pages.
//!
//! The fixture's build day (`SOURCE_DATE_EPOCH`) is 2026-06-15: the basics
//! module has a past session (2026-03-12) and an upcoming one (2026-09-24),
//! the advanced module one upcoming (2026-10-01).

use crate::support;

use support::{Handbook, broken};

fn built() -> Handbook {
    let hb = Handbook::fixture("basic");
    hb.build_ok();
    hb
}

/// Unfolds content lines (RFC 5545 3.1) after checking the raw form.
fn lines(ics: &str) -> Vec<String> {
    assert!(ics.ends_with("\r\n"), "ends with CRLF");
    assert!(
        !ics.replace("\r\n", "").contains(['\n', '\r']),
        "every line ends with CRLF"
    );
    for raw in ics.split("\r\n") {
        assert!(raw.len() <= 75, "a line longer than 75 octets: {raw:?}");
    }
    ics.replace("\r\n ", "")
        .split("\r\n")
        .filter(|l| !l.is_empty())
        .map(str::to_string)
        .collect()
}

fn balanced(lines: &[String]) {
    let mut stack = Vec::new();
    for l in lines {
        if let Some(c) = l.strip_prefix("BEGIN:") {
            stack.push(c.to_string());
        } else if let Some(c) = l.strip_prefix("END:") {
            assert_eq!(stack.pop().as_deref(), Some(c), "END:{c} matches its BEGIN");
        }
    }
    assert!(stack.is_empty(), "unclosed: {stack:?}");
}

fn values<'a>(lines: &'a [String], name: &str) -> Vec<&'a str> {
    lines
        .iter()
        .filter_map(|l| {
            let (head, value) = l.split_once(':')?;
            (head == name || head.starts_with(&format!("{name};"))).then_some(value)
        })
        .collect()
}

#[test]
fn a_module_calendar_has_its_upcoming_sessions_in_the_handbook_time_zone() {
    let hb = built();
    let ics = std::fs::read_to_string(hb.public().join("training/basics/calendar.ics"))
        .expect("a calendar beside the module");
    let lines = lines(&ics);
    balanced(&lines);
    assert_eq!(lines[0], "BEGIN:VCALENDAR");
    assert!(lines.contains(&"VERSION:2.0".to_string()));
    assert!(values(&lines, "PRODID").len() == 1);
    assert_eq!(
        values(&lines, "UID").len(),
        1,
        "the upcoming session, not the past one: {lines:#?}"
    );
    assert!(
        values(&lines, "DTSTART;TZID=Europe/Helsinki")
            .iter()
            .all(|d| !d.starts_with("202603")),
        "the March session is past: {lines:#?}"
    );
    // 2026-09-24T06:00:00Z is 09:00 in Helsinki (summer time).
    assert!(
        lines.contains(&"DTSTART;TZID=Europe/Helsinki:20260924T090000".to_string()),
        "{lines:#?}"
    );
    assert!(lines.contains(&"DTEND;TZID=Europe/Helsinki:20260924T120000".to_string()));
    // The zone is defined, with its summer-time change.
    assert!(lines.contains(&"TZID:Europe/Helsinki".to_string()));
    assert!(values(&lines, "TZOFFSETTO").contains(&"+0300"));
    // Text is escaped.
    assert!(
        lines.contains(&"LOCATION:Tampere\\, room Näsi".to_string()),
        "{lines:#?}"
    );
    assert_eq!(values(&lines, "DTSTAMP").len(), 1);
    assert!(
        values(&lines, "URL")
            .iter()
            .all(|u| u.ends_with("/handbook/training/basics/"))
    );
}

#[test]
fn the_all_sessions_calendar_has_every_upcoming_session_with_stable_uids() {
    let hb = built();
    let path = hb.public().join("training/calendar.ics");
    let first = std::fs::read_to_string(&path).expect("the catalogue's calendar");
    let lines = lines(&first);
    balanced(&lines);
    let uids = values(&lines, "UID");
    assert_eq!(
        uids.len(),
        2,
        "the upcoming sessions of all modules, not the past one: {uids:?}"
    );
    let unique: std::collections::BTreeSet<_> = uids.iter().collect();
    assert_eq!(unique.len(), uids.len(), "UIDs are unique");
    assert!(uids.iter().all(|u| u.ends_with("@intra.example.com")));
    // Rebuilt, the calendar is the same (same UIDs, same DTSTAMP).
    hb.build_ok();
    let second = std::fs::read_to_string(&path).expect("rebuilt calendar");
    assert_eq!(first, second);
}

#[test]
fn a_module_without_sessions_has_no_calendar() {
    let hb = Handbook::fixture("basic");
    hb.edit(
        "content/training/advanced.md",
        "sessions:\n  - start: 2026-10-01T13:00:00+03:00\n    end: 2026-10-01T14:30:00+03:00\n    online_url: https://meet.example.com/advanced\n",
        "",
    );
    hb.build_ok();
    assert!(!hb.public().join("training/advanced/calendar.ics").exists());
    assert!(!hb.public().join("training/advanced/sessions").exists());
    let all =
        std::fs::read_to_string(hb.public().join("training/calendar.ics")).expect("all sessions");
    assert_eq!(all.matches("BEGIN:VEVENT").count(), 1, "{all}");
}

#[test]
fn each_session_has_a_file_with_its_one_event() {
    let hb = built();
    let dir = hb.public().join("training/basics/sessions");
    // Named after the start in local time, past sessions included (a link
    // saved earlier still works).
    let upcoming = std::fs::read_to_string(dir.join("2026-09-24-0900.ics")).expect("upcoming");
    let lines = lines(&upcoming);
    balanced(&lines);
    assert_eq!(values(&lines, "UID").len(), 1, "{lines:#?}");
    assert_eq!(
        values(&lines, "DTSTART;TZID=Europe/Helsinki"),
        ["20260924T090000"]
    );
    // The same UID as in the feeds, so adding both does not double it.
    let feed = std::fs::read_to_string(hb.public().join("training/basics/calendar.ics"))
        .expect("the module's feed");
    assert_eq!(values(&lines, "UID"), values(&self::lines(&feed), "UID"));
    let past = std::fs::read_to_string(dir.join("2026-03-12-0900.ics")).expect("past");
    let past = self::lines(&past);
    assert_eq!(
        values(&past, "DTSTART;TZID=Europe/Helsinki"),
        ["20260312T090000"]
    );
    // The page links each upcoming session's own file, and the next
    // session's button downloads that one, not every session.
    let page = hb.page("training/basics/index.html");
    let links: Vec<String> = support::hrefs(&page)
        .into_iter()
        .filter(|h| h.ends_with(".ics"))
        .collect();
    assert!(
        links.contains(&"/handbook/training/basics/sessions/2026-09-24-0900.ics".to_string()),
        "{links:?}"
    );
    assert!(
        !links.iter().any(|l| l.contains("2026-03-12")),
        "no calendar button beside a past session: {links:?}"
    );
    let next = support::between(&page, "class=\"next-session\"", "</div>");
    assert!(
        next.contains("href=\"/handbook/training/basics/sessions/2026-09-24-0900.ics\""),
        "{next}"
    );
}

#[test]
fn a_session_id_names_its_file_and_keeps_its_uid_when_the_start_moves() {
    let hb = Handbook::fixture("basic");
    hb.edit(
        "content/training/basics.md",
        "  - start: 2026-09-24T06:00:00Z\n    end: 2026-09-24T09:00:00Z",
        "  - id: Autumn/../2026\n    start: 2026-09-24T06:00:00Z\n    end: 2026-09-24T09:00:00Z",
    );
    hb.build_ok();
    let file = hb.public().join("training/basics/sessions/autumn-2026.ics");
    let before = lines(&std::fs::read_to_string(&file).expect("named after the id, made safe"));
    hb.edit(
        "content/training/basics.md",
        "start: 2026-09-24T06:00:00Z\n    end: 2026-09-24T09:00:00Z",
        "start: 2026-09-25T06:00:00Z\n    end: 2026-09-25T09:00:00Z",
    );
    hb.build_ok();
    let after = lines(&std::fs::read_to_string(&file).expect("the same file"));
    assert_eq!(values(&before, "UID"), values(&after, "UID"));
    assert_eq!(
        values(&after, "DTSTART;TZID=Europe/Helsinki"),
        ["20260925T090000"]
    );
}

#[test]
fn urls_are_absolute_or_left_out() {
    let hb = built();
    let ics = std::fs::read_to_string(hb.public().join("training/calendar.ics")).expect("feed");
    let lines = lines(&ics);
    let urls = values(&lines, "URL");
    assert_eq!(urls.len(), 2);
    assert!(
        urls.iter()
            .all(|u| u.starts_with("https://intra.example.com/handbook/training/")),
        "{urls:?}"
    );
    // Without an origin there is no absolute URL to give: a relative one
    // means nothing in a calendar program, so there is none (and no
    // webcal: link, which needs a host too).
    hb.edit(
        "handbook.yaml",
        "base_url: https://intra.example.com/handbook/",
        "base_url: /",
    );
    hb.build_ok();
    for rel in [
        "training/calendar.ics",
        "training/basics/calendar.ics",
        "training/basics/sessions/2026-09-24-0900.ics",
    ] {
        let ics = std::fs::read_to_string(hb.public().join(rel)).expect("a calendar");
        assert!(!ics.contains("URL:"), "{rel}: {ics}");
        assert!(ics.contains("BEGIN:VEVENT"), "{rel}");
    }
    let page = hb.page("training/basics/index.html");
    assert!(
        !page.contains("webcal:"),
        "no subscribe link without a host"
    );
    assert!(page.contains("href=\"/training/basics/calendar.ics\""));
}

#[test]
fn feeds_have_a_webcal_link_beside_the_download() {
    let hb = built();
    for (page, feed) in [
        ("training/basics/index.html", "training/basics/calendar.ics"),
        ("training/index.html", "training/calendar.ics"),
    ] {
        let html = hb.page(page);
        let links = support::hrefs(&html);
        assert!(
            links.contains(&format!("webcal://intra.example.com/handbook/{feed}")),
            "{page}: {links:?}"
        );
        assert!(
            links.contains(&format!("/handbook/{feed}")),
            "{page}: {links:?}"
        );
    }
}

#[test]
fn without_an_origin_the_subscribe_link_waits_for_the_page_host() {
    let hb = Handbook::fixture("basic");
    hb.edit(
        "handbook.yaml",
        "base_url: https://intra.example.com/handbook/",
        "base_url: /handbook/",
    );
    hb.build_ok();
    for (page, feed) in [
        (
            "training/basics/index.html",
            "/handbook/training/basics/calendar.ics",
        ),
        ("training/index.html", "/handbook/training/calendar.ics"),
    ] {
        let html = hb.page(page);
        assert!(
            !support::hrefs(&html)
                .iter()
                .any(|h| h.starts_with("webcal:")),
            "{page}: no host to write"
        );
        assert!(
            html.contains(&format!("hidden data-webcal-path=\"{feed}\"")),
            "{page}: the hidden link"
        );
        assert!(
            html.contains("/handbook/calendar.js\" defer"),
            "{page}: its script"
        );
    }
}

/// The rows of the module page's sessions table, by the start they show.
fn session_row<'a>(html: &'a str, date: &str) -> &'a str {
    let table = support::between(html, "<table class=\"data-table sessions\"", "</table>");
    table
        .split("<tr")
        .find(|row| row.contains(date))
        .unwrap_or_else(|| panic!("no row for {date} in {table}"))
}

#[test]
fn a_cancelled_session_is_struck_through_and_cancelled_in_the_feeds() {
    let hb = Handbook::fixture("basic");
    hb.edit(
        "content/training/basics.md",
        "    seats: 10\n",
        "    seats: 10\n    cancelled: true\n",
    );
    hb.build_ok();
    let page = hb.page("training/basics/index.html");
    let row = session_row(&page, "2026-09-24T09:00");
    assert!(row.contains("is-cancelled"), "{row}");
    assert!(row.contains("<s><time"), "{row}");
    assert!(row.contains(">Cancelled<"), "{row}");
    assert!(
        !row.contains("forms.example.com"),
        "no sign-up for a cancelled session: {row}"
    );
    // It is no longer the next session.
    assert!(!page.contains("class=\"next-session\""), "{page}");
    for rel in [
        "training/basics/calendar.ics",
        "training/calendar.ics",
        "training/basics/sessions/2026-09-24-0900.ics",
    ] {
        let ics = std::fs::read_to_string(hb.public().join(rel)).expect("a calendar");
        let lines = lines(&ics);
        assert_eq!(values(&lines, "STATUS"), ["CANCELLED"], "{rel}: {lines:#?}");
    }
    let catalogue = hb.page("training/index.html");
    let upcoming = support::between(&catalogue, "id=\"upcoming\"", "</section>");
    assert!(upcoming.contains("<s><time"), "{upcoming}");
}

#[test]
fn past_sessions_are_an_archive_not_struck_through() {
    let hb = built();
    let page = hb.page("training/basics/index.html");
    let row = session_row(&page, "2026-03-12T09:00");
    assert!(row.contains("is-past"), "{row}");
    assert!(!row.contains("<s>"), "{row}");
    assert!(!row.contains("is-cancelled"), "{row}");
    let css = std::fs::read_to_string(hb.public().join("theme.css")).expect("the theme's CSS");
    assert!(
        !css.contains(".sessions tr.is-past th time { text-decoration: line-through"),
        "past sessions are not struck through by the style either"
    );
    let ics = std::fs::read_to_string(hb.public().join("training/calendar.ics")).expect("feed");
    assert!(!ics.contains("STATUS:"), "{ics}");
}

#[test]
fn the_time_zone_is_named_once_per_page() {
    let hb = built();
    for page in [
        "training/basics/index.html",
        "training/index.html",
        "experts/aino-virtanen/index.html",
    ] {
        let html = hb.page(page);
        // Tooltips (`title="…"`) may repeat it; the text says it once.
        let text = html.replace("title=\"Europe/Helsinki\"", "");
        assert_eq!(
            text.matches("Europe/Helsinki").count(),
            1,
            "{page}: {}",
            text.lines()
                .filter(|l| l.contains("Europe/Helsinki"))
                .collect::<Vec<_>>()
                .join("\n")
        );
    }
}

#[test]
fn finnish_pages_write_finnish_dates_and_times() {
    let hb = Handbook::fixture("basic");
    hb.edit("handbook.yaml", "language: en", "language: fi");
    hb.build_ok();
    let page = hb.page("training/basics/index.html");
    let next = support::between(&page, "class=\"next-session\"", "</div>");
    assert!(next.contains(">to 24.9.2026 klo 9.00–12.00<"), "{next}");
    let row = session_row(&page, "2026-09-24T09:00");
    assert!(row.contains(">to 24.9.2026<"), "{row}");
    assert!(row.contains(">9.00</time>–<time"), "{row}");
    // The zone is named once, in Finnish (tooltips aside).
    let text = page.replace("title=\"Suomen aika\"", "");
    assert_eq!(text.matches("Suomen aika").count(), 1);
    assert!(text.contains("Kellonajat: Suomen aika."));
}

#[test]
fn two_sessions_with_one_calendar_name_are_an_error() {
    broken(|hb| {
        hb.edit(
            "content/training/basics.md",
            "  - start: 2026-03-12T09:00:00+02:00",
            "  - id: spring\n    start: 2026-03-12T09:00:00+02:00",
        );
        hb.edit(
            "content/training/basics.md",
            "  - start: 2026-09-24T06:00:00Z",
            "  - id: Spring\n    start: 2026-09-24T06:00:00Z",
        );
    })
    // At the second of the two, the one that would replace the other.
    .assert_error(
        "content/training/basics.md:24:5: sessions 1 and 2 of this module share the calendar name `spring`",
        Some("give each session its own `id` (letters, digits and `-`), e.g. `id: spring-2027`"),
    );
}

#[test]
fn a_page_on_a_calendar_file_is_an_error() {
    broken(|hb| {
        hb.write(
            "content/training/feed.md",
            "---\ntitle: Feed\nslug: calendar.ics\n---\nThe feed.\n",
        );
    })
    .assert_error(
        "content/training/feed.md:3:7: the page is at `/handbook/training/calendar.ics/`, where esiin writes the calendar file `/handbook/training/calendar.ics`",
        Some("rename the file or give it another `slug`"),
    );
}

#[test]
fn an_alias_on_a_calendar_file_is_an_error() {
    broken(|hb| {
        hb.edit(
            "content/training/advanced.md",
            "title: Advanced presenting\n",
            "title: Advanced presenting\naliases: [/training/calendar.ics]\n",
        );
    })
    .assert_error(
        "content/training/advanced.md:3:12: the alias `/training/calendar.ics` would replace the calendar file `/handbook/training/calendar.ics`",
        Some("remove the alias"),
    );
}
