//! The stable split nearest to a reference: [`Game::closest_core_point`].
//!
//! Negotiations start from a reference (today's split, a proportional rule, a political
//! proposal). The question is the least change that makes it stable: the point of the core
//! `C = {x : x(N) = v(N), x(S) >= v(S)}` (within policy [`Bounds`]) nearest to the reference
//! `r` in a chosen norm,
//!
//! `min ||x - r||  s.t.  x in C, floor_i <= x_i <= cap_i`.
//!
//! When the core is empty the least core `{x : x(N) = v(N), x(S) >= v(S) - epsilon}` (Maschler,
//! Peleg and Shapley 1979) stands in for it, and the result says so ([`Target::LeastCore`]);
//! with bounds, the least core within them (`epsilon` from
//! [`Game::least_core_within`](crate::Game::least_core_within)): when no split is stable,
//! the agreement needs the least unstable one that its clauses allow. When the core is not
//! empty but the bounds leave no room in it, the answer is [`Error::Infeasible`] with the
//! constraints at fault (see [`Conflict`](crate::solution::bounds::Conflict)): the clauses
//! cost stability, and `least_core_within` gives the most stable split they allow.
//!
//! **Norms.** L2 (Euclidean) has a unique answer, the projection of `r` on a polytope: a
//! quadratic program, solved by the interior-point solver Clarabel (P. J. Goulart and Y. Chen,
//! "Clarabel: an interior-point solver for conic programs with quadratic objectives", 2024)
//! with the coalition rows added by constraint generation. L1 (total money moved) and L∞ (the
//! largest single change) are linear programs (the row simplex of `lp::rows`); their optimal
//! sets can hold many points, and the one returned is the nearest to `r` in L2 among them
//! (unique, and equal shares for symmetric players). Every stable share lies in a known range
//! (`v({i}) - epsilon <= x_i <= v(N) - v(N \ i) + epsilon`); for L1 and L∞ a reference share
//! beyond it is first moved to its edge, which changes every distance by the same amount per
//! player, so that a reference `10^8` away is handled at the scale of the game.
//!
//! **Exactness and verification.** The interior-point answer is polished: its binding rows are
//! solved exactly for the projection `y = r + A^T lambda, A y = b` (minimum-norm least squares
//! with iterative refinement), and the result is checked against the Karush–Kuhn–Tucker
//! conditions: feasible for every coalition (one streaming pass over the `2^n` values) and the
//! bounds, multipliers of the inequality rows nonnegative (for L1, those of the pinned shares
//! within the multiplier of the distance row). A point that fails the check is an
//! [`Error::Solver`], never a number. Everything runs on the zero-normalised game, so budgets
//! of `10^8` with a surplus of a few units are solved at the scale of the surplus.

use std::collections::HashSet;
use std::fmt;
use std::str::FromStr;

use clarabel::algebra::CscMatrix;
use clarabel::solver::{
    DefaultSettings, DefaultSolver, IPSolver, NonnegativeConeT, SolverStatus, SupportedConeT,
    ZeroConeT,
};
use nalgebra::{DMatrix, DVector};
use serde::Serialize;

use crate::cancel;
use crate::coalition::Coalition;
use crate::error::{Error, Result, SolverFailure};
use crate::game::Game;
use crate::lp::rows::RowLp;
use crate::progress::Task;
use crate::solution::bounds::{conflict_of, Bounds, Limits, Row, Scale};
use crate::solution::core::{
    indicator, least_core_normal, most_violated, most_violated_except, CutLp,
};
use crate::solution::normal::{accurate_sum, Normal};
use crate::solution::{write_rows, Allocation};

const CONCEPT: &str = "the closest core point";
/// Rounds of constraint generation before giving up.
const MAX_ROUNDS: usize = 200;

/// How distance to the reference is measured.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Norm {
    /// `sum_i |x_i - r_i|`: the total money that changes hands.
    L1,
    /// `sqrt(sum_i (x_i - r_i)^2)`: the Euclidean distance (a unique nearest point).
    L2,
    /// `max_i |x_i - r_i|`: the largest change any one member sees.
    LInf,
}

impl Norm {
    /// `"l1"`, `"l2"` or `"linf"`.
    pub fn name(self) -> &'static str {
        match self {
            Norm::L1 => "l1",
            Norm::L2 => "l2",
            Norm::LInf => "linf",
        }
    }

    /// The norm of `d`.
    pub fn of(self, d: &[f64]) -> f64 {
        match self {
            Norm::L1 => accurate_sum(d.iter().map(|x| x.abs())),
            Norm::L2 => accurate_sum(d.iter().map(|x| x * x)).sqrt(),
            Norm::LInf => d.iter().fold(0.0, |m, x| m.max(x.abs())),
        }
    }
}

