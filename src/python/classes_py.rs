//! Structured game classes: conversion and error mapping only.

use numpy::{IntoPyArray, PyArray1, PyReadonlyArray1, PyReadonlyArray2};
use pyo3::prelude::*;

use crate::classes::airport::Airport;
use crate::classes::assignment::{Assignment, Side};
use crate::classes::claims::Claims;
use crate::classes::voting::WeightedVoting;
use crate::cooperative::Cooperative;
use crate::error::Error;
use crate::format::{self, AnyGame, Metadata};
use crate::python::game_py::{detach_interruptible, try_vec, PyGameCore};
use crate::python::power_py::PyPowerIndices;

fn array(py: Python<'_>, v: Vec<f64>) -> Bound<'_, PyArray1<f64>> {
    v.into_pyarray(py)
}

/// The worths of coalitions given as bit masks, computed from the class's parameters
/// (without the GIL, interruptible; the parameters are copied: they are few).
pub(crate) fn worths<'py, G: Cooperative + Clone + Send>(
    py: Python<'py>,
    game: &G,
    masks: PyReadonlyArray1<'_, u64>,
) -> PyResult<Bound<'py, PyArray1<f64>>> {
    let masks = masks.as_array().to_vec();
    let mut game = game.clone();
    let values = detach_interruptible(py, move || game.worths(&masks))?;
    Ok(array(py, values))
}

/// The class form of the game's JSON format, with optional metadata.
fn class_json(
    py: Python<'_>,
    game: AnyGame,
    name: Option<String>,
    description: Option<String>,
    source: Option<String>,
) -> String {
    let meta = Metadata {
        name,
        description,
        source,
    };
    py.detach(|| format::write_json(&game, &meta))
}

/// The native object for a game read from JSON: `GameCore` or one of the class cores.
pub(crate) fn native_game(py: Python<'_>, game: AnyGame) -> PyResult<Bound<'_, PyAny>> {
    Ok(match game {
        AnyGame::Dense(g) => Bound::new(py, PyGameCore::wrap(g))?.into_any(),
        AnyGame::WeightedVoting(inner) => Bound::new(py, PyWeightedVoting { inner })?.into_any(),
        AnyGame::Claims(inner) => Bound::new(py, PyClaims { inner })?.into_any(),
        AnyGame::Airport(inner) => Bound::new(py, PyAirport { inner })?.into_any(),
        AnyGame::Assignment(inner) => Bound::new(py, PyAssignment { inner })?.into_any(),
    })
}

/// A weighted majority game.
#[pyclass(
    name = "WeightedVotingCore",
    module = "coalitional._coalitional",
    frozen
)]
pub(crate) struct PyWeightedVoting {
    pub(crate) inner: WeightedVoting,
}

#[pymethods]
impl PyWeightedVoting {
    #[new]
    #[pyo3(signature = (quota, weights, players=None))]
    fn new(quota: f64, weights: Vec<f64>, players: Option<Vec<String>>) -> PyResult<Self> {
        Ok(PyWeightedVoting {
            inner: WeightedVoting::from_f64(quota, &weights, players)?,
        })
    }

    #[getter]
    fn players(&self) -> Vec<String> {
        self.inner.players().to_vec()
    }

    #[getter]
    fn quota(&self) -> u64 {
        self.inner.quota()
    }

    #[getter]
    fn weights(&self) -> Vec<u64> {
        self.inner.weights().to_vec()
    }

    fn shapley<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyArray1<f64>>> {
        let inner = &self.inner;
        let x = detach_interruptible(py, || Ok(inner.shapley()))?;
        Ok(array(py, x.into_values()))
    }

