//! Document languages: language codes, the script each language is written
//! in, which rules apply to which language (a rule's `languages`), and the
//! cheap detection that gives a document its language when neither the
//! user nor the input format says it.
//!
//! Detection looks at a bounded prefix of a document, once: the script of
//! its letters first (Han and kana need nothing more), then counts of the
//! most frequent function words of the languages mtlint has packs for,
//! which settle almost every news text in a microsecond or two; only a
//! prefix they leave undecided goes to `whatlang`'s trigram model. Below a
//! length or confidence threshold there is no answer, and the configured
//! default applies. Imports nothing else from the crate.

use std::collections::HashMap;
use std::fmt;
use std::hash::{BuildHasherDefault, Hasher};
use std::sync::OnceLock;

/// A language, by its ISO 639 code (the primary subtag of a tag such as
/// `de-AT` or `zh_Hans`, lower case): `de`, `zh`, or a three-letter code for
/// a language without a two-letter one.
#[derive(Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Language {
    code: [u8; 3],
    len: u8,
    /// Looked up once, when the code is parsed: rules ask it per document.
    script: Script,
}

/// The writing systems rules care about.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Script {
    /// Latin letters, words separated by spaces.
    Latin,
    /// Cyrillic letters, words separated by spaces.
    Cyrillic,
    /// Greek letters, words separated by spaces.
    Greek,
    /// Chinese or Japanese: Han characters (and kana), no spaces between
    /// words, full-width punctuation; text is counted in characters.
    Cjk,
    /// Any other script (Arabic, Hebrew, Devanagari, Hangul, Thai, …).
    Other,
}

impl Language {
    /// English, the default language.
    pub const EN: Language = Language {
        code: *b"en\0",
        len: 2,
        script: Script::Latin,
    };

    /// The language of a code or tag as users and files write it (`de`,
    /// `DE`, `de-DE`, `zh_CN`, `fra`); `None` when its primary subtag is not
    /// two or three ASCII letters.
    pub fn parse(tag: &str) -> Option<Language> {
        let primary = tag.trim().split(['-', '_']).next()?;
        if !(2..=3).contains(&primary.len()) || !primary.bytes().all(|b| b.is_ascii_alphabetic()) {
            return None;
        }
        let mut code = [0u8; 3];
        for (slot, b) in code.iter_mut().zip(primary.bytes()) {
            *slot = b.to_ascii_lowercase();
        }
        let mut lang = Language {
            code,
            len: primary.len() as u8,
            script: Script::Latin,
        };
        lang.script = script_of(lang.as_str());
        // A three-letter code of a language that has a two-letter one is
        // the same language: `deu` is `de`.
        Some(
            KNOWN
                .iter()
                .find(|k| k.iso3 == lang.as_str())
                .and_then(|k| Language::parse_two(k.iso1))
                .unwrap_or(lang),
        )
    }

    fn parse_two(code: &str) -> Option<Language> {
        let b = code.as_bytes();
        (b.len() == 2).then(|| Language {
            code: [b[0], b[1], 0],
            len: 2,
            script: script_of(code),
        })
    }

    /// The code: `de`.
    pub fn as_str(&self) -> &str {
        // Only ASCII letters are ever stored.
        std::str::from_utf8(&self.code[..usize::from(self.len)]).unwrap_or("en")
    }

    /// The script the language is written in (Latin for codes not in the
    /// table: most languages without a table entry are).
    pub fn script(self) -> Script {
        self.script
    }

    /// Whether text in this language is counted in characters rather than
    /// words (Chinese and Japanese: no spaces between words).
    pub fn counts_characters(self) -> bool {
        self.script() == Script::Cjk
    }
}

impl fmt::Debug for Language {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl fmt::Display for Language {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// The language a user sets for documents (`--language`, `language` in
/// `mtlint.toml`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Setting {
    /// `auto`: what a file declares, else what detection finds.
    Auto,
    /// Every document is in this language.
    Fixed(Language),
}

impl Setting {
    /// `auto` or a language code; the error says what is valid.
    pub fn parse(value: &str) -> Result<Setting, String> {
        if value == "auto" {
            return Ok(Setting::Auto);
        }
        Language::parse(value)
            .map(Setting::Fixed)
            .ok_or_else(|| invalid_code(value, "`auto` or "))
    }

