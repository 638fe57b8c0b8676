//! The nucleolus and the least core of the assignment game without its `2^n` values.
//!
//! **Which coalitions count.** An assignment game has a nonempty core (Shapley and Shubik
//! 1971), and for such games the nucleolus is determined by the *essential* coalitions alone,
//! those whose worth exceeds that of every nontrivial partition of them (B. A. Huberman, "The
//! nucleolus and the essential coalitions", *Analysis and Optimization of Systems*, LNCIS 28,
//! 1980). Every coalition's worth is that of a partition into matched pairs and single players,
//! so the essential coalitions are the singletons and the mixed pairs `{r, c}` with
//! `a_rc > 0`: `m + k + m k` at most, instead of `2^(m+k)`.
//!
//! **The core as a difference system** (the idea behind T. Solymosi and T. E. S. Raghavan,
//! "An algorithm for finding the nucleolus of assignment games", *Int. J. Game Theory* 23,
//! 1994). Fix an optimal matching `mu` (Hungarian algorithm). In the core, a matched pair
//! splits its surplus, `u_r + w_mu(r) = a_{r mu(r)}`, and unmatched players get 0; so a core
//! point is given by the payoffs `u_r` of the matched rows, and every essential coalition's
//! satisfaction `x(S) - v(S)` is a difference `U_p - U_q + const` of node potentials, with one
//! node per matched pair (`U = u_r`) and a node `0` with `U_0 = 0`:
//!
//! - row `r` of pair `p` alone: `U_p - U_0 >= t`; its partner `c` alone:
//!   `U_0 - U_p >= t - a_rc`;
//! - an unmatched pair `{r, c}` with `r` in pair `p` (else node 0, `u_r = 0`) and `c` in pair
//!   `q` (row `r'`) : `U_p - U_q >= t + a_rc - a_{r'c}`; with `c` unmatched: `U_p - U_0 >= t +
//!   a_rc`;
//! - matched pairs and unmatched players have the constant satisfaction 0.
//!
//! **Sequential programs on that system.** The nucleolus maximises the sorted satisfactions
//! lexicographically. For a system of difference constraints `U_p - U_q >= c_pq + t`, the
//! largest feasible `t` is the minimum cycle mean of the lengths `-c_pq` (a cycle's constraints
//! add up to `0 >= sum c + |C| t`), computed by Karp's algorithm (R. M. Karp, "A
//! characterization of the minimum cycle mean in a digraph", *Discrete Math.* 23, 1978,
//! `O(V E)`), which also gives shortest-path potentials for the lengths `-c - t*`. The
//! constraints whose satisfaction is the same at every optimal point are exactly those inside
//! the strongly connected components of the arcs with zero reduced cost (the critical
//! cycles); their nodes' differences are fixed, so each such component is merged into one node
//! and the next stage runs on the contracted graph, with `t` strictly larger. Each stage merges
//! at least two nodes, so there are at most `p` stages for `p` matched pairs, and the last one
//! leaves a single node: every `u_r` relative to `U_0 = 0`. This is the sequential-LP
//! definition of the nucleolus (Maschler, Peleg and Shapley 1979) solved combinatorially;
//! Solymosi and Raghavan reach the same point by longest paths and cycle detection in a
//! related graph, in `O(m^2 n)` steps of `O(m n)`; here the cost is `O(sum over stages of
//! V_s^3)`, at most `O(p^4)`, a fraction of a second for 200 x 200 (see BENCHMARKS.md).
//!
//! **Numbers.** The reduced costs are compared with zero at a tolerance of a few units in the
//! last place of the stage's constants (`4 V^2` of them, relative to their largest value);
//! when no critical cycle shows at that tolerance (rounding), it is widened eightfold up to
//! `1e-9` of the weights before giving up with [`Error::Solver`]. Merging too little only adds
//! a stage; the result is verified to be a core point (efficient, no blocking pair) before it is
//! returned.
//!
//! **Least core.** Its `epsilon` is 0 unless the market is a single pair: the matched pairs and
//! the unmatched players partition `N` into proper coalitions whose excesses `v(P) - x(P)` add
//! up to `v(N) - x(N) = 0`, so one of them is at least 0, while core points (the core is
//! nonempty) have no positive excess; hence `epsilon* = 0` and the least core is the core. For
//! one row and one column (`N` itself the only pair) the singletons are the only proper
//! coalitions: `epsilon* = -a/2`, at the equal split. The allocation returned is the nucleolus.
//! Because the nucleolus lies in the core, it is also the prenucleolus.

