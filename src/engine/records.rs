//! Reading a data file (JSON Lines, CSV, TSV) record by record: bytes from
//! any reader (a file, standard input) are cut into chunks of whole records,
//! each chunk knowing its byte offset and line in the input, so that memory
//! holds the records in flight, never the whole input.
//!
//! A record ends where the format's parser ends it: a JSON Lines record at
//! each line break; a CSV or TSV record at a line break outside a quoted
//! field, with the parser's quoting rules (a field is quoted only when its
//! first byte is a quote; `""` inside is one quote; text after a closing
//! quote makes the record run to the next line break; an unterminated quote
//! runs to the end of the input). A chunk also never ends inside an HTML
//! comment, so that suppression comments found chunk by chunk are those
//! found in the whole file (a comment spanning records keeps the chunk
//! open until it closes).
//!
//! Knows nothing of fields, documents or rules: it cuts bytes (and holds
//! the settings of a stream: where it starts, which shard it is).

use std::io::{self, Read};
use std::ops::Range;

use super::shard::Shard;

/// How records end.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Framing {
    /// One record per line (JSON Lines).
    Lines,
    /// RFC 4180 records with this field delimiter (CSV, TSV).
    Delimited(u8),
}

/// Where the bytes of an input begin in the file they come from.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Origin {
    /// 1-based line of the first byte.
    pub line: usize,
    /// Byte offset of the first byte.
    pub offset: usize,
}

impl Origin {
    /// The start of a file.
    pub const START: Origin = Origin { line: 1, offset: 0 };
}

impl std::str::FromStr for Origin {
    type Err = String;

    /// `LINE:BYTE`: a 1-based line and the byte offset of its first byte.
    fn from_str(s: &str) -> Result<Origin, String> {
        let bad = || {
            format!(
                "`{s}` is not a stream origin: write LINE:BYTE, a 1-based line and the byte offset where it starts (as in 1201:884213)"
            )
        };
        let (line, offset) = s.split_once(':').ok_or_else(bad)?;
        let line: usize = line.trim().parse().map_err(|_| bad())?;
        let offset: usize = offset.trim().parse().map_err(|_| bad())?;
        // Line 1 starts at byte 0, and a later line after at least one byte.
        if line == 0 || (line == 1) != (offset == 0) || offset < line - 1 {
            return Err(bad());
        }
        Ok(Origin { line, offset })
    }
}

/// How records streamed on standard input are placed and split.
#[derive(Clone, Copy, Debug, Default)]
pub struct StreamSettings {
    /// `--shard`: check only the records (of a stream on standard input) or
    /// inputs of this shard.
    pub shard: Option<Shard>,
    /// `--stream-origin`: standard input is a slice of a file starting here.
    pub origin: Option<Origin>,
}

/// A run of whole records of the input.
#[derive(Debug, Default)]
pub(crate) struct Chunk {
    /// The bytes of the records, line breaks included.
    pub(crate) bytes: Vec<u8>,
    /// Byte offset of `bytes[0]` in the file.
    pub(crate) offset: usize,
    /// 1-based line of `bytes[0]` in the file.
    pub(crate) line: usize,
    /// Each record: its byte range in `bytes` and the 1-based line of its
    /// first byte in the file. A leading byte-order mark at the start of a
    /// file is in `bytes` but in no record.
    pub(crate) records: Vec<(Range<usize>, usize)>,
}

/// Where a CSV record scan stands between two bytes.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Field {
    /// At the first byte of a field.
    Start,
    /// In an unquoted field.
    Unquoted,
    /// In a quoted field.
    Quoted,
    /// Just after a quote inside a quoted field (a close, or half of `""`).
    QuoteSeen,
    /// After a closing quote and a carriage return.
    CrAfterQuote,
    /// After a malformed field: the record runs to the next line break.
    Skip,
}

/// Cuts the bytes of `reader` into [`Chunk`]s.
pub(crate) struct RecordReader<R> {
    reader: R,
    framing: Framing,
    /// Bytes read and not yet handed out; `buf[0]` is at `offset`, on `line`.
    buf: Vec<u8>,
    offset: usize,
    line: usize,
    /// How far `buf` was scanned for the end of the record that starts it.
    scanned: usize,
    /// The CSV scan state at `scanned`.
    field: Field,
    /// Whether the input's first bytes (a byte-order mark) are still to be
    /// looked at.
    at_file_start: bool,
    /// Inside an HTML comment (after `<!--`, before its `-->`), as the
    /// suppression scanner would see the records handed out so far.
    in_comment: bool,
    eof: bool,
}

