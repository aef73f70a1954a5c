//! Pairing in every input format: one long line of quotes and brackets, some
//! unpaired, found the same in each container (the same marks, in the same
//! order, each at its own original bytes, escapes and entities included).
//! The scan's linear work is checked in `src/check/pairs.rs`; the timings
//! of long lines are `scripts/hostile.sh`'s.

mod common;

use std::fs;

use tempfile::TempDir;

use common::mtlint;

/// One unit of the line: nested pairs, an opener left open inside a closed
/// quote, a closer of another kind, brackets that never close or open.
const UNIT: &str = "She said “we (will [go] soon” and left (then “come back. \
    He called it \"great\" [sic) and ‘fine’ too, «oui» (x)) ] ";

/// Times [`UNIT`] is repeated on the line.
const UNITS: usize = 200;

/// Paragraphs that reopen a quotation (the news convention: only the last
/// opener is left open), then the line.
fn prose() -> String {
    format!(
        "“One paragraph.\n\n“Another one.\n\n“And a last one (open.\n\n{}",
        UNIT.repeat(UNITS).trim_end()
    )
}

fn escape_xml(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
}

/// (file name, contents, extra arguments) of `prose` in each format.
fn containers(prose: &str) -> Vec<(&'static str, String, Vec<&'static str>)> {
    let json = prose
        .replace('\\', "\\\\")
        .replace('"', "\\\"")
        .replace('\n', "\\n");
    let blocks: Vec<&str> = prose.split("\n\n").collect();
    // HTML keeps no line breaks: a paragraph is a <p> (in a feed, escaped).
    let html = blocks
        .iter()
        .map(|b| format!("<p>{}</p>", escape_xml(b)))
        .collect::<String>();
    vec![
        ("p.txt", prose.to_string(), vec![]),
        ("p.md", prose.to_string(), vec![]),
        (
            "p.html",
            format!("<html><body>{html}</body></html>\n"),
            vec![],
        ),
        (
            "p.jsonl",
            format!("{{\"id\": 1, \"body\": {{\"text\": \"{json}\"}}}}\n"),
            vec!["--text-field", "body.text"],
        ),
        (
            "p.csv",
            format!("id,text\n1,\"{}\"\n", prose.replace('"', "\"\"")),
            vec![],
        ),
        (
            "p.rss",
            format!(
                "<?xml version=\"1.0\"?>\n<rss version=\"2.0\"><channel><title>t</title>\
                 <item><guid>1</guid><description>{}</description></item></channel></rss>\n",
                escape_xml(&html.replace('"', "&quot;"))
            ),
            vec![],
        ),
        (
            "p.atom",
            format!(
                "<?xml version=\"1.0\"?>\n<feed xmlns=\"http://www.w3.org/2005/Atom\">\
                 <title>t</title><entry><id>1</id><content type=\"html\">{}</content>\
                 </entry></feed>\n",
                escape_xml(&html)
            ),
            vec![],
        ),
        (
            "p.xlf",
            format!(
                "<?xml version=\"1.0\"?>\n<xliff version=\"1.2\" \
                 xmlns=\"urn:oasis:names:tc:xliff:document:1.2\"><file source-language=\"fr\" \
                 target-language=\"en\" datatype=\"plaintext\" original=\"o\"><body>\
                 <trans-unit id=\"1\"><source>s</source><target>{}</target></trans-unit>\
                 </body></file></xliff>\n",
                escape_xml(prose)
            ),
            vec![],
        ),
        ("p.po", format!("msgid \"s\"\nmsgstr \"{json}\"\n"), vec![]),
    ]
}

/// The pairing findings of `path` as (rule, mark), in report order, after
/// checking that each one's `matched` is the file's bytes at its offsets.
fn pairing(dir: &TempDir, name: &str, contents: &str, args: &[&str]) -> Vec<(String, String)> {
    let path = dir.path().join(name);
    fs::write(&path, contents).expect("write");
    let out = mtlint()
        .args(["check", "--isolated", "--exit-zero"])
        .args(["--select", "unpaired-quote,unpaired-bracket"])
        .args(args)
        .arg(&path)
        .output()
        .expect("runs");
    assert_eq!(out.status.code(), Some(0), "{name}: {out:?}");
    let mut rows = Vec::new();
    for r in csv::Reader::from_reader(out.stdout.as_slice()).records() {
        let r = r.expect("valid CSV row");
        let num = |i: usize| r[i].parse::<usize>().expect("number");
        assert_eq!(
            &contents[num(6)..num(7)],
            &r[12],
            "{name}: matched is the original"
        );
        // The mark itself, whatever escape or entity stands for it.
        let mark = match &r[12] {
            "\\\"" | "\"\"" | "&quot;" | "&amp;quot;" => "\"",
            m => m,
        };
        rows.push((r[8].to_string(), mark.to_string()));
    }
    rows
}

#[test]
fn every_format_pairs_a_long_line_alike() {
    let dir = TempDir::new().expect("temp dir");
    let prose = prose();
    let mut formats = containers(&prose).into_iter();
    let (name, contents, args) = formats.next().expect("plain text first");
    let expected = pairing(&dir, name, &contents, &args);
    // The last paragraph's “ and (, then per unit the “ of “come, the [ of [sic
    // and the last ].
    assert_eq!(expected.len(), 2 + 3 * UNITS);
    assert_eq!(
        expected[..2],
        [
            ("unpaired-quote".to_string(), "“".to_string()),
            ("unpaired-bracket".to_string(), "(".to_string()),
        ]
    );
    assert_eq!(
        expected[2..5],
        [
            ("unpaired-quote".to_string(), "“".to_string()),
            ("unpaired-bracket".to_string(), "[".to_string()),
            ("unpaired-bracket".to_string(), "]".to_string()),
        ]
    );
    for (name, contents, args) in formats {
        let found = pairing(&dir, name, &contents, &args);
        let first_difference = found.iter().zip(&expected).position(|(a, b)| a != b);
        assert!(
            found.len() == expected.len() && first_difference.is_none(),
            "{name}: {} findings, {} in plain text, first difference at {first_difference:?}",
            found.len(),
            expected.len()
        );
    }
}
