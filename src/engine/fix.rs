//! Fixing one input: check, choose the fixes to apply (`crate::fix`), apply
//! them, and again on the changed bytes until nothing changes or the pass
//! limit is reached; a pass whose edits would make the file parse
//! differently (fewer documents, more malformed records) is undone edit by
//! edit. Writes nothing: the caller gets the bytes before and after, and
//! the rows of what remains.
//!
//! Knows nothing of the command line or where results go.

use super::check::{DocumentNeeds, FileResult, check_in, file_result};
use super::discover::Input;
use super::problem::Problem;
use super::read::read_input;
use crate::document::{self, InputFormat, InputOptions};
use crate::fix;
use crate::rows::{Located, Needs, locate_rows};
use crate::ruleset::Ruleset;

/// Passes made at most before a file is left as the last pass made it.
pub const MAX_FIX_PASSES: usize = 10;

/// Which fixes to apply and how hard to try.
#[derive(Clone, Copy, Debug)]
pub struct FixSettings {
    /// Apply unsafe fixes too (`--unsafe-fixes`).
    pub unsafe_fixes: bool,
    /// Passes made at most (see [`MAX_FIX_PASSES`]).
    pub max_passes: usize,
}

impl Default for FixSettings {
    fn default() -> Self {
        FixSettings {
            unsafe_fixes: false,
            max_passes: MAX_FIX_PASSES,
        }
    }
}

/// What fixing some bytes came to.
#[derive(Debug, Default)]
pub struct FixOutcome {
    /// The bytes after every pass.
    pub fixed: Vec<u8>,
    /// Fixes applied, over all passes.
    pub applied: usize,
    /// Passes that changed something.
    pub passes: usize,
    /// The pass limit was reached with fixes still to apply.
    pub capped: bool,
    /// Fixes withdrawn because, applied, the file no longer parsed as
    /// before (fixing stopped after that pass).
    pub withdrawn: usize,
}

/// Decides which findings of a pass may be fixed: given the file's bytes
/// and rows, the rows the report would show (suppressions and per-path
/// settings applied).
pub type Keep<'k> = dyn Fn(&[u8], Vec<Located>) -> Vec<Located> + Sync + 'k;

/// How a file parses, to tell that a fix left it well-formed: its number
/// of documents and of malformed records.
fn shape(bytes: &[u8], format: InputFormat, options: &InputOptions) -> (usize, usize) {
    if format == InputFormat::Text {
        return (1, 0);
    }
    let (text, _) = document::decode(bytes);
    let parsed = document::parse(&text, format, options);
    (parsed.documents.len(), parsed.errors.len())
}

/// Fixes `bytes` of a file of `format`: the fixes `keep` leaves, safe ones
/// (unsafe too with `settings.unsafe_fixes`), pass after pass. The library
/// entry point for fixing a document held in memory.
pub fn fix_bytes(
    ruleset: &Ruleset,
    bytes: &[u8],
    format: InputFormat,
    options: &InputOptions,
    settings: FixSettings,
    keep: &Keep<'_>,
) -> FixOutcome {
    let mut out = FixOutcome {
        fixed: bytes.to_vec(),
        ..FixOutcome::default()
    };
    let before = shape(bytes, format, options);
    let mut pass = 0;
    loop {
        let current = &out.fixed;
        let findings = check_in(
            ruleset,
            current,
            format,
            options,
            None,
            true,
            DocumentNeeds::NONE,
        )
        .findings;
        if !findings
            .iter()
            .any(|(f, _)| fix::applies(f, settings.unsafe_fixes))
        {
            return out;
        }
        let rows = keep(current, locate_rows(current, findings, Needs::NONE));
        let choice = fix::choose(rows.iter().map(|r| &r.finding), settings.unsafe_fixes);
        if choice.chosen.is_empty() {
            return out;
        }
        if pass == settings.max_passes {
            out.capped = true;
            return out;
        }
        pass += 1;
        let edits = choice.edits();
        let next = fix::apply(current, &edits);
        if shape(&next, format, options) == before {
            if next == *current {
                return out;
            }
            out.applied += edits.len();
            out.passes += 1;
            out.fixed = next;
            continue;
        }
        // Some edit breaks the file: keep those that, one by one, do not.
        let mut kept: Vec<&crate::finding::Edit> = Vec::new();
        for e in &edits {
            let mut trial = kept.clone();
            trial.push(e);
            if shape(&fix::apply(current, &trial), format, options) == before {
                kept.push(e);
            } else {
                out.withdrawn += 1;
            }
        }
        let next = fix::apply(current, &kept);
        if next != *current {
            out.applied += kept.len();
            out.passes += 1;
            out.fixed = next;
        }
        return out;
    }
}

