//! The command line, as the user typed it (clap derive). Knows nothing of the
//! configuration file's contents, the engine or what a command does: of the
//! rest of the crate it names only input formats, severities, languages,
//! output formats, and the engine's shard and stream origin (parsed values).

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand};

use crate::document::InputFormat;
use crate::finding::Severity;
use crate::language::{self, Language};
use crate::report::Format;

/// Audits machine-translated text for translation artifacts.
#[derive(Debug, Parser)]
#[command(name = "mtlint", version, about, propagate_version = true)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Check files and folders for translation artifacts.
    Check(Box<CheckArgs>),
    /// List the loaded rules.
    Rules(RulesArgs),
    /// Show a rule's documentation and examples.
    Explain {
        /// The rule id.
        id: String,
        #[command(flatten)]
        rules: RuleArgs,
    },
    /// Print the effective configuration (mtlint.toml files merged with flags).
    Config(RuleArgs),
    /// Run the examples embedded in rule files and report failures.
    TestRules {
        /// Rule files or folders to test [default: the rules `check` would
        /// run: the embedded pack and `rules` of mtlint.toml, `--rules`,
        /// with `select`/`ignore` applied].
        paths: Vec<PathBuf>,
        #[command(flatten)]
        rules: RuleArgs,
    },
    /// Find boilerplate that recurs across the documents of a group, and
    /// write it as phrase rules for review.
    #[command(long_about = MINE_ABOUT)]
    Mine(Box<MineArgs>),
    /// Run a language server (LSP) over standard input and output, for
    /// editors: diagnostics as you type, quick fixes, suppressions.
    Server(ServerArgs),
}

const MINE_ABOUT: &str = "\
Find boilerplate that recurs across the documents of a group (a site's \
licence nag, a share widget, its own disclaimer), and write it as phrase rules \
for review.

What counts: a whole line of a document's text (a JSON Lines field or CSV \
cell of one line is a whole line), or one of the first two sentences of its \
first line or the last two sentences of its last line. Never a run of words \
inside prose: \"said on Monday\" or a dateline that opens a sentence is part \
of a longer line that differs from article to article. Lines are compared with \
decoration at both ends (bullets, », |, :, a final .) dropped, white space \
runs made one and ASCII case ignored. Not counted: units longer than 300 \
bytes, units with fewer than three letters, datelines (BERLIN, LONDON, May 3 \
-), agency credits ((Reuters) -, AFP) and bylines (By Jane Doe, Reporting by \
…).

A text is a candidate in a group when at least --min-docs documents of the \
group, and at least --min-share of them, hold it. Each row sums the groups \
where it is a candidate: documents, their share of those groups' documents, \
the number of groups, where it stands (start, end: in most of its documents; \
line: a whole line elsewhere), and the first document that holds it.

Memory is bounded: units are counted by a 64-bit hash, at most --max-entries \
of them; past that the rarest are dropped and the run says that counts are \
lower bounds.";