impl FromStr for Norm {
    type Err = Error;
    fn from_str(s: &str) -> Result<Norm> {
        match s.to_ascii_lowercase().replace(['-', '_', ' '], "").as_str() {
            "l1" | "manhattan" => Ok(Norm::L1),
            "l2" | "euclidean" => Ok(Norm::L2),
            "linf" | "max" | "chebyshev" => Ok(Norm::LInf),
            other => Err(Error::InvalidParameter {
                name: "norm",
                reason: format!("{other:?} is not a norm; use \"l1\", \"l2\" or \"linf\""),
            }),
        }
    }
}

/// The stable set the nearest point was taken from.
#[derive(Clone, Copy, Debug, PartialEq, Serialize)]
#[serde(tag = "set", rename_all = "snake_case")]
pub enum Target {
    /// The core (nonempty).
    Core,
    /// The least core: the core is empty, and every coalition is short by at most `epsilon`.
    LeastCore {
        /// The least core's value (positive), in the game's units.
        epsilon: f64,
    },
}

/// The result of [`Game::closest_core_point`].
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct ClosestPoint {
    /// The nearest stable allocation within the bounds.
    pub allocation: Allocation,
    /// The reference it is nearest to.
    pub reference: Allocation,
    /// The norm of the distance.
    pub norm: Norm,
    /// `||allocation - reference||` in that norm.
    pub distance: f64,
    /// Core, or least core when the core is empty.
    pub target: Target,
}

impl fmt::Display for ClosestPoint {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let values = self.allocation.values();
        let scale = crate::display::scale_of(values.iter().chain(self.reference.values()));
        let what = match self.target {
            Target::Core => "core".to_string(),
            Target::LeastCore { epsilon } => format!(
                "least core (the core is empty; epsilon = {})",
                crate::display::fmt_number(epsilon, scale)
            ),
        };
        writeln!(
            f,
            "closest point of the {what} to the reference ({} distance {})",
            self.norm.name(),
            crate::display::fmt_number(self.distance, scale)
        )?;
        let numbers = crate::display::shown_together(values, Some(scale));
        let names = self.allocation.players().iter().map(String::as_str);
        write_rows(f, names.zip(numbers))
    }
}

/// A linear row `a·z (>= | =) b` of the quadratic programs, with what it stands for.
#[derive(Clone, Debug)]
struct QpRow {
    coefs: Vec<(usize, f64)>,
    rhs: f64,
    kind: RowKind,
}

#[derive(Clone, Copy, Debug, PartialEq)]
enum RowKind {
    /// `y(N) = w(N)`: free multiplier.
    Efficiency,
    /// An inequality `a·y >= b`: multiplier >= 0.
    Ge,
    /// `y_i = r_i` where an L1 solution keeps a share: multiplier within that of the L1 row.
    Pin,
    /// The L1 distance row `-sigma·y >= -(D + sigma·r)`.
    Distance,
}

