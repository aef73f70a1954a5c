//! `mtlint.toml`: the configuration file, discovered from the working folder
//! upward (or named with `--config`), validated strictly (unknown keys are
//! errors with a "did you mean" hint and file:line:column), and merged with
//! the command line. Precedence: command line > `--config` > discovered.
//! Every table is read here, `[input]` too, into typed settings; it knows
//! nothing of how a run uses them (the engine, reporters, the terminal).

use std::collections::{BTreeMap, BTreeSet};
use std::ops::Range;
use std::path::{Path, PathBuf};

use clap::ValueEnum;
use globset::{Glob, GlobSet, GlobSetBuilder};
use serde::{Deserialize, Serialize};
use toml::Spanned;

pub use crate::diagnostics::ConfigError;
use crate::diagnostics::{hint, line_column, unknown_key, unknown_rule_or_category};
use crate::document::{HtmlContent, InputFormat};
use crate::finding::Severity;
use crate::language::{self, Language};
use crate::report::audit::Weights;
use crate::report::filter::PathOverride;
use crate::ruleset::Ruleset;

/// The file name looked for in the working folder and its ancestors.
pub const FILE_NAME: &str = "mtlint.toml";

/// Largest configuration file read, in bytes.
const MAX_CONFIG_BYTES: u64 = 1 << 20;

/// Keys of the top-level table.
const TOP_KEYS: &[&str] = &[
    "rules",
    "select",
    "ignore",
    "severity",
    "include",
    "exclude",
    "overrides",
    "input",
    "fail-on",
    "score",
    "language",
    "default-language",
];

/// Keys of the `[score]` table.
const SCORE_KEYS: &[&str] = &["error", "warning", "info", "min-words"];

/// Keys of an `[[overrides]]` table.
const OVERRIDE_KEYS: &[&str] = &["paths", "select", "ignore", "severity", "language"];

/// The input-format keys, in `[input]` and in each `[[input.files]]` entry;
/// `[input]` adds `files`, an entry `paths`.
const INPUT_KEYS: &[&str] = &[
    "format",
    "text-field",
    "id-field",
    "source-field",
    "text-column",
    "id-column",
    "source-column",
    "encoding",
    "html-content",
];

/// Where a setting came from, to point at it in errors.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Origin {
    /// The configuration file; `command line` for flags.
    pub file: String,
    /// 1-based line and column, when known.
    pub position: Option<(usize, usize)>,
}

impl Origin {
    fn command_line() -> Self {
        Origin {
            file: "command line".into(),
            position: None,
        }
    }

    fn error(&self, message: String) -> ConfigError {
        ConfigError {
            file: self.file.clone(),
            line: self.position.map(|p| p.0),
            column: self.position.map(|p| p.1),
            message,
        }
    }
}

/// A rule id or category named in the configuration, with where.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Named {
    /// The name as written.
    pub name: String,
    /// Where it was written.
    pub origin: Origin,
}

/// The text of a configuration file, for turning spans into positions.
struct Source<'a> {
    file: &'a str,
    src: &'a str,
}

impl Source<'_> {
    fn origin(&self, span: Option<Range<usize>>) -> Origin {
        let position = span.map(|span| line_column(self.src, span.start));
        Origin {
            file: self.file.to_string(),
            position,
        }
    }

    fn error(&self, span: Option<Range<usize>>, message: String) -> ConfigError {
        self.origin(span).error(message)
    }

    fn named(&self, list: Vec<Spanned<String>>) -> Vec<Named> {
        list.into_iter()
            .map(|s| Named {
                origin: self.origin(Some(s.span())),
                name: s.into_inner(),
            })
            .collect()
    }

    /// The `paths` of an entry (`what`, at `span`), which must name some.
    fn paths(
        &self,
        span: Range<usize>,
        paths: Vec<Spanned<String>>,
        what: &str,
    ) -> Result<Vec<Named>, ConfigError> {
        if paths.is_empty() {
            return Err(self.error(
                Some(span),
                format!("an {what} entry needs `paths`, a list of globs"),
            ));
        }
        Ok(self.named(paths))
    }

    /// `auto` or a language code, as written at its span.
    fn language_setting(&self, value: &Spanned<String>) -> Result<language::Setting, ConfigError> {
        language::Setting::parse(value.get_ref()).map_err(|e| self.error(Some(value.span()), e))
    }

    fn severities(
        &self,
        map: BTreeMap<String, Spanned<Severity>>,
    ) -> BTreeMap<String, (Severity, Origin)> {
        map.into_iter()
            .map(|(k, v)| {
                let origin = self.origin(Some(v.span()));
                (k, (v.into_inner(), origin))
            })
            .collect()
    }
}

