//! XML inputs on the tolerant tokenizer in `markup`: RSS 2.0 and Atom feeds
//! (each item or entry a document: its title and description or content,
//! HTML inside decoded and stripped) and XLIFF 1.2 and 2.x (each unit a
//! document: its target checked, its source kept for source↔target rules).
//! Only the five predefined entities and character references are decoded:
//! a DOCTYPE's own entities are never expanded. A malformed item or unit is
//! an error for that record; the rest of the file is still read.

use std::ops::Range;

use crate::language::Language;

use super::html::visible_text;
use super::markup::{Entities, Token, Tokenizer, attribute, local_name, push_text};
use super::parsed::{InputOptions, LineCounter, Parsed, RecordError};
use super::{Container, Document, RecordKeys, Segment, SegmentBuilder};

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

/// A start tag, as the record formats see it.
struct StartTag<'t> {
    /// The tag's token (fed whole to a field being collected).
    token: &'t Token,
    /// The element's name without its namespace prefix.
    local: &'t str,
    /// Byte range of the whole tag.
    range: Range<usize>,
    /// Elements open around it.
    depth: usize,
    self_closing: bool,
}

/// A format whose documents are records of an XML file (feed items,
/// translation units): what it does with the tokens in and around a
/// record. [`read_records`] walks the file, tracks nesting and routes its
/// errors, and starts and ends the records.
trait Records {
    type Record;

    /// The record `tag` (not self-closing, outside any record) opens, if any.
    fn open(&mut self, src: &str, tag: &StartTag<'_>) -> Option<Self::Record>;
    /// The depth of the record's own element.
    fn depth(record: &Self::Record) -> usize;
    /// Where an error in the record is kept (the record is then an error,
    /// not a document).
    fn error(record: &mut Self::Record) -> &mut Option<String>;
    /// A start tag inside the record.
    fn start(
        &mut self,
        record: &mut Self::Record,
        src: &str,
        tag: &StartTag<'_>,
        lines: &mut LineCounter<'_>,
        parsed: &mut Parsed<'static>,
    );
    /// An end tag inside the record (or the record's own), `depth` the
    /// depth after it.
    fn end(
        &mut self,
        record: &mut Self::Record,
        src: &str,
        token: &Token,
        range: Range<usize>,
        depth: usize,
    );
    /// Text or CDATA inside the record.
    fn text(&mut self, record: &mut Self::Record, src: &str, token: &Token);
    /// The record is over: a document, or an error at its line.
    fn finish(
        &mut self,
        record: Self::Record,
        lines: &mut LineCounter<'_>,
        parsed: &mut Parsed<'static>,
    );
    /// A token outside every record (a start tag that opens none, text, an
    /// end tag), `depth` the depth of a start tag or after an end tag.
    fn outside(&mut self, src: &str, token: &Token, local: Option<&str>, depth: usize) {
        let _ = (src, token, local, depth);
    }
}

/// The documents of the records of `src` as `format` reads them.
fn read_records<R: Records>(src: &str, format: &mut R) -> Parsed<'static> {
    let mut parsed = Parsed::default();
    let mut lines = LineCounter::new(src);
    let mut stack = Stack { names: Vec::new() };
    let mut record: Option<R::Record> = None;
    for token in Tokenizer::new(src) {
        match &token {
            Token::Start {
                name,
                range,
                self_closing,
            } => {
                let local = local_name(&src[name.clone()]).to_string();
                let tag = StartTag {
                    token: &token,
                    local: &local,
                    range: range.clone(),
                    depth: stack.names.len(),
                    self_closing: *self_closing,
                };
                if let Some(r) = &mut record {
                    format.start(r, src, &tag, &mut lines, &mut parsed);
                } else {
                    if !self_closing {
                        record = format.open(src, &tag);
                    }
                    if record.is_none() {
                        format.outside(src, &token, Some(&local), stack.names.len());
                    }
                }
                if !self_closing {
                    stack.names.push(local);
                }
            }
            Token::End { name, range } => {
                let local = local_name(&src[name.clone()]).to_string();
                let depth = stack.close_routed(
                    &local,
                    record.as_mut().map(R::error),
                    &mut parsed.errors,
                    || lines.line(range.start),
                );
                let Some(r) = &mut record else {
                    format.outside(src, &token, Some(&local), depth);
                    continue;
                };
                format.end(r, src, &token, range.clone(), depth);
                if depth <= R::depth(r) {
                    if let Some(r) = record.take() {
                        format.finish(r, &mut lines, &mut parsed);
                    }
                }
            }
            Token::Text(_) | Token::CData { .. } => {
                if let Some(r) = &mut record {
                    format.text(r, src, &token);
                } else {
                    format.outside(src, &token, None, stack.names.len());
                }
            }
            Token::Other(_) => {}
        }
    }
    if let Some(mut r) = record.take() {
        R::error(&mut r).get_or_insert("the file ends inside it".into());
        format.finish(r, &mut lines, &mut parsed);
    }
    parsed
}

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
    /// An id-like field (guid, link, id) or a field the run keeps (group,
    /// date) being read: its depth, name and text.
    key: Option<(usize, String, String)>,
    /// Fields the run keeps, as read: name and text.
    fields: Vec<(String, String)>,
}

