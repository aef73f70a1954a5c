//! The document model: what rules see. A file becomes a [`Document`] made of
//! prose [`Segment`]s; each segment knows how to map its text offsets back to
//! byte offsets in the original file, so findings always point at the original.

mod analysis;
mod text;

use std::borrow::Cow;
use std::cell::OnceCell;
use std::ops::Range;

pub(crate) use analysis::fold_key;
pub(crate) use analysis::is_abbreviation_before;
pub use analysis::{Analysis, Token, TokenKind};
pub use text::{InvalidUtf8, looks_binary, plain_text};

/// One run of prose, with its position in the original file.
#[derive(Debug)]
pub struct Segment<'a> {
    text: Cow<'a, str>,
    /// Byte offset of `text[0]` in the original file. Plain-text segments are
    /// verbatim copies of the file, so the map back is a shift.
    base: usize,
    analysis: OnceCell<Analysis>,
}

impl<'a> Segment<'a> {
    /// A segment whose text is a verbatim slice of the file starting at byte `base`.
    pub fn verbatim(text: impl Into<Cow<'a, str>>, base: usize) -> Self {
        Segment {
            text: text.into(),
            base,
            analysis: OnceCell::new(),
        }
    }

    /// The prose the rules check.
    pub fn text(&self) -> &str {
        &self.text
    }

    /// Maps a byte range of [`Self::text`] to a byte range of the original file.
    pub fn original(&self, range: Range<usize>) -> Range<usize> {
        self.base + range.start..self.base + range.end
    }

    /// Tokens, paragraphs and sentences, each computed on first use and
    /// shared by every rule (see the accessors in `analysis.rs`).
    pub fn analysis(&self) -> &Analysis {
        self.analysis.get_or_init(Analysis::default)
    }
}

/// A unit that document-level rules (consistency, repeated sentences) look at
/// as a whole: a plain file, or later a record, feed item or translation unit.
#[derive(Debug, Default)]
pub struct Document<'a> {
    /// The prose of the document in reading order.
    pub segments: Vec<Segment<'a>>,
}

impl<'a> Document<'a> {
    /// A document of a single verbatim segment starting at byte 0.
    pub fn plain(text: &'a str) -> Self {
        Document {
            segments: vec![Segment::verbatim(text, 0)],
        }
    }
}
