//! Running rules over files: discovery (the `ignore` crate), reading, checking
//! in parallel with rayon, and handing results to a reporter in a fixed order.

use std::collections::BTreeMap;

use rayon::prelude::*;
use std::io::{self, Read};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::{Arc, Condvar, Mutex, MutexGuard, OnceLock};

use crate::document::{self, Document, InputFormat, InputOptions, InvalidUtf8, Segment};
use crate::finding::{Finding, RuleMeta, Severity};
use crate::report::Reporter;
use crate::rows::{FileInfo, Located, Needs, file_info_for, locate_rows};
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

/// Opens a file for reading without waiting: opening a FIFO would block
/// until something writes to it (the file is then skipped as special).
#[cfg(unix)]
fn open_nonblocking(path: &Path) -> io::Result<std::fs::File> {
    use std::os::unix::fs::OpenOptionsExt;
    std::fs::OpenOptions::new()
        .read(true)
        .custom_flags(libc::O_NONBLOCK)
        .open(path)
}

#[cfg(not(unix))]
fn open_nonblocking(path: &Path) -> io::Result<std::fs::File> {
    std::fs::File::open(path)
}

/// Plain-text files big enough to be checked in parallel parts (see
/// [`check_plain`]) go through this gate one at a time, read into its one
/// buffer: two at once would hold two whole files and their analyses,
/// while one, checked on every thread of the [`PartPool`], is as fast and
/// holds half the memory; and one buffer, reused, spares the allocator a
/// fresh block the size of each big file.
///
/// Only run-loop workers (threads of their own, never rayon's) wait here;
/// the holder's parts run on the part pool, whose threads never wait for
/// the gate, so the holder always finishes and lets the next one in.
#[derive(Default)]
struct BigFileGate {
    buffer: Mutex<Vec<u8>>,
}

impl BigFileGate {
    /// Waits for the gate; its buffer is the pass, held until dropped.
    fn enter(&self) -> MutexGuard<'_, Vec<u8>> {
        // A panic while a file was checked was reported for that file; the
        // buffer is only bytes.
        self.buffer.lock().unwrap_or_else(|e| e.into_inner())
    }
}

/// The rayon pool where the parts of big plain-text files are checked,
/// built on first use (a run of small files never starts its threads).
/// Its jobs are part checks alone: pure work that waits for nothing but
/// its own parts, so every job it takes on finishes.
struct PartPool {
    threads: usize,
    pool: OnceLock<Option<rayon::ThreadPool>>,
}

