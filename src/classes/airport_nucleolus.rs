//! The nucleolus and the least core of the airport game without its `2^n` values
//! (Littlechild's algorithm).
//!
//! **Statement** (S. C. Littlechild, "A simple expression for the nucleolus in a special case",
//! *Int. J. Game Theory* 3, 1974). Sort the runway costs, `c_1 <= c_2 <= ... <= c_n`. Start
//! with `i_0 = 0` and `X_0 = 0`; stage `r = 1, 2, ...` while `i_{r-1} < n - 1`:
//!
//! `lambda_r = min_{i_{r-1} < j <= n-1} (c_j - X_{r-1}) / (j - i_{r-1} + 1)`,
//!
//! `i_r` = the largest `j` attaining the minimum, every player `i_{r-1} < i <= i_r` pays
//! `x_i = lambda_r`, and `X_r = x_1 + ... + x_{i_r} = c_{i_r} - lambda_r`. The player with the
//! largest cost pays the rest, `x_n = c_n - X_last` (so `x(N) = c_n`). The `lambda_r` increase
//! strictly, and players with equal costs always pay the same.
//!
//! **Why** (the derivation written out here). The cost nucleolus minimises the sorted excesses
//! `x(S) - c(S)` lexicographically, i.e. maximises the sorted savings `c(S) - x(S)`. Core
//! points pay `x_i >= c(N) - c(N - i) >= 0`, so among the coalitions whose largest cost is
//! `c_j`, the smallest saving is that of the initial segment `{1..j}`, `c_j - x(1..j)`; and
//! for `i < n` the coalition `N - i` saves `c_n - (c_n - x_i) = x_i`. The first stage of the
//! sequential programs of the nucleolus (Maschler, Peleg and Shapley 1979) is therefore
//! `max t  s.t.  x_i >= t (i < n),  c_j - x(1..j) >= t (j < n)`: with the first `j` players at
//! `t`, the segment constraint reads `c_j - j t >= t`, so `t* = min_{j < n} c_j / (j + 1)`
//! (`lambda_1`), and the players up to the last minimiser are pinned at `lambda_1` (their
//! savings `x_i` and the segment's are constant on the optimal face). The later stages are
//! the same problem on the remaining players with `X_{r-1}` already paid, which gives the
//! recursion above; Littlechild proved that these stages give the whole nucleolus. The airport
//! game is concave (`c(S) = max` is submodular), so its core is nonempty and the nucleolus
//! equals the prenucleolus.
//!
//! **Least core.** Its `epsilon` (the largest `x(S) - c(S)` over proper coalitions, at best)
//! is the first stage: `epsilon* = -lambda_1 = -min_{j < n} c_j / (j + 1)`. Of the least core's
//! points this module returns the nucleolus, which lies in it (the dense
//! [`Game::least_core`](crate::Game::least_core) returns an optimal vertex of its linear
//! program, which need not be the same point).
//!
//! **Cost.** `O(n log n)` for the sort plus `O(n)` per stage, `O(n^2)` at worst (one player
//! per stage); 1,000 players take well under a millisecond. Every number scales with the
//! costs: `a c` has the nucleolus `a x` and `epsilon* a`.

use crate::classes::airport::Airport;
use crate::error::{Error, Result};
use crate::solution::core::LeastCore;
use crate::solution::Allocation;
use crate::Kind;

/// Littlechild's stages: the shares in player order and the first stage's level `lambda_1`
/// (`None` for one player, who has no stage).
fn littlechild(costs: &[f64]) -> (Vec<f64>, Option<f64>) {
    let n = costs.len();
    let mut order: Vec<usize> = (0..n).collect();
    order.sort_by(|&a, &b| costs[a].total_cmp(&costs[b]));
    // c[j] = c_{j+1} in the 1-based notation of the module docs.
    let c: Vec<f64> = order.iter().map(|&i| costs[i]).collect();
    let mut x = vec![0.0; n];
    let mut first = None;
    // `done` players (the first ones in cost order) are paid, `paid` in all.
    let (mut done, mut paid) = (0usize, 0.0f64);
    while done + 1 < n {
        let (mut lambda, mut last) = (f64::INFINITY, done);
        // Candidate segments end at the sorted position j (0-based), j < n - 1; the block
        // after the paid players has j + 1 - done members, plus one for the saving.
        for (j, &cj) in c.iter().enumerate().take(n - 1).skip(done) {
            let level = (cj - paid) / (j + 1 - done + 1) as f64;
            if level <= lambda {
                lambda = level;
                last = j;
            }
        }
        for &i in &order[done..=last] {
            x[i] = lambda;
        }
        first.get_or_insert(lambda);
        paid = c[last] - lambda;
        done = last + 1;
    }
    x[order[n - 1]] = c[n - 1] - paid;
    (x, first)
}

