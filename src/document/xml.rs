//! XML inputs on the tolerant tokenizer in `markup`: RSS 2.0 and Atom feeds
//! (each item or entry a document: its title and description or content,
//! HTML inside decoded and stripped) and XLIFF 1.2 and 2.x (each unit a
//! document: its target checked, its source kept for source↔target rules).
//! Only the five predefined entities and character references are decoded:
//! a DOCTYPE's own entities are never expanded. A malformed item or unit is
//! an error for that record; the rest of the file is still read.

use std::ops::Range;

use super::html::visible_text;
use super::markup::{Entities, Token, Tokenizer, attribute, local_name, push_text};
use super::parsed::{LineCounter, Parsed, RecordError};
use super::{Document, Segment, SegmentBuilder};

/// The name of the first element of `src`, if any.
pub(crate) fn root_name(src: &str) -> Option<&str> {
    Tokenizer::new(src).find_map(|t| match t {
        Token::Start { name, .. } => src.get(name),
        _ => None,
    })
}

/// Element names with the nesting check used for every record.
struct Stack {
    names: Vec<String>,
}

impl Stack {
    /// Pops the element `name` ends; an error when it is not the innermost open one.
    fn close(&mut self, name: &str) -> Result<(), String> {
        match self.names.iter().rposition(|n| n == name) {
            Some(i) if i + 1 == self.names.len() => {
                self.names.pop();
                Ok(())
            }
            Some(i) => {
                let open = self.names[i + 1..].join(">, <");
                self.names.truncate(i);
                Err(format!(
                    "</{name}> closes <{name}> while <{open}> is still open"
                ))
            }
            None => Err(format!("</{name}> closes no open element")),
        }
    }

    /// [`Stack::close`], with a nesting error routed: to the open record's
    /// `error` when there is one, else to the file's errors at the line
    /// `line` gives. Returns the depth after closing.
    fn close_routed(
        &mut self,
        name: &str,
        record_error: Option<&mut Option<String>>,
        errors: &mut Vec<RecordError>,
        line: impl FnOnce() -> usize,
    ) -> usize {
        if let Err(e) = self.close(name) {
            match record_error {
                Some(slot) => {
                    slot.get_or_insert(e);
                }
                None => errors.push(RecordError {
                    line: line(),
                    message: format!("malformed XML: {e}"),
                }),
            }
        }
        self.names.len()
    }
}

/// The raw content of an element, as an intermediate segment: text with the
/// XML entities decoded, CDATA as is, inner tags kept verbatim (for the HTML
/// pass of feed content).
fn collect_content(b: &mut SegmentBuilder<'_>, src: &str, token: &Token) {
    match token {
        Token::Text(r) => push_text(b, src, r.clone(), Entities::Xml, false),
        Token::CData { content, .. } => b.verbatim(&src[content.clone()], content.start),
        Token::Start { range, .. } | Token::End { range, .. } => {
            b.verbatim(&src[range.clone()], range.start);
        }
        Token::Other(_) => {}
    }
}

/// Feed fields that hold prose.
const FEED_TEXT: &[&str] = &["title", "description", "encoded", "content", "summary"];

