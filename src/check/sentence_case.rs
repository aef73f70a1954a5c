//! `sentence-case`: a sentence or paragraph that starts with a lower-case
//! letter ("prices rose. the index fell"), a common artifact where MT splits or
//! joins sentences.
//!
//! ```toml
//! terminators = ".?!"            # default
//! abbreviations = ["approx."]    # added to the built-in list (Mr., a.m., e.g., U.S., …)
//! allow = ["iPhone", "eBay"]     # words that start lower-case on purpose
//! ordinals = true                # a period after a number is an ordinal (de, cs: "am 3. Oktober")
//! ```
//! A document without a source that is a single sentence (a segment of a
//! sentence-split test set or subtitle file, a record) may continue a
//! sentence the segment before began: its lower-case start is not flagged.
//! Not flagged: words after abbreviations, initials and dotted initialisms,
//! after an ellipsis (`...`, `…`, `. . .`), after `?` or `!` inside a quotation
//! (the speech tag follows: “Why?” she asked), words with an inner capital
//! (iPhone, mRNA), domain names and handles, and list numbers ("1. the").
//!
//! Placeholders: `{match}`, `{word}`, `{capitalized}`.
//!
//! Knows nothing of files, input formats, positions or reporters: it sees a
//! segment's text and its paragraphs.

use std::sync::Arc;

use serde::Deserialize;

use super::{Check, Output, RuleContext, char_at, char_before, each_segment};
use crate::diagnostics::RuleError;
use crate::document::{Document, Segment, is_abbreviation_before};
use crate::finding::{Finding, RuleMeta};

pub(crate) const KEYS: &[&str] = &["terminators", "abbreviations", "allow", "ordinals"];

#[derive(Deserialize)]
struct Spec {
    terminators: Option<String>,
    #[serde(default)]
    abbreviations: Vec<String>,
    #[serde(default)]
    allow: Vec<String>,
    #[serde(default)]
    ordinals: bool,
}

struct SentenceCase {
    terminators: Vec<char>,
    /// The terminators as bytes when all are ASCII (at most three), else empty.
    ascii_terminators: Vec<u8>,
    abbreviations: Vec<String>,
    allow: Vec<String>,
    /// Whether a period right after a digit marks an ordinal number.
    ordinals: bool,
    out: Output,
}

pub(crate) fn build(ctx: &RuleContext<'_>) -> Result<Box<dyn Check>, RuleError> {
    let spec: Spec = ctx.spec()?;
    let out = ctx.output(
        |v| matches!(v, "match" | "word" | "capitalized"),
        "{match}, {word}, {capitalized}",
    )?;
    let terminators: Vec<char> = spec
        .terminators
        .unwrap_or_else(|| ".?!".into())
        .chars()
        .collect();
    Ok(Box::new(SentenceCase {
        ascii_terminators: match terminators.iter().all(char::is_ascii) && terminators.len() <= 3 {
            true => terminators.iter().map(|&c| c as u8).collect(),
            false => Vec::new(),
        },
        terminators,
        abbreviations: spec.abbreviations,
        allow: spec.allow,
        ordinals: spec.ordinals,
        out,
    }))
}

fn is_opening_mark(c: char) -> bool {
    matches!(c, '“' | '‘' | '(' | '[' | '«' | '"' | '„' | '‚' | '¿' | '¡')
}