use crate::classes::assignment::Assignment;
use crate::error::{Error, Result};
use crate::solution::core::LeastCore;
use crate::solution::Allocation;
use crate::Kind;

const CONCEPT: &str = "the assignment game's nucleolus";

/// A difference constraint `U_from - U_to >= constant + t`.
#[derive(Clone, Copy)]
struct Arc {
    from: usize,
    to: usize,
    constant: f64,
}

/// The difference system of the module docs: arcs between `nodes` nodes (0 = the zero node,
/// `p + 1` = pair `p`), with `pairs[p] = (r, c)`.
struct System {
    nodes: usize,
    arcs: Vec<Arc>,
    pairs: Vec<(usize, usize)>,
}

impl System {
    fn new(g: &Assignment, tol: f64) -> Result<System> {
        let a = g.weights();
        let (m, k) = (g.rows().len(), g.cols().len());
        let pairs = g.optimal_matching();
        let nodes = pairs.len() + 1;
        let mut row_node = vec![0usize; m];
        let mut col_pair = vec![None; k];
        for (p, &(r, c)) in pairs.iter().enumerate() {
            row_node[r] = p + 1;
            col_pair[c] = Some(p);
        }
        // The strongest constraint per ordered pair of nodes (the others never bind first and
        // become constant when it does).
        let mut best = vec![f64::NEG_INFINITY; nodes * nodes];
        let mut put = |from: usize, to: usize, c: f64| {
            let slot = &mut best[from * nodes + to];
            *slot = slot.max(c);
        };
        for (p, &(r, c)) in pairs.iter().enumerate() {
            put(p + 1, 0, 0.0); // the row alone
            put(0, p + 1, -a[r][c]); // its partner alone
        }
        for r in 0..m {
            for c in 0..k {
                let arc = a[r][c];
                if arc <= 0.0 {
                    continue; // not essential: worth the sum of the two singletons
                }
                let from = row_node[r];
                match col_pair[c] {
                    Some(q) if q + 1 == from => {} // a matched pair: satisfaction 0
                    Some(q) => put(from, q + 1, arc - a[pairs[q].0][c]),
                    None if from != 0 => put(from, 0, arc),
                    None if arc > tol => {
                        return Err(Error::unverified(
                            CONCEPT,
                            "optimal matching",
                            format!(
                                "{} and {} are both unmatched but create {arc}",
                                g.rows()[r],
                                g.cols()[c]
                            ),
                        ));
                    }
                    None => {}
                }
            }
        }
        let mut arcs = Vec::new();
        for from in 0..nodes {
            for to in 0..nodes {
                let constant = best[from * nodes + to];
                if constant > f64::NEG_INFINITY {
                    arcs.push(Arc { from, to, constant });
                }
            }
        }
        Ok(System { nodes, arcs, pairs })
    }
}

