//! The sequential LPs (Maschler, Peleg and Shapley 1979) on the zero-normalised game `w`,
//! with constraint generation by the separation search and the positive-dual fixing rule, as
//! the dense engine (`solution::nucleolus`) does with its scans of the `2^n` values.

use std::collections::HashMap;

use nalgebra::{DMatrix, DVector};

use super::search::{violated, Oracle};
use super::span::{Atoms, Span};
use crate::cancel;
use crate::error::{Error, Result};
use crate::lp::rows::{RowLp, RowLpError};

/// Rounds of constraint generation per stage before giving up.
const MAX_ROUNDS: usize = 1000;
/// Dual values above this mark a row as binding on the whole optimal face.
const DUAL_TOL: f64 = 1e-10;
/// Coalition rows per player kept from one stage to the next.
const POOL_PER_PLAYER: usize = 2;

/// The row `y(S)` of a coalition.
fn indicator(members: &[usize]) -> Vec<(usize, f64)> {
    members.iter().map(|&i| (i, 1.0)).collect()
}

/// What a stage fixed: its level and the span and atoms it started from (for the final
/// certificate).
pub(super) struct Record {
    pub(super) level: f64,
    pub(super) rank_before: usize,
    pub(super) atoms_before: Atoms,
}

/// The state of the sequential LPs: one program kept from stage to stage (warm starts; see
/// [`Stages::advance`]).
pub(super) struct Stages<'o, 'a> {
    pub(super) oracle: &'o mut Oracle<'a>,
    n: usize,
    /// `w(N)`.
    wn: f64,
    /// `y_i >= 0` (the nucleolus) or not (the prenucleolus, the least core).
    imputation: bool,
    pub(super) tol: f64,
    lp_box: f64,
    concept: &'static str,
    pub(super) span: Span,
    atoms: Atoms,
    /// Fixed coalitions (each raising the rank) and their levels.
    fixed: Vec<(Vec<usize>, f64)>,
    pub(super) records: Vec<Record>,
    lp: RowLp,
    /// The coalition rows `y(S) + t >= w(S)` of the program, by row and by coalition.
    row_of: HashMap<usize, Vec<usize>>,
    active: HashMap<Vec<usize>, usize>,
    /// Rows retired since the last compaction.
    retired: usize,
}

impl<'o, 'a> Stages<'o, 'a> {
    pub(super) fn new(
        oracle: &'o mut Oracle<'a>,
        wn: f64,
        imputation: bool,
        tol: f64,
        lp_box: f64,
        concept: &'static str,
    ) -> Result<Self> {
        let n = oracle.n;
        let mut span = Span::new(n);
        let all: Vec<usize> = (0..n).collect();
        span.add(&all);
        let mut first: Vec<Vec<usize>> = Vec::with_capacity(2 * n);
        for i in 0..n {
            first.push(vec![i]);
            if n > 2 {
                first.push((0..n).filter(|&j| j != i).collect());
            }
        }
        let mut stages = Stages {
            oracle,
            n,
            wn,
            imputation,
            tol,
            lp_box,
            concept,
            span,
            atoms: Atoms::new(n),
            fixed: Vec::new(),
            records: Vec::new(),
            lp: RowLp::new(Vec::new(), 0.0, tol),
            row_of: HashMap::new(),
            active: HashMap::new(),
            retired: 0,
        };
        stages.rebuild(first)?;
        Ok(stages)
    }

    fn fail(&self, e: RowLpError) -> Error {
        e.into_error(self.concept)
    }

    /// A fresh program: `y(N) = w(N)`, the fixed coalitions at their levels, `y_i >= 0` for
    /// the nucleolus, and the rows of `coalitions`.
    fn rebuild(&mut self, coalitions: Vec<Vec<usize>>) -> Result<()> {
        let n = self.n;
        let mut objective = vec![0.0; n + 1];
        objective[n] = 1.0;
        let mut lp = RowLp::new(objective, self.lp_box, self.tol);
        let all: Vec<(usize, f64)> = (0..n).map(|i| (i, 1.0)).collect();
        let grand = lp.add_eq(&all, self.wn);
        for (members, level) in &self.fixed {
            let w = self.oracle.w(members)?;
            lp.add_eq(&indicator(members), w - level);
        }
        if self.imputation {
            for i in 0..n {
                lp.add_ge(&[(i, 1.0)], 0.0);
            }
        }
        self.lp = lp;
        self.row_of.clear();
        self.active.clear();
        self.retired = 0;
        for members in coalitions {
            self.add_row(members)?;
        }
        // Nothing fixed yet: start from the equal split of w(N), the basis of y(N) = w(N) and
        // the n singleton rows y_i + t >= 0 (duals 1/n each: dual feasible).
        if self.fixed.is_empty() {
            let mut crash = vec![grand];
            crash.extend((0..n).filter_map(|i| self.active.get(&vec![i]).copied()));
            self.lp.start_from(&crash);
        }
        Ok(())
    }