/// Bytes asked of the reader at a time.
const READ_BYTES: usize = 256 * 1024;

impl<R: Read> RecordReader<R> {
    /// A reader of records framed as `framing`, whose first byte is at
    /// `origin` of its file. `head` holds bytes already read from `reader`
    /// (a binary sniff), which come first.
    pub(crate) fn new(reader: R, framing: Framing, origin: Origin, head: Vec<u8>) -> Self {
        RecordReader {
            reader,
            framing,
            buf: head,
            offset: origin.offset,
            line: origin.line,
            scanned: 0,
            field: Field::Start,
            at_file_start: origin.offset == 0,
            in_comment: false,
            eof: false,
        }
    }

    /// The next chunk: whole records, at least one, until `max_records`
    /// records or `max_bytes` bytes are in it and no comment is open (a
    /// record longer than `max_bytes` is a chunk of its own); `None` at
    /// the end of the input.
    pub(crate) fn next_chunk(
        &mut self,
        max_records: usize,
        max_bytes: usize,
    ) -> io::Result<Option<Chunk>> {
        let mut records = Vec::new();
        let mut skip = 0;
        if self.at_file_start {
            self.fill_to(3)?;
            if self.buf.starts_with(b"\xEF\xBB\xBF") {
                skip = 3;
                self.scanned = 3;
            }
            self.at_file_start = false;
        }
        let mut start = skip;
        let mut line = self.line;
        loop {
            let full = !records.is_empty() && (records.len() >= max_records || start >= max_bytes);
            if full && !self.in_comment {
                break;
            }
            let Some(end) = self.record_end(start)? else {
                break;
            };
            let record = start..end;
            self.in_comment = comment_state(&self.buf[record.clone()], self.in_comment);
            records.push((record, line));
            line += memchr::memchr_iter(b'\n', &self.buf[start..end]).count();
            start = end;
        }
        if records.is_empty() && start == 0 {
            return Ok(None);
        }
        let rest = self.buf.split_off(start);
        let bytes = std::mem::replace(&mut self.buf, rest);
        self.scanned -= start;
        let chunk = Chunk {
            bytes,
            offset: self.offset,
            line: self.line,
            records,
        };
        self.offset += start;
        self.line = line;
        Ok(Some(chunk))
    }

    /// Reads until `buf` holds at least `n` bytes or the input ends.
    fn fill_to(&mut self, n: usize) -> io::Result<()> {
        while self.buf.len() < n && !self.eof {
            self.read_more()?;
        }
        Ok(())
    }

    /// Appends up to [`READ_BYTES`] from the reader to `buf`.
    fn read_more(&mut self) -> io::Result<()> {
        let at = self.buf.len();
        self.buf.resize(at + READ_BYTES, 0);
        loop {
            match self.reader.read(&mut self.buf[at..]) {
                Ok(n) => {
                    self.buf.truncate(at + n);
                    self.eof = n == 0;
                    return Ok(());
                }
                Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
                Err(e) => {
                    self.buf.truncate(at);
                    return Err(e);
                }
            }
        }
    }

    /// The end (exclusive, in `buf`) of the record that starts at `start`,
    /// reading more as needed; `None` when no byte is left.
    fn record_end(&mut self, start: usize) -> io::Result<Option<usize>> {
        self.scanned = self.scanned.max(start);
        loop {
            if let Some(end) = self.scan(start) {
                return Ok(Some(end));
            }
            if self.eof {
                self.field = Field::Start;
                return Ok((self.buf.len() > start).then_some(self.buf.len()));
            }
            self.read_more()?;
        }
    }

