//! `entity-duplicate`: an entity repeated where a sentence names it once —
//! MT duplicating a name or noun beyond the lists that `list-duplicate`
//! covers. `shape` chooses which:
//!
//! - `coordination`: at a conjunction (as written in `conjunctions`, between
//!   spaces), the second conjunct repeats the first, or the first's
//!   last words ("Lee and Lee signed", "the Bureau of Statistics and
//!   Statistics", "for status and status have"). The second conjunct must
//!   end there: punctuation, the text's end, one of `closers` (auxiliaries,
//!   "said") or a past tense (a word of five letters or more in `-ed`, not
//!   `-eed`) follows it. A conjunct that goes on names something else ("the
//!   U.S. and U.S. allies", "petroleum and petroleum products", "China and
//!   China Mobile"), so it is left alone. A lower-case word counts only when
//!   the first conjunct is that word alone as a noun, right after one of
//!   `determiners` (articles, possessives, prepositions: "for status and
//!   status"; "old people and people with" is two groups, "waited and
//!   waited" and "between man and man" are said on purpose), and not for
//!   comparatives in `-er` ("closer and closer") or `allow`ed words ("again
//!   and again", "more and more").
//! - `apposition`: after a comma, a space and a capital letter, a
//!   capitalised name twice in a comma chain ("a village in
//!   Tuscany, Tuscany", "Hanoi, Hanoi, Haiphong"): the first copy is a whole
//!   name, and the second is followed by punctuation or the text's end.
//!   Different entities ("Washington, D.C.", "Paris, Texas", "Kansas City,
//!   Kansas") differ in words; `allow` lists places named like their state
//!   or country ("New York, New York").
//! - `inner-name`: a capitalised name whose first word, followed by one of
//!   `connectors`, comes back as its last ("the Act on Data Security Act";
//!   "the Circuit Court of Appeals of the Eighth Circuit" starts with a
//!   modifier), and
//!   "the X and X Y…" after one of `determiners`, where a single word
//!   stands alone as the first conjunct of a name ("the Research and
//!   Research Institute"; "China and China Mobile" has no determiner).
//!
//! ```toml
//! shape = "coordination"
//! conjunctions = ["and", "or"]
//! connectors = ["of", "for", "on"]   # lower-case words inside names
//! closers = ["is", "said"]           # words that end a conjunct
//! common-words = ["the", "of"]       # never an entity; a conjunct after one is bare
//! determiners = ["the", "of"]       # open a noun phrase (articles, prepositions)
//! allow = ["again", "New York"]      # words or names that repeat legitimately
//! ```
//! Names are runs of capitalised words and numbers, with `connectors`
//! between capitalised words and the dots of initials ("U.S."), on one line.
//! Placeholders:
//! `{match}`, `{entity}` (the earlier copy).
//!
//! Knows nothing of files, input formats, positions or reporters: it sees a
//! segment's text and tokens. Linear: each conjunction, comma or capitalised
//! word is looked at once, with a few tokens around it.

use std::collections::HashSet;
use std::ops::Range;
use std::sync::Arc;

use serde::Deserialize;

use super::{Check, KeyMap, Output, RuleContext};
use crate::diagnostics::RuleError;
use crate::document::{KeyBits, Segment, Token, TokenKind, fold_key};
use crate::finding::{Finding, RuleMeta};

/// The most tokens a repeated name may have: the first copy starts at most
/// this far before the conjunction or comma, so most of them are passed
/// over after a few comparisons (longer names hardly ever repeat whole).
const NAME_WORDS: usize = 8;

pub(crate) const KEYS: &[&str] = &[
    "shape",
    "conjunctions",
    "connectors",
    "closers",
    "common-words",
    "determiners",
    "allow",
];

#[derive(Deserialize, Clone, Copy, PartialEq, Eq)]
#[serde(rename_all = "kebab-case")]
enum Shape {
    Coordination,
    Apposition,
    InnerName,
}

