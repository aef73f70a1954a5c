//! Errors in the files users write (rule files, `mtlint.toml`), located by
//! file, 1-based line and column, and the "did you mean" hint that every
//! unknown name gets. Shared by rule loading, configuration, the
//! suppression filter and the subcommands, so it imports nothing from the
//! crate: it knows nothing of rules, checks, settings or reporters.

use std::fmt;
use std::ops::Range;

/// The closest candidate to `word`, when one is close enough to suggest.
pub(crate) fn did_you_mean<'a>(
    word: &str,
    candidates: impl IntoIterator<Item = &'a str>,
) -> Option<&'a str> {
    candidates
        .into_iter()
        .map(|c| (strsim::jaro_winkler(word, c), c))
        .filter(|(score, _)| *score > 0.8)
        .max_by(|a, b| a.0.total_cmp(&b.0))
        .map(|(_, c)| c)
}

/// ` (did you mean `candidate`?)` for the candidate closest to `word`, or
/// nothing when none is close: written straight after the unknown name.
pub(crate) fn hint<'a>(word: &str, candidates: impl IntoIterator<Item = &'a str>) -> String {
    did_you_mean(word, candidates)
        .map(|c| format!(" (did you mean `{c}`?)"))
        .unwrap_or_default()
}

/// The message for a key that `valid` does not hold, with the hint and the
/// valid keys; `place` says where, as in "in [input]" or "for kind `repeat`".
pub(crate) fn unknown_key(key: &str, place: &str, valid: &[&str]) -> String {
    format!(
        "unknown key `{key}` {place}{}; valid keys: {}",
        hint(key, valid.iter().copied()),
        valid.join(", ")
    )
}

/// The message for a rule id or category that names no loaded rule
/// (`--select`, `ignore = […]`, `[severity]`), with the hint.
pub(crate) fn unknown_rule_or_category<'a>(
    name: &str,
    known: impl IntoIterator<Item = &'a str>,
) -> String {
    format!(
        "unknown rule or category `{name}`{}; `mtlint rules` lists them",
        hint(name, known)
    )
}

/// The 1-based line and column (in characters) of byte `offset` of `src`;
/// an offset inside a character counts as that character's start, one past
/// the end as the end.
pub(crate) fn line_column(src: &str, offset: usize) -> (usize, usize) {
    let mut start = offset.min(src.len());
    while !src.is_char_boundary(start) {
        start -= 1;
    }
    let before = &src[..start];
    let line = before.matches('\n').count() + 1;
    let line_start = before.rfind('\n').map_or(0, |i| i + 1);
    (line, before[line_start..].chars().count() + 1)
}

/// Writes `file`, then `:line:column` when there is a place.
fn write_place(
    f: &mut fmt::Formatter<'_>,
    file: &str,
    line: Option<usize>,
    column: Option<usize>,
) -> fmt::Result {
    write!(f, "{file}")?;
    if let Some(line) = line {
        write!(f, ":{line}")?;
        if let Some(column) = column {
            write!(f, ":{column}")?;
        }
    }
    Ok(())
}

/// A problem in a rule file, located by file, line and column (1-based).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub struct RuleError {
    /// The rule file as given, or `default:<path>` for the embedded pack.
    pub file: String,
    /// 1-based line, when the problem has a place in the file.
    pub line: Option<usize>,
    /// 1-based column in characters.
    pub column: Option<usize>,
    /// The rule id, when it is known.
    pub rule: Option<String>,
    /// What is wrong and how to mend it.
    pub message: String,
}

impl RuleError {
    /// An error at byte range `span` of `src` (the rule file's text).
    pub(crate) fn at(
        file: &str,
        src: &str,
        span: Option<Range<usize>>,
        rule: Option<&str>,
        message: String,
    ) -> Self {
        let place = span.map(|span| line_column(src, span.start));
        RuleError {
            file: file.to_string(),
            line: place.map(|p| p.0),
            column: place.map(|p| p.1),
            rule: rule.map(str::to_string),
            message,
        }
    }

    /// An error about the whole file (it cannot be read, it is too large).
    pub(crate) fn file(file: &str, message: String) -> Self {
        RuleError {
            file: file.to_string(),
            line: None,
            column: None,
            rule: None,
            message,
        }
    }
}

impl fmt::Display for RuleError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write_place(f, &self.file, self.line, self.column)?;
        if let Some(rule) = &self.rule {
            write!(f, ": rule `{rule}`")?;
        }
        write!(f, ": {}", self.message)
    }
}

/// A problem in a configuration file (or with a name it gives), located by
/// file, 1-based line and column when there is a place.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub struct ConfigError {
    /// The configuration file as found or given; `command line` for flags.
    pub file: String,
    /// 1-based line.
    pub line: Option<usize>,
    /// 1-based column in characters.
    pub column: Option<usize>,
    /// What is wrong and how to mend it.
    pub message: String,
}

impl fmt::Display for ConfigError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write_place(f, &self.file, self.line, self.column)?;
        write!(f, ": {}", self.message)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hint_names_the_closest_candidate_or_nothing() {
        assert_eq!(
            hint("ignroe", ["select", "ignore"]),
            " (did you mean `ignore`?)"
        );
        assert_eq!(hint("zzz", ["select", "ignore"]), "");
    }

    #[test]
    fn line_column_counts_characters_from_one() {
        let src = "ab\nçd = 1\n";
        assert_eq!(line_column(src, 0), (1, 1));
        assert_eq!(line_column(src, 3), (2, 1));
        // `d` comes after the two bytes of `ç`: the second character.
        assert_eq!(line_column(src, 5), (2, 2));
        // Inside `ç`: its start.
        assert_eq!(line_column(src, 4), (2, 1));
        assert_eq!(line_column(src, 999), (3, 1));
    }

    #[test]
    fn places_are_shown_as_file_line_column() {
        let e = RuleError::at("r.toml", "a\nb", Some(2..3), Some("x"), "bad".into());
        assert_eq!(e.to_string(), "r.toml:2:1: rule `x`: bad");
        let e = ConfigError {
            file: "command line".into(),
            line: None,
            column: None,
            message: "bad".into(),
        };
        assert_eq!(e.to_string(), "command line: bad");
    }
}