impl PartPool {
    fn new(threads: usize) -> Self {
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
struct BigFiles {
    gate: BigFileGate,
    parts: PartPool,
}

/// The bytes of an input: its own, or the big-file buffer while held.
enum Bytes<'g> {
    Owned(Vec<u8>),
    Gated(MutexGuard<'g, Vec<u8>>),
}

impl std::ops::Deref for Bytes<'_> {
    type Target = [u8];
    fn deref(&self) -> &[u8] {
        match self {
            Bytes::Owned(b) => b,
            Bytes::Gated(b) => b,
        }
    }
}

/// Reads `file` to its end into `buf`, given the `size` its metadata gave:
/// `read_to_end` would ask for the size again (two system calls) and read
/// once more to see the end. A regular file's read returns fewer bytes than
/// asked only at its end, so reading the expected size into room for one
/// more byte is the whole read; a file that grew meanwhile fills that byte
/// and is read on to its end. (A read that comes back short exactly at the
/// stated size is taken for the end: a file system would have to report a
/// stale size and cut reads at that very byte to lose a longer tail.)
fn read_to_end_sized(file: &mut impl Read, buf: &mut Vec<u8>, size: usize) -> io::Result<()> {
    let start = buf.len();
    let mut filled = start;
    buf.resize(start.saturating_add(size).saturating_add(1), 0);
    loop {
        match file.read(&mut buf[filled..]) {
            Ok(0) => break,
            Ok(n) => {
                filled += n;
                if filled == buf.len() {
                    let more = buf.len().max(8192);
                    buf.resize(buf.len() + more, 0);
                } else if filled - start == size {
                    break;
                }
            }
            Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
            Err(e) => {
                buf.truncate(filled);
                return Err(e);
            }
        }
    }
    buf.truncate(filled);
    Ok(())
}

/// Why a file whose first bytes are `head` is not checked, if it is not:
/// a byte-order mark of another encoding (a note), or a NUL byte (binary).
/// `head` is the file's first [`document::BINARY_SNIFF_BYTES`] bytes, or
/// all of it when it is shorter.
fn sniff(head: &[u8]) -> Option<Problem> {
    if let Some(reason) = unsupported_encoding(head) {
        return Some(Problem::Skipped(reason.to_string()));
    }
    document::looks_binary(head).then_some(Problem::Binary)
}

/// Reads `file` to its end after `buf`'s bytes, as [`read_to_end_sized`]
/// with the `size` hint, unless its first bytes say it is not to be checked
/// (see [`sniff`]): then only those are read, and the problem returned. An
/// 8 GB sparse file or disk image is skipped after 8 KiB, not read whole.
fn read_sniffed(
    file: &mut impl Read,
    buf: &mut Vec<u8>,
    size: usize,
) -> io::Result<Option<Problem>> {
    let start = buf.len();
    buf.resize(start + document::BINARY_SNIFF_BYTES, 0);
    let mut filled = start;
    while filled < buf.len() {
        match file.read(&mut buf[filled..]) {
            Ok(0) => break,
            Ok(n) => filled += n,
            Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
            Err(e) => {
                buf.truncate(filled);
                return Err(e);
            }
        }
    }
    buf.truncate(filled);
    if let Some(problem) = sniff(&buf[start..]) {
        return Ok(Some(problem));
    }
    if filled - start == document::BINARY_SNIFF_BYTES {
        read_to_end_sized(file, buf, size.saturating_sub(filled - start))?;
    }
    Ok(None)
}

/// The bytes of `input`, or why it is not checked (`Ok(Err(problem))`): a
/// special file, another encoding, a binary file. A file that will be
/// checked as plain text and is larger than one part is read through
/// `gate`, when there is one (the calling thread may wait there: it must
/// not be a rayon thread, see [`BigFileGate`]).
fn read_input<'g>(
    input: &Input,
    plain: bool,
    gate: Option<&'g BigFileGate>,
) -> io::Result<Result<Bytes<'g>, Problem>> {
    match input {
        Input::File(p) => {
            let mut file = open_nonblocking(p)?;
            let meta = file.metadata()?;
            if let Some(kind) = special_file(&meta) {
                return Ok(Err(Problem::Skipped(format!("{kind} is not checked"))));
            }
            let big = plain && meta.len() > document::MAX_SEGMENT_BYTES as u64;
            // Only a hint (see `read_to_end_sized`).
            let size = usize::try_from(meta.len()).unwrap_or(0);
            if let Some(gate) = gate.filter(|_| big) {
                let mut buf = gate.enter();
                buf.clear();
                if let Some(problem) = read_sniffed(&mut file, &mut buf, size)? {
                    return Ok(Err(problem));
                }
                return Ok(Ok(Bytes::Gated(buf)));
            }
            let mut buf = Vec::new();
            if let Some(problem) = read_sniffed(&mut file, &mut buf, size)? {
                return Ok(Err(problem));
            }
            Ok(Ok(Bytes::Owned(buf)))
        }
        Input::Stdin => {
            let mut buf = Vec::new();
            let mut stdin = io::stdin().lock();
            if let Some(problem) = read_sniffed(&mut stdin, &mut buf, 0)? {
                return Ok(Err(problem));
            }
            Ok(Ok(Bytes::Owned(buf)))
        }
    }
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

