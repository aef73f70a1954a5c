//! Output integrity at the command line: the same bytes for any `--jobs`,
//! order kept over many files, a closed pipe ends quietly, Ctrl-C never leaves
//! a half-written report, and `--csv-safe` defuses spreadsheet formulas.

mod common;

use std::fs;
use std::io::{Read, Write};
use std::path::Path;
use std::process::{Command as Process, Stdio};
use std::time::{Duration, Instant};

use proptest::prelude::*;
use tempfile::TempDir;

use common::{mtlint, mtlint_process};

const ARTIFACT: &str = "The talks ended in November. . The envoy left.\n";

fn write_tree(dir: &Path, files: &[(String, String)]) {
    for (name, text) in files {
        let path = dir.join(name);
        if let Some(parent) = path.parent() {
            fs::create_dir_all(parent).expect("mkdir");
        }
        fs::write(path, text).expect("write");
    }
}

fn report(dir: &Path, jobs: &str, format: &str) -> Vec<u8> {
    let out = mtlint()
        .current_dir(dir)
        .args(["check", ".", "--exit-zero", "--format", format, "-j", jobs])
        .output()
        .expect("run");
    assert_eq!(out.status.code(), Some(0), "{out:?}");
    out.stdout
}

fn prose() -> impl Strategy<Value = String> {
    let piece = prop_oneof![
        Just("The".to_string()),
        Just("the the".to_string()),
        Just("China, Japan, and China".to_string()),
        Just("Mr Blinken and Mr. Blinken".to_string()),
        "[a-zA-Zé]{1,8}",
        "[ .,;:!?\"“”'()«»…\\-]{1,3}",
        Just(" ".to_string()),
        Just("\n".to_string()),
        Just("\n\n".to_string()),
        Just(". .".to_string()),
    ];
    prop::collection::vec(piece, 0..40).prop_map(|parts| parts.concat())
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 12, ..ProptestConfig::default() })]

    /// Every format is byte-identical with one thread and with four.
    #[test]
    fn same_bytes_for_1_and_4_jobs(texts in prop::collection::vec(prose(), 1..12)) {
        let dir = TempDir::new().expect("temp dir");
        let files: Vec<(String, String)> = texts
            .into_iter()
            .enumerate()
            .map(|(i, t)| (format!("d{}/f{i:02}.txt", i % 3), t))
            .collect();
        write_tree(dir.path(), &files);
        for format in ["csv", "jsonl", "sarif"] {
            prop_assert_eq!(report(dir.path(), "1", format), report(dir.path(), "4", format));
        }
    }
}

/// More files than the reorder window, some far slower than the rest (big
/// ones), still come out in path order and identical for any thread count.
#[test]
fn order_is_kept_past_the_reorder_window() {
    let dir = TempDir::new().expect("temp dir");
    let big = ARTIFACT.repeat(2_000);
    let files: Vec<(String, String)> = (0..700)
        .map(|i| {
            let text = if i % 97 == 0 {
                big.clone()
            } else {
                ARTIFACT.to_string()
            };
            (format!("f{i:04}.txt"), text)
        })
        .collect();
    write_tree(dir.path(), &files);
    let one = report(dir.path(), "1", "csv");
    let three = report(dir.path(), "3", "csv");
    assert!(one == three, "-j1 and -j3 differ");
    let text = String::from_utf8(one).expect("utf-8");
    let paths: Vec<&str> = text
        .lines()
        .skip(1)
        .map(|l| l.split(',').next().unwrap_or(""))
        .collect();
    assert_eq!(paths.len(), 700 - 8 + 8 * 2_000);
    assert!(paths.windows(2).all(|w| w[0] <= w[1]), "rows out of order");
}