#[derive(Deserialize)]
#[serde(rename_all = "kebab-case")]
struct Spec {
    shape: Shape,
    #[serde(default)]
    conjunctions: Vec<String>,
    #[serde(default)]
    connectors: Vec<String>,
    #[serde(default)]
    closers: Vec<String>,
    #[serde(default)]
    common_words: Vec<String>,
    #[serde(default)]
    determiners: Vec<String>,
    #[serde(default)]
    allow: Vec<String>,
}

/// A set of token keys with a 256-bit filter in front: most tokens are in
/// no set, and one bit test says so without a hash lookup.
#[derive(Default)]
struct KeySet {
    filter: [u64; 4],
    keys: KeyMap<()>,
}

impl KeySet {
    /// False when `key` is certainly not in the set.
    #[inline]
    fn may_contain(&self, key: u64) -> bool {
        self.filter[((key >> 6) & 3) as usize] & (1 << (key & 63)) != 0
    }

    #[inline]
    fn contains(&self, key: u64) -> bool {
        self.may_contain(key) && self.keys.contains_key(&key)
    }
}

struct EntityDuplicate {
    shape: Shape,
    /// Keys of the conjunctions: a short list, compared one by one behind
    /// a one-word filter (one bit per key, by its low six bits).
    conjunctions: Vec<u64>,
    conjunction_bits: u64,
    /// The conjunctions as written (lower-case, between spaces), for the
    /// scan of the tokens.
    conjunction_needles: Needles,
    /// The connectors that may follow a name's first word (those that are
    /// not determiners), then the conjunctions, for the scan of the tokens.
    head_needles: Needles,
    connectors: KeySet,
    closers: KeySet,
    common_words: KeySet,
    determiners: KeySet,
    /// Lower-cased allowed words and names, spaces normalised.
    allow: HashSet<String>,
    out: Output,
}

fn key_set(words: &[String]) -> KeySet {
    let mut set = KeySet::default();
    for w in words {
        let key = fold_key(w);
        set.filter[((key >> 6) & 3) as usize] |= 1 << (key & 63);
        set.keys.insert(key, ());
    }
    set
}

pub(crate) fn build(ctx: &RuleContext<'_>) -> Result<Box<dyn Check>, RuleError> {
    let spec: Spec = ctx.spec()?;
    if spec.shape == Shape::Coordination && spec.conjunctions.is_empty() {
        return Err(ctx.error(None, "`shape = \"coordination\"` needs `conjunctions`"));
    }
    let out = ctx.output(|v| matches!(v, "match" | "entity"), "{match}, {entity}")?;
    Ok(Box::new(EntityDuplicate {
        shape: spec.shape,
        conjunction_bits: spec
            .conjunctions
            .iter()
            .fold(0, |bits, w| bits | 1 << (fold_key(w) & 63)),
        conjunctions: spec.conjunctions.iter().map(|w| fold_key(w)).collect(),
        head_needles: Needles::new(
            spec.connectors
                .iter()
                .filter(|c| !spec.determiners.iter().any(|d| d.eq_ignore_ascii_case(c)))
                .map(|w| (w.as_str(), false))
                .chain(spec.conjunctions.iter().map(|w| (w.as_str(), true))),
        ),
        conjunction_needles: Needles::new(spec.conjunctions.iter().map(|w| (w.as_str(), true))),
        connectors: key_set(&spec.connectors),
        closers: key_set(&spec.closers),
        common_words: key_set(&spec.common_words),
        determiners: key_set(&spec.determiners),
        allow: spec
            .allow
            .iter()
            .map(|a| {
                a.split_whitespace()
                    .collect::<Vec<_>>()
                    .join(" ")
                    .to_lowercase()
            })
            .collect(),
        out,
    }))
}

/// The first char of a word token, read from its first byte when ASCII.
#[inline]
fn first_char(t: &Token, text: &str) -> Option<char> {
    if t.kind != TokenKind::Word {
        return None;
    }
    match text.as_bytes().get(t.start as usize) {
        Some(&b) if b < 0x80 => Some(char::from(b)),
        _ => text[t.start as usize..].chars().next(),
    }
}

