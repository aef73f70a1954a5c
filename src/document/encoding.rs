//! Input in an encoding other than UTF-8 (`--encoding`, `encoding` in
//! mtlint.toml): the file decoded to UTF-8 with `encoding_rs` (WHATWG
//! labels and decoders), with a map from offsets in the decoded text back
//! to the file's own bytes, so that findings still point at the original.
//! Knows nothing of formats, rules or reports: bytes in, text and a map out.

use std::ops::Range;

pub use encoding_rs::Encoding;

/// The encoding a label names (`windows-1252`, `latin1`, `shift_jis`, …, as
/// WHATWG defines them, case and surrounding spaces ignored); `None` for an
/// unknown label. UTF-8 is returned as such: callers read it natively.
pub fn encoding_for_label(label: &str) -> Option<&'static Encoding> {
    Encoding::for_label(label.trim().as_bytes())
}

/// A file decoded to UTF-8, with the way back to its bytes.
#[derive(Debug)]
pub struct Transcoded {
    /// The decoded text (a byte-order mark left out; bytes that are not
    /// valid in the encoding became U+FFFD).
    pub text: String,
    /// (text offset, file offset) where the two stop advancing together:
    /// around every character whose UTF-8 length differs from its length
    /// in the file, sorted, the first at text offset 0. Between two
    /// anchors, offsets advance together.
    anchors: Vec<(usize, usize)>,
    /// The file's length in bytes.
    len: usize,
}

impl Transcoded {
    /// Decodes `bytes` as `encoding`; a UTF-8 or UTF-16 byte-order mark
    /// wins over it (as browsers decode), and is left out of the text.
    pub fn decode(bytes: &[u8], encoding: &'static Encoding) -> Transcoded {
        let (encoding, bom) = Encoding::for_bom(bytes).unwrap_or((encoding, 0));
        let body = &bytes[bom..];
        let mut out = Transcoded {
            text: String::with_capacity(body.len() + body.len() / 8),
            anchors: vec![(0, bom)],
            len: bytes.len(),
        };
        if encoding.is_single_byte() {
            // One character per byte, whatever the byte.
            let (text, _) = encoding.decode_without_bom_handling(body);
            for (i, c) in text.chars().enumerate() {
                out.push(c.encode_utf8(&mut [0; 4]), bom + i..bom + i + 1);
            }
        } else {
            out.decode_stepwise(body, bom, encoding);
        }
        out
    }

    /// Adds `decoded`, which the file's bytes `from` decoded to.
    fn push(&mut self, decoded: &str, from: Range<usize>) {
        let at = self.text.len();
        self.text.push_str(decoded);
        if decoded.len() != from.len() {
            self.anchors.push((at, from.start));
            self.anchors.push((self.text.len(), from.end));
        }
    }

    /// Decodes a multi-byte encoding a byte at a time, so that what each
    /// call writes is known to come from the bytes read since the last
    /// output (a character, or a U+FFFD for a bad sequence).
    fn decode_stepwise(&mut self, body: &[u8], base: usize, encoding: &'static Encoding) {
        let mut decoder = encoding.new_decoder_without_bom_handling();
        let mut buf = [0u8; 64];
        let mut pending = 0;
        for i in 0..=body.len() {
            let (input, last) = match body.get(i) {
                Some(b) => (std::slice::from_ref(b), false),
                None => (&[][..], true),
            };
            let mut done = 0;
            loop {
                let Ok(out) = std::str::from_utf8_mut(&mut buf) else {
                    return;
                };
                let (result, read, written, _) = decoder.decode_to_str(&input[done..], out, last);
                done += read;
                if written > 0 {
                    let end = base + (i + done).min(body.len());
                    let decoded = String::from_utf8_lossy(&buf[..written]).into_owned();
                    self.push(&decoded, base + pending..end);
                    pending = end - base;
                }
                buf = [0; 64];
                if matches!(result, encoding_rs::CoderResult::InputEmpty) {
                    break;
                }
            }
        }
    }

    /// The file offset of text offset `t` (a char boundary of the text).
    pub fn original(&self, t: usize) -> usize {
        let i = self.anchors.partition_point(|a| a.0 <= t).saturating_sub(1);
        let (at, from) = self.anchors[i];
        let mapped = from + t.saturating_sub(at);
        // Inside a character that came from bytes of another length: no
        // further than where the next anchor begins.
        let limit = self.anchors.get(i + 1).map_or(self.len, |a| a.1);
        mapped.min(limit).min(self.len)
    }

    /// [`Self::original`] of both ends of a text range.
    pub fn original_range(&self, range: Range<usize>) -> Range<usize> {
        self.original(range.start)..self.original(range.end)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every character's text range maps to exactly the bytes it came from.
    fn assert_exact(bytes: &[u8], t: &Transcoded, expect: &[(&str, &[u8])]) {
        let mut pos = 0;
        for (text, original) in expect {
            let range = t.original_range(pos..pos + text.len());
            assert_eq!(&t.text[pos..pos + text.len()], *text);
            assert_eq!(&bytes[range], *original, "{text:?}");
            pos += text.len();
        }
        assert_eq!(pos, t.text.len());
    }

    #[test]
    fn windows_1252_maps_each_character_to_its_byte() {
        let bytes = b"Caf\xe9 \x93ok\x94 \x80 5.";
        let enc = encoding_for_label("Windows-1252").expect("label");
        let t = Transcoded::decode(bytes, enc);
        assert_eq!(t.text, "Café “ok” € 5.");
        assert_exact(
            bytes,
            &t,
            &[
                ("Caf", b"Caf"),
                ("é", b"\xe9"),
                (" ", b" "),
                ("“", b"\x93"),
                ("ok", b"ok"),
                ("”", b"\x94"),
                (" ", b" "),
                ("€", b"\x80"),
                (" 5.", b" 5."),
            ],
        );
        assert_eq!(t.original(t.text.len()), bytes.len());
    }

    #[test]
    fn multi_byte_encodings_map_through_sequences_and_errors() {
        // Shift_JIS: "日本" (two bytes each), ASCII, a broken lead byte.
        let bytes = b"\x93\xfa\x96\x7b a \x81";
        let t = Transcoded::decode(bytes, encoding_rs::SHIFT_JIS);
        assert_eq!(t.text, "日本 a \u{FFFD}");
        assert_exact(
            bytes,
            &t,
            &[
                ("日", b"\x93\xfa"),
                ("本", b"\x96\x7b"),
                (" a ", b" a "),
                ("\u{FFFD}", b"\x81"),
            ],
        );
        // UTF-16 with its byte-order mark, which wins over the label.
        let bytes = b"\xff\xfeH\x00\xe9\x00!\x00";
        let t = Transcoded::decode(bytes, encoding_rs::WINDOWS_1252);
        assert_eq!(t.text, "Hé!");
        assert_exact(
            bytes,
            &t,
            &[("H", b"H\x00"), ("é", b"\xe9\x00"), ("!", b"!\x00")],
        );
    }

    #[test]
    fn unknown_labels_are_none() {
        assert!(encoding_for_label("latin-9000").is_none());
        assert_eq!(
            encoding_for_label(" latin1 "),
            Some(encoding_rs::WINDOWS_1252)
        );
    }
}
