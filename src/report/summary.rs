//! The summary reporter: counts per rule, per category, per language and
//! per file, and each file's artifact density (findings per 1,000 words) —
//! the figure a feed auditor sorts by — then the groups (`--group-by`) by
//! score, with the share of their documents that have an error. Files in
//! Chinese or Japanese, which put no spaces between words, are counted in
//! characters and listed in a table of their own, per 1,000 characters.
//! Written at the end. Knows nothing of rule kinds, input formats or how
//! rows and counts were made.

use std::collections::BTreeMap;
use std::io::{self, Write};

use super::audit::{Audit, AuditSettings};
use super::{FileInfo, Located, Needs, Reporter, visible};

/// Groups listed at most (the worst); the rest are counted.
const MAX_GROUPS: usize = 200;

struct FileCount {
    path: String,
    findings: usize,
    /// Words, or characters for a file counted in characters.
    words: usize,
    /// Whether `words` counts characters (Chinese, Japanese).
    characters: bool,
    language: Option<String>,
}

/// Collects counts and writes tables at the end.
pub struct SummaryReporter<'w> {
    out: Box<dyn Write + Send + 'w>,
    by_rule: BTreeMap<String, usize>,
    by_category: BTreeMap<String, usize>,
    files: Vec<FileCount>,
    files_checked: usize,
    words: usize,
    /// Characters of the files counted in characters.
    characters: usize,
    by_language: BTreeMap<String, usize>,
    pending: FileInfo,
    audit: Audit,
    streamed: Streamed,
}

impl<'w> SummaryReporter<'w> {
    /// A reporter writing to `out`, grouping and scoring as `settings` say.
    pub fn new(out: Box<dyn Write + Send + 'w>, settings: AuditSettings) -> Self {
        SummaryReporter {
            out,
            by_rule: BTreeMap::new(),
            by_category: BTreeMap::new(),
            files: Vec::new(),
            files_checked: 0,
            words: 0,
            characters: 0,
            by_language: BTreeMap::new(),
            pending: FileInfo::default(),
            audit: Audit::new(settings),
            streamed: Streamed::default(),
        }
    }
}

/// Findings per 1,000 words, or `None` for a file without words.
pub fn density(findings: usize, words: usize) -> Option<f64> {
    (words > 0).then(|| findings as f64 * 1000.0 / words as f64)
}

fn shown(d: Option<f64>) -> String {
    d.map_or_else(|| "-".to_string(), |d| format!("{d:.1}"))
}

fn table(out: &mut dyn Write, title: &str, counts: &BTreeMap<String, usize>) -> io::Result<()> {
    let mut rows: Vec<(&String, &usize)> = counts.iter().collect();
    rows.sort_by(|a, b| b.1.cmp(a.1).then(a.0.cmp(b.0)));
    writeln!(out, "{title}")?;
    for (name, n) in rows {
        writeln!(out, "  {n:>8}  {}", visible(name))?;
    }
    writeln!(out)
}

/// The groups with findings, worst first: score, density, findings, the
/// documents with an error among all, words (`characters`: the run had
/// documents counted in characters, whose words the header explains).
fn groups(out: &mut dyn Write, audit: &Audit, characters: bool) -> io::Result<()> {
    let weights = &audit.settings.weights;
    let ranked: Vec<_> = audit
        .ranked_groups()
        .into_iter()
        .filter(|(_, g)| g.tally.findings() > 0)
        .collect();
    writeln!(
        out,
        "Groups by score (--group-by {}; score = weighted findings per 1,000 words{})",
        audit.settings.group_by,
        if characters {
            "; Chinese and Japanese: a word for every two characters"
        } else {
            ""
        }
    )?;
    writeln!(
        out,
        "  {:>8}  {:>8}  {:>8}  {:>13}  {:>8}  group",
        "score", "per-1k", "findings", "error docs", "words"
    )?;
    for (name, g) in ranked.iter().take(MAX_GROUPS) {
        let t = &g.tally;
        writeln!(
            out,
            "  {:>8.1}  {:>8}  {:>8}  {:>13}  {:>8}  {}",
            t.score(weights),
            shown(t.density()),
            t.findings(),
            format!(
                "{}/{} {:.0}%",
                t.with_errors,
                t.documents,
                t.error_share() * 100.0
            ),
            t.words,
            visible(name)
        )?;
    }
    let clean = audit.groups.len() - ranked.len();
    let left = ranked.len().saturating_sub(MAX_GROUPS);
    let groups = |n: usize| if n == 1 { "group" } else { "groups" };
    match (left, clean) {
        (0, 0) => {}
        (0, c) => writeln!(out, "  ({c} {} without findings)", groups(c))?,
        (l, c) => writeln!(
            out,
            "  ({l} more {} with findings, and {c} without, not shown)",
            groups(l)
        )?,
    }
    writeln!(out)
}

