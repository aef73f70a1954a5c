//! Reading an input's bytes: opening files without blocking, skipping
//! special files, sniffing binary files and other encodings from the first
//! bytes, and the one buffer big plain-text files are read into.
//!
//! Knows nothing of input formats, rules or reporters: it hands back bytes
//! or the [`Problem`] that says why there are none.

use std::io::{self, Read};
use std::path::Path;
use std::sync::{Mutex, MutexGuard};

use super::discover::Input;
use super::problem::Problem;
use crate::document;

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

/// Whether standard input holds something to read when no path is given,
/// as ripgrep decides: a pipe, a socket or a regular file (`< file`) — not a
/// terminal, and not a device such as `/dev/null` (what CI runners and
/// test harnesses give a process, which must still check `.`).
pub fn stdin_is_readable() -> bool {
    #[cfg(unix)]
    {
        use std::os::fd::AsFd;
        use std::os::unix::fs::FileTypeExt;
        let Ok(fd) = io::stdin().as_fd().try_clone_to_owned() else {
            // Closed: nothing to read.
            return false;
        };
        std::fs::File::from(fd).metadata().is_ok_and(|m| {
            let kind = m.file_type();
            kind.is_file() || kind.is_fifo() || kind.is_socket()
        })
    }
    #[cfg(not(unix))]
    {
        use std::io::IsTerminal;
        !io::stdin().is_terminal()
    }
}

/// What to say about a file whose byte-order mark names an encoding other
/// than UTF-8 (its NUL bytes would otherwise make it look binary).
fn unsupported_encoding(bytes: &[u8]) -> Option<&'static str> {
    if bytes.starts_with(&[0xFF, 0xFE, 0, 0]) {
        return Some("UTF-32 text (byte-order mark) is not supported; convert it to UTF-8");
    }
    if bytes.starts_with(&[0xFF, 0xFE]) {
        return Some("UTF-16 text (byte-order mark): read it with --encoding utf-16le");
    }
    if bytes.starts_with(&[0xFE, 0xFF]) {
        return Some("UTF-16 text (byte-order mark): read it with --encoding utf-16be");
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
/// `check::check_plain`) go through this gate one at a time, read into its
/// one buffer: two at once would hold two whole files and their analyses,
/// while one, checked on every thread of the part pool
/// (`check::PartPool`), is as fast and holds half the memory; and one
/// buffer, reused, spares the allocator a fresh block the size of each big
/// file.
///
/// Only run-loop workers (threads of their own, never rayon's) wait here;
/// the holder's parts run on the part pool, whose threads never wait for
/// the gate, so the holder always finishes and lets the next one in.
#[derive(Default)]
pub(super) struct BigFileGate {
    buffer: Mutex<Vec<u8>>,
}

impl BigFileGate {
    /// Waits for the gate; its buffer is the pass, held until dropped.
    pub(super) fn enter(&self) -> MutexGuard<'_, Vec<u8>> {
        // A panic while a file was checked was reported for that file; the
        // buffer is only bytes.
        self.buffer.lock().unwrap_or_else(|e| e.into_inner())
    }
}

/// The bytes of an input: its own, or the big-file buffer while held.
pub(super) enum Bytes<'g> {
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
#[cfg(test)]
fn sniff(head: &[u8]) -> Option<Problem> {
    sniff_as(head, None)
}

/// [`sniff`] for a file read as `encoding` (`--encoding`): a UTF-16
/// byte-order mark is then the decoder's to follow, and UTF-16 text holds
/// NUL bytes without being binary.
fn sniff_as(head: &[u8], encoding: Option<&'static document::Encoding>) -> Option<Problem> {
    let utf16_bom = head.starts_with(&[0xFF, 0xFE]) && !head.starts_with(&[0xFF, 0xFE, 0, 0])
        || head.starts_with(&[0xFE, 0xFF]);
    let decoded = encoding.is_some() && utf16_bom;
    if let Some(reason) = unsupported_encoding(head).filter(|_| !decoded) {
        return Some(Problem::Skipped(reason.to_string()));
    }
    let utf16 = decoded
        || encoding.is_some_and(|e| e == encoding_rs::UTF_16LE || e == encoding_rs::UTF_16BE);
    (!utf16 && document::looks_binary(head)).then_some(Problem::Binary)
}

/// Reads the first [`document::BINARY_SNIFF_BYTES`] bytes of `file` (or
/// all of it, when shorter) after `buf`'s bytes, and says whether they make
/// it a file not to check when read as `encoding` (see [`sniff_as`]).
fn read_head(
    file: &mut impl Read,
    buf: &mut Vec<u8>,
    encoding: Option<&'static document::Encoding>,
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
    Ok(sniff_as(&buf[start..], encoding))
}

/// An input opened to be read as a stream: its reader, and the first bytes
/// already read from it (the sniffed head), or why it is not checked.
pub(super) type Opened = (Box<dyn Read + Send>, Vec<u8>);

