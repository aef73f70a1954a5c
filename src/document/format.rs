//! Input formats: which one a file is (by extension, or as the user says),
//! and turning its text into documents, with an error per malformed record
//! that never stops the rest of the file. The dispatcher: it imports the
//! parsers, which import nothing from here (their types are in `parsed`).

use std::path::Path;

pub use super::parsed::{EXTENSIONS, HtmlContent, InputFormat, InputOptions, Parsed, RecordError};

impl InputFormat {
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

/// Parses `text` (a whole file, already UTF-8) as `format`. A leading
/// byte-order mark is skipped; offsets still count it. Never panics.
pub fn parse<'a>(text: &'a str, format: InputFormat, options: &InputOptions) -> Parsed<'a> {
    let bom = if text.starts_with('\u{FEFF}') { 3 } else { 0 };
    let body = &text[bom..];
    let mut parsed = match format {
        InputFormat::Text => Parsed {
            documents: vec![super::plain_text(body.as_bytes()).0],
            ..Parsed::default()
        },
        InputFormat::Markdown => super::markdown::parse(body),
        InputFormat::Html => super::html::parse(body, options.html_content),
        InputFormat::Jsonl => super::jsonl::parse(body, options),
        InputFormat::Csv => super::csv::parse(body, b',', options),
        InputFormat::Tsv => super::csv::parse(body, b'\t', options),
        InputFormat::Feed => super::xml::parse_feed(body, options),
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
