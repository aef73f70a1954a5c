//! Rule files are untrusted data (they come in through pull requests): every
//! cap on their size and cost is exercised here, and a rule that matches
//! everywhere is cut off with a note instead of flooding the report.

mod common;

use std::fs;
use std::time::Duration;

use mtlint::{RuleError, Ruleset};
use tempfile::TempDir;

use common::mtlint;

fn rule(id: &str, kind_and_keys: &str) -> String {
    format!(
        "id = \"{id}\"\ncategory = \"test\"\nseverity = \"warning\"\nmessage = \"m\"\n\
         summary = \"s\"\nwhy = \"w\"\n{kind_and_keys}\n"
    )
}

fn pattern_rule(id: &str, pattern: &str) -> String {
    rule(id, &format!("kind = \"pattern\"\npattern = '{pattern}'"))
}

fn load(files: Vec<(String, String)>) -> Result<Ruleset, Vec<RuleError>> {
    Ruleset::from_sources(&files)
}

fn first_error(files: Vec<(String, String)>) -> RuleError {
    load(files).expect_err("must be refused").remove(0)
}

#[test]
fn a_regex_over_the_size_limit_is_refused_naming_the_rule() {
    // Compiles to far more than the 4 MiB the regex may use.
    let e = first_error(vec![(
        "huge.toml".into(),
        pattern_rule("huge", r"(\w{50}){200}"),
    )]);
    assert_eq!(e.rule.as_deref(), Some("huge"), "{e}");
    assert_eq!(e.file, "huge.toml");
    assert!(e.line.is_some(), "{e}");
    assert!(e.message.contains("invalid regex in `pattern`"), "{e}");
    assert!(e.message.contains("size limit"), "{e}");
}

#[test]
fn too_many_rule_files_are_refused() {
    let files: Vec<(String, String)> = (0..5_001)
        .map(|i| (format!("r{i}.toml"), pattern_rule(&format!("r{i}"), "x")))
        .collect();
    let e = first_error(files);
    assert!(e.message.contains("more than 5000 rule files"), "{e}");
}

#[test]
fn too_many_examples_are_refused() {
    let examples = "[[example]]\ntext = \"x\"\nexpect = [\"x\"]\n".repeat(201);
    let src = format!("{}{examples}", pattern_rule("many", "x"));
    let e = first_error(vec![("many.toml".into(), src)]);
    assert_eq!(e.rule.as_deref(), Some("many"));
    assert!(e.message.contains("more than 200 examples"), "{e}");
}

#[test]
fn too_many_phrases_are_refused() {
    let phrases: Vec<String> = (0..50_001).map(|i| format!("\"p{i}\"")).collect();
    let src = rule(
        "phrases",
        &format!("kind = \"phrase\"\nphrases = [{}]", phrases.join(",")),
    );
    let e = first_error(vec![("phrases.toml".into(), src)]);
    assert_eq!(e.rule.as_deref(), Some("phrases"));
    assert!(e.message.contains("more than 50000 phrases"), "{e}");
}

#[test]
fn a_huge_rule_file_is_refused_before_parsing() {
    let src = format!("{}# {}\n", pattern_rule("big", "x"), "x".repeat(1 << 20));
    let e = first_error(vec![("big.toml".into(), src)]);
    assert!(e.message.contains("larger than"), "{e}");
}

#[test]
fn deeply_nested_toml_is_an_error_not_a_crash() {
    for depth in [1_000, 100_000] {
        let arrays = format!("x = {}{}\n", "[".repeat(depth), "]".repeat(depth));
        let tables = format!("x = {}{}\n", "{a = ".repeat(depth), "}".repeat(depth));
        for nested in [arrays, tables] {
            let src = format!("{}{nested}", pattern_rule("deep", "x"));
            let e = first_error(vec![("deep.toml".into(), src)]);
            assert_eq!(e.file, "deep.toml", "{e}");
        }
    }
}

/// Nothing in a rule file names code or another file: such keys are unknown.
#[test]
fn rule_files_cannot_reach_outside() {
    for key in [
        "include = \"/etc/passwd\"",
        "command = \"rm -rf /\"",
        "rules = [\"../x\"]",
    ] {
        let src = format!("{}{key}\n", pattern_rule("reach", "x"));
        let e = first_error(vec![("reach.toml".into(), src)]);
        assert!(e.message.contains("unknown key"), "{e}");
    }
}

