//! Source↔target rules on bilingual fixtures (PO, XLIFF 2, JSON Lines and
//! CSV with a source field): one unit per artifact, each finding on the
//! target at its exact original bytes, clean units silent.

mod common;

use std::fs;
use std::path::{Path, PathBuf};

use common::mtlint;

fn fixture(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/formats")
        .join(name)
}

/// (record, rule, matched) of every row, after checking each `matched` is
/// the file's bytes at `byte_start..byte_end`.
fn findings(path: &Path, args: &[&str]) -> Vec<(String, String, String)> {
    let out = mtlint()
        .args(["check", "--isolated", "--select", "source-target"])
        .args(args)
        .arg(path)
        .output()
        .expect("runs");
    assert!(
        out.stderr.is_empty(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let bytes = fs::read(path).expect("fixture");
    csv::Reader::from_reader(out.stdout.as_slice())
        .records()
        .map(|r| {
            let r = r.expect("row");
            let (start, end): (usize, usize) = (r[6].parse().expect("n"), r[7].parse().expect("n"));
            assert_eq!(&bytes[start..end], r[12].as_bytes());
            (r[1].to_string(), r[8].to_string(), r[12].to_string())
        })
        .collect()
}

fn owned(rows: &[(&str, &str, &str)]) -> Vec<(String, String, String)> {
    rows.iter()
        .map(|(a, b, c)| (a.to_string(), b.to_string(), c.to_string()))
        .collect()
}

#[test]
fn po_entries_one_artifact_each() {
    assert_eq!(
        findings(&fixture("bilingual.po"), &[]),
        owned(&[
            ("empty", "empty-target", "\"\""),
            (
                "untranslated",
                "untranslated-target",
                "\"The port reopened today.\""
            ),
            (
                "number",
                "missing-number",
                "\"Les exportations ont augmenté de 3,5 % à 1 300 tonnes.\""
            ),
            ("length", "length-mismatch", "\"Oui.\""),
            (
                "placeholder",
                "placeholder-mismatch",
                "\"Des navires ont accosté à {0}.\""
            ),
            (
                "url",
                "missing-url",
                "\"Voir https://exemple.org/port pour les horaires.\""
            ),
            (
                "brackets",
                "bracket-mismatch",
                "\"Le maire (en poste depuis 2019 a parlé.\""
            ),
            ("end", "end-punctuation-mismatch", "."),
        ])
    );
}

#[test]
fn xliff_units_tags_numbers_and_punctuation() {
    assert_eq!(
        findings(&fixture("bilingual.xlf"), &[]),
        owned(&[
            ("empty", "empty-target", "<target/>"),
            (
                "tag-missing",
                "placeholder-mismatch",
                "<target>Cliquez pour commencer.</target>"
            ),
            ("tag-added", "placeholder-mismatch", "<ph id=\"2\"/>"),
            ("end", "end-punctuation-mismatch", "."),
        ])
    );
}

#[test]
fn jsonl_source_field() {
    let args = [
        "--id-field",
        "id",
        "--source-field",
        "en",
        "--text-field",
        "fr",
    ];
    assert_eq!(
        findings(&fixture("bilingual.jsonl"), &args),
        owned(&[("j2", "missing-number", "\"Les actions ont chuté mardi.\"")])
    );
}

#[test]
fn csv_source_column() {
    let args = [
        "--id-column",
        "id",
        "--source-column",
        "source",
        "--text-column",
        "target",
    ];
    assert_eq!(
        findings(&fixture("bilingual.csv"), &args),
        owned(&[("c1", "missing-url", "\"Écrivez à presse@exemple.org.\"")])
    );
}

#[test]
fn monolingual_input_never_triggers_source_rules() {
    for name in ["article.txt", "article.md", "article.html", "article.rss"] {
        assert_eq!(findings(&fixture(name), &[]), [], "{name}");
    }
}
