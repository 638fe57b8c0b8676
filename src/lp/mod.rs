//! Linear programming: [`LinearProgram`], the one place that talks to `good_lp` (pure-Rust
//! `microlp` backend), and [`rows::RowLp`], a dual simplex for the programs with few variables
//! and many rows that constraint generation produces.
//!
//! The rest of the crate describes a linear program with [`LinearProgram`]: free variables, a
//! linear objective to minimise, and rows `sum_j a_j x_j (>= | =) b`.

pub(crate) mod rows;

use good_lp::{microlp, Expression, ProblemVariables, ResolutionError, Solution, SolverModel};

use crate::error::{Error, Result, SolverFailure};

/// The direction of a row.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Sense {
    /// `a·x >= b`
    Ge,
    /// `a·x = b`
    Eq,
}

/// A linear program over free variables: minimise `c·x` subject to the rows.
#[derive(Clone, Debug)]
pub(crate) struct LinearProgram {
    objective: Vec<f64>,
    rows: Vec<Row>,
}

/// One row: `sum coefs · x (sense) rhs`, with `coefs` as `(variable, coefficient)` pairs.
#[derive(Clone, Debug)]
struct Row {
    coefs: Vec<(usize, f64)>,
    sense: Sense,
    rhs: f64,
}

impl LinearProgram {
    /// A program in `n_vars` free variables minimising `objective · x`.
    pub(crate) fn minimise(objective: Vec<f64>) -> Self {
        LinearProgram {
            objective,
            rows: Vec::new(),
        }
    }

    /// Adds the row `sum coefs · x (sense) rhs`.
    pub(crate) fn add_row(&mut self, coefs: Vec<(usize, f64)>, sense: Sense, rhs: f64) {
        self.rows.push(Row { coefs, sense, rhs });
    }

    /// Solves the program; `concept` names the caller in errors.
    pub(crate) fn solve(&self, concept: &'static str) -> Result<Vec<f64>> {
        let mut vars = ProblemVariables::new();
        let x = vars.add_vector(good_lp::variable(), self.objective.len());
        let objective: Expression = self
            .objective
            .iter()
            .zip(&x)
            .filter(|(c, _)| **c != 0.0)
            .map(|(c, v)| *c * *v)
            .sum();
        let mut model = vars.minimise(objective).using(microlp);
        for Row { coefs, sense, rhs } in &self.rows {
            let lhs: Expression = coefs.iter().map(|(j, a)| *a * x[*j]).sum();
            let row = match sense {
                Sense::Ge => lhs.geq(*rhs),
                Sense::Eq => lhs.eq(*rhs),
            };
            model.add_constraint(row);
        }
        let solution = model.solve().map_err(|e| {
            Error::solver(
                concept,
                match e {
                    ResolutionError::Infeasible => SolverFailure::Infeasible,
                    ResolutionError::Unbounded => SolverFailure::Unbounded,
                    other => SolverFailure::numerical(other.to_string()),
                },
            )
        })?;
        let values: Vec<f64> = x.iter().map(|v| solution.value(*v)).collect();
        if values.iter().any(|v| !v.is_finite()) {
            return Err(Error::numerical(
                concept,
                "the LP solver returned a non-finite value",
            ));
        }
        Ok(values)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn small_lp() {
        // min x + y s.t. x + 2y >= 4, 3x + y >= 6: optimum at (8/5, 6/5), value 14/5.
        let mut lp = LinearProgram::minimise(vec![1.0, 1.0]);
        lp.add_row(vec![(0, 1.0), (1, 2.0)], Sense::Ge, 4.0);
        lp.add_row(vec![(0, 3.0), (1, 1.0)], Sense::Ge, 6.0);
        let x = lp.solve("test").unwrap();
        assert!(
            (x[0] - 1.6).abs() < 1e-9 && (x[1] - 1.2).abs() < 1e-9,
            "{x:?}"
        );
    }

    #[test]
    fn infeasible_and_unbounded_are_errors() {
        let mut lp = LinearProgram::minimise(vec![1.0]);
        lp.add_row(vec![(0, 1.0)], Sense::Ge, 2.0);
        lp.add_row(vec![(0, -1.0)], Sense::Ge, -1.0);
        assert_eq!(
            lp.solve("test"),
            Err(Error::solver("test", SolverFailure::Infeasible))
        );
        let lp = LinearProgram::minimise(vec![1.0]);
        assert_eq!(
            lp.solve("test"),
            Err(Error::solver("test", SolverFailure::Unbounded))
        );
        let mut lp = LinearProgram::minimise(vec![0.0, 1.0]);
        lp.add_row(vec![(0, 1.0), (1, 1.0)], Sense::Eq, 1.0);
        lp.add_row(vec![(1, 1.0)], Sense::Ge, 0.0);
        let x = lp.solve("test").unwrap();
        assert!((x[0] - 1.0).abs() < 1e-9 && x[1].abs() < 1e-9);
    }
}
