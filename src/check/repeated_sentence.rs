//! `repeated-sentence`: the same sentence twice in one document — exactly, or
//! nearly (word-level edit distance) — a sign of MT output duplicated by a
//! pipeline or a decoder loop. The later copy is flagged.
//!
//! ```toml
//! min-words = 6        # shorter sentences ("He declined.") repeat legitimately
//! similarity = 0.85    # 1 - word edit distance / words, for near copies
//! window = 40          # near copies are sought among this many preceding sentences
//! ```
//! Copies are compared ignoring case and punctuation, within `window`
//! sentences (about one article): a long file that concatenates many articles
//! may repeat a sentence across articles legitimately. Placeholders:
//! `{match}`, `{similarity}` (percent).

use std::ops::Range;
use std::sync::Arc;

use serde::Deserialize;

use super::{Check, KeyMap, Output, RuleContext};
use crate::document::Document;
use crate::finding::{Finding, RuleMeta};
use crate::ruleset::RuleError;

/// Longest sentence, in words, compared for near copies.
const MAX_NEAR_WORDS: usize = 150;

pub(crate) const KEYS: &[&str] = &["min-words", "similarity", "window"];

#[derive(Deserialize)]
#[serde(rename_all = "kebab-case")]
struct Spec {
    min_words: Option<usize>,
    similarity: Option<f64>,
    window: Option<usize>,
}

struct RepeatedSentence {
    min_words: usize,
    similarity: f64,
    window: usize,
    out: Output,
}

pub(crate) fn build(ctx: &RuleContext<'_>) -> Result<Box<dyn Check>, RuleError> {
    let spec: Spec = ctx.spec()?;
    let similarity = spec.similarity.unwrap_or(0.85);
    if !(0.5..=1.0).contains(&similarity) {
        return Err(ctx.error(None, "`similarity` must be between 0.5 and 1.0"));
    }
    let out = ctx.output(
        |v| matches!(v, "match" | "similarity"),
        "{match}, {similarity}",
    )?;
    Ok(Box::new(RepeatedSentence {
        min_words: spec.min_words.unwrap_or(6).max(1),
        similarity,
        window: spec.window.unwrap_or(40).min(1000),
        out,
    }))
}

struct Sentence {
    segment: usize,
    range: Range<usize>,
    /// Where its case-folded word keys are in the shared word buffer.
    words: Range<usize>,
    /// One bit per word key (key mod 256): a word in one sentence and not in
    /// the other shows as a differing bit, so `popcount(a ^ b) / 2` bounds
    /// the word edits from below. 256 bits keep long sentences from
    /// saturating it.
    signature: [u64; 4],
    /// A hash of the whole word sequence, for exact copies.
    whole: u64,
}

/// A borrowed word sequence, in the shape `strsim` compares.
struct Words<'w>(&'w [u64]);

impl<'a> IntoIterator for &'a Words<'_> {
    type Item = &'a u64;
    type IntoIter = std::slice::Iter<'a, u64>;
    fn into_iter(self) -> Self::IntoIter {
        self.0.iter()
    }
}

impl Check for RepeatedSentence {
    fn meta(&self) -> &Arc<RuleMeta> {
        &self.out.meta
    }