impl SentenceCase {
    /// The word starting at `i` if it starts lower-case and is not exempt.
    fn lower_word<'t>(&self, text: &'t str, i: usize) -> Option<&'t str> {
        let first = char_at(text, i)?;
        if !first.is_lowercase() {
            return None;
        }
        let end = text[i..]
            .char_indices()
            .find(|&(_, c)| {
                c.is_whitespace() || matches!(c, ',' | ';' | ':' | '!' | '?' | ')' | '”' | '"')
            })
            .map_or(text.len(), |(k, _)| i + k);
        let word = text[i..end].trim_end_matches(['.', '’', '\'']);
        // "a) item": a list marker.
        if text[end..].starts_with(')') {
            return None;
        }
        let exempt = word.chars().skip(1).any(char::is_uppercase)
            || word.contains(['.', '@', '/', '_'])
            || word.chars().any(|c| c.is_ascii_digit())
            || self.allow.iter().any(|a| a == word);
        (!exempt && !word.is_empty()).then_some(word)
    }

    fn flag(&self, seg: &Segment<'_>, start: usize, word: &str, out: &mut Vec<Finding>) {
        let mut capitalized: String = word
            .chars()
            .next()
            .map(|c| c.to_uppercase().collect())
            .unwrap_or_default();
        capitalized.extend(word.chars().skip(1));
        out.push(
            self.out
                .finding(seg, start..start + word.len(), |v| match v {
                    "word" | "match" => Some(word),
                    "capitalized" => Some(capitalized.as_str()),
                    _ => None,
                }),
        );
    }

    /// Whether the terminator at `i` really ends a sentence before a lower-case word.
    fn ends_sentence(&self, text: &str, i: usize, c: char) -> bool {
        let prev = char_before(text, i);
        let next = char_at(text, i + c.len_utf8());
        // Ellipses: "..", "…", and the spaced ". . .".
        if matches!(prev, Some('.' | '…')) || matches!(next, Some('.' | '…')) {
            return false;
        }
        if prev.is_none_or(char::is_whitespace) {
            // " . " is spacing, reported by another rule; ". . ." is an ellipsis.
            return false;
        }
        let before = text[..i].trim_end();
        if c == '.' && (before.ends_with(". .") || text[i + 1..].trim_start().starts_with('.')) {
            return false;
        }
        if c == '.' && is_abbreviation_before(text, i, &self.abbreviations) {
            return false;
        }
        if c == '.' && self.ordinals && prev.is_some_and(|p| p.is_ascii_digit()) {
            // "am 3. Oktober", "od 26. května": an ordinal, not an end.
            return false;
        }
        if c == '.' {
            // "1. the first item": a list number at the start of a line.
            let line = &text[text[..i].rfind('\n').map_or(0, |n| n + 1)..i];
            let line = line.trim_start();
            if !line.is_empty() && line.chars().all(|c| c.is_ascii_digit()) {
                return false;
            }
        }
        true
    }
}

/// Whether `doc` is one sentence with no source: a segment that may
/// continue the sentence of the segment before it.
fn continues_a_segment(doc: &Document<'_>) -> bool {
    doc.source.is_none()
        && doc
            .segments
            .iter()
            .map(|s| s.sentences().len())
            .sum::<usize>()
            == 1
}

impl Check for SentenceCase {
    fn meta(&self) -> &Arc<RuleMeta> {
        &self.out.meta
    }

    fn check(&self, doc: &Document<'_>, out: &mut Vec<Finding>) {
        // Asked only when a paragraph starts lower-case (rare).
        let mut continues = None;
        each_segment(doc, out, |seg, out| {
            self.check_segment_in(seg, out, &mut || {
                *continues.get_or_insert_with(|| continues_a_segment(doc))
            });
        });
    }
}