/// One item or entry being read.
struct Item {
    start: usize,
    depth: usize,
    id: Option<String>,
    link: Option<String>,
    segments: Vec<Segment<'static>>,
    error: Option<String>,
    /// The prose field being read: its depth, whether it is HTML, its content.
    field: Option<(usize, bool, SegmentBuilder<'static>)>,
    /// An id-like field being read (guid, link, id) and its text.
    key: Option<(usize, String, String)>,
}

/// The documents of an RSS or Atom feed.
pub(crate) fn parse_feed(src: &str) -> Parsed<'static> {
    let mut parsed = Parsed::default();
    let mut lines = LineCounter::new(src);
    let mut stack = Stack { names: Vec::new() };
    let mut item: Option<Item> = None;
    let mut atom = false;
    let mut count = 0;
    for token in Tokenizer::new(src) {
        match &token {
            Token::Start {
                name,
                range,
                self_closing,
            } => {
                let local = local_name(&src[name.clone()]).to_string();
                if stack.names.is_empty() {
                    atom = local == "feed";
                }
                let depth = stack.names.len();
                if let Some(it) = &mut item {
                    if let Some((_, _, b)) = &mut it.field {
                        collect_content(b, src, &token);
                    } else if FEED_TEXT.contains(&local.as_str())
                        && depth == it.depth + 1
                        && !self_closing
                    {
                        let kind = attribute(src, range.clone(), "type").map(|r| &src[r]);
                        // RSS fields hold escaped HTML; Atom says which with `type`.
                        let html = !atom || matches!(kind, Some("html" | "xhtml" | "text/html"));
                        it.field = Some((depth, html, SegmentBuilder::new()));
                    } else if matches!(local.as_str(), "guid" | "id" | "link")
                        && depth == it.depth + 1
                    {
                        if local == "link" && atom {
                            if let Some(href) = attribute(src, range.clone(), "href") {
                                it.link.get_or_insert_with(|| src[href].to_string());
                            }
                        }
                        if !self_closing {
                            it.key = Some((depth, local.clone(), String::new()));
                        }
                    } else if (local == "item" || local == "entry") && !self_closing {
                        // Its fields are not the outer item's: said, not
                        // silently dropped.
                        parsed.errors.push(RecordError {
                            line: lines.line(range.start),
                            message: format!(
                                "malformed feed item: <{local}> inside another item; its text is not checked"
                            ),
                        });
                    }
                } else if (local == "item" || local == "entry") && !self_closing {
                    item = Some(Item {
                        start: range.start,
                        depth,
                        id: None,
                        link: None,
                        segments: Vec::new(),
                        error: None,
                        field: None,
                        key: None,
                    });
                }
                if !self_closing {
                    stack.names.push(local);
                }
            }
            Token::End { name, range } => {
                let local = local_name(&src[name.clone()]).to_string();
                let depth = stack.close_routed(
                    &local,
                    item.as_mut().map(|r| &mut r.error),
                    &mut parsed.errors,
                    || lines.line(range.start),
                );
                let Some(it) = &mut item else {
                    continue;
                };
                if it.field.as_ref().is_some_and(|(d, _, _)| *d == depth) {
                    if let Some((_, html, b)) = it.field.take() {
                        feed_field(b, html, &mut it.segments);
                    }
                } else if let Some((_, _, b)) = &mut it.field {
                    collect_content(b, src, &token);
                }
                if it.key.as_ref().is_some_and(|(d, _, _)| *d == depth) {
                    if let Some((_, key, text)) = it.key.take() {
                        let text = text.trim().to_string();
                        if !text.is_empty() {
                            if key == "link" {
                                it.link.get_or_insert(text);
                            } else {
                                it.id.get_or_insert(text);
                            }
                        }
                    }
                }
                if depth <= it.depth {
                    count += 1;
                    if let Some(it) = item.take() {
                        finish_item(it, count, &mut lines, &mut parsed);
                    }
                }
            }
            Token::Text(_) | Token::CData { .. } => {
                if let Some(it) = &mut item {
                    if let Some((_, _, b)) = &mut it.field {
                        collect_content(b, src, &token);
                    } else if let Some((_, _, text)) = &mut it.key {
                        let mut b = SegmentBuilder::new();
                        collect_content(&mut b, src, &token);
                        text.push_str(b.text());
                    }
                }
            }
            Token::Other(_) => {}
        }
    }
    if let Some(mut it) = item.take() {
        it.error.get_or_insert("the file ends inside it".into());
        finish_item(it, count + 1, &mut lines, &mut parsed);
    }
    parsed
}

/// Turns a prose field's content into segments: through the HTML pass, or
/// as plain text with whitespace collapsed.
fn feed_field(content: SegmentBuilder<'static>, html: bool, out: &mut Vec<Segment<'static>>) {
    let Some(inner) = content.finish() else {
        return;
    };
    let text = inner.text().to_string();
    let mut b = SegmentBuilder::over(&inner);
    if html {
        // The field's blocks are paragraphs of one segment.
        visible_text(&text, &mut b, &mut SegmentBuilder::paragraph_break);
    } else {
        push_text(&mut b, &text, 0..text.len(), Entities::None, true);
    }
    b.trim_end();
    out.extend(b.take());
}

