//! Ctrl-C, SIGTERM and SIGHUP during `mtlint check`: the flag the run polls
//! to stop between files, and the one temporary report file to remove when
//! a signal ends the process. Knows nothing of rules, settings, findings or
//! report formats.

use std::io;
use std::path::PathBuf;
use std::sync::Mutex;
use std::sync::atomic::{AtomicBool, Ordering};

use super::exit;

/// Set by the first Ctrl-C (or SIGTERM): the run stops between files.
pub(crate) static INTERRUPTED: AtomicBool = AtomicBool::new(false);

/// The temporary report file, removed when a signal ends the process.
static TEMP_REPORT: Mutex<Option<PathBuf>> = Mutex::new(None);

/// How long the files being checked may take to finish after Ctrl-C before
/// the process quits without them.
const STOP_GRACE: std::time::Duration = std::time::Duration::from_secs(1);

/// Removes the temporary report, if any, and exits with 130 at once.
fn quit_now() -> ! {
    if let Some(temp) = TEMP_REPORT.lock().ok().and_then(|mut t| t.take()) {
        let _ = std::fs::remove_file(temp);
    }
    super::say("stopped");
    std::process::exit(exit::INTERRUPTED.into());
}

/// Installs the handler for Ctrl-C, SIGTERM and SIGHUP (once per process; an
/// embedding program that has its own keeps it). The first signal asks the
/// run to stop between files; if the files being checked take longer than
/// [`STOP_GRACE`] (a huge file), or a second signal comes, the process
/// removes the temporary report and exits. Either way: exit code 130, and a
/// report given with `-o` is complete or untouched.
pub(crate) fn handle_interrupts() {
    let _ = ctrlc::set_handler(|| {
        if INTERRUPTED.swap(true, Ordering::SeqCst) {
            quit_now();
        }
        super::say("interrupted: stopping");
        std::thread::spawn(|| {
            std::thread::sleep(STOP_GRACE);
            quit_now();
        });
    });
}

/// Names the temporary report file that a signal ending the process removes.
pub(crate) fn remove_on_quit(temp: PathBuf) {
    if let Ok(mut slot) = TEMP_REPORT.lock() {
        *slot = Some(temp);
    }
}

/// Runs `finish`, the rename of the temporary report over its destination,
/// with the process held from quitting: a signal meanwhile waits for it, so
/// that the report is then complete, never half there. Once it succeeds
/// there is no temporary file left to remove.
pub(crate) fn without_quitting(finish: impl FnOnce() -> io::Result<()>) -> io::Result<()> {
    let mut slot = TEMP_REPORT.lock().unwrap_or_else(|e| e.into_inner());
    finish()?;
    *slot = None;
    Ok(())
}
