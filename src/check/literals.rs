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
/// ignored. `fast_scan` builds a full DFA: slower to build, faster to run —
/// right for the shared scan, wasted on a rule's private automaton.
pub(crate) fn automaton<I, P>(
    literals: I,
    fast_scan: bool,
) -> Result<AhoCorasick, aho_corasick::BuildError>
where
    I: IntoIterator<Item = P>,
    P: AsRef<[u8]>,
{
    AhoCorasickBuilder::new()
        .ascii_case_insensitive(true)
        .match_kind(MatchKind::Standard)
        .kind(fast_scan.then_some(AhoCorasickKind::DFA))
        .build(literals)
}

/// Every occurrence of the automaton's patterns in `doc`, sorted by segment,
/// start, then longest first; `owner` maps a pattern to (bucket, literal).
pub(crate) fn scan(
    automaton: &AhoCorasick,
    doc: &Document<'_>,
    buckets: usize,
    owner: impl Fn(usize) -> (usize, usize),
) -> Vec<Vec<LiteralHit>> {
    let mut hits: Vec<Vec<LiteralHit>> = vec![Vec::new(); buckets];
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
    for list in &mut hits {
        list.sort_by_key(|h| (h.segment, h.start, std::cmp::Reverse(h.end), h.literal));
    }
    hits
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

/// The shared scan of a ruleset: all literals of all literal-list checks.
pub(crate) struct LiteralScan {
    automaton: Option<AhoCorasick>,
    /// For each automaton pattern: (check index, literal index in that check).
    owners: Vec<(usize, usize)>,
    checks: usize,
}

impl LiteralScan {
    /// Builds the scan for `checks`; rules without literals are not part of it.
    pub(crate) fn new(checks: &[Box<dyn Check>]) -> Self {
        let mut owners = Vec::new();
        let mut literals: Vec<&str> = Vec::new();
        for (c, check) in checks.iter().enumerate() {
            for (l, literal) in check.literals().iter().enumerate() {
                owners.push((c, l));
                literals.push(literal);
            }
        }
        // Every literal was compiled by its own rule already, so this cannot
        // fail on content; on a resource error the rules scan alone.
        let automaton = if literals.is_empty() {
            None
        } else {
            automaton(&literals, true).ok()
        };
        LiteralScan {
            automaton,
            owners,
            checks: checks.len(),
        }
    }

    /// The hits of every check's literals in `doc`, indexed by check; `None`
    /// when there is no shared automaton and each check must scan alone.
    pub(crate) fn scan(&self, doc: &Document<'_>) -> Option<Vec<Vec<LiteralHit>>> {
        let automaton = self.automaton.as_ref()?;
        Some(scan(automaton, doc, self.checks, |p| self.owners[p]))
    }
}
