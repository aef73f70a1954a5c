//! The `mtlint` binary: parse the command line, run it, exit with its code.
//! Uses only the library's `cli` and `app`: knows nothing of configuration,
//! rules, inputs or reports.

use std::process::ExitCode;

use clap::Parser;

fn main() -> ExitCode {
    let cli = mtlint::cli::Cli::parse();
    ExitCode::from(mtlint::app::run(cli))
}
