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
use super::problem::{self, Problem};
use super::read::{BigFileGate, read_input};
use crate::check::{self, Check};
use crate::document::{self, Document, InputFormat, InputOptions, InvalidUtf8, Segment};
use crate::finding::{Finding, RuleMeta};
use crate::fix;
use crate::language::{self, Language};
use crate::rows::{
    DocumentInfo, FileInfo, Located, Needs, count_characters, count_words, file_info_for,
    locate_rows,
};
use crate::ruleset::Ruleset;

pub use crate::check::MAX_FINDINGS_PER_RULE;

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
    /// Documents checked: 1 for a prose file, the records of a data file
    /// (0 when unread, binary or skipped).
    pub records: usize,
}

impl FileResult {
    /// The result of an input that was not checked, for the reason given.
    fn unchecked(path: String, problem: Problem) -> Self {
        FileResult {
            path,
            rows: Vec::new(),
            problems: vec![problem],
            info: FileInfo::default(),
            records: 0,
        }
    }
}

/// Checks a document with every rule; findings are sorted.
pub fn check_document(ruleset: &Ruleset, doc: &Document<'_>) -> (Vec<Finding>, Vec<Problem>) {
    let mut findings = Vec::new();
    let mut problems = Vec::new();
    ruleset.run_checks(doc, &mut findings, cap(&mut problems));
    sort(&mut findings);
    (findings, problems)
}

/// The `after_check` of every run of the rules: keeps the first
/// [`MAX_FINDINGS_PER_RULE`] findings a rule just added (those past
/// `before`), and notes in `problems` each rule that had more.
fn cap(problems: &mut Vec<Problem>) -> impl FnMut(&dyn Check, &mut Vec<Finding>, usize) + '_ {
    |check, findings, before| {
        if check::truncate_to_cap(findings, before) {
            problems.push(Problem::Truncated(check.meta().id.clone()));
        }
    }
}

/// The order reports use (see [`Finding::sort_key`]).
fn sort(findings: &mut [Finding]) {
    findings.sort_by(|a, b| a.sort_key().cmp(&b.sort_key()));
}

/// Checks the bytes of a plain-text file: the library entry point.
pub fn check_bytes(ruleset: &Ruleset, bytes: &[u8]) -> Vec<Finding> {
    let options = InputOptions::default();
    let checked = check_in(
        ruleset,
        bytes,
        InputFormat::Text,
        &options,
        None,
        false,
        DocumentNeeds::NONE,
    );
    checked.findings.into_iter().map(|(f, _)| f).collect()
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
    let Some(encoding) = options.encoding else {
        let checked = check_in(
            ruleset,
            bytes,
            format,
            options,
            None,
            false,
            DocumentNeeds::NONE,
        );
        return (checked.findings, checked.problems);
    };
    let t = document::Transcoded::decode(bytes, encoding);
    let mut checked = check_in(
        ruleset,
        t.text.as_bytes(),
        format,
        options,
        None,
        false,
        DocumentNeeds::NONE,
    );
    for (f, _) in &mut checked.findings {
        f.span = t.original_range(f.span.clone());
    }
    (checked.findings, checked.problems)
}

/// [`check_bytes_as`], with the edit of every fix worked out (see
/// [`crate::fix`]): what an editor's code actions and `--fix` apply.
pub fn check_bytes_with_edits(
    ruleset: &Ruleset,
    bytes: &[u8],
    format: InputFormat,
    options: &InputOptions,
) -> (Vec<(Finding, Option<String>)>, Vec<Problem>) {
    let checked = check_in(
        ruleset,
        bytes,
        format,
        options,
        None,
        true,
        DocumentNeeds::NONE,
    );
    (checked.findings, checked.problems)
}

/// What [`check_in`] makes of a file's bytes.
pub(super) struct Checked {
    /// Findings (sorted) with the record each is in.
    pub(super) findings: Vec<(Finding, Option<String>)>,
    /// Capped rules, then the records that could not be read.
    pub(super) problems: Vec<Problem>,
    /// The documents, when asked for (see [`Needs::documents`]).
    pub(super) documents: Vec<DocumentInfo>,
    /// How many documents were checked.
    pub(super) records: usize,
    /// The language of most of its documents (the first's on a tie; `None`
    /// without documents).
    pub(super) language: Option<Language>,
}

