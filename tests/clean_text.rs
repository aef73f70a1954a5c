//! Precision first: professionally edited news prose (our own writing, full
//! of abbreviations, quotations, apostrophes and names that naive checks trip
//! on) yields no findings at all.

mod common;

use common::{assert_no_findings, mtlint};

#[test]
fn clean_news_prose_has_no_findings() {
    let out = mtlint()
        .args([
            "check",
            "tests/fixtures/clean",
            "corpus/chip-plant-kumamoto.txt",
            "corpus/library-reopening-leeds.txt",
            "corpus/flood-barriers-dresden.txt",
        ])
        .output()
        .expect("runs");
    assert_no_findings(&out);
}

#[test]
fn the_clean_fixtures_are_substantial() {
    let words: usize = std::fs::read_dir("tests/fixtures/clean")
        .expect("fixtures exist")
        .map(|e| {
            std::fs::read_to_string(e.expect("entry").path())
                .expect("readable")
                .split_whitespace()
                .count()
        })
        .sum();
    assert!(words >= 3000, "only {words} words of clean text");
}

/// Each language's clean fixture (our own news prose, with that language's
/// quotes, ordinals, abbreviations and spacing) yields no findings, with
/// the language detected from the text alone.
#[test]
fn clean_prose_in_every_language_has_no_findings() {
    let out = mtlint()
        .args(["check", "tests/fixtures/clean-lang"])
        .output()
        .expect("runs");
    assert_no_findings(&out);
}

#[test]
fn the_clean_fixtures_cover_every_pack() {
    for lang in ["de", "fr", "es", "ru", "cs", "zh", "ja"] {
        let text = std::fs::read_to_string(format!("tests/fixtures/clean-lang/{lang}.txt"))
            .expect("a fixture per language");
        let size = if matches!(lang, "zh" | "ja") {
            text.chars().filter(|c| !c.is_whitespace()).count() / 2
        } else {
            text.split_whitespace().count()
        };
        assert!(
            size >= 190,
            "only {size} words (or characters / 2) of {lang}"
        );
    }
}
