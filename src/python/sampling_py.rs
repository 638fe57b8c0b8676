//! The sampling driver for Python: conversion and error mapping only. `shapley_sample` and
//! `banzhaf_sample` run the Rust driver ([`sample_batched`]) with the game's values (a dense
//! table, read in place without the GIL) or a Python callable evaluating a batch of masks, and
//! return an [`Estimate`] as the frozen `EstimateCore`. With a progress callback the batches
//! are sized by time ([`sample_paced`], about [`PACE`] each), so that the first report comes
//! within about a second even when each evaluation of the model is slow.

use numpy::ndarray::ArrayView1;
use numpy::{AllowTypeChange, PyArray1, PyArrayLike1, PyReadonlyArray1};
use pyo3::prelude::*;
use pyo3::pybacked::PyBackedStr;

use crate::error::Error;
use crate::python::game_py::detach_interruptible;
use crate::solution::sampling::{
    hoeffding_rounds, sample_batched, sample_paced, shown_numbers, Bound as ErrorBound, Estimate,
    Method, Options, Progress, Sampler,
};

/// The time a batch takes when a progress callback listens (and `batch` is not given).
const PACE: std::time::Duration = std::time::Duration::from_millis(500);

/// The driver: [`sample_paced`] when `paced`, else [`sample_batched`] (the results are the
/// same; only the batch sizes differ).
fn drive<E: From<Error>>(
    sampler: &mut Sampler,
    evaluate: impl FnMut(&[u64]) -> Result<Vec<f64>, E>,
    options: &Options,
    progress: impl FnMut(Progress) -> Result<(), E>,
    paced: bool,
) -> Result<Estimate, E> {
    if paced {
        sample_paced(sampler, evaluate, options, progress, PACE)
    } else {
        sample_batched(sampler, evaluate, options, progress)
    }
}

/// A sampling estimate with the players, the method and the options of its run.
#[pyclass(name = "EstimateCore", module = "coalitional._coalitional", frozen)]
#[derive(serde::Serialize, serde::Deserialize)]
pub(crate) struct PyEstimate {
    players: Vec<String>,
    method: Method,
    options: Options,
    estimate: Estimate,
}

impl PyEstimate {
    fn text(&self) -> Result<String, Error> {
        Ok(self
            .estimate
            .labelled(&self.players)?
            .with_run(self.method, &self.options)
            .to_string())
    }
}

#[pymethods]
impl PyEstimate {
    #[getter]
    fn players(&self) -> Vec<String> {
        self.players.clone()
    }

