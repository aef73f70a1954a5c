//! Plain text input: the file's valid UTF-8 runs become segments; invalid
//! byte sequences are reported rather than silently replaced. Also holds what
//! the engine and the other formats share about raw bytes (binary sniffing,
//! decoding with substitutes, the segment size cap and the parts long texts
//! are cut into); knows nothing of rules, reporters or the other formats, and
//! imports only `Document` and `Segment`.

use std::borrow::Cow;
use std::ops::Range;

use super::{Document, Segment};

/// Bytes inspected for a NUL when deciding whether a file is binary.
pub const BINARY_SNIFF_BYTES: usize = 8 * 1024;

/// A segment longer than this is split at a paragraph or line boundary, so
/// token offsets fit in `u32` and big files do not need one huge analysis.
pub(crate) const MAX_SEGMENT_BYTES: usize = 256 * 1024;

/// A file whose first bytes hold a NUL byte is treated as binary, as ripgrep and git do.
pub fn looks_binary(bytes: &[u8]) -> bool {
    memchr::memchr(0, &bytes[..bytes.len().min(BINARY_SNIFF_BYTES)]).is_some()
}

/// Where a file stops being valid UTF-8.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct InvalidUtf8 {
    /// Byte range of the first invalid sequence.
    pub first: Range<usize>,
    /// Number of invalid sequences in the file.
    pub count: usize,
}

/// Stands in for each invalid byte: U+001A SUBSTITUTE is one byte long, so
/// text offsets stay equal to file offsets, and it is neither a letter, a
/// space nor sentence punctuation, so no rule reads it as prose.
const SUBSTITUTE: u8 = 0x1A;

/// Builds the document of a plain-text file and reports invalid UTF-8, if any.
pub fn plain_text(bytes: &[u8]) -> (Document<'_>, Option<InvalidUtf8>) {
    let mut doc = Document::default();
    // A byte-order mark is not prose.
    let start = if bytes.starts_with(b"\xEF\xBB\xBF") {
        3
    } else {
        0
    };
    let body = &bytes[start..];
    match std::str::from_utf8(body) {
        Ok(text) => push_chunks(&mut doc, text, start, Cow::Borrowed),
        Err(_) => {
            let (repaired, invalid) = substitute_invalid(body, start);
            push_chunks(&mut doc, &repaired, start, |s| Cow::Owned(s.to_string()));
            return (doc, Some(invalid));
        }
    }
    (doc, None)
}

/// The file as text for the structured formats: borrowed when it is UTF-8,
/// else with every invalid byte replaced by one substitute byte, so offsets
/// into the text are offsets into the file.
pub fn decode(bytes: &[u8]) -> (Cow<'_, str>, Option<InvalidUtf8>) {
    match std::str::from_utf8(bytes) {
        Ok(text) => (Cow::Borrowed(text), None),
        Err(_) => {
            let (text, invalid) = substitute_invalid(bytes, 0);
            (Cow::Owned(text), Some(invalid))
        }
    }
}

/// Replaces every byte of every invalid sequence with [`SUBSTITUTE`].
pub fn substitute_invalid(body: &[u8], base: usize) -> (String, InvalidUtf8) {
    let mut owned = body.to_vec();
    let mut first: Option<Range<usize>> = None;
    let mut count = 0;
    let mut pos = 0;
    while pos < owned.len() {
        match std::str::from_utf8(&owned[pos..]) {
            Ok(_) => break,
            Err(e) => {
                let bad = pos + e.valid_up_to();
                let len = e.error_len().unwrap_or(owned.len() - bad);
                first.get_or_insert(base + bad..base + bad + len);
                count += 1;
                owned[bad..bad + len].fill(SUBSTITUTE);
                pos = bad + len;
            }
        }
    }
    let text = String::from_utf8(owned)
        .unwrap_or_else(|e| String::from_utf8_lossy(e.as_bytes()).into_owned());
    (
        text,
        InvalidUtf8 {
            first: first.unwrap_or(base..base),
            count,
        },
    )
}

