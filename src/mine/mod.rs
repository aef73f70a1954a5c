//! `mtlint mine`: finding scraped boilerplate that recurs across the
//! documents of a group (a site's licence nag, a share widget, its own
//! disclaimer), to be reviewed and kept as phrase rules.
//!
//! # What counts
//! A *unit* of a document is
//! - a whole line of one of its segments (a JSON Lines field, a CSV cell or
//!   a plain file is a segment; a one-line field is a whole line), or
//! - one of the first two sentences of its first line, or one of the last
//!   two sentences of its last line (a disclaimer appended to the last
//!   paragraph).
//!
//! Never a run of words inside prose: "said on Monday" or a dateline that
//! opens a sentence is part of a longer unit, which differs from article to
//! article. A unit is compared in normal form: decoration at both ends
//! (bullets, `»`, `|`, `:`, final `.`) dropped, runs of white space made one
//! space, ASCII letters in lower case (as a phrase rule matches). Units
//! longer than [`MAX_UNIT_BYTES`] are not counted (they are prose, or a
//! whole article copied), nor units with fewer than three letters, nor news
//! furniture that is no artifact: datelines (`BERLIN`, `LONDON, May 3 -`),
//! agency credits (`(Reuters) -`, `AFP`) and bylines (`By Jane Doe`,
//! `Reporting by …`), see [`is_news_furniture`].
//!
//! A unit is a *candidate* in a group when it is in at least `min-docs`
//! documents of the group and in at least `min-share` of them. A candidate
//! row sums the groups where its text is a candidate.
//!
//! # Memory
//! Units are counted by a 64-bit hash of (group, normal form), with no text:
//! about 60 bytes an entry, at most `max-entries` entries. When a shard of
//! the table is full, the entries seen in the fewest documents are dropped
//! (singletons first) and the counts become lower bounds; the run says so.
//! The text of a candidate is read again afterwards, from the two documents
//! where it was first seen (see [`Locations`]).
//!
//! Knows nothing of files, formats or the command line: it is given
//! documents with their group and place, and answers with candidates.

pub mod output;
pub mod rules;

use std::collections::{HashMap, HashSet};
use std::hash::{Hash, Hasher};
use std::sync::{Mutex, OnceLock};

use crate::document::Document;

/// Longest unit counted, in bytes of its normal form.
pub const MAX_UNIT_BYTES: usize = 300;

/// Shards of the count table: each is locked on its own.
const SHARDS: usize = 64;

/// How mining decides.
#[derive(Clone, Debug)]
pub struct MineSettings {
    /// Fewest documents of a group a unit must be in.
    pub min_docs: usize,
    /// Smallest share (0–1) of a group's documents a unit must be in.
    pub min_share: f64,
    /// Most entries of the count table (all shards together).
    pub max_entries: usize,
}

impl Default for MineSettings {
    fn default() -> Self {
        MineSettings {
            min_docs: 5,
            min_share: 0.2,
            max_entries: 1 << 21,
        }
    }
}

/// Where a unit was seen: the input's index in the run and the document's
/// index in its input, in one number that orders as the run reads.
pub type Location = u64;

fn location(input: usize, doc: usize) -> Location {
    ((input as u64) << 32) | (doc as u64 & 0xFFFF_FFFF)
}

/// The input index and document index of a [`Location`].
pub fn place(loc: Location) -> (usize, usize) {
    ((loc >> 32) as usize, (loc & 0xFFFF_FFFF) as usize)
}

/// The two earliest locations of a unit (`u64::MAX`: none), kept whatever
/// order the documents come in: the examples do not depend on threads.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Locations(pub [Location; 2]);

impl Default for Locations {
    fn default() -> Self {
        Locations([Location::MAX; 2])
    }
}

impl Locations {
    fn add(&mut self, loc: Location) {
        let [a, b] = &mut self.0;
        if loc < *a {
            *b = *a;
            *a = loc;
        } else if loc < *b && loc != *a {
            *b = loc;
        }
    }

    fn merge(&mut self, other: Locations) {
        for loc in other.0 {
            if loc != Location::MAX {
                self.add(loc);
            }
        }
    }

    /// The locations kept, earliest first.
    pub fn iter(&self) -> impl Iterator<Item = Location> + '_ {
        self.0.iter().copied().filter(|&l| l != Location::MAX)
    }
}

