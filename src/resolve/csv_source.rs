//! A plan goal's figures from a CSV export (`source: {csv: PATH, date:
//! COLUMN, value: COLUMN}`): reading the file through the fence before
//! `resolve` (so `serve` keys the resolved site by its bytes), and parsing
//! it into actuals, every error at its `file:line:col`.
//!
//! The `csv` crate parses: quoted fields (`"1 234,5"`), CRLF line ends
//! and embedded line breaks are what spreadsheet exports write, and a
//! hand-written splitter gets them wrong. What a cell means is decided
//! here, for the exports people have:
//! - The delimiter is `;` when the header row has one, else `,`: a
//!   Finnish Excel writes `;` because `,` is its decimal separator.
//! - A date is `YYYY-MM` (the figure of a month, dated its last day) or
//!   `YYYY-MM-DD`.
//! - A number may have spaces as thousands separators (`1 234`, also
//!   no-break spaces) and a decimal comma (`1 234,5`); with a `.` in it,
//!   commas are thousands separators (`1,234.5`). A lone comma is a
//!   decimal comma: `1,234` is 1.234, as a Finnish export means it.
//! - A row whose value cell is empty has no figure yet and is skipped.
//! - A UTF-8 byte-order mark (Excel writes one) is ignored.

use std::collections::HashMap;
use std::path::{Component, Path};

use jiff::civil;

use crate::diag::Diagnostic;
use crate::files::{Fence, READ_LIMIT, ReadError, read_regular};
use crate::load::kinds::{Actual, Date};

/// Why a CSV file could not be read: the message and what to do, shown
/// at the `csv:` value in the plan's front matter.
pub(crate) type ReadFailure = (String, String);

/// Reads `rel` (a path relative to the handbook root, as written in
/// `csv:`) through `fence`: only a regular file inside the root, its
/// symlinks resolving inside it too, at most [`READ_LIMIT`] bytes.
pub(crate) fn read(fence: &Fence, rel: &str) -> Result<String, ReadFailure> {
    let path = Path::new(rel);
    let plain = path
        .components()
        .all(|c| matches!(c, Component::Normal(_) | Component::CurDir));
    if rel.trim().is_empty() || !plain {
        return Err((
            format!("`{rel}` is not a path inside the handbook"),
            "write the file's path from the handbook root, without `..`: `data/blog-visitors.csv`"
                .into(),
        ));
    }
    let abs = fence.root().join(path);
    if abs.symlink_metadata().is_err() {
        return Err((
            format!("`{rel}` does not exist"),
            "write the CSV file's path from the handbook root (`data/blog-visitors.csv`), or add the file".into(),
        ));
    }
    if let Err(d) = fence.check_target(&abs, false) {
        return Err((
            format!("`{rel}` cannot be read: {}", d.message),
            d.hint.unwrap_or_default(),
        ));
    }
    let bytes = read_regular(&abs, Some(READ_LIMIT)).map_err(|e| {
        let d = e.diagnostic(path, "CSV file");
        let message = match e {
            ReadError::TooLarge => d.message,
            _ => format!("`{rel}` cannot be read: {}", d.message),
        };
        (message, d.hint.unwrap_or_default())
    })?;
    String::from_utf8(bytes).map_err(|e| {
        (
            format!(
                "`{rel}` is not UTF-8 text (a bad byte at offset {})",
                e.utf8_error().valid_up_to()
            ),
            "export the CSV as UTF-8 (\"CSV UTF-8\" in Excel)".into(),
        )
    })
}

/// The file being parsed, for locating its errors.
struct File<'a> {
    /// As shown in messages (`data/blog-visitors.csv`).
    name: &'a str,
    text: &'a str,
    /// The length of a byte-order mark before the CSV (0 or 3).
    bom: usize,
}

impl File<'_> {
    /// An error at byte `offset` of the CSV (after the mark), `len` long.
    fn error(&self, message: String, (offset, len): (usize, usize), hint: &str) -> Diagnostic {
        Diagnostic::error(message)
            .hint(hint)
            .in_file(self.name)
            .at_offset(self.text, self.bom + offset, len)
    }
}

