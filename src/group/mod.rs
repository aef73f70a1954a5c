//! The audit unit of a run: which group (source, site, feed, folder) a
//! document belongs to, from `--group-by`, and the day it is dated (`date`).
//! Shared by every command that groups documents (`check`'s reports, and
//! later mining and batch jobs): parsing the key, naming the record fields
//! a parser must keep for it, and turning what was kept into a group name.
//!
//! Imports nothing else from the crate: parsers are told which fields to
//! keep as plain names, and reporters are given the key.

pub mod date;

use std::fmt;
use std::path::Path;
use std::str::FromStr;

/// The group of a document whose key is missing (no such field, no URL).
pub const NONE: &str = "(none)";

/// What documents are grouped by (`--group-by`).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub enum GroupBy {
    /// The file (the default).
    #[default]
    Path,
    /// The first folder under the path given on the command line.
    Dir,
    /// A JSON Lines field (dotted path), CSV/TSV column or feed item child element.
    Field(String),
    /// The host of the record's `url` (else `link`) field; a feed item's link.
    Host,
    /// The title of the RSS channel or Atom feed an item is in.
    Feed,
    /// The document's language, as `--language`, the configuration, the
    /// input format or detection gave it (`en`, `de`, `zh`).
    Language,
}

/// The values `--group-by` takes, for messages.
pub const VALID: &str = "path, dir, field:NAME, host, feed, language";

/// A `--group-by` value that is none of [`VALID`].
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct BadGroupBy(pub String);

impl fmt::Display for BadGroupBy {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "unknown group key `{}`; valid keys: {VALID} (e.g. field:source)",
            self.0
        )
    }
}

impl std::error::Error for BadGroupBy {}

impl FromStr for GroupBy {
    type Err = BadGroupBy;

    fn from_str(s: &str) -> Result<Self, BadGroupBy> {
        match s {
            "path" => Ok(GroupBy::Path),
            "dir" => Ok(GroupBy::Dir),
            "host" => Ok(GroupBy::Host),
            "feed" => Ok(GroupBy::Feed),
            "language" => Ok(GroupBy::Language),
            _ => match s.strip_prefix("field:") {
                Some(name) if !name.trim().is_empty() => Ok(GroupBy::Field(name.to_string())),
                _ => Err(BadGroupBy(s.to_string())),
            },
        }
    }
}

impl fmt::Display for GroupBy {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            GroupBy::Path => f.write_str("path"),
            GroupBy::Dir => f.write_str("dir"),
            GroupBy::Field(name) => write!(f, "field:{name}"),
            GroupBy::Host => f.write_str("host"),
            GroupBy::Feed => f.write_str("feed"),
            GroupBy::Language => f.write_str("language"),
        }
    }
}

/// What a parser keeps of each record for grouping and dating it.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct RecordFields {
    /// Fields or columns whose first present value is the group value.
    pub group: Vec<String>,
    /// The feed's channel title is the group value of its items.
    pub feed_title: bool,
    /// The field or column holding the record's date; `None`: feed items
    /// use their own `pubDate`/`updated`, other records have none.
    pub date: Option<String>,
}

impl GroupBy {
    /// The record fields whose value is the group value, first present
    /// first; empty when the group does not come from the record.
    pub fn record_fields(&self) -> RecordFields {
        match self {
            GroupBy::Path | GroupBy::Dir | GroupBy::Language => RecordFields::default(),
            GroupBy::Field(name) => RecordFields {
                group: vec![name.clone()],
                ..RecordFields::default()
            },
            GroupBy::Host => RecordFields {
                group: vec!["url".into(), "link".into()],
                ..RecordFields::default()
            },
            GroupBy::Feed => RecordFields {
                feed_title: true,
                ..RecordFields::default()
            },
        }
    }

    /// The group of a document of the file `path` (as reported) whose
    /// record gave `record` (see [`GroupBy::record_fields`]) and whose
    /// language code is `language`; `roots` are the paths given on the
    /// command line, for [`GroupBy::Dir`]. A missing or empty key is the
    /// group [`NONE`].
    pub fn key(
        &self,
        path: &str,
        roots: &[String],
        record: Option<&str>,
        language: Option<&str>,
    ) -> String {
        let value = match self {
            GroupBy::Language => language,
            _ => record,
        };
        let value = value.map(str::trim).filter(|v| !v.is_empty());
        match self {
            GroupBy::Path => path.to_string(),
            GroupBy::Dir => first_folder(path, roots),
            GroupBy::Field(_) | GroupBy::Feed | GroupBy::Language => {
                value.unwrap_or(NONE).to_string()
            }
            GroupBy::Host => value.and_then(host_key).unwrap_or_else(|| NONE.to_string()),
        }
    }
}

