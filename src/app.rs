//! What each subcommand does, from parsed arguments to an exit code. Problems
//! with files and rules are written to standard error here; reports go
//! through reporters. Owns the wiring of a run (settings, rules, inputs, the
//! filter, the reporter) and the exit codes; knows nothing of how an input
//! format is parsed, how a rule kind matches, how rows are made or how a
//! report is laid out.

use std::io::{self, BufWriter, IsTerminal, Write};
use std::path::Path;

use clap::ValueEnum;

use crate::cli::{AuditArgs, CheckArgs, Cli, ColorChoice, Command, InputArgs, RuleArgs, RulesArgs};
use crate::config::{CommandLine, InputKeys, Settings};
use crate::diagnostics::hint;
use crate::document::InputOptions;
use crate::engine::{self, Exclude, FileInput, InputSettings, PathLanguage, Problem};
use crate::examples::{example_findings, flagged, run_examples};
use crate::finding::Severity;
use crate::language;
use crate::report::audit::AuditSettings;
use crate::report::baseline::{Baseline, Recorder};
use crate::report::filter::{Filter, Policy, UNUSED_DISABLE};
use crate::report::visible::visible_display;
use crate::report::{self, Format, ReportOptions, Reporter, visible};
use crate::ruleset::{RuleSources, Ruleset};

mod boilerplate;
mod fix;
mod listing;
mod mine;
mod output;
mod progress;
pub mod server;
mod signal;

/// Exit codes.
pub mod exit {
    /// No finding at or above the failing severity.
    pub const CLEAN: u8 = 0;
    /// Findings at or above the failing severity.
    pub const FINDINGS: u8 = 1;
    /// A usage or configuration error, or a file that could not be read.
    pub const ERROR: u8 = 2;
    /// Stopped by Ctrl-C (SIGINT) or SIGTERM before the report was complete.
    pub const INTERRUPTED: u8 = 130;
}

/// Writes `mtlint: {message}` as one line of standard error. Messages carry
/// file names, rule ids and record errors, which come from input: they are
/// shown through [`visible`], so that they cannot drive the terminal or start
/// a line of their own. A closed standard error (`2>&1 | head`) loses the
/// message instead of ending the run (`eprintln!` would panic).
pub(crate) fn say(message: impl std::fmt::Display) {
    let _ = writeln!(io::stderr().lock(), "mtlint: {}", visible_display(message));
}

fn error(message: impl std::fmt::Display) {
    say(format_args!("error: {message}"));
}

fn note(message: impl std::fmt::Display) {
    say(format_args!("note: {message}"));
}

fn warning(message: impl std::fmt::Display) {
    say(format_args!("warning: {message}"));
}

/// The configuration and the rules it selects, or `None` after reporting why.
fn prepare(args: &RuleArgs, fail_on: Option<Severity>) -> Option<(Settings, Ruleset)> {
    let settings = resolve_settings(args, fail_on)?;
    let ruleset = load_rules(&settings)?;
    Some((settings, ruleset))
}

/// The configuration for the command line, or `None` after reporting why.
fn resolve_settings(args: &RuleArgs, fail_on: Option<Severity>) -> Option<Settings> {
    let cwd = match std::env::current_dir() {
        Ok(d) => d,
        Err(e) => {
            error(format_args!("cannot read the working directory: {e}"));
            return None;
        }
    };
    let cli = CommandLine {
        config: args.config.clone(),
        isolated: args.isolated,
        rules: args.rules.clone(),
        no_default_rules: args.no_default_rules,
        select: args.select.clone(),
        ignore: args.ignore.clone(),
        fail_on,
    };
    let settings = match Settings::resolve(&cli, &cwd) {
        Ok(s) => s,
        Err(e) => {
            error(e);
            return None;
        }
    };
    Some(settings)
}

/// The rules of `sources`, or `None` after reporting every broken one.
fn load_ruleset(sources: &RuleSources) -> Option<Ruleset> {
    match Ruleset::load(sources) {
        Ok(ruleset) => Some(ruleset),
        Err(errors) => {
            for e in &errors {
                error(e);
            }
            None
        }
    }
}

/// The rules `settings` selects, or `None` after reporting why.
fn load_rules(settings: &Settings) -> Option<Ruleset> {
    match rules_for(settings) {
        Ok(ruleset) => Some(ruleset),
        Err(errors) => {
            for e in &errors {
                error(e);
            }
            None
        }
    }
}

