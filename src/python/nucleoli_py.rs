//! Bindings of the weighted nucleoli, the nucleolus for a coalition structure and the kernel
//! (`solution::nucleolus::variants`, `solution::kernel_point`): conversion and error mapping
//! only.

use numpy::{IntoPyArray, PyArray1, PyReadonlyArray1};
use pyo3::prelude::*;

use super::game_py::{detach_interruptible, PyGameCore};
use crate::error::Error;
use crate::solution::Allocation;

fn out<'py>(py: Python<'py>, x: Allocation) -> Bound<'py, PyArray1<f64>> {
    x.into_values().into_pyarray(py)
}

fn vector(x: &PyReadonlyArray1<'_, f64>, n: usize) -> Result<Vec<f64>, Error> {
    let view = x.as_array();
    if view.len() != n {
        return Err(Error::AllocationLength { got: view.len(), n });
    }
    Ok(view.to_vec())
}

/// `Game::structured_nucleolus_by_name`: `blocks` are lists of player names.
#[pyfunction(name = "structured_nucleolus")]
fn structured_nucleolus_py<'py>(
    py: Python<'py>,
    game: PyRef<'_, PyGameCore>,
    blocks: Vec<Vec<String>>,
) -> PyResult<Bound<'py, PyArray1<f64>>> {
    let g = game.game();
    Ok(out(
        py,
        detach_interruptible(py, || g.structured_nucleolus_by_name(&blocks))?,
    ))
}

/// `Game::in_kernel`.
#[pyfunction(name = "in_kernel", signature = (game, x, tol=None))]
fn in_kernel_py(
    py: Python<'_>,
    game: PyRef<'_, PyGameCore>,
    x: PyReadonlyArray1<'_, f64>,
    tol: Option<f64>,
) -> PyResult<bool> {
    let g = game.game();
    let x = vector(&x, g.n())?;
    detach_interruptible(py, || g.in_kernel(&x, tol))
}

/// `Game::in_prekernel`.
#[pyfunction(name = "in_prekernel", signature = (game, x, tol=None))]
fn in_prekernel_py(
    py: Python<'_>,
    game: PyRef<'_, PyGameCore>,
    x: PyReadonlyArray1<'_, f64>,
    tol: Option<f64>,
) -> PyResult<bool> {
    let g = game.game();
    let x = vector(&x, g.n())?;
    detach_interruptible(py, || g.in_prekernel(&x, tol))
}

pub(crate) fn register(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add_function(wrap_pyfunction!(structured_nucleolus_py, m)?)?;
    m.add_function(wrap_pyfunction!(in_kernel_py, m)?)?;
    m.add_function(wrap_pyfunction!(in_prekernel_py, m)?)?;
    Ok(())
}
