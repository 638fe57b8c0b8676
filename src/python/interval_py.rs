//! `IntervalGameCore`: the native interval game behind `coalitional.IntervalGame`.

use numpy::{IntoPyArray, PyArray1};
use pyo3::prelude::*;

use crate::error::Error;
use crate::game::{default_players, Kind};
use crate::interval::{IntervalAllocation, IntervalGame, SampledRange};
use crate::python::game_py::{detach_interruptible, PyGameCore};

/// A validated interval game. Users see it through `coalitional.IntervalGame`.
#[pyclass(name = "IntervalGameCore", module = "coalitional._coalitional", frozen)]
pub(crate) struct PyIntervalGameCore {
    game: IntervalGame,
}

/// Bounds of a value per player, built From the Rust [`IntervalAllocation`] (read by
/// attribute, not unpacked by position).
#[pyclass(
    name = "IntervalBoundsCore",
    module = "coalitional._coalitional",
    frozen
)]
pub(crate) struct PyIntervalBounds {
    inner: IntervalAllocation,
}

#[pymethods]
impl PyIntervalBounds {
    /// The lower bound per player.
    #[getter]
    fn lower<'py>(&self, py: Python<'py>) -> Bound<'py, PyArray1<f64>> {
        self.inner.lower.clone().into_pyarray(py)
    }

    /// The upper bound per player.
    #[getter]
    fn upper<'py>(&self, py: Python<'py>) -> Bound<'py, PyArray1<f64>> {
        self.inner.upper.clone().into_pyarray(py)
    }
}

/// The sampled (pre)nucleolus range, built From the Rust [`SampledRange`].
#[pyclass(name = "SampledRangeCore", module = "coalitional._coalitional", frozen)]
pub(crate) struct PySampledRange {
    inner: SampledRange,
}

#[pymethods]
impl PySampledRange {
    /// The smallest share seen per player.
    #[getter]
    fn lower<'py>(&self, py: Python<'py>) -> Bound<'py, PyArray1<f64>> {
        self.inner.range.lower.clone().into_pyarray(py)
    }

    /// The largest share seen per player.
    #[getter]
    fn upper<'py>(&self, py: Python<'py>) -> Bound<'py, PyArray1<f64>> {
        self.inner.range.upper.clone().into_pyarray(py)
    }

    #[getter]
    fn samples(&self) -> usize {
        self.inner.samples
    }

    #[getter]
    fn undefined(&self) -> usize {
        self.inner.undefined
    }

    #[getter]
    fn seed(&self) -> u64 {
        self.inner.seed
    }

    #[getter]
    fn concept(&self) -> &'static str {
        self.inner.concept
    }

    #[getter]
    fn expected_coverage(&self) -> f64 {
        self.inner.expected_coverage()
    }

    fn confidence(&self, p: f64) -> PyResult<f64> {
        Ok(self.inner.confidence(p)?)
    }
}

type Bounds = PyIntervalBounds;

fn bounds(_py: Python<'_>, a: IntervalAllocation) -> Bounds {
    PyIntervalBounds { inner: a }
}

#[pymethods]
impl PyIntervalGameCore {
    #[new]
    #[pyo3(signature = (lower, upper, players=None, kind="value"))]
    fn new(
        py: Python<'_>,
        lower: Vec<f64>,
        upper: Vec<f64>,
        players: Option<Vec<String>>,
        kind: &str,
    ) -> PyResult<Self> {
        let kind: Kind = kind.parse()?;
        let len = lower.len();
        if len == 0 || !len.is_power_of_two() {
            return Err(Error::NotPowerOfTwo { len }.into());
        }
        let n = len.trailing_zeros() as usize;
        let players = players.unwrap_or_else(|| default_players(n));
        let game =
            detach_interruptible(py, move || IntervalGame::new(players, lower, upper, kind))?;
        Ok(PyIntervalGameCore { game })
    }

    fn lower_game(&self) -> PyGameCore {
        PyGameCore::wrap(self.game.lower_game().clone())
    }

    fn upper_game(&self) -> PyGameCore {
        PyGameCore::wrap(self.game.upper_game().clone())
    }

    fn shapley<'py>(&self, py: Python<'py>) -> PyResult<Bounds> {
        let game = &self.game;
        Ok(bounds(py, detach_interruptible(py, || Ok(game.shapley()))?))
    }

    fn banzhaf<'py>(&self, py: Python<'py>) -> PyResult<Bounds> {
        let game = &self.game;
        Ok(bounds(py, detach_interruptible(py, || Ok(game.banzhaf()))?))
    }

    fn marginal_vector<'py>(&self, py: Python<'py>, order: Vec<String>) -> PyResult<Bounds> {
        Ok(bounds(py, self.game.marginal_vector_by_name(&order)?))
    }

    fn owen<'py>(&self, py: Python<'py>, unions: Vec<Vec<String>>) -> PyResult<Bounds> {
        let game = &self.game;
        Ok(bounds(
            py,
            detach_interruptible(py, || game.owen_by_name(&unions))?,
        ))
    }

    #[pyo3(signature = (samples, seed, pre=false))]
    fn nucleolus_range(
        &self,
        py: Python<'_>,
        samples: usize,
        seed: u64,
        pre: bool,
    ) -> PyResult<PySampledRange> {
        let game = &self.game;
        let inner = detach_interruptible(py, || game.nucleolus_range(samples, seed, pre))?;
        Ok(PySampledRange { inner })
    }

    fn robust_core_is_empty(&self, py: Python<'_>) -> PyResult<bool> {
        let game = &self.game;
        detach_interruptible(py, || game.robust_core_is_empty())
    }

    fn robust_core_point<'py>(
        &self,
        py: Python<'py>,
    ) -> PyResult<Option<Bound<'py, PyArray1<f64>>>> {
        let game = &self.game;
        let x = detach_interruptible(py, || game.robust_core_point())?;
        Ok(x.map(|a| a.into_values().into_pyarray(py)))
    }
}
