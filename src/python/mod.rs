//! Python bindings (feature `python`): conversion and error mapping only, no game logic.
//!
//! The compiled module is `coalitional._coalitional`; the public Python API lives in
//! `python/coalitional/`, which wraps these classes in `Game` and `Allocation`.

mod cases_py;
mod classes_py;
mod convex_py;
mod errors;
mod game_py;
mod graphgames_py;
mod interval_py;
mod lazy_py;
mod network_py;
mod nucleoli_py;
mod power_py;
mod results_py;
mod rules_py;
mod sampling_py;
mod scenario_py;
mod schedule_py;
mod sensitivity_py;
mod separation_py;
mod structured_py;

use pyo3::prelude::*;

/// The native core of the `coalitional` package.
#[pymodule]
#[pyo3(name = "_coalitional")]
fn coalitional_module(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add("__version__", env!("CARGO_PKG_VERSION"))?;
    errors::register(m)?;
    m.add_class::<game_py::PyGameCore>()?;
    m.add_class::<interval_py::PyIntervalGameCore>()?;
    m.add_class::<interval_py::PyIntervalBounds>()?;
    m.add_class::<interval_py::PySampledRange>()?;
    m.add_class::<scenario_py::PyScenarioGameCore>()?;
    m.add_class::<scenario_py::PyRobustLeastCore>()?;
    m.add_class::<classes_py::PyWeightedVoting>()?;
    m.add_class::<classes_py::PyClaims>()?;
    m.add_class::<classes_py::PyAirport>()?;
    m.add_class::<classes_py::PyAssignment>()?;
    m.add_class::<sampling_py::PyEstimate>()?;
    m.add_class::<results_py::PySettlement>()?;
    m.add_class::<results_py::PyPayment>()?;
    m.add_class::<results_py::PyBlocking>()?;
    m.add_class::<results_py::PyLeastCore>()?;
    m.add_class::<results_py::PyClosestPoint>()?;
    m.add_class::<results_py::PyMarginal>()?;
    m.add_class::<sensitivity_py::PySensitivity>()?;
    m.add_function(wrap_pyfunction!(results_py::rule_label, m)?)?;
    m.add_function(wrap_pyfunction!(results_py::shown_numbers, m)?)?;
    m.add("RULES", results_py::rule_names())?;
    lazy_py::register(m)?;
    m.add_function(wrap_pyfunction!(sampling_py::shapley_sample_py, m)?)?;
    m.add_function(wrap_pyfunction!(sampling_py::banzhaf_sample_py, m)?)?;
    m.add_function(wrap_pyfunction!(sampling_py::hoeffding_rounds_py, m)?)?;
    m.add_function(wrap_pyfunction!(game_py::read_game_py, m)?)?;
    m.add_function(wrap_pyfunction!(game_py::check_dense_py, m)?)?;
    cases_py::register(m)?;
    schedule_py::register(m)?;
    network_py::register(m)?;
    graphgames_py::register(m)?;
    rules_py::register(m)?;
    power_py::register(m)?;
    nucleoli_py::register(m)?;
    structured_py::register(m)?;
    convex_py::register(m)?;
    separation_py::register(m)?;
    Ok(())
}
