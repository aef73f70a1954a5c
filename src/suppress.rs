//! Inline suppressions: `<!-- mtlint-disable ID -->` … `<!-- mtlint-enable ID
//! -->` and `<!-- mtlint-disable-next-line ID -->`, found by scanning the
//! original bytes of a file (so they work in any input format that can hold
//! an HTML comment, plain text included). Owns the directive syntax and the
//! regions directives cover; imports nothing else from the crate, so knows
//! nothing of input formats, findings or reporters: it is given rule ids,
//! categories, byte offsets and lines.

use std::collections::BTreeSet;
use std::ops::Range;

/// Most directives honoured in one file; a hostile file cannot make the
/// suppression pass quadratic beyond this.
pub const MAX_DIRECTIVES: usize = 1_000;

/// What a suppression comment asks for.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum DirectiveKind {
    /// `mtlint-disable`: from here to the matching enable, or the end of file.
    Disable,
    /// `mtlint-enable`: ends a disable.
    Enable,
    /// `mtlint-disable-next-line`: the line after the comment's last line.
    DisableNextLine,
}

impl DirectiveKind {
    /// The keyword as written in the comment.
    pub fn keyword(self) -> &'static str {
        match self {
            DirectiveKind::Disable => "mtlint-disable",
            DirectiveKind::Enable => "mtlint-enable",
            DirectiveKind::DisableNextLine => "mtlint-disable-next-line",
        }
    }
}

/// One suppression comment in a file.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Directive {
    /// Which directive.
    pub kind: DirectiveKind,
    /// Rule ids or categories named; empty = every rule.
    pub rules: Vec<String>,
    /// Byte span of the whole comment, `<!--` to `-->` inclusive (0-based, half-open).
    pub span: Range<usize>,
}

/// Finds the suppression comments in `bytes`, in order of appearance.
pub fn scan(bytes: &[u8]) -> Vec<Directive> {
    let mut out = Vec::new();
    let opener = memchr::memmem::Finder::new(b"<!--");
    let closer = memchr::memmem::Finder::new(b"-->");
    let mut at = 0;
    while out.len() < MAX_DIRECTIVES {
        let Some(open) = opener.find(&bytes[at..]).map(|i| at + i) else {
            break;
        };
        let body_start = open + 4;
        let Some(close) = closer.find(&bytes[body_start..]).map(|i| body_start + i) else {
            break;
        };
        at = close + 3;
        if let Some((kind, rules)) = parse_body(&bytes[body_start..close]) {
            out.push(Directive {
                kind,
                rules,
                span: open..at,
            });
        }
    }
    out
}

/// Parses the inside of a comment: a keyword then ids separated by spaces or
/// commas. `None` when it is not a directive.
fn parse_body(body: &[u8]) -> Option<(DirectiveKind, Vec<String>)> {
    let body = std::str::from_utf8(body).ok()?.trim();
    // Longest keyword first: `mtlint-disable` is a prefix of the next-line one.
    let kinds = [
        DirectiveKind::DisableNextLine,
        DirectiveKind::Disable,
        DirectiveKind::Enable,
    ];
    let (kind, rest) = kinds.iter().find_map(|&k| {
        let rest = body.strip_prefix(k.keyword())?;
        (rest.is_empty() || rest.starts_with(|c: char| c.is_whitespace())).then_some((k, rest))
    })?;
    let rules = rest
        .split(|c: char| c.is_whitespace() || c == ',')
        .filter(|s| !s.is_empty())
        .map(str::to_string)
        .collect();
    Some((kind, rules))
}

/// Where a suppression applies.
#[derive(Clone, Debug)]
enum Scope {
    /// Findings starting in this byte range.
    Bytes(Range<usize>),
    /// Findings starting on this 1-based line.
    Line(usize),
}

#[derive(Clone, Debug)]
struct Region {
    directive: usize,
    /// Rules suppressed; empty = every rule except `except`.
    rules: Vec<String>,
    except: Vec<String>,
    scope: Scope,
}

/// The suppressions of one file, and which of them were used.
#[derive(Debug, Default)]
pub struct Suppressions {
    directives: Vec<Directive>,
    regions: Vec<Region>,
    used_any: Vec<bool>,
    used_rules: Vec<BTreeSet<String>>,
    /// Regions still open (a `mtlint-disable` not yet closed).
    open: Vec<usize>,
}

/// A directive, or one rule it names, that suppressed nothing.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Unused<'a> {
    /// The directive.
    pub directive: &'a Directive,
    /// The rule named that matched nothing; `None` when the directive names none.
    pub rule: Option<&'a str>,
}

