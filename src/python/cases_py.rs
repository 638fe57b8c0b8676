//! The regression-case checker (`crate::cases`) for `coalitional check`: the JSON text of a
//! cases file in, one typed report per case out.

use pyo3::exceptions::PyRuntimeError;
use pyo3::prelude::*;

use crate::cases::{self, CaseReport};
use crate::python::game_py::detach_interruptible;

/// The outcome of one case (`crate::cases::CaseReport`).
#[pyclass(name = "CaseReport", module = "coalitional._coalitional", frozen)]
pub(crate) struct PyCaseReport {
    inner: CaseReport,
}

impl From<CaseReport> for PyCaseReport {
    fn from(inner: CaseReport) -> Self {
        PyCaseReport { inner }
    }
}

#[pymethods]
impl PyCaseReport {
    /// The case's name.
    #[getter]
    fn name(&self) -> &str {
        &self.inner.name
    }

    /// The case's source, or None.
    #[getter]
    fn source(&self) -> Option<&str> {
        self.inner.source.as_deref()
    }

    /// Whether every expected result matched.
    #[getter]
    fn passed(&self) -> bool {
        self.inner.passed
    }

    /// What did not match, one line each.
    #[getter]
    fn failures(&self) -> Vec<String> {
        self.inner
            .failures
            .iter()
            .map(ToString::to_string)
            .collect()
    }

    /// `{"name", "source", "passed", "failures"}`: Rust's serialisation of the report.
    fn to_dict<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        let text = serde_json::to_string(&self.inner)
            .map_err(|e| PyRuntimeError::new_err(e.to_string()))?;
        py.import("json")?.call_method1("loads", (text,))
    }

    fn __str__(&self) -> String {
        self.inner.to_string()
    }

    fn __repr__(&self) -> String {
        format!(
            "CaseReport(name={:?}, passed={}, failures={})",
            self.inner.name,
            if self.inner.passed { "True" } else { "False" },
            self.inner.failures.len()
        )
    }
}

/// Reads a cases document (JSON text) and checks every case, without the GIL and
/// interruptible by Ctrl-C; a document that is not valid raises FormatError.
#[pyfunction]
#[pyo3(name = "check_cases")]
pub(crate) fn check_cases_py(py: Python<'_>, text: &str) -> PyResult<Vec<PyCaseReport>> {
    let cases = py.detach(|| cases::read_cases(text))?;
    let reports = detach_interruptible(py, || cases::check_all(&cases))?;
    Ok(reports.into_iter().map(PyCaseReport::from).collect())
}

/// Adds the checker and its report class to the module.
pub(crate) fn register(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add_class::<PyCaseReport>()?;
    m.add_function(wrap_pyfunction!(check_cases_py, m)?)
}
