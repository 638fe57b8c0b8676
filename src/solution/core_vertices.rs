//! The vertices of the core, for small games (plots, teaching, exact comparison).
//!
//! The core `{x : x(N) = v(N), x(S) >= v(S) for every proper nonempty S}` is a polytope of
//! dimension at most `n - 1` (bounded: `x_i >= v({i})` and `x(N) = v(N)`). Its vertices are
//! computed in two ways:
//!
//! - **Convex games** (cost games: concave costs): the core is the Weber set, whose vertices are
//!   exactly the marginal vectors `m^pi_i = v(P_i^pi ∪ i) - v(P_i^pi)` of the `n!` orders
//!   (L. S. Shapley, "Cores of convex games", *Int. J. Game Theory* 1, 1971; R. J. Weber,
//!   "Probabilistic values for games", 1988). They are listed without an LP.
//! - **Other games**: the double description method (T. S. Motzkin, H. Raiffa, G. L. Thompson
//!   and R. M. Thrall, 1953; in the form of K. Fukuda and A. Prodon, "Double description method
//!   revisited", 1996). Start from the imputation simplex (vertices `v({j}) + (v(N) - sum_j
//!   v({j})) e_k`), then cut it by each coalition's half-space `x(S) >= v(S)` in turn: vertices
//!   on the wrong side are dropped, and each edge between a kept and a dropped vertex yields a new
//!   vertex where it crosses the hyperplane. Two vertices span an edge iff the constraints tight
//!   at both have rank `n - 2` besides `x(N) = v(N)` (the algebraic adjacency test, exact under
//!   degeneracy). Each final vertex is recomputed exactly from `n` independent constraints
//!   tight at it (LU), kept only if it satisfies all of them, and checked to lie in the core.
//!
//! Limited to `n <= 8` (254 half-spaces; up to `8! = 40320` vertices).

use nalgebra::{DMatrix, DVector};

use crate::cancel::{self, Meter};
use crate::coalition::Coalition;
use crate::error::{Error, Result};
use crate::game::Game;
use crate::solution::core::in_core_normal;
use crate::solution::normal::rounding;
use crate::solution::Allocation;

/// Largest game whose core vertices are enumerated.
pub const MAX_CORE_VERTEX_PLAYERS: usize = 8;

/// Candidate vertex pairs examined for one half-space before giving up (no silent hang).
const MAX_PAIRS_PER_CUT: usize = 50_000_000;

/// Constraint sets as bit sets over the masks `0..2^n` (`n <= 8`: 256 bits).
#[derive(Clone, Copy, PartialEq, Eq)]
struct Tight([u64; 4]);

impl Tight {
    const EMPTY: Tight = Tight([0; 4]);

    fn with(mut self, mask: usize) -> Tight {
        self.0[mask / 64] |= 1 << (mask % 64);
        self
    }

    fn and(self, other: Tight) -> Tight {
        Tight(std::array::from_fn(|k| self.0[k] & other.0[k]))
    }

    fn count(self) -> u32 {
        self.0.iter().map(|w| w.count_ones()).sum()
    }

    fn masks(self) -> impl Iterator<Item = usize> {
        (0..256).filter(move |&m| self.0[m / 64] >> (m % 64) & 1 == 1)
    }
}

struct Vertex {
    x: Vec<f64>,
    tight: Tight,
}

/// A maximal linearly independent choice among `1_N` and the indicator vectors of `masks`,
/// taken greedily in that order (Gaussian elimination): `1_N` first, at most `n` masks.
fn independent_with_grand(n: usize, masks: impl Iterator<Item = usize>) -> Vec<usize> {
    let full = (1usize << n) - 1;
    let mut basis: Vec<Vec<f64>> = Vec::new();
    let mut pivots: Vec<usize> = Vec::new();
    let mut chosen: Vec<usize> = Vec::new();
    for m in std::iter::once(full).chain(masks) {
        let mut row: Vec<f64> = (0..n)
            .map(|i| f64::from(u8::from(m >> i & 1 == 1)))
            .collect();
        for (b, &p) in basis.iter().zip(&pivots) {
            let f = row[p];
            if f != 0.0 {
                row.iter_mut().zip(b).for_each(|(r, bv)| *r -= f * bv);
            }
        }
        if let Some(p) = (0..n).find(|&i| row[i].abs() > 1e-9) {
            let d = row[p];
            row.iter_mut().for_each(|r| *r /= d);
            basis.push(row);
            pivots.push(p);
            chosen.push(m);
            if basis.len() == n {
                break;
            }
        }
    }
    chosen
}

