//! Regression cases: games with the results a source publishes for them, checked against the
//! crate.
//!
//! A *cases file* lists games, each with the results expected of it and where those numbers
//! come from. This module reads such a file ([`read_cases`]) and checks each case ([`check`]).
//! It is the one checker: `coalitional check FILE` (the Python package's command line) calls
//! it, and `cargo test` runs it on `tests/data/cases.json`, so a case passes or fails the same
//! way everywhere.
//!
//! # The format
//!
//! ```json
//! {
//!   "format": "coalitional.cases",
//!   "version": 1,
//!   "cases": [
//!     {
//!       "name": "three-player majority game",
//!       "source": "Maschler, Peleg and Shapley (1979): least core 1/3",
//!       "game": {"format": "coalitional.game", "version": 1, "players": ["A", "B", "C"],
//!                "values": [0, 0, 0, 1, 0, 1, 1, 1]},
//!       "expected": {"shapley": [0.3333333333333333, 0.3333333333333333, 0.3333333333333333],
//!                    "nucleolus": {"A": 0.3333333333333333},
//!                    "least_core_epsilon": 0.3333333333333333, "core_is_empty": true},
//!       "tolerance": 1e-9
//!     }
//!   ]
//! }
//! ```
//!
//! `format`, `version` (the integer 1) and `cases` (a list) are required, and nothing else is
//! allowed at the top. A case has
//!
//! - `name` (required): nonempty text that identifies it in reports;
//! - `source` (optional): text, where the expected numbers come from;
//! - `game` (required): a game in either JSON form of [`format`](crate::format), dense or
//!   class ([`read_json`]);
//! - `expected` (required, at least one entry): the results, by key (below);
//! - `tolerance` (optional, default [`DEFAULT_TOLERANCE`]): a finite number `>= 0`.
//!
//! Any other field, a key given twice in one object, or a field of the wrong type makes the
//! document invalid: [`read_cases`] returns [`Error::Format`] naming the case (`cases[i]` and
//! its name) and the field.
//!
//! Each expected result is computed on the dense game ([`AnyGame::into_dense`]):
//!
//! | key | computed by | expected as |
//! | --- | --- | --- |
//! | `shapley` | [`Game::try_shapley`] | a vector |
//! | `banzhaf` | [`Game::try_banzhaf`] | a vector |
//! | `banzhaf_normalized` | [`Game::banzhaf_normalized`] | a vector |
//! | `nucleolus` | [`Game::nucleolus`] | a vector |
//! | `prenucleolus` | [`Game::prenucleolus`] | a vector |
//! | `tau_value` | [`Game::tau_value`] | a vector |
//! | `least_core_epsilon` | [`Game::least_core`], its `epsilon` | a number |
//! | `cost_of_stability` | [`Game::cost_of_stability`] | a number |
//! | `core_is_empty` | [`Game::core_is_empty`] | `true` or `false` |
//!
//! A vector is a list with one number per player in player order ([`Expected::Vector`]), or a
//! `{player: number}` mapping that names some of the players ([`Expected::Mapping`]). An
//! unknown key, a value of the wrong shape, a list of the wrong length or a name that is not
//! a player is not a document error but a [`CaseFailure`] of that case: the document is read
//! before the games are solved, and a report lists everything that is wrong with a case.
//!
//! # The comparison
//!
//! A computed number `got` matches an expected `want` ([`close`]) when `got == want` or
//!
//! ```text
//! |got - want| <= tolerance * spread + 4 * f64::EPSILON * |want|
//! ```
//!
//! where `spread` is [`Game::spread`], the scale of what cooperation adds or takes away. The
//! first term makes the tolerance relative to what the solution concepts divide, not to the
//! standalone budgets: a budget of `10^8` with a surplus of 3 is checked to `3e-9`, not to
//! `0.1`. The second term, four units in the last place of the expected number, absorbs the
//! rounding of a published number written in decimal, so `tolerance: 0` asks for the answer
//! to within that rounding. `core_is_empty` is compared exactly.
//!
//! # Example
//!
//! ```
//! use coalitional::cases::{self, CaseFailure, Scalar};
//! let text = r#"{"format": "coalitional.cases", "version": 1, "cases": [
//!     {"name": "glove game", "source": "Maschler, Solan and Zamir, Game Theory (2013)",
//!      "game": {"players": ["L", "R1", "R2"], "values": [0, 0, 0, 1, 0, 1, 0, 1]},
//!      "expected": {"nucleolus": [1, 0, 0], "core_is_empty": false, "shapley": {"L": 0.5}}}]}"#;
//! let cases = cases::read_cases(text)?;
//! let report = cases::check(&cases[0]);
//! assert!(!report.passed);
//! // The left glove's Shapley value is 2/3, not 1/2; the nucleolus and the core hold.
//! assert_eq!(report.failures, [CaseFailure::Mismatch {
//!     key: "shapley".into(),
//!     player: Some("L".into()),
//!     got: Scalar::Number(2.0 / 3.0),
//!     expected: Scalar::Number(0.5),
//! }]);
//! assert_eq!(
//!     report.to_string(),
//!     "FAIL  glove game\n      shapley[L]: got 0.6666666666666666, expected 0.5"
//! );
//! // As JSON (what `coalitional check --json` prints): failures as their lines.
//! assert_eq!(
//!     serde_json::to_value(&report)?["failures"][0],
//!     "shapley[L]: got 0.6666666666666666, expected 0.5"
//! );
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```

mod check;
mod read;

use std::fmt;

use serde::{Serialize, Serializer};

use crate::error::{Error, Result};
#[cfg(doc)]
use crate::format::read_json;
use crate::format::{AnyGame, Metadata};
#[cfg(doc)]
use crate::game::Game;

/// The value of the `format` key of a cases document.
pub const FORMAT_TAG: &str = "coalitional.cases";
/// The version of the cases format this module reads.
pub const FORMAT_VERSION: u64 = 1;
/// The tolerance of a case that gives none (relative to the game's spread, see [`close`]).
pub const DEFAULT_TOLERANCE: f64 = 1e-9;

/// Whether `got` matches `want` within `tolerance` relative to `spread`: `got == want`, or
/// `|got - want| <= tolerance * spread + 4 * f64::EPSILON * |want|` (see the
/// [module docs](self#the-comparison)). NaN matches nothing.
///
/// # Example
/// ```
/// use coalitional::cases::close;
/// // A surplus of 3 on budgets of 10^8: the spread is 3, the tolerance 3e-9.
/// assert!(close(1e8 + 1.0 + 2e-9, 1e8 + 1.0, 1e-9, 3.0));
/// assert!(!close(1e8 + 1.0 + 1e-7, 1e8 + 1.0, 1e-9, 3.0));
/// // Four units in the last place of the expected number, whatever the tolerance.
/// assert!(close(0.1 + 0.2, 0.3, 0.0, 1.0));
/// ```
pub fn close(got: f64, want: f64, tolerance: f64, spread: f64) -> bool {
    got == want || (got - want).abs() <= tolerance * spread + 4.0 * f64::EPSILON * want.abs()
}

