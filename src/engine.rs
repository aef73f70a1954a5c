//! Running rules over files: discovery (the `ignore` crate), reading, checking
//! in parallel with rayon, and handing results to a reporter in a fixed order.

use std::io::{self, Read};
use std::path::{Path, PathBuf};

use rayon::prelude::*;

use crate::document::{self, Document, InputFormat, InputOptions, InvalidUtf8, Segment};
use crate::finding::{Finding, Severity};
use crate::report::{FileInfo, Located, Reporter, file_info, locate, locate_records};
use crate::ruleset::Ruleset;

/// Extensions checked when a folder is walked: prose documents, as Vale and
/// other prose linters do (files named on the command line are checked
/// whatever their extension). Data formats — JSON Lines, CSV/TSV, generic
/// `.xml` — need field settings and are walked only when a `--glob` or
/// `include` names them.
pub const TEXT_EXTENSIONS: &[&str] = &[
    "txt", "text", "md", "markdown", "html", "htm", "xhtml", "rss", "atom", "xlf", "xliff", "po",
];

/// Most findings one rule may report in one file; past it the file gets a note.
pub const MAX_FINDINGS_PER_RULE: usize = 10_000;

/// Files checked in parallel per batch: results are reported batch by batch
/// in path order, so memory holds one batch of results, not the whole run.
const BATCH: usize = 512;

/// Something to check.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum Input {
    /// A file on disk, shown as given or as walked.
    File(PathBuf),
    /// Standard input, shown as `-`.
    Stdin,
}

impl Input {
    /// The path as reports show it.
    pub fn display(&self) -> String {
        match self {
            Input::File(p) => p.to_string_lossy().into_owned(),
            Input::Stdin => "-".to_string(),
        }
    }
}

/// Why a file produced no findings of its own.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Problem {
    /// The file could not be read (an error: exit code 2).
    Unreadable(String),
    /// The file looks binary and was skipped (a note, not an error).
    Binary,
    /// A rule hit [`MAX_FINDINGS_PER_RULE`]; the rest were dropped (a note).
    Truncated(String),
    /// A record (JSONL line, CSV row, feed item, translation unit, PO entry)
    /// could not be read; the rest of the file was checked (an error).
    Record {
        /// 1-based line where the record starts.
        line: usize,
        /// What is wrong with it.
        message: String,
    },
}

/// The outcome of checking one input.
#[derive(Debug)]
pub struct FileResult {
    /// The path as reports show it.
    pub path: String,
    /// Findings with positions, sorted by byte offset then rule id.
    pub rows: Vec<Located>,
    /// Anything that went wrong or was skipped.
    pub problems: Vec<Problem>,
    /// Words and suppression comments of the file (empty when unread or binary).
    pub info: FileInfo,
}

/// Checks a document with every rule; findings are sorted.
pub fn check_document(ruleset: &Ruleset, doc: &Document<'_>) -> (Vec<Finding>, Vec<Problem>) {
    let mut findings = Vec::new();
    let mut problems = Vec::new();
    ruleset.run_checks(doc, &mut findings, |check, findings, before| {
        if findings.len() - before > MAX_FINDINGS_PER_RULE {
            findings.truncate(before + MAX_FINDINGS_PER_RULE);
            problems.push(Problem::Truncated(check.meta().id.clone()));
        }
    });
    findings.sort_by(|a, b| a.sort_key().cmp(&b.sort_key()));
    (findings, problems)
}

/// Checks the bytes of a plain-text file: the library entry point.
pub fn check_bytes(ruleset: &Ruleset, bytes: &[u8]) -> Vec<Finding> {
    check_plain(ruleset, bytes).0
}

