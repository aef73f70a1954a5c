//! Auditing feeds: walked data files, record ids, several text fields,
//! groups and scores in the summary and JSON reports, the HTML report
//! (safe and self-contained), and what a run says on standard error when
//! it ends or checked nothing.

mod common;

use common::{dir_with_text, run_in};

const ARTIFACT: &str = "It ended in November. . The talks went on.";

fn jsonl(records: &[serde_json::Value]) -> String {
    records.iter().map(|r| format!("{r}\n")).collect()
}

#[test]
fn walked_data_files_are_checked_or_skipped_with_a_note() {
    let dir = dir_with_text(&[
        (
            "dumps/a.jsonl",
            &jsonl(&[serde_json::json!({"id": "a1", "text": ARTIFACT})]),
        ),
        ("dumps/b.csv", &format!("id,text\nb1,\"{ARTIFACT}\"\n")),
        (
            "dumps/meta.jsonl",
            &jsonl(&[serde_json::json!({"name": "x", "count": 3})]),
        ),
        ("dumps/sizes.csv", "name,size\nx,3\n"),
    ]);
    let (out, err, code) = run_in(dir.path(), &["check", "--isolated", "dumps"]);
    assert_eq!(code, Some(1), "{err}");
    let paths: Vec<&str> = out
        .lines()
        .skip(1)
        .map(|l| l.split(',').next().unwrap())
        .collect();
    assert_eq!(paths, ["dumps/a.jsonl", "dumps/b.csv"]);
    // One note per skipped file, naming the field and the flag.
    assert!(
        err.contains(
            "dumps/meta.jsonl: no record has the field `text` (set it with --text-field); skipped"
        ),
        "{err}"
    );
    assert!(
        err.contains(
            "dumps/sizes.csv: no column `text` in the header (set it with --text-column); skipped"
        ),
        "{err}"
    );
    assert_eq!(err.lines().count(), 2, "{err}");
    // Named, the same file is an error: the user asked for it.
    let (_, err, code) = run_in(dir.path(), &["check", "--isolated", "dumps/meta.jsonl"]);
    assert_eq!(code, Some(2), "{err}");
    assert!(
        err.contains("error: dumps/meta.jsonl: no record has the field `text`"),
        "{err}"
    );
    // A field the user named that a walked file lacks is an error too.
    let (_, err, code) = run_in(
        dir.path(),
        &[
            "check",
            "--isolated",
            "dumps",
            "--text-field",
            "body",
            "--text-column",
            "body",
        ],
    );
    assert_eq!(code, Some(2), "{err}");
    assert!(
        err.contains("dumps/a.jsonl:1: no record has the field `body`"),
        "{err}"
    );
}

#[test]
fn ids_default_to_id_guid_url_link_then_the_line() {
    let dir = dir_with_text(&[
        (
            "f.jsonl",
            &jsonl(&[
                serde_json::json!({"url": "https://e.x/1", "guid": "g1", "text": ARTIFACT}),
                serde_json::json!({"link": "https://e.x/2", "text": ARTIFACT}),
                serde_json::json!({"id": 7, "url": "https://e.x/3", "text": ARTIFACT}),
                serde_json::json!({"id": null, "text": ARTIFACT}),
            ]),
        ),
        (
            "f.csv",
            &format!("link,text\nhttps://e.x/9,\"{ARTIFACT}\"\n"),
        ),
    ]);
    let (out, err, _) = run_in(
        dir.path(),
        &[
            "check",
            "--isolated",
            "--select",
            "stray-period",
            "f.jsonl",
            "f.csv",
        ],
    );
    let records: Vec<&str> = out
        .lines()
        .skip(1)
        .map(|l| l.split(',').nth(1).unwrap())
        .collect();
    assert_eq!(
        records,
        ["https://e.x/9", "g1", "https://e.x/2", "7", "4"],
        "{err}"
    );
}

/// Before, a named id field no record has fell back to line numbers in
/// silence, while a missing text field was an error: now both are errors,
/// once per file.
#[test]
fn a_missing_id_field_or_column_is_an_error_once_per_file() {
    let dir = dir_with_text(&[
        (
            "f.jsonl",
            &jsonl(&[
                serde_json::json!({"id": "a", "text": ARTIFACT}),
                serde_json::json!({"id": "b", "text": ARTIFACT}),
            ]),
        ),
        (
            "f.csv",
            &format!("id,text\n1,\"{ARTIFACT}\"\n2,\"{ARTIFACT}\"\n"),
        ),
    ]);
    let (out, err, code) = run_in(
        dir.path(),
        &[
            "check",
            "--isolated",
            "f.jsonl",
            "f.csv",
            "--id-field",
            "nonexist",
            "--id-column",
            "nonexist",
        ],
    );
    assert_eq!(code, Some(2), "{err}");
    assert_eq!(err.matches("`nonexist`").count(), 2, "{err}");
    assert!(
        err.contains("f.jsonl:1: no record has the id field `nonexist` (set it with --id-field)"),
        "{err}"
    );
    assert!(
        err.contains("f.csv:1: no column `nonexist` in the header (set it with --id-column)"),
        "{err}"
    );
    // The records are still checked, named by their line.
    assert_eq!(out.lines().count(), 5, "{out}");
}

