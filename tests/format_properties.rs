//! Properties of every input format over arbitrary input built from its own
//! markup: parsing and checking never panic; every segment maps any text
//! range inside the file on char boundaries; every finding's span lies in
//! the file on char boundaries, so `matched` is `original[start..end]`.

use std::sync::OnceLock;

use mtlint::Ruleset;
use mtlint::document::{InputFormat, InputOptions, parse};
use mtlint::engine::check_bytes_as;
use proptest::prelude::*;

fn rules() -> &'static Ruleset {
    static RULES: OnceLock<Ruleset> = OnceLock::new();
    RULES.get_or_init(|| Ruleset::default_pack().expect("default pack loads"))
}

const PROSE: &[&str] = &[
    "the ",
    "The the ",
    "ended. . ",
    "é",
    "€",
    "😀",
    "\n",
    "\n\n",
    " ",
    "  ",
    "&amp;",
    "&",
    ";",
    "<",
    ">",
    "\"",
    "'",
    "\\",
    "x",
    "3,5 ",
    "1.000 ",
    "?",
    "(",
    "]",
    "%s",
    "{0}",
];

const HTML: &[&str] = &[
    "<p>",
    "</p>",
    "<b>",
    "</b>",
    "<div class=\"a\">",
    "<script>",
    "</script>",
    "<style>",
    "<!--",
    "-->",
    "&nbsp;",
    "&#x41;",
    "&#99999999;",
    "&#0;",
    "<br/>",
    "<a href=\"x>y\">",
    "<![CDATA[",
    "]]>",
    "<!DOCTYPE html>",
    "<?pi?>",
    "</",
    "<a '",
];

const MARKDOWN: &[&str] = &[
    "# ",
    "`",
    "```\n",
    "- ",
    "| a | b |\n|---|---|\n",
    "> ",
    "[t](u)",
    "---\n",
    "+++\n",
    "![i](j)",
    "\\*",
    "*",
    "_",
    "    code\n",
    "<div>",
    "1. ",
    "&quot;",
    "  \n",
];

const JSONL: &[&str] = &[
    "{\"text\": \"",
    "\"}",
    "\"}\n",
    "\\n",
    "\\u00e9",
    "\\ud83d\\ude00",
    "\\ud800",
    "\\\"",
    "{",
    "}",
    ",",
    ":",
    "[",
    "]",
    "null",
    "\"id\": 3, ",
    "\"src\": \"a 1\", ",
    "\\",
];

const CSV: &[&str] = &[",", "\"", "\"\"", "\r\n", "\n", "text,id,src\n", "\t"];

const FEED: &[&str] = &[
    "<rss><channel>",
    "<feed>",
    "<item>",
    "</item>",
    "<entry>",
    "</entry>",
    "<title>",
    "</title>",
    "<description>",
    "</description>",
    "&lt;p&gt;",
    "&lt;/p&gt;",
    "&amp;amp;",
    "<guid>",
    "</guid>",
    "<link href=\"h\"/>",
    "<content type=\"html\">",
    "</content>",
    "<![CDATA[<p>",
    "]]>",
    "</b>",
];

const XLIFF: &[&str] = &[
    "<xliff>",
    "<trans-unit id=\"a\">",
    "</trans-unit>",
    "<unit id=\"u\">",
    "</unit>",
    "<segment>",
    "</segment>",
    "<source>",
    "</source>",
    "<target>",
    "</target>",
    "<target/>",
    "<x id=\"1\"/>",
    "<ph>",
    "</ph>",
    "<g>",
    "</g>",
    "<!DOCTYPE x [<!ENTITY a \"b\">]>",
    "&a;",
];

const PO: &[&str] = &[
    "msgid ",
    "msgstr ",
    "msgctxt ",
    "msgstr[0] ",
    "msgid_plural ",
    "\"",
    "\\\"",
    "\\n",
    "#, fuzzy\n",
    "#~ ",
    "\n",
    "\n\n",
    "\"\"\n",
];

