//! What mtlint writes cannot be turned against its reader: control
//! characters from checked text and file names are shown, not sent, in every
//! human-facing output (and kept exact in the machine formats); `--csv-safe`
//! defuses formulas a spreadsheet would find after any separator; `-o` never
//! replaces an input, a symlink or the report itself being checked; and a
//! closed pipe does not hide findings from the exit code.

mod common;

use std::fs;
use std::io::{BufRead, BufReader};
use std::path::Path;
use std::process::Stdio;

use tempfile::TempDir;

use common::{dir_with, mkfifo, mtlint, mtlint_process};

const ARTIFACT: &str = "The talks ended in November. . The envoy left.\n";

/// Text that drives a terminal: clear the screen, set the window title (OSC
/// ended by BEL), a C1 CSI, and a right-to-left override.
const HOSTILE: &str =
    "Before \x1b[2J then \x1b]0;pwned\x07 and \u{9b}31m red \u{202e}txt.gpj\u{202c} end.\n";

/// A rule that flags every run of control or bidi characters and repeats
/// the match in its message, so that hostile text reaches every field.
const CONTROL_RULE: &str = r#"
id = "controls"
kind = "pattern"
category = "test"
severity = "warning"
message = "saw {match}"
summary = "s"
why = "w"
pattern = '[\x00-\x1f\x7f-\x9f\x{202a}-\x{202e}\x{2066}-\x{2069}]+'
"#;

/// Runs `check` in `dir` with the control rule only, returning the output.
fn check_controls(dir: &Path, args: &[&str]) -> std::process::Output {
    mtlint()
        .current_dir(dir)
        .args([
            "check",
            "--isolated",
            "--no-default-rules",
            "--rules",
            "controls.toml",
            "--exit-zero",
        ])
        .args(args)
        .output()
        .expect("run")
}

/// Characters that must never reach a terminal raw.
fn raw_control(text: &str) -> Option<char> {
    text.chars().find(|&c| {
        (c.is_control() && c != '\n')
            || ('\u{202a}'..='\u{202e}').contains(&c)
            || ('\u{2066}'..='\u{2069}').contains(&c)
    })
}

#[test]
fn human_formats_show_control_characters_escaped() {
    let dir = dir_with(&[
        ("controls.toml", CONTROL_RULE.as_bytes()),
        ("a.txt", HOSTILE.as_bytes()),
    ]);
    for format in ["text", "summary", "github"] {
        let out = check_controls(dir.path(), &["a.txt", "--format", format]);
        assert_eq!(out.status.code(), Some(0), "{format}: {out:?}");
        let stdout = String::from_utf8(out.stdout).expect("UTF-8");
        assert_eq!(raw_control(&stdout), None, "{format}: {stdout:?}");
        if format != "summary" {
            assert!(stdout.contains("saw \\x1b"), "{format}: {stdout}");
            assert!(stdout.contains("\\u{202e}"), "{format}: {stdout}");
            assert!(stdout.contains("\\x07"), "{format}: {stdout}");
        }
    }
}

#[test]
fn text_underline_lines_up_under_escaped_characters() {
    let dir = dir_with(&[
        ("controls.toml", CONTROL_RULE.as_bytes()),
        ("a.txt", b"ab\x1b\x1bcd\n"),
    ]);
    let out = check_controls(dir.path(), &["a.txt", "--format", "text"]);
    let stdout = String::from_utf8(out.stdout).expect("UTF-8");
    let lines: Vec<&str> = stdout.lines().collect();
    let source = lines.iter().position(|l| l.ends_with("ab\\x1b\\x1bcd"));
    let source = source.expect("source line shown escaped");
    let (shown, carets) = (lines[source], lines[source + 1]);
    let at = carets.find('^').expect("underline");
    let width = carets[at..].chars().take_while(|&c| c == '^').count();
    assert_eq!(&shown[at..at + width], "\\x1b\\x1b", "{stdout}");
}

