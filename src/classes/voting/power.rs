//! Johnston, Deegan–Packel, Holler and Coleman indices of a weighted majority game by
//! pseudo-polynomial counting, exact in `u128`, never touching the `2^n` coalitions.
//!
//! Notation: the players are taken in order of decreasing weight `w_0 >= w_1 >= ... >= w_{n-1}`
//! (ties in index order), `q` is the quota, and every weight is first capped at `q` (a player
//! of weight `>= q` wins alone with either weight, so the game does not change). "Before `i`"
//! and "after `i`" refer to this order; the last member of a coalition is its lightest.
//!
//! **Swings and Coleman.** `η_i` comes from [`WeightedVoting::swings`] (`O(n q)`); the losing
//! coalitions are those of weight `< q`, counted by the same table: `|L| = Σ_{a < q} C(a)`,
//! `|W| = 2^n - |L|`.
//!
//! **Minimal winning coalitions (Holler, Deegan–Packel).** `S` is minimal winning iff
//! `q <= w(S) < q + w_j` with `j` its last member (removing the lightest member makes it lose).
//!
//! **Johnston.** In a winning `S` with excess `e = w(S) - q`, member `i` is critical iff
//! `w_i > e`: the critical players are the *heaviest* members, a prefix `K` of `S` in the
//! order, and the rest `R = S \ K` all come after the last critical member `c`. `S = K ∪ R`
//! with `|K| = k` critical players iff `q <= w(S) < q + w_c` (so every member of `K` is
//! critical) and, when `R` is not empty, `w(S) - w_{r_1} >= q` for `r_1` the first (heaviest)
//! member of `R` (so no member of `R` is critical). With `T_r(x)` the number of subsets of
//! the players after `r` that weigh `x`, the number of ways to complete `K` of weight `b`
//! with last member `c` is
//! `g_c(b) = [q <= b < q + w_c] + Σ_{r > c} #{R' ⊆ after(r) : q - b <= w(R') <= q + w_c - w_r - 1 - b}`,
//! each term a difference of prefix sums of `T_r`: `O(n^2 q)` for all `c` and `b`.
//!
//! **One engine for both.** Both counts have the same shape: a coalition is a *chain*
//! `A ∪ {i} ∪ M ∪ {c}` of counted members (the members of a minimal winning coalition; the
//! critical players for Johnston), with `c` the last counted member, weighted by a closing
//! factor `g_c(b)` of the chain's weight `b` (for minimal winning coalitions
//! `g_c(b) = [q <= b < q + w_c]`). The number of chains of `k` counted members that contain
//! player `i` is
//! `out_i(k) = Σ_{a < q} Σ_s F_i(s, a) Z_i(k - 1 - s, a + w_i)`, where
//! - `F_i(s, a)`: subsets `A` of the players before `i` with `s` members and weight `a`; all
//!   `F_i` come from the table of all players by removing one player at a time (exact
//!   polynomial division, `F_i(s, a) = F_{i+1}(s, a) - F_i(s - 1, a - w_i)`);
//! - `Z_i(0, b) = g_i(b)` (`i` is the last counted member) and `Z_i(t, b) = Q_{i+1}(t, b)` for
//!   `t >= 1`, where `Q_m(t, b)` counts the ways to close a chain of weight `b` with `t` more
//!   counted members, all at or after `m`: `Q_m(t, b) = Q_{m+1}(t, b) + Z_m(t - 1, b + w_m)`.
//!
//! The players are visited from the lightest to the heaviest, so only the current `F_i` and
//! `Q_{i+1}` are kept: memory `O(n q)`, time `O(n^2 q)` for the tables and `O(n^3 q / 6)` for
//! the size-resolved products (skipped for a player whose weight equals the previous one's:
//! equal weights give equal counts). The chain's weight stays below `q + w_0 <= 2q`.

use super::{WeightedVoting, MAX_TABLE_BYTES};
use crate::error::{Error, Result};
use crate::solution::power::{Counts, PowerIndices};