impl Game {
    /// The stable allocation nearest to `reference` (a status quo, a proportional rule, a
    /// proposal) in the norm `norm`, within `bounds` if given:
    /// `min ||x - r|| s.t. x(N) = v(N), x(S) >= v(S) for all S, floor_i <= x_i <= cap_i`
    /// (cost games: `x(S) <= c(S)`, bounds on cost shares).
    ///
    /// When the core is empty, the least core (`x(S) >= v(S) - epsilon`, Maschler, Peleg and
    /// Shapley 1979; within the bounds if given) stands in for it, and
    /// [`ClosestPoint::target`] says so. When the core is not empty but the bounds leave no
    /// room in it, [`Error::Infeasible`] names an irreducible set of coalitions and bounds that
    /// cannot hold together, with the amount by which they fail
    /// ([`Game::least_core_within`] then gives the most stable split the bounds allow).
    /// L2 answers are unique; L1 and L∞ answers are the L2-nearest among the optimal points.
    /// Every answer is checked against the optimality (KKT) conditions (see the module docs).
    ///
    /// Cost: a least-core LP, then a few small LPs or quadratic programs, each followed by one
    /// streaming pass over the `2^n` values.
    ///
    /// # Example
    /// With `v(AB) = 90, v(AC) = 80, v(BC) = 70, v(N) = 150`, the split `(100, 40, 10)`
    /// leaves `{B, C}` with 50 where it can make 70 alone. The nearest stable split (L2) takes
    /// 20 from `A` and gives 10 each to `B` and `C`.
    /// ```
    /// use coalitional::{Game, Norm};
    /// let g = Game::from_fn(vec!["A".into(), "B".into(), "C".into()], |s| {
    ///     [0.0, 0.0, 0.0, 90.0, 0.0, 80.0, 70.0, 150.0][s.index()]
    /// }).unwrap();
    /// let p = g.closest_core_point(&[100.0, 40.0, 10.0], Norm::L2, None).unwrap();
    /// assert_eq!(p.allocation.values(), &[80.0, 50.0, 20.0]);
    /// ```
    pub fn closest_core_point(
        &self,
        reference: &[f64],
        norm: Norm,
        bounds: Option<&Bounds>,
    ) -> Result<ClosestPoint> {
        let n = self.n();
        if reference.len() != n {
            return Err(Error::AllocationLength {
                got: reference.len(),
                n,
            });
        }
        if let Some(i) = reference.iter().position(|x| !x.is_finite()) {
            return Err(Error::InvalidParameter {
                name: "reference",
                reason: format!("the entry for {} is {}", self.players()[i], reference[i]),
            });
        }
        if let Some(b) = bounds {
            b.check(self.players())?;
        }
        let task = Task::begin(None);
        let nm = self.normal()?;
        let limits = match bounds {
            Some(b) => Limits::of(&nm, b),
            None => Limits::open(n),
        };
        let scale = limits.scale(&nm);
        if let Some(conflict) = limits.efficiency_conflict(&nm, self.players(), scale.decision) {
            return Err(Error::Infeasible {
                concept: CONCEPT,
                conflict,
            });
        }
        // The stable set: the core, or the least core when the core is empty.
        // The stable set: the core (relaxed by a least-core value within the tolerance, if
        // positive), or, when the core is empty, the least core within the bounds.
        let (offset, target) = if n < 2 {
            (0.0, Target::Core)
        } else {
            let (eps, _) = least_core_normal(&nm, &Limits::open(n), &task)?;
            if eps <= nm.decision_tol() {
                (eps.max(0.0), Target::Core)
            } else {
                let eps = if limits.is_open() {
                    eps
                } else {
                    least_core_normal(&nm, &limits, &task)?.0.max(eps)
                };
                (
                    eps,
                    Target::LeastCore {
                        epsilon: nm.shift.unscale(eps),
                    },
                )
            }
        };
        let r = nm.lower(reference);
        let wn = nm.w().grand_value();
        // Every stable share lies in [lo_i, hi_i]: y_i >= w({i}) - offset = -offset and
        // y_i = w(N) - y(N \ i) <= w(N) - w(N \ i) + offset, within the bounds. A reference
        // beyond that range is moved to its edge for L1 and L∞ (`delta` is how far): for every
        // stable y, |y_i - r_i| = |y_i - clamped_i| + delta_i, so the L1 problem is unchanged
        // and the L∞ one keeps its offsets, with every number at the scale of the game.
        let full = (1u64 << n) - 1;
        let ranges: Vec<(f64, f64)> = (0..n)
            .map(|i| {
                let others = nm.w().value(Coalition::from_mask(full & !(1 << i)));
                let lo = (-offset).max(limits.lo[i]);
                let hi = (wn - others + offset).min(limits.hi[i]).max(lo);
                (lo, hi)
            })
            .collect();
        let clamped: Vec<f64> = r
            .iter()
            .zip(&ranges)
            .map(|(&ri, &(lo, hi))| ri.clamp(lo, hi))
            .collect();
        let delta: Vec<f64> = r.iter().zip(&clamped).map(|(a, b)| (a - b).abs()).collect();
        let exact = Problem::new(&nm, &limits, &scale, offset, &r, &r);
        if matches!(target, Target::Core) && !limits.is_open() {
            exact.check_room(self.players(), &task)?;
        }
        let y = if n == 1 {
            // One player: the only efficient allocation (the bounds were checked against it).
            vec![wn]
        } else if exact.feasible(&r)? {
            r.clone()
        } else {
            // L1 and L∞: the least distance by an LP (from the moved reference), then the
            // L2-nearest point to the reference among those within it, relaxed by the LP's
            // tolerance.
            let near = Problem::new(&nm, &limits, &scale, offset, &r, &clamped);
            let slack = n as f64 * scale.tol;
            match norm {
                Norm::L2 => exact.project(&limits, None, &task)?,
                Norm::LInf => {
                    let (most, t) = near.linf_distance(&delta, &ranges, &task)?;
                    let mut boxed = limits.clone();
                    for (i, &ci) in clamped.iter().enumerate() {
                        // |y_i - clamped_i| <= d - delta_i, with d = most + t.
                        let room = (most - delta[i]) + t + slack;
                        if room <= ranges[i].1 - ranges[i].0 {
                            boxed.lo[i] = boxed.lo[i].max(ci - room);
                            boxed.hi[i] = boxed.hi[i].min(ci + room);
                        }
                    }
                    near.project(&boxed, None, &task)?
                }
                Norm::L1 => {
                    let d = near.l1_distance(&task)? + slack;
                    near.project(&limits, Some(d), &task)?
                }
            }
        };
        let allocation = nm.allocation(&y);
        let reference = Allocation::from_parts(self.players(), reference.to_vec(), self.kind());
        let diff: Vec<f64> = allocation
            .values()
            .iter()
            .zip(reference.values())
            .map(|(a, b)| a - b)
            .collect();
        task.finish();
        Ok(ClosestPoint {
            distance: norm.of(&diff),
            allocation,
            reference,
            norm,
            target,
        })
    }
}

