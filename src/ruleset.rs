//! Loading rules: the embedded default pack and users' rule files, validated
//! strictly (unknown keys and kinds are errors with a "did you mean" hint),
//! then selected by id or category.

use std::collections::HashMap;
use std::fmt;
use std::ops::Range;
use std::path::{Path, PathBuf};
use std::sync::{Arc, RwLock};

use serde::Deserialize;
use toml::Spanned;

use crate::check::builtin;
use crate::check::literals::LiteralScan;
use crate::check::{Check, FixSpec, KINDS, MAX_RULESET_REGEX_BYTES, RegexBudget, RuleContext};
pub use crate::diagnostics::RuleError;
use crate::diagnostics::{hint, unknown_key, unknown_rule_or_category};
use crate::document::Document;
use crate::finding::{Example, Finding, RuleMeta, Severity};
use crate::language::{self, Language};

include!(concat!(env!("OUT_DIR"), "/embedded_rules.rs"));

/// Keys every rule file may have, whatever its kind.
const COMMON_KEYS: &[&str] = &[
    "id",
    "kind",
    "category",
    "severity",
    "message",
    "summary",
    "why",
    "languages",
    "fix",
    "example",
];

/// Caps that keep a hostile rule file from exhausting memory or time.
const MAX_RULES: usize = 5_000;
const MAX_EXAMPLES: usize = 200;
const MAX_RULE_FILE_BYTES: usize = 1 << 20;
/// All rule files read from disk together: a folder of thousands of
/// maximal files would otherwise be read whole into memory.
const MAX_TOTAL_RULE_BYTES: u64 = 64 << 20;

#[derive(Deserialize)]
#[serde(rename_all = "kebab-case")]
struct CommonSpec {
    id: Spanned<String>,
    kind: Spanned<String>,
    category: Spanned<String>,
    severity: Severity,
    message: Spanned<String>,
    summary: String,
    why: String,
    #[serde(default)]
    languages: Vec<Spanned<String>>,
    fix: Option<FixSpec>,
    #[serde(default, rename = "example")]
    examples: Vec<ExampleSpec>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct ExampleSpec {
    text: String,
    source: Option<String>,
    language: Option<Spanned<String>>,
    expect: Vec<String>,
    fixed: Option<String>,
}

fn is_kebab_case(s: &str) -> bool {
    !s.is_empty()
        && s.split('-').all(|part| {
            !part.is_empty()
                && part
                    .bytes()
                    .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit())
        })
}