#[test]
fn several_text_fields_are_segments_of_their_own() {
    // A title ending in "the" and a text starting with it: no doubled word
    // across the two fields; each field's own findings at its own bytes.
    let line = serde_json::json!({"title": "Talks end. . Then the", "text": "the talks ended in Oslo on Friday."}).to_string();
    let dir = dir_with_text(&[
        ("f.jsonl", &format!("{line}\n")),
        (
            "f.csv",
            "title,text\n\"Ends. . Now the\",\"the talks ended.\"\n",
        ),
    ]);
    let (out, err, _) = run_in(
        dir.path(),
        &[
            "check",
            "--isolated",
            "f.jsonl",
            "f.csv",
            "--select",
            "stray-period,doubled-word,lowercase-sentence-start",
            "--text-field",
            "title",
            "--text-field",
            "text",
            "--text-column",
            "title",
            "--text-column",
            "text",
        ],
    );
    let rows: Vec<Vec<String>> = csv::Reader::from_reader(out.as_bytes())
        .records()
        .map(|r| r.unwrap().iter().map(String::from).collect())
        .collect();
    let found: Vec<(&str, &str, &str)> = rows
        .iter()
        .map(|r| (r[0].as_str(), r[8].as_str(), r[12].as_str()))
        .collect();
    assert_eq!(
        found,
        [
            ("f.csv", "stray-period", ". ."),
            ("f.csv", "lowercase-sentence-start", "the"),
            // `text` comes first in the line (json! sorts its keys).
            ("f.jsonl", "lowercase-sentence-start", "the"),
            ("f.jsonl", "stray-period", ". ."),
        ],
        "{err}"
    );
    // Offsets point into each field of the file.
    let start: usize = rows[2][6].parse().unwrap();
    assert_eq!(&line[start..start + 3], "the");
    assert!(start > line.find("\"text\"").unwrap());
}

#[test]
fn a_run_that_checks_nothing_says_so() {
    let dir = dir_with_text(&[
        ("renamed/notes.bin.dat", "x"),
        ("data/meta.jsonl", "{\"a\": 1}\n"),
    ]);
    let (out, err, code) = run_in(dir.path(), &["check", "--isolated", "renamed"]);
    assert_eq!(code, Some(0));
    assert_eq!(out.lines().count(), 1);
    assert!(
        err.contains("warning: no file was checked: renamed holds no file mtlint reads"),
        "{err}"
    );
    let (_, err, code) = run_in(dir.path(), &["check", "--isolated", "data", "--quiet"]);
    assert_eq!(code, Some(0));
    assert!(
        err.contains(
            "warning: no file was checked: 1 file was skipped (1 without the text field or column)"
        ),
        "{err}"
    );
}

#[test]
fn verbose_runs_end_with_a_line_of_counts() {
    let dir = dir_with_text(&[
        ("a.txt", ARTIFACT),
        (
            "f.jsonl",
            &jsonl(&[
                serde_json::json!({"text": "One two."}),
                serde_json::json!({"text": "Three."}),
            ]),
        ),
        ("meta.jsonl", "{\"a\": 1}\n"),
    ]);
    let (_, err, _) = run_in(dir.path(), &["check", "--isolated", ".", "--verbose"]);
    let last = err.lines().last().unwrap_or_default();
    assert_eq!(
        last,
        "mtlint: checked 2 files: 3 documents, 12 words; skipped 1 file (1 without the text field or column); 1 finding",
        "{err}"
    );
    // Not a terminal and not --verbose: no closing line.
    let (_, err, _) = run_in(dir.path(), &["check", "--isolated", "a.txt"]);
    assert_eq!(err, "");
}

