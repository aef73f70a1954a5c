//! `mtlint mine`: the wiring of a mining run — settings, inputs, the two
//! passes over the documents (counting, then reading the text of the
//! candidates back from the documents that hold them), the table, and the
//! rule files of `--write-rules`, each checked with the rule loader and its
//! own examples before it is kept.

use std::collections::{HashMap, HashSet};
use std::io::{self, BufWriter, Write};
use std::path::Path;
use std::sync::Mutex;

use super::{error, exit, input_settings, note, resolve_settings, say, show, warning};
use crate::cli::{AuditArgs, MineArgs, RuleArgs};
use crate::engine::{self, Exclude, Input, InputSettings, Problem, Scanned};
use crate::examples::run_examples;
use crate::group::GroupBy;
use crate::mine::output::{self, Row};
use crate::mine::rules::{PACK_DIR, rule_file, rule_id};
use crate::mine::{self, Candidate, Found, Location, MineSettings, Miner};
use crate::ruleset::{RuleSources, Ruleset};

pub(super) fn run(args: &MineArgs) -> io::Result<u8> {
    let rule_args = RuleArgs {
        config: args.config.clone(),
        isolated: args.isolated,
        ..RuleArgs::default()
    };
    let Some(settings) = resolve_settings(&rule_args, None) else {
        return Ok(exit::ERROR);
    };
    let cwd = std::env::current_dir()?;
    let exclude = match settings.compile_exclude() {
        Ok(globs) => globs.map(|globs| Exclude {
            globs,
            base: settings.exclude_base.clone(),
            cwd: cwd.clone(),
        }),
        Err(e) => {
            error(e);
            return Ok(exit::ERROR);
        }
    };
    let mut globs = args.glob.clone();
    globs.extend(settings.include.iter().cloned());
    let paths = if args.paths.is_empty() {
        vec![".".to_string()]
    } else {
        args.paths.clone()
    };
    let group_by = args.group_by.clone().unwrap_or(GroupBy::Dir);
    let audit = AuditArgs {
        group_by: Some(group_by.clone()),
        date_field: None,
    };
    let input = match input_settings(&settings, &args.input, &audit, &cwd) {
        Ok(i) => i,
        Err(e) => {
            error(e);
            return Ok(exit::ERROR);
        }
    };
    let named = engine::Named {
        cwd: cwd.clone(),
        ..engine::Named::default()
    };
    let (inputs, discovery_errors) =
        engine::discover_named(&paths, &globs, exclude.as_ref(), &named);
    for e in &discovery_errors {
        error(format_args!("{}: {}", e.path, e.message));
    }
    let jobs = match args.jobs {
        Some(n) if n > 0 => n,
        _ => std::thread::available_parallelism().map_or(1, |n| n.get()),
    };
    let roots: Vec<String> = paths.iter().filter(|p| *p != "-").cloned().collect();

    // Pass 1: count.
    let miner = Miner::new(MineSettings {
        min_docs: args.min_docs as usize,
        min_share: args.min_share,
        max_entries: usize::try_from(args.max_entries).unwrap_or(usize::MAX),
    });
    let by_language = group_by == GroupBy::Language;
    let scanned = engine::scan_documents(&inputs, &input, jobs, by_language, &|i, path, docs| {
        miner.add(i, docs, |d| {
            group_by.key(
                path,
                &roots,
                d.keys.group.as_deref(),
                d.language.as_ref().map(crate::language::Language::as_str),
            )
        });
    });
    let mut failed = !discovery_errors.is_empty();
    let named_paths: HashSet<&str> = args.paths.iter().map(String::as_str).collect();
    for s in &scanned {
        for problem in &s.problems {
            failed |= match problem {
                Problem::NoText(why) if named_paths.contains(s.path.as_str()) => {
                    error(format_args!("{}: {why}", s.path));
                    true
                }
                _ => show(&s.path, problem, args.verbose),
            };
        }
    }
    // A path that is not there was named above; its warning would repeat it.
    if let Some(why) = nothing_read(&scanned, &paths).filter(|_| discovery_errors.is_empty()) {
        warning(why);
    }
    let mined = miner.finish();
    if mined.dropped_below > 0 {
        note(format_args!(
            "more than --max-entries {} distinct lines: texts seen in fewer than {} documents \
             of a group were dropped on the way, so counts are lower bounds",
            args.max_entries, mined.dropped_below
        ));
    }
    let candidates: Vec<_> = mined.candidates.iter().take(args.limit).collect();

    // Pass 2: the text of each candidate, from the documents that hold it first.
    let (examples, rescanned) = read_back(&candidates, &inputs, &input, jobs);
    for s in &rescanned {
        for problem in &s.problems {
            if let Problem::Unreadable(_) | Problem::Panicked(_) = problem {
                show(&s.path, problem, false);
                failed = true;
            }
        }
    }
    let rows: Vec<Row<'_>> = candidates
        .iter()
        .zip(&examples)
        .filter(|(_, f)| !f.is_empty())
        .map(|(c, f)| Row {
            candidate: c,
            found: f,
        })
        .collect();
    if rows.len() < candidates.len() {
        note(format_args!(
            "{} candidates were left out: their text could not be read again \
             (standard input, or files that changed during the run)",
            candidates.len() - rows.len()
        ));
    }
    {
        let mut out = BufWriter::new(io::stdout().lock());
        output::write(args.format, &rows, mined.documents, mined.groups, &mut out)?;
        out.flush()?;
    }
    if let Some(dir) = &args.write_rules {
        if !write_rules(dir, &rows) {
            failed = true;
        }
    }
    Ok(if failed { exit::ERROR } else { exit::CLEAN })
}

