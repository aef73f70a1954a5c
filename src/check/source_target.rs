//! `source-target`: compares a bilingual unit's target with its source (an
//! XLIFF unit, a PO entry, a JSONL or CSV record with a source field). Silent
//! on documents without a source.
//!
//! ```toml
//! check = "numbers"     # numbers | untranslated | empty | length-ratio |
//!                       # placeholders | urls | brackets | end-punctuation
//! min-ratio = 0.33      # length-ratio: target chars / source chars bounds
//! max-ratio = 3.0
//! min-chars = 30        # length-ratio: shorter sources are not measured
//! min-words = 2         # untranslated: shorter sources may stay as they are,
//!                       # and so may names and titles (no lower-case word)
//! ```
//! Findings about the whole target (missing items, empty, untranslated,
//! ratio, counts) span the target field; an added placeholder and a changed
//! end punctuation point at the target's own text.
//! Placeholders: `{item}` (the number, placeholder, URL or mark concerned),
//! `{source}` and `{target}` (what each side has: a count, an end mark, a
//! length), `{ratio}` (length-ratio, two decimals).
//!
//! Knows nothing of files, which input format gave the source, positions or
//! reporters: it sees a document's segments, its source text and its target's
//! byte span.

use std::collections::{BTreeSet, HashMap};
use std::ops::Range;
use std::sync::{Arc, LazyLock};

use regex::Regex;
use serde::Deserialize;

use super::{Check, Output, RuleContext};
use crate::diagnostics::RuleError;
use crate::document::Document;
use crate::finding::{Finding, RuleMeta};

pub(crate) const KEYS: &[&str] = &["check", "min-ratio", "max-ratio", "min-chars", "min-words"];

/// What a rule compares.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "kebab-case")]
enum What {
    Numbers,
    Untranslated,
    Empty,
    LengthRatio,
    Placeholders,
    Urls,
    Brackets,
    EndPunctuation,
}

#[derive(Deserialize)]
#[serde(rename_all = "kebab-case")]
struct Spec {
    check: What,
    #[serde(default = "default_min_ratio")]
    min_ratio: f64,
    #[serde(default = "default_max_ratio")]
    max_ratio: f64,
    #[serde(default = "default_min_chars")]
    min_chars: usize,
    #[serde(default = "default_min_words")]
    min_words: usize,
}

fn default_min_ratio() -> f64 {
    0.33
}
fn default_max_ratio() -> f64 {
    3.0
}
fn default_min_chars() -> usize {
    30
}
fn default_min_words() -> usize {
    2
}

struct SourceTarget {
    spec: Spec,
    out: Output,
}

pub(crate) fn build(ctx: &RuleContext<'_>) -> Result<Box<dyn Check>, RuleError> {
    let spec: Spec = ctx.spec()?;
    if !(spec.min_ratio >= 0.0 && spec.min_ratio < spec.max_ratio) {
        return Err(ctx.error(None, "`min-ratio` must be at least 0 and below `max-ratio`"));
    }
    let out = ctx.output(
        |v| matches!(v, "item" | "source" | "target" | "ratio"),
        "{item}, {source}, {target}, {ratio}",
    )?;
    Ok(Box::new(SourceTarget { spec, out }))
}

/// Placeholders and inline tags: printf (`%s`, `%1$d`), braces (`{0}`,
/// `{name}`, `{{x}}`), XLIFF inline tags written out, and U+FFFC (an inline
/// tag an input format replaced).
static PLACEHOLDER: LazyLock<Option<Regex>> = LazyLock::new(|| {
    Regex::new(
        r"%(?:\d+\$)?[-+#0]*\d*(?:\.\d+)?[sdifuxXoeEgGcp@]|\{\{?\s*[A-Za-z0-9_.]*\s*\}\}?|</?(?:x|ph|g|bx|ex|bpt|ept|it|sc|ec|pc|mrk)\b[^>]*>|\x{FFFC}",
    )
    .ok()
});

