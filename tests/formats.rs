//! Every output format on one small fixed fixture: insta snapshots, the
//! SARIF log validated against the official schema, GitHub escaping.

mod common;

use std::fs;
use std::path::{Path, PathBuf};

use tempfile::TempDir;

use common::mtlint;

/// Warnings (stray period, list duplicate, doubled word), an info
/// (honorific consistency) and a clean file.
const ARTICLE: &str = "Mr. Blinken said the talks ended in November. . The envoy left.\n\
Japan, South Korea, China, and China signed the the deal.\n\
\n\
Mr Blinken flew home, and Mr. Blinken spoke again on Friday.\n";
const CLEAN: &str = "The talks ended in November. The envoy left.\n";

fn fixture() -> TempDir {
    let dir = TempDir::new().expect("temp dir");
    fs::create_dir_all(dir.path().join("news")).expect("mkdir");
    fs::write(dir.path().join("news/article.txt"), ARTICLE).expect("write");
    fs::write(dir.path().join("news/clean.txt"), CLEAN).expect("write");
    dir
}

fn run(dir: &Path, format: &str) -> (String, Option<i32>) {
    let out = mtlint()
        .current_dir(dir)
        .env_remove("NO_COLOR")
        .args(["check", "--isolated", "news", "--format", format])
        .output()
        .expect("runs");
    assert!(
        out.stderr.is_empty(),
        "stderr: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    (
        String::from_utf8(out.stdout).expect("UTF-8 output"),
        out.status.code(),
    )
}

fn snapshot(format: &str) -> String {
    let dir = fixture();
    let (out, code) = run(dir.path(), format);
    assert_eq!(code, Some(1), "{format}: findings at warning exit 1");
    out
}

#[test]
fn csv_format() {
    insta::assert_snapshot!("csv", snapshot("csv"));
}

#[test]
fn text_format() {
    let out = snapshot("text");
    assert!(!out.contains('\x1b'), "no colour when not a terminal");
    insta::assert_snapshot!("text", out);
}

#[test]
fn json_format() {
    let out = snapshot("json");
    let value: serde_json::Value = serde_json::from_str(&out).expect("valid JSON");
    let rows = value.as_array().expect("an array");
    assert_eq!(rows.len(), 4);
    // The CSV's fields, under the same names.
    let keys: Vec<&str> = rows[0]
        .as_object()
        .expect("object")
        .keys()
        .map(String::as_str)
        .collect();
    for name in [
        "path",
        "line",
        "column",
        "end_line",
        "end_column",
        "byte_start",
        "byte_end",
        "rule",
        "category",
        "severity",
        "message",
        "matched",
        "suggestion",
    ] {
        assert!(keys.contains(&name), "{name} missing from {keys:?}");
    }
    insta::assert_snapshot!("json", out);
}

#[test]
fn jsonl_format() {
    let out = snapshot("jsonl");
    for line in out.lines() {
        let _: serde_json::Value = serde_json::from_str(line).expect("one object per line");
    }
    insta::assert_snapshot!("jsonl", out);
}

#[test]
fn json_of_a_clean_run_is_an_empty_array() {
    let dir = fixture();
    fs::remove_file(dir.path().join("news/article.txt")).expect("rm");
    let (out, code) = run(dir.path(), "json");
    assert_eq!(code, Some(0));
    assert_eq!(out, "[]\n");
}

#[test]
fn sarif_format() {
    let out = snapshot("sarif");
    let mut log: serde_json::Value = serde_json::from_str(&out).expect("SARIF is JSON");
    let driver = &mut log["runs"][0]["tool"]["driver"];
    // The version changes with every release, and rule texts with every rule
    // edit: the snapshot keeps rule ids and levels only.
    driver["version"] = "[version]".into();
    let rules: Vec<serde_json::Value> = driver["rules"]
        .as_array()
        .expect("rules")
        .iter()
        .map(|r| {
            for key in ["id", "name", "shortDescription", "fullDescription", "help"] {
                assert!(!r[key].is_null(), "rule {} lacks {key}", r["id"]);
            }
            serde_json::json!({ "id": r["id"], "level": r["defaultConfiguration"]["level"] })
        })
        .collect();
    driver["rules"] = rules.into();
    insta::assert_snapshot!(
        "sarif",
        serde_json::to_string_pretty(&log).expect("serialises")
    );
}

#[test]
fn github_format() {
    insta::assert_snapshot!("github", snapshot("github"));
}

#[test]
fn summary_format() {
    insta::assert_snapshot!("summary", snapshot("summary"));
}

/// The official SARIF 2.1.0 schema lives in the shared folder beside the
/// checkout; it is not copied into the project.
fn sarif_schema_path() -> PathBuf {
    let manifest = Path::new(env!("CARGO_MANIFEST_DIR"));
    manifest
        .parent()
        .unwrap_or(manifest)
        .join("shared/schemas/sarif-schema-2.1.0.json")
}

#[test]
fn sarif_validates_against_the_official_schema() {
    let path = sarif_schema_path();
    let Ok(text) = fs::read_to_string(&path) else {
        if std::env::var_os("CI").is_some() {
            panic!(
                "the SARIF schema is missing at {} (expected ../shared/schemas/ beside the checkout)",
                path.display()
            );
        }
        println!(
            "note: SARIF schema not found at {}; schema validation skipped",
            path.display()
        );
        return;
    };
    let schema: serde_json::Value = serde_json::from_str(&text).expect("schema is JSON");
    let validator = jsonschema::validator_for(&schema).expect("schema compiles");
    // With fixes, and with a finding in a file whose name needs escaping.
    let dir = fixture();
    fs::write(dir.path().join("news/a b#é.txt"), ARTICLE).expect("write");
    let (out, _) = run(dir.path(), "sarif");
    let log: serde_json::Value = serde_json::from_str(&out).expect("SARIF is JSON");
    let errors: Vec<String> = validator
        .iter_errors(&log)
        .map(|e| format!("{} at {}", e, e.instance_path()))
        .collect();
    assert!(errors.is_empty(), "SARIF schema errors: {errors:#?}");
    // The validator is live: a broken log fails it.
    let mut broken = log.clone();
    broken["runs"][0]["results"][0]["level"] = "fatal".into();
    assert!(!validator.is_valid(&broken));
    let run = &log["runs"][0];
    assert_eq!(run["columnKind"], "unicodeCodePoints");
    let rules = run["tool"]["driver"]["rules"].as_array().expect("rules");
    assert!(rules.len() > 20, "every loaded rule is listed");
    let result = &run["results"][0];
    let region = &result["locations"][0]["physicalLocation"]["region"];
    assert!(region["byteOffset"].is_u64() && region["byteLength"].is_u64());
    assert!(run["results"].as_array().expect("results").iter().any(
        |r| r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"]
            == "news/a%20b%23%C3%A9.txt"
    ));
}

#[test]
fn github_severity_commands_follow_configured_severity() {
    let dir = fixture();
    fs::write(
        dir.path().join("mtlint.toml"),
        "[severity]\nstray-period = \"error\"\ndoubled-word = \"info\"\n",
    )
    .expect("write");
    let out = mtlint()
        .current_dir(dir.path())
        .args(["check", "news", "--format", "github"])
        .output()
        .expect("runs");
    let text = String::from_utf8(out.stdout).expect("UTF-8");
    assert!(
        text.contains("::error file=news/article.txt,line=1,col=45,"),
        "{text}"
    );
    assert!(
        text.contains("::notice file=news/article.txt,line=2,"),
        "{text}"
    );
    assert!(text.contains("title=mtlint stray-period::"), "{text}");
}
