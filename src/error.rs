//! The one error type of the crate.
//!
//! Every variant names what is wrong and where: the coalition, the player or the index at
//! fault, and the rule that was broken. The Python bindings map each variant to one exception
//! class (see `src/python/errors.rs`).

use std::fmt;
use std::path::PathBuf;
use std::sync::Arc;

use thiserror::Error;

use crate::memory::human_bytes;

/// Everything that can go wrong when building or solving a game.
#[derive(Debug, Clone, PartialEq, Error)]
#[non_exhaustive]
pub enum Error {
    /// A game needs at least one player.
    #[error("a game needs at least one player; got none")]
    NoPlayers,

    /// The value vector does not have length 2^n.
    #[error("values has length {len}, which is not a power of two 2^n (index = bit mask of the coalition)")]
    NotPowerOfTwo {
        /// The length that was given.
        len: usize,
    },

    /// The value vector and the player list disagree on n.
    #[error("values has length {len} = 2^{bits}, but {players} player names were given (expected length 2^{players} = {expected})")]
    LengthMismatch {
        /// The length of the value vector.
        len: usize,
        /// log2 of that length.
        bits: usize,
        /// The number of player names.
        players: usize,
        /// The length that the names call for.
        expected: u128,
    },

    /// v(∅) must be zero.
    #[error("the value of the empty coalition (index 0) must be 0, got {value}")]
    NonzeroEmpty {
        /// The value found at index 0.
        value: f64,
    },

    /// A value is NaN or infinite.
    #[error("the value of coalition {coalition} (index {index}) is {value}; every value must be a finite number")]
    NonFinite {
        /// The coalition, written with player names.
        coalition: String,
        /// Its bit mask.
        index: usize,
        /// The offending value.
        value: f64,
    },

