//! `script`: a run of letters in a writing system other than the
//! document's main one — a fragment of the source left in the target
//! (Chinese characters or a Cyrillic word inside an English sentence).
//!
//! ```toml
//! min-letters = 3      # shortest run flagged in an alphabet (Cyrillic, Greek, …)
//! min-ideographs = 2   # shortest run flagged of Han, kana or Hangul
//! ```
//! The main script is the one most of the document's letters are in; Han,
//! kana and Hangul count as one (Japanese and Korean mix them), each of their
//! chars as three letters (it carries about a word), so a Chinese or Russian
//! document is never flagged for its own script. Latin is never
//! flagged: names, brands and units stay in Latin letters in any language.
//! Left alone: a run in quotation marks or brackets (a name given in its own
//! script, “Lianhe Zaobao (联合早报)”), shorter runs, and an alphabetic run
//! glued to Latin letters or digits (units and symbols: μm, TNF-α), and web
//! addresses in the script (стопкоронавирус.рф). With a
//! source, a run is flagged only where the source holds the same text, and
//! the main script is taken from the target's letters outside the source's
//! script, so a target left half untranslated is caught too.
//!
//! Placeholders: `{match}`, `{script}` (the run's script), `{main}` (the
//! document's).
//!
//! Plain ASCII text is skipped at once; otherwise only non-ASCII chars are
//! looked at one by one.

use std::ops::Range;
use std::sync::Arc;

use serde::Deserialize;
use unicode_script::{Script, UnicodeScript};

use super::{Check, MAX_FINDINGS_PER_RULE, Output, RuleContext, char_at, char_before};
use crate::diagnostics::RuleError;
use crate::document::Document;
use crate::finding::{Finding, RuleMeta};

pub(crate) const KEYS: &[&str] = &["min-letters", "min-ideographs"];

#[derive(Deserialize)]
#[serde(rename_all = "kebab-case")]
struct Spec {
    #[serde(default = "default_min_letters")]
    min_letters: usize,
    #[serde(default = "default_min_ideographs")]
    min_ideographs: usize,
}

fn default_min_letters() -> usize {
    3
}
fn default_min_ideographs() -> usize {
    2
}

struct ScriptRun {
    spec: Spec,
    out: Output,
}

pub(crate) fn build(ctx: &RuleContext<'_>) -> Result<Box<dyn Check>, RuleError> {
    let spec: Spec = ctx.spec()?;
    if spec.min_letters == 0 || spec.min_ideographs == 0 {
        return Err(ctx.error(
            None,
            "`min-letters` and `min-ideographs` must be at least 1",
        ));
    }
    let out = ctx.output(
        |v| matches!(v, "match" | "script" | "main"),
        "{match}, {script}, {main}",
    )?;
    Ok(Box::new(ScriptRun { spec, out }))
}

/// A writing system as this rule counts it: Han, kana and Hangul are one.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Family {
    Latin,
    Cjk,
    Other(Script),
}

impl Family {
    fn of(script: Script) -> Option<Family> {
        match script {
            Script::Common | Script::Inherited | Script::Unknown => None,
            Script::Latin => Some(Family::Latin),
            Script::Han
            | Script::Hiragana
            | Script::Katakana
            | Script::Hangul
            | Script::Bopomofo => Some(Family::Cjk),
            other => Some(Family::Other(other)),
        }
    }
}

/// Letters counted per family, and per script within it (for names).
#[derive(Default)]
struct Counts(Vec<(Family, Script, usize)>);

impl Counts {
    fn add(&mut self, family: Family, script: Script, n: usize) {
        match self
            .0
            .iter_mut()
            .find(|(f, s, _)| *f == family && *s == script)
        {
            Some(entry) => entry.2 += n,
            None => self.0.push((family, script, n)),
        }
    }

    fn family(&self, family: Family) -> usize {
        self.0
            .iter()
            .filter(|(f, _, _)| *f == family)
            .map(|e| e.2)
            .sum()
    }

    /// The family with the most letters (ties: the first counted), leaving
    /// out `except`, and the script with the most letters in it.
    fn main(&self, except: Option<Family>) -> Option<(Family, Script)> {
        let mut best: Option<(Family, usize)> = None;
        for &(f, _, _) in &self.0 {
            if Some(f) == except {
                continue;
            }
            let n = self.family(f);
            if n > 0 && best.is_none_or(|(_, m)| n > m) {
                best = Some((f, n));
            }
        }
        let (family, _) = best?;
        let script = self
            .0
            .iter()
            .filter(|(f, _, _)| *f == family)
            .max_by_key(|e| e.2)
            .map(|e| e.1)?;
        Some((family, script))
    }
}

/// A run of letters of one family outside Latin, in one segment.
struct Run {
    segment: usize,
    range: Range<usize>,
    family: Family,
    script: Script,
    letters: usize,
}

