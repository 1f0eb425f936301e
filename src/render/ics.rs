//! iCalendar (RFC 5545) files for training sessions: one per session (what
//! "Add to calendar" downloads) and feeds of upcoming sessions, per module
//! and for all of them, that calendar programs can subscribe to.
//!
//! The details calendar programs trip over are all here: CRLF line ends,
//! lines folded at 75 octets (never inside a UTF-8 character), text
//! escaped, a stable UID per session, and times in the handbook's time zone
//! with a VTIMEZONE that lists that zone's real offset changes (from the
//! tz database, through jiff) for the years the sessions span.

use std::fmt::Write as _;

use jiff::tz::TimeZone;
use jiff::{Timestamp, ToSpan};

/// One event.
pub(crate) struct Event<'a> {
    /// Unique and stable across builds.
    pub uid: String,
    pub start: Timestamp,
    pub end: Option<Timestamp>,
    pub summary: &'a str,
    pub description: Option<String>,
    pub location: Option<String>,
    /// Absolute, or absent: a relative URL means nothing inside a calendar
    /// program, which has no page to resolve it against.
    pub url: Option<String>,
    /// Sent as `STATUS:CANCELLED`, so a calendar that already holds the
    /// event (same UID) marks it cancelled.
    pub cancelled: bool,
}

/// Escapes TEXT values (RFC 5545, 3.3.11).
pub(crate) fn escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '\\' => out.push_str("\\\\"),
            ';' => out.push_str("\\;"),
            ',' => out.push_str("\\,"),
            '\n' => out.push_str("\\n"),
            '\r' => {}
            c => out.push(c),
        }
    }
    out
}

/// Appends a content line, folded at 75 octets, with CRLF.
fn line(out: &mut String, content: &str) {
    let mut width = 0;
    for c in content.chars() {
        let n = c.len_utf8();
        if width + n > 75 {
            out.push_str("\r\n ");
            // The space that starts a continuation line counts.
            width = 1;
        }
        out.push(c);
        width += n;
    }
    out.push_str("\r\n");
}

fn local(t: Timestamp, tz: &TimeZone) -> String {
    t.to_zoned_datetime(tz.clone())
        .strftime("%Y%m%dT%H%M%S")
        .to_string()
}

fn utc(t: Timestamp) -> String {
    t.strftime("%Y%m%dT%H%M%SZ").to_string()
}

fn offset(o: jiff::tz::Offset) -> String {
    let secs = o.seconds();
    let sign = if secs < 0 { '-' } else { '+' };
    let secs = secs.unsigned_abs();
    format!("{sign}{:02}{:02}", secs / 3600, (secs % 3600) / 60)
}

/// The VTIMEZONE of `tz` between `from` and `to`: one observance per offset
/// change, or a single fixed offset when there is none.
fn vtimezone(out: &mut String, name: &str, tz: &TimeZone, from: Timestamp, to: Timestamp) {
    line(out, "BEGIN:VTIMEZONE");
    line(out, &format!("TZID:{name}"));
    let mut before = tz.to_offset(from);
    let mut any = false;
    let mut at = from;
    while let Some(t) = tz.following(at).next() {
        if t.timestamp() > to {
            break;
        }
        let after = t.offset();
        let kind = if t.dst().is_dst() {
            "DAYLIGHT"
        } else {
            "STANDARD"
        };
        line(out, &format!("BEGIN:{kind}"));
        // DTSTART of an observance is local time in the offset before it.
        let local_start = t.timestamp().to_zoned_datetime(TimeZone::fixed(before));
        line(
            out,
            &format!("DTSTART:{}", local_start.strftime("%Y%m%dT%H%M%S")),
        );
        line(out, &format!("TZOFFSETFROM:{}", offset(before)));
        line(out, &format!("TZOFFSETTO:{}", offset(after)));
        if let Some(abbr) = Some(t.abbreviation()).filter(|a| !a.is_empty()) {
            line(out, &format!("TZNAME:{}", escape(abbr)));
        }
        line(out, &format!("END:{kind}"));
        before = after;
        at = t.timestamp();
        any = true;
    }
    if !any {
        line(out, "BEGIN:STANDARD");
        let start = from.to_zoned_datetime(tz.clone());
        line(out, &format!("DTSTART:{}", start.strftime("%Y%m%dT%H%M%S")));
        line(out, &format!("TZOFFSETFROM:{}", offset(before)));
        line(out, &format!("TZOFFSETTO:{}", offset(before)));
        line(out, "END:STANDARD");
    }
    line(out, "END:VTIMEZONE");
}