/// The rules `settings` selects, or every reason why not.
fn rules_for(settings: &Settings) -> Result<Ruleset, Vec<String>> {
    let sources = RuleSources {
        default_rules: !settings.no_default_rules,
        extra: settings.rules.clone(),
    };
    let mut ruleset = Ruleset::load(&sources)
        .map_err(|es| es.iter().map(ToString::to_string).collect::<Vec<_>>())?;
    settings
        .validate(&ruleset)
        .map_err(|e| vec![e.to_string()])?;
    let names = |list: &[crate::config::Named]| -> Vec<String> {
        list.iter()
            .map(|n| n.name.clone())
            // The built-in suppression rule is not in the ruleset.
            .filter(|n| n != UNUSED_DISABLE && n != "suppression")
            .collect()
    };
    let (select, ignore) = (names(&settings.select), names(&settings.ignore));
    let selected = if select.is_empty() && !settings.select.is_empty() {
        // Only the built-in suppression rule was selected: run no checks.
        ruleset.select(&[], &["all".to_string()])
    } else {
        ruleset.select(&select, &ignore)
    };
    selected.map_err(|e| vec![e])?;
    Ok(ruleset)
}

/// Runs the parsed command line and returns the process exit code.
pub fn run(cli: Cli) -> u8 {
    let result = match cli.command {
        Command::Check(args) => check(&args),
        Command::Rules(args) => list_rules(&args),
        Command::Config(args) => show_config(&args),
        Command::Explain { id, rules } => explain(&id, &rules),
        Command::TestRules { paths, rules } => test_rules(&paths, &rules),
        Command::Mine(args) => mine::run(&args),
        Command::Server(args) => Ok(server::run(&args)),
    };
    match result {
        Ok(code) => code,
        // A closed pipe (`mtlint check … | head`) is not an error.
        Err(e) if output::reader_left(&e) => exit::CLEAN,
        Err(e) => {
            error(e);
            exit::ERROR
        }
    }
}

