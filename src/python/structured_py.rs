//! Bindings of the airport and assignment games' nucleolus and least core without `2^n`
//! values (`classes::airport_nucleolus`, `classes::assignment_nucleolus`): conversion and
//! error mapping only.

use numpy::{IntoPyArray, PyArray1};
use pyo3::prelude::*;

use super::classes_py::{PyAirport, PyAssignment};
use super::game_py::detach_interruptible;
use super::results_py::PyLeastCore;

/// `Airport::nucleolus` (Littlechild's algorithm).
#[pyfunction(name = "airport_nucleolus")]
fn airport_nucleolus_py<'py>(
    py: Python<'py>,
    game: PyRef<'_, PyAirport>,
) -> PyResult<Bound<'py, PyArray1<f64>>> {
    let a = &game.inner;
    let x = detach_interruptible(py, || Ok(a.nucleolus()))?;
    Ok(x.into_values().into_pyarray(py))
}

/// `Airport::least_core`.
#[pyfunction(name = "airport_least_core")]
fn airport_least_core_py(py: Python<'_>, game: PyRef<'_, PyAirport>) -> PyResult<PyLeastCore> {
    let a = &game.inner;
    Ok(detach_interruptible(py, || a.least_core())?.into())
}

/// `Assignment::nucleolus` (essential coalitions, minimum-mean-cycle contraction).
#[pyfunction(name = "assignment_nucleolus")]
fn assignment_nucleolus_py<'py>(
    py: Python<'py>,
    game: PyRef<'_, PyAssignment>,
) -> PyResult<Bound<'py, PyArray1<f64>>> {
    let g = &game.inner;
    let x = detach_interruptible(py, || g.nucleolus())?;
    Ok(x.into_values().into_pyarray(py))
}

/// `Assignment::least_core`.
#[pyfunction(name = "assignment_least_core")]
fn assignment_least_core_py(
    py: Python<'_>,
    game: PyRef<'_, PyAssignment>,
) -> PyResult<PyLeastCore> {
    let g = &game.inner;
    Ok(detach_interruptible(py, || g.least_core())?.into())
}

pub(crate) fn register(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add_function(wrap_pyfunction!(airport_nucleolus_py, m)?)?;
    m.add_function(wrap_pyfunction!(airport_least_core_py, m)?)?;
    m.add_function(wrap_pyfunction!(assignment_nucleolus_py, m)?)?;
    m.add_function(wrap_pyfunction!(assignment_least_core_py, m)?)
}
