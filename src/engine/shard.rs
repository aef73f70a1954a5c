//! Sharding a run without coordination: `--shard I/N` keeps the inputs (or,
//! in a stream of records, the records) whose key hashes to shard I of N,
//! so that N runs with the same arguments, each given another I, check
//! every input exactly once between them.
//!
//! The hash is FNV-1a 64 of the key's bytes (the key: an input's path as
//! reports show it, with `/` separators and no leading `./`; a streamed
//! record's id as reports show it), and the shard is `hash % N + 1`
//! (1-based). It never changes between versions or machines: a scheduler
//! may rely on it. Imports only the hash (`rows`) and the path display
//! (`report`); knows nothing of reading or checking.

use std::fmt;
use std::str::FromStr;

use crate::report::normalize_path;
use crate::rows::Fnv64;

/// Shard `index` of `count` (1-based `index`, as written on the command line).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Shard {
    index: u64,
    count: u64,
}

impl Shard {
    /// Shard `index` (1-based) of `count`, or `None` unless `1 <= index <= count`.
    pub fn new(index: u64, count: u64) -> Option<Shard> {
        (index >= 1 && index <= count).then_some(Shard { index, count })
    }

    /// The 1-based shard a key falls in, of `count`.
    pub fn of(key: &[u8], count: u64) -> u64 {
        let mut h = Fnv64::new();
        h.write(key);
        h.finish() % count.max(1) + 1
    }

    /// Whether the record or input keyed `key` belongs to this shard.
    pub fn takes(&self, key: &[u8]) -> bool {
        Shard::of(key, self.count) == self.index
    }

    /// Whether the input shown as `path` belongs to this shard (the path
    /// normalised as reports outside CSV show it, so that `./a.txt` and
    /// `a.txt` agree).
    pub fn takes_path(&self, path: &str) -> bool {
        self.takes(normalize_path(path).as_bytes())
    }
}

impl fmt::Display for Shard {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}/{}", self.index, self.count)
    }
}

impl FromStr for Shard {
    type Err = String;

    /// `I/N`, with `1 <= I <= N`.
    fn from_str(s: &str) -> Result<Shard, String> {
        let bad = || format!("`{s}` is not a shard: write I/N with 1 <= I <= N (as in 2/8)");
        let (i, n) = s.split_once('/').ok_or_else(bad)?;
        let i: u64 = i.trim().parse().map_err(|_| bad())?;
        let n: u64 = n.trim().parse().map_err(|_| bad())?;
        Shard::new(i, n).ok_or_else(bad)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_and_rejects() {
        assert_eq!("2/8".parse(), Ok(Shard { index: 2, count: 8 }));
        assert_eq!(" 1 / 1 ".parse(), Ok(Shard { index: 1, count: 1 }));
        for bad in ["0/4", "5/4", "1/0", "x/2", "3", "", "1/2/3", "-1/2"] {
            assert!(bad.parse::<Shard>().is_err(), "{bad}");
        }
        assert_eq!(
            Shard::new(3, 4).map(|s| s.to_string()).as_deref(),
            Some("3/4")
        );
    }

    /// The documented hash: FNV-1a 64 (its published test vectors), modulo N,
    /// plus one. Pinned, because schedulers outside mtlint rely on it.
    #[test]
    fn the_hash_is_fnv1a_64() {
        let fnv = |s: &[u8]| {
            let mut h = Fnv64::new();
            h.write(s);
            h.finish()
        };
        assert_eq!(fnv(b""), 0xcbf2_9ce4_8422_2325);
        assert_eq!(fnv(b"a"), 0xaf63_dc4c_8601_ec8c);
        assert_eq!(fnv(b"foobar"), 0x8594_4171_f739_67e8);
        assert_eq!(Shard::of(b"a", 10), 0xaf63_dc4c_8601_ec8c % 10 + 1);
        assert_eq!(Shard::of(b"anything", 1), 1);
    }

    /// Every key falls in exactly one shard, and the shards share keys out
    /// roughly evenly.
    #[test]
    fn every_key_in_exactly_one_shard() {
        let shards: Vec<Shard> = (1..=4).map(|i| Shard::new(i, 4).unwrap()).collect();
        let mut sizes = [0usize; 4];
        for k in 0..4000 {
            let key = format!("corpus/source-{k}.jsonl");
            let taken: Vec<usize> = (0..4).filter(|&i| shards[i].takes_path(&key)).collect();
            assert_eq!(taken.len(), 1, "{key}");
            sizes[taken[0]] += 1;
            assert!(
                shards[taken[0]].takes_path(&format!("./{key}")),
                "a leading ./ does not move a path"
            );
        }
        assert!(sizes.iter().all(|&n| (800..1200).contains(&n)), "{sizes:?}");
    }
}
