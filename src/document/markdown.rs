//! Markdown input (CommonMark with tables and front matter, by
//! pulldown-cmark): headings, paragraphs, list items, table cells and block
//! quotes are prose. Code blocks, raw HTML, link
//! targets and YAML/TOML front matter are not; inline code and images stand
//! in as U+FFFC (so a sentence stays a sentence) and map to their markup.
//! Blocks are paragraphs of one segment (a blank line between them stands
//! for the markup), so the paragraph rules read them as they read plain text.
//! Knows nothing of rules or reporters; imports only the parsers' shared types
//! (`parsed`), `Document`, the segment builder and plain text's segment size
//! cap.

use std::ops::Range;

use pulldown_cmark::{Event, Options, Parser, Tag, TagEnd};

use super::parsed::Parsed;
use super::text::MAX_SEGMENT_BYTES;
use super::{Document, SegmentBuilder};

/// Stands for inline code and images in the prose: one char, neither letter
/// nor space nor sentence punctuation.
pub(crate) const OBJECT: &str = "\u{FFFC}";

/// Appends `text`, which the parser produced from `src[range]`: verbatim
/// when equal, else the common prefix and suffix verbatim and the middle
/// (an entity or escape) replaced.
fn push_text(b: &mut SegmentBuilder<'_>, src: &str, text: &str, range: Range<usize>) {
    let Some(raw) = src.get(range.clone()) else {
        return;
    };
    if raw == text {
        b.verbatim(text, range.start);
        return;
    }
    // An entity or escape starts with `&` or `\\` and ends with `;` or its
    // char: keep those inside the replaced middle.
    let mut prefix = common_prefix(raw, text);
    if let Some(i) = raw[..prefix].find(['&', '\\']) {
        prefix = i;
    }
    let mut suffix = common_suffix(&raw[prefix..], &text[prefix..]);
    if let Some(i) = raw[raw.len() - suffix..].rfind(';') {
        suffix -= i + 1;
    }
    b.verbatim(&text[..prefix], range.start);
    b.replaced(
        &text[prefix..text.len() - suffix],
        range.start + prefix..range.end - suffix,
    );
    b.verbatim(&text[text.len() - suffix..], range.end - suffix);
}

fn common_prefix(a: &str, b: &str) -> usize {
    a.char_indices()
        .zip(b.chars())
        .find(|((_, x), y)| x != y)
        .map_or(a.len().min(b.len()), |((i, _), _)| i)
}

fn common_suffix(a: &str, b: &str) -> usize {
    let mut n = 0;
    for (x, y) in a.chars().rev().zip(b.chars().rev()) {
        if x != y {
            break;
        }
        n += x.len_utf8();
    }
    n
}

