//! One tokenisation pass per segment, shared by all token-level rules:
//! words, numbers and punctuation with byte spans, paragraphs and sentences.

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

/// The shared analysis of one segment.
#[derive(Debug, Default)]
pub struct Analysis {
    /// Every non-space token, in order.
    pub tokens: Vec<Token>,
    /// Byte ranges of paragraphs (text between blank lines, trimmed).
    pub paragraphs: Vec<Range<usize>>,
    /// Byte ranges of sentences, each inside one paragraph, trimmed.
    pub sentences: Vec<Range<usize>>,
}

impl Analysis {
    /// Analyses `text` in one pass for tokens and one for sentence ends.
    pub fn new(text: &str) -> Self {
        let tokens = tokenize(text);
        let paragraphs = paragraphs(text);
        let sentences = paragraphs
            .iter()
            .flat_map(|p| sentences(text, p.clone()))
            .collect();
        Analysis {
            tokens,
            paragraphs,
            sentences,
        }
    }

    /// Index of the first token that starts at or after byte `offset`.
    pub fn token_at(&self, offset: usize) -> usize {
        self.tokens.partition_point(|t| (t.start as usize) < offset)
    }
}

fn is_inner_joiner(c: char) -> bool {
    matches!(c, '\'' | '’' | '-' | '‐')
}

fn tokenize(text: &str) -> Vec<Token> {
    let mut tokens = Vec::with_capacity(text.len() / 5);
    let mut chars = text.char_indices().peekable();
    while let Some((start, c)) = chars.next() {
        if c.is_whitespace() {
            continue;
        }
        let kind = if c.is_alphabetic() {
            TokenKind::Word
        } else if c.is_numeric() {
            TokenKind::Number
        } else {
            tokens.push(Token {
                start: start as u32,
                end: (start + c.len_utf8()) as u32,
                kind: TokenKind::Punct,
            });
            continue;
        };
        let mut end = start + c.len_utf8();
        while let Some(&(i, c)) = chars.peek() {
            if c.is_alphanumeric() {
                chars.next();
                end = i + c.len_utf8();
                continue;
            }
            let joins = match kind {
                TokenKind::Word => is_inner_joiner(c),
                _ => matches!(c, '.' | ',' | ':'),
            };
            // A joiner only joins when something alphanumeric (or a digit, for
            // numbers) follows it directly.
            let next = text[i + c.len_utf8()..].chars().next();
            let continues = match kind {
                TokenKind::Word => next.is_some_and(char::is_alphanumeric),
                _ => next.is_some_and(|n| n.is_ascii_digit()),
            };
            if joins && continues {
                chars.next();
                end = i + c.len_utf8();
            } else {
                break;
            }
        }
        tokens.push(Token {
            start: start as u32,
            end: end as u32,
            kind,
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
    for line in text.split_inclusive('\n') {
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

/// Whether the word that ends at `dot` (the byte offset of a `.`) is an
/// abbreviation, an initial or a dotted initialism (U.S., a.m., Ph.D.).
pub(crate) fn is_abbreviation_before(text: &str, dot: usize, extra: &[String]) -> bool {
    let before = &text[..dot];
    let word_start = before
        .char_indices()
        .rev()
        .find(|&(_, c)| !(c.is_alphanumeric() || c == '.' || c == '\'' || c == '’'))
        .map_or(0, |(i, c)| i + c.len_utf8());
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
    let lower = word.to_lowercase();
    ABBREVIATIONS.contains(&lower.as_str())
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
        let b = bytes[i];
        if !matches!(b, b'.' | b'!' | b'?') {
            i += 1;
            continue;
        }
        let term = i;
        let mut j = i + 1;
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

    #[test]
    fn token_at_finds_first_token_at_or_after() {
        let a = Analysis::new("ab cd ef");
        assert_eq!(a.token_at(0), 0);
        assert_eq!(a.token_at(1), 1);
        assert_eq!(a.token_at(3), 1);
        assert_eq!(a.token_at(100), 3);
    }
}
