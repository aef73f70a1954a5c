//! CSV and TSV input (RFC 4180 quoting, a header row naming the columns):
//! each row a record, the text column its prose. Fields are scanned here,
//! not by the csv crate, because findings need each field's byte offsets.
//! Knows nothing of rules, reporters or the other formats; imports only the
//! parsers' shared types (`parsed`), `Document`, `Segment` and the segment
//! builder.

use std::ops::Range;

use super::parsed::{DEFAULT_ID_FIELDS, InputOptions, Parsed, RecordError};
use super::{Container, Document, RecordKeys, Segment, SegmentBuilder};

/// One field: its raw bytes (quotes included) and whether it was quoted.
#[derive(Clone, Debug, PartialEq, Eq)]
struct Field {
    range: Range<usize>,
    quoted: bool,
}

/// Reads the record at `pos`: its fields and where the next one starts, or
/// an error and where reading can resume.
fn record(src: &str, mut pos: usize, delim: u8) -> (Result<Vec<Field>, String>, usize) {
    let b = src.as_bytes();
    let mut fields = Vec::new();
    loop {
        if b.get(pos) == Some(&b'"') {
            let mut j = pos + 1;
            let close = loop {
                match memchr::memchr(b'"', &b[j.min(b.len())..]) {
                    None => return (Err("unterminated quoted field".into()), b.len()),
                    Some(k) if b.get(j + k + 1) == Some(&b'"') => j += k + 2,
                    Some(k) => break j + k,
                }
            };
            fields.push(Field {
                range: pos..close + 1,
                quoted: true,
            });
            pos = close + 1;
            match b.get(pos) {
                Some(&c) if c == delim => pos += 1,
                None => return (Ok(fields), pos),
                Some(b'\n') => return (Ok(fields), pos + 1),
                Some(b'\r') if b.get(pos + 1) == Some(&b'\n') => return (Ok(fields), pos + 2),
                Some(_) => {
                    let next = memchr::memchr(b'\n', &b[pos..]).map_or(b.len(), |k| pos + k + 1);
                    return (Err("text after a closing quote".into()), next);
                }
            }
        } else {
            let end = b[pos..]
                .iter()
                .position(|&c| c == delim || c == b'\n')
                .map_or(b.len(), |k| pos + k);
            let mut content_end = end;
            if end > pos && b[end - 1] == b'\r' && b.get(end) != Some(&delim) {
                content_end -= 1;
            }
            fields.push(Field {
                range: pos..content_end,
                quoted: false,
            });
            match b.get(end) {
                Some(&c) if c == delim => pos = end + 1,
                Some(_) => return (Ok(fields), end + 1),
                None => return (Ok(fields), end),
            }
        }
    }
}

/// The value of a field, pushed to `b` with its map (`""` is one quote).
fn push_field(b: &mut SegmentBuilder<'_>, src: &str, field: &Field) {
    if !field.quoted {
        b.verbatim(&src[field.range.clone()], field.range.start);
        return;
    }
    let start = field.range.start + 1;
    let end = field.range.end.saturating_sub(1).max(start);
    let inner = &src[start..end];
    // Quotes inside come in doubled pairs (see `record`): each pair is one
    // byte of text less and one run more (the replaced quote's end marker,
    // which the verbatim text after it extends). Counting quotes, not
    // pairs, reserved twice the runs a field needs.
    let pairs = memchr::memchr_iter(b'"', inner.as_bytes()).count() / 2;
    b.reserve(inner.len() - pairs, pairs + 2);
    let mut plain = 0;
    for (k, _) in inner.match_indices("\"\"") {
        if k < plain {
            continue;
        }
        b.verbatim(&inner[plain..k], start + plain);
        b.replaced("\"", start + k..start + k + 2);
        plain = k + 2;
    }
    b.verbatim(&inner[plain..], start + plain);
}

/// The value of a field as a segment borrowing `src`, when it is the
/// field's bytes as they are (no doubled quote inside).
fn borrowed<'a>(src: &'a str, field: &Field) -> Option<Segment<'a>> {
    if !field.quoted {
        return Some(Segment::verbatim(
            &src[field.range.clone()],
            field.range.start,
        ));
    }
    let start = field.range.start + 1;
    let end = field.range.end.saturating_sub(1).max(start);
    let inner = &src[start..end];
    memchr::memchr(b'"', inner.as_bytes())
        .is_none()
        .then(|| Segment::verbatim(inner, start))
}

fn value(src: &str, field: &Field) -> String {
    let mut b = SegmentBuilder::new();
    push_field(&mut b, src, field);
    b.text().to_string()
}

/// The documents of a CSV (or TSV, `delim` = tab) file, one per data row.
pub(crate) fn parse<'a>(src: &'a str, delim: u8, options: &InputOptions) -> Parsed<'a> {
    let mut parsed = Parsed::default();
    let mut lines = super::parsed::LineCounter::new(src);
    let mut pos = 0;
    // The header: the first record.
    let header = loop {
        if pos >= src.len() {
            return parsed;
        }
        let line = lines.line(pos);
        let (read, next) = header(src, pos, delim, options, line, &mut parsed);
        pos = next;
        match read {
            Read::Blank => continue,
            Read::Header(h) => break h,
            Read::Stop => return parsed,
        }
    };
    while pos < src.len() {
        let line = lines.line(pos);
        pos = row(src, pos, delim, &header, line, &mut parsed);
    }
    parsed
}

