//! `mtlint mine`: a generated feed of several sources with planted
//! boilerplate (a first line, a share widget, a disclaimer sentence
//! appended to the last paragraph) and planted ordinary wire phrasing
//! (datelines, agency credits, bylines, "said on Monday") — the former is
//! found, the latter not; `--write-rules` output passes `test-rules` and
//! flags the corpus in `check`; bad input gets clear messages.

mod common;

use std::fmt::Write as _;
use std::fs;
use std::path::Path;

use common::{dir_with, dir_with_text, mtlint, run_in};

const TOPICS: &[&str] = &[
    "ferry timetable",
    "school budget",
    "river embankment",
    "tram extension",
    "museum roof",
    "harbour dredging",
    "library hours",
    "bridge tolls",
    "market hall",
    "cycle lanes",
    "water tariffs",
    "stadium lease",
];

const PLACES: &[&str] = &["BERLIN", "OSLO", "LISBON", "VIENNA", "DUBLIN"];

/// One JSON Lines record of `source`, the `i`-th article of the feed.
fn record(source: &str, i: usize) -> String {
    let topic = TOPICS[i % TOPICS.len()];
    let other = TOPICS[(i * 7 + 3) % TOPICS.len()];
    let place = PLACES[i % PLACES.len()];
    let mut text = String::new();
    match source {
        // A site whose scraper keeps its page furniture.
        "Valley Courier" => {
            text.push_str("Skip to the main story\n\n");
            let _ = write!(
                text,
                "{place} (Reuters) - The council approved the {topic} plan on Monday after {n} hours of debate, officials said on Monday.\n\n",
                n = i + 2
            );
            let _ = write!(
                text,
                "Critics said the {other} would suffer. The vote was {a} to {b}.\n\n",
                a = 20 + i % 9,
                b = 3 + i % 5
            );
            text.push_str("» Share this story with your friends «");
        }
        // A site that appends a disclaimer to the last paragraph.
        "Lake Gazette" => {
            let _ = write!(text, "{place}\n\nBy Reuters Staff\n\n");
            let _ = write!(
                text,
                "The {topic} will be reviewed next spring, the mayor said on Monday. Residents had asked for a hearing in {m} letters.\n\n",
                m = 40 + i
            );
            let _ = write!(
                text,
                "A second review of the {other} is planned for {y}. This text was produced by an automatic translation service.",
                y = 2026 + i % 3
            );
        }
        // A clean wire: datelines, credits and phrasing repeat, nothing else.
        _ => {
            let _ = write!(
                text,
                "{place}, May {d} (AFP) - Ministers met on Monday to discuss the {topic}, a spokesman said on Monday.\n\n",
                d = 1 + i % 28
            );
            let _ = write!(
                text,
                "The talks on the {other} will resume next week. No date has been set for a vote on the {topic}.\n\n"
            );
            text.push_str("Reporting by Ana Ruiz; Editing by Tom Berg");
        }
    }
    serde_json::json!({"id": format!("{}-{i}", &source[..4]), "source": source, "text": text})
        .to_string()
}

/// The feed: `n` articles of each of three sources, interleaved.
fn feed(n: usize) -> String {
    let mut out = String::new();
    for i in 0..n {
        for source in ["Valley Courier", "Lake Gazette", "Capital Wire"] {
            out.push_str(&record(source, i));
            out.push('\n');
        }
    }
    out
}

/// The `text` of every candidate of a `--format json` run.
fn texts(json: &str) -> Vec<String> {
    let v: serde_json::Value = serde_json::from_str(json).expect("json output");
    v.as_array()
        .expect("an array")
        .iter()
        .map(|c| c["text"].as_str().expect("text").to_string())
        .collect()
}

fn mine_json(dir: &Path, extra: &[&str]) -> Vec<String> {
    let mut args = vec![
        "mine",
        "feed.jsonl",
        "--group-by",
        "field:source",
        "--format",
        "json",
    ];
    args.extend_from_slice(extra);
    let (out, err, code) = run_in(dir, &args);
    assert_eq!(code, Some(0), "{err}");
    texts(&out)
}

#[test]
fn finds_planted_boilerplate_and_not_wire_phrasing() {
    let dir = dir_with_text(&[("feed.jsonl", &feed(12))]);
    let found = mine_json(dir.path(), &[]);
    let expected = [
        "Skip to the main story",
        "Share this story with your friends",
        "This text was produced by an automatic translation service",
    ];
    for e in expected {
        assert!(found.iter().any(|f| f == e), "{e:?} not in {found:?}");
    }
    assert_eq!(found.len(), expected.len(), "{found:?}");
    for f in &found {
        for wire in [
            "said on Monday",
            "Reuters",
            "AFP",
            "BERLIN",
            "By ",
            "Reporting by",
        ] {
            assert!(!f.contains(wire), "wire phrasing proposed: {f:?}");
        }
    }
}

