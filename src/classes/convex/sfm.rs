//! Submodular function minimisation by the Fujishige–Wolfe minimum-norm-point algorithm.
//!
//! For a submodular `g` on the subsets of `E = {0, ..., m-1}` with `g(∅) = 0`, the base
//! polytope is `B(g) = {y : y(T) <= g(T) for all T, y(E) = g(E)}`. S. Fujishige ("Lexicographically
//! optimal base of a polymatroid with respect to a weight vector", *Math. Oper. Res.* 5, 1980;
//! *Submodular Functions and Optimization*, 2nd ed., Elsevier 2005, §7.1) shows that the point
//! `y*` of least Euclidean norm in `B(g)` solves the minimisation:
//! `min_T g(T) = y*^-(E) = sum_i min(y*_i, 0)`, attained by `{i : y*_i < 0}` (the least
//! minimiser) and `{i : y*_i <= 0}` (the largest).
//!
//! `y*` is found by P. Wolfe's algorithm ("Finding the nearest point in a polytope", *Math.
//! Programming* 11, 1976) over the vertices of `B(g)`: a linear function `<y, .>` is
//! minimised over `B(g)` by the greedy vertex of J. Edmonds (1970) for the order of increasing
//! `y_i`, `q_{π(k)} = g({π(1..=k)}) - g({π(1..k)})`. Each *major cycle* adds that vertex to
//! the current set of vertices (the *corral*) unless Wolfe's criterion
//! `||y||^2 - <y, q> <= ε max_j ||q_j||^2` says `y` is already the nearest point; *minor
//! cycles* move `y` to the nearest point of the corral's affine hull, dropping vertices whose
//! weight would turn negative. D. Chakrabarty, P. Jain and P. Kothari ("Provable submodular
//! minimization using Wolfe's algorithm", *NeurIPS* 2014) prove it converges
//! pseudo-polynomially and that an approximate `y` gives an approximate minimiser among the
//! prefixes of its greedy order.
//!
//! Every greedy vertex evaluates `g` on the `m + 1` prefixes of its order, so the best of
//! those sets is kept along the way; the answer is the best set seen (it contains the prefixes
//! `{y_i < 0}` and `{y_i <= 0}` of the last order). It is certified by weak duality: every
//! `y` in `B(g)` has `y^-(E) <= y(T) <= g(T)` for all `T`. A set with `g(T)` clearly below the
//! bound `y^-(E)` proves that `g` is not submodular, and one of the corral's vertices then
//! names an element whose marginal value grows with the set
//! ([`Outcome::NotSubmodular`]); a gap in the other direction means the iteration stopped
//! short, a solver error. The same bound ends the iteration early: once the best set seen is
//! within rounding of `y^-(E)` it is a minimiser, whether or not `y` has reached `y*` (this
//! halves the evaluations of `g` on the games of the benchmark).
//!
//! The corral's affine minimisation keeps Wolfe's triangular factor `R` up to date (a column
//! added by one forward substitution, a column dropped by Givens rotations), so a minor cycle
//! costs `O(k^2)` for `k` vertices rather than a fresh factorisation.

use std::collections::HashMap;
use std::hash::{BuildHasherDefault, Hasher};

use nalgebra::DMatrix;

use crate::error::{Error, Result, SolverFailure};

/// Wolfe's stopping rule, relative to the largest squared norm of a vertex.
const EPS_STOP: f64 = 1e-12;
/// Weights of the corral below this count as zero in the minor cycles.
const EPS_WEIGHT: f64 = 1e-12;
/// Tolerance of the duality check, relative to the function's scale (the largest 1-norm of a
/// greedy vertex).
pub(crate) const EPS_CERTIFY: f64 = 1e-9;
/// The best set seen is accepted early when it is within this (relative to the scale) and
/// the rounding of the duality bound.
const EPS_EARLY: f64 = 1e-12;
/// Largest number of minor cycles (each at most one affine minimisation).
const MAX_CYCLES: usize = 200_000;

/// What the minimisation found.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Outcome {
    /// A minimiser (a mask over `E`) and its value, certified within the tolerance.
    Minimum {
        /// The minimising set.
        set: u64,
        /// `g(set)`.
        value: f64,
    },
    /// `g` is not submodular: `element` adds more to `smaller` than to `larger`
    /// (`smaller ⊆ larger`, `element` in neither), within the tolerance.
    NotSubmodular {
        /// The element, which adds more to `larger` than to `smaller`.
        element: usize,
        /// The smaller set.
        smaller: u64,
        /// The larger set.
        larger: u64,
    },
}