/// Item dates, in the order tried when no date field is named: RSS
/// `pubDate`, Atom `updated` and `published`, Dublin Core `date`.
const FEED_DATES: &[&str] = &["pubDate", "updated", "published", "date"];

/// RSS and Atom: each item or entry a record.
#[derive(Default)]
struct Feed {
    /// The root element is Atom's `feed`.
    atom: bool,
    /// Items read so far, for the record name of one without an id.
    count: usize,
    /// Item fields whose first present value is the group value (`link`
    /// is the item's link, RSS element or Atom `href`).
    group: Vec<String>,
    /// Item fields tried for the date.
    date: Vec<String>,
    /// Keep the channel's title as each item's group value.
    feed_title: bool,
    /// The channel's (or Atom feed's) title, once read.
    title: Option<String>,
    /// The channel's title being read: its depth and text.
    reading_title: Option<(usize, String)>,
}

impl Feed {
    /// Whether the run keeps the item field `local`.
    fn keeps(&self, local: &str) -> bool {
        self.group.iter().any(|g| g == local) || self.date.iter().any(|d| d == local)
    }
}

impl Records for Feed {
    type Record = Item;

    fn open(&mut self, _src: &str, tag: &StartTag<'_>) -> Option<Item> {
        if tag.depth == 0 {
            self.atom = tag.local == "feed";
        }
        (tag.local == "item" || tag.local == "entry").then(|| Item {
            start: tag.range.start,
            depth: tag.depth,
            id: None,
            link: None,
            segments: Vec::new(),
            error: None,
            field: None,
            key: None,
            fields: Vec::new(),
        })
    }

    fn depth(it: &Item) -> usize {
        it.depth
    }

    fn error(it: &mut Item) -> &mut Option<String> {
        &mut it.error
    }

    fn start(
        &mut self,
        it: &mut Item,
        src: &str,
        tag: &StartTag<'_>,
        lines: &mut LineCounter<'_>,
        parsed: &mut Parsed<'static>,
    ) {
        let (local, depth) = (tag.local, tag.depth);
        if let Some((_, _, b)) = &mut it.field {
            collect_content(b, src, tag.token);
        } else if FEED_TEXT.contains(&local) && depth == it.depth + 1 && !tag.self_closing {
            let kind = attribute(src, tag.range.clone(), "type").map(|r| &src[r]);
            // RSS fields hold escaped HTML; Atom says which with `type`.
            let html = !self.atom || matches!(kind, Some("html" | "xhtml" | "text/html"));
            it.field = Some((depth, html, SegmentBuilder::new()));
        } else if depth == it.depth + 1
            && (matches!(local, "guid" | "id" | "link") || self.keeps(local))
        {
            if local == "link" && self.atom {
                if let Some(href) = attribute(src, tag.range.clone(), "href") {
                    it.link.get_or_insert_with(|| src[href].to_string());
                }
            }
            if !tag.self_closing {
                it.key = Some((depth, local.to_string(), String::new()));
            }
        } else if (local == "item" || local == "entry") && !tag.self_closing {
            // Its fields are not the outer item's: said, not
            // silently dropped.
            parsed.errors.push(RecordError {
                line: lines.line(tag.range.start),
                message: format!(
                    "malformed feed item: <{local}> inside another item; its text is not checked"
                ),
            });
        }
    }