/// The players in the order of decreasing weight, and their weights capped at `q`.
fn sorted(g: &WeightedVoting) -> (Vec<usize>, Vec<usize>) {
    let mut order: Vec<usize> = (0..g.n()).collect();
    order.sort_by(|&a, &b| g.weights[b].cmp(&g.weights[a]).then(a.cmp(&b)));
    let w = order
        .iter()
        .map(|&i| g.weights[i].min(g.quota) as usize)
        .collect();
    (order, w)
}

/// The counts of chains containing each player (in sorted position), by number of counted
/// members, for the closing factors `g` (see the module docs), and the number of chains
/// (each counted once, by its last counted member: the `t = 0` terms). `all` is the table of all
/// players, `all[a * (n + 1) + s]` for `a < q`; `close(m, &mut row)` writes `g_m(b)` into
/// `row[b]` for `b < width`.
fn chains(
    w: &[usize],
    q: usize,
    all: &[u128],
    mut close: impl FnMut(usize, &mut [u128]),
) -> (Vec<Vec<u128>>, u128) {
    let n = w.len();
    let stride = n + 1;
    let width = q + w[0];
    let mut f = all.to_vec();
    // q_tab[b * stride + t]: Q_{i+1}(t, b) for t >= 1; slot t = 0 holds g_i(b) while
    // player i is processed, so that the row of b is Z_i(., b).
    let mut q_tab = vec![0u128; width * stride];
    let mut g_row = vec![0u128; width];
    let mut out = vec![vec![0u128; stride]; n];
    let mut total = 0u128;
    for i in (0..n).rev() {
        let wi = w[i];
        // F_i from F_{i+1}: remove player i.
        for a in wi..q {
            for s in 1..stride {
                let sub = f[(a - wi) * stride + s - 1];
                f[a * stride + s] -= sub;
            }
        }
        g_row.iter_mut().for_each(|x| *x = 0);
        close(i, &mut g_row);
        for (b, &x) in g_row.iter().enumerate() {
            q_tab[b * stride] = x;
        }
        for a in 0..q {
            let g = g_row[a + wi];
            if g != 0 {
                total += f[a * stride..a * stride + i + 1].iter().sum::<u128>() * g;
            }
        }
        if i + 1 < n && w[i + 1] == wi {
            out[i] = out[i + 1].clone();
        } else {
            let row = &mut out[i];
            for a in 0..q {
                // At most n - 1 - i counted members after i; only the nonzero stretch of the
                // row of Z and of F is visited.
                let z = &q_tab[(a + wi) * stride..(a + wi) * stride + n - i];
                let Some(t0) = z.iter().position(|&x| x != 0) else {
                    continue;
                };
                let t1 = z.iter().rposition(|&x| x != 0).unwrap_or(t0);
                let z = &z[t0..=t1];
                for (s, &c) in f[a * stride..a * stride + i + 1].iter().enumerate() {
                    if c == 0 {
                        continue;
                    }
                    let out = &mut row[s + 1 + t0..=s + 1 + t1];
                    for (o, &zt) in out.iter_mut().zip(z) {
                        *o += c * zt;
                    }
                }
            }
        }
        // Q_i from Q_{i+1} and Z_i: Q_i(t, b) = Q_{i+1}(t, b) + Z_i(t - 1, b + w_i).
        for b in 0..width.saturating_sub(wi) {
            for t in (1..stride).rev() {
                let add = q_tab[(b + wi) * stride + t - 1];
                q_tab[b * stride + t] += add;
            }
        }
    }
    (out, total)
}

