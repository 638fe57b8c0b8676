//! Symmetric players, so that tie levels shrink by structure before any LP.
//!
//! Players `i` and `j` are symmetric when `v(S ∪ {i}) = v(S ∪ {j})` for every `S ⊆ N \ {i, j}`
//! (to the rounding of the inputs, not to the solver's tolerance). The (pre)nucleolus gives symmetric players equal payoffs
//! (Schmeidler 1969: it is unique and the game is invariant under swapping them), so it is
//! also the (pre)nucleolus relative to the subspace `x_i = x_j`: the stages add those
//! equalities to every LP and to the span of fixed directions. A glove game of 12 left and 12
//! right gloves then starts with a span of rank 23 and needs one stage, where the plain
//! method meets a level of `C(24, 12)` tied coalitions. The polish and Kohlberg's check work
//! relative to the same subspace (directions with `y_i = y_j`), which is exact because the
//! pairs are verified on every coalition, not guessed: the invariants below only choose which
//! pairs to verify.
//!
//! Finding the classes: two invariants `A_i = sum_{S ∋ i} alpha(|S|) v(S)` (one streaming
//! pass each, the Shapley kernel of `solution::kernel`) are equal for symmetric players, so
//! only players with equal invariants are compared, pair by pair along each candidate class
//! (`2^(n-2)` values per pair, stopping at the first difference); symmetry is an equivalence
//! relation, so consecutive pairs suffice.

use std::sync::atomic::{AtomicBool, Ordering};

use crate::cancel;
use crate::error::Result;
use crate::progress::Task;
use crate::solution::kernel::{check_at, over_blocks, weighted_bit_sums};
use crate::solution::normal::Worths;

/// Pairs `(i, j)` of symmetric players, consecutive within each class of symmetric players
/// (so `classes - 1` pairs per class), for the worths `w` (largest `|w(S)|`: `spread`) within `tol`; with
/// weights on the excesses (reciprocals `inv_w` by mask), the weights must be symmetric too
/// (`inv_w(S + i) = inv_w(S + j)` exactly).
pub(super) fn symmetric_pairs(
    w: Worths<'_>,
    spread: f64,
    inv_w: Option<&[f64]>,
    tol: f64,
) -> Result<Vec<(usize, usize)>> {
    let n = w.n();
    if n < 2 {
        return Ok(Vec::new());
    }
    let task = Task::none();
    let plain = vec![1.0; n + 1];
    let sized: Vec<f64> = (0..=n).map(|k| 1.0 / (1.0 + k as f64).sqrt()).collect();
    let (a, _) = weighted_bit_sums(w, &plain, check_at, &task)?;
    let (b, _) = weighted_bit_sums(w, &sized, check_at, &task)?;
    // Equal invariants up to the rounding of sums of 2^(n-1) terms.
    let scale = spread.max(tol);
    let close = |p: f64, q: f64| (p - q).abs() <= 1e-9 * scale * (1u64 << (n - 1)) as f64;
    let mut order: Vec<usize> = (0..n).collect();
    order.sort_by(|&i, &j| a[i].total_cmp(&a[j]).then(i.cmp(&j)));
    let mut pairs = Vec::new();
    let mut assigned = vec![false; n];
    for (p, &i) in order.iter().enumerate() {
        if assigned[i] {
            continue;
        }
        assigned[i] = true;
        let mut last = i;
        for &j in &order[p + 1..] {
            if !close(a[i], a[j]) {
                break;
            }
            if !assigned[j] && close(b[i], b[j]) && symmetric(w, inv_w, n, last, j, tol)? {
                assigned[j] = true;
                pairs.push((last.min(j), last.max(j)));
                last = j;
            }
        }
    }
    Ok(pairs)
}

