//! Discovery: which inputs a run checks. Expands the paths given into files
//! (folders walked with the `ignore` crate), and says how each input is to
//! be read ([`InputSettings`]).
//!
//! Knows nothing of reading, checking or reporting: it yields paths and
//! settings, never bytes.

use std::borrow::Cow;
use std::io;
use std::path::{Path, PathBuf};

use crate::document::{InputFormat, InputOptions};
use crate::language::Language;

/// Extensions checked when a folder is walked: prose documents, as Vale and
/// other prose linters do, and the data formats of feed dumps — JSON Lines
/// and CSV/TSV, checked when their records have the text field or column
/// (a data file without it is skipped with a note). Files named on the
/// command line are checked whatever their extension; generic `.xml` is
/// walked only when a `--glob` or `include` names it.
pub const TEXT_EXTENSIONS: &[&str] = &[
    "txt", "text", "md", "markdown", "html", "htm", "xhtml", "rss", "atom", "xlf", "xliff", "po",
    "jsonl", "ndjson", "csv", "tsv",
];

/// Something to check.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum Input {
    /// A file on disk, shown as given or as walked.
    File(PathBuf),
    /// Standard input, shown as `-`.
    Stdin,
    /// Standard input under a name (`--stdin-filename`): read as the file
    /// of that name would be (format, `[[input.files]]`, `exclude`,
    /// `[[overrides]]`) and shown by it.
    StdinNamed(PathBuf),
}

impl Input {
    /// The path as reports show it.
    pub fn display(&self) -> String {
        match self {
            Input::File(p) | Input::StdinNamed(p) => p.to_string_lossy().into_owned(),
            Input::Stdin => "-".to_string(),
        }
    }

    /// The path the input is known by (a file's, or standard input's
    /// `--stdin-filename`), for formats and per-path settings.
    pub fn path(&self) -> Option<&Path> {
        match self {
            Input::File(p) | Input::StdinNamed(p) => Some(p),
            Input::Stdin => None,
        }
    }

    /// Whether the input will be read as plain text, as far as is known
    /// before reading it: `--input-format text`, a name without a data or
    /// markup extension, or standard input without a name.
    pub fn plain_before_reading(&self, options: &InputOptions) -> bool {
        match (options.format, self.path()) {
            (Some(format), _) => format == InputFormat::Text,
            (None, Some(p)) => {
                InputFormat::from_extension(p).is_none_or(|f| f == InputFormat::Text)
            }
            (None, None) => true,
        }
    }

    /// The format to read the input as: `options`' `--input-format` when
    /// given, else the one its name and `text` (its first bytes) say;
    /// standard input without a name is plain text.
    pub fn format(&self, options: &InputOptions, text: &[u8]) -> InputFormat {
        options.format.unwrap_or_else(|| match self.path() {
            Some(p) => InputFormat::detect(p, text),
            None => InputFormat::Text,
        })
    }
}

/// How the inputs named on the command line are taken, beyond the paths.
#[derive(Clone, Debug, Default)]
pub struct Named {
    /// `--stdin-filename`: the name `-` stands for.
    pub stdin_name: Option<PathBuf>,
    /// `--force-exclude`: files named on the command line (and a named
    /// standard input) are checked only when a walk would check them —
    /// `--glob` and `include` when one includes, else a prose extension
    /// (as pre-commit passes every staged file).
    pub force_exclude: bool,
    /// The working directory, against which globs match named files.
    pub cwd: PathBuf,
}

/// Input settings for `[[input.files]]` globs: how the files they match are read.
#[derive(Clone, Debug)]
pub struct FileInput {
    /// Globs relative to [`InputSettings::base`].
    pub paths: globset::GlobSet,
    /// How matching files are read.
    pub options: InputOptions,
}

/// How every input of a run is read: the defaults, and settings for some paths.
#[derive(Clone, Debug, Default)]
pub struct InputSettings {
    /// For inputs no entry of `files` matches (and standard input).
    pub default: InputOptions,
    /// Per-path settings; the last entry that matches an input wins.
    pub files: Vec<FileInput>,
    /// The folder `files` globs are relative to (the configuration file's).
    pub base: PathBuf,
    /// The working directory, against which relative input paths are joined.
    pub cwd: PathBuf,
    /// How records streamed on standard input are placed and split.
    pub stream: super::records::StreamSettings,
    /// Languages for some paths (`language` in `[[overrides]]`); the last
    /// entry that matches an input wins over `files` and `default`.
    pub languages: Vec<PathLanguage>,
}

/// The language of the files some globs match.
#[derive(Clone, Debug)]
pub struct PathLanguage {
    /// Globs relative to `base`.
    pub paths: globset::GlobSet,
    /// The folder the globs are relative to (their configuration file's).
    pub base: PathBuf,
    /// The language forced there; `None`: declared or detected, as where
    /// no language is set.
    pub language: Option<Language>,
}