/// The documents of a Markdown file: one, of its prose blocks.
pub(crate) fn parse(src: &str) -> Parsed<'static> {
    let options = Options::ENABLE_TABLES
        | Options::ENABLE_STRIKETHROUGH
        | Options::ENABLE_YAML_STYLE_METADATA_BLOCKS
        | Options::ENABLE_PLUSES_DELIMITED_METADATA_BLOCKS;
    let mut doc = Document::default();
    let mut b = SegmentBuilder::new();
    // Blocks share a segment, as plain text's paragraphs do, up to the
    // size at which plain text splits too.
    let mut flush = |b: &mut SegmentBuilder<'_>| {
        b.paragraph_break();
        if b.text().len() > MAX_SEGMENT_BYTES {
            doc.segments.extend(b.take());
        }
    };
    // Depth inside code blocks, HTML blocks, front matter and images.
    let mut skip = 0usize;
    // Whether inline HTML was just dropped.
    let mut after_html = false;
    // In a table's header row: the end of its last cell, once there is one.
    // Header cells are one line of column names, the cells apart by a
    // U+FFFC for the `|` between them, not a paragraph each: a "Home"
    // column is not a line of page furniture left in the text.
    let mut head: Option<Option<usize>> = None;
    for (event, range) in Parser::new_ext(src, options).into_offset_iter() {
        match event {
            Event::Start(tag) => match tag {
                Tag::CodeBlock(_) | Tag::HtmlBlock | Tag::MetadataBlock(_) => {
                    flush(&mut b);
                    skip += 1;
                }
                Tag::Image { .. } => {
                    if skip == 0 {
                        b.replaced(OBJECT, range);
                    }
                    skip += 1;
                }
                Tag::TableHead => {
                    flush(&mut b);
                    head = Some(None);
                }
                Tag::TableCell if head.is_some() => {
                    if let Some(Some(end)) = head {
                        if skip == 0 && !b.text().is_empty() && !b.text().ends_with("\n\n") {
                            b.replaced(OBJECT, end.min(range.start)..range.start);
                        }
                    }
                }
                Tag::Paragraph
                | Tag::Heading { .. }
                | Tag::BlockQuote(_)
                | Tag::List(_)
                | Tag::Item
                | Tag::Table(_)
                | Tag::TableRow
                | Tag::TableCell
                | Tag::FootnoteDefinition(_) => flush(&mut b),
                _ => {}
            },
            Event::End(tag) => match tag {
                TagEnd::CodeBlock
                | TagEnd::HtmlBlock
                | TagEnd::MetadataBlock(_)
                | TagEnd::Image => {
                    skip = skip.saturating_sub(1);
                }
                TagEnd::TableHead => {
                    flush(&mut b);
                    head = None;
                }
                TagEnd::TableCell if head.is_some() => head = Some(Some(range.end)),
                TagEnd::Paragraph
                | TagEnd::Heading(_)
                | TagEnd::BlockQuote(_)
                | TagEnd::List(_)
                | TagEnd::Item
                | TagEnd::Table
                | TagEnd::TableRow
                | TagEnd::TableCell
                | TagEnd::FootnoteDefinition => flush(&mut b),
                _ => {}
            },
            _ if skip > 0 => {}
            Event::Text(text) if after_html && b.text().ends_with(' ') && text.starts_with(' ') => {
                // "a <span>x</span> b" and "a <!-- c --> b": one space, not two.
                after_html = false;
                let range = range.start + 1..range.end;
                push_text(&mut b, src, &text[1..], range);
            }
            Event::Text(text) => {
                after_html = false;
                if b.text().is_empty() || b.text().ends_with("\n\n") {
                    // Leading whitespace of a block (a continuation line) is not prose.
                    let t = text.trim_start();
                    let cut = text.len() - t.len();
                    if src.get(range.clone()) == Some(&*text) {
                        push_text(&mut b, src, t, range.start + cut..range.end);
                    } else {
                        push_text(&mut b, src, &text, range);
                    }
                } else {
                    push_text(&mut b, src, &text, range);
                }
            }
            Event::Code(_) | Event::InlineMath(_) => {
                after_html = false;
                b.replaced(OBJECT, range);
            }
            Event::InlineHtml(_) => after_html = true,
            Event::SoftBreak | Event::HardBreak => {
                if src.get(range.clone()) == Some("\n") {
                    b.verbatim("\n", range.start);
                } else {
                    b.replaced("\n", range);
                }
            }
            _ => {}
        }
    }
    b.trim_end();
    doc.segments.extend(b.take());
    Parsed {
        documents: vec![doc],
        ..Parsed::default()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The paragraphs of the document's text.
    fn texts(src: &str) -> Vec<String> {
        parse(src).documents[0].paragraph_texts()
    }

    #[test]
    fn prose_blocks_only() {
        let src = "---\ntitle: x\n---\n# Head &amp; tail\n\nRun `cargo` now,\nthen [stop](http://x.y).\n\n\
                   ```\ncode here\n```\n\n- item one\n- item two\n\n| a | b |\n|---|---|\n| c | d |\n\n\
                   <div>raw</div>\n\n> quoted\n";
        assert_eq!(
            texts(src),
            [
                "Head & tail",
                "Run \u{FFFC} now,\nthen stop.",
                "item one",
                "item two",
                "a\u{FFFC}b",
                "c",
                "d",
                "quoted"
            ]
        );
    }

    /// A table's header row is one line of column names (a "Home" column is
    /// not a line of page furniture); body cells stay paragraphs; the
    /// stand-in between header cells covers the `|` between them.
    #[test]
    fn table_headers_are_one_line() {
        let src = "| Home | Away |\n|---|---|\n| Leeds | Hull |\n";
        assert_eq!(texts(src), ["Home\u{FFFC}Away", "Leeds", "Hull"]);
        let seg = &parse(src).documents[0].segments[0];
        let at = seg.text().find('\u{FFFC}').expect("stand-in");
        let pipe = &src[seg.original(at..at + 3)];
        assert!(pipe.contains('|') && !pipe.contains("Home"), "{pipe:?}");
        assert_eq!(&src[seg.original(0..4)], "Home");
    }

    #[test]
    fn inline_html_leaves_one_space() {
        assert_eq!(texts("a <!-- c --> b <span>x</span> y\n"), ["a b x y"]);
    }

    #[test]
    fn spans_map_through_entities_and_code() {
        let src = "# Head &amp; tail\n\nRun `cargo` now.\n";
        let doc = &parse(src).documents[0];
        assert_eq!(&src[doc.segments[0].original(5..6)], "&amp;");
        assert_eq!(&src[doc.segments[0].original(7..11)], "tail");
        let seg = &doc.segments[0];
        assert_eq!(seg.text(), "Head & tail\n\nRun \u{FFFC} now.");
        assert_eq!(&src[seg.original(17..20)], "`cargo`");
        assert_eq!(&src[seg.original(21..24)], "now");
        // A span over the blank line covers the markup between the blocks.
        assert_eq!(&src[seg.original(7..17)], "tail\n\nRun ");
    }
}