    /// Scans `buf` from `scanned` for the end of the record that starts at
    /// `start`; remembers where it stopped when the record goes on.
    fn scan(&mut self, start: usize) -> Option<usize> {
        let b = &self.buf;
        match self.framing {
            Framing::Lines => match memchr::memchr(b'\n', &b[self.scanned..]) {
                Some(k) => {
                    let end = self.scanned + k + 1;
                    self.scanned = end;
                    Some(end)
                }
                None => {
                    self.scanned = b.len();
                    None
                }
            },
            Framing::Delimited(delim) => {
                if self.scanned == start {
                    self.field = Field::Start;
                }
                let mut state = self.field;
                let mut i = self.scanned;
                while i < b.len() {
                    let c = b[i];
                    i += 1;
                    state = match (state, c) {
                        (_, b'\n') if state != Field::Quoted => {
                            self.scanned = i;
                            self.field = Field::Start;
                            return Some(i);
                        }
                        (Field::Start, b'"') => Field::Quoted,
                        (Field::Start | Field::Unquoted, c) if c == delim => Field::Start,
                        (Field::Start | Field::Unquoted, _) => Field::Unquoted,
                        (Field::Quoted, b'"') => Field::QuoteSeen,
                        (Field::Quoted, _) => {
                            // Fast forward to the next quote.
                            match memchr::memchr(b'"', &b[i..]) {
                                Some(k) => {
                                    i += k;
                                    Field::Quoted
                                }
                                None => {
                                    i = b.len();
                                    Field::Quoted
                                }
                            }
                        }
                        (Field::QuoteSeen, b'"') => Field::Quoted,
                        (Field::QuoteSeen, c) if c == delim => Field::Start,
                        (Field::QuoteSeen, b'\r') => Field::CrAfterQuote,
                        (Field::QuoteSeen | Field::CrAfterQuote | Field::Skip, _) => Field::Skip,
                    };
                }
                self.scanned = b.len();
                self.field = state;
                None
            }
        }
    }
}

