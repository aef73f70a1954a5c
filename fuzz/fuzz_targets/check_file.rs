//! A whole check of arbitrary bytes with the default pack, as `mtlint check`
//! does it (document, every rule, positions): no panic, spans inside the file
//! and on char boundaries, `matched` equal to the file's bytes, rows sorted.
#![no_main]

use std::sync::OnceLock;

use libfuzzer_sys::fuzz_target;
use mtlint::report::locate;
use mtlint::{Ruleset, check_bytes};

fn rules() -> &'static Ruleset {
    static RULES: OnceLock<Ruleset> = OnceLock::new();
    RULES.get_or_init(|| Ruleset::default_pack().expect("default pack loads"))
}

fuzz_target!(|data: &[u8]| {
    let findings = check_bytes(rules(), data);
    let text = std::str::from_utf8(data).ok();
    for pair in findings.windows(2) {
        assert!(
            pair[0].sort_key() <= pair[1].sort_key(),
            "findings not sorted"
        );
    }
    for f in &findings {
        assert!(
            f.span.start <= f.span.end && f.span.end <= data.len(),
            "{f:?}"
        );
        if let Some(text) = text {
            assert!(text.is_char_boundary(f.span.start) && text.is_char_boundary(f.span.end));
        }
    }
    for row in locate(data, findings) {
        let span = row.finding.span.clone();
        assert_eq!(row.matched, String::from_utf8_lossy(&data[span]));
    }
});
