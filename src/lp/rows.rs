//! Linear programs with few variables and many rows, solved by a dual simplex that keeps its
//! basis when rows are added.
//!
//! Every LP of the stability concepts has `p <= n + 1` variables (the allocation and one level)
//! and one row per coalition, of which constraint generation adds a few hundred at a time. The
//! program `min c·z  s.t.  a_r·z >= b_r (r in G),  a_r·z = b_r (r in E)` is solved through its
//! dual `max b·y  s.t.  A^T y = c,  y_G >= 0` by the revised primal simplex (G. B. Dantzig,
//! *Linear Programming and Extensions*, 1963; V. Chvátal, *Linear Programming*, 1983, ch. 7–10):
//! a basis is `p` rows with `A_B` nonsingular; the point is `z = A_B^{-1} b_B` and the duals
//! `y_B = A_B^{-T} c`. A violated row is a dual column with positive reduced cost
//! `b_r - a_r·z`, so it enters; the ratio test on `d = A_B^{-T} a_r` picks the inequality row
//! that leaves. Adding rows keeps the basis dual feasible, so each round of constraint
//! generation continues from where the last one stopped, and the duals come for free (the
//! nucleolus uses them to fix coalitions).
//!
//! A box `-M <= z_j <= M` of `2p` rows gives a dual-feasible starting basis for any objective
//! (the lower bound of `z_j` when `c_j >= 0`, the upper one otherwise); when it binds at the
//! optimum ([`RowLp::box_binds`]) the program without it is unbounded. `A_B^{-1}` is updated by the product form
//! and refactorised every [`REFACTOR_EVERY`] pivots; after a run of degenerate pivots the
//! choice of rows switches to Bland's rule, which cannot cycle.
//!
//! For sequences of related programs (the stages of the nucleolus by separation) the basis
//! can be edited in place: [`RowLp::swap`] exchanges a basis row, [`RowLp::rewrite`] changes a
//! row (a product-form update when it is in the basis), [`RowLp::retire`] and
//! [`RowLp::compact`] take rows out, and [`RowLp::relax`] drops a binding row and moves to the
//! new optimum by primal simplex steps from the current (feasible) point.
//!
//! The iterations check for cancellation (see `crate::cancel`) once per [`WORK_PER_CHECK`]
//! row entries scanned, and stop with [`RowLpError::Interrupted`].

use nalgebra::DMatrix;

use crate::cancel::Meter;
use crate::error::{Error, SolverFailure};

/// Pivots between two fresh inversions of the basis.
const REFACTOR_EVERY: usize = 50;
/// Smallest usable pivot element `d_k` (entries of `A` are small integers).
const PIVOT_TOL: f64 = 1e-9;
/// Dual values below minus this make a basis row worth leaving in [`RowLp::relax`].
const DUAL_FEAS_TOL: f64 = 1e-12;
/// Row entries scanned between two cancellation checks (a few hundred microseconds).
const WORK_PER_CHECK: usize = 1 << 18;

/// Why a program has no answer.
#[derive(Clone, Debug, PartialEq)]
pub(crate) enum RowLpError {
    Infeasible,
    /// Reported by callers when [`RowLp::box_binds`] after constraint generation.
    Unbounded,
    Stalled,
    Singular,
    /// Cancelled (see `crate::cancel`).
    Interrupted,
}

impl RowLpError {
    /// The crate's error for a failure while computing `concept`: [`Error::Interrupted`] for a
    /// cancellation, else [`Error::Solver`] with the typed failure.
    pub(crate) fn into_error(self, concept: &'static str) -> Error {
        let failure = match self {
            RowLpError::Interrupted => return Error::Interrupted,
            RowLpError::Infeasible => SolverFailure::Infeasible,
            RowLpError::Unbounded => SolverFailure::Unbounded,
            RowLpError::Stalled => SolverFailure::IterationLimit,
            RowLpError::Singular => SolverFailure::Singular,
        };
        Error::solver(concept, failure)
    }
}

