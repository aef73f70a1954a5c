//! gettext PO input: each entry a document; its msgstr (every plural form)
//! is checked, its msgid is the source for source↔target rules, and its
//! msgctxt (else msgid) names the record. The header entry and obsolete
//! (`#~`) entries are skipped. Knows nothing of rules or reporters; imports
//! only the parsers' shared types (`parsed`), `Document` and the segment
//! builder.

use std::ops::Range;

use crate::language::Language;

use super::parsed::{Parsed, RecordError};
use super::{Container, Document, SegmentBuilder};

/// Which keyword a string literal belongs to.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Key {
    Ctxt,
    Id,
    IdPlural,
    Str(usize),
}

#[derive(Default)]
struct Entry {
    line: usize,
    /// String literals (quotes included) by keyword, in order.
    parts: Vec<(Key, Range<usize>)>,
    error: Option<String>,
}

impl Entry {
    fn has(&self, pred: impl Fn(Key) -> bool) -> bool {
        self.parts.iter().any(|(k, _)| pred(*k))
    }

    fn text(&self, src: &str, key: Key) -> Option<String> {
        let mut b = SegmentBuilder::new();
        let mut any = false;
        for (_, r) in self.parts.iter().filter(|(k, _)| *k == key) {
            push_literal(&mut b, src, r.clone());
            any = true;
        }
        any.then(|| b.text().to_string())
    }
}

/// The language a PO header's `Language:` field names (`de`, `pt_BR`).
fn header_language(header: &str) -> Option<Language> {
    header.lines().find_map(|line| {
        let (key, value) = line.split_once(':')?;
        (key.trim() == "Language").then(|| Language::parse(value))?
    })
}

/// Appends the value of a C string literal at `range` (quotes included).
fn push_literal(b: &mut SegmentBuilder<'_>, src: &str, range: Range<usize>) {
    let start = range.start + 1;
    let end = range.end.saturating_sub(1).max(start);
    let inner = &src[start..end];
    b.unescape(inner, start, escape);
}

/// The char of the C escape at `s[i]` (a backslash) and its length in
/// bytes: `\n`, `\t`, `\r`, else the char after the backslash itself.
fn escape(s: &str, i: usize) -> (char, usize) {
    match s[i + 1..].chars().next() {
        Some('n') => ('\n', 2),
        Some('t') => ('\t', 2),
        Some('r') => ('\r', 2),
        Some(c) => (c, 1 + c.len_utf8()),
        None => ('\\', 1),
    }
}

/// The range of the string literal starting at `at` in `line` (which starts
/// at byte `base`), quotes included, or why there is none.
fn literal(line: &str, at: usize, base: usize) -> Result<Range<usize>, String> {
    let rest = &line[at..];
    let trimmed = rest.trim_start();
    let open = at + (rest.len() - trimmed.len());
    if !trimmed.starts_with('"') {
        return Err("expected a quoted string".into());
    }
    let b = line.as_bytes();
    let mut j = open + 1;
    while j < b.len() {
        match b[j] {
            b'\\' => j += 2,
            b'"' => {
                if !line[j + 1..].trim().is_empty() {
                    return Err("text after the closing quote".into());
                }
                return Ok(base + open..base + j + 1);
            }
            _ => j += 1,
        }
    }
    Err("unterminated string".into())
}

fn keyword(line: &str) -> Option<(Key, usize)> {
    let word_end = line.find([' ', '\t', '"']).unwrap_or(line.len());
    let key = match &line[..word_end] {
        "msgctxt" => Key::Ctxt,
        "msgid" => Key::Id,
        "msgid_plural" => Key::IdPlural,
        "msgstr" => Key::Str(0),
        w => {
            let n = w.strip_prefix("msgstr[")?.strip_suffix(']')?.parse().ok()?;
            Key::Str(n)
        }
    };
    Some((key, word_end))
}

