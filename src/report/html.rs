//! The HTML reporter: one self-contained page (no CDN, fonts or scripts
//! from elsewhere; a Content-Security-Policy that forbids fetching
//! anything) for people auditing a corpus by source: an overview, the
//! sources table (one row per group, worst first, with a bar, a trend line
//! and counts by category), a bar chart of findings per rule and per
//! category, and the worst documents with their findings in context.
//! Light and dark by `prefers-color-scheme`; a small script filters the
//! page by source, and the page reads whole without it.
//!
//! Every piece of text from input (paths, records, groups, matched text,
//! messages) is shown through [`visible`] and HTML-escaped: a finding in
//! `<script>` text renders as text. Detail sections are capped (see
//! `audit`) and say what they leave out. Knows nothing of rule kinds or
//! input formats.

use std::fmt::Write as _;
use std::io::{self, Write};
use std::sync::Arc;

use super::audit::{Audit, AuditSettings, Excerpt, GroupStats, RULE_EXAMPLES, TOP_DOCUMENTS};
use super::boilerplate::{Boilerplate, Counter, Recurring};
use super::{FileInfo, Located, Needs, Reporter, thousands, visible};
use crate::finding::RuleMeta;
use crate::group::GroupBy;
use crate::group::date::Day;

/// Sources listed at most (the worst); the rest are counted.
pub const MAX_SOURCES: usize = 500;
/// Width of the rule chart's bars at their longest, in SVG units.
const CHART_WIDTH: f64 = 420.0;
/// Recurring texts shown at most (the most common); the rest are counted.
pub const MAX_BOILERPLATE: usize = 25;
/// Points of a trend line at most.
const TREND_POINTS: i32 = 30;

const STYLE: &str = include_str!("html/report.css");
const SCRIPT: &str = include_str!("html/report.js");

/// Collects an [`Audit`] and writes the page at the end.
pub struct HtmlReporter<'w> {
    out: Box<dyn Write + Send + 'w>,
    audit: Audit,
    pending: FileInfo,
    /// Counts what recurs, when the run mines boilerplate.
    counter: Option<Box<dyn Counter + 'w>>,
    /// Documents of the file whose rows come in parts, so far.
    part_documents: usize,
}

impl<'w> HtmlReporter<'w> {
    /// A reporter writing to `out`, grouping and scoring as `settings` say.
    pub fn new(out: Box<dyn Write + Send + 'w>, settings: AuditSettings) -> Self {
        HtmlReporter {
            out,
            audit: Audit::new(settings),
            pending: FileInfo::default(),
            counter: None,
            part_documents: 0,
        }
    }

    /// The reporter, with a "Recurring boilerplate" section of what
    /// `counter` finds in the documents reported.
    pub fn with_boilerplate(mut self, counter: Box<dyn Counter + 'w>) -> Self {
        self.counter = Some(counter);
        self
    }

    /// Gives the documents of `info` (the first is document `first` of its
    /// file) to the boilerplate counter, each in its group.
    fn count(&mut self, path: &str, info: &FileInfo, first: usize) {
        let Some(counter) = &mut self.counter else {
            return;
        };
        let settings = &self.audit.settings;
        // The file being reported is the `files`-th: one is counted per input.
        let input = self.audit.files;
        for (d, doc) in info.documents.iter().enumerate() {
            let group = settings.group_by.key(
                path,
                &settings.roots,
                doc.group.as_deref(),
                doc.language.as_ref().map(crate::language::Language::as_str),
            );
            counter.add(input, first + d, &group, &doc.units);
        }
    }
}

