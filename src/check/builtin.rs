//! The built-in rules, which are code rather than TOML files: `invalid-utf8`
//! (bytes that are not UTF-8: no TOML string can hold them for examples) and
//! `unused-disable` (suppression comments that suppress nothing). Owns their
//! metadata and how their findings read; when they fire is decided where the
//! facts are known (the engine finds invalid bytes, the suppression filter
//! finds unused comments), which call in here. Knows nothing of reporters,
//! of rows or positions, nor of the run loop.

use std::collections::BTreeSet;
use std::sync::Arc;

use crate::document::InvalidUtf8;
use crate::finding::{Finding, RuleMeta, Severity};
use crate::suppress::Unused;

/// The id of the built-in rule for bytes that are not UTF-8.
pub const INVALID_UTF8: &str = "invalid-utf8";

/// The id of the built-in rule that reports unused suppression comments.
pub const UNUSED_DISABLE: &str = "unused-disable";

/// The metadata of a built-in rule: no fix, no examples, every language.
fn built_in(
    id: &str,
    category: &str,
    severity: Severity,
    summary: &str,
    why: &str,
) -> Arc<RuleMeta> {
    Arc::new(RuleMeta {
        id: id.into(),
        kind: "builtin",
        category: category.into(),
        severity,
        summary: summary.into(),
        why: why.into(),
        languages: Vec::new(),
        source: "builtin".into(),
        fix_safe: false,
        examples: Vec::new(),
    })
}

/// The built-in rule for bytes that are not UTF-8, part of every ruleset
/// unless deselected.
pub(crate) fn invalid_utf8_rule() -> Arc<RuleMeta> {
    built_in(
        INVALID_UTF8,
        "encoding",
        Severity::Error,
        "Bytes that are not valid UTF-8",
        "Text scraped or converted with the wrong encoding carries bytes that no UTF-8 reader can decode; \
         the rest of the file is still checked.",
    )
}

/// The one finding of `rule` (the invalid UTF-8 rule) in a file of `bytes`
/// that is not UTF-8 where `bad` says: at the first invalid sequence, its
/// bytes shown in hex, with how many more there are.
pub(crate) fn invalid_utf8_finding(
    rule: &Arc<RuleMeta>,
    bytes: &[u8],
    bad: InvalidUtf8,
) -> Finding {
    let shown: String = bytes
        .get(bad.first.clone())
        .unwrap_or_default()
        .iter()
        .map(|b| format!("0x{b:02X} "))
        .collect();
    let more = match bad.count {
        1 => String::new(),
        n => format!("; {} more invalid sequences in this file", n - 1),
    };
    let message = format!(
        "invalid UTF-8 ({}) — the file is not UTF-8 text{more}; if it is in another \
         encoding, name it with --encoding (such as --encoding windows-1252)",
        shown.trim_end()
    );
    Finding::new(rule, bad.first, message, None)
}

/// The built-in rule reported by `--report-unused-disables`.
pub fn unused_disable_rule() -> Arc<RuleMeta> {
    built_in(
        UNUSED_DISABLE,
        "suppression",
        Severity::Warning,
        "A suppression comment that suppresses nothing",
        "An `mtlint-disable` comment whose rule no longer fires (the text was mended, or the rule \
         id is misspelt) hides future artifacts for no reason; remove it.",
    )
}

/// The finding of `rule` (the unused-disable rule) for a suppression comment
/// that suppressed nothing, at the comment; `known` holds every rule id and
/// category, to tell a misspelt name from one that merely did not fire.
pub(crate) fn unused_disable_finding(
    rule: &Arc<RuleMeta>,
    unused: &Unused<'_>,
    known: &BTreeSet<String>,
) -> Finding {
    let d = unused.directive;
    let message = match unused.rule {
        Some(name) if !known.contains(name) => {
            let hint = crate::diagnostics::hint(name, known.iter().map(String::as_str));
            format!(
                "`{}` names no known rule or category `{name}`{hint}",
                d.kind.keyword()
            )
        }
        Some(name) => format!(
            "unused suppression: no `{name}` finding here for `{}`",
            d.kind.keyword()
        ),
        None => format!(
            "unused suppression: `{}` suppresses nothing",
            d.kind.keyword()
        ),
    };
    Finding::new(rule, d.span.clone(), message, None)
}