fn check(args: &CheckArgs) -> io::Result<u8> {
    let Some(mut settings) = resolve_settings(&args.rules, args.fail_on) else {
        return Ok(exit::ERROR);
    };
    // The language flags are the top layer, over the configuration's.
    if args.input.language.is_some() {
        settings.language = args.input.language;
    }
    if args.input.default_language.is_some() {
        settings.default_language = args.input.default_language;
    }
    let mut globs = args.glob.clone();
    globs.extend(settings.include.iter().cloned());
    let cwd = std::env::current_dir()?;
    // An error in the exclude globs is reported below, in its turn.
    let (exclude, exclude_error) = match settings.compile_exclude() {
        Ok(globs) => (
            globs.map(|globs| Exclude {
                globs,
                base: settings.exclude_base.clone(),
                cwd: cwd.clone(),
            }),
            None,
        ),
        Err(e) => (None, Some(e)),
    };
    let paths = match given_paths(args) {
        Ok(paths) => paths,
        Err(e) => {
            error(e);
            return Ok(exit::ERROR);
        }
    };
    let named = engine::Named {
        stdin_name: args.stdin_filename.clone(),
        force_exclude: args.force_exclude,
        cwd: cwd.clone(),
    };
    // Finding the inputs and compiling the rules do not depend on each
    // other: on a big tree each takes milliseconds, so they overlap.
    let (ruleset, (mut inputs, discovery_errors)) = std::thread::scope(|s| {
        let walk = s.spawn(|| engine::discover_named(&paths, &globs, exclude.as_ref(), &named));
        let ruleset = load_rules(&settings);
        let found = walk
            .join()
            .unwrap_or_else(|panic| std::panic::resume_unwind(panic));
        (ruleset, found)
    });
    let Some(ruleset) = ruleset else {
        return Ok(exit::ERROR);
    };
    let policy = match policy(&settings, &ruleset, args.report_unused_disables, &cwd) {
        Ok(p) => p,
        Err(e) => {
            error(e);
            return Ok(exit::ERROR);
        }
    };
    if let Some(why) = nothing_to_run(&settings, &ruleset, policy.report_unused_disables) {
        error(format_args!("no rule would run: {why}"));
        return Ok(exit::ERROR);
    }
    if let Some(e) = exclude_error {
        error(e);
        return Ok(exit::ERROR);
    }
    let baseline = match args.baseline.as_deref().map(Baseline::load).transpose() {
        Ok(b) => b,
        Err(e) => {
            error(e);
            return Ok(exit::ERROR);
        }
    };
    let mut input = match input_settings(&settings, &args.input, &args.audit, &cwd) {
        Ok(i) => i,
        Err(e) => {
            error(e);
            return Ok(exit::ERROR);
        }
    };
    if let Err(e) = stream_settings(args, &mut input, &mut inputs) {
        error(e);
        return Ok(exit::ERROR);
    }
    let recorder = args.write_baseline.as_ref().map(|_| Recorder::default());
    for e in &discovery_errors {
        error(format_args!("{}: {}", e.path, e.message));
    }
    let jobs = match args.jobs {
        Some(n) if n > 0 => n,
        _ => std::thread::available_parallelism().map_or(1, |n| n.get()),
    };
    if args.csv_safe && args.format != Format::Csv {
        error("--csv-safe applies only to --format csv");
        return Ok(exit::ERROR);
    }
    if args.jsonl_documents && args.format != Format::Jsonl {
        error("--jsonl-documents applies only to --format jsonl");
        return Ok(exit::ERROR);
    }
    if args.unsafe_fixes && !args.fix && !args.diff {
        error("--unsafe-fixes applies only with --fix or --diff");
        return Ok(exit::ERROR);
    }
    let fixing = args.fix || args.diff;
    if fixing && (args.baseline.is_some() || args.write_baseline.is_some()) {
        error("--fix and --diff cannot be combined with --baseline or --write-baseline");
        return Ok(exit::ERROR);
    }
    let fix_mode = fixing.then(|| fix::Mode {
        unsafe_fixes: args.unsafe_fixes,
        policy: policy.clone(),
    });
    let target = args
        .output
        .as_deref()
        .map(output::report_target)
        .transpose()?;
    if let Some(target) = &target {
        if let Err(e) = output::keep_report_out(target, &paths, &mut inputs) {
            error(e);
            return Ok(exit::ERROR);
        }
    }
    signal::handle_interrupts();
    if let (Some(mode), true) = (&fix_mode, args.diff) {
        let (mut out, destination) = output::open_output(target.as_deref())?;
        let mut shown = |path: &str, problem: &Problem| {
            show(path, problem, args.verbose);
        };
        let (changed, unreadable) =
            fix::diff(&ruleset, &inputs, &input, jobs, mode, &mut out, &mut shown)?;
        drop(out);
        destination.finish()?;
        if unreadable || !discovery_errors.is_empty() {
            return Ok(exit::ERROR);
        }
        return Ok(if changed { exit::FINDINGS } else { exit::CLEAN });
    }
    // Fixing standard input writes the fixed text to standard output: the
    // report then goes to standard error, unless -o names a file.
    let stdin_fixed = fix_mode.is_some() && inputs.contains(&engine::Input::Stdin);
    // `--write-baseline` records; the report goes nowhere unless `-o`
    // asks for it (it once filled standard output).
    let (out, destination) = if args.write_baseline.is_some() && target.is_none() {
        let sink: Box<dyn Write + Send> = Box::new(io::sink());
        (sink, output::Destination::Stdout)
    } else if stdin_fixed && target.is_none() {
        let err: Box<dyn Write + Send> = Box::new(BufWriter::new(io::stderr()));
        (err, output::Destination::Stdout)
    } else {
        output::open_output(target.as_deref())?
    };
    let options = ReportOptions {
        color: args.format == Format::Text
            && match args.color {
                ColorChoice::Always => true,
                ColorChoice::Never => false,
                ColorChoice::Auto => args.output.is_none() && output::stdout_takes_color(),
            },
        base_dir: Some(cwd.clone()),
        audit: AuditSettings {
            group_by: args.audit.group_by.clone().unwrap_or_default(),
            roots: args.paths.iter().filter(|p| *p != "-").cloned().collect(),
            weights: settings.score,
        },
        jsonl_documents: args.jsonl_documents,
    };
    let inner: Box<dyn Reporter> = if args.csv_safe {
        Box::new(report::CsvReporter::formula_safe(out)?)
    } else if args.format == Format::Html {
        // The page shows what recurs, counted from the documents checked.
        let counter = boilerplate::CheckMiner::new(&inputs, &input, jobs);
        Box::new(
            report::HtmlReporter::new(out, options.audit.clone())
                .with_boilerplate(Box::new(counter)),
        )
    } else {
        report::reporter(args.format, out, &options)?
    };
    let mut filter = Filter::new(inner, policy, baseline, recorder);
    let rules: Vec<_> = ruleset.rules().cloned().collect();
    let terminal = progress::stderr_is_terminal();
    let closing = !args.quiet && (args.verbose || terminal);
    let progress = std::sync::Arc::new(progress::Progress::new(terminal && !args.quiet, &inputs));
    // Files named on the command line: one without a text field is an
    // error there (a walked one is skipped with a note).
    // With --force-exclude they are taken as a walk takes them (what the
    // pre-commit hook relies on).
    let named: std::collections::HashSet<&str> = if args.force_exclude {
        Default::default()
    } else {
        args.paths.iter().map(String::as_str).collect()
    };
    // Errors shown so far, for the exit code of a run whose reader left.
    let mut errors_shown = 0usize;
    let mut named_without_text = 0usize;
    let shown_progress = std::sync::Arc::clone(&progress);
    let mut show_problem = |path: &str, problem: &Problem| {
        shown_progress.suspend(|| match problem {
            Problem::NoText(why) if named.contains(path) => {
                errors_shown += 1;
                named_without_text += 1;
                error(format_args!("{path}: {why}"));
            }
            _ => {
                if show(path, problem, args.verbose) {
                    errors_shown += 1;
                }
            }
        })
    };
    let mut watched = progress::Watched {
        inner: &mut filter,
        progress: std::sync::Arc::clone(&progress),
        extra: crate::report::Needs {
            words: closing,
            documents: closing,
            ..crate::report::Needs::NONE
        },
    };
    let mut fixed = None;
    let run = watched.start(&rules).and_then(|()| match &fix_mode {
        Some(mode) => {
            let (summary, totals) = fix::run(
                &ruleset,
                &inputs,
                &input,
                jobs,
                mode,
                &mut watched,
                &mut show_problem,
            )?;
            fixed = Some(totals);
            Ok(summary)
        }
        None => engine::run_until(
            &ruleset,
            &inputs,
            &input,
            jobs,
            &mut watched,
            &mut show_problem,
            &signal::INTERRUPTED,
        ),
    });
    progress.clear();
    let summary = match run {
        Ok(summary) => summary,
        // The reader of standard output left (`mtlint check … | head -1`):
        // nothing more can be shown, and nothing is said about the pipe,
        // but the exit code still tells what was found before it closed.
        Err(e) if output::reader_left(&e) => {
            let outcome = filter.into_outcome();
            if errors_shown > 0 || !discovery_errors.is_empty() {
                return Ok(exit::ERROR);
            }
            if let Some(dest) = &args.write_baseline {
                error(format_args!(
                    "the baseline {} was not written: the run ended when standard output was closed",
                    dest.display()
                ));
                return Ok(exit::ERROR);
            }
            if !args.exit_zero && outcome.at_least(settings.fail_on) > 0 {
                return Ok(exit::FINDINGS);
            }
            return Ok(exit::CLEAN);
        }
        Err(e) => return Err(e),
    };
    if !summary.interrupted {
        if closing {
            say(progress::closing_line(&summary));
        }
        if let Some(why) = progress::nothing_checked(&summary, &args.paths) {
            warning(why);
        }
    }
    if summary.interrupted {
        drop(filter);
        say(format_args!("stopped{}", destination.when_stopped()));
        // Dropping the destination removes the temporary file.
        drop(destination);
        return Ok(exit::INTERRUPTED);
    }
    let outcome = filter.into_outcome();
    destination.finish()?;
    if let Some(fixed) = &fixed {
        if let Some(text) = &fixed.stdin {
            let mut stdout = io::stdout().lock();
            stdout.write_all(text)?;
            stdout.flush()?;
        }
        if fixed.applied > 0 {
            let remaining = outcome.counts.iter().sum::<usize>();
            note(format_args!(
                "fixed {} findings{}; {remaining} remain",
                fixed.applied,
                match fixed.files {
                    0 => String::new(),
                    1 => " in 1 file".to_string(),
                    n => format!(" in {n} files"),
                }
            ));
        }
    }
    // A report written to a file leaves a person at a terminal nothing to
    // see: one line says what it holds (logs and pipes are spared it).
    if let Some(path) = args
        .output
        .as_deref()
        .filter(|_| io::stderr().is_terminal())
    {
        say(format_args!(
            "{} written to {}",
            counted(outcome.counts.iter().sum(), outcome.files_with_findings),
            path.display()
        ));
    }
    if let (Some(baseline), true) = (&outcome.baseline, args.list_stale) {
        for entry in baseline.stale(&outcome.checked) {
            say(format_args!(
                "stale baseline entry: {}: rule `{}` matching {:?}{}",
                entry.path,
                entry.rule,
                entry.matched,
                if entry.count > 1 {
                    format!(" ({} times)", entry.count)
                } else {
                    String::new()
                }
            ));
        }
    }
    if summary.unreadable > 0
        || summary.bad_records > 0
        || named_without_text > 0
        || !discovery_errors.is_empty()
    {
        return Ok(exit::ERROR);
    }
    if let (Some(recorder), Some(dest)) = (&outcome.recorder, &args.write_baseline) {
        if let Err(e) = recorder.write(dest) {
            error(e);
            return Ok(exit::ERROR);
        }
        say(format_args!(
            "wrote {} to the baseline {}",
            counted(recorder.len(), recorder.files()),
            dest.display()
        ));
        return Ok(exit::CLEAN);
    }
    if !args.exit_zero && outcome.at_least(settings.fail_on) > 0 {
        return Ok(exit::FINDINGS);
    }
    Ok(exit::CLEAN)
}