/// What reports learn of a document: its record, group value, date and
/// words, and with `units` the keys the boilerplate miner counts.
pub(super) fn document_info(doc: &Document<'_>, units: bool) -> DocumentInfo {
    let mut keys = Vec::new();
    if units {
        crate::mine::unit_keys(doc, &mut String::new(), &mut keys);
    }
    DocumentInfo {
        record: doc.record.clone(),
        group: doc.keys.group.clone(),
        date: doc.keys.date.clone(),
        language: doc.language,
        words: doc
            .segments
            .iter()
            .map(|s| count_words(s.text().as_bytes()))
            .sum(),
        characters: if doc.language.is_some_and(Language::counts_characters) {
            doc.segments
                .iter()
                .map(|s| count_characters(s.text().as_bytes()))
                .sum()
        } else {
            0
        },
        units: keys,
    }
}

/// Which facts of its documents a check keeps (see [`Needs::documents`]
/// and [`Needs::units`]).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub(super) struct DocumentNeeds {
    /// A [`DocumentInfo`] for each document.
    pub(super) infos: bool,
    /// Their [`DocumentInfo::units`] too, when the file holds more than
    /// one document or `lone_units` says.
    pub(super) units: bool,
    pub(super) lone_units: bool,
}

impl DocumentNeeds {
    /// None: no document is described.
    pub(super) const NONE: DocumentNeeds = DocumentNeeds {
        infos: false,
        units: false,
        lone_units: false,
    };

    /// What `needs` asks of documents.
    pub(super) fn of(needs: Needs) -> Self {
        DocumentNeeds {
            infos: needs.documents || needs.units,
            units: needs.units,
            lone_units: needs.lone_units,
        }
    }

    /// Whether the units of a file of `documents` documents are worked out.
    pub(super) fn units_of(&self, documents: usize) -> bool {
        self.units && (self.lone_units || documents > 1)
    }
}

/// Checks the bytes of a file as `format`, the one path from bytes to
/// findings that every entry point takes: findings (sorted) with the record
/// each is in, and the file's problems (capped rules, then the records that
/// could not be read), and the language of most of its documents. The
/// parts of big files and records are checked on `pool` when one is given
/// (see [`check_parts`]). With `edits`, the edit of every fix is worked
/// out while the documents are at hand.
pub(super) fn check_in(
    ruleset: &Ruleset,
    bytes: &[u8],
    format: InputFormat,
    options: &InputOptions,
    pool: Option<&PartPool>,
    edits: bool,
    documents: DocumentNeeds,
) -> Checked {
    let mut infos = Vec::new();
    let language;
    let (mut findings, problems, invalid, records) = if format == InputFormat::Text {
        let (mut doc, invalid) = document::plain_text(bytes);
        resolve_language(&mut doc, options);
        language = doc.language;
        if documents.infos {
            infos.push(document_info(&doc, documents.units_of(1)));
        }
        let (mut findings, problems) = check_plain(ruleset, &doc, pool);
        if edits && findings.iter().any(|f| f.fix.is_some()) {
            fix::attach_edits(&doc, &document::decode(bytes).0, &mut findings);
        }
        let findings = findings
            .into_iter()
            .map(|f| (with_language(f, &doc), None))
            .collect();
        (findings, problems, invalid, 1)
    } else {
        let (text, invalid) = document::decode(bytes);
        let mut parsed = document::parse(&text, format, options);
        for doc in &mut parsed.documents {
            resolve_language(doc, options);
        }
        language = main_language(&parsed.documents);
        if documents.infos {
            let units = documents.units_of(parsed.documents.len());
            infos.extend((parsed.documents.iter()).map(|d| document_info(d, units)));
        }
        let records = parsed.documents.len();
        let no_text = parsed.no_text.take();
        let (findings, mut problems) =
            check_records(ruleset, parsed, pool, edits.then_some(&*text));
        if let Some(message) = no_text {
            // A field the user named is an error; the default one missing
            // means the file holds other data: skipped, with a note.
            problems.push(if options.text_explicit {
                Problem::Record { line: 1, message }
            } else {
                Problem::NoText(message)
            });
        }
        (findings, problems, invalid, records)
    };
    findings.extend(
        invalid
            .and_then(|bad| invalid_utf8(ruleset, bytes, bad))
            .map(|f| (f, None)),
    );
    findings.sort_by(|(a, _), (b, _)| a.sort_key().cmp(&b.sort_key()));
    Checked {
        findings,
        problems,
        documents: infos,
        records,
        language,
    }
}