impl Game {
    /// The vertices of the core, as allocations in lexicographic order; empty when the core is
    /// empty. For cost games, the vertices of `{x : x(N) = c(N), x(S) <= c(S)}`.
    ///
    /// Convex games list their distinct marginal vectors (Shapley 1971); other games use the
    /// double description method (see the module docs). Each vertex is recomputed from the
    /// constraints tight at it and verified to lie in the core within `1e-9 * max |v|`.
    /// Limited to at most 8 players ([`Error::Undefined`] above).
    ///
    /// # Example
    /// Players 1 and 2 together make 2, all three make 3, any other group 0: the core is the
    /// part `x_3 <= 1` of the imputation triangle, a quadrilateral.
    /// ```
    /// use coalitional::Game;
    /// let g = Game::from_values(vec![0.0, 0.0, 0.0, 2.0, 0.0, 0.0, 0.0, 3.0]).unwrap();
    /// let vertices = g.core_vertices().unwrap();
    /// let points: Vec<Vec<f64>> = vertices.iter().map(|a| a.values().to_vec()).collect();
    /// assert_eq!(points, vec![
    ///     vec![0.0, 2.0, 1.0], vec![0.0, 3.0, 0.0], vec![2.0, 0.0, 1.0], vec![3.0, 0.0, 0.0],
    /// ]);
    /// ```
    pub fn core_vertices(&self) -> Result<Vec<Allocation>> {
        let n = self.n();
        if n > MAX_CORE_VERTEX_PLAYERS {
            return Err(Error::Undefined {
                concept: "the list of core vertices",
                reason: format!(
                    "it is enumerated for at most {MAX_CORE_VERTEX_PLAYERS} players (the game has {n}); \
                     use least_core(), in_core() or nucleolus() to study larger cores"
                ),
            });
        }
        // On the zero-normalised game w, mapped back (so that shifting or rescaling the game
        // moves its vertices exactly).
        // (At most MAX_CORE_VERTEX_PLAYERS players: the normalised game is written out.)
        let nm = self.normal()?;
        let w = &Game::with_kind(
            self.players().to_vec(),
            nm.w().write_out()?,
            crate::game::Kind::Value,
        )?;
        // Ties and feasibility are decided at the game's tolerance, which includes the rounding
        // of the inputs (an additive game built with float sums has a one-point core).
        let tol = nm.decision_tol();
        let normal_points = if w.try_is_convex()? {
            w.marginal_vectors()
        } else {
            w.double_description(tol, nm.spread)?
        };
        let mut points: Vec<Vec<f64>> = normal_points.iter().map(|y| nm.lift(y)).collect();
        let tol = nm
            .shift
            .unscale(tol + rounding(n, nm.shift.b.iter().fold(0.0, |m, b| m.max(b.abs()))));
        points.sort_by(|a: &Vec<f64>, b| {
            a.iter()
                .zip(b)
                .map(|(p, q)| p.total_cmp(q))
                .find(|o| o.is_ne())
                .unwrap_or(std::cmp::Ordering::Equal)
        });
        let mut distinct: Vec<Vec<f64>> = Vec::new();
        for p in points {
            let duplicate = distinct
                .iter()
                .rev()
                .take_while(|q| (q[0] - p[0]).abs() <= tol)
                .any(|q| q.iter().zip(&p).all(|(a, b)| (a - b).abs() <= tol));
            if !duplicate {
                distinct.push(p);
            }
        }
        for p in &distinct {
            if !in_core_normal(&nm, p, 1e3 * tol * nm.shift.factor)? {
                return Err(Error::unverified(
                    "the list of core vertices",
                    "vertex",
                    format!("a computed vertex {p:?} is not in the core"),
                ));
            }
        }
        Ok(distinct
            .into_iter()
            .map(|p| Allocation::from_parts(self.players(), p, self.kind()))
            .collect())
    }