impl Suppressions {
    /// Builds the regions of `directives`; `last_line(i)` gives the 1-based
    /// line of the last byte of directive `i` (for `disable-next-line`).
    pub fn new(directives: Vec<Directive>, last_line: impl Fn(usize) -> usize) -> Self {
        let mut s = Suppressions::default();
        for (i, d) in directives.into_iter().enumerate() {
            let line = last_line(i);
            s.push(d, line);
        }
        s
    }

    /// Adds the next directive of the file, after those already given (a
    /// file read in parts gives each part's directives as it comes), whose
    /// last byte is on 1-based line `last_line`. Regions it opens run to the
    /// end of the file until a later `mtlint-enable` closes them, as in
    /// [`Suppressions::new`]; so a finding can be asked about as soon as
    /// every directive before it was pushed.
    pub fn push(&mut self, d: Directive, last_line: usize) {
        let i = self.directives.len();
        let regions = &mut self.regions;
        match d.kind {
            DirectiveKind::DisableNextLine => regions.push(Region {
                directive: i,
                rules: d.rules.clone(),
                except: Vec::new(),
                scope: Scope::Line(last_line + 1),
            }),
            DirectiveKind::Disable => {
                self.open.push(regions.len());
                regions.push(Region {
                    directive: i,
                    rules: d.rules.clone(),
                    except: Vec::new(),
                    scope: Scope::Bytes(d.span.end..usize::MAX),
                });
            }
            DirectiveKind::Enable => {
                let mut reopened = Vec::new();
                for &r in &self.open {
                    let region = &mut regions[r];
                    let (keep_rules, keep_except) = if d.rules.is_empty() {
                        (None, None)
                    } else if region.rules.is_empty() {
                        let mut except = region.except.clone();
                        except.extend(d.rules.iter().cloned());
                        (Some(Vec::new()), Some(except))
                    } else {
                        let left: Vec<String> = region
                            .rules
                            .iter()
                            .filter(|r| !d.rules.contains(r))
                            .cloned()
                            .collect();
                        if left.len() == region.rules.len() {
                            reopened.push(r);
                            continue;
                        }
                        (
                            (!left.is_empty()).then_some(left),
                            Some(region.except.clone()),
                        )
                    };
                    if let Scope::Bytes(range) = &mut region.scope {
                        range.end = d.span.start;
                    }
                    if let (Some(rules), Some(except)) = (keep_rules, keep_except) {
                        let directive = region.directive;
                        reopened.push(regions.len());
                        regions.push(Region {
                            directive,
                            rules,
                            except,
                            scope: Scope::Bytes(d.span.end..usize::MAX),
                        });
                    }
                }
                self.open = reopened;
            }
        }
        self.directives.push(d);
        self.used_any.push(false);
        self.used_rules.push(BTreeSet::new());
    }

    /// The directives given so far, in order.
    pub fn directives(&self) -> &[Directive] {
        &self.directives
    }

    /// Whether there are no directives at all.
    pub fn is_empty(&self) -> bool {
        self.directives.is_empty()
    }

    /// Whether a finding of rule `id` (in `category`) starting at byte `start`
    /// on 1-based `line` is suppressed; records the use.
    pub fn suppresses(&mut self, id: &str, category: &str, start: usize, line: usize) -> bool {
        if self
            .directives
            .iter()
            .any(|d| d.kind != DirectiveKind::Enable && d.span.contains(&start))
        {
            // An artifact inside the suppression comment itself.
            return true;
        }
        let names = |list: &[String]| list.iter().find(|n| *n == id || *n == category).cloned();
        let mut hit = false;
        for region in &self.regions {
            let inside = match &region.scope {
                Scope::Bytes(r) => r.contains(&start),
                Scope::Line(l) => *l == line,
            };
            if !inside {
                continue;
            }
            if region.rules.is_empty() {
                if names(&region.except).is_none() {
                    self.used_any[region.directive] = true;
                    hit = true;
                }
            } else if let Some(name) = names(&region.rules) {
                self.used_rules[region.directive].insert(name);
                hit = true;
            }
        }
        hit
    }

