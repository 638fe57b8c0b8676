//! The prenucleolus and the nucleolus.
//!
//! The **nucleolus** (D. Schmeidler, "The nucleolus of a characteristic function game", *SIAM
//! J. Appl. Math.* 17, 1969) is the imputation (`x(N) = v(N)`, `x_i >= v({i})`) whose vector
//! of excesses `e(S, x) = v(S) - x(S)`, sorted in decreasing order, is lexicographically
//! smallest; the **prenucleolus** drops `x_i >= v({i})`. Both are single points; the nucleolus
//! lies in the core whenever the core is nonempty.
//!
//! **Method** (Maschler, Peleg and Shapley 1979, sequential LPs): stage `k` solves
//! `min t  s.t.  x(N) = v(N),  x(S) = v(S) - t_j for the coalitions fixed at earlier stages,
//! x(S) + t >= v(S) for the others` (and `x_i >= v({i})` for the nucleolus). Of the coalitions
//! tight at the optimum `t_k`, those whose excess cannot be lowered without raising `t` are
//! fixed at `t_k`: each tight coalition is tested by an LP that minimises its excess with
//! `t = t_k` (one such LP often clears many candidates at once). The fixed coalitions' indicator
//! vectors are kept as an orthonormal basis (nalgebra); coalitions in their span have constant
//! excess and leave the LP. A coalition is fixed at the excess the test LP's point attains, so
//! every later LP stays feasible whatever the solver's tolerance. The stages end when the span
//! is all of `R^n`; the point is then recomputed from the `n` independent equalities (LU), and
//! polished: the top coalitions are grouped by excess level and `x(S) + t_k = v(S)` is solved
//! for all of them by least squares (SVD), which recovers exact fractions (the Talmud cases to
//! 1e-12). The polished point is kept only if it passes the verification below. Every LP
//! holds only the coalitions that bind: constraint generation adds violated coalitions found
//! by a streaming pass over the `2^n` excesses.
//!
//! **Verification** (E. Kohlberg, "On the nucleolus of a characteristic function game", *SIAM
//! J. Appl. Math.* 20, 1971): `x` is the prenucleolus iff every collection
//! `D(a) = {S : e(S, x) >= a}` is balanced; it suffices to check the levels down to the first
//! where `D(a)` spans `R^n`. For the nucleolus the collections may add the singletons `{i}`
//! with `x_i = v({i})` with weight 0 (Kohlberg's weak balancedness). A failed check is an
//! [`Error::Solver`], never a number.

use nalgebra::{DMatrix, DVector};

use crate::coalition::Coalition;
use crate::error::{Error, Result};
use crate::game::Game;
use crate::lp::{LinearProgram, Sense};
use crate::solution::core::{indicator, most_violated_except};
use crate::solution::Allocation;
use std::collections::HashSet;

/// Largest collection whose balancedness is decided by an LP during verification.
const MAX_KOHLBERG_LP: usize = 4096;

/// Orthonormal basis of the span of fixed indicator vectors (and `1_N`).
struct Span {
    n: usize,
    basis: Vec<DVector<f64>>,
}

impl Span {
    fn new(n: usize) -> Self {
        Span {
            n,
            basis: Vec::new(),
        }
    }

    fn residual(&self, mask: u64) -> DVector<f64> {
        let mut r = DVector::from_fn(self.n, |i, _| f64::from(u8::from(mask >> i & 1 == 1)));
        for _ in 0..2 {
            for q in &self.basis {
                let d = q.dot(&r);
                r.axpy(-d, q, 1.0);
            }
        }
        r
    }

    fn contains(&self, mask: u64) -> bool {
        self.residual(mask).norm() < 1e-9
    }

    /// Adds the coalition; returns false if it was already in the span.
    fn add(&mut self, mask: u64) -> bool {
        let r = self.residual(mask);
        let norm = r.norm();
        if norm < 1e-9 {
            return false;
        }
        self.basis.push(r / norm);
        true
    }