    /// The language forced, if any.
    pub fn fixed(self) -> Option<Language> {
        match self {
            Setting::Auto => None,
            Setting::Fixed(l) => Some(l),
        }
    }

    /// As written in `mtlint config`.
    pub fn name(self) -> String {
        match self {
            Setting::Auto => "auto".into(),
            Setting::Fixed(l) => l.to_string(),
        }
    }
}

/// A language code, for `--default-language`; the error says what is valid.
pub fn parse_code(value: &str) -> Result<Language, String> {
    Language::parse(value).ok_or_else(|| invalid_code(value, ""))
}

fn invalid_code(value: &str, or: &str) -> String {
    format!(
        "invalid language `{value}`: expected {or}an ISO 639 language code such as `de`, `fr` \
         or `zh` (a tag such as `pt-BR` is read as its language)"
    )
}

/// What a rule's `languages` entry may be besides a language code: every
/// language.
pub const ANY: &str = "*";
/// A `languages` entry: every language written in Latin, Cyrillic or Greek
/// letters with spaces between words (the `common` pack's default).
pub const ALPHABETIC: &str = "alphabetic";

/// Whether `entry` is a valid `languages` entry: [`ANY`], [`ALPHABETIC`] or
/// a language code.
pub fn valid_entry(entry: &str) -> bool {
    entry == ANY
        || entry == ALPHABETIC
        || Language::parse(entry).is_some_and(|l| l.as_str() == entry)
}

/// Whether a rule whose effective `languages` are `entries` runs on a
/// document in `language`. An empty list means every language.
pub fn applies(entries: &[String], language: Language) -> bool {
    entries.is_empty()
        || entries.iter().any(|e| match e.as_str() {
            ANY => true,
            ALPHABETIC => matches!(
                language.script(),
                Script::Latin | Script::Cyrillic | Script::Greek
            ),
            code => code == language.as_str(),
        })
}

/// The default `languages` of a rule file by where it lies: a rule in a
/// pack folder — `<pack>/<category>/<id>.toml` or `<pack>/<id>.toml` —
/// named by a two-letter language code applies to that language, one in
/// `common` to every alphabetic language; `None` outside such folders.
pub fn pack_languages(file: &str) -> Option<Vec<String>> {
    let mut folders = file.rsplit(['/', '\\']).skip(1);
    let parent = folders.next();
    let grandparent = folders.next();
    [grandparent, parent]
        .into_iter()
        .flatten()
        .find_map(|name| {
            if name == "common" {
                Some(vec![ALPHABETIC.to_string()])
            } else if KNOWN.iter().any(|k| k.iso1 == name) || ISO1_OTHERS.contains(&name) {
                Some(vec![name.to_string()])
            } else {
                None
            }
        })
}

/// The script of the language with this code (Latin when not in the table).
fn script_of(code: &str) -> Script {
    KNOWN
        .iter()
        .find(|k| k.iso1 == code || k.iso3 == code)
        .map_or(Script::Latin, |k| k.script)
}

/// A language mtlint knows the script of, with its ISO 639-3 code (as
/// `whatlang` names it).
struct Known {
    iso1: &'static str,
    iso3: &'static str,
    script: Script,
}

const fn k(iso1: &'static str, iso3: &'static str, script: Script) -> Known {
    Known { iso1, iso3, script }
}

/// Every language `whatlang` detects, and a few more scripts.
const KNOWN: &[Known] = &[
    k("en", "eng", Script::Latin),
    k("de", "deu", Script::Latin),
    k("fr", "fra", Script::Latin),
    k("es", "spa", Script::Latin),
    k("it", "ita", Script::Latin),
    k("pt", "por", Script::Latin),
    k("nl", "nld", Script::Latin),
    k("cs", "ces", Script::Latin),
    k("sk", "slk", Script::Latin),
    k("pl", "pol", Script::Latin),
    k("sl", "slv", Script::Latin),
    k("hr", "hrv", Script::Latin),
    k("hu", "hun", Script::Latin),
    k("ro", "ron", Script::Latin),
    k("lt", "lit", Script::Latin),
    k("lv", "lav", Script::Latin),
    k("et", "est", Script::Latin),
    k("fi", "fin", Script::Latin),
    k("sv", "swe", Script::Latin),
    k("da", "dan", Script::Latin),
    k("nb", "nob", Script::Latin),
    k("tr", "tur", Script::Latin),
    k("az", "aze", Script::Latin),
    k("uz", "uzb", Script::Latin),
    k("tk", "tuk", Script::Latin),
    k("vi", "vie", Script::Latin),
    k("id", "ind", Script::Latin),
    k("jv", "jav", Script::Latin),
    k("tl", "tgl", Script::Latin),
    k("ca", "cat", Script::Latin),
    k("eo", "epo", Script::Latin),
    k("la", "lat", Script::Latin),
    k("af", "afr", Script::Latin),
    k("zu", "zul", Script::Latin),
    k("sn", "sna", Script::Latin),
    k("ak", "aka", Script::Latin),
    k("cy", "cym", Script::Latin),
    k("ru", "rus", Script::Cyrillic),
    k("uk", "ukr", Script::Cyrillic),
    k("be", "bel", Script::Cyrillic),
    k("bg", "bul", Script::Cyrillic),
    k("sr", "srp", Script::Cyrillic),
    k("mk", "mkd", Script::Cyrillic),
    k("kk", "kaz", Script::Cyrillic),
    k("ky", "kir", Script::Cyrillic),
    k("mn", "mon", Script::Cyrillic),
    k("tg", "tgk", Script::Cyrillic),
    k("el", "ell", Script::Greek),
    k("zh", "cmn", Script::Cjk),
    k("zh", "zho", Script::Cjk),
    k("ja", "jpn", Script::Cjk),
    k("ko", "kor", Script::Other),
    k("ar", "ara", Script::Other),
    k("fa", "pes", Script::Other),
    k("fa", "fas", Script::Other),
    k("ur", "urd", Script::Other),
    k("he", "heb", Script::Other),
    k("yi", "yid", Script::Other),
    k("hi", "hin", Script::Other),
    k("mr", "mar", Script::Other),
    k("ne", "nep", Script::Other),
    k("bn", "ben", Script::Other),
    k("pa", "pan", Script::Other),
    k("gu", "guj", Script::Other),
    k("or", "ori", Script::Other),
    k("ta", "tam", Script::Other),
    k("te", "tel", Script::Other),
    k("kn", "kan", Script::Other),
    k("ml", "mal", Script::Other),
    k("si", "sin", Script::Other),
    k("th", "tha", Script::Other),
    k("lo", "lao", Script::Other),
    k("km", "khm", Script::Other),
    k("my", "mya", Script::Other),
    k("ka", "kat", Script::Other),
    k("hy", "hye", Script::Other),
    k("am", "amh", Script::Other),
];

/// Two-letter codes of Latin-script languages not in [`KNOWN`], so that a
/// pack folder named by one is recognised.
const ISO1_OTHERS: &[&str] = &[
    "bs", "eu", "ga", "gd", "gl", "is", "lb", "mt", "nn", "no", "oc", "sq", "sw", "fy", "br", "co",
    "fo", "ha", "ig", "mg", "mi", "ms", "rm", "sm", "so", "st", "to", "wa", "xh", "yo",
];

/// Bytes of a document's text detection looks at, at most.
pub const PREFIX_BYTES: usize = 1024;
/// Letters a prefix needs before its language is guessed at all.
const MIN_LETTERS: usize = 40;
/// Han or kana characters a prefix needs to be taken for Chinese or Japanese.
const MIN_CJK: usize = 10;
/// Words the function-word count looks at, at most.
const MAX_WORDS: usize = 80;
/// `whatlang` confidence (0–1) below which its answer is not taken.
const MIN_CONFIDENCE: f64 = 0.5;

/// The language of `text` (a document's prefix, cut at [`PREFIX_BYTES`] by
/// the caller or not), or `None` when it is too short or too mixed to say.
pub fn detect(text: &str) -> Option<Language> {
    let text = prefix(text, PREFIX_BYTES);
    let counts = ScriptCounts::of(text);
    let cjk = counts.han + counts.kana;
    if cjk >= MIN_CJK && cjk * 2 >= counts.letters() {
        // Kana is Japanese; Han alone is Chinese (a Japanese text of kanji
        // alone is rare beyond a headline).
        return Some(if counts.kana * 10 >= cjk {
            Language::parse_two("ja")?
        } else {
            Language::parse_two("zh")?
        });
    }
    if counts.letters() < MIN_LETTERS {
        return None;
    }
    if let Some(lang) = by_function_words(text, &counts) {
        return Some(lang);
    }
    let info = whatlang::detect(text)?;
    if !info.is_reliable() || info.confidence() < MIN_CONFIDENCE {
        return None;
    }
    Language::parse(info.lang().code())
}

/// `text` cut to at most `max` bytes, at a char boundary.
fn prefix(text: &str, max: usize) -> &str {
    if text.len() <= max {
        return text;
    }
    let mut end = max;
    while !text.is_char_boundary(end) {
        end -= 1;
    }
    &text[..end]
}

/// Bytes [`ScriptCounts::of`] takes at once where they are all ASCII.
const ASCII_BLOCK: usize = 32;

/// How many bytes of `bytes` are ASCII letters, eight at a time (the
/// tokenizer's word arithmetic, written here again for letters alone: this
/// module imports nothing from the rest of the crate): a byte
/// with its 0x20 bit set is in `a..=z` when adding 0x80 - 'a' sets its high
/// bit and adding 0x7f - 'z' does not (no sum carries into the next byte),
/// and bytes with the high bit set are not letters.
fn ascii_letters(bytes: &[u8]) -> usize {
    const ONES: u64 = 0x0101_0101_0101_0101;
    const HIGH: u64 = 0x8080_8080_8080_8080;
    let mut chunks = bytes.chunks_exact(8);
    let mut n = 0;
    for chunk in &mut chunks {
        let mut eight = [0u8; 8];
        eight.copy_from_slice(chunk);
        let v = u64::from_le_bytes(eight);
        let low = (v & !HIGH) | 0x2020_2020_2020_2020;
        let at_least_a = low + (0x80 - u64::from(b'a')) * ONES;
        let above_z = low + (0x7f - u64::from(b'z')) * ONES;
        n += (at_least_a & !above_z & !v & HIGH).count_ones() as usize;
    }
    n + chunks
        .remainder()
        .iter()
        .filter(|b| b.is_ascii_alphabetic())
        .count()
}

/// Letters of a prefix by script.
#[derive(Default)]
struct ScriptCounts {
    latin: usize,
    cyrillic: usize,
    greek: usize,
    han: usize,
    kana: usize,
    other: usize,
}

impl ScriptCounts {
    fn of(text: &str) -> Self {
        let mut c = ScriptCounts::default();
        let bytes = text.as_bytes();
        let mut at = 0;
        while at < bytes.len() {
            // ASCII text (English with the odd curly quote) a block at a
            // time; otherwise one char, which keeps `at` on a char boundary.
            let block = &bytes[at..bytes.len().min(at + ASCII_BLOCK)];
            if block.is_ascii() {
                c.latin += ascii_letters(block);
                at += block.len();
                continue;
            }
            let Some(ch) = text[at..].chars().next() else {
                break;
            };
            at += ch.len_utf8();
            c.add(ch);
        }
        c
    }