/// Karp's minimum cycle mean of the dense length matrix `len` (`q x q`, `INFINITY` = no arc)
/// and shortest-walk potentials for the lengths `len - mean`: `pi_v = min_k (D_k(v) - k
/// mean)`. `None` when the graph has no cycle.
fn karp(q: usize, len: &[f64]) -> Option<(f64, Vec<f64>)> {
    // d[k * q + v]: the least length of a walk of exactly k arcs ending at v (any start).
    let mut d = vec![f64::INFINITY; (q + 1) * q];
    d[..q].fill(0.0);
    for k in 1..=q {
        let (done, rest) = d.split_at_mut(k * q);
        let prev = &done[(k - 1) * q..];
        let next = &mut rest[..q];
        for (u, &du) in prev.iter().enumerate() {
            if du == f64::INFINITY {
                continue;
            }
            for (nv, &l) in next.iter_mut().zip(&len[u * q..(u + 1) * q]) {
                let cand = du + l;
                *nv = if cand < *nv { cand } else { *nv };
            }
        }
    }
    let mut mean = f64::INFINITY;
    for v in 0..q {
        let dq = d[q * q + v];
        if dq == f64::INFINITY {
            continue;
        }
        let worst = (0..q)
            .filter(|&k| d[k * q + v] < f64::INFINITY)
            .map(|k| (dq - d[k * q + v]) / (q - k) as f64)
            .fold(f64::NEG_INFINITY, f64::max);
        mean = mean.min(worst);
    }
    if mean == f64::INFINITY {
        return None;
    }
    let pi = (0..q)
        .map(|v| {
            (0..=q)
                .map(|k| d[k * q + v] - k as f64 * mean)
                .fold(f64::INFINITY, f64::min)
        })
        .collect();
    Some((mean, pi))
}

/// Strongly connected components of the graph with adjacency lists `adj` (Tarjan's algorithm,
/// iterative): the component of each node.
fn components(adj: &[Vec<usize>]) -> Vec<usize> {
    let q = adj.len();
    let (mut index, mut low) = (vec![usize::MAX; q], vec![0usize; q]);
    let (mut on_stack, mut stack) = (vec![false; q], Vec::new());
    let mut comp = vec![usize::MAX; q];
    let (mut next_index, mut next_comp) = (0, 0);
    for root in 0..q {
        if index[root] != usize::MAX {
            continue;
        }
        let mut call: Vec<(usize, usize)> = vec![(root, 0)];
        index[root] = next_index;
        low[root] = next_index;
        next_index += 1;
        stack.push(root);
        on_stack[root] = true;
        while let Some(&mut (v, ref mut i)) = call.last_mut() {
            if let Some(&w) = adj[v].get(*i) {
                *i += 1;
                if index[w] == usize::MAX {
                    index[w] = next_index;
                    low[w] = next_index;
                    next_index += 1;
                    stack.push(w);
                    on_stack[w] = true;
                    call.push((w, 0));
                } else if on_stack[w] {
                    low[v] = low[v].min(index[w]);
                }
            } else {
                call.pop();
                if let Some(&(parent, _)) = call.last() {
                    low[parent] = low[parent].min(low[v]);
                }
                if low[v] == index[v] {
                    while let Some(w) = stack.pop() {
                        on_stack[w] = false;
                        comp[w] = next_comp;
                        if w == v {
                            break;
                        }
                    }
                    next_comp += 1;
                }
            }
        }
    }
    comp
}

