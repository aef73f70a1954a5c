//! Code actions and hovers on a checked document: a quick fix per finding
//! whose fix can be made (the edit `crate::fix` worked out), "fix all safe"
//! for the document (`engine::fix_bytes`, pass after pass, as `check --fix`
//! does), a suppression comment for the finding's line, and the rule's
//! documentation on hover.

use std::collections::{BTreeSet, HashMap};

use lsp_types::{
    CodeAction, CodeActionKind, CodeActionOrCommand, Diagnostic, Hover, HoverContents,
    MarkupContent, MarkupKind, Position, Range, TextEdit, WorkspaceEdit,
};

use super::workspace::{Checked, Document, Entry, Profile};
use crate::document::InputFormat;
use crate::engine::{self, FixSettings};
use crate::finding::RuleMeta;
use crate::fix;
use crate::rows::{Needs, file_info_for};

/// The kind of the "fix all safe" action.
pub const FIX_ALL_KIND: &str = "source.fixAll.mtlint";

/// Whether an action of `kind` is wanted by a request that asks for `only`
/// (none: every kind): `source.fixAll` asks for `source.fixAll.mtlint`.
fn wanted(kind: &str, only: Option<&[CodeActionKind]>) -> bool {
    only.is_none_or(|only| {
        only.iter().any(|k| {
            let k = k.as_str();
            kind == k || kind.strip_prefix(k).is_some_and(|r| r.starts_with('.'))
        })
    })
}

/// The code actions for the byte range `range` of `doc`: for the findings
/// it touches or that `context` names, and for the whole document.
pub fn code_actions(
    doc: &Document,
    checked: &Checked,
    profile: Option<&Profile>,
    range: std::ops::Range<usize>,
    context: &[Diagnostic],
    only: Option<&[CodeActionKind]>,
) -> Vec<CodeActionOrCommand> {
    let mut out = Vec::new();
    let touched = |e: &&Entry| {
        let span = &e.finding.span;
        (span.start <= range.end && range.start <= span.end) || context.contains(&e.diagnostic)
    };
    let entries: Vec<&Entry> = checked.entries.iter().filter(touched).collect();
    if wanted(CodeActionKind::QUICKFIX.as_str(), only) {
        for entry in &entries {
            if let Some(action) = quick_fix(doc, entry) {
                out.push(action);
            }
        }
        let mut suppressed = BTreeSet::new();
        for entry in &entries {
            let rule = &entry.finding.rule.id;
            if !suppressed.insert((entry.line, rule.clone())) {
                continue;
            }
            if let Some(edit) = suppression(doc, checked.format, entry.line - 1, rule) {
                out.push(action(
                    format!("Disable {rule} on this line"),
                    CodeActionKind::QUICKFIX,
                    doc,
                    vec![edit],
                    vec![entry.diagnostic.clone()],
                    false,
                ));
            }
        }
    }
    if wanted(FIX_ALL_KIND, only) {
        if let Some(edit) = profile.and_then(|p| fix_all(doc, checked, p)) {
            out.push(action(
                "Fix all safe mtlint findings".into(),
                CodeActionKind::new(FIX_ALL_KIND),
                doc,
                vec![edit],
                Vec::new(),
                false,
            ));
        }
    }
    out.into_iter()
        .map(CodeActionOrCommand::CodeAction)
        .collect()
}

fn action(
    title: String,
    kind: CodeActionKind,
    doc: &Document,
    edits: Vec<TextEdit>,
    diagnostics: Vec<Diagnostic>,
    preferred: bool,
) -> CodeAction {
    CodeAction {
        title,
        kind: Some(kind),
        diagnostics: (!diagnostics.is_empty()).then_some(diagnostics),
        edit: Some(WorkspaceEdit {
            changes: Some(HashMap::from([(doc.uri.clone(), edits)])),
            ..WorkspaceEdit::default()
        }),
        is_preferred: preferred.then_some(true),
        ..CodeAction::default()
    }
}

/// `s` cut to a short title's length, quoted.
fn quoted(s: &str) -> String {
    const MAX: usize = 40;
    let mut out: String = s.chars().take(MAX).collect();
    if s.chars().count() > MAX {
        out.push('…');
    }
    format!("{out:?}")
}

/// The quick fix of `entry`, when its fix can be made.
fn quick_fix(doc: &Document, entry: &Entry) -> Option<CodeAction> {
    let finding = &entry.finding;
    let fix = finding.fix.as_ref()?;
    let edit = fix.edit.as_ref()?;
    let suggestion = finding.suggestion.as_deref().unwrap_or(&edit.replacement);
    let old = doc.text.get(fix.range.clone()).unwrap_or_default();
    let what = if suggestion.is_empty() {
        format!("remove {}", quoted(old))
    } else {
        format!("replace {} with {}", quoted(old), quoted(suggestion))
    };
    let safety = if fix.safe { "" } else { " (unsafe: check it)" };
    Some(action(
        format!("Fix {}: {what}{safety}", finding.rule.id),
        CodeActionKind::QUICKFIX,
        doc,
        vec![TextEdit {
            range: doc.index.range(&doc.text, edit.range.clone()),
            new_text: edit.replacement.clone(),
        }],
        vec![entry.diagnostic.clone()],
        fix.safe,
    ))
}