/// One case of a cases document, as read and validated by [`read_cases`].
#[derive(Clone, Debug, PartialEq)]
pub struct Case {
    name: String,
    source: Option<String>,
    game: AnyGame,
    meta: Metadata,
    expected: Vec<(String, Expected)>,
    tolerance: f64,
}

impl Case {
    /// The case's name (nonempty).
    pub fn name(&self) -> &str {
        &self.name
    }

    /// Where the expected numbers come from, if the case says.
    pub fn source(&self) -> Option<&str> {
        self.source.as_deref()
    }

    /// The game, in the form the case gives it (dense or a structured class).
    pub fn game(&self) -> &AnyGame {
        &self.game
    }

    /// The game's metadata (its `name`, `description` and `source` fields).
    pub fn meta(&self) -> &Metadata {
        &self.meta
    }

    /// The expected results by key, in the order the case lists them (at least one).
    pub fn expected(&self) -> &[(String, Expected)] {
        &self.expected
    }

    /// The case's tolerance: finite and `>= 0`.
    pub fn tolerance(&self) -> f64 {
        self.tolerance
    }
}

/// What a case expects of one key.
#[derive(Clone, Debug, PartialEq)]
pub enum Expected {
    /// One number per player, in the game's player order.
    Vector(Vec<f64>),
    /// Numbers for some of the players, by name, in the order written.
    Mapping(Vec<(String, f64)>),
    /// A number.
    Number(f64),
    /// `true` or `false`.
    Bool(bool),
}

impl Expected {
    /// The expected `(player, number)` pairs of a vector: a [`Vector`](Expected::Vector)
    /// paired with `players` in order (as far as both go), a [`Mapping`](Expected::Mapping)
    /// as written; `None` for a number or a bool.
    pub fn per_player(&self, players: &[String]) -> Option<Vec<(String, f64)>> {
        match self {
            Expected::Vector(values) => Some(
                players
                    .iter()
                    .cloned()
                    .zip(values.iter().copied())
                    .collect(),
            ),
            Expected::Mapping(entries) => Some(entries.clone()),
            Expected::Number(_) | Expected::Bool(_) => None,
        }
    }

    /// The shape, for messages: "a list", "a mapping", "a number", "a bool".
    fn shape(&self) -> &'static str {
        match self {
            Expected::Vector(_) => "a list",
            Expected::Mapping(_) => "a mapping",
            Expected::Number(_) => "a number",
            Expected::Bool(_) => "a bool",
        }
    }
}

/// A single computed or expected answer, in a [`CaseFailure::Mismatch`].
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Scalar {
    /// A number (shown in full, as Rust's `{:?}` shows it: `0.5`, `1.0`, `1e-10`).
    Number(f64),
    /// `true` or `false`.
    Bool(bool),
}

impl fmt::Display for Scalar {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Scalar::Number(x) => write!(f, "{x:?}"),
            Scalar::Bool(b) => write!(f, "{b}"),
        }
    }
}

