//! Reporters: everything that turns findings into output. Positions (line and
//! column) are computed here from the original bytes, never by rules.

mod csv;
pub mod filter;
mod github;
mod json;
mod sarif;
mod summary;
mod text;
pub mod visible;

use std::cell::{Cell, OnceCell};
use std::io::{self, Write};
use std::sync::Arc;

use crate::finding::{Finding, RuleMeta};
use crate::suppress::{self, Directive};

pub use self::csv::CsvReporter;
pub use self::github::{GithubReporter, escape_data, escape_property};
pub use self::json::{JsonLinesReporter, JsonReporter};
pub use self::sarif::SarifReporter;
pub use self::summary::SummaryReporter;
pub use self::text::TextReporter;
pub use self::visible::visible;

/// A finding with its human position and the original text it covers.
#[derive(Clone, Debug)]
pub struct Located {
    /// The finding, with its byte span.
    pub finding: Finding,
    /// The record or unit the finding is in (JSONL id or line number, feed
    /// item guid, XLIFF unit id, PO msgctxt or msgid); `None` in plain files.
    pub record: Option<String>,
    /// 1-based line of the first byte.
    pub line: usize,
    /// 1-based column of the first byte, in Unicode scalar values.
    pub column: usize,
    /// 1-based line of the end position (the byte after the span).
    pub end_line: usize,
    /// 1-based column of the end position, exclusive, in Unicode scalar values.
    pub end_column: usize,
    /// The original text of the span (invalid UTF-8 shown as U+FFFD).
    pub matched: String,
    /// The line of the first byte, without its line break; clipped to a
    /// window around the span when the line is long (see `line_text_column`).
    /// Empty when the run's reporter does not read it ([`Needs`]).
    pub line_text: String,
    /// 1-based column (in Unicode scalar values) of the line at which
    /// `line_text` begins: 1 unless the line was clipped.
    pub line_text_column: usize,
    /// FNV-1a 64 hash of the span's surroundings (up to [`CONTEXT_CHARS`]
    /// chars either side, within its lines, whitespace collapsed): stable when
    /// lines are inserted elsewhere, so baselines and SARIF fingerprints
    /// survive edits that do not touch the artifact. 0 when the run's
    /// reporter does not read it ([`Needs`]).
    pub context_hash: u64,
}

impl Located {
    /// A stable fingerprint of the finding: rule id, matched text and context,
    /// never its line number.
    pub fn fingerprint(&self) -> u64 {
        let mut h = Fnv64::new();
        h.write(self.finding.rule.id.as_bytes());
        h.write(&[0]);
        h.write(self.matched.as_bytes());
        h.write(&[0]);
        h.write(&self.context_hash.to_le_bytes());
        h.finish()
    }
}

/// Chars either side of a span hashed into [`Located::context_hash`].
pub const CONTEXT_CHARS: usize = 40;

/// Bytes of a long line kept before a span's start in [`Located::line_text`].
const LINE_BEFORE: usize = 120;
/// Bytes of a long line kept from a span's start in [`Located::line_text`].
const LINE_AFTER: usize = 240;

/// FNV-1a, 64 bits: a stable hash (unlike std's `DefaultHasher`, whose output
/// may change between Rust versions), so baseline files stay valid.
#[derive(Clone, Copy, Debug)]
pub struct Fnv64(u64);

impl Fnv64 {
    /// The FNV offset basis.
    pub fn new() -> Self {
        Fnv64(0xcbf2_9ce4_8422_2325)
    }

    /// Hashes more bytes.
    pub fn write(&mut self, bytes: &[u8]) {
        for &b in bytes {
            self.0 ^= u64::from(b);
            self.0 = self.0.wrapping_mul(0x0100_0000_01b3);
        }
    }

    /// The hash so far.
    pub fn finish(self) -> u64 {
        self.0
    }
}

impl Default for Fnv64 {
    fn default() -> Self {
        Self::new()
    }
}

/// What reporters and filters learn about a whole file, beyond its findings.
#[derive(Clone, Debug, Default)]
pub struct FileInfo {
    /// Words in the file: whitespace-separated tokens holding a letter or digit
    /// (0 when the run's reporter does not read it, see [`Needs`]).
    pub words: usize,
    /// Size of the file in bytes.
    pub bytes: usize,
    /// Inline suppression comments, in order.
    pub directives: Vec<Directive>,
    /// For each directive: 1-based (line, column, end line, end column) of
    /// its comment, and the comment's first line (for reporting it).
    pub directive_positions: Vec<DirectivePosition>,
}