    fn end(&mut self, it: &mut Item, src: &str, token: &Token, _range: Range<usize>, depth: usize) {
        if it.field.as_ref().is_some_and(|(d, _, _)| *d == depth) {
            if let Some((_, html, b)) = it.field.take() {
                feed_field(b, html, &mut it.segments);
            }
        } else if let Some((_, _, b)) = &mut it.field {
            collect_content(b, src, token);
        }
        if it.key.as_ref().is_some_and(|(d, _, _)| *d == depth) {
            if let Some((_, key, text)) = it.key.take() {
                let text = text.trim().to_string();
                if !text.is_empty() {
                    if self.keeps(&key) {
                        it.fields.push((key.clone(), text.clone()));
                    }
                    if key == "link" {
                        it.link.get_or_insert(text);
                    } else if matches!(key.as_str(), "guid" | "id") {
                        it.id.get_or_insert(text);
                    }
                }
            }
        }
    }

    fn text(&mut self, it: &mut Item, src: &str, token: &Token) {
        if let Some((_, _, b)) = &mut it.field {
            collect_content(b, src, token);
        } else if let Some((_, _, text)) = &mut it.key {
            let mut b = SegmentBuilder::new();
            collect_content(&mut b, src, token);
            text.push_str(b.text());
        }
    }

    fn finish(&mut self, it: Item, lines: &mut LineCounter<'_>, parsed: &mut Parsed<'static>) {
        self.count += 1;
        if let Some(e) = it.error {
            parsed.errors.push(RecordError {
                line: lines.line(it.start),
                message: format!("malformed feed item: {e}"),
            });
            return;
        }
        let field = |names: &[String]| {
            names.iter().find_map(|name| {
                if name == "link" {
                    return it.link.clone();
                }
                it.fields
                    .iter()
                    .find(|(k, _)| k == name)
                    .map(|(_, v)| v.clone())
            })
        };
        let keys = RecordKeys {
            group: field(&self.group),
            date: field(&self.date),
        };
        parsed.documents.push(Document {
            segments: it.segments,
            record: Some(
                it.id
                    .or(it.link)
                    .unwrap_or_else(|| format!("item {}", self.count)),
            ),
            source: None,
            target_span: None,
            keys,
            language: None,
        });
    }

    fn outside(&mut self, src: &str, token: &Token, local: Option<&str>, depth: usize) {
        if !self.feed_title || self.title.is_some() {
            return;
        }
        match (token, &mut self.reading_title) {
            // rss > channel > title, or Atom's feed > title.
            (
                Token::Start {
                    self_closing: false,
                    ..
                },
                None,
            ) if local == Some("title") && depth <= 2 => {
                self.reading_title = Some((depth, String::new()));
            }
            (Token::Text(_) | Token::CData { .. }, Some((_, text))) => {
                let mut b = SegmentBuilder::new();
                collect_content(&mut b, src, token);
                text.push_str(b.text());
            }
            (Token::End { .. }, Some((d, text))) if depth <= *d => {
                let title = text.split_whitespace().collect::<Vec<_>>().join(" ");
                self.title = Some(title).filter(|t| !t.is_empty());
                self.reading_title = None;
            }
            _ => {}
        }
    }
}

/// The documents of an RSS or Atom feed; with `options.keys`, each item
/// keeps its group value (the channel title, its link, an element) and
/// its date (the element named, else its own `pubDate` or `updated`).
pub(crate) fn parse_feed(src: &str, options: &InputOptions) -> Parsed<'static> {
    let keys = &options.keys;
    let mut feed = Feed {
        group: keys.group.clone(),
        date: match &keys.date {
            Some(name) => vec![name.clone()],
            None => FEED_DATES.iter().map(|d| d.to_string()).collect(),
        },
        feed_title: keys.feed_title,
        ..Feed::default()
    };
    let mut parsed = read_records(src, &mut feed);
    if let Some(title) = feed.title {
        // Also when the channel's title comes after its items.
        for doc in &mut parsed.documents {
            doc.keys.group.get_or_insert_with(|| title.clone());
        }
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
    let container = if html {
        Container::HtmlInXml
    } else {
        Container::Xml
    };
    out.extend(b.take().map(|s| s.in_container(container)));
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
    /// The target language its file declares.
    language: Option<Language>,
}

