//! The sequential LPs (Maschler, Peleg and Shapley 1979) with constraint generation and the
//! positive-dual fixing rule; see the parent module docs.

use nalgebra::{DMatrix, DVector};
use std::collections::{HashMap, HashSet};

use super::candidates::Candidates;
use super::span::{OffSpan, Span};
use super::symmetry;
use super::weights::Variant;
use crate::cancel;
use crate::coalition::Coalition;
use crate::error::{Error, Result};
use crate::lp::rows::{RowLp, RowLpError};
use crate::progress::Task;
use crate::solution::bounds::Limits;
use crate::solution::core::{indicator, most_violated_weighted, Filter};
use crate::solution::normal::Worths;

/// Coalition rows per player carried from one stage to the next.
const POOL_PER_PLAYER: usize = 64;
/// Rounds of constraint generation per stage before giving up.
const MAX_ROUNDS: usize = 500;
/// Dual values above this mark a row as binding on the whole optimal face.
const DUAL_TOL: f64 = 1e-10;

/// The state of the sequential LPs, on the worths `w` of the normalised game; with weights (see
/// [`Variant`]) the excess is `e(S, x) / w(S)` and a coalition's row `x(S) + w(S) t >= v(S)`.
pub(super) struct Stages<'a> {
    w: Worths<'a>,
    n: usize,
    /// Floors and caps on the shares (the imputation set's `x_i >= v({i})` among them).
    limits: &'a Limits,
    tol: f64,
    /// The box of the LPs (see `RowLp::new`).
    lp_box: f64,
    /// Fixed coalitions and their excess levels.
    fixed: Vec<(u64, f64)>,
    span: Span,
    /// Coalition rows of the LP (not fixed, not implicit).
    active: HashSet<u64>,
    variant: Variant<'a>,
    concept: &'static str,
    /// The coalitions the stages may still find violated (plain excesses only).
    candidates: Candidates,
    /// Pairs of symmetric players, held at `x_i = x_j` (see `symmetry`).
    sym: Vec<(usize, usize)>,
    /// Worths closer than this count as equal in the test of symmetric players: the rounding
    /// of the inputs, not the solver's tolerance (a difference of a few units in worths of
    /// 1e9 is real, and the answer must keep it).
    pub(super) sym_tol: f64,
    /// The largest `|w(S)|` (the scale of the invariants of the symmetry test).
    pub(super) spread: f64,
}

impl<'a> Stages<'a> {
    /// The stages on the worths `w`, with nothing fixed yet.
    #[allow(clippy::too_many_arguments)]
    pub(super) fn new(
        w: Worths<'a>,
        n: usize,
        limits: &'a Limits,
        tol: f64,
        lp_box: f64,
        variant: Variant<'a>,
        concept: &'static str,
    ) -> Self {
        Stages {
            w,
            n,
            limits,
            tol,
            lp_box,
            fixed: Vec::new(),
            span: Span::new(n),
            active: HashSet::new(),
            variant,
            concept,
            candidates: Candidates::new(),
            sym: Vec::new(),
            sym_tol: 0.0,
            spread: 1.0,
        }
    }
}

