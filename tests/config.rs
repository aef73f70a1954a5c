//! `mtlint.toml`: discovery, precedence (command line > --config >
//! discovered), strict validation with file:line:column, per-path overrides,
//! and the documented example on a small fixture repository.

mod common;

use common::{dir_with_text as repo, rules_in, run_in as mtlint};

/// A doubled word and a stray period (warnings), and web boilerplate.
const ARTICLE: &str = "The talks ended in November. . The envoy signed the the deal.\n";
const LEGAL: &str = "the licence below applies. the the terms follow.\n";

#[test]
fn discovered_from_a_subfolder_upward() {
    let dir = repo(&[
        ("mtlint.toml", "ignore = [\"doubled-word\"]\n"),
        ("news/a.txt", ARTICLE),
    ]);
    let (out, err, code) = mtlint(&dir.path().join("news"), &["check", "a.txt"]);
    assert_eq!(code, Some(1), "{err}");
    assert_eq!(rules_in(&out), ["stray-period"]);
    let (out, _, _) = mtlint(&dir.path().join("news"), &["check", "--isolated", "a.txt"]);
    assert_eq!(rules_in(&out), ["stray-period", "doubled-word"]);
}

#[test]
fn precedence_command_line_over_config_over_discovered() {
    let dir = repo(&[
        (
            "mtlint.toml",
            "fail-on = \"error\"\nignore = [\"doubled-word\"]\n[severity]\nstray-period = \"info\"\n",
        ),
        (
            "strict.toml",
            "fail-on = \"info\"\n[severity]\nstray-period = \"error\"\n",
        ),
        ("a.txt", ARTICLE),
    ]);
    // Discovered alone: only an info stray period, failing on error.
    let (out, _, code) = mtlint(dir.path(), &["check", "a.txt"]);
    assert_eq!(code, Some(0));
    assert_eq!(rules_in(&out), ["stray-period"]);
    assert!(out.contains(",info,"));
    // --config over discovered: its severity and fail-on win, the
    // discovered ignore still applies.
    let (out, _, code) = mtlint(dir.path(), &["check", "--config", "strict.toml", "a.txt"]);
    assert_eq!(code, Some(1));
    assert_eq!(rules_in(&out), ["stray-period"]);
    assert!(out.contains(",error,"));
    // The command line over both.
    let (out, _, code) = mtlint(
        dir.path(),
        &[
            "check",
            "--config",
            "strict.toml",
            "--fail-on",
            "error",
            "--select",
            "doubled-word",
            "--ignore",
            "stray-period",
            "a.txt",
        ],
    );
    assert_eq!(code, Some(0));
    assert_eq!(rules_in(&out), ["doubled-word"]);
}

#[test]
fn unknown_key_is_an_error_with_its_line_and_a_hint() {
    let dir = repo(&[
        (
            "mtlint.toml",
            "fail-on = \"error\"\nignroe = [\"doubled-word\"]\n",
        ),
        ("a.txt", ARTICLE),
    ]);
    let (out, err, code) = mtlint(dir.path(), &["check", "a.txt"]);
    assert_eq!(code, Some(2));
    assert!(out.is_empty());
    assert!(
        err.contains("mtlint.toml:2:1: unknown key `ignroe`"),
        "{err}"
    );
    assert!(err.contains("did you mean `ignore`"), "{err}");
}

#[test]
fn unknown_rule_id_is_an_error_with_its_line_and_a_hint() {
    let dir = repo(&[
        (
            "mtlint.toml",
            "[severity]\nstray-period = \"info\"\ndoubled-wrod = \"info\"\n",
        ),
        ("a.txt", ARTICLE),
    ]);
    let (_, err, code) = mtlint(dir.path(), &["check", "a.txt"]);
    assert_eq!(code, Some(2));
    assert!(err.contains("mtlint.toml:3:"), "{err}");
    assert!(err.contains("did you mean `doubled-word`"), "{err}");
}

#[test]
fn input_typo_in_a_named_config_points_at_that_file() {
    // `[input]` used to be checked apart from the rest, and named
    // `mtlint.toml` with no line whatever file held the typo.
    let dir = repo(&[
        (
            "other.toml",
            "[input]\nformat = \"jsonl\"\n  text-feld = \"body\"\n",
        ),
        ("a.txt", ARTICLE),
    ]);
    let (out, err, code) = mtlint(dir.path(), &["check", "--config", "other.toml", "a.txt"]);
    assert_eq!(code, Some(2));
    assert!(out.is_empty());
    assert!(
        err.contains("other.toml:3:3: unknown key `text-feld` in [input]"),
        "{err}"
    );
    assert!(err.contains("did you mean `text-field`"), "{err}");
    assert!(!err.contains("mtlint.toml"), "{err}");
}

#[test]
fn input_files_entries_are_checked_like_every_other_table() {
    let dir = repo(&[
        (
            "other.toml",
            "[[input.files]]\npaths = [\"*.txt\"]\nid-colum = \"key\"\n",
        ),
        ("a.txt", ARTICLE),
    ]);
    let (_, err, code) = mtlint(dir.path(), &["check", "--config", "other.toml", "a.txt"]);
    assert_eq!(code, Some(2));
    assert!(
        err.contains("other.toml:3:1: unknown key `id-colum` in [[input.files]]"),
        "{err}"
    );
    assert!(err.contains("did you mean `id-column`"), "{err}");
    let dir = repo(&[
        ("other.toml", "[input]\nformat = \"jsonn\"\n"),
        ("a.txt", ARTICLE),
    ]);
    let (_, err, code) = mtlint(dir.path(), &["check", "--config", "other.toml", "a.txt"]);
    assert_eq!(code, Some(2));
    assert!(
        err.contains("other.toml:2:10: unknown input format `jsonn`"),
        "{err}"
    );
}

