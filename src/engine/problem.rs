//! Why an input produced no findings of its own, or fewer than it had: what
//! every stage of a run (reading, checking, scheduling) reports about one
//! input short of a finding.
//!
//! Imports nothing else from the crate: it knows nothing of how inputs are
//! read, checked or reported.

/// Why a file produced no findings of its own.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Problem {
    /// The file could not be read (an error: exit code 2).
    Unreadable(String),
    /// The file looks binary and was skipped (a note, not an error).
    Binary,
    /// A rule hit [`MAX_FINDINGS_PER_RULE`](crate::engine::MAX_FINDINGS_PER_RULE);
    /// the rest were dropped (a note).
    Truncated(String),
    /// A record (JSONL line, CSV row, feed item, translation unit, PO entry)
    /// could not be read; the rest of the file was checked (an error).
    Record {
        /// 1-based line where the record starts.
        line: usize,
        /// What is wrong with it.
        message: String,
    },
    /// Checking the file hit a bug (a panic); its findings are lost, the run
    /// goes on (an error: exit code 2).
    Panicked(String),
    /// The input was not checked, for the reason given: a named pipe, a
    /// device, UTF-16 text (a note, not an error).
    Skipped(String),
    /// How the input was read, for a reader who asked (`--verbose`): which
    /// part of an HTML page was checked.
    Detail(String),
    /// A data file (JSON Lines, CSV, TSV) none of whose records has the
    /// text field or column, which was not named by the user: skipped (a
    /// note for a walked file; the caller may make it an error for a file
    /// named on the command line). Says what was looked for.
    NoText(String),
}

/// Adds each of `more` to `problems` unless it is already there: one note
/// per rule and file, however many parts or records hit the cap.
pub(crate) fn merge(problems: &mut Vec<Problem>, more: impl IntoIterator<Item = Problem>) {
    for problem in more {
        if !problems.contains(&problem) {
            problems.push(problem);
        }
    }
}
