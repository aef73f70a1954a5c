//! What a new user trips over (issue 15): settings that silently do
//! nothing, standard input, encodings, colour, report files, CI formats.
//! Each test failed before its fix.

mod common;

use common::{dir_with, dir_with_text, mtlint, run_in};

const ARTIFACT: &str = "It ended in November. . The talks went on.\n";

/// Settings that leave no rule to run are an error (exit 2) that says so,
/// instead of a clean, empty report.
#[test]
fn settings_that_leave_no_rule_are_an_error() {
    let dir = dir_with_text(&[("a.txt", ARTIFACT)]);
    let cases: &[&[&str]] = &[
        &["--select", "punctuation", "--ignore", "punctuation"],
        &["--select", "stray-period", "--ignore", "all"],
        &["--no-default-rules"],
        &["--select", "suppression"],
    ];
    for args in cases {
        let mut all = vec!["check", "a.txt", "--isolated"];
        all.extend_from_slice(args);
        let (stdout, stderr, code) = run_in(dir.path(), &all);
        assert_eq!(code, Some(2), "{args:?}: {stdout}{stderr}");
        assert!(stderr.contains("no rule would run"), "{args:?}: {stderr}");
        assert!(stdout.is_empty(), "{args:?}: {stdout}");
    }
    // The configuration file is named where it leaves none.
    let dir = dir_with_text(&[("a.txt", ARTIFACT), ("mtlint.toml", "ignore = [\"all\"]\n")]);
    let (_, stderr, code) = run_in(dir.path(), &["check", "a.txt"]);
    assert_eq!(code, Some(2), "{stderr}");
    assert!(stderr.contains("mtlint.toml:1:11"), "{stderr}");
    // What still runs something is fine: the built-in rules chosen by name.
    for args in [
        &["--select", "invalid-utf8"][..],
        &["--select", "unused-disable", "--report-unused-disables"],
        &["--no-default-rules", "--select", "encoding"],
    ] {
        let mut all = vec!["check", "a.txt", "--isolated"];
        all.extend_from_slice(args);
        let (stdout, stderr, code) = run_in(dir.path(), &all);
        assert_eq!(code, Some(0), "{args:?}: {stdout}{stderr}");
    }
}

/// `--write-baseline` records the findings and says so in one line; the
/// report is not poured onto standard output (it still goes to `-o`).
#[test]
fn writing_a_baseline_prints_one_line() {
    let dir = dir_with_text(&[("a.txt", ARTIFACT), ("b.txt", ARTIFACT)]);
    let (stdout, stderr, code) = run_in(
        dir.path(),
        &["check", ".", "--isolated", "--write-baseline", "base.json"],
    );
    assert_eq!(code, Some(0), "{stderr}");
    assert_eq!(stdout, "", "the report went to standard output");
    assert_eq!(
        stderr.trim_end(),
        "mtlint: wrote 2 findings in 2 files to the baseline base.json"
    );
    assert!(dir.path().join("base.json").is_file());
    let (stdout, _, code) = run_in(
        dir.path(),
        &[
            "check",
            ".",
            "--isolated",
            "--write-baseline",
            "again.json",
            "-o",
            "r.csv",
        ],
    );
    assert_eq!((stdout.as_str(), code), ("", Some(0)));
    let report = std::fs::read_to_string(dir.path().join("r.csv")).expect("report");
    assert_eq!(report.lines().count(), 3, "{report}");
}
