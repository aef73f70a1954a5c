//! `pattern`: a regular expression, with exceptions that veto matches by
//! their surroundings and captures that the message and fix can quote.
//!
//! ```toml
//! pattern = '\.[ \t]+([.,;:])'
//! case-insensitive = false      # default
//! report-group = 1              # flag only this capture group (number or name);
//!                               # a list: the first of them that took part
//! [[exception]]                 # see exception.rs
//! ```
//! Placeholders: `{match}` (the flagged text), `{0}` (the whole match), `{1}`…
//! and named groups, and `{lines}`: how many lines with text the flagged text
//! is on, as “1 line” or “12 lines” (for a pattern that may run over line
//! breaks, such as a block of text in the wrong encoding; a group named
//! `lines` takes its place).
//!
//! Knows nothing of files, input formats, positions or reporters: it sees a
//! segment's text.

use std::ops::Range;
use std::sync::Arc;

use regex::{Captures, Regex};
use serde::Deserialize;
use toml::Spanned;

use super::exception::{ExceptionSpec, Exceptions};
use super::{Check, MAX_FINDINGS_PER_RULE, Output, RuleContext};
use crate::diagnostics::RuleError;
use crate::document::Segment;
use crate::finding::{Finding, RuleMeta};

pub(crate) const KEYS: &[&str] = &["pattern", "case-insensitive", "report-group", "exception"];

#[derive(Deserialize)]
#[serde(untagged)]
enum GroupRef {
    Index(usize),
    Name(String),
}

/// One group to report, or a list of which the first that took part in a
/// match is reported (alternatives of a pattern that flag different parts).
#[derive(Deserialize)]
#[serde(untagged)]
enum GroupRefs {
    One(GroupRef),
    Many(Vec<GroupRef>),
}

#[derive(Deserialize)]
#[serde(rename_all = "kebab-case")]
struct Spec {
    pattern: Spanned<String>,
    #[serde(default)]
    case_insensitive: bool,
    report_group: Option<Spanned<GroupRefs>>,
    #[serde(default, rename = "exception")]
    exceptions: Vec<ExceptionSpec>,
}

struct Pattern {
    regex: Regex,
    /// For a pattern every match of which starts a line: the regex to try
    /// anchored at each line start that begins with one of the bytes a
    /// match may start with (see [`RuleContext::line_start_regex`]).
    line_start: Option<(regex_automata::meta::Regex, Box<[bool; 256]>)>,
    /// A literal every match contains: a segment without it is not searched.
    required: Option<memchr::memmem::Finder<'static>>,
    /// The groups to report, the first that took part (empty: the whole match).
    group: Vec<usize>,
    /// Whether findings need capture groups (slower than plain `find`).
    captures: bool,
    /// Whether a template asks for `{lines}` (counted only then).
    lines: bool,
    exceptions: Exceptions,
    out: Output,
}

