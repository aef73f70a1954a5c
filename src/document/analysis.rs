//! One tokenisation pass per segment, shared by all token-level rules:
//! words, numbers and punctuation with byte spans, paragraphs and sentences.

use std::cell::OnceCell;
use std::ops::Range;

use super::Segment;

/// What a token is.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum TokenKind {
    /// Starts with a letter; may hold digits and inner apostrophes or hyphens.
    Word,
    /// Starts with a digit; may hold inner `.`, `,` or `:` between digits.
    Number,
    /// One punctuation or symbol character.
    Punct,
}

/// A token: a byte span of the segment text (`u32` keeps the vector small;
/// segments are capped well below 4 GiB).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Token {
    /// Byte offset of the first byte in the segment text.
    pub start: u32,
    /// Byte offset one past the last byte in the segment text.
    pub end: u32,
    /// What kind of token this is.
    pub kind: TokenKind,
    /// The token holds a joiner (an inner apostrophe or hyphen, or a
    /// number's `.`, `,` or `:`), so it is more than one run of letters and
    /// digits.
    pub joined: bool,
    /// A case-folded hash of the text: equal for "The" and "the", so
    /// token-level rules compare integers, not strings.
    pub key: u64,
}

impl Token {
    /// The token's byte range in the segment text.
    pub fn range(&self) -> Range<usize> {
        self.start as usize..self.end as usize
    }

    /// The token's text.
    pub fn text<'t>(&self, text: &'t str) -> &'t str {
        &text[self.range()]
    }

    /// Words and numbers carry content; punctuation does not.
    pub fn is_content(&self) -> bool {
        self.kind != TokenKind::Punct
    }
}

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

/// Whether ASCII byte `b` may join a token of `kind` on: an apostrophe or
/// hyphen in a word, a `.`, `,` or `:` in a number (it joins when a letter
/// or digit follows).
fn is_ascii_joiner(kind: TokenKind, b: u8) -> bool {
    match kind {
        TokenKind::Word => matches!(b, b'\'' | b'-'),
        _ => matches!(b, b'.' | b',' | b':'),
    }
}

fn is_inner_joiner(c: char) -> bool {
    matches!(c, '\'' | '’' | '-' | '‐')
}

const MIX: u64 = 0x517c_c1b7_2722_0a95;

/// One step of the key hash: `v` folded into `hash`. Rules that hash
/// sequences of keys (whole sentences) take the same step.
#[inline]
pub(crate) fn mix(hash: u64, v: u64) -> u64 {
    (hash.rotate_left(5) ^ v).wrapping_mul(MIX)
}

/// A hash of the lower-cased text, stable across runs. ASCII words (letters,
/// digits, `'`, `-`) are folded 8 bytes at a time: setting bit 0x20 lowers
/// A–Z and leaves the other bytes a token can hold unchanged.
pub(crate) fn fold_key(word: &str) -> u64 {
    if word.is_ascii() {
        return fold_ascii(word.as_bytes());
    }
    let mut hash = word.len() as u64;
    let mut buf = [0u8; 4];
    for c in word.chars().flat_map(char::to_lowercase) {
        for &b in c.encode_utf8(&mut buf).as_bytes() {
            hash = mix(hash, u64::from(b));
        }
    }
    hash
}

/// [`fold_key`] for ASCII words (letters, digits, `'`, `-`).
#[inline]
fn fold_ascii(word: &[u8]) -> u64 {
    fold_ascii_from(word.len() as u64, word)
}

/// Folds `word` into `hash`, eight bytes at a time (setting bit 0x20 lowers
/// A–Z and leaves the other bytes a token can hold unchanged). The last
/// partial chunk is assembled byte by byte: a short copy into a buffer
/// would be a `memcpy` call per token.
#[inline]
fn fold_ascii_from(mut hash: u64, word: &[u8]) -> u64 {
    let mut chunks = word.chunks_exact(8);
    for chunk in &mut chunks {
        let v = le_u64(chunk) | 0x2020_2020_2020_2020;
        hash = mix(hash, v);
    }
    let rest = chunks.remainder();
    if !rest.is_empty() {
        let mut v = 0u64;
        for (k, &b) in rest.iter().enumerate() {
            v |= u64::from(b | 0x20) << (8 * k);
        }
        hash = mix(hash, v);
    }
    hash
}

