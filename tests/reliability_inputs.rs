//! Hostile inputs at the command line: records nested past serde_json's
//! limits, records larger than one part, binary files named as text, and
//! malformed markup whose errors must stay readable. Sizes stay small here;
//! scripts/hostile.sh runs the big ones under time and memory bounds.

mod common;

use std::fs;
use std::path::Path;

use tempfile::TempDir;

use common::mtlint;

/// One sentence with a doubled word ("the the"), about 100 bytes.
const SENTENCE: &str =
    "The minister said on Tuesday that the talks would go on, and the the envoy agreed. ";

/// The CSV report rows of `path` (header skipped), stderr, and exit code.
fn check(path: &Path, extra: &[&str]) -> (Vec<csv::StringRecord>, String, Option<i32>) {
    let out = mtlint()
        .arg("check")
        .arg(path)
        .args(extra)
        .output()
        .expect("run");
    let rows = csv::Reader::from_reader(out.stdout.as_slice())
        .records()
        .collect::<Result<Vec<_>, _>>()
        .expect("csv report");
    (
        rows,
        String::from_utf8_lossy(&out.stderr).into_owned(),
        out.status.code(),
    )
}

/// Column `name` of a report row.
fn col<'r>(row: &'r csv::StringRecord, name: &str) -> &'r str {
    let i = [
        "path",
        "record",
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
    ]
    .iter()
    .position(|c| *c == name)
    .expect("known column");
    row.get(i).expect("column present")
}

fn rows_of<'r>(rows: &'r [csv::StringRecord], rule: &str) -> Vec<&'r csv::StringRecord> {
    rows.iter().filter(|r| col(r, "rule") == rule).collect()
}

/// A record whose other field nests far deeper than serde_json's recursion
/// limit (128) and the field finder's old limit (256) is checked, alone in
/// its file or after others: no record hides.
#[test]
fn deeply_nested_jsonl_records_are_checked() {
    let dir = TempDir::new().expect("tempdir");
    for depth in [300, 200_000] {
        let deep = format!(
            "{{\"meta\": {}{}, \"text\": \"{SENTENCE}\"}}\n",
            "[".repeat(depth),
            "]".repeat(depth)
        );
        for (name, content) in [
            ("alone.jsonl", deep.clone()),
            ("after.jsonl", format!("{{\"text\": \"Fine.\"}}\n{deep}")),
        ] {
            let path = dir.path().join(name);
            fs::write(&path, &content).expect("write");
            let (rows, stderr, code) = check(&path, &[]);
            assert!(stderr.is_empty(), "depth {depth} {name}: {stderr}");
            let doubled = rows_of(&rows, "doubled-word");
            assert_eq!(doubled.len(), 1, "depth {depth} {name}: {rows:?}");
            let line = if name == "alone.jsonl" { "1" } else { "2" };
            assert_eq!(col(doubled[0], "line"), line);
            assert_eq!(code, Some(1));
        }
    }
}

/// Checks that every finding's span holds what it matched, that there is
/// one doubled word per sentence, and that the report is the same on one
/// thread and on four.
fn assert_parts_checked(path: &Path, sentences: usize, raw_matches: bool) {
    let (rows, stderr, code) = check(path, &["--exit-zero", "-j", "1"]);
    assert_eq!(code, Some(0), "{stderr}");
    let bytes = fs::read(path).expect("read");
    let doubled = rows_of(&rows, "doubled-word");
    assert_eq!(doubled.len(), sentences, "{stderr}");
    for row in &rows {
        let start: usize = col(row, "byte_start").parse().expect("offset");
        let end: usize = col(row, "byte_end").parse().expect("offset");
        let raw = String::from_utf8_lossy(&bytes[start..end]);
        if raw_matches || !raw.contains(['\\', '"']) {
            assert_eq!(raw, col(row, "matched"), "{row:?}");
        }
    }
    let many = mtlint()
        .arg("check")
        .arg(path)
        .args(["--exit-zero", "-j", "4"])
        .output()
        .expect("run");
    let one = mtlint()
        .arg("check")
        .arg(path)
        .args(["--exit-zero", "-j", "1"])
        .output()
        .expect("run");
    assert_eq!(one.stdout, many.stdout);
}

/// A JSONL record of 600 KB on one line, with escapes all along it, is
/// checked in parts: every sentence's doubled word found once, each span
/// on the original bytes.
#[test]
fn a_record_larger_than_a_part_is_checked_whole() {
    let dir = TempDir::new().expect("tempdir");
    let sentence = SENTENCE.replace("said", "said \\\"so\\\"");
    let n = 600 * 1024 / sentence.len();
    let path = dir.path().join("big.jsonl");
    let record = format!(
        "{{\"id\": \"a\", \"text\": \"{}\"}}\n{{\"id\": \"b\", \"text\": \"{SENTENCE}\"}}\n",
        sentence.repeat(n)
    );
    fs::write(&path, record).expect("write");
    assert_parts_checked(&path, n + 1, false);
}

