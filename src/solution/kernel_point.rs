//! The kernel and the prekernel (M. Davis and M. Maschler, "The kernel of a cooperative game",
//! *Naval Research Logistics Quarterly* 12, 1965): membership checks and a point of the kernel
//! by a transfer scheme (R. E. Stearns, "Convergence of a transfer scheme", 1968).
//!
//! The **surplus** of player `i` over player `j` at `x` is the most `i` can gain without `j`:
//!
//! `s_ij(x) = max { e(S, x) : i in S, j not in S }`,  `e(S, x) = v(S) - x(S)`.
//!
//! The **prekernel** is the set of efficient `x` with `s_ij(x) = s_ji(x)` for every pair; the
//! **kernel** the set of imputations with, for every pair,
//! `(s_ij(x) - s_ji(x)) (x_j - v({j})) <= 0`: either the surpluses balance, or the one who
//! outweighs faces a partner already at its standalone value. The (pre)nucleolus lies in the
//! (pre)kernel (Schmeidler 1969; Maschler, Peleg and Shapley 1972).
//!
//! All the `n (n - 1)` surpluses come from one pass over the `2^n` coalitions, on the
//! zero-normalised game (surpluses are covariant under scaling and under adding standalone
//! amounts, so the checks and the scheme work at the scale of what cooperation adds). Cost
//! games: the surpluses of the savings game.

use crate::cancel::{self, Meter};
use crate::coalition::Coalition;
use crate::error::{Error, Result};
use crate::game::Game;
use crate::solution::kernel::BlockSums;
use crate::solution::normal::Worths;
use crate::solution::Allocation;

/// Transfers of the scheme before it gives up with a numerical [`Error::Solver`].
const MAX_TRANSFERS: usize = 20_000;

/// The surpluses `s[i * n + j] = s_ij(y)` of the value game with values `w` at `y` (the
/// diagonal is `-inf`), in one pass over the coalitions: `O(n^2 2^n)`.
fn surpluses(w: Worths<'_>, y: &[f64]) -> Result<Vec<f64>> {
    let n = y.len();
    let full = (1usize << n) - 1;
    let mut s = vec![f64::NEG_INFINITY; n * n];
    let mut meter = Meter::new(1 << 16);
    // y(S) from the block sums: y over the low bits plus y over the block's high bits.
    let sums = BlockSums::new(y);
    let mut buf = vec![0.0f64; sums.block()];
    for blk in 0..w.len() / sums.block() {
        let high = sums.high(blk);
        for (j, &ws) in w.block(blk, &mut buf).iter().enumerate() {
            let mask = blk << sums.k | j;
            if mask == 0 || mask == full {
                continue;
            }
            meter.tick(n * n)?;
            let e = ws - (sums.low[j] + high);
            for i in Coalition::from_mask(mask as u64).members() {
                let row = &mut s[i * n..(i + 1) * n];
                for j in Coalition::from_mask((full & !mask) as u64).members() {
                    if e > row[j] {
                        row[j] = e;
                    }
                }
            }
        }
    }
    Ok(s)
}

impl Game {
    /// Is `x` in the kernel (`pre = false`) or the prekernel, within `tol`?
    fn kernel_membership(&self, x: &[f64], tol: Option<f64>, pre: bool) -> Result<bool> {
        if x.len() != self.n() {
            return Err(Error::AllocationLength {
                got: x.len(),
                n: self.n(),
            });
        }
        let tol = tol.unwrap_or_else(|| self.tolerance());
        if tol.is_nan() || tol < 0.0 {
            return Err(Error::InvalidParameter {
                name: "tol",
                reason: format!("a tolerance must be a nonnegative number, not {tol}"),
            });
        }
        if x.iter().any(|v| !v.is_finite()) {
            return Ok(false);
        }
        // On the zero-normalised game w, with x and tol in its units.
        let nm = self.normal()?;
        let y = nm.lower(x);
        let tol = tol * nm.shift.factor;
        let n = y.len();
        let total: f64 = y.iter().sum();
        if (total - nm.w().grand_value()).abs() > tol || (!pre && y.iter().any(|&v| v < -tol)) {
            return Ok(false);
        }
        let s = surpluses(nm.w(), &y)?;
        for i in 0..n {
            for j in (0..n).filter(|&j| j != i) {
                let gap = s[i * n + j] - s[j * n + i];
                // Prekernel: the surpluses balance. Kernel: or j is at its standalone value.
                if gap > tol && (pre || y[j] > tol) {
                    return Ok(false);
                }
            }
        }
        Ok(true)
    }

