//! Words, numbers and punctuation with byte spans, and their case-folded
//! keys: the tokenizer (the hottest code of a run), `fold_key` and the hash
//! step `mix` that rules reuse. Knows nothing of paragraphs, sentences,
//! segments or rules.

use std::ops::Range;

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

/// How many of the eight bytes of `v` (in text order) are ASCII letters or
/// digits before the first that is not (8: all of them).
#[inline]
fn alnum_prefix(v: u64) -> usize {
    (!ascii_alnum_bits(v) & HIGH_BITS).trailing_zeros() as usize / 8
}

/// The end of the run of ASCII letters and digits at `i`: eight bytes are
/// classified at once with word arithmetic (the common case in text is a
/// run of a few letters, and a byte loop costs a branch per letter).
#[inline]
fn ascii_alnum_run_end(bytes: &[u8], mut i: usize) -> usize {
    while let Some(eight) = bytes.get(i..i + 8) {
        let run = alnum_prefix(le_u64(eight));
        if run < 8 {
            return i + run;
        }
        i += 8;
    }
    while i < bytes.len()
        && bytes[i] < 0x80
        && matches!(ASCII_CLASS[usize::from(bytes[i])], ALPHA | DIGIT)
    {
        i += 1;
    }
    i
}

/// The common token at `i`: under sixteen ASCII letters and digits, with a
/// byte after them. One or two eight-byte loads give its end and its key
/// ([`fold_ascii_at`] of it); the caller checks that the byte at the end
/// cannot join the token on.
#[inline]
fn short_ascii_token(bytes: &[u8], i: usize) -> Option<(usize, u64)> {
    let v = le_u64(bytes.get(i..i + 8)?);
    let len = alnum_prefix(v);
    if len < 8 {
        let end = i + len;
        return (end < bytes.len()).then(|| (end, mix_chunk(len as u64, v, len)));
    }
    // Eight letters or more (a fifth of the words of news prose).
    let w = le_u64(bytes.get(i + 8..i + 16)?);
    let more = alnum_prefix(w);
    let end = i + 8 + more;
    if more == 8 || end >= bytes.len() {
        return None;
    }
    let key = mix_chunk((8 + more) as u64, v, 8);
    Some((
        end,
        if more == 0 {
            key
        } else {
            mix_chunk(key, w, more)
        },
    ))
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

pub(crate) fn tokenize(text: &str) -> Vec<Token> {
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
                    // The common token: under sixteen ASCII letters and
                    // digits ended by a byte that cannot join it on. One or
                    // two loads give its end and its key.
                    if let Some((end, key)) = fast.then(|| short_ascii_token(bytes, i)).flatten() {
                        let next = bytes[end];
                        if next < 0x80 && !is_ascii_joiner(kind, next) {
                            tokens.push(Token {
                                start: i as u32,
                                end: end as u32,
                                kind,
                                joined: false,
                                key,
                            });
                            // A space after a word, the common case, is
                            // passed over here rather than by the loop.
                            i = end + usize::from(next == b' ');
                            continue;
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
            "Fifteenletterss",
            "Sixteenlettersss",
            "Seventeenletterss",
            "twelveletter",
            "Eightabc",
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
}
