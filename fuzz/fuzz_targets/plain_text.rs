//! The plain-text document builder on arbitrary bytes: no panic, and every
//! segment maps back inside the file onto the very same bytes.
#![no_main]

use libfuzzer_sys::fuzz_target;
use mtlint::document::plain_text;

fuzz_target!(|data: &[u8]| {
    let (doc, invalid) = plain_text(data);
    for segment in &doc.segments {
        let text = segment.text();
        let span = segment.original(0..text.len());
        assert!(
            span.end <= data.len(),
            "segment {span:?} outside {} bytes",
            data.len()
        );
        if invalid.is_none() {
            assert_eq!(&data[span], text.as_bytes(), "segment is not verbatim");
        }
        // Tokens, paragraphs and sentences: what token-level rules read.
        let _ = segment.analysis();
    }
    if let Some(bad) = invalid {
        assert!(bad.first.end <= data.len() && bad.count >= 1);
    }
});
