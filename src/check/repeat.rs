//! `repeat`: token-level repetition, which no regex without back-references
//! can find.
//!
//! `mode = "doubled-word"`: the same word twice in a row, across a line break
//! too, ignoring case ("said the the situation"). `allow` lists doubles that
//! are words of their own ("bye bye", "Duran Duran"); `[[context]]` tables
//! and `verbs` allow a double only where its context makes it correct ("what
//! it is is", "moved in in March"; see `double_context`); with `names =
//! true` two capitalised copies of a word not in `common-words` and in no
//! context are taken for a reduplicated personal name ("Lang Lang"). With
//! `headline-breaks = true`, a double across a line break whose first line
//! reads as a headline (it ends in the first copy, a word not in
//! `common-words`) and whose second line starts with the word capitalised
//! ("…talks with the mediator" / "Mediator Anna Berg said") is a headline and
//! its paragraph, not an artifact. A run of three or more is left to loop
//! mode. Doubled single letters spell words out ("b a s i c") and are
//! skipped, but for the one-letter words of the language, `letter-words`
//! (default `["a", "I"]`; Russian has в, с, к, о, Czech v, s, z, k).
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

use super::double_context::{ContextSpec, Contexts};
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
    "context",
    "verbs",
    "headline-breaks",
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
    #[serde(default)]
    context: Vec<ContextSpec>,
    #[serde(default)]
    verbs: Vec<String>,
    #[serde(default)]
    headline_breaks: bool,
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
    /// Where a doubled word is correct (doubled-word mode).
    contexts: Contexts,
    headline_breaks: bool,
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
        Mode::Loop
            if !spec.context.is_empty() || !spec.verbs.is_empty() || spec.headline_breaks =>
        {
            return Err(ctx.error(
                None,
                "`context`, `verbs` and `headline-breaks` are for `mode = \"doubled-word\"`",
            ));
        }
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
        contexts: Contexts::build(ctx, &spec.context, &spec.verbs)?,
        headline_breaks: spec.headline_breaks,
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
            if run == 2 && !spelled && !glued && !self.allowed_double(text, tokens, i) {
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

    /// Whether the double at tokens `i` and `i + 1` is correct.
    fn allowed_double(&self, text: &str, tokens: &[Token], i: usize) -> bool {
        let (a, b) = (tokens[i].text(text), tokens[i + 1].text(text));
        if self.allow.contains(&format!("{a} {b}").to_lowercase()) {
            return true;
        }
        if self.headline_breaks && self.is_headline_break(text, tokens, i) {
            return true;
        }
        if let Some(allowed) = self.contexts.allows(text, tokens, i) {
            return allowed;
        }
        self.names
            && capitalised(a)
            && capitalised(b)
            && !self.common_words.contains(&a.to_lowercase())
    }

    /// A headline line ending in the first copy, and a paragraph starting
    /// with the second, capitalised ("…with the mediator" / "Mediator Berg
    /// said").
    fn is_headline_break(&self, text: &str, tokens: &[Token], i: usize) -> bool {
        let (a, b) = (tokens[i].text(text), tokens[i + 1].text(text));
        let gap = &text[tokens[i].end as usize..tokens[i + 1].start as usize];
        let mut rest = b.chars().skip(1);
        gap.contains('\n')
            && capitalised(b)
            && rest.next().is_some_and(char::is_lowercase)
            && rest.all(|c| !c.is_uppercase())
            && !self.common_words.contains(&a.to_lowercase())
    }

    fn loops(&self, seg: &Segment<'_>, out: &mut Vec<Finding>) {
        let text = seg.text();
        let tokens = seg.tokens();
        let words = seg.words();
        let keys = &words.keys;
        let content = |i: usize| &tokens[words.tokens[i] as usize];
        let gap_ok = |a: &Token, b: &Token| {
            let gap = &text[a.end as usize..b.start as usize];
            gap.len() <= MAX_LOOP_GAP
                && !is_paragraph_break(gap)
                && gap.chars().all(|c| {
                    c.is_whitespace()
                        || matches!(c, ',' | ';' | ':' | '.' | '-' | '–' | '—' | '/' | '|' | '·')
                })
        };
        let eq = |i: usize, j: usize| keys[i] == keys[j];
        // Nearly every token starts no loop: no unit of up to `max-ngram`
        // tokens after it starts with it again (and, for three copies or
        // more, once more after that). A tight scan over windows of keys
        // skips those; the last few tokens are tested one by one.
        let width = self.max_ngram;
        let third = self.min_copies >= 3;
        let starts_in = |w: &[u64]| {
            let k = w[0];
            w[1..=width.min(w.len() - 1)].contains(&k)
                && (1..=width).any(|u| w.get(u) == Some(&k) && (!third || w.get(2 * u) == Some(&k)))
        };
        let span = 2 * width + 1;
        let may_start_from = |i: usize| -> Option<usize> {
            let body = keys.len().saturating_sub(span);
            if i < body {
                if let Some(p) = keys[i..body + span - 1].windows(span).position(&starts_in) {
                    return Some(i + p);
                }
            }
            (i.max(body)..keys.len()).find(|&j| starts_in(&keys[j..]))
        };
        let mut i = 0;
        'tokens: while i < keys.len() {
            let Some(next) = may_start_from(i) else {
                break;
            };
            i = next;
            for n in 1..=self.max_ngram {
                // No loop of this unit length: the n-th successor differs.
                if keys.get(i + n).is_none_or(|&k| k != keys[i]) {
                    continue;
                }
                let mut copies = 1;
                'copies: while i + (copies + 1) * n <= keys.len() {
                    let base = i + copies * n;
                    for k in 0..n {
                        if !eq(i + k, base + k) || !gap_ok(content(base + k - 1), content(base + k))
                        {
                            break 'copies;
                        }
                    }
                    copies += 1;
                }
                if copies < self.min_copies
                    || (n == 1 && content(i).text(text).chars().count() == 1)
                {
                    continue;
                }
                let unit_range = content(i).start as usize..content(i + n - 1).end as usize;
                let unit = &text[unit_range];
                let comma_triple = n == 1
                    && copies == 3
                    && (i..i + 2).all(|k| {
                        text[content(k).end as usize..content(k + 1).start as usize]
                            .starts_with(',')
                    });
                if self.allow.contains(&normalise(unit))
                    || (self.allow_comma_triples && comma_triple)
                {
                    i += copies * n;
                    continue 'tokens;
                }
                let range = content(i).start as usize..content(i + copies * n - 1).end as usize;
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
    use crate::check::testing::{load_error, matched, run};

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

    const CONTEXTS: &str = r#"
id = "t"
kind = "repeat"
category = "repetition"
severity = "warning"
message = "“{word}” twice"
summary = "s"
why = "w"
mode = "doubled-word"
names = true
headline-breaks = true
common-words = ["the", "to", "will", "may"]
verbs = ["pay", "paid", "move", "look"]
[[context]]
words = ["is"]
after = ["what"]
[[context]]
words = ["that"]
unless-next = ["the", "this"]
[[context]]
words = ["had"]
sentence-start = false
unless-next = ["been"]
[[context]]
words = ["in", "for", "up"]
previous-verb = true
[[context]]
words = ["may", "will"]
mixed-case = true
[[context]]
words = ["may", "will"]
sentence-start = true
next-lowercase = true
[[context]]
words = ["can"]
previous = ["the"]
[[context]]
words = ["wait"]
standalone = true
[[context]]
words = ["hip"]
next = ["hooray"]
"#;

    #[test]
    fn a_word_with_contexts_is_allowed_only_in_them() {
        assert!(matched(CONTEXTS, "What it is is a delay.").is_empty());
        assert_eq!(matched(CONTEXTS, "This is is a test."), vec!["is is"]);
        assert!(matched(CONTEXTS, "He said that that plan failed.").is_empty());
        assert_eq!(
            matched(CONTEXTS, "Be sure that that this plan works."),
            vec!["that that"]
        );
        assert!(matched(CONTEXTS, "If I had had time.").is_empty());
        assert_eq!(
            matched(CONTEXTS, "Had had time. It had had been."),
            vec!["Had had", "had had"]
        );
        assert!(matched(CONTEXTS, "Wait wait! Hip hip hooray.").is_empty());
        assert_eq!(
            matched(CONTEXTS, "Please wait wait for me. Hip Hip"),
            vec!["wait wait", "Hip Hip"]
        );
    }

    #[test]
    fn particles_after_a_verb_form() {
        for ok in [
            "They moved in in March.",
            "It was paid for for years.",
            "We are moving in in May.",
            "She looks up up the road.",
            "It was searched for for weeks.",
        ] {
            assert!(matched(CONTEXTS, ok).is_empty(), "{ok}");
        }
        assert_eq!(
            matched(CONTEXTS, "A rise in in prices. A need for for help."),
            vec!["in in", "for for"]
        );
    }

    #[test]
    fn names_and_months_beside_modals() {
        for ok in [
            "May may come.",
            "Will Will sign?",
            "Prices in May may fall.",
            "So Will will sign.",
            "The can can hold water.",
        ] {
            assert!(matched(CONTEXTS, ok).is_empty(), "{ok}");
        }
        // Contexts decide for these words, not the names rule.
        assert_eq!(
            matched(CONTEXTS, "That is May May. I will will go. A can can."),
            vec!["May May", "will will", "can can"]
        );
    }

    #[test]
    fn headline_breaks() {
        assert!(
            matched(
                CONTEXTS,
                "Talks with the mediator\nMediator Anna Berg said so."
            )
            .is_empty()
        );
        assert_eq!(
            matched(CONTEXTS, "talks with the mediator\nmediator said so"),
            vec!["mediator\nmediator"]
        );
        assert_eq!(
            matched(CONTEXTS, "LIKE A FISH IN THE\nTHE SEA. Went to\nTo town."),
            vec!["THE\nTHE", "to\nTo"]
        );
        // Without the key, every double across a line break is flagged.
        let plain = CONTEXTS.replace("headline-breaks = true", "");
        assert_eq!(
            matched(&plain, "Talks with the mediator\nMediator Berg said so."),
            vec!["mediator\nMediator"]
        );
    }

    #[test]
    fn context_keys_are_checked() {
        let err = load_error(&CONTEXTS.replace("previous-verb = true", "previous-verbs = true"));
        assert!(err.contains("previous-verbs"), "{err}");
        let err =
            load_error(&CONTEXTS.replace("verbs = [\"pay\", \"paid\", \"move\", \"look\"]", ""));
        assert!(err.contains("`verbs`"), "{err}");
        let err = load_error(&LOOP.replace("allow-comma-triples = true", "verbs = [\"go\"]"));
        assert!(err.contains("doubled-word"), "{err}");
    }

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
