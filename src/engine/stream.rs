//! Checking a data file (JSON Lines, CSV, TSV; a file or standard input) as
//! a stream of records: it is read a chunk of whole records at a time
//! (`records`), the records of a chunk are parsed and checked in parallel on
//! the run's part pool, and the chunk's rows go to the reporter before the
//! next chunk is read. Memory holds the chunks in flight, never the file.
//!
//! The rows are those of the file checked whole, byte for byte: records are
//! parsed by the same per-record code, offsets and lines are the file's,
//! findings come sorted in file order, and what only the whole file tells
//! (no record has the text field; the count of invalid UTF-8 sequences,
//! which a file is read ahead for) comes where the whole file gives it.
//! On standard input, whose end cannot be read ahead, the invalid-UTF-8
//! finding comes last.
//!
//! Knows nothing of the order inputs are reported in (`schedule` hands each
//! part on) or of how rows are written.

use std::io::{self, Read, Seek};
use std::ops::Range;

use rayon::prelude::*;

use super::check::{
    BigFiles, DocumentNeeds, check_record, document_info, resolve_language, with_language,
};
use super::discover::Input;
use super::problem::{self, Problem};
use super::read::open_stream;
use super::records::{Chunk, Framing, Origin, RecordReader, StreamSettings};
use super::shard::Shard;
use crate::check::builtin::invalid_utf8_finding;
use crate::document::{self, InputFormat, InputOptions, InvalidUtf8, RecordParser};
use crate::finding::Finding;
use crate::language::Language;
use crate::rows::{FileInfo, Located, Needs, locate_rows_at, part_info};
use crate::ruleset::Ruleset;

/// Most records in a chunk.
const CHUNK_RECORDS: usize = 1024;
/// Bytes after which a chunk takes no more records (a longer record is a
/// chunk of its own).
const CHUNK_BYTES: usize = 4 << 20;

/// The format `input` is read in as a stream of records, when it is: JSON
/// Lines, CSV or TSV, as the options say or (for a file) its extension;
/// UTF-8 (a file in another encoding, `--encoding`, is decoded whole).
pub fn streamed_format(input: &Input, options: &InputOptions) -> Option<InputFormat> {
    if options.encoding.is_some() {
        return None;
    }
    let format = options
        .format
        .or_else(|| input.path().and_then(InputFormat::from_extension))?;
    RecordParser::new(format, options).map(|_| format)
}

/// Whether `input` is checked in a run of shard `shard`: a file when its
/// path falls in the shard; standard input always when its records are
/// streamed (they are split by id), else when its shown path falls in it.
pub fn in_shard(input: &Input, options: &InputOptions, shard: Shard) -> bool {
    match input {
        Input::Stdin | Input::StdinNamed(_) if streamed_format(input, options).is_some() => true,
        _ => shard.takes_path(&input.display()),
    }
}

/// One chunk of a streamed file: what is known of its bytes, its rows and
/// its problems.
pub(super) struct Part {
    pub(super) info: FileInfo,
    pub(super) rows: Vec<Located>,
    pub(super) problems: Vec<Problem>,
}

/// The end of a streamed file: its totals (words, bytes), and its problems
/// that only the end tells.
pub(super) struct End {
    pub(super) info: FileInfo,
    pub(super) problems: Vec<Problem>,
    /// Documents checked.
    pub(super) records: usize,
    /// The words of the documents checked, when the run read them
    /// ([`Needs::documents`]).
    pub(super) document_words: Option<usize>,
}

