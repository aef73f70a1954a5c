//! What the integration tests share: running the `mtlint` binary, and the
//! temporary trees and CSV reports they run it on. Knows nothing of the
//! library's insides; each test file includes it with `mod common;` and
//! uses what it needs (hence `dead_code` is allowed: no file uses all).
#![allow(dead_code)]

use std::fs;
use std::path::Path;
use std::time::Duration;

use assert_cmd::Command;
use tempfile::TempDir;

/// The `mtlint` binary, to run with `assert_cmd`.
pub fn mtlint() -> Command {
    Command::cargo_bin("mtlint").expect("binary built")
}

/// [`mtlint`] killed after `limit`: a guard against a hang, not a measure
/// of speed.
pub fn mtlint_within(limit: Duration) -> Command {
    let mut cmd = mtlint();
    cmd.timeout(limit);
    cmd
}

/// The `mtlint` binary as a plain process, for tests that signal it, read
/// its output as it comes or close its pipes.
pub fn mtlint_process() -> std::process::Command {
    std::process::Command::new(assert_cmd::cargo::cargo_bin("mtlint"))
}

/// Runs `mtlint args` in `dir`: stdout and stderr (lossy UTF-8), exit code.
pub fn run_in(dir: &Path, args: &[&str]) -> (String, String, Option<i32>) {
    let out = mtlint().current_dir(dir).args(args).output().expect("runs");
    (
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
        out.status.code(),
    )
}

/// A temporary folder holding `files` (relative path, contents), folders
/// made as needed.
pub fn dir_with(files: &[(&str, &[u8])]) -> TempDir {
    let dir = TempDir::new().expect("temp dir");
    for (name, bytes) in files {
        let path = dir.path().join(name);
        if let Some(parent) = path.parent() {
            fs::create_dir_all(parent).expect("mkdir");
        }
        fs::write(path, bytes).expect("write fixture");
    }
    dir
}

/// [`dir_with`] for text files.
pub fn dir_with_text(files: &[(&str, &str)]) -> TempDir {
    let files: Vec<(&str, &[u8])> = files.iter().map(|&(n, t)| (n, t.as_bytes())).collect();
    dir_with(&files)
}

/// The rule id of every row of a CSV report (header skipped), for reports
/// whose fields hold no comma before the rule column.
pub fn rules_in(csv: &str) -> Vec<String> {
    csv.lines()
        .skip(1)
        .map(|l| l.split(',').nth(8).unwrap_or_default().to_string())
        .collect()
}

/// Asserts that a CSV run reported nothing (the header alone) and exited 0.
pub fn assert_no_findings(out: &std::process::Output) {
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert_eq!(
        stdout.lines().count(),
        1,
        "findings on clean text:\n{stdout}"
    );
    assert_eq!(
        out.status.code(),
        Some(0),
        "stderr: {}",
        String::from_utf8_lossy(&out.stderr)
    );
}

/// Makes a named pipe at `path` with the `mkfifo` command; whether it could
/// (tests that need one say they were skipped when it could not).
pub fn mkfifo(path: &Path) -> bool {
    std::process::Command::new("mkfifo")
        .arg(path)
        .status()
        .is_ok_and(|s| s.success())
}