/// Where a suppression comment is, for reporting and `disable-next-line`.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct DirectivePosition {
    /// 1-based line of the comment's first byte.
    pub line: usize,
    /// 1-based column of the first byte, in Unicode scalar values.
    pub column: usize,
    /// 1-based line of the position just after the comment.
    pub end_line: usize,
    /// 1-based column just after the comment, exclusive.
    pub end_column: usize,
    /// 1-based line of the comment's last byte.
    pub last_line: usize,
    /// The comment's first line (clipped like [`Located::line_text`]).
    pub line_text: String,
    /// See [`Located::line_text_column`].
    pub line_text_column: usize,
}

/// Words for density figures, as `wc -w` counts them: runs of non-space
/// bytes, counted where a non-space byte follows a space (or starts the
/// file). Runs on every file, so the count is kept in byte-wide lanes over
/// blocks of 255 pairs, a loop the compiler vectorises.
fn count_words(bytes: &[u8]) -> usize {
    let space = |b: u8| matches!(b, b' ' | b'\t' | b'\n' | b'\r' | b'\x0C');
    let first = usize::from(bytes.first().is_some_and(|&b| !space(b)));
    let (before, after) = match bytes {
        [] => return 0,
        [_, rest @ ..] => (&bytes[..bytes.len() - 1], rest),
    };
    let starts: usize = before
        .chunks(255)
        .zip(after.chunks(255))
        .map(|(a, b)| {
            let n = a
                .iter()
                .zip(b)
                .fold(0u8, |n, (&x, &y)| n + u8::from(space(x) & !space(y)));
            usize::from(n)
        })
        .sum();
    first + starts
}

/// Word count, size and suppression comments of one file's bytes.
pub fn file_info(bytes: &[u8]) -> FileInfo {
    file_info_for(bytes, Needs::ALL)
}

/// [`file_info`], counting words only when `needs` says so.
pub(crate) fn file_info_for(bytes: &[u8], needs: Needs) -> FileInfo {
    let words = if needs.words { count_words(bytes) } else { 0 };
    let directives = suppress::scan(bytes);
    let directive_positions = if directives.is_empty() {
        Vec::new()
    } else {
        let index = LineIndex::new(bytes);
        directives
            .iter()
            .map(|d| {
                let (line, column) = index.position(d.span.start);
                let (end_line, end_column) = index.position(d.span.end);
                let (last_line, _) = index.position(d.span.end.saturating_sub(1));
                let (line_text, line_text_column) = index.line_window(d.span.start);
                DirectivePosition {
                    line,
                    column,
                    end_line,
                    end_column,
                    last_line,
                    line_text,
                    line_text_column,
                }
            })
            .collect()
    };
    FileInfo {
        words,
        bytes: bytes.len(),
        directives,
        directive_positions,
    }
}

/// Bytes between two checkpoints of [`LineIndex::checkpoints`].
const CHECKPOINT_BYTES: usize = 1024;

/// Byte offsets of line starts, for turning byte offsets into line and column.
struct LineIndex<'a> {
    bytes: &'a [u8],
    starts: Vec<usize>,
    /// The last positions asked for, (byte offset, line, column), one per
    /// kind of question (span starts, span ends, window starts): each kind
    /// comes in nearly increasing order, so the last answer is usually the
    /// nearest known position.
    cursors: [Cell<(usize, usize, usize)>; 3],
    /// The chars before every [`CHECKPOINT_BYTES`]-th byte of the file (one
    /// `usize` per KiB), counted in one pass the first time a position lies
    /// over `2 * CHECKPOINT_BYTES` bytes from both its line start and the
    /// last answer — on a long line, the end of a short span after that of
    /// a long one. No answer then counts more than that many bytes, so
    /// positions stay linear in the file however spans interleave.
    checkpoints: OnceCell<Vec<usize>>,
    /// Bytes counted for positions so far (tests bound it).
    #[cfg(test)]
    scanned: Cell<usize>,
}

/// Which cursor a position question uses.
#[derive(Clone, Copy)]
enum Cursor {
    Start = 0,
    End = 1,
    Window = 2,
}