impl Reporter for HtmlReporter<'_> {
    /// Words and documents for scores, lines for findings in context.
    fn needs(&self) -> Needs {
        Needs {
            line_text: true,
            words: true,
            documents: true,
            units: self.counter.is_some(),
            // Grouped by file, a file of one document is a group of one.
            lone_units: self.counter.is_some() && self.audit.settings.group_by != GroupBy::Path,
            ..Needs::NONE
        }
    }

    fn start(&mut self, rules: &[Arc<RuleMeta>]) -> io::Result<()> {
        self.audit.rules_ran = rules.to_vec();
        Ok(())
    }

    fn file_info(&mut self, _path: &str, info: &FileInfo) -> io::Result<()> {
        self.pending.clone_from(info);
        Ok(())
    }

    fn file(&mut self, path: &str, rows: &[Located]) -> io::Result<()> {
        let info = std::mem::take(&mut self.pending);
        self.count(path, &info, 0);
        self.audit.add_file(path, &info, rows);
        Ok(())
    }

    fn file_part(&mut self, path: &str, info: &FileInfo, rows: Vec<Located>) -> io::Result<()> {
        self.count(path, info, self.part_documents);
        self.part_documents += info.documents.len();
        self.audit.add_part(path, info, &rows);
        Ok(())
    }

    fn file_end(&mut self, _path: &str, _info: &FileInfo) -> io::Result<()> {
        self.part_documents = 0;
        self.audit.end_file();
        Ok(())
    }

    fn finish(&mut self) -> io::Result<()> {
        let boilerplate = self.counter.take().map(|c| c.finish(MAX_BOILERPLATE));
        let page = page(&self.audit, boilerplate.as_ref());
        self.out.write_all(page.as_bytes())?;
        self.out.flush()
    }
}