#[test]
fn table_and_csv_show_counts_share_groups_and_an_example() {
    let dir = dir_with_text(&[("feed.jsonl", &feed(10))]);
    let (out, err, code) = run_in(
        dir.path(),
        &["mine", "feed.jsonl", "--group-by", "field:source"],
    );
    assert_eq!(code, Some(0), "{err}");
    let header = out.lines().next().expect("a header");
    for column in ["DOCS", "SHARE", "GROUPS", "WHERE", "TEXT", "EXAMPLE"] {
        assert!(header.contains(column), "{header}");
    }
    let start = out
        .lines()
        .find(|l| l.contains("Skip to the main story"))
        .expect("the start line");
    assert!(start.contains("100.0%"), "{start}");
    assert!(start.contains("start"), "{start}");
    assert!(start.contains("feed.jsonl (Vall-0)"), "{start}");
    let widget = out
        .lines()
        .find(|l| l.contains("Share this story"))
        .expect("the widget");
    assert!(widget.contains(" end "), "{widget}");
    assert!(
        out.contains("3 candidates in 30 documents of 3 groups"),
        "{out}"
    );

    let (csv, _, _) = run_in(
        dir.path(),
        &[
            "mine",
            "feed.jsonl",
            "--group-by",
            "field:source",
            "--format",
            "csv",
        ],
    );
    let mut lines = csv.lines();
    assert_eq!(
        lines.next(),
        Some("text,documents,share,groups,where,whole_line,top_group,example_path,example_record")
    );
    assert!(
        csv.lines().any(|l| l
            == "Skip to the main story,10,1.0000,1,start,true,Valley Courier,feed.jsonl,Vall-0"),
        "{csv}"
    );
}

#[test]
fn thresholds_decide() {
    // The share widget in 4 of 10 articles of its source.
    let mut feed = String::new();
    for (i, topic) in TOPICS.iter().take(10).enumerate() {
        let extra = if i < 4 { "\n\nPrint this page now" } else { "" };
        let text = format!("The {topic} opened on day {i}.{extra}");
        feed.push_str(&serde_json::json!({"id": i, "text": text}).to_string());
        feed.push('\n');
    }
    let dir = dir_with_text(&[("feed.jsonl", &feed)]);
    assert!(mine_json(dir.path(), &[]).is_empty());
    assert_eq!(
        mine_json(dir.path(), &["--min-docs", "4"]),
        vec!["Print this page now"]
    );
    assert!(mine_json(dir.path(), &["--min-docs", "4", "--min-share", "0.5"]).is_empty());
}

#[test]
fn groups_by_folder_by_default() {
    // Two sites, a folder each: the footer of one is a candidate there;
    // the other site's files do not dilute it.
    let mut files = Vec::new();
    for i in 0..8 {
        files.push((
            format!("dumps/a/{i}.txt"),
            format!("Story {i} about the {}.\n\nPowered by CityPress", TOPICS[i]),
        ));
        files.push((
            format!("dumps/b/{i}.txt"),
            format!("Report {i} on the {}.", TOPICS[i + 1]),
        ));
    }
    let files: Vec<(&str, &str)> = files
        .iter()
        .map(|(a, b)| (a.as_str(), b.as_str()))
        .collect();
    let dir = dir_with_text(&files);
    let (out, err, code) = run_in(dir.path(), &["mine", "dumps", "--format", "csv"]);
    assert_eq!(code, Some(0), "{err}");
    assert!(
        out.contains("Powered by CityPress,8,1.0000,1,end,true,a,"),
        "{out}"
    );
    // As one group of 16 files, the footer is still in half of them.
    let (out, _, _) = run_in(
        dir.path(),
        &[
            "mine",
            "dumps/a",
            "dumps/b",
            "--format",
            "csv",
            "--min-share",
            "0.6",
            "--group-by",
            "field:none",
        ],
    );
    assert!(!out.contains("Powered by"), "{out}");
}

