//! What `mtlint rules` shows of the configuration: for every loaded rule,
//! whether the configuration runs it, the severity it reports at (the
//! `[severity]` table applied) and what `[[overrides]]` change for some
//! paths — so a rule that configuration turned off is marked, not hidden.
//! Knows nothing of how rules check or how a run reports.

use crate::config::{Named, Origin, Settings};
use crate::finding::{RuleMeta, Severity};

/// A loaded rule as the configuration leaves it.
pub(crate) struct RuleState {
    /// Whether `check` runs it (top-level `select`/`ignore`).
    pub(crate) runs: bool,
    /// The severity it reports at, outside any override.
    pub(crate) severity: Severity,
    /// What the configuration changed, one line each ("off: ignore
    /// `doubled-word` (mtlint.toml:2:11)"); empty when nothing.
    pub(crate) changes: Vec<String>,
}

fn named<'n>(list: &'n [Named], rule: &RuleMeta) -> Option<&'n Named> {
    list.iter()
        .find(|n| n.name == "all" || n.name == rule.id || n.name == rule.category)
}

fn at(origin: &Origin) -> String {
    match origin.position {
        Some((line, column)) => format!("{}:{line}:{column}", origin.file),
        None => origin.file.clone(),
    }
}

/// The state of `rule` under `settings`.
pub(crate) fn rule_state(settings: &Settings, rule: &RuleMeta) -> RuleState {
    let mut changes = Vec::new();
    let selected = settings.select.is_empty() || named(&settings.select, rule).is_some();
    let ignored = named(&settings.ignore, rule);
    if !selected {
        let first = &settings.select[0];
        changes.push(format!("off: not in select ({})", at(&first.origin)));
    }
    if let Some(n) = ignored {
        changes.push(format!("off: ignore `{}` ({})", n.name, at(&n.origin)));
    }
    let configured = settings
        .severity
        .get(&rule.id)
        .or_else(|| settings.severity.get(&rule.category));
    let severity = configured.map_or(rule.severity, |(s, _)| *s);
    if let Some((s, origin)) = configured.filter(|(s, _)| *s != rule.severity) {
        changes.push(format!(
            "{s} instead of {}: [severity] ({})",
            rule.severity,
            at(origin)
        ));
    }
    let runs = selected && ignored.is_none();
    if runs {
        for o in &settings.overrides {
            let paths: Vec<&str> = o.paths.iter().map(|n| n.name.as_str()).collect();
            let paths = paths.join(", ");
            let off = (!o.select.is_empty() && named(&o.select, rule).is_none())
                || named(&o.ignore, rule).is_some();
            let origin = o.paths.first().map(|n| at(&n.origin)).unwrap_or_default();
            if off {
                changes.push(format!("off in {paths}: [[overrides]] ({origin})"));
            } else if let Some((s, _)) = o
                .severity
                .get(&rule.id)
                .or_else(|| o.severity.get(&rule.category))
            {
                changes.push(format!("{s} in {paths}: [[overrides]] ({origin})"));
            }
        }
    }
    RuleState {
        runs,
        severity,
        changes,
    }
}
