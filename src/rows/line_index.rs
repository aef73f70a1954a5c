//! The line index of one file's bytes: byte offsets to 1-based lines and
//! columns (columns in chars, counted from the nearest known position, so
//! that positions stay linear on one enormous line), the line around an
//! offset, and char boundaries. Knows nothing of findings, rows, hashes or
//! reporters: it answers questions about offsets.

use std::cell::{Cell, OnceCell};
use std::ops::Range;

/// Bytes of a long line kept before the offset in [`LineIndex::line_window`].
const LINE_BEFORE: usize = 120;
/// Bytes of a long line kept from the offset in [`LineIndex::line_window`].
const LINE_AFTER: usize = 240;

/// Bytes between two checkpoints of [`LineIndex::checkpoints`].
const CHECKPOINT_BYTES: usize = 1024;

/// Byte offsets of line starts, for turning byte offsets into line and column.
pub(crate) struct LineIndex<'a> {
    bytes: &'a [u8],
    starts: Vec<usize>,
    /// The last positions asked for, (byte offset, line, column), one per
    /// kind of question (span starts, span ends, window starts): each kind
    /// comes in nearly increasing order, so the last answer is usually the
    /// nearest known position.
    cursors: [Cell<(usize, usize, usize)>; 3],
    /// The chars before every [`CHECKPOINT_BYTES`]-th byte of the file (one
    /// `usize` per KiB), counted in one pass the first time a position lies
    /// over `2 * CHECKPOINT_BYTES` bytes from both its line start and the
    /// last answer — on a long line, the end of a short span after that of
    /// a long one. No answer then counts more than that many bytes, so
    /// positions stay linear in the file however spans interleave.
    checkpoints: OnceCell<Vec<usize>>,
    /// Bytes counted for positions so far (tests bound it).
    #[cfg(test)]
    scanned: Cell<usize>,
}

/// Which cursor a position question uses.
#[derive(Clone, Copy)]
pub(crate) enum Cursor {
    Start = 0,
    End = 1,
    Window = 2,
}

impl<'a> LineIndex<'a> {
    pub(crate) fn new(bytes: &'a [u8]) -> Self {
        let mut starts = vec![0];
        starts.extend(memchr::memchr_iter(b'\n', bytes).map(|i| i + 1));
        let cursors = std::array::from_fn(|_| Cell::new((0, 1, 1)));
        LineIndex {
            bytes,
            starts,
            cursors,
            checkpoints: OnceCell::new(),
            #[cfg(test)]
            scanned: Cell::new(0),
        }
    }

    /// [`Self::position`], counting from the cursor's last answer when that
    /// is the nearest known position on the same line.
    pub(crate) fn position_at(&self, cursor: Cursor, offset: usize) -> (usize, usize) {
        let offset = offset.min(self.bytes.len());
        let cell = &self.cursors[cursor as usize];
        let (last, last_line, last_column) = cell.get();
        let line = self.starts.partition_point(|&s| s <= offset);
        let known = (line == last_line).then_some((last, last_column));
        let column = self.column(self.starts[line - 1], offset, known);
        cell.set((offset, line, column));
        (line, column)
    }

    /// 1-based (line, column) of byte `offset`; the column counts chars, where
    /// each byte that does not continue a UTF-8 sequence starts one.
    pub(crate) fn position(&self, offset: usize) -> (usize, usize) {
        let offset = offset.min(self.bytes.len());
        let line = self.starts.partition_point(|&s| s <= offset);
        (line, self.column(self.starts[line - 1], offset, None))
    }

    /// The 1-based column of byte `offset` on the line that starts at byte
    /// `start`, counted from the nearest known position: the line start,
    /// `known` (byte offset and column of an earlier answer on that line;
    /// forwards or backwards) or, when both are far, the checkpoints.
    fn column(&self, start: usize, offset: usize, known: Option<(usize, usize)>) -> usize {
        let (from, column) = match known {
            Some((at, column)) if at.abs_diff(offset) < offset - start => (at, column),
            _ => (start, 1),
        };
        if from.abs_diff(offset) > 2 * CHECKPOINT_BYTES {
            1 + self.chars_before(offset) - self.chars_before(start)
        } else if from <= offset {
            column + self.count(from..offset)
        } else {
            column - self.count(offset..from)
        }
    }