/// `text` as HTML text or a quoted attribute value, control characters
/// shown escaped as in the other human formats.
pub fn escape(text: &str) -> String {
    let text = visible(text);
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

/// A path as a relative link: every byte outside the unreserved set and `/`
/// percent-encoded, so no path can end the attribute or name a scheme.
fn path_href(path: &str) -> String {
    let mut out = String::new();
    if path.starts_with('/') {
        out.push_str("file://");
    } else {
        // `./` keeps a path like `javascript:x` from reading as a scheme.
        out.push_str("./");
    }
    for b in path.bytes() {
        if b.is_ascii_alphanumeric() || matches!(b, b'-' | b'.' | b'_' | b'~' | b'/') {
            out.push(char::from(b));
        } else {
            let _ = write!(out, "%{b:02X}");
        }
    }
    out
}

/// A record that is a web address, as a link target; `None` otherwise.
fn web_href(record: &str) -> Option<String> {
    let lower = record.get(..8).unwrap_or(record).to_ascii_lowercase();
    let ok = (lower.starts_with("https://") || lower.starts_with("http://"))
        && !record.chars().any(|c| c.is_whitespace() || c.is_control());
    ok.then(|| escape(record))
}

fn decimal(d: Option<f64>) -> String {
    d.map_or_else(|| "–".to_string(), |d| format!("{d:.1}"))
}

fn page(audit: &Audit, boilerplate: Option<&Boilerplate>) -> String {
    let mut h = String::with_capacity(64 * 1024);
    let title = "mtlint audit";
    let _ = write!(
        h,
        "<!doctype html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n\
         <meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; \
         style-src 'unsafe-inline'; script-src 'unsafe-inline'; img-src data:\">\n\
         <meta name=\"color-scheme\" content=\"light dark\">\n\
         <title>{title}</title>\n<style>\n{STYLE}</style>\n</head>\n<body>\n"
    );
    let _ = write!(
        h,
        "<div id=\"filter\">Showing the source <b id=\"filter-name\"></b> \
         <button id=\"show-all\" type=\"button\">show all</button></div>\n\
         <header><h1>{title}</h1><p>{} files checked by mtlint {}, grouped by <code>{}</code>.</p></header>\n",
        thousands(audit.files),
        env!("CARGO_PKG_VERSION"),
        escape(&audit.settings.group_by.to_string()),
    );
    overview(&mut h, audit);
    let shown = sources(&mut h, audit);
    rules(&mut h, audit);
    worst(&mut h, audit);
    if let Some(b) = boilerplate {
        recurring(&mut h, audit, b);
    }
    left_out(&mut h, audit, shown, boilerplate);
    data(&mut h, audit, shown, boilerplate);
    let _ = write!(h, "<script>\n{SCRIPT}</script>\n</body>\n</html>\n");
    h
}

fn overview(h: &mut String, audit: &Audit) {
    let t = &audit.totals;
    let w = &audit.settings.weights;
    h.push_str("<section id=\"overview\">\n<h2>Overview</h2>\n<div class=\"cards\">\n");
    let cards = [
        (thousands(t.documents), "documents".to_string()),
        (thousands(t.words), "words".to_string()),
        (thousands(t.findings()), "findings".to_string()),
        (decimal(t.density()), "findings per 1,000 words".to_string()),
        (format!("{:.1}", t.score(w)), "score".to_string()),
        (
            thousands(t.with_errors),
            format!("documents with an error ({:.1}%)", t.error_share() * 100.0),
        ),
    ];
    for (value, label) in cards {
        let _ = writeln!(
            h,
            "<div class=\"card\"><b>{value}</b><span>{}</span></div>",
            escape(&label)
        );
    }
    h.push_str("</div>\n");
    let _ = writeln!(
        h,
        "<p class=\"muted\">Score: findings weighted by severity (error {}, warning {}, info {}) \
         per 1,000 words; documents under {} words count as {} words; Chinese and Japanese \
         text counts a word for every two characters.</p>",
        w.error, w.warning, w.info, w.min_words, w.min_words
    );
    if audit.dated > 0 || audit.bad_dates > 0 {
        let range = audit
            .date_range()
            .map(|(a, b)| format!(" from {a} to {b}"))
            .unwrap_or_default();
        let _ = writeln!(
            h,
            "<p class=\"muted\">{} documents dated{range}; {} with a date that is neither ISO 8601 nor RFC 2822 (left out of trends).</p>",
            thousands(audit.dated),
            thousands(audit.bad_dates)
        );
    }
    let _ = writeln!(
        h,
        "<details><summary>{} rules ran</summary><p>{}</p></details>\n</section>",
        audit.rules_ran.len(),
        audit
            .rules_ran
            .iter()
            .map(|r| format!(
                "<code title=\"{}\">{}</code>",
                escape(&r.summary),
                escape(&r.id)
            ))
            .collect::<Vec<_>>()
            .join(" ")
    );
}

/// The sources table; returns how many groups it shows.
fn sources(h: &mut String, audit: &Audit) -> usize {
    let w = &audit.settings.weights;
    let ranked = audit.ranked_groups();
    let top = ranked
        .first()
        .map_or(0.0, |(_, g)| g.tally.score(w))
        .max(f64::MIN_POSITIVE);
    let range = audit.date_range();
    h.push_str(
        "<section id=\"sources\">\n<h2>Sources</h2>\n<p class=\"muted\">One row per group, \
         worst score first. Click a source to see only its documents and findings.</p>\n\
         <table id=\"sources-table\">\n<thead><tr><th class=\"name\">source</th><th>documents</th>\
         <th>words</th><th>findings</th><th>per 1,000 words</th><th>score</th>\
         <th>with errors</th><th>trend</th><th class=\"name\">by category</th></tr></thead>\n<tbody>\n",
    );
    for (name, g) in ranked.iter().take(MAX_SOURCES) {
        let t = &g.tally;
        let score = t.score(w);
        let width = (score / top * 120.0).clamp(0.0, 120.0);
        let cats: Vec<String> = g
            .categories
            .iter()
            .map(|(c, n)| format!("{} {n}", escape(c)))
            .collect();
        let name = escape(name);
        let _ = writeln!(
            h,
            "<tr class=\"source\" data-group=\"{name}\" data-score=\"{score:.3}\"><td class=\"name\"><button type=\"button\">{name}</button></td>\
             <td>{}</td><td>{}</td><td>{}</td><td>{}</td>\
             <td><svg width=\"170\" height=\"16\" role=\"img\" aria-label=\"score {score:.1}\">\
             <rect class=\"density-bar\" x=\"0\" y=\"3\" height=\"10\" width=\"{width:.1}\"/>\
             <text x=\"{:.1}\" y=\"13\">{score:.1}</text></svg></td>\
             <td>{} ({:.0}%)</td><td>{}</td><td class=\"cats\">{}</td></tr>",
            thousands(t.documents),
            thousands(t.words),
            thousands(t.findings()),
            decimal(t.density()),
            width + 4.0,
            thousands(t.with_errors),
            t.error_share() * 100.0,
            trend(g, range, audit),
            cats.join(" · ")
        );
    }
    let shown = ranked.len().min(MAX_SOURCES);
    if ranked.len() > shown {
        let _ = writeln!(
            h,
            "<tr class=\"more\"><td class=\"name\" colspan=\"9\">{} more sources, with lower scores, not shown</td></tr>",
            thousands(ranked.len() - shown)
        );
    }
    h.push_str("</tbody>\n</table>\n</section>\n");
    shown
}

/// A group's score over time as an SVG line, in up to [`TREND_POINTS`]
/// buckets of the run's date range; a dash without two dated buckets.
fn trend(g: &GroupStats, range: Option<(Day, Day)>, audit: &Audit) -> String {
    let Some((lo, hi)) = range else {
        return "–".into();
    };
    let span = hi.0 - lo.0 + 1;
    let buckets = span.clamp(1, TREND_POINTS);
    let mut tallies = vec![super::audit::Tally::default(); buckets as usize];
    for (day, t) in &g.days {
        let b = ((day.0 - lo.0) as i64 * buckets as i64 / span as i64) as usize;
        let slot = &mut tallies[b.min(buckets as usize - 1)];
        slot.documents += t.documents;
        slot.words += t.words;
        for (a, n) in slot.counts.iter_mut().zip(t.counts) {
            *a += n;
        }
    }
    let w = &audit.settings.weights;
    let points: Vec<(usize, f64)> = tallies
        .iter()
        .enumerate()
        .filter(|(_, t)| t.documents > 0)
        .map(|(i, t)| (i, t.score(w)))
        .collect();
    if points.len() < 2 {
        return "–".into();
    }
    let max = points.iter().map(|p| p.1).fold(0.0, f64::max).max(1e-9);
    let step = 100.0 / f64::from((buckets - 1).max(1));
    let line: Vec<String> = points
        .iter()
        .map(|&(i, s)| format!("{:.1},{:.1}", i as f64 * step, 18.0 - s / max * 16.0))
        .collect();
    format!(
        "<svg class=\"trend\" width=\"100\" height=\"20\" role=\"img\" aria-label=\"score from {lo} to {hi}\">\
         <title>score by date, {lo} to {hi}</title><polyline class=\"spark\" points=\"{}\"/></svg>",
        line.join(" ")
    )
}

fn rules(h: &mut String, audit: &Audit) {
    let ranked = audit.ranked_rules();
    h.push_str("<section id=\"rules\">\n<h2>Rules and categories</h2>\n");
    if ranked.is_empty() {
        h.push_str("<p>No findings.</p>\n");
    }
    let max = ranked
        .first()
        .map_or(1, |r| r.counts.iter().sum::<usize>())
        .max(1);
    let row = 22;
    let label = 230.0;
    let _ = writeln!(
        h,
        "<svg id=\"rule-chart\" width=\"{:.0}\" height=\"{}\" role=\"img\" aria-label=\"findings per rule\">",
        label + CHART_WIDTH + 60.0,
        ranked.len() * row + 4
    );
    for (i, r) in ranked.iter().enumerate() {
        let n: usize = r.counts.iter().sum();
        let y = i * row;
        let id = escape(&r.rule.id);
        let _ = writeln!(
            h,
            "<g class=\"rule-bar\" data-rule=\"{id}\" transform=\"translate(0 {y})\">\
             <text x=\"{:.0}\" y=\"15\" text-anchor=\"end\">{id}</text>\
             <rect class=\"bar\" x=\"{label:.0}\" y=\"4\" height=\"14\" width=\"{:.1}\"/>\
             <text class=\"count\" x=\"{:.0}\" y=\"15\">{n}</text></g>",
            label - 8.0,
            n as f64 / max as f64 * CHART_WIDTH,
            label + CHART_WIDTH + 6.0,
        );
    }
    h.push_str("</svg>\n");
    let mut cats: Vec<(&String, &usize)> = audit.categories.iter().collect();
    cats.sort_by(|a, b| b.1.cmp(a.1).then(a.0.cmp(b.0)));
    let cmax = cats.first().map_or(1, |c| *c.1).max(1);
    let _ = writeln!(
        h,
        "<h3>By category</h3>\n<svg id=\"category-chart\" width=\"{:.0}\" height=\"{}\" role=\"img\" aria-label=\"findings per category\">",
        label + CHART_WIDTH + 60.0,
        cats.len() * row + 4
    );
    for (i, (c, n)) in cats.iter().enumerate() {
        let _ = writeln!(
            h,
            "<g transform=\"translate(0 {})\"><text x=\"{:.0}\" y=\"15\" text-anchor=\"end\">{}</text>\
             <rect class=\"cat-bar\" x=\"{label:.0}\" y=\"4\" height=\"14\" width=\"{:.1}\"/>\
             <text x=\"{:.0}\" y=\"15\">{n}</text></g>",
            i * row,
            label - 8.0,
            escape(c),
            **n as f64 / cmax as f64 * CHART_WIDTH,
            label + CHART_WIDTH + 6.0,
        );
    }
    h.push_str("</svg>\n");
    if !ranked.is_empty() {
        let _ = writeln!(
            h,
            "<h3>Examples</h3>\n<p class=\"muted\">The first {RULE_EXAMPLES} findings of each rule.</p>"
        );
    }
    for r in &ranked {
        let n: usize = r.counts.iter().sum();
        let _ = writeln!(
            h,
            "<details class=\"rule\"><summary><code>{}</code> ({}, {}) — {} findings — {}</summary>\n<ul class=\"findings\">",
            escape(&r.rule.id),
            escape(&r.rule.category),
            r.rule.severity,
            thousands(n),
            escape(&r.rule.summary)
        );
        for e in &r.examples {
            excerpt(h, e, "example", true);
        }
        h.push_str("</ul></details>\n");
    }
    h.push_str("</section>\n");
}

/// One finding in context, as a list item; `located` adds where it is.
fn excerpt(h: &mut String, e: &Excerpt, class: &str, located: bool) {
    let severity = e.severity.as_str();
    let _ = write!(
        h,
        "<li class=\"{class} sev-{severity}\" data-group=\"{}\"><q class=\"ctx\">{}<mark>{}</mark>{}</q>\
         <span class=\"msg\"><span class=\"sev-{severity}\">{severity}</span> <code>{}</code> {}",
        escape(&e.group),
        escape(&e.before),
        escape(&e.matched),
        escape(&e.after),
        escape(&e.rule),
        escape(&e.message),
    );
    if let Some(s) = &e.suggestion {
        let _ = write!(
            h,
            " <span class=\"fix\">→ <code>{}</code></span>",
            escape(s)
        );
    }
    if located {
        let _ = write!(
            h,
            " — <a href=\"{}\">{}:{}:{}</a>{}",
            path_href(&e.path),
            escape(&e.path),
            e.line,
            e.column,
            e.record
                .as_deref()
                .map(|r| format!(" record {}", escape(r)))
                .unwrap_or_default()
        );
    }
    h.push_str("</span></li>\n");
}

fn worst(h: &mut String, audit: &Audit) {
    let _ = writeln!(
        h,
        "<section id=\"worst\">\n<h2>Worst documents</h2>\n<p class=\"muted\">The {} documents with the highest scores, \
         of {} with findings, each with its findings in context.</p>",
        audit.worst.len(),
        thousands(audit.documents_with_findings)
    );
    h.push_str(
        "<p id=\"no-worst\" class=\"hidden\">No document of this source is among the worst shown.</p>\n<ol class=\"docs\">\n",
    );
    for doc in &audit.worst {
        let d = &doc.document;
        let link = document_link(&doc.path, d.record.as_deref());
        let _ = writeln!(
            h,
            "<li class=\"doc\" data-group=\"{}\"><div class=\"doc-head\">{link}<span>score <b>{:.1}</b></span>\
             <span>{} words</span><span>{} errors, {} warnings, {} info</span><span class=\"muted\">{}</span></div>\n<ul class=\"findings\">",
            escape(&d.group),
            d.score,
            thousands(d.words),
            d.counts[2],
            d.counts[1],
            d.counts[0],
            escape(&d.group),
        );
        for e in &doc.excerpts {
            excerpt(h, e, "finding", false);
        }
        if doc.more > 0 {
            let _ = writeln!(h, "<li class=\"more\">and {} more findings</li>", doc.more);
        }
        h.push_str("</ul></li>\n");
    }
    h.push_str("</ol>\n</section>\n");
}

/// Links to a document: its record's web address when the record id is
/// one, and its file.
fn document_link(path: &str, record: Option<&str>) -> String {
    match record.and_then(web_href) {
        Some(href) => format!(
            "<a href=\"{href}\" rel=\"noopener noreferrer\">{}</a> in <a href=\"{}\">{}</a>",
            escape(record.unwrap_or("")),
            path_href(path),
            escape(path)
        ),
        None => format!(
            "<a href=\"{}\">{}</a>{}",
            path_href(path),
            escape(path),
            record
                .map(|r| format!(" record <code>{}</code>", escape(r)))
                .unwrap_or_default()
        ),
    }
}

/// Where a recurring text stands, in words.
fn position(r: &Recurring) -> &'static str {
    match (r.position, r.whole_line) {
        ("start", true) => "start, whole line",
        ("start", false) => "start, sentence",
        ("end", true) => "end, whole line",
        ("end", false) => "end, sentence",
        ("line", _) => "whole line",
        _ => "sentence",
    }
}