/// Parses and compiles one rule file. `file` is the name shown in errors;
/// the rule's regexes are charged to `regex_budget`.
fn load_rule(
    file: &str,
    src: &str,
    regex_budget: &RegexBudget,
) -> Result<Box<dyn Check>, RuleError> {
    if src.len() > MAX_RULE_FILE_BYTES {
        return Err(RuleError::file(
            file,
            format!("rule file is larger than {MAX_RULE_FILE_BYTES} bytes"),
        ));
    }
    let table = toml::de::DeTable::parse(src)
        .map_err(|e| RuleError::at(file, src, e.span(), None, e.message().to_string()))?;
    let peek_id = table
        .get_ref()
        .get("id")
        .and_then(|v| v.get_ref().as_str())
        .map(str::to_string);
    let common: CommonSpec = toml::from_str(src).map_err(|e| {
        RuleError::at(
            file,
            src,
            e.span(),
            peek_id.as_deref(),
            e.message().to_string(),
        )
    })?;
    let id = common.id.get_ref().clone();
    let err =
        |span: Range<usize>, msg: String| RuleError::at(file, src, Some(span), Some(&id), msg);

    if !is_kebab_case(&id) {
        return Err(err(
            common.id.span(),
            "rule id must be kebab-case (lower-case letters, digits and `-`)".into(),
        ));
    }
    let stem = Path::new(file)
        .file_stem()
        .and_then(|s| s.to_str())
        .unwrap_or_default();
    if stem != id {
        return Err(err(
            common.id.span(),
            format!("rule id `{id}` must equal the file name `{stem}.toml`"),
        ));
    }
    if !is_kebab_case(common.category.get_ref()) {
        return Err(err(
            common.category.span(),
            "category must be kebab-case".into(),
        ));
    }
    let kind_names: Vec<&str> = KINDS.iter().map(|k| k.name).collect();
    let Some(kind) = KINDS.iter().find(|k| k.name == common.kind.get_ref()) else {
        return Err(err(
            common.kind.span(),
            format!(
                "unknown kind `{}`{}; valid kinds: {}",
                common.kind.get_ref(),
                hint(common.kind.get_ref(), kind_names.iter().copied()),
                kind_names.join(", ")
            ),
        ));
    };
    let valid: Vec<&str> = COMMON_KEYS.iter().chain(kind.keys).copied().collect();
    for (key, _) in table.get_ref() {
        if !valid.contains(&key.get_ref().as_ref()) {
            return Err(err(
                key.span(),
                unknown_key(key.get_ref(), &format!("for kind `{}`", kind.name), &valid),
            ));
        }
    }
    if common.examples.len() > MAX_EXAMPLES {
        return Err(err(0..0, format!("more than {MAX_EXAMPLES} examples")));
    }
    for entry in &common.languages {
        if !language::valid_entry(entry.get_ref()) {
            return Err(err(
                entry.span(),
                format!(
                    "invalid language `{}`: a lower-case ISO 639 code (`de`), `{}` (every \
                     language) or `{}` (Latin, Cyrillic or Greek script)",
                    entry.get_ref(),
                    language::ANY,
                    language::ALPHABETIC
                ),
            ));
        }
    }
    let languages: Vec<String> = if common.languages.is_empty() {
        language::pack_languages(file).unwrap_or_default()
    } else {
        common
            .languages
            .into_iter()
            .map(Spanned::into_inner)
            .collect()
    };
    // An example is in its own language, else the rule's first one.
    let rule_language = languages.iter().find_map(|l| Language::parse(l));
    let mut examples = Vec::with_capacity(common.examples.len());
    for e in common.examples {
        let language = match e.language {
            None => rule_language,
            Some(l) => Some(Language::parse(l.get_ref()).ok_or_else(|| {
                err(
                    l.span(),
                    format!(
                        "invalid example language `{}`: an ISO 639 code",
                        l.get_ref()
                    ),
                )
            })?),
        };
        examples.push(Example {
            text: e.text,
            source: e.source,
            expect: e.expect,
            fixed: e.fixed,
            language,
        });
    }
    let meta = Arc::new(RuleMeta {
        id: id.clone(),
        kind: kind.name,
        category: common.category.into_inner(),
        severity: common.severity,
        summary: common.summary,
        why: common.why,
        languages,
        source: file.to_string(),
        fix_safe: common.fix.as_ref().is_some_and(|f| f.safe),
        examples,
    });
    let ctx = RuleContext {
        file,
        src,
        meta,
        message: common.message,
        fix: common.fix,
        regex_budget,
    };
    (kind.build)(&ctx)
}

/// Where rules come from.
#[derive(Clone, Debug, Default)]
pub struct RuleSources {
    /// Load the embedded default pack.
    pub default_rules: bool,
    /// Extra rule files, or folders searched recursively for `*.toml`.
    pub extra: Vec<PathBuf>,
}

/// A loaded, selected set of rules, shared read-only across threads.
pub struct Ruleset {
    checks: Vec<Box<dyn Check>>,
    invalid_utf8: Option<Arc<RuleMeta>>,
    /// One scan for the literals of every phrase-like check.
    literal_scan: Option<LiteralScan>,
    /// For each language met so far, which checks apply to it: asked per
    /// document, answered once per language.
    applicable: RwLock<Vec<(Language, Arc<[bool]>)>>,
}

impl fmt::Debug for Ruleset {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_list().entries(self.rules().map(|r| &r.id)).finish()
    }
}

