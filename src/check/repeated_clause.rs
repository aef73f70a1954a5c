//! `repeated-clause`: a span of words said twice in one sentence — the
//! clause-level loop of an MT decoder that loses its place ("…, the minister
//! told reporters, the minister told reporters."), known in the MT literature
//! as oscillatory hallucination and found by counting repeated n-grams
//! (Guerreiro et al., 2023).
//!
//! ```toml
//! min-words = 4                 # the shortest repeated span
//! min-content-words = 3         # of its words, how many are not `stopwords`
//! min-far-content-words = 4     # the same when words come between the copies
//! min-far-lowercase-words = 3   # of those, how many are lower-case
//! max-gap-words = 8             # the most words between the copies
//! stopwords = ["the", "a", …]   # words that carry no content
//! ```
//! The second copy must end the sentence (only punctuation after it): a
//! decoder that loops on a clause repeats it and stops, while a copy that
//! goes on is the head of a longer phrase ("inquiries about the measures;
//! inquiries about the measures of vehicles") or said twice for effect
//! ("two million Americans, two million Americans, often women, …").
//! Copies side by side, with only punctuation between, are then
//! flagged once the span has `min-content-words` content words. Copies with
//! words between are flagged only when both are whole clauses (the first
//! ends at punctuation, punctuation comes before the second), no more than
//! `max-gap-words` apart, and the span holds
//! no number and enough lower-case content words to be a clause rather than
//! a name: parallel structure ("we will fight on the beaches, we will fight
//! on the landing grounds") goes on differently after the shared words,
//! values repeat in reports ("the inflow was 2,760 cubic meters per second,
//! the outflow was 2,760 cubic meters per second"), and names recur. Spans
//! inside quotation marks (refrains, chants) and copies on different lines
//! (a headline and its lead) are left alone.
//!
//! The finding covers the second copy and the punctuation before it, so that
//! deleting it (the fix) leaves the first. Placeholders: `{match}`,
//! `{clause}` (the second copy's words), `{words}` (how many).
//!
//! Knows nothing of files, input formats, positions or reporters: it sees a
//! segment's text, tokens and sentences. Each sentence costs a sort of its
//! n-grams: linear in practice, never a scan over the whole document.

use std::collections::HashMap;
use std::ops::Range;
use std::sync::Arc;

use serde::Deserialize;
use toml::Spanned;

use super::{Check, KeyMap, Output, RuleContext};
use crate::diagnostics::RuleError;
use crate::document::{Segment, Token, TokenKind, fold_key, mix};
use crate::finding::{Finding, RuleMeta};

pub(crate) const KEYS: &[&str] = &[
    "min-words",
    "min-content-words",
    "min-far-content-words",
    "min-far-lowercase-words",
    "max-gap-words",
    "stopwords",
];

#[derive(Deserialize)]
#[serde(rename_all = "kebab-case")]
struct Spec {
    min_words: Option<Spanned<usize>>,
    min_content_words: Option<usize>,
    min_far_content_words: Option<usize>,
    min_far_lowercase_words: Option<usize>,
    max_gap_words: Option<usize>,
    #[serde(default)]
    stopwords: Vec<String>,
}

struct RepeatedClause {
    min_words: usize,
    min_content: usize,
    min_far_content: usize,
    min_far_lowercase: usize,
    max_gap: usize,
    stopwords: KeyMap<()>,
    out: Output,
}

pub(crate) fn build(ctx: &RuleContext<'_>) -> Result<Box<dyn Check>, RuleError> {
    let spec: Spec = ctx.spec()?;
    let min_words = spec.min_words.as_ref().map_or(4, |s| *s.get_ref());
    if let Some(s) = spec
        .min_words
        .as_ref()
        .filter(|_| !(2..=50).contains(&min_words))
    {
        return Err(ctx.error(Some(s.span()), "`min-words` must be between 2 and 50"));
    }
    let out = ctx.output(
        |v| matches!(v, "match" | "clause" | "words"),
        "{match}, {clause}, {words}",
    )?;
    Ok(Box::new(RepeatedClause {
        min_words,
        min_content: spec.min_content_words.unwrap_or(3),
        min_far_content: spec.min_far_content_words.unwrap_or(4),
        min_far_lowercase: spec.min_far_lowercase_words.unwrap_or(3),
        max_gap: spec.max_gap_words.unwrap_or(8),
        stopwords: spec.stopwords.iter().map(|w| (fold_key(w), ())).collect(),
        out,
    }))
}