pub(crate) fn build(ctx: &RuleContext<'_>) -> Result<Box<dyn Check>, RuleError> {
    let spec: Spec = ctx.spec()?;
    let regex = ctx.regex("pattern", &spec.pattern, spec.case_insensitive)?;
    // What the pattern's structure tells: where its matches start, and a
    // literal they all contain.
    let hir = super::parse_pattern(spec.pattern.get_ref(), spec.case_insensitive);
    let line_start = hir
        .as_ref()
        .and_then(|hir| ctx.line_start_regex(hir, spec.case_insensitive));
    let required = hir
        .as_ref()
        .and_then(super::required::literal)
        .map(|l| memchr::memmem::Finder::new(&l).into_owned());
    let names: Vec<String> = regex
        .capture_names()
        .flatten()
        .map(str::to_string)
        .collect();
    let groups = regex.captures_len();
    let group = match &spec.report_group {
        None => Vec::new(),
        Some(g) => {
            let refs: Vec<&GroupRef> = match g.get_ref() {
                GroupRefs::One(r) => vec![r],
                GroupRefs::Many(list) => list.iter().collect(),
            };
            let index = |r: &GroupRef| match r {
                GroupRef::Index(i) if *i < groups => Some(*i),
                GroupRef::Index(_) => None,
                GroupRef::Name(n) => regex.capture_names().position(|c| c == Some(n.as_str())),
            };
            match refs
                .iter()
                .map(|r| index(r))
                .collect::<Option<Vec<usize>>>()
            {
                Some(list) if !list.is_empty() => list,
                _ => {
                    return Err(ctx.error(
                        Some(g.span()),
                        format!(
                            "`report-group` names no group of `pattern` (it has {} groups)",
                            groups - 1
                        ),
                    ));
                }
            }
        }
    };
    let lines_named = names.iter().any(|n| n == "lines");
    let lines = std::cell::Cell::new(false);
    let known = |v: &str| {
        if v == "lines" && !lines_named {
            lines.set(true);
            return true;
        }
        v == "match" || v.parse::<usize>().is_ok_and(|i| i < groups) || names.iter().any(|n| n == v)
    };
    // `{0}..{0}` when the pattern has no group of its own reads as a typo.
    let numbered = match groups - 1 {
        0 => "{0}".to_string(),
        1 => "{0}, {1}".to_string(),
        last => format!("{{0}}..{{{last}}}"),
    };
    let valid = format!(
        "{{match}}, {}{numbered}{}",
        if lines_named { "" } else { "{lines}, " },
        names
            .iter()
            .map(|n| format!(", {{{n}}}"))
            .collect::<String>()
    );
    let out = ctx.output(known, &valid)?;
    let exceptions = Exceptions::build(ctx, &spec.exceptions, spec.case_insensitive)?;
    let captures = !group.is_empty() || groups > 1;
    Ok(Box::new(Pattern {
        regex,
        line_start,
        required,
        group,
        captures,
        lines: lines.get(),
        exceptions,
        out,
    }))
}

impl Check for Pattern {
    fn meta(&self) -> &Arc<RuleMeta> {
        &self.out.meta
    }

    fn check_segment(&self, seg: &Segment<'_>, out: &mut Vec<Finding>) {
        // Stop one past the engine's cap (it then notes the truncation), so a
        // pattern that matches everywhere cannot fill memory first.
        let cap = out.len() + MAX_FINDINGS_PER_RULE + 1;
        let text = seg.text();
        if self
            .required
            .as_ref()
            .is_some_and(|r| r.find(text.as_bytes()).is_none())
        {
            return;
        }
        if let Some((anchored, first)) = &self.line_start {
            for m in line_start_matches(anchored, first, text) {
                if out.len() >= cap {
                    return;
                }
                if !self.captures {
                    self.report_match(seg, m.range(), out);
                    continue;
                }
                // The leftmost match from a place where one starts starts
                // there: the same match, with its groups.
                if let Some(caps) = self.regex.captures_at(text, m.start()) {
                    self.report_captures(seg, &caps, out);
                }
            }
            return;
        }
        if !self.captures {
            for m in self.regex.find_iter(text) {
                if out.len() >= cap {
                    return;
                }
                self.report_match(seg, m.range(), out);
            }
            return;
        }
        for caps in self.regex.captures_iter(text) {
            if out.len() >= cap {
                return;
            }
            self.report_captures(seg, &caps, out);
        }
    }
}

impl Pattern {
    /// Reports the match at `range` of a pattern without groups to quote.
    fn report_match(&self, seg: &Segment<'_>, range: Range<usize>, out: &mut Vec<Finding>) {
        let text = seg.text();
        if range.is_empty() || self.exceptions.veto(text, range.start, range.end) {
            return;
        }
        let matched = &text[range.clone()];
        let lines = self.lines.then(|| count_lines(matched));
        out.push(self.out.finding(seg, range, |v| match v {
            "match" | "0" => Some(matched),
            "lines" => lines.as_deref(),
            _ => None,
        }));
    }

    /// Reports a match whose groups choose what is flagged and fill the
    /// templates.
    fn report_captures(&self, seg: &Segment<'_>, caps: &Captures<'_>, out: &mut Vec<Finding>) {
        let text = seg.text();
        let whole = caps.get(0).expect("group 0 always participates");
        let flag = if self.group.is_empty() {
            caps.get(0)
        } else {
            self.group.iter().find_map(|&g| caps.get(g))
        };
        let Some(flag) = flag else {
            return;
        };
        if flag.is_empty() || self.exceptions.veto(text, whole.start(), whole.end()) {
            return;
        }
        let lines = self.lines.then(|| count_lines(flag.as_str()));
        let lookup = |v: &str| -> Option<&str> {
            match v {
                "match" => Some(flag.as_str()),
                "lines" if self.lines => lines.as_deref(),
                _ => match v.parse::<usize>() {
                    Ok(i) => caps.get(i).map(|m| m.as_str()),
                    Err(_) => caps.name(v).map(|m| m.as_str()),
                },
            }
        };
        out.push(self.out.finding(seg, flag.range(), lookup));
    }
}

