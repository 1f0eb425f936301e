//! The typed front matter of every content kind (SPEC.md, "Front matter").
//!
//! Each kind's own fields live in one struct; the fields every kind shares
//! live in [`Common`]. Nested records (`sessions`, `goals`, …) reject unknown
//! fields through serde; unknown *top-level* fields are checked by
//! [`super::page`] against the union of `Common` and the kind's struct, so the
//! message can say which kind a misplaced field belongs to.

use std::fmt;

use jiff::civil;
use serde::de::{self, Deserializer, MapAccess, Visitor};
use serde::{Deserialize, Serialize};

// `Kind` is defined with the configuration, below this stage, because
// `handbook.yaml` maps folders to kinds; what a kind's fields are is
// known here.
pub(crate) use crate::config::Kind;

impl Kind {
    /// The names of the kind's own front-matter fields.
    pub(crate) fn fields(self) -> &'static [&'static str] {
        use crate::yaml::field_names;
        match self {
            Kind::Page | Kind::Section => &[],
            Kind::Expert => field_names::<Expert>(),
            Kind::Module => field_names::<Module>(),
            Kind::Plan => field_names::<Plan>(),
            Kind::Guidelines => field_names::<Guidelines>(),
            Kind::Path => field_names::<Path>(),
        }
    }
}

/// Fields every kind has.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default)]
pub(crate) struct Common {
    pub title: Option<String>,
    pub description: Option<String>,
    pub kind: Option<String>,
    pub date: Option<Date>,
    pub updated: Option<Date>,
    pub draft: bool,
    pub weight: Option<i64>,
    pub slug: Option<String>,
    pub aliases: Vec<String>,
    pub tags: Vec<String>,
    pub owner: Option<String>,
    pub review_by: Option<Date>,
    pub template: Option<String>,
    pub extra: Option<serde_json::Value>,
}

/// The kind-specific part of a page.
#[derive(Debug, Clone)]
pub(crate) enum KindData {
    Page,
    Section,
    Expert(Box<Expert>),
    Module(Box<Module>),
    Plan(Box<Plan>),
    Guidelines(Box<Guidelines>),
    Path(Box<Path>),
}

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default)]
pub(crate) struct Expert {
    pub role: Option<String>,
    pub team: Option<String>,
    pub photo: Option<String>,
    pub email: Option<String>,
    pub location: Option<String>,
    pub languages: Vec<String>,
    pub topics: Vec<String>,
    pub ask_me_about: Vec<String>,
    pub available_for: Vec<Availability>,
    pub channels: Channels,
    pub visibility: Visibility,
    /// The person's own public work, any order (SPEC.md, "Activity and
    /// measurement"): shown newest first on the profile and in the
    /// "recently shared" lists, counted by plan goals measured from
    /// activity.
    pub activity: Vec<Activity>,
}

/// One piece of an expert's own public work: a post, a talk, a podcast.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct Activity {
    pub date: Date,
    pub title: String,
    pub url: String,
    /// Where it was published, named as in `channels` (`linkedin`,
    /// `blog`, …): what a goal's `channels` filter and the share kit use.
    #[serde(default)]
    pub channel: Option<String>,
    #[serde(rename = "type", default)]
    pub kind: ActivityType,
}

/// What a piece of activity is.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash, Deserialize, Serialize)]
#[serde(rename_all = "lowercase")]
pub(crate) enum ActivityType {
    Post,
    Talk,
    Podcast,
    Video,
    Article,
    Meetup,
    #[default]
    Other,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Serialize)]
#[serde(rename_all = "lowercase")]
pub(crate) enum Availability {
    Talks,
    Mentoring,
    Writing,
    Podcasts,
    Interviews,
    Reviews,
}

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Deserialize, Serialize)]
#[serde(rename_all = "lowercase")]
pub(crate) enum Visibility {
    #[default]
    Listed,
    Unlisted,
}

/// `channels`: a map from channel name to URL or handle, in the order written.
#[derive(Debug, Clone, Default)]
pub(crate) struct Channels(pub Vec<(String, String)>);

