//! The [`Check`] trait and one module per rule kind. A kind is code; a rule is
//! a TOML file that configures one kind. Everything a rule needs is compiled
//! once, when it loads, and shared read-only across threads.
//!
//! Owns the kind table ([`kinds`]), what a kind's builder gets from a rule
//! file, the per-rule findings cap ([`MAX_FINDINGS_PER_RULE`]), the shared
//! literal scan ([`literals`]) and the built-in rules (`builtin`). Knows
//! nothing of files, the run loop, positions or reporters: a check sees one
//! [`Document`] and appends [`Finding`]s.

pub(crate) mod builtin;
mod byteset;
mod consistency;
mod double_context;
mod entity_duplicate;
mod exception;
mod list_duplicate;
pub(crate) mod literals;
mod pairs;
mod pattern;
mod phrase;
mod repeat;
mod repeated_clause;
mod repeated_sentence;
mod required;
mod script;
mod sentence_case;
mod source_target;
pub(crate) mod template;

pub use phrase::is_decoration;

use std::ops::Range;
use std::sync::Arc;

use regex::{Regex, RegexBuilder};
use regex_syntax::hir::Hir;
use serde::de::DeserializeOwned;
use toml::Spanned;

use crate::diagnostics::RuleError;
use crate::document::{Document, Segment};
use crate::finding::{Finding, Fix, RuleMeta};
use template::Template;

/// Most findings one rule may report in one file; past it the file gets a note.
pub const MAX_FINDINGS_PER_RULE: usize = 10_000;

/// Calls `check` on each segment of `doc` in order, appending to `out`,
/// until the rule has more than [`MAX_FINDINGS_PER_RULE`] findings in this
/// document (the engine drops the rest and notes it).
pub(crate) fn each_segment<'d>(
    doc: &'d Document<'_>,
    out: &mut Vec<Finding>,
    mut check: impl FnMut(&'d Segment<'_>, &mut Vec<Finding>),
) {
    let before = out.len();
    for seg in &doc.segments {
        if out.len() - before > MAX_FINDINGS_PER_RULE {
            break;
        }
        check(seg, out);
    }
}

/// Keeps at most [`MAX_FINDINGS_PER_RULE`] of the findings one rule appended
/// to `out` after its first `before`; whether any were dropped (the caller
/// notes it).
pub(crate) fn truncate_to_cap(out: &mut Vec<Finding>, before: usize) -> bool {
    let over = out.len() - before > MAX_FINDINGS_PER_RULE;
    if over {
        out.truncate(before + MAX_FINDINGS_PER_RULE);
    }
    over
}

/// A compiled rule. A kind that works on one segment at a time implements
/// [`Check::check_segment`]; one that looks for a list of literals,
/// [`Check::literal_check`]; one that needs the whole document (to compare
/// its parts), [`Check::check`].
pub trait Check: Send + Sync {
    /// The rule's id, category, severity and documentation.
    fn meta(&self) -> &Arc<RuleMeta>;

    /// Appends the rule's findings in `doc` to `out` (any order). By
    /// default: a literal-list rule scans for its own literals (see
    /// [`Check::literal_check`]); any other rule checks each segment, and
    /// stops once it has more findings than [`MAX_FINDINGS_PER_RULE`] (the
    /// engine drops the rest), so that a rule that fires everywhere cannot
    /// fill memory first.
    fn check(&self, doc: &Document<'_>, out: &mut Vec<Finding>) {
        if let Some(rule) = self.literal_check() {
            let hits = literals::scan(rule.literals().matcher(), doc);
            rule.check_hits(doc, &hits, out);
            return;
        }
        each_segment(doc, out, |seg, out| self.check_segment(seg, out));
    }

    /// Appends the rule's findings in one segment to `out` (any order);
    /// what the default [`Check::check`] calls for each segment.
    fn check_segment(&self, seg: &Segment<'_>, out: &mut Vec<Finding>) {
        let _ = (seg, out);
    }

    /// The rule as a literal-list rule, when the engine's shared scan can
    /// find its literals for it (see [`literals`]); `None` for other rules.
    fn literal_check(&self) -> Option<&dyn literals::LiteralCheck> {
        None
    }
}

/// A hasher for keys that are already hashes (token keys): hashing them
/// again would only cost time.
#[derive(Default)]
pub(crate) struct PassThrough(u64);

