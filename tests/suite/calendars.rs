//! The training calendars: one `.ics` per module with sessions and one for
//! all sessions, checked against the RFC 5545 rules calendar programs rely on.

use crate::common;

use common::Handbook;

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
fn a_module_calendar_has_its_sessions_in_the_handbook_time_zone() {
    let hb = built();
    let ics = std::fs::read_to_string(hb.public().join("training/basics/calendar.ics"))
        .expect("a calendar beside the module");
    let lines = lines(&ics);
    balanced(&lines);
    assert_eq!(lines[0], "BEGIN:VCALENDAR");
    assert!(lines.contains(&"VERSION:2.0".to_string()));
    assert!(values(&lines, "PRODID").len() == 1);
    assert_eq!(values(&lines, "UID").len(), 2, "one event per session");
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
    assert_eq!(values(&lines, "DTSTAMP").len(), 2);
    assert!(
        values(&lines, "URL")
            .iter()
            .all(|u| u.ends_with("/handbook/training/basics/"))
    );
}

#[test]
fn the_all_sessions_calendar_has_every_session_with_stable_uids() {
    let hb = built();
    let path = hb.public().join("training/calendar.ics");
    let first = std::fs::read_to_string(&path).expect("the catalogue's calendar");
    let lines = lines(&first);
    balanced(&lines);
    let uids = values(&lines, "UID");
    assert_eq!(uids.len(), 3, "all sessions of all modules: {uids:?}");
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
    let all =
        std::fs::read_to_string(hb.public().join("training/calendar.ics")).expect("all sessions");
    assert_eq!(all.matches("BEGIN:VEVENT").count(), 2);
}
