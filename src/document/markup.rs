//! A tolerant tokenizer for HTML and XML that keeps byte offsets: tags,
//! text, comments, CDATA; and entity decoding into a [`SegmentBuilder`].
//! It never expands entities other than the predefined and numeric ones, and
//! a `<` that does not start a complete tag is text, so broken markup never
//! loses prose.

use std::ops::Range;

use super::SegmentBuilder;

/// One piece of markup, by byte ranges into the source.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) enum Token {
    /// Character data (entities not yet decoded).
    Text(Range<usize>),
    /// `<name …>` or `<name …/>`.
    Start {
        name: Range<usize>,
        range: Range<usize>,
        self_closing: bool,
    },
    /// `</name>`.
    End {
        name: Range<usize>,
        range: Range<usize>,
    },
    /// `<![CDATA[…]]>`: `content` is the text inside.
    CData {
        content: Range<usize>,
        range: Range<usize>,
    },
    /// Comments, processing instructions, doctypes: never prose.
    Other(Range<usize>),
}

/// Splits markup into [`Token`]s.
pub(crate) struct Tokenizer<'a> {
    src: &'a str,
    pos: usize,
}

fn is_name_char(b: u8) -> bool {
    b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b':' | b'.') || b >= 0x80
}

impl<'a> Tokenizer<'a> {
    pub(crate) fn new(src: &'a str) -> Self {
        Tokenizer { src, pos: 0 }
    }

    fn find_from(&self, from: usize, needle: &[u8]) -> Option<usize> {
        memchr::memmem::find(self.src.as_bytes().get(from..)?, needle).map(|i| from + i)
    }

    /// Skips the raw text of an element such as `<script>` up to and
    /// including its end tag (ASCII case ignored), or to the end of input.
    pub(crate) fn skip_raw_text(&mut self, name: &str) {
        let bytes = self.src.as_bytes();
        let mut from = self.pos;
        while let Some(lt) = self.find_from(from, b"</") {
            let after = lt + 2;
            let end = after + name.len();
            let matches = bytes
                .get(after..end)
                .is_some_and(|n| n.eq_ignore_ascii_case(name.as_bytes()))
                && bytes.get(end).is_none_or(|&b| !is_name_char(b));
            if matches {
                self.pos = self.find_from(end, b">").map_or(self.src.len(), |g| g + 1);
                return;
            }
            from = after;
        }
        self.pos = self.src.len();
    }

    /// The end of a start tag's `>` from `from`, honouring quoted values;
    /// without quotes when a quote is never closed.
    fn tag_end(&self, from: usize) -> Option<usize> {
        let bytes = self.src.as_bytes();
        let mut i = from;
        let mut quote = None;
        while i < bytes.len() {
            let b = bytes[i];
            match quote {
                Some(q) if b == q => quote = None,
                Some(_) => {}
                None if b == b'"' || b == b'\'' => quote = Some(b),
                None if b == b'>' => return Some(i),
                None if b == b'<' => break,
                None => {}
            }
            i += 1;
        }
        // An unclosed quote: fall back to the first `>` before the next `<`.
        let next_lt = self.find_from(from, b"<").unwrap_or(bytes.len());
        self.find_from(from, b">").filter(|&g| g < next_lt)
    }

    fn name_end(&self, from: usize) -> usize {
        let bytes = self.src.as_bytes();
        let mut i = from;
        while i < bytes.len() && is_name_char(bytes[i]) {
            i += 1;
        }
        i
    }

