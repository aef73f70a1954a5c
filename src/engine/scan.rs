//! Reading inputs into documents for commands that look at the text itself
//! rather than run rules over it (`mine`): each input is read as `check`
//! reads it (special files skipped, binary files sniffed, `--encoding`,
//! the format by extension or content) and its documents handed to a
//! visitor, on `jobs` threads.
//!
//! Knows nothing of what the visitor does with the documents, nor of the
//! command line or reporters: problems come back per input, in input order,
//! for the caller to show.

use rayon::prelude::*;

use super::discover::{Input, InputSettings};
use super::problem::Problem;
use super::read::read_input;
use crate::document::{self, Document, InputFormat};

/// What reading one input gave, short of its documents.
#[derive(Debug, Default)]
pub struct Scanned {
    /// The path as reports show it.
    pub path: String,
    /// Anything that went wrong or was skipped, as `check` reports it.
    pub problems: Vec<Problem>,
    /// Documents handed to the visitor.
    pub documents: usize,
}

/// Reads every input of `inputs` on `jobs` threads and calls `visit` with
/// the input's index in `inputs`, its path as reports show it, and its
/// documents (none when it was not read). Returns what each input gave, in
/// input order. A panic while an input is read or visited becomes a
/// problem of that input. With `languages`, each document is given its
/// language first, as a check gives it (detection costs a few microseconds
/// a document, so only a caller that reads it asks).
pub fn scan_documents(
    inputs: &[Input],
    settings: &InputSettings,
    jobs: usize,
    languages: bool,
    visit: &(dyn Fn(usize, &str, &[Document<'_>]) + Sync),
) -> Vec<Scanned> {
    let scan_one = |(i, input): (usize, &Input)| -> Scanned {
        let path = input.display();
        let caught = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
            scan_input(
                i,
                input,
                &path,
                &settings.for_input(input),
                languages,
                visit,
            )
        }));
        caught.unwrap_or_else(|payload| {
            let what = payload
                .downcast_ref::<&str>()
                .map(|s| (*s).to_string())
                .or_else(|| payload.downcast_ref::<String>().cloned())
                .unwrap_or_else(|| "unknown panic".to_string());
            Scanned {
                path: path.clone(),
                problems: vec![Problem::Panicked(what)],
                documents: 0,
            }
        })
    };
    let run = || -> Vec<Scanned> { inputs.par_iter().enumerate().map(scan_one).collect() };
    match rayon::ThreadPoolBuilder::new()
        .num_threads(jobs.max(1))
        .thread_name(|i| format!("mtlint-scan-{i}"))
        .build()
    {
        Ok(pool) => pool.install(run),
        // Fewer threads are slower, not wrong.
        Err(_) => run(),
    }
}

/// Reads one input and hands its documents to `visit`.
fn scan_input(
    index: usize,
    input: &Input,
    path: &str,
    options: &document::InputOptions,
    languages: bool,
    visit: &(dyn Fn(usize, &str, &[Document<'_>]) + Sync),
) -> Scanned {
    let mut scanned = Scanned {
        path: path.to_string(),
        ..Scanned::default()
    };
    let plain = input.plain_before_reading(options);
    // No gate: the visitor reads each file once, in one piece.
    let bytes = match read_input(input, plain, None, options.encoding) {
        Ok(Ok(b)) => b,
        Ok(Err(problem)) => {
            scanned.problems.push(problem);
            return scanned;
        }
        Err(e) => {
            scanned.problems.push(Problem::Unreadable(e.to_string()));
            return scanned;
        }
    };
    let transcoded = options
        .encoding
        .map(|encoding| document::Transcoded::decode(&bytes, encoding));
    let text: &[u8] = transcoded.as_ref().map_or(&bytes, |t| t.text.as_bytes());
    let format = input.format(options, text);
    if format == InputFormat::Text {
        let (mut doc, _) = document::plain_text(text);
        if languages {
            super::check::resolve_language(&mut doc, options);
        }
        let docs = [doc];
        visit(index, path, &docs);
        scanned.documents = 1;
        return scanned;
    }
    let (decoded, _) = document::decode(text);
    let mut parsed = document::parse(&decoded, format, options);
    if languages {
        for doc in &mut parsed.documents {
            super::check::resolve_language(doc, options);
        }
    }
    visit(index, path, &parsed.documents);
    scanned.documents = parsed.documents.len();
    if let Some(message) = parsed.no_text.take() {
        scanned.problems.push(if options.text_explicit {
            Problem::Record { line: 1, message }
        } else {
            Problem::NoText(message)
        });
    }
    scanned
        .problems
        .extend(parsed.errors.into_iter().map(|e| Problem::Record {
            line: e.line,
            message: e.message,
        }));
    scanned
        .problems
        .extend(parsed.skipped.map(Problem::Skipped));
    scanned
        .problems
        .extend(parsed.notes.into_iter().map(Problem::Detail));
    scanned
}
