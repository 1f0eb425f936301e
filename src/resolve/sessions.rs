//! Checks of session times that need the handbook's time zone: an end
//! that is not after its start (an error), and, as warnings, a written
//! offset that is not the zone's on that date, a local time that the
//! clocks skip, and a session longer than a day.
//!
//! The times themselves are placed in the zone when the page is loaded
//! (`load::kinds::Written::at`); this stage only judges them, so that the
//! warnings reach the build like every other warning of `resolve`.

use jiff::tz::{AmbiguousOffset, Offset, TimeZone};
use jiff::{SignedDuration, Timestamp};

use super::Site;
use crate::diag::Diagnostic;
use crate::load::Source;
use crate::load::kinds::{DateTime, KindData, Written, date_words};

/// A session may last this long before it is questioned.
const LONGEST: SignedDuration = SignedDuration::from_hours(24);

impl Site {
    pub(super) fn check_sessions(&self, diags: &mut Vec<Diagnostic>) {
        let tz = &self.config.tz;
        let place = place_name(&self.config.raw.timezone);
        for (_, p) in self.pages() {
            let KindData::Module(m) = &p.data else {
                continue;
            };
            let mut ends = 0;
            for (nth, s) in m.sessions.iter().enumerate() {
                let at = |key, nth| value_span(&p.src, key, nth);
                let mut note = |(off, len): (usize, usize), d: Diagnostic| {
                    diags.push(d.in_file(&p.src.rel).at_offset(&p.src.text, off, len));
                };
                for d in time_warnings(&s.start, tz, &place) {
                    note(at("start", nth), d);
                }
                let Some(end) = &s.end else { continue };
                for d in time_warnings(end, tz, &place)
                    .into_iter()
                    .chain(span_problem(&s.start, end, tz))
                {
                    note(at("end", ends), d);
                }
                ends += 1;
            }
        }
    }
}

/// "Helsinki" for `Europe/Helsinki`: how people name a zone's time.
fn place_name(tz_name: &str) -> String {
    tz_name
        .rsplit('/')
        .next()
        .unwrap_or(tz_name)
        .replace('_', " ")
}

/// `+03:00`.
fn offset_text(o: Offset) -> String {
    let secs = o.seconds();
    let sign = if secs < 0 { '-' } else { '+' };
    let mins = secs.unsigned_abs() / 60;
    format!("{sign}{:02}:{:02}", mins / 60, mins % 60)
}

/// `09:00`, the clock time of `t` in `tz`.
fn clock(t: Timestamp, tz: &TimeZone) -> String {
    t.to_zoned_datetime(tz.clone())
        .strftime("%H:%M")
        .to_string()
}

/// The warnings about one written time: an offset that is not the zone's,
/// or a local time in the hour the clocks skip.
fn time_warnings(t: &DateTime, tz: &TimeZone, place: &str) -> Vec<Diagnostic> {
    let Written {
        local,
        offset,
        zulu,
    } = t.1;
    let written = local.strftime("%Y-%m-%d %H:%M").to_string();
    let day = date_words(local.date());
    let mut out = Vec::new();
    match offset {
        // `Z` says "this is UTC" on purpose; an offset like `+02:00` is
        // usually a local time with the offset of the wrong season.
        Some(o) if !zulu && tz.to_offset(t.0) != o => {
            let zone = offset_text(tz.to_offset(t.0));
            let shown = clock(t.0, tz);
            out.push(
                Diagnostic::warning(format!(
                    "`{}` is not {place}'s offset on {day} (`{zone}`): the session is at {shown} local time",
                    offset_text(o)
                ))
                .hint(format!(
                    "drop the offset to mean {} {place} time (`{written}`), or write `{zone}`",
                    local.strftime("%H:%M")
                )),
            );
        }
        Some(_) => {}
        None => {
            if matches!(
                tz.to_ambiguous_timestamp(local).offset(),
                AmbiguousOffset::Gap { .. }
            ) {
                let to = clock(t.0, tz);
                out.push(
                    Diagnostic::warning(format!(
                        "{written} does not exist in {place}: the clocks go forward that night ({day}), so the session is at {to} local time"
                    ))
                    .hint(format!(
                        "write a time that exists, e.g. `{} {to}`",
                        local.date()
                    )),
                );
            }
        }
    }
    out
}

/// An end not after the start (an error), or a session over a day (a
/// warning).
fn span_problem(start: &DateTime, end: &DateTime, tz: &TimeZone) -> Option<Diagnostic> {
    let when = |t: Timestamp| {
        let z = t.to_zoned_datetime(tz.clone());
        format!("{} on {}", z.strftime("%H:%M"), date_words(z.date()))
    };
    let (from, to) = (when(start.0), when(end.0));
    let length = end.0.duration_since(start.0);
    if length <= SignedDuration::ZERO {
        let what = if length.is_zero() { "when" } else { "before" };
        return Some(
            Diagnostic::error(format!(
                "the session ends {what} it starts: `end` is {to}, `start` {from}"
            ))
            .hint("write an `end` later than `start`; a session that runs past midnight ends on the next day's date"),
        );
    }
    (length > LONGEST).then(|| {
        Diagnostic::warning(format!(
            "the session lasts {} hours, from {from} to {to}",
            length.as_hours()
        ))
        .hint("check the dates of `start` and `end`; a course over several days is written as one session per day")
    })
}

