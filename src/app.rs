//! What each subcommand does, from parsed arguments to an exit code. Problems
//! with files and rules are written to standard error here; reports go
//! through reporters.

use std::io::{self, BufWriter, IsTerminal, Write};
use std::path::{Path, PathBuf};
use std::sync::Mutex;
use std::sync::atomic::{AtomicBool, Ordering};

use crate::cli::{CheckArgs, Cli, Command, InputArgs, RuleArgs};
use crate::config::{CommandLine, Settings};
use crate::document::{InputFormat, InputOptions};
use crate::engine::{self, FileInput, Input, InputSettings, Problem};
use crate::examples::run_examples;
use crate::finding::Severity;
use crate::report::baseline::{Baseline, Recorder};
use crate::report::filter::{Filter, Policy, UNUSED_DISABLE};
use crate::report::visible::visible_display;
use crate::report::{self, Format, ReportOptions, Reporter, visible};
use crate::ruleset::{RuleSources, Ruleset};

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

/// Set by the first Ctrl-C (or SIGTERM): the run stops between files.
static INTERRUPTED: AtomicBool = AtomicBool::new(false);

/// The temporary report file, removed when a signal ends the process.
static TEMP_REPORT: Mutex<Option<PathBuf>> = Mutex::new(None);

/// How long the files being checked may take to finish after Ctrl-C before
/// the process quits without them.
const STOP_GRACE: std::time::Duration = std::time::Duration::from_secs(1);

/// Removes the temporary report, if any, and exits with 130 at once.
fn quit_now() -> ! {
    if let Some(temp) = TEMP_REPORT.lock().ok().and_then(|mut t| t.take()) {
        let _ = std::fs::remove_file(temp);
    }
    eprintln!("mtlint: stopped");
    std::process::exit(exit::INTERRUPTED.into());
}

/// Installs the handler for Ctrl-C, SIGTERM and SIGHUP (once per process; an
/// embedding program that has its own keeps it). The first signal asks the
/// run to stop between files; if the files being checked take longer than
/// [`STOP_GRACE`] (a huge file), or a second signal comes, the process
/// removes the temporary report and exits. Either way: exit code 130, and a
/// report given with `-o` is complete or untouched.
fn handle_interrupts() {
    let _ = ctrlc::set_handler(|| {
        if INTERRUPTED.swap(true, Ordering::SeqCst) {
            quit_now();
        }
        eprintln!("mtlint: interrupted: stopping");
        std::thread::spawn(|| {
            std::thread::sleep(STOP_GRACE);
            quit_now();
        });
    });
}

/// Writes `mtlint: {message}` as one line of standard error. Messages carry
/// file names, rule ids and record errors, which come from input: they are
/// shown through [`visible`], so that they cannot drive the terminal or start
/// a line of their own.
fn say(message: impl std::fmt::Display) {
    eprintln!("mtlint: {}", visible_display(message));
}

fn error(message: impl std::fmt::Display) {
    say(format_args!("error: {message}"));
}