impl std::fmt::Display for RowLpError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(match self {
            RowLpError::Infeasible => "the LP is infeasible",
            RowLpError::Unbounded => "the LP is unbounded",
            RowLpError::Stalled => "the simplex method did not finish within its iteration limit",
            RowLpError::Singular => "the simplex basis became numerically singular",
            RowLpError::Interrupted => "interrupted",
        })
    }
}

/// `min c·z` over rows `a_r·z >= b_r` or `= b_r`, with warm starts on added rows.
pub(crate) struct RowLp {
    p: usize,
    c: Vec<f64>,
    /// Dense rows, `p` entries each; the first `2p` are the box.
    a: Vec<f64>,
    b: Vec<f64>,
    eq: Vec<bool>,
    /// Row index and sign (`-1` for an equality row entered from above) per basis position.
    basis: Vec<(usize, f64)>,
    in_basis: Vec<bool>,
    /// Rows taken out of the program ([`RowLp::retire`]); skipped until [`RowLp::compact`].
    retired: Vec<bool>,
    /// `A_B^{-1}`, row-major.
    binv: Vec<f64>,
    z: Vec<f64>,
    y: Vec<f64>,
    tol: f64,
    since_refactor: usize,
}

impl RowLp {
    /// A program minimising `c·z` inside the box `|z_j| <= bound`; rows violated by less than
    /// `tol` count as satisfied.
    pub(crate) fn new(c: Vec<f64>, bound: f64, tol: f64) -> Self {
        let p = c.len();
        let mut lp = RowLp {
            p,
            c,
            a: Vec::new(),
            b: Vec::new(),
            eq: Vec::new(),
            basis: Vec::with_capacity(p),
            in_basis: Vec::new(),
            retired: Vec::new(),
            binv: vec![0.0; p * p],
            z: vec![0.0; p],
            y: vec![0.0; p],
            tol,
            since_refactor: 0,
        };
        for j in 0..p {
            lp.push_row(&[(j, 1.0)], false, -bound);
            lp.push_row(&[(j, -1.0)], false, -bound);
        }
        for j in 0..p {
            let row = if lp.c[j] >= 0.0 { 2 * j } else { 2 * j + 1 };
            lp.basis.push((row, 1.0));
            lp.in_basis[row] = true;
        }
        lp.refactor()
            .expect("the box basis is the identity up to signs");
        lp
    }

    fn push_row(&mut self, coefs: &[(usize, f64)], eq: bool, rhs: f64) -> usize {
        let r = self.b.len();
        self.a.extend(std::iter::repeat_n(0.0, self.p));
        for &(j, v) in coefs {
            self.a[r * self.p + j] += v;
        }
        self.b.push(rhs);
        self.eq.push(eq);
        self.in_basis.push(false);
        self.retired.push(false);
        r
    }

    /// Adds `coefs·z >= rhs`; returns its row index.
    pub(crate) fn add_ge(&mut self, coefs: &[(usize, f64)], rhs: f64) -> usize {
        self.push_row(coefs, false, rhs)
    }

    /// Adds `coefs·z = rhs`; returns its row index.
    pub(crate) fn add_eq(&mut self, coefs: &[(usize, f64)], rhs: f64) -> usize {
        self.push_row(coefs, true, rhs)
    }

    fn row(&self, r: usize) -> &[f64] {
        &self.a[r * self.p..(r + 1) * self.p]
    }

    /// Inverts `A_B` afresh and recomputes the point and the duals.
    fn refactor(&mut self) -> Result<(), RowLpError> {
        let p = self.p;
        let m = DMatrix::from_fn(p, p, |k, j| {
            let (r, s) = self.basis[k];
            s * self.a[r * p + j]
        });
        let inv = m.try_inverse().ok_or(RowLpError::Singular)?;
        for i in 0..p {
            for j in 0..p {
                self.binv[i * p + j] = inv[(i, j)];
            }
        }
        self.since_refactor = 0;
        self.update_point();
        Ok(())
    }