    #[pyo3(signature = (normalized=false))]
    fn banzhaf<'py>(
        &self,
        py: Python<'py>,
        normalized: bool,
    ) -> PyResult<Bound<'py, PyArray1<f64>>> {
        let inner = &self.inner;
        let x = detach_interruptible(py, || {
            Ok(if normalized {
                inner.banzhaf_normalized()
            } else {
                inner.banzhaf()
            })
        })?;
        Ok(array(py, x.into_values()))
    }

    fn swings(&self, py: Python<'_>) -> Vec<u128> {
        let inner = &self.inner;
        py.detach(|| inner.swings())
    }

    /// Johnston, Deegan–Packel, Holler and Coleman indices by exact counting.
    fn power_indices(&self, py: Python<'_>) -> PyResult<PyPowerIndices> {
        let inner = &self.inner;
        Ok(detach_interruptible(py, || inner.power_indices())?.into())
    }

    /// The minimal winning coalitions (member indices); more than `limit` is an error.
    fn minimal_winning(&self, py: Python<'_>, limit: usize) -> PyResult<Vec<Vec<usize>>> {
        let inner = &self.inner;
        detach_interruptible(py, || inner.minimal_winning(limit))
    }

    /// Worths of coalitions given as bit masks (uint64), without the dense game.
    fn worths<'py>(
        &self,
        py: Python<'py>,
        masks: PyReadonlyArray1<'_, u64>,
    ) -> PyResult<Bound<'py, PyArray1<f64>>> {
        worths(py, &self.inner, masks)
    }

    /// JSON text of the game in the class form, with optional metadata.
    #[pyo3(signature = (name=None, description=None, source=None))]
    fn to_json(
        &self,
        py: Python<'_>,
        name: Option<String>,
        description: Option<String>,
        source: Option<String>,
    ) -> String {
        class_json(py, self.inner.clone().into(), name, description, source)
    }

    fn to_game(&self, py: Python<'_>) -> PyResult<PyGameCore> {
        let inner = &self.inner;
        Ok(PyGameCore::wrap(py.detach(|| inner.to_game())?))
    }
}

/// A claims (bankruptcy) problem.
#[pyclass(name = "ClaimsCore", module = "coalitional._coalitional", frozen)]
pub(crate) struct PyClaims {
    inner: Claims,
}

#[pymethods]
impl PyClaims {
    #[new]
    #[pyo3(signature = (estate, claims, players=None))]
    fn new(estate: f64, claims: Vec<f64>, players: Option<Vec<String>>) -> PyResult<Self> {
        Ok(PyClaims {
            inner: Claims::new(estate, claims, players)?,
        })
    }

    #[getter]
    fn players(&self) -> Vec<String> {
        self.inner.players().to_vec()
    }

    #[getter]
    fn estate(&self) -> f64 {
        self.inner.estate()
    }

    #[getter]
    fn claims(&self) -> Vec<f64> {
        self.inner.claims().to_vec()
    }

    /// One of proportional, constrained_equal_awards, constrained_equal_losses, talmud,
    /// random_arrival.
    fn rule<'py>(&self, py: Python<'py>, name: &str) -> PyResult<Bound<'py, PyArray1<f64>>> {
        let p = &self.inner;
        let x = match name {
            "proportional" => p.proportional(),
            "constrained_equal_awards" => p.constrained_equal_awards(),
            "constrained_equal_losses" => p.constrained_equal_losses(),
            "talmud" => p.talmud(),
            "random_arrival" => detach_interruptible(py, || p.random_arrival())?,
            other => {
                return Err(Error::InvalidParameter {
                    name: "rule",
                    reason: format!("{other:?} is not a division rule"),
                }
                .into())
            }
        };
        Ok(array(py, x.into_values()))
    }

    /// Worths of coalitions given as bit masks (uint64), without the dense game.
    fn worths<'py>(
        &self,
        py: Python<'py>,
        masks: PyReadonlyArray1<'_, u64>,
    ) -> PyResult<Bound<'py, PyArray1<f64>>> {
        worths(py, &self.inner, masks)
    }

    /// JSON text of the game in the class form, with optional metadata.
    #[pyo3(signature = (name=None, description=None, source=None))]
    fn to_json(
        &self,
        py: Python<'_>,
        name: Option<String>,
        description: Option<String>,
        source: Option<String>,
    ) -> String {
        class_json(py, self.inner.clone().into(), name, description, source)
    }

    fn to_game(&self, py: Python<'_>) -> PyResult<PyGameCore> {
        let inner = &self.inner;
        Ok(PyGameCore::wrap(py.detach(|| inner.to_game())?))
    }
}

/// An airport cost game.
#[pyclass(name = "AirportCore", module = "coalitional._coalitional", frozen)]
pub(crate) struct PyAirport {
    pub(super) inner: Airport,
}

#[pymethods]
impl PyAirport {
    #[new]
    #[pyo3(signature = (costs, players=None))]
    fn new(costs: Vec<f64>, players: Option<Vec<String>>) -> PyResult<Self> {
        Ok(PyAirport {
            inner: Airport::new(costs, players)?,
        })
    }

    #[getter]
    fn players(&self) -> Vec<String> {
        self.inner.players().to_vec()
    }

    #[getter]
    fn costs(&self) -> Vec<f64> {
        self.inner.costs().to_vec()
    }