/// Opens `input` to be read as a stream (records, see `stream`): a special
/// file is skipped, and the first bytes are sniffed as [`read_input`] does.
pub(super) fn open_stream(input: &Input) -> io::Result<Result<Opened, Problem>> {
    let mut reader: Box<dyn Read + Send> = match input {
        Input::File(p) => {
            let file = open_nonblocking(p)?;
            let meta = file.metadata()?;
            if let Some(kind) = special_file(&meta) {
                return Ok(Err(Problem::Skipped(format!("{kind} is not checked"))));
            }
            Box::new(file)
        }
        Input::Stdin | Input::StdinNamed(_) => Box::new(io::stdin()),
    };
    let mut head = Vec::new();
    // Streams are UTF-8 (see `stream::streamed_format`).
    if let Some(problem) = read_head(&mut reader, &mut head, None)? {
        return Ok(Err(problem));
    }
    Ok(Ok((reader, head)))
}

/// Reads `file` to its end after `buf`'s bytes, as [`read_to_end_sized`]
/// with the `size` hint (`None` for a stream), unless its first bytes say it
/// is not to be checked (see [`sniff`]): then only those are read, and the
/// problem returned. An 8 GB sparse file or disk image is skipped after
/// 8 KiB, not read whole; a file the hint puts within those 8 KiB is read in
/// one go and sniffed whole (no read more than before the sniff existed).
#[cfg(test)]
fn read_sniffed(
    file: &mut impl Read,
    buf: &mut Vec<u8>,
    size: Option<usize>,
) -> io::Result<Option<Problem>> {
    read_sniffed_as(file, buf, size, None)
}

/// [`read_sniffed`] for a file read as `encoding` (see [`sniff_as`]).
fn read_sniffed_as(
    file: &mut impl Read,
    buf: &mut Vec<u8>,
    size: Option<usize>,
    encoding: Option<&'static document::Encoding>,
) -> io::Result<Option<Problem>> {
    let sniff = |head: &[u8]| sniff_as(head, encoding);
    let start = buf.len();
    if let Some(size) = size.filter(|&n| n <= document::BINARY_SNIFF_BYTES) {
        read_to_end_sized(file, buf, size)?;
        return Ok(sniff(&buf[start..]));
    }
    if let Some(problem) = read_head(file, buf, encoding)? {
        return Ok(Some(problem));
    }
    let filled = buf.len();
    if filled - start == document::BINARY_SNIFF_BYTES {
        let rest = size.map_or(0, |n| n.saturating_sub(filled - start));
        read_to_end_sized(file, buf, rest)?;
    }
    Ok(None)
}

/// The bytes of `input`, or why it is not checked (`Ok(Err(problem))`): a
/// special file, another encoding, a binary file. A file that will be
/// checked as plain text and is larger than one part is read through
/// `gate`, when there is one (the calling thread may wait there: it must
/// not be a rayon thread, see [`BigFileGate`]).
pub(super) fn read_input<'g>(
    input: &Input,
    plain: bool,
    gate: Option<&'g BigFileGate>,
    encoding: Option<&'static document::Encoding>,
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
                let problem = read_sniffed_as(&mut file, &mut buf, Some(size), encoding)?;
                return Ok(problem.map_or(Ok(Bytes::Gated(buf)), Err));
            }
            let mut buf = Vec::new();
            let problem = read_sniffed_as(&mut file, &mut buf, Some(size), encoding)?;
            Ok(problem.map_or(Ok(Bytes::Owned(buf)), Err))
        }
        Input::Stdin | Input::StdinNamed(_) => {
            let mut buf = Vec::new();
            let problem = read_sniffed_as(&mut io::stdin().lock(), &mut buf, None, encoding)?;
            Ok(problem.map_or(Ok(Bytes::Owned(buf)), Err))
        }
    }
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
            assert!(
                note.contains("not supported") || note.contains("--encoding utf-16"),
                "{note}"
            );
        }
    }

    /// A binary input is skipped after its first 8 KiB: an endless stream
    /// of NUL bytes (a sparse file, `/dev/zero` behind a pipe) is not read
    /// to its end. Text is read whole, after the same head.
    #[test]
    fn binary_is_known_before_the_rest_is_read() {
        let mut buf = Vec::new();
        let problem = read_sniffed(&mut io::repeat(0), &mut buf, None).expect("reads");
        assert_eq!(problem, Some(Problem::Binary));
        assert_eq!(buf.len(), crate::document::BINARY_SNIFF_BYTES);
        // A file the hint puts within the head is read in one go and
        // sniffed whole.
        let mut buf = Vec::new();
        let problem = read_sniffed(&mut &b"ab\0cd"[..], &mut buf, Some(5)).expect("reads");
        assert_eq!((problem, buf.len()), (Some(Problem::Binary), 5));

        let text: Vec<u8> = b"Some text. ".repeat(3000);
        let hints = [
            (Some(text.len()), usize::MAX),
            (Some(0), 7),
            (None, 7),
            (Some(text.len() * 2), 4096),
        ];
        for (hint, chunk) in hints {
            let mut reader = Trickle {
                data: &text,
                chunk,
                interrupted: false,
            };
            let mut buf = Vec::new();
            let problem = read_sniffed(&mut reader, &mut buf, hint).expect("reads");
            assert_eq!(problem, None);
            assert_eq!(buf, text, "hint {hint:?} chunk {chunk}");
        }
        // A NUL after the head is text's business (the invalid-UTF-8 rule).
        let mut late = b"x".repeat(9000);
        late.push(0);
        let mut buf = Vec::new();
        let problem =
            read_sniffed(&mut late.as_slice(), &mut buf, Some(late.len())).expect("reads");
        assert_eq!((problem, buf.len()), (None, late.len()));
    }
}