/// Whether the suppression scanner (`suppress::scan`) is inside an HTML
/// comment after `record`, given whether it was before. Records end at line
/// breaks and neither `<!--` nor `-->` holds one, so the scan carries over
/// record by record exactly.
fn comment_state(record: &[u8], mut inside: bool) -> bool {
    // Most records hold no comment at all.
    if !inside && memchr::memmem::find(record, b"<!--").is_none() {
        return false;
    }
    let mut at = 0;
    loop {
        if inside {
            match memchr::memmem::find(&record[at..], b"-->") {
                Some(k) => {
                    at += k + 3;
                    inside = false;
                }
                None => return true,
            }
        } else {
            match memchr::memmem::find(&record[at..], b"<!--") {
                // The scanner looks for the close after the opener's four bytes.
                Some(k) => {
                    at += k + 4;
                    inside = true;
                }
                None => return false,
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Reads `data` handed out `step` bytes at a time.
    struct Trickle<'a> {
        data: &'a [u8],
        step: usize,
    }

    impl Read for Trickle<'_> {
        fn read(&mut self, out: &mut [u8]) -> io::Result<usize> {
            let n = self.data.len().min(out.len()).min(self.step);
            out[..n].copy_from_slice(&self.data[..n]);
            self.data = &self.data[n..];
            Ok(n)
        }
    }

    /// Every record of `data` as (text, line), and the chunks' own offsets
    /// and lines checked against the data.
    fn records(data: &[u8], framing: Framing, step: usize, max: usize) -> Vec<(String, usize)> {
        let mut reader =
            RecordReader::new(Trickle { data, step }, framing, Origin::START, Vec::new());
        let mut out = Vec::new();
        let mut at = 0;
        while let Some(chunk) = reader.next_chunk(max, 64).expect("reads") {
            assert_eq!(chunk.offset, at);
            assert_eq!(&data[at..at + chunk.bytes.len()], chunk.bytes.as_slice());
            assert_eq!(
                chunk.line,
                1 + data[..at].iter().filter(|&&b| b == b'\n').count()
            );
            for (range, line) in &chunk.records {
                let before = at + range.start;
                assert_eq!(
                    *line,
                    1 + data[..before].iter().filter(|&&b| b == b'\n').count()
                );
                out.push((
                    String::from_utf8_lossy(&chunk.bytes[range.clone()]).into_owned(),
                    *line,
                ));
            }
            at += chunk.bytes.len();
        }
        assert_eq!(at, data.len(), "every byte handed out");
        out
    }

    #[test]
    fn lines_are_records() {
        let data = b"{\"a\": 1}\n\n{\"b\": 2}\r\n{\"c\"";
        for step in [1, 3, 1000] {
            for max in [1, 2, 100] {
                let got = records(data, Framing::Lines, step, max);
                let texts: Vec<&str> = got.iter().map(|(t, _)| t.as_str()).collect();
                assert_eq!(texts, ["{\"a\": 1}\n", "\n", "{\"b\": 2}\r\n", "{\"c\""]);
                let lines: Vec<usize> = got.iter().map(|(_, l)| *l).collect();
                assert_eq!(lines, [1, 2, 3, 4]);
            }
        }
        assert!(records(b"", Framing::Lines, 10, 10).is_empty());
    }

    #[test]
    fn csv_records_follow_the_quoting_rules() {
        let data = "id,text\r\n1,\"He said \"\"yes\"\".\"\r\n2,\"open\n\nstill\"\n3,x\"y\"z,extra\n4,\"a\"b\nc\n5,\"a\"\rx\ny\n6,a\"b\n7,\"end";
        let want = [
            "id,text\r\n",
            "1,\"He said \"\"yes\"\".\"\r\n",
            "2,\"open\n\nstill\"\n",
            "3,x\"y\"z,extra\n",
            "4,\"a\"b\n",
            "c\n",
            "5,\"a\"\rx\n",
            "y\n",
            "6,a\"b\n",
            "7,\"end",
        ];
        for step in [1, 2, 7, 1000] {
            for max in [1, 3, 100] {
                let got = records(data.as_bytes(), Framing::Delimited(b','), step, max);
                let texts: Vec<&str> = got.iter().map(|(t, _)| t.as_str()).collect();
                assert_eq!(texts, want, "step {step} max {max}");
            }
        }
    }

    /// A leading byte-order mark is in the first chunk's bytes but in no
    /// record, and a quote after it opens a quoted field (as the parser,
    /// which skips the mark, sees it).
    #[test]
    fn byte_order_mark() {
        let data = "\u{FEFF}\"a\nb\",c\nx,y\n";
        let mut reader = RecordReader::new(
            data.as_bytes(),
            Framing::Delimited(b','),
            Origin::START,
            Vec::new(),
        );
        let chunk = reader.next_chunk(10, 1000).unwrap().unwrap();
        assert_eq!(chunk.bytes, data.as_bytes());
        let ranges: Vec<_> = chunk.records.iter().map(|(r, l)| (r.clone(), *l)).collect();
        assert_eq!(ranges, [(3..11, 1), (11..15, 3)]);
        // Not at a file's start: the bytes are data.
        let mut reader = RecordReader::new(
            "\u{FEFF}x\n".as_bytes(),
            Framing::Lines,
            Origin {
                line: 9,
                offset: 50,
            },
            Vec::new(),
        );
        let chunk = reader.next_chunk(10, 1000).unwrap().unwrap();
        assert_eq!((chunk.records[0].0.clone(), chunk.records[0].1), (0..5, 9));
        assert_eq!(chunk.offset, 50);
    }

    /// Bytes already read (the sniffed head) come first.
    #[test]
    fn head_comes_first() {
        let mut reader = RecordReader::new(
            &b"c\nd\n"[..],
            Framing::Lines,
            Origin::START,
            b"a\nb".to_vec(),
        );
        let chunk = reader.next_chunk(10, 1000).unwrap().unwrap();
        assert_eq!(chunk.bytes, b"a\nbc\nd\n");
        assert_eq!(chunk.records.len(), 3);
    }

    /// A chunk stays open while an HTML comment is (a suppression comment
    /// could span records), and ends as soon as it closes.
    #[test]
    fn chunks_never_end_inside_a_comment() {
        let data = b"a\nb <!-- x\nc\nd --> <!-- y --> e\nf\ng\n";
        let mut reader = RecordReader::new(&data[..], Framing::Lines, Origin::START, Vec::new());
        let mut sizes = Vec::new();
        while let Some(chunk) = reader.next_chunk(1, 1000).unwrap() {
            sizes.push(chunk.records.len());
        }
        assert_eq!(sizes, [1, 3, 1, 1]);
        assert!(!comment_state(b"<!-->", true));
        assert!(comment_state(b"<!-->", false));
        assert!(!comment_state(b"<!--->", true));
    }

    #[test]
    fn origins_parse() {
        assert_eq!("1:0".parse(), Ok(Origin::START));
        assert_eq!(
            "12:340".parse(),
            Ok(Origin {
                line: 12,
                offset: 340
            })
        );
        for bad in ["0:0", "1:5", "2:0", "5:3", "x:1", "3", "", "-1:4"] {
            assert!(bad.parse::<Origin>().is_err(), "{bad}");
        }
    }

    /// Chunks end at the record or byte limit, whichever comes first; a
    /// record longer than the byte limit is a chunk of its own.
    #[test]
    fn chunk_limits() {
        let long = "x".repeat(300);
        let data = format!("a\nb\nc\n{long}\nd\n");
        let mut reader =
            RecordReader::new(data.as_bytes(), Framing::Lines, Origin::START, Vec::new());
        let mut sizes = Vec::new();
        while let Some(chunk) = reader.next_chunk(2, 100).unwrap() {
            sizes.push(chunk.records.len());
        }
        assert_eq!(sizes, [2, 2, 1]);
    }
}
