//! The random source: xoshiro256** seeded by SplitMix64 (D. Blackman and S. Vigna, 2018),
//! with uniform draws below a bound, shuffles and R. Floyd's sampling of subsets.

/// xoshiro256** seeded by SplitMix64.
#[derive(Clone, Debug)]
pub(crate) struct Rng([u64; 4]);

impl Rng {
    pub(crate) fn new(seed: u64) -> Self {
        let mut z = seed;
        let mut next = || {
            z = z.wrapping_add(0x9E37_79B9_7F4A_7C15);
            let mut x = z;
            x = (x ^ (x >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
            x = (x ^ (x >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
            x ^ (x >> 31)
        };
        Rng([next(), next(), next(), next()])
    }

    pub(crate) fn next_u64(&mut self) -> u64 {
        let s = &mut self.0;
        let result = s[1].wrapping_mul(5).rotate_left(7).wrapping_mul(9);
        let t = s[1] << 17;
        s[2] ^= s[0];
        s[3] ^= s[1];
        s[1] ^= s[2];
        s[0] ^= s[3];
        s[2] ^= t;
        s[3] = s[3].rotate_left(45);
        result
    }

    /// Uniform in `[0, 1)`: the top 53 bits of a draw, times `2^-53`.
    pub(crate) fn unit(&mut self) -> f64 {
        (self.next_u64() >> 11) as f64 * (1.0 / (1u64 << 53) as f64)
    }

    /// Uniform in `0..bound` (Lemire's multiply-shift with rejection).
    pub(super) fn below(&mut self, bound: usize) -> usize {
        let bound = bound as u64;
        loop {
            let m = u128::from(self.next_u64()) * u128::from(bound);
            let low = m as u64;
            if low >= bound.wrapping_neg() % bound {
                return (m >> 64) as usize;
            }
        }
    }

    pub(super) fn shuffle(&mut self, xs: &mut [usize]) {
        for k in (1..xs.len()).rev() {
            xs.swap(k, self.below(k + 1));
        }
    }

    /// A uniformly random `size`-subset of the `n` players other than `i`, as a mask: R. Floyd's
    /// algorithm (J. Bentley, "Programming pearls: a sample of brilliance", *Communications
    /// of the ACM* 30, 1987) on the `n - 1` others numbered `0..n-1`, then a gap at bit `i`.
    pub(super) fn subset_of_others(&mut self, n: usize, i: usize, size: usize) -> u64 {
        let m = n - 1;
        let mut s = 0u64;
        for j in m - size..m {
            let t = self.below(j + 1);
            s |= if s >> t & 1 == 1 { 1 << j } else { 1 << t };
        }
        let low = s & ((1u64 << i) - 1);
        let high = (s >> i).checked_shl(i as u32 + 1).unwrap_or(0);
        low | high
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn uniform_draws_and_shuffles() {
        let mut rng = Rng::new(1);
        let mut counts = [0usize; 5];
        for _ in 0..50_000 {
            counts[rng.below(5)] += 1;
        }
        assert!(
            counts.iter().all(|&c| (c as f64 - 10_000.0).abs() < 500.0),
            "{counts:?}"
        );
        let mut xs = [0, 1, 2, 3];
        rng.shuffle(&mut xs);
        let mut sorted = xs;
        sorted.sort_unstable();
        assert_eq!(sorted, [0, 1, 2, 3]);
    }

    #[test]
    fn unit_draws_are_uniform_in_0_1() {
        let mut rng = Rng::new(5);
        let mut bins = [0usize; 10];
        for _ in 0..50_000 {
            let t = rng.unit();
            assert!((0.0..1.0).contains(&t));
            bins[(t * 10.0) as usize] += 1;
        }
        // 5 000 expected per bin (standard deviation about 67).
        assert!(
            bins.iter().all(|&c| (c as f64 - 5_000.0).abs() < 400.0),
            "{bins:?}"
        );
    }

    #[test]
    fn subsets_of_others_are_uniform() {
        let mut s = Rng::new(3);
        let mut counts = std::collections::HashMap::new();
        for _ in 0..60_000 {
            let mask = s.subset_of_others(5, 2, 2);
            assert_eq!(mask.count_ones(), 2);
            assert_eq!(mask & 0b100, 0);
            assert!(mask < 32);
            *counts.entry(mask).or_insert(0usize) += 1;
        }
        // C(4, 2) = 6 subsets, 10 000 expected each (standard deviation about 91).
        assert_eq!(counts.len(), 6);
        assert!(
            counts
                .values()
                .all(|&c| (c as f64 - 10_000.0).abs() < 500.0),
            "{counts:?}"
        );
        let mut big = Rng::new(1);
        assert_eq!(big.subset_of_others(64, 63, 63), u64::MAX >> 1);
        assert_eq!(big.subset_of_others(64, 0, 63), u64::MAX << 1);
        assert_eq!(big.subset_of_others(64, 5, 0), 0);
    }
}
