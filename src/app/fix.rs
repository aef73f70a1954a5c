//! `mtlint check --fix`, `--unsafe-fixes` and `--diff`: every input fixed
//! (by `engine::fix_input`) on the run's threads, then, in input order,
//! written back — atomically, keeping permissions, never over a file that
//! changed since it was read — or shown as a unified diff; the report lists
//! what remains. Knows nothing of how fixes are worked out or applied.

use std::io::{self, Write};
use std::path::Path;
use std::sync::atomic::Ordering;

use rayon::prelude::*;

use super::{note, output, signal};
use crate::engine::{
    self, FileResult, FixSettings, FixedInput, Input, InputSettings, Problem, Summary,
};
use crate::fix::unified_diff;
use crate::report::filter::Policy;
use crate::report::{Reporter, file_info, locate_records};
use crate::ruleset::Ruleset;

/// What a fixing run does.
pub(super) struct Mode {
    /// Apply unsafe fixes too.
    pub(super) unsafe_fixes: bool,
    /// What the report would show: only those findings are fixed.
    pub(super) policy: Policy,
}

/// Fixes every input on `jobs` threads; results in input order.
fn fix_all(
    ruleset: &Ruleset,
    inputs: &[Input],
    settings: &InputSettings,
    jobs: usize,
    mode: &Mode,
    needs: crate::report::Needs,
) -> Vec<FixedInput> {
    let fix = FixSettings {
        unsafe_fixes: mode.unsafe_fixes,
        ..FixSettings::default()
    };
    let one = |input: &Input| {
        let path = input.display();
        let keep = |bytes: &[u8], rows| mode.policy.reported(&path, &file_info(bytes), rows);
        engine::fix_input(
            ruleset,
            input,
            &settings.for_input(input),
            fix,
            &keep,
            needs,
        )
    };
    match rayon::ThreadPoolBuilder::new().num_threads(jobs).build() {
        Ok(pool) => pool.install(|| inputs.par_iter().map(one).collect()),
        Err(_) => inputs.iter().map(one).collect(),
    }
}

/// Notes what fixing `fixed` came to, on standard error.
fn tell(fixed: &FixedInput) {
    let path = &fixed.result.path;
    if let Some(why) = &fixed.not_fixed {
        note(format_args!("{path}: {why}; not fixed"));
    }
    let Some(outcome) = &fixed.outcome else {
        return;
    };
    if outcome.capped {
        note(format_args!(
            "{path}: fixes were still coming after {} passes; stopped there (run again, \
             or look for fixes that undo each other)",
            engine::MAX_FIX_PASSES
        ));
    }
    if outcome.withdrawn > 0 {
        note(format_args!(
            "{path}: {} fixes were not applied: with them the file no longer parsed as before",
            outcome.withdrawn
        ));
    }
}

/// `check --diff`: prints the diff of what `--fix` would change to `out`
/// and changes nothing. Whether anything would change, and whether any
/// input could not be read.
pub(super) fn diff(
    ruleset: &Ruleset,
    inputs: &[Input],
    settings: &InputSettings,
    jobs: usize,
    mode: &Mode,
    out: &mut dyn Write,
    show: &mut dyn FnMut(&str, &Problem),
) -> io::Result<(bool, bool)> {
    let results = fix_all(
        ruleset,
        inputs,
        settings,
        jobs,
        mode,
        crate::report::Needs::NONE,
    );
    let (mut changed, mut errors) = (false, false);
    for fixed in &results {
        for p in &fixed.result.problems {
            errors |= matches!(p, Problem::Unreadable(_) | Problem::Panicked(_));
            if !matches!(p, Problem::Truncated(_)) {
                show(&fixed.result.path, p);
            }
        }
        tell(fixed);
        let Some(new) = &fixed.fixed else { continue };
        changed = true;
        let old = String::from_utf8_lossy(&fixed.original);
        let new = String::from_utf8_lossy(new);
        out.write_all(unified_diff(&fixed.result.path, &old, &new).as_bytes())?;
    }
    out.flush()?;
    Ok((changed, errors))
}

/// Totals of a `--fix` run, beyond the report's.
#[derive(Debug, Default)]
pub(super) struct Fixed {
    /// Files written back.
    pub(super) files: usize,
    /// Fixes applied in files written back (and standard input).
    pub(super) applied: usize,
    /// The fixed text of standard input, for standard output.
    pub(super) stdin: Option<Vec<u8>>,
}