/// Chars that may come between the words of one run: spaces, hyphens,
/// apostrophes, middle dots, joiners, CJK commas and colons, and combining
/// marks (which belong to the letter before them).
fn is_joiner(c: char) -> bool {
    matches!(
        c,
        ' ' | '\t'
            | '-'
            | '\''
            | '’'
            | '\u{00B7}'
            | '\u{200C}'
            | '\u{200D}'
            | '\u{30FB}'
            | '\u{3000}'
            | '、'
            | '，'
            | '：'
            | '；'
    ) || c.script() == Script::Inherited
}

/// Byte offset of the first non-ASCII byte of `bytes` at or after `from`.
fn next_non_ascii(bytes: &[u8], mut from: usize) -> Option<usize> {
    while from + 8 <= bytes.len() {
        let mut word = [0u8; 8];
        word.copy_from_slice(&bytes[from..from + 8]);
        if u64::from_ne_bytes(word) & 0x8080_8080_8080_8080 != 0 {
            break;
        }
        from += 8;
    }
    bytes[from..]
        .iter()
        .position(|&b| b >= 0x80)
        .map(|k| from + k)
}

/// Counts the non-ASCII letters of `text` by family and script, and
/// collects its runs outside Latin.
fn scan(text: &str, segment: usize, counts: &mut Counts, runs: &mut Vec<Run>) {
    let bytes = text.as_bytes();
    let mut i = 0;
    let mut open: Option<Run> = None;
    while let Some(at) = next_non_ascii(bytes, i) {
        let Some(c) = char_at(text, at) else { break };
        i = at + c.len_utf8();
        if !c.is_alphabetic() {
            continue;
        }
        let script = c.script();
        let Some(family) = Family::of(script) else {
            continue;
        };
        // An ideograph or syllable block carries about a word: three letters.
        let weight = if family == Family::Cjk { 3 } else { 1 };
        counts.add(family, script, weight);
        if family == Family::Latin {
            continue;
        }
        if let Some(run) = open.as_mut() {
            let gap = &text[run.range.end..at];
            if run.family == family && gap.len() <= 8 && gap.chars().all(is_joiner) {
                run.range.end = i;
                run.letters += 1;
                continue;
            }
        }
        runs.extend(open.take());
        open = Some(Run {
            segment,
            range: at..i,
            family,
            script,
            letters: 1,
        });
    }
    runs.extend(open);
}

fn is_opening_mark(c: char) -> bool {
    matches!(
        c,
        '“' | '"' | '\'' | '‘' | '«' | '»' | '„' | '(' | '[' | '「' | '『' | '（' | '《' | '〈'
    )
}

fn is_closing_mark(c: char) -> bool {
    matches!(
        c,
        '”' | '"' | '\'' | '’' | '»' | '«' | '“' | ')' | ']' | '」' | '』' | '）' | '》' | '〉'
    )
}

impl ScriptRun {
    /// Whether `run` is left alone whatever the main script: too short, a
    /// name in quotes or brackets, a symbol glued to Latin or digits, or
    /// part of a web address.
    fn excused(&self, text: &str, run: &Run) -> bool {
        let min = if run.family == Family::Cjk {
            self.spec.min_ideographs
        } else {
            self.spec.min_letters
        };
        if run.letters < min {
            return true;
        }
        let before = text[..run.range.start].trim_end_matches([' ', '\t']);
        let after = text[run.range.end..].trim_start_matches([' ', '\t']);
        let quoted = before.chars().next_back().is_some_and(is_opening_mark)
            && after.chars().next().is_some_and(is_closing_mark);
        let glued = run.family != Family::Cjk
            && (char_before(text, run.range.start).is_some_and(|c| c.is_ascii_alphanumeric())
                || char_at(text, run.range.end).is_some_and(|c| c.is_ascii_alphanumeric()));
        // A web address or e-mail in the script: стопкоронавирус.рф
        let address = (text[run.range.end..].starts_with('.')
            && char_at(text, run.range.end + 1).is_some_and(char::is_alphanumeric))
            || char_before(text, run.range.start).is_some_and(|c| matches!(c, '.' | '/' | '@'));
        quoted || glued || address
    }
}

impl Check for ScriptRun {
    fn meta(&self) -> &Arc<RuleMeta> {
        &self.out.meta
    }

