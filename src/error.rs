//! The one error type of the crate.
//!
//! Every variant names what is wrong and where: the coalition, the player or the index at
//! fault, and the rule that was broken. The Python bindings map each variant to one exception
//! class (see `src/python/errors.rs`).

use thiserror::Error;

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

    /// The dense game would not fit in memory.
    #[error("a dense game of {n} players needs 2^{n} values = {needed} of memory, but {limit}; use a structured game class or sampling for large n")]
    TooLarge {
        /// The number of players.
        n: usize,
        /// Human-readable bytes needed.
        needed: String,
        /// Human-readable statement of the limit.
        limit: String,
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

    /// The LP solver failed, or its answer did not pass verification.
    #[error("{concept}: the linear program could not be solved reliably: {reason}")]
    Solver {
        /// The solution concept being computed.
        concept: &'static str,
        /// What went wrong.
        reason: String,
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

    /// A JSON document that is not a valid game.
    #[error("invalid game JSON: {0}")]
    Format(String),

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

    /// A model cache file that cannot be used (not a cache, another game's cache, unreadable).
    #[error("model cache {path}: {reason}")]
    Cache {
        /// The cache file.
        path: String,
        /// What is wrong.
        reason: String,
    },
}

/// Shorthand for results whose error is [`Error`](enum@Error).
pub type Result<T> = std::result::Result<T, Error>;
