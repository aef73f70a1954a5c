//! The GitHub Actions reporter: one workflow command per finding
//! (`::warning file=…,line=…::message`), which GitHub shows as annotations.
//! Knows nothing of rule kinds, input formats or how rows were made.

use std::io::{self, Write};

use std::path::PathBuf;

use super::visible::push_visible;
use super::{Located, Needs, Reporter, relative_path};
use crate::finding::Severity;

/// Escapes a command's message (its data) as the Actions runner decodes it:
/// `%` as `%25`, CR as `%0D`, LF as `%0A`; any other character that
/// [`visible`](super::visible()) escapes (ESC, C1 controls, bidi overrides, …) is shown as its
/// visible escape, so that nothing reaches the log viewer raw.
pub fn escape_data(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '%' => out.push_str("%25"),
            '\r' => out.push_str("%0D"),
            '\n' => out.push_str("%0A"),
            c => push_visible(&mut out, c),
        }
    }
    out
}

/// Escapes a command property's value: as [`escape_data`], plus `:` as `%3A`
/// and `,` as `%2C`. A path with a line break thus stays one property that
/// GitHub decodes back to the real path.
pub fn escape_property(s: &str) -> String {
    escape_data(s).replace(':', "%3A").replace(',', "%2C")
}

/// Writes GitHub Actions workflow commands.
pub struct GithubReporter<'w> {
    out: Box<dyn Write + Send + 'w>,
    base: Option<PathBuf>,
}

impl<'w> GithubReporter<'w> {
    /// A reporter writing to `out`; paths are made relative to `base`.
    pub fn new(out: Box<dyn Write + Send + 'w>, base: Option<PathBuf>) -> Self {
        GithubReporter { out, base }
    }
}

impl Reporter for GithubReporter<'_> {
    fn needs(&self) -> Needs {
        Needs::NONE
    }

    fn file(&mut self, path: &str, rows: &[Located]) -> io::Result<()> {
        let file = escape_property(&relative_path(path, self.base.as_deref()));
        for row in rows {
            let f = &row.finding;
            let command = match f.severity {
                Severity::Error => "error",
                Severity::Warning => "warning",
                Severity::Info => "notice",
            };
            writeln!(
                self.out,
                "::{command} file={file},line={},col={},endLine={},endColumn={},title={}::{}",
                row.line,
                row.column,
                row.end_line,
                row.end_column,
                escape_property(&format!("mtlint {}", f.rule.id)),
                escape_data(&match &row.record {
                    Some(record) => format!("[{record}] {}", f.message),
                    None => f.message.clone(),
                }),
            )?;
        }
        Ok(())
    }

    fn finish(&mut self) -> io::Result<()> {
        self.out.flush()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn data_escapes_percent_cr_lf_only() {
        assert_eq!(escape_data("50% a:b,c\r\nd"), "50%25 a:b,c%0D%0Ad");
        assert_eq!(escape_data("%0A"), "%250A");
    }

    #[test]
    fn other_controls_are_shown_visibly() {
        assert_eq!(
            escape_data("a\x1b]0;t\x07\u{202e}"),
            "a\\x1b]0;t\\x07\\u{202e}"
        );
        assert_eq!(escape_property("a\x1b:b"), "a\\x1b%3Ab");
    }

    #[test]
    fn properties_also_escape_colon_and_comma() {
        assert_eq!(escape_property("a:b,c%\n"), "a%3Ab%2Cc%25%0A");
        assert_eq!(escape_property("docs/a b.txt"), "docs/a b.txt");
    }
}