/// [`mix`] of the first `n` (1 to 8) bytes of the word `v`, lower-cased.
#[inline]
fn mix_chunk(hash: u64, v: u64, n: usize) -> u64 {
    let mask = u64::MAX >> (8 * (8 - n));
    mix(hash, (v | 0x2020_2020_2020_2020) & mask)
}

/// [`fold_ascii`] of `bytes[start..end]`, reading eight bytes at a time
/// from `bytes` (masking off what lies past `end`) where they are there.
#[inline]
fn fold_ascii_at(bytes: &[u8], start: usize, end: usize) -> u64 {
    let mut hash = (end - start) as u64;
    let mut at = start;
    while at < end {
        let n = (end - at).min(8);
        let Some(eight) = bytes.get(at..at + 8) else {
            // The last bytes of the text: the slow way.
            return fold_ascii_from(hash, &bytes[at..end]);
        };
        hash = mix_chunk(hash, le_u64(eight), n);
        at += 8;
    }
    hash
}

/// Eight bytes as a little-endian word (`eight` holds exactly eight).
#[inline]
fn le_u64(eight: &[u8]) -> u64 {
    let mut buf = [0u8; 8];
    buf.copy_from_slice(eight);
    u64::from_le_bytes(buf)
}

const LOW_BITS: u64 = 0x7f7f_7f7f_7f7f_7f7f;
const HIGH_BITS: u64 = 0x8080_8080_8080_8080;

/// One byte with the high bit set for each byte of `v` in `lo..=hi`, for
/// bytes below 0x80 (no carry crosses a byte: each sum stays below 0x100).
#[inline]
fn bytes_in_range(v: u64, lo: u8, hi: u8) -> u64 {
    let at_least = v + (0x80 - u64::from(lo)) * 0x0101_0101_0101_0101;
    let above = v + (0x7f - u64::from(hi)) * 0x0101_0101_0101_0101;
    at_least & !above & HIGH_BITS
}

/// The high bit of each byte of `v` that is an ASCII letter or digit.
#[inline]
fn ascii_alnum_bits(v: u64) -> u64 {
    let low = v & LOW_BITS;
    let letters = bytes_in_range(low | 0x2020_2020_2020_2020, b'a', b'z');
    let digits = bytes_in_range(low, b'0', b'9');
    // Bytes with the high bit set are not ASCII: never part of the run.
    (letters | digits) & !v & HIGH_BITS
}

/// The end of the run of ASCII letters and digits at `i`: eight bytes are
/// classified at once with word arithmetic (the common case in text is a
/// run of a few letters, and a byte loop costs a branch per letter).
#[inline]
fn ascii_alnum_run_end(bytes: &[u8], mut i: usize) -> usize {
    while let Some(eight) = bytes.get(i..i + 8) {
        let alnum = ascii_alnum_bits(le_u64(eight));
        if alnum == HIGH_BITS {
            i += 8;
            continue;
        }
        return i + ((!alnum & HIGH_BITS).trailing_zeros() / 8) as usize;
    }
    while i < bytes.len()
        && bytes[i] < 0x80
        && matches!(ASCII_CLASS[usize::from(bytes[i])], ALPHA | DIGIT)
    {
        i += 1;
    }
    i
}

/// The char at byte `i` and its length, with a fast path for ASCII.
#[inline]
fn char_at(text: &str, i: usize) -> Option<(char, usize)> {
    let b = *text.as_bytes().get(i)?;
    if b < 0x80 {
        return Some((b as char, 1));
    }
    text[i..].chars().next().map(|c| (c, c.len_utf8()))
}

/// ASCII byte classes for the tokenizer's fast path.
const SPACE: u8 = 0;
const ALPHA: u8 = 1;
const DIGIT: u8 = 2;
const OTHER: u8 = 3;

