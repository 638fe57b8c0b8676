//! Structural properties of a game: superadditive, convex, monotone, essential.
//!
//! For value games these are the textbook definitions (Peleg and Sudhölter, *Introduction to
//! the Theory of Cooperative Games*, 2nd ed., 2007, ch. 1). For cost games each property is the
//! one that makes cooperation pay in cost terms: subadditive, concave (submodular), and
//! `c(N) < sum c({i})`; monotone keeps its meaning (a larger coalition never costs less).
//!
//! Comparisons allow the game's [`Game::tolerance`]: `1e-9` of the zero-normalised game's
//! spread (what cooperation adds, not the standalone amounts) plus the rounding of the inputs,
//! so that games built with floating-point arithmetic (e.g. an additive game) are not misjudged
//! by rounding, and the same game in other units or shifted by standalone amounts gets the same
//! answers.
//!
//! The checks stop with [`Error::Interrupted`] when cancelled (see [`crate::cancel`]), every
//! 2^18 comparisons or so; [`Game::is_convex`] and [`Game::is_monotone`], which cannot report
//! it, ignore cancellation, and [`Game::try_is_convex`] and [`Game::try_is_monotone`] observe it.

use std::convert::Infallible;

use crate::cancel::{self, Meter};
use crate::coalition::Coalition;
use crate::error::{Error, Result};
use crate::game::{Game, Kind};
use crate::progress::Task;

/// Coalitions between two cancellation checks in the convexity and monotonicity loops
/// (each costs up to `n^2 / 2`, respectively `n`, comparisons).
const CONVEX_STRIDE: usize = 1 << 10;
const MONOTONE_STRIDE: usize = 1 << 14;

/// The check of the property loops that cannot report cancellation: none.
fn unchecked() -> std::result::Result<(), Infallible> {
    Ok(())
}

/// Largest n for which [`Game::is_superadditive`] runs (its cost is 3^n).
pub const MAX_SUPERADDITIVE_PLAYERS: usize = 20;

impl Game {
    /// +1 for value games, -1 for cost games: `sign * v` is the value game whose
    /// superadditivity / convexity / essentiality is meant.
    pub(crate) fn benefit_sign(&self) -> f64 {
        match self.kind() {
            Kind::Value => 1.0,
            Kind::Cost => -1.0,
        }
    }

    /// Superadditive: `v(S ∪ T) >= v(S) + v(T)` for all disjoint `S, T`
    /// (cost games: subadditive, `c(S ∪ T) <= c(S) + c(T)`).
    ///
    /// Cost: O(3^n) comparisons, stopping at the first violation; refused with
    /// [`Error::Undefined`] above [`MAX_SUPERADDITIVE_PLAYERS`] players.
    pub fn is_superadditive(&self) -> Result<bool> {
        let n = self.n();
        if n > MAX_SUPERADDITIVE_PLAYERS {
            return Err(Error::Undefined {
                concept: "the superadditivity check",
                reason: format!(
                    "it compares all 3^n pairs of disjoint coalitions and is limited to n <= {MAX_SUPERADDITIVE_PLAYERS} (n = {n})"
                ),
            });
        }
        let sign = self.benefit_sign();
        // Compared after an exact power-of-two rescaling, so that sums of values near the
        // largest float cannot overflow (f = 1 for every ordinary game).
        let (f, tol) = self.scaled_tolerance();
        let v = self.values();
        let grand = self.grand();
        let mut meter = Meter::new(1 << 18);
        for s in 1..v.len() {
            // 2^(n - |S|) subsets of the others.
            meter.tick(1 << (n - s.count_ones() as usize))?;
            let rest = Coalition::from_mask(grand.mask() & !(s as u64));
            // Each unordered pair once: T's masks above S's mask.
            for t in rest.subsets().filter(|t| t.index() > s) {
                let u = s | t.index();
                if sign * (f * v[u]) < sign * ((f * v[s]) + (f * v[t.index()])) - tol {
                    return Ok(false);
                }
            }
        }
        Ok(true)
    }

    /// Convex (supermodular): `v(S ∪ {i}) - v(S) <= v(S ∪ {i, j}) - v(S ∪ {j})` for all `S` and
    /// `i != j` outside `S`, which is equivalent to `v(S ∪ T) + v(S ∩ T) >= v(S) + v(T)`
    /// (Shapley 1971, "Cores of convex games"). Cost games: concave (submodular).
    ///
    /// Cost: O(n^2 2^n), stopping at the first violation. Ignores cancellation; see
    /// [`Game::try_is_convex`].
    pub fn is_convex(&self) -> bool {
        let Ok(convex) = self.convexity(unchecked);
        convex
    }

    /// [`Game::is_convex`], stopping with [`Error::Interrupted`] when cancelled (see
    /// [`crate::cancel`]).
    pub fn try_is_convex(&self) -> Result<bool> {
        self.convexity(cancel::check)
    }

