//! Input formats end to end: the same artifacts in every container are found
//! at their exact original bytes, with the record they are in; prose only,
//! never markup; malformed records are errors for their line while the rest
//! of the file is checked; entity tricks are never expanded.

mod common;

use std::fs;
use std::path::{Path, PathBuf};

use tempfile::TempDir;

use common::mtlint;

fn fixture(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/formats")
        .join(name)
}

/// One CSV row: (record, line, column, rule, matched).
type Row = (String, usize, usize, String, String);

/// Runs `mtlint check` and returns its rows, after checking that every
/// row's `matched` is exactly the file's bytes at `byte_start..byte_end`,
/// on char boundaries, and that line and column agree with the offsets.
fn check(path: &Path, args: &[&str]) -> (Vec<Row>, String, Option<i32>) {
    let out = mtlint()
        .args(["check", "--isolated"])
        .args(args)
        .arg(path)
        .output()
        .expect("runs");
    let bytes = fs::read(path).expect("fixture readable");
    let text = String::from_utf8(bytes).expect("UTF-8 fixture");
    let mut rows = Vec::new();
    for r in csv::Reader::from_reader(out.stdout.as_slice()).records() {
        let r = r.expect("valid CSV row");
        let num = |i: usize| r[i].parse::<usize>().expect("number");
        let (start, end) = (num(6), num(7));
        assert!(text.is_char_boundary(start) && text.is_char_boundary(end));
        assert_eq!(&text[start..end], &r[12], "matched is the original bytes");
        let line = text[..start].matches('\n').count() + 1;
        let line_start = text[..start].rfind('\n').map_or(0, |i| i + 1);
        let column = text[line_start..start].chars().count() + 1;
        assert_eq!((num(2), num(3)), (line, column), "position of {:?}", &r[12]);
        rows.push((
            r[1].to_string(),
            line,
            column,
            r[8].to_string(),
            r[12].to_string(),
        ));
    }
    let err = String::from_utf8_lossy(&out.stderr).into_owned();
    (rows, err, out.status.code())
}

const ARTIFACTS: &[&str] = &["--select", "stray-period,doubled-word"];

fn found(rows: &[Row]) -> Vec<(&str, &str, &str)> {
    rows.iter()
        .map(|(rec, _, _, rule, m)| (rec.as_str(), rule.as_str(), m.as_str()))
        .collect()
}

#[test]
fn plain_text_has_no_record() {
    let (rows, err, _) = check(&fixture("article.txt"), ARTIFACTS);
    assert_eq!(err, "");
    assert_eq!(
        found(&rows),
        [("", "stray-period", ". ."), ("", "doubled-word", "the the")]
    );
}

#[test]
fn markdown_checks_prose_not_code_front_matter_or_links() {
    let (rows, err, _) = check(&fixture("article.md"), ARTIFACTS);
    assert_eq!(err, "");
    // Front matter, the code block and the link target hold the same
    // artifacts and stay silent; the link text is prose.
    assert_eq!(
        rows.iter().map(|r| (r.1, r.3.as_str())).collect::<Vec<_>>(),
        [
            (10, "stray-period"),
            (11, "doubled-word"),
            (11, "doubled-word")
        ]
    );
}

#[test]
fn html_checks_visible_text_only() {
    let (rows, err, _) = check(
        &fixture("article.html"),
        &["--select", "stray-period,doubled-word,html-entity"],
    );
    assert_eq!(err, "");
    // Style, script and comments are skipped; entities are decoded (only the
    // broken one is left for html-entity); unclosed markup keeps its text.
    assert_eq!(
        found(&rows),
        [
            ("", "stray-period", ". ."),
            ("", "doubled-word", "the the"),
            ("", "html-entity", "&bogus;")
        ]
    );
    assert_eq!((rows[0].1, rows[1].1), (6, 7));
}