/// Where a unit stands in one document (bits).
const LINE: u8 = 1;
const START: u8 = 2;
const END: u8 = 4;

/// One unit of a document: its text as found (a line, or a sentence of a
/// line) and where it stands.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Unit<'d> {
    /// The unit as found in the segment's text.
    pub text: &'d str,
    /// The whole line it is (or is in).
    pub line: &'d str,
    /// The non-empty line before it in the document, if any.
    pub before: Option<&'d str>,
    /// A whole line (else a sentence at the start or end).
    pub whole_line: bool,
    flags: u8,
}

/// Characters that may surround a unit without being part of it: those a
/// whole-line phrase rule allows around its phrase, so that what is mined
/// matches as the rule written from it will.
pub use crate::check::is_decoration;

/// `text` without decoration at either end, white space runs made one
/// space; ASCII letters lower-cased when `fold` (the normal form units are
/// compared in), else as written (how a candidate is shown).
pub fn normal_form(text: &str, fold: bool, out: &mut String) {
    out.clear();
    // White space is decoration, and a bracket given back is next to the
    // core: the core neither starts nor ends with white space, so its
    // words joined by one space are its normal form.
    // One pass over the bytes (a loop the compiler vectorises) says
    // whether brackets need a look and whether ASCII rules suffice: ASCII
    // white space is `char::is_whitespace`'s but for the vertical tab.
    let (mut plain, mut brackets) = (true, false);
    for &b in text.as_bytes() {
        plain &= b.is_ascii() && b != 0x0B;
        brackets |= matches!(b, b'(' | b')' | b'[' | b']');
    }
    let core = text.trim_matches(is_decoration);
    let core = if brackets {
        keep_brackets(text, core)
    } else {
        core
    };
    let mut push = |word: &str| {
        if !out.is_empty() {
            out.push(' ');
        }
        out.push_str(word);
    };
    if plain {
        core.split_ascii_whitespace().for_each(&mut push);
    } else {
        core.split_whitespace().for_each(&mut push);
    }
    if fold {
        out.make_ascii_lowercase();
    }
}

/// `core` (a slice of `text` trimmed of decoration) with the bracket
/// before or after it given back when the bracket's partner is inside:
/// `(Source: Xinhua) Read more`, not `Source: Xinhua) Read more`.
fn keep_brackets<'t>(text: &'t str, core: &'t str) -> &'t str {
    let start = core.as_ptr() as usize - text.as_ptr() as usize;
    let (mut from, mut to) = (start, start + core.len());
    for (open, close) in [('(', ')'), ('[', ']')] {
        let inner = &text[from..to];
        let (opens, closes) = (inner.matches(open).count(), inner.matches(close).count());
        if closes > opens && text[..from].ends_with(open) {
            from -= open.len_utf8();
        } else if opens > closes && text[to..].starts_with(close) {
            to += close.len_utf8();
        }
    }
    &text[from..to]
}

/// The 64-bit hash of a normal form.
pub fn text_hash(normal: &str) -> u64 {
    let mut h = std::collections::hash_map::DefaultHasher::new();
    normal.hash(&mut h);
    h.finish()
}

/// The key of a unit in a group.
fn key(group: u32, text: u64) -> u64 {
    let mut h = std::collections::hash_map::DefaultHasher::new();
    (group, text).hash(&mut h);
    h.finish()
}