/// A hasher for coalition masks: the SplitMix64 finaliser of the mask (D. Blackman and
/// S. Vigna), far cheaper than the default SipHash on the millions of masks a large game's
/// separation evaluates.
#[derive(Default, Clone, Copy)]
pub(crate) struct MaskHasher(u64);

impl Hasher for MaskHasher {
    fn write(&mut self, bytes: &[u8]) {
        for &b in bytes {
            self.write_u64(self.0 ^ u64::from(b));
        }
    }
    fn write_u64(&mut self, x: u64) {
        let mut z = x.wrapping_add(0x9E37_79B9_7F4A_7C15);
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        self.0 = z ^ (z >> 31);
    }
    fn finish(&self) -> u64 {
        self.0
    }
}

/// A map keyed by coalition masks.
pub(crate) type MaskMap<V> = HashMap<u64, V, BuildHasherDefault<MaskHasher>>;

/// A greedy vertex of the base polytope and the order it came from.
struct Vertex {
    order: Vec<usize>,
    y: Vec<f64>,
}

/// `g` with the best set seen, the scale of the vertices and the size of the terms of `g`.
struct Oracle<F> {
    g: F,
    values: MaskMap<f64>,
    best: (f64, u64),
    scale1: f64,
    scale2: f64,
    magnitude: f64,
}

impl<F: FnMut(u64) -> Result<(f64, f64)>> Oracle<F> {
    fn eval(&mut self, set: u64) -> Result<f64> {
        if let Some(&v) = self.values.get(&set) {
            return Ok(v);
        }
        let (v, size) = (self.g)(set)?;
        self.magnitude = self.magnitude.max(size);
        self.values.insert(set, v);
        if v < self.best.0 {
            self.best = (v, set);
        }
        Ok(v)
    }

    /// The rounding of the terms of `g` in a vertex coordinate (a difference of two values).
    fn rounding(&self, m: usize) -> f64 {
        8.0 * (m as f64 + 1.0) * f64::EPSILON * self.magnitude + f64::MIN_POSITIVE
    }

    /// Edmonds' greedy vertex for `order`.
    fn greedy(&mut self, order: Vec<usize>) -> Result<Vertex> {
        let mut y = vec![0.0; order.len()];
        let mut set = 0u64;
        let mut prev = self.eval(0)?;
        for &i in &order {
            set |= 1 << i;
            let val = self.eval(set)?;
            y[i] = val - prev;
            prev = val;
        }
        self.scale1 = self.scale1.max(y.iter().map(|v| v.abs()).sum());
        self.scale2 = self.scale2.max(dot(&y, &y));
        Ok(Vertex { order, y })
    }
}

fn dot(a: &[f64], b: &[f64]) -> f64 {
    a.iter().zip(b).map(|(x, y)| x * y).sum()
}

/// The order of increasing `y_i` (ties by index).
fn increasing(y: &[f64]) -> Vec<usize> {
    let mut order: Vec<usize> = (0..y.len()).collect();
    order.sort_by(|&a, &b| y[a].total_cmp(&y[b]).then(a.cmp(&b)));
    order
}

/// The corral: affinely independent greedy vertices `q_1..q_k`, with the upper triangular `R`
/// of Wolfe (1976), `R^T R = e e^T + Q^T Q` (`Q` the matrix of the vertices as columns), so
/// that the nearest point of their affine hull is `Q α` with `α = ᾱ / (e^T ᾱ)`,
/// `R^T R ᾱ = e`: two triangular solves per minor cycle, `O(k)` work per entry of `R` to add
/// a vertex and Givens rotations to drop one. Should rounding spoil `R` (the answer fails the
/// optimality condition `<z, q_j> = ||z||^2` of the nearest point `z`), it is computed afresh
/// by Householder QR of `[e^T; Q]`.
struct Corral {
    vertices: Vec<Vertex>,
    /// `R`, row-major with `cap` columns; the leading `k x k` block is used.
    r: Vec<f64>,
    cap: usize,
}