#[test]
fn jsonl_records_through_string_escapes() {
    let (rows, err, _) = check(
        &fixture("article.jsonl"),
        &["--select", "stray-period,doubled-word", "--id-field", "id"],
    );
    assert_eq!(err, "");
    assert_eq!(
        found(&rows),
        [
            ("r1", "stray-period", ". ."),
            ("r1", "doubled-word", "the the"),
            ("r3", "doubled-word", "the the"),
            ("r3", "stray-period", ". .")
        ]
    );
    // Without an id field named, the record is its `id` field.
    let (rows, _, _) = check(&fixture("article.jsonl"), ARTIFACTS);
    assert_eq!(rows[0].0, "r1");
    assert_eq!(rows[3].0, "r3");
}

#[test]
fn jsonl_nested_fields() {
    let dir = TempDir::new().expect("temp dir");
    let path = dir.path().join("n.jsonl");
    fs::write(
        &path,
        "{\"meta\": {\"id\": 7}, \"body\": {\"parts\": [\"x\", \"Ended. . Then the the end.\"]}}\n",
    )
    .expect("write");
    let (rows, err, _) = check(
        &path,
        &[
            "--select",
            "stray-period,doubled-word",
            "--text-field",
            "body.parts.1",
            "--id-field",
            "meta.id",
        ],
    );
    assert_eq!(err, "");
    assert_eq!(
        found(&rows),
        [
            ("7", "stray-period", ". ."),
            ("7", "doubled-word", "the the")
        ]
    );
}

#[test]
fn csv_rows_through_doubled_quotes_and_multiline_fields() {
    let (rows, err, _) = check(
        &fixture("article.csv"),
        &["--select", "stray-period,doubled-word", "--id-column", "id"],
    );
    assert_eq!(err, "");
    assert_eq!(
        found(&rows),
        [
            ("a1", "stray-period", ". ."),
            ("a1", "doubled-word", "the the"),
            ("a2", "doubled-word", "the the"),
            ("a3", "stray-period", ". .")
        ]
    );
}

#[test]
fn tsv_by_extension() {
    let dir = TempDir::new().expect("temp dir");
    let path = dir.path().join("t.tsv");
    fs::write(&path, "text\tid\nIt ended. . Yes.\tx\n").expect("write");
    let (rows, err, _) = check(&path, &["--select", "stray-period", "--id-column", "id"]);
    assert_eq!(err, "");
    assert_eq!(found(&rows), [("x", "stray-period", ". .")]);
}

#[test]
fn rss_items_with_escaped_and_cdata_html() {
    let (rows, err, _) = check(&fixture("article.rss"), ARTIFACTS);
    assert_eq!(err, "");
    assert_eq!(
        found(&rows),
        [
            ("harbour-1", "stray-period", ". ."),
            ("harbour-1", "stray-period", ". ."),
            ("harbour-1", "doubled-word", "the the"),
            ("https://example.org/2", "stray-period", ". ."),
            ("https://example.org/2", "doubled-word", "The the")
        ]
    );
}

#[test]
fn atom_entries() {
    let (rows, err, _) = check(&fixture("article.atom"), ARTIFACTS);
    assert_eq!(err, "");
    assert_eq!(
        found(&rows),
        [
            ("urn:harbour:1", "stray-period", ". ."),
            ("urn:harbour:1", "doubled-word", "the the")
        ]
    );
}

#[test]
fn xml_feed_detected_by_root() {
    let dir = TempDir::new().expect("temp dir");
    let path = dir.path().join("feed.xml");
    fs::copy(fixture("article.atom"), &path).expect("copy");
    let (rows, _, _) = check(&path, ARTIFACTS);
    assert_eq!(rows.len(), 2);
    assert_eq!(rows[0].0, "urn:harbour:1");
}

#[test]
fn xliff_checks_targets_not_sources() {
    let (rows, err, _) = check(&fixture("article.xlf"), ARTIFACTS);
    assert_eq!(err, "");
    assert_eq!(
        found(&rows),
        [
            ("t1", "stray-period", ". ."),
            ("t1", "doubled-word", "the the")
        ]
    );
}

#[test]
fn po_checks_msgstr_not_msgid() {
    let (rows, err, _) = check(&fixture("article.po"), ARTIFACTS);
    assert_eq!(err, "");
    assert_eq!(
        found(&rows),
        [
            ("headline", "stray-period", ". ."),
            ("headline", "doubled-word", "the the")
        ]
    );
}

