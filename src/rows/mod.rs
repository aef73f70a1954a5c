//! Findings → rows: the stage between checking and reporting. It turns a
//! file's findings (byte spans) into [`Located`] rows — 1-based lines and
//! columns, the matched text, the line around each, a context hash for
//! fingerprints — and reads what reporters learn about a whole file
//! ([`FileInfo`]: words, suppression comments), computing only what the
//! run's reporter reads ([`Needs`]). Knows nothing of rules, input formats
//! or how rows are written (no reporter, no output format).

mod fingerprint;
mod line_index;

use crate::finding::Finding;
use crate::language::Language;
use crate::suppress::{self, Directive};

use self::fingerprint::context_hash;
pub use self::fingerprint::{CONTEXT_CHARS, Fnv64};
use self::line_index::{Cursor, LineIndex};

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

/// What reporters and filters learn about a whole file, beyond its findings.
#[derive(Clone, Debug, Default)]
pub struct FileInfo {
    /// Words in the file: whitespace-separated tokens holding a letter or digit
    /// (0 when the run's reporter does not read it, see [`Needs`]).
    pub words: usize,
    /// Size of the file in bytes.
    pub bytes: usize,
    /// The language of most of the file's documents, when it was checked.
    pub language: Option<Language>,
    /// Characters in the file other than whitespace, counted for files in a
    /// language written without spaces between words (Chinese, Japanese),
    /// where densities are per character; 0 otherwise, or when the run's
    /// reporter does not read word counts ([`Needs`]).
    pub characters: usize,
    /// Inline suppression comments, in order.
    pub directives: Vec<Directive>,
    /// For each directive: 1-based (line, column, end line, end column) of
    /// its comment, and the comment's first line (for reporting it).
    pub directive_positions: Vec<DirectivePosition>,
    /// The documents of the file, in file order (empty unless the run's
    /// reporter reads them, see [`Needs::documents`]).
    pub documents: Vec<DocumentInfo>,
}

/// What reports learn of one document of a file (the file itself, or a
/// record, feed item or unit): enough to score and group it.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct DocumentInfo {
    /// The record id rows carry (`None` for a prose file).
    pub record: Option<String>,
    /// The group value the record holds, as written (see `crate::group`).
    pub group: Option<String>,
    /// The date the record holds, as written.
    pub date: Option<String>,
    /// The document's language (`None` when it was not checked).
    pub language: Option<Language>,
    /// Words of the document's checked text, counted as [`FileInfo::words`].
    pub words: usize,
    /// Characters of its checked text other than whitespace, for a document
    /// in a language counted in characters (Chinese, Japanese); 0 otherwise.
    pub characters: usize,
    /// Its units as the boilerplate miner counts them (`crate::mine::unit_keys`:
    /// a hash of each line or edge sentence and where it stands); empty
    /// unless the run's reporter reads them ([`Needs::units`]).
    pub units: Vec<(u64, u8)>,
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
pub(crate) fn count_words(bytes: &[u8]) -> usize {
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

/// Characters of `bytes` that are not whitespace (UTF-8 continuation bytes
/// and invalid bytes count as they come: one per lead byte).
pub(crate) fn count_characters(bytes: &[u8]) -> usize {
    let space = |b: u8| matches!(b, b' ' | b'\t' | b'\n' | b'\r' | b'\x0C');
    let ascii_and_leads = bytes
        .iter()
        .filter(|&&b| (b & 0xC0) != 0x80 && !space(b))
        .count();
    // U+3000, the ideographic space (E3 80 80), is whitespace too.
    ascii_and_leads - memchr::memmem::find_iter(bytes, "\u{3000}".as_bytes()).count()
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
        language: None,
        characters: 0,
        directives,
        directive_positions,
        documents: Vec::new(),
    }
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
                context_hash(&index, span.clone())
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

/// [`file_info_for`] of a part of a file (a chunk of records read as a
/// stream): `bytes` start at byte `offset` of the file, at the start of its
/// 1-based `line`; directive spans and positions are the file's.
pub(crate) fn part_info(bytes: &[u8], offset: usize, line: usize, needs: Needs) -> FileInfo {
    let mut info = file_info_for(bytes, needs);
    for d in &mut info.directives {
        d.span = d.span.start + offset..d.span.end + offset;
    }
    for p in &mut info.directive_positions {
        p.line += line - 1;
        p.end_line += line - 1;
        p.last_line += line - 1;
    }
    info
}

/// [`locate_rows`] for the findings of a part of a file: `bytes` start at
/// byte `offset` of the file, at the start of its 1-based `line`; finding
/// spans are the file's, and so are the rows' lines (columns, line texts
/// and context hashes stay within a line, which the part holds whole).
pub(crate) fn locate_rows_at(
    bytes: &[u8],
    offset: usize,
    line: usize,
    mut findings: Vec<(Finding, Option<String>)>,
    needs: Needs,
) -> Vec<Located> {
    for (f, _) in &mut findings {
        f.span = f.span.start.saturating_sub(offset)..f.span.end.saturating_sub(offset);
    }
    let mut rows = locate_rows(bytes, findings, needs);
    for row in &mut rows {
        let span = &mut row.finding.span;
        *span = span.start + offset..span.end + offset;
        row.line += line - 1;
        row.end_line += line - 1;
    }
    rows
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
    /// The edits of fixes (`Fix::edit`; else `None`).
    pub edits: bool,
    /// [`FileInfo::documents`] (else empty).
    pub documents: bool,
    /// [`DocumentInfo::units`] of those documents (else empty; implies
    /// `documents`), for files of more than one document.
    pub units: bool,
    /// With `units`, the units of a file's only document too. Off when
    /// documents are grouped by file: a file of one document is then a
    /// group of one, where nothing can recur.
    pub lone_units: bool,
}

impl Needs {
    /// Everything but [`Needs::units`]: the safe answer for a reporter that
    /// does not say.
    pub const ALL: Needs = Needs {
        line_text: true,
        context_hash: true,
        words: true,
        edits: true,
        documents: true,
        // Only the HTML report's boilerplate section reads them, and it
        // says so: working them out costs a pass over every document.
        units: false,
        lone_units: false,
    };
    /// Nothing beyond the finding, its position and matched text.
    pub const NONE: Needs = Needs {
        line_text: false,
        context_hash: false,
        words: false,
        edits: false,
        documents: false,
        units: false,
        lone_units: false,
    };

    /// What either needs.
    pub fn or(self, other: Needs) -> Needs {
        Needs {
            line_text: self.line_text || other.line_text,
            context_hash: self.context_hash || other.context_hash,
            words: self.words || other.words,
            edits: self.edits || other.edits,
            documents: self.documents || other.documents,
            units: self.units || other.units,
            lone_units: self.lone_units || other.lone_units,
        }
    }
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
            let _ = context_hash(&index, start..end);
            let info = file_info(&bytes);
            let lines: Vec<usize> = info.directive_positions.iter().map(|p| p.last_line).collect();
            let mut s = suppress::Suppressions::new(info.directives.clone(), |i| lines.get(i).copied().unwrap_or(0));
            let _ = s.suppresses("x", "y", start, 1);
            let _ = s.unused();
        }
    }

    #[test]
    fn counts_characters_without_whitespace() {
        assert_eq!(
            count_characters("市议会 表示，\n通车。\u{3000}x".as_bytes()),
            10
        );
        assert_eq!(count_characters(b""), 0);
    }

    #[test]
    fn counts_words() {
        // As `wc -w` counts them: the dash is a word.
        assert_eq!(file_info("One, two — three 4.\n".as_bytes()).words, 5);
    }
}