/// `--shard` and `--stream-origin`: the inputs of other shards are left
/// out, and how standard input is streamed is set; or what is wrong.
fn stream_settings(
    args: &CheckArgs,
    input: &mut InputSettings,
    inputs: &mut Vec<engine::Input>,
) -> Result<(), String> {
    if let Some(origin) = args.stream_origin {
        let stdin = inputs.iter().find(|i| !matches!(i, engine::Input::File(_)));
        let jsonl = stdin.is_some_and(|i| {
            engine::streamed_format(i, &input.for_input(i))
                == Some(crate::document::InputFormat::Jsonl)
        });
        if !jsonl {
            return Err(format!(
                "--stream-origin {}:{} applies to JSON Lines read from standard input (`-` with --input-format jsonl); a slice of a CSV or TSV file would lack its header",
                origin.line, origin.offset
            ));
        }
        input.stream.origin = Some(origin);
    }
    if let Some(shard) = args.shard {
        inputs.retain(|i| engine::in_shard(i, &input.for_input(i), shard));
        input.stream.shard = Some(shard);
    }
    Ok(())
}

/// The paths to check: those given; with none, standard input when it
/// holds something to read (a pipe or a file, as ripgrep decides) or
/// `--stdin-filename` names it, else the working directory.
fn given_paths(args: &CheckArgs) -> Result<Vec<String>, String> {
    if args.paths.is_empty() {
        let stdin = args.stdin_filename.is_some() || engine::stdin_is_readable();
        return Ok(vec![if stdin { "-" } else { "." }.to_string()]);
    }
    if let Some(name) = &args.stdin_filename {
        if !args.paths.iter().any(|p| p == "-") {
            return Err(format!(
                "--stdin-filename {} names standard input, but the paths given do not include `-`",
                name.display()
            ));
        }
    }
    Ok(args.paths.clone())
}

