//! Per-document languages: detection picks each document's pack, the
//! language settings (flag, mtlint.toml, `[[overrides]]`) and the languages
//! XLIFF and PO files declare win over detection, `mtlint rules --language`
//! lists what runs, and the reports carry the language.

mod common;

use common::{dir_with_text, mtlint, rules_in, run_in};

/// The rule and language of every finding of a JSON report.
fn rules_and_languages(json: &str) -> Vec<(String, String)> {
    let rows: serde_json::Value = serde_json::from_str(json).expect("JSON report");
    rows.as_array()
        .expect("an array")
        .iter()
        .map(|r| {
            (
                r["rule"].as_str().expect("rule").to_string(),
                r["language"].as_str().unwrap_or("-").to_string(),
            )
        })
        .collect()
}

/// The clean fixture of `lang`.
fn fixture(lang: &str) -> String {
    std::fs::read_to_string(format!("tests/fixtures/clean-lang/{lang}.txt")).expect("fixture")
}

/// A clean fixture with one artifact added at its end.
fn fixture_with(lang: &str, artifact: &str) -> String {
    format!("{}\n{artifact}\n", fixture(lang))
}

/// A temporary folder holding `files` (name, text).
fn dir_of(files: &[(String, String)]) -> tempfile::TempDir {
    let files: Vec<(&str, &str)> = files
        .iter()
        .map(|(n, t)| (n.as_str(), t.as_str()))
        .collect();
    dir_with_text(&files)
}

#[test]
fn each_document_gets_its_language_and_its_pack() {
    let cases = [
        (
            "de",
            "Die Ministerin und und der Bürgermeister reisten ab.",
            "doubled-word-de",
        ),
        (
            "fr",
            "Pourquoi? Personne ne le sait.",
            "missing-space-before-punctuation-fr",
        ),
        (
            "es",
            "El ministro preguntó: Vendrá mañana?",
            "unpaired-question-mark-es",
        ),
        (
            "ru",
            "Министр сообщил в в понедельник, что мост откроется.",
            "doubled-word-ru",
        ),
        (
            "cs",
            "Ceny mírně vzrostly. index přesto klesl.",
            "lowercase-sentence-start-cs",
        ),
        (
            "zh",
            "他说,这座桥将于明年春天通车。",
            "half-width-punctuation-cjk",
        ),
        (
            "ja",
            "田中氏は 記者会見で新しい工場の計画について語った。",
            "space-between-cjk",
        ),
    ];
    let files: Vec<(String, String)> = cases
        .iter()
        .map(|(lang, artifact, _)| (format!("{lang}.txt"), fixture_with(lang, artifact)))
        .collect();
    let dir = dir_of(&files);
    let (out, err, code) = run_in(dir.path(), &["check", ".", "--format", "json"]);
    assert_eq!(code, Some(1), "{err}");
    let mut found = rules_and_languages(&out);
    found.sort();
    let mut expected: Vec<(String, String)> = cases
        .iter()
        .map(|(lang, _, rule)| (rule.to_string(), lang.to_string()))
        .collect();
    expected.sort();
    assert_eq!(found, expected);
}

#[test]
fn english_rules_stay_off_other_languages_and_on_english() {
    // German quotes and a German relative clause: conventions the English
    // rules would flag ("die die", an opening “ read as unpaired).
    let german = fixture_with("de", "Die Frau, die die Zeitung liest, sagte „ja“.");
    let dir = dir_with_text(&[("de.txt", &german)]);
    let (out, _, code) = run_in(dir.path(), &["check", "."]);
    assert_eq!(code, Some(0), "{out}");
    // Forced to English, the English pack runs on it.
    let (out, _, _) = run_in(dir.path(), &["check", ".", "--language", "en"]);
    assert!(
        rules_in(&out).contains(&"doubled-word".to_string()),
        "{out}"
    );
}

#[test]
fn short_text_takes_the_default_language() {
    let dir = dir_with_text(&[("a.txt", "Die die Zeitung.\n")]);
    let (out, _, _) = run_in(dir.path(), &["check", ".", "--format", "json"]);
    assert_eq!(
        rules_and_languages(&out),
        [("doubled-word".into(), "en".into())]
    );
    let (out, _, _) = run_in(
        dir.path(),
        &["check", ".", "--format", "json", "--default-language", "de"],
    );
    assert_eq!(rules_and_languages(&out), []);
    let (out, _, _) = run_in(
        dir.path(),
        &["check", ".", "--format", "json", "--language", "zh"],
    );
    assert_eq!(rules_and_languages(&out), []);
}

