//! Reporters: everything that turns findings into output. Positions (line and
//! column) are computed here from the original bytes, never by rules.

mod csv;

use std::io::{self, Write};

use crate::finding::Finding;

pub use self::csv::CsvReporter;

/// A finding with its human position and the original text it covers.
#[derive(Clone, Debug)]
pub struct Located {
    /// The finding, with its byte span.
    pub finding: Finding,
    /// 1-based line of the first byte.
    pub line: usize,
    /// 1-based column of the first byte, in Unicode scalar values.
    pub column: usize,
    /// 1-based line of the end position (the byte after the span).
    pub end_line: usize,
    /// 1-based column of the end position, exclusive, in Unicode scalar values.
    pub end_column: usize,
    /// The original text of the span (invalid UTF-8 shown as U+FFFD).
    pub matched: String,
}

/// Byte offsets of line starts, for turning byte offsets into line and column.
struct LineIndex<'a> {
    bytes: &'a [u8],
    starts: Vec<usize>,
}

impl<'a> LineIndex<'a> {
    fn new(bytes: &'a [u8]) -> Self {
        let mut starts = vec![0];
        starts.extend(memchr::memchr_iter(b'\n', bytes).map(|i| i + 1));
        LineIndex { bytes, starts }
    }

    /// 1-based (line, column) of byte `offset`; the column counts chars, where
    /// each byte that does not continue a UTF-8 sequence starts one.
    fn position(&self, offset: usize) -> (usize, usize) {
        let offset = offset.min(self.bytes.len());
        let line = self.starts.partition_point(|&s| s <= offset);
        let start = self.starts[line - 1];
        let column = self.bytes[start..offset]
            .iter()
            .filter(|&&b| (b & 0xC0) != 0x80)
            .count()
            + 1;
        (line, column)
    }
}

/// Adds positions and matched text to findings of one file.
pub fn locate(bytes: &[u8], findings: Vec<Finding>) -> Vec<Located> {
    if findings.is_empty() {
        return Vec::new();
    }
    let index = LineIndex::new(bytes);
    findings
        .into_iter()
        .map(|finding| {
            let span = finding.span.start.min(bytes.len())..finding.span.end.min(bytes.len());
            let (line, column) = index.position(span.start);
            let (end_line, end_column) = index.position(span.end);
            let matched = String::from_utf8_lossy(&bytes[span]).into_owned();
            Located {
                finding,
                line,
                column,
                end_line,
                end_column,
                matched,
            }
        })
        .collect()
}

/// Output formats.
#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub enum Format {
    /// One row per finding, RFC 4180 (the default).
    Csv,
}

/// Writes findings in one format. Files arrive sorted by path, each file's
/// findings sorted by byte offset then rule id.
pub trait Reporter {
    /// Reports the findings of one file (called for files without findings too).
    fn file(&mut self, path: &str, rows: &[Located]) -> io::Result<()>;
    /// Writes anything still buffered.
    fn finish(&mut self) -> io::Result<()>;
}

/// A reporter of `format` writing to `out`.
pub fn reporter<'w>(
    format: Format,
    out: Box<dyn Write + 'w>,
) -> io::Result<Box<dyn Reporter + 'w>> {
    match format {
        Format::Csv => Ok(Box::new(CsvReporter::new(out)?)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn positions_count_chars_not_bytes() {
        let text = "ab\n“cé”\nx";
        let index = LineIndex::new(text.as_bytes());
        assert_eq!(index.position(0), (1, 1));
        assert_eq!(index.position(3), (2, 1));
        let e = text.find('”').unwrap();
        assert_eq!(index.position(e), (2, 4));
        assert_eq!(index.position(text.len()), (3, 2));
        assert_eq!(index.position(2), (1, 3));
    }
}
