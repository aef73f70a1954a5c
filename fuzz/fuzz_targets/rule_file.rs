//! The rule-file loader on arbitrary text: a rule loads or is refused with an
//! error, never a panic, a hang or unbounded memory; a rule that loads runs
//! on a short text and its own examples without panicking.
#![no_main]

use libfuzzer_sys::fuzz_target;
use mtlint::{Ruleset, check_bytes};

fuzz_target!(|data: &[u8]| {
    let Ok(src) = std::str::from_utf8(data) else {
        return;
    };
    // The loader wants the file name to equal the id: take the id from the
    // text when there is one, so that the fuzzer reaches the rule kinds.
    let id = src
        .lines()
        .find_map(|l| l.trim().strip_prefix("id = \""))
        .and_then(|rest| rest.split('"').next())
        .filter(|id| !id.is_empty() && !id.contains(['/', '\\']))
        .unwrap_or("rule");
    let files = vec![(format!("{id}.toml"), src.to_string())];
    let Ok(rules) = Ruleset::from_sources(&files) else {
        return;
    };
    let _ = check_bytes(
        &rules,
        "It ended in November. . The the talks “went on.".as_bytes(),
    );
    let _ = mtlint::examples::run_examples(&rules);
});