/// The first folder of `path` under the longest of `roots` that holds it;
/// `.` for a file directly in a root; a file under no root (named on the
/// command line) goes by its own folder.
fn first_folder(path: &str, roots: &[String]) -> String {
    let p = Path::new(path);
    let under = roots
        .iter()
        .filter_map(|r| p.strip_prefix(r).ok())
        .min_by_key(|rel| rel.components().count());
    let folder = |rel: &Path| -> Option<String> {
        let mut parts = rel.components();
        let first = parts.next()?;
        parts.next()?;
        Some(first.as_os_str().to_string_lossy().into_owned())
    };
    match under {
        Some(rel) if rel.as_os_str().is_empty() => parent(p),
        Some(rel) => folder(rel).unwrap_or_else(|| ".".to_string()),
        None => parent(p),
    }
}

fn parent(p: &Path) -> String {
    match p.parent().map(|d| d.to_string_lossy().into_owned()) {
        Some(d) if !d.is_empty() => d,
        _ => ".".to_string(),
    }
}

/// The host of an absolute URL (`scheme://[user@]host[:port]/…`), lower
/// case, without a leading `www.`; `None` when `url` has none.
pub fn host(url: &str) -> Option<&str> {
    let url = url.trim();
    let (scheme, rest) = url.split_once("://")?;
    if scheme.is_empty()
        || !scheme
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'+' | b'-' | b'.'))
    {
        return None;
    }
    let authority = rest.split(['/', '?', '#']).next().unwrap_or("");
    let hostport = authority.rsplit('@').next().unwrap_or("");
    let host = if hostport.starts_with('[') {
        // An IPv6 literal keeps its brackets.
        hostport.split_inclusive(']').next().unwrap_or("")
    } else {
        hostport.split(':').next().unwrap_or("")
    };
    let host = host.strip_prefix("www.").unwrap_or(host);
    (!host.is_empty()).then_some(host)
}

/// [`host`], lower-cased (hosts are case-insensitive).
pub fn host_key(url: &str) -> Option<String> {
    host(url).map(str::to_ascii_lowercase)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_and_shows_keys() {
        for s in [
            "path",
            "dir",
            "host",
            "feed",
            "language",
            "field:source",
            "field:meta.site",
        ] {
            assert_eq!(s.parse::<GroupBy>().expect(s).to_string(), s);
        }
        for bad in ["", "field:", "field: ", "source", "Path", "lang"] {
            let e = bad.parse::<GroupBy>().unwrap_err();
            assert!(e.to_string().contains("field:NAME"), "{e}");
        }
    }

    #[test]
    fn language_groups_take_the_language_not_the_record() {
        let by = GroupBy::Language;
        assert!(by.record_fields().group.is_empty());
        assert_eq!(by.key("a.jsonl", &[], Some("Reuters"), Some("de")), "de");
        assert_eq!(by.key("a.jsonl", &[], Some("Reuters"), None), NONE);
        let field = GroupBy::Field("source".into());
        assert_eq!(
            field.key("a.jsonl", &[], Some("Reuters"), Some("de")),
            "Reuters"
        );
    }

    #[test]
    fn hosts() {
        assert_eq!(host("https://www.example.org/a/b?c"), Some("example.org"));
        assert_eq!(
            host("http://user:pw@news.example.com:8080"),
            Some("news.example.com")
        );
        assert_eq!(host("https://[::1]:80/x"), Some("[::1]"));
        assert_eq!(host("example.org/a"), None);
        assert_eq!(host("mailto:a@b"), None);
        assert_eq!(host("https:///nothing"), None);
        assert_eq!(host_key("HTTPS://Example.ORG/"), Some("example.org".into()));
    }

    #[test]
    fn keys_by_kind() {
        let roots = vec!["dumps".to_string(), "dumps/deep".to_string()];
        let key = |by: &str, path: &str, value: Option<&str>| {
            by.parse::<GroupBy>()
                .expect(by)
                .key(path, &roots, value, None)
        };
        assert_eq!(key("path", "dumps/a/x.jsonl", None), "dumps/a/x.jsonl");
        assert_eq!(key("dir", "dumps/a/b/x.jsonl", None), "a");
        assert_eq!(key("dir", "dumps/x.jsonl", None), ".");
        // The longest root that holds the path.
        assert_eq!(key("dir", "dumps/deep/c/x.jsonl", None), "c");
        assert_eq!(key("dir", "elsewhere/x.txt", None), "elsewhere");
        assert_eq!(key("dir", "x.txt", None), ".");
        assert_eq!(key("field:source", "a", Some(" Daily ")), "Daily");
        assert_eq!(key("field:source", "a", Some("  ")), NONE);
        assert_eq!(key("field:source", "a", None), NONE);
        assert_eq!(
            key("host", "a", Some("https://News.example/x")),
            "news.example"
        );
        assert_eq!(key("host", "a", Some("not a url")), NONE);
        assert_eq!(key("feed", "a", None), NONE);
    }
}