/// Whether a unit (as shown: decoration dropped, case kept) is news
/// furniture rather than an artifact: a dateline, an agency credit or a
/// byline. These recur in every article of a wire and belong there.
pub fn is_news_furniture(text: &str) -> bool {
    static FURNITURE: OnceLock<regex::Regex> = OnceLock::new();
    let re = FURNITURE.get_or_init(|| {
        let agency = r"(?:Reuters|AP|AFP|dpa|DPA|Xinhua|Bloomberg|EFE|ANSA|Kyodo|Yonhap|TASS|UPI|IANS|PTI|PA|AAP|CNA|Anadolu|Interfax|Agencies|Associated Press|Agence France-Presse)";
        let pattern = format!(
            concat!(
                r"^(?:",
                // A dateline: a place in capitals, maybe a date, maybe an agency.
                r"\p{{Lu}}[\p{{Lu}}\s.'’-]*(?:,\s*[\p{{L}}\s.,]*\d{{1,4}}(?:,?\s*\d{{4}})?)?\s*(?:\(\s*{agency}\s*\))?\s*[-–—:]?",
                // An agency credit alone.
                r"|(?:\(?\s*{agency}\s*\)?\s*[-–—:/,]?\s*)+",
                // A byline or credit line.
                r"|(?i:by|reporting by|written by|additional reporting by|editing by|compiled by|photo:|photo by|source:)\s.{{0,80}}",
                r")$"
            ),
            agency = agency
        );
        regex::Regex::new(&pattern).expect("the news furniture pattern compiles")
    });
    re.is_match(
        text.trim_matches(|c: char| c.is_whitespace() || matches!(c, '»' | '•' | '|' | '*')),
    )
}

/// Whether the normal form of `text` is surely longer than
/// [`MAX_UNIT_BYTES`], from its bytes alone (a loop the compiler
/// vectorises): its core (decoration trimmed) less every byte that white
/// space may take is a lower bound, since runs of white space become one
/// space and giving back brackets only lengthens it. White space outside
/// ASCII starts with one of the bytes C2 (2 bytes long), E1, E2 or E3 (3
/// bytes), so each of those may take that many.
fn surely_too_long(text: &str) -> bool {
    if text.len() <= MAX_UNIT_BYTES {
        return false;
    }
    let core = text.trim_matches(is_decoration).as_bytes();
    // Summed in 16-bit lanes over blocks that cannot overflow them.
    let spent: usize = core
        .chunks(4096)
        .map(|block| {
            let n: u16 = block
                .iter()
                .map(|&b| match b {
                    b'\t'..=b'\r' | b' ' => 1,
                    0xC2 => 2,
                    0xE1..=0xE3 => 3,
                    _ => 0,
                })
                .sum();
            usize::from(n)
        })
        .sum();
    core.len().saturating_sub(spent) > MAX_UNIT_BYTES
}

/// Whether a unit in normal form is worth counting.
fn countable(normal: &str) -> bool {
    normal.len() <= MAX_UNIT_BYTES
        && normal.chars().filter(|c| c.is_alphabetic()).take(3).count() == 3
}

/// The units of `doc`, in reading order (see the module documentation).
pub fn units<'d>(doc: &'d Document<'_>) -> Vec<Unit<'d>> {
    let lines: Vec<&'d str> = doc
        .segments
        .iter()
        .flat_map(|s| s.text().split('\n'))
        .filter(|l| !l.trim().is_empty())
        .collect();
    let n = lines.len();
    let mut out = Vec::with_capacity(n + 4);
    for (k, &line) in lines.iter().enumerate() {
        let before = k.checked_sub(1).map(|i| lines[i]);
        let mut flags = LINE;
        if k == 0 {
            flags |= START;
        }
        if k + 1 == n {
            flags |= END;
        }
        // Sentences of the first and last lines, when they hold more than one.
        let at_edge = flags & (START | END) != 0;
        if at_edge && line.len() > 1 {
            let sentences = crate::document::split_sentences(line);
            if sentences.len() > 1 {
                let last = sentences.len() - 1;
                for (j, range) in sentences.iter().enumerate() {
                    let mut f = 0;
                    if flags & START != 0 && j < 2 {
                        f |= START;
                    }
                    if flags & END != 0 && j + 2 > last {
                        f |= END;
                    }
                    if f != 0 {
                        let before = j
                            .checked_sub(1)
                            .map(|p| &line[sentences[p].clone()])
                            .or(before);
                        out.push(Unit {
                            text: &line[range.clone()],
                            line,
                            before,
                            whole_line: false,
                            flags: f,
                        });
                    }
                }
            }
        }
        out.push(Unit {
            text: line,
            line,
            before,
            whole_line: true,
            flags,
        });
    }
    out
}

/// A unit of a document as counted: the hash of its normal form (see
/// [`text_hash`]) and where it stands in the document (bits of `LINE`,
/// `START`, `END`, all the places it stands when it is there more than once).
pub type UnitKey = (u64, u8);

