//! The command line: arguments, output, files written and exit codes.

mod common;

use std::fs;
use std::path::Path;

use predicates::prelude::*;

use common::{dir_with, mtlint};

const HEADER: &str = "path,record,line,column,end_line,end_column,byte_start,byte_end,rule,category,severity,message,matched,suggestion";

fn rows(stdout: &[u8]) -> Vec<csv::StringRecord> {
    csv::Reader::from_reader(stdout)
        .records()
        .map(|r| r.expect("valid row"))
        .collect()
}

const ARTIFACT: &[u8] = b"The talks ended in November. . The envoy left.\n";
const CLEAN: &[u8] = b"The talks ended in November. The envoy left.\n";

#[test]
fn exit_0_when_clean_with_header_only() {
    let dir = dir_with(&[("a.txt", CLEAN)]);
    mtlint()
        .arg("check")
        .arg(dir.path())
        .assert()
        .code(0)
        .stdout(format!("{HEADER}\n"));
}

#[test]
fn exit_1_on_findings_and_csv_row_is_exact() {
    let dir = dir_with(&[("a.txt", ARTIFACT)]);
    let out = mtlint()
        .arg("check")
        .arg(dir.path().join("a.txt"))
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    let rows = rows(&out.stdout);
    assert_eq!(rows.len(), 1);
    let r = &rows[0];
    assert_eq!(&r[1], "", "plain files have no record");
    let fields: Vec<&str> = r.iter().skip(2).take(10).collect();
    assert_eq!(
        fields,
        [
            "1",
            "28",
            "1",
            "31",
            "27",
            "30",
            "stray-period",
            "punctuation",
            "warning",
            "Stray period before “.”"
        ]
    );
    assert_eq!(&r[12], ". .");
    assert_eq!(&r[13], ".");
}

#[test]
fn exit_zero_and_fail_on() {
    let dir = dir_with(&[("a.txt", ARTIFACT)]);
    mtlint()
        .arg("check")
        .arg(dir.path())
        .arg("--exit-zero")
        .assert()
        .code(0);
    mtlint()
        .arg("check")
        .arg(dir.path())
        .args(["--fail-on", "error"])
        .assert()
        .code(0);
    mtlint()
        .arg("check")
        .arg(dir.path())
        .args(["--fail-on", "info"])
        .assert()
        .code(1);
}

#[test]
fn usage_errors_exit_2() {
    mtlint()
        .args(["check", "--format", "yaml"])
        .assert()
        .code(2);
    mtlint()
        .args(["check", "--select", "no-such-rule", "."])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("no-such-rule"));
    mtlint()
        .args(["explain", "stray-perod"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("did you mean `stray-period`"));
}

#[test]
fn broken_rule_file_names_file_line_and_rule() {
    let dir = dir_with(&[(
        "my-rule.toml",
        b"id = \"my-rule\"\nkind = \"pattern\"\ncategory = \"style\"\nseverity = \"warning\"\nmessage = \"m\"\nsummary = \"s\"\nwhy = \"w\"\npattern = '(unclosed'\n",
    )]);
    let rule = dir.path().join("my-rule.toml");
    mtlint()
        .args(["check", "--rules"])
        .arg(&rule)
        .arg(dir.path())
        .assert()
        .code(2)
        .stderr(
            predicate::str::contains("my-rule.toml:8:")
                .and(predicate::str::contains("rule `my-rule`"))
                .and(predicate::str::contains("invalid regex")),
        );
    fs::write(&rule, "id = \"my-rule\"\nkind = [\n").unwrap();
    mtlint()
        .args(["rules", "--rules"])
        .arg(&rule)
        .assert()
        .code(2)
        .stderr(predicate::str::contains("my-rule.toml:"));
    fs::write(&rule, "id = \"my-rule\"\nkind = \"regex\"\ncategory = \"c\"\nseverity = \"warning\"\nmessage = \"m\"\nsummary = \"s\"\nwhy = \"w\"\n").unwrap();
    mtlint()
        .args(["rules", "--rules"])
        .arg(&rule)
        .assert()
        .code(2)
        .stderr(
            predicate::str::contains("unknown kind `regex`")
                .and(predicate::str::contains("valid kinds: pattern, phrase")),
        );
}

