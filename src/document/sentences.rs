//! Paragraphs (text between blank lines) and sentences (split at `.`, `!`
//! or `?` unless an abbreviation or initial comes before it). Works on a
//! segment's text alone: knows nothing of tokens, segments or rules.

use std::ops::Range;

/// Paragraphs are separated by lines that hold only whitespace.
pub(crate) fn paragraphs(text: &str) -> Vec<Range<usize>> {
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
pub(crate) fn sentences(text: &str, para: Range<usize>) -> Vec<Range<usize>> {
    let mut out = Vec::new();
    sentences_into(text, para, &mut out);
    out
}

/// [`sentences`], appended to `out` (one list for a segment's paragraphs).
pub(crate) fn sentences_into(text: &str, para: Range<usize>, out: &mut Vec<Range<usize>>) {
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
}

#[cfg(test)]
mod tests {
    use super::*;

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
}