    fn rank(&self) -> usize {
        self.basis.len()
    }
}

/// The state of the sequential LPs, on the value view `sign * v`.
struct Stages<'a> {
    game: &'a Game,
    sign: f64,
    n: usize,
    imputation: bool,
    tol: f64,
    /// Fixed coalitions and their excess levels.
    fixed: Vec<(u64, f64)>,
    span: Span,
    /// Coalitions in the span of the fixed ones (constant excess), skipped by the scans.
    implicit: HashSet<u64>,
    /// Coalition rows of the LP (not fixed, not implicit).
    active: HashSet<u64>,
    concept: &'static str,
}

impl Stages<'_> {
    fn v(&self, mask: u64) -> f64 {
        self.sign * self.game.value(Coalition::from_mask(mask))
    }

    /// Builds the stage LP: `t` is variable `n`, fixed to `t_fixed` if given.
    fn program(&self, objective: Vec<f64>, t_fixed: Option<f64>) -> LinearProgram {
        let n = self.n;
        let mut lp = LinearProgram::minimise(objective);
        lp.add_row(
            (0..n).map(|i| (i, 1.0)).collect(),
            Sense::Eq,
            self.sign * self.game.grand_value(),
        );
        // Fixed coalitions keep their excess within a band of a few tolerances rather than an
        // exact equality: levels carry the LP's rounding, and exact equalities can make a later
        // LP infeasible by 1e-9 in degenerate ties.
        let band = 10.0 * self.tol;
        for &(mask, level) in &self.fixed {
            let target = self.v(mask) - level;
            lp.add_row(indicator(mask, None), Sense::Ge, target - band);
            let negated = indicator(mask, None)
                .into_iter()
                .map(|(i, a)| (i, -a))
                .collect();
            lp.add_row(negated, Sense::Ge, -(target + band));
        }
        if self.imputation {
            for i in 0..n {
                lp.add_row(vec![(i, 1.0)], Sense::Ge, self.v(1 << i));
            }
        }
        if let Some(t) = t_fixed {
            lp.add_row(vec![(n, 1.0)], Sense::Eq, t);
        }
        let mut rows: Vec<u64> = self.active.iter().copied().collect();
        rows.sort_unstable();
        for mask in rows {
            lp.add_row(indicator(mask, Some(n)), Sense::Ge, self.v(mask));
        }
        lp
    }

    /// Solves with constraint generation; returns `(x, t)`.
    fn solve(&mut self, objective: &[f64], t_fixed: Option<f64>) -> Result<(Vec<f64>, f64)> {
        let n = self.n;
        let full = (1u64 << n) - 1;
        for _ in 0..1000 {
            let sol = self
                .program(objective.to_vec(), t_fixed)
                .solve(self.concept)?;
            let (x, t) = (sol[..n].to_vec(), sol[n]);
            let mut skip: HashSet<u64> = self.implicit.clone();
            skip.extend(self.active.iter().copied());
            skip.extend(self.fixed.iter().map(|f| f.0));
            let (_, violated) = most_violated_except(
                self.game.values(),
                self.sign,
                &x,
                false,
                t + self.tol,
                (4 * n).max(32),
                Some(&skip),
            );
            let mut added = 0;
            for (_, mask) in violated {
                if mask == full {
                    continue;
                }
                if self.span.contains(mask) {
                    self.implicit.insert(mask);
                } else {
                    self.active.insert(mask);
                    added += 1;
                }
            }
            if added == 0 {
                return Ok((x, t));
            }
        }
        Err(Error::Solver {
            concept: self.concept,
            reason: "constraint generation did not settle".into(),
        })
    }

    fn fix(&mut self, mask: u64, level: f64) {
        self.active.remove(&mask);
        if self.span.add(mask) {
            self.fixed.push((mask, level));
        } else {
            self.implicit.insert(mask);
        }
        let now_implicit: Vec<u64> = self
            .active
            .iter()
            .copied()
            .filter(|&m| self.span.contains(m))
            .collect();
        for m in now_implicit {
            self.active.remove(&m);
            self.implicit.insert(m);
        }
    }

    /// Runs the stages; returns the point.
    fn run(&mut self) -> Result<Vec<f64>> {
        let n = self.n;
        let full = (1u64 << n) - 1;
        self.span.add(full);
        for i in 0..n {
            self.active.insert(1 << i);
            if n > 2 {
                self.active.insert(full & !(1 << i));
            }
        }
        self.active.remove(&full);
        let mut t_objective = vec![0.0; n + 1];
        t_objective[n] = 1.0;
        while self.span.rank() < n {
            let (x, t) = self.solve(&t_objective, None)?;
            // Candidates: coalitions (not fixed, not implicit) tight at the optimum.
            let mut skip: HashSet<u64> = self.implicit.clone();
            skip.extend(self.fixed.iter().map(|f| f.0));
            skip.insert(full);
            let (_, tight) = most_violated_except(
                self.game.values(),
                self.sign,
                &x,
                false,
                t - 1e3 * self.tol,
                4096,
                Some(&skip),
            );
            let mut candidates: Vec<u64> = tight.into_iter().map(|(_, m)| m).collect();
            let mut fixed_any = false;
            while let Some(mask) = candidates.pop() {
                if self.span.contains(mask) {
                    self.active.remove(&mask);
                    self.implicit.insert(mask);
                    continue;
                }
                // Can the excess of `mask` go below t while no other excess exceeds t?
                self.active.insert(mask);
                let mut objective = vec![0.0; n + 1];
                for i in Coalition::from_mask(mask).members() {
                    objective[i] = -1.0;
                }
                // A hair above t: the LP returned t only to its own tolerance.
                let (y, _) = self.solve(&objective, Some(t + self.tol))?;
                let excess = |m: u64| {
                    self.v(m) - Coalition::from_mask(m).members().map(|i| y[i]).sum::<f64>()
                };
                let level = excess(mask);
                if level < t - 1e3 * self.tol {
                    candidates.retain(|&m| excess(m) >= t - 1e3 * self.tol);
                } else {
                    // Fix at the excess the point y attains, so that y stays feasible for the
                    // next LP whatever the solver's tolerance did to t.
                    self.fix(mask, level);
                    fixed_any = true;
                }
            }
            if !fixed_any {
                return Err(Error::Solver {
                    concept: self.concept,
                    reason: format!("no coalition could be fixed at excess level {t}"),
                });
            }
        }
        // Polish: solve the n independent equalities x(S) = v(S) - level (and x(N) = v(N)).
        let mut rows: Vec<(u64, f64)> = vec![(full, self.sign * self.game.grand_value())];
        rows.extend(self.fixed.iter().map(|&(m, level)| (m, self.v(m) - level)));
        let a = DMatrix::from_fn(n, n, |r, c| f64::from(u8::from(rows[r].0 >> c & 1 == 1)));
        let b = DVector::from_fn(n, |r, _| rows[r].1);
        let x = a.lu().solve(&b).ok_or_else(|| Error::Solver {
            concept: self.concept,
            reason: "the fixed coalitions do not determine a single point".into(),
        })?;
        Ok(x.iter().copied().collect())
    }
}

