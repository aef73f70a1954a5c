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
//! may repeat a sentence across articles legitimately.
//!
//! A sentence is also compared with the one just before it (of those with
//! `min-words` words or more) two more ways:
//! ```toml
//! max-prefix-words = 6         # "According to the lawyer, <the sentence before>":
//!                              # a lead or tail of this many words, set off by a
//!                              # comma, is left out of the comparison
//! reordered-similarity = 0.9   # the same words in another order (shared words /
//!                              # words of the longer)
//! ```
//! Text of one sentence per line (test sets, news dumps) is translated a
//! line at a time: a decoder loop stays inside its line and a pipeline that
//! doubles a segment doubles it in place, so a line repeated further on was
//! in the source (a heading asked again, a point restated). With
//! ```toml
//! max-line-breaks = 1          # copies at most this many line breaks apart
//! ```
//! a copy counts only when at most this many gaps between the sentences
//! from the earlier copy to the later one hold a single line break (a blank
//! line is a paragraph break and does not count, nor does a line break
//! inside a hard-wrapped sentence): 1 means the same line or the next. Copies
//! further apart count when the sentence before or after them repeats too,
//! in order (a loop of two or more sentences over lines). Without the key,
//! any copy within `window` counts.
//!
//! A run of repeated sentences one after another (a looping text) is one
//! finding spanning the run, with `run-message` as its message when it holds
//! more than one sentence. Placeholders: `{match}`, `{similarity}` (percent;
//! the lowest of a run), `{count}` (sentences in the run).
//!
//! Knows nothing of files, input formats, positions or reporters: it sees a
//! document's segments, their tokens and their sentences.

use std::ops::Range;
use std::sync::Arc;

use serde::Deserialize;
use toml::Spanned;

use super::template::Template;
use super::{Check, KeyMap, Output, RuleContext};
use crate::diagnostics::RuleError;
use crate::document::{Document, Token, TokenKind, mix};
use crate::finding::{Finding, RuleMeta};

/// Longest sentence, in words, compared for near copies.
const MAX_NEAR_WORDS: usize = 150;

pub(crate) const KEYS: &[&str] = &[
    "min-words",
    "similarity",
    "window",
    "run-message",
    "max-prefix-words",
    "reordered-similarity",
    "max-line-breaks",
];

#[derive(Deserialize)]
#[serde(rename_all = "kebab-case")]
struct Spec {
    min_words: Option<usize>,
    similarity: Option<f64>,
    window: Option<usize>,
    run_message: Option<Spanned<String>>,
    max_prefix_words: Option<usize>,
    reordered_similarity: Option<f64>,
    max_line_breaks: Option<usize>,
}

/// Most words `max-prefix-words` may allow.
const MAX_PREFIX_WORDS: usize = 20;

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
    /// The message of a run of more than one sentence (else `message`).
    run_message: Option<Template>,
    max_prefix_words: usize,
    reordered_similarity: Option<f64>,
    /// Copies further apart than this many breaks count only inside a
    /// repeated run (see the module docs).
    max_line_breaks: Option<usize>,
    out: Output,
}

pub(crate) fn build(ctx: &RuleContext<'_>) -> Result<Box<dyn Check>, RuleError> {
    let spec: Spec = ctx.spec()?;
    let similarity = spec.similarity.unwrap_or(0.85);
    if !(0.5..=1.0).contains(&similarity) {
        return Err(ctx.error(None, "`similarity` must be between 0.5 and 1.0"));
    }
    let known = |v: &str| matches!(v, "match" | "similarity" | "count");
    let valid = "{match}, {similarity}, {count}";
    let out = ctx.output(known, valid)?;
    let run_message = spec
        .run_message
        .as_ref()
        .map(|src| {
            Template::parse(src.get_ref())
                .and_then(|t| t.validate(known, valid).map(|()| t))
                .map_err(|e| ctx.error(Some(src.span()), e))
        })
        .transpose()?;
    let max_prefix_words = spec.max_prefix_words.unwrap_or(0);
    if max_prefix_words > MAX_PREFIX_WORDS {
        return Err(ctx.error(
            None,
            format!("`max-prefix-words` must be at most {MAX_PREFIX_WORDS}"),
        ));
    }
    if spec
        .reordered_similarity
        .is_some_and(|r| !(0.5..=1.0).contains(&r))
    {
        return Err(ctx.error(None, "`reordered-similarity` must be between 0.5 and 1.0"));
    }
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
        run_message,
        max_prefix_words,
        reordered_similarity: spec.reordered_similarity,
        max_line_breaks: spec.max_line_breaks,
        out,
    }))
}