const fn ascii_classes() -> [u8; 128] {
    let mut table = [OTHER; 128];
    let mut b = 0;
    while b < 128 {
        let c = b as u8;
        table[b] = if c.is_ascii_whitespace() || c == 0x0B {
            SPACE
        } else if c.is_ascii_alphabetic() {
            ALPHA
        } else if c.is_ascii_digit() {
            DIGIT
        } else {
            OTHER
        };
        b += 1;
    }
    table
}

static ASCII_CLASS: [u8; 128] = ascii_classes();

fn tokenize(text: &str) -> Vec<Token> {
    tokenize_with(text, true)
}

/// [`tokenize`], with or without the fast path for short ASCII tokens (a
/// test checks that both give the same tokens).
#[inline]
fn tokenize_with(text: &str, fast: bool) -> Vec<Token> {
    let bytes = text.as_bytes();
    let mut tokens = Vec::with_capacity(text.len() / 5);
    let mut i = 0;
    while i < bytes.len() {
        let b = bytes[i];
        let start = i;
        // The ASCII fast path decides the token's kind from one table load.
        let kind = if b < 0x80 {
            match ASCII_CLASS[usize::from(b)] {
                SPACE => {
                    i += 1;
                    continue;
                }
                OTHER => {
                    tokens.push(Token {
                        start: i as u32,
                        end: i as u32 + 1,
                        kind: TokenKind::Punct,
                        joined: false,
                        key: u64::from(b),
                    });
                    i += 1;
                    continue;
                }
                class => {
                    let kind = if class == ALPHA {
                        TokenKind::Word
                    } else {
                        TokenKind::Number
                    };
                    // The common token: under eight ASCII letters and digits
                    // ended by a byte that cannot join it on. One load gives
                    // its end and its key.
                    if let Some(eight) = bytes.get(i..i + 8).filter(|_| fast) {
                        let v = le_u64(eight);
                        let len = (!ascii_alnum_bits(v) & HIGH_BITS).trailing_zeros() / 8;
                        let end = i + len as usize;
                        if let Some(&next) = bytes.get(end).filter(|_| len < 8) {
                            if next < 0x80 && !is_ascii_joiner(kind, next) {
                                tokens.push(Token {
                                    start: i as u32,
                                    end: end as u32,
                                    kind,
                                    joined: false,
                                    key: mix_chunk(u64::from(len), v, len as usize),
                                });
                                i = end;
                                continue;
                            }
                        }
                    }
                    kind
                }
            }
        } else {
            let Some((c, len)) = char_at(text, i) else {
                break;
            };
            if c.is_whitespace() {
                i += len;
                continue;
            }
            if c.is_alphabetic() {
                TokenKind::Word
            } else if c.is_numeric() {
                TokenKind::Number
            } else {
                i += len;
                tokens.push(Token {
                    start: start as u32,
                    end: i as u32,
                    kind: TokenKind::Punct,
                    joined: false,
                    key: u64::from(u32::from(c)),
                });
                continue;
            }
        };
        let mut ascii = b < 0x80;
        let mut joined = false;
        i += if ascii {
            1
        } else {
            char_at(text, i).map_or(1, |(_, len)| len)
        };
        loop {
            // ASCII letters and digits continue any token.
            i = ascii_alnum_run_end(bytes, i);
            let Some(&next_byte) = bytes.get(i) else {
                break;
            };
            // Spaces and ASCII punctuation other than the kind's joiners end
            // the token at once (a word's "," or "." is the common case).
            if next_byte < 0x80 && !is_ascii_joiner(kind, next_byte) {
                break;
            }
            let Some((c, len)) = char_at(text, i) else {
                break;
            };
            if c.is_alphanumeric() {
                ascii = false;
                i += len;
                continue;
            }
            // A joiner only joins when something alphanumeric (or a digit,
            // for numbers) follows it directly.
            let joins = match kind {
                TokenKind::Word => is_inner_joiner(c),
                _ => matches!(c, '.' | ',' | ':'),
            };
            if !joins {
                break;
            }
            let next = char_at(text, i + len).map(|(n, _)| n);
            let continues = match kind {
                TokenKind::Word => next.is_some_and(char::is_alphanumeric),
                _ => next.is_some_and(|n| n.is_ascii_digit()),
            };
            if !continues {
                break;
            }
            ascii &= len == 1;
            joined = true;
            i += len;
        }
        let key = if ascii {
            fold_ascii_at(bytes, start, i)
        } else {
            fold_key(&text[start..i])
        };
        tokens.push(Token {
            start: start as u32,
            end: i as u32,
            kind,
            joined,
            key,
        });
    }
    tokens
}

