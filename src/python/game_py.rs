//! `GameCore`: the native game behind `coalitional.Game`.
//!
//! Every call that can take long runs without the GIL and can be interrupted by Ctrl-C
//! ([`detach_interruptible`], see `crate::cancel`); conversions of large inputs copy without
//! the GIL too, into memory allocated fallibly ([`Error::TooLarge`], never an abort), and
//! `values()` is a read-only view of the game's own memory, not a copy.

use std::cell::RefCell;
use std::rc::Rc;
use std::sync::Arc;
use std::sync::OnceLock;

use numpy::ndarray::{Array2, ArrayView1};
use numpy::{IntoPyArray, PyArray1, PyArray2, PyArrayMethods, PyReadonlyArray1};
use pyo3::prelude::*;
use pyo3::types::{PyDict, PyFrozenSet};

use crate::cancel;
use crate::error::Error;
use crate::format::{self, Metadata};
use crate::game::{default_players, Game, Kind};
use crate::memory;
use crate::progress::{Progress, Snapshot};
use crate::python::errors::InvalidGame;
use crate::python::results_py::{PyClosestPoint, PyLeastCore, PyMarginal, PySettlement};
use crate::python::sensitivity_py::PySensitivity;
use crate::settle;
use crate::solution::bounds::Bounds;
use crate::solution::closest::Norm;
use crate::solution::sensitivity::Concept;
use crate::solution::Allocation;

/// A validated, immutable dense game. Users see it through `coalitional.Game`.
#[pyclass(name = "GameCore", module = "coalitional._coalitional", frozen)]
pub(crate) struct PyGameCore {
    game: Game,
    /// [`Game::tolerance`] and [`Game::spread`], each a pass over the 2^n values, computed
    /// once: every displayed number of a report asks for the tolerance, and the game never
    /// changes.
    tolerance: OnceLock<f64>,
    spread: OnceLock<f64>,
}

impl PyGameCore {
    /// Wraps a built game.
    pub(crate) fn wrap(game: Game) -> Self {
        PyGameCore {
            game,
            tolerance: OnceLock::new(),
            spread: OnceLock::new(),
        }
    }

    /// The game it wraps.
    pub(crate) fn game(&self) -> &Game {
        &self.game
    }
}

/// The value in `cell`, computed by `f` without the GIL the first time. Not
/// `OnceLock::get_or_init`: a second thread waiting on the lock would hold the GIL that the
/// first needs back; two threads at once compute the same number twice instead.
fn cached(py: Python<'_>, cell: &OnceLock<f64>, f: impl FnOnce() -> f64 + Send) -> f64 {
    if let Some(&v) = cell.get() {
        return v;
    }
    let v = py.detach(f);
    *cell.get_or_init(|| v)
}

