//! Weighted majority games and their power indices by exact counting.
//!
//! A weighted majority game `[q; w_1, ..., w_n]` has `v(S) = 1` if `w(S) >= q` and 0 otherwise.
//! Player `i` *swings* for `S ⊆ N \ i` when `q - w_i <= w(S) < q`. With `C_i(s, w)` the number
//! of coalitions of `N \ i` with `s` members and weight `w`:
//!
//! - Shapley–Shubik index (L. S. Shapley and M. Shubik, "A method for evaluating the
//!   distribution of power in a committee system", *APSR* 48, 1954):
//!   `phi_i = sum_s [s! (n-1-s)! / n!] sum_{w = q - w_i}^{q-1} C_i(s, w)`
//!   `      = (1/n) sum_s swings_i(s) / binom(n-1, s)`;
//! - Banzhaf index (J. F. Banzhaf, "Weighted voting doesn't work", *Rutgers Law Review* 19,
//!   1965): `beta_i = sum_s swings_i(s) / 2^(n-1)` (raw), or normalised to sum 1.
//!
//! **Method** (pseudo-polynomial dynamic programming, as in S. Matsui and T. Matsui, "A survey
//! of algorithms for calculating power indices of weighted majority games", *J. Oper. Res.
//! Soc. Japan* 43, 2000): one pass over the players builds `C(s, w)` for all players and the
//! weights `w < q` (only those matter); `C_i` follows by removing player `i` from it,
//! `C_i(s, w) = C(s, w) - C_i(s - 1, w - w_i)`, so all `n` indices cost `O(n^2 q)` and never
//! touch `2^n` values. Counts are exact `u128` integers: every count is at most
//! `binom(n - 1, s) < 2^127` for `n <= 128`, the largest game accepted. The indices are then
//! ratios of exact integers, rounded once to `f64`.
//!
//! Johnston, Deegan–Packel, Holler and Coleman indices and the minimal winning coalitions:
//! [`WeightedVoting::power_indices`] and [`WeightedVoting::minimal_winning`], by the counting
//! described in `power.rs` (pseudo-polynomial, exact).
//!
//! The coalition of largest excess for a payoff vector (the
//! [`Separation`](crate::solution::separation::Separation) oracle behind the nucleolus and the
//! least core without `2^n` values): [`separation`], by dynamic programming over the total
//! weight, `O(n q)`, exact.

mod power;
pub mod separation;

use crate::classes::names_for;
use crate::coalition::Coalition;
use crate::cooperative::{check_mask, Cooperative};
use crate::error::{Error, Result};
use crate::game::Game;
use crate::solution::Allocation;
use crate::Kind;

/// Largest number of players whose coalition counts fit in `u128`.
pub const MAX_VOTING_PLAYERS: usize = 128;
/// Largest counting table (`(n + 1) * q` cells of 16 bytes) accepted: 1 GiB.
const MAX_TABLE_BYTES: u128 = 1 << 30;

/// A weighted majority game `[quota; weights]` with named players.
///
/// With serde it reads and writes as `{"players": [...], "quota": q, "weights": [...]}`
/// (`players` may be left out); reading applies the checks of [`WeightedVoting::new`].
#[derive(Clone, Debug, PartialEq, serde::Serialize, serde::Deserialize)]
#[serde(try_from = "RawWeightedVoting", into = "RawWeightedVoting")]
pub struct WeightedVoting {
    players: Vec<String>,
    weights: Vec<u64>,
    quota: u64,
}

/// A [`WeightedVoting`] game as written, and as read before validation.
#[derive(serde::Serialize, serde::Deserialize)]
#[serde(deny_unknown_fields)]
struct RawWeightedVoting {
    #[serde(default)]
    players: Option<Vec<String>>,
    quota: u64,
    weights: Vec<u64>,
}

impl TryFrom<RawWeightedVoting> for WeightedVoting {
    type Error = Error;
    fn try_from(raw: RawWeightedVoting) -> Result<WeightedVoting> {
        WeightedVoting::new(raw.quota, raw.weights, raw.players)
    }
}

impl From<WeightedVoting> for RawWeightedVoting {
    fn from(w: WeightedVoting) -> RawWeightedVoting {
        RawWeightedVoting {
            players: Some(w.players),
            quota: w.quota,
            weights: w.weights,
        }
    }
}

