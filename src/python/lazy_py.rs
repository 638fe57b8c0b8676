//! `LazyCore`: the bookkeeping of `coalitional.LazyGame` (known worths, the crash-safe cache
//! file, failures), a thin wrapper of [`crate::lazy::Memo`]. The Python side only schedules
//! model calls (here, in a thread or process pool, or on a Dask cluster) and hands the results
//! back as they land.

use std::collections::HashMap;
use std::path::PathBuf;

use numpy::{IntoPyArray, PyArray1, PyReadonlyArray1};
use pyo3::create_exception;
use pyo3::exceptions::{PyException, PyUserWarning};
use pyo3::prelude::*;
use pyo3::types::{PyFrozenSet, PyList, PyString};

use crate::error::Error;
use crate::game::Kind;
use crate::lazy::Memo;
use crate::python::errors::{set_fields, InvalidGame, ModelError};
use crate::python::game_py::PyGameCore;

create_exception!(
    _coalitional,
    CacheWarning,
    PyUserWarning,
    "A model cache reported something once: a damaged line skipped (its coalition is recomputed), or an upgrade of an old file."
);

/// Adds `LazyCore` and `CacheWarning` to the module.
pub(crate) fn register(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add_class::<PyLazyCore>()?;
    m.add("CacheWarning", m.py().get_type::<CacheWarning>())?;
    Ok(())
}

/// The worth a model returned, as a float. The rule for what a model may return (a finite real
/// number, not a bool or a string) has one owner, `coalitional._convert.model_value`, which
/// `LazyGame` applies to every value before it lands here; this only converts, and refuses
/// what is not a finite float. The error completes the sentence "f returned X for coalition S;
/// ...".
pub(crate) fn worth_of(obj: &Bound<'_, PyAny>) -> Result<f64, String> {
    match obj.extract::<f64>() {
        Ok(v) if v.is_finite() => Ok(v),
        Ok(_) => Err("values must be finite".into()),
        Err(_) => Err("it must return a number (int, float or numpy number)".into()),
    }
}

/// What the model gave for a coalition: a value, or the exception it raised.
type Outcome<'py> = Result<Bound<'py, PyAny>, Bound<'py, PyAny>>;

/// Known worths, cache file and failures of a lazy game.
#[pyclass(name = "LazyCore", module = "coalitional._coalitional")]
pub(crate) struct PyLazyCore {
    memo: Memo,
    names: Vec<Py<PyString>>,
    /// The exception of each coalition whose last evaluation failed.
    errors: HashMap<u64, Py<PyAny>>,
}

impl PyLazyCore {
    fn coalition<'py>(&self, py: Python<'py>, mask: u64) -> PyResult<Bound<'py, PyFrozenSet>> {
        let members = (0..self.names.len())
            .filter(|&i| mask >> i & 1 == 1)
            .map(|i| self.names[i].bind(py));
        PyFrozenSet::new(py, members)
    }

    fn fail(&mut self, mask: u64, exc: Bound<'_, PyAny>) -> PyResult<()> {
        let kind = exc
            .get_type()
            .name()
            .map_or_else(|_| "Exception".into(), |n| n.to_string());
        let text = exc.str().map_or_else(|_| String::new(), |s| s.to_string());
        let text = if text.is_empty() {
            kind
        } else {
            format!("{kind}: {text}")
        };
        self.memo.record_failure(mask, text)?;
        self.errors.insert(mask, exc.unbind());
        Ok(())
    }

    /// Stores what the model returned for each mask (`Ok(value)` or `Err(exception)`), the
    /// successes in one append to the cache.
    fn land_all(&mut self, py: Python<'_>, outcomes: Vec<(u64, Outcome<'_>)>) -> PyResult<()> {
        let mut good = Vec::with_capacity(outcomes.len());
        let mut bad = Vec::new();
        for (mask, outcome) in outcomes {
            match outcome {
                Ok(obj) => match worth_of(&obj) {
                    Ok(v) => good.push((mask, v)),
                    Err(why) => {
                        let shown = obj.repr().map_or_else(|_| "?".into(), |r| r.to_string());
                        let msg = format!(
                            "f returned {shown} for coalition {}; {why}",
                            self.memo.names(mask)
                        );
                        bad.push((mask, InvalidGame::new_err(msg).into_value(py).into_any()));
                    }
                },
                Err(exc) => bad.push((mask, exc.unbind())),
            }
        }
        for &(mask, _) in &good {
            self.errors.remove(&mask);
        }
        self.memo.record(&good)?;
        for (mask, exc) in bad {
            self.fail(mask, exc.into_bound(py))?;
        }
        Ok(())
    }

    /// `ModelError` with the fields of [`Error::Model`] (`code`, `failed`, `succeeded`,
    /// `first_coalition`, `first_error`), `failures` (list of (frozenset, exception)) and the
    /// first failure's exception as `__cause__`.
    fn model_error(&self, py: Python<'_>, err: Error) -> PyResult<PyErr> {
        if !matches!(err, Error::Model { .. }) {
            return Ok(err.into());
        }
        let failed = self.memo.run_failures();
        let mut msg = err.to_string();
        let shown: Vec<String> = failed
            .iter()
            .take(10)
            .map(|&m| self.memo.names(m))
            .collect();
        msg.push_str(&format!("; failed coalitions: {}", shown.join(", ")));
        if failed.len() > shown.len() {
            msg.push_str(&format!(" and {} more", failed.len() - shown.len()));
        }
        if let (true, Some(limit)) = (self.memo.stopped(), self.memo.max_failures()) {
            msg.push_str(&format!(
                "; stopped at once, as more than max_failures={limit} failed: pending evaluations were cancelled"
            ));
        }
        msg.push_str(
            "; every success is kept, so a rerun evaluates only what failed or is missing",
        );
        let error = ModelError::new_err(msg);
        let value = error.value(py);
        // code, failed, succeeded, first_coalition and first_error, as on every error from Rust.
        set_fields(value, &err)?;
        let mut list = Vec::with_capacity(failed.len());
        for &m in failed {
            let exc = self.errors.get(&m).map(|e| e.clone_ref(py));
            list.push((self.coalition(py, m)?, exc));
        }
        value.setattr("failures", PyList::new(py, list)?)?;
        if let Some(first) = failed.first().and_then(|m| self.errors.get(m)) {
            error.set_cause(py, Some(PyErr::from_value(first.bind(py).clone())));
        }
        Ok(error)
    }
}