#[test]
fn written_rules_pass_their_examples_and_flag_the_corpus() {
    let dir = dir_with_text(&[("feed.jsonl", &feed(12))]);
    let (_, err, code) = run_in(
        dir.path(),
        &[
            "mine",
            "feed.jsonl",
            "--group-by",
            "field:source",
            "--write-rules",
            "mined",
        ],
    );
    assert_eq!(code, Some(0), "{err}");
    assert!(err.contains("wrote 3 rule files"), "{err}");
    let folder = dir.path().join("mined/common/boilerplate");
    let mut names: Vec<String> = fs::read_dir(&folder)
        .expect("rule folder")
        .map(|e| e.expect("entry").file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    assert_eq!(
        names,
        [
            "mined-share-this-story-with-your-friends.toml",
            "mined-skip-to-the-main-story.toml",
            "mined-this-text-was-produced-by-an-automatic.toml",
        ]
    );
    let rule = fs::read_to_string(folder.join("mined-skip-to-the-main-story.toml")).expect("rule");
    assert!(rule.contains("whole-line = true"), "{rule}");
    assert_eq!(rule.matches("[[example]]").count(), 3, "{rule}");
    assert_eq!(rule.matches("expect = []").count(), 1, "{rule}");

    let (out, err, code) = run_in(dir.path(), &["test-rules", "mined"]);
    assert_eq!(code, Some(0), "{out}{err}");
    assert!(
        out.contains("3 rules, 9 examples: 9 passed, 0 failed"),
        "{out}"
    );

    let (csv, _, _) = run_in(
        dir.path(),
        &[
            "check",
            "feed.jsonl",
            "--rules",
            "mined",
            "--select",
            "boilerplate",
            "--exit-zero",
        ],
    );
    let flagged = |id: &str| csv.lines().filter(|l| l.contains(id)).count();
    assert_eq!(flagged("mined-skip-to-the-main-story"), 12, "{csv}");
    assert_eq!(
        flagged("mined-share-this-story-with-your-friends"),
        12,
        "{csv}"
    );
    assert_eq!(
        flagged("mined-this-text-was-produced-by-an-automatic"),
        12,
        "{csv}"
    );
    // The clean wire is not flagged by the mined rules.
    assert!(
        !csv.lines()
            .any(|l| l.contains(",Capi-") && l.contains("mined-")),
        "{csv}"
    );

    // A second run leaves the files as they are and says so.
    let (_, err, code) = run_in(
        dir.path(),
        &[
            "mine",
            "feed.jsonl",
            "--group-by",
            "field:source",
            "--write-rules",
            "mined",
        ],
    );
    assert_eq!(code, Some(0), "{err}");
    assert!(
        err.contains("wrote 0 rule files") && err.contains("3 already there"),
        "{err}"
    );
}

#[test]
fn same_output_for_any_number_of_threads() {
    let dir = dir_with_text(&[("feed.jsonl", &feed(9)), ("more.jsonl", &feed(7))]);
    let run = |jobs: &str| {
        run_in(
            dir.path(),
            &[
                "mine",
                ".",
                "--group-by",
                "field:source",
                "--format",
                "json",
                "-j",
                jobs,
            ],
        )
        .0
    };
    let one = run("1");
    assert!(!texts(&one).is_empty());
    assert_eq!(one, run("4"));
}

#[test]
fn bad_input_gets_clear_messages() {
    let mut binary = b"PK\x03\x04".to_vec();
    binary.extend([0u8; 64]);
    let dir = dir_with(&[
        ("site/notes.txt", b"One line.\n"),
        ("site/image.txt", &binary),
        ("site/data.jsonl", b"{\"body\": \"no text field\"}\n"),
    ]);
    let (out, err, code) = run_in(dir.path(), &["mine", "site"]);
    assert_eq!(code, Some(0), "{err}");
    assert!(err.contains("site/image.txt: binary file skipped"), "{err}");
    assert!(
        err.contains("site/data.jsonl") && err.contains("text"),
        "{err}"
    );
    assert!(
        out.contains("no recurring boilerplate in 1 document of 1 group"),
        "{out}"
    );

    // A path that is not there is an error that names it.
    let (_, err, code) = run_in(dir.path(), &["mine", "missing"]);
    assert_eq!(code, Some(2));
    assert!(err.contains("missing"), "{err}");

    // An empty folder: a warning, not silence.
    fs::create_dir(dir.path().join("empty")).expect("mkdir");
    let (out, err, code) = run_in(dir.path(), &["mine", "empty"]);
    assert_eq!(code, Some(0));
    assert!(
        err.contains("warning: no file was read: empty holds no file"),
        "{err}"
    );
    assert!(
        out.contains("no recurring boilerplate in 0 documents"),
        "{out}"
    );

    // A bad record is an error naming its line; the rest is mined.
    let mut feed = feed(6);
    feed.push_str("{not json\n");
    fs::write(dir.path().join("broken.jsonl"), feed).expect("write");
    let (out, err, code) = run_in(
        dir.path(),
        &["mine", "broken.jsonl", "--group-by", "field:source"],
    );
    assert_eq!(code, Some(2));
    assert!(err.contains("broken.jsonl:19:"), "{err}");
    assert!(out.contains("Skip to the main story"), "{out}");

    // Flags out of range.
    let out = mtlint()
        .args(["mine", ".", "--min-share", "1.5"])
        .output()
        .expect("runs");
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("between 0 and 1"));
    let out = mtlint()
        .args(["mine", ".", "--group-by", "source"])
        .output()
        .expect("runs");
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("field:NAME"));
}

#[cfg(unix)]
#[test]
fn special_and_unreadable_files_are_named() {
    let dir = dir_with_text(&[("site/a.txt", "Text.\n")]);
    if common::mkfifo(&dir.path().join("site/pipe.txt")) {
        let (_, err, code) = run_in(dir.path(), &["mine", "site/pipe.txt", "site"]);
        assert_eq!(code, Some(0), "{err}");
        assert!(
            err.contains("site/pipe.txt: a named pipe (FIFO) is not checked"),
            "{err}"
        );
    }
    // A folder named like a text file, given by name, cannot be read as one.
    fs::create_dir(dir.path().join("dir.txt")).expect("mkdir");
    std::os::unix::fs::symlink("nowhere.txt", dir.path().join("site/dangling.txt"))
        .expect("symlink");
    let (_, err, code) = run_in(dir.path(), &["mine", "site/dangling.txt"]);
    assert_eq!(code, Some(2), "{err}");
    assert!(err.contains("site/dangling.txt"), "{err}");
}