/// How boilerplate is mined (`mtlint mine`).
#[derive(Debug, Args)]
pub struct MineArgs {
    /// Files and folders to read (as `check` walks them); `-` reads
    /// standard input [default: .].
    pub paths: Vec<String>,
    /// The group documents are compared within: path (the file), dir
    /// (first folder under the path given; files directly in it form the
    /// group `.`), field:NAME, host, feed, language [default: dir].
    #[arg(long, value_name = "KEY", value_parser = parse_group_by)]
    pub group_by: Option<crate::group::GroupBy>,
    /// Fewest documents of a group that must hold a text.
    #[arg(long, value_name = "N", default_value_t = 5, value_parser = clap::value_parser!(u32).range(1..))]
    pub min_docs: u32,
    /// Smallest share (0 to 1) of a group's documents that must hold a text.
    #[arg(long, value_name = "SHARE", default_value_t = 0.2, value_parser = parse_share)]
    pub min_share: f64,
    /// Most candidates shown and written.
    #[arg(long, value_name = "N", default_value_t = 100)]
    pub limit: usize,
    /// Most distinct (group, text) entries counted at once; past it the
    /// rarest are dropped.
    #[arg(long, value_name = "N", default_value_t = 2_000_000, value_parser = clap::value_parser!(u64).range(1024..))]
    pub max_entries: u64,
    /// Output format.
    #[arg(long, value_enum, default_value = "text")]
    pub format: crate::mine::output::MineFormat,
    /// Write each candidate as a phrase rule file under DIR
    /// (DIR/common/boilerplate/<id>.toml), with examples from the corpus;
    /// existing files are not overwritten.
    #[arg(long, value_name = "DIR")]
    pub write_rules: Option<PathBuf>,
    /// Include (or with a leading `!`, exclude) walked files by glob (repeatable).
    #[arg(long, short = 'g', value_name = "GLOB")]
    pub glob: Vec<String>,
    /// Number of threads (default: all cores).
    #[arg(long, short = 'j', value_name = "N")]
    pub jobs: Option<usize>,
    /// Read this configuration file (over any discovered mtlint.toml):
    /// its `include`, `exclude` and `[input]` apply.
    #[arg(long, value_name = "PATH")]
    pub config: Option<PathBuf>,
    /// Read no configuration file at all.
    #[arg(long, conflicts_with = "config")]
    pub isolated: bool,
    /// Say how each file was read, on standard error.
    #[arg(long, short = 'v')]
    pub verbose: bool,
    #[command(flatten)]
    pub input: InputArgs,
}

fn parse_share(s: &str) -> Result<f64, String> {
    match s.parse::<f64>() {
        Ok(v) if (0.0..=1.0).contains(&v) => Ok(v),
        _ => Err(format!("`{s}` is not a share between 0 and 1 (e.g. 0.2)")),
    }
}

/// `mtlint server`: the rules of each document come from the mtlint.toml
/// found from its folder upward, under these flags.
#[derive(Debug, Args, Clone, Default)]
pub struct ServerArgs {
    #[command(flatten)]
    pub rules: RuleArgs,
    /// Talk over standard input and output (the only transport; accepted
    /// because some editor clients always pass it).
    #[arg(long, hide = true)]
    pub stdio: bool,
}

/// Which rules to load and run.
#[derive(Debug, Args, Clone, Default)]
pub struct RuleArgs {
    /// Extra rule file or folder of rule files (repeatable).
    #[arg(long = "rules", value_name = "PATH")]
    pub rules: Vec<PathBuf>,
    /// Do not load the embedded default rules.
    #[arg(long)]
    pub no_default_rules: bool,
    /// Only run these rules or categories (repeatable, comma-separated).
    #[arg(long, value_delimiter = ',', value_name = "RULE|CATEGORY")]
    pub select: Vec<String>,
    /// Do not run these rules or categories (repeatable, comma-separated).
    #[arg(long, value_delimiter = ',', value_name = "RULE|CATEGORY")]
    pub ignore: Vec<String>,
    /// Read this configuration file (over any discovered mtlint.toml).
    #[arg(long, value_name = "PATH")]
    pub config: Option<PathBuf>,
    /// Read no configuration file at all.
    #[arg(long, conflicts_with = "config")]
    pub isolated: bool,
}

/// `mtlint rules`: which rules to list.
#[derive(Debug, Args, Clone, Default)]
pub struct RulesArgs {
    #[command(flatten)]
    pub rules: RuleArgs,
    /// Only the rules that run on documents in this language (an ISO 639
    /// code such as `de`).
    #[arg(long, value_name = "CODE", value_parser = language::parse_code)]
    pub language: Option<Language>,
}