/// The nucleolus `(u for the matched rows' nodes, relative to node 0)` and the first stage's
/// level, by the contraction of critical cycles (module docs).
fn solve(sys: &System, scale: f64) -> Result<(Vec<f64>, Option<f64>)> {
    let n = sys.nodes;
    // Each node's component (0..count) and its potential relative to the component's.
    let mut comp: Vec<usize> = (0..n).collect();
    let mut offset = vec![0.0f64; n];
    let mut count = n;
    let mut first = None;
    while count > 1 {
        // The contracted graph: lengths -c' with c' = c - offset_from + offset_to.
        let mut len = vec![f64::INFINITY; count * count];
        let mut largest = 0.0f64;
        for arc in &sys.arcs {
            let (a, b) = (comp[arc.from], comp[arc.to]);
            if a != b {
                let c = arc.constant - offset[arc.from] + offset[arc.to];
                let slot = &mut len[a * count + b];
                *slot = slot.min(-c);
                largest = largest.max(c.abs());
            }
        }
        let Some((mean, pi)) = karp(count, &len) else {
            return Err(Error::numerical(
                CONCEPT,
                "the contracted constraint graph has no cycle",
            ));
        };
        first.get_or_insert(mean);
        // Critical components: SCCs of the arcs with (near) zero reduced cost.
        let mut tol = 4.0 * (count * count) as f64 * f64::EPSILON * largest.max(scale);
        let merged = loop {
            let adj: Vec<Vec<usize>> = (0..count)
                .map(|a| {
                    (0..count)
                        .filter(|&b| {
                            let l = len[a * count + b];
                            l < f64::INFINITY && l - mean + pi[a] - pi[b] <= tol
                        })
                        .collect()
                })
                .collect();
            let scc = components(&adj);
            let groups = scc.iter().copied().max().map_or(0, |x| x + 1);
            if groups < count {
                break scc;
            }
            if tol > 1e-9 * scale {
                return Err(Error::numerical(
                    CONCEPT,
                    format!("no critical cycle at level {mean} within the tolerance {tol}"),
                ));
            }
            tol *= 8.0;
        };
        // Within a merged component the potentials' differences are fixed: U_v = U_new +
        // offset_v + pi_old - pi_base, with the base the first old component merged into it
        // (a component left alone keeps its offsets).
        count = merged.iter().copied().max().map_or(0, |x| x + 1);
        let mut base = vec![f64::NAN; count];
        for (old, &new) in merged.iter().enumerate() {
            if base[new].is_nan() {
                base[new] = pi[old];
            }
        }
        for v in 0..n {
            let old = comp[v];
            offset[v] += pi[old] - base[merged[old]];
            comp[v] = merged[old];
        }
    }
    let base = offset[0];
    Ok((offset.iter().map(|o| o - base).collect(), first))
}

impl Assignment {
    /// The point and the first level of the difference system, checked to be in the core.
    fn nucleolus_point(&self) -> Result<Vec<f64>> {
        let a = self.weights();
        let (m, k) = (self.rows().len(), self.cols().len());
        let scale = a.iter().flatten().fold(0.0f64, |s, &x| s.max(x));
        let mut x = vec![0.0; m + k];
        if scale == 0.0 {
            return Ok(x);
        }
        let tol = 1e-9 * scale;
        let sys = System::new(self, tol)?;
        let (u, _) = solve(&sys, scale)?;
        for (p, &(r, c)) in sys.pairs.iter().enumerate() {
            x[r] = u[p + 1];
            x[m + c] = a[r][c] - u[p + 1];
        }
        // Verification: a core point (efficient by construction).
        for (i, &xi) in x.iter().enumerate() {
            if xi < -tol {
                return Err(Error::unverified(
                    CONCEPT,
                    "individual rationality",
                    format!("{} would get {xi}", self.players()[i]),
                ));
            }
        }
        for (r, row) in a.iter().enumerate() {
            for (c, &arc) in row.iter().enumerate() {
                if x[r] + x[m + c] < arc - tol {
                    return Err(Error::unverified(
                        CONCEPT,
                        "stability",
                        format!(
                            "the pair {} and {} would block the point",
                            self.rows()[r],
                            self.cols()[c]
                        ),
                    ));
                }
            }
        }
        Ok(x)
    }

