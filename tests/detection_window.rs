//! Where repetition and layout rules draw their lines on whole files: in
//! text of one sentence per line, a line restated a few lines on is left
//! alone while a copy on the next line is flagged; across paragraphs and
//! segments any copy in the window is; a line of mixed tabs and spaces is
//! flagged, indentation is not.

mod common;

use common::{dir_with_text, rules_in, run_in};

const A: &str = "The harbour office opened the new pier to visitors on Sunday.";
const B: &str = "Officials thanked the volunteers who cleared the paths after the storm.";
const C: &str = "Nobody was hurt when the old crane fell into the water.";

fn rules_for(name: &str, text: &str) -> Vec<String> {
    let dir = dir_with_text(&[(name, text)]);
    let (out, err, _) = run_in(
        dir.path(),
        &["check", ".", "--format", "csv", "--exit-zero"],
    );
    assert!(err.is_empty(), "{err}");
    rules_in(&out)
}

#[test]
fn sentences_restated_further_on_are_not_loops() {
    let repeated = |name: &str, text: String| {
        rules_for(name, &text)
            .iter()
            .filter(|r| *r == "repeated-sentence")
            .count()
    };
    // One sentence per line: the next line repeats, or two lines on.
    assert_eq!(repeated("near.txt", format!("{A}\n{A}\n{B}\n")), 1);
    assert_eq!(repeated("far.txt", format!("{A}\n{B}\n{A}\n")), 0);
    // Paragraphs (a pipeline translating overlapping chunks repeats across
    // them) and HTML segments: any distance within the window.
    assert_eq!(
        repeated("far.txt", format!("{A}\n\n{B}\n\n{C}\n\n{A}\n")),
        1
    );
    assert_eq!(
        repeated("far.html", format!("<p>{A}</p><p>{B}</p><p>{A}</p>")),
        1
    );
    // Two sentences looping over lines are a loop wherever they are.
    assert_eq!(
        repeated("loop.txt", format!("{A}\n{B}\n{C}\n{A}\n{B}\n")),
        1
    );
}

#[test]
fn a_line_of_mixed_tabs_and_spaces_is_flagged() {
    let only = |text: String| {
        rules_for("a.txt", &text)
            .iter()
            .filter(|r| *r == "whitespace-only-line")
            .count()
    };
    assert_eq!(only(format!("{A}\n \t \n{B}\n")), 1);
    assert_eq!(only("\t\t  \t  ".to_string()), 1);
    // Blank lines of one kind of whitespace, indentation and tabs in text.
    assert_eq!(only(format!("{A}\n    \n\t\t\n\t{B}\tend.\n  \t{C}\n")), 0);
}