    /// Two players share a name.
    #[error(
        "player name {name:?} is used twice (positions {first} and {second}); names must be unique"
    )]
    DuplicatePlayer {
        /// The repeated name.
        name: String,
        /// Its first position.
        first: usize,
        /// Its second position.
        second: usize,
    },

    /// A player name is empty.
    #[error("player name at position {index} is empty; every player needs a name")]
    EmptyPlayerName {
        /// The position of the empty name.
        index: usize,
    },

    /// A name that is not one of the game's players.
    #[error("{name:?} is not a player of this game (players: {players})")]
    UnknownPlayer {
        /// The name that was not found.
        name: String,
        /// The game's players, comma separated.
        players: String,
    },

    /// A player index that is out of range.
    #[error("player index {index} is out of range for a game of {n} players")]
    PlayerIndexOutOfRange {
        /// The index that was given.
        index: usize,
        /// The number of players.
        n: usize,
    },

    /// A coalition given by name lists a player twice.
    #[error("coalition {coalition} lists player {name:?} twice")]
    RepeatedMember {
        /// The coalition as written.
        coalition: String,
        /// The repeated name.
        name: String,
    },

    /// A coalition map does not give every nonempty coalition a value.
    #[error("no value given for coalition {coalition} ({missing} of {total} nonempty coalitions are missing); every nonempty coalition needs a value")]
    MissingCoalition {
        /// The first missing coalition, written with player names.
        coalition: String,
        /// How many are missing.
        missing: usize,
        /// How many nonempty coalitions there are.
        total: usize,
    },

    /// A coalition is given twice with different values.
    #[error("coalition {coalition} is given twice, with values {first} and {second}")]
    ConflictingCoalition {
        /// The coalition, written with player names.
        coalition: String,
        /// The first value.
        first: f64,
        /// The second value.
        second: f64,
    },

    /// A computation would need more memory than the system has (or allows) for it.
    #[error("{what} needs {} of memory, but {}; use a structured game class or sampling for large n", human_bytes(*.needed), memory_limit(.available))]
    TooLarge {
        /// What needs the memory, e.g. "a dense game of 40 players (2^40 values)".
        what: String,
        /// Bytes needed.
        needed: u128,
        /// Bytes available, when known; `None` when the system refused the allocation (a
        /// memory or address-space limit).
        available: Option<u128>,
    },

    /// A count beyond a fixed limit of the library (players of a dense game, coalitions of
    /// one excess level, vertices of a core).
    #[error("too many {what}: {asked}, but the limit is {limit}")]
    LimitExceeded {
        /// What is counted, e.g. "players for a dense game".
        what: &'static str,
        /// The number asked for (or reached).
        asked: u128,
        /// The limit.
        limit: u128,
    },

    /// A joining order that is not a permutation of the players.
    #[error("invalid joining order: {reason}")]
    InvalidOrder {
        /// What is wrong with it.
        reason: String,
    },

    /// An unknown game kind.
    #[error("unknown game kind {kind:?}; expected \"value\" or \"cost\"")]
    UnknownKind {
        /// The kind that was given.
        kind: String,
    },

    /// A result is undefined for this game.
    #[error("{concept} is undefined for this game: {reason}")]
    Undefined {
        /// The solution concept.
        concept: &'static str,
        /// Why.
        reason: String,
    },

    /// Constraints (policy floors and caps, coalitions' claims, efficiency) that no
    /// allocation meets together; `conflict` names an irreducible set of them, with the
    /// weights of the Farkas certificate and the amount by which they fail.
    #[error("{concept}: no allocation meets the constraints: {conflict}")]
    Infeasible {
        /// The solution concept being computed.
        concept: &'static str,
        /// The constraints at fault.
        conflict: crate::solution::bounds::Conflict,
    },

    /// A concept for simple games (the power indices) asked of a game that is not one:
    /// `coalition` has a worth other than 0 or 1, or wins while a larger coalition loses, or
    /// is the grand coalition and loses.
    #[error("power indices need a simple game (worths 0 or 1, monotone, v(N) = 1); coalition {coalition} breaks it: {reason}")]
    NotSimple {
        /// The coalition at fault, written with player names.
        coalition: String,
        /// The rule it breaks.
        reason: String,
    },

    /// A game given as convex (supermodular) whose worths are not: `player` adds more to the
    /// smaller coalition than to the larger one that contains it.
    #[error("the game is not convex (its worth is not supermodular): {player} adds {gain_smaller} to {smaller} but only {gain_larger} to the larger coalition {larger}; a convex game needs v(S ∪ {{i}}) - v(S) to grow with S")]
    NotConvex {
        /// The player whose marginal contribution shrinks.
        player: String,
        /// The smaller coalition, written with player names.
        smaller: String,
        /// The larger coalition, written with player names.
        larger: String,
        /// `v(smaller ∪ {player}) - v(smaller)`.
        gain_smaller: f64,
        /// `v(larger ∪ {player}) - v(larger)`.
        gain_larger: f64,
    },

    /// A linear program failed, or its answer did not pass verification.
    #[error("{concept}: the linear program could not be solved reliably: {failure}")]
    Solver {
        /// The solution concept being computed.
        concept: &'static str,
        /// What went wrong.
        failure: SolverFailure,
    },

    /// An allocation of the wrong length.
    #[error("the allocation has {got} entries but the game has {n} players")]
    AllocationLength {
        /// Entries given.
        got: usize,
        /// Players in the game.
        n: usize,
    },

    /// A parameter of a structured game, a rule or a settlement that is out of range.
    #[error("invalid {name}: {reason}")]
    InvalidParameter {
        /// The parameter (e.g. "quota", "claims", "unions").
        name: &'static str,
        /// What is wrong with it.
        reason: String,
    },

    /// A JSON document that is not valid (a game, a cases file, a saved result).
    #[error("invalid JSON document: {reason}")]
    Format {
        /// Where in the document the problem is, when one place is at fault: a JSON path such
        /// as `quota`, `costs[2]` or `cases[0].game` (`None` for the document as a whole).
        field: Option<String>,
        /// What is wrong, in words (naming the place too).
        reason: String,
    },

    /// The computation was interrupted (Ctrl-C, or a cancellation requested by the caller).
    #[error("interrupted")]
    Interrupted,

    /// Model runs (the worths `v(S)` of a lazy game) failed; every value that succeeded is
    /// kept (in the cache, if there is one), so a rerun evaluates only what is missing.
    #[error("{failed} model run(s) failed and {succeeded} succeeded; first failure, for coalition {first_coalition}: {first_error}")]
    Model {
        /// Number of coalitions whose evaluation failed.
        failed: usize,
        /// Number of coalitions evaluated successfully in the same call.
        succeeded: usize,
        /// The first failed coalition, by name.
        first_coalition: String,
        /// Its error message.
        first_error: String,
    },

    /// A model cache file that cannot be used (not a cache, another game's cache, damaged).
    #[error("model cache {}: {reason}", .path.display())]
    Cache {
        /// The cache file.
        path: PathBuf,
        /// What is wrong.
        reason: String,
    },

    /// Reading or writing a file failed.
    #[error("file {}: {action}: {source}", .path.display())]
    Io {
        /// What was being done, e.g. "cannot open the model cache".
        action: &'static str,
        /// The file.
        path: PathBuf,
        /// The operating system's error.
        source: IoError,
    },
}

