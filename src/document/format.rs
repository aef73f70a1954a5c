//! Input formats: which one a file is (by extension, or as the user says),
//! and turning its text into documents, with an error per malformed record
//! that never stops the rest of the file.

use std::path::Path;

use super::Document;

/// The kinds of file mtlint reads.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, clap::ValueEnum, serde::Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum InputFormat {
    /// Plain text: paragraphs at blank lines (`.txt`, `.text`, anything unknown).
    Text,
    /// CommonMark with tables and front matter (`.md`, `.markdown`).
    Markdown,
    /// HTML: visible text only (`.html`, `.htm`).
    Html,
    /// JSON Lines: one record per line (`.jsonl`, `.ndjson`).
    Jsonl,
    /// Comma-separated values with a header row (`.csv`).
    Csv,
    /// Tab-separated values with a header row (`.tsv`).
    Tsv,
    /// RSS 2.0 or Atom: one document per item or entry (`.rss`, `.atom`, feed `.xml`).
    Feed,
    /// XLIFF 1.2 or 2.x: one document per unit, its target checked (`.xlf`, `.xliff`).
    Xliff,
    /// gettext PO: one document per entry, its msgstr checked (`.po`, `.pot`).
    Po,
}

/// File extensions (lower case) and the format each means. `.xml` is absent:
/// it is a feed or XLIFF only when its root element says so.
pub const EXTENSIONS: &[(&str, InputFormat)] = &[
    ("txt", InputFormat::Text),
    ("text", InputFormat::Text),
    ("md", InputFormat::Markdown),
    ("markdown", InputFormat::Markdown),
    ("html", InputFormat::Html),
    ("htm", InputFormat::Html),
    ("jsonl", InputFormat::Jsonl),
    ("ndjson", InputFormat::Jsonl),
    ("csv", InputFormat::Csv),
    ("tsv", InputFormat::Tsv),
    ("rss", InputFormat::Feed),
    ("atom", InputFormat::Feed),
    ("xlf", InputFormat::Xliff),
    ("xliff", InputFormat::Xliff),
    ("po", InputFormat::Po),
    ("pot", InputFormat::Po),
];

impl InputFormat {
    /// The format a path's extension names, if any.
    pub fn from_extension(path: &Path) -> Option<InputFormat> {
        let ext = path.extension()?.to_str()?;
        EXTENSIONS
            .iter()
            .find(|(e, _)| e.eq_ignore_ascii_case(ext))
            .map(|&(_, f)| f)
    }

    /// The format of a file: by extension; an `.xml` file by its root
    /// element (feed or XLIFF); plain text otherwise.
    pub fn detect(path: &Path, bytes: &[u8]) -> InputFormat {
        if let Some(f) = InputFormat::from_extension(path) {
            return f;
        }
        let is_xml = path
            .extension()
            .and_then(|e| e.to_str())
            .is_some_and(|e| e.eq_ignore_ascii_case("xml"));
        if is_xml {
            return sniff_xml(bytes).unwrap_or(InputFormat::Text);
        }
        InputFormat::Text
    }
}

/// Feed or XLIFF, from the first element of an XML file.
fn sniff_xml(bytes: &[u8]) -> Option<InputFormat> {
    let head = &bytes[..bytes.len().min(4096)];
    let text = String::from_utf8_lossy(head);
    let root = super::xml::root_name(&text)?;
    let local = root.rsplit(':').next().unwrap_or(root);
    match local {
        "rss" | "feed" | "RDF" => Some(InputFormat::Feed),
        "xliff" => Some(InputFormat::Xliff),
        _ => None,
    }
}

/// Which fields or columns hold what, for the record formats.
#[derive(Clone, Debug)]
pub struct InputOptions {
    /// Forces a format for every file (`--input-format`).
    pub format: Option<InputFormat>,
    /// JSON Lines: dotted path of the text field (default `text`).
    pub text_field: String,
    /// JSON Lines: dotted path of the record id (default: the line number).
    pub id_field: Option<String>,
    /// JSON Lines: dotted path of the source text, for source↔target rules.
    pub source_field: Option<String>,
    /// CSV/TSV: header name of the text column (default `text`).
    pub text_column: String,
    /// CSV/TSV: header name of the id column (default: the line number).
    pub id_column: Option<String>,
    /// CSV/TSV: header name of the source column.
    pub source_column: Option<String>,
}

impl Default for InputOptions {
    fn default() -> Self {
        InputOptions {
            format: None,
            text_field: "text".into(),
            id_field: None,
            source_field: None,
            text_column: "text".into(),
            id_column: None,
            source_column: None,
        }
    }
}

