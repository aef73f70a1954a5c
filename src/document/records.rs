//! Parsing a data file (JSON Lines, CSV, TSV) one record at a time, for a
//! file read as a stream: the record's text, where it starts in the file
//! (byte offset and line), and what the file's earlier records set (a CSV
//! header) give the documents and errors the whole-file parser gives for
//! that record, at the same offsets, lines and record ids — both go through
//! the same per-record code (`jsonl::parse_record`, `csv::header`,
//! `csv::row`). What only the whole file tells (no record has the text
//! field) comes at its end ([`RecordParser::finish`]); what the header
//! tells, with the header.
//!
//! Imports the two record parsers and the shared parser types; knows
//! nothing of how records are cut from a stream or checked.

use super::csv::{self, Header, Read};
use super::format::cap_message;
use super::jsonl::{self, Seen};
use super::parsed::{InputFormat, InputOptions, Parsed};

/// Where a CSV or TSV file stands with its header.
#[derive(Clone, Debug)]
enum HeaderState {
    /// Not read yet (only blank records so far).
    Pending,
    Ready(Header),
    /// Unreadable, or without the text column: no record is read.
    Failed,
}

/// Parses the records of one data file, in file order for its header and
/// in any order (in parallel) after that.
#[derive(Clone, Debug)]
pub struct RecordParser {
    format: InputFormat,
    options: InputOptions,
    header: HeaderState,
    seen: Seen,
}

/// What one record showed of its file, for [`RecordParser::add`].
#[derive(Clone, Debug, Default)]
pub struct RecordSeen(Seen);

impl RecordParser {
    /// A parser for a file of `format`, when it is read record by record
    /// (JSON Lines, CSV, TSV).
    pub fn new(format: InputFormat, options: &InputOptions) -> Option<RecordParser> {
        matches!(
            format,
            InputFormat::Jsonl | InputFormat::Csv | InputFormat::Tsv
        )
        .then(|| RecordParser {
            format,
            options: options.clone(),
            header: HeaderState::Pending,
            seen: Seen::default(),
        })
    }

    /// The field delimiter of a CSV or TSV file; `None` for JSON Lines,
    /// whose records are lines.
    pub fn delimiter(&self) -> Option<u8> {
        match self.format {
            InputFormat::Csv => Some(b','),
            InputFormat::Tsv => Some(b'\t'),
            _ => None,
        }
    }

    /// Whether records must still go through [`RecordParser::header`], one
    /// at a time in file order, before the rest can be parsed.
    pub fn wants_header(&self) -> bool {
        self.delimiter().is_some() && matches!(self.header, HeaderState::Pending)
    }

