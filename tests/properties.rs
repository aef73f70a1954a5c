//! Properties over arbitrary input: no panic, spans inside the text and on
//! char boundaries, findings sorted, and the same findings however often the
//! text is checked.

use std::sync::OnceLock;

use mtlint::{Ruleset, check_bytes};
use proptest::prelude::*;

fn rules() -> &'static Ruleset {
    static RULES: OnceLock<Ruleset> = OnceLock::new();
    RULES.get_or_init(|| Ruleset::default_pack().expect("default pack loads"))
}

/// Text made of what the rules care about: words, names, digits, every kind
/// of quote, bracket and punctuation, spaces and line breaks.
fn prose() -> impl Strategy<Value = String> {
    let piece = prop_oneof![
        Just("the".to_string()),
        Just("The".to_string()),
        Just("China".to_string()),
        Just("Mr".to_string()),
        Just("U.S.".to_string()),
        Just("and".to_string()),
        "[a-zA-Zéß]{1,8}",
        "[0-9]{1,4}",
        "[ .,;:!?\"“”‘’'()\\[\\]«»‹›„…—\\-]{1,3}",
        Just(" ".to_string()),
        Just("\n".to_string()),
        Just("\n\n".to_string()),
        Just(". . .".to_string()),
        Just("\u{FFFD}".to_string()),
        Just("&amp;".to_string()),
    ];
    prop::collection::vec(piece, 0..80).prop_map(|parts| parts.concat())
}

fn assert_well_formed(bytes: &[u8]) {
    let findings = check_bytes(rules(), bytes);
    let text = std::str::from_utf8(bytes).ok();
    let mut last: Option<(usize, String)> = None;
    for f in &findings {
        assert!(
            f.span.start <= f.span.end && f.span.end <= bytes.len(),
            "{} span {:?} outside {} bytes",
            f.rule.id,
            f.span,
            bytes.len()
        );
        if let Some(text) = text {
            assert!(
                text.is_char_boundary(f.span.start) && text.is_char_boundary(f.span.end),
                "{} span {:?} splits a char",
                f.rule.id,
                f.span
            );
            assert!(
                f.span.start < f.span.end,
                "{} reported an empty span",
                f.rule.id
            );
        }
        let key = (f.span.start, f.rule.id.clone());
        if let Some(prev) = &last {
            assert!(prev <= &key, "findings out of order");
        }
        last = Some(key);
        assert!(!f.message.is_empty());
    }
    let again = check_bytes(rules(), bytes);
    assert_eq!(
        findings.len(),
        again.len(),
        "a second check gave other findings"
    );
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(400))]

    #[test]
    fn prose_like_text_is_handled(text in prose()) {
        assert_well_formed(text.as_bytes());
    }

    #[test]
    fn any_unicode_text_is_handled(text in any::<String>()) {
        assert_well_formed(text.as_bytes());
    }

    #[test]
    fn any_bytes_are_handled(bytes in prop::collection::vec(any::<u8>(), 0..400)) {
        assert_well_formed(&bytes);
    }

    #[test]
    fn safe_fixes_silence_their_rule(text in prose()) {
        // Applying a rule's safe suggestions must not leave that rule firing
        // at the same place for the same reason forever: it converges.
        let findings = check_bytes(rules(), text.as_bytes());
        for f in findings.iter().filter(|f| f.rule.fix_safe && f.suggestion.is_some()) {
            let mut fixed = text.clone();
            fixed.replace_range(f.span.clone(), f.suggestion.as_deref().unwrap_or_default());
            let mut current = fixed;
            let mut rounds = 0;
            loop {
                let again: Vec<_> = check_bytes(rules(), current.as_bytes())
                    .into_iter()
                    .filter(|g| g.rule.id == f.rule.id && g.suggestion.is_some())
                    .collect();
                let Some(g) = again.first() else { break };
                current.replace_range(g.span.clone(), g.suggestion.as_deref().unwrap_or_default());
                rounds += 1;
                prop_assert!(rounds < 200, "fixes for {} do not converge on {:?}", f.rule.id, text);
            }
        }
    }
}