#[derive(Deserialize)]
#[serde(rename_all = "kebab-case")]
struct FileSpec {
    #[serde(default)]
    rules: Vec<String>,
    select: Option<Vec<Spanned<String>>>,
    ignore: Option<Vec<Spanned<String>>>,
    #[serde(default)]
    severity: BTreeMap<String, Spanned<Severity>>,
    include: Option<Vec<String>>,
    exclude: Option<Vec<Spanned<String>>>,
    #[serde(default)]
    overrides: Vec<Spanned<OverrideSpec>>,
    #[serde(default)]
    input: InputSpec,
    fail_on: Option<Severity>,
    score: Option<ScoreSpec>,
    language: Option<Spanned<String>>,
    default_language: Option<Spanned<String>>,
}

/// `[score]`: the weights of a document's score.
#[derive(Deserialize)]
#[serde(rename_all = "kebab-case")]
struct ScoreSpec {
    error: Option<Spanned<f64>>,
    warning: Option<Spanned<f64>>,
    info: Option<Spanned<f64>>,
    min_words: Option<usize>,
}

/// One name, or a list of them (`text-field = "text"` or `["title", "text"]`).
#[derive(Deserialize)]
#[serde(untagged, expecting = "a string or a list of strings")]
enum OneOrMany {
    One(String),
    Many(Vec<String>),
}

/// `[input]`, and each of its `[[input.files]]` entries: the same keys but
/// `files` (only in `[input]`) and `paths` (only in an entry), which
/// [`check_keys`] keeps apart before this is read.
#[derive(Default, Deserialize)]
#[serde(rename_all = "kebab-case", expecting = "a map")]
struct InputSpec {
    format: Option<Spanned<String>>,
    text_field: Option<Spanned<OneOrMany>>,
    id_field: Option<String>,
    source_field: Option<String>,
    text_column: Option<Spanned<OneOrMany>>,
    id_column: Option<String>,
    source_column: Option<String>,
    encoding: Option<Spanned<String>>,
    html_content: Option<Spanned<String>>,
    #[serde(default)]
    paths: Vec<Spanned<String>>,
    files: Option<Vec<Spanned<InputSpec>>>,
}

#[derive(Deserialize)]
struct OverrideSpec {
    paths: Vec<Spanned<String>>,
    #[serde(default)]
    select: Vec<Spanned<String>>,
    #[serde(default)]
    ignore: Vec<Spanned<String>>,
    #[serde(default)]
    severity: BTreeMap<String, Spanned<Severity>>,
    language: Option<Spanned<String>>,
}

/// One `[[overrides]]` entry, with its globs relative to `base`.
#[derive(Clone, Debug)]
pub struct OverrideSettings {
    /// The folder of the configuration file that holds it.
    pub base: PathBuf,
    /// Globs of the paths it applies to.
    pub paths: Vec<Named>,
    /// Only these rules or categories there (when not empty).
    pub select: Vec<Named>,
    /// Not these rules or categories there.
    pub ignore: Vec<Named>,
    /// Severity by rule id or category there.
    pub severity: BTreeMap<String, (Severity, Origin)>,
    /// The language of documents there (`auto` or a code), when set.
    pub language: Option<language::Setting>,
}

/// The input-format keys of `[input]` or of an `[[input.files]]` entry
/// (`--input-format`, `--text-field` and the others in a file); `None` where
/// not written.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct InputKeys {
    /// `format`: the format, and the name as written (shown by `mtlint config`).
    pub format: Option<(InputFormat, String)>,
    /// `text-field`: one field or several, in order.
    pub text_field: Option<Vec<String>>,
    /// `id-field`.
    pub id_field: Option<String>,
    /// `source-field`.
    pub source_field: Option<String>,
    /// `text-column`: one column or several, in order.
    pub text_column: Option<Vec<String>>,
    /// `id-column`.
    pub id_column: Option<String>,
    /// `source-column`.
    pub source_column: Option<String>,
    /// `encoding`: the encoding, and the label as written.
    pub encoding: Option<(&'static crate::document::Encoding, String)>,
    /// `html-content`: the part of an HTML page checked, and the name as written.
    pub html_content: Option<(HtmlContent, String)>,
}

