//! JSON reporters: `json` (one array) and `jsonl` (one object per line,
//! streamed). Objects carry the CSV's fields under the same names; a finding
//! without a suggestion has `"suggestion": null`, one outside any record
//! `"record": null`; then the `group` of its document (`--group-by`), the
//! document's `score` (see `audit`) and its `language`. Knows nothing of
//! rule kinds, input formats or how rows were made.
//!
//! `jsonl` with document lines (`--jsonl-documents`) adds what an audit
//! needs beyond findings, for whoever sums it elsewhere (the Spark job):
//! a first line with the audit's settings (`"kind": "audit"`), and after
//! each file's (or streamed part's) findings one line per document checked
//! (`"kind": "document"`), with or without findings. Finding lines are the
//! same bytes either way; only the added lines have a `kind` key.

use std::io::{self, Write};

use serde::Serialize;

use super::audit::{AuditSettings, Scored, score_file};
use super::{FileInfo, Located, Needs, Reporter};

/// One finding as a JSON object: the CSV's columns, in the same order.
#[derive(Serialize)]
struct Row<'a> {
    path: &'a str,
    record: Option<&'a str>,
    line: usize,
    column: usize,
    end_line: usize,
    end_column: usize,
    byte_start: usize,
    byte_end: usize,
    rule: &'a str,
    category: &'a str,
    severity: &'a str,
    message: &'a str,
    matched: &'a str,
    suggestion: Option<&'a str>,
    group: &'a str,
    score: f64,
    language: Option<&'a str>,
}

impl<'a> Row<'a> {
    fn new(path: &'a str, row: &'a Located, group: &'a str, score: f64) -> Self {
        let f = &row.finding;
        Row {
            path,
            record: row.record.as_deref(),
            line: row.line,
            column: row.column,
            end_line: row.end_line,
            end_column: row.end_column,
            byte_start: f.span.start,
            byte_end: f.span.end,
            rule: &f.rule.id,
            category: &f.rule.category,
            severity: f.severity.as_str(),
            message: &f.message,
            matched: &row.matched,
            suggestion: f.suggestion.as_deref(),
            group,
            // Two decimals: the figure is for ranking, not a measurement.
            score: (score * 100.0).round() / 100.0,
            language: f.language.as_ref().map(|l| l.as_str()),
        }
    }
}

/// The first line of `jsonl` with document lines: what the scores and
/// groups were made with.
#[derive(Serialize)]
struct AuditLine {
    kind: &'static str,
    group_by: String,
    weights: WeightsLine,
}

/// `[score]` as used.
#[derive(Serialize)]
struct WeightsLine {
    error: f64,
    warning: f64,
    info: f64,
    min_words: usize,
}

/// One document checked, as a line of `jsonl` with document lines: the
/// document as the summary's groups count it (see `audit::score_file`).
#[derive(Serialize)]
struct DocumentLine<'a> {
    kind: &'static str,
    path: &'a str,
    record: Option<&'a str>,
    group: &'a str,
    /// The day it is dated (`YYYY-MM-DD`), when its date could be read.
    day: Option<String>,
    words: usize,
    findings: usize,
    errors: usize,
    warnings: usize,
    infos: usize,
    score: f64,
}

impl<'a> DocumentLine<'a> {
    fn new(path: &'a str, doc: &'a Scored) -> Self {
        let [infos, warnings, errors] = doc.counts;
        DocumentLine {
            kind: "document",
            path,
            record: doc.record.as_deref(),
            group: &doc.group,
            day: doc.day.map(|d| d.to_string()),
            words: doc.words,
            findings: infos + warnings + errors,
            errors,
            warnings,
            infos,
            score: (doc.score * 100.0).round() / 100.0,
        }
    }
}

/// The group and score of each row's document, from the file's documents.
struct Scorer {
    settings: AuditSettings,
    info: FileInfo,
}

impl Scorer {
    /// The documents' facts are needed for scores.
    const NEEDS: Needs = Needs {
        documents: true,
        ..Needs::NONE
    };

    /// Writes each row of the file `path` through `write`, with the group
    /// and score of its document.
    fn rows(
        &mut self,
        path: &str,
        rows: &[Located],
        mut write: impl FnMut(&Row<'_>) -> io::Result<()>,
    ) -> io::Result<()> {
        let info = std::mem::take(&mut self.info);
        if rows.is_empty() {
            return Ok(());
        }
        let scores = score_file(&self.settings, path, &info, rows);
        for (row, &d) in rows.iter().zip(&scores.row_document) {
            let doc = &scores.documents[d];
            write(&Row::new(path, row, &doc.group, doc.score))?;
        }
        Ok(())
    }
}

/// Writes one JSON array of findings, streamed element by element.
pub struct JsonReporter<'w> {
    out: Box<dyn Write + Send + 'w>,
    first: bool,
    scorer: Scorer,
}

