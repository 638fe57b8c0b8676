//! `ScenarioGameCore`: the native scenario game behind `coalitional.ScenarioGame`, and its
//! robust least core.

use numpy::{IntoPyArray, PyArray1};
use pyo3::prelude::*;

use crate::python::game_py::{detach_interruptible, PyGameCore};
use crate::scenario::{RobustLeastCore, ScenarioGame};
use crate::settle::Rule;

/// A validated scenario game. Users see it through `coalitional.ScenarioGame`.
#[pyclass(name = "ScenarioGameCore", module = "coalitional._coalitional", frozen)]
pub(crate) struct PyScenarioGameCore {
    game: ScenarioGame,
}

/// The robust least core, built From the Rust [`RobustLeastCore`].
#[pyclass(
    name = "RobustLeastCoreCore",
    module = "coalitional._coalitional",
    frozen
)]
pub(crate) struct PyRobustLeastCore {
    inner: RobustLeastCore,
}

#[pymethods]
impl PyRobustLeastCore {
    #[getter]
    fn epsilon(&self) -> f64 {
        self.inner.epsilon
    }

    #[getter]
    fn allocation<'py>(&self, py: Python<'py>) -> Bound<'py, PyArray1<f64>> {
        self.inner.allocation.values().to_vec().into_pyarray(py)
    }

    #[getter]
    fn centre<'py>(&self, py: Python<'py>) -> Bound<'py, PyArray1<f64>> {
        self.inner.centre.values().to_vec().into_pyarray(py)
    }

    #[getter]
    fn worst_members(&self) -> Vec<String> {
        self.inner.worst_members.clone()
    }

    #[getter]
    fn worst_scenarios(&self) -> Vec<String> {
        self.inner.worst_scenarios.clone()
    }

    #[getter]
    fn stable_in_every_scenario(&self) -> bool {
        self.inner.stable_in_every_scenario
    }

    #[getter]
    fn tolerance(&self) -> f64 {
        self.inner.tolerance
    }

    fn __str__(&self) -> String {
        self.inner.to_string()
    }
}

#[pymethods]
impl PyScenarioGameCore {
    #[new]
    #[pyo3(signature = (games, probabilities, names=None))]
    fn new(
        games: Vec<PyRef<'_, PyGameCore>>,
        probabilities: Vec<f64>,
        names: Option<Vec<String>>,
    ) -> PyResult<Self> {
        let games = games.iter().map(|g| g.game().clone()).collect();
        let game = match names {
            Some(names) => ScenarioGame::with_names(games, probabilities, names)?,
            None => ScenarioGame::new(games, probabilities)?,
        };
        Ok(PyScenarioGameCore { game })
    }

    fn games(&self) -> Vec<PyGameCore> {
        self.game
            .games()
            .iter()
            .map(|g| PyGameCore::wrap(g.clone()))
            .collect()
    }

    #[getter]
    fn probabilities(&self) -> Vec<f64> {
        self.game.probabilities().to_vec()
    }

    #[getter]
    fn names(&self) -> Vec<String> {
        self.game.names().to_vec()
    }

    fn expected(&self, py: Python<'_>) -> PyResult<PyGameCore> {
        let game = &self.game;
        Ok(PyGameCore::wrap(detach_interruptible(py, || {
            game.expected()
        })?))
    }

    fn pessimistic_game(&self, py: Python<'_>) -> PyResult<PyGameCore> {
        let game = &self.game;
        Ok(PyGameCore::wrap(detach_interruptible(py, || {
            game.pessimistic_game()
        })?))
    }

    /// The rule in every scenario: per scenario, the shares (a float64 array) or the error
    /// (an exception instance, of the class the error maps to).
    fn per_scenario(&self, py: Python<'_>, rule: &str) -> PyResult<Vec<Py<PyAny>>> {
        let rule: Rule = rule.parse()?;
        let game = &self.game;
        let results = detach_interruptible(py, || Ok(game.per_scenario(rule)))?;
        results
            .into_iter()
            .map(|r| match r {
                Ok(x) => Ok(x.into_values().into_pyarray(py).into_any().unbind()),
                Err(crate::error::Error::Interrupted) => {
                    Err(crate::error::Error::Interrupted.into())
                }
                Err(e) => Ok(PyErr::from(e).into_value(py).into_any()),
            })
            .collect()
    }

    fn robust_least_core(&self, py: Python<'_>) -> PyResult<PyRobustLeastCore> {
        let game = &self.game;
        let inner = detach_interruptible(py, || game.robust_least_core())?;
        Ok(PyRobustLeastCore { inner })
    }

    fn __str__(&self) -> String {
        self.game.to_string()
    }
}
