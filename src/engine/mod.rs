//! Running rules over inputs, one stage per module, data flowing one way:
//! `discover` finds the inputs (and how each is to be read), `read` reads
//! their bytes, `check` checks the bytes of one input into rows, and
//! `schedule` runs the checks in parallel and hands the results to a
//! reporter in input order; `scan` reads inputs into documents for
//! commands that look at the text rather than run rules (`mine`). What goes wrong with an input short of a
//! finding is a [`Problem`] (`problem`), shared by every stage.
//!
//! Knows nothing of the command line, the configuration file or output
//! formats: it is given inputs, settings, rules and a reporter.

mod check;
mod discover;
mod fix;
mod problem;
mod read;
mod records;
mod scan;
mod schedule;
mod shard;
mod stream;

pub use check::{
    FileResult, MAX_FINDINGS_PER_RULE, check_bytes, check_bytes_as, check_bytes_with_edits,
    check_document, check_input,
};
pub use discover::{
    DiscoveryError, Exclude, FileInput, Input, InputSettings, Named, PathLanguage, TEXT_EXTENSIONS,
    discover, discover_named,
};
pub use fix::{
    FixOutcome, FixSettings, FixedInput, Keep, MAX_FIX_PASSES, fix_bytes, fix_input, keep_all,
};
pub use problem::Problem;
pub use read::stdin_is_readable;
pub use records::{Origin, StreamSettings};
pub use scan::{Scanned, scan_documents};
pub use schedule::{Summary, run, run_until};
pub use shard::Shard;
pub use stream::{in_shard, streamed_format};