impl Reporter for SummaryReporter<'_> {
    /// Artifacts per 1,000 words.
    fn needs(&self) -> Needs {
        Needs {
            words: true,
            documents: true,
            ..Needs::NONE
        }
    }

    fn file_info(&mut self, _path: &str, info: &FileInfo) -> io::Result<()> {
        self.pending.clone_from(info);
        Ok(())
    }

    fn file(&mut self, path: &str, rows: &[Located]) -> io::Result<()> {
        let info = std::mem::take(&mut self.pending);
        self.audit.add_file(path, &info, rows);
        // The words of the checked text (a record's field, not its JSON
        // keys) when the documents are known, as the groups count them.
        let words = if info.documents.is_empty() {
            info.words
        } else {
            info.documents.iter().map(|d| d.words).sum()
        };
        self.count_rows(rows);
        self.end(path, &info, rows.len(), words);
        Ok(())
    }

    fn file_part(&mut self, path: &str, info: &FileInfo, rows: Vec<Located>) -> io::Result<()> {
        self.audit.add_part(path, info, &rows);
        self.count_rows(&rows);
        let s = &mut self.streamed;
        s.findings += rows.len();
        s.documents |= !info.documents.is_empty();
        s.document_words += info.documents.iter().map(|d| d.words).sum::<usize>();
        Ok(())
    }

    /// `info` holds the whole file's words, characters and language.
    fn file_end(&mut self, path: &str, info: &FileInfo) -> io::Result<()> {
        self.audit.end_file();
        let s = std::mem::take(&mut self.streamed);
        let words = if s.documents {
            s.document_words
        } else {
            info.words
        };
        self.end(path, info, s.findings, words);
        Ok(())
    }

    fn finish(&mut self) -> io::Result<()> {
        self.write()
    }
}

/// What the summary keeps of a file whose rows come in parts.
#[derive(Default)]
struct Streamed {
    findings: usize,
    /// Whether any part had documents, and their words.
    documents: bool,
    document_words: usize,
}

impl SummaryReporter<'_> {
    /// Counts the file `path` (`info`), with `findings` reported and
    /// `words` checked (its characters are in `info`).
    fn end(&mut self, path: &str, info: &FileInfo, findings: usize, mut words: usize) {
        let counted_in_characters = info.language.is_some_and(|l| l.counts_characters());
        if counted_in_characters {
            words = info.characters;
            self.characters += words;
        } else {
            self.words += words;
        }
        self.files_checked += 1;
        if findings > 0 {
            self.files.push(FileCount {
                path: path.to_string(),
                findings,
                words,
                characters: counted_in_characters,
                language: info.language.map(|l| l.to_string()),
            });
        }
    }

    /// Counts `rows` by language, rule and category.
    fn count_rows(&mut self, rows: &[Located]) {
        for row in rows {
            let language = row
                .finding
                .language
                .map_or("-".to_string(), |l| l.to_string());
            *self.by_language.entry(language).or_default() += 1;
            *self.by_rule.entry(row.finding.rule.id.clone()).or_default() += 1;
            *self
                .by_category
                .entry(row.finding.rule.category.clone())
                .or_default() += 1;
        }
    }

    /// Writes the tables.
    fn write(&mut self) -> io::Result<()> {
        let out = &mut self.out;
        let total: usize = self.files.iter().map(|f| f.findings).sum();
        if total > 0 {
            table(out, "Findings by rule", &self.by_rule)?;
            table(out, "Findings by category", &self.by_category)?;
            table(out, "Findings by language", &self.by_language)?;
            // Densest first: files without words (no density) go last.
            self.files.sort_by(|a, b| {
                let (da, db) = (density(a.findings, a.words), density(b.findings, b.words));
                db.unwrap_or(-1.0)
                    .total_cmp(&da.unwrap_or(-1.0))
                    .then(a.path.cmp(&b.path))
            });
            for characters in [false, true] {
                let files: Vec<&FileCount> = self
                    .files
                    .iter()
                    .filter(|f| f.characters == characters)
                    .collect();
                if files.is_empty() {
                    continue;
                }
                let (title, unit) = if characters {
                    (
                        "Files in Chinese or Japanese by findings per 1,000 characters",
                        "chars",
                    )
                } else {
                    ("Files by findings per 1,000 words", "words")
                };
                writeln!(out, "{title}")?;
                writeln!(
                    out,
                    "  {:>8}  {:>8}  {:>8}  {:>4}  path",
                    "per-1k", "findings", unit, "lang"
                )?;
                for f in files {
                    writeln!(
                        out,
                        "  {:>8}  {:>8}  {:>8}  {:>4}  {}",
                        shown(density(f.findings, f.words)),
                        f.findings,
                        f.words,
                        f.language.as_deref().unwrap_or("-"),
                        visible(&f.path)
                    )?;
                }
                writeln!(out)?;
            }
            groups(out, &self.audit, self.characters > 0)?;
        }
        let characters = if self.characters > 0 {
            format!(
                "; {} characters (Chinese, Japanese: counted in characters); {} per 1,000 characters",
                self.characters,
                shown(density(
                    self.files
                        .iter()
                        .filter(|f| f.characters)
                        .map(|f| f.findings)
                        .sum(),
                    self.characters
                ))
            )
        } else {
            String::new()
        };
        let word_findings: usize = self
            .files
            .iter()
            .filter(|f| !f.characters)
            .map(|f| f.findings)
            .sum();
        let totals = &self.audit.totals;
        let weights = &self.audit.settings.weights;
        writeln!(
            out,
            "Total: {total} findings in {} of {} files; {} words; {} per 1,000 words{characters}; \
             score {:.1}; {} of {} documents with an error",
            self.files.len(),
            self.files_checked,
            self.words,
            shown(density(word_findings, self.words)),
            totals.score(weights),
            totals.with_errors,
            totals.documents,
        )?;
        if self.audit.bad_dates > 0 {
            writeln!(
                out,
                "{} documents have a date that is neither ISO 8601 nor RFC 2822 (left out of trends)",
                self.audit.bad_dates
            )?;
        }
        out.flush()
    }
}
