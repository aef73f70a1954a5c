//! What the server holds: the open documents (text, version, language) and
//! the rules that apply to each — the `mtlint.toml` found from its folder
//! upward, as `check` finds it, loaded once per configuration file and
//! dropped when one changes — and checking a document into diagnostics with
//! UTF-16 ranges. The findings are kept with their fixes' edits, for code
//! actions.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use lsp_types::{
    CodeDescription, Diagnostic, DiagnosticSeverity, NumberOrString, Position, Range, Uri,
};

use super::position::LineIndex;
use super::uri;
use crate::cli::{AuditArgs, InputArgs};
use crate::config::{self, CommandLine, Settings};
use crate::document::{InputFormat, InputOptions};
use crate::engine::{self, Input, InputSettings, Problem};
use crate::finding::{Finding, Severity};
use crate::report::filter::Policy;
use crate::rows::{Needs, file_info_for, locate_rows};
use crate::ruleset::Ruleset;

/// The rules, reporting policy and input settings of one configuration.
pub struct Profile {
    /// The rules the configuration runs.
    pub ruleset: Ruleset,
    /// Severities, per-path overrides; suppression comments are applied
    /// through it.
    pub policy: Policy,
    /// `[input]` and `[[input.files]]`.
    pub input: InputSettings,
}

/// A profile, or why the configuration could not be loaded.
pub type Loaded = Arc<Result<Profile, String>>;

/// Profiles by configuration file (`None`: no file found).
pub struct Profiles {
    cli: CommandLine,
    cache: HashMap<Option<PathBuf>, Loaded>,
}

impl Profiles {
    /// Profiles under the flags `cli` (`--config`, `--rules`, `--select`, …).
    pub fn new(cli: CommandLine) -> Self {
        Profiles {
            cli,
            cache: HashMap::new(),
        }
    }

    /// Forgets every loaded profile: configuration or rule files changed.
    pub fn clear(&mut self) {
        self.cache.clear();
    }

    /// The profile for a document in folder `dir`.
    pub fn for_dir(&mut self, dir: &Path) -> Loaded {
        let found = if self.cli.isolated {
            None
        } else {
            config::discover(dir)
        };
        let cwd = found
            .as_deref()
            .and_then(Path::parent)
            .unwrap_or(dir)
            .to_path_buf();
        let cli = &self.cli;
        Arc::clone(
            self.cache
                .entry(found)
                .or_insert_with(|| Arc::new(load(cli, &cwd))),
        )
    }
}

/// Loads the configuration found from `cwd` and its rules.
fn load(cli: &CommandLine, cwd: &Path) -> Result<Profile, String> {
    let settings = Settings::resolve(cli, cwd).map_err(|e| e.to_string())?;
    let ruleset = crate::app::rules_for(&settings).map_err(|es| es.join("\n"))?;
    let policy = crate::app::policy(&settings, &ruleset, false, cwd).map_err(|e| e.to_string())?;
    let input =
        crate::app::input_settings(&settings, &InputArgs::default(), &AuditArgs::default(), cwd)
            .map_err(|e| e.to_string())?;
    Ok(Profile {
        ruleset,
        policy,
        input,
    })
}

/// An open document.
pub struct Document {
    /// As the client names it.
    pub uri: Uri,
    /// The text as the editor holds it.
    pub text: String,
    /// The client's version of the text.
    pub version: i32,
    /// The client's language id (`markdown`, `plaintext`, …).
    pub language_id: String,
    /// The file, for a `file:` URI.
    pub path: Option<PathBuf>,
    /// Lines of `text`.
    pub index: LineIndex,
    /// The profile that applies, once looked up.
    pub profile: Option<Loaded>,
    /// The findings on `text`, once checked.
    pub checked: Option<Checked>,
}

impl Document {
    /// A document opened with `text`.
    pub fn new(uri: Uri, text: String, version: i32, language_id: String) -> Self {
        Document {
            path: uri::to_path(&uri),
            index: LineIndex::new(&text),
            uri,
            text,
            version,
            language_id,
            profile: None,
            checked: None,
        }
    }

