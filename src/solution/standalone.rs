//! Rules that start from what each player has alone: the proportional rule and equal surplus
//! division.
//!
//! Both read only the standalone values `v({i})` and the worth of the grand coalition `v(N)`,
//! so they cost `O(n)` and never build or scan the `2^n` values. Both are computed from the
//! surplus of cooperation `s = v(N) - sum_i v({i})` (cost games: the savings
//! `sum_i c({i}) - c(N)`), formed in double-double arithmetic by the zero-normalisation
//! (see `solution::normal`, [`Game::spread`]): a surplus of a few units on budgets of `10^9` is exact.
//!
//! - **Proportional rule**: `x_i = v(N) v({i}) / sum_j v({j})`, i.e.
//!   `x_i = v({i}) + s v({i}) / sum_j v({j})` (cost games: cost shares proportional to the
//!   standalone costs, `x_i = c(N) c({i}) / sum_j c({j})`, each saving the same fraction of
//!   its standalone cost). The oldest division rule for claims (H. Moulin, "Axiomatic cost and
//!   surplus sharing", *Handbook of Social Choice and Welfare* 1, 2002, ch. 6; W. Thomson,
//!   "Axiomatic and game-theoretic analysis of bankruptcy and taxation problems: a survey",
//!   *Mathematical Social Sciences* 45, 2003). It is covariant under rescaling (`c v` gives
//!   `c x`) but not under adding standalone amounts, and it is **undefined**
//!   ([`Error::Undefined`]) when the standalone values are all zero (nothing to be
//!   proportional to) or have mixed signs (a player with a negative standalone value would
//!   get a share of the opposite sign to the surplus: a proportion of a total that is not a
//!   sum of like quantities). Zeros next to values of one sign are fine: those players get 0.
//! - **Equal surplus division** (the CIS value; T. Driessen and Y. Funaki, "Coincidence of and
//!   collinearity between game theoretic solutions", *OR Spektrum* 13, 1991, pp. 15-30):
//!   `x_i = v({i}) + s / n`, each player keeps its standalone value and the surplus is split
//!   equally (cost games: `x_i = c({i}) - s / n`, the savings split equally). Always defined;
//!   covariant under rescaling and under adding standalone amounts (strategic equivalence).

use crate::error::{Error, Result};
use crate::game::Game;
use crate::solution::normal::accurate_sum;
use crate::solution::{finite, Allocation};

impl Game {
    /// The proportional rule: shares of `v(N)` proportional to the standalone values `v({i})`
    /// (cost games: cost shares proportional to `c({i})`); see the [module
    /// docs](crate::solution::standalone) for the formula and sources.
    ///
    /// Fails with [`Error::Undefined`] when every `v({i})` is zero or when they have mixed
    /// signs. Cost: `O(n)`.
    ///
    /// # Example
    /// Standalone values 1, 2 and 3 and `v(N) = 12`: the shares are 2, 4 and 6.
    /// ```
    /// use coalitional::Game;
    /// let g = Game::from_fn(vec!["A".into(), "B".into(), "C".into()], |s| {
    ///     if s.len() == 3 { 12.0 } else { s.members().map(|i| (i + 1) as f64).sum() }
    /// }).unwrap();
    /// assert_eq!(g.proportional().unwrap().values(), &[2.0, 4.0, 6.0]);
    /// ```
    pub fn proportional(&self) -> Result<Allocation> {
        const CONCEPT: &str = "the proportional rule";
        let n = self.n();
        let alone: Vec<f64> = (0..n).map(|i| self.values()[1 << i]).collect();
        let positive = alone.iter().any(|&v| v > 0.0);
        let negative = alone.iter().any(|&v| v < 0.0);
        if positive && negative {
            let (p, q) = (
                alone.iter().position(|&v| v > 0.0).unwrap_or(0),
                alone.iter().position(|&v| v < 0.0).unwrap_or(0),
            );
            return Err(Error::Undefined {
                concept: CONCEPT,
                reason: format!(
                    "the standalone values have mixed signs ({} has {}, {} has {}), so shares \
                     proportional to them are not shares of one total",
                    self.players()[p],
                    alone[p],
                    self.players()[q],
                    alone[q]
                ),
            });
        }
        if !positive && !negative {
            return Err(Error::Undefined {
                concept: CONCEPT,
                reason: "every standalone value is 0, so there is nothing to be proportional to"
                    .to_string(),
            });
        }
        let shift = self.shift();
        let surplus = shift.grand(self.grand_value());
        // b_i / B with b = sign factor v({i}): one sign, so the ratios are in [0, 1] and sum
        // to 1; the surplus is split by them, each player keeping its standalone value.
        let total = accurate_sum(shift.b.iter().copied());
        let y: Vec<f64> = shift.b.iter().map(|b| surplus * (b / total)).collect();
        finite(
            CONCEPT,
            Allocation::from_parts(self.players(), shift.lift(&y), self.kind()),
        )
    }