impl std::hash::Hasher for PassThrough {
    fn finish(&self) -> u64 {
        self.0
    }
    fn write(&mut self, bytes: &[u8]) {
        for &b in bytes {
            self.0 = crate::document::mix(self.0, u64::from(b));
        }
    }
    fn write_u64(&mut self, n: u64) {
        self.0 = n;
    }
}

/// A map keyed by token keys (see [`PassThrough`]).
pub(crate) type KeyMap<V> =
    std::collections::HashMap<u64, V, std::hash::BuildHasherDefault<PassThrough>>;

/// A rule kind: its name, the TOML keys it adds to the common ones, and how
/// to build a [`Check`] from a rule file.
pub(crate) struct Kind {
    pub(crate) name: &'static str,
    pub(crate) keys: &'static [&'static str],
    pub(crate) build: fn(&RuleContext<'_>) -> Result<Box<dyn Check>, RuleError>,
}

/// Every rule kind, in the order the documentation lists them.
pub(crate) const KINDS: &[Kind] = &[
    Kind {
        name: "pattern",
        keys: pattern::KEYS,
        build: pattern::build,
    },
    Kind {
        name: "phrase",
        keys: phrase::KEYS,
        build: phrase::build,
    },
    Kind {
        name: "repeat",
        keys: repeat::KEYS,
        build: repeat::build,
    },
    Kind {
        name: "pairs",
        keys: pairs::KEYS,
        build: pairs::build,
    },
    Kind {
        name: "list-duplicate",
        keys: list_duplicate::KEYS,
        build: list_duplicate::build,
    },
    Kind {
        name: "entity-duplicate",
        keys: entity_duplicate::KEYS,
        build: entity_duplicate::build,
    },
    Kind {
        name: "consistency",
        keys: consistency::KEYS,
        build: consistency::build,
    },
    Kind {
        name: "sentence-case",
        keys: sentence_case::KEYS,
        build: sentence_case::build,
    },
    Kind {
        name: "repeated-sentence",
        keys: repeated_sentence::KEYS,
        build: repeated_sentence::build,
    },
    Kind {
        name: "repeated-clause",
        keys: repeated_clause::KEYS,
        build: repeated_clause::build,
    },
    Kind {
        name: "source-target",
        keys: source_target::KEYS,
        build: source_target::build,
    },
    Kind {
        name: "script",
        keys: script::KEYS,
        build: script::build,
    },
];

/// The names of every rule kind (what a rule file's `kind` may be), in the
/// order the documentation lists them.
pub fn kinds() -> impl Iterator<Item = &'static str> {
    KINDS.iter().map(|k| k.name)
}

/// The optional `[fix]` table of a rule.
#[derive(Clone, Debug, serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct FixSpec {
    /// Replacement template for the flagged span.
    pub(crate) replacement: Spanned<String>,
    /// Whether the replacement can be applied unattended.
    #[serde(default)]
    pub(crate) safe: bool,
    /// A regex on the flagged text: where it matches, the fix is safe even
    /// when `safe` is false (a doubled “the” is never meant, a doubled
    /// “very” may be).
    #[serde(default, rename = "safe-when")]
    pub(crate) safe_when: Option<Spanned<String>>,
    /// A regex on the text right after the flagged text (its next 100
    /// bytes): where it matches, the fix is unsafe even when `safe` is true
    /// (a space before a period that a word follows: the space may belong
    /// after it).
    #[serde(default, rename = "unsafe-after")]
    pub(crate) unsafe_after: Option<Spanned<String>>,
    /// `"line"`: the replacement takes the place of the whole line the
    /// flagged text is on, its line break included (removing a line of
    /// page furniture), not of the flagged text alone.
    #[serde(default)]
    pub(crate) extend: Option<Spanned<String>>,
}

/// What a kind's builder gets: the rule file, its parsed metadata and the
/// message and fix templates still to be validated against the kind's holes.
pub(crate) struct RuleContext<'s> {
    pub(crate) file: &'s str,
    pub(crate) src: &'s str,
    pub(crate) meta: Arc<RuleMeta>,
    pub(crate) message: Spanned<String>,
    pub(crate) fix: Option<FixSpec>,
    /// What the rule's regexes may still take.
    pub(crate) regex_budget: &'s RegexBudget,
}

