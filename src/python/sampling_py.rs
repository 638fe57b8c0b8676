//! The sampling estimator: conversion and error mapping only.

use numpy::{IntoPyArray, PyArray1, PyReadonlyArray1};
use pyo3::prelude::*;

use crate::error::Error;
use crate::python::game_py::try_vec;
use crate::solution::sampling::{
    check_delta, checkpoint, hoeffding_rounds, Bound as ErrorBound, Method, Sampler,
};

fn method_of(name: &str) -> Result<Method, Error> {
    match name {
        "permutation" => Ok(Method::Permutation),
        "stratified" => Ok(Method::Stratified),
        "banzhaf" => Ok(Method::Banzhaf),
        other => Err(Error::InvalidParameter {
            name: "method",
            reason: format!(
                "{other:?}; use \"permutation\" or \"stratified\" (Shapley) or \"banzhaf\""
            ),
        }),
    }
}

fn bound_of(range: Option<f64>) -> ErrorBound {
    match range {
        Some(range) => ErrorBound::Hoeffding { range },
        None => ErrorBound::EmpiricalBernstein,
    }
}

/// A seeded sampler: propose coalitions, feed their values, estimate.
#[pyclass(name = "SamplerCore", module = "coalitional._coalitional")]
pub(crate) struct PySampler {
    inner: Sampler,
}

#[pymethods]
impl PySampler {
    #[new]
    fn new(n: usize, method: &str, seed: u64) -> PyResult<Self> {
        Ok(PySampler {
            inner: Sampler::new(n, method_of(method)?, seed)?,
        })
    }

    fn coalitions_per_round(&self) -> usize {
        self.inner.coalitions_per_round()
    }

    /// The coalitions of `rounds` more rounds; a proposal too large for memory is an
    /// InvalidGame error for `rounds`, not an abort.
    fn propose<'py>(
        &mut self,
        py: Python<'py>,
        rounds: usize,
    ) -> PyResult<Bound<'py, PyArray1<u64>>> {
        Ok(self.inner.try_propose(rounds)?.into_pyarray(py))
    }

    /// Their values: read in place from a contiguous array, else copied into memory allocated
    /// fallibly.
    fn feed(&mut self, values: PyReadonlyArray1<'_, f64>) -> PyResult<()> {
        if let Ok(slice) = values.as_slice() {
            return Ok(self.inner.feed(slice)?);
        }
        let view = values.as_array();
        let mut copy: Vec<f64> = try_vec(view.len(), || Error::InvalidParameter {
            name: "values",
            reason: format!(
                "{} values do not fit in memory (the system refused the allocation)",
                view.len()
            ),
        })?;
        copy.extend(view.iter().copied());
        Ok(self.inner.feed(&copy)?)
    }

    /// (values, std_errors, half_widths, samples, evaluations) for the samples so far at
    /// confidence `1 - delta`: Hoeffding when `range` is given, else empirical Bernstein.
    #[pyo3(signature = (delta, range=None))]
    #[allow(clippy::type_complexity)]
    fn estimate<'py>(
        &self,
        py: Python<'py>,
        delta: f64,
        range: Option<f64>,
    ) -> PyResult<(
        Bound<'py, PyArray1<f64>>,
        Bound<'py, PyArray1<f64>>,
        Bound<'py, PyArray1<f64>>,
        u64,
        u64,
    )> {
        let e = self.inner.estimate(delta, bound_of(range))?;
        Ok((
            e.values.into_pyarray(py),
            e.std_errors.into_pyarray(py),
            e.half_widths.into_pyarray(py),
            e.samples,
            e.evaluations,
        ))
    }

    /// Rounds after which the stopping rule is checked for the `k`-th time (`k >= 1`).
    #[staticmethod]
    fn checkpoint(k: u32) -> u64 {
        checkpoint(k)
    }

    /// The confidence `delta / (k (k + 1))` spent at the `k`-th check.
    #[staticmethod]
    fn check_delta(delta: f64, k: u32) -> f64 {
        check_delta(delta, k)
    }
}

/// Rounds needed for Hoeffding half-widths of at most `epsilon`.
#[pyfunction]
#[pyo3(name = "hoeffding_rounds")]
pub(crate) fn hoeffding_rounds_py(
    n: usize,
    method: &str,
    epsilon: f64,
    delta: f64,
    range: f64,
) -> PyResult<u64> {
    Ok(hoeffding_rounds(
        n,
        method_of(method)?,
        epsilon,
        delta,
        range,
    )?)
}
