//! The Banzhaf value, raw and normalised.
//!
//! **Raw Banzhaf value** (J. F. Banzhaf III, "Weighted voting doesn't work: a mathematical
//! analysis", *Rutgers Law Review* 19, 1965; for TU games Owen 1975, Dubey and Shapley 1979):
//! each player's marginal contribution averaged over all `2^(n-1)` coalitions of the others,
//!
//! `beta_i(v) = 2^-(n-1) sum_{S ⊆ N \ {i}} (v(S ∪ {i}) - v(S)) = 2^-(n-1) (2 sum_{S ∋ i} v(S) - sum_S v(S))`.
//!
//! For a simple (voting) game this is the probability that `i` is a swing. It is symmetric,
//! additive and gives null players nothing, but is not efficient in general.
//!
//! **Normalised Banzhaf value**: the raw value rescaled to sum to `v(N)`,
//! `beta_i * v(N) / sum_j beta_j`; for a voting game (`v(N) = 1`) this is the normalised
//! Banzhaf power index. Undefined when `sum_j beta_j = 0`.

use crate::error::{Error, Result};
use crate::game::Game;
use crate::progress::Task;
use crate::solution::kernel::{check_at, never, weighted_bit_sums};
use crate::solution::normal::Worths;
use crate::solution::{finite, Allocation};

impl Game {
    /// The raw Banzhaf value: the average marginal contribution over the `2^(n-1)` coalitions
    /// of the other players.
    ///
    /// Cost: one sequential pass over the `2^n` values, O(2^n) time, O(n) extra memory.
    ///
    /// # Example
    /// In the 3-player majority game (a coalition of two or more wins) each player is a swing
    /// in 2 of the 4 coalitions of the others, so the raw Banzhaf value is 1/2 each.
    /// ```
    /// use coalitional::Game;
    /// let g = Game::from_fn(vec!["A".into(), "B".into(), "C".into()], |s| {
    ///     if s.len() >= 2 { 1.0 } else { 0.0 }
    /// }).unwrap();
    /// assert_eq!(g.banzhaf().values(), &[0.5, 0.5, 0.5]);
    /// assert!((g.banzhaf_normalized().unwrap()["A"] - 1.0 / 3.0).abs() < 1e-15);
    /// ```
    pub fn banzhaf(&self) -> Allocation {
        let Ok(beta) = self.banzhaf_with(never);
        beta
    }

    /// [`Game::banzhaf`], stopping with [`Error::Interrupted`] when cancelled (see
    /// [`crate::cancel`]); [`Game::banzhaf`] itself cannot report cancellation and ignores it.
    pub fn try_banzhaf(&self) -> Result<Allocation> {
        finite("the Banzhaf value", self.banzhaf_with(check_at)?)
    }

    /// The raw Banzhaf value with the kernel's block check `check`.
    fn banzhaf_with<E: Send>(
        &self,
        check: impl Fn(usize) -> std::result::Result<(), E> + Sync,
    ) -> std::result::Result<Allocation, E> {
        let n = self.n();
        let scale = 0.5f64.powi(n as i32 - 1);
        let alpha = vec![2.0 * scale; n + 1];
        // T = 2 scale sum_S v(S), and the subtracted term is scale sum_S v(S) = T / 2.
        // On the zero-normalised game, mapped back (the raw Banzhaf value is covariant).
        let shift = self.shift();
        // Progress: the values read, out of 2^n (see crate::progress).
        let task = Task::begin(Some(1u64 << n));
        let (a, t) = weighted_bit_sums(Worths::new(self.values(), &shift), &alpha, check, &task)?;
        task.finish();
        let raw: Vec<f64> = a.into_iter().map(|ai| ai - t / 2.0).collect();
        Ok(Allocation::from_parts(
            self.players(),
            shift.lift(&raw),
            self.kind(),
        ))
    }

    /// The Banzhaf value rescaled so that it sums to `v(N)` (the normalised Banzhaf index
    /// when `v(N) = 1`). Fails with [`Error::Undefined`] when the raw values sum to zero, and
    /// with [`Error::Interrupted`] when cancelled (see [`crate::cancel`]).
    pub fn banzhaf_normalized(&self) -> Result<Allocation> {
        let raw = self.try_banzhaf()?;
        let total = raw.total();
        let tol = 1e-12
            * raw
                .values()
                .iter()
                .fold(f64::MIN_POSITIVE, |m, v| m.max(v.abs()));
        if total.abs() <= tol {
            return Err(Error::Undefined {
                concept: "the normalised Banzhaf value",
                reason: "the raw Banzhaf values sum to zero, so they cannot be rescaled to v(N)"
                    .to_string(),
            });
        }
        let factor = self.grand_value() / total;
        let values = raw.values().iter().map(|b| b * factor).collect();
        Ok(Allocation::from_parts(self.players(), values, self.kind()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn zero_game_has_no_normalised_banzhaf() {
        let g = Game::from_values(vec![0.0; 8]).unwrap();
        assert!(matches!(
            g.banzhaf_normalized(),
            Err(Error::Undefined { .. })
        ));
        assert_eq!(g.banzhaf().values(), &[0.0, 0.0, 0.0]);
    }
}
