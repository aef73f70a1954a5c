//! JSON with offsets: finding a field by dotted path in one JSON text, and
//! decoding a string literal into a segment whose escapes map back to their
//! original bytes. Only ever run on text serde_json has validated. Knows
//! nothing of records, rules or reporters: it imports only the segment
//! builder, and which fields to read is the caller's (`jsonl`).

use std::ops::Range;

use super::SegmentBuilder;

fn skip_ws(b: &[u8], mut i: usize) -> usize {
    while i < b.len() && matches!(b[i], b' ' | b'\t' | b'\n' | b'\r') {
        i += 1;
    }
    i
}

/// End (exclusive) of the string literal whose opening quote is at `i`.
fn string_end(b: &[u8], i: usize) -> Option<usize> {
    let mut j = i + 1;
    while j < b.len() {
        match b[j] {
            b'\\' => j += 2,
            b'"' => return Some(j + 1),
            _ => j += 1,
        }
    }
    None
}

/// End (exclusive) of the value starting at `i`. Nesting is counted, not
/// recursed into, so a record nested a million levels deep (which serde_json
/// validates without a limit when it only skips values) is walked in
/// constant stack.
fn value_end(b: &[u8], i: usize) -> Option<usize> {
    match *b.get(i)? {
        b'"' => string_end(b, i),
        b'{' | b'[' => {
            let mut depth = 0usize;
            let mut j = i;
            while j < b.len() {
                match b[j] {
                    b'"' => {
                        j = string_end(b, j)?;
                        continue;
                    }
                    b'{' | b'[' => depth += 1,
                    b'}' | b']' => {
                        depth -= 1;
                        if depth == 0 {
                            return Some(j + 1);
                        }
                    }
                    _ => {}
                }
                j += 1;
            }
            None
        }
        _ => {
            let mut j = i;
            while j < b.len() && !matches!(b[j], b',' | b'}' | b']' | b' ' | b'\t' | b'\n' | b'\r')
            {
                j += 1;
            }
            Some(j)
        }
    }
}

/// The byte range of the value at dotted `path` (object keys, or array
/// indices as numbers) in the JSON text `src`, if present.
pub(crate) fn find_path(src: &str, path: &str) -> Option<Range<usize>> {
    let b = src.as_bytes();
    let mut i = skip_ws(b, 0);
    for key in path.split('.') {
        match *b.get(i)? {
            b'{' => {
                let mut j = skip_ws(b, i + 1);
                let mut found = None;
                while b.get(j) == Some(&b'"') {
                    let key_end = string_end(b, j)?;
                    let name = decode_str(src.get(j..key_end)?);
                    j = skip_ws(b, key_end);
                    j = skip_ws(b, j + 1);
                    if name == key {
                        found = Some(j);
                        break;
                    }
                    j = skip_ws(b, value_end(b, j)?);
                    if b.get(j) == Some(&b',') {
                        j = skip_ws(b, j + 1);
                    }
                }
                i = found?;
            }
            b'[' => {
                let index: usize = key.parse().ok()?;
                let mut j = skip_ws(b, i + 1);
                for _ in 0..index {
                    j = skip_ws(b, value_end(b, j)?);
                    if b.get(j) != Some(&b',') {
                        return None;
                    }
                    j = skip_ws(b, j + 1);
                }
                if b.get(j) == Some(&b']') {
                    return None;
                }
                i = j;
            }
            _ => return None,
        }
    }
    Some(i..value_end(b, i)?)
}

/// The byte ranges of the values at each of `paths` (dotted, as
/// [`find_path`] takes them) in the JSON text `src`, into `out` (one slot
/// per path, `None` when absent). A record's fields are found in one pass
/// over its top-level members, which stops once every path is settled: the
/// text, the id candidates and the group and date fields of a record cost
/// about what the text field alone did. The first member of a name wins,
/// as in [`find_path`]. Key names compared without a copy unless escaped.
pub(crate) fn find_paths(src: &str, paths: &[&str], out: &mut Vec<Option<Range<usize>>>) {
    out.clear();
    out.resize(paths.len(), None);
    let b = src.as_bytes();
    let i = skip_ws(b, 0);
    if b.get(i) != Some(&b'{') {
        for (slot, path) in out.iter_mut().zip(paths) {
            *slot = find_path(src, path);
        }
        return;
    }
    let mut settled = vec![false; paths.len()];
    let mut left = paths.len();
    let mut j = skip_ws(b, i + 1);
    while left > 0 && b.get(j) == Some(&b'"') {
        let Some(key_end) = string_end(b, j) else {
            return;
        };
        let raw = &src[j + 1..key_end - 1];
        let decoded;
        let name = if memchr::memchr(b'\\', raw.as_bytes()).is_some() {
            decoded = decode_str(&src[j..key_end]);
            decoded.as_str()
        } else {
            raw
        };
        j = skip_ws(b, key_end);
        j = skip_ws(b, j + 1);
        let Some(end) = value_end(b, j) else {
            return;
        };
        for (k, path) in paths.iter().enumerate() {
            if settled[k] {
                continue;
            }
            let (first, rest) = match path.split_once('.') {
                Some((first, rest)) => (first, Some(rest)),
                None => (*path, None),
            };
            if first != name {
                continue;
            }
            settled[k] = true;
            left -= 1;
            out[k] = match rest {
                None => Some(j..end),
                Some(rest) => find_path(&src[j..end], rest).map(|r| j + r.start..j + r.end),
            };
        }
        j = skip_ws(b, end);
        if b.get(j) == Some(&b',') {
            j = skip_ws(b, j + 1);
        }
    }
}

