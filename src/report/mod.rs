//! Reporters: the [`Reporter`] trait and one module per output format, which
//! write the rows that `crate::rows` made (positions, matched text and
//! context hashes are computed there, from the original bytes), plus the
//! configuration filter, baselines and path display. Knows nothing of how
//! files are found, read, parsed or checked, and computes no positions.

pub mod audit;
pub mod baseline;
pub mod boilerplate;
mod csv;
pub mod filter;
mod github;
mod gitlab;
mod html;
mod json;
mod sarif;
mod summary;
mod text;
pub mod visible;

use std::io::{self, Write};
use std::sync::Arc;

use crate::finding::RuleMeta;

pub use self::csv::CsvReporter;
pub use self::github::{GithubReporter, escape_data, escape_property};
pub use self::gitlab::GitlabReporter;
pub use self::html::HtmlReporter;
pub use self::json::{JsonLinesReporter, JsonReporter};
pub use self::sarif::SarifReporter;
pub use self::summary::SummaryReporter;
pub use self::text::TextReporter;
pub use self::visible::visible;

/// `n` with thousands separated by commas ("12,009").
pub fn thousands(n: usize) -> String {
    let digits = n.to_string();
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i) % 3 == 0 {
            out.push(',');
        }
        out.push(c);
    }
    out
}
pub use crate::rows::{
    CONTEXT_CHARS, DirectivePosition, DocumentInfo, FileInfo, Fnv64, Located, Needs, file_info,
    locate, locate_records,
};

/// Output formats.
#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub enum Format {
    /// One row per finding, RFC 4180 (the default).
    Csv,
    /// For people: position, rule, message, the line with the span underlined.
    Text,
    /// One JSON array of finding objects with the CSV's fields.
    Json,
    /// One JSON finding object per line, streamed.
    Jsonl,
    /// SARIF 2.1.0, for code-scanning dashboards.
    Sarif,
    /// GitHub Actions workflow commands (annotations on pull requests).
    Github,
    /// GitLab Code Quality (Code Climate JSON): merge-request widgets.
    Gitlab,
    /// Counts per rule, category, file and group, with artifacts per 1,000
    /// words and scores.
    Summary,
    /// One self-contained HTML page: sources, rules, worst documents.
    Html,
}

/// Writes findings in one format. Files arrive sorted by path, each file's
/// findings sorted by byte offset then rule id.
pub trait Reporter: Send {
    /// Called once before any file with every rule that may report (sorted
    /// by id); reporters that list rules (SARIF) keep them. Whoever drives
    /// the run calls it (`app` does; `engine::run` does not).
    fn start(&mut self, rules: &[Arc<RuleMeta>]) -> io::Result<()> {
        let _ = rules;
        Ok(())
    }
    /// Called just before [`Reporter::file`] with what is known about the
    /// whole file (words, suppression comments).
    fn file_info(&mut self, path: &str, info: &FileInfo) -> io::Result<()> {
        let _ = (path, info);
        Ok(())
    }
    /// Reports the findings of one file (called for files without findings too).
    fn file(&mut self, path: &str, rows: &[Located]) -> io::Result<()>;
    /// [`Reporter::file`], given the rows to keep: a reporter that passes
    /// rows on changed (the configuration filter) takes them without a copy.
    fn file_owned(&mut self, path: &str, rows: Vec<Located>) -> io::Result<()> {
        self.file(path, &rows)
    }
    /// Part of a file read as a stream of records (JSON Lines, CSV, TSV):
    /// what is known of the part (`info`: its words, size and suppression
    /// comments, at the file's offsets and lines) and its rows, sorted, all
    /// after those of the parts before. The parts of one file come one after
    /// another and [`Reporter::file_end`] ends the file; such a file gets no
    /// [`Reporter::file_info`] or [`Reporter::file`] call. The default suits
    /// reporters that write each row on its own, with nothing to count per
    /// file: it writes the rows as [`Reporter::file_owned`] does. Reporters
    /// that count files or keep what a file holds must override both.
    fn file_part(&mut self, path: &str, info: &FileInfo, rows: Vec<Located>) -> io::Result<()> {
        let _ = info;
        self.file_owned(path, rows)
    }
    /// Ends a file whose rows came in parts ([`Reporter::file_part`]):
    /// `info` holds the whole file's words and size (no suppression
    /// comments: the parts had them).
    fn file_end(&mut self, path: &str, info: &FileInfo) -> io::Result<()> {
        let _ = (path, info);
        Ok(())
    }
    /// Writes anything still buffered.
    fn finish(&mut self) -> io::Result<()>;
    /// What the reporter reads beyond each row's finding, position and
    /// matched text; a run leaves the rest empty (see [`Needs`]).
    fn needs(&self) -> Needs {
        Needs::ALL
    }
}

/// Options that only some reporters use.
#[derive(Clone, Debug, Default)]
pub struct ReportOptions {
    /// Use ANSI colours (text reporter; only on a terminal without NO_COLOR).
    pub color: bool,
    /// The folder SARIF URIs are made relative to (the working directory).
    pub base_dir: Option<std::path::PathBuf>,
    /// How documents are grouped and scored (summary, JSON, HTML).
    pub audit: audit::AuditSettings,
    /// `jsonl`: an audit line first and a line per document checked
    /// (`--jsonl-documents`).
    pub jsonl_documents: bool,
}

/// A reporter of `format` writing to `out`.
pub fn reporter<'w>(
    format: Format,
    out: Box<dyn Write + Send + 'w>,
    options: &ReportOptions,
) -> io::Result<Box<dyn Reporter + 'w>> {
    Ok(match format {
        Format::Csv => Box::new(CsvReporter::new(out)?),
        Format::Text => Box::new(TextReporter::new(out, options.color)),
        Format::Json => Box::new(JsonReporter::new(out, options.audit.clone())),
        Format::Jsonl if options.jsonl_documents => Box::new(JsonLinesReporter::with_documents(
            out,
            options.audit.clone(),
        )),
        Format::Jsonl => Box::new(JsonLinesReporter::new(out, options.audit.clone())),
        Format::Sarif => Box::new(SarifReporter::new(out, options.base_dir.clone())),
        Format::Github => Box::new(GithubReporter::new(out, options.base_dir.clone())),
        Format::Gitlab => Box::new(GitlabReporter::new(out, options.base_dir.clone())),
        Format::Summary => Box::new(SummaryReporter::new(out, options.audit.clone())),
        Format::Html => Box::new(HtmlReporter::new(out, options.audit.clone())),
    })
}

/// `path` relative to `base` when it lies under it (absolute paths from the
/// command line), normalised as by [`normalize_path`].
pub fn relative_path(path: &str, base: Option<&std::path::Path>) -> String {
    let p = std::path::Path::new(path);
    if let Some(rel) = base
        .filter(|_| p.is_absolute())
        .and_then(|b| p.strip_prefix(b).ok())
    {
        return normalize_path(&rel.to_string_lossy());
    }
    normalize_path(path)
}

/// The path as reports outside the CSV show it: `/` separators, no leading `./`.
pub fn normalize_path(path: &str) -> String {
    let mut p = path.replace('\\', "/");
    while let Some(rest) = p.strip_prefix("./") {
        p = rest.to_string();
    }
    p
}