#[test]
fn input_format_flag_overrides_the_extension() {
    let dir = TempDir::new().expect("temp dir");
    let path = dir.path().join("page.txt");
    fs::write(&path, "<p>It ended. . <b>Yes</b></p>").expect("write");
    let (rows, _, _) = check(
        &path,
        &[
            "--select",
            "stray-period,markup-leftover",
            "--input-format",
            "html",
        ],
    );
    assert_eq!(
        rows.iter().map(|r| r.3.as_str()).collect::<Vec<_>>(),
        ["stray-period"]
    );
    let (rows, _, _) = check(&path, &["--select", "stray-period,markup-leftover"]);
    assert!(rows.iter().any(|r| r.3 == "markup-leftover"));
}

#[test]
fn input_table_in_config() {
    let dir = TempDir::new().expect("temp dir");
    fs::write(
        dir.path().join("mtlint.toml"),
        "[input]\ntext-field = \"body\"\nid-field = \"key\"\n",
    )
    .expect("write");
    let path = dir.path().join("a.jsonl");
    fs::write(&path, "{\"key\": \"k1\", \"body\": \"Ended. . Yes.\"}\n").expect("write");
    let out = mtlint()
        .current_dir(dir.path())
        .args(["check", "--select", "stray-period", "a.jsonl"])
        .output()
        .expect("runs");
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(stdout.contains("a.jsonl,k1,1,"), "{stdout}");
    fs::write(
        dir.path().join("mtlint.toml"),
        "[input]\ntext-feld = \"body\"\n",
    )
    .expect("write");
    let out = mtlint()
        .current_dir(dir.path())
        .args(["check", "a.jsonl"])
        .output()
        .expect("runs");
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("did you mean `text-field`"));
}

#[test]
fn malformed_records_are_errors_and_the_rest_is_checked() {
    let dir = TempDir::new().expect("temp dir");
    let cases: &[(&str, &str, &str)] = &[
        (
            "bad.jsonl",
            "{\"text\": \"Fine. . one\"}\n{\"text\": \"broken\n{\"text\": \"Fine. . three\"}\n",
            "bad.jsonl:2:",
        ),
        (
            "bad.csv",
            "text\n\"Fine. . one\"\n\"ok\"junk\n\"Fine. . three\"\n",
            "bad.csv:3:",
        ),
        (
            "bad.rss",
            "<rss><channel><item><title>Fine. . one</title></item>\n\
             <item><title>Bad</b></title></item>\n\
             <item><title>Fine. . three</title></item></channel></rss>\n",
            "bad.rss:2:",
        ),
        (
            "bad.xlf",
            "<xliff><file><body><trans-unit id=\"1\"><source>A</source><target>Fine. . one</target></trans-unit>\n\
             <trans-unit id=\"2\"><source>B</source><target>Bad</i></target></trans-unit>\n\
             <trans-unit id=\"3\"><source>C</source><target>Fine. . three</target></trans-unit></body></file></xliff>\n",
            "bad.xlf:2:",
        ),
        (
            "bad.po",
            "msgid \"a\"\nmsgstr \"Fine. . one\"\n\nmsgid \"b\nmsgstr \"x\"\n\nmsgid \"c\"\nmsgstr \"Fine. . three\"\n",
            "bad.po:4:",
        ),
    ];
    for (name, text, error) in cases {
        let path = dir.path().join(name);
        fs::write(&path, text).expect("write");
        let (rows, err, code) = check(&path, &["--select", "stray-period"]);
        assert_eq!(code, Some(2), "{name}: a malformed record exits 2");
        assert!(err.contains(error), "{name}: {err}");
        assert_eq!(rows.len(), 2, "{name}: both good records checked");
    }
}