fn push_chunks<'a, 't>(
    doc: &mut Document<'a>,
    text: &'t str,
    base: usize,
    make: impl Fn(&'t str) -> Cow<'a, str>,
) {
    if text.is_empty() {
        return;
    }
    for part in part_ranges(text) {
        doc.segments.push(Segment::verbatim(
            make(&text[part.clone()]),
            base + part.start,
        ));
    }
}

/// The parts a text longer than [`MAX_SEGMENT_BYTES`] is checked in, each
/// at most that long, cut as [`split_point`] says: by the text alone, so the
/// same for any number of threads. One part for a shorter text.
pub(crate) fn part_ranges(text: &str) -> Vec<Range<usize>> {
    let mut parts = Vec::with_capacity(text.len() / MAX_SEGMENT_BYTES + 1);
    let mut start = 0;
    while text.len() - start > MAX_SEGMENT_BYTES {
        let cut = start + split_point(&text[start..], MAX_SEGMENT_BYTES);
        parts.push(start..cut);
        start = cut;
    }
    if start < text.len() || parts.is_empty() {
        parts.push(start..text.len());
    }
    parts
}

/// A cut at or before `limit`: after a blank line if there is one in the
/// second half, else after a newline, else after a sentence end (". "), else
/// after a space, else at a char boundary — so a long line is not cut inside
/// a sentence or a word when it can be helped.
fn split_point(text: &str, limit: usize) -> usize {
    let window = &text.as_bytes()[limit / 2..limit];
    let after = |i: usize, len: usize| limit / 2 + i + len;
    if let Some(i) = memchr::memmem::rfind(window, b"\n\n") {
        return after(i, 2);
    }
    if let Some(i) = memchr::memrchr(b'\n', window) {
        return after(i, 1);
    }
    if let Some(i) = memchr::memmem::rfind(window, b". ") {
        return after(i, 2);
    }
    if let Some(i) = memchr::memrchr2(b' ', b'\t', window) {
        return after(i, 1);
    }
    let mut cut = limit;
    while !text.is_char_boundary(cut) {
        cut -= 1;
    }
    cut
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn valid_text_is_one_segment_at_zero() {
        let (doc, bad) = plain_text(b"Hello world.");
        assert_eq!(bad, None);
        assert_eq!(doc.segments.len(), 1);
        assert_eq!(doc.segments[0].text(), "Hello world.");
        assert_eq!(doc.segments[0].original(0..5), 0..5);
    }

    #[test]
    fn invalid_bytes_are_substituted_in_place() {
        let (doc, bad) = plain_text(b"ab\xFFcd\xC3(ef");
        let bad = bad.expect("invalid utf-8 reported");
        assert_eq!(bad.first, 2..3);
        assert_eq!(bad.count, 2);
        assert_eq!(doc.segments.len(), 1);
        assert_eq!(doc.segments[0].text(), "ab\u{1A}cd\u{1A}(ef");
        assert_eq!(doc.segments[0].original(6..9), 6..9);
    }

    #[test]
    fn bom_is_skipped_but_offsets_count_it() {
        let (doc, _) = plain_text("\u{FEFF}Hi".as_bytes());
        assert_eq!(doc.segments[0].text(), "Hi");
        assert_eq!(doc.segments[0].original(0..2), 3..5);
    }

    #[test]
    fn truncated_sequence_at_end_is_reported() {
        let (doc, bad) = plain_text(b"ok\xE2\x80");
        assert_eq!(bad.map(|b| b.first), Some(2..4));
        assert_eq!(doc.segments.len(), 1);
    }

    #[test]
    fn long_text_is_split_at_paragraphs() {
        let para = "word ".repeat(50) + "\n\n";
        let text = para.repeat(MAX_SEGMENT_BYTES / para.len() + 10);
        let (doc, _) = plain_text(text.as_bytes());
        assert!(doc.segments.len() >= 2);
        let joined: String = doc.segments.iter().map(|s| s.text()).collect();
        assert_eq!(joined, text);
        assert!(doc.segments[0].text().ends_with("\n\n"));
        assert_eq!(
            doc.segments[1].original(0..0).start,
            doc.segments[0].text().len()
        );
    }

    #[test]
    fn one_long_line_is_cut_after_a_sentence_end() {
        let text = "The talks went on and the envoy agreed. ".repeat(MAX_SEGMENT_BYTES / 40 + 100);
        let (doc, _) = plain_text(text.as_bytes());
        assert!(doc.segments.len() >= 2);
        assert!(doc.segments[0].text().ends_with(". "));
        assert!(doc.segments[1].text().starts_with("The talks"));
    }

    #[test]
    fn binary_sniffing() {
        assert!(looks_binary(b"PK\x03\x04\x00\x00"));
        assert!(!looks_binary(b"plain text"));
    }

    /// Parts cover the text in order, none longer than the limit, each cut
    /// at a sentence end when there is one; short text is one part.
    #[test]
    fn part_ranges_cover_the_text() {
        assert_eq!(part_ranges(""), vec![std::ops::Range { start: 0, end: 0 }]);
        assert_eq!(
            part_ranges("short"),
            vec![std::ops::Range { start: 0, end: 5 }]
        );
        let text = "Ça va. ".repeat(MAX_SEGMENT_BYTES / 4);
        let parts = part_ranges(&text);
        assert!(parts.len() >= 2);
        let mut at = 0;
        for p in &parts {
            assert_eq!(p.start, at);
            assert!(p.len() <= MAX_SEGMENT_BYTES);
            at = p.end;
        }
        assert_eq!(at, text.len());
        assert!(text[parts[0].clone()].ends_with(". "));
    }
}