impl InputKeys {
    /// The keys of `spec`; `what` names its table in errors.
    fn read(source: &Source<'_>, spec: &InputSpec, what: &str) -> Result<Self, ConfigError> {
        let format = match &spec.format {
            None => None,
            Some(name) => {
                let written = name.get_ref();
                let format = InputFormat::from_str(written, true).map_err(|_| {
                    let valid: Vec<String> = InputFormat::value_variants()
                        .iter()
                        .filter_map(|f| f.to_possible_value())
                        .map(|v| v.get_name().to_string())
                        .collect();
                    source.error(
                        Some(name.span()),
                        format!(
                            "unknown input format `{written}` in {what}{}; valid formats: {}",
                            hint(written, valid.iter().map(String::as_str)),
                            valid.join(", ")
                        ),
                    )
                })?;
                Some((format, written.clone()))
            }
        };
        let encoding = match &spec.encoding {
            None => None,
            Some(label) => {
                let written = label.get_ref();
                let encoding = encoding_for(written).map_err(|message| {
                    source.error(Some(label.span()), format!("{message} in {what}"))
                })?;
                Some((encoding, written.clone()))
            }
        };
        let html_content = match &spec.html_content {
            None => None,
            Some(name) => {
                let written = name.get_ref();
                let part = HtmlContent::from_str(written, true).map_err(|_| {
                    source.error(
                        Some(name.span()),
                        format!(
                            "unknown html-content `{written}` in {what}; valid: auto, article, main, body"
                        ),
                    )
                })?;
                Some((part, written.clone()))
            }
        };
        let names = |key: &str, v: &Option<Spanned<OneOrMany>>| -> Result<_, ConfigError> {
            let Some(v) = v else { return Ok(None) };
            let list = match v.get_ref() {
                OneOrMany::One(s) => vec![s.clone()],
                OneOrMany::Many(l) => l.clone(),
            };
            if list.is_empty() || list.iter().any(|n| n.trim().is_empty()) {
                return Err(source.error(
                    Some(v.span()),
                    format!(
                        "`{key}` in {what} needs a name, or a list of names that are not empty"
                    ),
                ));
            }
            Ok(Some(list))
        };
        Ok(InputKeys {
            encoding,
            html_content,
            format,
            text_field: names("text-field", &spec.text_field)?,
            id_field: spec.id_field.clone(),
            source_field: spec.source_field.clone(),
            text_column: names("text-column", &spec.text_column)?,
            id_column: spec.id_column.clone(),
            source_column: spec.source_column.clone(),
        })
    }

    /// Lays the keys written in `other` over these.
    fn extend(&mut self, other: InputKeys) {
        let InputKeys {
            encoding,
            html_content,
            format,
            text_field,
            id_field,
            source_field,
            text_column,
            id_column,
            source_column,
        } = other;
        for (slot, value) in [
            (&mut self.text_field, text_field),
            (&mut self.text_column, text_column),
        ] {
            if value.is_some() {
                *slot = value;
            }
        }
        for (slot, value) in [
            (&mut self.id_field, id_field),
            (&mut self.source_field, source_field),
            (&mut self.id_column, id_column),
            (&mut self.source_column, source_column),
        ] {
            if value.is_some() {
                *slot = value;
            }
        }
        if format.is_some() {
            self.format = format;
        }
        if encoding.is_some() {
            self.encoding = encoding;
        }
        if html_content.is_some() {
            self.html_content = html_content;
        }
    }

    /// The keys as a TOML table, for `mtlint config`.
    fn to_table(&self) -> toml::Table {
        let format = self.format.as_ref().map(|(_, written)| written);
        let mut table: toml::Table = [
            ("format", format),
            ("id-field", self.id_field.as_ref()),
            ("source-field", self.source_field.as_ref()),
            ("id-column", self.id_column.as_ref()),
            ("source-column", self.source_column.as_ref()),
            (
                "encoding",
                self.encoding.as_ref().map(|(_, written)| written),
            ),
            (
                "html-content",
                self.html_content.as_ref().map(|(_, written)| written),
            ),
        ]
        .into_iter()
        .filter_map(|(key, value)| Some((key.to_string(), toml::Value::from(value?.as_str()))))
        .collect();
        for (key, names) in [
            ("text-field", &self.text_field),
            ("text-column", &self.text_column),
        ] {
            match names.as_deref() {
                None => {}
                Some([one]) => {
                    table.insert(key.into(), toml::Value::from(one.as_str()));
                }
                Some(many) => {
                    table.insert(key.into(), many.to_vec().into());
                }
            }
        }
        table
    }
}

