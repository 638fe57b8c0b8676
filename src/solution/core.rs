//! The core, the least core and the cost of stability.
//!
//! For a value game the **core** (Gillies 1959) is the set of efficient allocations that no
//! coalition can improve on alone: `{x : x(N) = v(N), x(S) >= v(S) for all S}`. Its emptiness
//! is decided by the **least core** (Maschler, Peleg and Shapley 1979, "Geometric properties of
//! the kernel, nucleolus and related solution concepts"):
//!
//! `epsilon* = min e  s.t.  x(N) = v(N),  x(S) >= v(S) - e  for all proper nonempty S`,
//!
//! (`e` may be negative); the core is nonempty iff `epsilon* <= 0`. The **cost of stability**
//! (Bachrach, Elkind, Meir, Pasechnik, Zuckerman, Rothe and Rosenschein 2009, "The cost of
//! stability in coalitional games") is the least outside subsidy that makes a stable split of
//! the enlarged total exist:
//!
//! `CoS = min sum_i x_i - v(N)  s.t.  x(S) >= v(S)  for all S ⊆ N` (0 when the core is nonempty).
//!
//! For cost games the same statements hold with `x(S) <= c(S)`: they are computed on `-c` and
//! the shares negated back, so `epsilon*` bounds `x(S) - c(S)` and the cost of stability is the
//! subsidy that lets the shares of the grand coalition's cost satisfy every coalition.
//!
//! **Method.** The LPs have one row per coalition, `2^n` in all, which are never handed to the
//! solver together: the LP starts with the singletons and the `(n-1)`-player coalitions, and a
//! streaming pass over the `2^n` excesses `v(S) - x(S)` (`most_violated`) adds the most
//! violated coalitions until none is violated by more than the tolerance. The LPs are solved by
//! the row simplex of `lp::rows` (a dual simplex), which continues from its last basis when
//! rows are added; the scan runs on all cores for large games. The reported `epsilon` is
//! recomputed from the returned allocation over all coalitions, so the number and the
//! allocation always agree.
//!
//! **Scale.** Everything here runs on the zero-normalised benefit game `w` (the savings game
//! for costs; see `solution::normal`), with LP tolerances `1e-9` of its spread, and maps back:
//! budgets of `10^8` with a surplus of a few units are solved at the scale of the surplus.
//! [`Game::core_is_empty`], [`Game::in_core`] at [`Game::tolerance`] and
//! [`Game::cost_of_stability`] decide emptiness by the same test on the same least-core point,
//! so they never contradict each other.

use std::collections::{HashMap, HashSet};

use serde::{Deserialize, Serialize};

use crate::cancel;
use crate::coalition::Coalition;
use crate::error::{Error, Result};
use crate::game::Game;
use crate::lp::rows::{RowLp, RowLpError};
use crate::progress::Task;
use crate::solution::bounds::{Bounds, Limits, Scale};
use crate::solution::kernel::{check_at, over_blocks, BlockSums};
use crate::solution::normal::{rounding, Normal, Worths};
use crate::solution::nucleolus::OffSpan;
use crate::solution::Allocation;

/// Rounds of constraint generation before giving up with [`Error::Solver`].
const MAX_ROUNDS: usize = 500;

/// The least core: its value `epsilon` and one allocation in it.
///
/// With serde, reading checks the allocation (see [`Allocation`]) and that `epsilon` is finite.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(try_from = "RawLeastCore")]
pub struct LeastCore {
    /// The least `e` such that some efficient `x` has `x(S) >= v(S) - e` for every proper
    /// nonempty `S` (cost games: `x(S) <= c(S) + e`). Nonpositive iff the core is nonempty.
    pub epsilon: f64,
    /// An allocation attaining `epsilon`.
    pub allocation: Allocation,
}

/// A [`LeastCore`] as read, before validation.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawLeastCore {
    epsilon: f64,
    allocation: Allocation,
}

impl TryFrom<RawLeastCore> for LeastCore {
    type Error = Error;
    fn try_from(raw: RawLeastCore) -> Result<LeastCore> {
        if !raw.epsilon.is_finite() {
            return Err(Error::Undefined {
                concept: "the least core",
                reason: format!("epsilon is {}", raw.epsilon),
            });
        }
        Ok(LeastCore {
            epsilon: raw.epsilon,
            allocation: raw.allocation,
        })
    }
}

/// The largest excess `sign v(S) - x(S)` and the coalitions (bit masks) with the largest
/// excesses, among those above `threshold`, at most `limit` of them, largest first; one
/// streaming pass over the values, which stops with [`Error::Interrupted`] when cancelled (see
/// `crate::cancel`).
///
/// The grand coalition is included only if `with_grand`; the empty coalition never.
pub(crate) fn most_violated(
    w: Worths<'_>,
    x: &[f64],
    with_grand: bool,
    threshold: f64,
    limit: usize,
) -> Result<(f64, Vec<(f64, u64)>)> {
    most_violated_except(w, x, with_grand, threshold, limit, None)
}

/// [`most_violated`] leaving out the coalitions in `except` (rows the LP already has).
///
/// Large games are scanned by several threads, each over a contiguous range of blocks.
pub(crate) fn most_violated_except(
    w: Worths<'_>,
    x: &[f64],
    with_grand: bool,
    threshold: f64,
    limit: usize,
    except: Option<&HashSet<u64>>,
) -> Result<(f64, Vec<(f64, u64)>)> {
    most_violated_weighted(
        w,
        None,
        x,
        with_grand,
        threshold,
        limit,
        Filter::except(except),
    )
}

