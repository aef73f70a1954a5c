//! The run loop under oversubscription: many more threads than cores, big
//! plain-text files (checked in parallel parts) among many small ones. Each
//! run is bounded by a time-out, so a deadlock fails the test instead of
//! hanging it, and every thread count must give the same bytes.

mod common;

use std::fs;
use std::io::Read;
use std::path::Path;
use std::process::{Child, Stdio};
use std::time::{Duration, Instant};

use tempfile::TempDir;

use common::mtlint_process;

/// Far longer than any run here takes (a second or two); only a hang
/// reaches it.
const HANG: Duration = Duration::from_secs(60);

const SENTENCE: &str = "The minister said on Tuesday that the talks in November. . \
    would go on, and the the envoy agreed. ";

/// A plain-text file of about `bytes` bytes in paragraphs, so that it is
/// bigger than one part (256 KiB) and is checked in parallel parts.
fn big_text(bytes: usize) -> String {
    let paragraph = format!("{}\n\n", SENTENCE.repeat(6));
    paragraph.repeat(bytes / paragraph.len() + 1)
}

/// Writes `small` one-line files and `big` files of `big_bytes` bytes, the
/// big ones spread among the small ones in path order.
fn write_mix(dir: &Path, small: usize, big: usize, big_bytes: usize) {
    let total = small + big;
    let every = total.checked_div(big).unwrap_or(usize::MAX);
    let big_body = big_text(big_bytes);
    for i in 0..total {
        let (name, body) = if big > 0 && i % every == every / 2 && i / every < big {
            (format!("d{}/big{i:05}.txt", i % 7), big_body.as_str())
        } else {
            (format!("d{}/f{i:05}.txt", i % 7), SENTENCE)
        };
        let path = dir.join(name);
        fs::create_dir_all(path.parent().expect("parent")).expect("mkdir");
        fs::write(path, body).expect("write");
    }
}

/// Waits for `child` at most [`HANG`]; kills it and returns `None` past it.
fn wait_bounded(mut child: Child) -> Option<(Option<i32>, Vec<u8>)> {
    let deadline = Instant::now() + HANG;
    // Read stdout on a thread so that a full pipe cannot stall the child.
    let mut stdout = child.stdout.take().expect("stdout");
    let reader = std::thread::spawn(move || {
        let mut out = Vec::new();
        stdout.read_to_end(&mut out).map(|_| out)
    });
    loop {
        if let Some(status) = child.try_wait().expect("wait") {
            let out = reader.join().expect("reader").expect("read stdout");
            return Some((status.code(), out));
        }
        if Instant::now() > deadline {
            let _ = child.kill();
            let _ = child.wait();
            return None;
        }
        std::thread::sleep(Duration::from_millis(20));
    }
}

/// The CSV report of `dir` at `jobs`, or `None` when the run hung.
fn report(dir: &Path, jobs: usize) -> Option<Vec<u8>> {
    let child = mtlint_process()
        .current_dir(dir)
        .args(["check", ".", "--exit-zero", "-j", &jobs.to_string()])
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .expect("spawn");
    let (code, out) = wait_bounded(child)?;
    assert_eq!(code, Some(0), "-j{jobs}");
    Some(out)
}

/// The case that hung: a thousand small files and five big ones, sixteen
/// threads, many runs (it hung in most of them at `-j16` before the run
/// loop's workers became threads of their own).
#[test]
fn many_small_and_some_big_files_never_hang() {
    let dir = TempDir::new().expect("temp dir");
    write_mix(dir.path(), 1_000, 5, 300_000);
    let expected = report(dir.path(), 1).expect("-j1 never hangs");
    for run in 1..=30 {
        let out = report(dir.path(), 16).unwrap_or_else(|| panic!("run {run} of 30 at -j16 hung"));
        assert!(out == expected, "-j16 differs from -j1");
    }
}

/// Every thread count from 1 to 32 over mixes of file sizes gives the bytes
/// of one thread, and never hangs.
#[test]
fn every_thread_count_and_size_mix_agrees() {
    // (small files, big files, bytes of a big file)
    let mixes = [
        (300, 0, 0),
        (300, 3, 270_000),
        (0, 4, 270_000),
        (1, 1, 600_000),
        // More files than the reorder window (256), big ones at both ends.
        (600, 2, 270_000),
    ];
    for (small, big, bytes) in mixes {
        let dir = TempDir::new().expect("temp dir");
        write_mix(dir.path(), small, big, bytes);
        let expected = report(dir.path(), 1).expect("-j1 never hangs");
        for jobs in [2, 3, 4, 5, 8, 16, 32] {
            let out = report(dir.path(), jobs)
                .unwrap_or_else(|| panic!("hung: -j{jobs}, {small} small, {big} big"));
            assert!(
                out == expected,
                "-j{jobs} differs from -j1 ({small} small, {big} big)"
            );
        }
    }
}
