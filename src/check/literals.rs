//! One pass for every literal-list rule. Phrase and consistency rules hand
//! the engine their literals; it finds every occurrence of all of them at
//! once and gives each rule the occurrences of its own (overlapping, sorted).
//! Each rule also keeps a private [`Matcher`] so it can run alone (rule
//! examples, `explain`): the same code either way.
//!
//! Whole-word literals — all of the default pack's — need not be sought at
//! every byte: an accepted occurrence of a literal that starts with a
//! letter or digit starts where a run of letters and digits starts, and that
//! run is the literal's first run. The tokens already list those runs with
//! a case-folded key, so a table lookup per token finds the few places
//! worth comparing; literals that start with other characters are sought
//! by their first byte. Other literals take an overlapping Aho–Corasick scan.
//!
//! Knows no rule kind (kinds reach it through `LiteralCheck`), nor files,
//! input formats, positions or reporters: it sees a document's segments and
//! their tokens.

use aho_corasick::{AhoCorasick, AhoCorasickBuilder, AhoCorasickKind, MatchKind};

use super::byteset::ByteSet;
use super::{Check, KeyMap};
use crate::document::{Document, Segment, TokenKind, fold_key};
use crate::finding::Finding;

/// One occurrence of a rule's literal: a byte range of a segment's text.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub struct LiteralHit {
    /// Index of the segment in the document.
    pub segment: usize,
    /// Byte offset of the first byte in the segment text.
    pub start: usize,
    /// Byte offset one past the last byte in the segment text.
    pub end: usize,
    /// Index of the literal in the rule's own list.
    pub literal: usize,
}

/// How a rule's literals match.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Matching {
    /// ASCII case must match as written (else it is ignored).
    pub case_sensitive: bool,
    /// The rule only accepts occurrences that are not inside a longer word:
    /// no letter or digit just before an occurrence that starts with one, nor
    /// just after one that ends with one. The matcher checks the start; it
    /// may leave out, or report, occurrences that end inside a word, which
    /// the rule rejects.
    pub whole_word: bool,
}

/// A literal-list rule: the engine's shared scan finds its literals for it
/// and hands it the occurrences; alone, it scans with its own matcher (the
/// default [`Check::check`]).
pub trait LiteralCheck: Sync {
    /// The literals the rule looks for, and how they match.
    fn literals(&self) -> &Literals;

    /// Appends the rule's findings in `doc` to `out`, given every occurrence
    /// of its literals (ASCII case ignored, overlapping, sorted).
    fn check_hits(&self, doc: &Document<'_>, hits: &[LiteralHit], out: &mut Vec<Finding>);
}

/// A rule's literals, how they match, and the rule's own matcher for them,
/// to run it alone (rule examples, `explain`).
pub struct Literals {
    list: Vec<String>,
    matching: Matching,
    matcher: Matcher,
}

impl Literals {
    /// Compiles the rule's own matcher for `list`.
    pub(crate) fn new(
        list: Vec<String>,
        matching: Matching,
    ) -> Result<Self, aho_corasick::BuildError> {
        let matcher = Matcher::new(&list, matching, false)?;
        Ok(Literals {
            list,
            matching,
            matcher,
        })
    }

    /// The literals, in the order [`LiteralHit::literal`] counts them.
    pub(crate) fn list(&self) -> &[String] {
        &self.list
    }

    /// How they match.
    pub(crate) fn matching(&self) -> Matching {
        self.matching
    }

    pub(crate) fn matcher(&self) -> &Matcher {
        &self.matcher
    }
}

/// Finds every occurrence of a list of literals.
pub(crate) enum Matcher {
    /// Whole-word literals, compared where they can start.
    WordStarts(Box<WordStarts>),
    /// Any literals: an overlapping Aho–Corasick scan of every byte.
    Automaton(AhoCorasick),
}

impl Matcher {
    /// A matcher for `literals`. `fast_scan` builds an Aho–Corasick
    /// automaton as a full DFA: slower to build, faster to run — right for
    /// the shared scan, wasted on a rule's private matcher.
    pub(crate) fn new<S: AsRef<str>>(
        literals: &[S],
        matching: Matching,
        fast_scan: bool,
    ) -> Result<Self, aho_corasick::BuildError> {
        if matching.whole_word {
            return Ok(Matcher::WordStarts(Box::new(WordStarts::new(
                literals,
                |_| matching.case_sensitive,
            ))));
        }
        AhoCorasickBuilder::new()
            .ascii_case_insensitive(!matching.case_sensitive)
            .match_kind(MatchKind::Standard)
            .kind(fast_scan.then_some(AhoCorasickKind::DFA))
            .build(literals.iter().map(AsRef::as_ref))
            .map(Matcher::Automaton)
    }