/// Which coalitions a scan ([`most_violated_weighted`]) may return besides its threshold:
/// not in `except`, excess strictly below `below` (the levels above were walked already),
/// and not in the span of fixed coalitions (`off_span`); and whether the caller needs the
/// largest excess of all (`need_max`; else the scan returns a lower bound of it and may skip
/// more blocks).
#[derive(Clone, Copy)]
pub(crate) struct Filter<'a> {
    pub(crate) except: Option<&'a HashSet<u64>>,
    pub(crate) below: f64,
    pub(crate) off_span: Option<&'a OffSpan>,
    pub(crate) need_max: bool,
}

impl<'a> Filter<'a> {
    /// Every coalition.
    pub(crate) fn all() -> Self {
        Filter {
            except: None,
            below: f64::INFINITY,
            off_span: None,
            need_max: true,
        }
    }

    /// Every coalition not in `except`.
    pub(crate) fn except(set: Option<&'a HashSet<u64>>) -> Self {
        Filter {
            except: set,
            ..Filter::all()
        }
    }

    fn keeps(&self, mask: u64, e: f64) -> bool {
        e < self.below
            && self.except.is_none_or(|set| !set.contains(&mask))
            && self.off_span.is_none_or(|o| !o.in_span(mask))
    }
}

/// [`most_violated_except`] on weighted excesses `(sign v(S) - x(S)) inv_w(S)`, with
/// `inv_w` the reciprocal weights by mask (`None`: all 1, the plain excess), over the
/// coalitions `filter` keeps. The weight is applied in a second loop over the block, so the
/// unweighted scan runs as before. The first value returned is the largest excess of all
/// proper coalitions, filtered or not (a lower bound of it unless `filter.need_max`).
#[allow(clippy::too_many_arguments)]
pub(crate) fn most_violated_weighted(
    w: Worths<'_>,
    inv_w: Option<&[f64]>,
    x: &[f64],
    with_grand: bool,
    threshold: f64,
    limit: usize,
    filter: Filter<'_>,
) -> Result<(f64, Vec<(f64, u64)>)> {
    let z = bound_shares(w, inv_w, x);
    let scan = Scan::new(w, inv_w, x, z.as_ref());
    let blocks = w.len() / scan.sums.block();
    let scan = |range: std::ops::Range<usize>| {
        scan_blocks(&scan, range, with_grand, threshold, limit, &filter)
    };
    let (max_excess, mut found) = over_blocks(w.len(), blocks, scan, |(m, mut f), (mt, ft)| {
        f.extend(ft);
        (m.max(mt), f)
    })?;
    keep_largest(&mut found, limit);
    Ok((max_excess, found))
}

/// `z = b + x` (the standalone values plus the shares: `e(S) = c v(S) - z(S)` on the game as
/// given) when a scan of `x` may bound its blocks before normalising them (see [`Scan`]).
fn bound_shares(w: Worths<'_>, inv_w: Option<&[f64]>, x: &[f64]) -> Option<Vec<f64>> {
    let (_, _, b, _) = w.as_given()?;
    inv_w
        .is_none()
        .then(|| b.iter().zip(x).map(|(bi, xi)| bi + xi).collect())
}

/// The excesses `w(S) - x(S)` (weighted by `inv_w`) of a scan, a block at a time.
///
/// When the worths are normalised on the fly, each block is first bounded in plain
/// arithmetic on the game as given, `e(S) ~ c v(S) - z(S)` with `z = b + x` (one multiply and
/// two subtractions, as for a game that needs no normalising), within `eps`, a bound on the
/// rounding of both ways of computing `e(S)`: `4 (n + 3) 2^-52 (max |c v| + sum |z_i| + sum
/// |x_i|)` (Higham, *Accuracy and Stability of Numerical Algorithms*, 2nd ed., 2002, §4.2:
/// a sum of `m` terms is off by at most `(m - 1) u` times the sum of their magnitudes). The
/// block is normalised exactly (a double-double subtraction per worth) only when its bound
/// reaches the floor that matters to the caller; in a scan for violated coalitions most
/// blocks hold none.
pub(crate) struct Scan<'a> {
    w: Worths<'a>,
    inv_w: Option<&'a [f64]>,
    pub(crate) sums: BlockSums<'a>,
    /// `(values as given, c, sums of z, eps)`.
    fast: Option<(&'a [f64], f64, BlockSums<'a>, f64)>,
}

impl<'a> Scan<'a> {
    fn new(w: Worths<'a>, inv_w: Option<&'a [f64]>, x: &'a [f64], z: Option<&'a Vec<f64>>) -> Self {
        let fast = z.and_then(|z| {
            let (values, c, _, magnitude) = w.as_given()?;
            let abs = |v: &[f64]| v.iter().map(|t| t.abs()).sum::<f64>();
            let eps = 4.0 * (w.n() + 3) as f64 * f64::EPSILON * (magnitude + abs(z) + abs(x));
            eps.is_finite().then(|| (values, c, BlockSums::new(z), eps))
        });
        Scan {
            w,
            inv_w,
            sums: BlockSums::new(x),
            fast,
        }
    }

    /// The excesses of block `blk` into `excess` and their maximum (see [`block_excess`]), or
    /// `None` when the plain bound shows that every one of them is below `floor`. With the
    /// bound, only the excesses that may reach `floor` are computed exactly (the same numbers
    /// to the bit as [`block_excess`] gives), and the maximum is theirs (minus infinity when
    /// there is none); the others are left at their plain values, below `floor - eps`.
    #[inline]
    fn block(
        &self,
        blk: usize,
        with_grand: bool,
        floor: f64,
        excess: &mut [f64],
        buf: &mut [f64],
    ) -> Option<f64> {
        if let Some((values, c, z, eps)) = &self.fast {
            let block = z.block();
            let base = blk << z.k;
            // The blocks of the empty set and of N are always taken exactly.
            if base != 0 && base + block != values.len() {
                let chunk = &values[base..base + block];
                let bound = excess_pass(excess, chunk, &z.low, *c, z.high(blk));
                if bound + eps < floor {
                    return None;
                }
                // The others are below `floor` and cannot change what the caller keeps (nor the
                // largest excess, when it is needed: the floor is then at most that).
                let x_high = self.sums.high(blk);
                let mut most = f64::NEG_INFINITY;
                for (j, e) in excess.iter_mut().enumerate() {
                    if *e + eps >= floor {
                        *e = self.w.at_normalised(base | j) - self.sums.low[j] - x_high;
                        most = most.max(*e);
                    }
                }
                return Some(most);
            }
        }
        Some(block_excess(
            self.w, self.inv_w, &self.sums, blk, with_grand, excess, buf,
        ))
    }
}

