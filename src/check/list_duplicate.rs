//! `list-duplicate`: an item repeated inside one coordinated list — "Japan,
//! South Korea, China, and China" — exactly or nearly (by edit distance).
//!
//! ```toml
//! conjunctions = ["and", "or"]
//! similarity = 0.9       # normalised Damerau–Levenshtein for near duplicates
//! min-near-chars = 6     # shorter items must match exactly
//! max-item-words = 5     # longer items are clauses, not list items
//! max-common-item-words = 2  # the same for items that are not names
//! ```
//! A list is comma-separated items ending in a conjunction and a last item.
//! The first item may carry leading words ("leaders of Japan"): of it, only
//! its trailing capitalised name counts; of the last item, only its leading
//! name ("China met…"). A name is compared whole, so "Toyota" and "Toyota
//! Tsusho" are different items. A two-item list ("A, and A") counts only when
//! the last item is nothing but the repeated name.
//!
//! Placeholders: `{match}`, `{item}` (the earlier copy).
//!
//! Knows nothing of files, input formats, positions or reporters: it sees a
//! segment's text and tokens.

use std::ops::Range;
use std::sync::Arc;

use serde::Deserialize;

use super::{Check, Output, RuleContext};
use crate::diagnostics::RuleError;
use crate::document::{KeyBits, Segment, Token, TokenKind, fold_key};
use crate::finding::{Finding, RuleMeta};

pub(crate) const KEYS: &[&str] = &[
    "conjunctions",
    "similarity",
    "min-near-chars",
    "max-item-words",
    "max-common-item-words",
];

fn default_conjunctions() -> Vec<String> {
    vec!["and".into(), "or".into()]
}

#[derive(Deserialize)]
#[serde(rename_all = "kebab-case")]
struct Spec {
    #[serde(default = "default_conjunctions")]
    conjunctions: Vec<String>,
    #[serde(default)]
    similarity: Option<f64>,
    #[serde(default)]
    min_near_chars: Option<usize>,
    #[serde(default)]
    max_item_words: Option<usize>,
    #[serde(default)]
    max_common_item_words: Option<usize>,
}

struct ListDuplicate {
    /// Case-folded keys of the conjunctions (see `Token::key`).
    conjunctions: Vec<u64>,
    /// The conjunctions' keys, a filter for the tokens to look at.
    conjunction_keys: KeyBits,
    similarity: f64,
    min_near_chars: usize,
    max_item_words: usize,
    /// Items that are not names may have at most this many words.
    max_common_item_words: usize,
    out: Output,
}

pub(crate) fn build(ctx: &RuleContext<'_>) -> Result<Box<dyn Check>, RuleError> {
    let spec: Spec = ctx.spec()?;
    let similarity = spec.similarity.unwrap_or(0.9);
    if !(0.5..=1.0).contains(&similarity) {
        return Err(ctx.error(None, "`similarity` must be between 0.5 and 1.0"));
    }
    let out = ctx.output(|v| matches!(v, "match" | "item"), "{match}, {item}")?;
    let conjunctions: Vec<u64> = spec.conjunctions.iter().map(|c| fold_key(c)).collect();
    Ok(Box::new(ListDuplicate {
        conjunction_keys: conjunctions
            .iter()
            .fold(KeyBits::default(), |mut keys, &k| {
                keys.insert(k);
                keys
            }),
        conjunctions,
        similarity,
        min_near_chars: spec.min_near_chars.unwrap_or(6),
        max_item_words: spec.max_item_words.unwrap_or(5).max(1),
        max_common_item_words: spec.max_common_item_words.unwrap_or(2),
        out,
    }))
}

/// A list item as token index ranges: the whole item, and the trailing name
/// it ends with when words come before it ("including China").
#[derive(Clone, Debug)]
struct Item {
    first: usize,
    last: usize,
    name: Option<usize>,
}

fn is_name_token(t: &Token, text: &str) -> bool {
    t.kind == TokenKind::Number || t.text(text).chars().next().is_some_and(char::is_uppercase)
}

/// Whether a comma comes just before token `conj`, or just before the run of
/// words that precedes it.
fn comma_before(tokens: &[Token], text: &str, conj: usize) -> bool {
    let comma = |k: usize| tokens[k].kind == TokenKind::Punct && tokens[k].text(text) == ",";
    if conj > 0 && comma(conj - 1) {
        return true;
    }
    let mut s = conj;
    while s > 0 && tokens[s - 1].is_content() {
        s -= 1;
    }
    s > 0 && comma(s - 1)
}

