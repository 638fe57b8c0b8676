//! The orthonormal basis of the span of fixed coalitions' indicator vectors, shared by the
//! stages, the polish and the Kohlberg walk.

use nalgebra::DVector;

/// Orthonormal basis of the span of fixed indicator vectors (and `1_N`).
#[derive(Clone)]
pub(super) struct Span {
    n: usize,
    pub(super) basis: Vec<DVector<f64>>,
}

impl Span {
    pub(super) fn new(n: usize) -> Self {
        Span {
            n,
            basis: Vec::new(),
        }
    }

    fn residual(&self, mask: u64) -> DVector<f64> {
        let mut r = DVector::from_fn(self.n, |i, _| f64::from(u8::from(mask >> i & 1 == 1)));
        for _ in 0..2 {
            for q in &self.basis {
                let d = q.dot(&r);
                r.axpy(-d, q, 1.0);
            }
        }
        r
    }

    /// Adds the direction `e_i - e_j`; returns false if it was already in the span.
    pub(super) fn add_difference(&mut self, i: usize, j: usize) -> bool {
        let mut r = DVector::from_fn(self.n, |k, _| {
            if k == i {
                1.0
            } else if k == j {
                -1.0
            } else {
                0.0
            }
        });
        for _ in 0..2 {
            for q in &self.basis {
                let d = q.dot(&r);
                r.axpy(-d, q, 1.0);
            }
        }
        let norm = r.norm();
        if norm < 1e-9 {
            return false;
        }
        self.basis.push(r / norm);
        true
    }

    pub(super) fn contains(&self, mask: u64) -> bool {
        self.residual(mask).norm() < 1e-9
    }

    /// Adds the coalition; returns false if it was already in the span.
    pub(super) fn add(&mut self, mask: u64) -> bool {
        let r = self.residual(mask);
        let norm = r.norm();
        if norm < 1e-9 {
            return false;
        }
        self.basis.push(r / norm);
        true
    }

    pub(super) fn rank(&self) -> usize {
        self.basis.len()
    }
}

/// A fast test of membership in the span of fixed coalitions, for scans over millions of
/// coalitions: two unit vectors `r` drawn at random (a fixed seed) in the orthogonal
/// complement of the span. A coalition in the span has `r(S) = 0` for both; one outside it has
/// `r(S) = <r, P 1_S> != 0` for both with probability one (`P` the projection on the
/// complement), and below the cut-off of 1e-9 only with a probability of order 1e-9 each.
/// The callers confirm a coalition reported outside the span with [`Span::add`] or
/// [`Span::contains`]; a coalition wrongly reported inside would be missed by a stage and is
/// caught by the Kohlberg check.
pub(crate) struct OffSpan {
    /// `None` when the span is all of `R^n`; else, per random vector `r`, the sums of `r`
    /// over the bits of each byte of a mask (`tables[b][byte]` for byte `b`).
    r: Option<[Vec<[f64; 256]>; 2]>,
}

/// Below this `|r(S)|` (unit vectors `r`) a coalition is taken to lie in the span.
const OFF_SPAN_CUT: f64 = 1e-9;

impl OffSpan {
    pub(super) fn of(span: &Span) -> OffSpan {
        let n = span.n;
        let mut state = 0x9e37_79b9_7f4a_7c15u64 ^ (span.rank() as u64);
        let mut draw = || {
            let mut g = DVector::from_fn(n, |_, _| {
                state = state
                    .wrapping_mul(6364136223846793005)
                    .wrapping_add(1442695040888963407);
                (state >> 11) as f64 / (1u64 << 53) as f64 - 0.5
            });
            for _ in 0..2 {
                for q in &span.basis {
                    let d = q.dot(&g);
                    g.axpy(-d, q, 1.0);
                }
            }
            let norm = g.norm();
            (norm > 1e-6).then(|| g.iter().map(|v| v / norm).collect::<Vec<f64>>())
        };
        let r = if span.rank() >= n {
            None
        } else {
            match (draw(), draw()) {
                (Some(a), Some(b)) => Some([byte_tables(&a), byte_tables(&b)]),
                _ => None,
            }
        };
        OffSpan { r }
    }

    /// Is the coalition (up to the test's chance of error) in the span?
    pub(crate) fn in_span(&self, mask: u64) -> bool {
        let Some(r) = &self.r else {
            return true;
        };
        r.iter().all(|tables| {
            let s: f64 = tables
                .iter()
                .enumerate()
                .map(|(b, t)| t[(mask >> (8 * b)) as usize & 0xff])
                .sum();
            s.abs() <= OFF_SPAN_CUT
        })
    }
}

/// `tables[b][byte] = sum of r_i over the set bits of byte` (players `8 b ..`).
fn byte_tables(r: &[f64]) -> Vec<[f64; 256]> {
    r.chunks(8)
        .map(|chunk| {
            let mut t = [0.0f64; 256];
            for (byte, slot) in t.iter_mut().enumerate() {
                *slot = chunk
                    .iter()
                    .enumerate()
                    .filter(|(i, _)| byte >> i & 1 == 1)
                    .map(|(_, v)| v)
                    .sum();
            }
            t
        })
        .collect()
}
