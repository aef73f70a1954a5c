//! Fixes: from a finding's suggestion to an edit of the file's bytes, which
//! fixes go together, and applying them. A suggestion is prose; the edit is
//! made on the original bytes through the document's offset map, cut down
//! to what changes, and written back encoded for its container (JSON string
//! escapes, XML and HTML entities, CSV quoting, PO escapes), so that the
//! file stays valid and nothing outside the edit changes. An edit that would
//! cut through markup the text does not show (a tag, a string join) is not
//! made: the finding stays for a person.
//!
//! The library API a caller with a document in memory uses (the CLI's
//! `--fix`, an editor's code actions): [`attach_edits`] works out the edits
//! of a document's findings, [`choose`] picks the ones to apply together,
//! [`apply`] applies them; `engine::fix_bytes` repeats that until nothing
//! changes. Knows nothing of files, rules' kinds, the engine or reporters.

mod diff;
mod encode;

use std::ops::Range;

use crate::document::{Container, Document, Piece, Segment};
use crate::finding::{Edit, Finding};

pub use diff::unified_diff;
use encode::{Style, encode};

/// Works out the edit of each finding in `findings` that has a fix and no
/// edit yet, from `doc`, the document it was found in; `text` is the whole
/// file (decoded as the document was). A fix that cannot be made leaves its
/// edit `None`.
pub fn attach_edits(doc: &Document<'_>, text: &str, findings: &mut [Finding]) {
    for finding in findings.iter_mut() {
        let Some(suggestion) = &finding.suggestion else {
            continue;
        };
        let Some(fix) = &mut finding.fix else {
            continue;
        };
        if fix.edit.is_some() {
            continue;
        }
        fix.edit = edit_in(doc, text, fix.range.clone(), suggestion).ok();
    }
}

/// The edit that puts `suggestion` in place of the original bytes `range`
/// of `doc`, or why there is none.
pub fn edit_in(
    doc: &Document<'_>,
    text: &str,
    range: Range<usize>,
    suggestion: &str,
) -> Result<Edit, String> {
    let seg = doc
        .segments
        .iter()
        .find(|s| {
            let e = s.original_extent();
            e.start <= range.start && range.end <= e.end
        })
        .ok_or("the fix is not inside the document's text")?;
    let (t0, t1) = text_range(seg, &range).ok_or("the fix does not map onto the text")?;
    let old = &seg.text()[t0..t1];
    let mut last_error = String::from("no edit");
    for (a, b, new) in candidates(old, suggestion) {
        match edit_for(doc, seg, text, t0 + a..t1 - b, new) {
            Ok(edit) => return Ok(edit),
            Err(e) => last_error = e,
        }
    }
    Err(last_error)
}

/// The range of `seg`'s text that maps to the original `range`.
fn text_range(seg: &Segment<'_>, range: &Range<usize>) -> Option<(usize, usize)> {
    let pieces = seg.pieces();
    let at = |o: usize| -> Vec<usize> {
        let mut out = Vec::new();
        for p in &pieces {
            if p.verbatim && p.original.start <= o && o <= p.original.end {
                out.push(p.text.start + (o - p.original.start));
            } else if !p.verbatim {
                if p.original.start == o {
                    out.push(p.text.start);
                }
                if p.original.end == o {
                    out.push(p.text.end);
                }
            }
        }
        out
    };
    let starts = at(range.start);
    let ends = at(range.end);
    for &s in &starts {
        for &e in ends.iter().rev() {
            if s <= e && seg.original(s..e) == *range {
                return Some((s, e));
            }
        }
    }
    None
}

