//! The SARIF 2.1.0 reporter: every rule in `tool.driver.rules`, one result
//! per finding with its region (columns in Unicode code points, plus byte
//! offsets), a stable partial fingerprint and, when there is a suggestion, a
//! fix: the edit `--fix` makes, with whether it is safe. The document is
//! written whole at the end. Knows nothing of how rules check (it writes
//! their metadata), input formats or how rows and their context hashes were
//! made.

use std::collections::HashMap;
use std::io::{self, Write};
use std::path::PathBuf;
use std::sync::Arc;

use serde_json::{Value, json};

use super::{Located, Needs, Reporter, relative_path};
use crate::finding::{RuleMeta, Severity};

/// The schema URI written into the document.
const SCHEMA: &str = "https://json.schemastore.org/sarif-2.1.0.json";

/// Collects results and writes one SARIF log at the end.
pub struct SarifReporter<'w> {
    out: Box<dyn Write + Send + 'w>,
    base: Option<PathBuf>,
    rules: Vec<Value>,
    index: HashMap<String, usize>,
    results: Vec<Value>,
}

impl<'w> SarifReporter<'w> {
    /// A reporter writing to `out`; URIs are made relative to `base`.
    pub fn new(out: Box<dyn Write + Send + 'w>, base: Option<PathBuf>) -> Self {
        SarifReporter {
            out,
            base,
            rules: Vec::new(),
            index: HashMap::new(),
            results: Vec::new(),
        }
    }
}

/// SARIF's name for a severity.
fn level(severity: Severity) -> &'static str {
    match severity {
        Severity::Error => "error",
        Severity::Warning => "warning",
        Severity::Info => "note",
    }
}

/// Percent-encodes a relative path for a URI reference: unreserved chars,
/// sub-delimiters, `:`, `@` and `/` stay; every other byte is `%XX`.
pub(crate) fn uri_path(path: &str) -> String {
    let mut out = String::with_capacity(path.len());
    for &b in path.as_bytes() {
        let keep = b.is_ascii_alphanumeric() || b"-._~!$&'()*+,;=:@/".contains(&b);
        if keep {
            out.push(char::from(b));
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    // A first segment holding `:` would read as a scheme.
    if out.split('/').next().is_some_and(|s| s.contains(':')) {
        out.insert_str(0, "./");
    }
    out
}

/// Whether the fix of `f` replaces its span, not a wider range (a line, a
/// list item with its separator: a removal).
fn edit_covers_span(f: &crate::finding::Finding) -> bool {
    f.fix.as_ref().is_none_or(|x| x.range == f.span)
}

fn rule_descriptor(rule: &RuleMeta) -> Value {
    let why = rule.why.split_whitespace().collect::<Vec<_>>().join(" ");
    json!({
        "id": rule.id,
        "name": rule.id,
        "shortDescription": { "text": rule.summary },
        "fullDescription": { "text": why },
        "help": {
            "text": format!("{} `mtlint explain {}` shows the rule with its examples.", why, rule.id),
        },
        "defaultConfiguration": { "level": level(rule.severity) },
        "properties": { "category": rule.category, "kind": rule.kind },
    })
}

impl Reporter for SarifReporter<'_> {
    /// Fingerprints hash each finding's context; fixes are the edits
    /// `--fix` would make.
    fn needs(&self) -> Needs {
        Needs {
            context_hash: true,
            edits: true,
            ..Needs::NONE
        }
    }

    fn start(&mut self, rules: &[Arc<RuleMeta>]) -> io::Result<()> {
        for rule in rules {
            if self.index.contains_key(&rule.id) {
                continue;
            }
            self.index.insert(rule.id.clone(), self.rules.len());
            self.rules.push(rule_descriptor(rule));
        }
        Ok(())
    }

    fn file(&mut self, path: &str, rows: &[Located]) -> io::Result<()> {
        let uri = uri_path(&relative_path(path, self.base.as_deref()));
        for row in rows {
            let f = &row.finding;
            let rule_index = match self.index.get(&f.rule.id) {
                Some(&i) => i,
                None => {
                    // A rule not announced by `start` (library use): add it.
                    self.index.insert(f.rule.id.clone(), self.rules.len());
                    self.rules.push(rule_descriptor(&f.rule));
                    self.rules.len() - 1
                }
            };
            let location = json!({ "uri": uri });
            let mut result = json!({
                "ruleId": f.rule.id,
                "ruleIndex": rule_index,
                "level": level(f.severity),
                "message": { "text": f.message },
                "locations": [{
                    "physicalLocation": {
                        "artifactLocation": location,
                        "region": {
                            "startLine": row.line,
                            "startColumn": row.column,
                            "endLine": row.end_line,
                            "endColumn": row.end_column,
                            "byteOffset": f.span.start,
                            "byteLength": f.span.end - f.span.start,
                            "snippet": { "text": row.matched },
                        },
                    },
                }],
                "partialFingerprints": {
                    "mtlintFingerprint/v1": format!("{:016x}", row.fingerprint()),
                },
            });
            if let (Some(record), Some(obj)) = (&row.record, result.as_object_mut()) {
                obj.insert("properties".into(), json!({ "record": record }));
            }
            // The edit `--fix` makes (with `--unsafe-fixes` when not safe):
            // the file's bytes, the replacement encoded for its container.
            let fix = f
                .fix
                .as_ref()
                .and_then(|x| Some((x.safe, x.edit.as_ref()?)));
            if let (Some(s), Some((safe, edit)), Some(obj)) =
                (&f.suggestion, fix, result.as_object_mut())
            {
                obj.insert(
                    "fixes".into(),
                    json!([{
                        "description": { "text": if edit_covers_span(f) {
                            format!("Replace “{}” with “{s}”", row.matched)
                        } else {
                            format!("Fix: {}", f.message)
                        } },
                        "artifactChanges": [{
                            "artifactLocation": location,
                            "replacements": [{
                                "deletedRegion": {
                                    "byteOffset": edit.range.start,
                                    "byteLength": edit.range.end - edit.range.start,
                                },
                                "insertedContent": { "text": edit.replacement },
                            }],
                        }],
                        "properties": { "safe": safe },
                    }]),
                );
            }
            self.results.push(result);
        }
        Ok(())
    }

    fn finish(&mut self) -> io::Result<()> {
        let log = json!({
            "$schema": SCHEMA,
            "version": "2.1.0",
            "runs": [{
                "tool": {
                    "driver": {
                        "name": "mtlint",
                        "version": env!("CARGO_PKG_VERSION"),
                        "rules": std::mem::take(&mut self.rules),
                    },
                },
                "columnKind": "unicodeCodePoints",
                "results": std::mem::take(&mut self.results),
            }],
        });
        serde_json::to_writer_pretty(&mut self.out, &log)?;
        self.out.write_all(b"\n")?;
        self.out.flush()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn uri_paths_are_percent_encoded() {
        assert_eq!(uri_path("docs/a b.txt"), "docs/a%20b.txt");
        assert_eq!(uri_path("é#?.txt"), "%C3%A9%23%3F.txt");
        assert_eq!(uri_path("c:x.txt"), "./c:x.txt");
    }
}