impl<'de> Deserialize<'de> for Channels {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl<'de> Visitor<'de> for V {
            type Value = Channels;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("a map from channel name to URL or handle, e.g. `github: aino`")
            }
            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Channels, A::Error> {
                let mut out: Vec<(String, String)> = Vec::new();
                while let Some((k, v)) = map.next_entry::<String, String>()? {
                    // Kept in order, so not a map: a name written twice is
                    // caught here (worded as serde's, to be located).
                    if out.iter().any(|(seen, _)| *seen == k) {
                        return Err(de::Error::custom(format_args!("duplicate field `{k}`")));
                    }
                    out.push((k, v));
                }
                Ok(Channels(out))
            }
        }
        d.deserialize_map(V)
    }
}

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default)]
pub(crate) struct Module {
    pub summary: Option<String>,
    pub format: Option<Format>,
    pub duration: Option<Minutes>,
    pub audience: Option<String>,
    pub level: Option<String>,
    pub objectives: Vec<String>,
    pub prerequisites: Vec<String>,
    pub trainers: Vec<String>,
    pub materials: Vec<Material>,
    pub sessions: Vec<Session>,
}

impl Module {
    /// Places the sessions written in local time in the handbook's time
    /// zone (see [`DateTime`]).
    pub(crate) fn place_sessions(&mut self, tz: &jiff::tz::TimeZone) {
        for s in &mut self.sessions {
            for t in std::iter::once(&mut s.start).chain(s.end.as_mut()) {
                t.0 = t.1.at(tz);
            }
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Serialize)]
#[serde(rename_all = "kebab-case")]
pub(crate) enum Format {
    Workshop,
    Clinic,
    Coaching,
    Talk,
    SelfStudy,
}

impl Format {
    pub(crate) fn name(self) -> &'static str {
        match self {
            Format::Workshop => "workshop",
            Format::Clinic => "clinic",
            Format::Coaching => "coaching",
            Format::Talk => "talk",
            Format::SelfStudy => "self-study",
        }
    }
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct Material {
    pub title: String,
    pub url: String,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct Session {
    /// A stable name for the session (an esiin addition), so that calendar
    /// entries survive a change of `start`; by default the start time.
    pub id: Option<String>,
    pub start: DateTime,
    pub end: Option<DateTime>,
    pub location: Option<String>,
    pub online_url: Option<String>,
    pub signup_url: Option<String>,
    pub seats: Option<u32>,
    /// A cancelled session stays listed (struck through) and is sent to
    /// calendars as `STATUS:CANCELLED`, so an entry people already added
    /// is cancelled rather than silently left in place.
    #[serde(default)]
    pub cancelled: bool,
}

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default)]
pub(crate) struct Plan {
    pub period: Option<Period>,
    pub owners: Vec<String>,
    pub goals: Vec<Goal>,
    /// A goal whose latest actual is older than this many days shows
    /// *stale data* (an esiin addition; default 45: a monthly figure that
    /// is a fortnight late).
    pub stale_after_days: Option<u32>,
    /// How far behind the straight line a goal may be and still be *on
    /// track*, in percent of the distance from baseline to target (an
    /// esiin addition; default 2: 26.5 against an expected 26.6 on a goal
    /// from 20 to 30 is on track).
    pub tolerance_percent: Option<f64>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct Period {
    pub start: Date,
    pub end: Date,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct Goal {
    pub id: String,
    pub title: String,
    pub metric: Option<String>,
    pub unit: Option<String>,
    pub baseline: f64,
    pub target: f64,
    pub due: Option<Date>,
    #[serde(default)]
    pub direction: Direction,
    #[serde(default)]
    pub actuals: Vec<Actual>,
    /// Expertise the goal needs (an esiin addition): a topic no listed
    /// expert covers is reported as an expertise gap.
    #[serde(default)]
    pub topics: Vec<String>,
    /// Where the figures come from when they are not typed in `actuals`
    /// (SPEC.md, "Activity and measurement"): the experts' activity or a
    /// CSV export. `resolve/measure.rs` computes them into `actuals`, so
    /// everything downstream reads one list.
    #[serde(default)]
    pub source: Option<Source>,
}

/// A goal's `source`, as written: `{activity: {...}}` or `{csv: PATH,
/// date: COLUMN, value: COLUMN}`. One record with every key rather than
/// a serde enum: the CSV form is flat (SPEC.md), and an untagged enum's
/// error ("did not match any variant") would not say which key is wrong.
/// [`Source::kind`] is the enum, checked in `resolve/measure.rs`.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct Source {
    #[serde(default)]
    pub activity: Option<ActivitySource>,
    #[serde(default)]
    pub csv: Option<String>,
    #[serde(default)]
    pub date: Option<String>,
    #[serde(default)]
    pub value: Option<String>,
}

/// Which of the two sources a `source` is.
#[derive(Debug, Clone, Copy)]
pub(crate) enum SourceKind<'a> {
    Activity(&'a ActivitySource),
    Csv(&'a str),
}

impl Source {
    /// The source written, `None` when both or neither are
    /// (`resolve/measure.rs` says which).
    pub(crate) fn kind(&self) -> Option<SourceKind<'_>> {
        match (&self.activity, &self.csv) {
            (Some(a), None) => Some(SourceKind::Activity(a)),
            (None, Some(c)) => Some(SourceKind::Csv(c)),
            _ => None,
        }
    }

    /// The CSV's date column: `date` unless named.
    pub(crate) fn date_column(&self) -> &str {
        self.date.as_deref().unwrap_or("date")
    }

    /// The CSV's value column: `value` unless named.
    pub(crate) fn value_column(&self) -> &str {
        self.value.as_deref().unwrap_or("value")
    }
}

/// A goal measured from the experts' activity.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct ActivitySource {
    pub measure: Measure,
    #[serde(default)]
    pub window: Window,
    /// Teams left out of the count and of the denominator (`[Marketing]`),
    /// matched as the directory matches teams.
    #[serde(default)]
    pub exclude_teams: Vec<String>,
    /// Only items of these channels count; all when empty.
    #[serde(default)]
    pub channels: Vec<String>,
    /// The denominator of `share_of_staff` when not everyone has a
    /// profile; whole and above zero.
    #[serde(default)]
    pub staff: Option<i64>,
}