/// The edit that applies every safe fix of `doc` (repeating until nothing
/// changes, as `check --fix` does), as one replacement of the part that
/// changes; `None` when nothing would.
fn fix_all(doc: &Document, checked: &Checked, profile: &Profile) -> Option<TextEdit> {
    if !checked
        .entries
        .iter()
        .any(|e| fix::applies(&e.finding, false))
    {
        return None;
    }
    let shown = doc.shown();
    let keep = |bytes: &[u8], rows| {
        profile
            .policy
            .reported(&shown, &file_info_for(bytes, Needs::NONE), rows)
    };
    let outcome = engine::fix_bytes(
        &profile.ruleset,
        doc.text.as_bytes(),
        checked.format,
        &checked.options,
        FixSettings::default(),
        &keep,
    );
    let fixed = String::from_utf8(outcome.fixed).ok()?;
    let old = &doc.text;
    if fixed == *old {
        return None;
    }
    // The common start and end, at character boundaries.
    let mut start = old
        .bytes()
        .zip(fixed.bytes())
        .take_while(|(a, b)| a == b)
        .count();
    while !old.is_char_boundary(start) || !fixed.is_char_boundary(start) {
        start -= 1;
    }
    let mut end = old[start..]
        .bytes()
        .rev()
        .zip(fixed[start..].bytes().rev())
        .take_while(|(a, b)| a == b)
        .count();
    while !old.is_char_boundary(old.len() - end) || !fixed.is_char_boundary(fixed.len() - end) {
        end -= 1;
    }
    Some(TextEdit {
        range: doc.index.range(old, start..old.len() - end),
        new_text: fixed[start..fixed.len() - end].to_string(),
    })
}

/// The edit inserting a comment that suppresses `rule` on 0-based `line`
/// of `doc`: `<!-- mtlint-disable-next-line RULE -->` on a line of its own
/// above it, or in Markdown, in the middle of a paragraph, at the end of
/// the line above (a comment line would split the paragraph). `None` where
/// no comment can go without changing the data: between the records of
/// JSON Lines, CSV and TSV, and before a PO entry's `msgstr`; nor in an XML
/// file's first line, before its declaration.
fn suppression(doc: &Document, format: InputFormat, line: usize, rule: &str) -> Option<TextEdit> {
    let xml = matches!(
        format,
        InputFormat::Xliff | InputFormat::Feed | InputFormat::Html
    );
    match format {
        InputFormat::Jsonl | InputFormat::Csv | InputFormat::Tsv | InputFormat::Po => return None,
        // An XML comment cannot hold `--`.
        _ if rule.contains("--") => return None,
        _ => {}
    }
    let text = &doc.text;
    let index = &doc.index;
    let current = index.line_text(line, text);
    if xml && current.trim_start().starts_with("<?xml") {
        return None;
    }
    let comment = format!("<!-- mtlint-disable-next-line {rule} -->");
    if format == InputFormat::Markdown && line > 0 {
        let above = index.line_text(line - 1, text);
        let t = above.trim_start();
        let prose = !t.is_empty()
            && !["```", "~~~", "|", "#", "<", "    ", "\t"]
                .iter()
                .any(|p| t.starts_with(p) || above.starts_with(p));
        if prose {
            let end = index.line_start(line - 1, text) + above.len();
            let at = index.position(text, end);
            return Some(TextEdit {
                range: Range::new(at, at),
                new_text: format!(" {comment}"),
            });
        }
    }
    let indent: String = current
        .chars()
        .take_while(|c| *c == ' ' || *c == '\t')
        .collect();
    let newline = if text.contains("\r\n") { "\r\n" } else { "\n" };
    let at = Position::new(u32::try_from(line).ok()?, 0);
    Some(TextEdit {
        range: Range::new(at, at),
        new_text: format!("{indent}{comment}{newline}"),
    })
}

/// The documentation of the rules whose findings cover byte `offset`.
pub fn hover(checked: &Checked, offset: usize) -> Option<Hover> {
    let mut shown = BTreeSet::new();
    let mut parts = Vec::new();
    let mut range = None;
    for entry in &checked.entries {
        let span = &entry.finding.span;
        if !(span.start <= offset && offset <= span.end) {
            continue;
        }
        range.get_or_insert(entry.diagnostic.range);
        if shown.insert(entry.finding.rule.id.clone()) {
            parts.push(explain(&entry.finding.rule));
        }
    }
    if parts.is_empty() {
        return None;
    }
    Some(Hover {
        contents: HoverContents::Markup(MarkupContent {
            kind: MarkupKind::Markdown,
            value: parts.join("\n\n---\n\n"),
        }),
        range,
    })
}

/// What `mtlint explain` says of `rule`, in Markdown, without the examples.
fn explain(rule: &RuleMeta) -> String {
    let fix = if rule.fix_safe {
        "its fix is safe to apply"
    } else {
        "no unattended fix"
    };
    format!(
        "**{}** — {}\n\n{}\n\n*{} · {} · {fix}* — `mtlint explain {}` shows examples",
        rule.id,
        rule.summary.trim(),
        rule.why.trim(),
        rule.category,
        rule.severity,
        rule.id
    )
}