impl WeightedVoting {
    /// The game `[quota; weights]`. Weights are whole numbers (counting is exact); the quota
    /// must satisfy `1 <= quota <= sum of weights`, and there are at most 128 players.
    ///
    /// # Example
    /// The UN Security Council from 1965: five permanent members with weight 7, ten others with
    /// weight 1, quota 39 (nine votes including all five permanent ones). Shapley–Shubik index:
    /// 421/2145 for a permanent member, 4/2145 for the others.
    /// ```
    /// use coalitional::classes::voting::WeightedVoting;
    /// let mut w = vec![7; 5];
    /// w.extend(vec![1; 10]);
    /// let unsc = WeightedVoting::new(39, w, None).unwrap();
    /// let phi = unsc.shapley();
    /// assert!((phi[0] - 421.0 / 2145.0).abs() < 1e-15);
    /// assert!((phi[14] - 4.0 / 2145.0).abs() < 1e-15);
    /// ```
    pub fn new(quota: u64, weights: Vec<u64>, players: Option<Vec<String>>) -> Result<Self> {
        let n = weights.len();
        if n == 0 {
            return Err(Error::NoPlayers);
        }
        if n > MAX_VOTING_PLAYERS {
            return Err(Error::InvalidParameter {
                name: "weights",
                reason: format!(
                    "{n} players; exact counting (u128) supports at most {MAX_VOTING_PLAYERS}"
                ),
            });
        }
        let players = names_for(n, players)?;
        let total: u128 = weights.iter().map(|&w| u128::from(w)).sum();
        if quota == 0 || u128::from(quota) > total {
            return Err(Error::InvalidParameter {
                name: "quota",
                reason: format!(
                    "{quota} is outside 1..={total} (the total weight): with it {}",
                    if quota == 0 {
                        "even the empty coalition would win"
                    } else {
                        "no coalition could win"
                    }
                ),
            });
        }
        let table = (n as u128 + 1) * u128::from(quota) * 16;
        if table > MAX_TABLE_BYTES {
            return Err(Error::InvalidParameter {
                name: "quota",
                reason: format!(
                    "the counting table needs {} cells ((n + 1) x quota), above the 1 GiB limit; \
                     divide the weights and the quota by a common factor",
                    (n as u128 + 1) * u128::from(quota)
                ),
            });
        }
        Ok(WeightedVoting {
            players,
            weights,
            quota,
        })
    }

