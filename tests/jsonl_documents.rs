//! `--format jsonl --jsonl-documents`: the audit line, one line per
//! document checked, finding lines unchanged, and document lines that sum
//! to the summary's groups and totals (what the Spark job relies on).

mod common;

use std::collections::BTreeMap;

use common::{dir_with_text, mtlint, run_in};
use serde_json::Value;

/// A JSON Lines dump of `n` records from three sources: some with a
/// doubled word (a warning), some with a translation loop (an error), the
/// rest clean; every seventh record's text is short (under the score's
/// word floor).
fn dump(n: usize) -> String {
    let sources = ["lakeside-times", "hill-gazette", "river-wire"];
    let mut out = String::new();
    for i in 0..n {
        let body = match i % 5 {
            0 => "The harbour office opened the the new pier to visitors on Sunday.",
            1 => "Trains ran to Leeds, Leeds, Leeds, Leeds, Leeds all evening after the storm.",
            _ => "The county library extended its opening hours for the exam season.",
        };
        let text = if i % 7 == 3 {
            "Roads reopened.".to_string()
        } else {
            format!("{body} Officials thanked the volunteers who cleared the paths.")
        };
        let source = sources[i % 3];
        out.push_str(&format!(
            "{{\"id\": \"rec-{i}\", \"source\": \"{source}\", \"date\": \"2024-03-{:02}\", \"text\": \"{text}\"}}\n",
            1 + i % 28
        ));
    }
    out
}

fn lines(stdout: &str) -> Vec<Value> {
    stdout
        .lines()
        .map(|l| serde_json::from_str(l).expect("a JSON line"))
        .collect()
}

fn kind(v: &Value) -> Option<&str> {
    v.get("kind").and_then(Value::as_str)
}

const GROUPED: &[&str] = &[
    "check",
    "--isolated",
    "--group-by",
    "field:source",
    "--date-field",
    "date",
    "--exit-zero",
    "feed.jsonl",
];

fn run(dir: &std::path::Path, extra: &[&str]) -> String {
    let mut args = GROUPED.to_vec();
    args.extend_from_slice(extra);
    let (out, err, code) = run_in(dir, &args);
    assert_eq!(code, Some(0), "{err}");
    out
}

#[test]
fn finding_lines_are_the_plain_jsonl_report_byte_for_byte() {
    // More records than a streamed chunk holds, so documents come in parts.
    let dir = dir_with_text(&[("feed.jsonl", &dump(2600))]);
    let plain = run(dir.path(), &["--format", "jsonl"]);
    let with = run(dir.path(), &["--format", "jsonl", "--jsonl-documents"]);
    let findings: Vec<&str> = with.lines().filter(|l| !l.contains("\"kind\":")).collect();
    let plain: Vec<&str> = plain.lines().collect();
    assert!(!plain.is_empty());
    assert_eq!(findings, plain);
    // Only the added lines have a kind.
    assert!(plain.iter().all(|l| !l.contains("\"kind\":")));
}

#[test]
fn one_audit_line_first_then_one_line_per_document() {
    let dir = dir_with_text(&[("feed.jsonl", &dump(2600))]);
    let out = lines(&run(
        dir.path(),
        &["--format", "jsonl", "--jsonl-documents"],
    ));
    assert_eq!(kind(&out[0]), Some("audit"));
    assert_eq!(out[0]["group_by"], "field:source");
    assert_eq!(out[0]["weights"]["error"], 5.0);
    assert_eq!(out[0]["weights"]["min_words"], 100);
    assert_eq!(out.iter().filter(|v| kind(v) == Some("audit")).count(), 1);
    let docs: Vec<&Value> = out.iter().filter(|v| kind(v) == Some("document")).collect();
    // Every record once, clean ones included, in file order.
    let records: Vec<&str> = docs.iter().map(|d| d["record"].as_str().unwrap()).collect();
    let want: Vec<String> = (0..2600).map(|i| format!("rec-{i}")).collect();
    assert_eq!(records, want);
    let first = docs[0];
    assert_eq!(first["group"], "lakeside-times");
    assert_eq!(first["day"], "2024-03-01");
    assert_eq!(first["path"], "feed.jsonl");
    assert_eq!(first["errors"], 0);
    assert_eq!(first["warnings"], 1);
    assert_eq!(first["findings"], 1);
    // 1 warning (2) per 1,000 words of at least 100.
    assert_eq!(first["score"], 20.0);
    let clean = docs.iter().find(|d| d["record"] == "rec-2").unwrap();
    assert_eq!(clean["findings"], 0);
    assert!(clean["words"].as_u64().unwrap() > 10);
    // A finding's line comes before its document's.
    let at = |pred: &dyn Fn(&Value) -> bool| out.iter().position(pred).unwrap();
    let finding = at(&|v| kind(v).is_none() && v["record"] == "rec-1");
    let document = at(&|v| kind(v) == Some("document") && v["record"] == "rec-1");
    assert!(finding < document);
}