#[inline]
fn capitalised(t: &Token, text: &str) -> bool {
    first_char(t, text).is_some_and(char::is_uppercase)
}

#[inline]
fn lowercase(t: &Token, text: &str) -> bool {
    first_char(t, text).is_some_and(char::is_lowercase)
}

/// The first token at or after `from` that starts at or after byte `at`:
/// a galloping search, as the next conjunction or comma is usually a few
/// tokens on (a binary search over the rest of a long segment costs more).
fn seek(tokens: &[Token], from: usize, at: usize) -> usize {
    let before = |k: usize| (tokens[k].start as usize) < at;
    let mut step = 1;
    let mut lo = from;
    while lo + step < tokens.len() && before(lo + step) {
        lo += step;
        step *= 2;
    }
    let hi = (lo + step).min(tokens.len());
    lo + tokens[lo..hi].partition_point(|t| (t.start as usize) < at)
}

/// Whether byte `b` may be part of a word token: an ASCII letter or digit,
/// an apostrophe or hyphen, or a byte of a non-ASCII char.
fn word_byte(b: u8) -> bool {
    b.is_ascii_alphanumeric() || matches!(b, b'\'' | b'-') || b >= 0x80
}

/// The word that ends at byte `at` (empty if none does).
fn word_before(bytes: &[u8], at: usize) -> &[u8] {
    let start = bytes[..at]
        .iter()
        .rposition(|&b| !word_byte(b))
        .map_or(0, |i| i + 1);
    &bytes[start..at]
}

/// [`word_before`] the needle at token `k`, which starts one byte after
/// `at`: the word token before it when that token ends at `at` and no word
/// byte comes before it (a word token is all word bytes, so the two agree),
/// else by scanning back.
fn word_before_token<'b>(bytes: &'b [u8], tokens: &[Token], k: usize, at: usize) -> &'b [u8] {
    if let Some(p) = k.checked_sub(1).map(|p| &tokens[p]) {
        let start = p.start as usize;
        if p.kind == TokenKind::Word
            && p.end as usize == at
            && (start == 0 || !word_byte(bytes[start - 1]))
        {
            return &bytes[start..at];
        }
    }
    word_before(bytes, at)
}

/// The word that starts at byte `at` (empty if none does).
fn word_after(bytes: &[u8], at: usize) -> &[u8] {
    let rest = bytes.get(at..).unwrap_or_default();
    &rest[..rest
        .iter()
        .position(|&b| !word_byte(b))
        .unwrap_or(rest.len())]
}

/// Words sought as written, lower-cased, between two single spaces (a
/// short word alone, "or", is inside many others: "for", "more"). They are
/// found among the tokens, behind a one-word filter of their keys: the
/// tokens are there already for every rule, and a search of the text per
/// word costs a pass each over bytes that are mostly spaces and common
/// letters.
#[derive(Default)]
struct Needles {
    /// The needles' keys, a filter for the tokens to look at.
    bits: KeyBits,
    /// (key, the word between spaces, whether it is a conjunction).
    words: Vec<(u64, Box<[u8]>, bool)>,
}

impl Needles {
    fn new<'w>(words: impl Iterator<Item = (&'w str, bool)>) -> Self {
        let mut needles = Needles::default();
        for (word, is_conjunction) in words {
            let lower = word.to_lowercase();
            let key = fold_key(&lower);
            needles.bits.insert(key);
            let spaced = format!(" {lower} ").into_bytes().into_boxed_slice();
            needles.words.push((key, spaced, is_conjunction));
        }
        needles
    }

    /// Calls `found` for each token `k` that is one of the words between
    /// single spaces, with the byte offset of the space before it, the
    /// needle's length and whether it is a conjunction, in text order (a
    /// word listed twice comes twice). Only the tokens whose key has one of
    /// the needles' bits are looked at (see [`Segment::tokens_marked`]).
    #[inline]
    fn each(&self, seg: &Segment<'_>, mut found: impl FnMut(usize, usize, usize, bool)) {
        let tokens = seg.tokens();
        let bytes = seg.text().as_bytes();
        for &k in seg.tokens_marked(self.bits).iter() {
            let k = k as usize;
            let t = &tokens[k];
            if t.start == 0 {
                continue;
            }
            let at = t.start as usize - 1;
            for (key, needle, is_conjunction) in &self.words {
                if *key == t.key && bytes.get(at..at + needle.len()) == Some(&needle[..]) {
                    found(k, at, needle.len(), *is_conjunction);
                }
            }
        }
    }
}

