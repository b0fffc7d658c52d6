//! Sums whose bits do not depend on how work was split between threads.
//!
//! Floating-point addition is not associative, so a parallel reduction of
//! `f64` gives different last bits for different thread counts. nexo uses two
//! remedies: scores summed over many sources (betweenness) are accumulated
//! exactly in 128-bit fixed point, where addition is associative; short
//! global sums (norms, residuals) are taken over fixed-size blocks, each added
//! in order, and the block sums added in block order.

use rayon::prelude::*;

/// Fraction bits of [`Exact`]: per-source contributions are below 2^32 (at
/// most the node count), their total over all sources below 2^64, so 56 bits
/// of fraction keep the total far inside an `i128`.
const FRACTION_BITS: i32 = 56;

/// An exact accumulator of non-negative `f64` values in 128-bit fixed point
/// with 2^-56 resolution: the sum does not depend on the order of additions.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub(crate) struct Exact(i128);

impl Exact {
    /// Adds `x` (non-negative and finite), truncated to a multiple of 2^-56.
    #[inline]
    pub(crate) fn add(&mut self, x: f64) {
        self.0 += to_fixed(x);
    }

    /// Adds another accumulator.
    #[inline]
    pub(crate) fn merge(&mut self, other: Exact) {
        self.0 += other.0;
    }

    /// The sum, rounded once to the nearest `f64`.
    pub(crate) fn value(self) -> f64 {
        self.0 as f64 * (2f64).powi(-FRACTION_BITS)
    }
}

/// `x * 2^56` truncated to an integer, from the bits of `x` (non-negative,
/// finite): a shift of the mantissa, several times faster than the generic
/// float-to-`i128` conversion, which is a library call.
#[inline]
fn to_fixed(x: f64) -> i128 {
    debug_assert!(x >= 0.0 && x.is_finite(), "{x}");
    let bits = x.to_bits();
    let exponent = ((bits >> 52) & 0x7ff) as i32;
    if exponent == 0 {
        return 0; // zero or subnormal: below 2^-56
    }
    let mantissa = i128::from((bits & ((1u64 << 52) - 1)) | (1u64 << 52));
    // x = mantissa * 2^(exponent - 1075); times 2^56.
    let shift = exponent - 1075 + FRACTION_BITS;
    if shift >= 0 {
        mantissa << shift
    } else if shift > -64 {
        mantissa >> -shift
    } else {
        0
    }
}

/// Adds `b` into `a` element by element.
pub(crate) fn merge_into(a: &mut [Exact], b: &[Exact]) {
    for (x, y) in a.iter_mut().zip(b) {
        x.merge(*y);
    }
}

/// Block length of [`block_sum`]; fixed, so the grouping never depends on threads.
pub(crate) const BLOCK: usize = 4096;

/// `sum(term(i) for i in 0..n)`, the same bits at any thread count: terms are
/// added in order within blocks of 4096, block sums in block order. Runs in
/// parallel when there are several blocks.
pub(crate) fn block_sum(n: usize, term: impl Fn(usize) -> f64 + Sync) -> f64 {
    let block = |b: usize| (b * BLOCK..n.min((b + 1) * BLOCK)).fold(0.0, |sum, i| sum + term(i));
    let blocks = n.div_ceil(BLOCK);
    if blocks <= 1 {
        return block(0);
    }
    let sums: Vec<f64> = (0..blocks).into_par_iter().map(block).collect();
    sums.iter().fold(0.0, |sum, s| sum + s)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fixed_point_conversion_is_the_truncated_product() {
        for x in [0.0, 1.0, 0.5, 3.75, 1e-20, 1.0 / 3.0, 12345.678, 4.0e9, f64::MIN_POSITIVE] {
            assert_eq!(to_fixed(x), (x * (2f64).powi(FRACTION_BITS)) as i128, "{x}");
        }
    }

    #[test]
    fn exact_sum_is_order_free() {
        let values: Vec<f64> = (1..2000).map(|i| 1.0 / f64::from(i) + 1e6 * f64::from(i % 7)).collect();
        let mut forward = Exact::default();
        values.iter().for_each(|&x| forward.add(x));
        let mut backward = Exact::default();
        values.iter().rev().for_each(|&x| backward.add(x));
        assert_eq!(forward, backward);
        let naive: f64 = values.iter().sum();
        assert!((forward.value() - naive).abs() <= 1e-12 * naive);
    }

    #[test]
    fn block_sum_matches_sequential_blocks_at_any_thread_count() {
        let term = |i: usize| ((i * 7919) % 1000) as f64 / 3.0;
        let n = 3 * BLOCK + 17;
        let pool = |t| rayon::ThreadPoolBuilder::new().num_threads(t).build().unwrap();
        let one = pool(1).install(|| block_sum(n, term));
        assert_eq!(one.to_bits(), pool(3).install(|| block_sum(n, term)).to_bits());
        assert!((one - (0..n).map(term).sum::<f64>()).abs() < 1e-6);
    }
}
