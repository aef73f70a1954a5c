//! Inputs nobody should have to check, checked anyway: named pipes and
//! devices, symlink loops, unreadable files, files that vanish mid-run,
//! non-UTF-8 file names, UTF-16 text. Each case builds its input in a temp
//! folder; the big ones (a huge one-line file, a tree of many files) are in
//! `scripts/hostile.sh`, run by CI with a time bound.
#![cfg(unix)]

mod common;

use std::fs;
use std::path::Path;
use std::time::Duration;

use assert_cmd::Command;
use mtlint::Ruleset;
use mtlint::engine::{self, Problem};
use mtlint::report::{FileInfo, Located, Reporter};
use tempfile::TempDir;

const ARTIFACT: &[u8] = b"The talks ended in November. . The envoy left.\n";

fn mtlint() -> Command {
    common::mtlint_within(Duration::from_secs(60))
}

fn stderr_of(out: &std::process::Output) -> String {
    String::from_utf8_lossy(&out.stderr).into_owned()
}

#[test]
fn named_pipe_on_the_command_line_is_skipped_not_waited_for() {
    let dir = TempDir::new().expect("temp dir");
    let fifo = dir.path().join("pipe.txt");
    if !common::mkfifo(&fifo) {
        eprintln!("mkfifo unavailable; skipped");
        return;
    }
    fs::write(dir.path().join("a.txt"), ARTIFACT).expect("write");
    let out = mtlint()
        .current_dir(dir.path())
        .args(["check", "pipe.txt", "a.txt"])
        .output()
        .expect("run");
    let stderr = stderr_of(&out);
    assert_eq!(out.status.code(), Some(1), "{stderr}");
    assert!(
        stderr.contains("pipe.txt: a named pipe (FIFO) is not checked; skipped"),
        "{stderr}"
    );
    assert!(String::from_utf8_lossy(&out.stdout).contains("a.txt,,1,"));
    // A walked folder never reads it either.
    let out = mtlint()
        .current_dir(dir.path())
        .args(["check", ".", "--glob", "*"])
        .output()
        .expect("run");
    assert_eq!(out.status.code(), Some(1), "{}", stderr_of(&out));
}

#[test]
fn devices_are_skipped() {
    for device in ["/dev/null", "/dev/zero"] {
        if !Path::new(device).exists() {
            continue;
        }
        let out = mtlint().args(["check", device]).output().expect("run");
        let stderr = stderr_of(&out);
        assert_eq!(out.status.code(), Some(0), "{device}: {stderr}");
        assert!(stderr.contains("a device is not checked"), "{stderr}");
    }
}

#[test]
fn symlink_loops_end() {
    let dir = TempDir::new().expect("temp dir");
    let root = dir.path();
    fs::create_dir(root.join("sub")).expect("mkdir");
    fs::write(root.join("sub/a.txt"), ARTIFACT).expect("write");
    std::os::unix::fs::symlink("..", root.join("sub/up")).expect("symlink");
    std::os::unix::fs::symlink("loop2.txt", root.join("loop1.txt")).expect("symlink");
    std::os::unix::fs::symlink("loop1.txt", root.join("loop2.txt")).expect("symlink");
    // Walked: links are not followed, the real file is checked once.
    let out = mtlint()
        .current_dir(root)
        .args(["check", "."])
        .output()
        .expect("run");
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert_eq!(out.status.code(), Some(1), "{}", stderr_of(&out));
    assert_eq!(stdout.matches("stray-period").count(), 1, "{stdout}");
    // Named: a loop is an error for that path; the others are still checked.
    let out = mtlint()
        .current_dir(root)
        .args(["check", "loop1.txt", "sub/a.txt"])
        .output()
        .expect("run");
    let stderr = stderr_of(&out);
    assert_eq!(out.status.code(), Some(2), "{stderr}");
    assert!(stderr.contains("loop1.txt"), "{stderr}");
    assert!(String::from_utf8_lossy(&out.stdout).contains("stray-period"));
}

/// Root reads anything, so this test cannot fail a file for root (CI runs as
/// root): it finds out by trying.
#[test]
fn unreadable_file_is_an_error_and_the_rest_is_checked() {
    use std::os::unix::fs::PermissionsExt;
    let dir = TempDir::new().expect("temp dir");
    let locked = dir.path().join("locked.txt");
    fs::write(&locked, ARTIFACT).expect("write");
    fs::write(dir.path().join("open.txt"), ARTIFACT).expect("write");
    fs::set_permissions(&locked, fs::Permissions::from_mode(0o000)).expect("chmod");
    if fs::read(&locked).is_ok() {
        eprintln!("running as root (permissions are not enforced); skipped");
        return;
    }
    let out = mtlint()
        .current_dir(dir.path())
        .args(["check", "."])
        .output()
        .expect("run");
    let stderr = stderr_of(&out);
    assert_eq!(out.status.code(), Some(2), "{stderr}");
    assert!(stderr.contains("locked.txt: cannot read"), "{stderr}");
    assert!(String::from_utf8_lossy(&out.stdout).contains("open.txt,,1,"));
}

