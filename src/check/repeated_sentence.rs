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
//!
//! Knows nothing of files, input formats, positions or reporters: it sees a
//! document's segments, their tokens and their sentences.

use std::ops::Range;
use std::sync::Arc;

use serde::Deserialize;

use super::{Check, KeyMap, Output, RuleContext};
use crate::diagnostics::RuleError;
use crate::document::{Document, mix};
use crate::finding::{Finding, RuleMeta};

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
    /// For each sentence length up to [`MAX_NEAR_WORDS`]: the lengths
    /// another sentence may have for the pair to reach `similarity` (the
    /// shorter needs `similarity` times the longer's words), and, as the
    /// longer of a pair, the most word edits that keep it. Tables spare the
    /// near-copy search a division per pair.
    lengths_for: Vec<(u32, u32)>,
    edits_for: Vec<u32>,
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
    // The fewest words a sentence needs beside a longer one of each length.
    let shortest_for: Vec<usize> = (0..=MAX_NEAR_WORDS)
        .map(|longest| {
            (0..=longest)
                .find(|&shortest| shortest as f64 >= similarity * longest as f64)
                .unwrap_or(longest)
        })
        .collect();
    // It never decreases, so the longest partner of length `n` is the last
    // length whose shortest partner is at most `n`.
    let lengths_for = (0..=MAX_NEAR_WORDS)
        .map(|n| {
            let longest = shortest_for.partition_point(|&s| s <= n) - 1;
            (shortest_for[n] as u32, longest as u32)
        })
        .collect();
    Ok(Box::new(RepeatedSentence {
        min_words: spec.min_words.unwrap_or(6).max(1),
        similarity,
        window: spec.window.unwrap_or(40).min(1000),
        lengths_for,
        edits_for: (0..=MAX_NEAR_WORDS)
            .map(|longest| ((1.0 - similarity) * longest as f64).floor() as u32)
            .collect(),
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
            // Sentences come in order: one cursor walks the tokens once,
            // collecting each sentence's word keys, signature and hash.
            all_words.reserve(tokens.len());
            let mut t = 0;
            for range in seg.sentences() {
                while t < tokens.len() && (tokens[t].start as usize) < range.start {
                    t += 1;
                }
                let start = all_words.len();
                let end = t + tokens[t..].partition_point(|tok| (tok.start as usize) < range.end);
                let mut signature = [0u64; 4];
                let mut whole = 0u64;
                // Without a branch on each token's kind: every key is
                // written, and only a word's or number's moves the end on.
                all_words.resize(start + (end - t), 0);
                let mut n = start;
                for token in &tokens[t..end] {
                    let k = token.key;
                    let content = token.is_content();
                    all_words[n] = k;
                    n += usize::from(content);
                    signature[((k >> 6) & 3) as usize] |= u64::from(content) << (k & 63);
                    let mixed = mix(whole, k);
                    whole = if content { mixed } else { whole };
                }
                all_words.truncate(n);
                t = end;
                if all_words.len() - start < self.min_words {
                    all_words.truncate(start);
                    continue;
                }
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
        let lengths: Vec<u32> = sentences.iter().map(|s| s.words.len() as u32).collect();
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
                let n = sentence.words.len();
                let window = k.saturating_sub(if near { self.window } else { 0 })..k;
                let (lo, hi) = self.lengths_for.get(n).copied().unwrap_or((1, 0));
                // Earlier sentences of a fitting length, as a bit mask per
                // 64: a loop without branches, as most fail and which ones
                // is unpredictable.
                window
                    .clone()
                    .step_by(64)
                    .flat_map(|from| {
                        let block = &lengths[from..window.end.min(from + 64)];
                        let mut fits = 0u64;
                        for (j, &m) in block.iter().enumerate() {
                            fits |= u64::from(m.wrapping_sub(lo) <= hi.wrapping_sub(lo)) << j;
                        }
                        std::iter::from_fn(move || {
                            let j = fits.trailing_zeros() as usize;
                            fits &= fits.wrapping_sub(1);
                            (j < 64).then_some(from + j)
                        })
                    })
                    .filter_map(|e| {
                        let earlier = &sentences[e];
                        let longest = earlier.words.len().max(n);
                        // Each word in one sentence and not the other shows
                        // as a differing bit: half of them bound the edits.
                        let differing: u32 = earlier
                            .signature
                            .iter()
                            .zip(&sentence.signature)
                            .map(|(a, b)| (a ^ b).count_ones())
                            .sum();
                        if differing > 2 * self.edits_for[longest] {
                            return None;
                        }
                        let distance =
                            strsim::generic_levenshtein(&Words(words(earlier)), &Words(these))
                                as f64;
                        Some(1.0 - distance / longest as f64)
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
