//! The separation oracle of a weighted majority game: the coalition of largest excess for a
//! payoff vector by dynamic programming over the total weight, never touching the `2^n`
//! coalitions.
//!
//! For `x` and the players forced in (`I`) and out (`X`), the free players are
//! `F = N \ (I ∪ X)` and every qualifying coalition is `S = I ∪ T` with `T ⊆ F`. Since
//! `v(S)` is 1 or 0,
//!
//! `max_S v(S) - x(S) = max( 1 - x(I) - min{ x(T) : w(T) >= q - w(I) },
//!                            - x(I) - min{ x(T) : w(T) <= q - 1 - w(I) } )`,
//!
//! a covering knapsack on the winning side and a packing knapsack on the losing side, each
//! solved exactly by dynamic programming over the players (the recursions of R. Bellman,
//! *Dynamic Programming*, 1957; see S. Martello and P. Toth, *Knapsack Problems*, Wiley 1990,
//! ch. 2). With the players of `F` as `f_1, ..., f_m` and `r = q - w(I)`:
//!
//! - winning: `G_k(c)` is the least `x(T)` over `T ⊆ {f_k, ..., f_m}` with `w(T) >= c`, for
//!   `c = 0..=r`: `G_{m+1}(0) = 0`, `G_{m+1}(c > 0) = +inf`,
//!   `G_k(c) = min(G_{k+1}(c), x_{f_k} + G_{k+1}(max(0, c - w_{f_k})))`;
//! - losing: `H_k(c)` is the least `x(T)` over `T ⊆ {f_k, ..., f_m}` with `w(T) <= c`, for
//!   `c = 0..=r - 1`: `H_{m+1}(c) = 0`,
//!   `H_k(c) = min(H_{k+1}(c), x_{f_k} + H_{k+1}(c - w_{f_k}))` (the second term only when
//!   `w_{f_k} <= c`).
//!
//! Each choice is recorded as one bit per `(k, c)`, so the minimising coalition is read off
//! forwards from `(1, r)` (or `(1, r - 1)`). The minimisation is over all subsets whatever the
//! signs of `x` (the prenucleolus asks with negative entries). Time `O(m q)`, memory
//! `O(m q / 8)` bytes for the choices and `O(q)` numbers; [`WeightedVoting::new`] accepts
//! only games with `(n + 1) q <= 2^26` (its counting table), so the tables here stay below
//! `2^26` cells (8 MiB of choices), far inside [`MAX_ORACLE_CELLS`]; the issue's target, 50
//! voters with weights up to 100 (`q <= 5000`), needs `250,000` cells. The answer is exact
//! up to the rounding of the sums `x(T)` (the weights are integers, compared exactly).

use super::WeightedVoting;
use crate::classes::oracle::{check_members, check_query};
use crate::error::{Error, Result};
use crate::solution::core::LeastCore;
use crate::solution::separation::{self, Separation, Violation};
use crate::solution::Allocation;

/// Largest dynamic-programming table (free players times `quota + 1` cells) the oracle builds:
/// `10^8` cells, 12.5 MB of choice bits. Games accepted by [`WeightedVoting::new`] stay below
/// it; the check guards the oracle on its own.
pub const MAX_ORACLE_CELLS: u128 = 100_000_000;

/// The choices of a dynamic program, one bit per (player, capacity).
struct Choices {
    width: usize,
    bits: Vec<u64>,
}

impl Choices {
    fn new(rows: usize, width: usize) -> Self {
        Choices {
            width,
            bits: vec![0; (rows * width).div_ceil(64)],
        }
    }
    fn set(&mut self, row: usize, c: usize) {
        let k = row * self.width + c;
        self.bits[k / 64] |= 1 << (k % 64);
    }
    fn get(&self, row: usize, c: usize) -> bool {
        let k = row * self.width + c;
        self.bits[k / 64] >> (k % 64) & 1 == 1
    }
}