/// What a goal measured from activity counts in each window.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Serialize)]
#[serde(rename_all = "snake_case")]
pub(crate) enum Measure {
    /// Percent of the profiles (or of `staff`) with an item.
    ShareOfStaff,
    /// Experts with an item.
    People,
    /// Items.
    Items,
}

/// The window figures are counted in: a calendar month, the only one.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Deserialize, Serialize)]
#[serde(rename_all = "snake_case")]
pub(crate) enum Window {
    #[default]
    Month,
}

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Deserialize, Serialize)]
#[serde(rename_all = "lowercase")]
pub(crate) enum Direction {
    #[default]
    Increase,
    Decrease,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct Actual {
    pub date: Date,
    pub value: f64,
}

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default)]
pub(crate) struct Guidelines {
    pub rules: Vec<Rule>,
    pub image: Option<String>,
    pub alt: Option<String>,
}

#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct Rule {
    #[serde(rename = "do")]
    pub do_: Option<String>,
    pub dont: Option<String>,
}

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default)]
pub(crate) struct Path {
    pub audience: Option<String>,
    pub steps: Vec<Step>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct Step {
    pub page: String,
    pub minutes: Option<u32>,
    pub note: Option<String>,
}

/// A calendar date, written `YYYY-MM-DD` (an RFC 3339 date-time is accepted
/// and its date kept).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub(crate) struct Date(pub civil::Date);

impl<'de> Deserialize<'de> for Date {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let s = String::deserialize(d)?;
        parse_date(&s).map(Date).ok_or_else(|| {
            de::Error::custom(format!(
                "invalid date `{s}`: write it as YYYY-MM-DD, e.g. 2026-03-31"
            ))
        })
    }
}

fn parse_date(s: &str) -> Option<civil::Date> {
    let s = s.trim();
    if let Ok(d) = s.parse::<civil::Date>() {
        return Some(d);
    }
    s.parse::<jiff::Timestamp>()
        .ok()
        .map(|t| t.to_zoned_datetime(jiff::tz::TimeZone::UTC).date())
}

/// A session's `start` or `end`: the instant (`.0`) and what was written
/// (`.1`). Written without an offset (`2027-06-10 09:00`), it is local time
/// in the handbook's `timezone`: deserializing places it in UTC for now,
/// and [`Module::place_sessions`] places it in the handbook's zone once the
/// page is parsed (serde cannot see the configuration).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub(crate) struct DateTime(pub jiff::Timestamp, pub Written);

/// A date-time as an editor wrote it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub(crate) struct Written {
    pub local: civil::DateTime,
    /// The offset written after the time (`+02:00`, `Z`), if any.
    pub offset: Option<jiff::tz::Offset>,
    /// Written `Z`: a time given in UTC on purpose, never a local offset
    /// that might be the wrong one.
    pub zulu: bool,
}

impl Written {
    /// The instant meant: at the written offset, else the local time in
    /// `tz`. A local time that falls in a gap (clocks going forward) or a
    /// fold (clocks going back) is resolved the "compatible" way, as
    /// RFC 5545 and most calendars do: in a gap the clock time is moved
    /// forward by the gap's length (03:30 → 04:30 on the spring-forward
    /// night in Helsinki; `resolve` warns about it), in a fold the earlier
    /// of the two instants is taken.
    pub(crate) fn at(&self, tz: &jiff::tz::TimeZone) -> jiff::Timestamp {
        let placed = match self.offset {
            Some(offset) => offset.to_timestamp(self.local),
            None => tz.to_ambiguous_timestamp(self.local).compatible(),
        };
        // Cannot fail for the years `parse_written` accepts; UTC is a
        // harmless stand-in all the same.
        placed
            .or_else(|_| jiff::tz::Offset::UTC.to_timestamp(self.local))
            .unwrap_or(jiff::Timestamp::UNIX_EPOCH)
    }
}