/// URLs and e-mail addresses.
static URL: LazyLock<Option<Regex>> = LazyLock::new(|| {
    Regex::new(
        r#"(?i)\bhttps?://[^\s<>"'«»“”)\]]+|\bwww\.[^\s<>"'«»“”)\]]+|[\w.+-]+@[\w-]+(?:\.[\w-]+)+"#,
    )
    .ok()
});

fn matches<'t>(re: &LazyLock<Option<Regex>>, text: &'t str) -> Vec<(Range<usize>, &'t str)> {
    let Some(re) = re.as_ref() else {
        return Vec::new();
    };
    re.find_iter(text)
        .map(|m| {
            let s = m.as_str().trim_end_matches(['.', ',', ';', ':', '!', '?']);
            (m.start()..m.start() + s.len(), s)
        })
        .collect()
}

/// Number tokens: digit groups joined by one separator between digits.
fn numbers(text: &str) -> Vec<&str> {
    let b = text.as_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    while i < b.len() {
        if !b[i].is_ascii_digit() {
            i += 1;
            continue;
        }
        let start = i;
        loop {
            while i < b.len() && b[i].is_ascii_digit() {
                i += 1;
            }
            let sep = text[i..]
                .chars()
                .next()
                .filter(|c| {
                    matches!(
                        c,
                        '.' | ',' | '\'' | '’' | '\u{A0}' | '\u{202F}' | '\u{2009}'
                    )
                })
                .map_or(0, char::len_utf8);
            if sep > 0 && b.get(i + sep).is_some_and(u8::is_ascii_digit) {
                i += sep;
            } else {
                break;
            }
        }
        out.push(&text[start..i]);
    }
    out
}

/// The values a number token can mean: `1,000` is a thousand in English and
/// one in German; `3,5` is three and a half.
fn readings(token: &str) -> BTreeSet<String> {
    let mut groups: Vec<&str> = Vec::new();
    let mut seps: Vec<char> = Vec::new();
    let mut start = 0;
    for (i, c) in token.char_indices() {
        if !c.is_ascii_digit() {
            groups.push(&token[start..i]);
            seps.push(c);
            start = i + c.len_utf8();
        }
    }
    groups.push(&token[start..]);
    let norm = |int: String, frac: &str| {
        let int = int.trim_start_matches('0');
        let int = if int.is_empty() { "0" } else { int };
        let frac = frac.trim_end_matches('0');
        if frac.is_empty() {
            int.to_string()
        } else {
            format!("{int}.{frac}")
        }
    };
    let grouped = |gs: &[&str], ss: &[char]| {
        ss.windows(2).all(|w| w[0] == w[1]) && gs.iter().skip(1).all(|g| g.len() == 3)
    };
    let mut out = BTreeSet::new();
    if seps.is_empty() {
        out.insert(norm(token.to_string(), ""));
        return out;
    }
    if grouped(&groups, &seps) {
        out.insert(norm(groups.concat(), ""));
    }
    let n = seps.len();
    let last = seps[n - 1];
    if matches!(last, '.' | ',')
        && seps[..n - 1].iter().all(|&s| s != last)
        && grouped(&groups[..n], &seps[..n - 1])
    {
        out.insert(norm(groups[..n].concat(), groups[n]));
    }
    if out.is_empty() {
        // Not a well-formed number (a date, a version): compare it as written.
        out.insert(token.to_string());
    }
    out
}

/// The kind of a text's final mark, ignoring closing quotes and brackets.
fn end_mark(text: &str) -> Option<(&'static str, usize)> {
    let trimmed = text.trim_end_matches(|c: char| {
        c.is_whitespace()
            || matches!(
                c,
                '"' | '”' | '’' | '»' | ')' | ']' | '\'' | '›' | '」' | '』'
            )
    });
    let c = trimmed.chars().next_back()?;
    let at = trimmed.len() - c.len_utf8();
    let kind = match c {
        '?' | '？' | '؟' => "?",
        '!' | '！' => "!",
        '.' | '。' | '।' if trimmed.ends_with("...") => "…",
        '.' | '。' | '।' => ".",
        '…' => "…",
        ':' | '：' => ":",
        ';' => ";",
        _ => return None,
    };
    Some((kind, at))
}

