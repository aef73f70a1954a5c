//! The filtering reporter: between the engine and the output reporter it
//! applies, per file, per-path overrides and severity overrides from the
//! configuration, inline suppression comments, the baseline, and counts what
//! is left for the exit code. Knows nothing of output formats (any reporter
//! sits behind it), input formats, rule kinds or the configuration file (it is
//! given a `Policy`); the one rule it knows by name is the built-in
//! `unused-disable` (`check::builtin`).

use std::collections::{BTreeSet, HashMap};
use std::io;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use globset::GlobSet;

use super::baseline::{Baseline, Recorder};
use super::{FileInfo, Located, Needs, Reporter, normalize_path, relative_path};
use crate::check::builtin::unused_disable_finding;
use crate::finding::{RuleMeta, Severity};
use crate::suppress::{MAX_DIRECTIVES, Suppressions};

pub use crate::check::builtin::{UNUSED_DISABLE, unused_disable_rule};

/// Settings for a set of paths (`[[overrides]]` in `mtlint.toml`).
#[derive(Clone, Debug)]
pub struct PathOverride {
    /// The folder the globs are relative to (the config file's folder).
    pub base: PathBuf,
    /// The `paths` globs.
    pub paths: GlobSet,
    /// When not empty, only these rules or categories are reported there.
    pub select: Vec<String>,
    /// Rules or categories not reported there.
    pub ignore: Vec<String>,
    /// Severity by rule id or category.
    pub severity: HashMap<String, Severity>,
}

impl PathOverride {
    /// Whether `path` (as reported, relative to `cwd` unless absolute) lies
    /// under one of the globs.
    fn matches(&self, path: &str, cwd: &Path) -> bool {
        if path == "-" {
            return false;
        }
        let full = cwd.join(path);
        let rel = full.strip_prefix(&self.base).unwrap_or(&full);
        self.paths
            .is_match(normalize_path(&rel.to_string_lossy()).as_str())
    }
}

/// What the filter does, from the configuration and the command line.
#[derive(Clone, Debug, Default)]
pub struct Policy {
    /// Severity by rule id or category (the id wins), for every path.
    pub severity: HashMap<String, Severity>,
    /// Per-path settings, applied in order (later ones win).
    pub overrides: Vec<PathOverride>,
    /// Report suppression comments that suppress nothing.
    pub report_unused_disables: bool,
    /// Every loaded rule id and category, for flagging unknown names in comments.
    pub known: BTreeSet<String>,
    /// The working directory, for matching override globs.
    pub cwd: PathBuf,
}

impl Policy {
    /// The per-path settings that apply to `path`, in order.
    fn overrides_for(&self, path: &str) -> Vec<&PathOverride> {
        self.overrides
            .iter()
            .filter(|o| o.matches(path, &self.cwd))
            .collect()
    }

    /// The configured form of `row` for a path with `overrides`, or `None`
    /// when not reported there.
    fn configure(&self, mut row: Located, overrides: &[&PathOverride]) -> Option<Located> {
        let rule = &row.finding.rule;
        let mut severity = severity_for(&self.severity, rule);
        for o in overrides {
            if (!o.select.is_empty() && !names(&o.select, rule)) || names(&o.ignore, rule) {
                return None;
            }
            severity = severity_for(&o.severity, rule).or(severity);
        }
        if let Some(s) = severity {
            row.finding.severity = s;
        }
        Some(row)
    }

    /// `rows` as reported for a path with `overrides`: configured, and
    /// those that `suppressions` suppress left out.
    fn kept(
        &self,
        rows: Vec<Located>,
        overrides: &[&PathOverride],
        suppressions: &mut Suppressions,
    ) -> Vec<Located> {
        let mut kept: Vec<Located> = Vec::with_capacity(rows.len());
        for row in rows {
            let Some(row) = self.configure(row, overrides) else {
                continue;
            };
            let rule = &row.finding.rule;
            if !suppressions.is_empty()
                && suppressions.suppresses(
                    &rule.id,
                    &rule.category,
                    row.finding.span.start,
                    row.line,
                )
            {
                continue;
            }
            kept.push(row);
        }
        kept
    }