/// A past tense by its look: five letters or more, in `-ed`, not `-eed`.
fn past_tense(word: &str) -> bool {
    let lower = word.to_lowercase();
    lower.chars().count() >= 5 && lower.ends_with("ed") && !lower.ends_with("eed")
}

impl EntityDuplicate {
    #[inline]
    fn is_conjunction(&self, t: &Token) -> bool {
        self.conjunction_bits & (1 << (t.key & 63)) != 0
            && self.conjunctions.contains(&t.key)
            && t.kind == TokenKind::Word
    }

    fn is(&self, set: &KeySet, t: &Token) -> bool {
        t.kind == TokenKind::Word && set.contains(t.key)
    }

    /// Whether token `k` continues a name whose previous token is `k - 1`:
    /// a capitalised word (not one of `common-words`) or a number; the dot of
    /// an initial ("U.S."); a connector before a capitalised word.
    fn continues_name(&self, tokens: &[Token], text: &str, k: usize) -> bool {
        let Some(t) = tokens.get(k) else {
            return false;
        };
        // A name does not go on across a line break (a headline line and
        // the paragraph under it).
        if k > 0 && text[tokens[k - 1].end as usize..t.start as usize].contains('\n') {
            return false;
        }
        // A capitalised common word is a sentence's first word ("In").
        if capitalised(t, text) && !self.is(&self.common_words, t) || t.kind == TokenKind::Number {
            return true;
        }
        if t.text(text) == "." && k > 0 && {
            let prev = &tokens[k - 1];
            prev.end == t.start && prev.kind == TokenKind::Word
        } {
            let prev = &tokens[k - 1];
            // The dot of an initial: after one letter, or before another.
            let initial = prev.text(text).chars().count() == 1;
            let inner = tokens
                .get(k + 1)
                .is_some_and(|n| n.start == t.end && n.kind == TokenKind::Word);
            return initial || inner;
        }
        // Connectors, one or two ("of the"), before a capitalised word.
        let connector = |k: usize| tokens.get(k).is_some_and(|t| self.is(&self.connectors, t));
        let capital = |k: usize| tokens.get(k).is_some_and(|t| capitalised(t, text));
        connector(k) && (capital(k + 1) || (connector(k + 1) && capital(k + 2)))
    }

    /// Whether a name goes on before token `start` (the token before it is
    /// part of the same name).
    fn name_before(&self, tokens: &[Token], text: &str, start: usize) -> bool {
        start > 0 && self.continues_name(tokens, text, start - 1)
    }

    /// The end (exclusive) of the name that starts at token `n`.
    fn name_end(&self, tokens: &[Token], text: &str, n: usize) -> usize {
        let mut k = n + 1;
        while self.continues_name(tokens, text, k) {
            k += 1;
        }
        k
    }

    /// Whether tokens `a` and `b` (equally long) have the same keys.
    fn same(tokens: &[Token], a: Range<usize>, b: Range<usize>) -> bool {
        a.len() == b.len()
            && tokens[a]
                .iter()
                .zip(&tokens[b])
                .all(|(x, y)| x.key == y.key)
    }

    fn allowed(&self, text: &str, tokens: &[Token], r: Range<usize>) -> bool {
        let span = &text[tokens[r.start].start as usize..tokens[r.end - 1].end as usize];
        self.allow.contains(
            &span
                .split_whitespace()
                .collect::<Vec<_>>()
                .join(" ")
                .to_lowercase(),
        )
    }