/// `check --fix`: fixes every input, writes changed files back, and reports
/// what remains through `reporter` (`note` gets every problem), as
/// `engine::run` does for a plain check.
pub(super) fn run(
    ruleset: &Ruleset,
    inputs: &[Input],
    settings: &InputSettings,
    jobs: usize,
    mode: &Mode,
    reporter: &mut dyn Reporter,
    show: &mut dyn FnMut(&str, &Problem),
) -> io::Result<(Summary, Fixed)> {
    let results = fix_all(ruleset, inputs, settings, jobs, mode, reporter.needs());
    let mut summary = Summary::default();
    let mut totals = Fixed::default();
    for (input, mut fixed) in inputs.iter().zip(results) {
        if signal::INTERRUPTED.load(Ordering::SeqCst) {
            summary.interrupted = true;
            break;
        }
        tell(&fixed);
        let applied = fixed.outcome.as_ref().map_or(0, |o| o.applied);
        match (input, &fixed.fixed) {
            (Input::Stdin | Input::StdinNamed(_), new) => {
                totals.applied += applied;
                totals.stdin = Some(new.clone().unwrap_or_else(|| fixed.original.clone()));
            }
            (Input::File(path), Some(new)) => match write_back(path, &fixed.original, new) {
                Ok(()) => {
                    totals.files += 1;
                    totals.applied += applied;
                }
                Err(why) => {
                    note(format_args!("{}: {why}; not fixed", fixed.result.path));
                    fixed.result = recheck(ruleset, &settings.for_input(input), input, &fixed);
                }
            },
            (Input::File(_), None) => {}
        }
        let result = fixed.result;
        summary.count(&result);
        for problem in &result.problems {
            show(&result.path, problem);
        }
        reporter.file_info(&result.path, &result.info)?;
        reporter.file_owned(&result.path, result.rows)?;
    }
    Ok((summary, totals))
}

/// The report of a file left as it was read (its fix not written).
fn recheck(
    ruleset: &Ruleset,
    options: &crate::document::InputOptions,
    input: &Input,
    fixed: &FixedInput,
) -> FileResult {
    let bytes = &fixed.original;
    let format = input.format(options, bytes);
    let (findings, problems) = engine::check_bytes_with_edits(ruleset, bytes, format, options);
    FileResult {
        path: fixed.result.path.clone(),
        rows: locate_records(bytes, findings),
        problems,
        info: file_info(bytes),
        records: fixed.result.records,
    }
}

/// Replaces the file at `path` (through symbolic links) with `new`, unless
/// it no longer holds `old`: written to a temporary file beside it with the
/// file's permissions, then renamed over it. Why not, if it was not.
pub(super) fn write_back(path: &Path, old: &[u8], new: &[u8]) -> Result<(), String> {
    let target = output::report_target(path).map_err(|e| e.to_string())?;
    let now = std::fs::read(&target).map_err(|e| format!("cannot read it again: {e}"))?;
    if now != old {
        return Err("it changed on disk since it was read".into());
    }
    let permissions = std::fs::metadata(&target)
        .map_err(|e| e.to_string())?
        .permissions();
    let dir = match target.parent() {
        Some(d) if !d.as_os_str().is_empty() => d,
        _ => Path::new("."),
    };
    let mut temp = tempfile::Builder::new()
        .prefix(".mtlint-")
        .suffix(".tmp")
        .tempfile_in(dir)
        .map_err(|e| format!("cannot write beside it: {e}"))?;
    temp.write_all(new)
        .and_then(|()| temp.as_file().sync_all())
        .map_err(|e| format!("cannot write beside it: {e}"))?;
    std::fs::set_permissions(temp.path(), permissions).map_err(|e| e.to_string())?;
    signal::without_quitting(|| temp.persist(&target).map(|_| ()).map_err(|e| e.error))
        .map_err(|e| format!("cannot replace it: {e}"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_file_changed_since_it_was_read_is_left_alone() {
        let dir = tempfile::tempdir().expect("temp dir");
        let path = dir.path().join("a.txt");
        std::fs::write(&path, "edited meanwhile").expect("write");
        let err = write_back(&path, b"as read", b"fixed").expect_err("refused");
        assert!(err.contains("changed on disk"), "{err}");
        assert_eq!(std::fs::read(&path).expect("read"), b"edited meanwhile");
        write_back(&path, b"edited meanwhile", b"fixed").expect("written");
        assert_eq!(std::fs::read(&path).expect("read"), b"fixed");
    }

    #[cfg(unix)]
    #[test]
    fn a_link_stays_a_link() {
        let dir = tempfile::tempdir().expect("temp dir");
        let target = dir.path().join("real.txt");
        let link = dir.path().join("link.txt");
        std::fs::write(&target, "old").expect("write");
        std::os::unix::fs::symlink(&target, &link).expect("link");
        write_back(&link, b"old", b"new").expect("written");
        assert!(
            std::fs::symlink_metadata(&link)
                .expect("stat")
                .file_type()
                .is_symlink()
        );
        assert_eq!(std::fs::read(&target).expect("read"), b"new");
    }
}