impl<'de> Deserialize<'de> for DateTime {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let s = String::deserialize(d)?;
        let written = parse_written(&s).map_err(|why| {
            // After ": write " comes the hint (`yaml::humanize`).
            let how = match impossible_date(s.trim()) {
                Some((_, last)) => format!("a date that is in the calendar, e.g. {last}"),
                None => {
                    "the local date and time, e.g. 2027-06-10 09:00, or RFC 3339 with an offset"
                        .into()
                }
            };
            de::Error::custom(format!("invalid date-time `{s}`: {why}: write {how}"))
        })?;
        Ok(DateTime(written.at(&jiff::tz::TimeZone::UTC), written))
    }
}

/// Reads `2027-06-10 09:00`, `2027-06-10T09:00:00`, with an optional
/// offset (`+03:00`, `Z`). Else says what is wrong in an editor's words.
pub(crate) fn parse_written(s: &str) -> Result<Written, String> {
    let s = s.trim();
    if let Some((why, _)) = impossible_date(s) {
        return Err(why);
    }
    let pieces = jiff::fmt::temporal::Pieces::parse(s)
        .map_err(|_| "it is not a date and time".to_string())?;
    let Some(time) = pieces.time() else {
        return Err("it has no time of day".into());
    };
    if pieces.time_zone_annotation().is_some() {
        return Err("a time zone in brackets is not read".into());
    }
    let date = pieces.date();
    // Far enough from jiff's limits that any offset can be applied.
    if !(1..=9998).contains(&date.year()) {
        return Err("the year is out of range".into());
    }
    Ok(Written {
        local: date.to_datetime(time),
        offset: pieces.to_numeric_offset(),
        zulu: matches!(
            pieces.offset(),
            Some(jiff::fmt::temporal::PiecesOffset::Zulu)
        ),
    })
}

/// English month names, for messages and the English date format.
pub(crate) const MONTHS_EN: [&str; 12] = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
];

/// `d month yyyy` in English, for messages.
pub(crate) fn date_words(d: civil::Date) -> String {
    let month = MONTHS_EN[usize::from(d.month().unsigned_abs()).saturating_sub(1) % 12];
    format!("{} {month} {}", d.day(), d.year())
}

/// "30 February 2027 does not exist" for a date that is well formed
/// (`YYYY-MM-DD…`) but not in the calendar, and the last day of that
/// month (of December for a month past 12) as the date to suggest; jiff's
/// own message would only say that parsing failed.
fn impossible_date(s: &str) -> Option<(String, civil::Date)> {
    let num = |r: std::ops::Range<usize>| s.get(r)?.parse::<i16>().ok();
    if s.get(4..5) != Some("-") || s.get(7..8) != Some("-") {
        return None;
    }
    let (year, month, day) = (num(0..4)?, num(5..7)?, num(8..10)?);
    let last = |m: i8| Some(civil::Date::new(year, m, 1).ok()?.last_of_month());
    if !(1..=12).contains(&month) {
        return Some((format!("there is no month {month}"), last(12)?));
    }
    let last = last(month as i8)?;
    if day < 1 || day > i16::from(last.day()) {
        let month_name = MONTHS_EN[(month - 1) as usize];
        let why = format!(
            "{day} {month_name} {year} does not exist ({month_name} {year} has {} days)",
            last.day()
        );
        return Some((why, last));
    }
    None
}

/// A duration in minutes: a number, or text like `2h`, `90min`, `1h 30min`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Minutes(pub u32);

impl<'de> Deserialize<'de> for Minutes {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        // A visitor rather than an untagged enum: serde's untagged enums
        // buffer the value, lose its position and fail with "data did not
        // match any variant", which tells an editor nothing.
        struct V;
        impl Visitor<'_> for V {
            type Value = Minutes;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("minutes (`90`) or text like `2h`, `90min`, `1h 30min`")
            }
            fn visit_u64<E: de::Error>(self, n: u64) -> Result<Minutes, E> {
                u32::try_from(n)
                    .map(Minutes)
                    .map_err(|_| invalid(&n.to_string(), "is too long"))
            }
            fn visit_i64<E: de::Error>(self, n: i64) -> Result<Minutes, E> {
                match u64::try_from(n) {
                    Ok(n) => self.visit_u64(n),
                    Err(_) => Err(invalid(&n.to_string(), "is a number of minutes, 0 or more")),
                }
            }
            fn visit_f64<E: de::Error>(self, n: f64) -> Result<Minutes, E> {
                Err(invalid(&n.to_string(), "is a whole number of minutes"))
            }
            fn visit_str<E: de::Error>(self, s: &str) -> Result<Minutes, E> {
                parse_minutes(s)
                    .map(Minutes)
                    .ok_or_else(|| invalid(s, "is a number of minutes or a text like `1h 30min`"))
            }
        }
        d.deserialize_any(V)
    }
}