/// Limits on the compiled size of rule regexes: rule files are untrusted
/// input, and a few kilobytes of regex can compile to gigabytes (`\w{80}` is
/// about 4.5 MB, so a 7 KB file of 100 exceptions that each give it three
/// times once took 1.4 GB and 20 s just to load).
///
/// The compiled size of a regex is the heap its compiled form holds (the
/// regex engine's own `memory_usage`: its forward and reverse automata and
/// whatever else it builds at compile time), plus its pattern text. It does
/// not count the search caches each thread grows while matching, which
/// [`REGEX_DFA_LIMIT`] bounds.
///
/// - [`MAX_RULE_REGEX_BYTES`]: all regexes of one rule together (the
///   `pattern` and every `[[exception]]` key), 8 MiB. The largest built-in
///   rule, `markup-leftover`, takes 231 kB, 36 times less.
/// - [`MAX_RULESET_REGEX_BYTES`]: all regexes of all the rules loaded
///   together, 128 MiB. The whole built-in pack takes 534 kB.
/// - [`exception::MAX_EXCEPTIONS`]: at most 200 `[[exception]]` tables per
///   rule. The built-in rule with the most has 8.
///
/// Each regex is compiled with what its rule may still take as the size
/// limit, so an oversized regex fails as soon as its automaton grows past
/// it, without being compiled whole. A rule over its limit is refused with
/// an error at the regex that crossed it; its compile work, up to the limit,
/// still counts against the ruleset's, so that a folder of refused rules
/// cannot take long either. Once the ruleset's limit is spent, the rules
/// after it are not loaded (one error says how many).
pub(crate) const MAX_RULE_REGEX_BYTES: usize = 8 << 20;
/// See [`MAX_RULE_REGEX_BYTES`].
pub(crate) const MAX_RULESET_REGEX_BYTES: usize = 128 << 20;
/// How large the lazy DFA cache of one regex may grow, per thread, in bytes.
const REGEX_DFA_LIMIT: usize = 8 << 20;

/// What the compiled regexes of one rule may take (see
/// [`MAX_RULE_REGEX_BYTES`]) and what they have taken, in bytes.
#[derive(Debug)]
pub(crate) struct RegexBudget {
    /// The bytes this rule's regexes may take in all.
    limit: usize,
    /// Whether `limit` is what the ruleset has left, smaller than the limit
    /// per rule.
    set_bound: bool,
    /// The limit for the ruleset (bytes), for errors.
    set_limit: usize,
    /// Bytes charged so far: compiled sizes, and once a regex is refused for
    /// size, everything that was left (the work spent finding out).
    spent: std::cell::Cell<usize>,
    /// Whether sizes are measured (a second compile); not for the embedded
    /// pack, whose sizes a unit test keeps far under the limits, so that
    /// start-up compiles each built-in regex once.
    measured: bool,
}

impl RegexBudget {
    /// The budget of a rule loaded when the ruleset has `set_left` bytes
    /// left of its `set_limit`.
    pub(crate) fn new(set_left: usize, set_limit: usize) -> Self {
        RegexBudget {
            limit: set_left.min(MAX_RULE_REGEX_BYTES),
            set_bound: set_left < MAX_RULE_REGEX_BYTES,
            set_limit,
            spent: std::cell::Cell::new(0),
            measured: true,
        }
    }

    /// The budget of a built-in rule: not measured, each regex still
    /// capped at the limit per rule.
    pub(crate) fn built_in(set_limit: usize) -> Self {
        RegexBudget {
            limit: MAX_RULE_REGEX_BYTES,
            set_bound: false,
            set_limit,
            spent: std::cell::Cell::new(0),
            measured: false,
        }
    }

    /// The bytes to charge to the ruleset for this rule.
    pub(crate) fn spent(&self) -> usize {
        self.spent.get()
    }

    fn left(&self) -> usize {
        self.limit.saturating_sub(self.spent.get())
    }

    /// Why a regex that does not fit in `left` bytes is refused.
    fn refusal(&self, left: usize) -> String {
        let used = self.spent.get();
        let before = if used == 0 {
            String::new()
        } else {
            format!(" (the regexes before it take {used} bytes)")
        };
        if self.set_bound {
            format!(
                "it compiles to more than the {left} bytes left of the size limit for all \
                 rules together ({} bytes){before}",
                self.set_limit
            )
        } else {
            format!(
                "it takes the rule's regexes past their size limit of {MAX_RULE_REGEX_BYTES} \
                 bytes in all{before}; split the rule or simplify the regex"
            )
        }
    }
}