/// The value of a JSON string literal (quotes included in `lit`).
pub(crate) fn decode_str(lit: &str) -> String {
    let mut b = SegmentBuilder::new();
    push_string(&mut b, lit, 0);
    b.text().to_string()
}

/// Appends the value of the string literal `lit` (quotes included), found at
/// byte `at` of the file, to `b`: plain runs verbatim, each escape replaced.
pub(crate) fn push_string(b: &mut SegmentBuilder<'_>, lit: &str, at: usize) {
    let inner = lit
        .strip_prefix('"')
        .and_then(|s| s.strip_suffix('"'))
        .unwrap_or(lit);
    let base = at + usize::from(lit.starts_with('"'));
    let bytes = inner.as_bytes();
    // An escape adds a run or two.
    b.reserve(
        inner.len(),
        2 * memchr::memchr_iter(b'\\', bytes).count() + 2,
    );
    b.unescape(inner, base, escape);
}

/// The char of the escape at `s[i]` (a backslash) and its length in bytes.
fn escape(s: &str, i: usize) -> (char, usize) {
    let hex = |from: usize| {
        s.get(from..from + 4)
            .and_then(|h| u32::from_str_radix(h, 16).ok())
    };
    match s.as_bytes().get(i + 1) {
        Some(b'n') => ('\n', 2),
        Some(b't') => ('\t', 2),
        Some(b'r') => ('\r', 2),
        Some(b'b') => ('\u{8}', 2),
        Some(b'f') => ('\u{C}', 2),
        Some(b'u') => match hex(i + 2) {
            Some(hi @ 0xD800..=0xDBFF) => {
                let lo = (s.get(i + 6..i + 8) == Some("\\u"))
                    .then(|| hex(i + 8))
                    .flatten();
                match lo {
                    Some(lo @ 0xDC00..=0xDFFF) => {
                        let code = 0x10000 + ((hi - 0xD800) << 10) + (lo - 0xDC00);
                        (char::from_u32(code).unwrap_or('\u{FFFD}'), 12)
                    }
                    _ => ('\u{FFFD}', 6),
                }
            }
            Some(code) => (char::from_u32(code).unwrap_or('\u{FFFD}'), 6),
            None => ('\u{FFFD}', 2),
        },
        Some(&c) if c.is_ascii() => (char::from(c), 2),
        // A backslash before a non-ASCII char or at the end: keep what follows whole.
        Some(_) => {
            let len = s[i + 1..].chars().next().map_or(0, char::len_utf8);
            (s[i + 1..].chars().next().unwrap_or('\\'), 1 + len)
        }
        None => ('\\', 1),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_nested_fields() {
        let src = r#"{"a": 1, "b": {"c": "x\"y", "d": [1, {"e": "z"}]}}"#;
        assert_eq!(find_path(src, "a").map(|r| &src[r]), Some("1"));
        assert_eq!(find_path(src, "b.c").map(|r| &src[r]), Some(r#""x\"y""#));
        assert_eq!(find_path(src, "b.d.1.e").map(|r| &src[r]), Some(r#""z""#));
        assert_eq!(find_path(src, "b.x"), None);
        assert_eq!(find_path(src, "a.b"), None);
    }

    #[test]
    fn finds_many_paths_in_one_pass_as_one_by_one() {
        let src = r#"{"a": 1, "b": {"c": "x\"y", "d": [1, {"e": "z"}]}, "a": 2, "t\u0065xt": "T"}"#;
        let paths = ["b.d.1.e", "a", "text", "missing", "b.x", "a.b", "b.c"];
        let mut out = Vec::new();
        find_paths(src, &paths, &mut out);
        for (path, got) in paths.iter().zip(&out) {
            assert_eq!(got, &find_path(src, path), "{path}");
        }
        assert_eq!(out[1].clone().map(|r| &src[r]), Some("1"));
        assert_eq!(out[2].clone().map(|r| &src[r]), Some("\"T\""));
        find_paths("[1, 2]", &["1"], &mut out);
        assert_eq!(out[0].clone().map(|r| &"[1, 2]"[r]), Some("2"));
        find_paths("{\"a\": ", &["a", "b"], &mut out);
        assert_eq!(out, [None, None]);
    }

    #[test]
    fn escapes_map_back() {
        let lit = r#""a\n\u00e9\ud83d\ude00b""#;
        let mut b = SegmentBuilder::new();
        push_string(&mut b, lit, 10);
        let seg = b.finish().expect("text");
        assert_eq!(seg.text(), "a\né😀b");
        assert_eq!(seg.original(0..1), 11..12);
        assert_eq!(seg.original(2..4), 14..20);
        assert_eq!(seg.original(4..8), 20..32);
        assert_eq!(seg.original(8..9), 32..33);
    }
}
