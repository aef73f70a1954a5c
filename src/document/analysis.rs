//! The shared analysis of a segment: its tokens, paragraphs, sentences and
//! words, each computed once on first use and read by every rule. The
//! computing is in `tokens` and `sentences`; this holds the results and the
//! [`Segment`] accessors, and knows nothing of rules.

use std::cell::{OnceCell, RefCell};
use std::ops::Range;
use std::rc::Rc;

use super::Segment;
use super::sentences::{paragraphs, sentences_into};
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
    words: OnceCell<Words>,
    sentence_spans: OnceCell<Vec<SentenceSpan>>,
    /// [`Segment::tokens_marked`]'s lists, by filter.
    marked: RefCell<Vec<(KeyBits, Rc<[u32]>)>>,
}

/// A set of token keys by their low eight bits (256 bits): rules that look
/// for a few words first pass over tokens by this filter. Sixteen words
/// leave about one token in sixteen passing by chance.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct KeyBits([u64; 4]);

impl KeyBits {
    /// Adds `key` to the set.
    pub fn insert(&mut self, key: u64) {
        self.0[((key >> 6) & 3) as usize] |= 1 << (key & 63);
    }

    /// Whether `key` may be in the set (false: it is not).
    #[inline]
    pub fn may_contain(&self, key: u64) -> bool {
        self.0[((key >> 6) & 3) as usize] & (1 << (key & 63)) != 0
    }

    /// Whether every key `other` may contain, this may contain too.
    fn covers(&self, other: &KeyBits) -> bool {
        self.0.iter().zip(&other.0).all(|(a, b)| a & b == *b)
    }
}

/// The words and numbers of a segment (its tokens but punctuation): their
/// keys side by side, for rules that compare words in runs (loops, repeated
/// clauses and sentences), and the index of each in the segment's tokens.
#[derive(Debug, Default)]
pub struct Words {
    /// Each word's key ([`Token::key`]).
    pub keys: Vec<u64>,
    /// Each word's index in [`Segment::tokens`].
    pub tokens: Vec<u32>,
}

