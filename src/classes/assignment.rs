//! Assignment games: a two-sided market (donors and recipients, sellers and buyers) in which
//! a pair `(r, c)` creates the surplus `a_rc` and each player joins at most one pair.
//!
//! The worth of a coalition is its best pairing: `v(S) = max over matchings of S's rows with
//! S's columns of sum a_rc` (pairs with `a_rc <= 0` are never formed). L. S. Shapley and
//! M. Shubik ("The assignment game I: the core", *Int. J. Game Theory* 1, 1971) showed that the
//! core is nonempty and equals the set of optimal solutions `(u, w)` of the dual of the
//! assignment LP,
//!
//! `min sum_r u_r + sum_c w_c  s.t.  u_r + w_c >= a_rc,  u, w >= 0`,
//!
//! whose optimum equals `v(N)`; the core is a lattice with a row-optimal point (the largest
//! total to the rows) and a column-optimal point.
//!
//! **Methods.** The optimal pairing is found by the Hungarian algorithm (H. W. Kuhn, "The
//! Hungarian method for the assignment problem", *Naval Res. Logist. Q.* 2, 1955; `O(m^3)` for
//! `m = max(rows, cols)`). A core allocation is an optimal dual solution, computed by the row
//! simplex (`m + k` variables, one row per pair); the side-optimal points by a second LP that
//! keeps the total at `v(N)` and minimises the other side's total. The dense game is built by
//! the recursion `v(S) = max(v(S - r), max_{c in S} a_rc + v(S - r - c))` on the first row
//! `r` of `S` (`O(2^n k)`).

use crate::classes::names_for;
use crate::coalition::Coalition;
use crate::cooperative::{check_mask, Cooperative};
use crate::error::{Error, Result};
use crate::game::Game;
use crate::lp::rows::RowLp;
use crate::memory;
use crate::solution::Allocation;
use crate::Kind;

/// Which side a core allocation favours.
///
/// With serde: `"rows"` or `"cols"`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Side {
    /// The row players (e.g. donors) get the most the core allows.
    Rows,
    /// The column players (e.g. recipients) get the most the core allows.
    Cols,
}

/// An assignment game between row players and column players.
///
/// With serde it reads and writes as `{"rows": [...], "cols": [...], "weights": [[...], ...]}`;
/// reading applies the checks of [`Assignment::new`].
#[derive(Clone, Debug, PartialEq, serde::Serialize, serde::Deserialize)]
#[serde(try_from = "RawAssignment", into = "RawAssignment")]
pub struct Assignment {
    rows: Vec<String>,
    cols: Vec<String>,
    /// `a[r][c]`, clamped at 0 (a pair with no surplus is not formed).
    a: Vec<Vec<f64>>,
    players: Vec<String>,
}

/// An [`Assignment`] game as written, and as read before validation.
#[derive(serde::Serialize, serde::Deserialize)]
#[serde(deny_unknown_fields)]
struct RawAssignment {
    rows: Vec<String>,
    cols: Vec<String>,
    weights: Vec<Vec<f64>>,
}

impl TryFrom<RawAssignment> for Assignment {
    type Error = Error;
    fn try_from(raw: RawAssignment) -> Result<Assignment> {
        Assignment::new(raw.weights, raw.rows, raw.cols)
    }
}

impl From<Assignment> for RawAssignment {
    fn from(a: Assignment) -> RawAssignment {
        RawAssignment {
            rows: a.rows,
            cols: a.cols,
            weights: a.a,
        }
    }
}

