//! A small seeded random number generator, so that every sampled result is
//! reproducible from its seed on any platform and at any thread count.

/// SplitMix64 (Steele, Lea & Flood 2014): 64 bits of state, passes BigCrush,
/// and any seed, zero included, is a good one.
///
/// ```
/// let mut rng = nexo_graph::SplitMix64::stream(42, 7);
/// let roll = rng.below(6);
/// assert!(roll < 6);
/// assert_eq!(nexo_graph::SplitMix64::stream(42, 7).below(6), roll);
/// ```
#[derive(Debug, Clone)]
pub struct SplitMix64 {
    state: u64,
}

impl SplitMix64 {
    /// The generator seeded with `seed`.
    pub fn new(seed: u64) -> Self {
        Self { state: seed }
    }

    /// The generator of stream `index` of `seed`: streams start at scrambled
    /// states, so they do not overlap in practice (plain `seed + index` would
    /// make stream `i + 1` repeat stream `i` one step later).
    pub fn stream(seed: u64, index: u64) -> Self {
        Self::new(seed ^ SplitMix64::new(index).next_u64())
    }

    /// The next 64 random bits.
    pub fn next_u64(&mut self) -> u64 {
        self.state = self.state.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let mut z = self.state;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        z ^ (z >> 31)
    }

    /// A uniform integer in `0..bound` (Lemire's multiply-shift with rejection,
    /// so no value is favoured). `bound` must be positive.
    pub fn below(&mut self, bound: u64) -> u64 {
        let threshold = bound.wrapping_neg() % bound;
        loop {
            let product = u128::from(self.next_u64()) * u128::from(bound);
            if (product as u64) >= threshold {
                return (product >> 64) as u64;
            }
        }
    }

    /// A uniform float in `[0, 1)` with 53 random bits.
    pub fn unit(&mut self) -> f64 {
        (self.next_u64() >> 11) as f64 * (1.0 / (1u64 << 53) as f64)
    }

    /// `k` distinct values of `0..n` in random order (partial Fisher-Yates over
    /// a lazily materialised permutation: `O(k)` memory and time).
    pub fn sample_distinct(&mut self, n: u32, k: usize) -> Vec<u32> {
        let k = k.min(n as usize);
        let mut swapped: rustc_hash::FxHashMap<u32, u32> =
            rustc_hash::FxHashMap::with_capacity_and_hasher(2 * k, Default::default());
        let mut picked = Vec::with_capacity(k);
        for i in 0..k as u32 {
            let j = i + self.below(u64::from(n - i)) as u32;
            let at_j = *swapped.get(&j).unwrap_or(&j);
            let at_i = *swapped.get(&i).unwrap_or(&i);
            swapped.insert(j, at_i);
            picked.push(at_j);
        }
        picked
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn below_stays_in_range_and_samples_are_distinct() {
        let mut rng = SplitMix64::new(7);
        assert!((0..10_000).all(|_| rng.below(13) < 13));
        let mut sample = rng.sample_distinct(1000, 400);
        assert_eq!(sample.len(), 400);
        sample.sort_unstable();
        sample.dedup();
        assert_eq!(sample.len(), 400);
        assert!(sample.iter().all(|&v| v < 1000));
        assert_eq!(rng.sample_distinct(5, 9).len(), 5);
    }

    #[test]
    fn same_seed_same_stream() {
        let (mut a, mut b) = (SplitMix64::new(42), SplitMix64::new(42));
        assert!((0..100).all(|_| a.next_u64() == b.next_u64()));
        let u = SplitMix64::new(1).unit();
        assert!((0.0..1.0).contains(&u));
    }
}
