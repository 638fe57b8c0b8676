//! Weighted nucleoli (per-capita, proportional, disruption) and the nucleolus for a
//! coalition structure, all solved by the engine of the parent module.

use super::weights::Weighting;
use crate::coalition::partition_masks;
use crate::coalition::Coalition;
use crate::error::{Error, Result};
use crate::game::Game;
use crate::solution::normal::accurate_sum;
use crate::solution::Allocation;

const STRUCTURED: &str = "the nucleolus for a coalition structure";

impl Game {
    fn weighted_nucleolus(&self, weighting: Weighting) -> Result<Allocation> {
        let s = self.solve_variant(true, None, weighting, &[], None, weighting.concept())?;
        Ok(s.nm.allocation(&s.y))
    }

    /// The per-capita nucleolus (Grotte 1970; H. P. Young, N. Okada and T. Hashimoto, "Cost
    /// allocation in water resources development", *Water Resources Research* 18, 1982): the
    /// imputation whose per-capita excesses `(v(S) - x(S)) / |S|`, sorted decreasingly, are
    /// lexicographically smallest. Cost games: `(x(S) - c(S)) / |S|`.
    ///
    /// Solved and verified as [`Game::nucleolus`] is, with each coalition's excess divided by
    /// its weight `|S|`: sequential LPs with rows `x(S) + |S| t >= v(S)`, an exact polish, and
    /// Kohlberg's criterion on the levels of the weighted excess (a positive weight per
    /// coalition changes neither the sign of `y(S)` nor balancedness, so the criterion holds
    /// unchanged). Covariant under scaling and under adding standalone amounts. Cost: as the
    /// nucleolus, plus two tables of `2^n` weights.
    ///
    /// # Example
    /// `v({1,2}) = 4`, `v(N) = 6`, every other coalition 0: the per-capita excesses of
    /// `{3}` and `{1,2}`, `-x_3` and `(x_3 - 2) / 2`, meet at `x_3 = 2/3` (the nucleolus,
    /// with plain excesses, gives `x_3 = 1`).
    /// ```
    /// use coalitional::Game;
    /// let g = Game::from_values(vec![0.0, 0.0, 0.0, 4.0, 0.0, 0.0, 0.0, 6.0]).unwrap();
    /// let x = g.per_capita_nucleolus().unwrap();
    /// assert!((x[2] - 2.0 / 3.0).abs() < 1e-9 && (x[0] - 8.0 / 3.0).abs() < 1e-9);
    /// ```
    pub fn per_capita_nucleolus(&self) -> Result<Allocation> {
        self.weighted_nucleolus(Weighting::PerCapita)
    }

    /// The proportional nucleolus (Young, Okada and Hashimoto 1982, "Cost allocation in water
    /// resources development"): the imputation whose relative excesses `(v(S) - x(S)) / v(S)`,
    /// sorted decreasingly, are lexicographically smallest. Cost games: `(x(S) - c(S)) /
    /// c(S)`, the share of its stand-alone cost a coalition pays above that cost (the
    /// convention of Young et al., who state it for costs).
    ///
    /// The weights are the worths (costs) of the game **as given**, not of its
    /// zero-normalised form: the concept is covariant under scaling but not under adding
    /// standalone amounts. Defined for games with `v(S) > 0` (cost games: `c(S) > 0`) on every
    /// nonempty coalition; otherwise [`Error::Undefined`] naming the coalition. Solved and
    /// verified as [`Game::per_capita_nucleolus`] is.
    ///
    /// # Example
    /// `v({i}) = 1`, `v({1,2}) = 4`, `v({1,3}) = v({2,3}) = 2`, `v(N) = 6`: the relative
    /// excesses of `{3}` and `{1,2}`, `1 - x_3` and `1 - (6 - x_3) / 4`, meet at
    /// `x_3 = 6/5`.
    /// ```
    /// use coalitional::Game;
    /// let g = Game::from_values(vec![0.0, 1.0, 1.0, 4.0, 1.0, 2.0, 2.0, 6.0]).unwrap();
    /// let x = g.proportional_nucleolus().unwrap();
    /// assert!((x[2] - 1.2).abs() < 1e-9 && (x[0] - 2.4).abs() < 1e-9);
    /// ```
    pub fn proportional_nucleolus(&self) -> Result<Allocation> {
        self.weighted_nucleolus(Weighting::Proportional)
    }

