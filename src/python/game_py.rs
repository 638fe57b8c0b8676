//! `GameCore`: the native game behind `coalitional.Game`.

use numpy::ndarray::Array2;
use numpy::{IntoPyArray, PyArray1, PyArray2, PyReadonlyArray1};
use pyo3::prelude::*;
use pyo3::types::{PyDict, PyFrozenSet};

use crate::error::Error;
use crate::format::{self, Metadata};
use crate::game::{default_players, Game, Kind};
use crate::memory;
use crate::python::errors::InvalidGame;
use crate::settle;
use crate::solution::Allocation;

/// A validated, immutable dense game. Users see it through `coalitional.Game`.
#[pyclass(name = "GameCore", module = "coalitional._coalitional", frozen)]
pub(crate) struct PyGameCore {
    game: Game,
}

impl PyGameCore {
    /// Wraps a built game.
    pub(crate) fn wrap(game: Game) -> Self {
        PyGameCore { game }
    }
}

/// A Python-side description of a settlement: net transfers, gap, payments (payer, payee,
/// amount), players below standalone, in-core flag, blocking coalitions (members, worth,
/// allocated, excess), cost of stability, status quo.
type SettlementParts<'py> = (
    Bound<'py, PyArray1<f64>>,
    f64,
    Vec<(String, String, f64)>,
    Vec<String>,
    bool,
    Vec<(Vec<String>, f64, f64, f64)>,
    f64,
    Bound<'py, PyArray1<f64>>,
);

fn kind_of(kind: &str) -> Result<Kind, Error> {
    kind.parse()
}

fn array<'py>(py: Python<'py>, v: Vec<f64>) -> Bound<'py, PyArray1<f64>> {
    v.into_pyarray(py)
}

#[pymethods]
impl PyGameCore {
    /// Game from a float64 array of 2**n values indexed by bit mask.
    #[new]
    #[pyo3(signature = (values, players=None, kind="value"))]
    fn new(
        values: PyReadonlyArray1<'_, f64>,
        players: Option<Vec<String>>,
        kind: &str,
    ) -> PyResult<Self> {
        let kind = kind_of(kind)?;
        let len = values.len()?;
        if len == 0 || !len.is_power_of_two() {
            return Err(Error::NotPowerOfTwo { len }.into());
        }
        let n = len.trailing_zeros() as usize;
        memory::check_dense(n, 1)?;
        let values = match values.as_slice() {
            Ok(slice) => slice.to_vec(),
            Err(_) => values.as_array().to_vec(),
        };
        let players = players.unwrap_or_else(|| default_players(n));
        Ok(PyGameCore {
            game: Game::with_kind(players, values, kind)?,
        })
    }

    /// Game from (members, value) pairs covering every nonempty coalition.
    #[staticmethod]
    #[pyo3(signature = (players, entries, kind="value"))]
    fn from_coalitions(
        players: Vec<String>,
        entries: Vec<(Vec<String>, f64)>,
        kind: &str,
    ) -> PyResult<Self> {
        let game = Game::from_coalitions(players, kind_of(kind)?, entries)?;
        Ok(PyGameCore { game })
    }

    /// Game from f(frozenset of names) -> float, called once per nonempty coalition.
    #[staticmethod]
    #[pyo3(signature = (players, f, kind="value"))]
    fn from_function(
        py: Python<'_>,
        players: Vec<String>,
        f: Bound<'_, PyAny>,
        kind: &str,
    ) -> PyResult<Self> {
        let kind = kind_of(kind)?;
        let names: Vec<Bound<'_, PyAny>> = players
            .iter()
            .map(|p| pyo3::types::PyString::new(py, p).into_any())
            .collect();
        let game = Game::try_from_fn(players.clone(), kind, |s| -> PyResult<f64> {
            let members: Vec<&Bound<'_, PyAny>> = s.members().map(|i| &names[i]).collect();
            let set = PyFrozenSet::new(py, members)?;
            let out = f.call1((set,))?;
            out.extract::<f64>().map_err(|_| {
                let shown = out
                    .repr()
                    .map(|r| r.to_string())
                    .unwrap_or_else(|_| "?".into());
                InvalidGame::new_err(format!(
                    "f returned {shown} for coalition {}; it must return a number",
                    s.names(&players)
                ))
            })
        })?;
        Ok(PyGameCore { game })
    }