    /// Appends every occurrence in `doc` (any order) to the bucket `owner`
    /// names for its literal; for whole-word literals, every occurrence that
    /// does not end inside a word, and perhaps some that do (see
    /// [`Matching::whole_word`]).
    fn collect(
        &self,
        doc: &Document<'_>,
        hits: &mut [Vec<LiteralHit>],
        owner: impl Fn(usize) -> (usize, usize),
    ) {
        for (segment, seg) in doc.segments.iter().enumerate() {
            let mut push = |literal: usize, start: usize, end: usize| {
                let (bucket, literal) = owner(literal);
                hits[bucket].push(LiteralHit {
                    segment,
                    start,
                    end,
                    literal,
                });
            };
            match self {
                Matcher::WordStarts(words) => words.collect(seg, &mut push),
                Matcher::Automaton(automaton) => {
                    for m in automaton.find_overlapping_iter(seg.text()) {
                        push(m.pattern().as_usize(), m.start(), m.end());
                    }
                }
            }
        }
    }
}

/// Every occurrence of the matcher's literals in `doc`, sorted by segment,
/// start, then longest first.
pub(crate) fn scan(matcher: &Matcher, doc: &Document<'_>) -> Vec<LiteralHit> {
    let mut hits = vec![Vec::new()];
    matcher.collect(doc, &mut hits, |p| (0, p));
    let mut hits = hits.pop().unwrap_or_default();
    sort(&mut hits);
    hits
}

/// Whole-word literals, found by comparing them where they can start (see
/// the module documentation).
pub(crate) struct WordStarts {
    literals: Vec<Box<[u8]>>,
    /// For each literal: ASCII case must match as written.
    case_sensitive: Vec<bool>,
    /// For each literal that is a run, spaces and another run: the second
    /// run's key, which the token after the first must have (see
    /// [`WordStarts::collect`]).
    second_run: Vec<Option<u64>>,
    /// Literals that start with a letter or digit, by the folded key of
    /// their first run of letters and digits.
    by_run: KeyMap<Vec<usize>>,
    /// One bit per value of a key's top 12 bits: most runs start no literal,
    /// and this says so without a hash lookup.
    filter: Vec<u64>,
    /// Literals that start with any other character, and their first bytes.
    others: Vec<usize>,
    other_bytes: ByteSet,
}

/// The top 12 bits of a key, as an index into [`WordStarts::filter`].
fn filter_slot(key: u64) -> (usize, u64) {
    let top = (key >> 52) as usize;
    (top / 64, 1 << (top % 64))
}

/// Byte offsets and texts of the runs of letters and digits in `text`.
fn runs(text: &str) -> impl Iterator<Item = (usize, &str)> {
    let mut rest = 0;
    std::iter::from_fn(move || {
        let (start, _) = text[rest..]
            .char_indices()
            .find(|&(_, c)| c.is_alphanumeric())?;
        let start = rest + start;
        let end = text[start..]
            .char_indices()
            .find(|&(_, c)| !c.is_alphanumeric())
            .map_or(text.len(), |(k, _)| start + k);
        rest = end;
        Some((start, &text[start..end]))
    })
}

impl WordStarts {
    /// Literals of several rules may share one: `case_sensitive` says, for
    /// each, whether ASCII case must match (candidates are found case-blind).
    fn new<S: AsRef<str>>(literals: &[S], case_sensitive: impl Fn(usize) -> bool) -> Self {
        let mut by_run: KeyMap<Vec<usize>> = KeyMap::default();
        let mut filter = vec![0u64; 64];
        let mut others = Vec::new();
        let mut second_run = Vec::with_capacity(literals.len());
        for (k, literal) in literals.iter().enumerate() {
            let literal = literal.as_ref();
            let mut found = runs(literal);
            let first = found.next();
            match first {
                Some((0, run)) => {
                    let key = fold_key(run);
                    let (word, bit) = filter_slot(key);
                    filter[word] |= bit;
                    by_run.entry(key).or_default().push(k);
                }
                _ => others.push(k),
            }
            second_run.push(
                first
                    .zip(found.next())
                    .and_then(|((start, run), (second, next))| {
                        let between = &literal[start + run.len()..second];
                        between.bytes().all(|b| b == b' ').then(|| fold_key(next))
                    }),
            );
        }
        let literals: Vec<Box<[u8]>> = literals
            .iter()
            .map(|l| l.as_ref().as_bytes().into())
            .collect();
        let other_bytes = ByteSet::new(others.iter().filter_map(|&k| literals[k].first().copied()));
        WordStarts {
            case_sensitive: (0..literals.len()).map(case_sensitive).collect(),
            second_run,
            literals,
            by_run,
            filter,
            others,
            other_bytes,
        }
    }