/// The (weighted) excesses of block `blk` into `excess` (the empty set and, unless
/// `with_grand`, N at minus infinity); returns their maximum. `buf` holds the block's worths
/// when they are normalised on the fly.
#[allow(clippy::too_many_arguments)]
fn block_excess(
    w: Worths<'_>,
    inv_w: Option<&[f64]>,
    sums: &BlockSums<'_>,
    blk: usize,
    with_grand: bool,
    excess: &mut [f64],
    buf: &mut [f64],
) -> f64 {
    let block = sums.block();
    let grand = w.len() - 1;
    let chunk = w.block(blk, buf);
    let base = blk << sums.k;
    let mut top = excess_pass(excess, chunk, &sums.low, 1.0, sums.high(blk));
    if let Some(inv) = inv_w {
        // Weighted excesses: scaled in place, the lanes' maximum taken again.
        let mut lanes = [f64::NEG_INFINITY; 8];
        let inv = &inv[blk * block..(blk + 1) * block];
        for (e8, i8) in excess.chunks_mut(8).zip(inv.chunks(8)) {
            for (lane, (e, &iw)) in e8.iter_mut().zip(i8).enumerate() {
                *e *= iw;
                lanes[lane] = if *e > lanes[lane] { *e } else { lanes[lane] };
            }
        }
        top = lanes.iter().copied().fold(f64::NEG_INFINITY, f64::max);
    }
    // The empty set (excess 0) and, unless asked for, N do not count.
    let edge = base == 0 || (base + block - 1 == grand && !with_grand);
    if base == 0 {
        excess[0] = f64::NEG_INFINITY;
    }
    if base + block - 1 == grand && !with_grand {
        excess[block - 1] = f64::NEG_INFINITY;
    }
    if edge {
        excess.iter().copied().fold(f64::NEG_INFINITY, f64::max)
    } else {
        top
    }
}

/// `excess[j] = c v[j] - low[j] - high` over a block, and their maximum: a branch-free pass
/// (compare-and-select in eight lanes rather than `f64::max`, so that it vectorises).
#[inline(always)]
fn excess_pass(excess: &mut [f64], v: &[f64], low: &[f64], c: f64, high: f64) -> f64 {
    let mut lanes = [f64::NEG_INFINITY; 8];
    for ((e8, v8), l8) in excess.chunks_mut(8).zip(v.chunks(8)).zip(low.chunks(8)) {
        for (lane, ((e, &v), &l)) in e8.iter_mut().zip(v8).zip(l8).enumerate() {
            *e = c * v - l - high;
            lanes[lane] = if *e > lanes[lane] { *e } else { lanes[lane] };
        }
    }
    lanes.iter().copied().fold(f64::NEG_INFINITY, f64::max)
}

/// The scan of [`most_violated_weighted`] over the blocks in `range`.
#[allow(clippy::too_many_arguments)]
fn scan_blocks(
    scan: &Scan<'_>,
    range: std::ops::Range<usize>,
    with_grand: bool,
    threshold: f64,
    limit: usize,
    filter: &Filter<'_>,
) -> Result<(f64, Vec<(f64, u64)>)> {
    let block = scan.sums.block();
    let mut found: Vec<(f64, u64)> = Vec::new();
    let mut max_excess = f64::NEG_INFINITY;
    // Raised to the smallest kept excess whenever the list is trimmed to `limit`.
    let mut bar = threshold;
    let mut excess = vec![0.0f64; block];
    let mut buf = vec![0.0f64; block];
    for blk in range {
        check_at(blk)?;
        // A block matters if it may hold an excess above the bar (or above the largest so far).
        let floor = if filter.need_max {
            bar.min(max_excess)
        } else {
            bar
        };
        let Some(block_max) = scan.block(blk, with_grand, floor, &mut excess, &mut buf) else {
            continue;
        };
        max_excess = max_excess.max(block_max);
        if block_max <= bar {
            continue;
        }
        let base = blk << scan.sums.k;
        for (j, &e) in excess.iter().enumerate() {
            let mask = (base | j) as u64;
            if e > bar && filter.keeps(mask, e) {
                found.push((e, mask));
                if found.len() >= limit.max(1).saturating_mul(2) {
                    trim_largest(&mut found, limit);
                    if limit > 0 && found.len() == limit {
                        bar = bar.max(found[limit - 1].0);
                    }
                }
            }
        }
    }
    trim_largest(&mut found, limit);
    Ok((max_excess, found))
}

