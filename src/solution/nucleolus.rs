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
//! x(S) + t >= v(S) for the others` (and `x_i >= v({i})` for the nucleolus). The coalitions to
//! fix at `t_k` are those whose excess is `t_k` on the whole optimal face; by complementary
//! slackness every row with a positive dual value at the optimum is one of them, and the dual
//! values satisfy `sum y_S = 1` over the coalition rows, so each stage fixes at least one
//! coalition outside the span of the earlier ones (the "positive dual" rule; see M. Benedek,
//! J. Fliege and T.-D. Nguyen, "Finding and verifying the nucleolus of cooperative games",
//! *Math. Program.* 190, 2021, for this and other fixing rules). The LPs are solved by the
//! row simplex of `lp::rows` (a dual simplex), which gives the duals and keeps its basis while
//! constraint generation adds rows. The fixed
//! coalitions' indicator vectors are kept as an orthonormal basis (nalgebra); coalitions in
//! their span have constant excess and leave the LP. A coalition is fixed at the excess the
//! stage's point attains, so that point stays feasible for the next stage whatever the
//! rounding. The stages end when the span is all of `R^n` (at most `n - 1` stages); the point is
//! recomputed from the `n` independent equalities (LU) and polished: the top levels that raise
//! the rank are solved for `x(S) + t_k = v(S)` by least squares (SVD), which recovers exact
//! fractions (the Talmud cases to 1e-12). The polished point is kept only if it passes the
//! verification below. Every LP holds only the coalitions that bind: constraint generation
//! adds violated coalitions found by a streaming pass over the `2^n` excesses, and between
//! stages only the rows with the highest excess are carried over.
//!
//! **Verification** (E. Kohlberg, "On the nucleolus of a characteristic function game", *SIAM
//! J. Appl. Math.* 20, 1971): `x` is the prenucleolus iff every collection
//! `D(a) = {S : e(S, x) >= a}` is balanced. The levels are walked from the top until they
//! span `R^n` by themselves; a level whose members all lie in the span of the levels above
//! stays balanced if they were (property I below), so an LP is solved only at the at most
//! `n - 1` levels that raise the rank. For the nucleolus the collections may add the
//! singletons `{i}` with `x_i = v({i})` with weight 0 (Kohlberg's weak balancedness); those do
//! not count towards the span. A failed check is an [`Error::Solver`], never a number.
//!
//! **Cancellation** (see `crate::cancel`): every stage round, simplex iteration, excess scan,
//! step of the Kohlberg walk and of the polish checks, so a cancelled computation returns
//! [`Error::Interrupted`] within a fraction of a second.

use nalgebra::{DMatrix, DVector};

use crate::cancel;
use crate::coalition::Coalition;
use crate::error::{Error, Result};
use crate::game::Game;
use crate::lp::rows::{RowLp, RowLpError};
use crate::lp::{LinearProgram, Sense};
use crate::solution::core::{indicator, most_violated_except};
use crate::solution::normal::{accurate_sum, rounding};
use crate::solution::Allocation;
use std::collections::{HashMap, HashSet};