    /// The rows of the file `path` (with `info`) that a report shows, but
    /// for a baseline: per-path settings and severities applied, suppressed
    /// findings left out. What `--fix` may fix.
    pub fn reported(&self, path: &str, info: &FileInfo, rows: Vec<Located>) -> Vec<Located> {
        let overrides = self.overrides_for(path);
        let mut suppressions = Suppressions::new(info.directives.clone(), |i| {
            info.directive_positions.get(i).map_or(0, |p| p.last_line)
        });
        self.kept(rows, &overrides, &mut suppressions)
    }
}

fn names(list: &[String], rule: &RuleMeta) -> bool {
    list.iter()
        .any(|n| n == "all" || *n == rule.id || *n == rule.category)
}

fn severity_for(map: &HashMap<String, Severity>, rule: &RuleMeta) -> Option<Severity> {
    map.get(&rule.id)
        .or_else(|| map.get(&rule.category))
        .copied()
}

/// Filters rows, then hands them to the output reporter.
pub struct Filter<'a> {
    inner: Box<dyn Reporter + 'a>,
    policy: Policy,
    baseline: Option<Baseline>,
    recorder: Option<Recorder>,
    unused_rule: Arc<RuleMeta>,
    info: FileInfo,
    counts: [usize; 3],
    files_with_findings: usize,
    checked: BTreeSet<String>,
    /// The file whose rows are coming in parts, if one is.
    stream: Option<Stream>,
}

/// What the filter keeps of a file whose rows come in parts.
struct Stream {
    /// The path as given, and as baselines show it.
    path: String,
    shown: String,
    /// Indices of the per-path overrides that apply.
    overrides: Vec<usize>,
    /// The directives of the parts so far (see [`MAX_DIRECTIVES`]), and
    /// their positions (the parts' other facts are not kept).
    info: FileInfo,
    suppressions: Suppressions,
    /// Rows kept back until the file ends: once it has a suppression
    /// comment and unused ones are reported, the rows that report them,
    /// placed by position among the others, are known only at its end.
    held: Vec<Located>,
    /// The documents of the parts whose rows are held.
    held_documents: Vec<crate::rows::DocumentInfo>,
    /// Whether any row of the file was reported.
    any: bool,
}

/// What a run left behind once the report is written.
#[derive(Debug, Default)]
pub struct FilterOutcome {
    /// Findings reported, per severity: info, warning, error.
    pub counts: [usize; 3],
    /// Files with at least one finding reported.
    pub files_with_findings: usize,
    /// The loaded baseline, to list stale entries.
    pub baseline: Option<Baseline>,
    /// The findings recorded for `--write-baseline`.
    pub recorder: Option<Recorder>,
    /// Paths checked, normalised.
    pub checked: BTreeSet<String>,
}

impl FilterOutcome {
    /// Findings at or above `severity`.
    pub fn at_least(&self, severity: Severity) -> usize {
        self.counts[severity as usize..].iter().sum()
    }
}

impl<'a> Filter<'a> {
    /// A filter in front of `inner`. With a `baseline`, accepted findings are
    /// dropped; with a `recorder`, every finding left after suppressions is
    /// recorded (before the baseline is applied).
    pub fn new(
        inner: Box<dyn Reporter + 'a>,
        policy: Policy,
        baseline: Option<Baseline>,
        recorder: Option<Recorder>,
    ) -> Self {
        Filter {
            inner,
            policy,
            baseline,
            recorder,
            unused_rule: unused_disable_rule(),
            info: FileInfo::default(),
            counts: [0; 3],
            files_with_findings: 0,
            checked: BTreeSet::new(),
            stream: None,
        }
    }

    /// The rule reported for unused suppressions (for `Reporter::start`).
    pub fn unused_rule(&self) -> &Arc<RuleMeta> {
        &self.unused_rule
    }

