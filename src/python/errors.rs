//! The Python exception classes and the one mapping from [`Error`] to them.

use pyo3::create_exception;
use pyo3::exceptions::PyValueError;
use pyo3::prelude::*;

use crate::error::Error;

create_exception!(
    _coalitional,
    GameError,
    PyValueError,
    "Base class of every error raised by coalitional (a ValueError)."
);
create_exception!(
    _coalitional,
    InvalidGame,
    GameError,
    "The game's data break a rule: wrong length, NaN or infinite value, v(empty) != 0, duplicate or empty names, a missing or conflicting coalition, a bad joining order."
);
create_exception!(
    _coalitional,
    UnknownPlayer,
    InvalidGame,
    "A name that is not one of the game's players, or a player index out of range."
);
create_exception!(
    _coalitional,
    FormatError,
    InvalidGame,
    "A JSON document that is not a valid coalitional game."
);
create_exception!(
    _coalitional,
    GameTooLarge,
    GameError,
    "The dense game (2**n values) would not fit in memory; the message says how much is needed."
);
create_exception!(
    _coalitional,
    UndefinedSolution,
    GameError,
    "The solution concept is not defined for this game; the message says why."
);
create_exception!(
    _coalitional,
    SolverError,
    GameError,
    "A numerical method failed or its answer did not pass verification."
);

create_exception!(
    _coalitional,
    ModelError,
    GameError,
    "Model runs (the worths of a LazyGame) failed. Every value that succeeded is kept (and cached), so a rerun evaluates only what is missing; `failures` lists the failed coalitions with their errors."
);
create_exception!(
    _coalitional,
    CacheError,
    GameError,
    "A model cache file that cannot be used: not a cache, another game's cache, or unreadable."
);

/// Adds the exception classes to the module.
pub(crate) fn register(m: &Bound<'_, PyModule>) -> PyResult<()> {
    let py = m.py();
    m.add("GameError", py.get_type::<GameError>())?;
    m.add("InvalidGame", py.get_type::<InvalidGame>())?;
    m.add("UnknownPlayer", py.get_type::<UnknownPlayer>())?;
    m.add("FormatError", py.get_type::<FormatError>())?;
    m.add("GameTooLarge", py.get_type::<GameTooLarge>())?;
    m.add("UndefinedSolution", py.get_type::<UndefinedSolution>())?;
    m.add("SolverError", py.get_type::<SolverError>())?;
    m.add("ModelError", py.get_type::<ModelError>())?;
    m.add("CacheError", py.get_type::<CacheError>())?;
    Ok(())
}

impl From<Error> for PyErr {
    fn from(err: Error) -> PyErr {
        let msg = err.to_string();
        match err {
            Error::UnknownPlayer { .. } | Error::PlayerIndexOutOfRange { .. } => {
                UnknownPlayer::new_err(msg)
            }
            Error::Format(_) => FormatError::new_err(msg),
            Error::TooLarge { .. } => GameTooLarge::new_err(msg),
            Error::Undefined { .. } => UndefinedSolution::new_err(msg),
            Error::Solver { .. } => SolverError::new_err(msg),
            Error::Interrupted => pyo3::exceptions::PyKeyboardInterrupt::new_err(msg),
            Error::Model { .. } => ModelError::new_err(msg),
            Error::Cache { .. } => CacheError::new_err(msg),
            Error::NoPlayers
            | Error::NotPowerOfTwo { .. }
            | Error::LengthMismatch { .. }
            | Error::NonzeroEmpty { .. }
            | Error::NonFinite { .. }
            | Error::DuplicatePlayer { .. }
            | Error::EmptyPlayerName { .. }
            | Error::RepeatedMember { .. }
            | Error::MissingCoalition { .. }
            | Error::ConflictingCoalition { .. }
            | Error::InvalidOrder { .. }
            | Error::AllocationLength { .. }
            | Error::UnknownKind { .. }
            | Error::InvalidParameter { .. } => InvalidGame::new_err(msg),
        }
    }
}
