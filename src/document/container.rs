//! What holds a segment's text in its file, for fixes that write text back:
//! the escapes, entities or quoting a piece of new text needs there. Knows
//! nothing of parsing or of fixes; the parsers name the container of each
//! segment they make.

/// How prose is written where a segment's text came from.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub enum Container {
    /// Written as it is: plain text, Markdown.
    #[default]
    Plain,
    /// HTML text: `&`, `<` and `>` as entities.
    Html,
    /// XML text (or a CDATA section, written as it is): XLIFF targets,
    /// feed fields that are not HTML.
    Xml,
    /// HTML inside XML (an RSS or Atom HTML field): HTML's escapes, then
    /// XML's over them (unless in a CDATA section).
    HtmlInXml,
    /// The inside of a JSON string.
    Json,
    /// A CSV or TSV field with this delimiter, quoted or not.
    Csv {
        /// The field delimiter (`,` or a tab).
        delimiter: u8,
    },
    /// The inside of a gettext PO string (C escapes).
    Po,
}
