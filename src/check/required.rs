//! The literal every match of a regex must contain, found from its parsed
//! form: a pattern rule searches only the segments that hold it. Most rules
//! flag rare shapes, and a required literal that is rarer than the bytes a
//! match starts with (spaced-hyphen's " - ", against "self" or "anti" at its
//! starts) rules out most segments with one `memmem` pass.
//!
//! Knows nothing of rules or segments: it reads a pattern.

use regex_syntax::hir::{Hir, HirKind};

/// Required literals shorter than this are not worth a pass of their own.
const MIN_LEN: usize = 2;

/// The longest literal of at least [`MIN_LEN`] bytes that every match of
/// the parsed pattern `hir` contains, if it has one.
pub(crate) fn literal(hir: &Hir) -> Option<Box<[u8]>> {
    required(hir)
        .into_iter()
        .filter(|l| l.len() >= MIN_LEN)
        .max_by_key(Vec::len)
        .map(Vec::into_boxed_slice)
}

/// Literals each of which every match of `hir` contains (not necessarily
/// all there are: what is found without expanding classes).
fn required(hir: &Hir) -> Vec<Vec<u8>> {
    match hir.kind() {
        HirKind::Literal(literal) => vec![literal.0.to_vec()],
        HirKind::Empty | HirKind::Class(_) | HirKind::Look(_) => Vec::new(),
        HirKind::Repetition(r) if r.min > 0 => required(&r.sub),
        HirKind::Repetition(_) => Vec::new(),
        HirKind::Capture(c) => required(&c.sub),
        HirKind::Concat(parts) => {
            let mut out = Vec::new();
            // Literals side by side are one longer literal.
            let mut run: Vec<u8> = Vec::new();
            for part in parts {
                if let HirKind::Literal(literal) = part.kind() {
                    run.extend_from_slice(&literal.0);
                    continue;
                }
                if !run.is_empty() {
                    out.push(std::mem::take(&mut run));
                }
                out.extend(required(part));
            }
            if !run.is_empty() {
                out.push(run);
            }
            out
        }
        HirKind::Alternation(branches) => {
            // What the first branch requires, where every other branch
            // requires it too, or a literal that holds it.
            let others: Vec<Vec<Vec<u8>>> = branches[1..].iter().map(required).collect();
            required(&branches[0])
                .into_iter()
                .filter(|l| {
                    others
                        .iter()
                        .all(|b| b.iter().any(|m| memchr::memmem::find(m, l).is_some()))
                })
                .collect()
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::check::parse_pattern;

    fn literal(pattern: &str, case_insensitive: bool) -> Option<Box<[u8]>> {
        super::literal(&parse_pattern(pattern, case_insensitive).unwrap())
    }

    fn found(pattern: &str) -> Option<String> {
        literal(pattern, false).map(|l| String::from_utf8(l.into_vec()).unwrap())
    }

    #[test]
    fn literals_every_match_holds() {
        assert_eq!(
            found(r"(?-u:\b)(?:[Ss]elf|co)(?P<a> - )[a-z]|(?P<b> - )(?:based|led)"),
            Some(" - ".into())
        );
        assert_eq!(found(r"\d+ percent of"), Some(" percent of".into()));
        assert_eq!(found(r"(?:foo|barfoo)x"), Some("foo".into()));
        assert_eq!(found(r"(?:ab)+c"), Some("ab".into()));
        // Case-insensitive letters are classes; other bytes stay literal.
        assert_eq!(
            literal(r"[a-z]+ -- [a-z]+", true).as_deref(),
            Some(&b" -- "[..])
        );
    }

    #[test]
    fn no_literal_where_a_match_may_lack_it() {
        for pattern in [
            r"foo|bar",
            r"(?:foo)?bar?",
            r"(?:foo)*x",
            r"[.!?][A-Z]",
            r"(?i)self",
            r"ab|abc|b",
            r"",
        ] {
            let got = found(pattern);
            // Any literal found must be in every match: in each of these
            // texts that the pattern matches whole.
            for text in ["bar", "ba", "foobar", "x", ".A", "SELF", "ab", "b", ""] {
                let whole = regex::Regex::new(&format!("^(?:{pattern})$")).unwrap();
                if whole.is_match(text) {
                    if let Some(l) = &got {
                        assert!(
                            text.contains(l.as_str()),
                            "{pattern:?}: {l:?} not in {text:?}"
                        );
                    }
                }
            }
        }
        assert_eq!(found(r"foo|bar"), None);
        assert_eq!(found(r"(?:foo)?x"), None);
        assert_eq!(found(r"a-b|c"), None);
    }
}