/// The matches of `anchored`, tried at each line start of `text` (its start
/// and after each `\n`) whose byte is one of the `first` a match may start
/// with (an empty match: at the end too), as the unanchored search would
/// find them: a match hides the line starts inside it.
fn line_start_matches<'a>(
    anchored: &'a regex_automata::meta::Regex,
    first: &'a [bool; 256],
    text: &'a str,
) -> impl Iterator<Item = regex_automata::Match> + 'a {
    let bytes = text.as_bytes();
    let mut covered = 0;
    std::iter::once(0)
        .chain(memchr::memchr_iter(b'\n', bytes).map(|i| i + 1))
        .filter_map(move |start| {
            if start < covered || bytes.get(start).is_some_and(|&b| !first[usize::from(b)]) {
                return None;
            }
            let input = regex_automata::Input::new(text)
                .range(start..)
                .anchored(regex_automata::Anchored::Yes);
            let m = anchored.find(input)?;
            covered = m.end();
            Some(m)
        })
}

/// `{lines}`: how many lines with text `flagged` is on, as “1 line” or
/// “12 lines”.
fn count_lines(flagged: &str) -> String {
    let n = flagged
        .split('\n')
        .filter(|l| !l.trim().is_empty())
        .count()
        .max(1);
    if n == 1 {
        "1 line".to_string()
    } else {
        format!("{n} lines")
    }
}

#[cfg(test)]
mod tests {
    use crate::check::testing::{matched, run};

    /// Tried at line starts only, a line-anchored pattern finds what the
    /// unanchored search finds: matches that run over a line break, empty
    /// ones, the last line with and without a line break, CRLF text.
    #[test]
    fn line_start_matches_are_the_unanchored_matches() {
        let patterns = [
            r"(?m:^)(?P<p>[,;])[ \t]*[^\s0-9]",
            r"(?m:^)[ \t]*",
            r"(?m:^)(?:x+\n)+",
            r"(?m:^)(?:ab|a)",
            r"(?m)^[ \t]*(?P<d>--?)[ \t]+[А-Я]",
        ];
        let texts = [
            "",
            "\n",
            ", and so\n; then\n,5 no\n",
            "x\nx\nx\ny\nx\n",
            "ab\na\n\nab",
            "  \n\t\nword\n",
            "a, b\r\n, c\r\n",
            "— Да\n- Нет, сказал он\n-- Ладно",
        ];
        for pattern in patterns {
            let plain = regex::Regex::new(pattern).unwrap();
            let anchored = regex_automata::meta::Regex::new(pattern).unwrap();
            let hir = crate::check::parse_pattern(pattern, false).unwrap();
            let first = crate::check::line_start_first_bytes(&hir).unwrap();
            for text in texts {
                let want: Vec<_> = plain.find_iter(text).map(|m| m.range()).collect();
                let got: Vec<_> = super::line_start_matches(&anchored, &first, text)
                    .map(|m| m.range())
                    .collect();
                assert_eq!(got, want, "{pattern:?} in {text:?}");
            }
        }
    }

    #[test]
    fn only_line_anchored_patterns_are_tried_at_line_starts() {
        let rule = |pattern: &str| {
            format!(
                "id = \"t\"\nkind = \"pattern\"\ncategory = \"c\"\nseverity = \"warning\"\nmessage = \"m\"\nsummary = \"s\"\nwhy = \"w\"\npattern = '{pattern}'\n"
            )
        };
        let line_anchored = |p: &str| {
            crate::check::line_start_first_bytes(&crate::check::parse_pattern(p, false).unwrap())
                .is_some()
        };
        // Every match of these starts a line...
        for pattern in [r"(?m:^),", r"(?m)^(?:a|b)", r"(?m:^)(?:\s*),"] {
            assert!(line_anchored(pattern), "{pattern}");
        }
        // ... and not of these (a haystack anchor is not a line start).
        for pattern in [r",", r"(?m:^)a|b", r"(?m:^)?,", r"\A,", r"^,", r"(?m:$),"] {
            assert!(!line_anchored(pattern), "{pattern}");
        }
        // Such a rule flags what it matches at line starts, its group
        // included.
        assert_eq!(
            matched(&rule(r"(?m:^)(?P<p>[,;]) *\w"), ", a\nb, c\n; d"),
            vec![", a", "; d"]
        );
    }