/// What a stream carries from chunk to chunk.
struct State<'a> {
    ruleset: &'a Ruleset,
    options: &'a InputOptions,
    /// The languages of the documents so far, with how many each, in the
    /// order they first came (the file's is the most common, the first's
    /// on a tie), and the characters of the file other than whitespace.
    languages: Vec<(Language, usize)>,
    characters: usize,
    parser: RecordParser,
    shard: Option<Shard>,
    needs: Needs,
    /// The input, for reading ahead (a file) to count invalid UTF-8.
    input: &'a Input,
    /// Invalid UTF-8 so far: the first sequence (file offsets) and the
    /// sequences counted.
    invalid: Option<InvalidUtf8>,
    /// Whether the invalid-UTF-8 finding was reported (or, in a shard, left
    /// to another).
    invalid_reported: bool,
    /// Standard input's invalid-UTF-8 row, until the stream ends, and the
    /// bytes of its first sequence.
    invalid_pending: Option<Located>,
    invalid_first: Vec<u8>,
    /// Capped rules noted so far: one note per rule and file.
    noted: Vec<Problem>,
    words: usize,
    bytes: usize,
    /// Documents checked, and their words when read.
    records: usize,
    document_words: Option<usize>,
}

/// Checks `input` as a stream of `format` records, handing each chunk's
/// [`Part`] to `emit` in file order (which returns `false` to stop: the run
/// ended), and returns the file's [`End`]. Chunks are checked on the part
/// pool of `big`. Never panics on input: errors become problems.
#[allow(clippy::too_many_arguments)]
pub(super) fn check_stream(
    ruleset: &Ruleset,
    input: &Input,
    options: &InputOptions,
    format: InputFormat,
    settings: &StreamSettings,
    big: &BigFiles,
    needs: Needs,
    emit: &mut dyn FnMut(Part) -> bool,
) -> End {
    let limits = Limits {
        records: CHUNK_RECORDS,
        bytes: CHUNK_BYTES,
    };
    stream_with(
        ruleset, input, options, format, settings, big, needs, emit, limits,
    )
}

/// How big chunks grow (see [`RecordReader::next_chunk`]).
#[derive(Clone, Copy, Debug)]
struct Limits {
    records: usize,
    bytes: usize,
}

/// [`check_stream`] in chunks of `limits`.
#[allow(clippy::too_many_arguments)]
fn stream_with(
    ruleset: &Ruleset,
    input: &Input,
    options: &InputOptions,
    format: InputFormat,
    settings: &StreamSettings,
    big: &BigFiles,
    needs: Needs,
    emit: &mut dyn FnMut(Part) -> bool,
    limits: Limits,
) -> End {
    let mut end = End {
        info: FileInfo::default(),
        problems: Vec::new(),
        records: 0,
        document_words: None,
    };
    let Some(parser) = RecordParser::new(format, options) else {
        return end;
    };
    let (reader, head) = match open_stream(input) {
        Ok(Ok(opened)) => opened,
        Ok(Err(problem)) => {
            end.problems.push(problem);
            return end;
        }
        Err(e) => {
            end.problems.push(Problem::Unreadable(e.to_string()));
            return end;
        }
    };
    let framing = match parser.delimiter() {
        Some(d) => Framing::Delimited(d),
        None => Framing::Lines,
    };
    let origin = match input {
        Input::File(_) => Origin::START,
        Input::Stdin | Input::StdinNamed(_) => settings.origin.unwrap_or(Origin::START),
    };
    let mut records = RecordReader::new(reader, framing, origin, head);
    let mut state = State {
        ruleset,
        options,
        languages: Vec::new(),
        characters: 0,
        parser,
        shard: settings.shard.filter(|_| !matches!(input, Input::File(_))),
        needs,
        input,
        invalid: None,
        invalid_reported: false,
        invalid_pending: None,
        invalid_first: Vec::new(),
        noted: Vec::new(),
        words: 0,
        bytes: 0,
        records: 0,
        document_words: None,
    };
    loop {
        let chunk = match records.next_chunk(limits.records, limits.bytes) {
            Ok(Some(chunk)) => chunk,
            Ok(None) => break,
            Err(e) => {
                end.problems.push(Problem::Unreadable(e.to_string()));
                break;
            }
        };
        let checked =
            std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| state.chunk(&chunk, big)));
        let part = match checked {
            Ok(part) => part,
            Err(payload) => {
                end.problems.push(Problem::Panicked(panic_text(&payload)));
                break;
            }
        };
        if !emit(part) {
            return end;
        }
    }
    let finish = state.parser.finish();
    end.problems.extend(state.problems_of(finish));
    // Standard input cannot be read ahead: its invalid-UTF-8 finding,
    // which counts the whole stream, comes last.
    if let Some(row) = state.invalid_row() {
        emit(Part {
            info: FileInfo::default(),
            rows: vec![row],
            problems: Vec::new(),
        });
    }
    end.info.words = state.words;
    end.info.bytes = state.bytes;
    // As for a file checked whole: the language of most documents, and
    // characters for a language counted in them.
    end.info.language = (state.languages.iter().rev())
        .max_by_key(|(_, n)| *n)
        .map(|(l, _)| *l);
    if end.info.language.is_some_and(Language::counts_characters) {
        end.info.characters = state.characters;
    }
    end.records = state.records;
    end.document_words = state.document_words;
    end
}

