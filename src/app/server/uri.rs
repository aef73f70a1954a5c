//! `file:` URIs, which is how the protocol names documents, to paths and
//! back (percent-encoding both ways). Other schemes (`untitled:`) name no
//! file.

use std::path::{Path, PathBuf};

use lsp_types::Uri;

/// The path of a `file:` URI; `None` for another scheme or a path that is
/// not valid UTF-8 once decoded.
pub fn to_path(uri: &Uri) -> Option<PathBuf> {
    let text = uri.as_str();
    let (scheme, rest) = text.split_once(':')?;
    if !scheme.eq_ignore_ascii_case("file") {
        return None;
    }
    // `file:///p` and `file://localhost/p`; a query or fragment is no part
    // of the path.
    let rest = rest.strip_prefix("//").map_or(rest, |r| {
        let slash = r.find('/').unwrap_or(r.len());
        &r[slash..]
    });
    let rest = rest.split(['?', '#']).next().unwrap_or("");
    let decoded = decode(rest)?;
    if cfg!(windows) {
        // `/C:/x` is `C:/x`.
        let b = decoded.as_bytes();
        if b.len() >= 3 && b[0] == b'/' && b[1].is_ascii_alphabetic() && b[2] == b':' {
            return Some(PathBuf::from(&decoded[1..]));
        }
    }
    Some(PathBuf::from(decoded))
}

fn decode(s: &str) -> Option<String> {
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' {
            let hex = s.get(i + 1..i + 3)?;
            out.push(u8::from_str_radix(hex, 16).ok()?);
            i += 3;
        } else {
            out.push(bytes[i]);
            i += 1;
        }
    }
    String::from_utf8(out).ok()
}

/// The `file:` URI of an absolute `path`.
pub fn from_path(path: &Path) -> Option<Uri> {
    let text = path.to_str()?;
    let text = text.replace('\\', "/");
    let mut out = String::from("file://");
    if !text.starts_with('/') {
        out.push('/');
    }
    for b in text.bytes() {
        if b.is_ascii_alphanumeric() || b"/-._~:".contains(&b) {
            out.push(char::from(b));
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out.parse().ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn file_uris_round_trip() {
        let uri: Uri = "file:///tmp/caf%C3%A9%20news/a.md".parse().expect("uri");
        assert_eq!(to_path(&uri), Some(PathBuf::from("/tmp/café news/a.md")));
        let back = from_path(Path::new("/tmp/café news/a.md")).expect("uri");
        assert_eq!(back.as_str(), "file:///tmp/caf%C3%A9%20news/a.md");
        let host: Uri = "file://localhost/x/y.txt".parse().expect("uri");
        assert_eq!(to_path(&host), Some(PathBuf::from("/x/y.txt")));
        let untitled: Uri = "untitled:Untitled-1".parse().expect("uri");
        assert_eq!(to_path(&untitled), None);
    }
}