impl<'a> LineIndex<'a> {
    fn new(bytes: &'a [u8]) -> Self {
        let mut starts = vec![0];
        starts.extend(memchr::memchr_iter(b'\n', bytes).map(|i| i + 1));
        let cursors = std::array::from_fn(|_| Cell::new((0, 1, 1)));
        LineIndex {
            bytes,
            starts,
            cursors,
            checkpoints: OnceCell::new(),
            #[cfg(test)]
            scanned: Cell::new(0),
        }
    }

    /// [`Self::position`], counting from the cursor's last answer when that
    /// is the nearest known position on the same line.
    fn position_at(&self, cursor: Cursor, offset: usize) -> (usize, usize) {
        let offset = offset.min(self.bytes.len());
        let cell = &self.cursors[cursor as usize];
        let (last, last_line, last_column) = cell.get();
        let line = self.starts.partition_point(|&s| s <= offset);
        let known = (line == last_line).then_some((last, last_column));
        let column = self.column(self.starts[line - 1], offset, known);
        cell.set((offset, line, column));
        (line, column)
    }

    /// 1-based (line, column) of byte `offset`; the column counts chars, where
    /// each byte that does not continue a UTF-8 sequence starts one.
    fn position(&self, offset: usize) -> (usize, usize) {
        let offset = offset.min(self.bytes.len());
        let line = self.starts.partition_point(|&s| s <= offset);
        (line, self.column(self.starts[line - 1], offset, None))
    }

    /// The 1-based column of byte `offset` on the line that starts at byte
    /// `start`, counted from the nearest known position: the line start,
    /// `known` (byte offset and column of an earlier answer on that line;
    /// forwards or backwards) or, when both are far, the checkpoints.
    fn column(&self, start: usize, offset: usize, known: Option<(usize, usize)>) -> usize {
        let (from, column) = match known {
            Some((at, column)) if at.abs_diff(offset) < offset - start => (at, column),
            _ => (start, 1),
        };
        if from.abs_diff(offset) > 2 * CHECKPOINT_BYTES {
            1 + self.chars_before(offset) - self.chars_before(start)
        } else if from <= offset {
            column + self.count(from..offset)
        } else {
            column - self.count(offset..from)
        }
    }

    /// The chars of the file before byte `offset`, counted from the
    /// checkpoint at or before it (the checkpoints are counted on first use).
    fn chars_before(&self, offset: usize) -> usize {
        let checkpoints = self.checkpoints.get_or_init(|| {
            let mut chars = 0;
            let mut checkpoints = Vec::with_capacity(self.bytes.len() / CHECKPOINT_BYTES + 2);
            checkpoints.push(0);
            for at in (0..self.bytes.len()).step_by(CHECKPOINT_BYTES) {
                chars += self.count(at..(at + CHECKPOINT_BYTES).min(self.bytes.len()));
                checkpoints.push(chars);
            }
            checkpoints
        });
        let k = offset / CHECKPOINT_BYTES;
        checkpoints[k] + self.count(k * CHECKPOINT_BYTES..offset)
    }

    /// The chars in `range` of the file (see [`chars_in`]).
    fn count(&self, range: std::ops::Range<usize>) -> usize {
        #[cfg(test)]
        self.scanned.set(self.scanned.get() + range.len());
        chars_in(&self.bytes[range])
    }

    /// Byte range of the line holding byte `offset`, without its line break.
    fn line_range(&self, offset: usize) -> std::ops::Range<usize> {
        let offset = offset.min(self.bytes.len());
        let line = self.starts.partition_point(|&s| s <= offset);
        let start = self.starts[line - 1];
        let mut end = self
            .starts
            .get(line)
            .map_or(self.bytes.len(), |&next| next - 1);
        if end > start && self.bytes[end - 1] == b'\r' {
            end -= 1;
        }
        start..end.max(start)
    }

    /// The line of byte `offset` (a window of it when long) and the 1-based
    /// column at which the window begins.
    fn line_window(&self, offset: usize) -> (String, usize) {
        let line = self.line_range(offset);
        let offset = offset.clamp(line.start, line.end);
        let start = char_start(
            self.bytes,
            offset.saturating_sub(LINE_BEFORE).max(line.start),
        );
        let end = char_start(self.bytes, (offset + LINE_AFTER).min(line.end));
        let text = String::from_utf8_lossy(&self.bytes[start..end]).replace('\t', " ");
        (text, self.position_at(Cursor::Window, start).1)
    }

