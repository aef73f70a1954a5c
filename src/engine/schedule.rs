//! The run loop: checks inputs on worker threads and hands each result to
//! the reporter in input order, through a bounded reorder window. Why it
//! cannot hang is written at [`run_until`].
//!
//! Knows nothing of formats or rules: an input is checked by
//! [`check_caught`], whatever it holds.

use std::collections::BTreeMap;
use std::io;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::{Condvar, Mutex};

use super::check::{BigFiles, FileResult, PartPool, check_caught};
use super::discover::{Input, InputSettings};
use super::problem::Problem;
use super::read::BigFileGate;
use super::stream::{End, Part, check_stream, streamed_format};
use crate::finding::Severity;
use crate::report::Reporter;
use crate::ruleset::Ruleset;

/// How far ahead of the next file to report the workers may go: results
/// wait in a reorder buffer of at most this many files (plus one per thread),
/// so memory holds a window of results, not the whole run, and one slow file
/// does not stall the others until it is the next to report.
const WINDOW: usize = 256;

/// Totals of a run.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Summary {
    /// Inputs checked (binary and unreadable ones included).
    pub files: usize,
    /// Findings per severity: info, warning, error.
    pub findings: [usize; 3],
    /// Inputs that could not be read, or whose check hit a bug.
    pub unreadable: usize,
    /// Records that could not be read (their files were still checked).
    pub bad_records: usize,
    /// Documents checked: prose files, and records of data files.
    pub records: usize,
    /// Words of the documents checked, or of the files when documents were
    /// not read (0 unless the reporter reads words or documents).
    pub words: usize,
    /// Inputs skipped as binary.
    pub binary: usize,
    /// Data files skipped for want of the text field or column.
    pub no_text: usize,
    /// Inputs skipped for another reason (special files, UTF-16 text).
    pub skipped: usize,
    /// The run was stopped (Ctrl-C) before every input was reported.
    pub interrupted: bool,
}

impl Summary {
    /// Findings at or above `severity`.
    pub fn at_least(&self, severity: Severity) -> usize {
        self.findings[severity as usize..].iter().sum()
    }

    /// Adds the counts of one input's result.
    pub fn count(&mut self, result: &FileResult) {
        self.files += 1;
        for problem in &result.problems {
            self.count_problem(problem);
        }
        for row in &result.rows {
            self.findings[row.finding.severity as usize] += 1;
        }
        let documents = (!result.info.documents.is_empty())
            .then(|| result.info.documents.iter().map(|d| d.words).sum());
        self.count_checked(result.records, result.info.words, documents);
    }

    /// Counts one problem of an input.
    fn count_problem(&mut self, problem: &Problem) {
        match problem {
            Problem::Unreadable(_) | Problem::Panicked(_) => self.unreadable += 1,
            Problem::Record { .. } => self.bad_records += 1,
            Problem::Binary => self.binary += 1,
            Problem::NoText(_) => self.no_text += 1,
            Problem::Skipped(_) => self.skipped += 1,
            Problem::Truncated(_) | Problem::Detail(_) => {}
        }
    }

