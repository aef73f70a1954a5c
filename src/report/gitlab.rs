//! The `gitlab` reporter: GitLab's Code Quality report, the subset of the
//! Code Climate issue format that GitLab reads — one JSON array of issues,
//! each with `description`, `check_name`, `fingerprint`, `severity` and a
//! `location` (`path` relative to the repository root, `positions` with
//! 1-based lines and columns). Knows nothing of rule kinds, input formats
//! or how rows were made.

use std::io::{self, Write};
use std::path::PathBuf;

use serde::Serialize;

use super::{FileInfo, Fnv64, Located, Needs, Reporter, relative_path};
use crate::finding::Severity;

#[derive(Serialize)]
struct Issue<'a> {
    /// Code Climate's issue type; GitLab ignores it, other readers need it.
    #[serde(rename = "type")]
    kind: &'static str,
    check_name: &'a str,
    description: String,
    categories: [&'static str; 1],
    fingerprint: String,
    severity: &'static str,
    location: Location,
}

#[derive(Serialize)]
struct Location {
    path: String,
    positions: Positions,
}

#[derive(Serialize)]
struct Positions {
    begin: Position,
    end: Position,
}

#[derive(Serialize)]
struct Position {
    line: usize,
    column: usize,
}

/// Code Climate's severities (info, minor, major, critical, blocker): an
/// artifact is never a blocker, and an error is a major one.
fn severity(s: Severity) -> &'static str {
    match s {
        Severity::Info => "info",
        Severity::Warning => "minor",
        Severity::Error => "major",
    }
}

/// Writes one JSON array of Code Quality issues, streamed issue by issue.
pub struct GitlabReporter<'w> {
    out: Box<dyn Write + Send + 'w>,
    base: Option<PathBuf>,
    first: bool,
    /// How many times each finding fingerprint came so far in the file
    /// (kept across the parts of a streamed file).
    seen: std::collections::HashMap<u64, u64>,
}

impl<'w> GitlabReporter<'w> {
    /// A reporter writing to `out`, paths relative to `base` (the working
    /// directory, where GitLab jobs start: the repository root).
    pub fn new(out: Box<dyn Write + Send + 'w>, base: Option<PathBuf>) -> Self {
        GitlabReporter {
            out,
            base,
            first: true,
            seen: Default::default(),
        }
    }
}

impl Reporter for GitlabReporter<'_> {
    fn needs(&self) -> Needs {
        Needs {
            context_hash: true,
            ..Needs::NONE
        }
    }

    fn file(&mut self, path: &str, rows: &[Located]) -> io::Result<()> {
        self.seen.clear();
        self.rows(path, rows)
    }

    fn file_part(&mut self, path: &str, _info: &FileInfo, rows: Vec<Located>) -> io::Result<()> {
        self.rows(path, &rows)
    }

    fn file_end(&mut self, _path: &str, _info: &FileInfo) -> io::Result<()> {
        self.seen.clear();
        Ok(())
    }

    fn finish(&mut self) -> io::Result<()> {
        self.out
            .write_all(if self.first { b"[]\n" } else { b"\n]\n" })?;
        self.out.flush()
    }
}

impl GitlabReporter<'_> {
    /// Writes the issues of `rows` of the file `path`, after those of the
    /// file's earlier parts.
    fn rows(&mut self, path: &str, rows: &[Located]) -> io::Result<()> {
        let shown = relative_path(path, self.base.as_deref());
        // GitLab tells new issues from old ones by fingerprint, which must
        // be unique: the finding's own (rule, matched text, context — no
        // line number, so it survives edits elsewhere), with the path and
        // the how-manieth such finding in the file.
        for row in rows {
            let own = row.fingerprint();
            let nth = self.seen.entry(own).or_default();
            let n = *nth;
            *nth += 1;
            let mut h = Fnv64::new();
            h.write(shown.as_bytes());
            h.write(&[0]);
            h.write(&own.to_le_bytes());
            h.write(&n.to_le_bytes());
            let f = &row.finding;
            let issue = Issue {
                kind: "issue",
                check_name: &f.rule.id,
                description: match &row.record {
                    Some(record) => format!("[{record}] {}", f.message),
                    None => f.message.clone(),
                },
                categories: ["Style"],
                fingerprint: format!("{:016x}", h.finish()),
                severity: severity(f.severity),
                location: Location {
                    path: shown.clone(),
                    positions: Positions {
                        begin: Position {
                            line: row.line,
                            column: row.column,
                        },
                        end: Position {
                            line: row.end_line,
                            column: row.end_column,
                        },
                    },
                },
            };
            self.out
                .write_all(if self.first { b"[\n  " } else { b",\n  " })?;
            self.first = false;
            serde_json::to_writer(&mut self.out, &issue)?;
        }
        Ok(())
    }
}
