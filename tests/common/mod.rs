//! Games and brute-force references shared by the integration tests.
#![allow(dead_code)]

use coalitional::{Coalition, Game};

/// A deterministic stream of numbers in [0, 1) (a 64-bit linear congruential generator).
pub struct Rng(pub u64);

impl Rng {
    pub fn next(&mut self) -> f64 {
        self.0 = self
            .0
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        (self.0 >> 11) as f64 / (1u64 << 53) as f64
    }

    /// A whole number in `0..k`.
    pub fn below(&mut self, k: usize) -> usize {
        ((self.next() * k as f64) as usize).min(k - 1)
    }

    /// A whole number in `lo..=hi`, as a float.
    pub fn int(&mut self, lo: i64, hi: i64) -> f64 {
        lo as f64 + (self.next() * (hi - lo + 1) as f64).floor()
    }
}

/// SplitMix64 (Steele, Lea and Flood, "Fast splittable pseudorandom number generators",
/// OOPSLA 2014): a deterministic stream of 64-bit words for the random instances.
pub struct SplitMix(pub u64);

impl SplitMix {
    pub fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// A whole number in `0..k` (by the remainder).
    pub fn below(&mut self, k: u64) -> u64 {
        self.next() % k
    }

    /// A number in [0, 1).
    pub fn unit(&mut self) -> f64 {
        (self.next() >> 11) as f64 / (1u64 << 53) as f64
    }

    /// A whole number in `lo..=hi` (by the remainder).
    pub fn int(&mut self, lo: i64, hi: i64) -> i64 {
        lo + (self.next() % (hi - lo + 1) as u64) as i64
    }

    /// `n` flags, each set with probability `per_mille / 1000`.
    pub fn flags(&mut self, n: usize, per_mille: u64) -> Vec<bool> {
        (0..n).map(|_| self.below(1000) < per_mille).collect()
    }
}

pub fn names(n: usize) -> Vec<String> {
    (0..n).map(|i| format!("p{i}")).collect()
}

/// The simple game of a weighted vote: 1 if the weights in S reach the quota.
pub fn weighted_voting(quota: f64, weights: &[f64], players: &[&str]) -> Game {
    Game::from_fn(
        players.iter().map(|s| s.to_string()).collect(),
        |s: Coalition| {
            let w: f64 = s.members().map(|i| weights[i]).sum();
            if w >= quota {
                1.0
            } else {
                0.0
            }
        },
    )
    .unwrap()
}

/// The Shapley value as the average of all n! marginal vectors (Heap's algorithm).
pub fn shapley_by_permutations(g: &Game) -> Vec<f64> {
    let n = g.n();
    let mut order: Vec<usize> = (0..n).collect();
    let mut sum = vec![0.0; n];
    let mut count = 0u64;
    let mut add = |order: &[usize]| {
        let m = g.marginal_vector(order).unwrap();
        for (s, v) in sum.iter_mut().zip(m.values()) {
            *s += v;
        }
        count += 1;
    };
    // Heap's algorithm, iterative.
    let mut c = vec![0usize; n];
    add(&order);
    let mut i = 0;
    while i < n {
        if c[i] < i {
            if i % 2 == 0 {
                order.swap(0, i);
            } else {
                order.swap(c[i], i);
            }
            add(&order);
            c[i] += 1;
            i = 0;
        } else {
            c[i] = 0;
            i += 1;
        }
    }
    sum.iter().map(|s| s / count as f64).collect()
}

/// The raw Banzhaf value by its definition: average marginal contribution over 2^(n-1) sets.
pub fn banzhaf_by_definition(g: &Game) -> Vec<f64> {
    let n = g.n();
    (0..n)
        .map(|i| {
            let mut total = 0.0;
            for mask in 0..(1u64 << n) {
                let s = Coalition::from_mask(mask);
                if !s.contains(i) {
                    total += g.value(s.with(i)) - g.value(s);
                }
            }
            total / (1u64 << (n - 1)) as f64
        })
        .collect()
}

/// The glove game: player 0 holds a left glove, players 1 and 2 a right glove; a pair is worth 1.
pub fn glove_game() -> Game {
    Game::from_fn(vec!["L".into(), "R1".into(), "R2".into()], |s| {
        if s.contains(0) && (s.contains(1) || s.contains(2)) {
            1.0
        } else {
            0.0
        }
    })
    .unwrap()
}

/// The bankruptcy (claims) game v(S) = max(0, E - claims outside S) (O'Neill 1982).
pub fn bankruptcy(estate: f64, claims: &[f64]) -> Game {
    let total: f64 = claims.iter().sum();
    Game::from_fn(names(claims.len()), |s| {
        let inside: f64 = s.members().map(|i| claims[i]).sum();
        (estate - (total - inside)).max(0.0)
    })
    .unwrap()
}