#[derive(Debug, Args)]
pub struct CheckArgs {
    /// Files and folders to check; `-` reads standard input [default:
    /// standard input when it is a pipe or a file, else `.`].
    pub paths: Vec<String>,
    /// Read standard input as a file of this name: its format, `[[input.files]]`,
    /// `exclude` and `[[overrides]]` follow the name, and reports show it.
    #[arg(long, value_name = "NAME")]
    pub stdin_filename: Option<std::path::PathBuf>,
    /// Check files named on the command line only when walking would:
    /// `include`/`--glob` (else a prose extension) and `exclude` apply to
    /// them too (for pre-commit hooks, which name every staged file).
    #[arg(long)]
    pub force_exclude: bool,
    #[command(flatten)]
    pub rules: RuleArgs,
    /// Include (or with a leading `!`, exclude) walked files by glob (repeatable).
    #[arg(long, short = 'g', value_name = "GLOB")]
    pub glob: Vec<String>,
    /// Output format.
    #[arg(long, value_enum, default_value = "csv")]
    pub format: Format,
    /// Colour the text format: `auto` on a terminal unless NO_COLOR is set,
    /// `always` (CI logs that render ANSI; wins over NO_COLOR), `never`.
    #[arg(long, value_enum, value_name = "WHEN", default_value = "auto")]
    pub color: ColorChoice,
    /// Say more on standard error: how each file was read (which part of an
    /// HTML page was checked), and end with a line of counts even when it is
    /// not a terminal (files, records and words checked; files skipped and why).
    #[arg(long, short = 'v')]
    pub verbose: bool,
    /// Write the report to FILE (atomically) instead of standard output.
    #[arg(long, short = 'o', value_name = "FILE")]
    pub output: Option<PathBuf>,
    /// Number of threads (default: all cores).
    #[arg(long, short = 'j', value_name = "N")]
    pub jobs: Option<usize>,
    /// Check only shard I of N (1-based): the inputs whose path as reported
    /// (or, for records streamed on standard input, the records whose id)
    /// hashes to I — FNV-1a 64 of its bytes, modulo N, plus one. N runs given
    /// I = 1..N check everything exactly once between them.
    #[arg(long, value_name = "I/N")]
    pub shard: Option<crate::engine::Shard>,
    /// Standard input is a slice of the file named by `--stdin-filename`
    /// (JSON Lines) starting at this 1-based line and byte offset: reported
    /// lines, byte offsets and line-number record ids are the whole file's.
    #[arg(long, value_name = "LINE:BYTE")]
    pub stream_origin: Option<crate::engine::Origin>,
    /// With --format jsonl: a first line with the audit's settings (`"kind":
    /// "audit"`: group-by, score weights) and, after each file's findings (or
    /// each streamed chunk's), a line per document checked (`"kind":
    /// "document"`: path, record, group, day, words, findings per severity,
    /// score), for summing the audit elsewhere. Finding lines are unchanged.
    #[arg(long)]
    pub jsonl_documents: bool,
    /// Exit with 1 when there are findings at or above this severity
    /// [default: `fail-on` in mtlint.toml, else warning].
    #[arg(long, value_enum)]
    pub fail_on: Option<Severity>,
    /// Exit 0 even with findings (errors still exit 2).
    #[arg(long)]
    pub exit_zero: bool,
    /// CSV for spreadsheets: quote every cell, and put a `'` before every
    /// piece of a cell that starts (after any spaces) with =, +, -, @, a tab or
    /// a carriage return, a piece being the whole cell or what follows a
    /// comma, semicolon, tab, pipe or line break (a spreadsheet may split on
    /// any of them); so no formula is evaluated. Such cells are then no longer
    /// the exact text.
    #[arg(long)]
    pub csv_safe: bool,
    /// Report suppression comments that suppress nothing (rule `unused-disable`).
    #[arg(long)]
    pub report_unused_disables: bool,
    /// Report only findings not recorded in this baseline file.
    #[arg(long, value_name = "FILE")]
    pub baseline: Option<PathBuf>,
    /// Record the current findings in FILE as the baseline (exits 0 unless errors).
    #[arg(long, value_name = "FILE")]
    pub write_baseline: Option<PathBuf>,
    /// With --baseline: list baseline entries that no longer match, on standard error.
    #[arg(long, requires = "baseline")]
    pub list_stale: bool,
    /// Apply safe fixes in place (standard input: write the fixed text to
    /// standard output, the report to standard error); the report lists
    /// what remains.
    #[arg(long)]
    pub fix: bool,
    /// With --fix or --diff: apply unsafe fixes too.
    #[arg(long)]
    pub unsafe_fixes: bool,
    /// Print a unified diff of what --fix would change, and change nothing
    /// (exit 1 when something would change, 0 when not).
    #[arg(long)]
    pub diff: bool,
    #[command(flatten)]
    pub input: InputArgs,
    #[command(flatten)]
    pub audit: AuditArgs,
    /// No progress bar and no closing line of counts on standard error
    /// (errors, notes and warnings are still shown).
    #[arg(long, conflicts_with = "verbose")]
    pub quiet: bool,
}