    /// `z = A_B^{-1} b_B`, `y = A_B^{-T} c`.
    fn update_point(&mut self) {
        let p = self.p;
        for i in 0..p {
            self.z[i] = (0..p)
                .map(|k| {
                    let (r, s) = self.basis[k];
                    self.binv[i * p + k] * s * self.b[r]
                })
                .sum();
        }
        // y = A_B^{-T} c over the nonzero entries of c only (often one: min t).
        self.y.iter_mut().for_each(|v| *v = 0.0);
        for (j, &cj) in self.c.iter().enumerate() {
            if cj != 0.0 {
                for k in 0..p {
                    self.y[k] += self.binv[j * p + k] * cj;
                }
            }
        }
    }

    /// The most violated row (by violation per unit norm), or the first violated one under
    /// Bland's rule, with the sign it enters with.
    fn entering(&self, bland: bool) -> Option<(usize, f64)> {
        let mut best: Option<(usize, f64)> = None;
        let mut best_score = 0.0;
        for r in 0..self.b.len() {
            if self.in_basis[r] || self.retired[r] {
                continue;
            }
            let row = self.row(r);
            let az: f64 = row.iter().zip(&self.z).map(|(a, z)| a * z).sum();
            let gap = self.b[r] - az;
            let (violation, sign) = if gap > self.tol {
                (gap, 1.0)
            } else if self.eq[r] && -gap > self.tol {
                (-gap, -1.0)
            } else {
                continue;
            };
            if bland {
                return Some((r, sign));
            }
            let norm2: f64 = row.iter().map(|a| a * a).sum();
            let score = violation / norm2.sqrt();
            if score > best_score {
                best_score = score;
                best = Some((r, sign));
            }
        }
        best
    }

    /// Simplex iterations allowed to one run (`solve` or `relax`) before it reports a stall.
    fn iteration_limit(&self) -> usize {
        50 * (self.b.len() + self.p) + 1000
    }

    /// Runs the simplex method from the current basis to an optimum.
    pub(crate) fn solve(&mut self) -> Result<(), RowLpError> {
        let p = self.p;
        let limit = self.iteration_limit();
        let mut degenerate = 0usize;
        let mut d = vec![0.0; p];
        let mut meter = Meter::new(WORK_PER_CHECK);
        for _ in 0..limit {
            // An iteration scans every row once (`entering`) and updates a p x p inverse.
            meter
                .tick(self.b.len() * p + p * p)
                .map_err(|_| RowLpError::Interrupted)?;
            let bland = degenerate > 2 * p;
            let Some((r, sign)) = self.entering(bland) else {
                return Ok(());
            };
            // d = A_B^{-T} (sign a_r)
            let row = self.row(r);
            for (k, dk) in d.iter_mut().enumerate() {
                *dk = sign * (0..p).map(|j| self.binv[j * p + k] * row[j]).sum::<f64>();
            }
            let mut leave: Option<(usize, f64)> = None;
            for k in 0..p {
                let (br, _) = self.basis[k];
                if self.eq[br] || d[k] <= PIVOT_TOL {
                    continue;
                }
                let ratio = self.y[k].max(0.0) / d[k];
                leave = match leave {
                    None => Some((k, ratio)),
                    Some((l, best)) => {
                        let tie = (ratio - best).abs() <= 1e-12 * (1.0 + best.abs());
                        let better = if tie {
                            if bland {
                                br < self.basis[l].0
                            } else {
                                d[k] > d[l]
                            }
                        } else {
                            ratio < best
                        };
                        Some(if better { (k, ratio) } else { (l, best) })
                    }
                };
            }
            let Some((k, theta)) = leave else {
                return Err(RowLpError::Infeasible);
            };
            degenerate = if theta <= 1e-12 { degenerate + 1 } else { 0 };
            self.in_basis[self.basis[k].0] = false;
            self.basis[k] = (r, sign);
            self.in_basis[r] = true;
            self.update_inverse(k, &d)?;
        }
        Err(RowLpError::Stalled)
    }

