//! Every shipped rule passes its own `[[example]]`s, and lives where the
//! layout says: rules/<pack>/<category>/<id>.toml, a language pack's rules
//! applying to its language.

use mtlint::Ruleset;
use mtlint::examples::run_examples;

fn default_rules() -> Ruleset {
    Ruleset::default_pack().expect("default pack loads")
}

#[test]
fn every_shipped_rule_passes_its_examples() {
    let report = run_examples(&default_rules());
    let failures: Vec<String> = report
        .failures
        .iter()
        .map(|f| format!("{} #{}: {}", f.rule, f.example, f.message))
        .collect();
    assert!(
        failures.is_empty(),
        "rule examples failed:\n{}",
        failures.join("\n")
    );
    assert!(report.rules >= 25, "only {} rules", report.rules);
    assert!(
        report.examples >= 2 * report.rules,
        "{} examples for {} rules",
        report.examples,
        report.rules
    );
}

#[test]
fn rule_files_follow_the_layout() {
    for check in default_rules().checks() {
        let meta = check.meta();
        let parts: Vec<&str> = meta.source.split('/').collect();
        assert_eq!(parts.len(), 4, "{}", meta.source);
        assert_eq!(parts[0], "rules");
        assert!(
            ["common", "en", "de", "fr", "es", "ru", "cs", "zh", "ja"].contains(&parts[1]),
            "unknown pack in {}",
            meta.source
        );
        // A language pack's rules run on its language (and may on more).
        assert!(
            parts[1] == "common" || meta.languages.iter().any(|l| l == parts[1]),
            "{} does not apply to {}",
            meta.source,
            parts[1]
        );
        assert_eq!(
            parts[2], meta.category,
            "{} is not in its category folder",
            meta.source
        );
        assert_eq!(parts[3], format!("{}.toml", meta.id));
        assert!(
            !meta.summary.is_empty() && meta.why.len() > 40,
            "{} needs a summary and a why",
            meta.id
        );
    }
}

#[test]
fn the_kinds_are_all_used_by_the_default_pack() {
    let rules = default_rules();
    let kinds: std::collections::BTreeSet<&str> =
        rules.checks().iter().map(|c| c.meta().kind).collect();
    for kind in mtlint::check::kinds() {
        assert!(kinds.contains(kind), "no default rule of kind {kind}");
    }
}