/// Paragraphs are separated by lines that hold only whitespace.
fn paragraphs(text: &str) -> Vec<Range<usize>> {
    let mut out = Vec::new();
    let mut start: Option<usize> = None;
    let mut end = 0;
    let mut line_start = 0;
    // Lines found with memchr: `split_inclusive('\n')` searches a byte at a
    // time, and paragraphs are needed for every document.
    let ends = memchr::memchr_iter(b'\n', text.as_bytes())
        .map(|i| i + 1)
        .chain((!text.ends_with('\n')).then_some(text.len()));
    for line_end in ends {
        let line = &text[line_start..line_end];
        let trimmed = line.trim();
        if trimmed.is_empty() {
            if let Some(s) = start.take() {
                out.push(s..end);
            }
        } else {
            let lead = line.len() - line.trim_start().len();
            if start.is_none() {
                start = Some(line_start + lead);
            }
            end = line_start + lead + trimmed.len();
        }
        line_start += line.len();
    }
    if let Some(s) = start {
        out.push(s..end);
    }
    out
}

/// Abbreviations after which a period does not end a sentence.
const ABBREVIATIONS: &[&str] = &[
    "mr", "mrs", "ms", "dr", "prof", "sr", "jr", "st", "mt", "ft", "gen", "lt", "col", "sgt",
    "capt", "cmdr", "adm", "gov", "sen", "rep", "rev", "hon", "pres", "inc", "corp", "co", "ltd",
    "bros", "no", "nos", "vol", "pp", "fig", "figs", "vs", "etc", "approx", "est", "dept", "univ",
    "assn", "ave", "blvd", "rd", "jan", "feb", "mar", "apr", "jun", "jul", "aug", "sep", "sept",
    "oct", "nov", "dec", "al", "cf", "ca", "viz", "incl", "excl", "ed", "eds", "govt", "mln",
    "bln", "bn", "tel", "ext", "op", "ch",
];

/// [`ABBREVIATIONS`] as little-endian words of their bytes, for comparing a
/// lower-cased word in one step. All are lower-case ASCII of at most six
/// letters (checked when this is built).
static ABBREVIATION_WORDS: [u64; ABBREVIATIONS.len()] = {
    let mut words = [0u64; ABBREVIATIONS.len()];
    let mut k = 0;
    while k < ABBREVIATIONS.len() {
        let bytes = ABBREVIATIONS[k].as_bytes();
        assert!(bytes.len() <= 6, "built-in abbreviations are short");
        let mut i = 0;
        while i < bytes.len() {
            assert!(
                bytes[i].is_ascii_lowercase(),
                "built-in abbreviations are lower-case"
            );
            words[k] |= (bytes[i] as u64) << (8 * i);
            i += 1;
        }
        k += 1;
    }
    words
};

/// Whether `c` may be part of the word before a period: a letter, digit,
/// period or apostrophe.
fn is_word_char(c: char) -> bool {
    c.is_alphanumeric() || matches!(c, '.' | '\'' | '’')
}