/// Ways to turn `old` into `new` as one replacement, smallest first: the
/// bytes kept at the start, the bytes kept at the end, and what goes
/// between. Both the common start first and the common end first are
/// tried, as either may avoid markup the other would cut through
/// (`word <b>word</b>`: drop the first word, not the second).
fn candidates<'n>(old: &str, new: &'n str) -> Vec<(usize, usize, &'n str)> {
    let prefix = |a: &str, b: &str| {
        a.char_indices()
            .zip(b.chars())
            .find(|((_, x), y)| x != y)
            .map_or(a.len().min(b.len()), |((i, _), _)| i)
    };
    let suffix = |a: &str, b: &str| {
        let mut n = 0;
        for (x, y) in a.chars().rev().zip(b.chars().rev()) {
            if x != y {
                break;
            }
            n += x.len_utf8();
        }
        n
    };
    let mut out = Vec::with_capacity(3);
    let p = prefix(old, new);
    let s = suffix(&old[p..], &new[p..]);
    out.push((p, s, &new[p..new.len() - s]));
    let s2 = suffix(old, new);
    let p2 = prefix(&old[..old.len() - s2], &new[..new.len() - s2]);
    out.push((p2, s2, &new[p2..new.len() - s2]));
    out.push((0, 0, new));
    out.dedup();
    out
}

/// The edit replacing text `range` of `seg` with `new`: widened to whole
/// entities and escapes, refused when it would hold markup the text does
/// not show.
fn edit_for(
    doc: &Document<'_>,
    seg: &Segment<'_>,
    text: &str,
    range: Range<usize>,
    new: &str,
) -> Result<Edit, String> {
    let pieces = seg.pieces();
    let body = seg.text();
    let (mut a, mut b) = (range.start, range.end);
    // A replaced piece the edit touches is rewritten whole.
    for p in pieces.iter().filter(|p| !p.verbatim) {
        let touches = if a == b {
            p.text.start < a && a < p.text.end
        } else {
            p.text.start < b && a < p.text.end
        };
        if touches {
            if p.original.is_empty() {
                return Err(
                    "the fix would change text that stands for no bytes of the file".into(),
                );
            }
            a = a.min(p.text.start);
            b = b.max(p.text.end);
        }
    }
    let new = format!("{}{new}{}", &body[a..range.start], &body[range.end..b]);
    let original = seg.original(a..b);
    for p in pieces.iter().filter(|p| !p.verbatim) {
        let inside = !p.original.is_empty()
            && original.start <= p.original.start
            && p.original.end <= original.end;
        if inside && (p.text.is_empty() || text[p.original.clone()].contains('<')) {
            return Err("the fix would cut through markup".into());
        }
    }
    let container = seg.container();
    let style = style(seg, &pieces, text, original.start, container);
    if let Container::Csv { delimiter } = container {
        let field = doc.target_span.clone().unwrap_or(original.clone());
        let quoted = text.as_bytes().get(field.start) == Some(&b'"');
        let needs_quotes = new
            .bytes()
            .any(|c| c == delimiter || matches!(c, b'"' | b'\n' | b'\r'));
        if !quoted && needs_quotes {
            // An unquoted field that will need quotes: the edit is the
            // whole field, quoted.
            let before = &text[field.start..original.start];
            let after = &text[original.end..field.end];
            let value = format!("{before}{new}{after}");
            return Ok(Edit {
                range: field,
                replacement: format!("\"{}\"", encode(&value, container, &style)?),
            });
        }
        if !quoted {
            return Ok(Edit {
                range: original,
                replacement: new,
            });
        }
    }
    Ok(Edit {
        range: original,
        replacement: encode(&new, container, &style)?,
    })
}

/// How the file writes things around an edit at `at` in `seg`.
fn style(
    seg: &Segment<'_>,
    pieces: &[Piece],
    text: &str,
    at: usize,
    container: Container,
) -> Style {
    let mut style = Style {
        crlf: memchr::memchr(b'\n', text.as_bytes())
            .is_some_and(|i| i > 0 && text.as_bytes()[i - 1] == b'\r'),
        ..Style::default()
    };
    let markup = matches!(
        container,
        Container::Html | Container::Xml | Container::HtmlInXml
    );
    if matches!(container, Container::Xml | Container::HtmlInXml) {
        let before = &text.as_bytes()[..at];
        let open = memchr::memmem::rfind(before, b"<![CDATA[");
        let close = memchr::memmem::rfind(before, b"]]>");
        style.cdata = match (open, close) {
            (Some(o), Some(c)) => o > c,
            (Some(_), None) => true,
            _ => false,
        };
    }
    for p in pieces.iter().filter(|p| !p.verbatim) {
        let written = &text[p.original.clone()];
        let mut chars = seg.text()[p.text.clone()].chars();
        let (Some(c), None) = (chars.next(), chars.next()) else {
            continue;
        };
        if markup && written.starts_with('&') && written.len() <= 16 {
            style
                .written
                .entry(c)
                .or_insert_with(|| written.to_string());
        }
        if container == Container::Json && written.starts_with("\\u") && !c.is_ascii() {
            style.ascii_json = true;
        }
    }
    style
}