    /// Counts `ch` under its script, if it is a letter.
    fn add(&mut self, ch: char) {
        match ch {
            'a'..='z' | 'A'..='Z' => self.latin += 1,
            '\u{C0}'..='\u{24F}' if ch.is_alphabetic() => self.latin += 1,
            '\u{370}'..='\u{3FF}' => self.greek += 1,
            '\u{400}'..='\u{52F}' => self.cyrillic += 1,
            '\u{3040}'..='\u{30FF}' | '\u{31F0}'..='\u{31FF}' | '\u{FF66}'..='\u{FF9F}' => {
                self.kana += 1
            }
            '\u{3400}'..='\u{4DBF}' | '\u{4E00}'..='\u{9FFF}' | '\u{F900}'..='\u{FAFF}' => {
                self.han += 1
            }
            _ if ch.is_alphabetic() => self.other += 1,
            _ => {}
        }
    }

    fn letters(&self) -> usize {
        self.latin + self.cyrillic + self.greek + self.han + self.kana + self.other
    }
}

/// Languages of the function-word lists, by bit.
const WORD_LANGS: &[&str] = &["en", "de", "fr", "es", "it", "pt", "nl", "cs", "pl", "ru"];

/// The most frequent function words of each language in [`WORD_LANGS`]
/// (lower case, one list per language, in its order). Words several
/// languages share count for each of them.
const FUNCTION_WORDS: &[&str] = &[
    // en
    "the and of to in is that for it was on with as he she by at from his her have has \
     are were this be said not but they which an had will would their been who its after",
    // de
    "der die und das ist nicht mit den von zu sich des auf für im dem ein eine einer eines \
     auch es an wird werden wurde sie er hat sind war nach bei aus wie noch dass oder aber \
     zum zur über vor",
    // fr
    "le la les et des est une du en que qui dans pour pas sur au aux il elle ce cette sont \
     par plus avec ont été mais ou se son sa ses leur nous vous l d qu un être",
    // es
    "el la los las y que de en del se por un una con no es su para al lo como más pero sus \
     le ha fue este esta también entre según sobre",
    // it
    "il di che e la per un una non sono del della con è gli le si al nel da anche ha ma \
     come più dei alla questo",
    // pt
    "o os a as de que e do da dos das em no na um uma para com não por se mais foi ao é \
     pelo pela também",
    // nl
    "de het een en van in is dat op te voor met zijn niet er ook aan om bij door wordt \
     werd maar naar",
    // cs
    "a je se na v ve že to s z do o k jako by byl byla bylo jsou které který která také \
     pro od po ale jeho jejich jak už při tak než za",
    // pl
    "i w na się z że do nie to jest o jak po od przez dla co ale są był była oraz jego \
     ich tym który która także",
    // ru
    "и в не на что с по он она как это из за к о от для но так его ее её был была были \
     также который которые уже при до же бы только",
];

/// FNV-1a: the keys are a few hundred short words, hashed once per word
/// of a prefix; SipHash would cost more than the rest of detection.
#[derive(Default)]
struct Fnv(u64);

impl Hasher for Fnv {
    fn finish(&self) -> u64 {
        self.0
    }
    fn write(&mut self, bytes: &[u8]) {
        let mut h = if self.0 == 0 {
            0xcbf2_9ce4_8422_2325
        } else {
            self.0
        };
        for &b in bytes {
            h = (h ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3);
        }
        self.0 = h;
    }
}

type WordMap = HashMap<&'static str, u16, BuildHasherDefault<Fnv>>;

/// Word → bit set of the languages whose lists hold it.
fn function_words() -> &'static WordMap {
    static WORDS: OnceLock<WordMap> = OnceLock::new();
    WORDS.get_or_init(|| {
        let mut map = WordMap::default();
        for (bit, list) in FUNCTION_WORDS.iter().enumerate() {
            for word in list.split_whitespace() {
                *map.entry(word).or_default() |= 1 << bit;
            }
        }
        map
    })
}