/// For each word of a sentence (`words`, indexes into `tokens`), whether a
/// quotation is open where it starts: more opening than closing curly
/// quotes or guillemets, or an odd number of straight double quotes, since
/// `from` (the sentence's start). One walk over the sentence.
fn quoted_words(text: &str, tokens: &[Token], words: &[usize], from: usize) -> Vec<bool> {
    let (mut curly, mut guillemets, mut straight) = (0i32, 0i32, 0u32);
    let mut at = from;
    words
        .iter()
        .map(|&w| {
            let start = tokens[w].start as usize;
            for c in text[at.min(start)..start].chars() {
                match c {
                    '“' => curly += 1,
                    '”' => curly -= 1,
                    '«' => guillemets += 1,
                    '»' => guillemets -= 1,
                    '"' => straight += 1,
                    _ => {}
                }
            }
            at = start;
            curly > 0 || guillemets > 0 || straight % 2 == 1
        })
        .collect()
}

/// The farthest apart, in words, two copies are sought: a clause and the
/// words between its copies fit well within it.
const MAX_DISTANCE: u32 = 200;

/// Bigrams seen so far in a sentence, as bits of a 1024-bit filter, and how
/// many bigrams in a row were seen before: a span of `min_words` words can
/// repeat only where `min_words - 1` repeated bigrams come one after
/// another. A repeat is never missed, and a sentence without one rarely gets
/// through (two or three collisions in a row); the exact search runs only
/// then.
#[derive(Default)]
struct BigramFilter {
    seen: [u64; 16],
    previous: Option<u64>,
    run: usize,
    longest: usize,
}

impl BigramFilter {
    #[inline]
    fn push(&mut self, key: u64) {
        if let Some(p) = self.previous {
            // The high bits of the product mix both keys best.
            let h = mix(p, key);
            let (word, bit) = ((h >> 60) as usize, 1u64 << ((h >> 54) & 63));
            let seen = usize::from(self.seen[word] & bit != 0);
            self.seen[word] |= bit;
            // Without a branch: one more in the run, or back to none.
            self.run = (self.run + 1) * seen;
            self.longest = self.longest.max(self.run);
        }
        self.previous = Some(key);
    }
}

/// Whether a span of `min_words` words may repeat among `tokens` (see
/// [`BigramFilter`]).
#[cfg(test)]
fn may_repeat(tokens: &[Token], min_words: usize) -> bool {
    let mut filter = BigramFilter::default();
    for token in tokens.iter().filter(|t| t.is_content()) {
        filter.push(token.key);
    }
    filter.longest + 1 >= min_words
}

/// Buffers reused from sentence to sentence.
#[derive(Default)]
struct Scratch {
    /// Indexes (into the segment's tokens) of the sentence's words and numbers.
    words: Vec<usize>,
    /// Each n-gram's hash and where it starts (an index into `words`).
    grams: Vec<(u64, u32)>,
    /// Pairs of copies: (earlier start, later start), by later start.
    pairs: Vec<(u32, u32)>,
}

