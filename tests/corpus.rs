//! The bundled corpus: a snapshot of the whole CSV (drift fails CI), and
//! checks that every row points at exactly the bytes it quotes.

mod common;

use std::collections::BTreeMap;
use std::path::Path;

use common::mtlint;

fn check_corpus(jobs: &str) -> String {
    let out = mtlint()
        .args(["check", "corpus", "--exit-zero", "-j", jobs])
        .output()
        .expect("runs");
    assert_eq!(
        out.status.code(),
        Some(0),
        "stderr: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).expect("CSV is UTF-8")
}

#[test]
fn corpus_snapshot() {
    insta::assert_snapshot!("corpus_csv", check_corpus("2"));
}

#[test]
fn same_output_for_any_number_of_jobs() {
    let one = check_corpus("1");
    assert_eq!(one, check_corpus("4"));
    assert_eq!(one, check_corpus("1"));
}

#[test]
fn rows_point_at_the_bytes_they_quote() {
    let csv = check_corpus("2");
    let mut reader = csv::Reader::from_reader(csv.as_bytes());
    let mut per_file: BTreeMap<String, usize> = BTreeMap::new();
    let mut last: Option<(String, usize, String)> = None;
    for row in reader.records() {
        let row = row.expect("valid CSV row");
        let path = row[0].to_string();
        let (line, column): (usize, usize) = (row[2].parse().unwrap(), row[3].parse().unwrap());
        let (start, end): (usize, usize) = (row[6].parse().unwrap(), row[7].parse().unwrap());
        let bytes = std::fs::read(&path).expect("corpus file readable");
        let text = String::from_utf8(bytes).expect("corpus is UTF-8");
        assert_eq!(&text[start..end], &row[12], "matched text of {path}:{line}");
        let before = &text[..start];
        assert_eq!(before.matches('\n').count() + 1, line);
        let line_start = before.rfind('\n').map_or(0, |i| i + 1);
        assert_eq!(text[line_start..start].chars().count() + 1, column);
        let key = (path.clone(), start, row[8].to_string());
        if let Some(prev) = &last {
            assert!(prev <= &key, "rows out of order: {prev:?} then {key:?}");
        }
        last = Some(key);
        *per_file.entry(path).or_default() += 1;
    }
    // The artifact articles all have findings; the clean ones have none.
    for name in [
        "trade-talks-tokyo",
        "glacier-data-bern",
        "ferry-aground-busan",
        "power-prices-warsaw",
        "striker-transfer-lagos",
    ] {
        let path = format!("corpus{}{name}.txt", std::path::MAIN_SEPARATOR);
        assert!(
            per_file.get(&path).copied().unwrap_or(0) >= 5,
            "{name}: {:?}",
            per_file.get(&path)
        );
    }
    for name in [
        "chip-plant-kumamoto",
        "library-reopening-leeds",
        "flood-barriers-dresden",
    ] {
        assert!(Path::new(&format!("corpus/{name}.txt")).exists());
        let path = format!("corpus{}{name}.txt", std::path::MAIN_SEPARATOR);
        assert_eq!(
            per_file.get(&path),
            None,
            "clean article {name} has findings"
        );
    }
}