/// Appends the case-folded text of tokens `first..=last` to `buf`, runs
/// of whitespace as one space, and returns where it is. An item holds
/// only words and numbers, so what lies between its tokens is
/// whitespace or nothing.
fn item_key(
    tokens: &[Token],
    first: usize,
    last: usize,
    text: &str,
    buf: &mut String,
) -> Range<usize> {
    let start = buf.len();
    let mut word = tokens[first].start as usize;
    for k in first..=last {
        let end = tokens[k].end as usize;
        let next = tokens.get(k + 1).filter(|_| k < last);
        // A word ends where whitespace follows (tokens glued together
        // make one word).
        if next.is_none_or(|n| n.start as usize > end) {
            if buf.len() > start {
                buf.push(' ');
            }
            push_lowercase(buf, &text[word..end]);
            word = next.map_or(end, |n| n.start as usize);
        }
    }
    start..buf.len()
}

/// Appends `word` lower-cased (as `str::to_lowercase` does it).
fn push_lowercase(buf: &mut String, word: &str) {
    if word.is_ascii() {
        buf.extend(word.bytes().map(|b| char::from(b.to_ascii_lowercase())));
    } else {
        buf.push_str(&word.to_lowercase());
    }
}

/// Whether `key` is the last whole word or words of `whole`.
fn ends_with_word(whole: &str, key: &str) -> bool {
    whole.len() > key.len()
        && whole.ends_with(key)
        && whole.as_bytes()[whole.len() - key.len() - 1] == b' '
}

/// Punctuation that ends a list: sentence ends, clause marks, brackets, quotes.
fn ends_list(t: &str) -> bool {
    matches!(
        t,
        "." | ";" | ":" | "!" | "?" | "(" | ")" | "[" | "]" | "“" | "”" | "\"" | "—" | "–"
    )
}

impl ListDuplicate {
    fn is_conjunction(&self, token: &Token) -> bool {
        token.kind == TokenKind::Word && self.conjunctions.contains(&token.key)
    }

    /// Exact, or near: the same number of words, each equal or near by the
    /// rule's similarity ("Germnay" for "Germany", not "sixties" for "fifties").
    fn same(&self, a: &str, b: &str) -> bool {
        if a == b {
            return true;
        }
        // A char takes at least a byte: a short string needs no count.
        let short =
            |s: &str| s.len() < self.min_near_chars || s.chars().count() < self.min_near_chars;
        if short(a) || short(b) {
            return false;
        }
        let spaces = |s: &str| s.bytes().filter(|&c| c == b' ').count();
        spaces(a) == spaces(b)
            && a.split(' ')
                .zip(b.split(' '))
                .all(|(x, y)| x == y || self.near(x, y))
    }

    /// Whether two different words are within `similarity`
    /// (`normalized_damerau_levenshtein`). The distance is at least one and
    /// at least the difference in length, so most pairs (any two short
    /// words) fail on that bound, computed as strsim computes the score,
    /// without the distance table.
    fn near(&self, x: &str, y: &str) -> bool {
        let (nx, ny) = (x.chars().count(), y.chars().count());
        let fewest_edits = nx.abs_diff(ny).max(1);
        if 1.0 - (fewest_edits as f64) / (nx.max(ny) as f64) < self.similarity {
            return false;
        }
        strsim::normalized_damerau_levenshtein(x, y) >= self.similarity
    }

    /// Where the first of `items` is the second half of a coordination
    /// ("planning and construction") and the conjunction `conj` joins the
    /// last item to the one before without a comma (another coordination),
    /// the key of that first half: the words before the inner conjunction,
    /// back to punctuation or another conjunction.
    fn first_half(
        &self,
        tokens: &[Token],
        text: &str,
        items: &[Item],
        conj: usize,
    ) -> Option<String> {
        let first = items[0].first;
        let joined = tokens[conj - 1].text(text) != ",";
        if !joined || first < 2 || !self.is_conjunction(&tokens[first - 1]) {
            return None;
        }
        let end = first - 2;
        if !tokens[end].is_content() {
            return None;
        }
        let mut start = end;
        while start > 0
            && tokens[start - 1].is_content()
            && !self.is_conjunction(&tokens[start - 1])
        {
            start -= 1;
        }
        let mut buf = String::new();
        let half = item_key(tokens, start, end, text, &mut buf);
        Some(buf[half].to_string())
    }

