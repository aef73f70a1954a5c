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

/// The paths (first column) of a CSV report's rows.
fn paths_in(csv: &str) -> Vec<String> {
    csv.lines()
        .skip(1)
        .map(|l| l.split(',').next().unwrap_or_default().to_string())
        .collect()
}

/// With no path, a pipe on standard input is checked (`echo … | mtlint
/// check`), not the working folder; standard input from `/dev/null` (CI,
/// test harnesses) still walks `.`.
#[test]
fn no_path_reads_a_pipe_else_walks_the_folder() {
    let dir = dir_with_text(&[("walked.txt", ARTIFACT)]);
    let out = mtlint()
        .current_dir(dir.path())
        .args(["check", "--isolated"])
        .write_stdin("It ended in November. . Yes.\n")
        .output()
        .expect("runs");
    let stdout = String::from_utf8(out.stdout).expect("UTF-8");
    assert_eq!(paths_in(&stdout), ["-"], "{stdout}");
    assert_eq!(out.status.code(), Some(1));
    // A regular file on standard input is read too.
    let file = std::fs::File::open(dir.path().join("walked.txt")).expect("open");
    let out = common::mtlint_process()
        .current_dir(dir.path())
        .args(["check", "--isolated"])
        .stdin(file)
        .output()
        .expect("runs");
    assert_eq!(paths_in(&String::from_utf8_lossy(&out.stdout)), ["-"]);
    // Standard input from /dev/null (what std's `output()` gives): the
    // folder is walked.
    let out = common::mtlint_process()
        .current_dir(dir.path())
        .args(["check", "--isolated"])
        .stdin(std::process::Stdio::null())
        .output()
        .expect("runs");
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert_eq!(paths_in(&stdout), ["./walked.txt"], "{stdout}");
}

/// `--stdin-filename` names standard input: its format follows the name,
/// reports show it, and `[[input.files]]`, `[[overrides]]` and `exclude`
/// match it.
#[test]
fn stdin_filename_gives_standard_input_a_name() {
    let record = "{\"id\": \"r7\", \"body\": \"It ended in November. . Yes.\"}\n";
    let config = "exclude = [\"vendor/**\"]\n\
                  [[input.files]]\npaths = [\"feeds/**\"]\ntext-field = \"body\"\nid-field = \"id\"\n\
                  [[overrides]]\npaths = [\"quiet/**\"]\nignore = [\"stray-period\"]\n";
    let dir = dir_with_text(&[("mtlint.toml", config)]);
    let run = |name: &str, input: &str, extra: &[&str]| {
        let out = mtlint()
            .current_dir(dir.path())
            .args(["check", "--stdin-filename", name])
            .args(extra)
            .write_stdin(input)
            .output()
            .expect("runs");
        (
            String::from_utf8(out.stdout).expect("UTF-8"),
            out.status.code(),
        )
    };
    let (stdout, code) = run("feeds/day.jsonl", record, &[]);
    assert_eq!(code, Some(1), "{stdout}");
    let row = stdout.lines().nth(1).expect("a finding");
    assert!(row.starts_with("feeds/day.jsonl,r7,1,"), "{row}");
    // `-` given explicitly works the same.
    let (stdout, _) = run("feeds/day.jsonl", record, &["-"]);
    assert!(stdout.contains("feeds/day.jsonl,r7,"), "{stdout}");
    let (stdout, code) = run("quiet/a.txt", ARTIFACT, &[]);
    assert_eq!((paths_in(&stdout).len(), code), (0, Some(0)), "{stdout}");
    let (stdout, code) = run("vendor/a.txt", ARTIFACT, &[]);
    assert_eq!((paths_in(&stdout).len(), code), (0, Some(0)), "{stdout}");
    // A name for standard input when `-` is not among the paths is a mistake.
    let (_, stderr, code) = run_in(
        dir.path(),
        &["check", "mtlint.toml", "--stdin-filename", "a.txt"],
    );
    assert_eq!(code, Some(2), "{stderr}");
    assert!(stderr.contains("--stdin-filename"), "{stderr}");
}