impl Ruleset {
    /// Loads rules from `sources`; every broken file is reported, not just the first.
    pub fn load(sources: &RuleSources) -> Result<Self, Vec<RuleError>> {
        let mut files: Vec<(String, String)> = Vec::new();
        let mut errors = Vec::new();
        if sources.default_rules {
            files.extend(
                EMBEDDED_RULES
                    .iter()
                    .map(|(path, src)| (format!("rules/{path}"), (*src).to_string())),
            );
        }
        let mut budget = Some(MAX_TOTAL_RULE_BYTES);
        for path in &sources.extra {
            collect_rule_files(path, &mut files, &mut errors, &mut budget);
        }
        let built_in = if sources.default_rules {
            EMBEDDED_RULES.len()
        } else {
            0
        };
        match Self::from_sources_within(&files, built_in, MAX_RULESET_REGEX_BYTES) {
            Ok(set) if errors.is_empty() => Ok(set),
            Ok(_) => Err(errors),
            Err(mut more) => {
                errors.append(&mut more);
                Err(errors)
            }
        }
    }

    /// The embedded default pack alone, every rule selected.
    pub fn default_pack() -> Result<Self, Vec<RuleError>> {
        Self::load(&RuleSources {
            default_rules: true,
            extra: Vec::new(),
        })
    }

    /// Builds a ruleset from `(file name, contents)` pairs.
    pub fn from_sources(files: &[(String, String)]) -> Result<Self, Vec<RuleError>> {
        Self::from_sources_within(files, 0, MAX_RULESET_REGEX_BYTES)
    }

    /// Like [`Ruleset::from_sources`], the first `built_in` files being the
    /// embedded pack (whose regex sizes are not measured: see
    /// [`RegexBudget::built_in`]), with `regex_bytes` for the compiled
    /// regexes of all rules together (a parameter so tests can make it small).
    fn from_sources_within(
        files: &[(String, String)],
        built_in: usize,
        regex_bytes: usize,
    ) -> Result<Self, Vec<RuleError>> {
        let mut errors = Vec::new();
        if files.len() > MAX_RULES {
            errors.push(RuleError::file(
                "rules",
                format!("more than {MAX_RULES} rule files"),
            ));
            return Err(errors);
        }
        let mut checks: Vec<Box<dyn Check>> = Vec::new();
        let mut seen: HashMap<String, String> = HashMap::new();
        let mut regex_left = regex_bytes;
        for (n, (file, src)) in files.iter().enumerate() {
            if regex_left == 0 {
                errors.push(RuleError::file(
                    file,
                    format!(
                        "not loaded, nor the {} rule files after it: the regexes of the rules \
                         before it (refused ones included) reached the size limit of \
                         {regex_bytes} bytes for all rules together",
                        files.len() - n - 1
                    ),
                ));
                break;
            }
            let budget = if n < built_in {
                RegexBudget::built_in(regex_bytes)
            } else {
                RegexBudget::new(regex_left, regex_bytes)
            };
            let loaded = load_rule(file, src, &budget);
            regex_left = regex_left.saturating_sub(budget.spent());
            match loaded {
                Ok(check) => {
                    let id = check.meta().id.clone();
                    if let Some(first) = seen.get(&id) {
                        errors.push(RuleError::file(
                            file,
                            format!("duplicate rule id `{id}`: already defined in {first}"),
                        ));
                        continue;
                    }
                    seen.insert(id, file.clone());
                    checks.push(check);
                }
                Err(e) => errors.push(e),
            }
        }
        if !errors.is_empty() {
            return Err(errors);
        }
        checks.sort_by(|a, b| a.meta().id.cmp(&b.meta().id));
        let literal_scan = LiteralScan::new(&checks);
        Ok(Ruleset {
            checks,
            invalid_utf8: Some(builtin::invalid_utf8_rule()),
            literal_scan,
            applicable: RwLock::default(),
        })
    }