#[test]
fn machine_formats_keep_control_characters_exact() {
    let dir = dir_with(&[
        ("controls.toml", CONTROL_RULE.as_bytes()),
        ("a.txt", HOSTILE.as_bytes()),
    ]);
    let csv = check_controls(dir.path(), &["a.txt", "--format", "csv"]).stdout;
    let rows: Vec<csv::StringRecord> = csv::Reader::from_reader(&csv[..])
        .records()
        .map(|r| r.expect("row"))
        .collect();
    assert_eq!(&rows[0][12], "\x1b");
    assert_eq!(&rows[0][11], "saw \x1b");
    let json = check_controls(dir.path(), &["a.txt", "--format", "json"]).stdout;
    let json: serde_json::Value = serde_json::from_slice(&json).expect("JSON");
    assert_eq!(json[1]["matched"], "\x1b");
    assert_eq!(json[3]["matched"], "\u{9b}");
    let sarif = check_controls(dir.path(), &["a.txt", "--format", "sarif"]).stdout;
    let sarif: serde_json::Value = serde_json::from_slice(&sarif).expect("JSON");
    let text = sarif["runs"][0]["results"][4]["message"]["text"].as_str();
    assert_eq!(text, Some("saw \u{202e}"));
}

/// A file named to forge a GitHub Actions command, or to clear the screen,
/// stays on its own line in every human-facing output and on stderr.
#[cfg(unix)]
#[test]
fn file_names_cannot_forge_lines() {
    let forged = "x.txt\n::error file=forged.txt::owned\x1b[2J.txt";
    let dir = dir_with(&[
        (forged, ARTIFACT.as_bytes()),
        ("bin\x1b]0;t\x07.txt", b"\0\0binary"),
    ]);
    for format in ["text", "summary", "github"] {
        let out = mtlint()
            .current_dir(dir.path())
            .args(["check", ".", "--isolated", "--format", format])
            .output()
            .expect("run");
        assert_eq!(out.status.code(), Some(1), "{format}: {out:?}");
        let stdout = String::from_utf8(out.stdout).expect("UTF-8");
        let stderr = String::from_utf8(out.stderr).expect("UTF-8");
        for text in [&stdout, &stderr] {
            assert_eq!(raw_control(text), None, "{format}: {text:?}");
            assert!(
                !text.lines().any(|l| l.starts_with("::error")),
                "{format}: {text}"
            );
        }
        assert!(stderr.contains("bin\\x1b]0;t\\x07.txt"), "{stderr}");
        if format == "github" {
            assert_eq!(stdout.lines().count(), 1, "{stdout}");
            assert!(
                stdout.starts_with("::warning file=x.txt%0A%3A%3Aerror file=forged.txt%3A%3Aowned\\x1b[2J.txt,line=1,"),
                "{stdout}"
            );
        } else {
            assert!(stdout.contains("x.txt\\n::error file="), "{stdout}");
        }
    }
}

/// A formula after a `;`, `,`, tab or `|` inside a long `matched` cell is
/// defused too: a spreadsheet that splits on that character would evaluate
/// the piece. Every cell is quoted.
#[test]
fn csv_safe_defuses_formulas_after_separators() {
    let rule = r#"
id = "sentence"
kind = "pattern"
category = "test"
severity = "warning"
message = "m"
summary = "s"
why = "w"
pattern = 'Wind from the north.*today\.'
"#;
    let dir = dir_with(&[
        ("sentence.toml", rule.as_bytes()),
        (
            "a.txt",
            b"Wind from the north;=1+2;|@SUM(A1)\t-3, +4;  =HYPERLINK(x) today.\n",
        ),
    ]);
    let out = mtlint()
        .current_dir(dir.path())
        .args(["check", "a.txt", "--isolated", "--no-default-rules"])
        .args(["--rules", "sentence.toml", "--exit-zero", "--csv-safe"])
        .output()
        .expect("run");
    assert_eq!(out.status.code(), Some(0), "{out:?}");
    let stdout = String::from_utf8(out.stdout).expect("UTF-8");
    let row = stdout.lines().nth(1).expect("one finding");
    assert!(row.starts_with("\"a.txt\",\"\",\"1\","), "{row}");
    let mut reader = csv::Reader::from_reader(stdout.as_bytes());
    let rows: Vec<csv::StringRecord> = reader.records().map(|r| r.expect("row")).collect();
    assert_eq!(
        &rows[0][12],
        "Wind from the north;'=1+2;|'@SUM(A1)\t'-3,' +4;'  =HYPERLINK(x) today."
    );
    // However a spreadsheet splits the cell, no piece starts like a formula.
    for sep in [',', ';', '\t', '|'] {
        for piece in rows[0][12].split(sep) {
            assert!(
                !piece.trim_start().starts_with(['=', '+', '-', '@']),
                "{sep:?}: {piece:?}"
            );
        }
    }
}