impl RepeatedClause {
    fn sentence(
        &self,
        seg: &Segment<'_>,
        sentence: Range<usize>,
        tokens: Range<usize>,
        scratch: &mut Scratch,
        out: &mut Vec<Finding>,
    ) {
        let text = seg.text();
        let all = seg.tokens();
        let m = self.min_words;
        scratch.words.clear();
        scratch
            .words
            .extend(tokens.clone().filter(|&k| all[k].is_content()));
        let words = &scratch.words;
        let n = words.len();
        if n < 2 * m {
            return;
        }
        let key = |w: usize| all[words[w]].key;
        // Every n-gram of `min-words` words, sorted by hash: repeats sit
        // side by side.
        scratch.grams.clear();
        scratch.grams.extend((0..=n - m).map(|j| {
            let hash = (j..j + m).fold(0u64, |h, w| mix(h, key(w)));
            (hash, j as u32)
        }));
        scratch.grams.sort_unstable();
        scratch.pairs.clear();
        for group in scratch.grams.chunk_by(|a, b| a.0 == b.0) {
            // Each later copy with the nearest earlier one it does not overlap.
            for (k, &(_, j)) in group.iter().enumerate().skip(1) {
                let earlier = group[..k].iter().rev().find(|&&(_, i)| j - i >= m as u32);
                if let Some(&(_, i)) = earlier.filter(|&&(_, i)| j - i <= MAX_DISTANCE) {
                    scratch.pairs.push((i, j));
                }
            }
        }
        if scratch.pairs.is_empty() {
            return;
        }
        scratch
            .pairs
            .sort_unstable_by_key(|&(i, j)| (j, std::cmp::Reverse(i)));
        let quoted = quoted_words(text, all, words, sentence.start);
        let mut covered = 0;
        // Copies found, as (finding's range, the copy's range, words); a
        // third copy right after the second extends its finding.
        let mut found: Vec<(Range<usize>, Range<usize>, usize)> = Vec::new();
        // How far the copies at each distance have been judged: a shorter
        // span inside judged copies is judged with them (and each word is
        // compared about once per distance, however long the sentence).
        // For each distance between copies: how far its copies have been
        // judged, and where the run of copies side by side that ends there
        // has its second copy (a loop of three copies or more).
        let mut judged: HashMap<usize, (usize, usize)> = HashMap::new();
        for &(i, j) in &scratch.pairs {
            let (mut i, mut j) = (i as usize, j as usize);
            let distance = j - i;
            let before = judged.get(&distance).copied();
            if j < covered
                || before.is_some_and(|(until, _)| j < until)
                || (0..m).any(|w| key(i + w) != key(j + w))
            {
                continue;
            }
            let mut len = m;
            // Back to where the copies start, neither into copies judged at
            // this distance (a loop is cut into its copies from the first)
            // nor with the second reaching into the first.
            let floor = covered.max(before.map_or(0, |(until, _)| until));
            while i > 0 && j > floor && i + len < j && key(i - 1) == key(j - 1) {
                i -= 1;
                j -= 1;
                len += 1;
            }
            while j + len < n && i + len < j && key(i + len) == key(j + len) {
                len += 1;
            }
            // A copy right after the copies judged before at this distance
            // continues their run.
            let run_from = match before {
                Some((until, from)) if until == j && i + len == j => from,
                _ => j,
            };
            judged.insert(distance, (j + len, run_from));
            if self.flags(seg, &quoted, words, tokens.end, i, j, len) {
                let first = &all[words[j]];
                let last = &all[words[j + len - 1]];
                // The finding starts at the run's second copy: deleting it
                // leaves the first.
                let range = all[words[run_from - 1]].end as usize..last.end as usize;
                let clause = first.start as usize..last.end as usize;
                match found.last_mut() {
                    Some(prev) if prev.0.end == range.start => prev.0.end = range.end,
                    Some(prev) if prev.0.start >= range.start => *prev = (range, clause, len),
                    _ => found.push((range, clause, len)),
                }
                covered = j + len;
            }
        }
        for (range, clause, len) in found {
            let clause = &text[clause];
            let matched = &text[range.clone()];
            let count = len.to_string();
            out.push(self.out.finding(seg, range, |v| match v {
                "match" => Some(matched),
                "clause" => Some(clause),
                "words" => Some(count.as_str()),
                _ => None,
            }));
        }
    }

