//! JSON reporters: `json` (one array) and `jsonl` (one object per line,
//! streamed). Objects carry the CSV's fields under the same names; a finding
//! without a suggestion has `"suggestion": null`, one outside any record
//! `"record": null`; after them, `"language"`, the language of the document
//! the finding is in. Knows nothing of rule kinds, input formats or how rows
//! were made.

use std::io::{self, Write};

use serde::Serialize;

use super::{Located, Needs, Reporter};

/// One finding as a JSON object: the CSV's columns, in the same order.
#[derive(Serialize)]
struct Row<'a> {
    path: &'a str,
    record: Option<&'a str>,
    line: usize,
    column: usize,
    end_line: usize,
    end_column: usize,
    byte_start: usize,
    byte_end: usize,
    rule: &'a str,
    category: &'a str,
    severity: &'a str,
    message: &'a str,
    matched: &'a str,
    suggestion: Option<&'a str>,
    language: Option<&'a str>,
}

impl<'a> Row<'a> {
    fn new(path: &'a str, row: &'a Located) -> Self {
        let f = &row.finding;
        Row {
            path,
            record: row.record.as_deref(),
            line: row.line,
            column: row.column,
            end_line: row.end_line,
            end_column: row.end_column,
            byte_start: f.span.start,
            byte_end: f.span.end,
            rule: &f.rule.id,
            category: &f.rule.category,
            severity: f.severity.as_str(),
            message: &f.message,
            matched: &row.matched,
            suggestion: f.suggestion.as_deref(),
            language: f.language.as_ref().map(|l| l.as_str()),
        }
    }
}

/// Writes one JSON array of findings, streamed element by element.
pub struct JsonReporter<'w> {
    out: Box<dyn Write + Send + 'w>,
    first: bool,
}

impl<'w> JsonReporter<'w> {
    /// A reporter writing to `out`.
    pub fn new(out: Box<dyn Write + Send + 'w>) -> Self {
        JsonReporter { out, first: true }
    }
}

impl Reporter for JsonReporter<'_> {
    fn needs(&self) -> Needs {
        Needs::NONE
    }

    fn file(&mut self, path: &str, rows: &[Located]) -> io::Result<()> {
        for row in rows {
            self.out
                .write_all(if self.first { b"[\n  " } else { b",\n  " })?;
            self.first = false;
            serde_json::to_writer(&mut self.out, &Row::new(path, row))?;
        }
        Ok(())
    }

    fn finish(&mut self) -> io::Result<()> {
        self.out
            .write_all(if self.first { b"[]\n" } else { b"\n]\n" })?;
        self.out.flush()
    }
}

/// Writes one JSON object per finding, one per line.
pub struct JsonLinesReporter<'w> {
    out: Box<dyn Write + Send + 'w>,
}

impl<'w> JsonLinesReporter<'w> {
    /// A reporter writing to `out`.
    pub fn new(out: Box<dyn Write + Send + 'w>) -> Self {
        JsonLinesReporter { out }
    }
}

impl Reporter for JsonLinesReporter<'_> {
    fn needs(&self) -> Needs {
        Needs::NONE
    }

    fn file(&mut self, path: &str, rows: &[Located]) -> io::Result<()> {
        for row in rows {
            serde_json::to_writer(&mut self.out, &Row::new(path, row))?;
            self.out.write_all(b"\n")?;
        }
        Ok(())
    }

    fn finish(&mut self) -> io::Result<()> {
        self.out.flush()
    }
}