    /// Keeps only rules named (by id or category) in `select`, when it is not
    /// empty, then drops those named in `ignore`. Unknown names are errors.
    pub fn select(&mut self, select: &[String], ignore: &[String]) -> Result<(), String> {
        let known: Vec<String> = self
            .rules()
            .flat_map(|r| [r.id.clone(), r.category.clone()])
            .collect();
        for name in select.iter().chain(ignore) {
            if name != "all" && !known.contains(name) {
                return Err(unknown_rule_or_category(
                    name,
                    known.iter().map(String::as_str),
                ));
            }
        }
        let keep = |meta: &RuleMeta| {
            let named = |list: &[String]| {
                list.iter()
                    .any(|n| n == "all" || *n == meta.id || *n == meta.category)
            };
            (select.is_empty() || named(select)) && !named(ignore)
        };
        let before = self.checks.len();
        self.checks.retain(|c| keep(c.meta()));
        if self.checks.len() != before {
            self.literal_scan = LiteralScan::new(&self.checks);
            self.applicable = RwLock::default();
        }
        if self.invalid_utf8.as_ref().is_some_and(|m| !keep(m)) {
            self.invalid_utf8 = None;
        }
        Ok(())
    }

    /// The compiled rules, sorted by id.
    pub fn checks(&self) -> &[Box<dyn Check>] {
        &self.checks
    }

    /// Runs every rule on `doc`, appending findings to `out` (unsorted), and
    /// calls `after_check` with the length `out` had before each rule ran.
    /// Literal-list rules share one scan of the text.
    pub(crate) fn run_checks(
        &self,
        doc: &Document<'_>,
        out: &mut Vec<Finding>,
        after_check: impl FnMut(&dyn Check, &mut Vec<Finding>, usize),
    ) {
        self.run_checks_where(doc, out, |_| true, after_check);
    }

    /// [`Ruleset::run_checks`] with only the rules `keep` selects. Either
    /// way, only rules that apply to the document's language run.
    pub(crate) fn run_checks_where(
        &self,
        doc: &Document<'_>,
        out: &mut Vec<Finding>,
        keep: impl Fn(&dyn Check) -> bool,
        mut after_check: impl FnMut(&dyn Check, &mut Vec<Finding>, usize),
    ) {
        let language = doc.language();
        let applicable = self.applicable_to(language);
        let wanted: Vec<bool> = self
            .checks
            .iter()
            .zip(applicable.iter())
            .map(|(c, &applies)| applies && keep(c.as_ref()))
            .collect();
        let scan_needed = self
            .checks
            .iter()
            .zip(&wanted)
            .any(|(c, &w)| w && c.literal_check().is_some());
        let hits = self
            .literal_scan
            .as_ref()
            .filter(|_| scan_needed)
            .map(|scan| scan.scan(doc, |c| wanted[c]));
        for (k, check) in self.checks.iter().enumerate() {
            if !wanted[k] {
                continue;
            }
            let before = out.len();
            match (&hits, check.literal_check()) {
                (Some(hits), Some(rule)) => rule.check_hits(doc, &hits[k], out),
                _ => check.check(doc, out),
            }
            after_check(check.as_ref(), out, before);
        }
    }

    /// Which checks apply to documents in `language`, by index.
    fn applicable_to(&self, language: Language) -> Arc<[bool]> {
        let known = |list: &[(Language, Arc<[bool]>)]| {
            list.iter()
                .find(|(l, _)| *l == language)
                .map(|(_, a)| Arc::clone(a))
        };
        // A poisoned lock only means another thread panicked mid-push: the
        // list is still whole.
        if let Some(a) = known(&self.applicable.read().unwrap_or_else(|e| e.into_inner())) {
            return a;
        }
        let mut list = self.applicable.write().unwrap_or_else(|e| e.into_inner());
        if let Some(a) = known(&list) {
            return a;
        }
        let a: Arc<[bool]> = self
            .checks
            .iter()
            .map(|c| language::applies(&c.meta().languages, language))
            .collect();
        list.push((language, Arc::clone(&a)));
        a
    }

