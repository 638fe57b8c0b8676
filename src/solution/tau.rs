//! The tau value (Tijs 1981).
//!
//! S. H. Tijs, "Bounds for the core and the tau-value", in *Game Theory and Mathematical
//! Economics* (Moeschlin and Pallaschke, eds.), North-Holland, 1981, 123–132.
//!
//! - utopia payoff: `M_i = v(N) - v(N \ {i})`, the most `i` can ask before the others leave;
//! - minimal right: `m_i = max_{S ∋ i} (v(S) - sum_{j ∈ S \ {i}} M_j)`, what `i` can secure by
//!   paying every partner its utopia payoff;
//! - the game is **quasi-balanced** when `m <= M` and `sum m <= v(N) <= sum M`;
//! - then `tau = m + lambda (M - m)`, with `lambda in [0, 1]` chosen so that `sum tau = v(N)`
//!   (`tau = M` when `sum M = sum m`).
//!
//! For a cost game `c` the tau value is `-tau(-c)`, which equals the cost shares
//! `c({i}) - tau_i(s)` obtained from the savings game `s` (Tijs and Driessen 1986), since the
//! tau value is covariant under adding an additive game.
//!
//! Cost: O(n 2^n / 256 + 2^n): the minimal rights need one streaming pass over the values.

use crate::error::{Error, Result};
use crate::game::Game;
use crate::solution::kernel::{check_at, members, BlockSums};
use crate::solution::normal::{Normal, Worths};
use crate::solution::Allocation;

/// `max_{S ∋ i} (w(S) - M(S))` for every `i`, in one pass over the worths (which stops
/// with [`Error::Interrupted`] when cancelled, see `crate::cancel`).
fn max_over_coalitions_containing(w: Worths<'_>, m: &[f64]) -> Result<Vec<f64>> {
    let n = m.len();
    let sums = BlockSums::new(m);
    let k = sums.k;
    let mut acc = vec![f64::NEG_INFINITY; sums.block()];
    let mut high_max = vec![f64::NEG_INFINITY; n - k];
    let mut buf = vec![0.0f64; sums.block()];
    for blk in 0..w.len() / sums.block() {
        check_at(blk)?;
        let chunk = w.block(blk, &mut buf);
        let high = sums.high(blk);
        let mut block_max = f64::NEG_INFINITY;
        for ((a, &v), &l) in acc.iter_mut().zip(chunk).zip(&sums.low) {
            let r = v - l - high;
            *a = a.max(r);
            block_max = block_max.max(r);
        }
        // The empty set (r = 0 at position 0 of block 0) has no member, so credits no one.
        for t in members(blk) {
            high_max[t] = high_max[t].max(block_max);
        }
    }
    let mut out = vec![f64::NEG_INFINITY; n];
    for (j, &a) in acc.iter().enumerate() {
        for i in members(j) {
            out[i] = out[i].max(a);
        }
    }
    out[k..].copy_from_slice(&high_max);
    Ok(out)
}

/// The utopia payoffs and the minimal rights of the zero-normalised game `nm`.
fn utopia_and_minimal(nm: &Normal<'_>) -> Result<(Vec<f64>, Vec<f64>)> {
    let w = nm.w();
    let (vn, grand) = (w.grand_value(), w.grand());
    let utopia: Vec<f64> = (0..w.n()).map(|i| vn - w.value(grand.without(i))).collect();
    let best = max_over_coalitions_containing(w, &utopia)?;
    let minimal = (0..w.n()).map(|i| utopia[i] + best[i]).collect();
    Ok((utopia, minimal))
}

impl Game {
    /// The minimal rights (Tijs 1981): `m_i = max_{S ∋ i} (v(S) - sum_{j ∈ S, j != i} M_j)`
    /// with the utopia payoffs `M_j = v(N) - v(N \ {j})`, what `i` can secure by paying every
    /// partner in some coalition its utopia payoff. For a cost game `c`, `-m(-c)`:
    /// `min_{S ∋ i} (c(S) - sum_{j ∈ S, j != i} SC_j)` with `SC_j = c(N) - c(N \ {j})`.
    ///
    /// Computed on the zero-normalised game and mapped back (covariant under `c v + a`).
    /// Cost: one streaming pass, O(n 2^n / 256 + 2^n); cancellable ([`Error::Interrupted`]).
    ///
    /// # Example
    /// ```
    /// use coalitional::Game;
    /// // M = (6 - 2, 6 - 1) = (4, 5); m_0 = max(v({0}), v(N) - M_1) = max(1, 1) = 1.
    /// let g = Game::from_values(vec![0.0, 1.0, 2.0, 6.0]).unwrap();
    /// assert_eq!(g.minimal_rights().unwrap().values(), &[1.0, 2.0]);
    /// ```
    pub fn minimal_rights(&self) -> Result<Allocation> {
        let nm = self.normal()?;
        let (_, minimal) = utopia_and_minimal(&nm)?;
        Ok(nm.allocation(&minimal))
    }