/// Why a linear program (or the check of its answer) failed.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum SolverFailure {
    /// No point satisfies the constraints.
    Infeasible,
    /// The objective decreases without bound.
    Unbounded,
    /// The simplex method did not finish within its iteration limit.
    IterationLimit,
    /// The basis became numerically singular.
    Singular,
    /// The answer did not pass an independent check of the property it must have.
    Unverified {
        /// The check that failed: "efficiency", "individual_rationality", "kohlberg",
        /// "stability" (a coalition short of its worth), "vertex" or "separation" (the
        /// oracle's certificate of a nucleolus by separation).
        check: &'static str,
        /// What the check found.
        detail: String,
    },
    /// Any other numerical failure: a non-finite answer, constraint generation that does not
    /// settle, a system of tight coalitions that does not determine a point.
    Numerical {
        /// What failed.
        detail: String,
    },
}

impl SolverFailure {
    /// A numerical failure with this detail.
    pub fn numerical(detail: impl Into<String>) -> Self {
        SolverFailure::Numerical {
            detail: detail.into(),
        }
    }

    /// A short stable name: "infeasible", "unbounded", "iteration_limit", "singular" or
    /// "unverified" or "numerical" (the Python exception's `failure` attribute).
    pub fn code(&self) -> &'static str {
        match self {
            SolverFailure::Infeasible => "infeasible",
            SolverFailure::Unbounded => "unbounded",
            SolverFailure::IterationLimit => "iteration_limit",
            SolverFailure::Singular => "singular",
            SolverFailure::Unverified { .. } => "unverified",
            SolverFailure::Numerical { .. } => "numerical",
        }
    }
}

impl fmt::Display for SolverFailure {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            SolverFailure::Infeasible => f.write_str("the LP is infeasible"),
            SolverFailure::Unbounded => f.write_str("the LP is unbounded"),
            SolverFailure::IterationLimit => {
                f.write_str("the simplex method did not finish within its iteration limit")
            }
            SolverFailure::Singular => f.write_str("the simplex basis became numerically singular"),
            SolverFailure::Unverified { check, detail } => {
                write!(f, "the answer failed the {check} check: {detail}")
            }
            SolverFailure::Numerical { detail } => f.write_str(detail),
        }
    }
}

/// An operating-system I/O error that can be cloned and compared (by kind and message), so
/// that [`Error`](enum@Error) stays `Clone + PartialEq`; the original is its `source()`.
#[derive(Debug, Clone)]
pub struct IoError(Arc<std::io::Error>);

impl IoError {
    /// The kind of the underlying error.
    pub fn kind(&self) -> std::io::ErrorKind {
        self.0.kind()
    }

    /// The operating system's error number, if any.
    pub fn raw_os_error(&self) -> Option<i32> {
        self.0.raw_os_error()
    }
}

impl From<std::io::Error> for IoError {
    fn from(e: std::io::Error) -> Self {
        IoError(Arc::new(e))
    }
}