/// "12 findings in 3 files", "1 finding in 1 file".
fn counted(findings: usize, files: usize) -> String {
    let plural =
        |n: usize, one: &str, many: &str| format!("{n} {}", if n == 1 { one } else { many });
    format!(
        "{} in {}",
        plural(findings, "finding", "findings"),
        plural(files, "file", "files")
    )
}

/// Why a run with `settings` would check nothing, if it would: settings
/// that leave no rule are a mistake to say out loud (exit 2), not a clean
/// run. The built-in `invalid-utf8` counts only when selected by name or
/// category (it alone is left by `--no-default-rules`), `unused-disable`
/// only with `--report-unused-disables` (`unused_disables`).
fn nothing_to_run(settings: &Settings, ruleset: &Ruleset, unused_disables: bool) -> Option<String> {
    let invalid_utf8_chosen = ruleset.invalid_utf8().is_some() && !settings.select.is_empty();
    if !ruleset.checks().is_empty() || invalid_utf8_chosen || unused_disables {
        return None;
    }
    if settings.no_default_rules && settings.rules.is_empty() {
        return Some(
            "--no-default-rules loads no rule unless --rules (or `rules` in mtlint.toml) names some"
                .into(),
        );
    }
    let shown = |key: &str, list: &[crate::config::Named]| -> Option<String> {
        let first = list.first()?;
        let names: Vec<String> = list.iter().map(|n| format!("`{}`", n.name)).collect();
        let from = match first.origin.position {
            Some((line, column)) => format!("{}:{line}:{column}", first.origin.file),
            None => first.origin.file.clone(),
        };
        Some(format!("{key} {} ({from})", names.join(", ")))
    };
    let builtin_only = !settings.select.is_empty()
        && settings
            .select
            .iter()
            .all(|n| n.name == UNUSED_DISABLE || n.name == "suppression");
    if builtin_only {
        return Some(format!(
            "{} selects only `{UNUSED_DISABLE}`, which runs with --report-unused-disables",
            shown("select", &settings.select).unwrap_or_default()
        ));
    }
    let lists: Vec<String> = [
        shown("select", &settings.select),
        shown("ignore", &settings.ignore),
    ]
    .into_iter()
    .flatten()
    .collect();
    if lists.is_empty() {
        return Some("no rule was loaded".into());
    }
    let verb = if lists.len() == 1 { "leaves" } else { "leave" };
    Some(format!(
        "{} {verb} none of the loaded rules; `mtlint rules` lists them",
        lists.join(" and ")
    ))
}

/// Writes `problem` of the input `path` to standard error; whether it is an
/// error (else a note).
fn show(path: &str, problem: &Problem, verbose: bool) -> bool {
    match problem {
        Problem::Unreadable(e) => {
            error(format_args!("{path}: cannot read: {e}"));
            true
        }
        Problem::Binary => {
            note(format_args!("{path}: binary file skipped"));
            false
        }
        Problem::Record { line, message } => {
            error(format_args!("{path}:{line}: {message}"));
            true
        }
        Problem::Skipped(why) => {
            note(format_args!("{path}: {why}; skipped"));
            false
        }
        Problem::Detail(what) => {
            if verbose {
                note(format_args!("{path}: {what}"));
            }
            false
        }
        Problem::Panicked(what) => {
            error(format_args!(
                "{path}: internal error while checking this file (please report it with the file): {what}"
            ));
            true
        }
        Problem::NoText(why) => {
            note(format_args!("{path}: {why}; skipped"));
            false
        }
        Problem::Truncated(rule) => {
            note(format_args!(
                "{path}: rule `{rule}` reported more than {} findings; the rest were dropped",
                engine::MAX_FINDINGS_PER_RULE
            ));
            false
        }
    }
}