    /// The built-in invalid UTF-8 rule, unless it was deselected.
    pub fn invalid_utf8(&self) -> Option<&Arc<RuleMeta>> {
        self.invalid_utf8.as_ref()
    }

    /// Metadata of every rule, the built-in one included, sorted by id.
    pub fn rules(&self) -> impl Iterator<Item = &Arc<RuleMeta>> {
        let mut all: Vec<&Arc<RuleMeta>> = self
            .checks
            .iter()
            .map(|c| c.meta())
            .chain(self.invalid_utf8.as_ref())
            .collect();
        all.sort_by(|a, b| a.id.cmp(&b.id));
        all.into_iter()
    }

    /// The rule with this id.
    pub fn get(&self, id: &str) -> Option<&Arc<RuleMeta>> {
        self.rules().find(|r| r.id == id)
    }

    /// The compiled rule with this id.
    pub fn check(&self, id: &str) -> Option<&dyn Check> {
        self.checks
            .iter()
            .find(|c| c.meta().id == id)
            .map(|c| c.as_ref())
    }
}

/// A rule's own keys as written (key, value shown short), and its kind's
/// keys it leaves at their defaults.
pub type RuleOptions = (Vec<(String, String)>, Vec<&'static str>);

/// The kind's own keys of a loaded rule (its thresholds and options), as
/// written in its file, each value shown short (long lists and tables as a
/// count), and the kind's keys it leaves at their defaults; for `mtlint
/// explain`. Read again from the rule's source (the embedded pack or the
/// file), so that loading rules for a check keeps nothing it never shows.
/// `None` when the source cannot be read again (a file changed meanwhile).
pub fn rule_options(meta: &RuleMeta) -> Option<RuleOptions> {
    let kind = KINDS.iter().find(|k| k.name == meta.kind)?;
    let embedded = meta.source.strip_prefix("rules/").and_then(|path| {
        EMBEDDED_RULES
            .iter()
            .find(|(p, _)| *p == path)
            .map(|(_, src)| (*src).to_string())
    });
    let src = match embedded {
        Some(src) => src,
        None => {
            let bytes = read_at_most(Path::new(&meta.source), MAX_RULE_FILE_BYTES).ok()?;
            String::from_utf8(bytes).ok()?
        }
    };
    let table: toml::Table = toml::from_str(&src).ok()?;
    let mut written = Vec::new();
    let mut defaults = Vec::new();
    for key in kind.keys {
        match table.get(*key) {
            Some(value) => written.push((key.to_string(), short_value(value))),
            None => defaults.push(*key),
        }
    }
    Some((written, defaults))
}

/// A TOML value in a line: long strings cut, lists of more than six items
/// and arrays of tables counted.
fn short_value(value: &toml::Value) -> String {
    const LONGEST: usize = 100;
    match value {
        toml::Value::String(s) if s.chars().count() > LONGEST => {
            let cut: String = s.chars().take(LONGEST).collect();
            format!("{:?}…", cut)
        }
        toml::Value::Array(items) if items.iter().any(toml::Value::is_table) => {
            format!("{} tables", items.len())
        }
        toml::Value::Array(items) if items.len() > 6 => {
            let first: Vec<String> = items.iter().take(3).map(short_value).collect();
            format!("[{}, … {} in all]", first.join(", "), items.len())
        }
        toml::Value::Table(t) => format!("a table of {} keys", t.len()),
        other => other.to_string(),
    }
}

/// What `file_type` is, for an error about a rules path that is not what it
/// should be ("a named pipe (FIFO)").
fn file_kind(file_type: std::fs::FileType) -> &'static str {
    if file_type.is_file() {
        return "a regular file";
    }
    if file_type.is_dir() {
        return "a folder";
    }
    #[cfg(unix)]
    {
        use std::os::unix::fs::FileTypeExt;
        if file_type.is_fifo() {
            return "a named pipe (FIFO)";
        }
        if file_type.is_char_device() {
            return "a character device";
        }
        if file_type.is_block_device() {
            return "a block device";
        }
        if file_type.is_socket() {
            return "a socket";
        }
    }
    if file_type.is_symlink() {
        return "a symbolic link";
    }
    "neither a regular file nor a folder"
}