#[test]
fn configuration_sets_languages_per_path() {
    let dir = dir_with_text(&[
        (
            "mtlint.toml",
            "language = \"de\"\n[[overrides]]\npaths = [\"en/**\"]\nlanguage = \"auto\"\n\
             [[overrides]]\npaths = [\"fr/**\"]\nlanguage = \"fr\"\n",
        ),
        ("de/a.txt", "Er kam am 3 Oktober.\n"),
        ("en/a.txt", "He said the the talks ended.\n"),
        ("fr/a.txt", "Pourquoi? Personne.\n"),
    ]);
    let (out, err, _) = run_in(dir.path(), &["check", ".", "--format", "json"]);
    let mut found = rules_and_languages(&out);
    found.sort();
    assert_eq!(
        found,
        [
            ("date-format-de".into(), "de".into()),
            ("doubled-word".into(), "en".into()),
            ("missing-space-before-punctuation-fr".into(), "fr".into()),
        ],
        "{err}"
    );
    let (config, _, code) = run_in(dir.path(), &["config"]);
    assert_eq!(code, Some(0));
    assert!(config.contains("language = \"de\""), "{config}");
}

#[test]
fn bad_language_values_are_errors() {
    let dir = dir_with_text(&[("a.txt", "Text.\n")]);
    let (_, err, code) = run_in(dir.path(), &["check", ".", "--language", "german"]);
    assert_eq!(code, Some(2));
    assert!(err.contains("invalid language `german`"), "{err}");
    let dir = dir_with_text(&[("a.txt", "Text.\n"), ("mtlint.toml", "language = \"x1\"\n")]);
    let (_, err, code) = run_in(dir.path(), &["check", "."]);
    assert_eq!(code, Some(2));
    assert!(err.contains("mtlint.toml:1:12"), "{err}");
    let rule = "id = \"r\"\nkind = \"pattern\"\ncategory = \"c\"\nseverity = \"warning\"\n\
                message = \"m\"\nsummary = \"s\"\nwhy = \"w\"\nlanguages = [\"German\"]\npattern = 'x'\n";
    let dir = dir_with_text(&[("r.toml", rule)]);
    let (_, err, code) = run_in(dir.path(), &["rules", "--rules", "r.toml"]);
    assert_eq!(code, Some(2));
    assert!(err.contains("invalid language `German`"), "{err}");
}

#[test]
fn xliff_and_po_declare_their_language() {
    // Units too short to detect: the declared language decides.
    let xliff = "<xliff version=\"1.2\"><file source-language=\"en\" target-language=\"de-DE\"><body>\n\
                 <trans-unit id=\"a\"><source>On 3 October.</source><target>Am 3 Oktober.</target></trans-unit>\n\
                 </body></file></xliff>\n";
    let po = "msgid \"\"\nmsgstr \"Language: fr\\n\"\n\nmsgid \"Why?\"\nmsgstr \"Pourquoi?\"\n";
    let dir = dir_with_text(&[("a.xlf", xliff), ("b.po", po)]);
    let (out, err, _) = run_in(dir.path(), &["check", ".", "--format", "json"]);
    assert_eq!(
        rules_and_languages(&out),
        [
            ("date-format-de".into(), "de".into()),
            ("missing-space-before-punctuation-fr".into(), "fr".into()),
        ],
        "{err}"
    );
}

#[test]
fn rules_lists_what_runs_for_a_language() {
    let out = mtlint()
        .args(["rules", "--language", "de"])
        .output()
        .expect("runs");
    let list = String::from_utf8_lossy(&out.stdout);
    assert!(list.contains("unpaired-quote-de"), "{list}");
    assert!(list.contains("multiple-spaces"), "{list}");
    assert!(!list.contains("unpaired-quote "), "{list}");
    assert!(!list.contains("doubled-word-fr"), "{list}");
    let out = mtlint()
        .args(["rules", "--language", "zh"])
        .output()
        .expect("runs");
    let list = String::from_utf8_lossy(&out.stdout);
    assert!(
        list.contains("space-between-cjk") && list.contains("mojibake "),
        "{list}"
    );
    assert!(!list.contains("multiple-spaces"), "{list}");
}

#[test]
fn summary_counts_chinese_and_japanese_in_characters() {
    let text = fixture_with("zh", "他说,这座桥将于明年春天通车。");
    let dir = dir_with_text(&[("zh.txt", &text)]);
    let (out, _, _) = run_in(dir.path(), &["check", ".", "--format", "summary"]);
    assert!(
        out.contains("Files in Chinese or Japanese by findings per 1,000 characters"),
        "{out}"
    );
    assert!(out.contains("per 1,000 characters"), "{out}");
    assert!(
        out.contains("Findings by language\n         1  zh"),
        "{out}"
    );
    let chars = text.chars().filter(|c| !c.is_whitespace()).count();
    assert!(out.contains(&format!("{chars} characters")), "{out}");
    // Scores and groups take a word for every two characters.
    assert!(
        out.contains("; Chinese and Japanese: a word for every two characters)"),
        "{out}"
    );
    let words = chars.div_ceil(2);
    assert!(
        out.lines()
            .any(|l| l.contains(&format!("  {words}  ")) && l.ends_with("zh.txt")),
        "the group of zh.txt has {words} words:\n{out}"
    );
}