/// A plain-text file longer than one segment (see `MAX_SEGMENT_BYTES`, split
/// at paragraph boundaries) is checked part by part, in parallel: a 100 MB
/// dump uses every core, and each part's tokens are freed as soon as it is
/// done. Document-level rules (consistency, repeated sentences) compare
/// within a part; the split depends on the text only, never on `--jobs`.
fn check_plain(ruleset: &Ruleset, bytes: &[u8]) -> (Vec<Finding>, Vec<Problem>) {
    let (doc, invalid) = document::plain_text(bytes);
    let (mut findings, problems) = if doc.segments.len() > 1 {
        // (text, offset in the file) of each part: plain-text segments are verbatim.
        let pieces: Vec<(&str, usize)> = doc
            .segments
            .iter()
            .map(|s| (s.text(), s.original(0..0).start))
            .collect();
        let parts: Vec<(Vec<Finding>, Vec<Problem>)> = pieces
            .par_iter()
            .map(|&(text, base)| {
                let part = Document {
                    segments: vec![Segment::verbatim(text, base)],
                    ..Document::default()
                };
                check_document(ruleset, &part)
            })
            .collect();
        let mut findings = Vec::new();
        let mut problems: Vec<Problem> = Vec::new();
        for (f, p) in parts {
            findings.extend(f);
            for problem in p {
                if !problems.contains(&problem) {
                    problems.push(problem);
                }
            }
        }
        findings.sort_by(|a, b| a.sort_key().cmp(&b.sort_key()));
        (findings, problems)
    } else {
        check_document(ruleset, &doc)
    };
    if let Some(f) = invalid.and_then(|bad| invalid_utf8(ruleset, bytes, bad)) {
        findings.push(f);
        findings.sort_by(|a, b| a.sort_key().cmp(&b.sort_key()));
    }
    (findings, problems)
}

/// Checks the bytes of a file as `format`: findings (sorted) with the
/// record each is in, and the records that could not be read. The library
/// entry point for every input format.
pub fn check_bytes_as(
    ruleset: &Ruleset,
    bytes: &[u8],
    format: InputFormat,
    options: &InputOptions,
) -> (Vec<(Finding, Option<String>)>, Vec<Problem>) {
    if format == InputFormat::Text {
        let (findings, problems) = check_plain(ruleset, bytes);
        return (findings.into_iter().map(|f| (f, None)).collect(), problems);
    }
    check_structured(ruleset, bytes, format, options)
}

/// The finding of the built-in invalid UTF-8 rule, unless it is deselected.
fn invalid_utf8(ruleset: &Ruleset, bytes: &[u8], bad: InvalidUtf8) -> Option<Finding> {
    let rule = ruleset.invalid_utf8()?;
    let shown: String = bytes
        .get(bad.first.clone())
        .unwrap_or_default()
        .iter()
        .map(|b| format!("0x{b:02X} "))
        .collect();
    let more = match bad.count {
        1 => String::new(),
        n => format!("; {} more invalid sequences in this file", n - 1),
    };
    let message = format!(
        "invalid UTF-8 ({}) — the file is not UTF-8 text{more}",
        shown.trim_end()
    );
    Some(Finding::new(rule, bad.first, message, None))
}

/// Checks a file of a structured format: every document on its own, each
/// finding tagged with its record; malformed records become problems.
fn check_structured(
    ruleset: &Ruleset,
    bytes: &[u8],
    format: InputFormat,
    options: &InputOptions,
) -> (Vec<(Finding, Option<String>)>, Vec<Problem>) {
    let (text, invalid) = document::decode(bytes);
    let parsed = document::parse(&text, format, options);
    let mut findings = Vec::new();
    let mut problems = Vec::new();
    for doc in &parsed.documents {
        let (found, p) = check_document(ruleset, doc);
        for p in p {
            // One note per rule and file, however many records hit the cap.
            if !problems.contains(&p) {
                problems.push(p);
            }
        }
        findings.extend(found.into_iter().map(|f| (f, doc.record.clone())));
    }
    findings.extend(
        invalid
            .and_then(|bad| invalid_utf8(ruleset, bytes, bad))
            .map(|f| (f, None)),
    );
    findings.sort_by(|(a, _), (b, _)| a.sort_key().cmp(&b.sort_key()));
    problems.extend(parsed.errors.into_iter().map(|e| Problem::Record {
        line: e.line,
        message: e.message,
    }));
    (findings, problems)
}