/// Per group: documents, words, info/warning/error findings, documents
/// with an error.
type Sums = BTreeMap<String, [u64; 6]>;

fn sums(docs: &[Value]) -> Sums {
    let mut out = Sums::new();
    for d in docs.iter().filter(|v| kind(v) == Some("document")) {
        let g = out
            .entry(d["group"].as_str().unwrap().to_string())
            .or_default();
        let n = |k: &str| d[k].as_u64().unwrap();
        g[0] += 1;
        g[1] += n("words");
        g[2] += n("infos");
        g[3] += n("warnings");
        g[4] += n("errors");
        g[5] += u64::from(n("errors") > 0);
    }
    out
}

fn score(s: &[u64; 6], weights: (f64, f64, f64, u64)) -> f64 {
    let (error, warning, info, min_words) = weights;
    (s[2] as f64 * info + s[3] as f64 * warning + s[4] as f64 * error) * 1000.0
        / s[1].max(min_words).max(1) as f64
}

/// The summary's groups table: name → (score, per-1k, findings, "e/d",
/// words), as printed.
fn summary_groups(summary: &str) -> BTreeMap<String, (String, String, u64, String, u64)> {
    let mut out = BTreeMap::new();
    let lines: Vec<&str> = summary.lines().collect();
    let at = lines
        .iter()
        .position(|l| l.starts_with("Groups by score"))
        .expect("a groups table");
    for line in &lines[at + 2..] {
        if line.trim().is_empty() || line.trim_start().starts_with('(') {
            break;
        }
        let f: Vec<&str> = line.split_whitespace().collect();
        out.insert(
            f[6..].join(" "),
            (
                f[0].to_string(),
                f[1].to_string(),
                f[2].parse().unwrap(),
                f[3].to_string(),
                f[5].parse().unwrap(),
            ),
        );
    }
    out
}

#[test]
fn document_lines_sum_to_the_summary_groups_and_total() {
    let dir = dir_with_text(&[
        ("feed.jsonl", &dump(2600)),
        // Weights of a house's own, which the audit line must carry.
        (
            "mtlint.toml",
            "[score]\nerror = 7\nwarning = 1.5\ninfo = 0.25\nmin-words = 40\n",
        ),
    ]);
    let args = |format: &str| -> Vec<String> {
        [
            "check",
            "--config",
            "mtlint.toml",
            "--group-by",
            "field:source",
            "--exit-zero",
            "--format",
            format,
            "feed.jsonl",
        ]
        .iter()
        .map(|s| s.to_string())
        .collect()
    };
    let mut jsonl_args = args("jsonl");
    jsonl_args.push("--jsonl-documents".into());
    let out = mtlint()
        .current_dir(dir.path())
        .args(&jsonl_args)
        .output()
        .unwrap();
    assert!(out.status.success());
    let docs = lines(&String::from_utf8(out.stdout).unwrap());
    let w = &docs[0]["weights"];
    let weights = (
        w["error"].as_f64().unwrap(),
        w["warning"].as_f64().unwrap(),
        w["info"].as_f64().unwrap(),
        w["min_words"].as_u64().unwrap(),
    );
    assert_eq!(weights, (7.0, 1.5, 0.25, 40));
    let summary = mtlint()
        .current_dir(dir.path())
        .args(args("summary"))
        .output()
        .unwrap();
    let summary = String::from_utf8(summary.stdout).unwrap();
    let table = summary_groups(&summary);
    let sums = sums(&docs);
    assert_eq!(sums.len(), 3);
    for (group, s) in &sums {
        let findings = s[2] + s[3] + s[4];
        let (p_score, p_density, p_findings, p_errors, p_words) =
            table.get(group).expect("the group is in the summary");
        assert_eq!(*p_findings, findings, "{group}");
        assert_eq!(*p_words, s[1], "{group}");
        assert_eq!(*p_errors, format!("{}/{}", s[5], s[0]), "{group}");
        assert_eq!(*p_score, format!("{:.1}", score(s, weights)), "{group}");
        let density = findings as f64 * 1000.0 / s[1] as f64;
        assert_eq!(*p_density, format!("{density:.1}"), "{group}");
    }
    // The total line: documents with an error of all documents, and score.
    let all = sums.values().fold([0u64; 6], |mut a, s| {
        for (x, y) in a.iter_mut().zip(s) {
            *x += y;
        }
        a
    });
    let total = summary.lines().find(|l| l.starts_with("Total:")).unwrap();
    assert!(
        total.contains(&format!(
            "score {:.1}; {} of {} documents with an error",
            score(&all, weights),
            all[5],
            all[0]
        )),
        "{total}"
    );
    assert!(total.contains(&format!("{} words", all[1])), "{total}");
}