struct Sentence {
    segment: usize,
    range: Range<usize>,
    /// Its tokens, as indexes into the segment's tokens.
    tokens: Range<usize>,
    /// Where its case-folded word keys are in the shared word buffer.
    words: Range<usize>,
    /// One bit per word key (key mod 256): a word in one sentence and not in
    /// the other shows as a differing bit, so `popcount(a ^ b) / 2` bounds
    /// the word edits from below. 256 bits keep long sentences from
    /// saturating it.
    signature: [u64; 4],
    /// The signature's four words ORed into one: two sentences differ in at
    /// least as many of its bits as of the signature's, so one popcount
    /// rules out most pairs before four do.
    folded: u64,
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
        let (words_in, sentences_in) = doc.segments.iter().fold((0, 0), |(w, n), seg| {
            (w + seg.words().keys.len(), n + seg.sentences().len())
        });
        let mut sentences: Vec<Sentence> = Vec::with_capacity(sentences_in);
        // The word keys of every sentence, one after another.
        let mut all_words: Vec<u64> = Vec::with_capacity(words_in);
        for (s, seg) in doc.segments.iter().enumerate() {
            let keys = &seg.words().keys;
            for (range, span) in seg.sentences().iter().zip(seg.sentence_spans()) {
                let these = &keys[span.words.clone()];
                if these.len() < self.min_words {
                    continue;
                }
                let mut signature = [0u64; 4];
                let mut whole = 0u64;
                for &k in these {
                    signature[((k >> 6) & 3) as usize] |= 1 << (k & 63);
                    whole = mix(whole, k);
                }
                let start = all_words.len();
                all_words.extend_from_slice(these);
                sentences.push(Sentence {
                    segment: s,
                    range: range.clone(),
                    tokens: span.tokens.clone(),
                    words: start..all_words.len(),
                    signature,
                    folded: signature[0] | signature[1] | signature[2] | signature[3],
                    whole,
                });
            }
        }
        let words = |s: &Sentence| -> &[u64] { &all_words[s.words.clone()] };
        let lengths: Vec<u32> = sentences.iter().map(|s| s.words.len() as u32).collect();
        // Each repeating sentence and how alike it is to its earlier copy.
        let mut hits: Vec<(usize, f64)> = Vec::new();
        // Copies further apart than `max-line-breaks` (sentence, earlier
        // copy, similarity), and every copy found (sentence, earlier copy).
        let mut far: Vec<(usize, usize, f64)> = Vec::new();
        let mut copies: Vec<(usize, usize)> = Vec::new();
        for (k, sentence) in sentences.iter().enumerate() {
            let exact = seen
                .get(&sentence.whole)
                .copied()
                .filter(|&e| k - e <= self.window && words(&sentences[e]) == words(sentence));
            seen.insert(sentence.whole, k);
            // The nearest earlier copy and how alike it is.
            let copy = if let Some(e) = exact {
                Some((e, 1.0))
            } else {
                // Near copies are sought among sentences of ordinary length:
                // edit distance is quadratic, and a "sentence" of thousands of
                // words is a run-on line that exact matching still covers.
                let near = sentence.words.len() <= MAX_NEAR_WORDS;
                let these = words(sentence);
                let n = sentence.words.len();
                let window = k.saturating_sub(if near { self.window } else { 0 })..k;
                let (lo, hi) = self.lengths_for.get(n).copied().unwrap_or((1, 0));
                // How alike earlier sentence `e` is, where it may be a near copy.
                let compare = |e: usize| {
                    let earlier = &sentences[e];
                    let longest = earlier.words.len().max(n);
                    // Each word in one sentence and not the other shows
                    // as a differing bit: half of them bound the edits.
                    let bound = 2 * self.edits_for[longest];
                    if (earlier.folded ^ sentence.folded).count_ones() > bound {
                        return None;
                    }
                    let differing: u32 = earlier
                        .signature
                        .iter()
                        .zip(&sentence.signature)
                        .map(|(a, b)| (a ^ b).count_ones())
                        .sum();
                    if differing > bound {
                        return None;
                    }
                    let distance =
                        strsim::generic_levenshtein(&Words(words(earlier)), &Words(these)) as f64;
                    Some((e, 1.0 - distance / longest as f64))
                };
                // Earlier sentences of a fitting length, as a bit mask per
                // 64: a loop without branches, as most fail and which ones
                // is unpredictable.
                let mut found = window
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
                    .filter_map(compare)
                    .filter(|&(_, sim)| sim >= self.similarity);
                let first = found.next();
                // With a break limit, a copy too far back may have a nearer
                // one: the sentences within reach are tried, nearest first.
                match (first, self.max_line_breaks) {
                    (Some((e, _)), Some(most))
                        if breaks_between(doc, &sentences[e], sentence) > most =>
                    {
                        (e + 1..k)
                            .rev()
                            .take_while(|&j| breaks_between(doc, &sentences[j], sentence) <= most)
                            .filter(|&j| lengths[j].wrapping_sub(lo) <= hi.wrapping_sub(lo))
                            .filter_map(compare)
                            .find(|&(_, sim)| sim >= self.similarity)
                            .or(first)
                    }
                    _ => first,
                }
            };
            let copy = copy.or_else(|| {
                let before = sentences.get(k.checked_sub(1)?)?;
                (before.segment == sentence.segment)
                    .then(|| self.adjacent_copy(doc, &all_words, before, sentence))
                    .flatten()
                    .map(|sim| (k - 1, sim))
            });
            if let Some((e, sim)) = copy {
                match self.max_line_breaks {
                    Some(most) if breaks_between(doc, &sentences[e], sentence) > most => {
                        far.push((k, e, sim));
                    }
                    _ => hits.push((k, sim)),
                }
                copies.push((k, e));
            }
        }
        // A copy far back counts inside a run repeated in order ("A. B. …
        // A. B."): the sentence before or after it repeats the one before or
        // after its earlier copy.
        if !far.is_empty() {
            for (k, e, sim) in far {
                let next = copies.contains(&(k + 1, e + 1));
                let before = e > 0 && copies.contains(&(k - 1, e - 1));
                if next || before {
                    hits.push((k, sim));
                }
            }
            hits.sort_unstable_by_key(|&(k, _)| k);
        }
        self.report_runs(doc, &sentences, &hits, out);
    }
}

