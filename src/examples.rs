//! Runs the `[[example]]` entries of rule files: each rule carries its own
//! tests, for the default pack and for users' rules alike (`mtlint
//! test-rules`), and `mtlint explain` shows them run the same way. Knows
//! nothing of input formats, the engine or reporters.

use crate::check::Check;
use crate::document::Document;
use crate::engine::MAX_FIX_PASSES;
use crate::finding::{Example, Finding};
use crate::fix;
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

/// `example`'s text as `--fix --unsafe-fixes` leaves it with `check` alone:
/// its fixes worked out, chosen and applied as for a file (see
/// [`crate::fix`]), pass after pass until nothing changes (at most
/// [`MAX_FIX_PASSES`] passes).
pub fn fixed_text(check: &dyn Check, example: &Example) -> String {
    let mut text = example.text.clone();
    for _ in 0..MAX_FIX_PASSES {
        let doc = example_document(&text, example.source.as_deref());
        let mut findings = Vec::new();
        check.check(&doc, &mut findings);
        fix::attach_edits(&doc, &text, &mut findings);
        let choice = fix::choose(&findings, true);
        if choice.chosen.is_empty() {
            break;
        }
        let bytes = fix::apply(text.as_bytes(), &choice.edits());
        match String::from_utf8(bytes) {
            Ok(next) if next != text => text = next,
            _ => break,
        }
    }
    text
}

fn example_document<'a>(text: &'a str, source: Option<&str>) -> Document<'a> {
    match source {
        Some(source) => Document::bilingual(text, source),
        None => Document::plain(text),
    }
}

/// What `check` flags in `example`, in report order.
pub(crate) fn example_findings(check: &dyn Check, example: &Example) -> Vec<Finding> {
    let mut doc = example_document(&example.text, example.source.as_deref());
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
                let applied = fixed_text(check.as_ref(), example);
                if &applied != fixed {
                    report.failures.push(fail(
                        n + 1,
                        format!("fixed text: expected {fixed:?}, got {applied:?}"),
                    ));
                }
            } else if findings.iter().any(|f| f.fix.is_some()) {
                report.failures.push(fail(
                    n + 1,
                    format!(
                        "text {:?}: the rule suggests a fix here; give the fixed text (`fixed = ...`)",
                        example.text
                    ),
                ));
            }
        }
    }
    report
}
