//! `oracle_solve`: the nucleolus, prenucleolus or least core of a game given by two Python
//! callables (`coalitional.OracleGame`), through the separation engine
//! ([`crate::solution::separation`]). The callables are wrapped in a [`Separation`]; the engine
//! runs without the GIL (interruptible by Ctrl-C) and each callback attaches to the
//! interpreter. An exception raised by a callback stops the engine and is raised again as
//! itself.

use std::collections::HashMap;
use std::sync::Mutex;

use numpy::{IntoPyArray, PyArray1};
use pyo3::prelude::*;
use pyo3::types::{PyFrozenSet, PyString};

use crate::classes::claims::Claims;
use crate::error::{Error, Result};
use crate::game::Kind;
use crate::python::game_py::detach_interruptible;
use crate::python::results_py::PyLeastCore;
use crate::solution::separation::{OracleGame, Separation, Violation};

/// Adds `oracle_solve` and `claims_least_core` to the module.
pub(crate) fn register(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add_function(wrap_pyfunction!(oracle_solve_py, m)?)?;
    m.add_function(wrap_pyfunction!(claims_least_core_py, m)?)
}

/// The least core of a claims game without its `2^n` values ([`Claims::least_core`]).
#[pyfunction]
#[pyo3(name = "claims_least_core")]
fn claims_least_core_py(
    py: Python<'_>,
    estate: f64,
    claims: Vec<f64>,
    players: Vec<String>,
) -> PyResult<PyLeastCore> {
    let problem = Claims::new(estate, claims, Some(players))?;
    Ok(detach_interruptible(py, || problem.least_core())?.into())
}

/// The Python callables as a [`Separation`]: `worth(frozenset) -> float` and
/// `most_violated(x: numpy array, include: frozenset, exclude: frozenset)
/// -> (iterable of names, excess) | None`.
struct PyOracle {
    names: Vec<Py<PyString>>,
    index: HashMap<String, usize>,
    worth: Py<PyAny>,
    most_violated: Py<PyAny>,
    /// The exception a callback raised, raised again once the engine has stopped.
    raised: Mutex<Option<PyErr>>,
}

impl PyOracle {
    fn set<'py>(&self, py: Python<'py>, members: &[usize]) -> PyResult<Bound<'py, PyFrozenSet>> {
        PyFrozenSet::new(py, members.iter().map(|&i| self.names[i].bind(py)))
    }

    fn names_of(&self, members: &[usize]) -> String {
        let shown: Vec<&str> = members
            .iter()
            .map(|&i| {
                self.index
                    .iter()
                    .find(|(_, &j)| j == i)
                    .map_or("?", |(k, _)| k)
            })
            .collect();
        format!("{{{}}}", shown.join(", "))
    }

    /// Keeps a callback's exception; the engine stops with a placeholder error that the binding
    /// replaces by it.
    fn keep(&self, err: PyErr) -> Error {
        *self.raised.lock().unwrap_or_else(|e| e.into_inner()) = Some(err);
        Error::InvalidParameter {
            name: "callback",
            reason: "a Python callback raised an exception".into(),
        }
    }

    fn members_of(&self, obj: &Bound<'_, PyAny>) -> Result<Vec<usize>> {
        let bad = |reason: String| Error::InvalidParameter {
            name: "most_violated",
            reason,
        };
        let iter = obj.try_iter().map_err(|_| {
            bad("the coalition it returns must be an iterable of player names".into())
        })?;
        let mut members = Vec::new();
        for item in iter {
            let item = item.map_err(|e| self.keep(e))?;
            let name: String = item.extract().map_err(|_| {
                bad(format!(
                    "the coalition it returns must hold player names (str), not {}",
                    item.repr().map_or_else(|_| "?".into(), |r| r.to_string())
                ))
            })?;
            let &i = self.index.get(&name).ok_or_else(|| {
                bad(format!(
                    "it returned {name:?}, which is not a player of this game"
                ))
            })?;
            members.push(i);
        }
        members.sort_unstable();
        if members.windows(2).any(|w| w[0] == w[1]) {
            return Err(bad(format!(
                "it returned the coalition {} with a player twice",
                self.names_of(&members)
            )));
        }
        Ok(members)
    }
}