    /// Whether what follows token `end - 1` ends a conjunct there.
    fn closes(&self, tokens: &[Token], text: &str, end: usize) -> bool {
        match tokens.get(end) {
            None => true,
            // An apostrophe after the word is a possessive ("veterans'
            // families"), which goes on.
            Some(t) if t.kind == TokenKind::Punct => !matches!(t.text(text), "'" | "’"),
            Some(t) => {
                lowercase(t, text) && (self.is(&self.closers, t) || past_tense(t.text(text)))
            }
        }
    }

    fn report(
        &self,
        seg: &Segment<'_>,
        tokens: &[Token],
        later: Range<usize>,
        earlier: Range<usize>,
        out: &mut Vec<Finding>,
    ) {
        let text = seg.text();
        let range = tokens[later.start].start as usize..tokens[later.end - 1].end as usize;
        let entity =
            &text[tokens[earlier.start].start as usize..tokens[earlier.end - 1].end as usize];
        let matched = &text[range.clone()];
        out.push(self.out.finding(seg, range, |v| match v {
            "match" => Some(matched),
            "entity" => Some(entity),
            _ => None,
        }));
    }

    /// "Lee and Lee signed", "the Bureau of Statistics and Statistics".
    fn coordination(&self, seg: &Segment<'_>, out: &mut Vec<Finding>) {
        let text = seg.text();
        let tokens = seg.tokens();
        let bytes = text.as_bytes();
        self.conjunction_needles.each(seg, |c, at, len, _| {
            // A lower-case word after the conjunction must be the word
            // before it: most conjunctions are passed over here, from the
            // bytes, without looking at more tokens.
            let after = at + len;
            if !bytes
                .get(after)
                .is_some_and(|&b| b.is_ascii_uppercase() || b >= 0x80)
                && !word_before_token(bytes, tokens, c, at)
                    .eq_ignore_ascii_case(word_after(bytes, after))
            {
                return;
            }
            // The needle matched the conjunction itself: only a word
            // before it and one after it are left to ask for.
            if c == 0 || c + 1 >= tokens.len() {
                return;
            }
            self.conjunct(seg, tokens, c, out);
        });
    }

    /// The coordination at conjunction token `c`.
    fn conjunct(&self, seg: &Segment<'_>, tokens: &[Token], c: usize, out: &mut Vec<Finding>) {
        let text = seg.text();
        let n = c + 1;
        let next = &tokens[n];
        // Most conjunctions join different words: the word after it
        // must appear just before it.
        if next.kind != TokenKind::Word
            || !tokens[c.saturating_sub(NAME_WORDS)..c]
                .iter()
                .any(|t| t.key == next.key)
            || self.is(&self.common_words, next)
        {
            return;
        }
        if capitalised(next, text) {
            let end = self.name_end(tokens, text, n);
            let m = end - n;
            if m > c || !Self::same(tokens, c - m..c, n..end) {
                return;
            }
            // The first conjunct is the name, or the end of one after a
            // connector ("the Bureau of Statistics"); after a capitalised
            // word it is another place ("Northern Ireland and Ireland").
            let start = c - m;
            let whole_or_head = !self.name_before(tokens, text, start)
                || self.is(&self.connectors, &tokens[start - 1]);
            if whole_or_head
                && self.closes(tokens, text, end)
                && !self.allowed(text, tokens, n..end)
            {
                self.report(seg, tokens, n..end, c - m..c, out);
            }
        } else {
            // A lower-case word: the first conjunct must be the word alone.
            let p = c - 1;
            if tokens[p].key != next.key {
                return;
            }
            let word = next.text(text).to_lowercase();
            // A noun after an article, possessive or preposition; verbs
            // doubled for effect ("waited and waited", "kept selling and
            // selling") and idioms ("between man and man") have none.
            let bare = p > 0 && self.is(&self.determiners, &tokens[p - 1]);
            if bare
                && !word.ends_with("er")
                && !self.allowed(text, tokens, n..n + 1)
                && self.closes(tokens, text, n + 1)
            {
                self.report(seg, tokens, n..n + 1, p..p + 1, out);
            }
        }
    }

