//! `phrase`: literal phrase lists — for scraped web boilerplate and
//! translation disclaimers (found by the shared literal scan, `literals.rs`).
//!
//! ```toml
//! phrases = ["Back to top button", "Related articles"]
//! case-sensitive = false   # default: ASCII case is ignored
//! whole-word = true        # default: no match inside a longer word
//! whole-line = false       # true: the phrase must fill its line, give or
//!                          # take decoration such as `:`, `»`, `|` or bullets
//! ```
//! Placeholders: `{match}` (the text as found), `{phrase}` (as listed).
//!
//! Knows nothing of files, input formats, positions or reporters: it sees a
//! document's segments and the occurrences the shared scan found in them.

use std::sync::Arc;

use serde::Deserialize;
use toml::Spanned;

use super::literals::{self, LiteralCheck, LiteralHit, Literals, Matching};
use super::{Check, Output, RuleContext, char_at, char_before};
use crate::diagnostics::RuleError;
use crate::document::Document;
use crate::finding::{Finding, RuleMeta};

pub(crate) const KEYS: &[&str] = &["phrases", "case-sensitive", "whole-word", "whole-line"];

const MAX_PHRASES: usize = 50_000;

fn yes() -> bool {
    true
}

#[derive(Deserialize)]
#[serde(rename_all = "kebab-case")]
struct Spec {
    phrases: Spanned<Vec<String>>,
    #[serde(default)]
    case_sensitive: bool,
    #[serde(default = "yes")]
    whole_word: bool,
    #[serde(default)]
    whole_line: bool,
}

struct Phrase {
    /// The phrases, which the engine's shared scan finds in a full run (see
    /// `literals.rs`).
    phrases: Literals,
    whole_line: bool,
    out: Output,
}

pub(crate) fn build(ctx: &RuleContext<'_>) -> Result<Box<dyn Check>, RuleError> {
    let spec: Spec = ctx.spec()?;
    let span = spec.phrases.span();
    let phrases: Vec<String> = spec
        .phrases
        .into_inner()
        .into_iter()
        .map(|p| p.trim().to_string())
        .collect();
    if phrases.is_empty() || phrases.iter().any(String::is_empty) {
        return Err(ctx.error(
            Some(span),
            "`phrases` must hold at least one non-empty phrase",
        ));
    }
    if phrases.len() > MAX_PHRASES {
        return Err(ctx.error(Some(span), format!("more than {MAX_PHRASES} phrases")));
    }
    let matching = Matching {
        case_sensitive: spec.case_sensitive,
        whole_word: spec.whole_word,
    };
    let phrases = Literals::new(phrases, matching)
        .map_err(|e| ctx.error(Some(span), format!("cannot compile phrases: {e}")))?;
    let out = ctx.output(|v| matches!(v, "match" | "phrase"), "{match}, {phrase}")?;
    Ok(Box::new(Phrase {
        phrases,
        whole_line: spec.whole_line,
        out,
    }))
}

/// Characters that may surround a whole-line phrase: bullets, arrows,
/// separators, closing punctuation (`mine` trims units by the same set).
pub fn is_decoration(c: char) -> bool {
    c.is_whitespace()
        || matches!(
            c,
            ':' | '.'
                | '!'
                | '»'
                | '«'
                | '›'
                | '‹'
                | '→'
                | '←'
                | '…'
                | '|'
                | '-'
                | '–'
                | '—'
                | '•'
                | '·'
                | '*'
                | '#'
                | '>'
                | '['
                | ']'
                | '('
                | ')'
        )
}

impl Phrase {
    fn accepts(&self, text: &str, start: usize, end: usize) -> bool {
        if self.phrases.matching().whole_word {
            let word = |c: Option<char>| c.is_some_and(char::is_alphanumeric);
            let inner_start = text[start..end]
                .chars()
                .next()
                .is_some_and(char::is_alphanumeric);
            let inner_end = text[start..end]
                .chars()
                .next_back()
                .is_some_and(char::is_alphanumeric);
            if (inner_start && word(char_before(text, start)))
                || (inner_end && word(char_at(text, end)))
            {
                return false;
            }
        }
        if self.whole_line {
            let line_start = text[..start].rfind('\n').map_or(0, |i| i + 1);
            let line_end = text[end..].find('\n').map_or(text.len(), |i| end + i);
            if !text[line_start..start].chars().all(is_decoration)
                || !text[end..line_end].chars().all(is_decoration)
            {
                return false;
            }
        }
        true
    }
}

impl Check for Phrase {
    fn meta(&self) -> &Arc<RuleMeta> {
        &self.out.meta
    }

    fn literal_check(&self) -> Option<&dyn LiteralCheck> {
        Some(self)
    }
}

impl LiteralCheck for Phrase {
    fn literals(&self) -> &Literals {
        &self.phrases
    }

    fn check_hits(&self, doc: &Document<'_>, hits: &[LiteralHit], out: &mut Vec<Finding>) {
        let accepted = literals::leftmost_longest(hits, |h| {
            let text = doc.segments[h.segment].text();
            let phrase = &self.phrases.list()[h.literal];
            (!self.phrases.matching().case_sensitive || &text[h.start..h.end] == phrase)
                && self.accepts(text, h.start, h.end)
        });
        for h in accepted {
            let seg = &doc.segments[h.segment];
            let found = &seg.text()[h.start..h.end];
            let phrase = self.phrases.list()[h.literal].as_str();
            out.push(self.out.finding(seg, h.start..h.end, |v| match v {
                "match" => Some(found),
                "phrase" => Some(phrase),
                _ => None,
            }));
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::check::testing::{matched, run};

    const RULE: &str = r#"
id = "t"
kind = "phrase"
category = "boilerplate"
severity = "warning"
message = "boilerplate “{phrase}”"
summary = "s"
why = "w"
phrases = ["Back to top", "Back to top button", "read more"]
"#;

    #[test]
    fn longest_phrase_wins_case_insensitively() {
        let found = run(RULE, "Text.\nback to top BUTTON\n");
        assert_eq!(found[0].0, "back to top BUTTON");
        assert_eq!(found[0].1, "boilerplate “Back to top button”");
    }

    #[test]
    fn whole_word_only() {
        assert!(matched(RULE, "Feedback to topics").is_empty());
        assert_eq!(matched(RULE, "Please read more."), vec!["read more"]);
    }

    #[test]
    fn whole_line_requires_the_phrase_to_fill_the_line() {
        let rule = format!("{RULE}whole-line = true\n");
        assert_eq!(
            matched(&rule, "Story.\n\n» Read more:\n"),
            vec!["Read more"]
        );
        assert!(matched(&rule, "You can read more about it.").is_empty());
    }

    #[test]
    fn case_sensitive_option() {
        let rule = format!("{RULE}case-sensitive = true\n");
        assert!(matched(&rule, "BACK TO TOP").is_empty());
    }
}