/// The example of the README's "CI integration" section, on a repository
/// with a legal folder.
const EXAMPLE: &str = r#"ignore = ["doubled-word"]          # rule ids or categories, like --ignore
fail-on = "error"
[severity]
web-boilerplate = "info"
[[overrides]]
paths = ["docs/legal/**"]
ignore = ["lowercase-sentence-start"]
"#;

#[test]
fn example_config_on_a_fixture_repository() {
    let dir = repo(&[
        ("mtlint.toml", EXAMPLE),
        ("docs/legal/terms.txt", LEGAL),
        (
            "docs/news.txt",
            "the envoy left. Share this article on Facebook.\n",
        ),
    ]);
    let (out, err, code) = mtlint(dir.path(), &["check", "docs"]);
    assert_eq!(code, Some(0), "only warnings and infos: {err}");
    let rows: Vec<&str> = out.lines().skip(1).collect();
    assert!(
        rows.iter()
            .all(|r| !r.starts_with("docs/legal/") || !r.contains("lowercase-sentence-start")),
        "{out}"
    );
    assert!(
        rows.iter()
            .any(|r| r.starts_with("docs/news.txt") && r.contains("lowercase-sentence-start")),
        "the override applies to docs/legal only: {out}"
    );
    assert!(!out.contains("doubled-word"), "{out}");
    // `mtlint config` shows the effective configuration.
    let (shown, _, code) = mtlint(dir.path(), &["config", "--ignore", "stray-period"]);
    assert_eq!(code, Some(0));
    assert!(shown.contains("ignore = [\"stray-period\"]"), "{shown}");
    assert!(shown.contains("fail-on = \"error\""), "{shown}");
    assert!(shown.contains("web-boilerplate = \"info\""), "{shown}");
    assert!(shown.contains("docs/legal/**"), "{shown}");
    assert!(shown.contains("# configuration file:"), "{shown}");
    // Naming the discovered file reads it once.
    let (shown, _, _) = mtlint(
        &dir.path().join("docs"),
        &["config", "--config", "../mtlint.toml"],
    );
    assert_eq!(shown.matches("# configuration file:").count(), 1, "{shown}");
}

#[test]
fn exclude_applies_to_named_files_too() {
    let dir = repo(&[
        ("mtlint.toml", "exclude = [\"vendor/**\"]\n"),
        ("vendor/a.txt", ARTICLE),
        ("b.txt", ARTICLE),
    ]);
    let (out, _, _) = mtlint(dir.path(), &["check", "vendor/a.txt", "b.txt"]);
    assert!(!out.contains("vendor"), "{out}");
    assert!(out.contains("b.txt"), "{out}");
}

#[test]
fn isolated_conflicts_with_config() {
    let dir = repo(&[("a.txt", ARTICLE)]);
    let (_, _, code) = mtlint(
        dir.path(),
        &["check", "--isolated", "--config", "x.toml", "a.txt"],
    );
    assert_eq!(code, Some(2));
    let (_, err, code) = mtlint(dir.path(), &["check", "--config", "missing.toml", "a.txt"]);
    assert_eq!(code, Some(2));
    assert!(err.contains("missing.toml"), "{err}");
}

/// A house rule of the user's own, in a folder named by `rules` in the
/// configuration (relative to the configuration file).
const HOUSE_RULE: &str = r#"id = "house-phrase"
kind = "phrase"
category = "house-style"
severity = "error"
summary = "A phrase the house style forbids"
why = "The desk asked for it."
message = "House style: avoid “{match}”"
phrases = ["at this point in time"]

[[example]]
text = "At this point in time, the talks continue."
expect = ["At this point in time"]

[[example]]
text = "Now the talks continue."
expect = []
"#;

#[test]
fn rule_folders_and_override_severity_and_select() {
    let dir = repo(&[
        (
            "mtlint.toml",
            "rules = [\"house\"]\n\
             [[overrides]]\npaths = [\"wire/**\"]\n[overrides.severity]\nhouse-style = \"info\"\n\
             [[overrides]]\npaths = [\"briefs/*.txt\"]\nselect = [\"house-phrase\"]\n",
        ),
        ("house/house-phrase.toml", HOUSE_RULE),
        (
            "wire/a.txt",
            "At this point in time, the the talks go on.\n",
        ),
        (
            "briefs/b.txt",
            "At this point in time, the the talks go on.\n",
        ),
        ("c.txt", "At this point in time, the the talks go on.\n"),
    ]);
    let (out, err, code) = mtlint(dir.path(), &["check", "."]);
    assert_eq!(code, Some(1), "{err}");
    let rows: Vec<Vec<&str>> = out
        .lines()
        .skip(1)
        .map(|l| l.split(',').collect())
        .collect();
    let find = |path: &str, rule: &str| {
        rows.iter()
            .find(|r| r[0] == path && r[8] == rule)
            .map(|r| r[10].to_string())
    };
    assert_eq!(
        find("./c.txt", "house-phrase").as_deref(),
        Some("error"),
        "{out}"
    );
    assert_eq!(
        find("./wire/a.txt", "house-phrase").as_deref(),
        Some("info"),
        "{out}"
    );
    assert_eq!(
        find("./wire/a.txt", "doubled-word").as_deref(),
        Some("warning"),
        "{out}"
    );
    assert_eq!(
        find("./briefs/b.txt", "house-phrase").as_deref(),
        Some("error"),
        "{out}"
    );
    assert_eq!(find("./briefs/b.txt", "doubled-word"), None, "{out}");
}