impl WeightedVoting {
    /// Johnston, Deegan–Packel, Holler (public good) and Coleman (prevent, initiate,
    /// collectivity) indices, the swings and, for comparison, the Shapley–Shubik and
    /// normalised Banzhaf indices, by pseudo-polynomial counting with exact `u128` counts
    /// (see the module docs of `classes::voting::power` and [`crate::solution::power`] for
    /// the formulas and sources).
    ///
    /// Cost `O(n^3 q)` in the worst case (`O(n^2 q)` tables and a size-resolved product per
    /// distinct weight), memory `O(n q)`: 100 voters with total weight 3000 take well under a
    /// second (BENCHMARKS.md). The minimal winning coalitions are counted, not listed: see
    /// [`WeightedVoting::minimal_winning`].
    ///
    /// # Errors
    /// [`Error::InvalidParameter`] (`quota`) when the counting tables would exceed 1 GiB.
    ///
    /// # Example
    /// The Council of the EEC, 1958 (France, Germany, Italy 4; Belgium, Netherlands 2;
    /// Luxembourg 1; quota 12). Luxembourg is a null player; the minimal winning coalitions are
    /// the three large members, and two large with both middle ones (3 of them): each large
    /// and each middle member is in 3 of them, so Holler gives each 3/15 = 1/5.
    /// ```
    /// use coalitional::WeightedVoting;
    /// let eec = WeightedVoting::new(12, vec![4, 4, 4, 2, 2, 1], None)?;
    /// let p = eec.power_indices()?;
    /// assert_eq!(p.minimal_winning_count(), 4);
    /// assert!((p.holler()[0] - 0.2).abs() < 1e-15);
    /// assert!((p.holler()[3] - 0.2).abs() < 1e-15);
    /// assert_eq!(p.holler()[5], 0.0);
    /// # Ok::<(), coalitional::Error>(())
    /// ```
    pub fn power_indices(&self) -> Result<PowerIndices> {
        let n = self.n();
        let q = self.quota as usize;
        let (order, w) = sorted(self);
        let width = q + w[0];
        let cells = (n as u128 + 1) * (q as u128 + 2 * width as u128) + n as u128 * width as u128;
        if cells * 16 > MAX_TABLE_BYTES {
            return Err(Error::InvalidParameter {
                name: "quota",
                reason: format!(
                    "the counting tables for the power indices need {cells} cells, above the \
                     1 GiB limit; divide the weights and the quota by a common factor"
                ),
            });
        }
        let stride = n + 1;
        // all[a * stride + s]: coalitions of s members and weight a < q.
        let mut all = vec![0u128; q * stride];
        all[0] = 1;
        for &wk in &w {
            for a in (wk..q).rev() {
                for s in (1..stride).rev() {
                    let add = all[(a - wk) * stride + s - 1];
                    all[a * stride + s] += add;
                }
            }
        }
        let losing: u128 = all.iter().sum();
        let winning = if n == 128 {
            (u128::MAX - losing) + 1
        } else {
            (1u128 << n) - losing
        };

        let (minimal, minimal_count) = chains(&w, q, &all, |m, row| {
            row[q..q + w[m]].iter_mut().for_each(|x| *x = 1);
        });

        // Prefix sums of T_r (subsets of the players after r, by weight), for r = 0..n.
        let mut prefix = vec![0u128; n * width];
        let mut t = vec![0u128; width];
        t[0] = 1;
        for r in (0..n).rev() {
            let mut run = 0u128;
            for (x, &c) in t.iter().enumerate() {
                run += c;
                prefix[r * width + x] = run;
            }
            for x in (w[r]..width).rev() {
                let add = t[x - w[r]];
                t[x] += add;
            }
        }
        let (johnston, vulnerable) = chains(&w, q, &all, |c, row| {
            let wc = w[c];
            for (b, slot) in row.iter_mut().enumerate().take(q + wc).skip(wc) {
                let mut count = u128::from(b >= q);
                let lo = q.saturating_sub(b);
                for (r, &wr) in w.iter().enumerate().skip(c + 1) {
                    if wr >= wc {
                        continue;
                    }
                    let Some(hi) = (q + wc - wr - 1).checked_sub(b) else {
                        continue;
                    };
                    if hi < lo {
                        continue;
                    }
                    let p = &prefix[r * width..(r + 1) * width];
                    count += p[hi] - if lo > 0 { p[lo - 1] } else { 0 };
                }
                *slot = count;
            }
        });

        let mut counts = Counts {
            swings: self.swings(),
            winning,
            losing,
            johnston: vec![Vec::new(); n],
            minimal: vec![Vec::new(); n],
            vulnerable,
            minimal_count,
            listed: None,
        };
        for (pos, (j, m)) in johnston.into_iter().zip(minimal).enumerate() {
            counts.johnston[order[pos]] = j;
            counts.minimal[order[pos]] = m;
        }
        Ok(PowerIndices::from_counts(
            self.players.clone(),
            counts,
            self.shapley(),
        ))
    }