#[test]
fn a_stream_slice_gives_its_documents_with_the_whole_files_lines() {
    let text = dump(40);
    let cut = text.match_indices('\n').nth(19).unwrap().0 + 1;
    let out = mtlint()
        .args([
            "check",
            "--isolated",
            "--format",
            "jsonl",
            "--jsonl-documents",
            "--input-format",
            "jsonl",
            "--stdin-filename",
            "feed.jsonl",
            "--stream-origin",
            &format!("21:{cut}"),
            "--exit-zero",
            "-",
        ])
        .write_stdin(&text[cut..])
        .output()
        .unwrap();
    assert!(out.status.success());
    let out = lines(&String::from_utf8(out.stdout).unwrap());
    let docs: Vec<&Value> = out.iter().filter(|v| kind(v) == Some("document")).collect();
    assert_eq!(docs.len(), 20);
    assert_eq!(docs[0]["record"], "rec-20");
    // Without --group-by, documents are grouped by the file's path.
    assert_eq!(docs[0]["group"], "feed.jsonl");
    let finding = out.iter().find(|v| kind(v).is_none()).unwrap();
    assert!(finding["line"].as_u64().unwrap() >= 21);
}

#[test]
fn prose_files_are_one_document_each() {
    let dir = dir_with_text(&[
        ("a.txt", "The ferry left the the harbour at dawn.\n"),
        ("b.txt", "The ferry left the harbour at dawn.\n"),
    ]);
    let (out, err, code) = run_in(
        dir.path(),
        &[
            "check",
            "--isolated",
            "--format",
            "jsonl",
            "--jsonl-documents",
            "--exit-zero",
            "a.txt",
            "b.txt",
        ],
    );
    assert_eq!(code, Some(0), "{err}");
    let out = lines(&out);
    let docs: Vec<&Value> = out.iter().filter(|v| kind(v) == Some("document")).collect();
    assert_eq!(docs.len(), 2);
    assert_eq!(docs[0]["path"], "a.txt");
    assert_eq!(docs[0]["record"], Value::Null);
    assert_eq!(docs[0]["findings"], 1);
    assert_eq!(docs[1]["findings"], 0);
    assert_eq!(docs[1]["words"], 7);
}

#[test]
fn only_with_the_jsonl_format() {
    let dir = dir_with_text(&[("a.txt", "Fine text.\n")]);
    for format in ["csv", "json", "summary"] {
        let (_, err, code) = run_in(
            dir.path(),
            &[
                "check",
                "--isolated",
                "--format",
                format,
                "--jsonl-documents",
                "a.txt",
            ],
        );
        assert_eq!(code, Some(2), "{format}");
        assert!(
            err.contains("--jsonl-documents applies only to --format jsonl"),
            "{err}"
        );
    }
}
