//! Network and production games (spanning tree, induced subgraph, linear production):
//! conversion and error mapping only.

use numpy::{IntoPyArray, PyArray1, PyReadonlyArray1};
use pyo3::prelude::*;

use crate::classes::induced_subgraph::InducedSubgraph;
use crate::classes::production::LinearProduction;
use crate::classes::spanning_tree::SpanningTree;
use crate::python::classes_py::worths;
use crate::python::game_py::{detach_interruptible, PyGameCore};

/// A minimum-cost spanning tree game.
#[pyclass(name = "SpanningTreeCore", module = "coalitional._coalitional", frozen)]
pub(crate) struct PySpanningTree {
    inner: SpanningTree,
}

#[pymethods]
impl PySpanningTree {
    #[new]
    #[pyo3(signature = (costs, players=None, source=None))]
    fn new(
        costs: Vec<Vec<f64>>,
        players: Option<Vec<String>>,
        source: Option<String>,
    ) -> PyResult<Self> {
        Ok(PySpanningTree {
            inner: SpanningTree::new(costs, players, source)?,
        })
    }

    #[getter]
    fn players(&self) -> Vec<String> {
        self.inner.players().to_vec()
    }

    #[getter]
    fn source(&self) -> String {
        self.inner.source().to_string()
    }

    #[getter]
    fn costs(&self) -> Vec<Vec<f64>> {
        self.inner.costs()
    }

    fn value(&self, names: Vec<String>) -> PyResult<f64> {
        Ok(self.inner.value_of(&names)?)
    }

    fn worths<'py>(
        &self,
        py: Python<'py>,
        masks: PyReadonlyArray1<'_, u64>,
    ) -> PyResult<Bound<'py, PyArray1<f64>>> {
        worths(py, &self.inner, masks)
    }

    fn bird<'py>(&self, py: Python<'py>) -> Bound<'py, PyArray1<f64>> {
        self.inner.bird().into_values().into_pyarray(py)
    }

    /// `(parent index or None for the source, child index, cost)` per edge, in Prim's order.
    fn minimum_spanning_tree(&self) -> Vec<(Option<usize>, usize, f64)> {
        self.inner
            .minimum_spanning_tree()
            .into_iter()
            .map(|e| (e.parent, e.child, e.cost))
            .collect()
    }

    fn to_game(&self, py: Python<'_>) -> PyResult<PyGameCore> {
        let inner = &self.inner;
        Ok(PyGameCore::wrap(detach_interruptible(py, || {
            inner.to_game()
        })?))
    }

    fn describe(&self) -> String {
        self.inner.to_string()
    }
}

/// An induced subgraph game.
#[pyclass(
    name = "InducedSubgraphCore",
    module = "coalitional._coalitional",
    frozen
)]
pub(crate) struct PyInducedSubgraph {
    inner: InducedSubgraph,
}

#[pymethods]
impl PyInducedSubgraph {
    #[new]
    fn new(edges: Vec<(String, String, f64)>, players: Vec<String>) -> PyResult<Self> {
        Ok(PyInducedSubgraph {
            inner: InducedSubgraph::new(edges, players)?,
        })
    }

    #[getter]
    fn players(&self) -> Vec<String> {
        self.inner.players().to_vec()
    }

    /// `(a, b, weight)` by player index, `a < b`, in the order given.
    #[getter]
    fn edges(&self) -> Vec<(usize, usize, f64)> {
        self.inner.edges().to_vec()
    }

    fn value(&self, names: Vec<String>) -> PyResult<f64> {
        Ok(self.inner.value_of(&names)?)
    }

    fn worths<'py>(
        &self,
        py: Python<'py>,
        masks: PyReadonlyArray1<'_, u64>,
    ) -> PyResult<Bound<'py, PyArray1<f64>>> {
        worths(py, &self.inner, masks)
    }

    fn shapley<'py>(&self, py: Python<'py>) -> Bound<'py, PyArray1<f64>> {
        self.inner.shapley().into_values().into_pyarray(py)
    }

    fn is_convex(&self) -> bool {
        self.inner.is_convex()
    }

    fn to_game(&self, py: Python<'_>) -> PyResult<PyGameCore> {
        let inner = &self.inner;
        Ok(PyGameCore::wrap(detach_interruptible(py, || {
            inner.to_game()
        })?))
    }

    fn describe(&self) -> String {
        self.inner.to_string()
    }
}

/// A linear production game.
#[pyclass(
    name = "LinearProductionCore",
    module = "coalitional._coalitional",
    frozen
)]
pub(crate) struct PyLinearProduction {
    inner: LinearProduction,
}

#[pymethods]
impl PyLinearProduction {
    #[new]
    #[pyo3(signature = (technology, prices, resources, players=None))]
    fn new(
        technology: Vec<Vec<f64>>,
        prices: Vec<f64>,
        resources: Vec<Vec<f64>>,
        players: Option<Vec<String>>,
    ) -> PyResult<Self> {
        Ok(PyLinearProduction {
            inner: LinearProduction::new(technology, prices, resources, players)?,
        })
    }

    #[getter]
    fn players(&self) -> Vec<String> {
        self.inner.players().to_vec()
    }

    #[getter]
    fn technology(&self) -> Vec<Vec<f64>> {
        self.inner.technology().to_vec()
    }

    #[getter]
    fn prices(&self) -> Vec<f64> {
        self.inner.prices().to_vec()
    }

    #[getter]
    fn resources(&self) -> Vec<Vec<f64>> {
        self.inner.resources().to_vec()
    }

    fn value(&self, py: Python<'_>, names: Vec<String>) -> PyResult<f64> {
        let inner = &self.inner;
        detach_interruptible(py, || inner.value_of(&names))
    }

    fn worths<'py>(
        &self,
        py: Python<'py>,
        masks: PyReadonlyArray1<'_, u64>,
    ) -> PyResult<Bound<'py, PyArray1<f64>>> {
        worths(py, &self.inner, masks)
    }

    fn production_plan(&self, py: Python<'_>, names: Vec<String>) -> PyResult<Vec<f64>> {
        let inner = &self.inner;
        detach_interruptible(py, || inner.production_plan_of(&names))
    }

    fn shadow_prices(&self, py: Python<'_>) -> PyResult<Vec<f64>> {
        let inner = &self.inner;
        detach_interruptible(py, || inner.shadow_prices())
    }

    fn shadow_price_allocation<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyArray1<f64>>> {
        let inner = &self.inner;
        let x = detach_interruptible(py, || inner.shadow_price_allocation())?;
        Ok(x.into_values().into_pyarray(py))
    }

    fn to_game(&self, py: Python<'_>) -> PyResult<PyGameCore> {
        let inner = &self.inner;
        Ok(PyGameCore::wrap(detach_interruptible(py, || {
            inner.to_game()
        })?))
    }

    fn describe(&self) -> String {
        self.inner.to_string()
    }
}

/// Adds the classes to the module.
pub(crate) fn register(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add_class::<PySpanningTree>()?;
    m.add_class::<PyInducedSubgraph>()?;
    m.add_class::<PyLinearProduction>()?;
    Ok(())
}
