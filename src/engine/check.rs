//! Checking one input: its bytes as its format makes documents of them,
//! every enabled rule over each document (big ones in parallel parts, on
//! the run's part pool), findings capped per rule and sorted, then mapped to
//! rows for the reporter.
//!
//! Knows nothing of how inputs are found or of the order results are
//! reported in; a reporter is only asked what it needs (`Needs`).

use rayon::prelude::*;
use std::sync::{Arc, OnceLock};

use super::discover::Input;
use super::problem::Problem;
use super::read::{BigFileGate, read_input};
use crate::document::{self, Document, InputFormat, InputOptions, InvalidUtf8, Segment};
use crate::finding::{Finding, RuleMeta};
use crate::report::{FileInfo, Located, Needs, file_info_for, locate_rows};
use crate::ruleset::Ruleset;

/// Most findings one rule may report in one file; past it the file gets a note.
pub const MAX_FINDINGS_PER_RULE: usize = 10_000;

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
    check_plain(ruleset, bytes, None).0
}

/// Parts checked at a time (in parallel) by [`check_parts`]: their
/// findings are merged under the per-rule cap before the next ones start,
/// so a file of a million findings never holds them all. A constant, not
/// the thread count: the output does not depend on it anyway.
const PARTS_PER_BATCH: usize = 8;

/// Checks `pieces` in order, each as the document `part` makes of it, in
/// parallel batches; the pieces are consecutive parts of one file or one
/// record, so their findings come in file order. Keeps the first
/// [`MAX_FINDINGS_PER_RULE`] findings of each rule over all parts, with a
/// note for each rule that had more. The batches run on `pool` when one is
/// given (the run's [`PartPool`]), else on rayon's current pool.
fn check_parts<'t, T: Sync>(
    ruleset: &Ruleset,
    pieces: &'t [T],
    part: impl Fn(&'t T) -> Document<'t> + Sync,
    pool: Option<&PartPool>,
) -> (Vec<Finding>, Vec<Problem>) {
    let pool = pool.and_then(PartPool::get);
    let mut findings = Vec::new();
    let mut problems: Vec<Problem> = Vec::new();
    // The cap is per file: parts under it may add up to more. A rule's
    // metadata is one shared value, so its address names the rule.
    let mut counts: std::collections::HashMap<*const RuleMeta, usize> = Default::default();
    let mut capped = Vec::new();
    for batch in pieces.chunks(PARTS_PER_BATCH) {
        let check_batch = || -> Vec<(Vec<Finding>, Vec<Problem>)> {
            batch
                .par_iter()
                .map(|piece| check_document(ruleset, &part(piece)))
                .collect()
        };
        let parts = match pool {
            Some(pool) => pool.install(check_batch),
            None => check_batch(),
        };
        for (found, p) in parts {
            for problem in p {
                if !problems.contains(&problem) {
                    problems.push(problem);
                }
            }
            findings.extend(found.into_iter().filter(|f| {
                let n = counts.entry(Arc::as_ptr(&f.rule)).or_default();
                *n += 1;
                if *n == MAX_FINDINGS_PER_RULE + 1 {
                    capped.push(Problem::Truncated(f.rule.id.clone()));
                }
                *n <= MAX_FINDINGS_PER_RULE
            }));
        }
    }
    findings.sort_by(|a, b| a.sort_key().cmp(&b.sort_key()));
    for problem in capped {
        if !problems.contains(&problem) {
            problems.push(problem);
        }
    }
    (findings, problems)
}