    fn markup_at(&self, start: usize) -> Option<(Token, usize)> {
        let bytes = self.src.as_bytes();
        let rest = &bytes[start..];
        if rest.starts_with(b"<!--") {
            let end = self
                .find_from(start + 4, b"-->")
                .map_or(bytes.len(), |e| e + 3);
            return Some((Token::Other(start..end), end));
        }
        if rest.starts_with(b"<![CDATA[") {
            let (content_end, end) = self
                .find_from(start + 9, b"]]>")
                .map_or((bytes.len(), bytes.len()), |e| (e, e + 3));
            return Some((
                Token::CData {
                    content: start + 9..content_end,
                    range: start..end,
                },
                end,
            ));
        }
        if rest.starts_with(b"<?") {
            let end = self
                .find_from(start + 2, b"?>")
                .map_or(bytes.len(), |e| e + 2);
            return Some((Token::Other(start..end), end));
        }
        if rest.starts_with(b"<!") {
            // A doctype's internal subset `[…]` may hold `>`: skip it whole.
            let mut depth = 0usize;
            let mut i = start + 2;
            while i < bytes.len() {
                match bytes[i] {
                    b'[' => depth += 1,
                    b']' => depth = depth.saturating_sub(1),
                    b'>' if depth == 0 => return Some((Token::Other(start..i + 1), i + 1)),
                    _ => {}
                }
                i += 1;
            }
            return Some((Token::Other(start..bytes.len()), bytes.len()));
        }
        if rest.starts_with(b"</") && rest.get(2).is_some_and(u8::is_ascii_alphabetic) {
            let name_end = self.name_end(start + 2);
            let gt = self.tag_end(name_end)?;
            return Some((
                Token::End {
                    name: start + 2..name_end,
                    range: start..gt + 1,
                },
                gt + 1,
            ));
        }
        if rest
            .get(1)
            .is_some_and(|&b| b.is_ascii_alphabetic() || b == b'_')
        {
            let name_end = self.name_end(start + 1);
            let gt = self.tag_end(name_end)?;
            return Some((
                Token::Start {
                    name: start + 1..name_end,
                    range: start..gt + 1,
                    self_closing: bytes[gt - 1] == b'/' && gt > name_end,
                },
                gt + 1,
            ));
        }
        None
    }
}

impl Iterator for Tokenizer<'_> {
    type Item = Token;

    fn next(&mut self) -> Option<Token> {
        let start = self.pos;
        if start >= self.src.len() {
            return None;
        }
        if self.src.as_bytes()[start] == b'<' {
            if let Some((token, end)) = self.markup_at(start) {
                self.pos = end;
                return Some(token);
            }
            // A `<` that starts no tag is text, up to the next `<`.
            let end = self.find_from(start + 1, b"<").unwrap_or(self.src.len());
            self.pos = end;
            return Some(Token::Text(start..end));
        }
        let end = self.find_from(start, b"<").unwrap_or(self.src.len());
        self.pos = end;
        Some(Token::Text(start..end))
    }
}

/// The value range (inside the quotes) of attribute `name` in the tag at
/// `tag`, ASCII case ignored.
pub(crate) fn attribute(src: &str, tag: Range<usize>, name: &str) -> Option<Range<usize>> {
    let bytes = src.as_bytes();
    let mut i = tag.start + 1;
    let end = tag.end.min(bytes.len());
    // Skip the element name.
    while i < end && is_name_char(bytes[i]) {
        i += 1;
    }
    while i < end {
        while i < end && (bytes[i].is_ascii_whitespace() || bytes[i] == b'/') {
            i += 1;
        }
        let name_start = i;
        while i < end && is_name_char(bytes[i]) {
            i += 1;
        }
        if i == name_start {
            i += 1;
            continue;
        }
        let attr = &bytes[name_start..i];
        while i < end && bytes[i].is_ascii_whitespace() {
            i += 1;
        }
        if i >= end || bytes[i] != b'=' {
            continue;
        }
        i += 1;
        while i < end && bytes[i].is_ascii_whitespace() {
            i += 1;
        }
        if i >= end {
            break;
        }
        let value = match bytes.get(i) {
            Some(&q @ (b'"' | b'\'')) => {
                let close = memchr::memchr(q, &bytes[i + 1..end]).map_or(end, |c| i + 1 + c);
                let v = i + 1..close;
                i = close + 1;
                v
            }
            _ => {
                let s = i;
                while i < end && !bytes[i].is_ascii_whitespace() && bytes[i] != b'>' {
                    i += 1;
                }
                s..i
            }
        };
        if attr.eq_ignore_ascii_case(name.as_bytes()) {
            return Some(value);
        }
    }
    None
}