/// A space before a comma that a word follows at once (“lockdown ,a”) may
/// belong after the comma: `--fix` leaves it for a person, and still fixes a
/// space before a mark at a word's end.
#[test]
fn space_before_a_mark_that_a_word_follows_is_not_fixed_unattended() {
    let src =
        "Vláda zasedne v pondělí . Obor zavřel jako první ,a otevře jako poslední ,čímž skončil.\n";
    let dir = dir_with_text(&[("a.txt", src)]);
    let (out, err, _) = run_in(
        dir.path(),
        &[
            "check",
            "--fix",
            "--language",
            "cs",
            "--select",
            "space-before-punctuation-intl",
            "a.txt",
        ],
    );
    assert!(
        err.contains("fixed 1 findings in 1 file; 2 remain"),
        "{out}{err}"
    );
    assert_eq!(
        std::fs::read_to_string(dir.path().join("a.txt")).expect("read"),
        "Vláda zasedne v pondělí. Obor zavřel jako první ,a otevře jako poslední ,čímž skončil.\n"
    );
}

/// `--group-by language`: each record of a data file, and each prose file,
/// is in the group of its own language, in the rows and the summary's
/// groups; `mine` and the html report's boilerplate group the same way.
#[test]
fn documents_group_by_their_language() {
    let paragraph = |lang: &str| {
        let text = fixture(lang);
        text.split("\n\n").nth(1).expect("a paragraph").to_string()
    };
    let records = [
        ("1", format!("{} Die Ministerin und und der Bürgermeister reisten ab.", paragraph("de"))),
        ("2", "The council approved the budget on Monday . Work on the bridge starts in May, and the mayor said the cost would stay within the plan agreed last year.".to_string()),
        ("3", format!("{} Pourquoi? Personne ne le sait.", paragraph("fr"))),
    ];
    let jsonl: String = records
        .iter()
        .map(|(id, text)| {
            serde_json::json!({"id": id, "source": "wire", "text": text}).to_string() + "\n"
        })
        .collect();
    let de = fixture_with("de", "Die Ministerin und und der Bürgermeister reisten ab.");
    let dir = dir_with_text(&[("feed.jsonl", &jsonl), ("de.txt", &de)]);
    let (out, err, code) = run_in(
        dir.path(),
        &["check", ".", "--group-by", "language", "--format", "json"],
    );
    assert_eq!(code, Some(1), "{err}");
    let rows: serde_json::Value = serde_json::from_str(&out).expect("JSON report");
    let mut groups: Vec<(String, String, String)> = rows
        .as_array()
        .expect("an array")
        .iter()
        .map(|r| {
            let s = |k: &str| r[k].as_str().unwrap_or("-").to_string();
            (s("path"), s("group"), s("language"))
        })
        .collect();
    groups.sort();
    groups.dedup();
    assert_eq!(
        groups,
        [
            ("./de.txt", "de", "de"),
            ("./feed.jsonl", "de", "de"),
            ("./feed.jsonl", "en", "en"),
            ("./feed.jsonl", "fr", "fr"),
        ]
        .map(|(p, g, l)| (p.to_string(), g.to_string(), l.to_string()))
    );
    let (summary, _, _) = run_in(
        dir.path(),
        &[
            "check",
            ".",
            "--group-by",
            "language",
            "--format",
            "summary",
        ],
    );
    assert!(
        summary.contains("Groups by score (--group-by language;"),
        "{summary}"
    );
    for lang in ["de", "en", "fr"] {
        assert!(
            summary.lines().any(|l| l.ends_with(&format!("  {lang}"))),
            "no group {lang}:\n{summary}"
        );
    }
    // A line that recurs in the German documents only.
    let notice = "Alle Rechte vorbehalten. Nachdruck nur mit Genehmigung der Redaktion.";
    let files: Vec<(String, String)> = (0..5)
        .map(|i| (format!("de{i}.txt"), format!("{}\n\n{notice}\n", paragraph("de"))))
        .chain((0..5).map(|i| {
            (
                format!("en{i}.txt"),
                format!("The council approved the budget on Monday, and work on bridge {i} starts in May.\n"),
            )
        }))
        .collect();
    let dir = dir_of(&files);
    let (out, err, code) = run_in(
        dir.path(),
        &[
            "mine",
            ".",
            "--group-by",
            "language",
            "--min-docs",
            "3",
            "--format",
            "json",
        ],
    );
    assert_eq!(code, Some(0), "{err}");
    let found: serde_json::Value = serde_json::from_str(&out).expect("JSON");
    let notice_row = found
        .as_array()
        .expect("an array")
        .iter()
        .find(|c| {
            c["text"]
                .as_str()
                .is_some_and(|t| t.starts_with("Alle Rechte"))
        })
        .unwrap_or_else(|| panic!("the notice is mined: {out}"));
    assert_eq!(notice_row["by_group"][0]["group"], "de", "{out}");
    assert_eq!(notice_row["by_group"][0]["of"], 5, "{out}");
    let (html, err, _) = run_in(
        dir.path(),
        &["check", ".", "--group-by", "language", "--format", "html"],
    );
    assert!(
        html.contains("<td class=\"name cats\">de 5/5</td>"),
        "the notice's group in the html report: {err}"
    );
}