    /// Whether the copies of `len` words at `i` and `j` (indexes into
    /// `words`) are a repeated clause (see the module header).
    #[allow(clippy::too_many_arguments)]
    fn flags(
        &self,
        seg: &Segment<'_>,
        quoted: &[bool],
        words: &[usize],
        end: usize,
        i: usize,
        j: usize,
        len: usize,
    ) -> bool {
        let text = seg.text();
        let all = seg.tokens();
        let copy1_end = all[words[i + len - 1]].end as usize;
        let copy2_start = all[words[j]].start as usize;
        if text[copy1_end..copy2_start].contains('\n') || quoted[i] {
            return false;
        }
        let span: &[usize] = &words[j..j + len];
        let content = |t: &Token| !self.stopwords.contains_key(&t.key);
        let content_words = span.iter().filter(|&&k| content(&all[k])).count();
        // Where a copy's last word is followed by punctuation or nothing.
        let ends_clause = |last: usize| {
            let next = words[last] + 1;
            next >= end || all[next].kind == TokenKind::Punct
        };
        // The second copy ends the sentence: a decoder that loops on a
        // clause repeats it and stops. A copy that goes on heads a longer
        // phrase ("inquiries about the measures; inquiries about the
        // measures of vehicles") or is said twice for effect ("two million
        // Americans, two million Americans, often women, …").
        let next = words[j + len - 1] + 1;
        let ends_sentence = next >= end
            || matches!(all[next].text(text), "." | "!" | "?" | "…")
            || (all[next].kind == TokenKind::Punct
                && all[next + 1..end]
                    .iter()
                    .all(|t| t.kind == TokenKind::Punct));
        if !ends_sentence {
            return false;
        }
        if j == i + len {
            return content_words >= self.min_content;
        }
        let lowercase = span
            .iter()
            .filter(|&&k| {
                content(&all[k])
                    && all[k]
                        .text(text)
                        .chars()
                        .next()
                        .is_some_and(char::is_lowercase)
            })
            .count();
        // Apart, both copies are whole clauses: punctuation before the
        // second ("…, the court ruled") and after the first.
        j - (i + len) <= self.max_gap
            && ends_clause(i + len - 1)
            && all[words[j] - 1].kind == TokenKind::Punct
            && span.iter().all(|&k| all[k].kind != TokenKind::Number)
            && content_words >= self.min_far_content
            && lowercase >= self.min_far_lowercase
    }
}

impl Check for RepeatedClause {
    fn meta(&self) -> &Arc<RuleMeta> {
        &self.out.meta
    }

