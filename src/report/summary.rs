//! The summary reporter: counts per rule, per category and per file, and
//! each file's artifact density (findings per 1,000 words) — the figure a
//! feed auditor sorts by. Written at the end. Knows nothing of rule kinds,
//! input formats or how rows and word counts were made.

use std::collections::BTreeMap;
use std::io::{self, Write};

use super::{FileInfo, Located, Needs, Reporter, visible};

struct FileCount {
    path: String,
    findings: usize,
    words: usize,
}

/// Collects counts and writes tables at the end.
pub struct SummaryReporter<'w> {
    out: Box<dyn Write + Send + 'w>,
    by_rule: BTreeMap<String, usize>,
    by_category: BTreeMap<String, usize>,
    files: Vec<FileCount>,
    files_checked: usize,
    words: usize,
    pending_words: usize,
    /// Findings so far of the file whose rows come in parts.
    streamed: usize,
}

impl<'w> SummaryReporter<'w> {
    /// A reporter writing to `out`.
    pub fn new(out: Box<dyn Write + Send + 'w>) -> Self {
        SummaryReporter {
            out,
            by_rule: BTreeMap::new(),
            by_category: BTreeMap::new(),
            files: Vec::new(),
            files_checked: 0,
            words: 0,
            pending_words: 0,
            streamed: 0,
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

impl Reporter for SummaryReporter<'_> {
    /// Artifacts per 1,000 words.
    fn needs(&self) -> Needs {
        Needs {
            words: true,
            ..Needs::NONE
        }
    }

    fn file_info(&mut self, _path: &str, info: &FileInfo) -> io::Result<()> {
        self.pending_words = info.words;
        Ok(())
    }

    fn file(&mut self, path: &str, rows: &[Located]) -> io::Result<()> {
        let words = std::mem::take(&mut self.pending_words);
        self.files_checked += 1;
        self.words += words;
        for row in rows {
            *self.by_rule.entry(row.finding.rule.id.clone()).or_default() += 1;
            *self
                .by_category
                .entry(row.finding.rule.category.clone())
                .or_default() += 1;
        }
        if !rows.is_empty() {
            self.files.push(FileCount {
                path: path.to_string(),
                findings: rows.len(),
                words,
            });
        }
        Ok(())
    }

    fn file_part(&mut self, path: &str, _info: &FileInfo, rows: Vec<Located>) -> io::Result<()> {
        let words = self.pending_words;
        let files = self.files_checked;
        let found = self.files.len();
        self.file(path, &rows)?;
        // One file, whatever the number of parts: counted at its end.
        self.files_checked = files;
        self.pending_words = words;
        self.streamed += rows.len();
        self.files.truncate(found);
        Ok(())
    }

    fn file_end(&mut self, path: &str, info: &FileInfo) -> io::Result<()> {
        self.files_checked += 1;
        self.words += info.words;
        let findings = std::mem::take(&mut self.streamed);
        if findings > 0 {
            self.files.push(FileCount {
                path: path.to_string(),
                findings,
                words: info.words,
            });
        }
        Ok(())
    }

    fn finish(&mut self) -> io::Result<()> {
        let out = &mut self.out;
        let total: usize = self.files.iter().map(|f| f.findings).sum();
        if total > 0 {
            table(out, "Findings by rule", &self.by_rule)?;
            table(out, "Findings by category", &self.by_category)?;
            // Densest first: files without words (no density) go last.
            self.files.sort_by(|a, b| {
                let (da, db) = (density(a.findings, a.words), density(b.findings, b.words));
                db.unwrap_or(-1.0)
                    .total_cmp(&da.unwrap_or(-1.0))
                    .then(a.path.cmp(&b.path))
            });
            writeln!(out, "Files by findings per 1,000 words")?;
            writeln!(
                out,
                "  {:>8}  {:>8}  {:>8}  path",
                "per-1k", "findings", "words"
            )?;
            for f in &self.files {
                writeln!(
                    out,
                    "  {:>8}  {:>8}  {:>8}  {}",
                    shown(density(f.findings, f.words)),
                    f.findings,
                    f.words,
                    visible(&f.path)
                )?;
            }
            writeln!(out)?;
        }
        writeln!(
            out,
            "Total: {total} findings in {} of {} files; {} words; {} per 1,000 words",
            self.files.len(),
            self.files_checked,
            self.words,
            shown(density(total, self.words))
        )?;
        out.flush()
    }
}
