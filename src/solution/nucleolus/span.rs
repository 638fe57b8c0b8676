//! The orthonormal basis of the span of fixed coalitions' indicator vectors, shared by the
//! stages, the polish and the Kohlberg walk.

use nalgebra::DVector;

/// Orthonormal basis of the span of fixed indicator vectors (and `1_N`).
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