impl Corral {
    fn new(m: usize, first: Vertex) -> Self {
        let cap = m + 2;
        let mut c = Corral {
            vertices: Vec::with_capacity(cap),
            r: vec![0.0; cap * cap],
            cap,
        };
        c.push(first);
        c
    }

    fn len(&self) -> usize {
        self.vertices.len()
    }

    fn at(&self, i: usize, j: usize) -> f64 {
        self.r[i * self.cap + j]
    }

    fn set(&mut self, i: usize, j: usize, v: f64) {
        self.r[i * self.cap + j] = v;
    }

    /// Adds a vertex; `false` (and nothing added) when it lies in the affine hull of the
    /// corral, up to rounding.
    fn push(&mut self, v: Vertex) -> bool {
        let k = self.len();
        if k + 1 >= self.cap {
            return false;
        }
        let norm2 = 1.0 + dot(&v.y, &v.y);
        // R^T r = B^T b with b = (1, q): forward substitution.
        let mut col = Vec::with_capacity(k + 1);
        for i in 0..k {
            let mut t = 1.0 + dot(&self.vertices[i].y, &v.y);
            for (l, &rl) in col.iter().enumerate() {
                t -= self.at(l, i) * rl;
            }
            col.push(t / self.at(i, i));
        }
        let rho2 = norm2 - dot(&col, &col);
        if rho2 <= 1e-12 * norm2 {
            return false;
        }
        col.push(rho2.sqrt());
        for (i, &x) in col.iter().enumerate() {
            self.set(i, k, x);
        }
        self.vertices.push(v);
        true
    }

    /// Drops vertex `j`: its column leaves `R`, and Givens rotations make the rest triangular.
    fn remove(&mut self, j: usize) {
        let k = self.len();
        for i in 0..k {
            for l in j..k - 1 {
                let next = self.at(i, l + 1);
                self.set(i, l, next);
            }
            self.set(i, k - 1, 0.0);
        }
        for i in j..k - 1 {
            let (a, b) = (self.at(i, i), self.at(i + 1, i));
            let h = a.hypot(b);
            if h == 0.0 {
                continue;
            }
            let (c, s) = (a / h, b / h);
            for l in i..k - 1 {
                let (x, y) = (self.at(i, l), self.at(i + 1, l));
                self.set(i, l, c * x + s * y);
                self.set(i + 1, l, c * y - s * x);
            }
        }
        for l in 0..k {
            self.set(k - 1, l, 0.0);
        }
        self.vertices.remove(j);
    }

    /// `R` afresh from `[e^T; Q]` by Householder QR.
    fn refactor(&mut self) {
        let k = self.len();
        let m = self.vertices[0].y.len();
        let b = DMatrix::from_fn(m + 1, k, |i, j| {
            if i == 0 {
                1.0
            } else {
                self.vertices[j].y[i - 1]
            }
        });
        let r = b.qr().r();
        self.r.iter_mut().for_each(|x| *x = 0.0);
        for i in 0..k {
            for j in i..k {
                self.set(i, j, r[(i, j)]);
            }
        }
    }

    /// The affine weights of the point of the corral's affine hull nearest the origin.
    fn affine_minimizer(&self) -> Vec<f64> {
        let k = self.len();
        // R^T u = e, then R ᾱ = u.
        let mut u = vec![0.0; k];
        for i in 0..k {
            let mut t = 1.0;
            for (l, &ul) in u.iter().enumerate().take(i) {
                t -= self.at(l, i) * ul;
            }
            u[i] = t / self.at(i, i);
        }
        let mut a = vec![0.0; k];
        for i in (0..k).rev() {
            let mut t = u[i];
            for (l, &al) in a.iter().enumerate().skip(i + 1) {
                t -= self.at(i, l) * al;
            }
            a[i] = t / self.at(i, i);
        }
        let total: f64 = a.iter().sum();
        a.iter_mut().for_each(|x| *x /= total);
        a
    }

    /// Largest `|<z, q_j> - ||z||^2|` for `z = Q α`: zero at the nearest point.
    fn residual(&self, alpha: &[f64], m: usize) -> f64 {
        let z = combine(&self.vertices, alpha, m);
        let zz = dot(&z, &z);
        self.vertices
            .iter()
            .map(|v| (dot(&z, &v.y) - zz).abs())
            .fold(0.0, f64::max)
    }
}

