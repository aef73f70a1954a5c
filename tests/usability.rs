//! What a new user trips over (issue 15): settings that silently do
//! nothing, standard input, encodings, colour, report files, CI formats.
//! Each test failed before its fix.

mod common;

use common::{dir_with, dir_with_text, mtlint, run_in};

const ARTIFACT: &str = "It ended in November. . The talks went on.\n";

/// Settings that leave no rule to run are an error (exit 2) that says so,
/// instead of a clean, empty report.
#[test]
fn settings_that_leave_no_rule_are_an_error() {
    let dir = dir_with_text(&[("a.txt", ARTIFACT)]);
    let cases: &[&[&str]] = &[
        &["--select", "punctuation", "--ignore", "punctuation"],
        &["--select", "stray-period", "--ignore", "all"],
        &["--no-default-rules"],
        &["--select", "suppression"],
    ];
    for args in cases {
        let mut all = vec!["check", "a.txt", "--isolated"];
        all.extend_from_slice(args);
        let (stdout, stderr, code) = run_in(dir.path(), &all);
        assert_eq!(code, Some(2), "{args:?}: {stdout}{stderr}");
        assert!(stderr.contains("no rule would run"), "{args:?}: {stderr}");
        assert!(stdout.is_empty(), "{args:?}: {stdout}");
    }
    // The configuration file is named where it leaves none.
    let dir = dir_with_text(&[("a.txt", ARTIFACT), ("mtlint.toml", "ignore = [\"all\"]\n")]);
    let (_, stderr, code) = run_in(dir.path(), &["check", "a.txt"]);
    assert_eq!(code, Some(2), "{stderr}");
    assert!(stderr.contains("mtlint.toml:1:11"), "{stderr}");
    // What still runs something is fine: the built-in rules chosen by name.
    for args in [
        &["--select", "invalid-utf8"][..],
        &["--select", "unused-disable", "--report-unused-disables"],
        &["--no-default-rules", "--select", "encoding"],
    ] {
        let mut all = vec!["check", "a.txt", "--isolated"];
        all.extend_from_slice(args);
        let (stdout, stderr, code) = run_in(dir.path(), &all);
        assert_eq!(code, Some(0), "{args:?}: {stdout}{stderr}");
    }
}

/// `--write-baseline` records the findings and says so in one line; the
/// report is not poured onto standard output (it still goes to `-o`).
#[test]
fn writing_a_baseline_prints_one_line() {
    let dir = dir_with_text(&[("a.txt", ARTIFACT), ("b.txt", ARTIFACT)]);
    let (stdout, stderr, code) = run_in(
        dir.path(),
        &["check", ".", "--isolated", "--write-baseline", "base.json"],
    );
    assert_eq!(code, Some(0), "{stderr}");
    assert_eq!(stdout, "", "the report went to standard output");
    assert_eq!(
        stderr.trim_end(),
        "mtlint: wrote 2 findings in 2 files to the baseline base.json"
    );
    assert!(dir.path().join("base.json").is_file());
    let (stdout, _, code) = run_in(
        dir.path(),
        &[
            "check",
            ".",
            "--isolated",
            "--write-baseline",
            "again.json",
            "-o",
            "r.csv",
        ],
    );
    assert_eq!((stdout.as_str(), code), ("", Some(0)));
    let report = std::fs::read_to_string(dir.path().join("r.csv")).expect("report");
    assert_eq!(report.lines().count(), 3, "{report}");
}

/// `-o` keeps the mode of the report it replaces and creates a new one as
/// any program would, 0666 less the umask (it was 0600 both ways).
#[cfg(unix)]
#[test]
fn report_files_get_the_usual_modes() {
    use std::os::unix::fs::PermissionsExt;
    let dir = dir_with_text(&[("a.txt", ARTIFACT), ("old.csv", "previous\n")]);
    let mode = |name: &str| {
        let meta = std::fs::metadata(dir.path().join(name)).expect("report");
        meta.permissions().mode() & 0o7777
    };
    let set = |name: &str, m: u32| {
        let perms = std::fs::Permissions::from_mode(m);
        std::fs::set_permissions(dir.path().join(name), perms).expect("chmod");
    };
    let binary = assert_cmd::cargo::cargo_bin("mtlint");
    let run_under = |umask: &str, out: &str| {
        let status = std::process::Command::new("sh")
            .current_dir(dir.path())
            .arg("-c")
            .arg(format!(
                "umask {umask} && exec \"$0\" check a.txt --isolated --exit-zero -o {out}"
            ))
            .arg(&binary)
            .status()
            .expect("sh");
        assert!(status.success());
    };
    for (old, umask) in [(0o644, "077"), (0o640, "000"), (0o600, "022")] {
        set("old.csv", old);
        run_under(umask, "old.csv");
        assert_eq!(mode("old.csv"), old, "umask {umask}");
    }
    for (umask, new) in [("022", 0o644), ("027", 0o640), ("077", 0o600)] {
        let name = format!("new-{umask}.csv");
        run_under(umask, &name);
        assert_eq!(mode(&name), new, "umask {umask}");
    }
}

/// After `-o`, one line on standard error says what the report holds —
/// only for a person at a terminal (a pseudo-terminal from `script` here;
/// the test says so and passes when there is no `script`).
#[test]
fn a_report_file_is_announced_on_a_terminal_only() {
    let dir = dir_with_text(&[
        ("a.txt", ARTIFACT),
        ("b.txt", ARTIFACT),
        ("c.txt", "Fine.\n"),
    ]);
    let (_, stderr, code) = run_in(dir.path(), &["check", ".", "--isolated", "-o", "r.csv"]);
    assert_eq!((stderr.as_str(), code), ("", Some(1)));
    let binary = assert_cmd::cargo::cargo_bin("mtlint");
    let command = format!("{} check . --isolated -o r.csv", binary.display());
    let Ok(out) = std::process::Command::new("script")
        .current_dir(dir.path())
        .args(["-qec", &command, "/dev/null"])
        .output()
    else {
        eprintln!("skipped: no `script` to make a terminal");
        return;
    };
    let shown = String::from_utf8_lossy(&out.stdout);
    assert!(
        shown.contains("mtlint: 2 findings in 2 files written to r.csv"),
        "{shown:?}"
    );
}

/// `--color always` colours the text report where no terminal is (CI logs
/// that render ANSI), over `NO_COLOR`; `never` and `auto` off a terminal
/// do not.
#[test]
fn color_can_be_forced_and_refused() {
    let dir = dir_with_text(&[("a.txt", ARTIFACT)]);
    let run = |color: &str, no_color: bool| {
        let mut cmd = mtlint();
        cmd.current_dir(dir.path()).args([
            "check",
            "a.txt",
            "--isolated",
            "--format",
            "text",
            "--color",
            color,
        ]);
        if no_color {
            cmd.env("NO_COLOR", "1");
        } else {
            cmd.env_remove("NO_COLOR");
        }
        let out = cmd.output().expect("runs");
        assert_eq!(out.status.code(), Some(1));
        String::from_utf8(out.stdout).expect("UTF-8")
    };
    assert!(run("always", false).contains("\x1b[1;33mwarning\x1b[0m"));
    assert!(run("always", true).contains("\x1b["));
    assert!(!run("never", false).contains('\x1b'));
    assert!(!run("auto", false).contains('\x1b'));
    let (_, stderr, code) = run_in(dir.path(), &["check", "a.txt", "--color", "sometimes"]);
    assert_eq!(code, Some(2), "{stderr}");
}