/// Are `i` and `j` symmetric: `|w(S + i) - w(S + j)| <= tol` (and equal weights) for every
/// `S` without them? The masks without `i` and `j` are walked in runs of `2^lo` consecutive
/// ones (`lo` the lower of the two bits), each compared as two contiguous slices, the runs
/// split between threads for large games; the first difference stops every thread.
fn symmetric(
    w: Worths<'_>,
    inv_w: Option<&[f64]>,
    n: usize,
    i: usize,
    j: usize,
    tol: f64,
) -> Result<bool> {
    let (lo, hi) = (i.min(j), i.max(j));
    let (bi, bj) = (1usize << i, 1usize << j);
    let values = w.as_slice();
    let run_len = 1usize << lo;
    let runs = 1usize << (n - 2 - lo);
    // Runs between two cancellation checks: about 2^16 comparisons.
    let per_check = ((1usize << 16) >> lo).max(1);
    let differ = AtomicBool::new(false);
    let same = |a: usize, b: usize| -> bool {
        let weights_agree = |k: usize| inv_w.is_none_or(|iw| iw[a + k] == iw[b + k]);
        match values {
            Some(v) => v[a..a + run_len]
                .iter()
                .zip(&v[b..b + run_len])
                .enumerate()
                .all(|(k, (p, q))| (p - q).abs() <= tol && weights_agree(k)),
            None => {
                (0..run_len).all(|k| (w.at(a + k) - w.at(b + k)).abs() <= tol && weights_agree(k))
            }
        }
    };
    let walk = |range: std::ops::Range<usize>| -> Result<bool> {
        for r in range {
            if r % per_check == 0 {
                cancel::check()?;
                if differ.load(Ordering::Relaxed) {
                    return Ok(false);
                }
            }
            // r with a zero bit inserted at hi - lo - 1 (bit hi of the mask), shifted above lo.
            let mid = r & ((1 << (hi - 1 - lo)) - 1);
            let m = (mid << (lo + 1)) | ((r >> (hi - 1 - lo)) << (hi + 1));
            if !same(m | bi, m | bj) {
                differ.store(true, Ordering::Relaxed);
                return Ok(false);
            }
        }
        Ok(true)
    };
    over_blocks(1usize << n, runs, walk, |a, b| a && b)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::game::Game;

    /// A game of `n` players in which `i` and `j` are symmetric: the worth depends on the
    /// coalition with `i` and `j` swapped out of it only through how many of them it holds.
    fn symmetric_game(n: usize, i: usize, j: usize) -> Vec<f64> {
        (0..1usize << n)
            .map(|m| {
                let pair = (m >> i & 1) + (m >> j & 1);
                let rest = m & !(1 << i) & !(1 << j);
                if m == 0 {
                    0.0
                } else {
                    (rest as f64 * 0.37).sin().abs() * 10.0 + 3.0 * pair as f64
                }
            })
            .collect()
    }

    #[test]
    fn a_pair_is_symmetric_until_one_coalition_tells_them_apart() {
        // n = 19: the runs are split between threads. Pairs with the lower bit 0 (runs of one
        // mask) and 5 (runs of 32).
        let n = 19;
        for (i, j) in [(0, 18), (5, 11)] {
            let mut v = symmetric_game(n, i, j);
            let g = Game::from_values(v.clone()).unwrap();
            let nm = g.normal().unwrap();
            assert!(symmetric(nm.w(), None, n, i, j, 1e-12).unwrap());
            // The last coalition with i and without j: 1e-6 apart is not symmetric within
            // 1e-9, but is within 1e-5.
            let m = ((1usize << n) - 1) & !(1 << j);
            v[m] += 1e-6;
            let g = Game::from_values(v).unwrap();
            let nm = g.normal().unwrap();
            assert!(
                !symmetric(nm.w(), None, n, i, j, 1e-9).unwrap(),
                "({i}, {j})"
            );
            assert!(
                symmetric(nm.w(), None, n, i, j, 1e-5).unwrap(),
                "({i}, {j})"
            );
            // A player outside the pair is told apart at once.
            assert!(!symmetric(nm.w(), None, n, i, j - 1, 1e-5).unwrap());
        }
    }
}