impl InputSettings {
    /// Settings that read every input with `options`.
    pub fn uniform(options: InputOptions) -> Self {
        InputSettings {
            default: options,
            ..InputSettings::default()
        }
    }

    /// The options for `input`.
    pub fn for_input(&self, input: &Input) -> Cow<'_, InputOptions> {
        let Some(path) = input.path() else {
            return Cow::Borrowed(&self.default);
        };
        if self.files.is_empty() && self.languages.is_empty() {
            return Cow::Borrowed(&self.default);
        }
        let full = lexical(&self.cwd.join(path));
        let rel = relative(&full, &lexical(&self.base));
        let options = self
            .files
            .iter()
            .rev()
            .find(|f| f.paths.is_match(rel.as_str()))
            .map_or(&self.default, |f| &f.options);
        let language = self.languages.iter().rev().find(|l| {
            let rel = relative(&full, &lexical(&l.base));
            l.paths.is_match(rel.as_str())
        });
        match language {
            None => Cow::Borrowed(options),
            Some(l) => {
                let mut options = options.clone();
                options.language = l.language;
                Cow::Owned(options)
            }
        }
    }
}

/// `full` relative to `base` (whole when outside it), as globs match paths.
fn relative(full: &Path, base: &Path) -> String {
    let rel = full.strip_prefix(base).unwrap_or(full);
    crate::report::normalize_path(&rel.to_string_lossy())
}

/// `path` with `.` and `..` resolved by name, as globs see paths.
fn lexical(path: &Path) -> PathBuf {
    let mut out = PathBuf::new();
    for part in path.components() {
        match part {
            std::path::Component::CurDir => {}
            std::path::Component::ParentDir => {
                if !out.pop() {
                    out.push(part);
                }
            }
            other => out.push(other),
        }
    }
    out
}

/// An error found while discovering inputs.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DiscoveryError {
    /// The path as given or walked.
    pub path: String,
    /// What went wrong.
    pub message: String,
}

/// An error met while walking `root`, named once: by the path it is about
/// when the walker knows it (else `root`), with the operating system's
/// reason alone. (The walker's own text names the path up to three times:
/// "d: d/sub: IO error for operation on d/sub: Permission denied".)
fn walk_error(root: &Path, e: &ignore::Error) -> DiscoveryError {
    fn about(e: &ignore::Error) -> Option<&Path> {
        match e {
            ignore::Error::WithPath { path, .. } => Some(path),
            ignore::Error::WithDepth { err, .. } | ignore::Error::WithLineNumber { err, .. } => {
                about(err)
            }
            _ => None,
        }
    }
    let message = match e.io_error() {
        // The walker's I/O errors carry their path in their text: the
        // bare reason is the operating system's for the same code.
        Some(io) => {
            // Down the chain of causes to the innermost I/O error.
            let mut inner: &dyn std::error::Error = io;
            let mut code = io.raw_os_error();
            while let Some(next) = inner.source() {
                if let Some(e) = next.downcast_ref::<io::Error>() {
                    code = code.or(e.raw_os_error());
                }
                inner = next;
            }
            match code {
                Some(code) => io::Error::from_raw_os_error(code).to_string(),
                None => io.to_string(),
            }
        }
        None => match e {
            ignore::Error::WithPath { err, .. } => err.to_string(),
            other => other.to_string(),
        },
    };
    DiscoveryError {
        path: about(e).unwrap_or(root).display().to_string(),
        message,
    }
}

/// Files left out of a run, whether walked or named: the configuration's
/// `exclude` globs.
#[derive(Clone, Debug)]
pub struct Exclude {
    /// Globs relative to `base`.
    pub globs: globset::GlobSet,
    /// The folder the globs are relative to (the configuration file's).
    pub base: PathBuf,
    /// The working directory, against which relative input paths are joined.
    pub cwd: PathBuf,
}

impl Exclude {
    /// Whether `input` is left out (standard input never is).
    fn excludes(&self, input: &Input) -> bool {
        let Some(path) = input.path() else {
            return false;
        };
        // Unlike `InputSettings::for_input`, `..` is not resolved: kept as
        // it was, since resolving it would change which files are left out.
        let rel = relative(&self.cwd.join(path), &self.base);
        self.globs.is_match(rel.as_str())
    }
}

/// Expands paths into inputs: folders are walked (respecting .gitignore and
/// .ignore, skipping hidden files), `-` is standard input. `globs` include or
/// (with a leading `!`) exclude walked files; when one includes, the globs
/// alone decide, otherwise walked files must have a text extension. Inputs
/// that `exclude` matches are left out, named ones too.
pub fn discover(
    paths: &[String],
    globs: &[String],
    exclude: Option<&Exclude>,
) -> (Vec<Input>, Vec<DiscoveryError>) {
    discover_named(paths, globs, exclude, &Named::default())
}