/// `--force-exclude` (what the pre-commit hook passes): files named on the
/// command line are checked only when a walk would check them — a prose
/// or data extension, or `include` when it is set — and never when
/// `exclude` matches, and a data file without the text field is skipped as
/// a walk skips it; without the flag every named file is checked.
#[test]
fn force_exclude_filters_named_files_as_a_walk_would() {
    let bad_data = "{\"body\": \"no text field\"}\n";
    let files = [
        ("a.md", ARTIFACT),
        ("b.txt", ARTIFACT),
        ("build.py", "# It ended in November. . Yes.\n"),
        ("data.jsonl", bad_data),
        ("vendor/c.md", ARTIFACT),
    ];
    let dir = dir_with_text(&files);
    let named = ["a.md", "b.txt", "build.py", "data.jsonl", "vendor/c.md"];
    let run = |extra: &[&str]| {
        let mut args = vec!["check", "--exit-zero"];
        args.extend_from_slice(extra);
        args.extend_from_slice(&named);
        run_in(dir.path(), &args)
    };
    let (stdout, stderr, code) = run(&["--isolated", "--force-exclude"]);
    assert_eq!(code, Some(0), "{stderr}");
    let paths = paths_in(&stdout);
    assert_eq!(paths, ["a.md", "b.txt", "vendor/c.md"], "{stdout}");
    // Without the flag, every named file is read (and the data file has
    // no `text` field: exit 2).
    let (stdout, _, code) = run(&["--isolated"]);
    assert_eq!(code, Some(2));
    assert!(
        paths_in(&stdout).contains(&"build.py".to_string()),
        "{stdout}"
    );
    // The configuration's include and exclude apply to named files.
    std::fs::write(
        dir.path().join("mtlint.toml"),
        "include = [\"**/*.md\"]\nexclude = [\"vendor/**\"]\n",
    )
    .expect("config");
    let (stdout, stderr, code) = run(&["--force-exclude"]);
    assert_eq!(code, Some(0), "{stderr}");
    assert_eq!(paths_in(&stdout), ["a.md"], "{stdout}");
    // So does a named standard input.
    let out = mtlint()
        .current_dir(dir.path())
        .args(["check", "--force-exclude", "--stdin-filename", "notes.txt"])
        .write_stdin(ARTIFACT)
        .output()
        .expect("runs");
    assert_eq!(out.status.code(), Some(0));
    assert!(paths_in(&String::from_utf8_lossy(&out.stdout)).is_empty());
}

/// GitLab's Code Quality fields, as its documentation lists them: an array
/// of issues, each with a `description`, `check_name`, `fingerprint`,
/// `severity` (info, minor, major, critical, blocker) and `location.path`
/// with `location.lines.begin` or `location.positions.begin.line`.
const GITLAB_SCHEMA: &str = r#"{
  "type": "array",
  "items": {
    "type": "object",
    "required": ["description", "check_name", "fingerprint", "severity", "location"],
    "properties": {
      "description": {"type": "string", "minLength": 1},
      "check_name": {"type": "string", "minLength": 1},
      "fingerprint": {"type": "string", "minLength": 1},
      "severity": {"enum": ["info", "minor", "major", "critical", "blocker"]},
      "location": {
        "type": "object",
        "required": ["path"],
        "properties": {
          "path": {"type": "string", "pattern": "^[^/]"},
          "lines": {"type": "object", "required": ["begin"],
                    "properties": {"begin": {"type": "integer", "minimum": 1}}},
          "positions": {"type": "object", "required": ["begin"],
                        "properties": {"begin": {"type": "object", "required": ["line"],
                          "properties": {"line": {"type": "integer", "minimum": 1},
                                         "column": {"type": "integer", "minimum": 1}}}}}
        },
        "oneOf": [{"required": ["lines"]}, {"required": ["positions"]}]
      }
    }
  }
}"#;