    /// The items of the list whose conjunction is token `conj`, if it is one.
    fn list(&self, tokens: &[Token], text: &str, conj: usize) -> Option<(Vec<Item>, bool)> {
        // Every list has a comma just before the conjunction or before the
        // item that precedes it; most conjunctions join two words and need
        // no more look.
        if !comma_before(tokens, text, conj) {
            return None;
        }
        let words =
            |range: std::ops::Range<usize>| range.filter(|&k| tokens[k].is_content()).count();
        // The last item: the tokens after the conjunction up to punctuation.
        let mut end = conj + 1;
        while end < tokens.len() && tokens[end].is_content() {
            end += 1;
        }
        if end == conj + 1 {
            return None;
        }
        let last_all = Item {
            first: conj + 1,
            last: end - 1,
            name: None,
        };
        let last_whole = end >= tokens.len()
            || ends_list(tokens[end].text(text))
            || tokens[end].text(text) == ",";
        // Leading name of the last item, or the whole item if it is short.
        let last = if is_name_token(&tokens[conj + 1], text) {
            let mut k = conj + 1;
            while k + 1 < end && is_name_token(&tokens[k + 1], text) {
                k += 1;
            }
            Item {
                first: conj + 1,
                last: k,
                name: None,
            }
        } else if words(conj + 1..end) <= self.max_item_words && last_whole {
            last_all.clone()
        } else {
            return None;
        };
        let last_is_all = last.last == last_all.last && last_whole;
        // "Kansas City, Kansas, and Kansas City, Missouri": a last item that a
        // comma and a name qualify is not compared.
        let qualified = end + 1 < tokens.len()
            && tokens[end].text(text) == ","
            && is_name_token(&tokens[end + 1], text)
            && last.last == last_all.last;
        // Items before the conjunction, walking back over commas.
        let mut items: Vec<Item> = Vec::new();
        let mut k = conj;
        if k > 0 && tokens[k - 1].text(text) == "," {
            k -= 1;
        }
        loop {
            let item_end = k;
            let mut s = k;
            while s > 0 && tokens[s - 1].is_content() {
                s -= 1;
            }
            // A conjunction inside an item closes an earlier list: the item
            // is what follows it, and it is the first item of this list.
            let inner_conj = (s..item_end)
                .rev()
                .find(|&k| self.is_conjunction(&tokens[k]));
            if let Some(c) = inner_conj {
                s = c + 1;
            }
            if s == item_end {
                break;
            }
            let preceded_by_comma =
                inner_conj.is_none() && s > 0 && tokens[s - 1].text(text) == ",";
            let n = words(s..item_end);
            // Where the item's trailing name starts, if words precede it.
            let mut f = item_end;
            while f > s && is_name_token(&tokens[f - 1], text) {
                f -= 1;
            }
            let name = (f > s && f < item_end && !is_name_token(&tokens[f - 1], text)).then_some(f);
            if n <= self.max_item_words {
                items.push(Item {
                    first: s,
                    last: item_end - 1,
                    name,
                });
            } else if let Some(f) = name {
                items.push(Item {
                    first: f,
                    last: item_end - 1,
                    name: None,
                });
            }
            if n <= self.max_item_words && preceded_by_comma {
                k = s - 1;
                continue;
            }
            break;
        }
        items.reverse();
        let commas = items.len();
        if commas == 0 {
            return None;
        }
        if !qualified {
            items.push(last);
        }
        Some((items, last_is_all || commas >= 2))
    }