/// The error for a duration that is not one. Worded "invalid duration
/// `…`" so that the value is found and marked in the file
/// (`page::invalid_value`).
fn invalid<E: de::Error>(value: &str, why: &str) -> E {
    E::custom(format!(
        "invalid duration `{value}`: `duration` {why}: write minutes (`90`) or text like `2h`, `90min`, `1h 30min`"
    ))
}

fn parse_minutes(s: &str) -> Option<u32> {
    let s = s.trim().to_lowercase();
    if s.is_empty() {
        return None;
    }
    let mut total: u32 = 0;
    let mut rest = s.as_str();
    while !rest.is_empty() {
        rest = rest.trim_start();
        let digits = rest
            .find(|c: char| !c.is_ascii_digit())
            .unwrap_or(rest.len());
        if digits == 0 {
            return None;
        }
        let n: u32 = rest[..digits].parse().ok()?;
        rest = rest[digits..].trim_start();
        let unit_len = rest
            .find(|c: char| !c.is_alphabetic())
            .unwrap_or(rest.len());
        let unit = &rest[..unit_len];
        rest = &rest[unit_len..];
        let factor = match unit {
            "h" | "hour" | "hours" | "t" | "tunti" | "tuntia" => 60,
            "" | "m" | "min" | "mins" | "minute" | "minutes" | "minuuttia" => 1,
            _ => return None,
        };
        total = total.checked_add(n.checked_mul(factor)?)?;
    }
    Some(total)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn durations_parse_in_minutes() {
        assert_eq!(parse_minutes("90"), Some(90));
        assert_eq!(parse_minutes("2h"), Some(120));
        assert_eq!(parse_minutes("90min"), Some(90));
        assert_eq!(parse_minutes("1h 30min"), Some(90));
        assert_eq!(parse_minutes("1 h 30 min"), Some(90));
        assert_eq!(parse_minutes("soon"), None);
        assert_eq!(parse_minutes("h"), None);
    }

    #[test]
    fn durations_are_numbers_or_text_and_never_negative() {
        let parse = |yaml: &str| crate::yaml::from_str::<Minutes>(yaml);
        assert_eq!(parse("90"), Ok(Minutes(90)));
        assert_eq!(parse("1h 30min"), Ok(Minutes(90)));
        let err = parse("-180").unwrap_err();
        assert!(
            err.message
                .contains("`duration` is a number of minutes, 0 or more"),
            "{err:?}"
        );
        assert!(parse("1.5").is_err());
        assert!(parse("soon").unwrap_err().message.contains("`soon`"));
    }

    #[test]
    fn kind_fields_are_read_from_the_structs() {
        assert!(Kind::Expert.fields().contains(&"topics"));
        assert!(Kind::Module.fields().contains(&"sessions"));
        assert!(Kind::Path.fields().contains(&"steps"));
    }

    #[test]
    fn session_times_are_local_or_offset_and_exist() {
        let w = parse_written("2027-06-10 09:00").unwrap();
        assert_eq!((w.local.hour(), w.offset), (9, None));
        assert!(
            parse_written("2027-06-10T09:00:00+02:00")
                .unwrap()
                .offset
                .is_some()
        );
        assert!(parse_written("2027-06-10T06:00:00Z").unwrap().zulu);
        assert_eq!(
            parse_written("2027-02-30T13:00:00+02:00").unwrap_err(),
            "30 February 2027 does not exist (February 2027 has 28 days)"
        );
        assert_eq!(
            parse_written("2027-13-01 09:00").unwrap_err(),
            "there is no month 13"
        );
        assert_eq!(
            parse_written("2027-06-10").unwrap_err(),
            "it has no time of day"
        );
        assert!(parse_written("next week").is_err());
    }

    #[test]
    fn dates_accept_dates_and_date_times() {
        assert!(parse_date("2026-03-31").is_some());
        assert!(parse_date("2026-03-31T10:00:00Z").is_some());
        assert!(parse_date("2026-13-01").is_none());
        assert!(parse_date("31.3.2026").is_none());
    }
}