/// Is the collection balanced: positive weights (zero allowed on `optional`) with
/// `sum_S w_S 1_S = 1_N`?
fn is_balanced(n: usize, collection: &[u64], optional: &[u64]) -> Result<bool> {
    let full = (1u64 << n) - 1;
    let all: HashSet<u64> = collection.iter().chain(optional).copied().collect();
    // Quick sufficient test: each S lies in a balanced partition drawn from the collection
    // ({S, N \ S} or S with the singletons of N \ S); a union of balanced collections is
    // balanced.
    let covered = |s: u64| {
        let rest = full & !s;
        all.contains(&rest)
            || Coalition::from_mask(rest)
                .members()
                .all(|j| all.contains(&(1 << j)))
    };
    if collection.iter().all(|&s| covered(s)) {
        return Ok(true);
    }
    if collection.len() + optional.len() > MAX_KOHLBERG_LP {
        return Err(Error::Solver {
            concept: "the nucleolus check",
            reason: format!(
                "a collection of {} coalitions is too large to check for balancedness",
                collection.len() + optional.len()
            ),
        });
    }
    // LP: w_S >= 1 on the collection, >= 0 on the optional ones, sum_S w_S 1_S = c 1_N.
    let cols: Vec<u64> = collection.iter().chain(optional).copied().collect();
    let c = cols.len();
    let mut lp = LinearProgram::minimise(vec![0.0; c + 1]);
    for i in 0..n {
        let mut row: Vec<(usize, f64)> = cols
            .iter()
            .enumerate()
            .filter(|(_, &m)| m >> i & 1 == 1)
            .map(|(k, _)| (k, 1.0))
            .collect();
        row.push((c, -1.0));
        lp.add_row(row, Sense::Eq, 0.0);
    }
    for k in 0..c {
        let floor = if k < collection.len() { 1.0 } else { 0.0 };
        lp.add_row(vec![(k, 1.0)], Sense::Ge, floor);
    }
    match lp.solve("the nucleolus check") {
        Ok(_) => Ok(true),
        Err(Error::Solver { reason, .. }) if reason.contains("infeasible") => Ok(false),
        Err(e) => Err(e),
    }
}