    const RULE: &str = r#"
id = "t"
kind = "pattern"
category = "c"
severity = "warning"
message = "stray “{match}” before {p}"
summary = "s"
why = "w"
pattern = '\.[ \t]+(?P<p>[.,;:])'
[fix]
replacement = "{p}"
[[exception]]
before = '\.[ \t]*$'
[[exception]]
after = '^[ \t]*\.'
"#;

    #[test]
    fn flags_stray_period_with_message_and_fix() {
        let found = run(RULE, "It ended in November. . The talks");
        assert_eq!(
            found,
            vec![(
                ". .".to_string(),
                "stray “. .” before .".to_string(),
                Some(".".to_string())
            )]
        );
        assert_eq!(matched(RULE, "John Kerry. , the envoy"), vec![". ,"]);
    }

    #[test]
    fn exceptions_veto_spaced_ellipsis() {
        assert!(matched(RULE, "He paused . . . and went on").is_empty());
        assert!(matched(RULE, "It ended. The end.").is_empty());
    }

    #[test]
    fn report_group_flags_only_the_group() {
        let rule = RULE.replace("[fix]\nreplacement = \"{p}\"\n", "report-group = \"p\"\n");
        assert_eq!(matched(&rule, "Kerry. , the"), vec![","]);
    }

    #[test]
    fn report_group_list_flags_the_first_that_took_part() {
        let rule = RULE
            .replace(r"'\.[ \t]+(?P<p>[.,;:])'", r"'(?P<a>x)y|(?P<b>z)w|q'")
            .replace(" before {p}", "")
            .replace(
                "[fix]\nreplacement = \"{p}\"\n",
                "report-group = [\"a\", \"b\"]\n",
            );
        assert_eq!(matched(&rule, "xy zw q"), vec!["x", "z"]);
        let with_whole = rule.replace(r#"["a", "b"]"#, r#"["a", "b", 0]"#);
        assert_eq!(matched(&with_whole, "xy zw q"), vec!["x", "z", "q"]);
        let bad = rule.replace(r#"["a", "b"]"#, r#"["a", "c"]"#);
        assert!(crate::ruleset::Ruleset::from_sources(&[("t.toml".into(), bad)]).is_err());
    }

    #[test]
    fn lines_counts_the_lines_with_text_the_finding_is_on() {
        let rule = RULE
            .replace(r"'\.[ \t]+(?P<p>[.,;:])'", r"'x[x\s]*x'")
            .replace("stray “{match}” before {p}", "x on {lines}")
            .replace("[fix]\nreplacement = \"{p}\"\n", "");
        let found = run(&rule, "a xx b\nxx\n\n x\n\nx c");
        let messages: Vec<&str> = found.iter().map(|(_, m, _)| m.as_str()).collect();
        assert_eq!(messages, vec!["x on 1 line", "x on 3 lines"]);
        // With captures, and a group of the pattern named `lines` wins.
        let grouped = rule.replace(r"'x[x\s]*x'", r"'(?P<lines>x)[x\s]*x'");
        let found = run(&grouped, "a xx\nx");
        assert_eq!(found[0].1, "x on x");
        let captured = rule.replace(r"'x[x\s]*x'", r"'(x)[x\s]*x'");
        let found = run(&captured, "a xx\nx");
        assert_eq!(found[0].1, "x on 2 lines");
    }

    #[test]
    fn empty_matches_are_ignored() {
        let rule = RULE
            .replace(r"'\.[ \t]+(?P<p>[.,;:])'", r"'x*(?P<p>y?)'")
            .replace("[fix]\nreplacement = \"{p}\"\n", "");
        assert!(matched(&rule, "abc").is_empty());
    }
}