    /// The marginal vectors of all `n!` orders (Heap's algorithm), possibly repeated.
    fn marginal_vectors(&self) -> Vec<Vec<f64>> {
        let n = self.n();
        let mut order: Vec<usize> = (0..n).collect();
        let mut out = Vec::new();
        let mut push = |order: &[usize]| {
            let mut joined = 0usize;
            let mut m = vec![0.0; n];
            for &i in order {
                let next = joined | 1 << i;
                m[i] = self.values()[next] - self.values()[joined];
                joined = next;
            }
            out.push(m);
        };
        push(&order);
        let mut c = vec![0usize; n];
        let mut i = 1;
        while i < n {
            if c[i] < i {
                let j = if i % 2 == 0 { 0 } else { c[i] };
                order.swap(j, i);
                push(&order);
                c[i] += 1;
                i = 1;
            } else {
                c[i] = 0;
                i += 1;
            }
        }
        out
    }

    /// Core vertices on the value view `w = sign v` by the double description method.
    fn double_description(&self, tol: f64, scale: f64) -> Result<Vec<Vec<f64>>> {
        let n = self.n();
        let sign = self.benefit_sign();
        let full = (1usize << n) - 1;
        let w = |m: usize| sign * self.values()[m];
        let singles: Vec<f64> = (0..n).map(|i| w(1 << i)).collect();
        let spare = w(full) - singles.iter().sum::<f64>();
        if spare < -tol {
            return Ok(Vec::new());
        }
        let mut vertices: Vec<Vertex> = Vec::new();
        let singles_tight = (0..n).fold(Tight::EMPTY, |t, i| t.with(1 << i));
        if spare <= tol {
            // The imputation set is one point.
            let x = singles.clone();
            vertices.push(Vertex {
                x,
                tight: singles_tight,
            });
        } else {
            for k in 0..n {
                let mut x = singles.clone();
                x[k] += spare;
                vertices.push(Vertex {
                    x,
                    tight: (0..n)
                        .filter(|&i| i != k)
                        .fold(Tight::EMPTY, |t, i| t.with(1 << i)),
                });
            }
        }
        // Larger coalitions after smaller ones: the early cuts are the ones that bind most.
        let mut cuts: Vec<usize> = (1..full).filter(|m| m.count_ones() >= 2).collect();
        cuts.sort_by_key(|m| (m.count_ones(), *m));
        // Cancellation (see `crate::cancel`): checked per cut and every 4096 vertex pairs.
        let mut meter = Meter::new(1 << 12);
        for s in cuts {
            cancel::check()?;
            let ws = w(s);
            let slack: Vec<f64> = vertices
                .iter()
                .map(|v| {
                    Coalition::from_mask(s as u64)
                        .members()
                        .map(|i| v.x[i])
                        .sum::<f64>()
                        - ws
                })
                .collect();
            let plus: Vec<usize> = (0..vertices.len()).filter(|&k| slack[k] > tol).collect();
            let minus: Vec<usize> = (0..vertices.len()).filter(|&k| slack[k] < -tol).collect();
            if minus.is_empty() {
                for (v, &sl) in vertices.iter_mut().zip(&slack) {
                    if sl.abs() <= tol {
                        v.tight = v.tight.with(s);
                    }
                }
                continue;
            }
            if plus.len().saturating_mul(minus.len()) > MAX_PAIRS_PER_CUT {
                return Err(Error::LimitExceeded {
                    what: "candidate vertex pairs in one cut of the core",
                    asked: plus.len() as u128 * minus.len() as u128,
                    limit: MAX_PAIRS_PER_CUT as u128,
                });
            }
            let mut created: Vec<Vertex> = Vec::new();
            for &p in &plus {
                for &q in &minus {
                    meter.tick(1)?;
                    let common = vertices[p].tight.and(vertices[q].tight);
                    if (common.count() as usize) + 2 < n
                        || independent_with_grand(n, common.masks()).len() != n - 1
                    {
                        continue;
                    }
                    let t = slack[p] / (slack[p] - slack[q]);
                    let x = vertices[p]
                        .x
                        .iter()
                        .zip(&vertices[q].x)
                        .map(|(a, b)| a + t * (b - a))
                        .collect();
                    created.push(Vertex {
                        x,
                        tight: common.with(s),
                    });
                }
            }
            let mut kept: Vec<Vertex> = Vec::with_capacity(vertices.len());
            for (v, &sl) in vertices.into_iter().zip(&slack) {
                if sl > tol {
                    kept.push(v);
                } else if sl >= -tol {
                    kept.push(Vertex {
                        tight: v.tight.with(s),
                        ..v
                    });
                }
            }
            kept.extend(created);
            vertices = kept;
            if vertices.is_empty() {
                return Ok(Vec::new());
            }
        }
        vertices
            .into_iter()
            .map(|v| self.exact_vertex(&v, sign, scale))
            .collect()
    }

