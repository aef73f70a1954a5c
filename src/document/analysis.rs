//! The shared analysis of a segment: its tokens, paragraphs and
//! sentences, each computed once on first use and read by every rule. The
//! computing is in `tokens` and `sentences`; this holds the results and the
//! [`Segment`] accessors, and knows nothing of rules.

use std::cell::OnceCell;
use std::ops::Range;

use super::Segment;
use super::sentences::{paragraphs, sentences};
use super::tokens::{Token, tokenize};

/// The shared analysis of one segment: tokens, paragraphs and sentences,
/// each computed on first use (a rule that needs only paragraphs does not pay
/// for tokens) and then shared by every rule. Reach it through the
/// [`Segment`] accessors.
#[derive(Debug, Default)]
pub struct Analysis {
    tokens: OnceCell<Vec<Token>>,
    paragraphs: OnceCell<Vec<Range<usize>>>,
    sentences: OnceCell<Vec<Range<usize>>>,
}

impl Segment<'_> {
    /// Every non-space token, in order.
    pub fn tokens(&self) -> &[Token] {
        self.analysis().tokens.get_or_init(|| tokenize(self.text()))
    }

    /// Byte ranges of paragraphs (text between blank lines, trimmed).
    pub fn paragraphs(&self) -> &[Range<usize>] {
        self.analysis()
            .paragraphs
            .get_or_init(|| paragraphs(self.text()))
    }

    /// Byte ranges of sentences, each inside one paragraph, trimmed.
    pub fn sentences(&self) -> &[Range<usize>] {
        self.analysis().sentences.get_or_init(|| {
            self.paragraphs()
                .iter()
                .flat_map(|p| sentences(self.text(), p.clone()))
                .collect()
        })
    }

    /// Index of the first token that starts at or after byte `offset`.
    pub fn token_at(&self, offset: usize) -> usize {
        self.tokens()
            .partition_point(|t| (t.start as usize) < offset)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn token_at_finds_first_token_at_or_after() {
        let a = Segment::verbatim("ab cd ef", 0);
        assert_eq!(a.token_at(0), 0);
        assert_eq!(a.token_at(1), 1);
        assert_eq!(a.token_at(3), 1);
        assert_eq!(a.token_at(100), 3);
        assert_eq!(a.sentences().len(), 1);
        assert_eq!(a.paragraphs().to_vec(), vec![0..8]);
    }
}