fn check_with_rule(rule_src: &str, id: &str, text: &[u8]) -> std::process::Output {
    let dir = TempDir::new().expect("temp dir");
    fs::write(dir.path().join(format!("{id}.toml")), rule_src).expect("write");
    fs::write(dir.path().join("a.txt"), text).expect("write");
    mtlint()
        .timeout(Duration::from_secs(120))
        .current_dir(dir.path())
        .args([
            "check",
            "a.txt",
            "--isolated",
            "--no-default-rules",
            "--rules",
        ])
        .arg(format!("{id}.toml"))
        .output()
        .expect("run")
}

/// A pattern that matches every character is capped per file with a note.
#[test]
fn a_rule_matching_everywhere_is_capped_with_a_note() {
    let out = check_with_rule(&pattern_rule("every", "."), "every", &b"ab ".repeat(20_000));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{stderr}");
    assert!(
        stderr.contains(
            "a.txt: rule `every` reported more than 10000 findings; the rest were dropped"
        ),
        "{stderr}"
    );
    assert_eq!(
        out.stdout.iter().filter(|&&b| b == b'\n').count(),
        1 + 10_000
    );
}

/// The cap is per file, also for a file big enough to be checked in parts.
#[test]
fn the_cap_holds_for_a_file_checked_in_parts() {
    let text = b"ab cd.\n\n".repeat(120_000);
    let out = check_with_rule(&pattern_rule("every", "."), "every", &text);
    assert_capped(&out, "every");
}

/// The report holds exactly the capped findings, and the note names `id`.
fn assert_capped(out: &std::process::Output, id: &str) {
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains(&format!("rule `{id}` reported more than 10000")),
        "{stderr}"
    );
    assert_eq!(
        out.stdout.iter().filter(|&&b| b == b'\n').count(),
        1 + 10_000
    );
}

/// Parts each under the cap that add up to more than it: the file's
/// findings stop at the cap, and the note says so.
#[test]
fn a_cap_reached_only_across_parts_is_noted() {
    // About 6,500 matches in each 256 KiB part, three parts.
    let text = format!("x {}\n\n", "a".repeat(36)).repeat(18_000);
    let out = check_with_rule(&pattern_rule("ex", "x"), "ex", text.as_bytes());
    assert_capped(&out, "ex");
}

/// A pattern that matches the empty string (at every position) ends, and
/// empty matches are not reported.
#[test]
fn a_rule_matching_the_empty_string_ends() {
    for pattern in ["", "x*", r"\b"] {
        let out = check_with_rule(
            &pattern_rule("empty", pattern),
            "empty",
            &b"a b ".repeat(10_000),
        );
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(0), "{pattern:?}: {stderr}");
        assert_eq!(
            out.stdout.iter().filter(|&&b| b == b'\n').count(),
            1,
            "{pattern:?}"
        );
    }
}

fn rules_error(args: &[&str], dir: &std::path::Path) -> String {
    let out = mtlint()
        .timeout(Duration::from_secs(60))
        .current_dir(dir)
        .args(["rules", "--isolated"])
        .args(args)
        .output()
        .expect("run");
    assert_eq!(out.status.code(), Some(2), "{out:?}");
    String::from_utf8_lossy(&out.stderr).into_owned()
}

/// A rule file of 4 GiB (sparse: it takes no disk) is refused without being read.
#[test]
fn a_huge_rule_file_on_disk_is_not_read() {
    let dir = TempDir::new().expect("temp dir");
    let file = fs::File::create(dir.path().join("huge.toml")).expect("create");
    file.set_len(4 << 30).expect("sparse file");
    let stderr = rules_error(&["--rules", "huge.toml"], dir.path());
    assert!(
        stderr.contains("huge.toml: rule file is larger than 1048576 bytes"),
        "{stderr}"
    );
}

/// Rule files may take 64 MiB in all, however many there are.
#[test]
fn rule_files_have_a_total_size_cap() {
    let dir = TempDir::new().expect("temp dir");
    fs::create_dir(dir.path().join("many")).expect("mkdir");
    for i in 0..65 {
        let file = fs::File::create(dir.path().join(format!("many/r{i:02}.toml"))).expect("create");
        file.set_len(1 << 20).expect("sparse file");
    }
    let stderr = rules_error(&["--rules", "many"], dir.path());
    assert!(
        stderr.contains("r64.toml: rule files take more than 67108864 bytes in all"),
        "{stderr}"
    );
    assert_eq!(stderr.matches("in all").count(), 1, "{stderr}");
}