    /// "a village in Tuscany, Tuscany".
    fn apposition(&self, seg: &Segment<'_>, out: &mut Vec<Finding>) {
        let text = seg.text();
        let tokens = seg.tokens();
        let bytes = text.as_bytes();
        // Commas are found in the text (a vectorised search); only those
        // followed by a space and what may be a capital letter are looked
        // up among the tokens, from a cursor.
        let mut cursor = 0;
        for at in memchr::memchr_iter(b',', bytes) {
            if bytes.get(at + 1) != Some(&b' ')
                || !bytes
                    .get(at + 2)
                    .is_some_and(|&b| b.is_ascii_uppercase() || b >= 0x80)
            {
                continue;
            }
            cursor = seek(tokens, cursor, at);
            let c = cursor;
            if c == 0 || c + 1 >= tokens.len() || tokens[c].start as usize != at {
                continue;
            }
            let n = c + 1;
            // Most commas part different words: the word after it must
            // appear just before it.
            if !tokens[c.saturating_sub(NAME_WORDS)..c]
                .iter()
                .any(|t| t.key == tokens[n].key)
                || !capitalised(&tokens[n], text)
                || self.is(&self.common_words, &tokens[n])
            {
                continue;
            }
            let end = self.name_end(tokens, text, n);
            let m = end - n;
            if m > c || !Self::same(tokens, c - m..c, n..end) {
                continue;
            }
            // The first copy is a whole name, not the end of a longer one
            // ("New York, York").
            let start = c - m;
            let whole = !self.name_before(tokens, text, start);
            let closed = tokens.get(end).is_none_or(|t| t.kind == TokenKind::Punct);
            // Three copies or more ("Ding, Ding, Ding") are a loop or a sound,
            // the repetition-loop rule's to judge.
            let comma = |k: usize| tokens.get(k).is_some_and(|t| t.text(text) == ",");
            let third = (comma(end)
                && end + 1 + m <= tokens.len()
                && Self::same(tokens, n..end, end + 1..end + 1 + m))
                || (start > m
                    && comma(start - 1)
                    && Self::same(tokens, start - 1 - m..start - 1, n..end));
            if whole && closed && !third && !self.allowed(text, tokens, n..end) {
                self.report(seg, tokens, n..end, start..c, out);
            }
        }
    }

    /// "the Act on Data Security Act", "the Research and Research Institute".
    fn inner_name(&self, seg: &Segment<'_>, out: &mut Vec<Finding>) {
        let text = seg.text();
        let tokens = seg.tokens();
        let bytes = text.as_bytes();
        // Both shapes turn on a word between spaces: a connector right
        // after a name's first word, or a conjunction.
        self.head_needles.each(seg, |k, at, len, is_conjunction| {
            // Both shapes need a capitalised word before (and for a
            // conjunction, the same word after): most are passed over here,
            // from the bytes.
            let before = word_before_token(bytes, tokens, k, at);
            if !before
                .first()
                .is_some_and(|&b| b.is_ascii_uppercase() || b >= 0x80)
                || (is_conjunction && !before.eq_ignore_ascii_case(word_after(bytes, at + len)))
            {
                return;
            }
            if k == 0 || k + 1 >= tokens.len() || !capitalised(&tokens[k - 1], text) {
                return;
            }
            if is_conjunction {
                self.the_x_and_x(seg, tokens, k, out);
            } else {
                self.head_of_name(seg, tokens, k, out);
            }
        });
    }

    /// The name whose first word is token `k - 1`, before the connector `k`.
    fn head_of_name(&self, seg: &Segment<'_>, tokens: &[Token], k: usize, out: &mut Vec<Finding>) {
        let text = seg.text();
        if !self.is(&self.connectors, &tokens[k]) || !self.continues_name(tokens, text, k) {
            return;
        }
        // The name starts at the head, or at a determiner just before it
        // ("The Act on …"); otherwise the head is inside a longer name.
        let head = k - 1;
        let start = if !self.name_before(tokens, text, head) {
            head
        } else if head > 0
            && self.is(&self.determiners, &tokens[head - 1])
            && !self.name_before(tokens, text, head - 1)
        {
            head - 1
        } else {
            return;
        };
        let end = self.name_end(tokens, text, start);
        self.head_again(seg, tokens, start, end, out);
    }