/// Counts of paired marks by kind: parentheses, square brackets, double quotes.
fn pair_counts(text: &str) -> [(&'static str, usize); 3] {
    let count = |f: fn(char) -> bool| text.chars().filter(|&c| f(c)).count();
    [
        (
            "parentheses",
            count(|c| matches!(c, '(' | ')' | '（' | '）')),
        ),
        ("square brackets", count(|c| matches!(c, '[' | ']'))),
        (
            "double quotes",
            count(|c| matches!(c, '"' | '“' | '”' | '„' | '«' | '»' | '「' | '」')),
        ),
    ]
}

impl SourceTarget {
    /// A finding at `span` (original bytes) with these placeholder values.
    fn finding_at(&self, span: Range<usize>, values: &[(&str, &str)]) -> Finding {
        let lookup = |name: &str| values.iter().find(|(k, _)| *k == name).map(|(_, v)| *v);
        let message = self.out.message.render(lookup);
        let suggestion = self.out.fix.as_ref().map(|f| f.render(lookup));
        Finding::new(&self.out.meta, span, message, suggestion)
    }

    /// Where findings about the whole target point.
    fn whole(doc: &Document<'_>) -> Option<Range<usize>> {
        doc.target_span.clone().or_else(|| {
            let first = doc.segments.first()?.original_extent();
            let last = doc.segments.last()?.original_extent();
            Some(first.start..last.end)
        })
    }
}

impl Check for SourceTarget {
    fn meta(&self) -> &Arc<RuleMeta> {
        &self.out.meta
    }

    fn check(&self, doc: &Document<'_>, out: &mut Vec<Finding>) {
        let Some(source) = doc.source.as_deref() else {
            return;
        };
        let Some(whole) = SourceTarget::whole(doc) else {
            return;
        };
        let target = doc.joined_text();
        let (src_t, tgt_t) = (source.trim(), target.trim());
        if src_t.is_empty() {
            return;
        }
        if tgt_t.is_empty() {
            if self.spec.check == What::Empty {
                out.push(self.finding_at(whole, &[]));
            }
            return;
        }
        match self.spec.check {
            What::Empty => {}
            What::Untranslated => {
                let words = src_t
                    .split_whitespace()
                    .filter(|w| w.chars().any(char::is_alphabetic))
                    .count();
                // A name or title (every word capitalised) may stay as it is.
                let prose = src_t
                    .split_whitespace()
                    .any(|w| w.chars().next().is_some_and(char::is_lowercase));
                if src_t == tgt_t && words >= self.spec.min_words && prose {
                    out.push(self.finding_at(whole, &[("item", src_t)]));
                }
            }
            What::LengthRatio => {
                let (s, t) = (src_t.chars().count(), tgt_t.chars().count());
                if s < self.spec.min_chars {
                    return;
                }
                let ratio = t as f64 / s as f64;
                if ratio < self.spec.min_ratio || ratio > self.spec.max_ratio {
                    let (s, t, r) = (s.to_string(), t.to_string(), format!("{ratio:.2}"));
                    out.push(
                        self.finding_at(whole, &[("source", &s), ("target", &t), ("ratio", &r)]),
                    );
                }
            }
            What::Numbers => {
                let found: BTreeSet<String> =
                    numbers(tgt_t).into_iter().flat_map(readings).collect();
                let mut seen = BTreeSet::new();
                for n in numbers(src_t) {
                    if seen.insert(n) && readings(n).is_disjoint(&found) {
                        out.push(self.finding_at(whole.clone(), &[("item", n)]));
                    }
                }
            }
            What::Urls => {
                let mut seen = BTreeSet::new();
                for (_, url) in matches(&URL, src_t) {
                    if seen.insert(url) && !tgt_t.contains(url) {
                        out.push(self.finding_at(whole.clone(), &[("item", url)]));
                    }
                }
            }
            What::Placeholders => self.placeholders(doc, src_t, whole, out),
            What::Brackets => {
                for ((kind, s), (_, t)) in pair_counts(src_t).into_iter().zip(pair_counts(tgt_t)) {
                    if s != t {
                        let (s, t) = (s.to_string(), t.to_string());
                        out.push(self.finding_at(
                            whole.clone(),
                            &[("item", kind), ("source", &s), ("target", &t)],
                        ));
                    }
                }
            }
            What::EndPunctuation => {
                let s = end_mark(src_t).map(|(k, _)| k);
                let Some(seg) = doc
                    .segments
                    .iter()
                    .rev()
                    .find(|s| !s.text().trim().is_empty())
                else {
                    return;
                };
                let t = end_mark(seg.text());
                if s == t.map(|(k, _)| k) || s.is_none() && t.is_none() {
                    return;
                }
                let values = [
                    ("source", s.unwrap_or("nothing")),
                    ("target", t.map_or("nothing", |(k, _)| k)),
                ];
                let span = match t {
                    Some((_, at)) => {
                        let len = seg.text()[at..].chars().next().map_or(0, char::len_utf8);
                        seg.original(at..at + len)
                    }
                    None => whole,
                };
                out.push(self.finding_at(span, &values));
            }
        }
    }
}

impl SourceTarget {
    fn placeholders(
        &self,
        doc: &Document<'_>,
        source: &str,
        whole: Range<usize>,
        out: &mut Vec<Finding>,
    ) {
        let show = |p: &str| {
            if p == "\u{FFFC}" {
                "inline tag".to_string()
            } else {
                p.to_string()
            }
        };
        let mut want: HashMap<&str, usize> = HashMap::new();
        for (_, p) in matches(&PLACEHOLDER, source) {
            *want.entry(p).or_default() += 1;
        }
        let mut have: HashMap<String, usize> = HashMap::new();
        for seg in &doc.segments {
            for (range, p) in matches(&PLACEHOLDER, seg.text()) {
                let n = have.entry(p.to_string()).or_default();
                *n += 1;
                if *n > want.get(p).copied().unwrap_or(0) {
                    let item = show(p);
                    out.push(self.finding_at(
                        seg.original(range),
                        &[("item", &item), ("source", "not in the source")],
                    ));
                }
            }
        }
        let mut missing: Vec<(&str, usize)> = want
            .iter()
            .filter(|(p, n)| have.get(**p).copied().unwrap_or(0) < **n)
            .map(|(p, n)| (*p, *n))
            .collect();
        missing.sort_unstable();
        for (p, _) in missing {
            let item = show(p);
            out.push(self.finding_at(
                whole.clone(),
                &[("item", &item), ("source", "missing from the target")],
            ));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn number_readings() {
        assert!(readings("3.5").contains("3.5"));
        assert!(readings("3,5").contains("3.5"));
        assert!(readings("1,000").contains("1000"));
        assert!(readings("1.000").contains("1000"));
        assert!(readings("1\u{A0}000").contains("1000"));
        assert!(readings("1,234.50").contains("1234.5"));
        assert!(readings("1.234,50").contains("1234.5"));
        assert!(!readings("12.5").contains("125"));
        assert_eq!(
            numbers("On 3,5 and 1 000, v2.0.1."),
            ["3,5", "1", "000", "2.0.1"]
        );
    }

    #[test]
    fn end_marks() {
        assert_eq!(end_mark("Why?»").map(|m| m.0), Some("?"));
        assert_eq!(end_mark("Wait...").map(|m| m.0), Some("…"));
        assert_eq!(end_mark("Title"), None);
    }
}