/// Groups shown in a recurring text's row at most.
const ROW_GROUPS: usize = 3;

/// The "Recurring boilerplate" section: the texts that recur most, or one
/// line saying nothing does.
fn recurring(h: &mut String, audit: &Audit, b: &Boilerplate) {
    let group_by = escape(&audit.settings.group_by.to_string());
    let share = b.min_share * 100.0;
    let _ = writeln!(
        h,
        "<section id=\"boilerplate\">\n<h2>Recurring boilerplate</h2>\n<p class=\"muted\">Lines, and sentences \
         at the start or end of a document, found word for word in at least {} documents of a group \
         and at least {share:.0}% of them (grouped by <code>{group_by}</code>): scraped page furniture \
         no rule may know yet. Datelines, agency credits and bylines are left out; so is any phrase \
         inside longer prose.</p>",
        b.min_docs
    );
    if b.shown.is_empty() {
        let _ = write!(
            h,
            "<p id=\"no-boilerplate\">Nothing recurs in the {} documents of {} groups.",
            thousands(b.documents as usize),
            thousands(b.groups)
        );
        if b.groups as u64 == b.documents && b.documents > 0 {
            h.push_str(
                " Each group holds one document: group by folder or by a field \
                 (<code>--group-by dir</code>, <code>--group-by field:source</code>) to compare documents.",
            );
        }
        if b.unread > 0 {
            let _ = write!(
                h,
                " {} recurring texts could not be read again (standard input, or files changed during the run).",
                b.unread
            );
        }
        h.push_str("</p>\n</section>\n");
        return;
    }
    h.push_str(
        "<table id=\"boilerplate-table\">\n<thead><tr><th class=\"name\">text</th><th>documents</th>\
         <th>share</th><th class=\"name\">groups</th><th class=\"name\">where</th>\
         <th class=\"name\">first seen in</th></tr></thead>\n<tbody>\n",
    );
    for (i, r) in b.shown.iter().enumerate() {
        let mut groups: Vec<String> = r
            .groups
            .iter()
            .take(ROW_GROUPS)
            .map(|(g, n, of)| format!("{} {n}/{of}", escape(g)))
            .collect();
        if r.group_count > ROW_GROUPS {
            groups.push(format!(
                "and {} more",
                thousands(r.group_count - ROW_GROUPS)
            ));
        }
        let _ = writeln!(
            h,
            "<tr class=\"recurring\" data-row=\"{i}\"><td class=\"name text\"><q>{}</q></td><td>{}</td>\
             <td>{:.0}%</td><td class=\"name cats\">{}</td><td class=\"name where\">{}</td><td class=\"name\">{}</td></tr>",
            escape(&r.text),
            thousands(r.documents as usize),
            r.share() * 100.0,
            groups.join(" · "),
            position(r),
            document_link(&r.example_path, r.example_record.as_deref()),
        );
    }
    if b.more > 0 {
        let _ = writeln!(
            h,
            "<tr class=\"more\"><td class=\"name\" colspan=\"6\">{} more recurring texts, in fewer documents, not shown</td></tr>",
            thousands(b.more)
        );
    }
    h.push_str("</tbody>\n</table>\n");
    h.push_str(
        "<p id=\"no-boilerplate-shown\" class=\"hidden\">No recurring text of this source is shown.</p>\n",
    );
    if b.unread > 0 {
        let _ = writeln!(
            h,
            "<p class=\"muted\">{} more recurring texts could not be read again (standard input, or files changed during the run).</p>",
            b.unread
        );
    }
    if b.dropped_below > 0 {
        let _ = writeln!(
            h,
            "<p class=\"muted\">The corpus holds more distinct lines than the count keeps: texts seen in fewer \
             than {} documents of a group were dropped on the way, so counts are lower bounds.</p>",
            b.dropped_below
        );
    }
    let roots: Vec<String> = audit.settings.roots.iter().map(|r| escape(r)).collect();
    let paths = if roots.is_empty() {
        "PATH".to_string()
    } else {
        roots.join(" ")
    };
    let _ = writeln!(
        h,
        "<p>To keep them as rules, write each as a phrase rule with examples from the corpus, review the \
         files (delete what is real prose), test them and check with them:</p>\n\
         <pre><code>mtlint mine {paths} --group-by {group_by} --write-rules mined\n\
         mtlint test-rules mined\n\
         mtlint check {paths} --rules mined --group-by {group_by} --format html -o report.html</code></pre>\n</section>"
    );
}