    /// Is `x` in the kernel (Davis and Maschler 1965)? True when `x` is an imputation and for
    /// every pair `i != j`, `s_ij(x) <= s_ji(x)` or `x_j = v({j})` (cost games: `x_j =
    /// c({j})`), all within `tol` (default [`Game::tolerance`]), where
    /// `s_ij(x) = max { v(S) - x(S) : i in S, j not in S }` is `i`'s surplus over `j` (see the
    /// module docs). Cost: one pass over the `2^n` coalitions, `O(n^2 2^n)`.
    ///
    /// [`Error::AllocationLength`] when `x` has the wrong length; [`Error::InvalidParameter`]
    /// for a negative or NaN `tol`. A point with an entry that is not finite is not in the
    /// kernel.
    ///
    /// # Example
    /// The nucleolus is in the kernel; in the three-player majority game so is `(1/3, 1/3,
    /// 1/3)`, and `(1/2, 1/2, 0)` is not.
    /// ```
    /// use coalitional::Game;
    /// let g = Game::from_values(vec![0.0, 0.0, 0.0, 1.0, 0.0, 1.0, 1.0, 1.0]).unwrap();
    /// assert!(g.in_kernel(&[1.0 / 3.0; 3], None).unwrap());
    /// assert!(!g.in_kernel(&[0.5, 0.5, 0.0], None).unwrap());
    /// ```
    pub fn in_kernel(&self, x: &[f64], tol: Option<f64>) -> Result<bool> {
        self.kernel_membership(x, tol, false)
    }

    /// Is `x` in the prekernel? True when `x` is efficient and `s_ij(x) = s_ji(x)` for every
    /// pair, within `tol` (default [`Game::tolerance`]). Cost and errors as
    /// [`Game::in_kernel`].
    ///
    /// # Example
    /// ```
    /// use coalitional::Game;
    /// let g = Game::from_values(vec![0.0, 0.0, 0.0, 1.0, 0.0, 1.0, 1.0, 1.0]).unwrap();
    /// assert!(g.in_prekernel(g.prenucleolus().unwrap().values(), None).unwrap());
    /// ```
    pub fn in_prekernel(&self, x: &[f64], tol: Option<f64>) -> Result<bool> {
        self.kernel_membership(x, tol, true)
    }

    /// A point of the kernel (Davis and Maschler 1965), by Stearns' transfer scheme (R. E.
    /// Stearns, "Convergence of a transfer scheme", 1968; M. Maschler, B. Peleg and L. S.
    /// Shapley, "The kernel and bargaining set for convex games", *Int. J. Game Theory* 1,
    /// 1972, for the scheme's use).
    ///
    /// **Start**: the imputation that splits the surplus `v(N) - sum v({i})` equally on top
    /// of the standalone values (not the nucleolus, which is in the kernel already).
    /// **Step**: with all surpluses `s_ij` from one pass over the coalitions, take the pair
    /// with the largest transfer `d = min((s_ij - s_ji) / 2, x_j - v({j}))` and move `d` from
    /// `j` to `i`; that balances the two surpluses (`s_ij` falls by `d`, `s_ji` rises by `d`)
    /// unless `j` reaches its standalone value. **Stop** when no transfer exceeds a quarter of
    /// the tolerance, so the point passes [`Game::in_kernel`] at [`Game::tolerance`]. The
    /// kernel need not be a single point; this is the one the scheme reaches from that start.
    /// For three-player zero-monotonic games the kernel is a single point, the nucleolus
    /// (Maschler, Peleg and Shapley 1972).
    ///
    /// Runs on the zero-normalised game (covariant under scaling and standalone shifts).
    /// Cost: `O(n^2 2^n)` per transfer. [`Error::Undefined`] when there is no imputation;
    /// a numerical [`Error::Solver`] if the scheme has not converged after 20 000 transfers.
    ///
    /// # Example
    /// A zero-monotonic three-player game: the kernel is the nucleolus `(5/2, 5/2, 1)`.
    /// ```
    /// use coalitional::Game;
    /// let g = Game::from_values(vec![0.0, 0.0, 0.0, 4.0, 0.0, 0.0, 0.0, 6.0]).unwrap();
    /// let k = g.kernel_point().unwrap();
    /// assert!((k[0] - 2.5).abs() < 1e-6 && (k[2] - 1.0).abs() < 1e-6);
    /// assert!(g.in_kernel(k.values(), None).unwrap());
    /// ```
    pub fn kernel_point(&self) -> Result<Allocation> {
        const CONCEPT: &str = "the kernel";
        let n = self.n();
        let nm = self.normal()?;
        let w = nm.w();
        let wn = w.grand_value();
        let tol = nm.decision_tol();
        if wn < -tol {
            return Err(Error::Undefined {
                concept: CONCEPT,
                reason: format!(
                    "there is no imputation: the players' standalone values add up to more than v(N) = {}",
                    self.grand_value()
                ),
            });
        }
        let mut y = vec![wn.max(0.0) / n as f64; n];
        let target = 0.25 * tol;
        for _ in 0..MAX_TRANSFERS {
            cancel::check()?;
            let s = surpluses(w, &y)?;
            let mut best = (0.0f64, 0usize, 0usize);
            for i in 0..n {
                for j in 0..n {
                    if i != j {
                        let d = (0.5 * (s[i * n + j] - s[j * n + i])).min(y[j]);
                        if d > best.0 {
                            best = (d, i, j);
                        }
                    }
                }
            }
            let (d, i, j) = best;
            if d <= target {
                return Ok(nm.allocation(&y));
            }
            y[i] += d;
            y[j] -= d;
        }
        Err(Error::numerical(
            CONCEPT,
            format!("the transfer scheme did not converge in {MAX_TRANSFERS} transfers"),
        ))
    }
}
