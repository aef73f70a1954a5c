//! What the input parsers take and return: the input formats and the
//! options naming fields and columns, the documents and record errors of a
//! parsed file, and line counting for those errors. Every parser imports
//! this; it imports no parser and knows nothing of which parser a file
//! goes to (that is `format`'s), nor of checks or reports.

use std::path::Path;

use super::Document;
use crate::group::RecordFields;
use crate::language::Language;

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
}

/// Which part of an HTML page is checked (`--html-content`).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, clap::ValueEnum)]
pub enum HtmlContent {
    /// The `<article>` elements when the page has one, else `<main>`, else
    /// the whole page: a scraped page's navigation and footer are not the
    /// text.
    #[default]
    Auto,
    /// Only the `<article>` elements (a page without one is skipped with a note).
    Article,
    /// Only the `<main>` element (a page without one is skipped with a note).
    Main,
    /// The whole page, navigation, footer and title included.
    Body,
}

/// Which fields or columns hold what, for the record formats.
#[derive(Clone, Debug)]
pub struct InputOptions {
    /// Forces a format for every file (`--input-format`).
    pub format: Option<InputFormat>,
    /// JSON Lines: dotted path of the text field (default `text`).
    pub text_field: String,
    /// JSON Lines: more text fields (`--text-field` repeated), each checked
    /// as a segment of its own after the ones before it.
    pub extra_text_fields: Vec<String>,
    /// JSON Lines: dotted path of the record id (default: the first of
    /// `id`, `guid`, `url`, `link` the record has, else the line number).
    pub id_field: Option<String>,
    /// JSON Lines: dotted path of the source text, for source↔target rules.
    pub source_field: Option<String>,
    /// CSV/TSV: header name of the text column (default `text`).
    pub text_column: String,
    /// CSV/TSV: more text columns, each checked as a segment of its own.
    pub extra_text_columns: Vec<String>,
    /// CSV/TSV: header name of the id column (default: the first of the
    /// columns `id`, `guid`, `url`, `link` the header has, else the line
    /// number).
    pub id_column: Option<String>,
    /// CSV/TSV: header name of the source column.
    pub source_column: Option<String>,
    /// The file's encoding when it is not UTF-8 (`--encoding`): the file
    /// is decoded first, and findings mapped back to its bytes.
    pub encoding: Option<&'static encoding_rs::Encoding>,
    /// HTML: which part of a page is checked.
    pub html_content: HtmlContent,
    /// The text field or column was named by the user (flag or
    /// configuration): a file without it is an error, not a file skipped.
    pub text_explicit: bool,
    /// What each record keeps for grouping and dating it (audits).
    pub keys: RecordFields,
    /// The language of every document (`--language`), over what a file
    /// declares and what detection finds; `None`: declared, else detected.
    pub language: Option<Language>,
    /// The language of a document that declares none and whose language
    /// detection cannot tell (`--default-language`; English by default).
    pub default_language: Language,
}

/// Record fields tried in turn for the record id when none is named.
pub const DEFAULT_ID_FIELDS: &[&str] = &["id", "guid", "url", "link"];

impl InputOptions {
    /// The JSON Lines text fields, in order.
    pub fn text_fields(&self) -> impl Iterator<Item = &str> {
        std::iter::once(self.text_field.as_str())
            .chain(self.extra_text_fields.iter().map(String::as_str))
    }

    /// The CSV/TSV text columns, in order.
    pub fn text_columns(&self) -> impl Iterator<Item = &str> {
        std::iter::once(self.text_column.as_str())
            .chain(self.extra_text_columns.iter().map(String::as_str))
    }
}

impl Default for InputOptions {
    fn default() -> Self {
        InputOptions {
            format: None,
            text_field: "text".into(),
            extra_text_fields: Vec::new(),
            id_field: None,
            source_field: None,
            text_column: "text".into(),
            extra_text_columns: Vec::new(),
            id_column: None,
            source_column: None,
            encoding: None,
            html_content: HtmlContent::Auto,
            text_explicit: false,
            keys: RecordFields::default(),
            language: None,
            default_language: Language::EN,
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
    /// What a reader may want to know of how the file was read (which
    /// part of an HTML page was checked), for `--verbose`.
    pub notes: Vec<String>,
    /// Why nothing of the file was checked, when nothing was for a reason
    /// the user should hear (a page without the element asked for).
    pub skipped: Option<String>,
    /// A file of records none of which has a text field or column: what
    /// was looked for and the flag to change it (the file is then skipped,
    /// or an error when the field was named, see
    /// [`InputOptions::text_explicit`]).
    pub no_text: Option<String>,
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