fn finish_item(it: Item, n: usize, lines: &mut LineCounter<'_>, parsed: &mut Parsed<'static>) {
    if let Some(e) = it.error {
        parsed.errors.push(RecordError {
            line: lines.line(it.start),
            message: format!("malformed feed item: {e}"),
        });
        return;
    }
    parsed.documents.push(Document {
        segments: it.segments,
        record: Some(it.id.or(it.link).unwrap_or_else(|| format!("item {n}"))),
        source: None,
        target_span: None,
    });
}

/// XLIFF inline elements that stand for a code or placeholder: the whole
/// element reads as one U+FFFC, in the source as in the target.
const PLACEHOLDERS: &[&str] = &[
    "x", "bx", "ex", "ph", "bpt", "ept", "it", "sc", "ec", "sm", "em", "cp",
];

/// One unit being read.
#[derive(Default)]
struct Unit {
    start: usize,
    depth: usize,
    id: Option<String>,
    source: String,
    segments: Vec<Segment<'static>>,
    target_span: Option<Range<usize>>,
    error: Option<String>,
    /// Inside `<source>` (false) or `<target>` (true), at this depth.
    part: Option<(usize, bool)>,
    target: SegmentBuilder<'static>,
    /// Inside a placeholder element: its depth and start.
    placeholder: Option<(usize, usize)>,
    /// Inside alternative translations or notes (never the unit's own
    /// source and target): their depth.
    aside: Option<usize>,
}

/// Elements of a unit whose sources and targets are not the unit's own:
/// XLIFF 1.2 `alt-trans`, 2.x translation-candidate `matches`, notes.
const ASIDES: &[&str] = &["alt-trans", "matches", "notes", "note"];

/// The documents of an XLIFF 1.2 or 2.x file.
pub(crate) fn parse_xliff(src: &str) -> Parsed<'static> {
    let mut parsed = Parsed::default();
    let mut lines = LineCounter::new(src);
    let mut stack = Stack { names: Vec::new() };
    let mut unit: Option<Unit> = None;
    for token in Tokenizer::new(src) {
        match &token {
            Token::Start {
                name,
                range,
                self_closing,
            } => {
                let local = local_name(&src[name.clone()]).to_string();
                let depth = stack.names.len();
                if let Some(u) = &mut unit {
                    if u.placeholder.is_some() || u.aside.is_some() {
                        // Inside a placeholder: nothing is prose.
                    } else if let Some((_, is_target)) = u.part {
                        if PLACEHOLDERS.contains(&local.as_str()) {
                            if *self_closing {
                                placeholder(u, is_target, range.clone());
                            } else {
                                u.placeholder = Some((depth, range.start));
                            }
                        } else if is_target {
                            // A wrapping element (g, mrk, pc): its tags are not prose.
                            u.target.replaced("", range.clone());
                        }
                    } else if ASIDES.contains(&local.as_str()) {
                        if !self_closing {
                            u.aside = Some(depth);
                        }
                    } else if local == "source" || local == "target" {
                        let is_target = local == "target";
                        if is_target {
                            u.target_span.get_or_insert(range.clone());
                        } else if !u.source.is_empty() {
                            u.source.push(' ');
                        }
                        if !self_closing {
                            u.part = Some((depth, is_target));
                        }
                    }
                } else if (local == "trans-unit" || local == "unit") && !self_closing {
                    unit = Some(Unit {
                        start: range.start,
                        depth,
                        id: attribute(src, range.clone(), "id").map(|r| src[r].to_string()),
                        ..Unit::default()
                    });
                }
                if !self_closing {
                    stack.names.push(local);
                }
            }
            Token::End { name, range } => {
                let local = local_name(&src[name.clone()]).to_string();
                let depth = stack.close_routed(
                    &local,
                    unit.as_mut().map(|r| &mut r.error),
                    &mut parsed.errors,
                    || lines.line(range.start),
                );
                let Some(u) = &mut unit else {
                    continue;
                };
                if u.aside == Some(depth) {
                    u.aside = None;
                } else if u.aside.is_some() {
                    // Inside an aside: nothing is the unit's.
                } else if let Some((d, start)) = u.placeholder {
                    if d == depth {
                        u.placeholder = None;
                        let is_target = u.part.is_some_and(|(_, t)| t);
                        placeholder(u, is_target, start..range.end);
                    }
                } else if let Some((d, is_target)) = u.part {
                    if d == depth {
                        u.part = None;
                        if is_target {
                            if let Some(span) = &mut u.target_span {
                                span.end = range.end;
                            }
                            u.target.trim_end();
                            u.segments.extend(u.target.take());
                        }
                    } else if is_target {
                        u.target.replaced("", range.clone());
                    }
                }
                if depth <= u.depth {
                    if let Some(u) = unit.take() {
                        finish_unit(u, &mut lines, &mut parsed);
                    }
                }
            }
            Token::Text(r) | Token::CData { content: r, .. } => {
                let Some(u) = &mut unit else { continue };
                let Some((_, is_target)) = u
                    .part
                    .filter(|_| u.placeholder.is_none() && u.aside.is_none())
                else {
                    continue;
                };
                let cdata = matches!(token, Token::CData { .. });
                if is_target {
                    if cdata {
                        u.target.verbatim(&src[r.clone()], r.start);
                    } else {
                        push_text(&mut u.target, src, r.clone(), Entities::Xml, false);
                    }
                } else {
                    let mut b = SegmentBuilder::new();
                    collect_content(&mut b, src, &token);
                    u.source.push_str(b.text());
                }
            }
            Token::Other(_) => {}
        }
    }
    if let Some(mut u) = unit.take() {
        u.error.get_or_insert("the file ends inside it".into());
        finish_unit(u, &mut lines, &mut parsed);
    }
    parsed
}

