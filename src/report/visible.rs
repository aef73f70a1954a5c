//! Text made safe to show on a terminal or in a CI log: the one escaping
//! every human-facing output uses (the text, summary and GitHub reports and
//! every message on standard error). Machine formats (CSV, JSON, SARIF) keep
//! the exact text and never call it.
//!
//! Checked files, their names, record ids and user rule files are input, and
//! input must not drive the reader's terminal: an ESC starts a control
//! sequence (clear the screen, set the window title, hide text), a line break
//! starts a line the reader (or GitHub Actions, which runs lines beginning
//! `::`) takes for mtlint's own, and bidirectional overrides reorder what is
//! shown ("Trojan Source"). Each such character is written as a visible
//! escape instead.

use std::borrow::Cow;
use std::fmt::Write as _;

/// Whether `c` is shown as an escape: C0 controls (tab, line feed and
/// carriage return included), DEL, C1 controls, the bidirectional
/// embeddings, overrides and isolates (U+202A–U+202E, U+2066–U+2069), and
/// the Unicode line and paragraph separators (U+2028, U+2029). The
/// bidirectional marks (U+200E, U+200F, U+061C) are left alone: right-to-left
/// text uses them, and they reorder nothing beyond the neutral characters
/// next to them.
pub fn is_hidden(c: char) -> bool {
    matches!(c,
        '\0'..='\x1f' | '\x7f'..='\u{9f}'
        | '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}'
        | '\u{2028}' | '\u{2029}')
}

/// Appends `c` to `out`, as a visible escape when [`is_hidden`]: `\t`, `\n`
/// and `\r` for those three, `\xHH` for other C0 controls and DEL, `\u{HHHH}`
/// for the rest (lower-case hex, as Rust writes them).
pub fn push_visible(out: &mut String, c: char) {
    match c {
        '\t' => out.push_str("\\t"),
        '\n' => out.push_str("\\n"),
        '\r' => out.push_str("\\r"),
        '\0'..='\x1f' | '\x7f' => {
            let _ = write!(out, "\\x{:02x}", u32::from(c));
        }
        c if is_hidden(c) => {
            let _ = write!(out, "\\u{{{:x}}}", u32::from(c));
        }
        c => out.push(c),
    }
}

/// `s` with every character [`is_hidden`] written as a visible escape (see
/// [`push_visible`]); borrowed when there is none. The result holds no line
/// break, so it never starts a new line of output.
pub fn visible(s: &str) -> Cow<'_, str> {
    let Some(first) = s.find(is_hidden) else {
        return Cow::Borrowed(s);
    };
    let mut out = String::with_capacity(s.len() + 8);
    out.push_str(&s[..first]);
    for c in s[first..].chars() {
        push_visible(&mut out, c);
    }
    Cow::Owned(out)
}

/// [`visible`] over anything that displays (an error, `format_args!`).
pub fn visible_display(message: impl std::fmt::Display) -> String {
    visible(&message.to_string()).into_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn controls_are_shown_not_sent() {
        assert_eq!(visible("a\x1b[2Jb"), "a\\x1b[2Jb");
        assert_eq!(visible("x\n::error file=a::y"), "x\\n::error file=a::y");
        assert_eq!(visible("\r\t\0\x07\x7f"), "\\r\\t\\x00\\x07\\x7f");
        assert_eq!(visible("\u{9b}31m\u{85}"), "\\u{9b}31m\\u{85}");
        assert_eq!(
            visible("a\u{202e}b\u{2066}c\u{2028}"),
            "a\\u{202e}b\\u{2066}c\\u{2028}"
        );
    }

    #[test]
    fn ordinary_text_is_borrowed_unchanged() {
        for s in [
            "",
            "plain",
            "é “quoted” 日本語 \u{200f}עברית",
            "C:\\dir\\x1b",
        ] {
            assert!(matches!(visible(s), Cow::Borrowed(t) if t == s), "{s:?}");
        }
    }

    proptest::proptest! {
        /// Whatever the input, the output holds no hidden character, and text
        /// without one comes back as it was.
        #[test]
        fn nothing_hidden_survives(s in "\\PC*|[\\x00-\\x20\\x7f-\\u{a0}\\u{2028}-\\u{206f}a]*") {
            let shown = visible(&s);
            proptest::prop_assert!(!shown.contains(is_hidden));
            if !s.contains(is_hidden) {
                proptest::prop_assert_eq!(shown.as_ref(), s.as_str());
            }
        }
    }
}