/// The columns of a file's header that its records are read by.
#[derive(Clone, Debug)]
pub(crate) struct Header {
    /// Fields in the header.
    width: usize,
    text: Vec<usize>,
    id: Option<usize>,
    source: Option<usize>,
    group: Option<usize>,
    date: Option<usize>,
}

/// What the first records of a file are, until one is the header.
#[derive(Debug)]
pub(crate) enum Read {
    /// An empty record: the header comes later.
    Blank,
    /// The header.
    Header(Header),
    /// The header could not be read, or names none of the text columns: no
    /// record of the file is read.
    Stop,
}

/// Reads the record at `pos` of `src`, on 1-based `line`, as the header:
/// what it is, and where the next record starts. What is wrong with it
/// goes to `parsed` (errors, or that no text column is there).
pub(crate) fn header(
    src: &str,
    pos: usize,
    delim: u8,
    options: &InputOptions,
    line: usize,
    parsed: &mut Parsed<'_>,
) -> (Read, usize) {
    let (fields, next) = record(src, pos, delim);
    let header = match fields {
        Ok(f) if f.len() == 1 && f[0].range.is_empty() => return (Read::Blank, next),
        Ok(f) => f.iter().map(|f| value(src, f)).collect::<Vec<_>>(),
        Err(message) => {
            parsed.errors.push(RecordError { line, message });
            return (Read::Stop, next);
        }
    };
    let column = |name: &str| header.iter().position(|h| h.trim() == name);
    let names: Vec<&str> = options.text_columns().collect();
    let text_cols: Vec<usize> = names.iter().filter_map(|n| column(n)).collect();
    let missing: Vec<&str> = names
        .iter()
        .copied()
        .filter(|n| column(n).is_none())
        .collect();
    if text_cols.is_empty() {
        parsed.no_text = Some(format!(
            "no column {} in the header (set it with --text-column)",
            super::jsonl::quoted(&missing)
        ));
        return (Read::Stop, next);
    }
    for name in missing {
        parsed.errors.push(RecordError {
            line: 1,
            message: format!("no column `{name}` in the header (--text-column)"),
        });
    }
    let id_col = match options.id_column.as_deref() {
        Some(name) => {
            let col = column(name);
            if col.is_none() {
                parsed.errors.push(RecordError {
                    line: 1,
                    message: format!(
                        "no column `{name}` in the header (set it with --id-column); records are named by their line number"
                    ),
                });
            }
            col
        }
        None => DEFAULT_ID_FIELDS.iter().find_map(|n| column(n)),
    };
    let header = Header {
        width: header.len(),
        text: text_cols,
        id: id_col,
        source: options.source_column.as_deref().and_then(column),
        group: options.keys.group.iter().find_map(|n| column(n)),
        date: options.keys.date.as_deref().and_then(column),
    };
    (Read::Header(header), next)
}

/// Reads the data record at `pos` of `src`, on 1-based `line`, into
/// `parsed` (its document, or its error); returns where the next starts.
pub(crate) fn row<'a>(
    src: &'a str,
    pos: usize,
    delim: u8,
    header: &Header,
    line: usize,
    parsed: &mut Parsed<'a>,
) -> usize {
    let (fields, next) = record(src, pos, delim);
    let fields = match fields {
        Ok(f) if f.len() == 1 && f[0].range.is_empty() => return next,
        Ok(f) if f.len() != header.width => {
            parsed.errors.push(RecordError {
                line,
                message: format!("{} fields where the header has {}", f.len(), header.width),
            });
            return next;
        }
        Ok(f) => f,
        Err(message) => {
            parsed.errors.push(RecordError { line, message });
            return next;
        }
    };
    let mut segments = Vec::with_capacity(header.text.len());
    for &col in &header.text {
        let field = &fields[col];
        let segment = match borrowed(src, field) {
            // No doubled quote: the text is the file's own bytes, not a copy.
            Some(seg) => Some(seg).filter(|s| !s.text().trim().is_empty()),
            None => {
                let mut b = SegmentBuilder::new();
                push_field(&mut b, src, field);
                b.take()
            }
        };
        segments.extend(segment.map(|s| s.in_container(Container::Csv { delimiter: delim })));
    }
    let cell = |c: usize| Some(value(src, &fields[c])).filter(|v| !v.trim().is_empty());
    parsed.documents.push(Document {
        segments,
        record: Some(header.id.and_then(cell).unwrap_or_else(|| line.to_string())),
        source: header.source.map(|c| value(src, &fields[c])),
        target_span: Some(fields[header.text[0]].range.clone()),
        keys: RecordKeys {
            group: header.group.and_then(cell),
            date: header.date.and_then(cell),
        },
        language: None,
    });
    next
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fields_quotes_and_bad_rows() {
        let src = "id,text\r\n1,\"He said \"\"yes\"\".\"\r\n2,\"open\n\nstill\"\n3,x\"y\"z,extra\n4,\"a\"b\n5,plain\n";
        let options = InputOptions {
            id_column: Some("id".into()),
            ..InputOptions::default()
        };
        let parsed = parse(src, b',', &options);
        let texts: Vec<&str> = parsed
            .documents
            .iter()
            .map(|d| d.segments[0].text())
            .collect();
        assert_eq!(texts, ["He said \"yes\".", "open\n\nstill", "plain"]);
        assert_eq!(parsed.documents[2].record.as_deref(), Some("5"));
        let lines: Vec<usize> = parsed.errors.iter().map(|e| e.line).collect();
        assert_eq!(lines, [6, 7]);
        let seg = &parsed.documents[0].segments[0];
        assert_eq!(&src[seg.original(8..9)], "\"\"");
    }
}