/// A record that could not be read; the rest of the file still is.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RecordError {
    /// 1-based line where the record starts.
    pub line: usize,
    /// What is wrong with it.
    pub message: String,
}

/// The documents of a file and its malformed records.
#[derive(Debug, Default)]
pub struct Parsed<'a> {
    /// Documents in file order.
    pub documents: Vec<Document<'a>>,
    /// Records that could not be read, in file order.
    pub errors: Vec<RecordError>,
}

/// Parses `text` (a whole file, already UTF-8) as `format`. A leading
/// byte-order mark is skipped; offsets still count it. Never panics.
pub fn parse<'a>(text: &'a str, format: InputFormat, options: &InputOptions) -> Parsed<'a> {
    let bom = if text.starts_with('\u{FEFF}') { 3 } else { 0 };
    let body = &text[bom..];
    let mut parsed = match format {
        InputFormat::Text => Parsed {
            documents: vec![super::plain_text(body.as_bytes()).0],
            errors: Vec::new(),
        },
        InputFormat::Markdown => super::markdown::parse(body),
        InputFormat::Html => super::html::parse(body),
        InputFormat::Jsonl => super::jsonl::parse(body, options),
        InputFormat::Csv => super::csv::parse(body, b',', options),
        InputFormat::Tsv => super::csv::parse(body, b'\t', options),
        InputFormat::Feed => super::xml::parse_feed(body),
        InputFormat::Xliff => super::xml::parse_xliff(body),
        InputFormat::Po => super::po::parse(body),
    };
    if bom > 0 {
        for doc in &mut parsed.documents {
            doc.shift(bom);
        }
    }
    for e in &mut parsed.errors {
        cap_message(&mut e.message);
    }
    parsed
}

/// Longest record error message kept whole, in bytes: messages quote the
/// input (element names, a line), and one quoting a million unclosed tags
/// would be megabytes on one line of the report.
pub(crate) const MAX_MESSAGE_BYTES: usize = 300;

/// Cuts `message` to [`MAX_MESSAGE_BYTES`] (at a char boundary), saying how
/// much was left out.
pub(crate) fn cap_message(message: &mut String) {
    if message.len() <= MAX_MESSAGE_BYTES {
        return;
    }
    let mut cut = MAX_MESSAGE_BYTES;
    while !message.is_char_boundary(cut) {
        cut -= 1;
    }
    let more = message.len() - cut;
    message.truncate(cut);
    message.push_str(&format!("… ({more} more bytes)"));
}

/// 1-based line numbers of increasing byte offsets, counted incrementally.
pub(crate) struct LineCounter<'a> {
    text: &'a str,
    pos: usize,
    line: usize,
}

impl<'a> LineCounter<'a> {
    pub(crate) fn new(text: &'a str) -> Self {
        LineCounter {
            text,
            pos: 0,
            line: 1,
        }
    }

    /// The line of `offset`; offsets before the last one asked restart the count.
    pub(crate) fn line(&mut self, offset: usize) -> usize {
        let offset = offset.min(self.text.len());
        if offset < self.pos {
            self.pos = 0;
            self.line = 1;
        }
        self.line += memchr::memchr_iter(b'\n', &self.text.as_bytes()[self.pos..offset]).count();
        self.pos = offset;
        self.line
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn long_messages_are_capped_at_a_char_boundary() {
        let mut short = "fine".to_string();
        cap_message(&mut short);
        assert_eq!(short, "fine");
        let mut long = "é".repeat(1000);
        cap_message(&mut long);
        assert!(long.starts_with(&"é".repeat(MAX_MESSAGE_BYTES / 2)));
        assert!(long.ends_with("… (1700 more bytes)"), "{long}");
    }

    /// A target with a hundred thousand unclosed tags: the error names the
    /// unit's line in a message of a few hundred bytes, not megabytes.
    #[test]
    fn unclosed_tags_give_a_short_error() {
        let src = format!(
            "<xliff version=\"1.2\"><file><body>\n<trans-unit id=\"1\"><source>A</source>\
             <target>{}</target></trans-unit>\n</body></file></xliff>\n",
            "<g>".repeat(100_000)
        );
        let parsed = parse(&src, InputFormat::Xliff, &InputOptions::default());
        assert_eq!(parsed.errors.len(), 1, "{:?}", parsed.errors);
        let e = &parsed.errors[0];
        assert_eq!(e.line, 2);
        assert!(
            e.message.len() < MAX_MESSAGE_BYTES + 40,
            "{}",
            e.message.len()
        );
        assert!(e.message.ends_with("more bytes)"), "{}", &e.message[..100]);
    }
}