    /// The convexity loop, calling `check` every [`CONVEX_STRIDE`] coalitions.
    fn convexity<E>(
        &self,
        mut check: impl FnMut() -> std::result::Result<(), E>,
    ) -> std::result::Result<bool, E> {
        let n = self.n();
        let sign = self.benefit_sign();
        // Compared after an exact power-of-two rescaling, so that sums of values near the
        // largest float cannot overflow (f = 1 for every ordinary game).
        let (f, tol) = self.scaled_tolerance();
        let v = self.values();
        // Progress: coalitions checked, out of 2^n (a violation ends the work early).
        let task = Task::begin(Some(v.len() as u64));
        for s in 0..v.len() {
            if s.is_multiple_of(CONVEX_STRIDE) {
                task.reach(s as u64);
                check()?;
            }
            for i in (0..n).filter(|&i| s & (1 << i) == 0) {
                let si = s | (1 << i);
                let gain_i = sign * ((f * v[si]) - (f * v[s]));
                for j in (i + 1..n).filter(|&j| s & (1 << j) == 0) {
                    let sj = s | (1 << j);
                    let gain_i_after_j = sign * ((f * v[si | (1 << j)]) - (f * v[sj]));
                    if gain_i > gain_i_after_j + tol {
                        task.finish();
                        return Ok(false);
                    }
                }
            }
        }
        task.finish();
        Ok(true)
    }

    /// Monotone: `v(S) <= v(T)` whenever `S ⊆ T`; checked on one-player extensions.
    /// For cost games the same inequality on costs (a larger group never costs less).
    ///
    /// Cost: O(n 2^n). Ignores cancellation; see [`Game::try_is_monotone`].
    pub fn is_monotone(&self) -> bool {
        let Ok(monotone) = self.monotonicity(unchecked);
        monotone
    }

    /// [`Game::is_monotone`], stopping with [`Error::Interrupted`] when cancelled (see
    /// [`crate::cancel`]).
    pub fn try_is_monotone(&self) -> Result<bool> {
        self.monotonicity(cancel::check)
    }

    /// The monotonicity loop, calling `check` every [`MONOTONE_STRIDE`] coalitions.
    fn monotonicity<E>(
        &self,
        mut check: impl FnMut() -> std::result::Result<(), E>,
    ) -> std::result::Result<bool, E> {
        // Compared after an exact power-of-two rescaling, so that sums of values near the
        // largest float cannot overflow (f = 1 for every ordinary game).
        let (f, tol) = self.scaled_tolerance();
        let v = self.values();
        // Progress: coalitions checked, out of 2^n (a violation ends the work early).
        let task = Task::begin(Some(v.len() as u64));
        for s in 0..v.len() {
            if s.is_multiple_of(MONOTONE_STRIDE) {
                task.reach(s as u64);
                check()?;
            }
            let up = (0..self.n())
                .filter(|&i| s & (1 << i) == 0)
                .all(|i| (f * v[s]) <= (f * v[s | (1 << i)]) + tol);
            if !up {
                task.finish();
                return Ok(false);
            }
        }
        task.finish();
        Ok(true)
    }

    /// Essential: `v(N) > sum_i v({i})`, so that cooperation creates a surplus
    /// (cost games: `c(N) < sum_i c({i})`). Cost: O(n).
    pub fn is_essential(&self) -> bool {
        // w(N) = sign (v(N) - sum v({i})), the surplus, computed without rounding it away.
        let (_, tol) = self.scaled_tolerance();
        self.shift().grand(self.grand_value()) > tol
    }
}

#[cfg(test)]
mod tests {
    use crate::game::{Game, Kind};

    fn game(values: Vec<f64>) -> Game {
        Game::from_values(values).unwrap()
    }

    #[test]
    fn three_player_majority_game() {
        // v(S) = 1 if |S| >= 2: superadditive, monotone, essential, not convex.
        let g = Game::from_fn(vec!["A".into(), "B".into(), "C".into()], |s| {
            if s.len() >= 2 {
                1.0
            } else {
                0.0
            }
        })
        .unwrap();
        assert!(g.is_superadditive().unwrap());
        assert!(g.is_monotone());
        assert!(g.is_essential());
        assert!(!g.is_convex());
    }

    #[test]
    fn square_game_is_convex() {
        let g = Game::from_fn((0..5).map(|i| i.to_string()).collect(), |s| {
            (s.len() as f64).powi(2)
        })
        .unwrap();
        assert!(g.is_convex() && g.is_superadditive().unwrap() && g.is_monotone());
    }

    #[test]
    fn subadditive_cost_game() {
        // Airport-like costs: c(S) = max cost of members: concave and subadditive.
        let costs = [1.0, 2.0, 3.0];
        let g = Game::try_from_fn(vec!["a".into(), "b".into(), "c".into()], Kind::Cost, |s| {
            Ok::<_, crate::Error>(s.members().map(|i| costs[i]).fold(0.0, f64::max))
        })
        .unwrap();
        assert!(g.is_superadditive().unwrap());
        assert!(g.is_convex());
        assert!(g.is_essential());
        assert!(g.is_monotone());
        // Read as a value game, the same numbers are not superadditive.
        let v = g.into_kind(Kind::Value);
        assert!(!v.is_superadditive().unwrap());
    }

    #[test]
    fn violations_are_found() {
        // v(AB) < v(A) + v(B).
        let g = game(vec![0.0, 2.0, 2.0, 3.0]);
        assert!(!g.is_superadditive().unwrap());
        assert!(!g.is_convex());
        assert!(g.is_monotone());
        assert!(!g.is_essential());
        let g = game(vec![0.0, 2.0, 2.0, 1.0]);
        assert!(!g.is_monotone());
    }

    #[test]
    fn additive_game_with_rounding_is_superadditive_and_convex() {
        let w = [0.1, 0.2, 0.7, 1e-3];
        let g = Game::from_fn((0..4).map(|i| i.to_string()).collect(), |s| {
            s.members().map(|i| w[i]).sum()
        })
        .unwrap();
        assert!(g.is_superadditive().unwrap() && g.is_convex() && !g.is_essential());
    }
}