/// `mtlint check … | head`: the reader goes away early; mtlint ends quietly.
#[test]
fn closed_stdout_ends_quietly() {
    let dir = TempDir::new().expect("temp dir");
    // Far more output than a pipe buffers.
    fs::write(dir.path().join("a.txt"), ARTIFACT.repeat(5_000)).expect("write");
    for format in ["csv", "text", "json", "jsonl", "github"] {
        let mut child = mtlint_process()
            .current_dir(dir.path())
            .args(["check", "a.txt", "--format", format, "--exit-zero"])
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .expect("spawn");
        let mut stdout = child.stdout.take().expect("stdout");
        let mut first = [0u8; 64];
        stdout.read_exact(&mut first).expect("some output");
        drop(stdout);
        let out = child.wait_with_output().expect("wait");
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert!(!stderr.contains("panicked"), "{format}: {stderr}");
        assert!(stderr.is_empty(), "{format}: {stderr}");
        assert_eq!(out.status.code(), Some(0), "{format}: {stderr}");
    }
}

fn temp_reports(dir: &Path) -> Vec<String> {
    fs::read_dir(dir)
        .expect("read dir")
        .filter_map(|e| e.ok())
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|n| n.starts_with(".mtlint-") && n.ends_with(".tmp"))
        .collect()
}

/// Ctrl-C while a file is being read: exit 130, the previous report is left
/// untouched, and the temporary file is gone (whether the run stopped between
/// files or the grace period ran out first).
#[cfg(unix)]
#[test]
fn interrupt_keeps_the_previous_report() {
    let dir = TempDir::new().expect("temp dir");
    fs::write(dir.path().join("a.txt"), ARTIFACT).expect("write");
    fs::write(dir.path().join("out.csv"), "previous report\n").expect("write");
    // Standard input is read first ("-" sorts before any path) and blocks
    // until this test closes it: the run is caught in the middle.
    let mut child = mtlint_process()
        .current_dir(dir.path())
        .args(["check", "-", "a.txt", "-o", "out.csv", "-j1"])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("spawn");
    // The temporary report exists once the handler is installed.
    let deadline = Instant::now() + Duration::from_secs(60);
    while temp_reports(dir.path()).is_empty() {
        assert!(Instant::now() < deadline, "no temporary report appeared");
        std::thread::sleep(Duration::from_millis(20));
    }
    let status = Process::new("kill")
        .args(["-INT", &child.id().to_string()])
        .status()
        .expect("kill");
    assert!(status.success());
    // Once the handler has said so, the flag is set.
    let mut stderr = child.stderr.take().expect("stderr");
    let mut said = Vec::new();
    let mut byte = [0u8; 1];
    while !String::from_utf8_lossy(&said).contains("interrupted: stopping") {
        assert!(
            stderr.read(&mut byte).expect("read stderr") == 1,
            "{said:?}"
        );
        said.push(byte[0]);
    }
    let mut stdin = child.stdin.take().expect("stdin");
    stdin.write_all(ARTIFACT.as_bytes()).expect("write stdin");
    drop(stdin);
    stderr.read_to_end(&mut said).expect("read stderr");
    let out = child.wait_with_output().expect("wait");
    let stderr = String::from_utf8_lossy(&said);
    assert_eq!(out.status.code(), Some(130), "{stderr}");
    assert!(stderr.contains("stopped"), "{stderr}");
    assert_eq!(
        fs::read_to_string(dir.path().join("out.csv")).expect("read"),
        "previous report\n"
    );
    assert!(
        temp_reports(dir.path()).is_empty(),
        "temporary file left behind"
    );
}