    fn add_row(&mut self, members: Vec<usize>) -> Result<()> {
        if self.active.contains_key(&members) {
            return Ok(());
        }
        let w = self.oracle.w(&members)?;
        let mut row = indicator(&members);
        row.push((self.n, 1.0));
        let r = self.lp.add_ge(&row, w);
        self.row_of.insert(r, members.clone());
        self.active.insert(members, r);
        Ok(())
    }

    /// One stage: `min t` subject to `y(N) = w(N)`, the fixed coalitions at their levels,
    /// `y_i >= 0` for the nucleolus, and `y(S) + t >= w(S)` for the coalitions outside the
    /// span, added by separation. Returns `(y, t)` and the rows of the coalitions with a
    /// positive dual value at the optimum (their excess is `t` on the whole optimal face),
    /// largest dual first.
    pub(super) fn stage(&mut self) -> Result<(Vec<f64>, f64, Vec<usize>)> {
        let n = self.n;
        let max_hits = (n / 8).max(32);
        for _ in 0..MAX_ROUNDS {
            cancel::check()?;
            self.lp.solve().map_err(|e| self.fail(e))?;
            let z = self.lp.point().to_vec();
            let (y, t) = (&z[..n], z[n]);
            let hits = violated(
                self.oracle,
                y,
                t + self.tol,
                &self.span,
                self.span.rank(),
                &self.atoms,
                max_hits,
            )?;
            let mut added = 0;
            for hit in hits {
                // A row already in the program is violated within the simplex tolerance only.
                if !self.active.contains_key(&hit.members) {
                    self.add_row(hit.members)?;
                    added += 1;
                }
            }
            if added == 0 {
                if self.lp.box_binds() {
                    return Err(self.fail(RowLpError::Unbounded));
                }
                let mut binding: Vec<(usize, f64)> = self
                    .lp
                    .basis_duals()
                    .filter(|&(r, d)| d > DUAL_TOL && self.row_of.contains_key(&r))
                    .collect();
                binding.sort_by(|a, b| b.1.total_cmp(&a.1));
                return Ok((y.to_vec(), t, binding.into_iter().map(|(r, _)| r).collect()));
            }
        }
        Err(Error::numerical(
            self.concept,
            format!("constraint generation did not settle in {MAX_ROUNDS} rounds"),
        ))
    }

    /// The coalitions whose rows the program holds (besides the fixed ones).
    pub(super) fn active_rows(&self) -> Vec<Vec<usize>> {
        self.active.keys().cloned().collect()
    }

    fn excess(&mut self, members: &[usize], y: &[f64]) -> Result<f64> {
        Ok(self.oracle.w(members)? - members.iter().map(|&i| y[i]).sum::<f64>())
    }

    fn in_span(&self, members: &[usize]) -> bool {
        // A union of atoms is in the span for sure when the span has the atoms' dimension.
        !self.atoms.splits(members)
            && (self.span.rank() == self.atoms.count()
                || self.span.contains_within(members, self.span.rank()))
    }

    /// Runs the stages until the fixed coalitions span `R^n`; returns the point solved from
    /// the `n` equalities.
    pub(super) fn run(&mut self) -> Result<Vec<f64>> {
        let n = self.n;
        while self.span.rank() < n {
            let record = Record {
                level: 0.0,
                rank_before: self.span.rank(),
                atoms_before: self.atoms.clone(),
            };
            let (y, t, binding) = self.stage()?;
            let before = self.span.rank();
            for &r in &binding {
                // Fixed at the excess the point attains (t up to rounding), so that y stays
                // feasible for the next stage.
                let members = self.row_of[&r].clone();
                let level = self.excess(&members, &y)?;
                if self.span.add(&members) {
                    self.atoms.refine(&members);
                    self.fixed.push((members, level));
                }
            }
            if self.span.rank() == before {
                return Err(Error::numerical(
                    self.concept,
                    format!("no coalition could be fixed at excess level {t}"),
                ));
            }
            self.records.push(Record { level: t, ..record });
            if self.span.rank() < n {
                self.advance(&y, binding[0])?;
            }
        }
        self.point()
    }

