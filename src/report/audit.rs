//! Audits: each document of a file scored, and documents gathered into
//! groups (`--group-by`) with their totals, trends by day, the rules they
//! trip and the worst documents with their findings in context — for the
//! reporters that show a corpus as its sources (`summary`, `json`, `html`).
//!
//! Memory is bounded whatever the corpus: totals per group, per rule and
//! per day, the [`TOP_DOCUMENTS`] worst documents and [`RULE_EXAMPLES`]
//! excerpts per rule; never every finding. Knows nothing of how documents
//! were read or checked: it is given rows and [`FileInfo`].

use std::collections::{BTreeMap, HashMap};
use std::sync::Arc;

use super::{DocumentInfo, FileInfo, Located};
use crate::finding::{RuleMeta, Severity};
use crate::group::{GroupBy, date::Day};
use crate::language::Language;

/// Documents kept for the "worst documents" of a report.
pub const TOP_DOCUMENTS: usize = 50;
/// Findings kept, in context, for each of those documents.
pub const EXCERPTS_PER_DOCUMENT: usize = 12;
/// Findings kept, in context, as examples of each rule.
pub const RULE_EXAMPLES: usize = 3;
/// Chars of context kept on each side of a finding's span.
const CONTEXT_CHARS: usize = 140;

/// How findings weigh in a document's score (`[score]` in mtlint.toml).
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Weights {
    /// Weight of an error-severity finding.
    pub error: f64,
    /// Weight of a warning.
    pub warning: f64,
    /// Weight of an info finding.
    pub info: f64,
    /// Documents shorter than this count as this long: a three-word
    /// headline with one slip does not outrank an article full of them.
    pub min_words: usize,
}

impl Default for Weights {
    fn default() -> Self {
        Weights {
            error: 5.0,
            warning: 2.0,
            info: 0.5,
            min_words: 100,
        }
    }
}

impl Weights {
    /// The weighted sum of findings counted per severity (info, warning, error).
    pub fn weight(&self, counts: [usize; 3]) -> f64 {
        counts[0] as f64 * self.info
            + counts[1] as f64 * self.warning
            + counts[2] as f64 * self.error
    }

    /// The score of a text of `words` words with `counts` findings:
    /// weighted findings per 1,000 words (at least `min_words` words).
    pub fn score(&self, counts: [usize; 3], words: usize) -> f64 {
        self.weight(counts) * 1000.0 / words.max(self.min_words).max(1) as f64
    }
}

/// How a run groups and scores documents.
#[derive(Clone, Debug, Default)]
pub struct AuditSettings {
    /// What documents are grouped by.
    pub group_by: GroupBy,
    /// The paths given on the command line (for `--group-by dir`).
    pub roots: Vec<String>,
    /// The score's weights.
    pub weights: Weights,
}

/// One document of a file, scored: its record, group, day and findings.
#[derive(Clone, Debug, PartialEq)]
pub struct Scored {
    /// The record id rows carry (`None` for a prose file, and for findings
    /// outside every record).
    pub record: Option<String>,
    /// The document's group.
    pub group: String,
    /// The day the record is dated, when its date could be read.
    pub day: Option<Day>,
    /// The record has a date that is neither ISO 8601 nor RFC 2822.
    pub bad_date: bool,
    /// Words of its checked text.
    pub words: usize,
    /// Findings per severity: info, warning, error.
    pub counts: [usize; 3],
    /// Its score (see [`Weights::score`]).
    pub score: f64,
}

/// The documents of one file, scored, and which of them each row is in.
#[derive(Clone, Debug, Default)]
pub struct FileScores {
    /// The documents in file order (merged when two share a record id).
    pub documents: Vec<Scored>,
    /// For each row, the index of its document.
    pub row_document: Vec<usize>,
}

