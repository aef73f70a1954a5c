//! Data read as a stream of records (JSON Lines, CSV, TSV on standard input
//! and in files), `--stream-origin` and `--shard`, through the binary: the
//! same rows as a run over the whole file, each finding once among shards,
//! malformed records reported by line with the stream going on, and a closed
//! standard output ending a stream quietly.

mod common;

use std::collections::BTreeMap;
use std::io::{BufRead, BufReader, Write};
use std::process::Stdio;
use std::time::Duration;

use common::{dir_with, mtlint, mtlint_process, run_in};

/// A JSON Lines dump of `n` records from a few sources, artifacts in some.
fn dump(n: usize) -> String {
    let texts = [
        "The ministers met in Geneva on Monday and agreed a timetable.",
        "The the talks ended in November. . Officials said nothing.",
        "Prices rose by 4 per cent, the the statistics office said.",
        "Caf\\u00e9 owners met.\\nThey talked and talked about rents.",
        "A quiet day at the harbour; the ferries ran on time.",
    ];
    let mut out = String::new();
    for i in 0..n {
        out.push_str(&format!(
            "{{\"id\": \"doc-{i}\", \"source\": \"site-{}\", \"text\": \"{}\"}}\n",
            i % 4,
            texts[i % texts.len()]
        ));
    }
    out
}

/// Runs `mtlint check args` with `stdin` as standard input: stdout, stderr
/// and exit code.
fn with_stdin(dir: &std::path::Path, args: &[&str], stdin: &[u8]) -> (String, String, Option<i32>) {
    let out = mtlint()
        .current_dir(dir)
        .arg("check")
        .args(args)
        .write_stdin(stdin)
        .output()
        .expect("runs");
    (
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
        out.status.code(),
    )
}

/// The rows of a CSV report without its path column (standard input is
/// shown as `-`).
fn without_path(csv: &str) -> Vec<String> {
    csv.lines()
        .skip(1)
        .map(|l| l.split_once(',').map_or(l, |(_, rest)| rest).to_string())
        .collect()
}

/// Records on standard input give the rows the same file gives, record ids,
/// lines and byte offsets included.
#[test]
fn standard_input_streams_as_the_file() {
    let data = dump(3000);
    let dir = dir_with(&[("dump.jsonl", data.as_bytes())]);
    let (file, _, code) = run_in(dir.path(), &["check", "dump.jsonl", "--id-field", "id"]);
    assert_eq!(code, Some(1));
    let rows = without_path(&file);
    assert!(rows.len() > 1000, "{}", rows.len());
    let (stdin, err, code) = with_stdin(
        dir.path(),
        &["--input-format", "jsonl", "--id-field", "id", "-"],
        data.as_bytes(),
    );
    assert_eq!(code, Some(1), "{err}");
    assert_eq!(without_path(&stdin), rows);
    // CSV too, quoted line breaks and all.
    let mut csv = String::from("id,text\n");
    for i in 0..500 {
        csv.push_str(&format!(
            "{i},\"Line one the the.\nLine two. . End, \"\"quoted\"\".\"\n"
        ));
    }
    let dir = dir_with(&[("rows.csv", csv.as_bytes())]);
    let (file, _, _) = run_in(dir.path(), &["check", "rows.csv", "--id-column", "id"]);
    let (stdin, _, _) = with_stdin(
        dir.path(),
        &["--input-format", "csv", "--id-column", "id", "-"],
        csv.as_bytes(),
    );
    assert_eq!(without_path(&stdin), without_path(&file));
    assert_eq!(without_path(&file).len(), 1000);
}

/// A malformed line is reported with its line number, the records after it
/// are still checked, and the run exits 2.
#[test]
fn a_malformed_record_does_not_stop_the_stream() {
    let dir = dir_with(&[]);
    let mut data = dump(2000);
    data.insert_str(0, "{\"text\": \"Fine the the start.\"}\n{not json\n");
    let (out, err, code) = with_stdin(
        dir.path(),
        &["--input-format", "jsonl", "-"],
        data.as_bytes(),
    );
    assert_eq!(code, Some(2), "{err}");
    assert!(err.contains("-:2: malformed JSON"), "{err}");
    let rows = without_path(&out);
    assert!(
        rows.first().is_some_and(|r| r.starts_with("1,1,")),
        "{rows:?}"
    );
    // Findings near the end are there: the stream went on (the records
    // are named by their `id` field, the line is the next column).
    assert!(
        rows.iter().any(|r| r.starts_with("doc-1996,1999,")),
        "{}",
        rows.len()
    );
}

