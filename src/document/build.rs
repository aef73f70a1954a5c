//! Building mapped segments: input formats append prose piece by piece, each
//! piece either a verbatim copy of original bytes or text that replaced them
//! (a decoded entity or escape); markup they drop is simply not appended.
//! Knows no input format, rule or reporter: it imports only `Segment` and its
//! runs of mapped text.

use std::ops::Range;

use super::{Run, Segment};

/// Appends prose with its origin and yields a [`Segment`].
///
/// Offsets given to a builder are original byte offsets, or, for a builder
/// made with [`SegmentBuilder::over`], byte offsets of an intermediate
/// segment's text (HTML inside an escaped XML element), mapped through it.
#[derive(Debug, Default)]
pub struct SegmentBuilder<'m> {
    text: String,
    runs: Vec<Run>,
    under: Option<&'m Segment<'m>>,
}

impl<'m> SegmentBuilder<'m> {
    /// An empty builder whose offsets are original byte offsets.
    pub fn new() -> Self {
        SegmentBuilder::default()
    }

    /// An empty builder whose offsets are offsets into `under`'s text.
    pub fn over(under: &'m Segment<'m>) -> Self {
        SegmentBuilder {
            under: Some(under),
            ..SegmentBuilder::default()
        }
    }

    /// Makes room for `text` more bytes of text and `runs` more runs, so
    /// a huge field is built in one allocation rather than by doubling
    /// (which holds up to twice its size, and both blocks while it grows).
    pub fn reserve(&mut self, text: usize, runs: usize) {
        self.text.reserve_exact(text);
        self.runs.reserve_exact(runs);
    }

    /// The text so far.
    pub fn text(&self) -> &str {
        &self.text
    }

    /// Appends `s`, a verbatim copy of the bytes at offset `at`.
    pub fn verbatim(&mut self, s: &str, at: usize) {
        match self.under {
            None => self.push_verbatim(s, at),
            Some(under) => self.verbatim_under(under, s, at),
        }
    }

    /// Appends `s`, which stands for the bytes in `range` (an entity, an
    /// escape, or a tag standing in as a space or object).
    pub fn replaced(&mut self, s: &str, range: Range<usize>) {
        let range = match self.under {
            None => range,
            Some(under) => under.original(range),
        };
        self.push_replaced(s, range);
    }

    fn push_verbatim(&mut self, s: &str, at: usize) {
        if s.is_empty() {
            return;
        }
        let t = self.text.len();
        self.text.push_str(s);
        if let Some(last) = self.runs.last_mut() {
            if last.text + last.len == t && last.original + last.len == at {
                last.len += s.len();
                return;
            }
        }
        self.runs.push(Run {
            text: t,
            original: at,
            len: s.len(),
        });
    }

    fn push_replaced(&mut self, s: &str, range: Range<usize>) {
        let t = self.text.len();
        let joined = self.runs.last().is_some_and(|last| {
            last.text + last.len == t && last.original + last.len == range.start
        });
        if !joined {
            self.runs.push(Run {
                text: t,
                original: range.start,
                len: 0,
            });
        }
        self.text.push_str(s);
        self.runs.push(Run {
            text: self.text.len(),
            original: range.end.max(range.start),
            len: 0,
        });
    }

    /// Splits `s` (at offset `at` of `under`'s text) into the pieces that
    /// are verbatim in the original and those that replaced something.
    fn verbatim_under(&mut self, under: &Segment<'_>, s: &str, at: usize) {
        let Some(runs) = under.runs.as_deref() else {
            self.push_verbatim(s, under.base + at);
            return;
        };
        let mut done = 0;
        while done < s.len() {
            let p = at + done;
            let i = runs.partition_point(|r| r.text <= p).saturating_sub(1);
            let Some(r) = runs.get(i) else { break };
            let (piece_end, verbatim_at) = if p >= r.text && p < r.text + r.len {
                (r.text + r.len, Some(r.original + (p - r.text)))
            } else {
                (runs.get(i + 1).map_or(usize::MAX, |n| n.text), None)
            };
            let mut end = (piece_end.saturating_sub(at)).min(s.len()).max(done);
            while !s.is_char_boundary(end) {
                end += 1;
            }
            if end == done {
                // Never loop in place: take at least one char.
                end = done + s[done..].chars().next().map_or(1, char::len_utf8);
            }
            let piece = &s[done..end];
            match verbatim_at {
                Some(o) => self.push_verbatim(piece, o),
                None => {
                    let range = under.original(p..at + end);
                    self.push_replaced(piece, range);
                }
            }
            done = end;
        }
    }