/// `--format gitlab` writes a Code Quality report that has GitLab's
/// documented fields, with fingerprints unique per issue and unchanged when
/// lines are inserted above.
#[test]
fn gitlab_code_quality_report() {
    let text = format!("{ARTIFACT}{ARTIFACT}Mr. A met Mr. B and Mr C.\n");
    let dir = dir_with_text(&[("docs/a.txt", &text)]);
    let report = |dir: &std::path::Path| -> serde_json::Value {
        let abs = dir.join("docs").display().to_string();
        let (stdout, stderr, code) = run_in(
            dir,
            &[
                "check",
                &abs,
                "--isolated",
                "--format",
                "gitlab",
                "--fail-on",
                "error",
            ],
        );
        assert_eq!(code, Some(0), "{stderr}");
        serde_json::from_str(&stdout).expect("JSON")
    };
    let issues = report(dir.path());
    let schema: serde_json::Value = serde_json::from_str(GITLAB_SCHEMA).expect("schema");
    let validator = jsonschema::validator_for(&schema).expect("schema compiles");
    let errors: Vec<String> = validator
        .iter_errors(&issues)
        .map(|e| format!("{e} at {}", e.instance_path()))
        .collect();
    assert!(errors.is_empty(), "{errors:#?}\n{issues:#}");
    let list = issues.as_array().expect("array");
    assert_eq!(list.len(), 3, "{issues:#}");
    let first = &list[0];
    assert_eq!(first["check_name"], "stray-period");
    assert_eq!(first["severity"], "minor");
    assert_eq!(first["location"]["path"], "docs/a.txt");
    assert_eq!(first["location"]["positions"]["begin"]["line"], 1);
    assert_eq!(first["location"]["positions"]["begin"]["column"], 21);
    assert_eq!(list[2]["severity"], "info");
    let prints: Vec<&str> = list
        .iter()
        .map(|i| i["fingerprint"].as_str().unwrap())
        .collect();
    let mut unique = prints.clone();
    unique.sort();
    unique.dedup();
    assert_eq!(
        unique.len(),
        3,
        "two equal lines, two fingerprints: {prints:?}"
    );
    // A line inserted above moves the issues, not their fingerprints.
    std::fs::write(
        dir.path().join("docs/a.txt"),
        format!("A new first line.\n\n{text}"),
    )
    .expect("write");
    let moved = report(dir.path());
    let again: Vec<&str> = moved
        .as_array()
        .expect("array")
        .iter()
        .map(|i| i["fingerprint"].as_str().unwrap())
        .collect();
    assert_eq!(prints, again);
    assert_eq!(moved[0]["location"]["positions"]["begin"]["line"], 3);
    // The validator is live: an unknown severity fails it.
    let mut broken = issues.clone();
    broken[0]["severity"] = "warning".into();
    assert!(!validator.is_valid(&broken));
    // No findings: an empty array.
    let clean = dir_with_text(&[("a.txt", "Fine.\n")]);
    let (stdout, _, _) = run_in(
        clean.path(),
        &["check", "a.txt", "--isolated", "--format", "gitlab"],
    );
    assert_eq!(stdout, "[]\n");
}

/// The file at `path` in the repository.
fn repo_file(path: &str) -> String {
    let full = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join(path);
    std::fs::read_to_string(&full).unwrap_or_else(|e| panic!("{path}: {e}"))
}

/// The pre-commit hook passes exactly the formats a walk checks (not
/// `build.py` or `mtlint.toml`), and makes them respect `include`/`exclude`.
#[test]
fn the_pre_commit_hook_matches_what_a_walk_checks() {
    let hooks = repo_file(".pre-commit-hooks.yaml");
    let value = |key: &str| {
        hooks
            .lines()
            .find_map(|l| l.trim().strip_prefix(key))
            .unwrap_or_else(|| panic!("no `{key}` in the hook"))
            .trim()
            .to_string()
    };
    assert!(value("entry:").contains("--force-exclude"));
    let files = value("files:");
    let list = files
        .strip_prefix("(?i)\\.(")
        .and_then(|r| r.strip_suffix(")$"))
        .unwrap_or_else(|| panic!("unexpected files pattern {files}"));
    let mut hooked: Vec<&str> = list.split('|').collect();
    let mut walked: Vec<&str> = mtlint::engine::TEXT_EXTENSIONS.to_vec();
    hooked.sort_unstable();
    walked.sort_unstable();
    assert_eq!(hooked, walked);
}

