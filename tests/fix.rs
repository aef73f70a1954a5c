//! `--fix`, `--unsafe-fixes` and `--diff`: per input format, fixing leaves
//! the file parsing as before, the fixed rules silent and every byte outside
//! the edits as it was (each case states the whole fixed file); overlapping
//! fixes, the pass cap, atomic writes that keep permissions, line endings
//! and a byte-order mark, a file changed meanwhile, standard input, SARIF
//! fixes equal to what `--fix` applies, and a property test of convergence
//! and idempotence.

mod common;

use std::collections::BTreeSet;
use std::fs;

use common::{dir_with_text, mtlint, run_in};
use mtlint::Ruleset;
use mtlint::document::{InputFormat, InputOptions, parse};
use mtlint::engine::{FixSettings, check_bytes_with_edits, fix_bytes, keep_all};
use mtlint::fix;

fn rules() -> Ruleset {
    Ruleset::default_pack().expect("default pack")
}

fn options() -> InputOptions {
    InputOptions {
        id_field: Some("id".into()),
        ..InputOptions::default()
    }
}

/// Fixes `src` as `format` (unsafe fixes too with `all`), checks that the
/// result parses as the original did and that the rules fixed are silent
/// on it, and returns it.
fn fixed(format: InputFormat, src: &str, all: bool) -> String {
    let rules = rules();
    let settings = FixSettings {
        unsafe_fixes: all,
        ..FixSettings::default()
    };
    let (before, _) = check_bytes_with_edits(&rules, src.as_bytes(), format, &options());
    let fixed_rules: BTreeSet<String> = before
        .iter()
        .filter(|(f, _)| fix::applies(f, all))
        .map(|(f, _)| f.rule.id.clone())
        .collect();
    assert!(!fixed_rules.is_empty(), "nothing to fix in {src:?}");
    let out = fix_bytes(
        &rules,
        src.as_bytes(),
        format,
        &options(),
        settings,
        &keep_all,
    );
    assert!(!out.capped, "{format:?}: pass cap hit");
    assert_eq!(out.withdrawn, 0, "{format:?}: fixes withdrawn");
    let text = String::from_utf8(out.fixed).expect("UTF-8");
    let (old, new) = (
        parse(src, format, &options()),
        parse(&text, format, &options()),
    );
    assert_eq!(new.errors, old.errors, "{format:?}: parses differently");
    assert_eq!(new.documents.len(), old.documents.len(), "{format:?}");
    let (after, _) = check_bytes_with_edits(&rules, text.as_bytes(), format, &options());
    for (f, _) in &after {
        assert!(
            !fixed_rules.contains(&f.rule.id) || !fix::applies(f, all),
            "{format:?}: {} still fixable after fixing: {text:?}",
            f.rule.id
        );
    }
    // Fixing a fixed file changes nothing.
    let again = fix_bytes(
        &rules,
        text.as_bytes(),
        format,
        &options(),
        settings,
        &keep_all,
    );
    assert_eq!(again.applied, 0, "{format:?}: not idempotent");
    text
}

#[test]
fn plain_text() {
    let src = "It ended in November. . The talks  went on , he said.\r\n\r\n\
               the minister left the the hall.\r\n\r\nRead more\r\n\r\nThe end.\r\n";
    assert_eq!(
        fixed(InputFormat::Text, src, false),
        "It ended in November. The talks went on, he said.\r\n\r\n\
         the minister left the hall.\r\n\r\nRead more\r\n\r\nThe end.\r\n"
    );
    // Unsafe fixes: the capital, and the boilerplate line with its blank
    // line, in the file's own CR LF.
    assert_eq!(
        fixed(InputFormat::Text, src, true),
        "It ended in November. The talks went on, he said.\r\n\r\n\
         The minister left the hall.\r\n\r\nThe end.\r\n"
    );
}

#[test]
fn markdown() {
    let src = "# Title\n\nIt ended in *November*. . The talks  went on , he said.\n\n\
               Leaders of Japan, South Korea, China, and China met.\n";
    assert_eq!(
        fixed(InputFormat::Markdown, src, false),
        "# Title\n\nIt ended in *November*. The talks went on, he said.\n\n\
         Leaders of Japan, South Korea, and China met.\n"
    );
}

