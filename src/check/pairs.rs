//! `pairs`: quotes and brackets that open and never close, or close without
//! opening, within a paragraph.
//!
//! ```toml
//! pairs = [["“", "”"], ["‘", "’"], ['"', '"'], ["«", "»"]]
//! ```
//! An unmatched opener is reported at the opener, an unmatched closer at the
//! closer. Apostrophes are not quotes (China’s, the ’90s, rock ’n’ roll,
//! the workers’ union). A quotation may run over several paragraphs in the
//! news convention: a paragraph that ends inside a quote followed by one that
//! starts with the same opening quote. Lines inside a paragraph do not end a
//! quotation (hard-wrapped text, one sentence per line).
//!
//! Placeholders: `{char}`, `{partner}` (the missing counterpart), `{side}`
//! (`opening` or `closing`), `{match}`.

use std::sync::Arc;

use serde::Deserialize;
use toml::Spanned;

use super::byteset::ByteSet;
use super::{Check, Output, RuleContext, char_at, char_before};
use crate::document::{Document, Segment};
use crate::finding::{Finding, RuleMeta};
use crate::ruleset::RuleError;

pub(crate) const KEYS: &[&str] = &["pairs"];

#[derive(Deserialize)]
struct Spec {
    pairs: Spanned<Vec<(char, char)>>,
}

struct Pairs {
    pairs: Vec<(char, char)>,
    /// First UTF-8 bytes of every pair char: the scan jumps from one to the
    /// next without looking at the bytes in between.
    first_bytes: ByteSet,
    out: Output,
}

