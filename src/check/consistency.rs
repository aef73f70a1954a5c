//! `consistency`: sets of variant forms of which one document should use
//! one ("Mr." / "Mr", "U.S." / "US"). The form used most in the document is
//! taken as its style (ties: the first used); occurrences of the others are
//! flagged.
//!
//! ```toml
//! [[group]]
//! name = "Mr"                  # optional; defaults to the first variant
//! variants = ["Mr.", "Mr"]     # literal, case-sensitive, whole-word
//! [[exception]]                # as for `pattern`, e.g. after = '^\$' for US$
//! ```
//! The longest variant wins where several match at one place, so "Mr" never
//! matches inside "Mr.". Text inside quotation marks on its line is left
//! out, neither counted nor flagged: quoted speech keeps its own spelling.
//!
//! `scope = 10000` (bytes, the default): a file longer than twice the scope is
//! taken for a dump of many articles, whose styles may differ; there a form
//! is flagged only where the form preferred within `scope` bytes on either
//! side surrounds it.
//!
//! Placeholders: `{match}`, `{preferred}`, `{group}`, `{count}` (uses of the
//! preferred form), `{times}` (the same in words: "once", "twice", "3 times").

use std::sync::Arc;

use serde::Deserialize;
use toml::Spanned;

use super::exception::{ExceptionSpec, Exceptions};
use super::literals::{self, LiteralCheck, LiteralHit, Literals, Matching};
use super::{Check, Output, RuleContext, char_at, char_before};
use crate::diagnostics::RuleError;
use crate::document::Document;
use crate::finding::{Finding, RuleMeta};

pub(crate) const KEYS: &[&str] = &["group", "exception", "scope"];

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct GroupSpec {
    name: Option<String>,
    variants: Spanned<Vec<String>>,
}

#[derive(Deserialize)]
struct Spec {
    #[serde(rename = "group")]
    groups: Spanned<Vec<GroupSpec>>,
    #[serde(default, rename = "exception")]
    exceptions: Vec<ExceptionSpec>,
    scope: Option<usize>,
}

struct Consistency {
    /// For each literal: (group index, variant text).
    variants: Vec<(usize, String)>,
    /// The variant texts alone, in that order (the shared scan's literals).
    literals: Literals,
    group_names: Vec<String>,
    exceptions: Exceptions,
    scope: usize,
    out: Output,
}

/// Variants are case-sensitive and whole words.
const MATCHING: Matching = Matching {
    case_sensitive: true,
    whole_word: true,
};

pub(crate) fn build(ctx: &RuleContext<'_>) -> Result<Box<dyn Check>, RuleError> {
    let spec: Spec = ctx.spec()?;
    if spec.groups.get_ref().is_empty() {
        return Err(ctx.error(Some(spec.groups.span()), "at least one [[group]] is needed"));
    }
    let mut variants = Vec::new();
    let mut group_names = Vec::new();
    for (g, group) in spec.groups.get_ref().iter().enumerate() {
        let list = group.variants.get_ref();
        if list.len() < 2 || list.iter().any(|v| v.trim().is_empty()) {
            return Err(ctx.error(
                Some(group.variants.span()),
                "a group needs two or more non-empty variants",
            ));
        }
        group_names.push(group.name.clone().unwrap_or_else(|| list[0].clone()));
        variants.extend(list.iter().map(|v| (g, v.clone())));
    }
    let literals: Vec<String> = variants.iter().map(|(_, v)| v.clone()).collect();
    let literals = Literals::new(literals, MATCHING).map_err(|e| {
        ctx.error(
            Some(spec.groups.span()),
            format!("cannot compile variants: {e}"),
        )
    })?;
    let exceptions = Exceptions::build(ctx, &spec.exceptions, false)?;
    let out = ctx.output(
        |v| matches!(v, "match" | "preferred" | "group" | "count" | "times"),
        "{match}, {preferred}, {group}, {count}, {times}",
    )?;
    let scope = spec.scope.unwrap_or(10_000).max(1);
    Ok(Box::new(Consistency {
        variants,
        literals,
        group_names,
        exceptions,
        scope,
        out,
    }))
}

impl Check for Consistency {
    fn meta(&self) -> &Arc<RuleMeta> {
        &self.out.meta
    }

    fn literal_check(&self) -> Option<&dyn LiteralCheck> {
        Some(self)
    }
}

impl LiteralCheck for Consistency {
    fn literals(&self) -> &Literals {
        &self.literals
    }