    /// The tau value (Tijs 1981): the efficient compromise between the utopia payoffs `M` and
    /// the minimal rights `m`, defined for quasi-balanced games.
    ///
    /// `tau = m + lambda (M - m)` with `sum tau = v(N)`, where `M_i = v(N) - v(N \ {i})` and
    /// `m_i = max_{S ∋ i} (v(S) - sum_{j ∈ S, j != i} M_j)`. Fails with [`Error::Undefined`],
    /// naming the condition that fails, when the game is not quasi-balanced
    /// (`m <= M`, `sum m <= v(N) <= sum M`, within [`Game::tolerance`]; computed on the zero-normalised game and
    /// mapped back, so that `c v + a` has the tau value `c tau(v) + a`).
    ///
    /// # Example
    /// A bankruptcy game (estate 200, claims 100, 200, 300): the tau value is the adjusted
    /// proportional rule, here proportional to the claims truncated at the estate,
    /// `200 (100, 200, 200) / 500 = (40, 80, 80)`.
    /// ```
    /// use coalitional::Game;
    /// let claims = [100.0, 200.0, 300.0];
    /// let g = Game::from_fn(vec!["a".into(), "b".into(), "c".into()], |s| {
    ///     let outside: f64 = (0..3).filter(|&i| !s.contains(i)).map(|i| claims[i]).sum();
    ///     (200.0 - outside).max(0.0)
    /// }).unwrap();
    /// let tau = g.tau_value().unwrap();
    /// assert!((tau["a"] - 40.0).abs() < 1e-9 && (tau["c"] - 80.0).abs() < 1e-9);
    /// ```
    pub fn tau_value(&self) -> Result<Allocation> {
        // On the zero-normalised game w (so that c v + a has tau c tau(v) + a), mapped back.
        let nm = self.normal()?;
        let n = self.n();
        let vn = nm.w().grand_value();
        let (utopia, minimal) = utopia_and_minimal(&nm)?;
        let tol = nm.decision_tol();
        let undefined = |reason: String| Error::Undefined {
            concept: "the tau value",
            reason: format!("the game is not quasi-balanced: {reason}"),
        };
        let (up, down) = (nm.lift(&utopia), nm.lift(&minimal));
        for i in 0..n {
            if minimal[i] > utopia[i] + tol {
                return Err(undefined(format!(
                    "player {}'s minimal right {} exceeds its utopia payoff {}",
                    self.players()[i],
                    down[i],
                    up[i]
                )));
            }
        }
        let (sum_m, sum_u): (f64, f64) = (minimal.iter().sum(), utopia.iter().sum());
        if sum_m > vn + tol {
            return Err(undefined(format!(
                "the minimal rights add up to {} > v(N) = {}",
                down.iter().sum::<f64>(),
                self.grand_value()
            )));
        }
        if vn > sum_u + tol {
            return Err(undefined(format!(
                "v(N) = {} exceeds the sum of utopia payoffs {}",
                self.grand_value(),
                up.iter().sum::<f64>()
            )));
        }
        // lambda from the solvers' tolerance only: a coarser cut would give up efficiency.
        let lambda = if sum_u - sum_m > nm.solver_tol() {
            ((vn - sum_m) / (sum_u - sum_m)).clamp(0.0, 1.0)
        } else {
            1.0
        };
        let tau: Vec<f64> = (0..n)
            .map(|i| minimal[i] + lambda * (utopia[i] - minimal[i]))
            .collect();
        Ok(nm.allocation(&tau))
    }

    /// The utopia payoffs `M_i = v(N) - v(N \ {i})` (cost games: `c(N) - c(N \ {i})`, the
    /// separable costs): the most `i` can ask before the others are better off without it
    /// (Tijs 1981). Cost: O(n).
    ///
    /// # Example
    /// ```
    /// use coalitional::Game;
    /// let g = Game::from_values(vec![0.0, 1.0, 2.0, 6.0]).unwrap();
    /// assert_eq!(g.utopia_payoffs().values(), &[4.0, 5.0]);
    /// ```
    pub fn utopia_payoffs(&self) -> Allocation {
        let grand = self.grand();
        let m = (0..self.n())
            .map(|i| self.grand_value() - self.value(grand.without(i)))
            .collect();
        Allocation::from_parts(self.players(), m, self.kind())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::coalition::Coalition;

    #[test]
    fn minimal_rights_match_the_definition() {
        let mut state = 7u64;
        for n in 1..=10 {
            let values: Vec<f64> = (0..1usize << n)
                .map(|s| {
                    state = state.wrapping_mul(6364136223846793005).wrapping_add(1);
                    if s == 0 {
                        0.0
                    } else {
                        ((state >> 40) % 100) as f64
                    }
                })
                .collect();
            let m: Vec<f64> = (0..n).map(|i| i as f64 * 1.5 - 2.0).collect();
            let shift = crate::solution::normal::Shift::new(1.0, 1.0, vec![0.0; n]);
            let got = max_over_coalitions_containing(Worths::new(&values, &shift), &m).unwrap();
            for (i, &g) in got.iter().enumerate() {
                let want = (1..values.len())
                    .filter(|s| s >> i & 1 == 1)
                    .map(|s| {
                        let c = Coalition::from_mask(s as u64);
                        values[s] - c.members().map(|j| m[j]).sum::<f64>()
                    })
                    .fold(f64::NEG_INFINITY, f64::max);
                assert_eq!(g, want, "n={n} i={i}");
            }
        }
    }
}