/// The text of each of `candidates` as found in the (at most two)
/// documents where it was first seen, read again from `inputs` (the inputs
/// of the run that counted them, in its order); and what reading them
/// again gave. A candidate whose documents cannot be read again (standard
/// input, a file changed meanwhile) has no text.
pub(super) fn read_back(
    candidates: &[&Candidate],
    inputs: &[Input],
    input: &InputSettings,
    jobs: usize,
) -> (Vec<Vec<Found>>, Vec<Scanned>) {
    let mut wanted: HashMap<Location, Vec<u64>> = HashMap::new();
    for c in candidates {
        for loc in c.seen.iter() {
            wanted.entry(loc).or_default().push(c.text);
        }
    }
    let mut subset: Vec<usize> = wanted.keys().map(|&l| mine::place(l).0).collect();
    subset.sort_unstable();
    subset.dedup();
    let again: Vec<Input> = subset
        .iter()
        .filter_map(|&i| inputs.get(i).cloned())
        .collect();
    let candidate_texts: HashSet<u64> = candidates.iter().map(|c| c.text).collect();
    let found: Mutex<HashMap<(u64, Location), Found>> = Mutex::default();
    // Standard input cannot be read twice: its documents are not found again.
    let rescanned = engine::scan_documents(&again, input, jobs, false, &|i, path, docs| {
        mine::find_in(
            path,
            subset[i],
            docs,
            &wanted,
            &candidate_texts,
            |loc, hash, f| {
                found
                    .lock()
                    .unwrap_or_else(|e| e.into_inner())
                    .insert((hash, loc), f);
            },
        );
    });
    let found = found.into_inner().unwrap_or_else(|e| e.into_inner());
    let examples = candidates
        .iter()
        .map(|c| {
            c.seen
                .iter()
                .filter_map(|loc| found.get(&(c.text, loc)).cloned())
                .collect()
        })
        .collect();
    (examples, rescanned)
}

/// Why nothing was read, if nothing was (as `check` says it).
fn nothing_read(scanned: &[Scanned], paths: &[String]) -> Option<String> {
    if scanned.iter().any(|s| s.documents > 0) {
        return None;
    }
    let mut summary = engine::Summary {
        files: scanned.len(),
        ..engine::Summary::default()
    };
    for s in scanned {
        for problem in &s.problems {
            match problem {
                Problem::Unreadable(_) | Problem::Panicked(_) => summary.unreadable += 1,
                Problem::Binary => summary.binary += 1,
                Problem::NoText(_) => summary.no_text += 1,
                Problem::Skipped(_) => summary.skipped += 1,
                _ => {}
            }
        }
    }
    super::progress::nothing_checked(&summary, paths)
        .map(|why| why.replacen("no file was checked", "no file was read", 1))
}

/// Whether the rule file at `path` loads and passes its own examples;
/// else what is wrong.
fn rule_passes(path: &Path) -> Result<(), String> {
    let ruleset = Ruleset::load(&RuleSources {
        default_rules: false,
        extra: vec![path.to_path_buf()],
    })
    .map_err(|errors| {
        errors
            .iter()
            .map(ToString::to_string)
            .collect::<Vec<_>>()
            .join("; ")
    })?;
    let report = run_examples(&ruleset);
    match report.failures.first() {
        None => Ok(()),
        Some(f) => Err(f.message.clone()),
    }
}

/// Writes a rule file for each row under `dir` (see [`PACK_DIR`]); whether
/// every one was written or left as it was.
fn write_rules(dir: &Path, rows: &[Row<'_>]) -> bool {
    let folder = PACK_DIR
        .iter()
        .fold(dir.to_path_buf(), |p, part| p.join(part));
    if let Err(e) = std::fs::create_dir_all(&folder) {
        error(format_args!(
            "{}: cannot create the folder: {e}",
            folder.display()
        ));
        return false;
    }
    // Ids already loaded by default are not reused: the rules are meant
    // to run next to the default pack.
    let mut taken: HashSet<String> = Ruleset::default_pack()
        .map(|set| set.rules().map(|r| r.id.clone()).collect())
        .unwrap_or_default();
    let (mut written, mut kept, mut ok) = (0usize, 0usize, true);
    for row in rows {
        let phrase = row.found.first().map_or("", |f| f.shown.as_str());
        let id = rule_id(phrase, &mut taken);
        let path = folder.join(format!("{id}.toml"));
        if path.exists() {
            kept += 1;
            continue;
        }
        let mut last_error = String::new();
        let mut passed = false;
        for context in [true, false] {
            let text = rule_file(&id, row.candidate, row.found, context);
            if let Err(e) = std::fs::write(&path, text) {
                error(format_args!("{}: cannot write: {e}", path.display()));
                return false;
            }
            match rule_passes(&path) {
                Ok(()) => {
                    passed = true;
                    break;
                }
                Err(e) => last_error = e,
            }
        }
        if passed {
            written += 1;
        } else {
            let _ = std::fs::remove_file(&path);
            error(format_args!(
                "no rule written for “{phrase}”: its examples do not pass ({last_error})"
            ));
            ok = false;
        }
    }
    say(format_args!(
        "wrote {written} rule files to {}{}; review them, then `mtlint test-rules {}`",
        folder.display(),
        match kept {
            0 => String::new(),
            n => format!(" ({n} already there, not overwritten)"),
        },
        dir.display()
    ));
    ok
}