/// Runs `f` without the GIL, interruptible by Ctrl-C.
///
/// `f` runs in a cancellation scope (see `crate::cancel`) whose poll attaches to the
/// interpreter at most every `cancel::POLL_INTERVAL` (50 ms) and runs Python's signal handlers
/// (`PyErr_CheckSignals`). When a handler raises (SIGINT's raises `KeyboardInterrupt`), the
/// scope is cancelled, every loop of `f` (and its worker threads) stops at its next check, and
/// that very exception is raised here, whatever `f` returned: a signal that was handled is
/// never lost. Calls shorter than the interval never re-attach. Python runs signal handlers on
/// the main thread only, so on other threads the poll turns itself off after its first run.
pub(crate) fn detach_interruptible<T, F>(py: Python<'_>, f: F) -> PyResult<T>
where
    T: Send,
    F: FnOnce() -> Result<T, Error> + Send,
{
    detach_reporting(py, None, f)
}

/// [`detach_interruptible`], telling `progress` (when given) how far `f` has come.
///
/// `f` then runs with a [`Progress`] record in scope (see `crate::progress`), and the poll
/// that checks for signals, every `cancel::POLL_INTERVAL` while `f` runs (on any thread, not
/// only the main one), also calls `progress(done, total, stage)` (`total` and `stage` may be
/// None) when the record has changed since it last did; once more at the end when `f`
/// succeeds. An exception of `progress` stops `f` as a signal handler's does, and is raised.
/// Without `progress` nothing of this runs: the computation reports to no record.
pub(crate) fn detach_reporting<T, F>(
    py: Python<'_>,
    progress: Option<&Bound<'_, PyAny>>,
    f: F,
) -> PyResult<T>
where
    T: Send,
    F: FnOnce() -> Result<T, Error> + Send,
{
    let listener = progress.map(|cb| (Arc::new(cb.clone().unbind()), Progress::new()));
    let watched = listener.clone();
    let (out, raised) = py.detach(move || {
        let raised: Rc<RefCell<Option<PyErr>>> = Rc::default();
        let signals = signal_poll(raised.clone());
        let out = match watched {
            None => cancel::with_poll(signals, f),
            Some((callback, record)) => {
                let poll = reporting_poll(signals, callback, record.clone(), raised.clone());
                record.run(|| cancel::with_poll(poll, f))
            }
        };
        let raised = raised.borrow_mut().take();
        (out, raised)
    });
    if let Some(err) = raised {
        return Err(err);
    }
    let out = out?;
    if let Some((callback, record)) = listener {
        report(py, &callback, &record.snapshot())?;
    }
    Ok(out)
}

/// Calls the progress callback with a snapshot: `callback(done, total, stage)`.
fn report(py: Python<'_>, callback: &Py<PyAny>, now: &Snapshot) -> PyResult<()> {
    callback
        .bind(py)
        .call1((now.done, now.total, now.stage.as_deref()))
        .map(drop)
}

/// The poll of [`detach_reporting`]: `signals` first, then the progress callback when the
/// record has changed; true (stop) when either raised, with the exception kept in `raised`.
fn reporting_poll(
    mut signals: Box<dyn FnMut() -> bool>,
    callback: Arc<Py<PyAny>>,
    record: Progress,
    raised: Rc<RefCell<Option<PyErr>>>,
) -> Box<dyn FnMut() -> bool> {
    let mut last: Option<Snapshot> = None;
    Box::new(move || {
        if signals() {
            return true;
        }
        let now = record.snapshot();
        if last.as_ref() == Some(&now) {
            return false;
        }
        let outcome = Python::try_attach(|py| report(py, &callback, &now));
        last = Some(now);
        match outcome {
            Some(Err(err)) => {
                *raised.borrow_mut() = Some(err);
                true
            }
            Some(Ok(())) | None => false,
        }
    })
}

/// The poll of [`detach_interruptible`]: true (stop) when a signal handler raised, with the
/// exception kept in `raised`.
///
/// Whether this is the main thread is asked once, after the first signal check and with any
/// exception kept too: asking runs Python code, during which a pending signal's handler may
/// run and raise, and that exception must not be lost.
fn signal_poll(raised: Rc<RefCell<Option<PyErr>>>) -> Box<dyn FnMut() -> bool> {
    let mut main_thread: Option<bool> = None;
    Box::new(move || {
        if main_thread == Some(false) {
            return false;
        }
        let outcome = Python::try_attach(|py| -> PyResult<()> {
            py.check_signals()?;
            if main_thread.is_none() {
                main_thread = Some(is_main_thread(py)?);
            }
            Ok(())
        });
        match outcome {
            Some(Err(err)) => {
                *raised.borrow_mut() = Some(err);
                true
            }
            Some(Ok(())) | None => false,
        }
    })
}

/// Whether this is Python's main thread, the one that runs signal handlers (on the others,
/// checking for signals does nothing).
fn is_main_thread(py: Python<'_>) -> PyResult<bool> {
    let threading = py.import("threading")?;
    let main = threading.call_method0("main_thread")?;
    Ok(main.is(threading.call_method0("current_thread")?))
}

/// Values copied per step of [`copy_values`] (8 MiB), between two cancellation checks.
const COPY_CHUNK: usize = 1 << 20;

/// A copy of `view` (the `2^n` values of a game of `n` players), allocated fallibly
/// ([`Error::TooLarge`]) and checking for cancellation between chunks; runs without the GIL.
fn copy_values(view: ArrayView1<'_, f64>, n: usize) -> Result<Vec<f64>, Error> {
    let mut out: Vec<f64> = memory::try_with_capacity(view.len(), n)?;
    match view.as_slice() {
        Some(slice) => {
            for chunk in slice.chunks(COPY_CHUNK) {
                cancel::check()?;
                out.extend_from_slice(chunk);
            }
        }
        None => {
            for (k, &v) in view.iter().enumerate() {
                if k.is_multiple_of(COPY_CHUNK) {
                    cancel::check()?;
                }
                out.push(v);
            }
        }
    }
    Ok(out)
}

/// A vector with room for `len` elements, or `refused` when the system will not provide the
/// memory (a container or address-space limit): never an abort.
pub(crate) fn try_vec<T>(len: usize, refused: impl FnOnce() -> Error) -> Result<Vec<T>, Error> {
    let mut v = Vec::new();
    v.try_reserve_exact(len).map_err(|_| refused())?;
    Ok(v)
}

/// An allocation-sized float array (one entry per player) as a vector: its length is checked
/// before anything is copied, so a huge array costs no memory.
fn allocation_vector(x: &PyReadonlyArray1<'_, f64>, n: usize) -> Result<Vec<f64>, Error> {
    let view = x.as_array();
    if view.len() != n {
        return Err(Error::AllocationLength { got: view.len(), n });
    }
    Ok(view.to_vec())
}

fn kind_of(kind: &str) -> Result<Kind, Error> {
    kind.parse()
}

fn array<'py>(py: Python<'py>, v: Vec<f64>) -> Bound<'py, PyArray1<f64>> {
    v.into_pyarray(py)
}