impl RepeatedSentence {
    /// How alike `later` is to `before`, the sentence just before it, as a
    /// copy with a lead or tail added or left out, or with its words in
    /// another order; `None` when it is neither.
    fn adjacent_copy(
        &self,
        doc: &Document<'_>,
        all_words: &[u64],
        before: &Sentence,
        later: &Sentence,
    ) -> Option<f64> {
        let (a, b) = (
            &all_words[before.words.clone()],
            &all_words[later.words.clone()],
        );
        if a.len().max(b.len()) > MAX_NEAR_WORDS {
            return None;
        }
        // Words of one sentence that the other lacks show as bits set in one
        // signature and not the other: a lower bound on the words each lacks.
        let lacks = |x: &[u64; 4], y: &[u64; 4]| -> usize {
            x.iter()
                .zip(y)
                .map(|(p, q)| (p & !q).count_ones() as usize)
                .sum()
        };
        let a_only = lacks(&before.signature, &later.signature);
        let b_only = lacks(&later.signature, &before.signature);
        let longest = a.len().max(b.len());
        if let Some(r) = self.reordered_similarity {
            let misses = ((1.0 - r) * longest as f64).floor() as usize;
            if a_only.max(b_only) <= misses {
                let sim = shared_words(a, b) as f64 / longest as f64;
                if sim >= r {
                    return Some(sim);
                }
            }
        }
        let p = self.max_prefix_words;
        let edits = ((1.0 - self.similarity) * longest as f64).floor() as usize;
        if p == 0 || a_only.min(b_only) > edits || a_only.max(b_only) > p + edits {
            return None;
        }
        let tokens = doc.segments[later.segment].tokens();
        let text = doc.segments[later.segment].text();
        let va = variants(&tokens[before.tokens.clone()], text, a.len(), p);
        let vb = variants(&tokens[later.tokens.clone()], text, b.len(), p);
        let mut best: Option<f64> = None;
        for (i, x) in va.iter().enumerate() {
            for (j, y) in vb.iter().enumerate() {
                // Whole against whole is the near-copy search's.
                let (Some(x), Some(y)) = (x, y) else { continue };
                if i + j == 0 || x.len().min(y.len()) < self.min_words {
                    continue;
                }
                let (x, y) = (&a[x.clone()], &b[y.clone()]);
                let longest = x.len().max(y.len());
                if (x.len().min(y.len()) as f64) < self.similarity * longest as f64 {
                    continue;
                }
                let distance = strsim::generic_levenshtein(&Words(x), &Words(y)) as f64;
                let sim = 1.0 - distance / longest as f64;
                if sim >= self.similarity && best.is_none_or(|b| sim > b) {
                    best = Some(sim);
                }
            }
        }
        best
    }

