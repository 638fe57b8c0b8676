//! `PowerIndicesCore`: the power indices of a simple game (`Game.power_indices`,
//! `WeightedVotingGame.power_indices`), as Rust computed them; conversion only.

use numpy::{IntoPyArray, PyArray1};
use pyo3::prelude::*;

use crate::python::game_py::{detach_interruptible, PyGameCore};
use crate::solution::power::PowerIndices;
use crate::solution::Allocation;

/// The power indices of a simple game; `coalitional.PowerIndices` wraps it.
#[pyclass(name = "PowerIndicesCore", module = "coalitional._coalitional", frozen)]
pub(crate) struct PyPowerIndices {
    inner: PowerIndices,
}

impl From<PowerIndices> for PyPowerIndices {
    fn from(inner: PowerIndices) -> Self {
        PyPowerIndices { inner }
    }
}

fn array<'py>(py: Python<'py>, a: &Allocation) -> Bound<'py, PyArray1<f64>> {
    a.values().to_vec().into_pyarray(py)
}

#[pymethods]
impl PyPowerIndices {
    #[getter]
    fn players(&self) -> Vec<String> {
        self.inner.players().to_vec()
    }
    #[getter]
    fn johnston<'py>(&self, py: Python<'py>) -> Bound<'py, PyArray1<f64>> {
        array(py, self.inner.johnston())
    }
    #[getter]
    fn deegan_packel<'py>(&self, py: Python<'py>) -> Bound<'py, PyArray1<f64>> {
        array(py, self.inner.deegan_packel())
    }
    #[getter]
    fn holler<'py>(&self, py: Python<'py>) -> Bound<'py, PyArray1<f64>> {
        array(py, self.inner.holler())
    }
    #[getter]
    fn coleman_prevent<'py>(&self, py: Python<'py>) -> Bound<'py, PyArray1<f64>> {
        array(py, self.inner.coleman_prevent())
    }
    #[getter]
    fn coleman_initiate<'py>(&self, py: Python<'py>) -> Bound<'py, PyArray1<f64>> {
        array(py, self.inner.coleman_initiate())
    }
    #[getter]
    fn shapley_shubik<'py>(&self, py: Python<'py>) -> Bound<'py, PyArray1<f64>> {
        array(py, self.inner.shapley_shubik())
    }
    #[getter]
    fn banzhaf<'py>(&self, py: Python<'py>) -> Bound<'py, PyArray1<f64>> {
        array(py, self.inner.banzhaf())
    }
    #[getter]
    fn coleman_collectivity(&self) -> f64 {
        self.inner.coleman_collectivity()
    }
    #[getter]
    fn swings(&self) -> Vec<u128> {
        self.inner.swings().to_vec()
    }
    #[getter]
    fn winning_count(&self) -> u128 {
        self.inner.winning_count()
    }
    #[getter]
    fn losing_count(&self) -> u128 {
        self.inner.losing_count()
    }
    #[getter]
    fn vulnerable_count(&self) -> u128 {
        self.inner.vulnerable_count()
    }
    #[getter]
    fn minimal_winning_count(&self) -> u128 {
        self.inner.minimal_winning_count()
    }
    /// Member indices of each minimal winning coalition, or None when they were not listed.
    #[getter]
    fn minimal_winning(&self) -> Option<Vec<Vec<usize>>> {
        self.inner.minimal_winning().map(<[Vec<usize>]>::to_vec)
    }
    #[getter]
    fn johnston_counts(&self) -> Vec<Vec<u128>> {
        self.inner.johnston_counts().to_vec()
    }
    #[getter]
    fn minimal_winning_counts(&self) -> Vec<Vec<u128>> {
        self.inner.minimal_winning_counts().to_vec()
    }
    fn __str__(&self) -> String {
        self.inner.to_string()
    }
}

/// `Game.power_indices()`: the power indices of a dense simple game (without the GIL).
#[pyfunction]
#[pyo3(name = "power_indices")]
fn power_indices_py(py: Python<'_>, game: PyRef<'_, PyGameCore>) -> PyResult<PyPowerIndices> {
    let g = game.game();
    Ok(detach_interruptible(py, || g.power_indices())?.into())
}

pub(crate) fn register(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add_class::<PyPowerIndices>()?;
    m.add_function(wrap_pyfunction!(power_indices_py, m)?)?;
    Ok(())
}