/// The language whose function words clearly dominate the first words of
/// `text`, or `None` when none does (left to `whatlang`).
fn by_function_words(text: &str, counts: &ScriptCounts) -> Option<Language> {
    // Only scripts the lists are written in.
    let alphabetic = counts.latin + counts.cyrillic;
    if alphabetic * 10 < counts.letters() * 9 {
        return None;
    }
    let words = function_words();
    let mut hits = [0usize; WORD_LANGS.len()];
    let mut seen = 0;
    let mut lower = String::new();
    let ascii = text.is_ascii();
    let mut rest = text;
    while seen < MAX_WORDS {
        // The next run of letters: bytes for ASCII text, chars otherwise.
        let start = if ascii {
            rest.bytes().position(|b| b.is_ascii_alphabetic())
        } else {
            rest.char_indices()
                .find(|(_, c)| c.is_alphabetic())
                .map(|(i, _)| i)
        };
        let Some(start) = start else { break };
        rest = &rest[start..];
        let end = if ascii {
            rest.bytes()
                .position(|b| !b.is_ascii_alphabetic())
                .unwrap_or(rest.len())
        } else {
            rest.char_indices()
                .find(|(_, c)| !c.is_alphabetic())
                .map_or(rest.len(), |(i, _)| i)
        };
        let word = &rest[..end];
        rest = &rest[end..];
        seen += 1;
        // No function word is longer than 16 bytes.
        if word.len() > 16 {
            continue;
        }
        lower.clear();
        if ascii {
            lower.extend(word.bytes().map(|b| char::from(b.to_ascii_lowercase())));
        } else {
            lower.extend(word.chars().flat_map(char::to_lowercase));
        }
        if let Some(&bits) = words.get(lower.as_str()) {
            for (i, n) in hits.iter_mut().enumerate() {
                *n += usize::from(bits >> i & 1);
            }
        }
        // Ordinary prose is decided well before the last word.
        if seen >= 24 && seen % 8 == 0 && decided(&hits, seen).is_some() {
            break;
        }
    }
    decided(&hits, seen).and_then(|i| Language::parse_two(WORD_LANGS[i]))
}

