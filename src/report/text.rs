//! The text reporter, for people: `path:line:column`, severity, rule and
//! message, then the source line with the span underlined, and a summary.
//! Knows nothing of rule kinds, input formats or how rows were made.

use std::io::{self, Write};

use super::{FileInfo, Located, Needs, Reporter, visible};
use crate::finding::Severity;

/// Longest underline drawn, in chars: past it the span runs off the window.
const MAX_UNDERLINE: usize = 200;

/// Writes findings for a person reading a terminal or a log.
pub struct TextReporter<'w> {
    out: Box<dyn Write + Send + 'w>,
    color: bool,
    counts: [usize; 3],
    files: usize,
    files_with_findings: usize,
    /// Whether the file whose rows come in parts had any so far.
    streamed_rows: bool,
}

impl<'w> TextReporter<'w> {
    /// A reporter writing to `out`, with ANSI colours when `color`.
    pub fn new(out: Box<dyn Write + Send + 'w>, color: bool) -> Self {
        TextReporter {
            out,
            color,
            counts: [0; 3],
            files: 0,
            files_with_findings: 0,
            streamed_rows: false,
        }
    }

    /// Writes `rows` of the file at `path`, counting them by severity.
    fn rows(&mut self, path: &str, rows: &[Located]) -> io::Result<()> {
        for row in rows {
            let f = &row.finding;
            self.counts[f.severity as usize] += 1;
            let color = severity_color(f.severity);
            // Everything from the input (the path, record id, rule id, message,
            // line) is shown through `visible`: it cannot drive the terminal
            // or start a line of its own.
            let path = visible(path);
            let head = match &row.record {
                Some(record) => {
                    format!("{path}:{}:{}: [{}]", row.line, row.column, visible(record))
                }
                None => format!("{path}:{}:{}:", row.line, row.column),
            };
            writeln!(
                self.out,
                "{} {} {} {}",
                self.paint("1", &head),
                self.paint(color, f.severity.as_str()),
                self.paint("2", &format!("[{}]", visible(&f.rule.id))),
                visible(&f.message)
            )?;
            let number = row.line.to_string();
            let gutter = " ".repeat(number.len());
            let bar = self.paint("34", "|");
            // A line clipped to a window around the span starts with "…".
            let clipped = if row.line_text_column > 1 { "…" } else { "" };
            writeln!(
                self.out,
                "  {} {bar} {clipped}{}",
                self.paint("34", &number),
                visible(&row.line_text)
            )?;
            // Columns count the line's own chars; an escape shows one char
            // as several, so the underline is measured on the shown text.
            let text = &row.line_text;
            let at = |chars: usize| {
                text.char_indices()
                    .nth(chars)
                    .map_or(text.len(), |(i, _)| i)
            };
            let lead = at(row.column.saturating_sub(row.line_text_column));
            let end = if row.end_line == row.line {
                let span_chars = row.end_column.saturating_sub(row.column);
                lead + text[lead..]
                    .char_indices()
                    .nth(span_chars)
                    .map_or(text.len() - lead, |(i, _)| i)
            } else {
                text.len()
            };
            let shown = |part: &str| visible(part).chars().count();
            let width = shown(&text[lead..end]).clamp(1, MAX_UNDERLINE);
            let carets = self.paint(color, &"^".repeat(width));
            let indent = " ".repeat(shown(&text[..lead]) + clipped.chars().count());
            writeln!(self.out, "  {gutter} {bar} {indent}{carets}")?;
            // A fix over more than the span (a list item with its
            // separator, a whole line) that puts nothing in its place.
            let removal = f.fix.as_ref().is_some_and(|x| x.range != f.span);
            match &f.suggestion {
                Some(s) if s.is_empty() && removal => {
                    writeln!(self.out, "  {gutter} = suggestion: remove it")?;
                }
                Some(s) => writeln!(
                    self.out,
                    "  {gutter} = suggestion: replace with \"{}\"",
                    visible(s)
                )?,
                None => {}
            }
        }
        Ok(())
    }

    fn paint(&self, code: &str, text: &str) -> String {
        if self.color {
            format!("\x1b[{code}m{text}\x1b[0m")
        } else {
            text.to_string()
        }
    }
}

fn severity_color(severity: Severity) -> &'static str {
    match severity {
        Severity::Error => "1;31",
        Severity::Warning => "1;33",
        Severity::Info => "1;36",
    }
}

fn plural(n: usize, one: &str, many: &str) -> String {
    format!("{n} {}", if n == 1 { one } else { many })
}

impl Reporter for TextReporter<'_> {
    fn needs(&self) -> Needs {
        Needs {
            line_text: true,
            ..Needs::NONE
        }
    }

    fn file(&mut self, path: &str, rows: &[Located]) -> io::Result<()> {
        self.files += 1;
        if !rows.is_empty() {
            self.files_with_findings += 1;
        }
        self.rows(path, rows)
    }

    fn file_part(&mut self, path: &str, _info: &FileInfo, rows: Vec<Located>) -> io::Result<()> {
        self.streamed_rows |= !rows.is_empty();
        self.rows(path, &rows)
    }

    fn file_end(&mut self, _path: &str, _info: &FileInfo) -> io::Result<()> {
        self.files += 1;
        if std::mem::take(&mut self.streamed_rows) {
            self.files_with_findings += 1;
        }
        Ok(())
    }

    fn finish(&mut self) -> io::Result<()> {
        let total: usize = self.counts.iter().sum();
        let checked = plural(self.files, "file", "files");
        if total == 0 {
            writeln!(self.out, "No findings ({checked} checked).")?;
        } else {
            let [info, warning, error] = self.counts;
            writeln!(
                self.out,
                "{} in {} ({}, {}, {}); {checked} checked.",
                plural(total, "finding", "findings"),
                plural(self.files_with_findings, "file", "files"),
                plural(error, "error", "errors"),
                plural(warning, "warning", "warnings"),
                plural(info, "info", "infos"),
            )?;
        }
        self.out.flush()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::report::locate;
    use crate::ruleset::Ruleset;

    fn render(text: &str, color: bool) -> String {
        let rules = Ruleset::default_pack().expect("default rules load");
        let bytes = text.as_bytes();
        let rows = locate(bytes, crate::check_bytes(&rules, bytes));
        let mut out = Vec::new();
        {
            let mut reporter = TextReporter::new(Box::new(&mut out), color);
            reporter.file("a.txt", &rows).expect("writes");
            reporter.finish().expect("writes");
        }
        String::from_utf8(out).expect("UTF-8")
    }

    #[test]
    fn colour_only_when_asked() {
        let text = "It ended in November. . Then.\n";
        assert!(!render(text, false).contains('\x1b'));
        let coloured = render(text, true);
        assert!(coloured.contains("\x1b[1;33mwarning\x1b[0m"), "{coloured}");
    }

    #[test]
    fn long_lines_are_clipped_and_the_underline_still_lines_up() {
        let filler: String = (0..80).map(|i| format!("Unit{i} ")).collect();
        let text = format!("{filler}It ended in November. . Then.\n");
        let out = render(&text, false);
        let lines: Vec<&str> = out.lines().collect();
        let at = lines
            .iter()
            .position(|l| l.contains("[stray-period]"))
            .expect("stray period reported");
        let (source, carets) = (lines[at + 1], lines[at + 2]);
        assert!(source.contains("| …"), "{out}");
        let at = carets.find('^').expect("underline");
        let shown: String = source
            .chars()
            .skip(carets[..at].chars().count())
            .take(3)
            .collect();
        assert_eq!(shown, ". .", "{out}");
    }
}