/// A plain-text file longer than one segment (see `MAX_SEGMENT_BYTES`, split
/// at paragraph boundaries, else at a sentence end, a space or a char) is
/// checked part by part, in parallel: a 100 MB dump uses every core, and
/// each part's tokens are freed as soon as it is done. Document-level rules
/// (consistency, repeated sentences) compare within a part; the split
/// depends on the text only, never on `--jobs`. The parts are checked on
/// `pool` when one is given (see [`check_parts`]).
fn check_plain(
    ruleset: &Ruleset,
    bytes: &[u8],
    pool: Option<&PartPool>,
) -> (Vec<Finding>, Vec<Problem>) {
    let (doc, invalid) = document::plain_text(bytes);
    let (mut findings, problems) = if doc.segments.len() > 1 {
        let maps: Vec<_> = doc.segments.iter().map(Segment::map).collect();
        let part = |s| Document {
            segments: vec![document::SegmentMap::part(s, 0..s.text().len())],
            ..Document::default()
        };
        check_parts(ruleset, &maps, part, pool)
    } else {
        check_document(ruleset, &doc)
    };
    if let Some(f) = invalid.and_then(|bad| invalid_utf8(ruleset, bytes, bad)) {
        findings.push(f);
        findings.sort_by(|a, b| a.sort_key().cmp(&b.sort_key()));
    }
    (findings, problems)
}

/// Checks a document of a structured format. One whose segment is longer
/// than `MAX_SEGMENT_BYTES` (a 500 MB JSONL record, a CSV field, a
/// translation unit) is checked as plain text is, in parts of at most that
/// size (consecutive short segments together), so its tokens are never all
/// held at once; source↔target rules, which compare the whole target with
/// the source and need no tokens, see the whole document. The parts are
/// checked on `pool` when one is given (see [`check_parts`]).
fn check_record(
    ruleset: &Ruleset,
    doc: &Document<'_>,
    pool: Option<&PartPool>,
) -> (Vec<Finding>, Vec<Problem>) {
    if doc
        .segments
        .iter()
        .all(|s| s.text().len() <= document::MAX_SEGMENT_BYTES)
    {
        return check_document(ruleset, doc);
    }
    // Each part: (segment, text range) pieces.
    type Piece<'s> = (document::SegmentMap<'s>, std::ops::Range<usize>);
    let mut pieces: Vec<Vec<Piece<'_>>> = Vec::new();
    let mut open: Vec<Piece<'_>> = Vec::new();
    let mut open_len = 0;
    for seg in &doc.segments {
        let seg = seg.map();
        let len = seg.text().len();
        if len > document::MAX_SEGMENT_BYTES {
            if !open.is_empty() {
                pieces.push(std::mem::take(&mut open));
                open_len = 0;
            }
            pieces.extend(
                document::part_ranges(seg.text())
                    .into_iter()
                    .map(|r| vec![(seg, r)]),
            );
            continue;
        }
        if open_len + len > document::MAX_SEGMENT_BYTES && !open.is_empty() {
            pieces.push(std::mem::take(&mut open));
            open_len = 0;
        }
        open.push((seg, 0..len));
        open_len += len;
    }
    if !open.is_empty() {
        pieces.push(open);
    }
    let record = &doc.record;
    let (mut findings, mut problems) = check_parts(
        ruleset,
        &pieces,
        |piece| Document {
            segments: piece.iter().map(|(seg, r)| seg.part(r.clone())).collect(),
            record: record.clone(),
            ..Document::default()
        },
        pool,
    );
    if doc.source.is_some() {
        let mut whole = Vec::new();
        ruleset.run_checks_where(
            doc,
            &mut whole,
            |c| c.meta().kind == SOURCE_TARGET,
            |check, found, before| {
                if found.len() - before > MAX_FINDINGS_PER_RULE {
                    found.truncate(before + MAX_FINDINGS_PER_RULE);
                    problems.push(Problem::Truncated(check.meta().id.clone()));
                }
            },
        );
        findings.extend(whole);
        findings.sort_by(|a, b| a.sort_key().cmp(&b.sort_key()));
    }
    (findings, problems)
}