/// The encoding a label names (`windows-1252`, `latin1`, `shift_jis`: the
/// WHATWG labels), or the error to show.
pub fn encoding_for(label: &str) -> Result<&'static crate::document::Encoding, String> {
    crate::document::encoding_for_label(label).ok_or_else(|| {
        format!(
            "unknown encoding `{label}`; use a WHATWG label such as windows-1252, \
             iso-8859-2, iso-8859-15, koi8-r, shift_jis, euc-kr, gbk, big5 or utf-16le"
        )
    })
}

impl OverrideSettings {
    /// The globs compiled.
    pub fn compile_paths(&self) -> Result<GlobSet, ConfigError> {
        globs(&self.paths)
    }
}

/// One `[[input.files]]` entry: how the files its globs match are read.
#[derive(Clone, Debug)]
pub struct InputFiles {
    /// Globs of the paths it applies to, relative to [`Settings::input_base`].
    pub paths: Vec<Named>,
    /// Keys laid over `[input]` for those paths.
    pub keys: InputKeys,
}

impl InputFiles {
    /// The globs compiled.
    pub fn compile_paths(&self) -> Result<GlobSet, ConfigError> {
        globs(&self.paths)
    }
}

/// The effective configuration: files merged, then the command line.
#[derive(Clone, Debug)]
pub struct Settings {
    /// Configuration files read, lowest precedence first.
    pub files: Vec<PathBuf>,
    /// Extra rule files or folders (config paths resolved against the file's folder).
    pub rules: Vec<PathBuf>,
    /// Skip the embedded pack (command line only).
    pub no_default_rules: bool,
    /// Only these rules or categories (empty = all).
    pub select: Vec<Named>,
    /// Not these rules or categories.
    pub ignore: Vec<Named>,
    /// Severity by rule id or category.
    pub severity: BTreeMap<String, (Severity, Origin)>,
    /// Include globs for walked files (like `--glob`).
    pub include: Vec<String>,
    /// Exclude globs, relative to `exclude_base`, for every input.
    pub exclude: Vec<Named>,
    /// The folder exclude globs are relative to.
    pub exclude_base: PathBuf,
    /// Per-path settings, in order.
    pub overrides: Vec<OverrideSettings>,
    /// `[input]`, merged key by key.
    pub input: InputKeys,
    /// `[[input.files]]` of the configuration file that has them last (the
    /// highest precedence, as for every key); `None` when none has them.
    pub input_files: Option<Vec<InputFiles>>,
    /// The folder `input_files` globs are relative to: that file's.
    pub input_base: PathBuf,
    /// Findings at or above this severity make the exit code 1.
    pub fail_on: Severity,
    /// `[score]`: the weights of a document's score.
    pub score: Weights,
    /// The language of every document (`language`, `--language`), when set.
    pub language: Option<language::Setting>,
    /// The language of documents whose language is neither set, declared
    /// nor detected (`default-language`; English when not set).
    pub default_language: Option<Language>,
}

/// What the command line says about configuration and rules.
#[derive(Clone, Debug, Default)]
pub struct CommandLine {
    /// `--config PATH`.
    pub config: Option<PathBuf>,
    /// `--isolated`: read no configuration file.
    pub isolated: bool,
    /// `--rules`.
    pub rules: Vec<PathBuf>,
    /// `--no-default-rules`.
    pub no_default_rules: bool,
    /// `--select` (replaces the configuration's when given).
    pub select: Vec<String>,
    /// `--ignore` (replaces the configuration's when given).
    pub ignore: Vec<String>,
    /// `--fail-on`.
    pub fail_on: Option<Severity>,
}

/// The nearest `mtlint.toml` in `start` or a folder above it.
pub fn discover(start: &Path) -> Option<PathBuf> {
    start
        .ancestors()
        .map(|d| d.join(FILE_NAME))
        .find(|p| p.is_file())
}

fn check_keys(
    source: &Source<'_>,
    table: &toml::de::DeTable<'_>,
    valid: &[&str],
    what: &str,
) -> Result<(), ConfigError> {
    for (key, _) in table {
        let name: &str = key.get_ref();
        if !valid.contains(&name) {
            return Err(source.error(
                Some(key.span()),
                unknown_key(name, &format!("in {what}"), valid),
            ));
        }
    }
    Ok(())
}

/// Checks the keys of every table in the array `key` of `table`.
fn check_entries(
    source: &Source<'_>,
    table: &toml::de::DeTable<'_>,
    key: &str,
    valid: &[&str],
    what: &str,
) -> Result<(), ConfigError> {
    if let Some(list) = table.get(key).and_then(|v| v.get_ref().as_array()) {
        for item in list {
            if let Some(t) = item.get_ref().as_table() {
                check_keys(source, t, valid, what)?;
            }
        }
    }
    Ok(())
}