fn left_out(h: &mut String, audit: &Audit, shown: usize, boilerplate: Option<&Boilerplate>) {
    let _ = writeln!(
        h,
        "<section id=\"left-out\">\n<h2>What this page leaves out</h2>\n<ul>\n\
         <li>Sources: {} of {} shown.</li>\n\
         <li>Worst documents: {} of {} with findings (at most {TOP_DOCUMENTS}), each with its first findings.</li>\n\
         <li>Rule examples: the first {RULE_EXAMPLES} findings of each rule.</li>\n{}\
         <li>Every finding is in the CSV, JSON or SARIF report of the same run.</li>\n</ul>\n</section>",
        thousands(shown),
        thousands(audit.groups.len()),
        audit.worst.len(),
        thousands(audit.documents_with_findings),
        boilerplate.map_or(String::new(), |b| format!(
            "<li>Recurring boilerplate: {} of {} recurring texts (at most {MAX_BOILERPLATE}).</li>\n",
            b.shown.len(),
            thousands(b.shown.len() + b.more + b.unread)
        )),
    );
}

/// Findings per rule, overall and for each group shown, for the filter
/// script. JSON inside `<script type="application/json">`: every `<`
/// written as `\u003c`, so no text can close the element.
fn data(h: &mut String, audit: &Audit, shown: usize, boilerplate: Option<&Boilerplate>) {
    use std::collections::BTreeMap;
    let rules: BTreeMap<&str, usize> = audit
        .rules
        .iter()
        .map(|(id, r)| (id.as_str(), r.counts.iter().sum()))
        .collect();
    let groups: BTreeMap<String, &BTreeMap<String, usize>> = audit
        .ranked_groups()
        .into_iter()
        .take(shown)
        // Keys as the page shows them in `data-group`, unescaped.
        .map(|(name, g)| (visible(name).into_owned(), &g.rules))
        .collect();
    // The groups of each recurring text's row, as `data-group` holds them.
    let recurring: Vec<Vec<String>> = boilerplate.map_or(Vec::new(), |b| {
        (b.shown.iter())
            .map(|r| {
                r.groups
                    .iter()
                    .map(|g| visible(&g.0).into_owned())
                    .collect()
            })
            .collect()
    });
    let json = serde_json::json!({
        "width": CHART_WIDTH,
        "rules": rules,
        "groups": groups,
        "boilerplate": recurring,
    });
    let text = json.to_string().replace('<', "\\u003c");
    let _ = writeln!(
        h,
        "<script type=\"application/json\" id=\"audit-data\">{text}</script>"
    );
}

