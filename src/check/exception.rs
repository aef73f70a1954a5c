//! Exceptions: patterns that veto a match when they match its surroundings.
//! Written next to the pattern they correct, in the rule file:
//!
//! ```toml
//! [[exception]]
//! before = '\. ?$'   # text just before the match (up to 80 bytes; anchor with $)
//! after = '^ ?\.'    # text just after the match (up to 80 bytes; anchor with ^)
//! matched = '^Mr$'   # the matched text itself
//! ```
//! Every key an exception gives must match for it to veto. Knows nothing of
//! documents, findings or the kinds that use it: it is compiled through the
//! rule's context (errors, the regex budget), then sees a text and a match's
//! byte range in it.

use regex::Regex;
use serde::Deserialize;
use toml::Spanned;

use super::{RuleContext, ceil_boundary};
use crate::diagnostics::RuleError;

/// How far the `before` and `after` windows reach, in bytes.
const WINDOW: usize = 80;

/// The most `[[exception]]` tables one rule may have: each is tried on every
/// match, and each compiles up to three regexes (whose total size is capped
/// too, see [`super::MAX_RULE_REGEX_BYTES`]).
pub(crate) const MAX_EXCEPTIONS: usize = 200;

/// One `[[exception]]` table as written.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct ExceptionSpec {
    before: Option<Spanned<String>>,
    after: Option<Spanned<String>>,
    matched: Option<Spanned<String>>,
}

#[derive(Debug)]
struct Exception {
    before: Option<Regex>,
    after: Option<Regex>,
    matched: Option<Regex>,
}

/// The compiled exceptions of one rule.
#[derive(Debug, Default)]
pub(crate) struct Exceptions(Vec<Exception>);

impl Exceptions {
    /// Compiles the specs; an exception with no key, or more than
    /// [`MAX_EXCEPTIONS`] of them, is an error.
    pub(crate) fn build(
        ctx: &RuleContext<'_>,
        specs: &[ExceptionSpec],
        case_insensitive: bool,
    ) -> Result<Self, RuleError> {
        if let Some(extra) = specs.get(MAX_EXCEPTIONS) {
            let span = [&extra.before, &extra.after, &extra.matched]
                .into_iter()
                .flatten()
                .map(|s| s.span())
                .min_by_key(|s| s.start);
            return Err(ctx.error(
                span,
                format!("more than {MAX_EXCEPTIONS} [[exception]] tables"),
            ));
        }
        let compile = |key: &str, s: &Option<Spanned<String>>| {
            s.as_ref()
                .map(|s| ctx.regex(key, s, case_insensitive))
                .transpose()
        };
        specs
            .iter()
            .map(|s| {
                if s.before.is_none() && s.after.is_none() && s.matched.is_none() {
                    return Err(ctx.error(
                        None,
                        "an [[exception]] needs `before`, `after` or `matched`",
                    ));
                }
                Ok(Exception {
                    before: compile("exception.before", &s.before)?,
                    after: compile("exception.after", &s.after)?,
                    matched: compile("exception.matched", &s.matched)?,
                })
            })
            .collect::<Result<_, _>>()
            .map(Exceptions)
    }

    /// Whether an exception vetoes the match at `start..end` of `text`.
    pub(crate) fn veto(&self, text: &str, start: usize, end: usize) -> bool {
        self.0.iter().any(|e| {
            e.before.as_ref().is_none_or(|r| {
                r.is_match(&text[ceil_boundary(text, start.saturating_sub(WINDOW))..start])
            }) && e
                .after
                .as_ref()
                .is_none_or(|r| r.is_match(&text[end..ceil_boundary(text, end + WINDOW)]))
                && e.matched
                    .as_ref()
                    .is_none_or(|r| r.is_match(&text[start..end]))
        })
    }
}
