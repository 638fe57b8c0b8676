//! The Shapley value and marginal vectors.
//!
//! **Shapley value** (L. S. Shapley, "A value for n-person games", *Contributions to the Theory
//! of Games II*, 1953): each player's marginal contribution averaged over all `n!` orders in
//! which the players can join,
//!
//! `phi_i(v) = sum_{S ⊆ N \ {i}} |S|! (n - |S| - 1)! / n! * (v(S ∪ {i}) - v(S))`.
//!
//! It is the only value that is efficient, symmetric, additive and gives null players nothing.
//! Regrouping the sum by coalition gives the form computed here,
//!
//! `phi_i = sum_{S ∋ i} w_in(|S|) v(S) - sum_{S ∌ i} w_out(|S|) v(S)` with
//! `w_in(s) = (s-1)!(n-s)!/n! = 1 / (n C(n-1, s-1))` and `w_out(s) = s!(n-s-1)!/n! = 1 / (n C(n-1, s))`,
//!
//! evaluated by one streaming pass over the `2^n` values in O(2^n) time and O(n) extra memory
//! (see `kernel.rs`).
//!
//! **Marginal vector** of a joining order `pi`: `m_{pi(k)} = v({pi(1..k)}) - v({pi(1..k-1)})`,
//! what each player adds at the moment it joins. The Shapley value is their average over all
//! orders; comparing a given order's vector with the Shapley value shows how much early movers
//! (pioneers) gain or lose.

use crate::coalition::Coalition;
use crate::error::{Error, Result};
use crate::game::Game;
use crate::progress::Task;
use crate::solution::kernel::{check_at, never, weighted_bit_sums};
use crate::solution::normal::Worths;
use crate::solution::{finite, Allocation};

/// `C(m, k)` as `f64` (exact for the sizes used here, `m <= 63`).
pub(crate) fn binomial(m: usize, k: usize) -> f64 {
    if k > m {
        return 0.0;
    }
    let k = k.min(m - k);
    (0..k).fold(1.0, |c, j| c * (m - j) as f64 / (j + 1) as f64)
}

/// Shapley weights for the kernel: `alpha(s) = w_in(s) + w_out(s)`, and `beta(s) = w_out(s)`.
///
/// Since `w_out(s) / w_in(s) = s / (n - s)`, `alpha(s) = w_in(s) n / (n - s)` and
/// `beta(s) = alpha(s) s / n` for `1 <= s < n` (`beta(n) = 0`; `s = 0` has `v = 0`), so
/// `B = sum_S beta v = (sum_i A_i) / n - alpha(n) v(N)` with `alpha(n) = 1/n`:
/// the kernel need not carry a second sum.
fn shapley_weights(n: usize) -> (Vec<f64>, Vec<f64>) {
    let nf = n as f64;
    let w_in = |s: usize| {
        if s == 0 {
            0.0
        } else {
            1.0 / (nf * binomial(n - 1, s - 1))
        }
    };
    let w_out = |s: usize| {
        if s >= n {
            0.0
        } else {
            1.0 / (nf * binomial(n - 1, s))
        }
    };
    let beta: Vec<f64> = (0..=n).map(w_out).collect();
    let alpha = (0..=n).map(|s| w_in(s) + beta[s]).collect();
    (alpha, beta)
}

impl Game {
    /// The Shapley value (Shapley 1953): each player's average marginal contribution over all
    /// joining orders. For a cost game, the Shapley cost shares.
    ///
    /// `phi_i = sum_{S ⊆ N \ {i}} |S|! (n-|S|-1)! / n! (v(S ∪ {i}) - v(S))`.
    ///
    /// Cost: one sequential pass over the `2^n` values, O(2^n) time, O(n) extra memory.
    /// Exact up to floating-point summation.
    ///
    /// # Example
    /// The glove game: player 0 owns a left glove, players 1 and 2 a right glove each; a pair is
    /// worth 1. The published Shapley value is (2/3, 1/6, 1/6).
    /// ```
    /// use coalitional::Game;
    /// let g = Game::from_fn(vec!["L".into(), "R1".into(), "R2".into()], |s| {
    ///     if s.contains(0) && (s.contains(1) || s.contains(2)) { 1.0 } else { 0.0 }
    /// }).unwrap();
    /// let phi = g.shapley();
    /// assert!((phi["L"] - 2.0 / 3.0).abs() < 1e-12);
    /// assert!((phi["R1"] - 1.0 / 6.0).abs() < 1e-12);
    /// ```
    ///
    /// # See also
    /// [`Game::try_shapley`] (the same, cancellable), [`Game::marginal_vector`],
    /// [`Game::banzhaf`].
    pub fn shapley(&self) -> Allocation {
        let Ok(phi) = self.shapley_with(never);
        phi
    }

    /// [`Game::shapley`], stopping with [`Error::Interrupted`] when cancelled (see
    /// [`crate::cancel`]); [`Game::shapley`] itself cannot report cancellation and ignores it.
    pub fn try_shapley(&self) -> Result<Allocation> {
        finite("the Shapley value", self.shapley_with(check_at)?)
    }