    /// Hash of up to [`CONTEXT_CHARS`] chars either side of `span`, kept
    /// within the span's lines, with runs of whitespace collapsed.
    fn context_hash(&self, span: std::ops::Range<usize>) -> u64 {
        let first = self.line_range(span.start);
        let last = self.line_range(span.end.saturating_sub(1).max(span.start));
        let mut start = span.start;
        for _ in 0..CONTEXT_CHARS {
            if start <= first.start {
                break;
            }
            start = char_start(self.bytes, start - 1);
        }
        let mut end = span.end.max(span.start);
        for _ in 0..CONTEXT_CHARS {
            if end >= last.end {
                break;
            }
            end = char_end(self.bytes, end + 1);
        }
        let start = start.max(first.start.min(span.start));
        let end = end.min(self.bytes.len()).max(start);
        let mut h = Fnv64::new();
        let mut space = false;
        for word in self.bytes[start..end].split(|b| b.is_ascii_whitespace()) {
            if word.is_empty() {
                continue;
            }
            if space {
                h.write(b" ");
            }
            h.write(word);
            space = true;
        }
        h.finish()
    }
}

/// The chars in `bytes`: those that do not continue a UTF-8 sequence, or
/// simply its length when it is ASCII (checked a word at a time).
fn chars_in(bytes: &[u8]) -> usize {
    if bytes.is_ascii() {
        bytes.len()
    } else {
        bytes.iter().filter(|&&b| (b & 0xC0) != 0x80).count()
    }
}

/// The start of the char holding byte `i` (a byte that does not continue a
/// UTF-8 sequence), never past `bytes.len()`.
fn char_start(bytes: &[u8], mut i: usize) -> usize {
    i = i.min(bytes.len());
    while i > 0 && i < bytes.len() && (bytes[i] & 0xC0) == 0x80 {
        i -= 1;
    }
    i
}

/// The first char start at or after byte `i`.
fn char_end(bytes: &[u8], mut i: usize) -> usize {
    i = i.min(bytes.len());
    while i < bytes.len() && (bytes[i] & 0xC0) == 0x80 {
        i += 1;
    }
    i
}

/// Adds positions and matched text to findings of one file.
pub fn locate(bytes: &[u8], findings: Vec<Finding>) -> Vec<Located> {
    locate_records(bytes, findings.into_iter().map(|f| (f, None)).collect())
}

/// Like [`locate`], for findings that each belong to a record.
pub fn locate_records(bytes: &[u8], findings: Vec<(Finding, Option<String>)>) -> Vec<Located> {
    locate_rows(bytes, findings, Needs::ALL)
}

/// [`locate_records`], filling [`Located::line_text`] and
/// [`Located::context_hash`] only when `needs` says so.
pub(crate) fn locate_rows(
    bytes: &[u8],
    findings: Vec<(Finding, Option<String>)>,
    needs: Needs,
) -> Vec<Located> {
    if findings.is_empty() {
        return Vec::new();
    }
    let index = LineIndex::new(bytes);
    findings
        .into_iter()
        .map(|(finding, record)| {
            let span = finding.span.start.min(bytes.len())..finding.span.end.min(bytes.len());
            let (line, column) = index.position_at(Cursor::Start, span.start);
            let (end_line, end_column) = index.position_at(Cursor::End, span.end);
            let (line_text, line_text_column) = if needs.line_text {
                index.line_window(span.start)
            } else {
                (String::new(), 1)
            };
            let context_hash = if needs.context_hash {
                index.context_hash(span.clone())
            } else {
                0
            };
            let matched = String::from_utf8_lossy(&bytes[span]).into_owned();
            Located {
                finding,
                record,
                line,
                column,
                end_line,
                end_column,
                matched,
                line_text,
                line_text_column,
                context_hash,
            }
        })
        .collect()
}

/// Output formats.
#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub enum Format {
    /// One row per finding, RFC 4180 (the default).
    Csv,
    /// For people: position, rule, message, the line with the span underlined.
    Text,
    /// One JSON array of finding objects with the CSV's fields.
    Json,
    /// One JSON finding object per line, streamed.
    Jsonl,
    /// SARIF 2.1.0, for code-scanning dashboards.
    Sarif,
    /// GitHub Actions workflow commands (annotations on pull requests).
    Github,
    /// Counts per rule, category and file, with artifacts per 1,000 words.
    Summary,
}