pub(crate) fn build(ctx: &RuleContext<'_>) -> Result<Box<dyn Check>, RuleError> {
    let spec: Spec = ctx.spec()?;
    if spec.pairs.get_ref().is_empty() {
        return Err(ctx.error(
            Some(spec.pairs.span()),
            "`pairs` must list at least one [open, close] pair",
        ));
    }
    let out = ctx.output(
        |v| matches!(v, "match" | "char" | "partner" | "side"),
        "{match}, {char}, {partner}, {side}",
    )?;
    let pairs = spec.pairs.into_inner();
    let first_bytes = ByteSet::new(pairs.iter().flat_map(|&(o, c)| {
        let mut buf = [0u8; 4];
        [o, c].map(|ch| ch.encode_utf8(&mut buf).as_bytes()[0])
    }));
    Ok(Box::new(Pairs {
        pairs,
        first_bytes,
        out,
    }))
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Role {
    Open(usize),
    Close(usize),
    /// A closing quote that may also be an apostrophe: it closes only an open quote.
    CloseOrApostrophe(usize),
}

#[derive(Clone, Copy, Debug)]
struct Open {
    pair: usize,
    at: usize,
    line_start: usize,
}

fn is_apostrophe_char(c: char) -> bool {
    matches!(c, '’' | '\'' | 'ʼ')
}

fn is_opening_context(c: Option<char>) -> bool {
    c.is_none_or(|c| {
        c.is_whitespace() || matches!(c, '(' | '[' | '{' | '—' | '–' | '-' | '/' | '“' | '‘' | '«')
    })
}

fn is_closing_context(c: Option<char>) -> bool {
    c.is_none_or(|c| {
        c.is_whitespace()
            || matches!(
                c,
                '.' | ','
                    | ';'
                    | ':'
                    | '!'
                    | '?'
                    | ')'
                    | ']'
                    | '}'
                    | '—'
                    | '–'
                    | '-'
                    | '…'
                    | '”'
                    | '’'
                    | '»'
            )
    })
}

impl Pairs {
    /// What the char at `i` does, given the openers now on `stack`. A char
    /// may belong to several pairs (`"` closes `“` when mixed styles are
    /// listed; `»` opens `»…«` and closes `«…»`): it closes the pair whose
    /// opener is innermost on the stack, if any, and opens otherwise.
    fn role(&self, text: &str, i: usize, c: char, stack: &[Open]) -> Option<Role> {
        let prev = char_before(text, i);
        let next = char_at(text, i + c.len_utf8());
        let alnum = |c: Option<char>| c.is_some_and(char::is_alphanumeric);
        let mut symmetric = None;
        let mut opens = None;
        // The first pair `c` closes, and the one whose opener is innermost
        // on the stack (stack index, pair).
        let mut first_close = None;
        let mut closable: Option<(usize, usize)> = None;
        for (p, &(open, close)) in self.pairs.iter().enumerate() {
            if open == close && c == open {
                symmetric = Some(p);
            } else if c == open {
                opens = opens.or(Some(p));
                continue;
            } else if c == close {
                first_close = first_close.or(Some(p));
            } else {
                continue;
            }
            if let Some(k) = self.innermost(stack, p) {
                closable = closable.max(Some((k, p)));
            }
        }
        if symmetric.is_none() && opens.is_none() && first_close.is_none() {
            return None;
        }
        let closable = closable.map(|(_, p)| p);
        if is_apostrophe_char(c) || c == '‘' {
            // Inside a word (don’t), before a digit (’90s), or ’n’.
            let n_apostrophe = (next == Some('n')
                && text[i + c.len_utf8()..]
                    .chars()
                    .nth(1)
                    .is_some_and(is_apostrophe_char))
                || (prev == Some('n') && char_before(text, i - 1).is_some_and(is_apostrophe_char));
            if (alnum(prev) && alnum(next))
                || next.is_some_and(|n| n.is_ascii_digit())
                || n_apostrophe
            {
                return None;
            }
        }
        if !is_quote(c) {
            // Smileys, and brackets quoted as characters: :( :-) `(`
            let smiley = matches!(prev, Some(':' | ';' | '='))
                || (prev == Some('-')
                    && char_before(text, i - 1).is_some_and(|p| matches!(p, ':' | ';')));
            let quoted = prev.is_some_and(|p| matches!(p, '`' | '"' | '\'' | '‘' | '“'))
                && next.is_some_and(|n| matches!(n, '`' | '"' | '\'' | '’' | '”'));
            if smiley || quoted {
                return None;
            }
        }
        if let Some(p) = symmetric {
            let opening = is_opening_context(prev) && !next.is_none_or(char::is_whitespace);
            let closing = is_closing_context(next) && !prev.is_none_or(char::is_whitespace);
            return match (opening, closing) {
                (true, false) => Some(Role::Open(p)),
                (false, true) => match closable {
                    Some(q) => Some(Role::Close(q)),
                    // 20" is an inch mark, not a quote.
                    None if prev.is_some_and(|p| p.is_ascii_digit()) => None,
                    None if is_apostrophe_char(c) => Some(Role::CloseOrApostrophe(p)),
                    None => Some(Role::Close(p)),
                },
                _ => match closable {
                    Some(q) => Some(Role::Close(q)),
                    None if is_apostrophe_char(c) => None,
                    None => Some(Role::Open(p)),
                },
            };
        }
        if let Some(q) = closable {
            return Some(Role::Close(q));
        }
        if let Some(p) = opens {
            return Some(Role::Open(p));
        }
        let p = first_close?;
        if is_apostrophe_char(c) {
            return Some(Role::CloseOrApostrophe(p));
        }
        // "1)", "a)", "iv)" list and section markers close nothing.
        let word_start = text[..i]
            .char_indices()
            .rev()
            .find(|&(_, ch)| !ch.is_alphanumeric())
            .map_or(0, |(k, ch)| k + ch.len_utf8());
        let word = &text[word_start..i];
        let marker = !is_quote(c)
            && !word.is_empty()
            && word.chars().count() <= 3
            && char_before(text, word_start).is_none_or(|b| b.is_whitespace());
        if marker {
            return None;
        }
        Some(Role::Close(p))
    }

    /// Stack index of the innermost opener that pair `p` can close (same opening char).
    fn innermost(&self, stack: &[Open], p: usize) -> Option<usize> {
        let opener = self.pairs[p].0;
        stack.iter().rposition(|o| self.pairs[o.pair].0 == opener)
    }

    fn report(
        &self,
        seg: &Segment<'_>,
        at: usize,
        pair: usize,
        opening: bool,
        out: &mut Vec<Finding>,
    ) {
        let text = seg.text();
        let (open, close) = self.pairs[pair];
        let (c, partner) = if opening {
            (open, close)
        } else {
            (close, open)
        };
        let range = at..at + c.len_utf8();
        let (c, partner) = (c.to_string(), partner.to_string());
        let side = if opening { "opening" } else { "closing" };
        let matched = &text[range.clone()];
        out.push(self.out.finding(seg, range, |v| match v {
            "char" => Some(c.as_str()),
            "partner" => Some(partner.as_str()),
            "side" => Some(side),
            "match" => Some(matched),
            _ => None,
        }));
    }

    fn segment(&self, seg: &Segment<'_>, out: &mut Vec<Finding>) {
        let text = seg.text();
        let mut carried: Vec<Open> = Vec::new();
        for para in seg.paragraphs() {
            let mut stack: Vec<Open> = Vec::new();
            let bytes = text.as_bytes();
            let mut i = para.start;
            // The start of the line of the last opener, and how far the
            // search for it has gone: openers come in order, so each byte is
            // searched once however long the line (a line of quotes was
            // quadratic).
            let (mut line_start, mut searched) = (para.start, para.start);
            while let Some(k) = self.first_bytes.find(&bytes[i..para.end]) {
                let at = i + k;
                let Some(c) = char_at(text, at) else { break };
                i = at + c.len_utf8();
                let Some(role) = self.role(text, at, c, &stack) else {
                    continue;
                };
                match role {
                    Role::Open(p) => {
                        if let Some(n) = memchr::memrchr(b'\n', &bytes[searched..at]) {
                            line_start = searched + n + 1;
                        }
                        searched = at;
                        let at_line_start = text[line_start..at].trim_end().is_empty();
                        if at_line_start {
                            // The news convention: a new paragraph or line
                            // reopening the quote that the previous one left open.
                            let opener = self.pairs[p].0;
                            if at == para.start {
                                carried.retain(|o| self.pairs[o.pair].0 != opener);
                            }
                            stack.retain(|o| {
                                self.pairs[o.pair].0 != opener || o.line_start == line_start
                            });
                        }
                        stack.push(Open {
                            pair: p,
                            at,
                            line_start,
                        });
                    }
                    Role::Close(p) | Role::CloseOrApostrophe(p) => {
                        match self.innermost(&stack, p) {
                            Some(k) => {
                                for o in stack.drain(k..).skip(1) {
                                    self.report(seg, o.at, o.pair, true, out);
                                }
                            }
                            None if matches!(role, Role::Close(_)) => {
                                self.report(seg, at, p, false, out)
                            }
                            None => {}
                        }
                    }
                }
            }
            for o in carried.drain(..) {
                self.report(seg, o.at, o.pair, true, out);
            }
            // Quotes left open may continue in the next paragraph; brackets may not.
            for o in stack {
                let (open, close) = self.pairs[o.pair];
                if is_quote(open) || is_quote(close) {
                    carried.push(o);
                } else {
                    self.report(seg, o.at, o.pair, true, out);
                }
            }
        }
        for o in carried {
            self.report(seg, o.at, o.pair, true, out);
        }
    }
}

fn is_quote(c: char) -> bool {
    !matches!(c, '(' | ')' | '[' | ']' | '{' | '}' | '<' | '>')
}

impl Check for Pairs {
    fn meta(&self) -> &Arc<RuleMeta> {
        &self.out.meta
    }

    fn check(&self, doc: &Document<'_>, out: &mut Vec<Finding>) {
        for seg in &doc.segments {
            self.segment(seg, out);
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::check::testing::{matched, run};

    const QUOTES: &str = r#"
id = "t"
kind = "pairs"
category = "quotes"
severity = "warning"
message = "unpaired {side} {char} (no {partner})"
summary = "s"
why = "w"
pairs = [["“", "”"], ["‘", "’"], ['"', '"'], ["«", "»"], ["»", "«"], ["“", '"'], ['"', "”"]]
"#;

    const BRACKETS: &str = r#"
id = "t"
kind = "pairs"
category = "brackets"
severity = "warning"
message = "unpaired {side} {char}"
summary = "s"
why = "w"
pairs = [["(", ")"], ["[", "]"]]
"#;

    #[test]
    fn balanced_quotes_are_silent() {
        assert!(matched(QUOTES, "“We agreed,” she said. He said \"yes\" and ‘no’.").is_empty());
        assert!(matched(QUOTES, "“He said ‘stop’ twice,” she said.").is_empty());
    }

    #[test]
    fn unmatched_opener_and_closer() {
        let found = run(
            QUOTES,
            "He said “we will go. Then left.\n\nShe replied no” and left.",
        );
        assert_eq!(found.len(), 2);
        assert_eq!(
            found[0],
            ("“".into(), "unpaired opening “ (no ”)".into(), None)
        );
        assert_eq!(found[1].0, "”");
        assert!(found[1].1.starts_with("unpaired closing"));
    }

    #[test]
    fn apostrophes_are_not_quotes() {
        for text in [
            "China’s economy grew in the ’90s.",
            "rock ’n’ roll and the workers’ union",
            "don't won't it's the '90s",
            "the players’ union said ‘no’ today",
        ] {
            assert!(matched(QUOTES, text).is_empty(), "{text}");
        }
    }

    #[test]
    fn multi_paragraph_quotation_is_the_convention() {
        let text = "“We will rebuild the bridge.\n\n“Then we will build the road,” he said.";
        assert!(matched(QUOTES, text).is_empty());
        let text = "\"We will rebuild.\n\n\"Then the road,\" he said.";
        assert!(matched(QUOTES, text).is_empty());
        // But a quote that is never picked up again is unclosed.
        assert_eq!(
            matched(QUOTES, "“We will rebuild.\n\nThen the road."),
            vec!["“"]
        );
    }

    #[test]
    fn quotations_may_span_lines_within_a_paragraph() {
        assert!(matched(QUOTES, "“We are ready.\nWe will act,” she said.").is_empty());
        assert!(
            matched(
                QUOTES,
                "One sentence per line.\n“First part.\n“Second part,” he said."
            )
            .is_empty()
        );
    }

    #[test]
    fn straight_quote_direction_from_context() {
        assert_eq!(
            matched(QUOTES, "He called it \"historic and left."),
            vec!["\""]
        );
        assert_eq!(
            matched(QUOTES, "He called it historic\" and left."),
            vec!["\""]
        );
    }

    #[test]
    fn brackets() {
        assert_eq!(
            matched(BRACKETS, "The plan (announced Monday was popular."),
            vec!["("]
        );
        assert_eq!(matched(BRACKETS, "The plan announced) Monday."), vec![")"]);
        assert!(matched(BRACKETS, "The plan (announced [on] Monday) was popular.").is_empty());
        assert!(matched(BRACKETS, "Options:\n1) leave\na) stay :)").is_empty());
        // A bracket cannot run over into the next paragraph.
        assert_eq!(matched(BRACKETS, "Open (here\n\n(and) there"), vec!["("]);
    }

    #[test]
    fn peers_of_quotes_that_are_not_quotes() {
        for text in [
            "The screen is 20\" wide.",
            "\"02\" sorts before \"10\" at a size of 10\".",
            "This is »correct« and «this» too.",
            "Mixed \"styles” still pair.",
        ] {
            assert!(
                matched(QUOTES, text).is_empty(),
                "{text}: {:?}",
                matched(QUOTES, text)
            );
        }
        for text in [
            "A smiley :( and :-) here",
            "We discussed this in Chapter 1) and section iv).",
            "`(` is a bracket.",
        ] {
            assert!(
                matched(BRACKETS, text).is_empty(),
                "{text}: {:?}",
                matched(BRACKETS, text)
            );
        }
    }

    #[test]
    fn nested_mismatch_reports_the_inner_opener() {
        assert_eq!(matched(QUOTES, "“He said ‘stop now,” she said."), vec!["‘"]);
    }
}
