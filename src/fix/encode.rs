//! Writing new prose into its container: the escapes, entities and quoting
//! a piece of text needs where it goes in the file (see
//! [`Container`]). Reuses the entity the file itself wrote for a
//! character, and JSON `\u` escapes when the file writes non-ASCII that way.

use std::collections::HashMap;

use crate::document::Container;

/// How the file around an edit writes things, learnt from its segment.
#[derive(Debug, Default)]
pub(super) struct Style {
    /// Characters the segment writes as an entity or escape, and how.
    pub(super) written: HashMap<char, String>,
    /// The segment writes non-ASCII characters as JSON `\u` escapes.
    pub(super) ascii_json: bool,
    /// The file's lines end in CR LF.
    pub(super) crlf: bool,
    /// The edit is inside an XML CDATA section.
    pub(super) cdata: bool,
}

/// `text` as it must be written in `container`, or why it cannot be.
pub(super) fn encode(text: &str, container: Container, style: &Style) -> Result<String, String> {
    let mut out = String::with_capacity(text.len() + 8);
    for c in text.chars() {
        if let Some(w) = style.written.get(&c) {
            out.push_str(w);
            continue;
        }
        match container {
            Container::Plain | Container::Csv { .. } => newline(&mut out, c, style),
            Container::Html => markup(&mut out, c, 1, style),
            Container::Xml if style.cdata => newline(&mut out, c, style),
            Container::Xml => markup(&mut out, c, 1, style),
            Container::HtmlInXml => markup(&mut out, c, if style.cdata { 1 } else { 2 }, style),
            Container::Json => json(&mut out, c, style.ascii_json),
            Container::Po => match c {
                '\\' => out.push_str("\\\\"),
                '"' => out.push_str("\\\""),
                '\n' => out.push_str("\\n"),
                '\t' => out.push_str("\\t"),
                '\r' => out.push_str("\\r"),
                c if c.is_control() => {
                    return Err(format!("a PO string cannot hold U+{:04X}", u32::from(c)));
                }
                c => out.push(c),
            },
        }
    }
    if style.cdata && out.contains("]]>") {
        return Err("a CDATA section cannot hold “]]>”".into());
    }
    if let Container::Csv { .. } = container {
        // Inside a quoted field (the caller quotes an unquoted one first).
        out = out.replace('"', "\"\"");
    }
    Ok(out)
}

fn newline(out: &mut String, c: char, style: &Style) {
    if c == '\n' && style.crlf && !out.ends_with('\r') {
        out.push('\r');
    }
    out.push(c);
}

/// `c` as markup text, escaped `depth` times (HTML inside escaped XML: twice).
fn markup(out: &mut String, c: char, depth: usize, style: &Style) {
    let entity = match c {
        '&' => "amp;",
        '<' => "lt;",
        '>' => "gt;",
        c => return newline(out, c, style),
    };
    // `&lt;` once; inside XML text, its `&` escaped again: `&amp;lt;`.
    out.push('&');
    if depth == 2 {
        out.push_str("amp;");
    }
    out.push_str(entity);
}

fn json(out: &mut String, c: char, ascii: bool) {
    match c {
        '"' => out.push_str("\\\""),
        '\\' => out.push_str("\\\\"),
        '\n' => out.push_str("\\n"),
        '\r' => out.push_str("\\r"),
        '\t' => out.push_str("\\t"),
        '\u{8}' => out.push_str("\\b"),
        '\u{c}' => out.push_str("\\f"),
        c if u32::from(c) < 0x20 || (ascii && !c.is_ascii()) => {
            let mut units = [0u16; 2];
            for u in c.encode_utf16(&mut units) {
                out.push_str(&format!("\\u{u:04x}"));
            }
        }
        c => out.push(c),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn plain(text: &str, container: Container) -> String {
        encode(text, container, &Style::default()).expect("encodes")
    }

    #[test]
    fn each_container_escapes_its_own() {
        let t = "a \"b\" & <c>\n";
        assert_eq!(plain(t, Container::Plain), t);
        assert_eq!(plain(t, Container::Html), "a \"b\" &amp; &lt;c&gt;\n");
        assert_eq!(plain(t, Container::Xml), "a \"b\" &amp; &lt;c&gt;\n");
        assert_eq!(
            plain(t, Container::HtmlInXml),
            "a \"b\" &amp;amp; &amp;lt;c&amp;gt;\n"
        );
        assert_eq!(plain(t, Container::Json), "a \\\"b\\\" & <c>\\n");
        assert_eq!(plain(t, Container::Po), "a \\\"b\\\" & <c>\\n");
        assert_eq!(
            plain(t, Container::Csv { delimiter: b',' }),
            "a \"\"b\"\" & <c>\n"
        );
    }

    #[test]
    fn the_files_own_ways_are_kept() {
        let mut style = Style {
            ascii_json: true,
            crlf: true,
            ..Style::default()
        };
        assert_eq!(
            encode("é😀\n", Container::Json, &style).expect("json"),
            "\\u00e9\\ud83d\\ude00\\n"
        );
        assert_eq!(
            encode("a\nb", Container::Plain, &style).expect("plain"),
            "a\r\nb"
        );
        style.written.insert('’', "&rsquo;".into());
        assert_eq!(
            encode("it’s & more", Container::Html, &style).expect("html"),
            "it&rsquo;s &amp; more"
        );
        style.cdata = true;
        assert_eq!(
            encode(
                "a & b",
                Container::Xml,
                &Style {
                    cdata: true,
                    ..Style::default()
                }
            )
            .expect("cdata"),
            "a & b"
        );
        assert!(
            encode(
                "x]]>y",
                Container::Xml,
                &Style {
                    cdata: true,
                    ..Style::default()
                }
            )
            .is_err()
        );
        assert_eq!(
            encode(
                "<",
                Container::HtmlInXml,
                &Style {
                    cdata: true,
                    ..Style::default()
                }
            )
            .expect("html in cdata"),
            "&lt;"
        );
        assert!(encode("\u{7}", Container::Po, &Style::default()).is_err());
    }
}