/// What checking one record gave.
#[derive(Default)]
struct Checked {
    findings: Vec<(Finding, Option<String>)>,
    /// The record's documents, when the run reads them.
    documents: Vec<crate::rows::DocumentInfo>,
    /// Documents checked.
    records: usize,
    /// The languages of its documents, in order.
    languages: Vec<Language>,
    problems: Vec<Problem>,
    seen: document::RecordSeen,
    /// Whether the record is in the run's shard (always without one).
    taken: bool,
}

impl State<'_> {
    /// Parses and checks the records of `chunk` in parallel on the part
    /// pool, and makes its rows.
    fn chunk(&mut self, chunk: &Chunk, big: &BigFiles) -> Part {
        let bytes = &chunk.bytes;
        let (text, bad) = document::decode(bytes);
        let mut findings = Vec::new();
        if let Some(bad) = bad {
            findings.extend(self.invalid_utf8(chunk, bad));
        }
        let mut problems = Vec::new();
        let mut records = chunk.records.as_slice();
        // Header words count in the shard of its line, as unread records.
        let mut header_words = 0;
        while self.parser.wants_header() {
            let Some(((range, line), rest)) = records.split_first() else {
                break;
            };
            records = rest;
            let taken = self
                .shard
                .is_none_or(|s| s.takes(line.to_string().as_bytes()));
            if taken {
                header_words += crate::rows::count_words(&bytes[range.clone()]);
            }
            let header = self.parser.header(&text[range.clone()], *line);
            if taken {
                problems.extend(self.problems_of(header));
            }
        }
        let (parser, ruleset, shard, options) =
            (&self.parser, self.ruleset, self.shard, self.options);
        let (edits, documents) = (self.needs.edits, DocumentNeeds::of(self.needs));
        let check_one = |(range, line): &(Range<usize>, usize)| -> Checked {
            // Parsed at offsets into the chunk, whose text the edits of
            // fixes are worked out on; then moved to the file's offsets.
            let record = &text[range.clone()];
            let (mut parsed, seen) = parser.parse(record, range.start, *line);
            let mut out = Checked {
                seen,
                taken: true,
                ..Checked::default()
            };
            if let Some(shard) = shard {
                // A record goes by its id; one that gave no document (an
                // error, a blank line) by its line number.
                let key = match parsed.documents.first().and_then(|d| d.record.as_ref()) {
                    Some(id) => id.clone(),
                    None => line.to_string(),
                };
                out.taken = shard.takes(key.as_bytes());
                if !out.taken {
                    return out;
                }
            }
            out.records = parsed.documents.len();
            for doc in &mut parsed.documents {
                resolve_language(doc, options);
                out.languages.extend(doc.language);
            }
            if documents.infos {
                out.documents = (parsed.documents.iter())
                    .map(|d| document_info(d, documents.units))
                    .collect();
            }
            for doc in &parsed.documents {
                let (mut found, p) = check_record(ruleset, doc, Some(&big.parts));
                if edits {
                    crate::fix::attach_edits(doc, &text, &mut found);
                }
                problem::merge(&mut out.problems, p);
                out.findings.extend(found.into_iter().map(|f| {
                    let f = with_language(shifted(f, chunk.offset), doc);
                    (f, doc.record.clone())
                }));
            }
            out.problems
                .extend(parsed.errors.into_iter().map(|e| Problem::Record {
                    line: e.line,
                    message: e.message,
                }));
            out
        };
        let checked: Vec<Checked> = match big.parts.get() {
            Some(pool) => pool.install(|| records.par_iter().map(check_one).collect()),
            None => records.iter().map(check_one).collect(),
        };
        let mut taken_words = header_words;
        let mut infos = Vec::new();
        for (c, (range, _)) in checked.into_iter().zip(records) {
            self.parser.add(&c.seen);
            self.records += c.records;
            for language in c.languages {
                match self.languages.iter_mut().find(|(l, _)| *l == language) {
                    Some((_, n)) => *n += 1,
                    None => self.languages.push((language, 1)),
                }
            }
            if !c.documents.is_empty() {
                let words: usize = c.documents.iter().map(|d| d.words).sum();
                *self.document_words.get_or_insert(0) += words;
                infos.extend(c.documents);
            }
            if self.shard.is_some() && c.taken {
                taken_words += crate::rows::count_words(&bytes[range.clone()]);
            }
            findings.extend(c.findings);
            for p in c.problems {
                if matches!(p, Problem::Truncated(_)) {
                    if self.noted.contains(&p) {
                        continue;
                    }
                    self.noted.push(p.clone());
                }
                problems.push(p);
            }
        }
        // Each record's findings are sorted and lie in its bytes; a stable
        // sort places the invalid-UTF-8 finding as the whole file's does.
        findings.sort_by(|(a, _), (b, _)| a.sort_key().cmp(&b.sort_key()));
        let mut info = part_info(bytes, chunk.offset, chunk.line, self.needs);
        info.documents = infos;
        if self.shard.is_some() {
            info.words = if self.needs.words { taken_words } else { 0 };
        }
        self.words += info.words;
        self.bytes += bytes.len();
        if self.needs.words {
            self.characters += crate::rows::count_characters(bytes);
        }
        let rows = locate_rows_at(bytes, chunk.offset, chunk.line, findings, self.needs);
        Part {
            info,
            rows,
            problems,
        }
    }

    /// The problems of what the parser tells of the whole file (or its
    /// header): record errors, and no text field, which is an error when
    /// the field was named and else a note that the file was skipped (as
    /// for a file checked whole).
    fn problems_of(&self, parsed: document::Parsed<'_>) -> Vec<Problem> {
        let mut out: Vec<Problem> = (parsed.errors.into_iter())
            .map(|e| Problem::Record {
                line: e.line,
                message: e.message,
            })
            .collect();
        if let Some(message) = parsed.no_text {
            out.push(if self.parser.text_explicit() {
                Problem::Record { line: 1, message }
            } else {
                Problem::NoText(message)
            });
        }
        out
    }

    /// The invalid-UTF-8 finding for `chunk`, whose invalid sequences are
    /// `bad` (chunk offsets), when it is the file's first. A file is read
    /// ahead from the chunk's end to count the rest, as the finding's
    /// message says how many there are; standard input cannot be, so its
    /// finding is kept, with its row, until the stream ends
    /// ([`State::invalid_row`]).
    fn invalid_utf8(
        &mut self,
        chunk: &Chunk,
        bad: InvalidUtf8,
    ) -> Option<(Finding, Option<String>)> {
        if self.invalid_reported {
            return None;
        }
        let rule = self.ruleset.invalid_utf8()?;
        if let Some(seen) = &mut self.invalid {
            seen.count += bad.count;
            return None;
        }
        let shift = |mut f: Finding| {
            f.span = f.span.start + chunk.offset..f.span.end + chunk.offset;
            f
        };
        if let Input::File(path) = self.input {
            let end = chunk.offset + chunk.bytes.len();
            let rest = count_invalid_after(path, end).unwrap_or(0);
            let total = InvalidUtf8 {
                first: bad.first,
                count: bad.count + rest,
            };
            self.invalid_reported = true;
            return Some((shift(invalid_utf8_finding(rule, &chunk.bytes, total)), None));
        }
        let line = chunk.line + memchr::memchr_iter(b'\n', &chunk.bytes[..bad.first.start]).count();
        if self
            .shard
            .is_some_and(|s| !s.takes(line.to_string().as_bytes()))
        {
            self.invalid_reported = true;
            return None;
        }
        let finding = shift(invalid_utf8_finding(rule, &chunk.bytes, bad.clone()));
        let rows = locate_rows_at(
            &chunk.bytes,
            chunk.offset,
            chunk.line,
            vec![(finding, None)],
            self.needs,
        );
        self.invalid_first = chunk.bytes[bad.first.clone()].to_vec();
        self.invalid_pending = rows.into_iter().next();
        self.invalid = Some(bad);
        None
    }

    /// The row of standard input's invalid-UTF-8 finding, its message
    /// counting every invalid sequence of the stream.
    fn invalid_row(&mut self) -> Option<Located> {
        let mut row = self.invalid_pending.take()?;
        let bad = self.invalid.take()?;
        let rule = self.ruleset.invalid_utf8()?;
        let first = &self.invalid_first;
        let total = InvalidUtf8 {
            first: 0..first.len(),
            count: bad.count,
        };
        let span = row.finding.span.clone();
        row.finding = invalid_utf8_finding(rule, first, total);
        row.finding.span = span;
        Some(row)
    }
}