/// Visits every proper nonempty coalition whose (weighted) excess lies in `[lo, hi)`, with
/// per-thread states made by `init`, merged by `merge`: a streaming pass over a level of any
/// size (the Kohlberg walk and the polish through huge ties). Also returns the largest excess
/// below `lo` (minus infinity when there is none), when the pass computed every excess
/// exactly (`None` when blocks were bounded in plain arithmetic instead, see [`Scan`]): the
/// top of the next level down, found without a pass of its own.
#[allow(clippy::too_many_arguments)]
pub(crate) fn for_each_in_band<T: Send>(
    w: Worths<'_>,
    inv_w: Option<&[f64]>,
    x: &[f64],
    (lo, hi): (f64, f64),
    init: impl Fn() -> T + Sync,
    visit: impl Fn(&mut T, u64, f64) + Sync,
    merge: impl Fn(T, T) -> T,
) -> Result<(T, Option<f64>)> {
    // The empty set and N are at minus infinity in the block passes: never in a band.
    let lo = lo.max(f64::MIN);
    let z = bound_shares(w, inv_w, x);
    let scan = Scan::new(w, inv_w, x, z.as_ref());
    let blocks = w.len() / scan.sums.block();
    let exact = scan.fast.is_none();
    let run = |range: std::ops::Range<usize>| -> Result<(T, f64)> {
        let mut state = init();
        let mut below = f64::NEG_INFINITY;
        let mut excess = vec![0.0f64; scan.sums.block()];
        let mut buf = vec![0.0f64; scan.sums.block()];
        for blk in range {
            check_at(blk)?;
            match scan.block(blk, false, lo, &mut excess, &mut buf) {
                Some(m) if m >= lo => {}
                Some(m) => {
                    below = below.max(m);
                    continue;
                }
                None => continue,
            }
            let base = blk << scan.sums.k;
            for (j, &e) in excess.iter().enumerate() {
                if e >= lo {
                    if e < hi {
                        visit(&mut state, (base | j) as u64, e);
                    }
                } else if e > below {
                    below = e;
                }
            }
        }
        Ok((state, below))
    };
    let (state, below) = over_blocks(w.len(), blocks, run, |(a, x), (b, y)| {
        (merge(a, b), x.max(y))
    })?;
    Ok((state, exact.then_some(below)))
}

/// The `limit` largest of `found` (ties by mask), largest first.
fn keep_largest(found: &mut Vec<(f64, u64)>, limit: usize) {
    trim_largest(found, limit);
    found.sort_unstable_by(|a, b| b.0.total_cmp(&a.0).then(a.1.cmp(&b.1)));
}

/// The `limit` largest of `found`, in no order (a selection, linear time), with the smallest
/// of them last.
fn trim_largest(found: &mut Vec<(f64, u64)>, limit: usize) {
    if found.len() > limit {
        if limit == 0 {
            found.clear();
            return;
        }
        found.select_nth_unstable_by(limit - 1, |a, b| b.0.total_cmp(&a.0).then(a.1.cmp(&b.1)));
        found.truncate(limit);
    }
}

/// The row `x(S)` (plus variable `extra`, if given) as `(variable, coefficient)` pairs.
pub(crate) fn indicator(mask: u64, extra: Option<usize>) -> Vec<(usize, f64)> {
    let mut row: Vec<(usize, f64)> = Coalition::from_mask(mask)
        .members()
        .map(|i| (i, 1.0))
        .collect();
    if let Some(e) = extra {
        row.push((e, 1.0));
    }
    row
}

/// A linear program over an allocation `y` of the normalised game `w` (variables `0..n`) and
/// a few more variables, with the coalition rows `y(S) (+ e) >= w(S) - offset` added by
/// constraint generation: one streaming pass over the `2^n` excesses per round adds the most
/// violated coalitions until none is violated by more than the tolerance.
pub(crate) struct CutLp<'a> {
    w: Worths<'a>,
    /// The program; callers add their own rows (efficiency, bounds, distances) to it.
    pub(crate) lp: RowLp,
    /// The coalition rows: coalition -> row index.
    rows: HashMap<u64, usize>,
    /// The variable `e` of the coalition rows, if any.
    eps_var: Option<usize>,
    offset: f64,
    with_grand: bool,
    tol: f64,
    concept: &'static str,
}

impl<'a> CutLp<'a> {
    /// A program minimising `objective` inside the box `|z_j| <= lp_box`, with coalition rows
    /// `y(S) (+ z[eps_var]) >= w(S) - offset` for the proper coalitions (and `N` when
    /// `with_grand`), seeded with the singletons and the `(n-1)`-player coalitions.
    #[allow(clippy::too_many_arguments)]
    pub(crate) fn new(
        w: Worths<'a>,
        concept: &'static str,
        objective: Vec<f64>,
        lp_box: f64,
        tol: f64,
        eps_var: Option<usize>,
        offset: f64,
        with_grand: bool,
    ) -> Self {
        let n = w.n();
        let mut cut = CutLp {
            w,
            lp: RowLp::new(objective, lp_box, tol),
            rows: HashMap::new(),
            eps_var,
            offset,
            with_grand,
            tol,
            concept,
        };
        let full = (1u64 << n) - 1;
        for i in 0..n {
            cut.add(1 << i);
            if n > 2 {
                cut.add(full & !(1 << i));
            }
        }
        if with_grand {
            cut.add(full);
        }
        cut
    }

    /// Adds `y(N) = w(N)`; returns its row.
    pub(crate) fn efficient(&mut self) -> usize {
        let full = (1u64 << self.w.n()) - 1;
        self.lp.add_eq(&indicator(full, None), self.w.grand_value())
    }

    /// Adds the rows of `limits` (with `+ e` when `with_eps`); returns `(row, player, sign)`
    /// for each.
    pub(crate) fn bounds(&mut self, limits: &Limits, with_eps: bool) -> Vec<(usize, usize, f64)> {
        let extra = if with_eps { self.eps_var } else { None };
        limits
            .rows()
            .map(|(i, s, b)| {
                let mut coefs = vec![(i, s)];
                coefs.extend(extra.map(|e| (e, 1.0)));
                (self.lp.add_ge(&coefs, b), i, s)
            })
            .collect()
    }

    fn add(&mut self, mask: u64) -> bool {
        if self.rows.contains_key(&mask) {
            return false;
        }
        let r = self.lp.add_ge(
            &indicator(mask, self.eps_var),
            self.w.value(Coalition::from_mask(mask)) - self.offset,
        );
        self.rows.insert(mask, r);
        true
    }

