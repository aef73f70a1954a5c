//! The document model: what rules see. A file becomes one or more
//! [`Document`]s (a plain file, a JSON Lines record, a feed item, a
//! translation unit) made of prose [`Segment`]s; each segment knows how to map
//! its text offsets back to byte offsets in the original file, through
//! entities, escapes and dropped markup, so findings always point at the
//! original.

mod analysis;
mod build;
mod container;
mod csv;
mod encoding;
pub mod format;
mod html;
mod json;
mod jsonl;
mod markdown;
mod markup;
mod parsed;
mod po;
mod records;
mod sentences;
mod text;
mod tokens;
mod xml;

use std::borrow::Cow;
use std::cell::OnceCell;
use std::ops::Range;

use crate::language::Language;

pub use analysis::{Analysis, KeyBits, SentenceSpan, Words};
pub use build::SegmentBuilder;
pub use container::Container;
pub use encoding::{Encoding, Transcoded, encoding_for_label};
pub use format::parse;
pub use parsed::{DEFAULT_ID_FIELDS, HtmlContent, InputFormat, InputOptions, Parsed, RecordError};
pub use records::{RecordParser, RecordSeen};
pub(crate) use sentences::is_abbreviation_before;
pub use text::{BINARY_SNIFF_BYTES, InvalidUtf8, decode, looks_binary, plain_text};
pub(crate) use text::{MAX_SEGMENT_BYTES, part_ranges};
pub use tokens::{Token, TokenKind};
pub(crate) use tokens::{fold_key, mix};

/// The sentences of one line of text (byte ranges), as rules see them.
pub(crate) fn split_sentences(line: &str) -> Vec<Range<usize>> {
    sentences::sentences(line, 0..line.len())
}

/// A verbatim run of a mapped segment: `len` bytes of text starting at text
/// offset `text` are a copy of the original bytes starting at `original`.
/// The text between two runs replaced the original bytes between them (an
/// entity, an escape) or stands for nothing (dropped markup: an empty region).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct Run {
    pub(crate) text: usize,
    pub(crate) original: usize,
    pub(crate) len: usize,
}

/// One run of prose, with its position in the original file.
#[derive(Debug)]
pub struct Segment<'a> {
    text: Cow<'a, str>,
    /// Byte offset of `text[0]` in the original file; the whole map when
    /// `runs` is `None` (a verbatim segment: the fast path of plain text).
    base: usize,
    /// For text that is not a verbatim copy: runs sorted by text offset, the
    /// first at text offset 0 and the last ending at `text.len()`.
    runs: Option<Box<[Run]>>,
    analysis: OnceCell<Analysis>,
    /// How the text is written in the file (for fixes).
    container: Container,
}

/// A piece of a segment's text and the original bytes it came from (see
/// [`Segment::pieces`]).
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct Piece {
    /// Byte range of the segment's text.
    pub(crate) text: Range<usize>,
    /// Byte range of the original file.
    pub(crate) original: Range<usize>,
    /// The text is a copy of the original bytes; else it replaced them (an
    /// entity, an escape, a tag standing in as a space) or, with empty text,
    /// they were dropped (markup), or, with empty original bytes, it stands
    /// for nothing in the file (a paragraph break between blocks).
    pub(crate) verbatim: bool,
}

impl<'a> Segment<'a> {
    /// A segment whose text is a verbatim slice of the file starting at byte `base`.
    pub fn verbatim(text: impl Into<Cow<'a, str>>, base: usize) -> Self {
        Segment {
            text: text.into(),
            base,
            runs: None,
            analysis: OnceCell::new(),
            container: Container::Plain,
        }
    }