    /// Appends `inner`, the body of a string literal (quotes excluded)
    /// found at offset `at`: plain runs verbatim, each backslash escape
    /// replaced by the char `escape` decodes it to. `escape(inner, i)` is
    /// given the offset `i` of a backslash and returns the char and the
    /// escape's length in bytes (at least 1, ending at a char boundary):
    /// the escape set is the format's (JSON and C/PO differ), the loop is
    /// the same.
    pub(crate) fn unescape(
        &mut self,
        inner: &str,
        at: usize,
        escape: impl Fn(&str, usize) -> (char, usize),
    ) {
        let bytes = inner.as_bytes();
        let mut plain = 0;
        let mut i = 0;
        while i < bytes.len() {
            if bytes[i] != b'\\' {
                i += 1;
                continue;
            }
            self.verbatim(&inner[plain..i], at + plain);
            let (c, len) = escape(inner, i);
            let mut buf = [0u8; 4];
            self.replaced(c.encode_utf8(&mut buf), at + i..at + i + len);
            i += len;
            plain = i;
        }
        self.verbatim(&inner[plain..], at + plain);
    }

    /// Drops trailing whitespace (an element's closing indentation).
    pub fn trim_end(&mut self) {
        let keep = self.text.trim_end().len();
        self.text.truncate(keep);
        while self.runs.last().is_some_and(|r| r.text > keep) {
            self.runs.pop();
        }
        if let Some(last) = self.runs.last_mut() {
            last.len = last.len.min(keep - last.text);
        }
    }

    /// Ends a paragraph: later text starts a new one after a blank line
    /// (`\n\n`, standing for the markup between the blocks), so the
    /// paragraph rules see blocks as plain text's paragraphs.
    pub fn paragraph_break(&mut self) {
        self.trim_end();
        if self.text.is_empty() {
            return;
        }
        let at = self.runs.last().map_or(0, |r| r.original + r.len);
        self.push_replaced("\n\n", at..at);
    }

    /// Whether no prose (only whitespace, or nothing) was appended.
    pub fn is_blank(&self) -> bool {
        self.text.trim().is_empty()
    }

    /// The segment, or `None` when it holds no prose; the builder is left
    /// empty for the next one.
    pub fn take(&mut self) -> Option<Segment<'static>> {
        let text = std::mem::take(&mut self.text);
        let runs = std::mem::take(&mut self.runs);
        if text.trim().is_empty() {
            return None;
        }
        Some(Segment::mapped(text, runs))
    }

    /// Like [`SegmentBuilder::take`], consuming the builder.
    pub fn finish(mut self) -> Option<Segment<'static>> {
        self.take()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn layered_maps_compose() {
        // Original: "x &amp;lt;b&amp;gt;Hi&amp;amp;" (XML escaping HTML).
        let original = "x &amp;lt;b&amp;gt;Hi&amp;amp;";
        let mut xml = SegmentBuilder::new();
        xml.verbatim("x ", 0);
        xml.replaced("&", 2..7);
        xml.verbatim("lt;b", 7);
        xml.replaced("&", 11..16);
        xml.verbatim("gt;Hi", 16);
        xml.replaced("&", 21..26);
        xml.verbatim("amp;", 26);
        let xml = xml.finish().expect("text");
        assert_eq!(xml.text(), "x &lt;b&gt;Hi&amp;");
        // HTML decoding of the intermediate text: "&amp;" → "&" at 13..18.
        let mut html = SegmentBuilder::over(&xml);
        html.verbatim("Hi", 11);
        html.replaced("&", 13..18);
        let seg = html.finish().expect("text");
        assert_eq!(seg.text(), "Hi&");
        assert_eq!(&original[seg.original(0..2)], "Hi");
        assert_eq!(&original[seg.original(2..3)], "&amp;amp;");
    }

    #[test]
    fn paragraph_breaks_map_to_the_block_boundary() {
        // "<p>ab</p><p>cd</p>"
        let mut b = SegmentBuilder::new();
        b.verbatim("ab", 3);
        b.paragraph_break();
        b.paragraph_break();
        b.verbatim("cd", 12);
        b.paragraph_break();
        b.trim_end();
        let s = b.finish().expect("text");
        assert_eq!(s.text(), "ab\n\ncd");
        assert_eq!(s.original(0..2), 3..5);
        assert_eq!(s.original(4..6), 12..14);
        assert_eq!(s.original(2..4), 5..5);
        assert_eq!(s.original(0..6), 3..14);
    }

    #[test]
    fn trim_end_keeps_the_map() {
        let mut b = SegmentBuilder::new();
        b.verbatim("ab ", 0);
        b.replaced(" ", 3..8);
        b.trim_end();
        let s = b.finish().expect("text");
        assert_eq!(s.text(), "ab");
        assert_eq!(s.original(0..2), 0..2);
    }
}
