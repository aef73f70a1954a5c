//! Running rules over files: discovery (the `ignore` crate), reading, checking
//! in parallel with rayon, and handing results to a reporter in a fixed order.

use std::collections::BTreeMap;
use std::io::{self, Read};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::{Condvar, Mutex, mpsc};

use crate::document::{self, Document};
use crate::finding::{Finding, Severity};
use crate::report::{FileInfo, Located, Reporter, file_info, locate};
use crate::ruleset::Ruleset;

/// Extensions checked when a folder is walked (files named on the command
/// line are checked whatever their extension).
pub const TEXT_EXTENSIONS: &[&str] = &["txt", "text"];

/// Most findings one rule may report in one file; past it the file gets a note.
pub const MAX_FINDINGS_PER_RULE: usize = 10_000;

/// How far ahead of the next file to report the workers may go: results
/// wait in a reorder buffer of at most this many files (plus one per thread),
/// so memory holds a window of results, not the whole run, and one slow file
/// does not stall the others until it is the next to report.
const WINDOW: usize = 256;

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
    /// Checking the file hit a bug (a panic); its findings are lost, the run
    /// goes on (an error: exit code 2).
    Panicked(String),
    /// The input was not checked, for the reason given: a named pipe, a
    /// device, UTF-16 text (a note, not an error).
    Skipped(String),
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

fn check_plain(ruleset: &Ruleset, bytes: &[u8]) -> (Vec<Finding>, Vec<Problem>) {
    let (doc, invalid) = document::plain_text(bytes);
    let (mut findings, problems) = check_document(ruleset, &doc);
    if let (Some(bad), Some(rule)) = (invalid, ruleset.invalid_utf8()) {
        let shown: String = bytes[bad.first.clone()]
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
        findings.push(Finding::new(rule, bad.first, message, None));
        findings.sort_by(|a, b| a.sort_key().cmp(&b.sort_key()));
    }
    (findings, problems)
}

/// Why a path that is not a regular file must not be read, if it is not one.
/// Reading a named pipe blocks until a writer comes; a device such as
/// `/dev/zero` never ends.
fn special_file(meta: &std::fs::Metadata) -> Option<&'static str> {
    let kind = meta.file_type();
    if kind.is_file() || kind.is_dir() {
        return None;
    }
    #[cfg(unix)]
    {
        use std::os::unix::fs::FileTypeExt;
        if kind.is_fifo() {
            return Some("a named pipe (FIFO)");
        }
        if kind.is_socket() {
            return Some("a socket");
        }
        if kind.is_char_device() || kind.is_block_device() {
            return Some("a device");
        }
    }
    Some("not a regular file")
}

/// What to say about a file whose byte-order mark names an encoding other
/// than UTF-8 (its NUL bytes would otherwise make it look binary).
fn unsupported_encoding(bytes: &[u8]) -> Option<&'static str> {
    if bytes.starts_with(&[0xFF, 0xFE]) || bytes.starts_with(&[0xFE, 0xFF]) {
        return Some("UTF-16 text (byte-order mark) is not supported; convert it to UTF-8");
    }
    if bytes.starts_with(&[0x00, 0x00, 0xFE, 0xFF]) {
        return Some("UTF-32 text (byte-order mark) is not supported; convert it to UTF-8");
    }
    None
}

/// The bytes of `input`, or why it was skipped (`Ok(Err(reason))`).
fn read_input(input: &Input) -> io::Result<Result<Vec<u8>, String>> {
    match input {
        Input::File(p) => {
            // Look before opening: opening a FIFO blocks.
            if let Some(kind) = special_file(&std::fs::metadata(p)?) {
                return Ok(Err(format!("{kind} is not checked")));
            }
            let mut file = std::fs::File::open(p)?;
            let meta = file.metadata()?;
            if let Some(kind) = special_file(&meta) {
                return Ok(Err(format!("{kind} is not checked")));
            }
            // The size is only a hint: a file that shrinks or grows while it
            // is read is read to its end as it is then.
            let mut buf = Vec::with_capacity(usize::try_from(meta.len()).unwrap_or(0));
            file.read_to_end(&mut buf)?;
            Ok(Ok(buf))
        }
        Input::Stdin => {
            let mut buf = Vec::new();
            io::stdin().lock().read_to_end(&mut buf)?;
            Ok(Ok(buf))
        }
    }
}

