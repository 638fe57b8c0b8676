//! The sensitivity table of the nucleolus and the prenucleolus, from the linear system of their
//! tight excess levels (see the parent module's docs for the rule and its sources).

use std::collections::BTreeMap;

use nalgebra::DVector;

use crate::cancel;
use crate::error::{Error, Result, SolverFailure};
use crate::game::{Game, Kind};
use crate::solution::nucleolus::Tight;

/// Below this residual (the system's entries are 0/1, its right sides a unit vector) a
/// perturbation of one worth keeps the system consistent.
const CONSISTENT: f64 = 1e-9;

/// Finite-difference steps tried, as fractions of the normalised game's spread, in order.
const STEPS: [f64; 3] = [1e-6, 1e-4, 1e-8];

/// Two quotients at `h` and `h/2` agree when they differ by at most this, relative to
/// `max(1, |q|)`.
const AGREE: f64 = 1e-6;

/// Fills `table` (row-major, `(2^n - 1) × n`, zeros on entry) and `two_sided` (`true` on
/// entry) for the nucleolus (`imputation`) or the prenucleolus of `game`.
pub(super) fn fill(
    game: &Game,
    imputation: bool,
    table: &mut [f64],
    two_sided: &mut [bool],
) -> Result<()> {
    let n = game.n();
    let tight = game.tight_system(imputation, true)?;
    if tight.single_point {
        return Err(Error::Undefined {
            concept: "the sensitivity of the nucleolus",
            reason: "the imputations are a single point (v(N) is the sum of the standalone \
                     values): raising a standalone value leaves no imputation"
                .into(),
        });
    }
    let concept = if imputation {
        "the nucleolus"
    } else {
        "the prenucleolus"
    };
    if !tight.at_bounds.is_empty() {
        // A share at its standalone value: individual rationality is a one-way constraint,
        // so the point can move differently up and down for any worth of the levels that fix
        // it. The levels are walked without it, down to where the coalitions alone determine
        // the point; each of their coalitions, and each singleton at its bound, gets the
        // one-sided (+) derivative of the exact solver. Coalitions below those levels stay
        // slack under a small change: 0.
        let open = game.tight_system(imputation, false)?;
        let mut masks: Vec<u64> = open.system.eqs.iter().map(|e| e.mask).collect();
        masks.extend(tight.at_bounds.iter().map(|&i| 1u64 << i));
        masks.sort_unstable();
        masks.dedup();
        for mask in masks {
            cancel::check()?;
            let r = mask as usize - 1;
            let q = forward_difference(&tight, imputation, mask, concept)?;
            table[r * n..(r + 1) * n].copy_from_slice(&q);
            two_sided[r] = false;
        }
        return Ok(());
    }
    let system = &tight.system;
    let a = system.matrix();
    let singular = || Error::Solver {
        concept,
        failure: SolverFailure::Singular,
    };
    // The solution operator P: A^-1 when A is square (LU with partial pivoting), else the
    // least-squares operator (A^T A)^-1 A^T (A has full column rank). Column r of P is
    // d(x, t) / d rhs_r while the system stays consistent.
    let p = if a.nrows() == a.ncols() {
        a.clone().lu().try_inverse().ok_or_else(singular)?
    } else {
        let at = a.transpose();
        let chol = (&at * &a).cholesky().ok_or_else(singular)?;
        chol.solve(&at)
    };
    // The system holds at the point: the levels were grouped within `band`.
    let z = &p * system.rhs();
    let residual = (&a * &z - system.rhs()).amax();
    if residual > 10.0 * tight.band {
        return Err(Error::Solver {
            concept,
            failure: SolverFailure::numerical(format!(
                "the tight levels are inconsistent at the point (residual {residual:e})"
            )),
        });
    }
    // Rows by the coalition whose worth is their right side (a singleton can be both a bound
    // row and a level row).
    let mut by_mask: BTreeMap<u64, Vec<usize>> = BTreeMap::new();
    for (r, e) in system.eqs.iter().enumerate() {
        by_mask.entry(e.mask).or_default().push(r);
    }
    let mut one_sided = Vec::new();
    for (&mask, rows) in &by_mask {
        let mut unit = DVector::<f64>::zeros(system.eqs.len());
        for &r in rows {
            unit[r] = 1.0;
        }
        let dz = &p * &unit;
        if (&a * &dz - &unit).amax() <= CONSISTENT {
            let at = (mask as usize - 1) * n;
            for i in 0..n {
                table[at + i] = clean(dz[i]);
            }
        } else {
            one_sided.push(mask);
        }
    }
    for mask in one_sided {
        cancel::check()?;
        let r = mask as usize - 1;
        let q = forward_difference(&tight, imputation, mask, concept)?;
        table[r * n..(r + 1) * n].copy_from_slice(&q);
        two_sided[r] = false;
    }
    Ok(())
}

/// Entries below `1e-13` (the rounding of a solve whose exact answer is 0; the derivatives
/// are fractions with small denominators) are written as 0.
fn clean(d: f64) -> f64 {
    if d.abs() < 1e-13 {
        0.0
    } else {
        d
    }
}

/// The one-sided derivative of the shares for an increase of the worth of `mask`, by the exact
/// solver on the perturbed game: `(x(v + h e_S) - x(v)) / h`, accepted when the step and half
/// of it give the same quotient (the (pre)nucleolus is piecewise linear, so within one piece
/// the quotient is exact up to rounding).
fn forward_difference(
    tight: &Tight<'_>,
    imputation: bool,
    mask: u64,
    concept: &'static str,
) -> Result<Vec<f64>> {
    let nm = &tight.nm;
    // An increase of v(S) is an increase of w(S) for a value game and a decrease for a cost
    // game (w is the savings game); shares move with the same sign (x = sign (b + y)). The
    // positive factor of w cancels. A singleton's worth enters w through the standalone
    // values; by covariance (x(v + h a_i) = x(v) + h e_i for the additive game a_i) moving
    // w({i}) itself gives the same quotient.
    let sign = tight.nm.shift.sign;
    let spread = tight.nm.spread;
    let quotient = |step: f64| -> Result<Vec<f64>> {
        // The moved game is a new game: its worths are written out.
        let mut values = nm.w().write_out()?;
        values[mask as usize] += sign * step;
        let moved = Game::with_kind(nm.players().to_vec(), values, Kind::Value)?;
        let y = if imputation {
            moved.nucleolus()?
        } else {
            moved.prenucleolus()?
        };
        Ok(y.values()
            .iter()
            .zip(&tight.y)
            .map(|(a, b)| (a - b) / (sign * step))
            .collect())
    };
    for rel in STEPS {
        let h = rel * spread;
        let q1 = quotient(h)?;
        let q2 = quotient(h / 2.0)?;
        let size = q1.iter().fold(1.0f64, |m, d| m.max(d.abs()));
        let gap = q1
            .iter()
            .zip(&q2)
            .fold(0.0f64, |m, (a, b)| m.max((a - b).abs()));
        if gap <= AGREE * size {
            return Ok(q1.into_iter().map(clean).collect());
        }
    }
    Err(Error::Solver {
        concept,
        failure: SolverFailure::numerical(format!(
            "the one-sided derivative for {:?} is not constant on any step tried",
            crate::coalition::Coalition::from_mask(mask)
        )),
    })
}