/// `-o` onto a file being checked is refused (exit 2) and the file is left
/// as it was, however the same file is named: as given, as `./a.txt`,
/// through a symbolic link or a hard link.
#[test]
fn output_onto_an_input_is_refused() {
    let dir = dir_with(&[("a.txt", ARTIFACT.as_bytes()), ("b.txt", b"Fine.\n")]);
    let mut cases = vec![
        ("a.txt", "a.txt"),
        ("./a.txt", "a.txt"),
        ("a.txt", "./a.txt"),
    ];
    #[cfg(unix)]
    {
        std::os::unix::fs::symlink("a.txt", dir.path().join("link.csv")).expect("symlink");
        fs::hard_link(dir.path().join("a.txt"), dir.path().join("hard.csv")).expect("link");
        cases.extend([
            ("a.txt", "link.csv"),
            ("a.txt", "hard.csv"),
            ("link.csv", "a.txt"),
        ]);
    }
    for (input, output) in cases {
        let out = mtlint()
            .current_dir(dir.path())
            .args(["check", "--isolated", "b.txt", input, "-o", output])
            .output()
            .expect("run");
        assert_eq!(out.status.code(), Some(2), "{input} -o {output}: {out:?}");
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert!(stderr.contains("refusing to replace"), "{stderr}");
        assert_eq!(
            fs::read_to_string(dir.path().join("a.txt")).expect("read"),
            ARTIFACT,
            "{input} -o {output}"
        );
    }
}

/// The report written into the folder being checked is not checked on the
/// next run (it is recognised by identity, however it is named). A text report
/// quotes the flagged lines, so checking it would find them again.
#[test]
fn the_report_in_a_walked_folder_is_not_checked() {
    let dir = dir_with(&[("docs/a.txt", ARTIFACT.as_bytes())]);
    for report in ["docs/report.txt", "./docs/notes.md"] {
        for _ in 0..2 {
            let out = mtlint()
                .current_dir(dir.path())
                .args(["check", "--isolated", "docs", "--format", "text"])
                .args(["-o", report])
                .output()
                .expect("run");
            assert_eq!(out.status.code(), Some(1), "{out:?}");
            assert!(out.stderr.is_empty(), "{out:?}");
            let text = fs::read_to_string(dir.path().join(report)).expect("report");
            assert!(text.contains("1 finding in 1 file"), "{report}: {text}");
        }
        fs::remove_file(dir.path().join(report)).expect("remove");
    }
}

/// `-o` onto a symbolic link writes the report to the link's target and
/// leaves the link a link.
#[cfg(unix)]
#[test]
fn output_through_a_symlink_keeps_the_link() {
    let dir = dir_with(&[("a.txt", ARTIFACT.as_bytes()), ("reports/r.csv", b"old\n")]);
    std::os::unix::fs::symlink("reports/r.csv", dir.path().join("out.csv")).expect("symlink");
    mtlint()
        .current_dir(dir.path())
        .args(["check", "--isolated", "a.txt", "-o", "out.csv"])
        .assert()
        .code(1);
    let link = fs::symlink_metadata(dir.path().join("out.csv")).expect("lstat");
    assert!(link.file_type().is_symlink(), "the link was replaced");
    let text = fs::read_to_string(dir.path().join("reports/r.csv")).expect("read");
    assert!(text.starts_with("path,record,line,"), "{text}");
    assert!(text.contains("stray-period"), "{text}");
}

