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
    let mut offset = 0;
    // Per text field: whether any record has it.
    let mut has_text = vec![false; layout.texts];
    let mut has_id = false;
    let mut records = 0;
    for (n, raw) in src.split_inclusive('\n').enumerate() {
        let at = offset;
        offset += raw.len();
        let line = raw.trim_end_matches(['\n', '\r']);
        if line.trim().is_empty() {
            continue;
        }
        records += 1;
        let line_no = n + 1;
        if let Err(e) = serde_json::from_str::<serde::de::IgnoredAny>(line) {
            parsed.errors.push(RecordError {
                line: line_no,
                message: format!("malformed JSON: {e}"),
            });
            continue;
        }
        find_paths(line, &layout.paths, &mut found);
        let mut segments = Vec::new();
        let mut target_span = None;
        let mut bad = None;
        for (k, name) in layout.paths[..layout.texts].iter().enumerate() {
            let Some(field) = found[k].clone() else {
                continue;
            };
            has_text[k] = true;
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
            continue;
        }
        let Some(target_span) = target_span else {
            continue;
        };
        let value = |k: usize| found[k].clone().and_then(|r| scalar(&line[r]));
        let id = layout.ids.clone().find_map(value);
        has_id |= id.is_some();
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
    if records > 0 {
        let missing: Vec<&str> = layout.paths[..layout.texts]
            .iter()
            .zip(&has_text)
            .filter(|(_, has)| !**has)
            .map(|(name, _)| *name)
            .collect();
        if missing.len() == layout.texts {
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
        if let (Some(id), false) = (&options.id_field, has_id) {
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
    parsed
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