    /// The minimal winning coalitions, as member indices (increasing; the coalitions in
    /// increasing bit-mask order, as in [`PowerIndices::minimal_winning`]), listed by a search
    /// over the players in order of decreasing weight that never enters a branch without a
    /// minimal winning coalition: `O(n)` per coalition listed after an `O(n q)` count.
    ///
    /// # Errors
    /// [`Error::LimitExceeded`] when there are more than `limit` of them (the error gives the
    /// exact number).
    ///
    /// # Example
    /// ```
    /// use coalitional::WeightedVoting;
    /// let eec = WeightedVoting::new(12, vec![4, 4, 4, 2, 2, 1], None)?;
    /// let m = eec.minimal_winning(100)?;
    /// assert_eq!(m, vec![vec![0, 1, 2], vec![0, 1, 3, 4], vec![0, 2, 3, 4], vec![1, 2, 3, 4]]);
    /// # Ok::<(), coalitional::Error>(())
    /// ```
    pub fn minimal_winning(&self, limit: usize) -> Result<Vec<Vec<usize>>> {
        let n = self.n();
        let q = self.quota as usize;
        let (order, w) = sorted(self);
        // Count first: prefix tables by weight, closing with the last member j.
        let mut prefix = vec![0u128; q];
        prefix[0] = 1;
        let mut count = 0u128;
        for &wj in &w {
            count += prefix[q.saturating_sub(wj)..].iter().sum::<u128>();
            for a in (wj..q).rev() {
                let add = prefix[a - wj];
                prefix[a] += add;
            }
        }
        if count > limit as u128 {
            return Err(Error::LimitExceeded {
                what: "minimal winning coalitions to list",
                asked: count,
                limit: limit as u128,
            });
        }
        let mut suffix = vec![0usize; n + 1];
        for j in (0..n).rev() {
            suffix[j] = suffix[j + 1] + w[j];
        }
        let mut found = Vec::new();
        let mut stack = Vec::new();
        search(&w, q, &suffix, 0, 0, &mut stack, &mut found);
        let mut listed: Vec<Vec<usize>> = found
            .into_iter()
            .map(|pos: Vec<usize>| {
                let mut m: Vec<usize> = pos.into_iter().map(|p| order[p]).collect();
                m.sort_unstable();
                m
            })
            .collect();
        listed.sort_by(|a, b| a.iter().rev().cmp(b.iter().rev()));
        Ok(listed)
    }
}

/// Depth-first listing of the minimal winning coalitions that extend `stack` (weight
/// `weight < q`, members in sorted positions before `start`); a branch is entered only when
/// the players after it can still reach the quota, so each one ends in a listed coalition.
fn search(
    w: &[usize],
    q: usize,
    suffix: &[usize],
    start: usize,
    weight: usize,
    stack: &mut Vec<usize>,
    found: &mut Vec<Vec<usize>>,
) {
    for j in start..w.len() {
        if w[j] == 0 || weight + suffix[j] < q {
            break;
        }
        if weight + w[j] >= q {
            let mut s = stack.clone();
            s.push(j);
            found.push(s);
        } else if weight + w[j] + suffix[j + 1] >= q {
            stack.push(j);
            search(w, q, suffix, j + 1, weight + w[j], stack, found);
            stack.pop();
        }
    }
}
