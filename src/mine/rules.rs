//! Mined candidates as phrase rule files (`mine --write-rules DIR`): one
//! TOML file a candidate, in the pack layout
//! (`DIR/common/boilerplate/<id>.toml`), with two flagging examples taken
//! from the documents where the text was found and one silent example.
//!
//! Knows nothing of files: it makes ids and file texts; the caller writes
//! them and checks them with the rule loader before keeping them.

use std::collections::HashSet;

use super::{Candidate, Found};

/// Where rule files go under the folder given: pack, then category.
pub const PACK_DIR: [&str; 2] = ["common", "boilerplate"];

/// Longest rule id made from a text, in bytes.
const MAX_ID_BYTES: usize = 48;

/// A kebab-case id for the text `shown`, not in `taken` (the ids of the
/// loaded rules and of the rules made so far), which it joins.
pub fn rule_id(shown: &str, taken: &mut HashSet<String>) -> String {
    let mut base = String::new();
    for word in shown
        .split(|c: char| !c.is_ascii_alphanumeric())
        .filter(|w| !w.is_empty())
    {
        if base.len() + word.len() + 1 > MAX_ID_BYTES {
            break;
        }
        if !base.is_empty() {
            base.push('-');
        }
        base.push_str(&word.to_ascii_lowercase());
    }
    if base.is_empty() {
        base.push_str("boilerplate");
    }
    let base = format!("mined-{base}");
    let mut id = base.clone();
    let mut n = 2;
    while taken.contains(&id) {
        id = format!("{base}-{n}");
        n += 1;
    }
    taken.insert(id.clone());
    id
}

/// A TOML string literal.
fn quoted(s: &str) -> String {
    toml::Value::String(s.to_string()).to_string()
}

/// Whether `haystack` holds `needle`, ASCII case ignored (as phrases match).
fn holds(haystack: &str, needle: &str) -> bool {
    haystack
        .to_ascii_lowercase()
        .contains(&needle.to_ascii_lowercase())
}

/// The rule file of candidate `c`, whose text was found as `found` (one or
/// two documents). With `context`, each flagging example puts the line
/// before the text in front of it, and the silent example is that line of
/// the first document; without, the examples are the text alone and a
/// sentence of the rule's own (for when the context trips the rule).
pub fn rule_file(id: &str, c: &Candidate, found: &[Found], context: bool) -> String {
    let phrase = found.first().map_or("", |f| f.shown.as_str());
    let whole_line = c.whole_line();
    let share = c.share() * 100.0;
    let groups: Vec<String> = c
        .groups
        .iter()
        .take(3)
        .map(|(g, docs, of)| format!("{g} ({docs} of {of})"))
        .collect();
    let more = c.groups.len().saturating_sub(3);
    let placed = match c.position() {
        "start" => " at the start of documents",
        "end" => " at the end of documents",
        _ => "",
    };
    let as_what = if whole_line {
        "a whole line"
    } else {
        "a sentence"
    };
    let mut why = format!(
        "Found by `mtlint mine` as {as_what}{placed} in {} of {} documents ({share:.0}%) \
         of {}: {}{}. Text that a site repeats in every article is page furniture \
         that scraping kept, not news. Review before use.",
        c.docs,
        c.group_docs,
        if c.groups.len() == 1 {
            "one group".to_string()
        } else {
            format!("{} groups", c.groups.len())
        },
        groups.join(", "),
        if more > 0 {
            format!(" and {more} more")
        } else {
            String::new()
        }
    );
    why = why.replace('\n', " ");
    let short: String = if phrase.chars().count() > 60 {
        let mut s: String = phrase.chars().take(59).collect();
        s.push('…');
        s
    } else {
        phrase.to_string()
    };
    let mut out = String::new();
    out.push_str(&format!("id = {}\n", quoted(id)));
    out.push_str("kind = \"phrase\"\ncategory = \"boilerplate\"\nseverity = \"warning\"\n");
    out.push_str(&format!(
        "summary = {}\n",
        quoted(&format!(
            "Recurring boilerplate mined from the corpus: “{short}”"
        ))
    ));
    out.push_str(&format!("why = {}\n", quoted(&why)));
    out.push_str("message = \"Recurring boilerplate “{match}” left in the article\"\n");
    out.push_str(&format!("phrases = [{}]\n", quoted(phrase)));
    if whole_line {
        out.push_str("whole-line = true\n");
    }
    for f in found {
        let before = f.before.as_deref().filter(|b| context && !holds(b, phrase));
        let text = match before {
            Some(b) => format!("{b}\n\n{}", f.unit),
            None => f.unit.clone(),
        };
        out.push_str(&format!(
            "\n[[example]]\ntext = {}\nexpect = [{}]\n",
            quoted(&text),
            quoted(&f.shown)
        ));
    }
    let silent = found
        .iter()
        .filter_map(|f| f.before.as_deref())
        .find(|b| context && !holds(b, phrase))
        .map(str::to_string)
        .unwrap_or_else(|| {
            if whole_line {
                format!("The page said “{phrase}” in the middle of a sentence.")
            } else {
                "The article ends here.".to_string()
            }
        });
    out.push_str(&format!(
        "\n[[example]]\ntext = {}\nexpect = []\n",
        quoted(&silent)
    ));
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_are_kebab_case_and_unique() {
        let mut taken = HashSet::new();
        assert_eq!(
            rule_id("Share on Facebook!", &mut taken),
            "mined-share-on-facebook"
        );
        assert_eq!(
            rule_id("share on FACEBOOK", &mut taken),
            "mined-share-on-facebook-2"
        );
        assert_eq!(rule_id("« » ©", &mut taken), "mined-boilerplate");
        let long = rule_id(&"word ".repeat(40), &mut taken);
        assert!(long.len() <= MAX_ID_BYTES + 6, "{long}");
    }
}