/// The index of the language whose function words clearly lead in `hits`
/// (counts over `seen` words), if one does: function words are a quarter
/// to a half of running text; a clear winner has a fifth of the words and
/// half as many again as the next.
fn decided(hits: &[usize], seen: usize) -> Option<usize> {
    // The leader's index and the runner-up's count (a tie leaves no leader).
    let (mut best, mut second) = (0, 0);
    for (i, &n) in hits.iter().enumerate().skip(1) {
        if n > hits[best] {
            second = hits[best];
            best = i;
        } else if n > second {
            second = n;
        }
    }
    let top = hits[best];
    (seen >= 8 && top >= 4 && top * 5 >= seen && top * 2 >= second * 3).then_some(best)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Blocks of ASCII and chars elsewhere count what a char-by-char pass
    /// counts, whatever the offset of the non-ASCII chars in a block (the
    /// blocks' letters are counted by word arithmetic, not by `add`).
    #[test]
    fn script_counts_agree_with_a_char_by_char_count() {
        let text =
            "Plain words, “quoted” ones; Müller’s café × ÷ Ωμέγα Москва 東京 ひらがな ｶﾀｶﾅ 12.";
        for cut in (0..text.len()).filter(|&k| text.is_char_boundary(k)) {
            let part = format!("{}{}", "x".repeat(cut % 37), &text[cut..]);
            let fast = ScriptCounts::of(&part);
            let mut slow = ScriptCounts::default();
            part.chars().for_each(|ch| slow.add(ch));
            let all = |c: &ScriptCounts| [c.latin, c.greek, c.cyrillic, c.kana, c.han, c.other];
            assert_eq!(all(&fast), all(&slow), "{part:?}");
        }
    }

    #[test]
    fn ascii_letters_counts_as_is_ascii_alphabetic() {
        let bytes: Vec<u8> = (0..=255u8)
            .chain((0..=255u8).rev())
            .chain(*b"Az@[`{ 09")
            .collect();
        for start in 0..16 {
            for end in start..bytes.len() {
                let slice = &bytes[start..end];
                let want = slice.iter().filter(|b| b.is_ascii_alphabetic()).count();
                assert_eq!(ascii_letters(slice), want, "{start}..{end}");
            }
        }
    }

    fn lang(code: &str) -> Language {
        Language::parse(code).expect("valid code")
    }

    #[test]
    fn codes_and_tags_parse_to_their_primary_subtag() {
        assert_eq!(lang("de-DE").as_str(), "de");
        assert_eq!(lang("ZH_cn").as_str(), "zh");
        assert_eq!(lang("deu"), lang("de"));
        assert_eq!(lang("cmn"), lang("zh"));
        assert_eq!(lang("haw").as_str(), "haw");
        assert!(Language::parse("english").is_none());
        assert!(Language::parse("d").is_none());
        assert!(Language::parse("").is_none());
        assert!(Language::parse("d3").is_none());
    }

    #[test]
    fn scripts_and_counting() {
        assert_eq!(lang("ru").script(), Script::Cyrillic);
        assert_eq!(lang("el").script(), Script::Greek);
        assert!(lang("ja").counts_characters() && lang("zh").counts_characters());
        assert!(!lang("de").counts_characters());
        assert_eq!(lang("xx").script(), Script::Latin);
    }

    #[test]
    fn rules_apply_by_their_entries() {
        let list = |l: &[&str]| l.iter().map(|s| s.to_string()).collect::<Vec<_>>();
        assert!(applies(&[], lang("ja")));
        assert!(applies(&list(&["*"]), lang("ja")));
        assert!(applies(&list(&["alphabetic"]), lang("ru")));
        assert!(applies(&list(&["alphabetic"]), lang("el")));
        assert!(!applies(&list(&["alphabetic"]), lang("zh")));
        assert!(!applies(&list(&["alphabetic"]), lang("ar")));
        assert!(applies(&list(&["de", "fr"]), lang("fr")));
        assert!(!applies(&list(&["en"]), lang("de")));
        assert!(valid_entry("de") && valid_entry("*") && valid_entry("alphabetic"));
        assert!(!valid_entry("DE") && !valid_entry("german") && !valid_entry("de-AT"));
    }

    #[test]
    fn packs_come_from_folders() {
        assert_eq!(
            pack_languages("rules/de/pairing/unpaired-quote-de.toml"),
            Some(vec!["de".to_string()])
        );
        assert_eq!(
            pack_languages("my-pack/pt/x.toml"),
            Some(vec!["pt".to_string()])
        );
        assert_eq!(
            pack_languages("rules/common/encoding/mojibake.toml"),
            Some(vec!["alphabetic".to_string()])
        );
        assert_eq!(pack_languages("house/style/x.toml"), None);
        assert_eq!(pack_languages("x.toml"), None);
    }

    #[test]
    fn detects_languages_of_news_prose() {
        let cases = [
            (
                "en",
                "The council said on Tuesday that the new bridge would open in the spring, \
                 after two years of work and a long dispute over its cost.",
            ),
            (
                "de",
                "Der Stadtrat teilte am Dienstag mit, dass die neue Brücke im Frühjahr \
                 eröffnet werden soll, nach zwei Jahren Bauzeit und einem langen Streit.",
            ),
            (
                "fr",
                "Le conseil municipal a annoncé mardi que le nouveau pont ouvrirait au \
                 printemps, après deux ans de travaux et une longue querelle sur son coût.",
            ),
            (
                "es",
                "El ayuntamiento anunció el martes que el nuevo puente se abrirá en \
                 primavera, tras dos años de obras y una larga disputa por su coste.",
            ),
            (
                "cs",
                "Městská rada v úterý oznámila, že nový most bude otevřen na jaře, po dvou \
                 letech stavby a dlouhém sporu o jeho cenu, který se táhl od podzimu.",
            ),
            (
                "ru",
                "Городской совет во вторник сообщил, что новый мост откроется весной, \
                 после двух лет работ и долгого спора о его стоимости.",
            ),
            (
                "zh",
                "市议会周二表示，这座新桥将于明年春天通车。此前工程历时两年，其造价也引发了长期争议。",
            ),
            (
                "ja",
                "市議会は火曜日、新しい橋が来年の春に開通すると発表した。工事は二年に及び、費用をめぐる議論も続いた。",
            ),
        ];
        for (code, text) in cases {
            assert_eq!(detect(text), Some(lang(code)), "{text}");
        }
    }

    #[test]
    fn short_or_letterless_text_is_not_guessed() {
        assert_eq!(detect("Thanks!"), None);
        assert_eq!(detect("12 345 678 — 9,10; 11."), None);
        assert_eq!(detect(""), None);
        // Past the prefix nothing is read: a long English start decides.
        let long = format!(
            "{}{}",
            "The talks went on. ".repeat(80),
            "Der Hund und die Katze."
        );
        assert_eq!(detect(&long), Some(Language::EN));
    }
}