    fn check_hits(&self, doc: &Document<'_>, hits: &[LiteralHit], out: &mut Vec<Finding>) {
        // Variants are case-sensitive and whole words; the longest wins where
        // several match at one place ("Mr." over "Mr").
        let word = |c: Option<char>| c.is_some_and(char::is_alphanumeric);
        let accepted = literals::leftmost_longest(hits, |h| {
            let text = doc.segments[h.segment].text();
            let v = &self.variants[h.literal].1;
            let starts_word = v.chars().next().is_some_and(char::is_alphanumeric);
            let ends_word = v.chars().next_back().is_some_and(char::is_alphanumeric);
            let glued = (starts_word && word(char_before(text, h.start)))
                || (ends_word && word(char_at(text, h.end)));
            &text[h.start..h.end] == v
                && !glued
                && !self.exceptions.veto(text, h.start, h.end)
                && !in_quotation(text, h.start, h.end)
        });
        let found: Vec<Occurrence> = accepted
            .iter()
            .map(|h| Occurrence {
                at: doc.segments[h.segment].original(h.start..h.end).start,
                segment: h.segment,
                range: h.start..h.end,
                variant: h.literal,
            })
            .collect();
        let length = doc
            .segments
            .last()
            .map_or(0, |s| s.original(0..s.text().len()).end);
        let whole = length <= 2 * self.scope;
        for (g, name) in self.group_names.iter().enumerate() {
            let in_group: Vec<&Occurrence> = found
                .iter()
                .filter(|o| self.variants[o.variant].0 == g)
                .collect();
            if in_group.iter().all(|o| o.variant == in_group[0].variant) {
                continue;
            }
            for o in &in_group {
                let window: &[&Occurrence] = if whole {
                    &in_group
                } else {
                    let lo = in_group.partition_point(|x| x.at + self.scope < o.at);
                    let hi = in_group.partition_point(|x| x.at <= o.at + self.scope);
                    &in_group[lo..hi]
                };
                let (preferred, count) = preferred(window);
                if o.variant == preferred {
                    continue;
                }
                // In a long dump, only a form that the preferred one surrounds.
                let surrounded = window.iter().any(|x| x.at < o.at && x.variant == preferred)
                    && window.iter().any(|x| x.at > o.at && x.variant == preferred);
                if !whole && !surrounded {
                    continue;
                }
                let seg = &doc.segments[o.segment];
                let matched = &seg.text()[o.range.clone()];
                let preferred_text = self.variants[preferred].1.as_str();
                let times = times(count);
                let count = count.to_string();
                out.push(self.out.finding(seg, o.range.clone(), |var| match var {
                    "match" => Some(matched),
                    "preferred" => Some(preferred_text),
                    "group" => Some(name.as_str()),
                    "count" => Some(count.as_str()),
                    "times" => Some(times.as_str()),
                    _ => None,
                }));
            }
        }
    }
}

/// How many times, in words: "once", "twice", "3 times" (never "1 times").
fn times(n: usize) -> String {
    match n {
        1 => "once".into(),
        2 => "twice".into(),
        n => format!("{n} times"),
    }
}

/// Whether `text[start..end]` lies inside quotation marks that open and
/// close on its line: “…”, «…», or straight quotes (an odd number before
/// it on the line, one after).
fn in_quotation(text: &str, start: usize, end: usize) -> bool {
    let bytes = text.as_bytes();
    let line_start = memchr::memrchr(b'\n', &bytes[..start]).map_or(0, |i| i + 1);
    let line_end = memchr::memchr(b'\n', &bytes[end..]).map_or(text.len(), |i| end + i);
    let (before, after) = (&text[line_start..start], &text[end..line_end]);
    let enclosed = |open: char, close: char| {
        let opened = match (before.rfind(open), before.rfind(close)) {
            (Some(o), Some(c)) => o > c,
            (Some(_), None) => true,
            _ => false,
        };
        opened
            && match (after.find(close), after.find(open)) {
                (Some(c), Some(o)) => c < o,
                (Some(_), None) => true,
                _ => false,
            }
    };
    let straight = before.bytes().filter(|&b| b == b'"').count() % 2 == 1 && after.contains('"');
    straight || enclosed('“', '”') || enclosed('«', '»')
}

struct Occurrence {
    at: usize,
    segment: usize,
    range: std::ops::Range<usize>,
    variant: usize,
}