    /// Puts `new` in place of the byte range `range` of the text (the whole
    /// text when `None`); the findings are then out of date.
    pub fn edit(&mut self, range: Option<std::ops::Range<usize>>, new: &str) {
        match range {
            Some(r) => {
                let start = r.start.min(self.text.len());
                let end = r.end.clamp(start, self.text.len());
                self.text.replace_range(start..end, new);
            }
            None => self.text = new.to_string(),
        }
        self.index = LineIndex::new(&self.text);
        self.checked = None;
    }

    /// The byte offsets of `range`.
    pub fn offsets(&self, range: Range) -> std::ops::Range<usize> {
        let start = self.index.offset(&self.text, range.start);
        let end = self.index.offset(&self.text, range.end);
        start..end.max(start)
    }

    /// The name reports and per-path settings see.
    pub fn shown(&self) -> String {
        self.path.as_ref().map_or_else(
            || self.uri.as_str().to_string(),
            |p| p.display().to_string(),
        )
    }

    /// The input the engine sees for per-path settings.
    fn input(&self) -> Input {
        match &self.path {
            Some(p) => Input::File(p.clone()),
            None => Input::Stdin,
        }
    }
}

/// A finding shown as a diagnostic.
pub struct Entry {
    /// With its fix's edit worked out, when it has one.
    pub finding: Finding,
    /// 1-based line of its first byte, as suppression comments count.
    pub line: usize,
    /// What the client was sent.
    pub diagnostic: Diagnostic,
}

/// The outcome of checking a document's text.
pub struct Checked {
    /// Its findings, in file order.
    pub entries: Vec<Entry>,
    /// Everything published: the findings' diagnostics, then the file's
    /// problems (malformed records, a broken configuration).
    pub diagnostics: Vec<Diagnostic>,
    /// The format it was read as.
    pub format: InputFormat,
    /// How it was read.
    pub options: InputOptions,
}

/// The format of `doc`: `[input] format` of the configuration, else by
/// extension (an `.xml` file by its root element), else by language id.
fn format_of(doc: &Document, options: &InputOptions) -> InputFormat {
    if let Some(f) = options.format {
        return f;
    }
    if let Some(f) = doc.path.as_deref().and_then(InputFormat::from_extension) {
        return f;
    }
    let xml_path = doc
        .path
        .as_deref()
        .and_then(|p| p.extension())
        .is_some_and(|e| e.eq_ignore_ascii_case("xml"));
    match doc.language_id.as_str() {
        _ if xml_path => InputFormat::detect(Path::new("document.xml"), doc.text.as_bytes()),
        "markdown" | "mdx" => InputFormat::Markdown,
        "html" => InputFormat::Html,
        "jsonl" | "jsonlines" | "ndjson" => InputFormat::Jsonl,
        "csv" => InputFormat::Csv,
        "tsv" => InputFormat::Tsv,
        "xliff" | "xlf" => InputFormat::Xliff,
        "po" | "pot" | "gettext" => InputFormat::Po,
        "rss" | "atom" => InputFormat::Feed,
        "xml" => InputFormat::detect(Path::new("document.xml"), doc.text.as_bytes()),
        _ => InputFormat::Text,
    }
}

/// The protocol's severity of `s`.
fn severity(s: Severity) -> DiagnosticSeverity {
    match s {
        Severity::Error => DiagnosticSeverity::ERROR,
        Severity::Warning => DiagnosticSeverity::WARNING,
        Severity::Info => DiagnosticSeverity::INFORMATION,
    }
}