/// Where the value of `key` (`start`, `end`) of the `nth` session that
/// has one is written, as a byte offset and length in the file; the
/// `sessions:` key itself when it cannot be found. Only the `sessions:`
/// block is searched, so a `start:` under `extra:` is never taken.
fn value_span(src: &Source, key: &str, nth: usize) -> (usize, usize) {
    let fm = src.fm_text();
    let fallback = src.locate("sessions", None);
    let mut block = None;
    let mut pos = 0;
    for line in fm.split_inclusive('\n') {
        let top_level = !line.starts_with([' ', '\t', '-', '#', '\n', '\r']);
        match block {
            None if top_level && line.starts_with("sessions") => {
                block = Some((pos + "sessions".len(), fm.len()));
            }
            Some((from, _)) if top_level => {
                block = Some((from, pos));
                break;
            }
            _ => {}
        }
        pos += line.len();
    }
    let Some((from, to)) = block else {
        return fallback;
    };
    let text = &fm[from..to];
    let is_key = |i: usize| {
        let before = text[..i].chars().next_back();
        let after = text[i + key.len()..].trim_start_matches([' ', '\t']);
        before.is_none_or(|c| c.is_whitespace() || "{,-".contains(c)) && after.starts_with(':')
    };
    let Some(k) = text
        .match_indices(key)
        .map(|(i, _)| i)
        .filter(|&i| is_key(i))
        .nth(nth)
    else {
        return fallback;
    };
    let colon = k + key.len() + text[k + key.len()..].find(':').unwrap_or(0) + 1;
    let rest = &text[colon..];
    let start = rest.len() - rest.trim_start_matches([' ', '\t']).len();
    let value = &rest[start..];
    let len = value.find([',', '}', '\n', '#']).unwrap_or(value.len());
    let len = value[..len].trim_end().len();
    (src.fm.start + from + colon + start, len)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::load::kinds::parse_written;

    fn helsinki() -> TimeZone {
        TimeZone::get("Europe/Helsinki").expect("bundled tz database")
    }

    fn at(s: &str) -> DateTime {
        let w = parse_written(s).expect("valid test time");
        DateTime(w.at(&helsinki()), w)
    }

    #[test]
    fn local_times_get_the_season_s_offset() {
        assert_eq!(at("2027-06-10 09:00").0.to_string(), "2027-06-10T06:00:00Z");
        assert_eq!(at("2027-01-14T09:00").0.to_string(), "2027-01-14T07:00:00Z");
        assert_eq!(
            at("2027-01-14T09:00:30").0.to_string(),
            "2027-01-14T07:00:30Z"
        );
        assert_eq!(
            at("2027-06-10T09:00:00+02:00").0.to_string(),
            "2027-06-10T07:00:00Z"
        );
    }

    #[test]
    fn a_wrong_offset_names_both() {
        let w = time_warnings(&at("2027-06-10T09:00:00+02:00"), &helsinki(), "Helsinki");
        assert_eq!(
            w[0].message,
            "`+02:00` is not Helsinki's offset on 10 June 2027 (`+03:00`): the session is at 10:00 local time"
        );
        assert!(
            time_warnings(&at("2027-06-10T09:00:00+03:00"), &helsinki(), "Helsinki").is_empty()
        );
        assert!(time_warnings(&at("2027-06-10T06:00:00Z"), &helsinki(), "Helsinki").is_empty());
    }

    #[test]
    fn a_skipped_hour_is_moved_forward_and_said() {
        // Helsinki moves from 03:00 to 04:00 on 28 March 2027.
        let t = at("2027-03-28 03:30");
        assert_eq!(t.0.to_string(), "2027-03-28T01:30:00Z");
        let w = time_warnings(&t, &helsinki(), "Helsinki");
        assert!(w[0].message.contains("the session is at 04:30"), "{w:?}");
        // The autumn fold takes the earlier instant (summer time).
        assert_eq!(at("2027-10-31 03:30").0.to_string(), "2027-10-31T00:30:00Z");
    }

    #[test]
    fn spans_are_judged() {
        let tz = helsinki();
        let s = at("2027-02-10 13:00");
        let before = span_problem(&s, &at("2027-02-10 11:00"), &tz).expect("an error");
        assert!(
            before.message.contains("ends before it starts"),
            "{before:?}"
        );
        assert!(span_problem(&s, &s, &tz).is_some());
        assert!(span_problem(&s, &at("2027-02-10 15:00"), &tz).is_none());
        let long = span_problem(&s, &at("2027-02-12 13:00"), &tz).expect("a warning");
        assert!(long.message.contains("48 hours"), "{long:?}");
    }

    #[test]
    fn values_are_found_in_the_sessions_block_only() {
        let text = "---\ntitle: M\nextra: {start: x}\nsessions:\n  - {start: 2027-06-10 09:00, end: 2027-06-10 08:00}\n  - start: \"2027-06-11 09:00\"  # quoted\n---\n";
        let fm = 4..text.len() - 4;
        let src = Source {
            rel: "content/training/m.md".into(),
            text: text.to_string(),
            fm,
            body: text.len(),
            places: Default::default(),
        };
        let value = |key, nth| {
            let (off, len) = value_span(&src, key, nth);
            &text[off..off + len]
        };
        assert_eq!(value("start", 0), "2027-06-10 09:00");
        assert_eq!(value("end", 0), "2027-06-10 08:00");
        assert_eq!(value("start", 1), "\"2027-06-11 09:00\"");
        assert_eq!(value("end", 1), "sessions", "falls back to the list");
    }

    #[test]
    fn place_names_read_as_places() {
        assert_eq!(place_name("Europe/Helsinki"), "Helsinki");
        assert_eq!(place_name("America/New_York"), "New York");
        assert_eq!(place_name("UTC"), "UTC");
    }
}