    fn check(&self, doc: &Document<'_>, out: &mut Vec<Finding>) {
        if doc.segments.iter().all(|s| s.text().is_ascii()) {
            return;
        }
        let mut counts = Counts::default();
        let mut runs = Vec::new();
        for (k, seg) in doc.segments.iter().enumerate() {
            scan(seg.text(), k, &mut counts, &mut runs);
        }
        runs.retain(|r| !self.excused(doc.segments[r.segment].text(), r));
        if runs.is_empty() {
            return;
        }
        let ascii_letters: usize = doc
            .segments
            .iter()
            .map(|s| s.text().bytes().filter(u8::is_ascii_alphabetic).count())
            .sum();
        counts.add(Family::Latin, Script::Latin, ascii_letters);
        let source = doc.source.as_deref();
        let (main, main_script) = match source {
            None => match counts.main(None) {
                Some(m) => m,
                None => return,
            },
            Some(source) => {
                // The target's language is what is not in the source's script.
                let mut source_counts = Counts::default();
                let mut source_runs = Vec::new();
                scan(source, 0, &mut source_counts, &mut source_runs);
                let ascii = source.bytes().filter(u8::is_ascii_alphabetic).count();
                source_counts.add(Family::Latin, Script::Latin, ascii);
                let source_main = source_counts.main(None).map(|(f, _)| f);
                match counts.main(source_main) {
                    Some(m) => m,
                    None => return,
                }
            }
        };
        let main_name = main_script.full_name();
        for run in runs {
            if run.family == main || out.len() > MAX_FINDINGS_PER_RULE {
                continue;
            }
            let seg = &doc.segments[run.segment];
            let matched = &seg.text()[run.range.clone()];
            if source.is_some_and(|s| !s.contains(matched)) {
                continue;
            }
            let script = run.script.full_name();
            out.push(self.out.finding(seg, run.range.clone(), |v| match v {
                "match" => Some(matched),
                "script" => Some(script),
                "main" => Some(main_name),
                _ => None,
            }));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::next_non_ascii;
    use crate::check::testing::{load, matched, run};

    const RULE: &str = r#"
id = "t"
kind = "script"
category = "untranslated"
severity = "warning"
message = "{script} in {main} text: {match}"
summary = "s"
why = "w"
"#;

    #[test]
    fn flags_a_fragment_in_another_script() {
        let found = run(
            RULE,
            "The minister said the 经济发展 plan would start in May.",
        );
        assert_eq!(
            found,
            vec![(
                "经济发展".to_string(),
                "Han in Latin text: 经济发展".to_string(),
                None
            )]
        );
        // Words of one script joined by spaces are one run.
        assert_eq!(
            matched(
                RULE,
                "The talks in Moscow, как сообщает агентство, went on."
            ),
            vec!["как сообщает агентство"]
        );
    }

    #[test]
    fn the_main_script_is_never_flagged() {
        for text in [
            "Министр заявил, что переговоры продолжатся в понедельник в Москве.",
            "国务院总理表示，经济将继续稳定增长。记者采访了专家。",
            "東京都は月曜日、新しい計画を発表した。カタカナとひらがなも混ざる。",
            "서울시는 월요일 새로운 계획을 발표했다 漢字 섞임.",
            // Latin inside another script: names, brands, units.
            "Компания Apple представила iPhone в Купертино.",
            "苹果公司在Cupertino发布了iPhone手机。",
        ] {
            assert!(
                matched(RULE, text).is_empty(),
                "{text}: {:?}",
                matched(RULE, text)
            );
        }
    }

    #[test]
    fn names_in_quotes_or_brackets_units_and_symbols() {
        for text in [
            "The newspaper Lianhe Zaobao (联合早报) said so on Monday.",
            "The daily “Коммерсантъ” reported the deal.",
            "The pores are 5 μm wide and the α-helix and TNF-α and Ωcm matter.",
            "Beta blockers (β) and the ΔΔCt method, the π ratio.",
            "The site стопкоронавирус.рф and пример@почта.рф reported it.",
        ] {
            assert!(
                matched(RULE, text).is_empty(),
                "{text}: {:?}",
                matched(RULE, text)
            );
        }
    }

    #[test]
    fn with_a_source_only_copies_of_it_are_flagged() {
        let ruleset = load(RULE);
        let check = |target: &str, source: &str| -> Vec<String> {
            let doc = crate::document::Document::bilingual(target, source);
            let (found, _) = crate::engine::check_document(&ruleset, &doc);
            found
                .into_iter()
                .map(|f| target[f.span].to_string())
                .collect()
        };
        assert_eq!(
            check(
                "He said the 经济发展 plan starts.",
                "他说经济发展计划开始了。"
            ),
            vec!["经济发展"]
        );
        // Not in the source: a gloss the translator added.
        assert!(check("He said the 发展 plan starts.", "他说经济计划开始了。").is_empty());
        // A target left mostly untranslated: its language is what is not
        // in the source's script.
        assert_eq!(
            check(
                "He said: 我们必须马上行动，不能再等了。",
                "他说：我们必须马上行动，不能再等了。"
            ),
            vec!["我们必须马上行动，不能再等了"]
        );
    }

    #[test]
    fn non_ascii_search_skips_words_of_ascii() {
        let text = "plain ascii words here then é and more";
        let at = text.find('é').unwrap();
        assert_eq!(next_non_ascii(text.as_bytes(), 0), Some(at));
        assert_eq!(next_non_ascii(text.as_bytes(), at + 2), None);
        assert_eq!(next_non_ascii(b"short", 0), None);
    }
}
