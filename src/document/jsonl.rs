//! JSON Lines input: each line a record; the text field (a dotted path) is
//! the document's prose, an id field names the record, an optional source
//! field feeds the source↔target rules. Knows nothing of rules or reporters;
//! imports only the parsers' shared types (`parsed`), `Document`, `Segment`,
//! the segment builder and the JSON helpers (`json`).

use std::ops::Range;

use super::json::{decode_str, find_paths, push_string};
use super::parsed::{DEFAULT_ID_FIELDS, InputOptions, Parsed, RecordError};
use super::{Container, Document, RecordKeys, Segment, SegmentBuilder};

/// Where each looked-up field sits in the list handed to [`find_paths`]:
/// text fields first, then the id (one named, or the default candidates),
/// the source, the group candidates and the date.
struct Layout<'o> {
    paths: Vec<&'o str>,
    texts: usize,
    ids: Range<usize>,
    source: Option<usize>,
    groups: Range<usize>,
    date: Option<usize>,
}

impl<'o> Layout<'o> {
    fn new(options: &'o InputOptions) -> Self {
        let mut paths: Vec<&str> = options.text_fields().collect();
        let texts = paths.len();
        let at = paths.len();
        match &options.id_field {
            Some(id) => paths.push(id),
            None => paths.extend(DEFAULT_ID_FIELDS),
        }
        let ids = at..paths.len();
        let source = options.source_field.as_deref().map(|s| {
            paths.push(s);
            paths.len() - 1
        });
        let at = paths.len();
        paths.extend(options.keys.group.iter().map(String::as_str));
        let groups = at..paths.len();
        let date = options.keys.date.as_deref().map(|d| {
            paths.push(d);
            paths.len() - 1
        });
        Layout {
            paths,
            texts,
            ids,
            source,
            groups,
            date,
        }
    }
}

/// The value of a string or number literal as a key (ids, group values,
/// dates); `None` for null, objects and arrays.
fn scalar(lit: &str) -> Option<String> {
    match lit.as_bytes().first()? {
        b'"' => Some(decode_str(lit)),
        b'{' | b'[' | b'n' => None,
        _ => Some(lit.to_string()),
    }
}

/// The documents of a JSON Lines file, one per record with a text field;
/// each text field of a record is a segment of its own.
pub(crate) fn parse<'a>(src: &'a str, options: &InputOptions) -> Parsed<'a> {
    let mut parsed = Parsed::default();
    let layout = Layout::new(options);
    let mut found = Vec::new();
    let mut seen = Seen::default();
    let mut offset = 0;
    for (n, raw) in src.split_inclusive('\n').enumerate() {
        let at = offset;
        offset += raw.len();
        parse_line(raw, at, n + 1, &layout, &mut found, &mut seen, &mut parsed);
    }
    seen.finish(options, &mut parsed);
    parsed
}

/// What the records of a file showed, for what only the whole file tells
/// (no record has a text field, or the id field named); added up over the
/// records, in any order.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub(crate) struct Seen {
    /// Records (lines not blank).
    records: usize,
    /// Per text field: whether any record has it (empty: none seen yet).
    has_text: Vec<bool>,
    /// Whether any record has an id.
    has_id: bool,
}

impl Seen {
    /// What `self` and `other` showed together.
    pub(crate) fn add(&mut self, other: &Seen) {
        self.records += other.records;
        if self.has_text.len() < other.has_text.len() {
            self.has_text.resize(other.has_text.len(), false);
        }
        for (mine, theirs) in self.has_text.iter_mut().zip(&other.has_text) {
            *mine |= theirs;
        }
        self.has_id |= other.has_id;
    }

    /// Adds to `parsed` what only the whole file tells, once every record
    /// was seen: the errors, or that no record has a text field.
    pub(crate) fn finish(&self, options: &InputOptions, parsed: &mut Parsed<'_>) {
        if self.records == 0 {
            return;
        }
        let names: Vec<&str> = options.text_fields().collect();
        let missing: Vec<&str> = names
            .iter()
            .enumerate()
            .filter(|&(k, _)| !self.has_text.get(k).copied().unwrap_or(false))
            .map(|(_, name)| *name)
            .collect();
        if missing.len() == names.len() {
            parsed.no_text = Some(format!(
                "no record has the field {} (set it with --text-field)",
                quoted(&missing)
            ));
        } else {
            for name in missing {
                parsed.errors.push(RecordError {
                    line: 1,
                    message: format!("no record has the text field `{name}` (--text-field)"),
                });
            }
        }
        if let (Some(id), false) = (&options.id_field, self.has_id) {
            if parsed.no_text.is_none() {
                parsed.errors.push(RecordError {
                    line: 1,
                    message: format!(
                        "no record has the id field `{id}` (set it with --id-field); records are named by their line number"
                    ),
                });
            }
        }
    }
}