/// Scores the documents of the file `path` from what the run learned of it
/// (`info.documents`) and its reported `rows`. A row goes to the document
/// of its record; documents that share a record id are one document; a
/// row outside every record (an encoding finding) goes to the file's prose
/// document, else to a document of its own with no words.
pub fn score_file(
    settings: &AuditSettings,
    path: &str,
    info: &FileInfo,
    rows: &[Located],
) -> FileScores {
    let mut documents: Vec<Scored> = Vec::with_capacity(info.documents.len());
    let mut by_record: HashMap<Option<&str>, usize> = HashMap::new();
    for doc in &info.documents {
        let key = doc.record.as_deref();
        if let Some(&i) = by_record.get(&key) {
            documents[i].words += scored_words(doc);
            continue;
        }
        let (day, bad_date) = match doc.date.as_deref().map(str::trim) {
            None | Some("") => (None, false),
            Some(text) => match crate::group::date::parse(text) {
                Some(day) => (Some(day), false),
                None => (None, true),
            },
        };
        by_record.insert(key, documents.len());
        documents.push(Scored {
            record: doc.record.clone(),
            group: settings.group_by.key(
                path,
                &settings.roots,
                doc.group.as_deref(),
                doc.language.as_ref().map(Language::as_str),
            ),
            day,
            bad_date,
            words: scored_words(doc),
            counts: [0; 3],
            score: 0.0,
        });
    }
    let mut row_document = Vec::with_capacity(rows.len());
    for row in rows {
        let key = row.record.as_deref();
        let i = match by_record.get(&key) {
            Some(&i) => i,
            None => {
                let i = documents.len();
                by_record.insert(key, i);
                documents.push(Scored {
                    record: row.record.clone(),
                    // Outside every document (an encoding finding): the
                    // file's language, when grouping by language.
                    group: settings.group_by.key(
                        path,
                        &settings.roots,
                        None,
                        info.language.as_ref().map(Language::as_str),
                    ),
                    day: None,
                    bad_date: false,
                    words: 0,
                    counts: [0; 3],
                    score: 0.0,
                });
                i
            }
        };
        documents[i].counts[row.finding.severity as usize] += 1;
        row_document.push(i);
    }
    for doc in &mut documents {
        doc.score = settings.weights.score(doc.counts, doc.words);
    }
    FileScores {
        documents,
        row_document,
    }
}

/// The words a document is scored on: its words, or for a document in a
/// language written without spaces (Chinese, Japanese) one word for every
/// two characters, so that densities and scores compare across languages
/// (whitespace-separated words would be a handful of long runs).
pub fn scored_words(doc: &DocumentInfo) -> usize {
    if doc.characters > 0 {
        doc.characters.div_ceil(CHARACTERS_PER_WORD)
    } else {
        doc.words
    }
}

/// Characters of Chinese or Japanese text counted as one word in scores.
pub const CHARACTERS_PER_WORD: usize = 2;

/// Totals of a set of documents.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Tally {
    /// Documents.
    pub documents: usize,
    /// Words.
    pub words: usize,
    /// Findings per severity: info, warning, error.
    pub counts: [usize; 3],
    /// Documents with at least one error-severity finding.
    pub with_errors: usize,
}

impl Tally {
    fn add(&mut self, doc: &Scored) {
        self.documents += 1;
        self.words += doc.words;
        for (total, n) in self.counts.iter_mut().zip(doc.counts) {
            *total += n;
        }
        self.with_errors += usize::from(doc.counts[Severity::Error as usize] > 0);
    }

    /// All findings.
    pub fn findings(&self) -> usize {
        self.counts.iter().sum()
    }

    /// Findings per 1,000 words, or `None` without words.
    pub fn density(&self) -> Option<f64> {
        (self.words > 0).then(|| self.findings() as f64 * 1000.0 / self.words as f64)
    }

    /// The score of the whole set, as of one long document.
    pub fn score(&self, weights: &Weights) -> f64 {
        weights.score(self.counts, self.words)
    }

    /// The share of documents with an error, from 0 to 1.
    pub fn error_share(&self) -> f64 {
        if self.documents == 0 {
            0.0
        } else {
            self.with_errors as f64 / self.documents as f64
        }
    }
}

/// A group's totals, and what it is made of.
#[derive(Clone, Debug, Default)]
pub struct GroupStats {
    /// Its totals.
    pub tally: Tally,
    /// Findings by category.
    pub categories: BTreeMap<String, usize>,
    /// Findings by rule id.
    pub rules: BTreeMap<String, usize>,
    /// Totals by day, for dated documents.
    pub days: BTreeMap<Day, Tally>,
}

/// A finding as a reader sees it: the sentence around its span.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Excerpt {
    /// The file, as reported.
    pub path: String,
    /// The record, if any.
    pub record: Option<String>,
    /// The group of its document.
    pub group: String,
    /// 1-based line and column.
    pub line: usize,
    /// 1-based column, in chars.
    pub column: usize,
    /// Rule id.
    pub rule: String,
    /// Severity.
    pub severity: Severity,
    /// The finding's message.
    pub message: String,
    /// Text before the span, from the sentence start (or a cut).
    pub before: String,
    /// The span's text (its first line).
    pub matched: String,
    /// Text after the span, to the sentence end (or a cut).
    pub after: String,
    /// The suggested replacement, if any.
    pub suggestion: Option<String>,
}

