//! Contexts that make a doubled word correct, for `repeat`'s doubled-word
//! mode: "what it is is", "said that that plan", "had had enough", "moved in
//! in March", "The can can hold", "Wait wait!". A word that some context
//! names is allowed doubled only where one of its contexts holds; elsewhere
//! ("This is is a test", "Please wait wait for me") it is flagged.
//!
//! ```toml
//! verbs = ["pay", "paid", "bring", "brought"]  # for `previous-verb`
//!
//! [[context]]
//! words = ["in", "on", "for"]   # the doubled words this context is for
//! previous-verb = true          # the word before is a verb form
//! ```
//! Conditions (all that a table gives must hold):
//! - `after`: one of these words comes earlier in the same clause (back to
//!   the previous punctuation, at most [`CLAUSE_WORDS`] words);
//! - `previous`: the word just before is one of these;
//! - `previous-verb`: the word just before is a verb form: one of `verbs`,
//!   one of them with `-s`, `-es`, `-d`, `-ed` or `-ing`, or a word of five
//!   letters or more ending in `-ed` (not `-eed`);
//! - `next` / `unless-next`: the word just after is / is not one of these;
//! - `standalone`: the double is a phrase of its own, with punctuation (or
//!   the text's edge) on both sides;
//! - `sentence-start`: the first copy begins (`true`) or does not begin
//!   (`false`) a sentence;
//! - `next-lowercase`: a lower-case word follows;
//! - `mixed-case`: one copy is capitalised and not at a sentence start, the
//!   other lower-case (a name or month beside the word: "in May may").
//!
//! Knows nothing of files, input formats, positions or reporters: it sees a
//! segment's text and tokens.

use serde::Deserialize;

use super::{KeyMap, RuleContext};
use crate::diagnostics::RuleError;
use crate::document::{Token, TokenKind, fold_key};

/// How many words back `after` looks for its words.
pub(crate) const CLAUSE_WORDS: usize = 12;

/// One `[[context]]` table as written.
#[derive(Deserialize)]
#[serde(rename_all = "kebab-case", deny_unknown_fields)]
pub(crate) struct ContextSpec {
    words: Vec<String>,
    #[serde(default)]
    after: Vec<String>,
    #[serde(default)]
    previous: Vec<String>,
    #[serde(default)]
    previous_verb: bool,
    #[serde(default)]
    next: Vec<String>,
    #[serde(default)]
    unless_next: Vec<String>,
    #[serde(default)]
    standalone: bool,
    sentence_start: Option<bool>,
    #[serde(default)]
    next_lowercase: bool,
    #[serde(default)]
    mixed_case: bool,
}

/// A compiled context: word lists as token keys.
struct Context {
    after: Vec<u64>,
    previous: Vec<u64>,
    previous_verb: bool,
    next: Vec<u64>,
    unless_next: Vec<u64>,
    standalone: bool,
    sentence_start: Option<bool>,
    next_lowercase: bool,
    mixed_case: bool,
}

/// Every context of a rule, by the doubled word they are for.
#[derive(Default)]
pub(crate) struct Contexts {
    by_word: KeyMap<Vec<usize>>,
    contexts: Vec<Context>,
    /// Keys of `verbs`.
    verbs: KeyMap<()>,
}

fn keys(words: &[String]) -> Vec<u64> {
    words.iter().map(|w| fold_key(w)).collect()
}

impl Contexts {
    /// Compiles the `[[context]]` tables and `verbs` of a rule.
    pub(crate) fn build(
        ctx: &RuleContext<'_>,
        specs: &[ContextSpec],
        verbs: &[String],
    ) -> Result<Self, RuleError> {
        let mut out = Contexts::default();
        for (k, spec) in specs.iter().enumerate() {
            if spec.words.is_empty() {
                return Err(ctx.error(None, format!("`context` {} has no `words`", k + 1)));
            }
            if spec.previous_verb && verbs.is_empty() {
                return Err(ctx.error(
                    None,
                    format!(
                        "`context` {} uses `previous-verb` but the rule has no `verbs`",
                        k + 1
                    ),
                ));
            }
            for w in &spec.words {
                out.by_word.entry(fold_key(w)).or_default().push(k);
            }
            out.contexts.push(Context {
                after: keys(&spec.after),
                previous: keys(&spec.previous),
                previous_verb: spec.previous_verb,
                next: keys(&spec.next),
                unless_next: keys(&spec.unless_next),
                standalone: spec.standalone,
                sentence_start: spec.sentence_start,
                next_lowercase: spec.next_lowercase,
                mixed_case: spec.mixed_case,
            });
        }
        out.verbs = verbs.iter().map(|v| (fold_key(v), ())).collect();
        Ok(out)
    }

    /// Whether the double at tokens `i` and `i + 1` is allowed by a context:
    /// `None` when no context is for its word (other checks decide).
    pub(crate) fn allows(&self, text: &str, tokens: &[Token], i: usize) -> Option<bool> {
        let list = self.by_word.get(&tokens[i].key)?;
        let site = Site { text, tokens, i };
        Some(list.iter().any(|&k| self.holds(&self.contexts[k], &site)))
    }