/// Runs `check` on `dir`, reads one line of its output, closes the pipe and
/// returns the exit code and standard error.
fn exit_after_one_line(dir: &Path, args: &[&str]) -> (Option<i32>, String) {
    let mut child = mtlint_process()
        .current_dir(dir)
        .args(["check", ".", "--isolated", "-j", "2"])
        .args(args)
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("spawn");
    let stdout = child.stdout.take().expect("stdout");
    let mut first = String::new();
    BufReader::new(stdout)
        .read_line(&mut first)
        .expect("one line");
    assert!(!first.is_empty());
    // The reader (and with it the pipe) is dropped here.
    let out = child.wait_with_output().expect("wait");
    (
        out.status.code(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

/// `mtlint check … | head -1`: the findings reported before the pipe
/// closed still decide the exit code (1), in every streaming format, and
/// nothing is said about the pipe; findings below `--fail-on` give 0.
#[test]
fn a_closed_pipe_does_not_hide_findings() {
    let dir = TempDir::new().expect("temp dir");
    // Far more output than a pipe and the output buffer hold, over many
    // files, so that most are never reported.
    for i in 0..60 {
        fs::write(
            dir.path().join(format!("f{i:02}.txt")),
            ARTIFACT.repeat(100),
        )
        .expect("write");
    }
    for format in ["csv", "text", "json", "jsonl", "sarif", "github"] {
        let (code, stderr) = exit_after_one_line(dir.path(), &["--format", format]);
        assert_eq!(code, Some(1), "{format}: {stderr}");
        assert!(stderr.is_empty(), "{format}: {stderr}");
        let (code, stderr) =
            exit_after_one_line(dir.path(), &["--format", format, "--fail-on", "error"]);
        assert_eq!(code, Some(0), "{format} --fail-on error: {stderr}");
        assert!(stderr.is_empty(), "{format}: {stderr}");
    }
}

/// `mtlint check … 2>&1 | head`: a closed standard error loses the notes and
/// errors written to it, but never ends the run with a panic (exit 101); the
/// exit code is still the run's.
#[test]
fn closed_stderr_is_not_a_panic() {
    let dir = TempDir::new().expect("temp dir");
    fs::write(dir.path().join("a.txt"), ARTIFACT).expect("write");
    // A binary file (a note) and a missing one (an error) for stderr.
    fs::write(dir.path().join("b.txt"), b"\0\x01binary").expect("write");
    let mut child = mtlint_process()
        .current_dir(dir.path())
        .args(["check", "a.txt", "b.txt", "missing.txt"])
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .expect("spawn");
    drop(child.stderr.take());
    let status = child.wait().expect("wait");
    assert_eq!(status.code(), Some(2), "{status:?}");
}

/// `-o` onto a named pipe (as onto `/dev/null` or `/dev/stdout`) writes the
/// report into it: renaming a temporary file over it would replace the pipe
/// (or, as root, the device) with a regular file.
#[cfg(unix)]
#[test]
fn output_onto_a_named_pipe_writes_into_it() {
    use std::io::Read;
    use std::os::unix::fs::FileTypeExt;
    let dir = TempDir::new().expect("temp dir");
    fs::write(dir.path().join("a.txt"), ARTIFACT).expect("write");
    let fifo = dir.path().join("report.csv");
    if !mkfifo(&fifo) {
        eprintln!("mkfifo unavailable; skipped");
        return;
    }
    let reader = {
        let fifo = fifo.clone();
        std::thread::spawn(move || {
            let mut text = String::new();
            fs::File::open(fifo)
                .and_then(|mut f| f.read_to_string(&mut text))
                .map(|_| text)
        })
    };
    let out = mtlint()
        .current_dir(dir.path())
        .args(["check", "a.txt", "-o", "report.csv"])
        .timeout(std::time::Duration::from_secs(60))
        .output()
        .expect("run");
    assert_eq!(out.status.code(), Some(1), "{out:?}");
    // Checked first: were the pipe replaced, its reader would wait for ever.
    let kind = fs::symlink_metadata(&fifo)
        .expect("still there")
        .file_type();
    assert!(kind.is_fifo(), "the named pipe was replaced: {kind:?}");
    let report = reader.join().expect("reader").expect("read the pipe");
    assert!(report.contains("stray-period"), "{report}");
}