impl Airport {
    /// The nucleolus of the airport cost game, without its `2^n` values: Littlechild's
    /// algorithm (see the module `classes::airport_nucleolus` for the statement and its
    /// derivation). The cost shares `x` minimise the sorted excesses `x(S) - c(S)`
    /// lexicographically, as the dense [`Game::nucleolus`](crate::Game::nucleolus) of
    /// [`Airport::to_game`] does (they agree within the dense game's tolerance, `1e-9` of
    /// its spread, on hundreds of random games, tested). `O(n^2)` at worst.
    ///
    /// # Example
    /// Runways 1, 3, 6: `lambda_1 = min(1/2, 3/3) = 1/2` pins the small plane; then
    /// `(3 - 1/2) / 2 = 5/4` for the medium one; the large one pays `6 - 1/2 - 5/4`.
    /// ```
    /// use coalitional::Airport;
    /// let a = Airport::new(vec![1.0, 3.0, 6.0], None).unwrap();
    /// assert_eq!(a.nucleolus().values(), &[0.5, 1.25, 4.25]);
    /// ```
    pub fn nucleolus(&self) -> Allocation {
        let (x, _) = littlechild(self.costs());
        Allocation::from_parts(self.players(), x, Kind::Cost)
    }

    /// The prenucleolus: the same point as [`Airport::nucleolus`], since the airport game's
    /// core is nonempty (it is concave), and the prenucleolus lies in the core whenever the
    /// core is nonempty (Schmeidler 1969; Maschler, Peleg and Shapley 1979), hence among the
    /// imputations, where the nucleolus is the lexicographic optimum.
    pub fn prenucleolus(&self) -> Allocation {
        self.nucleolus()
    }

    /// The least core of the airport cost game, without its `2^n` values: `epsilon* =
    /// -min_{j < n} c_j / (j + 1)` (costs sorted increasingly; Littlechild's first stage,
    /// nonpositive as the core is nonempty), with the nucleolus as its allocation (a point of
    /// the least core that does not depend on a solver's choice of vertex). Needs at least two
    /// players ([`Error::Undefined`] otherwise, as the dense least core).
    ///
    /// # Example
    /// Runways 1, 3, 6: the small plane can save at most `1/2` on its own runway while the
    /// other two (`N` minus it) save its share: `epsilon* = -1/2`.
    /// ```
    /// use coalitional::Airport;
    /// let a = Airport::new(vec![1.0, 3.0, 6.0], None).unwrap();
    /// let lc = a.least_core().unwrap();
    /// assert_eq!(lc.epsilon, -0.5);
    /// assert_eq!(lc.allocation.values(), a.nucleolus().values());
    /// ```
    pub fn least_core(&self) -> Result<LeastCore> {
        let (x, first) = littlechild(self.costs());
        let Some(lambda) = first else {
            return Err(Error::Undefined {
                concept: "the least core",
                reason: "a one-player game has no proper nonempty coalition to constrain".into(),
            });
        };
        Ok(LeastCore {
            epsilon: -lambda,
            allocation: Allocation::from_parts(self.players(), x, Kind::Cost),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn two_players_split_the_saving() {
        // c = (4, 10): the pair saves 4, half each: x = (2, 8).
        let (x, first) = littlechild(&[10.0, 4.0]);
        assert_eq!(x, vec![8.0, 2.0]);
        assert_eq!(first, Some(2.0));
    }

    #[test]
    fn equal_costs_pay_equally() {
        let (x, first) = littlechild(&[3.0, 3.0, 3.0]);
        assert_eq!(x, vec![1.0, 1.0, 1.0]);
        assert_eq!(first, Some(1.0));
    }

    #[test]
    fn one_player_pays_its_runway() {
        assert_eq!(littlechild(&[7.0]), (vec![7.0], None));
    }
}
