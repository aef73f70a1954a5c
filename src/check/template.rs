//! Message and replacement templates: literal text with `{name}` holes that a
//! rule kind fills from a match (`{match}`, `{1}`, `{word}`, …). `{{` and `}}`
//! are literal braces. Holes are validated when the rule loads. Imports
//! nothing else from the crate: knows nothing of rule kinds, matches or
//! documents; a kind says which names are valid and supplies their values.

/// A parsed template.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Template {
    parts: Vec<Part>,
}

#[derive(Clone, Debug, PartialEq, Eq)]
enum Part {
    Lit(String),
    Var(String),
}

impl Template {
    /// Parses `src`; the error says what is wrong with the braces.
    pub fn parse(src: &str) -> Result<Self, String> {
        let mut parts = Vec::new();
        let mut lit = String::new();
        let mut chars = src.chars().peekable();
        while let Some(c) = chars.next() {
            match c {
                '{' if chars.peek() == Some(&'{') => {
                    chars.next();
                    lit.push('{');
                }
                '}' if chars.peek() == Some(&'}') => {
                    chars.next();
                    lit.push('}');
                }
                '{' => {
                    let mut name = String::new();
                    loop {
                        match chars.next() {
                            Some('}') => break,
                            Some(c) if c.is_alphanumeric() || c == '_' || c == '-' => name.push(c),
                            Some(c) => {
                                return Err(format!(
                                    "unexpected `{c}` inside a `{{…}}` placeholder"
                                ));
                            }
                            None => {
                                return Err("unclosed `{` (write `{{` for a literal brace)".into());
                            }
                        }
                    }
                    if name.is_empty() {
                        return Err("empty placeholder `{}`".into());
                    }
                    if !lit.is_empty() {
                        parts.push(Part::Lit(std::mem::take(&mut lit)));
                    }
                    parts.push(Part::Var(name));
                }
                '}' => return Err("unmatched `}` (write `}}` for a literal brace)".into()),
                c => lit.push(c),
            }
        }
        if !lit.is_empty() {
            parts.push(Part::Lit(lit));
        }
        Ok(Template { parts })
    }

    /// Placeholder names used by the template.
    pub fn vars(&self) -> impl Iterator<Item = &str> {
        self.parts.iter().filter_map(|p| match p {
            Part::Var(v) => Some(v.as_str()),
            Part::Lit(_) => None,
        })
    }

    /// Checks every placeholder with `known`; the error names the first unknown one.
    pub fn validate(&self, known: impl Fn(&str) -> bool, valid: &str) -> Result<(), String> {
        match self.vars().find(|v| !known(v)) {
            Some(v) => Err(format!(
                "unknown placeholder `{{{v}}}`; valid placeholders: {valid}"
            )),
            None => Ok(()),
        }
    }

    /// Fills the holes with `lookup`; a hole it cannot fill becomes empty.
    pub fn render<'a>(&self, lookup: impl Fn(&str) -> Option<&'a str>) -> String {
        // The literal parts and room for short values: one allocation for
        // most messages.
        let literal: usize = self
            .parts
            .iter()
            .map(|p| match p {
                Part::Lit(s) => s.len(),
                Part::Var(_) => 16,
            })
            .sum();
        let mut out = String::with_capacity(literal);
        for part in &self.parts {
            match part {
                Part::Lit(s) => out.push_str(s),
                Part::Var(v) => out.push_str(lookup(v).unwrap_or("")),
            }
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn renders_placeholders_and_escapes() {
        let t = Template::parse("Stray “{match}” before {1} {{literal}}").unwrap();
        let out = t.render(|v| match v {
            "match" => Some(". ."),
            "1" => Some(","),
            _ => None,
        });
        assert_eq!(out, "Stray “. .” before , {literal}");
        assert_eq!(t.vars().collect::<Vec<_>>(), vec!["match", "1"]);
    }

    #[test]
    fn rejects_broken_braces() {
        assert!(Template::parse("a {b").is_err());
        assert!(Template::parse("a } b").is_err());
        assert!(Template::parse("a {} b").is_err());
        assert!(Template::parse("a {b c} d").is_err());
    }

    #[test]
    fn validate_names_the_unknown_placeholder() {
        let t = Template::parse("{word} {nope}").unwrap();
        let err = t.validate(|v| v == "word", "{word}").unwrap_err();
        assert!(err.contains("{nope}"), "{err}");
    }
}