impl RuleContext<'_> {
    /// An error in this rule file at `span` (a byte range of the file).
    pub(crate) fn error(
        &self,
        span: Option<Range<usize>>,
        message: impl Into<String>,
    ) -> RuleError {
        RuleError::at(
            self.file,
            self.src,
            span,
            Some(&self.meta.id),
            message.into(),
        )
    }

    /// Deserialises the kind's own keys from the rule file.
    pub(crate) fn spec<T: DeserializeOwned>(&self) -> Result<T, RuleError> {
        toml::from_str(self.src).map_err(|e| self.error(e.span(), e.message().to_string()))
    }

    /// Compiles a rule regex within what the rule's regexes may still take
    /// (see [`MAX_RULE_REGEX_BYTES`]), naming the key on error.
    pub(crate) fn regex(
        &self,
        key: &str,
        pattern: &Spanned<String>,
        case_insensitive: bool,
    ) -> Result<Regex, RuleError> {
        let budget = self.regex_budget;
        let left = budget.left();
        let too_big = || {
            let e = self.error(
                Some(pattern.span()),
                format!("invalid regex in `{key}`: {}", budget.refusal(left)),
            );
            budget.spent.set(budget.limit);
            e
        };
        // The regex crate does not tell how large a regex is, so the same
        // regex is first built by the engine underneath it, with the same
        // options, whose size it does tell. Both stop early at `left`.
        let size = if budget.measured {
            match meta_builder(case_insensitive, left).build(pattern.get_ref()) {
                Ok(probe) => probe.memory_usage().saturating_add(pattern.get_ref().len()),
                Err(e) if e.size_limit().is_some() => return Err(too_big()),
                // A syntax error: the regex crate reports it below, better worded.
                Err(_) => 0,
            }
        } else {
            0
        };
        if size > left {
            return Err(too_big());
        }
        let regex = RegexBuilder::new(pattern.get_ref())
            .case_insensitive(case_insensitive)
            .size_limit(left)
            .dfa_size_limit(REGEX_DFA_LIMIT)
            .build()
            .map_err(|e| match e {
                regex::Error::CompiledTooBig(_) => too_big(),
                e => self.error(
                    Some(pattern.span()),
                    format!("invalid regex in `{key}`: {e}"),
                ),
            })?;
        budget.spent.set(budget.spent.get() + size);
        Ok(regex)
    }

    /// For a pattern every match of which starts a line (it begins with
    /// `(?m:^)`), parsed as `hir`: the same regex built to be tried
    /// anchored at each line start, so that a search looks at line starts
    /// instead of at every place the rest of the pattern may begin, and the
    /// bytes a match may start with (see [`line_start_first_bytes`]). `None`
    /// for other patterns, or when the rule's regexes have no room left for
    /// it (the search then runs unanchored, as for any pattern). Call after
    /// [`Self::regex`] has accepted the pattern.
    pub(crate) fn line_start_regex(
        &self,
        hir: &Hir,
        case_insensitive: bool,
    ) -> Option<(regex_automata::meta::Regex, Box<[bool; 256]>)> {
        let first = line_start_first_bytes(hir)?;
        let budget = self.regex_budget;
        let regex = meta_builder(case_insensitive, budget.left())
            .build_from_hir(hir)
            .ok()?;
        let size = regex.memory_usage();
        if budget.measured {
            if size > budget.left() {
                return None;
            }
            budget.spent.set(budget.spent.get() + size);
        }
        Some((regex, first))
    }

    /// Parses and validates the message and fix templates against the
    /// placeholders the kind can fill (`known`, described by `valid`).
    pub(crate) fn output(
        &self,
        known: impl Fn(&str) -> bool,
        valid: &str,
    ) -> Result<Output, RuleError> {
        let parse = |src: &Spanned<String>| {
            Template::parse(src.get_ref())
                .and_then(|t| t.validate(&known, valid).map(|()| t))
                .map_err(|e| self.error(Some(src.span()), e))
        };
        let message = parse(&self.message)?;
        let fix = self
            .fix
            .as_ref()
            .map(|f| parse(&f.replacement))
            .transpose()?;
        let safe_when = self
            .fix
            .as_ref()
            .and_then(|f| f.safe_when.as_ref())
            .map(|re| self.regex("safe-when", re, false))
            .transpose()?;
        let unsafe_after = self
            .fix
            .as_ref()
            .and_then(|f| f.unsafe_after.as_ref())
            .map(|re| self.regex("unsafe-after", re, false))
            .transpose()?;
        let whole_line = match self.fix.as_ref().and_then(|f| f.extend.as_ref()) {
            None => false,
            Some(e) if e.get_ref() == "line" => true,
            Some(e) => {
                return Err(self.error(
                    Some(e.span()),
                    format!(
                        "unknown `extend` value `{}`; the only one is \"line\"",
                        e.get_ref()
                    ),
                ));
            }
        };
        Ok(Output {
            meta: Arc::clone(&self.meta),
            message,
            fix,
            safe_when,
            unsafe_after,
            whole_line,
        })
    }
}

