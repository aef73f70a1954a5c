//! Rule loading under hostile input: regexes that compile to far more memory
//! than their text suggests, and `--rules` paths that are not files or folders.

mod common;

use std::fs;
use std::time::Duration;

use assert_cmd::Command;
use mtlint::{RuleError, Ruleset};
use tempfile::TempDir;

fn mtlint() -> Command {
    // A generous guard against a hang, not a measure of speed.
    common::mtlint_within(Duration::from_secs(120))
}

/// A pattern rule `id` with `body` appended (exceptions, usually).
fn pattern_rule(id: &str, pattern: &str, body: &str) -> String {
    format!(
        "id = \"{id}\"\nkind = \"pattern\"\ncategory = \"test\"\nseverity = \"warning\"\n\
         message = \"m\"\nsummary = \"s\"\nwhy = \"w\"\npattern = '{pattern}'\n{body}"
    )
}

/// `n` exceptions, each giving `regex` for every key.
fn exceptions(n: usize, regex: &str) -> String {
    format!("[[exception]]\nbefore = '{regex}'\nafter = '{regex}'\nmatched = '{regex}'\n").repeat(n)
}

/// The 1-based line of the first `[[exception]]` in `src`.
fn first_exception_line(src: &str) -> usize {
    src.lines()
        .position(|l| l == "[[exception]]")
        .expect("an exception")
        + 1
}

fn load_errors(file: &str, src: &str) -> Vec<RuleError> {
    Ruleset::from_sources(&[(file.to_string(), src.to_string())]).expect_err("must be refused")
}

/// The file that once took 1.4 GB and 20 s to load: 100 exceptions of
/// `\w{80}` (about 4.5 MB compiled each) in 7 KB. It is refused at the
/// exception that crosses the rule's limit, before the rest is compiled.
#[test]
fn many_large_exceptions_are_refused_naming_file_rule_and_line() {
    let dir = TempDir::new().expect("temp dir");
    let src = pattern_rule("adv", "x", &exceptions(100, r"\w{80}"));
    assert!(src.len() < 8_000, "{}", src.len());
    let path = dir.path().join("adv.toml");
    fs::write(&path, &src).expect("write");

    let out = mtlint()
        .args(["rules", "--isolated", "--no-default-rules", "--rules"])
        .arg(&path)
        .output()
        .expect("run");
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{stderr}");
    let first = first_exception_line(&src);
    let located = format!("{}:{}:", path.display(), first + 2);
    assert!(stderr.contains(&located), "want {located}: {stderr}");
    assert!(stderr.contains("rule `adv`"), "{stderr}");
    assert!(stderr.contains("size limit of 8388608 bytes"), "{stderr}");
    assert!(out.stdout.is_empty(), "no rule list: {stderr}");
}

/// Regexes that each fit, but not together: the one that crosses the limit
/// is named, not the first.
#[test]
fn the_limit_is_on_all_regexes_of_a_rule_together() {
    // `\w{40}` compiles to about 2.2 MB: three fit in 8 MiB, four do not.
    let body = "[[exception]]\nbefore = '\\w{40}'\n".repeat(6);
    let src = pattern_rule("sum", "x", &body);
    let errors = load_errors("sum.toml", &src);
    assert_eq!(errors.len(), 1, "{errors:?}");
    let e = &errors[0];
    assert_eq!(e.rule.as_deref(), Some("sum"), "{e}");
    assert!(e.message.contains("size limit"), "{e}");
    let line = e.line.expect("a line");
    let first = first_exception_line(&src);
    assert!(line > first + 1, "line {line}: {e}");
    assert!(e.message.contains("the regexes before it take"), "{e}");

    // A single one of them loads.
    let one = pattern_rule("sum", "x", "[[exception]]\nbefore = '\\w{40}'\n");
    Ruleset::from_sources(&[("sum.toml".into(), one)]).expect("one fits");
}

#[test]
fn too_many_exceptions_are_refused_at_the_first_one_too_many() {
    let body = "[[exception]]\nmatched = '^x$'\n".repeat(201);
    let src = pattern_rule("many", "x", &body);
    let e = &load_errors("many.toml", &src)[0];
    assert_eq!(e.rule.as_deref(), Some("many"), "{e}");
    assert!(e.message.contains("more than 200 [[exception]]"), "{e}");
    assert_eq!(
        e.line,
        Some(first_exception_line(&src) + 200 * 2 + 1),
        "{e}"
    );

    let body = "[[exception]]\nmatched = '^x$'\n".repeat(200);
    Ruleset::from_sources(&[("many.toml".into(), pattern_rule("many", "x", &body))])
        .expect("200 exceptions load");
}

