//! # coalitional
//!
//! Cooperative games with transferable utility (TU games), for sharing the benefit (or the cost)
//! of cooperation fairly between cities, regions and departments.
//!
//! A TU game on a set `N` of `n` players gives every coalition `S ⊆ N` a worth `v(S)`, with
//! `v(∅) = 0`. A [`Game`] stores all `2^n` worths densely, indexed by bit mask
//! ([`Coalition`]), with player names, and is validated once when built. Solution concepts
//! return an [`Allocation`]: one number per named player.
//!
//! ```
//! use coalitional::Game;
//! # fn main() -> coalitional::Result<()> {
//! // Three cities; pairs and the trio create value by cooperating.
//! let cities = vec!["Songjiang".to_string(), "Suzhou".into(), "Hangzhou".into()];
//! let g = Game::from_coalitions(cities, coalitional::Kind::Value, vec![
//!     (vec!["Songjiang"], 0.0), (vec!["Suzhou"], 0.0), (vec!["Hangzhou"], 0.0),
//!     (vec!["Songjiang", "Suzhou"], 90.0), (vec!["Songjiang", "Hangzhou"], 80.0),
//!     (vec!["Suzhou", "Hangzhou"], 70.0),
//!     (vec!["Songjiang", "Suzhou", "Hangzhou"], 150.0),
//! ])?;
//! let phi = g.shapley();
//! assert!((phi["Songjiang"] - 55.0).abs() < 1e-12); // 90/6 + 80/6 + (150 - 70)/3
//! assert!((phi.total() - 150.0).abs() < 1e-12); // efficient
//! assert!(g.is_superadditive()? && g.is_essential());
//! # Ok(())
//! # }
//! ```
//!
//! Modules: [`coalition`] (bit masks), [`game`] (the game and its constructors),
//! [`cooperative`] (the trait shared by every kind of game: players, kind, worth of a
//! coalition),
//! [`properties`] (superadditive, convex, monotone, essential), [`solution`] (Shapley,
//! Banzhaf, marginal vectors, core, nucleolus, tau, sampling), [`format`](mod@format) (JSON),
//! [`memory`] (checks before 2^n allocations), [`cancel`] (stopping long computations: Ctrl-C,
//! [`cancel::Token`]), [`progress`] (how far a long computation has come), [`lazy`] (worths computed on demand, with a crash-safe cache),
//! [`interval`] (interval games: worths known only within bounds; exact value bounds, robust
//! core, sampled nucleolus range), [`scenario`] (scenario games: worths that depend on
//! which scenario comes true; expected game, rules per scenario, robust least core),
//! [`classes`] (structured games: voting, claims, airport, assignment), [`settle`](mod@settle)
//! (compensation from a status quo to a fair split), [`schedule`] (multi-year agreements:
//! time-consistent payments year by year), [`cases`] (regression cases: games with
//! published results, read and checked), [`error`].
//!
//! The types a user needs are re-exported here, so `use coalitional::{Game, Settlement, ...}`
//! works; the module paths (`coalitional::settle::Settlement`, ...) work as well. Results print
//! readably with `Display` (numbers rounded to what the game's precision supports) and in full
//! with `Debug`. Runnable programs are in `examples/` (`cargo run --example settlement`,
//! `cargo run --example lazy_model`).
//!
//! ## Features
//!
//! - **serde** (always on): the value and result types ([`Game`], [`Allocation`],
//!   [`LeastCore`], [`Settlement`], [`Payment`], [`Blocking`], [`Rule`], [`Estimate`],
//!   [`Method`], [`Options`], [`Kind`], [`Coalition`] and the structured games) implement
//!   `Serialize` and `Deserialize`. A [`Game`] uses the JSON format of [`format`](mod@format).
//!   Reading applies the checks of the constructors (e.g. one value per player, unique nonempty
//!   names, finite numbers), so bad input is a deserialisation error, never an invalid value.
//! - **approx** (optional): `approx::{AbsDiffEq, RelativeEq, UlpsEq}` for [`Allocation`]
//!   (equal players and kind, then the values elementwise) and [`LeastCore`] (`epsilon`, then
//!   the allocation), for `assert_relative_eq!` in tests.
//! - **python** (optional): the pyo3 bindings, built by maturin; not needed from Rust.

pub mod cancel;
pub mod cases;
pub mod classes;
pub mod coalition;
pub mod cooperative;
mod display;
pub mod error;
pub mod format;
pub mod game;
pub mod interval;
pub mod lazy;
mod lp;
pub mod memory;
pub mod progress;
pub mod properties;
pub mod scenario;
pub mod schedule;
pub mod settle;
pub mod solution;

#[cfg(feature = "python")]
#[allow(unsafe_code, missing_docs)]
mod python;

pub use cancel::Token;
pub use classes::airport::Airport;
pub use classes::assignment::{Assignment, Side};
pub use classes::claims::Claims;
pub use classes::convex::ConvexGame;
pub use classes::induced_subgraph::InducedSubgraph;
pub use classes::production::LinearProduction;
pub use classes::spanning_tree::{SpanningTree, TreeEdge};
pub use classes::voting::WeightedVoting;
pub use coalition::Coalition;
pub use cooperative::Cooperative;
pub use error::{Error, IoError, Result, SolverFailure};
pub use format::{read_game, read_json, write_game, write_json, AnyGame, Metadata};
pub use game::{Game, Kind};
pub use interval::{IntervalAllocation, IntervalGame, SampledRange};
pub use lazy::{CacheReport, LazyGame, Memo, ModelOutput};
pub use scenario::{RobustLeastCore, ScenarioGame};
pub use schedule::{
    payment_schedule, payment_schedule_from_profile, profile_games, Schedule, YearCheck,
};
pub use settle::{settle, Blocking, Payment, Rule, Settlement, OUTSIDE};
pub use solution::bounds::{Bounds, Conflict, Constraint};
pub use solution::closest::{ClosestPoint, Norm, Target};
pub use solution::core::LeastCore;
pub use solution::marginals::Marginal;
pub use solution::network::{Endpoint, Graph};
pub use solution::power::PowerIndices;
pub use solution::rules::Propensities;
pub use solution::sampling::{Estimate, Method, Options};
pub use solution::sensitivity::{Concept, Sensitivity, SensitivityEntry};
pub use solution::separation::{self, OracleGame, Separation, Violation};
pub use solution::Allocation;

/// The README's Rust examples, compiled and run as doctests.
#[cfg(doctest)]
#[doc = include_str!("../README.md")]
struct ReadmeDoctests;