impl SentenceCase {
    /// The findings of one segment; `continues` tells whether the document
    /// may continue a sentence begun in the segment before.
    fn check_segment_in(
        &self,
        seg: &Segment<'_>,
        out: &mut Vec<Finding>,
        continues: &mut dyn FnMut() -> bool,
    ) {
        let text = seg.text();
        let paragraphs = seg.paragraphs();
        for para in paragraphs {
            // Headings, table cells and list fragments end without a sentence
            // mark and may start lower-case; prose paragraphs may not.
            let ends_like_prose = text[para.clone()]
                .trim_end()
                .ends_with(['.', '!', '?', '…', '"', '”', '’']);
            if !ends_like_prose {
                continue;
            }
            let start = para.start
                + text[para.clone()]
                    .find(|c: char| !is_opening_mark(c))
                    .unwrap_or(0);
            if let Some(word) = self.lower_word(text, start)
                && !continues()
            {
                self.flag(seg, start, word, out);
            }
        }
        let bytes = text.as_bytes();
        let candidates: Box<dyn Iterator<Item = usize>> = match self.ascii_terminators.as_slice() {
            // ASCII terminators are found with memchr, not by decoding every char.
            [a] => Box::new(memchr::memchr_iter(*a, bytes)),
            [a, b] => Box::new(memchr::memchr2_iter(*a, *b, bytes)),
            [a, b, c] => Box::new(memchr::memchr3_iter(*a, *b, *c, bytes)),
            _ => Box::new(
                text.char_indices()
                    .filter(|(_, c)| self.terminators.contains(c))
                    .map(|(i, _)| i),
            ),
        };
        for i in candidates {
            let Some(c) = char_at(text, i) else { continue };
            let after = &text[i + c.len_utf8()..];
            let rest = after.trim_start();
            let gap = &after[..after.len() - rest.len()];
            // Needs a space, and a blank line is a paragraph start (done above).
            if gap.is_empty() || gap.matches('\n').count() >= 2 {
                continue;
            }
            let start =
                text.len() - rest.len() + rest.find(|c: char| !is_opening_mark(c)).unwrap_or(0);
            if let Some(word) = self.lower_word(text, start)
                && self.ends_sentence(text, i, c)
            {
                self.flag(seg, start, word, out);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::check::testing::{matched, run};

    const RULE: &str = r#"
id = "t"
kind = "sentence-case"
category = "capitalization"
severity = "warning"
message = "starts lower-case: {word}"
summary = "s"
why = "w"
abbreviations = ["approx."]
allow = ["de"]
[fix]
replacement = "{capitalized}"
"#;

    #[test]
    fn flags_lower_case_after_period_and_at_paragraph_start() {
        let found = run(RULE, "Prices rose. the index fell.\n\nand then more.");
        assert_eq!(
            found,
            vec![
                (
                    "the".into(),
                    "starts lower-case: the".into(),
                    Some("The".into())
                ),
                (
                    "and".into(),
                    "starts lower-case: and".into(),
                    Some("And".into())
                ),
            ]
        );
        assert_eq!(matched(RULE, "It ended.\nthe next line"), vec!["the"]);
        assert_eq!(matched(RULE, "Really? yes."), vec!["yes"]);
    }

    #[test]
    fn exceptions() {
        for text in [
            "He met Mr. smith at 9 a.m. on Monday and e.g. others.",
            "It cost approx. ten dollars.",
            "John F. kennedy",
            "He paused . . . and went on... then stopped… again.",
            "“Why now?” she asked. “Stop!” he shouted.",
            "iPhone sales rose. eBay fell. mRNA vaccines.",
            "Visit example.org for more. de Gaulle spoke.",
            "Options:\n1. the first\n2. the second",
            "a) item one\nb) item two",
            "The U.S. market rose.",
            "a heading without a period\n\nno finding at or above the threshold",
        ] {
            assert!(
                matched(RULE, text).is_empty(),
                "{text}: {:?}",
                matched(RULE, text)
            );
        }
    }

    #[test]
    fn ordinals_are_not_sentence_ends_when_asked() {
        let text = "Sie kam am 3. oktober. danach ging sie.";
        assert_eq!(matched(RULE, text), vec!["oktober", "danach"]);
        let ordinals = RULE.replace("allow = [\"de\"]", "allow = [\"de\"]\nordinals = true");
        assert_eq!(matched(&ordinals, text), vec!["danach"]);
        assert_eq!(
            matched(&ordinals, "Es endete 1990. danach nichts."),
            Vec::<String>::new()
        );
    }

    #[test]
    fn a_one_sentence_segment_may_continue_the_one_before() {
        for text in [
            "and then the minister left.",
            "“and then the minister left,” she said.",
        ] {
            assert!(matched(RULE, text).is_empty(), "{text}");
        }
        // Two sentences: the start is a slip, and so is a start after a period.
        assert_eq!(
            matched(RULE, "and then the minister left. She came back."),
            vec!["and"]
        );
        assert_eq!(matched(RULE, "Thanks. thanks again."), vec!["thanks"]);
        assert_eq!(
            matched(RULE, "The talks ended.\n\nand then the minister left."),
            vec!["and"]
        );
    }

    #[test]
    fn opening_quote_before_the_word() {
        assert_eq!(matched(RULE, "It ended. “the end,” he said."), vec!["the"]);
    }
}