    /// Recomputes a vertex exactly from `n` linearly independent constraints tight at it
    /// (`x(N) = w(N)` first, then the tight coalitions in order, by LU), and keeps the result
    /// when it satisfies every tight constraint to within `1e-9 max |v|`; otherwise the
    /// iterate. Coordinates within `1e-12 max |v|` of a whole number are snapped to it.
    fn exact_vertex(&self, v: &Vertex, sign: f64, scale: f64) -> Result<Vec<f64>> {
        let n = self.n();
        let full = (1usize << n) - 1;
        let rows: Vec<usize> = std::iter::once(full).chain(v.tight.masks()).collect();
        let chosen = independent_with_grand(n, v.tight.masks());
        if chosen.len() < n {
            return Ok(v.x.clone());
        }
        let a = DMatrix::from_fn(n, n, |r, c| f64::from(u8::from(chosen[r] >> c & 1 == 1)));
        let b = DVector::from_fn(n, |r, _| sign * self.values()[chosen[r]]);
        let Some(x) = a.lu().solve(&b) else {
            return Ok(v.x.clone());
        };
        let fits = rows.iter().all(|&m| {
            let xs: f64 = (0..n).filter(|&i| m >> i & 1 == 1).map(|i| x[i]).sum();
            (xs - sign * self.values()[m]).abs() <= 1e-9 * scale
        });
        if !fits {
            return Ok(v.x.clone());
        }
        // A coordinate that is a whole number to within 1e-12 of the game's scale is one (the
        // vertices of games with whole-number values often are).
        Ok(x.iter()
            .map(|&xi| {
                let r = xi.round();
                if (xi - r).abs() <= 1e-12 * scale {
                    r + 0.0 // no negative zero
                } else {
                    xi
                }
            })
            .collect())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn independent_choice_and_rank() {
        // {0}, {1} with N over 3 players: rank 3; {0,1} and {2} with N: rank 2.
        assert_eq!(
            independent_with_grand(3, [0b001, 0b010].into_iter()).len(),
            3
        );
        assert_eq!(
            independent_with_grand(3, [0b011, 0b100].into_iter()),
            vec![0b111, 0b011]
        );
    }

    #[test]
    fn double_description_matches_marginal_vectors_on_convex_games() {
        // v(S) = (sum of weights)^2 is convex: the DD method must find the distinct marginal
        // vectors, which are the core's vertices (Shapley 1971).
        let weights = [1.0, 2.0, 3.0, 5.0, 7.0];
        let g = Game::from_fn((0..5).map(|i| i.to_string()).collect(), |s| {
            s.members().map(|i| weights[i]).sum::<f64>().powi(2)
        })
        .unwrap();
        let scale = g.values().iter().fold(0.0f64, |m, v| m.max(v.abs()));
        let dd = g.double_description(1e-9 * scale, scale).unwrap();
        let mut mv = g.marginal_vectors();
        mv.sort_by(|a, b| a.partial_cmp(b).unwrap());
        mv.dedup();
        assert_eq!(mv.len(), 120);
        assert_eq!(dd.len(), 120);
        for b in &mv {
            let found = dd
                .iter()
                .any(|a| a.iter().zip(b).all(|(p, q)| (p - q).abs() < 1e-9));
            assert!(found, "marginal vector {b:?} not found by the DD method");
        }
    }
}
