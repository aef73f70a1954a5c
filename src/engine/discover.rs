//! Discovery: which inputs a run checks. Expands the paths given into files
//! (folders walked with the `ignore` crate), and says how each input is to
//! be read ([`InputSettings`]).
//!
//! Knows nothing of reading, checking or reporting: it yields paths and
//! settings, never bytes.

use std::path::{Path, PathBuf};

use crate::document::InputOptions;

/// Extensions checked when a folder is walked: prose documents, as Vale and
/// other prose linters do (files named on the command line are checked
/// whatever their extension). Data formats — JSON Lines, CSV/TSV, generic
/// `.xml` — need field settings and are walked only when a `--glob` or
/// `include` names them.
pub const TEXT_EXTENSIONS: &[&str] = &[
    "txt", "text", "md", "markdown", "html", "htm", "xhtml", "rss", "atom", "xlf", "xliff", "po",
];

/// Something to check.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum Input {
    /// A file on disk, shown as given or as walked.
    File(PathBuf),
    /// Standard input, shown as `-`.
    Stdin,
}

impl Input {
    /// The path as reports show it.
    pub fn display(&self) -> String {
        match self {
            Input::File(p) => p.to_string_lossy().into_owned(),
            Input::Stdin => "-".to_string(),
        }
    }
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
    pub stream: super::stream::StreamSettings,
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
    pub fn for_input(&self, input: &Input) -> &InputOptions {
        let Input::File(path) = input else {
            return &self.default;
        };
        if self.files.is_empty() {
            return &self.default;
        }
        let rel = relative(&lexical(&self.cwd.join(path)), &lexical(&self.base));
        self.files
            .iter()
            .rev()
            .find(|f| f.paths.is_match(rel.as_str()))
            .map_or(&self.default, |f| &f.options)
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

fn walk_error(path: &Path, e: &ignore::Error) -> DiscoveryError {
    DiscoveryError {
        path: path.display().to_string(),
        message: e.to_string(),
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
        let Input::File(path) = input else {
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
    let mut inputs = Vec::new();
    let mut errors = Vec::new();
    let any_positive = globs.iter().any(|g| !g.starts_with('!'));
    for given in paths {
        if given == "-" {
            inputs.push(Input::Stdin);
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
                inputs.push(Input::File(path.to_path_buf()));
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
                    let known = e
                        .path()
                        .extension()
                        .and_then(|x| x.to_str())
                        .is_some_and(|x| TEXT_EXTENSIONS.iter().any(|t| t.eq_ignore_ascii_case(x)));
                    if any_positive || known {
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