/// Inputs made of prose, the format's markup, and now and then a BOM or
/// bytes that are not UTF-8.
fn input(markup: &'static [&'static str]) -> impl Strategy<Value = Vec<u8>> {
    let piece = prop_oneof![
        4 => proptest::sample::select(PROSE).prop_map(|s| s.as_bytes().to_vec()),
        4 => proptest::sample::select(markup).prop_map(|s| s.as_bytes().to_vec()),
        1 => Just(b"\xFF".to_vec()),
        1 => Just("\u{FEFF}".as_bytes().to_vec()),
    ];
    proptest::collection::vec(piece, 0..60).prop_map(|v| v.concat())
}

fn options() -> InputOptions {
    InputOptions {
        id_field: Some("id".into()),
        source_field: Some("src".into()),
        id_column: Some("id".into()),
        source_column: Some("src".into()),
        ..InputOptions::default()
    }
}

fn holds(bytes: &[u8], format: InputFormat) -> Result<(), TestCaseError> {
    let options = options();
    // Segment maps, on valid UTF-8 (invalid bytes are substituted one for
    // one by the engine, so offsets are the same).
    let text = String::from_utf8_lossy(bytes);
    if let std::borrow::Cow::Borrowed(text) = text {
        let parsed = parse(text, format, &options);
        for doc in &parsed.documents {
            for seg in &doc.segments {
                let t = seg.text();
                let bounds: Vec<usize> =
                    t.char_indices().map(|(i, _)| i).chain([t.len()]).collect();
                for (k, &a) in bounds.iter().enumerate() {
                    for &b in bounds.iter().skip(k).take(4) {
                        let r = seg.original(a..b);
                        prop_assert!(r.start <= r.end && r.end <= text.len(), "{r:?} of {a}..{b}");
                        prop_assert!(
                            text.is_char_boundary(r.start) && text.is_char_boundary(r.end)
                        );
                    }
                }
            }
            if let Some(span) = &doc.target_span {
                prop_assert!(span.start <= span.end && span.end <= text.len());
            }
        }
    }
    let (findings, _) = check_bytes_as(rules(), bytes, format, &options);
    let valid = std::str::from_utf8(bytes).ok();
    for (f, _) in &findings {
        prop_assert!(
            f.span.start <= f.span.end && f.span.end <= bytes.len(),
            "{:?}",
            f.span
        );
        if let Some(text) = valid {
            prop_assert!(text.is_char_boundary(f.span.start) && text.is_char_boundary(f.span.end));
        }
    }
    let keys: Vec<_> = findings.iter().map(|(f, _)| f.sort_key()).collect();
    prop_assert!(keys.windows(2).all(|w| w[0] <= w[1]), "findings sorted");
    Ok(())
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(96))]

    #[test]
    fn html(bytes in input(HTML)) {
        holds(&bytes, InputFormat::Html)?;
    }

    #[test]
    fn markdown(bytes in input(MARKDOWN)) {
        holds(&bytes, InputFormat::Markdown)?;
    }

    #[test]
    fn jsonl(bytes in input(JSONL)) {
        holds(&bytes, InputFormat::Jsonl)?;
    }

    #[test]
    fn csv(bytes in input(CSV)) {
        holds(&bytes, InputFormat::Csv)?;
        holds(&bytes, InputFormat::Tsv)?;
    }

    #[test]
    fn feed(bytes in input(FEED)) {
        holds(&bytes, InputFormat::Feed)?;
    }

    #[test]
    fn xliff(bytes in input(XLIFF)) {
        holds(&bytes, InputFormat::Xliff)?;
    }

    #[test]
    fn po(bytes in input(PO)) {
        holds(&bytes, InputFormat::Po)?;
    }

    /// Well-formed records whose text is arbitrary: the JSON escape map
    /// holds for any string serde_json writes.
    #[test]
    fn jsonl_any_string(s in "\\PC{0,40}", t in "[ -~\u{e9}\u{1F600}\n\t\"\\\\]{0,40}") {
        let line = serde_json::json!({"id": 1, "text": format!("{s}. . the the {t}"), "src": t});
        let bytes = format!("{line}\n").into_bytes();
        holds(&bytes, InputFormat::Jsonl)?;
    }
}
