//! Rules and transforms of a game that take more than the game (`propensity_to_disrupt`,
//! `utopia_payoffs`, `minimal_rights`, `dual`, `zero_normalized`, `aumann_dreze`): free
//! functions on a `GameCore`, conversion only. The single-valued rules (Gately point,
//! solidarity, ENSC, SCRB) go through `GameCore.rule(name)`, as the settlement rules do.

use numpy::{IntoPyArray, PyArray1};
use pyo3::prelude::*;

use crate::python::game_py::{detach_interruptible, PyGameCore};

fn array(py: Python<'_>, v: Vec<f64>) -> Bound<'_, PyArray1<f64>> {
    v.into_pyarray(py)
}

/// The propensity to disrupt of each player at `x` (`Game::propensity_to_disrupt`).
#[pyfunction(name = "propensity_to_disrupt")]
fn propensity_to_disrupt_py<'py>(
    py: Python<'py>,
    game: PyRef<'_, PyGameCore>,
    x: Vec<f64>,
) -> PyResult<Bound<'py, PyArray1<f64>>> {
    let g = game.game();
    let d = detach_interruptible(py, || g.propensity_to_disrupt(&x))?;
    Ok(array(py, d.into_values()))
}

/// The utopia payoffs `v(N) - v(N \ {i})` (`Game::utopia_payoffs`).
#[pyfunction(name = "utopia_payoffs")]
fn utopia_payoffs_py<'py>(
    py: Python<'py>,
    game: PyRef<'_, PyGameCore>,
) -> Bound<'py, PyArray1<f64>> {
    array(py, game.game().utopia_payoffs().into_values())
}

/// The minimal rights (`Game::minimal_rights`).
#[pyfunction(name = "minimal_rights")]
fn minimal_rights_py<'py>(
    py: Python<'py>,
    game: PyRef<'_, PyGameCore>,
) -> PyResult<Bound<'py, PyArray1<f64>>> {
    let g = game.game();
    Ok(array(
        py,
        detach_interruptible(py, || g.minimal_rights())?.into_values(),
    ))
}

/// The dual game (`Game::dual`).
#[pyfunction(name = "dual")]
fn dual_py(py: Python<'_>, game: PyRef<'_, PyGameCore>) -> PyResult<PyGameCore> {
    let g = game.game();
    Ok(PyGameCore::wrap(detach_interruptible(py, || g.dual())?))
}

/// The zero-normalised game (`Game::zero_normalized`).
#[pyfunction(name = "zero_normalized")]
fn zero_normalized_py(py: Python<'_>, game: PyRef<'_, PyGameCore>) -> PyResult<PyGameCore> {
    let g = game.game();
    Ok(PyGameCore::wrap(detach_interruptible(py, || {
        g.zero_normalized()
    })?))
}

/// The Aumann–Drèze value for blocks of player names (`Game::aumann_dreze`).
#[pyfunction(name = "aumann_dreze")]
fn aumann_dreze_py<'py>(
    py: Python<'py>,
    game: PyRef<'_, PyGameCore>,
    blocks: Vec<Vec<String>>,
) -> PyResult<Bound<'py, PyArray1<f64>>> {
    let g = game.game();
    let x = detach_interruptible(py, || g.aumann_dreze_by_name(&blocks))?;
    Ok(array(py, x.into_values()))
}

/// Registers the functions of this file.
pub(crate) fn register(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add_function(wrap_pyfunction!(propensity_to_disrupt_py, m)?)?;
    m.add_function(wrap_pyfunction!(utopia_payoffs_py, m)?)?;
    m.add_function(wrap_pyfunction!(minimal_rights_py, m)?)?;
    m.add_function(wrap_pyfunction!(dual_py, m)?)?;
    m.add_function(wrap_pyfunction!(zero_normalized_py, m)?)?;
    m.add_function(wrap_pyfunction!(aumann_dreze_py, m)?)?;
    Ok(())
}