/// The CI examples: GitHub's checks every format a walk checks and names
/// files with `--force-exclude`; GitLab's writes its Code Quality artifact
/// before the check that fails the job; neither installs from crates.io,
/// where mtlint is not published.
#[test]
fn the_ci_examples_cover_the_formats_and_keep_their_artifacts() {
    let github = repo_file("docs/ci/github-actions.yml");
    for ext in mtlint::engine::TEXT_EXTENSIONS {
        assert!(
            github.contains(&format!("'*.{ext}'")),
            "GitHub example misses .{ext}"
        );
    }
    for line in github.lines().filter(|l| l.contains("mtlint check")) {
        assert!(line.contains("--force-exclude"), "{line}");
    }
    let gitlab = repo_file("docs/ci/gitlab-ci.yml");
    let position = |needle: &str| {
        gitlab
            .find(needle)
            .unwrap_or_else(|| panic!("GitLab example lacks {needle}"))
    };
    let artifact = position("--format gitlab -o gl-code-quality-report.json --exit-zero");
    let failing = position("mtlint check --format text");
    assert!(
        artifact < failing,
        "the artifact is written after the failing check"
    );
    assert!(gitlab.contains("codequality: gl-code-quality-report.json"));
    for example in [&github, &gitlab] {
        let installs: Vec<&str> = example
            .lines()
            .filter(|l| l.contains("cargo install") && !l.trim_start().starts_with('#'))
            .collect();
        assert!(!installs.is_empty());
        for line in installs {
            assert!(line.contains("--git") || line.contains("--path"), "{line}");
        }
    }
    // CI tries the install command itself.
    assert!(repo_file(".ci/run").contains("cargo install --path . --locked --root"));
}

/// A CSV report's rows, parsed.
fn csv_rows(csv: &str) -> Vec<csv::StringRecord> {
    csv::Reader::from_reader(csv.as_bytes())
        .records()
        .map(|r| r.expect("CSV row"))
        .collect()
}

