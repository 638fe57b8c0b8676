//! Bindings of the separation-oracle solutions of the structured classes: `ConvexGameCore`
//! (a convex game given by a Python function) and the nucleolus, prenucleolus and least core
//! of weighted voting games. Conversion and error mapping only.

use std::sync::{Arc, Mutex};

use numpy::{IntoPyArray, PyArray1, PyReadonlyArray1};
use pyo3::prelude::*;
use pyo3::types::{PyFrozenSet, PyString};

use crate::classes::convex::ConvexGame;
use crate::coalition::Coalition;
use crate::error::Error;
use crate::python::classes_py::PyWeightedVoting;
use crate::python::game_py::{detach_interruptible, PyGameCore};
use crate::python::results_py::PyLeastCore;
use crate::solution::Allocation;

/// Adds `ConvexGameCore` and the weighted-voting functions to the module.
pub(crate) fn register(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add_class::<PyConvexGame>()?;
    m.add_function(wrap_pyfunction!(voting_nucleolus_py, m)?)?;
    m.add_function(wrap_pyfunction!(voting_least_core_py, m)?)?;
    Ok(())
}

fn out(py: Python<'_>, x: Allocation) -> Bound<'_, PyArray1<f64>> {
    x.into_values().into_pyarray(py)
}

/// The exception a Python worth function raised, kept so that it reaches the caller as it was.
type Raised = Arc<Mutex<Option<PyErr>>>;

/// A convex game whose worths come from a Python function `f(frozenset of names) -> float`
/// (checked to a finite float by the Python layer), memoised in Rust.
#[pyclass(name = "ConvexGameCore", module = "coalitional._coalitional", frozen)]
pub(crate) struct PyConvexGame {
    inner: ConvexGame,
    raised: Raised,
}

impl PyConvexGame {
    /// Runs `job` without the GIL (the worth function takes it back for each call); an
    /// exception of the worth function is raised unchanged.
    fn run<T: Send>(
        &self,
        py: Python<'_>,
        job: impl FnOnce(&ConvexGame) -> Result<T, Error> + Send,
    ) -> PyResult<T> {
        let lock = || self.raised.lock().unwrap_or_else(|e| e.into_inner());
        lock().take();
        let inner = &self.inner;
        let result = detach_interruptible(py, || job(inner));
        match lock().take() {
            Some(err) if result.is_err() => Err(err),
            _ => result,
        }
    }
}

#[pymethods]
impl PyConvexGame {
    #[new]
    fn new(players: Vec<String>, f: Bound<'_, PyAny>) -> PyResult<Self> {
        let py = f.py();
        let names: Vec<Py<PyString>> = players
            .iter()
            .map(|p| PyString::new(py, p).unbind())
            .collect();
        let f = f.unbind();
        let raised: Raised = Arc::default();
        let stash = raised.clone();
        let labels = players.clone();
        let worth = move |members: &[usize]| -> Result<f64, Error> {
            Python::attach(|py| {
                let called = PyFrozenSet::new(py, members.iter().map(|&i| names[i].bind(py)))
                    .and_then(|set| f.bind(py).call1((set,)))
                    .and_then(|v| v.extract::<f64>());
                called.map_err(|err| {
                    let failure = Error::Model {
                        failed: 1,
                        succeeded: 0,
                        first_coalition: Coalition::from_members(members).names(&labels),
                        first_error: err.to_string(),
                    };
                    *stash.lock().unwrap_or_else(|e| e.into_inner()) = Some(err);
                    failure
                })
            })
        };
        Ok(PyConvexGame {
            inner: ConvexGame::new(players, worth)?,
            raised,
        })
    }

    #[getter]
    fn players(&self) -> Vec<String> {
        self.inner.players().to_vec()
    }

    /// How many coalitions' worths are remembered.
    #[getter]
    fn evaluations(&self) -> usize {
        self.inner.evaluations()
    }

    /// Worths of coalitions given as bit masks (uint64), memoised.
    fn worths<'py>(
        &self,
        py: Python<'py>,
        masks: PyReadonlyArray1<'_, u64>,
    ) -> PyResult<Bound<'py, PyArray1<f64>>> {
        let masks = masks.as_array().to_vec();
        let n = self.inner.n();
        let values = self.run(py, |g| {
            masks
                .iter()
                .map(|&m| {
                    crate::cooperative::check_mask(n, m)?;
                    g.value(Coalition::from_mask(m))
                })
                .collect::<Result<Vec<f64>, Error>>()
        })?;
        Ok(values.into_pyarray(py))
    }

    /// Random supermodularity checks (`ConvexGame::check_convex`).
    fn check_convex(&self, py: Python<'_>, samples: usize, seed: u64) -> PyResult<()> {
        self.run(py, |g| g.check_convex(samples, seed))
    }

    fn nucleolus<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyArray1<f64>>> {
        Ok(out(py, self.run(py, ConvexGame::nucleolus)?))
    }

    fn prenucleolus<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyArray1<f64>>> {
        Ok(out(py, self.run(py, ConvexGame::prenucleolus)?))
    }

    fn least_core(&self, py: Python<'_>) -> PyResult<PyLeastCore> {
        Ok(self.run(py, ConvexGame::least_core)?.into())
    }

    /// The dense game (2**n worths, memory checked first).
    fn to_game(&self, py: Python<'_>) -> PyResult<PyGameCore> {
        let game = self.run(py, ConvexGame::to_game)?;
        Ok(PyGameCore::wrap(game))
    }
}

/// `WeightedVoting::nucleolus` (or `prenucleolus` when `pre`), by the separation engine.
#[pyfunction(name = "voting_nucleolus")]
fn voting_nucleolus_py<'py>(
    py: Python<'py>,
    game: PyRef<'_, PyWeightedVoting>,
    pre: bool,
) -> PyResult<Bound<'py, PyArray1<f64>>> {
    let g = &game.inner;
    let x = detach_interruptible(py, || if pre { g.prenucleolus() } else { g.nucleolus() })?;
    Ok(out(py, x))
}

/// `WeightedVoting::least_core`, by the separation engine.
#[pyfunction(name = "voting_least_core")]
fn voting_least_core_py(
    py: Python<'_>,
    game: PyRef<'_, PyWeightedVoting>,
) -> PyResult<PyLeastCore> {
    let g = &game.inner;
    Ok(detach_interruptible(py, || g.least_core())?.into())
}