    /// The disruption nucleolus (S. C. Littlechild and K. G. Vaidya, "The propensity to
    /// disrupt and the disruption nucleolus of a characteristic function game", *Int. J. Game
    /// Theory* 5, 1976): the imputation that lexicographically minimises the largest
    /// propensities to disrupt
    /// `d(S, x) = (x(N \ S) - v(N \ S)) / (x(S) - v(S))`,
    /// what the rest lose if `S` leaves, per unit that `S` loses.
    ///
    /// **As a weighted nucleolus.** With `e(S, x) = v(S) - x(S)` and `x(N \ S) = v(N) - x(S)`,
    /// the numerator is `v(N) - v(S) - v(N \ S) + e(S, x)`, so
    /// `d(S, x) = -1 - w(S) / e(S, x)` with `w(S) = v(N) - v(S) - v(N \ S)`.
    /// Where every proper coalition gets more than its worth (`e < 0`) and `w > 0`, `d` is an
    /// increasing function of `e(S, x) / w(S)`, and the lexicographic minimisation of the
    /// propensities is that of the weighted excesses `e(S, x) / w(S)`. This function computes
    /// that weighted nucleolus over the imputations (the definition used wherever the
    /// propensities are not all defined, e.g. when the core is empty). `w(S) = w(N \ S)` is
    /// unchanged by adding standalone amounts, so it is read from the zero-normalised game;
    /// cost games: `w(S) = c(S) + c(N \ S) - c(N)` (the savings game's). When some proper
    /// coalition has `w(S) <= 0` (within the game's tolerance; for instance a dummy player,
    /// `v(N) = v({i}) + v(N \ {i})`), the propensity of `S` has no positive scale and the
    /// result is [`Error::Undefined`] naming `S`. Solved and verified as
    /// [`Game::per_capita_nucleolus`] is.
    ///
    /// # Example
    /// `v({i}) = 1`, `v({1,2}) = 4`, `v({1,3}) = v({2,3}) = 2`, `v(N) = 6`: the weights are 1
    /// for `{3}` and `{1,2}` and 3 for the others; the weighted excesses of `{1}`, `{2}`, `{3}`
    /// meet at `x = (16/7, 16/7, 10/7)`.
    /// ```
    /// use coalitional::Game;
    /// let g = Game::from_values(vec![0.0, 1.0, 1.0, 4.0, 1.0, 2.0, 2.0, 6.0]).unwrap();
    /// let x = g.disruption_nucleolus().unwrap();
    /// assert!((x[2] - 10.0 / 7.0).abs() < 1e-9 && (x[0] - 16.0 / 7.0).abs() < 1e-9);
    /// ```
    pub fn disruption_nucleolus(&self) -> Result<Allocation> {
        self.weighted_nucleolus(Weighting::Disruption)
    }

    /// The nucleolus for a coalition structure (R. J. Aumann and J. H. Drèze, "Cooperative
    /// games with coalition structures", *Int. J. Game Theory* 3, 1974): given a partition
    /// `blocks` of the players (player indices), the allocation with `x(B) = v(B)` for every
    /// block and `x_i >= v({i})` whose excesses `v(S) - x(S)` over all coalitions, sorted
    /// decreasingly, are lexicographically smallest. With the single block `N` it is the
    /// nucleolus; with all singletons, the standalone values.
    ///
    /// The blocks enter the engine of [`Game::nucleolus`] as equalities fixed from the start
    /// and Kohlberg's check starts from their span (the directions keep every `x(B)`).
    /// A block whose standalone values add up to its worth pins its members at them.
    /// [`Error::InvalidParameter`] (`blocks`) if the blocks do not partition the players;
    /// [`Error::Undefined`] naming a block whose standalone values add up to more than its
    /// worth (no such allocation). Cost: as the nucleolus.
    ///
    /// # Example
    /// Three players, `v({1,2}) = 4`, `v(N) = 6`: with the blocks `{1,2}`, `{3}`, the pair
    /// shares its 4 equally and player 3 keeps 0.
    /// ```
    /// use coalitional::Game;
    /// let g = Game::from_values(vec![0.0, 0.0, 0.0, 4.0, 0.0, 0.0, 0.0, 6.0]).unwrap();
    /// let x = g.structured_nucleolus(&[vec![0, 1], vec![2]]).unwrap();
    /// assert!((x[0] - 2.0).abs() < 1e-9 && x[2].abs() < 1e-9);
    /// ```
    pub fn structured_nucleolus(&self, blocks: &[Vec<usize>]) -> Result<Allocation> {
        let masks = partition_masks(self.players(), blocks, "blocks", "block")?;
        let n = self.n();
        let sign = self.benefit_sign();
        let tol = self.tolerance();
        let values = self.values();
        let mut fixed = Vec::with_capacity(n);
        // What the blocks share out: v(B), or the members' standalone values for a block whose
        // surplus is nil to the tolerance (its members are held there, so it shares out
        // exactly that, and v(N) must match).
        let mut shared = Vec::with_capacity(n);
        for &b in &masks {
            let members = Coalition::from_mask(b);
            let alone: Vec<f64> = members.members().map(|i| -values[1 << i]).collect();
            let surplus = sign * accurate_sum(alone.into_iter().chain([values[b as usize]]));
            if surplus < -tol {
                return Err(Error::Undefined {
                    concept: STRUCTURED,
                    reason: format!(
                        "the block {} cannot give each member its standalone value: they add up to more than its worth",
                        members.names(self.players())
                    ),
                });
            }
            if surplus <= tol {
                fixed.extend(members.members().map(|i| 1u64 << i));
                shared.extend(members.members().map(|i| values[1 << i]));
            } else {
                fixed.push(b);
                shared.push(values[b as usize]);
            }
        }
        // The game with v(N) = what the blocks share out (read as such, not written out): N's
        // excess is constant on the allowed set, so the order of the excesses is that of the
        // game as given.
        let grand = accurate_sum(shared);
        let s = self.solve_variant(
            true,
            None,
            Weighting::Plain,
            &fixed,
            Some(grand),
            STRUCTURED,
        )?;
        Ok(s.nm.allocation(&s.y))
    }

    /// [`Game::structured_nucleolus`] with the blocks given by player names.
    pub fn structured_nucleolus_by_name<S: AsRef<str>>(
        &self,
        blocks: &[Vec<S>],
    ) -> Result<Allocation> {
        let idx = blocks
            .iter()
            .map(|b| {
                b.iter()
                    .map(|name| self.player_index(name.as_ref()))
                    .collect::<Result<Vec<usize>>>()
            })
            .collect::<Result<Vec<_>>>()?;
        self.structured_nucleolus(&idx)
    }
}
