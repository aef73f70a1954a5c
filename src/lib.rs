//! mtlint: audits machine-translated text for the artifacts MT leaves behind.
//!
//! Rules are data (TOML files, a default pack embedded in the binary); rule
//! kinds are code ([`check`]). A file becomes a [`document::Document`] of prose
//! segments; every enabled rule checks it; findings point at byte spans of
//! the original file and go to a [`report::Reporter`].
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