    /// The directives (or the rules they name) that suppressed nothing.
    /// `Enable` directives are never reported.
    pub fn unused(&self) -> Vec<Unused<'_>> {
        let mut out = Vec::new();
        for (i, d) in self.directives.iter().enumerate() {
            if d.kind == DirectiveKind::Enable {
                continue;
            }
            if d.rules.is_empty() {
                if !self.used_any[i] {
                    out.push(Unused {
                        directive: d,
                        rule: None,
                    });
                }
                continue;
            }
            for rule in &d.rules {
                if !self.used_rules[i].contains(rule) {
                    out.push(Unused {
                        directive: d,
                        rule: Some(rule),
                    });
                }
            }
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn build(text: &str) -> Suppressions {
        let found = scan(text.as_bytes());
        let lines: Vec<usize> = found
            .iter()
            .map(|d| text[..d.span.end - 1].matches('\n').count() + 1)
            .collect();
        Suppressions::new(found, |i| lines[i])
    }

    #[test]
    fn scans_directives_with_ids_and_commas() {
        let text = "a <!-- mtlint-disable doubled-word, stray-period --> b\n\
                    <!--mtlint-enable-->\n<!-- mtlint-disable-next-line -->\n<!-- other -->";
        let found = scan(text.as_bytes());
        assert_eq!(found.len(), 3);
        assert_eq!(found[0].kind, DirectiveKind::Disable);
        assert_eq!(found[0].rules, ["doubled-word", "stray-period"]);
        assert_eq!(
            &text[found[0].span.clone()],
            "<!-- mtlint-disable doubled-word, stray-period -->"
        );
        assert_eq!(found[1].kind, DirectiveKind::Enable);
        assert_eq!(found[2].kind, DirectiveKind::DisableNextLine);
        assert!(found[2].rules.is_empty());
    }

    #[test]
    fn not_directives() {
        for text in [
            "<!-- mtlint-disabled x -->",
            "<!-- mtlint-disable x",
            "<!-- say mtlint-disable -->",
        ] {
            assert!(scan(text.as_bytes()).is_empty(), "{text}");
        }
        assert!(scan(b"<!-- mtlint-disable \xff -->").is_empty());
    }

    #[test]
    fn regions_and_usage() {
        let text = "x\n<!-- mtlint-disable a -->\ny\n<!-- mtlint-enable a -->\nz\n\
                    <!-- mtlint-disable-next-line b -->\nw\n";
        let mut s = build(text);
        let y = text.find('y').unwrap();
        let z = text.find('z').unwrap();
        let w = text.find('w').unwrap();
        assert!(!s.suppresses("a", "c", 0, 1));
        assert!(s.suppresses("a", "c", y, 3));
        assert!(!s.suppresses("b", "c", y, 3));
        assert!(!s.suppresses("a", "c", z, 5));
        assert!(s.suppresses("b", "c", w, 7));
        assert!(s.unused().is_empty());
    }

    /// Directives pushed one by one, findings asked about in between (as a
    /// file read in parts does), suppress and count uses as the whole list
    /// given at once does.
    #[test]
    fn pushed_one_by_one_as_all_at_once() {
        let text = "a\n<!-- mtlint-disable x, y -->b\n<!-- mtlint-enable y -->c\n\
                    <!-- mtlint-disable-next-line -->\nd\n<!-- mtlint-disable -->e\n\
                    <!-- mtlint-enable z -->f <!-- mtlint-enable -->g\n";
        let found = scan(text.as_bytes());
        let line = |at: usize| text[..at].matches('\n').count() + 1;
        let mut whole = build(text);
        let mut parts = Suppressions::default();
        let mut next = 0;
        for (at, _) in text.char_indices() {
            while next < found.len() && found[next].span.start <= at {
                parts.push(found[next].clone(), line(found[next].span.end - 1));
                next += 1;
            }
            for (id, category) in [("x", "c"), ("y", "c"), ("z", "c"), ("w", "x")] {
                assert_eq!(
                    parts.suppresses(id, category, at, line(at)),
                    whole.suppresses(id, category, at, line(at)),
                    "{id} at {at}"
                );
            }
        }
        assert_eq!(parts.unused(), whole.unused());
        assert_eq!(parts.directives(), found.as_slice());
    }

    #[test]
    fn enable_one_rule_inside_disable_all() {
        let text = "<!-- mtlint-disable -->a<!-- mtlint-enable x -->b";
        let mut s = build(text);
        let a = text.find('a').unwrap();
        let b = text.rfind('b').unwrap();
        assert!(s.suppresses("x", "c", a, 1));
        assert!(!s.suppresses("x", "c", b, 1));
        assert!(s.suppresses("y", "c", b, 1));
    }

    #[test]
    fn reports_unused_directives_and_ids() {
        let text = "<!-- mtlint-disable a, b -->x <!-- mtlint-disable-next-line -->\ny";
        let mut s = build(text);
        assert!(s.suppresses("a", "cat", text.find('x').unwrap(), 1));
        let unused = s.unused();
        assert_eq!(unused.len(), 2);
        assert_eq!(unused[0].rule, Some("b"));
        assert_eq!(unused[1].rule, None);
        assert_eq!(unused[1].directive.kind, DirectiveKind::DisableNextLine);
    }
}