    /// One finding per run of repeating sentences one after another in one
    /// segment (`hits` are in order).
    fn report_runs(
        &self,
        doc: &Document<'_>,
        sentences: &[Sentence],
        hits: &[(usize, f64)],
        out: &mut Vec<Finding>,
    ) {
        let mut h = 0;
        while h < hits.len() {
            let (first, mut lowest) = hits[h];
            let mut last = first;
            h += 1;
            while h < hits.len()
                && hits[h].0 == last + 1
                && sentences[hits[h].0].segment == sentences[first].segment
            {
                last = hits[h].0;
                lowest = lowest.min(hits[h].1);
                h += 1;
            }
            let seg = &doc.segments[sentences[first].segment];
            let range = sentences[first].range.start..sentences[last].range.end;
            let matched = &seg.text()[range.clone()];
            let percent = format!("{:.0}%", lowest * 100.0);
            let count = (last - first + 1).to_string();
            let lookup = |v: &str| match v {
                "match" => Some(matched),
                "similarity" => Some(percent.as_str()),
                "count" => Some(count.as_str()),
                _ => None,
            };
            out.push(match &self.run_message {
                Some(message) if last > first => self.out.finding_with(message, seg, range, lookup),
                _ => self.out.finding(seg, range, lookup),
            });
        }
    }
}

/// The line breaks between sentence `a` and the later `b`: gaps between
/// two sentences that hold one line break (a blank line is a paragraph
/// break, not counted; so is the step from one segment to the next).
fn breaks_between(doc: &Document<'_>, a: &Sentence, b: &Sentence) -> usize {
    // Gaps between the sentences of segment `s` that start in `from..to`.
    let gaps = |s: usize, from: usize, to: usize| -> usize {
        let seg = &doc.segments[s];
        let text = seg.text();
        let all = seg.sentences();
        let first = all.partition_point(|r| r.start < from);
        let last = all.partition_point(|r| r.start < to);
        all[first..last]
            .windows(2)
            .filter(|w| {
                memchr::memchr_iter(b'\n', &text.as_bytes()[w[0].end..w[1].start]).count() == 1
            })
            .count()
    };
    if a.segment == b.segment {
        gaps(a.segment, a.range.start, b.range.start + 1)
    } else {
        gaps(a.segment, a.range.start, usize::MAX) + gaps(b.segment, 0, b.range.start + 1)
    }
}

