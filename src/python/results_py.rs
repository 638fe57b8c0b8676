//! Typed results across the boundary: each is a frozen pyclass built `From` the Rust result
//! (the way Clarabel exposes its solution), read by attribute name in
//! `python/coalitional/`, never unpacked by position.

use numpy::{IntoPyArray, PyArray1};
use pyo3::prelude::*;

use crate::settle::{self, Blocking, Payment, Rule, Settlement};
use crate::solution::closest::{ClosestPoint, Target};
use crate::solution::core::LeastCore;
use crate::solution::marginals::Marginal;

/// One payment of a settlement: `payer` gives `amount` to `payee`.
#[pyclass(
    name = "PaymentCore",
    module = "coalitional._coalitional",
    frozen,
    get_all
)]
pub(crate) struct PyPayment {
    payer: String,
    payee: String,
    amount: f64,
}

impl From<&Payment> for PyPayment {
    fn from(p: &Payment) -> Self {
        PyPayment {
            payer: p.payer.clone(),
            payee: p.payee.clone(),
            amount: p.amount,
        }
    }
}

/// A coalition with its worth, what the target gives it, and its excess.
#[pyclass(
    name = "BlockingCore",
    module = "coalitional._coalitional",
    frozen,
    get_all
)]
pub(crate) struct PyBlocking {
    members: Vec<String>,
    worth: f64,
    allocated: f64,
    excess: f64,
}

impl From<&Blocking> for PyBlocking {
    fn from(b: &Blocking) -> Self {
        PyBlocking {
            members: b.members.clone(),
            worth: b.worth,
            allocated: b.allocated,
            excess: b.excess,
        }
    }
}

/// One marginal contribution: what `player` adds by joining the members `joins`, and the
/// weight of that contribution in the Shapley value.
#[pyclass(
    name = "MarginalCore",
    module = "coalitional._coalitional",
    frozen,
    get_all
)]
pub(crate) struct PyMarginal {
    player: String,
    joins: Vec<String>,
    marginal: f64,
    weight: f64,
}

impl From<&Marginal> for PyMarginal {
    fn from(m: &Marginal) -> Self {
        PyMarginal {
            player: m.player.clone(),
            joins: m.joins.clone(),
            marginal: m.marginal,
            weight: m.weight,
        }
    }
}

/// A settlement as computed by Rust (`crate::settle::Settlement`); `coalitional.Settlement`
/// labels it.
#[pyclass(name = "SettlementCore", module = "coalitional._coalitional", frozen)]
pub(crate) struct PySettlement {
    inner: Settlement,
}

impl From<Settlement> for PySettlement {
    fn from(inner: Settlement) -> Self {
        PySettlement { inner }
    }
}

#[pymethods]
impl PySettlement {
    /// What each player gets today.
    #[getter]
    fn status_quo<'py>(&self, py: Python<'py>) -> Bound<'py, PyArray1<f64>> {
        self.inner.status_quo.values().to_vec().into_pyarray(py)
    }

    /// Target minus status quo per player.
    #[getter]
    fn net<'py>(&self, py: Python<'py>) -> Bound<'py, PyArray1<f64>> {
        self.inner.net.values().to_vec().into_pyarray(py)
    }

    /// Sum of the target minus sum of the status quo.
    #[getter]
    fn gap(&self) -> f64 {
        self.inner.gap
    }

    /// Who pays whom.
    #[getter]
    fn payments(&self) -> Vec<PyPayment> {
        self.inner.payments.iter().map(PyPayment::from).collect()
    }

    /// Players the target leaves worse off than alone.
    #[getter]
    fn below_standalone(&self) -> Vec<String> {
        self.inner.below_standalone.clone()
    }

    /// Whether the target is in the core.
    #[getter]
    fn in_core(&self) -> bool {
        self.inner.in_core
    }

    /// The coalitions with the largest excess at the target, largest first.
    #[getter]
    fn blocking(&self) -> Vec<PyBlocking> {
        self.inner.blocking.iter().map(PyBlocking::from).collect()
    }

    /// The cost of stability of the game.
    #[getter]
    fn cost_of_stability(&self) -> f64 {
        self.inner.cost_of_stability
    }

    /// The settlement as the Rust crate prints it (`Display`).
    fn __str__(&self) -> String {
        self.inner.to_string()
    }
}

