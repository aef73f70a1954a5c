//! How `mine` shows its candidates: a table for people, CSV and JSON for
//! scripts. Every piece of mined text is input: the table shows it through
//! [`visible`], so that it cannot drive a terminal.

use std::io::{self, Write};

use super::{Candidate, Found};
use crate::report::visible;

/// The output formats of `mine`.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, clap::ValueEnum)]
pub enum MineFormat {
    /// A table: documents, share, groups, where, text, an example path.
    #[default]
    Text,
    /// One row a candidate, with a header.
    Csv,
    /// An array of candidate objects.
    Json,
}

/// A candidate with the documents its text was read from.
pub struct Row<'a> {
    pub candidate: &'a Candidate,
    /// Its text as found in the first documents that hold it (at least one).
    pub found: &'a [Found],
}

impl Row<'_> {
    fn text(&self) -> &str {
        self.found.first().map_or("", |f| f.shown.as_str())
    }

    fn example(&self) -> String {
        self.found
            .first()
            .map_or(String::new(), |f| match &f.record {
                Some(record) => format!("{} ({record})", f.path),
                None => f.path.clone(),
            })
    }
}

/// "1 document", "3 documents".
fn counted(n: usize, one: &str, many: &str) -> String {
    format!("{n} {}", if n == 1 { one } else { many })
}

/// Longest text shown in a table cell, in characters.
const TABLE_TEXT_CHARS: usize = 60;

fn cut(text: &str, chars: usize) -> String {
    if text.chars().count() <= chars {
        return text.to_string();
    }
    let mut out: String = text.chars().take(chars - 1).collect();
    out.push('…');
    out
}

/// Writes `rows` as `format`; `documents` and `groups` are what was read.
pub fn write(
    format: MineFormat,
    rows: &[Row<'_>],
    documents: u64,
    groups: usize,
    out: &mut dyn Write,
) -> io::Result<()> {
    match format {
        MineFormat::Text => write_table(rows, documents, groups, out),
        MineFormat::Csv => write_csv(rows, out),
        MineFormat::Json => write_json(rows, out),
    }
}

fn write_table(
    rows: &[Row<'_>],
    documents: u64,
    groups: usize,
    out: &mut dyn Write,
) -> io::Result<()> {
    if rows.is_empty() {
        writeln!(
            out,
            "no recurring boilerplate in {} of {}",
            counted(documents as usize, "document", "documents"),
            counted(groups, "group", "groups")
        )?;
        return Ok(());
    }
    let texts: Vec<String> = rows
        .iter()
        .map(|r| cut(&visible(r.text()), TABLE_TEXT_CHARS))
        .collect();
    let width = texts
        .iter()
        .map(|t| t.chars().count())
        .max()
        .unwrap_or(0)
        .max(4);
    writeln!(
        out,
        "{:>6}  {:>6}  {:>6}  {:8}  {:width$}  EXAMPLE",
        "DOCS", "SHARE", "GROUPS", "WHERE", "TEXT"
    )?;
    for (row, text) in rows.iter().zip(&texts) {
        let c = row.candidate;
        let pad = width - text.chars().count();
        writeln!(
            out,
            "{:>6}  {:>5.1}%  {:>6}  {:8}  {text}{:pad$}  {}",
            c.docs,
            c.share() * 100.0,
            c.groups.len(),
            c.position(),
            "",
            visible(&row.example()),
        )?;
    }
    writeln!(
        out,
        "{} in {} of {}",
        counted(rows.len(), "candidate", "candidates"),
        counted(documents as usize, "document", "documents"),
        counted(groups, "group", "groups")
    )?;
    Ok(())
}

fn write_csv(rows: &[Row<'_>], out: &mut dyn Write) -> io::Result<()> {
    let mut w = csv::Writer::from_writer(out);
    let csv_error = |e: csv::Error| io::Error::other(e.to_string());
    w.write_record([
        "text",
        "documents",
        "share",
        "groups",
        "where",
        "whole_line",
        "top_group",
        "example_path",
        "example_record",
    ])
    .map_err(csv_error)?;
    for row in rows {
        let c = row.candidate;
        let first = row.found.first();
        w.write_record([
            row.text(),
            &c.docs.to_string(),
            &format!("{:.4}", c.share()),
            &c.groups.len().to_string(),
            c.position(),
            if c.whole_line() { "true" } else { "false" },
            c.groups.first().map_or("", |g| g.0.as_str()),
            first.map_or("", |f| f.path.as_str()),
            first.and_then(|f| f.record.as_deref()).unwrap_or(""),
        ])
        .map_err(csv_error)?;
    }
    w.flush()
}

/// Most groups listed in a JSON candidate.
const JSON_GROUPS: usize = 50;

fn write_json(rows: &[Row<'_>], out: &mut dyn Write) -> io::Result<()> {
    let items: Vec<serde_json::Value> = rows
        .iter()
        .map(|row| {
            let c = row.candidate;
            serde_json::json!({
                "text": row.text(),
                "documents": c.docs,
                "group_documents": c.group_docs,
                "share": (c.share() * 10_000.0).round() / 10_000.0,
                "groups": c.groups.len(),
                "where": c.position(),
                "whole_line": c.whole_line(),
                "by_group": c.groups.iter().take(JSON_GROUPS).map(|(g, docs, of)| {
                    serde_json::json!({"group": g, "documents": docs, "of": of})
                }).collect::<Vec<_>>(),
                "examples": row.found.iter().map(|f| {
                    serde_json::json!({"path": f.path, "record": f.record, "line": f.line})
                }).collect::<Vec<_>>(),
            })
        })
        .collect();
    serde_json::to_writer_pretty(&mut *out, &items).map_err(io::Error::other)?;
    writeln!(out)
}
