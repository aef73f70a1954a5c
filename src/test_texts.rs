//! Pseudo-random texts for tests that compare a fast path with a plain one.
//! Imports nothing from the crate: knows nothing of documents, rules or the
//! fast paths it helps test; it makes strings.

/// `count` texts, each of up to `max_pieces` of `pieces` picked by a fixed
/// xorshift walk from `seed`: the same texts on every run.
pub(crate) fn random_texts<'p>(
    mut seed: u64,
    pieces: &'p [&'p str],
    max_pieces: u64,
    count: usize,
) -> impl Iterator<Item = String> + 'p {
    let mut next = move || {
        seed ^= seed << 13;
        seed ^= seed >> 7;
        seed ^= seed << 17;
        seed
    };
    (0..count).map(move |_| {
        let n = next() % (max_pieces + 1);
        (0..n)
            .map(|_| pieces[(next() % pieces.len() as u64) as usize])
            .collect()
    })
}