/// The least core as computed by Rust: `epsilon` and one allocation attaining it.
#[pyclass(name = "LeastCoreCore", module = "coalitional._coalitional", frozen)]
pub(crate) struct PyLeastCore {
    inner: LeastCore,
}

impl From<LeastCore> for PyLeastCore {
    fn from(inner: LeastCore) -> Self {
        PyLeastCore { inner }
    }
}

#[pymethods]
impl PyLeastCore {
    /// The least epsilon; nonpositive iff the core is nonempty.
    #[getter]
    fn epsilon(&self) -> f64 {
        self.inner.epsilon
    }

    /// An allocation attaining it.
    #[getter]
    fn allocation<'py>(&self, py: Python<'py>) -> Bound<'py, PyArray1<f64>> {
        self.inner.allocation.values().to_vec().into_pyarray(py)
    }
}

/// The stable split nearest a reference, as computed by Rust.
#[pyclass(name = "ClosestPointCore", module = "coalitional._coalitional", frozen)]
pub(crate) struct PyClosestPoint {
    inner: ClosestPoint,
}

impl From<ClosestPoint> for PyClosestPoint {
    fn from(inner: ClosestPoint) -> Self {
        PyClosestPoint { inner }
    }
}

#[pymethods]
impl PyClosestPoint {
    /// The nearest stable allocation within the bounds.
    #[getter]
    fn allocation<'py>(&self, py: Python<'py>) -> Bound<'py, PyArray1<f64>> {
        self.inner.allocation.values().to_vec().into_pyarray(py)
    }

    /// The reference.
    #[getter]
    fn reference<'py>(&self, py: Python<'py>) -> Bound<'py, PyArray1<f64>> {
        self.inner.reference.values().to_vec().into_pyarray(py)
    }

    /// "l1", "l2" or "linf".
    #[getter]
    fn norm(&self) -> &'static str {
        self.inner.norm.name()
    }

    /// The distance in that norm.
    #[getter]
    fn distance(&self) -> f64 {
        self.inner.distance
    }

    /// "core", or "least_core" when the core is empty.
    #[getter]
    fn target(&self) -> &'static str {
        match self.inner.target {
            Target::Core => "core",
            Target::LeastCore { .. } => "least_core",
        }
    }

    /// The least core's epsilon when it stood in for an empty core, else None.
    #[getter]
    fn epsilon(&self) -> Option<f64> {
        match self.inner.target {
            Target::Core => None,
            Target::LeastCore { epsilon } => Some(epsilon),
        }
    }

    fn __str__(&self) -> String {
        self.inner.to_string()
    }
}

/// The canonical name and the label of a rule given by name (any case; `-` or space for
/// `_`; `tau_value` for `tau`): parsing is Rust's ([`Rule`]'s `FromStr`).
#[pyfunction]
pub(crate) fn rule_label(name: &str) -> PyResult<&'static str> {
    Ok(name.parse::<Rule>()?.label())
}

/// `values` as people see them, by the crate's one rule (`src/display.rs`). With
/// `resolution` (the game's tolerance), each keeps the decimals the resolution supports and
/// whole numbers are snapped within it; values within `resolution` of one another print
/// identically. Otherwise they are rounded together at their common scale (10 significant
/// digits), `scale` being the magnitude of other numbers shown alongside. `-0` is never shown.
#[pyfunction]
#[pyo3(signature = (values, scale=None, resolution=None))]
pub(crate) fn shown_numbers(
    values: Vec<f64>,
    scale: Option<f64>,
    resolution: Option<f64>,
) -> Vec<String> {
    match resolution {
        Some(r) => crate::display::shown_at(&values, r),
        None => crate::display::shown_together(&values, scale),
    }
}

/// The names of the rules a settlement can target, in order.
pub(crate) fn rule_names() -> Vec<&'static str> {
    settle::Rule::ALL.iter().map(|r| r.name()).collect()
}
