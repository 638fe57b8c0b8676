//! The largest marginal contributions of each player: the coalitions that a player helps
//! most by joining, which explain where its Shapley value comes from.
//!
//! The Shapley value is the average of the marginal contributions
//! `m_i(S) = v(S ∪ {i}) - v(S)` over the coalitions `S` of the other players, `S` weighted by
//! the share of joining orders in which `i` arrives right after exactly `S`,
//! `|S|! (n - |S| - 1)! / n!` (L. S. Shapley, "A value for n-person games", 1953). Listing the
//! few largest `m_i(S)` says which partners make a player valuable.
//!
//! The contributions are read from the zero-normalised game (`w(S ∪ {i}) - w(S)` plus the
//! player's standalone value, see `solution::normal` and [`Game::spread`]), so that a contribution of a
//! few units on budgets of `10^9` is ranked and reported exactly. Cost games report marginal
//! costs `c(S ∪ {i}) - c(S)` ranked by the saving the player brings, so the smallest marginal
//! costs come first (the coalitions it is cheapest to add to).
//!
//! Cost: one pass over the `2^n` values per player, `O(n 2^n)` time, `O(2^n)` memory for the
//! normalised game (none when the game is already a zero-normalised value game).

use serde::{Deserialize, Serialize};

use crate::coalition::Coalition;
use crate::error::Result;
use crate::game::Game;
use crate::solution::kernel::{check_at, BLOCK_BITS};
use crate::solution::shapley::binomial;

/// One marginal contribution: what `player` adds by joining the coalition `joins`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Marginal {
    /// The player who joins.
    pub player: String,
    /// The members of the coalition it joins, in player order (empty: it starts alone).
    pub joins: Vec<String>,
    /// `v(S ∪ {i}) - v(S)` (cost games: `c(S ∪ {i}) - c(S)`).
    pub marginal: f64,
    /// The share of joining orders in which the player arrives right after exactly these
    /// members, `|S|! (n - |S| - 1)! / n!`: the weight of this contribution in the Shapley
    /// value.
    pub weight: f64,
}

impl Game {
    /// For each player (in player order), its `top` largest marginal contributions, largest
    /// first (cost games: smallest marginal cost first; ties: smaller coalitions first, then
    /// by bit mask). See the [module
    /// docs](crate::solution::marginals).
    ///
    /// Errors: [`crate::Error::TooLarge`] when the normalised game does not fit in memory,
    /// [`crate::Error::Interrupted`] when cancelled (see [`crate::cancel`]).
    ///
    /// # Example
    /// ```
    /// use coalitional::Game;
    /// // A glove market: A holds a left glove, B and C right gloves; a pair is worth 1.
    /// let g = Game::from_fn(vec!["A".into(), "B".into(), "C".into()], |s| {
    ///     if s.contains(0) && (s.contains(1) || s.contains(2)) { 1.0 } else { 0.0 }
    /// }).unwrap();
    /// let top = g.largest_marginals(1).unwrap();
    /// assert_eq!(top[0][0].joins, vec!["B".to_string()]); // A adds most by joining B
    /// assert_eq!(top[0][0].marginal, 1.0);
    /// ```
    pub fn largest_marginals(&self, top: usize) -> Result<Vec<Vec<Marginal>>> {
        let n = self.n();
        let nm = self.normal()?;
        let w = nm.w();
        let shift = &nm.shift;
        let weight = |k: usize| 1.0 / (n as f64 * binomial(n - 1, k));
        let mut out = Vec::with_capacity(n);
        for i in 0..n {
            let bit = 1usize << i;
            // Best (benefit, popcount, mask) kept sorted, at most `top` long.
            let mut best: Vec<(f64, u32, usize)> = Vec::with_capacity(top + 1);
            for s in 0..1usize << n {
                if s & ((1 << BLOCK_BITS) - 1) == 0 {
                    check_at(s >> BLOCK_BITS)?;
                }
                if s & bit != 0 || top == 0 {
                    continue;
                }
                // In w's units: the benefit of i joining S (cost games: the saving).
                let gain = w.at(s | bit) - w.at(s) + shift.b[i];
                let key = (-gain, s.count_ones(), s);
                if best.len() == top
                    && best
                        .last()
                        .is_some_and(|last| cmp_key(&key, &(-last.0, last.1, last.2)).is_ge())
                {
                    continue;
                }
                let pos = best
                    .iter()
                    .position(|b| cmp_key(&key, &(-b.0, b.1, b.2)).is_lt())
                    .unwrap_or(best.len());
                best.insert(pos, (gain, key.1, s));
                best.truncate(top);
            }
            out.push(
                best.into_iter()
                    .map(|(gain, k, s)| Marginal {
                        player: self.players()[i].clone(),
                        joins: Coalition::from_mask(s as u64)
                            .members()
                            .map(|j| self.players()[j].clone())
                            .collect(),
                        marginal: shift.sign * shift.unscale(gain),
                        weight: weight(k as usize),
                    })
                    .collect(),
            );
        }
        Ok(out)
    }
}

/// Orders `(-gain, size, mask)`: largest gain first, then smaller coalitions, then masks.
fn cmp_key(a: &(f64, u32, usize), b: &(f64, u32, usize)) -> std::cmp::Ordering {
    a.0.total_cmp(&b.0).then(a.1.cmp(&b.1)).then(a.2.cmp(&b.2))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::game::Kind;

    fn names(n: usize) -> Vec<String> {
        (0..n).map(|i| format!("p{i}")).collect()
    }

    #[test]
    fn brute_force_agrees_and_weights_give_the_shapley_value() {
        let v: Vec<f64> = (0..16usize)
            .map(|m| {
                if m == 0 {
                    0.0
                } else {
                    ((m * 37) % 11) as f64 + m.count_ones() as f64
                }
            })
            .collect();
        for kind in [Kind::Value, Kind::Cost] {
            let g = Game::with_kind(names(4), v.clone(), kind).unwrap();
            let all = g.largest_marginals(8).unwrap(); // every coalition of the others
            let phi = g.shapley();
            for (i, list) in all.iter().enumerate() {
                assert_eq!(list.len(), 8);
                let avg: f64 = list.iter().map(|m| m.weight * m.marginal).sum();
                assert!((avg - phi[i]).abs() < 1e-12, "{avg} vs {}", phi[i]);
                for m in list {
                    let s = g.coalition(&m.joins).unwrap();
                    let with = Coalition::from_mask((s.index() | 1 << i) as u64);
                    assert_eq!(m.marginal, g.value(with) - g.value(s));
                }
                // Largest first in the game's own terms (cost games: largest saving, i.e.
                // smallest marginal cost).
                let sign = if kind == Kind::Cost { -1.0 } else { 1.0 };
                assert!(list
                    .windows(2)
                    .all(|p| sign * p[0].marginal >= sign * p[1].marginal));
            }
        }
    }

    #[test]
    fn small_contributions_on_large_budgets_are_ranked() {
        // Budgets 1e9 and 2e9, cooperation adds 3 (pair) and the third player adds 1 or 2.
        let g = Game::from_values(vec![
            0.0,
            1e9,
            2e9,
            3e9 + 3.0,
            5.0,
            1e9 + 6.0,
            2e9 + 5.0,
            3e9 + 10.0,
        ])
        .unwrap();
        let top = g.largest_marginals(1).unwrap();
        assert_eq!(top[2][0].joins, vec!["0".to_string(), "1".to_string()]);
        assert_eq!(top[2][0].marginal, 7.0);
    }
}