/// Whether `c` ends a sentence when followed by a space.
fn ends_sentence(c: char) -> bool {
    matches!(c, '.' | '!' | '?' | '。' | '！' | '？')
}

/// `row` in context: the sentence around its span, from the line the row
/// holds (clipped to [`CONTEXT_CHARS`] chars each side).
pub fn excerpt(path: &str, group: &str, row: &Located) -> Excerpt {
    let f = &row.finding;
    let mut line: Vec<char> = row.line_text.chars().collect();
    let record = row.record.is_some();
    if record {
        // A record's line may be JSON: its escaped line breaks and tabs read
        // as the spaces they stand for (two chars for two: columns hold).
        for i in 1..line.len() {
            if line[i - 1] == '\\' && matches!(line[i], 'n' | 'r' | 't') {
                line[i - 1] = ' ';
                line[i] = ' ';
            }
        }
    }
    let start = row
        .column
        .saturating_sub(row.line_text_column)
        .min(line.len());
    let matched_first = row.matched.split('\n').next().unwrap_or("");
    let span_chars = if row.end_line == row.line {
        row.end_column.saturating_sub(row.column)
    } else {
        matched_first.chars().count()
    };
    let end = (start + span_chars).min(line.len());
    // The sentence start: after the last sentence end (or field boundary of
    // a JSON record line) before the span.
    let mut from = start.saturating_sub(CONTEXT_CHARS);
    let mut i = start;
    while i > from {
        let c = line[i - 1];
        let next_is_space = line.get(i).is_some_and(|c| c.is_whitespace());
        if (ends_sentence(c) && next_is_space && i < start)
            || (c == '"' && i >= 3 && line[i - 3..i - 1] == [':', ' '])
            || (c == '"' && i >= 2 && line[i - 2] == ':')
        {
            from = i;
            break;
        }
        i -= 1;
    }
    let mut to = (end + CONTEXT_CHARS).min(line.len());
    for j in end..to {
        let c = line[j];
        if ends_sentence(c)
            && line
                .get(j + 1)
                .is_none_or(|n| n.is_whitespace() || *n == '"')
        {
            to = j + 1;
            break;
        }
        // The end of a JSON string value.
        if record
            && c == '"'
            && j > 0
            && line[j - 1] != '\\'
            && matches!(line.get(j + 1), None | Some(',' | '}'))
        {
            to = j;
            break;
        }
    }
    let text = |r: std::ops::Range<usize>| -> String {
        let mut out = String::new();
        for c in &line[r] {
            if !(c.is_whitespace() && out.ends_with(' ')) {
                out.push(if c.is_whitespace() { ' ' } else { *c });
            }
        }
        out
    };
    let (before, shown, after) = if line.is_empty() {
        (String::new(), matched_first.to_string(), String::new())
    } else {
        (
            text(from..start).trim_start().to_string(),
            text(start..end),
            text(end..to.max(end)).trim_end().to_string(),
        )
    };
    Excerpt {
        path: path.to_string(),
        record: row.record.clone(),
        group: group.to_string(),
        line: row.line,
        column: row.column,
        rule: f.rule.id.clone(),
        severity: f.severity,
        message: f.message.clone(),
        before,
        matched: if shown.is_empty() {
            matched_first.to_string()
        } else {
            shown
        },
        after,
        suggestion: f.suggestion.clone(),
    }
}

/// One of the worst documents, with its findings in context.
#[derive(Clone, Debug, PartialEq)]
pub struct WorstDocument {
    /// The file, as reported.
    pub path: String,
    /// The document as scored.
    pub document: Scored,
    /// Its first findings in context.
    pub excerpts: Vec<Excerpt>,
    /// Findings it has beyond those.
    pub more: usize,
}

/// A rule's findings over the run.
#[derive(Clone, Debug)]
pub struct RuleStats {
    /// The rule.
    pub rule: Arc<RuleMeta>,
    /// Its findings, per severity as reported (info, warning, error).
    pub counts: [usize; 3],
    /// Its first findings in context.
    pub examples: Vec<Excerpt>,
}