/// The documents of a PO file.
pub(crate) fn parse(src: &str) -> Parsed<'_> {
    let mut parsed = Parsed::default();
    let mut entry = Entry::default();
    let mut current: Option<Key> = None;
    let mut offset = 0;
    let mut language = None;
    for (n, raw) in src.split_inclusive('\n').enumerate() {
        let base = offset;
        offset += raw.len();
        let line = raw.trim_end_matches(['\n', '\r']);
        let indent = line.len() - line.trim_start().len();
        let body = line.trim_start();
        if body.is_empty() {
            finish(src, std::mem::take(&mut entry), &mut parsed, &mut language);
            current = None;
            continue;
        }
        if body.starts_with('#') {
            continue;
        }
        if entry.parts.is_empty() && entry.error.is_none() {
            entry.line = n + 1;
        }
        let (key, at) = if body.starts_with('"') {
            match current {
                Some(k) => (k, indent),
                None => {
                    entry
                        .error
                        .get_or_insert("a string with no keyword before it".into());
                    continue;
                }
            }
        } else if let Some((key, end)) = keyword(body) {
            // A new msgctxt or msgid after a msgstr starts the next entry.
            if matches!(key, Key::Ctxt | Key::Id) && entry.has(|k| matches!(k, Key::Str(_))) {
                finish(src, std::mem::take(&mut entry), &mut parsed, &mut language);
                entry.line = n + 1;
            }
            (key, indent + end)
        } else {
            entry.error.get_or_insert(format!(
                "unknown line `{}`",
                body.chars().take(40).collect::<String>()
            ));
            continue;
        };
        match literal(line, at, base) {
            Ok(r) => {
                entry.parts.push((key, r));
                current = Some(key);
            }
            Err(e) => {
                entry.error.get_or_insert(e);
            }
        }
    }
    finish(src, entry, &mut parsed, &mut language);
    parsed
}

fn finish(src: &str, entry: Entry, parsed: &mut Parsed<'_>, language: &mut Option<Language>) {
    if let Some(message) = entry.error {
        parsed.errors.push(RecordError {
            line: entry.line,
            message: format!("malformed PO entry: {message}"),
        });
        return;
    }
    let Some(id) = entry.text(src, Key::Id) else {
        if !entry.parts.is_empty() {
            parsed.errors.push(RecordError {
                line: entry.line,
                message: "malformed PO entry: no msgid".into(),
            });
        }
        return;
    };
    let ctxt = entry.text(src, Key::Ctxt);
    if id.is_empty() && ctxt.is_none() {
        // The header: its `Language` field names the entries' language.
        if let Some(header) = entry.text(src, Key::Str(0)) {
            *language = header_language(&header);
        }
        return;
    }
    let mut segments = Vec::new();
    let mut span: Option<Range<usize>> = None;
    let mut forms: Vec<usize> = entry
        .parts
        .iter()
        .filter_map(|(k, _)| match k {
            Key::Str(i) => Some(*i),
            _ => None,
        })
        .collect();
    forms.dedup();
    for form in forms {
        let mut b = SegmentBuilder::new();
        for (_, r) in entry.parts.iter().filter(|(k, _)| *k == Key::Str(form)) {
            push_literal(&mut b, src, r.clone());
            span = Some(match span {
                None => r.clone(),
                Some(s) => s.start.min(r.start)..s.end.max(r.end),
            });
        }
        segments.extend(b.take().map(|s| s.in_container(Container::Po)));
    }
    parsed.documents.push(Document {
        segments,
        record: Some(ctxt.unwrap_or_else(|| id.clone())),
        source: Some(id),
        target_span: span,
        keys: super::RecordKeys::default(),
        language: *language,
    });
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn entries_plurals_and_errors() {
        let src = "msgid \"\"\nmsgstr \"Content-Type: text/plain\\n\"\n\n\
                   #: a.c:1\nmsgctxt \"menu\"\nmsgid \"Open\"\nmsgstr \"\"\n\"Ouvrir \\\"x\\\"\"\n\n\
                   msgid \"bad\nmsgstr \"x\"\n\n\
                   msgid \"%d file\"\nmsgid_plural \"%d files\"\nmsgstr[0] \"%d fichier\"\nmsgstr[1] \"%d fichiers\"\n";
        let parsed = parse(src);
        assert_eq!(parsed.documents.len(), 2);
        let d = &parsed.documents[0];
        assert_eq!(d.record.as_deref(), Some("menu"));
        assert_eq!(d.source.as_deref(), Some("Open"));
        assert_eq!(d.segments[0].text(), "Ouvrir \"x\"");
        assert_eq!(&src[d.segments[0].original(7..8)], "\\\"");
        assert_eq!(parsed.documents[1].segments.len(), 2);
        assert_eq!(parsed.errors.len(), 1);
        assert_eq!(parsed.errors[0].line, 10);
    }
}