#[test]
fn unreadable_file_is_reported_and_the_rest_is_checked() {
    let dir = dir_with(&[("a.txt", ARTIFACT)]);
    let missing = dir.path().join("missing.txt");
    let out = mtlint()
        .arg("check")
        .arg(dir.path().join("a.txt"))
        .arg(&missing)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert_eq!(
        rows(&out.stdout).len(),
        1,
        "the readable file is still reported"
    );
    assert!(String::from_utf8_lossy(&out.stderr).contains("missing.txt"));
}

#[cfg(unix)]
#[test]
fn permission_denied_is_an_error_for_that_file_only() {
    use std::os::unix::fs::PermissionsExt;
    let dir = dir_with(&[("a.txt", ARTIFACT), ("b.txt", ARTIFACT)]);
    let locked = dir.path().join("b.txt");
    fs::set_permissions(&locked, fs::Permissions::from_mode(0o000)).unwrap();
    if fs::read(&locked).is_ok() {
        return; // running as root: permissions do not apply
    }
    let out = mtlint().arg("check").arg(dir.path()).output().unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert_eq!(rows(&out.stdout).len(), 1);
    assert!(String::from_utf8_lossy(&out.stderr).contains("b.txt"));
}

#[test]
fn invalid_utf8_is_a_finding_and_later_text_keeps_its_offsets() {
    let mut bytes = b"Caf\xE9 news.\n".to_vec();
    bytes.extend_from_slice(ARTIFACT);
    let dir = dir_with(&[("latin1.txt", &bytes)]);
    let out = mtlint().arg("check").arg(dir.path()).output().unwrap();
    let rows = rows(&out.stdout);
    assert_eq!(rows.len(), 2, "{rows:?}");
    assert_eq!(&rows[0][8], "invalid-utf8");
    assert_eq!((&rows[0][6], &rows[0][7]), ("3", "4"));
    assert_eq!(&rows[1][8], "stray-period");
    let start: usize = rows[1][6].parse().unwrap();
    assert_eq!(&bytes[start..start + 3], b". .");
    assert_eq!(&rows[1][2], "2");
}

#[test]
fn binary_files_are_skipped_with_a_note() {
    let dir = dir_with(&[
        ("blob.txt", b"\x00\x01\x02 November. . binary"),
        ("a.txt", CLEAN),
    ]);
    mtlint()
        .arg("check")
        .arg(dir.path())
        .assert()
        .code(0)
        .stdout(format!("{HEADER}\n"))
        .stderr(predicate::str::contains("blob.txt: binary file skipped"));
}

#[test]
fn empty_file_is_clean() {
    let dir = dir_with(&[("empty.txt", b"")]);
    mtlint()
        .arg("check")
        .arg(dir.path())
        .assert()
        .code(0)
        .stdout(format!("{HEADER}\n"));
}

#[test]
fn stdin_is_read_for_dash() {
    let out = mtlint()
        .args(["check", "-"])
        .write_stdin(ARTIFACT)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    let rows = rows(&out.stdout);
    assert_eq!(&rows[0][0], "-");
    assert_eq!(&rows[0][8], "stray-period");
}

#[test]
fn output_file_is_written_whole_and_nothing_is_left_behind() {
    let dir = dir_with(&[("a.txt", ARTIFACT)]);
    let report = dir.path().join("out").join("report.csv");
    fs::create_dir_all(report.parent().unwrap()).unwrap();
    fs::write(&report, "previous report").unwrap();
    mtlint()
        .arg("check")
        .arg(dir.path().join("a.txt"))
        .arg("-o")
        .arg(&report)
        .assert()
        .code(1)
        .stdout("");
    let written = fs::read_to_string(&report).unwrap();
    assert!(
        written.starts_with(HEADER) && written.contains("stray-period"),
        "{written}"
    );
    let leftovers: Vec<_> = fs::read_dir(report.parent().unwrap()).unwrap().collect();
    assert_eq!(leftovers.len(), 1, "temporary files left behind");
}

#[test]
fn output_to_a_missing_folder_is_an_error_and_writes_nothing() {
    let dir = dir_with(&[("a.txt", ARTIFACT)]);
    let report = dir.path().join("no").join("such").join("report.csv");
    mtlint()
        .arg("check")
        .arg(dir.path())
        .arg("-o")
        .arg(&report)
        .assert()
        .code(2)
        .stderr(predicate::str::contains("report.csv"));
    assert!(!report.exists());
}

