//! Positions as the Language Server Protocol counts them: a 0-based line
//! and a 0-based character offset in UTF-16 code units, lines ending at
//! `\n`, `\r\n` or a lone `\r`. Converts both ways between them and byte
//! offsets of a document's text; knows nothing of findings or messages.

use lsp_types::{Position, Range};

/// The line starts of one text, for converting positions.
#[derive(Clone, Debug)]
pub struct LineIndex {
    /// Byte offset of the first byte of each line; the first is 0.
    starts: Vec<usize>,
}

impl LineIndex {
    /// Indexes the lines of `text`.
    pub fn new(text: &str) -> Self {
        let bytes = text.as_bytes();
        let mut starts = vec![0];
        let mut i = 0;
        while let Some(at) = memchr::memchr2(b'\n', b'\r', &bytes[i..]) {
            let at = i + at;
            let next = if bytes[at] == b'\r' && bytes.get(at + 1) == Some(&b'\n') {
                at + 2
            } else {
                at + 1
            };
            starts.push(next);
            i = next;
        }
        LineIndex { starts }
    }

    /// The 0-based line holding byte offset `offset`.
    pub fn line_of(&self, offset: usize) -> usize {
        self.starts.partition_point(|&s| s <= offset) - 1
    }

    /// The byte offset where 0-based `line` starts, or the end of `text`
    /// past the last line.
    pub fn line_start(&self, line: usize, text: &str) -> usize {
        self.starts.get(line).copied().unwrap_or(text.len())
    }

    /// The line's text without its line break.
    pub fn line_text<'t>(&self, line: usize, text: &'t str) -> &'t str {
        let start = self.line_start(line, text);
        let end = self.line_start(line + 1, text);
        text[start..end].trim_end_matches(['\n', '\r'])
    }

    /// The position of byte offset `offset` of `text`; an offset inside a
    /// character counts from that character's start, one past the end is
    /// the end.
    pub fn position(&self, text: &str, offset: usize) -> Position {
        let mut offset = offset.min(text.len());
        while !text.is_char_boundary(offset) {
            offset -= 1;
        }
        let line = self.line_of(offset);
        let start = self.starts[line];
        let character: usize = text[start..offset].chars().map(char::len_utf16).sum();
        Position {
            line: to_u32(line),
            character: to_u32(character),
        }
    }

    /// The range of the byte offsets `range` of `text`.
    pub fn range(&self, text: &str, range: std::ops::Range<usize>) -> Range {
        Range {
            start: self.position(text, range.start),
            end: self.position(text, range.end),
        }
    }

    /// The byte offset of `position` in `text`. As the protocol asks, a
    /// character past the end of its line means the end of the line (before
    /// its line break) and a line past the last means the end of the text;
    /// a character in the middle of a surrogate pair means the start of that
    /// character.
    pub fn offset(&self, text: &str, position: Position) -> usize {
        let line = position.line as usize;
        if line >= self.starts.len() {
            return text.len();
        }
        let start = self.starts[line];
        let content = self.line_text(line, text);
        let mut units = 0usize;
        for (i, c) in content.char_indices() {
            let next = units + c.len_utf16();
            if next > position.character as usize {
                return start + i;
            }
            units = next;
        }
        start + content.len()
    }
}

fn to_u32(n: usize) -> u32 {
    u32::try_from(n).unwrap_or(u32::MAX)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pos(line: u32, character: u32) -> Position {
        Position { line, character }
    }

    #[test]
    fn counts_utf16_code_units() {
        // é: 2 bytes, 1 unit; 東: 3 bytes, 1 unit; 😀: 4 bytes, 2 units.
        let text = "é東😀x\nab";
        let index = LineIndex::new(text);
        assert_eq!(index.position(text, 0), pos(0, 0));
        assert_eq!(index.position(text, 2), pos(0, 1));
        assert_eq!(index.position(text, 5), pos(0, 2));
        assert_eq!(index.position(text, 9), pos(0, 4));
        assert_eq!(index.position(text, 10), pos(0, 5));
        assert_eq!(index.position(text, 11), pos(1, 0));
        assert_eq!(index.position(text, 13), pos(1, 2));
        // Inside a character: its start.
        assert_eq!(index.position(text, 7), pos(0, 2));
        assert_eq!(index.position(text, 99), pos(1, 2));
    }

    #[test]
    fn converts_back_to_bytes() {
        let text = "é東😀x\nab";
        let index = LineIndex::new(text);
        assert_eq!(index.offset(text, pos(0, 0)), 0);
        assert_eq!(index.offset(text, pos(0, 1)), 2);
        assert_eq!(index.offset(text, pos(0, 2)), 5);
        // The middle of the surrogate pair: the emoji's start.
        assert_eq!(index.offset(text, pos(0, 3)), 5);
        assert_eq!(index.offset(text, pos(0, 4)), 9);
        // Past the line's end: before its line break.
        assert_eq!(index.offset(text, pos(0, 40)), 10);
        assert_eq!(index.offset(text, pos(1, 1)), 12);
        assert_eq!(index.offset(text, pos(7, 0)), text.len());
    }

    #[test]
    fn every_line_break_ends_a_line() {
        let text = "a\r\nb\rc\nd";
        let index = LineIndex::new(text);
        assert_eq!(index.position(text, 3), pos(1, 0));
        assert_eq!(index.position(text, 5), pos(2, 0));
        assert_eq!(index.position(text, 7), pos(3, 0));
        assert_eq!(index.line_text(0, text), "a");
        assert_eq!(index.offset(text, pos(0, 5)), 1);
        assert_eq!(index.offset(text, pos(2, 1)), 6);
    }
}