/// `f` moved `delta` bytes later in the file: its span and its fix.
fn shifted(mut f: Finding, delta: usize) -> Finding {
    let by = |r: &mut Range<usize>| *r = r.start + delta..r.end + delta;
    by(&mut f.span);
    if let Some(fix) = &mut f.fix {
        by(&mut fix.range);
        if let Some(edit) = &mut fix.edit {
            by(&mut edit.range);
        }
    }
    f
}

/// The invalid UTF-8 sequences of `path` from byte `offset` to its end,
/// counted as the whole file's decoding counts them (a line break ends any
/// sequence, so the file is counted a block of whole lines at a time).
fn count_invalid_after(path: &std::path::Path, offset: usize) -> io::Result<usize> {
    let mut file = std::fs::File::open(path)?;
    file.seek(io::SeekFrom::Start(offset as u64))?;
    let count = |b: &[u8]| document::decode(b).1.map_or(0, |bad| bad.count);
    let mut total = 0;
    let mut pending = Vec::new();
    let mut block = vec![0u8; 1 << 20];
    loop {
        let n = match file.read(&mut block) {
            Ok(n) => n,
            Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
            Err(e) => return Err(e),
        };
        if n == 0 {
            return Ok(total + count(&pending));
        }
        pending.extend_from_slice(&block[..n]);
        if let Some(k) = memchr::memrchr(b'\n', &pending) {
            total += count(&pending[..=k]);
            pending.drain(..=k);
        }
    }
}