    fn segment(&self, seg: &Segment<'_>, buf: &mut String, out: &mut Vec<Finding>) {
        let text = seg.text();
        let tokens = seg.tokens();
        // Conjunctions are sought among the tokens with one of their key
        // bits, a list shared with other rules that look for them.
        for &conj in seg.tokens_marked(self.conjunction_keys).iter() {
            let conj = conj as usize;
            if conj == 0 || !self.is_conjunction(&tokens[conj]) {
                continue;
            }
            // A conjunction after a comma or a word, inside a list.
            let Some((items, ok)) = self.list(tokens, text, conj) else {
                continue;
            };
            if !ok || items.len() < 2 {
                continue;
            }
            // Only the two-item case needs the comma before the conjunction.
            if items.len() == 2 && tokens[conj - 1].text(text) != "," {
                continue;
            }
            // Every item's key and trailing name's key, in one buffer.
            buf.clear();
            let keys: Vec<Range<usize>> = items
                .iter()
                .map(|i| item_key(tokens, i.first, i.last, text, buf))
                .collect();
            let names: Vec<Option<Range<usize>>> = items
                .iter()
                .map(|i| i.name.map(|f| item_key(tokens, f, i.last, text, buf)))
                .collect();
            let keys: Vec<&str> = keys.into_iter().map(|r| &buf[r]).collect();
            let names: Vec<Option<&str>> = names.into_iter().map(|r| r.map(|r| &buf[r])).collect();
            for later in 1..keys.len() {
                let key = keys[later];
                let item_tokens = items[later].first..=items[later].last;
                // Values repeat in lists legitimately (scores, angles, years).
                if item_tokens
                    .clone()
                    .any(|k| tokens[k].kind == TokenKind::Number)
                {
                    continue;
                }
                // Common-noun items longer than a couple of words are clauses
                // ("in this case"), which repeat in speech.
                let common_words = item_tokens.filter(|&k| tokens[k].is_content()).count();
                if !is_name_token(&tokens[items[later].first], text)
                    && common_words > self.max_common_item_words
                {
                    continue;
                }
                // Lower-case items may also end the first item ("sold apples");
                // names may not ("New York" is not "York").
                let lower_case = !is_name_token(&tokens[items[later].first], text);
                let hit = (0..later).find(|&e| {
                    self.same(keys[e], key)
                        || names[e].is_some_and(|n| self.same(n, key))
                        || (e == 0 && lower_case && ends_with_word(keys[0], key))
                });
                // "urban planning and construction, park plan and
                // construction, …": the first item is the second half of a
                // coordination and the conjunction (no comma before it)
                // joins the last item to the one before: the items are
                // coordinations, compared whole by their first halves.
                let coordinated = hit == Some(0)
                    && later + 1 == items.len()
                    && self.first_half(tokens, text, &items, conj).is_some();
                let hit = hit.filter(|_| {
                    !coordinated
                        || self
                            .first_half(tokens, text, &items, conj)
                            .is_some_and(|half| {
                                let before = keys[later - 1];
                                self.same(&half, before) || ends_with_word(&half, before)
                            })
                });
                if let Some(earlier) = hit {
                    let item = &items[later];
                    let range = tokens[item.first].start as usize..tokens[item.last].end as usize;
                    let e = &items[earlier];
                    let from = if self.same(keys[earlier], key) {
                        e.first
                    } else {
                        e.name.unwrap_or(e.first)
                    };
                    let earlier_text =
                        &text[tokens[from].start as usize..tokens[e.last].end as usize];
                    let matched = &text[range.clone()];
                    let mut finding = self.out.finding(seg, range.clone(), |v| match v {
                        "item" => Some(earlier_text),
                        "match" => Some(matched),
                        _ => None,
                    });
                    // Removing one half of a repeated coordination is
                    // not one item's removal: left for a person.
                    if coordinated {
                        finding.fix = None;
                        finding.suggestion = None;
                    }
                    if let Some(fix) = &mut finding.fix {
                        let exact = keys[earlier] == key;
                        fix.range =
                            seg.original(removal(tokens, &items, earlier, later, conj, exact));
                        // A near duplicate may be the right spelling.
                        fix.safe &= exact;
                    }
                    out.push(finding);
                    break;
                }
            }
        }
    }
}

/// The text a fix removes for the duplicate `later` of item `earlier`
/// (`exact`: the same key, not a near one). For an exact duplicate, the
/// earlier item with one separator, which keeps the list's last conjunction
/// in place: “, China” in “South Korea, China, and China”, “France, ” in
/// “Germany, France, Italy, and France”. Otherwise (a near duplicate, which
/// may be the right spelling, or a two-item list), the later item with the
/// separator before it.
fn removal(
    tokens: &[Token],
    items: &[Item],
    earlier: usize,
    later: usize,
    conj: usize,
    exact: bool,
) -> Range<usize> {
    let start = |i: &Item| tokens[i.first].start as usize;
    let end = |i: &Item| tokens[i.last].end as usize;
    let e = &items[earlier];
    let next = &items[earlier + 1];
    let before_conj = next.first == conj + 1;
    if exact && earlier > 0 && before_conj {
        return end(&items[earlier - 1])..end(e);
    }
    if exact && !before_conj {
        return start(e)..start(next);
    }
    end(&items[later - 1])..end(&items[later])
}

impl Check for ListDuplicate {
    fn meta(&self) -> &Arc<RuleMeta> {
        &self.out.meta
    }

    fn check_segment(&self, seg: &Segment<'_>, out: &mut Vec<Finding>) {
        // Allocated only for a segment with a list in it.
        let mut buf = String::new();
        self.segment(seg, &mut buf, out);
    }
}

#[cfg(test)]
mod tests {
    use super::item_key;
    use crate::check::testing::{matched, run};
    use crate::document::plain_text;