fn placeholder(u: &mut Unit, is_target: bool, range: Range<usize>) {
    if is_target {
        u.target.replaced(super::markdown::OBJECT, range);
    } else {
        u.source.push_str(super::markdown::OBJECT);
    }
}

fn finish_unit(u: Unit, lines: &mut LineCounter<'_>, parsed: &mut Parsed<'static>) {
    if let Some(e) = u.error {
        parsed.errors.push(RecordError {
            line: lines.line(u.start),
            message: format!("malformed translation unit: {e}"),
        });
        return;
    }
    parsed.documents.push(Document {
        segments: u.segments,
        record: Some(u.id.unwrap_or_default()),
        source: Some(u.source),
        // No target element at all: a file still to be translated, not an
        // empty translation.
        target_span: u.target_span,
    });
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rss_items_with_escaped_html() {
        let src = "<?xml version=\"1.0\"?>\n<rss><channel><title>Feed</title>\n\
                   <item><title>Rates &amp; bonds</title><guid>g1</guid>\
                   <description>&lt;p&gt;Bank held &amp;amp; waited.&lt;/p&gt;&lt;p&gt;Next.&lt;/p&gt;</description></item>\n\
                   <item><title>Two</title><link>http://e.x/2</link>\
                   <description><![CDATA[<p>Cup <b>final</b> won.</p>]]></description></item>\n\
                   <item><title>Bad</b></title></item>\n</channel></rss>\n";
        let parsed = parse_feed(src);
        assert_eq!(parsed.documents.len(), 2);
        let d = &parsed.documents[0];
        assert_eq!(d.record.as_deref(), Some("g1"));
        let texts: Vec<&str> = d.segments.iter().map(|s| s.text()).collect();
        assert_eq!(texts, ["Rates & bonds", "Bank held & waited.\n\nNext."]);
        assert_eq!(&src[d.segments[1].original(10..11)], "&amp;amp;");
        assert_eq!(&src[d.segments[1].original(0..4)], "Bank");
        assert_eq!(parsed.documents[1].record.as_deref(), Some("http://e.x/2"));
        assert_eq!(parsed.documents[1].segments[1].text(), "Cup final won.");
        assert_eq!(parsed.errors.len(), 1);
        assert_eq!(parsed.errors[0].line, 5);
    }

    /// An item inside another: the outer one is checked, the inner one is
    /// an error at its own line (its fields are nobody's).
    #[test]
    fn nested_items_are_reported() {
        let src = "<rss><channel>\n<item><title>Outer</title>\n\
                   <item><title>Inner</title></item>\n</item>\n\
                   <item><title>Next</title></item>\n</channel></rss>\n";
        let parsed = parse_feed(src);
        let titles: Vec<&str> = parsed
            .documents
            .iter()
            .map(|d| d.segments[0].text())
            .collect();
        assert_eq!(titles, ["Outer", "Next"]);
        assert_eq!(parsed.errors.len(), 1, "{:?}", parsed.errors);
        assert_eq!(parsed.errors[0].line, 3);
        assert!(
            parsed.errors[0]
                .message
                .contains("<item> inside another item")
        );
    }

    #[test]
    fn atom_entries() {
        let src = "<feed xmlns=\"http://www.w3.org/2005/Atom\"><title>F</title>\
                   <entry><id>urn:1</id><title type=\"text\">A &lt;b&gt; c</title>\
                   <content type=\"html\">&lt;p&gt;Hi.&lt;/p&gt;</content></entry></feed>";
        let parsed = parse_feed(src);
        let d = &parsed.documents[0];
        assert_eq!(d.record.as_deref(), Some("urn:1"));
        let texts: Vec<&str> = d.segments.iter().map(|s| s.text()).collect();
        assert_eq!(texts, ["A <b> c", "Hi."]);
    }

    #[test]
    fn xliff_units() {
        let src = "<!DOCTYPE x [<!ENTITY boom \"BOOM\">]>\n<xliff version=\"1.2\"><file><body>\n\
                   <trans-unit id=\"u1\"><source>Hello <x id=\"1\"/>world &amp; co</source>\
                   <target>Bonjour <x id=\"1\"/>monde &amp; &boom;</target></trans-unit>\n\
                   <trans-unit id=\"u2\"><source>Empty</source><target/></trans-unit>\n\
                   </body></file></xliff>\n";
        let parsed = parse_xliff(src);
        assert_eq!(parsed.errors, []);
        let d = &parsed.documents[0];
        assert_eq!(d.record.as_deref(), Some("u1"));
        assert_eq!(d.source.as_deref(), Some("Hello \u{FFFC}world & co"));
        let t = &d.segments[0];
        assert_eq!(t.text(), "Bonjour \u{FFFC}monde & &boom;");
        assert_eq!(&src[t.original(8..11)], "<x id=\"1\"/>");
        assert_eq!(
            &src[d.target_span.clone().expect("span")],
            "<target>Bonjour <x id=\"1\"/>monde &amp; &boom;</target>"
        );
        let e = &parsed.documents[1];
        assert!(e.segments.is_empty());
        assert_eq!(&src[e.target_span.clone().expect("span")], "<target/>");
    }

    #[test]
    fn xliff_alternatives_are_not_the_target() {
        let src = "<xliff><file><body><trans-unit id=\"a\"><source>One.</source>\
                   <target>Un.</target><alt-trans><source>One!</source><target>Une. . fois</target>\
                   </alt-trans><note>Two</note></trans-unit></body></file></xliff>";
        let parsed = parse_xliff(src);
        let d = &parsed.documents[0];
        assert_eq!(d.source.as_deref(), Some("One."));
        let texts: Vec<&str> = d.segments.iter().map(|s| s.text()).collect();
        assert_eq!(texts, ["Un."]);
    }

    #[test]
    fn xliff2_segments() {
        let src = "<xliff version=\"2.0\"><file id=\"f\"><unit id=\"a\"><segment><source>One.</source>\
                   <target>Un.</target></segment><segment><source>Two.</source><target>Deux.</target>\
                   </segment></unit></file></xliff>";
        let parsed = parse_xliff(src);
        let d = &parsed.documents[0];
        assert_eq!(d.source.as_deref(), Some("One. Two."));
        assert_eq!(d.segments.len(), 2);
    }
}