#[test]
fn select_and_ignore() {
    let text: &[u8] = b"The talks ended in November. . The the envoy left.\n";
    let dir = dir_with(&[("a.txt", text)]);
    let run = |args: &[&str]| -> Vec<String> {
        let out = mtlint()
            .arg("check")
            .arg(dir.path())
            .args(args)
            .output()
            .unwrap();
        rows(&out.stdout).iter().map(|r| r[8].to_string()).collect()
    };
    assert_eq!(run(&[]), vec!["stray-period", "doubled-word"]);
    assert_eq!(run(&["--select", "repetition"]), vec!["doubled-word"]);
    assert_eq!(
        run(&["--ignore", "stray-period,doubled-word"]),
        Vec::<String>::new()
    );
    assert_eq!(
        run(&["--select", "punctuation", "--select", "doubled-word"]),
        vec!["stray-period", "doubled-word"]
    );
    // `--no-default-rules` alone runs nothing: an error (tests/usability.rs).
}

#[test]
fn walking_respects_ignore_files_hidden_files_and_globs() {
    let dir = dir_with(&[
        ("keep.txt", ARTIFACT),
        ("skipped/also.txt", ARTIFACT),
        (".hidden.txt", ARTIFACT),
        ("notes.md", ARTIFACT),
        (
            "data.jsonl",
            b"{\"text\": \"It ended in November. . Then\"}\n",
        ),
        (".ignore", b"skipped/\n"),
    ]);
    let paths = |args: &[&str]| -> Vec<String> {
        let out = mtlint()
            .arg("check")
            .arg(dir.path())
            .args(args)
            .output()
            .unwrap();
        rows(&out.stdout)
            .iter()
            .map(|r| {
                Path::new(&r[0])
                    .file_name()
                    .unwrap()
                    .to_string_lossy()
                    .into_owned()
            })
            .collect()
    };
    // Prose formats and JSON Lines / CSV / TSV are walked.
    assert_eq!(paths(&[]), vec!["data.jsonl", "keep.txt", "notes.md"]);
    assert_eq!(paths(&["--glob", "*.jsonl"]), vec!["data.jsonl"]);
    assert_eq!(
        paths(&["--glob", "!keep.txt"]),
        vec!["data.jsonl", "notes.md"]
    );
}

#[test]
fn rules_explain_and_test_rules() {
    mtlint().arg("rules").assert().code(0).stdout(
        predicate::str::contains("stray-period")
            .and(predicate::str::contains("repetition-loop"))
            .and(predicate::str::contains("invalid-utf8")),
    );
    mtlint()
        .args(["explain", "doubled-word"])
        .assert()
        .code(0)
        .stdout(
            predicate::str::contains("Why").and(predicate::str::contains("flagged: \"the the\"")),
        );
    mtlint()
        .arg("test-rules")
        .assert()
        .code(0)
        .stdout(predicate::str::contains(" 0 failed"));
}

#[test]
fn test_rules_reports_a_failing_user_example() {
    let rule = b"id = \"tw\"\nkind = \"phrase\"\ncategory = \"style\"\nseverity = \"info\"\nmessage = \"m\"\nsummary = \"s\"\nwhy = \"w\"\nphrases = [\"utilize\"]\n\n[[example]]\ntext = \"We utilize it.\"\nexpect = [\"use\"]\n\n[[example]]\ntext = \"We use it.\"\nexpect = []\n";
    let dir = dir_with(&[("tw.toml", rule)]);
    mtlint()
        .arg("test-rules")
        .arg(dir.path())
        .assert()
        .code(1)
        .stdout(
            predicate::str::contains("FAIL tw").and(predicate::str::contains(
                "expected [\"use\"], got [\"utilize\"]",
            )),
        );
}

#[test]
fn user_rules_run_beside_the_default_pack() {
    let rule = b"id = \"tw\"\nkind = \"phrase\"\ncategory = \"style\"\nseverity = \"error\"\nmessage = \"Prefer use to {match}\"\nsummary = \"s\"\nwhy = \"w\"\nphrases = [\"utilize\"]\n";
    let dir = dir_with(&[("rules/tw.toml", rule), ("a.txt", b"We utilize it.\n")]);
    let out = mtlint()
        .arg("check")
        .arg(dir.path().join("a.txt"))
        .arg("--rules")
        .arg(dir.path().join("rules"))
        .output()
        .unwrap();
    let rows = rows(&out.stdout);
    assert_eq!(rows.len(), 1);
    assert_eq!(
        (&rows[0][8], &rows[0][10], &rows[0][11]),
        ("tw", "error", "Prefer use to utilize")
    );
}