    #[test]
    fn coordinations_are_compared_by_their_first_halves() {
        let rule = r#"
id = "t"
kind = "list-duplicate"
category = "repetition"
severity = "warning"
message = "{match}"
summary = "s"
why = "w"
[fix]
replacement = ""
safe = true
"#;
        let text = "Rules for urban space planning and construction, park plan and construction, and mining were set.";
        assert!(matched(rule, text).is_empty());
        let text = "Rules for urban planning and construction, park plan and construction, mining and trade.";
        assert!(matched(rule, text).is_empty());
        // The same coordination twice is flagged, with no fix.
        let text = "Rules for park plan and construction, park plan and construction, and mining.";
        let found = run(rule, text);
        assert_eq!(found.len(), 1, "{found:?}");
        assert_eq!(found[0].0, "construction");
        assert_eq!(found[0].2, None);
        // A plain list still is.
        assert_eq!(
            matched(rule, "Japan, China, Korea and China met."),
            vec!["China"]
        );
    }

    /// An item's key is its text with runs of whitespace as one space,
    /// lower-cased, for every run of words and numbers.
    #[test]
    fn item_keys_fold_case_and_whitespace() {
        let text = "Ministers of İstanbul,  ΟΔΥΣΣΕΥΣ \t Kōbe\u{a0}Ōsaka, 3km and O'Neill-Smith\n\nTHE  Co.";
        let (doc, _) = plain_text(text.as_bytes());
        for seg in &doc.segments {
            let tokens = seg.tokens();
            let text = seg.text();
            let mut buf = String::new();
            for first in 0..tokens.len() {
                let mut last = first;
                while last < tokens.len() && tokens[last].is_content() {
                    let span = &text[tokens[first].start as usize..tokens[last].end as usize];
                    let expected = span
                        .split_whitespace()
                        .collect::<Vec<_>>()
                        .join(" ")
                        .to_lowercase();
                    buf.clear();
                    let range = item_key(tokens, first, last, text, &mut buf);
                    assert_eq!(&buf[range], expected, "{span:?}");
                    last += 1;
                }
            }
        }
    }

    const RULE: &str = r#"
id = "t"
kind = "list-duplicate"
category = "repetition"
severity = "warning"
message = "“{match}” is already in this list (“{item}”)"
summary = "s"
why = "w"
similarity = 0.85
"#;

    #[test]
    fn exact_duplicates_in_lists() {
        let found = run(RULE, "Leaders of Japan, South Korea, China, and China met.");
        assert_eq!(
            found,
            vec![(
                "China".into(),
                "“China” is already in this list (“China”)".into(),
                None
            )]
        );
        assert_eq!(
            matched(RULE, "Germany, France, Italy, and France signed."),
            vec!["France"]
        );
        assert_eq!(
            matched(RULE, "The talks included Japan, China and Japan."),
            vec!["Japan"]
        );
        assert_eq!(
            matched(RULE, "It will hurt trade, including China, and China."),
            vec!["China"]
        );
        assert_eq!(
            matched(RULE, "Delegates from Japan, Korea and Japan met on Monday."),
            vec!["Japan"]
        );
    }

    #[test]
    fn near_duplicates() {
        assert_eq!(
            matched(RULE, "Visitors came from Germany, Austria, and Germnay."),
            vec!["Germnay"]
        );
    }

    #[test]
    fn distinct_names_sharing_words_are_fine() {
        for text in [
            "Shares of Toyota, Toyota Tsusho and Honda rose.",
            "Sudan, South Sudan and Chad signed.",
            "Honda, Toyota and Toyota Tsusho rose.",
            "Austria, Australia and Germany voted.",
            "between the U.S. and China, and China and Russia",
            "He went again and again, and again and again.",
            "New York, York and Boston",
            "more and more",
            "in Kansas City, Kansas, and Kansas City, Missouri, on Monday",
            "one in his fifties, and one in his sixties.",
            "under the main organ, under the small organ and near the door",
            "scores of 2, 3, and 2 points",
            "angles of minus 120 degrees, minus 120 degrees, 0 degrees, and 0 degrees",
            "so in this case, a spiral, and in this case, a cube",
        ] {
            assert!(matched(RULE, text).is_empty(), "{text}");
        }
    }

    #[test]
    fn lower_case_lists() {
        assert_eq!(
            matched(RULE, "They sold apples, pears, and apples."),
            vec!["apples"]
        );
        assert!(matched(RULE, "They sold apples, pears, and plums.").is_empty());
    }
}
