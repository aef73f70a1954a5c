//! Every input format on arbitrary bytes: the first byte picks the format,
//! the rest is the file. No panic, no hang; every finding lies inside the
//! file on char boundaries (of the valid UTF-8 it holds), findings sorted,
//! and `matched` equals the file's bytes at the span.
#![no_main]

use std::sync::OnceLock;

use libfuzzer_sys::fuzz_target;
use mtlint::document::{InputFormat, InputOptions};
use mtlint::engine::check_bytes_as;
use mtlint::report::locate_records;
use mtlint::Ruleset;

const FORMATS: [InputFormat; 9] = [
    InputFormat::Text,
    InputFormat::Markdown,
    InputFormat::Html,
    InputFormat::Jsonl,
    InputFormat::Csv,
    InputFormat::Tsv,
    InputFormat::Feed,
    InputFormat::Xliff,
    InputFormat::Po,
];

fn rules() -> &'static Ruleset {
    static RULES: OnceLock<Ruleset> = OnceLock::new();
    RULES.get_or_init(|| Ruleset::default_pack().expect("default pack loads"))
}

fuzz_target!(|input: &[u8]| {
    let Some((&pick, data)) = input.split_first() else {
        return;
    };
    let format = FORMATS[usize::from(pick) % FORMATS.len()];
    let options = InputOptions {
        source_field: Some("source".into()),
        source_column: Some("source".into()),
        ..InputOptions::default()
    };
    let (findings, _problems) = check_bytes_as(rules(), data, format, &options);
    for pair in findings.windows(2) {
        assert!(pair[0].0.sort_key() <= pair[1].0.sort_key(), "findings not sorted");
    }
    for (f, _) in &findings {
        assert!(f.span.start <= f.span.end && f.span.end <= data.len(), "{f:?}");
        if let Ok(text) = std::str::from_utf8(data) {
            assert!(text.is_char_boundary(f.span.start) && text.is_char_boundary(f.span.end), "{f:?}");
        }
    }
    for row in locate_records(data, findings) {
        let span = row.finding.span.clone();
        assert_eq!(row.matched, String::from_utf8_lossy(&data[span]));
    }
});