/// The nearest-point problem on the normalised game: the stable set `y(N) = w(N)`,
/// `y(S) >= w(S) - offset`, within `limits`, and the reference `r`.
struct Problem<'a, 'g> {
    nm: &'a Normal<'g>,
    limits: &'a Limits,
    scale: &'a Scale,
    offset: f64,
    r: &'a [f64],
    /// The reference the distance constraints of L1 and L∞ are measured from: `r`, or `r`
    /// moved into the range of stable shares (see `closest_core_point`).
    center: &'a [f64],
    lp_box: f64,
}

impl<'a, 'g> Problem<'a, 'g> {
    fn new(
        nm: &'a Normal<'g>,
        limits: &'a Limits,
        scale: &'a Scale,
        offset: f64,
        r: &'a [f64],
        center: &'a [f64],
    ) -> Self {
        let reach = r.iter().chain(center).fold(0.0f64, |m, v| m.max(v.abs()));
        Problem {
            nm,
            limits,
            scale,
            offset,
            r,
            center,
            lp_box: scale.lp_box + 4.0 * reach,
        }
    }

    fn n(&self) -> usize {
        self.nm.n()
    }

    fn tol(&self) -> f64 {
        self.scale.tol
    }

    /// Is `y` in the stable set within the bounds (to the tolerance)?
    fn feasible(&self, y: &[f64]) -> Result<bool> {
        Ok(self.violation(y, self.limits)? <= self.scale.decision)
    }

    /// The largest violation by `y` of efficiency, `limits` and the coalition rows.
    fn violation(&self, y: &[f64], limits: &Limits) -> Result<f64> {
        let w = self.nm.w();
        let eff = (accurate_sum(y.iter().copied()) - w.grand_value()).abs();
        let (excess, _) = most_violated(w, y, false, f64::INFINITY, 0)?;
        Ok(eff
            .max(limits.violation(y))
            .max(excess - self.offset)
            .max(0.0))
    }

    /// Fails with [`Error::Infeasible`] when the bounds leave no room in the stable set: the
    /// least `e` with every row relaxed by `e` is positive, and the rows with positive
    /// duals at that optimum are a Farkas certificate, reduced to an irreducible set.
    fn check_room(&self, players: &[String], task: &Task) -> Result<()> {
        let n = self.n();
        let mut objective = vec![0.0; n + 1];
        objective[n] = 1.0;
        let mut cut = CutLp::new(
            self.nm.w(),
            CONCEPT,
            objective,
            self.lp_box,
            self.tol(),
            Some(n),
            self.offset,
            false,
        );
        cut.efficient();
        let bound_rows = cut.bounds(self.limits, true);
        let z = cut.run(task)?;
        if z[n] <= self.scale.decision {
            return Ok(());
        }
        // The rows of the certificate (positive duals), or, should rounding leave those
        // feasible, every row of the LP.
        let row_of = |r: usize| -> Option<Row> {
            if let Some(mask) = cut.coalition_of(r) {
                let b = self.nm.w().value(Coalition::from_mask(mask)) - self.offset;
                Some(Row::Coalition(mask, b))
            } else {
                let &(_, i, s) = bound_rows.iter().find(|(row, _, _)| *row == r)?;
                let b = if s > 0.0 {
                    self.limits.lo[i]
                } else {
                    -self.limits.hi[i]
                };
                Some(Row::Bound(i, s, b))
            }
        };
        let support: Vec<Row> = cut
            .lp
            .duals()
            .filter(|&(_, dual)| dual > 1e-12)
            .filter_map(|(r, _)| row_of(r))
            .collect();
        let decision = self.scale.decision;
        let lp_box = self.lp_box;
        let conflict = match conflict_of(self.nm, self.limits, players, support, decision, lp_box) {
            Ok(c) => c,
            Err(Error::Interrupted) => return Err(Error::Interrupted),
            Err(_) => {
                let every: Vec<Row> = (0..cut.lp.rows()).filter_map(row_of).collect();
                conflict_of(self.nm, self.limits, players, every, decision, lp_box)?
            }
        };
        Err(Error::Infeasible {
            concept: CONCEPT,
            conflict,
        })
    }

    /// The least L∞ distance from the original reference to the stable set within the
    /// bounds (an LP), with `r` the reference moved into `ranges` and `delta` how far it moved:
    /// `min d s.t. d >= |y_i - r_i| + delta_i`. Returned as `(max delta, d - max delta)`; rows
    /// that cannot bind (`delta_i + width_i < max delta`) are left out, so every number is at
    /// the scale of the game.
    fn linf_distance(
        &self,
        delta: &[f64],
        ranges: &[(f64, f64)],
        task: &Task,
    ) -> Result<(f64, f64)> {
        let n = self.n();
        let most = delta.iter().fold(0.0f64, |m, &d| m.max(d));
        let mut objective = vec![0.0; n + 1];
        objective[n] = 1.0;
        let mut cut = self.cut(objective);
        cut.lp.add_ge(&[(n, 1.0)], 0.0);
        for i in 0..n {
            let width = ranges[i].1 - ranges[i].0;
            if delta[i] + width < most {
                continue;
            }
            let off = delta[i] - most;
            cut.lp.add_ge(&[(n, 1.0), (i, -1.0)], off - self.center[i]);
            cut.lp.add_ge(&[(n, 1.0), (i, 1.0)], off + self.center[i]);
        }
        let z = cut.run(task)?;
        Ok((most, z[n].max(0.0)))
    }

