//! Kohlberg's criterion (Kohlberg 1971): `x` is the prenucleolus iff every collection
//! `D(a) = {S : e(S, x) >= a}` is balanced; the levels are walked from the top, with an LP
//! only at the levels that raise the rank (see the parent module docs).

use nalgebra::DVector;
use std::collections::HashSet;

use super::levels::{Level, Levels};
use super::span::Span;
use super::weights::Variant;
use crate::cancel;
use crate::coalition::Coalition;
use crate::error::{Error, Result, SolverFailure};
use crate::lp::rows::RowLp;
use crate::lp::{LinearProgram, Sense};
use crate::progress::Task;
use crate::solution::bounds::{Limits, Source};
use crate::solution::core::indicator;
use crate::solution::normal::Worths;

/// Levels up to this size (in coalitions) are checked from their members; larger ones (tie
/// levels of millions of coalitions) are streamed (see [`balanced_streamed`]).
const LEVEL_MEMBERS: usize = 4096;
/// Largest reduced collection whose balancedness is decided by the weights LP (good_lp);
/// larger ones go to the row simplex.
const WEIGHTS_LP_MAX: usize = 256;

/// Kohlberg's criterion on the worths `w` of the normalised game (players named `players`), with excess levels grouped
/// within `tol`; an error if `x` fails it. With weights (`variant`) the levels are those of
/// the weighted excess `e(S, x) / w(S)`: the criterion is unchanged, since scaling a
/// coalition's row by `1 / w(S) > 0` changes neither the sign of `y(S)` nor balancedness;
/// with blocks, the directions keep `y(B) = 0` (the blocks start the span) and `x(B) =
/// v(B)` is checked. Progress: `task` reaches `n - 1` plus the rank
/// the walk adds to `{N}` (see `crate::progress`).
#[allow(clippy::too_many_arguments)]
pub(super) fn kohlberg_check(
    w: Worths<'_>,
    players: &[String],
    x: &[f64],
    tol: f64,
    limits: &Limits,
    concept: &'static str,
    variant: &Variant<'_>,
    task: &Task,
) -> Result<()> {
    let n = x.len();
    task.stage(|| "Kohlberg check".into());
    if (x.iter().sum::<f64>() - w.grand_value()).abs() > tol {
        return Err(Error::unverified(
            concept,
            "efficiency",
            "the point found does not share out v(N)",
        ));
    }
    let off = |b: u64| {
        let xb: f64 = Coalition::from_mask(b).members().map(|i| x[i]).sum();
        (xb - w.at(b as usize)).abs() > tol
    };
    if let Some(&b) = variant.blocks.iter().find(|&&b| off(b)) {
        return Err(Error::unverified(
            concept,
            "blocks",
            format!(
                "the point found does not share out v(B) in the block {}",
                Coalition::from_mask(b).names(players)
            ),
        ));
    }
    if let Some(i) = (0..n).find(|&i| x[i] < limits.lo[i] - tol || x[i] > limits.hi[i] + tol) {
        let (check, detail) = if limits.lo_src[i] == Source::Standalone && x[i] < 0.0 {
            (
                "individual_rationality",
                format!("player {} gets less than alone", players[i]),
            )
        } else {
            (
                "bounds",
                format!("player {} is outside its floor or cap", players[i]),
            )
        };
        return Err(Error::unverified(concept, check, detail));
    }
    // The bounds that bind: directions may raise a share at its floor and lower one at
    // its cap (Kohlberg's criterion on the polyhedron of allowed allocations).
    let optional = limits.active(x, tol);
    // Walk down the levels until they span R^n (the singletons of `optional` do not count:
    // they need not carry weight). Only levels that raise the rank need an LP: a member in
    // the span of the levels above has y(S) = 0 for every y of property I already.
    let mut span = Span::new(n);
    span.add((1u64 << n) - 1);
    for &b in variant.blocks {
        span.add(b);
    }
    // Symmetric players: the check is relative to x_i = x_j, where the (pre)nucleolus of
    // a symmetric game lies (directions keep y_i = y_j).
    for &(i, j) in variant.symmetric {
        span.add_difference(i, j);
    }
    let mut walk = Levels::new(w, variant.inv(), x, tol);
    let mut level = f64::INFINITY;
    let mut meter = cancel::Meter::new(1 << 18);
    while span.rank() < n {
        let Some(mut lv) = walk.next_with(LEVEL_MEMBERS, Some(&span), true)? else {
            break;
        };
        if lv.top >= level {
            return Err(Error::numerical(concept, "excess levels did not decrease"));
        }
        level = lv.top;
        let balanced = if lv.large() {
            // A tie level of any size, streamed: its rank-raising members by passes
            // with the random span test, then property I by constraint generation over
            // the level (members in the span have y(S) = 0 for every y tested).
            let mut grown = span.clone();
            let first = lv.survey.as_mut().and_then(|s| s.off.take());
            let new = walk.raise_rank(&mut grown, lv.lo, lv.hi, first)?;
            let ok = new.is_empty() || balanced_streamed(&span.basis, &walk, &lv, &optional)?;
            span = grown;
            ok
        } else {
            let mut new: Vec<u64> = Vec::new();
            for m in lv.members {
                meter.tick(n * span.rank())?;
                if !span.contains(m) {
                    new.push(m);
                }
            }
            let ok = extends_balanced(n, &span.basis, &new, &optional)?;
            for m in new {
                span.add(m);
            }
            ok
        };
        if !balanced {
            return Err(Error::unverified(
                concept,
                "kohlberg",
                format!("the coalitions with excess >= {} are not balanced", level),
            ));
        }
        task.reach((n - 1 + span.rank() - 1) as u64);
    }
    Ok(())
}