    /// Reads `record` (starting on 1-based `line`) while the header is
    /// pending: a blank record, the header, or a header that ends the
    /// reading of the file's records. What is wrong with it (errors, or
    /// that it has no text column: `no_text`) comes back as parsed.
    pub fn header(&mut self, record: &str, line: usize) -> Parsed<'static> {
        let mut parsed = Parsed::default();
        let Some(delim) = self.delimiter() else {
            return parsed;
        };
        let (read, _) = csv::header(record, 0, delim, &self.options, line, &mut parsed);
        match read {
            Read::Blank => {}
            Read::Header(h) => self.header = HeaderState::Ready(h),
            Read::Stop => self.header = HeaderState::Failed,
        }
        for e in &mut parsed.errors {
            cap_message(&mut e.message);
        }
        parsed
    }

    /// The documents and errors of one record: its text (line break
    /// included), starting at byte `offset` of the file, on 1-based `line`.
    /// Records after the header may be parsed in any order; what each
    /// showed goes back through [`RecordParser::add`].
    pub fn parse<'a>(
        &self,
        record: &'a str,
        offset: usize,
        line: usize,
    ) -> (Parsed<'a>, RecordSeen) {
        let mut parsed = Parsed::default();
        let mut seen = Seen::default();
        match (&self.header, self.delimiter()) {
            (_, None) => {
                jsonl::parse_record(record, offset, line, &self.options, &mut seen, &mut parsed);
            }
            (HeaderState::Ready(header), Some(delim)) => {
                csv::row(record, 0, delim, header, line, &mut parsed);
                for doc in &mut parsed.documents {
                    doc.shift(offset);
                }
            }
            // Before a header or after a bad one, records are not read.
            (HeaderState::Pending | HeaderState::Failed, Some(_)) => {}
        }
        for e in &mut parsed.errors {
            cap_message(&mut e.message);
        }
        (parsed, RecordSeen(seen))
    }

    /// Whether the text field or column was named by the user (a file
    /// without it is then an error, not a file skipped).
    pub fn text_explicit(&self) -> bool {
        self.options.text_explicit
    }

    /// Adds what a parsed record showed.
    pub fn add(&mut self, seen: &RecordSeen) {
        self.seen.add(&seen.0);
    }

    /// What only the whole file tells, once every record was parsed and
    /// added: errors, or that no record has a text field (`no_text`).
    pub fn finish(&self) -> Parsed<'static> {
        let mut parsed = Parsed::default();
        if self.delimiter().is_none() {
            self.seen.finish(&self.options, &mut parsed);
        }
        parsed
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::document::format::parse;

    /// Every document and error as text: offsets of each segment's text,
    /// record, source and target span, so that two parses compare whole.
    fn shown(parsed: &Parsed<'_>) -> Vec<String> {
        let mut out: Vec<String> = parsed
            .documents
            .iter()
            .map(|d| {
                let segs: Vec<String> = d
                    .segments
                    .iter()
                    .map(|s| {
                        let n = s.text().len();
                        let spans: Vec<_> = (0..=n)
                            .filter(|&i| s.text().is_char_boundary(i))
                            .map(|i| s.original(0..i))
                            .collect();
                        format!("{:?}{spans:?}", s.text())
                    })
                    .collect();
                format!(
                    "{segs:?} {:?} {:?} {:?} {:?}",
                    d.record, d.source, d.target_span, d.keys
                )
            })
            .collect();
        out.extend(parsed.errors.iter().map(|e| format!("{e:?}")));
        out.extend(parsed.no_text.iter().map(|n| format!("no text: {n}")));
        out.sort();
        out
    }

    /// Parses `src` record by record, cut at the given record starts.
    fn streamed(
        src: &str,
        format: InputFormat,
        options: &InputOptions,
        starts: &[usize],
    ) -> Vec<String> {
        let mut parser = RecordParser::new(format, options).expect("a record format");
        let bom = if src.starts_with('\u{FEFF}') { 3 } else { 0 };
        let mut bounds: Vec<usize> = starts.iter().copied().filter(|&s| s > bom).collect();
        bounds.insert(0, bom);
        bounds.push(src.len());
        let mut all = Parsed::default();
        for w in bounds.windows(2) {
            let (a, b) = (w[0], w[1]);
            let line = 1 + src[..a].matches('\n').count();
            if parser.wants_header() {
                let h = parser.header(&src[a..b], line);
                all.errors.extend(h.errors);
                all.no_text = all.no_text.or(h.no_text);
                continue;
            }
            let (parsed, seen) = parser.parse(&src[a..b], a, line);
            parser.add(&seen);
            all.documents.extend(parsed.documents);
            all.errors.extend(parsed.errors);
        }
        let end = parser.finish();
        all.errors.extend(end.errors);
        all.no_text = all.no_text.or(end.no_text);
        shown(&all)
    }

    /// Record starts as the whole-file parser cuts them: JSON Lines at line
    /// breaks; CSV given by the test.
    fn line_starts(src: &str) -> Vec<usize> {
        src.match_indices('\n').map(|(i, _)| i + 1).collect()
    }

    #[test]
    fn jsonl_records_parse_as_in_the_whole_file() {
        let options = InputOptions {
            id_field: Some("id".into()),
            source_field: Some("src".into()),
            ..InputOptions::default()
        };
        for src in [
            "{\"id\": \"a\", \"text\": \"One \\\"two\\\".\", \"src\": \"Un.\"}\n{bad\n\n{\"text\": \"Three.\"}\r\n{\"text\": 4}\n{\"text\": null}",
            "\u{FEFF}{\"text\": \"After a mark.\"}\n",
            "{\"other\": 1}\n{\"other\": 2}\n",
            "",
        ] {
            let whole = shown(&parse(src, InputFormat::Jsonl, &options));
            let parts = streamed(src, InputFormat::Jsonl, &options, &line_starts(src));
            assert_eq!(parts, whole, "{src:?}");
        }
    }

    #[test]
    fn csv_records_parse_as_in_the_whole_file() {
        let options = InputOptions {
            id_column: Some("id".into()),
            ..InputOptions::default()
        };
        let src = "\nid,text\r\n1,\"He said \"\"yes\"\".\"\r\n2,\"open\n\nstill\"\n3,x\"y\"z,extra\n\n4,\"a\"b\n5,plain\n";
        // The records as `csv::record` ends them (the header is on line 2).
        let starts = [1, 10, 32, 48, 62, 63, 70];
        let whole = shown(&parse(src, InputFormat::Csv, &options));
        assert!(whole.len() > 3, "{whole:?}");
        assert_eq!(streamed(src, InputFormat::Csv, &options, &starts), whole);
        // A header without the text column: one error, no record read.
        let src = "id,body\n1,x\n";
        let whole = shown(&parse(src, InputFormat::Csv, &options));
        assert_eq!(streamed(src, InputFormat::Csv, &options, &[8]), whole);
        assert_eq!(whole.len(), 1);
        // A TSV with a mark before its header.
        let src = "\u{FEFF}text\tid\nOne.\t7\n";
        let whole = shown(&parse(src, InputFormat::Tsv, &options));
        assert_eq!(streamed(src, InputFormat::Tsv, &options, &[11]), whole);
    }
}
