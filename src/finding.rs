//! Findings — one artifact at one byte span of one file — and the metadata of
//! the rule that produced them. Imports nothing else from the crate but the
//! language code type: knows nothing of documents, how a rule checks, lines
//! and columns, or reporters.

use std::fmt;
use std::ops::Range;
use std::sync::Arc;

use serde::{Deserialize, Serialize};

use crate::language::Language;

/// How serious a finding is; ordered so that `Info < Warning < Error`.
#[derive(
    Clone,
    Copy,
    Debug,
    PartialEq,
    Eq,
    PartialOrd,
    Ord,
    Hash,
    Serialize,
    Deserialize,
    clap::ValueEnum,
)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    Info,
    Warning,
    Error,
}

impl Severity {
    /// The lower-case name used in rule files and reports.
    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Info => "info",
            Severity::Warning => "warning",
            Severity::Error => "error",
        }
    }
}

impl fmt::Display for Severity {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// One `[[example]]` of a rule: a text and what the rule must flag in it.
#[derive(Clone, Debug)]
pub struct Example {
    /// The text the rule is run on (the target, for source↔target rules).
    pub text: String,
    /// The source text of a bilingual example, for source↔target rules.
    pub source: Option<String>,
    /// The exact matched texts, in order of appearance; empty = must stay silent.
    pub expect: Vec<String>,
    /// The language the example's text is in (`language` in the rule file),
    /// else the first language the rule applies to, else English.
    pub language: Option<Language>,
    /// The text after applying every suggestion, when the example gives one.
    pub fixed: Option<String>,
}

/// Everything about a rule except how it checks: shared by its findings.
#[derive(Clone, Debug)]
pub struct RuleMeta {
    /// Stable kebab-case id, equal to the rule file's stem.
    pub id: String,
    /// The rule kind (`pattern`, `phrase`, …).
    pub kind: &'static str,
    /// Category such as `punctuation` or `boilerplate`.
    pub category: String,
    /// Default severity.
    pub severity: Severity,
    /// One line: what the rule finds.
    pub summary: String,
    /// What machine translation does to cause the artifact.
    pub why: String,
    /// Languages the rule applies to: language codes, `*` (any) or
    /// `alphabetic` (Latin, Cyrillic or Greek script); from the rule file,
    /// else from its pack folder (see `language::pack_languages`); empty =
    /// any.
    pub languages: Vec<String>,
    /// Where the rule came from: a file path, or `default:<path>` when embedded.
    pub source: String,
    /// Whether its suggestion can be applied without a human looking.
    pub fix_safe: bool,
    /// The rule's own tests.
    pub examples: Vec<Example>,
}

/// An artifact found by a rule, located by byte offsets into the original file.
#[derive(Clone, Debug)]
pub struct Finding {
    /// The rule that found it.
    pub rule: Arc<RuleMeta>,
    /// Half-open byte range into the original file (0-based).
    pub span: Range<usize>,
    /// Severity after configuration (defaults to the rule's).
    pub severity: Severity,
    /// A message a person understands.
    pub message: String,
    /// Replacement text for `span` (or for `fix.range` when the fix takes
    /// the place of more than the span), when a fix is known.
    pub suggestion: Option<String>,
    /// How the suggestion is applied, when there is one.
    pub fix: Option<Box<Fix>>,
    /// The language of the document it was found in, once the engine set it.
    pub language: Option<Language>,
}

/// How a finding's suggestion is applied to the file.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Fix {
    /// Half-open byte range of the original file that the suggestion takes
    /// the place of: the finding's span, or a wider one (a whole line with
    /// its line break, a list item with its separator).
    pub range: Range<usize>,
    /// Whether `--fix` applies it unattended (else only `--unsafe-fixes`).
    pub safe: bool,
    /// The fix as an edit of the file's bytes, once worked out from the
    /// document (see `crate::fix`); `None` when not asked for, or when it
    /// cannot be made without breaking the file's format.
    pub edit: Option<Edit>,
}

/// A change to a file's bytes: `range` replaced by `replacement`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Edit {
    /// Half-open byte range of the file (0-based).
    pub range: Range<usize>,
    /// The new bytes, already encoded for where they go (JSON string
    /// escapes, XML and HTML entities, CSV quoting, PO escapes).
    pub replacement: String,
}

impl Finding {
    /// A finding of `rule` at `span` with the rule's default severity.
    pub fn new(
        rule: &Arc<RuleMeta>,
        span: Range<usize>,
        message: String,
        suggestion: Option<String>,
    ) -> Self {
        Finding {
            rule: Arc::clone(rule),
            span,
            severity: rule.severity,
            message,
            suggestion,
            fix: None,
            language: None,
        }
    }

    /// The order reports use: by start offset, then rule id, then end offset.
    pub fn sort_key(&self) -> (usize, &str, usize) {
        (self.span.start, self.rule.id.as_str(), self.span.end)
    }
}