/// Reads and validates one configuration file and lays it over `settings`.
fn apply_file(settings: &mut Settings, path: &Path) -> Result<(), ConfigError> {
    let shown = path.display().to_string();
    let fail = |message: String| ConfigError {
        file: shown.clone(),
        line: None,
        column: None,
        message,
    };
    let size = std::fs::metadata(path)
        .map_err(|e| fail(format!("cannot read configuration: {e}")))?
        .len();
    if size > MAX_CONFIG_BYTES {
        return Err(fail(format!(
            "configuration file is larger than {MAX_CONFIG_BYTES} bytes"
        )));
    }
    let bytes = std::fs::read(path).map_err(|e| fail(format!("cannot read configuration: {e}")))?;
    let src =
        String::from_utf8(bytes).map_err(|_| fail("configuration is not valid UTF-8".into()))?;
    let source = Source {
        file: &shown,
        src: &src,
    };
    let table = toml::de::DeTable::parse(&src)
        .map_err(|e| source.error(e.span(), e.message().to_string()))?;
    let top = table.get_ref();
    check_keys(&source, top, TOP_KEYS, "the configuration")?;
    if let Some(score) = top.get("score").and_then(|v| v.get_ref().as_table()) {
        check_keys(&source, score, SCORE_KEYS, "[score]")?;
    }
    check_entries(&source, top, "overrides", OVERRIDE_KEYS, "[[overrides]]")?;
    if let Some(input) = top.get("input").and_then(|v| v.get_ref().as_table()) {
        let valid: Vec<&str> = INPUT_KEYS.iter().copied().chain(["files"]).collect();
        check_keys(&source, input, &valid, "[input]")?;
        let valid: Vec<&str> = ["paths"]
            .into_iter()
            .chain(INPUT_KEYS.iter().copied())
            .collect();
        check_entries(&source, input, "files", &valid, "[[input.files]]")?;
    }
    let spec: FileSpec =
        toml::from_str(&src).map_err(|e| source.error(e.span(), e.message().to_string()))?;
    let dir = path
        .parent()
        .map(Path::to_path_buf)
        .unwrap_or_else(|| PathBuf::from("."));
    let dir = if dir.as_os_str().is_empty() {
        PathBuf::from(".")
    } else {
        dir
    };
    let dir = std::path::absolute(&dir).unwrap_or(dir);
    settings.files.push(path.to_path_buf());
    settings
        .rules
        .extend(spec.rules.iter().map(|r| dir.join(r)));
    if let Some(select) = spec.select {
        settings.select = source.named(select);
    }
    if let Some(ignore) = spec.ignore {
        settings.ignore = source.named(ignore);
    }
    settings.severity.extend(source.severities(spec.severity));
    if let Some(include) = spec.include {
        settings.include = include;
    }
    if let Some(exclude) = spec.exclude {
        settings.exclude = source.named(exclude);
        settings.exclude_base = dir.clone();
    }
    for o in spec.overrides {
        let span = o.span();
        let o = o.into_inner();
        settings.overrides.push(OverrideSettings {
            base: dir.clone(),
            paths: source.paths(span, o.paths, "[[overrides]]")?,
            select: source.named(o.select),
            ignore: source.named(o.ignore),
            severity: source.severities(o.severity),
            language: o
                .language
                .map(|l| source.language_setting(&l))
                .transpose()?,
        });
    }
    settings
        .input
        .extend(InputKeys::read(&source, &spec.input, "[input]")?);
    if let Some(entries) = spec.input.files {
        let mut files = Vec::new();
        for entry in entries {
            let span = entry.span();
            let mut entry = entry.into_inner();
            let what = "[[input.files]]";
            let paths = source.paths(span, std::mem::take(&mut entry.paths), what)?;
            files.push(InputFiles {
                paths,
                keys: InputKeys::read(&source, &entry, what)?,
            });
        }
        settings.input_files = Some(files);
        settings.input_base = dir.clone();
    }
    if let Some(f) = spec.fail_on {
        settings.fail_on = f;
    }
    if let Some(score) = spec.score {
        for (key, value, slot) in [
            ("error", score.error, &mut settings.score.error),
            ("warning", score.warning, &mut settings.score.warning),
            ("info", score.info, &mut settings.score.info),
        ] {
            let Some(value) = value else { continue };
            let (span, v) = (value.span(), *value.get_ref());
            if !v.is_finite() || v < 0.0 {
                return Err(source.error(
                    Some(span),
                    format!("`{key}` in [score] must be a number of 0 or more, not {v}"),
                ));
            }
            *slot = v;
        }
        if let Some(n) = score.min_words {
            settings.score.min_words = n;
        }
    }
    if let Some(l) = &spec.language {
        settings.language = Some(source.language_setting(l)?);
    }
    if let Some(l) = &spec.default_language {
        let code =
            language::parse_code(l.get_ref()).map_err(|e| source.error(Some(l.span()), e))?;
        settings.default_language = Some(code);
    }
    Ok(())
}