/// Writes findings in one format. Files arrive sorted by path, each file's
/// findings sorted by byte offset then rule id.
pub trait Reporter: Send {
    /// Called once before any file with every rule that may report (sorted
    /// by id); reporters that list rules (SARIF) keep them. Whoever drives
    /// the run calls it (`app` does; `engine::run` does not).
    fn start(&mut self, rules: &[Arc<RuleMeta>]) -> io::Result<()> {
        let _ = rules;
        Ok(())
    }
    /// Called just before [`Reporter::file`] with what is known about the
    /// whole file (words, suppression comments).
    fn file_info(&mut self, path: &str, info: &FileInfo) -> io::Result<()> {
        let _ = (path, info);
        Ok(())
    }
    /// Reports the findings of one file (called for files without findings too).
    fn file(&mut self, path: &str, rows: &[Located]) -> io::Result<()>;
    /// [`Reporter::file`], given the rows to keep: a reporter that passes
    /// rows on changed (the configuration filter) takes them without a copy.
    fn file_owned(&mut self, path: &str, rows: Vec<Located>) -> io::Result<()> {
        self.file(path, &rows)
    }
    /// Writes anything still buffered.
    fn finish(&mut self) -> io::Result<()>;
    /// What the reporter reads beyond each row's finding, position and
    /// matched text; a run leaves the rest empty (see [`Needs`]).
    fn needs(&self) -> Needs {
        Needs::ALL
    }
}

/// The parts of rows and [`FileInfo`] that cost a pass over the text, and
/// whether a reporter reads them: a run computes only what is read.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Needs {
    /// [`Located::line_text`] (the source line around a finding; else empty).
    pub line_text: bool,
    /// [`Located::context_hash`], for fingerprints (else 0).
    pub context_hash: bool,
    /// [`FileInfo::words`] (else 0).
    pub words: bool,
}

impl Needs {
    /// Everything: the safe answer for a reporter that does not say.
    pub const ALL: Needs = Needs {
        line_text: true,
        context_hash: true,
        words: true,
    };
    /// Nothing beyond the finding, its position and matched text.
    pub const NONE: Needs = Needs {
        line_text: false,
        context_hash: false,
        words: false,
    };

    /// What either needs.
    pub fn or(self, other: Needs) -> Needs {
        Needs {
            line_text: self.line_text || other.line_text,
            context_hash: self.context_hash || other.context_hash,
            words: self.words || other.words,
        }
    }
}

/// Options that only some reporters use.
#[derive(Clone, Debug, Default)]
pub struct ReportOptions {
    /// Use ANSI colours (text reporter; only on a terminal without NO_COLOR).
    pub color: bool,
    /// The folder SARIF URIs are made relative to (the working directory).
    pub base_dir: Option<std::path::PathBuf>,
}

/// A reporter of `format` writing to `out`.
pub fn reporter<'w>(
    format: Format,
    out: Box<dyn Write + Send + 'w>,
    options: &ReportOptions,
) -> io::Result<Box<dyn Reporter + 'w>> {
    Ok(match format {
        Format::Csv => Box::new(CsvReporter::new(out)?),
        Format::Text => Box::new(TextReporter::new(out, options.color)),
        Format::Json => Box::new(JsonReporter::new(out)),
        Format::Jsonl => Box::new(JsonLinesReporter::new(out)),
        Format::Sarif => Box::new(SarifReporter::new(out, options.base_dir.clone())),
        Format::Github => Box::new(GithubReporter::new(out, options.base_dir.clone())),
        Format::Summary => Box::new(SummaryReporter::new(out)),
    })
}

/// `path` relative to `base` when it lies under it (absolute paths from the
/// command line), normalised as by [`normalize_path`].
pub fn relative_path(path: &str, base: Option<&std::path::Path>) -> String {
    let p = std::path::Path::new(path);
    if let Some(rel) = base
        .filter(|_| p.is_absolute())
        .and_then(|b| p.strip_prefix(b).ok())
    {
        return normalize_path(&rel.to_string_lossy());
    }
    normalize_path(path)
}