#[test]
fn html_keeps_markup_and_entities() {
    let src = "<html><body><p>It ended in November. . The talks&nbsp;&nbsp;went on , he said.</p>\
               <p>Bonds, the <b>the</b> rest &amp; more .</p></body></html>\n";
    assert_eq!(
        fixed(InputFormat::Html, src, false),
        "<html><body><p>It ended in November. The talks went on, he said.</p>\
         <p>Bonds, <b>the</b> rest &amp; more.</p></body></html>\n"
    );
}

#[test]
fn json_lines_keep_escapes() {
    let src = "{\"id\":1,\"text\":\"He said \\\"no\\\" . . Then  left , twice.\"}\n\
               {\"id\":2,\"text\":\"Caf\\u00e9 closed. . the owner left.\"}\n";
    assert_eq!(
        fixed(InputFormat::Jsonl, src, true),
        "{\"id\":1,\"text\":\"He said \\\"no\\\". Then left, twice.\"}\n\
         {\"id\":2,\"text\":\"Caf\\u00e9 closed. The owner left.\"}\n"
    );
}

#[test]
fn csv_and_tsv_keep_quoting() {
    let src = "id,text\n1,It ended. . The talks  went on.\n2,\"He said \"\"no\"\" , twice. .\"\n";
    assert_eq!(
        fixed(InputFormat::Csv, src, false),
        "id,text\n1,It ended. The talks went on.\n2,\"He said \"\"no\"\", twice.\"\n"
    );
    let tsv = "id\ttext\n1\tIt ended. . The talks  went on.\n";
    assert_eq!(
        fixed(InputFormat::Tsv, tsv, false),
        "id\ttext\n1\tIt ended. The talks went on.\n"
    );
}

#[test]
fn xliff_keeps_entities_and_cdata() {
    let src = "<?xml version=\"1.0\"?>\n<xliff version=\"1.2\"><file><body>\n\
               <trans-unit id=\"a\"><source>It ended.</source><target>It ended in November. . \
               The talks  went on &amp; on , he said.</target></trans-unit>\n\
               <trans-unit id=\"b\"><source>X</source><target><![CDATA[Rates & bonds. . \
               fell]]></target></trans-unit>\n</body></file></xliff>\n";
    assert_eq!(
        fixed(InputFormat::Xliff, src, false),
        "<?xml version=\"1.0\"?>\n<xliff version=\"1.2\"><file><body>\n\
         <trans-unit id=\"a\"><source>It ended.</source><target>It ended in November. \
         The talks went on &amp; on, he said.</target></trans-unit>\n\
         <trans-unit id=\"b\"><source>X</source><target><![CDATA[Rates & bonds. \
         fell]]></target></trans-unit>\n</body></file></xliff>\n"
    );
}

#[test]
fn po_keeps_escapes_and_joins() {
    let src = "msgid \"\"\nmsgstr \"\"\n\nmsgid \"It ended.\"\n\
               msgstr \"It ended in November. . The \\\"talks\\\"  went on , he said.\"\n\n\
               msgid \"Two\"\nmsgstr \"\"\n\"First line. . \"\n\"second  line.\"\n";
    assert_eq!(
        fixed(InputFormat::Po, src, true),
        "msgid \"\"\nmsgstr \"\"\n\nmsgid \"It ended.\"\n\
         msgstr \"It ended in November. The \\\"talks\\\" went on, he said.\"\n\n\
         msgid \"Two\"\nmsgstr \"\"\n\"First line. \"\n\"Second line.\"\n"
    );
}

#[test]
fn feeds_keep_escaped_html_and_cdata() {
    let src = "<?xml version=\"1.0\"?>\n<rss><channel><title>F</title>\n\
               <item><guid>g1</guid><title>Rates &amp;amp; bonds . .</title>\
               <description>&lt;p&gt;Bank held &amp;amp; waited. . The  end.&lt;/p&gt;</description></item>\n\
               <item><guid>g2</guid><title>Two</title><description><![CDATA[<p>Cup <b>final</b> \
               won. . Fans  cheered , loudly.</p>]]></description></item>\n</channel></rss>\n";
    assert_eq!(
        fixed(InputFormat::Feed, src, false),
        "<?xml version=\"1.0\"?>\n<rss><channel><title>F</title>\n\
         <item><guid>g1</guid><title>Rates &amp;amp; bonds.</title>\
         <description>&lt;p&gt;Bank held &amp;amp; waited. The end.&lt;/p&gt;</description></item>\n\
         <item><guid>g2</guid><title>Two</title><description><![CDATA[<p>Cup <b>final</b> \
         won. Fans cheered, loudly.</p>]]></description></item>\n</channel></rss>\n"
    );
}