    /// A segment from a builder's text and runs (see [`SegmentBuilder`]).
    pub(crate) fn mapped(text: String, runs: Vec<Run>) -> Self {
        // One run covering the whole text is a verbatim segment.
        if let [only] = runs.as_slice() {
            if only.text == 0 && only.len == text.len() {
                return Segment::verbatim(text, only.original);
            }
        }
        Segment {
            text: Cow::Owned(text),
            base: runs.first().map_or(0, |r| r.original),
            runs: Some(runs.into_boxed_slice()),
            analysis: OnceCell::new(),
            container: Container::Plain,
        }
    }

    /// The segment, its text written in the file as `container` says.
    pub(crate) fn in_container(mut self, container: Container) -> Self {
        self.container = container;
        self
    }

    /// How the segment's text is written in the file.
    pub fn container(&self) -> Container {
        self.container
    }

    /// The whole text as pieces in order, each verbatim or not (see
    /// [`Piece`]); the pieces cover the text and, between the first and last
    /// original byte of the text, the file.
    pub(crate) fn pieces(&self) -> Vec<Piece> {
        let Some(runs) = &self.runs else {
            return vec![Piece {
                text: 0..self.text.len(),
                original: self.base..self.base + self.text.len(),
                verbatim: true,
            }];
        };
        let mut out = Vec::with_capacity(runs.len() * 2);
        for (i, r) in runs.iter().enumerate() {
            if r.len > 0 {
                out.push(Piece {
                    text: r.text..r.text + r.len,
                    original: r.original..r.original + r.len,
                    verbatim: true,
                });
            }
            if let Some(next) = runs.get(i + 1) {
                let (t, o) = (r.text + r.len, r.original + r.len);
                if next.text > t || next.original > o {
                    out.push(Piece {
                        text: t..next.text.max(t),
                        original: o..next.original.max(o),
                        verbatim: false,
                    });
                }
            }
        }
        out
    }

    /// The prose the rules check.
    pub fn text(&self) -> &str {
        &self.text
    }

    /// Maps a byte range of [`Self::text`] to a byte range of the original
    /// file. A start inside replaced text maps to the start of what it
    /// replaced, an end inside it to its end, so a span never cuts an entity.
    pub fn original(&self, range: Range<usize>) -> Range<usize> {
        match &self.runs {
            None => self.base + range.start..self.base + range.end,
            Some(runs) => {
                let start = map_start(runs, range.start);
                let end = if range.end == range.start {
                    start
                } else {
                    map_end(runs, range.end).max(start)
                };
                start..end
            }
        }
    }

    /// Byte range of the original file this segment's text came from.
    pub fn original_extent(&self) -> Range<usize> {
        self.original(0..self.text.len())
    }

    /// Tokens, paragraphs and sentences, each computed on first use and
    /// shared by every rule (see the accessors in `analysis.rs`).
    pub fn analysis(&self) -> &Analysis {
        self.analysis.get_or_init(Analysis::default)
    }

    /// The text and map of this segment, without its analysis: shareable
    /// between threads, to be cut into parts.
    pub(crate) fn map(&self) -> SegmentMap<'_> {
        SegmentMap {
            text: &self.text,
            base: self.base,
            runs: self.runs.as_deref(),
        }
    }

    /// Moves the segment `delta` bytes later in the original file.
    fn shift(&mut self, delta: usize) {
        self.base += delta;
        if let Some(runs) = &mut self.runs {
            for r in runs.iter_mut() {
                r.original += delta;
            }
        }
    }
}

/// A segment's text and offset map, borrowed (see [`Segment::map`]).
#[derive(Clone, Copy, Debug)]
pub(crate) struct SegmentMap<'s> {
    text: &'s str,
    base: usize,
    runs: Option<&'s [Run]>,
}

