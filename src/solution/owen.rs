//! The Owen value: the Shapley value when players come in a priori unions.
//!
//! G. Owen ("Values of games with a priori unions", in *Mathematical Economics and Game
//! Theory*, Springer, 1977): players are partitioned into unions `U_1, ..., U_m` (provinces of
//! cities, ministries of departments); orders in which each union's members arrive together
//! are equally likely, and a player's value is its expected marginal contribution. With `k`
//! the union of `i`, `u = |U_k|` and `Q_T` the players of the unions in `T`:
//!
//! `phi_i = sum_{T ⊆ M - k} sum_{S ⊆ U_k - i} [t! (m-1-t)! / m!] [s! (u-1-s)! / u!]
//!          (v(Q_T ∪ S ∪ i) - v(Q_T ∪ S))`.
//!
//! It equals the Shapley value when every union is a single player or one union holds everyone,
//! and the unions' totals are the Shapley value of the quotient game between unions.
//!
//! Cost: `sum_k 2^(m-1) u_k 2^(u_k - 1)` evaluations, at most `n 2^(n-1)`; the loop checks for
//! cancellation (see `crate::cancel`) every 2^18 evaluations.

use crate::cancel::Meter;
use crate::coalition::Coalition;
use crate::error::Result;
use crate::game::Game;
use crate::solution::Allocation;

/// `weights[s] = s! (size-1-s)! / size!` for `s = 0..size`.
fn shapley_weights(size: usize) -> Vec<f64> {
    // s! (size-1-s)! / size! = 1 / (size * binom(size-1, s)).
    let mut w = Vec::with_capacity(size);
    let mut binom = 1.0f64;
    for s in 0..size {
        w.push(1.0 / (size as f64 * binom));
        binom = binom * (size - 1 - s) as f64 / (s + 1) as f64;
    }
    w
}

/// The subsets of `mask` (including 0 and `mask` itself).
fn subsets(mask: u64) -> impl Iterator<Item = u64> {
    let mut next = Some(mask);
    std::iter::from_fn(move || {
        let s = next?;
        next = if s == 0 { None } else { Some((s - 1) & mask) };
        Some(s)
    })
}

impl Game {
    /// The Owen value for the a priori unions `unions` (lists of player indices that partition
    /// the players). See the module docs for the formula and its source.
    ///
    /// # Example
    /// Glove game (A holds a left glove, B and C right ones): with B and C in one union, they
    /// bargain together, and A gets 1/2 instead of its Shapley value 2/3.
    /// ```
    /// use coalitional::Game;
    /// let g = Game::from_fn(vec!["A".into(), "B".into(), "C".into()], |s| {
    ///     if s.contains(0) && (s.contains(1) || s.contains(2)) { 1.0 } else { 0.0 }
    /// }).unwrap();
    /// let owen = g.owen(&[vec![0], vec![1, 2]]).unwrap();
    /// assert!((owen["A"] - 0.5).abs() < 1e-15 && (owen["B"] - 0.25).abs() < 1e-15);
    /// ```
    pub fn owen(&self, unions: &[Vec<usize>]) -> Result<Allocation> {
        let masks = crate::coalition::partition_masks(self.players(), unions, "unions", "union")?;
        let m = masks.len();
        let outer = shapley_weights(m);
        // On the zero-normalised game (small marginal contributions), mapped back.
        let nm = self.normal()?;
        let v = nm.w();
        let mut phi = vec![0.0; self.n()];
        let mut meter = Meter::new(1 << 18);
        for (k, &uk) in masks.iter().enumerate() {
            let others: Vec<u64> = masks
                .iter()
                .enumerate()
                .filter(|&(j, _)| j != k)
                .map(|(_, &u)| u)
                .collect();
            let u = uk.count_ones() as usize;
            let inner = shapley_weights(u);
            for t in 0u64..1 << others.len() {
                // u players, 2^(u-1) subsets each.
                meter.tick(u << (u - 1))?;
                let q: u64 = Coalition::from_mask(t)
                    .members()
                    .map(|j| others[j])
                    .fold(0, |a, b| a | b);
                let wt = outer[t.count_ones() as usize];
                for i in Coalition::from_mask(uk).members() {
                    let rest = uk & !(1 << i);
                    let mut sum = 0.0;
                    for s in subsets(rest) {
                        let base = (q | s) as usize;
                        sum += inner[s.count_ones() as usize] * (v.at(base | 1 << i) - v.at(base));
                    }
                    phi[i] += wt * sum;
                }
            }
        }
        Ok(nm.allocation(&phi))
    }

    /// [`Game::owen`] with unions given by player names.
    pub fn owen_by_name<S: AsRef<str>>(&self, unions: &[Vec<S>]) -> Result<Allocation> {
        let idx = unions
            .iter()
            .map(|u| {
                u.iter()
                    .map(|name| self.player_index(name.as_ref()))
                    .collect::<Result<Vec<usize>>>()
            })
            .collect::<Result<Vec<_>>>()?;
        self.owen(&idx)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn weights_and_subsets() {
        let w = shapley_weights(3);
        assert!((w[0] - 1.0 / 3.0).abs() < 1e-15 && (w[1] - 1.0 / 6.0).abs() < 1e-15);
        let mut s: Vec<u64> = subsets(0b101).collect();
        s.sort_unstable();
        assert_eq!(s, vec![0, 1, 4, 5]);
    }
}
