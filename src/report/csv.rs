//! The CSV reporter: one row per finding, RFC 4180 quoting by the csv crate.

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

/// `cell` with a leading `'` when a spreadsheet would evaluate it.
fn defuse_formula(cell: &str) -> Cow<'_, str> {
    if cell.starts_with(FORMULA_STARTS) {
        Cow::Owned(format!("'{cell}"))
    } else {
        Cow::Borrowed(cell)
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

    /// Like [`CsvReporter::new`], but cells that start like a formula are
    /// prefixed with `'` (the OWASP advice against CSV formula injection); `matched` is then no longer
    /// byte for byte the file's text in such a row.
    pub fn formula_safe(out: Box<dyn Write + Send + 'w>) -> io::Result<Self> {
        let mut reporter = Self::new(out)?;
        reporter.formula_safe = true;
        Ok(reporter)
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