/// Whether the word that ends at `dot` (the byte offset of a `.`) is an
/// abbreviation, an initial or a dotted initialism (U.S., a.m., Ph.D.).
pub(crate) fn is_abbreviation_before(text: &str, dot: usize, extra: &[String]) -> bool {
    let before = &text[..dot];
    // ASCII words are found byte by byte; a word with other characters
    // (which may be letters or a curly apostrophe) char by char.
    let ascii_start = before
        .bytes()
        .rposition(|b| b >= 0x80 || !is_word_char(char::from(b)))
        .map_or(0, |i| i + 1);
    let word_start = if before
        .as_bytes()
        .get(ascii_start.wrapping_sub(1))
        .is_some_and(|&b| b >= 0x80)
    {
        before
            .char_indices()
            .rev()
            .find(|&(_, c)| !is_word_char(c))
            .map_or(0, |(i, c)| i + c.len_utf8())
    } else {
        ascii_start
    };
    let word = &before[word_start..];
    if word.is_empty() {
        return false;
    }
    if word.contains('.') {
        // Dotted initialisms; an ellipsis or "etc.." is not one.
        return !word.ends_with('.');
    }
    let mut chars = word.chars();
    if let (Some(c), None) = (chars.next(), chars.next()) {
        // A single letter before a period is an initial ("John F. Kennedy").
        return c.is_alphabetic();
    }
    // No built-in abbreviation is longer than six letters.
    let built_in = word.len() <= 6 && word.is_ascii() && {
        let folded = word.bytes().enumerate().fold(0u64, |w, (i, b)| {
            w | u64::from(b.to_ascii_lowercase()) << (8 * i)
        });
        ABBREVIATION_WORDS.contains(&folded)
    };
    built_in
        || extra
            .iter()
            .any(|a| a.trim_end_matches('.').eq_ignore_ascii_case(word))
}

fn is_closing(c: char) -> bool {
    matches!(c, '"' | '\'' | '”' | '’' | ')' | ']' | '»')
}

fn starts_sentence(c: char) -> bool {
    c.is_uppercase() || c.is_numeric() || matches!(c, '“' | '"' | '‘' | '(' | '[' | '«' | '¿' | '¡')
}