/// The rule kind that compares a target with its source.
const SOURCE_TARGET: &str = "source-target";

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
        let (findings, problems) = check_plain(ruleset, bytes, None);
        return (findings.into_iter().map(|f| (f, None)).collect(), problems);
    }
    check_structured(ruleset, bytes, format, options, None)
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
/// finding tagged with its record; malformed records become problems. The
/// parts of big records are checked on `pool` when one is given.
fn check_structured(
    ruleset: &Ruleset,
    bytes: &[u8],
    format: InputFormat,
    options: &InputOptions,
    pool: Option<&PartPool>,
) -> (Vec<(Finding, Option<String>)>, Vec<Problem>) {
    let (text, invalid) = document::decode(bytes);
    let parsed = document::parse(&text, format, options);
    let mut findings = Vec::new();
    let mut problems = Vec::new();
    for doc in &parsed.documents {
        let (found, p) = check_record(ruleset, doc, pool);
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

/// The rayon pool where the parts of big plain-text files are checked,
/// built on first use (a run of small files never starts its threads).
/// Its jobs are part checks alone: pure work that waits for nothing but
/// its own parts, so every job it takes on finishes.
pub(super) struct PartPool {
    threads: usize,
    pool: OnceLock<Option<rayon::ThreadPool>>,
}

impl PartPool {
    pub(super) fn new(threads: usize) -> Self {
        PartPool {
            threads,
            pool: OnceLock::new(),
        }
    }

    /// The pool, or `None` when its threads could not be started (the
    /// parts are then checked on rayon's global pool: slower, still right).
    fn get(&self) -> Option<&rayon::ThreadPool> {
        self.pool
            .get_or_init(|| {
                rayon::ThreadPoolBuilder::new()
                    .num_threads(self.threads)
                    .thread_name(|i| format!("mtlint-part-{i}"))
                    .build()
                    .ok()
            })
            .as_ref()
    }
}

/// What the workers of one run share to check big files.
pub(super) struct BigFiles {
    pub(super) gate: BigFileGate,
    pub(super) parts: PartPool,
}

/// Reads and checks one input in its format (`options.format`, else by its
/// extension; standard input is plain text unless a format is given).
/// Never panics on input: errors become problems.
pub fn check_input(ruleset: &Ruleset, input: &Input, options: &InputOptions) -> FileResult {
    check_input_at(ruleset, input, options, None, Needs::ALL)
}

/// [`check_input`], big plain-text files passing the gate of `big` and
/// checked on its part pool when there is one; rows and file facts hold what
/// `needs` asks for.
fn check_input_at(
    ruleset: &Ruleset,
    input: &Input,
    options: &InputOptions,
    big: Option<&BigFiles>,
    needs: Needs,
) -> FileResult {
    let path = input.display();
    // Known before reading: whether the file will be read as plain text.
    let plain = match (options.format, input) {
        (Some(format), _) => format == InputFormat::Text,
        (None, Input::File(p)) => {
            InputFormat::from_extension(p).is_none_or(|f| f == InputFormat::Text)
        }
        (None, Input::Stdin) => true,
    };
    let bytes = match read_input(input, plain, big.map(|b| &b.gate)) {
        Ok(Ok(b)) => b,
        Ok(Err(problem)) => {
            return FileResult {
                path,
                rows: Vec::new(),
                problems: vec![problem],
                info: FileInfo::default(),
            };
        }
        Err(e) => {
            return FileResult {
                path,
                rows: Vec::new(),
                problems: vec![Problem::Unreadable(e.to_string())],
                info: FileInfo::default(),
            };
        }
    };
    let format = options.format.unwrap_or_else(|| match input {
        Input::File(p) => InputFormat::detect(p, &bytes),
        Input::Stdin => InputFormat::Text,
    });
    let parts = big.map(|b| &b.parts);
    let (rows, problems) = if format == InputFormat::Text {
        let (findings, problems) = check_plain(ruleset, &bytes, parts);
        let findings = findings.into_iter().map(|f| (f, None)).collect();
        (locate_rows(&bytes, findings, needs), problems)
    } else {
        let (findings, problems) = check_structured(ruleset, &bytes, format, options, parts);
        (locate_rows(&bytes, findings, needs), problems)
    };
    FileResult {
        path,
        rows,
        problems,
        info: file_info_for(&bytes, needs),
    }
}

/// [`check_input`], with a panic in a rule turned into a problem of this file
/// so that one bad input cannot take the rest of the report down with it.
pub(super) fn check_caught(
    ruleset: &Ruleset,
    input: &Input,
    options: &InputOptions,
    big: &BigFiles,
    needs: Needs,
) -> FileResult {
    std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
        check_input_at(ruleset, input, options, Some(big), needs)
    }))
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