/// Is `known ∪ band` balanced (weakly so with `optional`, signed unit vectors `(i, ±1)` of the
/// binding floors and caps), given that `known` is?
///
/// `basis` is an orthonormal basis of the span of `known ∪ {N}`. The test is Kohlberg's
/// "property I" (Kohlberg 1971), the alternative theorem for balancing weights: a collection
/// `D` is balanced iff every `y` with `y(N) = 0` and `y(S) >= 0` on `D` (and `±y_i >= 0` on
/// `optional`)
/// has `y(S) = 0` on `D`. Such `y` are
/// orthogonal to `known` already, and band members in its span have `y(S) = 0`, so only the
/// band members `B'` outside the span are tested, by one of two LPs:
///
/// - small `B'` (with `optional`, at most [`WEIGHTS_LP_MAX`] columns): the balancing weights
///   themselves through good_lp: `w_S >= 1` on `B'`, `u_i >= 0` on `optional` and free `λ_q`
///   with `sum w_S 1_S + sum u_i (±e_i) + sum λ_q q = 0` (feasible iff balanced);
/// - larger `B'`: `max sum_{S in B'} y(S) / |B'|` over `y·q = 0`, `y(S) >= 0` (`B'` and
///   `±y_i >= 0` on `optional`), `|y_i| <= 1`, by the row simplex; balanced iff no `y(S)` is
///   positive there.
fn extends_balanced(
    n: usize,
    basis: &[DVector<f64>],
    band: &[u64],
    optional: &[(usize, f64)],
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
    optional: &[(usize, f64)],
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
                .filter(|(_, &(j, _))| j == i)
                .map(|(k, &(_, s))| (nb + k, s)),
        );
        row.extend(basis.iter().enumerate().map(|(k, q)| (nb + no + k, q[i])));
        lp.add_row(row, Sense::Eq, 0.0);
    }
    for k in 0..nb + no {
        lp.add_row(vec![(k, 1.0)], Sense::Ge, if k < nb { 1.0 } else { 0.0 });
    }
    match lp.solve(CHECK) {
        Ok(_) => Ok(true),
        Err(Error::Solver {
            failure: SolverFailure::Infeasible,
            ..
        }) => Ok(false),
        Err(e) => Err(e),
    }
}

/// The LP of property I before its coalition rows: minimise `objective . y` over
/// `|y_i| <= 1`, `y . q = 0` for the span's basis, `±y_i >= 0` on `optional`.
fn property_one_lp(
    objective: Vec<f64>,
    basis: &[DVector<f64>],
    optional: &[(usize, f64)],
) -> RowLp {
    let mut lp = RowLp::new(objective, 1.0, 1e-12);
    for q in basis {
        let row: Vec<(usize, f64)> = q.iter().copied().enumerate().collect();
        lp.add_eq(&row, 0.0);
    }
    for &(i, s) in optional {
        lp.add_ge(&[(i, s)], 0.0);
    }
    lp
}