    /// Counts the `records` documents of an input, `words` in its bytes or,
    /// when its documents were read, `document_words` in them.
    fn count_checked(&mut self, records: usize, words: usize, document_words: Option<usize>) {
        self.records += records;
        // The words of what was checked (a record's text, not its JSON
        // keys) when the documents were read, else the file's; none for a
        // file with nothing checked.
        self.words += if records == 0 {
            0
        } else {
            document_words.unwrap_or(words)
        };
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
    note: &mut (dyn FnMut(&str, &Problem) + Send),
) -> io::Result<Summary> {
    run_until(
        ruleset,
        inputs,
        options,
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
/// # How the run is scheduled, and why it cannot hang
///
/// `jobs` workers, each an OS thread of its own (never a rayon thread), take
/// files in path order. The worker that finishes a file puts its result in
/// a reorder buffer and, while the next file to report is there, reports it
/// — so results go out in input order without a reporting thread to wake for
/// every file. A worker waits while it is [`WINDOW`] files ahead of the next
/// file to report, so memory is bounded by the window and the files being
/// checked, whatever the number of inputs. Big plain-text files pass a gate
/// one at a time ([`BigFileGate`]) and have their parts checked on a rayon
/// pool of `jobs` threads ([`PartPool`]).
///
/// Progress follows from three facts, with no watchdog or time-out:
/// 1. A rayon thread never waits for the window, the gate or the reorder
///    lock: the part pool runs part checks alone, which wait for nothing but
///    their own sub-parts. (Were workers rayon jobs, a thread waiting for its
///    parts could steal another worker's job and block in it at the window,
///    above the parts that job waits for: a deadlock.) So every part check,
///    and every gate holder's file, finishes.
/// 2. The worker holding the lowest unreported file never waits for the
///    window (its index is the next to report); it waits at most for the
///    gate, whose holder finishes by (1).
/// 3. Each lock is held for bounded work, and a worker that unwinds sets
///    `done` and wakes the others, so no one waits for a result that will
///    never come.
///
/// So the lowest unreported file is always finished and reported, and the
/// window always moves on.
pub fn run_until(
    ruleset: &Ruleset,
    inputs: &[Input],
    options: &InputSettings,
    jobs: usize,
    reporter: &mut dyn Reporter,
    note: &mut (dyn FnMut(&str, &Problem) + Send),
    stop: &AtomicBool,
) -> io::Result<Summary> {
    let jobs = jobs.max(1);
    let needs = reporter.needs();
    let order = Mutex::new(InOrder {
        pending: BTreeMap::new(),
        reported: 0,
        waiting: 0,
        error: None,
        summary: Summary::default(),
        reporter,
        note,
    });
    // Signalled when `reported` moves on while a worker is waiting, and when
    // the run ends early.
    let advanced = Condvar::new();
    let next = AtomicUsize::new(0);
    let big = BigFiles {
        gate: BigFileGate::default(),
        parts: PartPool::new(jobs),
    };
    // Ends the run early: a write error, or a worker that unwound.
    let done = AtomicBool::new(false);
    let quit = || done.load(Ordering::SeqCst) || stop.load(Ordering::SeqCst);
    let lock = || order.lock().unwrap_or_else(|e| e.into_inner());

    let worker = || {
        // Wakes the others if this worker unwinds (a bug outside a file's
        // check, which `check_caught` contains): its file would never be
        // reported, and the workers waiting for it would wait for ever.
        let _wake = WakeOnUnwind {
            done: &done,
            order: &order,
            advanced: &advanced,
        };
        loop {
            let i = next.fetch_add(1, Ordering::SeqCst);
            let Some(input) = inputs.get(i) else {
                return;
            };
            {
                let mut state = lock();
                while i >= state.reported + WINDOW && !quit() {
                    state.waiting += 1;
                    state = advanced.wait(state).unwrap_or_else(|e| e.into_inner());
                    state.waiting -= 1;
                }
            }
            if quit() {
                return;
            }
            let settings = options;
            let options = options.for_input(input);
            if let Some(format) = streamed_format(input, &options) {
                // Parts go out as they are checked, once every earlier
                // input is reported: this worker holds the next to report
                // then, so it waits for nothing but the part pool.
                let path = input.display();
                let turn = || {
                    let mut state = lock();
                    while state.reported < i && !quit() {
                        state.waiting += 1;
                        state = advanced.wait(state).unwrap_or_else(|e| e.into_inner());
                        state.waiting -= 1;
                    }
                    state
                };
                let mut emit = |part: Part| {
                    let mut state = turn();
                    if quit() {
                        return false;
                    }
                    if let Err(e) = state.report_part(&path, part) {
                        state.error.get_or_insert(e);
                        done.store(true, Ordering::SeqCst);
                        advanced.notify_all();
                        return false;
                    }
                    true
                };
                let end = check_stream(
                    ruleset,
                    input,
                    &options,
                    format,
                    &settings.stream,
                    &big,
                    needs,
                    &mut emit,
                );
                let mut state = turn();
                if quit() {
                    advanced.notify_all();
                    return;
                }
                if let Err(e) = state.end_stream(&path, end) {
                    state.error.get_or_insert(e);
                    done.store(true, Ordering::SeqCst);
                }
                if state.waiting > 0 {
                    advanced.notify_all();
                }
                continue;
            }
            let result = check_caught(ruleset, input, &options, &big, needs);
            let mut state = lock();
            if quit() {
                // A worker waiting for the window would wait for ever.
                advanced.notify_all();
                return;
            }
            let before = state.reported;
            state.pending.insert(i, result);
            if let Err(e) = state.report_ready() {
                state.error.get_or_insert(e);
                done.store(true, Ordering::SeqCst);
            }
            if (state.reported != before || quit()) && state.waiting > 0 {
                advanced.notify_all();
            }
        }
    };
    let started = std::thread::scope(|s| {
        let mut started = 0;
        for i in 0..jobs.min(inputs.len()) {
            let spawned = std::thread::Builder::new()
                .name(format!("mtlint-{i}"))
                .spawn_scoped(s, worker);
            match spawned {
                Ok(_) => started += 1,
                // Fewer workers are slower, not wrong; none is an error.
                Err(e) if started == 0 => return Err(e),
                Err(_) => break,
            }
        }
        Ok(started)
    });
    started?;
    let state = order.into_inner().unwrap_or_else(|e| e.into_inner());
    if let Some(e) = state.error {
        return Err(e);
    }
    let mut summary = state.summary;
    if summary.files < inputs.len() {
        // Workers only leave files unreported on `stop`.
        summary.interrupted = true;
        if !stop.load(Ordering::SeqCst) {
            return Err(io::Error::other(
                "internal error: the workers stopped early",
            ));
        }
        return Ok(summary);
    }
    state.reporter.finish()?;
    Ok(summary)
}

/// Ends the run and wakes every waiting worker when the worker that holds
/// it unwinds.
struct WakeOnUnwind<'a, 'r, 'n> {
    done: &'a AtomicBool,
    order: &'a Mutex<InOrder<'r, 'n>>,
    advanced: &'a Condvar,
}

impl Drop for WakeOnUnwind<'_, '_, '_> {
    fn drop(&mut self) {
        if std::thread::panicking() {
            self.done.store(true, Ordering::SeqCst);
            // Taken so that no worker is between its check of `quit` and
            // its wait when the wake-up comes.
            let _state = self.order.lock().unwrap_or_else(|e| e.into_inner());
            self.advanced.notify_all();
        }
    }
}

/// The reorder buffer and the reporter, shared by the workers under a lock.
struct InOrder<'r, 'n> {
    /// Results that wait for an earlier file to be reported, by input index.
    pending: BTreeMap<usize, FileResult>,
    /// How many results were reported: the index of the next one.
    reported: usize,
    /// Workers waiting for `reported` to move on.
    waiting: usize,
    /// The first write error; the run stops on it.
    error: Option<io::Error>,
    summary: Summary,
    reporter: &'r mut dyn Reporter,
    note: &'n mut (dyn FnMut(&str, &Problem) + Send),
}

impl InOrder<'_, '_> {
    /// Reports a part of the streamed input that is next in order.
    fn report_part(&mut self, path: &str, part: Part) -> io::Result<()> {
        self.show_problems(path, &part.problems);
        for row in &part.rows {
            self.summary.findings[row.finding.severity as usize] += 1;
        }
        self.reporter.file_part(path, &part.info, part.rows)
    }

    /// Ends the streamed input that is next in order, then reports every
    /// result that was waiting for it.
    fn end_stream(&mut self, path: &str, end: End) -> io::Result<()> {
        self.summary.files += 1;
        self.show_problems(path, &end.problems);
        self.summary
            .count_checked(end.records, end.info.words, end.document_words);
        self.reporter.file_end(path, &end.info)?;
        self.reported += 1;
        self.report_ready()
    }

    /// Counts `problems` of the input at `path` and shows them.
    fn show_problems(&mut self, path: &str, problems: &[Problem]) {
        for problem in problems {
            self.summary.count_problem(problem);
            (self.note)(path, problem);
        }
    }

    /// Reports every result that is next in input order.
    fn report_ready(&mut self) -> io::Result<()> {
        while let Some(result) = self.pending.remove(&self.reported) {
            self.summary.count(&result);
            for problem in &result.problems {
                (self.note)(&result.path, problem);
            }
            self.reporter.file_info(&result.path, &result.info)?;
            self.reporter.file_owned(&result.path, result.rows)?;
            self.reported += 1;
        }
        Ok(())
    }
}