/// The language of most of `docs`, the first's on a tie.
fn main_language(docs: &[Document<'_>]) -> Option<Language> {
    let mut counts: Vec<(Language, usize)> = Vec::new();
    for language in docs.iter().filter_map(|d| d.language) {
        match counts.iter_mut().find(|(l, _)| *l == language) {
            Some((_, n)) => *n += 1,
            None => counts.push((language, 1)),
        }
    }
    // `max_by_key` keeps the last of equal maxima: search from the end.
    counts.iter().rev().max_by_key(|(_, n)| *n).map(|(l, _)| *l)
}

/// Gives `doc` its language: the one `options` forces, else the one its
/// input format declared, else the one detection finds in its first
/// [`language::PREFIX_BYTES`] (once per document, however big), else the
/// default.
pub(super) fn resolve_language(doc: &mut Document<'_>, options: &InputOptions) {
    let language = options
        .language
        .or(doc.language)
        .or_else(|| detect_language(doc))
        .unwrap_or(options.default_language);
    doc.language = Some(language);
}

/// The language detection finds at the start of `doc`'s prose.
fn detect_language(doc: &Document<'_>) -> Option<Language> {
    match doc.segments.as_slice() {
        [] => None,
        [first, ..] if first.text().len() >= language::PREFIX_BYTES => {
            language::detect(first.text())
        }
        segments => {
            let mut prefix = String::new();
            for s in segments {
                if prefix.len() >= language::PREFIX_BYTES {
                    break;
                }
                if !prefix.is_empty() {
                    prefix.push_str("\n\n");
                }
                prefix.push_str(s.text());
            }
            language::detect(&prefix)
        }
    }
}

/// `finding`, tagged with the language of the document it was found in.
pub(super) fn with_language(mut finding: Finding, doc: &Document<'_>) -> Finding {
    finding.language = doc.language;
    finding
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
            problem::merge(&mut problems, p);
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
    sort(&mut findings);
    problem::merge(&mut problems, capped);
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
    doc: &Document<'_>,
    pool: Option<&PartPool>,
) -> (Vec<Finding>, Vec<Problem>) {
    if doc.segments.len() <= 1 {
        return check_document(ruleset, doc);
    }
    let maps: Vec<_> = doc.segments.iter().map(Segment::map).collect();
    let language = doc.language;
    let part = |s| Document {
        segments: vec![document::SegmentMap::part(s, 0..s.text().len())],
        language,
        ..Document::default()
    };
    check_parts(ruleset, &maps, part, pool)
}

/// Checks the documents of a file of a structured format, each on its own
/// (see [`check_record`]), each finding tagged with its record; malformed
/// records become problems. The parts of big records are checked on `pool`
/// when one is given. Given the file's `text`, the edits of fixes are worked
/// out too.
fn check_records(
    ruleset: &Ruleset,
    parsed: document::Parsed<'_>,
    pool: Option<&PartPool>,
    text: Option<&str>,
) -> (Vec<(Finding, Option<String>)>, Vec<Problem>) {
    let mut findings = Vec::new();
    let mut problems = Vec::new();
    for doc in &parsed.documents {
        let (mut found, p) = check_record(ruleset, doc, pool);
        if let Some(text) = text {
            fix::attach_edits(doc, text, &mut found);
        }
        problem::merge(&mut problems, p);
        findings.extend(
            found
                .into_iter()
                .map(|f| (with_language(f, doc), doc.record.clone())),
        );
    }
    problems.extend(parsed.errors.into_iter().map(|e| Problem::Record {
        line: e.line,
        message: e.message,
    }));
    problems.extend(parsed.skipped.map(Problem::Skipped));
    problems.extend(parsed.notes.into_iter().map(Problem::Detail));
    (findings, problems)
}

/// Checks a document of a structured format. One whose segment is longer
/// than `MAX_SEGMENT_BYTES` (a 500 MB JSONL record, a CSV field, a
/// translation unit) is checked as plain text is, in parts of at most that
/// size (consecutive short segments together), so its tokens are never all
/// held at once; source↔target rules, which compare the whole target with
/// the source and need no tokens, see the whole document. The parts are
/// checked on `pool` when one is given (see [`check_parts`]).
pub(super) fn check_record(
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
    let (record, language) = (&doc.record, doc.language);
    let (mut findings, mut problems) = check_parts(
        ruleset,
        &pieces,
        |piece| Document {
            segments: piece.iter().map(|(seg, r)| seg.part(r.clone())).collect(),
            record: record.clone(),
            language,
            ..Document::default()
        },
        pool,
    );
    if doc.source.is_some() {
        ruleset.run_checks_where(
            doc,
            &mut findings,
            |c| c.meta().kind == SOURCE_TARGET,
            cap(&mut problems),
        );
        sort(&mut findings);
    }
    (findings, problems)
}

/// The rule kind that compares a target with its source.
const SOURCE_TARGET: &str = "source-target";

/// The finding of the built-in invalid UTF-8 rule, unless it is deselected.
fn invalid_utf8(ruleset: &Ruleset, bytes: &[u8], bad: InvalidUtf8) -> Option<Finding> {
    let rule = ruleset.invalid_utf8()?;
    Some(check::builtin::invalid_utf8_finding(rule, bytes, bad))
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
    pub(super) fn get(&self) -> Option<&rayon::ThreadPool> {
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
    let plain = input.plain_before_reading(options);
    let bytes = match read_input(input, plain, big.map(|b| &b.gate), options.encoding) {
        Ok(Ok(b)) => b,
        Ok(Err(problem)) => return FileResult::unchecked(path, problem),
        Err(e) => return FileResult::unchecked(path, Problem::Unreadable(e.to_string())),
    };
    // A file in another encoding is checked, and its rows made, as UTF-8
    // text; then every span is mapped back to the file's bytes.
    let transcoded = options
        .encoding
        .map(|encoding| document::Transcoded::decode(&bytes, encoding));
    let text: &[u8] = transcoded.as_ref().map_or(&bytes, |t| t.text.as_bytes());
    let format = input.format(options, text);
    // Edits are worked out on the file's own bytes only: a transcoded
    // file's fixes would need encoding back, which `--fix` does not do.
    let checked = check_in(
        ruleset,
        text,
        format,
        options,
        big.map(|b| &b.parts),
        needs.edits && transcoded.is_none(),
        DocumentNeeds::of(needs),
    );
    let original = transcoded.as_ref().map(|t| (t, bytes.len()));
    file_result(path, text, checked, needs, original)
}

/// The result of a file whose `text` was checked into `checked`: rows and
/// facts as `needs` asks. When the text was decoded from a file in another
/// encoding (`original`: how, and the file's length), every span is mapped
/// back to the file's bytes.
pub(super) fn file_result(
    path: String,
    text: &[u8],
    checked: Checked,
    needs: Needs,
    original: Option<(&document::Transcoded, usize)>,
) -> FileResult {
    let mut rows = locate_rows(text, checked.findings, needs);
    let mut info = file_info_for(text, needs);
    info.documents = checked.documents;
    info.language = checked.language;
    if needs.words && checked.language.is_some_and(Language::counts_characters) {
        info.characters = count_characters(text);
    }
    if let Some((t, len)) = original {
        for row in &mut rows {
            row.finding.span = t.original_range(row.finding.span.clone());
        }
        for d in &mut info.directives {
            d.span = t.original_range(d.span.clone());
        }
        info.bytes = len;
    }
    FileResult {
        path,
        rows,
        problems: checked.problems,
        info,
        records: checked.records,
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
        FileResult::unchecked(input.display(), Problem::Panicked(what))
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn units_are_worked_out_only_where_something_can_recur() {
        let ruleset = Ruleset::default_pack().expect("the default pack loads");
        let text = b"Share this story\n\nThe council met on Monday.";
        let checked = |needs: Needs, format: InputFormat, bytes: &[u8]| {
            let options = InputOptions::default();
            check_in(
                &ruleset,
                bytes,
                format,
                &options,
                None,
                false,
                DocumentNeeds::of(needs),
            )
            .documents
        };
        let units = Needs {
            units: true,
            ..Needs::NONE
        };
        // A file of one document, grouped by file: a group of one.
        let docs = checked(units, InputFormat::Text, text);
        assert_eq!(docs.len(), 1);
        assert!(docs[0].units.is_empty());
        let lone = Needs {
            lone_units: true,
            ..units
        };
        let docs = checked(lone, InputFormat::Text, text);
        assert_eq!(docs[0].units.len(), 2);
        // Records of a data file can recur in their file.
        let jsonl = b"{\"text\": \"Share this story\"}\n{\"text\": \"Read more\"}\n";
        let docs = checked(units, InputFormat::Jsonl, jsonl);
        assert_eq!(docs.len(), 2);
        assert!(docs.iter().all(|d| d.units.len() == 1));
        // Not asked: none.
        let docs = checked(Needs::ALL, InputFormat::Jsonl, jsonl);
        assert!(docs.iter().all(|d| d.units.is_empty()));
    }
}