/// The figures of CSV `text` (the file `file`, as shown in messages) from
/// its `date` and `value` columns, in file order; or every error found.
pub(crate) fn parse(
    file: &str,
    text: &str,
    date: &str,
    value: &str,
) -> Result<Vec<Actual>, Vec<Diagnostic>> {
    let bom = if text.starts_with('\u{feff}') { 3 } else { 0 };
    let f = File {
        name: file,
        text,
        bom,
    };
    let body = &text[bom..];
    if body.trim().is_empty() {
        let hint = format!(
            "write a header row naming the columns (`{date},{value}`), then a row a month (`2026-10,2790`)"
        );
        return Err(vec![f.error(format!("`{file}` is empty"), (0, 0), &hint)]);
    }
    let header_line = body.lines().next().unwrap_or_default();
    let delimiter = if header_line.contains(';') {
        b';'
    } else {
        b','
    };
    let mut reader = ::csv::ReaderBuilder::new()
        .delimiter(delimiter)
        .flexible(true)
        .has_headers(false)
        .from_reader(body.as_bytes());
    let mut records = reader.records();
    let header = match records.next() {
        Some(Ok(h)) => h,
        Some(Err(e)) => return Err(vec![syntax_error(file, text, bom, &e)]),
        None => return Ok(Vec::new()),
    };
    let (date_col, value_col) = columns(&f, &header, date, value)?;
    let mut diags = Vec::new();
    let mut actuals = Vec::new();
    let mut seen: HashMap<civil::Date, usize> = HashMap::new();
    for record in records {
        let record = match record {
            Ok(r) => r,
            Err(e) => {
                diags.push(syntax_error(file, text, bom, &e));
                continue;
            }
        };
        let Some(pos) = record.position() else {
            continue;
        };
        let start = usize::try_from(pos.byte()).unwrap_or(0);
        let line = usize::try_from(pos.line()).unwrap_or(0);
        let starts = field_starts(body, start, delimiter);
        let cell = |i: usize| {
            let raw = record.get(i).unwrap_or("");
            let offset = starts.get(i).copied().unwrap_or(start);
            (raw.trim(), (offset, raw.len()))
        };
        let (value_text, value_at) = cell(value_col);
        let (date_text, date_at) = cell(date_col);
        if value_text.is_empty() {
            continue;
        }
        let Some((day, number)) = read_cells(
            &f,
            (date, date_text, date_at),
            (value, value_text, value_at),
            &mut diags,
        ) else {
            continue;
        };
        if let Some(first) = seen.insert(day, line) {
            diags.push(f.error(
                format!("a second figure for `{date_text}`: line {first} has one already"),
                date_at,
                "keep one row for each month or day: remove or merge one of them",
            ));
            continue;
        }
        actuals.push(Actual {
            date: Date(day),
            value: number,
        });
    }
    if diags.is_empty() {
        Ok(actuals)
    } else {
        Err(diags)
    }
}

/// A row's date and figure, or their errors in `diags`: each cell is
/// `(column, text, place)`.
fn read_cells(
    f: &File<'_>,
    (date, date_text, date_at): (&str, &str, (usize, usize)),
    (value, value_text, value_at): (&str, &str, (usize, usize)),
    diags: &mut Vec<Diagnostic>,
) -> Option<(civil::Date, f64)> {
    let day = parse_date(date_text);
    if day.is_none() {
        diags.push(f.error(
            format!("`{date_text}` in column `{date}` is not a month or a date"),
            date_at,
            "write the month as `2026-10` (its figure is dated the 31st) or the day as `2026-10-31`",
        ));
    }
    let number = parse_number(value_text);
    if number.is_none() {
        diags.push(f.error(
            format!("`{value_text}` in column `{value}` is not a number"),
            value_at,
            "write a number: `2790`, `1 234,5` or `1234.5` (no units)",
        ));
    }
    day.zip(number)
}