/// The text of a panic's payload.
fn panic_text(payload: &Box<dyn std::any::Any + Send>) -> String {
    payload
        .downcast_ref::<&str>()
        .map(|s| (*s).to_string())
        .or_else(|| payload.downcast_ref::<String>().cloned())
        .unwrap_or_else(|| "unknown panic".to_string())
}

#[cfg(test)]
mod tests {
    use super::super::check::{PartPool, check_input};
    use super::super::read::BigFileGate;
    use super::*;

    /// A row as text, every field reports show.
    fn row_text(r: &Located) -> String {
        format!(
            "{:?} {} {:?} {:?} {}:{}-{}:{} {:?} {:?} {} {:x} {:?} {:?}",
            r.finding.span,
            r.finding.rule.id,
            r.finding.severity,
            r.record,
            r.line,
            r.column,
            r.end_line,
            r.end_column,
            r.matched,
            r.line_text,
            r.line_text_column,
            r.context_hash,
            r.finding.message,
            r.finding.language,
        )
    }

    /// A small generator (xorshift), so that the cases are many and the
    /// same on every run.
    struct Gen(u64);

    impl Gen {
        fn next(&mut self, n: usize) -> usize {
            self.0 ^= self.0 << 13;
            self.0 ^= self.0 >> 7;
            self.0 ^= self.0 << 17;
            (self.0 % n as u64) as usize
        }
    }