impl Stages<'_> {
    fn v(&self, mask: u64) -> f64 {
        self.w.at(mask as usize)
    }

    /// The (weighted) excess `(v(S) - x(S)) / w(S)`.
    fn excess(&self, mask: u64, x: &[f64]) -> f64 {
        (self.v(mask)
            - Coalition::from_mask(mask)
                .members()
                .map(|i| x[i])
                .sum::<f64>())
            / self.variant.weight(mask)
    }

    /// The row `x(S) + w(S) t` (`t` is variable `n`).
    fn row(&self, mask: u64) -> Vec<(usize, f64)> {
        let mut row = indicator(mask, None);
        row.push((self.n, self.variant.weight(mask)));
        row
    }

    /// One stage: `min t` subject to `x(N) = v(N)`, the fixed coalitions at their levels,
    /// the floors and caps (`x_i >= v({i})` for the nucleolus) and `x(S) + t >= v(S)` for the other coalitions, added by
    /// constraint generation. Returns `(x, t)` and the coalitions whose rows have a positive
    /// dual value at the optimum: their excess is `t` on the whole optimal face (complementary
    /// slackness), so they are the ones to fix.
    fn stage(&mut self, task: &Task, k: usize) -> Result<(Vec<f64>, f64, Vec<u64>)> {
        let n = self.n;
        let full = (1u64 << n) - 1;
        let concept = self.concept;
        let fail = |e: RowLpError| e.into_error(concept);
        let mut objective = vec![0.0; n + 1];
        objective[n] = 1.0;
        let mut lp = RowLp::new(objective, self.lp_box, self.tol);
        lp.add_eq(&indicator(full, None), self.v(full));
        for &(mask, level) in &self.fixed {
            lp.add_eq(
                &indicator(mask, None),
                self.v(mask) - level * self.variant.weight(mask),
            );
        }
        for &(i, j) in &self.sym {
            lp.add_eq(&[(i, 1.0), (j, -1.0)], 0.0);
        }
        for (i, s, b) in self.limits.rows() {
            lp.add_ge(&[(i, s)], b);
        }
        // Row index -> coalition, for the rows x(S) + t >= v(S).
        let mut row_mask: HashMap<usize, u64> = HashMap::new();
        let mut pool: Vec<u64> = self.active.iter().copied().collect();
        pool.sort_unstable();
        for mask in pool {
            let r = lp.add_ge(&self.row(mask), self.v(mask));
            row_mask.insert(r, mask);
        }
        // Coalitions in the span of the fixed ones have constant excess on the stage's
        // feasible set: the scans skip them (tested in the scan, not stored: a tie level can
        // hold millions of them).
        let off = OffSpan::of(&self.span);
        self.candidates.new_stage();
        let mut skip_more: HashSet<u64> = HashSet::new();
        for round in 1..=MAX_ROUNDS {
            task.stage(|| format!("LP stage {k} (round {round})"));
            cancel::check()?;
            lp.solve().map_err(fail)?;
            let z = lp.point().to_vec();
            let (x, t) = (&z[..n], z[n]);
            let mut skip: HashSet<u64> = self.active.clone();
            skip.extend(self.fixed.iter().map(|f| f.0));
            skip.extend(skip_more.iter().copied());
            let filter = Filter {
                except: Some(&skip),
                below: f64::INFINITY,
                off_span: Some(&off),
                need_max: false,
            };
            // Rows added per round: a few per player. More rows per round mean fewer rounds
            // but a larger LP whose point jumps further (convex games at n = 20: 8 n rows
            // per round take the nucleolus from 0.14 s to 0.08 s, the prenucleolus from 0.23 s
            // to 0.08 s, against 128 n).
            let limit = (8 * n).max(64);
            let violated = match self.variant.inv() {
                None => self
                    .candidates
                    .violated(self.w, x, t + self.tol, limit, filter)?,
                inv => {
                    most_violated_weighted(self.w, inv, x, false, t + self.tol, limit, filter)?.1
                }
            };
            let (mut added, mut moved) = (0, 0);
            for (_, mask) in violated {
                if mask == full {
                    continue;
                }
                if self.span.contains(mask) {
                    // Missed by the random test (a chance of order 1e-9): such rows are few,
                    // and in the LP they would bind nothing; skipped by `except` from now on.
                    skip_more.insert(mask);
                    moved += 1;
                } else {
                    self.active.insert(mask);
                    let r = lp.add_ge(&self.row(mask), self.v(mask));
                    row_mask.insert(r, mask);
                    added += 1;
                }
            }
            if added == 0 && moved > 0 {
                // The scan's list was all coalitions of constant excess: the scan is
                // repeated without them, since violated rows may lie beyond the list.
                continue;
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
        Err(Error::numerical(
            self.concept,
            format!("constraint generation did not settle in {MAX_ROUNDS} rounds"),
        ))
    }

    fn fix(&mut self, mask: u64, level: f64) {
        self.active.remove(&mask);
        if self.span.add(mask) {
            self.fixed.push((mask, level));
        }
    }

    /// Runs the stages; returns the point. Progress: `task` reaches the rank the fixed
    /// coalitions add to `{N}` (see `crate::progress`).
    pub(super) fn run(&mut self, task: &Task) -> Result<Vec<f64>> {
        let n = self.n;
        let full = (1u64 << n) - 1;
        self.span.add(full);
        // The blocks of a coalition structure: held at x(B) = v(B) (excess 0) throughout;
        // a block in the span of the others and N is implied by them.
        for &b in self.variant.blocks {
            if self.span.add(b) {
                self.fixed.push((b, 0.0));
            }
        }
        if self.variant.blocks.is_empty() {
            // Symmetric players with the same floor and cap get equal shares.
            let limits = self.limits;
            for (i, j) in
                symmetry::symmetric_pairs(self.w, self.spread, self.variant.inv(), self.sym_tol)?
            {
                if limits.lo[i] == limits.lo[j]
                    && limits.hi[i] == limits.hi[j]
                    && self.span.add_difference(i, j)
                {
                    self.sym.push((i, j));
                }
            }
        }
        for i in 0..n {
            self.active.insert(1 << i);
            if n > 2 {
                self.active.insert(full & !(1 << i));
            }
        }
        self.active.remove(&full);
        let span = &self.span;
        self.active.retain(|&m| !span.contains(m));
        let mut k = 0;
        while self.span.rank() < n {
            k += 1;
            let (x, t, binding) = self.stage(task, k)?;
            let before = self.span.rank();
            for mask in binding {
                // Fixed at the excess the point attains (t up to the solver's rounding), so
                // that x stays feasible for the next stage.
                let level = self.excess(mask, &x);
                self.fix(mask, level);
            }
            if self.span.rank() == before {
                return Err(Error::numerical(
                    self.concept,
                    format!("no coalition could be fixed at excess level {t}"),
                ));
            }
            task.reach((self.span.rank() - 1) as u64);
            // Rows now in the span have constant excess and leave; of the others the next
            // stage keeps those with the highest excess at x (its level is at most t, and
            // the scans bring back any dropped row it violates), so that the pool stays small.
            let mut pool: Vec<(f64, u64)> = Vec::with_capacity(self.active.len());
            let off = OffSpan::of(&self.span);
            for &m in &self.active {
                if !off.in_span(m) {
                    pool.push((self.excess(m, &x), m));
                }
            }
            pool.sort_unstable_by(|a, b| b.0.total_cmp(&a.0).then(a.1.cmp(&b.1)));
            pool.truncate((POOL_PER_PLAYER * n).max(256));
            self.active = pool.into_iter().map(|(_, m)| m).collect();
        }
        // Solve the n independent equalities x(S) = v(S) - level (and x(N) = v(N), and
        // x_i - x_j = 0 for the symmetric pairs).
        let mut rows: Vec<(Vec<f64>, f64)> = Vec::with_capacity(n);
        let ones = |m: u64| {
            (0..n)
                .map(|c| f64::from(u8::from(m >> c & 1 == 1)))
                .collect()
        };
        rows.push((ones(full), self.w.grand_value()));
        for &(m, level) in &self.fixed {
            rows.push((ones(m), self.v(m) - level * self.variant.weight(m)));
        }
        for &(i, j) in &self.sym {
            let mut r = vec![0.0; n];
            (r[i], r[j]) = (1.0, -1.0);
            rows.push((r, 0.0));
        }
        let a = DMatrix::from_fn(n, n, |r, c| rows[r].0[c]);
        let b = DVector::from_fn(n, |r, _| rows[r].1);
        let x = a.lu().solve(&b).ok_or_else(|| {
            Error::numerical(
                self.concept,
                "the fixed coalitions do not determine a single point",
            )
        })?;
        Ok(x.iter().copied().collect())
    }
}

impl Stages<'_> {
    /// The pairs of symmetric players the stages held equal.
    pub(super) fn symmetric(&self) -> &[(usize, usize)] {
        &self.sym
    }
}