/// The highest excess level of `x` among the coalitions not in `seen` (proper, nonempty), and
/// the coalitions within `tol` below it (at most `limit`), which are added to `seen`. `None`
/// when every coalition has been seen.
fn next_band(
    game: &Game,
    sign: f64,
    x: &[f64],
    seen: &mut HashSet<u64>,
    tol: f64,
    limit: usize,
) -> Option<(f64, Vec<u64>)> {
    let values = game.values();
    let (_, top) = most_violated_except(values, sign, x, false, f64::NEG_INFINITY, 1, Some(seen));
    let &(level, _) = top.first()?;
    let (_, band) = most_violated_except(values, sign, x, false, level - tol, limit, Some(seen));
    let band: Vec<u64> = band.into_iter().map(|(_, m)| m).collect();
    seen.extend(band.iter().copied());
    Some((level, band))
}

/// Polishes an approximate (pre)nucleolus to machine precision: groups the top coalitions by
/// excess level (until they span `R^n`), then solves `x(S) + t_k = v(S)` for every `S` in
/// level `k`, `x(N) = v(N)` (and `x_i = v({i})` where the imputation bound binds) by least
/// squares. Returns `None` when the system does not determine `x` uniquely or does not fit.
fn polish(game: &Game, sign: f64, x: &[f64], imputation: bool, tol: f64) -> Option<Vec<f64>> {
    let n = x.len();
    let full = (1u64 << n) - 1;
    let mut span = Span::new(n);
    span.add(full);
    let mut eqs: Vec<(u64, Option<usize>, f64)> = vec![(full, None, sign * game.grand_value())];
    if imputation {
        for (i, &xi) in x.iter().enumerate() {
            let vi = sign * game.value(Coalition::singleton(i));
            if xi <= vi + tol {
                eqs.push((1 << i, None, vi));
                span.add(1 << i);
            }
        }
    }
    let mut seen: HashSet<u64> = HashSet::new();
    let mut levels = 0;
    while span.rank() < n {
        let (_, band) = next_band(game, sign, x, &mut seen, tol, 4096)?;
        if band.len() >= 4096 {
            return None;
        }
        for m in band {
            span.add(m);
            eqs.push((m, Some(levels), sign * game.value(Coalition::from_mask(m))));
        }
        levels += 1;
    }
    let cols = n + levels;
    let a = DMatrix::from_fn(eqs.len(), cols, |r, c| {
        let (m, k, _) = eqs[r];
        if c < n {
            f64::from(u8::from(m >> c & 1 == 1))
        } else if k == Some(c - n) {
            1.0
        } else {
            0.0
        }
    });
    let b = DVector::from_fn(eqs.len(), |r, _| eqs[r].2);
    let svd = a.clone().svd(true, true);
    let smallest = svd
        .singular_values
        .iter()
        .copied()
        .fold(f64::INFINITY, f64::min);
    if eqs.len() < cols || smallest < 1e-9 {
        return None;
    }
    let sol = svd.solve(&b, 1e-12).ok()?;
    let residual = (&a * &sol - &b).amax();
    let polished: Vec<f64> = sol.iter().take(n).copied().collect();
    let moved = polished
        .iter()
        .zip(x)
        .fold(0.0f64, |m, (p, q)| m.max((p - q).abs()));
    (residual <= tol && moved <= 1e3 * tol).then_some(polished)
}