/// The positions of the `date` and `value` columns in `header`, or an
/// error for each the header lacks.
fn columns(
    f: &File<'_>,
    header: &::csv::StringRecord,
    date: &str,
    value: &str,
) -> Result<(usize, usize), Vec<Diagnostic>> {
    let names: Vec<&str> = header.iter().map(str::trim).collect();
    let column = |name: &str| names.iter().position(|n| *n == name);
    match (column(date), column(value)) {
        (Some(d), Some(v)) => Ok((d, v)),
        (d, v) => {
            let missing = [(d, date, "date"), (v, value, "value")];
            Err(missing
                .iter()
                .filter(|(found, _, _)| found.is_none())
                .map(|(_, name, key)| unknown_column(f.name, f.text, f.bom, &names, name, key))
                .collect())
        }
    }
}

/// A column named in the goal's `date:` or `value:` (`key`) that the
/// header does not have, at the header, naming the columns it has.
fn unknown_column(
    file: &str,
    text: &str,
    bom: usize,
    names: &[&str],
    name: &str,
    key: &str,
) -> Diagnostic {
    let list: Vec<String> = names.iter().map(|n| format!("`{n}`")).collect();
    let nearest = crate::diag::suggest(name, names.iter().copied())
        .map(|n| format!("`{key}: {n}`"))
        .unwrap_or_else(|| format!("`{key}:` naming one of them"));
    let header_len = text[bom..].lines().next().map_or(0, str::len);
    Diagnostic::error(format!(
        "the header row has no column `{name}` (its columns: {})",
        list.join(", ")
    ))
    .in_file(file)
    .at_offset(text, bom, header_len)
    .hint(format!(
        "write {nearest} in the goal's `source`, or add a `{name}` column to the header row"
    ))
}

/// A CSV the `csv` crate cannot read, at the line it stopped.
fn syntax_error(file: &str, text: &str, bom: usize, e: &::csv::Error) -> Diagnostic {
    let offset = e
        .position()
        .and_then(|p| usize::try_from(p.byte()).ok())
        .unwrap_or(0);
    Diagnostic::error(format!("the CSV cannot be read: {e}"))
        .in_file(file)
        .at_offset(text, bom + offset, 0)
        .hint("export the file again as CSV (UTF-8), one row a month with a header row")
}

/// The byte offsets (in `body`) where the fields of the record at `start`
/// begin: the line scanned with its quotes, as the parser reads it, so a
/// cell is pointed at exactly even after a quoted one.
fn field_starts(body: &str, start: usize, delimiter: u8) -> Vec<usize> {
    let bytes = body.as_bytes();
    let mut starts = vec![start];
    let mut quoted = false;
    let mut i = start;
    while let Some(&b) = bytes.get(i) {
        match b {
            b'"' => quoted = !quoted,
            b'\n' | b'\r' if !quoted => break,
            _ if b == delimiter && !quoted => starts.push(i + 1),
            _ => {}
        }
        i += 1;
    }
    // A quoted cell's text starts after its quote.
    for s in &mut starts {
        if bytes.get(*s) == Some(&b'"') {
            *s += 1;
        }
    }
    starts
}

/// `2026-10` (the month's last day) or `2026-10-31`.
pub(crate) fn parse_date(text: &str) -> Option<civil::Date> {
    let parts: Vec<&str> = text.split('-').collect();
    let num = |s: &str| {
        s.parse::<i16>()
            .ok()
            .filter(|_| s.bytes().all(|b| b.is_ascii_digit()))
    };
    match parts.as_slice() {
        [y, m] if y.len() == 4 && m.len() == 2 => {
            let month = i8::try_from(num(m)?).ok()?;
            civil::Date::new(num(y)?, month, 1)
                .ok()
                .map(|d| d.last_of_month())
        }
        [y, m, d] if y.len() == 4 && m.len() == 2 && d.len() == 2 => civil::Date::new(
            num(y)?,
            i8::try_from(num(m)?).ok()?,
            i8::try_from(num(d)?).ok()?,
        )
        .ok(),
        _ => None,
    }
}