/// Parses one line of a JSON Lines file (`raw`, its line break included)
/// on its own, as [`parse`] does within the file: the line starts at byte
/// `at` of the file, on 1-based line `line_no`.
pub(crate) fn parse_record<'a>(
    raw: &'a str,
    at: usize,
    line_no: usize,
    options: &InputOptions,
    seen: &mut Seen,
    parsed: &mut Parsed<'a>,
) {
    let layout = Layout::new(options);
    let mut found = Vec::new();
    parse_line(raw, at, line_no, &layout, &mut found, seen, parsed);
}

/// Parses one line (`raw`, its line break included) that starts at byte
/// `at` of the file, on 1-based line `line_no`: its document or error goes
/// to `parsed`, what it shows of the file to `seen`. `found` is scratch
/// space for the fields' ranges.
fn parse_line<'a>(
    raw: &'a str,
    at: usize,
    line_no: usize,
    layout: &Layout<'_>,
    found: &mut Vec<Option<Range<usize>>>,
    seen: &mut Seen,
    parsed: &mut Parsed<'a>,
) {
    let line = raw.trim_end_matches(['\n', '\r']);
    if line.trim().is_empty() {
        return;
    }
    seen.records += 1;
    if seen.has_text.len() < layout.texts {
        seen.has_text.resize(layout.texts, false);
    }
    if let Err(e) = serde_json::from_str::<serde::de::IgnoredAny>(line) {
        parsed.errors.push(RecordError {
            line: line_no,
            message: format!("malformed JSON: {e}"),
        });
        return;
    }
    find_paths(line, &layout.paths, found);
    let mut segments = Vec::new();
    let mut target_span = None;
    let mut bad = None;
    for (k, name) in layout.paths[..layout.texts].iter().enumerate() {
        let Some(field) = found[k].clone() else {
            continue;
        };
        seen.has_text[k] = true;
        let lit = &line[field.clone()];
        if lit == "null" {
            continue;
        }
        if !lit.starts_with('"') {
            bad.get_or_insert(format!("field `{name}` is not a string"));
            continue;
        }
        target_span.get_or_insert(at + field.start..at + field.end);
        let inner = &lit[1..lit.len().saturating_sub(1).max(1)];
        let segment = if memchr::memchr(b'\\', inner.as_bytes()).is_none() {
            // No escape: the text is the file's own bytes, not a copy (a
            // 500 MB record is not held twice).
            Some(Segment::verbatim(inner, at + field.start + 1))
                .filter(|_| !inner.trim().is_empty())
        } else {
            let mut b = SegmentBuilder::new();
            push_string(&mut b, lit, at + field.start);
            b.take()
        };
        segments.extend(segment.map(|s| s.in_container(Container::Json)));
    }
    if let Some(message) = bad {
        parsed.errors.push(RecordError {
            line: line_no,
            message,
        });
        return;
    }
    let Some(target_span) = target_span else {
        return;
    };
    let value = |k: usize| found[k].clone().and_then(|r| scalar(&line[r]));
    let id = layout.ids.clone().find_map(value);
    seen.has_id |= id.is_some();
    let record = id.unwrap_or_else(|| line_no.to_string());
    let source = layout
        .source
        .and_then(|k| found[k].clone())
        .map(|r| &line[r])
        .filter(|lit| lit.starts_with('"'))
        .map(decode_str);
    parsed.documents.push(Document {
        segments,
        record: Some(record),
        source,
        target_span: Some(target_span),
        keys: RecordKeys {
            group: layout.groups.clone().find_map(value),
            date: layout.date.and_then(value),
        },
        language: None,
    });
}

/// `a`, or `a` or `b`, as messages name fields.
pub(crate) fn quoted(names: &[&str]) -> String {
    let names: Vec<String> = names.iter().map(|n| format!("`{n}`")).collect();
    match names.as_slice() {
        [] => String::new(),
        [one] => one.clone(),
        [rest @ .., last] => format!("{} or {last}", rest.join(", ")),
    }
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
