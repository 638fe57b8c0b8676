//! Cooperation on a network: `graph_restricted`, `myerson` and `position_value` of a dense
//! game, as free functions on a `GameCore` (edges as pairs of player names).

use numpy::{IntoPyArray, PyArray1};
use pyo3::prelude::*;

use crate::python::game_py::{detach_interruptible, PyGameCore};

/// Adds the network functions to the module.
pub(crate) fn register(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add_function(wrap_pyfunction!(graph_restricted_py, m)?)?;
    m.add_function(wrap_pyfunction!(myerson_py, m)?)?;
    m.add_function(wrap_pyfunction!(position_value_py, m)?)?;
    Ok(())
}

/// The graph-restricted game (Myerson 1977): see `Game::graph_restricted`.
#[pyfunction(name = "graph_restricted")]
fn graph_restricted_py(
    py: Python<'_>,
    game: PyRef<'_, PyGameCore>,
    edges: Vec<(String, String)>,
) -> PyResult<PyGameCore> {
    let game = game.game();
    let restricted = detach_interruptible(py, || game.graph_restricted(&edges))?;
    Ok(PyGameCore::wrap(restricted))
}

/// The Myerson value (Myerson 1977): see `Game::myerson`.
#[pyfunction(name = "myerson")]
fn myerson_py<'py>(
    py: Python<'py>,
    game: PyRef<'py, PyGameCore>,
    edges: Vec<(String, String)>,
) -> PyResult<Bound<'py, PyArray1<f64>>> {
    let game = game.game();
    let x = detach_interruptible(py, || game.myerson(&edges))?;
    Ok(x.into_values().into_pyarray(py))
}

/// The position value (Borm, Owen and Tijs 1992): see `Game::position_value`.
#[pyfunction(name = "position_value")]
fn position_value_py<'py>(
    py: Python<'py>,
    game: PyRef<'py, PyGameCore>,
    edges: Vec<(String, String)>,
) -> PyResult<Bound<'py, PyArray1<f64>>> {
    let game = game.game();
    let x = detach_interruptible(py, || game.position_value(&edges))?;
    Ok(x.into_values().into_pyarray(py))
}