fn feed_dir() -> tempfile::TempDir {
    let rec = |id: &str, url: &str, source: &str, date: &str, text: &str| serde_json::json!({"id": id, "url": url, "source": source, "date": date, "text": text});
    let clean = "The council met on Monday and approved the budget for the new school.";
    dir_with_text(&[
        (
            "feeds/day1.jsonl",
            &jsonl(&[
                rec(
                    "n1",
                    "https://www.noisy.example/a",
                    "Noisy Wire",
                    "2024-05-01",
                    "It ended. . Then the the talks went on.",
                ),
                rec(
                    "c1",
                    "https://clean.example/a",
                    "Clean Post",
                    "2024-05-01",
                    clean,
                ),
                rec(
                    "n2",
                    "https://www.noisy.example/b",
                    "Noisy Wire",
                    "Thu, 02 May 2024 10:00:00 +0000",
                    "It ended. . Again.",
                ),
            ]),
        ),
        (
            "feeds/day2.jsonl",
            &jsonl(&[
                rec(
                    "n3",
                    "https://noisy.example/c",
                    "Noisy Wire",
                    "2024-05-03",
                    "The the end came.",
                ),
                rec(
                    "c2",
                    "https://clean.example/b",
                    "Clean Post",
                    "not a date",
                    clean,
                ),
                serde_json::json!({"id": "x1", "text": "No source here. . At all."}),
            ]),
        ),
    ])
}

#[test]
fn summary_ranks_groups_by_score() {
    let dir = feed_dir();
    let (out, err, _) = run_in(
        dir.path(),
        &[
            "check",
            "--isolated",
            "feeds",
            "--format",
            "summary",
            "--group-by",
            "field:source",
            "--date-field",
            "date",
        ],
    );
    let table: Vec<&str> = out
        .lines()
        .skip_while(|l| !l.starts_with("Groups by score"))
        .skip(2)
        .take_while(|l| !l.is_empty())
        .collect();
    let names: Vec<&str> = table
        .iter()
        .map(|l| l.rsplit("  ").next().unwrap())
        .collect();
    // "(none)": the record without a source; Clean Post has no finding.
    assert_eq!(
        names,
        ["Noisy Wire", "(none)", "(1 group without findings)"],
        "{out}\n{err}"
    );
    assert!(
        out.contains("1 documents have a date that is neither ISO 8601 nor RFC 2822"),
        "{out}"
    );
    let (out, _, _) = run_in(
        dir.path(),
        &[
            "check",
            "--isolated",
            "feeds",
            "--format",
            "summary",
            "--group-by",
            "host",
        ],
    );
    assert!(out.contains("  noisy.example\n"), "{out}");
    let (out, _, _) = run_in(
        dir.path(),
        &[
            "check",
            "--isolated",
            "feeds",
            "--format",
            "summary",
            "--group-by",
            "dir",
        ],
    );
    assert!(out.contains("score ") && out.contains("  .\n"), "{out}");
}

#[test]
fn score_weights_come_from_the_configuration() {
    let dir = feed_dir();
    let args = [
        "check",
        "feeds",
        "--format",
        "jsonl",
        "--group-by",
        "field:source",
    ];
    let (out, _, _) = run_in(dir.path(), &args);
    let first: serde_json::Value = serde_json::from_str(out.lines().next().unwrap()).unwrap();
    assert_eq!(first["group"], "Noisy Wire");
    // Two warnings in a document counted as 100 words.
    assert_eq!(first["score"], 40.0);
    std::fs::write(
        dir.path().join("mtlint.toml"),
        "[score]\nwarning = 1\nmin-words = 10\n",
    )
    .unwrap();
    let (out, err, _) = run_in(dir.path(), &args);
    let first: serde_json::Value = serde_json::from_str(out.lines().next().unwrap()).unwrap();
    // 9 words, counted as 10.
    assert_eq!(first["score"], 200.0, "{err}");
}

#[test]
fn csv_keeps_its_columns_whatever_the_grouping() {
    let dir = feed_dir();
    let (plain, _, _) = run_in(dir.path(), &["check", "--isolated", "feeds"]);
    let (grouped, _, _) = run_in(
        dir.path(),
        &[
            "check",
            "--isolated",
            "feeds",
            "--group-by",
            "field:source",
            "--date-field",
            "date",
        ],
    );
    assert_eq!(plain, grouped);
    assert!(plain.starts_with("path,record,line,column,end_line,end_column,byte_start,byte_end,rule,category,severity,message,matched,suggestion\n"));
}