/// A whole run's audit: totals per group, per rule and per category, and
/// the worst documents; fed file by file, in report order.
#[derive(Clone, Debug, Default)]
pub struct Audit {
    /// How documents are grouped and scored.
    pub settings: AuditSettings,
    /// The rules that ran, sorted by id.
    pub rules_ran: Vec<Arc<RuleMeta>>,
    /// Files reported (checked or not).
    pub files: usize,
    /// Totals over every document.
    pub totals: Tally,
    /// Groups by name.
    pub groups: BTreeMap<String, GroupStats>,
    /// Rules with findings, by id.
    pub rules: BTreeMap<String, RuleStats>,
    /// Findings by category.
    pub categories: BTreeMap<String, usize>,
    /// The worst documents, worst first (at most [`TOP_DOCUMENTS`]).
    pub worst: Vec<WorstDocument>,
    /// Documents with findings (candidates for `worst`).
    pub documents_with_findings: usize,
    /// Documents whose date could not be read.
    pub bad_dates: usize,
    /// Documents with a date that could be read.
    pub dated: usize,
}

impl Audit {
    /// An empty audit.
    pub fn new(settings: AuditSettings) -> Self {
        Audit {
            settings,
            ..Audit::default()
        }
    }

    /// Adds one file: its documents and reported rows.
    pub fn add_file(&mut self, path: &str, info: &FileInfo, rows: &[Located]) {
        self.files += 1;
        self.add_part(path, info, rows);
    }

    /// Adds part of a file read as a stream of records: the part's
    /// documents (`info.documents`) and reported rows; the file is counted
    /// at its end ([`Audit::end_file`]). Documents of two parts that share a
    /// record id stay two documents (a whole file merges them).
    pub fn add_part(&mut self, path: &str, info: &FileInfo, rows: &[Located]) {
        let scores = score_file(&self.settings, path, info, rows);
        for doc in &scores.documents {
            self.totals.add(doc);
            let group = self.groups.entry(doc.group.clone()).or_default();
            group.tally.add(doc);
            if let Some(day) = doc.day {
                group.days.entry(day).or_default().add(doc);
                self.dated += 1;
            }
            self.bad_dates += usize::from(doc.bad_date);
        }
        for (row, &d) in rows.iter().zip(&scores.row_document) {
            let rule = &row.finding.rule;
            let group_name = &scores.documents[d].group;
            if let Some(group) = self.groups.get_mut(group_name) {
                *group.categories.entry(rule.category.clone()).or_default() += 1;
                *group.rules.entry(rule.id.clone()).or_default() += 1;
            }
            *self.categories.entry(rule.category.clone()).or_default() += 1;
            let stats = self
                .rules
                .entry(rule.id.clone())
                .or_insert_with(|| RuleStats {
                    rule: Arc::clone(rule),
                    counts: [0; 3],
                    examples: Vec::new(),
                });
            stats.counts[row.finding.severity as usize] += 1;
            if stats.examples.len() < RULE_EXAMPLES {
                stats.examples.push(excerpt(path, group_name, row));
            }
        }
        for (d, doc) in scores.documents.iter().enumerate() {
            let findings: usize = doc.counts.iter().sum();
            if findings == 0 {
                continue;
            }
            self.documents_with_findings += 1;
            self.offer_worst(path, d, doc, rows, &scores.row_document);
        }
    }

    /// Counts a file whose parts were added ([`Audit::add_part`]).
    pub fn end_file(&mut self) {
        self.files += 1;
    }

    /// Keeps `doc` among the worst documents if it ranks there: by score,
    /// then findings, then path and record (so ties keep report order).
    fn offer_worst(
        &mut self,
        path: &str,
        d: usize,
        doc: &Scored,
        rows: &[Located],
        row_document: &[usize],
    ) {
        let ranks_before = |w: &WorstDocument| {
            let (a, b) = (&w.document, doc);
            a.score
                .total_cmp(&b.score)
                .reverse()
                .then(b.counts.iter().sum::<usize>().cmp(&a.counts.iter().sum()))
                .then(w.path.as_str().cmp(path))
                .then(a.record.cmp(&b.record))
                .is_le()
        };
        let at = self.worst.partition_point(ranks_before);
        if at >= TOP_DOCUMENTS {
            return;
        }
        let mine: Vec<&Located> = rows
            .iter()
            .zip(row_document)
            .filter(|&(_, &i)| i == d)
            .map(|(r, _)| r)
            .collect();
        let excerpts = mine
            .iter()
            .take(EXCERPTS_PER_DOCUMENT)
            .map(|r| excerpt(path, &doc.group, r))
            .collect();
        self.worst.insert(
            at,
            WorstDocument {
                path: path.to_string(),
                document: doc.clone(),
                excerpts,
                more: mine.len().saturating_sub(EXCERPTS_PER_DOCUMENT),
            },
        );
        self.worst.truncate(TOP_DOCUMENTS);
    }

