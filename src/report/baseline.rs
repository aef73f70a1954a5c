//! Baselines: a JSON file of accepted findings, so that a repository adopting
//! mtlint fails only on new artifacts. An entry is a fingerprint — path, rule,
//! matched text and a hash of the span's normalised surroundings — never a
//! line number, so edits elsewhere in a file keep it matching. Read by the
//! configuration filter ([`super::filter`]) and written by `--write-baseline`.
//! Knows rows and paths; knows nothing of rules, checking or output formats.

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::io::Write;
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use super::{Located, normalize_path};

/// The format version written and read.
pub const VERSION: u32 = 1;

/// A problem reading or writing a baseline file, naming the file.
#[derive(Debug, thiserror::Error)]
#[error("{file}: {message}")]
pub struct BaselineError {
    /// The baseline file, as given (with `:line:column` when known).
    pub file: String,
    /// What went wrong.
    pub message: String,
}

/// One accepted finding (or several identical ones: `count`).
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Entry {
    /// The file, relative to where mtlint ran, `/`-separated.
    pub path: String,
    /// The rule id.
    pub rule: String,
    /// The matched text.
    pub matched: String,
    /// FNV-1a 64 of the surroundings, 16 hex digits.
    pub context: String,
    /// How many identical findings are accepted.
    pub count: usize,
}

#[derive(Debug, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct BaselineFile {
    version: u32,
    findings: Vec<Entry>,
}

type Key = (String, String, String, String);

/// The entry for `count` findings with fingerprint `key`.
fn entry(key: &Key, count: usize) -> Entry {
    Entry {
        path: key.0.clone(),
        rule: key.1.clone(),
        matched: key.2.clone(),
        context: key.3.clone(),
        count,
    }
}

fn key(path: &str, row: &Located) -> Key {
    (
        normalize_path(path),
        row.finding.rule.id.clone(),
        row.matched.clone(),
        format!("{:016x}", row.context_hash),
    )
}

/// A loaded baseline: what is still to be matched in this run.
#[derive(Debug, Default)]
pub struct Baseline {
    remaining: HashMap<Key, usize>,
}

impl Baseline {
    /// Reads a baseline file.
    pub fn load(path: &Path) -> Result<Self, BaselineError> {
        let shown = path.display().to_string();
        let text = std::fs::read_to_string(path).map_err(|e| BaselineError {
            file: shown.clone(),
            message: format!("cannot read baseline: {e}"),
        })?;
        let file: BaselineFile = serde_json::from_str(&text).map_err(|e| BaselineError {
            file: format!("{shown}:{}:{}", e.line(), e.column()),
            message: format!("not a valid mtlint baseline: {e}"),
        })?;
        if file.version != VERSION {
            return Err(BaselineError {
                file: shown,
                message: format!(
                    "baseline version {} is not supported (expected {VERSION})",
                    file.version
                ),
            });
        }
        let mut remaining = HashMap::new();
        for e in file.findings {
            *remaining
                .entry((e.path, e.rule, e.matched, e.context))
                .or_default() += e.count;
        }
        Ok(Baseline { remaining })
    }

    /// Whether the finding `row` of file `path` is accepted by the baseline;
    /// each entry accepts at most `count` findings.
    pub fn accepts(&mut self, path: &str, row: &Located) -> bool {
        match self.remaining.get_mut(&key(path, row)) {
            Some(n) if *n > 0 => {
                *n -= 1;
                true
            }
            _ => false,
        }
    }

    /// Entries that matched nothing: in a file that was checked, or for a
    /// file that no longer exists. Sorted, with `count` = how many are unmatched.
    pub fn stale(&self, checked: &BTreeSet<String>) -> Vec<Entry> {
        let mut out: Vec<Entry> = self
            .remaining
            .iter()
            .filter(|(k, n)| **n > 0 && (checked.contains(&k.0) || !Path::new(&k.0).exists()))
            .map(|(k, n)| entry(k, *n))
            .collect();
        out.sort();
        out
    }
}

/// Collects findings for `--write-baseline`.
#[derive(Debug, Default)]
pub struct Recorder {
    counts: BTreeMap<Key, usize>,
}

impl Recorder {
    /// Records one finding of file `path`.
    pub fn record(&mut self, path: &str, row: &Located) {
        *self.counts.entry(key(path, row)).or_default() += 1;
    }

    /// Findings recorded.
    pub fn len(&self) -> usize {
        self.counts.values().sum()
    }

    /// Files with a finding recorded.
    pub fn files(&self) -> usize {
        let mut paths: Vec<&str> = self.counts.keys().map(|k| k.0.as_str()).collect();
        paths.dedup();
        paths.len()
    }

    /// Whether nothing was recorded.
    pub fn is_empty(&self) -> bool {
        self.counts.is_empty()
    }

    /// The baseline file's text: JSON, entries sorted, one per line-group.
    pub fn to_json(&self) -> String {
        let file = BaselineFile {
            version: VERSION,
            findings: self.counts.iter().map(|(k, n)| entry(k, *n)).collect(),
        };
        // Serialising plain strings and numbers cannot fail.
        let mut text = serde_json::to_string_pretty(&file).unwrap_or_default();
        text.push('\n');
        text
    }

    /// Writes the baseline to `dest` atomically (temp file + rename).
    pub fn write(&self, dest: &Path) -> Result<(), BaselineError> {
        let err = |e: std::io::Error| BaselineError {
            file: dest.display().to_string(),
            message: format!("cannot write baseline: {e}"),
        };
        let dir: PathBuf = match dest.parent() {
            Some(d) if !d.as_os_str().is_empty() => d.to_path_buf(),
            _ => PathBuf::from("."),
        };
        let mut temp = tempfile::Builder::new()
            .prefix(".mtlint-baseline-")
            .tempfile_in(dir)
            .map_err(err)?;
        temp.write_all(self.to_json().as_bytes()).map_err(err)?;
        temp.persist(dest).map_err(|e| err(e.error))?;
        Ok(())
    }
}