/// Reads the rule files at `path` (a file, or a folder searched for `*.toml`)
/// into `files`; `budget` is the number of bytes all rule files may still
/// take, `None` once they took more (and that was reported).
///
/// Only regular files and folders are rules paths, through symbolic links
/// too; anything else (a named pipe, a device, a socket) is an error, found
/// from its metadata without opening it (opening a named pipe waits for a
/// writer). Inside a folder, a `*.toml` entry that is such a file is an error
/// too, like any other broken rule file there; symbolic links inside a
/// folder are not followed.
fn collect_rule_files(
    path: &Path,
    files: &mut Vec<(String, String)>,
    errors: &mut Vec<RuleError>,
    budget: &mut Option<u64>,
) {
    let shown = path.display().to_string();
    let meta = match std::fs::metadata(path) {
        Ok(m) => m,
        Err(e) => {
            errors.push(RuleError::file(&shown, format!("cannot read rules: {e}")));
            return;
        }
    };
    if !meta.is_file() && !meta.is_dir() {
        let linked = std::fs::symlink_metadata(path).is_ok_and(|m| m.file_type().is_symlink());
        let what = file_kind(meta.file_type());
        let what = if linked {
            format!("a symbolic link to {what}")
        } else {
            what.to_string()
        };
        errors.push(RuleError::file(
            &shown,
            format!("cannot read rules: this is {what}, not a rule file or folder"),
        ));
        return;
    }
    if meta.is_file() {
        // Refuse before reading: the file may be huge (or sparse).
        if meta.len() > MAX_RULE_FILE_BYTES as u64 {
            errors.push(RuleError::file(
                &shown,
                format!("rule file is larger than {MAX_RULE_FILE_BYTES} bytes"),
            ));
            return;
        }
        let Some(left) = *budget else {
            return;
        };
        if meta.len() > left {
            errors.push(RuleError::file(
                &shown,
                format!("rule files take more than {MAX_TOTAL_RULE_BYTES} bytes in all"),
            ));
            *budget = None;
            return;
        }
        *budget = Some(left - meta.len());
        match read_at_most(path, MAX_RULE_FILE_BYTES) {
            Ok(bytes) => match String::from_utf8(bytes) {
                Ok(src) => files.push((shown, src)),
                Err(_) => errors.push(RuleError::file(
                    &shown,
                    "rule file is not valid UTF-8".into(),
                )),
            },
            Err(e) => errors.push(RuleError::file(
                &shown,
                format!("cannot read rule file: {e}"),
            )),
        }
        return;
    }
    let mut found: Vec<PathBuf> = Vec::new();
    for entry in ignore::WalkBuilder::new(path)
        .standard_filters(false)
        .follow_links(false)
        .build()
    {
        match entry {
            Ok(e) if e.path().extension().is_some_and(|x| x == "toml") => match e.file_type() {
                Some(t) if t.is_file() => found.push(e.into_path()),
                // Folders are walked; links are not followed (as `rg` does).
                Some(t) if t.is_dir() || t.is_symlink() => {}
                Some(t) => errors.push(RuleError::file(
                    &e.path().display().to_string(),
                    format!(
                        "cannot read rules: this is {}, not a rule file",
                        file_kind(t)
                    ),
                )),
                None => {}
            },
            Ok(_) => {}
            Err(e) => errors.push(RuleError::file(
                &shown,
                format!("cannot walk rules folder: {e}"),
            )),
        }
    }
    found.sort();
    for p in found {
        collect_rule_files(&p, files, errors, budget);
    }
}