    fn check(&self, doc: &Document<'_>, out: &mut Vec<Finding>) {
        // Exact copies by whole-sequence hash (confirmed by comparing words).
        let mut seen: KeyMap<usize> = KeyMap::default();
        let mut sentences: Vec<Sentence> = Vec::new();
        // The word keys of every sentence, one after another.
        let mut all_words: Vec<u64> = Vec::new();
        for (s, seg) in doc.segments.iter().enumerate() {
            let tokens = seg.tokens();
            // Sentences come in order: one cursor walks the tokens.
            let mut first = 0;
            for range in seg.sentences() {
                while first < tokens.len() && (tokens[first].start as usize) < range.start {
                    first += 1;
                }
                let mut last = first;
                while last < tokens.len() && (tokens[last].start as usize) < range.end {
                    last += 1;
                }
                let start = all_words.len();
                all_words.extend(
                    tokens[first..last]
                        .iter()
                        .filter(|t| t.is_content())
                        .map(|t| t.key),
                );
                let words = &all_words[start..];
                if words.len() < self.min_words {
                    all_words.truncate(start);
                    continue;
                }
                let mut signature = [0u64; 4];
                for k in words {
                    signature[((k >> 6) & 3) as usize] |= 1 << (k & 63);
                }
                let whole = words.iter().fold(0u64, |h, k| {
                    (h.rotate_left(5) ^ k).wrapping_mul(0x517c_c1b7_2722_0a95)
                });
                sentences.push(Sentence {
                    segment: s,
                    range: range.clone(),
                    words: start..all_words.len(),
                    signature,
                    whole,
                });
            }
        }
        let words = |s: &Sentence| -> &[u64] { &all_words[s.words.clone()] };
        for (k, sentence) in sentences.iter().enumerate() {
            let exact = seen
                .get(&sentence.whole)
                .is_some_and(|&e| k - e <= self.window && words(&sentences[e]) == words(sentence));
            seen.insert(sentence.whole, k);
            let similarity = if exact {
                Some(1.0)
            } else {
                // Near copies are sought among sentences of ordinary length:
                // edit distance is quadratic, and a "sentence" of thousands of
                // words is a run-on line that exact matching still covers.
                let near = sentence.words.len() <= MAX_NEAR_WORDS;
                let these = words(sentence);
                // Lengths whose ratio to this one can reach the similarity,
                // widened by one so that rounding never excludes a candidate
                // that the exact test below would take: a cheap integer test
                // for the many earlier sentences that are far too short or long.
                let n = sentence.words.len() as f64;
                let shortest_ok = (n * self.similarity).floor() as usize;
                let longest_ok = ((n / self.similarity).ceil() as usize).min(MAX_NEAR_WORDS);
                sentences[k.saturating_sub(if near { self.window } else { 0 })..k]
                    .iter()
                    .filter_map(|earlier| {
                        let m = earlier.words.len();
                        if m < shortest_ok || m > longest_ok {
                            return None;
                        }
                        let longest = earlier.words.len().max(sentence.words.len()) as f64;
                        let shortest = earlier.words.len().min(sentence.words.len()) as f64;
                        if shortest < self.similarity * longest {
                            return None;
                        }
                        // At most this many word edits keep the similarity.
                        let edits = ((1.0 - self.similarity) * longest).floor() as u32;
                        let differing: u32 = earlier
                            .signature
                            .iter()
                            .zip(&sentence.signature)
                            .map(|(a, b)| (a ^ b).count_ones())
                            .sum();
                        if differing > 2 * edits {
                            return None;
                        }
                        let distance =
                            strsim::generic_levenshtein(&Words(words(earlier)), &Words(these))
                                as f64;
                        Some(1.0 - distance / longest)
                    })
                    .find(|&sim| sim >= self.similarity)
            };
            if let Some(sim) = similarity {
                let seg = &doc.segments[sentence.segment];
                let matched = &seg.text()[sentence.range.clone()];
                let percent = format!("{:.0}%", sim * 100.0);
                out.push(self.out.finding(seg, sentence.range.clone(), |v| match v {
                    "match" => Some(matched),
                    "similarity" => Some(percent.as_str()),
                    _ => None,
                }));
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::check::testing::{matched, run};

    const RULE: &str = r#"
id = "t"
kind = "repeated-sentence"
category = "repetition"
severity = "warning"
message = "repeats an earlier sentence ({similarity} alike)"
summary = "s"
why = "w"
min-words = 5
similarity = 0.8
"#;

    #[test]
    fn exact_repeat_flags_later_copy() {
        let text = "All passengers were rescued by the coast guard. Talks went on.\n\nAll passengers were rescued by the coast guard.";
        let found = run(RULE, text);
        assert_eq!(found.len(), 1);
        assert_eq!(found[0].1, "repeats an earlier sentence (100% alike)");
        assert_eq!(&text[text.rfind("All").unwrap()..], found[0].0);
    }

    #[test]
    fn near_repeat_and_case_insensitivity() {
        let text = "The ministers agreed to meet again next week. The ministers agreed to meet again next month.";
        assert_eq!(matched(RULE, text).len(), 1);
        assert_eq!(
            matched(RULE, "It is a very good day. IT IS A VERY GOOD DAY!").len(),
            1
        );
    }

    #[test]
    fn short_or_different_sentences_are_fine() {
        assert!(matched(RULE, "He declined. He declined.").is_empty());
        let text =
            "The index rose two percent on Monday. The dollar fell three percent on Tuesday.";
        assert!(matched(RULE, text).is_empty());
    }
}