    /// [`WeightedVoting::new`] from `f64` weights and quota, which must be whole numbers
    /// (as they arrive from Python or JSON).
    pub fn from_f64(quota: f64, weights: &[f64], players: Option<Vec<String>>) -> Result<Self> {
        let whole = |name: &'static str, x: f64| -> Result<u64> {
            if x.is_finite() && x >= 0.0 && x.fract() == 0.0 && x <= 9.007_199_254_740_992e15 {
                Ok(x as u64)
            } else {
                Err(Error::InvalidParameter {
                    name,
                    reason: format!(
                        "{x} is not a whole number >= 0; exact counting needs integer weights \
                         and quota (scale and round real weights first)"
                    ),
                })
            }
        };
        let w = weights
            .iter()
            .map(|&x| whole("weights", x))
            .collect::<Result<Vec<u64>>>()?;
        WeightedVoting::new(whole("quota", quota)?, w, players)
    }

    /// Number of players.
    pub fn n(&self) -> usize {
        self.weights.len()
    }

    /// Player names.
    pub fn players(&self) -> &[String] {
        &self.players
    }

    /// The weights.
    pub fn weights(&self) -> &[u64] {
        &self.weights
    }

    /// The quota.
    pub fn quota(&self) -> u64 {
        self.quota
    }

    /// Whether the coalition wins (its members are players of the game).
    pub fn wins(&self, s: Coalition) -> bool {
        let w: u128 = s.members().map(|i| u128::from(self.weights[i])).sum();
        w >= u128::from(self.quota)
    }

    /// The worth of a coalition: 1 if it wins, else 0.
    pub fn value(&self, s: Coalition) -> f64 {
        f64::from(u8::from(self.wins(s)))
    }

    /// `C(s, w)` for all players and `w < q`, as `table[s * q + w]`.
    fn counts(&self) -> Vec<u128> {
        let (n, q) = (self.n(), self.quota as usize);
        let mut c = vec![0u128; (n + 1) * q];
        c[0] = 1;
        for (k, &wi) in self.weights.iter().enumerate() {
            let wi = wi as usize;
            // Sizes from high to low so that each player is used once.
            for s in (1..=k + 1).rev() {
                for w in (wi..q).rev() {
                    c[s * q + w] += c[(s - 1) * q + w - wi];
                }
            }
        }
        c
    }

    /// `swings_i(s)` for every player: the coalitions of `N \ i` with `s` members for which
    /// `i` is decisive, exact.
    pub fn swings_by_size(&self) -> Vec<Vec<u128>> {
        let (n, q) = (self.n(), self.quota as usize);
        let all = self.counts();
        let mut without = vec![0u128; n * q];
        (0..n)
            .map(|i| {
                let wi = self.weights[i] as usize;
                // C_i(s, w) = C(s, w) - C_i(s - 1, w - w_i), sizes s = 0..n-1.
                for s in 0..n {
                    for w in 0..q {
                        let mut c = all[s * q + w];
                        if s > 0 && w >= wi {
                            c -= without[(s - 1) * q + w - wi];
                        }
                        without[s * q + w] = c;
                    }
                }
                let low = q.saturating_sub(wi);
                (0..n)
                    .map(|s| without[s * q + low..(s + 1) * q].iter().sum())
                    .collect()
            })
            .collect()
    }

    /// The Shapley–Shubik index (the Shapley value of the game), `O(n^2 q)`; see the module
    /// docs for the formula.
    pub fn shapley(&self) -> Allocation {
        let n = self.n();
        let binom = binomials(n - 1);
        let phi = self
            .swings_by_size()
            .into_iter()
            .map(|sw| {
                sw.iter()
                    .zip(&binom)
                    .map(|(&c, &b)| c as f64 / b as f64)
                    .sum::<f64>()
                    / n as f64
            })
            .collect();
        Allocation::from_parts(&self.players, phi, Kind::Value)
    }

    /// The number of swings of each player (coalitions of the others it turns from losing into
    /// winning), exact; `O(n q)` by counting coalitions by weight only.
    pub fn swings(&self) -> Vec<u128> {
        let q = self.quota as usize;
        let mut all = vec![0u128; q];
        all[0] = 1;
        for &wi in &self.weights {
            let wi = wi as usize;
            for w in (wi..q).rev() {
                all[w] += all[w - wi];
            }
        }
        let mut without = vec![0u128; q];
        self.weights
            .iter()
            .map(|&wi| {
                let wi = wi as usize;
                if wi == 0 {
                    // A player of weight 0 never swings (and doubles every count).
                    return 0;
                }
                for w in 0..q {
                    without[w] = all[w] - if w >= wi { without[w - wi] } else { 0 };
                }
                without[q - wi.min(q)..].iter().sum()
            })
            .collect()
    }

    /// The raw Banzhaf index `swings_i / 2^(n-1)`, `O(n q)`.
    pub fn banzhaf(&self) -> Allocation {
        let scale = 0.5f64.powi(self.n() as i32 - 1);
        let beta = self
            .swings()
            .into_iter()
            .map(|c| c as f64 * scale)
            .collect();
        Allocation::from_parts(&self.players, beta, Kind::Value)
    }

    /// The normalised Banzhaf index `swings_i / sum_j swings_j` (exact counts, one rounding).
    pub fn banzhaf_normalized(&self) -> Allocation {
        let sw = self.swings();
        let total: u128 = sw.iter().sum();
        let beta = sw
            .into_iter()
            .map(|c| {
                if total == 0 {
                    0.0
                } else {
                    c as f64 / total as f64
                }
            })
            .collect();
        Allocation::from_parts(&self.players, beta, Kind::Value)
    }

    /// The dense game (`2^n` values; memory checked first).
    pub fn to_game(&self) -> Result<Game> {
        Game::from_fn(self.players.clone(), |s| self.value(s))
    }
}

/// Worths from the weights (`O(n)` per coalition), without the dense game.
impl Cooperative for WeightedVoting {
    fn players(&self) -> &[String] {
        &self.players
    }
    fn kind(&self) -> Kind {
        Kind::Value
    }
    fn worth(&mut self, mask: u64) -> Result<f64> {
        check_mask(self.n(), mask)?;
        Ok(self.value(Coalition::from_mask(mask)))
    }
    fn dense(&mut self) -> Result<Game> {
        self.to_game()
    }
}

/// `binom(m, s)` for `s = 0..=m`, exact in `u128` for `m < 128`.
/// Pascal's rule, so that no intermediate exceeds the result.
fn binomials(m: usize) -> Vec<u128> {
    let mut row = vec![1u128];
    for _ in 0..m {
        let mut next = vec![1u128; row.len() + 1];
        for s in 1..row.len() {
            next[s] = row[s - 1] + row[s];
        }
        row = next;
    }
    row
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn binomials_are_exact() {
        assert_eq!(binomials(4), vec![1, 4, 6, 4, 1]);
        let b = binomials(127);
        assert_eq!(b[1], 127);
        assert_eq!(b[63], b[64]);
        // binom(127, 63) = 2^127 / sqrt(pi 63.5) approx: just check it is below 2^127.
        assert!(b[63] < 1u128 << 127 && b[63] > 1u128 << 120);
    }
}