    /// Product-form update of `A_B^{-1}` after basis position `k` took a row whose expansion
    /// in the old basis rows is `d` (`d = A_B^{-T} a`): column `k` / `d_k`, the other columns
    /// minus `d_j` times it; then the point and the duals (or a fresh inversion every
    /// [`REFACTOR_EVERY`] updates, more for large bases, where an inversion costs `p^3`).
    fn update_inverse(&mut self, k: usize, d: &[f64]) -> Result<(), RowLpError> {
        let p = self.p;
        let dk = d[k];
        for i in 0..p {
            let ck = self.binv[i * p + k] / dk;
            for (j, &dj) in d.iter().enumerate() {
                if j != k {
                    self.binv[i * p + j] -= dj * ck;
                }
            }
            self.binv[i * p + k] = ck;
        }
        self.since_refactor += 1;
        if self.since_refactor >= REFACTOR_EVERY.max(p / 4) {
            self.refactor()
        } else {
            self.update_point();
            Ok(())
        }
    }

    /// `A_B^{-T} coefs` for a dense row.
    fn expansion(&self, row: &[f64]) -> Vec<f64> {
        let p = self.p;
        (0..p)
            .map(|k| (0..p).map(|j| self.binv[j * p + k] * row[j]).sum::<f64>())
            .collect()
    }

    fn dense(&self, coefs: &[(usize, f64)]) -> Vec<f64> {
        let mut row = vec![0.0; self.p];
        for &(j, v) in coefs {
            row[j] += v;
        }
        row
    }

    /// Starts from the basis of `rows` (as many as variables, all entered as written) when it
    /// is nonsingular and dual feasible (the duals of its inequality rows nonnegative): a
    /// crash basis near the optimum, instead of the box's corner. False, with the box basis
    /// kept, otherwise.
    pub(crate) fn start_from(&mut self, rows: &[usize]) -> bool {
        if rows.len() != self.p || rows.iter().any(|&r| r >= self.b.len()) {
            return false;
        }
        let saved = self.basis.clone();
        let flags = self.in_basis.clone();
        self.in_basis.iter_mut().for_each(|v| *v = false);
        self.basis = rows.iter().map(|&r| (r, 1.0)).collect();
        for &r in rows {
            self.in_basis[r] = true;
        }
        let feasible = self.refactor().is_ok()
            && self
                .basis
                .iter()
                .zip(&self.y)
                .all(|(&(r, _), &y)| self.eq[r] || y >= -DUAL_FEAS_TOL);
        if !feasible {
            self.basis = saved;
            self.in_basis = flags;
            self.refactor().expect("the saved basis was nonsingular");
        }
        feasible
    }