/// The most used variant among `occurrences` and its count; ties go to the
/// variant used first.
fn preferred(occurrences: &[&Occurrence]) -> (usize, usize) {
    let mut counts: Vec<(usize, usize)> = Vec::new();
    for o in occurrences {
        match counts.iter_mut().find(|(v, _)| *v == o.variant) {
            Some((_, n)) => *n += 1,
            None => counts.push((o.variant, 1)),
        }
    }
    counts
        .iter()
        .fold(counts[0], |best, &c| if c.1 > best.1 { c } else { best })
}

#[cfg(test)]
mod tests {
    use crate::check::testing::{matched, run};

    const RULE: &str = r#"
id = "t"
kind = "consistency"
category = "consistency"
severity = "info"
message = "“{match}” here, but “{preferred}” {count} times elsewhere"
summary = "s"
why = "w"
[fix]
replacement = "{preferred}"
[[group]]
variants = ["Mr.", "Mr"]
[[group]]
variants = ["U.S.", "US"]
[[exception]]
after = '^\$'
"#;

    #[test]
    fn flags_the_minority_form() {
        let found = run(RULE, "Mr. Blinken met Mr. Wang. Later Mr Blinken left.");
        assert_eq!(
            found,
            vec![(
                "Mr".into(),
                "“Mr” here, but “Mr.” 2 times elsewhere".into(),
                Some("Mr.".into())
            )]
        );
    }

    #[test]
    fn ties_go_to_the_first_form_used() {
        assert_eq!(matched(RULE, "The US and the U.S."), vec!["U.S."]);
    }

    /// `{times}` says it in words: a tie of one use each reads "once", not
    /// "1 times".
    #[test]
    fn times_in_words() {
        let rule = RULE.replace("{count} times", "({times})");
        let found = run(&rule, "The US and the U.S.");
        assert_eq!(found[0].1, "“U.S.” here, but “US” (once) elsewhere");
        let found = run(&rule, "Mr. A met Mr. B. Mr C left.");
        assert_eq!(found[0].1, "“Mr” here, but “Mr.” (twice) elsewhere");
        assert_eq!(super::times(3), "3 times");
    }

    #[test]
    fn whole_words_and_exceptions() {
        assert!(matched(RULE, "Mr. Smith of USAID paid US$5 in the U.S.").is_empty());
        assert!(matched(RULE, "Mrs Smith and Mr. Jones").is_empty());
        assert_eq!(
            matched(RULE, "U.S. trade with the U.S. ended in the US."),
            vec!["US"]
        );
    }

    #[test]
    fn long_dumps_flag_only_surrounded_forms() {
        let rule = RULE.replace("[fix]", "scope = 100\n[fix]");
        let filler = "x".repeat(300);
        // Two articles, each consistent in its own style: nothing to flag.
        let text = format!("Mr. A. Mr. B. Mr. C. {filler} Mr D. Mr E. Mr F.");
        assert!(matched(&rule, &text).is_empty());
        // A lone "Mr" between uses of "Mr." is flagged.
        let text = format!("{filler} Mr. A. Mr. B. Mr C. Mr. D. {filler}");
        assert_eq!(matched(&rule, &text), vec!["Mr"]);
    }

    #[test]
    fn quoted_text_keeps_its_own_spelling() {
        for text in [
            "US exports rose. The US market grew. “The U.S. will not back down,” he said.",
            "US exports rose. The US market grew. He said \"the U.S. will wait\" today.",
            "US exports rose. The US market grew. Il a dit « the U.S. will wait » hier.",
            // Quoted forms do not count towards the document's style either.
            "“The U.S. and the U.S. Senate agree,” he said. The US market grew.",
        ] {
            assert!(
                matched(RULE, text).is_empty(),
                "{text}: {:?}",
                matched(RULE, text)
            );
        }
        // A quotation that does not close on its line does not shield.
        assert_eq!(
            matched(
                RULE,
                "US exports rose. The US market grew. “The U.S. will wait.\nThen more."
            ),
            vec!["U.S."]
        );
        // Nor does text after a closed quotation.
        assert_eq!(
            matched(
                RULE,
                "US exports rose. The US grew. “Yes,” the U.S. envoy said."
            ),
            vec!["U.S."]
        );
    }

    #[test]
    fn one_form_is_consistent() {
        assert!(matched(RULE, "Mr Blinken met Mr Wang.").is_empty());
    }
}
