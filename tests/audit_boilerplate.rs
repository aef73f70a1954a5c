//! The HTML report's "Recurring boilerplate" section: what recurs across
//! the documents of a group is shown (a planted footer), ordinary news
//! phrasing and furniture are not, what recurs is escaped like all other
//! text, and a run where nothing recurs says so in one line.

mod common;

use common::{dir_with_text, run_in};

fn jsonl(records: &[serde_json::Value]) -> String {
    records.iter().map(|r| format!("{r}\n")).collect()
}

const TOPICS: [&str; 8] = [
    "the harbour crane",
    "the night trains",
    "the school roofs",
    "the river dredging",
    "the library hours",
    "the tram depot",
    "the cycle lanes",
    "the market hall",
];

/// An article of our own writing: every sentence its own, but for news
/// phrasing that recurs inside sentences ("said on Monday"), a dateline
/// with an agency credit, and whatever `tail` adds as its last lines.
fn article(source: &str, n: usize, tail: &[&str]) -> String {
    let topic = TOPICS[n % TOPICS.len()];
    let mut text = format!(
        "GENEVA (Reuters) - The {source} desk said on Monday that {topic} would cost {} million francs.\n\n\
         Work on {topic} is planned for week {} of the year, officials said on Monday.\n\n\
         A spokesperson for the {} district added that residents would be told by letter.",
        n * 3 + 4,
        n + 10,
        [
            "north", "south", "east", "west", "upper", "lower", "old", "new"
        ][n % 8],
    );
    for line in tail {
        text.push_str("\n\n");
        text.push_str(line);
    }
    text
}

fn feed(footers: &[(&str, &[&str])], per_source: usize) -> String {
    let mut records = Vec::new();
    for n in 0..per_source {
        for (source, tail) in footers {
            records.push(serde_json::json!({
                "id": format!("{source}-{n}"),
                "source": source,
                "text": article(source, n, tail),
            }));
        }
    }
    jsonl(&records)
}

/// The texts of the section's rows, in order.
fn rows(html: &str) -> Vec<String> {
    html.split("<tr class=\"recurring\"")
        .skip(1)
        .map(|row| {
            let q = row.split("<q>").nth(1).expect("a text cell");
            q.split("</q>").next().unwrap_or_default().to_string()
        })
        .collect()
}

fn html_of(dir: &std::path::Path, args: &[&str]) -> String {
    let mut all = vec!["check", "--isolated", "--exit-zero", "--format", "html"];
    all.extend_from_slice(args);
    let (html, err, code) = run_in(dir, &all);
    assert_eq!(code, Some(0), "{err}");
    html
}

#[test]
fn a_planted_footer_shows_and_news_phrasing_does_not() {
    let footer = "Share this article with your friends on social media";
    let dir = dir_with_text(&[(
        "feeds/dump.jsonl",
        &feed(
            &[
                ("Lakeside Times", &[footer]),
                (
                    "Valley Wire",
                    &["Reporting by Anna Berg; Editing by Tom Hall"],
                ),
                ("Coast Herald", &[]),
            ],
            8,
        ),
    )]);
    let html = html_of(dir.path(), &["feeds", "--group-by", "field:source"]);
    assert!(html.contains("<h2>Recurring boilerplate</h2>"), "{html}");
    assert_eq!(rows(&html), [footer], "{html}");
    let row = html
        .split("<tr class=\"recurring\"")
        .nth(1)
        .and_then(|r| r.split("</tr>").next())
        .unwrap();
    for cell in [
        "<td>8</td>",
        "<td>100%</td>",
        "Lakeside Times 8/8",
        "end, whole line",
        "record <code>Lakeside Times-0</code>",
        "href=\"./feeds/dump.jsonl\"",
    ] {
        assert!(row.contains(cell), "{cell} not in {row}");
    }
    for phrase in ["said on Monday", "Reuters", "GENEVA", "Reporting by"] {
        assert!(
            !rows(&html).iter().any(|r| r.contains(phrase)),
            "{phrase} mined"
        );
    }
    // How to keep it, with the run's paths and grouping.
    assert!(
        html.contains("mtlint mine feeds --group-by field:source --write-rules mined"),
        "{html}"
    );
    assert!(html.contains("<li>Recurring boilerplate: 1 of 1 recurring texts"));
    // The filter script knows the row's groups.
    assert!(
        html.contains("\"boilerplate\":[[\"Lakeside Times\"]]"),
        "{html}"
    );

    // By file (the default), the file's 24 records are one group, and the
    // footer is in a third of them.
    let by_file = html_of(dir.path(), &["feeds"]);
    assert_eq!(rows(&by_file), [footer], "{by_file}");
    assert!(by_file.contains("<td>33%</td>"));

    // The same count as `mtlint mine` makes.
    let (mined, _, _) = run_in(
        dir.path(),
        &[
            "mine",
            "--isolated",
            "feeds",
            "--group-by",
            "field:source",
            "--format",
            "csv",
        ],
    );
    assert_eq!(mined.lines().count(), 2, "{mined}");
    assert!(mined.contains(&format!("{footer},8,1.0000,1,end,true,Lakeside Times")));
}