#[test]
fn entity_expansion_is_never_performed() {
    let dir = TempDir::new().expect("temp dir");
    let path = dir.path().join("lol.xlf");
    let mut doctype = String::from("<!DOCTYPE xliff [\n<!ENTITY lol \"lol\">\n");
    for i in 1..10 {
        let prev = if i == 1 {
            "lol".to_string()
        } else {
            format!("lol{}", i - 1)
        };
        doctype.push_str(&format!(
            "<!ENTITY lol{i} \"{}\">\n",
            format!("&{prev};").repeat(10)
        ));
    }
    doctype.push_str("]>\n");
    let text = format!(
        "{doctype}<xliff version=\"1.2\"><file><body><trans-unit id=\"1\">\
         <source>Hi</source><target>&lol9; the the end</target></trans-unit></body></file></xliff>\n"
    );
    fs::write(&path, &text).expect("write");
    let (rows, err, code) = check(&path, &["--select", "doubled-word,html-entity"]);
    assert_eq!(code, Some(1), "{err}");
    // The reference stays as written: it is what html-entity sees.
    assert_eq!(
        found(&rows),
        [
            ("1", "html-entity", "&lol9;"),
            ("1", "doubled-word", "the the")
        ]
    );
}

#[test]
fn huge_records_work() {
    let dir = TempDir::new().expect("temp dir");
    let path = dir.path().join("huge.jsonl");
    let body = "The talks went on. ".repeat(300_000);
    let line = format!("{{\"id\": \"big\", \"text\": \"{body}It ended. . Yes.\"}}\n");
    fs::write(&path, &line).expect("write");
    let (rows, err, _) = check(&path, &["--select", "stray-period", "--id-field", "id"]);
    assert_eq!(err, "");
    assert_eq!(found(&rows), [("big", "stray-period", ". .")]);
}

#[test]
fn input_files_in_config_apply_per_glob() {
    let dir = TempDir::new().expect("temp dir");
    fs::create_dir_all(dir.path().join("pages")).expect("mkdir");
    fs::create_dir_all(dir.path().join("site")).expect("mkdir");
    fs::write(
        dir.path().join("mtlint.toml"),
        "[input]\ntext-field = \"body\"\n\n[[input.files]]\npaths = [\"pages/**\"]\nformat = \"html\"\n",
    )
    .expect("write");
    let page = "<p>It ended. . <b>Yes</b></p>\n";
    fs::write(dir.path().join("pages/a.txt"), page).expect("write");
    fs::write(dir.path().join("b.txt"), page).expect("write");
    let run = |cwd: &Path, args: &[&str]| {
        let out = mtlint()
            .current_dir(cwd)
            .args(["check", "--select", "stray-period,markup-leftover"])
            .args(args)
            .output()
            .expect("runs");
        String::from_utf8_lossy(&out.stdout).into_owned()
    };
    let out = run(dir.path(), &["pages/a.txt", "b.txt"]);
    assert!(!out.contains("pages/a.txt,,1,18"), "{out}");
    assert!(out.contains("pages/a.txt,,1,12,"), "{out}");
    assert!(
        out.contains("b.txt,,1,16,1,19,15,18,markup-leftover"),
        "{out}"
    );
    // Globs are relative to the configuration file, wherever mtlint runs.
    let out = run(&dir.path().join("site"), &["../pages/a.txt"]);
    assert!(!out.contains("markup-leftover"), "{out}");
    // The command line still wins.
    let out = run(dir.path(), &["pages/a.txt", "--input-format", "text"]);
    assert!(out.contains("markup-leftover"), "{out}");
}

#[test]
fn other_reporters_carry_the_record() {
    let path = fixture("article.jsonl");
    let run = |format: &str| {
        let out = mtlint()
            .args([
                "check",
                "--isolated",
                "--select",
                "stray-period",
                "--id-field",
                "id",
                "--format",
                format,
            ])
            .arg(&path)
            .output()
            .expect("runs");
        String::from_utf8_lossy(&out.stdout).into_owned()
    };
    assert!(run("json").contains("\"record\":\"r1\""));
    assert!(run("jsonl").contains("\"record\":\"r3\""));
    assert!(run("text").contains(":1:86: [r1] warning [stray-period]"));
    assert!(run("github").contains("::[r1] Stray period"));
    let sarif: serde_json::Value = serde_json::from_str(&run("sarif")).expect("SARIF is JSON");
    assert_eq!(sarif["runs"][0]["results"][0]["properties"]["record"], "r1");
}