    fn check_segment(&self, seg: &Segment<'_>, out: &mut Vec<Finding>) {
        let keys = &seg.words().keys;
        let mut scratch = Scratch::default();
        for (range, span) in seg.sentences().iter().zip(seg.sentence_spans()) {
            let mut filter = BigramFilter::default();
            for &key in &keys[span.words.clone()] {
                filter.push(key);
            }
            // A sentence too short to hold two copies, or with no run of
            // repeated bigrams, costs nothing more.
            if span.tokens.len() >= 2 * self.min_words && filter.longest + 1 >= self.min_words {
                self.sentence(seg, range.clone(), span.tokens.clone(), &mut scratch, out);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::check::testing::{matched, run};

    const RULE: &str = r#"
id = "t"
kind = "repeated-clause"
category = "repetition"
severity = "warning"
message = "“{clause}” again ({words} words)"
summary = "s"
why = "w"
stopwords = ["the", "a", "that", "was", "we", "will", "on", "if", "is", "of", "to", "and", "it"]
[fix]
replacement = ""
"#;

    #[test]
    fn the_bigram_filter_lets_every_repeat_through() {
        let text = "a b c d e f a b c d; one two one two three";
        let seg = crate::document::Segment::verbatim(text, 0);
        assert!(super::may_repeat(seg.tokens(), 4));
        assert!(!super::may_repeat(seg.tokens(), 5));
        let seg = crate::document::Segment::verbatim("p q, r s t; p q r s t", 0);
        assert!(super::may_repeat(seg.tokens(), 5));
        let seg = crate::document::Segment::verbatim("no word here comes back twice at all", 0);
        assert!(!super::may_repeat(seg.tokens(), 4));
    }

    #[test]
    fn a_long_sentence_of_copies_takes_linear_work() {
        // Thousands of copies of one clause with no sentence end: one
        // finding from the second copy, found without comparing every pair.
        let clause = "the ferry left the harbour at dawn, ";
        let text = format!("Officials said {}", clause.repeat(5000));
        let found = matched(RULE, text.trim_end().trim_end_matches(','));
        assert_eq!(found.len(), 1);
        assert!(found[0].starts_with(", the ferry left the harbour at dawn, the ferry"));
    }

    #[test]
    fn copies_side_by_side() {
        let text = "The deal is off, the minister told reporters, the minister told reporters.";
        let found = run(RULE, text);
        assert_eq!(
            found,
            vec![(
                ", the minister told reporters".into(),
                "“the minister told reporters” again (4 words)".into(),
                Some(String::new())
            )]
        );
        // Without punctuation between, too.
        assert_eq!(
            matched(
                RULE,
                "He said the minister told reporters the minister told reporters."
            ),
            vec![" the minister told reporters"]
        );
        // A second copy that goes on heads a longer phrase, or is said
        // twice for effect.
        let text = "Calls were about the border exit measures; calls were about the border exit measures for lorries.";
        assert!(matched(RULE, text).is_empty());
        let text = "Two million young workers, two million young workers, often women, earn less.";
        assert!(matched(RULE, text).is_empty());
        // Closing brackets may follow the last copy.
        let text = "(The deal is off, the minister told reporters, the minister told reporters.)";
        assert_eq!(matched(RULE, text), vec![", the minister told reporters"]);
        // Too few content words: rhetoric, not a loop.
        assert!(
            matched(
                RULE,
                "If the sky is empty, if the sky is empty, it looks flat."
            )
            .is_empty()
        );
    }

    #[test]
    fn copies_with_words_between() {
        let text = "The court ruled that the contract was void, after hearing both parties, the court ruled that the contract was void.";
        assert_eq!(
            matched(RULE, text),
            vec![", the court ruled that the contract was void"]
        );
        // The second copy must start a clause of its own.
        let text = "Sales of shares, subject to the approval of the board, and issues of new shares, subject to the approval of the board, need a vote.";
        assert!(matched(RULE, text).is_empty());
        // Parallel structure goes on differently.
        let text = "We will fight on the beaches, we will fight on the landing grounds, we will fight in the fields.";
        assert!(matched(RULE, text).is_empty());
        // Too far apart.
        let text = "The court ruled that the contract was void, and after hearing both of the parties at great length over many days, the court ruled that the contract was void.";
        assert!(matched(RULE, text).is_empty());
        // Numbers and names repeat in reports.
        let text = "The inflow was 2,760 cubic meters per second, the outflow was 2,760 cubic meters per second.";
        assert!(matched(RULE, text).is_empty());
        let text = "Officers of the Border Guard Board of Estonia met officers of the Border Guard Board of Estonia.";
        assert!(matched(RULE, text).is_empty());
    }

    #[test]
    fn quotes_lines_and_sentences_keep_copies_apart() {
        let text = "“Bring the miners home, bring the miners home,” the crowd sang.";
        assert!(matched(RULE, text).is_empty());
        let text =
            "Police closed the old harbour road\nPolice closed the old harbour road after a crash.";
        assert!(matched(RULE, text).is_empty());
        let text = "The minister told reporters. The minister told reporters about it.";
        assert!(matched(RULE, text).is_empty());
    }

    #[test]
    fn a_loop_of_copies_is_one_finding_from_its_second_copy() {
        let text = "Officials said the bridge would open in May, the bridge would open in May, the bridge would open in May.";
        assert_eq!(
            matched(RULE, text),
            vec![", the bridge would open in May, the bridge would open in May"]
        );
    }
}