    /// The coalition of row `r`, if it is a coalition row.
    pub(crate) fn coalition_of(&self, r: usize) -> Option<u64> {
        self.rows.iter().find(|(_, &row)| row == r).map(|(&m, _)| m)
    }

    /// Solves, adding violated coalitions until none is left; returns the optimal point.
    /// Progress: one unit on `task` per round (see `crate::progress`).
    pub(crate) fn run(&mut self, task: &Task) -> Result<Vec<f64>> {
        let n = self.w.n();
        let batch = (32 * n).max(64);
        let concept = self.concept;
        let fail = |e: RowLpError| e.into_error(concept);
        for _ in 0..MAX_ROUNDS {
            cancel::check()?;
            self.lp.solve().map_err(fail)?;
            task.add(1);
            let sol = self.lp.point().to_vec();
            let shift = self.eps_var.map_or(0.0, |e| sol[e]);
            let known: HashSet<u64> = self.rows.keys().copied().collect();
            let (_, violated) = most_violated_except(
                self.w,
                &sol[..n],
                self.with_grand,
                shift + self.offset + self.tol,
                batch,
                Some(&known),
            )?;
            let mut added = 0;
            for (_, mask) in violated {
                added += usize::from(self.add(mask));
            }
            if added == 0 {
                if self.lp.box_binds() {
                    return Err(fail(RowLpError::Unbounded));
                }
                return Ok(sol);
            }
        }
        Err(Error::numerical(
            concept,
            format!("constraint generation did not settle in {MAX_ROUNDS} rounds"),
        ))
    }
}

/// Minimises `objective` over `(y, e)` (`e` is variable `n` when the objective has `n + 1`
/// entries) on the normalised game `w`, subject to `y(N) = w(N)` (if `efficient`), the
/// bounds `limits` and the coalition rows `y(S) (+ e) >= w(S)`, added by constraint
/// generation (with `N` itself when `with_grand_rows`).
#[allow(clippy::too_many_arguments)]
fn generate_and_solve(
    nm: &Normal<'_>,
    concept: &'static str,
    objective: Vec<f64>,
    efficient: bool,
    with_grand_rows: bool,
    limits: &Limits,
    scale: &Scale,
    task: &Task,
) -> Result<Vec<f64>> {
    let n = nm.n();
    let eps_var = (objective.len() > n).then_some(n);
    let mut cut = CutLp::new(
        nm.w(),
        concept,
        objective,
        scale.lp_box,
        scale.tol,
        eps_var,
        0.0,
        with_grand_rows,
    );
    if efficient {
        cut.efficient();
    }
    cut.bounds(limits, false);
    cut.run(task)
}

/// The least core of the normalised game: `(epsilon, y)`, with `epsilon` the largest excess of
/// `y` over all proper nonempty coalitions, recomputed exactly.
pub(crate) fn least_core_normal(
    nm: &Normal<'_>,
    limits: &Limits,
    task: &Task,
) -> Result<(f64, Vec<f64>)> {
    let n = nm.n();
    let mut objective = vec![0.0; n + 1];
    objective[n] = 1.0;
    task.stage(|| "least core".into());
    let scale = limits.scale(nm);
    let sol = generate_and_solve(
        nm,
        "the least core",
        objective,
        true,
        false,
        limits,
        &scale,
        task,
    )?;
    let y = sol[..n].to_vec();
    let (epsilon, _) = most_violated(nm.w(), &y, false, f64::INFINITY, 0)?;
    Ok((epsilon, y))
}

/// Is `x` (an allocation of the original game) in the core within `tol` (in the units of the
/// normalised game `w`), plus the rounding of `x` itself (`n` units in the last place of its
/// largest entry)? Decided on `w`, where the excesses `w(S) - y(S) = sign (v(S) - x(S))` are
/// small numbers. One streaming pass (cancellable: [`Error::Interrupted`]).
pub(crate) fn in_core_normal(nm: &Normal<'_>, x: &[f64], tol: f64) -> Result<bool> {
    if x.iter().any(|v| !v.is_finite()) {
        return Ok(false);
    }
    let n = x.len();
    let largest = x.iter().fold(0.0f64, |m, v| m.max(v.abs()));
    let tol = tol + (rounding(n, largest) + n as f64 * f64::from_bits(1)) * nm.shift.factor;
    let y = nm.lower(x);
    if (y.iter().sum::<f64>() - nm.w().grand_value()).abs() > tol {
        return Ok(false);
    }
    let (max_excess, _) = most_violated(nm.w(), &y, false, f64::INFINITY, 0)?;
    Ok(max_excess <= tol)
}

