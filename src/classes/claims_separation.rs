//! The claims game as a [`Separation`] oracle, and its least core without the `2^n` values.
//!
//! The excess of a coalition in the bankruptcy game `v(S) = max(0, E - c(N \ S))` is the
//! larger of two linear functions of its members,
//! `e(S, x) = max(-x(S), E - C + sum_{i in S} (c_i - x_i))`,
//! so its maximum over the coalitions holding `include` and none of `exclude` is the larger
//! of the two maxima, each taking every free player with a positive term: `O(n)` per call,
//! exact up to rounding. The engine of [`crate::solution::separation`] then gives the least
//! core (and the nucleolus, which is the Talmud rule: [`Claims::nucleolus`]).

use crate::classes::claims::Claims;
use crate::classes::oracle::{check_members, check_query};
use crate::error::Result;
use crate::solution::core::LeastCore;
use crate::solution::separation::{self, Separation, Violation};

impl Claims {
    /// `c(N \ S)`, summed over the players outside `S` (not as `C - c(S)`, which would lose
    /// the digits of a small remainder of a large total).
    fn claims_outside(&self, inside: &[bool]) -> f64 {
        self.claims()
            .iter()
            .zip(inside)
            .filter(|(_, &i)| !i)
            .map(|(c, _)| c)
            .sum()
    }

    /// The least core of the bankruptcy game (Maschler, Peleg and Shapley 1979), without its
    /// `2^n` values: the separation engine with the `O(n)` claims oracle (see the module
    /// docs). The core of a bankruptcy game is never empty (the game is convex), so
    /// `epsilon <= 0`.
    ///
    /// # Example
    /// ```
    /// use coalitional::Claims;
    /// let c = Claims::new(200.0, vec![100.0, 200.0, 300.0], None).unwrap();
    /// let lc = c.least_core().unwrap();
    /// let dense = c.to_game().unwrap().least_core().unwrap();
    /// assert!((lc.epsilon - dense.epsilon).abs() < 1e-9);
    /// ```
    pub fn least_core(&self) -> Result<LeastCore> {
        separation::least_core(self.players().to_vec(), self)
    }
}

impl Separation for Claims {
    fn n(&self) -> usize {
        Claims::n(self)
    }

    fn worth(&self, members: &[usize]) -> Result<f64> {
        check_members(Claims::n(self), members)?;
        let mut inside = vec![false; Claims::n(self)];
        for &i in members {
            inside[i] = true;
        }
        Ok((self.estate() - self.claims_outside(&inside)).max(0.0))
    }

    fn most_violated(
        &self,
        x: &[f64],
        include: &[bool],
        exclude: &[bool],
    ) -> Result<Option<Violation>> {
        let n = Claims::n(self);
        if !check_query(n, x, include, exclude)? {
            return Ok(None);
        }
        let c = self.claims();
        // Branch a: -x(S), free players with x_i < 0. Branch b: E - c(N \ S) - x(S), free
        // players with c_i > x_i. One pass sums what each branch pays and leaves out.
        let takes = |i: usize, branch_b: bool| {
            include[i] || (!exclude[i] && if branch_b { c[i] > x[i] } else { x[i] < 0.0 })
        };
        let (mut paid, mut outside) = ([0.0; 2], [0.0; 2]);
        for i in 0..n {
            for (k, b) in [false, true].into_iter().enumerate() {
                if takes(i, b) {
                    paid[k] += x[i];
                } else {
                    outside[k] += c[i];
                }
            }
        }
        let excess = |k: usize| (self.estate() - outside[k]).max(0.0) - paid[k];
        let branch_b = excess(1) > excess(0);
        let best = Some(Violation {
            members: (0..n).filter(|&i| takes(i, branch_b)).collect(),
            excess: excess(usize::from(branch_b)),
        });
        Ok(best)
    }
}