/// A complete calendar. `tz_name` is the IANA name of `tz`; `stamp` is the
/// DTSTAMP (the build's date, so the file is reproducible).
pub(crate) fn calendar(
    name: &str,
    tz_name: &str,
    tz: &TimeZone,
    stamp: Timestamp,
    events: &[Event],
) -> String {
    let mut out = String::new();
    line(&mut out, "BEGIN:VCALENDAR");
    line(&mut out, "VERSION:2.0");
    line(&mut out, "PRODID:-//esiin//expertise handbook//EN");
    line(&mut out, "CALSCALE:GREGORIAN");
    line(&mut out, "METHOD:PUBLISH");
    line(&mut out, &format!("X-WR-CALNAME:{}", escape(name)));
    line(&mut out, &format!("X-WR-TIMEZONE:{tz_name}"));
    let utc_zone = tz_name == "UTC" || tz_name == "Etc/UTC";
    if !events.is_empty() && !utc_zone {
        let first = events.iter().map(|e| e.start).min().unwrap_or(stamp);
        let last = events
            .iter()
            .map(|e| e.end.unwrap_or(e.start))
            .max()
            .unwrap_or(stamp);
        let from = first.checked_sub((366 * 24).hours()).unwrap_or(first);
        vtimezone(&mut out, tz_name, tz, from, last);
    }
    for e in events {
        line(&mut out, "BEGIN:VEVENT");
        line(&mut out, &format!("UID:{}", escape(&e.uid)));
        line(&mut out, &format!("DTSTAMP:{}", utc(stamp)));
        let when = |t: Timestamp| {
            if utc_zone {
                format!(":{}", utc(t))
            } else {
                format!(";TZID={tz_name}:{}", local(t, tz))
            }
        };
        line(&mut out, &format!("DTSTART{}", when(e.start)));
        if let Some(end) = e.end {
            line(&mut out, &format!("DTEND{}", when(end)));
        }
        line(&mut out, &format!("SUMMARY:{}", escape(e.summary)));
        if let Some(d) = &e.description {
            line(&mut out, &format!("DESCRIPTION:{}", escape(d)));
        }
        if let Some(l) = &e.location {
            line(&mut out, &format!("LOCATION:{}", escape(l)));
        }
        if let Some(u) = &e.url {
            line(&mut out, &format!("URL:{u}"));
        }
        if e.cancelled {
            line(&mut out, "STATUS:CANCELLED");
        }
        line(&mut out, "END:VEVENT");
    }
    line(&mut out, "END:VCALENDAR");
    out
}

/// A UID for a session that stays the same from build to build.
pub(crate) fn uid(module_id: &str, session: &str, host: &str) -> String {
    let mut s = String::new();
    for c in format!("{module_id}-{session}").chars() {
        if c.is_ascii_alphanumeric() || c == '-' || c == '.' {
            s.push(c);
        } else {
            let _ = write!(s, "-");
        }
    }
    format!("{s}@{host}")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ts(s: &str) -> Timestamp {
        s.parse().expect("valid test timestamp")
    }

    #[test]
    fn lines_fold_at_75_octets_without_splitting_characters() {
        let mut out = String::new();
        line(&mut out, &format!("SUMMARY:{}", "ä".repeat(60)));
        for l in out.split("\r\n").filter(|l| !l.is_empty()) {
            assert!(l.len() <= 75, "{} octets: {l}", l.len());
        }
        let unfolded = out.replace("\r\n ", "");
        assert_eq!(unfolded, format!("SUMMARY:{}\r\n", "ä".repeat(60)));
    }

    #[test]
    fn text_is_escaped() {
        assert_eq!(escape("a, b; c\\d\ne"), "a\\, b\\; c\\\\d\\ne");
    }

    #[test]
    fn calendar_has_events_in_the_time_zone_with_vtimezone() {
        let tz = TimeZone::get("Europe/Helsinki").expect("tzdb");
        let events = [Event {
            uid: uid("training/presenting", "2027-01-14", "intra.example.com"),
            start: ts("2027-01-14T07:00:00Z"),
            end: Some(ts("2027-01-14T09:00:00Z")),
            summary: "Presentation training",
            description: Some("Bring a topic, leave with a talk.".into()),
            location: Some("Tampere, room Näsi".into()),
            url: Some("https://intra.example.com/handbook/training/presenting/".into()),
            cancelled: false,
        }];
        let cal = calendar(
            "Training",
            "Europe/Helsinki",
            &tz,
            ts("2026-11-29T00:00:00Z"),
            &events,
        );
        assert!(cal.starts_with("BEGIN:VCALENDAR\r\nVERSION:2.0\r\n"));
        assert!(cal.ends_with("END:VCALENDAR\r\n"));
        assert!(
            !cal.replace("\r\n", "").contains('\n'),
            "only CRLF line ends"
        );
        assert!(
            cal.contains("DTSTART;TZID=Europe/Helsinki:20270114T090000\r\n"),
            "{cal}"
        );
        assert!(cal.contains("DTEND;TZID=Europe/Helsinki:20270114T110000\r\n"));
        assert!(cal.contains("UID:training-presenting-2027-01-14@intra.example.com\r\n"));
        assert!(cal.contains("DTSTAMP:20261129T000000Z\r\n"));
        assert!(cal.contains("BEGIN:VTIMEZONE\r\nTZID:Europe/Helsinki\r\n"));
        assert!(
            cal.contains("TZOFFSETFROM:+0200\r\nTZOFFSETTO:+0300"),
            "{cal}"
        );
        assert!(cal.contains("LOCATION:Tampere\\, room Näsi\r\n"));
        assert!(!cal.contains("STATUS:"), "{cal}");
    }

    #[test]
    fn utc_calendars_use_utc_times() {
        let cal = calendar(
            "T",
            "UTC",
            &TimeZone::UTC,
            ts("2026-01-01T00:00:00Z"),
            &[Event {
                uid: "x@y".into(),
                start: ts("2027-01-14T07:00:00Z"),
                end: None,
                summary: "S",
                description: None,
                location: None,
                url: None,
                cancelled: true,
            }],
        );
        assert!(cal.contains("DTSTART:20270114T070000Z\r\n"));
        assert!(!cal.contains("VTIMEZONE"));
        assert!(cal.contains("SUMMARY:S\r\nSTATUS:CANCELLED\r\nEND:VEVENT\r\n"));
        assert!(!cal.contains("URL:"));
    }
}