#[cfg(test)]
mod tests {
    use super::*;

    struct Nothing;

    impl Counter for Nothing {
        fn add(&mut self, _: usize, _: usize, _: &str, _: &[(u64, u8)]) {}
        fn finish(self: Box<Self>, _: usize) -> Boilerplate {
            Boilerplate::default()
        }
    }

    #[test]
    fn only_a_page_that_shows_boilerplate_asks_for_units() {
        let page = HtmlReporter::new(Box::new(io::sink()), AuditSettings::default());
        assert!(!page.needs().units);
        let mining = page.with_boilerplate(Box::new(Nothing));
        assert!(mining.needs().units && mining.needs().documents);
        // By file, a file of one document is a group of one: its units
        // are not worked out. By folder they are.
        assert!(!mining.needs().lone_units);
        let settings = AuditSettings {
            group_by: GroupBy::Dir,
            ..AuditSettings::default()
        };
        let by_dir =
            HtmlReporter::new(Box::new(io::sink()), settings).with_boilerplate(Box::new(Nothing));
        assert!(by_dir.needs().lone_units);
    }

    #[test]
    fn text_and_links_cannot_leave_their_place() {
        assert_eq!(
            escape("<script>\"a\" & 'b'</script>"),
            "&lt;script&gt;&quot;a&quot; &amp; &#39;b&#39;&lt;/script&gt;"
        );
        assert_eq!(escape("a\u{1b}[31m"), "a\\x1b[31m");
        assert_eq!(
            path_href("javascript:alert(1)"),
            "./javascript%3Aalert%281%29"
        );
        assert_eq!(path_href("a b/\"c\".txt"), "./a%20b/%22c%22.txt");
        assert_eq!(path_href("/abs/x.txt"), "file:///abs/x.txt");
        assert_eq!(
            web_href("https://e.x/a?b=1&c"),
            Some("https://e.x/a?b=1&amp;c".into())
        );
        assert_eq!(web_href("javascript:alert(1)"), None);
        assert_eq!(
            web_href("https://e.x/\"><b>"),
            Some("https://e.x/&quot;&gt;&lt;b&gt;".into())
        );
        assert_eq!(web_href("http://a b"), None);
        assert_eq!(thousands(1234567), "1,234,567");
        assert_eq!(thousands(12), "12");
    }
}