    fn holds(&self, c: &Context, site: &Site<'_>) -> bool {
        let prev = site.previous_word();
        let next = site.next_word();
        (c.after.is_empty() || site.clause_before().any(|t| c.after.contains(&t.key)))
            && (c.previous.is_empty() || prev.is_some_and(|t| c.previous.contains(&t.key)))
            && (!c.previous_verb || prev.is_some_and(|t| self.is_verb(t.text(site.text))))
            && (c.next.is_empty() || next.is_some_and(|t| c.next.contains(&t.key)))
            && next.is_none_or(|t| !c.unless_next.contains(&t.key))
            && (!c.standalone || site.standalone())
            && c.sentence_start
                .is_none_or(|s| s == starts_sentence(site.text, site.tokens, site.i))
            && (!c.next_lowercase || next.is_some_and(|t| lowercase(t.text(site.text))))
            && (!c.mixed_case || site.mixed_case())
    }

    /// Whether `word` is a verb form (see the module header).
    fn is_verb(&self, word: &str) -> bool {
        let lower = word.to_lowercase();
        let known = |stem: &str| self.verbs.contains_key(&fold_key(stem));
        if known(&lower) {
            return true;
        }
        if lower.chars().count() >= 5 && lower.ends_with("ed") && !lower.ends_with("eed") {
            return true;
        }
        ["ing", "es", "ed", "s", "d"].iter().any(|suffix| {
            lower.strip_suffix(suffix).is_some_and(|stem| {
                !stem.is_empty()
                    && (known(stem) || (*suffix == "ing" && known(&format!("{stem}e"))))
            })
        })
    }
}

/// A doubled word: its first copy is token `i`, its second `i + 1`.
struct Site<'a> {
    text: &'a str,
    tokens: &'a [Token],
    i: usize,
}

impl Site<'_> {
    fn previous_word(&self) -> Option<&Token> {
        let t = self.tokens.get(self.i.checked_sub(1)?)?;
        (t.kind == TokenKind::Word).then_some(t)
    }

    fn next_word(&self) -> Option<&Token> {
        self.tokens
            .get(self.i + 2)
            .filter(|t| t.kind == TokenKind::Word)
    }

    /// The words before the double, back to the previous punctuation.
    fn clause_before(&self) -> impl Iterator<Item = &Token> {
        self.tokens[..self.i]
            .iter()
            .rev()
            .take_while(|t| t.is_content())
            .take(CLAUSE_WORDS)
    }

    fn standalone(&self) -> bool {
        let before = self.i == 0 || self.tokens[self.i - 1].kind == TokenKind::Punct;
        let after = self
            .tokens
            .get(self.i + 2)
            .is_none_or(|t| t.kind == TokenKind::Punct);
        before && after
    }

    fn mixed_case(&self) -> bool {
        let a = capitalised(self.tokens[self.i].text(self.text));
        let b = capitalised(self.tokens[self.i + 1].text(self.text));
        match (a, b) {
            (true, false) => !starts_sentence(self.text, self.tokens, self.i),
            (false, true) => true,
            _ => false,
        }
    }
}

fn capitalised(word: &str) -> bool {
    word.chars().next().is_some_and(char::is_uppercase)
}

fn lowercase(word: &str) -> bool {
    word.chars().next().is_some_and(char::is_lowercase)
}

/// Whether token `i` begins a sentence: nothing but opening quotes and
/// brackets come between it and the text's start, a sentence end (`.`, `!`,
/// `?`) or a blank line.
pub(crate) fn starts_sentence(text: &str, tokens: &[Token], i: usize) -> bool {
    let mut k = i;
    while k > 0 {
        let prev = &tokens[k - 1];
        let gap = &text[prev.end as usize..tokens[k].start as usize];
        if gap.matches('\n').count() >= 2 {
            return true;
        }
        if prev.kind != TokenKind::Punct {
            return false;
        }
        match prev.text(text) {
            "." | "!" | "?" | "…" => return true,
            "\"" | "“" | "‘" | "'" | "«" | "»" | "(" | "[" => k -= 1,
            _ => return false,
        }
    }
    true
}

#[cfg(test)]
mod tests {
    use super::starts_sentence;
    use crate::document::Segment;

    #[test]
    fn sentence_starts() {
        let text = "May rose. “Will came\n\nHere and (there";
        let seg = Segment::verbatim(text, 0);
        let tokens = seg.tokens();
        let at = |w: &str| tokens.iter().position(|t| t.text(text) == w).unwrap();
        assert!(starts_sentence(text, tokens, at("May")));
        assert!(!starts_sentence(text, tokens, at("rose")));
        assert!(starts_sentence(text, tokens, at("Will")));
        assert!(starts_sentence(text, tokens, at("Here")));
        assert!(!starts_sentence(text, tokens, at("there")));
    }
}
