//! Unified diffs of what a fix changes, for `--diff`: the file's lines
//! before and after, three lines of context, `---`/`+++` headers naming the
//! file. Knows nothing of fixes' origins.

use similar::TextDiff;

/// The unified diff from `old` to `new` of the file shown as `path`; empty
/// when they are equal.
pub fn unified_diff(path: &str, old: &str, new: &str) -> String {
    if old == new {
        return String::new();
    }
    let diff = TextDiff::from_lines(old, new);
    let mut out = diff
        .unified_diff()
        .context_radius(3)
        .header(&format!("a/{path}"), &format!("b/{path}"))
        .to_string();
    if !out.ends_with('\n') {
        out.push('\n');
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn diffs_name_the_file_and_show_the_change() {
        let d = unified_diff("a.txt", "one\ntwo. .\nthree\n", "one\ntwo.\nthree\n");
        assert_eq!(
            d,
            "--- a/a.txt\n+++ b/a.txt\n@@ -1,3 +1,3 @@\n one\n-two. .\n+two.\n three\n"
        );
        assert_eq!(unified_diff("a.txt", "same", "same"), "");
    }
}