impl Settings {
    /// Resolves the configuration for a run in `cwd`: the discovered file
    /// (unless `--isolated`), then `--config`, then the command line.
    pub fn resolve(cli: &CommandLine, cwd: &Path) -> Result<Settings, ConfigError> {
        let mut settings = Settings {
            files: Vec::new(),
            rules: Vec::new(),
            no_default_rules: false,
            select: Vec::new(),
            ignore: Vec::new(),
            severity: BTreeMap::new(),
            include: Vec::new(),
            exclude: Vec::new(),
            exclude_base: cwd.to_path_buf(),
            overrides: Vec::new(),
            input: InputKeys::default(),
            input_files: None,
            input_base: cwd.to_path_buf(),
            fail_on: Severity::Warning,
            score: Weights::default(),
            language: None,
            default_language: None,
        };
        if !cli.isolated {
            // A discovered file that is also the one named is read once.
            let same =
                |a: &Path, b: &Path| match (std::fs::canonicalize(a), std::fs::canonicalize(b)) {
                    (Ok(a), Ok(b)) => a == b,
                    _ => false,
                };
            if let Some(found) =
                discover(cwd).filter(|f| cli.config.as_deref().is_none_or(|named| !same(f, named)))
            {
                apply_file(&mut settings, &found)?;
            }
            if let Some(path) = &cli.config {
                apply_file(&mut settings, path)?;
            }
        }
        settings.rules.extend(cli.rules.iter().cloned());
        settings.no_default_rules = cli.no_default_rules;
        let flags = |list: &[String]| -> Vec<Named> {
            list.iter()
                .map(|n| Named {
                    name: n.clone(),
                    origin: Origin::command_line(),
                })
                .collect()
        };
        if !cli.select.is_empty() {
            settings.select = flags(&cli.select);
        }
        if !cli.ignore.is_empty() {
            settings.ignore = flags(&cli.ignore);
        }
        if let Some(f) = cli.fail_on {
            settings.fail_on = f;
        }
        Ok(settings)
    }

    /// Checks every rule id or category named against the loaded rules.
    pub fn validate(&self, ruleset: &Ruleset) -> Result<(), ConfigError> {
        let known: BTreeSet<&str> = ruleset
            .rules()
            .flat_map(|r| [r.id.as_str(), r.category.as_str()])
            .chain([crate::report::filter::UNUSED_DISABLE, "suppression"])
            .collect();
        let check = |name: &str, origin: &Origin, all_ok: bool| -> Result<(), ConfigError> {
            if known.contains(name) || (all_ok && name == "all") {
                return Ok(());
            }
            Err(origin.error(unknown_rule_or_category(name, known.iter().copied())))
        };
        let lists = [&self.select, &self.ignore]
            .into_iter()
            .chain(self.overrides.iter().flat_map(|o| [&o.select, &o.ignore]));
        for list in lists {
            for n in list {
                check(&n.name, &n.origin, true)?;
            }
        }
        let maps =
            std::iter::once(&self.severity).chain(self.overrides.iter().map(|o| &o.severity));
        for map in maps {
            for (name, (_, origin)) in map {
                check(name, origin, false)?;
            }
        }
        Ok(())
    }

    /// The per-path overrides with their globs compiled.
    pub fn compile_overrides(&self) -> Result<Vec<PathOverride>, ConfigError> {
        self.overrides
            .iter()
            .map(|o| {
                Ok(PathOverride {
                    base: o.base.clone(),
                    paths: globs(&o.paths)?,
                    select: o.select.iter().map(|n| n.name.clone()).collect(),
                    ignore: o.ignore.iter().map(|n| n.name.clone()).collect(),
                    severity: o
                        .severity
                        .iter()
                        .map(|(k, (s, _))| (k.clone(), *s))
                        .collect(),
                })
            })
            .collect()
    }

    /// The exclude globs compiled, or `None` when there are none.
    pub fn compile_exclude(&self) -> Result<Option<GlobSet>, ConfigError> {
        if self.exclude.is_empty() {
            return Ok(None);
        }
        globs(&self.exclude).map(Some)
    }

