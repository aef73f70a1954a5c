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
use super::{Check, MAX_FINDINGS_PER_RULE, Output, RuleContext, char_at, char_before};
use crate::diagnostics::RuleError;
use crate::document::{Document, Segment};
use crate::finding::{Finding, RuleMeta};

pub(crate) const KEYS: &[&str] = &["pairs"];

#[derive(Deserialize)]
struct Spec {
    pairs: Spanned<Vec<(char, char)>>,
}

struct Pairs {
    marks: Marks,
    out: Output,
}

/// The pairs of a rule, compiled for the scan.
struct Marks {
    pairs: Vec<(char, char)>,
    /// For each pair, the index of its opening char among the distinct
    /// opening chars: pairs that share an opener share its openers.
    opener: Vec<usize>,
    /// Number of distinct opening chars.
    openers: usize,
    /// First UTF-8 bytes of every pair char: the scan jumps from one to the
    /// next without looking at the bytes in between.
    first_bytes: ByteSet,
}

impl Marks {
    fn new(pairs: Vec<(char, char)>) -> Self {
        let first_bytes = ByteSet::new(pairs.iter().flat_map(|&(o, c)| {
            let mut buf = [0u8; 4];
            [o, c].map(|ch| ch.encode_utf8(&mut buf).as_bytes()[0])
        }));
        let mut chars: Vec<char> = Vec::new();
        let opener = pairs
            .iter()
            .map(|&(o, _)| {
                chars.iter().position(|&c| c == o).unwrap_or_else(|| {
                    chars.push(o);
                    chars.len() - 1
                })
            })
            .collect();
        Marks {
            pairs,
            opener,
            openers: chars.len(),
            first_bytes,
        }
    }
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
    Ok(Box::new(Pairs {
        marks: Marks::new(spec.pairs.into_inner()),
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
    /// A straight `'` that opened: it may be an apostrophe ('em, al-'Adad),
    /// so it pairs but is never reported unpaired.
    silent: bool,
}

/// The openers of one paragraph still waiting for their closer, in text
/// order, and for each opening char where its openers are: finding the
/// innermost opener of a char, or dropping every opener of a char, walks no
/// other opener. (A walk per mark is quadratic: a paragraph of one long line
/// may leave hundreds of thousands of openers waiting.)
struct Openers {
    /// In text order; `None` where an opener was dropped (a quotation
    /// reopened at the start of a line).
    stack: Vec<Option<Open>>,
    /// For each opening char (see [`Marks::opener`]), the stack indices of
    /// its openers, ascending.
    by_char: Vec<Vec<usize>>,
    /// Stack slots and indices looked at or removed (tests bound it).
    work: usize,
}

impl Openers {
    fn new(openers: usize) -> Self {
        Openers {
            stack: Vec::new(),
            by_char: vec![Vec::new(); openers],
            work: 0,
        }
    }

    fn push(&mut self, opener: usize, open: Open) {
        self.by_char[opener].push(self.stack.len());
        self.stack.push(Some(open));
    }

    /// Stack index of the innermost opener of opening char `opener`.
    fn innermost(&self, opener: usize) -> Option<usize> {
        self.by_char[opener].last().copied()
    }

    /// Whether no opener is open inside the one at stack index `k`.
    fn is_innermost(&self, k: usize) -> bool {
        self.by_char
            .iter()
            .all(|list| list.last().is_none_or(|&i| i <= k))
    }

    /// The opener at stack index `k`, unless it was dropped.
    fn get(&self, k: usize) -> Option<Open> {
        self.stack.get(k).copied().flatten()
    }

    /// Drops every opener of opening char `opener` (a quotation the next
    /// paragraph reopens).
    fn drop_char(&mut self, opener: usize) {
        let Openers {
            stack,
            by_char,
            work,
        } = self;
        *work += by_char[opener].len();
        for i in by_char[opener].drain(..) {
            stack[i] = None;
        }
    }

    /// Takes the opener at stack index `k` as closed; those above it, still
    /// open inside, are unpaired and given to `unpaired` in text order.
    fn close(&mut self, k: usize, mut unpaired: impl FnMut(Open)) {
        self.work += self.stack.len() - k;
        for o in self.stack.drain(k..).skip(1).flatten() {
            unpaired(o);
        }
        for list in &mut self.by_char {
            while list.last().is_some_and(|&i| i >= k) {
                list.pop();
                self.work += 1;
            }
        }
    }

    /// Drops the openers of opening char `opener` that are not on the line
    /// starting at `line_start`: a line that reopens a quotation continues it.
    fn reopen(&mut self, opener: usize, line_start: usize) {
        let Openers {
            stack,
            by_char,
            work,
        } = self;
        let list = &mut by_char[opener];
        // Line starts only grow along the stack: those kept are a suffix.
        let keep = list
            .iter()
            .rposition(|&i| stack[i].is_none_or(|o| o.line_start != line_start))
            .map_or(0, |r| r + 1);
        *work += list.len() + 1;
        for i in list.drain(..keep) {
            stack[i] = None;
        }
    }

    /// The openers left, in text order; leaves none (and no work counted),
    /// keeping the buffers.
    fn take_open(&mut self) -> impl Iterator<Item = Open> + '_ {
        for list in &mut self.by_char {
            list.clear();
        }
        self.work = 0;
        self.stack.drain(..).flatten()
    }
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

/// Whether the `"` at byte `i`, after a digit and inside an open
/// quotation, is an inch mark: the next double quote before `end` (the
/// paragraph end) is a `”`, or a `"` that can only close (“"The screen is
/// 20" wide."”), so that one closes the quotation. Where the next one may
/// open, or follows a digit too (“"02" sorts before "10"”), this one closes.
fn is_inch_mark(text: &str, i: usize, end: usize) -> bool {
    if !char_before(text, i).is_some_and(|p| p.is_ascii_digit()) {
        return false;
    }
    let bytes = text.as_bytes();
    let mut from = i + 1;
    while let Some(k) = memchr::memchr2(b'"', 0xE2, &bytes[from..end]) {
        let j = from + k;
        let Some(c) = char_at(text, j) else {
            return false;
        };
        from = j + c.len_utf8();
        match c {
            '”' => return true,
            '"' => {
                let (prev, next) = (char_before(text, j), char_at(text, j + 1));
                // It closes, and cannot open.
                let opens = is_opening_context(prev) && !next.is_none_or(char::is_whitespace);
                return is_closing_context(next)
                    && prev.is_some_and(|p| !p.is_whitespace() && !p.is_ascii_digit())
                    && !opens;
            }
            '“' => return false,
            _ => {}
        }
    }
    false
}

impl Marks {
    /// What the char at `i` does, given `innermost`, the stack index of the
    /// innermost open opener of an opening char (see [`Marks::opener`]). A char
    /// may belong to several pairs (`"` closes `“` when mixed styles are
    /// listed; `»` opens `»…«` and closes `«…»`): it closes the pair whose
    /// opener is innermost on the stack, if any, and opens otherwise.
    fn role(
        &self,
        text: &str,
        i: usize,
        c: char,
        end: usize,
        innermost: impl Fn(usize) -> Option<usize>,
    ) -> Option<Role> {
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
            if let Some(k) = innermost(self.opener[p]) {
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
        // After a letter, an apostrophe char may end a word (the players’
        // union): it closes an open quote, but only tentatively.
        let maybe_apostrophe = is_apostrophe_char(c) && alnum(prev);
        // After sentence punctuation it cannot be an apostrophe (What?’).
        let after_punctuation = is_apostrophe_char(c)
            && prev.is_some_and(|p| matches!(p, '.' | ',' | '!' | '?' | ';' | ':' | '&' | '…'))
            && is_closing_context(next);
        let close = |q| {
            if maybe_apostrophe {
                Role::CloseOrApostrophe(q)
            } else {
                Role::Close(q)
            }
        };
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
            // A quote before a comma or a closing bracket does not open
            // (“means "matter ")”).
            let opening = is_opening_context(prev)
                && !next.is_none_or(|n| {
                    n.is_whitespace() || matches!(n, ')' | ']' | '}' | ',' | ';' | ':')
                });
            let closing = is_closing_context(next) && !prev.is_none_or(char::is_whitespace);
            return match (opening, closing) {
                (true, false) => Some(Role::Open(p)),
                (false, true) => match closable {
                    // "The screen is 20" wide.": an inch mark inside a
                    // quotation that a later quote closes.
                    Some(_) if c == '"' && is_inch_mark(text, i, end) => None,
                    Some(q) => Some(close(q)),
                    // 20" is an inch mark, not a quote.
                    None if prev.is_some_and(|p| p.is_ascii_digit()) => None,
                    None if is_apostrophe_char(c) && !after_punctuation => {
                        Some(Role::CloseOrApostrophe(p))
                    }
                    None => Some(Role::Close(p)),
                },
                _ => match closable {
                    Some(q) => Some(close(q)),
                    None if is_apostrophe_char(c) => None,
                    None => Some(Role::Open(p)),
                },
            };
        }
        if let Some(q) = closable {
            return Some(close(q));
        }
        if let Some(p) = opens {
            return Some(Role::Open(p));
        }
        let p = first_close?;
        // A German closing ‘ after a word is often typed for the
        // apostrophe ("Aischylos‘ Stück"): it closes only an open ‚.
        if (is_apostrophe_char(c) && !after_punctuation) || (c == '‘' && alnum(prev)) {
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
            && is_list_marker(word)
            && char_before(text, word_start).is_none_or(|b| b.is_whitespace());
        if marker {
            return None;
        }
        Some(Role::Close(p))
    }

    /// Pairs the marks of each paragraph of `text`, giving every unpaired
    /// one to `unpaired` as (byte offset, pair, whether it opens). Returns the
    /// work done behind the marks (bytes searched for a line start, stack
    /// slots and indices looked at or removed), which stays within the
    /// length of the text plus a few steps per mark: the scan is linear.
    ///
    /// What a paragraph leaves open is carried into the next one, where a
    /// closer that finds no opener of its own closes it (“»He said.\n\nThis
    /// is next.«”), and a quote that the next paragraph starts with reopens
    /// it (the news convention); what the next paragraph does not pick up
    /// is unpaired.
    fn scan(
        &self,
        text: &str,
        paragraphs: &[std::ops::Range<usize>],
        mut unpaired: impl FnMut(usize, usize, bool),
    ) -> usize {
        let bytes = text.as_bytes();
        let mut work = 0;
        let opened = |o: Open, unpaired: &mut dyn FnMut(usize, usize, bool)| {
            if !o.silent {
                unpaired(o.at, o.pair, true);
            }
        };
        let mut carried = Openers::new(self.openers);
        // This paragraph's openers; empty again at the end of each one, so
        // its buffers serve the next.
        let mut stack = Openers::new(self.openers);
        // For each opening char, the opener a tentative apostrophe closed
        // last (‘The players’ union agreed,’): a certain closer that finds
        // no opener takes it back.
        let mut tentative: Vec<Option<Open>> = vec![None; self.openers];
        for para in paragraphs {
            tentative.fill(None);
            // The start of the line of the last opener, and how far lines
            // were searched: each byte is searched once.
            let (mut line_start, mut searched) = (para.start, para.start);
            let mut i = para.start;
            while let Some(k) = self.first_bytes.find(&bytes[i..para.end]) {
                let at = i + k;
                let Some(c) = char_at(text, at) else { break };
                i = at + c.len_utf8();
                // Openers carried from the last paragraph are outside
                // (below) this one's.
                let below = carried.stack.len();
                let innermost = |o| {
                    stack
                        .innermost(o)
                        .map(|k| below + k)
                        .or_else(|| carried.innermost(o))
                };
                let Some(role) = self.role(text, at, c, para.end, innermost) else {
                    continue;
                };
                match role {
                    Role::Open(p) => {
                        work += at - searched;
                        if let Some(n) = memchr::memrchr(b'\n', &bytes[searched..at]) {
                            line_start = searched + n + 1;
                        }
                        searched = at;
                        let at_line_start = text[line_start..at].trim_end().is_empty();
                        let opener = self.opener[p];
                        if at_line_start {
                            // The news convention: a new paragraph or line
                            // reopening the quote that the previous one left open.
                            if at == para.start && self.is_quote_pair(p) {
                                carried.drop_char(opener);
                            }
                            stack.reopen(opener, line_start);
                        }
                        stack.push(
                            opener,
                            Open {
                                pair: p,
                                at,
                                line_start,
                                silent: c == '\'',
                            },
                        );
                    }
                    Role::Close(p) | Role::CloseOrApostrophe(p) => {
                        let opener = self.opener[p];
                        let tentative_close = matches!(role, Role::CloseOrApostrophe(_));
                        match stack.innermost(opener) {
                            // An apostrophe closes nothing that other marks
                            // opened inside (“'one … person’ … the players'”).
                            Some(k) if tentative_close && !stack.is_innermost(k) => {}
                            Some(k) => {
                                if tentative_close {
                                    tentative[opener] = stack.get(k);
                                }
                                stack.close(k, |o| opened(o, &mut unpaired));
                            }
                            None if matches!(role, Role::Close(_)) => {
                                if tentative[opener].take().is_some() {
                                    // Paired after all: the earlier one was an apostrophe.
                                } else if let Some(k) = carried.innermost(opener) {
                                    carried.close(k, |o| opened(o, &mut unpaired));
                                } else {
                                    unpaired(at, p, false);
                                }
                            }
                            None => {}
                        }
                    }
                }
            }
            work += stack.work + carried.work;
            for o in carried.take_open() {
                opened(o, &mut unpaired);
            }
            for o in stack.take_open() {
                carried.push(self.opener[o.pair], o);
            }
        }
        work += carried.work;
        for o in carried.take_open() {
            opened(o, &mut unpaired);
        }
        work
    }

    /// Whether pair `p` is a pair of quotes (not brackets).
    fn is_quote_pair(&self, p: usize) -> bool {
        let (open, close) = self.pairs[p];
        is_quote(open) || is_quote(close)
    }
}

impl Pairs {
    fn report(
        &self,
        seg: &Segment<'_>,
        at: usize,
        pair: usize,
        opening: bool,
        out: &mut Vec<Finding>,
    ) {
        let text = seg.text();
        let (open, close) = self.marks.pairs[pair];
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
}

/// Whether `word`, before a closing bracket, is a list or section marker:
/// a number with at most one letter after it ("1", "12", "1a"), one
/// letter ("a", "B") or a short roman numeral ("iv", "XII"). A word
/// ("foo bar)") is not.
fn is_list_marker(word: &str) -> bool {
    if word.is_empty() {
        return false;
    }
    let digits = word.bytes().take_while(u8::is_ascii_digit).count();
    let rest = &word[digits..];
    let roman = |w: &str| {
        w.len() <= 4
            && (w.bytes().all(|b| b"ivxl".contains(&b)) || w.bytes().all(|b| b"IVXL".contains(&b)))
    };
    match (digits, rest.chars().count()) {
        (1..=3, 0) => true,
        (1..=3, 1) | (0, 1) => rest.chars().all(char::is_alphabetic),
        (0, _) => roman(rest),
        _ => false,
    }
}

fn is_quote(c: char) -> bool {
    // Brackets, and the Spanish question and exclamation pairs, are not
    // quotation marks: a quotation split across segments says nothing of them.
    !matches!(
        c,
        '(' | ')' | '[' | ']' | '{' | '}' | '<' | '>' | '¿' | '?' | '¡' | '!'
    )
}

/// A mark that [`Marks::scan`] left unpaired, in segment `segment`.
#[derive(Clone, Copy, Debug)]
struct Unpaired {
    segment: usize,
    at: usize,
    pair: usize,
    opening: bool,
}

impl Pairs {
    /// Whether the target's unpaired marks copy the source's: a source is
    /// present and leaves as many marks unpaired (a quotation its segment
    /// splits, kept as it is). Where the source pairs its marks, or leaves
    /// a different number unpaired, the target's are flagged.
    fn mirrors_source(&self, doc: &Document<'_>, unpaired: usize) -> bool {
        let Some(source) = doc.source.as_deref() else {
            return false;
        };
        let seg = Segment::verbatim(source, 0);
        let mut n = 0;
        self.marks.scan(source, seg.paragraphs(), |_, _, _| n += 1);
        n == unpaired
    }

    /// Whether the one unpaired mark of a document without a source that
    /// is a single sentence (a segment of a sentence-split text) is half of
    /// a quotation split across segments: an opening quote at the start of
    /// the sentence, or after the colon or comma that introduces speech,
    /// which runs to its end; or a closing quote right after the
    /// sentence's end mark, or after a comma before the speech tag
    /// (“…a genius,” she said.). Anywhere else (“This is »not correct.”,
    /// “not correct«”) it is lost.
    fn split_quotation(&self, doc: &Document<'_>, found: &[Unpaired]) -> bool {
        let [u] = found else { return false };
        if doc.source.is_some() || !self.marks.is_quote_pair(u.pair) {
            return false;
        }
        if doc
            .segments
            .iter()
            .map(|s| s.sentences().len())
            .sum::<usize>()
            != 1
        {
            return false;
        }
        let seg = &doc.segments[u.segment];
        let text = seg.text();
        let Some(sentence) = seg.sentences().first().filter(|s| s.contains(&u.at)) else {
            return false;
        };
        // Marks without a word ("!'") are no sentence of a quotation.
        if !text[sentence.clone()].chars().any(char::is_alphabetic) {
            return false;
        }
        if u.opening {
            let before = text[sentence.start..u.at]
                .trim_end_matches(|c: char| c.is_whitespace() || matches!(c, '(' | '['));
            before.is_empty() || before.ends_with([':', ',', '—', '–'])
        } else {
            let close = self.marks.pairs[u.pair].1;
            let after = &text[u.at + close.len_utf8()..sentence.end];
            let at_end = after
                .chars()
                .all(|c| c.is_whitespace() || (is_closing_context(Some(c)) && c != '-'));
            match char_before(text, u.at) {
                Some('.' | '!' | '?' | '…') => at_end,
                Some(',') => true,
                _ => false,
            }
        }
    }
}

impl Check for Pairs {
    fn meta(&self) -> &Arc<RuleMeta> {
        &self.out.meta
    }

    /// The marks of every segment are paired first: whether one is
    /// reported depends on the document (its source, its length).
    fn check(&self, doc: &Document<'_>, out: &mut Vec<Finding>) {
        let mut found = Vec::new();
        for (segment, seg) in doc.segments.iter().enumerate() {
            if found.len() > MAX_FINDINGS_PER_RULE {
                break;
            }
            self.marks
                .scan(seg.text(), seg.paragraphs(), |at, pair, opening| {
                    found.push(Unpaired {
                        segment,
                        at,
                        pair,
                        opening,
                    })
                });
        }
        if found.is_empty()
            || self.mirrors_source(doc, found.len())
            || self.split_quotation(doc, &found)
        {
            return;
        }
        for u in found {
            self.report(&doc.segments[u.segment], u.at, u.pair, u.opening, out);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::{Marks, Open, Role, char_at};
    use crate::check::testing::{matched, run};

    const QUOTES: &str = r#"
id = "t"
kind = "pairs"
category = "quotes"
severity = "warning"
message = "unpaired {side} {char} (no {partner})"
summary = "s"
why = "w"
pairs = [["“", "”"], ["‘", "’"], ['"', '"'], ["'", "'"], ["«", "»"], ["»", "«"], ["“", '"'], ['"', "”"]]
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
            "He said “we will go. Then left.\n\nA new topic.\n\nShe replied no” and left.",
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
    fn a_quote_or_bracket_may_close_in_the_next_paragraph() {
        for text in [
            "»He spoke first, she said.\n\nThen it was her turn.« More text followed.",
            "“He spoke first, she said.\n\nThen it was her turn.” More text followed.",
        ] {
            assert!(matched(QUOTES, text).is_empty(), "{text}");
        }
        assert!(
            matched(
                BRACKETS,
                "Two sentences here. (The first opens.\n\nThe second closes.) Done."
            )
            .is_empty()
        );
        // Not across a whole paragraph in between.
        assert_eq!(
            matched(BRACKETS, "It opens (here.\n\nNothing.\n\nIt closes) here."),
            vec!["(", ")"]
        );
    }

    #[test]
    fn inch_marks_inside_a_quotation() {
        for text in [
            "\"The new screen is 27\" wide.\" He liked it.",
            "“The new screen is 27\" wide,” he said. He liked it.",
            "He said \"it is 27\" and left. Then he came back.",
            "\"02\" comes before \"10\" and the size is 10\". It fits.",
        ] {
            assert!(
                matched(QUOTES, text).is_empty(),
                "{text}: {:?}",
                matched(QUOTES, text)
            );
        }
    }

    #[test]
    fn a_straight_quote_before_a_closing_bracket_closes() {
        assert!(matched(QUOTES, "The word (he said \"matter \") is it. Then more.").is_empty());
    }

    #[test]
    fn an_apostrophe_after_sentence_punctuation_is_a_closing_quote() {
        assert_eq!(
            matched(QUOTES, "He asked why not?' and then he left."),
            vec!["'"]
        );
        assert_eq!(
            matched(QUOTES, "He asked why not?’ and then he left."),
            vec!["’"]
        );
        for text in [
            // A possessive closed the quote first, tentatively.
            "'The players' union agreed,' he said. They left.",
            "‘The players’ union agreed,’ he said. They left.",
            // An opening straight apostrophe is never reported alone.
            "Kill 'em all. Then al-'Adad left.",
            "The boys' team won. The girls' team lost.",
        ] {
            assert!(
                matched(QUOTES, text).is_empty(),
                "{text}: {:?}",
                matched(QUOTES, text)
            );
        }
    }

    #[test]
    fn a_one_sentence_document_may_hold_half_a_split_quotation() {
        for text in [
            "“We will rebuild the bridge by the spring.",
            "The mayor said, “we will rebuild the bridge.",
            "The mayor said: “We will rebuild the bridge.",
            "We will rebuild the bridge by the spring.”",
            "We will rebuild the bridge,” the mayor said.",
        ] {
            assert!(
                matched(QUOTES, text).is_empty(),
                "{text}: {:?}",
                matched(QUOTES, text)
            );
        }
        for (text, want) in [
            // Opened or closed mid-sentence, not as speech.
            ("The bridge is »not safe at all.", "»"),
            ("The bridge is not safe at all«", "«"),
            ("The bridge “is old” now” they said.", "”"),
            // Two sentences: the quotation is lost, not split.
            ("“We will rebuild the bridge. Then the road.", "“"),
        ] {
            assert_eq!(matched(QUOTES, text), vec![want], "{text}");
        }
        // Two unpaired marks are not half of one quotation.
        assert_eq!(
            matched(QUOTES, "“We will rebuild “the bridge."),
            vec!["“", "“"]
        );
    }

    /// Unpaired marks of `target` checked with `source`.
    fn with_source(target: &str, source: &str) -> Vec<String> {
        let ruleset = crate::check::testing::load(QUOTES);
        let doc = crate::document::Document::bilingual(target, source);
        let (found, _) = crate::engine::check_document(&ruleset, &doc);
        found
            .into_iter()
            .map(|f| target[f.span].to_string())
            .collect()
    }

    #[test]
    fn with_a_source_the_target_follows_its_quotes() {
        // The source splits the quotation the same way: silent.
        assert!(
            with_source(
                "Il a dit : « Nous irons demain. Puis partir.",
                "He said: “We will go tomorrow. Then leave."
            )
            .is_empty()
        );
        // The source pairs its quotes: the target lost one, even in one sentence.
        assert_eq!(
            with_source(
                "Il a dit : « Nous irons demain.",
                "He said: “We will go tomorrow.”"
            ),
            vec!["«"]
        );
        // A different count of unpaired quotes.
        assert_eq!(
            with_source("« Nous « irons demain.", "“We will go tomorrow."),
            vec!["«", "«"]
        );
    }

    #[test]
    fn only_marker_shaped_words_before_a_bracket_are_list_markers() {
        for text in [
            "See section 2a) and part iv) or XII) and b) and 14).",
            "Options:\n1) leave\n2b) stay",
        ] {
            assert!(matched(BRACKETS, text).is_empty(), "{text}");
        }
        assert_eq!(matched(BRACKETS, "The { plan was) approved."), vec![")"]);
        assert_eq!(matched(BRACKETS, "It ends here abc) today."), vec![")"]);
        // No word at all: a bracket too many.
        assert_eq!(matched(BRACKETS, "It ends (here) ) today."), vec![")"]);
    }

    #[test]
    fn marks_without_a_word_are_no_split_quotation() {
        assert_eq!(matched(QUOTES, "?'"), vec!["'"]);
        assert_eq!(matched(QUOTES, "!”"), vec!["”"]);
        assert!(matched(QUOTES, "Why not?”").is_empty());
    }

    #[test]
    fn nested_mismatch_reports_the_inner_opener() {
        assert_eq!(matched(QUOTES, "“He said ‘stop now,” she said."), vec!["‘"]);
    }

    const QUOTE_PAIRS: &[(char, char)] = &[
        ('“', '”'),
        ('‘', '’'),
        ('"', '"'),
        ('\'', '\''),
        ('«', '»'),
        ('»', '«'),
        ('“', '"'),
        ('"', '”'),
        ('„', '“'),
    ];
    const BRACKET_PAIRS: &[(char, char)] = &[('(', ')'), ('[', ']')];

    /// The scan as it was before openers were indexed by char: the stack is
    /// walked for the innermost opener of a char and for a reopened
    /// quotation, and each opener's line start is searched for back to the
    /// paragraph start. Same findings in the same order, quadratic work,
    /// counted as [`Marks::scan`] counts its own.
    fn quadratic_scan(
        marks: &Marks,
        text: &str,
        paragraphs: &[std::ops::Range<usize>],
        mut unpaired: impl FnMut(usize, usize, bool),
    ) -> usize {
        let work = std::cell::Cell::new(0);
        let innermost = |stack: &[Open], opener: usize| {
            let k = stack.iter().rposition(|o| marks.opener[o.pair] == opener);
            work.set(work.get() + stack.len() - k.unwrap_or(0));
            k
        };
        let opened = |o: &Open, unpaired: &mut dyn FnMut(usize, usize, bool)| {
            if !o.silent {
                unpaired(o.at, o.pair, true);
            }
        };
        let bytes = text.as_bytes();
        let mut carried: Vec<Open> = Vec::new();
        for para in paragraphs {
            let mut stack: Vec<Open> = Vec::new();
            let mut tentative: Vec<Option<Open>> = vec![None; marks.openers];
            let mut i = para.start;
            while let Some(k) = marks.first_bytes.find(&bytes[i..para.end]) {
                let at = i + k;
                let Some(c) = char_at(text, at) else { break };
                i = at + c.len_utf8();
                let inner = |o| {
                    innermost(&stack, o)
                        .map(|k| carried.len() + k)
                        .or_else(|| innermost(&carried, o))
                };
                let Some(role) = marks.role(text, at, c, para.end, inner) else {
                    continue;
                };
                match role {
                    Role::Open(p) => {
                        work.set(work.get() + at - para.start);
                        let line_start = memchr::memrchr(b'\n', &bytes[para.start..at])
                            .map_or(para.start, |n| para.start + n + 1);
                        let opener = marks.opener[p];
                        if text[line_start..at].trim_end().is_empty() {
                            if at == para.start && marks.is_quote_pair(p) {
                                carried.retain(|o| marks.opener[o.pair] != opener);
                            }
                            work.set(work.get() + stack.len());
                            stack.retain(|o| {
                                marks.opener[o.pair] != opener || o.line_start == line_start
                            });
                        }
                        stack.push(Open {
                            pair: p,
                            at,
                            line_start,
                            silent: c == '\'',
                        });
                    }
                    Role::Close(p) | Role::CloseOrApostrophe(p) => {
                        let opener = marks.opener[p];
                        let tentative_close = matches!(role, Role::CloseOrApostrophe(_));
                        match innermost(&stack, opener) {
                            Some(k) if tentative_close && k + 1 < stack.len() => {}
                            Some(k) => {
                                if tentative_close {
                                    tentative[opener] = Some(stack[k]);
                                }
                                for o in stack.drain(k..).skip(1) {
                                    opened(&o, &mut unpaired);
                                }
                            }
                            None if matches!(role, Role::Close(_)) => {
                                if tentative[opener].take().is_some() {
                                } else if let Some(k) = innermost(&carried, opener) {
                                    for o in carried.drain(k..).skip(1) {
                                        opened(&o, &mut unpaired);
                                    }
                                } else {
                                    unpaired(at, p, false);
                                }
                            }
                            None => {}
                        }
                    }
                }
            }
            for o in carried.drain(..) {
                opened(&o, &mut unpaired);
            }
            carried = stack;
        }
        for o in carried {
            opened(&o, &mut unpaired);
        }
        work.get()
    }

    /// (unpaired marks in report order, work) of a scan of `text`.
    fn scan_with(
        scan: impl Fn(
            &Marks,
            &str,
            &[std::ops::Range<usize>],
            &mut dyn FnMut(usize, usize, bool),
        ) -> usize,
        pairs: &[(char, char)],
        text: &str,
    ) -> (Vec<(usize, usize, bool)>, usize) {
        let marks = Marks::new(pairs.to_vec());
        let seg = crate::document::Segment::verbatim(text, 0);
        let mut found = Vec::new();
        let work = scan(&marks, text, seg.paragraphs(), &mut |at, pair, opening| {
            found.push((at, pair, opening))
        });
        (found, work)
    }

    fn linear(text: &str, pairs: &[(char, char)]) -> (Vec<(usize, usize, bool)>, usize) {
        scan_with(|m, t, p, f| m.scan(t, p, f), pairs, text)
    }

    fn quadratic(text: &str, pairs: &[(char, char)]) -> (Vec<(usize, usize, bool)>, usize) {
        scan_with(|m, t, p, f| quadratic_scan(m, t, p, f), pairs, text)
    }

    /// Indexed openers change no finding and no order (the per-rule cap
    /// keeps the first findings reported).
    #[test]
    fn scan_agrees_with_the_quadratic_scan() {
        let pieces = [
            "“", "”", "‘", "’", "\"", "'", "«", "»", "„", "(", ")", "[", "]", "a", "word", " ",
            " ", "\n", "\n\n", "\n“", "\n\"", " \n ", ". ", ":", "-", "1", "n", "—", "`",
        ];
        for text in crate::test_texts::random_texts(0x5eed_0f9a_1e5d_2c41, &pieces, 60, 4000) {
            for pairs in [QUOTE_PAIRS, BRACKET_PAIRS] {
                assert_eq!(
                    linear(&text, pairs).0,
                    quadratic(&text, pairs).0,
                    "{text:?}"
                );
            }
        }
    }

    /// A paragraph whose openers pile up: brackets left open with closers of
    /// another kind after each (a walk down the stack for each), and lines
    /// that reopen a quotation (a walk for each). The work of the scan stays
    /// within twice the text's length; the quadratic scan's would not.
    #[test]
    fn scan_work_is_linear_in_the_text() {
        let brackets = "[open (a) ".repeat(5_000);
        let quotes = "“one line ‘open\n".repeat(5_000);
        for (text, pairs) in [(&brackets, BRACKET_PAIRS), (&quotes, QUOTE_PAIRS)] {
            let (found, work) = linear(text, pairs);
            let bound = 2 * text.len();
            assert!(work <= bound, "work {work} over {bound}");
            let (old_found, old_work) = quadratic(text, pairs);
            assert_eq!(found, old_found);
            assert!(
                old_work > 100 * bound,
                "the bound would not catch the old scan"
            );
        }
    }
}
