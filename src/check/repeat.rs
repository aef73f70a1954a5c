//! `repeat`: token-level repetition, which no regex without back-references
//! can find.
//!
//! `mode = "doubled-word"`: the same word twice in a row, across a line break
//! too, ignoring case ("said the the situation"). `allow` lists legitimate
//! doubles ("had had", "Duran Duran"); with `names = true` two capitalised
//! copies of a word not in `common-words` are taken for a reduplicated
//! personal name ("Lang Lang"). A run of three or more is left to loop mode.
//! Doubled single letters spell words out ("b a s i c") and are skipped,
//! but for the one-letter words of the language, `letter-words` (default
//! `["a", "I"]`; Russian has в, с, к, о, Czech v, s, z, k).
//!
//! `mode = "loop"`: a token or n-gram of up to `max-ngram` tokens repeated
//! `min-copies` or more times, separated by at most a little punctuation —
//! the degenerate loops neural MT emits ("Bern, Bern, Bern, Bern"). One finding
//! covers the whole loop. `allow` lists units that people repeat on purpose.
//!
//! Placeholders: `{match}`, `{word}`/`{unit}` (the first copy), `{copies}`.
//!
//! Knows nothing of files, input formats, positions or reporters: it sees a
//! segment's text and tokens.

use std::collections::HashSet;
use std::sync::Arc;

use serde::Deserialize;
use toml::Spanned;

use super::{Check, Output, RuleContext};
use crate::diagnostics::RuleError;
use crate::document::{Segment, Token, TokenKind};
use crate::finding::{Finding, RuleMeta};

pub(crate) const KEYS: &[&str] = &[
    "mode",
    "allow",
    "names",
    "common-words",
    "min-copies",
    "max-ngram",
    "allow-comma-triples",
    "letter-words",
];

/// Longest gap, in bytes, between two copies of a loop.
const MAX_LOOP_GAP: usize = 6;

#[derive(Deserialize, Clone, Copy, PartialEq, Eq)]
#[serde(rename_all = "kebab-case")]
enum Mode {
    DoubledWord,
    Loop,
}

#[derive(Deserialize)]
#[serde(rename_all = "kebab-case")]
struct Spec {
    mode: Mode,
    #[serde(default)]
    allow: Vec<String>,
    #[serde(default)]
    names: bool,
    #[serde(default)]
    common_words: Vec<String>,
    min_copies: Option<Spanned<usize>>,
    max_ngram: Option<Spanned<usize>>,
    #[serde(default)]
    allow_comma_triples: bool,
    letter_words: Option<Vec<String>>,
}

struct Repeat {
    mode: Mode,
    /// Lower-cased allowed doubles ("had had") or loop units ("ha").
    allow: HashSet<String>,
    names: bool,
    common_words: HashSet<String>,
    min_copies: usize,
    max_ngram: usize,
    /// Three comma-separated copies of one word are rhetoric, not a loop.
    allow_comma_triples: bool,
    /// Single-letter words that are words, not spelling ("a", "I").
    letter_words: Vec<String>,
    out: Output,
}

fn normalise(s: &str) -> String {
    s.split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
        .to_lowercase()
}

pub(crate) fn build(ctx: &RuleContext<'_>) -> Result<Box<dyn Check>, RuleError> {
    let spec: Spec = ctx.spec()?;
    let min_copies = spec.min_copies.as_ref().map_or(3, |s| *s.get_ref());
    let max_ngram = spec.max_ngram.as_ref().map_or(4, |s| *s.get_ref());
    if let Some(s) = spec
        .min_copies
        .as_ref()
        .filter(|_| !(2..=100).contains(&min_copies))
    {
        return Err(ctx.error(Some(s.span()), "`min-copies` must be between 2 and 100"));
    }
    if let Some(s) = spec
        .max_ngram
        .as_ref()
        .filter(|_| !(1..=10).contains(&max_ngram))
    {
        return Err(ctx.error(Some(s.span()), "`max-ngram` must be between 1 and 10"));
    }
    let out = match spec.mode {
        Mode::DoubledWord => ctx.output(|v| matches!(v, "match" | "word"), "{match}, {word}")?,
        Mode::Loop => ctx.output(
            |v| matches!(v, "match" | "unit" | "copies"),
            "{match}, {unit}, {copies}",
        )?,
    };
    Ok(Box::new(Repeat {
        mode: spec.mode,
        allow: spec.allow.iter().map(|a| normalise(a)).collect(),
        names: spec.names,
        letter_words: spec
            .letter_words
            .unwrap_or_else(|| vec!["a".into(), "A".into(), "I".into()]),
        common_words: spec.common_words.iter().map(|w| w.to_lowercase()).collect(),
        min_copies,
        max_ngram,
        allow_comma_triples: spec.allow_comma_triples,
        out,
    }))
}