/// The local name (after any prefix) of an element name.
pub(crate) fn local_name(name: &str) -> &str {
    name.rsplit(':').next().unwrap_or(name)
}

/// Named character references decoded in HTML (the common ones; any other
/// stays as written, where the `html-entity` rule can see it).
const HTML_ENTITIES: &[(&str, char)] = &[
    ("amp", '&'),
    ("lt", '<'),
    ("gt", '>'),
    ("quot", '"'),
    ("apos", '\''),
    ("nbsp", '\u{A0}'),
    ("ndash", '–'),
    ("mdash", '—'),
    ("hellip", '…'),
    ("lsquo", '‘'),
    ("rsquo", '’'),
    ("sbquo", '‚'),
    ("ldquo", '“'),
    ("rdquo", '”'),
    ("bdquo", '„'),
    ("laquo", '«'),
    ("raquo", '»'),
    ("lsaquo", '‹'),
    ("rsaquo", '›'),
    ("copy", '©'),
    ("reg", '®'),
    ("trade", '™'),
    ("euro", '€'),
    ("pound", '£'),
    ("yen", '¥'),
    ("cent", '¢'),
    ("deg", '°'),
    ("middot", '·'),
    ("bull", '•'),
    ("times", '×'),
    ("divide", '÷'),
    ("plusmn", '±'),
    ("sect", '§'),
    ("para", '¶'),
    ("shy", '\u{AD}'),
    ("thinsp", '\u{2009}'),
    ("ensp", '\u{2002}'),
    ("emsp", '\u{2003}'),
    ("iexcl", '¡'),
    ("iquest", '¿'),
    ("aacute", 'á'),
    ("agrave", 'à'),
    ("acirc", 'â'),
    ("auml", 'ä'),
    ("atilde", 'ã'),
    ("aring", 'å'),
    ("aelig", 'æ'),
    ("ccedil", 'ç'),
    ("eacute", 'é'),
    ("egrave", 'è'),
    ("ecirc", 'ê'),
    ("euml", 'ë'),
    ("iacute", 'í'),
    ("igrave", 'ì'),
    ("icirc", 'î'),
    ("iuml", 'ï'),
    ("ntilde", 'ñ'),
    ("oacute", 'ó'),
    ("ograve", 'ò'),
    ("ocirc", 'ô'),
    ("ouml", 'ö'),
    ("otilde", 'õ'),
    ("oslash", 'ø'),
    ("uacute", 'ú'),
    ("ugrave", 'ù'),
    ("ucirc", 'û'),
    ("uuml", 'ü'),
    ("szlig", 'ß'),
    ("Aacute", 'Á'),
    ("Agrave", 'À'),
    ("Auml", 'Ä'),
    ("Ccedil", 'Ç'),
    ("Eacute", 'É'),
    ("Egrave", 'È'),
    ("Ntilde", 'Ñ'),
    ("Oacute", 'Ó'),
    ("Ouml", 'Ö'),
    ("Uacute", 'Ú'),
    ("Uuml", 'Ü'),
];

/// The five entities XML predefines; no other named entity is ever expanded.
const XML_ENTITIES: &[(&str, char)] = &[
    ("amp", '&'),
    ("lt", '<'),
    ("gt", '>'),
    ("quot", '"'),
    ("apos", '\''),
];

/// Which entities to decode.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Entities {
    Html,
    Xml,
    /// Already decoded text: no entity is read.
    None,
}

/// The char of the reference starting with `&` at `raw[0]` and its length
/// in bytes, when it is a complete reference that `entities` decodes.
pub(crate) fn entity_at(raw: &str, entities: Entities) -> Option<(char, usize)> {
    if entities == Entities::None {
        return None;
    }
    let semi = raw.as_bytes().iter().take(34).position(|&b| b == b';')?;
    let body = &raw[1..semi];
    let c = if let Some(num) = body.strip_prefix('#') {
        let code = match num.strip_prefix(['x', 'X']) {
            Some(hex) => u32::from_str_radix(hex, 16).ok()?,
            None => num.parse::<u32>().ok()?,
        };
        char::from_u32(code).filter(|&c| c != '\0')?
    } else {
        let table = match entities {
            Entities::Html => HTML_ENTITIES,
            Entities::Xml => XML_ENTITIES,
            Entities::None => return None,
        };
        table.iter().find(|(n, _)| *n == body)?.1
    };
    Some((c, semi + 1))
}