impl Game {
    fn nucleolus_impl(&self, imputation: bool) -> Result<Allocation> {
        let concept = if imputation {
            "the nucleolus"
        } else {
            "the prenucleolus"
        };
        let n = self.n();
        let sign = self.benefit_sign();
        let standalone: f64 = (0..n)
            .map(|i| sign * self.value(Coalition::singleton(i)))
            .sum();
        let vn = sign * self.grand_value();
        if imputation && standalone > vn + self.property_tolerance() {
            return Err(Error::Undefined {
                concept,
                reason: format!(
                    "there is no imputation: the players' standalone values add up to {} but v(N) = {}",
                    sign * standalone,
                    self.grand_value()
                ),
            });
        }
        let x = if n == 1 {
            vec![vn]
        } else {
            let mut stages = Stages {
                game: self,
                sign,
                n,
                imputation,
                tol: self.property_tolerance(),
                fixed: Vec::new(),
                span: Span::new(n),
                implicit: HashSet::new(),
                active: HashSet::new(),
                concept,
            };
            let rough = stages.run()?;
            // Polish when the levels separate cleanly; keep whichever point passes Kohlberg.
            let tol = 1e2 * self.property_tolerance();
            match polish(self, sign, &rough, imputation, tol) {
                Some(p) if self.kohlberg_check(&p, sign, imputation, concept).is_ok() => p,
                _ => {
                    self.kohlberg_check(&rough, sign, imputation, concept)?;
                    rough
                }
            }
        };
        let shares = x.iter().map(|xi| sign * xi).collect();
        Ok(Allocation::from_parts(self.players(), shares, self.kind()))
    }

    /// Kohlberg's criterion on the value view; an error if `x` fails it.
    fn kohlberg_check(
        &self,
        x: &[f64],
        sign: f64,
        imputation: bool,
        concept: &'static str,
    ) -> Result<()> {
        let n = x.len();
        let tol = 1e3 * self.property_tolerance();
        let fail = |reason: String| Error::Solver { concept, reason };
        if (x.iter().sum::<f64>() - sign * self.grand_value()).abs() > tol {
            return Err(fail("the point found is not efficient".into()));
        }
        let optional: Vec<u64> = if imputation {
            let mut b0 = Vec::new();
            for (i, &xi) in x.iter().enumerate() {
                let vi = sign * self.value(Coalition::singleton(i));
                if xi < vi - tol {
                    return Err(fail(format!(
                        "player {} gets less than alone",
                        self.players()[i]
                    )));
                }
                if xi <= vi + tol {
                    b0.push(1u64 << i);
                }
            }
            b0
        } else {
            Vec::new()
        };
        let mut span = Span::new(n);
        span.add((1u64 << n) - 1);
        for &m in &optional {
            span.add(m);
        }
        let mut level = f64::INFINITY;
        let mut collection: Vec<u64> = Vec::new();
        let mut seen: HashSet<u64> = HashSet::new();
        while span.rank() < n {
            // The next excess level below `level` and every coalition at or above it.
            let Some((next, band)) = next_band(self, sign, x, &mut seen, tol, MAX_KOHLBERG_LP * 4)
            else {
                break;
            };
            if next >= level {
                return Err(fail("excess levels did not decrease".into()));
            }
            level = next;
            for m in band {
                collection.push(m);
                span.add(m);
            }
            if !is_balanced(n, &collection, &optional)? {
                return Err(fail(format!(
                    "Kohlberg's criterion fails: the coalitions with excess >= {} are not balanced",
                    sign * level
                )));
            }
        }
        Ok(())
    }