/// How many words `a` and `b` share, counting repeats (multiset
/// intersection).
fn shared_words(a: &[u64], b: &[u64]) -> usize {
    let mut a = a.to_vec();
    let mut b = b.to_vec();
    a.sort_unstable();
    b.sort_unstable();
    let (mut i, mut j, mut shared) = (0, 0, 0);
    while i < a.len() && j < b.len() {
        match a[i].cmp(&b[j]) {
            std::cmp::Ordering::Less => i += 1,
            std::cmp::Ordering::Greater => j += 1,
            std::cmp::Ordering::Equal => {
                shared += 1;
                i += 1;
                j += 1;
            }
        }
    }
    shared
}

/// The word ranges of a sentence (its `tokens`, `words` words) to compare:
/// the whole, the part after a lead of at most `p` words set off by a
/// comma, and the part before such a tail.
fn variants(tokens: &[Token], text: &str, words: usize, p: usize) -> [Option<Range<usize>>; 3] {
    let mut lead = None;
    let mut tail = None;
    let mut n = 0;
    for t in tokens {
        if t.kind == TokenKind::Punct {
            if t.text(text) == "," && n > 0 {
                if lead.is_none() && n <= p {
                    lead = Some(n..words);
                }
                if words - n <= p && words > n {
                    tail = Some(0..n);
                }
            }
        } else {
            n += 1;
        }
    }
    [Some(0..words), lead, tail]
}

#[cfg(test)]
mod tests {
    use crate::check::testing::{load_error, matched, run};

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

    const RUNS: &str = r#"
id = "t"
kind = "repeated-sentence"
category = "repetition"
severity = "warning"
message = "repeats ({count}, {similarity})"
run-message = "{count} sentences repeat ({similarity})"
summary = "s"
why = "w"
min-words = 5
max-prefix-words = 4
reordered-similarity = 0.9
"#;

    #[test]
    fn a_run_of_copies_is_one_finding_with_its_count() {
        let a = "The dam was shut for repairs today.";
        let b = "Boats went round by the north channel.";
        let text = format!("{a} {b} {a} {b} {a} {b}");
        let found = run(RUNS, &text);
        assert_eq!(found.len(), 1, "{found:?}");
        assert_eq!(found[0].0, format!("{a} {b} {a} {b}"));
        assert_eq!(found[0].1, "4 sentences repeat (100%)");
        // A sentence that repeats nothing ends a run.
        let c = "Nobody was hurt in the flood at all.";
        let found = run(RUNS, &format!("{a} {b} {a} {c} {b}"));
        assert_eq!(
            found,
            vec![
                (a.to_string(), "repeats (1, 100%)".into(), None),
                (b.to_string(), "repeats (1, 100%)".into(), None)
            ]
        );
        // Without `run-message`, a run still makes one finding.
        let plain = RUNS.replace(
            "run-message = \"{count} sentences repeat ({similarity})\"",
            "",
        );
        assert_eq!(
            run(&plain, &format!("{a} {b} {a} {b}"))[0].1,
            "repeats (2, 100%)"
        );
    }

    #[test]
    fn the_sentence_before_behind_a_lead_or_with_a_tail() {
        let text = "The court ruled that the lease was void. According to the lawyer, the court ruled that the lease was void.";
        assert_eq!(
            matched(RUNS, text),
            vec!["According to the lawyer, the court ruled that the lease was void."]
        );
        let text = "Ten new buses will serve the airport. Ten new buses will serve the airport, the council said.";
        assert_eq!(matched(RUNS, text).len(), 1);
        // The earlier one may carry the lead.
        let text = "On Monday, the court ruled that the lease was void. The court ruled that the lease was void.";
        assert_eq!(matched(RUNS, text).len(), 1);
        // A lead longer than `max-prefix-words`, or a sentence further back.
        let text = "The court ruled that the lease was void. According to a lawyer for the tenants, the court ruled that the lease was void.";
        assert!(matched(RUNS, text).is_empty());
        let text = "The court ruled that the lease was void. The tenants had asked for a new hearing. As expected, the court ruled that the lease was void.";
        assert!(matched(RUNS, text).is_empty());
    }