impl Game {
    /// The least core (Maschler, Peleg and Shapley 1979): the least `epsilon` such that an
    /// efficient allocation gives every proper nonempty coalition at least `v(S) - epsilon`,
    /// and such an allocation.
    ///
    /// `epsilon* = min e s.t. x(N) = v(N), x(S) >= v(S) - e` (cost games: `x(S) <= c(S) + e`).
    /// The core is nonempty iff `epsilon* <= 0`. Needs at least two players.
    ///
    /// Computed on the zero-normalised game (see [`Game::spread`]), so that `c v + a` has
    /// `c epsilon*` and the allocation `c x + a`. Cost: a sequence of small LPs (constraint
    /// generation), each followed by one streaming pass over the `2^n` values. The returned
    /// `epsilon` is the largest excess of the returned allocation over all coalitions,
    /// recomputed exactly.
    ///
    /// # Example
    /// The 3-player majority game has an empty core; its least core is `epsilon = 1/3`, at
    /// `(1/3, 1/3, 1/3)`.
    /// ```
    /// use coalitional::Game;
    /// let g = Game::from_fn(vec!["A".into(), "B".into(), "C".into()], |s| {
    ///     if s.len() >= 2 { 1.0 } else { 0.0 }
    /// }).unwrap();
    /// let lc = g.least_core().unwrap();
    /// assert!((lc.epsilon - 1.0 / 3.0).abs() < 1e-9);
    /// assert!(g.core_is_empty().unwrap());
    /// ```
    pub fn least_core(&self) -> Result<LeastCore> {
        let n = self.n();
        if n < 2 {
            return Err(Error::Undefined {
                concept: "the least core",
                reason: "a one-player game has no proper nonempty coalition to constrain".into(),
            });
        }
        // Progress: rounds of constraint generation, no total (see crate::progress).
        let task = Task::begin(None);
        let nm = self.normal()?;
        let (epsilon, y) = least_core_normal(&nm, &Limits::open(self.n()), &task)?;
        Ok(LeastCore {
            epsilon: nm.shift.unscale(epsilon),
            allocation: nm.allocation(&y),
        })
    }

    /// The least core within policy bounds (see [`Bounds`]): the least `epsilon` such that an
    /// efficient allocation within the floors and caps gives every proper nonempty coalition
    /// at least `v(S) - epsilon` (cost games: `x(S) <= c(S) + epsilon`), and such an
    /// allocation: `min e s.t. x(N) = v(N), floor_i <= x_i <= cap_i, x(S) >= v(S) - e`.
    /// With `epsilon <= 0` the bounds leave room for a core allocation; `epsilon` minus the
    /// unbounded least core's is what the bounds cost in stability.
    ///
    /// [`Error::Infeasible`] names the floors (or caps) that cannot add up to `v(N)`, or a
    /// floor above a cap. Cost and tolerances as for [`Game::least_core`], at the larger of
    /// the game's spread and the amounts the bounds force.
    ///
    /// # Example
    /// In the 3-player majority game the least core is `1/3` at `(1/3, 1/3, 1/3)`; with `C`
    /// capped at 0, `A` and `B` get `1/2` each and `{A, C}` misses `1/2`.
    /// ```
    /// use coalitional::{Bounds, Game};
    /// let g = Game::from_fn(vec!["A".into(), "B".into(), "C".into()], |s| {
    ///     if s.len() >= 2 { 1.0 } else { 0.0 }
    /// }).unwrap();
    /// let lc = g.least_core_within(&Bounds::open(3).with_cap(2, 0.0)).unwrap();
    /// assert!((lc.epsilon - 0.5).abs() < 1e-9);
    /// ```
    pub fn least_core_within(&self, bounds: &Bounds) -> Result<LeastCore> {
        let n = self.n();
        let concept = "the least core";
        if n < 2 {
            return Err(Error::Undefined {
                concept,
                reason: "a one-player game has no proper nonempty coalition to constrain".into(),
            });
        }
        bounds.check(self.players())?;
        let task = Task::begin(None);
        let nm = self.normal()?;
        let limits = Limits::of(&nm, bounds);
        let scale = limits.scale(&nm);
        if let Some(conflict) = limits.efficiency_conflict(&nm, self.players(), scale.decision) {
            return Err(Error::Infeasible { concept, conflict });
        }
        let (epsilon, y) = least_core_normal(&nm, &limits, &task)?;
        Ok(LeastCore {
            epsilon: nm.shift.unscale(epsilon),
            allocation: nm.allocation(&y),
        })
    }

    /// True when no efficient allocation satisfies every coalition: the least core's
    /// `epsilon` exceeds the game's [`Game::tolerance`] (Bondareva 1963, Shapley 1967: the
    /// core is nonempty iff the game is balanced). One-player games have a core.
    ///
    /// Consistent with the other stability answers on the same game: the core is empty iff
    /// the least core's allocation is not [`Game::in_core`] at the game's tolerance, iff
    /// [`Game::cost_of_stability`] is positive.
    pub fn core_is_empty(&self) -> Result<bool> {
        if self.n() < 2 {
            return Ok(false);
        }
        let task = Task::begin(None);
        let nm = self.normal()?;
        let (_, y) = least_core_normal(&nm, &Limits::open(self.n()), &task)?;
        Ok(!in_core_normal(&nm, &nm.lift(&y), nm.decision_tol())?)
    }

    /// True when `x` is in the core within `tol`: `|x(N) - v(N)| <= tol` and
    /// `x(S) >= v(S) - tol` for every `S` (cost games: `x(S) <= c(S) + tol`), where `tol` is
    /// widened by the rounding of `x` itself (`n` units in the last place of its largest
    /// entry: a point such as `10^8 + 1/3` cannot be written more exactly). Pass
    /// [`Game::tolerance`] for the game's own tolerance. Non-finite entries are never in the
    /// core; a negative or NaN `tol` is an error.
    ///
    /// The excesses are computed on the zero-normalised game, so they are exact to the rounding
    /// of the surplus, not of the budgets. One streaming pass over the `2^n` values.
    pub fn in_core(&self, x: &[f64], tol: f64) -> Result<bool> {
        if x.len() != self.n() {
            return Err(Error::AllocationLength {
                got: x.len(),
                n: self.n(),
            });
        }
        if tol.is_nan() || tol < 0.0 {
            return Err(Error::InvalidParameter {
                name: "tol",
                reason: format!("a tolerance must be a nonnegative number, not {tol}"),
            });
        }
        let nm = self.normal()?;
        in_core_normal(&nm, x, tol * nm.shift.factor)
    }