/// `--stream-origin`: a slice of a file on standard input reports the
/// lines, byte offsets and line-number record ids of the whole file.
#[test]
fn a_slice_reports_the_whole_files_positions() {
    let data = dump(400);
    let dir = dir_with(&[("dump.jsonl", data.as_bytes())]);
    let (whole, _, _) = run_in(dir.path(), &["check", "dump.jsonl"]);
    let line = 123;
    let offset: usize = data
        .split_inclusive('\n')
        .take(line - 1)
        .map(str::len)
        .sum();
    let origin = format!("{line}:{offset}");
    let (slice, err, code) = with_stdin(
        dir.path(),
        &["--input-format", "jsonl", "--stream-origin", &origin, "-"],
        &data.as_bytes()[offset..],
    );
    assert_eq!(code, Some(1), "{err}");
    let want: Vec<String> = without_path(&whole)
        .into_iter()
        .filter(|r| r.split(',').nth(1).and_then(|l| l.parse::<usize>().ok()) >= Some(line))
        .collect();
    assert!(!want.is_empty());
    assert_eq!(without_path(&slice), want);
    // Not for CSV, whose slices lack the header; nor a bad origin.
    let (_, err, code) = with_stdin(
        dir.path(),
        &["--input-format", "csv", "--stream-origin", "2:10", "-"],
        b"a\n",
    );
    assert_eq!(code, Some(2));
    assert!(err.contains("--stream-origin"), "{err}");
    let (_, err, code) = with_stdin(
        dir.path(),
        &["--input-format", "jsonl", "--stream-origin", "1:7", "-"],
        b"{}\n",
    );
    assert_eq!(code, Some(2));
    assert!(err.contains("LINE:BYTE"), "{err}");
}

/// Counts each row of a CSV report.
fn tally(csv: &str, into: &mut BTreeMap<String, usize>) {
    for row in csv.lines().skip(1) {
        *into.entry(row.to_string()).or_default() += 1;
    }
}

/// `--shard I/N` over a tree: the shards' findings together are the
/// unsharded run's, each exactly once; a bad shard is a usage error.
#[test]
fn shards_split_files_exactly() {
    let files: Vec<(String, String)> = (0..40)
        .map(|i| {
            (
                format!("news/part-{i}.txt"),
                format!("Story {i}. The the vote was close. . Turnout rose."),
            )
        })
        .collect();
    let refs: Vec<(&str, &[u8])> = files
        .iter()
        .map(|(n, t)| (n.as_str(), t.as_bytes()))
        .collect();
    let dir = dir_with(&refs);
    let (all, _, _) = run_in(dir.path(), &["check", "news"]);
    let mut want = BTreeMap::new();
    tally(&all, &mut want);
    assert_eq!(want.len(), 80);
    let n = 3;
    let mut got = BTreeMap::new();
    let mut sizes = Vec::new();
    for i in 1..=n {
        let shard = format!("{i}/{n}");
        let (out, _, _) = run_in(dir.path(), &["check", "news", "--shard", &shard]);
        sizes.push(out.lines().count() - 1);
        tally(&out, &mut got);
    }
    assert_eq!(got, want);
    assert!(sizes.iter().all(|&s| s > 0), "{sizes:?}");
    for bad in ["0/3", "4/3", "1/0", "x"] {
        let (_, err, code) = run_in(dir.path(), &["check", "news", "--shard", bad]);
        assert_eq!(code, Some(2), "{bad}");
        assert!(err.contains("I/N"), "{err}");
    }
}

/// `--shard I/N` on records streamed on standard input: split by record
/// id, each finding in exactly one shard; so are malformed records.
#[test]
fn shards_split_a_stream_by_record() {
    let mut data = dump(600);
    data.push_str("{broken\n");
    let dir = dir_with(&[]);
    let args = ["--input-format", "jsonl", "--id-field", "id", "-"];
    let (all, err, _) = with_stdin(dir.path(), &args, data.as_bytes());
    assert!(err.contains("-:601"), "{err}");
    let mut want = BTreeMap::new();
    tally(&all, &mut want);
    let mut got = BTreeMap::new();
    let mut errors = 0;
    for i in 1..=4 {
        let shard = format!("{i}/4");
        let mut sharded = args.to_vec();
        sharded.extend(["--shard", &shard]);
        let (out, err, _) = with_stdin(dir.path(), &sharded, data.as_bytes());
        errors += err.matches("-:601").count();
        let rows = out.lines().count() - 1;
        assert!(rows > 0 && rows < want.len(), "shard {shard}: {rows}");
        tally(&out, &mut got);
    }
    assert_eq!(got, want);
    assert_eq!(errors, 1);
}

/// A reader of the report that leaves after one line ends a stream on
/// standard input quietly: no error, no panic, and the exit code is the
/// run's (findings were reported: 1).
#[test]
fn a_closed_pipe_ends_a_stream_quietly() {
    let dir = dir_with(&[]);
    let mut child = mtlint_process()
        .current_dir(dir.path())
        .args(["check", "--input-format", "jsonl", "-"])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("spawn");
    let mut stdin = child.stdin.take().expect("stdin");
    let writer = std::thread::spawn(move || {
        let chunk = dump(2000);
        // Far more than the report's pipe holds; stops when mtlint leaves.
        for _ in 0..200 {
            if stdin.write_all(chunk.as_bytes()).is_err() {
                break;
            }
        }
    });
    let mut first = String::new();
    let stdout = child.stdout.take().expect("stdout");
    BufReader::new(stdout)
        .read_line(&mut first)
        .expect("a line");
    assert!(first.starts_with("path,"), "{first}");
    let start = std::time::Instant::now();
    let out = child.wait_with_output().expect("wait");
    writer.join().expect("writer");
    assert!(start.elapsed() < Duration::from_secs(60));
    assert_eq!(out.status.code(), Some(1));
    assert!(
        out.stderr.is_empty(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
}