/// A fix that inserts what the container must escape: a user rule puts
/// quotes and an ampersand in, in every format that escapes them.
#[test]
fn inserted_text_is_escaped_for_its_container() {
    let rule = r#"id = "and-sign"
kind = "pattern"
category = "style"
severity = "warning"
message = "and"
summary = "and"
why = "A test rule that writes an ampersand and quotes where the word and was."
pattern = '\bund\b'
[fix]
replacement = '& "x" <y>'
safe = true
[[example]]
text = "a und b"
expect = ["und"]
fixed = 'a & "x" <y> b'
[[example]]
text = "a and b"
expect = []
"#;
    let dir = dir_with_text(&[
        ("rules/and-sign.toml", rule),
        ("a.jsonl", "{\"text\":\"a und b\"}\n"),
        ("a.html", "<p>a und b</p>\n"),
        (
            "a.xlf",
            "<xliff><file><body><trans-unit id=\"1\"><source>s</source><target>a und b</target></trans-unit></body></file></xliff>\n",
        ),
        (
            "a.rss",
            "<rss><channel><item><title>a und b</title></item></channel></rss>\n",
        ),
        ("a.po", "msgid \"s\"\nmsgstr \"a und b\"\n"),
        ("a.csv", "text\na und b\n"),
    ]);
    let (_, err, code) = run_in(
        dir.path(),
        &[
            "check",
            "--fix",
            "--no-default-rules",
            "--rules",
            "rules",
            "a.jsonl",
            "a.html",
            "a.xlf",
            "a.rss",
            "a.po",
            "a.csv",
        ],
    );
    assert_eq!(code, Some(0), "{err}");
    let read = |f: &str| fs::read_to_string(dir.path().join(f)).expect("read");
    assert_eq!(read("a.jsonl"), "{\"text\":\"a & \\\"x\\\" <y> b\"}\n");
    assert_eq!(read("a.html"), "<p>a &amp; \"x\" &lt;y&gt; b</p>\n");
    assert!(read("a.xlf").contains("<target>a &amp; \"x\" &lt;y&gt; b</target>"));
    assert!(read("a.rss").contains("<title>a &amp;amp; \"x\" &amp;lt;y&amp;gt; b</title>"));
    assert_eq!(
        read("a.po"),
        "msgid \"s\"\nmsgstr \"a & \\\"x\\\" <y> b\"\n"
    );
    assert_eq!(read("a.csv"), "text\n\"a & \"\"x\"\" <y> b\"\n");
}

#[test]
fn diff_shows_and_changes_nothing() {
    let src = "It ended in November. . The talks went on.\n";
    let dir = dir_with_text(&[("a.txt", src), ("clean.txt", "All is well here.\n")]);
    let (out, err, code) = run_in(dir.path(), &["check", "--diff", "a.txt", "clean.txt"]);
    assert_eq!(code, Some(1), "{err}");
    assert_eq!(
        out,
        "--- a/a.txt\n+++ b/a.txt\n@@ -1 +1 @@\n-It ended in November. . The talks went on.\n\
         +It ended in November. The talks went on.\n"
    );
    assert_eq!(
        fs::read_to_string(dir.path().join("a.txt")).expect("read"),
        src
    );
    let (out, _, code) = run_in(dir.path(), &["check", "--diff", "clean.txt"]);
    assert_eq!((out.as_str(), code), ("", Some(0)));
}