/// The fixes to apply together, and how many wait for a later pass.
#[derive(Debug, Default)]
pub struct Choice<'f> {
    /// The chosen findings, in file order; their edits do not overlap.
    pub chosen: Vec<&'f Finding>,
    /// Fixes left for a later pass: their edits overlap a chosen one.
    pub deferred: usize,
}

impl Choice<'_> {
    /// The chosen edits, in file order.
    pub fn edits(&self) -> Vec<&Edit> {
        self.chosen.iter().filter_map(|f| edit(f)).collect()
    }
}

/// The edit of `finding`, if it has one.
pub fn edit(finding: &Finding) -> Option<&Edit> {
    finding.fix.as_ref()?.edit.as_ref()
}

/// Whether `--fix` applies the fix of `finding` (with `unsafe_fixes`, also
/// the unsafe ones): it has an edit, and is safe or unsafe ones are asked for.
pub fn applies(finding: &Finding, unsafe_fixes: bool) -> bool {
    finding
        .fix
        .as_ref()
        .is_some_and(|f| f.edit.is_some() && (f.safe || unsafe_fixes))
}

/// Picks the fixes of `findings` to apply in one pass: those [`applies`]
/// allows, in order of position, then rule id; one whose edit overlaps an
/// edit already chosen (or starts where it starts) waits for the next pass,
/// when it is found again on the changed text, or not at all.
pub fn choose<'f>(
    findings: impl IntoIterator<Item = &'f Finding>,
    unsafe_fixes: bool,
) -> Choice<'f> {
    let mut candidates: Vec<&Finding> = findings
        .into_iter()
        .filter(|f| applies(f, unsafe_fixes))
        .collect();
    let key = |f: &&Finding| {
        let e = edit(f).map_or(0..0, |e| e.range.clone());
        (e.start, f.rule.id.clone(), e.end)
    };
    candidates.sort_by_key(key);
    let mut choice = Choice::default();
    let mut last: Option<Range<usize>> = None;
    for f in candidates {
        let Some(e) = edit(f) else { continue };
        let clear = last
            .as_ref()
            .is_none_or(|l| e.range.start >= l.end && e.range.start != l.start);
        if clear {
            last = Some(e.range.clone());
            choice.chosen.push(f);
        } else {
            choice.deferred += 1;
        }
    }
    choice
}