    /// The chars of the file before byte `offset`, counted from the
    /// checkpoint at or before it (the checkpoints are counted on first use).
    fn chars_before(&self, offset: usize) -> usize {
        let checkpoints = self.checkpoints.get_or_init(|| {
            let mut chars = 0;
            let mut checkpoints = Vec::with_capacity(self.bytes.len() / CHECKPOINT_BYTES + 2);
            checkpoints.push(0);
            for at in (0..self.bytes.len()).step_by(CHECKPOINT_BYTES) {
                chars += self.count(at..(at + CHECKPOINT_BYTES).min(self.bytes.len()));
                checkpoints.push(chars);
            }
            checkpoints
        });
        let k = offset / CHECKPOINT_BYTES;
        checkpoints[k] + self.count(k * CHECKPOINT_BYTES..offset)
    }

    /// The chars in `range` of the file (see [`chars_in`]).
    fn count(&self, range: Range<usize>) -> usize {
        #[cfg(test)]
        self.scanned.set(self.scanned.get() + range.len());
        chars_in(&self.bytes[range])
    }

    /// The file's bytes.
    pub(crate) fn bytes(&self) -> &'a [u8] {
        self.bytes
    }

    /// Byte range of the line holding byte `offset`, without its line break.
    pub(crate) fn line_range(&self, offset: usize) -> Range<usize> {
        let offset = offset.min(self.bytes.len());
        let line = self.starts.partition_point(|&s| s <= offset);
        let start = self.starts[line - 1];
        let mut end = self
            .starts
            .get(line)
            .map_or(self.bytes.len(), |&next| next - 1);
        if end > start && self.bytes[end - 1] == b'\r' {
            end -= 1;
        }
        start..end.max(start)
    }

    /// The line of byte `offset` (a window of it when long) and the 1-based
    /// column at which the window begins.
    pub(crate) fn line_window(&self, offset: usize) -> (String, usize) {
        let line = self.line_range(offset);
        let offset = offset.clamp(line.start, line.end);
        let start = char_start(
            self.bytes,
            offset.saturating_sub(LINE_BEFORE).max(line.start),
        );
        let end = char_start(self.bytes, (offset + LINE_AFTER).min(line.end));
        let text = String::from_utf8_lossy(&self.bytes[start..end]).replace('\t', " ");
        (text, self.position_at(Cursor::Window, start).1)
    }
}

/// The chars in `bytes`: those that do not continue a UTF-8 sequence, or
/// simply its length when it is ASCII (checked a word at a time).
fn chars_in(bytes: &[u8]) -> usize {
    if bytes.is_ascii() {
        bytes.len()
    } else {
        bytes.iter().filter(|&&b| (b & 0xC0) != 0x80).count()
    }
}

/// The start of the char holding byte `i` (a byte that does not continue a
/// UTF-8 sequence), never past `bytes.len()`.
pub(crate) fn char_start(bytes: &[u8], mut i: usize) -> usize {
    i = i.min(bytes.len());
    while i > 0 && i < bytes.len() && (bytes[i] & 0xC0) == 0x80 {
        i -= 1;
    }
    i
}