    /// Calls `push(literal, start, end)` for every literal among `candidates`
    /// found at byte `at` of `text`.
    fn compare(
        &self,
        text: &[u8],
        at: usize,
        candidates: &[usize],
        push: &mut impl FnMut(usize, usize, usize),
    ) {
        for &k in candidates {
            let literal = &self.literals[k];
            let Some(found) = text.get(at..at + literal.len()) else {
                continue;
            };
            let same = if self.case_sensitive[k] {
                found == &literal[..]
            } else {
                found.eq_ignore_ascii_case(literal)
            };
            if same {
                push(k, at, at + literal.len());
            }
        }
    }

    /// The literals whose first run has this key, if any.
    fn starting(&self, key: u64) -> Option<&[usize]> {
        let (word, bit) = filter_slot(key);
        if self.filter[word] & bit == 0 {
            return None;
        }
        self.by_run.get(&key).map(Vec::as_slice)
    }

    fn collect(&self, seg: &Segment<'_>, push: &mut impl FnMut(usize, usize, usize)) {
        let text = seg.text();
        let bytes = text.as_bytes();
        if !self.by_run.is_empty() {
            let tokens = seg.tokens();
            for (t, token) in tokens.iter().enumerate() {
                if token.joined {
                    // Runs after a joiner start mid-token ("re-read").
                    let start = token.start as usize;
                    for (offset, run) in runs(token.text(text)) {
                        if let Some(candidates) = self.starting(fold_key(run)) {
                            self.compare(bytes, start + offset, candidates, push);
                        }
                    }
                    continue;
                }
                // The token is one run, and its key is the run's, or
                // punctuation, whose key (its char) rarely passes the filter
                // and is then ruled out by its kind: the filter rules out
                // nearly every token at once.
                let Some(candidates) = self.starting(token.key) else {
                    continue;
                };
                if token.kind == TokenKind::Punct {
                    continue;
                }
                // A literal of two runs apart by spaces ("the news") needs the
                // next token to be its second run: one that is a longer run
                // ("the newsroom") ends the match mid-word. A joined token
                // ("news-based") is left to the byte comparison.
                let next = tokens.get(t + 1);
                for &k in candidates {
                    let wrong_next = self.second_run[k]
                        .is_some_and(|second| next.is_none_or(|n| !n.joined && n.key != second));
                    if !wrong_next {
                        self.compare(bytes, token.start as usize, &[k], push);
                    }
                }
            }
        }
        if !self.others.is_empty() {
            let mut at = 0;
            while let Some(k) = self.other_bytes.find(&bytes[at..]) {
                self.compare(bytes, at + k, &self.others, push);
                at += k + 1;
            }
        }
    }
}

/// Sorts hits by segment, start, then longest first.
fn sort(hits: &mut [LiteralHit]) {
    hits.sort_unstable_by_key(|h| (h.segment, h.start, std::cmp::Reverse(h.end), h.literal));
}

/// Keeps the leftmost-longest hits that do not overlap, of those `accept` takes.
pub(crate) fn leftmost_longest(
    hits: &[LiteralHit],
    mut accept: impl FnMut(&LiteralHit) -> bool,
) -> Vec<LiteralHit> {
    let mut out: Vec<LiteralHit> = Vec::new();
    for hit in hits {
        if let Some(last) = out.last()
            && last.segment == hit.segment
            && hit.start < last.end
        {
            continue;
        }
        if accept(hit) {
            out.push(*hit);
        }
    }
    out
}

/// The shared scan of a ruleset: all literals of all literal-list checks,
/// one matcher for each way of matching — one pass over the tokens for all
/// whole-word literals, exact ones (such as "US" or "Mr") compared as
/// written.
pub(crate) struct LiteralScan {
    /// (matcher, for each of its literals: (check index, literal index)).
    matchers: Vec<(Matcher, Vec<(usize, usize)>)>,
    /// For each matcher, the checks it has literals of, in order.
    serves: Vec<Vec<usize>>,
    checks: usize,
}

impl LiteralScan {
    /// Builds the scan for `checks`; rules without literals are not part of
    /// it. `None` when a matcher cannot be built: each check then scans
    /// alone.
    pub(crate) fn new(checks: &[Box<dyn Check>]) -> Option<Self> {
        // Literals that match the same way share a matcher: whole-word ones
        // all share one (it compares each literal with its own case rule),
        // others one per case rule.
        struct Group<'c> {
            matching: Matching,
            literals: Vec<&'c str>,
            case_sensitive: Vec<bool>,
            owners: Vec<(usize, usize)>,
        }
        let mut groups: Vec<Group<'_>> = Vec::new();
        for (c, check) in checks.iter().enumerate() {
            let Some(rule) = check.literal_check() else {
                continue;
            };
            let own = rule.literals().matching();
            let matching = Matching {
                case_sensitive: own.case_sensitive && !own.whole_word,
                ..own
            };
            let g = match groups.iter().position(|g| g.matching == matching) {
                Some(g) => g,
                None => {
                    groups.push(Group {
                        matching,
                        literals: Vec::new(),
                        case_sensitive: Vec::new(),
                        owners: Vec::new(),
                    });
                    groups.len() - 1
                }
            };
            for (l, literal) in rule.literals().list().iter().enumerate() {
                groups[g].owners.push((c, l));
                groups[g].literals.push(literal);
                groups[g].case_sensitive.push(own.case_sensitive);
            }
        }
        // Every literal was compiled by its own rule already, so this cannot
        // fail on content, only on resources.
        let matchers = groups
            .into_iter()
            .map(|g| {
                let matcher = if g.matching.whole_word {
                    let words = WordStarts::new(&g.literals, |k| g.case_sensitive[k]);
                    Matcher::WordStarts(Box::new(words))
                } else {
                    Matcher::new(&g.literals, g.matching, true).ok()?
                };
                Some((matcher, g.owners))
            })
            .collect::<Option<Vec<(Matcher, Vec<(usize, usize)>)>>>()?;
        let serves = matchers
            .iter()
            .map(|(_, owners)| {
                let mut checks: Vec<usize> = owners.iter().map(|&(c, _)| c).collect();
                checks.dedup();
                checks
            })
            .collect();
        Some(LiteralScan {
            matchers,
            serves,
            checks: checks.len(),
        })
    }