    /// `[input]` as TOML, with its `[[input.files]]`.
    fn input_table(&self) -> toml::Table {
        let mut table = self.input.to_table();
        if let Some(files) = &self.input_files {
            let entries = files.iter().map(|entry| {
                let mut t = entry.keys.to_table();
                let paths = entry.paths.iter().map(|n| n.name.as_str());
                t.insert("paths".into(), paths.collect::<Vec<_>>().into());
                toml::Value::Table(t)
            });
            table.insert("files".into(), toml::Value::Array(entries.collect()));
        }
        table
    }

    /// The effective configuration as TOML, for `mtlint config`.
    pub fn to_toml(&self) -> String {
        let names = |l: &[Named]| l.iter().map(|n| n.name.clone()).collect::<Vec<_>>();
        let sev = |m: &BTreeMap<String, (Severity, Origin)>| {
            m.iter()
                .map(|(k, (s, _))| (k.clone(), *s))
                .collect::<BTreeMap<_, _>>()
        };
        let shown = Shown {
            rules: self.rules.iter().map(|p| p.display().to_string()).collect(),
            default_rules: !self.no_default_rules,
            select: names(&self.select),
            ignore: names(&self.ignore),
            include: self.include.clone(),
            exclude: names(&self.exclude),
            fail_on: self.fail_on,
            language: self.language.map(language::Setting::name),
            default_language: self.default_language.map(|l| l.to_string()),
            severity: sev(&self.severity),
            overrides: self
                .overrides
                .iter()
                .map(|o| ShownOverride {
                    base: o.base.display().to_string(),
                    paths: names(&o.paths),
                    select: names(&o.select),
                    ignore: names(&o.ignore),
                    severity: sev(&o.severity),
                    language: o.language.map(language::Setting::name),
                })
                .collect(),
            input: self.input_table(),
            score: ShownScore {
                error: self.score.error,
                warning: self.score.warning,
                info: self.score.info,
                min_words: self.score.min_words,
            },
        };
        let files = if self.files.is_empty() {
            "# configuration files: none\n".to_string()
        } else {
            self.files
                .iter()
                // A line break in the path would end the comment early.
                .map(|f| {
                    let path = f.display().to_string();
                    format!("# configuration file: {}\n", crate::report::visible(&path))
                })
                .collect()
        };
        let body = toml::to_string(&shown).unwrap_or_else(|e| {
            let e = e.to_string();
            format!("# cannot show: {}\n", crate::report::visible(&e))
        });
        format!("{files}{body}")
    }
}

#[derive(Serialize)]
#[serde(rename_all = "kebab-case")]
struct Shown {
    rules: Vec<String>,
    default_rules: bool,
    select: Vec<String>,
    ignore: Vec<String>,
    include: Vec<String>,
    exclude: Vec<String>,
    fail_on: Severity,
    #[serde(skip_serializing_if = "Option::is_none")]
    language: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    default_language: Option<String>,
    severity: BTreeMap<String, Severity>,
    overrides: Vec<ShownOverride>,
    input: toml::Table,
    score: ShownScore,
}

#[derive(Serialize)]
#[serde(rename_all = "kebab-case")]
struct ShownScore {
    error: f64,
    warning: f64,
    info: f64,
    min_words: usize,
}

#[derive(Serialize)]
struct ShownOverride {
    base: String,
    paths: Vec<String>,
    select: Vec<String>,
    ignore: Vec<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    language: Option<String>,
    severity: BTreeMap<String, Severity>,
}