/// Reads and checks one input. Never panics on input: errors become problems.
pub fn check_input(ruleset: &Ruleset, input: &Input) -> FileResult {
    let path = input.display();
    let skipped = |reason: String| FileResult {
        path: input.display(),
        rows: Vec::new(),
        problems: vec![Problem::Skipped(reason)],
        info: FileInfo::default(),
    };
    let bytes = match read_input(input) {
        Ok(Ok(b)) => b,
        Ok(Err(reason)) => return skipped(reason),
        Err(e) => {
            return FileResult {
                path,
                rows: Vec::new(),
                problems: vec![Problem::Unreadable(e.to_string())],
                info: FileInfo::default(),
            };
        }
    };
    if let Some(reason) = unsupported_encoding(&bytes) {
        return skipped(reason.to_string());
    }
    if document::looks_binary(&bytes) {
        return FileResult {
            path,
            rows: Vec::new(),
            problems: vec![Problem::Binary],
            info: FileInfo::default(),
        };
    }
    let (findings, problems) = check_plain(ruleset, &bytes);
    FileResult {
        path,
        rows: locate(&bytes, findings),
        problems,
        info: file_info(&bytes),
    }
}

/// [`check_input`], with a panic in a rule turned into a problem of this file
/// so that one bad input cannot take the rest of the report down with it.
fn check_caught(ruleset: &Ruleset, input: &Input) -> FileResult {
    std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| check_input(ruleset, input)))
        .unwrap_or_else(|payload| {
            let what = payload
                .downcast_ref::<&str>()
                .map(|s| (*s).to_string())
                .or_else(|| payload.downcast_ref::<String>().cloned())
                .unwrap_or_else(|| "unknown panic".to_string());
            FileResult {
                path: input.display(),
                rows: Vec::new(),
                problems: vec![Problem::Panicked(what)],
                info: FileInfo::default(),
            }
        })
}

/// Totals of a run.
#[derive(Clone, Debug, Default)]
pub struct Summary {
    /// Inputs checked (binary and unreadable ones included).
    pub files: usize,
    /// Findings per severity: info, warning, error.
    pub findings: [usize; 3],
    /// Inputs that could not be read, or whose check hit a bug.
    pub unreadable: usize,
    /// The run was stopped (Ctrl-C) before every input was reported.
    pub interrupted: bool,
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
    jobs: usize,
    reporter: &mut dyn Reporter,
    note: &mut dyn FnMut(&str, &Problem),
) -> io::Result<Summary> {
    run_until(
        ruleset,
        inputs,
        jobs,
        reporter,
        note,
        &AtomicBool::new(false),
    )
}