impl<'s> SegmentMap<'s> {
    /// The segment's text.
    pub(crate) fn text(&self) -> &'s str {
        self.text
    }

    /// The text `range` (char boundaries) as a segment of its own,
    /// borrowing the text: its offsets map to the same original bytes.
    /// Huge segments are checked part by part this way.
    pub(crate) fn part(&self, range: Range<usize>) -> Segment<'s> {
        let text = &self.text[range.clone()];
        let Some(runs) = self.runs else {
            return Segment::verbatim(text, self.base + range.start);
        };
        // Markers at both ends keep the map's shape (a run at text offset
        // 0, one ending at the end) and its answers when a cut falls in
        // replaced text.
        let mut part = vec![Run {
            text: 0,
            original: map_start(runs, range.start),
            len: 0,
        }];
        let first = runs.partition_point(|r| r.text + r.len <= range.start);
        for r in runs.iter().skip(first) {
            if r.text >= range.end {
                break;
            }
            let start = r.text.max(range.start);
            let end = (r.text + r.len).min(range.end);
            if end > start {
                part.push(Run {
                    text: start - range.start,
                    original: r.original + (start - r.text),
                    len: end - start,
                });
            }
        }
        // Two at the end when the cut is in replaced text: a span ending
        // there takes the first (the next verbatim byte, as `map_end`
        // does), a span starting there the second.
        for original in [map_end(runs, range.end), map_start(runs, range.end)] {
            part.push(Run {
                text: range.len(),
                original,
                len: 0,
            });
        }
        Segment {
            text: Cow::Borrowed(text),
            base: part[0].original,
            runs: Some(part.into_boxed_slice()),
            analysis: OnceCell::new(),
            container: Container::Plain,
        }
    }
}

/// Original offset of text offset `t` taken as a span start.
fn map_start(runs: &[Run], t: usize) -> usize {
    let i = runs.partition_point(|r| r.text <= t).saturating_sub(1);
    let Some(r) = runs.get(i) else { return 0 };
    if t < r.text {
        return r.original;
    }
    let into = t - r.text;
    if into <= r.len {
        r.original + into
    } else {
        r.original + r.len
    }
}

/// Original offset of text offset `t` taken as a span end: markup dropped
/// right after the span stays outside it.
fn map_end(runs: &[Run], t: usize) -> usize {
    let i = runs.partition_point(|r| r.text < t).saturating_sub(1);
    let Some(r) = runs.get(i) else { return 0 };
    if t < r.text {
        return r.original;
    }
    let into = t - r.text;
    if into <= r.len {
        r.original + into
    } else {
        runs.get(i + 1)
            .map_or(r.original + r.len, |next| next.original)
    }
}

/// A unit that document-level rules (consistency, repeated sentences) look at
/// as a whole: a plain file, a record, a feed item or a translation unit.
#[derive(Debug, Default)]
pub struct Document<'a> {
    /// The prose of the document in reading order.
    pub segments: Vec<Segment<'a>>,
    /// The record or unit id reports show (JSONL id or line, feed guid,
    /// XLIFF unit id, PO msgctxt/msgid); `None` for plain files.
    pub record: Option<String>,
    /// The source text of a bilingual unit (XLIFF source, PO msgid, a source
    /// field or column), for source↔target rules; never checked itself.
    pub source: Option<String>,
    /// Byte range of the whole target field in the original file (its
    /// quotes or element included), where findings about the target as a
    /// whole (empty, untranslated) point; `None` outside bilingual input.
    pub target_span: Option<Range<usize>>,
    /// What the record says of its group and date, when the run asked
    /// ([`InputOptions::keys`]).
    pub keys: RecordKeys,
    /// The document's language: what the input format declares (an XLIFF
    /// `target-language`, a PO `Language` header), else what the engine
    /// gives it before any rule runs (`--language`, detection, or the
    /// default); `None` only in a document no engine has seen. Rules read
    /// it through [`Document::language`].
    pub language: Option<Language>,
}

/// The group value and date a record holds, as written (see
/// [`crate::group`] for what they become).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct RecordKeys {
    /// The first of the group fields the record has (a source name, a URL,
    /// the feed's title).
    pub group: Option<String>,
    /// The record's date field, or a feed item's own date.
    pub date: Option<String>,
}