/// Largest excess level (in coalitions) that the verification walks through.
const MAX_KOHLBERG_BAND: usize = 1 << 21;
/// Largest reduced collection whose balancedness is decided by the weights LP (good_lp);
/// larger ones go to the row simplex.
const WEIGHTS_LP_MAX: usize = 256;
/// Coalitions fetched per scan when walking down the excess levels.
const LEVEL_BATCH: usize = 4096;
/// Coalition rows per player carried from one stage to the next.
const POOL_PER_PLAYER: usize = 64;
/// Rounds of constraint generation per stage before giving up.
const MAX_ROUNDS: usize = 500;
/// Dual values above this mark a row as binding on the whole optimal face.
const DUAL_TOL: f64 = 1e-10;

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
    /// The box of the LPs (see `RowLp::new`).
    lp_box: f64,
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

    fn excess(&self, mask: u64, x: &[f64]) -> f64 {
        self.v(mask)
            - Coalition::from_mask(mask)
                .members()
                .map(|i| x[i])
                .sum::<f64>()
    }

    /// One stage: `min t` subject to `x(N) = v(N)`, the fixed coalitions at their levels,
    /// `x_i >= v({i})` (nucleolus) and `x(S) + t >= v(S)` for the other coalitions, added by
    /// constraint generation. Returns `(x, t)` and the coalitions whose rows have a positive
    /// dual value at the optimum: their excess is `t` on the whole optimal face (complementary
    /// slackness), so they are the ones to fix.
    fn stage(&mut self) -> Result<(Vec<f64>, f64, Vec<u64>)> {
        let n = self.n;
        let full = (1u64 << n) - 1;
        let concept = self.concept;
        let fail = |e: RowLpError| e.into_error(concept);
        let mut objective = vec![0.0; n + 1];
        objective[n] = 1.0;
        let mut lp = RowLp::new(objective, self.lp_box, self.tol);
        lp.add_eq(&indicator(full, None), self.v(full));
        for &(mask, level) in &self.fixed {
            lp.add_eq(&indicator(mask, None), self.v(mask) - level);
        }
        if self.imputation {
            for i in 0..n {
                lp.add_ge(&[(i, 1.0)], self.v(1 << i));
            }
        }
        // Row index -> coalition, for the rows x(S) + t >= v(S).
        let mut row_mask: HashMap<usize, u64> = HashMap::new();
        let mut pool: Vec<u64> = self.active.iter().copied().collect();
        pool.sort_unstable();
        for mask in pool {
            let r = lp.add_ge(&indicator(mask, Some(n)), self.v(mask));
            row_mask.insert(r, mask);
        }
        for _ in 0..MAX_ROUNDS {
            cancel::check()?;
            lp.solve().map_err(fail)?;
            let z = lp.point().to_vec();
            let (x, t) = (&z[..n], z[n]);
            let mut skip: HashSet<u64> = self.implicit.clone();
            skip.extend(self.active.iter().copied());
            skip.extend(self.fixed.iter().map(|f| f.0));
            let (_, violated) = most_violated_except(
                self.game.values(),
                self.sign,
                x,
                false,
                t + self.tol,
                (128 * n).max(64),
                Some(&skip),
            )?;
            let mut added = 0;
            for (_, mask) in violated {
                if mask == full {
                    continue;
                }
                if self.span.contains(mask) {
                    self.implicit.insert(mask);
                } else {
                    self.active.insert(mask);
                    let r = lp.add_ge(&indicator(mask, Some(n)), self.v(mask));
                    row_mask.insert(r, mask);
                    added += 1;
                }
            }
            if added == 0 {
                if lp.box_binds() {
                    return Err(fail(RowLpError::Unbounded));
                }
                let binding: Vec<u64> = lp
                    .duals()
                    .filter(|&(_, y)| y > DUAL_TOL)
                    .filter_map(|(r, _)| row_mask.get(&r).copied())
                    .collect();
                return Ok((x.to_vec(), t, binding));
            }
        }
        Err(Error::Solver {
            concept: self.concept,
            reason: format!("constraint generation did not settle in {MAX_ROUNDS} rounds"),
        })
    }

    fn fix(&mut self, mask: u64, level: f64) {
        self.active.remove(&mask);
        if self.span.add(mask) {
            self.fixed.push((mask, level));
        } else {
            self.implicit.insert(mask);
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
        while self.span.rank() < n {
            let (x, t, binding) = self.stage()?;
            let before = self.span.rank();
            for mask in binding {
                // Fixed at the excess the point attains (t up to the solver's rounding), so
                // that x stays feasible for the next stage.
                let level = self.excess(mask, &x);
                self.fix(mask, level);
            }
            if self.span.rank() == before {
                return Err(Error::Solver {
                    concept: self.concept,
                    reason: format!("no coalition could be fixed at excess level {t}"),
                });
            }
            // Rows now in the span have constant excess and leave; of the others the next
            // stage keeps those with the highest excess at x (its level is at most t, and
            // the scans bring back any dropped row it violates), so that the pool stays small.
            let mut pool: Vec<(f64, u64)> = Vec::with_capacity(self.active.len());
            for &m in &self.active {
                if self.span.contains(m) {
                    self.implicit.insert(m);
                } else {
                    pool.push((self.excess(m, &x), m));
                }
            }
            pool.sort_unstable_by(|a, b| b.0.total_cmp(&a.0));
            pool.truncate((POOL_PER_PLAYER * n).max(256));
            self.active = pool.into_iter().map(|(_, m)| m).collect();
        }
        // Solve the n independent equalities x(S) = v(S) - level (and x(N) = v(N)).
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

/// Is `known ∪ band` balanced (weakly so with `optional`), given that `known` is?
///
/// `basis` is an orthonormal basis of the span of `known ∪ {N}`. The test is Kohlberg's
/// "property I" (Kohlberg 1971), the alternative theorem for balancing weights: a collection
/// `D` is balanced iff every `y` with `y(N) = 0` and `y(S) >= 0` on `D` (and on `optional`)
/// has `y(S) = 0` on `D`. Such `y` are
/// orthogonal to `known` already, and band members in its span have `y(S) = 0`, so only the
/// band members `B'` outside the span are tested, by one of two LPs:
///
/// - small `B'` (with `optional`, at most [`WEIGHTS_LP_MAX`] columns): the balancing weights
///   themselves through good_lp: `w_S >= 1` on `B'`, `u_i >= 0` on `optional` and free `λ_q`
///   with `sum w_S 1_S + sum u_i e_i + sum λ_q q = 0` (feasible iff balanced);
/// - larger `B'`: `max sum_{S in B'} y(S) / |B'|` over `y·q = 0`, `y(S) >= 0` (`B'` and
///   `optional`), `|y_i| <= 1`, by the row simplex; balanced iff no `y(S)` is positive there.
fn extends_balanced(
    n: usize,
    basis: &[DVector<f64>],
    band: &[u64],
    optional: &[u64],
) -> Result<bool> {
    cancel::check()?;
    if band.is_empty() {
        Ok(true)
    } else if band.len() + optional.len() <= WEIGHTS_LP_MAX {
        balanced_by_weights(n, basis, band, optional)
    } else {
        balanced_by_property_one(n, basis, band, optional)
    }
}

const CHECK: &str = "the nucleolus check";

/// [`extends_balanced`] by the weights LP (good_lp).
fn balanced_by_weights(
    n: usize,
    basis: &[DVector<f64>],
    band: &[u64],
    optional: &[u64],
) -> Result<bool> {
    let (nb, no) = (band.len(), optional.len());
    let vars = nb + no + basis.len();
    let mut lp = LinearProgram::minimise(vec![0.0; vars]);
    for i in 0..n {
        let mut row: Vec<(usize, f64)> = Vec::new();
        row.extend(
            band.iter()
                .enumerate()
                .filter(|(_, &m)| m >> i & 1 == 1)
                .map(|(k, _)| (k, 1.0)),
        );
        row.extend(
            optional
                .iter()
                .enumerate()
                .filter(|(_, &m)| m >> i & 1 == 1)
                .map(|(k, _)| (nb + k, 1.0)),
        );
        row.extend(basis.iter().enumerate().map(|(k, q)| (nb + no + k, q[i])));
        lp.add_row(row, Sense::Eq, 0.0);
    }
    for k in 0..nb + no {
        lp.add_row(vec![(k, 1.0)], Sense::Ge, if k < nb { 1.0 } else { 0.0 });
    }
    match lp.solve(CHECK) {
        Ok(_) => Ok(true),
        Err(Error::Solver { reason, .. }) if reason.contains("infeasible") => Ok(false),
        Err(e) => Err(e),
    }
}

/// [`extends_balanced`] by property I (row simplex, constraint generation over the band).
fn balanced_by_property_one(
    n: usize,
    basis: &[DVector<f64>],
    band: &[u64],
    optional: &[u64],
) -> Result<bool> {
    let mut objective = vec![0.0; n];
    for &m in band {
        for i in Coalition::from_mask(m).members() {
            objective[i] -= 1.0 / band.len() as f64;
        }
    }
    let mut lp = RowLp::new(objective, 1.0, 1e-12);
    for q in basis {
        let row: Vec<(usize, f64)> = q.iter().copied().enumerate().collect();
        lp.add_eq(&row, 0.0);
    }
    for &m in optional {
        lp.add_ge(&indicator(m, None), 0.0);
    }
    // Rows y(S) >= 0 of the band by constraint generation: the most negative first.
    let mut added: HashSet<u64> = HashSet::new();
    let y_of = |y: &[f64], m: u64| Coalition::from_mask(m).members().map(|i| y[i]).sum::<f64>();
    loop {
        cancel::check()?;
        lp.solve().map_err(|e| e.into_error(CHECK))?;
        let y = lp.point();
        let mut violated: Vec<(f64, u64)> = band
            .iter()
            .map(|&m| (y_of(y, m), m))
            .filter(|&(ys, m)| ys < -1e-12 && !added.contains(&m))
            .collect();
        if violated.is_empty() {
            break;
        }
        violated.sort_unstable_by(|a, b| a.0.total_cmp(&b.0));
        for &(_, m) in violated.iter().take(4 * n + 64) {
            lp.add_ge(&indicator(m, None), 0.0);
            added.insert(m);
        }
    }
    let y = lp.point();
    let most = band
        .iter()
        .map(|&m| y_of(y, m))
        .fold(f64::NEG_INFINITY, f64::max);
    Ok(most <= 1e-7)
}

/// Is the collection balanced: positive weights (zero allowed on `optional`) with
/// `sum_S w_S 1_S = 1_N`?
#[cfg(test)]
fn is_balanced(n: usize, collection: &[u64], optional: &[u64]) -> Result<bool> {
    let mut span = Span::new(n);
    span.add((1u64 << n) - 1);
    extends_balanced(n, &span.basis, collection, optional)
}

/// The excess levels of `x`, from the top: each step yields the highest excess among the
/// coalitions (proper, nonempty) not yet yielded, and the coalitions within `tol` below it.
/// Coalitions are fetched from the `2^n` values in batches of [`LEVEL_BATCH`], so that a walk
/// through many thin levels costs a few scans rather than two per level.
struct Levels<'a> {
    values: &'a [f64],
    sign: f64,
    x: &'a [f64],
    tol: f64,
    seen: HashSet<u64>,
    buffer: Vec<(f64, u64)>,
    pos: usize,
    /// The buffer holds every coalition not yet seen.
    complete: bool,
}

impl<'a> Levels<'a> {
    fn new(game: &'a Game, sign: f64, x: &'a [f64], tol: f64) -> Self {
        Levels {
            values: game.values(),
            sign,
            x,
            tol,
            seen: HashSet::new(),
            buffer: Vec::new(),
            pos: 0,
            complete: false,
        }
    }

    /// The next level and its coalitions (at most `limit` of them when one level alone is
    /// that large), or `None` when every coalition has been yielded. Fails only when
    /// cancelled (the scans check).
    fn next(&mut self, limit: usize) -> Result<Option<(f64, Vec<u64>)>> {
        if self.pos == self.buffer.len() {
            if self.complete {
                return Ok(None);
            }
            let (_, found) = most_violated_except(
                self.values,
                self.sign,
                self.x,
                false,
                f64::NEG_INFINITY,
                LEVEL_BATCH,
                Some(&self.seen),
            )?;
            self.complete = found.len() < LEVEL_BATCH;
            self.buffer = found;
            self.pos = 0;
            if self.buffer.is_empty() {
                return Ok(None);
            }
        }
        let level = self.buffer[self.pos].0;
        let end = self.buffer[self.pos..]
            .iter()
            .position(|&(e, _)| e < level - self.tol)
            .map_or(self.buffer.len(), |k| self.pos + k);
        let band: Vec<u64> = if end == self.buffer.len() && !self.complete {
            // The level may go on past the batch: fetch all of it.
            let (_, found) = most_violated_except(
                self.values,
                self.sign,
                self.x,
                false,
                level - self.tol,
                limit,
                Some(&self.seen),
            )?;
            self.buffer.clear();
            self.pos = 0;
            found.into_iter().map(|(_, m)| m).collect()
        } else {
            let band = self.buffer[self.pos..end].iter().map(|&(_, m)| m).collect();
            self.pos = end;
            band
        };
        self.seen.extend(band.iter().copied());
        Ok(Some((level, band)))
    }
}

/// Polishes an approximate (pre)nucleolus to machine precision: groups the top coalitions by
/// excess level (until they span `R^n`), then solves `x(S) + t_k = v(S)` for the coalitions of
/// each level that raises the rank (its rank-raising members and up to `n` others),
/// `x(N) = v(N)` (and `x_i = v({i})` where the imputation bound binds) by least squares.
/// Returns `Ok(None)` when the system does not determine `x` uniquely or does not fit, and
/// fails only when cancelled.
fn polish(
    game: &Game,
    sign: f64,
    x: &[f64],
    imputation: bool,
    tol: f64,
) -> Result<Option<Vec<f64>>> {
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
    let mut walk = Levels::new(game, sign, x, tol);
    let mut levels = 0;
    while span.rank() < n {
        let Some((_, band)) = walk.next(4096)? else {
            return Ok(None);
        };
        if band.len() >= 4096 {
            return Ok(None);
        }
        // A level that adds no rank only adds an unknown; a level that does keeps its
        // rank-raising members and up to n others (enough to pin its t_k, and a small system).
        let (new, old): (Vec<u64>, Vec<u64>) = band.into_iter().partition(|&m| span.add(m));
        if new.is_empty() {
            continue;
        }
        for m in new.into_iter().chain(old.into_iter().take(n)) {
            eqs.push((m, Some(levels), sign * game.value(Coalition::from_mask(m))));
        }
        levels += 1;
    }
    let system = |eqs: &[(u64, Option<usize>, f64)], levels: usize| {
        DMatrix::from_fn(eqs.len(), n + levels, |r, c| {
            let (m, k, _) = eqs[r];
            if c < n {
                f64::from(u8::from(m >> c & 1 == 1))
            } else if k == Some(c - n) {
                1.0
            } else {
                0.0
            }
        })
    };
    // The levels that span R^n may leave their own t_k undetermined (moving x along a
    // direction that changes all their excesses alike); the next levels then pin them: walk
    // on, a level at a time (each adds one unknown and several rows), up to n more.
    let mut a = system(&eqs, levels);
    for extra in 0..=n {
        let smallest = a
            .clone()
            .singular_values()
            .iter()
            .copied()
            .fold(f64::INFINITY, f64::min);
        if eqs.len() >= n + levels && smallest >= 1e-9 {
            break;
        }
        if extra == n {
            return Ok(None);
        }
        let Some((_, band)) = walk.next(4096)? else {
            return Ok(None);
        };
        if band.len() >= 4096 {
            return Ok(None);
        }
        if band.len() < 2 {
            continue; // one row and its own unknown: no information
        }
        for m in band.into_iter().take(n + 1) {
            eqs.push((m, Some(levels), sign * game.value(Coalition::from_mask(m))));
        }
        levels += 1;
        a = system(&eqs, levels);
    }
    let b = DVector::from_fn(eqs.len(), |r, _| eqs[r].2);
    // Least squares by the normal equations (Cholesky; A has 0/1 entries and full column rank,
    // so A^T A is well conditioned), then iterative refinement (Wilkinson 1963) with residuals
    // summed without rounding loss: the system mixes large and small unknowns (a player far
    // below its standalone value next to one near it), and one pass leaves the small ones with
    // the rounding of the large ones. (nalgebra's SVD solve left errors of 1e-9 on systems
    // with repeated singular values, which refinement through it did not remove.)
    let at = a.transpose();
    let Some(chol) = (&at * &a).cholesky() else {
        return Ok(None);
    };
    let mut sol = chol.solve(&(&at * &b));
    let exact_residual = |sol: &DVector<f64>| {
        DVector::from_fn(eqs.len(), |r, _| {
            let (m, k, rhs) = eqs[r];
            let lhs = (0..n)
                .filter(|&c| m >> c & 1 == 1)
                .map(|c| sol[c])
                .chain(k.map(|k| sol[n + k]));
            -accurate_sum(lhs.chain(std::iter::once(-rhs)))
        })
    };
    for _ in 0..3 {
        sol += chol.solve(&(&at * exact_residual(&sol)));
    }
    let residual = exact_residual(&sol).amax();
    // Shares within the rounding of the game's scale of zero are zero (a symmetric pair at 0
    // would otherwise come out as 0 and 6e-8 in a game of 10^9).
    let spread = b.amax();
    let polished: Vec<f64> = sol
        .iter()
        .take(n)
        .map(|&y| {
            if y.abs() <= rounding(8 * n, spread) {
                0.0
            } else {
                y
            }
        })
        .collect();
    let moved = polished
        .iter()
        .zip(x)
        .fold(0.0f64, |m, (p, q)| m.max((p - q).abs()));
    Ok((residual <= tol && moved <= 1e3 * tol).then_some(polished))
}

impl Game {
    fn nucleolus_impl(&self, imputation: bool) -> Result<Allocation> {
        let concept = if imputation {
            "the nucleolus"
        } else {
            "the prenucleolus"
        };
        let n = self.n();
        // Solved on the zero-normalised game w (standalone values 0), mapped back at the end.
        let nm = self.normal()?;
        let w = &*nm.game;
        let vn = w.grand_value();
        if imputation && vn < -nm.decision_tol() {
            let sign = nm.shift.sign;
            let standalone: f64 = nm.shift.unscale(nm.shift.b.iter().sum());
            return Err(Error::Undefined {
                concept,
                reason: format!(
                    "there is no imputation: the players' standalone values add up to {} but v(N) = {}",
                    sign * standalone,
                    self.grand_value()
                ),
            });
        }
        let tol = nm.solver_tol();
        let y = if n == 1 {
            vec![vn]
        } else if imputation && vn <= 0.0 {
            // The imputation set is the single point of standalone values (to the tolerance).
            vec![vn / n as f64; n]
        } else {
            let mut stages = Stages {
                game: w,
                sign: 1.0,
                n,
                imputation,
                tol,
                lp_box: nm.lp_box(),
                fixed: Vec::new(),
                span: Span::new(n),
                implicit: HashSet::new(),
                active: HashSet::new(),
                concept,
            };
            let rough = stages.run()?;
            // Polish when the levels separate cleanly; keep whichever point passes Kohlberg:
            // the polished point (exact to rounding) with tight levels, the LP's point with
            // levels as wide as the LP tolerance. A cancellation is passed on, not taken for
            // a failed check.
            let polished = match polish(w, 1.0, &rough, imputation, 1e2 * tol)? {
                Some(p) => match w.kohlberg_check(&p, tol, imputation, concept) {
                    Ok(()) => Some(p),
                    Err(Error::Interrupted) => return Err(Error::Interrupted),
                    Err(_) => None,
                },
                None => None,
            };
            match polished {
                Some(p) => p,
                None => {
                    w.kohlberg_check(&rough, 1e3 * tol, imputation, concept)?;
                    rough
                }
            }
        };
        Ok(nm.allocation(&y))
    }

    /// Kohlberg's criterion on a value game (the normalised one), with excess levels grouped
    /// within `tol`; an error if `x` fails it.
    fn kohlberg_check(
        &self,
        x: &[f64],
        tol: f64,
        imputation: bool,
        concept: &'static str,
    ) -> Result<()> {
        let n = x.len();
        let sign = 1.0;
        let fail = |reason: String| Error::Solver { concept, reason };
        if (x.iter().sum::<f64>() - self.grand_value()).abs() > tol {
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
        // Walk down the levels until they span R^n (the singletons of `optional` do not count:
        // they need not carry weight). Only levels that raise the rank need an LP: a member in
        // the span of the levels above has y(S) = 0 for every y of property I already.
        let mut span = Span::new(n);
        span.add((1u64 << n) - 1);
        let mut walk = Levels::new(self, sign, x, tol);
        let mut level = f64::INFINITY;
        let mut meter = cancel::Meter::new(1 << 18);
        while span.rank() < n {
            let Some((next, band)) = walk.next(MAX_KOHLBERG_BAND)? else {
                break;
            };
            if band.len() >= MAX_KOHLBERG_BAND {
                return Err(fail(format!(
                    "an excess level holds {} or more coalitions, too many to check",
                    MAX_KOHLBERG_BAND
                )));
            }
            if next >= level {
                return Err(fail("excess levels did not decrease".into()));
            }
            level = next;
            // A level may hold millions of coalitions, each projected on the span (O(n rank)).
            let mut new: Vec<u64> = Vec::new();
            for m in band {
                meter.tick(n * span.rank())?;
                if !span.contains(m) {
                    new.push(m);
                }
            }
            if !extends_balanced(n, &span.basis, &new, &optional)? {
                return Err(fail(format!(
                    "Kohlberg's criterion fails: the coalitions with excess >= {} are not balanced",
                    sign * level
                )));
            }
            for m in new {
                span.add(m);
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
            .kohlberg_check(&[third, third, third], 1e-9, false, "t")
            .is_ok());
        let err = g
            .kohlberg_check(&[0.5, 0.5, 0.0], 1e-9, false, "t")
            .unwrap_err();
        assert!(err.to_string().contains("Kohlberg"), "{err}");
        let err = g
            .kohlberg_check(&[0.5, 0.6, 0.0], 1e-9, false, "t")
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

    #[test]
    fn both_balancedness_tests_agree() {
        // Random collections over 3 to 5 players, with and without optional singletons and
        // known coalitions: the weights LP (good_lp) and property I (row simplex) agree.
        let mut state = 99u64;
        let mut next = |k: u64| {
            state = state
                .wrapping_mul(6364136223846793005)
                .wrapping_add(1442695040888963407);
            (state >> 33) % k
        };
        let (mut yes, mut no) = (0, 0);
        for case in 0..600u64 {
            let n = 3 + (case % 3) as usize;
            let full = (1u64 << n) - 1;
            let mut span = Span::new(n);
            span.add(full);
            for _ in 0..next(3) {
                span.add(1 + next(full - 1));
            }
            let band: Vec<u64> = (0..1 + next(6))
                .map(|_| 1 + next(full - 1))
                .filter(|&m| !span.contains(m))
                .collect();
            let optional: Vec<u64> = (0..n).filter(|_| next(3) == 0).map(|i| 1u64 << i).collect();
            let a = balanced_by_weights(n, &span.basis, &band, &optional).unwrap();
            let b = balanced_by_property_one(n, &span.basis, &band, &optional).unwrap();
            assert_eq!(a, b, "case {case}: {band:?} {optional:?}");
            if a {
                yes += 1
            } else {
                no += 1
            }
        }
        assert!(yes > 50 && no > 50, "{yes} balanced, {no} not");
    }
}