impl Assignment {
    /// The game of the surplus matrix `weights` (`rows x cols`, finite); players are the rows
    /// followed by the columns, and their names must all differ. With no column players, an
    /// empty `weights` (no rows at all) stands for the `rows x 0` matrix.
    ///
    /// # Example
    /// Two donors, two recipients: the best pairing is d1-r2 and d2-r1 (5 + 4 = 9).
    /// ```
    /// use coalitional::classes::assignment::{Assignment, Side};
    /// let g = Assignment::new(
    ///     vec![vec![3.0, 5.0], vec![4.0, 1.0]],
    ///     vec!["d1".into(), "d2".into()],
    ///     vec!["r1".into(), "r2".into()],
    /// ).unwrap();
    /// assert_eq!(g.optimal_value(), 9.0);
    /// assert_eq!(g.optimal_matching(), vec![(0, 1), (1, 0)]);
    /// let x = g.core_allocation(Some(Side::Rows)).unwrap();
    /// assert!((x.total() - 9.0).abs() < 1e-9);
    /// ```
    pub fn new(weights: Vec<Vec<f64>>, rows: Vec<String>, cols: Vec<String>) -> Result<Self> {
        let weights = if weights.is_empty() && cols.is_empty() {
            vec![Vec::new(); rows.len()]
        } else {
            weights
        };
        if weights.is_empty() && !rows.is_empty() {
            return Err(Error::InvalidParameter {
                name: "weights",
                reason: format!(
                    "weights is empty but there are {} row players and {} column players",
                    rows.len(),
                    cols.len()
                ),
            });
        }
        if weights.len() != rows.len() {
            return Err(Error::InvalidParameter {
                name: "weights",
                reason: format!(
                    "{} rows of weights for {} row players",
                    weights.len(),
                    rows.len()
                ),
            });
        }
        for (r, row) in weights.iter().enumerate() {
            if row.len() != cols.len() {
                return Err(Error::InvalidParameter {
                    name: "weights",
                    reason: format!(
                        "row {} has {} entries for {} column players",
                        rows[r],
                        row.len(),
                        cols.len()
                    ),
                });
            }
            if let Some(c) = row.iter().position(|a| !a.is_finite()) {
                return Err(Error::InvalidParameter {
                    name: "weights",
                    reason: format!("the surplus of {} with {} is {}", rows[r], cols[c], row[c]),
                });
            }
        }
        let players: Vec<String> = rows.iter().chain(&cols).cloned().collect();
        let players = names_for(players.len(), Some(players))?;
        let a = weights
            .into_iter()
            .map(|row| row.into_iter().map(|x| x.max(0.0)).collect())
            .collect();
        Ok(Assignment {
            rows,
            cols,
            a,
            players,
        })
    }

    /// All players: the rows, then the columns.
    pub fn players(&self) -> &[String] {
        &self.players
    }

    /// The row players.
    pub fn rows(&self) -> &[String] {
        &self.rows
    }

    /// The column players.
    pub fn cols(&self) -> &[String] {
        &self.cols
    }

    /// The surplus matrix (negative entries stored as 0: such pairs never form).
    pub fn weights(&self) -> &[Vec<f64>] {
        &self.a
    }

    /// The best pairing, as `(row, column)` index pairs with positive surplus, by row.
    pub fn optimal_matching(&self) -> Vec<(usize, usize)> {
        best_pairing(self.rows.len(), self.cols.len(), |r, c| self.a[r][c])
    }

    /// The worth of a coalition: the surplus of the best pairing of its rows with its columns
    /// (Hungarian algorithm on that sub-market, `O(max(rows, cols)^3)` for its members).
    pub fn value(&self, s: Coalition) -> f64 {
        let m = self.rows.len();
        let rows: Vec<usize> = s.members().take_while(|&i| i < m).collect();
        let cols: Vec<usize> = s.members().skip(rows.len()).map(|i| i - m).collect();
        let pairs = best_pairing(rows.len(), cols.len(), |r, c| self.a[rows[r]][cols[c]]);
        // Summed from the last row, as the dense recursion of `to_game` adds them.
        pairs
            .iter()
            .rev()
            .fold(0.0, |sum, &(r, c)| self.a[rows[r]][cols[c]] + sum)
    }

    /// `v(N)`: the total surplus of the best pairing.
    pub fn optimal_value(&self) -> f64 {
        self.optimal_matching()
            .iter()
            .map(|&(r, c)| self.a[r][c])
            .sum()
    }

    /// A core allocation (rows first, then columns): an optimal solution of the dual
    /// assignment LP (Shapley and Shubik 1971), or the row- or column-optimal core point.
    /// Verified: efficient (`sum = v(N)`) and `u_r + w_c >= a_rc` for every pair, within
    /// `1e-9 max(1, max a)`.
    pub fn core_allocation(&self, favour: Option<Side>) -> Result<Allocation> {
        let concept = "the assignment game's core";
        let (m, k) = (self.rows.len(), self.cols.len());
        let p = m + k;
        let scale = self.a.iter().flatten().fold(1.0f64, |s, &x| s.max(x.abs()));
        let tol = 1e-9 * scale;
        let bound = 16.0 * (p + 1) as f64 * scale;
        let build = |objective: Vec<f64>| {
            let mut lp = RowLp::new(objective, bound, tol);
            for j in 0..p {
                lp.add_ge(&[(j, 1.0)], 0.0);
            }
            for r in 0..m {
                for c in 0..k {
                    if self.a[r][c] > 0.0 {
                        lp.add_ge(&[(r, 1.0), (m + c, 1.0)], self.a[r][c]);
                    }
                }
            }
            lp
        };
        let total = self.optimal_value();
        let mut lp = build(vec![1.0; p]);
        lp.solve().map_err(|e| e.into_error(concept))?;
        let mut x = lp.point().to_vec();
        if let Some(side) = favour {
            // Keep the total at v(N) and give the other side as little as the core allows.
            let objective = (0..p)
                .map(|j| f64::from(u8::from((j < m) == (side == Side::Cols))))
                .collect();
            let mut lp = build(objective);
            lp.add_eq(&(0..p).map(|j| (j, 1.0)).collect::<Vec<_>>(), total);
            lp.solve().map_err(|e| e.into_error(concept))?;
            x = lp.point().to_vec();
        }
        let sum: f64 = x.iter().sum();
        if (sum - total).abs() > 1e3 * tol {
            return Err(Error::unverified(
                concept,
                "efficiency",
                format!("the dual optimum {sum} differs from the best pairing's surplus {total}"),
            ));
        }
        for r in 0..m {
            for c in 0..k {
                if x[r] + x[m + c] < self.a[r][c] - 1e3 * tol || x[r] < -1e3 * tol {
                    return Err(Error::unverified(
                        concept,
                        "stability",
                        format!(
                            "the pair {} and {} would block the allocation",
                            self.rows[r], self.cols[c]
                        ),
                    ));
                }
            }
        }
        Ok(Allocation::from_parts(&self.players, x, Kind::Value))
    }