/// [`extends_balanced`] by property I (row simplex, constraint generation over the band).
fn balanced_by_property_one(
    n: usize,
    basis: &[DVector<f64>],
    band: &[u64],
    optional: &[(usize, f64)],
) -> Result<bool> {
    let mut objective = vec![0.0; n];
    for &m in band {
        for i in Coalition::from_mask(m).members() {
            objective[i] -= 1.0 / band.len() as f64;
        }
    }
    let mut lp = property_one_lp(objective, basis, optional);
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

/// [`extends_balanced`] for a level given by its interval: property I by the row simplex
/// with constraint generation, each round one pass over the level for its most negative
/// `y(S)` (see [`Levels::most_negative`]); the objective `sum_S y(S) / |level|` comes from
/// one pass too. Members in the span of `basis` have `y(S) = 0` for every `y` the LP allows,
/// so the whole level may be used.
fn balanced_streamed(
    basis: &[DVector<f64>],
    walk: &Levels<'_>,
    level: &Level,
    optional: &[(usize, f64)],
) -> Result<bool> {
    let (count, sum) = match level.survey.as_ref().and_then(|s| s.sum.clone()) {
        Some(sum) => (level.count, sum),
        None => walk.sum(level.lo, level.hi)?,
    };
    let n = sum.len();
    let objective: Vec<f64> = sum.iter().map(|s| -s / count.max(1) as f64).collect();
    let mut lp = property_one_lp(objective, basis, optional);
    let mut added: HashSet<u64> = HashSet::new();
    loop {
        cancel::check()?;
        lp.solve().map_err(|e| e.into_error(CHECK))?;
        let y = lp.point().to_vec();
        let (violated, most) =
            walk.most_negative(&y, level.lo, level.hi, 1e-12, 4 * n + 64 + added.len())?;
        let fresh: Vec<u64> = violated
            .into_iter()
            .map(|(_, m)| m)
            .filter(|m| !added.contains(m))
            .take(4 * n + 64)
            .collect();
        if fresh.is_empty() {
            return Ok(most <= 1e-7);
        }
        for m in fresh {
            lp.add_ge(&indicator(m, None), 0.0);
            added.insert(m);
        }
    }
}

/// Is the collection balanced: positive weights (zero allowed on `optional`) with
/// `sum_S w_S 1_S = 1_N`?
#[cfg(test)]
fn is_balanced(n: usize, collection: &[u64], optional: &[u64]) -> Result<bool> {
    let mut span = Span::new(n);
    span.add((1u64 << n) - 1);
    extends_balanced(n, &span.basis, collection, &singletons(optional))
}

/// Singleton masks as signed unit vectors `(i, +1)`.
#[cfg(test)]
fn singletons(masks: &[u64]) -> Vec<(usize, f64)> {
    masks
        .iter()
        .map(|m| (m.trailing_zeros() as usize, 1.0))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::game::Game;

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
        let nm = g.normal().unwrap();
        let third = 1.0 / 3.0;
        assert!(kohlberg_check(
            nm.w(),
            g.players(),
            &[third, third, third],
            1e-9,
            &Limits::open(3),
            "t",
            &Variant::default(),
            &Task::none()
        )
        .is_ok());
        let check_of = |x: &[f64]| match kohlberg_check(
            nm.w(),
            g.players(),
            x,
            1e-9,
            &Limits::open(3),
            "t",
            &Variant::default(),
            &Task::none(),
        ) {
            Err(Error::Solver {
                concept: "t",
                failure: SolverFailure::Unverified { check, .. },
            }) => check,
            other => panic!("expected a failed check, got {other:?}"),
        };
        assert_eq!(check_of(&[0.5, 0.5, 0.0]), "kohlberg");
        assert_eq!(check_of(&[0.5, 0.6, 0.0]), "efficiency");
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
            let signed = singletons(&optional);
            let a = balanced_by_weights(n, &span.basis, &band, &signed).unwrap();
            let b = balanced_by_property_one(n, &span.basis, &band, &signed).unwrap();
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
