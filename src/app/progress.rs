//! What a run of `mtlint check` says about itself on standard error while
//! and after it runs: a progress bar (files and bytes done, rate, ETA) when
//! standard error is a terminal and the run takes over a second, and the
//! closing line of counts. The report itself is untouched: the bar sits
//! between the run and the reporter ([`Watched`]) and only counts.
//! Knows nothing of rules, formats or findings.

use std::io::{self, IsTerminal};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::time::{Duration, Instant};

use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};

use crate::engine::{Input, Summary};
use crate::finding::RuleMeta;
use crate::report::{FileInfo, Located, Needs, Reporter, thousands};

/// How long a run goes before its bar is drawn: shorter runs end before a
/// bar would tell anyone anything.
const SHOW_AFTER: Duration = Duration::from_secs(1);

/// Whether standard error is a terminal (bar and closing line by default).
pub(crate) fn stderr_is_terminal() -> bool {
    io::stderr().is_terminal()
}

/// The progress bar of a run, hidden until [`SHOW_AFTER`] has passed.
pub(crate) struct Progress {
    bar: Option<ProgressBar>,
    started: Instant,
    shown: AtomicBool,
    files: AtomicU64,
    total_files: u64,
}

impl Progress {
    /// A bar over `inputs` when `enabled` (standard error a terminal, not
    /// `--quiet`), else one that does nothing. The inputs' sizes are read
    /// only for a bar.
    pub(crate) fn new(enabled: bool, inputs: &[Input]) -> Self {
        let bar = enabled.then(|| {
            let bytes: u64 = inputs
                .iter()
                .map(|i| match i {
                    Input::File(p) => std::fs::metadata(p).map_or(0, |m| m.len()),
                    Input::Stdin | Input::StdinNamed(_) => 0,
                })
                .sum();
            let bar = ProgressBar::with_draw_target(Some(bytes), ProgressDrawTarget::hidden());
            let style = ProgressStyle::with_template(
                "{bar:30} {msg} files  {bytes}/{total_bytes}  {bytes_per_sec}  ETA {eta}",
            )
            .unwrap_or_else(|_| ProgressStyle::default_bar());
            bar.set_style(style);
            bar
        });
        Progress {
            bar,
            started: Instant::now(),
            shown: AtomicBool::new(false),
            files: AtomicU64::new(0),
            total_files: inputs.len() as u64,
        }
    }

    /// Runs `f` (which writes to standard error) with the bar cleared.
    pub(crate) fn suspend<R>(&self, f: impl FnOnce() -> R) -> R {
        match &self.bar {
            Some(bar) if self.shown.load(Ordering::Relaxed) => bar.suspend(f),
            _ => f(),
        }
    }

    /// One more file done, of `bytes` bytes.
    fn advance(&self, bytes: u64) {
        let Some(bar) = &self.bar else {
            return;
        };
        let files = self.files.fetch_add(1, Ordering::Relaxed) + 1;
        bar.inc(bytes);
        bar.set_message(format!("{files}/{}", self.total_files));
        if !self.shown.load(Ordering::Relaxed) && self.started.elapsed() >= SHOW_AFTER {
            self.shown.store(true, Ordering::Relaxed);
            bar.set_draw_target(ProgressDrawTarget::stderr());
            bar.enable_steady_tick(Duration::from_millis(200));
        }
    }

    /// Takes the bar off the screen (before the closing lines).
    pub(crate) fn clear(&self) {
        if let Some(bar) = &self.bar {
            bar.finish_and_clear();
        }
    }
}

/// The run's reporter, watched: each file moves the bar on, and what the
/// closing line needs is asked of the run.
pub(crate) struct Watched<'a, 'r> {
    pub(crate) inner: &'a mut (dyn Reporter + 'r),
    pub(crate) progress: Arc<Progress>,
    /// Needs beyond the inner reporter's (words for the closing line).
    pub(crate) extra: Needs,
}

impl Reporter for Watched<'_, '_> {
    fn start(&mut self, rules: &[Arc<RuleMeta>]) -> io::Result<()> {
        self.inner.start(rules)
    }

    fn file_info(&mut self, path: &str, info: &FileInfo) -> io::Result<()> {
        self.progress.advance(info.bytes as u64);
        self.inner.file_info(path, info)
    }

