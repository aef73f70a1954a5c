//! mtlint: audits machine-translated text for the artifacts MT leaves behind.
//!
//! Rules are data (TOML files, a default pack embedded in the binary); rule
//! kinds are code ([`check`]). A run's stages, in order: discover the inputs
//! (`engine::discover`), read their bytes (`engine::read`), make each into
//! [`document::Document`]s of prose segments (`document`), check those with
//! every enabled rule (`check`), turn the findings — byte spans of the
//! original file — into rows with lines and columns (`rows`), and write the
//! rows through a [`report::Reporter`] (`report`). This root only declares
//! the modules and re-exports the small public API; it holds no code of its
//! own.
//!
//! ```
//! use mtlint::{Ruleset, check_bytes};
//! let rules = Ruleset::default_pack().unwrap();
//! let findings = check_bytes(&rules, "It ended in November. . The talks".as_bytes());
//! assert_eq!(findings[0].rule.id, "stray-period");
//! ```

pub mod app;
pub mod check;
pub mod cli;
pub mod config;
mod diagnostics;
pub mod document;
pub mod engine;
pub mod examples;
pub mod finding;
pub mod fix;
pub mod group;
pub mod language;
pub mod mine;
pub mod report;
mod rows;
pub mod ruleset;
pub mod suppress;
#[cfg(test)]
mod test_texts;

pub use diagnostics::RuleError;
pub use engine::{check_bytes, check_document};
pub use finding::{Finding, RuleMeta, Severity};
pub use report::baseline;
pub use ruleset::{RuleSources, Ruleset};