    /// The program of the next stage from this one's optimal basis. The first binding row
    /// (largest dual) leaves the basis for the artificial row `t >= t_k`, tight at `y` (the
    /// pivot element is that dual, positive); every coalition row now inside the span becomes
    /// the equality `y(S) = w(S) - e(S, y)` (in the basis, a replacement whose pivot element
    /// is 1, as the only dual left is the artificial row's) or, out of the basis, leaves the
    /// program. The point is unchanged and optimal with the artificial row; `RowLp::relax`
    /// then drops that row by primal simplex steps, which stop at the first rows the falling
    /// level meets: a few pivots per stage where a restart would cross the whole (highly
    /// degenerate) optimal face. Rows beyond the pool's size leave by lowest excess; if any
    /// step fails, the program is built afresh from the fixed and the pooled coalitions.
    fn advance(&mut self, y: &[f64], first: usize) -> Result<()> {
        let n = self.n;
        let warm = self.warm(y, first)?;
        let mut pool: Vec<(f64, Vec<usize>)> = Vec::new();
        if !warm {
            let coalitions: Vec<Vec<usize>> = self.active.keys().cloned().collect();
            for members in coalitions {
                if !self.in_span(&members) {
                    pool.push((self.excess(&members, y)?, members));
                }
            }
            pool.sort_by(|a, b| b.0.total_cmp(&a.0));
            pool.truncate(POOL_PER_PLAYER * n);
            return self.rebuild(pool.into_iter().map(|(_, m)| m).collect());
        }
        let limit = (POOL_PER_PLAYER * n).max(256);
        if self.active.len() > limit {
            let rows: Vec<(usize, Vec<usize>)> =
                self.row_of.iter().map(|(&r, m)| (r, m.clone())).collect();
            let mut by_excess: Vec<(f64, usize)> = Vec::with_capacity(rows.len());
            for (r, members) in rows {
                by_excess.push((self.excess(&members, y)?, r));
            }
            by_excess.sort_by(|a, b| a.0.total_cmp(&b.0));
            let mut extra = self.active.len() - limit;
            for (_, r) in by_excess {
                if extra == 0 {
                    break;
                }
                if self.lp.retire(r) {
                    let members = self.row_of.remove(&r).expect("a coalition row");
                    self.active.remove(&members);
                    self.retired += 1;
                    extra -= 1;
                }
            }
        }
        if self.retired > self.row_of.len() {
            let map = self.lp.compact();
            let old = std::mem::take(&mut self.row_of);
            for (r, members) in old {
                let new = map[r].expect("live rows stay");
                self.active.insert(members.clone(), new);
                self.row_of.insert(new, members);
            }
            self.retired = 0;
        }
        Ok(())
    }

    /// The warm step of [`Stages::advance`]; false when the program must be built afresh.
    fn warm(&mut self, y: &[f64], first: usize) -> Result<bool> {
        let n = self.n;
        // The artificial row t >= t_k, tight at y: it takes the first binding row's place.
        let t = self.lp.point()[n];
        let artificial = self.lp.add_ge(&[(n, 1.0)], t);
        if self.lp.swap(first, artificial).is_err() {
            return Ok(false);
        }
        let rows: Vec<(usize, Vec<usize>)> =
            self.row_of.iter().map(|(&r, m)| (r, m.clone())).collect();
        let basic: std::collections::HashSet<usize> =
            self.lp.basis_duals().map(|(r, _)| r).collect();
        for (r, members) in rows {
            if !self.in_span(&members) {
                continue;
            }
            self.row_of.remove(&r);
            self.active.remove(&members);
            if r == first || basic.contains(&r) {
                let rhs = self.oracle.w(&members)? - self.excess(&members, y)?;
                if self.lp.rewrite(r, &indicator(&members), true, rhs).is_err() {
                    return Ok(false);
                }
            } else {
                self.lp.retire(r);
                self.retired += 1;
            }
        }
        self.retired += 1;
        Ok(self.lp.relax(artificial).is_ok())
    }

    /// The point of the `n` independent equalities `y(N) = w(N)`, `y(S) = w(S) - level`.
    fn point(&mut self) -> Result<Vec<f64>> {
        let n = self.n;
        let mut a = DMatrix::zeros(n, n);
        let mut b = DVector::zeros(n);
        for c in 0..n {
            a[(0, c)] = 1.0;
        }
        b[0] = self.wn;
        let fixed = self.fixed.clone();
        for (r, (members, level)) in fixed.iter().enumerate() {
            for &c in members {
                a[(r + 1, c)] = 1.0;
            }
            b[r + 1] = self.oracle.w(members)? - level;
        }
        let y = a.lu().solve(&b).ok_or_else(|| {
            Error::numerical(
                self.concept,
                "the fixed coalitions do not determine a single point",
            )
        })?;
        Ok(y.iter().copied().collect())
    }
}