    /// The least L1 distance from `r` to the stable set within the bounds (an LP).
    fn l1_distance(&self, task: &Task) -> Result<f64> {
        let n = self.n();
        let objective: Vec<f64> = (0..2 * n).map(|j| f64::from(u8::from(j >= n))).collect();
        let mut cut = self.cut(objective);
        for i in 0..n {
            cut.lp.add_ge(&[(n + i, 1.0), (i, -1.0)], -self.center[i]);
            cut.lp.add_ge(&[(n + i, 1.0), (i, 1.0)], self.center[i]);
        }
        let z = cut.run(task)?;
        Ok(accurate_sum(z[n..].iter().copied()).max(0.0))
    }

    /// A constraint-generation LP over the stable set within the bounds.
    fn cut(&self, objective: Vec<f64>) -> CutLp<'_> {
        let mut cut = CutLp::new(
            self.nm.w(),
            CONCEPT,
            objective,
            self.lp_box,
            self.tol(),
            None,
            self.offset,
            false,
        );
        cut.efficient();
        cut.bounds(self.limits, false);
        cut
    }

    /// The L2-nearest point to `r` of the stable set within `limits` (and, with `l1`, within
    /// L1 distance `l1` of `r`): Clarabel with constraint generation, then the exact polish
    /// and the KKT check.
    fn project(&self, limits: &Limits, l1: Option<f64>, task: &Task) -> Result<Vec<f64>> {
        let n = self.n();
        let full = (1u64 << n) - 1;
        let mut cuts: Vec<u64> = Vec::new();
        let mut known: HashSet<u64> = HashSet::new();
        for i in 0..n {
            for m in [1u64 << i, full & !(1u64 << i)] {
                if m != full && m != 0 && known.insert(m) {
                    cuts.push(m);
                }
            }
        }
        let batch = (32 * n).max(64);
        for _ in 0..MAX_ROUNDS {
            cancel::check()?;
            task.add(1);
            let z = self.solve_qp(limits, &cuts, l1)?;
            let y = &z[..n];
            let (_, violated) = most_violated_except(
                self.nm.w(),
                y,
                false,
                self.offset + self.tol(),
                batch,
                Some(&known),
            )?;
            if violated.is_empty() {
                return self.polish(limits, &cuts, l1, y);
            }
            for (_, m) in violated {
                if known.insert(m) {
                    cuts.push(m);
                }
            }
        }
        Err(Error::numerical(
            CONCEPT,
            format!("constraint generation did not settle in {MAX_ROUNDS} rounds"),
        ))
    }

    /// One quadratic program: `min 1/2 ||y - r||^2` over `y` (and, with `l1`, `d` with
    /// `d_i >= |y_i - r_i|`, `sum d <= l1`) subject to efficiency, `limits` and the coalition
    /// rows `cuts`; solved by Clarabel on the problem divided by the spread.
    fn solve_qp(&self, limits: &Limits, cuts: &[u64], l1: Option<f64>) -> Result<Vec<f64>> {
        let n = self.n();
        let p = if l1.is_some() { 2 * n } else { n };
        let s = self
            .nm
            .spread
            .max(self.scale.tol / crate::solution::normal::REL_TOL);
        let w = self.nm.w();
        let full = (1u64 << n) - 1;
        // Rows A z + slack = b, slack in {0} (first row) or >= 0: a·z >= c becomes -a·z <= -c.
        let mut rows: Vec<(Vec<(usize, f64)>, f64)> =
            vec![(indicator(full, None), w.grand_value())];
        for &m in cuts {
            let c = w.value(Coalition::from_mask(m)) - self.offset;
            rows.push((neg(&indicator(m, None)), -c));
        }
        for (i, sg, b) in limits.rows() {
            rows.push((vec![(i, -sg)], -b));
        }
        if let Some(d) = l1 {
            for i in 0..n {
                rows.push((vec![(n + i, -1.0), (i, 1.0)], self.center[i]));
                rows.push((vec![(n + i, -1.0), (i, -1.0)], -self.center[i]));
            }
            rows.push(((n..2 * n).map(|j| (j, 1.0)).collect(), d));
        }
        let (mut ii, mut jj, mut vv) = (Vec::new(), Vec::new(), Vec::new());
        for (k, (coefs, _)) in rows.iter().enumerate() {
            for &(j, a) in coefs {
                ii.push(k);
                jj.push(j);
                vv.push(a);
            }
        }
        let a = CscMatrix::new_from_triplets(rows.len(), p, ii, jj, vv);
        let b: Vec<f64> = rows.iter().map(|(_, c)| c / s).collect();
        let pd: Vec<f64> = (0..p).map(|j| f64::from(u8::from(j < n))).collect();
        let pm = CscMatrix::new_from_triplets(p, p, (0..p).collect(), (0..p).collect(), pd);
        let q: Vec<f64> = (0..p)
            .map(|j| if j < n { -self.r[j] / s } else { 0.0 })
            .collect();
        let cones: Vec<SupportedConeT<f64>> = vec![ZeroConeT(1), NonnegativeConeT(rows.len() - 1)];
        let settings = DefaultSettings::<f64> {
            verbose: false,
            ..DefaultSettings::default()
        };
        let mut solver = DefaultSolver::new(&pm, &q, &a, &b, &cones, settings)
            .map_err(|e| Error::numerical(CONCEPT, format!("Clarabel refused the problem: {e}")))?;
        solver.solve();
        match solver.solution.status {
            SolverStatus::Solved | SolverStatus::AlmostSolved => {}
            SolverStatus::PrimalInfeasible | SolverStatus::AlmostPrimalInfeasible => {
                return Err(Error::solver(CONCEPT, SolverFailure::Infeasible))
            }
            SolverStatus::MaxIterations | SolverStatus::MaxTime => {
                return Err(Error::solver(CONCEPT, SolverFailure::IterationLimit))
            }
            other => {
                return Err(Error::numerical(
                    CONCEPT,
                    format!("Clarabel stopped with status {other:?}"),
                ))
            }
        }
        let z: Vec<f64> = solver.solution.x.iter().map(|v| v * s).collect();
        if z.iter().any(|v| !v.is_finite()) {
            return Err(Error::numerical(
                CONCEPT,
                "Clarabel returned a non-finite value",
            ));
        }
        Ok(z)
    }

    /// The rows that bind at `y` within `act`: efficiency, coalition rows (of `cuts`, and any
    /// other within `act`), bound rows, and for L1 the distance row with its pinned shares.
    fn binding_rows(
        &self,
        limits: &Limits,
        cuts: &[u64],
        l1: Option<f64>,
        y: &[f64],
        act: f64,
    ) -> Result<Vec<QpRow>> {
        let n = self.n();
        let w = self.nm.w();
        let full = (1u64 << n) - 1;
        let mut rows: Vec<QpRow> = vec![QpRow {
            coefs: indicator(full, None),
            rhs: w.grand_value(),
            kind: RowKind::Efficiency,
        }];
        let mut seen: HashSet<u64> = HashSet::new();
        let (_, tight) = most_violated(w, y, false, self.offset - act, 4 * n + 64)?;
        for m in cuts.iter().copied().chain(tight.into_iter().map(|t| t.1)) {
            let c = w.value(Coalition::from_mask(m)) - self.offset;
            if y_of(y, m) - c <= act && seen.insert(m) {
                rows.push(self.coalition_row(m));
            }
        }
        for (i, sg, b) in limits.rows() {
            if sg * y[i] - b <= act {
                rows.push(QpRow {
                    coefs: vec![(i, sg)],
                    rhs: b,
                    kind: RowKind::Ge,
                });
            }
        }
        if let Some(d) = l1 {
            let dist = accurate_sum(y.iter().zip(self.center).map(|(a, b)| (a - b).abs()));
            if d - dist <= act * n as f64 {
                let mut coefs = Vec::new();
                let mut rhs_terms = vec![-d];
                for (i, (&yi, &ri)) in y.iter().zip(self.center).enumerate() {
                    let diff = yi - ri;
                    if diff.abs() <= act {
                        rows.push(QpRow {
                            coefs: vec![(i, 1.0)],
                            rhs: ri,
                            kind: RowKind::Pin,
                        });
                    } else {
                        let sg = diff.signum();
                        coefs.push((i, -sg));
                        rhs_terms.push(-sg * ri);
                    }
                }
                rows.push(QpRow {
                    coefs,
                    rhs: accurate_sum(rhs_terms),
                    kind: RowKind::Distance,
                });
            }
        }
        Ok(rows)
    }

    /// The row `y(S) >= w(S) - offset`.
    fn coalition_row(&self, mask: u64) -> QpRow {
        QpRow {
            coefs: indicator(mask, None),
            rhs: self.nm.w().value(Coalition::from_mask(mask)) - self.offset,
            kind: RowKind::Ge,
        }
    }

    /// The exact nearest point, from the interior-point answer `y`: a primal active-set
    /// method (R. Fletcher, *Practical Methods of Optimization*, 2nd ed., 1987, ch. 10) started
    /// at the rows that bind at `y`. Each step projects `r` exactly on the active rows; a
    /// violated row (the most violated coalition or bound) joins, an active inequality with a
    /// negative multiplier leaves, and the point is returned when it passes the KKT check:
    /// feasible everywhere, `y - r` a combination of the active rows with multipliers of the
    /// right signs (pinned shares within the distance row's). An error when no step passes.
    fn polish(
        &self,
        limits: &Limits,
        cuts: &[u64],
        l1: Option<f64>,
        y: &[f64],
    ) -> Result<Vec<f64>> {
        let n = self.n();
        let w = self.nm.w();
        let tol = self.tol();
        let act = 1e-6 * self.scale.tol / crate::solution::normal::REL_TOL;
        let mut rows = self.binding_rows(limits, cuts, l1, y, act)?;
        let mut last = String::from("no step taken");
        for _ in 0..4 * n + 64 {
            cancel::check()?;
            let (point, lambda) = project_on(self.r, &rows);
            // A violated row joins: the most violated coalition, or bound.
            let (excess, top) = most_violated(w, &point, false, self.offset + tol, 1)?;
            let bound = limits
                .rows()
                .map(|(i, sg, b)| (b - sg * point[i], i, sg, b))
                .filter(|v| v.0 > tol)
                .max_by(|a, b| a.0.total_cmp(&b.0));
            let coalition_gap = excess - self.offset;
            match (top.first(), bound) {
                (Some(&(_, m)), Some((gap, ..))) if coalition_gap >= gap => {
                    rows.push(self.coalition_row(m));
                    continue;
                }
                (Some(&(_, m)), None) => {
                    rows.push(self.coalition_row(m));
                    continue;
                }
                (_, Some((_, i, sg, b))) => {
                    rows.push(QpRow {
                        coefs: vec![(i, sg)],
                        rhs: b,
                        kind: RowKind::Ge,
                    });
                    continue;
                }
                (None, None) => {}
            }
            let l1_ok = l1.is_none_or(|d| {
                accurate_sum(point.iter().zip(self.center).map(|(a, b)| (a - b).abs()))
                    <= d + n as f64 * tol
            });
            if !l1_ok {
                last = "the point leaves the L1 ball".into();
                break;
            }
            if self.violation(&point, limits)? <= tol
                && multipliers_exist(self.r, &point, &rows, &lambda)?
            {
                return Ok(snap(&point, self.nm.spread, n));
            }
            // An active inequality with a negative multiplier leaves.
            let leaving = rows
                .iter()
                .zip(&lambda)
                .enumerate()
                .filter(|(_, (row, _))| row.kind == RowKind::Ge)
                .min_by(|a, b| a.1 .1.total_cmp(b.1 .1))
                .filter(|(_, (_, &mu))| mu < 0.0)
                .map(|(k, _)| k);
            match leaving {
                Some(k) => {
                    rows.remove(k);
                }
                None => {
                    last = "no multiplier of the wrong sign to drop (degenerate rows)".into();
                    break;
                }
            }
        }
        Err(Error::unverified(
            CONCEPT,
            "kkt",
            format!("the active-set steps found no point that passes the KKT check ({last})"),
        ))
    }
}

