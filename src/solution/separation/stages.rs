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

/// What a stage fixed: its level and the span and atoms it started from (for the final
/// certificate).
pub(super) struct Record {
    pub(super) level: f64,
    pub(super) rank_before: usize,
    pub(super) atoms_before: Atoms,
}

/// The state of the sequential LPs.
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
    /// Coalition rows carried into the next LP, with `w(S)`.
    active: HashMap<Vec<usize>, f64>,
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
        let mut active = HashMap::new();
        for i in 0..n {
            active.insert(vec![i], 0.0);
            if n > 2 {
                let rest: Vec<usize> = (0..n).filter(|&j| j != i).collect();
                let w = oracle.w(&rest)?;
                active.insert(rest, w);
            }
        }
        Ok(Stages {
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
            active,
        })
    }

    fn row(&self, members: &[usize]) -> Vec<(usize, f64)> {
        let mut row: Vec<(usize, f64)> = members.iter().map(|&i| (i, 1.0)).collect();
        row.push((self.n, 1.0));
        row
    }

    /// One stage: `min t` subject to `y(N) = w(N)`, the fixed coalitions at their levels,
    /// `y_i >= 0` for the nucleolus, and `y(S) + t >= w(S)` for the coalitions outside the
    /// span, added by separation. Returns `(y, t)` and the coalitions whose rows have a
    /// positive dual value at the optimum (their excess is `t` on the whole optimal face).
    pub(super) fn stage(&mut self) -> Result<(Vec<f64>, f64, Vec<Vec<usize>>)> {
        let n = self.n;
        let concept = self.concept;
        let fail = |e: RowLpError| e.into_error(concept);
        let mut objective = vec![0.0; n + 1];
        objective[n] = 1.0;
        let mut lp = RowLp::new(objective, self.lp_box, self.tol);
        let all: Vec<(usize, f64)> = (0..n).map(|i| (i, 1.0)).collect();
        lp.add_eq(&all, self.wn);
        for (members, level) in &self.fixed {
            let w = self.oracle.w(members)?;
            let row: Vec<(usize, f64)> = members.iter().map(|&i| (i, 1.0)).collect();
            lp.add_eq(&row, w - level);
        }
        if self.imputation {
            for i in 0..n {
                lp.add_ge(&[(i, 1.0)], 0.0);
            }
        }
        let mut row_of: HashMap<usize, Vec<usize>> = HashMap::new();
        let mut pool: Vec<(&Vec<usize>, &f64)> = self.active.iter().collect();
        pool.sort_unstable_by(|a, b| a.0.cmp(b.0));
        for (members, &w) in pool {
            let r = lp.add_ge(&self.row(members), w);
            row_of.insert(r, members.clone());
        }
        let max_hits = (4 * n).max(32);
        for _ in 0..MAX_ROUNDS {
            cancel::check()?;
            lp.solve().map_err(fail)?;
            let z = lp.point().to_vec();
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
                if self.active.contains_key(&hit.members) {
                    // A row already in the LP, violated within the simplex tolerance only.
                    continue;
                }
                let w = self.oracle.w(&hit.members)?;
                let r = lp.add_ge(&self.row(&hit.members), w);
                row_of.insert(r, hit.members.clone());
                self.active.insert(hit.members, w);
                added += 1;
            }
            if added == 0 {
                if lp.box_binds() {
                    return Err(fail(RowLpError::Unbounded));
                }
                let binding: Vec<Vec<usize>> = lp
                    .duals()
                    .filter(|&(_, d)| d > DUAL_TOL)
                    .filter_map(|(r, _)| row_of.get(&r).cloned())
                    .collect();
                return Ok((y.to_vec(), t, binding));
            }
        }
        Err(Error::numerical(
            self.concept,
            format!("constraint generation did not settle in {MAX_ROUNDS} rounds"),
        ))
    }

    /// The coalitions whose rows the LP holds (besides the fixed ones).
    pub(super) fn active_rows(&self) -> Vec<Vec<usize>> {
        self.active.keys().cloned().collect()
    }

    fn excess(&mut self, members: &[usize], y: &[f64]) -> Result<f64> {
        Ok(self.oracle.w(members)? - members.iter().map(|&i| y[i]).sum::<f64>())
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
            for members in binding {
                // Fixed at the excess the point attains (t up to rounding), so that y stays
                // feasible for the next stage.
                let level = self.excess(&members, &y)?;
                self.active.remove(&members);
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
            // Rows now in the span leave; of the others the next stage keeps those of highest
            // excess at y (the separation brings back any dropped row it violates).
            let keys: Vec<Vec<usize>> = self.active.keys().cloned().collect();
            let mut pool: Vec<(f64, Vec<usize>, f64)> = Vec::with_capacity(keys.len());
            for members in keys {
                if self.atoms.splits(&members)
                    || !self.span.contains_within(&members, self.span.rank())
                {
                    let w = self.active[&members];
                    let e = self.excess(&members, &y)?;
                    pool.push((e, members, w));
                }
            }
            pool.sort_unstable_by(|a, b| b.0.total_cmp(&a.0));
            pool.truncate((8 * n).max(256));
            self.active = pool.into_iter().map(|(_, m, w)| (m, w)).collect();
        }
        self.point()
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