    /// The dense game (memory checked first).
    pub fn to_game(&self) -> Result<Game> {
        let (m, n) = (self.rows.len(), self.players.len());
        memory::check_dense(n, 1)?;
        let row_bits = (1usize << m) - 1;
        let mut v = memory::try_filled(1usize << n, 0.0f64, n)?;
        for mask in 1..v.len() {
            let rows_in = mask & row_bits;
            if rows_in == 0 || mask >> m == 0 {
                continue;
            }
            let r = rows_in.trailing_zeros() as usize;
            let rest = mask & !(1 << r);
            let mut best = v[rest];
            let mut cols_in = mask >> m;
            while cols_in != 0 {
                let c = cols_in.trailing_zeros() as usize;
                cols_in &= cols_in - 1;
                best = best.max(self.a[r][c] + v[rest & !(1 << (m + c))]);
            }
            v[mask] = best;
        }
        Game::new(self.players.clone(), v)
    }
}

/// Worths by the best pairing of each coalition's sub-market, without the dense game.
impl Cooperative for Assignment {
    fn players(&self) -> &[String] {
        &self.players
    }
    fn kind(&self) -> Kind {
        Kind::Value
    }
    fn worth(&mut self, mask: u64) -> Result<f64> {
        check_mask(self.players.len(), mask)?;
        Ok(self.value(Coalition::from_mask(mask)))
    }
    fn dense(&mut self) -> Result<Game> {
        self.to_game()
    }
}

/// The best pairing of `m` rows with `k` columns for the surplus `weight(r, c)`: `(row,
/// column)` pairs with positive surplus, by row. Minimum-cost assignment on the square matrix
/// of `-weight` (dummy rows and columns cost 0), with potentials (Kuhn 1955; the
/// shortest-augmenting-path form, `O(max(m, k)^3)`).
fn best_pairing(m: usize, k: usize, weight: impl Fn(usize, usize) -> f64) -> Vec<(usize, usize)> {
    let size = m.max(k);
    if size == 0 {
        return Vec::new();
    }
    let cost = |r: usize, c: usize| if r < m && c < k { -weight(r, c) } else { 0.0 };
    let inf = f64::INFINITY;
    let mut u = vec![0.0; size + 1];
    let mut v = vec![0.0; size + 1];
    let mut owner = vec![0usize; size + 1]; // column j -> row (1-based), 0 = free
    let mut way = vec![0usize; size + 1];
    for r in 1..=size {
        owner[0] = r;
        let mut j0 = 0;
        let mut minv = vec![inf; size + 1];
        let mut used = vec![false; size + 1];
        loop {
            used[j0] = true;
            let i0 = owner[j0];
            let mut delta = inf;
            let mut j1 = 0;
            for j in 1..=size {
                if !used[j] {
                    let cur = cost(i0 - 1, j - 1) - u[i0] - v[j];
                    if cur < minv[j] {
                        minv[j] = cur;
                        way[j] = j0;
                    }
                    if minv[j] < delta {
                        delta = minv[j];
                        j1 = j;
                    }
                }
            }
            for j in 0..=size {
                if used[j] {
                    u[owner[j]] += delta;
                    v[j] -= delta;
                } else {
                    minv[j] -= delta;
                }
            }
            j0 = j1;
            if owner[j0] == 0 {
                break;
            }
        }
        loop {
            let j1 = way[j0];
            owner[j0] = owner[j1];
            j0 = j1;
            if j0 == 0 {
                break;
            }
        }
    }
    let mut pairs: Vec<(usize, usize)> = (1..=size)
        .filter(|&j| owner[j] >= 1 && owner[j] <= m && j <= k)
        .map(|j| (owner[j] - 1, j - 1))
        .filter(|&(r, c)| weight(r, c) > 0.0)
        .collect();
    pairs.sort_unstable();
    pairs
}