    /// Equal surplus division: each player gets its standalone value `v({i})` plus an equal
    /// share of the surplus `v(N) - sum_j v({j})` (cost games: its standalone cost minus an
    /// equal share of the savings); see the [module docs](crate::solution::standalone).
    ///
    /// Cost: `O(n)`. Errors only when a share exceeds the largest float.
    ///
    /// # Example
    /// ```
    /// use coalitional::Game;
    /// // Standalone 1e9, 2e9; together 3e9 + 3: each keeps its own and gains 1.5.
    /// let g = Game::from_values(vec![0.0, 1e9, 2e9, 3e9 + 3.0]).unwrap();
    /// assert_eq!(g.equal_surplus().unwrap().values(), &[1e9 + 1.5, 2e9 + 1.5]);
    /// ```
    pub fn equal_surplus(&self) -> Result<Allocation> {
        let shift = self.shift();
        let share = shift.grand(self.grand_value()) / self.n() as f64;
        let y = vec![share; self.n()];
        finite(
            "equal surplus division",
            Allocation::from_parts(self.players(), shift.lift(&y), self.kind()),
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::game::Kind;

    fn names(n: usize) -> Vec<String> {
        (0..n).map(|i| format!("p{i}")).collect()
    }

    /// A game with standalone values `alone`, surplus `s` on the grand coalition and
    /// arbitrary (superadditive) values in between.
    fn game(alone: &[f64], s: f64, kind: Kind) -> Game {
        let n = alone.len();
        let sign = if kind == Kind::Cost { -1.0 } else { 1.0 };
        let all = (1usize << n) - 1;
        let v = (0..1usize << n)
            .map(|m| {
                let base: f64 = (0..n).filter(|i| m >> i & 1 == 1).map(|i| alone[i]).sum();
                let k = m.count_ones() as f64;
                let extra = if m == all {
                    s
                } else {
                    s * (k - 1.0).max(0.0) / n as f64
                };
                base + sign * extra
            })
            .collect();
        Game::with_kind(names(n), v, kind).unwrap()
    }

    fn close(a: &[f64], b: &[f64], tol: f64) -> bool {
        a.len() == b.len() && a.iter().zip(b).all(|(x, y)| (x - y).abs() <= tol)
    }

    #[test]
    fn closed_forms() {
        let g = game(&[1.0, 2.0, 5.0], 4.0, Kind::Value);
        // v(N) = 12: proportional 12 * (1, 2, 5) / 8; equal surplus (1, 2, 5) + 4/3.
        let p = g.proportional().unwrap();
        assert!(close(p.values(), &[1.5, 3.0, 7.5], 1e-12), "{p:?}");
        let e = g.equal_surplus().unwrap();
        let third = 4.0 / 3.0;
        assert!(close(
            e.values(),
            &[1.0 + third, 2.0 + third, 5.0 + third],
            1e-12
        ));
        // Cost game: costs (10, 20, 30), c(N) = 48, savings 12.
        let c = game(&[10.0, 20.0, 30.0], 12.0, Kind::Cost);
        assert_eq!(c.grand_value(), 48.0);
        let p = c.proportional().unwrap();
        assert!(close(p.values(), &[8.0, 16.0, 24.0], 1e-12), "{p:?}");
        let e = c.equal_surplus().unwrap();
        assert!(close(e.values(), &[6.0, 16.0, 26.0], 1e-12), "{e:?}");
        assert_eq!(e.kind(), Kind::Cost);
    }

    #[test]
    fn efficient() {
        for kind in [Kind::Value, Kind::Cost] {
            let g = game(&[3.0, 0.0, 7.5, 1.25], 2.5, kind);
            for x in [g.proportional().unwrap(), g.equal_surplus().unwrap()] {
                assert!((x.total() - g.grand_value()).abs() < 1e-12, "{x:?}");
            }
            // A player with nothing alone gets nothing proportionally.
            assert_eq!(g.proportional().unwrap()[1], 0.0);
        }
    }

    #[test]
    fn undefined_cases_are_typed() {
        let zero = game(&[0.0, 0.0], 5.0, Kind::Value);
        let mixed = game(&[-1.0, 2.0], 5.0, Kind::Value);
        for g in [zero, mixed] {
            match g.proportional() {
                Err(Error::Undefined { concept, .. }) => {
                    assert_eq!(concept, "the proportional rule")
                }
                other => panic!("{other:?}"),
            }
            assert!(g.equal_surplus().is_ok());
        }
        // All negative standalone values are one sign: defined.
        let losses = game(&[-1.0, -3.0], 2.0, Kind::Value);
        let p = losses.proportional().unwrap();
        assert!(close(p.values(), &[-0.5, -1.5], 1e-12), "{p:?}");
    }

    #[test]
    fn exact_with_large_budgets_and_small_surplus() {
        // Budgets of 1e9 and a surplus of 3: the surplus is not lost in the budgets.
        let g = Game::from_values(vec![0.0, 1e9, 2e9, 3e9 + 3.0]).unwrap();
        assert_eq!(g.equal_surplus().unwrap().values(), &[1e9 + 1.5, 2e9 + 1.5]);
        assert_eq!(g.proportional().unwrap().values(), &[1e9 + 1.0, 2e9 + 2.0]);
        let c = Game::with_kind(names(2), vec![0.0, 1e9, 2e9, 3e9 - 3.0], Kind::Cost).unwrap();
        assert_eq!(c.equal_surplus().unwrap().values(), &[1e9 - 1.5, 2e9 - 1.5]);
        assert_eq!(c.proportional().unwrap().values(), &[1e9 - 1.0, 2e9 - 2.0]);
    }

    #[test]
    fn covariant_under_scaling_and_shifting() {
        let alone = [2.0, 3.0, 5.0, 1.0];
        for kind in [Kind::Value, Kind::Cost] {
            let g = game(&alone, 6.0, kind);
            let (p0, e0) = (g.proportional().unwrap(), g.equal_surplus().unwrap());
            for c in [1e-6, 1e-3, 1.0, 7.5, 1e4, 1e9] {
                let scaled =
                    Game::with_kind(names(4), g.values().iter().map(|v| c * v).collect(), kind)
                        .unwrap();
                let tol = 1e-13 * c * 16.0;
                let want = |x: &Allocation| x.values().iter().map(|v| c * v).collect::<Vec<_>>();
                assert!(close(
                    scaled.proportional().unwrap().values(),
                    &want(&p0),
                    tol
                ));
                assert!(close(
                    scaled.equal_surplus().unwrap().values(),
                    &want(&e0),
                    tol
                ));
            }
            // Shifting by standalone amounts a_i (up to 1e9) shifts equal surplus by a.
            for a in [[1.0, -2.0, 3.0, 0.5], [1e9, 2e9, -1e9, 5e8]] {
                let shifted = Game::with_kind(
                    names(4),
                    (0..16usize)
                        .map(|m| {
                            g.values()[m]
                                + (0..4)
                                    .filter(|i| m >> i & 1 == 1)
                                    .map(|i| a[i])
                                    .sum::<f64>()
                        })
                        .collect(),
                    kind,
                )
                .unwrap();
                let e = shifted.equal_surplus().unwrap();
                let want: Vec<f64> = e0.values().iter().zip(a).map(|(x, ai)| x + ai).collect();
                // Exact to the rounding of numbers of size 1e9 (one ulp is 2.4e-7 there).
                assert!(close(e.values(), &want, 1e-6), "{e:?} vs {want:?}");
            }
        }
    }

    #[test]
    fn proportional_is_scale_covariant_at_budget_scale() {
        // Budgets of 1e9 with a surplus of 3, scaled down to 1e-6 of that.
        let alone = [1e9, 2e9, 4e9];
        let g = game(&alone, 3.0, Kind::Value);
        let p = g.proportional().unwrap();
        let want = [1e9 + 3.0 / 7.0, 2e9 + 6.0 / 7.0, 4e9 + 12.0 / 7.0];
        assert!(close(p.values(), &want, 1e-6), "{p:?}");
        let small = Game::new(names(3), g.values().iter().map(|v| v * 1e-6).collect()).unwrap();
        let q = small.proportional().unwrap();
        for (x, y) in q.values().iter().zip(&want) {
            assert!((x - y * 1e-6).abs() <= 1e-12, "{x} vs {}", y * 1e-6);
        }
    }
}
