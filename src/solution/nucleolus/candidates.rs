//! The coalitions a stage can still find violated, kept between full scans.
//!
//! A full scan reads all `2^n` values; the sequential LPs of a game with many levels (convex
//! games have about `n` stages of several rounds each) would read them a hundred times. The
//! list keeps the `K` coalitions of largest excess at a reference point `x0` (outside the
//! span of the fixed coalitions), all those above `theta`. At another point `x`,
//! `e(S, x) = e(S, x0) + (x0 - x)(S) <= e(S, x0) + D` with `D = sum_i max(0, x0_i - x_i)`, so
//! every coalition with `e(S, x) > t` has `e(S, x0) > t - D`: while `t - D > theta` the list
//! holds every coalition the stage could find violated, and scanning it is exact. Violated
//! coalitions found on the list are returned at once (constraint generation needs some
//! violated rows, not all of them); only an empty answer needs the bound or a full scan.
//! Otherwise the list is rebuilt by a full scan at `x`, reaching below the threshold by twice
//! the largest move seen (the rounds of a stage raise `t` and move `x` a little, so later rounds
//! are served by the list). Coalitions left out because they lie in the span stay there (the
//! span only grows).

use super::span::OffSpan;
use crate::coalition::Coalition;
use crate::error::Result;
use crate::solution::core::{most_violated_weighted, Filter};
use crate::solution::normal::Worths;

/// Coalitions kept per rebuild: `2^(n - 12)`, at least 4,096 and at most 16,384 (a longer list
/// serves more rounds between full scans of a large game, and costs more to read at every
/// round: convex games at n = 26 take 1.6 s with 16,384 against 2.1 s with 4,096, and at
/// n = 20 0.11 s against 0.08 s).
fn keep(n: usize) -> usize {
    (1usize << n.saturating_sub(12)).clamp(1 << 12, 1 << 14)
}

pub(super) struct Candidates {
    x0: Vec<f64>,
    /// Every coalition outside the span with `e(S, x0) > theta` is in `entries`, with its
    /// worth.
    theta: f64,
    entries: Vec<(u64, f64)>,
    /// How far below the threshold a rebuild reaches: twice the largest move that made the
    /// list fall short so far (0 at first, so that a rebuild costs what a direct scan costs).
    reach: f64,
    /// No shortfall seen yet in this stage.
    fresh: bool,
}

impl Candidates {
    pub(super) fn new() -> Self {
        Candidates {
            x0: Vec::new(),
            theta: f64::INFINITY,
            entries: Vec::new(),
            reach: 0.0,
            fresh: true,
        }
    }

    /// A new stage: the point moves far between stages, which says nothing about the moves
    /// within one, so the first shortfall of a stage does not widen the reach.
    pub(super) fn new_stage(&mut self) {
        self.fresh = true;
    }

    /// Coalitions kept by `filter` with `e(S, x) > threshold`, at most `limit` of them,
    /// largest first, and none only when there is none: what constraint generation needs
    /// (a stage adds violated rows until none is left). Violated coalitions on the list are
    /// returned without a full scan; an empty answer is certified by the bound (module docs)
    /// or by a full scan, which also rebuilds the list. The list leaves out the coalitions
    /// that `filter.off_span` places in the span.
    #[allow(clippy::too_many_arguments)]
    pub(super) fn violated(
        &mut self,
        w: Worths<'_>,
        x: &[f64],
        threshold: f64,
        limit: usize,
        filter: Filter<'_>,
    ) -> Result<Vec<(f64, u64)>> {
        // The margin of 1e-9 (relative to the threshold and to the shares, whose sums over a
        // coalition carry the rounding) keeps rounding in the bound from mattering.
        let shares: f64 = x.iter().map(|v| v.abs()).sum();
        let margin = 1e-9 * (1.0 + threshold.abs() + shares);
        if !self.x0.is_empty() {
            let found = self.listed(x, threshold, limit, &filter);
            if !found.is_empty() {
                return Ok(found);
            }
            let slack: f64 = self.x0.iter().zip(x).map(|(a, b)| (a - b).max(0.0)).sum();
            if threshold - slack - margin > self.theta {
                return Ok(found);
            }
            if !self.fresh {
                self.reach = self.reach.max(2.0 * slack);
            }
        }
        self.fresh = false;
        self.rebuild(w, x, threshold - self.reach, filter.off_span)?;
        let found = self.listed(x, threshold, limit, &filter);
        if found.is_empty() && threshold - margin <= self.theta {
            // The whole list lies above the threshold yet none of it counts (every member
            // left out by `filter`): scan them all.
            let (_, all) = most_violated_weighted(w, None, x, false, threshold, limit, filter)?;
            return Ok(all);
        }
        Ok(found)
    }

    /// The members of the list with `e(S, x) > threshold` that `filter` keeps, largest first,
    /// at most `limit`.
    fn listed(
        &self,
        x: &[f64],
        threshold: f64,
        limit: usize,
        filter: &Filter<'_>,
    ) -> Vec<(f64, u64)> {
        let mut found: Vec<(f64, u64)> = Vec::new();
        let sums = ByteSums::new(x);
        for &(m, wm) in &self.entries {
            let e = wm - sums.of(m);
            if e > threshold && e < filter.below && filter.except.is_none_or(|s| !s.contains(&m)) {
                found.push((e, m));
            }
        }
        found.retain(|&(_, m)| filter.off_span.is_none_or(|o| !o.in_span(m)));
        found.sort_unstable_by(|a, b| b.0.total_cmp(&a.0).then(a.1.cmp(&b.1)));
        found.truncate(limit);
        found
    }

    /// The list at `x`: every coalition outside the span with excess above `floor`, or the
    /// [`keep`] largest when there are more.
    fn rebuild(
        &mut self,
        w: Worths<'_>,
        x: &[f64],
        floor: f64,
        off: Option<&OffSpan>,
    ) -> Result<()> {
        let filter = Filter {
            off_span: off,
            need_max: false,
            ..Filter::all()
        };
        let keep = keep(x.len());
        let (_, found) = most_violated_weighted(w, None, x, false, floor, keep, filter)?;
        // A full list holds everything above its smallest member's excess (ties at it may be
        // missing); a shorter one everything above `floor`.
        self.theta = if found.len() < keep {
            floor
        } else {
            found[found.len() - 1].0
        };
        self.entries = found
            .into_iter()
            .map(|(_, m)| (m, w.at(m as usize)))
            .collect();
        self.x0 = x.to_vec();
        Ok(())
    }
}

/// `x(S)` for any mask by one lookup per byte of the mask (tables of `x` summed over each byte).
struct ByteSums {
    tables: Vec<[f64; 256]>,
}

impl ByteSums {
    fn new(x: &[f64]) -> Self {
        let tables = x
            .chunks(8)
            .map(|part| {
                let mut t = [0.0f64; 256];
                for (j, slot) in t.iter_mut().enumerate() {
                    *slot = Coalition::from_mask(j as u64)
                        .members()
                        .filter(|&i| i < part.len())
                        .map(|i| part[i])
                        .sum();
                }
                t
            })
            .collect();
        ByteSums { tables }
    }

    #[inline]
    fn of(&self, mask: u64) -> f64 {
        self.tables
            .iter()
            .enumerate()
            .map(|(b, t)| t[(mask >> (8 * b)) as usize & 255])
            .sum()
    }
}
