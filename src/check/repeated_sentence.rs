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

use std::collections::HashMap;
use std::collections::hash_map::DefaultHasher;
use std::hash::{Hash, Hasher};
use std::ops::Range;
use std::sync::Arc;

use serde::Deserialize;

use super::{Check, Output, RuleContext};
use crate::document::Document;
use crate::finding::{Finding, RuleMeta};
use crate::ruleset::RuleError;

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

fn word_hash(word: &str) -> u64 {
    let mut h = DefaultHasher::new();
    if word.is_ascii() {
        for b in word.bytes() {
            b.to_ascii_lowercase().hash(&mut h);
        }
    } else {
        word.to_lowercase().hash(&mut h);
    }
    h.finish()
}

struct Sentence {
    segment: usize,
    range: Range<usize>,
    words: Vec<u64>,
}

impl Check for RepeatedSentence {
    fn meta(&self) -> &Arc<RuleMeta> {
        &self.out.meta
    }

    fn check(&self, doc: &Document<'_>, out: &mut Vec<Finding>) {
        let mut seen: HashMap<&[u64], usize> = HashMap::new();
        let mut sentences: Vec<Sentence> = Vec::new();
        for (s, seg) in doc.segments.iter().enumerate() {
            let text = seg.text();
            let analysis = seg.analysis();
            for range in &analysis.sentences {
                let first = analysis.token_at(range.start);
                let last = analysis.token_at(range.end);
                let words: Vec<u64> = analysis.tokens[first..last]
                    .iter()
                    .filter(|t| t.is_content())
                    .map(|t| word_hash(t.text(text)))
                    .collect();
                if words.len() >= self.min_words {
                    sentences.push(Sentence {
                        segment: s,
                        range: range.clone(),
                        words,
                    });
                }
            }
        }
        for (k, sentence) in sentences.iter().enumerate() {
            let exact = seen
                .get(sentence.words.as_slice())
                .is_some_and(|&e| k - e <= self.window);
            seen.insert(&sentence.words, k);
            let similarity = if exact {
                Some(1.0)
            } else {
                sentences[k.saturating_sub(self.window)..k]
                    .iter()
                    .filter_map(|earlier| {
                        let longest = earlier.words.len().max(sentence.words.len()) as f64;
                        let shortest = earlier.words.len().min(sentence.words.len()) as f64;
                        if shortest / longest < self.similarity {
                            return None;
                        }
                        let distance =
                            strsim::generic_levenshtein(&earlier.words, &sentence.words) as f64;
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