    /// The cost of stability (Bachrach et al. 2009): the least amount an outside authority
    /// must add to `v(N)` so that an allocation of the enlarged total satisfies every
    /// coalition, `min sum_i x_i - v(N) s.t. x(S) >= v(S) for all S`; exactly 0 when the core
    /// is nonempty (as [`Game::core_is_empty`] decides). For a cost game, the least subsidy
    /// towards `c(N)` that lets the remaining shares satisfy `x(S) <= c(S)` for every
    /// coalition. It scales with the game and ignores standalone amounts.
    ///
    /// Cost: constraint generation as for [`Game::least_core`].
    ///
    /// # Example
    /// In the 3-player majority game every pair must get 1, so each player needs 1/2:
    /// the cost of stability is 3/2 - 1 = 1/2.
    /// ```
    /// use coalitional::Game;
    /// let g = Game::from_fn(vec!["A".into(), "B".into(), "C".into()], |s| {
    ///     if s.len() >= 2 { 1.0 } else { 0.0 }
    /// }).unwrap();
    /// assert!((g.cost_of_stability().unwrap() - 0.5).abs() < 1e-9);
    /// ```
    pub fn cost_of_stability(&self) -> Result<f64> {
        let n = self.n();
        let task = Task::begin(None);
        let nm = self.normal()?;
        if n < 2 {
            return Ok(0.0);
        }
        let (_, lc) = least_core_normal(&nm, &Limits::open(self.n()), &task)?;
        if in_core_normal(&nm, &nm.lift(&lc), nm.decision_tol())? {
            return Ok(0.0);
        }
        let concept = "the cost of stability";
        task.stage(|| "cost of stability".into());
        let open = Limits::open(n);
        let scale = open.scale(&nm);
        let y = generate_and_solve(
            &nm,
            concept,
            vec![1.0; n],
            false,
            true,
            &open,
            &scale,
            &task,
        )?;
        // Verification: every coalition satisfied within tolerance.
        let (max_excess, _) = most_violated(nm.w(), &y, true, f64::INFINITY, 0)?;
        if max_excess > 1e3 * nm.solver_tol() {
            return Err(Error::unverified(
                concept,
                "stability",
                format!("the LP answer leaves a coalition short by {max_excess}"),
            ));
        }
        let total: f64 = y.iter().sum();
        // Positive whenever the core is empty (CoS >= n/(n-1) epsilon* > 0); the rounding of
        // the LP never turns that into zero.
        Ok(nm
            .shift
            .unscale((total - nm.w().grand_value()).max(nm.solver_tol())))
    }
}

/// `least core: epsilon = e` and then the allocation, one line per player, every number
/// rounded at the scale of the largest one (see [`Allocation`]'s `Display`).
impl std::fmt::Display for LeastCore {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let values = self.allocation.values();
        let scale = crate::display::scale_of(values.iter().chain([&self.epsilon]));
        let eps = crate::display::fmt_number(self.epsilon, scale);
        writeln!(f, "least core: epsilon = {eps}")?;
        let numbers = crate::display::shown_together(values, Some(scale));
        let names = self.allocation.players().iter().map(String::as_str);
        crate::solution::write_rows(f, names.zip(numbers))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::lp::{LinearProgram, Sense};
    use crate::solution::normal::Shift;

    #[test]
    fn scan_finds_the_largest_excesses() {
        // v = (0, 1, 2, 6), x = (1, 1): excesses {0}: 0, {1}: 1, N: 4.
        let values = [0.0, 1.0, 2.0, 6.0];
        let shift = Shift::new(1.0, 1.0, vec![0.0; 2]);
        let w = Worths::new(&values, &shift);
        let (max, found) = most_violated(w, &[1.0, 1.0], true, 0.5, 5).unwrap();
        assert_eq!(max, 4.0);
        assert_eq!(found, vec![(4.0, 3), (1.0, 2)]);
        let (max, found) = most_violated(w, &[1.0, 1.0], false, 0.5, 1).unwrap();
        assert_eq!((max, found), (1.0, vec![(1.0, 2)]));
    }

    /// Budgets of `1e9 / (3 + i)` (not on a common binary grid) plus a surplus of a few units
    /// per coalition, value or cost game: the worths are normalised on the fly and the scans
    /// bound their blocks in plain arithmetic first.
    fn budget_game(n: usize, kind: crate::game::Kind, seed: u64) -> Game {
        let mut state = seed;
        let b: Vec<f64> = (0..n).map(|i| 1e9 / (3.0 + i as f64) + 0.1).collect();
        Game::with_kind(
            (0..n).map(|i| format!("p{i}")).collect(),
            (0..1usize << n)
                .map(|m| {
                    state = state
                        .wrapping_mul(6364136223846793005)
                        .wrapping_add(1442695040888963407);
                    let s = Coalition::from_mask(m as u64);
                    let surplus = (state >> 11) as f64 / (1u64 << 53) as f64 * 4.0 * s.len() as f64;
                    if m == 0 {
                        0.0
                    } else {
                        s.members().map(|i| b[i]).sum::<f64>() + surplus
                    }
                })
                .collect(),
            kind,
        )
        .unwrap()
    }

