//! Finding the next byte of a small set fast: `memchr` for up to three
//! bytes, a packed (SIMD) Aho–Corasick searcher for more. Rules that only
//! care about a few characters (quotes, brackets) jump from one to the next
//! instead of testing every byte. Imports nothing else from the crate: knows
//! nothing of rules, documents or findings; it sees bytes.

use aho_corasick::packed;

/// A set of bytes to search for.
pub(crate) struct ByteSet {
    bytes: Vec<u8>,
    member: [bool; 256],
    /// For sets of more than three bytes, when the platform has a packed
    /// searcher; else a table lookup per byte.
    packed: Option<packed::Searcher>,
}

impl ByteSet {
    pub(crate) fn new(bytes: impl IntoIterator<Item = u8>) -> Self {
        let mut member = [false; 256];
        let mut list = Vec::new();
        for b in bytes {
            if !member[usize::from(b)] {
                member[usize::from(b)] = true;
                list.push(b);
            }
        }
        let packed = if list.len() > 3 {
            let mut builder = packed::Config::new().builder();
            for &b in &list {
                builder.add([b]);
            }
            builder.build()
        } else {
            None
        };
        ByteSet {
            bytes: list,
            member,
            packed,
        }
    }

    /// Whether `b` is in the set.
    pub(crate) fn contains(&self, b: u8) -> bool {
        self.member[usize::from(b)]
    }

    /// Offset of the first byte of the set in `hay`.
    pub(crate) fn find(&self, hay: &[u8]) -> Option<usize> {
        match *self.bytes.as_slice() {
            [] => None,
            [a] => memchr::memchr(a, hay),
            [a, b] => memchr::memchr2(a, b, hay),
            [a, b, c] => memchr::memchr3(a, b, c, hay),
            _ => match &self.packed {
                Some(searcher) => searcher.find(hay).map(|m| m.start()),
                None => hay.iter().position(|&b| self.contains(b)),
            },
        }
    }
}

#[cfg(test)]
mod tests {
    use super::ByteSet;

    #[test]
    fn finds_the_first_member_whatever_the_set_size() {
        let hay = "plain text, then (brackets] and “quotes” at the end".as_bytes();
        for set in [
            vec![b'('],
            vec![b'(', b']'],
            vec![b']', b'(', 0xE2],
            vec![b'(', b')', b'[', b']'],
            vec![b'(', b')', b'[', b']', 0xE2, b'"', 0xC2],
        ] {
            let set = ByteSet::new(set.iter().copied());
            let naive = hay.iter().position(|&b| set.contains(b));
            assert_eq!(set.find(hay), naive);
            assert_eq!(
                set.find(&hay[18..]),
                hay[18..].iter().position(|&b| set.contains(b))
            );
            assert_eq!(set.find(b"none here"), None);
        }
        assert_eq!(ByteSet::new([]).find(hay), None);
    }
}