    /// "the X and X Y": a one-word name after a determiner, the conjunction
    /// `k`, and the same word heading a longer name.
    fn the_x_and_x(&self, seg: &Segment<'_>, tokens: &[Token], k: usize, out: &mut Vec<Finding>) {
        let text = seg.text();
        if k >= 2
            && self.is_conjunction(&tokens[k])
            && self.is(&self.determiners, &tokens[k - 2])
            && tokens[k + 1].key == tokens[k - 1].key
            && capitalised(&tokens[k + 1], text)
            && tokens.get(k + 2).is_some_and(|t| capitalised(t, text))
            && !self.is(&self.common_words, &tokens[k - 1])
        {
            self.report(seg, tokens, k + 1..k + 2, k - 1..k, out);
        }
    }

    /// Reports the name at tokens `start..end` when its first word, past a
    /// determiner ("The"), comes back as its last.
    fn head_again(
        &self,
        seg: &Segment<'_>,
        tokens: &[Token],
        start: usize,
        end: usize,
        out: &mut Vec<Finding>,
    ) {
        let text = seg.text();
        let Some(f) = (start..end).find(|&f| !self.is(&self.determiners, &tokens[f])) else {
            return;
        };
        if end - f < 4 {
            return;
        }
        let last = end - 1;
        let head = &tokens[f];
        // The first word heads the name: a connector other than a
        // determiner follows it ("Act on …", "Bank of …"); "Circuit Court of
        // Appeals of the Eighth Circuit" starts with a modifier, and in
        // "neighboring States the United States" a "the" joins two names.
        let connected = self.is(&self.connectors, &tokens[f + 1])
            && !self.is(&self.determiners, &tokens[f + 1]);
        if head.kind == TokenKind::Word
            && tokens[last].key == head.key
            && connected
            && !self.is(&self.common_words, head)
            && !self.allowed(text, tokens, f..f + 1)
        {
            self.report(seg, tokens, last..end, f..f + 1, out);
        }
    }
}

impl Check for EntityDuplicate {
    fn meta(&self) -> &Arc<RuleMeta> {
        &self.out.meta
    }

