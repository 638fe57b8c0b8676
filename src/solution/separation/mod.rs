//! Games given by their worth and a separation oracle, for structured games far beyond the
//! dense limit (hundreds of players): the nucleolus, the prenucleolus and the least core by
//! constraint generation, never enumerating the `2^n` coalitions.
//!
//! A game is given by a [`Separation`]: the worth of any coalition and, for a payoff vector
//! `x`, a coalition of largest excess `v(S) - x(S)` among those that contain the players of
//! `include` and none of `exclude`. Restricting by players in and out is what lets the solver
//! look past coalitions whose excess is already fixed (E. Lawler, "A procedure for computing
//! the K best solutions to discrete optimization problems", *Management Sci.* 18, 1972, and
//! U. Faigle, W. Kern and J. Kuipers, "On the computation of the nucleolus of a cooperative
//! game", *Int. J. Game Theory* 30, 2001, who show the nucleolus is polynomial whenever this
//! restricted problem is).

mod engine;
mod search;
mod span;
mod stages;

pub use engine::{least_core, nucleolus, prenucleolus, OracleGame};

use crate::error::Result;

/// A coalition of largest excess found by a [`Separation`] oracle.
#[derive(Clone, Debug, PartialEq)]
pub struct Violation {
    /// The members, as player indices in increasing order.
    pub members: Vec<usize>,
    /// Its excess `v(S) - x(S)` at the payoff vector asked about.
    pub excess: f64,
}

/// A TU game in value (profit) form given implicitly: its worths and a separation oracle.
///
/// Cost games implement it through their savings game `v(S) = sum_{i in S} c({i}) - c(S)`
/// and map the answers back (`x_i = c({i}) - y_i`).
pub trait Separation {
    /// The number of players.
    fn n(&self) -> usize;

    /// The worth `v(S)` of the coalition of `members` (player indices, increasing, distinct);
    /// `v(empty) = 0`.
    fn worth(&self, members: &[usize]) -> Result<f64>;

    /// A coalition `S` of largest excess `v(S) - x(S)` among those with `include ⊆ S` and
    /// `S ∩ exclude = ∅` (the empty coalition and the grand coalition count when they qualify;
    /// ties may be broken any way), or `None` when no coalition qualifies (`include` and
    /// `exclude` share a player). `x`, `include` and `exclude` have one entry per player.
    /// The answer must be exact up to rounding: the solver's optimality rests on it.
    fn most_violated(
        &self,
        x: &[f64],
        include: &[bool],
        exclude: &[bool],
    ) -> Result<Option<Violation>>;
}