/// The path as reports outside the CSV show it: `/` separators, no leading `./`.
pub fn normalize_path(path: &str) -> String {
    let mut p = path.replace('\\', "/");
    while let Some(rest) = p.strip_prefix("./") {
        p = rest.to_string();
    }
    p
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn words_are_runs_of_non_space() {
        assert_eq!(
            count_words(b"The talks -- ended. 3 \xE2\x80\x9Cok\xE2\x80\x9D\n\n  "),
            6
        );
        assert_eq!(count_words(b"  one  two"), 2);
        assert_eq!(count_words(b""), 0);
    }

    #[test]
    fn word_count_is_right_across_block_edges() {
        // Words of varied length so that starts and ends fall at every
        // offset of a 255-pair chunk, and on the chunk edges themselves.
        let naive = |b: &[u8]| {
            b.split(|c| matches!(c, b' ' | b'\t' | b'\n' | b'\r' | b'\x0C'))
                .filter(|w| !w.is_empty())
                .count()
        };
        let mut text = Vec::new();
        for i in 0..400usize {
            text.extend(std::iter::repeat_n(b'x', i % 67 + 1));
            text.extend(std::iter::repeat_n(b" \n\t"[i % 3], i % 5 + 1));
        }
        for len in (0..text.len())
            .step_by(7)
            .chain([254, 255, 256, 257, 510, 511, 512])
        {
            assert_eq!(
                count_words(&text[..len]),
                naive(&text[..len]),
                "length {len}"
            );
            assert_eq!(
                count_words(&text[1..len.max(1)]),
                naive(&text[1..len.max(1)])
            );
        }
    }

    #[test]
    fn positions_count_chars_not_bytes() {
        let text = "ab\n“cé”\nx";
        let index = LineIndex::new(text.as_bytes());
        assert_eq!(index.position(0), (1, 1));
        assert_eq!(index.position(3), (2, 1));
        let e = text.find('”').unwrap();
        assert_eq!(index.position(e), (2, 4));
        assert_eq!(index.position(text.len()), (3, 2));
        assert_eq!(index.position(2), (1, 3));
    }

    #[test]
    fn cursors_agree_with_counting_from_the_line_start() {
        let text = "é a “b” ".repeat(50) + "\nxyz é";
        let index = LineIndex::new(text.as_bytes());
        let offsets: Vec<usize> = text.char_indices().map(|(i, _)| i).collect();
        // Forwards, then backwards (the cursor must fall back).
        for &o in offsets.iter().chain(offsets.iter().rev()) {
            assert_eq!(
                index.position_at(Cursor::Start, o),
                index.position(o),
                "offset {o}"
            );
        }
    }

    /// Positions from cursors and checkpoints equal counting from the line
    /// start, for offsets in any order (span ends go back and forth), on
    /// lines short and long, with multi-byte chars and invalid bytes.
    #[test]
    fn positions_agree_with_counting_from_the_line_start_on_random_spans() {
        let mut seed = 0x9E37_79B9_7F4A_7C15u64;
        let mut next = move |n: usize| {
            seed ^= seed << 13;
            seed ^= seed >> 7;
            seed ^= seed << 17;
            (seed % n as u64) as usize
        };
        let pieces: [&[u8]; 6] = [
            b"a",
            b"word ",
            "é".as_bytes(),
            "“".as_bytes(),
            "😀".as_bytes(),
            b"\xFF",
        ];
        let mut bytes = Vec::new();
        for line in 0..12 {
            let len = [3, 40, 2_500, 9_000][line % 4] + next(500);
            let start = bytes.len();
            while bytes.len() - start < len {
                bytes.extend_from_slice(pieces[next(pieces.len())]);
            }
            bytes.push(b'\n');
        }
        let reference = |offset: usize| {
            let offset = offset.min(bytes.len());
            let start = bytes[..offset]
                .iter()
                .rposition(|&b| b == b'\n')
                .map_or(0, |i| i + 1);
            let line = 1 + bytes[..offset].iter().filter(|&&b| b == b'\n').count();
            let column = 1 + bytes[start..offset]
                .iter()
                .filter(|&&b| (b & 0xC0) != 0x80)
                .count();
            (line, column)
        };
        let index = LineIndex::new(&bytes);
        let mut start = 0;
        for _ in 0..3_000 {
            // Findings come sorted by start; their ends, anywhere after.
            start = (start + next(300)).min(bytes.len());
            let end = start + [0, 1, 5, 200, 5_000][next(5)];
            assert_eq!(
                index.position_at(Cursor::Start, start),
                reference(start),
                "start {start}"
            );
            assert_eq!(
                index.position_at(Cursor::End, end),
                reference(end),
                "end {end}"
            );
            let any = next(bytes.len() + 10);
            assert_eq!(
                index.position_at(Cursor::Window, any),
                reference(any),
                "offset {any}"
            );
            assert_eq!(index.position(any), reference(any), "offset {any}");
        }
        assert!(
            index.checkpoints.get().is_some(),
            "the checkpoints were tried"
        );
    }

    /// Long spans (a repeated sentence) holding short ones (a doubled word)
    /// on one long line: span ends then go back and forth, and each answer
    /// once recounted the line from its start (quadratic).
    #[test]
    fn positions_on_one_long_line_are_linear() {
        let unit = "The “envoy” met the the officials in Zürich , he said. ";
        let text = unit.repeat(2_000);
        let index = LineIndex::new(text.as_bytes());
        let mut queries = 0;
        for (u, _) in text.match_indices("The “envoy”") {
            let sentence = u..u + unit.len() - 1;
            let doubled = u + 20..u + 27;
            for span in [sentence, doubled] {
                index.position_at(Cursor::Start, span.start);
                index.position_at(Cursor::End, span.end);
                index.line_window(span.start);
                queries += 3;
            }
        }
        let scanned = index.scanned.get();
        assert!(
            scanned <= 2 * text.len() + queries * 2 * CHECKPOINT_BYTES,
            "{scanned} bytes counted for {queries} positions on a line of {} bytes",
            text.len()
        );
    }

    #[test]
    fn line_window_and_context_hash() {
        let text = "first\r\nsome  text here\n";
        let index = LineIndex::new(text.as_bytes());
        assert_eq!(index.line_window(0), ("first".to_string(), 1));
        assert_eq!(index.line_window(12), ("some  text here".to_string(), 1));
        let moved = format!("new line\n{text}");
        let moved_index = LineIndex::new(moved.as_bytes());
        let span = 13..17;
        assert_eq!(&text[span.clone()], "text");
        assert_eq!(
            index.context_hash(span.clone()),
            moved_index.context_hash(22..26)
        );
        let spaced = "first\r\nsome text   here\n";
        assert_eq!(
            index.context_hash(span),
            LineIndex::new(spaced.as_bytes()).context_hash(12..16)
        );
    }

    #[test]
    fn long_lines_are_windowed_on_char_boundaries() {
        let text = "é".repeat(400);
        let index = LineIndex::new(text.as_bytes());
        let (window, column) = index.line_window(401);
        assert!(window.chars().all(|c| c == 'é'));
        assert!(column > 1);
        assert!(window.len() <= LINE_BEFORE + LINE_AFTER + 2);
    }

    #[test]
    fn fnv_is_stable() {
        let mut h = Fnv64::new();
        h.write(b"a");
        assert_eq!(h.finish(), 0xaf63_dc4c_8601_ec8c);
    }

    proptest::proptest! {
        /// No input bytes make line windows, context hashes or suppression
        /// scanning panic, at any offset.
        #[test]
        fn never_panics_on_any_bytes(
            bytes in proptest::collection::vec(
                proptest::prop_oneof![
                    proptest::prelude::any::<u8>(),
                    proptest::prelude::Just(b'\n'),
                    proptest::prelude::Just(0xC3u8),
                ],
                0..200,
            ),
            prefix in proptest::prelude::any::<bool>(),
            a in 0usize..220,
            b in 0usize..220,
        ) {
            let mut bytes = bytes;
            if prefix {
                bytes.splice(0..0, b"<!-- mtlint-disable-next-line x -->\n<!-- mtlint-enable".iter().copied());
            }
            let index = LineIndex::new(&bytes);
            let (start, end) = (a.min(b), a.max(b));
            let _ = index.line_window(start);
            let _ = index.context_hash(start..end);
            let info = file_info(&bytes);
            let lines: Vec<usize> = info.directive_positions.iter().map(|p| p.last_line).collect();
            let mut s = suppress::Suppressions::new(info.directives.clone(), |i| lines.get(i).copied().unwrap_or(0));
            let _ = s.suppresses("x", "y", start, 1);
            let _ = s.unused();
        }
    }

    #[test]
    fn counts_words() {
        // As `wc -w` counts them: the dash is a word.
        assert_eq!(file_info("One, two — three 4.\n".as_bytes()).words, 5);
    }
}