/// Lays the keys of an `[input]` table or `[[input.files]]` entry over `options`.
fn apply_input_keys(options: &mut InputOptions, keys: &InputKeys) {
    if let Some((format, _)) = keys.format {
        options.format = Some(format);
    }
    if let Some([first, rest @ ..]) = keys.text_field.as_deref() {
        options.text_field.clone_from(first);
        options.extra_text_fields = rest.to_vec();
        options.text_explicit = true;
    }
    if let Some([first, rest @ ..]) = keys.text_column.as_deref() {
        options.text_column.clone_from(first);
        options.extra_text_columns = rest.to_vec();
        options.text_explicit = true;
    }
    if let Some((part, _)) = keys.html_content {
        options.html_content = part;
    }
    if let Some((encoding, _)) = keys.encoding {
        // UTF-8 is read natively (with `invalid-utf8` for bad bytes).
        options.encoding = (encoding != encoding_rs::UTF_8).then_some(encoding);
    }
    for (key, slot) in [
        (&keys.id_field, &mut options.id_field),
        (&keys.source_field, &mut options.source_field),
        (&keys.id_column, &mut options.id_column),
        (&keys.source_column, &mut options.source_column),
    ] {
        if key.is_some() {
            slot.clone_from(key);
        }
    }
}

/// Lays the input flags of the command line over `options`; `encoding` is
/// `--encoding`, already looked up.
fn apply_input_args(
    options: &mut InputOptions,
    args: &InputArgs,
    encoding: Option<(&'static crate::document::Encoding, String)>,
) {
    apply_input_keys(
        options,
        &InputKeys {
            encoding,
            html_content: args.html_content.map(|part| {
                let name = part.to_possible_value().map(|v| v.get_name().to_string());
                (part, name.unwrap_or_default())
            }),
            format: args.input_format.map(|f| {
                let name = f.to_possible_value().map(|v| v.get_name().to_string());
                (f, name.unwrap_or_default())
            }),
            text_field: Some(args.text_field.clone()).filter(|f| !f.is_empty()),
            id_field: args.id_field.clone(),
            source_field: args.source_field.clone(),
            text_column: Some(args.text_column.clone()).filter(|c| !c.is_empty()),
            id_column: args.id_column.clone(),
            source_column: args.source_column.clone(),
        },
    );
}

/// How to read files: `[input]` from the configuration (and its
/// `[[input.files]]` entries for some paths), overridden by flags; records
/// keep what grouping and dating them needs (`audit`).
fn input_settings(
    settings: &Settings,
    args: &InputArgs,
    audit: &AuditArgs,
    cwd: &Path,
) -> Result<InputSettings, crate::config::ConfigError> {
    let encoding = match &args.encoding {
        None => None,
        Some(label) => {
            let encoding = crate::config::encoding_for(label).map_err(|message| {
                crate::config::ConfigError {
                    file: "command line".into(),
                    line: None,
                    column: None,
                    message: format!("--encoding: {message}"),
                }
            })?;
            Some((encoding, label.clone()))
        }
    };
    let mut options = InputOptions {
        language: settings.language.and_then(language::Setting::fixed),
        ..InputOptions::default()
    };
    if let Some(default) = settings.default_language {
        options.default_language = default;
    }
    if let Some(by) = &audit.group_by {
        options.keys = by.record_fields();
    }
    options.keys.date.clone_from(&audit.date_field);
    apply_input_keys(&mut options, &settings.input);
    let mut files = Vec::new();
    for entry in settings.input_files.iter().flatten() {
        let mut entry_options = options.clone();
        apply_input_keys(&mut entry_options, &entry.keys);
        apply_input_args(&mut entry_options, args, encoding.clone());
        files.push(FileInput {
            paths: entry.compile_paths()?,
            options: entry_options,
        });
    }
    apply_input_args(&mut options, args, encoding);
    Ok(InputSettings {
        default: options,
        files,
        base: settings.input_base.clone(),
        cwd: cwd.to_path_buf(),
        stream: engine::StreamSettings::default(),
        languages: path_languages(settings)?,
    })
}

/// The languages `[[overrides]]` set for their paths, in order.
fn path_languages(settings: &Settings) -> Result<Vec<PathLanguage>, crate::config::ConfigError> {
    settings
        .overrides
        .iter()
        .filter_map(|o| {
            let language = o.language?;
            Some(o.compile_paths().map(|paths| PathLanguage {
                paths,
                base: o.base.clone(),
                language: language.fixed(),
            }))
        })
        .collect()
}

/// What the filtering reporter needs from the configuration and flags.
fn policy(
    settings: &Settings,
    ruleset: &Ruleset,
    report_unused_disables: bool,
    cwd: &Path,
) -> Result<Policy, crate::config::ConfigError> {
    Ok(Policy {
        severity: settings
            .severity
            .iter()
            .map(|(k, (s, _))| (k.clone(), *s))
            .collect(),
        overrides: settings.compile_overrides()?,
        report_unused_disables: report_unused_disables && {
            let named = |list: &[crate::config::Named]| {
                list.iter()
                    .any(|n| ["all", UNUSED_DISABLE, "suppression"].contains(&n.name.as_str()))
            };
            (settings.select.is_empty() || named(&settings.select)) && !named(&settings.ignore)
        },
        known: ruleset
            .rules()
            .flat_map(|r| [r.id.clone(), r.category.clone()])
            .collect(),
        cwd: cwd.to_path_buf(),
    })
}

fn show_config(args: &RuleArgs) -> io::Result<u8> {
    let Some((settings, _)) = prepare(args, None) else {
        return Ok(exit::ERROR);
    };
    let mut out = BufWriter::new(io::stdout().lock());
    out.write_all(settings.to_toml().as_bytes())?;
    out.flush()?;
    Ok(exit::CLEAN)
}

/// Every loaded rule, whether the configuration runs it or not, for the
/// commands that show rules (`rules`, `explain`); `None` after reporting why.
fn loaded_rules(args: &RuleArgs) -> Option<(Settings, Ruleset)> {
    let settings = resolve_settings(args, None)?;
    let ruleset = load_ruleset(&RuleSources {
        default_rules: !settings.no_default_rules,
        extra: settings.rules.clone(),
    })?;
    if let Err(e) = settings.validate(&ruleset) {
        error(e);
        return None;
    }
    Some((settings, ruleset))
}

fn list_rules(args: &RulesArgs) -> io::Result<u8> {
    let Some((settings, ruleset)) = loaded_rules(&args.rules) else {
        return Ok(exit::ERROR);
    };
    let mut out = BufWriter::new(io::stdout().lock());
    // The severity in effect, `off` for a rule the configuration does not
    // run; what the configuration changed is listed under the table.
    let mut changed = Vec::new();
    // Rule files are input too: every field is shown through `visible`.
    let rules: Vec<[String; 5]> = ruleset
        .rules()
        .filter(|r| {
            args.language
                .is_none_or(|l| crate::language::applies(&r.languages, l))
        })
        .map(|r| {
            let state = listing::rule_state(&settings, r);
            let severity = if state.runs {
                state.severity.as_str()
            } else {
                "off"
            };
            for change in state.changes {
                changed.push(format!("  {}: {change}", r.id));
            }
            [&r.id, r.kind, &r.category, severity, &r.summary]
                .map(|field| visible(field).into_owned())
        })
        .collect();
    let width = |i: usize| rules.iter().map(|r| r[i].len()).max().unwrap_or(0);
    let (w_id, w_kind, w_cat) = (width(0), width(1), width(2));
    writeln!(
        out,
        "{:w_id$}  {:w_kind$}  {:w_cat$}  {:8}  SUMMARY",
        "ID", "KIND", "CATEGORY", "SEVERITY"
    )?;
    for [id, kind, category, severity, summary] in &rules {
        writeln!(
            out,
            "{id:w_id$}  {kind:w_kind$}  {category:w_cat$}  {severity:8}  {summary}"
        )?;
    }
    if !changed.is_empty() {
        writeln!(out, "\nConfigured:")?;
        for line in &changed {
            writeln!(out, "{}", visible(line))?;
        }
    }
    out.flush()?;
    Ok(exit::CLEAN)
}

/// `explain CATEGORY`: the rules of one category, with their severity in
/// effect (`off` when the configuration does not run them).
fn explain_category(category: &str, settings: &Settings, ruleset: &Ruleset) -> io::Result<u8> {
    let mut out = BufWriter::new(io::stdout().lock());
    let rules: Vec<_> = ruleset.rules().filter(|r| r.category == category).collect();
    writeln!(
        out,
        "category {}: {} rules (`mtlint explain ID` documents one)\n",
        visible(category),
        rules.len()
    )?;
    let width = rules
        .iter()
        .map(|r| visible(&r.id).len())
        .max()
        .unwrap_or(0);
    for r in rules {
        let state = listing::rule_state(settings, r);
        let severity = if state.runs {
            state.severity.as_str()
        } else {
            "off"
        };
        writeln!(
            out,
            "  {:width$}  {severity:8}  {}",
            visible(&r.id),
            visible(&r.summary)
        )?;
    }
    out.flush()?;
    Ok(exit::CLEAN)
}

fn explain(id: &str, args: &RuleArgs) -> io::Result<u8> {
    let Some((settings, ruleset)) = loaded_rules(args) else {
        return Ok(exit::ERROR);
    };
    let Some(rule) = ruleset.get(id) else {
        if ruleset.rules().any(|r| r.category == id) {
            return explain_category(id, &settings, &ruleset);
        }
        let names = ruleset
            .rules()
            .flat_map(|r| [r.id.as_str(), r.category.as_str()]);
        let hint = hint(id, names);
        error(format_args!(
            "no rule or category `{id}`{hint}; `mtlint rules` lists them"
        ));
        return Ok(exit::ERROR);
    };
    let mut out = BufWriter::new(io::stdout().lock());
    let (b, r) = if output::stdout_takes_color() {
        ("\x1b[1m", "\x1b[0m")
    } else {
        ("", "")
    };
    // Rule files are input: their text is shown through `visible` (the
    // examples and matches through `{:?}`, which escapes the same characters);
    // only `why` keeps its own line breaks.
    writeln!(
        out,
        "{b}{}{r} — {}",
        visible(&rule.id),
        visible(&rule.summary)
    )?;
    writeln!(
        out,
        "kind: {}   category: {}   severity: {}",
        visible(rule.kind),
        visible(&rule.category),
        rule.severity
    )?;
    writeln!(out, "defined in: {}", visible(&rule.source))?;
    if !rule.languages.is_empty() {
        writeln!(out, "languages: {}", visible(&rule.languages.join(", ")))?;
    }
    let state = listing::rule_state(&settings, rule);
    for change in &state.changes {
        writeln!(out, "configured: {}", visible(change))?;
    }
    let why: Vec<_> = rule.why.trim().lines().map(visible).collect();
    writeln!(out, "\n{b}Why{r}\n{}", why.join("\n"))?;
    if let Some((options, defaults)) = crate::ruleset::rule_options(rule) {
        if !options.is_empty() || !defaults.is_empty() {
            writeln!(out, "\n{b}Options{r}")?;
        }
        for (key, value) in &options {
            writeln!(out, "  {key} = {}", visible(value))?;
        }
        if !defaults.is_empty() {
            writeln!(out, "  at their defaults: {}", defaults.join(", "))?;
        }
    }
    if let Some(check) = ruleset.check(id) {
        let fix = if rule.fix_safe {
            "suggests a replacement that is safe to apply"
        } else {
            "no unattended fix"
        };
        writeln!(out, "\n{b}Fix{r}\n{fix}")?;
        if !rule.examples.is_empty() {
            writeln!(out, "\n{b}Examples{r}")?;
        }
        for example in &rule.examples {
            let findings = example_findings(check, example);
            if let Some(source) = &example.source {
                writeln!(out, "  source:  {source:?}")?;
            }
            writeln!(out, "  text:    {:?}", example.text)?;
            if findings.is_empty() {
                writeln!(out, "  flagged: nothing")?;
            }
            for f in &findings {
                let suggestion = f
                    .suggestion
                    .as_ref()
                    .map(|s| format!(" → {s:?}"))
                    .unwrap_or_default();
                writeln!(
                    out,
                    "  flagged: {:?}{suggestion} — {}",
                    flagged(example, f),
                    visible(&f.message)
                )?;
            }
            writeln!(out)?;
        }
    }
    out.flush()?;
    Ok(exit::CLEAN)
}

/// `test-rules PATH…` tests the rules of those paths alone; without one,
/// the rules `check` would run (configuration and flags applied), so that a
/// project's own `rules = [...]` are tested where they are used.
fn test_rules(paths: &[std::path::PathBuf], args: &RuleArgs) -> io::Result<u8> {
    let ruleset = if paths.is_empty() {
        prepare(args, None).map(|(_, ruleset)| ruleset)
    } else {
        load_ruleset(&RuleSources {
            default_rules: false,
            extra: paths.to_vec(),
        })
    };
    let Some(ruleset) = ruleset else {
        return Ok(exit::ERROR);
    };
    let report = run_examples(&ruleset);
    let mut out = BufWriter::new(io::stdout().lock());
    for f in &report.failures {
        let (rule, source, message) = (visible(&f.rule), visible(&f.source), visible(&f.message));
        match f.example {
            0 => writeln!(out, "FAIL {rule} ({source}): {message}")?,
            n => writeln!(out, "FAIL {rule} ({source}) example {n}: {message}")?,
        }
    }
    let failed = report.failures.len();
    let failed_examples = report.failed_examples();
    let rule_problems = report.failures.iter().filter(|f| f.example == 0).count();
    let problems = match rule_problems {
        0 => String::new(),
        n => format!("; {n} rules without a flagging and a silent example"),
    };
    writeln!(
        out,
        "{} rules, {} examples: {} passed, {failed_examples} failed{problems}",
        report.rules,
        report.examples,
        report.examples - failed_examples,
    )?;
    out.flush()?;
    Ok(if failed == 0 {
        exit::CLEAN
    } else {
        exit::FINDINGS
    })
}