/// The same for a quoted CSV field of 600 KB with doubled quotes and line
/// breaks inside.
#[test]
fn a_csv_field_larger_than_a_part_is_checked_whole() {
    let dir = TempDir::new().expect("tempdir");
    let sentence = SENTENCE
        .replace("said", "said \"\"so\"\"")
        .replace(", and", ",\nand");
    let n = 600 * 1024 / sentence.len();
    let path = dir.path().join("big.csv");
    let csv = format!("id,text\na,\"{}\"\nb,plain\n", sentence.repeat(n));
    fs::write(&path, csv).expect("write");
    assert_parts_checked(&path, n, false);
}

/// A feed item inside another is a record error at its line, not silence.
#[test]
fn nested_feed_items_are_reported() {
    let dir = TempDir::new().expect("tempdir");
    let path = dir.path().join("feed.rss");
    fs::write(
        &path,
        "<rss><channel>\n<item><title>Outer</title>\n<item><title>Inner</title></item>\n</item>\n</channel></rss>\n",
    )
    .expect("write");
    let (_, stderr, code) = check(&path, &[]);
    assert_eq!(code, Some(2), "{stderr}");
    assert!(
        stderr.contains("feed.rss:3:") && stderr.contains("<item> inside another item"),
        "{stderr}"
    );
}

/// A translation unit with 200,000 unclosed tags: its error is a line of a
/// few hundred bytes, not megabytes.
#[test]
fn errors_on_huge_markup_stay_short() {
    let dir = TempDir::new().expect("tempdir");
    let path = dir.path().join("tags.xlf");
    let xliff = format!(
        "<xliff version=\"1.2\"><file><body>\n<trans-unit id=\"1\"><source>A</source>\
         <target>{}</target></trans-unit>\n</body></file></xliff>\n",
        "<g>".repeat(200_000)
    );
    fs::write(&path, xliff).expect("write");
    let (_, stderr, code) = check(&path, &[]);
    assert_eq!(code, Some(2), "{stderr}");
    assert!(
        stderr.contains("tags.xlf:2:"),
        "{}",
        &stderr[..stderr.len().min(500)]
    );
    let longest = stderr.lines().map(str::len).max().unwrap_or(0);
    assert!(longest < 500, "an error line of {longest} bytes");
    assert!(stderr.contains("more bytes)"), "{stderr}");
}

/// A sparse file named `.txt` is binary from its first bytes; the UTF-16
/// note still comes from the byte-order mark.
#[test]
fn binary_and_utf16_are_known_from_the_head() {
    let dir = TempDir::new().expect("tempdir");
    let sparse = dir.path().join("disk.txt");
    let file = fs::File::create(&sparse).expect("create");
    file.set_len(64 * 1024 * 1024).expect("sparse");
    drop(file);
    let (rows, stderr, code) = check(&sparse, &[]);
    assert!(rows.is_empty());
    assert!(stderr.contains("binary"), "{stderr}");
    assert_eq!(code, Some(0), "{stderr}");

    let utf16 = dir.path().join("wide.txt");
    let mut bytes = vec![0xFF, 0xFE];
    bytes.extend(
        "Hello the the world."
            .encode_utf16()
            .flat_map(u16::to_le_bytes),
    );
    fs::write(&utf16, bytes).expect("write");
    let (rows, stderr, _) = check(&utf16, &[]);
    assert!(rows.is_empty());
    assert!(stderr.contains("UTF-16"), "{stderr}");
}

/// Source↔target rules see the whole of a record checked in parts: a
/// number of the source missing from a 600 KB target is one finding over
/// the whole target field, not one per part.
#[test]
fn source_target_rules_see_the_whole_record() {
    let dir = TempDir::new().expect("tempdir");
    let n = 600 * 1024 / SENTENCE.len();
    let path = dir.path().join("pair.jsonl");
    let record = format!(
        "{{\"source\": \"Talks on 17 March.\", \"text\": \"{}\"}}\n",
        SENTENCE.repeat(n)
    );
    fs::write(&path, &record).expect("write");
    let (rows, stderr, _) = check(&path, &["--exit-zero", "--source-field", "source"]);
    let missing = rows_of(&rows, "missing-number");
    assert_eq!(missing.len(), 1, "{stderr}");
    let start: usize = col(missing[0], "byte_start").parse().expect("offset");
    let end: usize = col(missing[0], "byte_end").parse().expect("offset");
    assert_eq!(
        (start, end),
        (record.find("\"The").expect("target"), record.len() - 2)
    );
    assert_eq!(rows_of(&rows, "doubled-word").len(), n);
}