/// Appends `src[range]` to `b`, decoding entities. With `collapse`, runs of
/// whitespace holding a line break or tab read as one space (HTML rendering)
/// and whitespace at the start of the segment is dropped.
pub(crate) fn push_text(
    b: &mut SegmentBuilder<'_>,
    src: &str,
    range: Range<usize>,
    entities: Entities,
    collapse: bool,
) {
    let Some(raw) = src.get(range.clone()) else {
        return;
    };
    let base = range.start;
    let bytes = raw.as_bytes();
    let mut i = 0;
    let mut plain = 0;
    let flush = |b: &mut SegmentBuilder<'_>, from: usize, to: usize| {
        if from < to {
            b.verbatim(&raw[from..to], base + from);
        }
    };
    while i < bytes.len() {
        match bytes[i] {
            b'&' => {
                if let Some((c, len)) = entity_at(&raw[i..], entities) {
                    flush(b, plain, i);
                    let mut buf = [0u8; 4];
                    b.replaced(c.encode_utf8(&mut buf), base + i..base + i + len);
                    i += len;
                    plain = i;
                } else {
                    i += 1;
                }
            }
            b' ' | b'\n' | b'\t' | b'\r' if collapse => {
                let start = i;
                while i < bytes.len() && matches!(bytes[i], b' ' | b'\n' | b'\t' | b'\r') {
                    i += 1;
                }
                let run = &raw[start..i];
                let at_start = b.text().is_empty() && plain == start;
                let after_space = plain == start && b.text().ends_with([' ', '\n']);
                if at_start || after_space {
                    flush(b, plain, start);
                    b.replaced("", base + start..base + i);
                    plain = i;
                } else if run.bytes().any(|c| c != b' ') {
                    flush(b, plain, start);
                    b.replaced(" ", base + start..base + i);
                    plain = i;
                }
            }
            _ => i += 1,
        }
    }
    flush(b, plain, bytes.len());
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tokens_and_broken_markup() {
        let src = "a<p class=\"x>y\">b</p> 1 < 2 <br/><!-- c --><b";
        let tokens: Vec<Token> = Tokenizer::new(src).collect();
        assert_eq!(tokens[0], Token::Text(0..1));
        assert!(matches!(tokens[1], Token::Start { ref name, .. } if &src[name.clone()] == "p"));
        assert_eq!(tokens[2], Token::Text(16..17));
        assert!(matches!(tokens[3], Token::End { .. }));
        let text: String = tokens
            .iter()
            .filter_map(|t| match t {
                Token::Text(r) => Some(&src[r.clone()]),
                _ => None,
            })
            .collect();
        assert_eq!(text, "ab 1 < 2 <b");
    }

    #[test]
    fn entities() {
        assert_eq!(entity_at("&amp;x", Entities::Html), Some(('&', 5)));
        assert_eq!(entity_at("&#x2014;", Entities::Xml), Some(('—', 8)));
        assert_eq!(entity_at("&nbsp;", Entities::Xml), None);
        assert_eq!(entity_at("&amp", Entities::Html), None);
        assert_eq!(entity_at("&#0;", Entities::Html), None);
        assert_eq!(entity_at("&#xD800;", Entities::Html), None);
    }

    #[test]
    fn attribute_at_the_end_of_a_tag_range() {
        // The tag range ends right after `=`: nothing past it is read.
        let src = "<a x= \"b\">";
        assert_eq!(attribute(src, 0..6, "x"), None);
    }

    #[test]
    fn attributes() {
        let src = "<item id='7' Href=\"a b\" flag>";
        assert_eq!(
            attribute(src, 0..src.len(), "id").map(|r| &src[r]),
            Some("7")
        );
        assert_eq!(
            attribute(src, 0..src.len(), "href").map(|r| &src[r]),
            Some("a b")
        );
        assert_eq!(attribute(src, 0..src.len(), "flag"), None);
    }
}