    /// The nucleolus of the assignment game, without its `2^n` values: the lexicographic
    /// centre of the core with respect to the essential coalitions (singletons and mixed
    /// pairs; Huberman 1980), computed on the core's description as a system of difference
    /// constraints by contracting minimum-mean cycles stage by stage (see the module
    /// `classes::assignment_nucleolus` for the method and its sources: Shapley and Shubik 1971,
    /// Solymosi and Raghavan 1994, Karp 1978). Rows first, then columns, as
    /// [`Assignment::players`]. `O(p^4)` at worst for `p` matched pairs, after the `O(max(m,
    /// k)^3)` matching; 200 x 200 in well under a second. Checked to be a core point
    /// ([`Error::Solver`] otherwise); agrees with the dense
    /// [`Game::nucleolus`](crate::Game::nucleolus) of [`Assignment::to_game`] (tested on
    /// hundreds of random markets up to 5 x 6).
    ///
    /// # Example
    /// One donor, two recipients worth 3 and 5 with it: the core is `(d, 0, 5 - d)` for
    /// `3 <= d <= 5`, and the nucleolus its midpoint.
    /// ```
    /// use coalitional::Assignment;
    /// let g = Assignment::new(
    ///     vec![vec![3.0, 5.0]],
    ///     vec!["donor".into()],
    ///     vec!["r1".into(), "r2".into()],
    /// ).unwrap();
    /// let x = g.nucleolus().unwrap();
    /// assert!((x[0] - 4.0).abs() < 1e-12 && x[1] == 0.0 && (x[2] - 1.0).abs() < 1e-12);
    /// ```
    pub fn nucleolus(&self) -> Result<Allocation> {
        let x = self.nucleolus_point()?;
        Ok(Allocation::from_parts(self.players(), x, Kind::Value))
    }

    /// The prenucleolus: the same point as [`Assignment::nucleolus`], as the core is nonempty
    /// and the prenucleolus lies in the core whenever the core is nonempty.
    pub fn prenucleolus(&self) -> Result<Allocation> {
        self.nucleolus()
    }

    /// The least core, without the `2^n` values: `epsilon* = 0` (the least core is the core)
    /// unless the market is one row and one column, where `epsilon* = -a/2` (see the module
    /// `classes::assignment_nucleolus` for the proof); the allocation is the nucleolus. Needs
    /// at least two players ([`Error::Undefined`] otherwise, as the dense least core).
    ///
    /// # Example
    /// ```
    /// use coalitional::Assignment;
    /// let g = Assignment::new(
    ///     vec![vec![3.0, 5.0], vec![4.0, 1.0]],
    ///     vec!["d1".into(), "d2".into()],
    ///     vec!["r1".into(), "r2".into()],
    /// ).unwrap();
    /// let lc = g.least_core().unwrap();
    /// assert_eq!(lc.epsilon, 0.0);
    /// ```
    pub fn least_core(&self) -> Result<LeastCore> {
        if self.players().len() < 2 {
            return Err(Error::Undefined {
                concept: "the least core",
                reason: "a one-player game has no proper nonempty coalition to constrain".into(),
            });
        }
        let x = self.nucleolus_point()?;
        let epsilon = match (self.rows().len(), self.cols().len()) {
            (1, 1) if self.weights()[0][0] > 0.0 => -self.weights()[0][0] / 2.0,
            _ => 0.0,
        };
        Ok(LeastCore {
            epsilon,
            allocation: Allocation::from_parts(self.players(), x, Kind::Value),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn karp_finds_the_least_mean_cycle() {
        // 0 -> 1 (1), 1 -> 0 (3): mean 2; 1 -> 2 (0), 2 -> 1 (1): mean 1/2.
        let inf = f64::INFINITY;
        let len = [inf, 1.0, inf, 3.0, inf, 0.0, inf, 1.0, inf];
        let (mean, pi) = karp(3, &len).unwrap();
        assert_eq!(mean, 0.5);
        // Feasible potentials: no reduced cost below zero.
        for a in 0..3 {
            for b in 0..3 {
                if len[a * 3 + b] < inf {
                    assert!(len[a * 3 + b] - mean + pi[a] - pi[b] >= -1e-12);
                }
            }
        }
        assert!(karp(2, &[inf, 1.0, inf, inf]).is_none());
    }

    #[test]
    fn tarjan_groups_cycles() {
        let adj = vec![vec![1], vec![0, 2], vec![3], vec![2], vec![]];
        let c = components(&adj);
        assert_eq!(c[0], c[1]);
        assert_eq!(c[2], c[3]);
        assert_ne!(c[0], c[2]);
        assert_ne!(c[4], c[0]);
        assert_ne!(c[4], c[2]);
    }
}