/// An oversized rule is reported beside the other broken rules, and the
/// good ones are unaffected: like any broken rule, it is a configuration
/// error (exit 2).
#[test]
fn an_oversized_rule_is_one_error_among_others() {
    let dir = TempDir::new().expect("temp dir");
    let rules = dir.path().join("rules");
    fs::create_dir(&rules).expect("mkdir");
    fs::write(
        rules.join("adv.toml"),
        pattern_rule("adv", "x", &exceptions(100, r"\w{80}")),
    )
    .expect("write");
    fs::write(rules.join("broken.toml"), pattern_rule("broken", "(x", "")).expect("write");
    fs::write(rules.join("good.toml"), pattern_rule("good", "x", "")).expect("write");
    let out = mtlint()
        .args(["rules", "--isolated", "--no-default-rules", "--rules"])
        .arg(&rules)
        .output()
        .expect("run");
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{stderr}");
    assert!(stderr.contains("rule `adv`"), "{stderr}");
    assert!(stderr.contains("rule `broken`"), "{stderr}");
    assert!(!stderr.contains("good"), "{stderr}");

    fs::remove_file(rules.join("adv.toml")).expect("rm");
    fs::remove_file(rules.join("broken.toml")).expect("rm");
    let out = mtlint()
        .args(["rules", "--isolated", "--no-default-rules", "--rules"])
        .arg(&rules)
        .output()
        .expect("run");
    assert_eq!(out.status.code(), Some(0));
    assert!(String::from_utf8_lossy(&out.stdout).contains("good"));
}

/// Runs `mtlint rules` on `path` (with `--rules`) and returns the exit code
/// and standard error.
fn rules_on(path: &std::path::Path) -> (Option<i32>, String) {
    let out = mtlint()
        .args(["rules", "--isolated", "--no-default-rules", "--rules"])
        .arg(path)
        .output()
        .expect("run");
    (
        out.status.code(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

/// A named pipe given to `--rules` is an error naming it, found without
/// opening it (which would wait for a writer).
#[cfg(unix)]
#[test]
fn a_named_pipe_as_rules_is_an_error() {
    let dir = TempDir::new().expect("temp dir");
    let fifo = dir.path().join("pipe.toml");
    assert!(common::mkfifo(&fifo), "mkfifo {}", fifo.display());
    let (code, stderr) = rules_on(&fifo);
    assert_eq!(code, Some(2), "{stderr}");
    let want = format!(
        "{}: cannot read rules: this is a named pipe",
        fifo.display()
    );
    assert!(stderr.contains(&want), "want {want}: {stderr}");
}

/// A link to a device is named for what it links to.
#[cfg(unix)]
#[test]
fn a_link_to_a_device_as_rules_is_an_error() {
    let dir = TempDir::new().expect("temp dir");
    let link = dir.path().join("zero.toml");
    std::os::unix::fs::symlink("/dev/zero", &link).expect("symlink");
    let (code, stderr) = rules_on(&link);
    assert_eq!(code, Some(2), "{stderr}");
    let want = format!(
        "{}: cannot read rules: this is a symbolic link to a character device",
        link.display()
    );
    assert!(stderr.contains(&want), "want {want}: {stderr}");
}

/// Inside a rules folder, a `*.toml` that is a named pipe is a broken rule
/// file like any other: an error naming it, the other rules still checked.
/// Other special files (not `*.toml`) are not rules and are passed over, as
/// any other file that is not `*.toml` is.
#[cfg(unix)]
#[test]
fn a_named_pipe_inside_a_rules_folder_is_an_error_naming_it() {
    let dir = TempDir::new().expect("temp dir");
    let rules = dir.path().join("rules");
    fs::create_dir(&rules).expect("mkdir");
    fs::write(rules.join("good.toml"), pattern_rule("good", "x", "")).expect("write");
    fs::write(rules.join("broken.toml"), pattern_rule("broken", "(x", "")).expect("write");
    let fifo = rules.join("pipe.toml");
    assert!(common::mkfifo(&fifo), "mkfifo {}", fifo.display());
    assert!(common::mkfifo(&rules.join("notes")), "mkfifo notes");
    let (code, stderr) = rules_on(&rules);
    assert_eq!(code, Some(2), "{stderr}");
    let want = format!(
        "{}: cannot read rules: this is a named pipe",
        fifo.display()
    );
    assert!(stderr.contains(&want), "want {want}: {stderr}");
    assert!(stderr.contains("rule `broken`"), "{stderr}");
    assert!(!stderr.contains("notes"), "{stderr}");
    assert_eq!(stderr.matches("mtlint: error:").count(), 2, "{stderr}");
}

/// Links to a rule file and to a rules folder are followed.
#[cfg(unix)]
#[test]
fn links_to_a_rule_file_or_folder_are_followed() {
    let dir = TempDir::new().expect("temp dir");
    let rules = dir.path().join("rules");
    fs::create_dir(&rules).expect("mkdir");
    fs::write(rules.join("good.toml"), pattern_rule("good", "x", "")).expect("write");
    let to_file = dir.path().join("link").join("good.toml");
    fs::create_dir(dir.path().join("link")).expect("mkdir");
    std::os::unix::fs::symlink(rules.join("good.toml"), &to_file).expect("symlink");
    let to_folder = dir.path().join("rules-link");
    std::os::unix::fs::symlink(&rules, &to_folder).expect("symlink");
    for path in [to_file, to_folder] {
        let out = mtlint()
            .args(["rules", "--isolated", "--no-default-rules", "--rules"])
            .arg(&path)
            .output()
            .expect("run");
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(0), "{}: {stderr}", path.display());
        assert!(String::from_utf8_lossy(&out.stdout).contains("good"));
    }
}