impl Separation for PyOracle {
    fn n(&self) -> usize {
        self.names.len()
    }

    fn worth(&self, members: &[usize]) -> Result<f64> {
        Python::attach(|py| {
            let set = self.set(py, members).map_err(|e| self.keep(e))?;
            let out = self
                .worth
                .bind(py)
                .call1((set,))
                .map_err(|e| self.keep(e))?;
            match out.extract::<f64>() {
                Ok(v) if v.is_finite() => Ok(v),
                _ => Err(Error::InvalidParameter {
                    name: "worth",
                    reason: format!(
                        "worth returned {} for coalition {}; it must return a finite number",
                        out.repr().map_or_else(|_| "?".into(), |r| r.to_string()),
                        self.names_of(members)
                    ),
                }),
            }
        })
    }

    fn most_violated(
        &self,
        x: &[f64],
        include: &[bool],
        exclude: &[bool],
    ) -> Result<Option<Violation>> {
        Python::attach(|py| {
            let pick =
                |flags: &[bool]| -> Vec<usize> { (0..flags.len()).filter(|&i| flags[i]).collect() };
            let inc = self.set(py, &pick(include)).map_err(|e| self.keep(e))?;
            let exc = self.set(py, &pick(exclude)).map_err(|e| self.keep(e))?;
            let xs = x.to_vec().into_pyarray(py);
            let out = self
                .most_violated
                .bind(py)
                .call1((xs, inc, exc))
                .map_err(|e| self.keep(e))?;
            if out.is_none() {
                return Ok(None);
            }
            let bad = |reason: String| Error::InvalidParameter {
                name: "most_violated",
                reason,
            };
            let (coalition, excess): (Bound<'_, PyAny>, Bound<'_, PyAny>) =
                out.extract().map_err(|_| {
                    bad(format!(
                        "it must return a pair (coalition, excess) or None, not {}",
                        out.repr().map_or_else(|_| "?".into(), |r| r.to_string())
                    ))
                })?;
            let members = self.members_of(&coalition)?;
            let excess: f64 = excess.extract().map_err(|_| {
                bad(format!(
                    "the excess it returns must be a number, not {}",
                    excess.repr().map_or_else(|_| "?".into(), |r| r.to_string())
                ))
            })?;
            Ok(Some(Violation { members, excess }))
        })
    }
}

/// `concept` ("nucleolus", "prenucleolus" or "least_core") of the game: the shares in player
/// order, with the least core's epsilon (else None).
#[pyfunction]
#[pyo3(name = "oracle_solve")]
fn oracle_solve_py<'py>(
    py: Python<'py>,
    players: Vec<String>,
    worth: Py<PyAny>,
    most_violated: Py<PyAny>,
    kind: &str,
    concept: &str,
) -> PyResult<(Option<f64>, Bound<'py, PyArray1<f64>>)> {
    let kind: Kind = kind.parse()?;
    let oracle = PyOracle {
        names: players
            .iter()
            .map(|p| PyString::new(py, p).unbind())
            .collect(),
        index: players
            .iter()
            .enumerate()
            .map(|(i, p)| (p.clone(), i))
            .collect(),
        worth,
        most_violated,
        raised: Mutex::new(None),
    };
    let out = detach_interruptible(py, || {
        let game = OracleGame::with_kind(players, &oracle, kind)?;
        match concept {
            "nucleolus" => game.nucleolus().map(|a| (None, a)),
            "prenucleolus" => game.prenucleolus().map(|a| (None, a)),
            "least_core" => game
                .least_core()
                .map(|lc| (Some(lc.epsilon), lc.allocation)),
            other => Err(Error::InvalidParameter {
                name: "concept",
                reason: format!(
                    "{other:?}; expected \"nucleolus\", \"prenucleolus\" or \"least_core\""
                ),
            }),
        }
    });
    if let Some(err) = oracle
        .raised
        .lock()
        .unwrap_or_else(|e| e.into_inner())
        .take()
    {
        return Err(err);
    }
    let (epsilon, allocation) = out?;
    Ok((epsilon, allocation.into_values().into_pyarray(py)))
}
