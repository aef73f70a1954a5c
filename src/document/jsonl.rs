//! JSON Lines input: each line a record; the text field (a dotted path) is
//! the document's prose, an id field names the record, an optional source
//! field feeds the source↔target rules. Knows nothing of rules or reporters;
//! imports only the parsers' shared types (`parsed`), `Document`, `Segment`,
//! the segment builder and the JSON helpers (`json`).

use super::json::{decode_str, find_path, push_string};
use super::parsed::{InputOptions, Parsed, RecordError};
use super::{Container, Document, Segment, SegmentBuilder};

/// The documents of a JSON Lines file, one per record with a text field.
pub(crate) fn parse<'a>(src: &'a str, options: &InputOptions) -> Parsed<'a> {
    let mut parsed = Parsed::default();
    let mut seen = Seen::default();
    let mut offset = 0;
    for (n, raw) in src.split_inclusive('\n').enumerate() {
        let at = offset;
        offset += raw.len();
        parse_line(raw, at, n + 1, options, &mut seen, &mut parsed);
    }
    parsed.errors.extend(seen.errors(options));
    parsed
}

/// What the records of a file showed, for what only the whole file tells
/// (no record has the text field); added up over the records, in any order.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub(crate) struct Seen {
    /// Records (lines not blank).
    records: usize,
    /// Whether any record has the text field.
    any_text: bool,
}

impl Seen {
    /// What `self` and `other` showed together.
    pub(crate) fn add(&mut self, other: Seen) {
        self.records += other.records;
        self.any_text |= other.any_text;
    }

    /// The errors of the whole file, once every record was seen.
    pub(crate) fn errors(&self, options: &InputOptions) -> Vec<RecordError> {
        if self.records > 0 && !self.any_text {
            return vec![RecordError {
                line: 1,
                message: format!(
                    "no record has the field `{}` (set it with --text-field)",
                    options.text_field
                ),
            }];
        }
        Vec::new()
    }
}

/// Parses one line of a JSON Lines file (`raw`, its line break included),
/// which starts at byte `at` of the file, on 1-based line `line_no`: its
/// document or error goes to `parsed`, what it shows of the file to `seen`.
pub(crate) fn parse_line<'a>(
    raw: &'a str,
    at: usize,
    line_no: usize,
    options: &InputOptions,
    seen: &mut Seen,
    parsed: &mut Parsed<'a>,
) {
    let line = raw.trim_end_matches(['\n', '\r']);
    if line.trim().is_empty() {
        return;
    }
    seen.records += 1;
    if let Err(e) = serde_json::from_str::<serde::de::IgnoredAny>(line) {
        parsed.errors.push(RecordError {
            line: line_no,
            message: format!("malformed JSON: {e}"),
        });
        return;
    }
    let Some(field) = find_path(line, &options.text_field) else {
        return;
    };
    seen.any_text = true;
    let lit = &line[field.clone()];
    if lit == "null" {
        return;
    }
    if !lit.starts_with('"') {
        parsed.errors.push(RecordError {
            line: line_no,
            message: format!("field `{}` is not a string", options.text_field),
        });
        return;
    }
    let inner = &lit[1..lit.len().saturating_sub(1).max(1)];
    let segment = if memchr::memchr(b'\\', inner.as_bytes()).is_none() {
        // No escape: the text is the file's own bytes, not a copy (a
        // 500 MB record is not held twice).
        Some(Segment::verbatim(inner, at + field.start + 1)).filter(|_| !inner.trim().is_empty())
    } else {
        let mut b = SegmentBuilder::new();
        push_string(&mut b, lit, at + field.start);
        b.take()
    };
    let record = match options.id_field.as_deref().and_then(|p| find_path(line, p)) {
        Some(r) if line[r.clone()].starts_with('"') => decode_str(&line[r]),
        Some(r) => line[r].to_string(),
        None => line_no.to_string(),
    };
    let source = options
        .source_field
        .as_deref()
        .and_then(|p| find_path(line, p))
        .map(|r| &line[r])
        .filter(|lit| lit.starts_with('"'))
        .map(decode_str);
    parsed.documents.push(Document {
        segments: segment
            .map(|s| s.in_container(Container::Json))
            .into_iter()
            .collect(),
        record: Some(record),
        source,
        target_span: Some(at + field.start..at + field.end),
    });
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn records_ids_and_errors() {
        let src =
            "{\"id\": \"a\", \"text\": \"One \\\"two\\\".\"}\n{bad\n\n{\"text\": \"Three.\"}\n";
        let options = InputOptions {
            id_field: Some("id".into()),
            ..InputOptions::default()
        };
        let parsed = parse(src, &options);
        assert_eq!(parsed.documents.len(), 2);
        assert_eq!(parsed.documents[0].record.as_deref(), Some("a"));
        assert_eq!(parsed.documents[0].segments[0].text(), "One \"two\".");
        assert_eq!(parsed.documents[1].record.as_deref(), Some("4"));
        assert_eq!(parsed.errors.len(), 1);
        assert_eq!(parsed.errors[0].line, 2);
        let seg = &parsed.documents[0].segments[0];
        assert_eq!(&src[seg.original(4..5)], "\\\"");
    }

    /// A field nested far deeper than serde_json's recursion limit (128)
    /// before the text field: the record is still checked, not dropped.
    #[test]
    fn deep_records_are_read() {
        for depth in [300, 100_000] {
            let deep = format!(
                "{{\"meta\": {}1{}, \"x\": {}\"]}}\"{}, \"text\": \"Deep.\"}}\n",
                "[".repeat(depth),
                "]".repeat(depth),
                "{\"a\":".repeat(depth),
                "}".repeat(depth),
            );
            let src = format!("{{\"text\": \"First.\"}}\n{deep}");
            let parsed = parse(&src, &InputOptions::default());
            assert!(
                parsed.errors.is_empty(),
                "depth {depth}: {:?}",
                parsed.errors
            );
            let texts: Vec<&str> = parsed
                .documents
                .iter()
                .map(|d| d.segments[0].text())
                .collect();
            assert_eq!(texts, ["First.", "Deep."], "depth {depth}");
        }
    }
}