/// Whether a walk would check a file at `path` (relative to `cwd`, or
/// absolute): `overrides` (the globs) include it, or none includes and it
/// has a prose extension and no glob excludes it.
fn walk_would_check(
    path: &Path,
    overrides: &ignore::overrides::Override,
    any_positive: bool,
) -> bool {
    match overrides.matched(path, false) {
        ignore::Match::Whitelist(_) => true,
        ignore::Match::Ignore(_) => false,
        ignore::Match::None => !any_positive && has_text_extension(path),
    }
}

fn has_text_extension(path: &Path) -> bool {
    path.extension()
        .and_then(|x| x.to_str())
        .is_some_and(|x| TEXT_EXTENSIONS.iter().any(|t| t.eq_ignore_ascii_case(x)))
}

/// [`discover`], with standard input named and named files filtered as
/// `named` says.
pub fn discover_named(
    paths: &[String],
    globs: &[String],
    exclude: Option<&Exclude>,
    named: &Named,
) -> (Vec<Input>, Vec<DiscoveryError>) {
    let mut inputs = Vec::new();
    let mut errors = Vec::new();
    let any_positive = globs.iter().any(|g| !g.starts_with('!'));
    // Named files meet the globs as a walk from the working directory would.
    let forced = if named.force_exclude {
        let mut builder = ignore::overrides::OverrideBuilder::new(&named.cwd);
        for glob in globs {
            // A bad glob is reported below, by the walk that uses it.
            let _ = builder.add(glob);
        }
        builder.build().ok()
    } else {
        None
    };
    let walk_would = |path: &Path| {
        forced
            .as_ref()
            .is_none_or(|o| walk_would_check(path, o, any_positive))
    };
    for given in paths {
        if given == "-" {
            match &named.stdin_name {
                Some(name) if !walk_would(name) => {}
                Some(name) => inputs.push(Input::StdinNamed(name.clone())),
                None => inputs.push(Input::Stdin),
            }
            continue;
        }
        let path = Path::new(given);
        match std::fs::metadata(path) {
            Err(e) => {
                errors.push(DiscoveryError {
                    path: given.clone(),
                    message: e.to_string(),
                });
                continue;
            }
            Ok(m) if !m.is_dir() => {
                if walk_would(path) {
                    inputs.push(Input::File(path.to_path_buf()));
                }
                continue;
            }
            Ok(_) => {}
        }
        let mut overrides = ignore::overrides::OverrideBuilder::new(path);
        for glob in globs {
            if let Err(e) = overrides.add(glob) {
                errors.push(DiscoveryError {
                    path: glob.clone(),
                    message: format!("invalid glob: {e}"),
                });
            }
        }
        let overrides = match overrides.build() {
            Ok(o) => o,
            Err(e) => {
                errors.push(DiscoveryError {
                    path: given.clone(),
                    message: format!("invalid glob: {e}"),
                });
                continue;
            }
        };
        let walker = ignore::WalkBuilder::new(path)
            .require_git(false)
            .overrides(overrides)
            .build();
        for entry in walker {
            match entry {
                Ok(e) => {
                    if !e.file_type().is_some_and(|t| t.is_file()) {
                        continue;
                    }
                    if any_positive || has_text_extension(e.path()) {
                        inputs.push(Input::File(e.into_path()));
                    }
                }
                Err(e) => errors.push(walk_error(path, &e)),
            }
        }
    }
    inputs.sort_by_cached_key(Input::display);
    inputs.dedup();
    if let Some(exclude) = exclude {
        inputs.retain(|input| !exclude.excludes(input));
    }
    (inputs, errors)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// What the walker's I/O errors hold: an error whose text names the
    /// path, caused by the operating system's.
    #[derive(Debug)]
    struct Walked(io::Error);

    impl std::fmt::Display for Walked {
        fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
            write!(f, "IO error for operation on d/sub: {}", self.0)
        }
    }

    impl std::error::Error for Walked {
        fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
            Some(&self.0)
        }
    }

    /// An unreadable folder met while walking is named once, with the
    /// operating system's reason ("d: d/sub: IO error for operation on
    /// d/sub: Permission denied" before).
    #[test]
    fn a_walk_error_names_its_path_once() {
        let os = io::Error::from_raw_os_error(13);
        let reason = os.to_string();
        let e = ignore::Error::WithPath {
            path: PathBuf::from("d/sub"),
            err: Box::new(ignore::Error::WithDepth {
                depth: 1,
                err: Box::new(ignore::Error::Io(io::Error::new(
                    io::ErrorKind::PermissionDenied,
                    Walked(os),
                ))),
            }),
        };
        let shown = walk_error(Path::new("d"), &e);
        assert_eq!(shown.path, "d/sub");
        assert_eq!(shown.message, reason);
        // Without a path, the root given names it.
        let bare = ignore::Error::Io(io::Error::from_raw_os_error(2));
        assert_eq!(walk_error(Path::new("d"), &bare).path, "d");
    }
}
