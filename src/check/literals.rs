//! One Aho–Corasick pass for every literal-list rule. Phrase and consistency
//! rules each used to scan the whole text with their own automaton; the
//! engine now scans once with all their literals (ASCII case ignored,
//! overlapping matches) and hands each rule the occurrences of its own
//! literals. Each rule still keeps a private automaton so it can run alone
//! (rule examples, `explain`).

use aho_corasick::{AhoCorasick, AhoCorasickBuilder, AhoCorasickKind, MatchKind};

use super::Check;
use crate::document::Document;

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

/// An automaton that reports every (overlapping) occurrence, ASCII case
/// ignored unless `case_sensitive`. `fast_scan` builds a full DFA: slower to
/// build, faster to run — right for the shared scan, wasted on a rule's
/// private automaton.
pub(crate) fn automaton<I, P>(
    literals: I,
    case_sensitive: bool,
    fast_scan: bool,
) -> Result<AhoCorasick, aho_corasick::BuildError>
where
    I: IntoIterator<Item = P>,
    P: AsRef<[u8]>,
{
    AhoCorasickBuilder::new()
        .ascii_case_insensitive(!case_sensitive)
        .match_kind(MatchKind::Standard)
        .kind(fast_scan.then_some(AhoCorasickKind::DFA))
        .build(literals)
}

/// Every occurrence of the automaton's patterns in `doc`, sorted by segment,
/// start, then longest first.
pub(crate) fn scan(automaton: &AhoCorasick, doc: &Document<'_>) -> Vec<LiteralHit> {
    let mut hits = vec![Vec::new()];
    collect(automaton, doc, &mut hits, |p| (0, p));
    let mut hits = hits.pop().unwrap_or_default();
    sort(&mut hits);
    hits
}

/// Appends every occurrence of the automaton's patterns in `doc` to the
/// bucket `owner` names for it.
fn collect(
    automaton: &AhoCorasick,
    doc: &Document<'_>,
    hits: &mut [Vec<LiteralHit>],
    owner: impl Fn(usize) -> (usize, usize),
) {
    for (segment, seg) in doc.segments.iter().enumerate() {
        for m in automaton.find_overlapping_iter(seg.text()) {
            let (bucket, literal) = owner(m.pattern().as_usize());
            hits[bucket].push(LiteralHit {
                segment,
                start: m.start(),
                end: m.end(),
                literal,
            });
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

/// The shared scan of a ruleset: all literals of all literal-list checks, in
/// two automata — one ignoring ASCII case, one exact. Exact literals (such as
/// "US" or "Mr") are kept out of the case-blind automaton, where they would
/// match inside countless words ("bUS", "fUNd") and each match would have
/// to be sorted and rejected.
pub(crate) struct LiteralScan {
    /// (automaton, for each of its patterns: (check index, literal index)).
    automata: Vec<(AhoCorasick, Vec<(usize, usize)>)>,
    checks: usize,
}

impl LiteralScan {
    /// Builds the scan for `checks`; rules without literals are not part of
    /// it. `None` when an automaton cannot be built: each check then scans
    /// alone.
    pub(crate) fn new(checks: &[Box<dyn Check>]) -> Option<Self> {
        let mut automata = Vec::new();
        for case_sensitive in [false, true] {
            let mut owners = Vec::new();
            let mut literals: Vec<&str> = Vec::new();
            for (c, check) in checks.iter().enumerate() {
                if check.literals_case_sensitive() != case_sensitive {
                    continue;
                }
                for (l, literal) in check.literals().iter().enumerate() {
                    owners.push((c, l));
                    literals.push(literal);
                }
            }
            if literals.is_empty() {
                continue;
            }
            // Every literal was compiled by its own rule already, so this
            // cannot fail on content, only on resources.
            let automaton = automaton(&literals, case_sensitive, true).ok()?;
            automata.push((automaton, owners));
        }
        Some(LiteralScan {
            automata,
            checks: checks.len(),
        })
    }

    /// The hits of every check's literals in `doc`, indexed by check.
    pub(crate) fn scan(&self, doc: &Document<'_>) -> Vec<Vec<LiteralHit>> {
        let mut hits: Vec<Vec<LiteralHit>> = vec![Vec::new(); self.checks];
        for (automaton, owners) in &self.automata {
            collect(automaton, doc, &mut hits, |p| owners[p]);
        }
        for list in &mut hits {
            sort(list);
        }
        hits
    }
}