    const JSONL_LINES: &[&[u8]] = &[
        b"{\"id\": \"a\", \"text\": \"The talks ended in November. . They signed the the deal.\"}\n",
        b"{\"id\": 7, \"text\": \"Caf\\u00e9 owners met.\\nThe the end.\", \"src\": \"Fin.\"}\n",
        b"{\"text\": \"Plain prose about a ferry, nothing wrong with it at all.\"}\r\n",
        b"{bad\n",
        b"\n",
        b"   \n",
        b"\xC2\xA0\n",
        b"{\"other\": 1}\n",
        b"{\"text\": 5}\n",
        b"{\"text\": null}\n",
        b"{\"text\": \"<!-- mtlint-disable doubled-word --> the the again\"}\n",
        b"{\"text\": \"<!-- mtlint-enable --> and and\"}\n",
        b"{\"text\": \"<!-- mtlint-disable-next-line -->\"}\n",
        b"{\"text\": \"opens <!-- here\"}\n",
        b"{\"text\": \"closes --> then then\"}\n",
        b"{\"text\": \"bad \xFF byte, the the word. . Here\"}\n",
        b"{\"text\": \"two \xFE\xFE bad\"}\n",
        "{\"text\": \"市议会周一表示，新的电车线路将推迟到明年通车。\"}\n".as_bytes(),
        "{\"text\": \"Le conseil municipal a approuvé le budget après une longue séance.\"}\n".as_bytes(),
        b"{\"id\": \"long\", \"text\": \"Long record with with words words words words words words words words words words words words words words words words words words words words.\"}\n",
    ];

    const CSV_ROWS: &[&[u8]] = &[
        b"1,\"He said \"\"yes\"\". . Then then.\",Il a dit oui.\r\n",
        b"2,\"open\n\nstill the the open\",x\n",
        b"3,x\"y\"z,extra,more\n",
        b"\n",
        b"4,\"a\"b,c\n",
        b"5,plain words here and and there,y\n",
        b"6,\"<!-- mtlint-disable -->\",z\n",
        b"7,\"bad \xFF the the\",w\n",
        b"8,\"spans <!-- a\nrecord --> the the\",v\n",
        b"9,\"say \"\"hi\"\"\nthen the the\",u\n",
        b"10,\"x\"\r\n",
        b"11,\"y\"\rz\n",
    ];

    fn generate(g: &mut Gen, pool: &[&[u8]], head: &[u8], n: usize) -> Vec<u8> {
        let mut data = Vec::new();
        if g.next(4) == 0 {
            data.extend_from_slice(b"\xEF\xBB\xBF");
        }
        data.extend_from_slice(head);
        for _ in 0..n {
            data.extend_from_slice(pool[g.next(pool.len())]);
        }
        if g.next(3) == 0 {
            // No line break at the end.
            data.pop();
        }
        data
    }