/// [`check_input`], with a panic in a rule turned into a problem of this file
/// so that one bad input cannot take the rest of the report down with it.
fn check_caught(
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

/// Totals of a run.
#[derive(Clone, Debug, Default)]
pub struct Summary {
    /// Inputs checked (binary and unreadable ones included).
    pub files: usize,
    /// Findings per severity: info, warning, error.
    pub findings: [usize; 3],
    /// Inputs that could not be read, or whose check hit a bug.
    pub unreadable: usize,
    /// Records that could not be read (their files were still checked).
    pub bad_records: usize,
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
            let options = options.for_input(input);
            let result = check_caught(ruleset, input, options, &big, needs);
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
    /// Reports every result that is next in input order.
    fn report_ready(&mut self) -> io::Result<()> {
        while let Some(result) = self.pending.remove(&self.reported) {
            let summary = &mut self.summary;
            summary.files += 1;
            for problem in &result.problems {
                match problem {
                    Problem::Unreadable(_) | Problem::Panicked(_) => summary.unreadable += 1,
                    Problem::Record { .. } => summary.bad_records += 1,
                    _ => {}
                }
                (self.note)(&result.path, problem);
            }
            for row in &result.rows {
                summary.findings[row.finding.severity as usize] += 1;
            }
            self.reporter.file_info(&result.path, &result.info)?;
            self.reporter.file_owned(&result.path, result.rows)?;
            self.reported += 1;
        }
        Ok(())
    }
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

#[cfg(test)]
mod tests {
    use super::{Problem, read_sniffed, read_to_end_sized, sniff};
    use std::io::{self, Read};

    /// Hands out at most `chunk` bytes a call, failing once with
    /// `Interrupted` first.
    struct Trickle<'a> {
        data: &'a [u8],
        chunk: usize,
        interrupted: bool,
    }

    impl Read for Trickle<'_> {
        fn read(&mut self, out: &mut [u8]) -> io::Result<usize> {
            if !self.interrupted {
                self.interrupted = true;
                return Err(io::ErrorKind::Interrupted.into());
            }
            let n = self.data.len().min(out.len()).min(self.chunk);
            out[..n].copy_from_slice(&self.data[..n]);
            self.data = &self.data[n..];
            Ok(n)
        }
    }

    /// Every byte is read, after what the buffer already held, whatever
    /// the size hint says for a reader that fills each request until its
    /// end (as a regular file does), and whatever the reader's chunks when
    /// the hint is right. (A reader that returns less than asked before its
    /// end *and* a wrong hint are not covered: see `read_to_end_sized`.)
    #[test]
    fn sized_reads_keep_every_byte() {
        let data: Vec<u8> = (0..20_000u32).map(|i| (i % 251) as u8).collect();
        for len in [0, 1, 10, 8191, 8192, 20_000] {
            let data = &data[..len];
            for hint in [0, len / 2, len, len + 1, len * 3 + 7] {
                for chunk in [1, 3, 4096, usize::MAX] {
                    if chunk < len && hint != len {
                        continue;
                    }
                    let mut buf = b"kept".to_vec();
                    let mut reader = Trickle {
                        data,
                        chunk,
                        interrupted: false,
                    };
                    read_to_end_sized(&mut reader, &mut buf, hint).expect("reads");
                    assert_eq!(&buf[..4], b"kept");
                    assert_eq!(&buf[4..], data, "len {len} hint {hint} chunk {chunk}");
                }
            }
        }
    }

    /// The first bytes decide: a NUL makes a file binary, a UTF-16 or
    /// UTF-32 byte-order mark gets its note, text passes.
    #[test]
    fn sniffing_the_head() {
        assert_eq!(sniff(b"PK\x03\x04\x00\x00"), Some(Problem::Binary));
        assert_eq!(sniff(b"plain text"), None);
        assert_eq!(sniff(b""), None);
        for bom in [&b"\xFF\xFEa\x00"[..], b"\xFE\xFF\x00a", b"\x00\x00\xFE\xFF"] {
            let Some(Problem::Skipped(note)) = sniff(bom) else {
                panic!("no note for {bom:?}");
            };
            assert!(note.contains("not supported"), "{note}");
        }
    }

    /// A binary input is skipped after its first 8 KiB: an endless stream
    /// of NUL bytes (a sparse file, `/dev/zero` behind a pipe) is not read
    /// to its end. Text is read whole, after the same head.
    #[test]
    fn binary_is_known_before_the_rest_is_read() {
        let mut buf = Vec::new();
        let problem = read_sniffed(&mut io::repeat(0), &mut buf, usize::MAX).expect("reads");
        assert_eq!(problem, Some(Problem::Binary));
        assert_eq!(buf.len(), crate::document::BINARY_SNIFF_BYTES);

        let text: Vec<u8> = b"Some text. ".repeat(3000);
        for (hint, chunk) in [(text.len(), usize::MAX), (0, 7), (text.len() * 2, 4096)] {
            let mut reader = Trickle {
                data: &text,
                chunk,
                interrupted: false,
            };
            let mut buf = Vec::new();
            let problem = read_sniffed(&mut reader, &mut buf, hint).expect("reads");
            assert_eq!(problem, None);
            assert_eq!(buf, text, "hint {hint} chunk {chunk}");
        }
        // A NUL after the head is text's business (the invalid-UTF-8 rule).
        let mut late = b"x".repeat(9000);
        late.push(0);
        let mut buf = Vec::new();
        let problem = read_sniffed(&mut late.as_slice(), &mut buf, late.len()).expect("reads");
        assert_eq!((problem, buf.len()), (None, late.len()));
    }
}
