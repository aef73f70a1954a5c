//! Inline suppression comments, unused-suppression reports, and baselines
//! that survive edits elsewhere in a file but not edits to the artifact.

mod common;

use std::fs;
use std::path::Path;

use tempfile::TempDir;

use common::{rules_in, run_in};

/// Runs `mtlint check --isolated args` in `dir`.
fn mtlint(dir: &Path, args: &[&str]) -> (String, String, Option<i32>) {
    let all: Vec<&str> = ["check", "--isolated"]
        .iter()
        .chain(args)
        .copied()
        .collect();
    run_in(dir, &all)
}

fn with_file(text: &str) -> TempDir {
    let dir = TempDir::new().expect("temp dir");
    fs::write(dir.path().join("a.txt"), text).expect("write");
    dir
}

#[test]
fn disable_enable_and_next_line() {
    let text = "<!-- mtlint-disable doubled-word -->\n\
                They signed the the deal.\n\
                <!-- mtlint-enable doubled-word -->\n\
                They signed the the deal.\n\
                <!-- mtlint-disable-next-line -->\n\
                It ended in November. . They left the the room.\n\
                It ended in November. . Then.\n";
    let dir = with_file(text);
    let (out, err, code) = mtlint(dir.path(), &["a.txt"]);
    assert_eq!(code, Some(1), "{err}");
    let lines: Vec<&str> = out
        .lines()
        .skip(1)
        .map(|l| l.split(',').nth(2).unwrap_or_default())
        .collect();
    assert_eq!(rules_in(&out), ["doubled-word", "stray-period"], "{out}");
    assert_eq!(lines, ["4", "7"]);
}

#[test]
fn unused_disables_are_reported_on_request() {
    let text = "<!-- mtlint-disable-next-line doubled-word, stray-perod -->\n\
                They signed the the deal.\n\
                <!-- mtlint-disable -->\n\
                Nothing wrong here.\n";
    let dir = with_file(text);
    let (out, _, code) = mtlint(dir.path(), &["a.txt"]);
    assert_eq!(code, Some(0), "{out}");
    assert!(rules_in(&out).is_empty(), "{out}");
    let (out, _, code) = mtlint(dir.path(), &["a.txt", "--report-unused-disables"]);
    assert_eq!(code, Some(1));
    assert_eq!(
        rules_in(&out),
        ["unused-disable", "unused-disable"],
        "{out}"
    );
    assert!(out.contains("did you mean `stray-period`"), "{out}");
    assert!(out.contains("a.txt,,3,1,3,24,"), "{out}");
    // Ignoring the built-in rule silences it.
    let (out, _, _) = mtlint(
        dir.path(),
        &[
            "a.txt",
            "--report-unused-disables",
            "--ignore",
            "unused-disable",
        ],
    );
    assert!(rules_in(&out).is_empty(), "{out}");
}

const ARTICLE: &str = "The talks ended in November. . The envoy left.\n\
                       They signed the the deal on Friday.\n";

#[test]
fn baseline_round_trip() {
    let dir = with_file(ARTICLE);
    let (_, err, code) = mtlint(dir.path(), &["a.txt", "--write-baseline", "baseline.json"]);
    assert_eq!(code, Some(0), "{err}");
    assert!(err.contains("wrote 2 findings"), "{err}");
    let written = fs::read_to_string(dir.path().join("baseline.json")).expect("written");
    assert!(written.contains("\"version\": 1"), "{written}");
    assert!(!written.contains("\"line\""), "no line numbers: {written}");
    // Stable: writing again gives the same bytes.
    mtlint(dir.path(), &["a.txt", "--write-baseline", "again.json"]);
    let again = fs::read_to_string(dir.path().join("again.json")).expect("written");
    assert_eq!(written, again);

    let (out, _, code) = mtlint(dir.path(), &["a.txt", "--baseline", "baseline.json"]);
    assert_eq!(code, Some(0));
    assert!(rules_in(&out).is_empty(), "{out}");

    // Lines inserted above: the findings stay accepted.
    fs::write(
        dir.path().join("a.txt"),
        format!("A new first paragraph.\n\nAnother one.\n\n{ARTICLE}"),
    )
    .expect("write");
    let (out, _, code) = mtlint(dir.path(), &["a.txt", "--baseline", "baseline.json"]);
    assert_eq!(code, Some(0), "{out}");
    assert!(rules_in(&out).is_empty(), "{out}");

    // The artifact's text changed: it resurfaces, and its old entry is stale.
    fs::write(dir.path().join("a.txt"), ARTICLE.replace("the the", "a a")).expect("write");
    let (out, err, code) = mtlint(
        dir.path(),
        &["a.txt", "--baseline", "baseline.json", "--list-stale"],
    );
    assert_eq!(code, Some(1));
    assert_eq!(rules_in(&out), ["doubled-word"], "{out}");
    assert!(out.contains(",a a,"), "{out}");
    assert!(
        err.contains("stale baseline entry: a.txt: rule `doubled-word` matching \"the the\""),
        "{err}"
    );
}

/// CSV rows carry no fingerprint, so a run computes context hashes only
/// when a baseline asks for them; the same artifact in a new context must
/// still be told apart from the accepted one.
#[test]
fn a_baselined_artifact_in_a_new_context_resurfaces() {
    let dir = with_file(ARTICLE);
    let (_, err, code) = mtlint(dir.path(), &["a.txt", "--write-baseline", "baseline.json"]);
    assert_eq!(code, Some(0), "{err}");
    // The same doubled word, in another sentence, above the accepted one.
    fs::write(
        dir.path().join("a.txt"),
        format!("Ministers met the the envoy in Rome.\n\n{ARTICLE}"),
    )
    .expect("write");
    let (out, _, code) = mtlint(
        dir.path(),
        &["a.txt", "--baseline", "baseline.json", "--format", "csv"],
    );
    assert_eq!(code, Some(1), "{out}");
    assert_eq!(rules_in(&out), ["doubled-word"], "{out}");
    let row = out.lines().nth(1).unwrap_or_default();
    assert!(
        row.starts_with("a.txt,,1,"),
        "the new copy, on line 1: {out}"
    );
}

#[test]
fn a_broken_baseline_names_the_file() {
    let dir = with_file(ARTICLE);
    fs::write(
        dir.path().join("baseline.json"),
        "{\"version\": 1,\n \"findings\": 3}",
    )
    .expect("write");
    let (_, err, code) = mtlint(dir.path(), &["a.txt", "--baseline", "baseline.json"]);
    assert_eq!(code, Some(2));
    assert!(err.contains("baseline.json:2:"), "{err}");
}