    #[test]
    fn bounded_scans_return_what_exact_scans_return_at_budgets_of_1e9() {
        // Brute force: every excess exactly as the exact block pass computes it (the worth
        // read alone, x(S) from the same block sums), then the same selection.
        for (n, kind, seed) in [
            (3, crate::game::Kind::Value, 1),
            (11, crate::game::Kind::Cost, 2),
            (12, crate::game::Kind::Value, 3),
        ] {
            let g = budget_game(n, kind, seed);
            let nm = g.normal().unwrap();
            let w = nm.w();
            assert!(w.as_given().is_some());
            let y: Vec<f64> = (0..n).map(|i| 0.3 + 0.7 * i as f64 / n as f64).collect();
            let sums = BlockSums::new(&y);
            let excess =
                |m: usize| w.at(m) - sums.low[m & (sums.block() - 1)] - sums.high(m >> sums.k);
            let all: Vec<(f64, u64)> = (1..(1usize << n) - 1)
                .map(|m| (excess(m), m as u64))
                .collect();
            let top = all.iter().map(|e| e.0).fold(f64::NEG_INFINITY, f64::max);
            for (threshold, limit) in [(f64::NEG_INFINITY, 7), (top - 1.0, 1000), (top + 1.0, 5)] {
                let mut want: Vec<(f64, u64)> =
                    all.iter().copied().filter(|e| e.0 > threshold).collect();
                keep_largest(&mut want, limit);
                let (max, got) = most_violated(w, &y, false, threshold, limit).unwrap();
                assert_eq!(max.to_bits(), top.to_bits(), "n = {n}");
                assert_eq!(got, want, "n = {n}, threshold {threshold}");
                let filter = Filter {
                    need_max: false,
                    ..Filter::all()
                };
                let (_, got) =
                    most_violated_weighted(w, None, &y, false, threshold, limit, filter).unwrap();
                assert_eq!(got, want, "n = {n}, threshold {threshold}, need_max false");
            }
            // A band: exactly the coalitions with excess in [lo, hi).
            let (lo, hi) = (top - 2.0, top - 0.5);
            let mut want: Vec<u64> = all
                .iter()
                .filter(|e| e.0 >= lo && e.0 < hi)
                .map(|e| e.1)
                .collect();
            let (mut got, below) = for_each_in_band(
                w,
                None,
                &y,
                (lo, hi),
                Vec::new,
                |v: &mut Vec<u64>, m, _| v.push(m),
                |mut a, b| {
                    a.extend(b);
                    a
                },
            )
            .unwrap();
            want.sort_unstable();
            got.sort_unstable();
            assert!(!want.is_empty());
            assert_eq!(got, want, "n = {n}");
            // Blocks were bounded in plain arithmetic: the top below the band is not known.
            assert_eq!(below, None);
        }
    }

    #[test]
    fn a_band_pass_finds_the_top_of_the_next_level_down() {
        // Worths read as given (standalone values 0): every excess is exact, and the largest
        // one below the band comes with the pass. Brute force over all coalitions.
        let n = 12;
        let mut state = 7u64;
        let values: Vec<f64> = (0..1usize << n)
            .map(|m| {
                state = state
                    .wrapping_mul(6364136223846793005)
                    .wrapping_add(1442695040888963407);
                if m.count_ones() < 2 {
                    0.0
                } else {
                    ((state >> 40) % 50) as f64 * f64::from(m.count_ones())
                }
            })
            .collect();
        let g = Game::from_values(values).unwrap();
        let nm = g.normal().unwrap();
        let w = nm.w();
        let y: Vec<f64> = (0..n).map(|i| 10.0 + i as f64).collect();
        let sums = BlockSums::new(&y);
        let excess = |m: usize| w.at(m) - sums.low[m & (sums.block() - 1)] - sums.high(m >> sums.k);
        let all: Vec<f64> = (1..(1usize << n) - 1).map(excess).collect();
        let top = all.iter().copied().fold(f64::NEG_INFINITY, f64::max);
        for (lo, hi) in [
            (top - 30.0, top + 1.0),
            (top - 100.0, top - 30.0),
            (f64::NEG_INFINITY, 0.0),
        ] {
            let want_below = all
                .iter()
                .copied()
                .filter(|&e| e < lo)
                .fold(f64::NEG_INFINITY, f64::max);
            let want_count = all.iter().filter(|&&e| e >= lo && e < hi).count();
            let (count, below) = for_each_in_band(
                w,
                None,
                &y,
                (lo, hi),
                || 0usize,
                |c, _, _| *c += 1,
                |a, b| a + b,
            )
            .unwrap();
            assert_eq!(count, want_count);
            assert_eq!(below, Some(want_below), "band [{lo}, {hi})");
        }
    }

    /// The least core LP with every coalition row at once: a second method for small n.
    fn least_core_full_lp(g: &Game) -> f64 {
        let n = g.n();
        let mut objective = vec![0.0; n + 1];
        objective[n] = 1.0;
        let mut lp = LinearProgram::minimise(objective);
        lp.add_row(indicator((1 << n) - 1, None), Sense::Eq, g.grand_value());
        for mask in 1..(1u64 << n) - 1 {
            lp.add_row(
                indicator(mask, Some(n)),
                Sense::Ge,
                g.value(Coalition::from_mask(mask)),
            );
        }
        lp.solve("full least core").unwrap()[n]
    }

    #[test]
    fn constraint_generation_matches_the_full_lp() {
        let mut state = 12345u64;
        for n in 2..=7 {
            for _ in 0..10 {
                let g = Game::from_fn((0..n).map(|i| i.to_string()).collect(), |_| {
                    state = state
                        .wrapping_mul(6364136223846793005)
                        .wrapping_add(1442695040888963407);
                    ((state >> 33) % 1000) as f64 / 10.0
                })
                .unwrap();
                let full = least_core_full_lp(&g);
                let lc = g.least_core().unwrap();
                assert!(
                    (lc.epsilon - full).abs() < 1e-7,
                    "n={n}: {} vs {full}",
                    lc.epsilon
                );
            }
        }
    }

    #[test]
    fn in_core_checks_length() {
        let g = Game::from_values(vec![0.0, 1.0, 1.0, 3.0]).unwrap();
        assert!(matches!(
            g.in_core(&[1.0], 1e-9),
            Err(Error::AllocationLength { got: 1, n: 2 })
        ));
        assert!(g.in_core(&[1.5, 1.5], 1e-9).unwrap());
        assert!(!g.in_core(&[0.5, 2.5], 1e-9).unwrap());
        assert!(!g.in_core(&[1.5, 1.4], 1e-9).unwrap());
    }
}