/// The compiled message and fix of a rule, and the rule they belong to.
pub(crate) struct Output {
    pub(crate) meta: Arc<RuleMeta>,
    message: Template,
    fix: Option<Template>,
    /// Where the fix is safe whatever the rule says (`safe-when`).
    safe_when: Option<Regex>,
    /// Where the fix is unsafe whatever the rule says (`unsafe-after`).
    unsafe_after: Option<Regex>,
    /// The fix takes the place of the whole line (`extend = "line"`).
    whole_line: bool,
}

impl Output {
    /// Builds a finding at `range` of `segment`, filling templates with `lookup`.
    pub(crate) fn finding<'a>(
        &self,
        segment: &Segment<'_>,
        range: Range<usize>,
        lookup: impl Fn(&str) -> Option<&'a str>,
    ) -> Finding {
        self.finding_with(&self.message, segment, range, lookup)
    }

    /// [`Output::finding`] with another message template than the rule's
    /// `message` (one a kind parsed from a key of its own).
    pub(crate) fn finding_with<'a>(
        &self,
        message: &Template,
        segment: &Segment<'_>,
        range: Range<usize>,
        lookup: impl Fn(&str) -> Option<&'a str>,
    ) -> Finding {
        let message = message.render(&lookup);
        let suggestion = self.fix.as_ref().map(|f| f.render(&lookup));
        let span = segment.original(range.clone());
        let mut finding = Finding::new(&self.meta, span.clone(), message, suggestion);
        if finding.suggestion.is_some() {
            let text = segment.text();
            let fix_range = if self.whole_line {
                segment.original(line_with_break(text, range.clone()))
            } else {
                span
            };
            let after = &text[range.end..ceil_boundary(text, range.end + 100)];
            let safe = self.fix_safe(text.get(range).unwrap_or(""))
                && !self
                    .unsafe_after
                    .as_ref()
                    .is_some_and(|re| re.is_match(after));
            finding.fix = Some(Box::new(Fix {
                range: fix_range,
                safe,
                edit: None,
            }));
        }
        finding
    }

    /// Whether the fix of a finding whose flagged text is `matched` is safe.
    pub(crate) fn fix_safe(&self, matched: &str) -> bool {
        self.meta.fix_safe
            || self
                .safe_when
                .as_ref()
                .is_some_and(|re| re.is_match(matched))
    }
}

/// The line of `text` holding `range` (a range inside one line or over
/// several), with the line break after it, or before it on the last line.
fn line_with_break(text: &str, range: Range<usize>) -> Range<usize> {
    let start = text[..range.start].rfind('\n').map_or(0, |i| i + 1);
    match text[range.end..].find('\n') {
        Some(i) => {
            let mut end = range.end + i + 1;
            // A line between blank lines takes one of them along, so that
            // the paragraphs around it stay one blank line apart.
            let blank_before =
                start == 0 || text[..start].ends_with("\n\n") || text[..start].ends_with("\n\r\n");
            let rest = &text[end..];
            if blank_before && (rest.starts_with('\n') || rest.starts_with("\r\n")) {
                end += if rest.starts_with('\n') { 1 } else { 2 };
            }
            start..end
        }
        None => {
            // The last line takes the break before it, and a blank line
            // before that.
            let back = |at: usize| {
                let t = &text[..at];
                if t.ends_with("\r\n") {
                    at - 2
                } else if t.ends_with('\n') {
                    at - 1
                } else {
                    at
                }
            };
            let mut before = back(start);
            if before < start && back(before) < before {
                before = back(before);
            }
            before..text.len()
        }
    }
}

/// Byte offset at or after `i` that is a char boundary of `text`.
pub(crate) fn ceil_boundary(text: &str, mut i: usize) -> usize {
    i = i.min(text.len());
    while !text.is_char_boundary(i) {
        i += 1;
    }
    i
}

/// The char just before byte `i`, if any.
pub(crate) fn char_before(text: &str, i: usize) -> Option<char> {
    text[..i].chars().next_back()
}