fn combine(corral: &[Vertex], lambda: &[f64], m: usize) -> Vec<f64> {
    let mut y = vec![0.0; m];
    for (v, &l) in corral.iter().zip(lambda) {
        for (yi, qi) in y.iter_mut().zip(&v.y) {
            *yi += l * qi;
        }
    }
    y
}

fn numerical(detail: String) -> Error {
    Error::Solver {
        concept: "submodular minimisation (convex game separation)",
        failure: SolverFailure::numerical(detail),
    }
}

/// Minimises `g` over the subsets of `{0, ..., m-1}` (`m <= 64`, sets as bit masks);
/// `g(∅)` should be 0. `g` returns its value and the size of the terms it was computed from
/// (their rounding widens the duality check's tolerance). Errors of `g` are passed on.
pub(crate) fn minimize<F: FnMut(u64) -> Result<(f64, f64)>>(m: usize, g: F) -> Result<Outcome> {
    let mut o = Oracle {
        g,
        values: MaskMap::default(),
        best: (f64::INFINITY, 0),
        scale1: 0.0,
        scale2: 0.0,
        magnitude: 0.0,
    };
    let empty = o.eval(0)?;
    if m == 0 {
        return Ok(Outcome::Minimum {
            set: 0,
            value: empty,
        });
    }
    let first = o.greedy((0..m).collect())?;
    let mut y = first.y.clone();
    let mut corral = Corral::new(m, first);
    let mut lambda = vec![1.0];
    let mut cycles = 0usize;
    loop {
        let q = o.greedy(increasing(&y))?;
        let yy = dot(&y, &y);
        if yy - dot(&y, &q.y) <= EPS_STOP * o.scale2 || !corral.push(q) {
            break;
        }
        lambda.push(0.0);
        loop {
            cycles += 1;
            if cycles > MAX_CYCLES {
                return Err(Error::Solver {
                    concept: "submodular minimisation (convex game separation)",
                    failure: SolverFailure::IterationLimit,
                });
            }
            let mut alpha = corral.affine_minimizer();
            let check = 1e-9 * o.scale2 + f64::MIN_POSITIVE;
            let residual = corral.residual(&alpha, m);
            if residual.is_nan() || residual > check {
                corral.refactor();
                alpha = corral.affine_minimizer();
            }
            if alpha.iter().all(|&a| a > EPS_WEIGHT) {
                lambda = alpha;
                break;
            }
            // Move from lambda towards alpha until a weight reaches 0: the first vertex whose
            // weight would cross 0 leaves (at least one does, whatever the rounding).
            let mut theta = f64::INFINITY;
            let mut leaving = 0;
            for (j, (&l, &a)) in lambda.iter().zip(&alpha).enumerate() {
                if a <= EPS_WEIGHT {
                    let t = if l - a > 0.0 { l / (l - a) } else { 0.0 };
                    if t < theta {
                        theta = t;
                        leaving = j;
                    }
                }
            }
            let theta = theta.min(1.0);
            for (l, a) in lambda.iter_mut().zip(&alpha) {
                *l = theta * a + (1.0 - theta) * *l;
            }
            lambda[leaving] = 0.0;
            for j in (0..corral.len()).rev() {
                if lambda[j] <= EPS_WEIGHT && corral.len() > 1 {
                    corral.remove(j);
                    lambda.remove(j);
                }
            }
            let total: f64 = lambda.iter().sum();
            lambda.iter_mut().for_each(|l| *l /= total);
        }
        let next = combine(&corral.vertices, &lambda, m);
        if dot(&next, &next) >= yy {
            // No progress: y is as near as rounding allows.
            y = next;
            o.greedy(increasing(&y))?;
            break;
        }
        y = next;
        // Weak duality closes before Wolfe's rule fires: the best set seen is already within
        // rounding of the bound y^-(E) <= min g (valid while g is submodular).
        let bound: f64 = y.iter().map(|v| v.min(0.0)).sum();
        if o.best.0 <= bound + EPS_EARLY * o.scale1 + o.rounding(m) {
            break;
        }
    }
    let bound: f64 = y.iter().map(|v| v.min(0.0)).sum();
    let (value, set) = o.best;
    // Relative to the function's scale, plus the rounding of the terms of g (each vertex
    // coordinate is a difference of two values of g).
    let tol = EPS_CERTIFY * o.scale1 + o.rounding(m);
    if value < bound - tol {
        return certificate(&mut o, &corral.vertices, set);
    }
    if value > bound + tol {
        return Err(numerical(format!(
            "the minimum-norm-point iteration stopped with a duality gap of {:e} (scale {:e})",
            value - bound,
            o.scale1
        )));
    }
    Ok(Outcome::Minimum { set, value })
}