    fn file(&mut self, path: &str, rows: &[Located]) -> io::Result<()> {
        self.inner.file(path, rows)
    }

    fn file_owned(&mut self, path: &str, rows: Vec<Located>) -> io::Result<()> {
        self.inner.file_owned(path, rows)
    }

    fn file_part(&mut self, path: &str, info: &FileInfo, rows: Vec<Located>) -> io::Result<()> {
        self.progress.advance(info.bytes as u64);
        self.inner.file_part(path, info, rows)
    }

    fn file_end(&mut self, path: &str, info: &FileInfo) -> io::Result<()> {
        self.inner.file_end(path, info)
    }

    fn finish(&mut self) -> io::Result<()> {
        self.inner.finish()
    }

    fn needs(&self) -> Needs {
        self.inner.needs().or(self.extra)
    }
}

/// `n thing` or `n things`.
fn plural(n: usize, one: &str, many: &str) -> String {
    format!("{} {}", thousands(n), if n == 1 { one } else { many })
}

/// Files of a run that were checked (neither skipped nor unreadable).
pub(crate) fn files_checked(s: &Summary) -> usize {
    s.files
        .saturating_sub(s.binary + s.no_text + s.skipped + s.unreadable)
}

/// Why files were skipped, as `2 without the text field, 1 binary`.
fn skipped_why(s: &Summary) -> Vec<String> {
    [
        (s.no_text, "without the text field or column"),
        (s.binary, "binary"),
        (s.skipped, "not regular files or not UTF-8"),
        (s.unreadable, "unreadable"),
    ]
    .into_iter()
    .filter(|(n, _)| *n > 0)
    .map(|(n, why)| format!("{} {why}", thousands(n)))
    .collect()
}

/// The closing line: what was checked, what was skipped and why.
pub(crate) fn closing_line(s: &Summary) -> String {
    let mut line = format!(
        "checked {}: {}, {}",
        plural(files_checked(s), "file", "files"),
        plural(s.records, "document", "documents"),
        plural(s.words, "word", "words"),
    );
    let skipped = s.files - files_checked(s);
    if skipped > 0 {
        line.push_str(&format!(
            "; skipped {} ({})",
            plural(skipped, "file", "files"),
            skipped_why(s).join(", ")
        ));
    }
    let findings: usize = s.findings.iter().sum();
    line.push_str(&format!("; {}", plural(findings, "finding", "findings")));
    line
}

/// Why a run checked nothing, for its warning; `None` when it checked a file.
pub(crate) fn nothing_checked(s: &Summary, paths: &[String]) -> Option<String> {
    if files_checked(s) > 0 {
        return None;
    }
    if s.files == 0 {
        return Some(format!(
            "no file was checked: {} holds no file mtlint reads (prose: .txt, .md, .html, .rss, .xlf, .po…; \
             data: .jsonl, .ndjson, .csv, .tsv); name files, or add --glob",
            paths.join(", ")
        ));
    }
    Some(format!(
        "no file was checked: {} skipped ({})",
        plural(s.files, "file was", "files were"),
        skipped_why(s).join(", ")
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn closing_lines_count_and_say_why() {
        let s = Summary {
            files: 5,
            records: 1204,
            words: 56789,
            binary: 1,
            no_text: 2,
            findings: [1, 2, 0],
            ..Summary::default()
        };
        assert_eq!(
            closing_line(&s),
            "checked 2 files: 1,204 documents, 56,789 words; skipped 3 files \
             (2 without the text field or column, 1 binary); 3 findings"
        );
        assert_eq!(nothing_checked(&s, &[]), None);
        let none = Summary {
            files: 1,
            no_text: 1,
            ..Summary::default()
        };
        assert_eq!(
            nothing_checked(&none, &[]).as_deref(),
            Some("no file was checked: 1 file was skipped (1 without the text field or column)")
        );
        let empty = Summary::default();
        let why = nothing_checked(&empty, &["renamed/".into()]).unwrap();
        assert!(
            why.starts_with("no file was checked: renamed/ holds no file"),
            "{why}"
        );
        assert_eq!(
            closing_line(&Summary {
                files: 1,
                records: 1,
                words: 1,
                ..Summary::default()
            }),
            "checked 1 file: 1 document, 1 word; 0 findings"
        );
    }
}
