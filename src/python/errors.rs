//! The Python exception classes and the one mapping from [`Error`] to them.

use pyo3::create_exception;
use pyo3::exceptions::PyValueError;
use pyo3::prelude::*;

use pyo3::exceptions::PyBaseException;

use crate::error::{Error, SolverFailure};
use crate::solution::bounds::Constraint;

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
    InfeasibleConstraints,
    GameError,
    "Policy bounds (floors, caps) that no allocation meets together with the game: `constraints` lists an irreducible set of them (dicts with `kind`: efficiency, coalition, floor, cap or standalone, the player or members, the amount, and the certificate's `weight`), `shortfall` the amount by which they fail."
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
    m.add(
        "InfeasibleConstraints",
        py.get_type::<InfeasibleConstraints>(),
    )?;
    m.add("CacheError", py.get_type::<CacheError>())?;
    // Errors raised by the Python layer carry no code; those from Rust set their own.
    py.get_type::<GameError>().setattr("code", py.None())?;
    Ok(())
}

impl From<Error> for PyErr {
    fn from(err: Error) -> PyErr {
        let msg = err.to_string();
        let py_err = match err {
            Error::UnknownPlayer { .. } | Error::PlayerIndexOutOfRange { .. } => {
                UnknownPlayer::new_err(msg)
            }
            Error::Format { .. } => FormatError::new_err(msg),
            Error::TooLarge { .. } | Error::LimitExceeded { .. } => GameTooLarge::new_err(msg),
            Error::Undefined { .. } | Error::NotSimple { .. } => UndefinedSolution::new_err(msg),
            Error::Solver { .. } => SolverError::new_err(msg),
            Error::Infeasible { .. } => InfeasibleConstraints::new_err(msg),
            Error::Interrupted => pyo3::exceptions::PyKeyboardInterrupt::new_err(msg),
            Error::Model { .. } => ModelError::new_err(msg),
            Error::Cache { .. } | Error::Io { .. } => CacheError::new_err(msg),
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
            | Error::InvalidParameter { .. }
            | Error::NotConvex { .. } => InvalidGame::new_err(msg),
        };
        Python::attach(|py| {
            // Attributes are a convenience on top of the class and message: an exception
            // that refuses them (none of ours does) is still raised as it is.
            let _ = set_fields(py_err.value(py), &err);
        });
        py_err
    }
}

/// Sets `code` (the variant's stable name, [`Error::code`]) and the variant's fields as
/// attributes of the exception, with the same names as in Rust.
pub(crate) fn set_fields(exc: &Bound<'_, PyBaseException>, err: &Error) -> PyResult<()> {
    macro_rules! set {
        ($($name:literal => $value:expr),* $(,)?) => {{
            $(exc.setattr($name, $value)?;)*
        }};
    }
    set!("code" => err.code());
    match err {
        Error::NoPlayers | Error::Interrupted => {}
        Error::NotPowerOfTwo { len } => set!("len" => *len),
        Error::LengthMismatch {
            len,
            bits,
            players,
            expected,
        } => set!("len" => *len, "bits" => *bits, "players" => *players, "expected" => *expected),
        Error::NonzeroEmpty { value } => set!("value" => *value),
        Error::NonFinite {
            coalition,
            index,
            value,
        } => set!("coalition" => coalition, "index" => *index, "value" => *value),
        Error::DuplicatePlayer {
            name,
            first,
            second,
        } => set!("name" => name, "first" => *first, "second" => *second),
        Error::EmptyPlayerName { index } => set!("index" => *index),
        Error::UnknownPlayer { name, players } => set!("name" => name, "players" => players),
        Error::PlayerIndexOutOfRange { index, n } => set!("index" => *index, "n" => *n),
        Error::RepeatedMember { coalition, name } => {
            set!("coalition" => coalition, "name" => name)
        }
        Error::MissingCoalition {
            coalition,
            missing,
            total,
        } => set!("coalition" => coalition, "missing" => *missing, "total" => *total),
        Error::ConflictingCoalition {
            coalition,
            first,
            second,
        } => set!("coalition" => coalition, "first" => *first, "second" => *second),
        Error::TooLarge {
            what,
            needed,
            available,
        } => set!("what" => what, "needed" => *needed, "available" => *available),
        Error::LimitExceeded { what, asked, limit } => {
            set!("what" => *what, "asked" => *asked, "limit" => *limit)
        }
        Error::InvalidOrder { reason } => set!("reason" => reason),
        Error::UnknownKind { kind } => set!("kind" => kind),
        Error::Undefined { concept, reason } => set!("concept" => *concept, "reason" => reason),
        Error::NotSimple { coalition, reason } => {
            set!("coalition" => coalition, "reason" => reason)
        }
        Error::NotConvex {
            player,
            smaller,
            larger,
            gain_smaller,
            gain_larger,
        } => set!(
            "player" => player,
            "smaller" => smaller,
            "larger" => larger,
            "gain_smaller" => *gain_smaller,
            "gain_larger" => *gain_larger,
        ),
        Error::Solver { concept, failure } => {
            set!("concept" => *concept, "failure" => failure.code());
            match failure {
                SolverFailure::Unverified { check, detail } => {
                    set!("check" => *check, "detail" => detail)
                }
                SolverFailure::Numerical { detail } => set!("detail" => detail),
                _ => {}
            }
        }
        Error::Infeasible { concept, conflict } => {
            let py = exc.py();
            let constraints = pyo3::types::PyList::empty(py);
            for (c, weight) in &conflict.constraints {
                let d = pyo3::types::PyDict::new(py);
                match c {
                    Constraint::Efficiency { total } => {
                        d.set_item("kind", "efficiency")?;
                        d.set_item("value", *total)?;
                    }
                    Constraint::Coalition { members, bound, .. } => {
                        d.set_item("kind", "coalition")?;
                        d.set_item("members", members.clone())?;
                        d.set_item("value", *bound)?;
                    }
                    Constraint::Floor { player, value }
                    | Constraint::Cap { player, value }
                    | Constraint::Standalone { player, value } => {
                        let kind = match c {
                            Constraint::Floor { .. } => "floor",
                            Constraint::Cap { .. } => "cap",
                            _ => "standalone",
                        };
                        d.set_item("kind", kind)?;
                        d.set_item("player", player)?;
                        d.set_item("value", *value)?;
                    }
                }
                d.set_item("weight", *weight)?;
                constraints.append(d)?;
            }
            set!(
                "concept" => *concept,
                "constraints" => constraints,
                "shortfall" => conflict.shortfall,
            )
        }
        Error::AllocationLength { got, n } => set!("got" => *got, "n" => *n),
        Error::InvalidParameter { name, reason } => {
            set!("name" => *name, "reason" => reason)
        }
        Error::Format { field, reason } => set!("field" => field.clone(), "reason" => reason),
        Error::Model {
            failed,
            succeeded,
            first_coalition,
            first_error,
        } => set!(
            "failed" => *failed,
            "succeeded" => *succeeded,
            "first_coalition" => first_coalition,
            "first_error" => first_error,
        ),
        Error::Cache { path, reason } => {
            set!("path" => path.display().to_string(), "reason" => reason)
        }
        Error::Io {
            action,
            path,
            source,
        } => set!(
            "action" => *action,
            "path" => path.display().to_string(),
            "errno" => source.raw_os_error(),
            "strerror" => source.to_string(),
        ),
    }
    Ok(())
}
