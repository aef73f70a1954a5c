//! Precision in every container: the clean news fixtures, put into HTML
//! (indented, entities for quotes and ampersands), Markdown, JSON Lines (one
//! article a record, escapes everywhere) and an RSS item, yield no findings,
//! as the plain text does.

mod common;

use std::fs;
use std::path::Path;

use tempfile::TempDir;

use common::{assert_no_findings, mtlint};

fn escape_html(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('“', "&ldquo;")
        .replace('”', "&rdquo;")
        .replace('’', "&rsquo;")
}

#[test]
fn clean_prose_stays_clean_in_every_format() {
    let dir = TempDir::new().expect("temp dir");
    let mut entries: Vec<_> = fs::read_dir("tests/fixtures/clean")
        .expect("fixtures exist")
        .map(|e| e.expect("entry").path())
        .collect();
    entries.sort();
    let mut jsonl = String::new();
    let mut rss = String::from("<rss version=\"2.0\"><channel><title>Clean</title>\n");
    for (n, path) in entries.iter().enumerate() {
        let text = fs::read_to_string(path).expect("readable");
        let stem = path.file_stem().and_then(|s| s.to_str()).expect("name");
        let paragraphs: Vec<&str> = text
            .split("\n\n")
            .filter(|p| !p.trim().is_empty())
            .collect();
        let html: String = paragraphs
            .iter()
            .map(|p| {
                format!(
                    "  <p>\n    {}\n  </p>\n",
                    escape_html(p).replace('\n', "\n    ")
                )
            })
            .collect();
        fs::write(
            dir.path().join(format!("{stem}.html")),
            format!("<!DOCTYPE html>\n<html><body>\n<article>\n{html}</article>\n</body></html>\n"),
        )
        .expect("write");
        fs::write(
            dir.path().join(format!("{stem}.md")),
            format!("# Today in brief\n\n{text}"),
        )
        .expect("write");
        jsonl.push_str(&serde_json::json!({ "id": n, "text": text }).to_string());
        jsonl.push('\n');
        rss.push_str(&format!(
            "<item><guid>{stem}</guid><description>{}</description></item>\n",
            escape_html(&html)
        ));
    }
    rss.push_str("</channel></rss>\n");
    fs::write(dir.path().join("all.jsonl"), jsonl).expect("write");
    fs::write(dir.path().join("all.rss"), rss).expect("write");
    let out = mtlint()
        .current_dir(Path::new(env!("CARGO_MANIFEST_DIR")))
        .args([
            "check",
            "--isolated",
            "-g",
            "*.html",
            "-g",
            "*.md",
            "-g",
            "*.jsonl",
            "-g",
            "*.rss",
        ])
        .arg(dir.path())
        .output()
        .expect("runs");
    assert_no_findings(&out);
}