/// The keys of the units of `doc` worth counting, once each, sorted by
/// hash: what [`Miner`] counts of a document. `normal` is scratch space.
pub fn unit_keys(doc: &Document<'_>, normal: &mut String, out: &mut Vec<UnitKey>) {
    out.clear();
    for unit in units(doc) {
        // Far too long to be a unit, however much white space it holds.
        if unit.text.len() > 4 * MAX_UNIT_BYTES || surely_too_long(unit.text) {
            continue;
        }
        normal_form(unit.text, true, normal);
        if !countable(normal) || is_news_furniture(unit.text) {
            continue;
        }
        out.push((text_hash(normal), unit.flags));
    }
    // Once per document, with every place it stands.
    out.sort_unstable_by_key(|u| u.0);
    out.dedup_by(|later, first| {
        let same = later.0 == first.0;
        if same {
            first.1 |= later.1;
        }
        same
    });
}

/// The counts of one unit in one group.
#[derive(Clone, Copy, Debug, Default)]
struct Tally {
    group: u32,
    text: u64,
    /// Documents it is in.
    docs: u32,
    /// Documents where it is a whole line.
    lines: u32,
    /// Documents where it is at the start, at the end.
    start: u32,
    end: u32,
    seen: Locations,
}

#[derive(Default)]
struct Shard {
    entries: HashMap<u64, Tally>,
    /// Entries seen in fewer documents than this were dropped (0: none).
    dropped_below: u32,
}

impl Shard {
    /// Drops the entries seen in the fewest documents until at most half
    /// of `cap` remain.
    fn prune(&mut self, cap: usize) {
        let keep = cap / 2;
        if self.entries.len() <= keep {
            return;
        }
        let mut counts: Vec<u32> = self.entries.values().map(|t| t.docs).collect();
        let cut = counts.len() - keep;
        let (_, &mut floor, _) = counts.select_nth_unstable(cut);
        let floor = floor.max(1).max(self.dropped_below);
        self.entries.retain(|_, t| t.docs > floor);
        self.dropped_below = floor + 1;
    }
}

/// Groups by name, with their documents.
#[derive(Default)]
struct Groups {
    ids: HashMap<String, u32>,
    /// Name and documents of each group, by id.
    list: Vec<(String, u64)>,
}

impl Groups {
    /// Counts a document of the group `name`; its id.
    fn count(&mut self, name: String) -> u32 {
        let next = self.list.len() as u32;
        let id = *self.ids.entry(name.clone()).or_insert(next);
        if id == next {
            self.list.push((name, 0));
        }
        self.list[id as usize].1 += 1;
        id
    }
}

/// The count table of a run, shared by the threads that read documents.
pub struct Miner {
    shards: Vec<Mutex<Shard>>,
    groups: Mutex<Groups>,
    settings: MineSettings,
}

/// One unit of one document, ready to count.
struct Seen {
    key: u64,
    group: u32,
    text: u64,
    flags: u8,
    loc: Location,
}

/// A text that recurs in at least one group (see the module documentation).
#[derive(Clone, Debug)]
pub struct Candidate {
    /// Hash of its normal form.
    pub text: u64,
    /// Documents it is in, in the groups where it is a candidate.
    pub docs: u64,
    /// Documents of those groups.
    pub group_docs: u64,
    /// The groups where it is a candidate, most documents first.
    pub groups: Vec<(String, u64, u64)>,
    /// Documents where it is a whole line (else a sentence at the start or end).
    pub lines: u64,
    /// Documents where it is at the start, at the end.
    pub start: u64,
    pub end: u64,
    /// Where it was first seen.
    pub seen: Locations,
}

impl Candidate {
    /// Share of the documents of its groups that hold it (0–1).
    pub fn share(&self) -> f64 {
        self.docs as f64 / self.group_docs.max(1) as f64
    }

    /// Whether it was a whole line in every document that holds it.
    pub fn whole_line(&self) -> bool {
        self.lines == self.docs
    }

    /// Where it stands: `start`, `end` (in most of its documents), else `line`.
    pub fn position(&self) -> &'static str {
        if self.start * 2 > self.docs {
            "start"
        } else if self.end * 2 > self.docs {
            "end"
        } else if self.whole_line() {
            "line"
        } else {
            "sentence"
        }
    }
}