    #[test]
    fn the_sentence_before_reordered() {
        let text = "The bridge will reopen to traffic on Monday after repairs. After repairs, the bridge will reopen to traffic on Monday.";
        let found = run(RUNS, text);
        assert_eq!(found.len(), 1);
        assert_eq!(found[0].1, "repeats (1, 100%)");
        let text = "The bridge will reopen to traffic on Monday after repairs. After repairs, the tunnel will reopen to lorries on Friday.";
        assert!(matched(RUNS, text).is_empty());
        let off = RUNS.replace("reordered-similarity = 0.9", "");
        let text = "The bridge will reopen to traffic on Monday after repairs. After repairs, the bridge will reopen to traffic on Monday.";
        assert!(matched(&off, text).is_empty());
    }

    #[test]
    fn with_a_break_limit_far_copies_count_only_inside_a_repeated_run() {
        let rule = format!("{RULE}max-line-breaks = 1\n");
        let a = "All passengers were rescued by the coast guard.";
        let b = "The ferry was towed back to the port at night.";
        let c = "Nobody was hurt when the engine failed at sea.";
        // The same line or the next; paragraphs apart (blank lines are
        // paragraph breaks, not line breaks).
        assert_eq!(matched(&rule, &format!("{a} {b} {a}")), vec![a]);
        assert_eq!(matched(&rule, &format!("{b}\n{a}\n{a}")), vec![a]);
        assert_eq!(
            matched(&rule, &format!("{a}\n\n{b}\n\n \n{c}\n\n{a}")),
            vec![a]
        );
        // Two lines on, one sentence per line: a restatement.
        assert!(matched(&rule, &format!("{a}\n{b}\n{a}")).is_empty());
        assert!(matched(&rule, &format!("{a}\n{b}\n\n{c}\n{a}")).is_empty());
        // Line breaks inside hard-wrapped sentences are not breaks.
        let wrapped = "The ferry was towed\nback to port. Nobody was\nhurt at sea at all.";
        assert_eq!(matched(&rule, &format!("{a} {wrapped} {a}")), vec![a]);
        // A loop of two sentences over lines is one run.
        assert_eq!(
            matched(&rule, &format!("{a}\n{b}\n{a}\n{b}\n{c}")),
            vec![format!("{a}\n{b}")]
        );
        // A near copy on the line before counts though an older one is far.
        let a2 = "All passengers were rescued by the coast guards.";
        assert_eq!(matched(&rule, &format!("{a}\n{b}\n{a}\n{a2}")), vec![a2]);
        // Without the key, any copy within `window` counts.
        assert_eq!(matched(RULE, &format!("{a}\n{b}\n{c}\n{a}")), vec![a]);
    }

    #[test]
    fn new_keys_are_validated() {
        let err = load_error(&RUNS.replace("{count} sentences", "{nope} sentences"));
        assert!(err.contains("{nope}"), "{err}");
        let err = load_error(&RUNS.replace("max-prefix-words = 4", "max-prefix-words = 99"));
        assert!(err.contains("max-prefix-words"), "{err}");
        let err =
            load_error(&RUNS.replace("reordered-similarity = 0.9", "reordered-similarity = 2.0"));
        assert!(err.contains("reordered-similarity"), "{err}");
    }

    #[test]
    fn short_or_different_sentences_are_fine() {
        assert!(matched(RULE, "He declined. He declined.").is_empty());
        let text =
            "The index rose two percent on Monday. The dollar fell three percent on Tuesday.";
        assert!(matched(RULE, text).is_empty());
    }
}