    /// Ends the run, dropping the output reporter (which flushes it).
    pub fn into_outcome(self) -> FilterOutcome {
        FilterOutcome {
            counts: self.counts,
            files_with_findings: self.files_with_findings,
            baseline: self.baseline,
            recorder: self.recorder,
            checked: self.checked,
        }
    }

    /// The configured form of `row` for `path`, or `None` when not reported.
    fn configure(&self, row: Located, overrides: &[&PathOverride]) -> Option<Located> {
        self.policy.configure(row, overrides)
    }

    /// Records `kept` rows for a baseline being written, drops those the
    /// baseline accepts, counts the rest: what is reported of them.
    fn release(&mut self, shown: &str, kept: Vec<Located>) -> Vec<Located> {
        let mut out = Vec::with_capacity(kept.len());
        for row in kept {
            if let Some(recorder) = &mut self.recorder {
                recorder.record(shown, &row);
            }
            if self
                .baseline
                .as_mut()
                .is_some_and(|b| b.accepts(shown, &row))
            {
                continue;
            }
            self.counts[row.finding.severity as usize] += 1;
            out.push(row);
        }
        out
    }

    /// The state of the streamed file `path`, begun on its first part.
    fn stream_for(&mut self, path: &str) -> Stream {
        match self.stream.take() {
            Some(s) if s.path == path => s,
            _ => {
                let shown = relative_path(path, Some(&self.policy.cwd));
                self.checked.insert(shown.clone());
                let overrides = (self.policy.overrides.iter().enumerate())
                    .filter(|(_, o)| o.matches(path, &self.policy.cwd))
                    .map(|(i, _)| i)
                    .collect();
                Stream {
                    path: path.to_string(),
                    shown,
                    overrides,
                    info: FileInfo::default(),
                    suppressions: Suppressions::default(),
                    held: Vec::new(),
                    held_documents: Vec::new(),
                    any: false,
                }
            }
        }
    }

    fn unused_rows(&self, info: &FileInfo, suppressions: &Suppressions) -> Vec<Located> {
        let positions = &info.directive_positions;
        let mut rows = Vec::new();
        for unused in suppressions.unused() {
            let d = unused.directive;
            let Some(i) = info.directives.iter().position(|x| x == d) else {
                continue;
            };
            let Some(pos) = positions.get(i) else {
                continue;
            };
            let finding = unused_disable_finding(&self.unused_rule, &unused, &self.policy.known);
            let mut h = crate::rows::Fnv64::new();
            h.write(d.kind.keyword().as_bytes());
            h.write(unused.rule.unwrap_or("").as_bytes());
            rows.push(Located {
                finding,
                record: None,
                line: pos.line,
                column: pos.column,
                end_line: pos.end_line,
                end_column: pos.end_column,
                matched: String::new(),
                line_text: pos.line_text.clone(),
                line_text_column: pos.line_text_column,
                context_hash: h.finish(),
            });
        }
        rows
    }
}