/// `g(set)` lies below `y(set)` for a vertex `y` of the corral, so some member of `set` adds
/// more to its predecessors in `y`'s order than to those of them in `set`.
fn certificate<F: FnMut(u64) -> Result<(f64, f64)>>(
    o: &mut Oracle<F>,
    corral: &[Vertex],
    set: u64,
) -> Result<Outcome> {
    let g_set = o.eval(set)?;
    let mut found: Option<(f64, Outcome)> = None;
    for v in corral {
        let mut prefix = 0u64;
        for &i in &v.order {
            if set >> i & 1 == 1 {
                let smaller = prefix & set;
                let gain = o.eval(smaller | 1 << i)? - o.eval(smaller)?;
                let excess = v.y[i] - gain;
                if found.as_ref().is_none_or(|(e, _)| excess > *e) {
                    found = Some((
                        excess,
                        Outcome::NotSubmodular {
                            element: i,
                            smaller,
                            larger: prefix,
                        },
                    ));
                }
            }
            prefix |= 1 << i;
        }
    }
    match found {
        Some((excess, outcome)) if excess > 0.0 => Ok(outcome),
        _ => Err(numerical(format!(
            "the set {set:#x} (value {g_set:e}) lies below the duality bound, but no vertex \
             shows why"
        ))),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Brute-force minimum over all subsets.
    fn brute(m: usize, g: &dyn Fn(u64) -> f64) -> f64 {
        (0..1u64 << m).map(g).fold(f64::INFINITY, f64::min)
    }

    #[test]
    fn minimises_a_cut_plus_modular_function() {
        // g(T) = cut of T in a weighted path graph + a(T): submodular.
        let m = 10;
        let w: Vec<f64> = (0..m - 1).map(|i| 1.0 + (i % 3) as f64).collect();
        let a: Vec<f64> = (0..m)
            .map(|i| if i % 2 == 0 { -1.7 } else { 1.2 })
            .collect();
        let g = |t: u64| -> f64 {
            let cut: f64 = (0..m - 1)
                .filter(|&i| (t >> i & 1) != (t >> (i + 1) & 1))
                .map(|i| w[i])
                .sum();
            cut + (0..m)
                .filter(|&i| t >> i & 1 == 1)
                .map(|i| a[i])
                .sum::<f64>()
        };
        let Outcome::Minimum { set, value } = minimize(m, |t| Ok((g(t), g(t).abs()))).unwrap()
        else {
            panic!("not a minimum");
        };
        assert!((value - brute(m, &g)).abs() < 1e-12);
        assert_eq!(value, g(set));
    }

    #[test]
    fn violations_it_reports_are_real() {
        // Random tables on 3..=7 elements are almost never submodular. Whatever the algorithm
        // answers must be true: a reported violation is one, a reported set has its value.
        let mut state = 12345u64;
        let mut unit = || {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            (state >> 11) as f64 / (1u64 << 53) as f64
        };
        let mut violations = 0;
        for _ in 0..300 {
            let m = 3 + (unit() * 5.0) as usize;
            let vals: Vec<f64> = (0..1u64 << m)
                .map(|t| if t == 0 { 0.0 } else { unit() * 4.0 - 2.0 })
                .collect();
            let g = |t: u64| vals[t as usize];
            match minimize(m, |t| Ok((g(t), g(t).abs()))) {
                Ok(Outcome::NotSubmodular {
                    element,
                    smaller,
                    larger,
                }) => {
                    violations += 1;
                    assert_eq!(smaller & !larger, 0);
                    assert_eq!((smaller | larger) >> element & 1, 0);
                    let gain = |s: u64| g(s | 1 << element) - g(s);
                    assert!(gain(larger) > gain(smaller));
                }
                Ok(Outcome::Minimum { set, value }) => assert_eq!(value, g(set)),
                Err(Error::Solver { .. }) => {}
                Err(e) => panic!("unexpected error {e}"),
            }
        }
        assert!(violations > 50, "only {violations} violations named");
    }
}