/// Like [`run`], but stops once `stop` is set (by a Ctrl-C handler): no file
/// is started after that, and no further result is reported; files already
/// being checked are finished and dropped. The reporter is then not
/// finished, and the summary says `interrupted`.
///
/// Workers take files in path order and send each result back; this thread
/// reports them in order from a reorder buffer. A worker waits while it is
/// [`WINDOW`] files ahead of the next file to report, so memory is bounded by
/// the window and the files being checked, whatever the number of inputs.
pub fn run_until(
    ruleset: &Ruleset,
    inputs: &[Input],
    jobs: usize,
    reporter: &mut dyn Reporter,
    note: &mut dyn FnMut(&str, &Problem),
    stop: &AtomicBool,
) -> io::Result<Summary> {
    let jobs = jobs.max(1);
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(jobs)
        .thread_name(|i| format!("mtlint-{i}"))
        .build()
        .map_err(io::Error::other)?;
    let mut summary = Summary::default();
    // `reported` is the index of the next result to report; workers wait on
    // `advanced` while they are a window ahead of it. `done` ends the run
    // early (interrupt or write error).
    let reported = Mutex::new(0usize);
    let advanced = Condvar::new();
    let next = AtomicUsize::new(0);
    let done = AtomicBool::new(false);
    let (tx, rx) = mpsc::channel::<(usize, FileResult)>();

    let worker = |tx: mpsc::Sender<(usize, FileResult)>| {
        loop {
            {
                let mut r = reported.lock().unwrap_or_else(|e| e.into_inner());
                while next.load(Ordering::SeqCst) >= *r + WINDOW
                    && !done.load(Ordering::SeqCst)
                    && !stop.load(Ordering::SeqCst)
                {
                    r = advanced.wait(r).unwrap_or_else(|e| e.into_inner());
                }
            }
            if done.load(Ordering::SeqCst) || stop.load(Ordering::SeqCst) {
                return;
            }
            let i = next.fetch_add(1, Ordering::SeqCst);
            let Some(input) = inputs.get(i) else {
                return;
            };
            if tx.send((i, check_caught(ruleset, input))).is_err() {
                return;
            }
        }
    };

    let outcome = std::thread::scope(|scope| {
        let (worker, pool) = (&worker, &pool);
        scope.spawn(move || {
            pool.scope(|s| {
                for _ in 0..jobs {
                    let tx = tx.clone();
                    s.spawn(move |_| worker(tx));
                }
            });
            // The last sender goes once every worker is done.
            drop(tx);
        });
        let result = report_in_order(&rx, inputs.len(), reporter, note, stop, &mut summary, |n| {
            *reported.lock().unwrap_or_else(|e| e.into_inner()) = n;
            advanced.notify_all();
        });
        // Release waiting workers, whatever happened; they see `done`.
        done.store(true, Ordering::SeqCst);
        {
            let _r = reported.lock().unwrap_or_else(|e| e.into_inner());
            advanced.notify_all();
        }
        drop(rx);
        result
    });
    outcome?;
    if summary.interrupted {
        return Ok(summary);
    }
    reporter.finish()?;
    Ok(summary)
}

/// Receives results in any order and reports them in input order; calls
/// `advance` with the count reported so far after each one.
fn report_in_order(
    rx: &mpsc::Receiver<(usize, FileResult)>,
    total: usize,
    reporter: &mut dyn Reporter,
    note: &mut dyn FnMut(&str, &Problem),
    stop: &AtomicBool,
    summary: &mut Summary,
    advance: impl Fn(usize),
) -> io::Result<()> {
    let mut pending: BTreeMap<usize, FileResult> = BTreeMap::new();
    let mut n = 0;
    while n < total {
        if stop.load(Ordering::SeqCst) {
            summary.interrupted = true;
            return Ok(());
        }
        let result = match pending.remove(&n) {
            Some(r) => r,
            None => {
                // Wake now and then to notice an interrupt while a long file
                // is being checked.
                match rx.recv_timeout(std::time::Duration::from_millis(100)) {
                    Ok((i, r)) => {
                        pending.insert(i, r);
                        continue;
                    }
                    Err(mpsc::RecvTimeoutError::Timeout) => continue,
                    Err(mpsc::RecvTimeoutError::Disconnected) => {
                        // Workers only quit early on `stop`.
                        summary.interrupted = true;
                        if stop.load(Ordering::SeqCst) {
                            return Ok(());
                        }
                        return Err(io::Error::other(
                            "internal error: the workers stopped early",
                        ));
                    }
                }
            }
        };
        summary.files += 1;
        for problem in &result.problems {
            if matches!(problem, Problem::Unreadable(_) | Problem::Panicked(_)) {
                summary.unreadable += 1;
            }
            note(&result.path, problem);
        }
        for row in &result.rows {
            summary.findings[row.finding.severity as usize] += 1;
        }
        reporter.file_info(&result.path, &result.info)?;
        reporter.file(&result.path, &result.rows)?;
        n += 1;
        advance(n);
    }
    Ok(())
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
    inputs.sort_by_cached_key(Input::display);
    inputs.dedup();
    (inputs, errors)
}