impl<'a> Document<'a> {
    /// A document of a single verbatim segment starting at byte 0.
    pub fn plain(text: &'a str) -> Self {
        Document {
            segments: vec![Segment::verbatim(text, 0)],
            ..Document::default()
        }
    }

    /// A bilingual document: `target` checked as a single verbatim segment
    /// starting at byte 0, with `source` for source↔target rules.
    pub fn bilingual(target: &'a str, source: impl Into<String>) -> Self {
        Document {
            segments: vec![Segment::verbatim(target, 0)],
            source: Some(source.into()),
            target_span: Some(0..target.len()),
            ..Document::default()
        }
    }

    /// The document's language, English when none was set.
    pub fn language(&self) -> Language {
        self.language.unwrap_or(Language::EN)
    }

    /// The paragraphs of every segment's text, for parser tests.
    #[cfg(test)]
    pub(crate) fn paragraph_texts(&self) -> Vec<String> {
        self.segments
            .iter()
            .flat_map(|s| s.text().split("\n\n"))
            .map(str::to_string)
            .collect()
    }

    /// The target text of the document: its segments joined by blank lines.
    pub fn joined_text(&self) -> Cow<'_, str> {
        match self.segments.as_slice() {
            [] => Cow::Borrowed(""),
            [one] => Cow::Borrowed(one.text()),
            many => Cow::Owned(
                many.iter()
                    .map(|s| s.text())
                    .collect::<Vec<_>>()
                    .join("\n\n"),
            ),
        }
    }

    /// Moves every offset `delta` bytes later (text parsed after a BOM).
    pub(crate) fn shift(&mut self, delta: usize) {
        for s in &mut self.segments {
            s.shift(delta);
        }
        if let Some(t) = &mut self.target_span {
            *t = t.start + delta..t.end + delta;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// "a &amp; b<i></i>c" → "a & bc": an entity and an empty region.
    fn sample() -> Segment<'static> {
        let mut b = SegmentBuilder::new();
        b.verbatim("a ", 0);
        b.replaced("&", 2..7);
        b.verbatim(" b", 7);
        b.verbatim("c", 16);
        b.finish().expect("text")
    }

    #[test]
    fn entity_spans_cover_the_whole_entity() {
        let s = sample();
        assert_eq!(s.text(), "a & bc");
        assert_eq!(s.original(2..3), 2..7);
        assert_eq!(s.original(0..1), 0..1);
        assert_eq!(s.original(4..5), 8..9);
        assert_eq!(s.original(2..2), 2..2);
    }

    #[test]
    fn dropped_markup_stays_outside_spans() {
        let s = sample();
        // "b" ends before "<i></i>", "c" starts after it.
        assert_eq!(s.original(4..5), 8..9);
        assert_eq!(s.original(5..6), 16..17);
        assert_eq!(s.original(4..6), 8..17);
        assert_eq!(s.original_extent(), 0..17);
    }

    #[test]
    fn one_run_is_verbatim() {
        let mut b = SegmentBuilder::new();
        b.verbatim("abc", 10);
        let s = b.finish().expect("text");
        assert!(s.runs.is_none());
        assert_eq!(s.original(1..2), 11..12);
    }

    /// Parts of a mapped segment, cut anywhere (in verbatim text, inside a
    /// replaced entity's text, at its edges), map every span as the whole
    /// segment does.
    #[test]
    fn parts_map_as_the_whole() {
        let s = sample();
        let len = s.text().len();
        for a in 0..=len {
            for b in a..=len {
                let part = s.map().part(a..b);
                assert_eq!(part.text(), &s.text()[a..b]);
                for x in 0..=b - a {
                    for y in x..=b - a {
                        assert_eq!(
                            part.original(x..y),
                            s.original(a + x..a + y),
                            "part {a}..{b}, span {x}..{y}"
                        );
                    }
                }
            }
        }
        let plain = Segment::verbatim("hello", 7);
        assert_eq!(plain.map().part(1..3).original(0..2), 8..10);
    }
}
