//! `ScheduleCore`: the payment schedule of a multi-year agreement (`crate::schedule`), as Rust
//! built it; `coalitional.Schedule` labels it.

use numpy::ndarray::Array2;
use numpy::{IntoPyArray, PyArray1, PyArray2};
use pyo3::prelude::*;

use crate::error::Error;
use crate::game::Game;
use crate::python::game_py::{detach_interruptible, PyGameCore};
use crate::python::results_py::PyBlocking;
use crate::schedule::{self, Schedule, YearCheck};
use crate::settle::Rule;

/// The checks of one year (see `crate::schedule::YearCheck`).
#[pyclass(
    name = "YearCheckCore",
    module = "coalitional._coalitional",
    frozen,
    get_all
)]
pub(crate) struct PyYearCheck {
    year: usize,
    gap: f64,
    tolerance: f64,
    consistent: bool,
    in_core: bool,
    complaint: Option<Py<PyBlocking>>,
    negative: Vec<String>,
}

impl PyYearCheck {
    fn new(py: Python<'_>, c: &YearCheck) -> PyResult<Self> {
        Ok(PyYearCheck {
            year: c.year,
            gap: c.gap,
            tolerance: c.tolerance,
            consistent: c.consistent,
            in_core: c.in_core,
            complaint: c
                .complaint
                .as_ref()
                .map(|b| Py::new(py, PyBlocking::from(b)))
                .transpose()?,
            negative: c.negative.clone(),
        })
    }
}

/// A payment schedule as computed by Rust.
#[pyclass(name = "ScheduleCore", module = "coalitional._coalitional", frozen)]
pub(crate) struct PySchedule {
    inner: Schedule,
}

/// Rows of equal length as a `rows × n` array.
fn table<'py>(
    py: Python<'py>,
    rows: Vec<Vec<f64>>,
    n: usize,
) -> PyResult<Bound<'py, PyArray2<f64>>> {
    let k = rows.len();
    let flat: Vec<f64> = rows.into_iter().flatten().collect();
    let grid = Array2::from_shape_vec((k, n), flat).map_err(|e| {
        Error::numerical(
            "a payment schedule",
            format!("the rows do not form a {k} x {n} table: {e}"),
        )
    })?;
    Ok(grid.into_pyarray(py))
}

#[pymethods]
impl PySchedule {
    /// The rule's canonical name.
    #[getter]
    fn rule(&self) -> &'static str {
        self.inner.rule().name()
    }

    /// The rule's label ("Shapley value", ...).
    #[getter]
    fn label(&self) -> &'static str {
        self.inner.rule().label()
    }

    /// The discount rate.
    #[getter]
    fn discount(&self) -> f64 {
        self.inner.discount()
    }

    /// The payments, `T × n`.
    #[getter]
    fn payments<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyArray2<f64>>> {
        table(
            py,
            self.inner.payments().to_vec(),
            self.inner.players().len(),
        )
    }

    /// The rule on the whole horizon, `phi(R_1)`.
    #[getter]
    fn total<'py>(&self, py: Python<'py>) -> Bound<'py, PyArray1<f64>> {
        self.inner.total().values().to_vec().into_pyarray(py)
    }

    /// `phi(R_t)` per year, `T × n`.
    #[getter]
    fn remaining<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyArray2<f64>>> {
        let rows = self
            .inner
            .remaining()
            .iter()
            .map(|a| a.values().to_vec())
            .collect();
        table(py, rows, self.inner.players().len())
    }

    /// One record of checks per year.
    #[getter]
    fn checks(&self, py: Python<'_>) -> PyResult<Vec<PyYearCheck>> {
        self.inner
            .checks()
            .iter()
            .map(|c| PyYearCheck::new(py, c))
            .collect()
    }

    /// The schedule as the Rust crate prints it (`Display`).
    fn __str__(&self) -> String {
        self.inner.to_string()
    }
}

/// The payment schedule of the per-year games `games` under the rule named `rule` (parsed by
/// Rust) at the discount rate `discount`.
#[pyfunction]
#[pyo3(name = "payment_schedule")]
pub(crate) fn payment_schedule_py(
    py: Python<'_>,
    games: Vec<Bound<'_, PyGameCore>>,
    rule: &str,
    discount: f64,
) -> PyResult<PySchedule> {
    let rule: Rule = rule.parse()?;
    let refs: Vec<&Game> = games.iter().map(|g| g.get().game()).collect();
    let inner = detach_interruptible(py, || schedule::payment_schedule(&refs, rule, discount))?;
    Ok(PySchedule { inner })
}

/// The games of the years of a profile: `w_t / sum w` times `total`.
#[pyfunction]
#[pyo3(name = "profile_games")]
pub(crate) fn profile_games_py(
    py: Python<'_>,
    total: Bound<'_, PyGameCore>,
    profile: Vec<f64>,
) -> PyResult<Vec<PyGameCore>> {
    let game = total.get().game();
    let games = detach_interruptible(py, || schedule::profile_games(game, &profile))?;
    Ok(games.into_iter().map(PyGameCore::wrap).collect())
}

/// Registers the classes and functions of this file.
pub(crate) fn register(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add_class::<PySchedule>()?;
    m.add_class::<PyYearCheck>()?;
    m.add_function(wrap_pyfunction!(payment_schedule_py, m)?)?;
    m.add_function(wrap_pyfunction!(profile_games_py, m)?)?;
    Ok(())
}