#[test]
fn feeds_group_by_their_channel_and_date_items_by_their_own_dates() {
    let rss = |title: &str| {
        format!(
            "<rss><channel><title>{title}</title>\n\
             <item><guid>a</guid><pubDate>Wed, 01 May 2024 08:00:00 GMT</pubDate><description>It ended. . Then.</description></item>\n\
             <item><guid>b</guid><pubDate>Fri, 03 May 2024 08:00:00 GMT</pubDate><description>The the end.</description></item>\n\
             </channel></rss>\n"
        )
    };
    let dir = dir_with_text(&[
        ("one.rss", &rss("Valley &amp; Town News")),
        ("two.rss", &rss("Other")),
    ]);
    let (out, err, _) = run_in(
        dir.path(),
        &[
            "check",
            "--isolated",
            ".",
            "--format",
            "jsonl",
            "--group-by",
            "feed",
        ],
    );
    let groups: Vec<String> = out
        .lines()
        .map(|l| {
            serde_json::from_str::<serde_json::Value>(l).unwrap()["group"]
                .as_str()
                .unwrap()
                .to_string()
        })
        .collect();
    assert_eq!(
        groups,
        ["Valley & Town News", "Valley & Town News", "Other", "Other"],
        "{err}"
    );
    let (html, _, _) = run_in(
        dir.path(),
        &[
            "check",
            "--isolated",
            ".",
            "--format",
            "html",
            "--group-by",
            "feed",
        ],
    );
    // Two dated points per feed: a trend line in each row.
    assert_eq!(
        html.matches("<polyline class=\"spark\"").count(),
        2,
        "{html}"
    );
}

#[test]
fn html_escapes_every_piece_of_checked_text() {
    let hostile = "It ended in November. . <script>alert(1)</script> \"><img src=x onerror=alert(2)> the the end.";
    let source = "</script><script>alert(3)</script>";
    let dir = dir_with_text(&[
        ("a<b>.txt", hostile),
        (
            "f.jsonl",
            &jsonl(&[
                serde_json::json!({"id": "\"><svg onload=alert(4)>", "source": source, "text": hostile}),
            ]),
        ),
    ]);
    for by in ["path", "field:source"] {
        let (html, err, code) = run_in(
            dir.path(),
            &[
                "check",
                "--isolated",
                ".",
                "--format",
                "html",
                "--group-by",
                by,
            ],
        );
        assert_eq!(code, Some(1), "{err}");
        // Only the page's own two script elements, and no element from input.
        assert_eq!(html.matches("<script").count(), 2, "{by}");
        assert_eq!(html.matches("</script>").count(), 2, "{by}");
        for bad in ["<img", "<svg onload", "onerror=alert(2)>", "<b>.txt"] {
            assert!(!html.contains(bad), "{by}: {bad} in the page");
        }
        assert!(
            html.contains("&lt;script&gt;alert(1)&lt;/script&gt;"),
            "{by}"
        );
        assert!(
            html.contains("&quot;&gt;&lt;img src=x onerror=alert(2)&gt;"),
            "{by}"
        );
        assert!(html.contains("a&lt;b&gt;.txt"), "{by}");
        assert!(
            html.contains("&quot;&gt;&lt;svg onload=alert(4)&gt;"),
            "{by}"
        );
    }
}

#[test]
fn html_is_self_contained() {
    let dir = feed_dir();
    let (html, _, _) = run_in(
        dir.path(),
        &[
            "check",
            "--isolated",
            "feeds",
            "--format",
            "html",
            "--group-by",
            "field:source",
            "--date-field",
            "date",
        ],
    );
    assert!(html.starts_with("<!doctype html>"));
    assert!(html.contains("Content-Security-Policy\" content=\"default-src 'none';"));
    for outside in [" src=", "<link", "@import", "url("] {
        assert!(!html.contains(outside), "{outside}");
    }
    // One row per group, worst first; one bar per rule with findings.
    let groups: Vec<&str> = html
        .split("<tr class=\"source\" data-group=\"")
        .skip(1)
        .map(|s| s.split('"').next().unwrap())
        .collect();
    assert_eq!(groups, ["Noisy Wire", "(none)", "Clean Post"]);
    assert_eq!(html.matches("<rect class=\"bar\"").count(), 2);
    // The worst documents carry their findings in context.
    assert!(html.contains("It ended<mark>. .</mark> Again."), "{html}");
}

#[test]
fn html_caps_its_detail_and_says_what_it_left_out() {
    let files: Vec<(String, String)> = (0..510)
        .map(|n| {
            (
                format!("f{n:03}.txt"),
                format!("Report {n} ended. . The the end."),
            )
        })
        .collect();
    let refs: Vec<(&str, &str)> = files
        .iter()
        .map(|(a, b)| (a.as_str(), b.as_str()))
        .collect();
    let dir = dir_with_text(&refs);
    let (html, _, _) = run_in(
        dir.path(),
        &["check", "--isolated", ".", "--format", "html"],
    );
    assert_eq!(html.matches("<tr class=\"source\"").count(), 500);
    assert!(
        html.contains(">10 more sources, with lower scores, not shown<"),
        "{html}"
    );
    assert_eq!(html.matches("<li class=\"doc\"").count(), 50);
    assert!(
        html.contains("<li>Worst documents: 50 of 510 with findings"),
        "{html}"
    );
    // Three examples per rule.
    assert_eq!(html.matches("<li class=\"example").count(), 6);
}