    fn check_segment(&self, seg: &Segment<'_>, out: &mut Vec<Finding>) {
        match self.shape {
            Shape::Coordination => self.coordination(seg, out),
            Shape::Apposition => self.apposition(seg, out),
            Shape::InnerName => self.inner_name(seg, out),
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::check::testing::{load_error, matched, run};

    const COMMON: &str = r#"
id = "t"
kind = "entity-duplicate"
category = "repetition"
severity = "warning"
message = "“{match}” repeats “{entity}”"
summary = "s"
why = "w"
conjunctions = ["and", "or"]
connectors = ["of", "on", "the"]
closers = ["is", "was", "said"]
common-words = ["the", "of", "for", "in", "and", "should", "well"]
determiners = ["the", "for", "of", "those"]
allow = ["again", "New York"]
"#;

    fn rule(shape: &str) -> String {
        format!("{COMMON}shape = \"{shape}\"\n")
    }

    #[test]
    fn coordination_of_a_name_with_itself() {
        let r = rule("coordination");
        assert_eq!(
            run(&r, "Lee and Lee signed it."),
            vec![("Lee".into(), "“Lee” repeats “Lee”".into(), None)]
        );
        assert_eq!(
            matched(&r, "the Bureau of Statistics and Statistics."),
            vec!["Statistics"]
        );
        assert_eq!(
            matched(&r, "in Kansas City or Kansas City said"),
            vec!["Kansas City"]
        );
        assert_eq!(matched(&r, "with the U.S. and U.S."), vec!["U.S."]);
        // Found among the tokens in order.
        assert_eq!(
            matched(
                &r,
                "Lee and Lee signed. Kim or Kim said. Lee and Lee signed."
            ),
            vec!["Lee", "Kim", "Lee"]
        );
        // A conjunction written otherwise is not one ("AND", "and/or").
        assert!(matched(&r, "LEE AND LEE SIGNED. Lee and/Lee said").is_empty());
        // A second conjunct that goes on, or a first that is another place.
        for ok in [
            "the U.S. and U.S. allies",
            "China and China Mobile",
            "Northern Ireland and Ireland met",
            "Article 5 and Article 6",
            "Lee and Lee Kuan Yew",
            "Lee and Lee's wife",
        ] {
            assert!(matched(&r, ok).is_empty(), "{ok}");
        }
    }

    #[test]
    fn coordination_of_a_common_noun_with_itself() {
        let r = rule("coordination");
        assert_eq!(matched(&r, "for status and status was"), vec!["status"]);
        assert_eq!(
            matched(&r, "of well-being and well-being."),
            vec!["well-being"]
        );
        assert_eq!(matched(&r, "of measles and measles."), vec!["measles"]);
        for ok in [
            "measles and measles.",
            "of measles and measles vaccines",
            "They waited and waited.",
            "kept selling and selling.",
            "between man and man.",
            "for those veterans and veterans' families",
            "old people and people with asthma",
            "closer and closer.",
            "again and again.",
            "should or should not",
            "climate and climate-related",
            "the well-being and well-being-related",
        ] {
            assert!(matched(&r, ok).is_empty(), "{ok}");
        }
    }

    #[test]
    fn apposition_of_a_name_with_itself() {
        let r = rule("apposition");
        assert_eq!(
            matched(&r, "a village in Tuscany, Tuscany."),
            vec!["Tuscany"]
        );
        assert_eq!(matched(&r, "Hanoi, Hanoi, Haiphong"), vec!["Hanoi"]);
        assert_eq!(matched(&r, "Kansas City, Kansas City"), vec!["Kansas City"]);
        assert_eq!(matched(&r, "in Ürümqi, Ürümqi."), vec!["Ürümqi"]);
        for ok in [
            "Washington, D.C., and Paris, Texas.",
            "New York, New York.",
            "in New York, York.",
            "In Paris, Paris police said.",
            "Ding, Ding, Ding.",
            "Well, Well.",
            "the Bank of Tuscany, Tuscany.",
        ] {
            assert!(matched(&r, ok).is_empty(), "{ok}");
        }
    }

    #[test]
    fn a_name_that_repeats_its_head() {
        let r = rule("inner-name");
        assert_eq!(
            matched(&r, "under the Act on Data Security Act."),
            vec!["Act"]
        );
        assert_eq!(matched(&r, "The Act on the Press Act"), vec!["Act"]);
        assert_eq!(
            matched(&r, "at the Research and Research Institute"),
            vec!["Research"]
        );
        for ok in [
            "Walla Walla University",
            "the Council of Europe Council of Ministers",
            "China and China Mobile",
            "the Act on Data Security",
            "the Research and Development Institute",
            "the Act Act",
            "the Circuit Court of Appeals of the Eighth Circuit",
            "between neighboring States the United States kept out",
            "TALKS ON THE FUTURE OF TRADE\n\nTalks on the future went on.",
        ] {
            assert!(matched(&r, ok).is_empty(), "{ok}");
        }
    }

    #[test]
    fn seek_finds_the_first_token_at_or_after_an_offset() {
        let seg = crate::document::Segment::verbatim("a bb ccc dddd eeeee ffffff g", 0);
        let tokens = seg.tokens();
        for from in 0..tokens.len() {
            for at in 0..=seg.text().len() + 1 {
                let expected = from + tokens[from..].partition_point(|t| (t.start as usize) < at);
                assert_eq!(super::seek(tokens, from, at), expected, "{from} {at}");
            }
        }
    }

    #[test]
    fn coordination_needs_conjunctions() {
        let err = load_error(&rule("coordination").replace("conjunctions = [\"and\", \"or\"]", ""));
        assert!(err.contains("conjunctions"), "{err}");
        let err = load_error(&rule("sideways"));
        assert!(err.contains("sideways"), "{err}");
    }
}