    /// The hits of every check's literals in `doc`, indexed by check; a
    /// matcher none of whose checks `wanted` takes (rules of another
    /// language, say) does not scan.
    pub(crate) fn scan(
        &self,
        doc: &Document<'_>,
        wanted: impl Fn(usize) -> bool,
    ) -> Vec<Vec<LiteralHit>> {
        let mut hits: Vec<Vec<LiteralHit>> = vec![Vec::new(); self.checks];
        for ((matcher, owners), serves) in self.matchers.iter().zip(&self.serves) {
            if serves.iter().any(|&c| wanted(c)) {
                matcher.collect(doc, &mut hits, |p| owners[p]);
            }
        }
        for list in &mut hits {
            sort(list);
        }
        hits
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::document::plain_text;

    /// Every occurrence by brute force, kept where a whole-word rule accepts
    /// it: a literal that starts with a letter or digit must not follow one,
    /// and one that ends with a letter or digit must not precede one.
    fn reference(
        literals: &[&str],
        text: &str,
        case_sensitive: impl Fn(usize) -> bool,
    ) -> Vec<(usize, usize)> {
        let mut out = Vec::new();
        for (k, literal) in literals.iter().enumerate() {
            for at in (0..text.len()).filter(|&at| text.is_char_boundary(at)) {
                let Some(found) = text.as_bytes().get(at..at + literal.len()) else {
                    continue;
                };
                let same = if case_sensitive(k) {
                    found == literal.as_bytes()
                } else {
                    found.eq_ignore_ascii_case(literal.as_bytes())
                };
                let led_by_word = literal.chars().next().is_some_and(char::is_alphanumeric);
                let glued = text[..at]
                    .chars()
                    .next_back()
                    .is_some_and(char::is_alphanumeric);
                let ends_word = literal
                    .chars()
                    .next_back()
                    .is_some_and(char::is_alphanumeric);
                let glued_after = || {
                    text[at + literal.len()..]
                        .chars()
                        .next()
                        .is_some_and(char::is_alphanumeric)
                };
                if same && !(led_by_word && glued) && !(ends_word && glued_after()) {
                    out.push((k, at));
                }
            }
        }
        out.sort_unstable();
        out
    }

    fn found(
        literals: &[&str],
        text: &str,
        case_sensitive: impl Fn(usize) -> bool,
    ) -> Vec<(usize, usize)> {
        let matcher = Matcher::WordStarts(Box::new(WordStarts::new(literals, case_sensitive)));
        let (doc, _) = plain_text(text.as_bytes());
        // The end of a word is the rule's to check, as `reference` does.
        let ends_word = |h: &LiteralHit| {
            literals[h.literal]
                .chars()
                .next_back()
                .is_some_and(char::is_alphanumeric)
                && text[h.end..]
                    .chars()
                    .next()
                    .is_some_and(char::is_alphanumeric)
        };
        let mut out: Vec<(usize, usize)> = scan(&matcher, &doc)
            .iter()
            .filter(|h| !ends_word(h))
            .map(|h| (h.literal, h.start))
            .collect();
        out.sort_unstable();
        out
    }

    #[test]
    fn word_starts_find_what_a_full_scan_finds() {
        let literals = [
            "read more",
            "Read",
            "more",
            "U.S.",
            "US",
            "Mr",
            "Mr.",
            "re",
            "© Copyright",
            "Copyright ©",
            "café",
            "2024",
            "24/7",
            "| Home",
            "o'clock",
            "rock",
            "n",
        ];
        let pieces = [
            "read",
            "Read",
            "READ",
            " ",
            "  ",
            "more",
            "re-read",
            "re‐read",
            "moreover",
            "more’s",
            "rock’n’roll",
            "U.S.",
            "US",
            "us",
            "USA",
            "Mr",
            "Mr.",
            "Mrs",
            "©",
            "Copyright",
            "café",
            "CAFÉ",
            "Café",
            "2024",
            "2,024",
            "3.2024",
            "24/7",
            "|",
            "Home",
            "o'clock",
            "o’clock",
            "\n",
            "\n\n",
            ",",
            ".",
            "-",
            "'",
            "x",
            "é",
            "\u{301}",
            "\u{a0}",
            "“",
            "”",
        ];
        // Two-run literals after which the text goes on, joined or not,
        // then a fixed pseudo-random walk over the pieces: thousands of
        // texts with joiners, case changes and non-ASCII neighbours.
        let fixed = [
            "read more-based",
            "read more’s",
            "read moreover",
            "Read more.",
            "read  more",
            "read more",
            "read ",
        ];
        let texts = fixed
            .iter()
            .map(|t| t.to_string())
            .chain(crate::test_texts::random_texts(
                0x2545_f491_4f6c_dd1d,
                &pieces,
                12,
                3000,
            ));
        for text in texts {
            // All literals case-blind, all exact, and mixed (rules share one
            // matcher, each literal with its own case rule).
            let mixed = |k: usize| k % 2 == 1;
            for (case, rule) in [
                (&(|_| false) as &dyn Fn(usize) -> bool, "case-blind"),
                (&|_| true, "exact"),
                (&mixed, "mixed"),
            ] {
                assert_eq!(
                    found(&literals, &text, case),
                    reference(&literals, &text, case),
                    "{text:?} ({rule})"
                );
            }
        }
    }
}