/// A Windows-1252 file: without `--encoding`, one `invalid-utf8` finding
/// whose message names the option; with it, the text is checked and every
/// position (byte offsets, columns, matched text) is that of the file.
#[test]
fn files_in_another_encoding_are_checked_with_their_own_offsets() {
    // "Café “Noir” closed in Décembre. . Then" in Windows-1252: é, the
    // curly quotes and é again are one byte each.
    let latin = b"Caf\xe9 \x93Noir\x94 closed in D\xe9cembre. . Then\n";
    let dir = dir_with(&[("old.txt", latin), ("sub/more.txt", latin)]);
    let (stdout, stderr, code) = run_in(dir.path(), &["check", "old.txt", "--isolated"]);
    assert_eq!(code, Some(1), "{stderr}");
    let rows = csv_rows(&stdout);
    assert_eq!(&rows[0][8], "invalid-utf8", "{stdout}");
    assert!(rows[0][11].contains("--encoding"), "{}", &rows[0][11]);

    for args in [
        &[
            "check",
            "old.txt",
            "--isolated",
            "--encoding",
            "windows-1252",
        ][..],
        &["check", "old.txt", "--isolated", "--encoding", "latin1"],
    ] {
        let (stdout, stderr, code) = run_in(dir.path(), args);
        assert_eq!(code, Some(1), "{stderr}");
        let rows = csv_rows(&stdout);
        let rules: Vec<&str> = rows.iter().map(|r| &r[8]).collect();
        assert_eq!(rules, ["stray-period"], "{stdout}");
        let row = &rows[0];
        let start: usize = row[6].parse().expect("byte_start");
        let end: usize = row[7].parse().expect("byte_end");
        assert_eq!(&latin[start..end], b". .");
        assert_eq!(start, 30);
        // Columns count characters: "Café “Noir” closed in Décembre" is 30.
        assert_eq!((&row[2], &row[3]), ("1", "31"));
        assert_eq!(&row[12], ". .");
    }
    // The matched text is the decoded text where it is not ASCII.
    let (stdout, _, _) = run_in(
        dir.path(),
        &[
            "check",
            "old.txt",
            "--isolated",
            "--encoding",
            "cp1252",
            "--format",
            "text",
        ],
    );
    assert!(
        stdout.contains("Café “Noir” closed in Décembre. . Then"),
        "{stdout}"
    );

    // `encoding` in [input], and per path in [[input.files]].
    std::fs::write(
        dir.path().join("mtlint.toml"),
        "[input]\nencoding = \"windows-1252\"\n",
    )
    .expect("config");
    let (stdout, _, _) = run_in(dir.path(), &["check", "old.txt"]);
    assert_eq!(csv_rows(&stdout)[0][8].to_string(), "stray-period");
    std::fs::write(
        dir.path().join("mtlint.toml"),
        "[[input.files]]\npaths = [\"sub/**\"]\nencoding = \"windows-1252\"\n",
    )
    .expect("config");
    let (stdout, _, _) = run_in(dir.path(), &["check", "old.txt", "sub/more.txt"]);
    let rules: Vec<String> = csv_rows(&stdout)
        .iter()
        .map(|r| format!("{} {}", &r[0], &r[8]))
        .collect();
    assert_eq!(
        rules,
        [
            "old.txt invalid-utf8",
            "old.txt stray-period",
            "sub/more.txt stray-period"
        ]
    );

    // Unknown labels are errors, on the command line and in the file.
    let (_, stderr, code) = run_in(
        dir.path(),
        &["check", "old.txt", "--encoding", "latin-9000"],
    );
    assert_eq!(code, Some(2));
    assert!(stderr.contains("unknown encoding `latin-9000`"), "{stderr}");
    std::fs::write(
        dir.path().join("mtlint.toml"),
        "[input]\nencoding = \"ebcdic\"\n",
    )
    .expect("config");
    let (_, stderr, code) = run_in(dir.path(), &["check", "old.txt"]);
    assert_eq!(code, Some(2));
    assert!(stderr.contains("mtlint.toml:2:12"), "{stderr}");
}

/// A UTF-16 file (byte-order mark) is skipped with a note, which now
/// points at `--encoding`; with it, the file is read.
#[test]
fn utf16_is_read_with_an_encoding() {
    let text = "It ended in November. . Yes.\n";
    let mut bytes = vec![0xFF, 0xFE];
    for unit in text.encode_utf16() {
        bytes.extend_from_slice(&unit.to_le_bytes());
    }
    let dir = dir_with(&[("wide.txt", &bytes)]);
    let (_, stderr, code) = run_in(dir.path(), &["check", "wide.txt", "--isolated"]);
    assert_eq!(code, Some(0), "{stderr}");
    assert!(stderr.contains("--encoding utf-16le"), "{stderr}");
    let (stdout, stderr, code) = run_in(
        dir.path(),
        &["check", "wide.txt", "--isolated", "--encoding", "utf-16le"],
    );
    assert_eq!(code, Some(1), "{stderr}");
    let rows = csv_rows(&stdout);
    assert_eq!(&rows[0][8], "stray-period");
    let start: usize = rows[0][6].parse().expect("byte_start");
    // Two bytes per character, after the two of the mark.
    assert_eq!(start, 2 + 2 * 20);
    assert_eq!(&rows[0][3], "21");
}

/// A scraped page: its navigation and footer are not the article.
const PAGE: &str = "<html><head><title>News</title></head><body>\n\
    <nav><ul><li><a href=\"/\">Home</a></li><li>Share</li></ul></nav>\n\
    <main><article><h1>Talks</h1><p>It ended in November. . Talks resume.</p></article>\n\
    <aside><p>Related</p></aside></main>\n\
    <footer><p>Back to top</p></footer></body></html>\n";