fn capitalised(word: &str) -> bool {
    word.chars().next().is_some_and(char::is_uppercase)
}

/// Whether the text between two tokens may separate copies of a repetition.
fn is_space_gap(gap: &str) -> bool {
    !gap.is_empty() && gap.chars().all(char::is_whitespace) && !is_paragraph_break(gap)
}

fn is_paragraph_break(gap: &str) -> bool {
    gap.split('\n').skip(1).count() >= 2
}

impl Repeat {
    fn doubled_words(&self, seg: &Segment<'_>, out: &mut Vec<Finding>) {
        let text = seg.text();
        let tokens = seg.tokens();
        let joined = |a: &Token, b: &Token| is_space_gap(&text[a.end as usize..b.start as usize]);
        let same = |a: &Token, b: &Token| {
            a.key == b.key && a.kind == TokenKind::Word && b.kind == TokenKind::Word && joined(a, b)
        };
        let mut i = 0;
        while i + 1 < tokens.len() {
            // A tight scan to the next pair of tokens with equal keys.
            let Some(skip) = tokens[i..].windows(2).position(|w| w[0].key == w[1].key) else {
                break;
            };
            i += skip;
            let (a, b) = (&tokens[i], &tokens[i + 1]);
            if !same(a, b) {
                i += 1;
                continue;
            }
            // Runs of three or more are loops, reported by loop mode.
            let mut run = 2;
            while i + run < tokens.len() && same(&tokens[i + run - 1], &tokens[i + run]) {
                run += 1;
            }
            // Single letters spell words out ("b a s i c"), and a word glued to
            // a preceding dot belongs to a name ("E.ON on").
            let spelled = a.text(text).chars().count() == 1
                && !self.letter_words.iter().any(|w| w == a.text(text));
            let glued = super::char_before(text, a.start as usize).is_some_and(|c| c == '.');
            if run == 2 && !spelled && !glued && !self.allowed_double(a.text(text), b.text(text)) {
                let range = a.start as usize..b.end as usize;
                let word = a.text(text);
                let matched = &text[range.clone()];
                out.push(self.out.finding(seg, range, |v| match v {
                    "word" => Some(word),
                    "match" => Some(matched),
                    _ => None,
                }));
            }
            i += run;
        }
    }

    fn allowed_double(&self, a: &str, b: &str) -> bool {
        if self.allow.contains(&format!("{a} {b}").to_lowercase()) {
            return true;
        }
        self.names
            && capitalised(a)
            && capitalised(b)
            && !self.common_words.contains(&a.to_lowercase())
    }

    fn loops(&self, seg: &Segment<'_>, out: &mut Vec<Finding>) {
        let text = seg.text();
        let content: Vec<&Token> = seg.tokens().iter().filter(|t| t.is_content()).collect();
        let gap_ok = |a: &Token, b: &Token| {
            let gap = &text[a.end as usize..b.start as usize];
            gap.len() <= MAX_LOOP_GAP
                && !is_paragraph_break(gap)
                && gap.chars().all(|c| {
                    c.is_whitespace()
                        || matches!(c, ',' | ';' | ':' | '.' | '-' | '–' | '—' | '/' | '|' | '·')
                })
        };
        let keys: Vec<u64> = content.iter().map(|t| t.key).collect();
        let eq = |i: usize, j: usize| keys[i] == keys[j];
        // Nearly every token starts no loop: none of its next few successors
        // repeats it. A tight scan skips those (min-copies is at least 2).
        let repeats_soon = |i: usize| {
            let next = &keys[i + 1..keys.len().min(i + 1 + self.max_ngram)];
            next.contains(&keys[i])
        };
        let mut i = 0;
        'tokens: while i < content.len() {
            let Some(skip) = (i..content.len()).position(repeats_soon) else {
                break;
            };
            i += skip;
            for n in 1..=self.max_ngram {
                // No loop of this unit length: the n-th successor differs.
                if keys.get(i + n).is_none_or(|&k| k != keys[i]) {
                    continue;
                }
                let mut copies = 1;
                'copies: while i + (copies + 1) * n <= content.len() {
                    let base = i + copies * n;
                    for k in 0..n {
                        if !eq(i + k, base + k) || !gap_ok(content[base + k - 1], content[base + k])
                        {
                            break 'copies;
                        }
                    }
                    copies += 1;
                }
                if copies < self.min_copies
                    || (n == 1 && content[i].text(text).chars().count() == 1)
                {
                    continue;
                }
                let unit_range = content[i].start as usize..content[i + n - 1].end as usize;
                let unit = &text[unit_range];
                let comma_triple = n == 1
                    && copies == 3
                    && (i..i + 2).all(|k| {
                        text[content[k].end as usize..content[k + 1].start as usize]
                            .starts_with(',')
                    });
                if self.allow.contains(&normalise(unit))
                    || (self.allow_comma_triples && comma_triple)
                {
                    i += copies * n;
                    continue 'tokens;
                }
                let range = content[i].start as usize..content[i + copies * n - 1].end as usize;
                let matched = &text[range.clone()];
                let count = copies.to_string();
                out.push(self.out.finding(seg, range, |v| match v {
                    "unit" => Some(unit),
                    "match" => Some(matched),
                    "copies" => Some(count.as_str()),
                    _ => None,
                }));
                i += copies * n;
                continue 'tokens;
            }
            i += 1;
        }
    }
}