/// What fixing one input came to.
#[derive(Debug)]
pub struct FixedInput {
    /// The report of what remains: rows on the fixed bytes (the bytes as
    /// read when nothing was fixed).
    pub result: FileResult,
    /// The bytes as read (empty when the input was not read).
    pub original: Vec<u8>,
    /// The bytes after fixing, when they differ from the original.
    pub fixed: Option<Vec<u8>>,
    /// How it went; `None` when the input was not fixed at all.
    pub outcome: Option<FixOutcome>,
    /// Why the input was read but not fixed, if so.
    pub not_fixed: Option<String>,
}

/// Reads `input` and fixes it (see [`fix_bytes`]); rows of what remains
/// hold what `needs` asks for. Never panics on input: errors become the
/// result's problems.
pub fn fix_input(
    ruleset: &Ruleset,
    input: &Input,
    options: &InputOptions,
    settings: FixSettings,
    keep: &Keep<'_>,
    needs: Needs,
) -> FixedInput {
    let path = input.display();
    let unread = |problem: Problem| FixedInput {
        result: FileResult {
            path: path.clone(),
            rows: Vec::new(),
            problems: vec![problem],
            info: Default::default(),
            records: 0,
        },
        original: Vec::new(),
        fixed: None,
        outcome: None,
        not_fixed: None,
    };
    let plain = input.plain_before_reading(options);
    let bytes = match read_input(input, plain, None, options.encoding) {
        Ok(Ok(b)) => b.to_vec(),
        Ok(Err(problem)) => return unread(problem),
        Err(e) => return unread(Problem::Unreadable(e.to_string())),
    };
    let format = input.format(options, &bytes);
    if let Some(encoding) = options.encoding {
        // Fixes are edits of UTF-8 bytes; a file in another encoding is
        // reported (positions in its own bytes) and left as it is.
        let t = crate::document::Transcoded::decode(&bytes, encoding);
        let text = t.text.as_bytes();
        let checked = check_in(
            ruleset,
            text,
            format,
            options,
            None,
            false,
            DocumentNeeds::of(needs),
        );
        let result = file_result(path, text, checked, needs, Some((&t, bytes.len())));
        return FixedInput {
            result,
            original: bytes,
            fixed: None,
            outcome: None,
            not_fixed: Some(format!("read as {}, not UTF-8", encoding.name())),
        };
    }
    let (outcome, not_fixed) = if std::str::from_utf8(&bytes).is_err() {
        (None, Some("not valid UTF-8".to_string()))
    } else {
        let outcome = fix_bytes(ruleset, &bytes, format, options, settings, keep);
        (Some(outcome), None)
    };
    let fixed = outcome
        .as_ref()
        .map(|o| o.fixed.clone())
        .filter(|f| *f != bytes);
    let last = fixed.as_deref().unwrap_or(&bytes);
    let checked = check_in(
        ruleset,
        last,
        format,
        options,
        None,
        needs.edits,
        DocumentNeeds::of(needs),
    );
    let result = file_result(path, last, checked, needs, None);
    FixedInput {
        result,
        original: bytes,
        fixed,
        outcome,
        not_fixed,
    }
}

/// Every finding kept: for a caller with no suppressions or settings.
pub fn keep_all(_bytes: &[u8], rows: Vec<Located>) -> Vec<Located> {
    rows
}
