//! Typed errors end to end: each failure is a variant with its data, matched by pattern, never
//! by the wording of the message.

use std::collections::HashSet;
use std::error::Error as _;

use coalitional::lazy::LazyGame;
use coalitional::{Error, Game, Kind, SolverFailure};

fn names(n: usize) -> Vec<String> {
    (0..n).map(|i| format!("p{i}")).collect()
}

#[test]
fn a_nan_value_names_its_coalition_and_index() {
    let mut v = vec![0.0, 1.0, 2.0, f64::NAN];
    let err = Game::new(vec!["A".into(), "B".into()], v.clone()).unwrap_err();
    match err {
        Error::NonFinite {
            ref coalition,
            index,
            value,
        } => {
            assert_eq!(coalition, "{A, B}");
            assert_eq!(index, 3);
            assert!(value.is_nan());
        }
        other => panic!("expected NonFinite, got {other:?}"),
    }
    assert_eq!(err.code(), "non_finite");
    v[3] = 3.0;
    assert!(Game::new(vec!["A".into(), "B".into()], v).is_ok());
}

#[test]
fn memory_and_fixed_limits_carry_their_numbers() {
    // Beyond the fixed cap: the count asked for and the limit.
    let err = Game::from_fn(names(40), |_| 1.0).unwrap_err();
    let Error::LimitExceeded { asked, limit, .. } = err else {
        panic!("expected LimitExceeded, got {err:?}");
    };
    assert_eq!(asked, 40);
    assert_eq!(limit, coalitional::memory::MAX_DENSE_PLAYERS as u128);
    // Below the cap, the memory check: bytes needed (8 per value) against bytes available.
    if let Some(avail) = coalitional::memory::available_bytes() {
        let n = (0..=coalitional::memory::MAX_DENSE_PLAYERS)
            .find(|&n| coalitional::memory::dense_bytes(n) > avail);
        if let Some(n) = n {
            match coalitional::memory::check_dense(n, 1) {
                Err(Error::TooLarge {
                    needed, available, ..
                }) => {
                    assert_eq!(needed, 8u128 << n);
                    assert!(available.is_some_and(|a| a < needed));
                }
                other => panic!("expected TooLarge for n = {n}, got {other:?}"),
            }
        }
    }
}

#[test]
fn an_unreadable_cache_is_an_io_error_with_its_path_and_source() {
    let dir = std::env::temp_dir().join(format!("coalitional-no-such-dir-{}", std::process::id()));
    let path = dir.join("model.cache");
    let err = LazyGame::new(names(3), Kind::Value, |s| s.len() as f64, Some(&path)).unwrap_err();
    match &err {
        Error::Io {
            path: at, source, ..
        } => {
            assert_eq!(at, &path);
            assert_eq!(source.kind(), std::io::ErrorKind::NotFound);
            // The operating system's error is kept as the source.
            assert!(err.source().is_some());
        }
        other => panic!("expected Io, got {other:?}"),
    }
    assert_eq!(err.code(), "io");
    assert_eq!(err.clone(), err);
}

#[test]
fn another_games_cache_is_a_cache_error_with_its_path() {
    let path =
        std::env::temp_dir().join(format!("coalitional-errors-{}.cache", std::process::id()));
    let _ = std::fs::remove_file(&path);
    let mut g = LazyGame::new(names(3), Kind::Value, |s| s.len() as f64, Some(&path)).unwrap();
    g.evaluate(&[0b111]).unwrap();
    drop(g);
    let err = LazyGame::new(names(4), Kind::Value, |s| s.len() as f64, Some(&path)).unwrap_err();
    let _ = std::fs::remove_file(&path);
    match err {
        Error::Cache { path: at, .. } => assert_eq!(at, path),
        other => panic!("expected Cache, got {other:?}"),
    }
}

#[test]
fn no_imputation_is_undefined_for_the_nucleolus() {
    // v({i}) = 1 each but v(N) = 1: the imputation set is empty.
    let g = Game::new(vec!["A".into(), "B".into()], vec![0.0, 1.0, 1.0, 1.0]).unwrap();
    match g.nucleolus() {
        Err(Error::Undefined { concept, .. }) => assert_eq!(concept, "the nucleolus"),
        other => panic!("expected Undefined, got {other:?}"),
    }
}

#[test]
fn solver_failures_have_stable_codes_and_messages() {
    let failures = [
        SolverFailure::Infeasible,
        SolverFailure::Unbounded,
        SolverFailure::IterationLimit,
        SolverFailure::Singular,
        SolverFailure::Unverified {
            check: "kohlberg",
            detail: "d".into(),
        },
        SolverFailure::numerical("d"),
    ];
    let codes: HashSet<&str> = failures.iter().map(SolverFailure::code).collect();
    assert_eq!(codes.len(), failures.len());
    for f in &failures {
        assert!(!f.to_string().is_empty());
    }
}

#[test]
fn error_codes_are_distinct() {
    let samples = [
        Error::NoPlayers,
        Error::NotPowerOfTwo { len: 3 },
        Error::NonzeroEmpty { value: 1.0 },
        Error::EmptyPlayerName { index: 0 },
        Error::Interrupted,
        Error::Format {
            field: None,
            reason: "x".into(),
        },
        Error::LimitExceeded {
            what: "things",
            asked: 2,
            limit: 1,
        },
        Error::TooLarge {
            what: "x".into(),
            needed: 2,
            available: Some(1),
        },
        Error::InvalidParameter {
            name: "quota",
            reason: "r".into(),
        },
    ];
    let codes: HashSet<&str> = samples.iter().map(Error::code).collect();
    assert_eq!(codes.len(), samples.len());
}