/// Elements of a unit whose sources and targets are not the unit's own:
/// XLIFF 1.2 `alt-trans`, 2.x translation-candidate `matches`, notes.
const ASIDES: &[&str] = &["alt-trans", "matches", "notes", "note"];

/// XLIFF 1.2 and 2.x: each unit a record, in the target language the
/// last `<file target-language>` (1.2) or `<xliff trgLang>` (2.x) before it
/// declares.
#[derive(Default)]
struct Xliff {
    language: Option<Language>,
}

impl Records for Xliff {
    type Record = Unit;

    fn open(&mut self, src: &str, tag: &StartTag<'_>) -> Option<Unit> {
        let declared = match tag.local {
            "file" => attribute(src, tag.range.clone(), "target-language"),
            "xliff" => attribute(src, tag.range.clone(), "trgLang"),
            _ => None,
        };
        if let Some(r) = declared {
            self.language = Language::parse(&src[r]);
        }
        (tag.local == "trans-unit" || tag.local == "unit").then(|| Unit {
            start: tag.range.start,
            depth: tag.depth,
            id: attribute(src, tag.range.clone(), "id").map(|r| src[r].to_string()),
            language: self.language,
            ..Unit::default()
        })
    }

    fn depth(u: &Unit) -> usize {
        u.depth
    }

    fn error(u: &mut Unit) -> &mut Option<String> {
        &mut u.error
    }

    fn start(
        &mut self,
        u: &mut Unit,
        _src: &str,
        tag: &StartTag<'_>,
        _lines: &mut LineCounter<'_>,
        _parsed: &mut Parsed<'static>,
    ) {
        let (local, depth, range) = (tag.local, tag.depth, tag.range.clone());
        if u.placeholder.is_some() || u.aside.is_some() {
            // Inside a placeholder: nothing is prose.
        } else if let Some((_, is_target)) = u.part {
            if PLACEHOLDERS.contains(&local) {
                if tag.self_closing {
                    placeholder(u, is_target, range);
                } else {
                    u.placeholder = Some((depth, range.start));
                }
            } else if is_target {
                // A wrapping element (g, mrk, pc): its tags are not prose.
                u.target.replaced("", range);
            }
        } else if ASIDES.contains(&local) {
            if !tag.self_closing {
                u.aside = Some(depth);
            }
        } else if local == "source" || local == "target" {
            let is_target = local == "target";
            if is_target {
                u.target_span.get_or_insert(range);
            } else if !u.source.is_empty() {
                u.source.push(' ');
            }
            if !tag.self_closing {
                u.part = Some((depth, is_target));
            }
        }
    }

    fn end(&mut self, u: &mut Unit, _src: &str, _token: &Token, range: Range<usize>, depth: usize) {
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
                    u.segments
                        .extend(u.target.take().map(|s| s.in_container(Container::Xml)));
                }
            } else if is_target {
                u.target.replaced("", range);
            }
        }
    }

    fn text(&mut self, u: &mut Unit, src: &str, token: &Token) {
        let (Token::Text(r) | Token::CData { content: r, .. }) = token else {
            return;
        };
        let Some((_, is_target)) = u
            .part
            .filter(|_| u.placeholder.is_none() && u.aside.is_none())
        else {
            return;
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
            collect_content(&mut b, src, token);
            u.source.push_str(b.text());
        }
    }

    fn finish(&mut self, u: Unit, lines: &mut LineCounter<'_>, parsed: &mut Parsed<'static>) {
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
            keys: RecordKeys::default(),
            language: u.language,
        });
    }
}

/// The documents of an XLIFF 1.2 or 2.x file.
pub(crate) fn parse_xliff(src: &str) -> Parsed<'static> {
    read_records(src, &mut Xliff::default())
}

fn placeholder(u: &mut Unit, is_target: bool, range: Range<usize>) {
    if is_target {
        u.target.replaced(super::markdown::OBJECT, range);
    } else {
        u.source.push_str(super::markdown::OBJECT);
    }
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
        let parsed = parse_feed(src, &InputOptions::default());
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
        let parsed = parse_feed(src, &InputOptions::default());
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
        let parsed = parse_feed(src, &InputOptions::default());
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