/// The bytes of the regular file at `path`, up to one past `limit` (a file
/// that grows after it was measured is still refused by the size check that
/// follows). A file replaced by something else since it was checked is an
/// error, and does not block the open if it is now a named pipe.
fn read_at_most(path: &Path, limit: usize) -> std::io::Result<Vec<u8>> {
    use std::io::Read;
    let mut options = std::fs::OpenOptions::new();
    options.read(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        // No effect on a regular file's reads.
        options.custom_flags(libc::O_NONBLOCK);
    }
    let file = options.open(path)?;
    let file_type = file.metadata()?.file_type();
    if !file_type.is_file() {
        return Err(std::io::Error::other(format!(
            "it is now {}, not a regular file",
            file_kind(file_type)
        )));
    }
    let mut bytes = Vec::new();
    file.take(limit as u64 + 1).read_to_end(&mut bytes)?;
    Ok(bytes)
}

#[cfg(test)]
mod tests {
    use super::*;

    const GOOD: &str = r#"
id = "demo"
kind = "pattern"
category = "punctuation"
severity = "warning"
message = "found {match}"
summary = "s"
why = "w"
pattern = 'x+'
"#;

    fn load_one(src: &str) -> Result<Ruleset, Vec<RuleError>> {
        Ruleset::from_sources(&[("demo.toml".to_string(), src.to_string())])
    }

    fn load_err(src: &str) -> RuleError {
        load_one(src)
            .expect_err("rule should fail to load")
            .remove(0)
    }

    #[test]
    fn default_pack_loads() {
        let set = Ruleset::default_pack().expect("default pack loads");
        assert!(
            set.checks().len() >= 20,
            "only {} default rules",
            set.checks().len()
        );
    }

    #[test]
    fn unknown_key_is_located_with_hint() {
        let e = load_err(&GOOD.replace("pattern = 'x+'", "patern = 'x+'"));
        assert_eq!(e.line, Some(9));
        assert_eq!(e.column, Some(1));
        assert!(e.message.contains("did you mean `pattern`"), "{e}");
        assert!(e.message.contains("valid keys:"), "{e}");
        assert_eq!(e.rule.as_deref(), Some("demo"));
    }

    #[test]
    fn unknown_kind_lists_kinds() {
        let e = load_err(&GOOD.replace("kind = \"pattern\"", "kind = \"patern\""));
        assert_eq!(e.line, Some(3));
        assert!(e.message.contains("did you mean `pattern`"), "{e}");
        assert!(e.message.contains("list-duplicate"), "{e}");
    }

    #[test]
    fn bad_regex_names_rule_and_line() {
        let e = load_err(&GOOD.replace("'x+'", "'(x'"));
        assert_eq!(e.line, Some(9));
        assert!(e.to_string().starts_with("demo.toml:9:"), "{e}");
        assert!(e.message.contains("invalid regex"), "{e}");
    }

    #[test]
    fn syntax_error_is_located() {
        let e = load_err("id = \"demo\"\nkind = \n");
        assert_eq!(e.line, Some(2));
    }

    #[test]
    fn missing_field_is_reported() {
        let e = load_err(&GOOD.replace("why = \"w\"\n", ""));
        assert!(e.message.contains("why"), "{e}");
        assert_eq!(e.rule.as_deref(), Some("demo"));
    }

    #[test]
    fn bad_severity_and_placeholder() {
        let e = load_err(&GOOD.replace("\"warning\"", "\"fatal\""));
        assert!(e.message.contains("fatal"), "{e}");
        let e = load_err(&GOOD.replace("{match}", "{nope}"));
        assert!(e.message.contains("{nope}"), "{e}");
        // The placeholders listed are those the pattern has.
        assert!(
            e.message
                .ends_with("valid placeholders: {match}, {lines}, {0}"),
            "{e}"
        );
        let e = load_err(&GOOD.replace("{match}", "{3}").replace("'x+'", "'(x)+(y)'"));
        assert!(
            e.message
                .ends_with("valid placeholders: {match}, {lines}, {0}..{2}"),
            "{e}"
        );
    }