    /// Warm starts, from an optimal basis holding the row `r` (an inequality row with the only
    /// positive dual, such as `t >= t_k` put in by [`RowLp::swap`]): drops `r` from the
    /// program and moves to the new optimum by primal simplex steps (the point stays feasible
    /// throughout): first along the edge that lets `r` go, then off every inequality row of
    /// the basis with a negative dual, each step stopping at the first row it reaches
    /// (Dantzig 1963). Short when the optimum moves little, where restarting the dual simplex
    /// from a far point would cross many rows. Bland's rule after a run of degenerate steps.
    pub(crate) fn relax(&mut self, r: usize) -> Result<(), RowLpError> {
        let p = self.p;
        let mut k = self
            .basis
            .iter()
            .position(|&(b, _)| b == r)
            .ok_or(RowLpError::Singular)?;
        // Leaving row `r` means moving with its activity decreasing (a_r·dz = -1).
        let mut direction = -1.0;
        self.retired[r] = true;
        let limit = self.iteration_limit();
        let mut degenerate = 0usize;
        let mut meter = Meter::new(WORK_PER_CHECK);
        for _ in 0..limit {
            meter
                .tick(self.b.len() * p + p * p)
                .map_err(|_| RowLpError::Interrupted)?;
            let bland = degenerate > 2 * p;
            // dz = direction * A_B^{-1} e_k (basis row k's activity changes by `direction`,
            // the others stay), scaled by that row's sign.
            let sk = self.basis[k].1;
            let dz: Vec<f64> = (0..p)
                .map(|i| direction * sk * self.binv[i * p + k])
                .collect();
            // Ratio test: the first row the move makes tight.
            let mut best: Option<(usize, f64, f64)> = None;
            for q in 0..self.b.len() {
                if self.in_basis[q] || self.retired[q] {
                    continue;
                }
                let row = self.row(q);
                let rate: f64 = row.iter().zip(&dz).map(|(a, d)| a * d).sum();
                if rate >= -PIVOT_TOL {
                    continue;
                }
                let slack: f64 =
                    row.iter().zip(&self.z).map(|(a, z)| a * z).sum::<f64>() - self.b[q];
                let theta = slack.max(0.0) / -rate;
                let better = match best {
                    None => true,
                    Some((bq, bt, brate)) => {
                        let tie = (theta - bt).abs() <= 1e-12 * (1.0 + bt.abs());
                        if tie {
                            if bland {
                                q < bq
                            } else {
                                rate < brate
                            }
                        } else {
                            theta < bt
                        }
                    }
                };
                if better {
                    best = Some((q, theta, rate));
                }
            }
            let Some((q, theta, _)) = best else {
                return Err(RowLpError::Unbounded);
            };
            degenerate = if theta <= 1e-12 { degenerate + 1 } else { 0 };
            let row = self.row(q).to_vec();
            let d = self.expansion(&row);
            if d[k].abs() <= PIVOT_TOL {
                return Err(RowLpError::Singular);
            }
            self.in_basis[self.basis[k].0] = false;
            self.basis[k] = (q, 1.0);
            self.in_basis[q] = true;
            self.update_inverse(k, &d)?;
            // Next: an inequality row of the basis with a negative dual (moving off it, its
            // activity increasing, lowers the objective), or done.
            let mut next: Option<(usize, f64)> = None;
            for (j, &(b, sign)) in self.basis.iter().enumerate() {
                if self.eq[b] {
                    continue;
                }
                let dual = sign * self.y[j];
                if dual < -DUAL_FEAS_TOL {
                    let better = match next {
                        None => true,
                        Some((l, v)) => {
                            if bland {
                                b < self.basis[l].0
                            } else {
                                dual < v
                            }
                        }
                    };
                    if better {
                        next = Some((j, dual));
                    }
                }
            }
            match next {
                None => return Ok(()),
                Some((j, _)) => {
                    k = j;
                    direction = 1.0;
                }
            }
        }
        Err(RowLpError::Stalled)
    }

    /// Warm starts: puts row `incoming` into the basis in place of row `outgoing` (which must
    /// be in it), keeping the other basis rows. [`RowLpError::Singular`] when the rows are
    /// dependent. Dual feasibility is the caller's affair.
    pub(crate) fn swap(&mut self, outgoing: usize, incoming: usize) -> Result<(), RowLpError> {
        let k = self
            .basis
            .iter()
            .position(|&(r, _)| r == outgoing)
            .ok_or(RowLpError::Singular)?;
        let d = self.expansion(self.row(incoming));
        if d[k].abs() <= PIVOT_TOL {
            return Err(RowLpError::Singular);
        }
        self.in_basis[outgoing] = false;
        self.basis[k] = (incoming, 1.0);
        self.in_basis[incoming] = true;
        self.update_inverse(k, &d)
    }

    /// Warm starts: rewrites row `r` as `coefs·z (= | >=) rhs`, keeping the basis (a row in
    /// the basis is replaced there). [`RowLpError::Singular`] when that makes the basis
    /// singular (the row is left unchanged then).
    pub(crate) fn rewrite(
        &mut self,
        r: usize,
        coefs: &[(usize, f64)],
        eq: bool,
        rhs: f64,
    ) -> Result<(), RowLpError> {
        let row = self.dense(coefs);
        if let Some(k) = self.basis.iter().position(|&(b, _)| b == r) {
            let sign = self.basis[k].1;
            let signed: Vec<f64> = row.iter().map(|v| sign * v).collect();
            let d = self.expansion(&signed);
            if d[k].abs() <= PIVOT_TOL {
                return Err(RowLpError::Singular);
            }
            self.set_row(r, &row, eq, rhs);
            self.update_inverse(k, &d)
        } else {
            self.set_row(r, &row, eq, rhs);
            Ok(())
        }
    }