#[test]
fn fix_reports_what_remains_and_keeps_the_file_whole() {
    // BOM, CR LF, no final line break, permissions 0640.
    let src = "\u{FEFF}It ended in November. . The talks went on.\r\nThe meeting meeting ended.";
    let dir = dir_with_text(&[("a.txt", src)]);
    let path = dir.path().join("a.txt");
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        fs::set_permissions(&path, fs::Permissions::from_mode(0o640)).expect("chmod");
    }
    let (out, err, code) = run_in(
        dir.path(),
        &[
            "check",
            "--fix",
            "--select",
            "stray-period,lowercase-sentence-start",
            "a.txt",
        ],
    );
    assert_eq!(code, Some(0), "{out}{err}");
    assert!(
        err.contains("fixed 1 findings in 1 file; 0 remain"),
        "{err}"
    );
    assert_eq!(
        fs::read_to_string(&path).expect("read"),
        "\u{FEFF}It ended in November. The talks went on.\r\nThe meeting meeting ended."
    );
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = fs::metadata(&path).expect("stat").permissions().mode();
        assert_eq!(mode & 0o777, 0o640);
    }
    // The report lists what remains: the doubled word, unsafe for a
    // content word.
    let (out, _, code) = run_in(dir.path(), &["check", "--fix", "a.txt"]);
    assert_eq!(code, Some(1));
    assert!(out.contains("doubled-word"), "{out}");
    assert!(!out.contains("stray-period"), "{out}");
    // No temporary file is left beside it.
    let names: Vec<String> = fs::read_dir(dir.path())
        .expect("list")
        .map(|e| e.expect("entry").file_name().to_string_lossy().into_owned())
        .collect();
    assert_eq!(names, ["a.txt"]);
}

#[test]
fn unsafe_fixes_need_fix_or_diff() {
    let dir = dir_with_text(&[("a.txt", "The the end.\n")]);
    let (_, err, code) = run_in(dir.path(), &["check", "--unsafe-fixes", "a.txt"]);
    assert_eq!(code, Some(2));
    assert!(
        err.contains("--unsafe-fixes applies only with --fix or --diff"),
        "{err}"
    );
    let (_, err, code) = run_in(
        dir.path(),
        &["check", "--fix", "--baseline", "b.json", "a.txt"],
    );
    assert_eq!(code, Some(2), "{err}");
}

#[test]
fn suppressed_findings_are_not_fixed() {
    let src = "<!-- mtlint-disable stray-period -->\nIt ended. . Then\n<!-- mtlint-enable -->\nIt ended. . Then\n";
    let dir = dir_with_text(&[("a.md", src)]);
    let (_, err, _) = run_in(dir.path(), &["check", "--fix", "a.md"]);
    assert_eq!(
        fs::read_to_string(dir.path().join("a.md")).expect("read"),
        "<!-- mtlint-disable stray-period -->\nIt ended. . Then\n<!-- mtlint-enable -->\nIt ended. Then\n",
        "{err}"
    );
}

#[test]
fn standard_input_is_fixed_to_standard_output() {
    let out = mtlint()
        .args(["check", "--fix", "--unsafe-fixes", "-"])
        .write_stdin("It ended. . the talks  went on.\n")
        .output()
        .expect("runs");
    assert_eq!(
        String::from_utf8_lossy(&out.stdout),
        "It ended. The talks went on.\n"
    );
    // The report (a header, no row) went to standard error.
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("path,record,line"), "{err}");
    assert_eq!(out.status.code(), Some(0));
}

/// Two user rules that undo each other: the passes stop at the cap, which
/// is said.
#[test]
fn the_pass_cap_is_reported() {
    let rule = |id: &str, from: &str, to: &str| {
        format!(
            "id = \"{id}\"\nkind = \"pattern\"\ncategory = \"style\"\nseverity = \"warning\"\n\
             message = \"m\"\nsummary = \"s\"\nwhy = \"A test rule that turns one spelling into the other and back.\"\n\
             pattern = '\\b{from}\\b'\n[fix]\nreplacement = \"{to}\"\nsafe = true\n\
             [[example]]\ntext = \"a {from}\"\nexpect = [\"{from}\"]\nfixed = \"a {from}\"\n\
             [[example]]\ntext = \"a b\"\nexpect = []\n"
        )
    };
    let dir = dir_with_text(&[
        ("rules/to-color.toml", &rule("to-color", "colour", "color")),
        (
            "rules/to-colour.toml",
            &rule("to-colour", "color", "colour"),
        ),
        ("a.txt", "A colour.\n"),
    ]);
    let (_, err, _) = run_in(
        dir.path(),
        &[
            "check",
            "--fix",
            "--no-default-rules",
            "--rules",
            "rules",
            "a.txt",
        ],
    );
    assert!(err.contains("still coming after 10 passes"), "{err}");
}