/// SIGTERM (as `timeout` sends) while a file takes long (here: standard
/// input that never ends): the process does not wait for it, exits 130 within
/// the grace period, and leaves the previous report untouched.
#[cfg(unix)]
#[test]
fn terminate_does_not_wait_for_a_long_file() {
    let dir = TempDir::new().expect("temp dir");
    fs::write(dir.path().join("out.csv"), "previous report\n").expect("write");
    let mut child = mtlint_process()
        .current_dir(dir.path())
        .args(["check", "-", "-o", "out.csv"])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("spawn");
    let deadline = Instant::now() + Duration::from_secs(60);
    while temp_reports(dir.path()).is_empty() {
        assert!(Instant::now() < deadline, "no temporary report appeared");
        std::thread::sleep(Duration::from_millis(20));
    }
    let sent = Instant::now();
    let status = Process::new("kill")
        .args(["-TERM", &child.id().to_string()])
        .status()
        .expect("kill");
    assert!(status.success());
    // Standard input stays open: only the grace period can end the run.
    let stdin = child.stdin.take().expect("stdin");
    let out = child.wait_with_output().expect("wait");
    drop(stdin);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(130), "{stderr}");
    assert!(
        sent.elapsed() < Duration::from_secs(30),
        "{:?}",
        sent.elapsed()
    );
    assert_eq!(
        fs::read_to_string(dir.path().join("out.csv")).expect("read"),
        "previous report\n"
    );
    assert!(
        temp_reports(dir.path()).is_empty(),
        "temporary file left behind"
    );
}

/// Without an interrupt the same command replaces the report whole.
#[test]
fn output_file_is_replaced_whole() {
    let dir = TempDir::new().expect("temp dir");
    fs::write(dir.path().join("a.txt"), ARTIFACT).expect("write");
    fs::write(dir.path().join("out.csv"), "previous report\n").expect("write");
    mtlint()
        .current_dir(dir.path())
        .args(["check", "a.txt", "-o", "out.csv"])
        .assert()
        .code(1);
    let text = fs::read_to_string(dir.path().join("out.csv")).expect("read");
    assert!(text.starts_with("path,record,line,"), "{text}");
    assert!(text.contains("stray-period"), "{text}");
    assert!(temp_reports(dir.path()).is_empty());
}

/// Cells a spreadsheet would evaluate get a leading `'` with `--csv-safe`.
#[test]
fn csv_safe_defuses_formulas() {
    let dir = TempDir::new().expect("temp dir");
    let rule = r#"
id = "formula"
kind = "pattern"
category = "test"
severity = "warning"
message = "{match}"
summary = "s"
why = "w"
pattern = '[=+@-]\w+\([^)]*\)'
"#;
    fs::write(dir.path().join("formula.toml"), rule).expect("write");
    fs::write(
        dir.path().join("=evil.txt"),
        "Cells: =HYPERLINK(x) and +SUM(a) and -CMD(b) and @X(c).\n",
    )
    .expect("write");
    let run = |safe: bool| {
        let mut cmd = mtlint();
        cmd.current_dir(dir.path()).args([
            "check",
            "=evil.txt",
            "--isolated",
            "--no-default-rules",
            "--rules",
            "formula.toml",
            "--exit-zero",
        ]);
        if safe {
            cmd.arg("--csv-safe");
        }
        let out = cmd.output().expect("run");
        assert_eq!(out.status.code(), Some(0), "{out:?}");
        let mut reader = csv::Reader::from_reader(&out.stdout[..]);
        reader
            .records()
            .map(|r| r.expect("row"))
            .collect::<Vec<_>>()
    };
    let plain = run(false);
    assert_eq!(plain.len(), 4);
    assert_eq!(&plain[0][0], "=evil.txt");
    assert_eq!(&plain[0][11], "=HYPERLINK(x)");
    let safe = run(true);
    assert_eq!(safe.len(), 4);
    for row in &safe {
        for cell in row {
            assert!(
                !cell.starts_with(['=', '+', '-', '@', '\t', '\r']),
                "unsafe cell {cell:?}"
            );
        }
    }
    assert_eq!(&safe[0][0], "'=evil.txt");
    assert_eq!(&safe[0][11], "'=HYPERLINK(x)");
    assert_eq!(&safe[2][11], "'-CMD(b)");
    // Offsets are untouched.
    assert_eq!(&safe[0][5], &plain[0][5]);
    mtlint()
        .current_dir(dir.path())
        .args(["check", "=evil.txt", "--csv-safe", "--format", "json"])
        .assert()
        .code(2)
        .stderr(predicates::str::contains("--csv-safe"));
}