/// The char starting at byte `i`, if any.
pub(crate) fn char_at(text: &str, i: usize) -> Option<char> {
    text[i..].chars().next()
}

/// The syntax `regex` reads patterns with.
fn syntax_config(case_insensitive: bool) -> regex_automata::util::syntax::Config {
    regex_automata::util::syntax::Config::new()
        .case_insensitive(case_insensitive)
        .utf8(true)
}

/// The engine under `regex`, with the options `regex` gives it, the DFA
/// cache of [`REGEX_DFA_LIMIT`] and a compiled size of at most `limit`.
fn meta_builder(case_insensitive: bool, limit: usize) -> regex_automata::meta::Builder {
    let mut builder = regex_automata::meta::Builder::new();
    builder
        .configure(
            regex_automata::meta::Config::new()
                .match_kind(regex_automata::MatchKind::LeftmostFirst)
                .utf8_empty(true)
                .nfa_size_limit(Some(limit))
                .hybrid_cache_capacity(REGEX_DFA_LIMIT),
        )
        .syntax(syntax_config(case_insensitive));
    builder
}

/// A pattern as `regex` parses it, for what its structure tells (where
/// matches start, what they contain); `None` if it does not parse.
pub(crate) fn parse_pattern(pattern: &str, case_insensitive: bool) -> Option<Hir> {
    regex_automata::util::syntax::parse_with(pattern, &syntax_config(case_insensitive)).ok()
}

/// For a pattern every match of which must pass `(?m:^)` before its first
/// byte, so starts at a line start (the text's start or after a `\n`): the
/// bytes a match may start with (every byte, where that cannot be told).
/// `None` for other patterns.
pub(crate) fn line_start_first_bytes(hir: &Hir) -> Option<Box<[bool; 256]>> {
    if !hir
        .properties()
        .look_set_prefix()
        .contains(regex_syntax::hir::Look::StartLF)
    {
        return None;
    }
    let prefixes = regex_syntax::hir::literal::Extractor::new().extract(hir);
    let mut first = Box::new([false; 256]);
    match prefixes.literals() {
        Some(literals) if literals.iter().all(|l| !l.as_bytes().is_empty()) => {
            for literal in literals {
                first[usize::from(literal.as_bytes()[0])] = true;
            }
        }
        _ => first.fill(true),
    }
    Some(first)
}

#[cfg(test)]
pub(crate) mod testing {
    //! Builds a single rule from TOML for unit tests.
    use crate::finding::Finding;
    use crate::ruleset::Ruleset;

    /// Loads `toml` as a rule file named `<id>.toml` and returns its findings on
    /// `text` as `(matched, message, suggestion)`.
    pub(crate) fn run(toml: &str, text: &str) -> Vec<(String, String, Option<String>)> {
        let ruleset = load(toml);
        findings(&ruleset, text)
            .into_iter()
            .map(|f| (text[f.span.clone()].to_string(), f.message, f.suggestion))
            .collect()
    }

    /// Only the matched texts.
    pub(crate) fn matched(toml: &str, text: &str) -> Vec<String> {
        run(toml, text).into_iter().map(|(m, _, _)| m).collect()
    }

    /// The errors of a rule file that must fail to load, as one string.
    pub(crate) fn load_error(toml: &str) -> String {
        let id = toml
            .lines()
            .find_map(|l| l.strip_prefix("id = \""))
            .and_then(|l| l.strip_suffix('"'))
            .unwrap_or("t");
        match Ruleset::from_sources(&[(format!("{id}.toml"), toml.to_string())]) {
            Ok(_) => panic!("rule loaded, but it should not:\n{toml}"),
            Err(errs) => errs
                .iter()
                .map(|e| e.to_string())
                .collect::<Vec<_>>()
                .join("\n"),
        }
    }

    pub(crate) fn load(toml: &str) -> Ruleset {
        let id = toml
            .lines()
            .find_map(|l| l.strip_prefix("id = \""))
            .and_then(|l| l.strip_suffix('"'))
            .expect("test rule has an id line");
        Ruleset::from_sources(&[(format!("{id}.toml"), toml.to_string())]).unwrap_or_else(|errs| {
            panic!(
                "rule failed to load: {}",
                errs.iter()
                    .map(|e| e.to_string())
                    .collect::<Vec<_>>()
                    .join("\n")
            )
        })
    }

    fn findings(ruleset: &Ruleset, text: &str) -> Vec<Finding> {
        crate::engine::check_bytes(ruleset, text.as_bytes())
    }
}