    /// The prenucleolus (Schmeidler 1969 without individual rationality): the efficient
    /// allocation whose decreasingly sorted excesses `v(S) - x(S)` are lexicographically
    /// smallest. For cost games, the excesses are `x(S) - c(S)`.
    ///
    /// Sequential LPs with constraint generation, polished by an exact linear solve and
    /// verified by Kohlberg's criterion (see the module docs). Cost: a few small LPs per
    /// stage, each with a streaming pass over the `2^n` values.
    pub fn prenucleolus(&self) -> Result<Allocation> {
        self.nucleolus_impl(false)
    }

    /// The nucleolus (Schmeidler 1969): the imputation whose decreasingly sorted excesses
    /// `v(S) - x(S)` are lexicographically smallest. It lies in the core when the core is
    /// nonempty. Fails with [`Error::Undefined`] when there is no imputation
    /// (`v(N) < sum v({i})`).
    ///
    /// # Example
    /// The Talmud division of an estate of 200 among claims 100, 200, 300 is (50, 75, 75), the
    /// nucleolus of the bankruptcy game (Aumann and Maschler 1985).
    /// ```
    /// use coalitional::Game;
    /// let claims = [100.0, 200.0, 300.0];
    /// let g = Game::from_fn(vec!["a".into(), "b".into(), "c".into()], |s| {
    ///     let outside: f64 = (0..3).filter(|&i| !s.contains(i)).map(|i| claims[i]).sum();
    ///     (200.0 - outside).max(0.0)
    /// }).unwrap();
    /// let nu = g.nucleolus().unwrap();
    /// assert!((nu["a"] - 50.0).abs() < 1e-9 && (nu["b"] - 75.0).abs() < 1e-9);
    /// ```
    pub fn nucleolus(&self) -> Result<Allocation> {
        self.nucleolus_impl(true)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn majority() -> Game {
        Game::from_fn(vec!["A".into(), "B".into(), "C".into()], |s| {
            if s.len() >= 2 {
                1.0
            } else {
                0.0
            }
        })
        .unwrap()
    }

    #[test]
    fn kohlberg_accepts_the_nucleolus_and_rejects_other_points() {
        let g = majority();
        let third = 1.0 / 3.0;
        assert!(g
            .kohlberg_check(&[third, third, third], 1.0, false, "t")
            .is_ok());
        let err = g
            .kohlberg_check(&[0.5, 0.5, 0.0], 1.0, false, "t")
            .unwrap_err();
        assert!(err.to_string().contains("Kohlberg"), "{err}");
        let err = g
            .kohlberg_check(&[0.5, 0.6, 0.0], 1.0, false, "t")
            .unwrap_err();
        assert!(err.to_string().contains("efficient"), "{err}");
    }

    #[test]
    fn balancedness() {
        // {A, B}, {C} is a partition: balanced; {A, B}, {B, C} alone is not.
        assert!(is_balanced(3, &[0b011, 0b100], &[]).unwrap());
        assert!(!is_balanced(3, &[0b011, 0b110], &[]).unwrap());
        // The three pairs: weights 1/2 each.
        assert!(is_balanced(3, &[0b011, 0b110, 0b101], &[]).unwrap());
        // {A, B} with optional {C}: weakly balanced.
        assert!(is_balanced(3, &[0b011], &[0b100]).unwrap());
    }
}