/// `-a`.
fn neg(a: &[(usize, f64)]) -> Vec<(usize, f64)> {
    a.iter().map(|&(j, v)| (j, -v)).collect()
}

fn y_of(y: &[f64], mask: u64) -> f64 {
    accurate_sum(Coalition::from_mask(mask).members().map(|i| y[i]))
}

/// Shares within the rounding of the game's scale of zero are zero.
fn snap(y: &[f64], spread: f64, n: usize) -> Vec<f64> {
    let eps = crate::solution::normal::rounding(8 * n, spread);
    y.iter()
        .map(|&v| if v.abs() <= eps { 0.0 } else { v })
        .collect()
}

/// The projection of `r` on `{y : a_k·y = b_k for every row}`: `y = r + A^T lambda` with
/// `A A^T lambda = b - A r` over a linearly independent subset of the rows (a row dependent on
/// earlier ones gets multiplier 0 and is not enforced: the caller checks feasibility), solved
/// by Cholesky and refined four times on exactly summed residuals. Each share is summed from
/// the same terms in the same order for players with equal columns, so symmetric players get
/// bit-identical shares. Returns `y` and one multiplier per row.
fn project_on(r: &[f64], rows: &[QpRow]) -> (Vec<f64>, Vec<f64>) {
    let n = r.len();
    let dense = |row: &QpRow| {
        let mut a = vec![0.0; n];
        for &(j, v) in &row.coefs {
            a[j] += v;
        }
        a
    };
    // Independent rows by Gram–Schmidt.
    let mut basis: Vec<Vec<f64>> = Vec::new();
    let mut chosen: Vec<usize> = Vec::new();
    for (k, row) in rows.iter().enumerate() {
        let a = dense(row);
        let mut q = a.clone();
        for b in &basis {
            let d: f64 = q.iter().zip(b).map(|(x, y)| x * y).sum();
            for (x, y) in q.iter_mut().zip(b) {
                *x -= d * y;
            }
        }
        let norm = q.iter().map(|x| x * x).sum::<f64>().sqrt();
        let size = a.iter().map(|x| x * x).sum::<f64>().sqrt();
        if norm > 1e-9 * size.max(1.0) {
            basis.push(q.iter().map(|x| x / norm).collect());
            chosen.push(k);
        }
    }
    let k = chosen.len();
    let a = DMatrix::from_fn(k, n, |i, j| dense(&rows[chosen[i]])[j]);
    let mut multipliers = vec![0.0; rows.len()];
    let Some(chol) = (&a * a.transpose()).cholesky() else {
        return (r.to_vec(), multipliers);
    };
    let point = |lambda: &DVector<f64>| -> Vec<f64> {
        (0..n)
            .map(|j| {
                accurate_sum(std::iter::once(r[j]).chain((0..k).map(|i| a[(i, j)] * lambda[i])))
            })
            .collect()
    };
    let residual = |y: &[f64]| -> DVector<f64> {
        DVector::from_fn(k, |i, _| {
            let row = &rows[chosen[i]];
            accurate_sum(std::iter::once(row.rhs).chain(row.coefs.iter().map(|&(j, v)| -v * y[j])))
        })
    };
    let mut lambda = DVector::zeros(k);
    let mut y = r.to_vec();
    for _ in 0..4 {
        lambda += chol.solve(&residual(&y));
        y = point(&lambda);
    }
    for (i, &row) in chosen.iter().enumerate() {
        multipliers[row] = lambda[i];
    }
    (y, multipliers)
}