#[test]
fn non_utf8_file_name_is_shown_lossily_and_checked() {
    use std::ffi::OsStr;
    use std::os::unix::ffi::OsStrExt;
    let dir = TempDir::new().expect("temp dir");
    let name = OsStr::from_bytes(b"caf\xe9.txt");
    if fs::write(dir.path().join(name), ARTIFACT).is_err() {
        eprintln!("file system refuses non-UTF-8 names; skipped");
        return;
    }
    let out = mtlint()
        .current_dir(dir.path())
        .args(["check", "."])
        .output()
        .expect("run");
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert_eq!(out.status.code(), Some(1), "{}", stderr_of(&out));
    assert!(stdout.contains("caf\u{FFFD}.txt,,1,"), "{stdout}");
    assert!(stdout.contains("stray-period"), "{stdout}");
}

#[test]
fn utf16_is_reported_clearly() {
    let dir = TempDir::new().expect("temp dir");
    let mut le = vec![0xFF, 0xFE];
    le.extend(
        "In November. . Then.\n"
            .encode_utf16()
            .flat_map(u16::to_le_bytes),
    );
    let mut be = vec![0xFE, 0xFF];
    be.extend(
        "In November. . Then.\n"
            .encode_utf16()
            .flat_map(u16::to_be_bytes),
    );
    fs::write(dir.path().join("le.txt"), le).expect("write");
    fs::write(dir.path().join("be.txt"), be).expect("write");
    let out = mtlint()
        .current_dir(dir.path())
        .args(["check", "."])
        .output()
        .expect("run");
    let stderr = stderr_of(&out);
    assert_eq!(out.status.code(), Some(0), "{stderr}");
    for (name, label) in [("le.txt", "utf-16le"), ("be.txt", "utf-16be")] {
        assert!(
            stderr.contains(&format!(
                "{name}: UTF-16 text (byte-order mark): read it with --encoding {label}; skipped"
            )),
            "{stderr}"
        );
    }
}

struct Paths(Vec<String>);

impl Reporter for Paths {
    fn file_info(&mut self, _: &str, _: &FileInfo) -> std::io::Result<()> {
        Ok(())
    }
    fn file(&mut self, path: &str, _: &[Located]) -> std::io::Result<()> {
        self.0.push(path.to_string());
        Ok(())
    }
    fn finish(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

/// A file deleted after discovery is an error for that file only; a file
/// truncated after discovery is read as it is now.
#[test]
fn files_that_change_after_discovery() {
    let dir = TempDir::new().expect("temp dir");
    for name in ["a.txt", "b.txt", "c.txt"] {
        fs::write(dir.path().join(name), ARTIFACT.repeat(100)).expect("write");
    }
    let (inputs, errors) = engine::discover(&[dir.path().display().to_string()], &[], None);
    assert!(errors.is_empty());
    assert_eq!(inputs.len(), 3);
    fs::remove_file(dir.path().join("b.txt")).expect("rm");
    fs::write(dir.path().join("c.txt"), &ARTIFACT[..20]).expect("truncate");
    let rules = Ruleset::default_pack().expect("rules");
    let mut reporter = Paths(Vec::new());
    let mut problems = Vec::new();
    let settings = engine::InputSettings::default();
    let summary = engine::run(
        &rules,
        &inputs,
        &settings,
        2,
        &mut reporter,
        &mut |p: &str, problem: &Problem| problems.push((p.to_string(), problem.clone())),
    )
    .expect("run");
    assert_eq!(summary.files, 3);
    assert_eq!(summary.unreadable, 1);
    assert_eq!(reporter.0.len(), 3);
    assert_eq!(problems.len(), 1, "{problems:?}");
    assert!(problems[0].0.ends_with("b.txt"));
    assert!(matches!(problems[0].1, Problem::Unreadable(_)));
    // 100 artifacts in a.txt, none in the truncated c.txt.
    assert_eq!(summary.findings.iter().sum::<usize>(), 100);
}

/// A tree of a thousand small files, some in deep folders: all checked, in order.
#[test]
fn many_small_files() {
    let dir = TempDir::new().expect("temp dir");
    let mut deep = dir.path().to_path_buf();
    for i in 0..40 {
        deep.push(format!("d{i}"));
    }
    fs::create_dir_all(&deep).expect("mkdir");
    for i in 0..1_000 {
        let folder = if i % 10 == 0 {
            deep.clone()
        } else {
            dir.path().to_path_buf()
        };
        fs::write(folder.join(format!("f{i:04}.txt")), ARTIFACT).expect("write");
    }
    let out = mtlint()
        .current_dir(dir.path())
        .args(["check", ".", "-j", "2"])
        .output()
        .expect("run");
    assert_eq!(out.status.code(), Some(1), "{}", stderr_of(&out));
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert_eq!(stdout.lines().count(), 1 + 1_000);
}