    /// Checks `data` (a file of `format`) whole and as a stream in chunks
    /// of every size tried: the same rows in the same order, the same
    /// problems, words, size and suppression comments.
    fn same_as_whole(data: &[u8], format: InputFormat, options: &InputOptions) {
        let ruleset = Ruleset::default_pack().expect("rules");
        let dir = tempfile::tempdir().expect("temp dir");
        let ext = match format {
            InputFormat::Csv => "csv",
            InputFormat::Tsv => "tsv",
            _ => "jsonl",
        };
        let path = dir.path().join(format!("data.{ext}"));
        std::fs::write(&path, data).expect("write");
        let input = Input::File(path);
        let whole = check_input(&ruleset, &input, options);
        let want_rows: Vec<String> = whole.rows.iter().map(row_text).collect();
        let mut want_problems: Vec<String> =
            whole.problems.iter().map(|p| format!("{p:?}")).collect();
        want_problems.sort();
        let big = BigFiles {
            gate: BigFileGate::default(),
            parts: PartPool::new(2),
        };
        for (records, bytes) in [(1, 1), (2, 60), (3, 200), (1024, 4 << 20)] {
            let mut rows = Vec::new();
            let mut problems = Vec::new();
            let mut info = FileInfo::default();
            let mut emit = |part: Part| {
                rows.extend(part.rows.iter().map(row_text));
                problems.extend(part.problems.iter().map(|p| format!("{p:?}")));
                info.words += part.info.words;
                info.bytes += part.info.bytes;
                info.directives.extend(part.info.directives);
                info.directive_positions
                    .extend(part.info.directive_positions);
                true
            };
            let end = stream_with(
                &ruleset,
                &input,
                options,
                format,
                &StreamSettings::default(),
                &big,
                Needs::ALL,
                &mut emit,
                Limits { records, bytes },
            );
            problems.extend(end.problems.iter().map(|p| format!("{p:?}")));
            problems.sort();
            let shown = String::from_utf8_lossy(data);
            assert_eq!(rows, want_rows, "chunks {records}/{bytes}: {shown}");
            assert_eq!(problems, want_problems, "chunks {records}/{bytes}: {shown}");
            assert_eq!(info.directives, whole.info.directives, "{shown}");
            assert_eq!(info.directive_positions, whole.info.directive_positions);
            assert_eq!(
                (end.info.words, end.info.bytes),
                (whole.info.words, whole.info.bytes)
            );
            assert_eq!((info.words, info.bytes), (end.info.words, end.info.bytes));
            assert_eq!(
                (end.info.language, end.info.characters),
                (whole.info.language, whole.info.characters),
                "{shown}"
            );
        }
    }

    #[test]
    fn jsonl_streams_as_the_whole_file() {
        let options = InputOptions {
            id_field: Some("id".into()),
            source_field: Some("src".into()),
            ..InputOptions::default()
        };
        let mut g = Gen(0x9E37_79B9_7F4A_7C15);
        for n in [0, 1, 2, 5, 12, 40] {
            for _ in 0..6 {
                let data = generate(&mut g, JSONL_LINES, b"", n);
                same_as_whole(&data, InputFormat::Jsonl, &options);
            }
        }
        // No record has the text field: one error, at the end.
        same_as_whole(b"{\"a\": 1}\n{\"b\": 2}\n", InputFormat::Jsonl, &options);
    }

    #[test]
    fn csv_streams_as_the_whole_file() {
        let options = InputOptions {
            id_column: Some("id".into()),
            source_column: Some("src".into()),
            ..InputOptions::default()
        };
        let mut g = Gen(0xD1B5_4A32_D192_ED03);
        for n in [0, 1, 3, 9, 30] {
            for _ in 0..6 {
                let data = generate(&mut g, CSV_ROWS, b"\nid,text,src\n", n);
                same_as_whole(&data, InputFormat::Csv, &options);
            }
        }
        // A bad header, a header without the text column.
        same_as_whole(b"\"id,text\n1,x\n", InputFormat::Csv, &options);
        same_as_whole(b"id,body\n1,the the\n", InputFormat::Csv, &options);
        same_as_whole(b"id\ttext\n1\tthe the\n", InputFormat::Tsv, &options);
    }

    /// A writer whose bytes the test reads afterwards.
    #[derive(Clone, Default)]
    struct Shared(std::sync::Arc<std::sync::Mutex<Vec<u8>>>);

    impl std::io::Write for Shared {
        fn write(&mut self, b: &[u8]) -> io::Result<usize> {
            self.0.lock().expect("lock").extend_from_slice(b);
            Ok(b.len())
        }
        fn flush(&mut self) -> io::Result<()> {
            Ok(())
        }
    }