    /// The Shapley value with the kernel's block check `check` (see `kernel::weighted_bit_sums`).
    fn shapley_with<E: Send>(
        &self,
        check: impl Fn(usize) -> std::result::Result<(), E> + Sync,
    ) -> std::result::Result<Allocation, E> {
        let n = self.n();
        let (alpha, _) = shapley_weights(n);
        // On the zero-normalised game w (normalised block by block as the kernel reads), then
        // mapped back: phi(v) = sign (b + phi(w)) exactly in real arithmetic (linearity), and
        // the small numbers of w keep the rounding at the scale of the surplus.
        let shift = self.shift();
        // Progress: the values read, out of 2^n (see crate::progress).
        let task = Task::begin(Some(1u64 << n));
        let (a, _) = weighted_bit_sums(Worths::new(self.values(), &shift), &alpha, check, &task)?;
        task.finish();
        // B = sum_{S != N} w_out(|S|) w(S) = (sum_i A_i) / n - w(N) / n (see shapley_weights).
        let wn = shift.grand(self.grand_value());
        let b = (a.iter().sum::<f64>() - wn) / n as f64;
        let phi: Vec<f64> = a.into_iter().map(|ai| ai - b).collect();
        Ok(Allocation::from_parts(
            self.players(),
            shift.lift(&phi),
            self.kind(),
        ))
    }

    /// The marginal vector of a joining order (player indices, each exactly once): what each
    /// player adds to the coalition of those who joined before it.
    ///
    /// `m_{pi(k)} = v({pi(1), ..., pi(k)}) - v({pi(1), ..., pi(k-1)})`. Cost: O(n).
    ///
    /// # Example
    /// ```
    /// use coalitional::Game;
    /// let g = Game::from_values(vec![0.0, 1.0, 2.0, 6.0]).unwrap();
    /// let m = g.marginal_vector(&[1, 0]).unwrap();
    /// assert_eq!(m.values(), &[4.0, 2.0]); // player 1 joins first and gets v({1}) = 2
    /// ```
    pub fn marginal_vector(&self, order: &[usize]) -> Result<Allocation> {
        let n = self.n();
        if order.len() != n {
            return Err(Error::InvalidOrder {
                reason: format!(
                    "it has {} entries but the game has {n} players",
                    order.len()
                ),
            });
        }
        let mut joined = Coalition::EMPTY;
        let mut m = vec![0.0; n];
        for &i in order {
            if i >= n {
                return Err(Error::PlayerIndexOutOfRange { index: i, n });
            }
            if joined.contains(i) {
                return Err(Error::InvalidOrder {
                    reason: format!("player {} appears twice", self.players()[i]),
                });
            }
            let next = joined.with(i);
            m[i] = self.value(next) - self.value(joined);
            joined = next;
        }
        if let Some(i) = m.iter().position(|x| !x.is_finite()) {
            return Err(Error::Undefined {
                concept: "the marginal vector",
                reason: format!(
                    "player {}'s marginal contribution exceeds the largest float (about 1.8e308); rescale the game",
                    self.players()[i]
                ),
            });
        }
        Ok(Allocation::from_parts(self.players(), m, self.kind()))
    }

    /// The marginal vector of a joining order given by player names.
    pub fn marginal_vector_by_name<S: AsRef<str>>(&self, order: &[S]) -> Result<Allocation> {
        let idx = order
            .iter()
            .map(|name| self.player_index(name.as_ref()))
            .collect::<Result<Vec<_>>>()?;
        self.marginal_vector(&idx)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn beta_is_alpha_times_size_over_n() {
        for n in 1..=30 {
            let (alpha, beta) = shapley_weights(n);
            // s = 0 does not matter: v(empty) = 0.
            for s in 1..n {
                let expect = alpha[s] * s as f64 / n as f64;
                assert!(
                    (beta[s] - expect).abs() <= 1e-12 * expect.abs(),
                    "n={n} s={s}"
                );
            }
            assert!((alpha[n] - 1.0 / n as f64).abs() < 1e-15 && beta[n] == 0.0);
        }
    }

    #[test]
    fn weights_sum_to_one_over_sizes() {
        // sum_s C(n-1, s-1) w_in(s) = 1: each player joins at one position.
        for n in 1..=30 {
            let (alpha, beta) = shapley_weights(n);
            let total: f64 = (1..=n)
                .map(|s| binomial(n - 1, s - 1) * (alpha[s] - beta[s]))
                .sum();
            assert!((total - 1.0).abs() < 1e-12, "n={n}: {total}");
        }
    }

    #[test]
    fn binomial_values() {
        assert_eq!(binomial(5, 2), 10.0);
        assert_eq!(binomial(27, 13), 20_058_300.0);
        assert_eq!(binomial(3, 4), 0.0);
    }

    #[test]
    fn marginal_vector_errors() {
        let g = Game::from_values(vec![0.0, 1.0, 2.0, 6.0]).unwrap();
        assert!(matches!(
            g.marginal_vector(&[0]),
            Err(Error::InvalidOrder { .. })
        ));
        assert!(matches!(
            g.marginal_vector(&[0, 0]),
            Err(Error::InvalidOrder { .. })
        ));
        assert!(matches!(
            g.marginal_vector(&[0, 5]),
            Err(Error::PlayerIndexOutOfRange { index: 5, n: 2 })
        ));
        assert!(matches!(
            g.marginal_vector_by_name(&["0", "x"]),
            Err(Error::UnknownPlayer { .. })
        ));
    }
}