/// A sentence as ranges of the segment's tokens and words.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SentenceSpan {
    /// Indexes into [`Segment::tokens`] of the tokens inside the sentence.
    pub tokens: Range<usize>,
    /// Indexes into [`Words`] of the words and numbers inside the sentence.
    pub words: Range<usize>,
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
            // About one sentence for every 120 bytes of news prose.
            let mut out = Vec::with_capacity(self.text().len() / 120 + 1);
            for p in self.paragraphs() {
                sentences_into(self.text(), p.clone(), &mut out);
            }
            out
        })
    }

    /// The words and numbers, with their keys side by side.
    pub fn words(&self) -> &Words {
        self.analysis().words.get_or_init(|| {
            let tokens = self.tokens();
            // Without a branch on each token's kind: every token is
            // written, and only a word or number moves the end on.
            let mut keys = vec![0; tokens.len()];
            let mut index = vec![0; tokens.len()];
            let mut n = 0;
            for (k, t) in tokens.iter().enumerate() {
                keys[n] = t.key;
                index[n] = k as u32;
                n += usize::from(t.is_content());
            }
            keys.truncate(n);
            index.truncate(n);
            Words {
                keys,
                tokens: index,
            }
        })
    }

    /// Each of [`Segment::sentences`] as ranges of tokens and words: the
    /// tokens that start inside it.
    pub fn sentence_spans(&self) -> &[SentenceSpan] {
        self.analysis().sentence_spans.get_or_init(|| {
            let tokens = self.tokens();
            let words = &self.words().tokens;
            // Sentences come in order: cursors walk the tokens and words
            // once (a binary search per sentence costs more in a long
            // segment).
            let mut t = 0;
            let mut w = 0;
            let mut spans = Vec::with_capacity(self.sentences().len());
            for range in self.sentences() {
                while t < tokens.len() && (tokens[t].start as usize) < range.start {
                    t += 1;
                }
                let start = t;
                while t < tokens.len() && (tokens[t].start as usize) < range.end {
                    t += 1;
                }
                while w < words.len() && (words[w] as usize) < start {
                    w += 1;
                }
                let first_word = w;
                while w < words.len() && (words[w] as usize) < t {
                    w += 1;
                }
                spans.push(SentenceSpan {
                    tokens: start..t,
                    words: first_word..w,
                });
            }
            spans
        })
    }

    /// Indexes of the tokens whose key `bits` may contain, in order: the
    /// few tokens that may be one of a rule's words (conjunctions,
    /// connectors), found in one tight pass. A list made for a wider filter
    /// serves a narrower one, so rules looking for the same or fewer words
    /// share the pass.
    pub fn tokens_marked(&self, bits: KeyBits) -> Rc<[u32]> {
        let analysis = self.analysis();
        let tokens = self.tokens();
        if let Some((wider, list)) = analysis
            .marked
            .borrow()
            .iter()
            .find(|(wider, _)| wider.covers(&bits))
        {
            if *wider == bits {
                return Rc::clone(list);
            }
            return list
                .iter()
                .copied()
                .filter(|&k| bits.may_contain(tokens[k as usize].key))
                .collect();
        }
        // Without a branch on each token (which one passes is unpredictable):
        // every index is written, and only a passing token's moves the end on.
        let mut marked = vec![0; tokens.len()];
        let mut n = 0;
        for (k, t) in tokens.iter().enumerate() {
            marked[n] = k as u32;
            n += usize::from(bits.may_contain(t.key));
        }
        let list: Rc<[u32]> = Rc::from(&marked[..n]);
        analysis.marked.borrow_mut().push((bits, Rc::clone(&list)));
        list
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

    #[test]
    fn words_and_sentence_spans_index_the_tokens() {
        let a = Segment::verbatim("One, two. Three!\n\n\"Four\" five.", 0);
        let tokens = a.tokens();
        let words = a.words();
        let texts: Vec<&str> = words
            .tokens
            .iter()
            .map(|&k| tokens[k as usize].text(a.text()))
            .collect();
        assert_eq!(texts, ["One", "two", "Three", "Four", "five"]);
        let keys: Vec<u64> = words
            .tokens
            .iter()
            .map(|&k| tokens[k as usize].key)
            .collect();
        assert_eq!(words.keys, keys);
        let spans = a.sentence_spans();
        assert_eq!(spans.len(), a.sentences().len());
        let in_sentence: Vec<Vec<&str>> = spans
            .iter()
            .map(|s| texts[s.words.clone()].to_vec())
            .collect();
        assert_eq!(
            in_sentence,
            [vec!["One", "two"], vec!["Three"], vec!["Four", "five"]]
        );
        for (span, range) in spans.iter().zip(a.sentences()) {
            for t in &tokens[span.tokens.clone()] {
                assert!(range.contains(&(t.start as usize)));
            }
        }
        // Marked tokens: by their key's low bits, a narrower filter from a
        // wider list.
        let bits = |ks: &[usize]| {
            let mut b = KeyBits::default();
            for &k in ks {
                b.insert(tokens[k].key);
            }
            b
        };
        let both: Vec<u32> = a.tokens_marked(bits(&[0, 4])).to_vec();
        assert!(both.contains(&0) && both.contains(&4));
        let one: Vec<u32> = a.tokens_marked(bits(&[4])).to_vec();
        let direct: Vec<u32> = (0..tokens.len() as u32)
            .filter(|&k| tokens[k as usize].key & 255 == tokens[4].key & 255)
            .collect();
        assert_eq!(one, direct);
        // Every token belongs to some sentence here, in order.
        assert_eq!(spans.last().map(|s| s.tokens.end), Some(tokens.len()));
    }
}