/// What a run of the miner found.
#[derive(Debug, Default)]
pub struct Mined {
    /// Candidates, most documents first.
    pub candidates: Vec<Candidate>,
    /// Groups and documents read.
    pub groups: usize,
    pub documents: u64,
    /// Counts are lower bounds: entries seen in fewer documents than this
    /// were dropped to keep within `max-entries` (0: nothing was dropped).
    pub dropped_below: u32,
}

impl Miner {
    pub fn new(settings: MineSettings) -> Self {
        Miner {
            shards: (0..SHARDS).map(|_| Mutex::default()).collect(),
            groups: Mutex::default(),
            settings,
        }
    }

    /// Counts the units of the documents of input `input`, each in the
    /// group `group_of` gives it.
    pub fn add(
        &self,
        input: usize,
        docs: &[Document<'_>],
        group_of: impl Fn(&Document<'_>) -> String,
    ) {
        let names: Vec<String> = docs.iter().map(&group_of).collect();
        let ids: Vec<u32> = {
            let mut groups = self.groups.lock().unwrap_or_else(|e| e.into_inner());
            names.into_iter().map(|name| groups.count(name)).collect()
        };
        let mut seen: Vec<Seen> = Vec::new();
        let mut normal = String::new();
        let mut keys: Vec<UnitKey> = Vec::new();
        for (d, doc) in docs.iter().enumerate() {
            unit_keys(doc, &mut normal, &mut keys);
            seen.extend(keys.iter().map(|&(text, flags)| Seen {
                key: key(ids[d], text),
                group: ids[d],
                text,
                flags,
                loc: location(input, d),
            }));
        }
        self.count(seen);
    }

    /// Counts one document, already made into its [`unit_keys`]: document
    /// `doc` of input `input`, in the group named `group`.
    pub fn add_keys(&self, input: usize, doc: usize, group: &str, keys: &[UnitKey]) {
        let id = {
            let mut groups = self.groups.lock().unwrap_or_else(|e| e.into_inner());
            match groups.ids.get(group) {
                Some(&id) => {
                    groups.list[id as usize].1 += 1;
                    id
                }
                None => groups.count(group.to_string()),
            }
        };
        let loc = location(input, doc);
        self.count(
            keys.iter()
                .map(|&(text, flags)| Seen {
                    key: key(id, text),
                    group: id,
                    text,
                    flags,
                    loc,
                })
                .collect(),
        );
    }

    /// Adds `seen` to the count table, pruning shards that grow past their cap.
    fn count(&self, mut seen: Vec<Seen>) {
        seen.sort_unstable_by_key(|s| s.key >> 58);
        let cap = (self.settings.max_entries / SHARDS).max(16);
        for chunk in seen.chunk_by(|a, b| a.key >> 58 == b.key >> 58) {
            let shard = (chunk[0].key >> 58) as usize % SHARDS;
            let mut shard = self.shards[shard].lock().unwrap_or_else(|e| e.into_inner());
            for s in chunk {
                let t = shard.entries.entry(s.key).or_insert_with(|| Tally {
                    group: s.group,
                    text: s.text,
                    ..Tally::default()
                });
                t.docs += 1;
                t.lines += u32::from(s.flags & LINE != 0);
                t.start += u32::from(s.flags & START != 0);
                t.end += u32::from(s.flags & END != 0);
                t.seen.add(s.loc);
            }
            if shard.entries.len() > cap {
                shard.prune(cap);
            }
        }
    }

    /// The candidates (see the module documentation), most documents
    /// first, then the highest share, then the earliest seen; units that
    /// are news furniture are left out by the caller, who has their text.
    pub fn finish(self) -> Mined {
        let groups = self.groups.into_inner().unwrap_or_else(|e| e.into_inner());
        let mut dropped_below = 0;
        let mut by_text: HashMap<u64, Candidate> = HashMap::new();
        for shard in self.shards {
            let shard = shard.into_inner().unwrap_or_else(|e| e.into_inner());
            dropped_below = dropped_below.max(shard.dropped_below);
            for t in shard.entries.into_values() {
                let (name, group_docs) = &groups.list[t.group as usize];
                let docs = u64::from(t.docs);
                if docs < self.settings.min_docs as u64
                    || (docs as f64) < self.settings.min_share * *group_docs as f64
                {
                    continue;
                }
                let c = by_text.entry(t.text).or_insert_with(|| Candidate {
                    text: t.text,
                    docs: 0,
                    group_docs: 0,
                    groups: Vec::new(),
                    lines: 0,
                    start: 0,
                    end: 0,
                    seen: Locations::default(),
                });
                c.docs += docs;
                c.group_docs += group_docs;
                c.groups.push((name.clone(), docs, *group_docs));
                c.lines += u64::from(t.lines);
                c.start += u64::from(t.start);
                c.end += u64::from(t.end);
                c.seen.merge(t.seen);
            }
        }
        let mut candidates: Vec<Candidate> = by_text.into_values().collect();
        for c in &mut candidates {
            c.groups
                .sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
        }
        candidates.sort_by(|a, b| {
            b.docs
                .cmp(&a.docs)
                .then_with(|| b.share().total_cmp(&a.share()))
                .then_with(|| a.seen.0.cmp(&b.seen.0))
                .then_with(|| a.text.cmp(&b.text))
        });
        Mined {
            candidates,
            groups: groups.list.len(),
            documents: groups.list.iter().map(|g| g.1).sum(),
            dropped_below,
        }
    }
}

/// A candidate as found in one document: what examples and the table show.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Found {
    /// The path of the input, as reports show it.
    pub path: String,
    /// The record id, for data files.
    pub record: Option<String>,
    /// The unit as written (decoration dropped, white space runs made one).
    pub shown: String,
    /// Its line, white space runs made one, decoration kept.
    pub line: String,
    /// The unit itself when it is a sentence, else its line.
    pub unit: String,
    /// The non-empty line or sentence before it, if any.
    pub before: Option<String>,
}

/// Collapses runs of white space to one space and trims the ends.
pub fn one_spaced(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// For each document of input `input` wanted by `wanted` (which maps
/// locations to the text hashes looked for there), what each hash is in
/// it. The line shown before a text is the nearest one before it whose
/// text is none of `candidates` (so that an example's context is the
/// article, not more boilerplate).
pub fn find_in(
    path: &str,
    input: usize,
    docs: &[Document<'_>],
    wanted: &HashMap<Location, Vec<u64>>,
    candidates: &HashSet<u64>,
    mut found: impl FnMut(Location, u64, Found),
) {
    let mut normal = String::new();
    for (d, doc) in docs.iter().enumerate() {
        let loc = location(input, d);
        let Some(hashes) = wanted.get(&loc) else {
            continue;
        };
        let units = units(doc);
        let keyed: Vec<u64> = units
            .iter()
            .map(|u| {
                normal_form(u.text, true, &mut normal);
                text_hash(&normal)
            })
            .collect();
        let mut left: Vec<u64> = hashes.clone();
        for (k, unit) in units.iter().enumerate() {
            let h = keyed[k];
            let Some(i) = left.iter().position(|&x| x == h) else {
                continue;
            };
            left.swap_remove(i);
            let mut shown = String::new();
            normal_form(unit.text, false, &mut shown);
            // The nearest earlier line that is not boilerplate, else the
            // sentence before a sentence unit.
            let before = (0..k)
                .rev()
                .find(|&j| {
                    units[j].whole_line
                        && !candidates.contains(&keyed[j])
                        && !std::ptr::eq(units[j].line, unit.line)
                })
                .map(|j| units[j].line)
                .or(if unit.whole_line { None } else { unit.before });
            found(
                loc,
                h,
                Found {
                    path: path.to_string(),
                    record: doc.record.clone(),
                    shown,
                    line: one_spaced(unit.line),
                    unit: if unit.whole_line {
                        one_spaced(unit.line)
                    } else {
                        one_spaced(unit.text)
                    },
                    before: before.map(one_spaced),
                },
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn doc(text: &str) -> Document<'_> {
        Document::plain(text)
    }

    #[test]
    fn normal_forms_ignore_decoration_space_and_ascii_case() {
        let mut a = String::new();
        let mut b = String::new();
        normal_form("  » Share  on   Facebook: ", true, &mut a);
        normal_form("share on facebook", true, &mut b);
        assert_eq!(a, b);
        normal_form("  » Share  on   Facebook: ", false, &mut a);
        assert_eq!(a, "Share on Facebook");
        normal_form("(Source: Xinhua) Read more.", false, &mut a);
        assert_eq!(a, "(Source: Xinhua) Read more");
        normal_form("» Read more (video)", false, &mut a);
        assert_eq!(a, "Read more (video)");
        normal_form("(Reuters)", false, &mut a);
        assert_eq!(a, "Reuters");
        // White space outside ASCII, and the vertical tab, is white space too.
        normal_form("• ÜBER\u{a0}\u{2003}Uns\u{3000}Mehr ", true, &mut a);
        assert_eq!(a, "Über uns mehr");
        normal_form("Back\x0B\x0Bto TOP", true, &mut a);
        assert_eq!(a, "back to top");
    }

    #[test]
    fn units_are_lines_and_edge_sentences() {
        let text = "HEADLINE\n\nFirst one. Second one. Third one. Fourth one.\n\nMiddle line. With two.\n\nEnds one. Ends two. Ends three.";
        let d = doc(text);
        let units = units(&d);
        let texts: Vec<(&str, bool)> = units.iter().map(|u| (u.text, u.whole_line)).collect();
        assert!(texts.contains(&("HEADLINE", true)));
        assert!(texts.contains(&("Middle line. With two.", true)));
        // No sentence of a middle line on its own.
        assert!(!texts.contains(&("Middle line.", false)));
        // The last two sentences of the last line.
        assert!(texts.contains(&("Ends two.", false)));
        assert!(texts.contains(&("Ends three.", false)));
        assert!(!texts.contains(&("Ends one.", false)));
    }

    #[test]
    fn only_units_surely_too_long_are_skipped_unread() {
        let mut normal = String::new();
        for text in [
            "word ".repeat(80),
            format!("{}{}", " \u{a0}\u{3000}".repeat(100), "short text"),
            format!("{} x {}", "-".repeat(200), "•".repeat(100)),
            "’".repeat(110),
            "a’ ".repeat(70),
        ] {
            normal_form(&text, true, &mut normal);
            if surely_too_long(&text) {
                assert!(normal.len() > MAX_UNIT_BYTES, "{text:?}");
            }
        }
        assert!(surely_too_long(&"word ".repeat(80)));
        assert!(!surely_too_long(&format!("{}{}", " ".repeat(400), "short")));
    }

    #[test]
    fn furniture_is_known() {
        for f in [
            "BERLIN",
            "NEW YORK, May 3",
            "LONDON (Reuters) -",
            "(Reuters)",
            "Reuters",
            "AFP",
            "By Jane Doe",
            "Reporting by Ann Lee; Editing by Tom Ford",
        ] {
            assert!(is_news_furniture(f), "{f}");
        }
        for b in [
            "Share on Facebook",
            "Theme License is not validated",
            "This article was translated automatically",
            "Back to top",
        ] {
            assert!(!is_news_furniture(b), "{b}");
        }
    }

    #[test]
    fn locations_keep_the_two_earliest_in_any_order() {
        let mut a = Locations::default();
        let mut b = Locations::default();
        for l in [9, 3, 7, 1, 3] {
            a.add(l);
        }
        for l in [1, 3, 3, 7, 9] {
            b.add(l);
        }
        assert_eq!(a, Locations([1, 3]));
        assert_eq!(a, b);
    }

    #[test]
    fn pruning_keeps_the_table_bounded() {
        let miner = Miner::new(MineSettings {
            min_docs: 2,
            min_share: 0.0,
            max_entries: SHARDS * 16,
        });
        let texts: Vec<String> = (0..3000)
            .map(|i| format!("Unique line number {i} here\nShare on Facebook"))
            .collect();
        let docs: Vec<Document<'_>> = texts.iter().map(|t| doc(t)).collect();
        for (i, d) in docs.chunks(10).enumerate() {
            miner.add(i, d, |_| "g".into());
        }
        let total: usize = miner
            .shards
            .iter()
            .map(|s| s.lock().unwrap().entries.len())
            .sum();
        assert!(total <= SHARDS * 16, "{total}");
        let mined = miner.finish();
        assert!(mined.dropped_below > 0);
        assert_eq!(mined.candidates.len(), 1);
        assert_eq!(mined.candidates[0].docs, 3000);
    }
}
