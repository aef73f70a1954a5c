//! Runs the `[[example]]` entries of rule files: each rule carries its own
//! tests, for the default pack and for users' rules alike (`mtlint
//! test-rules`), and `mtlint explain` shows them run the same way. Knows
//! nothing of input formats, the engine or reporters.

use crate::check::Check;
use crate::document::Document;
use crate::finding::{Example, Finding};
use crate::ruleset::Ruleset;

/// One failed expectation.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ExampleFailure {
    /// The rule id.
    pub rule: String,
    /// Where the rule came from.
    pub source: String,
    /// 1-based example number, or 0 for a rule-level problem.
    pub example: usize,
    /// What went wrong.
    pub message: String,
}

/// Totals of an example run.
#[derive(Clone, Debug, Default)]
pub struct ExampleReport {
    /// Rules whose examples ran.
    pub rules: usize,
    /// Examples run.
    pub examples: usize,
    /// Everything that failed.
    pub failures: Vec<ExampleFailure>,
}

impl ExampleReport {
    /// Examples with at least one failed expectation.
    pub fn failed_examples(&self) -> usize {
        let failed: std::collections::HashSet<(&str, usize)> = self
            .failures
            .iter()
            .filter(|f| f.example > 0)
            .map(|f| (f.rule.as_str(), f.example))
            .collect();
        failed.len()
    }
}

/// Applies suggestions to `text` from right to left, skipping overlaps.
pub fn apply_fixes(text: &str, findings: &[Finding]) -> String {
    let mut fixes: Vec<(&std::ops::Range<usize>, &str)> = findings
        .iter()
        .filter_map(|f| f.suggestion.as_deref().map(|s| (&f.span, s)))
        .collect();
    fixes.sort_by_key(|(span, _)| span.start);
    let mut out = String::with_capacity(text.len());
    let mut pos = 0;
    for (span, replacement) in fixes {
        if span.start < pos || span.end > text.len() {
            continue;
        }
        out.push_str(&text[pos..span.start]);
        out.push_str(replacement);
        pos = span.end;
    }
    out.push_str(&text[pos..]);
    out
}

/// What `check` flags in `example`, in report order.
pub(crate) fn example_findings(check: &dyn Check, example: &Example) -> Vec<Finding> {
    let mut doc = match &example.source {
        Some(source) => Document::bilingual(&example.text, source.as_str()),
        None => Document::plain(&example.text),
    };
    doc.language = example.language;
    let mut findings = Vec::new();
    check.check(&doc, &mut findings);
    findings.sort_by(|a, b| a.sort_key().cmp(&b.sort_key()));
    findings
}

/// The text of `example` that `finding` points at.
pub(crate) fn flagged<'a>(example: &'a Example, finding: &Finding) -> &'a str {
    example
        .text
        .get(finding.span.clone())
        .unwrap_or("<span outside the text>")
}

/// Runs every example of every rule in `ruleset`, each rule on its own.
pub fn run_examples(ruleset: &Ruleset) -> ExampleReport {
    let mut report = ExampleReport::default();
    for check in ruleset.checks() {
        let meta = check.meta();
        report.rules += 1;
        let fail = |example: usize, message: String| ExampleFailure {
            rule: meta.id.clone(),
            source: meta.source.clone(),
            example,
            message,
        };
        let flags = meta.examples.iter().any(|e| !e.expect.is_empty());
        let silent = meta.examples.iter().any(|e| e.expect.is_empty());
        if !flags || !silent {
            report.failures.push(fail(
                0,
                "needs at least one example that flags something and one that must stay silent (expect = [])".into(),
            ));
        }
        for (n, example) in meta.examples.iter().enumerate() {
            report.examples += 1;
            let findings = example_findings(check.as_ref(), example);
            let got: Vec<&str> = findings.iter().map(|f| flagged(example, f)).collect();
            if got != example.expect {
                report.failures.push(fail(
                    n + 1,
                    format!(
                        "text {:?}: expected {:?}, got {:?}",
                        example.text, example.expect, got
                    ),
                ));
            }
            if let Some(fixed) = &example.fixed {
                let applied = apply_fixes(&example.text, &findings);
                if &applied != fixed {
                    report.failures.push(fail(
                        n + 1,
                        format!("fixed text: expected {fixed:?}, got {applied:?}"),
                    ));
                }
            }
        }
    }
    report
}