#[test]
fn sarif_fixes_are_the_edits_fix_applies() {
    let src = "{\"text\":\"He said \\\"no\\\" . Then  left.\"}\n";
    let dir = dir_with_text(&[("a.jsonl", src)]);
    let (out, _, _) = run_in(dir.path(), &["check", "--format", "sarif", "a.jsonl"]);
    let log: serde_json::Value = serde_json::from_str(&out).expect("json");
    let mut edits = Vec::new();
    for result in log["runs"][0]["results"].as_array().expect("results") {
        let Some(fix) = result["fixes"].get(0) else {
            continue;
        };
        let r = &fix["artifactChanges"][0]["replacements"][0];
        let start = r["deletedRegion"]["byteOffset"].as_u64().expect("offset") as usize;
        let len = r["deletedRegion"]["byteLength"].as_u64().expect("length") as usize;
        let text = r["insertedContent"]["text"]
            .as_str()
            .expect("text")
            .to_string();
        assert_eq!(fix["properties"]["safe"], true);
        edits.push((start..start + len, text));
    }
    assert_eq!(edits.len(), 2, "{out}");
    let mut fixed = src.to_string();
    for (range, text) in edits.iter().rev() {
        fixed.replace_range(range.clone(), text);
    }
    let (_, err, _) = run_in(dir.path(), &["check", "--fix", "a.jsonl"]);
    assert_eq!(
        fs::read_to_string(dir.path().join("a.jsonl")).expect("read"),
        fixed,
        "{err}"
    );
    assert_eq!(fixed, "{\"text\":\"He said \\\"no\\\". Then left.\"}\n");
}

proptest::proptest! {
    #![proptest_config(proptest::prelude::ProptestConfig::with_cases(48))]
    /// Any text built of artifacts and prose: fixing (all fixes) converges
    /// before the cap, and fixing the result changes nothing.
    #[test]
    fn fixing_converges_and_is_idempotent(
        pieces in proptest::collection::vec(proptest::sample::select(vec![
            "The talks", " ended", ". .", "  ", " ,", ",,", "..", " the the", " talks",
            ".\n\n", "Read more", "\n", " in November", " and", " China,", " China", ";;",
            " (", ")", "“", "”", " Mr Kim", " Mr. Kim", " said", " .", "!", "?", "é",
        ]), 0..40),
        format in proptest::sample::select(vec![InputFormat::Text, InputFormat::Markdown, InputFormat::Html]),
    ) {
        let text: String = pieces.concat();
        let rules = rules();
        let settings = FixSettings { unsafe_fixes: true, ..FixSettings::default() };
        let once = fix_bytes(&rules, text.as_bytes(), format, &options(), settings, &keep_all);
        proptest::prop_assert!(!once.capped, "cap hit on {:?}", text);
        proptest::prop_assert!(std::str::from_utf8(&once.fixed).is_ok());
        let twice = fix_bytes(&rules, &once.fixed, format, &options(), settings, &keep_all);
        proptest::prop_assert_eq!(twice.applied, 0, "{:?} → {:?}", text, String::from_utf8_lossy(&once.fixed));
        proptest::prop_assert_eq!(&twice.fixed, &once.fixed);
    }
}

/// Which fixes of the default rules are safe depends on what is flagged:
/// a doubled pronoun is never meant, a preposition after a phrasal verb may
/// be; the same mark twice is one too many, two marks are a choice; a space
/// before a period that a word follows may belong after it.
#[test]
fn safety_follows_what_is_flagged() {
    let rules = rules();
    let safe = |text: &str, rule: &str| -> Vec<bool> {
        let (found, _) =
            check_bytes_with_edits(&rules, text.as_bytes(), InputFormat::Text, &options());
        found
            .iter()
            .filter(|(f, _)| f.rule.id == rule)
            .map(|(f, _)| f.fix.as_ref().expect("a fix").safe)
            .collect()
    };
    assert_eq!(
        safe("They said they they would go.", "doubled-word"),
        [true]
    );
    assert_eq!(safe("She searched for for years.", "doubled-word"), [false]);
    assert_eq!(
        safe("It rose,, then fell,. Then", "doubled-punctuation"),
        [true, false]
    );
    assert_eq!(
        safe(
            "It rose . She lives in .Paris now",
            "space-before-punctuation"
        ),
        [true, false]
    );
    assert_eq!(
        safe("Chad, Mali, and Chad signed.", "duplicate-list-item"),
        [true]
    );
    // The repeat matches the name at the end of a longer first item: which
    // one goes is a person's choice.
    assert_eq!(
        safe(
            "Leaders of Chad, Mali, and Chad met.",
            "duplicate-list-item"
        ),
        [false]
    );
}