#[pymethods]
impl PyGameCore {
    /// Game from a float64 array of 2**n values indexed by bit mask.
    ///
    /// The values are copied and validated without the GIL (the array stays borrowed read-only
    /// meanwhile; see rust-numpy's borrow rules: a Python thread that writes into the array at
    /// the same time gets no guarantee about what is copied), into memory allocated fallibly
    /// (GameTooLarge), and the copy can be interrupted by Ctrl-C.
    #[new]
    #[pyo3(signature = (values, players=None, kind="value"))]
    fn new(
        py: Python<'_>,
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
        let players = players.unwrap_or_else(|| default_players(n));
        let view = values.as_array();
        let game = detach_interruptible(py, move || {
            Game::with_kind(players, copy_values(view, n)?, kind)
        })?;
        Ok(PyGameCore::wrap(game))
    }

    /// Game from (members, value) pairs covering every nonempty coalition (a sequence); the
    /// list of pairs is allocated fallibly (GameTooLarge), and the game built without the GIL.
    #[staticmethod]
    #[pyo3(signature = (players, entries, kind="value"))]
    fn from_coalitions(
        py: Python<'_>,
        players: Vec<String>,
        entries: Bound<'_, PyAny>,
        kind: &str,
    ) -> PyResult<Self> {
        let kind = kind_of(kind)?;
        let n = players.len();
        let count = entries.len()?;
        let mut pairs: Vec<(Vec<String>, f64)> =
            try_vec(count, || memory::refused::<(Vec<String>, f64)>(count, n))?;
        for entry in entries.try_iter()? {
            pairs.push(entry?.extract()?);
        }
        let game = py.detach(move || Game::from_coalitions(players, kind, pairs))?;
        Ok(PyGameCore::wrap(game))
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
        Ok(PyGameCore::wrap(game))
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

    /// The 2**n values as a read-only float64 array that is a view of the game's own memory,
    /// not a copy: its base is this GameCore (kept alive by it), its WRITEABLE flag is clear,
    /// and numpy refuses to set it again (the base exposes no writeable buffer).
    fn values<'py>(slf: &Bound<'py, Self>) -> PyResult<Bound<'py, PyArray1<f64>>> {
        let view = ArrayView1::from(slf.get().game.values());
        // SAFETY: the array points into the game's values, which are never written, moved or
        // freed while the GameCore lives (`Game` is immutable, the pyclass frozen), and the
        // array holds the GameCore as its base, so it cannot outlive them.
        let array = unsafe { PyArray1::borrow_from_array(&view, slf.clone().into_any()) };
        array.try_readwrite()?.make_nonwriteable();
        Ok(array)
    }

    /// The worth of the coalition of the named players.
    fn value(&self, names: Vec<String>) -> PyResult<f64> {
        Ok(self.game.value_of(&names)?)
    }

    /// The Shapley value; `progress(done, total, stage)` hears how far it has come (see
    /// `detach_reporting`), here and in the other methods with a `progress` keyword.
    #[pyo3(signature = (*, progress=None))]
    fn shapley<'py>(
        &self,
        py: Python<'py>,
        progress: Option<Bound<'py, PyAny>>,
    ) -> PyResult<Bound<'py, PyArray1<f64>>> {
        let game = &self.game;
        let phi = detach_reporting(py, progress.as_ref(), || game.try_shapley())?;
        Ok(array(py, phi.into_values()))
    }

    /// The table `d x_i / d v(S)` of a linear value named by `concept` (parsed in Rust).
    fn sensitivity(&self, py: Python<'_>, concept: &str) -> PyResult<PySensitivity> {
        let concept: Concept = concept.parse()?;
        let game = &self.game;
        Ok(detach_interruptible(py, || game.sensitivity(concept))?.into())
    }

    #[pyo3(signature = (normalized=false, *, progress=None))]
    fn banzhaf<'py>(
        &self,
        py: Python<'py>,
        normalized: bool,
        progress: Option<Bound<'py, PyAny>>,
    ) -> PyResult<Bound<'py, PyArray1<f64>>> {
        let game = &self.game;
        let result = detach_reporting(py, progress.as_ref(), || {
            if normalized {
                game.banzhaf_normalized()
            } else {
                game.try_banzhaf()
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
        detach_interruptible(py, || game.is_superadditive())
    }

    #[pyo3(signature = (*, progress=None))]
    fn is_convex(&self, py: Python<'_>, progress: Option<Bound<'_, PyAny>>) -> PyResult<bool> {
        let game = &self.game;
        detach_reporting(py, progress.as_ref(), || game.try_is_convex())
    }

    #[pyo3(signature = (*, progress=None))]
    fn is_monotone(&self, py: Python<'_>, progress: Option<Bound<'_, PyAny>>) -> PyResult<bool> {
        let game = &self.game;
        detach_reporting(py, progress.as_ref(), || game.try_is_monotone())
    }

    fn is_essential(&self) -> bool {
        self.game.is_essential()
    }

    /// (epsilon, allocation) of the least core, within `bounds` (`(name, floor, cap)`
    /// entries) if given.
    #[pyo3(signature = (*, bounds=None, progress=None))]
    fn least_core(
        &self,
        py: Python<'_>,
        bounds: Option<Vec<NamedBound>>,
        progress: Option<Bound<'_, PyAny>>,
    ) -> PyResult<PyLeastCore> {
        let game = &self.game;
        let bounds = named_bounds(game, bounds)?;
        let lc = detach_reporting(py, progress.as_ref(), || match &bounds {
            Some(b) => game.least_core_within(b),
            None => game.least_core(),
        })?;
        Ok(lc.into())
    }

    #[pyo3(signature = (*, bounds=None, progress=None))]
    fn nucleolus<'py>(
        &self,
        py: Python<'py>,
        bounds: Option<Vec<NamedBound>>,
        progress: Option<Bound<'py, PyAny>>,
    ) -> PyResult<Bound<'py, PyArray1<f64>>> {
        let game = &self.game;
        let bounds = named_bounds(game, bounds)?;
        let x = detach_reporting(py, progress.as_ref(), || match &bounds {
            Some(b) => game.nucleolus_within(b),
            None => game.nucleolus(),
        })?;
        Ok(array(py, x.into_values()))
    }

    #[pyo3(signature = (*, bounds=None, progress=None))]
    fn prenucleolus<'py>(
        &self,
        py: Python<'py>,
        bounds: Option<Vec<NamedBound>>,
        progress: Option<Bound<'py, PyAny>>,
    ) -> PyResult<Bound<'py, PyArray1<f64>>> {
        let game = &self.game;
        let bounds = named_bounds(game, bounds)?;
        let x = detach_reporting(py, progress.as_ref(), || match &bounds {
            Some(b) => game.prenucleolus_within(b),
            None => game.prenucleolus(),
        })?;
        Ok(array(py, x.into_values()))
    }

    /// The stable allocation nearest `reference` in `norm` ("l1", "l2", "linf"), within
    /// `bounds` if given.
    #[pyo3(signature = (reference, norm="l2", *, bounds=None, progress=None))]
    fn closest_core_point(
        &self,
        py: Python<'_>,
        reference: PyReadonlyArray1<'_, f64>,
        norm: &str,
        bounds: Option<Vec<NamedBound>>,
        progress: Option<Bound<'_, PyAny>>,
    ) -> PyResult<PyClosestPoint> {
        let game = &self.game;
        let norm: Norm = norm.parse()?;
        let bounds = named_bounds(game, bounds)?;
        let reference = reference.as_slice()?.to_vec();
        let p = detach_reporting(py, progress.as_ref(), || {
            game.closest_core_point(&reference, norm, bounds.as_ref())
        })?;
        Ok(p.into())
    }

    fn tau_value<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyArray1<f64>>> {
        let game = &self.game;
        let tau = detach_interruptible(py, || game.tau_value())?;
        Ok(array(py, tau.into_values()))
    }

    /// The core's vertices as a (k, n) array, rows in lexicographic order.
    fn core_vertices<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyArray2<f64>>> {
        let game = &self.game;
        let n = game.n();
        let vertices = detach_interruptible(py, || game.core_vertices())?;
        let k = vertices.len();
        let flat: Vec<f64> = vertices.into_iter().flat_map(|a| a.into_values()).collect();
        let grid = Array2::from_shape_vec((k, n), flat).map_err(|e| {
            Error::numerical(
                "the list of core vertices",
                format!("the vertices do not form a {k} x {n} table: {e}"),
            )
        })?;
        Ok(grid.into_pyarray(py))
    }

    /// The Owen value for unions given by player names.
    fn owen<'py>(
        &self,
        py: Python<'py>,
        unions: Vec<Vec<String>>,
    ) -> PyResult<Bound<'py, PyArray1<f64>>> {
        let game = &self.game;
        let x = detach_interruptible(py, || game.owen_by_name(&unions))?;
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
    ) -> PyResult<PySettlement> {
        let game = &self.game;
        let labelled = |v: &PyReadonlyArray1<'_, f64>| -> PyResult<Allocation> {
            let v = allocation_vector(v, game.n())?;
            Ok(Allocation::new(game.players().to_vec(), v, game.kind())?)
        };
        let target = labelled(&target)?;
        let status_quo = status_quo.map(|sq| labelled(&sq)).transpose()?;
        let s = detach_interruptible(py, || {
            settle::settle(game, &target, status_quo.as_ref(), top)
        })?;
        Ok(s.into())
    }

    /// The allocation of a named rule (shapley, nucleolus, prenucleolus, tau, least_core).
    fn rule<'py>(&self, py: Python<'py>, name: &str) -> PyResult<Bound<'py, PyArray1<f64>>> {
        let rule: settle::Rule = name.parse()?;
        let game = &self.game;
        let x = detach_interruptible(py, || rule.apply(game))?;
        Ok(array(py, x.into_values()))
    }

    #[pyo3(signature = (*, progress=None))]
    fn core_is_empty(&self, py: Python<'_>, progress: Option<Bound<'_, PyAny>>) -> PyResult<bool> {
        let game = &self.game;
        detach_reporting(py, progress.as_ref(), || game.core_is_empty())
    }

    #[pyo3(signature = (x, tol=None))]
    fn in_core(
        &self,
        py: Python<'_>,
        x: PyReadonlyArray1<'_, f64>,
        tol: Option<f64>,
    ) -> PyResult<bool> {
        let game = &self.game;
        let x = allocation_vector(&x, game.n())?;
        detach_interruptible(py, || {
            game.in_core(&x, tol.unwrap_or_else(|| game.tolerance()))
        })
    }

    /// Each player's `top` largest marginal contributions, largest first (one list per
    /// player, in player order).
    fn largest_marginals(&self, py: Python<'_>, top: usize) -> PyResult<Vec<Vec<PyMarginal>>> {
        let game = &self.game;
        let lists = detach_interruptible(py, || game.largest_marginals(top))?;
        Ok(lists
            .iter()
            .map(|l| l.iter().map(PyMarginal::from).collect())
            .collect())
    }

    fn tolerance(&self, py: Python<'_>) -> f64 {
        let game = &self.game;
        cached(py, &self.tolerance, || game.tolerance())
    }

    fn spread(&self, py: Python<'_>) -> f64 {
        let game = &self.game;
        cached(py, &self.spread, || game.spread())
    }

    #[pyo3(signature = (*, progress=None))]
    fn cost_of_stability(
        &self,
        py: Python<'_>,
        progress: Option<Bound<'_, PyAny>>,
    ) -> PyResult<f64> {
        let game = &self.game;
        detach_reporting(py, progress.as_ref(), || game.cost_of_stability())
    }

    fn savings(&self, py: Python<'_>) -> PyGameCore {
        let game = &self.game;
        PyGameCore::wrap(py.detach(|| game.savings()))
    }

    /// JSON text of the game with optional metadata, written without the GIL.
    #[pyo3(signature = (name=None, description=None, source=None))]
    fn to_json(
        &self,
        py: Python<'_>,
        name: Option<String>,
        description: Option<String>,
        source: Option<String>,
    ) -> String {
        let meta = Metadata {
            name,
            description,
            source,
        };
        let game = &self.game;
        py.detach(|| format::write_game(game, &meta))
    }
}