/// Are there multipliers `lambda` with `y - r = sum_k lambda_k a_k`, `lambda_k >= 0` on the
/// inequality rows and `|lambda_pin| <= lambda_distance` on the pinned shares (the KKT
/// conditions of the projection, whose binding rows are `rows`)? `given` are the multipliers
/// of the projection (unique when the rows are independent): when they have the right signs
/// that is the answer; otherwise an LP (the row simplex) looks for others, minimising the
/// residual of the equation; yes when it is within rounding of `y - r`.
fn multipliers_exist(r: &[f64], y: &[f64], rows: &[QpRow], given: &[f64]) -> Result<bool> {
    let n = r.len();
    let m = rows.len();
    let delta: Vec<f64> = y.iter().zip(r).map(|(a, b)| a - b).collect();
    let scale = delta.iter().fold(0.0f64, |s, v| s.max(v.abs()));
    let distance = rows.iter().position(|row| row.kind == RowKind::Distance);
    let slack = 1e-9 * given.iter().fold(1.0f64, |s, v| s.max(v.abs()));
    let signs_ok = |lambda: &[f64]| {
        rows.iter().zip(lambda).all(|(row, &mu)| match row.kind {
            RowKind::Efficiency => true,
            RowKind::Ge | RowKind::Distance => mu >= -slack,
            RowKind::Pin => distance.is_some_and(|d| mu.abs() <= lambda[d] + slack),
        })
    };
    if signs_ok(given) {
        return Ok(true);
    }
    // Variables: lambda (m), then residuals p, q >= 0 (n each).
    let mut objective = vec![0.0; m + 2 * n];
    for o in objective.iter_mut().skip(m) {
        *o = 1.0;
    }
    let bound = 1e3 * (scale + given.iter().fold(1.0f64, |s, v| s.max(v.abs())));
    let mut lp = RowLp::new(objective, bound, 1e-12 * bound);
    for (j, &dj) in delta.iter().enumerate() {
        let mut coefs: Vec<(usize, f64)> = rows
            .iter()
            .enumerate()
            .flat_map(|(k, row)| {
                row.coefs
                    .iter()
                    .filter(move |(c, _)| *c == j)
                    .map(move |&(_, v)| (k, v))
            })
            .collect();
        coefs.push((m + j, 1.0));
        coefs.push((m + n + j, -1.0));
        lp.add_eq(&coefs, dj);
    }
    for j in m..m + 2 * n {
        lp.add_ge(&[(j, 1.0)], 0.0);
    }
    for (k, row) in rows.iter().enumerate() {
        match row.kind {
            RowKind::Efficiency => {}
            RowKind::Ge | RowKind::Distance => {
                lp.add_ge(&[(k, 1.0)], 0.0);
            }
            RowKind::Pin => {
                let Some(d) = distance else {
                    return Ok(false);
                };
                lp.add_ge(&[(d, 1.0), (k, -1.0)], 0.0);
                lp.add_ge(&[(d, 1.0), (k, 1.0)], 0.0);
            }
        }
    }
    if lp.solve().is_err() || lp.box_binds() {
        return Ok(false);
    }
    let residual: f64 = lp.point()[m..].iter().sum();
    Ok(residual <= 1e-7 * scale.max(f64::MIN_POSITIVE))
}
