//! Throughput per rule kind on a fixed document, so a regression in one kind
//! shows up by name: `cargo bench --bench kinds`.
//!
//! The document is the bundled corpus (our own articles, with and without
//! artifacts) repeated to about 256 KiB, checked as one plain-text file.

use std::hint::black_box;

use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use mtlint::document::{Segment, plain_text};
use mtlint::{Ruleset, check_bytes};

fn fixed_document() -> Vec<u8> {
    let mut names: Vec<_> = std::fs::read_dir("corpus")
        .expect("run from the project root")
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|x| x == "txt"))
        .collect();
    names.sort();
    let one: Vec<u8> = names
        .iter()
        .flat_map(|p| std::fs::read(p).expect("corpus file"))
        .collect();
    let mut doc = Vec::with_capacity(256 * 1024 + one.len());
    while doc.len() < 256 * 1024 {
        doc.extend_from_slice(&one);
        doc.extend_from_slice(b"\n\n");
    }
    doc
}

fn ruleset_of_kind(kind: &str) -> Ruleset {
    let mut rules = Ruleset::default_pack().expect("default pack");
    let ids: Vec<String> = rules
        .checks()
        .iter()
        .filter(|c| c.meta().kind == kind)
        .map(|c| c.meta().id.clone())
        .collect();
    rules
        .select(&ids, &["invalid-utf8".to_string()])
        .expect("known ids");
    rules
}

fn kinds(c: &mut Criterion) {
    let doc = fixed_document();
    let mut group = c.benchmark_group("kind");
    group
        .throughput(Throughput::Bytes(doc.len() as u64))
        .sample_size(20);
    group.bench_function("tokenize", |b| {
        let text = std::str::from_utf8(&doc).expect("corpus is UTF-8");
        b.iter(|| black_box(Segment::verbatim(black_box(text), 0).tokens().len()))
    });
    for kind in mtlint::check::kinds() {
        let rules = ruleset_of_kind(kind);
        // The analysis is shared by token-level kinds; each iteration builds
        // it again, as a real file would, so it is part of every kind's cost.
        group.bench_function(kind, |b| {
            b.iter(|| black_box(check_bytes(&rules, black_box(&doc))))
        });
    }
    let all = Ruleset::default_pack().expect("default pack");
    group.bench_function("whole-pack", |b| {
        b.iter(|| black_box(check_bytes(&all, black_box(&doc))))
    });
    group.bench_function("plain-text-document", |b| {
        b.iter(|| black_box(plain_text(black_box(&doc)).0.segments.len()))
    });
    group.finish();
}

criterion_group!(benches, kinds);
criterion_main!(benches);