impl PartialEq for IoError {
    fn eq(&self, other: &Self) -> bool {
        self.kind() == other.kind() && self.0.to_string() == other.0.to_string()
    }
}

impl fmt::Display for IoError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.0.fmt(f)
    }
}

impl std::error::Error for IoError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        Some(&*self.0)
    }
}

fn memory_limit(available: &Option<u128>) -> String {
    match available {
        Some(bytes) => format!("only {} is available", human_bytes(*bytes)),
        None => "the system refused the allocation (a memory or address-space limit)".into(),
    }
}

impl Error {
    /// A short stable name of the variant in snake case ("non_finite", "solver", ...): the
    /// Python exception's `code` attribute, and a key for logs and tests that does not
    /// depend on the wording of the message.
    pub fn code(&self) -> &'static str {
        match self {
            Error::NoPlayers => "no_players",
            Error::NotPowerOfTwo { .. } => "not_power_of_two",
            Error::LengthMismatch { .. } => "length_mismatch",
            Error::NonzeroEmpty { .. } => "nonzero_empty",
            Error::NonFinite { .. } => "non_finite",
            Error::DuplicatePlayer { .. } => "duplicate_player",
            Error::EmptyPlayerName { .. } => "empty_player_name",
            Error::UnknownPlayer { .. } => "unknown_player",
            Error::PlayerIndexOutOfRange { .. } => "player_index_out_of_range",
            Error::RepeatedMember { .. } => "repeated_member",
            Error::MissingCoalition { .. } => "missing_coalition",
            Error::ConflictingCoalition { .. } => "conflicting_coalition",
            Error::TooLarge { .. } => "too_large",
            Error::LimitExceeded { .. } => "limit_exceeded",
            Error::InvalidOrder { .. } => "invalid_order",
            Error::UnknownKind { .. } => "unknown_kind",
            Error::Undefined { .. } => "undefined",
            Error::Solver { .. } => "solver",
            Error::NotSimple { .. } => "not_simple",
            Error::NotConvex { .. } => "not_convex",
            Error::Infeasible { .. } => "infeasible",
            Error::AllocationLength { .. } => "allocation_length",
            Error::InvalidParameter { .. } => "invalid_parameter",
            Error::Format { .. } => "format",
            Error::Interrupted => "interrupted",
            Error::Model { .. } => "model",
            Error::Cache { .. } => "cache",
            Error::Io { .. } => "io",
        }
    }

    /// A document that is not valid, with no single place at fault.
    pub(crate) fn format(reason: impl Into<String>) -> Self {
        Error::Format {
            field: None,
            reason: reason.into(),
        }
    }

    /// A document that is not valid at `field` (a JSON path: `quota`, `costs[2]`).
    pub(crate) fn format_at(field: impl Into<String>, reason: impl Into<String>) -> Self {
        Error::Format {
            field: Some(field.into()),
            reason: reason.into(),
        }
    }

    /// An I/O error while doing `action` on `path`.
    pub(crate) fn io(action: &'static str, path: &std::path::Path, e: std::io::Error) -> Self {
        Error::Io {
            action,
            path: path.to_path_buf(),
            source: e.into(),
        }
    }

    /// A failed linear program (or check) while computing `concept`.
    pub(crate) fn solver(concept: &'static str, failure: SolverFailure) -> Self {
        Error::Solver { concept, failure }
    }

    /// An answer for `concept` that failed the named `check` (see
    /// [`SolverFailure::Unverified`]).
    pub(crate) fn unverified(
        concept: &'static str,
        check: &'static str,
        detail: impl Into<String>,
    ) -> Self {
        Error::Solver {
            concept,
            failure: SolverFailure::Unverified {
                check,
                detail: detail.into(),
            },
        }
    }

    /// A numerical failure while computing `concept`.
    pub(crate) fn numerical(concept: &'static str, detail: impl Into<String>) -> Self {
        Error::Solver {
            concept,
            failure: SolverFailure::numerical(detail),
        }
    }
}

/// Shorthand for results whose error is [`Error`](enum@Error).
pub type Result<T> = std::result::Result<T, Error>;