/// The diagnostic of `finding` in `doc`.
fn diagnostic(doc: &Document, finding: &Finding) -> Diagnostic {
    let rule = &finding.rule;
    // A rule from a project's file links to that file (its paths are made
    // absolute from mtlint.toml); the embedded pack, whose sources are
    // relative `rules/…` names, has no address to link to: hover shows its
    // documentation.
    let link = Some(Path::new(&rule.source))
        .filter(|p| p.is_absolute())
        .and_then(uri::from_path)
        .map(|href| CodeDescription { href });
    Diagnostic {
        range: doc.index.range(&doc.text, finding.span.clone()),
        severity: Some(severity(finding.severity)),
        code: Some(NumberOrString::String(rule.id.clone())),
        code_description: link,
        source: Some("mtlint".into()),
        message: finding.message.clone(),
        related_information: None,
        tags: None,
        data: None,
    }
}

/// A diagnostic about the whole document or one of its lines (0-based),
/// not a rule's finding.
fn note(
    doc: &Document,
    line: Option<usize>,
    level: DiagnosticSeverity,
    message: String,
) -> Diagnostic {
    let range = match line {
        Some(l) => {
            let start = doc.index.line_start(l, &doc.text);
            let end = start + doc.index.line_text(l, &doc.text).len();
            doc.index.range(&doc.text, start..end)
        }
        None => Range::new(Position::new(0, 0), Position::new(0, 0)),
    };
    Diagnostic {
        range,
        severity: Some(level),
        source: Some("mtlint".into()),
        message,
        ..Diagnostic::default()
    }
}

/// Checks `doc` with `profile`, as `check` would check the file.
pub fn check(doc: &Document, profile: &Loaded) -> Checked {
    let profile = match &**profile {
        Ok(p) => p,
        Err(e) => {
            return Checked {
                entries: Vec::new(),
                diagnostics: vec![note(
                    doc,
                    None,
                    DiagnosticSeverity::ERROR,
                    format!("mtlint could not load its configuration, so nothing was checked: {e}"),
                )],
                format: InputFormat::Text,
                options: InputOptions::default(),
            };
        }
    };
    let mut options = profile.input.for_input(&doc.input()).into_owned();
    // The editor has decoded the file already.
    options.encoding = None;
    let format = format_of(doc, &options);
    let bytes = doc.text.as_bytes();
    let run = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
        let (findings, problems) =
            engine::check_bytes_with_edits(&profile.ruleset, bytes, format, &options);
        let rows = locate_rows(bytes, findings, Needs::NONE);
        let rows = profile
            .policy
            .reported(&doc.shown(), &file_info_for(bytes, Needs::NONE), rows);
        (rows, problems)
    }));
    let (rows, problems) = run.unwrap_or_else(|panic| {
        let what = panic
            .downcast_ref::<&str>()
            .map(|s| s.to_string())
            .or_else(|| panic.downcast_ref::<String>().cloned())
            .unwrap_or_default();
        (Vec::new(), vec![Problem::Panicked(what)])
    });
    let entries: Vec<Entry> = rows
        .into_iter()
        .map(|row| Entry {
            diagnostic: diagnostic(doc, &row.finding),
            line: row.line,
            finding: row.finding,
        })
        .collect();
    let mut diagnostics: Vec<Diagnostic> = entries.iter().map(|e| e.diagnostic.clone()).collect();
    for problem in problems {
        let (line, level, message) = match problem {
            Problem::Record { line, message } => (
                Some(line.saturating_sub(1)),
                DiagnosticSeverity::ERROR,
                format!("malformed record, not checked: {message}"),
            ),
            Problem::NoText(why) | Problem::Skipped(why) => (
                None,
                DiagnosticSeverity::INFORMATION,
                format!("{why}; not checked"),
            ),
            Problem::Truncated(rule) => (
                None,
                DiagnosticSeverity::INFORMATION,
                format!(
                    "rule `{rule}` found more than {} artifacts; the rest are not shown",
                    engine::MAX_FINDINGS_PER_RULE
                ),
            ),
            Problem::Panicked(what) => (
                None,
                DiagnosticSeverity::ERROR,
                format!("internal error while checking this document (please report it): {what}"),
            ),
            Problem::Unreadable(_) | Problem::Binary | Problem::Detail(_) => continue,
        };
        diagnostics.push(note(doc, line, level, message));
    }
    Checked {
        entries,
        diagnostics,
        format,
        options,
    }
}
