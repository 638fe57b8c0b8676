//! `SensitivityCore`: the table `d x_i / d v(S)` of `Game.sensitivity`, as Rust built it.

use numpy::{PyArray1, PyArray2, PyArrayMethods};
use pyo3::prelude::*;

use crate::solution::sensitivity::Sensitivity;

/// A sensitivity table (see `Game::sensitivity`); `coalitional.Sensitivity` wraps it.
#[pyclass(name = "SensitivityCore", module = "coalitional._coalitional", frozen)]
pub(crate) struct PySensitivity {
    inner: Sensitivity,
}

impl From<Sensitivity> for PySensitivity {
    fn from(inner: Sensitivity) -> Self {
        PySensitivity { inner }
    }
}

#[pymethods]
impl PySensitivity {
    /// The concept's name ("shapley", "banzhaf", "nucleolus", "prenucleolus").
    #[getter]
    fn concept(&self) -> &'static str {
        self.inner.concept().name()
    }

    /// The concept's label ("Shapley value", ...).
    #[getter]
    fn label(&self) -> &'static str {
        self.inner.concept().label()
    }

    /// The `(2^n - 1) × n` table; row `r` is the coalition with bit mask `r + 1`.
    #[getter]
    fn matrix<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyArray2<f64>>> {
        let n = self.inner.players().len();
        PyArray1::from_slice(py, self.inner.as_slice()).reshape([self.inner.rows(), n])
    }

    /// Per row: true when the row is an exact two-sided derivative, false when it is the
    /// one-sided derivative for an increase of the worth.
    #[getter]
    fn two_sided<'py>(&self, py: Python<'py>) -> Bound<'py, PyArray1<bool>> {
        PyArray1::from_slice(py, self.inner.two_sided())
    }

    /// True for the linear values, whose table has no one-sided rows by construction.
    #[getter]
    fn linear(&self) -> bool {
        self.inner.concept().is_linear()
    }

    /// The `k` entries largest in absolute value: `(mask, player index, derivative)`.
    fn largest(&self, k: usize) -> Vec<(u64, usize, f64)> {
        self.inner
            .largest(k)
            .into_iter()
            .map(|e| (e.coalition.mask(), e.player, e.derivative))
            .collect()
    }

    fn __str__(&self) -> String {
        self.inner.to_string()
    }
}