/// Least `x(T)` over `T ⊆ free` with `w(T) >= need` (weights capped at `need`): the cost and
/// the members, or `None` when even all of `free` weighs less.
fn min_winning(x: &[f64], w: &[u64], free: &[usize], need: u64) -> Option<(f64, Vec<usize>)> {
    let r = need as usize;
    let m = free.len();
    let mut choices = Choices::new(m, r + 1);
    // next[c] = G_{k+1}(c); start with G_{m+1}.
    let mut next = vec![f64::INFINITY; r + 1];
    next[0] = 0.0;
    let mut cur = vec![0.0; r + 1];
    for k in (0..m).rev() {
        let i = free[k];
        let wi = w[i].min(need) as usize;
        for c in 0..=r {
            let skip = next[c];
            let take = x[i] + next[c.saturating_sub(wi)];
            if take < skip {
                cur[c] = take;
                choices.set(k, c);
            } else {
                cur[c] = skip;
            }
        }
        std::mem::swap(&mut cur, &mut next);
    }
    if !next[r].is_finite() {
        return None;
    }
    let mut members = Vec::new();
    let mut c = r;
    for (k, &i) in free.iter().enumerate() {
        if choices.get(k, c) {
            members.push(i);
            c = c.saturating_sub(w[i].min(need) as usize);
        }
    }
    Some((next[r], members))
}

/// Least `x(T)` over `T ⊆ free` with `w(T) <= cap`: the cost and the members.
fn min_losing(x: &[f64], w: &[u64], free: &[usize], cap: u64) -> (f64, Vec<usize>) {
    let r = cap as usize;
    let m = free.len();
    let mut choices = Choices::new(m, r + 1);
    let mut next = vec![0.0; r + 1];
    let mut cur = vec![0.0; r + 1];
    for k in (0..m).rev() {
        let i = free[k];
        for c in 0..=r {
            let skip = next[c];
            cur[c] = skip;
            if w[i] <= c as u64 {
                let take = x[i] + next[c - w[i] as usize];
                if take < skip {
                    cur[c] = take;
                    choices.set(k, c);
                }
            }
        }
        std::mem::swap(&mut cur, &mut next);
    }
    let mut members = Vec::new();
    let mut c = r;
    for (k, &i) in free.iter().enumerate() {
        if choices.get(k, c) {
            members.push(i);
            c -= w[i] as usize;
        }
    }
    (next[r], members)
}

/// The nucleolus, prenucleolus and least core without the `2^n` worths: the separation
/// engine ([`crate::solution::separation::OracleGame`]) over the dynamic-programming oracle
/// of this module, `O(n q)` per oracle call.
impl WeightedVoting {
    /// The nucleolus (Schmeidler 1969) by constraint generation over the weighted-voting
    /// oracle (module documentation of `voting/separation.rs`), for games far beyond the dense
    /// limit (50 voters of weights up to 100 in a fraction of a second).
    ///
    /// # Example
    /// Simple majority of three, `[2; 1, 1, 1]`: the equal split. `[3; 2, 1, 1]`: player 0 is
    /// a veto player (every winning coalition needs it) and the core is `{(1, 0, 0)}`, so the
    /// nucleolus gives it everything.
    /// ```
    /// use coalitional::WeightedVoting;
    /// let close = |a: &[f64], b: &[f64]| a.iter().zip(b).all(|(x, y)| (x - y).abs() < 1e-9);
    /// let majority = WeightedVoting::new(2, vec![1, 1, 1], None).unwrap();
    /// assert!(close(majority.nucleolus().unwrap().values(), &[1.0 / 3.0; 3]));
    /// let veto = WeightedVoting::new(3, vec![2, 1, 1], None).unwrap();
    /// assert!(close(veto.nucleolus().unwrap().values(), &[1.0, 0.0, 0.0]));
    /// assert!(veto.least_core().unwrap().epsilon.abs() < 1e-9);
    /// ```
    pub fn nucleolus(&self) -> Result<Allocation> {
        separation::nucleolus(self.players.clone(), self)
    }