#[test]
fn a_footer_in_too_few_documents_is_not_boilerplate() {
    let footer = "Follow our live blog for more updates";
    // Four documents: under the five `mtlint mine` asks for by default.
    let dir = dir_with_text(&[(
        "dump.jsonl",
        &feed(&[("Lakeside Times", &[footer]), ("Coast Herald", &[])], 4),
    )]);
    let html = html_of(dir.path(), &[".", "--group-by", "field:source"]);
    assert_eq!(rows(&html), Vec::<String>::new());
    assert!(
        html.contains(
            "<p id=\"no-boilerplate\">Nothing recurs in the 8 documents of 2 groups.</p>"
        ),
        "{html}"
    );
}

#[test]
fn prose_files_grouped_by_path_are_groups_of_one() {
    let footer = "Share this article with your friends on social media";
    let files: Vec<(String, String)> = (0..6)
        .map(|n| {
            (
                format!("site/a{n}.txt"),
                article("Lakeside Times", n, &[footer]),
            )
        })
        .collect();
    let refs: Vec<(&str, &str)> = files
        .iter()
        .map(|(a, b)| (a.as_str(), b.as_str()))
        .collect();
    let dir = dir_with_text(&refs);
    let html = html_of(dir.path(), &["site"]);
    assert_eq!(rows(&html), Vec::<String>::new());
    assert!(html.contains("Each group holds one document"), "{html}");
    // By folder, the six files are one group, and the footer recurs.
    let html = html_of(dir.path(), &["site", "--group-by", "dir"]);
    assert_eq!(rows(&html), [footer]);
    assert!(html.contains("<td>6</td>"));
}

#[test]
fn recurring_text_is_escaped_like_all_checked_text() {
    let hostile = "<script>alert(1)</script> Read more \"><img src=x onerror=alert(2)> here";
    let source = "</script><script>alert(3)</script>";
    let dir = dir_with_text(&[("dump.jsonl", &feed(&[(source, &[hostile])], 6))]);
    let html = html_of(dir.path(), &[".", "--group-by", "field:source"]);
    // Only the page's own two script elements, and no element from input.
    assert_eq!(html.matches("<script").count(), 2, "{html}");
    assert_eq!(html.matches("</script>").count(), 2);
    for bad in ["<img", "onerror=alert(2)>", "<script>alert"] {
        assert!(!html.contains(bad), "{bad} in the page");
    }
    let rows = rows(&html);
    assert_eq!(rows.len(), 1, "{html}");
    assert_eq!(
        rows[0],
        "&lt;script&gt;alert(1)&lt;/script&gt; Read more &quot;&gt;&lt;img src=x onerror=alert(2)&gt; here"
    );
    assert!(html.contains("&lt;/script&gt;&lt;script&gt;alert(3)&lt;/script&gt; 6/6"));
}