    fn set_row(&mut self, r: usize, row: &[f64], eq: bool, rhs: f64) {
        let p = self.p;
        self.a[r * p..(r + 1) * p].copy_from_slice(row);
        self.eq[r] = eq;
        self.b[r] = rhs;
    }

    /// Takes row `r` (not in the basis) out of the program; false if it is in the basis.
    pub(crate) fn retire(&mut self, r: usize) -> bool {
        if self.in_basis[r] {
            return false;
        }
        self.retired[r] = true;
        true
    }

    /// Drops the retired rows from storage; returns the new index of every old row (`None`
    /// for a dropped one).
    pub(crate) fn compact(&mut self) -> Vec<Option<usize>> {
        let p = self.p;
        let mut map = vec![None; self.b.len()];
        let mut next = 0;
        for (r, slot) in map.iter_mut().enumerate() {
            if self.retired[r] {
                continue;
            }
            if next != r {
                self.a.copy_within(r * p..(r + 1) * p, next * p);
                self.b[next] = self.b[r];
                self.eq[next] = self.eq[r];
                self.in_basis[next] = self.in_basis[r];
            }
            *slot = Some(next);
            next += 1;
        }
        self.a.truncate(next * p);
        self.b.truncate(next);
        self.eq.truncate(next);
        self.in_basis.truncate(next);
        self.retired = vec![false; next];
        for (r, _) in &mut self.basis {
            *r = map[*r].expect("basis rows are never retired");
        }
        map
    }