/// `--html-content`: `auto` (the default) checks the `<article>` (else
/// `<main>`, else the whole page) and says which with `--verbose`; `body`
/// is the whole page as before; `article`/`main` only those, a page
/// without one skipped with a note. The key works in mtlint.toml too.
#[test]
fn html_content_chooses_the_part_of_a_page() {
    let no_article = PAGE.replace("<article>", "").replace("</article>", "");
    let bare = "<html><body><nav>Home</nav><p>It ended in November. . Yes.</p></body></html>\n";
    let dir = dir_with_text(&[
        ("page.html", PAGE),
        ("plain.html", &no_article),
        ("bare.html", bare),
    ]);
    let rules = |file: &str, extra: &[&str]| {
        let mut args = vec!["check", file, "--isolated", "--exit-zero"];
        args.extend_from_slice(extra);
        let (stdout, stderr, _) = run_in(dir.path(), &args);
        let rules: Vec<String> = csv_rows(&stdout)
            .iter()
            .map(|r| format!("{} {}", &r[8], &r[12]))
            .collect();
        (rules, stderr)
    };
    let (found, stderr) = rules("page.html", &[]);
    assert_eq!(found, ["stray-period . ."], "{stderr}");
    assert_eq!(stderr, "", "notes only with --verbose");
    let (_, stderr) = rules("page.html", &["-v"]);
    assert!(
        stderr.contains("page.html: checked the <article> element"),
        "{stderr}"
    );
    let (found, _) = rules("page.html", &["--html-content", "body"]);
    assert!(
        found.contains(&"web-boilerplate-line Home".to_string()),
        "{found:?}"
    );
    assert!(found.len() >= 3, "{found:?}");
    // No <article>: <main>, which holds "Related" but not the nav.
    let (found, stderr) = rules("plain.html", &["--verbose"]);
    assert!(!found.iter().any(|f| f.ends_with("Home")), "{found:?}");
    assert!(stderr.contains("checked the <main> element"), "{stderr}");
    // Neither: the whole page, and it says so.
    let (found, stderr) = rules("bare.html", &["-v"]);
    assert!(
        found.contains(&"web-boilerplate-line Home".to_string()),
        "{found:?}"
    );
    assert!(stderr.contains("checked the whole page"), "{stderr}");
    let (found, stderr) = rules("bare.html", &["--html-content", "article"]);
    assert!(found.is_empty());
    assert!(stderr.contains("no <article> element"), "{stderr}");
    // In mtlint.toml, for every page or some.
    std::fs::write(
        dir.path().join("mtlint.toml"),
        "[input]\nhtml-content = \"body\"\n",
    )
    .expect("config");
    let (stdout, _, _) = run_in(dir.path(), &["check", "page.html", "--exit-zero"]);
    assert!(stdout.contains("Home"), "{stdout}");
    std::fs::write(
        dir.path().join("mtlint.toml"),
        "[input]\nhtml-content = \"nav\"\n",
    )
    .expect("config");
    let (_, stderr, code) = run_in(dir.path(), &["check", "page.html"]);
    assert_eq!(code, Some(2));
    assert!(stderr.contains("mtlint.toml:2:16"), "{stderr}");
}

/// A Markdown table's header cells are column names, not lines of page
/// furniture: a "Home" column is not web boilerplate.
#[test]
fn markdown_table_headers_are_not_boilerplate() {
    let table = "# Results\n\n| Home | Away | Score |\n|---|---|---|\n| Leeds | Hull | 2-1 |\n";
    let dir = dir_with_text(&[("results.md", table)]);
    let (stdout, stderr, code) = run_in(dir.path(), &["check", "results.md", "--isolated"]);
    assert_eq!(code, Some(0), "{stdout}{stderr}");
}

/// A house rule whose second example is wrong.
const HOUSE_RULE: &str = "id = \"house-word\"\nkind = \"phrase\"\ncategory = \"style\"\n\
    severity = \"info\"\nmessage = \"m\"\nsummary = \"A house word\"\nwhy = \"w\"\n\
    phrases = [\"utilize\"]\n\n[[example]]\ntext = \"We utilize it.\"\nexpect = [\"utilize\"]\n\n\
    [[example]]\ntext = \"We utilize that too.\"\nexpect = []\n";