/// Why a case failed. `Display` writes the line `coalitional check` prints for it; with serde
/// it is that line as a JSON string.
#[derive(Clone, Debug, PartialEq)]
#[non_exhaustive]
pub enum CaseFailure {
    /// A computed result differs from the expected one beyond the tolerance (numbers) or at
    /// all (`core_is_empty`).
    Mismatch {
        /// The expected result's key, e.g. `"shapley"`.
        key: String,
        /// The player, for an entry of a vector.
        player: Option<String>,
        /// What the crate computed.
        got: Scalar,
        /// What the case expects.
        expected: Scalar,
    },
    /// Computing the result failed: the game's error or the solver's. Without a key, the
    /// dense game could not be built, and nothing was checked.
    Error {
        /// The expected result's key, or `None` for the dense game itself.
        key: Option<String>,
        /// The error.
        error: Error,
    },
    /// The case expects a key that the checker does not know (see the
    /// [module docs](self#the-format)).
    UnknownKey {
        /// The key.
        key: String,
    },
    /// An expected vector in player order whose length is not the number of players.
    Length {
        /// The expected result's key.
        key: String,
        /// The entries the case gives.
        expected: usize,
        /// The players of the game.
        players: usize,
    },
    /// An expected value of the wrong shape for its key, e.g. a number for `"shapley"`.
    Shape {
        /// The expected result's key.
        key: String,
        /// What the key needs, e.g. "a number".
        needs: &'static str,
        /// What the case gives, e.g. "a list".
        given: &'static str,
    },
}

impl fmt::Display for CaseFailure {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            CaseFailure::Mismatch {
                key,
                player: Some(player),
                got,
                expected,
            } => write!(f, "{key}[{player}]: got {got}, expected {expected}"),
            CaseFailure::Mismatch {
                key,
                player: None,
                got,
                expected,
            } => write!(f, "{key}: got {got}, expected {expected}"),
            CaseFailure::Error {
                key: Some(key),
                error,
            } => write!(f, "{key}: {error}"),
            CaseFailure::Error { key: None, error } => write!(f, "the dense game: {error}"),
            CaseFailure::UnknownKey { key } => write!(f, "unknown expected result {key:?}"),
            CaseFailure::Length {
                key,
                expected,
                players,
            } => write!(
                f,
                "{key}: expected {expected} entries for {players} players"
            ),
            CaseFailure::Shape { key, needs, given } => {
                write!(f, "{key}: expected {needs}, not {given}")
            }
        }
    }
}

impl Serialize for CaseFailure {
    fn serialize<S: Serializer>(&self, serializer: S) -> std::result::Result<S::Ok, S::Error> {
        serializer.collect_str(self)
    }
}

/// The outcome of one case. `Display` writes the lines `coalitional check` prints for it
/// (`PASS  name`, or `FAIL  name` and one indented line per failure); with serde it is
/// `{"name", "source", "passed", "failures": [line, ...]}`.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct CaseReport {
    /// The case's name.
    pub name: String,
    /// The case's source, if it gives one.
    pub source: Option<String>,
    /// Whether every expected result matched (no failures).
    pub passed: bool,
    /// What did not match, in the order the case lists its expected results.
    pub failures: Vec<CaseFailure>,
}

impl CaseReport {
    /// Whether checking stopped because the computation was cancelled ([`Error::Interrupted`]).
    fn interrupted(&self) -> bool {
        self.failures.iter().any(|f| {
            matches!(
                f,
                CaseFailure::Error {
                    error: Error::Interrupted,
                    ..
                }
            )
        })
    }
}

impl fmt::Display for CaseReport {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{}  {}",
            if self.passed { "PASS" } else { "FAIL" },
            self.name
        )?;
        for failure in &self.failures {
            write!(f, "\n      {failure}")?;
        }
        Ok(())
    }
}

/// Reads a cases document (see the [module docs](self#the-format)): every case with its game
/// read and its fields checked, in the order written. A document that breaks a rule is
/// [`Error::Format`] naming the case (`cases[i]` and its name) and the field; a game that
/// does not read is that error too, with the reader's reason.
pub fn read_cases(text: &str) -> Result<Vec<Case>> {
    read::cases(text)
}

/// Checks one case: computes each expected result on the dense game and compares it (see the
/// [module docs](self#the-comparison)). Every failure is reported, not only the first; after
/// [`Error::Interrupted`] the case stops.
///
/// Cost: that of the quantities the case expects, on the dense game (`2^n` values, built
/// first for a structured class, memory checked).
pub fn check(case: &Case) -> CaseReport {
    let failures = match check::dense(&case.game) {
        Ok(game) => check::failures(case, &game),
        Err(error) => vec![CaseFailure::Error { key: None, error }],
    };
    CaseReport {
        name: case.name.clone(),
        source: case.source.clone(),
        passed: failures.is_empty(),
        failures,
    }
}

/// Checks every case in order ([`check`]); [`Error::Interrupted`] when the computation was
/// cancelled (Ctrl-C in Python, a [`Token`](crate::cancel::Token) in Rust).
pub fn check_all(cases: &[Case]) -> Result<Vec<CaseReport>> {
    cases
        .iter()
        .map(|case| {
            let report = check(case);
            if report.interrupted() {
                Err(Error::Interrupted)
            } else {
                Ok(report)
            }
        })
        .collect()
}