/// `bytes` with `edits` applied; the edits are in order and do not overlap
/// (as [`choose`] gives them). An edit out of order or past the end is
/// skipped.
pub fn apply(bytes: &[u8], edits: &[&Edit]) -> Vec<u8> {
    let grow: usize = edits.iter().map(|e| e.replacement.len()).sum();
    let mut out = Vec::with_capacity(bytes.len() + grow);
    let mut pos = 0;
    for e in edits {
        if e.range.start < pos || e.range.end > bytes.len() || e.range.start > e.range.end {
            continue;
        }
        out.extend_from_slice(&bytes[pos..e.range.start]);
        out.extend_from_slice(e.replacement.as_bytes());
        pos = e.range.end;
    }
    out.extend_from_slice(&bytes[pos..]);
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::document::{InputFormat, InputOptions, parse};

    /// The edit replacing `old` (found once in `src`, as text) with `new`,
    /// in a file of `format`.
    fn fix(src: &str, format: InputFormat, old: &str, new: &str) -> Result<String, String> {
        let parsed = parse(src, format, &InputOptions::default());
        for doc in &parsed.documents {
            for seg in &doc.segments {
                if let Some(i) = seg.text().find(old) {
                    let range = seg.original(i..i + old.len());
                    let e = edit_in(doc, src, range, new)?;
                    let out = apply(src.as_bytes(), &[&e]);
                    return Ok(String::from_utf8(out).expect("utf-8"));
                }
            }
        }
        panic!("{old:?} not in the text of {src:?}");
    }

    #[test]
    fn edits_are_cut_down_to_what_changes() {
        assert_eq!(
            candidates("the the", "the"),
            [(3, 0, ""), (0, 3, ""), (0, 0, "the")]
        );
        assert_eq!(
            candidates(". .", "."),
            [(1, 0, ""), (0, 1, ""), (0, 0, ".")]
        );
    }

    #[test]
    fn markup_around_a_doubled_word_stays() {
        let out = fix(
            "<p>He said the <b>the</b> talks.</p>",
            InputFormat::Html,
            "the the",
            "the",
        );
        assert_eq!(out.as_deref(), Ok("<p>He said <b>the</b> talks.</p>"));
    }

    #[test]
    fn markup_inside_an_edit_is_refused() {
        let out = fix("<p>a<b>b</b>c</p>", InputFormat::Html, "abc", "x");
        assert!(out.is_err(), "{out:?}");
    }

    #[test]
    fn entities_are_rewritten_whole() {
        assert_eq!(
            fix("<p>Rates&amp;&amp; bonds</p>", InputFormat::Html, "&&", "&").as_deref(),
            Ok("<p>Rates&amp; bonds</p>")
        );
        assert_eq!(
            fix(
                "<p>It&rsquo;s over..</p>",
                InputFormat::Html,
                "s over..",
                "s over."
            )
            .as_deref(),
            Ok("<p>It&rsquo;s over.</p>")
        );
    }

    #[test]
    fn json_and_csv_fields_stay_valid() {
        let src = "{\"text\": \"He said no twice.\"}\n";
        assert_eq!(
            fix(src, InputFormat::Jsonl, "said no", "said \"yes\"").as_deref(),
            Ok("{\"text\": \"He said \\\"yes\\\" twice.\"}\n")
        );
        let csv = "id,text\n1,one two\n";
        assert_eq!(
            fix(csv, InputFormat::Csv, "one two", "one, \"two\"").as_deref(),
            Ok("id,text\n1,\"one, \"\"two\"\"\"\n")
        );
        let quoted = "id,text\n1,\"say \"\"hi\"\"  now\"\n";
        assert_eq!(
            fix(quoted, InputFormat::Csv, "\"  now", "\" now").as_deref(),
            Ok("id,text\n1,\"say \"\"hi\"\" now\"\n")
        );
    }

    #[test]
    fn overlapping_fixes_wait_their_turn() {
        use crate::finding::{Fix, RuleMeta};
        let meta = |id: &str| {
            std::sync::Arc::new(RuleMeta {
                id: id.into(),
                kind: "pattern",
                category: "x".into(),
                severity: crate::finding::Severity::Warning,
                summary: String::new(),
                why: String::new(),
                languages: Vec::new(),
                source: String::new(),
                fix_safe: true,
                examples: Vec::new(),
            })
        };
        let finding = |id: &str, range: Range<usize>, safe: bool| {
            let mut f = Finding::new(&meta(id), range.clone(), String::new(), Some("x".into()));
            f.fix = Some(Box::new(Fix {
                range: range.clone(),
                safe,
                edit: Some(Edit {
                    range,
                    replacement: "x".into(),
                }),
            }));
            f
        };
        let fs = [
            finding("b-rule", 2..5, true),
            finding("a-rule", 2..4, true),
            finding("c-rule", 4..6, true),
            finding("d-rule", 5..5, true),
            finding("e-rule", 8..9, false),
        ];
        let choice = choose(&fs, false);
        let ids: Vec<&str> = choice.chosen.iter().map(|f| f.rule.id.as_str()).collect();
        assert_eq!(ids, ["a-rule", "c-rule"]);
        assert_eq!(choice.deferred, 2);
        let all = choose(&fs, true);
        let ids: Vec<&str> = all.chosen.iter().map(|f| f.rule.id.as_str()).collect();
        assert_eq!(ids, ["a-rule", "c-rule", "e-rule"]);
        assert_eq!(apply(b"0123456789", &all.edits()), b"01xx67x9");
    }
}