fn note(message: impl std::fmt::Display) {
    say(format_args!("note: {message}"));
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

/// The rules `settings` selects, or `None` after reporting why.
fn load_rules(settings: &Settings) -> Option<Ruleset> {
    let sources = RuleSources {
        default_rules: !settings.no_default_rules,
        extra: settings.rules.clone(),
    };
    let mut ruleset = match Ruleset::load(&sources) {
        Ok(r) => r,
        Err(errors) => {
            for e in &errors {
                error(e);
            }
            return None;
        }
    };
    if let Err(e) = settings.validate(&ruleset) {
        error(e);
        return None;
    }
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
    if let Err(e) = selected {
        error(e);
        return None;
    }
    Some(ruleset)
}

/// Runs the parsed command line and returns the process exit code.
pub fn run(cli: Cli) -> u8 {
    let result = match cli.command {
        Command::Check(args) => check(&args),
        Command::Rules(args) => list_rules(&args),
        Command::Config(args) => show_config(&args),
        Command::Explain { id, rules } => explain(&id, &rules),
        Command::TestRules { paths } => test_rules(&paths),
    };
    match result {
        Ok(code) => code,
        // A closed pipe (`mtlint check … | head`) is not an error.
        Err(e) if e.kind() == io::ErrorKind::BrokenPipe => exit::CLEAN,
        Err(e) => {
            error(e);
            exit::ERROR
        }
    }
}

/// The file a report given with `-o` is written to: `path` itself, or, when
/// it is a symbolic link, the file the link leads to (followed link by
/// link, up to 40 as the kernel does), so that the report replaces the
/// target and the link stays a link.
fn report_target(path: &Path) -> io::Result<PathBuf> {
    let mut target = path.to_path_buf();
    for _ in 0..40 {
        match std::fs::symlink_metadata(&target) {
            Ok(m) if m.file_type().is_symlink() => {
                let next = std::fs::read_link(&target)?;
                target = match target.parent() {
                    Some(dir) if next.is_relative() => dir.join(next),
                    _ => next,
                };
            }
            // Not a link (or not there yet): the report goes here.
            _ => return Ok(target),
        }
    }
    Err(io::Error::new(
        io::ErrorKind::InvalidInput,
        format!("cannot write {}: too many symbolic links", path.display()),
    ))
}

/// What makes two paths one file: device and inode on Unix, so that hard
/// links, symbolic links and `./a.txt` for `a.txt` all match; elsewhere the
/// canonical path. `None` when the file is not there.
#[cfg(unix)]
fn file_identity(path: &Path) -> Option<(u64, u64)> {
    use std::os::unix::fs::MetadataExt;
    let m = std::fs::metadata(path).ok()?;
    Some((m.dev(), m.ino()))
}

/// See the Unix version.
#[cfg(not(unix))]
fn file_identity(path: &Path) -> Option<PathBuf> {
    std::fs::canonicalize(path).ok()
}

/// Keeps the report from eating its inputs: an error (to exit 2 with) when
/// `report`, the file `-o` writes, is one of the files given on the command
/// line; otherwise the report is dropped from `inputs` when a walked folder
/// holds it (the previous run's report is not checked).
fn keep_report_out(report: &Path, given: &[String], inputs: &mut Vec<Input>) -> Result<(), String> {
    let Some(report_id) = file_identity(report) else {
        // Not written yet: no input can be it.
        return Ok(());
    };
    for path in given.iter().filter(|p| *p != "-") {
        let path = Path::new(path);
        if !path.is_dir() && file_identity(path) == Some(report_id) {
            return Err(format!(
                "the report file {} is the input {}: refusing to replace it (choose another -o)",
                report.display(),
                path.display()
            ));
        }
    }
    inputs.retain(|input| match input {
        Input::File(path) => file_identity(path) != Some(report_id),
        Input::Stdin => true,
    });
    Ok(())
}

/// Where the report goes: standard output, or a temporary file beside the
/// destination that is renamed over it only once the report is complete.
enum Destination {
    Stdout,
    File {
        temp: tempfile::TempPath,
        dest: std::path::PathBuf,
    },
}

fn open_output(path: Option<&Path>) -> io::Result<(Box<dyn Write + Send>, Destination)> {
    let Some(dest) = path else {
        return Ok((
            Box::new(BufWriter::with_capacity(1 << 16, io::stdout())),
            Destination::Stdout,
        ));
    };
    let dir = match dest.parent() {
        Some(d) if !d.as_os_str().is_empty() => d,
        _ => Path::new("."),
    };
    let temp = tempfile::Builder::new()
        .prefix(".mtlint-")
        .suffix(".tmp")
        .tempfile_in(dir)
        .map_err(|e| io::Error::new(e.kind(), format!("cannot write {}: {e}", dest.display())))?;
    let (file, temp) = temp.into_parts();
    if let Ok(mut slot) = TEMP_REPORT.lock() {
        *slot = Some(temp.to_path_buf());
    }
    Ok((
        Box::new(BufWriter::with_capacity(1 << 16, file)),
        Destination::File {
            temp,
            dest: dest.to_path_buf(),
        },
    ))
}

fn check(args: &CheckArgs) -> io::Result<u8> {
    let Some(settings) = resolve_settings(&args.rules, args.fail_on) else {
        return Ok(exit::ERROR);
    };
    let mut globs = args.glob.clone();
    globs.extend(settings.include.iter().cloned());
    // Finding the inputs and compiling the rules do not depend on each
    // other: on a big tree each takes milliseconds, so they overlap.
    let (ruleset, (mut inputs, discovery_errors)) = std::thread::scope(|s| {
        let walk = s.spawn(|| engine::discover(&args.paths, &globs));
        let ruleset = load_rules(&settings);
        let found = walk
            .join()
            .unwrap_or_else(|panic| std::panic::resume_unwind(panic));
        (ruleset, found)
    });
    let Some(ruleset) = ruleset else {
        return Ok(exit::ERROR);
    };
    let cwd = std::env::current_dir()?;
    let policy = match policy(&settings, &ruleset, args, &cwd) {
        Ok(p) => p,
        Err(e) => {
            error(e);
            return Ok(exit::ERROR);
        }
    };
    let exclude = match settings.compile_exclude() {
        Ok(x) => x,
        Err(e) => {
            error(e);
            return Ok(exit::ERROR);
        }
    };
    let baseline = match args.baseline.as_deref().map(Baseline::load).transpose() {
        Ok(b) => b,
        Err(e) => {
            error(e);
            return Ok(exit::ERROR);
        }
    };
    let input = match input_settings(&settings, &args.input, &cwd) {
        Ok(i) => i,
        Err(e) => {
            error(e);
            return Ok(exit::ERROR);
        }
    };
    let recorder = args.write_baseline.as_ref().map(|_| Recorder::default());
    if let Some(exclude) = &exclude {
        inputs.retain(|input| match input {
            Input::Stdin => true,
            Input::File(p) => {
                let full = cwd.join(p);
                let rel = full.strip_prefix(&settings.exclude_base).unwrap_or(&full);
                !exclude.is_match(report::normalize_path(&rel.to_string_lossy()).as_str())
            }
        });
    }
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
    let target = args.output.as_deref().map(report_target).transpose()?;
    if let Some(target) = &target {
        if let Err(e) = keep_report_out(target, &args.paths, &mut inputs) {
            error(e);
            return Ok(exit::ERROR);
        }
    }
    handle_interrupts();
    let (out, destination) = open_output(target.as_deref())?;
    let options = ReportOptions {
        color: args.output.is_none()
            && args.format == Format::Text
            && io::stdout().is_terminal()
            && std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty()),
        base_dir: Some(cwd.clone()),
    };
    let inner: Box<dyn Reporter> = if args.csv_safe {
        Box::new(report::CsvReporter::formula_safe(out)?)
    } else {
        report::reporter(args.format, out, &options)?
    };
    let mut filter = Filter::new(inner, policy, baseline, recorder);
    let rules: Vec<_> = ruleset.rules().cloned().collect();
    // Errors shown so far, for the exit code of a run whose reader left.
    let mut errors_shown = 0usize;
    let mut show_problem = |path: &str, problem: &Problem| match problem {
        Problem::Unreadable(e) => {
            errors_shown += 1;
            error(format_args!("{path}: cannot read: {e}"));
        }
        Problem::Binary => note(format_args!("{path}: binary file skipped")),
        Problem::Record { line, message } => {
            errors_shown += 1;
            error(format_args!("{path}:{line}: {message}"));
        }
        Problem::Skipped(why) => note(format_args!("{path}: {why}; skipped")),
        Problem::Panicked(what) => {
            errors_shown += 1;
            error(format_args!(
                "{path}: internal error while checking this file (please report it with the file): {what}"
            ));
        }
        Problem::Truncated(rule) => note(format_args!(
            "{path}: rule `{rule}` reported more than {} findings; the rest were dropped",
            engine::MAX_FINDINGS_PER_RULE
        )),
    };
    let run = filter.start(&rules).and_then(|()| {
        engine::run_until(
            &ruleset,
            &inputs,
            &input,
            jobs,
            &mut filter,
            &mut show_problem,
            &INTERRUPTED,
        )
    });
    let summary = match run {
        Ok(summary) => summary,
        // The reader of standard output left (`mtlint check … | head -1`):
        // nothing more can be shown, and nothing is said about the pipe,
        // but the exit code still tells what was found before it closed.
        Err(e) if e.kind() == io::ErrorKind::BrokenPipe => {
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
    if summary.interrupted {
        drop(filter);
        let kept = match &destination {
            Destination::File { dest, .. } if dest.exists() => {
                format!("; {} was left as it was", dest.display())
            }
            Destination::File { .. } => "; no report was written".to_string(),
            Destination::Stdout => String::new(),
        };
        say(format_args!("stopped{kept}"));
        // Dropping the destination removes the temporary file.
        drop(destination);
        return Ok(exit::INTERRUPTED);
    }
    let outcome = filter.into_outcome();
    if let Destination::File { temp, dest } = destination {
        // Held across the rename, so that a signal now waits for it: the
        // report is then complete, never half there.
        let mut slot = TEMP_REPORT.lock().unwrap_or_else(|e| e.into_inner());
        temp.persist(&dest).map_err(|e| {
            io::Error::new(
                e.error.kind(),
                format!("cannot write {}: {}", dest.display(), e.error),
            )
        })?;
        *slot = None;
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
    if summary.unreadable > 0 || summary.bad_records > 0 || !discovery_errors.is_empty() {
        return Ok(exit::ERROR);
    }
    if let (Some(recorder), Some(dest)) = (&outcome.recorder, &args.write_baseline) {
        if let Err(e) = recorder.write(dest) {
            error(e);
            return Ok(exit::ERROR);
        }
        note(format_args!(
            "wrote {} findings to the baseline {}",
            recorder.len(),
            dest.display()
        ));
        return Ok(exit::CLEAN);
    }
    if !args.exit_zero && outcome.at_least(settings.fail_on) > 0 {
        return Ok(exit::FINDINGS);
    }
    Ok(exit::CLEAN)
}

/// Keys of the `[input]` table of mtlint.toml (and of its `[[input.files]]`
/// entries, which add `paths`).
const INPUT_KEYS: &[&str] = &[
    "format",
    "text-field",
    "id-field",
    "source-field",
    "text-column",
    "id-column",
    "source-column",
    "files",
];

/// Lays the keys of an `[input]` table or `[[input.files]]` entry over `options`.
fn apply_input_keys(
    options: &mut InputOptions,
    table: &toml::Table,
    skip: &[&str],
) -> Result<(), String> {
    for (key, value) in table {
        if skip.contains(&key.as_str()) {
            continue;
        }
        if !INPUT_KEYS.contains(&key.as_str()) || key == "files" {
            let valid: Vec<&str> = INPUT_KEYS
                .iter()
                .copied()
                .filter(|k| *k != "files")
                .collect();
            let hint = crate::ruleset::did_you_mean(key, valid.iter().copied())
                .map(|c| format!(" (did you mean `{c}`?)"))
                .unwrap_or_default();
            return Err(format!(
                "mtlint.toml: unknown key `{key}` in [input]{hint}; valid: {}",
                valid.join(", ")
            ));
        }
        let Some(text) = value.as_str() else {
            return Err(format!("mtlint.toml: `{key}` in [input] must be a string"));
        };
        let text = text.to_string();
        match key.as_str() {
            "format" => {
                options.format = Some(
                    <InputFormat as clap::ValueEnum>::from_str(&text, true).map_err(|_| {
                        format!("mtlint.toml: unknown input format `{text}` in [input]")
                    })?,
                );
            }
            "text-field" => options.text_field = text,
            "id-field" => options.id_field = Some(text),
            "source-field" => options.source_field = Some(text),
            "text-column" => options.text_column = text,
            "id-column" => options.id_column = Some(text),
            _ => options.source_column = Some(text),
        }
    }
    Ok(())
}

/// Lays the input flags of the command line over `options`.
fn apply_input_args(options: &mut InputOptions, args: &InputArgs) {
    if args.input_format.is_some() {
        options.format = args.input_format;
    }
    if let Some(v) = &args.text_field {
        options.text_field.clone_from(v);
    }
    if let Some(v) = &args.text_column {
        options.text_column.clone_from(v);
    }
    for (flag, slot) in [
        (&args.id_field, &mut options.id_field),
        (&args.source_field, &mut options.source_field),
        (&args.id_column, &mut options.id_column),
        (&args.source_column, &mut options.source_column),
    ] {
        if flag.is_some() {
            slot.clone_from(flag);
        }
    }
}

/// The `[[input.files]]` entries of the configuration file that has them
/// last (the highest precedence, as for every `[input]` key), with that
/// file's folder, which their globs are relative to.
fn input_files(
    settings: &Settings,
) -> Result<Option<(std::path::PathBuf, toml::value::Array)>, String> {
    if !settings.input.contains_key("files") {
        return Ok(None);
    }
    let mut found = None;
    for file in &settings.files {
        let text = std::fs::read_to_string(file).map_err(|e| format!("{}: {e}", file.display()))?;
        let table: toml::Table = text
            .parse()
            .map_err(|e| format!("{}: {e}", file.display()))?;
        let files = table
            .get("input")
            .and_then(|i| i.get("files"))
            .and_then(|f| f.as_array());
        if let Some(files) = files {
            let base = file.parent().map(Path::to_path_buf).unwrap_or_default();
            found = Some((base, files.clone()));
        }
    }
    Ok(found)
}

/// How to read files: `[input]` from the configuration (and its
/// `[[input.files]]` entries for some paths), overridden by flags.
fn input_settings(
    settings: &Settings,
    args: &InputArgs,
    cwd: &Path,
) -> Result<InputSettings, String> {
    let mut options = InputOptions::default();
    apply_input_keys(&mut options, &settings.input, &["files"])?;
    let mut files = Vec::new();
    let mut base = cwd.to_path_buf();
    if let Some((folder, entries)) = input_files(settings)? {
        base = cwd.join(folder);
        for entry in entries {
            let Some(table) = entry.as_table() else {
                return Err("mtlint.toml: each [[input.files]] entry must be a table".into());
            };
            let paths: Vec<String> = table
                .get("paths")
                .and_then(|p| p.as_array())
                .map(|a| {
                    a.iter()
                        .filter_map(|v| v.as_str().map(String::from))
                        .collect()
                })
                .unwrap_or_default();
            if paths.is_empty() {
                return Err(
                    "mtlint.toml: an [[input.files]] entry needs `paths`, a list of globs".into(),
                );
            }
            let mut set = globset::GlobSetBuilder::new();
            for p in &paths {
                let glob = globset::Glob::new(p).map_err(|e| {
                    format!("mtlint.toml: invalid glob `{p}` in [[input.files]]: {e}")
                })?;
                set.add(glob);
            }
            let paths = set
                .build()
                .map_err(|e| format!("mtlint.toml: invalid globs in [[input.files]]: {e}"))?;
            let mut entry_options = options.clone();
            apply_input_keys(&mut entry_options, table, &["paths"])?;
            apply_input_args(&mut entry_options, args);
            files.push(FileInput {
                paths,
                options: entry_options,
            });
        }
    }
    apply_input_args(&mut options, args);
    Ok(InputSettings {
        default: options,
        files,
        base,
        cwd: cwd.to_path_buf(),
    })
}

/// What the filtering reporter needs from the configuration and flags.
fn policy(
    settings: &Settings,
    ruleset: &Ruleset,
    args: &CheckArgs,
    cwd: &Path,
) -> Result<Policy, crate::config::ConfigError> {
    Ok(Policy {
        severity: settings
            .severity
            .iter()
            .map(|(k, (s, _))| (k.clone(), *s))
            .collect(),
        overrides: settings.compile_overrides()?,
        report_unused_disables: args.report_unused_disables && {
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

fn list_rules(args: &RuleArgs) -> io::Result<u8> {
    let Some((_, ruleset)) = prepare(args, None) else {
        return Ok(exit::ERROR);
    };
    let mut out = BufWriter::new(io::stdout().lock());
    // Rule files are input too: every field is shown through `visible`.
    let rules: Vec<[String; 5]> = ruleset
        .rules()
        .map(|r| {
            [&r.id, r.kind, &r.category, r.severity.as_str(), &r.summary]
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
    out.flush()?;
    Ok(exit::CLEAN)
}

fn explain(id: &str, args: &RuleArgs) -> io::Result<u8> {
    let Some((_, ruleset)) = prepare(args, None) else {
        return Ok(exit::ERROR);
    };
    let Some(rule) = ruleset.get(id) else {
        let hint = crate::ruleset::did_you_mean(id, ruleset.rules().map(|r| r.id.as_str()))
            .map(|c| format!(" (did you mean `{c}`?)"))
            .unwrap_or_default();
        error(format_args!(
            "no rule `{id}`{hint}; `mtlint rules` lists them"
        ));
        return Ok(exit::ERROR);
    };
    let mut out = BufWriter::new(io::stdout().lock());
    let bold = io::stdout().is_terminal() && std::env::var_os("NO_COLOR").is_none();
    let (b, r) = if bold {
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
    let why: Vec<_> = rule.why.trim().lines().map(visible).collect();
    writeln!(out, "\n{b}Why{r}\n{}", why.join("\n"))?;
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
            let doc = match &example.source {
                Some(source) => {
                    crate::document::Document::bilingual(&example.text, source.as_str())
                }
                None => crate::document::Document::plain(&example.text),
            };
            let mut findings = Vec::new();
            check.check(&doc, &mut findings);
            findings.sort_by(|a, b| a.sort_key().cmp(&b.sort_key()));
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
                    &example.text[f.span.clone()],
                    visible(&f.message)
                )?;
            }
            writeln!(out)?;
        }
    }
    out.flush()?;
    Ok(exit::CLEAN)
}

fn test_rules(paths: &[std::path::PathBuf]) -> io::Result<u8> {
    let sources = RuleSources {
        default_rules: paths.is_empty(),
        extra: paths.to_vec(),
    };
    let ruleset = match Ruleset::load(&sources) {
        Ok(r) => r,
        Err(errors) => {
            for e in &errors {
                error(e);
            }
            return Ok(exit::ERROR);
        }
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