/// A figure as exports write it: `2790`, `1 234`, `1 234,5`, `1,234.5`,
/// `-3`; finite.
pub(crate) fn parse_number(text: &str) -> Option<f64> {
    let mut s: String = text
        .chars()
        .filter(|c| !matches!(c, ' ' | '\u{a0}' | '\u{202f}'))
        .collect();
    if s.contains('.') {
        s.retain(|c| c != ',');
    } else if s.matches(',').count() == 1 {
        s = s.replace(',', ".");
    }
    let ok = !s.is_empty()
        && s.bytes()
            .all(|b| b.is_ascii_digit() || matches!(b, b'.' | b'-' | b'+'));
    s.parse::<f64>().ok().filter(|n| ok && n.is_finite())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn values(r: &[Actual]) -> Vec<(String, f64)> {
        r.iter().map(|a| (a.date.0.to_string(), a.value)).collect()
    }

    #[test]
    fn months_are_dated_their_last_day() {
        assert_eq!(parse_date("2026-02"), Some(civil::date(2026, 2, 28)));
        assert_eq!(parse_date("2024-02"), Some(civil::date(2024, 2, 29)));
        assert_eq!(parse_date("2026-10-15"), Some(civil::date(2026, 10, 15)));
        for bad in [
            "2026-13",
            "2026-1",
            "26-10",
            "2026-02-30",
            "oct",
            "",
            "2026-+1",
        ] {
            assert_eq!(parse_date(bad), None, "{bad}");
        }
    }

    #[test]
    fn numbers_as_exports_write_them() {
        assert_eq!(parse_number("2790"), Some(2790.0));
        assert_eq!(parse_number("1 234"), Some(1234.0));
        assert_eq!(parse_number("1\u{a0}234,5"), Some(1234.5));
        assert_eq!(parse_number("1,234.5"), Some(1234.5));
        assert_eq!(parse_number("12,5"), Some(12.5));
        assert_eq!(parse_number("-3"), Some(-3.0));
        for bad in ["12x", "", "1,2,3", "inf", "NaN", "1e3x", "12 %"] {
            assert_eq!(parse_number(bad), None, "{bad}");
        }
    }

    #[test]
    fn comma_and_semicolon_files_read_alike() {
        let comma = "month,visitors\n2026-01,1310\n2026-02,\"1 480\"\n\n2026-03,\n";
        let semi = "\u{feff}month;visitors\r\n2026-01;1310\r\n2026-02;1 480\r\n";
        for text in [comma, semi] {
            let r = parse("d.csv", text, "month", "visitors").expect("parses");
            assert_eq!(
                values(&r),
                [("2026-01-31".into(), 1310.0), ("2026-02-28".into(), 1480.0)]
            );
        }
    }

    #[test]
    fn every_bad_cell_is_reported_at_its_column() {
        let text = "month,visitors\n2026-13,1\n2026-01,\"12x\"\n2026-01,3\n2026-01,4\n";
        let diags = parse("d.csv", text, "month", "visitors").unwrap_err();
        let at: Vec<String> = diags
            .iter()
            .map(|d| d.location().unwrap_or_default())
            .collect();
        assert_eq!(at, ["d.csv:2:1", "d.csv:3:10", "d.csv:5:1"], "{diags:#?}");
    }

    #[test]
    fn an_unknown_column_names_the_nearest() {
        let diags = parse("d.csv", "Month,visitors\n", "month", "vistors").unwrap_err();
        assert_eq!(diags.len(), 2);
        assert!(
            diags[0]
                .hint
                .as_deref()
                .unwrap_or("")
                .contains("`date: Month`")
        );
        assert!(
            diags[1]
                .hint
                .as_deref()
                .unwrap_or("")
                .contains("`value: visitors`")
        );
    }
}