    /// Groups, worst first: by score, then findings, then name.
    pub fn ranked_groups(&self) -> Vec<(&String, &GroupStats)> {
        let w = &self.settings.weights;
        let mut groups: Vec<_> = self.groups.iter().collect();
        groups.sort_by(|a, b| {
            b.1.tally
                .score(w)
                .total_cmp(&a.1.tally.score(w))
                .then(b.1.tally.findings().cmp(&a.1.tally.findings()))
                .then(a.0.cmp(b.0))
        });
        groups
    }

    /// Rules with findings, most findings first (then by id).
    pub fn ranked_rules(&self) -> Vec<&RuleStats> {
        let mut rules: Vec<&RuleStats> = self.rules.values().collect();
        rules.sort_by(|a, b| {
            b.counts
                .iter()
                .sum::<usize>()
                .cmp(&a.counts.iter().sum())
                .then(a.rule.id.cmp(&b.rule.id))
        });
        rules
    }

    /// The first and last day any document is dated.
    pub fn date_range(&self) -> Option<(Day, Day)> {
        let days = self.groups.values().flat_map(|g| g.days.keys());
        let (mut lo, mut hi) = (None::<Day>, None::<Day>);
        for &d in days {
            lo = Some(lo.map_or(d, |l| l.min(d)));
            hi = Some(hi.map_or(d, |h| h.max(d)));
        }
        lo.zip(hi)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::finding::Finding;
    use crate::rows::DocumentInfo;

    fn rule(id: &str, severity: Severity) -> Arc<RuleMeta> {
        Arc::new(RuleMeta {
            id: id.into(),
            kind: "pattern",
            category: "punctuation".into(),
            severity,
            summary: String::new(),
            why: String::new(),
            languages: Vec::new(),
            source: String::new(),
            fix_safe: false,
            examples: Vec::new(),
        })
    }

    fn row(
        record: Option<&str>,
        rule: &Arc<RuleMeta>,
        line_text: &str,
        column: usize,
        len: usize,
    ) -> Located {
        let matched: String = line_text.chars().skip(column - 1).take(len).collect();
        Located {
            finding: Finding {
                rule: Arc::clone(rule),
                span: 0..matched.len(),
                severity: rule.severity,
                message: "m".into(),
                suggestion: None,
                fix: None,
                language: None,
            },
            record: record.map(String::from),
            line: 1,
            column,
            end_line: 1,
            end_column: column + len,
            matched,
            line_text: line_text.into(),
            line_text_column: 1,
            context_hash: 0,
        }
    }

    fn doc(record: &str, group: Option<&str>, date: Option<&str>, words: usize) -> DocumentInfo {
        DocumentInfo {
            record: Some(record.into()),
            group: group.map(String::from),
            date: date.map(String::from),
            words,
            ..DocumentInfo::default()
        }
    }

    #[test]
    fn the_score_weighs_severities_per_thousand_words() {
        let w = Weights::default();
        assert_eq!(w.score([2, 1, 1], 1000), 8.0);
        assert_eq!(w.score([0, 1, 0], 200), 10.0);
        // Short documents count as `min_words` long.
        assert_eq!(w.score([0, 1, 0], 4), 20.0);
        let pure = Weights { min_words: 0, ..w };
        assert_eq!(pure.score([0, 1, 0], 4), 500.0);
        assert_eq!(pure.score([0, 1, 0], 0), 2000.0);
    }

    #[test]
    fn rows_go_to_their_records_and_groups() {
        let warn = rule("w", Severity::Warning);
        let err = rule("e", Severity::Error);
        let info = FileInfo {
            documents: vec![
                doc("a", Some("Daily"), Some("2024-03-05"), 200),
                doc("b", None, Some("someday"), 300),
                doc("a", Some("Other"), None, 100),
            ],
            ..FileInfo::default()
        };
        let rows = [
            row(Some("a"), &warn, "One. Two. . Three.", 9, 3),
            row(Some("b"), &err, "x", 1, 1),
            row(None, &warn, "x", 1, 1),
        ];
        let settings = AuditSettings {
            group_by: "field:source".parse().unwrap(),
            ..AuditSettings::default()
        };
        let s = score_file(&settings, "f.jsonl", &info, &rows);
        assert_eq!(s.row_document, [0, 1, 2]);
        assert_eq!(s.documents.len(), 3);
        let a = &s.documents[0];
        // Two records with one id are one document (the first one's group).
        assert_eq!(
            (a.group.as_str(), a.words, a.counts),
            ("Daily", 300, [0, 1, 0])
        );
        assert_eq!(a.day.map(|d| d.to_string()).as_deref(), Some("2024-03-05"));
        let b = &s.documents[1];
        assert_eq!(
            (b.group.as_str(), b.bad_date, b.day),
            ("(none)", true, None)
        );
        assert_eq!(b.score, 5.0 * 1000.0 / 300.0);
        assert_eq!(s.documents[2].record, None);

        let mut audit = Audit::new(settings);
        audit.add_file("f.jsonl", &info, &rows);
        assert_eq!(audit.totals.documents, 3);
        assert_eq!(audit.totals.with_errors, 1);
        assert_eq!(audit.bad_dates, 1);
        assert_eq!(audit.groups["Daily"].days.len(), 1);
        let names: Vec<&str> = audit
            .ranked_groups()
            .iter()
            .map(|(n, _)| n.as_str())
            .collect();
        assert_eq!(names, ["(none)", "Daily"]);
        // The finding outside every record counts as a document of
        // `min_words` words: 20, then b (16.7), then a (6.7).
        let worst: Vec<Option<&str>> = audit
            .worst
            .iter()
            .map(|w| w.document.record.as_deref())
            .collect();
        assert_eq!(worst, [None, Some("b"), Some("a")]);
        assert_eq!(audit.worst[2].excerpts[0].before, "Two");
        assert_eq!(audit.worst[2].excerpts[0].matched, ". .");
    }

    #[test]
    fn excerpts_are_the_sentence_around_the_span() {
        let warn = rule("w", Severity::Warning);
        let r = row(
            None,
            &warn,
            "First one. It ended in November. . Then more. Last.",
            32,
            3,
        );
        let e = excerpt("p", "g", &r);
        assert_eq!(
            (e.before.as_str(), e.matched.as_str(), e.after.as_str()),
            ("It ended in November", ". .", " Then more.")
        );
        let json = r#"{"id": "x", "text": "It ended. . Then\n\nthe end."}"#;
        let r = row(Some("x"), &warn, json, 30, 3);
        let e = excerpt("p", "g", &r);
        assert_eq!(e.before, "It ended");
        assert_eq!(e.matched, ". .");
        assert_eq!(e.after, " Then the end.");
        let r = row(
            Some("x"),
            &warn,
            r#"{"text": "No end here", "id": 1}"#,
            14,
            3,
        );
        assert_eq!(excerpt("p", "g", &r).after, " here");
    }

    #[test]
    fn only_the_worst_documents_are_kept() {
        let warn = rule("w", Severity::Warning);
        let mut audit = Audit::new(AuditSettings::default());
        for n in 0..(TOP_DOCUMENTS * 3) {
            let info = FileInfo {
                documents: vec![DocumentInfo {
                    words: 1000 + n,
                    ..DocumentInfo::default()
                }],
                ..FileInfo::default()
            };
            let rows: Vec<Located> = (0..20).map(|_| row(None, &warn, "a b", 1, 1)).collect();
            audit.add_file(&format!("f{n:03}.txt"), &info, &rows);
        }
        assert_eq!(audit.worst.len(), TOP_DOCUMENTS);
        assert_eq!(audit.worst[0].path, "f000.txt");
        assert_eq!(audit.worst[0].excerpts.len(), EXCERPTS_PER_DOCUMENT);
        assert_eq!(audit.worst[0].more, 20 - EXCERPTS_PER_DOCUMENT);
        assert!(
            audit
                .worst
                .windows(2)
                .all(|w| w[0].document.score >= w[1].document.score)
        );
        assert_eq!(audit.rules["w"].examples.len(), RULE_EXAMPLES);
        assert_eq!(audit.documents_with_findings, TOP_DOCUMENTS * 3);
    }
}