#[pymethods]
impl PyLazyCore {
    /// The bookkeeping of a lazy game of `players` and `kind`; `cache` is the cache file;
    /// `graph`, pairs of player names, restricts cooperation to a communication graph.
    #[new]
    #[pyo3(signature = (players, kind="value", cache=None, graph=None))]
    fn new(
        py: Python<'_>,
        players: Vec<String>,
        kind: &str,
        cache: Option<PathBuf>,
        graph: Option<Vec<(String, String)>>,
    ) -> PyResult<Self> {
        let kind: Kind = kind.parse()?;
        let names = players
            .iter()
            .map(|p| PyString::intern(py, p).unbind())
            .collect();
        let memo = py.detach(|| match graph {
            None => Memo::new(players, kind, cache.as_deref()),
            Some(edges) => Memo::new(players, kind, cache.as_deref())?.with_graph(&edges),
        })?;
        Ok(PyLazyCore {
            memo,
            names,
            errors: HashMap::new(),
        })
    }

    #[getter]
    fn n(&self) -> usize {
        self.memo.n()
    }

    #[getter]
    fn players(&self) -> Vec<String> {
        self.memo.players().to_vec()
    }

    #[getter]
    fn kind(&self) -> &'static str {
        self.memo.kind().as_str()
    }

    #[getter]
    fn cache_path(&self) -> Option<String> {
        self.memo.cache_path().map(|p| p.display().to_string())
    }

    #[getter]
    fn evaluated(&self) -> usize {
        self.memo.evaluated()
    }

    #[getter]
    fn calls(&self) -> u64 {
        self.memo.calls()
    }

    #[getter]
    fn stopped(&self) -> bool {
        self.memo.stopped()
    }

    /// The communication graph's distinct edges as pairs of names (None without a graph).
    #[getter]
    fn graph(&self) -> Option<Vec<(String, String)>> {
        let players = self.memo.players();
        self.memo.graph().map(|g| {
            g.edges()
                .iter()
                .map(|&(i, j)| (players[i].clone(), players[j].clone()))
                .collect()
        })
    }

    /// How many model runs a plan of `masks` (every coalition if None) needs now.
    fn missing(&self, py: Python<'_>, masks: Option<PyReadonlyArray1<'_, u64>>) -> PyResult<u64> {
        let memo = &self.memo;
        Ok(match masks {
            Some(m) => {
                let m = m.as_slice()?;
                py.detach(|| memo.missing(Some(m)))?
            }
            None => py.detach(|| memo.missing(None))?,
        })
    }

    /// The cache's reports not yet shown (each once), as sentences.
    fn take_reports(&mut self) -> Vec<String> {
        self.memo
            .take_reports()
            .iter()
            .map(ToString::to_string)
            .collect()
    }

    /// The frozensets of player names of `masks`.
    fn coalitions<'py>(
        &self,
        py: Python<'py>,
        masks: Vec<u64>,
    ) -> PyResult<Vec<Bound<'py, PyFrozenSet>>> {
        masks.into_iter().map(|m| self.coalition(py, m)).collect()
    }

    /// Starts a run over `masks` (every coalition if None).
    #[pyo3(signature = (masks, max_failures=None))]
    fn plan(
        &mut self,
        masks: Option<PyReadonlyArray1<'_, u64>>,
        max_failures: Option<usize>,
    ) -> PyResult<()> {
        match masks {
            Some(m) => self.memo.plan(Some(m.as_slice()?), max_failures)?,
            None => self.memo.plan(None, max_failures)?,
        }
        Ok(())
    }

    /// Up to `k` coalitions still to evaluate (after reading what other processes stored).
    fn next_batch(&mut self, py: Python<'_>, k: usize) -> PyResult<Vec<u64>> {
        let memo = &mut self.memo;
        Ok(py.detach(|| memo.next_batch(k))?)
    }

    /// Stores a chunk's results: `outcomes[i]` is `(True, value)` or `(False, exception)`
    /// for `masks[i]`. Returns whether the run must stop (max_failures passed).
    fn land(
        &mut self,
        py: Python<'_>,
        masks: Vec<u64>,
        outcomes: Vec<(bool, Bound<'_, PyAny>)>,
    ) -> PyResult<bool> {
        if masks.len() != outcomes.len() {
            return Err(InvalidGame::new_err(format!(
                "{} masks but {} outcomes",
                masks.len(),
                outcomes.len()
            )));
        }
        for &mask in &masks {
            self.memo.check_mask(mask)?;
        }
        let all = masks
            .into_iter()
            .zip(outcomes)
            .map(|(m, (ok, obj))| (m, if ok { Ok(obj) } else { Err(obj) }))
            .collect();
        self.land_all(py, all)?;
        Ok(self.memo.stopped())
    }

    /// Evaluates the planned coalitions here, one by one, storing each result as it lands,
    /// then raises `ModelError` if any failed. KeyboardInterrupt and other exceptions that are
    /// not `Exception`s stop at once (what was stored stays stored).
    fn run(&mut self, py: Python<'_>, f: Bound<'_, PyAny>) -> PyResult<()> {
        while let Some(mask) = self.memo.next_mask()? {
            let set = self.coalition(py, mask)?;
            let outcome = match f.call1((set,)) {
                Ok(obj) => Ok(obj),
                Err(e) if e.is_instance_of::<PyException>(py) => {
                    Err(e.into_value(py).into_bound(py).into_any())
                }
                Err(e) => return Err(e),
            };
            self.land_all(py, vec![(mask, outcome)])?;
        }
        self.finish(py)
    }

    /// Ends the run: raises `ModelError` if a coalition failed.
    fn finish(&mut self, py: Python<'_>) -> PyResult<()> {
        match self.memo.finish() {
            Ok(()) => Ok(()),
            Err(e) => Err(self.model_error(py, e)?),
        }
    }

    /// The worths of `masks`, which must be known.
    fn values<'py>(
        &self,
        py: Python<'py>,
        masks: PyReadonlyArray1<'_, u64>,
    ) -> PyResult<Bound<'py, PyArray1<f64>>> {
        Ok(self.memo.values(masks.as_slice()?)?.into_pyarray(py))
    }

    /// The masks of the known coalitions (the empty one excluded), increasing.
    fn known_masks<'py>(&self, py: Python<'py>) -> Bound<'py, PyArray1<u64>> {
        self.memo.known_masks().into_pyarray(py)
    }

    /// The coalitions whose last evaluation failed: list of (frozenset, exception).
    fn failures<'py>(
        &self,
        py: Python<'py>,
    ) -> PyResult<Vec<(Bound<'py, PyFrozenSet>, Py<PyAny>)>> {
        let mut out = Vec::new();
        for (m, _) in self.memo.failures() {
            if let Some(exc) = self.errors.get(&m) {
                out.push((self.coalition(py, m)?, exc.clone_ref(py)));
            }
        }
        Ok(out)
    }

    /// Checks the memory for `to_game` and switches to one dense array of values.
    fn prepare_dense(&mut self) -> PyResult<()> {
        Ok(self.memo.prepare_dense()?)
    }

    /// The dense game, once every coalition is known.
    fn to_game(&self, py: Python<'_>) -> PyResult<PyGameCore> {
        let memo = &self.memo;
        Ok(PyGameCore::wrap(py.detach(|| memo.dense_game())?))
    }

    /// Flushes the cache file to the disk (also done at most once a second and at the end).
    fn sync(&mut self) -> PyResult<()> {
        Ok(self.memo.sync()?)
    }
}
