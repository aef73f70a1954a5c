//! The CSV reporter: one row per finding, RFC 4180 quoting by the csv crate.
//! Knows nothing of rule kinds, input formats or how rows were made: it
//! imports only the `Reporter` trait and the row types.

use std::borrow::Cow;
use std::io::{self, Write};

use super::{Located, Needs, Reporter};

/// The exact header, in order.
pub const HEADER: [&str; 14] = [
    "path",
    "record",
    "line",
    "column",
    "end_line",
    "end_column",
    "byte_start",
    "byte_end",
    "rule",
    "category",
    "severity",
    "message",
    "matched",
    "suggestion",
];

/// Writes findings as CSV rows under [`HEADER`].
pub struct CsvReporter<'w> {
    writer: csv::Writer<Box<dyn Write + Send + 'w>>,
    formula_safe: bool,
}

/// Characters that make a spreadsheet read a cell as a formula (or, for tab
/// and carriage return, that some spreadsheets strip before doing so).
const FORMULA_STARTS: [char; 6] = ['=', '+', '-', '@', '\t', '\r'];

/// Characters a spreadsheet may split a cell on when it guesses the
/// separator (comma, semicolon, tab, pipe) or ignores the CSV quotes (line
/// breaks): each piece is then a cell of its own, read as a formula if it
/// starts like one.
const SEPARATORS: [char; 6] = [',', ';', '\t', '|', '\n', '\r'];

/// `cell` with a `'` put in front of every piece a spreadsheet would
/// evaluate: a piece begins at the start of the cell or just after a
/// [`SEPARATORS`] character and is dangerous when, past any spaces, it
/// starts with one of [`FORMULA_STARTS`]. So `=1+2` becomes `'=1+2`, and
/// `north;=1+2;today` becomes `north;'=1+2;today`.
fn defuse_formula(cell: &str) -> Cow<'_, str> {
    let dangerous = |start: usize| {
        cell[start..]
            .trim_start_matches(' ')
            .starts_with(FORMULA_STARTS)
    };
    let starts =
        std::iter::once(0).chain(cell.match_indices(SEPARATORS).map(|(i, sep)| i + sep.len()));
    let mut defused: Option<String> = None;
    let mut copied = 0;
    for start in starts.filter(|&start| dangerous(start)) {
        let out = defused.get_or_insert_with(|| String::with_capacity(cell.len() + 4));
        out.push_str(&cell[copied..start]);
        out.push('\'');
        copied = start;
    }
    match defused {
        Some(mut out) => {
            out.push_str(&cell[copied..]);
            Cow::Owned(out)
        }
        None => Cow::Borrowed(cell),
    }
}

fn to_io(e: csv::Error) -> io::Error {
    match e.into_kind() {
        csv::ErrorKind::Io(e) => e,
        other => io::Error::other(format!("{other:?}")),
    }
}

impl<'w> CsvReporter<'w> {
    /// Writes the header to `out` and returns the reporter.
    pub fn new(out: Box<dyn Write + Send + 'w>) -> io::Result<Self> {
        let mut writer = csv::WriterBuilder::new().from_writer(out);
        writer.write_record(HEADER).map_err(to_io)?;
        Ok(CsvReporter {
            writer,
            formula_safe: false,
        })
    }

    /// Like [`CsvReporter::new`], for spreadsheets (the OWASP advice against
    /// CSV formula injection): every cell is quoted, so that a spreadsheet
    /// that honours quotes keeps it whole whatever separator it splits on,
    /// and every piece of a cell that would be read as a formula, at its
    /// start or after a separator, gets a leading `'` (see
    /// [`defuse_formula`]). `matched`, `message` and `path` are then no longer
    /// byte for byte the file's text in such a row; offsets are untouched.
    pub fn formula_safe(out: Box<dyn Write + Send + 'w>) -> io::Result<Self> {
        let mut writer = csv::WriterBuilder::new()
            .quote_style(csv::QuoteStyle::Always)
            .from_writer(out);
        writer.write_record(HEADER).map_err(to_io)?;
        Ok(CsvReporter {
            writer,
            formula_safe: true,
        })
    }
}

impl Reporter for CsvReporter<'_> {
    fn needs(&self) -> Needs {
        Needs::NONE
    }

    fn file(&mut self, path: &str, rows: &[Located]) -> io::Result<()> {
        // Numbers are formatted on the stack: no string per cell.
        let mut numbers = [itoa::Buffer::new(); 6];
        for row in rows {
            let f = &row.finding;
            let [line, column, end_line, end_column, start, end] = &mut numbers;
            let cells = [
                path,
                row.record.as_deref().unwrap_or(""),
                line.format(row.line),
                column.format(row.column),
                end_line.format(row.end_line),
                end_column.format(row.end_column),
                start.format(f.span.start),
                end.format(f.span.end),
                &f.rule.id,
                &f.rule.category,
                f.severity.as_str(),
                &f.message,
                &row.matched,
                f.suggestion.as_deref().unwrap_or(""),
            ];
            let result = if self.formula_safe {
                self.writer
                    .write_record(cells.map(|c| defuse_formula(c).into_owned()))
            } else {
                self.writer.write_record(cells)
            };
            result.map_err(to_io)?;
        }
        Ok(())
    }

    fn finish(&mut self) -> io::Result<()> {
        self.writer.flush()
    }
}

#[cfg(test)]
mod tests {
    use super::defuse_formula;

    #[test]
    fn formulas_are_defused_at_the_start_and_after_any_separator() {
        for (cell, safe) in [
            ("=1+2", "'=1+2"),
            ("  +A1", "'  +A1"),
            ("\t=1", "'\t'=1"),
            ("north;=1+2;today", "north;'=1+2;today"),
            ("a, -2 and b|@SUM(x)", "a,' -2 and b|'@SUM(x)"),
            ("one\n=cmd\r\n+x", "one\n'=cmd\r\n'+x"),
            ("a;b,c|d", "a;b,c|d"),
            ("well-known e=mc2 a+b", "well-known e=mc2 a+b"),
            ("", ""),
        ] {
            assert_eq!(defuse_formula(cell), safe, "{cell:?}");
        }
    }
}