    fn shapley<'py>(&self, py: Python<'py>) -> Bound<'py, PyArray1<f64>> {
        array(py, self.inner.shapley().into_values())
    }

    /// Worths of coalitions given as bit masks (uint64), without the dense game.
    fn worths<'py>(
        &self,
        py: Python<'py>,
        masks: PyReadonlyArray1<'_, u64>,
    ) -> PyResult<Bound<'py, PyArray1<f64>>> {
        worths(py, &self.inner, masks)
    }

    /// JSON text of the game in the class form, with optional metadata.
    #[pyo3(signature = (name=None, description=None, source=None))]
    fn to_json(
        &self,
        py: Python<'_>,
        name: Option<String>,
        description: Option<String>,
        source: Option<String>,
    ) -> String {
        class_json(py, self.inner.clone().into(), name, description, source)
    }

    fn to_game(&self, py: Python<'_>) -> PyResult<PyGameCore> {
        let inner = &self.inner;
        Ok(PyGameCore::wrap(py.detach(|| inner.to_game())?))
    }
}

/// An assignment game.
#[pyclass(name = "AssignmentCore", module = "coalitional._coalitional", frozen)]
pub(crate) struct PyAssignment {
    pub(super) inner: Assignment,
}

#[pymethods]
impl PyAssignment {
    /// The weights are copied into memory allocated fallibly: a matrix the system cannot hold
    /// is an InvalidGame error for `weights`, not an abort.
    #[new]
    fn new(
        weights: PyReadonlyArray2<'_, f64>,
        rows: Vec<String>,
        cols: Vec<String>,
    ) -> PyResult<Self> {
        let view = weights.as_array();
        let (r, c) = view.dim();
        let refused = || Error::TooLarge {
            what: format!("a {r} x {c} matrix of weights"),
            needed: 8 * r as u128 * c as u128,
            available: None,
        };
        let mut matrix: Vec<Vec<f64>> = try_vec(r, refused)?;
        for row in view.rows() {
            let mut copy: Vec<f64> = try_vec(c, refused)?;
            copy.extend(row.iter().copied());
            matrix.push(copy);
        }
        Ok(PyAssignment {
            inner: Assignment::new(matrix, rows, cols)?,
        })
    }

    #[getter]
    fn players(&self) -> Vec<String> {
        self.inner.players().to_vec()
    }

    #[getter]
    fn rows(&self) -> Vec<String> {
        self.inner.rows().to_vec()
    }

    #[getter]
    fn cols(&self) -> Vec<String> {
        self.inner.cols().to_vec()
    }

    #[getter]
    fn weights(&self) -> Vec<Vec<f64>> {
        self.inner.weights().to_vec()
    }

    fn optimal_matching(&self) -> Vec<(usize, usize)> {
        self.inner.optimal_matching()
    }

    fn optimal_value(&self) -> f64 {
        self.inner.optimal_value()
    }

    #[pyo3(signature = (favour=None))]
    fn core_allocation<'py>(
        &self,
        py: Python<'py>,
        favour: Option<&str>,
    ) -> PyResult<Bound<'py, PyArray1<f64>>> {
        let side = match favour {
            None => None,
            Some("rows") => Some(Side::Rows),
            Some("cols") => Some(Side::Cols),
            Some(other) => {
                return Err(Error::InvalidParameter {
                    name: "favour",
                    reason: format!("{other:?}; use \"rows\", \"cols\" or None"),
                }
                .into())
            }
        };
        let inner = &self.inner;
        let x = detach_interruptible(py, || inner.core_allocation(side))?;
        Ok(array(py, x.into_values()))
    }

    /// Worths of coalitions given as bit masks (uint64), without the dense game.
    fn worths<'py>(
        &self,
        py: Python<'py>,
        masks: PyReadonlyArray1<'_, u64>,
    ) -> PyResult<Bound<'py, PyArray1<f64>>> {
        worths(py, &self.inner, masks)
    }

    /// JSON text of the game in the class form, with optional metadata.
    #[pyo3(signature = (name=None, description=None, source=None))]
    fn to_json(
        &self,
        py: Python<'_>,
        name: Option<String>,
        description: Option<String>,
        source: Option<String>,
    ) -> String {
        class_json(py, self.inner.clone().into(), name, description, source)
    }

    fn to_game(&self, py: Python<'_>) -> PyResult<PyGameCore> {
        let inner = &self.inner;
        Ok(PyGameCore::wrap(py.detach(|| inner.to_game())?))
    }
}