impl<'w> JsonReporter<'w> {
    /// A reporter writing to `out`, grouping and scoring as `settings` say.
    pub fn new(out: Box<dyn Write + Send + 'w>, settings: AuditSettings) -> Self {
        JsonReporter {
            out,
            first: true,
            scorer: Scorer {
                settings,
                info: FileInfo::default(),
            },
        }
    }
}

impl Reporter for JsonReporter<'_> {
    fn needs(&self) -> Needs {
        Scorer::NEEDS
    }

    fn file_info(&mut self, _path: &str, info: &FileInfo) -> io::Result<()> {
        self.scorer.info.clone_from(info);
        Ok(())
    }

    fn file_part(&mut self, path: &str, info: &FileInfo, rows: Vec<Located>) -> io::Result<()> {
        self.scorer.info.clone_from(info);
        self.file(path, &rows)
    }

    fn file(&mut self, path: &str, rows: &[Located]) -> io::Result<()> {
        let (out, first) = (&mut self.out, &mut self.first);
        self.scorer.rows(path, rows, |row| {
            out.write_all(if *first { b"[\n  " } else { b",\n  " })?;
            *first = false;
            serde_json::to_writer(&mut *out, row)?;
            Ok(())
        })
    }

    fn finish(&mut self) -> io::Result<()> {
        self.out
            .write_all(if self.first { b"[]\n" } else { b"\n]\n" })?;
        self.out.flush()
    }
}

/// Writes one JSON object per finding, one per line (and, when asked, one
/// per document).
pub struct JsonLinesReporter<'w> {
    out: Box<dyn Write + Send + 'w>,
    scorer: Scorer,
    /// Whether document lines are written (`--jsonl-documents`).
    documents: bool,
}

impl<'w> JsonLinesReporter<'w> {
    /// A reporter writing to `out`, grouping and scoring as `settings` say.
    pub fn new(out: Box<dyn Write + Send + 'w>, settings: AuditSettings) -> Self {
        JsonLinesReporter {
            out,
            scorer: Scorer {
                settings,
                info: FileInfo::default(),
            },
            documents: false,
        }
    }

    /// The same, with an audit line first and a line per document checked
    /// after each file's findings.
    pub fn with_documents(out: Box<dyn Write + Send + 'w>, settings: AuditSettings) -> Self {
        JsonLinesReporter {
            documents: true,
            ..JsonLinesReporter::new(out, settings)
        }
    }

    /// The rows of `path`, then a line for each of its documents.
    fn file_with_documents(&mut self, path: &str, rows: &[Located]) -> io::Result<()> {
        let info = std::mem::take(&mut self.scorer.info);
        if rows.is_empty() && info.documents.is_empty() {
            return Ok(());
        }
        let scores = score_file(&self.scorer.settings, path, &info, rows);
        let out = &mut self.out;
        for (row, &d) in rows.iter().zip(&scores.row_document) {
            let doc = &scores.documents[d];
            serde_json::to_writer(&mut *out, &Row::new(path, row, &doc.group, doc.score))?;
            out.write_all(b"\n")?;
        }
        for doc in &scores.documents {
            serde_json::to_writer(&mut *out, &DocumentLine::new(path, doc))?;
            out.write_all(b"\n")?;
        }
        Ok(())
    }
}

impl Reporter for JsonLinesReporter<'_> {
    fn needs(&self) -> Needs {
        Scorer::NEEDS
    }

    fn start(&mut self, _rules: &[std::sync::Arc<crate::finding::RuleMeta>]) -> io::Result<()> {
        if !self.documents {
            return Ok(());
        }
        let settings = &self.scorer.settings;
        let w = &settings.weights;
        let line = AuditLine {
            kind: "audit",
            group_by: settings.group_by.to_string(),
            weights: WeightsLine {
                error: w.error,
                warning: w.warning,
                info: w.info,
                min_words: w.min_words,
            },
        };
        serde_json::to_writer(&mut self.out, &line)?;
        self.out.write_all(b"\n")
    }

    fn file_info(&mut self, _path: &str, info: &FileInfo) -> io::Result<()> {
        self.scorer.info.clone_from(info);
        Ok(())
    }

    fn file_part(&mut self, path: &str, info: &FileInfo, rows: Vec<Located>) -> io::Result<()> {
        self.scorer.info.clone_from(info);
        self.file(path, &rows)
    }

    fn file(&mut self, path: &str, rows: &[Located]) -> io::Result<()> {
        if self.documents {
            return self.file_with_documents(path, rows);
        }
        let out = &mut self.out;
        self.scorer.rows(path, rows, |row| {
            serde_json::to_writer(&mut *out, row)?;
            out.write_all(b"\n")
        })
    }

    fn finish(&mut self) -> io::Result<()> {
        self.out.flush()
    }
}