/// Splits a paragraph at sentence ends: `.`, `!` or `?` (and closing quotes
/// or brackets) followed by space and a capital, digit or opening quote.
fn sentences(text: &str, para: Range<usize>) -> Vec<Range<usize>> {
    let mut out = Vec::new();
    let bytes = text.as_bytes();
    let mut start = para.start;
    let mut i = para.start;
    while i < para.end {
        let Some(found) = memchr::memchr3(b'.', b'!', b'?', &bytes[i..para.end]) else {
            break;
        };
        let term = i + found;
        let mut j = term + 1;
        while j < para.end && matches!(bytes[j], b'.' | b'!' | b'?') {
            j += 1;
        }
        let mut rest = text[j..para.end].char_indices();
        let mut end = j;
        for (k, c) in rest.by_ref() {
            if is_closing(c) {
                end = j + k + c.len_utf8();
            } else {
                break;
            }
        }
        let after = &text[end..para.end];
        let trimmed = after.trim_start();
        let has_space = trimmed.len() < after.len();
        let next = trimmed.chars().next();
        let is_end = has_space
            && next.is_some_and(starts_sentence)
            && !(bytes[term] == b'.' && j == term + 1 && is_abbreviation_before(text, term, &[]));
        if is_end {
            out.push(start..end);
            start = end + (after.len() - trimmed.len());
        }
        i = end.max(j);
    }
    if start < para.end {
        out.push(start..para.end);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn words(text: &str) -> Vec<&str> {
        tokenize(text).iter().map(|t| t.text(text)).collect()
    }

    #[test]
    fn tokens_keep_inner_apostrophes_hyphens_and_number_separators() {
        assert_eq!(
            words("China’s so-called 1,200 rock ’n’ roll don't."),
            vec![
                "China’s",
                "so-called",
                "1,200",
                "rock",
                "’",
                "n",
                "’",
                "roll",
                "don't",
                "."
            ]
        );
        assert_eq!(
            words("3.5% of 1,200, at 9:30."),
            vec!["3.5", "%", "of", "1,200", ",", "at", "9:30", "."]
        );
        assert_eq!(
            words("the so-called ‘talks’"),
            vec!["the", "so-called", "‘", "talks", "’"]
        );
        assert_eq!(words("China’s don't"), vec!["China’s", "don't"]);
    }

    #[test]
    fn paragraphs_split_on_blank_lines_and_trim() {
        let text = "  One line\ncontinues.\n\n \t\nTwo.\n";
        let p: Vec<_> = paragraphs(text).into_iter().map(|r| &text[r]).collect();
        assert_eq!(p, vec!["One line\ncontinues.", "Two."]);
    }

    fn split(text: &str) -> Vec<&str> {
        sentences(text, 0..text.len())
            .into_iter()
            .map(|r| &text[r])
            .collect()
    }

    #[test]
    fn sentences_respect_abbreviations_and_quotes() {
        assert_eq!(
            split(
                "Mr. Smith met U.S. officials at 9 a.m. on Monday. “We agreed,” he said. Then he left!"
            ),
            vec![
                "Mr. Smith met U.S. officials at 9 a.m. on Monday.",
                "“We agreed,” he said.",
                "Then he left!"
            ]
        );
        assert_eq!(
            split("It rose 3.5 percent. Analysts were surprised."),
            vec!["It rose 3.5 percent.", "Analysts were surprised."]
        );
        assert_eq!(
            split("He said “Stop.” Then he left."),
            vec!["He said “Stop.”", "Then he left."]
        );
        assert_eq!(
            split("John F. Kennedy spoke."),
            vec!["John F. Kennedy spoke."]
        );
    }

    #[test]
    fn abbreviation_detection() {
        let t = "the U.S. and Mr. X at 5 p.m. and etc.. Done";
        assert!(is_abbreviation_before(t, t.find("U.S.").unwrap() + 3, &[]));
        assert!(is_abbreviation_before(t, t.find("Mr.").unwrap() + 2, &[]));
        assert!(is_abbreviation_before(t, t.find("p.m.").unwrap() + 3, &[]));
        assert!(!is_abbreviation_before("the end.", 7, &[]));
        assert!(is_abbreviation_before("Foo Co.", 6, &[]));
        assert!(is_abbreviation_before("the Xyz.", 7, &["xyz.".to_string()]));
    }

    /// The byte-wise word search and one-step table lookup answer as a
    /// plain char-by-char search and list comparison would, before every
    /// period of a text that mixes ASCII, accents and curly apostrophes.
    #[test]
    fn abbreviation_lookup_agrees_with_a_plain_search() {
        fn plain(text: &str, dot: usize, extra: &[String]) -> bool {
            let before = &text[..dot];
            let start = before
                .char_indices()
                .rev()
                .find(|&(_, c)| !(c.is_alphanumeric() || c == '.' || c == '\'' || c == '’'))
                .map_or(0, |(i, c)| i + c.len_utf8());
            let word = &before[start..];
            if word.is_empty() {
                return false;
            }
            if word.contains('.') {
                return !word.ends_with('.');
            }
            if word.chars().count() == 1 {
                return word.chars().all(char::is_alphabetic);
            }
            ABBREVIATIONS.iter().any(|a| a.eq_ignore_ascii_case(word))
                || extra
                    .iter()
                    .any(|a| a.trim_end_matches('.').eq_ignore_ascii_case(word))
        }
        let words = [
            "Mr", "MRS", "gov", "Sept", "approx", "approxx", "Govt", "Señ", "Dr’s", "D’", "No",
            "U.S", "a.m", "É", "x", "7", "etc.", "Inc", "inc’", "l'ed", "ltdé", "Ålt", "co",
        ];
        let extra = vec!["Señ.".to_string()];
        let mut text = String::new();
        for (i, a) in words.iter().enumerate() {
            for b in &words[i..] {
                for sep in [" ", "", "’", "—"] {
                    text.clear();
                    text.push_str(a);
                    text.push_str(sep);
                    text.push_str(b);
                    text.push('.');
                    let dot = text.len() - 1;
                    assert_eq!(
                        is_abbreviation_before(&text, dot, &extra),
                        plain(&text, dot, &extra),
                        "{text:?}"
                    );
                }
            }
        }
    }

    #[test]
    fn word_arithmetic_agrees_with_byte_by_byte() {
        // Every byte value, at every offset within an eight-byte word.
        let mut bytes: Vec<u8> = (0..=255u8).collect();
        bytes.extend(b"Mixed CASE words-and 1,234 digits, caf\xc3\xa9 ZZ zz AZ@[`{ 09/:");
        bytes.extend((0..=255u8).rev());
        let slow = |i: usize| {
            let mut end = i;
            while end < bytes.len() && bytes[end].is_ascii_alphanumeric() {
                end += 1;
            }
            end
        };
        for i in 0..bytes.len() {
            assert_eq!(ascii_alnum_run_end(&bytes, i), slow(i), "at {i}");
            let end = slow(i);
            assert_eq!(
                fold_ascii_at(&bytes, i, end),
                fold_ascii(&bytes[i..end]),
                "at {i}"
            );
        }
    }

    #[test]
    fn keys_fold_case() {
        let t = tokenize("The the THE thé THÉ other");
        assert_eq!(t[0].key, t[1].key);
        assert_eq!(t[0].key, t[2].key);
        assert_eq!(t[3].key, t[4].key);
        assert_ne!(t[0].key, t[3].key);
        assert_ne!(t[0].key, t[5].key);
    }

    /// Whatever path the tokenizer takes (one eight-byte load, the run
    /// loop, joiners, non-ASCII), it gives the same tokens, and a token's key
    /// is `fold_key` of its text, including tokens cut short by the end of
    /// the text.
    #[test]
    fn every_token_key_is_the_fold_of_its_text() {
        let mut text = String::new();
        for word in [
            "a",
            "Ab",
            "abc",
            "Abcdefg",
            "ABCDEFGH",
            "abcdefghi",
            "Seventeen-letters",
            "don't",
            "so-called",
            "it’s",
            "3",
            "1,234",
            "12:30",
            "3.5",
            "x86",
            "2024abc",
            "Zürich",
            "naïveté",
            "e.g",
            "U.S.",
            "rock-",
            "end'",
            "ÉTÉ",
        ] {
            for after in [" ", ".", ",", "-", "'", "’", "\n", "é", ""] {
                text.push_str(word);
                text.push_str(after);
            }
        }
        for cut in 0..=text.len() {
            if !text.is_char_boundary(cut) {
                continue;
            }
            let part = &text[..cut];
            // The fast path ends, classifies and flags tokens as the
            // general path does.
            assert_eq!(tokenize(part), tokenize_with(part, false), "{part:?}");
            for token in tokenize(part) {
                if token.kind != TokenKind::Punct {
                    assert_eq!(
                        token.key,
                        fold_key(token.text(part)),
                        "{:?}",
                        token.text(part)
                    );
                }
            }
        }
    }

    /// Paragraphs from memchr'd lines are those of a plain line split.
    #[test]
    fn paragraphs_agree_with_a_line_split() {
        fn plain(text: &str) -> Vec<Range<usize>> {
            let (mut out, mut start, mut end, mut at) = (Vec::new(), None, 0, 0);
            for line in text.split_inclusive('\n') {
                let trimmed = line.trim();
                if trimmed.is_empty() {
                    out.extend(start.take().map(|s| s..end));
                } else {
                    let lead = line.len() - line.trim_start().len();
                    start.get_or_insert(at + lead);
                    end = at + lead + trimmed.len();
                }
                at += line.len();
            }
            out.extend(start.map(|s| s..end));
            out
        }
        let pieces = [
            "a", "Word.", " ", "\t", "\n", "\n\n", "\r\n", " \n ", "\u{a0}", "é",
        ];
        for text in crate::test_texts::random_texts(0x1234_5678_9abc_def1, &pieces, 20, 2000) {
            assert_eq!(paragraphs(&text), plain(&text), "{text:?}");
        }
    }

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