    #[getter]
    fn values<'py>(&self, py: Python<'py>) -> Bound<'py, PyArray1<f64>> {
        PyArray1::from_slice(py, &self.estimate.values)
    }

    #[getter]
    fn std_errors<'py>(&self, py: Python<'py>) -> Bound<'py, PyArray1<f64>> {
        PyArray1::from_slice(py, &self.estimate.std_errors)
    }

    #[getter]
    fn half_widths<'py>(&self, py: Python<'py>) -> Bound<'py, PyArray1<f64>> {
        PyArray1::from_slice(py, &self.estimate.half_widths)
    }

    #[getter]
    fn samples(&self) -> u64 {
        self.estimate.samples
    }

    #[getter]
    fn evaluations(&self) -> u64 {
        self.estimate.evaluations
    }

    #[getter]
    fn converged(&self) -> bool {
        self.estimate.converged
    }

    #[getter]
    fn method(&self) -> &'static str {
        self.method.name()
    }

    #[getter]
    fn bound(&self) -> &'static str {
        self.options.bound.name()
    }

    #[getter]
    fn value_range(&self) -> Option<f64> {
        self.options.bound.range()
    }

    #[getter]
    fn epsilon(&self) -> f64 {
        self.options.epsilon
    }

    #[getter]
    fn delta(&self) -> f64 {
        self.options.delta
    }

    #[getter]
    fn max_rounds(&self) -> u64 {
        self.options.max_rounds
    }

    #[getter]
    fn seed(&self) -> u64 {
        self.options.seed
    }

    /// The summary line of `str()`: the run, the samples, the evaluations, convergence.
    fn summary(&self) -> PyResult<String> {
        Ok(self
            .estimate
            .labelled(&self.players)?
            .with_run(self.method, &self.options)
            .summary())
    }

    /// The values as `str()` shows them (the crate's rounding rule).
    fn shown_values(&self) -> Vec<String> {
        shown_numbers(&self.estimate).0
    }

    /// The half-widths as `str()` shows them.
    fn shown_half_widths(&self) -> Vec<String> {
        shown_numbers(&self.estimate).1
    }

    fn __str__(&self) -> PyResult<String> {
        Ok(self.text()?)
    }

    /// The estimate with its run as JSON (serde; an infinite half-width is `null`).
    fn to_json(&self) -> PyResult<String> {
        serde_json::to_string(self).map_err(|e| Error::format(e.to_string()).into())
    }

    /// Reads what [`PyEstimate::to_json`] wrote; a FormatError unless it is one estimate with
    /// one name, value, standard error and half-width per player.
    #[staticmethod]
    fn from_json(text: &str) -> PyResult<PyEstimate> {
        let read: PyEstimate =
            serde_json::from_str(text).map_err(|e| Error::format(e.to_string()))?;
        let e = &read.estimate;
        let n = read.players.len();
        if [e.values.len(), e.std_errors.len(), e.half_widths.len()] != [n; 3] {
            return Err(Error::format(format!(
                "an estimate of {n} players needs {n} values, standard errors and half-widths"
            ))
            .into());
        }
        Ok(read)
    }

    /// Pickling, through the JSON form.
    fn __reduce__<'py>(slf: &Bound<'py, Self>) -> PyResult<(Bound<'py, PyAny>, (String,))> {
        Ok((
            slf.get_type().getattr("from_json")?,
            (slf.get().to_json()?,),
        ))
    }
}

/// What the driver evaluates: a dense table of `2^n` values by mask, or a Python callable
/// from a uint64 array of masks to their values.
enum Worth<'py> {
    Table(PyReadonlyArray1<'py, f64>),
    Callable(Py<PyAny>),
}

fn worth_of<'py>(worth: &Bound<'py, PyAny>, n: usize) -> PyResult<Worth<'py>> {
    if let Ok(table) = worth.extract::<PyReadonlyArray1<'py, f64>>() {
        let len = table.as_array().len();
        if n >= 64 || len != 1 << n {
            return Err(Error::InvalidParameter {
                name: "worth",
                reason: format!(
                    "a table of {len} values for {n} players; it must hold 2^{n}, one per \
                     coalition mask"
                ),
            }
            .into());
        }
        return Ok(Worth::Table(table));
    }
    if worth.is_callable() {
        return Ok(Worth::Callable(worth.clone().unbind()));
    }
    Err(pyo3::exceptions::PyTypeError::new_err(
        "worth must be a float64 array of 2**n values or a callable (masks -> values)",
    ))
}

/// A method name, which must be a string.
fn method_name(method: &Bound<'_, PyAny>) -> PyResult<PyBackedStr> {
    method.extract::<PyBackedStr>().map_err(|_| {
        let shown = method
            .repr()
            .map(|r| r.to_string())
            .unwrap_or_else(|_| "the value given".into());
        Error::InvalidParameter {
            name: "method",
            reason: format!("{shown}; it must be a string"),
        }
        .into()
    })
}

fn options(
    epsilon: f64,
    delta: f64,
    value_range: Option<f64>,
    max_rounds: u64,
    batch: Option<u64>,
    seed: u64,
) -> Options {
    Options {
        epsilon,
        delta,
        bound: match value_range {
            Some(range) => ErrorBound::Hoeffding { range },
            None => ErrorBound::EmpiricalBernstein,
        },
        max_rounds,
        // More rounds per batch than a usize holds are capped by the driver anyway.
        batch: batch.map(|b| usize::try_from(b).unwrap_or(usize::MAX)),
        seed,
    }
}