    /// The prenucleolus (efficient allocations, without individual rationality), by the same
    /// method as [`WeightedVoting::nucleolus`].
    pub fn prenucleolus(&self) -> Result<Allocation> {
        separation::prenucleolus(self.players.clone(), self)
    }

    /// The least core (Maschler, Peleg and Shapley 1979): the least `epsilon` with an efficient
    /// `x`, `x(S) >= v(S) - epsilon` for every proper nonempty `S`, by constraint generation.
    pub fn least_core(&self) -> Result<LeastCore> {
        separation::least_core(self.players.clone(), self)
    }
}

/// The worth from the weights and the coalition of largest excess by dynamic programming over
/// the total weight (module documentation of `voting/separation.rs`): exact, `O(n q)` time.
///
/// # Example
/// `[3; 2, 1, 1]` at `x = (0.5, 0.25, 0.25)`: the winning coalitions `{0, 1}` and `{0, 2}`
/// have the largest excess, `1 - 0.75 = 0.25`; with player 1 excluded only `{0, 2}` is left.
/// ```
/// use coalitional::solution::separation::Separation;
/// use coalitional::WeightedVoting;
/// # fn main() -> coalitional::Result<()> {
/// let g = WeightedVoting::new(3, vec![2, 1, 1], None)?;
/// let x = [0.5, 0.25, 0.25];
/// let best = g.most_violated(&x, &[false; 3], &[false; 3])?.unwrap();
/// assert_eq!(best.excess, 0.25);
/// let out = g.most_violated(&x, &[false; 3], &[false, true, false])?.unwrap();
/// assert_eq!((out.members, out.excess), (vec![0, 2], 0.25));
/// # Ok(())
/// # }
/// ```
impl Separation for WeightedVoting {
    fn n(&self) -> usize {
        self.weights.len()
    }

    fn worth(&self, members: &[usize]) -> Result<f64> {
        check_members(self.weights.len(), members)?;
        let w: u128 = members.iter().map(|&i| u128::from(self.weights[i])).sum();
        Ok(f64::from(u8::from(w >= u128::from(self.quota))))
    }

    fn most_violated(
        &self,
        x: &[f64],
        include: &[bool],
        exclude: &[bool],
    ) -> Result<Option<Violation>> {
        let n = self.weights.len();
        if !check_query(n, x, include, exclude)? {
            return Ok(None);
        }
        let free: Vec<usize> = (0..n).filter(|&i| !include[i] && !exclude[i]).collect();
        let cells = free.len() as u128 * (u128::from(self.quota) + 1);
        if cells > MAX_ORACLE_CELLS {
            return Err(Error::LimitExceeded {
                what: "cells of the weighted-voting separation table (free players x (quota + 1))",
                asked: cells,
                limit: MAX_ORACLE_CELLS,
            });
        }
        let forced: Vec<usize> = (0..n).filter(|&i| include[i]).collect();
        let w_in: u128 = forced.iter().map(|&i| u128::from(self.weights[i])).sum();
        let q = u128::from(self.quota);
        // Still to reach for a win (0 when the forced players win alone).
        let need = q.saturating_sub(w_in) as u64;
        let mut best: Option<Vec<usize>> = None;
        let mut best_excess = f64::NEG_INFINITY;
        let mut consider = |t: Vec<usize>| {
            let mut s: Vec<usize> = forced.iter().copied().chain(t).collect();
            s.sort_unstable();
            let w: u128 = s.iter().map(|&i| u128::from(self.weights[i])).sum();
            let v = f64::from(u8::from(w >= q));
            let excess = v - s.iter().map(|&i| x[i]).sum::<f64>();
            if excess > best_excess {
                best_excess = excess;
                best = Some(s);
            }
        };
        if let Some((_, t)) = min_winning(x, &self.weights, &free, need) {
            consider(t);
        }
        if w_in < q {
            let (_, t) = min_losing(x, &self.weights, &free, need - 1);
            consider(t);
        }
        Ok(best.map(|members| Violation {
            members,
            excess: best_excess,
        }))
    }
}
