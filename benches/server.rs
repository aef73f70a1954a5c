//! `mtlint server`: re-checking a 50 KB document after an edit, the way an
//! editor drives it (a `didChange` of one character, then the check and
//! the diagnostics published once no message is waiting):
//! `cargo bench --bench server`. The target is under 20 ms.
//!
//! The document is the bundled corpus (our own articles, with and without
//! artifacts) repeated to 50 KB, as plain text and as Markdown.

use std::hint::black_box;

use criterion::{Criterion, criterion_group, criterion_main};
use lsp_server::{Message, Notification, Request, RequestId};
use mtlint::app::server::Session;
use mtlint::cli::{RuleArgs, ServerArgs};
use serde_json::json;

const SIZE: usize = 50 * 1024;

fn corpus_text() -> String {
    let mut names: Vec<_> = std::fs::read_dir("corpus")
        .expect("run from the project root")
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|x| x == "txt"))
        .collect();
    names.sort();
    let one: String = names
        .iter()
        .map(|p| std::fs::read_to_string(p).expect("corpus file") + "\n\n")
        .collect();
    let mut doc = String::with_capacity(SIZE + one.len());
    while doc.len() < SIZE {
        doc.push_str(&one);
    }
    let mut cut = SIZE;
    while !doc.is_char_boundary(cut) {
        cut -= 1;
    }
    doc.truncate(cut);
    doc
}

fn notify(session: &mut Session, method: &str, params: serde_json::Value) {
    session.receive(Message::Notification(Notification::new(
        method.into(),
        params,
    )));
}

/// A session with `text` open as `uri`, checked once.
fn session_with(uri: &str, language: &str, text: &str) -> Session {
    let args = ServerArgs {
        rules: RuleArgs {
            isolated: true,
            ..RuleArgs::default()
        },
        stdio: false,
    };
    let mut session = Session::new(&args, std::env::temp_dir());
    session.receive(Message::Request(Request::new(
        RequestId::from(1),
        "initialize".into(),
        json!({"capabilities": {}}),
    )));
    notify(&mut session, "initialized", json!({}));
    notify(
        &mut session,
        "textDocument/didOpen",
        json!({"textDocument": {"uri": uri, "languageId": language, "version": 1, "text": text}}),
    );
    session.idle();
    let published = session.take_outbox();
    assert!(
        published
            .iter()
            .any(|m| m["method"] == "textDocument/publishDiagnostics"
                && !m["params"]["diagnostics"].as_array().unwrap().is_empty()),
        "the corpus has artifacts to report"
    );
    session
}

fn recheck(c: &mut Criterion) {
    let text = corpus_text();
    let line = text.lines().count() / 2;
    let mut group = c.benchmark_group("server");
    group.sample_size(50);
    for (name, uri, language) in [
        ("recheck_50kb_text", "file:///bench/doc.txt", "plaintext"),
        ("recheck_50kb_markdown", "file:///bench/doc.md", "markdown"),
    ] {
        let mut session = session_with(uri, language, &text);
        let mut version = 1;
        group.bench_function(name, |b| {
            b.iter(|| {
                version += 1;
                // Type a character, or take it away again: the size stays.
                let change = if version % 2 == 0 {
                    json!({"range": {"start": {"line": line, "character": 0},
                                     "end": {"line": line, "character": 0}}, "text": "x"})
                } else {
                    json!({"range": {"start": {"line": line, "character": 0},
                                     "end": {"line": line, "character": 1}}, "text": ""})
                };
                notify(
                    &mut session,
                    "textDocument/didChange",
                    json!({"textDocument": {"uri": uri, "version": version},
                           "contentChanges": [change]}),
                );
                session.idle();
                black_box(session.take_outbox())
            })
        });
    }
    group.finish();
}

criterion_group!(benches, recheck);
criterion_main!(benches);