/// Runs the driver without the GIL (interruptible by Ctrl-C), attaching to the interpreter
/// only to call `worth` (when a callable) and `progress`; their exceptions propagate as they
/// are.
fn run(
    py: Python<'_>,
    players: Vec<String>,
    method: Method,
    worth: &Bound<'_, PyAny>,
    options: Options,
    progress: Option<Py<PyAny>>,
) -> PyResult<PyEstimate> {
    let n = players.len();
    let mut sampler = Sampler::new(n, method, options.seed)?;
    let worth = worth_of(worth, n)?;
    let paced = progress.is_some();
    let report = |p: Progress| -> PyResult<()> {
        match &progress {
            Some(f) => Python::attach(|py| f.bind(py).call1((p.rounds, p.target)).map(drop)),
            None => Ok(()),
        }
    };
    let estimate = match &worth {
        Worth::Table(table) => {
            let table: ArrayView1<'_, f64> = table.as_array();
            detach_interruptible(py, || {
                Ok(drive(
                    &mut sampler,
                    |masks| Ok(masks.iter().map(|&m| table[m as usize]).collect()),
                    &options,
                    report,
                    paced,
                ))
            })?
        }
        Worth::Callable(f) => detach_interruptible(py, || {
            Ok(drive(
                &mut sampler,
                |masks| {
                    Python::attach(|py| {
                        let masks = PyArray1::from_slice(py, masks);
                        let values = f.bind(py).call1((masks,))?;
                        let values = values.extract::<PyArrayLike1<'_, f64, AllowTypeChange>>()?;
                        Ok(values.as_array().to_vec())
                    })
                },
                &options,
                report,
                paced,
            ))
        })?,
    }?;
    Ok(PyEstimate {
        estimate,
        players,
        method,
        options,
    })
}

/// A sampling estimate of the Shapley value (see `SamplingMixin.shapley_sample`).
#[pyfunction]
#[pyo3(
    name = "shapley_sample",
    signature = (players, worth, *, method, epsilon, delta, value_range=None, max_rounds,
                 batch=None, seed, progress=None)
)]
#[allow(clippy::too_many_arguments)]
pub(crate) fn shapley_sample_py(
    py: Python<'_>,
    players: Vec<String>,
    worth: &Bound<'_, PyAny>,
    method: &Bound<'_, PyAny>,
    epsilon: f64,
    delta: f64,
    value_range: Option<f64>,
    max_rounds: u64,
    batch: Option<u64>,
    seed: u64,
    progress: Option<Py<PyAny>>,
) -> PyResult<PyEstimate> {
    let method = Method::parse_shapley(&method_name(method)?)?;
    let options = options(epsilon, delta, value_range, max_rounds, batch, seed);
    run(py, players, method, worth, options, progress)
}

/// A sampling estimate of the raw Banzhaf value (see `SamplingMixin.banzhaf_sample`).
#[pyfunction]
#[pyo3(
    name = "banzhaf_sample",
    signature = (players, worth, *, epsilon, delta, value_range=None, max_rounds, batch=None,
                 seed, progress=None)
)]
#[allow(clippy::too_many_arguments)]
pub(crate) fn banzhaf_sample_py(
    py: Python<'_>,
    players: Vec<String>,
    worth: &Bound<'_, PyAny>,
    epsilon: f64,
    delta: f64,
    value_range: Option<f64>,
    max_rounds: u64,
    batch: Option<u64>,
    seed: u64,
    progress: Option<Py<PyAny>>,
) -> PyResult<PyEstimate> {
    let options = options(epsilon, delta, value_range, max_rounds, batch, seed);
    run(py, players, Method::Banzhaf, worth, options, progress)
}

/// Rounds needed for Hoeffding half-widths of at most `epsilon`.
#[pyfunction]
#[pyo3(name = "hoeffding_rounds")]
pub(crate) fn hoeffding_rounds_py(
    n: usize,
    method: &Bound<'_, PyAny>,
    epsilon: f64,
    delta: f64,
    range: f64,
) -> PyResult<u64> {
    let method = method_name(method)?.parse::<Method>()?;
    Ok(hoeffding_rounds(n, method, epsilon, delta, range)?)
}