impl Check for Repeat {
    fn meta(&self) -> &Arc<RuleMeta> {
        &self.out.meta
    }

    fn check_segment(&self, seg: &Segment<'_>, out: &mut Vec<Finding>) {
        match self.mode {
            Mode::DoubledWord => self.doubled_words(seg, out),
            Mode::Loop => self.loops(seg, out),
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::check::testing::{matched, run};

    const DOUBLED: &str = r#"
id = "t"
kind = "repeat"
category = "repetition"
severity = "warning"
message = "“{word}” twice"
summary = "s"
why = "w"
mode = "doubled-word"
allow = ["had had", "that that", "Duran Duran"]
names = true
common-words = ["the", "a"]
[fix]
replacement = "{word}"
"#;

    const LOOP: &str = r#"
id = "t"
kind = "repeat"
category = "repetition"
severity = "warning"
message = "“{unit}” repeated {copies} times"
summary = "s"
why = "w"
mode = "loop"
min-copies = 3
max-ngram = 3
allow = ["ha"]
allow-comma-triples = true
"#;

    #[test]
    fn doubled_word_case_insensitive_and_across_lines() {
        let found = run(DOUBLED, "He said the the situation. The\nthe end.");
        assert_eq!(found.len(), 2);
        assert_eq!(
            found[0],
            ("the the".into(), "“the” twice".into(), Some("the".into()))
        );
        assert_eq!(found[1].0, "The\nthe");
    }

    #[test]
    fn doubled_word_allow_list_and_names() {
        assert!(
            matched(
                DOUBLED,
                "She had had enough; he said that that was fine. Duran Duran played."
            )
            .is_empty()
        );
        assert!(matched(DOUBLED, "The pianist Lang Lang played.").is_empty());
        assert_eq!(matched(DOUBLED, "The The band"), vec!["The The"]);
    }

    #[test]
    fn doubled_word_not_across_punctuation_or_paragraphs() {
        assert!(matched(DOUBLED, "Bern, Bern is a city. Economy\n\nEconomy grew.").is_empty());
        assert!(matched(DOUBLED, "b a s i c a l l y; contact E.ON on Monday").is_empty());
    }

    #[test]
    fn triples_are_left_to_loops() {
        assert!(matched(DOUBLED, "no no no").is_empty());
        assert_eq!(matched(LOOP, "the the the end"), vec!["the the the"]);
    }

    #[test]
    fn loops_cover_the_whole_run_once() {
        let found = run(LOOP, "They met in Bern, Bern, Bern, Bern on Monday.");
        assert_eq!(
            found,
            vec![(
                "Bern, Bern, Bern, Bern".into(),
                "“Bern” repeated 4 times".into(),
                None
            )]
        );
        assert_eq!(
            matched(LOOP, "a score of 420 - 420 - 420 today"),
            vec!["420 - 420 - 420"]
        );
        assert_eq!(
            matched(LOOP, "the so-called so-called so-called reform"),
            vec!["so-called so-called so-called"]
        );
        // A 4-gram is longer than max-ngram = 3.
        assert!(matched(LOOP, "we will go home we will go home we will go home").is_empty());
        assert_eq!(
            matched(LOOP, "up and up and up and up"),
            vec!["up and up and up and"]
        );
    }

    #[test]
    fn loops_need_min_copies_and_respect_allow() {
        assert!(matched(LOOP, "Bern, Bern is here").is_empty());
        assert!(matched(LOOP, "ha ha ha, very funny").is_empty());
        assert!(matched(LOOP, "Bern.\n\nBern.\n\nBern.").is_empty());
        assert!(matched(LOOP, "Location, location, location.").is_empty());
        assert!(matched(LOOP, "(([20] [20] [20]))").is_empty());
        assert_eq!(
            matched(LOOP, "Bern, Bern, Bern, Bern"),
            vec!["Bern, Bern, Bern, Bern"]
        );
    }
}