/// Parses JSON text in either form into (native game, metadata dict), without the GIL: a
/// GameCore for the dense form, the class's core for the class form.
#[pyfunction]
#[pyo3(name = "read_game")]
pub(crate) fn read_game_py<'py>(
    py: Python<'py>,
    text: &str,
) -> PyResult<(Bound<'py, PyAny>, Bound<'py, PyDict>)> {
    let (game, meta) = py.detach(|| format::read_json(text))?;
    let dict = PyDict::new(py);
    dict.set_item("name", meta.name)?;
    dict.set_item("description", meta.description)?;
    dict.set_item("source", meta.source)?;
    Ok((crate::python::classes_py::native_game(py, game)?, dict))
}

/// Raises GameTooLarge if `copies` dense arrays of 2**n values would not fit in memory.
#[pyfunction]
#[pyo3(name = "check_dense", signature = (n, copies=1))]
pub(crate) fn check_dense_py(n: usize, copies: u32) -> PyResult<()> {
    Ok(memory::check_dense(n, copies)?)
}

/// A policy bound as Python passes it: `(player name, floor or None, cap or None)`.
type NamedBound = (String, Option<f64>, Option<f64>);

/// `bounds` by player name as [`Bounds`] (names resolved and checked by Rust).
fn named_bounds(game: &Game, bounds: Option<Vec<NamedBound>>) -> PyResult<Option<Bounds>> {
    Ok(bounds
        .map(|entries| Bounds::named(game.players(), &entries))
        .transpose()?)
}