fn read_input(input: &Input) -> io::Result<Vec<u8>> {
    match input {
        Input::File(p) => std::fs::read(p),
        Input::Stdin => {
            let mut buf = Vec::new();
            io::stdin().lock().read_to_end(&mut buf)?;
            Ok(buf)
        }
    }
}

/// Reads and checks one input in its format (`options.format`, else by its
/// extension; standard input is plain text unless a format is given).
/// Never panics on input: errors become problems.
pub fn check_input(ruleset: &Ruleset, input: &Input, options: &InputOptions) -> FileResult {
    let path = input.display();
    let bytes = match read_input(input) {
        Ok(b) => b,
        Err(e) => {
            return FileResult {
                path,
                rows: Vec::new(),
                problems: vec![Problem::Unreadable(e.to_string())],
                info: FileInfo::default(),
            };
        }
    };
    if document::looks_binary(&bytes) {
        return FileResult {
            path,
            rows: Vec::new(),
            problems: vec![Problem::Binary],
            info: FileInfo::default(),
        };
    }
    let format = options.format.unwrap_or_else(|| match input {
        Input::File(p) => InputFormat::detect(p, &bytes),
        Input::Stdin => InputFormat::Text,
    });
    let (rows, problems) = if format == InputFormat::Text {
        let (findings, problems) = check_plain(ruleset, &bytes);
        (locate(&bytes, findings), problems)
    } else {
        let (findings, problems) = check_structured(ruleset, &bytes, format, options);
        (locate_records(&bytes, findings), problems)
    };
    FileResult {
        path,
        rows,
        problems,
        info: file_info(&bytes),
    }
}

/// Input settings for `[[input.files]]` globs: how the files they match are read.
#[derive(Clone, Debug)]
pub struct FileInput {
    /// Globs relative to [`InputSettings::base`].
    pub paths: globset::GlobSet,
    /// How matching files are read.
    pub options: InputOptions,
}

/// How every input of a run is read: the defaults, and settings for some paths.
#[derive(Clone, Debug, Default)]
pub struct InputSettings {
    /// For inputs no entry of `files` matches (and standard input).
    pub default: InputOptions,
    /// Per-path settings; the last entry that matches an input wins.
    pub files: Vec<FileInput>,
    /// The folder `files` globs are relative to (the configuration file's).
    pub base: PathBuf,
    /// The working directory, against which relative input paths are joined.
    pub cwd: PathBuf,
}

impl InputSettings {
    /// Settings that read every input with `options`.
    pub fn uniform(options: InputOptions) -> Self {
        InputSettings {
            default: options,
            ..InputSettings::default()
        }
    }

    /// The options for `input`.
    pub fn for_input(&self, input: &Input) -> &InputOptions {
        let Input::File(path) = input else {
            return &self.default;
        };
        if self.files.is_empty() {
            return &self.default;
        }
        let full = lexical(&self.cwd.join(path));
        let base = lexical(&self.base);
        let rel = full.strip_prefix(&base).unwrap_or(&full);
        let rel = crate::report::normalize_path(&rel.to_string_lossy());
        self.files
            .iter()
            .rev()
            .find(|f| f.paths.is_match(rel.as_str()))
            .map_or(&self.default, |f| &f.options)
    }
}

/// `path` with `.` and `..` resolved by name, as globs see paths.
fn lexical(path: &Path) -> PathBuf {
    let mut out = PathBuf::new();
    for part in path.components() {
        match part {
            std::path::Component::CurDir => {}
            std::path::Component::ParentDir => {
                if !out.pop() {
                    out.push(part);
                }
            }
            other => out.push(other),
        }
    }
    out
}

/// Totals of a run.
#[derive(Clone, Debug, Default)]
pub struct Summary {
    /// Inputs checked (binary and unreadable ones included).
    pub files: usize,
    /// Findings per severity: info, warning, error.
    pub findings: [usize; 3],
    /// Inputs that could not be read.
    pub unreadable: usize,
    /// Records that could not be read (their files were still checked).
    pub bad_records: usize,
}

impl Summary {
    /// Findings at or above `severity`.
    pub fn at_least(&self, severity: Severity) -> usize {
        self.findings[severity as usize..].iter().sum()
    }
}