fn globs(list: &[Named]) -> Result<GlobSet, ConfigError> {
    let mut builder = GlobSetBuilder::new();
    for n in list {
        let glob = Glob::new(&n.name)
            .map_err(|e| n.origin.error(format!("invalid glob `{}`: {e}", n.name)))?;
        builder.add(glob);
    }
    builder
        .build()
        .map_err(|e| Origin::command_line().error(format!("invalid globs: {e}")))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn load(src: &str) -> Result<Settings, ConfigError> {
        let dir = tempfile::tempdir().expect("temp dir");
        let path = dir.path().join(FILE_NAME);
        std::fs::write(&path, src).expect("write");
        let cli = CommandLine {
            config: Some(path),
            isolated: false,
            ..CommandLine::default()
        };
        Settings::resolve(&cli, dir.path())
    }

    #[test]
    fn minimal_file() {
        let s = load(
            "ignore = [\"doubled-word\"]\nfail-on = \"error\"\n[severity]\nweb-boilerplate = \"info\"\n\
             [[overrides]]\npaths = [\"docs/legal/**\"]\nignore = [\"lowercase-sentence-start\"]\n[input]\n",
        )
        .expect("valid");
        assert_eq!(s.ignore[0].name, "doubled-word");
        assert_eq!(s.ignore[0].origin.position, Some((1, 11)));
        assert_eq!(s.fail_on, Severity::Error);
        assert_eq!(s.severity["web-boilerplate"].0, Severity::Info);
        assert_eq!(s.overrides.len(), 1);
        assert_eq!(s.files.len(), 1);
    }

    #[test]
    fn unknown_keys_point_at_the_key_with_a_hint() {
        let e = load("fail-on = \"error\"\nignroe = []\n").unwrap_err();
        assert_eq!((e.line, e.column), (Some(2), Some(1)));
        assert!(e.message.contains("did you mean `ignore`"), "{e}");
        let e = load("[[overrides]]\npaths = [\"a\"]\nselcet = []\n").unwrap_err();
        assert_eq!(e.line, Some(3));
        assert!(e.message.contains("did you mean `select`"), "{e}");
    }

    #[test]
    fn input_is_read_into_typed_keys() {
        let s = load(
            "[input]\nformat = \"JSONL\"\ntext-field = \"body\"\n\
             [[input.files]]\npaths = [\"pages/**\"]\nid-column = \"key\"\n",
        )
        .expect("valid");
        assert_eq!(s.input.format, Some((InputFormat::Jsonl, "JSONL".into())));
        assert_eq!(
            s.input.text_field.as_deref(),
            Some(&["body".to_string()][..])
        );
        let files = s.input_files.as_deref().expect("files");
        assert_eq!(files[0].paths[0].name, "pages/**");
        assert_eq!(files[0].paths[0].origin.position, Some((5, 10)));
        assert_eq!(files[0].keys.id_column.as_deref(), Some("key"));
        assert!(s.to_toml().contains("[input]\nformat = \"JSONL\"\n"));
    }

    #[test]
    fn input_errors_are_located_like_the_rest() {
        let e = load("[input]\ntext-feld = \"x\"\n").unwrap_err();
        assert_eq!((e.line, e.column), (Some(2), Some(1)));
        assert!(e.message.contains("did you mean `text-field`"), "{e}");
        let e = load("[input]\npaths = [\"x\"]\n").unwrap_err();
        assert!(e.message.contains("unknown key `paths` in [input]"), "{e}");
        let e = load("[[input.files]]\npaths = [\"x\"]\nfiles = []\n").unwrap_err();
        assert_eq!(e.line, Some(3));
        let e = load("[[input.files]]\nformat = \"html\"\n").unwrap_err();
        assert!(e.message.contains("needs `paths`"), "{e}");
        let e = load("[input]\nid-field = 1\n").unwrap_err();
        assert_eq!(e.line, Some(2));
        let e = load("[input]\nformat = \"xlf\"\n").unwrap_err();
        assert_eq!((e.line, e.column), (Some(2), Some(10)));
    }

    #[test]
    fn text_fields_may_be_lists_and_scores_are_weighed() {
        let s = load(
            "[input]\ntext-field = [\"title\", \"text\"]\n[score]\nerror = 10\ninfo = 0.25\nmin-words = 1\n",
        )
        .expect("valid");
        assert_eq!(
            s.input.text_field,
            Some(vec!["title".into(), "text".into()])
        );
        assert_eq!(
            (
                s.score.error,
                s.score.warning,
                s.score.info,
                s.score.min_words
            ),
            (10.0, 2.0, 0.25, 1)
        );
        assert!(
            s.to_toml().contains("text-field = [\"title\", \"text\"]"),
            "{}",
            s.to_toml()
        );
        let e = load("[score]\nerorr = 1\n").unwrap_err();
        assert!(e.message.contains("did you mean `error`"), "{e}");
        assert_eq!(e.line, Some(2));
        let e = load("[score]\nwarning = -1\n").unwrap_err();
        assert_eq!((e.line, e.column), (Some(2), Some(11)));
        let e = load("[input]\ntext-field = []\n").unwrap_err();
        assert_eq!(e.line, Some(2));
        let e = load("[input]\ntext-column = 3\n").unwrap_err();
        assert_eq!(e.line, Some(2));
    }

    #[test]
    fn bad_values_are_located() {
        let e = load("fail-on = \"fatal\"\n").unwrap_err();
        assert_eq!(e.line, Some(1));
        let e = load("[severity]\nx = \"loud\"\n").unwrap_err();
        assert_eq!(e.line, Some(2));
        let e = load("[[overrides]]\nignore = []\n").unwrap_err();
        assert!(e.message.contains("paths"), "{e}");
    }
}
