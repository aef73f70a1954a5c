//! Fingerprints that survive edits elsewhere in a file: FNV-1a (a hash
//! that stays the same across Rust versions, so baseline files stay valid)
//! and the hash of a span's surroundings within its lines. Knows the line
//! index; knows nothing of findings, rules or reporters.

use std::ops::Range;

use super::line_index::{LineIndex, char_end, char_start};

/// Chars either side of a span hashed into
/// [`Located::context_hash`](super::Located::context_hash).
pub const CONTEXT_CHARS: usize = 40;

/// FNV-1a, 64 bits: a stable hash (unlike std's `DefaultHasher`, whose output
/// may change between Rust versions), so baseline files stay valid.
#[derive(Clone, Copy, Debug)]
pub struct Fnv64(u64);

impl Fnv64 {
    /// The FNV offset basis.
    pub fn new() -> Self {
        Fnv64(0xcbf2_9ce4_8422_2325)
    }

    /// Hashes more bytes.
    pub fn write(&mut self, bytes: &[u8]) {
        for &b in bytes {
            self.0 ^= u64::from(b);
            self.0 = self.0.wrapping_mul(0x0100_0000_01b3);
        }
    }

    /// The hash so far.
    pub fn finish(self) -> u64 {
        self.0
    }
}

impl Default for Fnv64 {
    fn default() -> Self {
        Self::new()
    }
}

/// Hash of up to [`CONTEXT_CHARS`] chars either side of `span` (byte
/// offsets into the indexed file), kept within the span's lines, with runs
/// of whitespace collapsed.
pub(crate) fn context_hash(index: &LineIndex<'_>, span: Range<usize>) -> u64 {
    let bytes = index.bytes();
    let first = index.line_range(span.start);
    let last = index.line_range(span.end.saturating_sub(1).max(span.start));
    let mut start = span.start;
    for _ in 0..CONTEXT_CHARS {
        if start <= first.start {
            break;
        }
        start = char_start(bytes, start - 1);
    }
    let mut end = span.end.max(span.start);
    for _ in 0..CONTEXT_CHARS {
        if end >= last.end {
            break;
        }
        end = char_end(bytes, end + 1);
    }
    let start = start.max(first.start.min(span.start));
    let end = end.min(bytes.len()).max(start);
    let mut h = Fnv64::new();
    let mut space = false;
    for word in bytes[start..end].split(|b| b.is_ascii_whitespace()) {
        if word.is_empty() {
            continue;
        }
        if space {
            h.write(b" ");
        }
        h.write(word);
        space = true;
    }
    h.finish()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn context_hashes_survive_moved_lines_and_respacing() {
        let text = "first\r\nsome  text here\n";
        let index = LineIndex::new(text.as_bytes());
        let moved = format!("new line\n{text}");
        let moved_index = LineIndex::new(moved.as_bytes());
        let span = 13..17;
        assert_eq!(&text[span.clone()], "text");
        assert_eq!(
            context_hash(&index, span.clone()),
            context_hash(&moved_index, 22..26)
        );
        let spaced = "first\r\nsome text   here\n";
        assert_eq!(
            context_hash(&index, span),
            context_hash(&LineIndex::new(spaced.as_bytes()), 12..16)
        );
    }

    #[test]
    fn fnv_is_stable() {
        let mut h = Fnv64::new();
        h.write(b"a");
        assert_eq!(h.finish(), 0xaf63_dc4c_8601_ec8c);
    }
}
