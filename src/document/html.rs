//! HTML input: the visible text of a page. Block elements end paragraphs
//! (a blank line in the segment's text, standing for the markup), entities are decoded, whitespace is
//! collapsed as a browser does; script, style, noscript and template are
//! skipped. Built on the tolerant tokenizer in `markup`: unclosed tags and
//! broken entities never lose text.

use super::markup::{Entities, Token, Tokenizer, push_text};
use super::parsed::{HtmlContent, Parsed};
use super::text::MAX_SEGMENT_BYTES;
use super::{Container, Document, SegmentBuilder};

/// Elements whose content is never prose.
const SKIPPED: &[&str] = &[
    "script", "style", "noscript", "template", "svg", "math", "textarea",
];

/// Elements that start or end a block of text.
const BLOCKS: &[&str] = &[
    "address",
    "article",
    "aside",
    "blockquote",
    "body",
    "caption",
    "dd",
    "details",
    "dialog",
    "div",
    "dl",
    "dt",
    "fieldset",
    "figcaption",
    "figure",
    "footer",
    "form",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "header",
    "hr",
    "html",
    "li",
    "main",
    "nav",
    "ol",
    "option",
    "p",
    "pre",
    "section",
    "summary",
    "table",
    "tbody",
    "td",
    "tfoot",
    "th",
    "thead",
    "title",
    "tr",
    "ul",
];

/// The documents of an HTML file: one, holding every visible block of the
/// part of the page `content` chooses.
pub(crate) fn parse(src: &str, content: HtmlContent) -> Parsed<'static> {
    let (region, note) = match content {
        HtmlContent::Body => (None, None),
        HtmlContent::Article | HtmlContent::Main => {
            let name = if content == HtmlContent::Article {
                "article"
            } else {
                "main"
            };
            if count_elements(src, name) == 0 {
                return Parsed {
                    skipped: Some(format!("no <{name}> element (--html-content {name})")),
                    ..Parsed::default()
                };
            }
            (Some(name), None)
        }
        HtmlContent::Auto => {
            let found = ["article", "main"]
                .into_iter()
                .map(|name| (name, count_elements(src, name)))
                .find(|&(_, n)| n > 0);
            match found {
                Some((name, n)) => {
                    let many = if n > 1 {
                        format!(" ({n} of them)")
                    } else {
                        String::new()
                    };
                    (
                        Some(name),
                        Some(format!("checked the <{name}> element{many}")),
                    )
                }
                None => (
                    None,
                    Some("no <article> or <main>: checked the whole page".into()),
                ),
            }
        }
    };
    let mut doc = Document::default();
    let mut b = SegmentBuilder::new();
    visible_text_in(src, region, &mut b, &mut |b| {
        b.paragraph_break();
        // Blocks share a segment, as plain text's paragraphs do, up to the
        // size at which plain text splits too.
        if b.text().len() > MAX_SEGMENT_BYTES {
            doc.segments
                .extend(b.take().map(|s| s.in_container(Container::Html)));
        }
    });
    b.trim_end();
    doc.segments
        .extend(b.take().map(|s| s.in_container(Container::Html)));
    Parsed {
        documents: vec![doc],
        notes: note.into_iter().collect(),
        ..Parsed::default()
    }
}

/// How many `<name>` elements the page opens, outside comments, scripts and
/// the other skipped elements. A page that never spells the tag (most, for
/// `article`) is not tokenized for it.
fn count_elements(src: &str, name: &str) -> usize {
    let bytes = src.as_bytes();
    let spelled = memchr::memchr_iter(b'<', bytes).any(|at| {
        bytes
            .get(at + 1..at + 1 + name.len())
            .is_some_and(|w| w.eq_ignore_ascii_case(name.as_bytes()))
    });
    if !spelled {
        return 0;
    }
    let mut count = 0;
    let mut tokens = Tokenizer::new(src);
    while let Some(token) = tokens.next() {
        if let Token::Start {
            name: n,
            self_closing,
            ..
        } = token
        {
            let n = src[n].to_ascii_lowercase();
            if n == name {
                count += 1;
            } else if SKIPPED.contains(&n.as_str()) && !self_closing {
                tokens.skip_raw_text(&n);
            }
        }
    }
    count
}

/// Feeds the visible text of `src` to `b`, calling `end_block` at every
/// block boundary and at the end.
pub(crate) fn visible_text<'m>(
    src: &str,
    b: &mut SegmentBuilder<'m>,
    end_block: &mut dyn FnMut(&mut SegmentBuilder<'m>),
) {
    visible_text_in(src, None, b, end_block);
}

/// [`visible_text`], only of the text inside `region` elements when one is
/// named (nested ones counted, so the outer one's end ends it).
fn visible_text_in<'m>(
    src: &str,
    region: Option<&str>,
    b: &mut SegmentBuilder<'m>,
    end_block: &mut dyn FnMut(&mut SegmentBuilder<'m>),
) {
    let mut depth = 0usize;
    let inside = |depth: usize| region.is_none() || depth > 0;
    let mut tokens = Tokenizer::new(src);
    while let Some(token) = tokens.next() {
        match token {
            Token::Text(r) if inside(depth) => push_text(b, src, r, Entities::Html, true),
            Token::CData { content, .. } if inside(depth) => {
                push_text(b, src, content, Entities::Html, true);
            }
            Token::Start {
                name,
                range,
                self_closing,
            } => {
                let name = src[name].to_ascii_lowercase();
                if region == Some(name.as_str()) && !self_closing {
                    depth += 1;
                }
                if SKIPPED.contains(&name.as_str()) {
                    if !self_closing {
                        tokens.skip_raw_text(&name);
                    }
                    end_block(b);
                } else if BLOCKS.contains(&name.as_str()) {
                    end_block(b);
                } else if name == "br" && inside(depth) {
                    b.replaced("\n", range);
                }
            }
            Token::End { name, .. } => {
                let name = src[name].to_ascii_lowercase();
                if region == Some(name.as_str()) {
                    depth = depth.saturating_sub(1);
                }
                if BLOCKS.contains(&name.as_str()) {
                    end_block(b);
                }
            }
            _ => {}
        }
    }
    end_block(b);
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The paragraphs of the document's text.
    fn texts(src: &str) -> Vec<String> {
        parse(src, HtmlContent::Body).documents[0].paragraph_texts()
    }

    #[test]
    fn blocks_entities_and_skipped_elements() {
        let src = "<html><head><title>T</title><style>p{}</style></head><body>\n\
                   <p>Fish &amp; chips,\n   <b>hot</b>.</p><script>var a = '<p>';</script>\
                   <div>Caf&eacute; &bogus; done</div></body></html>";
        assert_eq!(texts(src), ["T", "Fish & chips, hot.", "Café &bogus; done"]);
    }

    #[test]
    fn spans_map_to_the_original() {
        let src = "<p>Fish &amp; chips</p>";
        let doc = &parse(src, HtmlContent::Body).documents[0];
        let seg = &doc.segments[0];
        assert_eq!(seg.text(), "Fish & chips");
        assert_eq!(&src[seg.original(5..6)], "&amp;");
        assert_eq!(&src[seg.original(7..12)], "chips");
    }

    #[test]
    fn unclosed_markup_keeps_text() {
        assert_eq!(texts("<p>a < b and <i>c"), ["a < b and c"]);
        assert_eq!(texts("<p>x <b"), ["x <b"]);
    }
}