/// `test-rules` without paths tests what `check` runs: the rules of
/// mtlint.toml too (its failing example fails the run).
#[test]
fn test_rules_tests_the_configured_rules() {
    let dir = dir_with_text(&[
        ("house/house-word.toml", HOUSE_RULE),
        ("mtlint.toml", "rules = [\"house/\"]\n"),
    ]);
    let (stdout, stderr, code) = run_in(dir.path(), &["test-rules"]);
    assert_eq!(code, Some(1), "{stdout}{stderr}");
    assert!(stdout.contains("FAIL house-word"), "{stdout}");
    // Ignored in the configuration, it is not what `check` runs.
    std::fs::write(
        dir.path().join("mtlint.toml"),
        "rules = [\"house/\"]\nignore = [\"house-word\"]\n",
    )
    .expect("config");
    let (stdout, _, code) = run_in(dir.path(), &["test-rules"]);
    assert_eq!(code, Some(0), "{stdout}");
    // Named paths are tested alone, as before.
    let (stdout, _, code) = run_in(dir.path(), &["test-rules", "house"]);
    assert_eq!(code, Some(1));
    assert!(stdout.starts_with("FAIL house-word"), "{stdout}");
    assert!(stdout.contains("1 rules, 2 examples"), "{stdout}");
}

/// `rules` shows the severity in effect and marks what configuration
/// turned off (instead of hiding it), with what changed and where;
/// `explain CATEGORY` lists a category's rules; `explain ID` shows the
/// rule's options.
#[test]
fn rules_and_explain_show_the_configuration() {
    let config = "ignore = [\"doubled-word\"]\n[severity]\nweb-boilerplate = \"info\"\n\
                  [[overrides]]\npaths = [\"legal/**\"]\nignore = [\"lowercase-sentence-start\"]\n";
    let dir = dir_with_text(&[("mtlint.toml", config)]);
    let (stdout, stderr, code) = run_in(dir.path(), &["rules"]);
    assert_eq!(code, Some(0), "{stderr}");
    let line = |id: &str| {
        stdout
            .lines()
            .find(|l| l.starts_with(&format!("{id} ")))
            .unwrap_or_else(|| panic!("{id} not listed:\n{stdout}"))
            .split_whitespace()
            .collect::<Vec<_>>()
    };
    assert_eq!(line("doubled-word")[3], "off");
    assert_eq!(line("web-boilerplate")[3], "info");
    assert_eq!(line("stray-period")[3], "warning");
    assert!(
        stdout.contains("doubled-word: off: ignore `doubled-word` ("),
        "{stdout}"
    );
    assert!(stdout.contains("mtlint.toml:1:11)"), "{stdout}");
    assert!(
        stdout.contains("lowercase-sentence-start: off in legal/**: [[overrides]]"),
        "{stdout}"
    );
    let (stdout, _, code) = run_in(dir.path(), &["explain", "repetition"]);
    assert_eq!(code, Some(0));
    assert!(stdout.starts_with("category repetition:"), "{stdout}");
    assert!(stdout.contains("repetition-loop"), "{stdout}");
    assert!(
        stdout.contains("doubled-word") && stdout.contains("off"),
        "{stdout}"
    );
    let (stdout, _, code) = run_in(dir.path(), &["explain", "repeated-sentence"]);
    assert_eq!(code, Some(0));
    assert!(stdout.contains("Options\n  min-words = "), "{stdout}");
    let (stdout, _, _) = run_in(dir.path(), &["explain", "doubled-word"]);
    assert!(stdout.contains("configured: off: ignore"), "{stdout}");
    let (_, stderr, code) = run_in(dir.path(), &["explain", "repetitoin"]);
    assert_eq!(code, Some(2));
    assert!(stderr.contains("did you mean `repetition`"), "{stderr}");
}
