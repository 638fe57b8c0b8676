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

use crate::cancel;
use crate::error::Result;
use crate::progress::Task;
use crate::solution::kernel::{check_at, weighted_bit_sums};
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
/// `S` without them?
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
    for t in 0..1usize << (n - 2) {
        if t % (1 << 16) == 0 {
            cancel::check()?;
        }
        // t with zero bits inserted at lo and hi: the masks without i and j, in order.
        let below = t & ((1 << lo) - 1);
        let rest = t >> lo;
        let mid = rest & ((1 << (hi - 1 - lo)) - 1);
        let m = below | (mid << (lo + 1)) | ((rest >> (hi - 1 - lo)) << (hi + 1));
        let (wi, wj) = match values {
            Some(v) => (v[m | bi], v[m | bj]),
            None => (w.at(m | bi), w.at(m | bj)),
        };
        if (wi - wj).abs() > tol || inv_w.is_some_and(|w| w[m | bi] != w[m | bj]) {
            return Ok(false);
        }
    }
    Ok(true)
}