/// Checks `inputs` on `jobs` threads and reports them in order. `note` gets
/// every problem as it is reported, for the caller to show.
pub fn run(
    ruleset: &Ruleset,
    inputs: &[Input],
    options: &InputSettings,
    jobs: usize,
    reporter: &mut dyn Reporter,
    note: &mut dyn FnMut(&str, &Problem),
) -> io::Result<Summary> {
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(jobs.max(1))
        .thread_name(|i| format!("mtlint-{i}"))
        .build()
        .map_err(io::Error::other)?;
    let mut summary = Summary::default();
    for batch in inputs.chunks(BATCH) {
        let results: Vec<FileResult> = pool.install(|| {
            batch
                .par_iter()
                .map(|i| check_input(ruleset, i, options.for_input(i)))
                .collect()
        });
        for result in results {
            summary.files += 1;
            for problem in &result.problems {
                match problem {
                    Problem::Unreadable(_) => summary.unreadable += 1,
                    Problem::Record { .. } => summary.bad_records += 1,
                    _ => {}
                }
                note(&result.path, problem);
            }
            for row in &result.rows {
                summary.findings[row.finding.severity as usize] += 1;
            }
            reporter.file_info(&result.path, &result.info)?;
            reporter.file(&result.path, &result.rows)?;
        }
    }
    reporter.finish()?;
    Ok(summary)
}

/// An error found while discovering inputs.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DiscoveryError {
    /// The path as given or walked.
    pub path: String,
    /// What went wrong.
    pub message: String,
}

fn walk_error(path: &Path, e: &ignore::Error) -> DiscoveryError {
    DiscoveryError {
        path: path.display().to_string(),
        message: e.to_string(),
    }
}

/// Expands paths into inputs: folders are walked (respecting .gitignore and
/// .ignore, skipping hidden files), `-` is standard input. `globs` include or
/// (with a leading `!`) exclude walked files; when one includes, the globs
/// alone decide, otherwise walked files must have a text extension.
pub fn discover(paths: &[String], globs: &[String]) -> (Vec<Input>, Vec<DiscoveryError>) {
    let mut inputs = Vec::new();
    let mut errors = Vec::new();
    let any_positive = globs.iter().any(|g| !g.starts_with('!'));
    for given in paths {
        if given == "-" {
            inputs.push(Input::Stdin);
            continue;
        }
        let path = Path::new(given);
        match std::fs::metadata(path) {
            Err(e) => {
                errors.push(DiscoveryError {
                    path: given.clone(),
                    message: e.to_string(),
                });
                continue;
            }
            Ok(m) if !m.is_dir() => {
                inputs.push(Input::File(path.to_path_buf()));
                continue;
            }
            Ok(_) => {}
        }
        let mut overrides = ignore::overrides::OverrideBuilder::new(path);
        for glob in globs {
            if let Err(e) = overrides.add(glob) {
                errors.push(DiscoveryError {
                    path: glob.clone(),
                    message: format!("invalid glob: {e}"),
                });
            }
        }
        let overrides = match overrides.build() {
            Ok(o) => o,
            Err(e) => {
                errors.push(DiscoveryError {
                    path: given.clone(),
                    message: format!("invalid glob: {e}"),
                });
                continue;
            }
        };
        let walker = ignore::WalkBuilder::new(path)
            .require_git(false)
            .overrides(overrides)
            .build();
        for entry in walker {
            match entry {
                Ok(e) => {
                    if !e.file_type().is_some_and(|t| t.is_file()) {
                        continue;
                    }
                    let known = e
                        .path()
                        .extension()
                        .and_then(|x| x.to_str())
                        .is_some_and(|x| TEXT_EXTENSIONS.iter().any(|t| t.eq_ignore_ascii_case(x)));
                    if any_positive || known {
                        inputs.push(Input::File(e.into_path()));
                    }
                }
                Err(e) => errors.push(walk_error(path, &e)),
            }
        }
    }
    inputs.sort_by_key(Input::display);
    inputs.dedup();
    (inputs, errors)
}
