//! The polish: an exact linear solve, with iterative refinement, of the equalities that the
//! top excess levels of an approximate (pre)nucleolus pin down.

use nalgebra::DVector;

use super::levels::Levels;
use super::span::Span;
use super::tight::System;
use super::weights::Variant;
use crate::error::Result;
use crate::solution::bounds::Limits;
use crate::solution::normal::Worths;
use crate::solution::normal::{accurate_sum, rounding};

/// Levels up to this size come with their members; larger ones are streamed.
const LEVEL_MEMBERS: usize = 4096;

/// Polishes an approximate (pre)nucleolus to machine precision: groups the top coalitions by
/// excess level (until they span `R^n`), then solves `x(S) + w(S) t_k = v(S)` for the coalitions of
/// each level that raises the rank (its rank-raising members and up to `n` others),
/// `x(N) = v(N)` (and `x_i` at its floor or cap where one binds: `x_i = v({i})` for the
/// imputation bound) by least squares.
/// Returns `Ok(None)` when the system does not determine `x` uniquely or does not fit, and
/// fails only when cancelled.
pub(super) fn polish(
    w: Worths<'_>,
    x: &[f64],
    limits: &Limits,
    tol: f64,
    variant: &Variant<'_>,
) -> Result<Option<Vec<f64>>> {
    let n = x.len();
    let mut system = System::start(w, x, limits, tol, variant.blocks, variant.symmetric);
    let mut span = Span::new(n);
    for e in &system.eqs {
        if e.minus == 0 {
            span.add(e.mask);
        } else {
            span.add_difference(
                e.mask.trailing_zeros() as usize,
                e.minus.trailing_zeros() as usize,
            );
        }
    }
    let mut walk = Levels::new(w, variant.inv(), x, tol);
    while span.rank() < n {
        let Some(mut level) = walk.next_with(LEVEL_MEMBERS, Some(&span), false)? else {
            return Ok(None);
        };
        // A level that adds no rank only adds an unknown; a level that does keeps its
        // rank-raising members and up to n others (enough to pin its t_k, and a small system).
        // A large level is streamed: its rank-raising members by passes, n others sampled.
        let (new, old): (Vec<u64>, Vec<u64>) = if level.large() {
            let survey = level.survey.take();
            let (first, smallest) = match survey {
                Some(s) => (s.off, Some(s.first)),
                None => (None, None),
            };
            let new = walk.raise_rank(&mut span, level.lo, level.hi, first)?;
            let old = if new.is_empty() {
                Vec::new()
            } else {
                // The level's smallest masks (the survey kept LEVEL_MEMBERS >= 2 n of them).
                let smallest = match smallest {
                    Some(s) => s,
                    None => walk.sample(level.lo, level.hi, new.len() + n)?,
                };
                smallest
                    .into_iter()
                    .take(new.len() + n)
                    .filter(|m| !new.contains(m))
                    .collect()
            };
            (new, old)
        } else {
            level.members.into_iter().partition(|&m| span.add(m))
        };
        if new.is_empty() {
            continue;
        }
        system.push_level(w, variant, new.into_iter().chain(old.into_iter().take(n)));
    }
    // The levels that span R^n may leave their own t_k undetermined (moving x along a
    // direction that changes all their excesses alike); the next levels then pin them: walk
    // on, a level at a time (each adds one unknown and several rows), up to n more.
    for extra in 0..=n {
        if system.determined() {
            break;
        }
        if extra == n {
            return Ok(None);
        }
        let Some(level) = walk.next(LEVEL_MEMBERS)? else {
            return Ok(None);
        };
        if level.count < 2 {
            continue; // one row and its own unknown: no information
        }
        if level.large() {
            // Which n + 1 of a huge level pin its t_k is not known without a search: the
            // unpolished point is kept (and verified) instead.
            return Ok(None);
        }
        system.push_level(w, variant, level.members.into_iter().take(n + 1));
    }
    let a = system.matrix();
    // (mask, minus mask, (level, weight) of its unknown t_k, right side)
    type Row = (u64, u64, Option<(usize, f64)>, f64);
    let eqs: Vec<Row> = system
        .eqs
        .iter()
        .map(|e| (e.mask, e.minus, e.level.map(|k| (k, e.weight)), e.rhs))
        .collect();
    let b = DVector::from_fn(eqs.len(), |r, _| eqs[r].3);
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
            let (m, minus, k, rhs) = eqs[r];
            let lhs = (0..n)
                .filter(|&c| m >> c & 1 == 1)
                .map(|c| sol[c])
                .chain((0..n).filter(|&c| minus >> c & 1 == 1).map(|c| -sol[c]))
                .chain(k.map(|(k, wt)| wt * sol[n + k]));
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