impl Reporter for Filter<'_> {
    /// Baselines, read or written, match findings by fingerprint.
    fn needs(&self) -> Needs {
        let fingerprints = self.baseline.is_some() || self.recorder.is_some();
        self.inner.needs().or(Needs {
            context_hash: fingerprints,
            ..Needs::NONE
        })
    }

    fn start(&mut self, rules: &[Arc<RuleMeta>]) -> io::Result<()> {
        let mut all = rules.to_vec();
        if self.policy.report_unused_disables {
            all.push(Arc::clone(&self.unused_rule));
            all.sort_by(|a, b| a.id.cmp(&b.id));
        }
        self.inner.start(&all)
    }

    fn file_info(&mut self, path: &str, info: &FileInfo) -> io::Result<()> {
        self.info = info.clone();
        self.inner.file_info(path, info)
    }

    fn file(&mut self, path: &str, rows: &[Located]) -> io::Result<()> {
        self.file_owned(path, rows.to_vec())
    }

    fn file_owned(&mut self, path: &str, rows: Vec<Located>) -> io::Result<()> {
        let info = std::mem::take(&mut self.info);
        // Baselines hold paths relative to the working directory, even when
        // absolute paths were given.
        let shown = relative_path(path, Some(&self.policy.cwd));
        self.checked.insert(shown.clone());
        let overrides = self.policy.overrides_for(path);
        let mut suppressions = Suppressions::new(info.directives.clone(), |i| {
            info.directive_positions.get(i).map_or(0, |p| p.last_line)
        });
        let mut kept = self.policy.kept(rows, &overrides, &mut suppressions);
        if self.policy.report_unused_disables && !suppressions.is_empty() {
            let unused = self.unused_rows(&info, &suppressions);
            if !unused.is_empty() {
                let overrides_ok: Vec<Located> = unused
                    .into_iter()
                    .filter_map(|r| self.configure(r, &overrides))
                    .collect();
                kept.extend(overrides_ok);
                kept.sort_by(|a, b| a.finding.sort_key().cmp(&b.finding.sort_key()));
            }
        }
        let out = self.release(&shown, kept);
        self.files_with_findings += usize::from(!out.is_empty());
        self.inner.file(path, &out)
    }

    /// Suppression comments apply from where they are, so each part's
    /// rows are filtered with the comments of the parts up to it; the rows
    /// are passed on at once, unless unused comments are reported and the
    /// file has one (see [`Stream::held`]).
    fn file_part(&mut self, path: &str, info: &FileInfo, rows: Vec<Located>) -> io::Result<()> {
        let mut stream = self.stream_for(path);
        for (d, pos) in info.directives.iter().zip(&info.directive_positions) {
            if stream.info.directives.len() >= MAX_DIRECTIVES {
                break;
            }
            stream.suppressions.push(d.clone(), pos.last_line);
            stream.info.directives.push(d.clone());
            stream.info.directive_positions.push(pos.clone());
        }
        let overrides: Vec<&PathOverride> = (stream.overrides.iter())
            .map(|&i| &self.policy.overrides[i])
            .collect();
        let kept = self.policy.kept(rows, &overrides, &mut stream.suppressions);
        let result = if self.policy.report_unused_disables && !stream.suppressions.is_empty() {
            // The part's documents go with its rows, at the end.
            stream.held.extend(kept);
            (stream.held_documents).extend(info.documents.iter().cloned());
            Ok(())
        } else {
            let out = self.release(&stream.shown, kept);
            stream.any |= !out.is_empty();
            self.inner.file_part(path, info, out)
        };
        self.stream = Some(stream);
        result
    }

    fn file_end(&mut self, path: &str, info: &FileInfo) -> io::Result<()> {
        let mut stream = self.stream_for(path);
        self.stream = None;
        if !stream.held.is_empty() || !stream.suppressions.is_empty() {
            let overrides: Vec<&PathOverride> = (stream.overrides.iter())
                .map(|&i| &self.policy.overrides[i])
                .collect();
            let mut kept = std::mem::take(&mut stream.held);
            if self.policy.report_unused_disables {
                let unused = self.unused_rows(&stream.info, &stream.suppressions);
                kept.extend(
                    unused
                        .into_iter()
                        .filter_map(|r| self.configure(r, &overrides)),
                );
                kept.sort_by(|a, b| a.finding.sort_key().cmp(&b.finding.sort_key()));
            }
            let documents = std::mem::take(&mut stream.held_documents);
            if !kept.is_empty() || !documents.is_empty() {
                let out = self.release(&stream.shown, kept);
                stream.any |= !out.is_empty();
                let held = FileInfo {
                    documents,
                    ..FileInfo::default()
                };
                self.inner.file_part(path, &held, out)?;
            }
        }
        self.files_with_findings += usize::from(stream.any);
        self.inner.file_end(path, info)
    }

    fn finish(&mut self) -> io::Result<()> {
        self.inner.finish()
    }
}