/// How documents are grouped and dated in reports (summary, json, jsonl, html).
#[derive(Debug, Args, Clone, Default)]
pub struct AuditArgs {
    /// The audit unit: path (the file), dir (first folder under the path
    /// given), field:NAME (a JSON Lines field, CSV column or feed item
    /// element), host (of the record's url or link), feed (the RSS/Atom
    /// channel title), language (the document's) [default: path].
    #[arg(long, value_name = "KEY", value_parser = parse_group_by)]
    pub group_by: Option<crate::group::GroupBy>,
    /// The record field or column holding its date, for trends (ISO 8601 or
    /// RFC 2822) [default: a feed item's pubDate/updated; none otherwise].
    #[arg(long, value_name = "NAME")]
    pub date_field: Option<String>,
}

fn parse_group_by(s: &str) -> Result<crate::group::GroupBy, String> {
    s.parse()
        .map_err(|e: crate::group::BadGroupBy| e.to_string())
}

/// When the text report is coloured.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, clap::ValueEnum)]
pub enum ColorChoice {
    /// On a terminal, unless `NO_COLOR` is set to something.
    #[default]
    Auto,
    /// Always, wherever the report goes.
    Always,
    /// Never.
    Never,
}

/// How files are read (over `[input]` in mtlint.toml).
#[derive(Debug, Args, Clone, Default)]
pub struct InputArgs {
    /// Read every file as this format [default: by extension].
    #[arg(long, value_enum, value_name = "FORMAT")]
    pub input_format: Option<InputFormat>,
    /// JSON Lines: dotted path of a field to check (repeatable: each field
    /// is a segment of its own) [default: text].
    #[arg(long, value_name = "PATH")]
    pub text_field: Vec<String>,
    /// JSON Lines: dotted path of the record id [default: the first of id,
    /// guid, url, link the record has, else the line number].
    #[arg(long, value_name = "PATH")]
    pub id_field: Option<String>,
    /// JSON Lines: dotted path of the source text, for source↔target rules.
    #[arg(long, value_name = "PATH")]
    pub source_field: Option<String>,
    /// CSV/TSV: header of a column to check (repeatable: each column is a
    /// segment of its own) [default: text].
    #[arg(long, value_name = "NAME")]
    pub text_column: Vec<String>,
    /// CSV/TSV: header of the record id column [default: the first of id,
    /// guid, url, link the header has, else the line number].
    #[arg(long, value_name = "NAME")]
    pub id_column: Option<String>,
    /// CSV/TSV: header of the source column, for source↔target rules.
    #[arg(long, value_name = "NAME")]
    pub source_column: Option<String>,
    /// HTML: the part of a page to check: `auto` (the `<article>` elements
    /// if any, else `<main>`, else the whole page), `article`, `main`, or
    /// `body` (the whole page, navigation and footer included).
    #[arg(long, value_enum, value_name = "PART")]
    pub html_content: Option<crate::document::HtmlContent>,
    /// The encoding of files that are not UTF-8 (a WHATWG label:
    /// windows-1252, latin1, iso-8859-2, shift_jis, utf-16le, …); positions
    /// in reports still count the file's own bytes.
    #[arg(long, value_name = "LABEL")]
    pub encoding: Option<String>,
    /// The language of every document (an ISO 639 code such as `de`), or
    /// `auto`: what an XLIFF or PO file declares, else detected per document
    /// [default: `language` in mtlint.toml, else auto].
    #[arg(long, value_name = "CODE", value_parser = language::Setting::parse)]
    pub language: Option<language::Setting>,
    /// The language of a document whose language is not declared and cannot
    /// be detected (too short, too mixed) [default: `default-language` in
    /// mtlint.toml, else en].
    #[arg(long, value_name = "CODE", value_parser = language::parse_code)]
    pub default_language: Option<Language>,
}