/// The first char start at or after byte `i`.
pub(crate) fn char_end(bytes: &[u8], mut i: usize) -> usize {
    i = i.min(bytes.len());
    while i < bytes.len() && (bytes[i] & 0xC0) == 0x80 {
        i += 1;
    }
    i
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

    #[test]
    fn cursors_agree_with_counting_from_the_line_start() {
        let text = "é a “b” ".repeat(50) + "\nxyz é";
        let index = LineIndex::new(text.as_bytes());
        let offsets: Vec<usize> = text.char_indices().map(|(i, _)| i).collect();
        // Forwards, then backwards (the cursor must fall back).
        for &o in offsets.iter().chain(offsets.iter().rev()) {
            assert_eq!(
                index.position_at(Cursor::Start, o),
                index.position(o),
                "offset {o}"
            );
        }
    }

    /// Positions from cursors and checkpoints equal counting from the line
    /// start, for offsets in any order (span ends go back and forth), on
    /// lines short and long, with multi-byte chars and invalid bytes.
    #[test]
    fn positions_agree_with_counting_from_the_line_start_on_random_spans() {
        let mut seed = 0x9E37_79B9_7F4A_7C15u64;
        let mut next = move |n: usize| {
            seed ^= seed << 13;
            seed ^= seed >> 7;
            seed ^= seed << 17;
            (seed % n as u64) as usize
        };
        let pieces: [&[u8]; 6] = [
            b"a",
            b"word ",
            "é".as_bytes(),
            "“".as_bytes(),
            "😀".as_bytes(),
            b"\xFF",
        ];
        let mut bytes = Vec::new();
        for line in 0..12 {
            let len = [3, 40, 2_500, 9_000][line % 4] + next(500);
            let start = bytes.len();
            while bytes.len() - start < len {
                bytes.extend_from_slice(pieces[next(pieces.len())]);
            }
            bytes.push(b'\n');
        }
        let reference = |offset: usize| {
            let offset = offset.min(bytes.len());
            let start = bytes[..offset]
                .iter()
                .rposition(|&b| b == b'\n')
                .map_or(0, |i| i + 1);
            let line = 1 + bytes[..offset].iter().filter(|&&b| b == b'\n').count();
            let column = 1 + bytes[start..offset]
                .iter()
                .filter(|&&b| (b & 0xC0) != 0x80)
                .count();
            (line, column)
        };
        let index = LineIndex::new(&bytes);
        let mut start = 0;
        for _ in 0..3_000 {
            // Findings come sorted by start; their ends, anywhere after.
            start = (start + next(300)).min(bytes.len());
            let end = start + [0, 1, 5, 200, 5_000][next(5)];
            assert_eq!(
                index.position_at(Cursor::Start, start),
                reference(start),
                "start {start}"
            );
            assert_eq!(
                index.position_at(Cursor::End, end),
                reference(end),
                "end {end}"
            );
            let any = next(bytes.len() + 10);
            assert_eq!(
                index.position_at(Cursor::Window, any),
                reference(any),
                "offset {any}"
            );
            assert_eq!(index.position(any), reference(any), "offset {any}");
        }
        assert!(
            index.checkpoints.get().is_some(),
            "the checkpoints were tried"
        );
    }

    /// Long spans (a repeated sentence) holding short ones (a doubled word)
    /// on one long line: span ends then go back and forth, and each answer
    /// once recounted the line from its start (quadratic).
    #[test]
    fn positions_on_one_long_line_are_linear() {
        let unit = "The “envoy” met the the officials in Zürich , he said. ";
        let text = unit.repeat(2_000);
        let index = LineIndex::new(text.as_bytes());
        let mut queries = 0;
        for (u, _) in text.match_indices("The “envoy”") {
            let sentence = u..u + unit.len() - 1;
            let doubled = u + 20..u + 27;
            for span in [sentence, doubled] {
                index.position_at(Cursor::Start, span.start);
                index.position_at(Cursor::End, span.end);
                index.line_window(span.start);
                queries += 3;
            }
        }
        let scanned = index.scanned.get();
        assert!(
            scanned <= 2 * text.len() + queries * 2 * CHECKPOINT_BYTES,
            "{scanned} bytes counted for {queries} positions on a line of {} bytes",
            text.len()
        );
    }

    #[test]
    fn line_windows_drop_the_line_break() {
        let text = "first\r\nsome  text here\n";
        let index = LineIndex::new(text.as_bytes());
        assert_eq!(index.line_window(0), ("first".to_string(), 1));
        assert_eq!(index.line_window(12), ("some  text here".to_string(), 1));
    }

    #[test]
    fn long_lines_are_windowed_on_char_boundaries() {
        let text = "é".repeat(400);
        let index = LineIndex::new(text.as_bytes());
        let (window, column) = index.line_window(401);
        assert!(window.chars().all(|c| c == 'é'));
        assert!(column > 1);
        assert!(window.len() <= LINE_BEFORE + LINE_AFTER + 2);
    }
}