    /// The dual value of every basis row (box rows included), by row.
    pub(crate) fn basis_duals(&self) -> impl Iterator<Item = (usize, f64)> + '_ {
        self.basis
            .iter()
            .zip(&self.y)
            .map(|(&(r, s), &y)| (r, s * y))
    }

    /// At an optimum: does the box bind (a box row with a positive dual)? Then the program
    /// without the box is unbounded, or lacks rows that constraint generation would add.
    pub(crate) fn box_binds(&self) -> bool {
        self.basis
            .iter()
            .zip(&self.y)
            .any(|(&(r, _), &y)| r < 2 * self.p && y > 1e-9)
    }

    /// The number of rows, the box's `2p` included (row indices run below it).
    pub(crate) fn rows(&self) -> usize {
        self.b.len()
    }

    /// The optimal point.
    pub(crate) fn point(&self) -> &[f64] {
        &self.z
    }

    /// The rows of the optimal basis (box rows excluded) with their dual values.
    pub(crate) fn duals(&self) -> impl Iterator<Item = (usize, f64)> + '_ {
        self.basis
            .iter()
            .zip(&self.y)
            .filter(|(&(r, _), _)| r >= 2 * self.p)
            .map(|(&(r, s), &y)| (r, s * y))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::lp::{LinearProgram, Sense};

    /// A deterministic stream of numbers in [0, 1) (a 64-bit linear congruential generator).
    fn uniform(seed: u64) -> impl FnMut() -> f64 {
        let mut state = seed;
        move || {
            state = state
                .wrapping_mul(6364136223846793005)
                .wrapping_add(1442695040888963407);
            (state >> 11) as f64 / (1u64 << 53) as f64
        }
    }

    #[test]
    fn small_lp_and_its_duals() {
        // min x + y s.t. x + 2y >= 4, 3x + y >= 6: optimum (8/5, 6/5); duals (2/5, 1/5).
        let mut lp = RowLp::new(vec![1.0, 1.0], 1e6, 1e-9);
        let r1 = lp.add_ge(&[(0, 1.0), (1, 2.0)], 4.0);
        let r2 = lp.add_ge(&[(0, 3.0), (1, 1.0)], 6.0);
        lp.solve().unwrap();
        let z = lp.point();
        assert!(
            (z[0] - 1.6).abs() < 1e-12 && (z[1] - 1.2).abs() < 1e-12,
            "{z:?}"
        );
        let duals: Vec<(usize, f64)> = lp.duals().collect();
        let dual = |r: usize| duals.iter().find(|d| d.0 == r).map_or(0.0, |d| d.1);
        assert!((dual(r1) - 0.4).abs() < 1e-12 && (dual(r2) - 0.2).abs() < 1e-12);
        // A row added later is taken from the current basis.
        lp.add_ge(&[(0, 1.0)], 3.0);
        lp.solve().unwrap();
        let z = lp.point();
        assert!(
            (z[0] - 3.0).abs() < 1e-12 && (z[1] - 0.5).abs() < 1e-12,
            "{z:?}"
        );
    }

    #[test]
    fn infeasible_unbounded_and_equalities() {
        let mut lp = RowLp::new(vec![1.0], 1e6, 1e-9);
        lp.add_ge(&[(0, 1.0)], 2.0);
        lp.add_ge(&[(0, -1.0)], -1.0);
        assert_eq!(lp.solve(), Err(RowLpError::Infeasible));
        let mut lp = RowLp::new(vec![1.0], 1e6, 1e-9);
        lp.solve().unwrap();
        assert!(lp.box_binds());
        // min y s.t. x + y = 1, y >= 0, x <= 5 (as -x >= -5): y = 0, x = 1 at... any x with
        // y = 0 means x = 1.
        let mut lp = RowLp::new(vec![0.0, 1.0], 1e6, 1e-9);
        lp.add_eq(&[(0, 1.0), (1, 1.0)], 1.0);
        lp.add_ge(&[(1, 1.0)], 0.0);
        lp.solve().unwrap();
        assert!((lp.point()[0] - 1.0).abs() < 1e-12 && lp.point()[1].abs() < 1e-12);
    }

    #[test]
    fn a_cancelled_solve_is_interrupted() {
        let mut lp = RowLp::new(vec![1.0, 1.0], 1e6, 1e-9);
        lp.add_ge(&[(0, 1.0), (1, 2.0)], 4.0);
        let token = crate::cancel::Token::new();
        token.cancel();
        assert_eq!(token.run(|| lp.solve()), Err(RowLpError::Interrupted));
        assert_eq!(
            RowLpError::Interrupted.into_error("x"),
            crate::Error::Interrupted
        );
        assert_eq!(
            RowLpError::Stalled.into_error("x"),
            Error::solver("x", SolverFailure::IterationLimit)
        );
        token.reset();
        assert_eq!(token.run(|| lp.solve()), Ok(()));
    }

    #[test]
    fn agrees_with_good_lp_on_random_programs() {
        // Random bounded programs: min c·z over rows with 0/1 coefficients (as coalition rows),
        // inside a box given as ordinary rows, compared with microlp through good_lp.
        let mut next = uniform(7);
        for case in 0..200 {
            let p = 2 + case % 6;
            let m = 3 + (case * 7) % 40;
            let c: Vec<f64> = (0..p).map(|_| (next() * 10.0).round() - 5.0).collect();
            let mut ours = RowLp::new(c.clone(), 1e4, 1e-9);
            let mut theirs = LinearProgram::minimise(c.clone());
            let mut add = |coefs: Vec<(usize, f64)>, rhs: f64, eq: bool| {
                if eq {
                    ours.add_eq(&coefs, rhs);
                    theirs.add_row(coefs, Sense::Eq, rhs);
                } else {
                    ours.add_ge(&coefs, rhs);
                    theirs.add_row(coefs, Sense::Ge, rhs);
                }
            };
            for j in 0..p {
                add(vec![(j, 1.0)], -10.0, false);
                add(vec![(j, -1.0)], -10.0, false);
            }
            add(
                (0..p).map(|j| (j, 1.0)).collect(),
                (next() * 4.0).round(),
                true,
            );
            for _ in 0..m {
                let coefs: Vec<(usize, f64)> =
                    (0..p).filter(|_| next() < 0.5).map(|j| (j, 1.0)).collect();
                if !coefs.is_empty() {
                    add(coefs, (next() * 8.0).round() - 4.0, false);
                }
            }
            let expected = theirs.solve("reference");
            let got = ours.solve();
            match expected {
                Ok(z) => {
                    got.unwrap_or_else(|e| panic!("case {case}: {e}"));
                    let value = |z: &[f64]| c.iter().zip(z).map(|(a, b)| a * b).sum::<f64>();
                    assert!(
                        (value(ours.point()) - value(&z)).abs() < 1e-7,
                        "case {case}: {} vs {}",
                        value(ours.point()),
                        value(&z)
                    );
                }
                Err(_) => assert_eq!(got, Err(RowLpError::Infeasible), "case {case}"),
            }
        }
    }
    /// The optimal value of `c·z` over `rows` (coefficients, rhs), by a fresh program.
    fn fresh(c: &[f64], rows: &[(Vec<(usize, f64)>, f64)]) -> f64 {
        let mut lp = RowLp::new(c.to_vec(), 1e4, 1e-9);
        for (coefs, rhs) in rows {
            lp.add_ge(coefs, *rhs);
        }
        lp.solve().unwrap();
        c.iter().zip(lp.point()).map(|(a, b)| a * b).sum()
    }

    #[test]
    fn relax_rewrite_and_compact_agree_with_fresh_programs() {
        let mut next = uniform(19);
        let mut checked = 0;
        for case in 0..200 {
            let p = 2 + case % 5;
            let c: Vec<f64> = (0..p).map(|_| (next() * 4.0).round() + 1.0).collect();
            let mut rows: Vec<(Vec<(usize, f64)>, f64)> = Vec::new();
            for j in 0..p {
                rows.push((vec![(j, 1.0)], -10.0 + (next() * 3.0).round()));
            }
            for _ in 0..(4 + case % 20) {
                let coefs: Vec<(usize, f64)> =
                    (0..p).filter(|_| next() < 0.5).map(|j| (j, 1.0)).collect();
                if !coefs.is_empty() {
                    rows.push((coefs, (next() * 8.0).round() - 4.0));
                }
            }
            let mut lp = RowLp::new(c.clone(), 1e4, 1e-9);
            let index: Vec<usize> = rows.iter().map(|(a, b)| lp.add_ge(a, *b)).collect();
            lp.solve().unwrap();
            // Drop a binding row by primal steps; the optimum is that of the program without it.
            let Some((r, _)) = lp.duals().find(|&(_, y)| y > 1e-9) else {
                continue;
            };
            let k = index.iter().position(|&i| i == r).unwrap();
            lp.relax(r).unwrap_or_else(|e| panic!("case {case}: {e}"));
            let mut rest = rows.clone();
            rest.remove(k);
            let value = |lp: &RowLp| c.iter().zip(lp.point()).map(|(a, b)| a * b).sum::<f64>();
            let expected = fresh(&c, &rest);
            assert!((value(&lp) - expected).abs() < 1e-7, "case {case}: relax");
            // Rewrite a row out of the basis (tighter), compact away the relaxed row, solve on.
            let basic: Vec<usize> = lp.basis_duals().map(|b| b.0).collect();
            let j = (0..rest.len())
                .map(|j| if j >= k { j + 1 } else { j })
                .find(|&j| !basic.contains(&index[j]))
                .unwrap();
            let kj = if j > k { j - 1 } else { j };
            rest[kj].1 += 1.0;
            let (coefs, rhs) = rest[kj].clone();
            lp.rewrite(index[j], &coefs, false, rhs).unwrap();
            let map = lp.compact();
            assert!(map[r].is_none() && map[index[j]].is_some());
            lp.solve().unwrap();
            assert!(
                (value(&lp) - fresh(&c, &rest)).abs() < 1e-7,
                "case {case}: rewrite"
            );
            checked += 1;
        }
        assert!(checked > 100, "{checked}");
    }
}