    #[getter]
    fn n(&self) -> usize {
        self.game.n()
    }

    #[getter]
    fn players(&self) -> Vec<String> {
        self.game.players().to_vec()
    }

    #[getter]
    fn kind(&self) -> &'static str {
        self.game.kind().as_str()
    }

    /// A copy of the 2**n values as a float64 array.
    fn values<'py>(&self, py: Python<'py>) -> Bound<'py, PyArray1<f64>> {
        PyArray1::from_slice(py, self.game.values())
    }

    /// The worth of the coalition of the named players.
    fn value(&self, names: Vec<String>) -> PyResult<f64> {
        Ok(self.game.value_of(&names)?)
    }

    fn shapley<'py>(&self, py: Python<'py>) -> Bound<'py, PyArray1<f64>> {
        let game = &self.game;
        array(py, py.detach(|| game.shapley().into_values()))
    }

    #[pyo3(signature = (normalized=false))]
    fn banzhaf<'py>(
        &self,
        py: Python<'py>,
        normalized: bool,
    ) -> PyResult<Bound<'py, PyArray1<f64>>> {
        let game = &self.game;
        let result = py.detach(|| {
            if normalized {
                game.banzhaf_normalized()
            } else {
                Ok(game.banzhaf())
            }
        })?;
        Ok(array(py, result.into_values()))
    }

    fn marginal_vector<'py>(
        &self,
        py: Python<'py>,
        order: Vec<String>,
    ) -> PyResult<Bound<'py, PyArray1<f64>>> {
        Ok(array(
            py,
            self.game.marginal_vector_by_name(&order)?.into_values(),
        ))
    }

    fn is_superadditive(&self, py: Python<'_>) -> PyResult<bool> {
        let game = &self.game;
        Ok(py.detach(|| game.is_superadditive())?)
    }

    fn is_convex(&self, py: Python<'_>) -> bool {
        let game = &self.game;
        py.detach(|| game.is_convex())
    }

    fn is_monotone(&self, py: Python<'_>) -> bool {
        let game = &self.game;
        py.detach(|| game.is_monotone())
    }

    fn is_essential(&self) -> bool {
        self.game.is_essential()
    }

    /// (epsilon, allocation) of the least core.
    fn least_core<'py>(&self, py: Python<'py>) -> PyResult<(f64, Bound<'py, PyArray1<f64>>)> {
        let game = &self.game;
        let lc = py.detach(|| game.least_core())?;
        Ok((lc.epsilon, array(py, lc.allocation.into_values())))
    }

    fn nucleolus<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyArray1<f64>>> {
        let game = &self.game;
        let x = py.detach(|| game.nucleolus())?;
        Ok(array(py, x.into_values()))
    }

    fn prenucleolus<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyArray1<f64>>> {
        let game = &self.game;
        let x = py.detach(|| game.prenucleolus())?;
        Ok(array(py, x.into_values()))
    }

    fn tau_value<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyArray1<f64>>> {
        let game = &self.game;
        let tau = py.detach(|| game.tau_value())?;
        Ok(array(py, tau.into_values()))
    }

    /// The core's vertices as a (k, n) array, rows in lexicographic order.
    fn core_vertices<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyArray2<f64>>> {
        let game = &self.game;
        let n = game.n();
        let vertices = py.detach(|| game.core_vertices())?;
        let k = vertices.len();
        let flat: Vec<f64> = vertices.into_iter().flat_map(|a| a.into_values()).collect();
        let grid =
            Array2::from_shape_vec((k, n), flat).expect("every vertex has one entry per player");
        Ok(grid.into_pyarray(py))
    }

    /// The Owen value for unions given by player names.
    fn owen<'py>(
        &self,
        py: Python<'py>,
        unions: Vec<Vec<String>>,
    ) -> PyResult<Bound<'py, PyArray1<f64>>> {
        let game = &self.game;
        let x = py.detach(|| game.owen_by_name(&unions))?;
        Ok(array(py, x.into_values()))
    }

    /// The settlement from `status_quo` (default standalone values) to `target`.
    #[pyo3(signature = (target, status_quo=None, top=5))]
    fn settle<'py>(
        &self,
        py: Python<'py>,
        target: PyReadonlyArray1<'_, f64>,
        status_quo: Option<PyReadonlyArray1<'_, f64>>,
        top: usize,
    ) -> PyResult<SettlementParts<'py>> {
        let game = &self.game;
        let labelled = |v: Vec<f64>| -> PyResult<Allocation> {
            Ok(Allocation::new(game.players().to_vec(), v, game.kind())?)
        };
        let target = labelled(target.as_array().to_vec())?;
        let status_quo = status_quo
            .map(|sq| labelled(sq.as_array().to_vec()))
            .transpose()?;
        let s = py.detach(|| settle::settle(game, &target, status_quo.as_ref(), top))?;
        Ok((
            array(py, s.net.into_values()),
            s.gap,
            s.payments
                .into_iter()
                .map(|p| (p.payer, p.payee, p.amount))
                .collect(),
            s.below_standalone,
            s.in_core,
            s.blocking
                .into_iter()
                .map(|b| (b.members, b.worth, b.allocated, b.excess))
                .collect(),
            s.cost_of_stability,
            array(py, s.status_quo.into_values()),
        ))
    }

    /// The allocation of a named rule (shapley, nucleolus, prenucleolus, tau, least_core).
    fn rule<'py>(&self, py: Python<'py>, name: &str) -> PyResult<Bound<'py, PyArray1<f64>>> {
        let rule: settle::Rule = name.parse()?;
        let game = &self.game;
        let x = py.detach(|| rule.apply(game))?;
        Ok(array(py, x.into_values()))
    }

    fn core_is_empty(&self, py: Python<'_>) -> PyResult<bool> {
        let game = &self.game;
        Ok(py.detach(|| game.core_is_empty())?)
    }

    #[pyo3(signature = (x, tol=None))]
    fn in_core(
        &self,
        py: Python<'_>,
        x: PyReadonlyArray1<'_, f64>,
        tol: Option<f64>,
    ) -> PyResult<bool> {
        let x = x.as_array().to_vec();
        let game = &self.game;
        Ok(py.detach(|| game.in_core(&x, tol.unwrap_or_else(|| game.tolerance())))?)
    }

    fn tolerance(&self, py: Python<'_>) -> f64 {
        let game = &self.game;
        py.detach(|| game.tolerance())
    }

    fn spread(&self, py: Python<'_>) -> f64 {
        let game = &self.game;
        py.detach(|| game.spread())
    }

    fn cost_of_stability(&self, py: Python<'_>) -> PyResult<f64> {
        let game = &self.game;
        Ok(py.detach(|| game.cost_of_stability())?)
    }

    fn savings(&self) -> PyGameCore {
        PyGameCore {
            game: self.game.savings(),
        }
    }

    /// JSON text of the game with optional metadata.
    #[pyo3(signature = (name=None, description=None, source=None))]
    fn to_json(
        &self,
        name: Option<String>,
        description: Option<String>,
        source: Option<String>,
    ) -> String {
        let meta = Metadata {
            name,
            description,
            source,
        };
        format::write_game(&self.game, &meta)
    }
}

/// Parses JSON text into (GameCore, metadata dict).
#[pyfunction]
#[pyo3(name = "read_game")]
pub(crate) fn read_game_py<'py>(
    py: Python<'py>,
    text: &str,
) -> PyResult<(PyGameCore, Bound<'py, PyDict>)> {
    let (game, meta) = format::read_game(text)?;
    let dict = PyDict::new(py);
    dict.set_item("name", meta.name)?;
    dict.set_item("description", meta.description)?;
    dict.set_item("source", meta.source)?;
    Ok((PyGameCore { game }, dict))
}

/// Raises GameTooLarge if `copies` dense arrays of 2**n values would not fit in memory.
#[pyfunction]
#[pyo3(name = "check_dense", signature = (n, copies=1))]
pub(crate) fn check_dense_py(n: usize, copies: u32) -> PyResult<()> {
    Ok(memory::check_dense(n, copies)?)
}