    #[test]
    fn id_must_match_file_name_and_be_unique() {
        let e = Ruleset::from_sources(&[("other.toml".into(), GOOD.into())])
            .unwrap_err()
            .remove(0);
        assert!(e.message.contains("other.toml"), "{e}");
        let errs = Ruleset::from_sources(&[
            ("a/demo.toml".into(), GOOD.into()),
            ("b/demo.toml".into(), GOOD.into()),
        ])
        .unwrap_err();
        assert!(
            errs[0].message.contains("a/demo.toml") && errs[0].file == "b/demo.toml",
            "{}",
            errs[0]
        );
    }

    /// Every built-in rule fits its regex limit ten times over, and the
    /// whole pack the ruleset's a hundred times over: users' rules need room.
    #[test]
    fn built_in_rules_fit_the_regex_limits_with_room() {
        use crate::check::MAX_RULE_REGEX_BYTES;
        let mut total = 0;
        let mut largest = (0, "");
        for (path, src) in EMBEDDED_RULES {
            let budget = RegexBudget::new(MAX_RULESET_REGEX_BYTES, MAX_RULESET_REGEX_BYTES);
            load_rule(path, src, &budget).expect("built-in rule loads");
            total += budget.spent();
            largest = largest.max((budget.spent(), *path));
        }
        assert!(largest.0 * 10 < MAX_RULE_REGEX_BYTES, "{largest:?}");
        assert!(total * 100 < MAX_RULESET_REGEX_BYTES, "{total}");
    }

    /// Rules that each fit but not together: the one that crosses the
    /// ruleset's limit is refused, and the rules after it are not loaded.
    #[test]
    fn the_ruleset_limit_stops_loading() {
        let rule = |id: &str| {
            (
                format!("{id}.toml"),
                GOOD.replace("\"demo\"", &format!("\"{id}\""))
                    .replace("'x+'", r"'\w'"),
            )
        };
        let files = [rule("a"), rule("b"), rule("c"), rule("d")];
        // `\w` compiles to about 57 kB: two fit, the third does not.
        let errors = Ruleset::from_sources_within(&files, 0, 150_000).expect_err("too big");
        assert_eq!(errors.len(), 2, "{errors:?}");
        assert_eq!(errors[0].rule.as_deref(), Some("c"), "{}", errors[0]);
        assert_eq!(errors[0].line, Some(9), "{}", errors[0]);
        assert!(
            errors[0]
                .message
                .contains("size limit for all rules together"),
            "{}",
            errors[0]
        );
        assert_eq!(errors[1].file, "d.toml", "{}", errors[1]);
        assert!(
            errors[1]
                .message
                .contains("not loaded, nor the 0 rule files after it"),
            "{}",
            errors[1]
        );
        Ruleset::from_sources_within(&files[..2], 0, 150_000).expect("two fit");
    }

    /// A rule file replaced by a named pipe after its metadata was read is
    /// refused when opened, without waiting for a writer.
    #[cfg(unix)]
    #[test]
    fn reading_a_named_pipe_does_not_block() {
        let dir = tempfile::TempDir::new().expect("temp dir");
        let fifo = dir.path().join("pipe.toml");
        let made = std::process::Command::new("mkfifo")
            .arg(&fifo)
            .status()
            .expect("mkfifo runs");
        assert!(made.success());
        let e = read_at_most(&fifo, 100).expect_err("not a regular file");
        assert!(e.to_string().contains("now a named pipe"), "{e}");
    }

    #[test]
    fn select_and_ignore_by_id_and_category() {
        let mut set = Ruleset::default_pack().unwrap();
        set.select(&["punctuation".into()], &["stray-period".into()])
            .unwrap();
        assert!(
            set.checks()
                .iter()
                .all(|c| c.meta().category == "punctuation")
        );
        assert!(set.check("stray-period").is_none());
        assert!(set.invalid_utf8().is_none());
        let err = set.select(&["punctuatoin".into()], &[]).unwrap_err();
        assert!(err.contains("did you mean `punctuation`"), "{err}");
    }
}