    /// Every report format, behind the configuration filter (suppression
    /// comments, unused ones reported or not), writes the same bytes for a
    /// file reported in parts as for the file reported whole.
    #[test]
    fn reports_of_parts_equal_reports_of_the_whole() {
        use crate::report::filter::{Filter, Policy};
        use crate::report::{Format, ReportOptions, Reporter, reporter};
        let ruleset = Ruleset::default_pack().expect("rules");
        let mut g = Gen(0x2545_F491_4F6C_DD1D);
        let dir = tempfile::tempdir().expect("temp dir");
        let big = BigFiles {
            gate: BigFileGate::default(),
            parts: PartPool::new(2),
        };
        let formats = [
            Format::Csv,
            Format::Text,
            Format::Json,
            Format::Jsonl,
            Format::Sarif,
            Format::Github,
            Format::Gitlab,
            Format::Summary,
            Format::Html,
        ];
        for case in 0..8 {
            // Grouped by file, then by a field (with scores per document).
            let by: crate::group::GroupBy = if case % 2 == 0 { "path" } else { "field:src" }
                .parse()
                .expect("group");
            let options = InputOptions {
                keys: by.record_fields(),
                ..InputOptions::default()
            };
            let report_options = ReportOptions {
                audit: crate::report::audit::AuditSettings {
                    group_by: by,
                    ..Default::default()
                },
                ..ReportOptions::default()
            };
            // Ids made unique: a file checked whole merges the documents
            // that share an id, its parts only within a part (documented).
            let data = generate(&mut g, JSONL_LINES, b"", 30);
            let mut n = 0;
            let data: Vec<u8> = String::from_utf8_lossy(&data)
                .split("\"id\": ")
                .enumerate()
                .map(|(i, piece)| {
                    if i == 0 {
                        return piece.to_string();
                    }
                    n += 1;
                    format!("\"id\": \"u{n}\", \"old\": {piece}")
                })
                .collect::<String>()
                .into_bytes();
            let path = dir.path().join(format!("case{case}.jsonl"));
            std::fs::write(&path, &data).expect("write");
            let input = Input::File(path);
            let path = input.display();
            for unused in [false, true] {
                for format in formats {
                    let policy = Policy {
                        report_unused_disables: unused,
                        known: ruleset
                            .rules()
                            .flat_map(|r| [r.id.clone(), r.category.clone()])
                            .collect(),
                        ..Policy::default()
                    };
                    let rules: Vec<_> = ruleset.rules().cloned().collect();
                    let report = |streamed: bool| {
                        let out = Shared::default();
                        let inner = reporter(format, Box::new(out.clone()), &report_options)
                            .expect("reporter");
                        let mut filter = Filter::new(inner, policy.clone(), None, None);
                        filter.start(&rules).expect("start");
                        let needs = filter.needs();
                        if streamed {
                            let mut emit = |part: Part| {
                                filter
                                    .file_part(&path, &part.info, part.rows)
                                    .expect("part");
                                true
                            };
                            let end = stream_with(
                                &ruleset,
                                &input,
                                &options,
                                InputFormat::Jsonl,
                                &StreamSettings::default(),
                                &big,
                                needs,
                                &mut emit,
                                Limits {
                                    records: 3,
                                    bytes: 100,
                                },
                            );
                            filter.file_end(&path, &end.info).expect("end");
                        } else {
                            let whole = check_input(&ruleset, &input, &options);
                            filter.file_info(&path, &whole.info).expect("info");
                            filter.file_owned(&path, whole.rows).expect("file");
                        }
                        filter.finish().expect("finish");
                        let outcome = filter.into_outcome();
                        let bytes = out.0.lock().expect("lock").clone();
                        (String::from_utf8_lossy(&bytes).into_owned(), outcome.counts)
                    };
                    let (whole, parts) = (report(false), report(true));
                    assert_eq!(parts, whole, "{format:?}, unused {unused}, case {case}");
                    if format == Format::Csv && unused {
                        assert!(whole.0.lines().count() > 3, "{}", whole.0);
                    }
                }
            }
        }
    }
}
